"""Correct implementations that differ from the reference: loops, thresholds on Z, other
ways and orders of drawing the initial weights, costs as an array, other column orders for
the parity patterns. Every check must accept them all."""
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


VARIANTS = {
    "predict": [predict_loop, predict_from_Z, predict_round, predict_at_least, predict_renamed],
    "train_model": [train_model_own_loop, train_model_layer_by_layer, train_model_renamed],
    "parity_data": [parity_data_itertools, parity_data_gray_code, parity_data_strings,
                    parity_data_renamed],
}
