"""needs(): a demo cell stops with one line until the exercises it uses pass their checks."""
from __future__ import annotations

import numpy as np
import pytest

from grader import CheckFailed, check, needs
from grader.reference import implementation


def run_cell(source: str, **namespace):
    """Run `source` as a notebook cell would: in the namespace of the notebook."""
    namespace["needs"] = needs
    exec(source, namespace)  # noqa: S102
    return namespace


def skeleton(Z):
    raise NotImplementedError()


def test_an_unfinished_exercise_stops_the_cell_in_one_line():
    with pytest.raises(CheckFailed) as failure:
        run_cell("needs('relu', 'sigmoid')\nran = True", relu=skeleton, sigmoid=skeleton)
    message = str(failure.value)
    assert "`relu` and `sigmoid`" in message and "do not pass their checks" in message
    assert len(message.splitlines()) == 1


def test_a_wrong_implementation_stops_the_cell():
    with pytest.raises(CheckFailed, match="your `relu`, which does not pass its check yet"):
        run_cell("needs('relu')", relu=lambda Z: np.abs(Z))


def test_a_name_not_defined_yet_says_run_the_cells_above():
    with pytest.raises(CheckFailed, match="`train_model`, not defined yet: run the cells above"):
        run_cell("needs('predict', 'train_model')", predict=implementation("predict"))


def test_done_exercises_let_the_cell_run(capsys):
    after = run_cell("needs('relu', 'helper')\nran = True", relu=implementation("relu"), helper=len)
    assert after["ran"] and capsys.readouterr().out == ""  # checked now, silently


def test_a_check_cells_verdict_is_remembered(monkeypatch):
    import grader.checking as checking

    relu = implementation("relu")
    check("relu", relu)
    monkeypatch.setattr(checking, "_run", lambda *a, **k: pytest.fail("checked again"))
    run_cell("needs('relu')", relu=relu)
    # a new definition of the function is checked again
    with pytest.raises(BaseException, match="checked again"):
        run_cell("needs('relu')", relu=lambda Z: relu(Z))
