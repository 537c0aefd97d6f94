"""How the notebook 04 exercises are tried.

L2: networks of two to four layers with nonzero biases and m > 1 examples, so that a
forgotten 1/m, a penalised bias or a skipped layer all change the value; the backward
pass is also compared with numeric gradients of the regularized cost.

Dropout and random_shift are random: they are checked by properties and statistics on
inputs large enough for the statistics to be sharp, never by replaying a random stream.
Each statistical bound is five standard errors (or a probability computed below), so a
correct implementation fails a trial with probability below about 1e-6. Beyond the kept
fraction, the number of units kept in each example must vary as for independent units
(not a fixed count), and the shifts must be uniform over -max_shift .. max_shift (a
chi-square test, sharp on the trials with 1,000 images or more).
"""
from __future__ import annotations

import math

import numpy as np

from ..compare import Mismatch
from . import Spec
from .nb01 import _agree, _away_from_zero, _network

# -- L2 ----------------------------------------------------------------------------------


def _l2_network(rng, i):
    """X, Y, params, AL, caches of a network with L >= 2 in the public trials."""
    return _network(rng, (1, 2, 0)[i] if i < 3 else i)


def _lambd(rng, i):
    return (0.7, 2.5, 0.15)[i] if i < 3 else float(rng.uniform(0.05, 5.0))


def _cost_inputs(rng, i):
    _, Y, params, AL, _ = _l2_network(rng, i)
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
    for key, value in params.items():
        def cost(v, key=key):
            changed = {**params, key: v}
            return compute_cost_with_l2(model_forward(X, changed)[0], Y, changed, lambd)
        _agree(("d" + key,), f"d{key} = dJ/d{key} of the regularized cost J",
               trial.got["d" + key], numerical_gradient(cost, value))


# -- dropout -----------------------------------------------------------------------------

_KEEP_PUBLIC = (0.8, 0.3, 0.65)


def _dropout_inputs(rng, i):
    # large enough for sharp statistics: 5 standard errors of the kept fraction are at
    # most 0.035 here, while dropping with probability keep_prob is off by >= 0.3
    shape = ((20, 250), (25, 200), (40, 120))[i] if i < 3 else \
        (int(rng.integers(15, 40)), int(rng.integers(150, 300)))
    if i < 3:
        keep_prob = _KEEP_PUBLIC[i]
    elif i == 3:
        keep_prob = 1.0  # no dropout at all: everything kept, nothing scaled
    else:  # away from 0.5, where keeping and dropping with keep_prob look alike
        keep_prob = float(rng.uniform(0.65, 0.95) if i % 2 else rng.uniform(0.1, 0.35))
    return {"A": _away_from_zero(rng, shape, 0.1, 3.0), "keep_prob": keep_prob,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _as_mask(mask, A, keep_prob):
    """mask as a float 0/1 array, or Mismatch saying what is wrong with it."""
    if not isinstance(mask, np.ndarray):
        raise Mismatch((1,), f"should be a numpy array of A's shape {A.shape}, got a "
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
        raise Mismatch((1,), f"has shape {mask.shape}, expected A's shape {A.shape}{hint}")
    if mask.dtype.kind not in "biuf":
        raise Mismatch((1,), f"has dtype {mask.dtype}; expected 0/1 numbers or booleans")
    values = mask.astype(float)
    if not np.all((values == 0) | (values == 1)):
        if keep_prob < 1 and np.allclose(values[values != 0], 1 / keep_prob):
            raise Mismatch((1,), "holds 0 and 1/keep_prob: return the mask of 0s and 1s "
                                 "(1 = kept) and put the 1/keep_prob scaling into A_drop only "
                                 "(dropout_backward applies it again from keep_prob)")
        raise Mismatch((1,), "should hold only 0 (dropped) and 1 (kept), or booleans")
    return values


def _dropout_properties(trial):
    """Structure, A_drop = A * mask / keep_prob, the kept fraction, a fresh mask per example
    and per unit, and proper use of the rng."""
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
    n, m = A.shape
    if keep_prob < 1:
        # For a correct mask, all m columns (or all n rows) being equal has probability
        # below (p^2 + (1-p)^2)^(n (m-1)) ~ 0 for these sizes.
        if m > 1 and np.all(values == values[:, :1]):
            raise Mismatch((1,), "is the same for every example (column): draw a fresh mask "
                                 "for every example, rng.random(A.shape) < keep_prob")
        if n > 1 and np.all(values == values[:1, :]):
            raise Mismatch((1,), "is the same for every unit (row), so whole examples are "
                                 "dropped: draw rng.random(A.shape), one number per entry")
    if keep_prob < 1 and _log_count_spread_bound(values.sum(axis=0), n, keep_prob) < \
            np.log(COUNT_FALSE_FAILURE):
        counts = values.sum(axis=0)
        raise Mismatch((1,), f"keeps {_count_range(counts)} of the {n} units in each example "
                             f"(column): far too regular for units kept independently. With "
                             f"each unit kept with probability keep_prob on its own, the number "
                             f"kept in a column is binomial and varies from example to example "
                             f"(variance n p (1 - p) = {n * keep_prob * (1 - keep_prob):.2g} "
                             f"here; yours {counts.var():.2g}). Do not choose a fixed number of "
                             f"units to keep (rng.choice or a permutation per example); draw "
                             f"rng.random(A.shape) < keep_prob")
    fraction, N = values.mean(), values.size
    # Five standard errors of a binomial proportion: P(|z| > 5) is about 6e-7.
    if abs(fraction - keep_prob) > 5 * np.sqrt(keep_prob * (1 - keep_prob) / N):
        hint = (" A unit is kept with probability keep_prob: mask = rng.random(A.shape) < "
                "keep_prob (with >, it is dropped with probability keep_prob)."
                if abs(fraction - (1 - keep_prob)) < abs(fraction - keep_prob) else "")
        raise Mismatch((1,), f"keeps {fraction:.1%} of the units, expected keep_prob = "
                             f"{keep_prob:.1%} (within {5 * np.sqrt(keep_prob * (1 - keep_prob) / N):.1%})."
                             + hint)
    if not _same_mask(trial.call(), values):
        raise Mismatch((1,), "came out different for two generators in the same state: "
                             "draw all random numbers from the rng argument, never from np.random")
    if keep_prob < 1 and _same_mask(trial.call(rng=np.random.default_rng(2024)), values):
        raise Mismatch((1,), "was the same for two different generators: draw from the rng "
                             "argument (do not create your own generator)")


# The per-example count test's bound on the probability that a correct mask fails it, per
# trial (a proven bound, see below): 11 trials x 1e-9 in a hidden check.
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


def _dropout_backward_inputs(rng, i):
    shape = ((3, 5), (4, 2), (2, 6))[i] if i < 3 else tuple(int(x) for x in rng.integers(1, 8, 2))
    keep_prob = (0.8, 0.5, 0.3)[i] if i < 3 else float(rng.uniform(0.1, 0.95))
    mask = rng.random(shape) < keep_prob
    if i < 3 or i % 2:  # a dropout_forward may return floats or booleans: both must work
        mask = mask.astype(float)
    return {"dA": rng.standard_normal(shape), "mask": mask, "keep_prob": keep_prob}


def _dropout_backward_gradients(trial):
    """dA_prev is the derivative of sum(dA * A_drop) with respect to A, the mask held fixed."""
    from ..reference.numeric import numerical_gradient

    dA, mask, keep_prob = trial.inputs["dA"], trial.inputs["mask"], trial.inputs["keep_prob"]
    forward = lambda A: np.sum(dA * (A * mask / keep_prob))  # noqa: E731
    _agree((), "d(sum dA * A_drop)/dA with A_drop = A * mask / keep_prob", trial.got,
           numerical_gradient(forward, np.ones(dA.shape)))


# -- early stopping ----------------------------------------------------------------------

# Public curves, each with a lesson: an epoch better than the one before it but not than
# the best, and later improvements after the stop; no stop at all, and the best epoch the
# very last; a tie with the best.
# Every catalogued mistake gives a value no earlier mistake gives, so its own hint shows.
_PUBLIC_CURVES = (
    ([0.72, 0.63, 0.50, 0.42, 0.37, 0.29, 0.27, 0.31, 0.29, 0.23, 0.27, 0.29, 0.25, 0.19], 2),
    (np.array([0.46, 0.38, 0.35, 0.36, 0.33, 0.34, 0.35, 0.31, 0.30, 0.32, 0.29]), 3),
    (np.array([0.9, 0.7, 0.6, 0.6, 0.5]), 1),
)


def _early_stopping_inputs(rng, i):
    if i < 3:
        errors, patience = _PUBLIC_CURVES[i]
        return {"dev_errors": errors.copy() if isinstance(errors, np.ndarray) else list(errors),
                "patience": patience}
    if i in (3, 4):  # the best epoch is the very last one: no stop, or just in time
        T, patience = int(rng.integers(6, 30)), int(rng.integers(2, 6))
        errors = np.sort(rng.uniform(0.1, 0.6, T))[::-1].copy()  # falling to the end
        if i == 4:  # flat for patience - 1 epochs, then one last improvement
            errors[-patience:-1] = errors[-patience - 1]
        return {"dev_errors": errors if i == 3 else [float(e) for e in errors], "patience": patience}
    # A dev error rate on n_dev examples: falls, then creeps up again, with noise; rounding
    # to multiples of 1/n_dev makes ties, as real error rates have.
    T, n_dev = int(rng.integers(8, 60)), int(rng.choice([20, 50, 100]))
    t = np.arange(T) / T
    curve = 0.1 + 0.4 * np.exp(-8 * t) + rng.uniform(0, 0.3) * t ** 2
    errors = np.round((curve + rng.normal(0, 0.03, T)).clip(0, 1) * n_dev) / n_dev
    patience = int(rng.integers(1, 8))
    return {"dev_errors": errors if i % 2 else [float(e) for e in errors], "patience": patience}


# -- normalizing inputs ------------------------------------------------------------------


def _features(rng, n, m, constant=()):
    """n features on very different scales and offsets; rows in `constant` hold one value."""
    scale = 10.0 ** rng.uniform(-2, 3, (n, 1))
    offset = rng.uniform(-5, 5, (n, 1)) * scale
    X = offset + scale * rng.standard_normal((n, m))
    for row in constant:
        X[row] = float(rng.integers(-3, 4))  # a small integer: its mean is exact, its sigma 0
    return X


def _fit_inputs(rng, i):
    n, m = ((4, 12), (3, 30), (6, 9))[i] if i < 3 else \
        (int(rng.integers(1, 8)), int(rng.integers(5, 40)))
    constant = ((2,), (), (0, 4))[i] if i < 3 else \
        tuple(int(r) for r in np.flatnonzero(rng.random(n) < 0.2))
    return {"X_train": _features(rng, n, m, constant)}


def _normalize_inputs(rng, i):
    n, m = ((4, 7), (3, 10), (5, 2))[i] if i < 3 else \
        (int(rng.integers(1, 9)), int(rng.integers(2, 10)))
    X_train = _features(rng, n, 20)
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    # dev data from the same features, but not the training examples: its own statistics
    # differ from mu and sigma
    X = mu + sigma * (0.3 + 1.5 * rng.standard_normal((n, m)))
    return {"X": X, "mu": mu, "sigma": sigma}


# -- data augmentation -------------------------------------------------------------------


# Trials with many images, so that the uniformity test below is sharp: a public one and two
# hidden ones (small images keep the stored trial small and a looping implementation fast).
_LARGE_SHIFT_TRIALS = {2: (1000, 7, 7, 3), 4: (1200, 6, 7, 3), 6: (1000, 7, 6, 3)}


def _shift_inputs(rng, i):
    if i in _LARGE_SHIFT_TRIALS:
        m, h, w, max_shift = _LARGE_SHIFT_TRIALS[i]
    elif i < 3:
        (m, h, w), max_shift = ((150, 8, 8), (160, 6, 9))[i], (1, 2)[i]
    else:
        m, h, w = int(rng.integers(150, 200)), int(rng.integers(5, 12)), int(rng.integers(5, 12))
        max_shift = 0 if i == 3 else int(rng.integers(1, 4))
    # pixel values k/16 > 0, as in the digits: a zero pixel in the output can only have
    # come from outside the image, so each image's shift can be read off exactly
    images = rng.integers(1, 17, (m, h, w)) / 16.0
    return {"images": images, "max_shift": max_shift,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


# The uniformity test's level, per trial: 11 trials x 1e-9 in a hidden check.
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


def _uniformity(dy, dx, K):
    """Pearson's chi-square of the counts of dy and of dx over the 2K + 1 values -K .. K.

    For uniform, independent shifts each table has 2K degrees of freedom and the two are
    independent: the sum is close to chi-square with 4K (even) degrees of freedom. The
    smallest expected count in the trials is 150 / 7 > 21, where the approximation is good;
    the test's level UNIFORM_FALSE_FAILURE leaves a wide margin for what is left of its
    error in the tail (tests/test_reference_nb04.py measures it by simulation). Returns
    (statistic, threshold, counts of dy, counts of dx)."""
    values = np.arange(-K, K + 1)
    expected = len(dy) / values.size
    counts = [np.array([np.count_nonzero(d == v) for v in values]) for d in (dy, dx)]
    statistic = float(sum(np.sum((c - expected) ** 2) / expected for c in counts))
    return statistic, _chi2_threshold(4 * K, UNIFORM_FALSE_FAILURE), counts[0], counts[1]


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


def _shift_properties(trial):
    """Each output image is its input moved by at most max_shift pixels in each direction,
    zero-filled; shifts are drawn per image and per direction over the whole range; and
    the rng argument is the only source of randomness."""
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
    if K > 0:
        dy, dx = found[:, 0], found[:, 1]
        # A correct implementation gives one shift to all m images with probability
        # (2K+1)^(-2(m-1)), and dy = dx for all with probability (2K+1)^(-m): ~ 0 for m >= 150.
        if np.all(found == found[0]):
            raise Mismatch((), f"has the same shift (dy, dx) = ({found[0, 0]}, {found[0, 1]}) "
                               f"for every image: draw a shift for each image")
        if np.all(dy == dx):
            raise Mismatch((), "has the same shift down as to the right in every image: draw "
                               "the vertical and the horizontal shift separately")
        # With uniform draws, one of the 2(2K+1) values never occurring among m images has
        # probability below 2(2K+1)(1 - 1/(2K+1))^m: 2e-9 for K <= 3 and m >= 150.
        for name, values in (("vertical (dy)", dy), ("horizontal (dx)", dx)):
            missing = sorted(set(range(-K, K + 1)) - set(values.tolist()))
            if not missing:
                continue
            if set(values.tolist()) == {0}:
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
        statistic, threshold, counts_y, counts_x = _uniformity(dy, dx, K)
        if statistic > threshold:
            raise Mismatch((), f"has shifts that are not uniform over -{K} .. {K}: among the {m} "
                               f"images, the values -{K} .. {K} occur {counts_y.tolist()} times "
                               f"as dy and {counts_x.tolist()} times as dx, where uniform draws "
                               f"give about {m / (2 * K + 1):.0f} each (a chi-square of "
                               f"{statistic:.0f} on {4 * K} degrees of freedom, above "
                               f"{threshold:.0f}, which uniform shifts exceed with probability "
                               f"about 1e{round(math.log10(UNIFORM_FALSE_FAILURE))}). "
                               f"Draw each shift with rng.integers(-max_shift, max_shift + 1); a "
                               f"rounded normal, clipped to the range, is not uniform")
    again = trial.call()
    if not (isinstance(again, np.ndarray) and np.array_equal(again, out)):
        raise Mismatch((), "came out different for two generators in the same state: draw all "
                           "random numbers from the rng argument, never from np.random")
    if K > 0:
        other = trial.call(rng=np.random.default_rng(2024))
        if isinstance(other, np.ndarray) and np.array_equal(other, out):
            raise Mismatch((), "was the same for two different generators: draw from the rng "
                               "argument (do not create your own generator)")


# -- specs ---------------------------------------------------------------------------------


SPECS = [
    Spec("compute_cost_with_l2", _cost_inputs, "cost", uses=("compute_cost",)),
    Spec("model_backward_with_l2", _backward_inputs, "grads", gradients=_l2_gradients,
         uses=("model_backward",)),
    Spec("dropout_forward", _dropout_inputs, ("A_drop", "mask"), by_value=False,
         properties=_dropout_properties, n_hidden=8),
    Spec("dropout_backward", _dropout_backward_inputs, "dA_prev",
         gradients=_dropout_backward_gradients),
    Spec("early_stopping", _early_stopping_inputs, ("stop_epoch", "best_epoch"), n_hidden=30),
    Spec("fit_normalizer", _fit_inputs, ("mu", "sigma")),
    Spec("normalize", _normalize_inputs, "X_normalized"),
    Spec("random_shift", _shift_inputs, "shifted", by_value=False,
         properties=_shift_properties, n_hidden=8),
]
