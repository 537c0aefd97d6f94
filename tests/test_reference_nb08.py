"""Notebook 08: the reference and the claims the notebook makes about it.

The generic tests (test_checks.py) already run every check against the reference, the variants
and the mistake catalogue. These tests cover what they do not: the mathematics the notebook
derives (softmax's shift invariance, the two-class case, dZ[L] = AL - Y through the Jacobian,
notebook 01's model_backward doing the job), train_classifier's contract on its own (folding,
early stopping read off the history, learning_rate = 0), that the behavioural check does not
fail a correct implementation by chance (its statistical test of the initial weights, the
replay under other summation orders), the questions' answers, and that the stored public
trials exercise what they are meant to.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from grader import store
from grader.checks import SPECS
from grader.checks import nb08 as checks
from grader.reference import nb01, nb08
from grader.reference.nb04 import early_stopping
from grader.reference.nb05 import numerical_gradient

# -- softmax and the cost ------------------------------------------------------------------


def test_softmax_sees_only_differences_and_never_overflows():
    rng = np.random.default_rng(0)
    Z = 3 * rng.standard_normal((5, 7))
    shift = rng.uniform(-1000, 1000, (1, 7))
    A = nb08.softmax(Z)
    assert np.allclose(A.sum(axis=0), 1.0, rtol=0, atol=1e-15)
    assert np.allclose(nb08.softmax(Z + shift), A, rtol=1e-12, atol=1e-15)
    assert np.all(np.isfinite(nb08.softmax(Z + 1e300)))


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    rng = np.random.default_rng(1)
    Z = 4 * rng.standard_normal((2, 9))
    assert np.allclose(nb08.softmax(Z)[1], nb01.sigmoid(Z[1] - Z[0]), rtol=1e-12, atol=1e-15)


def test_two_class_cross_entropy_is_the_binary_one():
    rng = np.random.default_rng(2)
    A1 = rng.uniform(0.05, 0.95, (1, 8))
    y = (rng.random((1, 8)) < 0.5).astype(float)
    AL, Y = np.vstack([1 - A1, A1]), np.vstack([1 - y, y])
    assert math.isclose(nb08.compute_cost_multiclass(AL, Y), nb01.compute_cost(A1, y), rel_tol=1e-12)


def test_a_uniform_guess_costs_log_k():
    # q08-uniform-cost
    for K in (2, 10):
        Y = nb08.one_hot(np.arange(12).reshape(1, -1) % K, K)
        assert math.isclose(nb08.compute_cost_multiclass(np.full(Y.shape, 1 / K), Y), math.log(K), rel_tol=1e-12)
    assert round(math.log(10), 2) == 2.30


def test_saturated_softmax_outputs_give_a_finite_cost():
    Z = np.array([[1000.0, 0.0], [0.0, 1.0], [-5.0, 2.0]])
    AL, Y = nb08.softmax(Z), nb08.one_hot(np.array([[0, 2]]), 3)
    assert AL[1, 0] == 0.0 and AL[2, 0] == 0.0
    assert np.isfinite(nb08.compute_cost_multiclass(AL, Y))


# -- the backward pass ----------------------------------------------------------------------


def test_dZ_is_AL_minus_Y_through_the_softmax_jacobian():
    """The notebook's derivation, numerically: the Jacobian route and the shortcut agree, and
    both are the numeric gradient of the loss with respect to the logits."""
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((4, 5))
    Y = nb08.one_hot(rng.integers(0, 4, (1, 5)), 4)
    A = nb08.softmax(Z)
    dA = -Y / A
    jacobian_route = A * (dA - np.sum(A * dA, axis=0, keepdims=True))
    assert np.allclose(jacobian_route, A - Y, rtol=1e-10, atol=1e-12)
    loss = lambda z: -np.sum(Y * np.log(nb08.softmax(z)))  # noqa: E731 - summed over examples
    assert np.allclose(numerical_gradient(loss, Z), A - Y, rtol=1e-6, atol=1e-8)


def test_notebook_01_model_backward_already_computes_the_softmax_gradients():
    rng = np.random.default_rng(4)
    X, params = checks._network(rng, 3, 4, 6)
    AL, caches = nb08.model_forward_multiclass(X, params)
    Y = nb08.one_hot(rng.integers(0, 4, (1, 6)), 4)
    ours, theirs = nb08.model_backward_multiclass(AL, Y, caches), nb01.model_backward(AL, Y, caches)
    assert ours.keys() == theirs.keys()
    assert all(np.array_equal(ours[k], theirs[k]) for k in ours)


def test_the_argmax_of_the_logits_is_the_prediction():
    rng = np.random.default_rng(5)
    X, params = checks._network(rng, 2, 6, 40)
    _, caches = nb08.model_forward_multiclass(X, params)
    assert np.array_equal(nb08.predict_multiclass(X, params)[0], np.argmax(caches[-1][1], axis=0))
    assert nb08.predict_multiclass(X, params).dtype.kind == "i"


# -- train_classifier -----------------------------------------------------------------------


def _problem(seed=0, kind=checks._EASY, **hyper):
    rng = np.random.default_rng(seed)
    X_train, Y_train, X_dev, Y_dev = checks._problem(rng, 4, 3, 45, 24, 8.0, reversed_dev=kind == checks._REVERSED)
    base = {"learning_rate": 0.05, "hidden_units": [8], "lambd": 0.1, "keep_prob": 1.0, "beta1": 0.9,
            "beta2": 0.999, "mini_batch_size": 16, "epochs": 12, "patience": 3}
    return X_train, Y_train, X_dev, Y_dev, {**base, **hyper}


def test_folded_parameters_act_on_raw_inputs_as_the_network_did_on_normalised_ones():
    X_train, Y_train, X_dev, Y_dev, hyper = _problem()
    mu, sigma = checks._normalizer(X_train)
    inner = nb08.initialize_parameters_he([4, 8, 3], np.random.default_rng(0))
    folded = checks._fold(inner, mu, sigma)
    N_dev = (X_dev - mu) / sigma
    assert np.allclose(checks._forward(X_dev, folded)[0], checks._forward(N_dev, inner)[0], rtol=1e-10, atol=1e-13)
    assert all(np.allclose(checks._unfold(folded, mu, sigma)[k], inner[k], rtol=1e-12, atol=1e-13) for k in inner)


@pytest.mark.parametrize("kind", [checks._EASY, checks._REVERSED])
def test_history_follows_the_early_stopping_rule_and_the_best_epoch_comes_back(kind):
    X_train, Y_train, X_dev, Y_dev, hyper = _problem(kind=kind, epochs=30)
    params, history = nb08.train_classifier(X_train, Y_train, X_dev, Y_dev, hyper, np.random.default_rng(7))
    errors = history["dev_error"]
    stop, best = early_stopping(errors, hyper["patience"])  # notebook 04's rule on the history
    assert stop == len(errors) - 1 and best == int(np.argmin(errors))
    if len(errors) < hyper["epochs"]:
        assert stop - best == hyper["patience"]  # q08-restore-epoch: best = stop - patience
    assert checks._error(X_dev, Y_dev, params) == errors[best]
    assert math.isclose(checks._cost(checks._forward(X_train, params)[0], Y_train), history["train_cost"][best],
                        rel_tol=1e-9)


def test_reversed_dev_labels_make_training_stop_early_and_restore_an_earlier_epoch():
    """The public trial built for the restore check: the reference stops before its epochs run
    out and returns parameters that are not the last epoch's."""
    trial = store.load(store.path_for("08-capstone"))["train_classifier"][1]
    inputs = trial["inputs"]
    assert checks._kind(inputs) == checks._REVERSED
    params, history = nb08.train_classifier(**inputs)
    errors = history["dev_error"]
    assert len(errors) < inputs["hyper"]["epochs"] and int(np.argmin(errors)) < len(errors) - 1


def test_learning_rate_zero_returns_the_he_initialisation_folded():
    X_train, Y_train, X_dev, Y_dev, hyper = _problem(learning_rate=0.0, epochs=8)
    params, history = nb08.train_classifier(X_train, Y_train, X_dev, Y_dev, hyper, np.random.default_rng(3))
    mu, sigma = checks._normalizer(X_train)
    start = nb08.initialize_parameters_he([4, 8, 3], np.random.default_rng(3))
    assert all(np.allclose(checks._unfold(params, mu, sigma)[k], start[k], rtol=1e-12, atol=1e-14) for k in start)
    assert len(history["dev_error"]) == hyper["patience"] + 1


def test_the_replay_is_the_reference_on_a_full_batch():
    """The check's written-out replay and the reference agree (so the replay checks the
    contract, not a second opinion of it)."""
    X_train, Y_train, X_dev, Y_dev, hyper = _problem(mini_batch_size=45, epochs=4, patience=4, lambd=0.7,
                                                     beta1=0.8, beta2=0.99)
    inputs = {"X_train": X_train, "Y_train": Y_train, "X_dev": X_dev, "Y_dev": Y_dev}
    got = nb08.train_classifier(**inputs, hyper=hyper, rng=np.random.default_rng(9))
    start = nb08.train_classifier(**inputs, hyper={**hyper, "learning_rate": 0.0, "epochs": 1},
                                  rng=np.random.default_rng(9))[0]
    expected = checks._replay(inputs, hyper, start)
    assert checks._agrees((got[0], got[1]["train_cost"], got[1]["dev_error"]), expected)
    # and the named variants differ from it
    for variant in checks._VARIANTS:
        if variant:
            assert not checks._agrees(expected, checks._replay(inputs, hyper, start, variant)), variant


def test_the_initial_weight_check_does_not_fail_a_correct_draw_by_chance():
    """Its bounds fail a correct He draw with probability about 1e-8 per test: 60 generators,
    every one accepted."""
    from grader.checking import Trial

    spec = SPECS["train_classifier"]
    inputs = store.load(store.path_for("08-capstone"))["train_classifier"][0]["inputs"]
    for seed in range(60):
        trial = Trial(spec, nb08.train_classifier, {**inputs, "rng": np.random.default_rng(seed)}, "test")
        checks._check_initial_weights(trial)


# -- the stored public trials -----------------------------------------------------------------


def test_public_trials_show_what_they_are_meant_to():
    trials = store.load(store.path_for("08-capstone"))
    # one_hot: a class absent from the labels (the largest one), and int32 labels
    hot = [t["inputs"] for t in trials["one_hot"]]
    assert any(int(x["y"].max()) < x["K"] - 1 for x in hot)
    assert any(x["y"].dtype == np.int32 for x in hot)
    # softmax: logits beyond exp's overflow at 709
    assert any(np.abs(t["inputs"]["Z"]).max() > 709 for t in trials["softmax"])
    # networks: non-square weights and nonzero biases, one layer and deeper ones
    depths = {len(t["inputs"]["params"]) // 2 for t in trials["model_forward_multiclass"]}
    assert depths == {1, 2, 3}
    # train_classifier: an easy problem, reversed dev labels and an overlapping one; dropout,
    # L2 and non-default betas in some; a smaller last mini-batch
    kinds = [checks._kind(t["inputs"]) for t in trials["train_classifier"]]
    assert kinds == [checks._EASY, checks._REVERSED, checks._NOISY]
    hypers = [t["inputs"]["hyper"] for t in trials["train_classifier"]]
    assert any(h["keep_prob"] < 1 for h in hypers) and all(h["lambd"] > 0 for h in hypers)
    assert any(h["beta1"] != 0.9 and h["beta2"] != 0.999 for h in hypers)
    assert any(t["inputs"]["X_train"].shape[1] % t["inputs"]["hyper"]["mini_batch_size"]
               for t in trials["train_classifier"])
