"""The sandbox every graded notebook runs in: bubblewrap (``bwrap``), one per worker thread.

What a grading kernel, and everything it starts, can see and do:

- the Python environment and the system's libraries, read-only;
- a copy of the grader made for the assignment (``grader_view``): the public checks and
  stored public trials, and the reference implementations of *earlier* notebooks only
  (for ``grader.reuse``); never this assignment's references, the catalogue of mistakes,
  the build scripts or the autograder;
- the course's ``data/``, read-only;
- one writable directory, the *room*, that holds the one submission being graded, and a
  private ``/tmp``; no other student's files, no gradebook, no cache, no course;
- no network (``--unshare-net``: the kernel talks to the grader over Unix sockets in the
  room), its own PID and IPC namespaces, and ``--die-with-parent``;
- as root, kernels run as a user of their own, one per sandbox (zygote.py), so they cannot
  touch the zygote and the limit on processes is theirs alone; rlimits on memory, CPU time
  and file size (guard.py).

Starting Python and importing numpy, matplotlib and IPython costs about a second of CPU,
so each sandbox keeps a zygote (zygote.py) that has done so and forks one kernel per
submission. Between two submissions, ``reset`` kills every process in the sandbox but
the zygote and its init, empties the room and the zygote empties ``/tmp``: nothing of
one submission is left for the next. The verdict is computed outside, by the grader,
from the values the student's functions return (grader/remote.py).
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .executors import descendants

GRADER_ROOT = Path(__file__).resolve().parent.parent
FIRST_UID = 200_000  # as root, a sandbox's kernels run as FIRST_UID + its bwrap's pid


def unavailable() -> str:
    """Why the sandbox cannot run here ("" when it can)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        done = subprocess.run([bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net",
                               "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap could not run ({e})"
    if done.returncode != 0:
        return f"bwrap could not create a sandbox here: {done.stderr.strip()[:300]}"
    return ""


def grader_view(assignment: str, dest: Path) -> Path:
    """A copy of the grader package for the sandbox of ``assignment``: what a student's
    copy holds (public checks, stored public trials), plus the reference implementations
    of the notebooks before it, so that grader.reuse hands back the course's version of an
    earlier function that does not pass its check."""
    from .. import registry

    order = list(registry.NOTEBOOKS)
    earlier = {f"nb{n:02d}" for n in range(1, order.index(assignment) + 1)} if assignment in order else set()
    view = dest / "grader"

    def ignore(folder, names):
        folder = Path(folder)
        skip = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
        if folder == GRADER_ROOT:
            skip |= {"build.py"}
        if folder == GRADER_ROOT / "instructor":
            skip |= {n for n in names if n not in ("zygote.py",)}
        if folder == GRADER_ROOT / "reference":
            keep = {f"{m}.py" for m in earlier}
            if "nb05" in earlier:
                keep.add("numeric.py")  # notebook 05's numerical_gradient is an exercise
            skip |= {n for n in names if n not in keep}
        return skip

    shutil.copytree(GRADER_ROOT, view, ignore=ignore)
    (view / "reference" / "__init__.py").write_text(REFERENCE_INIT, encoding="utf-8")
    return view


REFERENCE_INIT = '''"""The reference implementations of the notebooks before the one being graded (a grading
sandbox's copy: grader/instructor/sandbox.py). No catalogue of mistakes: hidden checks run
outside the sandbox."""
import sys

from ..checks import notebook_modules

_MODULES = notebook_modules(sys.modules[__name__])


def implementation(exercise_id):
    for module in _MODULES:
        fn = getattr(module, exercise_id, None)
        if callable(fn) and exercise_id in module.__all__:
            return fn
    raise KeyError(f"no reference implementation for {exercise_id!r} in this sandbox")
'''


def command(room: Path, view: Path, data: Path | None) -> list[str]:
    """The bwrap command line (up to ``--``) for a sandbox whose writable room is ``room``."""
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--tmpfs", "/tmp"]
    mounted = []  # read-only binds: what is below them exists already
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
            mounted.append(top)
    binds = []
    # the interpreter and its environment (a venv, a conda env, pyenv's builds), read-only
    for prefix in sorted({sys.base_prefix, sys.prefix, sys.exec_prefix, *_site_dirs()}):
        if Path(prefix).is_dir() and not _within(prefix, mounted):
            binds.append(("--ro-bind", prefix, prefix))
    binds.append(("--ro-bind", str(view), str(GRADER_ROOT)))  # over whatever the install points at
    if data is not None and data.is_dir():
        binds.append(("--ro-bind", str(data), str(data)))
    binds.append(("--bind", str(room), str(room)))
    made = set()
    for how, source, dest in binds:
        # the folders on the way are made by bwrap, as 0700 unless told: kernels run as
        # nobody when grading as root, and must get through them
        for folder in reversed(Path(dest).parents):
            if str(folder) not in ("/", "/tmp") and str(folder) not in made \
                    and not _within(str(folder), mounted):
                args += ["--perms", "0755", "--dir", str(folder)]
                made.add(str(folder))
        args += [how, source, dest]
        mounted.append(dest)
    return args + ["--chdir", str(room), "--"]


def _within(path: str, tops) -> bool:
    return any(path == t or path.startswith(t.rstrip("/") + "/") for t in tops)


def _site_dirs() -> list[str]:
    import site

    dirs = [d for d in [*site.getsitepackages(), site.getusersitepackages()] if Path(d).is_dir()]
    return [str(Path(d).resolve()) for d in dirs]


def kernel_environment(room: Path) -> dict:
    """What a kernel's environment must say so that nothing it writes leaves the room."""
    home = room / "home"
    return {"HOME": str(home), "TMPDIR": "/tmp", "MPLCONFIGDIR": str(home / ".matplotlib"),
            "IPYTHONDIR": str(home / ".ipython"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_DATA_DIR": str(home / "data"), "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONNOUSERSITE": "1"}


def host_pid(sandbox_pid: int, ns_pid: int) -> int | None:
    """The pid, as this process sees it, of the process that is ``ns_pid`` inside the
    sandbox whose bwrap is ``sandbox_pid``."""
    for pid in descendants({sandbox_pid}):
        if _ns_pids(pid)[-1:] == [ns_pid]:
            return pid
    return None


def _ns_pids(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return [int(x) for x in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def sweep(sandbox_pid: int, keep: set[int]) -> int:
    """Kill every process in the sandbox but ``keep`` (host pids): stopped first, so that
    none forks while the list is read, then killed; again until none is left. Returns
    how many were killed."""
    killed = set()
    for _ in range(50):
        doomed = {p for p in descendants({sandbox_pid}) - keep if _alive(p)}
        if not doomed:
            break
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in doomed:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        killed |= doomed
        threading.Event().wait(0.01)
    return len(killed)


def empty(folder: Path) -> None:
    """Remove everything in ``folder`` (not the folder: it is mounted in the sandbox),
    whatever the student's code did to the permissions."""
    for entry in list(os.scandir(folder)):
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            _writable(path)
            shutil.rmtree(path, onerror=_retry_writable)
        else:
            path.unlink(missing_ok=True)


def _writable(top: Path) -> None:
    for folder, dirs, _ in os.walk(top):
        for d in dirs:
            try:
                os.chmod(os.path.join(folder, d), stat.S_IRWXU, follow_symlinks=False)
            except (OSError, NotImplementedError):
                pass
    try:
        os.chmod(top, stat.S_IRWXU)
    except OSError:
        pass


def _retry_writable(func, path, exc_info):
    try:
        os.chmod(os.path.dirname(path), stat.S_IRWXU)
        func(path)
    except OSError:
        pass


def give_to_kernels(folder: Path, uid: int | None) -> None:
    """As root, kernels run as a user of their own (zygote.py): the room must be theirs."""
    if os.geteuid() != 0 or uid is None:
        return
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            try:
                os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)
            except OSError:
                pass
    os.chown(folder, uid, uid)


def new_room(parent: Path | None = None) -> Path:
    room = Path(tempfile.mkdtemp(prefix="grading-room-", dir=parent))
    room.chmod(0o755)
    return room
