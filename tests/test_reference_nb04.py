"""Notebook 04: the reference implementations, and the claims the notebook makes about them.

The claims are checked on the notebook's own setups (same data, sizes and seeds), with the
reference functions in place of the student's.
"""
from __future__ import annotations

import numpy as np
import pytest

from grader.checks.nb04 import (COUNT_FALSE_FAILURE, PART_FALSE_FAILURE, UNIFORM_FALSE_FAILURE,
                                _chi2_sf_even, _chi2_threshold, _direction_uniformity,
                                _log_binomial_cdfs, _log_count_spread_bound, _per_part_check,
                                _uniformity)
from grader.compare import Mismatch
from grader.datasets import load_breast_cancer, load_digits
from grader.reference import nb01, nb04
from grader.reference.numeric import numerical_gradient, relative_difference

# -- L2 -----------------------------------------------------------------------------------


def _net(rng, dims, m):
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.2 + 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((dims[0], m))
        AL, caches = nb01.model_forward(X, params)
        if all(np.abs(Z).min() > 1e-2 for _, Z in caches):  # away from the ReLU kink
            return X, params, AL, caches


@pytest.mark.parametrize("dims", [[3, 1], [4, 3, 1], [5, 4, 3, 1]])
@pytest.mark.parametrize("lambd", [0.0, 0.7, 4.0])
def test_l2_gradients_match_numeric_gradients_of_the_regularized_cost(dims, lambd):
    rng = np.random.default_rng(len(dims))
    X, params, AL, caches = _net(rng, dims, m=6)
    Y = (rng.random((1, 6)) < 0.5).astype(float)
    grads = nb04.model_backward_with_l2(AL, Y, caches, lambd)
    for key, value in params.items():
        def cost(v, key=key):
            changed = {**params, key: v}
            return nb04.compute_cost_with_l2(nb01.model_forward(X, changed)[0], Y, changed, lambd)
        assert relative_difference(grads["d" + key], numerical_gradient(cost, value)) < 1e-7, key


def test_l2_cost_by_hand():
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[5.0]]),
              "W2": np.array([[3.0]]), "b2": np.array([[-1.0]])}
    AL, Y = np.array([[0.8, 0.4]]), np.array([[1.0, 0.0]])
    cross_entropy = -(np.log(0.8) + np.log(0.6)) / 2
    # lambd / (2m) * (1 + 4 + 9), biases left out
    assert nb04.compute_cost_with_l2(AL, Y, params, 0.5) == pytest.approx(cross_entropy + 0.5 / 4 * 14)
    assert nb04.compute_cost_with_l2(AL, Y, params, 0.0) == pytest.approx(nb01.compute_cost(AL, Y))
    assert isinstance(nb04.compute_cost_with_l2(AL, Y, params, 0.5), float)


def test_weight_decay_is_the_l2_update():
    """W - lr (dW + lambd/m W) = (1 - lr lambd / m) W - lr dW, and db is unchanged."""
    rng = np.random.default_rng(3)
    X, params, AL, caches = _net(rng, [3, 4, 1], m=5)
    Y = (rng.random((1, 5)) < 0.5).astype(float)
    plain = nb01.model_backward(AL, Y, caches)
    regularized = nb04.model_backward_with_l2(AL, Y, caches, 2.0)
    lr, m = 0.1, 5
    for l in (1, 2):
        W = params[f"W{l}"]
        assert np.allclose(W - lr * regularized[f"dW{l}"], (1 - lr * 2.0 / m) * W - lr * plain[f"dW{l}"])
        assert np.array_equal(regularized[f"db{l}"], plain[f"db{l}"])


# -- dropout ------------------------------------------------------------------------------


def test_inverted_dropout_keeps_the_expected_value():
    A = np.tile(np.array([[1.0], [2.0], [0.5], [3.0]]), (1, 200_000))
    A_drop, mask = nb04.dropout_forward(A, 0.8, np.random.default_rng(0))
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert np.array_equal(A_drop, A * mask / 0.8)
    # 5 standard errors of the mean of A_drop, whose standard deviation is a sqrt(p(1-p))/p
    se = A[:, 0] * np.sqrt(0.8 * 0.2) / 0.8 / np.sqrt(A.shape[1])
    assert np.all(np.abs(A_drop.mean(axis=1) - A[:, 0]) < 5 * se)


def test_dropout_is_reproducible_per_generator_and_off_at_keep_prob_1():
    A = np.random.default_rng(1).standard_normal((5, 7))
    first = nb04.dropout_forward(A, 0.5, np.random.default_rng(42))
    again = nb04.dropout_forward(A, 0.5, np.random.default_rng(42))
    assert all(np.array_equal(x, y) for x, y in zip(first, again))
    A_drop, mask = nb04.dropout_forward(A, 1.0, np.random.default_rng(42))
    assert np.array_equal(A_drop, A) and np.all(mask == 1)


def test_dropout_backward_is_the_derivative_with_the_mask_fixed():
    rng = np.random.default_rng(2)
    A, dA = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    _, mask = nb04.dropout_forward(A, 0.6, rng)
    numeric = numerical_gradient(lambda a: np.sum(dA * a * mask / 0.6), A)
    assert relative_difference(nb04.dropout_backward(dA, mask, 0.6), numeric) < 1e-9
    assert np.array_equal(nb04.dropout_backward(dA, mask.astype(bool), 0.6),
                          nb04.dropout_backward(dA, mask, 0.6))


def test_dropout_through_the_network_at_keep_prob_1_is_the_plain_network():
    rng = np.random.default_rng(21)
    X, params, _, _ = _net(rng, [4, 6, 5, 3, 1], m=9)
    AL, caches = nb01.model_forward(X, params)
    AL_d, caches_d, masks = nb04.model_forward_with_dropout(X, params, 1.0, rng)
    assert np.array_equal(AL_d, AL)
    for ((A, W, b), Z), ((A_d, W_d, b_d), Z_d) in zip(caches, caches_d, strict=True):
        assert all(np.array_equal(x, y) for x, y in [(A, A_d), (W, W_d), (b, b_d), (Z, Z_d)])
    assert [mask.shape for mask in masks] == [(6, 9), (5, 9), (3, 9)]
    assert all(np.all(mask == 1) for mask in masks)
    Y = (rng.random((1, 9)) < 0.5).astype(float)
    for lambd in (0.0, 1.3):
        with_dropout = nb04.model_backward_with_dropout(AL, Y, caches_d, masks, 1.0, lambd)
        plain = nb04.model_backward_with_l2(AL, Y, caches, lambd)
        assert with_dropout.keys() == plain.keys()
        assert all(np.allclose(with_dropout[k], plain[k], rtol=1e-12, atol=1e-15) for k in plain)


def test_the_network_s_masks_and_caches():
    """L - 1 masks of 0/1, none for the inputs or the output; the cache of layer l + 1
    holds the dropped A[l]; one generator state gives the same masks; no hidden layer, no
    masks."""
    rng = np.random.default_rng(22)
    params, X = _he([3, 40, 30, 1], rng), rng.standard_normal((3, 50))
    AL, caches, masks = nb04.model_forward_with_dropout(X, params, 0.7, np.random.default_rng(5))
    assert len(masks) == 2 and masks[0].shape == (40, 50) and masks[1].shape == (30, 50)
    assert np.array_equal(caches[0][0][0], X)
    for l in (1, 2):
        A = np.maximum(caches[l - 1][1], 0)
        assert np.allclose(caches[l][0][0], A * masks[l - 1] / 0.7, rtol=1e-15, atol=0)
    assert np.allclose(AL, 1 / (1 + np.exp(-caches[2][1])), rtol=1e-14, atol=0)
    again = nb04.model_forward_with_dropout(X, params, 0.7, np.random.default_rng(5))[2]
    assert all(np.array_equal(x, y) for x, y in zip(masks, again))
    one_layer = {"W1": params["W1"][:1], "b1": params["b1"][:1]}
    AL, caches, masks = nb04.model_forward_with_dropout(X, one_layer, 0.7, rng)
    assert masks == [] and len(caches) == 1 and AL.shape == (1, 50)


@pytest.mark.parametrize("dims, keep_prob, lambd", [
    ([3, 1], 0.5, 0.0), ([4, 5, 1], 0.8, 0.0), ([3, 5, 4, 1], 0.6, 1.5),
    ([2, 4, 4, 3, 1], 0.3, 0.4)])
def test_dropout_backward_through_the_network_is_the_gradient_with_the_masks_fixed(
        dims, keep_prob, lambd):
    rng = np.random.default_rng(len(dims) + int(10 * keep_prob))
    while True:
        X, params, _, _ = _net(rng, dims, m=6)
        AL, caches, masks = nb04.model_forward_with_dropout(X, params, keep_prob, rng)
        if all(np.abs(Z).min() > 1e-2 for _, Z in caches):  # away from the ReLU kink
            break
    Y = (rng.random((1, 6)) < 0.5).astype(float)
    grads = nb04.model_backward_with_dropout(AL, Y, caches, masks, keep_prob, lambd)

    def thinned_cost(changed):
        A = X
        for l in range(1, len(dims) - 1):
            A = np.maximum(changed[f"W{l}"] @ A + changed[f"b{l}"], 0) * masks[l - 1] / keep_prob
        L = len(dims) - 1
        return nb04.compute_cost_with_l2(
            1 / (1 + np.exp(-(changed[f"W{L}"] @ A + changed[f"b{L}"]))), Y, changed, lambd)

    assert thinned_cost(params) == pytest.approx(nb04.compute_cost_with_l2(AL, Y, params, lambd))
    for key, value in params.items():
        numeric = numerical_gradient(lambda v, key=key: thinned_cost({**params, key: v}), value)
        assert relative_difference(grads["d" + key], numeric) < 1e-7, key


def test_the_network_check_passes_correct_masks_again_and_again():
    """The network's mask statistics (every hidden layer tested as dropout_forward's, the
    false-failure levels shared among the layers) never fail the reference on the trials'
    sizes, over many generators: no trial is failed by chance."""
    from grader.checking import hidden_trials, public_trials
    from grader.checks import SPECS
    from grader.runner import call

    spec = SPECS["model_forward_with_dropout"]
    for trial in public_trials(spec) + hidden_trials(spec):
        for seed in range(15):
            trial.inputs = {**trial.inputs, "rng": np.random.default_rng(seed)}
            trial.fn = nb04.model_forward_with_dropout
            trial.got = call(trial.fn, trial.args, name=spec.id)  # on copies, as a check
            spec.properties(trial)


def _exact_lower_tail(n, m, p, s):
    """P(sum over m columns of (k_j - n p)^2 <= s), k_j ~ Binomial(n, p) independent: exact,
    by convolving the distribution of one term m times."""
    from math import comb

    one = {}
    for k in range(n + 1):
        x = round((k - n * p) ** 2, 9)
        one[x] = one.get(x, 0.0) + comb(n, k) * p ** k * (1 - p) ** (n - k)
    total = {0.0: 1.0}
    for _ in range(m):
        new = {}
        for a, pa in total.items():
            for b, pb in one.items():
                key = round(a + b, 9)
                if key <= s + 1e-9:  # larger sums never come back below s
                    new[key] = new.get(key, 0.0) + pa * pb
        total = new
    return sum(total.values())


@pytest.mark.parametrize("n, m, p", [(4, 6, 0.3), (5, 8, 0.8), (3, 10, 0.5)])
def test_the_count_spread_bound_bounds_the_exact_probability(n, m, p):
    """Chernoff's bound used by the check is never below the exact lower-tail probability."""
    for s in (0.0, 0.5, 1.0, 2.0, m * n * p * (1 - p) / 4, m * n * p * (1 - p) / 2):
        exact = _exact_lower_tail(n, m, p, s)
        counts = np.full(m, n * p) + np.sqrt(s / m)  # any counts with this sum of squares
        assert np.exp(_log_count_spread_bound(counts, n, p)) >= exact * (1 - 1e-9)


def test_the_count_spread_test_passes_dropout_masks_and_catches_fixed_counts():
    rng = np.random.default_rng(3)
    for n, m, p in [(20, 250, 0.8), (15, 150, 0.1), (39, 150, 0.95), (25, 200, 0.3)]:
        correct = [_log_count_spread_bound((rng.random((n, m)) < p).sum(axis=0), n, p)
                   for _ in range(50)]
        assert min(correct) > np.log(1e-4) > np.log(COUNT_FALSE_FAILURE)
        fixed = _log_count_spread_bound(np.full(m, round(p * n)), n, p)
        assert fixed < np.log(1e-30)


def test_the_binomial_tails_are_exact():
    """The kept-fraction tests' tails, against sums of math.comb terms."""
    from math import comb

    for N, p in [(1, 0.3), (7, 0.05), (30, 0.8), (200, 0.35)]:
        low, high = _log_binomial_cdfs(N, p)
        pmf = [comb(N, k) * p ** k * (1 - p) ** (N - k) for k in range(N + 1)]
        for k in range(N + 1):
            assert np.exp(low[k]) == pytest.approx(sum(pmf[:k + 1]), rel=1e-9, abs=1e-300)
            assert np.exp(high[k]) == pytest.approx(sum(pmf[k:]), rel=1e-9, abs=1e-300)


def test_the_per_part_test_passes_dropout_masks_and_catches_a_unit_never_dropped():
    """Every unit's and every example's kept count: correct masks pass (their smallest tail
    probability is far above the test's level), a unit kept in every example or an example
    with every unit dropped does not, where the pooled fraction barely moves."""
    rng = np.random.default_rng(12)
    for n, m, p in [(20, 250, 0.8), (25, 200, 0.3), (40, 120, 0.65), (15, 150, 0.1),
                    (1, 400, 0.2), (40, 1, 0.9), (30, 200, 0.05)]:
        for _ in range(20):
            _per_part_check((rng.random((n, m)) < p).astype(float), p)
    values = (rng.random((20, 250)) < 0.8).astype(float)
    values[0] = 1.0
    with pytest.raises(Mismatch, match="unit 0 .row 0. in 250 of the 250 examples"):
        _per_part_check(values, 0.8)
    values = (rng.random((40, 120)) < 0.65).astype(float)
    values[:, 7] = 0.0
    with pytest.raises(Mismatch, match="keeps 0 of the 40 units of example 7"):
        _per_part_check(values, 0.65)
    assert PART_FALSE_FAILURE <= 1e-9


def test_the_chi_square_tail_in_closed_form():
    for x in (0.5, 3.0, 40.0):
        assert _chi2_sf_even(x, 2) == pytest.approx(np.exp(-x / 2))
        assert _chi2_sf_even(x, 4) == pytest.approx(np.exp(-x / 2) * (1 + x / 2))
    # a chi-square with df degrees of freedom is a sum of df squared standard normals
    z = np.random.default_rng(0).standard_normal((400_000, 4))
    threshold = _chi2_threshold(4, 0.01)
    assert _chi2_sf_even(threshold, 4) == pytest.approx(0.01)
    assert np.mean(np.sum(z ** 2, axis=1) > threshold) == pytest.approx(0.01, rel=0.05)


@pytest.mark.parametrize("m, K", [(150, 3), (150, 1)])
def test_the_uniformity_test_level_by_simulation(m, K):
    """The chi-square approximation on the trials' smallest counts: the simulated false-failure
    rate of uniform shifts at nominal levels 1e-3 and 1e-4 is within a factor 1.6 of nominal
    (a simulation of 2e7 draws found at most 1.5 at 1e-6 as well); the check uses 1e-9."""
    rng = np.random.default_rng(11)
    k, n = 2 * K + 1, 1_000_000
    expected = m / k
    counts = rng.multinomial(m, [1 / k] * k, size=(2, n))
    statistic = np.sum((counts - expected) ** 2, axis=(0, 2)) / expected
    for level in (1e-3, 1e-4):
        assert np.mean(statistic > _chi2_threshold(4 * K, level)) < 1.6 * level
    assert UNIFORM_FALSE_FAILURE <= 1e-9


@pytest.mark.parametrize("m, K", [(150, 3), (150, 1), (400, 4)])
def test_each_direction_s_uniformity_test_level_by_simulation(m, K):
    """The same for one direction alone (2K degrees of freedom; the check's smallest expected
    count is 20): within a factor 1.6 of the nominal level at 1e-3 and 1e-4."""
    rng = np.random.default_rng(13)
    k, n = 2 * K + 1, 1_000_000
    counts = rng.multinomial(m, [1 / k] * k, size=n)
    statistic = np.sum((counts - m / k) ** 2, axis=1) / (m / k)
    for level in (1e-3, 1e-4):
        assert np.mean(statistic > _chi2_threshold(2 * K, level)) < 1.6 * level


def test_each_direction_is_tested_on_its_own():
    """dx right and dy a clipped, rounded normal: the direction's own test catches it more
    often than the joint test, which dilutes it over twice the degrees of freedom."""
    rng = np.random.default_rng(14)
    K, joint, alone = 3, 0, 0
    for _ in range(200):
        dx = rng.integers(-K, K + 1, size=1000)
        dy = np.clip(np.round(rng.normal(0, K, size=1000)), -K, K)
        statistic, threshold, _, _ = _uniformity(dy, dx, K)
        joint += statistic > threshold
        statistic, threshold, counts = _direction_uniformity(dy, K)
        assert counts.sum() == 1000
        alone += statistic > threshold
    assert alone > joint + 5


def test_the_uniformity_test_catches_a_clipped_normal_on_1000_images():
    rng = np.random.default_rng(4)
    K = 3
    for _ in range(20):
        dy, dx = rng.integers(-K, K + 1, size=(2, 1000))
        statistic, threshold, _, _ = _uniformity(dy, dx, K)
        assert statistic < 0.7 * threshold
        dy, dx = np.clip(np.round(rng.normal(0, K, size=(2, 1000))), -K, K)
        statistic, threshold, _, _ = _uniformity(dy, dx, K)
        assert statistic > 1.5 * threshold


# -- early stopping -------------------------------------------------------------------------


@pytest.mark.parametrize("errors, patience, expected", [
    ([0.5, 0.4, 0.45, 0.4, 0.3], 2, (3, 1)),      # the notebook's worked example: a tie is no improvement
    ([0.5, 0.4, 0.3, 0.2], 1, (3, 3)),            # always improving: the last epoch
    ([0.5, 0.6, 0.7], 2, (2, 0)),                 # patience runs out at the last epoch
    ([0.5, 0.6, 0.4, 0.7, 0.8], 2, (4, 2)),       # an improvement restarts the count
    ([0.3], 3, (0, 0)),                           # a single epoch
])
def test_early_stopping_cases(errors, patience, expected):
    assert nb04.early_stopping(errors, patience) == expected
    assert nb04.early_stopping(np.array(errors), patience) == expected


def test_early_stopping_never_looks_past_the_stop():
    errors = [0.5, 0.4, 0.45, 0.46, 0.47]
    stop, best = nb04.early_stopping(errors, 3)
    assert (stop, best) == (4, 1)
    for future in ([0.1], [0.9, 0.0]):
        assert nb04.early_stopping(errors + future, 3) == (stop, best)


# -- normalizing ------------------------------------------------------------------------------


def test_fit_normalizer_and_normalize():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((4, 50)) * np.array([[1.0], [100.0], [0.01], [1.0]]) + 7.0
    X[3] = 2.5  # a constant feature
    mu, sigma = nb04.fit_normalizer(X)
    assert mu.shape == sigma.shape == (4, 1)
    assert sigma[3, 0] == 1.0
    N = nb04.normalize(X, mu, sigma)
    assert np.allclose(N.mean(axis=1), 0) and np.allclose(N[:3].std(axis=1), 1)
    assert np.all(N[3] == 0)


def _breast_cancer_split():
    """The notebook's split: 60% training, then dev and test."""
    X, Y, _ = load_breast_cancer()
    order = np.random.default_rng(4).permutation(X.shape[1])
    n_train = int(0.6 * order.size)
    return X[:, order[:n_train]], Y[:, order[:n_train]]


def test_dividing_by_the_variance_leaves_features_on_different_scales():
    """The note on the lecture's slide: x / sigma^2 has standard deviation 1 / sigma."""
    X, _ = _breast_cancer_split()
    mu, sigma = nb04.fit_normalizer(X)
    by_variance = (X - mu) / sigma ** 2
    assert np.allclose(by_variance.std(axis=1, keepdims=True), 1 / sigma)
    spread = by_variance.std(axis=1)
    assert spread.max() / spread.min() > 1e4
    assert np.allclose(nb04.normalize(X, mu, sigma).std(axis=1), 1)


def _logistic_costs(X, Y, learning_rate, num_iterations):
    params = {"W1": np.zeros((1, X.shape[0])), "b1": np.zeros((1, 1))}
    costs = []
    with np.errstate(over="ignore"):
        for _ in range(num_iterations):
            AL, caches = nb01.model_forward(X, params)
            costs.append(nb01.compute_cost(np.clip(AL, 1e-12, 1 - 1e-12), Y))
            params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), learning_rate)
    return np.array(costs)


def test_normalizing_makes_gradient_descent_much_faster():
    """The notebook's measurement: cost < 0.1 within a few dozen iterations when normalized,
    never within 3,000 on the raw features, whatever the learning rate in the grid."""
    X, Y = _breast_cancer_split()
    mu, sigma = nb04.fit_normalizer(X)
    N = nb04.normalize(X, mu, sigma)
    assert np.argmax(_logistic_costs(N, Y, 1.0, 300) < 0.1) < 50
    for learning_rate in (1e-6, 1e-5, 1e-4):
        assert not np.any(_logistic_costs(X, Y, learning_rate, 3000) < 0.1)


# -- data augmentation ----------------------------------------------------------------------------


def _shifted_by(image, out, max_shift):
    """The (dy, dx) with out = image moved by it, zero-filled, or None."""
    h, w = image.shape
    for dy in range(-max_shift, max_shift + 1):
        for dx in range(-max_shift, max_shift + 1):
            moved = np.zeros_like(image)
            for r in range(h):
                for c in range(w):
                    if 0 <= r - dy < h and 0 <= c - dx < w:
                        moved[r, c] = image[r - dy, c - dx]
            if np.array_equal(moved, out):
                return dy, dx
    return None


def test_random_shift_moves_each_image_with_zeros_filling_in():
    rng = np.random.default_rng(8)
    images = rng.integers(1, 17, (300, 5, 7)) / 16
    before = images.copy()
    out = nb04.random_shift(images, 2, np.random.default_rng(0))
    assert np.array_equal(images, before)
    shifts = np.array([_shifted_by(x, y, 2) for x, y in zip(images, out)])
    assert shifts.shape == (300, 2)  # every image is a zero-filled shift within range
    for axis in (0, 1):
        assert set(shifts[:, axis]) == {-2, -1, 0, 1, 2}
    assert np.array_equal(nb04.random_shift(images, 0, np.random.default_rng(0)), images)


# -- the notebook's demonstrations ----------------------------------------------------------------


def _circle_data(m, rng, noise=0.12):
    X = rng.uniform(-1, 1, (2, m))
    Y = (np.sum(X ** 2, axis=0, keepdims=True) < 0.6 ** 2).astype(float)
    flip = rng.random((1, m)) < noise
    return X, np.where(flip, 1 - Y, Y)


def _he(layer_dims, rng):
    params = nb01.initialize_parameters(layer_dims, rng, scale=1.0)
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = params[f"W{l}"] * np.sqrt(2 / layer_dims[l - 1])
    return params


def _train(X, Y, lambd=0.0, keep_prob=1.0, learning_rate=0.4, num_iterations=1500, seed=1):
    """The notebook's train(): [2, 50, 50, 1], dropout after each hidden layer, L2."""
    rng = np.random.default_rng(seed)
    params = _he([2, 50, 50, 1], rng)
    for _ in range(num_iterations):
        AL, caches, masks = nb04.model_forward_with_dropout(X, params, keep_prob, rng)
        grads = nb04.model_backward_with_dropout(AL, Y, caches, masks, keep_prob, lambd)
        params = nb01.update_parameters(params, grads, learning_rate)
    return params


def _train_by_hand(X, Y, lambd=0.0, keep_prob=1.0, learning_rate=0.4, num_iterations=1500, seed=1):
    """The same, with the two hidden layers' dropout written out layer by layer."""
    rng = np.random.default_rng(seed)
    params = _he([2, 50, 50, 1], rng)
    for _ in range(num_iterations):
        A, caches, masks = X, [], []
        for l in (1, 2):
            A, cache = nb01.linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
            A, mask = nb04.dropout_forward(A, keep_prob, rng)
            caches.append(cache)
            masks.append(mask)
        AL, cache = nb01.linear_activation_forward(A, params["W3"], params["b3"], "sigmoid")
        caches.append(cache)
        grads = {}
        dA, grads["dW3"], grads["db3"] = nb01.linear_backward(AL - Y, caches[2][0])
        for l in (2, 1):
            dA = nb04.dropout_backward(dA, masks[l - 1], keep_prob)
            dA, grads[f"dW{l}"], grads[f"db{l}"] = nb01.linear_activation_backward(dA, caches[l - 1], "relu")
        for l in (1, 2, 3):
            grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / Y.shape[1] * caches[l - 1][0][1]
        params = nb01.update_parameters(params, grads, learning_rate)
    return params


def _error(X, Y, params):
    return float(np.mean((nb01.model_forward(X, params)[0] > 0.5) != Y))


@pytest.fixture(scope="module")
def circle():
    rng = np.random.default_rng(7)  # the notebook's training, dev and test sets
    return _circle_data(100, rng), _circle_data(400, rng), _circle_data(400, rng)


@pytest.fixture(scope="module")
def circle_models(circle):
    (X, Y), _, _ = circle
    return {key: _train(X, Y, *key) for key in [(0.0, 1.0), (1.0, 1.0), (3.0, 1.0), (0.0, 0.6)]}


def test_the_l2_picture(circle, circle_models):
    """Moderate lambd: lower dev error than none; large lambd: both errors up; weights shrink."""
    (X, Y), (X_dev, Y_dev), _ = circle
    none, moderate, large = (circle_models[(l, 1.0)] for l in (0.0, 1.0, 3.0))
    assert _error(X_dev, Y_dev, moderate) < _error(X_dev, Y_dev, none) - 0.02
    assert _error(X, Y, large) > _error(X, Y, moderate) and _error(X_dev, Y_dev, large) > _error(X_dev, Y_dev, moderate)
    squares = [sum(np.sum(p[f"W{l}"] ** 2) for l in (1, 2, 3)) for p in (none, moderate, large)]
    assert squares[0] > squares[1] > squares[2]


def test_the_whole_network_functions_are_the_layers_arranged(circle):
    """train() with model_forward_with_dropout / model_backward_with_dropout is the same
    computation as dropout_forward / dropout_backward written out between the layers (the
    same draws from the one generator, in the same order)."""
    (X, Y), _, _ = circle
    for lambd, keep_prob in [(0.0, 0.6), (0.7, 0.8)]:
        by_functions = _train(X, Y, lambd, keep_prob, num_iterations=30)
        by_hand = _train_by_hand(X, Y, lambd, keep_prob, num_iterations=30)
        assert all(np.allclose(by_functions[k], by_hand[k], rtol=1e-12, atol=1e-14)
                   for k in by_hand)


def test_the_training_loop_with_keep_prob_1_is_plain_l2_training(circle):
    (X, Y), _, _ = circle
    with_dropout_code = _train(X, Y, 0.3, 1.0, num_iterations=50)
    params = _he([2, 50, 50, 1], np.random.default_rng(1))
    for _ in range(50):
        AL, caches = nb01.model_forward(X, params)
        params = nb01.update_parameters(params, nb04.model_backward_with_l2(AL, Y, caches, 0.3), 0.4)
    assert all(np.allclose(params[k], with_dropout_code[k], rtol=1e-10, atol=1e-12) for k in params)


def test_dropout_helps_and_no_single_unit_decides(circle, circle_models):
    """The notebook's dropout claims: a lower dev error than no regularization, and removing
    one hidden unit changes far fewer dev predictions."""
    _, (X_dev, Y_dev), _ = circle
    none, dropout = circle_models[(0.0, 1.0)], circle_models[(0.0, 0.6)]
    assert _error(X_dev, Y_dev, dropout) < _error(X_dev, Y_dev, none)

    def largest_change(params):
        AL, caches = nb01.model_forward(X_dev, params)
        (A_last, W_out, _), Z_out = caches[-1]
        return np.max(np.mean(((Z_out - W_out.T * A_last) > 0) != (Z_out > 0), axis=1))

    assert largest_change(dropout) < largest_change(none) / 3


def test_early_stopping_restores_a_better_network(circle):
    (X, Y), (X_dev, Y_dev), (X_test, Y_test) = circle
    params = _he([2, 50, 50, 1], np.random.default_rng(1))
    dev_curve, checkpoints = [], {}
    for i in range(1500):
        AL, caches = nb01.model_forward(X, params)
        if i % 10 == 0:
            dev_curve.append(_error(X_dev, Y_dev, params))
            if dev_curve[-1] < min(dev_curve[:-1], default=np.inf):
                checkpoints[len(dev_curve) - 1] = params
        params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), 0.4)
    stop, best = nb04.early_stopping(dev_curve, 20)
    assert best < stop < len(dev_curve) - 1
    assert _error(X_test, Y_test, checkpoints[best]) < _error(X_test, Y_test, params)


def test_augmentation_makes_the_network_robust_to_shifts():
    """The notebook's digits demonstration: shifted dev images go from ~1/3 wrong to far fewer."""
    X, digit = load_digits()
    Y = (digit % 2 == 0).astype(float).reshape(1, -1)
    images = X.T.reshape(-1, 8, 8)
    rng = np.random.default_rng(0)
    order = rng.permutation(images.shape[0])
    train, dev = order[:100], order[100:900]
    X_shifted = nb04.random_shift(images[dev], 1, rng).reshape(-1, 64).T

    def train_digits(augment, seed=0):
        rng = np.random.default_rng(seed)
        params = _he([64, 32, 1], rng)
        X_train, Y_train = X[:, train], Y[:, train]
        for _ in range(600):
            if augment:
                shifted = nb04.random_shift(images[train], 1, rng).reshape(-1, 64).T
                X_train = np.concatenate([X[:, train], shifted], axis=1)
                Y_train = np.concatenate([Y[:, train], Y[:, train]], axis=1)
            AL, caches = nb01.model_forward(X_train, params)
            params = nb01.update_parameters(params, nb01.model_backward(AL, Y_train, caches), 0.5)
        return params

    plain, augmented = train_digits(False), train_digits(True)
    assert _error(X_shifted, Y[:, dev], plain) > 0.25
    assert _error(X_shifted, Y[:, dev], augmented) < 0.5 * _error(X_shifted, Y[:, dev], plain)
    assert _error(X[:, dev], Y[:, dev], augmented) < _error(X[:, dev], Y[:, dev], plain) + 0.02
