"""Grades where instructors keep them: ``python -m grader export --format canvas|moodle|csv``.

    python -m grader export --format canvas --all --mapping ids.csv
    python -m grader export --format moodle --assignment 01-building-blocks --mapping ids.csv

Read from nbgrader's gradebook (gradebook.db, through nbgrader.api.Gradebook), so a score is
the one nbgrader computes: manual grades (formgrader) over automatic ones, minus the late
penalty, never below 0 (as ``nbgrader export`` does); a student of the gradebook without a
submission has 0, as there.

The mapping (``--mapping``, a CSV file the instructor keeps): one line per student,

    student_id   nbgrader's id (required)
    lms_id       the student's id in the LMS (required): Canvas's "SIS Login ID", Moodle's
                 "ID number"
    name         optional: the "Student" (Canvas) or "Full name" (Moodle) column
    section      optional: Canvas's "Section"
    email        optional: Moodle's "Email address" (to match by email at import)
    canvas_id, sis_user_id   optional: Canvas's "ID" and "SIS User ID" columns

Without a mapping, the LMS id is nbgrader's student id (said so on the summary line): right
when submissions came from the LMS with its login ids (zip_collect). A gradebook student
without a mapping is never guessed: it is listed on stderr and counted in the summary line,
left out of the Canvas and Moodle files (they could not match it), kept with an empty
lms_id in the plain CSV, and the command exits with status 1. A mapped student without any
submission in the gradebook is written with empty scores (the LMS leaves those cells as
they are) and listed too.

The formats followed:

- Canvas: Instructure's guide "How do I import grades in the Gradebook?"
  (community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807)
  and the file Canvas itself exports: the columns Student, ID, SIS User ID, SIS Login ID,
  Section in this order, then one column per assignment, "Name (Canvas assignment id)" for
  an existing assignment (a name alone makes a new one: ``--column A="Name (123)"``), and a
  second row "Points Possible" with each assignment's points, as in Canvas's export (read
  only at import). Canvas matches a student by ID, SIS User ID or SIS Login ID; the others
  may be empty (PrairieLearn issue #4547 reports a working import with Student, SIS Login
  ID and Section).
- Moodle: MoodleDocs "Grade import" (docs.moodle.org/en/Grade_import), CSV import: a header
  row; at import the identifier column is mapped ("Map from" ID number or Email address,
  "Map to" useridnumber or useremail) and each grade column to a grade item, new or
  existing (any other column is ignored). Columns: ID number, Email address, Full name,
  then one column per assignment.
- csv: student_id, lms_id, name, section, email, one column per assignment, total,
  max_total: for a spreadsheet.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("canvas", "moodle", "csv")
MAPPING_REQUIRED = ("student_id", "lms_id")
MAPPING_OPTIONAL = ("name", "section", "email", "canvas_id", "sis_user_id")
CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDS = ["ID number", "Email address", "Full name"]
POINTS_POSSIBLE = "    Points Possible"  # as Canvas writes it in its own export


class ExportError(Exception):
    """Something the instructor must fix first (the message says what)."""


@dataclass
class Grades:
    """What the gradebook holds, as plain data."""

    assignments: dict                              # assignment -> max score, in order
    students: dict                                 # student id -> {"name", "email"}
    scores: dict = field(default_factory=dict)     # (student, assignment) -> final score
    details: dict = field(default_factory=dict)    # (student, assignment) -> raw, penalty, manual
    to_grade: list = field(default_factory=list)   # (student, assignment) still to grade by hand


# --- reading ---------------------------------------------------------------------------

def read_gradebook(db_url: str, course_id: str, assignments: list[str] | None = None) -> Grades:
    """Every score of the chosen assignments (default: all), as nbgrader computes it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        chosen = [a for a in gb.assignments if assignments is None or a.name in assignments]
        unknown = sorted(set(assignments or ()) - {a.name for a in chosen})
        if unknown:
            raise ExportError(f"the gradebook has no assignment {', '.join(unknown)}; it has "
                              f"{', '.join(sorted(a.name for a in gb.assignments)) or 'none'}")
        grades = Grades({a.name: float(a.max_score) for a in sorted(chosen, key=lambda a: a.name)},
                        {s.id: _person(s) for s in gb.students})
        for a in chosen:
            for sub in a.submissions:
                _add(grades, a.name, sub)
    return grades


def _person(student) -> dict:
    name = ", ".join(p for p in (student.last_name, student.first_name) if p)
    return {"name": name, "email": student.email or ""}


def _add(grades: Grades, assignment: str, submission) -> None:
    """One submission's score: nbgrader's (manual over auto), minus its late penalty, >= 0."""
    key = (submission.student.id, assignment)
    raw, penalty = float(submission.score), float(submission.late_submission_penalty or 0.0)
    grades.scores[key] = max(0.0, raw - penalty)
    grades.details[key] = {"raw": raw, "penalty": penalty}
    if submission.needs_manual_grade:
        grades.to_grade.append(key)


def read_mapping(path: Path | None) -> dict | None:
    """student id -> {"lms_id", "name", "section", "email", ...}, or None without a file."""
    if path is None:
        return None
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:  # (a spreadsheet's BOM is fine)
            reader = csv.DictReader(f)
            rows = list(reader)
            columns = reader.fieldnames or []
    except OSError as e:
        raise ExportError(f"cannot read the mapping {path}: {e.strerror}") from None
    lacking = [c for c in MAPPING_REQUIRED if c not in columns]
    if lacking:
        raise ExportError(f"the mapping {path} has no column {', '.join(lacking)}; its header must "
                          f"have {', '.join(MAPPING_REQUIRED)} (and optionally {', '.join(MAPPING_OPTIONAL)})")
    mapping = {}
    for line, row in enumerate(rows, 2):
        student = (row.get("student_id") or "").strip()
        if not student:
            continue
        if student in mapping:
            raise ExportError(f"the mapping {path} lists {student} twice (line {line})")
        mapping[student] = {k: (row.get(k) or "").strip() for k in (*MAPPING_REQUIRED, *MAPPING_OPTIONAL)}
    return mapping


# --- the rows: who goes in the file, with which ids ----------------------------------------

@dataclass
class Plan:
    people: list          # [(student id, identity dict)] in the file, in order
    unmatched: list       # gradebook students with no LMS id (not in the Canvas/Moodle file)
    absent: list          # mapped students with no submission in the gradebook


def plan(grades: Grades, mapping: dict | None) -> Plan:
    """Each gradebook student with their LMS identity; nothing guessed."""
    submitted = {s for s, _ in grades.scores}
    if mapping is None:  # the LMS ids are nbgrader's ids, as said on the summary line
        people = [(s, {"lms_id": s, **_identity(grades, s, {})}) for s in sorted(grades.students)]
        return Plan(people, [], [])
    people, unmatched = [], []
    for s in sorted(grades.students):
        if s in mapping and mapping[s]["lms_id"]:
            people.append((s, {**mapping[s], **_identity(grades, s, mapping[s])}))
        else:
            unmatched.append(s)
    absent = sorted(s for s in mapping if s not in grades.students or s not in submitted)
    people += [(s, {**mapping[s], **_identity(grades, s, mapping[s])}) for s in absent
               if s not in grades.students]
    return Plan(people, unmatched, absent)


def _identity(grades: Grades, student: str, mapped: dict) -> dict:
    known = grades.students.get(student, {})
    return {"name": mapped.get("name") or known.get("name") or student,
            "email": mapped.get("email") or known.get("email", "")}


def score(grades: Grades, student: str, assignment: str) -> str:
    """The cell: the score; 0 for a gradebook student without a submission (as nbgrader's
    export); empty for someone the gradebook does not know (the LMS keeps what it has)."""
    if (student, assignment) in grades.scores:
        return _number(grades.scores[(student, assignment)])
    return "0" if student in grades.students else ""


def _number(x: float) -> str:
    return f"{round(x, 4):g}"


# --- the formats --------------------------------------------------------------------------

def canvas_rows(grades: Grades, p: Plan, headers: dict) -> list[list[str]]:
    names = list(grades.assignments)
    rows = [CANVAS_IDS + [headers.get(a, a) for a in names],
            [POINTS_POSSIBLE, "", "", "", ""] + [_number(grades.assignments[a]) for a in names]]
    for s, who in p.people:
        rows.append([who["name"], who.get("canvas_id", ""), who.get("sis_user_id", ""), who["lms_id"],
                     who.get("section", "")] + [score(grades, s, a) for a in names])
    return rows


def moodle_rows(grades: Grades, p: Plan, headers: dict) -> list[list[str]]:
    names = list(grades.assignments)
    rows = [MOODLE_IDS + [headers.get(a, a) for a in names]]
    for s, who in p.people:
        rows.append([who["lms_id"], who["email"], who["name"]] + [score(grades, s, a) for a in names])
    return rows


def csv_rows(grades: Grades, p: Plan, headers: dict) -> list[list[str]]:
    names = list(grades.assignments)
    rows = [["student_id", "lms_id", "name", "section", "email"] + [headers.get(a, a) for a in names]
            + ["total", "max_total"]]
    people = p.people + [(s, {"lms_id": "", **_identity(grades, s, {})}) for s in p.unmatched]
    for s, who in sorted(people):
        cells = [score(grades, s, a) for a in names]
        total = sum(float(c) for c in cells if c)
        rows.append([s, who["lms_id"], who["name"], who.get("section", ""), who["email"], *cells,
                     _number(total), _number(sum(grades.assignments.values()))])
    return rows


ROWS = {"canvas": canvas_rows, "moodle": moodle_rows, "csv": csv_rows}


def write(path: Path, rows: list[list[str]]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


# --- the command ----------------------------------------------------------------------------

def export(db_url: str, course_id: str, fmt: str, out: Path, assignments: list[str] | None = None,
           mapping: Path | None = None, headers: dict | None = None) -> tuple[Path, Grades, Plan]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")
    grades = read_gradebook(db_url, course_id, assignments)
    if not grades.assignments:
        raise ExportError("the gradebook has no assignment yet: run python -m grader autograde first")
    p = plan(grades, read_mapping(mapping))
    return write(out, ROWS[fmt](grades, p, headers or {})), grades, p


def summary(fmt: str, path: Path, grades: Grades, p: Plan, mapped: bool) -> str:
    """The line that says what was written and what was not."""
    people = len(p.people) + (len(p.unmatched) if fmt == "csv" else 0)
    parts = [f"export: wrote {path} ({fmt}): {people} students, {len(grades.assignments)} assignment(s)"]
    if not mapped:
        parts.append("no --mapping: the LMS ids are the nbgrader student ids")
    parts.append(f"{len(p.unmatched)} student(s) without an LMS id"
                 + ("" if not p.unmatched else " (with an empty lms_id)" if fmt == "csv"
                    else " (NOT in the file)"))
    if p.absent:
        parts.append(f"{len(p.absent)} mapped student(s) without a submission")
    if grades.to_grade:
        parts.append(f"{len(grades.to_grade)} submission(s) still need manual grading")
    late = sum(d["penalty"] > 0 for d in grades.details.values())
    if late:
        parts.append(f"{late} late penalty(ies) applied")
    return "; ".join(parts)


def main(course_root: Path, fmt: str, assignments: list[str] | None, mapping: Path | None,
         out: Path | None, headers: dict, err=None) -> int:
    from .autograde import Course

    err = err or sys.stderr
    course = Course(course_root)
    if not course.gradebook.is_file():
        print(f"ERROR: no gradebook.db in {course.root}: run `python -m grader autograde "
              f"<assignment>` first", file=err)
        return 2
    name = f"grades-lms-{fmt}" + (f"-{assignments[0]}" if assignments and len(assignments) == 1 else "")
    out = Path(out) if out else course.root / f"{name}.csv"
    try:
        path, grades, p = export(course.db_url, course.course_id, fmt, out, assignments, mapping, headers)
    except ExportError as e:
        print(f"ERROR: {e}", file=err)
        return 2
    for s in p.unmatched:
        total = sum(grades.scores.get((s, a), 0.0) for a in grades.assignments)
        print(f"UNMATCHED: {s} (total {_number(total)}): not in the mapping {mapping}", file=err)
    for s in p.absent:
        print(f"NO SUBMISSION: {s} (in the mapping, no submission in the gradebook)", file=err)
    for a in grades.assignments:
        waiting = sorted(s for s, b in grades.to_grade if b == a)
        if waiting:
            print(f"TO GRADE: {a}: {len(waiting)} submission(s) still need manual grading (formgrader), "
                  f"exported as they stand: {', '.join(waiting)}", file=err)
    print(summary(fmt, path, grades, p, mapping is not None))
    return 1 if p.unmatched else 0
