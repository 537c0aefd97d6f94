"""Each notebook run top to bottom, as a student would: the solution passes every check;
the untouched release fails every check with a short "not implemented yet"."""
import re
from pathlib import Path

import grader
from grader.execute import error, stream, traceback_text

GRADER_DIR = Path(grader.__file__).resolve().parent
MAX_TRACEBACK_LINES = 12


def graded_cells(nb):
    """(exercise id, cell) of each autograded test cell, in notebook order."""
    return [
        (c.metadata.nbgrader["grade_id"], c)
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    ]


def describe(i, cell):
    return f"cell {i}:\n{cell.source}\n" + (traceback_text(error(cell)) if error(cell) else "")


def test_solution_runs_without_error(executed_solution):
    failing = [describe(i, c) for i, c in enumerate(executed_solution.cells) if error(c)]
    assert not failing, "\n\n".join(failing)


def test_solution_passes_every_check(executed_solution):
    cells = graded_cells(executed_solution)
    assert cells, "no graded cells"
    for exercise, cell in cells:
        assert error(cell) is None, f"{exercise}: {traceback_text(error(cell))}"
        if cell.source.startswith("answer("):  # a question's graded cell: the answer is right
            assert stream(cell).startswith(f"\u2714 {exercise}: right."), f"{exercise}: {stream(cell)!r}"
            continue
        # one success line per check() call: the public and the hidden checks
        success = re.compile(rf"\b{exercise} passed\b")
        lines = [line for line in stream(cell).splitlines() if success.search(line)]
        assert cell.source.count("check(") >= 1, f"{exercise}: a graded cell without a check"
        assert len(lines) == cell.source.count("check("), f"{exercise}: printed {stream(cell)!r}"


def test_solution_writes_nothing_to_stderr(executed_solution):
    # nbgrader gives 0 points to a graded cell with any stderr output, so none is tolerated
    # anywhere: a warning in an earlier cell can move to a graded cell after an edit.
    cells = enumerate(executed_solution.cells)
    noisy = [f"cell {i}: {stream(c, 'stderr')!r}" for i, c in cells if stream(c, "stderr")]
    assert not noisy, "\n".join(noisy)


def test_release_checks_fail_as_not_implemented(executed_release):
    cells = graded_cells(executed_release)
    assert cells, "no graded cells"
    for exercise, cell in cells:
        err = error(cell)
        assert err is not None, f"{exercise}: the check passed on the unimplemented skeleton"
        text = traceback_text(err)
        assert err.ename == "CheckFailed", f"{exercise}: expected CheckFailed, got\n{text}"
        expected = "not answered yet" if cell.source.startswith("answer(") else "not implemented yet"
        assert expected in err.evalue, f"{exercise}: not {expected!r}:\n{text}"
        assert len(text.splitlines()) <= MAX_TRACEBACK_LINES, f"{exercise}: long traceback:\n{text}"
        frame = re.compile(rf"File {re.escape(str(GRADER_DIR))}\b")
        internal = [line for line in text.splitlines() if frame.search(line)]
        assert not internal, f"{exercise}: traceback shows grader internals {internal}:\n{text}"


def test_release_fails_only_with_one_line_messages(executed_release):
    """Run All on the untouched student notebook: every failing cell, check or demo, says in
    one line what to do (a demo names the exercises it needs: grader.needs), and nothing
    but CheckFailed or NotImplementedError is raised (no traceback, no widget error)."""
    bad = []
    for i, cell in enumerate(executed_release.cells):
        err = error(cell)
        if err is None:
            continue
        text = traceback_text(err)
        if err.ename not in ("CheckFailed", "NotImplementedError") or len(text.splitlines()) > 1:
            bad.append(f"cell {i} ({err.ename}, {len(text.splitlines())} lines):\n{cell.source[:300]}\n{text}")
    assert not bad, "\n\n".join(bad)


def test_release_set_up_cells_run(executed_release):
    # Everything before the first exercise (imports, data loading) must work in the student
    # copy: only the student's unwritten functions may fail.
    cells = executed_release.cells
    first = next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("solution"))
    failing = [describe(i, c) for i, c in enumerate(cells[:first]) if error(c)]
    assert not failing, "\n\n".join(failing)
