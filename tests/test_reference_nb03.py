"""Notebook 03: the references, the checks' own guarantees (exact boundaries, unequal
fractions, the "within 1" size rule, the random-sample statistic) and the claims the
notebook makes about its data and experiments."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from grader import CheckFailed, check
from grader.checking import hidden_trials, public_trials
from grader.checks import SPECS
from grader.checks.nb03 import (ORDER_FALSE_FAILURE, STATISTIC_SPLITS, _DIAGNOSE_PUBLIC,
                                _inversions, _order_test)
from grader.datasets import load_breast_cancer, load_digits
from grader.reference import nb01
from grader.reference.nb03 import VERDICTS, diagnose, error_rate, train_dev_test_split

# -- diagnose -----------------------------------------------------------------------------


def test_the_lectures_table():
    table = {(0.01, 0.11): "high variance", (0.15, 0.16): "high bias",
             (0.15, 0.30): "high bias and high variance", (0.005, 0.01): "low bias and low variance"}
    for (train, dev), verdict in table.items():
        assert diagnose(train, dev) == verdict


def test_a_base_error_changes_the_verdict():
    assert diagnose(0.15, 0.16) == "high bias"
    assert diagnose(0.15, 0.16, base_error=0.15) == "low bias and low variance"
    assert diagnose(0.15, 0.30, base_error=0.15) == "high variance"


def test_high_means_strictly_greater_at_exact_boundaries():
    # 0.5 - 0.25 == 0.25 exactly in binary floating point: equal is not high
    assert 0.5 - 0.25 == 0.25
    assert diagnose(0.5, 0.5, base_error=0.25, threshold=0.25) == "low bias and low variance"
    assert diagnose(0.25, 0.375, base_error=0.25, threshold=0.125) == "low bias and low variance"
    assert diagnose(0.25, 0.375 + 2**-10, base_error=0.25, threshold=0.125) == "high variance"
    assert diagnose(0.5 + 2**-10, 0.5 + 2**-10, base_error=0.25, threshold=0.25) == "high bias"


def test_diagnose_returns_one_of_the_four_strings():
    rng = np.random.default_rng(0)
    for train, dev, base, t in rng.uniform(0, 0.5, size=(200, 4)):
        assert diagnose(train, dev, base, t) in VERDICTS


def test_diagnose_trials_are_exact_and_hit_the_boundaries():
    """Hidden trials are multiples of 1/256, so differences are exact, and some land exactly
    on the threshold; the public ones include the lecture's table and exact ties."""
    trials = [t.inputs for t in hidden_trials(SPECS["diagnose"])]
    assert [dict(t) for t in trials[:len(_DIAGNOSE_PUBLIC)]] == _DIAGNOSE_PUBLIC
    random_part = trials[len(_DIAGNOSE_PUBLIC):]
    for t in random_part:
        for value in t.values():
            assert (value * 256) == int(value * 256)
    explicit = [t for t in random_part if "threshold" in t]
    assert any(t["train_error"] - t["base_error"] == t["threshold"] for t in explicit)
    assert any(t["dev_error"] - t["train_error"] == t["threshold"] for t in explicit)
    assert any("threshold" not in t for t in random_part)
    public = [t.inputs for t in public_trials(SPECS["diagnose"])]
    assert any(t.get("threshold") is not None and t["train_error"] - t["base_error"] == t["threshold"]
               for t in public)
    assert any(t.get("threshold") is not None and t["dev_error"] - t["train_error"] == t["threshold"]
               for t in public)


# -- error_rate ----------------------------------------------------------------------------


def test_error_rate():
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    assert error_rate(Y, Y) == 0.0
    assert error_rate(1 - Y, Y) == 1.0
    value = error_rate(np.array([[1.0, 1.0, 0.0, 1.0, 0.0]]), Y)
    assert value == pytest.approx(0.4) and type(value) is float


# -- train_dev_test_split ------------------------------------------------------------------


def _positions(parts):
    return [p[0][0].astype(int) for p in parts]


@pytest.mark.parametrize("m, dev, test", [(50, 0.2, 0.2), (37, 0.15, 0.3), (40, 0.25, 0.0), (10, 0.25, 0.25)])
def test_split_is_shuffled_disjoint_complete_and_paired(m, dev, test):
    X = np.vstack([np.arange(m, dtype=float), np.arange(m) ** 2.0])  # row 0: the position
    Y = (np.arange(m) % 3 == 0).astype(float).reshape(1, -1)
    X0, Y0 = X.copy(), Y.copy()
    parts = train_dev_test_split(X, Y, np.random.default_rng(1), dev, test)
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)       # inputs untouched
    where = _positions(parts)
    assert sorted(np.concatenate(where)) == list(range(m))       # complete and disjoint
    for (Xp, Yp), idx in zip(parts, where):
        assert np.array_equal(Xp, X[:, idx]) and np.array_equal(Yp, Y[:, idx])  # paired
    # the documented rule: Python's round (halves to even: 2.5 -> 2)
    assert [len(w) for w in where[1:]] == [int(round(dev * m)), int(round(test * m))]
    again = train_dev_test_split(X, Y, np.random.default_rng(1), dev, test)
    assert all(np.array_equal(a, b) for a, b in zip(_positions(again), where))
    other = train_dev_test_split(X, Y, np.random.default_rng(2), dev, test)
    assert not np.array_equal(np.concatenate(_positions(other)), np.concatenate(where))


def test_split_puts_every_example_in_every_set_equally_often():
    m, runs = 20, 4000
    X = np.arange(m, dtype=float).reshape(1, -1)
    counts = np.zeros((3, m))
    rng = np.random.default_rng(5)
    for _ in range(runs):
        for k, idx in enumerate(_positions(train_dev_test_split(X, np.zeros((1, m)), rng, 0.1, 0.25))):
            counts[k, idx] += 1
    for k, share in enumerate((0.65, 0.1, 0.25)):  # 13, 2 and 5 of 20 examples
        # each count is Binomial(runs, share); 5 standard errors
        assert np.all(np.abs(counts[k] - runs * share) < 5 * np.sqrt(runs * share * (1 - share)))


def test_split_trials_have_unequal_and_zero_fractions():
    spec = SPECS["train_dev_test_split"]
    for trials in (public_trials(spec), hidden_trials(spec)):
        inputs = [t.inputs for t in trials]
        assert any("dev_fraction" not in t for t in inputs)  # the defaults
        unequal = [t for t in inputs if "dev_fraction" in t and t["dev_fraction"] != t["test_fraction"]]
        assert unequal and all(abs(t["dev_fraction"] - t["test_fraction"]) * t["X"].shape[1] > 2
                               for t in unequal if min(t["dev_fraction"], t["test_fraction"]) > 0)
        assert any(t.get("test_fraction") == 0.0 for t in inputs)


def _resized(change):
    """The reference, with the dev set's size changed by change(fraction * m)."""
    def split(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
        m = X.shape[1]
        n_dev, n_test = change(dev_fraction * m), int(round(test_fraction * m))
        order = rng.permutation(m)
        dev, test, train = order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:]
        return (X[:, train], Y[:, train]), (X[:, dev], Y[:, dev]), (X[:, test], Y[:, test])
    return split


def test_sizes_within_one_of_the_fraction_are_accepted_and_others_not():
    for rule in (np.floor, np.ceil, np.round):
        check("train_dev_test_split", _resized(lambda x, rule=rule: int(rule(x))), hidden=True)
    with pytest.raises(CheckFailed, match="dev_fraction \\* m"):
        check("train_dev_test_split", _resized(lambda x: int(np.floor(x)) - 1), hidden=True)


def test_the_statistic_catches_a_split_cut_before_shuffling(monkeypatch):
    """A correct split is 0 standard errors off on average; cutting first is far off. The
    check names it first by its sets' fixed members, and the statistic alone catches it too."""
    def blocks(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
        m = X.shape[1]
        n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
        cuts = np.split(np.arange(m), [m - n_dev - n_test, m - n_test])
        return tuple((X[:, i], Y[:, i]) for i in (rng.permutation(c) for c in cuts))

    with pytest.raises(CheckFailed, match=f"held the same examples over {STATISTIC_SPLITS} splits"):
        check("train_dev_test_split", blocks)
    import grader.checks.nb03 as checks_nb03

    monkeypatch.setattr(checks_nb03, "_each_set_changes", lambda drawn, m: None)
    with pytest.raises(CheckFailed, match="standard errors from a random sample"):
        check("train_dev_test_split", blocks)


def test_a_set_fixed_by_its_own_seed_is_caught_per_set(monkeypatch):
    """Only the dev set fixed (np.random.default_rng(42)), the others from rng: the pooled
    checks pass it, the per-set check names it (the position statistic, a fixed subset scoring
    only sqrt(20) z, catches such a set by chance, and then as one cut before shuffling)."""
    def fixed_dev(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
        m = X.shape[1]
        n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
        dev = np.random.default_rng(42).permutation(m)[:n_dev]
        rest = rng.permutation(np.setdiff1d(np.arange(m), dev))
        test, train = rest[:n_test], rest[n_test:]
        return tuple((X[:, i], Y[:, i]) for i in (train, dev, test))

    with pytest.raises(CheckFailed, match=r"\(X_dev, Y_dev\) came out the same over"):
        check("train_dev_test_split", fixed_dev, hidden=True)


def test_inversions_count_the_pairs_out_of_order():
    rng = np.random.default_rng(0)
    for n in (0, 1, 2, 7, 30):
        idx = rng.permutation(100)[:n]
        assert _inversions(idx) == sum(int(idx[a] > idx[b]) for a in range(n) for b in range(a + 1, n))
    assert _inversions(np.arange(10)) == 0 and _inversions(np.arange(10)[::-1]) == 45


def test_the_order_threshold_is_hoeffdings_bound_and_has_a_wide_margin():
    """The threshold makes Hoeffding's bound equal ORDER_FALSE_FAILURE; the terms it assumes
    (a random order's inversions as a sum of independent uniforms on 0..j-1) have the
    inversions' known mean n(n-1)/4 and variance n(n-1)(2n+5)/72; a shuffled set stays far
    inside the threshold."""
    sizes = [120] * STATISTIC_SPLITS
    _, threshold = _order_test([0] * len(sizes), sizes)
    ranges = sum((n - 1) * n * (2 * n - 1) / 6 for n in sizes)
    assert 2 * np.exp(-2 * threshold ** 2 / ranges) == pytest.approx(ORDER_FALSE_FAILURE)
    for n in (2, 5, 40):
        terms = [np.arange(j) for j in range(1, n + 1)]
        assert sum(t.mean() for t in terms) == pytest.approx(n * (n - 1) / 4)
        assert sum(t.var() for t in terms) == pytest.approx(n * (n - 1) * (2 * n + 5) / 72)
    rng = np.random.default_rng(1)
    worst = 0.0
    for _ in range(300):
        n = int(rng.integers(1, 200))
        deviation, threshold = _order_test(
            [_inversions(rng.permutation(n)) for _ in range(STATISTIC_SPLITS)], [n] * STATISTIC_SPLITS)
        worst = max(worst, abs(deviation) / threshold) if threshold > 0 else worst
    assert worst < 0.5  # the threshold is about 10 standard deviations


@pytest.mark.parametrize("n, caught", [(2, False), (3, False), (4, True), (30, True)])
def test_a_set_in_X_order_is_caught_from_4_examples(n, caught):
    deviation, threshold = _order_test([0] * STATISTIC_SPLITS, [n] * STATISTIC_SPLITS)
    assert bool(abs(deviation) > threshold) is caught
    reverse = [n * (n - 1) // 2] * STATISTIC_SPLITS  # descending: every pair inverted
    deviation, threshold = _order_test(reverse, [n] * STATISTIC_SPLITS)
    assert bool(abs(deviation) > threshold) is caught


def test_sets_kept_in_X_order_fail_and_correct_splits_pass_with_other_seeds(monkeypatch):
    """The notebook takes X_train[:, :n] as a random sample: a set sorted back into X's order
    fails; the reference passes whatever generators the statistic uses."""
    def sorted_sets(X, Y, rng, dev_fraction=0.2, test_fraction=0.2):
        parts = train_dev_test_split(np.arange(X.shape[1])[None, :], Y, rng, dev_fraction, test_fraction)
        return tuple((X[:, np.sort(p[0][0])], Y[:, np.sort(p[0][0])]) for p in parts)

    with pytest.raises(CheckFailed, match="keeps its examples in their order in X"):
        check("train_dev_test_split", sorted_sets)
    import grader.checks.nb03 as checks_nb03

    for seed in range(4):
        monkeypatch.setattr(checks_nb03, "STATISTIC_SEED", seed)
        check("train_dev_test_split", train_dev_test_split, hidden=True)


# -- the notebook's claims -----------------------------------------------------------------


def test_cutting_the_breast_cancer_file_unbalances_the_sets():
    """Section 1: the file has most malignant cases near its start."""
    _, Y, _ = load_breast_cancer()
    m = Y.shape[1]
    n_dev = n_test = round(0.2 * m)
    train, dev, test = Y[0, :m - n_dev - n_test], Y[0, m - n_dev - n_test:m - n_test], Y[0, m - n_test:]
    assert train.mean() > 0.44 and dev.mean() < 0.27 and test.mean() < 0.25
    shares = [Yp.mean() for _, Yp in train_dev_test_split(np.arange(m).reshape(1, -1), Y,
                                                          np.random.default_rng(0))]
    assert all(abs(s - Y.mean()) < 0.06 for s in shares)


def test_standard_errors_quoted_in_section_1():
    se = lambda p, n: np.sqrt(p * (1 - p) / n)  # noqa: E731
    assert se(0.05, 360) == pytest.approx(0.0115, abs=5e-4)
    assert se(0.05, 10_000) == pytest.approx(0.0022, abs=1e-4)


def _fit(X, Y, dims, learning_rate=0.5, num_iterations=500, scale=0.3):
    params = nb01.initialize_parameters(dims, np.random.default_rng(0), scale=scale)
    with np.errstate(over="ignore"):
        for _ in range(num_iterations):
            AL, caches = nb01.model_forward(X, params)
            params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), learning_rate)
    return params


def _errors(params, X, Y, X_dev, Y_dev):
    predict = lambda X_: (nb01.model_forward(X_, params)[0] > 0.5).astype(float)  # noqa: E731
    return error_rate(predict(X), Y), error_rate(predict(X_dev), Y_dev)


@pytest.fixture(scope="module")
def digits_split():
    X, digit = load_digits()
    Y = (digit % 2 == 0).astype(float).reshape(1, -1)
    return train_dev_test_split(X, Y, np.random.default_rng(2024))


def test_section_4_high_bias_of_logistic_regression(digits_split):
    (X, Y), (X_dev, Y_dev), _ = digits_split
    train, dev = _errors(_fit(X, Y, [64, 1]), X, Y, X_dev, Y_dev)
    assert diagnose(train, dev) == "high bias"
    longer = _errors(_fit(X, Y, [64, 1], num_iterations=3000), X, Y, X_dev, Y_dev)
    assert diagnose(*longer) == "high bias"                     # training longer does not cure it
    bigger = _errors(_fit(X, Y, [64, 16, 1]), X, Y, X_dev, Y_dev)
    assert diagnose(*bigger) == "low bias and low variance"     # a bigger network does


def test_section_4_high_variance_cured_by_more_data(digits_split):
    (X, Y), (X_dev, Y_dev), _ = digits_split
    small = _errors(_fit(X[:, :60], Y[:, :60], [64, 32, 1]), X[:, :60], Y[:, :60], X_dev, Y_dev)
    assert small[0] == 0.0 and diagnose(*small) == "high variance"
    full = _errors(_fit(X, Y, [64, 32, 1]), X, Y, X_dev, Y_dev)
    assert diagnose(*full) == "low bias and low variance"


def test_section_3_the_middle_network_has_the_lowest_dev_error():
    def two_moons(m, noise, rng):
        t = rng.uniform(0, np.pi, m)
        y = rng.random(m) < 0.5
        X = np.vstack([np.where(y, np.cos(t), 1 - np.cos(t)), np.where(y, np.sin(t), 0.5 - np.sin(t))])
        return X + noise * rng.standard_normal((2, m)), y.astype(float).reshape(1, -1)

    rng = np.random.default_rng(3)
    X, Y = two_moons(50, 0.35, rng)
    X_dev, Y_dev = two_moons(2000, 0.35, rng)
    errors = [_errors(_fit(X, Y, dims, lr, iterations, scale), X, Y, X_dev, Y_dev)
              for dims, lr, iterations, scale in [([2, 1], 0.5, 500, 0.5), ([2, 4, 1], 0.5, 2000, 0.5),
                                                  ([2, 40, 40, 1], 0.2, 3000, 1.5)]]
    (bias_train, bias_dev), (_, right_dev), (var_train, var_dev) = errors
    assert right_dev < min(bias_dev, var_dev)
    assert bias_train > 0.1 and var_train < 0.05 and var_dev - var_train > 0.1


def test_notebook_uses_the_same_experiment_as_these_tests():
    """The numbers above are the notebook's: same seeds, sizes and recipe."""
    import nbformat

    from grader.release import ROOT

    source = "\n".join(c.source for c in nbformat.read(
        ROOT / "solutions" / "03-bias-variance" / "03-bias-variance.ipynb", as_version=4).cells)
    for fragment in ("np.random.default_rng(2024)", "learning_rate=0.5, num_iterations=500, scale=0.3",
                     "two_moons(50, 0.35, rng)", "two_moons(2000, 0.35, rng)", "np.random.default_rng(3)",
                     '("just right", [2, 4, 1], 0.5, 2000, 0.5)',
                     '[2, 40, 40, 1], 0.2, 3000, 1.5)', "num_iterations=3000"):
        assert fragment in source, fragment


def test_hidden_trials_do_not_share_a_generator_state():
    """Every split trial hands the function its own generator."""
    trials = hidden_trials(SPECS["train_dev_test_split"])
    states = [copy.deepcopy(t.inputs["rng"]).bit_generator.state["state"]["state"] for t in trials]
    assert len(set(states)) == len(states)
