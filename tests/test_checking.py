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


# -- arguments: renamed parameters ------------------------------------------------------


def test_renamed_parameters_get_their_arguments_by_position():
    def relu(z):
        return np.maximum(0, z)

    def linear_forward(A, weights, bias):
        return weights @ A + bias, (A, weights, bias)

    check("relu", relu, hidden=True)
    check("linear_forward", linear_forward, hidden=True)


def test_arguments_keep_keywords_where_the_names_match():
    from grader.runner import arguments

    rng = np.random.default_rng(0)

    def init(dims, generator, scale=0.01):
        pass

    positional, keywords = arguments(init, {"layer_dims": [2, 1], "rng": rng, "scale": 0.5},
                                     "initialize_parameters")
    assert positional == ([2, 1], rng) and keywords == {"scale": 0.5}
    # names that match go by name, whatever their order in the student's definition
    positional, keywords = arguments(lambda rng, layer_dims, scale=0.01: None,
                                     {"layer_dims": [2, 1], "rng": rng}, "initialize_parameters")
    assert positional == () and keywords == {"layer_dims": [2, 1], "rng": rng}
    # no signature at all (a builtin): by position, in the contract's order
    positional, keywords = arguments(max, {"Y": 2, "AL": 1}, "compute_cost")
    assert positional == (1, 2) and keywords == {}


def test_a_function_that_takes_too_few_arguments_still_says_so():
    def relu():
        return 0

    with pytest.raises(CheckFailed, match="relu raised TypeError"):
        check("relu", relu)


# -- what the student sees --------------------------------------------------------------


def test_an_unimplemented_helper_is_named():
    def relu(Z):
        raise NotImplementedError()

    def linear_activation_forward(A_prev, W, b, activation):
        Z = W @ A_prev + b
        return relu(Z) if activation == "relu" else 1 / (1 + np.exp(-Z)), ((A_prev, W, b), Z)

    with pytest.raises(CheckFailed) as failure:
        check("linear_activation_forward", linear_activation_forward)
    message = str(failure.value)
    assert message.startswith("`relu` (called by linear_activation_forward) is not implemented yet")
    assert "trial" not in message


def test_an_unimplemented_function_checked_under_another_name_is_itself():
    def my_sigmoid(Z):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="^sigmoid is not implemented yet"):
        check("sigmoid", my_sigmoid)


@pytest.mark.parametrize("stop, said", [(lambda: sys.exit(1), "sys.exit()"),
                                        (lambda: exit(), "sys.exit()"),
                                        (KeyboardInterrupt, "KeyboardInterrupt")])
def test_exit_and_interrupt_are_failures_not_crashes(stop, said):
    def relu(Z):
        if isinstance(stop, type):
            raise stop()
        stop()

    with pytest.raises(CheckFailed) as failure:
        check("relu", relu)
    assert said in str(failure.value) and "public trial 1 of 3" in str(failure.value)


def test_a_value_the_grader_cannot_examine_is_a_failure_not_a_crash():
    from grader.reference.nb01 import update_parameters

    class Strange(dict):
        def __contains__(self, key):
            raise RuntimeError("no looking inside")

    with pytest.raises(CheckFailed) as failure:
        check("update_parameters", lambda params, grads, learning_rate:
              Strange(update_parameters(params, grads, learning_rate)))
    assert ("the grader could not examine what your function returned: RuntimeError: "
            "no looking inside") in str(failure.value)


def test_dicts_with_keys_of_mixed_types_are_described():
    from grader.reference.nb01 import initialize_parameters, model_backward
    from grader.reference.nb02 import train_model

    def init(layer_dims, rng, scale=0.01):
        params = initialize_parameters(layer_dims, rng, scale)
        del params["b1"]
        return {0: "zero", **params}

    with pytest.raises(CheckFailed, match=r"has no key 'b1' \(its keys: \['W1', .*, 0\]\)"):
        check("initialize_parameters", init)

    def backward(AL, Y, caches):
        grads = model_backward(AL, Y, caches)
        del grads["dW1"]
        return {1: None, **grads}

    with pytest.raises(CheckFailed, match="has no key 'dW1'"):
        check("model_backward", backward)

    def train(X, Y, layer_dims, learning_rate, num_iterations, rng):
        params, costs = train_model(X, Y, layer_dims, learning_rate, num_iterations, rng)
        return {2: None, "W1": params["W1"]}, costs

    with pytest.raises(CheckFailed, match="has no key 'b1'"):
        check("train_model", train)


def test_none_from_initialize_parameters_asks_about_return():
    def initialize_parameters(layer_dims, rng, scale=0.01):
        params = {}
        for l in range(1, len(layer_dims)):
            params[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
            params[f"b{l}"] = np.zeros((layer_dims[l], 1))

    with pytest.raises(CheckFailed, match=r"got None \(did you forget `return`\?\)"):
        check("initialize_parameters", initialize_parameters)


def test_nan_weights_are_reported_as_nan():
    from grader.reference.nb01 import initialize_parameters

    def init(layer_dims, rng, scale=0.01):
        params = initialize_parameters(layer_dims, rng, scale)
        params["W1"] = params["W1"] / 0.0 * 0.0  # nan everywhere
        return params

    with pytest.raises(CheckFailed) as failure:
        check("initialize_parameters", init)
    message = str(failure.value)
    assert "params['W1'] contains nan" in message and "normally distributed" not in message


def test_a_container_is_named_by_its_expected_type():
    from grader.reference.nb01 import model_forward

    def forward(X, params):
        AL, caches = model_forward(X, params)
        return AL, dict(enumerate(caches))

    with pytest.raises(CheckFailed, match="caches should be a list of 2 values, got a dict"):
        check("model_forward", forward)


def test_article_before_a_vowel():
    with pytest.raises(CheckFailed, match="got an int"):
        check("relu", lambda Z: 3)


def test_not_a_function_has_no_trial_headline():
    with pytest.raises(CheckFailed) as failure:
        check("relu", relu(np.ones((2, 2))))
    assert str(failure.value).startswith("check() needs the function itself")
    assert "trial" not in str(failure.value) and "got an array of shape (2, 2)" in str(failure.value)


def test_a_student_copy_runs_the_public_trials_before_saying_hidden_needs_more(monkeypatch):
    monkeypatch.setitem(sys.modules, "grader.reference", None)
    with pytest.raises(CheckFailed) as failure:
        check("relu", relu, hidden=True)
    assert "relu passed its 3 public trials" in str(failure.value)
    assert "instructor's copy" in str(failure.value)
    with pytest.raises(CheckFailed) as failure:
        check("relu", lambda Z: np.abs(Z), hidden=True)
    assert "public trial 1 of 3 failed" in str(failure.value)
    assert "instructor's copy" not in str(failure.value)


def test_float32_results_are_rejected_with_the_reason():
    from grader.reference.nb01 import linear_backward

    def backward(dZ, cache):
        dA_prev, dW, db = linear_backward(dZ, cache)
        return dA_prev, dW.astype(np.float32), db

    with pytest.raises(CheckFailed) as failure:
        check("linear_backward", backward)
    assert ("dW has dtype float32; the course computes in float64 (numpy's default): remove "
            "any `dtype=np.float32` or `.astype(np.float32)`") in str(failure.value)


def test_a_one_by_one_cost_is_told_to_use_item():
    def compute_cost(AL, Y):
        return -(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T) / Y.shape[1]

    with pytest.raises(CheckFailed, match=r"`\.item\(\)`"):
        check("compute_cost", compute_cost)


def test_an_array_subclass_cannot_talk_its_way_through():
    class Agreeable(np.ndarray):
        def __array_function__(self, func, types, args, kwargs):
            if func in (np.allclose, np.isclose, np.array_equal):
                return True
            return super().__array_function__(func, types, args, kwargs)

    with pytest.raises(CheckFailed, match="subclass of numpy's array"):
        check("relu", lambda Z: np.zeros_like(Z).view(Agreeable))


# -- hidden trials: the expected value does not exist yet during the call ----------------


def _expected_from_the_stack(Z):
    frame = sys._getframe(1)
    while frame is not None:
        if "trial" in frame.f_locals:
            return frame.f_locals["trial"].expected
        frame = frame.f_back
    return None


def test_a_function_cannot_read_the_hidden_expected_value_off_the_stack():
    check("relu", _expected_from_the_stack)  # the public values are no secret
    with pytest.raises(CheckFailed, match="hidden trial 1 of"):
        check("relu", _expected_from_the_stack, hidden=True)


def test_hidden_trials_have_their_expected_value_after_the_call():
    import grader.checking as checking
    from grader.checks import SPECS

    spec = SPECS["relu"]
    trials = checking.hidden_trials(spec)
    assert all(t.expected is None for t in trials)
    assert checking._try(spec, relu, trials, hidden=True) == ("", len(trials))
    assert all(np.array_equal(t.expected, relu(t.inputs["Z"])) for t in trials)


def test_preloaded_trials_are_the_stored_ones_and_each_check_gets_fresh_copies():
    """preload() (the grading zygote's) fills the same cache a first check would; a check's
    trials are copies, so what one student function does to them cannot reach the next."""
    from grader import checking, registry, store
    from grader.checks import SPECS

    checking.preload()
    assert set(checking._STORE_CACHE) == {nb for nb in registry.NOTEBOOKS if store.path_for(nb).is_file()}
    first = checking.public_trials(SPECS["linear_forward"])
    first[0].inputs["W"][...] = 0
    again = checking.public_trials(SPECS["linear_forward"])
    assert np.any(again[0].inputs["W"] != 0)
    stored = store.load(store.path_for("01-building-blocks"))["linear_forward"]
    assert np.array_equal(again[0].inputs["W"], stored[0]["inputs"]["W"])
    check("linear_forward", grader.reference.nb01.linear_forward)


def test_touching_numpys_global_random_state_is_named():
    """Randomness comes from the rng argument only: even a right value is rejected when the
    function seeds or draws from numpy's global state (a repeatable np.random.seed(rng...)
    passes every same-generator test; only the global state tells)."""
    def relu(Z):
        np.random.seed(0)
        return np.maximum(0, Z)

    before = np.random.get_state()[1].copy()
    with pytest.raises(CheckFailed, match="used numpy's global random state"):
        check("relu", relu)
    np.random.set_state(("MT19937", before, 624, 0, 0.0))
