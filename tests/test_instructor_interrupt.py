"""Ctrl-C or SIGTERM stops a grading run within seconds: what was graded is kept (cache, CSV,
gradebook), the rest is marked for the next run, and no process of the run is left."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.instructor.autograde import CACHE
from grader.instructor.executors import descendants

from .test_instructor_autograde import A, TOTAL, Notebooks, make_course

# a submission that is still being graded when the signal comes: a long cell, and a process
# of its own that must not outlive the run
SLOW = "import subprocess, time\nsubprocess.Popen(['sleep', '317'])\ntime.sleep(120)\n\n"
STOPPED_WITHIN = 20  # seconds from the signal to the end of the run


def _alive(pids):
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":  # a zombie is dead
                    alive.append(pid)
        except OSError:
            pass
    return alive


def _sleepers():
    """Processes running the slow submission's `sleep 317`."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and Path(f"/proc/{entry}/cmdline").read_bytes() == b"sleep\x00317\x00":
                found += _alive([int(entry)])
        except OSError:
            pass
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_a_signal_stops_the_run_and_keeps_what_is_graded(tmp_path, how):
    n = Notebooks()
    slow = n.with_code("sigmoid", before=SLOW)
    cases = {"a_done": ({f"{A}.ipynb": json.dumps(n.solved())},),
             **{f"b_slow{i}": ({f"{A}.ipynb": json.dumps(slow)},) for i in range(4)}}
    course = make_course(tmp_path, cases)
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    run = subprocess.Popen([sys.executable, "-m", "grader", "autograde", A, "--course", str(course),
                            "--workers", "2", "--timeout", "300"], cwd=course, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)  # its own process group, as in a terminal
    cached = course / "autograded" / CACHE / A / "a_done.json"
    deadline = time.monotonic() + 180
    while not cached.is_file() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    assert cached.is_file(), run.communicate()[0][-3000:]
    while not _sleepers() and time.monotonic() < deadline:  # a slow one is under way
        time.sleep(0.2)
    tree = descendants([run.pid])
    assert tree and _sleepers()

    start = time.monotonic()
    if how == "ctrl-c":  # the terminal signals the foreground process group
        os.killpg(run.pid, signal.SIGINT)
    else:
        os.kill(run.pid, signal.SIGTERM)
    try:
        output = run.communicate(timeout=STOPPED_WITHIN)[0]
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    took = time.monotonic() - start
    assert run.returncode == 128 + (signal.SIGINT if how == "ctrl-c" else signal.SIGTERM), output[-3000:]
    assert took < STOPPED_WITHIN
    assert "INTERRUPTED: 1 of 5 submissions graded" in output

    time.sleep(1)  # (killed processes are reaped by their new parent)
    assert not _alive(tree), f"left behind: {_alive(tree)}"
    assert not _sleepers(), "a process started by a submission outlived the run"

    with open(course / f"grades-{A}.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert rows["a_done"]["status"] == "graded" and float(rows["a_done"]["score"]) == TOTAL
    assert {rows[f"b_slow{i}"]["status"] for i in range(4)} == {"interrupted"}

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submitted = {s.student.id for s in gb.assignment_submissions(A)}
    assert submitted == {"a_done"}  # no made-up zeros for the others
