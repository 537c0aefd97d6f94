"""Check specifications: how each exercise is tried, keyed by exercise id.

A ``Spec`` says how to make a trial's inputs, what the return value is called (for
messages), the tolerance, and any properties to check beyond the expected value.
One module per notebook; ``SPECS`` gathers them.

Rounding noise. numpy computes exp, log, tanh, ... with different SIMD code on different
CPUs (AVX-512, AVX2, SSE) and OpenBLAS sums products in a different order on each: the same
computation differs in its last bits from one machine to the next. A stored public trial
was computed on one machine and is compared on another, so every tolerance must exceed
that noise with a margin. ``Spec.noise(args)`` bounds it for a trial, as ``(rtol, atol)``
in numpy's ``allclose`` sense (``|a - b| <= atol + rtol |b|``); the tests require each
check's own tolerance to be at least ``NOISE_MARGIN`` times larger on every trial, a
mistake's value to lie well outside the tolerance, and the stored values to agree with
values computed on other dispatch paths (``tests/test_numerics.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

EPS = float(np.finfo(np.float64).eps)
# check tolerances are at least this many times the rounding noise of the trial's values
NOISE_MARGIN = 10.0


def rounding(args: dict) -> tuple[float, float]:
    """The noise of values of order 1 computed by a few dozen floating-point operations:
    two CPUs differ by a few ulps (2.2e-16 each) of the largest intermediate; 1e-12 allows
    4500 ulps, and is still 1000 times below the usual check tolerance (rtol 1e-6, atol 1e-9)."""
    return 1e-12, 1e-12


def finite_difference_noise(f_size: float, epsilon: float) -> float:
    """The noise of a centred difference (f(x + eps) - f(x - eps)) / (2 eps): each value of
    f may differ between CPUs by an ulp or two (2 EPS |f|; 0.8 EPS |f| measured between
    AVX-512 and SSE paths), their difference by twice that, and dividing by 2 eps leaves
    2 EPS |f| / eps. It grows as 1/eps: with |f| = 5 and eps = 1e-7, 2e-8."""
    return 2 * EPS * max(abs(f_size), 1.0) / epsilon


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
    # noise(args) -> (rtol, atol): how much the right value on these arguments may differ
    # between two CPUs (see the module's docstring)
    noise: Callable[[dict], tuple[float, float]] = rounding
    # the same for the catalogued mistakes' values, where they carry more noise than the right
    # one (a finite difference with a smaller step of its own); None: ``noise``. Known mistakes
    # are recognised within the check's tolerance plus this noise
    mistake_noise: Callable[[dict], tuple[float, float]] | None = None

    def arguments(self, inputs: dict) -> dict:
        return self.prepare(inputs) if self.prepare else inputs

    def naming_tolerance(self, args: dict) -> tuple[float, float]:
        """(rtol, atol) within which a student's value is taken to be a known mistake's."""
        rtol, atol = (self.mistake_noise or self.noise)(args)
        return self.rtol + rtol, self.atol + atol

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
