"""Time the course: each solution notebook run top to bottom, each public check, and the
hidden checks of each notebook together (what autograding one submission costs in checks).

    make bench                          # or: .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --repeat 9 --notebook-repeat 3

Prints a Markdown table, writes it to benchmarks/results/<date>-<time>.md and exits with
status 1 if anything is over its target (benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time
from datetime import datetime

import numpy as np

import grader
from grader.execute import run_notebook
from grader.reference import implementation
from grader.release import ROOT, assignments

NOTEBOOK_TARGET = 20.0  # seconds for "Run All" on a solution notebook, kernel start included
# ... but Bayesian optimization and the capstone tune hyperparameters: 30 s
NOTEBOOK_TARGETS = {"07-bayesian-optimization": 30.0, "08-capstone": 30.0}
CHECK_TARGET = 0.5  # seconds for one public check: the student waits for it after every attempt
# seconds for a notebook's checks with hidden trials, all exercises together: every submission
# pays it when autograding (the capstone and Bayesian optimization notebooks get 30 s to run,
# not more for their checks)
HIDDEN_TARGET = 10.0


def time_notebook(assignment, repeat):
    """Seconds per run of the solution notebook (it must run without error)."""
    path = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    return [run_notebook(path)[1] for _ in range(repeat)]


def time_check(exercise_id, repeat):
    """Seconds per public check of the reference implementation; the first call is included,
    since in a notebook it is the one the student waits for."""
    fn, times = implementation(exercise_id), []
    for _ in range(repeat):
        with contextlib.redirect_stdout(io.StringIO()):  # the success lines
            start = time.perf_counter()
            grader.check(exercise_id, fn)
            times.append(time.perf_counter() - start)
    return times


def time_hidden(assignment, repeat):
    """Seconds for the full checks (public and hidden trials) of every exercise of a notebook."""
    from grader import registry

    times = []
    for _ in range(repeat):
        with contextlib.redirect_stdout(io.StringIO()):
            start = time.perf_counter()
            for exercise in registry.exercises(assignment):
                grader.check(exercise.id, implementation(exercise.id), hidden=True)
            times.append(time.perf_counter() - start)
    return times


def row(what, times, target):
    median, slowest = statistics.median(times), max(times)
    verdict = "ok" if slowest <= target else "**OVER TARGET**"
    return f"| {what} | {median:.3f} | {slowest:.3f} | {target:g} | {verdict} |", slowest <= target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per public check (default 5)")
    parser.add_argument("--notebook-repeat", type=int, default=1, help="runs per notebook (default 1)")
    args = parser.parse_args(argv)

    rows = []
    for assignment in assignments():
        print(f"running {assignment} ...", file=sys.stderr, flush=True)
        times = time_notebook(assignment, args.notebook_repeat)
        rows.append(row(f"notebook `{assignment}`", times, NOTEBOOK_TARGETS.get(assignment, NOTEBOOK_TARGET)))
    for exercise in grader.registry.exercises():
        times = time_check(exercise.id, args.repeat)
        rows.append(row(f"public check `{exercise.id}`", times, CHECK_TARGET))
    for assignment in assignments():
        times = time_hidden(assignment, max(1, args.repeat // 3))
        rows.append(row(f"hidden checks of `{assignment}`", times, HIDDEN_TARGET))

    now = datetime.now()
    table = "\n".join([
        f"# Benchmarks, {now:%Y-%m-%d %H:%M}",
        "",
        f"{platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}.",
        f"Times in seconds; {args.repeat} runs per check, {args.notebook_repeat} per notebook.",
        "",
        "| what | median | slowest | target | |",
        "|---|---:|---:|---:|---|",
        *(line for line, _ in rows),
        "",
    ])
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"{now:%Y%m%d-%H%M%S}.md"
    out.write_text(table, encoding="utf-8")
    print(table)
    print(f"written to {out.relative_to(ROOT)}")
    over = sum(not ok for _, ok in rows)
    if over:
        print(f"{over} over target", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
