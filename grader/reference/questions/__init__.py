"""The questions with their answers in clear, one TOML file per notebook (instructor side).

Each ``["qNN-name"]`` table has ``points``, ``kind`` (choice, select, number), ``text``,
``moment`` (``predict``: asked before a demo runs, to commit to a prediction; ``figure``: reads
a figure just made; ``after``: anything else) and

- choice, select: ``[options]`` (letter = text), ``answer`` (a letter, or a list of
  letters), ``explanation`` (shown after a right answer) and ``[why_not]``: for every wrong
  option, why it is tempting and what it misses (for a selection: every option that does
  not belong);
- number: ``answer``, ``tolerance`` (absolute), ``low`` and ``high`` (the plausible range:
  wide, it turns away impossible values only), optional ``unit``, ``explanation``, an
  optional ``otherwise`` (said of any other value) and ``[[near]]`` tables (``value``,
  ``feedback``) for the wrong values students often reach, each with what went wrong.

``python -m grader.build`` writes the student's copy, ``grader/data/questions/<notebook>.json``,
without the answers in clear (grader/questions.py says how). ``grade`` is the autograder's
judge: it checks an answer given in a sandboxed notebook against the clear answers here.
"""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ...questions import Question, Unanswerable, bins, canonical, digest, key, seal

CLEAR_DIR = Path(__file__).parent


@cache
def clear(notebook: str) -> dict:
    path = CLEAR_DIR / f"{notebook}.toml"
    return tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}


def _question(question_id: str) -> tuple[str, dict]:
    from ... import registry

    for notebook in registry.NOTEBOOKS:
        if question_id in clear(notebook):
            return notebook, clear(notebook)[question_id]
    raise KeyError(question_id)


def _as_question(qid: str, notebook: str, q: dict) -> Question:
    rest = {k: v for k, v in q.items() if k in ("low", "high", "unit", "tolerance")}
    return Question(qid, notebook, q["points"], q["kind"], q["text"], q.get("options", {}), rest)


def grade(question_id: str, value) -> tuple[bool, str]:
    """(right, the line a student reads) for an answer, against the clear answer."""
    notebook, q = _question(question_id)
    question = _as_question(question_id, notebook, q)
    if value is None:
        return False, (f"{question_id} was not answered: the answer cell has no "
                       f"answer({question_id!r}, ...) that ran")
    try:
        form = canonical(question, value)
    except Unanswerable as e:
        return False, f"{question_id}: {e}"
    if q["kind"] == "number":
        right = abs(form - float(q["answer"])) <= float(q["tolerance"])
    else:
        right = form == _right_form(q)
    if right:
        return True, f"\u2714 {question_id}: right."
    shown = f"{form:g}" if isinstance(form, float) else f"({form})"
    return False, f"{question_id}: {shown} is not right. {_why_not(q, form)}".strip()


def _why_not(q: dict, form) -> str:
    """What the student's copy says of this wrong answer (grader/questions.verify)."""
    if q["kind"] == "choice":
        return q["why_not"][form]
    if q["kind"] == "select":
        said = [q["why_not"][c] for c in form.split(",") if c in q.get("why_not", {})]
        return " ".join(said) or ("Every option you chose belongs in the answer, but not "
                                  "every one that does is there.")
    for near in q.get("near", []):
        if abs(form - float(near["value"])) <= float(q["tolerance"]):
            return near["feedback"]
    return q.get("otherwise", "")


def _right_form(q: dict) -> str:
    answer = q["answer"]
    return answer.lower() if q["kind"] == "choice" else ",".join(sorted(a.lower() for a in answer))


def student_records(notebook: str) -> dict:
    """The student's copy of a notebook's questions: no answer in clear."""
    return {qid: _record(qid, q) for qid, q in clear(notebook).items()}


def _record(qid: str, q: dict) -> dict:
    salt = digest("salt", qid, q["text"])[:32]
    record = {"points": q["points"], "kind": q["kind"], "text": q["text"], "salt": salt}
    question = Question(qid, "", q["points"], q["kind"], q["text"], q.get("options", {}),
                        {"salt": salt})
    if q["kind"] == "number":
        tolerance = float(q["tolerance"])
        record.update({k: q[k] for k in ("low", "high", "unit") if k in q})
        record["tolerance"] = tolerance
        texts = [q["explanation"]] + [n["feedback"] for n in q.get("near", [])]
        width = max(len(t.encode()) for t in texts)
        record["right"] = _sealed_bins(question, "right", float(q["answer"]), tolerance,
                                       q["explanation"], width)
        record["near"] = {}
        for near in q.get("near", []):
            record["near"].update(_sealed_bins(question, "near", float(near["value"]), tolerance,
                                               near["feedback"], width))
        if "otherwise" in q:
            record["otherwise"] = q["otherwise"]
        return record
    record["options"] = q["options"]
    right = _right_form(q)
    why_not = q.get("why_not", {})
    if q["kind"] == "choice":
        texts = {c: q["explanation"] if c == right else why_not[c] for c in q["options"]}
    else:
        texts = {c: why_not.get(c, "") for c in q["options"]}
    width = max(len(t.encode()) for t in [*texts.values(), q["explanation"]])
    record["digest"] = digest(salt, qid, right)
    record["feedback"] = {c: seal(_padded(t, width), key(question, c)) for c, t in texts.items()}
    if q["kind"] == "select":
        record["explanation"] = seal(_padded(q["explanation"], width), key(question, right))
    return record


def _sealed_bins(question, kind, centre, tolerance, text, width) -> dict:
    return {digest(question.data["salt"], question.id, f"{kind}:{b}"):
            seal(_padded(text, width), key(question, f"{kind}:{b}"))
            for b in bins(centre, tolerance)}


def _padded(text: str, width: int) -> str:
    return text + " " * (width - len(text.encode()))
