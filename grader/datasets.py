"""Small real datasets shipped in ``data/`` (provenance and licences: ``data/README.md``).

Every loader returns examples as columns, the course's convention: ``X`` is ``(n_x, m)``.
"""
from __future__ import annotations

import csv
import gzip
import os
from pathlib import Path

import numpy as np

__all__ = ["data_dir", "load_digits", "load_breast_cancer"]


def data_dir() -> Path:
    """The course's ``data/`` folder.

    ``$COURSE_DATA`` wins; otherwise the ``data/`` beside the installed package (an
    editable install or a checkout), then the first ``data/`` found walking up from the
    working directory (a notebook opened inside the course).
    """
    if os.environ.get("COURSE_DATA"):
        return Path(os.environ["COURSE_DATA"])
    candidates = [Path(__file__).resolve().parent.parent / "data"]
    here = Path.cwd().resolve()
    candidates += [p / "data" for p in (here, *here.parents)]
    for path in candidates:
        if (path / "digits.csv.gz").is_file():
            return path
    raise FileNotFoundError(
        "cannot find the course's data/ folder; run from inside the course or set COURSE_DATA"
    )


def load_digits():
    """The UCI optical handwritten digits (8x8 images, 1797 examples).

    Returns:
        X: (64, 1797) float64 pixel intensities scaled to [0, 1] (raw values are 0..16).
        y: (1797,) int64 digit labels 0..9.
    """
    with gzip.open(data_dir() / "digits.csv.gz", "rt") as f:
        raw = np.loadtxt(f, delimiter=",")
    return raw[:, :-1].T / 16.0, raw[:, -1].astype(np.int64)


def load_breast_cancer():
    """The Wisconsin diagnostic breast cancer data (30 features, 569 examples).

    Returns:
        X: (30, 569) float64 raw features (different units: normalise before training).
        Y: (1, 569) float64, 1 for malignant, 0 for benign.
        feature_names: list of 30 strings.
    """
    with open(data_dir() / "breast_cancer.csv", newline="") as f:
        rows = list(csv.reader(f))
    table = np.array(rows[1:], dtype=np.float64)
    # The file codes 0 = malignant, 1 = benign; the course predicts "malignant".
    Y = (table[:, -1] == 0).astype(np.float64).reshape(1, -1)
    return table[:, :-1].T, Y, list(FEATURE_NAMES)


FEATURE_NAMES = [
    f"{stat} {feature}"
    for stat in ("mean", "standard error of", "worst")
    for feature in (
        "radius", "texture", "perimeter", "area", "smoothness", "compactness",
        "concavity", "concave points", "symmetry", "fractal dimension",
    )
]
