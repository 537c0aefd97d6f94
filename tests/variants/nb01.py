"""Correct implementations that differ from the reference: loops, other formulas, lists
for tuples, extra dict keys, numpy scalars for floats. Every check must accept them all."""
from __future__ import annotations

import copy
import functools
import math

import numpy as np

from grader.reference.nb01 import (linear_activation_backward, linear_activation_forward,
                                   linear_backward, relu_backward)


def sigmoid_naive(Z):
    return 1 / (1 + np.exp(-Z))  # overflows to inf for very negative Z, still correct


def sigmoid_tanh(Z):
    return 0.5 * (1 + np.tanh(Z / 2))


def sigmoid_loop(Z):
    # math.exp raises OverflowError (numpy only warns): the stable branch for each sign
    A = np.empty_like(Z)
    for i in np.ndindex(Z.shape):
        z = Z[i]
        A[i] = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return A


def sigmoid_renamed(z):
    return 1 / (1 + np.exp(-z))  # another parameter name: the check passes Z by position


def sigmoid_exp_of_minus_abs(Z):
    # exp of a non-positive number never overflows
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))


def relu_mask(Z):
    return Z * (Z > 0)


def relu_where(Z):
    return np.where(Z > 0, Z, 0.0)


def relu_renamed(x):
    return np.maximum(x, 0)


# a ufunc with its first argument fixed: its parameter is positional-only
relu_partial = functools.partial(np.maximum, 0.0)
relu_partial.__name__ = "relu_partial"


def relu_copy_then_clip(Z):
    A = Z.copy()
    A[A < 0] = 0
    return A


def sigmoid_backward_exp(dA, Z):
    # e^-z / (1 + e^-z)^2, stable: sigmoid' is even, so |z| serves (e^-|z| never overflows)
    e = np.exp(-np.abs(Z))
    return dA * e / (1 + e) ** 2


def sigmoid_backward_renamed(dA_l, Z_l):
    s = 1 / (1 + np.exp(-Z_l))
    return dA_l * s * (1 - s)


def sigmoid_backward_via_A(dA, Z):
    A = sigmoid_tanh(Z)
    return dA * A * (1 - A)


def relu_backward_copy(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def relu_backward_where(dA, Z):
    return np.where(Z > 0, dA, 0.0)


def relu_backward_heaviside(dA, Z):
    return dA * np.heaviside(Z, 0.0)


def initialize_parameters_normal(layer_dims, rng, scale=0.01):
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.normal(0.0, scale, size=(layer_dims[l], layer_dims[l - 1]))
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params


def initialize_parameters_renamed(dims, generator, scale=0.01):
    # renamed positional parameters; scale keeps its name, so it may come by keyword
    return {k: v for l in range(1, len(dims)) for k, v in
            ((f"W{l}", scale * generator.standard_normal((dims[l], dims[l - 1]))),
             (f"b{l}", np.zeros((dims[l], 1))))}


def initialize_parameters_transposed_draw(layer_dims, rng, scale=0.01):
    # another stream, the same distribution: checks must not replay the reference's draws
    params = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        params[f"b{l}"] = np.zeros((n, 1))
        params[f"W{l}"] = (rng.standard_normal((n_prev, n)) * scale).T
    return params


def linear_forward_dot(A_prev, W, b):
    return np.dot(W, A_prev) + b, [A_prev, W, b]


def linear_forward_renamed(A, W_l, b_l):
    Z = W_l @ A + b_l
    return Z, (A, W_l, b_l)


def linear_forward_einsum(A_prev, W, b):
    return np.einsum("ij,jk->ik", W, A_prev) + b, (A_prev, W, b)


def linear_activation_forward_branches(A_prev, W, b, activation):
    Z, linear_cache = linear_forward_dot(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid_tanh(Z)
    elif activation == "relu":
        A = relu_where(Z)
    return A, (linear_cache, Z)


def linear_activation_forward_list_cache(A_prev, W, b, activation):
    A, (linear_cache, Z) = linear_activation_forward(A_prev, W, b, activation)
    return A, [list(linear_cache), Z]


def model_forward_while(X, params):
    L = len([k for k in params if k.startswith("W")])
    caches, A, l = [], X, 1
    while l < L:
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
        caches.append(cache)
        l += 1
    AL, cache = linear_activation_forward(A, params[f"W{L}"], params[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def model_forward_tuple_caches(X, params):
    AL, caches = model_forward_while(X, params)
    return AL, tuple(caches)


def compute_cost_numpy_scalar(AL, Y):
    return -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))  # an np.float64


def compute_cost_squeezed(AL, Y):
    m = Y.shape[1]
    return np.squeeze(-(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m)


def compute_cost_clipped_epsilon(AL, Y):
    # a tiny clip, only to avoid log(0): the cost of any AL the course meets is unchanged
    AL = np.clip(AL, 1e-12, 1 - 1e-12)
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def compute_cost_epsilon_added(A, y):
    eps = 1e-12
    return (-(y @ np.log(A + eps).T + (1 - y) @ np.log(1 - A + eps).T) / y.shape[1]).item()


def compute_cost_loop(AL, Y):
    total = 0.0
    for a, y in zip(AL.ravel(), Y.ravel()):
        total += -(y * math.log(a) + (1 - y) * math.log(1 - a))
    return total / Y.shape[1]


def linear_backward_dot(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.mean(dZ, axis=1, keepdims=True)


def linear_backward_reshape(dZ, cache):
    A_prev, W, _ = cache
    m = dZ.shape[1]
    db = (np.sum(dZ, axis=1) / m).reshape(-1, 1)
    return W.T @ dZ, (1 / m) * np.einsum("ik,jk->ij", dZ, A_prev), db


def linear_activation_backward_branches(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = relu_backward_where(dA, Z)
    else:
        dZ = sigmoid_backward_exp(dA, Z)
    return linear_backward_dot(dZ, linear_cache)


def linear_activation_backward_inline(dA, cache, activation):
    (A_prev, W, b), Z = cache
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (Z > 0)
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m


def linear_activation_backward_renamed(dA_l, layer_cache, g):
    (A_prev, W, _), Z = layer_cache
    dZ = dA_l * (Z > 0) if g == "relu" else dA_l * np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))) ** 2
    return W.T @ dZ, dZ @ A_prev.T / A_prev.shape[1], dZ.mean(axis=1, keepdims=True)


def model_forward_renamed(X_in, parameters):
    return model_forward_while(X_in, parameters)


def model_backward_keeps_dA(AL, Y, caches):
    # the shortcut dZ[L] = AL - Y, and the dA keys kept as extras
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
    grads[f"dA{L - 1}"] = dA
    for l in reversed(range(1, L)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def model_backward_shortcut(AL, Y, caches):
    L = len(caches)
    grads = {}
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(AL - Y, caches[-1][0])
    for l in range(L - 1, 0, -1):
        linear_cache, Z = caches[l - 1]
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(relu_backward(dA, Z), linear_cache)
    return grads


def update_parameters_deepcopy(params, grads, learning_rate):
    params = copy.deepcopy(params)
    for l in range(1, len(params) // 2 + 1):
        params[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
        params[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return params


def update_parameters_renamed(parameters, gradients, alpha):
    L = sum(1 for k in parameters if k.startswith("W"))
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - alpha * gradients[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - alpha * gradients[f"db{l}"]
    return new


def update_parameters_new_dict(params, grads, learning_rate):
    new = {}
    for key in params:
        new[key] = params[key] - learning_rate * grads["d" + key]
    return new


VARIANTS = {
    "sigmoid": [sigmoid_naive, sigmoid_tanh, sigmoid_loop, sigmoid_renamed,
                sigmoid_exp_of_minus_abs],
    "relu": [relu_mask, relu_where, relu_copy_then_clip, relu_renamed, relu_partial],
    "sigmoid_backward": [sigmoid_backward_exp, sigmoid_backward_via_A, sigmoid_backward_renamed],
    "relu_backward": [relu_backward_copy, relu_backward_where, relu_backward_heaviside],
    "initialize_parameters": [initialize_parameters_normal, initialize_parameters_transposed_draw,
                              initialize_parameters_renamed],
    "linear_forward": [linear_forward_dot, linear_forward_einsum, linear_forward_renamed],
    "linear_activation_forward": [linear_activation_forward_branches,
                                  linear_activation_forward_list_cache],
    "model_forward": [model_forward_while, model_forward_tuple_caches, model_forward_renamed],
    "compute_cost": [compute_cost_numpy_scalar, compute_cost_squeezed, compute_cost_loop,
                     compute_cost_clipped_epsilon, compute_cost_epsilon_added],
    "linear_backward": [linear_backward_dot, linear_backward_reshape],
    "linear_activation_backward": [linear_activation_backward_branches,
                                   linear_activation_backward_inline,
                                   linear_activation_backward_renamed],
    "model_backward": [model_backward_keeps_dA, model_backward_shortcut],
    "update_parameters": [update_parameters_deepcopy, update_parameters_new_dict,
                          update_parameters_renamed],
}
