"""How the notebook 04 exercises are tried.

L2: networks of one to five layers with nonzero biases, so that a forgotten 1/m, a
penalised bias or a skipped layer all change the value; the backward pass is also compared
with numeric gradients of the regularized cost. Hidden trials add the edges: one layer, a
single example, lambd = 0, a deep network, a hidden layer of one unit, confident
predictions and a large lambd.

Dropout and random_shift are random: they are checked by properties and statistics on
inputs large enough for the statistics to be sharp, never by replaying a random stream.
Every statistical bound has a false-failure probability computed below (exact binomial
tails, Chernoff's bound, a chi-square level) of at most about 1e-9 per trial, and a test is
only made where a correct implementation could fail it with probability below 1e-12 (so
that small trials, m = 1 or one unit, are never failed by chance). Beyond the kept fraction,
the kept count of every unit and of every example must be binomial, the number of units kept
in each example must vary as for independent units (not a fixed count), and the shifts must
be uniform over -max_shift .. max_shift, jointly and in each direction (chi-square tests,
sharp on the trials with 1,000 images or more).

Dropout through a whole network: the forward pass is random too, so it is checked by
properties. Each layer's input is replayed from the student's own Z of the layer below (X
for layer 1, relu(Z[l]) * mask / keep_prob for layer l + 1, sigmoid(Z[L]) for AL), so that a
failure names the first layer that went wrong and how (not rescaled, scaled twice, the
dropped activations not passed on, the inputs or the output layer dropped); every hidden
layer's mask then passes dropout_forward's statistics (their false-failure levels shared
among the layers), no two layers share a mask, and the rng is the only source of
randomness. The backward pass is deterministic: compared by value, and with centred
numeric gradients of the cost of the network thinned by the given masks (held fixed), plus
the L2 penalty when lambd > 0.

The network helpers here are this module's own (not notebook 01's), so that the trials of
this notebook do not move when notebook 01's do.
"""
from __future__ import annotations

import math

import numpy as np

from ..compare import Mismatch
from . import EPS, Clause, Spec, agree, one_example

# A test is made only where a correct implementation fails it with probability below this
NEVER = 1e-12
LOG_NEVER = math.log(NEVER)


def _away_from_zero(rng, shape, low=0.05, high=3.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


# the step of reference.numeric.numerical_gradient
STEP = 1e-5


# -- L2 ----------------------------------------------------------------------------------

# hidden trials with a purpose (the others are random networks of one to four layers)
L2_ONE_LAYER, L2_ONE_EXAMPLE, L2_NO_PENALTY, L2_DEEP, L2_ONE_UNIT, L2_CONFIDENT, L2_LARGE = \
    3, 4, 5, 6, 7, 8, 9


def _l2_network(rng, i):
    """X, Y, params, AL, caches of a network whose Z all stay 0.05 away from ReLU's kink.
    Public trials: L = 3, 4, 2 (non-square W, m between 3 and 7)."""
    from ..reference.nb01 import model_forward

    if i < 3:
        depth = (3, 4, 2)[i]
    else:
        depth = {L2_ONE_LAYER: 1, L2_DEEP: 5}.get(i) or int(rng.integers(1, 5))
    m = 1 if i == L2_ONE_EXAMPLE else int(rng.integers(3, 8))
    dims = [int(rng.integers(2, 6)) for _ in range(depth)] + [1]
    if i == L2_ONE_UNIT:  # a hidden layer of a single unit: W2 is (n, 1), W1 (1, n_x)
        dims = [int(rng.integers(2, 6)), 1, int(rng.integers(2, 6)), 1]
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((dims[0], m))
        AL, caches = model_forward(X, params)
        if all(np.abs(Z).min() > 0.05 for _, Z in caches):
            Y = (rng.random((1, m)) < 0.5).astype(float)
            return X, Y, params, AL, caches


def _lambd(rng, i):
    if i < 3:
        return (0.7, 2.5, 0.15)[i]
    if i == L2_NO_PENALTY:
        return 0.0
    return float(rng.uniform(10.0, 50.0) if i == L2_LARGE else rng.uniform(0.05, 5.0))


def _cost_inputs(rng, i):
    _, Y, params, AL, _ = _l2_network(rng, i)
    if i == L2_CONFIDENT:  # right and wrong, AL between 1e-4 and 5e-4 from 0 or 1
        near = 10 ** rng.uniform(-4, -3.3, AL.shape)
        AL = np.where(rng.random(AL.shape) < 0.5, near, 1 - near)
    return {"AL": AL, "Y": Y, "params": params, "lambd": _lambd(rng, i)}


def _backward_inputs(rng, i):
    _, Y, _, AL, caches = _l2_network(rng, i)
    return {"AL": AL, "Y": Y, "caches": caches, "lambd": _lambd(rng, i)}


def _l2_gradients(trial):
    """Every dW[l], db[l] against centred differences of the regularized cost."""
    from ..reference.nb01 import model_forward
    from ..reference.nb04 import compute_cost_with_l2
    from ..reference.numeric import numerical_gradient

    caches, Y, lambd = trial.inputs["caches"], trial.inputs["Y"], trial.inputs["lambd"]
    X = caches[0][0][0]
    params = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        params[f"W{l}"], params[f"b{l}"] = W, b
    J = compute_cost_with_l2(model_forward(X, params)[0], Y, params, lambd)
    for key, value in params.items():
        def cost(v, key=key):
            changed = {**params, key: v}
            return compute_cost_with_l2(model_forward(X, changed)[0], Y, changed, lambd)
        agree(("d" + key,), f"d{key} = dJ/d{key} of the regularized cost J",
               trial.got["d" + key], numerical_gradient(cost, value, STEP), abs(J))


def _layers(inputs) -> list:
    """The W of every layer of a trial (from params or from caches)."""
    if "params" in inputs:
        return [v for k, v in inputs["params"].items() if k.startswith("W")]
    return [W for (_, W, _), _ in inputs["caches"]]


def _confident(inputs) -> bool:
    AL = inputs["AL"]
    return bool(np.min(np.minimum(AL, 1 - AL)) < 1e-3)


_L2_SHAPES = (
    Clause("shape", "a single example, m = 1: lambd / (2m) with m = 1", tried=one_example("Y")),
    Clause("shape", "a network of one layer (L = 1): W1 is the only weight",
           tried=lambda inputs: len(_layers(inputs)) == 1),
    Clause("shape", "a deep network: every W[l], l = 1 .. L (L = 5)",
           tried=lambda inputs: len(_layers(inputs)) >= 5),
    Clause("boundary", "lambd = 0: nothing added", tried=lambda inputs: inputs["lambd"] == 0),
    Clause("extreme", "a large lambd (10 to 50): the penalty dominates",
           tried=lambda inputs: inputs["lambd"] >= 10),
)

_COST_CLAUSES = _L2_SHAPES + (
    Clause("type", "the cost is a plain number (a float), not a (1, 1) array",
           by="grader.compare.compare"),
    Clause("extreme", "confident predictions, AL within 1e-3 of 0 or 1: the cross-entropy of "
                      "compute_cost, not clipped", tried=_confident),
)

_BACKWARD_CLAUSES = _L2_SHAPES + (
    Clause("per-part", "every layer's dW[l], the output layer's too, gets its own "
                       "(lambd / m) W[l] and no db[l] changes: each compared on its own with the "
                       "numeric gradient of the regularized cost", by="gradients"),
    Clause("shape", "a hidden layer of a single unit",
           tried=lambda inputs: any(W.shape[0] == 1 for W in _layers(inputs)[:-1])),
)


# -- dropout -----------------------------------------------------------------------------

_KEEP_PUBLIC = (0.8, 0.3, 0.65, 0.7)
# trial 3 (public and hidden) has a ReLU's activations, with exact zeros; hidden trials with
# a purpose after it
DROP_RELU, DROP_ALL_KEPT, DROP_ONE_EXAMPLE, DROP_ONE_UNIT, DROP_SMALL_KEEP = 3, 4, 5, 6, 7


def _relu_like(rng, shape):
    """A ReLU layer's activations: about half exactly 0, the others between 0.1 and 3."""
    return np.where(rng.random(shape) < 0.5, 0.0, rng.uniform(0.1, 3.0, shape))


def _dropout_inputs(rng, i):
    # large enough for sharp statistics: dropping with probability keep_prob is off by >= 0.3
    # in the kept fraction, about 20 standard errors; the edges: m = 1, one unit, keep_prob = 1
    # and below 0.1, and activations with exact zeros (every hidden trial after 7 of two)
    if i < 4:
        shape = ((20, 250), (25, 200), (40, 120), (30, 200))[i]
    elif i == DROP_ONE_EXAMPLE:
        shape = (int(rng.integers(30, 60)), 1)
    elif i == DROP_ONE_UNIT:
        shape = (1, int(rng.integers(300, 600)))
    else:
        shape = (int(rng.integers(15, 40)), int(rng.integers(150, 300)))
    if i < 4:
        keep_prob = _KEEP_PUBLIC[i]
    elif i == DROP_ALL_KEPT:
        keep_prob = 1.0  # no dropout at all: everything kept, nothing scaled
    elif i == DROP_SMALL_KEEP:
        keep_prob = float(rng.uniform(0.03, 0.1))
    else:  # away from 0.5, where keeping and dropping with keep_prob look alike
        keep_prob = float(rng.uniform(0.65, 0.95) if i % 2 else rng.uniform(0.1, 0.35))
    relu = i == DROP_RELU or (i > DROP_SMALL_KEEP and i % 2 == 0)
    A = _relu_like(rng, shape) if relu else _away_from_zero(rng, shape, 0.1, 3.0)
    return {"A": A, "keep_prob": keep_prob, "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _as_mask(mask, A, keep_prob, path=(1,), of="A's"):
    """mask as a float 0/1 array, or Mismatch (at ``path``) saying what is wrong with it.
    ``of``: whose shape the mask has, in the message ("A's")."""
    if not isinstance(mask, np.ndarray):
        raise Mismatch(path, f"should be a numpy array of {of} shape {A.shape}, got a "
                             f"{type(mask).__name__}")
    if mask.shape != A.shape:
        n, m = A.shape
        if mask.shape == (n, 1):
            hint = (": that is one mask for all examples. Draw a fresh mask for every "
                    "example, e.g. rng.random(A.shape) < keep_prob")
        elif mask.shape == (1, m):
            hint = (": that drops whole examples. Each unit of each example is kept or "
                    "dropped on its own: rng.random(A.shape) < keep_prob")
        else:
            hint = ""
        raise Mismatch(path, f"has shape {mask.shape}, expected {of} shape {A.shape}{hint}")
    if mask.dtype.kind not in "biuf":
        raise Mismatch(path, f"has dtype {mask.dtype}; expected 0/1 numbers or booleans")
    values = mask.astype(float)
    if not np.all((values == 0) | (values == 1)):
        if keep_prob < 1 and np.allclose(values[values != 0], 1 / keep_prob):
            raise Mismatch(path, "holds 0 and 1/keep_prob: return the mask of 0s and 1s "
                                 "(1 = kept) and put the 1/keep_prob scaling into A_drop only "
                                 "(dropout_backward applies it again from keep_prob)")
        raise Mismatch(path, "should hold only 0 (dropped) and 1 (kept), or booleans")
    return values


def _log_binomial_cdfs(N: int, p: float):
    """(log P(K <= k), log P(K >= k)) for k = 0 .. N, K ~ Binomial(N, p), 0 < p < 1: exact
    (log C(N, k) as a cumulative sum of logs, the tails as cumulative log-sum-exps)."""
    k = np.arange(N + 1)
    log_choose = np.concatenate([[0.0], np.cumsum(np.log(N - k[1:] + 1.0) - np.log(k[1:]))])
    log_pmf = log_choose + k * math.log(p) + (N - k) * math.log1p(-p)
    return np.logaddexp.accumulate(log_pmf), np.logaddexp.accumulate(log_pmf[::-1])[::-1]


# False-failure probability of the kept-fraction tests, per trial: the pooled fraction, and
# every unit's and every example's count (16 trials x 2e-9 in a hidden check)
FRACTION_FALSE_FAILURE = 1e-9
PART_FALSE_FAILURE = 1e-9


def _kept_range(N, p, level):
    """The counts k a correct mask keeps of N units at two-sided level ``level``."""
    low, high = _log_binomial_cdfs(N, p)
    ok = np.flatnonzero(np.minimum(low, high) >= math.log(level / 2))
    return int(ok[0]), int(ok[-1])


def _fraction_check(values, keep_prob, path=(1,), share=1):
    """The pooled kept fraction: exact binomial tails, two-sided, FRACTION_FALSE_FAILURE
    (divided by ``share``, the number of masks tested in one trial)."""
    N, k = values.size, int(values.sum())
    if keep_prob == 1:
        low, high = N, N
    else:
        low, high = _kept_range(N, keep_prob, FRACTION_FALSE_FAILURE / share)
    if low <= k <= high:
        return
    fraction = k / N
    hint = (" A unit is kept with probability keep_prob: mask = rng.random(A.shape) < "
            "keep_prob (with >, it is dropped with probability keep_prob)."
            if abs(fraction - (1 - keep_prob)) < abs(fraction - keep_prob) else "")
    raise Mismatch(path, f"keeps {fraction:.1%} of the units, expected keep_prob = "
                         f"{keep_prob:.1%} (a correct mask keeps between {low / N:.1%} and "
                         f"{high / N:.1%} of these {N})." + hint)


def _per_part_check(values, keep_prob, path=(1,), share=1):
    """Every unit (row) and every example (column) on its own: its kept count is binomial,
    Binomial(m, p) for a unit, Binomial(n, p) for an example. Each of the n + m counts is
    tested two-sided at PART_FALSE_FAILURE / (2 (n + m)) per tail (a union bound: a correct
    mask fails with probability at most PART_FALSE_FAILURE). A pooled fraction hides a unit
    that is never dropped, or an example that is never thinned. ``share``: the number of masks
    tested in one trial, which divide PART_FALSE_FAILURE between them."""
    n, m = values.shape
    threshold = math.log(PART_FALSE_FAILURE / share / (2 * (n + m)))
    for counts, size, line, of in ((values.sum(axis=1), m, "unit {j} (row {j})", "examples"),
                                   (values.sum(axis=0), n, "example {j} (column {j})", "units")):
        low, high = _log_binomial_cdfs(size, keep_prob)
        k = counts.astype(int)
        tails = np.minimum(low[k], high[k])
        j = int(np.argmin(tails))
        if tails[j] < threshold:
            what = line.format(j=j)
            kept = (f"keeps {what} in {k[j]} of the {size} {of}" if of == "examples" else
                    f"keeps {k[j]} of the {size} {of} of {what}")
            raise Mismatch(path, f"{kept}, where keep_prob = {keep_prob:.3g} keeps about "
                                 f"{keep_prob * size:.0f} (a correct mask is this far off with "
                                 f"probability below {math.exp(tails[j]):.0e}): every unit of "
                                 f"every example is kept with probability keep_prob, the first "
                                 f"and the last ones too")


def _dropout_properties(trial):
    """Structure, A_drop = A * mask / keep_prob, a fresh mask per example and per unit,
    zeros of A kept like any other unit, the kept fraction pooled and per unit and per
    example, and proper use of the rng."""
    A, keep_prob, got = trial.inputs["A"], trial.inputs["keep_prob"], trial.got
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Mismatch((), "should be a tuple (A_drop, mask)")
    A_drop, mask = got
    if all(isinstance(x, np.ndarray) and x.shape == A.shape for x in got) and \
            np.all((A_drop == 0) | (A_drop == 1)) and not np.all((mask == 0) | (mask == 1)):
        raise Mismatch((), "looks like (mask, A_drop): return them in the order (A_drop, mask)")
    if not isinstance(A_drop, np.ndarray) or A_drop.shape != A.shape or A_drop.dtype.kind != "f":
        raise Mismatch((0,), f"should be a float array of A's shape {A.shape}")
    values = _as_mask(mask, A, keep_prob)
    if not np.allclose(A_drop, A * values / keep_prob, rtol=1e-9, atol=1e-12):
        kept = values == 1
        if np.allclose(A_drop, A * values, rtol=1e-9, atol=1e-12):
            why = ("keeps A unchanged where mask is 1: inverted dropout divides the kept "
                   "units by keep_prob, A_drop = A * mask / keep_prob")
        elif np.allclose(A_drop, A * values * keep_prob, rtol=1e-9, atol=1e-12):
            why = "multiplies the kept units by keep_prob: divide by keep_prob instead"
        elif np.allclose(A_drop, A * (1 - values) / keep_prob, rtol=1e-9, atol=1e-12):
            why = ("is nonzero where mask is 0: mask must be 1 where a unit is kept "
                   "and 0 where it is dropped")
        elif np.any(A_drop[~kept] != 0):
            why = "should be exactly 0 where mask is 0 (the dropped units)"
        else:
            why = "should be A / keep_prob where mask is 1 (the kept units)"
        raise Mismatch((0,), why)
    _mask_statistics(values, A, keep_prob)
    p = keep_prob
    if not _same_mask(trial.call(), values):
        raise Mismatch((1,), "came out different for two generators in the same state: "
                             "draw all random numbers from the rng argument, never from np.random")
    # two correct masks from different generators agree with probability (p^2 + (1-p)^2)^N
    if p < 1 and values.size * math.log(p ** 2 + (1 - p) ** 2) < LOG_NEVER and \
            _same_mask(trial.call(rng=np.random.default_rng(2024)), values):
        raise Mismatch((1,), "was the same for two different generators: draw from the rng "
                             "argument (do not create your own generator)")


def _mask_statistics(values, A, keep_prob, path=(1,), share=1):
    """A 0/1 mask (``values``) drawn for the activations A, each entry kept with probability
    keep_prob on its own: a fresh mask per example and per unit, zeros of A kept like any
    other unit, the number kept per example not fixed, the kept fraction pooled and per unit
    and per example. Mismatch at ``path``; ``share``: the number of masks tested in one trial
    (the proven false-failure levels are divided between them)."""
    n, m = A.shape
    p = keep_prob
    if p < 1:
        # A correct mask has all m columns equal with probability (p^m + (1-p)^m)^n, all n
        # rows equal with probability (p^n + (1-p)^n)^m: tested only where that is < NEVER.
        if m > 1 and n * math.log(p ** m + (1 - p) ** m) < LOG_NEVER and \
                np.all(values == values[:, :1]):
            raise Mismatch(path, "is the same for every example (column): draw a fresh mask "
                                 "for every example, rng.random(A.shape) < keep_prob")
        if n > 1 and m * math.log(p ** n + (1 - p) ** n) < LOG_NEVER and \
                np.all(values == values[:1, :]):
            raise Mismatch(path, "is the same for every unit (row), so whole examples are "
                                 "dropped: draw rng.random(A.shape), one number per entry")
        # Where A is 0 (a ReLU's output), a correct mask still keeps each unit with
        # probability p: all z of them dropped has probability (1 - p)^z.
        zeros = A == 0
        z = int(zeros.sum())
        if z and z * math.log1p(-p) < LOG_NEVER and np.all(values[zeros] == 0):
            raise Mismatch(path, f"is 0 wherever A is 0 (all {z} such entries): a unit whose "
                                 f"activation is 0, as a ReLU gives, is kept with probability "
                                 f"keep_prob like any other. Return the mask you drew "
                                 f"(rng.random(A.shape) < keep_prob), not one read off A_drop "
                                 f"(A_drop != 0)")
        if _log_count_spread_bound(values.sum(axis=0), n, p) < np.log(COUNT_FALSE_FAILURE / share):
            counts = values.sum(axis=0)
            raise Mismatch(path, f"keeps {_count_range(counts)} of the {n} units in each example "
                                 f"(column): far too regular for units kept independently. With "
                                 f"each unit kept with probability keep_prob on its own, the "
                                 f"number kept in a column is binomial and varies from example "
                                 f"to example (variance n p (1 - p) = {n * p * (1 - p):.2g} "
                                 f"here; yours {counts.var():.2g}). Do not choose a fixed number "
                                 f"of units to keep (rng.choice or a permutation per example); "
                                 f"draw rng.random(A.shape) < keep_prob")
    _fraction_check(values, p, path, share)
    if p < 1:
        _per_part_check(values, p, path, share)


# The per-example count test's bound on the probability that a correct mask fails it, per
# trial (a proven bound, see below): 16 trials x 1e-9 in a hidden check.
COUNT_FALSE_FAILURE = 1e-9


def _log_count_spread_bound(counts, n, p):
    """log of an upper bound on P(S <= s) for a correct mask, S = sum_j (k_j - n p)^2.

    counts: the number k_j of kept units in each of the m columns. For a correct mask the k_j
    are independent Binomial(n, p), so for every theta >= 0 (Chernoff's bound for the lower
    tail of a sum of independent nonnegative terms)
        P(S <= s) <= exp(theta s) * E[exp(-theta (k - n p)^2)]^m,
    with the expectation computed exactly from the binomial probabilities; the bound is
    minimised over a grid of theta (every theta gives a valid bound). A mask that keeps
    exactly round(p n) units in every column has S <= m / 4 against E[S] = m n p (1 - p): on
    the trials' sizes its bound is below 1e-30.
    """
    counts = np.asarray(counts, dtype=float)
    k = np.arange(n + 1)
    log_choose = np.array([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                           for j in k])
    log_pmf = log_choose + k * np.log(p) + (n - k) * np.log1p(-p)
    x = (k - n * p) ** 2
    s = float(np.sum((counts - n * p) ** 2))
    thetas = np.geomspace(1e-3, 1e3, 300)[:, None] / (n * p * (1 - p))
    a = log_pmf[None, :] - thetas * x[None, :]
    top = a.max(axis=1, keepdims=True)
    log_mgf = top[:, 0] + np.log(np.exp(a - top).sum(axis=1))
    return float(min(0.0, np.min(thetas[:, 0] * s + counts.size * log_mgf)))


def _count_range(counts) -> str:
    low, high = int(counts.min()), int(counts.max())
    return f"exactly {low}" if low == high else f"between {low} and {high}"


def _same_mask(result, values) -> bool:
    """Whether another call's result holds the same mask (False for anything malformed)."""
    try:
        return len(result) == 2 and np.array_equal(np.asarray(result[1], dtype=float), values)
    except (TypeError, ValueError):
        return False


_DROPOUT_CLAUSES = (
    Clause("randomness", "the same generator state gives the same mask, another generator "
                         "another mask: the rng argument is the only source of randomness",
           by="properties"),
    Clause("per-part", "each unit of each example is kept with probability keep_prob: the kept "
                       "count of every unit (row) and of every example (column) is binomial, "
                       "not only the pooled fraction", by="properties"),
    Clause("per-part", "units are kept independently: the number kept varies from example to "
                       "example (no fixed count per example)", by="properties"),
    Clause("shape", "one mask entry per unit and per example: mask has A's shape",
           by="properties"),
    Clause("type", "mask holds 0/1 numbers or booleans; A_drop is a float array",
           by="properties"),
    Clause("shape", "a single example (m = 1)", tried=one_example("A")),
    Clause("shape", "a layer of a single unit", tried=lambda inputs: inputs["A"].shape[0] == 1),
    Clause("boundary", "keep_prob = 1: every unit kept, A_drop equal to A",
           tried=lambda inputs: inputs["keep_prob"] == 1),
    Clause("boundary", "activations exactly 0 (a ReLU's output) are kept or dropped like any "
                       "other unit: mask is the random draw, not A_drop != 0",
           tried=lambda inputs: bool(np.any(inputs["A"] == 0))),
    Clause("extreme", "a small keep_prob (below 0.1): the few kept units divided by it",
           tried=lambda inputs: inputs["keep_prob"] < 0.1),
)


# dropout_backward: hidden trials with a purpose; masks are floats in the public trials and
# in the odd hidden ones, booleans in the even ones (a dropout_forward may return either)
BACK_ONE_EXAMPLE, BACK_ONE_UNIT, BACK_ALL_KEPT, BACK_ALL_DROPPED, BACK_SMALL_KEEP = 3, 4, 5, 6, 7


def _dropout_backward_inputs(rng, i):
    if i < 3:
        shape = ((3, 5), (4, 2), (2, 6))[i]
    elif i == BACK_ONE_EXAMPLE:
        shape = (int(rng.integers(2, 8)), 1)
    elif i == BACK_ONE_UNIT:
        shape = (1, int(rng.integers(2, 8)))
    else:
        shape = tuple(int(x) for x in rng.integers(1, 8, 2))
    if i < 3:
        keep_prob = (0.8, 0.5, 0.3)[i]
    elif i == BACK_ALL_KEPT:
        keep_prob = 1.0
    elif i == BACK_SMALL_KEEP:
        keep_prob = float(rng.uniform(0.01, 0.05))
    else:
        keep_prob = float(rng.uniform(0.1, 0.95))
    mask = rng.random(shape) < keep_prob
    if i == BACK_ALL_DROPPED:
        mask[...] = False
    if i < 3 or i % 2:  # a dropout_forward may return floats or booleans: both must work
        mask = mask.astype(float)
    return {"dA": rng.standard_normal(shape), "mask": mask, "keep_prob": keep_prob}


def _dropout_backward_gradients(trial):
    """dA_prev is the derivative of sum(dA * A_drop) with respect to A, the mask held fixed."""
    from ..reference.numeric import numerical_gradient

    dA, mask, keep_prob = trial.inputs["dA"], trial.inputs["mask"], trial.inputs["keep_prob"]
    forward = lambda A: np.sum(dA * (A * mask / keep_prob))  # noqa: E731
    # f's rounding grows with its terms, not with their sum: |f| at most sum |terms|
    agree((), "d(sum dA * A_drop)/dA with A_drop = A * mask / keep_prob", trial.got,
           numerical_gradient(forward, np.ones(dA.shape), STEP),
           float(np.sum(np.abs(dA * mask / keep_prob))))


_DROPOUT_BACKWARD_CLAUSES = (
    Clause("type", "a mask of booleans, as rng.random(A.shape) < keep_prob gives",
           tried=lambda inputs: inputs["mask"].dtype == bool),
    Clause("type", "a mask of 0.0 / 1.0 floats",
           tried=lambda inputs: inputs["mask"].dtype.kind == "f"),
    Clause("per-part", "each entry goes back through its own mask entry and the forward pass's "
                       "1 / keep_prob", by="gradients"),
    Clause("shape", "a single example (m = 1)", tried=one_example("dA")),
    Clause("shape", "a layer of a single unit", tried=lambda inputs: inputs["dA"].shape[0] == 1),
    Clause("boundary", "keep_prob = 1, every unit kept: dA comes back unchanged",
           tried=lambda inputs: inputs["keep_prob"] == 1),
    Clause("boundary", "every unit dropped: every derivative is 0",
           tried=lambda inputs: not np.any(inputs["mask"])),
    Clause("extreme", "a small keep_prob (below 0.05): kept derivatives grow more than 20-fold",
           tried=lambda inputs: inputs["keep_prob"] < 0.05),
)


# -- dropout through a whole network -------------------------------------------------------


def _sigmoid(Z):
    with np.errstate(over="ignore"):  # exp(-Z) = inf for Z below -709: the sigmoid is 0
        return 1 / (1 + np.exp(-Z))


def _thinned_forward(X, params, masks, keep_prob):
    """(AL, caches) of the network thinned by these masks, held fixed: [LINEAR -> RELU ->
    DROPOUT] * (L-1) -> LINEAR -> SIGMOID, the cache of layer l + 1 holding the dropped A[l]
    it received. For the trials' inputs and the numeric gradients."""
    # (written unlike the notebook's solution: this module ships in the student's copy)
    caches, A, L = [], X, len(params) // 2
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = W @ A + b
        caches.append(((A, W, b), Z))
        A = _sigmoid(Z) if l == L else np.maximum(Z, 0.0) * masks[l - 1] / keep_prob
    return A, caches


def _dims(inputs) -> list[int]:
    """[n_0, n_1, ..., n_L] of a trial's network (from params or from caches)."""
    weights = _layers(inputs)
    return [weights[0].shape[1]] + [W.shape[0] for W in weights]


def _network_params(rng, dims, scale=2.0):
    """W[l] with variance scale / n_{l-1} (He's for 2), b[l] of size 0.3."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(scale / dims[l - 1])
        params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
    return params


# model_forward_with_dropout: hidden layers wide enough, over enough examples, for the mask
# statistics of dropout_forward to be sharp in every one of them; public trial 1 has three
# hidden layers of one width (a mask shared between layers shows). ReLU activations are
# about half exact zeros. Hidden trials 0 .. 3 have the public trials' sizes; then the edges:
(NET_ALL_KEPT, NET_ONE_EXAMPLE, NET_NO_HIDDEN, NET_ONE_UNIT, NET_DEEP,
 NET_SMALL_KEEP) = 4, 5, 6, 7, 8, 9
_NET_PUBLIC = (([3, 25, 20, 1], 200, 0.8), ([4, 30, 30, 30, 1], 150, 0.6),
               ([2, 40, 1], 150, 0.3), ([5, 20, 25, 1], 200, 0.7))


def _network_dropout_inputs(rng, i):
    if i < len(_NET_PUBLIC):
        dims, m, keep_prob = _NET_PUBLIC[i]
        dims = list(dims)
    else:
        hidden = [int(rng.integers(15, 36)) for _ in range(int(rng.integers(1, 4)))]
        m = int(rng.integers(150, 260))
        # away from 0.5, where keeping and dropping with keep_prob look alike
        keep_prob = float(rng.uniform(0.65, 0.95) if i % 2 else rng.uniform(0.1, 0.35))
        if i == NET_ALL_KEPT:
            keep_prob = 1.0
        elif i == NET_ONE_EXAMPLE:
            m = 1
        elif i == NET_NO_HIDDEN:  # L = 1: no hidden layer, no masks
            hidden = []
        elif i == NET_ONE_UNIT:  # a hidden layer of one unit, over many examples
            hidden, m = [1, int(rng.integers(15, 30))], int(rng.integers(300, 500))
        elif i == NET_DEEP:  # L = 5, four hidden layers of one width
            hidden, keep_prob = [int(rng.integers(15, 25))] * 4, float(rng.uniform(0.5, 0.9))
        elif i == NET_SMALL_KEEP:
            hidden = [int(rng.integers(30, 45)) for _ in range(2)]
            keep_prob = float(rng.uniform(0.03, 0.1))
        dims = [int(rng.integers(2, 6))] + hidden + [1]  # n_0 <= 5 < every width but one
    return {"X": rng.standard_normal((dims[0], m)), "params": _network_params(rng, dims),
            "keep_prob": keep_prob, "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _close(got, want) -> bool:
    """got is an array of numbers equal to want up to rounding (the student's own order of
    operations): the tolerance of the checks by value."""
    return isinstance(got, np.ndarray) and got.shape == want.shape and \
        got.dtype.kind in "biuf" and bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))


def _dropped_wrongly(received, A, values, keep_prob, l) -> str:
    """What layer l + 1 received instead of hidden layer l's dropped activations."""
    p = keep_prob
    for value, why in (
            (A, f"is relu(Z[{l}]), hidden layer {l}'s activations before dropout: layer {l + 1} "
                f"must receive the dropped ones, relu(Z[{l}]) * mask / keep_prob with the mask "
                f"you return as masks[{l - 1}] (go on with the A_drop of dropout_forward, not "
                f"with its input)"),
            (A * values, f"is relu(Z[{l}]) * mask, not divided by keep_prob: inverted dropout "
                         f"divides the kept units by keep_prob, so that their expected value "
                         f"stays relu(Z[{l}])"),
            (A * values / p ** 2, "is divided by keep_prob twice: the A_drop of dropout_forward "
                                  "is already divided by keep_prob, use it as it is"),
            (A * values * p, "multiplies the kept units by keep_prob: inverted dropout divides "
                             "them by keep_prob"),
            (A * (1 - values) / p, f"keeps the units where masks[{l - 1}] is 0: a mask is 1 for "
                                   f"a kept unit and 0 for a dropped one")):
        if _close(received, value):
            return why
    return (f"should be hidden layer {l}'s dropped activations, relu(Z[{l}]) * mask / keep_prob "
            f"with the mask you return as masks[{l - 1}]: what layer {l + 1} received")


def _same_masks(result, values) -> bool:
    """Whether another call's result holds the same masks (False for anything malformed)."""
    try:
        masks = result[2]
        return len(result) == 3 and len(masks) == len(values) and all(
            np.array_equal(np.asarray(mask, dtype=float), v) for mask, v in zip(masks, values))
    except (TypeError, ValueError, IndexError):
        return False


def _network_dropout_properties(trial):
    """Structure (L - 1 masks: none for the inputs, none for the output layer), each mask
    0/1, each layer's input in its cache: X for layer 1, hidden layer l's relu(Z) * mask /
    keep_prob for layer l + 1, AL = sigmoid(Z[L]); then every hidden layer's mask by the
    statistics of dropout_forward, a mask of its own per layer, and the rng as the only
    source of randomness. The replay uses the student's own Z, layer by layer, so that a
    failure names the first layer that went wrong."""
    from ..compare import kind

    X, params, p, got = (trial.inputs["X"], trial.inputs["params"], trial.inputs["keep_prob"],
                         trial.got)
    L, m = len(params) // 2, X.shape[1]
    dims = _dims(trial.inputs)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        if isinstance(got, (tuple, list)) and len(got) == 2:
            raise Mismatch((), "should be a tuple (AL, caches, masks) of three values: return "
                               "the masks as well, one per hidden layer "
                               "(model_backward_with_dropout needs them)")
        raise Mismatch((), f"should be a tuple (AL, caches, masks), got {kind(got)}")
    AL, caches, masks = got
    if not isinstance(masks, (tuple, list)):
        raise Mismatch((2,), f"should be a list of masks, one per hidden layer (L - 1 = "
                             f"{L - 1}), got {kind(masks)}")
    hidden = [(n, m) for n in dims[1:-1]]
    if len(masks) != L - 1:
        shapes = [np.shape(mask) for mask in masks]
        if shapes == hidden + [(1, m)]:
            raise Mismatch((2,), f"holds {L} masks, the last of the output layer's shape "
                                 f"(1, {m}): the output layer has no dropout. Drop units only "
                                 f"after the activations of the hidden layers 1 .. L - 1; "
                                 f"AL = sigmoid(Z[L]) is the prediction, as it is")
        if shapes == [X.shape] + hidden:
            raise Mismatch((2,), f"holds {L} masks, the first of X's shape {X.shape}: the "
                                 f"inputs are never dropped here. Dropout comes after the "
                                 f"activation of each hidden layer, so layer 1 receives X itself")
        if not masks:
            raise Mismatch((2,), f"is empty: it holds one mask per hidden layer, L - 1 = {L - 1} "
                                 f"of them, also when keep_prob = 1 (masks of ones then)")
        raise Mismatch((2,), f"holds {len(masks)} masks, expected L - 1 = {L - 1}: one per hidden "
                             f"layer (layers 1 .. L - 1), none for the inputs and none for the "
                             f"output layer")
    values = [_as_mask(mask, np.empty(shape), p, (2, l - 1), f"hidden layer {l}'s activations'")
              for l, (mask, shape) in enumerate(zip(masks, hidden), start=1)]
    if not isinstance(AL, np.ndarray) or AL.shape != (1, m) or AL.dtype.kind != "f":
        raise Mismatch((0,), f"should be a float array of shape (1, {m}), got {kind(AL)}")
    if not isinstance(caches, (tuple, list)) or len(caches) != L:
        raise Mismatch((1,), f"should be a list of L = {L} caches, one per layer, as "
                             f"model_forward returns them")
    received, Zs = [], []
    for l, cache in enumerate(caches, start=1):
        try:
            (A_prev, W, b), Z = cache
        except (TypeError, ValueError):
            raise Mismatch((1, l - 1), "should be ((A_prev, W, b), Z), as the caches of "
                                       "model_forward are") from None
        for part, path, shape in ((A_prev, (1, l - 1, 0, 0), (dims[l - 1], m)),
                                  (Z, (1, l - 1, 1), (dims[l], m))):
            if not isinstance(part, np.ndarray) or part.shape != shape or part.dtype.kind != "f":
                raise Mismatch(path, f"should be a float array of shape {shape}, got {kind(part)}")
        if not (_close(W, params[f"W{l}"]) and _close(b, params[f"b{l}"])):
            raise Mismatch((1, l - 1, 0), f"should hold W{l} and b{l} of params")
        received.append(A_prev)
        Zs.append(Z)
    if not _close(received[0], X):
        raise Mismatch((1, 0, 0, 0), "should be X itself, what layer 1 receives: the inputs are "
                                     "never dropped here (dropout comes after the activation of "
                                     "each hidden layer)")
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if not _close(Zs[l - 1], W @ received[l - 1] + b):
            raise Mismatch((1, l - 1, 1), f"should be Z[{l}] = W[{l}] A[{l - 1}] + b[{l}], with "
                                          f"the A[{l - 1}] stored in the same cache")
        if l < L:
            A = np.maximum(Zs[l - 1], 0.0)
            if not _close(received[l], A * values[l - 1] / p):
                raise Mismatch((1, l, 0, 0), _dropped_wrongly(received[l], A, values[l - 1], p, l))
    if not _close(AL, _sigmoid(Zs[-1])):
        if np.any(AL > 1) or np.any(AL[_sigmoid(Zs[-1]) > 0] == 0):
            raise Mismatch((0,), "has dropout on it (zeros, or values above 1): the output layer "
                                 "has no dropout, AL = sigmoid(Z[L])")
        raise Mismatch((0,), "should be sigmoid(Z[L]), with the Z of the last cache")
    # every hidden layer's mask as dropout_forward's: the false-failure levels shared among them
    for l, v in enumerate(values, start=1):
        _mask_statistics(v, np.maximum(Zs[l - 1], 0.0), p, (2, l - 1), share=max(L - 1, 1))
    if p < 1:
        # two correct masks of N entries agree with probability (p^2 + (1-p)^2)^N
        agree = math.log(p ** 2 + (1 - p) ** 2)
        for j, later in enumerate(values):
            for i, earlier in enumerate(values[:j]):
                if later.shape == earlier.shape and later.size * agree < LOG_NEVER and \
                        np.array_equal(later, earlier):
                    raise Mismatch((2, j), f"is the same mask as masks[{i}]: every hidden layer "
                                           f"draws a mask of its own, from the one rng, layer "
                                           f"after layer")
    if not _same_masks(trial.call(), values):
        raise Mismatch((2,), "came out different for two generators in the same state: draw all "
                             "random numbers from the rng argument, never from np.random")
    if p < 1 and sum(v.size for v in values) * math.log(p ** 2 + (1 - p) ** 2) < LOG_NEVER and \
            _same_masks(trial.call(rng=np.random.default_rng(2024)), values):
        raise Mismatch((2,), "were the same for two different generators: draw from the rng "
                             "argument (do not create your own generator)")


def _hidden_widths(inputs) -> list[int]:
    return _dims(inputs)[1:-1]


_NETWORK_DROPOUT_CLAUSES = (
    Clause("randomness", "the same generator state gives the same masks, another generator "
                         "other masks: the rng argument is the only source of randomness",
           by="properties"),
    Clause("per-part", "every hidden layer's mask on its own, as dropout_forward's: each unit "
                       "of each example kept with probability keep_prob (the kept count of "
                       "every unit and of every example binomial), the number kept per example "
                       "not fixed, ReLU's zeros kept like any other unit", by="properties"),
    Clause("per-part", "layer l + 1 receives hidden layer l's dropped activations, "
                       "relu(Z[l]) * mask / keep_prob, and its cache holds them: each layer "
                       "replayed from the returned Z", by="properties"),
    Clause("per-part", "a mask of its own for every hidden layer: layers of one width never "
                       "share one", tried=lambda inputs: len(_hidden_widths(inputs)) >
           len(set(_hidden_widths(inputs)))),
    Clause("boundary", "no dropout on the inputs: layer 1's cache holds X itself, and there is "
                       "no mask for X", by="properties"),
    Clause("boundary", "no dropout on the output layer: L - 1 masks, AL = sigmoid(Z[L])",
           by="properties"),
    Clause("boundary", "keep_prob = 1: model_forward's AL and caches, and masks of ones",
           tried=lambda inputs: inputs["keep_prob"] == 1),
    Clause("type", "masks hold 0/1 numbers or booleans, unscaled, as dropout_forward returns "
                   "them", by="properties"),
    Clause("shape", "no hidden layer (L = 1): masks is empty, AL = sigmoid(W1 X + b1)",
           tried=lambda inputs: len(inputs["params"]) == 2),
    Clause("shape", "a single example (m = 1)", tried=one_example("X")),
    Clause("shape", "a hidden layer of a single unit",
           tried=lambda inputs: 1 in _hidden_widths(inputs)),
    Clause("shape", "a deep network (L = 5): four masks",
           tried=lambda inputs: len(inputs["params"]) // 2 >= 5),
    Clause("extreme", "a small keep_prob (below 0.1): the few kept units divided by it, layer "
                      "after layer", tried=lambda inputs: inputs["keep_prob"] < 0.1),
)


# model_backward_with_dropout: small networks (a numeric gradient for every parameter) whose
# masks are drawn as dropout_forward draws them; every kept hidden unit's Z stays 0.05 away
# from ReLU's kink and the output's |Z| below 10 (no log(0)). Masks are floats in the public
# trials and in the odd hidden ones, booleans in the even ones (a dropout_forward may return
# either). lambd is left at its default in public trial 1 and where said below.
(NB_ONE_EXAMPLE, NB_NO_HIDDEN, NB_ALL_KEPT, NB_DEEP, NB_ONE_UNIT, NB_SMALL_KEEP, NB_NO_PENALTY,
 NB_LAYER_DROPPED, NB_LARGE_LAMBD) = range(3, 12)
_NB_PUBLIC = (([3, 5, 4, 1], 6, 0.8, 0.7), ([4, 6, 1], 5, 0.5, None),
              ([3, 4, 4, 3, 1], 7, 0.6, 2.0))


def _network_dropout_backward_inputs(rng, i):
    if i < len(_NB_PUBLIC):
        dims, m, keep_prob, lambd = _NB_PUBLIC[i]
    else:
        depth = {NB_NO_HIDDEN: 1, NB_DEEP: 5, NB_SMALL_KEEP: 2}.get(i) or \
            int(rng.integers(3, 5) if i == NB_LAYER_DROPPED else rng.integers(2, 5))
        dims = [int(rng.integers(2, 6)) for _ in range(depth)] + [1]
        if i == NB_ONE_UNIT:
            dims = [int(rng.integers(2, 6)), 1, int(rng.integers(2, 6)), 1]
        elif i == NB_SMALL_KEEP:  # a wide layer: a few of its units kept in each example
            dims = [3, int(rng.integers(20, 30)), 1]
        m = 1 if i == NB_ONE_EXAMPLE else int(rng.integers(3, 8))
        keep_prob = 1.0 if i == NB_ALL_KEPT else float(
            rng.uniform(0.05, 0.1) if i == NB_SMALL_KEEP else rng.uniform(0.3, 0.95))
        lambd = 0.0 if i == NB_NO_PENALTY else float(rng.uniform(10.0, 50.0)) \
            if i == NB_LARGE_LAMBD else None if i in (NB_ONE_EXAMPLE, NB_DEEP) \
            else float(rng.uniform(0.05, 5.0))
    while True:
        params = _network_params(rng, dims, scale=1.0)
        X = rng.standard_normal((dims[0], m))
        masks = [(rng.random((n, m)) < keep_prob).astype(float) for n in dims[1:-1]]
        if i == NB_LAYER_DROPPED:  # hidden layer 1 dropped in every example
            masks[0][...] = 0.0
        AL, caches = _thinned_forward(X, params, masks, keep_prob)
        kept_away = all(np.all(np.abs(Z[mask == 1]) > 0.05)
                        for (_, Z), mask in zip(caches, masks))
        if kept_away and np.all(np.abs(caches[-1][1]) < 10):
            break
    if i >= len(_NB_PUBLIC) and i % 2 == 0:
        masks = [mask.astype(bool) for mask in masks]
    Y = (rng.random((1, m)) < 0.5).astype(float)
    inputs = {"AL": AL, "Y": Y, "caches": caches, "masks": masks, "keep_prob": keep_prob}
    if lambd is not None:
        inputs["lambd"] = lambd
    return inputs


def _network_dropout_gradients(trial):
    """Every dW[l], db[l] against centred differences of the thinned network's cost, the
    masks held fixed, plus the L2 penalty when lambd > 0."""
    from ..reference.nb01 import compute_cost
    from ..reference.numeric import numerical_gradient

    inputs = trial.inputs
    caches, Y, keep_prob = inputs["caches"], inputs["Y"], inputs["keep_prob"]
    lambd, m = inputs.get("lambd", 0.0), Y.shape[1]
    masks = [np.asarray(mask, dtype=float) for mask in inputs["masks"]]
    X = caches[0][0][0]
    params = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        params[f"W{l}"], params[f"b{l}"] = W, b

    def cost(params):
        AL, _ = _thinned_forward(X, params, masks, keep_prob)
        penalty = sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W"))
        return compute_cost(AL, Y) + lambd / (2 * m) * float(penalty)

    J = cost(params)
    what = "the cost of the network thinned by the masks (held fixed)" + \
        (", plus the L2 penalty" if lambd > 0 else "")
    for key, value in params.items():
        numeric = numerical_gradient(lambda v, key=key: cost({**params, key: v}), value, STEP)
        agree(("d" + key,), f"d{key} = dJ/d{key} of {what}", trial.got["d" + key], numeric,
               abs(J))


def _backward_masks(inputs) -> list:
    return list(inputs["masks"])


_NETWORK_DROPOUT_BACKWARD_CLAUSES = (
    Clause("per-part", "every layer's dW[l] and db[l], each compared on its own with the "
                       "numeric gradient of the thinned network's cost (the masks held fixed), "
                       "plus (lambd / m) W[l] on every dW[l], the output layer's too",
           by="gradients"),
    Clause("boundary", "lambd left at its default: no L2 term",
           tried=lambda inputs: "lambd" not in inputs),
    Clause("boundary", "lambd = 0 given: no L2 term",
           tried=lambda inputs: inputs.get("lambd") == 0),
    Clause("boundary", "keep_prob = 1, masks of ones: model_backward's grads (and the L2 term)",
           tried=lambda inputs: inputs["keep_prob"] == 1),
    Clause("boundary", "every unit of a hidden layer dropped: the layers below it get no "
                       "derivative from the cost (only the L2 term)",
           tried=lambda inputs: any(not np.any(mask) for mask in _backward_masks(inputs))),
    Clause("type", "masks of booleans, as rng.random(A.shape) < keep_prob gives",
           tried=lambda inputs: any(np.asarray(mask).dtype == bool
                                    for mask in _backward_masks(inputs))),
    Clause("type", "masks of 0.0 / 1.0 floats", tried=lambda inputs: any(
        np.asarray(mask).dtype.kind == "f" for mask in _backward_masks(inputs))),
    Clause("shape", "no hidden layer (L = 1): masks is empty",
           tried=lambda inputs: len(inputs["caches"]) == 1),
    Clause("shape", "a single example (m = 1)", tried=one_example("Y")),
    Clause("shape", "a hidden layer of a single unit",
           tried=lambda inputs: 1 in _dims(inputs)[1:-1]),
    Clause("shape", "a deep network (L = 5)", tried=lambda inputs: len(inputs["caches"]) >= 5),
    Clause("extreme", "a small keep_prob (below 0.1): kept derivatives grow more than tenfold",
           tried=lambda inputs: inputs["keep_prob"] < 0.1),
    Clause("extreme", "a large lambd (10 to 50): the L2 term dominates",
           tried=lambda inputs: inputs.get("lambd", 0.0) >= 10),
)


# -- early stopping ----------------------------------------------------------------------

# Public curves, each with a lesson: an epoch better than the one before it but not than
# the best, and later improvements after the stop; no stop at all, and the best epoch the
# very last; a tie with the best; a single epoch.
# Every catalogued mistake gives a value no earlier mistake gives, so its own hint shows.
_PUBLIC_CURVES = (
    ([0.72, 0.63, 0.50, 0.42, 0.37, 0.29, 0.27, 0.31, 0.29, 0.23, 0.27, 0.29, 0.25, 0.19], 2),
    (np.array([0.46, 0.38, 0.35, 0.36, 0.33, 0.34, 0.35, 0.31, 0.30, 0.32, 0.29]), 3),
    (np.array([0.9, 0.7, 0.6, 0.6, 0.5]), 1),
    ([0.41], 2),
)
# hidden trials with a purpose (0 .. 3 are the public curves again; the others are noisy
# dev curves)
(STOP_BEST_LAST, STOP_JUST_IN_TIME, STOP_PATIENT, STOP_FIRST_BEST, STOP_FLAT,
 STOP_AT_THE_END, STOP_LONG, STOP_PATIENCE_1) = range(4, 12)


def _noisy_curve(rng, T):
    """A dev error rate on n_dev examples: falls, then creeps up again, with noise; rounding
    to multiples of 1/n_dev makes ties, as real error rates have."""
    n_dev = int(rng.choice([20, 50, 100]))
    t = np.arange(T) / T
    curve = 0.1 + 0.4 * np.exp(-8 * t) + rng.uniform(0, 0.3) * t ** 2
    return np.round((curve + rng.normal(0, 0.03, T)).clip(0, 1) * n_dev) / n_dev


def _early_stopping_inputs(rng, i):
    if i < len(_PUBLIC_CURVES):
        errors, patience = _PUBLIC_CURVES[i]
        return {"dev_errors": errors.copy() if isinstance(errors, np.ndarray) else list(errors),
                "patience": patience}
    as_list = i % 2 == 1
    T, patience = int(rng.integers(6, 30)), int(rng.integers(2, 6))
    if i in (STOP_BEST_LAST, STOP_JUST_IN_TIME):  # the best epoch is the very last one
        errors = np.sort(rng.uniform(0.1, 0.6, T))[::-1].copy()  # falling to the end
        if i == STOP_JUST_IN_TIME:  # flat for patience - 1 epochs, then one last improvement
            errors[-patience:-1] = errors[-patience - 1]
    elif i == STOP_PATIENT:  # patience longer than the run: never stops
        errors = _noisy_curve(rng, T)
        patience = T + int(rng.integers(0, 3))
    elif i == STOP_FIRST_BEST:  # only getting worse: stops at epoch patience, best 0
        errors = np.sort(rng.uniform(0.1, 0.6, T))
    elif i == STOP_FLAT:  # one value throughout: every epoch ties with the first
        errors = np.full(T, float(rng.integers(1, 20)) / 20)
    elif i == STOP_AT_THE_END:  # patience runs out exactly at the last epoch
        best = int(rng.integers(1, 10))
        falling = np.sort(rng.uniform(0.2, 0.6, best + 1))[::-1]
        errors = np.concatenate([falling, falling[-1] + rng.uniform(0.01, 0.2, patience)])
    else:
        errors = _noisy_curve(rng, 2000 if i == STOP_LONG else int(rng.integers(8, 60)))
        patience = 1 if i == STOP_PATIENCE_1 else int(rng.integers(1, 8))
    return {"dev_errors": [float(e) for e in errors] if as_list else errors, "patience": patience}


def _stop_and_best(errors, patience):
    """(stop_epoch, best_epoch) by the notebook's rules, for the clauses' tests on inputs."""
    best = 0
    for epoch, error in enumerate(errors):
        best = epoch if error < errors[best] else best
        if epoch - best == patience:
            return epoch, best
    return len(errors) - 1, best


def _tie_before_stop(inputs) -> bool:
    errors, patience = inputs["dev_errors"], inputs["patience"]
    stop, _ = _stop_and_best(errors, patience)
    best = 0
    for epoch in range(1, stop + 1):
        if errors[epoch] == errors[best]:
            return True
        if errors[epoch] < errors[best]:
            best = epoch
    return False


def _best_is_last(inputs) -> bool:
    T = len(inputs["dev_errors"])
    return T > 1 and _stop_and_best(inputs["dev_errors"], inputs["patience"]) == (T - 1, T - 1)


def _runs_out_at_the_end(inputs) -> bool:
    T, patience = len(inputs["dev_errors"]), inputs["patience"]
    stop, best = _stop_and_best(inputs["dev_errors"], patience)
    return T > 1 and stop == T - 1 and stop - best == patience


def _first_is_best(inputs) -> bool:
    patience = inputs["patience"]
    return len(inputs["dev_errors"]) > patience + 1 and \
        _stop_and_best(inputs["dev_errors"], patience) == (patience, 0)


def _better_after_stop(inputs) -> bool:
    errors = np.asarray(inputs["dev_errors"])
    stop, best = _stop_and_best(errors, inputs["patience"])
    return bool(stop + 1 < errors.size and errors[stop + 1:].min() < errors[best])


def _stopping_properties(trial):
    """The two epochs are ints (their values were compared already, and are right: no known
    mistake's hint applies, even one whose value is the right one on this trial)."""
    for k, value in enumerate(trial.got):
        if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0 or \
                np.asarray(value).dtype.kind not in "iu":
            trial.mistakes = []
            raise Mismatch((k,), f"is {value!r}, a {type(value).__name__}: epochs are ints "
                                 f"(positions in dev_errors, used to pick the checkpoint); "
                                 f"return int(...)")


_STOPPING_CLAUSES = (
    Clause("boundary", "only a strictly lower error is an improvement: a tie with the best so "
                       "far does not reset the patience", tried=_tie_before_stop),
    Clause("boundary", "the best epoch is the very last one: (T - 1, T - 1)", tried=_best_is_last),
    Clause("boundary", "patience runs out exactly at the last epoch: stop_epoch = T - 1",
           tried=_runs_out_at_the_end),
    Clause("boundary", "patience longer than the run: no early stop, stop_epoch = T - 1",
           tried=lambda inputs: inputs["patience"] >= len(inputs["dev_errors"])),
    Clause("boundary", "the first epoch is the best (errors only rise, or stay): "
                       "(patience, 0)", tried=_first_is_best),
    Clause("boundary", "patience = 1: stop at the first epoch that is no new best",
           tried=lambda inputs: inputs["patience"] == 1),
    Clause("boundary", "errors after the stop are never looked at, even lower ones",
           tried=_better_after_stop),
    Clause("shape", "a single epoch (T = 1): (0, 0)",
           tried=lambda inputs: len(inputs["dev_errors"]) == 1),
    Clause("extreme", "a long run (T = 2,000 epochs)",
           tried=lambda inputs: len(inputs["dev_errors"]) >= 1000),
    Clause("type", "dev_errors as a list",
           tried=lambda inputs: isinstance(inputs["dev_errors"], list)),
    Clause("type", "dev_errors as a numpy array",
           tried=lambda inputs: isinstance(inputs["dev_errors"], np.ndarray)),
    Clause("type", "stop_epoch and best_epoch are ints, not floats", by="properties"),
)


# -- normalizing inputs ------------------------------------------------------------------


def _features(rng, n, m, constant=()):
    """n features on very different scales and offsets; rows in `constant` hold one value."""
    scale = 10.0 ** rng.uniform(-2, 3, (n, 1))
    offset = rng.uniform(-5, 5, (n, 1)) * scale
    X = offset + scale * rng.standard_normal((n, m))
    for row in constant:
        X[row] = float(rng.integers(-3, 4))  # a small integer: its mean is exact, its sigma 0
    return X


# hidden trials with a purpose; trial 3 (public and hidden) has a feature whose mean is a
# million times its spread
FIT_FAR, FIT_ONE_EXAMPLE, FIT_ONE_FEATURE, FIT_ALL_CONSTANT = 3, 4, 5, 6
FAR = 1e6


def _fit_inputs(rng, i):
    if i < 3:
        n, m = ((4, 12), (3, 30), (6, 9))[i]
        constant = ((2,), (), (0, 4))[i]
    else:
        n, m = {FIT_FAR: (3, 25), FIT_ONE_EXAMPLE: (int(rng.integers(1, 8)), 1),
                FIT_ONE_FEATURE: (1, int(rng.integers(5, 40)))}.get(i) or \
            (int(rng.integers(1, 8)), int(rng.integers(5, 40)))
        constant = () if i == FIT_FAR else tuple(range(n)) if i == FIT_ALL_CONSTANT else \
            tuple(int(r) for r in np.flatnonzero(rng.random(n) < 0.2))
    X = _features(rng, n, m, constant)
    if i == FIT_FAR:  # a timestamp-like feature: 1e6 (times its spread) plus a little noise
        spread = 10.0 ** rng.uniform(-1, 2)
        X[1] = rng.choice([-1.0, 1.0]) * FAR * spread + spread * rng.standard_normal(m)
    return {"X_train": X}


def _offset_ratio(X) -> float:
    """The largest |mean| / standard deviation of a non-constant feature (row)."""
    mu, sd = np.abs(X.mean(axis=1)), X.std(axis=1)
    return float(np.max(mu[sd > 0] / sd[sd > 0], initial=0.0))


def _fit_noise(args):
    """Centring a feature whose mean is r times its spread rounds x - mu by EPS r of the
    spread: sigma's last bits move by a few EPS r (the usual 1e-12 below r = 500)."""
    return max(1e-12, 8 * EPS * _offset_ratio(args["X_train"])), 1e-12


def _constant_rows(X) -> np.ndarray:
    return np.all(X == X[:, :1], axis=1)


def _scales_apart(X, spread=1e3) -> bool:
    sd = X.std(axis=1)
    sd = sd[sd > 0]
    return sd.size > 1 and sd.max() / sd.min() > spread


_FIT_CLAUSES = (
    Clause("boundary", "a feature constant in the training set: sigma = 1 exactly, mu its value",
           tried=lambda inputs: bool(np.any(_constant_rows(inputs["X_train"])))),
    Clause("boundary", "every feature constant",
           tried=lambda inputs: inputs["X_train"].shape[1] > 1 and
           bool(np.all(_constant_rows(inputs["X_train"])))),
    Clause("shape", "a single training example (m = 1): every feature constant",
           tried=one_example("X_train")),
    Clause("shape", "a single feature (n_x = 1)",
           tried=lambda inputs: inputs["X_train"].shape[0] == 1),
    Clause("extreme", "a feature whose mean is a million times its spread: sigma to full "
                      "precision (mu subtracted before squaring)",
           tried=lambda inputs: _offset_ratio(inputs["X_train"]) > FAR / 10),
    Clause("extreme", "features on scales more than 1,000 times apart",
           tried=lambda inputs: _scales_apart(inputs["X_train"])),
    Clause("state", "mu and sigma are two new arrays: neither is the other, nor part of X_train",
           by="fresh"),
)


# hidden trials with a purpose
NORM_ONE_EXAMPLE, NORM_ONE_FEATURE, NORM_CONSTANT = 3, 4, 5


def _normalize_inputs(rng, i):
    if i < 3:
        n, m = ((4, 7), (3, 10), (5, 2))[i]
    else:
        n, m = {NORM_ONE_EXAMPLE: (int(rng.integers(1, 9)), 1),
                NORM_ONE_FEATURE: (1, int(rng.integers(2, 10)))}.get(i) or \
            (int(rng.integers(1, 9)), int(rng.integers(2, 10)))
    X_train = _features(rng, n, 20, constant=(0,) if i == NORM_CONSTANT else ())
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    sigma = np.where(sigma == 0, 1.0, sigma)  # as fit_normalizer gives it
    # dev data from the same features, but not the training examples: its own statistics
    # differ from mu and sigma
    X = mu + sigma * (0.3 + 1.5 * rng.standard_normal((n, m)))
    return {"X": X, "mu": mu, "sigma": sigma}


_NORMALIZE_CLAUSES = (
    Clause("shape", "a single example (m = 1), such as one new test example",
           tried=one_example("X")),
    Clause("shape", "a single feature (n_x = 1)", tried=lambda inputs: inputs["X"].shape[0] == 1),
    Clause("boundary", "sigma = 1 (a feature constant in training): only centred",
           tried=lambda inputs: bool(np.any(inputs["sigma"] == 1))),
    Clause("extreme", "features on scales more than 1,000 times apart",
           tried=lambda inputs: float(inputs["sigma"].max() / inputs["sigma"].min()) > 1e3),
)


# -- data augmentation -------------------------------------------------------------------


# Trials with many images, so that the uniformity tests below are sharp: a public one and two
# hidden ones (small images keep the stored trial small and a looping implementation fast).
_LARGE_SHIFT_TRIALS = {2: (1000, 7, 7, 3), 4: (1200, 6, 7, 3), 6: (1000, 7, 6, 3)}
# trial 3 (public and hidden): max_shift = 0; hidden trials with a purpose after it
SHIFT_NONE, SHIFT_ONE_IMAGE, SHIFT_NEAR_SIZE, SHIFT_SQUARE = 3, 5, 7, 8


def _shift_inputs(rng, i):
    if i in _LARGE_SHIFT_TRIALS:
        m, h, w, max_shift = _LARGE_SHIFT_TRIALS[i]
    elif i < 3:
        (m, h, w), max_shift = ((150, 8, 8), (160, 6, 9))[i], (1, 2)[i]
    elif i == SHIFT_NONE:  # nothing to shift: no statistics, so a few images do
        m, h, w, max_shift = 20, int(rng.integers(5, 10)), int(rng.integers(5, 10)), 0
    elif i == SHIFT_ONE_IMAGE:
        m, h, w = 1, int(rng.integers(5, 12)), int(rng.integers(5, 12))
        max_shift = int(rng.integers(1, 4))
    elif i == SHIFT_NEAR_SIZE:  # shifts up to the image's size less one: a single row may remain
        m, h, w = 400, int(rng.integers(5, 7)), int(rng.integers(5, 7))
        max_shift = min(h, w) - 1
    else:
        m, h, w = int(rng.integers(150, 200)), int(rng.integers(5, 12)), int(rng.integers(5, 12))
        if i == SHIFT_SQUARE:
            w = h
        max_shift = int(rng.integers(1, 4))
    # pixel values k/16 > 0, as in the digits: a zero pixel in the output can only have
    # come from outside the image, so each image's shift can be read off exactly
    images = rng.integers(1, 17, (m, h, w)) / 16.0
    return {"images": images, "max_shift": max_shift,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


# The uniformity tests' level, per trial: the joint test at half of it, each direction's at a
# quarter (14 trials x 1e-9 in a hidden check).
UNIFORM_FALSE_FAILURE = 1e-9


def _chi2_sf_even(x, df):
    """P(chi-square with an even number df of degrees of freedom > x), in closed form:
    exp(-x/2) * sum_{i < df/2} (x/2)^i / i!."""
    half, term, total = x / 2, 1.0, 1.0
    for i in range(1, df // 2):
        term *= half / i
        total += term
    return math.exp(-half) * total


def _chi2_threshold(df, level):
    """The x with P(chi-square_df > x) = level (bisection; df even)."""
    low, high = 0.0, 10.0 * df + 200.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if _chi2_sf_even(middle, df) > level else (low, middle)
    return high


def _counts(d, K) -> np.ndarray:
    return np.array([np.count_nonzero(d == v) for v in range(-K, K + 1)])


def _pearson(counts) -> float:
    expected = counts.sum() / counts.size
    return float(np.sum((counts - expected) ** 2) / expected)


def _uniformity(dy, dx, K):
    """Pearson's chi-square of the counts of dy and of dx over the 2K + 1 values -K .. K,
    both directions together.

    For uniform, independent shifts each table has 2K degrees of freedom and the two are
    independent: the sum is close to chi-square with 4K (even) degrees of freedom. The
    smallest expected count in the tested trials is 20 or more, where the approximation is
    good; the test's level UNIFORM_FALSE_FAILURE / 2 leaves a wide margin for what is left of
    its error in the tail (tests/test_reference_nb04.py measures it by simulation). Returns
    (statistic, threshold, counts of dy, counts of dx)."""
    counts_y, counts_x = _counts(dy, K), _counts(dx, K)
    statistic = _pearson(counts_y) + _pearson(counts_x)
    return statistic, _chi2_threshold(4 * K, UNIFORM_FALSE_FAILURE / 2), counts_y, counts_x


def _direction_uniformity(d, K):
    """The same for one direction alone: 2K degrees of freedom, level UNIFORM_FALSE_FAILURE
    / 4. A direction drawn wrongly while the other is right is diluted in the joint test.
    Returns (statistic, threshold, counts)."""
    counts = _counts(d, K)
    return _pearson(counts), _chi2_threshold(2 * K, UNIFORM_FALSE_FAILURE / 4), counts


def _moved(images, dy, dx, wrap):
    """Every image moved down by dy and right by dx: zero-filled, or wrapped around."""
    if wrap:
        return np.roll(images, (dy, dx), axis=(1, 2))
    m, h, w = images.shape
    k = max(abs(dy), abs(dx))
    padded = np.pad(images, ((0, 0), (k, k), (k, k)))
    return padded[:, k - dy:k - dy + h, k - dx:k - dx + w]


def _shifts_found(images, out, shifts, wrap):
    """(m, 2) array of (dy, dx) with out[i] = images[i] moved by it, -1000 where none is."""
    found = np.full((len(images), 2), -1000)
    for dy, dx in shifts:
        same = np.all(np.abs(_moved(images, dy, dx, wrap) - out) <= 1e-12, axis=(1, 2))
        found[same & (found[:, 0] == -1000)] = (dy, dx)
    return found


def _not_uniform(m, K, statistic, threshold, df, counts_y, counts_x, which="") -> Mismatch:
    ends = np.concatenate([c[[0, -1]] for c in (counts_y, counts_x)]).mean()
    inner = np.concatenate([c[1:-1] for c in (counts_y, counts_x)]).mean()
    if ends < 0.75 * inner:
        hint = (f"The end values -{K} and +{K} come about half as often as the others: "
                f"rounding a uniform float (np.round(rng.uniform(-max_shift, max_shift))) does "
                f"that, as only half an interval rounds to each end. Draw whole numbers with "
                f"rng.integers(-max_shift, max_shift + 1)")
    else:
        hint = ("Draw each shift with rng.integers(-max_shift, max_shift + 1); a rounded "
                "normal, clipped to the range, is not uniform")
    tables = f"{counts_y.tolist()} times as dy and {counts_x.tolist()} times as dx" if not which \
        else f"{(counts_y if which == 'dy' else counts_x).tolist()} times as {which}"
    return Mismatch((), f"has shifts that are not uniform over -{K} .. {K}"
                        f"{' in ' + which if which else ''}: among the {m} images, the values "
                        f"-{K} .. {K} occur {tables}, where uniform draws give about "
                        f"{m / (2 * K + 1):.0f} each (a chi-square of {statistic:.0f} on {df} "
                        f"degrees of freedom, above {threshold:.0f}, which uniform shifts exceed "
                        f"with probability about 1e{round(math.log10(UNIFORM_FALSE_FAILURE))}). "
                        + hint)


def _returns_images_itself(trial) -> bool:
    """Whether the student's function returns the very array it is given (a shortcut for
    max_shift = 0). Called through the runner like any call, on its own copies."""
    from ..runner import arguments, call

    name = trial.spec.id
    fn = trial.fn

    def probe(images, max_shift, rng):
        positional, keywords = arguments(fn, {"images": images, "max_shift": max_shift,
                                              "rng": rng}, name)
        out = fn(*positional, **keywords)
        return isinstance(out, np.ndarray) and np.shares_memory(out, images)

    return bool(call(probe, trial.args, name=name))


def _shift_properties(trial):
    """Each output image is its input moved by at most max_shift pixels in each direction,
    zero-filled, in a new array; shifts are drawn per image and per direction, uniformly over
    the whole range; and the rng argument is the only source of randomness. Each statistical
    test is made only where a correct implementation fails it with probability below NEVER
    (or, for the chi-square tests, where every expected count is 20 or more)."""
    images, K, out = trial.inputs["images"], trial.inputs["max_shift"], trial.got
    m, h, w = images.shape
    if isinstance(out, (tuple, list)):
        raise Mismatch((), "should be one array (the shifted images), got a "
                           f"{type(out).__name__}: return only the images")
    if not isinstance(out, np.ndarray) or out.shape != images.shape:
        raise Mismatch((), f"should be an array of the images' shape {images.shape}")
    if out.dtype.kind != "f":
        raise Mismatch((), f"has dtype {out.dtype}; expected floats, like the images")
    within = [(dy, dx) for dy in range(-K, K + 1) for dx in range(-K, K + 1)]
    found = _shifts_found(images, out, within, wrap=False)
    bad = np.flatnonzero(found[:, 0] == -1000)
    if bad.size:
        i = int(bad[0])
        if np.all(_shifts_found(images[bad], out[bad], within, wrap=True)[:, 0] != -1000):
            raise Mismatch((i,), "wraps around: pixels pushed out on one side come back on "
                                 "the other (np.roll does that). Fill the uncovered rows and "
                                 "columns with zeros instead")
        beyond = [(dy, dx) for dy in range(-h + 1, h) for dx in range(-w + 1, w)]
        far = _shifts_found(images[i:i + 1], out[i:i + 1], beyond, wrap=False)[0]
        if far[0] != -1000:
            raise Mismatch((i,), f"is images[{i}] moved by (dy, dx) = ({far[0]}, {far[1]}), "
                                 f"more than max_shift = {K} pixels")
        raise Mismatch((i,), f"is not images[{i}] moved by up to max_shift = {K} pixels in "
                             f"each direction, with zeros filling in")
    if K == 0 and not getattr(trial.fn, "remote", False) and _returns_images_itself(trial):
        raise Mismatch((), "is the images array itself: return a new array, for max_shift = 0 "
                           "too (images.copy()), so that changing the shifted images never "
                           "changes the originals")
    if K > 0:
        values = 2 * K + 1
        log_values = math.log(values)
        dy, dx = found[:, 0], found[:, 1]
        # A correct implementation gives one shift to all m images with probability
        # (2K+1)^(-2(m-1)), and dy = dx for all with probability (2K+1)^(-m).
        if -2 * (m - 1) * log_values < LOG_NEVER and np.all(found == found[0]):
            raise Mismatch((), f"has the same shift (dy, dx) = ({found[0, 0]}, {found[0, 1]}) "
                               f"for every image: draw a shift for each image")
        if -m * log_values < LOG_NEVER and np.all(dy == dx):
            raise Mismatch((), "has the same shift down as to the right in every image: draw "
                               "the vertical and the horizontal shift separately")
        # With uniform draws, one of the 2(2K+1) values never occurring among m images has
        # probability below 2(2K+1)(1 - 1/(2K+1))^m.
        if math.log(2 * values) + m * math.log1p(-1 / values) < LOG_NEVER:
            for name, d in (("vertical (dy)", dy), ("horizontal (dx)", dx)):
                missing = sorted(set(range(-K, K + 1)) - set(d.tolist()))
                if not missing:
                    continue
                if set(d.tolist()) == {0}:
                    why = f"has no image shifted in the {name.split()[0]} direction"
                elif missing == [K]:
                    why = (f"has no {name} shift of +{K} = +max_shift among {m} images: "
                           f"rng.integers(low, high) never returns high; use "
                           f"rng.integers(-max_shift, max_shift + 1)")
                elif all(v < 0 for v in missing):
                    why = f"has no negative {name} shift among {m} images: shifts go both ways"
                else:
                    why = f"has no {name} shift of {', '.join(map(str, missing))} among {m} images"
                raise Mismatch((), why + f" (shifts are drawn uniformly from -{K} .. {K})")
        if m / values >= 20:
            statistic, threshold, counts_y, counts_x = _uniformity(dy, dx, K)
            if statistic > threshold:
                raise _not_uniform(m, K, statistic, threshold, 4 * K, counts_y, counts_x)
            for which, d in (("dy", dy), ("dx", dx)):
                statistic, threshold, _ = _direction_uniformity(d, K)
                if statistic > threshold:
                    raise _not_uniform(m, K, statistic, threshold, 2 * K, counts_y, counts_x,
                                       which)
    again = trial.call()
    if not (isinstance(again, np.ndarray) and np.array_equal(again, out)):
        raise Mismatch((), "came out different for two generators in the same state: draw all "
                           "random numbers from the rng argument, never from np.random")
    # two correct calls with different generators agree with probability (2K+1)^(-2m)
    if K > 0 and -2 * m * math.log(2 * K + 1) < LOG_NEVER:
        other = trial.call(rng=np.random.default_rng(2024))
        if isinstance(other, np.ndarray) and np.array_equal(other, out):
            raise Mismatch((), "was the same for two different generators: draw from the rng "
                               "argument (do not create your own generator)")


_SHIFT_CLAUSES = (
    Clause("randomness", "the same generator state gives the same shifts, another generator "
                         "other shifts: the rng argument is the only source of randomness",
           by="properties"),
    Clause("per-part", "a shift of its own for every image", by="properties"),
    Clause("per-part", "dy and dx drawn separately, each uniform over -max_shift .. max_shift: "
                       "tested for each direction as well as jointly", by="properties"),
    Clause("boundary", "both ends, -max_shift and +max_shift, as often as any other shift",
           by="properties"),
    Clause("boundary", "max_shift = 0: every image unchanged",
           tried=lambda inputs: inputs["max_shift"] == 0),
    Clause("state", "a new array, never images itself (for max_shift = 0 too)",
           tried=lambda inputs: inputs["max_shift"] == 0),
    Clause("shape", "images that are not square (h != w): dy moves rows, dx columns",
           tried=lambda inputs: inputs["images"].shape[1] != inputs["images"].shape[2]),
    Clause("shape", "a single image (m = 1)", tried=lambda inputs: inputs["images"].shape[0] == 1),
    Clause("extreme", "max_shift = min(h, w) - 1: a shift may leave a single row or column",
           tried=lambda inputs: inputs["max_shift"] > 0 and
           inputs["max_shift"] == min(inputs["images"].shape[1:]) - 1),
)


# -- specs ---------------------------------------------------------------------------------


SPECS = [
    Spec("compute_cost_with_l2", _cost_inputs, "cost", uses=("compute_cost",), n_hidden=12,
         clauses=_COST_CLAUSES),
    Spec("model_backward_with_l2", _backward_inputs, "grads", gradients=_l2_gradients,
         uses=("model_backward",), n_hidden=12, clauses=_BACKWARD_CLAUSES),
    Spec("dropout_forward", _dropout_inputs, ("A_drop", "mask"), by_value=False,
         properties=_dropout_properties, n_public=4, n_hidden=12, clauses=_DROPOUT_CLAUSES),
    Spec("dropout_backward", _dropout_backward_inputs, "dA_prev",
         gradients=_dropout_backward_gradients, clauses=_DROPOUT_BACKWARD_CLAUSES),
    Spec("model_forward_with_dropout", _network_dropout_inputs, ("AL", "caches", "masks"),
         by_value=False, properties=_network_dropout_properties, n_public=4, n_hidden=12,
         uses=("dropout_forward", "linear_activation_forward"),
         clauses=_NETWORK_DROPOUT_CLAUSES),
    Spec("model_backward_with_dropout", _network_dropout_backward_inputs, "grads",
         gradients=_network_dropout_gradients, n_hidden=12,
         uses=("dropout_backward", "linear_activation_backward"),
         clauses=_NETWORK_DROPOUT_BACKWARD_CLAUSES),
    Spec("early_stopping", _early_stopping_inputs, ("stop_epoch", "best_epoch"),
         properties=_stopping_properties, n_public=4, n_hidden=30, clauses=_STOPPING_CLAUSES),
    Spec("fit_normalizer", _fit_inputs, ("mu", "sigma"), n_public=4, noise=_fit_noise,
         clauses=_FIT_CLAUSES, fresh=True),
    Spec("normalize", _normalize_inputs, "X_normalized", clauses=_NORMALIZE_CLAUSES),
    Spec("random_shift", _shift_inputs, "shifted", by_value=False,
         properties=_shift_properties, n_public=4, n_hidden=10, clauses=_SHIFT_CLAUSES),
]
