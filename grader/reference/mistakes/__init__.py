"""The catalogue of mistakes students really make, one module per notebook.

Each ``Mistake`` is a wrong implementation with the hint a student gets when their
value matches its value. The build stores these values on the public trials (so a
student copy can give the hint without this code); the tests require every check to
reject every mistake here, with ``expect`` in its message.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Callable


# what the runner says of a function that touches numpy's global random state (runner.py)
GLOBAL_RANDOM = "used numpy's global random state"
# ... and of one whose returned state shares memory
NOT_INDEPENDENT = "returns state whose arrays are not independent"


@dataclass(frozen=True)
class Mistake:
    exercise: str
    name: str
    fn: Callable
    # shown when the student's value matches this mistake's value
    hint: str = ""
    # what the failure message must contain (tests); the hint unless said otherwise
    expect: str = ""
    # the class of contract clause it breaks (a key of grader.checks.KINDS), for mistakes at
    # a contract's edges; "" for the ordinary kind (a wrong formula). Those that break the
    # rules checked on every trial are classed by what they trip
    edge: str = ""
    # False for a mistake at a contract's edge that only the hidden trials reach (where edge
    # cases belong: they would only confuse a first attempt)
    public: bool = True

    @property
    def kind(self) -> str:
        if self.edge:
            return self.edge
        if self.expect == GLOBAL_RANDOM:
            return "randomness"
        if self.expect.startswith("modified its argument") or self.expect == NOT_INDEPENDENT:
            return "state"
        return ""

    def run(self, args: dict):
        from ...checks import SPECS  # a sequence of calls, for exercises tried that way

        spec = SPECS.get(self.exercise)
        args = copy.deepcopy(args)
        return spec.value(self.fn, args) if spec else self.fn(**args)

    @property
    def expected_text(self) -> str:
        return self.expect or self.hint


def in_float32(exercise: str, right: Callable) -> Mistake:
    """The right function, but every float it returns in float32 (`dtype=np.float32`, or
    `.astype(np.float32)` to save memory): a mistake in every exercise, as the contract is
    float64."""
    import functools

    import numpy as np

    def cast(value):
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            return value.astype(np.float32)
        if isinstance(value, float):
            return np.float32(value)
        if isinstance(value, (tuple, list)):
            return type(value)(cast(v) for v in value)
        if isinstance(value, dict):
            return {k: cast(v) for k, v in value.items()}
        return value

    @functools.wraps(right)
    def float32(*args, **kwargs):
        return cast(right(*args, **kwargs))

    return Mistake(exercise, "float32", float32, expect="float32", edge="type")


@cache
def catalogue() -> dict[str, list[Mistake]]:
    import sys

    from ...checks import notebook_modules

    by_exercise: dict[str, list[Mistake]] = {}
    for module in notebook_modules(sys.modules[__name__]):
        for mistake in module.MISTAKES:
            by_exercise.setdefault(mistake.exercise, []).append(mistake)
    return by_exercise
