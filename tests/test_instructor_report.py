"""`python -m grader report`: the class's report from grades-<a>.csv and results-<a>.csv.

A synthetic class (rows written by the autograder's own CSV writers, mistakes drawn from the
catalogue) is reported through the command line; every number of the report is recomputed
here, independently, from the two CSV files. The same check, and the planted mistakes given
back exactly, run on the graded corpus of tests/test_instructor_autograde.py (graded once
there: `check_report` and `check_planted` are called from that module).
"""
from __future__ import annotations

import collections
import csv
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from grader import registry
from grader.instructor.autograde import Row, _write_csv, _write_results

A = "01-building-blocks"


# --- a synthetic class ------------------------------------------------------------------------

class _Course:
    def __init__(self, root):
        self.root = Path(root)


def synthetic_class(root, n=120, seed=7):
    """grades-<A>.csv and results-<A>.csv for ``n`` students, as the autograder writes them:
    most right, some exercises not attempted, named mistakes from the catalogue (and a rule),
    wrong answers to questions, a few flagged, failed and missing submissions."""
    from grader.reference import mistakes

    rng = random.Random(seed)
    graded = registry.graded(A)
    exercises = [e.id for e in graded]
    functions = [e.id for e in graded if e.kind == "function"]
    named = {e: [f"{e}:{m.name}" for m in mistakes(e)] for e in functions}
    rows = []
    for i in range(n):
        scores = {e.id: float(e.points) for e in graded}
        diagnoses = {e: {"outcome": "passed", "mistake": "", "trial": ""} for e in exercises}
        answers = {q.id: "right" for q in registry.questions(A)}
        for e in rng.sample(functions, rng.choice((0, 0, 1, 2, 3))):
            kind = rng.random()
            scores[e] = 0.0
            if kind < 0.55 and named[e]:
                pick = rng.choice(named[e][:3])  # a few mistakes per exercise, so counts pile up
                diagnoses[e] = {"outcome": "failed", "mistake": pick, "trial": rng.choice(("public", "hidden"))}
            elif kind < 0.62:
                diagnoses[e] = {"outcome": "failed", "mistake": "rule:modified-argument", "trial": "public"}
            elif kind < 0.8:
                diagnoses[e] = {"outcome": "not attempted", "mistake": "", "trial": ""}
            elif kind < 0.9:
                diagnoses[e] = {"outcome": "error", "mistake": "", "trial": "public"}
            else:
                diagnoses[e] = {"outcome": "failed", "mistake": "", "trial": "gradient"}
        for q in registry.questions(A):
            if rng.random() < 0.3:
                answers[q.id] = rng.choice(("b", "c", None))
                scores[q.id] = 0.0
                diagnoses[q.id] = {"outcome": "failed", "mistake": "", "trial": ""}
        answers = {q: a for q, a in answers.items() if a is not None}
        status, reason, findings = "graded", "", []
        if i % 40 == 3:
            findings = [{"kind": "cheat", "cell": "relu", "exercises": ["relu"],
                         "message": "redefines check"}]
            reason = "flagged for review: the notebook tampers with the checks in its kernel"
        if i % 50 == 7:
            status, reason = "failed", "the kernel died (os._exit)"
            scores, diagnoses, answers = dict.fromkeys(exercises, 0.0), {}, {}
        if i % 60 == 11:
            status, reason = "missing", "no notebook 01-building-blocks.ipynb in the submission"
            scores, diagnoses, answers = dict.fromkeys(exercises, 0.0), {}, {}
            findings = [{"kind": "missing", "cell": None, "exercises": [], "message": reason}]
        rows.append(Row(f"student{i:03d}", scores, status, reason, findings,
                        seconds=0.0 if status == "missing" else round(rng.uniform(2.5, 9.0), 2),
                        answers=answers, diagnoses=diagnoses))
    course = _Course(root)
    course.root.mkdir(parents=True, exist_ok=True)
    _write_csv(course, A, exercises, rows)
    _write_results(course, A, exercises, rows)
    return rows


def report_cli(course, *args):
    """`python -m grader report ARGS --course COURSE`, in this process (its parser and main)."""
    import contextlib
    import io
    import types

    from grader.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["report", *args, "--course", str(course)])
        except SystemExit as e:  # argparse
            code = e.code
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


# --- the report's numbers, recomputed from the two CSV files ---------------------------------

def _read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def recount(course, assignment=A):
    """Every number of the report, from grades-<a>.csv and results-<a>.csv, counted here."""
    grades = _read(Path(course) / f"grades-{assignment}.csv")
    results = _read(Path(course) / f"results-{assignment}.csv")
    graded = [r for r in results if r["status"] == "graded"]
    per = collections.defaultdict(list)
    for r in graded:
        per[r["exercise"]].append(r)
    exercises = {e: {"graded": len(rs), "passed": sum(r["outcome"] == "passed" for r in rs),
                     "not attempted": sum(r["outcome"] == "not attempted" for r in rs)}
                 for e, rs in per.items()}
    named = [r for r in graded if r["mistake"] and r["outcome"] != "passed"]
    mistakes = collections.Counter((r["exercise"], r["mistake"]) for r in named)
    lost = collections.Counter()
    for r in named:
        if r["kind"] == "function":
            lost[r["exercise"]] += float(r["max_score"]) - float(r["score"])
    answers = collections.Counter((r["exercise"], r["answer"] or "no answer") for r in graded
                                  if r["kind"] == "question")
    seconds = {}
    for r in results:
        if r["status"] in ("graded", "failed") and float(r["seconds"]) > 0:
            seconds.setdefault(r["student_id"], float(r["seconds"]))
    totals = [float(g["score"]) for g in grades]
    return {"students": len(grades), "mean": statistics.mean(totals), "median": statistics.median(totals),
            "exercises": exercises, "mistakes": mistakes, "lost": lost, "answers": answers,
            "flagged": {g["student_id"] for g in grades if g["status"] != "graded" or g["flags"]},
            "median_seconds": statistics.median(seconds.values()) if seconds else 0.0,
            "max_seconds": max(seconds.values(), default=0.0)}


def check_report(course, out, assignment=A):
    """Run the report (HTML and CSV) on a graded course and compare it with `recount`."""
    done = report_cli(course, assignment, "--out", str(out))
    assert done.returncode == 0, done.stderr
    done = report_cli(course, assignment, "--out", str(out), "--csv")
    assert done.returncode == 0, done.stderr
    want = recount(course, assignment)

    def table(name):
        return _read(Path(out) / f"report-{assignment}-{name}.csv")

    [summary] = table("summary")
    assert int(summary["students"]) == want["students"]
    assert float(summary["mean"]) == pytest.approx(want["mean"], rel=1e-3)
    assert float(summary["median"]) == pytest.approx(want["median"], rel=1e-3)
    got = {r["exercise"]: {"graded": int(r["graded"]), "passed": int(r["passed"]),
                           "not attempted": int(r["not attempted"])} for r in table("exercises")}
    assert got == want["exercises"]
    for r in table("exercises"):
        counts = want["exercises"][r["exercise"]]
        assert float(r["pass_rate"]) == pytest.approx(counts["passed"] / counts["graded"], abs=1e-3)
    assert {(r["exercise"], r["mistake"]): int(r["count"]) for r in table("mistakes")} == dict(want["mistakes"])
    assert {r["exercise"]: float(r["points_lost_named"]) for r in table("reteach")} == \
        {e: v for e, v in want["lost"].items() if v > 0}
    ranked = [float(r["points_lost_named"]) for r in table("reteach")]
    assert ranked == sorted(ranked, reverse=True)
    assert {(r["question"], r["answer"]): int(r["count"]) for r in table("questions")} == dict(want["answers"])
    assert {r["student_id"] for r in table("flagged")} == want["flagged"]
    [timing] = table("timing")
    assert float(timing["median_seconds"]) == pytest.approx(want["median_seconds"], rel=1e-3)
    assert float(timing["max_seconds"]) == pytest.approx(want["max_seconds"], rel=1e-3)

    page = (Path(out) / f"report-{assignment}.html").read_text("utf-8")
    text = _text(page)
    assert f"mean {want['mean']:.2f}" in text and f"median {want['median']:.2f}" in text
    for student in want["flagged"]:
        assert student in text
    for exercise in {e for e, _ in want["mistakes"]}:  # each exercise's most frequent, as "3× name"
        counts = {m: n for (e, m), n in want["mistakes"].items() if e == exercise}
        top = max(counts.values())
        assert any(f"{top}\u00d7 {_short(m)}" in text for m, n in counts.items() if n == top), exercise
    return want


def _short(mistake):
    return mistake if mistake.startswith("rule:") else mistake.partition(":")[2]


def _text(page):
    import html

    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def check_planted(course, planted, out, assignment=A):
    """The report gives back exactly the planted distribution: for each exercise planted,
    its named mistakes and their counts (``{exercise: {mistake id: count}}``)."""
    done = report_cli(course, assignment, "--out", str(out), "--csv")
    assert done.returncode == 0, done.stderr
    mistakes = _read(Path(out) / f"report-{assignment}-mistakes.csv")
    for exercise, want in planted.items():
        got = {r["mistake"]: int(r["count"]) for r in mistakes if r["exercise"] == exercise}
        assert got == want, exercise
        for r in mistakes:
            if r["exercise"] == exercise:
                assert r["hint"], r  # each with the catalogue's hint
    ranked = [r["exercise"] for r in _read(Path(out) / f"report-{assignment}-reteach.csv")]
    assert set(planted) <= set(ranked)


# --- the synthetic class -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    return root, synthetic_class(root)


def test_the_numbers_are_the_csv_files(course, tmp_path):
    root, rows = course
    want = check_report(root, tmp_path)
    assert want["students"] == len(rows) and want["mistakes"]  # (the class has mistakes to count)


def test_html_is_self_contained(course, tmp_path):
    root, _ = course
    done = report_cli(root, A, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / f"report-{A}.html").read_text("utf-8")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert len(images) == 3 and all(src.startswith("data:image/svg+xml;base64,") for src in images)
    for section in ("Scores", "Where to re-teach", "Exercises", "Questions", "Flagged submissions",
                    "Grading time and failures"):
        assert f">{section}" in page, section


def test_hints_come_from_the_catalogue(course, tmp_path):
    from grader.instructor.report import RULE_TEXT, hint
    from grader.reference import mistakes

    root, _ = course
    report_cli(root, A, "--out", str(tmp_path), "--csv")
    for row in _read(tmp_path / f"report-{A}-mistakes.csv"):
        exercise, _, name = row["mistake"].partition(":")
        if row["mistake"] in RULE_TEXT:
            assert row["hint"] == RULE_TEXT[row["mistake"]]
        else:
            m = next(m for m in mistakes(exercise) if m.name == name)
            assert row["hint"] == (m.hint or hint(row["mistake"])) and row["hint"]


def test_missing_csv_files_say_what_to_run(tmp_path):
    done = subprocess.run([sys.executable, "-m", "grader", "report", A], cwd=tmp_path,  # as typed
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"no grades-{A}.csv" in done.stderr and f"python -m grader autograde {A}` first" in done.stderr


def test_all_skips_what_is_not_graded_yet(course, tmp_path):
    root, _ = course
    done = report_cli(root, "--all", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"report-{A}.html").is_file() and "skipped: no grades-02-deep-networks.csv" in done.stderr


def test_the_report_takes_seconds_for_300_students(tmp_path):
    import time

    from grader.instructor.report import report

    synthetic_class(tmp_path, n=300)
    start = time.perf_counter()
    report(tmp_path, A)
    assert time.perf_counter() - start < 10  # (the benchmark measures it on a graded class)
