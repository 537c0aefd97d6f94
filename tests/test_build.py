"""The stored public trials are what the references and the mistake catalogue give now."""
from __future__ import annotations

import pytest

from grader import registry, store
from grader.checks import SPECS
from grader.compare import matches
from grader.reference import implementation, mistakes


@pytest.mark.parametrize("notebook", list(registry.NOTEBOOKS))
def test_stored_trials_are_current(notebook):
    stored = store.load(store.path_for(notebook))
    assert set(stored) == {e.id for e in registry.exercises(notebook)}
    for exercise_id, trials in stored.items():
        spec = SPECS[exercise_id]
        assert len(trials) == spec.n_public
        hints = {m.hint: m for m in mistakes(exercise_id)}
        for trial in trials:
            if not spec.by_value:
                continue
            args = spec.arguments(trial["inputs"])
            expected = spec.value(implementation(exercise_id), args)
            assert matches(trial["expected"], expected, rtol=1e-12, atol=0), \
                f"{exercise_id}: stale expected value; run `python -m grader.build`"
            for hint, value in trial["mistakes"]:
                assert hint in hints, f"{exercise_id}: stored hint no longer in the catalogue"
                assert matches(value, hints[hint].run(args), rtol=1e-12, atol=0)


def test_public_trials_show_what_they_are_meant_to():
    """Public inputs use non-square W (a transposition fails loudly) and both activations."""
    trials = store.load(store.path_for("01-building-blocks"))
    for trial in trials["linear_forward"]:
        assert trial["inputs"]["W"].shape[0] != trial["inputs"]["W"].shape[1]
    assert {t["inputs"]["activation"] for t in trials["linear_activation_forward"]} == {"relu", "sigmoid"}
    assert any("scale" not in t["inputs"] for t in trials["initialize_parameters"])
