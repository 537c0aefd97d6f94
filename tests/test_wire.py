"""Values across the sandbox's boundary (grader/wire.py): exact, typed, and never code."""
from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from grader import wire


def roundtrip(value, callbacks=None, callback=None):
    message = wire.dumps(value, callbacks)
    (size,) = struct.unpack_from("<Q", message)
    assert size == len(message) - 8
    return wire.loads(message[8:], callback)


def test_values_come_back_exactly_with_their_types():
    rng = np.random.default_rng(7)
    rng.random(3)
    value = {"W1": rng.standard_normal((3, 2)), "b1": np.zeros((3, 1)), "n": 3, "big": 2 ** 80,
             "lr": 0.1, "inf": math.inf, "c": 1 + 2j, "name": "relu", "none": None, "flag": True,
             "caches": [((np.ones(2, dtype=np.float32), np.arange(3)), np.float64(2.5))],
             "mask": np.array([True, False]), "f32": np.float32(1.5), "i8": np.int8(-3),
             "empty": np.zeros((0, 4)), "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
             1: "an int key", "rng": rng}
    back = roundtrip(value)
    assert back.keys() == value.keys()
    for key in ("W1", "b1", "mask", "empty", "fortran"):
        assert back[key].dtype == value[key].dtype and np.array_equal(back[key], value[key])
    assert type(back["caches"]) is list and type(back["caches"][0]) is tuple
    assert back["caches"][0][0][0].dtype == np.float32
    assert type(back["caches"][0][1]) is np.float64 and type(back["f32"]) is np.float32
    assert type(back["i8"]) is np.int8 and back["i8"] == -3
    assert (back["n"], back["big"], back["lr"], back["c"], back["name"], back["none"], back["flag"]) == \
        (3, 2 ** 80, 0.1, 1 + 2j, "relu", None, True)
    assert type(back["lr"]) is float and back["inf"] == math.inf and back[1] == "an int key"
    assert back["rng"].random() == rng.random()  # the same state


def test_nan_crosses():
    assert math.isnan(roundtrip(float("nan")))
    assert np.isnan(roundtrip(np.array([np.nan]))[0])


def test_anything_else_arrives_as_an_opaque_named_value():
    class Layer:
        pass

    back = roundtrip({"a": Layer(), "b": np.array([object()], dtype=object), "f": len})
    assert isinstance(back["a"], wire.Opaque) and "Layer" in repr(back["a"])
    assert isinstance(back["b"], wire.Opaque)
    assert isinstance(back["f"], wire.Opaque)  # no callbacks list: a function is not sent


def test_functions_cross_as_callbacks():
    callbacks = []
    made = []
    back = roundtrip({"objective": abs}, callbacks, lambda i: made.append(i) or f"stand-in {i}")
    assert callbacks == [abs] and back == {"objective": "stand-in 0"} and made == [0]
    with pytest.raises(wire.WireError, match="function"):
        roundtrip({"objective": abs}, [], None)


@pytest.mark.parametrize("tree", [
    {"array": ["|O", [1], 0, 8]},                    # an object array: never
    {"array": ["<f8", [2], 0, 8]},                   # size does not match the shape
    {"array": ["<f8", [1], 4, 8]},                   # past the end
    {"rng": {"bit_generator": "os.system"}},         # only numpy's bit generators
    {"v": [1, 2]},                                   # a plain value of another type
    {"pickle": "..."},                               # an unknown kind
    [1],                                             # not a node
])
def test_malformed_messages_are_refused(tree):
    import json

    header = json.dumps(tree).encode()
    body = struct.pack("<I", len(header)) + header + b"\0" * 8
    with pytest.raises(wire.WireError):
        wire.loads(body)


def test_a_message_over_the_limit_is_refused_before_it_is_read():
    class Socket:
        def __init__(self, data):
            self.data = data

        def recv(self, n):
            out, self.data = self.data[:n], self.data[n:]
            return out

    with pytest.raises(wire.WireError, match="limit"):
        wire.receive(Socket(struct.pack("<Q", wire.LIMIT + 1)))
    with pytest.raises(wire.WireError, match="closed"):
        wire.receive(Socket(struct.pack("<Q", 100) + b"short"))
