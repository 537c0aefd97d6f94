"""Reference implementations, notebook 07: hyperparameter search and Bayesian optimization.

Gaussian-process code uses points as rows: ``X`` is ``(n, d)``. Randomness comes only
from an explicit ``rng`` (numpy.random.Generator).
"""
from __future__ import annotations

import math

import numpy as np

__all__ = [
    "sample_log_uniform", "sample_beta", "rbf_kernel", "sample_gp_prior", "gp_posterior",
    "log_marginal_likelihood", "expected_improvement", "bayesian_optimization",
]

# math.erf, elementwise: the normal CDF without scipy
_erf = np.vectorize(math.erf, otypes=[float])


def normal_cdf(z):
    """Phi(z) = (1 + erf(z / sqrt 2)) / 2, elementwise; z: any shape."""
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=float) / math.sqrt(2.0)))


def normal_pdf(z):
    """phi(z) = exp(-z^2 / 2) / sqrt(2 pi), elementwise; z: any shape."""
    z = np.asarray(z, dtype=float)
    return np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


# -- hyperparameter search ---------------------------------------------------------------


def sample_log_uniform(low, high, size, rng):
    """Values whose log10 is uniform on [log10 low, log10 high]; 0 < low < high.

    size: int or tuple, the shape of the result. Returns a float array of that shape.
    """
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), size=size)


def sample_beta(low, high, size, rng):
    """beta in [low, high] (0 <= low < high < 1) with 1 - beta uniform on a log scale.

    beta = 1 - 10^u with u uniform between log10(1 - high) and log10(1 - low): the average
    length 1 / (1 - beta) is what matters, and it changes fastest near beta = 1.
    size: int or tuple. Returns a float array of that shape.
    """
    return 1.0 - 10.0 ** rng.uniform(np.log10(1.0 - high), np.log10(1.0 - low), size=size)


# -- Gaussian processes --------------------------------------------------------------------


def rbf_kernel(X1, X2, length_scale=1.0, variance=1.0):
    """Squared-exponential kernel matrix.

    X1: (n1, d), X2: (n2, d) points as rows.
    length_scale: float, or (d,) array with one length scale per dimension.
    Returns K: (n1, n2), K[i, j] = variance * exp(-sum_k (X1[i,k] - X2[j,k])^2 / (2 l_k^2)).
    """
    scaled1 = np.asarray(X1, dtype=float) / length_scale
    scaled2 = np.asarray(X2, dtype=float) / length_scale
    # differences, not |a|^2 + |b|^2 - 2 a.b: exact zeros on the diagonal, no negative squares
    diff = scaled1[:, None, :] - scaled2[None, :, :]
    return variance * np.exp(-0.5 * np.sum(diff * diff, axis=-1))


def sample_gp_prior(X, n_samples, rng, length_scale=1.0, variance=1.0):
    """Draw functions from the prior GP(0, k) at the points X.

    X: (n, d). Returns (n_samples, n): row s is one function f evaluated at the n points,
    f ~ N(0, K) with K = rbf_kernel(X, X, length_scale, variance).
    """
    K = rbf_kernel(X, X, length_scale, variance)
    n = K.shape[0]
    # a tiny jitter keeps the Cholesky factorisation alive when points nearly coincide
    L = np.linalg.cholesky(K + 1e-8 * variance * np.eye(n))
    z = rng.standard_normal((n_samples, n))
    return z @ L.T  # each row L z has covariance L L^T = K


def _cholesky_solve(L, B):
    """(L L^T)^{-1} B for lower-triangular L: two triangular solves, no inverse."""
    return np.linalg.solve(L.T, np.linalg.solve(L, B))


def gp_posterior(X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6):
    """Posterior of f at X_test given noisy observations y = f(X_train) + N(0, noise).

    X_train: (n, d), y_train: (n,), X_test: (n_test, d). The prior mean is 0;
    noise is a variance added to the diagonal of K(X_train, X_train).
    Returns mu: (n_test,) and cov: (n_test, n_test) of f(X_test) (noise-free).
    """
    K = rbf_kernel(X_train, X_train, length_scale, variance) + noise * np.eye(len(X_train))
    K_s = rbf_kernel(X_train, X_test, length_scale, variance)   # (n, n_test)
    K_ss = rbf_kernel(X_test, X_test, length_scale, variance)   # (n_test, n_test)
    L = np.linalg.cholesky(K)
    mu = K_s.T @ _cholesky_solve(L, np.asarray(y_train, dtype=float))
    V = np.linalg.solve(L, K_s)                                 # K_s^T K^{-1} K_s = V^T V
    return mu, K_ss - V.T @ V


def expected_improvement(mu, sigma, y_best, xi=0.0):
    """EI for minimisation: E[max(0, y_best - xi - y)] with y ~ N(mu, sigma^2).

    mu, sigma: (n,) posterior means and standard deviations. y_best: the lowest value seen.
    xi >= 0 asks for an improvement of at least xi (more exploration).
    Returns (n,): (y_best - xi - mu) Phi(z) + sigma phi(z), z = (y_best - xi - mu) / sigma;
    0 where sigma == 0.
    """
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    improvement = y_best - xi - mu
    positive = sigma > 0
    z = improvement / np.where(positive, sigma, 1.0)  # no division by zero
    ei = improvement * normal_cdf(z) + sigma * normal_pdf(z)
    return np.where(positive, ei, 0.0)


# -- Bayesian optimisation -------------------------------------------------------------------


def log_marginal_likelihood(X, y, length_scale, variance, noise):
    """log p(y | X) = -y^T K^{-1} y / 2 - log|K| / 2 - n log(2 pi) / 2, K = k(X, X) + noise I.

    X: (n, d), y: (n,); length_scale: float or (d,); noise: a variance, added to the diagonal.
    Returns a float, -inf if K is not positive definite (its Cholesky factorisation fails).
    log|K| = 2 sum_i log L_ii from the factor, never log(det K): a determinant of 100 points
    over- or underflows where its logarithm is an ordinary number.
    """
    K = rbf_kernel(X, X, length_scale, variance) + noise * np.eye(len(X))
    try:
        L = np.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        return -np.inf
    alpha = _cholesky_solve(L, y)
    return float(-0.5 * y @ alpha - np.sum(np.log(np.diag(L))) - 0.5 * len(y) * np.log(2 * np.pi))


def _profile(X, y, log_ls, log_noise):
    """The LML maximised over the variance in closed form, for given log length scales and
    log noise ratio: with K = s R, the best s is y^T R^{-1} y / n. Returns (lml, s)."""
    n = len(y)
    R = rbf_kernel(X, X, np.exp(log_ls)) + np.exp(log_noise) * np.eye(n)
    try:
        L = np.linalg.cholesky(R)
    except np.linalg.LinAlgError:
        return -np.inf, 1.0
    s = max(float(y @ _cholesky_solve(L, y)) / n, 1e-12)
    lml = -0.5 * n - 0.5 * n * np.log(s) - np.sum(np.log(np.diag(L))) - 0.5 * n * np.log(2 * np.pi)
    return float(lml), s


def fit_hyperparameters(X, y, rng, n_candidates=12, n_steps=25):
    """Length scales (one per dimension), variance and noise maximising the log marginal
    likelihood; for X scaled to the unit cube and y standardised.

    X: (n, d), y: (n,). Random candidates for the log length scales and the log noise
    ratio, then Nelder-Mead from the best; the variance is profiled out in closed form.
    Returns (length_scale (d,), variance, noise).
    """
    d = X.shape[1]
    low = np.r_[np.full(d, np.log(0.02)), np.log(1e-8)]   # length scales in cube units,
    high = np.r_[np.full(d, np.log(5.0)), np.log(1e-1)]   # noise as a fraction of variance

    def objective(theta):
        theta = np.clip(theta, low, high)
        return -_profile(X, y, theta[:d], theta[d])[0]

    candidates = rng.uniform(low, high, size=(n_candidates, d + 1))
    candidates[0] = np.r_[np.full(d, np.log(0.3)), np.log(1e-6)]  # a sensible default
    values = np.array([objective(c) for c in candidates])
    theta = _nelder_mead(objective, candidates[np.argmin(values)], step=0.5, n_steps=n_steps)
    theta = np.clip(theta, low, high)
    _, s = _profile(X, y, theta[:d], theta[d])
    return np.exp(theta[:d]), s, s * np.exp(theta[d])


def _nelder_mead(f, x0, step, n_steps):
    """Minimise f from x0 by Nelder-Mead (reflection, expansion, contraction, shrink)."""
    simplex = np.vstack([x0, x0 + step * np.eye(len(x0))])
    values = np.array([f(x) for x in simplex])
    for _ in range(n_steps):
        order = np.argsort(values)
        simplex, values = simplex[order], values[order]
        centroid = simplex[:-1].mean(axis=0)
        reflected = centroid + (centroid - simplex[-1])
        f_r = f(reflected)
        if f_r < values[0]:
            expanded = centroid + 2.0 * (centroid - simplex[-1])
            f_e = f(expanded)
            simplex[-1], values[-1] = (expanded, f_e) if f_e < f_r else (reflected, f_r)
        elif f_r < values[-2]:
            simplex[-1], values[-1] = reflected, f_r
        else:
            contracted = centroid + 0.5 * (simplex[-1] - centroid)
            f_c = f(contracted)
            if f_c < values[-1]:
                simplex[-1], values[-1] = contracted, f_c
            else:  # shrink towards the best point
                simplex[1:] = simplex[0] + 0.5 * (simplex[1:] - simplex[0])
                values[1:] = [f(x) for x in simplex[1:]]
    return simplex[np.argmin(values)]


def _posterior_mean_std(X, y, X_test, length_scale, variance, noise):
    """gp_posterior's mean and marginal standard deviations without the (n_test, n_test)
    covariance: X: (n, d), y: (n,), X_test: (n_test, d) -> (n_test,), (n_test,)."""
    K = rbf_kernel(X, X, length_scale, variance) + noise * np.eye(len(X))
    K_s = rbf_kernel(X, X_test, length_scale, variance)
    L = np.linalg.cholesky(K)
    mu = K_s.T @ _cholesky_solve(L, y)
    V = np.linalg.solve(L, K_s)
    return mu, np.sqrt(np.maximum(variance - np.sum(V * V, axis=0), 0.0))


def propose(X_unit, y, rng, n_candidates=2000, fit=True):
    """The next point to evaluate, in unit-cube coordinates: the argmax of EI.

    X_unit: (n, d) points seen, scaled to [0, 1]^d; y: (n,) their values.
    EI is maximised over random candidates in the cube plus candidates near the best points.
    Returns (x_next (d,), (length_scale, variance, noise)).
    """
    n, d = X_unit.shape
    scale = y.std() or 1.0
    y_std = (y - y.mean()) / scale  # the prior mean 0 and variance ~1 then fit the data
    if fit:
        hyper = fit_hyperparameters(X_unit, y_std, rng)
    else:
        hyper = (np.full(d, 0.2), 1.0, 1e-6)
    best = X_unit[np.argsort(y)[:3]]
    local = best[rng.integers(len(best), size=n_candidates // 4)]
    local = local + 0.05 * hyper[0] * rng.standard_normal(local.shape)
    candidates = np.clip(np.vstack([rng.random((n_candidates, d)), local]), 0.0, 1.0)
    mu, sigma = _posterior_mean_std(X_unit, y_std, candidates, *hyper)
    ei = expected_improvement(mu, sigma, y_std.min())
    return candidates[np.argmax(ei)], hyper


def bayesian_optimization(objective, bounds, n_iter, rng, n_initial=3):
    """Minimise objective over a box by Bayesian optimisation with a GP and EI.

    objective: function of one point x, shape (d,), returning a float.
    bounds: (d, 2) array-like of [low, high] per dimension.
    n_iter: evaluations chosen by EI after the n_initial random ones.
    Returns (X_seen (n_initial + n_iter, d), y_seen (n_initial + n_iter,)), in evaluation order.
    """
    return minimize(objective, bounds, n_iter, rng, n_initial)


def minimize(objective, bounds, n_iter, rng, n_initial=3, fit=True):
    """bayesian_optimization, with the choice of fitting the kernel's hyperparameters by
    maximum likelihood (fit=True) or fixing them (length scale 0.2 of each side, for the
    benchmark's comparison)."""
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 2)
    low, width = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    d = len(bounds)
    # the GP works in the unit cube, so length scales mean the same in every problem
    X_unit = rng.random((n_initial, d))
    y = np.array([float(objective(low + width * x)) for x in X_unit])
    for _ in range(n_iter):
        x_next, _ = propose(X_unit, y, rng, fit=fit)
        X_unit = np.vstack([X_unit, x_next])
        y = np.append(y, float(objective(low + width * x_next)))
    return low + width * X_unit, y
