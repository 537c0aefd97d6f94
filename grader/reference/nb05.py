"""Reference implementations, notebook 05: initialization and gradient checking.

Conventions: examples are columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
The numeric gradient is the course's one helper, ``grader.reference.numeric``: this
module re-exports it rather than keeping a second copy.
"""
from __future__ import annotations

import numpy as np

from .numeric import numerical_gradient, relative_difference

__all__ = [
    "initialize_parameters_zeros", "initialize_parameters_he", "initialize_parameters_xavier",
    "numerical_gradient", "gradient_check",
]


def initialize_parameters_zeros(layer_dims):
    """layer_dims: [n_0, ..., n_L] -> {"W1": (n_1, n_0), "b1": (n_1, 1), ...}, all zeros."""
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = np.zeros((layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def _scaled_normal(layer_dims, rng, gain):
    # Var(W[l]) = gain / n_{l-1}: each unit sums n_{l-1} inputs, so this keeps Var(Z[l])
    # at gain * E[A[l-1]^2], independent of the layer's width.
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(gain / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def initialize_parameters_he(layer_dims, rng):
    """layer_dims: [n_0, ..., n_L] -> params with W[l]: (n_l, n_{l-1}) ~ N(0, 2 / n_{l-1}), b[l]: (n_l, 1) = 0."""
    return _scaled_normal(layer_dims, rng, 2.0)


def initialize_parameters_xavier(layer_dims, rng):
    """layer_dims: [n_0, ..., n_L] -> params with W[l]: (n_l, n_{l-1}) ~ N(0, 1 / n_{l-1}), b[l]: (n_l, 1) = 0."""
    return _scaled_normal(layer_dims, rng, 1.0)


def gradient_check(cost_fn, params, grads, epsilon=1e-7):
    """Relative difference between backprop's gradients and centred differences of the cost.

    cost_fn: params -> float.   params: {"W1": (n_1, n_0), "b1": (n_1, 1), ...}.
    grads: {"dW1": ..., "db1": ..., ...} with the shapes of params (extra keys such as
    "dA0" are ignored). Returns ||g - g_num|| / (||g|| + ||g_num||) over all parameters
    at once, as a float.
    """
    analytic, numeric = [], []
    for key, value in params.items():
        # the other parameters stay fixed: one parameter array varies at a time
        numeric.append(numerical_gradient(lambda v, key=key: cost_fn({**params, key: v}),
                                          value, epsilon).ravel())
        analytic.append(np.asarray(grads["d" + key], dtype=np.float64).ravel())
    return relative_difference(np.concatenate(analytic), np.concatenate(numeric))
