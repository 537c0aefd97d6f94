"""Correct implementations that differ from the reference: other ways to draw the random
order, other rounding of the sizes, lists for tuples, loops, numpy scalars for floats,
percentages compared as percentages. Every check must accept them all."""
from __future__ import annotations

import math

import numpy as np


def split_argsort_floor(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # a random order from sorting random keys; sizes rounded down; test cut first
    m = X.shape[1]
    order = np.argsort(rng.random(m))
    n_test, n_dev = int(test_fraction * m), int(dev_fraction * m)
    test, dev, train = order[:n_test], order[n_test:n_test + n_dev], order[n_test + n_dev:]
    return (X[:, train], Y[:, train]), (X[:, dev], Y[:, dev]), (X[:, test], Y[:, test])


def split_choice_lists(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # rng.choice without replacement; sizes rounded up; the test set cut first; lists for tuples
    m = X.shape[1]
    order = rng.choice(m, size=m, replace=False)
    n_dev, n_test = math.ceil(dev_fraction * m - 1e-9), math.ceil(test_fraction * m - 1e-9)
    test, dev, train = np.split(order, [n_test, n_test + n_dev])
    return [[X[:, idx], Y[:, idx]] for idx in (train, dev, test)]


def split_draw_set_by_set(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # draw the dev set, then the test set from the rest, then shuffle what is left for
    # training: three draws, each in random order (rng.choice shuffles its sample)
    m = X.shape[1]
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    dev = rng.choice(m, size=n_dev, replace=False)
    rest = np.setdiff1d(np.arange(m), dev)
    test = rng.choice(rest, size=n_test, replace=False)
    train = rng.permutation(np.setdiff1d(rest, test))
    return (X[:, train], Y[:, train]), (X[:, dev], Y[:, dev]), (X[:, test], Y[:, test])


def split_fisher_yates(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # a shuffle written out by hand, one rng.integers per swap; round half up
    m = X.shape[1]
    order = list(range(m))
    for i in range(m - 1, 0, -1):
        j = int(rng.integers(0, i + 1))
        order[i], order[j] = order[j], order[i]
    n_dev = math.floor(dev_fraction * m + 0.5)
    n_test = math.floor(test_fraction * m + 0.5)
    n_train = m - n_dev - n_test
    parts = []
    for start, stop in ((0, n_train), (n_train, n_train + n_dev), (n_train + n_dev, m)):
        idx = order[start:stop]
        parts.append((X[:, idx], Y[:, idx]))
    return tuple(parts)


def split_stacked(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # shuffle the columns of [X; Y] together, then cut rows and columns apart
    n_x, m = X.shape
    both = rng.permutation(np.vstack([X, Y]), axis=1)
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    pieces = np.split(both, [n_dev, n_dev + n_test], axis=1)
    dev, test, train = ((p[:n_x], p[n_x:]) for p in pieces)
    return train, dev, test


def error_rate_count(Y_hat, Y):
    return np.count_nonzero(Y_hat != Y) / Y.shape[1]  # a numpy float, not a Python float


def error_rate_abs(Y_hat, Y):
    return float(np.sum(np.abs(Y_hat - Y)) / Y.size)


def error_rate_loop(Y_hat, Y):
    wrong = 0
    for predicted, actual in zip(Y_hat[0], Y[0]):
        if predicted != actual:
            wrong += 1
    return wrong / len(Y[0])


def diagnose_flags(train_error, dev_error, base_error=0.0, threshold=0.05):
    avoidable_bias = train_error - base_error
    variance = dev_error - train_error
    labels = {(True, False): "high bias", (False, True): "high variance",
              (True, True): "high bias and high variance",
              (False, False): "low bias and low variance"}
    return labels[(bool(avoidable_bias > threshold), bool(variance > threshold))]


def diagnose_percent(train_error, dev_error, base_error=0.0, threshold=0.05):
    # in percent, and "not high" written as <=
    bias, variance, limit = 100 * (train_error - base_error), 100 * (dev_error - train_error), 100 * threshold
    if bias <= limit and variance <= limit:
        return "low bias and low variance"
    if bias <= limit:
        return "high variance"
    if variance <= limit:
        return "high bias"
    return "high bias and high variance"


def diagnose_rearranged(train_error, dev_error, base_error=0.0, threshold=0.05):
    # train > base + threshold: the same comparison, rearranged (exact on the trials)
    parts = []
    if train_error > base_error + threshold:
        parts.append("high bias")
    if dev_error > train_error + threshold:
        parts.append("high variance")
    return " and ".join(parts) if parts else "low bias and low variance"


VARIANTS = {
    "train_dev_test_split": [split_argsort_floor, split_choice_lists, split_draw_set_by_set,
                             split_fisher_yates, split_stacked],
    "error_rate": [error_rate_count, error_rate_abs, error_rate_loop],
    "diagnose": [diagnose_flags, diagnose_percent, diagnose_rearranged],
}
