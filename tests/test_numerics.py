"""No check depends on the last bits of a float.

The same computation differs in its last bits between CPUs (numpy's SIMD exp/log, OpenBLAS's
kernels), and finite differences amplify that by 1/epsilon. ``Spec.noise`` bounds the
difference for each trial (grader/checks/__init__.py). Here: the stored public values agree
with values computed now within that noise; every check's tolerance exceeds the noise by
``NOISE_MARGIN``; every catalogued mistake lies far outside the tolerance where it is caught,
so that it is caught, and named, on every CPU. ``test_dispatch.py`` runs this module again
with numpy's AVX-512 (and AVX2) code paths and OpenBLAS's kernels switched off.
"""
from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest

from grader import registry, store
from grader.checking import hidden_trials, public_trials
from grader.checks import NOISE_MARGIN, SPECS
from grader.reference import implementation, mistakes

BY_VALUE = [e.id for e in registry.exercises() if SPECS[e.id].by_value]
# A mistake's value is either within half the tolerance of the right one (this trial cannot
# tell them apart) or at least twice the tolerance away (it is caught): noise, at most a tenth
# of the tolerance, can then never move it across the boundary.
CAUGHT, UNSEEN = 2.0, 0.5


def excess(got, expected, rtol: float, atol: float) -> float:
    """max |got - expected| / (atol + rtol |expected|) over all numbers of a nested value;
    inf where the structure, a shape or a non-number differs."""
    if isinstance(expected, (np.ndarray, float, np.floating)):
        got, expected = np.asarray(got), np.asarray(expected)
        if got.shape != expected.shape or got.dtype.kind not in "biuf":
            return math.inf
        got, expected = got.astype(float), expected.astype(float)
        same = (got == expected) | (np.isnan(got) & np.isnan(expected))
        if not np.isfinite(got[~same]).all() or not np.isfinite(expected[~same]).all():
            return math.inf
        if same.all():
            return 0.0
        return float(np.max(np.abs(got - expected)[~same] / (atol + rtol * np.abs(expected[~same]))))
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return math.inf
        return max((excess(g, e, rtol, atol) for g, e in zip(got, expected)), default=0.0)
    if isinstance(expected, dict):
        if not isinstance(got, dict) or any(k not in got for k in expected):
            return math.inf
        return max((excess(got[k], e, rtol, atol) for k, e in expected.items()), default=0.0)
    try:
        return 0.0 if bool(got == expected) else math.inf
    except Exception:  # noqa: BLE001
        return math.inf


def _quiet(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return fn(*args)
        except Exception:  # noqa: BLE001 - a mistake that raises is caught another way
            return None


def _trials(exercise_id):
    """(label, args, expected) of every public and hidden trial, computed now."""
    spec = SPECS[exercise_id]
    for trial in public_trials(spec) + hidden_trials(spec):
        args = trial.args
        yield trial.label, args, spec.value(implementation(exercise_id), copy.deepcopy(args))


@pytest.mark.parametrize("notebook", list(registry.NOTEBOOKS))
def test_stored_values_agree_within_rounding_noise(notebook):
    """The public trials' expected values and mistakes' values, stored on one machine, are
    what this machine computes, up to the trial's rounding noise (not to the last bit)."""
    stored = store.load(store.path_for(notebook))
    assert set(stored) == {e.id for e in registry.exercises(notebook)}
    for exercise_id, trials in stored.items():
        spec = SPECS[exercise_id]
        assert len(trials) == spec.n_public
        if not spec.by_value:
            continue
        hints = {m.hint: m for m in mistakes(exercise_id)}
        for i, trial in enumerate(trials):
            args = spec.arguments(trial["inputs"])
            rtol, atol = spec.noise(args)
            expected = spec.value(implementation(exercise_id), copy.deepcopy(args))
            off = excess(trial["expected"], expected, rtol, atol)
            assert off <= 1, (f"{exercise_id}, public trial {i + 1}: the stored value differs from "
                              f"the reference's by {off:.3g} times the rounding noise; if the "
                              f"reference changed, run `python -m grader.build`")
            mrtol, matol = (spec.mistake_noise or spec.noise)(args)
            for hint, value in trial["mistakes"]:
                assert hint in hints, f"{exercise_id}: stored hint no longer in the catalogue"
                off = excess(value, _quiet(hints[hint].run, args), mrtol, matol)
                assert off <= 1, (f"{exercise_id}, public trial {i + 1}, mistake "
                                  f"{hints[hint].name!r}: stored value off by {off:.3g} times "
                                  f"the rounding noise")


@pytest.mark.parametrize("exercise_id", BY_VALUE)
def test_check_tolerance_exceeds_rounding_noise(exercise_id):
    """A right answer computed on any CPU passes: on every trial, public and hidden, and at
    every number compared, the check's tolerance is NOISE_MARGIN times the noise or more."""
    spec = SPECS[exercise_id]
    for label, args, expected in _trials(exercise_id):
        rtol, atol = spec.noise(args)
        # the noise, measured in units of the check's tolerance, at every compared number
        share = excess(_perturbed(expected, rtol, atol), expected, spec.rtol, spec.atol)
        assert share <= 1 / NOISE_MARGIN, (
            f"{exercise_id}, {label}: rounding noise is {share:.3g} of the tolerance "
            f"(rtol={spec.rtol:g}, atol={spec.atol:g}); at most 1/{NOISE_MARGIN:g} is safe")


def _perturbed(value, rtol, atol):
    """``value`` with every number moved by the whole noise bound, atol + rtol |x|."""
    if isinstance(value, (np.ndarray, float, np.floating)) and np.asarray(value).dtype.kind == "f":
        x = np.asarray(value, dtype=float)
        return x + (atol + rtol * np.abs(x))
    if isinstance(value, (tuple, list)):
        return type(value)(_perturbed(v, rtol, atol) for v in value)
    if isinstance(value, dict):
        return {k: _perturbed(v, rtol, atol) for k, v in value.items()}
    return value


NAMED = [pytest.param(m, id=f"{m.exercise}-{m.name}") for e in BY_VALUE for m in mistakes(e)
         if m.hint]


@pytest.mark.parametrize("mistake", NAMED)
def test_named_mistake_is_far_from_the_right_value(mistake):
    """The trial that first catches a named mistake (in public checks, in hidden trials alone,
    and in both) catches it by CAUGHT times the tolerance (plus noise) or more, no trial
    before it comes within a factor UNSEEN..CAUGHT of the boundary, and no mistake listed
    before it in the catalogue (the check names the first that matches) comes within CAUGHT
    of its value there. So the same trial catches it, and names it, on every CPU."""
    spec = SPECS[mistake.exercise]
    catalogue = [m for m in mistakes(mistake.exercise) if m.hint]
    earlier = catalogue[:catalogue.index(mistake)]
    public = len(public_trials(spec))
    trials = []
    for label, args, expected in _trials(mistake.exercise):
        value = _quiet(mistake.run, args)
        tolerance = spec.naming_tolerance(args)
        off = 0.0 if value is None else excess(value, expected, *tolerance)
        trials.append((label, args, expected, value, tolerance, off))
    assert any(t[-1] >= CAUGHT for t in trials), "no trial catches this mistake by its value"
    for sequence in (trials[:public], trials[public:], trials):
        for label, args, expected, value, tolerance, off in sequence:
            assert not UNSEEN < off < CAUGHT, (
                f"{label}: the mistake's value is {off:.3g} tolerances from the right one, so "
                f"whether this trial catches it could depend on the CPU")
            if off < CAUGHT:
                continue
            for other in earlier:
                if other.hint == mistake.hint:
                    continue
                other_value = _quiet(other.run, args)
                if other_value is None or excess(other_value, expected, *tolerance) < CAUGHT:
                    continue  # not stored or matched for this trial
                apart = excess(value, other_value, *tolerance)
                assert apart >= CAUGHT, (
                    f"{label}: its value is {apart:.3g} tolerances from that of {other.name!r}, "
                    f"listed before it: the check could name that one instead")
            break
