"""The one list of notebooks and exercises: ids, signatures, points.

Everything else (check specs, reference implementations, notebooks' grade cells, tests)
is keyed by these ids and tested against this list.
"""
from __future__ import annotations

from dataclasses import dataclass

NOTEBOOKS = {
    "01-building-blocks": "Forward and backward propagation: the building blocks",
}


@dataclass(frozen=True)
class Exercise:
    id: str
    notebook: str
    points: int
    signature: str

    @property
    def title(self) -> str:
        return NOTEBOOKS[self.notebook]


def _notebook(name: str, *rows: tuple[str, int]) -> list[Exercise]:
    return [Exercise(sig.split("(")[0], name, points, sig) for sig, points in rows]


EXERCISES: list[Exercise] = [
    *_notebook(
        "01-building-blocks",
        ("sigmoid(Z)", 1),
        ("relu(Z)", 1),
        ("sigmoid_backward(dA, Z)", 1),
        ("relu_backward(dA, Z)", 1),
        ("initialize_parameters(layer_dims, rng, scale=0.01)", 2),
        ("linear_forward(A_prev, W, b)", 1),
        ("linear_activation_forward(A_prev, W, b, activation)", 2),
        ("model_forward(X, params)", 3),
        ("compute_cost(AL, Y)", 2),
        ("linear_backward(dZ, cache)", 3),
        ("linear_activation_backward(dA, cache, activation)", 2),
        ("model_backward(AL, Y, caches)", 3),
        ("update_parameters(params, grads, learning_rate)", 2),
    ),
]

_BY_ID = {e.id: e for e in EXERCISES}


def exercises(notebook: str | None = None) -> list[Exercise]:
    """Every exercise in course order, or those of one notebook (e.g. ``"01-building-blocks"``)."""
    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(f"unknown notebook {notebook!r}; the notebooks are {list(NOTEBOOKS)}")
    return [e for e in EXERCISES if notebook is None or e.notebook == notebook]


def exercise(exercise_id: str) -> Exercise:
    try:
        return _BY_ID[exercise_id]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise_id!r}") from None
