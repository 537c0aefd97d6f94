"""Kernels forked from the zygote (grader/instructor/kernels.py, zygote.py) behave as kernels
started the usual way, and are watched, signalled and killed as reliably."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from grader.instructor import kernels, worker

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="kernels are forked only where there are pidfds")

PROBE = '''
import json, os, sys, random
import numpy as np
import matplotlib
print(json.dumps({
    "cwd": os.getcwd(),
    "argv": sys.argv[1:],
    "path": sys.path,
    "env": dict(os.environ),
    "parent_is_jpy_parent": os.getppid() == int(os.environ["JPY_PARENT_PID"]),
    "own_session": os.getsid(0) == os.getpid(),
    "stdin_at_eof": os.read(0, 1) == b"",
    "main": __name__,
    "backend": matplotlib.get_backend(),
    "random": [random.random(), float(np.random.rand())],
}))
'''
FIGURE = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);"
# once the notebook has imported ipywidgets, its comm target is there (a front end's widgets work)
WIDGETS = "import comm, ipywidgets\nprint('jupyter.widget' in comm.get_comm_manager().targets)"


@pytest.fixture(autouse=True)
def _environment():
    worker.environment()  # the interpreter's kernel first on PATH, as in a worker


def _run(cells, km_class, cwd):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, kernel_manager_class=km_class, resources={"metadata": {"path": str(cwd)}},
                   timeout=60).execute()
    return nb


def _probe(km_class, cwd):
    nb = _run([PROBE, FIGURE, WIDGETS], km_class, cwd)
    facts = json.loads(nb.cells[0].outputs[0]["text"])
    facts["figure"] = sorted(k for o in nb.cells[1].outputs for k in o.get("data", {}))
    facts["widget_target"] = nb.cells[2].outputs[0]["text"].strip()
    return facts


def test_a_forked_kernel_sees_what_a_started_one_does(tmp_path):
    started, forked, again = (_probe(cls, tmp_path) for cls in
                              (AsyncKernelManager, kernels.KernelManager, kernels.KernelManager))
    # the connection files differ by nature; the forked kernel loads ipywidgets as an extension
    for facts in (forked, again):
        assert facts["argv"][0] == started["argv"][0] == "-f"
        assert facts["argv"][2:] == started["argv"][2:] + ["--IPKernelApp.extra_extensions=ipywidgets"]
    for facts in (started, forked, again):
        facts["env"].pop("JPY_PARENT_PID")
    assert forked["parent_is_jpy_parent"] and forked["own_session"] and forked["stdin_at_eof"]
    assert forked["figure"] == started["figure"] and "image/png" in forked["figure"]
    assert forked["widget_target"] == started["widget_target"] == "True"
    for key in ("cwd", "path", "env", "main", "backend", "parent_is_jpy_parent", "own_session", "stdin_at_eof"):
        assert forked[key] == started[key], key
    assert forked["cwd"] == str(tmp_path)
    # each fork is seeded afresh, as each new process is
    assert forked["random"][0] != again["random"][0] and forked["random"][1] != again["random"][1]


def test_kernels_really_are_forked(tmp_path):
    """The point of it all: the kernel's parent is the zygote, which has numpy imported."""
    nb = _run(["import os, sys; print(os.getppid(), 'numpy' in sys.modules)"], kernels.KernelManager, tmp_path)
    ppid, had_numpy = nb.cells[0].outputs[0]["text"].split()
    assert int(ppid) == kernels.start_zygote().process.pid
    assert had_numpy == "True"


async def _start(km_class=kernels.KernelManager):
    km = km_class(kernel_name="python3")
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    return km, kc


def _wait_dead(km, seconds=10):
    async def poll():
        end = time.monotonic() + seconds
        while await km.is_alive():
            if time.monotonic() > end:
                return False
            await asyncio.sleep(0.05)
        return True
    return poll()


def test_exit_status_and_the_launched_registry():
    async def scenario():
        km, kc = await _start()
        pid = km.provisioner.pid
        assert kernels.launched(km.connection_file) == [pid]
        kc.execute("import os; os._exit(3)")
        assert await _wait_dead(km)
        assert km.provisioner.process is None or km.provisioner.process.returncode == 3
        assert kernels.launched(km.connection_file) == []
        kc.stop_channels()
        await km.cleanup_resources()

        km, kc = await _start()
        os.killpg(km.provisioner.pgid, signal.SIGKILL)  # as the worker's deadline watchdog does
        assert await _wait_dead(km)
        assert km.provisioner.process.returncode == -signal.SIGKILL
        kc.stop_channels()
        await km.cleanup_resources()

    asyncio.run(scenario())


def test_interrupt_reaches_a_forked_kernel():
    """nbgrader's per-cell timeout interrupts the kernel with SIGINT (to its process group)."""
    async def scenario():
        km, kc = await _start()
        msg_id = kc.execute("import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('interrupted')")
        await asyncio.sleep(1.0)
        await km.interrupt_kernel()
        reply = await kc.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
        kc.stop_channels()
        await km.shutdown_kernel()

    asyncio.run(scenario())


def test_a_dead_zygote_is_replaced_and_takes_its_kernels_with_it(tmp_path):
    async def scenario():
        km, kc = await _start()
        zygote = kernels.start_zygote()
        zygote.process.kill()
        zygote.process.wait()
        # ipykernel polls its parent: the kernel notices it is orphaned and exits
        assert await _wait_dead(km, seconds=15)
        kc.stop_channels()
        await km.cleanup_resources()

    asyncio.run(scenario())
    nb = _run(["import os; print(os.getppid())"], kernels.KernelManager, tmp_path)
    assert int(nb.cells[0].outputs[0]["text"]) == kernels.start_zygote().process.pid  # a new one


def test_without_pidfds_kernels_start_the_usual_way(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "pidfd_open")
    assert kernels.start_zygote() is None
    nb = _run(["import os; print(os.getppid())"], kernels.KernelManager, tmp_path)
    assert int(nb.cells[0].outputs[0]["text"]) == os.getpid()


def test_only_this_interpreters_ipykernel_is_forked():
    assert kernels._fork(["/bin/sh", "-c", "true"], {}) is None
    assert kernels._fork(["python", "-m", "some_other_kernel", "-f", "x.json"], {}) is None


def test_the_zygote_refuses_to_fork_with_threads_running():
    """A thread would be copied half into each fork: the zygote says so and serves nothing."""
    import subprocess
    import sys
    from pathlib import Path

    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    folder = Path(kernels.__file__).parent
    code = ("import sys, threading, time\n"
            "threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
            f"sys.path.insert(0, {str(folder)!r})\n"
            "import zygote\n"
            f"sys.exit(zygote.main({requests_r}, {replies_w}))\n")
    done = subprocess.run([sys.executable, "-c", code], pass_fds=(requests_r, replies_w), timeout=120)
    os.close(replies_w)
    with os.fdopen(replies_r) as replies:
        reply = json.loads(replies.readline())
    os.close(requests_r)
    os.close(requests_w)
    assert done.returncode == 1 and "1 threads started" in reply["error"]


def test_a_zygote_that_cannot_start_is_not_tried_again(tmp_path, monkeypatch):
    tries = []

    def failing():
        tries.append(1)
        raise kernels.ZygoteError("RuntimeError: 1 threads started while importing")

    monkeypatch.setattr(kernels, "Zygote", failing)
    monkeypatch.setattr(kernels, "_zygote", None)
    monkeypatch.setattr(kernels, "_cannot", None)
    for _ in range(2):
        nb = _run(["import os; print(os.getppid())"], kernels.KernelManager, tmp_path)
        assert int(nb.cells[0].outputs[0]["text"]) == os.getpid()  # started the usual way
    assert tries == [1] and "threads" in kernels._cannot
