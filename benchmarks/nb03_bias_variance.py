"""Time notebook 03 (bias and variance): "Run All", its training grid, its widget, its checks.

    .venv/bin/python benchmarks/nb03_bias_variance.py [--notebook-repeat 2] [--redraws 5]

Runs solutions/03-bias-variance with the course's runner (grader/execute.py), plus one cell
appended in memory that redraws the widget's figure several times, exactly as a slider move
does (inline PNG). Targets: "Run All" <= 20 s, a redraw <= 0.3 s of the kernel's CPU time
(wall time too is shown; on a shared machine it mostly measures the wait for a core), a
public check <= 0.5 s. Prints a Markdown table, writes it to benchmarks/results/ and exits
with status 1 if anything is over its target.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat

import grader
from grader.execute import run_notebook, stream
from grader.reference import implementation
from grader.release import ROOT

NOTEBOOK = ROOT / "solutions" / "03-bias-variance" / "03-bias-variance.ipynb"
TARGETS = {"notebook": 20.0, "grid": 8.0, "redraw": 0.3, "check": 0.5}

# Appended to the notebook: slider positions a student would try, each one redraw.
REDRAWS = '''
import json as _json, time as _time
_times, _cpu = [], []
_moves = [(32, 60, 0.0), (0, train_sizes[-1], 0.0), (0, train_sizes[-1], 0.04), (4, 30, 0.0), (16, 250, 0.01)]
for _args in _moves * {rounds}:
    _start, _start_cpu = _time.perf_counter(), _time.process_time()
    show(*_args)
    _times.append(_time.perf_counter() - _start)
    _cpu.append(_time.process_time() - _start_cpu)
print("REDRAWS", _json.dumps([_times, _cpu]))
'''


def run_with_redraws(rounds):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(REDRAWS.format(rounds=rounds)))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timed.ipynb"
        nbformat.write(nb, path)
        # run where the original lives, so that functions_from finds notebook 01 beside it
        executed, seconds = run_notebook(path, cwd=NOTEBOOK.parent)
    text = "".join(stream(c) for c in executed.cells)
    grid = float(re.search(r"trained \d+ networks in ([\d.]+) s", text).group(1))
    redraws = json.loads(re.search(r"REDRAWS (\[.*\])", text).group(1))  # [wall, cpu]
    return seconds, grid, redraws


def run_plain():
    return run_notebook(NOTEBOOK)[1]


def time_check(exercise_id, hidden, repeat):
    fn, times = implementation(exercise_id), []
    for _ in range(repeat):
        with contextlib.redirect_stdout(io.StringIO()):
            start = time.perf_counter()
            grader.check(exercise_id, fn, hidden=hidden)
            times.append(time.perf_counter() - start)
    return times


def row(what, times, target):
    median, slowest = statistics.median(times), max(times)
    ok = target is None or slowest <= target
    verdict = "" if target is None else ("ok" if ok else "**OVER TARGET**")
    shown = "" if target is None else f"{target:g}"
    return f"| {what} | {median:.3f} | {slowest:.3f} | {shown} | {verdict} |", ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notebook-repeat", type=int, default=1,
                        help="plain runs of the notebook (default 1)")
    parser.add_argument("--redraws", type=int, default=2, help="rounds of 5 widget redraws (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each check (default 5)")
    args = parser.parse_args(argv)

    print("running the notebook ...", file=sys.stderr, flush=True)
    plain = [run_plain() for _ in range(args.notebook_repeat)]
    with_redraws, grid, redraws = run_with_redraws(args.redraws)
    rows = [
        row("notebook, Run All (kernel start included)", plain, TARGETS["notebook"]),
        row("notebook + redraw cell (not a target)", [with_redraws], None),
        row("training grid: 36 networks (cell 'trained ... in')", [grid], TARGETS["grid"]),
        # the redraw target is judged on CPU time: on a busy machine the wall time mostly
        # measures the wait for a free core
        row(f"widget redraw, CPU time ({len(redraws[1])} slider moves)", redraws[1], TARGETS["redraw"]),
        row("widget redraw, wall time (not a target)", redraws[0], None),
    ]
    for exercise in grader.exercises("03-bias-variance"):
        public, hidden = (time_check(exercise.id, h, args.repeat) for h in (False, True))
        rows.append(row(f"public check `{exercise.id}`", public, TARGETS["check"]))
        rows.append(row(f"hidden check `{exercise.id}` (not a target)", hidden, None))

    now = datetime.now()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = "\n".join([
        f"# Notebook 03 benchmark, {now:%Y-%m-%d %H:%M}",
        "",
        f"{platform.platform()}, {os.cpu_count()} CPUs, load average {load:.1f} at the end, "
        f"Python {platform.python_version()}. Times in seconds.",
        "",
        "| what | median | slowest | target | |",
        "|---|---:|---:|---:|---|",
        *(line for line, _ in rows),
        "",
    ])
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"nb03-{now:%Y%m%d-%H%M%S}.md"
    out.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {out.relative_to(ROOT)}")
    over = sum(not ok for _, ok in rows)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
