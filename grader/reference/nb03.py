"""Reference implementations, notebook 03: train/dev/test sets and bias-variance diagnosis.

Conventions: examples are columns; X is (n_x, m) and Y is (1, m).
"""
from __future__ import annotations

import numpy as np

__all__ = ["train_dev_test_split", "error_rate", "diagnose"]

VERDICTS = ("high variance", "high bias", "high bias and high variance",
            "low bias and low variance")


def train_dev_test_split(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    """Shuffle the examples and cut them into a training, a dev and a test set.

    X: (n_x, m), Y: (n_y, m) with n_y = 1 for binary labels; rng: numpy.random.Generator.
    Returns ((X_train, Y_train), (X_dev, Y_dev), (X_test, Y_test)), the X parts (n_x, k)
    and the Y parts (n_y, k). The dev set has round(dev_fraction * m) examples, the test
    set round(test_fraction * m) (Python's round: halves go to the even integer), the
    training set the rest. Every example is in exactly one set, with its own label.
    """
    m = X.shape[1]
    n_dev = int(round(dev_fraction * m))
    n_test = int(round(test_fraction * m))
    # One permutation indexes both X and Y, so every example keeps its label; cutting it
    # into consecutive pieces makes the sets disjoint and complete by construction.
    order = rng.permutation(m)
    dev, test, train = order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:]
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def error_rate(Y_hat, Y):
    """Y_hat, Y: (1, m) labels 0/1 -> the fraction of the m examples with Y_hat != Y, a float."""
    return float(np.mean(Y_hat != Y))


def diagnose(train_error, dev_error, base_error=0.0, threshold=0.05):
    """The lecture's diagnosis from three error rates (fractions, not percentages).

    Avoidable bias = train_error - base_error; variance = dev_error - train_error; each is
    "high" when strictly greater than threshold. Returns one of "high variance",
    "high bias", "high bias and high variance", "low bias and low variance".
    """
    high_bias = train_error - base_error > threshold
    high_variance = dev_error - train_error > threshold
    if high_bias and high_variance:
        return "high bias and high variance"
    if high_bias:
        return "high bias"
    if high_variance:
        return "high variance"
    return "low bias and low variance"
