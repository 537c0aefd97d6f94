"""Reference implementations and the catalogue of known mistakes (instructor side only).

Hidden checks compare with these; ``python -m grader.build`` stores their values on the
public trials. A student copy of the course ships without this package.
"""
from __future__ import annotations

import sys

from ..checks import notebook_modules
from .mistakes import Mistake, catalogue

_MODULES = notebook_modules(sys.modules[__name__])


def implementation(exercise_id: str):
    """The reference function for an exercise."""
    for module in _MODULES:
        fn = getattr(module, exercise_id, None)
        if callable(fn) and exercise_id in module.__all__:
            return fn
    raise KeyError(f"no reference implementation for {exercise_id!r}")


def mistakes(exercise_id: str) -> list[Mistake]:
    """Known wrong implementations of an exercise, each with the hint it earns."""
    return catalogue().get(exercise_id, [])
