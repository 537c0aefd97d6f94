"""Mistakes in notebook 02, as students make them."""
from __future__ import annotations

import itertools

import numpy as np

from ..nb01 import (compute_cost, initialize_parameters, model_backward, model_forward,
                    update_parameters)
from ..nb02 import parity_data
from . import GLOBAL_RANDOM, Mistake

# -- predict ---------------------------------------------------------------------------


def _output(X, params):
    return model_forward(X, params)[0]


def _last_Z(X, params):
    return model_forward(X, params)[1][-1][1]


# -- train_model -----------------------------------------------------------------------


def _he(layer_dims, rng, scale_of=lambda dims, l: np.sqrt(2.0 / dims[l - 1])):
    params = initialize_parameters(layer_dims, rng, scale=1.0)
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = params[f"W{l}"] * scale_of(layer_dims, l)
    return params


def _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=_he, iterations=None,
           keep_update=True, record=lambda i: True, backward_args=lambda AL, Y: (AL, Y),
           cost_args=lambda AL, Y: (AL, Y), cost_after_update=False, swap_return=False,
           update=update_parameters):
    """The reference loop, with one thing changed at a time."""
    params = init(layer_dims, rng)
    costs = []
    for i in iterations if iterations is not None else range(num_iterations):
        AL, caches = model_forward(X, params)
        cost = compute_cost(*cost_args(AL, Y))
        grads = model_backward(*backward_args(AL, Y), caches)
        if keep_update:
            params = update(params, grads, learning_rate)
        else:
            update(params, grads, learning_rate)  # the new params are thrown away
        if cost_after_update:
            cost = compute_cost(model_forward(X, params)[0], Y)
        if record(i):
            costs.append(cost)
    return (costs, params) if swap_return else (params, costs)


def _train_init_in_loop(X, Y, layer_dims, learning_rate, num_iterations, rng):
    costs = []
    for _ in range(num_iterations):
        params = _he(layer_dims, rng)  # a fresh start at every iteration
        AL, caches = model_forward(X, params)
        costs.append(compute_cost(AL, Y))
        params = update_parameters(params, model_backward(AL, Y, caches), learning_rate)
    return params, costs  # noqa: F821 - unbound when num_iterations = 0, as in the students' code


def _train_global_random(X, Y, layer_dims, learning_rate, num_iterations, rng):
    def init(dims, rng):
        return {k: (np.random.randn(*v.shape) * np.sqrt(2.0 / v.shape[1]) if k[0] == "W" else v)
                for k, v in initialize_parameters(dims, rng).items()}
    return _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=init)


def _train_own_generator(X, Y, layer_dims, learning_rate, num_iterations, rng):
    return _train(X, Y, layer_dims, learning_rate, num_iterations, np.random.default_rng(1))


def _train_fixed_learning_rate(X, Y, layer_dims, learning_rate, num_iterations, rng):
    return _train(X, Y, layer_dims, 0.0075, num_iterations, rng)


def _update_last_layer_only(params, grads, learning_rate):
    L = len(params) // 2
    return {**params, f"W{L}": params[f"W{L}"] - learning_rate * grads[f"dW{L}"],
            f"b{L}": params[f"b{L}"] - learning_rate * grads[f"db{L}"]}


def _update_weights_only(params, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] if k[0] == "W" else v for k, v in params.items()}


# -- parity_data -----------------------------------------------------------------------


def _parity_ints(n_bits):
    X = np.array(list(itertools.product([0, 1], repeat=n_bits))).T
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_missing_last(n_bits):
    X, Y = parity_data(n_bits)
    return X[:, :-1], Y[:, :-1]


def _parity_narrow(n_bits):
    # the bits of j with one shift too few: the top bit is never set, patterns repeat
    j = np.arange(2 ** n_bits)
    X = np.zeros((n_bits, 2 ** n_bits))
    for k in range(n_bits - 1):
        X[k] = (j >> k) & 1
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_random(n_bits):
    X = (np.random.default_rng(0).random((n_bits, 2 ** n_bits)) < 0.5).astype(float)
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_first_two(n_bits):
    X, _ = parity_data(n_bits)
    return X, np.logical_xor(X[0], X[1]).astype(float).reshape(1, -1)


M = Mistake
MISTAKES = [
    M("predict", "probabilities", lambda X, params: _output(X, params),
      "you returned the probabilities A[L]; predictions are 1.0 where A[L] > 0.5 and 0.0 "
      "elsewhere."),
    M("predict", "booleans", lambda X, params: _output(X, params) > 0.5,
      expect="array of booleans"),
    M("predict", "integers", lambda X, params: (_output(X, params) > 0.5).astype(int),
      expect="array of integers"),
    M("predict", "Z at 0.5", lambda X, params: (_last_Z(X, params) > 0.5).astype(float),
      "threshold the probability A[L] at 0.5 (equivalently Z[L] at 0), not Z[L] at 0.5."),
    M("predict", "inverted", lambda X, params: (_output(X, params) < 0.5).astype(float),
      "1 means A[L] > 0.5: the network's probability that y = 1 is above one half."),
    M("predict", "threshold 0", lambda X, params: (_output(X, params) > 0).astype(float),
      "A[L] is a probability, always above 0: threshold it at 0.5."),
    M("predict", "with the cache",
      lambda X, params: ((_output(X, params) > 0.5).astype(float), model_forward(X, params)[1]),
      expect="returned a tuple"),
    M("predict", "flattened", lambda X, params: (_output(X, params)[0] > 0.5).astype(float),
      expect="lost an axis"),
    M("predict", "compares the pair", lambda X, params: model_forward(X, params) > 0.5,
      expect="predict raised TypeError"),
    M("train_model", "update thrown away",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, keep_update=False),
      expect="params = update_parameters(params, grads, learning_rate)"),
    M("train_model", "one iteration too many",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             iterations=range(num_iterations + 1)),
      expect="one too many"),
    M("train_model", "one iteration too few",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             iterations=range(1, num_iterations)),
      expect="one too few"),
    M("train_model", "cost every 100 iterations",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, record=lambda i: i % 100 == 0),
      expect="not of every 100th"),
    M("train_model", "default scale 0.01",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: initialize_parameters(dims, rng)),
      expect="wrong standard deviation"),
    M("train_model", "1/sqrt(n) initialisation",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: _he(dims, rng, lambda d, l: 1 / np.sqrt(d[l - 1]))),
      expect="wrong standard deviation"),
    M("train_model", "He with n_l for n_{l-1}",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: _he(dims, rng, lambda d, l: np.sqrt(2.0 / d[l]))),
      expect="wrong standard deviation"),
    M("train_model", "uniform initialisation",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: {k: rng.uniform(-1, 1, v.shape) * np.sqrt(6.0 / v.shape[1])
                                     if k[0] == "W" else v
                                     for k, v in initialize_parameters(dims, rng).items()}),
      expect="not look normally distributed"),
    M("train_model", "global np.random", _train_global_random, expect=GLOBAL_RANDOM),
    M("train_model", "own generator", _train_own_generator, expect="different generators"),
    M("train_model", "fixed learning rate", _train_fixed_learning_rate,
      expect="the learning_rate argument"),
    M("train_model", "initialised inside the loop", _train_init_in_loop,
      expect="with num_iterations = 0"),
    M("train_model", "returns (costs, params)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, swap_return=True),
      expect="return (params, costs)"),
    M("train_model", "model_backward(Y, AL, caches)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             backward_args=lambda AL, Y: (Y, AL)),
      expect="went up"),
    M("train_model", "compute_cost(Y, AL)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, cost_args=lambda AL, Y: (Y, AL)),
      expect="compute_cost(AL, Y)"),
    M("train_model", "cost after the update",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, cost_after_update=True),
      expect="before any update"),
    M("train_model", "only the last layer updated",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, update=_update_last_layer_only),
      expect="params['W1'] did not change in one iteration"),
    M("train_model", "learning rate halved",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate / 2, num_iterations, rng),
      expect="moved by 0.5 times learning_rate"),
    M("train_model", "biases never updated",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, update=_update_weights_only),
      expect="params['b1'] did not change in one iteration"),
    M("parity_data", "count, not parity",
      lambda n_bits: (parity_data(n_bits)[0], parity_data(n_bits)[0].sum(axis=0, keepdims=True)),
      expect="modulo 2"),
    M("parity_data", "even parity",
      lambda n_bits: (parity_data(n_bits)[0], 1 - parity_data(n_bits)[1]),
      expect="1 where the number of ones is odd"),
    M("parity_data", "patterns as rows", lambda n_bits: (parity_data(n_bits)[0].T, parity_data(n_bits)[1]),
      expect="transposed"),
    M("parity_data", "Y flat", lambda n_bits: (parity_data(n_bits)[0], parity_data(n_bits)[1].ravel()),
      expect="keepdims=True"),
    M("parity_data", "integers", _parity_ints, expect="astype(float)"),
    M("parity_data", "last pattern missing", _parity_missing_last, expect="all 2**n_bits"),
    M("parity_data", "one bit too few", _parity_narrow, expect="exactly once"),
    M("parity_data", "random patterns", _parity_random, expect="exactly once"),
    M("parity_data", "XOR of the first two bits", _parity_first_two,
      expect="the parity of all n_bits bits"),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb02 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("parity_data", _reference.parity_data))
