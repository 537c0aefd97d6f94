"""Time notebook 06 (optimization algorithms): "Run All", its slowest cells, its widgets, its checks.

    .venv/bin/python benchmarks/nb06_optimizers.py [--notebook-repeat 2] [--redraws 2] [--repeat 5]

Runs solutions/06-optimizers with the course's runner (grader/execute.py). A second run has one
cell appended in memory that redraws both widgets' figures at slider positions a student would
try, exactly as a slider move does (inline PNG). Prints a Markdown table, writes it to
benchmarks/results/nb06-<date>-<time>.md and exits with status 1 if anything is over its target.

Timings on a loaded machine are pessimistic: numpy's multithreaded BLAS slows down sharply when
other processes compete for the two cores (see the load average in the table's header).
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

NOTEBOOK = ROOT / "solutions" / "06-optimizers" / "06-optimizers.ipynb"
TARGETS = {"notebook": 20.0, "redraw": 0.3, "check": 0.5}

# Appended to the notebook: each widget redrawn at settings a student would try.
REDRAWS = '''
import json as _json, time as _time
_times = {"ewma": [], "optimizers": []}
for _ in range({rounds}):
    for _args in [(0.9, True), (0.98, False), (0.5, True), (0.995, True), (0.0, False)]:
        _start = _time.perf_counter()
        show_ewma(*_args)
        _times["ewma"].append(_time.perf_counter() - _start)
    for _args in [("bowl", "momentum", 0.075, 0.9), ("bowl", "gradient descent", 0.09, 0.9),
                  ("Rosenbrock", "Adam", 0.1, 0.9), ("Rosenbrock", "AdaGrad", 0.001, 0.5),
                  ("bowl", "momentum", 1.5, 0.99), ("Rosenbrock", "RMSprop", 3.0, 0.0)]:
        _start = _time.perf_counter()
        show_optimizer(*_args)
        _times["optimizers"].append(_time.perf_counter() - _start)
print("REDRAWS", _json.dumps(_times))
'''


def cell_seconds(nb):
    """(seconds, first line) of every executed code cell, from nbclient's timing metadata."""
    out = []
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "iopub.execute_input" in timing:
            start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            out.append(((end - start).total_seconds(), cell.source.splitlines()[0][:60]))
    return out


def run_with_redraws(rounds):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(REDRAWS.replace("{rounds}", str(rounds))))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timed.ipynb"
        nbformat.write(nb, path)
        # run where the original lives, so that functions_from finds notebook 01 beside it
        executed, seconds = run_notebook(path, cwd=NOTEBOOK.parent)
    text = "".join(stream(c) for c in executed.cells)
    return seconds, json.loads(re.search(r"REDRAWS (\{.*\})", text).group(1))


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
    return f"| {what} | {median:.3f} | {slowest:.3f} | {'' if target is None else f'{target:g}'} | {verdict} |", ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notebook-repeat", type=int, default=1, help="plain runs of the notebook (default 1)")
    parser.add_argument("--redraws", type=int, default=2, help="rounds of 11 widget redraws (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each check (default 5)")
    args = parser.parse_args(argv)

    print("running the notebook ...", file=sys.stderr, flush=True)
    plain, slowest_cells = [], []
    for _ in range(args.notebook_repeat):
        nb, seconds = run_notebook(NOTEBOOK)
        plain.append(seconds)
        slowest_cells = sorted(cell_seconds(nb), reverse=True)[:4]
    with_redraws, redraws = run_with_redraws(args.redraws)
    rows = [row("notebook, Run All (kernel start included)", plain, TARGETS["notebook"])]
    rows += [row(f"cell `{first}` (not a target)", [seconds], None) for seconds, first in slowest_cells]
    rows += [
        row("notebook + redraw cell (not a target)", [with_redraws], None),
        row(f"widget redraw, exponentially weighted average ({len(redraws['ewma'])} moves)",
            redraws["ewma"], TARGETS["redraw"]),
        row(f"widget redraw, optimizer paths ({len(redraws['optimizers'])} moves)",
            redraws["optimizers"], TARGETS["redraw"]),
    ]
    for exercise in grader.exercises("06-optimizers"):
        rows.append(row(f"public check `{exercise.id}`", time_check(exercise.id, False, args.repeat), TARGETS["check"]))
        rows.append(row(f"hidden check `{exercise.id}` (not a target)", time_check(exercise.id, True, args.repeat), None))

    now = datetime.now()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = "\n".join([
        f"# Notebook 06 benchmark, {now:%Y-%m-%d %H:%M}",
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
    out = results / f"nb06-{now:%Y%m%d-%H%M%S}.md"
    out.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {out.relative_to(ROOT)}")
    return 1 if any(not ok for _, ok in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
