"""Check specifications: how each exercise is tried, keyed by exercise id.

A ``Spec`` says how to make a trial's inputs, what the return value is called (for
messages), the tolerance, and any properties to check beyond the expected value.
One module per notebook; ``SPECS`` gathers them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Spec:
    id: str
    # make_inputs(rng, i) -> the keyword arguments of trial i
    make_inputs: Callable[[np.random.Generator, int], dict]
    # names of the returned values: one name, or one per element of a returned tuple
    returns: str | tuple[str, ...]
    rtol: float = 1e-6
    atol: float = 1e-9
    # False for randomised functions: no expected value, only properties
    by_value: bool = True
    # properties(trial) raises Mismatch; run on every trial, public and hidden
    properties: Callable | None = None
    # gradients(trial) raises Mismatch; hidden trials only (needs the reference forward pass)
    gradients: Callable | None = None
    # other student functions this one calls: named in the failure message
    uses: tuple[str, ...] = ()
    n_public: int = 3
    n_hidden: int = 10
    # prepare(inputs) -> the call's keyword arguments, for arguments that cannot be stored
    # (a function to differentiate, an objective): inputs hold what builds them
    prepare: Callable[[dict], dict] | None = None
    # reference_checks(trial) raises Mismatch; run in hidden mode only (on every trial), so it
    # may import grader.reference: e.g. replay a training run from the student's own start
    reference_checks: Callable | None = None
    # sequence(fn, args) -> list of values, for a function tried over several calls in a row
    # (an optimizer's steps, each call fed what the previous one returned); fn(**kwargs) is one
    # call. The values are compared call by call. None: one call, fn(**args)
    sequence: Callable[[Callable, dict], list] | None = None

    def arguments(self, inputs: dict) -> dict:
        return self.prepare(inputs) if self.prepare else inputs

    def value(self, fn, args: dict):
        """What a trial compares: fn(**args), or the values of the calls of a sequence."""
        return self.sequence(fn, args) if self.sequence else fn(**args)


def notebook_modules(package) -> list:
    """The ``nbNN`` modules of a package, in notebook order (one per notebook)."""
    import importlib
    import pkgutil

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("nb"))
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _collect() -> dict[str, Spec]:
    import sys

    return {spec.id: spec for module in notebook_modules(sys.modules[__name__])
            for spec in module.SPECS}


SPECS: dict[str, Spec] = _collect()
