"""What gradient descent finds on n-bit parity: the larger sweep behind notebook 02, section 3.

    .venv/bin/python benchmarks/nb02_parity.py              # n = 6 and 8, 10 starts each
    .venv/bin/python benchmarks/nb02_parity.py --bits 6 --seeds 20

For each architecture, trains with the course's reference train_model (full-batch gradient
descent, He initialisation) from several random starts:

- on all 2**n patterns: how often every pattern is fitted, and the mean fraction fitted;
- on a random 75% of the patterns: the mean accuracy on the other 25% (chance is 50%).

Prints a Markdown table and writes it to benchmarks/results/nb02_parity-<date>-<time>.md.
"""
from __future__ import annotations

import argparse
import time
from datetime import datetime

import numpy as np

from grader.reference.nb02 import parity_data, predict, train_model
from grader.release import ROOT


def architectures(n):
    """Networks just large enough on paper (with a note saying so), and larger ones."""
    return [
        ([n, n, 1], "zigzag size"),
        ([n, 4 * n, 1], ""),
        ([n, 16 * n, 1], ""),
        (xor_tree_dims(n), "XOR-tree shape"),
        ([n, 2 * n, 2 * n, 1], ""),
        ([n, 2 * n, 2 * n, 2 * n, 1], ""),
    ]


def xor_tree_dims(n):
    """layer_dims of the XOR tree of notebook 02: 2 units per XOR, 1 per value passed on."""
    dims, values = [n], n
    while values > 1:
        dims.append(2 * (values // 2) + values % 2)
        values = values // 2 + values % 2
    return dims + [1]


def sweep(n, seeds, iterations, learning_rate):
    X, Y = parity_data(n)
    m = X.shape[1]
    rows = []
    for dims, note in architectures(n):
        start = time.perf_counter()
        fitted, unseen = [], []
        for seed in range(seeds):
            rng = np.random.default_rng(1000 + seed)
            with np.errstate(all="ignore"):  # a saturated sigmoid makes the cost inf/nan only
                params, _ = train_model(X, Y, dims, learning_rate, iterations, rng)
                fitted.append(float(np.mean(predict(X, params) == Y)))
                order = rng.permutation(m)
                seen, held_out = order[: 3 * m // 4], order[3 * m // 4:]
                params, _ = train_model(X[:, seen], Y[:, seen], dims, learning_rate, iterations, rng)
                unseen.append(float(np.mean(predict(X[:, held_out], params) == Y[:, held_out])))
        rows.append(f"| {n} | `{dims}` {note} | {sum(dims[1:-1])} | {np.mean(np.array(fitted) == 1):.0%} "
                    f"| {np.mean(fitted):.0%} | {np.mean(unseen):.0%} ({min(unseen):.0%} to {max(unseen):.0%}) "
                    f"| {time.perf_counter() - start:.1f} |")
        print(rows[-1], flush=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[6, 8])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--learning-rate", type=float, default=0.5)
    args = parser.parse_args(argv)
    now = datetime.now()
    header = [
        f"# n-bit parity: what gradient descent finds, {now:%Y-%m-%d %H:%M}",
        "",
        f"{args.seeds} random starts per row, {args.iterations} iterations, learning rate "
        f"{args.learning_rate}. Unseen: trained on 75% of the patterns, accuracy on the other 25%.",
        "",
        "| n | layer_dims | hidden units | all fitted | mean fitted | unseen, mean (range) | seconds |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    print("\n".join(header), flush=True)
    rows = [row for n in args.bits for row in sweep(n, args.seeds, args.iterations, args.learning_rate)]
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"nb02_parity-{now:%Y%m%d-%H%M%S}.md"
    out.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
