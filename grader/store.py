"""Stored public trials: nested values saved as one ``.npz`` without pickle.

Public checks compare with values stored here, so a student copy of the course needs
no reference implementations. A value is a tree of dicts, tuples, lists, arrays and
scalars; arrays go into the npz under generated keys, the tree as JSON beside them.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"


def path_for(notebook: str) -> Path:
    return DATA / f"{notebook}.npz"


def save(path: Path, value) -> None:
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(value, arrays)
    arrays["__tree__"] = np.array(json.dumps(tree, sort_keys=True))
    np.savez_compressed(path, **arrays)


def load(path: Path):
    with np.load(path, allow_pickle=False) as npz:
        tree = json.loads(str(npz["__tree__"]))
        return _decode(tree, npz)


def _encode(value, arrays):
    if isinstance(value, np.random.Generator):
        # the exact state, so a stored trial hands the student the same generator
        return {"rng": value.bit_generator.state}
    if isinstance(value, np.ndarray):
        key = f"a{len(arrays)}"
        arrays[key] = value
        return {"array": key}
    if isinstance(value, dict):
        return {"dict": [[k, _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, (tuple, list)):
        return {type(value).__name__: [_encode(v, arrays) for v in value]}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"int": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"float": float(value)}  # JSON round-trips floats exactly
    if value is None or isinstance(value, str):
        return {"str": value}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(node, npz):
    (kind, body), = node.items()
    if kind == "array":
        return npz[body]
    if kind == "rng":
        rng = np.random.Generator(getattr(np.random, body["bit_generator"])())
        rng.bit_generator.state = body
        return rng
    if kind == "dict":
        return {k: _decode(v, npz) for k, v in body}
    if kind == "tuple":
        return tuple(_decode(v, npz) for v in body)
    if kind == "list":
        return [_decode(v, npz) for v in body]
    return body
