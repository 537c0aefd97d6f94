"""The static integrity check: silent on what the course hands out, and exact on each problem.
(The corpus of whole adversarial notebooks is in test_instructor_autograde.py.)"""
from __future__ import annotations

import ast
import json

import pytest

from grader.__main__ import main
from grader.instructor.integrity import _Scanner, check_notebook, parse_cell
from grader.registry import graded as exercises
from grader.instructor.integrity import check_this_notebook
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
    "%timeit -n 10 -r 3 relu(Z)",
    "%matplotlib inline",
    "%%time\nA = relu(Z)",
    "Z = np.e * 2\nZ[0] = 1",                      # values from numpy are not numpy
    "X = np.r_[0:3]\nX[0] = 7",
    "np.asarray(x).flags.writeable = False",
    "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))",
    "import time\nstart = time.perf_counter()",
    "from grader.instructor.integrity import check_this_notebook\ncheck_this_notebook()",
])
def test_ordinary_code_is_not_flagged(code):
    assert _Scanner().scan(parse_cell(code)) == []


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
    # the reference, however imported
    "import grader.reference as ref",
    "import grader.reference.nb01",
    "from grader import reference",
    "importlib.import_module('grader.reference')",
    "__import__('grader.reference')",
    # IPython's internals: a custom exception handler or transformer hides later errors
    "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)",
    "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
    "ip = get_ipython()\nip.events.register('post_run_cell', print)",
    # walking the stack to the grader's variables (the expected values)
    "import sys\nexpected = sys._getframe(2).f_locals['trial']",
    "import inspect\nframe = inspect.currentframe()",
    "import inspect as ins\nframes = ins.stack()",
    "frame = caller.f_back",
    "g = frame.f_globals",
    "try:\n    1 / 0\nexcept Exception as e:\n    frame = e.__traceback__.tb_frame",
    "frame = getattr(tb, 'tb_frame')",
    "import sys\nsys.settrace(spy)",
    # numpy and the grader through aliases and accessors
    "x = np\nx.allclose = lambda *a, **k: True",
    "getattr(grader, 'checking')._run = None",
    "[np][0].allclose = lambda *a, **k: True",
    "object.__setattr__(np, 'allclose', lambda *a, **k: True)",
    "m = grader\nsetattr(m, 'check', print)",
    "for m in [np]:\n    m.allclose = print",
    "vars(np)['allclose'] = print",
    "globals()['check'] = print",
    "globals().update(check=print)",
    # magics and shell lines run code this scan cannot read
    "!sed -i s/x/y/ grader/checking.py",
    "files = !ls",
    "%run other.py",
    "%%writefile helper.py\nx = 1",
    "%time np.allclose = print",
    "%%capture out\nnp.allclose = print",
    # the process's limits and signal handlers
    "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))",
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)",
])
def test_cheats_are_flagged(code):
    found = _Scanner().scan(parse_cell(code))
    assert found and {kind for kind, _ in found} == {"cheat"}, found


@pytest.mark.parametrize("code", ["import inspect", "vars()", "x = eval('1 + 1')", "import gc\ngc.collect()",
                                  "relu = globals()['relu']"])
def test_odd_but_often_harmless_code_is_flagged_for_review(code):
    """Flagged (the instructor looks), not penalised: these have innocent uses."""
    assert {kind for kind, _ in _Scanner().scan(parse_cell(code))} == {"suspicious"}


def test_names_are_followed_from_cell_to_cell(tmp_path):
    nb = _released()
    cells = nb["cells"]
    first = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    cells[first + 1:first + 1] = [_code_cell("import numpy as xp"), _code_cell("xp.sum = lambda *a: 0")]
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb))
    [finding] = check_notebook(path)
    assert (finding.kind, finding.cell) == ("cheat", f"cell {first + 2}")
    # every graded cell after it, exercises and questions, in the notebook's order
    assert sorted(finding.exercises) == sorted(e.id for e in exercises("01-building-blocks"))


def test_a_cell_that_is_not_python_is_flagged(tmp_path):
    nb = _released()
    nb["cells"].append(_code_cell("def f(:\n    pass"))
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb))
    assert [(f.kind, f.exercises) for f in check_notebook(path)] == [("suspicious", ())]


def test_the_documented_last_cell_check_is_no_finding(tmp_path, capsys):
    """bundle.py's student README tells students to end with this cell."""
    nb = _released()
    nb["cells"].append(_code_cell("from grader.instructor.integrity import check_this_notebook\n"
                                  "check_this_notebook()"))
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb))
    assert check_notebook(path) == []
    assert main(["check-notebook", str(path)]) == 0
    assert check_this_notebook(path) is True
    assert "no problem found" in capsys.readouterr().out


def _code_cell(source):
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}


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


@pytest.mark.parametrize("damage", ["metadata-null", "source-number", "nbgrader-string", "grade-id-list"])
def test_malformed_cells_are_a_finding_not_a_crash(tmp_path, capsys, damage):
    nb = _released()
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "relu")
    if damage == "metadata-null":
        cell["metadata"] = None
    elif damage == "source-number":
        cell["source"] = 5
    elif damage == "nbgrader-string":
        cell["metadata"]["nbgrader"] = "x"
    else:
        cell["metadata"]["nbgrader"]["grade_id"] = ["relu"]
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb))
    # nbformat's schema rejects the first two; the others are valid JSON metadata with no
    # usable grade_id: the cell counts as deleted (and nbgrader puts the original back)
    want = {"metadata-null": [("invalid-json", None)], "source-number": [("invalid-json", None)],
            "nbgrader-string": [("deleted", "relu")], "grade-id-list": [("deleted", "relu")]}[damage]
    assert [(f.kind, f.cell) for f in check_notebook(path)] == want
    assert main(["check-notebook", str(path)]) == 1
    assert want[0][0] in capsys.readouterr().out


def test_another_kernel_is_named_and_graded_with_the_course_kernel(tmp_path):
    from grader.instructor.autograde import sanitize

    released = ROOT / "notebooks" / "01-building-blocks" / "01-building-blocks.ipynb"
    nb = json.loads(released.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"] = {"display_name": "R", "language": "R", "name": "ir"}
    path = tmp_path / "01-building-blocks.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    findings = check_notebook(path, release=released)
    assert [f.kind for f in findings] == ["kernel"] and "'ir'" in findings[0].message
    assert not findings[0].exercises  # no points taken
    assert json.loads(sanitize(json.dumps(nb)))["metadata"]["kernelspec"]["name"] == "python3"


def test_question_cells_are_checked_like_graded_cells(tmp_path):
    """A question's graded cell answer("<id>") that is deleted, edited or duplicated is found,
    and so is a deleted answer cell."""
    from grader.registry import questions

    assignment = next(q.notebook for q in questions())
    qid = next(q.id for q in questions(assignment))
    released = ROOT / "notebooks" / assignment / f"{assignment}.ipynb"

    def findings(change):
        nb = json.loads(released.read_text("utf-8"))
        change(nb["cells"])
        path = tmp_path / f"{assignment}.ipynb"
        path.write_text(json.dumps(nb))
        return [(f.kind, f.cell) for f in check_notebook(path)]

    def at(cells, gid):
        return next(i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)

    assert findings(lambda cells: None) == []
    assert findings(lambda cells: cells.pop(at(cells, qid))) == [("deleted", qid)]
    assert findings(lambda cells: cells.pop(at(cells, f"{qid}-code"))) == [("deleted", f"{qid}-code")]
    assert findings(lambda cells: cells[at(cells, qid)].update(source="print('right')")) == [("edited", qid)]
    assert findings(lambda cells: cells.append(cells[at(cells, qid)])) == [("duplicated", qid)]
