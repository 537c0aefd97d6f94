"""Check specifications: how each exercise is tried, keyed by exercise id.

A ``Spec`` says how to make a trial's inputs, what the return value is called (for
messages), the tolerance, and any properties to check beyond the expected value.
One module per notebook; ``SPECS`` gathers them.

Contract clauses. Each spec lists its exercise's contract as ``Clause``s, taken from the
notebook's markdown and docstring: the shapes it promises (m = 1, any shape), extreme but
valid inputs, randomness, defaults, state, the edge cases of every stated rule. A clause
says which trials exercise it (``tried``, a test on a trial's inputs) or which check looks at
it on every trial (``by``); ``tests/test_clauses.py`` fails for a clause that no public or
hidden trial reaches. The clauses every exercise shares are stated once, in ``EVERY_TRIAL``.

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


# The classes of contract clauses: where wrong implementations that pass the usual trials break
KINDS = {
    "type": "float64 arrays, plain numbers, integer labels",
    "randomness": "randomness only from the rng argument",
    "extreme": "extreme but valid inputs (saturated pre-activations, tiny variances, ...)",
    "shape": "every shape the docstring promises (m = 1, any shape, one unit, deep networks)",
    "per-part": "properties that hold per part (per layer, per unit), not only pooled",
    "boundary": "boundary cases of the stated rules, defaults and degenerate parameters",
    "state": "arguments unchanged, returned state independent",
    "callback": "how a function the exercise is given gets called",
}


@dataclass(frozen=True)
class Clause:
    kind: str  # a key of KINDS
    says: str  # the rule, as the notebook states it
    # tried(inputs) -> whether a trial with these inputs exercises the clause; None for a
    # clause that a check examines on every trial, named by ``by``
    tried: Callable[[dict], bool] | None = None
    by: str = ""


# What every exercise promises, checked on every trial of every exercise (one place, not 48)
EVERY_TRIAL = (
    Clause("type", "floats come back as float64 (numpy's default), never float32",
           by="grader.compare.float64_only"),
    Clause("type", "arrays come back as plain numpy arrays, not lists or subclasses",
           by="grader.compare.compare"),
    Clause("extreme", "results are finite wherever the true result is finite",
           by="grader.compare.compare"),
    Clause("randomness", "numpy's global random state is never used (only the rng argument)",
           by="grader.runner.call"),
    Clause("state", "arguments are unchanged, including arrays inside dicts, tuples and lists",
           by="grader.runner.call"),
)


def _part(inputs: dict, path: str):
    """inputs["caches"][0][1] for the path "caches.0.1"."""
    value = inputs
    for key in path.split("."):
        value = value[int(key)] if key.isdigit() else value[key]
    return value


def one_example(path: str = "X") -> Callable[[dict], bool]:
    """Trials with m = 1: the array at ``path`` has a single column."""
    return lambda inputs: np.shape(_part(inputs, path))[-1] == 1


def any_shape(path: str = "Z") -> Callable[[dict], bool]:
    """Trials where the array at ``path`` is not 2-D ("any shape")."""
    return lambda inputs: np.ndim(_part(inputs, path)) != 2


def beyond(path: str, limit: float = 700.0) -> Callable[[dict], bool]:
    """Trials where some value at ``path`` exceeds ``limit`` in size (exp overflows at 709)."""
    return lambda inputs: bool(np.max(np.abs(_part(inputs, path))) > limit)


def default(name: str) -> Callable[[dict], bool]:
    """Trials that leave the argument ``name`` at its default."""
    return lambda inputs: name not in inputs


def agree(path: tuple, name: str, analytic, numeric, f_size: float = 1.0, step: float = 1e-5):
    """Raise Mismatch unless a gradient agrees with its centred numeric estimate (step
    ``step``, of a function of size ``f_size``): within a relative 1e-6, or, where the
    gradient is tiny, within the centred difference's own error. That error, per entry: f's
    rounding (a few ulps of |f|; over a deep forward pass up to 100 times the two ulps of
    finite_difference_noise) divided by the step, plus the truncation error (step^2 / 6 times
    the third derivative, below 1e-9 for the course's networks). A deep network's db1 can be
    5e-7, where 1e-11 of rounding alone is a relative 2e-5; every catalogued mistake is off
    by 1e-3 or more."""
    import math

    from ..compare import Mismatch
    from ..reference.numeric import relative_difference

    if not isinstance(analytic, np.ndarray) or analytic.shape != numeric.shape:
        raise Mismatch(path, f"should have shape {numeric.shape}")
    allowance = (100 * finite_difference_noise(f_size, step) + 1e-9) * math.sqrt(numeric.size)
    if np.linalg.norm(analytic - numeric) <= allowance:
        return
    difference = relative_difference(analytic, numeric)
    if difference > 1e-6:
        raise Mismatch(path, f"disagrees with the numeric gradient (relative difference "
                             f"{difference:.2g}): {name}")


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
    # the exercise's contract, clause by clause (besides EVERY_TRIAL)
    clauses: tuple[Clause, ...] = ()
    # True where the exercise returns state (parameters, velocities): no returned array may
    # be an argument's or another returned array's memory (runner.call checks it)
    fresh: bool = False

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
