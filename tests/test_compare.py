"""compare(): structure before values, and hints for shapes students get wrong."""
from __future__ import annotations

import numpy as np
import pytest

from grader.compare import Mismatch, at, compare, matches

TOL = {"rtol": 1e-6, "atol": 1e-9}


def _message(got, expected):
    with pytest.raises(Mismatch) as m:
        compare(got, expected, **TOL)
    return m.value


def test_equal_values_pass_in_any_container_flavour():
    expected = (np.ones((2, 1)), {"W1": np.zeros((1, 2))}, 0.5)
    compare([np.ones((2, 1)), {"W1": np.zeros((1, 2)), "extra": 1}, np.float64(0.5)], expected, **TOL)


@pytest.mark.parametrize("got, hint", [
    (np.ones(3), "keepdims=True"),
    (np.ones((1, 3)), "transposed"),
])
def test_shape_hints(got, hint):
    assert hint in _message(got, np.ones((3, 1))).message


def test_wrong_axis_hint():
    assert "wrong axis" in _message(np.ones((1, 5)), np.ones((3, 1))).message


def test_path_points_into_nested_values():
    m = _message((np.ones(2), (np.ones(2), np.zeros(2))), (np.ones(2), (np.ones(2), np.ones(2))))
    assert m.path == (1, 1)


def test_dict_missing_key():
    assert "no key 'dW2'" in _message({"dW1": np.ones(1)}, {"dW1": np.ones(1), "dW2": np.ones(1)}).message


def test_float_from_array():
    assert "float(...)" in _message(np.array([[0.3]]), 0.3).message
    compare(np.array(0.3), 0.3, **TOL)  # a 0-d array is a number


def test_integer_and_boolean_arrays():
    assert "integers" in _message(np.array([1, 2]), np.array([1.0, 2.0])).message
    assert "booleans" in _message(np.array([True]), np.array([1.0])).message


def test_constant_factor_is_named():
    assert "5 times" in _message(5 * np.arange(1.0, 5.0), np.arange(1.0, 5.0)).message


def test_tolerance_is_relative_and_tight():
    compare(np.array([1e6 + 1e-1]), np.array([1e6]), **TOL)
    assert not matches(np.array([1.0 + 1e-5]), np.array([1.0]), **TOL)


def test_at():
    assert at(({"a": [1, 2]},), (0, "a", 1)) == 2
    with pytest.raises(LookupError):
        at((1,), (3,))
