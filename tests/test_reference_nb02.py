"""Notebook 02 beyond the generic check tests: the reference's documented behaviour, the
train_model check's robustness to any valid initialisation, and the parity networks (exact
for every n, with the unit counts the notebook states; the notebook's solutions build the
reference's networks; the checks' bounds hold beyond the trials' n and tell the tree from
the shallow circuits)."""
from __future__ import annotations

import contextlib
import io
import math

import matplotlib
import nbformat
import numpy as np
import pytest

from grader import answer, ask, check, needs
from grader.reference.nb01 import compute_cost, model_forward
from grader.reference.nb02 import (dnf_network, parity_data, predict, train_model,
                                   xor_tree_network)
from grader.reference.numeric import numerical_gradient
from grader.release import ROOT

NOTEBOOK = ROOT / "solutions" / "02-deep-networks" / "02-deep-networks.ipynb"


@pytest.mark.parametrize("n", range(1, 11))
def test_parity_data_has_every_pattern_once_and_its_parity(n):
    X, Y = parity_data(n)
    assert X.shape == (n, 2**n) and Y.shape == (1, 2**n)
    assert X.dtype == Y.dtype == np.float64
    assert len({tuple(column) for column in X.T}) == 2**n
    assert np.array_equal(Y[0], np.array([int(sum(column)) % 2 for column in X.T], dtype=float))


def test_predict_counts_a_tie_at_one_half_as_zero():
    params = {"W1": np.zeros((1, 3)), "b1": np.zeros((1, 1))}  # Z = 0, A = 0.5 exactly
    X = np.ones((3, 4))
    assert np.all(model_forward(X, params)[0] == 0.5)
    assert np.array_equal(predict(X, params), np.zeros((1, 4)))


def _data(rng, n_x=3, m=12):
    X = rng.standard_normal((n_x, m))
    return X, (rng.random((1, m)) < 0.4).astype(float)


def test_train_model_without_iterations_returns_the_initial_parameters():
    X, Y = _data(np.random.default_rng(0))
    params, costs = train_model(X, Y, [3, 4, 1], 0.1, 0, np.random.default_rng(5))
    assert costs == []
    assert all(np.all(params[f"b{l}"] == 0) for l in (1, 2))
    again, _ = train_model(X, Y, [3, 4, 1], 0.1, 0, np.random.default_rng(5))
    assert all(np.array_equal(params[k], again[k]) for k in params)


def test_train_model_steps_along_the_numeric_gradient():
    """costs[0] is the cost of the initial parameters, and one iteration moves every parameter
    by -learning_rate times the centred-difference gradient of that cost."""
    X, Y = _data(np.random.default_rng(1))
    dims, lr = [3, 5, 4, 1], 0.3
    start, _ = train_model(X, Y, dims, lr, 0, np.random.default_rng(7))
    after, costs = train_model(X, Y, dims, lr, 1, np.random.default_rng(7))
    assert costs[0] == pytest.approx(compute_cost(model_forward(X, start)[0], Y), rel=1e-12)
    for key, value in start.items():
        numeric = numerical_gradient(
            lambda v, key=key: compute_cost(model_forward(X, {**start, key: v})[0], Y), value)
        np.testing.assert_allclose((value - after[key]) / lr, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("salt", range(8))
def test_train_model_check_accepts_other_valid_initialisations(salt):
    """The check must pass every correct implementation, whatever its initial draw: here the
    reference with a generator derived from the given one (equal generators still give equal
    results, different ones different results)."""
    def derived(X, Y, layer_dims, learning_rate, num_iterations, rng):
        other = np.random.default_rng([int(rng.integers(2**62)), salt])
        return train_model(X, Y, layer_dims, learning_rate, num_iterations, other)

    with contextlib.redirect_stdout(io.StringIO()):
        check("train_model", derived, hidden=True)


def _trainer_from(start, update=None):
    """A train_model that starts from ``start`` (whatever the generator) and then runs plain
    gradient descent with the reference functions, or with a wrong ``update``."""
    from grader.reference.nb01 import model_backward, update_parameters

    def train(X, Y, layer_dims, learning_rate, num_iterations, rng):
        params, costs = dict(start), []
        for _ in range(num_iterations):
            AL, caches = model_forward(X, params)
            costs.append(compute_cost(AL, Y))
            params = (update or update_parameters)(params, model_backward(AL, Y, caches),
                                                   learning_rate)
        return params, costs
    return train


def _one_step_trial(start, update=None):
    from grader.checking import Trial
    from grader.checks import SPECS

    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((3, 20)), (rng.random((1, 20)) < 0.4).astype(float)
    inputs = {"X": X, "Y": Y, "layer_dims": [3, 2, 2, 1], "learning_rate": 0.3,
              "num_iterations": 5, "rng": np.random.default_rng(0)}
    return Trial(SPECS["train_model"], _trainer_from(start, update), inputs, "test")


def _start(dead_second_layer):
    rng = np.random.default_rng(11)
    start = {"W1": rng.standard_normal((2, 3)), "b1": np.zeros((2, 1)),
             "W2": rng.standard_normal((2, 2)), "b2": np.zeros((2, 1)),
             "W3": rng.standard_normal((1, 2)), "b3": np.zeros((1, 1))}
    if dead_second_layer:  # Z2 = W2 A1 <= 0 for every example, since A1 >= 0: no gradient
        start["W2"] = -np.abs(start["W2"])  # reaches W1, b1, W2, b2 or W3
    else:
        start["W2"] = np.abs(start["W2"])
    return start


def test_one_step_check_accepts_layers_without_gradient():
    """A correct step leaves a parameter alone when its gradient is exactly 0 (a whole ReLU
    layer after it inactive on every example): the check must not ask it to move."""
    from grader.checks.nb02 import _one_step

    start = _start(dead_second_layer=True)
    trial = _one_step_trial(start)
    stepped = _one_step(trial, start, [3, 2, 2, 1])
    assert np.array_equal(stepped["W1"], start["W1"]) and np.array_equal(stepped["W3"], start["W3"])
    assert not np.array_equal(stepped["b3"], start["b3"])


def test_one_step_check_catches_a_layer_left_out():
    from grader.checks.nb02 import _one_step
    from grader.compare import Mismatch

    def last_layer_only(params, grads, learning_rate):
        return {**params, "W3": params["W3"] - learning_rate * grads["dW3"],
                "b3": params["b3"] - learning_rate * grads["db3"]}

    start = _start(dead_second_layer=False)
    _one_step(_one_step_trial(start), start, [3, 2, 2, 1])
    with pytest.raises(Mismatch, match="did not change in one iteration") as m:
        _one_step(_one_step_trial(start, last_layer_only), start, [3, 2, 2, 1])
    assert m.value.path == (0, "W1")


# -- the parity networks: the reference, and the notebook's cells ---------------------------


@pytest.fixture(scope="module")
def constructions():
    """The solution notebook's cells from the xor_tree_network exercise to the one that
    defines zigzag_network (its solutions and demos, not its graded cells), run with the
    reference functions in place of the student's earlier ones."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(code)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "xor_tree_network-code")
    last = next(i for i, c in enumerate(code) if "def zigzag_network" in c.source)
    sources = [c.source for c in code[first:last + 1] if not c.metadata.get("nbgrader", {}).get("grade")]
    namespace = {"np": np, "plt": plt, "parity_data": parity_data, "predict": predict,
                 "model_forward": model_forward, "needs": needs, "ask": ask, "answer": answer,
                 "C": dict.fromkeys(("blue", "vermillion", "green", "sky", "black"), "#000000")}
    with contextlib.redirect_stdout(io.StringIO()):
        for source in sources:
            exec(compile(source, str(NOTEBOOK), "exec"), namespace)  # noqa: S102
    plt.close("all")
    return namespace


@pytest.mark.parametrize("n", range(1, 11))
def test_parity_networks_compute_parity_exactly_and_confidently(constructions, n):
    X, Y = parity_data(n)
    for build in (xor_tree_network, dnf_network, constructions["zigzag_network"]):
        params = build(n)
        assert all(v.dtype == np.float64 for v in params.values()), build.__name__
        AL, _ = model_forward(X, params)
        assert np.array_equal(predict(X, params), Y), build.__name__
        assert np.all(np.abs(AL - Y) < 1e-4), f"{build.__name__}: output {AL} is not confident"
        # k scales the output's pre-activation
        Z = model_forward(X, build(n, 3.0))[1][-1][1]
        assert np.allclose(Z, 3.0 * (2 * Y - 1)), build.__name__


@pytest.mark.parametrize("n", range(1, 11))
def test_notebook_solutions_build_the_reference_networks(constructions, n):
    """The notebook states the reference's layer and unit counts: its solutions are the same
    networks."""
    for name, reference in (("xor_tree_network", xor_tree_network), ("dnf_network", dnf_network)):
        for k in (10.0, 0.5):
            built, expected = constructions[name](n, k), reference(n, k)
            assert built.keys() == expected.keys(), name
            assert all(np.array_equal(built[key], expected[key]) for key in expected), name


@pytest.mark.parametrize("n", range(2, 17))
def test_unit_counts_are_those_the_notebook_states(constructions, n):
    units = constructions["hidden_units"]
    xor_tree = xor_tree_network(n)
    depth = math.ceil(math.log2(n))
    assert len(xor_tree) // 2 - 1 == depth  # hidden layers
    assert units(xor_tree) <= 2 * (n - 1) + depth
    assert units(dnf_network(n)) == 2 ** (n - 1)
    assert units(constructions["zigzag_network"](n)) == n


def _properties(exercise_id, fn, inputs):
    """The check's properties on one trial, beyond the trials the check draws."""
    from grader.checking import Trial
    from grader.checks import SPECS

    spec = SPECS[exercise_id]
    trial = Trial(spec, fn, inputs, "test")
    trial.got = trial.call()  # by position where the names differ, as a check calls it
    spec.properties(trial)


@pytest.mark.parametrize("n", [11, 12, 13, 16])
def test_the_tree_bounds_hold_beyond_the_trials(n):
    """Up to 16 bits, the reference and every variant stay within the check's bounds on
    layers, units and the bits a unit depends on (the bounds are O(log n) and O(n), not
    fitted to the trials' n)."""
    from tests.variants.nb02 import VARIANTS

    for fn in [xor_tree_network, *VARIANTS["xor_tree_network"]]:
        _properties("xor_tree_network", fn, {"n": n, "k": 3.0})
    _properties("dnf_network", dnf_network, {"n": min(n, 12)})


@pytest.mark.parametrize("n", [8, 10, 12])
def test_the_check_tells_the_tree_from_the_shallow_circuits(n):
    """The lecture's contrast: one hidden layer of AND units, or of summing units, and a chain
    of XORs, all compute the parity, and none is a tree of XORs."""
    from grader.compare import Mismatch
    from grader.reference.mistakes.nb02 import _xor_tree, _zigzag

    for shallow, says in ((dnf_network, "hidden units"), (_zigzag, "sums all the bits"),
                          (lambda n, k=10.0: _xor_tree(n, k, chain=True), "chain")):
        X, Y = parity_data(n)
        assert np.array_equal(predict(X, shallow(n)), Y)
        with pytest.raises(Mismatch, match=says):
            _properties("xor_tree_network", shallow, {"n": n})


def test_benchmark_uses_the_xor_tree_shape_of_the_notebook():
    import importlib.util

    spec = importlib.util.spec_from_file_location("nb02_parity", ROOT / "benchmarks" / "nb02_parity.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    for n in range(1, 11):
        params = xor_tree_network(n)
        L = len(params) // 2
        dims = [n] + [params[f"b{l}"].shape[0] for l in range(1, L + 1)]
        assert benchmark.xor_tree_dims(n) == dims
