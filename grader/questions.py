"""Questions in the notebook: ``ask(id)`` shows one, ``answer(id, choice)`` checks it now.

    ask("q04-dropout-test-time")            # the question and its options
    answer("q04-dropout-test-time", "b")    # right (and why), or CheckFailed: why not
    answer("q04-dropout-test-time")         # the graded cell: checks the answer given above

Kinds: ``choice`` (one letter), ``select`` (a set of letters, all must match), ``number``
(a number within the question's tolerance).

Where the answers are. The instructor writes each notebook's questions, answers in clear,
in ``grader/reference/questions/<notebook>.toml`` (never in a student's copy);
``python -m grader.build`` derives the student's ``grader/data/questions/<notebook>.json``
from it, in which

- a choice's or a selection's answer is a salted SHA-256 digest of its canonical form
  (``"b"``, ``"a,c"``);
- a number's answer is the set of digests of the bins of width ``tolerance / 4`` that meet
  [answer - tolerance, answer + tolerance]: a value is accepted when its bin's digest is
  in the set, that is within the tolerance always and within 1.25 times it at most; the
  plausible range (``low``, ``high``), which the instructor sets wide, only turns away
  impossible values (a negative count) and says nothing about where the answer lies;
- every option's feedback (the why-not of a wrong option, the explanation of the right
  one; for a selection, the why-not of each option that does not belong and nothing for
  those that do) is encrypted with a key derived from that option, and a number's
  explanation with the keys of its bins, so that it reads only once that option or value
  is given; all of a question's sealed texts have one length, so their lengths tell
  nothing either.

What the student's copy gives away: nothing by reading it. A search finds an answer, as it
finds it by calling ``answer`` again and again: at most the number of options (``2**k``
selections), and for a number every bin of its plausible range (cheap when the range is
small, as for a count of parameters). Hashing stops reading, not trying; questions are
formative, and their feedback is written so that trying teaches. Grades do not rest on the
student's copy: the autograder takes the answer a submission gave out of its sandbox, as a
value, and checks it outside against the instructor's clear answers (``grade``).
"""
from __future__ import annotations

import hashlib
import json
import math
import numbers
from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUESTIONS_DIR = Path(__file__).parent / "data" / "questions"
KINDS = ("choice", "select", "number")

# question id -> the canonical answer the student gave last (what the autograder grades)
ANSWERED: dict = {}


class Unanswerable(ValueError):
    """An answer that is not of the question's kind (the message says what is expected)."""


@dataclass(frozen=True)
class Question:
    id: str
    notebook: str
    points: int
    kind: str
    text: str
    options: dict          # letter -> option text ({} for a number)
    data: dict             # the rest of the student's record: digests, feedback, range

    def markdown(self) -> str:
        lines = [f"**Question `{self.id}`** ({self.points} point{'s' * (self.points != 1)})", "",
                 self.text.strip(), ""]
        lines += [f"- **({k})** {v.strip()}" for k, v in self.options.items()]
        how = {"choice": "your letter, in quotes",
               "select": "the set of every right letter, in braces (`{\"x\", \"y\"}` for two)",
               "number": f"a number{self._unit()}"}[self.kind]
        lines += ["", f"Answer in the cell below, `answer(\"{self.id}\", ...)`, with {how} in "
                      f"place of the `...`."]
        return "\n".join(lines)

    def _unit(self) -> str:
        unit = self.data.get("unit")
        return f" (in {unit})" if unit else ""


def canonical(question: Question, value):
    """The canonical form of an answer: ``"b"``, ``"a,c"``, or a float; Unanswerable if the
    value is not an answer of this kind (the message says what is)."""
    letters = sorted(question.options)
    if question.kind == "choice":
        if not isinstance(value, str) or value.strip().lower() not in letters:
            raise Unanswerable(f"answer {question.id} with one letter, one of {', '.join(letters)} "
                               f"(got {value!r})")
        return value.strip().lower()
    if question.kind == "select":
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split()]
        if not isinstance(value, (set, frozenset, list, tuple)) or not value or \
                not all(isinstance(v, str) and v.strip().lower() in letters for v in value):
            raise Unanswerable(f"answer {question.id} with a set of letters among "
                               f"{', '.join(letters)}, e.g. {{\"a\", \"c\"}} (got {value!r})")
        return ",".join(sorted({v.strip().lower() for v in value}))
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise Unanswerable(f"answer {question.id} with a number{question._unit()} (got {value!r})")
    value = float(value)
    low, high = question.data.get("low", -math.inf), question.data.get("high", math.inf)
    if not low <= value <= high:
        raise Unanswerable(f"{value:g} cannot be the answer to {question.id}: it lies outside "
                           f"[{low:g}, {high:g}]")
    return value


# -- digests and keys (the student's side and the build share these) ---------------------


def digest(salt: str, question_id: str, canonical_form) -> str:
    return hashlib.sha256(f"{salt}|{question_id}|{canonical_form}".encode()).hexdigest()


def bin_of(value: float, width: float) -> int:
    return math.floor(value / width)


def bins(answer: float, tolerance: float) -> range:
    """The bins of width tolerance / 4 that meet [answer - tolerance, answer + tolerance]."""
    width = tolerance / 4
    return range(bin_of(answer - tolerance, width), bin_of(answer + tolerance, width) + 1)


def seal(text: str, key: str) -> str:
    """``text`` encrypted with a SHA-256 keystream of ``key`` (hex): unreadable without it."""
    data = text.encode()
    return bytes(a ^ b for a, b in zip(data, _stream(key, len(data)))).hex()


def unseal(sealed: str, key: str) -> str:
    data = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(data, _stream(key, len(data)))).decode("utf-8", "replace")


def _stream(key: str, n: int) -> bytes:
    out, counter = b"", 0
    while len(out) < n:
        out += hashlib.sha256(f"{key}|{counter}".encode()).digest()
        counter += 1
    return out[:n]


def key(question: Question, part) -> str:
    return digest(question.data["salt"], question.id, f"key:{part}")


# -- the student's copy ---------------------------------------------------------------------


@cache
def _records(notebook: str) -> dict:
    path = QUESTIONS_DIR / f"{notebook}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def questions(notebook: str | None = None) -> list[Question]:
    """Every question in course order, or those of one notebook."""
    from . import registry

    found = []
    for name in registry.NOTEBOOKS if notebook is None else [notebook]:
        for qid, r in _records(name).items():
            rest = {k: v for k, v in r.items() if k not in ("points", "kind", "text", "options")}
            found.append(Question(qid, name, r["points"], r["kind"], r["text"], r.get("options", {}), rest))
    return found


def question(question_id: str) -> Question:
    for q in questions():
        if q.id == question_id:
            return q
    raise KeyError(question_id)


def verify(question: Question, value) -> tuple[bool, str]:
    """(right, feedback) for an answer, from the student's copy (digests and sealed text)."""
    form = canonical(question, value)  # Unanswerable: not an answer of this kind
    salt, data = question.data["salt"], question.data
    if question.kind == "number":
        b = bin_of(form, data["tolerance"] / 4)
        for kind, right in (("right", True), ("near", False)):
            d = digest(salt, question.id, f"{kind}:{b}")
            if d in data[kind]:
                return right, unseal(data[kind][d], key(question, f"{kind}:{b}")).strip()
        return False, data.get("otherwise", "")
    right = digest(salt, question.id, form) == data["digest"]
    if question.kind == "choice":
        return right, unseal(data["feedback"][form], key(question, form)).strip()
    if right:
        return True, unseal(data["explanation"], key(question, form)).strip()
    said = [text for c in form.split(",")
            if (text := unseal(data["feedback"][c], key(question, c)).strip())]
    return False, " ".join(said) or ("Every option you chose belongs in the answer, but not "
                                     "every one that does is there.")


def ask(question_id: str) -> None:
    """Show a question and how to answer it."""
    from .hints import _show

    try:
        q = question(question_id)
    except KeyError:
        return _show(_unknown(question_id))
    _show(q.markdown())


def answer(question_id: str, *value):
    """Check an answer now (and remember it: the autograder grades the last one given), or,
    without a value, check the answer given before (the graded cell after an answer cell)."""
    from .checking import CheckFailed

    try:
        q = question(question_id)
    except KeyError:
        raise CheckFailed(_unknown(question_id)) from None
    if len(value) > 1:
        raise CheckFailed(f"answer takes the question's id and one answer, e.g. "
                          f"answer({question_id!r}, \"b\")") from None
    if value and value[0] is Ellipsis:  # the released answer cell, untouched
        ANSWERED.pop(q.id, None)
        raise CheckFailed(f"{q.id} is not answered yet: put your answer in place of the ... "
                          f"(`ask({q.id!r})` shows the question again)") from None
    if value:
        try:
            ANSWERED[q.id] = canonical(q, value[0])
        except Unanswerable as e:
            ANSWERED.pop(q.id, None)
            raise CheckFailed(str(e)) from None
    elif q.id not in ANSWERED:
        raise CheckFailed(f"{q.id} is not answered yet: run the answer cell above, with "
                          f"answer({q.id!r}, ...), first") from None
    right, feedback = verify(q, ANSWERED[q.id])
    if not right:
        raise CheckFailed(f"{q.id}: {_shown(ANSWERED[q.id])} is not right. {feedback}".strip()) from None
    print(f"\u2714 {q.id}: right. {feedback}".strip())


def _shown(form) -> str:
    return f"{form:g}" if isinstance(form, float) else f"({form})"


def _unknown(question_id) -> str:
    return (f"there is no question called {question_id!r}; the questions are listed by "
            f"grader.exercises()")
