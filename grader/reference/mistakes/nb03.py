"""Mistakes in notebook 03, as students make them."""
from __future__ import annotations

import numpy as np

from ..nb03 import diagnose
from . import GLOBAL_RANDOM, Mistake

# -- train_dev_test_split ------------------------------------------------------------------


def _sizes(m, dev_fraction, test_fraction):
    return int(round(dev_fraction * m)), int(round(test_fraction * m))


def _cut(X, Y, order_X, order_Y, n_dev, n_test):
    dev, test, train = slice(0, n_dev), slice(n_dev, n_dev + n_test), slice(n_dev + n_test, None)
    return tuple((X[:, order_X[s]], Y[:, order_Y[s]]) for s in (train, dev, test))


def _split_no_shuffle(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = np.arange(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_X_only(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = rng.permutation(X.shape[1])
    return _cut(X, Y, order, np.arange(X.shape[1]), *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_two_permutations(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    m = X.shape[1]
    return _cut(X, Y, rng.permutation(m), rng.permutation(m), *_sizes(m, dev_fraction, test_fraction))


def _split_rows(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # rng.permutation(X) permutes the rows: the features, not the examples
    X = rng.permutation(X)
    order = np.arange(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_shuffle_in_place(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = rng.permutation(X.shape[1])
    X[:] = X[:, order]
    Y[:] = Y[:, order]
    order = np.arange(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_global_random(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = np.random.permutation(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_own_generator(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = np.random.default_rng(0).permutation(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], dev_fraction, test_fraction))


def _split_swapped(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = rng.permutation(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], test_fraction, dev_fraction))


def _split_fixed_fractions(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    order = rng.permutation(X.shape[1])
    return _cut(X, Y, order, order, *_sizes(X.shape[1], 0.2, 0.2))


def _split_negative_slice(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    m = X.shape[1]
    order = rng.permutation(m)
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    n_train = m - n_dev - n_test
    train, dev, test = order[:n_train], order[n_train:n_train + n_dev], order[-n_test:]
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def _split_independent_draws(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    dev = rng.choice(m, n_dev, replace=False)
    test = rng.choice(m, n_test, replace=False)
    train = np.setdiff1d(np.arange(m), np.concatenate([dev, test]))
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def _split_random_assignment(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # each example goes to a set at random: right on average, wrong sizes
    which = rng.choice(3, size=X.shape[1], p=[1 - dev_fraction - test_fraction,
                                              dev_fraction, test_fraction])
    return tuple((X[:, which == k], Y[:, which == k]) for k in range(3))


def _split_then_shuffle(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # cut first, shuffle each piece: the sets are blocks of X's order
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    n_train = m - n_dev - n_test
    pieces = (np.arange(n_train), np.arange(n_train, n_train + n_dev), np.arange(n_train + n_dev, m))
    return tuple((X[:, idx], Y[:, idx]) for idx in (rng.permutation(p) for p in pieces))


def _split_drops_last(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    m = X.shape[1]
    order = rng.permutation(m - 1)  # off by one: the last example is never drawn
    return _cut(X, Y, order, order, *_sizes(m, dev_fraction, test_fraction))


def _split_axis_0(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # slices along the first axis, as if examples were rows
    m = X.shape[1]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    n_train = m - n_dev - n_test
    cuts = (slice(0, n_train), slice(n_train, n_train + n_dev), slice(n_train + n_dev, m))
    return tuple((X[s], Y[s]) for s in cuts)


def _split_sorted_sets(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # a random assignment, but each set sorted back into X's order
    m = X.shape[1]
    order = rng.permutation(m)
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    cuts = np.split(order, [n_dev, n_dev + n_test])
    dev, test, train = (np.sort(idx) for idx in cuts)
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def _split_boolean_masks(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # one boolean mask per set: X[:, mask] returns the columns in X's order
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    which = np.zeros(m, dtype=int)            # 0 train, 1 dev, 2 test
    order = rng.permutation(m)
    which[order[:n_dev]], which[order[n_dev:n_dev + n_test]] = 1, 2
    return tuple((X[:, which == k], Y[:, which == k]) for k in range(3))


def _split_setdiff_train(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # dev and test shuffled, the training set "the rest" by np.setdiff1d, which sorts
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    order = rng.permutation(m)
    dev, test = order[:n_dev], order[n_dev:n_dev + n_test]
    train = np.setdiff1d(np.arange(m), np.concatenate([dev, test]))
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def _split_fixed_dev_test(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # "the dev and test sets must stay the same from one experiment to the next": drawn with
    # a generator of their own, only the training set shuffled with rng
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    fixed = np.random.default_rng(42).permutation(m)
    dev, test = fixed[:n_dev], fixed[n_dev:n_dev + n_test]
    train = rng.permutation(fixed[n_dev + n_test:])
    return tuple((X[:, idx], Y[:, idx]) for idx in (train, dev, test))


def _split_empty_as_flat(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
    # order[-0:] avoided by a special case that returns np.array([]) for an empty test set
    m = X.shape[1]
    n_dev, n_test = _sizes(m, dev_fraction, test_fraction)
    order = rng.permutation(m)
    n_train = m - n_dev - n_test
    train, dev = order[:n_train], order[n_train:n_train + n_dev]
    parts = [(X[:, train], Y[:, train]), (X[:, dev], Y[:, dev])]
    if n_test > 0:
        parts.append((X[:, order[-n_test:]], Y[:, order[-n_test:]]))
    else:
        parts.append((np.array([]), np.array([])))
    return tuple(parts)


# -- error_rate --------------------------------------------------------------------------


def _error_rate_integer_division(Y_hat, Y):
    return np.sum(Y_hat != Y) // Y.shape[1]


def _error_rate_squeezed_loop(Y_hat, Y):
    # np.squeeze makes (m,) vectors to loop over; for m = 1 it makes 0-d arrays, and
    # zip cannot iterate over them
    y_hat, y = np.squeeze(Y_hat), np.squeeze(Y)
    wrong = sum(1 for a, b in zip(y_hat, y) if a != b)
    return wrong / len(y)


# -- diagnose ----------------------------------------------------------------------------


def _verdict(high_bias, high_variance, names=("high bias", "high variance",
                                              "high bias and high variance",
                                              "low bias and low variance")):
    bias, variance, both, neither = names
    if high_bias and high_variance:
        return both
    return bias if high_bias else variance if high_variance else neither


def _diagnose_with(bias_of, variance_of, greater=lambda a, b: a > b, names=None):
    def wrong(train_error, dev_error, base_error=0.0, threshold=0.05):
        b = bias_of(train_error, dev_error, base_error)
        v = variance_of(train_error, dev_error, base_error)
        t = threshold
        if names:
            return _verdict(greater(b, t), greater(v, t), names)
        return _verdict(greater(b, t), greater(v, t))
    return wrong


_bias = lambda train, dev, base: train - base  # noqa: E731
_variance = lambda train, dev, base: dev - train  # noqa: E731


def _diagnose_elif(train_error, dev_error, base_error=0.0, threshold=0.05):
    if train_error - base_error > threshold:
        return "high bias"
    elif dev_error - train_error > threshold:
        return "high variance"
    return "low bias and low variance"


def _diagnose_fixed_threshold(train_error, dev_error, base_error=0.0, threshold=0.05):
    return diagnose(train_error, dev_error, base_error, 0.05)


def _diagnose_no_return(train_error, dev_error, base_error=0.0, threshold=0.05):
    verdict = diagnose(train_error, dev_error, base_error, threshold)  # noqa: F841 - never returned


# On the lecture's table (base error 0) the two variance mistakes give the same values,
# so they share one hint.
_VARIANCE_HINT = ("the variance is the gap dev_error - train_error between dev and training "
                  "error: not the dev error itself, nor dev_error - base_error (that is bias "
                  "and variance together).")

M = Mistake
MISTAKES = [
    # train_dev_test_split
    M("train_dev_test_split", "no shuffle", _split_no_shuffle,
      expect="same split for two different generators"),
    M("train_dev_test_split", "X shuffled, Y not", _split_X_only, expect="lost their pairing"),
    M("train_dev_test_split", "two permutations", _split_two_permutations,
      expect="lost their pairing"),
    M("train_dev_test_split", "permuted the rows", _split_rows, expect="not the rows (features)"),
    M("train_dev_test_split", "shuffles X in place", _split_shuffle_in_place,
      expect="modified its argument `X`"),
    M("train_dev_test_split", "global np.random", _split_global_random,
      expect=GLOBAL_RANDOM),
    M("train_dev_test_split", "own generator", _split_own_generator,
      expect="do not create a generator of your own"),
    M("train_dev_test_split", "dev and test swapped", _split_swapped, expect="swapped"),
    M("train_dev_test_split", "fractions ignored", _split_fixed_fractions,
      expect="it should have about dev_fraction * m"),
    M("train_dev_test_split", "order[-0:]", _split_negative_slice, expect="the whole array",
      edge="boundary"),
    M("train_dev_test_split", "empty set as np.array([])", _split_empty_as_flat,
      expect="an empty set keeps the", edge="shape"),
    M("train_dev_test_split", "dev and test fixed by a seed of their own", _split_fixed_dev_test,
      expect="every set must be drawn with the rng argument", edge="per-part"),
    M("train_dev_test_split", "independent draws overlap", _split_independent_draws,
      expect="exactly one set"),
    M("train_dev_test_split", "random set for each example", _split_random_assignment,
      expect="not a random one"),
    M("train_dev_test_split", "cut first, then shuffle", _split_then_shuffle,
      expect="Shuffle all m examples first, then cut"),
    M("train_dev_test_split", "permutation of m - 1", _split_drops_last, expect="leaves out"),
    M("train_dev_test_split", "rows for examples", _split_axis_0, expect="examples are columns"),
    M("train_dev_test_split", "each set sorted", _split_sorted_sets,
      expect="The sets must be shuffled too"),
    M("train_dev_test_split", "boolean masks", _split_boolean_masks,
      expect="keeps its examples in their order in X"),
    M("train_dev_test_split", "training set by np.setdiff1d", _split_setdiff_train,
      expect="np.setdiff1d (its result is sorted)"),
    # error_rate
    M("error_rate", "accuracy", lambda Y_hat, Y: float(np.mean(Y_hat == Y)),
      "that is the accuracy, the fraction of right predictions; the error rate is the fraction "
      "of wrong ones (Y_hat != Y)."),
    M("error_rate", "a count", lambda Y_hat, Y: float(np.sum(Y_hat != Y)),
      "that is the number of errors; divide by the number of examples m = Y.shape[1] "
      "(len(Y) is the number of rows, 1)."),
    M("error_rate", "a percentage", lambda Y_hat, Y: float(100 * np.mean(Y_hat != Y)),
      "return a fraction between 0 and 1, not a percentage."),
    M("error_rate", "signed differences", lambda Y_hat, Y: float(np.mean(Y_hat - Y)),
      "Y_hat - Y is +1 for a false positive and -1 for a false negative, so they cancel in a "
      "sum; count the mismatches, Y_hat != Y."),
    M("error_rate", "integer division", _error_rate_integer_division,
      "// is integer division and rounds the rate down to 0; divide with /."),
    M("error_rate", "mean over axis 1", lambda Y_hat, Y: np.mean(Y_hat != Y, axis=1),
      expect="plain number", edge="type"),
    M("error_rate", "loop over np.squeeze", _error_rate_squeezed_loop,
      expect="iteration over a 0-d array", edge="shape"),
    # diagnose: the order matters, a student gets the hint of the first mistake whose value
    # matches theirs; each comes before the mistakes that give its value earlier trials
    M("diagnose", "other spelling",
      _diagnose_with(_bias, _variance, names=("High bias", "High variance",
                                             "High bias and high variance",
                                             "Low bias and low variance")),
      "return exactly one of the four strings as written: \"high variance\", \"high bias\", "
      "\"high bias and high variance\", \"low bias and low variance\" (lower case)."),
    M("diagnose", "bias and variance swapped",
      _diagnose_with(_bias, _variance, names=("high variance", "high bias",
                                             "high bias and high variance",
                                             "low bias and low variance")),
      "bias and variance are swapped: a large gap between train and dev error is variance; a "
      "large train error (above the base error) is bias."),
    M("diagnose", "never both", _diagnose_elif,
      "bias and variance can both be high at once (the lecture's 15% / 30%): test both, then "
      "choose the string."),
    M("diagnose", "both, other order",
      _diagnose_with(_bias, _variance, names=("high bias", "high variance",
                                             "high variance and high bias",
                                             "low bias and low variance")),
      "when both are high, return exactly \"high bias and high variance\"."),
    M("diagnose", ">= for >", _diagnose_with(_bias, _variance, greater=lambda a, b: a >= b),
      "\"high\" means strictly greater than the threshold: a gap exactly equal to it is not "
      "high (use >, not >=).", edge="boundary"),
    M("diagnose", "variance from the base error",
      _diagnose_with(_bias, lambda train, dev, base: dev - base),
      _VARIANCE_HINT),
    M("diagnose", "base error ignored", _diagnose_with(lambda train, dev, base: train, _variance),
      "the avoidable bias is train_error - base_error: compare the training error with the "
      "base (human or Bayes) error, not with 0."),
    M("diagnose", "threshold ignored", _diagnose_fixed_threshold,
      "use the threshold argument rather than a fixed 0.05 (0.05 is only its default).",
      edge="boundary"),
    M("diagnose", "dev error alone", _diagnose_with(_bias, lambda train, dev, base: dev),
      _VARIANCE_HINT),
    M("diagnose", "no return", _diagnose_no_return, expect="got None"),
    M("diagnose", "variance as |dev - train|",
      _diagnose_with(_bias, lambda train, dev, base: abs(dev - train)),
      "the variance is dev_error - train_error, with its sign: a dev error below the training "
      "error (a lucky dev set) is no variance problem.", edge="boundary"),
    M("diagnose", "bias as |train - base|",
      _diagnose_with(lambda train, dev, base: abs(train - base), _variance),
      "the avoidable bias is train_error - base_error, with its sign: a training error below "
      "the base error (better than the human-level estimate) is no bias problem.",
      edge="boundary"),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb03 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("train_dev_test_split", _reference.train_dev_test_split))
