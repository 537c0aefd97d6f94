"""The reference implementations agree with centred numeric gradients of the forward pass."""
from __future__ import annotations

import numpy as np
import pytest

from grader.reference import nb01
from grader.reference.numeric import numerical_gradient, relative_difference


def test_numerical_gradient_of_interacting_function():
    # f(x) = sum(sin(x0 * x1)) + x^T A x with A not symmetric: partials depend on each other
    A = np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0], [0.0, 1.0, -2.0]])

    def f(x):
        return np.sin(x[0] * x[1]) + x @ A @ x

    x = np.array([0.3, -1.2, 0.7])
    before = x.copy()
    analytic = np.array([np.cos(x[0] * x[1]) * x[1], np.cos(x[0] * x[1]) * x[0], 0.0]) + (A + A.T) @ x
    assert relative_difference(numerical_gradient(f, x), analytic) < 1e-9
    assert np.array_equal(x, before)


def _net(rng, dims, m):
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.2 + 0.3 * rng.standard_normal((dims[l], 1))  # nonzero biases
        X = rng.standard_normal((dims[0], m))
        AL, caches = nb01.model_forward(X, params)
        if all(np.abs(Z).min() > 1e-2 for _, Z in caches):  # away from the ReLU kink
            return X, params, AL, caches


@pytest.mark.parametrize("dims", [[3, 1], [4, 3, 1], [5, 4, 3, 1]])
def test_model_backward_matches_numeric_gradient_of_the_cost(dims):
    rng = np.random.default_rng(len(dims))
    X, params, AL, caches = _net(rng, dims, m=6)
    Y = (rng.random((1, 6)) < 0.5).astype(float)
    grads = nb01.model_backward(AL, Y, caches)
    for key, value in params.items():
        def cost(v, key=key):
            return nb01.compute_cost(nb01.model_forward(X, {**params, key: v})[0], Y)
        assert relative_difference(grads["d" + key], numerical_gradient(cost, value)) < 1e-7, key


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_numeric_gradient(activation):
    rng = np.random.default_rng(7)
    A_prev, W, b = rng.standard_normal((4, 5)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    dA = rng.standard_normal((3, 5))
    _, cache = nb01.linear_activation_forward(A_prev, W, b, activation)
    assert np.abs(cache[1]).min() > 1e-3
    dA_prev, dW, db = nb01.linear_activation_backward(dA, cache, activation)

    def f(A_, W_, b_):
        return np.sum(dA * nb01.linear_activation_forward(A_, W_, b_, activation)[0])

    assert relative_difference(dA_prev, numerical_gradient(lambda a: f(a, W, b), A_prev)) < 1e-7
    assert relative_difference(dW, numerical_gradient(lambda w: f(A_prev, w, b), W) / 5) < 1e-7
    assert relative_difference(db, numerical_gradient(lambda c: f(A_prev, W, c), b) / 5) < 1e-7


def test_sigmoid_is_stable_and_relu_exact():
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is fine
        assert np.allclose(nb01.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
    assert np.array_equal(nb01.relu(np.array([-1.0, 2.0])), [0.0, 2.0])


def test_update_parameters_returns_new_arrays():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    new = nb01.update_parameters(params, {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1))}, 0.5)
    assert np.array_equal(params["W1"], np.ones((2, 2)))
    assert np.array_equal(new["W1"], np.full((2, 2), 0.5))
