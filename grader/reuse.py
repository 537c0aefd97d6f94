"""Your own functions from an earlier notebook, so later notebooks never make you re-type them.

    from grader.reuse import functions_from
    model_forward, model_backward = functions_from("01-building-blocks", "model_forward", "model_backward")

It runs the solution cells of your earlier notebook (found beside the current one) and
hands back the functions you wrote. A function that does not pass its public check yet
is replaced by the course's reference when this copy of the grader has one (an
instructor's, or autograding, where the earlier notebook is not submitted); otherwise
you get yours, with a note saying which check to go back to.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np

from . import registry
from .checking import _run
from .checks import SPECS


def functions_from(notebook: str, *names: str, search: Path | None = None):
    """The named functions (one, or a tuple in the order asked) from ``notebook``."""
    known = {e.id for e in registry.exercises(notebook)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise KeyError(f"{unknown} are not exercises of {notebook}; they are {sorted(known)}")
    yours = _student_functions(notebook, search)
    chosen, notes = [], []
    for name in names:
        fn = yours.get(name)
        if fn is not None and _passes(name, fn):
            chosen.append(fn)
            continue
        reference = _reference(name)
        why = "not found" if fn is None else "does not pass its check yet"
        if reference is not None:
            chosen.append(reference)
            notes.append(f"{name} ({why}: using the course's version)")
        elif fn is not None:
            chosen.append(fn)
            notes.append(f"{name} ({why}: go back to {notebook} and fix it)")
        else:
            raise LookupError(f"{name} is not defined in your {notebook} notebook")
    print(f"From {notebook}: {len(names) - len(notes)} of {len(names)} functions are yours"
          + (f"; {'; '.join(notes)}." if notes else "."))
    return chosen[0] if len(chosen) == 1 else tuple(chosen)


def _student_functions(notebook: str, search: Path | None) -> dict:
    """Run the solution cells of the student's notebook in a fresh namespace."""
    path = _find(notebook, search or Path.cwd())
    if path is None:
        return {}
    namespace = {"np": np, "__name__": f"course_{notebook.replace('-', '_')}"}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        # the solution cells, and the given cells that only define helpers they call
        # (notebook 07's fit_hyperparameters): never a demo, which may train for seconds
        if not cell.get("metadata", {}).get("nbgrader", {}).get("solution") and not _defines_only(source):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<{notebook}>", "exec"), namespace)  # noqa: S102 - the student's own code
        except Exception:  # noqa: BLE001 - an unfinished cell leaves its functions undefined
            continue
    return {k: v for k, v in namespace.items() if callable(v)}


def _defines_only(source: str) -> bool:
    """Whether a cell holds nothing but function definitions and imports."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(n, (ast.FunctionDef, ast.Import, ast.ImportFrom)) for n in body)


def _find(notebook: str, start: Path) -> Path | None:
    for folder in (start, *start.resolve().parents):
        for candidate in (folder / notebook / f"{notebook}.ipynb", folder / f"{notebook}.ipynb"):
            if candidate.is_file():
                return candidate
    return None


def _passes(name: str, fn) -> bool:
    with contextlib.redirect_stdout(io.StringIO()):
        message, _ = _run(SPECS[name], fn, hidden=False)
    return not message


def _reference(name: str):
    try:
        from .reference import implementation
    except ImportError:
        return None
    return implementation(name)
