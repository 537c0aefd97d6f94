"""`python -m grader export`: gradebook upload files for Canvas, Moodle and a spreadsheet, from
nbgrader's gradebook, built here with nbgrader's own API (no grading run): a manual grade
over an automatic one, late penalties (one assigned by the autograder's merge from the
course's due date and LateSubmissionPlugin settings), a student without a mapping, a mapped
student without a submission. Every file is read back with the csv module.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from grader.instructor.autograde import Course, Row, _merge, create_gradebook

A, B = "01-a", "02-b"
CELLS = {A: {"e1": 2.0, "e2": 3.0}, B: {"f1": 4.0}}
DUE = datetime(2026, 12, 1, 12, 0, 0)
MAPPING = ("student_id,lms_id,name,section,email,sis_user_id\n"
           "ada,ada.l,\"Lovelace, Ada\",S1,ada@uni.example,1001\n"
           "bob,bob.b,,S2,,\n"
           "cy,cy.c,Cy,S1,cy@uni.example,\n"
           "eve,eve.e,Eve,S2,eve@uni.example,\n")  # eve never submitted; dan has no line


def _config(penalty_zero: bool) -> str:
    text = 'c = get_config()\nc.CourseDirectory.course_id = "course"\n'
    return text + ('c.LateSubmissionPlugin.penalty_method = "zero"\n' if penalty_zero else "")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course whose gradebook holds two assignments:

    01-a (5 points, due DUE; penalty "zero" for late work), merged by the autograder:
        ada 5 (on time; e2 then regraded by hand from 3 to 1: 3), bob 5 but a day late (0),
        cy 2, dan 5 (not in the mapping)
    02-b (4 points): ada 2.5 with a late penalty of 0.5 set in formgrader's way (2),
        bob 4 still waiting for manual grading; cy and dan did not submit (0)
    """
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(_config(penalty_zero=True))
    (root / "ids.csv").write_text(MAPPING)
    from grader.instructor import worker
    from nbgrader.api import Gradebook

    worker.environment()
    create_gradebook(root / "gradebook.db")
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url, "course") as gb:
        for a, cells in CELLS.items():
            gb.update_or_create_assignment(a, duedate=DUE if a == A else None)
            gb.update_or_create_notebook(a, a)
            for name, points in cells.items():
                gb.update_or_create_grade_cell(name, a, a, max_score=points, cell_type="code")
        for s, first, last in (("ada", "Ada", "Lovelace"), ("bob", "Bob", "B"), ("cy", "", ""),
                               ("dan", "Dan", "D")):
            gb.update_or_create_student(s, first_name=first, last_name=last, email=f"{s}@nbgrader.example")
    times = {"ada": DUE - timedelta(hours=1), "bob": DUE + timedelta(days=1), "cy": DUE, "dan": DUE}
    for s, when in times.items():
        folder = root / "submitted" / s / A
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    scores = {"ada": {"e1": 2.0, "e2": 3.0}, "bob": {"e1": 2.0, "e2": 3.0}, "cy": {"e1": 2.0, "e2": 0.0},
              "dan": {"e1": 2.0, "e2": 3.0}}
    _merge(Course(root), A, [Row(s, sc) for s, sc in scores.items()])  # the autograder's writer
    with Gradebook(url, "course") as gb:
        grade = gb.find_grade("e2", A, A, "ada")
        grade.manual_score = 1.0  # formgrader: the instructor regrades a cell
        gb.add_submission(B, "ada")
        nb = gb.find_submission_notebook(B, B, "ada")
        nb.grades[0].auto_score, nb.grades[0].needs_manual_grade = 2.5, False
        nb.late_submission_penalty = 0.5
        gb.add_submission(B, "bob")
        nb = gb.find_submission_notebook(B, B, "bob")
        nb.grades[0].auto_score, nb.grades[0].needs_manual_grade = 4.0, True
        gb.db.commit()
    return root


# What each student should get: nbgrader's score (manual over auto) minus the late penalty.
EXPECTED = {("ada", A): "3", ("bob", A): "0", ("cy", A): "2", ("dan", A): "5",
            ("ada", B): "2", ("bob", B): "4", ("cy", B): "0", ("dan", B): "0"}


def run(course, *args):
    """`python -m grader export --course COURSE ARGS`, in this process (the command line's
    parser and main; starting Python again costs seconds)."""
    import contextlib
    import io
    import types

    from grader.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["export", "--course", str(course), *args])
        except SystemExit as e:  # argparse
            code = e.code
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_the_merge_assigns_nbgrader_late_penalties(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "course") as gb:
        assert gb.find_assignment(A).duedate == DUE  # kept: the merge does not clear it
        penalties = {s: gb.find_submission(A, s).late_submission_penalty for s in ("ada", "bob", "cy")}
    assert penalties == {"ada": 0.0, "bob": 5.0, "cy": 0.0}  # "zero": bob's whole score


def test_canvas(course, tmp_path):
    out = tmp_path / "canvas.csv"
    done = run(course, "--format", "canvas", "--all", "--mapping", str(course / "ids.csv"), "--out", str(out),
               "--column", f"{A}=Building blocks (4711)")
    assert done.returncode == 1, done.stderr  # 1: a student is unmatched (the file is written)
    header, points, *rows = read(out)
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Building blocks (4711)", B]
    assert points[0].strip() == "Points Possible" and points[1:] == ["", "", "", "", "5", "4"]
    by_login = {r[3]: r for r in rows}
    assert sorted(by_login) == ["ada.l", "bob.b", "cy.c", "eve.e"]  # dan: not guessed, not in the file
    assert by_login["ada.l"][:5] == ["Lovelace, Ada", "", "1001", "ada.l", "S1"]
    for student, login in (("ada", "ada.l"), ("bob", "bob.b"), ("cy", "cy.c")):
        assert by_login[login][5:] == [EXPECTED[(student, A)], EXPECTED[(student, B)]], student
    assert by_login["eve.e"][5:] == ["", ""]  # never submitted, unknown to the gradebook: left as is
    assert by_login["bob.b"][0] == "B, Bob"  # no name in the mapping: the gradebook's
    assert "UNMATCHED: dan" in done.stderr and "NO SUBMISSION: eve" in done.stderr
    assert f"TO GRADE: {B}: 1 submission(s)" in done.stderr and "bob" in done.stderr
    assert "1 student(s) without an LMS id (NOT in the file)" in done.stdout


def test_moodle(course, tmp_path):
    out = tmp_path / "moodle.csv"
    done = run(course, "--format", "moodle", "--assignment", A, "--mapping", str(course / "ids.csv"),
               "--out", str(out))
    assert done.returncode == 1, done.stderr
    header, *rows = read(out)
    assert header == ["ID number", "Email address", "Full name", A]
    by_id = {r[0]: r for r in rows}
    assert sorted(by_id) == ["ada.l", "bob.b", "cy.c", "eve.e"]
    assert by_id["ada.l"] == ["ada.l", "ada@uni.example", "Lovelace, Ada", EXPECTED[("ada", A)]]
    assert by_id["bob.b"][1] == "bob@nbgrader.example"  # no email in the mapping: the gradebook's
    assert by_id["bob.b"][3] == EXPECTED[("bob", A)] and by_id["cy.c"][3] == EXPECTED[("cy", A)]
    assert "UNMATCHED: dan" in done.stderr


def test_plain_csv_keeps_the_unmatched_with_an_empty_lms_id(course, tmp_path):
    out = tmp_path / "grades.csv"
    done = run(course, "--format", "csv", "--all", "--mapping", str(course / "ids.csv"), "--out", str(out))
    assert done.returncode == 1
    with open(out, newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == ["ada", "bob", "cy", "dan", "eve"]
    assert rows["dan"]["lms_id"] == "" and rows["ada"]["lms_id"] == "ada.l"
    for (student, a), value in EXPECTED.items():
        assert rows[student][a] == value, (student, a)
    assert rows["ada"]["total"] == "5" and rows["ada"]["max_total"] == "9"
    assert rows["eve"][A] == rows["eve"][B] == ""


def test_without_a_mapping_the_ids_are_nbgraders(course, tmp_path):
    done = run(course, "--format", "canvas", "--assignment", B, "--out", str(tmp_path / "c.csv"))
    assert done.returncode == 0, done.stderr
    assert "no --mapping: the LMS ids are the nbgrader student ids" in done.stdout
    _, _, *rows = read(tmp_path / "c.csv")
    assert {r[3]: r[5] for r in rows} == {s: EXPECTED[(s, B)] for s in ("ada", "bob", "cy", "dan")}


def test_what_goes_wrong_is_said_not_a_traceback(course, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("student,id\nada,1\n")
    for args, says in ((["--format", "canvas", "--all", "--mapping", str(bad)], "has no column student_id, lms_id"),
                       (["--format", "canvas", "--assignment", "nope"], "has no assignment nope"),
                       (["--format", "moodle", "--all", "--mapping", str(tmp_path / "none.csv")], "cannot read")):
        done = run(course, *args, "--out", str(tmp_path / "x.csv"))
        assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "nbgrader_config.py").write_text(_config(False))
    done = run(empty, "--format", "csv", "--all")
    assert done.returncode == 2 and "run `python -m grader autograde" in done.stderr


def test_the_same_scores_as_nbgrader_export(course, tmp_path):
    """Ours and `nbgrader export` (its CSV plugin) agree on every score: both subtract the
    late penalty."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "course") as gb:
        CsvExportPlugin(to=str(tmp_path / "nb.csv")).export(gb)
    with open(tmp_path / "nb.csv", newline="") as f:
        theirs = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(f)}
    assert {k: float(v) for k, v in EXPECTED.items()} == theirs


def test_the_command_line(course, tmp_path):
    """Once through `python -m grader export`, as an instructor types it."""
    done = subprocess.run([sys.executable, "-m", "grader", "export", "--format", "canvas", "--all",
                           "--mapping", "ids.csv", "--out", str(tmp_path / "up.csv")],
                          cwd=course, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "UNMATCHED: dan" in done.stderr, done.stderr
    assert "export: wrote" in done.stdout and len(read(tmp_path / "up.csv")) == 2 + 4


def test_a_rerun_keeps_what_graders_entered(course, tmp_path):
    """Grading again (a fixed check, a late submission) updates the automatic scores and keeps
    formgrader's manual scores and comments. A manual score over an automatic one that
    changed asks for a second look; over one that did not, it stays as the grader left it."""
    import shutil

    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    shutil.copytree(course, root)
    url = f"sqlite:///{root / 'gradebook.db'}"
    same = {"ada": {"e1": 2.0, "e2": 3.0}, "bob": {"e1": 2.0, "e2": 3.0}}
    with Gradebook(url, "course") as gb:  # the assignment gains a cell graders comment on
        gb.update_or_create_solution_cell("e2-answer", A, A)
    _merge(Course(root), A, [Row(s, sc) for s, sc in same.items()])
    with Gradebook(url, "course") as gb:
        gb.find_comment("e2-answer", A, A, "ada").manual_comment = "see the 1/m"
        gb.db.commit()
    _merge(Course(root), A, [Row(s, sc) for s, sc in same.items()])
    with Gradebook(url, "course") as gb:
        e2 = gb.find_grade("e2", A, A, "ada")
        assert (e2.auto_score, e2.manual_score, e2.needs_manual_grade) == (3.0, 1.0, False)
        assert gb.find_comment("e2-answer", A, A, "ada").manual_comment == "see the 1/m"
        assert gb.find_submission(A, "bob").late_submission_penalty == 5.0  # still a day late
    done = run(root, "--format", "csv", "--assignment", A, "--out", str(tmp_path / "g.csv"))
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "g.csv", newline="") as f:
        assert {r["student_id"]: r[A] for r in csv.DictReader(f)} == {s: EXPECTED[(s, A)] for s in
                                                                     ("ada", "bob", "cy", "dan")}
    _merge(Course(root), A, [Row("ada", {"e1": 2.0, "e2": 0.0})])  # the check now fails ada's e2
    with Gradebook(url, "course") as gb:
        e2 = gb.find_grade("e2", A, A, "ada")
        assert (e2.auto_score, e2.manual_score, e2.needs_manual_grade) == (0.0, 1.0, True)
        assert gb.find_grade("e1", A, A, "ada").needs_manual_grade is False
        assert gb.find_submission(A, "ada").score == 3.0  # the manual score still counts
        gb.update_or_create_grade_cell("e3", A, A, max_score=1.0, cell_type="code")  # a new exercise
    _merge(Course(root), A, [Row("ada", {"e1": 2.0, "e2": 0.0, "e3": 1.0})])
    with Gradebook(url, "course") as gb:
        assert gb.find_grade("e3", A, A, "ada").auto_score == 1.0
        assert gb.find_grade("e2", A, A, "ada").manual_score == 1.0
