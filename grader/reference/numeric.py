"""The course's one numeric-gradient helper: centred differences."""
from __future__ import annotations

import numpy as np


def numerical_gradient(f, x: np.ndarray, epsilon: float = 1e-5) -> np.ndarray:
    """Centred differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) of a scalar f.

    x: float array of any shape; it is not modified (f sees perturbed copies).
    Returns an array of x's shape.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + epsilon
        up = f(x.copy())
        x[i] = original - epsilon
        down = f(x.copy())
        x[i] = original
        grad[i] = (up - down) / (2 * epsilon)
    return grad


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||), 0 when both are zero."""
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
