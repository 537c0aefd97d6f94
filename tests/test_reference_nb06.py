"""Notebook 06: the reference optimizers and the claims the notebook makes about them.

The generic tests (test_checks.py) already run every check against the reference, the
variants and the mistake catalogue. These tests cover what they do not: the lecture's
numbers, the properties the notebook derives (bias correction, E[s_t], AdaGrad's 1/sqrt(t),
Adam's first step, PyTorch's momentum), the stability limits and outcomes it states for its
2-D surfaces, the false-positive rate of the statistical checks, and that the stored public
trials exercise what they are meant to.
"""
from __future__ import annotations

import numpy as np
import pytest

from grader import CheckFailed, check, store
from grader.checks import SPECS
from grader.checks.nb06 import _mini_batch_properties
from grader.reference import nb06
from grader.reference.nb01 import update_parameters

# -- exponentially weighted averages -----------------------------------------------------


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.98])
def test_bias_correction_makes_a_constant_series_exact(beta):
    values = np.full(30, 7.0)
    t = np.arange(1, 31)
    assert np.allclose(nb06.ewma(values, beta), 7.0, rtol=1e-12)
    assert np.allclose(nb06.ewma(values, beta, bias_correction=False), 7.0 * (1 - beta**t), rtol=1e-12)


def test_ewma_is_the_unrolled_weighted_sum():
    rng = np.random.default_rng(0)
    values, beta = rng.standard_normal(25), 0.8
    for t in range(1, 26):
        weights = (1 - beta) * beta ** (t - np.arange(1, t + 1))
        assert np.isclose(nb06.ewma(values, beta, False)[t - 1], weights @ values[:t])
        assert np.isclose(weights.sum(), 1 - beta**t)  # the sum of the weights


def test_one_over_one_minus_beta_values_carry_about_two_thirds_of_the_weight():
    # the notebook: "the last 10 values carry 1 - 0.9^10 = 65% of the weight"
    assert round(1 - 0.9**10, 2) == 0.65
    assert abs(0.9**10 - np.exp(-1)) < 0.02  # beta^(1 / (1 - beta)) is about 1/e


def test_ewma_at_the_edges_of_its_contract():
    # beta = 0: no averaging; one value: one average; whole numbers: float averages
    values = np.array([3.0, -1.0, 4.0])
    assert np.array_equal(nb06.ewma(values, 0.0), values)
    assert np.array_equal(nb06.ewma(values, 0.0, bias_correction=False), values)
    assert nb06.ewma(np.array([5.0]), 0.9).shape == (1,) and np.isclose(nb06.ewma(np.array([5.0]), 0.9)[0], 5.0)
    assert nb06.ewma(np.array([1, 2]), 0.5).dtype == np.float64
    assert np.allclose(nb06.ewma(np.array([1, 2]), 0.5, False), [0.5, 1.25])
    # a long series: beta**t underflows, the correction fades out, everything stays finite
    long = nb06.ewma(np.full(1500, 2.0), 0.5)
    assert np.all(np.isfinite(long)) and np.allclose(long, 2.0)


# -- RMSprop, AdaGrad, Adam ---------------------------------------------------------------


def test_rmsprop_expectation_of_s_is_the_mean_square_times_one_minus_beta_t():
    rng = np.random.default_rng(6)
    n, beta = 20_000, 0.9
    params = {"W1": np.zeros((n, 1)), "b1": np.zeros((n, 1))}
    s = nb06.initialize_velocity(params)
    for t in range(1, 41):
        g = rng.normal(0.5, 1.0, size=(n, 1))
        params, s = nb06.update_parameters_with_rmsprop(params, {"dW1": g, "db1": g}, s, beta, 0.01)
        standard_error = s["dW1"].std() / np.sqrt(n)
        assert abs(s["dW1"].mean() - 1.25 * (1 - beta**t)) < 5 * standard_error


def test_adagrad_steps_shrink_like_one_over_root_t():
    point = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}
    s = nb06.initialize_velocity(point)
    grads = {"dW1": np.full((1, 1), 3.0), "db1": np.full((1, 1), -0.5)}
    for t in range(1, 101):
        new, s = nb06.update_parameters_with_adagrad(point, grads, s, 0.1, epsilon=0.0)
        # constant gradient g: s = t g^2, so the step is alpha sign(g) / sqrt(t)
        assert np.isclose(new["W1"][0, 0], -0.1 / np.sqrt(t))
        assert np.isclose(new["b1"][0, 0], 0.1 / np.sqrt(t))


def test_adam_first_step_is_alpha_times_the_sign_whatever_the_scale():
    point = {"W1": np.zeros((1, 3)), "b1": np.zeros((1, 1))}
    v, s = nb06.initialize_adam(point)
    grads = {"dW1": np.array([[1e-4, 1.0, -1e4]]), "db1": np.array([[3.0]])}
    new, v, s = nb06.update_parameters_with_adam(point, grads, v, s, t=1, learning_rate=0.01)
    assert np.allclose(new["W1"], [[-0.01, -0.01, 0.01]], rtol=1e-3)
    # returned state is the uncorrected average; without the correction the step is 3.16 alpha
    assert np.allclose(v["dW1"], 0.1 * grads["dW1"]) and np.allclose(s["dW1"], 0.001 * grads["dW1"] ** 2)
    assert np.isclose(0.1 / np.sqrt(0.001), 3.16, atol=0.01)


def test_adam_with_bias_correction_equals_the_papers_efficient_form():
    rng = np.random.default_rng(1)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal((3, 1))}
    v, s = nb06.initialize_adam(params)
    efficient, ve, se = dict(params), dict(v), dict(s)
    for t in range(1, 30):
        grads = {k: rng.standard_normal(p.shape) for k, p in v.items()}
        params, v, s = nb06.update_parameters_with_adam(params, grads, v, s, t, 0.01, epsilon=0.0)
        ve = {d: 0.9 * ve[d] + 0.1 * grads[d] for d in ve}
        se = {d: 0.999 * se[d] + 0.001 * grads[d] ** 2 for d in se}
        step = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        efficient = {k: w - step * ve["d" + k] / np.sqrt(se["d" + k]) for k, w in efficient.items()}
    assert all(np.allclose(params[k], efficient[k], rtol=1e-10) for k in params)


def test_pytorch_momentum_with_learning_rate_alpha_times_one_minus_beta_is_the_lectures():
    rng = np.random.default_rng(8)
    alpha, beta = 0.1, 0.9
    lecture = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1))}
    pytorch = {k: w.copy() for k, w in lecture.items()}
    v = buffer = nb06.initialize_velocity(lecture)
    for _ in range(50):
        grads = {"dW1": rng.standard_normal((3, 2)), "db1": rng.standard_normal((3, 1))}
        lecture, v = nb06.update_parameters_with_momentum(lecture, grads, v, beta, alpha)
        buffer = {d: beta * buffer[d] + grads[d] for d in buffer}  # v = beta v + dW, from zero
        pytorch = {k: w - alpha * (1 - beta) * buffer["d" + k] for k, w in pytorch.items()}
    assert all(np.allclose(lecture[k], pytorch[k], rtol=1e-12, atol=1e-12) for k in lecture)


@pytest.mark.parametrize("update, state", [
    (lambda p, g, st: nb06.update_parameters_with_momentum(p, g, st, 0.9, 0.1), "v"),
    (lambda p, g, st: nb06.update_parameters_with_rmsprop(p, g, st, 0.9, 0.1), "s"),
    (lambda p, g, st: nb06.update_parameters_with_adagrad(p, g, st, 0.1), "s"),
])
def test_first_step_from_zero_state_goes_downhill_and_extra_grads_keys_are_ignored(update, state):
    rng = np.random.default_rng(2)
    params = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((2, 1))}
    grads = {"dW1": rng.standard_normal((2, 3)), "db1": rng.standard_normal((2, 1)), "dA0": np.ones(5)}
    new, st = update(params, grads, nb06.initialize_velocity(params))
    assert set(st) == {"dW1", "db1"}
    for k in params:
        assert np.all(np.sign(new[k] - params[k]) == -np.sign(grads["d" + k]))


@pytest.mark.parametrize("update, states", [
    (lambda p, g, st: nb06.update_parameters_with_rmsprop(p, g, *st, 0.9, 0.1), 1),
    (lambda p, g, st: nb06.update_parameters_with_adagrad(p, g, *st, 0.1), 1),
    (lambda p, g, st: nb06.update_parameters_with_adam(p, g, *st, 1, 0.1), 2),
])
def test_a_dead_unit_stays_put_without_0_over_0(update, states):
    params = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1))}
    grads = {"dW1": np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 1e-7]]), "db1": np.array([[0.0], [3.0]])}
    state = nb06.initialize_adam(params)[:states]
    with np.errstate(all="raise"):  # no 0 / 0 anywhere
        new = update(params, grads, state)[0]
    assert np.array_equal(new["W1"][0], params["W1"][0]) and new["b1"][0, 0] == 1.0
    assert np.all(new["W1"][1] != params["W1"][1])


def test_adam_late_in_training_is_uncorrected():
    rng = np.random.default_rng(3)
    params = {"W1": rng.standard_normal((2, 2)), "b1": rng.standard_normal((2, 1))}
    grads = {"d" + k: rng.standard_normal(p.shape) for k, p in params.items()}
    v = {d: rng.standard_normal(g.shape) for d, g in grads.items()}
    s = {d: g**2 + 0.1 for d, g in grads.items()}
    late = nb06.update_parameters_with_adam(params, grads, v, s, 10**7, 0.01, 0.9, 0.999, 1e-8)
    new_v = {d: 0.9 * v[d] + 0.1 * grads[d] for d in v}
    new_s = {d: 0.999 * s[d] + 0.001 * grads[d] ** 2 for d in s}
    plain = {k: w - 0.01 * new_v["d" + k] / (np.sqrt(new_s["d" + k]) + 1e-8) for k, w in params.items()}
    assert all(np.allclose(late[0][k], plain[k], rtol=1e-12) for k in params)


def test_learning_rate_decay_gives_the_lectures_table():
    # alpha_0 = 0.2, decay_rate = 1: epochs 0..4 -> 0.2, 0.1, 0.067, 0.05, 0.04
    rates = [nb06.learning_rate_decay(0.2, epoch, 1.0) for epoch in range(5)]
    assert np.allclose(rates, [0.2, 0.1, 0.2 / 3, 0.05, 0.04])
    assert nb06.learning_rate_decay(0.2, 50, 0.0) == 0.2  # decay_rate = 0: no decay


# -- mini-batches ---------------------------------------------------------------------------


@pytest.mark.parametrize("m, size, sizes", [(148, 64, [64, 64, 20]), (20, 6, [6, 6, 6, 2]),
                                            (128, 64, [64, 64]), (5, 10, [5])])
def test_mini_batch_sizes_of_the_notebooks_examples(m, size, sizes):
    X, Y = np.arange(2.0 * m).reshape(2, m), np.arange(m, dtype=float).reshape(1, m)
    batches = nb06.random_mini_batches(X, Y, size, np.random.default_rng(0))
    assert [b[0].shape[1] for b in batches] == sizes
    columns = np.concatenate([b[0] for b in batches], axis=1)
    labels = np.concatenate([b[1] for b in batches], axis=1)
    assert sorted(columns[1] - m) == list(range(m)) and np.array_equal(columns[1] - m, labels[0])


def test_statistical_mini_batch_checks_accept_a_correct_shuffle_every_time():
    """The rank-correlation (5 standard errors), neighbour (> 10) and per-batch (a batch of 5
    or more in its original place) bounds: no false alarm in 400 independent shuffles, at the
    smallest m the checks use."""
    from grader.checking import Trial

    spec = SPECS["random_mini_batches"]
    rng = np.random.default_rng(99)
    for _ in range(400):
        inputs = {"X": rng.standard_normal((2, 50)), "Y": rng.standard_normal((1, 50)),
                  "mini_batch_size": int(rng.integers(1, 60)),
                  "rng": np.random.default_rng(int(rng.integers(2**31)))}
        trial = Trial(spec, nb06.random_mini_batches, inputs, "test")
        trial.got = trial.call()
        _mini_batch_properties(trial)


def test_a_last_batch_left_unshuffled_is_caught_where_the_pooled_statistics_miss_it():
    from grader.checking import Trial
    from grader.compare import Mismatch
    from grader.reference.mistakes.nb06 import _batches_complete_ones_shuffled

    spec = SPECS["random_mini_batches"]
    rng = np.random.default_rng(5)
    for m, size in [(60, 11), (75, 32), (100, 19)]:  # last batches of 5, 11 and 5
        inputs = {"X": rng.standard_normal((2, m)), "Y": rng.standard_normal((1, m)),
                  "mini_batch_size": size, "rng": np.random.default_rng(int(rng.integers(2**31)))}
        trial = Trial(spec, _batches_complete_ones_shuffled, inputs, "test")
        trial.got = trial.call()
        with pytest.raises(Mismatch, match="the last batch is not shuffled"):
            _mini_batch_properties(trial)


# -- the checks: sequences of calls ---------------------------------------------------------


def test_update_checks_feed_back_what_the_student_returned():
    calls = []

    def spy(params, grads, v, beta, learning_rate):
        calls.append(v)
        return nb06.update_parameters_with_momentum(params, grads, v, beta, learning_rate)

    check("update_parameters_with_momentum", spy)
    first_trial = store.load(store.path_for("06-optimizers"))["update_parameters_with_momentum"][0]
    n = len(first_trial["inputs"]["grads"])
    assert n >= 3
    # call 2 received the v that call 1 returned
    expected_v1 = first_trial["expected"][0][1]
    assert all(np.allclose(calls[1][k], expected_v1[k]) for k in expected_v1)


def test_a_state_that_cannot_be_fed_back_is_reported_at_its_call():
    with pytest.raises(CheckFailed, match="in call 1 of 4"):
        check("update_parameters_with_adam",
              lambda params, grads, v, s, t, **kw: (params, v))  # too few values
    with pytest.raises(CheckFailed, match="did you forget `return`"):
        check("update_parameters_with_adam", lambda params, grads, v, s, t, **kw: None)


def test_stored_public_trials_exercise_what_they_should():
    trials = store.load(store.path_for("06-optimizers"))
    adam = trials["update_parameters_with_adam"]
    assert "learning_rate" not in adam[0]["inputs"]                                  # defaults
    assert adam[0]["inputs"]["t"] > 1                                                # mid-training
    assert adam[1]["inputs"]["t"] == 1                                               # fresh
    assert all(not np.any(v) for v in adam[1]["inputs"]["v"].values())
    momentum = trials["update_parameters_with_momentum"]
    assert any(np.any(v) for v in momentum[0]["inputs"]["v"].values())              # see checks/nb06
    for exercise in ("update_parameters_with_momentum", "update_parameters_with_rmsprop",
                     "update_parameters_with_adagrad", "update_parameters_with_adam"):
        inputs = [t["inputs"] for t in trials[exercise]]
        assert all(len(i["grads"]) >= 3 for i in inputs)                             # sequences
        assert any("dA0" in i["grads"][0] for i in inputs)                           # extra keys
        tiny = min(np.abs(g).min() for i in inputs for g in i["grads"][0].values())
        assert tiny < 1e-4                                                           # epsilon matters
    assert any("epsilon" in t["inputs"] for t in trials["update_parameters_with_rmsprop"])
    sizes = [(t["inputs"]["X"].shape[1], t["inputs"]["mini_batch_size"]) for t in trials["random_mini_batches"]]
    assert any(m % k == 0 for m, k in sizes) and any(m % k for m, k in sizes)
    assert {t["inputs"].get("bias_correction", True) for t in trials["ewma"]} == {True, False}
    assert any(t["inputs"]["epoch"] == 0 for t in trials["learning_rate_decay"])


# -- the 2-D surfaces of sections 3 and 7 ------------------------------------------------------


def _path(optimizer, gradient, start, learning_rate, beta=0.9, num_steps=100):
    """The notebook's optimizer_path, with the reference functions."""
    params = {"W1": np.array([[float(start[0])]]), "b1": np.array([[float(start[1])]])}
    v = s = nb06.initialize_velocity(params)
    points = [start]
    with np.errstate(all="ignore"):
        for t in range(1, num_steps + 1):
            gx, gy = gradient(params["W1"][0, 0], params["b1"][0, 0])
            grads = {"dW1": np.array([[gx]]), "db1": np.array([[gy]])}
            if optimizer == "gradient descent":
                params = update_parameters(params, grads, learning_rate)
            elif optimizer == "momentum":
                params, v = nb06.update_parameters_with_momentum(params, grads, v, beta, learning_rate)
            elif optimizer == "RMSprop":
                params, s = nb06.update_parameters_with_rmsprop(params, grads, s, beta, learning_rate)
            elif optimizer == "AdaGrad":
                params, s = nb06.update_parameters_with_adagrad(params, grads, s, learning_rate)
            else:
                params, v, s = nb06.update_parameters_with_adam(params, grads, v, s, t, learning_rate, beta1=beta)
            points.append((params["W1"][0, 0], params["b1"][0, 0]))
    return np.array(points)


def bowl(x, y):
    return 0.5 * (x**2 + 25 * y**2)


def bowl_gradient(x, y):
    return x, 25 * y


def banana(x, y):
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def banana_gradient(x, y):
    return -2 * (1 - x) - 40 * x * (y - x**2), 20 * (y - x**2)


def _final(f, path):
    with np.errstate(all="ignore"):
        value = f(*path[-1])
    return value if np.isfinite(value) else np.inf


def test_gradient_descent_on_the_bowl_diverges_just_above_2_over_25():
    assert _final(bowl, _path("gradient descent", bowl_gradient, (-4.0, 1.0), 0.079, num_steps=400)) < 1e-3
    assert _final(bowl, _path("gradient descent", bowl_gradient, (-4.0, 1.0), 0.081, num_steps=400)) > 10


def test_momentum_on_the_bowl_survives_learning_rates_up_to_about_one_and_a_half():
    # heavy ball with step alpha (1 - beta): stable while alpha (1 - beta) 25 < 2 (1 + beta)
    assert _final(bowl, _path("momentum", bowl_gradient, (-4.0, 1.0), 1.45, num_steps=3000)) < 1e-3
    assert _final(bowl, _path("momentum", bowl_gradient, (-4.0, 1.0), 1.6, num_steps=3000)) > 10


def test_gradient_descent_zigzags_and_momentum_does_not_at_0_075():
    gd = _path("gradient descent", bowl_gradient, (-4.0, 1.0), 0.075, num_steps=60)
    momentum = _path("momentum", bowl_gradient, (-4.0, 1.0), 0.075, num_steps=60)
    assert np.all(np.diff(np.sign(gd[1:, 1])) != 0)           # y flips sign at every step
    assert np.mean(np.diff(np.sign(momentum[1:, 1])) != 0) < 0.3


def test_the_banana_outcomes_the_notebook_describes():
    rates = {"gradient descent": 0.01, "momentum": 0.05, "RMSprop": 0.02, "AdaGrad": 0.3, "Adam": 0.1}
    final = {o: _final(banana, _path(o, banana_gradient, (-1.5, 2.5), r, num_steps=200)) for o, r in rates.items()}
    assert final["momentum"] < 1e-5 and final["Adam"] < 1e-5          # reach the minimum
    assert final["gradient descent"] > 0.1                             # crawls along the floor
    assert final["AdaGrad"] == max(final.values())                     # stalls
    bowl_rates = {"gradient descent": 0.075, "momentum": 0.075, "RMSprop": 0.05, "AdaGrad": 0.5, "Adam": 0.1}
    on_bowl = {o: _final(bowl, _path(o, bowl_gradient, (-4.0, 1.0), r, num_steps=60)) for o, r in bowl_rates.items()}
    assert on_bowl["gradient descent"] == min(on_bowl.values())         # hard to beat on a quadratic
