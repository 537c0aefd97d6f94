"""Grading kernels: forked ready-made from a zygote (zygote.py), and found again to be killed.

nbgrader's Execute starts a new kernel for every submission, and a new Python kernel
spends about 0.7 s of CPU importing IPython, numpy and matplotlib before it runs the
student's first line: on a 2-core machine, a third of the time it takes to grade a
notebook. Each worker process keeps one zygote that has imported them once and forks a
kernel from itself in a few milliseconds. The kernel is still a process of its own,
started afresh for one submission, with the command, working directory and environment
jupyter_client gives it; the kernels behave the same, only start faster
(tests/test_instructor_kernels.py compares them).

``Execute`` (nbgrader's, with this module's kernel manager) is what the worker configures
nbgrader's Autograde to run. Where a zygote cannot be used (no pidfd: not Linux; another
kernel command; the zygote failed or died), the kernel is started the usual way.

``launched(marker)``: the kernels started by this process whose command line contains
``marker`` (the worker's per-submission guard file), for its deadline watchdog.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute as _NbgraderExecute

_lock = threading.Lock()  # one exchange with the zygote at a time (Dask runs tasks in threads)
_zygote: Zygote | None = None
_cannot: str | None = None  # why this process's zygote could not start: not tried again
_launched: dict[int, list[str]] = {}  # pid -> command line, from launch until reaped


def launched(marker: str) -> list[int]:
    """Live (or not yet reaped) kernels of this process whose command line contains marker."""
    with _lock:
        return [pid for pid, cmd in _launched.items() if any(marker in arg for arg in cmd)]


class ZygoteError(RuntimeError):
    pass


class Zygote:
    """The client side of zygote.py: a child process and two pipes."""

    def __init__(self):
        requests_r, self._requests = os.pipe()
        self._replies, replies_w = os.pipe()
        script = Path(__file__).with_name("zygote.py")
        self.process = subprocess.Popen([sys.executable, str(script), str(requests_r), str(replies_w)],
                                        pass_fds=(requests_r, replies_w), stdin=subprocess.DEVNULL)
        os.close(requests_r)
        os.close(replies_w)
        self._out = os.fdopen(self._requests, "w", buffering=1)
        self._in = os.fdopen(self._replies, "r")
        reply = self._read(timeout=120)
        if "error" in reply:
            self.close()
            raise ZygoteError(reply["error"])

    def _read(self, timeout=30) -> dict:
        if not select.select([self._in], [], [], timeout)[0]:
            raise ZygoteError(f"no answer in {timeout} s")
        line = self._in.readline()
        if not line:
            raise ZygoteError("it exited")
        return json.loads(line)

    def ask(self, request: dict) -> dict:
        try:
            self._out.write(json.dumps(request) + "\n")
        except OSError as e:
            raise ZygoteError(f"it exited ({e})") from e
        return self._read()

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self):
        for f in (self._out, self._in):
            try:
                f.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)  # it exits when its request pipe closes
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_zygote() -> Zygote | None:
    """This process's zygote, started if need be (again, if one died: a student's kernel
    can kill its parent); None where kernels cannot be forked."""
    global _zygote, _cannot
    if not hasattr(os, "pidfd_open") or _cannot:
        return None
    with _lock:
        if _zygote is None or not _zygote.alive():
            try:
                _zygote = Zygote()
            except (OSError, ZygoteError, ValueError) as e:
                # e.g. a preloaded module started a thread: kernels start the usual way
                _zygote, _cannot = None, f"{type(e).__name__}: {e}"
        return _zygote


class ForkedKernel:
    """A kernel forked by the zygote (a child of the zygote, not of this process), with the
    part of subprocess.Popen that jupyter_client's LocalProvisioner uses. It is watched
    through a pidfd, which names this process and no later one with the same pid."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid, self.returncode = zygote, pid, None
        self._fd = os.pidfd_open(pid)  # the zygote has not reaped it: the pid is still this one

    def poll(self):
        if self.returncode is None and select.select([self._fd], [], [], 0)[0]:
            self._reaped()
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if not select.select([self._fd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            self._reaped()
        return self.returncode

    def _reaped(self):
        os.close(self._fd)
        with _lock:
            _launched.pop(self.pid, None)
            try:
                code = self.zygote.ask({"status": self.pid})["returncode"]
            except (ZygoteError, ValueError, KeyError):
                code = None  # the zygote is gone (and reaped by init): the status is lost with it
        self.returncode = -signal.SIGKILL if code is None else code

    def send_signal(self, signum):
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self._fd, signum)
            except ProcessLookupError:
                pass  # it exited meanwhile

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


class Provisioner(LocalProvisioner):
    """LocalProvisioner, with the kernel forked by the zygote when the command is this
    interpreter's ``-m ipykernel_launcher``."""

    async def launch_kernel(self, cmd, **kwargs):
        kernel = _fork(cmd, kwargs)
        if kernel is None:
            info = await super().launch_kernel(cmd, **kwargs)
        else:
            self.process, self.pid, self.pgid = kernel, kernel.pid, kernel.pid  # setsid: pgid = pid
            self.cwd = kwargs.get("cwd") or os.getcwd()
            info = self.connection_info
        with _lock:
            _launched[self.pid] = list(cmd)
        return info

    async def poll(self):
        code = await super().poll()
        if code is not None and self.pid:
            with _lock:
                _launched.pop(self.pid, None)
        return code


def _fork(cmd, kwargs) -> ForkedKernel | None:
    if cmd[1:3] != ["-m", "ipykernel_launcher"] or not _same_python(cmd[0], kwargs.get("env")):
        return None
    zygote = start_zygote()
    if zygote is None:
        return None
    env = dict(kwargs.get("env") or os.environ)
    cwd = str(kwargs.get("cwd") or os.getcwd())
    with _lock:
        try:
            reply = zygote.ask({"argv": list(cmd), "env": env, "cwd": cwd})
            return ForkedKernel(zygote, reply["pid"])
        except (ZygoteError, OSError, KeyError, ValueError):
            zygote.close()  # the next kernel gets a new zygote; this one starts the usual way
            return None


def _same_python(program: str, env) -> bool:
    found = shutil.which(program, path=(env or os.environ).get("PATH"))
    try:
        return found is not None and os.path.samefile(found, sys.executable)
    except OSError:
        return False


class KernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, with this module's provisioner."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = Provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                           parent=self)
        return await super()._async_pre_start_kernel(**kw)


class Execute(_NbgraderExecute):
    """nbgrader's Execute (its configuration applies), starting kernels with KernelManager.
    (nbgrader passes its kernel manager class as an argument, which configuration cannot
    override: hence a subclass.)"""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", KernelManager)
        super().__init__(*args, **kwargs)
