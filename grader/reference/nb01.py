"""Reference implementations, notebook 01: forward and backward building blocks.

Conventions: examples are columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "sigmoid", "relu", "sigmoid_backward", "relu_backward", "initialize_parameters",
    "linear_forward", "linear_activation_forward", "model_forward", "compute_cost",
    "linear_backward", "linear_activation_backward", "model_backward", "update_parameters",
]


def sigmoid(Z):
    """Z: any shape -> A = 1 / (1 + exp(-Z)), same shape (no overflow for large |Z|)."""
    return np.exp(-np.logaddexp(0.0, -Z))


def relu(Z):
    """Z: any shape -> A = max(0, Z), same shape."""
    return np.maximum(0.0, Z)


def sigmoid_backward(dA, Z):
    """dA, Z: (n_l, m) -> dZ = dA * s (1 - s) with s = sigmoid(Z)."""
    s = sigmoid(Z)
    return dA * s * (1.0 - s)


def relu_backward(dA, Z):
    """dA, Z: (n_l, m) -> dZ = dA where Z > 0, else 0."""
    return dA * (Z > 0)


def initialize_parameters(layer_dims, rng, scale=0.01):
    """layer_dims: [n_0, ..., n_L] -> {"W1": (n_1, n_0), "b1": (n_1, 1), ...}; W ~ scale N(0, 1), b = 0."""
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = scale * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def linear_forward(A_prev, W, b):
    """A_prev: (n_{l-1}, m), W: (n_l, n_{l-1}), b: (n_l, 1) -> Z: (n_l, m), cache (A_prev, W, b)."""
    return W @ A_prev + b, (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer, LINEAR -> ACTIVATION ("relu" or "sigmoid") -> A: (n_l, m), cache (linear_cache, Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    g = {"relu": relu, "sigmoid": sigmoid}[activation]
    return g(Z), (linear_cache, Z)


def model_forward(X, params):
    """X: (n_0, m) -> AL: (1, m) and the list of L caches; [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """AL, Y: (1, m) -> J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)), a float."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def linear_backward(dZ, cache):
    """dZ: (n_l, m), cache (A_prev, W, b) -> dA_prev (n_{l-1}, m), dW (n_l, n_{l-1}), db (n_l, 1)."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return W.T @ dZ, dW, db


def linear_activation_backward(dA, cache, activation):
    """dA: (n_l, m), cache (linear_cache, Z) -> (dA_prev, dW, db)."""
    linear_cache, Z = cache
    g_backward = {"relu": relu_backward, "sigmoid": sigmoid_backward}[activation]
    return linear_backward(g_backward(dA, Z), linear_cache)


def model_backward(AL, Y, caches):
    """AL, Y: (1, m), caches from model_forward -> {"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dbL"}."""
    L = len(caches)
    grads = {}
    dZ = AL - Y  # sigmoid and cross-entropy together: dZ[L] = A[L] - Y
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(dZ, caches[L - 1][0])
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
    return grads


def update_parameters(params, grads, learning_rate):
    """One gradient-descent step; returns a new dict, W[l] - lr dW[l], b[l] - lr db[l]."""
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
