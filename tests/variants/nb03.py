"""Correct implementations that differ from the reference: other ways to draw the random
order (argsort of keys, rng.choice, rng.permuted, a spawned child generator, Fisher-Yates by
hand), other rounding of the sizes, lists for tuples, loops, numpy scalars for floats,
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


def split_permuted_take(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # rng.permuted of the indices, np.take along the columns, half rounded up; a list of pairs
    m = X.shape[1]
    order = rng.permuted(np.arange(m))
    n_dev, n_test = int(dev_fraction * m + 0.5), int(test_fraction * m + 0.5)
    cuts = (order[n_dev + n_test:], order[:n_dev], order[n_dev:n_dev + n_test])
    return [(np.take(X, idx, axis=1), np.take(Y, idx, axis=1)) for idx in cuts]


def split_transposed(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # examples as rows for a moment: rng.permutation shuffles the rows of [X; Y].T
    n_x, m = X.shape
    rows = rng.permutation(np.vstack([X, Y]).T)
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    n_train = m - n_dev - n_test
    pieces = (rows[:n_train], rows[n_train:n_train + n_dev], rows[n_train + n_dev:])
    return tuple((p[:, :n_x].T, p[:, n_x:].T) for p in pieces)


def split_spawned(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # a child generator spawned from rng: still randomness from the rng argument only
    child = rng.spawn(1)[0]
    m = X.shape[1]
    order = child.permutation(m)
    n_dev, n_test = math.floor(dev_fraction * m), math.floor(test_fraction * m)
    test, dev, train = np.split(order, [n_test, n_test + n_dev])
    return (X[:, train], Y[:, train]), (X[:, dev], Y[:, dev]), (X[:, test], Y[:, test])


def split_loop(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # each example dealt to its set in a loop over the random order; an empty set is X[:, []]
    m = X.shape[1]
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    sets = ([], [], [])
    for position, j in enumerate(rng.permutation(m)):
        k = 1 if position < n_dev else 2 if position < n_dev + n_test else 0
        sets[k].append(int(j))
    return tuple((X[:, idx], Y[:, idx]) for idx in sets)


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


def error_rate_one_minus_accuracy(Y_hat, Y):
    return 1.0 - float(np.mean(Y_hat == Y))


def error_rate_xor(Y_hat, Y):
    return np.logical_xor(Y_hat, Y).mean().item()


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


def diagnose_table(train_error, dev_error, base_error=0.0, threshold=0.05):
    # a table indexed by two booleans
    table = ("low bias and low variance", "high variance", "high bias",
             "high bias and high variance")
    high_bias = train_error - base_error > threshold
    high_variance = dev_error - train_error > threshold
    return table[2 * int(high_bias) + int(high_variance)]


def diagnose_match(train_error, dev_error, base_error=0.0, threshold=0.05):
    match (train_error - base_error > threshold, dev_error - train_error > threshold):
        case (True, True):
            return "high bias and high variance"
        case (True, False):
            return "high bias"
        case (False, True):
            return "high variance"
        case _:
            return "low bias and low variance"


VARIANTS = {
    "train_dev_test_split": [split_argsort_floor, split_choice_lists, split_draw_set_by_set,
                             split_fisher_yates, split_stacked, split_permuted_take,
                             split_transposed, split_spawned, split_loop],
    "error_rate": [error_rate_count, error_rate_abs, error_rate_loop,
                   error_rate_one_minus_accuracy, error_rate_xor],
    "diagnose": [diagnose_flags, diagnose_percent, diagnose_rearranged, diagnose_table,
                 diagnose_match],
}
