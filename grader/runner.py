"""Calling a student's function without trusting it.

A student function may raise, loop forever, print to stderr, raise numpy warnings or
modify its arguments in place. ``call`` turns each of those into a ``StudentError``
with a sentence the student can act on, and never lets stderr output or a warning
escape: nbgrader scores a cell 0 when it writes anything to stderr.
"""
from __future__ import annotations

import contextlib
import copy
import io
import signal
import sys
import threading
import traceback
import warnings

import numpy as np

TIME_LIMIT = 20.0  # seconds for one call; the public checks take well under one


class StudentError(Exception):
    """The student's code failed in a way that is not a wrong value."""


class NotImplementedYet(StudentError):
    pass


class _TimeUp(BaseException):
    # BaseException, so a student's bare `except Exception` cannot swallow it.
    pass


def call(fn, args: dict, *, name: str):
    """Call ``fn(**args)`` on deep copies of ``args``; return its result.

    Raises StudentError when the call raises, times out, or modifies an argument.
    """
    if not callable(fn):
        raise StudentError(
            f"check() needs the function itself as its second argument, e.g. "
            f"check('{name}', {name}); got a {type(fn).__name__}."
        )
    given = copy.deepcopy(args)
    stderr = io.StringIO()
    try:
        with _time_limit(TIME_LIMIT), warnings.catch_warnings(), \
                np.errstate(all="ignore"), contextlib.redirect_stderr(stderr):
            warnings.simplefilter("ignore")
            result = fn(**given)
    except NotImplementedError:
        raise NotImplementedYet(
            f"{name} is not implemented yet: replace `raise NotImplementedError()` "
            f"with your code, run that cell, then run this check again."
        ) from None
    except _TimeUp:
        raise StudentError(
            f"{name} did not return within {TIME_LIMIT:.0f} s: an infinite loop, or a loop "
            f"over far more items than needed?"
        ) from None
    except Exception as e:  # noqa: BLE001 - any student exception becomes feedback
        raise StudentError(f"{name} raised {type(e).__name__}: {e}{_where(e)}") from None
    finally:
        if stderr.getvalue():
            # Shown, but on stdout: stderr would zero the cell in nbgrader.
            print("(your function wrote to stderr:)\n" + stderr.getvalue().rstrip())
    for key in args:
        if not same(args[key], given[key]):
            raise StudentError(
                f"{name} modified its argument `{key}` in place. Functions in this course "
                f"must not change their inputs: compute new arrays (e.g. `dA * mask` instead "
                f"of `dA[...] = 0`, `params[k] - lr * dW` instead of `-=`), or copy first."
            )
    return result


def same(a, b) -> bool:
    """Exact equality of nested arguments (NaN equals NaN); used to detect mutation."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.shape == b.shape and a.dtype == b.dtype
                and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    if isinstance(a, np.random.Generator):
        return True  # a generator is meant to advance
    return a == b


def _where(e: BaseException) -> str:
    """The student's own line where the exception started (the last frame not in numpy)."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if "site-packages" not in f.filename and "/grader/" not in f.filename]
    if not frames:
        return ""
    line = (frames[-1].line or "").strip()
    return f"\n  in `{frames[-1].name}`, at: {line}" if line else ""


@contextlib.contextmanager
def _time_limit(seconds: float):
    # SIGALRM exists on Unix and only the main thread may set it; elsewhere there is
    # no limit here, and nbgrader's per-cell timeout is the backstop.
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
