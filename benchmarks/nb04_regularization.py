"""Notebook 04 (regularization): its timings, and its demonstrations repeated over seeds.

    .venv/bin/python benchmarks/nb04_regularization.py             # 5 seeds, notebook timed once
    .venv/bin/python benchmarks/nb04_regularization.py --seeds 10 --no-notebook

The notebook shows each regularization method on one data set and one seed; the numbers
move by a few percentage points with the seed. This script reruns the same setups (the
reference functions in place of the student's) over several seeds and reports means and
ranges, so the notebook's wording can be checked against more than one draw:

- L2 and dropout on the noisy-circle data: train and dev error for each lambd and keep_prob;
- dropout: the largest fraction of dev predictions that removing one hidden unit changes;
- early stopping: test error of the restored checkpoint against the final parameters;
- data augmentation: dev error on centred and on shifted digits, with and without shifts;
- normalizing inputs: iterations of gradient descent to a training cost below 0.1.

It also times the solution notebook ("Run All", target 20 s) and the public checks of the
notebook's exercises (target 0.5 s each). Prints a Markdown report and writes it to
benchmarks/results/nb04-<date>-<time>.md; exits with status 1 if a timing is over target.
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
from grader.datasets import load_breast_cancer, load_digits
from grader.reference import implementation, nb01, nb04
from grader.release import ROOT

NOTEBOOK = "04-regularization"
NOTEBOOK_TARGET, CHECK_TARGET = 20.0, 0.5
LAMBDS, KEEP_PROBS = (0.0, 0.3, 1.0, 3.0), (1.0, 0.8, 0.6)


# -- the notebook's setups ---------------------------------------------------------------


def circle_data(m, rng, noise=0.12):
    X = rng.uniform(-1, 1, (2, m))
    Y = (np.sum(X ** 2, axis=0, keepdims=True) < 0.6 ** 2).astype(float)
    flip = rng.random((1, m)) < noise
    return X, np.where(flip, 1 - Y, Y)


def he_parameters(layer_dims, rng):
    params = nb01.initialize_parameters(layer_dims, rng, scale=1.0)
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = params[f"W{l}"] * np.sqrt(2 / layer_dims[l - 1])
    return params


def error(X, Y, params):
    return float(np.mean((nb01.model_forward(X, params)[0] > 0.5) != Y))


def train(X, Y, lambd=0.0, keep_prob=1.0, learning_rate=0.4, num_iterations=1500, seed=1,
          record=None):
    """The notebook's training of [2, 50, 50, 1]: dropout after the hidden layers, L2.
    record(i, params) is called before each step (early stopping)."""
    rng = np.random.default_rng(seed)
    params = he_parameters([2, 50, 50, 1], rng)
    for i in range(num_iterations):
        if record:
            record(i, params)
        A, caches, masks = X, [], []
        for l in (1, 2):
            A, cache = nb01.linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
            A, mask = nb04.dropout_forward(A, keep_prob, rng)
            caches.append(cache)
            masks.append(mask)
        AL, cache = nb01.linear_activation_forward(A, params["W3"], params["b3"], "sigmoid")
        caches.append(cache)
        grads = {}
        dA, grads["dW3"], grads["db3"] = nb01.linear_backward(AL - Y, caches[2][0])
        for l in (2, 1):
            dA = nb04.dropout_backward(dA, masks[l - 1], keep_prob)
            dA, grads[f"dW{l}"], grads[f"db{l}"] = nb01.linear_activation_backward(dA, caches[l - 1], "relu")
        for l in (1, 2, 3):
            grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / Y.shape[1] * caches[l - 1][0][1]
        params = nb01.update_parameters(params, grads, learning_rate)
    return params


def largest_change(params, X):
    AL, caches = nb01.model_forward(X, params)
    (A_last, W_out, _), Z_out = caches[-1]
    return float(np.max(np.mean(((Z_out - W_out.T * A_last) > 0) != (Z_out > 0), axis=1)))


# -- experiments -----------------------------------------------------------------------------


def circle_experiments(seeds):
    """Per seed: errors of every (lambd, keep_prob), dropout's largest change, early stopping."""
    rows = {key: [] for key in [(l, k) for l in LAMBDS for k in KEEP_PROBS]}
    change, stopping = {"none": [], "dropout 0.6": []}, []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        (X, Y), (X_dev, Y_dev), (X_test, Y_test) = (circle_data(m, rng) for m in (100, 400, 400))
        models = {key: train(X, Y, *key) for key in rows}
        for key, params in models.items():
            rows[key].append((error(X, Y, params), error(X_dev, Y_dev, params)))
        change["none"].append(largest_change(models[(0.0, 1.0)], X_dev))
        change["dropout 0.6"].append(largest_change(models[(0.0, 0.6)], X_dev))

        dev_curve, checkpoints = [], {}

        def record(i, params):
            if i % 10 == 0:
                dev_curve.append(error(X_dev, Y_dev, params))
                if dev_curve[-1] < min(dev_curve[:-1], default=np.inf):
                    checkpoints[len(dev_curve) - 1] = params

        final = train(X, Y, record=record)
        stop, best = nb04.early_stopping(dev_curve, 20)
        stopping.append((10 * best, 10 * stop, error(X_test, Y_test, checkpoints[best]),
                         error(X_test, Y_test, final)))
    return rows, change, stopping


def augmentation_experiment(seeds):
    X, digit = load_digits()
    Y = (digit % 2 == 0).astype(float).reshape(1, -1)
    images = X.T.reshape(-1, 8, 8)
    results = {"no augmentation": [], "random shifts": []}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        order = rng.permutation(images.shape[0])
        tr, dev = order[:100], order[100:900]
        X_shifted = nb04.random_shift(images[dev], 1, rng).reshape(-1, 64).T
        for name in results:
            rng_train = np.random.default_rng(seed)
            params = he_parameters([64, 32, 1], rng_train)
            X_train, Y_train = X[:, tr], Y[:, tr]
            for _ in range(600):
                if name == "random shifts":
                    shifted = nb04.random_shift(images[tr], 1, rng_train).reshape(-1, 64).T
                    X_train = np.concatenate([X[:, tr], shifted], axis=1)
                    Y_train = np.concatenate([Y[:, tr], Y[:, tr]], axis=1)
                AL, caches = nb01.model_forward(X_train, params)
                params = nb01.update_parameters(params, nb01.model_backward(AL, Y_train, caches), 0.5)
            results[name].append((error(X[:, dev], Y[:, dev], params), error(X_shifted, Y[:, dev], params)))
    return results


def normalization_experiment(seeds, target=0.1, budget=3000):
    """Iterations to cost < target with the best learning rate of a grid, raw and normalized."""
    X_all, Y_all, _ = load_breast_cancer()
    grids = {"raw": [1e-7, 1e-6, 1e-5, 1e-4, 1e-3], "normalized": [0.03, 0.1, 0.3, 1.0, 3.0, 10.0]}
    found = {name: [] for name in grids}
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(X_all.shape[1])
        train_idx = order[:int(0.6 * order.size)]
        X, Y = X_all[:, train_idx], Y_all[:, train_idx]
        mu, sigma = nb04.fit_normalizer(X)
        for name, data in (("raw", X), ("normalized", nb04.normalize(X, mu, sigma))):
            best = None
            for learning_rate in grids[name]:
                params = {"W1": np.zeros((1, data.shape[0])), "b1": np.zeros((1, 1))}
                with np.errstate(over="ignore"):
                    for i in range(budget):
                        AL, caches = nb01.model_forward(data, params)
                        if nb01.compute_cost(np.clip(AL, 1e-12, 1 - 1e-12), Y) < target:
                            best = i if best is None else min(best, i)
                            break
                        params = nb01.update_parameters(params, nb01.model_backward(AL, Y, caches), learning_rate)
            found[name].append(best)
    return found


# -- timings ---------------------------------------------------------------------------------


def time_notebook():
    from grader.execute import run_notebook

    return run_notebook(ROOT / "solutions" / NOTEBOOK / f"{NOTEBOOK}.ipynb")[1]


def time_check(exercise_id, repeat=5):
    fn, times = implementation(exercise_id), []
    for _ in range(repeat):
        with contextlib.redirect_stdout(io.StringIO()):
            start = time.perf_counter()
            grader.check(exercise_id, fn)
            times.append(time.perf_counter() - start)
    return times


# -- report ------------------------------------------------------------------------------------


def _mean_range(values, fmt="{:.1%}"):
    values = np.asarray(values, dtype=float)
    return f"{fmt.format(values.mean())} ({fmt.format(values.min())} to {fmt.format(values.max())})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds (default 5)")
    parser.add_argument("--no-notebook", action="store_true", help="do not time the notebook")
    args = parser.parse_args(argv)
    seeds = list(range(args.seeds))
    over = 0
    lines = [f"# Notebook 04 benchmarks, {datetime.now():%Y-%m-%d %H:%M}", "",
             f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
             f"numpy {np.__version__}; {len(seeds)} seeds ({seeds[0]} to {seeds[-1]}). "
             "Errors: mean (min to max) over seeds.", "", "## Timings", "",
             "| what | median s | slowest s | target s | |", "|---|---:|---:|---:|---|"]
    timings = []
    if not args.no_notebook:
        print("running the notebook ...", file=sys.stderr, flush=True)
        seconds = time_notebook()
        timings.append((f"notebook `{NOTEBOOK}`", [seconds], NOTEBOOK_TARGET))
    for exercise in grader.exercises(NOTEBOOK):
        timings.append((f"public check `{exercise.id}`", time_check(exercise.id), CHECK_TARGET))
    for what, times, target in timings:
        ok = max(times) <= target
        over += not ok
        lines.append(f"| {what} | {statistics.median(times):.3f} | {max(times):.3f} | {target:g} | "
                     f"{'ok' if ok else '**OVER TARGET**'} |")

    print("circle experiments ...", file=sys.stderr, flush=True)
    rows, change, stopping = circle_experiments(seeds)
    lines += ["", "## L2 and dropout (noisy circle, m = 100, Bayes error 12%)", "",
              "| lambd | keep_prob | train error | dev error |", "|---:|---:|---|---|"]
    for (lambd, keep_prob), values in rows.items():
        train_err, dev_err = zip(*values)
        lines.append(f"| {lambd:g} | {keep_prob:g} | {_mean_range(train_err)} | {_mean_range(dev_err)} |")
    lines += ["", "Largest fraction of dev predictions changed by removing one unit of the last "
              "hidden layer (lambd = 0):", ""]
    lines += [f"- {name}: {_mean_range(values)}" for name, values in change.items()]
    best, stop, restored, final = zip(*stopping)
    lines += ["", "## Early stopping (lambd = 0, dev error every 10 epochs, patience 20 evaluations)", "",
              f"- best epoch: {_mean_range(best, '{:.0f}')}; stop epoch: {_mean_range(stop, '{:.0f}')}",
              f"- test error, restored checkpoint: {_mean_range(restored)}",
              f"- test error, after all 1500 epochs: {_mean_range(final)}"]

    print("augmentation ...", file=sys.stderr, flush=True)
    augmentation = augmentation_experiment(range(args.seeds + 3))
    lines += ["", f"## Data augmentation (even or odd, 100 training digits, {args.seeds + 3} splits)", "",
              "| training | centred dev error | shifted dev error |", "|---|---|---|"]
    for name, values in augmentation.items():
        centred, shifted = zip(*values)
        lines.append(f"| {name} | {_mean_range(centred)} | {_mean_range(shifted)} |")
    gains = [a[0] - b[0] for a, b in zip(augmentation["no augmentation"], augmentation["random shifts"])]
    lines.append(f"\nGain on centred dev images: {_mean_range(gains)}; positive on "
                 f"{sum(g > 0 for g in gains)} of {len(gains)} splits.")

    print("normalization ...", file=sys.stderr, flush=True)
    found = normalization_experiment(seeds)
    lines += ["", "## Normalizing inputs (logistic regression, breast cancer, 60% training split)", "",
              "Iterations to a training cost below 0.1 with the best learning rate of a grid "
              "(None: not within 3,000):", ""]
    lines += [f"- {name}: {values}" for name, values in found.items()]

    report = "\n".join(lines) + "\n"
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"nb04-{datetime.now():%Y%m%d-%H%M%S}.md"
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {out.relative_to(ROOT)}")
    if over:
        print(f"{over} timing(s) over target", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
