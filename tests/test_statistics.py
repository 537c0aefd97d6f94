"""The bounds that judge random draws (grader/checks/statistics.py)."""
from __future__ import annotations

import numpy as np

from grader.checks.statistics import MEAN_BOUND, WITHIN_ONE, mean_square_bounds, within_one_bound


def test_mean_square_bounds_are_chernoffs():
    low, high = mean_square_bounds(100)
    assert 0.3 < low < 0.45 and 1.9 < high < 2.3
    low, high = mean_square_bounds(7200)
    assert 0.88 < low < 0.92 and 1.08 < high < 1.12


def test_correct_draws_stay_inside_and_wrong_scales_fall_outside():
    rng = np.random.default_rng(0)
    for n in (10, 100, 1000):
        low, high = mean_square_bounds(n)
        w = rng.standard_normal((2000, n))
        ms = np.mean(w * w, axis=1)
        assert np.all((low <= ms) & (ms <= high))  # 2000 draws, false alarms 1e-8 each
        assert np.all(np.abs(w.sum(axis=1)) / np.sqrt((w * w).sum(axis=1)) <= MEAN_BOUND)
        assert np.all(np.abs(np.mean(np.abs(w) < 1, axis=1) - WITHIN_ONE) <= within_one_bound(n))
    low, high = mean_square_bounds(1000)
    assert not low <= np.mean((2 * rng.standard_normal(1000)) ** 2) <= high  # twice the scale
