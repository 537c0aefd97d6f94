"""Notebook 07's references and claims: the GP formulas agree with Gaussian conditioning,
EI's closed form with its integral and its derivatives, the profiled marginal likelihood
with the full one, the check's BO properties accept a differently designed BO, and BO beats
random search on Branin as the notebook says."""
from __future__ import annotations

import math

import numpy as np
import pytest

from grader import check
from grader.reference import nb07
from grader.reference.numeric import numerical_gradient, relative_difference


def test_rbf_kernel_matches_its_definition_with_one_length_scale_per_dimension():
    rng = np.random.default_rng(0)
    X1, X2, ls = rng.standard_normal((4, 3)), rng.standard_normal((5, 3)), np.array([0.5, 1.0, 2.0])
    K = nb07.rbf_kernel(X1, X2, ls, 1.7)
    for i in range(4):
        for j in range(5):
            r2 = sum(((X1[i, k] - X2[j, k]) / ls[k]) ** 2 for k in range(3))
            assert math.isclose(K[i, j], 1.7 * math.exp(-r2 / 2), rel_tol=1e-12)
    K_same = nb07.rbf_kernel(X1, X1, ls)
    assert np.allclose(np.diag(K_same), 1.0) and np.allclose(K_same, K_same.T)


def test_posterior_is_gaussian_conditioning_of_the_joint():
    """mu and cov agree with the precision-matrix form of conditioning a joint Gaussian."""
    rng = np.random.default_rng(1)
    X, X_test = rng.uniform(0, 4, (5, 1)), rng.uniform(0, 4, (3, 1))
    y, noise, ls, var = rng.standard_normal(5), 0.1, 0.8, 1.5
    mu, cov = nb07.gp_posterior(X, y, X_test, ls, var, noise)
    joint = nb07.rbf_kernel(np.vstack([X, X_test]), np.vstack([X, X_test]), ls, var)
    joint[:5, :5] += noise * np.eye(5)
    precision = np.linalg.inv(joint)
    P_tt, P_ty = precision[5:, 5:], precision[5:, :5]
    assert np.allclose(cov, np.linalg.inv(P_tt), atol=1e-10)
    assert np.allclose(mu, -np.linalg.inv(P_tt) @ P_ty @ y, atol=1e-10)


def test_posterior_interpolates_without_noise_and_reverts_to_the_prior_far_away():
    X = np.array([[0.0], [1.0], [2.5]])
    y = np.array([1.0, -0.5, 2.0])
    mu, cov = nb07.gp_posterior(X, y, np.vstack([X, [[50.0]]]), 1.0, 2.0, 1e-10)
    assert np.allclose(mu[:3], y, atol=1e-6) and np.allclose(np.diag(cov)[:3], 0, atol=1e-6)
    assert abs(mu[3]) < 1e-12 and math.isclose(cov[3, 3], 2.0)


def test_expected_improvement_equals_its_integral():
    rng = np.random.default_rng(2)
    for mu, sigma, y_best, xi in [(0.3, 1.0, 0.0, 0.0), (-0.5, 0.4, 0.0, 0.1), (1.0, 2.0, 0.5, 0.0)]:
        y = rng.normal(mu, sigma, 400_000)
        gains = np.maximum(0.0, y_best - xi - y)
        closed = nb07.expected_improvement(np.array([mu]), np.array([sigma]), y_best, xi)[0]
        assert abs(closed - gains.mean()) < 5 * gains.std() / math.sqrt(y.size)


def test_expected_improvement_derivatives():
    """dEI/dmu = -Phi(z) and dEI/dsigma = phi(z): the closed form's structure, numerically."""
    mu, sigma, y_best = np.array([0.2, -0.4, 1.1]), np.array([0.7, 0.3, 1.5]), 0.1
    z = (y_best - mu) / sigma
    d_mu = numerical_gradient(lambda m: np.sum(nb07.expected_improvement(m, sigma, y_best)), mu)
    d_sigma = numerical_gradient(lambda s: np.sum(nb07.expected_improvement(mu, s, y_best)), sigma)
    assert relative_difference(d_mu, -nb07.normal_cdf(z)) < 1e-7
    assert relative_difference(d_sigma, nb07.normal_pdf(z)) < 1e-7


def test_expected_improvement_limits():
    mu = np.array([-1.0, 0.5, 0.0])
    assert np.array_equal(nb07.expected_improvement(mu, np.zeros(3), 0.0), np.zeros(3))
    tiny = nb07.expected_improvement(mu, np.full(3, 1e-9), 0.0)
    assert np.allclose(tiny, np.maximum(0, -mu), atol=1e-8)  # sigma -> 0: the sure improvement
    more = nb07.expected_improvement(mu, np.ones(3), 0.0, xi=0.0)
    less = nb07.expected_improvement(mu, np.ones(3), 0.0, xi=0.2)
    assert np.all(less < more)  # asking for more improvement lowers EI


def test_normal_cdf_known_values():
    assert np.allclose(nb07.normal_cdf(np.array([0.0, 1.959963984540054, -1.0])),
                       [0.5, 0.975, 0.15865525393145707])


def test_profiled_likelihood_is_the_likelihood_at_the_best_variance():
    rng = np.random.default_rng(3)
    X, y = rng.random((8, 2)), rng.standard_normal(8)
    log_ls, log_noise = np.log([0.3, 0.5]), np.log(1e-3)
    lml, s = nb07._profile(X, y, log_ls, log_noise)
    full = lambda v: nb07.log_marginal_likelihood(X, y, np.exp(log_ls), v, v * 1e-3)  # noqa: E731
    assert math.isclose(lml, full(s), rel_tol=1e-10)
    slope = numerical_gradient(lambda v: full(float(v[0])), np.array([s]))[0]
    assert abs(slope) < 1e-5 and full(1.1 * s) < lml and full(0.9 * s) < lml


def test_log_marginal_likelihood_is_the_gaussian_log_density():
    rng = np.random.default_rng(4)
    X, y = rng.random((5, 1)), rng.standard_normal(5)
    K = nb07.rbf_kernel(X, X, 0.4, 1.3) + 0.01 * np.eye(5)
    direct = -0.5 * y @ np.linalg.solve(K, y) - 0.5 * np.linalg.slogdet(K)[1] - 2.5 * np.log(2 * np.pi)
    assert math.isclose(nb07.log_marginal_likelihood(X, y, 0.4, 1.3, 0.01), direct, rel_tol=1e-10)


def test_fit_hyperparameters_recovers_the_length_scale_of_gp_data():
    rng = np.random.default_rng(5)
    X = rng.random((40, 1))
    y = nb07.sample_gp_prior(X, 1, rng, length_scale=0.15)[0]
    length_scale, variance, noise = nb07.fit_hyperparameters(X, (y - y.mean()) / y.std(), rng)
    assert 0.15 / 2 < length_scale[0] < 0.15 * 2 and noise < 0.05 * variance


def test_fit_hyperparameters_ignores_a_dimension_that_does_not_matter():
    """One length scale per dimension: the unused one comes out much longer."""
    rng = np.random.default_rng(6)
    X = rng.random((30, 2))
    y = np.sin(6 * X[:, 0])
    length_scale, _, _ = nb07.fit_hyperparameters(X, (y - y.mean()) / y.std(), rng)
    assert length_scale[1] > 5 * length_scale[0]


def test_samplers_stay_in_their_ranges():
    rng = np.random.default_rng(7)
    lr = nb07.sample_log_uniform(1e-4, 1.0, 1000, rng)
    beta = nb07.sample_beta(0.9, 0.999, (10, 100), rng)
    assert lr.min() >= 1e-4 and lr.max() <= 1.0 and beta.shape == (10, 100)
    assert beta.min() >= 0.9 and beta.max() <= 0.999


def test_check_accepts_bo_with_fixed_hyperparameters():
    """A differently designed but correct BO passes the behavioural check."""
    def fixed(objective, bounds, n_iter, rng, n_initial=3):
        return nb07.minimize(objective, bounds, n_iter, rng, n_initial, fit=False)

    check("bayesian_optimization", fixed, hidden=True)


def test_bo_beats_random_search_on_branin_as_the_notebook_says():
    def branin(x):
        b, c, t = 5.1 / (4 * np.pi ** 2), 5 / np.pi, 1 / (8 * np.pi)
        return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * np.cos(x[0]) + 10

    bounds, minimum = np.array([[-5.0, 10.0], [0.0, 15.0]]), 0.397887357729739
    bo = [nb07.bayesian_optimization(branin, bounds, 27, np.random.default_rng(s))[1].min() - minimum
          for s in range(5)]
    rng = np.random.default_rng(0)
    random = [min(branin(x) for x in rng.uniform(bounds[:, 0], bounds[:, 1], (30, 2))) - minimum
              for _ in range(200)]
    assert np.median(random) > 100 * np.median(bo)


@pytest.mark.parametrize("n", [1, 4])
def test_prior_samples_have_the_kernel_as_covariance(n):
    rng = np.random.default_rng(8)
    X = np.linspace(0, 3, n).reshape(-1, 1)
    F = nb07.sample_gp_prior(X, 20000, rng, 1.0, 2.0)
    K = nb07.rbf_kernel(X, X, 1.0, 2.0)
    se = np.sqrt((np.outer(np.diag(K), np.diag(K)) + K ** 2) / 20000)
    assert np.all(np.abs(F.T @ F / 20000 - K) < 5 * se)


# -- the check's trap: a test of exploration --------------------------------------------------


def _trap_inputs():
    from grader import store

    trials = store.load(store.path_for("07-bayesian-optimization"))["bayesian_optimization"]
    traps = [t["inputs"] for t in trials if t["inputs"]["function"] == "trap"]
    assert traps, "a public trial tests exploration"
    return traps[0]


def test_the_trap_starts_at_the_bottom_of_a_shallow_well_far_from_a_deep_one():
    from grader.checks.nb07 import RecordingObjective

    inputs = _trap_inputs()
    bounds = inputs["bounds"]
    width = bounds[:, 1] - bounds[:, 0]
    n = inputs["n_initial"] + inputs["n_iter"]
    rng = np.random.default_rng(0)
    for _ in range(5):
        objective = RecordingObjective(inputs)
        x0 = bounds[:, 0] + width * rng.random(2)
        y0 = objective(x0)
        # x0 is the centre of a well: within 0.15 of the sides around it nothing is much lower
        nearby = x0 + 0.15 * width * rng.uniform(-1, 1, (400, 2))
        assert np.all(objective.f(nearby) > y0 - 0.05 * inputs["depth"])
        # the deep well is at least half the depth lower, and random search finds it in most runs
        minimum = objective.minimum()
        assert y0 - minimum > 0.5 * inputs["depth"]
        regrets = objective.random_search_regrets(n)
        assert np.mean(regrets < y0 - minimum) > 0.8


def test_pure_exploitation_stays_in_the_first_well_and_ei_leaves_it():
    """The reason for the trap: the lowest posterior mean (no sigma) stays where it starts."""
    from grader.checks.nb07 import RecordingObjective
    from grader.reference import mistakes

    exploit = next(m.fn for m in mistakes("bayesian_optimization") if "exploitation" in m.name)
    inputs = _trap_inputs()
    stuck = left = 0
    for seed in range(6):
        for fn in (exploit, nb07.bayesian_optimization):
            objective = RecordingObjective(inputs)
            _, y = fn(objective, inputs["bounds"], inputs["n_iter"], np.random.default_rng(seed),
                      inputs["n_initial"])
            escaped = y.min() < y[0] - 0.5 * inputs["depth"]  # well below the first well's bottom
            if fn is exploit:
                stuck += not escaped
            else:
                left += escaped
    assert stuck >= 4 and left == 6


def test_statistical_failures_read_as_sentences():
    """"beta failed a statistical test: the mean of log10(1 - beta) ...", not "beta the mean"."""
    from grader import CheckFailed

    def linear(low, high, size, rng):
        return rng.uniform(low, high, size=size)

    with pytest.raises(CheckFailed) as failure:
        check("sample_beta", linear)
    assert "beta failed a statistical test: the mean of log10(1 - beta)" in str(failure.value)
    with pytest.raises(CheckFailed) as failure:
        check("sample_log_uniform", linear)
    assert "values failed a statistical test: the mean of log10(values)" in str(failure.value)


# -- log_marginal_likelihood: the exercise, and the notebook's cells that use it ---------------


def test_log_marginal_likelihood_is_minus_infinity_where_K_y_is_not_positive_definite():
    """Whatever the CPU: at noise -(n + 1/2) variance every eigenvalue of K_y is at most
    -variance/2 (K's are at most n variance, by Gershgorin), the check's second call."""
    rng = np.random.default_rng(9)
    for n in (1, 2, 7):
        X, y = rng.random((n, 2)), rng.standard_normal(n)
        K_y = nb07.rbf_kernel(X, X, 0.3, 1.7) - (n + 0.5) * 1.7 * np.eye(n)
        assert np.linalg.eigvalsh(K_y).max() <= -1.7 / 2 * (1 - 1e-12)
        assert nb07.log_marginal_likelihood(X, y, 0.3, 1.7, -(n + 0.5) * 1.7) == -np.inf
    # a negative noise that leaves K_y positive definite is an ordinary value
    X, y = np.array([[0.0], [3.0]]), np.array([0.5, -1.0])
    lowest = np.linalg.eigvalsh(nb07.rbf_kernel(X, X))[0]
    assert np.isfinite(nb07.log_marginal_likelihood(X, y, 1.0, 1.0, -lowest / 2))


def test_the_determinant_over_and_underflows_where_the_check_says_its_logarithm_does_not():
    """The check's hidden extreme trials: |K_y| is 1e+-350, np.linalg.det gives inf or 0, and
    the log marginal likelihood (2 sum log L_ii) is an ordinary number, equal to slogdet's."""
    from grader.checking import hidden_trials
    from grader.checks import SPECS
    from grader.checks.nb07 import LML_OVERFLOW, LML_UNDERFLOW

    trials = hidden_trials(SPECS["log_marginal_likelihood"])
    for index, det in ((LML_OVERFLOW, np.inf), (LML_UNDERFLOW, 0.0)):
        args = trials[index].inputs
        K_y = nb07.rbf_kernel(args["X"], args["X"], args["length_scale"], args["variance"]) \
            + args["noise"] * np.eye(len(args["X"]))
        with np.errstate(over="ignore", under="ignore"):
            assert np.linalg.det(K_y) == det
        sign, log_det = np.linalg.slogdet(K_y)
        n, y = len(args["y"]), args["y"]
        direct = -0.5 * y @ np.linalg.solve(K_y, y) - 0.5 * log_det - 0.5 * n * np.log(2 * np.pi)
        value = nb07.log_marginal_likelihood(**args)
        assert sign == 1 and np.isfinite(value) and math.isclose(value, direct, rel_tol=1e-9)


@pytest.fixture(scope="module")
def gp_namespace():
    """A function that runs the solution notebook's GP cells (the kernel, the posterior, EI, the given
    fit_hyperparameters and the loop) in a namespace of their own, with a given
    log_marginal_likelihood in place of the notebook's solution (None: the solution)."""
    import json
    from pathlib import Path

    path = Path(__file__).parents[1] / "solutions" / "07-bayesian-optimization" / \
        "07-bayesian-optimization.ipynb"
    cells = {c["id"]: "".join(c["source"]) for c in json.loads(path.read_text("utf-8"))["cells"]}

    def namespace(lml=None):
        ns = {"np": np, "math": math}
        for cell in ("rbf_kernel-code", "gp_posterior-code", "log_marginal_likelihood-code",
                     "lml-code", "expected_improvement-code", "bayesian_optimization-code"):
            exec(compile(cells[cell], str(path), "exec"), ns)  # noqa: S102
        if lml is not None:
            ns["log_marginal_likelihood"] = lml
        return ns

    return namespace


@pytest.fixture(scope="module")
def gp_cells(gp_namespace):
    """The notebook's GP cells with each correct log_marginal_likelihood."""
    from tests.variants import nb07 as variants

    versions = {"reference": nb07.log_marginal_likelihood, "notebook": None}
    versions.update({fn.__name__: fn for fn in variants.VARIANTS["log_marginal_likelihood"]})
    return {name: gp_namespace(fn) for name, fn in versions.items()}


def test_the_notebooks_fit_calls_log_marginal_likelihood(gp_cells):
    ns = gp_cells["notebook"]
    calls = []
    right = ns["log_marginal_likelihood"]

    def counted(*args):
        calls.append(args)
        return right(*args)

    rng = np.random.default_rng(10)
    X, y = rng.random((8, 2)), rng.standard_normal(8)
    ns["log_marginal_likelihood"] = counted
    try:
        ns["fit_hyperparameters"](X, (y - y.mean()) / y.std(), np.random.default_rng(0))
    finally:
        ns["log_marginal_likelihood"] = right
    assert len(calls) > 20  # every evaluation of the search's objective


def test_the_notebooks_fit_profiles_the_variance_exactly():
    """The given fit evaluates the student's function at the closed-form variance y^T R^-1 y / n:
    the likelihood there is the profiled one, -n/2 (1 + log 2 pi s) - 1/2 log|R|."""
    rng = np.random.default_rng(11)
    X, y = rng.random((9, 2)), rng.standard_normal(9)
    ls, ratio = np.array([0.3, 0.6]), 1e-3
    R = nb07.rbf_kernel(X, X, ls) + ratio * np.eye(9)
    s = float(y @ np.linalg.solve(R, y)) / 9
    profiled = -4.5 * (1 + np.log(2 * np.pi * s)) - 0.5 * np.linalg.slogdet(R)[1]
    assert math.isclose(nb07.log_marginal_likelihood(X, y, ls, s, s * ratio), profiled, rel_tol=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_the_notebooks_fit_is_the_same_with_any_correct_log_marginal_likelihood(gp_cells, seed):
    """fit_hyperparameters (given code) with the student's function in place of the reference:
    every correct version finds the same hyperparameters, to rounding."""
    rng = np.random.default_rng(100 + seed)
    n, d = (6, 14, 10)[seed], (1, 2, 3)[seed]
    X = rng.random((n, d))
    y = np.sin(5 * X[:, 0]) + 0.1 * rng.standard_normal(n)
    y = (y - y.mean()) / y.std()
    fits = {name: ns["fit_hyperparameters"](X, y, np.random.default_rng(seed))
            for name, ns in gp_cells.items()}
    expected = fits.pop("reference")
    for name, (length_scale, variance, noise) in fits.items():
        assert np.allclose(length_scale, expected[0], rtol=1e-6), name
        assert math.isclose(variance, expected[1], rel_tol=1e-6), name
        assert math.isclose(noise, expected[2], rel_tol=1e-6), name


def test_the_notebooks_loop_runs_the_same_with_any_correct_log_marginal_likelihood(gp_cells):
    """The Bayesian-optimisation loop, which fits the hyperparameters at every step, chooses the
    same points with every correct version of the student's function."""
    def bowl(x):
        return float(np.sum((x - np.array([0.3, -0.5])) ** 2))

    bounds = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    runs = {name: ns["bayesian_optimization"](bowl, bounds, 8, np.random.default_rng(12))
            for name, ns in gp_cells.items()}
    X_expected, y_expected = runs.pop("reference")
    for name, (X_seen, y_seen) in runs.items():
        assert np.allclose(X_seen, X_expected, rtol=1e-6, atol=1e-9), name
        assert np.allclose(y_seen, y_expected, rtol=1e-6, atol=1e-9), name


def test_a_wrong_log_marginal_likelihood_changes_the_fit(gp_namespace):
    """The notebook's later cells depend on the exercise: with the noise forgotten (a catalogued
    mistake) the search explains the noise by a length scale at its lower bound. (A wrong factor
    on the data fit or on log|K_y|, or a missing constant, would not move the fit: at the
    profiled variance those terms are constants or proportional to the right ones. Only the
    check catches them.)"""
    from grader.reference import mistakes

    wrong = next(m.fn for m in mistakes("log_marginal_likelihood") if m.name == "noise forgotten")
    rng = np.random.default_rng(13)
    X = rng.random((20, 1))
    y = np.sin(6 * X[:, 0]) + 0.1 * rng.standard_normal(20)
    y = (y - y.mean()) / y.std()
    right = gp_namespace(nb07.log_marginal_likelihood)["fit_hyperparameters"](X, y, np.random.default_rng(0))
    fit = gp_namespace(wrong)["fit_hyperparameters"](X, y, np.random.default_rng(0))
    assert 0.1 < right[0][0] < 1.0 and fit[0][0] < 0.05
