"""Reference implementations, notebook 02: training a deep network end to end, and parity:
its data, and the lecture's two circuits for it as networks (a tree of XORs, and one hidden
layer of AND units).

Conventions: examples are columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
"""
from __future__ import annotations

import numpy as np

from .nb01 import (compute_cost, initialize_parameters, model_backward, model_forward,
                   update_parameters)

__all__ = ["predict", "train_model", "parity_data", "xor_tree_network", "dnf_network"]


def predict(X, params):
    """X: (n_0, m) -> (1, m) float array, 1.0 where A[L] > 0.5 and 0.0 elsewhere.

    A[L] = 0.5 exactly (Z[L] = 0) counts as 0; the checks never ask about that case.
    """
    AL, _ = model_forward(X, params)
    return (AL > 0.5).astype(np.float64)


def train_model(X, Y, layer_dims, learning_rate, num_iterations, rng):
    """Full-batch gradient descent on an L-layer network, from W[l] ~ N(0, 2/n_{l-1}), b[l] = 0.

    X: (n_0, m), Y: (1, m), layer_dims: [n_0, n_1, ..., n_L] with n_L = 1.
    Returns (params, costs): the parameters after num_iterations updates, and the list of
    num_iterations floats where costs[i] is the cost before update i (so costs[0] is the
    cost of the initial parameters). All randomness comes from rng, in initialisation.
    """
    # Draw with scale 1, then rescale each layer: initialize_parameters has one scale for
    # all layers, and He initialisation needs sqrt(2 / n_{l-1}) per layer (notebook 05).
    params = initialize_parameters(layer_dims, rng, scale=1.0)
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = params[f"W{l}"] * np.sqrt(2.0 / layer_dims[l - 1])
    costs = []
    for _ in range(num_iterations):
        AL, caches = model_forward(X, params)
        costs.append(compute_cost(AL, Y))
        grads = model_backward(AL, Y, caches)
        params = update_parameters(params, grads, learning_rate)
    return params, costs


def parity_data(n_bits):
    """All 2**n_bits bit patterns and their parity.

    Returns X: (n_bits, 2**n_bits) float array of 0/1, each pattern once as a column
    (column j holds the binary digits of j, least significant in row 0), and
    Y: (1, 2**n_bits) float array, 1.0 where the column has an odd number of ones.
    """
    j = np.arange(2 ** n_bits)
    X = ((j[np.newaxis, :] >> np.arange(n_bits)[:, np.newaxis]) & 1).astype(np.float64)
    return X, X.sum(axis=0, keepdims=True) % 2


def xor_tree_network(n, k=10.0):
    """The parameters of a [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID network whose prediction
    is the parity of its n input bits: a tree of XORs, the bits XORed in pairs, then the
    results in pairs, ..., one hidden layer per level of the tree (ceil(log2 n) of them).

    XOR of two values a, b in {0, 1}: ReLU(a + b) - 2 ReLU(a + b - 1), two units; a value
    without a partner is passed on by one unit, ReLU(v) = v. The combination (1, -2) is not
    a layer of its own: it goes into the weights of the next layer. The output unit is
    sigmoid(k (2 v - 1)) of the final value v, so A[L] is sigmoid(k) or sigmoid(-k).
    Returns {"W1", "b1", ..., "WL", "bL"}, float64, W[l] (n_l, n_{l-1}), b[l] (n_l, 1),
    n_0 = n, n_L = 1; 2 (n - 1) + (values passed on) hidden units.
    """
    # the values of the current level, as linear functions V a + c of the last layer's units
    V, c = np.eye(n), np.zeros((n, 1))
    params, l = {}, 0
    while V.shape[0] > 1:
        rows, biases, combos = [], [], []
        for a in range(0, V.shape[0] - 1, 2):
            s, s0 = V[a] + V[a + 1], c[a, 0] + c[a + 1, 0]
            rows += [s, s]
            biases += [s0, s0 - 1.0]
            combos.append([1.0, -2.0])
        if V.shape[0] % 2:
            rows.append(V[-1])
            biases.append(c[-1, 0])
            combos.append([1.0])
        l += 1
        params[f"W{l}"] = np.array(rows)
        params[f"b{l}"] = np.array(biases).reshape(-1, 1)
        V = np.zeros((len(combos), len(rows)))
        column = 0
        for j, combo in enumerate(combos):
            V[j, column:column + len(combo)] = combo
            column += len(combo)
        c = np.zeros((len(combos), 1))
    params[f"W{l + 1}"] = 2.0 * k * V
    params[f"b{l + 1}"] = k * (2.0 * c - 1.0)
    return params


def dnf_network(n, k=10.0):
    """The parameters of a network with one hidden layer whose prediction is the parity of
    its n input bits, as an OR of ANDs (a disjunctive normal form): one hidden unit per
    pattern p with an odd number of ones, 2**(n-1) of them.

    AND unit of p: ReLU(sum of x_i where p_i = 1, minus those where p_i = 0, minus (|p| - 1)),
    |p| the number of ones of p: 1 at x = p, 0 at every other pattern. The output unit is the
    OR, sigmoid(k (2 sum_j a_j - 1)): A[2] is sigmoid(k) or sigmoid(-k).
    Returns {"W1": (2**(n-1), n), "b1": (2**(n-1), 1), "W2": (1, 2**(n-1)), "b2": (1, 1)}.
    """
    X, Y = parity_data(n)
    odd = X[:, Y[0] == 1].T                                  # (2**(n-1), n), one row each
    return {"W1": 2.0 * odd - 1.0, "b1": 1.0 - odd.sum(axis=1, keepdims=True),
            "W2": np.full((1, odd.shape[0]), 2.0 * k), "b2": np.array([[-k]])}
