"""Release the student notebooks: ``python -m grader.release`` (what ``make release`` runs).

Every ``solutions/NN-name/`` becomes ``notebooks/NN-name/`` through nbgrader's
generate_assignment, configured by the course's ``nbgrader_config.py``: solutions become
``raise NotImplementedError()`` stubs, hidden tests and outputs are removed, graded cells
are locked and checksummed. The same sources always give byte-identical notebooks, so the
released copies can be committed and checked (tests/test_release.py).

    python -m grader.release                    # into notebooks/
    python -m grader.release --into /tmp/x      # anywhere else, e.g. to compare
    python -m grader.release 01-building-blocks # only some assignments
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import capture_log
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["assignments", "release"]


def assignments(root=ROOT):
    """The assignment ids, in order: the folders of ``solutions/`` that hold a notebook."""
    return sorted({nb.parent.name for nb in (Path(root) / "solutions").glob("*/*.ipynb")})


def release(into=None, only=None):
    """Generate the student version of each assignment (all, or those named in ``only``).

    Returns the released notebook paths. Raises ``RuntimeError`` with nbgrader's log if
    nbgrader fails (e.g. a solution region outside a solution cell).
    """
    _put_this_python_first_on_path()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    course = config.CourseDirectory
    into = Path(into or ROOT / course.release_directory).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        # nbgrader records every release in a gradebook; a throwaway one keeps the repo clean
        # and makes each release start from nothing, whatever was released before.
        course.root = scratch
        course.source_directory = str(ROOT / course.source_directory)
        course.release_directory = str(into)
        coursedir = CourseDirectory(config=config)
        for assignment in only or assignments():
            coursedir.assignment_id = assignment
            converter = GenerateAssignment(coursedir=coursedir, config=config)
            converter.force = True  # replace notebooks/NN-name/ entirely
            result = capture_log(converter)
            if not result["success"]:
                raise RuntimeError(
                    f"nbgrader generate_assignment {assignment} failed:\n"
                    f"{result.get('log', '')}{result.get('error', '')}"
                )
    return sorted(nb for a in only or assignments() for nb in (into / a).glob("*.ipynb"))


class AnswerStubs(NbGraderPreprocessor):
    """A question's answer cell, released: ``answer("qNN-name", ...)`` with the ... to
    replace, rather than nbgrader's ``raise NotImplementedError()`` stub, so that Run All
    on the student's copy says in one line what to do (grader/questions.py). Runs after
    ClearSolutions (nbgrader_config.py)."""

    def preprocess_cell(self, cell, resources, index):
        from . import registry

        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        questions = {q.id for q in registry.questions()}
        if cell.cell_type == "code" and grade_id.endswith("-code") and grade_id[:-5] in questions:
            cell.source = f'answer("{grade_id[:-5]}", ...)  # your answer in place of ...'
        return cell, resources


def _put_this_python_first_on_path():
    """nbgrader creates a gradebook by running the ``alembic`` command found on PATH, which
    is missing when the course's .venv is used without being activated (``make release``)."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.release", description=__doc__.split("\n")[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all of solutions/)")
    parser.add_argument("--into", type=Path, help="release directory (default: notebooks/)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.assignments) - set(assignments()))
    if unknown:
        parser.error(f"no notebook in solutions/ for: {', '.join(unknown)}")
    try:
        released = release(args.into, args.assignments)
    except RuntimeError as e:  # nbgrader's own explanation is all the instructor needs
        sys.exit(str(e))
    for nb in released:
        print(f"released {nb.relative_to(Path.cwd()) if nb.is_relative_to(Path.cwd()) else nb}")


if __name__ == "__main__":
    sys.exit(main())
