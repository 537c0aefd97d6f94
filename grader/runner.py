"""Calling a student's function without trusting it.

A student function may raise, loop forever, print to stderr, raise numpy warnings or
modify its arguments in place. ``call`` turns each of those into a ``StudentError``
with a sentence the student can act on, and never lets stderr output or a warning
escape: nbgrader scores a cell 0 when it writes anything to stderr.
"""
from __future__ import annotations

import contextlib
import copy
import inspect
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


class TimedOut(StudentError):
    """The student's function did not return within its time limit."""


class _TimeUp(BaseException):
    # BaseException, so a student's bare `except Exception` cannot swallow it.
    pass


def not_callable(fn, name: str) -> str:
    """The message for check('name', something that is not a function)."""
    from .compare import kind

    return (f"check() needs the function itself as its second argument, e.g. "
            f"check('{name}', {name}); got {kind(fn)}.")


def call(fn, args: dict, *, name: str):
    """Call ``fn`` with ``args`` (deep copies) as its arguments; return its result.

    The arguments go by name where the function's parameters have the contract's names,
    and by position, in the contract's order, where they do not (``def relu(z)``).
    Raises StudentError when the call raises, times out, or modifies an argument.
    """
    if not callable(fn):
        raise StudentError(not_callable(fn, name))
    given = copy.deepcopy(args)
    positional, keywords = arguments(fn, given, name)
    stderr = io.StringIO()
    global_random = _global_random_state()
    # a stand-in for a function in a sandboxed kernel (grader/remote.py) keeps its own limit
    limit = None if getattr(fn, "remote", False) else TIME_LIMIT
    try:
        with _time_limit(limit), warnings.catch_warnings(), \
                np.errstate(all="ignore"), contextlib.redirect_stderr(stderr):
            warnings.simplefilter("ignore")
            result = fn(*positional, **keywords)
    except NotImplementedError as e:
        raise NotImplementedYet(_not_implemented(e, fn, name)) from None
    except StudentError as e:
        if limit is None:  # the sandboxed kernel's own message: said there already
            raise
        raise StudentError(f"{name} raised {type(e).__name__}: {e}{_where(e)}") from None
    except _TimeUp:
        raise TimedOut(
            f"{name} did not return within {TIME_LIMIT:.0f} s: an infinite loop, or a loop "
            f"over far more items than needed?"
        ) from None
    except SystemExit as e:
        raise StudentError(f"{name} called exit() or sys.exit() (SystemExit{_said(e)}): a "
                           f"function returns its result instead of stopping Python"
                           f"{_where(e)}") from None
    except KeyboardInterrupt:
        raise StudentError(f"{name} was interrupted (KeyboardInterrupt) before it returned: "
                           f"run the check again and let it finish") from None
    except Exception as e:  # noqa: BLE001 - any student exception becomes feedback
        raise StudentError(f"{name} raised {type(e).__name__}: {e}{_where(e)}") from None
    except BaseException as e:  # noqa: BLE001 - even the exotic ones, never a grader crash
        raise StudentError(f"{name} raised {type(e).__name__}{_said(e)}{_where(e)}") from None
    finally:
        if stderr.getvalue():
            # Shown, but on stdout: stderr would zero the cell in nbgrader.
            print("(your function wrote to stderr:)\n" + stderr.getvalue().rstrip())
    if _global_random_state() != global_random:
        raise StudentError(
            f"{name} used numpy's global random state (np.random.seed, np.random.rand, "
            f"np.random.permutation, ...): draw every random number from the rng argument it "
            f"is given, with the Generator's own methods.")
    for key in args:
        if not same(args[key], given[key]):
            raise StudentError(
                f"{name} modified its argument `{key}` in place. Functions in this course "
                f"must not change their inputs: compute new arrays (e.g. `dA * mask` instead "
                f"of `dA[...] = 0`, `params[k] - lr * dW` instead of `-=`), or copy first."
            )
    aliased = _aliased_state(name, result, given)
    if aliased:
        raise StudentError(
            f"{name} returns state whose arrays are not independent: {aliased}. An in-place "
            f"update of one (as a training loop may do) would change the other: make each "
            f"returned array a new one (np.zeros_like for each key, `dict(v)` copies only the "
            f"dict, not its arrays).")
    return result


def _aliased_state(name: str, result, given: dict) -> str:
    """For an exercise that returns state (``Spec.fresh``): where a returned array shares
    memory with an argument's array or with another returned array; "" if nowhere."""
    from .checks import SPECS

    spec = SPECS.get(name)
    if spec is None or not spec.fresh:
        return ""
    from .checking import label

    returned = list(_arrays(result))
    for i, (path, a) in enumerate(returned):
        for other, b in returned[:i]:
            if np.shares_memory(a, b):
                return f"{label(spec, path)} and {label(spec, other)} are the same array"
        for key, value in given.items():
            for inner, b in _arrays(value):
                if np.shares_memory(a, b):
                    where = key + "".join(f"[{k!r}]" for k in inner)
                    return f"{label(spec, path)} is the array of the argument `{where}`"
    return ""


def _arrays(value, path: tuple = ()):
    """(path, array) for every numpy array nested in dicts, tuples and lists."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _arrays(v, path + (k,))
    elif isinstance(value, (tuple, list)):
        for k, v in enumerate(value):
            yield from _arrays(v, path + (k,))


def _global_random_state() -> tuple:
    """numpy's global RandomState (np.random.seed, np.random.rand, ...), comparably: the
    contract's randomness comes from the rng argument only, and this must not change."""
    kind, keys, position, has_gauss, gauss = np.random.get_state()
    return kind, keys.tobytes(), position, has_gauss, gauss


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


def arguments(fn, args: dict, name: str) -> tuple[tuple, dict]:
    """(positional, keyword) arguments that pass ``args`` to ``fn``.

    By keyword when ``fn`` accepts the contract's names; otherwise the arguments up to the
    last one whose name ``fn`` does not have go by position, in the contract's order (the
    registry's signature), and the rest by keyword, so ``def initialize_parameters(dims,
    generator, scale=0.01)`` still gets ``scale`` by name. Functions without a signature
    (builtins, ufuncs) get positional arguments. Nothing fits: by keyword, so the error the
    student sees names the unexpected argument.
    """
    order = _contract_order(name)
    if order is None:
        return (), args
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        signature = None
    if signature is not None and _binds(signature, (), args):
        return (), args
    ordered = [k for k in order if k in args]
    if ordered != order[:len(ordered)]:  # an optional argument left out in the middle
        return (), args
    extra = {k: v for k, v in args.items() if k not in order}
    if signature is None:
        return tuple(args[k] for k in ordered), extra
    params = signature.parameters
    any_keyword = any(p.kind is p.VAR_KEYWORD for p in params.values())
    by_name = {k for k, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unnamed = [i for i, k in enumerate(ordered) if not (k in by_name or any_keyword)]
    candidates = []
    if unnamed:
        cut = unnamed[-1] + 1
        candidates.append((tuple(args[k] for k in ordered[:cut]),
                           {**{k: args[k] for k in ordered[cut:]}, **extra}))
    candidates.append((tuple(args[k] for k in ordered), extra))
    for positional, keywords in candidates:
        if _binds(signature, positional, keywords):
            return positional, keywords
    return (), args


def _binds(signature, positional, keywords) -> bool:
    try:
        signature.bind(*positional, **keywords)
    except TypeError:
        return False
    return True


def _contract_order(name: str) -> list[str] | None:
    """The parameter names of an exercise, in the contract's order (None: not an exercise)."""
    from . import registry

    try:
        signature = registry.exercise(name).signature
    except KeyError:
        return None
    inside = signature[signature.index("(") + 1:signature.rindex(")")]
    return [part.split("=")[0].strip() for part in inside.split(",") if part.strip()]


def _not_implemented(e: NotImplementedError, fn, name: str) -> str:
    """Which function is not implemented yet: the checked one, or one it calls."""
    culprit = _raising_function(e)
    own = {name, getattr(fn, "__name__", name)}
    if culprit and culprit not in own and culprit.isidentifier():
        return (f"`{culprit}` (called by {name}) is not implemented yet: write `{culprit}` "
                f"first (replace its `raise NotImplementedError()` with your code and run that "
                f"cell), then run this check again.")
    return (f"{name} is not implemented yet: replace `raise NotImplementedError()` "
            f"with your code, run that cell, then run this check again.")


def _raising_function(e: BaseException) -> str | None:
    """The name of the student's function where ``e`` was raised (frames of numpy and of
    the grader skipped)."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if "site-packages" not in f.filename and "/grader/" not in f.filename]
    return frames[-1].name if frames else None


def _said(e: BaseException) -> str:
    return f": {e}" if str(e) else ""


def _where(e: BaseException) -> str:
    """The student's own line where the exception started (the last frame not in numpy)."""
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if "site-packages" not in f.filename and "/grader/" not in f.filename]
    if not frames:
        return ""
    line = (frames[-1].line or "").strip()
    return f"\n  in `{frames[-1].name}`, at: {line}" if line else ""


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    # SIGALRM exists on Unix and only the main thread may set it; elsewhere there is
    # no limit here, and nbgrader's per-cell timeout is the backstop.
    usable = seconds is not None and hasattr(signal, "SIGALRM") \
        and threading.current_thread() is threading.main_thread()
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
