"""Notebook 05 (vanishing gradients): its timings, and its training story over seeds.

    .venv/bin/python benchmarks/nb05_initialization.py              # 5 seeds, notebook timed once
    .venv/bin/python benchmarks/nb05_initialization.py --seeds 10 --no-notebook

Times, against their targets:

- the solution notebook, "Run All" in a fresh kernel (20 s);
- the public checks of the notebook's exercises, reference implementations (0.5 s each);
- a redraw of the depth / gain widget, computing and rendering the figure to PNG as the
  inline backend does (0.3 s), for several settings. A redraw is judged by its median:
  a single slow run (the garbage collector, another process) is not what a student sees
  while moving a slider.

And repeats the notebook's training curves (`[64] + [20] * 8 + [1]`, 300 steps, 300 digit
images; the reference functions in place of the student's) over seeds, so the notebook's
wording can be checked against more than one draw: the cost at steps 30 and 300 for each
initialization, how often N(0, 1) overflows to nan rather than dying on the plateau, and
the test accuracy.

Prints a Markdown report, writes it to benchmarks/results/nb05-<date>-<time>.md, and exits
with status 1 if a timing is over target.
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
from grader.datasets import load_digits
from grader.reference import implementation, nb01, nb05
from grader.release import ROOT

NOTEBOOK = "05-vanishing-gradients"
NOTEBOOK_TARGET, CHECK_TARGET, REDRAW_TARGET = 20.0, 0.5, 0.3
REDRAWS = [(50, 1.41, "relu"), (50, 1.2, "relu"), (60, 2.5, "relu"), (50, 1.0, "tanh"),
           (50, 2.0, "tanh"), (50, 1.0, "linear"), (3, 0.5, "linear")]


def time_notebook():
    from grader.execute import run_notebook

    return run_notebook(ROOT / "solutions" / NOTEBOOK / f"{NOTEBOOK}.ipynb")[1]


def time_checks(repeat):
    rows = []
    for exercise in grader.exercises(NOTEBOOK):
        fn, times = implementation(exercise.id), []
        for _ in range(repeat):
            with contextlib.redirect_stdout(io.StringIO()):
                start = time.perf_counter()
                grader.check(exercise.id, fn)
                times.append(time.perf_counter() - start)
        rows.append((f"public check `{exercise.id}`", times, CHECK_TARGET))
    return rows


def widget_show():
    """The notebook's `show` (the widget's redraw), from its code cells, with a headless
    backend whose plt.show renders the figure to PNG like the inline backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    def render():
        for number in plt.get_fignums():
            plt.figure(number).savefig(io.BytesIO(), format="png", bbox_inches="tight")
        plt.close("all")

    path = ROOT / "solutions" / NOTEBOOK / f"{NOTEBOOK}.ipynb"
    namespace = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(path.parent)                       # functions_from finds notebook 01 from here
    try:
        plt.show = render
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                source = cell.source.replace("widgets.interact(", "(lambda *args, **kwargs: None)(")
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"<{NOTEBOOK}>", "exec"), namespace)  # noqa: S102 - our notebook
    finally:
        os.chdir(cwd)
    return namespace["show"]


def time_redraws(repeat):
    show = widget_show()
    rows = []
    for args in REDRAWS:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            show(*args)
            times.append(time.perf_counter() - start)
        rows.append((f"widget redraw `show{args}` (median judged)", times, REDRAW_TARGET))
    return rows


# -- the training story over seeds ---------------------------------------------------------


def digits(rng, n_train=300):
    X, digit = load_digits()
    Y = (digit % 2 == 0).astype(float).reshape(1, -1)
    order = rng.permutation(X.shape[1])
    train, test = order[:n_train], order[n_train:]
    mu, sigma = X[:, train].mean(axis=1, keepdims=True), X[:, train].std(axis=1, keepdims=True)
    sigma[sigma == 0] = 1.0
    return (X[:, train] - mu) / sigma, Y[:, train], (X[:, test] - mu) / sigma, Y[:, test]


def train(params, X, Y, learning_rate=0.1, steps=300):
    costs = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            AL, caches = nb01.model_forward(X, params)
            ZL = caches[-1][1]
            costs.append(float(np.mean(np.logaddexp(0, ZL) - Y * ZL)))
            params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), learning_rate)
    return params, np.array(costs)


def training_story(seeds):
    dims = [64] + [20] * 8 + [1]
    inits = {
        "zeros": lambda rng: nb05.initialize_parameters_zeros(dims),
        "N(0, 0.01^2)": lambda rng: nb01.initialize_parameters(dims, rng, 0.01),
        "N(0, 1)": lambda rng: nb01.initialize_parameters(dims, rng, 1.0),
        "Xavier": lambda rng: nb05.initialize_parameters_xavier(dims, rng),
        "He": lambda rng: nb05.initialize_parameters_he(dims, rng),
    }
    results = {name: [] for name in inits}
    for seed in range(seeds):
        X, Y, X_test, Y_test = digits(np.random.default_rng(100 + seed))
        for name, init in inits.items():
            params, costs = train(init(np.random.default_rng(seed)), X, Y)
            with np.errstate(all="ignore"):
                AL, _ = nb01.model_forward(X_test, params)
            results[name].append((costs[30], costs[-1], float(np.mean((AL > 0.5) == Y_test))))
    lines = ["| initialization | cost at step 30 | cost at step 300 | nan at the end | test accuracy |",
             "|---|---|---|---|---|"]
    for name, rows in results.items():
        c30, c300, acc = (np.array(column) for column in zip(*rows))
        finite = c300[np.isfinite(c300)]
        lines.append(
            f"| {name} | {_spread(c30)} | {_spread(finite) if finite.size else 'nan'} | "
            f"{np.isnan(c300).sum()} of {len(rows)} | {_spread(100 * acc, '.1f')} % |")
    return "\n".join(lines)


def _spread(values, fmt=".3g"):
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return "nan"
    return f"{np.mean(values):{fmt}} ({np.min(values):{fmt}} to {np.max(values):{fmt}})"


def row(what, times, target):
    median, slowest = statistics.median(times), max(times)
    ok = (median if "median judged" in what else slowest) <= target
    return f"| {what} | {median:.3f} | {slowest:.3f} | {target:g} | {'ok' if ok else '**OVER TARGET**'} |", ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds for the training story (default 5)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each check and redraw (default 5)")
    parser.add_argument("--no-notebook", action="store_true", help="do not time the notebook")
    args = parser.parse_args(argv)

    timings = []
    if not args.no_notebook:
        print("running the notebook ...", file=sys.stderr, flush=True)
        timings.append(("notebook, Run All (kernel start included)", [time_notebook()], NOTEBOOK_TARGET))
    timings += time_checks(args.repeat)
    timings += time_redraws(args.repeat)
    rows = [row(*t) for t in timings]
    print(f"training over {args.seeds} seeds ...", file=sys.stderr, flush=True)
    story = training_story(args.seeds)

    now = datetime.now()
    report = "\n".join([
        f"# Notebook 05 benchmarks, {now:%Y-%m-%d %H:%M}",
        "",
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}. Times in seconds; checks and redraws {args.repeat} runs each.",
        "",
        "| what | median | slowest | target | |",
        "|---|---:|---:|---:|---|",
        *(line for line, _ in rows),
        "",
        f"## Training curves over {args.seeds} seeds",
        "",
        "`[64] + [20] * 8 + [1]`, ReLU, learning rate 0.1, 300 steps on 300 digit images "
        "(even or odd); mean (min to max) over seeds.",
        "",
        story,
        "",
    ])
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"nb05-{now:%Y%m%d-%H%M%S}.md"
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {out.relative_to(ROOT)}")
    return 0 if all(ok for _, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
