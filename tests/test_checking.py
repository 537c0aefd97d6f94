"""check(): what a student sees for each kind of bad function, and what nbgrader sees."""
from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

import grader.runner
from grader import CheckFailed, Report, check
from grader.reference.nb01 import relu, sigmoid


def test_success_prints_one_line_and_returns_a_report(capsys):
    report = check("sigmoid", sigmoid)
    out, err = capsys.readouterr()
    assert out.strip().splitlines() == ["\u2714 sigmoid passed (3 public trials)."]
    assert err == ""
    assert isinstance(report, Report) and report.trials == 3 and not report.hidden


def test_report_cannot_be_read_as_a_score():
    # nbgrader gives partial credit for a cell whose result is a number
    report = check("relu", relu)
    with pytest.raises(ValueError):
        float(repr(report))
    assert hasattr(report, "_ipython_display_")


def test_check_failed_is_an_assertion_error():
    assert issubclass(CheckFailed, AssertionError)


def test_skeleton_reads_as_not_implemented_yet():
    def sigmoid(Z):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="sigmoid is not implemented yet") as failure:
        check("sigmoid", sigmoid)
    assert "trial" not in str(failure.value)  # nothing to diagnose yet


def test_student_exception_names_its_line():
    def relu(Z):
        return np.maximum(0, Z) @ Z  # wrong-shaped matrix product

    with pytest.raises(CheckFailed) as failure:
        check("relu", relu)
    message = str(failure.value)
    assert "relu raised ValueError" in message
    assert "return np.maximum(0, Z) @ Z" in message
    assert "public trial 1 of 3" in message


def test_infinite_loop_times_out(monkeypatch):
    monkeypatch.setattr(grader.runner, "TIME_LIMIT", 0.2)

    def relu(Z):
        while True:
            pass

    with pytest.raises(CheckFailed, match="did not return within"):
        check("relu", relu)


def test_timeout_is_not_swallowed_by_a_bare_except(monkeypatch):
    monkeypatch.setattr(grader.runner, "TIME_LIMIT", 0.2)

    def relu(Z):
        while True:
            try:
                pass
            except Exception:  # noqa: BLE001 - what a student might write
                pass

    with pytest.raises(CheckFailed, match="did not return within"):
        check("relu", relu)


def test_missing_return_is_named():
    def relu(Z):
        np.maximum(0, Z)

    with pytest.raises(CheckFailed, match=r"None \(did you forget `return`\?\)"):
        check("relu", relu)


def test_nan_is_reported_before_values():
    def sigmoid(Z):
        A = 1 / (1 + np.exp(-Z))
        A[0, 0] = np.nan
        return A

    with pytest.raises(CheckFailed, match="contains nan at index \\(0, 0\\)"):
        check("sigmoid", sigmoid)


def test_wrong_type_is_reported():
    with pytest.raises(CheckFailed, match="should be a numpy array of shape \\(3, 4\\), got a list"):
        check("relu", lambda Z: np.maximum(0, Z).tolist())


def test_not_a_function():
    with pytest.raises(CheckFailed, match="needs the function itself"):
        check("relu", relu(np.ones((2, 2))))


def test_unknown_exercise():
    with pytest.raises(CheckFailed, match="no exercise called 'rellu'"):
        check("rellu", relu)


def test_stderr_and_warnings_never_escape(capfd):
    def sigmoid(Z):
        print("debugging", file=sys.stderr)
        warnings.warn("a student's own warning")
        return 1 / (1 + np.exp(-Z * 100))  # overflow warnings on some entries, then wrong

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CheckFailed):
            check("sigmoid", sigmoid)
    out, err = capfd.readouterr()
    assert err == ""
    assert "debugging" in out


def test_overflowing_but_correct_sigmoid_passes_silently(capfd):
    def sigmoid(Z):
        return 1 / (1 + np.exp(-Z))

    big = {"Z": np.array([[-800.0, 0.0, 800.0]])}
    from grader.runner import call

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = call(sigmoid, big, name="sigmoid")
    assert np.allclose(A, [[0.0, 0.5, 1.0]])
    assert capfd.readouterr().err == ""


def test_mutating_a_nested_argument_is_caught():
    from grader.reference.nb01 import update_parameters

    def update(params, grads, learning_rate):
        new = dict(params)  # a new dict, but the same arrays
        for k in new:
            new[k] -= learning_rate * grads["d" + k]
        return new

    with pytest.raises(CheckFailed, match="modified its argument `params` in place"):
        check("update_parameters", update)
    check("update_parameters", update_parameters)


def test_hidden_checks_in_a_student_copy(monkeypatch):
    # the student bundle has no grader.reference: hidden mode says so instead of crashing
    monkeypatch.setitem(sys.modules, "grader.reference", None)
    with pytest.raises(CheckFailed, match="instructor's copy"):
        check("relu", relu, hidden=True)


def test_hidden_trials_are_the_same_at_every_grading():
    import grader.checking as checking
    from grader.checks import SPECS

    first = checking.hidden_trials(SPECS["linear_backward"])
    second = checking.hidden_trials(SPECS["linear_backward"])
    assert all(np.array_equal(a.inputs["dZ"], b.inputs["dZ"]) for a, b in zip(first, second))


def test_failure_message_is_short():
    def relu(Z):
        return np.abs(Z)

    with pytest.raises(CheckFailed) as failure:
        check("relu", relu)
    assert len(str(failure.value).splitlines()) <= 8


def test_notebook_shows_the_message_not_a_traceback():
    lines = CheckFailed("relu: public trial 1 of 3 failed\n  A has wrong values")._render_traceback_()
    assert len(lines) == 2 and "CheckFailed" in lines[0] and "File" not in "".join(lines)
