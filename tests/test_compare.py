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
    message = _message(np.array([[0.3]]), 0.3).message
    assert ".item()" in message and "float(np.squeeze(" in message
    assert "float(...)" not in message  # numpy 2 refuses float() of a (1, 1) array
    value = np.array([[0.3]])
    assert value.item() == float(np.squeeze(value)) == 0.3  # what the hint suggests works
    compare(np.array(0.3), 0.3, **TOL)  # a 0-d array is a number


def test_dict_with_keys_of_mixed_types_is_described_not_crashed_on():
    m = _message({1: np.ones(1), "dW1": np.ones(1)}, {"dW1": np.ones(1), "dW2": np.ones(1)})
    assert "no key 'dW2'" in m.message and "1" in m.message


def test_container_named_by_the_expected_type():
    assert "should be a list of 2 values" in _message(np.ones(2), [np.ones(1), np.ones(1)]).message
    assert "should be a tuple of 2 values" in _message(np.ones(2), (np.ones(1), np.ones(1))).message


def test_article_before_a_vowel():
    assert "got an int" in _message(3, np.ones(2)).message
    assert "got a dict" in _message({}, np.ones(2)).message


class _Liar(np.ndarray):
    """An array subclass that tells np.allclose (and friends) whatever passes."""

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.isclose, np.array_equal):
            return True
        return super().__array_function__(func, types, args, kwargs)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix, on purpose
def test_array_subclasses_are_rejected_before_comparing():
    liar = np.zeros((2, 3)).view(_Liar)
    assert np.allclose(liar, np.ones((2, 3)))  # it does lie
    assert "subclass" in _message(liar, np.ones((2, 3))).message
    assert "np.matrix" in _message(np.matrix(np.ones((2, 3))), np.ones((2, 3))).message
    compare(np.ones((2, 3)), np.ones((2, 3)), **TOL)


def test_float32_is_rejected_with_the_reason():
    m = _message((np.ones(2), np.ones((2, 2), dtype=np.float32)), (np.ones(2), np.ones((2, 2))))
    assert m.path == (1,)
    assert m.message.startswith("has dtype float32; the course computes in float64")
    assert "np.float32" in m.message
    assert "float64" in _message(np.float32(0.5), 0.5).message
    compare(np.float64(0.5), 0.5, **TOL)
    # the contract says float64 exactly: more precision is another computation, not the course's
    assert "float64" in _message(np.ones(2, dtype=np.longdouble), np.ones(2)).message


def test_float64_only_finds_a_lower_precision_at_any_depth():
    from grader.compare import float64_only

    float64_only(({"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}, [np.ones(3)], 1.5, np.arange(3)))
    with pytest.raises(Mismatch) as m:
        float64_only(({"W1": np.ones((2, 2)), "b1": np.zeros((2, 1), dtype=np.float32)}, []))
    assert m.value.path == (0, "b1") and "float32" in m.value.message


def test_a_plain_value_against_an_array_is_a_mismatch_not_a_crash():
    assert "an array of shape (2,)" in _message(np.ones(2), "high bias").message


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
