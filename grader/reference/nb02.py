"""Reference implementations, notebook 02: training a deep network end to end, and parity.

Conventions: examples are columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
"""
from __future__ import annotations

import numpy as np

from .nb01 import (compute_cost, initialize_parameters, model_backward, model_forward,
                   update_parameters)

__all__ = ["predict", "train_model", "parity_data"]


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
