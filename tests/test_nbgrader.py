"""nbgrader end to end, in throwaway courses set up like the repository, holding every
assignment: release, collect submissions, autograde, export grades, feedback, validate.

For each assignment, three students submit, each building on the released notebook:
    solved     every solution filled in, one test cell deleted      -> full marks, only if
               autograde puts the cell back (OverwriteCells.add_missing_cells)
    untouched  the release as handed out                            -> 0
    one_wrong  solved, but one function returns a wrong value       -> that exercise's points lost
"""
import csv
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config.loader import PyFileConfigLoader

import grader
from grader.release import ROOT, assignments

CONFIG = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()

# Appended to a solved function's cell: the same function, but every number it returns is
# one larger (for compute_cost: a cost 1 too large; for a network's parameters, every weight
# shifted, which no construction survives, while doubling them all can leave a ReLU network
# right) and every string longer. Wrong whatever the exercise returns.
BREAK_FUNCTION = '''

_right_{name} = {name}


def {name}(*args, **kwargs):
    def shifted(x):
        if isinstance(x, dict):
            return {{k: shifted(v) for k, v in x.items()}}
        if isinstance(x, (tuple, list)):
            return type(x)(shifted(v) for v in x)
        if isinstance(x, str):
            return x + "?"
        return x + 1
    return shifted(_right_{name}(*args, **kwargs))
'''


def nbgrader(*args, cwd, check=True):
    """Run an nbgrader command as an instructor would. Its (chatty) output is captured: the
    completed process is returned, and shown if ``check`` and the command failed."""
    env = dict(
        os.environ,
        # nbgrader creates gradebooks by running `alembic` from PATH, and finds kernels by
        # name: both must come from this environment even when it is not activated.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        JUPYTER_PATH=os.pathsep.join(
            filter(None, [str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")])
        ),
        # An instructor's own ~/.jupyter/nbgrader_config.py must not change the test course.
        JUPYTER_CONFIG_DIR=str(cwd / ".jupyter"),
        # Several kernels run at once (below); multi-threaded BLAS on small matrices then
        # only fights over the cores (several times slower on a 2-core machine).
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
    )
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=3600,
    )
    if check:
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_cells(nb):
    return {grade_id(c): c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def calls(source, exercises):
    """For each exercise, the other exercises its solution uses (by name)."""
    code = {e: solution_cells(source)[f"{e}-code"].source for e in exercises}
    return {e: {o for o in exercises if o != e and re.search(rf"\b{o}\b", code[e])} for e in exercises}


def submit_all(course, assignment):
    """The three students submit the assignment. Returns the points per exercise, the
    function one_wrong broke and the test cell solved deleted."""
    source = nbformat.read(course / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    release = course / "notebooks" / assignment / f"{assignment}.ipynb"
    points = {e.id: e.points for e in grader.exercises() if e.notebook == assignment}
    functions = [e.id for e in grader.exercises() if e.notebook == assignment and e.kind == "function"]
    # Break a function no other exercise uses, or other grades would drop with it.
    uses = calls(source, functions)
    unused = [e for e in functions if not any(e in used for used in uses.values())]
    assert unused, f"{assignment}: every exercise is used by another: {uses}"
    wrong = "compute_cost" if "compute_cost" in unused else unused[-1]
    deleted = next(iter(points))

    def solved():
        nb = nbformat.read(release, as_version=4)
        for gid, cell in solution_cells(nb).items():
            cell.source = solution_cells(source)[gid].source
        return nb

    submissions = {"solved": solved(), "untouched": nbformat.read(release, as_version=4), "one_wrong": solved()}
    submissions["solved"].cells = [c for c in submissions["solved"].cells if grade_id(c) != deleted]
    solution_cells(submissions["one_wrong"])[f"{wrong}-code"].source += BREAK_FUNCTION.format(name=wrong)
    for student, nb in submissions.items():
        path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    return SimpleNamespace(points=points, wrong=wrong, deleted=deleted)


def validate(course, assignment, kind):
    """`nbgrader validate` of the solution, or `nbgrader validate --invert` of the release."""
    if kind == "solution":
        return nbgrader("validate", f"solutions/{assignment}/{assignment}.ipynb", cwd=course, check=False)
    return nbgrader("validate", "--invert", f"notebooks/{assignment}/{assignment}.ipynb", cwd=course, check=False)


# Every other assignment, from the first; tests/test_nbgrader_lane2.py takes the others, in a
# course of its own, so that pytest-xdist grades the two courses side by side (conftest.py).
LANE, LANES = 0, 2


def build_course(course, names):
    """A course after the whole term, for the assignments ``names``: every nbgrader command
    runs once for all of them (nbgrader is slow to start). Returns its folder, what was
    submitted for each assignment (submit_all) and the validations of each solution and
    release."""
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for a in names:
        shutil.copytree(ROOT / "solutions" / a, course / "solutions" / a)
    nbgrader("generate_assignment", "*", cwd=course)
    submitted = {a: submit_all(course, a) for a in names}

    # Validating touches no gradebook, so it runs beside autograding: the slow part is
    # kernels running notebooks.
    with ThreadPoolExecutor(max_workers=1) as pool:
        runs = {
            (a, kind): pool.submit(validate, course, a, kind) for a in submitted for kind in ("solution", "release")
        }
        nbgrader("autograde", "*", cwd=course)  # every student, every assignment
        validated = {key: run.result() for key, run in runs.items()}
    nbgrader("export", "--to", "grades.csv", cwd=course)
    nbgrader("generate_feedback", "*", cwd=course)
    return SimpleNamespace(path=course, submitted=submitted, validated=validated)


@pytest.fixture(scope="module")
def course(request, tmp_path_factory):
    """The course of the module's lane of the assignments (the tests' own module's LANE)."""
    lane = request.module.LANE
    return build_course(tmp_path_factory.mktemp(f"course-{lane}"), assignments()[lane::LANES])


@pytest.fixture
def graded(course, assignment):
    """The course folder, and what was submitted for this assignment."""
    return SimpleNamespace(course=course.path, **vars(course.submitted[assignment]))


def expected_totals(graded):
    """(maximum score, each student's expected score)."""
    total = sum(graded.points.values())
    return total, {
        "solved": total,
        "untouched": 0,
        "one_wrong": total - graded.points[graded.wrong],
    }


def test_scores_per_test_cell(graded, assignment):
    points = graded.points
    expected = {
        "solved": points,
        "untouched": dict.fromkeys(points, 0),
        "one_wrong": {**points, graded.wrong: 0},
    }
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}", CONFIG.CourseDirectory.course_id) as gb:
        for student, scores in expected.items():
            nb = gb.find_submission_notebook(assignment, assignment, student)
            got = {grade.name: grade.score for grade in nb.grades}
            assert got == scores, f"{student} (broken: {graded.wrong}, deleted: {graded.deleted})"


def test_deleted_test_cell_is_put_back_and_run(graded, assignment):
    path = graded.course / "autograded" / "solved" / assignment / f"{assignment}.ipynb"
    cell = next((c for c in nbformat.read(path, as_version=4).cells if grade_id(c) == graded.deleted), None)
    assert cell is not None, f"autograde did not put back the deleted test cell {graded.deleted}"
    assert "was missing from the submission" in cell.source
    assert cell.outputs and not any(o.output_type == "error" for o in cell.outputs)


def test_exported_grades(graded, assignment):
    total, expected = expected_totals(graded)
    with open(graded.course / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f) if row["assignment"] == assignment}
    assert rows.keys() == expected.keys()
    for student, score in expected.items():
        assert float(rows[student]["score"]) == score, student
        assert float(rows[student]["max_score"]) == total, student


def test_feedback_shows_each_student_their_score(graded, assignment):
    total, expected = expected_totals(graded)
    for student, score in expected.items():
        html = graded.course / "feedback" / student / assignment / f"{assignment}.html"
        assert html.is_file(), f"no feedback for {student}"
        assert f"{assignment} (Score: {score:.1f} / {total:.1f})" in html.read_text("utf-8"), student


def test_validate_passes_on_the_solution(course, assignment):
    done = course.validated[assignment, "solution"]
    assert done.returncode == 0, done.stderr
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout


def test_validate_invert_passes_on_the_release(course, assignment):
    done = course.validated[assignment, "release"]
    assert done.returncode == 0, done.stderr
    assert "Success! The notebook does not pass any tests." in done.stdout, done.stdout
