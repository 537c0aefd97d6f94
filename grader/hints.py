"""``hint(exercise_id)``: the next of an exercise's hints, one more each time it is asked.

    hint("linear_backward")           # hint 1: the idea to recall
    hint("linear_backward")           # hint 2: the formula, with shapes
    hint("linear_backward", level=3)  # a given level: the structure in words

Hints are data, one TOML file per notebook in ``grader/data/hints/`` (instructors reword
them there), and ship in the student's copy: they never contain the answer's code
(``tests/test_hints.py``).
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from . import registry

HINTS_DIR = Path(__file__).parent / "data" / "hints"
LEVELS = ("the idea to recall", "the formula, with shapes", "the structure, in words")

# exercise id -> the level shown last in this session
_SHOWN: dict[str, int] = {}


@cache
def _notebook_hints(notebook: str) -> dict[str, list[str]]:
    path = HINTS_DIR / f"{notebook}.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text("utf-8"))


def hints(exercise_id: str) -> list[str]:
    """An exercise's hints, in order (KeyError for an unknown exercise)."""
    exercise = registry.exercise(exercise_id)
    return list(_notebook_hints(exercise.notebook).get(exercise.id, []))


def hint(exercise_id: str, level: int | None = None) -> None:
    """Show the next hint for an exercise (or hint number ``level``)."""
    try:
        texts = hints(exercise_id)
    except KeyError:
        return _show(f"There is no exercise called {exercise_id!r}; the exercises are listed "
                     f"by `grader.exercises()`.")
    if not texts:
        return _show(f"`{exercise_id}` has no hints yet: ask your instructor.")
    if level is None:
        level = min(_SHOWN.get(exercise_id, 0) + 1, len(texts))
    elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(texts):
        return _show(f"`{exercise_id}` has hints 1 to {len(texts)}; `level` is one of these "
                     f"(got {level!r}).")
    _SHOWN[exercise_id] = max(_SHOWN.get(exercise_id, 0), level)
    after = (f"\n\n*`hint({exercise_id!r})` again for hint {level + 1}.*" if level < len(texts)
             else "\n\n*That was the last hint: the rest is yours. The check's message says "
                  "what is still wrong.*")
    kind = f" ({LEVELS[level - 1]})" if level <= len(LEVELS) else ""
    _show(f"**Hint {level} of {len(texts)} for `{exercise_id}`**{kind}: {texts[level - 1].strip()}"
          + after)


def _show(markdown: str) -> None:
    """As Markdown in Jupyter (formulas render), as text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(markdown))
            return
    except ImportError:
        pass
    print(markdown)
