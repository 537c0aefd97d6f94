"""The stored public trials show what they are meant to (that they are current, up to rounding
noise, is tests/test_numerics.py)."""
from __future__ import annotations

from grader import store


def test_public_trials_show_what_they_are_meant_to():
    """Public inputs use non-square W (a transposition fails loudly) and both activations."""
    trials = store.load(store.path_for("01-building-blocks"))
    for trial in trials["linear_forward"]:
        assert trial["inputs"]["W"].shape[0] != trial["inputs"]["W"].shape[1]
    assert {t["inputs"]["activation"] for t in trials["linear_activation_forward"]} == {"relu", "sigmoid"}
    assert any("scale" not in t["inputs"] for t in trials["initialize_parameters"])
