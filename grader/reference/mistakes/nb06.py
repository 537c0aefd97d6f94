"""Mistakes in notebook 06, as students make them."""
from __future__ import annotations

import functools

import numpy as np

from ..nb06 import (initialize_velocity, update_parameters_with_adam,
                    update_parameters_with_rmsprop)
from . import GLOBAL_RANDOM, NOT_INDEPENDENT, Mistake


def _quiet(fn):
    # Wrong formulas divide by zero or take roots of negative numbers; their warnings must not
    # reach stderr when a hint is looked up in a notebook (nbgrader zeroes such a cell).
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return quiet

# -- random_mini_batches ---------------------------------------------------------------


def _cut(X, Y, size, last="keep"):
    m = X.shape[1]
    full = m // size
    batches = [(X[:, k * size:(k + 1) * size], Y[:, k * size:(k + 1) * size]) for k in range(full)]
    if last == "keep" and m % size:
        batches.append((X[:, full * size:], Y[:, full * size:]))
    elif last == "always":  # the `if m % size != 0` forgotten
        batches.append((X[:, full * size:], Y[:, full * size:]))
    return batches


def _batches_two_permutations(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    return _cut(X[:, rng.permutation(m)], Y[:, rng.permutation(m)], mini_batch_size)


def _batches_Y_not_shuffled(X, Y, mini_batch_size, rng):
    return _cut(X[:, rng.permutation(X.shape[1])], Y, mini_batch_size)


def _batches_drop_last(X, Y, mini_batch_size, rng):
    order = rng.permutation(X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size, last="drop")


def _batches_empty_last(X, Y, mini_batch_size, rng):
    order = rng.permutation(X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size, last="always")


def _batches_not_shuffled(X, Y, mini_batch_size, rng):
    return _cut(X, Y, mini_batch_size)


def _batches_global_random(X, Y, mini_batch_size, rng):
    order = np.random.permutation(X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size)


def _batches_seeded_global(X, Y, mini_batch_size, rng):
    np.random.seed(int(rng.integers(2**31)))
    order = np.random.permutation(X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size)


def _batches_own_generator(X, Y, mini_batch_size, rng):
    order = np.random.default_rng(0).permutation(X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size)


def _batches_with_replacement(X, Y, mini_batch_size, rng):
    order = rng.integers(0, X.shape[1], size=X.shape[1])
    return _cut(X[:, order], Y[:, order], mini_batch_size)


def _batches_shuffle_in_place(X, Y, mini_batch_size, rng):
    order = rng.permutation(X.shape[1])
    X[:] = X[:, order]  # overwrites the caller's data
    Y[:] = Y[:, order]
    return _cut(X, Y, mini_batch_size)


def _batches_shuffle_batch_order(X, Y, mini_batch_size, rng):
    batches = _cut(X, Y, mini_batch_size)
    return [batches[k] for k in rng.permutation(len(batches))]


def _batches_complete_ones_shuffled(X, Y, mini_batch_size, rng):
    # the permutation drawn for the complete batches only: the m % mini_batch_size examples
    # left over go into the last batch as they come
    m = X.shape[1]
    full = m - m % mini_batch_size
    order = np.concatenate([rng.permutation(full), np.arange(full, m)])
    return _cut(X[:, order], Y[:, order], mini_batch_size)


def _batches_split(X, Y, mini_batch_size, rng):
    # np.split into m // mini_batch_size equal parts, then the rest: no parts at all when
    # mini_batch_size > m
    m = X.shape[1]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    n, full = m // mini_batch_size, m - m % mini_batch_size
    batches = list(zip(np.split(X[:, :full], n, axis=1), np.split(Y[:, :full], n, axis=1)))
    if m % mini_batch_size:
        batches.append((X[:, full:], Y[:, full:]))
    return batches


# -- ewma ------------------------------------------------------------------------------


@_quiet
def _ewma(values, beta, bias_correction=True, *, correct=None, swap=False, start=None,
          shift=False, state_corrected=False, as_list=False):
    v = values[0] if start == "first" else 0.0
    out = [0.0] if shift else []
    for t, theta in enumerate(values, start=0 if correct == "t from 0" else 1):
        v = (1 - beta) * v + beta * theta if swap else beta * v + (1 - beta) * theta
        if correct == "never" or (correct != "always" and not bias_correction):
            out.append(v)
            continue
        exponent = t + 1 if correct == "t + 1" else t
        corrected = v / (1 - beta**exponent)
        if state_corrected:
            v = corrected
        out.append(corrected)
    out = out[:len(values)]
    return out if as_list else np.array(out)


@_quiet
def _ewma_cumsum(values, beta, bias_correction=True):
    # vectorised: v_t = (1 - beta) beta^t sum_{i <= t} beta^-i theta_i; beta^-t overflows for
    # a long series (0.5^-1025 = inf) and is 1 / 0 for beta = 0
    t = np.arange(1, len(values) + 1)
    v = (1 - beta) * beta**t * np.cumsum(np.asarray(values) * beta ** (-t.astype(float)))
    return v / (1 - beta**t) if bias_correction else v


def _ewma_zeros_like(values, beta, bias_correction=True):
    averages = np.zeros_like(values)  # the dtype of values: integers for a series of integers
    v = 0.0
    for t in range(1, len(values) + 1):
        v = beta * v + (1 - beta) * values[t - 1]
        averages[t - 1] = v / (1 - beta**t) if bias_correction else v
    return averages


def _ewma_squeezed(values, beta, bias_correction=True):
    # all t at once with a weights matrix; .squeeze() to drop the column axis of the product
    # drops every axis of length 1: a series of one value gives a 0-d array
    T = len(values)
    t, i = np.arange(1, T + 1)[:, None], np.arange(1, T + 1)[None, :]
    weights = np.where(i <= t, (1 - beta) * beta ** np.maximum(t - i, 0), 0.0)
    v = (weights @ np.asarray(values, dtype=float).reshape(-1, 1)).squeeze()
    return v / (1 - beta ** t.squeeze()) if bias_correction else v


# -- optimizer updates ------------------------------------------------------------------


def _momentum(params, grads, v, beta, learning_rate, *, damp=True, returned="new", step="v",
              sign=-1.0, lr_in_v=False, swap=False):
    new_v = {}
    for key in params:
        d = "d" + key
        g = grads[d]
        if lr_in_v:
            new_v[d] = beta * v[d] + learning_rate * g
        elif swap:
            new_v[d] = (1 - beta) * v[d] + beta * g
        else:
            new_v[d] = beta * v[d] + ((1 - beta) if damp else 1.0) * g
    new_params = {}
    for key, value in params.items():
        d = "d" + key
        direction = {"v": new_v[d], "old v": v[d], "dW": grads[d]}[step]
        new_params[key] = value + sign * (1.0 if lr_in_v else learning_rate) * direction
    return new_params, (new_v if returned == "new" else v)


def _momentum_in_place(params, grads, v, beta, learning_rate):
    params = dict(params)
    for key in params:
        d = "d" + key
        v[d] = beta * v[d] + (1 - beta) * grads[d]  # writes into the caller's dict
        params[key] = params[key] - learning_rate * v[d]
    return params, v


def _momentum_loops_over_grads(params, grads, v, beta, learning_rate):
    new_v = {d: beta * v[d] + (1 - beta) * g for d, g in grads.items()}
    return {k: p - learning_rate * new_v["d" + k] for k, p in params.items()}, new_v


@_quiet
def _scaled(params, grads, s, learning_rate, epsilon, *, beta=None, accumulate="sum",
            square=True, root="outside", step_with="new", returned="new"):
    """RMSprop (beta given) and AdaGrad (beta None), with one thing changed."""
    new_s = {}
    for key in params:
        d = "d" + key
        g2 = grads[d] ** 2 if square else grads[d]
        if beta is not None:
            new_s[d] = beta * s[d] + (1 - beta) * g2 if accumulate == "sum" else \
                (1 - beta) * s[d] + beta * g2
        elif accumulate == "sum":
            new_s[d] = s[d] + g2
        elif accumulate == "average":
            new_s[d] = 0.9 * s[d] + 0.1 * g2
        else:  # "latest"
            new_s[d] = g2
    new_params = {}
    for key, value in params.items():
        d = "d" + key
        s_used = new_s[d] if step_with == "new" else s[d]
        scale = {"outside": np.sqrt(s_used) + epsilon, "inside": np.sqrt(s_used + epsilon),
                 "no root": s_used + epsilon}[root]
        new_params[key] = value - learning_rate * grads[d] / scale
    return new_params, (new_s if returned == "new" else s)


@_quiet
def _rmsprop_precedence(params, grads, s, beta, learning_rate, epsilon=1e-8):
    new_s = {"d" + k: beta * s["d" + k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
    # the parentheses left out: W - learning_rate * dW / np.sqrt(s) + epsilon
    return {k: w - learning_rate * grads["d" + k] / np.sqrt(new_s["d" + k]) + epsilon
            for k, w in params.items()}, new_s


def _rmsprop(**changes):
    def update(params, grads, s, beta, learning_rate, epsilon=1e-8):
        return _scaled(params, grads, s, learning_rate, epsilon, beta=beta, **changes)
    return update


def _adagrad(**changes):
    def update(params, grads, s, learning_rate, epsilon=1e-8):
        return _scaled(params, grads, s, learning_rate, epsilon, **changes)
    return update


def _rmsprop_in_place(params, grads, s, beta, learning_rate, epsilon=1e-8):
    new_params, new_s = update_parameters_with_rmsprop(params, grads, s, beta, learning_rate, epsilon)
    s.update(new_s)  # the right values, written into the caller's dict
    return new_params, s


def _adagrad_in_place(params, grads, s, learning_rate, epsilon=1e-8):
    new_params = {}
    for key, value in params.items():
        d = "d" + key
        s[d] += grads[d] ** 2  # `+=` on the caller's array
        new_params[key] = value - learning_rate * grads[d] / (np.sqrt(s[d]) + epsilon)
    return new_params, s


def _adam(*, correct="both", t_shift=0, root="outside", returned="new", s_beta="beta2",
          v_correction_beta="beta1", multiply=False):
    @_quiet
    def update(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        b2 = beta2 if s_beta == "beta2" else beta1
        new_v = {"d" + k: beta1 * v["d" + k] + (1 - beta1) * grads["d" + k] for k in params}
        new_s = {"d" + k: b2 * s["d" + k] + (1 - b2) * grads["d" + k] ** 2 for k in params}
        tt = t + t_shift
        bv = beta1 if v_correction_beta == "beta1" else beta2
        cv = 1 - bv**tt if correct in ("both", "v") else 1.0
        cs = 1 - beta2**tt if correct in ("both", "s") else 1.0
        v_cor = {d: (x * cv if multiply else x / cv) for d, x in new_v.items()}
        s_cor = {d: (x * cs if multiply else x / cs) for d, x in new_s.items()}
        new_params = {}
        for key, value in params.items():
            d = "d" + key
            scale = np.sqrt(s_cor[d]) + epsilon if root == "outside" else np.sqrt(s_cor[d] + epsilon)
            new_params[key] = value - learning_rate * v_cor[d] / scale
        if returned == "old":
            return new_params, v, s
        if returned == "corrected":
            return new_params, v_cor, s_cor
        return new_params, new_v, new_s
    return update


def _adam_fixed_epsilon(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                        epsilon=1e-8):
    return update_parameters_with_adam(params, grads, v, s, t, learning_rate, beta1, beta2, 1e-8)


def _adam_pytorch_default(params, grads, v, s, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                          epsilon=1e-8):
    return update_parameters_with_adam(params, grads, v, s, t, learning_rate, beta1, beta2, epsilon)


def _adam_init_shallow_copy(params):
    v = initialize_velocity(params)
    return v, dict(v)  # a new dict, but the same arrays


def _adam_t_minus_1(params, grads, v, s, t, **hyper):
    # At t = 1 the correction divides by 1 - beta**0 = 0 and every value is nan, which no hint
    # can match (nan != nan): raise there, so that the build stores no value for that trial. From
    # t = 2 on the values are finite and wrong, and the hint names them.
    if t == 1:
        raise ZeroDivisionError("1 - beta1**(t - 1) = 0 at t = 1")
    return _adam(t_shift=-1)(params, grads, v, s, t, **hyper)


@_quiet
def _adam_efficient_unscaled_epsilon(params, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                     beta2=0.999, epsilon=1e-8):
    # the Adam paper's "more efficient" order: the corrections folded into the step size,
    # alpha_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t), but epsilon used as epsilon-hat unscaled
    step = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    new_v = {"d" + k: beta1 * v["d" + k] + (1 - beta1) * grads["d" + k] for k in params}
    new_s = {"d" + k: beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    new_params = {k: w - step * new_v["d" + k] / (np.sqrt(new_s["d" + k]) + epsilon)
                  for k, w in params.items()}
    return new_params, new_v, new_s


def _adam_in_place(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                   epsilon=1e-8):
    new_params = {}
    for key, value in params.items():
        d = "d" + key
        v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
        v_cor, s_cor = v[d] / (1 - beta1**t), s[d] / (1 - beta2**t)
        new_params[key] = value - learning_rate * v_cor / (np.sqrt(s_cor) + epsilon)
    return new_params, v, s


# -- initializations -------------------------------------------------------------------


def _zeros(params, *, keys="d", b_like_W=False, L=None, skip_last=False, scalar=False, fill=0.0):
    L = L if L is not None else len(params) // 2
    out = {}
    for l in range(1, L + (0 if skip_last else 1)):
        W = params[f"W{l}"]
        b_shape = W.shape if b_like_W else params[f"b{l}"].shape
        for name, shape in ((f"W{l}", W.shape), (f"b{l}", b_shape)):
            out[(keys + name) if keys else name] = fill if scalar else np.full(shape, fill)
    return out


M = Mistake
MISTAKES = [
    M("random_mini_batches", "X and Y shuffled apart", _batches_two_permutations,
      expect="shuffle X and Y with the same permutation"),
    M("random_mini_batches", "Y not shuffled", _batches_Y_not_shuffled,
      expect="shuffle X and Y with the same permutation"),
    M("random_mini_batches", "last partial batch dropped", _batches_drop_last,
      expect="are missing", edge="boundary"),
    M("random_mini_batches", "empty last batch", _batches_empty_last, expect="empty batch",
      edge="boundary"),
    M("random_mini_batches", "np.split into m // mini_batch_size parts", _batches_split,
      expect="ZeroDivisionError", edge="boundary", public=False),
    M("random_mini_batches", "complete batches shuffled, the rest not",
      _batches_complete_ones_shuffled, expect="the last batch is not shuffled", edge="per-part"),
    M("random_mini_batches", "not shuffled", _batches_not_shuffled, expect="original order"),
    M("random_mini_batches", "global np.random", _batches_global_random, expect=GLOBAL_RANDOM),
    M("random_mini_batches", "global np.random seeded from rng", _batches_seeded_global,
      expect=GLOBAL_RANDOM),
    M("random_mini_batches", "own generator", _batches_own_generator,
      expect="two different generators", edge="randomness"),
    M("random_mini_batches", "with replacement", _batches_with_replacement,
      expect="exactly one batch"),
    M("random_mini_batches", "shuffles X in place", _batches_shuffle_in_place,
      expect="modified its argument `X`"),
    M("random_mini_batches", "batch order shuffled", _batches_shuffle_batch_order,
      expect="order of the batches"),

    M("ewma", "no bias correction", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, correct="never"),
      "with bias_correction=True divide each v_t by (1 - beta**t): v_0 = 0 pulls the first "
      "averages towards 0."),
    M("ewma", "always corrected", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, correct="always"),
      "with bias_correction=False return the plain averages v_t, without dividing by "
      "(1 - beta**t)."),
    M("ewma", "beta and 1 - beta swapped", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, swap=True),
      "v_t = beta * v_{t-1} + (1 - beta) * theta_t: beta weighs the past, 1 - beta the new value."),
    M("ewma", "t from 0 in the correction", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, correct="t from 0"),
      expect="division by zero"),
    M("ewma", "t + 1 in the correction", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, correct="t + 1"),
      "the first value is v_1, corrected by 1 - beta**1: t counts from 1 (you divided by "
      "1 - beta**(t + 1))."),
    M("ewma", "corrected value fed back", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, state_corrected=True),
      "divide only the value you output by 1 - beta**t; the recursion goes on with the "
      "uncorrected v."),
    M("ewma", "starts from the first value", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, start="first"),
      "start from v_0 = 0, as in the lecture (bias correction is what repairs the start), "
      "not from v_0 = theta_1."),
    M("ewma", "returns v_0 .. v_{T-1}", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, shift=True),
      "return v_1, ..., v_T, one value per input (the first after theta_1), not v_0 = 0 first."),
    M("ewma", "returns a list", lambda values, beta, bias_correction=True:
      _ewma(values, beta, bias_correction, as_list=True), expect="numpy array"),
    M("ewma", "cumsum of theta_i / beta**i", _ewma_cumsum,
      expect="an overflow, a division by zero", edge="extreme", public=False),
    M("ewma", "np.zeros_like(values)", _ewma_zeros_like, expect="is an array of integers",
      edge="type", public=False),
    M("ewma", "weights matrix, squeezed", _ewma_squeezed, expect="should be a numpy array of shape (1,)",
      edge="shape", public=False),

    M("initialize_velocity", "keys W1, b1", lambda params: _zeros(params, keys=""),
      expect="has no key 'dW1'"),
    M("initialize_velocity", "b shaped like W", lambda params: _zeros(params, b_like_W=True),
      expect="has shape"),
    M("initialize_velocity", "L = len(params)", lambda params: _zeros(params, L=len(params)),
      expect="KeyError"),
    M("initialize_velocity", "skips the last layer", lambda params: _zeros(params, skip_last=True),
      expect="has no key"),
    M("initialize_velocity", "plain 0 instead of arrays", lambda params: _zeros(params, scalar=True),
      expect="numpy array"),
    M("initialize_velocity", "copies params",
      lambda params: {"d" + k: np.array(v, copy=True) for k, v in params.items()},
      "the velocity starts at zero: np.zeros(params[\"W1\"].shape), not a copy of W."),

    M("update_parameters_with_momentum", "no (1 - beta), PyTorch style",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              damp=False),
      "the lecture's momentum is v = beta * v + (1 - beta) * dW; without (1 - beta) (PyTorch's "
      "convention) v grows to 1 / (1 - beta) times the gradient."),
    M("update_parameters_with_momentum", "returns the old v",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              returned="old"),
      "return the updated v: the next step continues from it."),
    M("update_parameters_with_momentum", "steps along dW",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              step="dW"),
      "the step follows the velocity: W - learning_rate * v, with v already updated, not dW."),
    M("update_parameters_with_momentum", "steps with the old v",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              step="old v"),
      "update v first, then step with the new v: W - learning_rate * v."),
    M("update_parameters_with_momentum", "beta and 1 - beta swapped",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              swap=True),
      "v = beta * v + (1 - beta) * dW: beta weighs the past velocity, 1 - beta the new gradient."),
    M("update_parameters_with_momentum", "plus sign",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              sign=1.0),
      "gradient descent steps downhill: W - learning_rate * v."),
    M("update_parameters_with_momentum", "learning rate inside v",
      lambda params, grads, v, beta, learning_rate: _momentum(params, grads, v, beta, learning_rate,
                                                              lr_in_v=True),
      "keep the learning rate out of v: v = beta * v + (1 - beta) * dW, then W - learning_rate * v "
      "(v = beta * v + learning_rate * dW, W - v is another convention)."),
    M("update_parameters_with_momentum", "v updated in place", _momentum_in_place,
      expect="modified its argument `v`"),
    M("update_parameters_with_momentum", "loops over grads", _momentum_loops_over_grads,
      expect="KeyError"),

    M("update_parameters_with_rmsprop", "epsilon inside the root", _rmsprop(root="inside"),
      "divide by np.sqrt(s) + epsilon, with epsilon outside the square root (you used "
      "np.sqrt(s + epsilon), Keras's form; this course uses np.sqrt(s) + epsilon)."),
    M("update_parameters_with_rmsprop", "no square root", _rmsprop(root="no root"),
      "divide by the root of the mean square, np.sqrt(s) + epsilon, not by s."),
    M("update_parameters_with_rmsprop", "dW not squared", _rmsprop(square=False),
      expect="contains nan"),
    M("update_parameters_with_rmsprop", "no parentheses around np.sqrt(s) + epsilon",
      _rmsprop_precedence,
      "put the denominator in parentheses: learning_rate * dW / (np.sqrt(s) + epsilon); "
      "without them epsilon is added to W after dividing by np.sqrt(s) alone."),
    M("update_parameters_with_rmsprop", "returns the old s", _rmsprop(returned="old"),
      "return the updated s: the next step continues from it."),
    M("update_parameters_with_rmsprop", "steps with the old s", _rmsprop(step_with="old"),
      "update s first, then divide by np.sqrt(s) + epsilon with the new s."),
    M("update_parameters_with_rmsprop", "beta and 1 - beta swapped", _rmsprop(accumulate="swap"),
      "s = beta * s + (1 - beta) * dW**2: beta weighs the past, 1 - beta the new squared gradient."),
    M("update_parameters_with_rmsprop", "s updated in place", _rmsprop_in_place,
      expect="modified its argument `s`"),

    M("update_parameters_with_adagrad", "decaying average", _adagrad(accumulate="average"),
      "AdaGrad adds up all squared gradients, s = s + dW**2; a decaying average of them is "
      "RMSprop."),
    M("update_parameters_with_adagrad", "latest gradient only", _adagrad(accumulate="latest"),
      "s accumulates: s = s + dW**2, the sum over all steps so far, not the latest dW**2 alone."),
    M("update_parameters_with_adagrad", "epsilon inside the root", _adagrad(root="inside"),
      "divide by np.sqrt(s) + epsilon, with epsilon outside the square root (you used "
      "np.sqrt(s + epsilon), Keras's form; this course uses np.sqrt(s) + epsilon)."),
    M("update_parameters_with_adagrad", "dW not squared", _adagrad(square=False),
      expect="contains nan"),
    M("update_parameters_with_adagrad", "returns the old s", _adagrad(returned="old"),
      "return the updated s: the next step continues from it."),
    M("update_parameters_with_adagrad", "steps with the old s", _adagrad(step_with="old"),
      "add dW**2 to s first, then divide by np.sqrt(s) + epsilon with the new s."),
    M("update_parameters_with_adagrad", "s += in place", _adagrad_in_place,
      expect="modified its argument `s`"),

    M("initialize_adam", "returns v only", lambda params: initialize_velocity(params),
      expect="should be a tuple of 2 values"),
    M("initialize_adam", "keys W1, b1",
      lambda params: (_zeros(params, keys=""), _zeros(params, keys="")), expect="has no key 'dW1'"),
    M("initialize_adam", "b shaped like W",
      lambda params: (_zeros(params, b_like_W=True), _zeros(params, b_like_W=True)),
      expect="has shape"),
    M("initialize_adam", "s starts at one",
      lambda params: (_zeros(params), _zeros(params, fill=1.0)),
      "s starts at zero too: bias correction assumes v_0 = s_0 = 0."),
    M("initialize_adam", "returns t as well",
      lambda params: (_zeros(params), _zeros(params), 0), expect="should hold 2 values"),
    M("initialize_adam", "s = dict(v)", _adam_init_shallow_copy, expect=NOT_INDEPENDENT),

    M("update_parameters_with_adam", "no bias correction", _adam(correct="none"),
      "correct both averages before the step: v / (1 - beta1**t) and s / (1 - beta2**t)."),
    M("update_parameters_with_adam", "t counted from 0", _adam(t_shift=1),
      "t counts the steps from 1: the first step divides by 1 - beta1**1 (you used t + 1)."),
    M("update_parameters_with_adam", "t - 1 in the correction", _adam_t_minus_1,
      "t counts the steps from 1, and the correction uses t itself: 1 - beta1**t, "
      "1 - beta2**t (with t - 1, the first step, t = 1, divides by 1 - beta**0 = 0)."),
    M("update_parameters_with_adam", "paper's efficient form, epsilon not rescaled",
      _adam_efficient_unscaled_epsilon,
      "this is the Adam paper's faster form, alpha_t = learning_rate * sqrt(1 - beta2**t) / "
      "(1 - beta1**t) times v / (sqrt(s) + epsilon); it equals the lecture's update only with "
      "epsilon_hat = epsilon * sqrt(1 - beta2**t) in place of epsilon, and the difference shows "
      "where gradients are tiny. Divide v / (1 - beta1**t) by np.sqrt(s / (1 - beta2**t)) + epsilon."),
    M("update_parameters_with_adam", "epsilon inside the root", _adam(root="inside"),
      "divide by np.sqrt(s_corrected) + epsilon, with epsilon outside the square root (you used "
      "np.sqrt(s_corrected + epsilon))."),
    M("update_parameters_with_adam", "returns the corrected v and s", _adam(returned="corrected"),
      "return the uncorrected v and s: the next step continues the averages from them; the "
      "corrected ones are only for this step's update."),
    M("update_parameters_with_adam", "returns the old v and s", _adam(returned="old"),
      "return the updated v and s: the next step continues from them."),
    M("update_parameters_with_adam", "s with beta1", _adam(s_beta="beta1"),
      "s = beta2 * s + (1 - beta2) * dW**2 uses beta2; beta1 is for v."),
    M("update_parameters_with_adam", "v corrected with beta2", _adam(v_correction_beta="beta2"),
      "correct v with its own beta: v / (1 - beta1**t), and s / (1 - beta2**t)."),
    M("update_parameters_with_adam", "only s corrected", _adam(correct="s"),
      "correct v as well as s: v / (1 - beta1**t)."),
    M("update_parameters_with_adam", "multiplies by the correction", _adam(multiply=True),
      "bias correction divides: v / (1 - beta1**t), s / (1 - beta2**t)."),
    M("update_parameters_with_adam", "v and s updated in place", _adam_in_place,
      expect="modified its argument `v`"),
    M("update_parameters_with_adam", "epsilon typed in as 1e-8", _adam_fixed_epsilon,
      "use the epsilon argument: a trial passes its own epsilon, and 1e-8 typed into the "
      "formula is only its default.", edge="boundary"),
    M("update_parameters_with_adam", "default learning_rate 0.001 (PyTorch's)",
      _adam_pytorch_default,
      "learning_rate defaults to 0.01 in this exercise's signature (0.001 is PyTorch's default "
      "for Adam): keep the defaults of the def line.", edge="boundary"),

    M("learning_rate_decay", "missing parentheses",
      lambda learning_rate0, epoch, decay_rate: learning_rate0 / (1 + decay_rate) * epoch,
      "put the whole denominator in parentheses: learning_rate0 / (1 + decay_rate * epoch)."),
    M("learning_rate_decay", "epoch counted from 1",
      lambda learning_rate0, epoch, decay_rate: learning_rate0 / (1 + decay_rate * (epoch + 1)),
      "epoch counts from 0, and epoch 0 uses learning_rate0 itself: "
      "learning_rate0 / (1 + decay_rate * epoch)."),
    M("learning_rate_decay", "exponential decay",
      lambda learning_rate0, epoch, decay_rate: learning_rate0 * decay_rate**epoch,
      "that is exponential decay; this exercise is the lecture's "
      "learning_rate0 / (1 + decay_rate * epoch)."),
    M("learning_rate_decay", "power of (1 + decay_rate)",
      lambda learning_rate0, epoch, decay_rate: learning_rate0 / (1 + decay_rate) ** epoch,
      "multiply decay_rate by epoch (no power): learning_rate0 / (1 + decay_rate * epoch)."),
    M("learning_rate_decay", "only learning_rate0 divided",
      lambda learning_rate0, epoch, decay_rate: learning_rate0 / 1 + decay_rate * epoch,
      "divide learning_rate0 by the whole (1 + decay_rate * epoch)."),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb06 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("random_mini_batches", _reference.random_mini_batches))
