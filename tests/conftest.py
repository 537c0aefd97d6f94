"""Notebook fixtures shared by the tests.

Any test that takes an ``assignment`` argument runs once per assignment in
``solutions/`` (01-building-blocks, ...), so a new notebook is tested without editing
the tests. Executing a notebook is the slow part: each one runs once per session.
"""
from pathlib import Path

import pytest

from grader.execute import run_notebook
from grader.release import ROOT, assignments


def pytest_generate_tests(metafunc):
    if "assignment" in metafunc.fixturenames:
        metafunc.parametrize("assignment", assignments(), scope="session")


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
