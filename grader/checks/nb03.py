"""How the notebook 03 exercises are tried.

``train_dev_test_split`` is random, so it is checked by properties, never by replaying one
random stream: the structure and shapes, the sizes (any size within 1 of fraction * m is
accepted: round, floor or ceil), every example in exactly one set with its own label, the
same split for generators in the same state, another split for another generator, then,
over 20 splits with other generators, each set on its own: it changes with the generator
(no set fixed by a seed of its own, none cut from X before shuffling), it is a random sample
of the examples, and it is itself in random order (not kept in X's order: the notebook takes
the first n training examples as a random sample). The trials use unequal dev and test
fractions (so swapping them fails), zero fractions (an empty set is an (n_x, 0) array) and a
single feature (n_x = 1).

``error_rate`` is tried on m = 1 (public trial 4: a loop over np.squeeze(Y) fails there),
on all right and all wrong predictions, and on integer labels.

``diagnose`` is tried on the lecture's table and on error rates that are multiples of
1/256, so that differences such as train_error - base_error are exact in floating point
and a gap exactly equal to the threshold really is equal (not "high").
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch
from . import Clause, Spec, default

# -- train_dev_test_split ------------------------------------------------------------------

SETS = ("train", "dev", "test")
# Splits drawn with these generators must look like random samples (the statistic below).
STATISTIC_SPLITS = 20
STATISTIC_SEED = 20_240_303
OTHER_SEED = 12_345
# The order test's bound on the probability that a correct split fails it, per set and trial
# (a proven bound, see _order_test): at most 3 sets x 16 trials x 1e-8 < 1e-6 in a check.
ORDER_FALSE_FAILURE = 1e-8


def _split_inputs(rng, i, public=((50, 3, None, None), (37, 2, 0.15, 0.3),
                                  (40, 4, 0.25, 0.0), (300, 2, 0.01, 0.02))):
    """X with distinct columns (so each output column can be traced back), binary Y.

    (m, n_x, dev_fraction, test_fraction): unequal fractions, no test set (a slice
    order[-0:] is the whole array), and the proportions of a large data set (1% and 2%).
    Hidden trials repeat these shapes with other values, then draw random ones: the defaults,
    no test set, no dev set, a single feature (n_x = 1)."""
    if i < len(public):
        m, n_x, dev, test = public[i]
    else:
        m, n_x = int(rng.integers(20, 201)), int(rng.integers(1, 6))
        if i == len(public) + 3:
            n_x = 1  # X of shape (1, m)
        while True:  # unequal fractions, far enough apart that swapping them is visible
            dev, test = (float(f) for f in np.round(rng.uniform(0.05, 0.4, size=2), 3))
            if abs(dev - test) * m >= 3:
                break
        if i == len(public):
            dev = test = None  # the defaults
        elif i in (len(public) + 1, len(public) + 2):  # no test set, or no dev set
            dev, test = (dev, 0.0) if i == len(public) + 1 else (0.0, test)
    inputs = {"X": rng.standard_normal((n_x, m)),
              "Y": (rng.random((1, m)) < 0.5).astype(float),
              "rng": np.random.default_rng(int(rng.integers(2**31)))}
    if dev is not None:
        inputs["dev_fraction"], inputs["test_fraction"] = dev, test
    return inputs


def _kind(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} values"
    return "None (did you forget `return`?)" if x is None else f"a {type(x).__name__}"


def _parts(got, X, Y):
    """The three (X_part, Y_part) pairs, after checking the structure and the shapes."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise Mismatch((), f"should be ((X_train, Y_train), (X_dev, Y_dev), (X_test, Y_test)), "
                           f"three (X, Y) pairs; got {_kind(got)}")
    parts = []
    for k, pair in enumerate(got):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise Mismatch((k,), f"should be a pair (X_{SETS[k]}, Y_{SETS[k]}), got {_kind(pair)}")
        for name, value, rows in (("X", pair[0], X.shape[0]), ("Y", pair[1], Y.shape[0])):
            if not isinstance(value, np.ndarray):
                raise Mismatch((k,), f"has {name}_{SETS[k]} = {_kind(value)}; it should be a "
                                     f"numpy array")
            if value.size == 0 and value.ndim < 2:
                raise Mismatch((k,), f"has {name}_{SETS[k]} of shape {value.shape}: an empty "
                                     f"set keeps the {rows} row(s) of {name}, an "
                                     f"array of shape ({rows}, 0), as {name}[:, order[a:b]] "
                                     f"gives it for an empty piece of the order (np.array([]) "
                                     f"has shape (0,))")
            if value.ndim != 2 or value.shape[0] != rows:
                raise Mismatch((k,), f"has {name}_{SETS[k]} of shape {value.shape}; it should "
                                     f"keep the {rows} row(s) of {name}, with one column per "
                                     f"example: examples are columns, so select columns "
                                     f"({name}[:, idx]), not rows")
        if pair[0].shape[1] != pair[1].shape[1]:
            raise Mismatch((k,), f"has {pair[0].shape[1]} examples in X_{SETS[k]} but "
                                 f"{pair[1].shape[1]} in Y_{SETS[k]}: select the same columns of "
                                 f"X and Y (examples are columns: X[:, idx], Y[:, idx])")
        parts.append((pair[0], pair[1]))
    return parts


def _check_sizes(parts, m, fractions):
    for k in (1, 2):
        n, wanted = parts[k][0].shape[1], fractions[k] * m
        if abs(n - wanted) <= 1 + 1e-9:
            continue
        other = fractions[3 - k] * m
        why = ""
        if abs(n - other) <= 1 + 1e-9 and abs(other - wanted) > 1:
            why = ": the dev and test sets are swapped? (the order is train, dev, test)"
        elif round(wanted) == 0 and n == m:
            why = (": with n = 0, a slice such as order[-n:] is order[0:], the whole array, not "
                   "an empty one")
        elif n + parts[3 - k][0].shape[1] + parts[0][0].shape[1] == m:
            why = (": use the arguments dev_fraction and test_fraction, and give the dev and "
                   "test sets round(fraction * m) examples each (a fixed number, not a random "
                   "one); the training set gets the rest")
        raise Mismatch((k,), f"has {n} examples; with {SETS[k]}_fraction = {fractions[k]:g} "
                             f"and m = {m} it should have about {SETS[k]}_fraction * m = "
                             f"{wanted:.4g} (rounded either way){why}")


def _indices(parts, X, Y):
    """For each set, the original column index of each of its examples, checking that every
    example is in exactly one set, with its own label."""
    m = X.shape[1]
    where = {X[:, j].tobytes(): j for j in range(m)}
    owner = np.full(m, -1)
    indices = []
    for k, (Xp, Yp) in enumerate(parts):
        found = []
        for j in range(Xp.shape[1]):
            column = np.ascontiguousarray(Xp[:, j], dtype=X.dtype).tobytes()
            i = where.get(column)
            if i is None:
                raise Mismatch((k,), f"has a column of X_{SETS[k]} (column {j}) that is not a "
                                     f"column of X: shuffle "
                                       f"the examples (columns), not the rows (features) or single "
                                       f"entries. rng.permutation(X) and rng.shuffle(X) reorder the "
                                       f"rows; draw an order of the column indices, "
                                       f"order = rng.permutation(m), and take X[:, order]")
            if owner[i] >= 0:
                raise Mismatch((k,), f"holds example {i} (column {i} of X), which is also in the "
                                       f"{SETS[owner[i]]} set: every example must be in exactly one "
                                       f"set. Draw one permutation of the m indices and cut it into "
                                       f"three pieces")
            if not np.array_equal(Yp[:, j], Y[:, i]):
                raise Mismatch((k,), f"has labels that do not belong to their examples: "
                                     f"Y_{SETS[k]}[:, {j}] is not the label of X_{SETS[k]}[:, {j}] "
                                     f"(example {i} of X), so X and Y lost their pairing. Index X "
                                     f"and Y with the same order of columns")
            owner[i] = k
            found.append(i)
        indices.append(np.array(found, dtype=int))
    missing = np.flatnonzero(owner < 0)
    if missing.size:
        raise Mismatch((), f"leaves out {missing.size} example(s), e.g. column {missing[0]} of X: "
                           f"every example must be in exactly one set (the training set gets all "
                           f"those not in the dev or test set)")
    return indices


def _same(a, b) -> bool:
    try:
        return all(np.array_equal(x, y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))
    except (TypeError, ValueError):
        return False


def _inversions(idx) -> int:
    """The number of pairs of positions a < b in idx with idx[a] > idx[b]."""
    idx = np.asarray(idx)
    return int(np.count_nonzero(np.triu(idx[:, None] > idx[None, :], 1)))


def _order_test(inversions, sizes):
    """(deviation, threshold) of the inversions of one set over several splits.

    Given which examples a set holds, a correct split puts them in uniformly random order.
    The number of inversions of a uniformly random order of n distinct values is a sum of
    independent U_1 + ... + U_n, U_j uniform on {0, ..., j - 1} (the Lehmer code), so the
    total over the splits is a sum of independent bounded terms: mean sum n (n - 1) / 4, and by
    Hoeffding's inequality P(|total - mean| >= t) <= 2 exp(-2 t^2 / sum (j - 1)^2), with
    sum_j (j - 1)^2 = (n - 1) n (2n - 1) / 6 per split. The threshold t makes that bound
    ORDER_FALSE_FAILURE. A set kept in X's order has no inversions: over 20 splits its
    deviation exceeds t from 4 examples on, and is tens of standard deviations away for the
    training sets of the trials.
    """
    sizes = np.asarray(sizes, dtype=float)
    mean = float(np.sum(sizes * (sizes - 1) / 4))
    ranges = float(np.sum((sizes - 1) * sizes * (2 * sizes - 1) / 6))
    threshold = np.sqrt(ranges * np.log(2 / ORDER_FALSE_FAILURE) / 2)
    return sum(inversions) - mean, threshold


def _each_set_changes(drawn, m):
    """Each set on its own changes with the generator, not only the three together.

    drawn[k]: the original column indices of set k in each of the STATISTIC_SPLITS splits,
    made with different generators. For a correct split, a set of n examples, 0 < n < m, is a
    uniformly random subset of the m examples: two splits give it the same members with
    probability 1 / C(m, n) <= 1 / m <= 1/20 (every trial has m >= 20), so all STATISTIC_SPLITS
    splits agree with the first with probability at most 20^-19 < 1e-24. A set drawn with a
    generator of its own (the same in every split), or cut from X before shuffling (the same
    members, reordered), has the same members every time.
    """
    for k in range(3):  # the same examples in the same order: a set fixed by a seed of its own
        first = drawn[k][0]
        if 0 < first.size < m and all(np.array_equal(idx, first) for idx in drawn[k][1:]):
            raise Mismatch((k,), f"came out the same over {STATISTIC_SPLITS} splits with "
                                 f"different generators (the same examples, in the same "
                                 f"order, every time): every set must be drawn with the rng argument. A "
                                 f"generator of your own for one set (np.random.default_rng(42), "
                                 f"to keep the dev set fixed) fixes that set whatever rng is "
                                 f"given; to get the same sets in every experiment, pass a "
                                 f"generator seeded the same way as rng. Draw one order = "
                                 f"rng.permutation(m) and cut it into the three sets")
    for k in range(3):  # the same members, only reordered: cut first, shuffled afterwards
        first = np.sort(drawn[k][0])
        if 0 < first.size < m and all(np.array_equal(np.sort(idx), first) for idx in drawn[k][1:]):
            raise Mismatch((k,), f"held the same examples over {STATISTIC_SPLITS} splits with "
                                 f"different generators, only in another order each time: it is "
                                 f"a fixed piece of X. Shuffle all m examples first, then cut: cutting "
                                 f"first and shuffling each piece keeps the order of X between "
                                 f"the sets (a file sorted by label would put one class in the "
                                 f"test set)")


def _random_sample_statistic(trial, X, Y):
    """Each set must be a random sample of the m examples, wherever they sit in X, and in
    random order itself.

    Over STATISTIC_SPLITS splits with fresh generators, T = sum over splits of
    (sum of the positions of the set's examples - n * (m - 1) / 2). For a random sample of
    n of the positions 0..m-1 (without replacement) each term has mean 0 and variance
    n (m^2 - 1) / 12 * (m - n) / (m - 1); the splits are independent, so T is close to
    normal. A correct split is outside 5 standard errors with probability about 6e-7 per
    set; cutting X in order and shuffling each piece afterwards is 10 or more away.
    The order inside each set is tested on the same splits (_order_test). First of all, each
    set on its own must change with the generator (_each_set_changes).
    """
    m = X.shape[1]
    total, variance = np.zeros(3), np.zeros(3)
    inversions, sizes = [[], [], []], [[], [], []]
    drawn = [[], [], []]
    for s in range(STATISTIC_SPLITS):
        got = trial.call(rng=np.random.default_rng([STATISTIC_SEED, s]))
        for k, idx in enumerate(_indices(_parts(got, X, Y), X, Y)):
            drawn[k].append(idx)
    _each_set_changes(drawn, m)
    for k in range(3):
        for idx in drawn[k]:
            n = idx.size
            total[k] += idx.sum() - n * (m - 1) / 2
            variance[k] += n * (m * m - 1) / 12 * (m - n) / (m - 1)
            inversions[k].append(_inversions(idx))
            sizes[k].append(n)
    for k in range(3):
        if variance[k] > 0 and abs(total[k]) > 5 * np.sqrt(variance[k]):
            raise Mismatch((k,), f"is not a random sample of the examples: over "
                                 f"{STATISTIC_SPLITS} splits with different generators its "
                                 f"examples came from one part of X (a score of "
                                 f"{total[k] / np.sqrt(variance[k]):.1f} standard errors from a "
                                 f"random sample). Shuffle all m examples first, then cut: cutting "
                                 f"first and shuffling each piece keeps the order of X between "
                                 f"the sets (a file sorted by label would put one class in the "
                                 f"test set)")
    for k in range(3):
        deviation, threshold = _order_test(inversions[k], sizes[k])
        if abs(deviation) > threshold:
            order = "order" if deviation < 0 else "reverse order"
            raise Mismatch((k,), f"keeps its examples in their {order} in X: over "
                                 f"{STATISTIC_SPLITS} splits with different generators, the "
                                 f"examples of X_{SETS[k]} were in X's {order} far more often than "
                                 f"a shuffled set would be. The sets must be shuffled too, not "
                                 f"only drawn at random: take each set as a piece of the "
                                 f"permutation, X[:, order[a:b]], in the permutation's order. "
                                 f"np.sort, np.setdiff1d (its result is sorted) and boolean masks "
                                 f"(X[:, in_train]) put a set back into X's order, and then its "
                                 f"first examples, e.g. X_train[:, :n], are not a random sample")


def _split_properties(trial):
    X, Y = trial.inputs["X"], trial.inputs["Y"]
    m = X.shape[1]
    fractions = (None, trial.inputs.get("dev_fraction", 0.2), trial.inputs.get("test_fraction", 0.2))
    parts = _parts(trial.got, X, Y)
    _check_sizes(parts, m, fractions)
    _indices(parts, X, Y)
    if not _same(trial.call(), trial.got):
        raise Mismatch((), "came out different for two generators in the same state: draw every "
                           "random number from the rng argument (rng.permutation), never from "
                           "np.random")
    if _same(trial.call(rng=np.random.default_rng(OTHER_SEED)), trial.got):
        raise Mismatch((), "gave the same split for two different generators: shuffle the "
                           "examples with the rng argument (do not create a generator of your "
                           "own, and do not skip the shuffle)")
    _random_sample_statistic(trial, X, Y)


# -- error_rate --------------------------------------------------------------------------


def _error_rate_inputs(rng, i, public=((8, 2, 1), (20, 3, 2), (13, 1, 3), (1, 0, 1))):
    """Labels with false positives and false negatives in unequal numbers (so that they
    do not cancel), never half of the examples wrong (so error != 1 - error). Public trial 4
    has a single example (m = 1), wrongly predicted. Hidden trials repeat the public ones, then:
    all right, all wrong, m = 1 again, then random ones, some with integer labels (both, or
    only the predictions)."""
    if i < len(public):
        m, fp, fn = public[i]
    else:
        m = int(rng.integers(1, 60))
        if i == ALL_RIGHT:
            fp = fn = 0
        elif i == ALL_WRONG:
            fp = int(rng.integers(0, m + 1))
            fn = m - fp
        elif i == ONE_EXAMPLE:
            m = 1
            fp, fn = ((0, 0), (1, 0), (0, 1))[int(rng.integers(3))]
        else:
            m = max(m, 8)
            fp, fn = (int(x) for x in rng.choice(m // 2, size=2, replace=False))
    positives = int(rng.integers(fn, m - fp + 1))
    Y = np.zeros((1, m))
    Y[0, :positives] = 1.0
    Y_hat = Y.copy()
    Y_hat[0, :fn] = 0.0                       # false negatives
    Y_hat[0, positives:positives + fp] = 1.0  # false positives
    order = rng.permutation(m)
    Y_hat, Y = Y_hat[:, order], Y[:, order]
    if i in INTEGER_LABELS:  # 0/1 labels as integers (as a data set may store them)
        Y_hat = Y_hat.astype(np.int64)
        Y = Y.astype(np.int64) if i % 2 else Y
    return {"Y_hat": Y_hat, "Y": Y}


# hidden error_rate trials: all right, all wrong, a single example, integer labels
ALL_RIGHT, ALL_WRONG, ONE_EXAMPLE = 4, 5, 6
INTEGER_LABELS = (7, 9, 10)


def _no_error(inputs) -> bool:
    return bool(np.all(inputs["Y_hat"] == inputs["Y"]))


def _all_wrong(inputs) -> bool:
    return bool(np.all(inputs["Y_hat"] != inputs["Y"]))


def _integer_labels(inputs) -> bool:
    return any(np.asarray(inputs[k]).dtype.kind in "iu" for k in ("Y_hat", "Y"))


# -- diagnose ----------------------------------------------------------------------------

_DIAGNOSE_PUBLIC = [
    # the lecture's table, base error 0 and the default threshold 0.05
    {"train_error": 0.01, "dev_error": 0.11},
    {"train_error": 0.15, "dev_error": 0.16},
    {"train_error": 0.15, "dev_error": 0.30},
    {"train_error": 0.005, "dev_error": 0.01},
    # a base (Bayes) error of 15%: the second row becomes fine
    {"train_error": 0.15, "dev_error": 0.16, "base_error": 0.15},
    # another threshold; dev_error - base_error is not the variance
    {"train_error": 0.25, "dev_error": 0.5, "base_error": 0.125, "threshold": 0.3125},
    # exactly at the threshold (exact in binary floating point): not high
    {"train_error": 0.5, "dev_error": 0.5, "base_error": 0.25, "threshold": 0.25},
    {"train_error": 0.25, "dev_error": 0.375, "base_error": 0.25, "threshold": 0.125},
    # just above it: high
    {"train_error": 0.25, "dev_error": 0.3759765625, "base_error": 0.25, "threshold": 0.125},
    # a dev error below the training error: a negative variance is not high
    {"train_error": 0.75, "dev_error": 0.25, "base_error": 0.25, "threshold": 0.25},
    # a training error below the base error (better than the human-level estimate): a
    # negative avoidable bias is not high
    {"train_error": 0.0625, "dev_error": 0.09375, "base_error": 0.25, "threshold": 0.125},
]


def _diagnose_inputs(rng, i):
    """The table above (hidden trials repeat it), then multiples of 1/256 (exact
    differences), built so that the bias or the variance lands exactly on the threshold or
    next to it, both are high, or a nonzero base error changes the verdict; then a dev error
    below the training error, a training error below the base error, and threshold = 0."""
    if i < len(_DIAGNOSE_PUBLIC):
        return dict(_DIAGNOSE_PUBLIC[i])
    i -= len(_DIAGNOSE_PUBLIC)
    q = 1 / 256
    t = int(rng.integers(4, 40))             # the threshold, in units of q
    base = int(rng.integers(0, 40))
    if i == 14:  # a training error below the base error by more than the threshold: the
        # avoidable bias is negative, never high (only |train - base|, a mistake, calls it high)
        base = int(rng.integers(2 * t, 4 * t))
        train = base - t - int(rng.integers(1, t))
        dev = train + int(rng.integers(0, t))
        return {"train_error": train * q, "dev_error": dev * q, "base_error": base * q,
                "threshold": t * q}
    if i == 15:  # threshold = 0: every positive gap is high, a zero gap is not (no bias
        # above the base error, a small variance)
        train = base
        dev = train + int(rng.integers(1, 4))
        return {"train_error": train * q, "dev_error": dev * q, "base_error": base * q,
                "threshold": 0.0}
    if i >= 12:  # a dev error below the training error (a lucky dev set): the variance is
        # negative, never high; with the bias high (i = 12) or not (i = 13). dev_error itself
        # and dev_error - base_error stay below the threshold, so that only |dev - train|
        # (another mistake) calls it high
        base, train = (0, 3 * t) if i == 12 else (t + 1, t + 2)
        dev = int(rng.integers(0, t)) if i == 12 else int(rng.integers(0, 2))
        return {"train_error": train * q, "dev_error": dev * q, "base_error": base * q,
                "threshold": t * q}
    near = 0 if i < 6 else int(rng.choice([-3, -1, 0, 1, 3]))  # first round: exactly on it
    gap = int(rng.integers(0, 2 * t))
    kind = i % 6
    if kind == 0:    # the avoidable bias on (or next to) the threshold
        train = base + t + near
        dev = train + gap
    elif kind == 1:  # the variance on (or next to) the threshold
        train = base + int(rng.integers(0, t + 1))
        dev = train + t + near
    elif kind == 2:  # both high
        train = base + t + int(rng.integers(1, t))
        dev = train + t + int(rng.integers(1, t))
    elif kind == 3:  # high bias only if the base error is ignored
        base = max(base, t + 1)
        train = base + int(rng.integers(0, t + 1))
        dev = train + gap
    elif kind == 4:  # high variance only if it is measured from the base error
        above = int(rng.integers(1, t + 1))  # train - base: not high
        train = base + above
        dev = train + t - int(rng.integers(0, above))  # dev - train <= t < dev - base
    else:            # the default threshold and no base error, away from the boundary
        train = int(rng.integers(0, 60))
        dev = train + int(rng.choice([int(rng.integers(0, 10)), int(rng.integers(16, 60))]))
        return {"train_error": train * q, "dev_error": dev * q}
    return {"train_error": train * q, "dev_error": dev * q, "base_error": base * q,
            "threshold": t * q}


# -- contracts -----------------------------------------------------------------------------


def _zero_fraction(inputs) -> bool:
    return inputs.get("dev_fraction") == 0.0 or inputs.get("test_fraction") == 0.0


def _one_feature(inputs) -> bool:
    return inputs["X"].shape[0] == 1


def _tiny_fractions(inputs) -> bool:
    """A large data set's split (98/1/1): a fraction of 1% or less, a dev set of a few."""
    fractions = [inputs.get(k, 0.2) for k in ("dev_fraction", "test_fraction")]
    return 0 < min(f for f in fractions if f > 0) <= 0.01 and inputs["X"].shape[1] >= 300


def _on_the_threshold(inputs) -> bool:
    """The bias or the variance exactly equal to an explicit threshold (exact in binary)."""
    if "threshold" not in inputs:
        return False
    t, train = inputs["threshold"], inputs["train_error"]
    return train - inputs.get("base_error", 0.0) == t or inputs["dev_error"] - train == t


def _both_high(inputs) -> bool:
    t = inputs.get("threshold", 0.05)
    return (inputs["train_error"] - inputs.get("base_error", 0.0) > t
            and inputs["dev_error"] - inputs["train_error"] > t)


SPLIT_CLAUSES = (
    Clause("randomness", "the same generator state gives the same split, another generator "
                         "another split: all randomness from rng (rng.permutation)",
           by="properties"),
    Clause("randomness", "each set is a random sample of all m examples (shuffle first, then "
                         "cut) and is itself in random order (no np.sort, np.setdiff1d or "
                         "boolean masks)", by="properties"),
    Clause("per-part", "each set on its own changes with the generator: no set fixed by a "
                       "generator of its own, none a fixed piece of X", by="properties"),
    Clause("type", "returns three (X, Y) pairs (tuples or lists) of numpy arrays, examples as "
                   "columns, every example once with its own label", by="properties"),
    Clause("boundary", "the dev and test sets get round(fraction * m) examples (rounding down "
                       "is fine), the training set the rest", by="properties"),
    Clause("boundary", "the defaults dev_fraction = test_fraction = 0.2",
           tried=default("dev_fraction")),
    Clause("boundary", "a fraction of 0 gives an empty set (order[-0:] is the whole order, "
                       "not an empty piece)", tried=_zero_fraction),
    Clause("boundary", "tiny fractions of a larger data set (a 98/1/1 split): 1% of m",
           tried=_tiny_fractions),
    Clause("shape", "an empty set keeps the rows: X_test of shape (n_x, 0), Y_test (1, 0), "
                    "not np.array([])", tried=_zero_fraction),
    Clause("shape", "a single feature: X of shape (1, m)", tried=_one_feature),
)

ERROR_RATE_CLAUSES = (
    Clause("type", "returns a plain number (a float), not an array of shape (1,) or (1, 1)",
           by="grader.compare.compare"),
    Clause("type", "integer labels (0/1 stored as integers) give the same error rate",
           tried=_integer_labels),
    Clause("shape", "a single example, m = 1: Y_hat and Y of shape (1, 1)",
           tried=lambda inputs: inputs["Y"].shape[1] == 1),
    Clause("boundary", "all predictions right: exactly 0.0", tried=_no_error),
    Clause("boundary", "all predictions wrong: exactly 1.0", tried=_all_wrong),
)

DIAGNOSE_CLAUSES = (
    Clause("type", "returns exactly one of the four strings, as written (lower case)",
           by="grader.compare.compare"),
    Clause("boundary", "high means strictly greater: a bias or a variance exactly equal to "
                       "the threshold is not high", tried=_on_the_threshold),
    Clause("boundary", "a dev error below the training error (a negative variance) is not "
                       "high variance",
           tried=lambda inputs: inputs["dev_error"] < inputs["train_error"]),
    Clause("boundary", "a training error below the base error (a negative avoidable bias) is "
                       "not high bias",
           tried=lambda inputs: inputs["train_error"] < inputs.get("base_error", 0.0)),
    Clause("boundary", "bias and variance can both be high: \"high bias and high variance\"",
           tried=_both_high),
    Clause("boundary", "the defaults base_error = 0 and threshold = 0.05 (the lecture's table)",
           tried=lambda inputs: default("base_error")(inputs) and default("threshold")(inputs)),
    Clause("boundary", "a nonzero base error moves the bias (the lecture's 15% example)",
           tried=lambda inputs: inputs.get("base_error", 0.0) > 0),
    Clause("boundary", "threshold = 0: every positive gap is high, a zero gap is not",
           tried=lambda inputs: inputs.get("threshold") == 0.0),
)

SPECS = [
    Spec("train_dev_test_split", _split_inputs,
         ("(X_train, Y_train)", "(X_dev, Y_dev)", "(X_test, Y_test)"), by_value=False,
         properties=_split_properties, n_public=4, n_hidden=12, clauses=SPLIT_CLAUSES),
    Spec("error_rate", _error_rate_inputs, "error", n_public=4, n_hidden=12,
         clauses=ERROR_RATE_CLAUSES),
    Spec("diagnose", _diagnose_inputs, "diagnosis", n_public=len(_DIAGNOSE_PUBLIC),
         n_hidden=len(_DIAGNOSE_PUBLIC) + 16, clauses=DIAGNOSE_CLAUSES),
]
