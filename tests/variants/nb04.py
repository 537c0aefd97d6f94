"""Correct implementations that differ from the reference: loops, other formulas, other
ways to draw the random numbers, lists for tuples, numpy scalars for floats and ints.
Every check must accept them all."""
from __future__ import annotations

import math

import numpy as np

from grader.reference.nb01 import compute_cost, linear_activation_backward, linear_backward


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


def dropout_backward_where(dA, mask, keep_prob):
    return np.where(mask.astype(bool), dA / keep_prob, 0.0)


def dropout_backward_copy(dA, mask, keep_prob):
    dA_prev = np.array(dA, copy=True)
    dA_prev[mask == 0] = 0
    dA_prev /= keep_prob
    return dA_prev


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


VARIANTS = {
    "compute_cost_with_l2": [compute_cost_with_l2_loop, compute_cost_with_l2_norms,
                             compute_cost_with_l2_dot],
    "model_backward_with_l2": [model_backward_with_l2_inline, model_backward_with_l2_layers],
    "dropout_forward": [dropout_forward_uniform, dropout_forward_binomial,
                        dropout_forward_transposed_draw, dropout_forward_loop],
    "dropout_backward": [dropout_backward_where, dropout_backward_copy],
    "early_stopping": [early_stopping_counter, early_stopping_numpy],
    "fit_normalizer": [fit_normalizer_explicit, fit_normalizer_loop],
    "normalize": [normalize_two_steps, normalize_multiply],
    "random_shift": [random_shift_pad_crop, random_shift_roll_then_zero, random_shift_pixels,
                     random_shift_joint_draw],
}
