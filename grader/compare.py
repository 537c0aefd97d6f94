"""Comparing a student's return value with the expected one, structure first.

``compare`` walks the expected value (arrays, floats, tuples, dicts) and raises
``Mismatch`` at the first place the student's value differs: type, then shape, then
finiteness, then values within tolerance. It never compares printed reprs. The
mismatch carries the path to that place, so known mistakes can be recognised there.
"""
from __future__ import annotations

import numbers

import numpy as np

from .wire import Opaque


class Mismatch(Exception):
    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def compare(got, expected, *, rtol: float, atol: float, path: tuple = ()) -> None:
    """Raise Mismatch at the first difference between ``got`` and ``expected``."""
    if isinstance(expected, np.ndarray):
        _compare_array(got, expected, rtol, atol, path)
    elif isinstance(expected, (float, np.floating)):
        _compare_float(got, float(expected), rtol, atol, path)
    elif isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            raise Mismatch(path, f"should be a {type(expected).__name__} of {len(expected)} "
                                 f"values, got {kind(got)}")
        if len(got) != len(expected):
            raise Mismatch(path, f"should hold {len(expected)} values, got {len(got)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            compare(g, e, rtol=rtol, atol=atol, path=path + (i,))
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            raise Mismatch(path, f"should be a dict, got {kind(got)}")
        missing = [k for k in expected if k not in got]
        if missing:
            raise Mismatch(path, f"has no key {missing[0]!r} (its keys: {keys(got)})")
        for k, e in expected.items():
            compare(got[k], e, rtol=rtol, atol=atol, path=path + (k,))
    else:
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got[()]
        if isinstance(got, np.ndarray):
            raise Mismatch(path, f"expected {expected!r}, got {kind(got)}")
        if _differs(got, expected):
            raise Mismatch(path, f"expected {expected!r}, got {got!r}")


def float64_only(value, path: tuple = ()) -> None:
    """Raise Mismatch where a returned float (array or numpy number, at any depth) is not
    float64: the course computes in numpy's default precision, whatever is checked after."""
    if isinstance(value, (np.ndarray, np.floating)) and value.dtype.kind == "f" \
            and value.dtype != np.float64:
        raise Mismatch(path, _precision(value.dtype))
    if isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            float64_only(v, path + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            float64_only(v, path + (k,))


def _precision(dtype) -> str:
    return (f"has dtype {dtype}; the course computes in float64 (numpy's default): remove any "
            f"`dtype=np.{dtype}` or `.astype(np.{dtype})`")


def _differs(got, expected) -> bool:
    try:
        return bool(got != expected)
    except Exception:  # noqa: BLE001 - a value that cannot even be compared is different
        return True


def matches(got, expected, *, rtol: float, atol: float) -> bool:
    try:
        compare(got, expected, rtol=rtol, atol=atol)
    except Mismatch:
        return False
    return True


def at(value, path: tuple):
    """The part of a nested value at ``path``; raises LookupError if it has no such part."""
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError) as e:
            raise LookupError(path) from e
    return value


def _compare_array(got, expected, rtol, atol, path):
    if not isinstance(got, np.ndarray):
        if isinstance(got, tuple) and got and isinstance(got[0], np.ndarray) \
                and got[0].shape == expected.shape:
            raise Mismatch(path, "should be one array, but you returned a tuple: "
                                 "return only the array (no cache) here")
        raise Mismatch(path, f"should be a numpy array of shape {expected.shape}, got {kind(got)}")
    if type(got) is not np.ndarray:
        # a subclass (np.matrix, a masked array, ...) may compute differently, or answer
        # np.allclose its own way: only plain arrays are compared
        raise Mismatch(path, f"is a {type(got).__module__}.{type(got).__name__}, a subclass of "
                             f"numpy's array; return a plain numpy array (np.asarray(...), and "
                             f"no np.matrix: use @ for matrix products)")
    if got.dtype.kind == "b":
        raise Mismatch(path, "is an array of booleans; convert it to numbers, e.g. "
                             "`(Z > 0).astype(float)` or multiply by it")
    if got.dtype.kind not in "fiu":
        raise Mismatch(path, f"has dtype {got.dtype}; expected an array of floats")
    if got.shape != expected.shape:
        raise Mismatch(path, f"has shape {got.shape}, expected {expected.shape}"
                             + _shape_hint(got.shape, expected.shape))
    if expected.dtype.kind == "f" and got.dtype.kind in "iu":
        raise Mismatch(path, "is an array of integers; expected floats (an integer zeros "
                             "array, or integer division?)")
    if expected.dtype.kind == "f" and got.dtype.kind == "f" and got.dtype != expected.dtype:
        raise Mismatch(path, _precision(got.dtype))
    bad = ~np.isfinite(got) & np.isfinite(expected) if got.dtype.kind == "f" else None
    if bad is not None and bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise Mismatch(path, f"contains {got[index]} at index {index} where "
                             f"{expected[index]:.6g} was expected: an overflow, a division by "
                             f"zero or log(0)?")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        diff = np.abs(got - expected)
        index = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
        start = max(0, int(np.argmax(diff)) - 1)  # show the worst value with a neighbour
        raise Mismatch(path, f"has wrong values (largest difference {diff[index]:.3g} at "
                             f"index {index}).\n    expected: {_preview(expected, start)}"
                             f"\n    got:      {_preview(got, start)}"
                             + _value_hint(got, expected, rtol, atol))


def _compare_float(got, expected, rtol, atol, path):
    if isinstance(got, np.ndarray):
        if got.ndim == 0:
            got = got[()]
        else:
            raise Mismatch(path, f"should be a plain number (float), got an array of shape "
                                 f"{got.shape}" + (": take its one value with `.item()` (or "
                                                   "`float(np.squeeze(...))`)" if got.size == 1 else ""))
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise Mismatch(path, f"should be a float, got {kind(got)}")
    if isinstance(got, np.floating) and got.dtype.itemsize < 8:
        raise Mismatch(path, f"is a numpy {got.dtype} number; the course computes in float64 "
                             f"(numpy's default): remove the conversion to np.{got.dtype}")
    got = float(got)
    if not np.isfinite(got):
        raise Mismatch(path, f"is {got} where {expected:.6g} was expected: log(0), or an overflow?")
    if not np.isclose(got, expected, rtol=rtol, atol=atol):
        hint = ""
        if np.isclose(got, -expected, rtol=rtol, atol=atol):
            hint = " It has the wrong sign."
        raise Mismatch(path, f"is {got:.10g}, expected {expected:.10g}.{hint}")


def _shape_hint(got: tuple, expected: tuple) -> str:
    if got == expected[::-1]:
        return ": transposed?"
    if got == tuple(d for d in expected if d != 1) and len(got) < len(expected):
        return (": it lost an axis of length 1 (use keepdims=True in np.sum, or "
                ".reshape(-1, 1))")
    if len(got) == len(expected) and 1 in got and 1 in expected:
        return ": summed over the wrong axis? (axis=1 sums over the examples)"
    return ""


def _value_hint(got, expected, rtol, atol) -> str:
    scale = float(np.vdot(expected, expected))
    if scale == 0.0:
        return ""
    factor = float(np.vdot(got, expected)) / scale
    # (all zeros is no "factor": the preview already shows them)
    if factor != 0.0 and abs(factor - 1) > 1e-3 and np.allclose(got, factor * expected, rtol=rtol, atol=atol):
        if np.isclose(factor, -1):
            return "\n  Every value has the wrong sign."
        return f"\n  Every value is {factor:.4g} times the expected one: a missing or extra factor?"
    return ""


def _preview(a: np.ndarray, start: int, count: int = 4) -> str:
    """A few values of the flattened array from ``start``, with ... where some are left out."""
    flat = np.asarray(a, dtype=float).ravel()
    start = max(0, min(start, flat.size - count))
    shown = ", ".join(f"{x:.4g}" for x in flat[start:start + count])
    return f"[{'..., ' if start else ''}{shown}{', ...' if start + count < flat.size else ''}]"


def kind(x) -> str:
    """What a returned value is, in a few words: "an array of shape (2, 3)", "an int", ..."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} values"
    if x is None:
        return "None (did you forget `return`?)"
    if isinstance(x, Opaque):  # what a sandboxed kernel returned that the wire does not carry
        return article(x.type_name.rsplit(".", 1)[-1])
    return article(type(x).__name__)


def article(word: str) -> str:
    """"a dict", "an int"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def keys(d: dict) -> list:
    """Keys (of a dict, or a list of them) in order, whatever their types: a student's dict
    may mix str and int."""
    return sorted(d, key=repr)
