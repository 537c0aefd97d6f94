"""nbgrader end to end, in a throwaway course directory set up like the repository:
release, collect submissions, autograde, export grades, feedback, validate.

The submissions, built from the released notebook as students would:
    solved        every solution filled in                         -> full marks
    untouched     the release as handed out                        -> 0
    one_wrong     solved, but one function returns a wrong value   -> that exercise's points lost
    deleted_cell  one function solved, its test cell deleted       -> that exercise's points,
                  only if autograde puts the cell back (OverwriteCells.add_missing_cells)
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
from grader.release import ROOT

CONFIG = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()

# Appended to a solved function's cell: the same function, but every number it returns is
# doubled (for compute_cost: a cost twice too large). Wrong whatever the exercise returns.
BREAK_FUNCTION = '''

_right_{name} = {name}


def {name}(*args, **kwargs):
    def doubled(x):
        if isinstance(x, dict):
            return {{k: doubled(v) for k, v in x.items()}}
        if isinstance(x, (tuple, list)):
            return type(x)(doubled(v) for v in x)
        return 2 * x
    return doubled(_right_{name}(*args, **kwargs))
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
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1200,
    )
    if check:
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_cells(nb):
    return {grade_id(c): c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def calls(source, exercises):
    """For each exercise, the other exercises its solution uses (mentions by name)."""
    code = {e: solution_cells(source)[f"{e}-code"].source for e in exercises}
    return {e: {o for o in exercises if o != e and re.search(rf"\b{o}\b", code[e])} for e in exercises}


def submit(course, student, assignment, nb):
    path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(assignment, tmp_path_factory):
    """A course with the assignment released, four submissions autograded, grades exported,
    feedback generated and both notebooks validated. Returns its folder, the points per
    exercise, the exercise one_wrong got wrong, the test cell deleted_cell deleted, and the
    two `nbgrader validate` runs."""
    course = tmp_path_factory.mktemp(f"course-{assignment}")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    nbgrader("generate_assignment", assignment, cwd=course)
    solution = f"solutions/{assignment}/{assignment}.ipynb"
    release = f"notebooks/{assignment}/{assignment}.ipynb"

    source = nbformat.read(course / solution, as_version=4)
    points = {e.id: e.points for e in grader.exercises() if e.notebook == assignment}
    uses = calls(source, list(points))
    # Break a function no other exercise uses, or other grades would drop with it; solve
    # alone a function that uses no other, or it would fail on their skeletons.
    unused = [e for e in points if not any(e in used for used in uses.values())]
    standalone = [e for e in points if not uses[e]]
    assert unused and standalone, f"the exercises all depend on each other: {uses}"
    wrong = "compute_cost" if "compute_cost" in unused else unused[-1]
    deleted = standalone[0]

    def solved(only=None):
        nb = nbformat.read(course / release, as_version=4)
        for gid, cell in solution_cells(nb).items():
            if only is None or gid == f"{only}-code":
                cell.source = solution_cells(source)[gid].source
        return nb

    submit(course, "solved", assignment, solved())
    submit(course, "untouched", assignment, nbformat.read(course / release, as_version=4))
    one_wrong = solved()
    solution_cells(one_wrong)[f"{wrong}-code"].source += BREAK_FUNCTION.format(name=wrong)
    submit(course, "one_wrong", assignment, one_wrong)
    deleted_cell = solved(only=deleted)
    deleted_cell.cells = [c for c in deleted_cell.cells if grade_id(c) != deleted]
    submit(course, "deleted_cell", assignment, deleted_cell)

    # Validating touches no gradebook, so it runs beside autograding (all students in one
    # call): the slow part is kernels running notebooks, and CI has two cores.
    with ThreadPoolExecutor() as pool:
        validations = {
            "solution": pool.submit(nbgrader, "validate", solution, cwd=course, check=False),
            "release": pool.submit(nbgrader, "validate", "--invert", release, cwd=course, check=False),
        }
        nbgrader("autograde", assignment, cwd=course)
        validated = {name: future.result() for name, future in validations.items()}
    nbgrader("export", "--to", "grades.csv", cwd=course)
    nbgrader("generate_feedback", assignment, cwd=course)
    return SimpleNamespace(course=course, points=points, wrong=wrong, deleted=deleted, validated=validated)


def expected_totals(graded):
    """(maximum score, each student's expected score)."""
    total = sum(graded.points.values())
    return total, {
        "solved": total,
        "untouched": 0,
        "one_wrong": total - graded.points[graded.wrong],
        "deleted_cell": graded.points[graded.deleted],
    }


def test_scores_per_test_cell(graded, assignment):
    points = graded.points
    expected = {
        "solved": points,
        "untouched": dict.fromkeys(points, 0),
        "one_wrong": {**points, graded.wrong: 0},
        "deleted_cell": {e: points[e] if e == graded.deleted else 0 for e in points},
    }
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}", CONFIG.CourseDirectory.course_id) as gb:
        for student, scores in expected.items():
            nb = gb.find_submission_notebook(assignment, assignment, student)
            got = {grade.name: grade.score for grade in nb.grades}
            assert got == scores, f"{student} (broken: {graded.wrong}, deleted: {graded.deleted})"


def test_deleted_test_cell_is_put_back_and_run(graded, assignment):
    path = graded.course / "autograded" / "deleted_cell" / assignment / f"{assignment}.ipynb"
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


def test_validate_passes_on_the_solution(graded):
    done = graded.validated["solution"]
    assert done.returncode == 0, done.stderr
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout


def test_validate_invert_passes_on_the_release(graded):
    done = graded.validated["release"]
    assert done.returncode == 0, done.stderr
    assert "Success! The notebook does not pass any tests." in done.stdout, done.stdout
