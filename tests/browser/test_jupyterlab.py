"""The course in a real JupyterLab, driven through headless Chromium (issue 10).

- every solution notebook: Run All Cells, then no error output, every figure rendered,
  every ipywidgets control rendered and live (changing it redraws its figure), each check
  cell shows its "✔ ... passed" lines;
- every released student notebook, run cell by cell: each check cell shows the short
  "CheckFailed: ... is not implemented yet" (or "not answered yet"), not a traceback wall;
- the instructor's view: nbgrader's Formgrader lists the assignments and their notebooks.

Slow (a minute or more per notebook on 2 cores), so not in `make test`: `make test-browser`.
"""
import re
import time

import nbformat
import pytest

from grader.registry import questions
from grader.release import ROOT

from .lab import (
    CONTROL,
    ERROR_OUTPUT,
    cells,
    change_control,
    error_texts,
    hide_file_browser,
    expected_outputs,
    open_notebook,
    output_signature,
    output_text,
    rendered_images,
    run_all_cells,
    run_cells_one_by_one,
    run_command,
    wait_kernel_idle,
)

pytestmark = pytest.mark.browser

RELEASED = sorted(nb.parent.name for nb in (ROOT / "notebooks").glob("*/*.ipynb"))
MAX_ERROR_LINES = 12  # as tests/test_notebooks.py: a short message, not a traceback wall
WIDGET_UPDATE_SECONDS = 90


def graded_cells(nb):
    """(index, exercise id, cell) of each autograded check cell."""
    return [
        (i, c.metadata.nbgrader["grade_id"], c)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    ]


def test_solution_in_jupyterlab(assignment, executed_solution, lab, page, screenshots, record_property):
    """Run All Cells on the solution: no errors, all figures and widgets, live widgets."""
    expected = expected_outputs(executed_solution)  # the same notebook run headless (nbclient)
    open_notebook(page, lab, f"solutions/{assignment}/{assignment}.ipynb")
    seconds = run_all_cells(page)
    record_property("run_all_seconds", round(seconds, 1))

    errors = error_texts(page)
    assert not errors, f"{len(errors)} error output(s):\n\n" + "\n\n".join(errors)

    dom_cells = cells(page)
    assert dom_cells.count() == len(executed_solution.cells)
    checks = graded_cells(executed_solution)
    assert checks, "no check cells"
    for i, exercise, cell in checks:
        shown = output_text(dom_cells.nth(i))
        passed = [line for line in shown.splitlines() if re.match(rf"✔ {exercise} passed\b", line.strip())]
        assert len(passed) == cell.source.count("check("), f"check cell {exercise} shows {shown!r}"

    figures = rendered_images(page)
    assert figures >= max(expected["figures"], 1), (
        f"{figures} figures rendered in JupyterLab, {expected['figures']} produced headless"
    )

    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    controls = notebook.locator(CONTROL)
    assert controls.count() >= expected["controls"], (
        f"{controls.count()} widget controls rendered, {expected['controls']} created headless"
    )
    broken = notebook.get_by_text(re.compile("Error displaying widget|Loading widget"))
    assert broken.count() == 0, broken.all_inner_texts()

    # Live widgets: change one control of each interact (a slider where there is one) and
    # wait for the kernel to redraw that interact's figure.
    interacts = notebook.locator(".widget-interact")
    assert interacts.count() >= (1 if expected["controls"] else 0), "no interactive widget rendered"
    changed = []
    for k in range(interacts.count()):
        interact = interacts.nth(k)
        output = interact.locator(".widget-output").first
        sliders = interact.locator(".widget-slider")
        control = sliders.first if sliders.count() else interact.locator(CONTROL).first
        control.scroll_into_view_if_needed()
        before = output_signature(output)
        had_image = output.locator("img").count() > 0
        action = change_control(control)
        deadline = time.monotonic() + WIDGET_UPDATE_SECONDS
        while True:
            after = output_signature(output)
            has_image = output.locator("img").count() > 0
            if after != before and (has_image or not had_image):
                break
            assert time.monotonic() < deadline, f"interact {k}: {action}, but its output did not change"
            page.wait_for_timeout(250)
        wait_kernel_idle(page)
        if had_image:
            assert [s for s in after if s.startswith("data:image/png")] != [
                s for s in before if s.startswith("data:image/png")
            ], f"interact {k}: {action}, but the figure is the same"
        changed.append(action)
    errors = error_texts(page)
    assert not errors, "errors after moving the widgets:\n\n" + "\n\n".join(errors)
    record_property("widgets_changed", changed)

    hide_file_browser(page)
    # the screenshot shows the (last) interactive figure, or the top of the notebook
    if interacts.count():
        interacts.last.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"solution-{assignment}.png")


@pytest.mark.parametrize("released", RELEASED)
def test_release_in_jupyterlab(released, lab, page, screenshots, record_property):
    """The student's notebook, run cell by cell: set-up cells work, each check cell says
    "not implemented yet" (an exercise) or "not answered yet" (a question) in a few lines."""
    nb = nbformat.read(lab.root / "notebooks" / released / f"{released}.ipynb", as_version=4)
    open_notebook(page, lab, f"notebooks/{released}/{released}.ipynb")
    record_property("run_seconds", round(run_cells_one_by_one(page), 1))

    dom_cells = cells(page)
    assert dom_cells.count() >= len(nb.cells)  # Shift+Enter on the last cell adds an empty one
    first_exercise = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    for i in range(first_exercise):
        errors = dom_cells.nth(i).locator(ERROR_OUTPUT).all_inner_texts()
        assert not errors, f"set-up cell {i} failed:\n" + "\n".join(errors)

    checks = graded_cells(nb)
    assert checks, "no check cells"
    asked = {q.id for q in questions()}
    for i, exercise, _ in checks:
        errors = dom_cells.nth(i).locator(ERROR_OUTPUT).all_inner_texts()
        assert len(errors) == 1, f"check cell {exercise}: {len(errors)} error outputs: {errors}"
        text = errors[0].strip()
        expected = "is not answered yet" if exercise in asked else "is not implemented yet"
        assert re.search(rf"CheckFailed: .*{exercise}.*{expected}", text), f"check cell {exercise} shows:\n{text}"
        assert len(text.splitlines()) <= MAX_ERROR_LINES, f"check cell {exercise}: long traceback:\n{text}"

    hide_file_browser(page)
    dom_cells.nth(checks[0][0]).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"release-{released}.png")


def exactly(text):
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def test_formgrader_lists_assignments(lab, page, screenshots):
    """The instructor opens Formgrader in JupyterLab: every assignment of solutions/ is there,
    and each one's notebook."""
    assignments = sorted(p.name for p in (lab.root / "solutions").iterdir() if list(p.glob("*.ipynb")))
    lab.generate_gradebook(assignments)
    page.goto(lab.lab_url())
    page.wait_for_function("() => window.jupyterapp && document.querySelector('#jp-main-dock-panel')")
    run_command(page, "nbgrader:open-formgrader", "Formgrader")
    frame = page.frame_locator("iframe[src*='formgrader']").first
    table = frame.locator("table.dataTable").first
    for a in assignments:  # Manage Assignments: one row per assignment, its name a link
        table.locator("a", has_text=exactly(a)).wait_for()
    hide_file_browser(page)
    table.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "formgrader-assignments.png")

    # Manual Grading: the assignments again; one of them -> its notebooks
    frame.get_by_role("link", name="Manual Grading").click()
    table = frame.locator("table.dataTable").first
    for a in assignments:
        table.locator("a", has_text=exactly(a)).wait_for()
    table.locator("a", has_text=exactly(assignments[0])).click()
    frame.get_by_text("Notebook ID", exact=False).first.wait_for()  # the notebooks' table
    for nb in (lab.root / "solutions" / assignments[0]).glob("*.ipynb"):
        frame.locator("table.dataTable a", has_text=exactly(nb.stem)).first.wait_for()
    page.screenshot(path=screenshots / "formgrader-notebooks.png")
