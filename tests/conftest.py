"""Notebook fixtures shared by the tests.

Any test that takes an ``assignment`` argument runs once per assignment in
``solutions/`` (01-building-blocks, ...), so a new notebook is tested without editing
the tests. Executing a notebook is the slow part: each one runs once per session.
"""
import os
from pathlib import Path

# The tests run many processes at once (pytest-xdist workers, kernels, nbgrader, autograde
# workers) on few cores. Multi-threaded OpenBLAS in each of them makes its threads spin
# against each other: measured here, 15 times slower with three processes on two cores.
# Set before numpy is first imported (by grader, below) and inherited by every kernel.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402

from grader.execute import run_notebook  # noqa: E402
from grader.release import ROOT, assignments  # noqa: E402


def pytest_generate_tests(metafunc):
    if "assignment" in metafunc.fixturenames:
        names = assignments()
        # A module that sets LANE = k (of LANES) takes every LANES-th assignment from the k-th:
        # its twin modules then run on other cores (make test: one module per worker).
        lane = getattr(metafunc.module, "LANE", None)
        if lane is not None:
            names = names[lane::metafunc.module.LANES]
        metafunc.parametrize("assignment", names, scope="session")


@pytest.fixture(scope="session")
def solution_notebook(assignment) -> Path:
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


@pytest.fixture(scope="session")
def released_notebook(assignment) -> Path:
    return ROOT / "notebooks" / assignment / f"{assignment}.ipynb"


@pytest.fixture(scope="session")
def executed_solution(solution_notebook):
    """The solution notebook after "Run All" (errors kept in the outputs, not raised)."""
    nb, _ = run_notebook(solution_notebook, allow_errors=True)
    return nb


@pytest.fixture(scope="session")
def executed_release(released_notebook):
    """The untouched student notebook after "Run All"."""
    nb, _ = run_notebook(released_notebook, allow_errors=True)
    return nb
