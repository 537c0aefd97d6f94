"""functions_from(): a later notebook gets the student's own earlier functions."""
from __future__ import annotations

import json
import sys

import pytest

from grader.reuse import functions_from


def _notebook(tmp_path, cells):
    folder = tmp_path / "01-building-blocks"
    folder.mkdir()
    nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"solution": True}},
                     "source": src, "outputs": [], "execution_count": None} for src in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "01-building-blocks.ipynb").write_text(json.dumps(nb))
    return tmp_path / "02-deep-networks"


RELU = "def relu(Z):\n    return np.maximum(0, Z)\n"
BROKEN_SIGMOID = "def sigmoid(Z):\n    return 1 / (1 + np.exp(Z))\n"


def test_uses_the_students_passing_function(tmp_path, capsys):
    here = _notebook(tmp_path, [RELU])
    relu = functions_from("01-building-blocks", "relu", search=here)
    assert relu.__globals__["__name__"] == "course_01_building_blocks"
    assert "1 of 1 functions are yours" in capsys.readouterr().out


def test_replaces_a_failing_function_with_the_reference(tmp_path, capsys):
    here = _notebook(tmp_path, [RELU, BROKEN_SIGMOID, "raise NotImplementedError()"])
    relu, sigmoid = functions_from("01-building-blocks", "relu", "sigmoid", search=here)
    from grader.reference.nb01 import sigmoid as reference_sigmoid

    assert sigmoid is reference_sigmoid
    assert "sigmoid (does not pass its check yet: using the course's version)" in capsys.readouterr().out


def test_missing_notebook_falls_back_to_the_reference(tmp_path):
    from grader.reference.nb01 import model_forward

    assert functions_from("01-building-blocks", "model_forward", search=tmp_path) is model_forward


def test_student_copy_without_references_keeps_the_students_own(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "grader.reference", None)
    here = _notebook(tmp_path, [BROKEN_SIGMOID])
    sigmoid = functions_from("01-building-blocks", "sigmoid", search=here)
    assert "go back to 01-building-blocks" in capsys.readouterr().out
    assert sigmoid.__globals__["__name__"].startswith("course_")


def test_unknown_name():
    with pytest.raises(KeyError, match="not exercises of 01-building-blocks"):
        functions_from("01-building-blocks", "train_model")
