"""Correct implementations that differ from the reference: loops, thresholds on Z, forward
passes of their own (tanh, einsum, logaddexp), other ways and orders of drawing the initial
weights (one child generator per layer), in-place updates of their own arrays, costs as an
array or from Z[L] with logaddexp, other column orders for the parity patterns (Gray code,
np.indices, recursion, unpackbits over 4 bytes), and parity networks built other ways (an
XOR level as two layers, the gadget ReLU(a - b) + ReLU(b - a), pairs from the end, a tree
padded to a power of two, one layer that passes a single bit on, AND units that are not 0/1,
other output scalings). Every check must accept them all."""
from __future__ import annotations

import itertools
import math

import numpy as np

from grader.reference.nb01 import (compute_cost, initialize_parameters, model_backward,
                                   model_forward, update_parameters)


def predict_loop(X, params):
    AL, _ = model_forward(X, params)
    predictions = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        if AL[0, i] > 0.5:
            predictions[0, i] = 1
    return predictions


def predict_from_Z(X, params):
    # sigmoid(z) > 0.5 exactly when z > 0
    _, caches = model_forward(X, params)
    _, ZL = caches[-1]
    return np.where(ZL > 0, 1.0, 0.0)


def predict_round(X, params):
    AL, _ = model_forward(X, params)
    return np.round(AL)  # rounds 0.5 to 0, like > 0.5


def predict_at_least(X, params):
    AL, _ = model_forward(X, params)
    return (AL >= 0.5) * 1.0


def train_model_own_loop(X, Y, layer_dims, learning_rate, num_iterations, rng):
    # another stream: b first, W drawn transposed, with rng.normal; a while loop; inline
    # forward and backward passes; costs as a numpy array
    L = len(layer_dims) - 1
    params = {}
    for l in range(L, 0, -1):
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
        params["W" + str(l)] = rng.normal(0.0, math.sqrt(2 / layer_dims[l - 1]),
                                          size=(layer_dims[l - 1], layer_dims[l])).T
    costs = np.zeros(num_iterations)
    m = X.shape[1]
    i = 0
    while i < num_iterations:
        A, As, Zs = X, [X], []
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(Z, 0)
            Zs.append(Z)
            As.append(A)
        costs[i] = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = A - Y
        new = dict(params)
        for l in range(L, 0, -1):
            dW = dZ @ As[l - 1].T / m
            db = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = (params[f"W{l}"].T @ dZ) * (Zs[l - 2] > 0)
            new[f"W{l}"] = params[f"W{l}"] - learning_rate * dW
            new[f"b{l}"] = params[f"b{l}"] - learning_rate * db
        params = new
        i += 1
    return params, costs


def train_model_layer_by_layer(X, Y, layer_dims, learning_rate, num_iterations, rng):
    # initialize_parameters one layer at a time, with that layer's scale; a tuple of costs
    params = {}
    for l in range(1, len(layer_dims)):
        one = initialize_parameters([layer_dims[l - 1], layer_dims[l]], rng,
                                    scale=np.sqrt(2.0 / layer_dims[l - 1]))
        params[f"W{l}"], params[f"b{l}"] = one["W1"], one["b1"]
    costs = []
    for _ in range(num_iterations):
        AL, caches = model_forward(X, params)
        costs.append(np.float64(compute_cost(AL, Y)))
        params = update_parameters(params, model_backward(AL, Y, caches), learning_rate)
    return [params, tuple(costs)]


def predict_renamed(X_in, parameters):
    AL, _ = model_forward(X_in, parameters)
    return (AL > 0.5).astype(float)


def train_model_renamed(X_train, Y_train, dims, alpha, iterations, generator):
    # every parameter renamed: the check passes the arguments by position
    params = initialize_parameters(dims, generator, scale=1.0)
    for l in range(1, len(dims)):
        params[f"W{l}"] = params[f"W{l}"] * np.sqrt(2.0 / dims[l - 1])
    costs = []
    for _ in range(iterations):
        AL, caches = model_forward(X_train, params)
        costs.append(compute_cost(AL, Y_train))
        params = update_parameters(params, model_backward(AL, Y_train, caches), alpha)
    return params, costs


def parity_data_renamed(n):
    X = ((np.arange(2 ** n) >> np.arange(n)[:, None]) & 1).astype(float)
    return X, X.sum(axis=0, keepdims=True) % 2


def parity_data_itertools(n_bits):
    # most significant bit first; Y with a loop over the columns
    X = np.array(list(itertools.product([0.0, 1.0], repeat=n_bits))).T.reshape(n_bits, -1)
    Y = np.zeros((1, X.shape[1]))
    for j in range(X.shape[1]):
        Y[0, j] = int(X[:, j].sum()) % 2
    return X, Y


def parity_data_gray_code(n_bits):
    # the reflected Gray code: neighbouring columns differ in one bit (so Y alternates)
    X = np.zeros((0, 1))
    for _ in range(n_bits):
        X = np.hstack([np.vstack([np.zeros((1, X.shape[1])), X]),
                       np.vstack([np.ones((1, X.shape[1])), X[:, ::-1]])])
    Y = np.bitwise_xor.reduce(X.astype(int), axis=0).reshape(1, -1).astype(float)
    return X, Y


def parity_data_strings(n_bits):
    columns = [[float(c) for c in format(j, f"0{n_bits}b")] for j in range(2 ** n_bits)]
    X = np.array(columns).T
    return [X, (X.sum(axis=0) % 2)[np.newaxis, :]]


def predict_tanh_forward(X, params):
    # a forward pass of its own, with sigmoid(z) = (1 + tanh(z / 2)) / 2: no overflow at any z
    L = len(params) // 2
    A = X
    for l in range(1, L):
        A = np.maximum(0, params["W" + str(l)] @ A + params["b" + str(l)])
    AL = (1 + np.tanh((params["W" + str(L)] @ A + params["b" + str(L)]) / 2)) / 2
    return np.where(AL > 0.5, 1.0, 0.0)


def predict_einsum_heaviside(X, params):
    # einsum for the products, and the step function of Z[L] (0 at 0, like A[L] > 0.5)
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        Z = np.einsum("ij,jk->ik", params[f"W{l}"], A) + params[f"b{l}"]
        A = np.maximum(Z, 0.0)
    return np.heaviside(Z, 0.0)


def predict_logaddexp(X, params):
    # A[L] = exp(-log(1 + exp(-Z))): the stable sigmoid, from the cached Z[L]
    _, caches = model_forward(X, params)
    ZL = caches[-1][1]
    AL = np.exp(-np.logaddexp(0.0, -ZL))
    predictions = np.zeros_like(AL)
    predictions[AL > 0.5] = 1.0
    return predictions


def train_model_spawned(X, Y, layer_dims, learning_rate, num_iterations, rng):
    # one child generator per layer (rng.spawn): randomness still only from rng; equal
    # generators give equal children, other generators other ones
    L = len(layer_dims) - 1
    children = rng.spawn(L)
    params = {}
    for l in range(1, L + 1):
        params[f"W{l}"] = children[l - 1].standard_normal((layer_dims[l], layer_dims[l - 1])) \
            * np.sqrt(2.0 / layer_dims[l - 1])
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    costs = []
    for _ in range(num_iterations):
        AL, caches = model_forward(X, params)
        costs.append(compute_cost(AL, Y))
        params = update_parameters(params, model_backward(AL, Y, caches), learning_rate)
    return params, costs


def train_model_in_place_logaddexp(X, Y, layer_dims, learning_rate, num_iterations, rng):
    # in-place updates of its own arrays (`-=`, never the arguments'), einsum in the backward
    # pass, and the cost from Z[L] with logaddexp: -log(sigmoid(z)) = log(1 + exp(-z))
    params = initialize_parameters(layer_dims, rng, scale=1.0)
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        params[f"W{l}"] *= np.sqrt(2.0 / layer_dims[l - 1])
    m = X.shape[1]
    costs = []
    for _ in range(num_iterations):
        As, Zs = [X], []
        for l in range(1, L + 1):
            Zs.append(np.einsum("ij,jk->ik", params[f"W{l}"], As[-1]) + params[f"b{l}"])
            As.append(np.maximum(Zs[-1], 0.0) if l < L else np.exp(-np.logaddexp(0.0, -Zs[-1])))
        ZL = Zs[-1]
        costs.append(float(np.mean(Y * np.logaddexp(0.0, -ZL) + (1 - Y) * np.logaddexp(0.0, ZL))))
        dZ = As[-1] - Y
        for l in range(L, 0, -1):
            dW = np.einsum("ik,jk->ij", dZ, As[l - 1]) / m
            db = np.sum(dZ, axis=1, keepdims=True) / m
            if l > 1:
                dZ = np.einsum("ji,jk->ik", params[f"W{l}"], dZ) * (Zs[l - 2] > 0)
            params[f"W{l}"] -= learning_rate * dW
            params[f"b{l}"] -= learning_rate * db
    return params, costs


def parity_data_indices(n_bits):
    # np.indices enumerates the grid {0, 1}^n; parity as (1 - (-1)^s) / 2
    X = np.indices((2,) * n_bits).reshape(n_bits, -1).astype(float)
    s = X.sum(axis=0, keepdims=True)
    return X, (1 - (-1.0) ** s) / 2


def parity_data_unpackbits_wide(n_bits):
    # np.unpackbits done right for up to 32 bits: each j as 4 big-endian bytes
    codes = np.arange(2 ** n_bits, dtype=">u4").view(np.uint8).reshape(-1, 4)
    bits = np.unpackbits(codes, axis=1)[:, 32 - n_bits:]
    return bits.T.astype(float), np.bitwise_xor.reduce(bits, axis=1).reshape(1, -1).astype(float)


def parity_data_recursive(n_bits):
    # the patterns of n bits: those of n - 1 bits with a 0 below them, then with a 1
    if n_bits == 1:
        return np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])
    X, Y = parity_data_recursive(n_bits - 1)
    k = X.shape[1]
    return (np.vstack([np.hstack([X, X]), np.hstack([np.zeros((1, k)), np.ones((1, k))])]),
            np.hstack([Y, 1 - Y]))


# -- the parity networks: other gadgets, other trees, other scalings ------------------------


def xor_tree_two_layers_per_level(n, k=10.0):
    # no folding: each level is two layers, ReLU(a + b) and ReLU(a + b - 1), then the XOR
    # itself as a unit, ReLU(u1 - 2 u2); a value without a partner passes through both
    params, l, width = {}, 0, n
    while width > 1:
        pairs, odd = width // 2, width % 2
        W, b = np.zeros((2 * pairs + odd, width)), np.zeros((2 * pairs + odd, 1))
        W2 = np.zeros((pairs + odd, 2 * pairs + odd))
        for p in range(pairs):
            W[2 * p, 2 * p:2 * p + 2] = 1.0
            W[2 * p + 1, 2 * p:2 * p + 2] = 1.0
            b[2 * p + 1] = -1.0
            W2[p, 2 * p], W2[p, 2 * p + 1] = 1.0, -2.0
        if odd:
            W[-1, -1] = W2[-1, -1] = 1.0
        params[f"W{l + 1}"], params[f"b{l + 1}"] = W, b
        params[f"W{l + 2}"], params[f"b{l + 2}"] = W2, np.zeros((pairs + odd, 1))
        l, width = l + 2, pairs + odd
    params[f"W{l + 1}"], params[f"b{l + 1}"] = np.array([[2.0 * k]]), np.array([[-k]])
    return params


def xor_tree_from_the_end(n_bits, scale=10.0):
    # renamed arguments; pairs taken from the end (the first value waits), XOR(a, b) as
    # ReLU(a - b) + ReLU(b - a); a do-while loop, so one bit passes through one unit; the
    # output sigmoid(3 scale (v - 1/2))
    V, c, params, l = np.eye(n_bits), np.zeros(n_bits), {}, 0
    while True:
        m = V.shape[0]
        rows, biases, combos = [], [], []
        if m % 2:
            rows.append(V[0])
            biases.append(c[0])
            combos.append([1.0])
        for a in range(m % 2, m, 2):
            d, d0 = V[a] - V[a + 1], c[a] - c[a + 1]
            rows += [d, -d]
            biases += [d0, -d0]
            combos.append([1.0, 1.0])
        l += 1
        params["W" + str(l)] = np.vstack(rows)
        params["b" + str(l)] = np.array(biases)[:, None]
        V = np.zeros((len(combos), len(rows)))
        start = 0
        for j, combo in enumerate(combos):
            V[j, start:start + len(combo)] = combo
            start += len(combo)
        c = np.zeros(len(combos))
        if V.shape[0] == 1:
            break
    params["W" + str(l + 1)] = 3.0 * scale * V
    params["b" + str(l + 1)] = np.array([[3.0 * scale * (c[0] - 0.5)]])
    return params


def xor_tree_padded(n, k=10.0):
    # padded to 2**ceil(log2 n) leaves with constant zeros (a zero row, XOR(v, 0) = v): a
    # balanced tree; the layers as integer bookkeeping converted to float at the end
    size = 1 << (n - 1).bit_length()
    V = np.vstack([np.eye(n), np.zeros((size - n, n))])
    c = np.zeros((size, 1))
    params, l = {}, 0
    while V.shape[0] > 1:
        half = V.shape[0] // 2
        S, s0 = V[0::2] + V[1::2], c[0::2] + c[1::2]
        W = np.empty((2 * half, V.shape[1]))
        W[0::2], W[1::2] = S, S
        b = np.empty((2 * half, 1))
        b[0::2], b[1::2] = s0, s0 - 1
        l += 1
        params[f"W{l}"], params[f"b{l}"] = W.astype(np.float64), b.astype(np.float64)
        V = np.kron(np.eye(half), np.array([[1.0, -2.0]]))
        c = np.zeros((half, 1))
    params[f"W{l + 1}"], params[f"b{l + 1}"] = 2 * k * V, k * (2 * c - 1)
    return params


def dnf_network_loops(n, k=10.0):
    # a loop over 0 ... 2**n - 1; AND units scaled by 0.1 (weights +-0.1: not integers), the
    # output weights 20 k to make up for it
    W1, b1 = [], []
    for j in range(2 ** n):
        p = [(j >> i) & 1 for i in range(n)]
        if sum(p) % 2 == 1:
            W1.append([0.1 if bit else -0.1 for bit in p])
            b1.append([-0.1 * (sum(p) - 1)])
    units = len(W1)
    return {"W1": np.array(W1), "b1": np.array(b1),
            "W2": 20.0 * k * np.ones((1, units)), "b2": np.array([[-1.0 * k]])}


def dnf_network_gray_code(n_bits, scale=10.0):
    # renamed arguments; the odd patterns in Gray-code order; AND units 0.5 at their pattern
    # (bias -(|p| - 1/2)), the output sigmoid(scale (4 s - 1))
    X = np.zeros((0, 1))
    for _ in range(n_bits):
        X = np.hstack([np.vstack([np.zeros((1, X.shape[1])), X]),
                       np.vstack([np.ones((1, X.shape[1])), X[:, ::-1]])])
    odd = X[:, X.sum(axis=0) % 2 == 1].T
    return {"W1": np.where(odd == 1, 1.0, -1.0), "b1": -(odd.sum(axis=1, keepdims=True) - 0.5),
            "W2": 4.0 * scale * np.ones((1, odd.shape[0])), "b2": np.array([[-scale]])}


def dnf_network_itertools(n, k=10.0):
    # itertools.product, most significant bit first; the OR of the units through np.full
    odd = np.array([p for p in itertools.product([0.0, 1.0], repeat=n) if sum(p) % 2],
                   dtype=float).reshape(-1, n)
    W1 = odd - (1 - odd)
    b1 = (1 - odd.sum(axis=1)).reshape(-1, 1)
    return {"W1": W1, "b1": b1, "W2": np.full((1, len(odd)), 2 * k, dtype=float),
            "b2": np.full((1, 1), -k, dtype=float)}


VARIANTS = {
    "predict": [predict_loop, predict_from_Z, predict_round, predict_at_least, predict_renamed,
                predict_tanh_forward, predict_einsum_heaviside, predict_logaddexp],
    "train_model": [train_model_own_loop, train_model_layer_by_layer, train_model_renamed,
                    train_model_spawned, train_model_in_place_logaddexp],
    "parity_data": [parity_data_itertools, parity_data_gray_code, parity_data_strings,
                    parity_data_renamed, parity_data_indices, parity_data_unpackbits_wide,
                    parity_data_recursive],
    "xor_tree_network": [xor_tree_two_layers_per_level, xor_tree_from_the_end, xor_tree_padded],
    "dnf_network": [dnf_network_loops, dnf_network_gray_code, dnf_network_itertools],
}
