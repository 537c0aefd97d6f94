"""Reference implementations, notebook 06: optimization algorithms.

Conventions: examples are columns; parameters are ``{"W1", "b1", ..., "WL", "bL"}``;
gradients and optimizer states (v, s) are dicts keyed like the gradients
(``{"dW1", "db1", ...}``), each entry the shape of its parameter. Update functions return
new dicts and leave their arguments untouched. Gradient dicts may hold extra keys (such as
``"dA0"``): the updates loop over the parameters, not over the gradients.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "random_mini_batches", "ewma", "initialize_velocity", "update_parameters_with_momentum",
    "update_parameters_with_rmsprop", "update_parameters_with_adagrad", "initialize_adam",
    "update_parameters_with_adam", "learning_rate_decay",
]


def random_mini_batches(X, Y, mini_batch_size, rng):
    """Shuffle the examples, then cut them into mini-batches.

    X: (n_x, m), Y: (1, m), mini_batch_size: k >= 1, rng: numpy Generator.
    Returns a list of (X_t, Y_t) with X_t: (n_x, k_t), Y_t: (1, k_t); every k_t = k except
    the last, which holds the m % k examples left over (when m % k > 0).
    """
    m = X.shape[1]
    # one permutation for both, so that every example keeps its label
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, start:start + mini_batch_size], Y[:, start:start + mini_batch_size])
            for start in range(0, m, mini_batch_size)]


def ewma(values, beta, bias_correction=True):
    """Exponentially weighted moving average of a series.

    values: (T,) the series theta_1..theta_T;  beta: in [0, 1).
    Returns (T,) v_1..v_T with v_0 = 0 and v_t = beta v_{t-1} + (1 - beta) theta_t, each divided
    by 1 - beta^t when bias_correction (the weights of v_t sum to 1 - beta^t, not 1).
    """
    values = np.asarray(values, dtype=np.float64)
    averages = np.empty(values.shape[0])
    v = 0.0
    for t in range(1, values.shape[0] + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        # the recursion goes on with the uncorrected v; only the output is corrected
        averages[t - 1] = v / (1 - beta**t) if bias_correction else v
    return averages


def _zeros_like_grads(params):
    return {"d" + key: np.zeros(value.shape) for key, value in params.items()}


def initialize_velocity(params):
    """params: {"W1": (n_1, n_0), "b1": (n_1, 1), ...} -> v: {"dW1": zeros (n_1, n_0), "db1": zeros (n_1, 1), ...}."""
    return _zeros_like_grads(params)


def update_parameters_with_momentum(params, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum, as in the lecture.

    params: {"W1": (n_1, n_0), "b1": (n_1, 1), ...};  grads, v: {"dW1": (n_1, n_0), "db1": (n_1, 1), ...}.
    v_dW = beta v_dW + (1 - beta) dW, then W = W - learning_rate v_dW (the same for b).
    Returns (params, v), both new dicts.
    """
    v = {"d" + key: beta * v["d" + key] + (1 - beta) * grads["d" + key] for key in params}
    params = {key: value - learning_rate * v["d" + key] for key, value in params.items()}
    return params, v


def update_parameters_with_rmsprop(params, grads, s, beta, learning_rate, epsilon=1e-8):
    """One RMSprop step.

    params: {"W1": (n_1, n_0), ...};  grads, s: {"dW1": (n_1, n_0), ...}.
    s_dW = beta s_dW + (1 - beta) dW^2 (elementwise), then W = W - learning_rate dW / (sqrt(s_dW) + epsilon).
    Returns (params, s), both new dicts.
    """
    s = {"d" + key: beta * s["d" + key] + (1 - beta) * grads["d" + key] ** 2 for key in params}
    params = {key: value - learning_rate * grads["d" + key] / (np.sqrt(s["d" + key]) + epsilon)
              for key, value in params.items()}
    return params, s


def update_parameters_with_adagrad(params, grads, s, learning_rate, epsilon=1e-8):
    """One AdaGrad step.

    params: {"W1": (n_1, n_0), ...};  grads, s: {"dW1": (n_1, n_0), ...}.
    s_dW = s_dW + dW^2 (the sum of all squared gradients so far), then
    W = W - learning_rate dW / (sqrt(s_dW) + epsilon). Returns (params, s), both new dicts.
    """
    s = {"d" + key: s["d" + key] + grads["d" + key] ** 2 for key in params}
    params = {key: value - learning_rate * grads["d" + key] / (np.sqrt(s["d" + key]) + epsilon)
              for key, value in params.items()}
    return params, s


def initialize_adam(params):
    """params: {"W1": (n_1, n_0), ...} -> (v, s), two separate dicts of zeros keyed "dW1", "db1", ..."""
    return _zeros_like_grads(params), _zeros_like_grads(params)


def update_parameters_with_adam(params, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                beta2=0.999, epsilon=1e-8):
    """One Adam step; t counts the steps from 1.

    params: {"W1": (n_1, n_0), ...};  grads, v, s: {"dW1": (n_1, n_0), ...}.
    v = beta1 v + (1 - beta1) dW,  s = beta2 s + (1 - beta2) dW^2,
    W = W - learning_rate v_cor / (sqrt(s_cor) + epsilon) with v_cor = v / (1 - beta1^t),
    s_cor = s / (1 - beta2^t). Returns (params, v, s): the uncorrected v and s, which the next
    step continues from.
    """
    v = {"d" + key: beta1 * v["d" + key] + (1 - beta1) * grads["d" + key] for key in params}
    s = {"d" + key: beta2 * s["d" + key] + (1 - beta2) * grads["d" + key] ** 2 for key in params}
    new_params = {}
    for key, value in params.items():
        v_corrected = v["d" + key] / (1 - beta1**t)
        s_corrected = s["d" + key] / (1 - beta2**t)
        new_params[key] = value - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return new_params, v, s


def learning_rate_decay(learning_rate0, epoch, decay_rate):
    """The lecture's decay: learning_rate0 / (1 + decay_rate * epoch); epoch counts from 0."""
    return learning_rate0 / (1 + decay_rate * epoch)
