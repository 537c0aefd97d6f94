"""Correct implementations of the notebook 06 exercises that differ from the reference:
loops over layers, other equivalent formulas, other ways to draw the permutation, lists for
tuples, numpy scalars for floats. Every check must accept them all."""
from __future__ import annotations

import copy
import math

import numpy as np


# -- random_mini_batches: other ways to draw a permutation and to cut ---------------------


def random_mini_batches_loop(X, Y, mini_batch_size, rng):
    # the classic loop: complete batches, then the partial one if there is one
    m = X.shape[1]
    permutation = list(rng.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    batches = []
    complete = math.floor(m / mini_batch_size)
    for k in range(complete):
        batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                        shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        batches.append((shuffled_X[:, complete * mini_batch_size:],
                        shuffled_Y[:, complete * mini_batch_size:]))
    return batches


def random_mini_batches_argsort(X, Y, mini_batch_size, rng):
    # a permutation from sorting uniform draws; lists for pairs
    order = np.argsort(rng.random(X.shape[1]))
    n = math.ceil(X.shape[1] / mini_batch_size)
    return [[X[:, order[k * mini_batch_size:(k + 1) * mini_batch_size]],
             Y[:, order[k * mini_batch_size:(k + 1) * mini_batch_size]]] for k in range(n)]


def random_mini_batches_shuffle_indices(X, Y, mini_batch_size, rng):
    # rng.shuffle on a fresh index array (never on X itself), np.split at the cut points
    index = np.arange(X.shape[1])
    rng.shuffle(index)
    cuts = np.arange(mini_batch_size, X.shape[1], mini_batch_size)
    return tuple((X[:, part], Y[:, part]) for part in np.split(index, cuts))


def random_mini_batches_spawned(X, Y, mini_batch_size, rng):
    # a child generator spawned from rng (same rng state, same child), rng.choice without
    # replacement for the permutation, X.take for the columns
    child = rng.spawn(1)[0]
    m = X.shape[1]
    order = child.choice(m, size=m, replace=False)
    return [(X.take(order[s:s + mini_batch_size], axis=1), Y.take(order[s:s + mini_batch_size], axis=1))
            for s in range(0, m, mini_batch_size)]


def random_mini_batches_permuted_while(X, Y, mini_batch_size, rng):
    # rng.permuted on a fresh index array, and a while loop over the start of each batch
    m = X.shape[1]
    order = rng.permuted(np.arange(m))
    batches, start = [], 0
    while start < m:
        part = order[start:start + mini_batch_size]
        batches.append((X[:, part], Y[:, part]))
        start += mini_batch_size
    return batches


# -- ewma ------------------------------------------------------------------------------


def ewma_weights(values, beta, bias_correction=True):
    # the unrolled sum: v_t = (1 - beta) sum_i beta^(t - i) theta_i, all t at once
    values = np.asarray(values, dtype=float)
    T = len(values)
    t, i = np.arange(1, T + 1)[:, None], np.arange(1, T + 1)[None, :]
    weights = np.where(i <= t, (1 - beta) * beta ** np.maximum(t - i, 0), 0.0)
    v = weights @ values
    if bias_correction:
        v = v / weights.sum(axis=1)  # the weights of v_t sum to 1 - beta^t
    return v


def ewma_list(values, beta, bias_correction=True):
    out, v = [], 0
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def ewma_weight_sum(values, beta, bias_correction=True):
    # bias correction as the running sum of the weights, w_t = beta w_{t-1} + (1 - beta),
    # which is 1 - beta^t; np.zeros_like with a float dtype for an integer series
    averages = np.zeros_like(values, dtype=float)
    v = w = 0.0
    for t, theta in enumerate(values):
        v, w = beta * v + (1 - beta) * theta, beta * w + (1 - beta)
        averages[t] = v / w if bias_correction else v
    return averages


def ewma_lerp_fromiter(values, beta, bias_correction=True):
    # v + (1 - beta)(theta - v): a step towards each new value; np.fromiter from a generator
    def averages():
        v = 0.0
        for t, theta in enumerate(values, start=1):
            v = v + (1 - beta) * (theta - v)
            yield v / (1 - beta**t) if bias_correction else v
    return np.fromiter(averages(), dtype=np.float64, count=len(values))


# -- initializations -------------------------------------------------------------------


def initialize_velocity_loop(params):
    L = len(params) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(params["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(params["b" + str(l)].shape)
    return v


def initialize_velocity_zeros_like(params):
    return {f"d{k}": np.zeros_like(p, dtype=float) for k, p in params.items()}


def initialize_velocity_full(params):
    L = len(params) // 2
    return {f"d{p}{l}": np.full(params[f"{p}{l}"].shape, 0.0) for l in range(1, L + 1) for p in "Wb"}


def initialize_adam_loop(params):
    v, s = {}, {}
    for l in range(1, len(params) // 2 + 1):
        for name in ("W", "b"):
            v[f"d{name}{l}"] = np.zeros_like(params[f"{name}{l}"])
            s[f"d{name}{l}"] = np.zeros_like(params[f"{name}{l}"])
    return [v, s]


def initialize_adam_copies(params):
    v = initialize_velocity_zeros_like(params)
    return v, copy.deepcopy(v)


def initialize_adam_twice(params):
    # initialize_velocity's zeros twice: two calls, two sets of arrays
    return initialize_velocity_full(params), initialize_velocity_zeros_like(params)


# -- momentum --------------------------------------------------------------------------


def momentum_loop_deepcopy(params, grads, v, beta, learning_rate):
    params, v = copy.deepcopy(params), copy.deepcopy(v)
    for l in range(1, len(params) // 2 + 1):
        for p in ("W", "b"):
            v[f"d{p}{l}"] = beta * v[f"d{p}{l}"] + (1 - beta) * grads[f"d{p}{l}"]
            params[f"{p}{l}"] -= learning_rate * v[f"d{p}{l}"]
    return params, v


def momentum_lerp(params, grads, v, beta, learning_rate):
    # v + (1 - beta)(dW - v) is the same average, written as a step towards dW
    new_v = {f"d{k}": v[f"d{k}"] + (1 - beta) * (grads[f"d{k}"] - v[f"d{k}"]) for k in params}
    return [{k: w - learning_rate * new_v[f"d{k}"] for k, w in params.items()}, new_v]


def momentum_copies_in_place(params, grads, v, beta, learning_rate):
    # copies first, then in-place arithmetic on the copies only
    new_params, new_v = {}, {}
    for key in params:
        d = "d" + key
        new_v[d] = v[d].copy()
        new_v[d] *= beta
        new_v[d] += (1 - beta) * grads[d]
        new_params[key] = np.copy(params[key])
        new_params[key] -= learning_rate * new_v[d]
    return new_params, new_v


# -- RMSprop and AdaGrad -----------------------------------------------------------------


def rmsprop_loop(params, grads, s, beta, learning_rate, epsilon=1e-8):
    params, s = dict(params), dict(s)
    for l in range(1, len(params) // 2 + 1):
        for p in ("W", "b"):
            g = grads["d" + p + str(l)]
            s["d" + p + str(l)] = beta * s["d" + p + str(l)] + (1 - beta) * np.square(g)
            params[p + str(l)] = params[p + str(l)] - learning_rate * np.divide(
                g, np.sqrt(s["d" + p + str(l)]) + epsilon)
    return params, s


def rmsprop_towards(params, grads, s, beta, learning_rate, epsilon=1e-8):
    # s + (1 - beta)(g^2 - s), and multiplying by the inverse root
    new_s = {d: s[d] + (1 - beta) * (grads[d] * grads[d] - s[d]) for d in s}
    return ({k: w - learning_rate * grads["d" + k] * (1.0 / (new_s["d" + k] ** 0.5 + epsilon))
             for k, w in params.items()}, new_s)


def rmsprop_out_arrays(params, grads, s, beta, learning_rate, epsilon=1e-8):
    # ufuncs, with out= into a freshly allocated array
    new_params, new_s = {}, {}
    for key in params:
        d = "d" + key
        new_s[d] = np.multiply(s[d], beta)
        np.add(new_s[d], (1 - beta) * np.square(grads[d]), out=new_s[d])
        step = np.divide(grads[d], np.add(np.sqrt(new_s[d]), epsilon))
        new_params[key] = np.subtract(params[key], learning_rate * step)
    return new_params, new_s


def adagrad_loop(params, grads, s, learning_rate, epsilon=1e-8):
    params, s = copy.deepcopy(params), copy.deepcopy(s)
    for key in params:
        s["d" + key] += grads["d" + key] ** 2
        params[key] -= learning_rate * grads["d" + key] / (np.sqrt(s["d" + key]) + epsilon)
    return params, s


def adagrad_comprehension(params, grads, s, learning_rate, epsilon=1e-8):
    new_s = {d: np.add(s[d], np.square(grads[d])) for d in s}
    return [{k: np.subtract(w, learning_rate * grads["d" + k] / (np.sqrt(new_s["d" + k]) + epsilon))
             for k, w in params.items()}, new_s]


def adagrad_layers(params, grads, s, learning_rate, epsilon=1e-8):
    # by layer number, with np.power for the square
    new_params, new_s = {}, {}
    for l in range(1, len(params) // 2 + 1):
        for p in ("W", "b"):
            key, d = f"{p}{l}", f"d{p}{l}"
            new_s[d] = s[d] + np.power(grads[d], 2)
            new_params[key] = params[key] - learning_rate * grads[d] / (np.sqrt(new_s[d]) + epsilon)
    return new_params, new_s


# -- Adam ------------------------------------------------------------------------------


def adam_loop(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    params, v, s = copy.deepcopy(params), copy.deepcopy(v), copy.deepcopy(s)
    v_corrected, s_corrected = {}, {}
    for l in range(1, len(params) // 2 + 1):
        for p in ("dW", "db"):
            key = p + str(l)
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            v_corrected[key] = v[key] / (1 - np.power(beta1, t))
            s[key] = beta2 * s[key] + (1 - beta2) * np.power(grads[key], 2)
            s_corrected[key] = s[key] / (1 - np.power(beta2, t))
            params[key[1:]] = params[key[1:]] - learning_rate * v_corrected[key] / (
                np.sqrt(s_corrected[key]) + epsilon)
    return params, v, s


def adam_efficient(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                   epsilon=1e-8):
    # the paper's faster form: the corrections folded into the step size (and epsilon)
    step = learning_rate * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    eps_hat = epsilon * math.sqrt(1 - beta2**t)
    new_v = {d: beta1 * v[d] + (1 - beta1) * grads[d] for d in v}
    new_s = {d: beta2 * s[d] + (1 - beta2) * grads[d] ** 2 for d in s}
    new_params = {k: w - step * new_v["d" + k] / (np.sqrt(new_s["d" + k]) + eps_hat)
                  for k, w in params.items()}
    return [new_params, new_v, new_s]


def adam_lerp_math(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                   epsilon=1e-8):
    # the averages as steps towards dW and dW**2; the corrections with math.pow, computed once
    c1, c2 = 1 - math.pow(beta1, t), 1 - math.pow(beta2, t)
    new_params, new_v, new_s = {}, {}, {}
    for key in params:
        d = "d" + key
        new_v[d] = v[d] + (1 - beta1) * (grads[d] - v[d])
        new_s[d] = s[d] + (1 - beta2) * (grads[d] * grads[d] - s[d])
        new_params[key] = params[key] - learning_rate * (new_v[d] / c1) / (np.sqrt(new_s[d] / c2) + epsilon)
    return new_params, new_v, new_s


# -- learning_rate_decay ---------------------------------------------------------------


def learning_rate_decay_numpy(learning_rate0, epoch, decay_rate):
    return np.float64(learning_rate0) * np.reciprocal(1.0 + decay_rate * epoch)


def learning_rate_decay_float(learning_rate0, epoch, decay_rate):
    return float(learning_rate0 / (decay_rate * epoch + 1))


def learning_rate_decay_power(learning_rate0, epoch, decay_rate):
    return learning_rate0 * (1.0 + decay_rate * epoch) ** -1


VARIANTS = {
    "random_mini_batches": [random_mini_batches_loop, random_mini_batches_argsort,
                            random_mini_batches_shuffle_indices, random_mini_batches_spawned,
                            random_mini_batches_permuted_while],
    "ewma": [ewma_weights, ewma_list, ewma_weight_sum, ewma_lerp_fromiter],
    "initialize_velocity": [initialize_velocity_loop, initialize_velocity_zeros_like,
                            initialize_velocity_full],
    "update_parameters_with_momentum": [momentum_loop_deepcopy, momentum_lerp,
                                        momentum_copies_in_place],
    "update_parameters_with_rmsprop": [rmsprop_loop, rmsprop_towards, rmsprop_out_arrays],
    "update_parameters_with_adagrad": [adagrad_loop, adagrad_comprehension, adagrad_layers],
    "initialize_adam": [initialize_adam_loop, initialize_adam_copies, initialize_adam_twice],
    "update_parameters_with_adam": [adam_loop, adam_efficient, adam_lerp_math],
    "learning_rate_decay": [learning_rate_decay_numpy, learning_rate_decay_float,
                            learning_rate_decay_power],
}
