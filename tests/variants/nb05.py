"""Correct implementations of the notebook 05 exercises that differ from the reference:
other ways to draw the same distribution (other random streams, generators spawned from
rng, one row at a time), loops over flat copies, in-place nudges undone exactly, basis
vectors, parameters packed into one vector, norms in plain Python floats."""
from __future__ import annotations

import math

import numpy as np

from grader.reference.nb01 import initialize_parameters


def zeros_full(layer_dims):
    params = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        params["W" + str(l)] = np.full((n, n_prev), 0.0)
        params["b" + str(l)] = np.zeros((n, 1), dtype=np.float64)
    return params


def zeros_via_scale_zero(layer_dims):
    # notebook 01's initializer with scale 0 (gives -0.0 for negative draws: still zero)
    return initialize_parameters(layer_dims, np.random.default_rng(0), scale=0.0)


def zeros_with_zeros_like(layer_dims):
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros_like(np.empty((layer_dims[l], layer_dims[l - 1])))
        params[f"b{l}"] = np.zeros(layer_dims[l]).reshape(-1, 1)
    return params


def zeros_comprehension(layer_dims):
    shapes = list(zip(layer_dims[1:], layer_dims[:-1]))
    return {key: np.zeros(shape) for l, (n, n_prev) in enumerate(shapes, start=1)
            for key, shape in ((f"W{l}", (n, n_prev)), (f"b{l}", (n, 1)))}


def zeros_fill(layer_dims):
    params = {}
    for l in range(1, len(layer_dims)):
        W, b = np.empty((layer_dims[l], layer_dims[l - 1])), np.empty((layer_dims[l], 1))
        W.fill(0.0)
        b[:] = 0
        params[f"W{l}"], params[f"b{l}"] = W, b
    return params


def _spawned(gain):
    def init(layer_dims, rng):
        # one child generator per layer, spawned from rng: still all from rng
        children = rng.spawn(len(layer_dims) - 1)
        params = {}
        for l, child in enumerate(children, start=1):
            n, n_prev = layer_dims[l], layer_dims[l - 1]
            params[f"W{l}"] = child.standard_normal((n, n_prev)) * math.sqrt(gain / n_prev)
            params[f"b{l}"] = np.zeros((n, 1))
        return params
    init.__name__ = "spawned"
    return init


def _row_by_row(gain):
    def init(layer_dims, rng):
        # every unit's weights drawn on their own, one row at a time
        params = {}
        for l in range(1, len(layer_dims)):
            n, n_prev = layer_dims[l], layer_dims[l - 1]
            rows = [rng.normal(0.0, np.sqrt(gain / n_prev), size=n_prev) for _ in range(n)]
            params[f"W{l}"] = np.stack(rows)
            params[f"b{l}"] = np.zeros(n)[:, None]
        return params
    init.__name__ = "row_by_row"
    return init


def _normal_with(rng, layer_dims, gain, draw):
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        params[f"W{l}"] = draw(rng, n, n_prev, np.sqrt(gain / n_prev))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def _rng_normal(rng, n, n_prev, std):
    return rng.normal(0.0, std, size=(n, n_prev))


def _transposed_draw(rng, n, n_prev, std):
    return (rng.standard_normal((n_prev, n)) / (1 / std)).T.copy()


def _one_big_draw(gain):
    def init(layer_dims, rng):
        # every weight from one draw, then cut into layers: a different stream again
        sizes = [layer_dims[l] * layer_dims[l - 1] for l in range(1, len(layer_dims))]
        pool = rng.standard_normal(sum(sizes))
        params, start = {}, 0
        for l, size in enumerate(sizes, start=1):
            W = pool[start:start + size].reshape(layer_dims[l], layer_dims[l - 1])
            params[f"W{l}"] = W * np.sqrt(gain) / np.sqrt(layer_dims[l - 1])
            params[f"b{l}"] = np.zeros((layer_dims[l], 1))
            start += size
        return params
    init.__name__ = "one_big_draw"
    return init


def he_normal(layer_dims, rng):
    return _normal_with(rng, layer_dims, 2.0, _rng_normal)


def he_transposed_draw(layer_dims, rng):
    return _normal_with(rng, layer_dims, 2.0, _transposed_draw)


def he_via_notebook_01(layer_dims, rng):
    params = {}
    for l in range(1, len(layer_dims)):
        one = initialize_parameters([layer_dims[l - 1], layer_dims[l]], rng,
                                    scale=np.sqrt(2 / layer_dims[l - 1]))
        params[f"W{l}"], params[f"b{l}"] = one["W1"], one["b1"]
    return params


def xavier_normal(layer_dims, rng):
    return _normal_with(rng, layer_dims, 1.0, _rng_normal)


def xavier_divided(layer_dims, rng):
    params = {}
    for l in range(len(layer_dims) - 1, 0, -1):  # last layer first: yet another stream
        params[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def numerical_gradient_nditer(f, x, epsilon=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        x_plus, x_minus = np.copy(x), np.copy(x)
        x_plus[i] = x_plus[i] + epsilon
        x_minus[i] = x_minus[i] - epsilon
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * epsilon)
    return grad


def numerical_gradient_flat(f, x, epsilon=1e-5):
    flat = x.ravel().copy()
    grad = np.empty(flat.size)
    for j in range(flat.size):
        step = np.zeros(flat.size)
        step[j] = epsilon
        grad[j] = 0.5 * (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / epsilon
    return grad.reshape(x.shape)


def numerical_gradient_restored(f, x, epsilon=1e-5):
    # nudges x itself and puts each entry back exactly: x is unchanged afterwards
    grad = np.zeros_like(x)
    for i in np.ndindex(*x.shape):
        old = x[i]
        x[i] = old + epsilon
        up = f(x)
        x[i] = old - epsilon
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * epsilon)
    return grad


def numerical_gradient_basis(f, x, epsilon=1e-5):
    # e_i as an array: 1 at entry i, 0 elsewhere
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = 1.0
        grad[i] = (f(x + epsilon * e) - f(x - epsilon * e)) / (2 * epsilon)
    return grad


def numerical_gradient_unravel(f, x, epsilon=1e-5):
    # a flat index j, turned into the entry's multi-index
    grad = np.zeros(np.shape(x))
    for j in range(np.size(x)):
        i = np.unravel_index(j, np.shape(x))
        x_plus, x_minus = np.array(x, copy=True), np.array(x, copy=True)
        x_plus[i] += epsilon
        x_minus[i] -= epsilon
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * epsilon)
    return grad


def gradient_check_vector(cost_fn, params, grads, epsilon=1e-7):
    # as in the lecture: all parameters into one vector theta, d_theta_approx entry by entry
    keys = [k for k in params]
    shapes = [params[k].shape for k in keys]
    theta = np.concatenate([params[k].ravel() for k in keys])
    d_theta = np.concatenate([grads["d" + k].ravel() for k in keys])

    def as_params(vector):
        out, start = {}, 0
        for k, shape in zip(keys, shapes):
            size = int(np.prod(shape))
            out[k] = vector[start:start + size].reshape(shape)
            start += size
        return out

    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        approx[i] = (cost_fn(as_params(plus)) - cost_fn(as_params(minus))) / (2 * epsilon)
    numerator = np.linalg.norm(d_theta - approx)
    return numerator / (np.linalg.norm(d_theta) + np.linalg.norm(approx))


def gradient_check_per_key_norms(cost_fn, params, grads, epsilon=1e-7):
    # squared norms accumulated key by key (sorted), square roots at the end
    difference = analytic = numeric = 0.0
    for key in sorted(params):
        def cost_of(value, key=key):
            return cost_fn({**params, key: value})
        g_num = numerical_gradient_nditer(cost_of, params[key], epsilon)
        g = grads["d" + key]
        difference += np.sum((g - g_num) ** 2)
        analytic += np.sum(g ** 2)
        numeric += np.sum(g_num ** 2)
    return float(np.sqrt(difference) / (np.sqrt(analytic) + np.sqrt(numeric)))


def gradient_check_python_floats(cost_fn, params, grads, epsilon=1e-7):
    # sums of squares in plain Python floats (math.fsum), entry by entry
    difference, analytic, numeric = [], [], []
    for key, value in params.items():
        for i in np.ndindex(value.shape):
            plus, minus = value.copy(), value.copy()
            plus[i] += epsilon
            minus[i] -= epsilon
            approx = (cost_fn({**params, key: plus}) - cost_fn({**params, key: minus})) / (2 * epsilon)
            exact = float(grads["d" + key][i])
            difference.append((exact - approx) ** 2)
            analytic.append(exact ** 2)
            numeric.append(approx ** 2)
    return math.sqrt(math.fsum(difference)) / (math.sqrt(math.fsum(analytic)) + math.sqrt(math.fsum(numeric)))


VARIANTS = {
    "initialize_parameters_zeros": [zeros_full, zeros_via_scale_zero, zeros_with_zeros_like,
                                    zeros_comprehension, zeros_fill],
    "initialize_parameters_he": [he_normal, he_transposed_draw, he_via_notebook_01, _one_big_draw(2.0),
                                 _spawned(2.0), _row_by_row(2.0)],
    "initialize_parameters_xavier": [xavier_normal, xavier_divided, _one_big_draw(1.0),
                                     _spawned(1.0), _row_by_row(1.0)],
    "numerical_gradient": [numerical_gradient_nditer, numerical_gradient_flat, numerical_gradient_restored,
                           numerical_gradient_basis, numerical_gradient_unravel],
    "gradient_check": [gradient_check_vector, gradient_check_per_key_norms, gradient_check_python_floats],
}
