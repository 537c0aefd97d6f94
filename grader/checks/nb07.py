"""How the notebook 07 exercises are tried.

The samplers, ``sample_gp_prior`` and ``bayesian_optimization`` are random: they are
checked by properties and statistics, never by replaying a random stream. Every
statistical test allows 5 standard errors, so a correct implementation fails one with
probability below 6e-7 (normal approximation; a trial makes at most ~30 such tests).
Kernel, posterior and expected improvement are compared with the reference.

Each exercise's contract is written down as clauses (the SPECS at the end). The public
trials stay ordinary; hidden trials, named by the constants above each ``make_inputs``, go to
its edges: shapes of three axes, single points and samples, ranges within one decade or
fifteen apart, beta within 1e-9 of 1, coincident and far-apart points, sigma = 0 where mu
improves, n_iter = 0, n_initial = 1, bounds given as a list.
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch
from . import Clause, Spec, default

# -- helpers ---------------------------------------------------------------------------------


def _array(got, path, shape, what):
    if not isinstance(got, np.ndarray):
        raise Mismatch(path, f"should be a numpy array of shape {shape}, got a {type(got).__name__}")
    if got.dtype.kind not in "fiu":
        raise Mismatch(path, f"has dtype {got.dtype}; expected floats")
    if got.shape != tuple(shape):
        hint = ": transposed?" if got.shape == tuple(shape)[::-1] else ""
        raise Mismatch(path, f"has shape {got.shape}, expected {tuple(shape)} ({what}){hint}")
    if not np.all(np.isfinite(got)):
        raise Mismatch(path, "contains inf or nan")
    return got.astype(float)


def _generator_properties(trial, same):
    """Equal generators give equal results; different generators give different ones."""
    if not same(trial.call(), trial.got):
        raise Mismatch((), "came out different for two generators in the same state: draw all "
                           "random numbers from the rng argument, never from np.random")
    if same(trial.call(rng=np.random.default_rng(98765)), trial.got):
        raise Mismatch((), "gave the same result for two different generators: draw from the "
                           "rng argument (do not create your own generator)")


def _kernel(X1, X2, length_scale=1.0, variance=1.0):
    """The squared-exponential kernel (a copy: public checks run without grader.reference)."""
    diff = X1[:, None, :] / length_scale - X2[None, :, :] / length_scale
    return variance * np.exp(-0.5 * np.sum(diff * diff, axis=-1))


def _within(value, expected, se, what, advice="", path=()):
    """Mismatch unless value is within 5 standard errors of expected (a correct implementation
    fails with probability below 6e-7). The message follows the returned value's name:
    "beta failed a statistical test: the mean of log10(1 - beta) is ..."."""
    if abs(value - expected) > 5 * se:
        raise Mismatch(path, f"failed a statistical test: {what} is {value:.4g}, expected "
                             f"{expected:.4g} (allowed: 5 standard errors = {5 * se:.2g})"
                             + (f". {advice}" if advice else ""))


# -- sample_log_uniform, sample_beta -----------------------------------------------------------


def _shape_of(size):
    return (int(size),) if np.ndim(size) == 0 else tuple(int(s) for s in size)


# hidden sampler trials at the contract's edges: a size of three axes; a range within one
# decade (log-uniform) or low = 0 (beta); a range of many decades (log-uniform) or beta within
# 1e-9 of 1
AXES, NARROW, WIDE = 4, 5, 6


def _sampler_size(rng, i):
    if i == AXES:
        return (int(rng.integers(15, 25)), 25, 30)
    return int(rng.integers(5000, 20000)) if i % 2 else (int(rng.integers(50, 100)), 100)


def _log_uniform_inputs(rng, i):
    public = ((1e-4, 1.0, 20000), (1e-3, 10.0, (80, 125)), (2.0, 5000.0, 10000))
    if i < len(public):
        low, high, size = public[i]
    else:
        low = float(10 ** rng.uniform(-6, 2))
        high = float(low * 10 ** rng.uniform(1, 5))  # at least one decade apart
        size = _sampler_size(rng, i)
        if i == NARROW:  # within one decade, neither end a power of ten
            high = float(low * 10 ** rng.uniform(0.05, 0.6))
        elif i == WIDE:  # fifteen decades and more
            low, high = float(10 ** rng.uniform(-13, -12)), float(10 ** rng.uniform(2, 3))
    return {"low": low, "high": high, "size": size,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _beta_inputs(rng, i):
    public = ((0.9, 0.999, 20000), (0.5, 0.99, (100, 150)), (0.99, 0.9999, 10000))
    if i < len(public):
        low, high, size = public[i]
    else:
        low = float(1 - 10 ** rng.uniform(-2.5, -0.3))
        high = float(1 - (1 - low) * 10 ** -rng.uniform(1, 3))
        size = _sampler_size(rng, i)
        if i == NARROW:  # the lowest end allowed, 0 <= low: 1 - beta up to 1
            low = 0.0
        elif i == WIDE:  # within 1e-9 of 1
            low, high = float(1 - 10 ** -rng.uniform(5, 6)), float(1 - 10 ** -rng.uniform(9, 9.5))
    return {"low": low, "high": high, "size": size,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _uniformity(u, name, advice):
    """u should be uniform on [0, 1]: its mean and the fractions below 1/4, 1/2, 3/4."""
    n = u.size
    _within(float(u.mean()), 0.5, np.sqrt(1 / 12 / n),
            f"the mean of {name}, as a fraction of its range,", advice)
    for q in (0.25, 0.5, 0.75):
        _within(float(np.mean(u < q)), q, np.sqrt(q * (1 - q) / n),
                f"the fraction of values whose {name} is in the lowest {q:.0%} of its range", advice)


def _sampler_properties(transform, name, outside, advice):
    def properties(trial):
        low, high = trial.inputs["low"], trial.inputs["high"]
        shape = _shape_of(trial.inputs["size"])
        v = _array(trial.got, (), shape, "the shape given by size")
        lo, hi = min(low, high), max(low, high)
        slack = 1e-12 * max(abs(lo), abs(hi), 1.0)
        bad = (v < lo - slack) | (v > hi + slack)
        if bad.any():
            raise Mismatch((), f"has values outside [low, high] = [{lo:.4g}, {hi:.4g}], "
                               f"e.g. {v[bad].ravel()[0]:.4g}: {outside}")
        distinct = np.unique(v).size
        if distinct < 0.9 * v.size:
            raise Mismatch((), f"has only {distinct} distinct values among {v.size}: {outside}, "
                               f"a real number drawn with rng.uniform (not rng.integers, not "
                               f"a constant)")
        a, b = transform(low), transform(high)
        _uniformity((transform(v.ravel()) - a) / (b - a), name, advice)
        _generator_properties(trial, lambda x, y: isinstance(x, np.ndarray) and
                              x.shape == y.shape and np.array_equal(x, y))
    return properties


# -- rbf_kernel ------------------------------------------------------------------------------


# hidden kernel trials at the contract's edges: a single point in X1; a single point in X2 in
# one dimension; points in both X1 and X2 (distance 0); points many length scales apart
ONE_ROW, ONE_COLUMN, SHARED, FAR = 3, 4, 5, 6


def _rbf_inputs(rng, i):
    public = ((4, 3, 2, 0.7, 2.0), (5, 2, 1, None, None), (3, 6, 3, "array", 0.5))
    if i < len(public):
        n1, n2, d, length_scale, variance = public[i]
    else:
        n1, n2, d = (int(x) for x in rng.integers(1, 7, size=3))
        length_scale = ("array", float(rng.uniform(0.3, 3)))[i % 2]
        variance = float(rng.uniform(0.2, 4))
        n1, n2 = (1 if i == ONE_ROW else max(n1, 2)), (1 if i == ONE_COLUMN else max(n2, 2))
        d = 1 if i == ONE_COLUMN else d
    if length_scale == "array":
        length_scale = rng.uniform(0.3, 3.0, size=d)
    spread = np.mean(length_scale) if length_scale is not None else 1.0
    inputs = {"X1": spread * rng.standard_normal((n1, d)),
              "X2": spread * rng.standard_normal((n2, d))}
    if i == SHARED:  # the first points of X1 again, in another order among X2's
        k = min(n1, n2) // 2 + 1
        inputs["X2"][::-1][:k] = inputs["X1"][:k]
    if i == FAR:  # every other point of X2 moved 50 length scales away: K is 0 there
        inputs["X2"][::2] += 50 * np.asarray(length_scale)
    if length_scale is not None:
        inputs["length_scale"] = length_scale
    if variance is not None:
        inputs["variance"] = variance
    return inputs


# -- sample_gp_prior ------------------------------------------------------------------------


def _well_spread(rng, n, d, length_scale, max_cond=1e3):
    """n points whose kernel matrix is well conditioned (no two nearly coincide), yet
    correlated: neighbours about one length scale apart."""
    while True:
        X = rng.uniform(0, 1.6 * n ** (1 / d), size=(n, d)) * length_scale
        K = _kernel(X, X, length_scale)
        off = K[~np.eye(n, dtype=bool)]
        if np.linalg.cond(K) < max_cond and (n == 1 or off.max() > 0.3):
            return X


# hidden prior trials at the contract's edges: two points 1e-9 length scales apart (K is
# singular in floating point: without the jitter the Cholesky factorisation fails); a single
# point; a single sample
COINCIDENT, ONE_POINT, ONE_SAMPLE = 3, 4, 5


def _prior_inputs(rng, i):
    public = ((5, 1, 0.8, 2.0), (4, 1, None, None), (6, 2, "array", 0.5))
    if i < len(public):
        n, d, length_scale, variance = public[i]
    else:
        n, d = int(rng.integers(3, 7)), int(rng.integers(1, 3))
        length_scale = ("array", float(rng.uniform(0.3, 3)))[i % 2]
        variance = float(rng.uniform(0.2, 4))
        if i == COINCIDENT:
            # variance 1: K's first two rows are then equal to the last bit (1.0 and
            # exp(-5e-19) = 1.0), so the second pivot of the factorisation is exactly 0 on
            # every CPU, and np.linalg.cholesky(K) fails; K + 1e-8 I does not
            variance = None
        n = 1 if i == ONE_POINT else n
    if length_scale == "array":
        length_scale = rng.uniform(0.3, 3.0, size=d)
    X = _well_spread(rng, n - (i == COINCIDENT), d, 1.0 if length_scale is None else length_scale)
    if i == COINCIDENT:  # n points in all, the first two 1e-9 length scales apart
        X = np.vstack([X[:1], X[:1] + 1e-9 * np.asarray(length_scale), X[1:]])
    inputs = {"X": X, "n_samples": 1 if i == ONE_SAMPLE else 4000,
              "rng": np.random.default_rng(int(rng.integers(2**31)))}
    if length_scale is not None:
        inputs["length_scale"] = length_scale
    if variance is not None:
        inputs["variance"] = variance
    return inputs


# the statistics need many samples: their 5-standard-error bounds rest on the normal
# approximation of a mean of n_samples values, wrong for a handful (one sample's square
# exceeds 5 standard errors, sqrt(2) K above K, with probability 0.005)
_STATISTICS_FROM = 1000


def _prior_properties(trial):
    """Shape, mean 0 and covariance K within 5 standard errors, proper use of rng."""
    X, N = trial.inputs["X"], trial.inputs["n_samples"]
    n = len(X)
    length_scale = trial.inputs.get("length_scale", 1.0)
    variance = trial.inputs.get("variance", 1.0)
    F = _array(trial.got, (), (N, n), "one row per sample, one column per point")
    if N < _STATISTICS_FROM:
        _generator_properties(trial, lambda a, b: isinstance(a, np.ndarray) and
                              a.shape == b.shape and np.array_equal(a, b))
        return
    K = _kernel(X, X, length_scale, variance)
    for j in range(n):
        _within(float(F[:, j].mean()), 0.0, np.sqrt(K[j, j] / N),
                f"the mean of the samples at point {j}", "The prior mean is 0")
    # second moments about the known mean 0; Var(f_i f_j) = K_ii K_jj + K_ij^2
    C = F.T @ F / N
    for j in range(n):
        se = np.sqrt(2 * K[j, j] ** 2 / N)
        _within(float(C[j, j]), K[j, j], se, f"the variance of the samples at point {j}",
                "It is the diagonal of their covariance matrix, k(x, x) = variance")
    for j in range(n):
        for k in range(j + 1, n):
            se = np.sqrt((K[j, j] * K[k, k] + K[j, k] ** 2) / N)
            _within(float(C[j, k]), K[j, k], se,
                    f"the covariance of the samples at points {j} and {k}",
                    f"It should be k(x_{j}, x_{k}): rows f = L z with L L^T = K, i.e. z @ L.T for "
                    f"z of shape (n_samples, n)")
    _generator_properties(trial, lambda a, b: isinstance(a, np.ndarray) and a.shape == b.shape
                          and np.array_equal(a, b))


# -- gp_posterior ------------------------------------------------------------------------------


# hidden posterior trials at the contract's edges: a single training point; a single test
# point; test points at training points (noise leaves cov there at about the noise); test
# points far from every training point (the prior comes back)
ONE_TRAINING, ONE_TEST, AT_TRAINING, FAR_TEST = 3, 4, 5, 6


def _posterior_inputs(rng, i):
    # the noisy trial first: with noise 1e-6 several noise mistakes give the same values
    public = ((5, 6, 1, 0.8, 2.0, 0.3), (4, 7, 1, None, None, None), (6, 4, 2, "array", 1.5, 0.05))
    if i < len(public):
        n, n_test, d, length_scale, variance, noise = public[i]
    else:
        n, n_test, d = int(rng.integers(1, 8)), int(rng.integers(1, 8)), int(rng.integers(1, 4))
        length_scale = ("array", float(rng.uniform(0.3, 3)))[i % 2]
        variance = float(rng.uniform(0.2, 4))
        noise = None if i % 3 == 2 else float(10 ** rng.uniform(-3, 0))
        n = 1 if i == ONE_TRAINING else max(n, 2) if i in (AT_TRAINING, FAR_TEST) else n
        n_test = 1 if i == ONE_TEST else max(n_test, 2) if i in (AT_TRAINING, FAR_TEST) else n_test
    if length_scale == "array":
        length_scale = rng.uniform(0.3, 3.0, size=d)
    # well conditioned: a noise of 1e-6 more or less must not show at the tolerance
    X_train = _well_spread(rng, n, d, 1.0 if length_scale is None else length_scale, max_cond=50)
    box = X_train.max(axis=0) - X_train.min(axis=0) + 1.0
    inputs = {"X_train": X_train,
              "y_train": rng.standard_normal(n) * np.sqrt(variance or 1.0),
              "X_test": X_train.min(axis=0) - 0.5 + box * rng.random((n_test, d))}
    if i == AT_TRAINING:  # some test points are training points (in another order)
        k = min(n, n_test) // 2 + 1
        inputs["X_test"][::-1][:k] = X_train[:k]
    if i == FAR_TEST:  # every other test point 40 length scales beyond the training points
        scale = np.asarray(1.0 if length_scale is None else length_scale)
        far = inputs["X_test"][::2]
        far[...] = X_train.max(axis=0) + 40 * scale * (1 + rng.random(far.shape))
    for key, value in (("length_scale", length_scale), ("variance", variance), ("noise", noise)):
        if value is not None:
            inputs[key] = value
    return inputs


# -- log_marginal_likelihood ------------------------------------------------------------------


# hidden marginal-likelihood trials at the contract's edges: a single point; |K_y| beyond the
# largest float (1e350) and below the smallest (1e-350), where log|K_y| is still an ordinary
# number; a negative noise that leaves K_y positive definite (the value is finite); noise 0;
# wildly different length scales per dimension. The rule "-inf when K_y is not positive
# definite" is checked on every trial by a second call (_lml_properties)
LML_ONE_POINT, LML_OVERFLOW, LML_UNDERFLOW, LML_NEGATIVE_NOISE, LML_NO_NOISE, LML_ARD = 3, 4, 5, 6, 7, 8
_LML_LOG10_DET = 350.0  # |log10 |K_y|| on the over- and underflow trials: beyond 1e308 and 1e-324


def _log10_det(K):
    """log10 |K| for a positive definite K, from its eigenvalues (no determinant formed)."""
    return float(np.sum(np.log10(np.linalg.eigvalsh(K))))


def _lml_inputs(rng, i):
    # (n, d, length_scale, variance, noise as a fraction of variance); the public trials (and
    # the first three hidden ones) have an even n (the check's second call, at a negative
    # noise, then has a determinant > 0), n != d, an ARD length scale, and one dimension
    public = ((6, 2, 0.8, 1.5, 0.1 / 1.5), (9, 3, "array", 0.6, 1e-3 / 0.6), (5, 1, 0.4, 2.5, 0.02 / 2.5))
    if i < len(public):
        n, d, length_scale, variance, ratio = public[i]
    else:
        n, d = int(rng.integers(2, 13)), int(rng.integers(1, 4))
        length_scale = ("array", float(rng.uniform(0.3, 3)))[i % 2]
        variance = float(10 ** rng.uniform(-1, 1))
        ratio = float(10 ** rng.uniform(-3, -0.5))
        if i == LML_ONE_POINT:
            n = 1
        elif i in (LML_OVERFLOW, LML_UNDERFLOW):
            n, d, ratio = int(rng.integers(100, 141)), 2, 0.05
        elif i == LML_NEGATIVE_NOISE:
            n = max(n, 4)
        elif i == LML_ARD:
            n, d, length_scale = max(n, 6), 3, "ard"
    if length_scale == "array":
        length_scale = rng.uniform(0.3, 3.0, size=d)
    elif length_scale == "ard":  # one dimension that matters little, one that matters a lot
        length_scale = np.array([50.0 * rng.uniform(1, 2), rng.uniform(0.3, 3.0), 0.05 * rng.uniform(1, 2)])
    if i in (LML_OVERFLOW, LML_UNDERFLOW):
        # about one point per squared length scale: K_y's condition number stays near 1 / ratio
        X = rng.uniform(0, np.sqrt(n), size=(n, d)) * length_scale
    else:
        X = _well_spread(rng, n, d, length_scale, max_cond=100)
    K = _kernel(X, X, length_scale)  # the correlations, variance 1
    if i in (LML_OVERFLOW, LML_UNDERFLOW):
        # the variance that puts |K_y| = variance^n |K / variance + ratio I| at 10^(+-350)
        target = _LML_LOG10_DET * (1 if i == LML_OVERFLOW else -1) * rng.uniform(1.0, 1.1)
        variance = float(10 ** ((target - _log10_det(K + ratio * np.eye(n))) / n))
    noise = ratio * variance
    if i == LML_NEGATIVE_NOISE:  # minus half K's smallest eigenvalue: K_y is still positive definite
        noise = -0.5 * float(np.linalg.eigvalsh(variance * K)[0])
    elif i == LML_NO_NOISE:
        noise = 0.0
    return {"X": X, "y": rng.standard_normal(n) * np.sqrt(variance),
            "length_scale": length_scale, "variance": variance, "noise": noise}


def _lml_matrix(inputs):
    X = inputs["X"]
    return _kernel(X, X, inputs["length_scale"], inputs["variance"]) + inputs["noise"] * np.eye(len(X))


def _lml_noise(args):
    """The rounding noise of log p(y | X), from K_y's conditioning. With K_y perturbed by
    delta K, |delta K| <= c n eps lambda_max (a factorisation's backward error), the data fit
    y^T K_y^-1 y moves by at most |delta K| |K_y^-1 y|^2 <= c n eps kappa |y|^2 / lambda_min,
    and log|K_y| by tr(K_y^-1 delta K) <= c n^2 eps kappa (kappa = lambda_max / lambda_min).
    The same bound holds for LU (np.linalg.solve, slogdet), an eigendecomposition, and, with the
    inverse's forward error kappa eps |K_y^-1| |y|, for inv(K_y) @ y: so the inverse, worse
    than a solve on an ill-conditioned K_y, is right wherever kappa is moderate, as on every
    trial here (kappa <= about 200). c = 2; the sums and logarithms of the rest add a few ulps
    of the value (``rounding``). Measured: the correct variants (Cholesky, slogdet, inverse,
    eigh) differ from the reference by at most 0.5% of this bound, 1e-8 of the tolerance."""
    from . import EPS, rounding

    w = np.linalg.eigvalsh(_lml_matrix(args))
    rtol, atol = rounding(args)
    if w[0] <= 0:  # not positive definite: -inf, nothing compared
        return rtol, atol
    n, y = len(w), np.asarray(args["y"], dtype=float)
    kappa = w[-1] / w[0]
    return rtol, atol + 2 * EPS * n * kappa * (float(y @ y) / w[0] + n)


def _lml_properties(trial):
    """A second call with a noise that makes K_y clearly not positive definite: -(n + 1/2)
    variance, where every eigenvalue of K_y is at most -variance / 2 (K's are at most n times
    variance), whatever the CPU. The answer must be -inf."""
    from ..runner import StudentError

    n, variance = len(trial.inputs["y"]), trial.inputs["variance"]
    noise = -(n + 0.5) * variance
    rule = (f"should be -inf when K_y = K + noise I is not positive definite. Called again with "
            f"noise = {noise:.4g} = -(n + 1/2) variance, where every eigenvalue of K_y is at most "
            f"-variance/2,")
    decide = ("decide with np.linalg.cholesky, which raises np.linalg.LinAlgError exactly when "
              "K_y is not positive definite, and return -np.inf then")
    try:
        got = trial.call(noise=noise)
    except StudentError as e:
        if "LinAlgError" not in str(e):
            raise
        raise Mismatch((), f"{rule} your function raised {str(e).split(' raised ', 1)[-1]}\n"
                           f"  Catch np.linalg.LinAlgError (try: ... except "
                           f"np.linalg.LinAlgError:) and return -np.inf.") from None
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(())[()]
    if isinstance(got, (float, np.floating)) and got == -np.inf:
        return
    if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
        raise Mismatch((), f"{rule} your function returned {got!r}: {decide}")
    if np.isnan(got):
        raise Mismatch((), f"{rule} your function returned nan: the log of a negative "
                           f"determinant? {decide[0].upper()}{decide[1:]}.")
    if np.isfinite(got):
        raise Mismatch((), f"{rule} your function returned {float(got):.6g}. slogdet's log|det| "
                           f"ignores the determinant's sign, and even a determinant > 0 does not "
                           f"make K_y positive definite (here it is (-1)^n times a positive "
                           f"number): {decide}.")
    raise Mismatch((), f"{rule} your function returned {got}: {decide}")


# -- expected_improvement -----------------------------------------------------------------------


# hidden EI trials: the odd ones from 3 on are at the edges of the rule "0 where sigma == 0":
# sigma = 0 where mu improves on y_best - xi (EI is 0 there, not the sure improvement), and a
# tiny sigma > 0 there (not 0: about the improvement); trial 4 has a single candidate
ONE_CANDIDATE = 4


def _edge_ei(i):
    return i >= 3 and i % 2 == 1


def _ei_inputs(rng, i):
    n = (8, 10, 9)[i] if i < 3 else 1 if i == ONE_CANDIDATE else int(rng.integers(3, 15))
    n = max(n, 6) if _edge_ei(i) else n
    y_best = float(rng.normal(0, 1))
    mu = y_best + rng.normal(0, 1.5, size=n)
    sigma = rng.uniform(0.05, 2.0, size=n)
    # sigma = 0 as at observed points, where mu >= y_best (one of them the best point, mu =
    # y_best): there EI is 0 by either convention, 0 or max(0, y_best - xi - mu)
    if n > 1:
        zero = rng.choice(n, size=2, replace=False)
        sigma[zero] = 0.0
        mu[zero] = y_best + np.array([0.0, abs(rng.normal(0, 1.5))])
    inputs = {"mu": mu, "sigma": sigma, "y_best": y_best}
    if i % 3 != 0:  # trials 0, 3, 6, ... leave xi at its default, 0
        inputs["xi"] = float((0.1, 0.01)[i % 2] if i < 3 else rng.uniform(0.01, 0.5))
    if _edge_ei(i):
        # two other candidates 0.1 to 1.5 below y_best - xi: one known exactly (sigma = 0),
        # one with sigma between 1e-13 and 1e-10, where EI is the improvement to 1e-300
        known, tiny = rng.choice(np.setdiff1d(np.arange(n), zero), size=2, replace=False)
        mu[[known, tiny]] = y_best - inputs.get("xi", 0.0) - rng.uniform(0.1, 1.5, size=2)
        sigma[known], sigma[tiny] = 0.0, 10 ** rng.uniform(-13, -10)
    return inputs


# -- bayesian_optimization ----------------------------------------------------------------------
# A trial calls the student's loop four times: twice with generators in the same state (the runs
# must be equal), once with another generator, once on the mirrored function. In 2-D the three
# distinct runs are then compared with random search at the same budget. A trap trial (below)
# calls it three times, with three generators, and only compares with random search.
#
# Trial plan (the first two are public): a quadratic bowl with the default n_initial and a short
# run (too short to compare with random search); a "trap"; a rippled 1-D function; a 3-D bowl;
# two more traps; a 2-D bowl of random size; then two hidden trials at the edges of the
# contract: n_iter = 0 (the initial points alone) and n_initial = 1 (one initial value, whose
# standard deviation is 0) in one dimension. The 3-D bowl and the random bowl give the bounds
# as a list of [low, high] rows ("array-like"), not an array.
#
# The trap tests exploration. Its landscape is set by the first point the loop evaluates: a
# shallow well centred at that very point, and a wider well twice as deep near the corner of the
# box farthest from it (one of four sites, 0.2 of the sides in from the corners, jittered). For
# any loop it is one fixed smooth function per run; it only makes sure that the search starts at
# the bottom of the wrong well. Random search gets below the shallow well's bottom in about 9 runs
# out of 10 (18 evaluations). A loop that evaluates the lowest posterior mean (pure exploitation)
# stays in the first well unless another initial point happens to fall into the deep one (about
# 1 run in 6); EI, whose sigma phi(z) term rewards uncertainty, leaves it: the reference, the
# notebook's loop and the test variants failed 1 of 1200 runs in all (n_iter = 16), and a trial
# needs 2 of 3 runs to fail.

_PLAN = {  # trial: (function, d, n_initial (None: the default, 3), n_iter)
    0: ("bowl", 2, None, 3),
    1: ("trap", 2, 2, 16),
    2: ("wave", 1, 2, 8),
    3: ("bowl", 3, 3, 10),
    4: ("trap", 2, 2, 16),
    5: ("trap", 2, 2, 16),
    7: ("bowl", 2, 4, 0),
    8: ("wave", 1, 1, 8),
}
_LIST_BOUNDS = (3, 6)         # hidden trials whose bounds are a list of lists
_TRAP_WIDTHS = (0.12, 0.17)   # the shallow and the deep well, in units of the box's sides
_COMPARE_FROM = 8             # runs with fewer EI steps are too short to compare with random search


def _bo_inputs(rng, i):
    function, d, n_initial, n_iter = _PLAN.get(i) or (
        "bowl", 2, int(rng.integers(2, 5)), int(rng.integers(10, 15)))
    low = rng.uniform(-3, 1, size=d)
    width = rng.uniform(1, 4, size=d)
    bounds = np.column_stack([low, low + width])
    inputs = {"function": function}
    if function == "trap":
        corners = np.stack(np.meshgrid(*[[0.2, 0.8]] * d, indexing="ij"), axis=-1).reshape(-1, d)
        inputs.update({"sites": corners + rng.uniform(-0.05, 0.05, size=corners.shape),
                       "depth": float(rng.uniform(0.5, 3.0)), "offset": float(rng.normal(0, 2))})
    else:
        centre = low + width * rng.uniform(0.15, 0.85, size=d)
        inputs.update({"centre": centre, "curvature": rng.uniform(0.5, 3.0, size=d) / width ** 2 * 4,
                       "rotation": np.linalg.qr(rng.standard_normal((d, d)))[0],
                       "offset": float(rng.normal(0, 2))})
    inputs.update({"bounds": bounds, "n_iter": n_iter,
                   "rng": np.random.default_rng(int(rng.integers(2**31)))})
    if n_initial is not None:
        inputs["n_initial"] = n_initial
    if i in _LIST_BOUNDS:  # "array-like": [[low, high], ...] as well
        inputs["bounds"] = bounds.tolist()
    return inputs


def _bounds(inputs):
    """The trial's bounds as a (d, 2) array, whether given as an array or a list."""
    return np.asarray(inputs["bounds"], dtype=float)


def test_function(inputs, first=None):
    """The smooth objective a trial describes, for points x of shape (..., d): a rotated
    quadratic bowl ("bowl"), with a sine ripple of three periods across the box ("wave"), or
    the trap, whose shallow well sits at ``first``, the first point evaluated (shape (d,))."""
    bounds = _bounds(inputs)
    low, high = bounds[:, 0], bounds[:, 1]
    width = high - low
    offset = inputs["offset"]
    if inputs["function"] == "trap":
        u0 = (np.asarray(first, dtype=float) - low) / width
        sites = inputs["sites"]
        centres = np.vstack([u0, sites[np.argmax(np.sum((sites - u0) ** 2, axis=1))]])
        widths = np.array(_TRAP_WIDTHS)
        depths = inputs["depth"] * np.array([1.0, 2.0])

        def trap(x):
            u = (np.asarray(x, dtype=float) - low) / width
            z = (u[..., None, :] - centres) / widths[:, None]
            return offset - np.sum(depths * np.exp(-0.5 * np.sum(z * z, axis=-1)), axis=-1)
        return trap
    centre, curvature, rotation = inputs["centre"], inputs["curvature"], inputs["rotation"]
    ripple = 0.25 * float(np.sum(curvature * width ** 2)) if inputs["function"] == "wave" else 0.0

    def f(x):
        u = (np.asarray(x, dtype=float) - centre) @ rotation.T
        value = offset + np.sum(curvature * u * u, axis=-1)
        if ripple:
            value = value + ripple * np.sum(np.sin(6 * np.pi * (x - low) / width), axis=-1)
        return value
    return f


class RecordingObjective:
    """The objective handed to the student's function: it records every evaluation. A trap
    takes its shape from the first point evaluated."""

    def __init__(self, inputs, first=None):
        self.inputs = inputs
        trap = inputs["function"] == "trap"
        self.f = (test_function(inputs, first) if first is not None else None) if trap \
            else test_function(inputs)
        self.d = len(_bounds(inputs))
        self.points, self.values = [], []

    def __call__(self, x):
        x = np.array(x, dtype=float)
        if x.shape != (self.d,):  # the contract: one point, (d,); not (1, d), not (d, 1)
            raise ValueError(f"the objective takes one point of shape ({self.d},), "
                             f"got an array of shape {x.shape}")
        if self.f is None:
            self.f = test_function(self.inputs, first=x)
        value = float(self.f(x))
        self.points.append(x)
        self.values.append(value)
        return value

    def minimum(self):
        """The lowest value of the function within its bounds."""
        inputs, bounds = self.inputs, _bounds(self.inputs)
        if inputs["function"] == "bowl":
            return float(self.f(inputs["centre"]))
        if inputs["function"] == "wave":
            return float(np.min(self.f(np.linspace(bounds[:, 0], bounds[:, 1], 200001))))
        # the trap: a grid over the box, then finer grids around the best point
        low, high = bounds[:, 0].copy(), bounds[:, 1].copy()
        span = high - low
        for _ in range(8):
            axes = [np.linspace(a, b, 81) for a, b in zip(low, high)]
            grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, self.d)
            values = self.f(grid)
            best = grid[np.argmin(values)]
            span = span / 8
            low = np.maximum(bounds[:, 0], best - span)
            high = np.minimum(bounds[:, 1], best + span)
        return float(values.min())

    def random_search_regrets(self, budget, runs=4000):
        """Regret (best value - minimum) of `runs` random searches with `budget` evaluations,
        uniform in the bounds (a fixed generator: the same numbers at every check)."""
        bounds = _bounds(self.inputs)
        rng = np.random.default_rng(0)
        U = bounds[:, 0] + (bounds[:, 1] - bounds[:, 0]) * rng.random((runs, budget, self.d))
        return self.f(U).min(axis=1) - self.minimum()

    def __deepcopy__(self, memo):
        return self  # the grader copies arguments; the record must stay this one


def _bo_prepare(inputs):
    args = {k: v for k, v in inputs.items()
            if k in ("bounds", "n_iter", "rng", "n_initial")}
    args["objective"] = RecordingObjective(inputs)
    return args


def _bo_result(got, n, d, path_prefix=""):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Mismatch((), "should be a tuple (X_seen, y_seen)")
    X = _array(np.asarray(got[0]) if isinstance(got[0], list) else got[0], (0,), (n, d),
               "n_initial + n_iter points as rows")
    y = _array(np.asarray(got[1]) if isinstance(got[1], list) else got[1], (1,), (n,),
               "one value per point")
    return X, y


def _mirrored(inputs):
    """The same function reflected in the box, x -> low + high - x: random search does
    exactly as well on it, but a search that looks at the values goes elsewhere."""
    bounds = _bounds(inputs)
    low, high = bounds[:, 0], bounds[:, 1]
    return {**inputs, "centre": low + high - inputs["centre"], "function": "bowl"}


def _bo_properties(trial):
    inputs = trial.inputs
    bounds = _bounds(inputs)
    d = len(bounds)
    n = inputs.get("n_initial", 3) + inputs["n_iter"]
    if not isinstance(trial.got, (tuple, list)) or len(trial.got) != 2:
        raise Mismatch((), "should be a tuple (X_seen, y_seen)")
    if inputs["function"] == "trap":
        _explores(trial, n, d)
        return

    # the same generator state again, with an objective whose record we keep
    recorder = RecordingObjective(inputs)
    again = trial.call(objective=recorder)
    _spends_the_budget(recorder, inputs, n)
    X, y = _bo_result(trial.got, n, d)
    _inside(X, bounds)
    X2, y2 = _bo_result(again, n, d)
    if not (np.array_equal(X, X2) and np.array_equal(y, y2)):
        raise Mismatch((), "came out different for two generators in the same state: draw all "
                           "random numbers from the rng argument, never from np.random")
    for i, (x, value) in enumerate(zip(recorder.points, recorder.values)):
        if not np.allclose(X2[i], x, rtol=1e-12, atol=1e-12):
            raise Mismatch((0,), f"row {i} is not the point evaluated {_ordinal(i)}: return "
                                 f"the points in the order they were evaluated")
        if not np.isclose(y2[i], value, rtol=1e-12, atol=1e-12):
            raise Mismatch((1,), f"y_seen[{i}] = {y2[i]:.6g} is not the value the objective "
                                 f"returned for X_seen[{i}], {value:.6g}")

    other = RecordingObjective(inputs)
    X_other, y_other = _bo_result(trial.call(rng=np.random.default_rng(1234), objective=other), n, d)
    if np.array_equal(X_other, X):
        raise Mismatch((), "gave the same points for two different generators: draw from "
                           "the rng argument (do not create your own generator)")
    if inputs["n_iter"] == 0:  # the initial points alone: random, whatever the function
        return
    # the same generator on the mirrored function: only the observed values differ
    mirror = RecordingObjective(_mirrored(inputs))
    X_mirror, y_mirror = _bo_result(trial.call(objective=mirror), n, d)
    if np.array_equal(X_mirror, X):
        raise Mismatch((), "chose the same points for two different functions (with generators "
                           "in the same state): the points after the first n_initial must "
                           "depend on the values seen, through the GP posterior and EI")
    if d == 2 and inputs["n_iter"] >= _COMPARE_FROM:
        _compare_with_random_search(inputs, n, [(y, recorder), (y_other, other), (y_mirror, mirror)])


def _spends_the_budget(recorder, inputs, n):
    calls = len(recorder.points)
    if calls != n:
        raise Mismatch((), f"evaluated the objective {calls} times; the budget is n_initial + "
                           f"n_iter = {inputs.get('n_initial', 3)} + {inputs['n_iter']} = {n} "
                           f"evaluations, each point evaluated exactly once")


def _inside(X, bounds):
    low, high = bounds[:, 0], bounds[:, 1]
    slack = 1e-9 * (high - low)
    outside = np.any((X < low - slack) | (X > high + slack), axis=1)
    if outside.any():
        i = int(np.argmax(outside))
        raise Mismatch((0,), f"row {i} = {np.round(X[i], 4).tolist()} is outside the bounds "
                             f"{np.round(bounds, 4).tolist()}: scale points from the unit cube "
                             f"with low + (high - low) * u, initial points and candidates alike")


def _explores(trial, n, d):
    """A trap trial: its run and two more, with two other generators (not the mirrored
    function: it would differ from this one only far from the start, where a correct loop may
    not have been yet, and a run on it would start in the same place), against random search.
    The bowl trials check the rest (equal runs for equal states, the order, the values), so the
    loop is called only twice more. The first run's function is the one its first point set."""
    inputs = trial.inputs
    X, y = _bo_result(trial.got, n, d)
    _inside(X, _bounds(inputs))
    runs = [(y, RecordingObjective(inputs, first=X[0]))]
    for seed in (1234, 4321):
        objective = RecordingObjective(inputs)
        _, y_run = _bo_result(trial.call(rng=np.random.default_rng(seed), objective=objective), n, d)
        _spends_the_budget(objective, inputs, n)
        runs.append((y_run, objective))
    _compare_with_random_search(inputs, n, runs)


def _compare_with_random_search(inputs, n, runs):
    """Three runs (two generators and two mirror-image functions; for a trap, three generators)
    against random search with the same budget, each run on its own function (a trap's depends
    on its first point): the median run must come at least as close to the minimum as half of
    all random searches. A BO with a crude acquisition optimiser or fixed hyperparameters beats
    that median several times over; one that maximises, or picks the smallest EI, does far
    worse, and on the trap so does one that never explores."""
    regrets = np.array([y.min() - objective.minimum() for y, objective in runs])
    typical = np.array([np.median(objective.random_search_regrets(n)) for _, objective in runs])
    if np.median(regrets / typical) <= 1.0:
        return
    worse = int(np.sum(regrets > typical))
    advice = ("Does the loop minimise (y_best = min(y_seen), EI for minimisation) and evaluate "
              "the argmax of EI over the candidates?")
    if inputs["function"] == "trap":
        raise Mismatch((), f"does no better than random search: in {worse} of {len(runs)} runs "
                           f"the best value found is further above the minimum than in half of "
                           f"all random searches with the same {n} evaluations. This function "
                           f"has a shallow well around the first point evaluated and a deeper "
                           f"one elsewhere, which random search finds in most runs. Does the "
                           f"loop explore? Evaluating the point of lowest posterior mean (pure "
                           f"exploitation) never leaves the first well; EI's sigma phi(z) term "
                           f"sends it where the GP is unsure. {advice}")
    raise Mismatch((), f"does no better than random search: in {worse} of {len(runs)} runs the "
                       f"best value found is further above the minimum ({np.median(regrets):.3g} "
                       f"in the median run) than in half of all random searches with the same "
                       f"{n} evaluations (they come within {np.median(typical):.3g}). {advice}")


def _ordinal(i):
    return {0: "first", 1: "second", 2: "third"}.get(i, f"{i + 1}th")


# -- contracts: which trials reach a clause ----------------------------------------------------


def _int_size(inputs):
    return np.ndim(inputs["size"]) == 0


def _three_axes(inputs):
    return np.ndim(inputs["size"]) == 1 and len(inputs["size"]) >= 3


def _decades(inputs, beta=False):
    """How many decades the sampled quantity spans: of the value, or of 1 - beta."""
    low, high = inputs["low"], inputs["high"]
    return float(np.log10((1 - low) / (1 - high)) if beta else np.log10(high / low))


def _array_length_scale(inputs):
    return np.ndim(inputs.get("length_scale", 1.0)) == 1


def _defaults(*names):
    return lambda inputs: all(default(name)(inputs) for name in names)


def _scaled_sq_distances(A, B, inputs):
    diff = (A[:, None, :] - B[None, :, :]) / np.asarray(inputs.get("length_scale", 1.0))
    return np.sum(diff * diff, axis=-1)


def _shared_point(inputs):
    return bool(np.any(_scaled_sq_distances(inputs["X1"], inputs["X2"], inputs) == 0))


def _far_apart(inputs):
    """Some pair of points whose kernel underflows (exp(-750) is 0 in float64)."""
    return bool(np.any(_scaled_sq_distances(inputs["X1"], inputs["X2"], inputs) > 1500))


def _nearly_coincident(inputs):
    """Two points closer than a tenth of a length scale."""
    X = inputs["X"]
    sq = _scaled_sq_distances(X, X, inputs)
    return bool(np.any(sq[~np.eye(len(X), dtype=bool)] < 0.01))


def _test_at_training(inputs):
    return bool(np.any(_scaled_sq_distances(inputs["X_test"], inputs["X_train"], inputs) == 0))


def _far_test(inputs):
    """A test point so far from every training point that K_* is 0 in its column."""
    sq = _scaled_sq_distances(inputs["X_test"], inputs["X_train"], inputs)
    return bool(np.any(sq.min(axis=1) > 1500))


def _points(inputs):
    return len(inputs["y"])


def _ard_spread(inputs):
    """Length scales per dimension more than a hundredfold apart."""
    ls = np.asarray(inputs["length_scale"], dtype=float)
    return ls.ndim == 1 and ls.max() > 100 * ls.min()


def _det_beyond_floats(inputs, sign):
    """|K_y| above the largest float (sign 1) or below the smallest subnormal (sign -1)."""
    log10_det = _log10_det(_lml_matrix(inputs))
    return log10_det > 308.5 if sign > 0 else log10_det < -324

def _known(inputs, improving):
    """Candidates with sigma = 0 whose mu improves on y_best - xi, or whose mu = y_best."""
    mu, sigma, target = inputs["mu"], inputs["sigma"], inputs["y_best"] - inputs.get("xi", 0.0)
    where = mu < target if improving else mu == inputs["y_best"]
    return bool(np.any((sigma == 0) & where))


def _tiny_sigma(inputs):
    mu, sigma = inputs["mu"], inputs["sigma"]
    return bool(np.any((sigma > 0) & (sigma < 1e-9) & (mu < inputs["y_best"] - inputs.get("xi", 0.0))))


def _dimensions(inputs):
    return len(_bounds(inputs))


SAMPLER = (
    Clause("shape", "size an int: a 1-D array of that many values", tried=_int_size),
    Clause("shape", "size a shape tuple, of any number of axes (three too): an array of "
                    "exactly that shape", tried=_three_axes),
    Clause("randomness", "the same rng state gives the same values, another rng other values",
           by="properties"),
)

KERNEL_DEFAULTS = "length_scale and variance default to 1"
ARRAY_LENGTH_SCALE = "length_scale a (d,) array, one length scale per dimension"

# -- specs -------------------------------------------------------------------------------------

SPECS = [
    Spec("sample_log_uniform", _log_uniform_inputs, "values", by_value=False,
         properties=_sampler_properties(
             np.log10, "log10(values)", "the exponent u runs from log10(low) to log10(high) "
             "and the value is 10 ** u",
             "log10(values) should be uniform on [log10 low, log10 high]: draw u uniformly "
             "there, return 10 ** u"), clauses=SAMPLER + (
             Clause("boundary", "low and high within one decade, neither a power of ten: the "
                                "values still fill [low, high]", tried=lambda x: _decades(x) < 1),
             Clause("extreme", "low and high fifteen decades apart (1e-13 to 1e3): every decade "
                               "equally likely, no value outside [low, high]",
                    tried=lambda x: _decades(x) > 14),
         )),
    Spec("sample_beta", _beta_inputs, "beta", by_value=False,
         properties=_sampler_properties(
             lambda b: np.log10(1.0 - np.asarray(b)), "log10(1 - beta)",
             "u runs from log10(1 - high) to log10(1 - low) and beta = 1 - 10 ** u",
             "log10(1 - beta) should be uniform on [log10(1 - high), log10(1 - low)]: it is "
             "1 - beta that is sampled on a log scale"), clauses=SAMPLER + (
             Clause("boundary", "low = 0 is allowed (0 <= low < high < 1): log10(1 - low) = 0",
                    tried=lambda x: x["low"] == 0),
             Clause("extreme", "beta within 1e-9 of 1: beta stays below 1 and 1 - beta is still "
                               "log-uniform", tried=lambda x: 1 - x["high"] < 1e-8),
         )),
    Spec("rbf_kernel", _rbf_inputs, "K", clauses=(
        Clause("shape", "a single point in X1 or in X2: K is still 2-D, (1, n2) or (n1, 1)",
               tried=lambda x: min(len(x["X1"]), len(x["X2"])) == 1),
        Clause("shape", "points in one dimension, d = 1 (X of shape (n, 1))",
               tried=lambda x: x["X1"].shape[1] == 1),
        Clause("boundary", ARRAY_LENGTH_SCALE, tried=_array_length_scale),
        Clause("boundary", KERNEL_DEFAULTS, tried=_defaults("length_scale", "variance")),
        Clause("boundary", "the same point in X1 and X2 (distance 0): K = variance there",
               tried=_shared_point),
        Clause("extreme", "points many length scales apart: K underflows to 0, no nan",
               tried=_far_apart),
    )),
    Spec("sample_gp_prior", _prior_inputs, "samples", by_value=False,
         properties=_prior_properties, uses=("rbf_kernel",), clauses=(
             Clause("extreme", "points closer than a tenth of a length scale (K singular in "
                               "floating point): the jitter 1e-8 * variance keeps the Cholesky "
                               "factorisation alive", tried=_nearly_coincident),
             Clause("shape", "a single point, n = 1: samples of shape (n_samples, 1)",
                    tried=lambda x: len(x["X"]) == 1),
             Clause("shape", "a single sample, n_samples = 1: shape (1, n)",
                    tried=lambda x: x["n_samples"] == 1),
             Clause("boundary", KERNEL_DEFAULTS, tried=_defaults("length_scale", "variance")),
             Clause("boundary", ARRAY_LENGTH_SCALE, tried=_array_length_scale),
             Clause("randomness", "the same rng state gives the same samples, another rng "
                                  "other ones", by="properties"),
         )),
    Spec("gp_posterior", _posterior_inputs, ("mu", "cov"), rtol=1e-6, atol=1e-8,
         uses=("rbf_kernel",), n_public=3, clauses=(
             Clause("shape", "a single training point, n = 1",
                    tried=lambda x: len(x["X_train"]) == 1),
             Clause("shape", "a single test point: mu of shape (1,), cov of shape (1, 1)",
                    tried=lambda x: len(x["X_test"]) == 1),
             Clause("boundary", "noise defaults to 1e-6", tried=default("noise")),
             Clause("boundary", KERNEL_DEFAULTS, tried=_defaults("length_scale", "variance")),
             Clause("boundary", ARRAY_LENGTH_SCALE, tried=_array_length_scale),
             Clause("boundary", "a test point at a training point: the noise is on the training "
                                "block only, so cov there shrinks to about the noise",
                    tried=_test_at_training),
             Clause("extreme", "test points many length scales from every training point: the "
                               "prior again, mu = 0 and cov = K_**", tried=_far_test),
         )),
    Spec("log_marginal_likelihood", _lml_inputs, "log p(y | X)", rtol=1e-6, atol=1e-9,
         properties=_lml_properties, noise=_lml_noise, uses=("rbf_kernel",), clauses=(
             Clause("type", "a plain float: not an array of shape (1, 1) (y turned into a "
                            "column) or (1,)", by="grader.compare.compare"),
             Clause("shape", "a single point, n = 1: K_y is 1 x 1", tried=lambda x: _points(x) == 1),
             Clause("shape", "X of shape (n, d) with n != d: the identity is n x n, and the "
                             "constant counts n points, not d dimensions",
                    tried=lambda x: _points(x) != x["X"].shape[1]),
             Clause("shape", "points in one dimension, d = 1", tried=lambda x: x["X"].shape[1] == 1),
             Clause("boundary", "length_scale a float", tried=lambda x: np.ndim(x["length_scale"]) == 0),
             Clause("boundary", ARRAY_LENGTH_SCALE, tried=_array_length_scale),
             Clause("boundary", "length scales a hundredfold and more apart (a dimension that "
                                "hardly matters beside one that matters a lot)", tried=_ard_spread),
             Clause("boundary", "-inf when K_y is not positive definite (noise = -(n + 1/2) "
                                "variance: every eigenvalue of K_y at most -variance/2)",
                    by="properties"),
             Clause("boundary", "a negative noise that leaves K_y positive definite: an "
                                "ordinary finite value, not -inf", tried=lambda x: x["noise"] < 0),
             Clause("boundary", "noise = 0: K_y = K", tried=lambda x: x["noise"] == 0),
             Clause("extreme", "|K_y| beyond the largest float (1e350, 100 to 140 points): "
                               "log|K_y| is still finite", tried=lambda x: _det_beyond_floats(x, 1)),
             Clause("extreme", "|K_y| below the smallest float (1e-350): log|K_y| is still "
                               "finite", tried=lambda x: _det_beyond_floats(x, -1)),
         )),
    Spec("expected_improvement", _ei_inputs, "ei", rtol=1e-6, atol=1e-9, clauses=(
        Clause("boundary", "exactly 0 where sigma == 0, also where mu improves on y_best - xi "
                           "(the value there is known)", tried=lambda x: _known(x, True)),
        Clause("boundary", "exactly 0 where sigma == 0 and mu = y_best (z would be 0 / 0)",
               tried=lambda x: _known(x, False)),
        Clause("extreme", "a tiny sigma > 0 (1e-13) is not 0: EI is then the improvement "
                          "y_best - xi - mu", tried=_tiny_sigma),
        Clause("boundary", "xi defaults to 0", tried=default("xi")),
        Clause("shape", "a single candidate, n = 1", tried=lambda x: len(x["mu"]) == 1),
    )),
    Spec("bayesian_optimization", _bo_inputs, ("X_seen", "y_seen"), by_value=False,
         properties=_bo_properties,
         uses=("gp_posterior", "expected_improvement", "log_marginal_likelihood"),
         n_public=2, n_hidden=9, prepare=_bo_prepare, clauses=(
             Clause("callback", "objective is called with one point of shape (d,), never "
                                "(1, d) or a batch of points", by="grader.checks.nb07.RecordingObjective"),
             Clause("callback", "in one dimension too: a point of shape (1,), not a number",
                    tried=lambda x: _dimensions(x) == 1),
             Clause("callback", "objective is called exactly once per point, n_initial + n_iter "
                                "times; y_seen holds what it returned, in the order evaluated",
                    by="properties"),
             Clause("randomness", "the same rng state gives the same run, another rng other "
                                  "points", by="properties"),
             Clause("boundary", "every point inside the box, each coordinate within its own "
                                "[low_k, high_k]", by="properties"),
             Clause("boundary", "n_initial defaults to 3", tried=default("n_initial")),
             Clause("boundary", "n_iter = 0: the n_initial random points alone",
                    tried=lambda x: x["n_iter"] == 0),
             Clause("boundary", "n_initial = 1: one initial value, whose standard deviation is 0",
                    tried=lambda x: x.get("n_initial") == 1),
             Clause("type", "bounds array-like: a list of [low, high] rows as well as an array",
                    tried=lambda x: isinstance(x["bounds"], list)),
             Clause("shape", "three dimensions as well as one and two",
                    tried=lambda x: _dimensions(x) == 3),
         )),
]
