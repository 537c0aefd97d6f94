"""Reference implementations, notebook 04: regularization.

Conventions: examples are columns; W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1).
Images (random_shift) are the exception: a batch of m images is (m, h, w), as in
matplotlib's imshow, so that one image is images[i].
"""
from __future__ import annotations

import numpy as np

from .nb01 import (compute_cost, linear_activation_backward, linear_activation_forward,
                   linear_backward, model_backward)

__all__ = [
    "compute_cost_with_l2", "model_backward_with_l2", "dropout_forward", "dropout_backward",
    "model_forward_with_dropout", "model_backward_with_dropout",
    "early_stopping", "fit_normalizer", "normalize", "random_shift",
]


def compute_cost_with_l2(AL, Y, params, lambd):
    """AL, Y: (1, m); params {"W1", "b1", ...}; lambd >= 0.

    Returns J = cross-entropy + lambd / (2m) * sum_l ||W[l]||_F^2, a float.
    Biases are not penalised.
    """
    m = Y.shape[1]
    L = len(params) // 2
    squares = sum(float(np.sum(params[f"W{l}"] ** 2)) for l in range(1, L + 1))
    return compute_cost(AL, Y) + lambd / (2 * m) * squares


def model_backward_with_l2(AL, Y, caches, lambd):
    """AL, Y: (1, m), caches from model_forward (W[l] is caches[l-1][0][1]); lambd >= 0.

    Returns the grads of model_backward with dW[l] + (lambd / m) W[l]; db[l] unchanged.
    """
    m = Y.shape[1]
    grads = model_backward(AL, Y, caches)
    for l, ((_, W, _), _) in enumerate(caches, start=1):
        # d/dW of lambd/(2m) ||W||^2: the 2 of the square cancels the 1/2
        grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * W
    return grads


def dropout_forward(A, keep_prob, rng):
    """Inverted dropout. A: (n_l, m); 0 < keep_prob <= 1; rng: numpy Generator.

    Returns (A_drop, mask), both (n_l, m): mask holds 1.0 for a kept unit and 0.0 for a
    dropped one, drawn independently for every unit of every example; A_drop = A * mask /
    keep_prob, so that the expected value of A_drop is A (nothing to rescale at test time).
    """
    mask = (rng.random(A.shape) < keep_prob).astype(float)
    return A * mask / keep_prob, mask


def dropout_backward(dA, mask, keep_prob):
    """dA: (n_l, m) derivative with respect to A_drop; mask: (n_l, m) of 0/1 (floats or booleans).

    Returns the derivative with respect to A, (n_l, m): dA * mask / keep_prob, the same
    mask and scale as the forward pass (A_drop is linear in A).
    """
    return dA * mask / keep_prob


def model_forward_with_dropout(X, params, keep_prob, rng):
    """X: (n_0, m); params {"W1", "b1", ..., "WL", "bL"}; 0 < keep_prob <= 1; rng: numpy Generator.

    [LINEAR -> RELU -> DROPOUT] * (L-1) -> LINEAR -> SIGMOID. Returns (AL, caches, masks):
    AL (1, m); caches as model_forward's, the cache of layer l + 1 holding the dropped
    A[l] that layer received; masks the L - 1 hidden layers' 0/1 masks, masks[l-1] of
    shape (n_l, m) (none for the inputs, none for the output layer). keep_prob = 1 gives
    model_forward's AL and caches, and masks of ones.
    """
    L = len(params) // 2
    A, caches, masks = X, [], []
    for l in range(1, L):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
        A, mask = dropout_forward(A, keep_prob, rng)
        caches.append(cache)
        masks.append(mask)
    AL, cache = linear_activation_forward(A, params[f"W{L}"], params[f"b{L}"], "sigmoid")
    return AL, caches + [cache], masks


def model_backward_with_dropout(AL, Y, caches, masks, keep_prob, lambd=0.0):
    """AL, Y: (1, m); caches, masks from model_forward_with_dropout; lambd >= 0.

    Returns the grads {"dW1", "db1", ..., "dWL", "dbL"} of the cost of the thinned network
    (the masks held fixed): between layers l + 1 and l, the derivative goes back through
    hidden layer l's mask and 1 / keep_prob; plus (lambd / m) W[l] on every dW[l].
    """
    L, m = len(caches), Y.shape[1]
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
    for l in range(L - 1, 0, -1):
        dA = dropout_backward(dA, masks[l - 1], keep_prob)  # through hidden layer l's dropout
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
    for l in range(1, L + 1):  # the L2 term (nothing for lambd = 0)
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / m * caches[l - 1][0][1]
    return grads


def early_stopping(dev_errors, patience):
    """dev_errors: sequence of T dev-set errors, one per epoch (epochs 0 .. T-1); patience >= 1.

    Returns (stop_epoch, best_epoch), two ints. Only a strictly lower error than the best so
    far counts as an improvement. Training stops at the first epoch that is `patience` epochs
    past the best so far, or else at the last epoch T-1; best_epoch is the best up to the stop.
    """
    best = 0
    for epoch in range(1, len(dev_errors)):
        if dev_errors[epoch] < dev_errors[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    # also when patience runs out exactly at the last epoch: the stop is then the last epoch
    return len(dev_errors) - 1, best


def fit_normalizer(X_train):
    """X_train: (n_x, m) training examples as columns.

    Returns (mu, sigma), each (n_x, 1): the mean and the standard deviation (1/m, as in
    the lecture) of each feature over the examples; sigma = 1 for a constant feature, so
    normalize leaves it at 0 instead of dividing by 0.
    """
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.sqrt(np.mean((X_train - mu) ** 2, axis=1, keepdims=True))
    constant = np.all(X_train == X_train[:, :1], axis=1, keepdims=True)
    return mu, np.where(constant, 1.0, sigma)


def normalize(X, mu, sigma):
    """X: (n_x, m); mu, sigma: (n_x, 1), fitted on the training set. Returns (X - mu) / sigma."""
    return (X - mu) / sigma


def random_shift(images, max_shift, rng):
    """images: (m, h, w); max_shift: int >= 0; rng: numpy Generator.

    Returns a new (m, h, w) array: image i moved down by dy_i and right by dx_i pixels
    (negative: up, left), dy_i and dx_i drawn independently and uniformly from the integers
    -max_shift .. max_shift; pixels moved in from outside the image are 0 (no wrapping).
    """
    m, h, w = images.shape
    shifted = np.zeros_like(images, dtype=float)
    shifts = rng.integers(-max_shift, max_shift + 1, size=(m, 2))
    for i, (dy, dx) in enumerate(shifts):
        # the part of the output that receives pixels, and where they come from
        shifted[i, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            images[i, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return shifted
