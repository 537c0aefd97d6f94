"""Questions: ask/answer in the notebook, answers checked from the student's copy without
the answers in clear, and the same verdicts from the instructor's clear answers."""
from __future__ import annotations

import itertools
import json

import pytest

from grader import CheckFailed, answer, ask, registry
from grader import questions as questions_module
from grader.build import questions_json, questions_path
from grader.questions import Question, question, questions, verify
from grader.reference.questions import clear, grade

QUESTIONS = [q.id for q in questions()]


def _clear(q: Question) -> dict:
    return clear(q.notebook)[q.id]


def _right(q: Question):
    answer_ = _clear(q)["answer"]
    return set(answer_) if q.kind == "select" else answer_


def _wrong_answers(q: Question) -> list:
    """Every wrong answer a student can give (every other letter or set), or for a number
    the values just outside the tolerance, the near misses and the edges of the range."""
    c = _clear(q)
    if q.kind == "choice":
        return [x for x in q.options if x != c["answer"]]
    if q.kind == "select":
        right = set(c["answer"])
        subsets = [set(s) for n in range(1, len(q.options) + 1)
                   for s in itertools.combinations(q.options, n)]
        return [s for s in subsets if s != right]
    t, centre = c["tolerance"], c["answer"]
    near = [n["value"] for n in c.get("near", [])]
    return [v for v in [centre - 1.3 * t, centre + 1.3 * t, centre + 10 * t, *near]
            if c["low"] <= v <= c["high"]]


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_every_notebook_asks_four_to_six_questions(notebook):
    found = clear(notebook)
    assert 4 <= len(found) <= 6, f"{notebook} has {len(found)} questions"
    predictions = [q for q in found.values() if q.get("moment") == "predict"]
    figures = [q for q in found.values() if q.get("moment") == "figure"]
    assert len(predictions) >= 2, "at least two questions come before a demo: predict, then run"
    assert figures, "one question asks to read a figure just made"


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_students_copy_is_built_from_the_clear_answers(notebook):
    assert questions_path(notebook).read_text("utf-8") == questions_json(notebook), \
        "stale: run python -m grader.build"


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_students_copy_has_no_answer_in_clear(notebook):
    text = questions_path(notebook).read_text("utf-8")
    for qid, c in clear(notebook).items():
        assert c["explanation"].strip()[:40] not in text, f"{qid}: its explanation is readable"
        for wrong in [*c.get("why_not", {}).values(), *(n["feedback"] for n in c.get("near", []))]:
            assert wrong.strip()[:40] not in text, f"{qid}: a why-not is readable"
        record = json.loads(text)[qid]
        assert "answer" not in record and "explanation" not in record or c["kind"] == "select"
        if c["kind"] == "number":
            # no number, and no text but the question's own, holds the answer (digests and
            # sealed texts are hex: they hold digits by chance)
            shown = {k: v for k, v in record.items() if k not in ("points", "tolerance")}
            plain = [v for v in _leaves(shown) if not (isinstance(v, str) and _hex(v))]
            assert float(c["answer"]) not in [v for v in plain if isinstance(v, (int, float))]


def _leaves(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from ([] if _hex(k) else [k])
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _hex(text: str) -> bool:
    return isinstance(text, str) and len(text) >= 32 and all(ch in "0123456789abcdef" for ch in text)


@pytest.mark.parametrize("qid", QUESTIONS)
def test_the_right_answer_is_right_everywhere(qid, capsys):
    q = question(qid)
    right = _right(q)
    assert verify(q, right)[0] and grade(qid, right)[0]
    assert verify(q, right)[1] == " ".join(_clear(q)["explanation"].split()) or \
        verify(q, right)[1].strip() == _clear(q)["explanation"].strip()
    answer(qid, right)
    answer(qid)  # the graded cell: the answer given above
    assert f"\u2714 {qid}: right." in capsys.readouterr().out
    if q.kind == "number":
        t = _clear(q)["tolerance"]
        for inside in (right - 0.99 * t, right + 0.99 * t):
            assert verify(q, inside)[0] and grade(qid, inside)[0]


@pytest.mark.parametrize("qid", QUESTIONS)
def test_every_wrong_answer_is_wrong_with_its_own_feedback(qid):
    q = question(qid)
    c = _clear(q)
    for wrong in _wrong_answers(q):
        right_here, said = verify(q, wrong)
        passed, line = grade(qid, wrong)
        assert not right_here and not passed, f"{wrong!r} accepted"
        assert " ".join(said.split()) in " ".join(line.split()), "the two copies say the same"
        with pytest.raises(CheckFailed) as failure:
            answer(qid, wrong)
        assert " ".join(said.split()) in " ".join(str(failure.value).split())
        if q.kind == "choice":
            assert said.strip() == c["why_not"][wrong].strip()
        # feedback never names the right option
        if q.kind in ("choice", "select"):
            assert c["explanation"].strip()[:40] not in said


@pytest.mark.parametrize("qid", QUESTIONS)
def test_every_wrong_option_has_feedback(qid):
    q = question(qid)
    c = _clear(q)
    if q.kind == "choice":
        assert set(c["why_not"]) == set(q.options) - {c["answer"]}
    elif q.kind == "select":
        assert set(c["why_not"]) == set(q.options) - set(c["answer"])
    else:
        assert c["low"] < c["answer"] - c["tolerance"] and c["answer"] + c["tolerance"] < c["high"]


def test_ask_shows_the_question_its_options_and_how_to_answer(capsys):
    qid = QUESTIONS[0]
    ask(qid)
    out = capsys.readouterr().out
    q = question(qid)
    assert q.text.strip()[:30] in out and f'answer("{qid}",' in out
    for letter in q.options:
        assert f"({letter})" in out


@pytest.fixture
def fresh_answers(monkeypatch):
    monkeypatch.setattr(questions_module, "ANSWERED", {})


@pytest.mark.parametrize("value, says", [
    (..., "not answered yet"),
    ("z", "one letter"),
    (3, "one letter"),
    (None, "one letter"),
])
def test_bad_answers_get_a_message(fresh_answers, value, says):
    qid = next(q.id for q in questions() if q.kind == "choice")
    with pytest.raises(CheckFailed, match=says):
        answer(qid, value)
    with pytest.raises(CheckFailed, match="not answered yet"):
        answer(qid)  # a bad answer is no answer


def test_bad_numbers_and_sets_get_a_message(fresh_answers):
    number = next(q for q in questions() if q.kind == "number")
    for value in ("0.5", float("nan"), True, number.data["high"] * 2 + 1):
        with pytest.raises(CheckFailed, match=number.id):
            answer(number.id, value)
    selection = next(q for q in questions() if q.kind == "select")
    for value in (set(), {"z"}, 7):
        with pytest.raises(CheckFailed, match="set of letters"):
            answer(selection.id, value)


def test_unknown_question_and_unanswered(fresh_answers):
    with pytest.raises(CheckFailed, match="no question called"):
        answer("q99-nothing", "a")
    with pytest.raises(CheckFailed, match="not answered yet"):
        answer(QUESTIONS[0])
    assert grade(QUESTIONS[0], None) == (False, f"{QUESTIONS[0]} was not answered: the answer cell "
                                                f"has no answer({QUESTIONS[0]!r}, ...) that ran")


def test_questions_are_listed_with_their_points():
    from grader import exercises

    listed = {e.id: e for e in exercises() if e.kind == "question"}
    assert set(listed) == set(QUESTIONS)
    for qid, e in listed.items():
        assert e.points == _clear(question(qid))["points"] > 0
