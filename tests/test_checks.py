"""Every check accepts the reference and correct variants, and rejects every catalogued
mistake with feedback that names it, in public and in hidden mode."""
from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest

from grader import CheckFailed, check
from grader.registry import exercises
from grader.checks import SPECS
from grader.reference import implementation, mistakes

VARIANTS = {}
for _path in sorted((Path(__file__).parent / "variants").glob("nb*.py")):
    VARIANTS.update(importlib.import_module(f"tests.variants.{_path.stem}").VARIANTS)

IDS = [e.id for e in exercises()]
MODES = [pytest.param(False, id="public"), pytest.param(True, id="hidden")]


def _accepted(exercise_id, fn, hidden):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a check must not let a student's warning escape
        report = check(exercise_id, fn, hidden=hidden)
    assert report.exercise == exercise_id and report.trials > 0


@pytest.mark.parametrize("hidden", MODES)
@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_passes(exercise_id, hidden):
    _accepted(exercise_id, implementation(exercise_id), hidden)


VARIANT_CASES = [pytest.param(ex, fn, id=f"{ex}-{fn.__name__}") for ex, fns in VARIANTS.items()
                 for fn in fns]


@pytest.mark.parametrize("hidden", MODES)
@pytest.mark.parametrize("exercise_id, fn", VARIANT_CASES)
def test_correct_variant_passes(exercise_id, fn, hidden):
    _accepted(exercise_id, fn, hidden)


MISTAKE_CASES = [pytest.param(m, hidden, id=f"{m.exercise}-{m.name}-{'hidden' if hidden else 'public'}")
                 for e in exercises() for m in mistakes(e.id)
                 for hidden in ((False, True) if m.public else (True,))]


@pytest.mark.parametrize("mistake, hidden", MISTAKE_CASES)
def test_mistake_is_rejected_and_named(mistake, hidden):
    with pytest.raises(CheckFailed) as failure:
        check(mistake.exercise, mistake.fn, hidden=hidden)
    assert mistake.expected_text in str(failure.value)


@pytest.mark.parametrize("mistake", [pytest.param(m, id=f"{m.exercise}-{m.name}")
                                     for e in exercises() for m in mistakes(e.id) if not m.public])
def test_edge_mistake_is_left_to_the_hidden_trials(mistake):
    """A mistake marked hidden-only really passes the public trials (or the mark is stale)."""
    check(mistake.exercise, mistake.fn)


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_has_variants_and_several_mistakes(exercise_id):
    assert len(VARIANTS.get(exercise_id, [])) >= 2, "at least two correct variants"
    assert len(mistakes(exercise_id)) >= 2, "a catalogue of typical mistakes"


@pytest.mark.parametrize("exercise_id", IDS)
def test_hidden_trials_alone_catch_every_mistake(exercise_id, monkeypatch):
    """Hidden trials must stand on their own, not only ride on the public ones."""
    import grader.checking as checking

    monkeypatch.setattr(checking, "public_trials", lambda spec: [])
    for mistake in mistakes(exercise_id):
        with pytest.raises(CheckFailed):
            check(exercise_id, mistake.fn, hidden=True)


@pytest.mark.parametrize("exercise_id", [e for e in IDS if e in SPECS and SPECS[e].gradients])
def test_numeric_gradients_catch_a_wrong_reference(exercise_id, monkeypatch):
    """The hidden numeric-gradient comparison is independent of the reference values."""
    import grader.checking as checking

    spec = SPECS[exercise_id]
    trial = checking.hidden_trials(spec)[0]
    trial.got = implementation(exercise_id)(**trial.inputs)
    spec.gradients(trial)  # the reference agrees with the numeric gradient

    def doubled(value):
        if isinstance(value, dict):
            return {k: 2 * v for k, v in value.items()}
        if isinstance(value, tuple):
            return tuple(2 * v for v in value)
        return 2 * value

    from grader.compare import Mismatch

    trial.got = doubled(trial.got)
    with pytest.raises(Mismatch, match="numeric gradient"):
        spec.gradients(trial)
