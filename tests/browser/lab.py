"""Drive the course in a real JupyterLab: a server on loopback, Debian's Chromium through
Playwright, and the few page operations the browser tests need.

Nothing here downloads a browser: Chromium is /usr/bin/chromium (`make test-browser`
installs Debian's package), and `playwright install` is never run.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as the machine notes require it: no sandbox (root on CI), no GPU, and none of the
# background connections that a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 860}

# JupyterLab settings for the test user (a temporary settings directory): every cell in the
# DOM (no virtual scrolling, so off-screen outputs can be counted), no news or update checks
# (no network, and no pop-up over the screenshots).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}

# What a cell's output looks like in JupyterLab's DOM.
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
IMAGE = ".jp-RenderedImage img"
# The root element of an ipywidgets 8 control: most with a description are
# `widget-inline-hbox`, but ToggleButtons is only `widget-toggle-buttons`.
CONTROL = ", ".join(
    f".widget-{kind}" for kind in ("inline-hbox", "button", "toggle-buttons", "dropdown", "checkbox", "slider")
)

COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "build", "*.egg-info", ".pytest_cache", "__pycache__", ".ipynb_checkpoints",
    "gradebook.db", "submitted", "autograded", "feedback", "release", "results",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server started from this Python's environment, serving a copy of the
    course: runs never touch the repository's notebooks, and no user configuration
    (~/.jupyter, ~/.local/share/jupyter, ~/.ipython) takes part."""

    def __init__(self, course_root: Path, workdir: Path):
        self.workdir = Path(workdir)
        self.root = self.workdir / "course"
        shutil.copytree(course_root, self.root, ignore=COPY_IGNORE)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.workdir / "jupyterlab.log"
        self.process = None

    def env(self) -> dict:
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),  # no user kernelspec: the kernel is this Python's
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            env[var] = str(self.workdir / sub)
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env.pop("MPLBACKEND", None)  # the notebooks' figures are inline, as for a student
        # nbgrader runs `alembic` from PATH; the course's environment comes first
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        return env

    def start(self, timeout=120):
        settings = self.workdir / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        # the test user's nbgrader configuration (the course's nbgrader_config.py, read from
        # the course root, still decides everything else): an exchange directory that exists
        exchange = self.workdir / "exchange"
        exchange.mkdir()
        config = self.workdir / "config"
        config.mkdir(exist_ok=True)
        (config / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
        ]
        # started from the course root, so nbgrader's extension reads nbgrader_config.py
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=self.env(), stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5):
                    return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not answer in {timeout} s:\n{self.log_tail()}")
                time.sleep(0.5)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def shutdown_kernels(self):
        """Stop every kernel (one per notebook opened): they would pile up over the session."""
        headers = {"Authorization": f"token {self.token}"}
        request = urllib.request.Request(f"{self.url}/api/kernels", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            kernels = json.load(response)
        for kernel in kernels:
            delete = urllib.request.Request(f"{self.url}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
            urllib.request.urlopen(delete, timeout=30).close()

    def log_tail(self, lines=40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def generate_gradebook(self, assignments, timeout=300):
        """nbgrader generate_assignment for each assignment in the course copy, as an instructor
        does before releasing: it fills the copy's gradebook.db with the assignments and their
        notebooks (what Formgrader lists). The student versions go to a scratch folder, so the
        copy's notebooks/ stays the repository's."""
        script = (
            "import os, sys\n"
            "from nbgrader.apps import NbGraderAPI\n"
            "from traitlets.config.loader import PyFileConfigLoader\n"
            "config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
            "config.CourseDirectory.root = os.getcwd()\n"
            "config.CourseDirectory.release_directory = sys.argv[1]\n"
            "api = NbGraderAPI(config=config)\n"
            "for a in sys.argv[2:]:\n"
            "    result = api.generate_assignment(a, force=True)\n"
            "    if not result['success']:\n"
            "        sys.exit(f\"{a}: {result.get('log', '')}{result.get('error', '')}\")\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(self.workdir / "formgrader-release"), *assignments],
            cwd=self.root, env=self.env(), check=True, timeout=timeout,
        )

    def lab_url(self, path="") -> str:
        """A fresh JupyterLab workspace for each page: in the default one, every notebook
        opened before would be restored beside this one, its cells in the same DOM."""
        workspace = f"{self.url}/lab/workspaces/test-{secrets.token_hex(4)}"
        return f"{workspace}/tree/{path}?token={self.token}" if path else f"{workspace}?token={self.token}"


# --- page operations --------------------------------------------------------------------

def wait_for_lab(page, timeout=90_000):
    page.wait_for_function(
        "() => window.jupyterapp && document.querySelector('#jp-main-dock-panel')", timeout=timeout
    )


def open_notebook(page, lab: JupyterLab, path: str, timeout=90_000):
    """Open ``path`` (relative to the course root) and wait for its kernel to be idle."""
    page.goto(lab.lab_url(path))
    wait_for_lab(page, timeout)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=timeout)
    wait_kernel_idle(page, timeout)


_KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const context = panel && panel.sessionContext;
    const kernel = context && context.isReady && context.session && context.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
        && !!document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]');
}"""


def wait_kernel_idle(page, timeout=90_000):
    """The notebook's kernel started, connected and idle (the toolbar's indicator alone says
    "idle" before the kernel is there)."""
    page.wait_for_function(_KERNEL_IDLE, timeout=timeout, polling=250)


def run_command(page, command: str, label: str):
    """Run a JupyterLab command by its id, through the application's command registry: the
    very command that its menu item and palette entry (``label``) run. (Driving the palette
    with Ctrl+Shift+C proved flaky headless: the shortcut is lost when the focus is not yet
    inside the application.)"""
    page.evaluate("() => { const a = window.jupyterapp; if (a.shell.currentWidget) a.shell.activateById(a.shell.currentWidget.id); }")
    shown = page.evaluate("c => window.jupyterapp.commands.label(c)", command)
    assert shown == label, f"command {command} is labelled {shown!r}, not {label!r}"
    page.evaluate("c => { window.jupyterapp.commands.execute(c); }", command)


def hide_file_browser(page):
    """Collapse the left sidebar, so screenshots show the notebook wide."""
    page.evaluate(
        "() => { const app = window.jupyterapp; if (!app.shell.leftCollapsed) app.shell.collapseLeft(); }"
    )
    page.wait_for_timeout(300)


def cells(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


_ALL_CODE_CELLS_RUN = """() => {
    const prompts = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def run_all_cells(page, timeout=180_000) -> float:
    """Run > Run All Cells; wait until every code cell has run
    and the kernel is idle. Returns the seconds it took."""
    start = time.perf_counter()
    run_command(page, "notebook:run-all-cells", "Run All Cells")
    page.wait_for_function(_ALL_CODE_CELLS_RUN, timeout=timeout, polling=250)
    wait_kernel_idle(page, timeout)
    return time.perf_counter() - start


def run_cells_one_by_one(page, timeout=120_000) -> float:
    """Shift+Enter through the notebook, each cell after the previous one finished, as a
    student working down the notebook does ("Run All" stops at the first failing check)."""
    start = time.perf_counter()
    all_cells = cells(page)
    all_cells.first.locator(".jp-InputPrompt, .jp-Cell-inputCollapser").first.click()
    page.keyboard.press("Escape")
    for i in range(all_cells.count()):
        cell = all_cells.nth(i)
        is_code = "jp-CodeCell" in (cell.get_attribute("class") or "")
        page.keyboard.press("Shift+Enter")
        if is_code:
            cell.locator(".jp-InputArea-prompt").filter(has_text=_numbered()).wait_for(timeout=timeout)
    wait_kernel_idle(page, timeout)
    return time.perf_counter() - start


def _numbered():
    return re.compile(r"\[\d+\]")


def output_text(cell) -> str:
    return "\n".join(cell.locator(".jp-OutputArea-output").all_inner_texts())


def error_texts(page) -> list[str]:
    return page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) {ERROR_OUTPUT}").all_inner_texts()


def rendered_images(page) -> int:
    """Images in the notebook's outputs (widget outputs included) that loaded and have a size."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
               '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-RenderedImage img')]
             .filter(img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0).length"""
    )


def output_signature(locator) -> list[str]:
    """What an output area shows: its images' sources (the PNG bytes, base64) and its text."""
    return locator.evaluate(
        """el => [...el.querySelectorAll('img')].map(i => i.src).concat([el.innerText])"""
    )


def change_control(control) -> str:
    """Change one ipywidgets control as a user does; returns what was done."""
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes:
        handle = control.locator(".noUi-handle").first
        readout = control.locator(".widget-readout").first
        before = readout.inner_text()
        handle.focus()
        for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):  # at its maximum: go left
            handle.press(key)
            if readout.inner_text() != before:
                return f"slider {before} -> {readout.inner_text()}"
        raise AssertionError(f"slider {classes!r} does not move with the arrow keys")
    if "widget-toggle-buttons" in classes:
        other = control.locator("button:not(.mod-active)").first
        label = other.inner_text()
        other.click()
        return f"toggle button -> {label}"
    if "widget-dropdown" in classes:
        select = control.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("s => s.options[s.selectedIndex].text")
        choice = next(o for o in options if o != current)
        select.select_option(label=choice)
        return f"dropdown {current} -> {choice}"
    if "widget-checkbox" in classes:
        control.locator("input[type=checkbox]").click()
        return "checkbox toggled"
    raise AssertionError(f"no way to change a control of class {classes!r}")


def expected_outputs(nb) -> dict:
    """What a headless (nbclient) run of the notebook produced: figures in cell outputs and
    in output widgets, and ipywidgets controls (from the widget state nbclient records)."""
    figures = sum(
        1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    )
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    controls = 0
    for model in state.get("state", {}).values():
        s = model.get("state", {})
        if model.get("model_module") == "@jupyter-widgets/output":
            figures += sum(1 for o in s.get("outputs", []) if "image/png" in o.get("data", {}))
        elif model.get("model_module") == "@jupyter-widgets/controls" and s.get("_view_name") not in (
            None, "StyleView", "BoxView", "HBoxView", "VBoxView", "GridBoxView", "AccordionView", "TabView",
        ):
            controls += 1
    return {"figures": figures, "controls": controls}
