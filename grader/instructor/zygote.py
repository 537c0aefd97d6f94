"""A process that forks grading kernels ready-made: run as a script by kernels.py, one per worker.

A Python kernel spends most of its start-up importing (IPython and ipykernel, then numpy
and matplotlib in the notebook's first cell): about 0.7 s of CPU time each, on every
submission. This process imports them once and then, for each kernel, forks a copy of
itself that becomes ``python -m ipykernel_launcher ...`` from there, as a fresh process
would: its own session (so the kernel and what it starts can be killed as a group), the
kernel's working directory, environment, argv and sys.path[0], stdin from /dev/null, a
newly seeded ``random`` and ``numpy.random``, and the matplotlib backend ipykernel itself
selects. Student code runs only in the forks, never here.

Run as a script (``python zygote.py REQUESTS REPLIES``), not as ``-m grader.instructor...``:
the kernels it forks must not inherit the instructor's modules (nbgrader, the integrity
scanner), only what a notebook imports. A notebook's ``import grader`` finds the grader
imported here, from the grader's files when the worker started; a ``grader.py`` next to
a submitted notebook cannot shadow it. Protocol, one JSON object per line, over two
inherited pipe descriptors:

    {"argv": [...], "env": {...}, "cwd": "..."}  ->  {"pid": 1234}    (a kernel started)
    {"status": 1234}                             ->  {"returncode": 0} (None: still running)
    {"clean": ["/tmp", ...], "keep": room}       ->  {"cleaned": true}  (emptied, as the kernels' user)
    first reply, once the imports are done       ->  {"ready": true, "pid": 2} or {"error": "..."}

In a sandbox (sandbox.py), a request may say {"drop": uid}: the zygote runs as root there,
and the kernel becomes that user (one of its own per sandbox, with no name) before it
starts, so that it cannot touch the zygote, and the limit on processes applies to it
without sharing it with another sandbox's kernels. The zygote is not dumpable: a kernel of the same user
can neither trace it nor read or write its memory.

It reaps the kernels it forked only when asked for their status, so that a kernel's pid
cannot be reused before the worker has opened a pidfd on it. It exits when the worker
closes the request pipe (the worker is gone), and its kernels exit when it does
(ipykernel polls its parent, JPY_PARENT_PID).
"""
import json
import os
import sys

# What every kernel would import first: IPython and ipykernel, then what the notebooks'
# first cell imports. Not ipykernel.kernelapp: it reads JPY_PARENT_PID when imported, so
# each kernel imports it (5 ms) with its own environment. Two modules do more than define
# things when imported: matplotlib reads MPLBACKEND (ipykernel sets it to INLINE at
# start-up when unset, so it is set here first), and ipywidgets registers its comm target
# with the running kernel (there is none here: each kernel loads ipywidgets as an IPython
# extension, which registers it).
PRELOAD = ("ipykernel.ipkernel", "numpy", "numpy.random", "matplotlib", "matplotlib.pyplot",
           "ipywidgets", "grader")
NOT_PRELOADED = ("ipykernel.kernelapp",)
INLINE = "module://matplotlib_inline.backend_inline"
PROCESSES = 512  # the limit on a dropped kernel's processes and threads (its user's, in all)


def main(requests_fd: int, replies_fd: int) -> int:
    requests, replies = os.fdopen(requests_fd, "r"), os.fdopen(replies_fd, "w", buffering=1)
    _not_dumpable()
    try:
        import importlib
        import threading

        os.environ.setdefault("MPLBACKEND", INLINE)
        for name in PRELOAD:
            importlib.import_module(name)
        sys.modules["grader"].checking.preload()  # the stored trials every check compares with
        early = [name for name in NOT_PRELOADED if name in sys.modules]
        if early:
            raise RuntimeError(f"{', '.join(early)} imported by the preloaded modules")
        if threading.active_count() != 1:  # a thread here would be half-copied into each fork
            raise RuntimeError(f"{threading.active_count() - 1} threads started while importing")
    except Exception as e:  # noqa: BLE001 - told to the worker, which then starts kernels itself
        replies.write(json.dumps({"error": f"{type(e).__name__}: {e}"}) + "\n")
        return 1
    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")

    statuses = {}
    for line in requests:
        request = json.loads(line)
        _reap(statuses)
        if "status" in request:
            replies.write(json.dumps({"returncode": statuses.pop(request["status"], None)}) + "\n")
            continue
        if "clean" in request:
            _clean(request["clean"], request.get("keep", ""), request.get("drop", False), (requests, replies))
            replies.write(json.dumps({"cleaned": True}) + "\n")
            continue
        pid = os.fork()
        if pid == 0:
            return _become_kernel(request, (requests, replies))
        replies.write(json.dumps({"pid": pid}) + "\n")
    return 0


def _reap(statuses: dict) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        statuses[pid] = os.waitstatus_to_exitcode(status)


def _not_dumpable():
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0)  # PR_SET_DUMPABLE 0
    except (OSError, AttributeError):
        pass


def _drop(uid: int):
    """Become ``uid``, for good (no groups, no capabilities), with a limit on processes."""
    import resource

    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (PROCESSES, PROCESSES))


def _clean(folders, keep: str, drop, pipes) -> None:
    """Empty ``folders`` in a child running as the kernels' user (it owns what they left,
    and may make it deletable again), and wait for it. ``keep``: a folder left alone, with
    the folders on the way to it (the sandbox's room, mounted there)."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            for pipe in pipes:
                pipe.close()
            if drop and os.getuid() == 0:
                _drop(int(drop))
            for folder in folders:
                _empty(folder, keep)
        except BaseException:  # noqa: BLE001 - the sandbox is replaced if this fails
            code = 1
        os._exit(code)
    os.waitpid(pid, 0)


def _empty(folder: str, keep: str) -> None:
    import shutil

    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if path == keep:
            continue
        if keep.startswith(path + "/") and os.path.isdir(path) and not os.path.islink(path):
            _empty(path, keep)
        elif os.path.isdir(path) and not os.path.islink(path):
            for root, dirs, _ in os.walk(path):
                for d in dirs:
                    try:
                        os.chmod(os.path.join(root, d), 0o700)
                    except OSError:
                        pass
            try:
                os.chmod(path, 0o700)
            except OSError:
                pass
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _become_kernel(request: dict, pipes) -> int:
    """In the fork: set the process up as ``Popen(argv, cwd=, env=, start_new_session=True)``
    would have, then run ``-m ipykernel_launcher`` as ``python -m`` does."""
    try:
        import random
        import runpy

        os.setsid()
        for pipe in pipes:
            pipe.close()
        if request.get("drop") and os.getuid() == 0:
            _drop(int(request["drop"]))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits when this process does
        argv = request["argv"]
        sys.argv = [argv[0], *argv[3:], "--IPKernelApp.extra_extensions=ipywidgets"]
        # (run_module puts the module's path in argv[0])
        sys.path.insert(0, os.getcwd())  # what `python -m` puts there
        random.seed()
        sys.modules["numpy"].random.seed()
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException:  # noqa: BLE001 - as python would: the traceback, exit status 1
        import traceback

        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    del sys.path[0]  # this script's folder: its neighbours must not shadow what is imported
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
