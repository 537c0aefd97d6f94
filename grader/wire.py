"""Values across a process boundary, without pickle: the grader's side of a sandbox.

When autograding, a student's function runs in a sandboxed kernel and the check that
judges it runs outside (grader/remote.py). What crosses between them is data only:
arrays of numbers, Python scalars, strings, None, and tuples, lists and dicts of those,
and a numpy Generator (by its state). Unpickling would let the sending side run code in
the receiving one; reading this format cannot. A function among the arguments crosses
as a *callback* number: the receiving side gets a stand-in that asks the sending side to
call the real one (grader/remote.py). Anything else a student's function returns arrives
as an ``Opaque`` that names its type, so the check can say what came back.

One message: 8 bytes of length, then 4 bytes of header length, the header (JSON: the
tree, with arrays as ``{"array": [dtype, shape, offset, nbytes]}``), then the arrays'
bytes. The receiver refuses a message over ``LIMIT`` bytes before reading it.
"""
from __future__ import annotations

import json
import struct

import numpy as np

LIMIT = 256 * 1024 ** 2  # bytes in one message: far above any exercise's values
_KINDS = "biufc"  # bool, int, unsigned, float, complex: arrays of numbers only


class Opaque:
    """A value the wire does not carry (an object of the student's own class, a module,
    an ndarray subclass, ...), as the receiver sees it: its type's name."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self):
        return f"<a {self.type_name}, which the grader cannot read>"


class WireError(ValueError):
    """A message that is malformed, too large, or cut short."""


def dumps(value, callbacks: list | None = None) -> bytes:
    """The message for ``value``. Callables are appended to ``callbacks`` and sent as
    their index (without a list, a callable is an error)."""
    buffers: list[bytes] = []
    tree = _encode(value, buffers, callbacks, [0])
    header = json.dumps(tree, separators=(",", ":"), allow_nan=True).encode()
    body = struct.pack("<I", len(header)) + header + b"".join(buffers)
    return struct.pack("<Q", len(body)) + body


def loads(body: bytes, callback=None):
    """The value in a message body (without its 8-byte length). ``callback(i)`` makes the
    stand-in for callback number i (without it, a callback is an error)."""
    try:
        (n,) = struct.unpack_from("<I", body)
        tree = json.loads(body[4:4 + n])
        return _decode(tree, memoryview(body)[4 + n:], callback)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, struct.error, RecursionError) as e:
        raise WireError(f"a malformed message ({type(e).__name__}: {e})") from None


def send(sock, value, callbacks: list | None = None) -> None:
    sock.sendall(dumps(value, callbacks))


def receive(sock, callback=None):
    (size,) = struct.unpack("<Q", _exactly(sock, 8))
    if size > LIMIT:
        raise WireError(f"a message of {size} bytes (the limit is {LIMIT})")
    return loads(_exactly(sock, size), callback)


def _exactly(sock, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise WireError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _encode(value, buffers, callbacks, offset):
    if value is None or isinstance(value, (bool, str)):
        return {"v": value}
    if type(value) is int:
        return {"int": str(value)}  # any size, exactly
    if type(value) is float:
        return {"float": repr(value)}  # exact, and inf and nan too
    if type(value) is complex:
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, np.generic) and value.dtype.kind in _KINDS:
        return {"scalar": _array(np.asarray(value), buffers, offset)}
    if isinstance(value, np.ndarray) and value.dtype.kind in _KINDS:
        return {"array": _array(np.asarray(value), buffers, offset)}
    if isinstance(value, np.random.Generator):
        return {"rng": value.bit_generator.state}
    if isinstance(value, (tuple, list)):  # (a namedtuple is a tuple, as the checks see it)
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {kind: [_encode(v, buffers, callbacks, offset) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[_encode(k, buffers, callbacks, offset), _encode(v, buffers, callbacks, offset)]
                         for k, v in value.items()]}
    if callable(value) and callbacks is not None:
        callbacks.append(value)
        return {"callback": len(callbacks) - 1}
    return {"opaque": f"{type(value).__module__}.{type(value).__qualname__}".removeprefix("builtins.")}


def _array(a: np.ndarray, buffers, offset) -> list:
    data = np.ascontiguousarray(a).tobytes()
    buffers.append(data)
    spec = [a.dtype.str, list(a.shape), offset[0], len(data)]
    offset[0] += len(data)
    return spec


def _decode(node, data: memoryview, callback):
    if not isinstance(node, dict) or len(node) != 1:
        raise WireError("a malformed message (a node that is not one kind)")
    (kind, body), = node.items()
    if kind == "v":
        if body is not None and not isinstance(body, (bool, str)):
            raise WireError("a malformed message (a plain value of another type)")
        return body
    if kind == "int":
        return int(body)
    if kind == "float":
        return float(body)
    if kind == "complex":
        return complex(float(body[0]), float(body[1]))
    if kind in ("array", "scalar"):
        a = _read_array(body, data)
        return a[()] if kind == "scalar" else a
    if kind == "rng":
        rng = np.random.Generator(getattr(np.random, _bit_generator(body))())
        rng.bit_generator.state = body
        return rng
    if kind == "tuple":
        return tuple(_decode(v, data, callback) for v in body)
    if kind == "list":
        return [_decode(v, data, callback) for v in body]
    if kind == "dict":
        out = {}
        for k, v in body:
            key = _decode(k, data, callback)
            try:
                out[key] = _decode(v, data, callback)
            except TypeError:  # an unhashable key (a list): nothing a contract returns
                raise WireError("a malformed message (a dict key that cannot be a key)") from None
        return out
    if kind == "callback":
        if callback is None:
            raise WireError("a function where only values are expected")
        return callback(int(body))
    if kind == "opaque":
        return Opaque(str(body)[:200])
    raise WireError(f"a malformed message (unknown kind {kind!r})")


def _read_array(spec, data: memoryview) -> np.ndarray:
    dtype_str, shape, start, nbytes = spec
    dtype = np.dtype(str(dtype_str))
    if dtype.kind not in _KINDS or dtype.hasobject:
        raise WireError(f"an array of {dtype}: only arrays of numbers cross")
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape) or int(np.prod(shape, dtype=object)) * dtype.itemsize != nbytes:
        raise WireError("a malformed message (an array's size does not match its shape)")
    if start < 0 or start + nbytes > len(data):
        raise WireError("a malformed message (an array past the end)")
    return np.frombuffer(data[start:start + nbytes], dtype=dtype).reshape(shape).copy()


def _bit_generator(state) -> str:
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"):
        raise WireError(f"a malformed message (bit generator {name!r})")
    return name
