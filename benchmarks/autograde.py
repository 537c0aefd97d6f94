"""Autograding throughput: plain sequential nbgrader against the course's parallel runner.

    .venv/bin/python benchmarks/autograde.py                 # 40 submissions, 3 rounds (~7 min)
    .venv/bin/python benchmarks/autograde.py --rounds 1      # one round (~2 min)
    .venv/bin/python benchmarks/autograde.py --n 80 --workers 4 --full

Generates N submissions of one assignment from its solution notebook (every one solved,
each missing a different exercise or none, so scores vary), puts the same files in two
throwaway courses, releases the assignment in both (`nbgrader generate_assignment`,
untimed: an instructor's course is in that state when submissions come in), and times
  - nbgrader:  `nbgrader autograde A` then `nbgrader generate_feedback A` (one student after
               another, as nbgrader does), i.e. the gradebook and the feedback;
  - runner:    `python -m grader autograde A --workers W --no-cache` (gradebook, feedback
               without hidden tests, grades CSV).
Each round does both, on fresh courses, alternating which goes first: a virtual machine's
speed drifts by 10-20 % over minutes, which one round cannot tell from a real difference.
Reports submissions per minute and two ratios per round, and their medians: the headline,
the issue's target (>= 1.8x), is against plain sequential `nbgrader autograde` alone (which
writes no feedback, though the runner does); the second against nbgrader autograde +
generate_feedback, the same outputs as the runner's. Checks that both gradebooks hold
identical scores in every round, prints the table and writes it to
benchmarks/results/autograde-<date>-<time>.md (the path is printed last); exit status 1 if
scores differ or the median headline ratio is under target. Without --full the ungraded
demo cells (training runs, figures) are left out of the submissions, so the benchmark
measures grading rather than the demos.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import grader  # noqa: E402
from grader.instructor.autograde import Settings  # noqa: E402


def gid(cell):
    return (cell["metadata"].get("nbgrader") or {}).get("grade_id")


def submissions(assignment, n, full):
    release = json.loads((ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text("utf-8"))
    solution = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text("utf-8"))
    answers = {gid(c): "".join(c["source"]) for c in solution["cells"] if gid(c)}
    ids = [e.id for e in grader.exercises(assignment)]
    for i in range(n):
        nb = copy.deepcopy(release)
        skipped = ids[i % (len(ids) + 1) - 1] if i % (len(ids) + 1) else None  # none, then each in turn
        for c in nb["cells"]:
            if (c["metadata"].get("nbgrader") or {}).get("solution") and gid(c) != f"{skipped}-code":
                c["source"] = answers[gid(c)]
        if not full:
            nb["cells"] = [c for c in nb["cells"] if c["cell_type"] != "code" or gid(c)]
        yield f"student{i:03d}", json.dumps(nb, indent=1)


def course(folder, assignment, subs):
    (folder / "solutions").mkdir(parents=True)
    shutil.copytree(ROOT / "solutions" / assignment, folder / "solutions" / assignment)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    for student, text in subs:
        path = folder / "submitted" / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    return folder


def run(*args, cwd):
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
               JUPYTER_CONFIG_DIR=str(cwd / ".jupyter"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def scores(folder, assignment):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}", "dnn-from-scratch") as gb:
        return {(s.student.id, g.name): g.score for s in gb.find_assignment(assignment).submissions
                for nb in s.notebooks for g in nb.grades}


def one_round(a, subs, workers, tmp: Path, runner_first: bool):
    """Times (nbgrader autograde, nbgrader generate_feedback, runner) on fresh copies of the
    same course, both released with `nbgrader generate_assignment` first (untimed), as an
    instructor's course is when the submissions come in; and whether the scores agree."""
    base = course(tmp / "nbgrader", a, subs)
    ours = course(tmp / "runner", a, subs)
    for folder in (base, ours):
        run("nbgrader", "generate_assignment", a, cwd=folder)
    t = {}

    def runner():
        t["runner"] = run("grader", "autograde", a, "--course", str(ours), "--workers", str(workers),
                          "--no-cache", cwd=ours)

    if runner_first:
        runner()
    t["autograde"] = run("nbgrader", "autograde", a, cwd=base)
    t["feedback"] = run("nbgrader", "generate_feedback", a, cwd=base)
    if not runner_first:
        runner()
    theirs, mine = scores(base, a), scores(ours, a)
    return t, theirs == mine, len(mine)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="01-building-blocks")
    parser.add_argument("--n", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--workers", type=int, default=Settings.workers, help="default: the runner's")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, alternating which goes first; the median ratio counts (default 3)")
    parser.add_argument("--full", action="store_true", help="keep the ungraded demo cells")
    args = parser.parse_args(argv)
    subs = list(submissions(args.assignment, args.n, args.full))
    a = args.assignment
    rounds = []
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(one_round(a, subs, args.workers, Path(tmp), runner_first=r % 2 == 1))
    rate = lambda t: args.n / t * 60  # noqa: E731
    ratios = [t["autograde"] / t["runner"] for t, _, _ in rounds]
    ratios_fb = [(t["autograde"] + t["feedback"]) / t["runner"] for t, _, _ in rounds]
    same = all(ok for _, ok, _ in rounds)
    headline = statistics.median(ratios)
    lines = [
        f"# Autograding {args.n} submissions of {a}" + (" (full notebooks)" if args.full else ""),
        "",
        f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, runner with {args.workers} workers, {args.rounds} round(s)",
        "",
        "| round | nbgrader autograde (s) | + generate_feedback (s) | runner (s) | runner/min | ratio | ratio with feedback |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, ((t, _, _), r, rf) in enumerate(zip(rounds, ratios, ratios_fb), 1):
        lines.append(f"| {i}{' (runner first)' if i % 2 == 0 else ''} | {t['autograde']:.1f} | "
                     f"{t['autograde'] + t['feedback']:.1f} | {t['runner']:.1f} | {rate(t['runner']):.1f} | "
                     f"{r:.2f}x | {rf:.2f}x |")
    lines += [
        "",
        f"ratio (runner / sequential nbgrader autograde), median of the rounds: **{headline:.2f}x** "
        f"(target >= 1.8x)  ",
        f"ratio (runner / nbgrader autograde + generate_feedback, the runner's outputs), median: "
        f"{statistics.median(ratios_fb):.2f}x  ",
        f"identical scores in both gradebooks ({rounds[0][2]} grade cells) in every round: {'yes' if same else 'NO'}",
    ]
    table = "\n".join(lines)
    print(table)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"autograde-{datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(table + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0 if same and headline >= 1.8 else 1


if __name__ == "__main__":
    sys.exit(main())
