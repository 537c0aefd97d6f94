"""The exercise list agrees with the contract, the references and the check specs."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from grader.registry import exercises
from grader.checks import SPECS
from grader.reference import implementation
from grader.registry import NOTEBOOKS, exercise

CURRICULUM = Path(__file__).resolve().parents[2] / "shared" / "CURRICULUM.md"


def test_ids_unique_and_every_exercise_has_a_spec_and_a_reference():
    ids = [e.id for e in exercises()]
    assert len(ids) == len(set(ids))
    assert set(SPECS) == set(ids)
    for e in exercises():
        assert e.notebook in NOTEBOOKS and e.points > 0
        implementation(e.id)


def _parameters(signature):
    """[(name, default or None)] of a written signature; defaults compared by value, so the
    contract's `epsilon=1e-5` matches a reference whose default prints as 1e-05."""
    call = ast.parse(signature, mode="eval").body
    names = [a.id for a in call.args] + [k.arg for k in call.keywords]
    defaults = [None] * len(call.args) + [ast.literal_eval(k.value) for k in call.keywords]
    return call.func.id, list(zip(names, defaults))


@pytest.mark.parametrize("e", exercises(), ids=lambda e: e.id)
def test_reference_signature_matches_the_registry(e):
    params = inspect.signature(implementation(e.id)).parameters.values()
    written = ", ".join(p.name if p.default is p.empty else f"{p.name}={p.default!r}" for p in params)
    assert _parameters(f"{e.id}({written})") == _parameters(e.signature)


@pytest.mark.skipif(not CURRICULUM.exists(), reason="the contract lives beside the repo, in shared/")
def test_registry_signatures_are_the_contracts():
    contract = dict(re.findall(r"^\| (\w+) \| `([^`]+)` \|", CURRICULUM.read_text(), re.M))
    for e in exercises():
        assert contract[e.id] == e.signature


def test_lookup():
    assert exercise("relu").notebook == "01-building-blocks"
    assert [e.id for e in exercises("01-building-blocks")][:2] == ["sigmoid", "relu"]
    with pytest.raises(KeyError):
        exercises("99-nothing")
