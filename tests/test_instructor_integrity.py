"""The static integrity check: silent on what the course hands out, and exact on each problem.
(The corpus of whole adversarial notebooks is in test_instructor_autograde.py.)"""
from __future__ import annotations

import ast
import json

import pytest

from grader.__main__ import main
from grader.instructor.integrity import _Scanner, check_notebook
from grader.release import ROOT


def test_released_notebooks_have_no_finding(released_notebook, assignment):
    assert check_notebook(released_notebook) == []
    assert check_notebook(released_notebook, release=released_notebook) == []


def test_solutions_do_not_look_like_cheating(solution_notebook, assignment):
    """The reference solutions use numpy and the grader as students should: no finding
    other than the hidden tests that make the solution's test cells differ from the release."""
    release = ROOT / "notebooks" / assignment / f"{assignment}.ipynb"
    kinds = {f.kind for f in check_notebook(solution_notebook, assignment=assignment, release=release)}
    assert kinds <= {"edited"}


@pytest.mark.parametrize("code", [
    "A = np.maximum(0, Z)",
    "rng = np.random.default_rng(0)\nW = rng.standard_normal((3, 4))",
    "from grader.reuse import functions_from",
    "from grader import check",
    "params = dict(params)\nparams['W1'] = params['W1'] - 0.1 * grads['dW1']",
    "import numpy as np\nx = np.linalg.norm(v)",
    "%timeit relu(Z)",
])
def test_ordinary_code_is_not_flagged(code):
    from grader.instructor.integrity import _strip_magics

    assert _Scanner().scan(ast.parse(_strip_magics(code))) == []


@pytest.mark.parametrize("code", [
    "check = print",
    "def check(*a, **k):\n    pass",
    "from grader.compare import compare as check",
    "np.allclose = lambda *a, **k: True",
    "numpy.testing.assert_allclose = None",
    "import numpy as xp\nxp.sum = lambda *a: 0",
    "setattr(np, 'allclose', lambda *a: True)",
    "import grader\ngrader.check = lambda *a, **k: None",
    "grader.checking._run = None",
    "from grader import checking\nchecking.compare = None",
    "import builtins\nbuiltins.print = None",
    "__builtins__.len = None",
    "import sys\nsys.modules['grader'].check = None",
    "exec('check = print')",
    "import importlib",
    "from grader.checking import _run",
])
def test_cheats_are_flagged(code):
    found = _Scanner().scan(ast.parse(code))
    assert found and {kind for kind, _ in found} == {"cheat"}, found


def test_input_is_flagged():
    assert [k for k, _ in _Scanner().scan(ast.parse("x = input('?')"))] == ["input"]


def _released(assignment="01-building-blocks"):
    return json.loads((ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text("utf-8"))


def test_command_exit_status(tmp_path, capsys):
    released = ROOT / "notebooks" / "01-building-blocks" / "01-building-blocks.ipynb"
    assert main(["check-notebook", str(released)]) == 0
    assert "no problem found" in capsys.readouterr().out

    nb = _released()
    i = next(k for k, c in enumerate(nb["cells"]) if c["metadata"].get("nbgrader", {}).get("grade_id") == "relu")
    nb["cells"].insert(i, dict(nb["cells"][i]))                 # duplicated
    nb["cells"][i + 3]["cell_type"] = "markdown"                 # a graded cell turned into markdown
    nb["cells"][i + 3].pop("outputs", None)
    folder = tmp_path / "01-building-blocks"
    folder.mkdir()
    (folder / "mine.ipynb").write_text(json.dumps(nb))
    assert main(["check-notebook", str(folder / "mine.ipynb")]) == 1
    out = capsys.readouterr().out
    assert "renamed" in out and "duplicated [relu]" in out and "converted" in out


def test_edited_locked_cell_found_by_checksum(tmp_path):
    nb = _released()
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "sigmoid")
    cell["source"] = "pass"
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb))
    assert [(f.kind, f.cell) for f in check_notebook(path)] == [("edited", "sigmoid")]


def test_not_json(tmp_path):
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text('{"cells": [')
    assert [f.kind for f in check_notebook(path)] == ["invalid-json"]
