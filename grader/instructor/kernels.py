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

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute as _NbgraderExecute
from traitlets import Float, List, Unicode

from ..execute import SlicedWaits
from . import sandbox as _sandbox

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
    """The client side of zygote.py: a child process and two pipes. ``prefix``: a command
    to start it under (a sandbox's bwrap); ``env``: its environment."""

    def __init__(self, prefix=(), env=None):
        requests_r, self._requests = os.pipe()
        self._replies, replies_w = os.pipe()
        script = Path(__file__).with_name("zygote.py")
        self.process = subprocess.Popen([*prefix, sys.executable, str(script), str(requests_r), str(replies_w)],
                                        pass_fds=(requests_r, replies_w), stdin=subprocess.DEVNULL, env=env)
        os.close(requests_r)
        os.close(replies_w)
        self._out = os.fdopen(self._requests, "w", buffering=1)
        self._in = os.fdopen(self._replies, "r")
        reply = self._read(timeout=120)
        if "error" in reply:
            self.close()
            raise ZygoteError(reply["error"])
        self.pid = reply.get("pid")  # its own pid (in a sandbox, the pid there)

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

    def __init__(self, zygote: Zygote, pid: int, zygote_pid: int | None = None):
        # pid: as this process sees it; zygote_pid: as the zygote does (in a sandbox's PID
        # namespace, another number)
        self.zygote, self.pid, self.returncode = zygote, pid, None
        self.zygote_pid = pid if zygote_pid is None else zygote_pid
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
                code = self.zygote.ask({"status": self.zygote_pid})["returncode"]
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


class Sandbox:
    """A bwrap sandbox (sandbox.py) with a zygote in it, for one worker thread and one
    assignment: each submission's kernel is forked there, in the room, and ``reset``
    leaves nothing of it behind for the next."""

    def __init__(self, assignment: str):
        from ..datasets import data_dir

        self.assignment = assignment
        self.state = Path(tempfile.mkdtemp(prefix="grading-sandbox-", dir=ROOMS))
        self.room = _sandbox.new_room(ROOMS)
        self.drop = None  # as root: the user its kernels run as (below)
        try:
            view = _sandbox.grader_view(assignment, self.state)
            try:
                data = data_dir()
            except FileNotFoundError:
                data = None
            self._home()
            env = {**os.environ, **_sandbox.kernel_environment(self.room)}
            self.zygote = Zygote(prefix=_sandbox.command(self.room, view, data), env=env)
            self.bwrap = self.zygote.process.pid
            if os.geteuid() == 0:
                # a user of its own (no name needed), unique while this bwrap lives
                self.drop = _sandbox.FIRST_UID + self.bwrap
            self.keep = {p for p in (_sandbox.host_pid(self.bwrap, 1),
                                     _sandbox.host_pid(self.bwrap, self.zygote.pid)) if p}
            if len(self.keep) != 2:
                raise ZygoteError("the sandbox's zygote could not be found from outside")
        except BaseException:
            self.close()
            raise
        with _lock:
            _SANDBOXES[str(self.room)] = self

    def _home(self):
        """The kernels' home in the room, with matplotlib's font list (else rebuilt, 1 s)."""
        home = self.room / "home"
        (home / ".matplotlib").mkdir(parents=True, exist_ok=True)
        try:
            import matplotlib

            for font_list in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
                shutil.copy(font_list, home / ".matplotlib")
        except (ImportError, OSError):
            pass
        _sandbox.give_to_kernels(self.room, self.drop)

    def alive(self) -> bool:
        return self.zygote.alive() and all(_sandbox._alive(p) for p in self.keep)

    def fork(self, cmd, kwargs) -> ForkedKernel:
        if cmd[1:3] != ["-m", "ipykernel_launcher"]:
            raise ZygoteError(f"only Python kernels run in the grading sandbox, not {cmd[:3]}")
        env = {**(kwargs.get("env") or os.environ), **_sandbox.kernel_environment(self.room)}
        cwd = str(kwargs.get("cwd") or self.room)
        _sandbox.give_to_kernels(self.room, self.drop)
        with _lock:
            reply = self.zygote.ask({"argv": list(cmd), "env": env, "cwd": cwd, "drop": self.drop})
            pid = _sandbox.host_pid(self.bwrap, reply["pid"])
            if pid is None:
                raise ZygoteError("the kernel forked in the sandbox could not be found from outside")
            return ForkedKernel(self.zygote, pid, reply["pid"])

    def sweep(self) -> int:
        """Kill every process in the sandbox but its init and the zygote."""
        return _sandbox.sweep(self.bwrap, self.keep)

    def reset(self):
        """Nothing of the last submission left: its processes, its room, its /tmp."""
        self.sweep()
        with _lock:
            self.zygote.ask({"clean": ["/tmp", "/dev/shm"], "keep": str(self.room), "drop": self.drop})
        _sandbox.empty(self.room)
        self._home()

    def close(self):
        with _lock:
            _SANDBOXES.pop(str(self.room), None)
        zygote = getattr(self, "zygote", None)
        if zygote is not None:
            from .executors import kill_trees

            kill_trees([zygote.process.pid])
            zygote.close()
        for folder in (self.room, self.state):
            try:
                _sandbox.empty(folder)
                folder.rmdir()
            except OSError:
                pass


_SANDBOXES: dict[str, Sandbox] = {}  # room -> sandbox, for the provisioner
ROOMS: Path | None = None  # where sandboxes make their rooms (None: the system's temporary folder)
_local = threading.local()  # this thread's sandbox (Dask runs several tasks at once in threads)


def sandbox_for(assignment: str) -> Sandbox:
    """This thread's sandbox for ``assignment``, started (again) if need be, and reset."""
    box = getattr(_local, "sandbox", None)
    if box is not None and (box.assignment != assignment or not box.alive()):
        box.close()
        box = None
    if box is not None:
        try:
            box.reset()
        except (ZygoteError, OSError, ValueError, KeyError):
            box.close()
            box = None
    if box is None:
        box = _local.sandbox = Sandbox(assignment)
    return box


def close_sandboxes():
    for box in list(_SANDBOXES.values()):
        box.close()


atexit.register(close_sandboxes)  # (a Dask worker's exit; a pool's workers: worker.warm_up)


class Provisioner(LocalProvisioner):
    """LocalProvisioner, with the kernel forked by the zygote when the command is this
    interpreter's ``-m ipykernel_launcher``."""

    async def launch_kernel(self, cmd, **kwargs):
        room = getattr(self.parent, "sandbox", "")
        if room:  # never outside it: a sandbox that cannot fork the kernel is an error
            kernel = _SANDBOXES[room].fork(cmd, kwargs)
        else:
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
    """jupyter_client's kernel manager, with this module's provisioner. ``sandbox``: the room
    of the sandbox (Sandbox below) to start the kernel in; its connection file and Unix
    sockets are then in the room (the sandbox has no network)."""

    sandbox = Unicode("", config=True)

    async def _async_pre_start_kernel(self, **kw):
        if self.sandbox:
            room = Path(self.sandbox)
            (room / ".kernel").mkdir(exist_ok=True)
            self.transport, self.ip = "ipc", str(room / ".kernel" / "ipc")
            self.connection_file = str(room / ".kernel" / "connection.json")
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = Provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                           parent=self)
        return await super()._async_pre_start_kernel(**kw)


class Execute(SlicedWaits, _NbgraderExecute):
    """nbgrader's Execute (its configuration applies), starting kernels with KernelManager.
    (nbgrader passes its kernel manager class as an argument, which configuration cannot
    override: hence a subclass.) Its waits for the kernel's messages are sliced, so a
    notebook with widgets is not held up to the cell timeout (grader/execute.py).

    With ``verdict`` set (a key), once every cell has run and while the kernel still lives,
    the grader judges ``exercises`` from outside (grader/remote.py): it listens on a Unix
    socket in the kernel's folder, asks the kernel to serve its functions there, runs each
    check with stand-ins for them, and leaves the verdicts in ``VERDICTS[verdict]``."""

    verdict = Unicode("", config=True)
    exercises = List(Unicode(), config=True)
    salt = Unicode("", config=True)
    call_timeout = Float(30.0, config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", KernelManager)
        super().__init__(*args, **kwargs)

    @contextlib.contextmanager
    def setup_kernel(self, **kwargs):
        with super().setup_kernel(**kwargs):
            yield
            if self.verdict:
                # (a socket's path is short: 107 bytes; the room's own folder is short)
                room = getattr(self.km, "sandbox", "")
                folder = os.path.join(room, ".kernel") if room else \
                    (self.resources or {}).get("metadata", {}).get("path") or os.getcwd()
                VERDICTS[self.verdict] = self._judge(folder)

    def _judge(self, folder) -> dict:
        import socket

        from .. import checking, remote

        address = os.path.join(folder, f".judge-{uuid.uuid4().hex[:8]}")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(address)
            os.chmod(address, 0o777)  # (a kernel running as nobody connects)
            listener.listen(1)
            listener.settimeout(self.call_timeout)
            self.kc.execute(f"import grader.remote\ngrader.remote.serve({address!r})",
                            silent=True, store_history=False)
            try:
                connection, _ = listener.accept()
            except OSError:
                connection = None
        finally:
            listener.close()
        if connection is None:
            return {e: checking.Verdict(e, False, f"{e}: the notebook's kernel did not answer the "
                                                  f"grader (it was busy, or it had stopped)")
                    for e in self.exercises}
        kernel = remote.Kernel(connection, self.call_timeout)
        try:
            return checking.judge(self.exercises, kernel.function, salt=self.salt,
                                  answered=kernel.answered)
        finally:
            kernel.done()


VERDICTS: dict = {}  # Execute.verdict key -> {exercise id: checking.Verdict}
