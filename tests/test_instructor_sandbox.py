"""The grading sandbox against a class of determined cheats (grader/instructor/sandbox.py).

Every route by which a submission once earned marks it had not, or harmed another
submission, is here as a submission of 01-building-blocks. The class is graded ONCE, by
the command line with two workers, and each test reads what it left. For every case:

- the exact fair score: a cheat built on the released stubs scores 0, however well it
  fools the checks in its own kernel; a right notebook with a harmless oddity scores full marks;
- the other students' rows are what they would be alone;
- no file outside the grading rooms changed (the course tree, the grader and the data are
  hashed before and after);
- no process a submission started is alive once grading is over.

Judgement call, stated: a notebook that kills its own kernel cannot be graded (0, failed).
As root, each sandbox's kernels have a user of their own, and ``os.kill(-1, SIGKILL)``
reaches none but the notebook's own children; as another user, it reaches the sandbox's
zygote (the same user), and with it the kernel.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.instructor.sandbox import GRADER_ROOT, unavailable
from .test_instructor_autograde import A, TIMEOUT, TOTAL, Notebooks, gid, make_course

pytestmark = pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox here: {unavailable()}")

CANARY = "SANDBOX-CANARY-7f3a"  # in the command line of every process a cheat starts

# What a cheat knows: where the course is (the instructor's path is no secret) and the
# grader's own layout. {course} is filled in.
TARGETS = '''
import glob, os, sqlite3, sys
course = {course!r}
targets = [os.path.join(course, "gradebook.db"), os.path.join(course, "nbgrader_config.py"),
           os.path.join(course, "submitted", "victim", "{a}", "{a}.ipynb"),
           os.path.join(course, "autograded", ".grading-cache", "{a}", "victim.json"),
           os.path.join(course, "grades-{a}.csv"),
           os.path.join(os.path.dirname(__import__("grader").__file__), "planted.py"),
           os.path.join(os.path.dirname(__import__("grader").__file__), "__pycache__", "planted.pyc")]
targets += glob.glob("../../../**/*.db", recursive=True) + glob.glob("/tmp/**/*.db", recursive=True)

def attack():
    for path in targets:
        try:
            if path.endswith(".db"):
                with sqlite3.connect(path) as db:
                    db.execute("UPDATE grade SET auto_score = 154")
            else:
                with open(path, "a") as f:
                    f.write("# {canary}\\n")
        except Exception:
            pass
'''

EXERCISES = [e.id for e in __import__("grader").exercises(A)]

ATTACKS = {
    # the reference implementations, read from disk, run, imported, or reached by attribute
    "reads_reference": '''
import os, grader
try:
    src = open(os.path.join(os.path.dirname(grader.__file__), "reference", "nb01.py")).read()
    exec(src.replace("from .", "from grader.reference."), globals())
except Exception as e:
    print("read:", type(e).__name__)
''',
    "runpy_reference": '''
import runpy
try:
    globals().update(runpy.run_module("grader.reference.nb01"))
except Exception as e:
    print("runpy:", type(e).__name__)
''',
    "reuse_reference": f'''
from grader.reuse import functions_from
try:
    for _name, _fn in zip({EXERCISES!r}, functions_from("{A}", *{EXERCISES!r})):
        globals()[_name] = _fn
except Exception as e:
    print("reuse:", type(e).__name__)
''',
    "attribute_path": f'''
import grader
try:
    for _name in {EXERCISES!r}:
        globals()[_name] = getattr(grader.reference.nb01, _name)
except Exception as e:
    print("attribute:", type(e).__name__)
''',
    # functions that find the expected value up the stack: in the kernel they pass the public
    # checks (the stored values are there); the verdict outside sends none in
    "frame_walk": f'''
import sys

def _steal(*args, **kwargs):
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if getattr(value, "expected", None) is not None:
                return value.expected
        frame = frame.f_back
    raise NotImplementedError

for _name in {EXERCISES!r}:
    globals()[_name] = _steal
import grader.checking
_run = grader.checking._run
''',
    # the checks themselves switched off, by every route that once worked
    "rebinds_check": '''
for check in [lambda *args, **kwargs: None]:
    pass
''',
    "numpy_dict": '''
import numpy as np
np.__dict__["allclose"] = lambda *a, **k: True
np.__dict__["array_equal"] = lambda *a, **k: True
''',
    "ipython_internals": '''
get_ipython().ex("import grader; grader.check = lambda *a, **k: None")
get_ipython().run_cell("import grader.checking; grader.checking._run = lambda *a, **k: ('', 1)")
''',
    # files: the gradebook, the cache, another submission, the grader, the CSV
    "writes_files": "{targets}\nattack()\n",
    # a daemon that outlives the kernel and keeps trying for a minute
    "daemon": '''{targets}
import subprocess, sys, textwrap
code = "import time\\n" + {targets_literal!r} + "\\nfor _ in range(120):\\n    attack()\\n    time.sleep(0.5)\\n# {canary}"
subprocess.Popen([sys.executable, "-c", code, "{canary}"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
import os
if os.fork() == 0:  # and a double fork, detached
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", code, "{canary}"])
    os._exit(0)
''',
}

# On a right notebook: what must cost nothing, and what cannot be graded.
BESIDES_RIGHT = {
    "harmless": ('''
!ls > /dev/null
%load_ext autoreload
%autoreload 2
import sys, warnings
warnings.warn("a warning")
print("to stderr", file=sys.stderr)
open("notes.txt", "w").write("my notes")
''', TOTAL, "graded"),
    "kills_the_grader": ('''
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as e:
        print(type(e).__name__)
''', TOTAL, "graded"),
    "fork_bomb": ('''
import os, time
children = 0
for _ in range(300):
    try:
        if os.fork() == 0:
            time.sleep(120)
            os._exit(0)
        children += 1
    except OSError:
        break
''', TOTAL, "graded"),
    # every process it may kill: as root, its kernel has a user of its own and kill(-1) spares
    # the caller, so nothing is lost; otherwise the zygote shares its user and dies, and with
    # it the kernel: a notebook that kills its own kernel cannot be graded (a judgement call)
    "kills_everything": ('''
import os, signal
os.kill(-1, signal.SIGKILL)
''', *((TOTAL, "graded") if os.geteuid() == 0 else (0, "failed"))),
}


def _with_attack(nb, code, grade_id="sigmoid-code"):
    cell = Notebooks.cell(nb, grade_id)
    cell["source"] = code + "\n\n" + "".join(cell["source"])
    return nb


def cases(course: Path) -> dict:
    """student -> (notebook, expected total, expected status)"""
    n = Notebooks()
    targets = TARGETS.format(course=str(course), a=A, canary=CANARY)
    out = {"victim": (n.solved(), TOTAL, "graded"), "victim_stubs": (n.untouched(), 0, "graded")}
    for name, code in ATTACKS.items():
        code = code.format(targets=targets, targets_literal=targets, canary=CANARY)
        stubs = n.untouched()
        stubs["cells"] = [c for c in stubs["cells"] if c["cell_type"] != "code" or gid(c)]
        out[name] = (_with_attack(stubs, code), 0, "graded")
    for name, (code, total, status) in BESIDES_RIGHT.items():
        out[name] = (_with_attack(n.solved(), code, "update_parameters-code"), total, status)
    return out


def tree_digest(*roots: Path, skip=()) -> dict:
    digests = {}
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and not any(part in skip for part in p.relative_to(root).parts):
                digests[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digests


def canaries() -> list[int]:
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if CANARY.encode() in cmdline and state != "Z":
                alive.append(int(entry))
    return alive


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    corpus = cases(course)
    make_course(course, {s: ({f"{A}.ipynb": json.dumps(nb)},) for s, (nb, *_) in corpus.items()})
    import tempfile

    # the grader's temporary folders, to find leftovers (short: Unix sockets are made there)
    scratch = Path(tempfile.mkdtemp(prefix="sbx-", dir="/tmp"))
    # what no submission may change: the course as the instructor left it, the grader, the data
    watched = (course, GRADER_ROOT, GRADER_ROOT.parent / "data")
    owned = {"gradebook.db", "autograded", "feedback", f"grades-{A}.csv", f"results-{A}.csv", "__pycache__", ".jupyter"}
    before = tree_digest(*watched, skip=owned)
    env = dict(os.environ, TMPDIR=str(scratch), JUPYTER_CONFIG_DIR=str(course / ".jupyter"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    done = subprocess.run([sys.executable, "-m", "grader", "autograde", A, "--course", str(course), "--workers",
                           "2", "--timeout", str(TIMEOUT), "--deadline", "60"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    time.sleep(1)  # a daemon that was still alive would have written by now
    after = tree_digest(*watched, skip=owned)
    with open(course / f"grades-{A}.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    rooms = sorted(scratch.glob("grading-*"))
    scratch.rmdir() if not rooms else None
    return course, corpus, rows, before, after, canaries(), rooms


def test_every_cheat_scores_its_fair_score(graded):
    course, corpus, rows, *_ = graded
    got = {s: (float(rows[s]["score"]), rows[s]["status"]) for s in corpus}
    want = {s: (float(total), status) for s, (_, total, status) in corpus.items()}
    # on failure: the reason, and what each lost point was lost to (the results table)
    with open(course / f"results-{A}.csv", newline="") as f:
        lost = [(r["student_id"], r["exercise"], r["outcome"], r["mistake"], r["trial"])
                for r in csv.DictReader(f) if r["outcome"] != "passed" and got[r["student_id"]] != want[r["student_id"]]]
    assert got == want, ({s: rows[s]["reason"] for s in corpus if got[s] != want[s]}, lost[:12])


def test_the_frame_walk_is_a_real_cheat(graded):
    """Where the check runs in the student's process, the frame walk passes it unearned; the
    verdict outside (which sent no expected value in) gave it 0, and the test cells of the
    instructor's copy show that verdict, not what the kernel printed."""
    import grader

    namespace = {}
    exec(ATTACKS["frame_walk"], namespace)
    grader.check("sigmoid", namespace["sigmoid"])  # passes: it found the stored value
    course, _, rows, *_ = graded
    assert float(rows["frame_walk"]["sigmoid"]) == 0
    nb = json.loads((course / "autograded" / "frame_walk" / A / f"{A}.ipynb").read_text("utf-8"))
    shown = [str(o) for c in nb["cells"] if gid(c) == "sigmoid" for o in c.get("outputs", [])]
    assert shown and all("CheckFailed" in o and "public trials" not in o for o in shown)


def test_the_scan_is_advisory(graded):
    """What the integrity scan recognises is flagged for the instructor; points are the verdict's."""
    _, _, rows, *_ = graded
    assert "cheat" in rows["frame_walk"]["flags"].split()
    assert float(rows["harmless"]["score"]) == TOTAL


def test_no_file_outside_the_rooms_changed(graded):
    *_, before, after, _, _ = graded
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []
    assert not (GRADER_ROOT / "planted.py").exists()


def test_no_process_a_submission_started_is_alive(graded):
    *_, alive, _ = graded
    assert alive == [], [Path(f"/proc/{p}/cmdline").read_bytes()[:200] for p in alive]


def test_no_grading_room_is_left_behind(graded):
    *_, rooms = graded
    assert rooms == []


def test_without_bwrap_autograde_refuses_unless_told(tmp_path, monkeypatch):
    import shutil

    from grader.instructor import autograde as ag
    from grader.instructor import sandbox
    from grader.release import ROOT

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(ag.NoSandbox, match="--no-sandbox"):
        ag.autograde(tmp_path, A, ag.Settings(workers=1, progress=False), out=None)


def test_the_sandbox_sees_no_course_and_no_network(tmp_path, monkeypatch):
    """What a kernel sees, asked directly: no course, no reference, no network."""
    from grader.instructor import kernels

    monkeypatch.setattr(kernels, "ROOMS", tmp_path)
    box = kernels.Sandbox(A)
    try:
        import subprocess

        from grader.instructor.sandbox import command
        from grader.datasets import data_dir

        probe = ("import os, socket, grader, sys\n"
                 "print(os.path.exists(os.path.join(os.path.dirname(grader.__file__), 'reference', 'nb01.py')))\n"
                 "print(os.path.exists(os.path.join(os.path.dirname(grader.__file__), 'reference', 'mistakes')))\n"
                 f"print(os.path.exists({str(GRADER_ROOT.parent / 'solutions')!r}))\n"
                 "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=2); print('online')\n"
                 "except OSError:\n    print('offline')\n")
        done = subprocess.run([*command(box.room, box.state / "grader", data_dir()), sys.executable, "-c", probe],
                              capture_output=True, text=True, timeout=60)
        assert done.stdout.split() == ["False", "False", "False", "offline"], done.stderr
    finally:
        box.close()
