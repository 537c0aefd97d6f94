import hashlib
import re
from pathlib import Path

import numpy as np

from grader.datasets import data_dir, load_breast_cancer, load_digits

ROOT = Path(__file__).resolve().parents[1]


def test_files_match_the_checksums_in_the_data_readme():
    table = dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", (ROOT / "data/README.md").read_text(), re.M))
    assert table, "data/README.md lists every file with its sha256"
    for name, digest in table.items():
        assert hashlib.sha256((data_dir() / name).read_bytes()).hexdigest() == digest, name


def test_digits():
    X, y = load_digits()
    assert X.shape == (64, 1797) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


def test_breast_cancer():
    X, Y, names = load_breast_cancer()
    assert X.shape == (30, 569) and Y.shape == (1, 569) and len(names) == 30
    assert Y.sum() == 212  # malignant


def test_data_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    assert data_dir() == tmp_path
