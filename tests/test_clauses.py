"""Every exercise's contract is written down clause by clause (``Spec.clauses``), and every
clause is reached: by a public or hidden trial, or by a check that runs on every trial. The
clauses all exercises share (``EVERY_TRIAL``) are tested here on every exercise at once, with
the reference made wrong in exactly that one way."""
from __future__ import annotations

import functools
import importlib
import inspect

import numpy as np
import pytest

from grader import CheckFailed, check, registry
from grader.registry import exercises
from grader.checking import hidden_trials, public_trials
from grader.checks import EVERY_TRIAL, KINDS, SPECS
from grader.reference import implementation, mistakes
from grader.reference.mistakes import GLOBAL_RANDOM, NOT_INDEPENDENT, in_float32

IDS = [e.id for e in exercises()]


def _trial_inputs(spec) -> list[dict]:
    """The inputs of every trial a full check runs: the stored public ones and the hidden
    ones at the default seed (the autograder's salted seeds draw from the same generators)."""
    return [t.inputs for t in public_trials(spec)] + [t.inputs for t in hidden_trials(spec)]


@pytest.mark.parametrize("exercise_id", IDS)
def test_contract_is_written_down(exercise_id):
    clauses = SPECS[exercise_id].clauses
    assert len(clauses) >= 2, "write the exercise's contract down as clauses"
    for clause in clauses:
        assert clause.kind in KINDS, clause
        assert clause.says.strip(), clause
        assert (clause.tried is None) != (not clause.by), \
            f"a clause is reached by trials (tried) or by a check (by), not both: {clause}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_clause_is_tried(exercise_id):
    spec = SPECS[exercise_id]
    inputs = _trial_inputs(spec)
    untried = [c.says for c in spec.clauses if c.tried and not any(c.tried(i) for i in inputs)]
    assert not untried, f"no public or hidden trial reaches: {untried}"


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_check_named_exists(exercise_id):
    """``by`` names a function of the grader, or a part of the spec that is set."""
    spec = SPECS[exercise_id]
    for clause in [*EVERY_TRIAL, *spec.clauses]:
        if not clause.by:
            continue
        if "." in clause.by:
            assert callable(_resolve(clause.by)), clause
        else:
            assert clause.by in ("properties", "gradients", "reference_checks", "sequence", "fresh")
            assert getattr(spec, clause.by), f"{exercise_id} has no {clause.by}: {clause}"


def _notebook_kinds(notebook: str) -> set[str]:
    return {c.kind for e in registry.exercises(notebook) for c in SPECS[e.id].clauses}


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_catalogue_has_a_mistake_for_every_class_of_clause(notebook):
    """Each class of clause a notebook states has a catalogued mistake that breaks it
    (test_checks.py rejects and names every catalogued mistake)."""
    caught = {m.kind for e in registry.exercises(notebook) for m in mistakes(e.id)}
    missing = _notebook_kinds(notebook) - caught
    assert not missing, f"no catalogued mistake breaks a clause of the kinds {sorted(missing)}"


# -- the clauses every exercise shares, on every exercise ------------------------------


def _rejected(exercise_id, fn, expect):
    """Rejected by the public trials already (these rules hold on every trial, public or
    hidden: runner.call and checking._examine apply them to every call)."""
    with pytest.raises(CheckFailed) as failure:
        check(exercise_id, fn)
    assert expect in str(failure.value)


def _floats(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f"
    if isinstance(value, float):
        return True
    if isinstance(value, (tuple, list)):
        return any(_floats(v) for v in value)
    if isinstance(value, dict):
        return any(_floats(v) for v in value.values())
    return False


def _returns_floats(exercise_id) -> bool:
    spec = SPECS[exercise_id]
    args = spec.arguments(public_trials(spec)[0].inputs)
    return _floats(spec.value(implementation(exercise_id), args))


@pytest.mark.parametrize("exercise_id", [e for e in IDS if _returns_floats(e)])
def test_float32_results_are_rejected(exercise_id):
    _rejected(exercise_id, in_float32(exercise_id, implementation(exercise_id)).fn, "float32")


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_global_random_state_is_off_limits(exercise_id):
    right = implementation(exercise_id)

    @functools.wraps(right)
    def seeded_from_nothing(*args, **kwargs):
        np.random.random()  # one draw moves the global state
        return right(*args, **kwargs)

    _rejected(exercise_id, seeded_from_nothing, GLOBAL_RANDOM)


def _first_array(value):
    """A (container, key) holding the first float array nested in ``value``."""
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, (tuple, list)) else ()
    for key, v in items:
        if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size:
            return value, key
        found = _first_array(v)
        if found:
            return found
    return None


def _mutates(exercise_id) -> bool:
    spec = SPECS[exercise_id]
    return _first_array(spec.arguments(public_trials(spec)[0].inputs)) is not None


@pytest.mark.parametrize("exercise_id", [e for e in IDS if _mutates(e)])
def test_changed_arguments_are_rejected(exercise_id):
    """The first float array among the arguments, at any depth, changed after the call."""
    right = implementation(exercise_id)
    order = list(inspect.signature(right).parameters)

    @functools.wraps(right)
    def changes_an_argument(*args, **kwargs):
        result = right(*args, **kwargs)
        container, key = _first_array({**dict(zip(order, args)), **kwargs})
        container[key][...] += 1.0
        return result

    _rejected(exercise_id, changes_an_argument, "modified its argument")


def _arrays(value, path=()):
    if isinstance(value, np.ndarray):
        yield path, value
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, (tuple, list)) else ()
    for k, v in items:
        yield from _arrays(v, path + (k,))


def _replaced(value, path, new):
    """``value`` with the part at ``path`` replaced by ``new`` (tuples stay tuples)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    return type(value)(_replaced(v, rest, new) if k == head else v for k, v in enumerate(value))


@pytest.mark.parametrize("exercise_id", [e for e in IDS if SPECS[e].fresh])
def test_returned_state_shares_no_memory(exercise_id):
    """Two returned arrays of one shape made one (as ``s = dict(v)`` or ``v = s = ...`` do)."""
    right = implementation(exercise_id)

    def alias(value):
        arrays = list(_arrays(value))
        for i, (_, a) in enumerate(arrays):
            for path, b in arrays[i + 1:]:
                if a.shape == b.shape:
                    return _replaced(value, path, a)
        raise AssertionError(f"{exercise_id} returns no two arrays of one shape to alias")

    @functools.wraps(right)
    def aliased(*args, **kwargs):
        return alias(right(*args, **kwargs))

    _rejected(exercise_id, aliased, NOT_INDEPENDENT)
