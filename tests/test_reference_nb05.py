"""Notebook 05: the references, the functions the checks build, and the notebook's claims
(the deep linear network, initialization statistics, symmetry, gradient checking)."""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks import SPECS
from grader.checks import nb05 as checks
from grader.reference import nb01, nb05, numeric
from grader.reference.numeric import relative_difference


def test_numeric_helpers_are_the_courses_one_copy():
    assert nb05.numerical_gradient is numeric.numerical_gradient


def _rms(M):
    return float(np.sqrt(np.mean(M ** 2)))


# -- the functions the checks differentiate -------------------------------------------------

ANALYTIC = {
    "v.T @ A @ v + c @ v, v = x.ravel()":
        lambda x, i: ((i["A"] + i["A"].T) @ x.ravel() + i["c"]).reshape(x.shape),
    "sum(sin(x[0] * x[1]) + x[0]**2 * x[1])":
        lambda x, i: np.stack([np.cos(x[0] * x[1]) * x[1] + 2 * x[0] * x[1],
                               np.cos(x[0] * x[1]) * x[0] + x[0] ** 2]),
    "log(sum(exp(M @ x + d)))":
        lambda x, i: i["M"].T @ _softmax(i["M"] @ x + i["d"]),
}


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@pytest.mark.parametrize("i", range(12))
def test_check_functions_have_the_gradients_they_claim(i):
    """The trial functions are what their names say: the reference's numeric gradient (with
    a small epsilon) agrees with the analytic one, and the network cost with backprop."""
    inputs = SPECS["numerical_gradient"].make_inputs(np.random.default_rng(i), i)
    f, x = checks._function(inputs), inputs["x"]
    numeric_grad = nb05.numerical_gradient(f, x, 1e-6)
    if inputs["f"] in ANALYTIC:
        exact = ANALYTIC[inputs["f"]](x, inputs)
    else:
        X, Y, params = inputs["X"], inputs["Y"], inputs["params"]
        AL, caches = nb01.model_forward(X, params)
        exact = nb01.model_backward(AL, Y, caches)["dW1"]
    assert numeric_grad.shape == x.shape
    assert relative_difference(numeric_grad, exact) < 1e-8


def test_network_cost_of_the_checks_is_notebook_01s():
    X, Y, params = checks._small_network(np.random.default_rng(0), [3, 4, 2, 1], m=6)
    AL, _ = nb01.model_forward(X, params)
    assert np.isclose(checks._network_cost(params, X, Y), nb01.compute_cost(AL, Y), rtol=1e-12)
    l2 = sum(np.sum(W ** 2) for k, W in params.items() if k[0] == "W")
    assert np.isclose(checks._network_cost(params, X, Y, 0.5),
                      nb01.compute_cost(AL, Y) + 0.5 / 12 * l2, rtol=1e-12)


def test_one_sided_differences_are_visibly_wrong_on_the_public_trials():
    """A forward difference fails every public trial, not only those with a large epsilon."""
    spec = SPECS["numerical_gradient"]
    for i in range(spec.n_public):
        inputs = spec.make_inputs(np.random.default_rng(0), i)
        f, x, eps = checks._function(inputs), inputs["x"], inputs.get("epsilon", 1e-5)
        centred = nb05.numerical_gradient(f, x, eps)
        forward = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            x_plus = x.copy()
            x_plus[j] += eps
            forward[j] = (f(x_plus) - f(x)) / eps
        assert not np.allclose(forward, centred, rtol=spec.rtol, atol=spec.atol)


def test_gradient_check_expected_values_are_never_rounding_noise():
    """Right gradients are checked with epsilon >= 5e-3 only, where the truncation error,
    not rounding, sets the value: implementations that round differently agree closely."""
    from tests.variants.nb05 import gradient_check_per_key_norms, gradient_check_vector

    spec = SPECS["gradient_check"]
    rng = np.random.default_rng(1)
    for i in range(30):
        args = spec.arguments(spec.make_inputs(rng, i))
        value = nb05.gradient_check(**args)
        assert value > 1e-7, (i, value)
        for variant in (gradient_check_vector, gradient_check_per_key_norms):
            assert np.isclose(variant(**args), value, rtol=spec.rtol / 10, atol=0), (i, variant)


# -- section 1: the deep linear network -------------------------------------------------------


@pytest.mark.parametrize("c", [1.5, 0.5])
def test_deep_linear_network_activations_and_gradients_scale_as_c_to_the_depth(c):
    L = 30
    W = [None] + [c * np.eye(2)] * (L - 1) + [np.ones((1, 2))]
    a = [np.ones((2, 1))]
    for l in range(1, L + 1):
        a.append(W[l] @ a[l - 1])
    for l in range(1, L):
        assert np.allclose(a[l], c ** l)
    assert np.isclose(a[L][0, 0], 2 * c ** (L - 1))               # y = W[L] c^(L-1) x
    da = np.ones((1, 1))
    for l in range(L, 1, -1):
        da = W[l].T @ da
    assert np.isclose(np.linalg.norm(da @ a[0].T), 2 * c ** (L - 2))   # |dy/dW[1]|


# -- section 2: initialization -----------------------------------------------------------------


def test_initializers_variance_per_layer():
    dims = [300, 200, 100, 50]
    for init, gain in [(nb05.initialize_parameters_he, 2.0), (nb05.initialize_parameters_xavier, 1.0)]:
        params = init(dims, np.random.default_rng(0))
        for l in range(1, len(dims)):
            W = params[f"W{l}"]
            assert W.shape == (dims[l], dims[l - 1])
            assert abs(np.var(W) * dims[l - 1] / gain - 1) < 0.05
            assert not params[f"b{l}"].any() and params[f"b{l}"].shape == (dims[l], 1)
    zeros = nb05.initialize_parameters_zeros(dims)
    assert all(not v.any() and v.dtype == np.float64 for v in zeros.values())


def test_a_dict_with_keys_of_mixed_types_gets_a_message_not_a_crash():
    """The key listing in a failure message sorts keys by repr: 1 and "W1" do not compare."""
    from grader import CheckFailed, check

    def mixed_keys(layer_dims, rng):
        params = nb05.initialize_parameters_he(layer_dims, rng)
        params[1] = params.pop("W1")
        return params

    with pytest.raises(CheckFailed, match="has no key 'W1'"):
        check("initialize_parameters_he", mixed_keys)

    def extra_int_key(layer_dims, rng):
        return {**nb05.initialize_parameters_he(layer_dims, rng), 0: np.zeros(1)}

    with pytest.raises(CheckFailed, match="unexpected keys"):
        check("initialize_parameters_he", extra_int_key)


def test_public_trials_hold_enough_weights_to_see_the_tails():
    """The kurtosis test catches a truncated normal (Keras's he_normal: kurtosis 2.37) from
    about 3000 weights on: the first public trial has that many, so the public check fails it."""
    from grader import store

    trials = store.load(store.path_for("05-vanishing-gradients"))["initialize_parameters_he"]
    dims = trials[0]["inputs"]["layer_dims"]
    k = sum(a * b for a, b in zip(dims[:-1], dims[1:]))
    assert 3 - 5 * np.sqrt(24 / k) > 2.37 + 5 * 0.035


def test_kurtosis_bound_holds_for_normal_draws_of_the_public_sizes():
    """5 standard errors below 3: normal draws of the public trials' sizes stay above it."""
    rng = np.random.default_rng(1)
    for k in (1500, 3620, 4150):
        z = rng.standard_normal((1000, k))
        kurtosis = np.mean(z ** 4, axis=1) / np.mean(z ** 2, axis=1) ** 2
        assert kurtosis.min() > 3 - 5 * np.sqrt(24 / k)


def _deep_forward(params, X, g):
    A = [X]
    L = len(params) // 2
    for l in range(1, L):
        A.append(g(params[f"W{l}"] @ A[-1] + params[f"b{l}"]))
    return A


@pytest.mark.parametrize("hidden, right", [("relu", nb05.initialize_parameters_he),
                                           ("tanh", nb05.initialize_parameters_xavier)])
def test_the_right_initialization_keeps_activations_and_the_others_do_not(hidden, right):
    """The notebook's figure: 10 hidden layers of 64 units at initialization."""
    g = {"relu": lambda Z: np.maximum(0, Z), "tanh": np.tanh}[hidden]
    X = np.random.default_rng(0).standard_normal((64, 96))
    dims = [64] + [64] * 10 + [1]
    kept = _deep_forward(right(dims, np.random.default_rng(1)), X, g)
    assert 0.1 < _rms(kept[10]) / _rms(kept[1]) < 2
    small = _deep_forward(nb01.initialize_parameters(dims, np.random.default_rng(1), 0.01), X, g)
    assert _rms(small[10]) < 1e-9
    large = _deep_forward(nb01.initialize_parameters(dims, np.random.default_rng(1), 1.0), X, g)
    if hidden == "relu":
        assert _rms(large[10]) > 1e6
    else:                                            # saturated: almost every |a| near 1
        assert np.mean(np.abs(large[10]) > 0.9) > 0.75


def _digits(n_train=300):
    from grader.datasets import load_digits

    X, digit = load_digits()
    Y = (digit % 2 == 0).astype(float).reshape(1, -1)
    order = np.random.default_rng(5).permutation(X.shape[1])
    train = order[:n_train]
    mu, sigma = X[:, train].mean(axis=1, keepdims=True), X[:, train].std(axis=1, keepdims=True)
    sigma[sigma == 0] = 1.0
    return (X[:, train] - mu) / sigma, Y[:, train]


def _train(params, X, Y, learning_rate, steps):
    costs = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            AL, caches = nb01.model_forward(X, params)
            ZL = caches[-1][1]
            costs.append(float(np.mean(np.logaddexp(0, ZL) - Y * ZL)))
            params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), learning_rate)
    return params, np.array(costs)


def test_symmetric_starts_keep_the_units_of_a_layer_identical():
    X, Y = _digits()
    dims = [64, 8, 8, 1]
    zeros, costs = _train(nb05.initialize_parameters_zeros(dims), X, Y, 0.1, 60)
    assert not zeros["W1"].any() and not zeros["W2"].any() and not zeros["W3"].any()
    assert zeros["b3"].any()                                   # only the output bias learns
    assert abs(costs[-1] - np.log(2)) < 0.01
    constant = {k: np.full_like(v, 0.1 if k[0] == "W" else 0.0)
                for k, v in nb05.initialize_parameters_zeros(dims).items()}
    trained, _ = _train(constant, X, Y, 0.1, 60)
    assert np.array_equal(trained["W1"], np.broadcast_to(trained["W1"][0], trained["W1"].shape))
    assert not np.allclose(trained["W1"], 0.1)                 # it did move


def test_training_curves_tell_the_notebooks_story():
    X, Y = _digits()
    dims = [64] + [20] * 8 + [1]
    final = {}
    for name, params in {
        "zeros": nb05.initialize_parameters_zeros(dims),
        "small": nb01.initialize_parameters(dims, np.random.default_rng(2), 0.01),
        "large": nb01.initialize_parameters(dims, np.random.default_rng(2), 1.0),
        "xavier": nb05.initialize_parameters_xavier(dims, np.random.default_rng(2)),
        "he": nb05.initialize_parameters_he(dims, np.random.default_rng(2)),
    }.items():
        _, costs = _train(params, X, Y, 0.1, 300)
        final[name] = costs
    for stuck in ("zeros", "small"):
        assert abs(final[stuck][-1] - np.log(2)) < 0.01, stuck
    # exploding: an enormous first cost, then dead units (the plateau) or overflow (nan)
    large = final["large"]
    assert large[0] > 1e3 and (np.isnan(large[-1]) or abs(large[-1] - np.log(2)) < 0.01)
    assert final["xavier"][30] > 0.6 and final["he"][30] < 0.3     # Xavier's plateau, He at work
    assert final["he"][-1] < 0.01 and final["he"][-1] < final["xavier"][-1] < 0.1


# -- section 3: gradient checking --------------------------------------------------------------


def _net():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((4, 10))
    Y = (rng.random((1, 10)) < 0.5).astype(float)
    params = nb05.initialize_parameters_he([4, 5, 3, 1], rng)
    params = {k: v + 0.1 * rng.standard_normal(v.shape) if k[0] == "b" else v for k, v in params.items()}
    cost = lambda p: nb01.compute_cost(nb01.model_forward(X, p)[0], Y)  # noqa: E731
    AL, caches = nb01.model_forward(X, params)
    return X, Y, params, cost, nb01.model_backward(AL, Y, caches)


def test_gradient_check_thresholds_as_the_notebook_says():
    X, Y, params, cost, grads = _net()
    assert nb05.gradient_check(cost, params, grads) < 1e-7
    m = X.shape[1]
    assert nb05.gradient_check(cost, params, {**grads, "db2": grads["db2"] * m}) > 1e-3
    assert nb05.gradient_check(cost, params, {**grads, "dW1": -grads["dW1"]}) > 1e-3
    assert 1e-5 < nb05.gradient_check(cost, params, {k: 1.001 * v for k, v in grads.items()}) < 1e-3


def test_relu_kink_fools_the_check_only_within_epsilon():
    X, Y, params, cost, _ = _net()
    Z1 = params["W1"] @ X + params["b1"]
    unit, example = np.unravel_index(np.argmin(np.abs(Z1)), Z1.shape)
    found = {}
    for delta in (1e-9, 1e-5):
        p = {**params, "b1": params["b1"].copy()}
        p["b1"][unit] += delta - Z1[unit, example]
        AL, caches = nb01.model_forward(X, p)
        found[delta] = nb05.gradient_check(cost, p, nb01.model_backward(AL, Y, caches), 1e-7)
    assert found[1e-9] > 1e-3 and found[1e-5] < 1e-7


def test_centred_differences_error_is_order_epsilon_squared():
    f = lambda x: np.sin(x[0] * x[1]) + x[0] ** 2 * x[1]  # noqa: E731
    x = np.array([0.8, -1.3])
    exact = np.array([np.cos(x[0] * x[1]) * x[1] + 2 * x[0] * x[1], np.cos(x[0] * x[1]) * x[0] + x[0] ** 2])
    errors = [np.abs(nb05.numerical_gradient(f, x, e) - exact).max() for e in (1e-2, 1e-3)]
    assert 50 < errors[0] / errors[1] < 200                    # 10x smaller step, 100x smaller error
    before = x.copy()
    nb05.numerical_gradient(f, x)
    assert np.array_equal(x, before)


# -- the contract's edges that only hidden trials reach ------------------------------------


def _public_only_passes_and_hidden_rejects(exercise_id, fn, expect):
    from grader import CheckFailed, check

    check(exercise_id, fn)  # the public trials do not reach this edge
    with pytest.raises(CheckFailed) as failure:
        check(exercise_id, fn, hidden=True)
    assert expect in str(failure.value)


def test_a_transposed_x_catches_writes_into_a_ravelled_copy():
    """grad.ravel() is a view of a C-contiguous grad only: for a transposed x (and
    np.zeros_like(x) keeps its order) the writes go into a copy and grad stays 0."""
    def via_ravel(f, x, epsilon=1e-5):
        grad = np.zeros_like(x)
        flat_grad = grad.ravel()
        for j in range(x.size):
            i = np.unravel_index(j, x.shape)
            x_plus, x_minus = x.copy(), x.copy()
            x_plus[i] += epsilon
            x_minus[i] -= epsilon
            flat_grad[j] = (f(x_plus) - f(x_minus)) / (2 * epsilon)
        return grad

    _public_only_passes_and_hidden_rejects("numerical_gradient", via_ravel, "has wrong values")


def test_params_of_one_array_catch_a_check_that_counts_layers():
    """Section 3 checks one parameter array at a time ({"b2": ...}): a gradient_check that
    builds the keys W1 ... bL from len(params) // 2 finds none there."""
    def counts_layers(cost_fn, params, grads, epsilon=1e-7):
        g, g_num = [], []
        for l in range(1, len(params) // 2 + 1):
            for key in (f"W{l}", f"b{l}"):
                g_num.append(nb05.numerical_gradient(
                    lambda v, key=key: cost_fn({**params, key: v}), params[key], epsilon).ravel())
                g.append(grads["d" + key].ravel())
        return relative_difference(np.concatenate(g), np.concatenate(g_num))

    _public_only_passes_and_hidden_rejects("gradient_check", counts_layers, "need at least one array")
