"""The committed notebooks: notebooks/ is exactly what `make release` makes of solutions/,
nothing is committed with outputs, and the graded cells agree with the grader's registry."""
import re

import nbformat
import pytest

import grader
from grader.release import ROOT, assignments, release

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
STALE = "run `make release`"


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    """Every assignment released again, into a temporary directory."""
    into = tmp_path_factory.mktemp("release")
    release(into)
    return into


def files_under(folder):
    return {p.relative_to(folder): p for p in sorted(folder.rglob("*")) if p.is_file()}


def nbgrader_cells(nb):
    """(cell, its nbgrader metadata) for each cell nbgrader knows about."""
    return [(c, c.metadata.nbgrader) for c in nb.cells if "nbgrader" in c.metadata]


def test_the_course_has_assignments():
    # Without this, an empty or misnamed solutions/ would skip every per-assignment test.
    assert assignments(), "no solutions/NN-name/NN-name.ipynb found"


def test_one_notebook_per_assignment_folder(assignment):
    notebooks = sorted(p.name for p in (ROOT / "solutions" / assignment).glob("*.ipynb"))
    assert notebooks == [f"{assignment}.ipynb"]


def test_released_notebooks_are_in_sync_with_solutions(assignment, fresh_release):
    committed, fresh = ROOT / "notebooks" / assignment, fresh_release / assignment
    assert committed.is_dir(), f"notebooks/{assignment} is missing: {STALE}"
    assert files_under(committed).keys() == files_under(fresh).keys(), STALE

    for name, path in files_under(fresh).items():
        if path.suffix == ".ipynb":
            want = nbformat.read(path, as_version=4)
            got = nbformat.read(committed / name, as_version=4)
            assert got.metadata == want.metadata, f"{name}: notebook metadata differ; {STALE}"
            assert len(got.cells) == len(want.cells), f"{name}: cells added or removed; {STALE}"
            for i, (g, w) in enumerate(zip(got.cells, want.cells)):
                for key in ("cell_type", "source", "metadata"):
                    assert g[key] == w[key], f"{name} cell {i}: {key} differs; {STALE}"
        # Byte for byte too: a release re-saved by hand (JupyterLab reformats, adds
        # metadata) is not what `make release` produces.
        assert (committed / name).read_bytes() == path.read_bytes(), f"{name} differs; {STALE}"


def test_no_released_notebook_without_a_solution():
    released = {p.parent.name for p in (ROOT / "notebooks").glob("*/*.ipynb")}
    assert released <= set(assignments()), "notebooks/ has folders with no solutions/ source"


def test_release_is_deterministic(fresh_release, tmp_path):
    release(tmp_path)
    first, second = files_under(fresh_release), files_under(tmp_path)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), f"{name} changed"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_committed_notebooks_have_no_outputs(assignment, folder):
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    dirty = [i for i, c in code if c.outputs or c.execution_count is not None]
    assert not dirty, f"{folder}/{assignment}: cells {dirty} have outputs or execution counts"


def test_graded_cells_match_the_registry(assignment, solution_notebook):
    nb = nbformat.read(solution_notebook, as_version=4)
    registered = {e.id: e.points for e in grader.exercises() if e.notebook == assignment}
    assert registered, f"grader.exercises() lists nothing for notebook {assignment!r}"

    ids = [meta["grade_id"] for _, meta in nbgrader_cells(nb)]
    assert len(ids) == len(set(ids)), f"duplicate grade_ids: {sorted({i for i in ids if ids.count(i) > 1})}"

    graded = {meta["grade_id"]: meta for _, meta in nbgrader_cells(nb) if meta.get("grade")}
    solutions = {meta["grade_id"] for _, meta in nbgrader_cells(nb) if meta.get("solution")}
    assert graded.keys() == registered.keys(), "graded cells and registered exercises differ"
    for exercise, points in registered.items():
        meta = graded[exercise]
        assert meta["points"] == points, f"{exercise}: {meta['points']} points here, {points} registered"
        assert meta.get("locked") and not meta.get("solution"), f"{exercise}: test cell must be locked"
        assert f"{exercise}-code" in solutions, f"{exercise}: no solution cell {exercise}-code"


def test_a_deleted_test_cell_can_be_put_back(solution_notebook):
    # nbgrader 0.9.6 (OverwriteCells.add_missing_cells) re-inserts a deleted test cell after
    # the nbgrader cell before it in the source, looked up among the submission's grade and
    # solution cells only: after a read-only cell, autograding that student crashes.
    cells = nbgrader_cells(nbformat.read(solution_notebook, as_version=4))
    for (_, before), (_, meta) in zip(cells, cells[1:]):
        if meta.get("grade"):
            assert before.get("grade") or before.get("solution"), (
                f"test cell {meta['grade_id']} follows read-only cell {before['grade_id']}"
            )


def test_test_cells_run_public_then_hidden_checks(solution_notebook):
    """An exercise's test cell: its public check, then its hidden one. A question's: only
    answer("<id>"), which checks the answer given in the cell before (judged again outside
    the sandbox when autograding)."""
    questions = {q.id for q in grader.registry.questions()}
    for cell, meta in nbgrader_cells(nbformat.read(solution_notebook, as_version=4)):
        if meta.get("grade"):
            e = meta["grade_id"]
            if e in questions:
                assert cell.source == f'answer("{e}")', f"{e}: a question's test cell is answer(\"{e}\")"
                continue
            public = rf'check\("{e}", {e}\)'
            hidden = rf'### BEGIN HIDDEN TESTS\s+check\("{e}", {e}, hidden=True\)\s+### END HIDDEN TESTS'
            assert re.search(public, cell.source), f"{e}: test cell lacks its public check"
            assert re.search(hidden, cell.source), f"{e}: test cell lacks its hidden check"


def test_released_notebook_gives_nothing_away(released_notebook):
    for i, cell in enumerate(nbformat.read(released_notebook, as_version=4).cells):
        if cell.cell_type == "code":
            for marker in MARKERS:
                assert marker not in cell.source, f"cell {i} of the release contains {marker!r}"
            assert "hidden=True" not in cell.source, f"cell {i} of the release runs hidden checks"
