"""Mistakes in notebook 07, as students make them."""
from __future__ import annotations

import math

import numpy as np

from ..nb07 import (_cholesky_solve, _posterior_mean_std, expected_improvement,
                    fit_hyperparameters, normal_cdf, normal_pdf, propose, rbf_kernel)
from . import GLOBAL_RANDOM, Mistake

# -- sample_log_uniform, sample_beta -------------------------------------------------------------


def _log_uniform_global(low, high, size, rng):
    return 10.0 ** np.random.uniform(np.log10(low), np.log10(high), size=size)


def _log_uniform_forgets_low(low, high, size, rng):
    return 10.0 ** (np.log10(high) * rng.random(size))


def _log_uniform_integer_exponents(low, high, size, rng):
    return 10.0 ** rng.integers(np.ceil(np.log10(low)), np.floor(np.log10(high)) + 1, size=size)


def _log_uniform_loop(low, high, size, rng):
    # one value at a time: range(size) needs an int, and size may be a shape tuple
    return np.array([10.0 ** rng.uniform(np.log10(low), np.log10(high)) for _ in range(size)])


def _beta_own_generator(low, high, size, rng):
    rng = np.random.default_rng(0)
    return 1.0 - 10.0 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size=size)


# -- rbf_kernel --------------------------------------------------------------------------------


def _sq_dist(X1, X2, length_scale=1.0):
    diff = X1[:, None, :] / length_scale - X2[None, :, :] / length_scale
    return np.sum(diff * diff, axis=-1)


def _rbf_first_dimension_only(X1, X2, length_scale=1.0, variance=1.0):
    ls = np.ravel(length_scale)[0]
    return variance * np.exp(-((X1[:, None, 0] - X2[None, :, 0]) ** 2) / (2 * ls ** 2))


def _rbf_ls_not_squared(X1, X2, length_scale=1.0, variance=1.0):
    diff = X1[:, None, :] - X2[None, :, :]
    return variance * np.exp(-np.sum(diff ** 2 / (2 * np.asarray(length_scale)), axis=-1))


# -- sample_gp_prior ---------------------------------------------------------------------------


def _prior(X, n_samples, rng, length_scale, variance, factor, transposed=False):
    K = rbf_kernel(X, X, length_scale, variance)
    A = factor(K + 1e-8 * variance * np.eye(len(X)))
    z = rng.standard_normal((n_samples, len(X)))
    return (z @ A.T).T if transposed else z @ A.T


def _prior_wrong_side(X, n_samples, rng, length_scale=1.0, variance=1.0):
    K = rbf_kernel(X, X, length_scale, variance)
    L = np.linalg.cholesky(K + 1e-8 * np.eye(len(X)))
    return rng.standard_normal((n_samples, len(X))) @ L  # covariance L^T L, not L L^T


def _prior_no_variance(X, n_samples, rng, length_scale=1.0, variance=1.0):
    return _prior(X, n_samples, rng, length_scale, 1.0, np.linalg.cholesky)


def _prior_K_not_root(X, n_samples, rng, length_scale=1.0, variance=1.0):
    return _prior(X, n_samples, rng, length_scale, variance, lambda K: K)


def _prior_elementwise_sqrt(X, n_samples, rng, length_scale=1.0, variance=1.0):
    return _prior(X, n_samples, rng, length_scale, variance, np.sqrt)


def _prior_independent(X, n_samples, rng, length_scale=1.0, variance=1.0):
    return np.sqrt(variance) * rng.standard_normal((n_samples, len(X)))


def _prior_transposed(X, n_samples, rng, length_scale=1.0, variance=1.0):
    return _prior(X, n_samples, rng, length_scale, variance, np.linalg.cholesky, transposed=True)


def _prior_no_jitter(X, n_samples, rng, length_scale=1.0, variance=1.0):
    L = np.linalg.cholesky(rbf_kernel(X, X, length_scale, variance))  # K itself, no jitter
    return rng.standard_normal((n_samples, len(X))) @ L.T


def _prior_global(X, n_samples, rng, length_scale=1.0, variance=1.0):
    K = rbf_kernel(X, X, length_scale, variance)
    return np.random.multivariate_normal(np.zeros(len(X)), K, size=n_samples)


# -- gp_posterior ----------------------------------------------------------------------------


def _posterior(X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6,
               train_noise=None, test_noise=0.0, sign=-1.0, cross_variance=None,
               test_variance=None):
    n = len(X_train)
    noise_matrix = np.eye(n) * noise if train_noise is None else train_noise(noise, n)
    K = rbf_kernel(X_train, X_train, length_scale, variance) + noise_matrix
    K_s = rbf_kernel(X_train, X_test, length_scale,
                     variance if cross_variance is None else cross_variance)
    K_ss = rbf_kernel(X_test, X_test, length_scale,
                      variance if test_variance is None else test_variance)
    K_ss = K_ss + test_noise * noise * np.eye(len(X_test))
    K_inv = np.linalg.inv(K)
    return K_s.T @ K_inv @ y_train, K_ss + sign * K_s.T @ K_inv @ K_s


def _posterior_std(X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6):
    mu, cov = _posterior(X_train, y_train, X_test, length_scale, variance, noise)
    return mu, np.sqrt(np.clip(np.diag(cov), 0, None))


# -- log_marginal_likelihood --------------------------------------------------------------------


def _lml(X, y, length_scale, variance, noise, *, K_y=None, fit=-0.5, penalty=-0.5,
         constant=None, logdet=None):
    """The reference's log p(y | X) with one thing changed: K_y, the factor of the data fit
    y^T K_y^-1 y or of log|K_y|, the constant, or how log|K_y| is computed (from L)."""
    n = len(X)
    if K_y is None:
        K_y = rbf_kernel(X, X, length_scale, variance) + noise * np.eye(n)
    try:
        L = np.linalg.cholesky(K_y)
    except np.linalg.LinAlgError:
        return -np.inf
    data_fit = float(y @ _cholesky_solve(L, y))
    log_det = 2.0 * np.sum(np.log(np.diag(L))) if logdet is None else logdet(L, K_y)
    constant = -0.5 * n * np.log(2 * np.pi) if constant is None else constant(n)
    return float(fit * data_fit + penalty * log_det + constant)


def _lml_column_vectors(X, y, length_scale, variance, noise):
    # y as a column, (n, 1): y^T K_y^-1 y is then a (1, 1) array, and so is the result
    K_y = rbf_kernel(X, X, length_scale, variance) + noise * np.eye(len(X))
    try:
        L = np.linalg.cholesky(K_y)
    except np.linalg.LinAlgError:
        return -np.inf
    Y = y.reshape(-1, 1)
    return (-0.5 * Y.T @ _cholesky_solve(L, Y) - np.sum(np.log(np.diag(L)))
            - 0.5 * len(y) * np.log(2 * np.pi))


def _lml_unguarded(X, y, length_scale, variance, noise):
    # np.linalg.cholesky without try/except: an error where K_y is not positive definite
    L = np.linalg.cholesky(rbf_kernel(X, X, length_scale, variance) + noise * np.eye(len(X)))
    return float(-0.5 * y @ _cholesky_solve(L, y) - np.sum(np.log(np.diag(L)))
                 - 0.5 * len(y) * np.log(2 * np.pi))


def _lml_slogdet(X, y, length_scale, variance, noise, check_sign):
    K_y = rbf_kernel(X, X, length_scale, variance) + noise * np.eye(len(X))
    sign, log_det = np.linalg.slogdet(K_y)
    if check_sign and sign <= 0:  # "a positive determinant, so positive definite"
        return -np.inf
    return float(-0.5 * y @ np.linalg.solve(K_y, y) - 0.5 * log_det - 0.5 * len(y) * np.log(2 * np.pi))


def _lml_identity_of_d(X, y, length_scale, variance, noise):
    # np.eye(X.shape[1]): d x d, the number of dimensions instead of the number of points
    return _lml(X, y, length_scale, variance, noise,
                K_y=rbf_kernel(X, X, length_scale, variance) + noise * np.eye(X.shape[1]))


_LML_NOT_PD = "does not make K_y positive definite"


# -- expected_improvement -------------------------------------------------------------------


def _ei(mu, sigma, y_best, xi=0.0, improvement=None, cdf=normal_cdf, pdf=normal_pdf,
        spread=None, pdf_term=True, guard=True):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    imp = (y_best - xi - mu) if improvement is None else improvement(mu, y_best, xi)
    s = sigma if spread is None else spread(sigma)
    positive = sigma > 0
    with np.errstate(divide="ignore", invalid="ignore"):  # the unguarded mistake divides by 0
        z = imp / (np.where(positive, s, 1.0) if guard else s)
        ei = imp * cdf(z) + (sigma * pdf(z) if pdf_term else 0.0)
    return np.where(positive, ei, 0.0) if guard else ei


_erf = np.vectorize(math.erf, otypes=[float])


def _ei_epsilon(mu, sigma, y_best, xi=0.0):
    # an epsilon against the division by zero, instead of setting EI to 0 where sigma == 0
    improvement = y_best - xi - mu
    z = improvement / (sigma + 1e-12)
    return improvement * normal_cdf(z) + sigma * normal_pdf(z)


def _ei_sure_improvement(mu, sigma, y_best, xi=0.0):
    # the limit sigma -> 0 where sigma == 0: max(0, y_best - xi - mu) instead of 0
    ei = expected_improvement(mu, sigma, y_best, xi)
    return np.where(sigma > 0, ei, np.maximum(0.0, y_best - xi - mu))


def _ei_threshold(mu, sigma, y_best, xi=0.0):
    # "sigma is about 0": a tolerance where the contract says sigma == 0
    ei = expected_improvement(mu, np.where(sigma > 1e-9, sigma, 0.0), y_best, xi)
    return np.where(sigma > 1e-9, ei, 0.0)


def _ei_in_place(mu, sigma, y_best, xi=0.0):
    known = sigma == 0
    sigma[known] = 1.0  # a safe divisor, written into the caller's array
    ei = expected_improvement(mu, sigma, y_best, xi)
    ei[known] = 0.0
    return ei


# -- bayesian_optimization --------------------------------------------------------------------


def _bo(objective, bounds, n_iter, rng, n_initial=3, choose=None, initial=None,
        evaluations=None, extra_evaluation=False, order=None):
    """The reference loop with one thing changed."""
    bounds = np.asarray(bounds, dtype=float).reshape(-1, 2)
    low, width = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    d = len(bounds)
    X_unit = rng.random((n_initial, d))
    to_box = initial or (lambda u: low + width * u)
    X = [to_box(u) for u in X_unit]
    y = [float(objective(x)) for x in X]
    steps = n_iter if evaluations is None else evaluations(n_initial, n_iter)
    for _ in range(steps):
        Xu = (np.array(X) - low) / width
        u = choose(Xu, np.array(y), rng) if choose else propose(Xu, np.array(y), rng)[0]
        x = low + width * u
        X.append(x)
        y.append(float(objective(x)))
        if extra_evaluation:
            objective(np.array(X)[np.argmin(y)])  # "check" the best point again
    X, y = np.array(X), np.array(y)
    if order is not None:
        index = order(y)
        X, y = X[index], y[index]
    return X, y


def _bo_indexes_bounds(objective, bounds, n_iter, rng, n_initial=3):
    low, high = bounds[:, 0], bounds[:, 1]  # numpy indexing, on what may be a list of rows
    return _bo(objective, np.column_stack([low, high]), n_iter, rng, n_initial)


def _bo_squeezed_points(objective, bounds, n_iter, rng, n_initial=3):
    # np.squeeze "to tidy the shape": in one dimension the point becomes a 0-d array
    return _bo(lambda x: objective(np.squeeze(x)), bounds, n_iter, rng, n_initial)


def _choose_random(X_unit, y, rng):
    return rng.random(X_unit.shape[1])


def _choose_maximising(X_unit, y, rng):
    # EI written for maximisation: improvement y - y_best with y_best = max(y)
    return propose(X_unit, -y, rng)[0]


def _choose_argmin_ei(X_unit, y, rng):
    candidates = rng.random((2000, X_unit.shape[1]))
    scale = y.std() or 1.0
    y_std = (y - y.mean()) / scale
    K = rbf_kernel(X_unit, X_unit, 0.2) + 1e-6 * np.eye(len(y))
    K_s = rbf_kernel(X_unit, candidates, 0.2)
    L = np.linalg.cholesky(K)
    mu = K_s.T @ _cholesky_solve(L, y_std)
    sigma = np.sqrt(np.maximum(1 - np.sum(np.linalg.solve(L, K_s) ** 2, axis=0), 0))
    return candidates[np.argmin(expected_improvement(mu, sigma, y_std.min()))]


def _choose_lowest_mean(X_unit, y, rng, n_candidates=2000):
    # pure exploitation: the reference's GP and candidates, but the lowest posterior mean
    # instead of the largest EI (sigma is never looked at)
    d = X_unit.shape[1]
    y_std = (y - y.mean()) / (y.std() or 1.0)
    hyper = fit_hyperparameters(X_unit, y_std, rng)
    best = X_unit[np.argsort(y)[:3]]
    local = best[rng.integers(len(best), size=n_candidates // 4)]
    local = local + 0.05 * hyper[0] * rng.standard_normal(local.shape)
    candidates = np.clip(np.vstack([rng.random((n_candidates, d)), local]), 0.0, 1.0)
    mu, _ = _posterior_mean_std(X_unit, y_std, candidates, *hyper)
    return candidates[np.argmin(mu)]


# what a student reads whose EI is not 0 where sigma == 0 (the value is known there)
_SIGMA_ZERO = ("EI is exactly 0 where sigma == 0, even where mu is below y_best - xi: the "
               "value there is known, so there is nothing to expect. Divide by "
               "np.where(sigma > 0, sigma, 1.0) and then set those entries to 0 (an epsilon, "
               "sigma + 1e-12, gives the improvement itself there).")

M = Mistake
MISTAKES = [
    # sample_log_uniform
    M("sample_log_uniform", "uniform on a linear scale",
      lambda low, high, size, rng: rng.uniform(low, high, size=size), expect="log10"),
    M("sample_log_uniform", "low and high as exponents",
      lambda low, high, size, rng: 10.0 ** rng.uniform(low, high, size=size),
      expect="outside [low, high]"),
    M("sample_log_uniform", "exponent from 0", _log_uniform_forgets_low, expect="log10(low)"),
    M("sample_log_uniform", "integer exponents", _log_uniform_integer_exponents,
      expect="rng.integers"),
    M("sample_log_uniform", "np.random", _log_uniform_global, expect=GLOBAL_RANDOM),
    M("sample_log_uniform", "one number",
      lambda low, high, size, rng: float(10.0 ** rng.uniform(np.log10(low), np.log10(high))),
      expect="should be a numpy array", edge="type"),
    M("sample_log_uniform", "a loop over range(size)", _log_uniform_loop,
      expect="'tuple' object cannot be interpreted as an integer", edge="shape"),
    # sample_beta
    M("sample_beta", "log scale on beta",
      lambda low, high, size, rng: 10.0 ** rng.uniform(np.log10(low), np.log10(high), size=size),
      expect="1 - beta"),
    M("sample_beta", "uniform on a linear scale",
      lambda low, high, size, rng: rng.uniform(low, high, size=size), expect="1 - beta"),
    M("sample_beta", "returns 1 - beta",
      lambda low, high, size, rng: 10.0 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size=size),
      expect="outside [low, high]"),
    M("sample_beta", "log10 of beta instead of 1 - beta",
      lambda low, high, size, rng: 1.0 - 10.0 ** rng.uniform(np.log10(low), np.log10(high), size=size),
      expect="outside [low, high]"),
    M("sample_beta", "own generator", _beta_own_generator, expect="different generators",
      edge="randomness"),
    # rbf_kernel
    M("rbf_kernel", "no 1/2",
      lambda X1, X2, length_scale=1.0, variance=1.0:
          variance * np.exp(-_sq_dist(X1, X2, length_scale)),
      "the exponent is -||x - x'||^2 / (2 l^2): you left out the 2."),
    M("rbf_kernel", "distance not squared",
      lambda X1, X2, length_scale=1.0, variance=1.0:
          variance * np.exp(-0.5 * np.sqrt(_sq_dist(X1, X2, length_scale))),
      "use the squared distance ||x - x'||^2, not the distance."),
    M("rbf_kernel", "length scale not squared", _rbf_ls_not_squared,
      "divide by 2 l^2, the length scale squared: (x - x') / l is measured in length scales."),
    M("rbf_kernel", "forgot variance",
      lambda X1, X2, length_scale=1.0, variance=1.0: np.exp(-0.5 * _sq_dist(X1, X2, length_scale)),
      "multiply by variance: k(x, x) = variance is the prior variance of f at every point."),
    M("rbf_kernel", "variance squared",
      lambda X1, X2, length_scale=1.0, variance=1.0:
          variance ** 2 * np.exp(-0.5 * _sq_dist(X1, X2, length_scale)),
      "variance is already sigma^2: multiply by it, not by its square."),
    M("rbf_kernel", "first dimension only", _rbf_first_dimension_only,
      "sum the squared differences over all d dimensions (axis=-1 of X1[:, None, :] - X2[None, :, :])."),
    M("rbf_kernel", "transposed",
      lambda X1, X2, length_scale=1.0, variance=1.0: rbf_kernel(X2, X1, length_scale, variance),
      expect="transposed"),
    # sample_gp_prior
    M("sample_gp_prior", "z @ L instead of z @ L.T", _prior_wrong_side, expect="covariance"),
    M("sample_gp_prior", "forgot variance", _prior_no_variance, expect="variance"),
    M("sample_gp_prior", "K instead of its Cholesky factor", _prior_K_not_root, expect="covariance"),
    M("sample_gp_prior", "elementwise square root of K", _prior_elementwise_sqrt, expect="covariance"),
    M("sample_gp_prior", "independent points", _prior_independent, expect="covariance"),
    M("sample_gp_prior", "transposed", _prior_transposed, expect="transposed"),
    M("sample_gp_prior", "np.random", _prior_global, expect=GLOBAL_RANDOM),
    M("sample_gp_prior", "no jitter", _prior_no_jitter, expect="not positive definite",
      edge="extreme", public=False),
    # gp_posterior
    M("gp_posterior", "forgot noise",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise,
                     train_noise=lambda s, n: 1e-10 * np.eye(n)),
      "add noise * I to K(X_train, X_train): the observations are f + noise."),
    M("gp_posterior", "noise as a standard deviation",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise,
                     train_noise=lambda s, n: s ** 2 * np.eye(n)),
      "noise is a variance: add noise * I, not noise**2 * I."),
    M("gp_posterior", "noise on every entry",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise,
                     train_noise=lambda s, n: s),
      "noise goes on the diagonal only: + noise * np.eye(n), not + noise."),
    M("gp_posterior", "noise in the test covariance",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise, test_noise=1.0),
      "cov is the posterior of f, without noise: add noise to K(X_train, X_train) only."),
    M("gp_posterior", "plus instead of minus",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise, sign=1.0),
      "observations reduce the uncertainty: cov = K_ss - K_s^T K^{-1} K_s."),
    M("gp_posterior", "variance left out of K_s",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise, cross_variance=1.0),
      "pass length_scale and variance to every kernel call, K(X_train, X_test) too."),
    M("gp_posterior", "variance left out of K_ss",
      lambda X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6:
          _posterior(X_train, y_train, X_test, length_scale, variance, noise, test_variance=1.0),
      "pass length_scale and variance to every kernel call, K(X_test, X_test) too."),
    M("gp_posterior", "standard deviations for cov", _posterior_std, expect="shape"),
    # log_marginal_likelihood
    M("log_marginal_likelihood", "no 1/2 on the log-determinant",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, penalty=-1.0),
      "the complexity penalty is -1/2 log|K_y|, with its 1/2. From the Cholesky factor, "
      "log|K_y| = 2 sum_i log L_ii (|K_y| = |L|^2), so the penalty is -sum_i log L_ii."),
    M("log_marginal_likelihood", "sum of log L_ii taken for log|K_y|",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, penalty=-0.25),
      "log|K_y| = 2 sum_i log L_ii: |K_y| = |L| |L^T| = (prod_i L_ii)^2. With the 1/2 in "
      "front, the penalty -1/2 log|K_y| is -sum_i log L_ii, not -1/2 sum_i log L_ii."),
    M("log_marginal_likelihood", "noise forgotten",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise,
               K_y=rbf_kernel(X, X, length_scale, variance)),
      "add the noise to the diagonal: K_y = K + noise I, the covariance of the observations "
      "y = f(X) + noise (K alone is the covariance of f)."),
    M("log_marginal_likelihood", "noise as a standard deviation",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise,
               K_y=rbf_kernel(X, X, length_scale, variance) + noise ** 2 * np.eye(len(X))),
      "noise is a variance: add noise * I, not noise**2 * I."),
    M("log_marginal_likelihood", "noise on every entry",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise,
               K_y=rbf_kernel(X, X, length_scale, variance) + noise),
      "noise goes on the diagonal only: add noise times the n x n identity, not noise to "
      "every entry."),
    M("log_marginal_likelihood", "variance left out of the kernel",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise,
               K_y=rbf_kernel(X, X, length_scale) + noise * np.eye(len(X))),
      "pass variance to rbf_kernel: K = k(X, X) with the prior variance sigma_f^2."),
    M("log_marginal_likelihood", "data fit with a plus sign",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, fit=0.5),
      "the data-fit term is -1/2 y^T K_y^-1 y, negative (it is the exponent of the Gaussian "
      "density): observations far from what the GP expects make them less probable."),
    M("log_marginal_likelihood", "data fit without the 1/2",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, fit=-1.0),
      "the data-fit term is -1/2 y^T K_y^-1 y: you left out the 1/2."),
    M("log_marginal_likelihood", "no n/2 log 2 pi",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, constant=lambda n: 0.0),
      "log p(y | X) is a log density: keep its normalising constant -n/2 log(2 pi) (n the "
      "number of points), although it does not move the maximum."),
    M("log_marginal_likelihood", "log 2 pi once, not n times",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise, constant=lambda n: -0.5 * np.log(2 * np.pi)),
      "the constant is -n/2 log(2 pi), one -1/2 log(2 pi) per point: y is n-dimensional."),
    M("log_marginal_likelihood", "y as a column: a (1, 1) array", _lml_column_vectors,
      expect="should be a plain number (float), got an array of shape (1, 1)", edge="type"),
    M("log_marginal_likelihood", "identity of size d", _lml_identity_of_d,
      expect="could not be broadcast together", edge="shape"),
    M("log_marginal_likelihood", "no try/except around cholesky", _lml_unguarded,
      expect="Catch np.linalg.LinAlgError", edge="boundary"),
    M("log_marginal_likelihood", "slogdet, sign ignored",
      lambda X, y, length_scale, variance, noise:
          _lml_slogdet(X, y, length_scale, variance, noise, check_sign=False),
      expect=_LML_NOT_PD, edge="boundary"),
    M("log_marginal_likelihood", "slogdet, positive definite when the sign is +1",
      lambda X, y, length_scale, variance, noise:
          _lml_slogdet(X, y, length_scale, variance, noise, check_sign=True),
      expect=_LML_NOT_PD, edge="boundary"),
    M("log_marginal_likelihood", "log(det(K_y))",
      lambda X, y, length_scale, variance, noise:
          _lml(X, y, length_scale, variance, noise,
               logdet=lambda L, K_y: np.log(np.linalg.det(K_y))),
      expect="log(0), or an overflow", edge="extreme", public=False),
    # expected_improvement
    M("expected_improvement", "for maximisation",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi,
                                            improvement=lambda mu, y_best, xi: mu - y_best - xi),
      "we minimise: the improvement is y_best - xi - mu, not mu - y_best."),
    M("expected_improvement", "no sigma phi term",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi, pdf_term=False),
      "EI has two terms: (y_best - xi - mu) Phi(z) + sigma phi(z)."),
    M("expected_improvement", "probability of improvement",
      lambda mu, sigma, y_best, xi=0.0: np.where(
          np.asarray(sigma) > 0, normal_cdf((y_best - xi - mu) / np.where(sigma > 0, sigma, 1)), 0.0),
      "Phi(z) alone is the probability of improvement; EI weighs the improvement by its size."),
    M("expected_improvement", "nan where sigma == 0",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi, guard=False),
      expect="division by zero"),
    M("expected_improvement", "Phi = erf(z)",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi, cdf=_erf),
      "the normal CDF is Phi(z) = (1 + erf(z / sqrt(2))) / 2."),
    M("expected_improvement", "Phi without sqrt 2",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi,
                                            cdf=lambda z: 0.5 * (1 + _erf(z))),
      "the normal CDF is Phi(z) = (1 + erf(z / sqrt(2))) / 2: divide z by sqrt(2)."),
    M("expected_improvement", "phi without 1/sqrt(2 pi)",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi,
                                            pdf=lambda z: np.exp(-0.5 * z ** 2)),
      "the normal density is phi(z) = exp(-z^2 / 2) / sqrt(2 pi)."),
    M("expected_improvement", "variance for sigma",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, xi, spread=lambda s: s ** 2),
      "z = (y_best - xi - mu) / sigma with sigma the standard deviation, not the variance."),
    M("expected_improvement", "xi added",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, -xi),
      "xi asks for more improvement: use y_best - xi - mu, not y_best + xi - mu."),
    M("expected_improvement", "xi ignored",
      lambda mu, sigma, y_best, xi=0.0: _ei(mu, sigma, y_best, 0.0),
      "use xi: the improvement is y_best - xi - mu."),
    M("expected_improvement", "epsilon instead of 0 where sigma == 0", _ei_epsilon,
      _SIGMA_ZERO, edge="boundary", public=False),
    M("expected_improvement", "the sure improvement where sigma == 0", _ei_sure_improvement,
      _SIGMA_ZERO, edge="boundary", public=False),
    M("expected_improvement", "a tiny sigma taken for 0", _ei_threshold,
      "only sigma == 0 exactly gives EI = 0: a tiny sigma > 0 (1e-12) is still uncertain, and "
      "EI there is about the improvement y_best - xi - mu (z is huge, Phi(z) = 1). Test "
      "sigma > 0, not sigma > 1e-9.", edge="extreme", public=False),
    M("expected_improvement", "safe sigma written into the argument", _ei_in_place,
      expect="modified its argument `sigma`"),
    # bayesian_optimization
    M("bayesian_optimization", "ignores EI (random points)",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, choose=_choose_random),
      expect="the same points for two different functions"),
    M("bayesian_optimization", "maximises",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, choose=_choose_maximising),
      expect="random search"),
    M("bayesian_optimization", "argmin of EI",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, choose=_choose_argmin_ei),
      expect="random search"),
    M("bayesian_optimization", "lowest posterior mean (pure exploitation)",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, choose=_choose_lowest_mean),
      expect="pure exploitation"),
    M("bayesian_optimization", "initial points in the unit cube",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, initial=lambda u: u),
      expect="outside the bounds"),
    M("bayesian_optimization", "n_iter evaluations in all",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, evaluations=lambda n0, n: n - n0),
      expect="the budget is n_initial + n_iter"),
    M("bayesian_optimization", "one evaluation too many",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, evaluations=lambda n0, n: n + 1),
      expect="the budget is n_initial + n_iter"),
    M("bayesian_optimization", "re-evaluates the best point",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, extra_evaluation=True),
      expect="each point evaluated exactly once"),
    M("bayesian_optimization", "sorted by value",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, rng, n_initial, order=np.argsort),
      expect="in the order they were evaluated"),
    M("bayesian_optimization", "objective given (1, d) points",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(lambda x: objective(np.atleast_2d(x)), bounds, n_iter, rng, n_initial),
      expect="takes one point of shape", edge="callback"),
    M("bayesian_optimization", "objective given squeezed points", _bo_squeezed_points,
      expect="takes one point of shape (1,), got an array of shape ()", edge="callback",
      public=False),
    M("bayesian_optimization", "bounds indexed as an array", _bo_indexes_bounds,
      expect="list indices must be integers or slices, not tuple", edge="type", public=False),
    M("bayesian_optimization", "np.random",
      lambda objective, bounds, n_iter, rng, n_initial=3:
          _bo(objective, bounds, n_iter, np.random.default_rng(np.random.randint(2**31)), n_initial),
      expect=GLOBAL_RANDOM),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb07 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("sample_gp_prior", _reference.sample_gp_prior))
