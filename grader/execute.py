"""Run a notebook top to bottom, and read what its cells printed.

The one notebook runner of the course: the tests and the benchmarks both use it, so a
notebook that passes the tests is timed exactly the way it was tested.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

__all__ = ["run_notebook", "error", "stream", "traceback_text", "strip_ansi"]

# The same per-cell limit as autograding (Execute.timeout in nbgrader_config.py).
CELL_TIMEOUT = 120


class _ThisPythonKernel(AsyncKernelManager):
    """The python3 kernel of the interpreter running this code.

    Jupyter starts the first "python3" kernelspec on its search path, and a user's own
    (~/.local/share/jupyter/kernels/python3) may be a Python without the course installed.
    Without kernel directories only ipykernel's built-in spec is left: sys.executable.
    """

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self):
        return KernelSpecManager(kernel_dirs=[])


def run_notebook(path, *, allow_errors=False, timeout=CELL_TIMEOUT, cwd=None):
    """Execute the notebook at ``path`` in a fresh kernel; the file is not modified.

    Args:
        path: the ``.ipynb`` file.
        allow_errors: if False, the first failing cell raises ``nbclient.exceptions.
            CellExecutionError`` (its message holds the traceback); if True, every cell
            runs and errors are left in the outputs, as nbgrader does when autograding.
        timeout: seconds allowed per cell.
        cwd: working directory of the kernel; by default the notebook's folder, as in
            JupyterLab, so relative paths in the notebook work.

    Returns:
        (nb, seconds): the executed ``NotebookNode`` and the wall-clock time, kernel
        start-up included (what a student waits for after "Run All").
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=allow_errors,
        kernel_name="python3",
        kernel_manager_class=_ThisPythonKernel,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return nb, time.perf_counter() - start


def error(cell):
    """The cell's error output (``ename``, ``evalue``, ``traceback``), or None."""
    return next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)


def stream(cell, name="stdout"):
    """All the text the cell wrote to ``name`` ("stdout" or "stderr")."""
    return "".join(
        o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == name
    )


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text):
    """``text`` without terminal colour codes (IPython colours its tracebacks)."""
    return _ANSI.sub("", text)


def traceback_text(err):
    """An error output's traceback as the student sees it, without colour codes."""
    return strip_ansi("\n".join(err.traceback))
