"""hint(id): every exercise has progressive hints, shown one more per call."""
from __future__ import annotations

import json

import pytest

from grader import hint, registry
from grader.registry import exercises
from grader import hints as hints_module
from grader.hints import HINTS_DIR, hints
from grader.release import ROOT

IDS = [e.id for e in exercises()]


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_has_two_or_three_hints(exercise_id):
    texts = hints(exercise_id)
    assert 2 <= len(texts) <= 3, f"{exercise_id}: {len(texts)} hints"
    assert all(isinstance(t, str) and len(t.strip()) > 20 for t in texts)
    assert len(set(texts)) == len(texts), "each hint says something new"


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_hint_files_name_only_the_notebooks_exercises(notebook):
    import tomllib

    data = tomllib.loads((HINTS_DIR / f"{notebook}.toml").read_text("utf-8"))
    assert set(data) == {e.id for e in registry.exercises(notebook)}


@pytest.fixture
def shown(monkeypatch, capsys):
    monkeypatch.setattr(hints_module, "_SHOWN", {})

    def run(*args, **kwargs):
        hint(*args, **kwargs)
        return capsys.readouterr().out
    return run


def test_each_call_shows_the_next_hint_then_stays_on_the_last(shown):
    texts = hints("linear_backward")
    outputs = [shown("linear_backward") for _ in range(len(texts) + 1)]
    for level, (out, text) in enumerate(zip(outputs, texts), start=1):
        assert f"Hint {level} of {len(texts)}" in out and text.strip() in out
    assert "again for hint 2" in outputs[0]
    assert "last hint" in outputs[-1] and outputs[-1] == outputs[-2]


def test_a_level_can_be_asked_for(shown):
    assert hints("sigmoid")[1].strip() in shown("sigmoid", level=2)
    assert "Hint 1 of" in shown("relu")  # the count is per exercise


@pytest.mark.parametrize("args, says", [
    (("no_such_exercise",), "no exercise called 'no_such_exercise'"),
    (("sigmoid",), None),
    (("sigmoid", 0), "level"),
    (("sigmoid", 9), "level"),
    (("sigmoid", "2"), "level"),
])
def test_bad_input_gets_a_message_not_a_crash(shown, args, says):
    out = shown(*args)
    assert out.strip()
    if says:
        assert says in out


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_each_notebook_says_once_at_the_top_that_hints_exist(notebook):
    nb = json.loads((ROOT / "notebooks" / notebook / f"{notebook}.ipynb").read_text("utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    mentions = [i for i, text in enumerate(markdown) if "hint(" in text]
    assert len(mentions) == 1 and mentions[0] <= 3, "one mention of hint(...) in the first cells"
