"""Session fixtures of the browser tests: one JupyterLab server on a temporary copy of the
course, one headless Chromium; a fresh page (browser context) per test.

Run with `make test-browser` (installs the `browser` extra and Debian's chromium), or
`.venv/bin/python -m pytest -m browser tests/browser`. Screenshots go to build/screenshots/.
"""
import os

import pytest

from grader.release import ROOT

from .lab import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, JupyterLab

SCREENSHOTS = ROOT / "build" / "screenshots"
# The README's pictures (docs/screenshots/, committed), refreshed from a run's screenshots by
# `UPDATE_README_SCREENSHOTS=1 make test-browser`: build/screenshots/<key> -> docs/screenshots/<value>.
README_SCREENSHOTS = {
    "solution-01-building-blocks.png": "solution-widget.png",
    "release-01-building-blocks.png": "student-check.png",
    "formgrader-assignments.png": "formgrader.png",
    "report-01-building-blocks.png": "report.png",
}


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    server = JupyterLab(ROOT, tmp_path_factory.mktemp("jupyterlab")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package (make test-browser does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser extra: pip install -e '.[browser]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, lab, tmp_path):
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()
    lab.shutdown_kernels()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield SCREENSHOTS
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        update_readme_screenshots()


def update_readme_screenshots():
    """Copy the README's screenshots to docs/screenshots/ as small palette PNGs."""
    from PIL import Image  # Pillow comes with matplotlib

    docs = ROOT / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    for source, target in README_SCREENSHOTS.items():
        if (SCREENSHOTS / source).exists():
            image = Image.open(SCREENSHOTS / source).convert("RGB")
            image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(docs / target, optimize=True)
