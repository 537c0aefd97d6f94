"""The instructor's report (python -m grader report) in headless Chromium: it renders from the
file alone (every request other than the file itself is refused and must not happen), its
figures load, its tables are there; the screenshot is the README's (docs/screenshots/report.png).

No JupyterLab needed: `make test-browser` runs it with the others (a few seconds).
"""
import re

import pytest

from tests.test_instructor_report import A, recount, report_cli, synthetic_class

from .lab import VIEWPORT

pytestmark = pytest.mark.browser


@pytest.fixture
def report(tmp_path):
    course = tmp_path / "course"
    synthetic_class(course, n=240, seed=20)
    done = report_cli(course, A, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    return course, tmp_path / f"report-{A}.html"


def test_report_renders_offline(chromium, report, screenshots):
    course, path = report
    context = chromium.new_context(viewport=VIEWPORT)
    outside = []

    def refuse(route):
        if not route.request.url.startswith(("file://", "data:")):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", refuse)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert outside == [], f"the report asked for {outside}"
        figures = page.locator("img.figure")
        assert figures.count() == 3
        for i in range(figures.count()):  # each SVG decoded and drawn at a real size
            size = figures.nth(i).evaluate("img => [img.complete, img.naturalWidth, img.clientWidth]")
            assert size[0] and size[1] > 100 and size[2] > 100, size
        want = recount(course)
        assert page.locator("h1").inner_text().startswith(f"{A}: what the class got wrong")
        stats = page.locator("p.stats").inner_text()
        assert f"{want['mean']:.2f}" in stats and f"{want['median']:.2f}" in stats
        exercises = page.locator("#exercises + img + table tr")
        assert exercises.count() == 1 + sum(1 for e in want["exercises"] if not e.startswith("q0"))
        flagged = page.locator("#flagged + table tr")
        assert flagged.count() == 1 + len(want["flagged"])
        assert re.search(r"\d+\u00d7", page.locator("#exercises + img + table").inner_text())
        page.screenshot(path=screenshots / f"report-{A}.png")
        page.screenshot(path=screenshots / f"report-{A}-full.png", full_page=True)
    finally:
        context.close()
