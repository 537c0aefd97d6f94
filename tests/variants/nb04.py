"""Correct implementations that differ from the reference: loops, other formulas, other
ways to draw the random numbers, lists for tuples, numpy scalars for floats and ints.
Every check must accept them all."""
from __future__ import annotations

import math

import numpy as np

from grader.reference.nb01 import (compute_cost, linear_activation_backward,
                                   linear_activation_forward, linear_backward, model_backward,
                                   relu_backward)


# -- compute_cost_with_l2 ------------------------------------------------------------------


def compute_cost_with_l2_loop(AL, Y, params, lambd):
    m = Y.shape[1]
    total = 0.0
    for key, value in params.items():
        if key.startswith("W"):
            for w in value.ravel():
                total += w * w
    return compute_cost(AL, Y) + lambd * total / (2 * m)


def compute_cost_with_l2_norms(AL, Y, params, lambd):
    m = AL.shape[1]
    L = len(params) // 2
    cross_entropy = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))  # an np.float64
    penalty = sum(np.linalg.norm(params["W" + str(l)], "fro") ** 2 for l in range(1, L + 1))
    return cross_entropy + (lambd / (2 * m)) * penalty


def compute_cost_with_l2_dot(AL, Y, params, lambd):
    m = Y.shape[1]
    weights = [params[k].ravel() for k in sorted(params) if k[0] == "W"]
    squares = sum(float(w @ w) for w in weights)
    return float(np.squeeze(compute_cost(AL, Y) + lambd / 2 / m * squares))



def compute_cost_with_l2_einsum_log1p(AL, Y, params, lambd):
    # its own cross-entropy, with log1p(-AL) for log(1 - AL), and einsum for the squares
    m = Y.shape[1]
    cross_entropy = -np.sum(Y * np.log(AL) + (1 - Y) * np.log1p(-AL)) / m
    squares = sum(np.einsum("ij,ij->", W, W) for key, W in params.items() if key[0] == "W")
    return float(cross_entropy + lambd / (2 * m) * squares)


# -- model_backward_with_l2 ----------------------------------------------------------------


def model_backward_with_l2_inline(AL, Y, caches, lambd):
    # the whole backward pass written out, with the extra term inside linear_backward
    L = len(caches)
    m = AL.shape[1]
    grads = {}
    dZ = AL - Y
    for l in range(L, 0, -1):
        linear_cache, Z = caches[l - 1]
        if l < L:
            dZ = dA * (Z > 0)  # noqa: F821 - dA comes from the layer above
        A_prev, W, b = linear_cache
        grads[f"dW{l}"] = dZ @ A_prev.T / m + lambd / m * W
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = W.T @ dZ
        grads[f"dA{l - 1}"] = dA
    return grads


def model_backward_with_l2_layers(AL, Y, caches, lambd):
    m = Y.shape[1]
    L = len(caches)
    grads = {}
    dA, dW, db = linear_backward(AL - Y, caches[-1][0])
    grads["dW" + str(L)] = dW + (lambd / m) * caches[-1][0][1]
    grads["db" + str(L)] = db
    for l in reversed(range(1, L)):
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dW" + str(l)] = np.add(dW, lambd * caches[l - 1][0][1] / m)
        grads["db" + str(l)] = db
    return grads



def model_backward_with_l2_decay(AL, Y, caches, lambd):
    # one dict comprehension over model_backward's grads, the W's looked up by key
    m = AL.shape[1]
    weights = {f"dW{l}": W for l, ((_, W, _), _) in enumerate(caches, start=1)}
    return {key: g + (lambd / m) * weights[key] if key in weights else g
            for key, g in model_backward(AL, Y, caches).items()}


# -- dropout -------------------------------------------------------------------------------


def dropout_forward_uniform(A, keep_prob, rng):
    mask = rng.uniform(0, 1, size=A.shape) <= keep_prob  # a boolean mask
    return np.where(mask, A / keep_prob, 0.0), mask


def dropout_forward_binomial(A, keep_prob, rng):
    mask = rng.binomial(1, keep_prob, size=A.shape)  # integers 0/1
    return [A * mask / keep_prob, mask]


def dropout_forward_transposed_draw(A, keep_prob, rng):
    # another stream, the same distribution: rows drawn in another order
    mask = (rng.random(A.shape[::-1]) < keep_prob).T.astype(float)
    A_drop = A.copy()
    A_drop[mask == 0] = 0.0
    A_drop[mask == 1] /= keep_prob
    return A_drop, mask


def dropout_forward_loop(A, keep_prob, rng):
    n, m = A.shape
    mask = np.zeros((n, m))
    for j in range(m):  # one mask per example, column by column
        mask[:, j] = rng.random(n) < keep_prob
    return (A * mask) * (1 / keep_prob), mask


def dropout_forward_spawn(A, keep_prob, rng):
    # a child generator spawned from rng (numpy's way to hand randomness on)
    child = rng.spawn(1)[0]
    mask = child.random(A.shape) < keep_prob
    return A * mask / keep_prob, mask.astype(float)


def dropout_forward_unit_by_unit(A, keep_prob, rng):
    n, m = A.shape
    mask = np.empty((n, m), dtype=bool)
    for i in range(n):  # one row (unit) at a time, over all examples
        mask[i] = rng.random(m) < keep_prob
    return A * mask / keep_prob, mask


def dropout_forward_choice(A, keep_prob, rng):
    mask = rng.choice([0.0, 1.0], size=A.shape, p=[1 - keep_prob, keep_prob])
    return A * mask / keep_prob, mask


def dropout_backward_where(dA, mask, keep_prob):
    return np.where(mask.astype(bool), dA / keep_prob, 0.0)


def dropout_backward_copy(dA, mask, keep_prob):
    dA_prev = np.array(dA, copy=True)
    dA_prev[mask == 0] = 0
    dA_prev /= keep_prob
    return dA_prev



def dropout_backward_reciprocal(dA, mask, keep_prob):
    return np.multiply(dA, mask) * (1.0 / keep_prob)


# -- model_forward_with_dropout ------------------------------------------------------------


def model_forward_with_dropout_inline(X, params, keep_prob, rng):
    # everything written out: boolean masks, np.where for the dropped activations
    L = len(params) // 2
    A, caches, masks = X, [], []
    for l in range(1, L):
        W, b = params["W" + str(l)], params["b" + str(l)]
        Z = np.dot(W, A) + b
        caches.append(((A, W, b), Z))
        D = rng.random(Z.shape) < keep_prob
        A = np.where(D, np.maximum(Z, 0) / keep_prob, 0.0)
        masks.append(D)
    W, b = params["W" + str(L)], params["b" + str(L)]
    Z = np.dot(W, A) + b
    caches.append(((A, W, b), Z))
    return 1 / (1 + np.exp(-Z)), caches, masks


def model_forward_with_dropout_binomial(X, params, keep_prob, rng):
    # integer 0/1 masks from rng.binomial, drawn before the layer is computed; a list back
    L = len(params) // 2
    m = X.shape[1]
    A, caches, masks = X, [], []
    for l in range(1, L + 1):
        if l < L:
            mask = rng.binomial(1, keep_prob, size=(params[f"W{l}"].shape[0], m))
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"],
                                             "relu" if l < L else "sigmoid")
        caches.append(cache)
        if l < L:
            A = A * mask * (1.0 / keep_prob)
            masks.append(mask)
    return [A, caches, tuple(masks)]


def model_forward_with_dropout_spawn(X, params, keep_prob, rng):
    # a child generator per hidden layer, spawned from rng; masks drawn transposed
    L = len(params) // 2
    A, caches, masks = X, [], []
    children = rng.spawn(max(L - 1, 0))
    for l, child in enumerate(children, start=1):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
        mask = (child.random(A.shape[::-1]) < keep_prob).T.astype(float)
        A = A / keep_prob * mask
        caches.append(cache)
        masks.append(mask)
    AL, cache = linear_activation_forward(A, params[f"W{L}"], params[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches, masks


# -- model_backward_with_dropout -----------------------------------------------------------


def model_backward_with_dropout_inline(AL, Y, caches, masks, keep_prob, lambd=0.0):
    # the whole backward pass written out; the mask and ReLU's derivative in one product
    L = len(caches)
    m = AL.shape[1]
    grads = {}
    dZ = AL - Y
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        if l < L:
            dZ = dA * masks[l - 1] / keep_prob * (Z > 0)  # noqa: F821 - from the layer above
        grads[f"dW{l}"] = dZ @ A_prev.T / m + (lambd / m) * W
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = W.T @ dZ
    return grads


def model_backward_with_dropout_on_dZ(AL, Y, caches, masks, keep_prob, lambd=0.0):
    # the mask applied after ReLU's derivative (both are elementwise: the same product); the
    # L2 term only when lambd > 0, in a dict comprehension
    L = len(caches)
    grads = {}
    dA, grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(AL - Y, caches[-1][0])
    for l in reversed(range(1, L)):
        linear_cache, Z = caches[l - 1]
        dZ = relu_backward(dA, Z) * np.asarray(masks[l - 1], dtype=float) / keep_prob
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_backward(dZ, linear_cache)
    if lambd > 0:
        m = Y.shape[1]
        grads = {k: g + lambd / m * caches[int(k[2:]) - 1][0][1] if k.startswith("dW") else g
                 for k, g in grads.items()}
    return grads


def model_backward_with_dropout_where(AL, Y, caches, masks, keep_prob, lambd=0.0):
    # dropped units' derivatives set with np.where, from model_backward_with_l2's structure
    m = Y.shape[1]
    L = len(caches)
    grads = {}
    dA = None
    for l in range(L, 0, -1):
        if l == L:
            dA, dW, db = linear_backward(AL - Y, caches[L - 1][0])
        else:
            dA = np.where(np.asarray(masks[l - 1]) != 0, dA / keep_prob, 0.0)
            dA, dW, db = linear_activation_backward(dA, caches[l - 1], "relu")
        grads["dW%d" % l] = np.add(dW, lambd * caches[l - 1][0][1] / m)
        grads["db%d" % l] = db
    return grads


# -- early_stopping ------------------------------------------------------------------------


def early_stopping_counter(dev_errors, patience):
    best_error, best_epoch, waited = math.inf, 0, 0
    for epoch, error in enumerate(dev_errors):
        if error < best_error:
            best_error, best_epoch, waited = error, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return epoch, best_epoch
    return len(dev_errors) - 1, best_epoch


def early_stopping_numpy(dev_errors, patience):
    errors = np.asarray(dev_errors, dtype=float)
    running_min = np.minimum.accumulate(errors)
    # epochs with a strict improvement over everything before them
    improved = np.concatenate([[True], errors[1:] < running_min[:-1]])
    best_so_far = np.maximum.accumulate(np.where(improved, np.arange(errors.size), 0))
    late = np.flatnonzero(np.arange(errors.size) - best_so_far >= patience)
    stop = late[0] if late.size else errors.size - 1
    return [np.int64(stop), np.int64(best_so_far[stop])]



def early_stopping_argmin(dev_errors, patience):
    # find the stop first, then the best as the first smallest error up to it (np.argmin
    # returns the first of equal values: a tie is no improvement)
    errors = list(dev_errors)
    best, stop = 0, len(errors) - 1
    for epoch in range(1, len(errors)):
        if errors[epoch] < errors[best]:
            best = epoch
        elif epoch - best >= patience:
            stop = epoch
            break
    return stop, int(np.argmin(errors[:stop + 1]))


def early_stopping_while(dev_errors, patience):
    epoch, best, best_error = 0, 0, dev_errors[0]
    while epoch < len(dev_errors) - 1 and epoch - best < patience:
        epoch += 1
        if dev_errors[epoch] < best_error:
            best, best_error = epoch, dev_errors[epoch]
    return epoch, best


# -- normalizing ---------------------------------------------------------------------------


def fit_normalizer_explicit(X_train):
    m = X_train.shape[1]
    mu = X_train.sum(axis=1).reshape(-1, 1) / m
    variance = ((X_train - mu) ** 2).sum(axis=1, keepdims=True) / m
    sigma = np.sqrt(variance)
    sigma[sigma == 0] = 1.0
    return mu, sigma


def fit_normalizer_loop(X_train):
    n = X_train.shape[0]
    mu, sigma = np.zeros((n, 1)), np.ones((n, 1))
    for j in range(n):
        row = X_train[j]
        mu[j, 0] = row.mean()
        if np.ptp(row) > 0:
            sigma[j, 0] = row.std()
    return [mu, sigma]


def normalize_two_steps(X, mu, sigma):
    centred = X - mu
    return centred / sigma


def normalize_multiply(X, mu, sigma):
    return (X - mu) * (1.0 / sigma)



def fit_normalizer_welford(X_train):
    # one pass over the examples (Welford's update): exact enough for any offset
    n, m = X_train.shape
    mean, squares = np.zeros((n, 1)), np.zeros((n, 1))
    for k in range(m):
        x = X_train[:, k:k + 1]
        delta = x - mean
        mean = mean + delta / (k + 1)
        squares = squares + delta * (x - mean)
    sigma = np.sqrt(squares / m)
    return mean, np.where(sigma == 0, 1.0, sigma)


def fit_normalizer_var(X_train):
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = np.sqrt(np.var(X_train, axis=1, keepdims=True))
    sigma[sigma == 0] = 1.0
    return mu, sigma


def normalize_rows(X, mu, sigma):
    out = np.empty(X.shape)
    for j in range(X.shape[0]):  # one feature at a time
        out[j] = (X[j] - mu[j, 0]) / sigma[j, 0]
    return out


# -- random_shift --------------------------------------------------------------------------


def random_shift_pad_crop(images, max_shift, rng):
    m, h, w = images.shape
    k = max_shift
    padded = np.pad(images, ((0, 0), (k, k), (k, k)))
    out = np.empty_like(images, dtype=float)
    for i in range(m):
        dy = rng.integers(-k, k + 1)
        dx = rng.integers(-k, k + 1)
        out[i] = padded[i, k - dy:k - dy + h, k - dx:k - dx + w]
    return out


def random_shift_roll_then_zero(images, max_shift, rng):
    out = np.zeros(images.shape)
    dys = rng.integers(-max_shift, max_shift + 1, size=len(images))
    dxs = rng.choice(np.arange(-max_shift, max_shift + 1), size=len(images))
    for i, (dy, dx) in enumerate(zip(dys, dxs)):
        moved = np.roll(images[i], (dy, dx), axis=(0, 1))
        # np.roll wraps around: clear what came back in from the other side
        if dy > 0:
            moved[:dy, :] = 0
        elif dy < 0:
            moved[dy:, :] = 0
        if dx > 0:
            moved[:, :dx] = 0
        elif dx < 0:
            moved[:, dx:] = 0
        out[i] = moved
    return out


def random_shift_pixels(images, max_shift, rng):
    m, h, w = images.shape
    out = np.zeros_like(images)
    for i in range(m):
        dx, dy = rng.integers(-max_shift, max_shift + 1, size=2)
        for r in range(h):
            for c in range(w):
                if 0 <= r - dy < h and 0 <= c - dx < w:
                    out[i, r, c] = images[i, r - dy, c - dx]
    return out


def random_shift_joint_draw(images, max_shift, rng):
    # one draw per image among the (2K+1)^2 pairs (dy, dx): the same uniform distribution
    m, h, w = images.shape
    side = 2 * max_shift + 1
    dys, dxs = np.divmod(rng.integers(0, side * side, size=m), side)
    out = np.zeros(images.shape)
    for i, (dy, dx) in enumerate(zip(dys - max_shift, dxs - max_shift)):
        rows, cols = np.arange(h) - dy, np.arange(w) - dx       # where each pixel comes from
        ok_r, ok_c = (rows >= 0) & (rows < h), (cols >= 0) & (cols < w)
        out[i][np.ix_(ok_r, ok_c)] = images[i][np.ix_(rows[ok_r], cols[ok_c])]
    return out



def random_shift_spawn(images, max_shift, rng):
    # a child generator per image, spawned from rng
    out = np.zeros(images.shape)
    h, w = images.shape[1:]
    for i, child in enumerate(rng.spawn(len(images))):
        dy, dx = child.integers(-max_shift, max_shift + 1, size=2)
        out[i, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            images[i, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def random_shift_gather(images, max_shift, rng):
    # no loop: every output pixel looks up its source pixel, 0 where that is outside
    m, h, w = images.shape
    dy = rng.integers(-max_shift, max_shift + 1, size=m)
    dx = rng.integers(-max_shift, max_shift + 1, size=m)
    rows = np.arange(h)[None, :] - dy[:, None]  # (m, h): the source row of each output row
    cols = np.arange(w)[None, :] - dx[:, None]
    inside = ((rows >= 0) & (rows < h))[:, :, None] & ((cols >= 0) & (cols < w))[:, None, :]
    source = images[np.arange(m)[:, None, None], np.clip(rows, 0, h - 1)[:, :, None],
                    np.clip(cols, 0, w - 1)[:, None, :]]
    return np.where(inside, source, 0.0)


VARIANTS = {
    "compute_cost_with_l2": [compute_cost_with_l2_loop, compute_cost_with_l2_norms,
                             compute_cost_with_l2_dot, compute_cost_with_l2_einsum_log1p],
    "model_backward_with_l2": [model_backward_with_l2_inline, model_backward_with_l2_layers,
                               model_backward_with_l2_decay],
    "dropout_forward": [dropout_forward_uniform, dropout_forward_binomial,
                        dropout_forward_transposed_draw, dropout_forward_loop,
                        dropout_forward_spawn, dropout_forward_unit_by_unit,
                        dropout_forward_choice],
    "dropout_backward": [dropout_backward_where, dropout_backward_copy,
                         dropout_backward_reciprocal],
    "model_forward_with_dropout": [model_forward_with_dropout_inline,
                                   model_forward_with_dropout_binomial,
                                   model_forward_with_dropout_spawn],
    "model_backward_with_dropout": [model_backward_with_dropout_inline,
                                    model_backward_with_dropout_on_dZ,
                                    model_backward_with_dropout_where],
    "early_stopping": [early_stopping_counter, early_stopping_numpy, early_stopping_argmin,
                       early_stopping_while],
    "fit_normalizer": [fit_normalizer_explicit, fit_normalizer_loop, fit_normalizer_welford,
                       fit_normalizer_var],
    "normalize": [normalize_two_steps, normalize_multiply, normalize_rows],
    "random_shift": [random_shift_pad_crop, random_shift_roll_then_zero, random_shift_pixels,
                     random_shift_joint_draw, random_shift_spawn, random_shift_gather],
}
