"""Run a notebook top to bottom, and read what its cells printed.

The one notebook runner of the course: the tests and the benchmarks both use it, so a
notebook that passes the tests is timed exactly the way it was tested.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.util import run_sync
from traitlets import default

__all__ = ["run_notebook", "SlicedWaits", "error", "stream", "traceback_text", "strip_ansi"]

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


# How long one wait for a kernel message lasts before it is asked again (seconds).
POLL_SLICE = 0.5


def poll_in_slices(channel, slice_=POLL_SLICE):
    """Make ``channel.get_msg(timeout)`` wait in slices of ``slice_`` seconds, same timeout.

    After a cell that shows ipywidgets, a message to or from the kernel can sit unnoticed
    by the client's event loop until the pending wait times out (nbclient issue #312;
    measured here: the cell after notebook 04's first widget started 118 s late, at the
    widget cell's 120 s deadline, in 4 of 9 runs after notebooks 01-03 in the same
    process; in none of 3 with the sliced waits). Asking again every slice wakes the
    socket up, so such a message waits at most one slice.
    """
    get = channel.get_msg

    async def get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            try:
                return await get(timeout=slice_ if left is None else max(0.0, min(slice_, left)))
            except Empty:
                if left is not None and left <= slice_:
                    raise

    channel.get_msg = get_msg


class SlicedWaits:
    """Mixin for an nbclient client (nbgrader's Execute is one): its kernel client waits for
    shell and IOPub messages in slices (poll_in_slices)."""

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        poll_in_slices(kc.shell_channel)
        poll_in_slices(kc.iopub_channel)
        return kc

    # (nbclient binds its synchronous twin to its own coroutine: bind it to this one)
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


class _Client(SlicedWaits, NotebookClient):
    pass


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
    client = _Client(
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
