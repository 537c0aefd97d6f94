"""How the notebook 02 exercises are tried.

``predict`` is compared by value; every output pre-activation Z[L] stays at least 0.02 away
from 0 (A[L] away from 0.5), so ``>`` and ``>=`` agree, and some Z[L] lie in (0, 0.5), so
thresholding Z[L] at 0.5 instead of A[L] shows.

``train_model`` and ``parity_data`` are checked by what they do, not by replaying one
random stream or one column order:

- ``train_model`` (public and hidden): the returned pair, one finite cost per iteration,
  equal generators give equal results and different ones different results, the initial
  weights (``num_iterations = 0``) follow N(0, 2/n_{l-1}), ``learning_rate = 0`` leaves them
  unchanged, ``costs[0]`` is the cost before any update, the cost decreases, one iteration
  (``num_iterations = 1``) moves every W[l] and b[l] on which the cost depends, and on the
  linearly separable trials (``layer_dims = [n_0, 1]``, logistic regression) the run is
  replayed (gradient descent written out here, from the student's own initial parameters)
  and ends below 0.05. In hidden mode
  (``reference_checks``) the run is also replayed with the reference functions from the
  student's own initial parameters, and the separable trials must be classified correctly.
- ``parity_data``: every one of the 2**n patterns exactly once, as float 0/1 columns, and Y
  the parity of each column, whatever the order of the columns.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..compare import Mismatch, compare, keys, kind
from ..runner import StudentError
from . import Spec

# -- predict ---------------------------------------------------------------------------


def _predict_inputs(rng, i):
    """X and params of a network whose output Z[L] straddles 0, with |Z[L]| >= 0.02 and some
    Z[L] in (0.02, 0.45): A[L] on both sides of 0.5, never at it."""
    from ..reference.nb01 import model_forward

    depth = (1, 2, 3)[i] if i < 3 else int(rng.integers(1, 5))
    n_x = (3, 4, 2)[i] if i < 3 else int(rng.integers(1, 6))
    m = (8, 10, 12)[i] if i < 3 else int(rng.integers(6, 20))
    dims = [n_x] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [1]
    while True:
        params = {}
        for l in range(1, depth + 1):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((n_x, m))
        ZL = model_forward(X, params)[1][-1][1]
        # centre the outputs between two middle values, so both classes occur and no output
        # sits at 0; then rescale them to a spread of about 1
        z = np.sort(ZL.ravel())
        centre = (z[(m - 1) // 2] + z[(m - 1) // 2 + 1]) / 2
        spread = ZL.std() or 1.0
        params[f"W{depth}"] = params[f"W{depth}"] / spread
        params[f"b{depth}"] = (params[f"b{depth}"] - centre) / spread
        ZL = model_forward(X, params)[1][-1][1]
        small_positive = np.sum((ZL > 0.02) & (ZL < 0.45))
        if np.abs(ZL).min() >= 0.02 and small_positive >= 1 and (ZL < 0).sum() >= 2:
            return {"X": X, "params": params}


# -- train_model: inputs ---------------------------------------------------------------


def _separable(rng, n_x, m):
    """Centred, linearly separable data: margin 1 on each side of a random hyperplane through 0."""
    u = rng.standard_normal((n_x, 1))
    u /= np.linalg.norm(u)
    X = rng.standard_normal((n_x, m))
    side = np.sign(u.T @ X)
    side[side == 0] = 1.0
    X = X + u * side  # push every point 1 further away from the hyperplane
    return X, (side > 0).astype(np.float64)


def _quadrants(rng, n_x, m):
    """XOR of the signs of the first two coordinates: needs a hidden layer."""
    X = rng.uniform(-1, 1, (n_x, m))
    X[:2] += 0.3 * np.sign(X[:2])  # keep the points away from the axes
    return X, ((X[0] > 0) != (X[1] > 0)).astype(np.float64)[np.newaxis, :]


def _random_labels(rng, n_x, m):
    X = rng.standard_normal((n_x, m))
    return X, (rng.random((1, m)) < 0.5).astype(np.float64)


def _unbalanced(make, rng, n_x, m):
    """Data whose classes never have exactly equal sizes: even a network whose hidden units
    are all inactive then lowers the cost, through the output bias."""
    while True:
        X, Y = make(rng, n_x, m)
        if 2 * Y.sum() != m and 0 < Y.sum() < m:
            return X, Y


def _train_inputs(rng, i):
    if i < 3:
        make, dims, m, learning_rate, num_iterations = [
            (_separable, [2, 1], 40, 0.5, 60),
            (_quadrants, [2, 6, 1], 48, 0.3, 100),
            (_random_labels, [3, 5, 4, 1], 30, 0.1, 50),
        ][i]
    elif i % 3 == 0:
        make, m = _separable, int(rng.integers(20, 50))
        dims = [int(rng.integers(1, 6)), 1]
        learning_rate, num_iterations = float(rng.uniform(0.3, 0.8)), int(rng.integers(60, 100))
    else:
        make, m = (_quadrants if i % 3 == 1 else _random_labels), int(rng.integers(20, 50))
        n_x = int(rng.integers(2, 5))
        dims = [n_x] + [int(rng.integers(2, 7)) for _ in range(int(rng.integers(1, 4)))] + [1]
        learning_rate, num_iterations = float(rng.uniform(0.05, 0.3)), int(rng.integers(20, 80))
    X, Y = _unbalanced(make, rng, dims[0], m)
    return {"X": X, "Y": Y, "layer_dims": dims, "learning_rate": learning_rate,
            "num_iterations": num_iterations,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


# -- train_model: properties -----------------------------------------------------------

# A network big enough to judge the distribution of the initial weights (2020 of them).
_INIT_DIMS = [30, 40, 20, 1]
# Trials whose data are linearly separable with margin 1 (logistic regression on them)
# must end below this cost: a network that misclassifies a fraction e of the examples has a
# cost of at least e log 2, so this means at least 93% right.
_EASY_COST = 0.05


def _is_easy(trial):
    return len(trial.inputs["layer_dims"]) == 2


def _call(trial, situation, **changes):
    """The student's train_model with some arguments changed; a failure says in which call."""
    try:
        return trial.call(**changes)
    except StudentError as e:
        raise Mismatch((), f"could not be checked further: called again {situation}, {e}\n"
                           f"  (initialise the parameters once, before the loop; the loop runs "
                           f"num_iterations times, possibly 0)") from None


def _pair(result, dims, num_iterations, situation=""):
    """(params, costs as a list of floats), or Mismatch if the result is not shaped right."""
    where = f" {situation}" if situation else ""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mismatch((), f"should be a pair (params, costs){where}, got {kind(result)}")
    params, costs = result
    if isinstance(costs, dict) and not isinstance(params, dict):
        raise Mismatch((), f"is (costs, params){where}: return (params, costs), params first")
    L = len(dims) - 1
    wanted = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
    if not isinstance(params, dict):
        raise Mismatch((0,), f"should be a dict of parameters{where}, got {kind(params)}")
    missing = [k for k in wanted if k not in params]
    if missing:
        raise Mismatch((0,), f"has no key {missing[0]!r}{where} (its keys: {keys(params)}); "
                             f"layer_dims = {dims} has L = {L} layers")
    extra = [k for k in params if k not in wanted]
    if extra:
        raise Mismatch((0,), f"has unexpected keys {keys(extra)}{where}: return the parameters "
                             f"only, W1, b1 ... W{L}, b{L} (layer_dims = {dims} has L = {L} layers)")
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            value = params[key]
            if type(value) is not np.ndarray or value.dtype.kind != "f":
                raise Mismatch((0, key), f"should be a float numpy array{where}, got "
                                         f"{kind(value)}")
            if value.shape != shape:
                raise Mismatch((0, key), f"has shape {value.shape}{where}, expected {shape}")
    if isinstance(costs, np.ndarray):
        costs = list(costs.ravel()) if costs.ndim == 1 or costs.size == 0 else costs
    if not isinstance(costs, (list, tuple)):
        raise Mismatch((1,), f"should be a list of numbers{where}, got {kind(costs)}")
    n = len(costs)
    if n != num_iterations:
        if n == num_iterations + 1:
            why = ": one too many (for i in range(num_iterations) runs num_iterations times)"
        elif n == num_iterations - 1:
            why = ": one too few (range(num_iterations) runs from 0 to num_iterations - 1)"
        elif num_iterations and n == -(-num_iterations // 100):
            why = ": keep the cost of every iteration here, not of every 100th"
        else:
            why = ""
        raise Mismatch((1,), f"has {n} value{'s' if n != 1 else ''}{where}, for num_iterations = {num_iterations}: "
                             f"one cost per iteration{why}")
    values = []
    for i, c in enumerate(costs):
        if isinstance(c, np.ndarray) and c.size == 1:
            c = c.reshape(())[()]
        if isinstance(c, bool) or not isinstance(c, numbers.Real):
            raise Mismatch((1, i), f"is {kind(c)}{where}; each cost is a number "
                                   f"(compute_cost returns a float)")
        if not np.isfinite(c):
            if i > 0 and values[-1] > values[0]:
                raise Mismatch((1,), f"went up{where}, from costs[0] = {values[0]:.4g} to "
                                     f"costs[{i - 1}] = {values[-1]:.4g}, then costs[{i}] is {c}: "
                                     f"gradient descent steps downhill. Check the arguments of "
                                     f"model_backward(AL, Y, caches), in this order")
            raise Mismatch((1, i), f"is {c}{where}: a cost is finite; call compute_cost(AL, Y) "
                                   f"with its arguments in this order")
        values.append(float(c))
    return params, values


def _same_params(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def _initial_weight_properties(params, dims):
    """W[l] ~ N(0, 2 / n_{l-1}) and b[l] = 0, judged on all weights together, each scaled by
    its layer's standard deviation. Five standard errors: a correct implementation fails
    with probability below 1e-6."""
    L = len(dims) - 1
    for key in params:
        if not np.all(np.isfinite(params[key])):
            raise Mismatch((0, key), f"contains {params[key][~np.isfinite(params[key])].ravel()[0]} "
                                     f"(the initial parameters, returned with num_iterations = 0): "
                                     f"initial weights are finite numbers (a division by zero?)")
    for l in range(1, L + 1):
        if np.any(params[f"b{l}"] != 0):
            raise Mismatch((0, f"b{l}"), "should start at zeros (with num_iterations = 0 you get "
                                         "the initial parameters back): only W is random")
    w = np.concatenate([(params[f"W{l}"] / np.sqrt(2.0 / dims[l - 1])).ravel()
                        for l in range(1, L + 1)])
    n = w.size
    start = f"(the initial ones, returned with layer_dims = {dims} and num_iterations = 0)"
    how = ("(He initialisation: initialize_parameters(layer_dims, rng, scale=1.0), then "
           "multiply each W[l] by np.sqrt(2 / layer_dims[l - 1]))")
    sd1 = params["W1"].std()
    if abs(w.mean()) > 5 * w.std() / np.sqrt(n):
        raise Mismatch((0,), f"{start} have weights with a nonzero mean: draw W[l] from "
                             f"N(0, 2 / n_{{l-1}}) {how}")
    if abs(w.std() - 1) > 5 / np.sqrt(2 * n):
        raise Mismatch((0,), f"{start} have weights with the wrong standard deviation: W1 has "
                             f"{sd1:.3g}, expected sqrt(2 / {dims[0]}) = {np.sqrt(2 / dims[0]):.3g}."
                             f" Draw W[l] from N(0, 2 / n_{{l-1}}) {how}")
    within = np.mean(np.abs(w) < 1)
    if abs(within - 0.6827) > 5 * np.sqrt(0.6827 * 0.3173 / n):
        raise Mismatch((0,), f"{start} have weights that do not look normally distributed "
                             f"({within:.0%} within one standard deviation, 68% for a normal): "
                             f"use rng.standard_normal {how}")


def _train_properties(trial):
    inputs = trial.inputs
    dims, k = inputs["layer_dims"], inputs["num_iterations"]
    params, costs = _pair(trial.got, dims, k)

    # equal generators, equal results; other generators, other weights
    at_start = "with num_iterations = 0 (it should return the initial parameters and [])"
    init = _pair(_call(trial, at_start, num_iterations=0), dims, 0, at_start)[0]
    again = _pair(_call(trial, at_start, num_iterations=0), dims, 0, at_start)[0]
    if not _same_params(init, again):
        raise Mismatch((0,), "came out different for two generators in the same state: draw "
                             "all random numbers from the rng argument, never from np.random")
    other = _pair(_call(trial, at_start, num_iterations=0, rng=np.random.default_rng(12345)),
                  dims, 0, at_start)[0]
    if np.array_equal(other["W1"], init["W1"]):
        raise Mismatch((0,), "gave the same W1 for two different generators: draw from the "
                             "rng argument (do not create your own generator)")

    # the distribution of the initial weights, on a network with enough of them
    big = f"with layer_dims = {_INIT_DIMS} and num_iterations = 0"
    X_big = np.linspace(-1, 1, 4 * _INIT_DIMS[0]).reshape(_INIT_DIMS[0], 4)
    result = _call(trial, big, X=X_big, Y=np.array([[0.0, 1.0, 1.0, 0.0]]),
                   layer_dims=list(_INIT_DIMS), num_iterations=0)
    _initial_weight_properties(_pair(result, _INIT_DIMS, 0, big)[0], _INIT_DIMS)

    # learning_rate = 0: nothing may change
    frozen = "with learning_rate = 0 and num_iterations = 3"
    still, flat = _pair(_call(trial, frozen, learning_rate=0.0, num_iterations=3), dims, 3, frozen)
    if not _same_params(still, init) or not flat[0] == flat[1] == flat[2]:
        raise Mismatch((0,), f"changed {frozen}: the parameters should stay at their initial "
                             f"values. Use the learning_rate argument (not a number of your "
                             f"own), and initialise once, before the loop")
    if not np.isclose(costs[0], flat[0], rtol=1e-9, atol=1e-12):
        raise Mismatch((1, 0), f"is {costs[0]:.6g}, but the cost of the initial parameters is "
                               f"{flat[0]:.6g}: costs[i] is the cost before any update of "
                               f"iteration i (forward, cost, backward, then update)")

    # training: the cost goes down and the parameters move
    if _same_params(params, init):
        raise Mismatch((0,), "are the initial parameters: they never change. Keep what "
                             "update_parameters returns, params = update_parameters(params, "
                             "grads, learning_rate), and return the trained params")
    if not costs[-1] < costs[0]:
        direction = "went up" if costs[-1] > costs[0] else "did not decrease"
        raise Mismatch((1,), f"{direction}, from costs[0] = {costs[0]:.4g} to costs[-1] = "
                             f"{costs[-1]:.4g}: gradient descent steps downhill. Check the "
                             f"arguments of model_backward(AL, Y, caches), in this order, and "
                             f"that the next forward pass uses the updated params")
    stepped = _one_step(trial, init, dims)
    if _is_easy(trial):
        _logistic_regression_replayed(trial, params, costs, init, stepped)
    if _is_easy(trial) and not costs[-1] < _EASY_COST:
        raise Mismatch((1, k - 1), f"is {costs[-1]:.4g}; on this linearly separable data "
                                   f"logistic regression gets below {_EASY_COST} in "
                                   f"{k} iterations")


def _cost(X, Y, params):
    """The cost of ``params``: the forward pass and the cross-entropy, written out (no
    reference code: public checks run in a student copy too; no backward pass here)."""
    L = len(params) // 2
    A = X
    with np.errstate(all="ignore"):
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(Z, 0.0)
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _cost_depends_on(X, Y, params, key):
    """Whether the cost changes when params[key] does, on both sides: not when a whole layer
    after it is inactive (all its ReLUs at 0 for every example), where the gradient is exactly
    0 and a correct step leaves params[key] where it is. One-sided differences along a random
    direction, each above 1e-10 (rounding, or a gradient too small to see, is no change).
    Both sides, along a direction of positive entries: with b = 0, some Z sit exactly at the
    ReLU kink (an example whose previous layer is all 0); the course takes relu'(0) = 0, and
    raising b moves those Z above 0, lowering b does not."""
    direction = np.abs(np.random.default_rng(0).standard_normal(params[key].shape)) + 0.1
    eps = 1e-4
    here = _cost(X, Y, params)
    up = _cost(X, Y, {**params, key: params[key] + eps * direction})
    down = _cost(X, Y, {**params, key: params[key] - eps * direction})
    return abs(up - here) > 1e-10 and abs(here - down) > 1e-10


def _logistic_step(X, Y, params, learning_rate):
    """Logistic regression (layer_dims = [n_0, 1]): the cost at params, and params after one
    step of gradient descent, dW = (A - Y) X^T / m, db = mean(A - Y)."""
    W, b = params["W1"], params["b1"]
    with np.errstate(all="ignore"):
        A = 1 / (1 + np.exp(-(W @ X + b)))
        cost = float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    dW, db = (A - Y) @ X.T / X.shape[1], np.mean(A - Y, axis=1, keepdims=True)
    return cost, {"W1": W - learning_rate * dW, "b1": b - learning_rate * db}


def _one_step(trial, init, dims):
    """num_iterations = 1, from the student's own initial parameters: every W[l] and b[l]
    whose gradient is not 0 moves. Returns the parameters after that step."""
    inputs = trial.inputs
    one = "with num_iterations = 1"
    stepped = _pair(_call(trial, one, num_iterations=1), dims, 1, one)[0]
    L = len(dims) - 1
    for key in [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]:
        if np.array_equal(stepped[key], init[key]) \
                and _cost_depends_on(inputs["X"], inputs["Y"], init, key):
            raise Mismatch((0, key), f"did not change in one iteration ({one}): gradient descent "
                                     f"updates every W[l] and b[l], for l = 1 to L = {L}")
    return stepped


def _logistic_regression_replayed(trial, params, costs, init, stepped):
    """layer_dims = [n_0, 1]: one step, then the whole run, replayed from the student's own
    initial parameters with A = sigmoid(W X + b), dW = (A - Y) X^T / m, db = mean(A - Y)."""
    inputs = trial.inputs
    X, Y, lr = inputs["X"], inputs["Y"], inputs["learning_rate"]
    _, expected = _logistic_step(X, Y, init, lr)
    for key in ("W1", "b1"):
        want, got = expected[key] - init[key], stepped[key] - init[key]
        scale = float(np.vdot(want, want))
        factor = float(np.vdot(got, want)) / scale if scale else 0.0
        if factor and abs(factor - 1) > 1e-3 and np.allclose(got, factor * want, rtol=1e-6, atol=1e-12):
            raise Mismatch((0, key), f"moved by {factor:.4g} times learning_rate * d{key} in one "
                                     f"iteration (with num_iterations = 1): one step is {key} - "
                                     f"learning_rate * d{key}, with the learning_rate argument "
                                     f"as it is")
    expected, expected_costs = init, []
    for _ in range(inputs["num_iterations"]):
        cost, expected = _logistic_step(X, Y, expected, lr)
        expected_costs.append(cost)
    try:
        compare((params, costs), (expected, expected_costs), rtol=1e-6, atol=1e-9)
    except Mismatch as m:
        raise Mismatch(m.path, m.message + "\n  (compared with gradient descent for logistic "
                                           "regression, dW = (A - Y) X^T / m and db = mean(A - Y), "
                                           "from your own initial parameters, those train_model "
                                           "returns with num_iterations = 0)") from None


def _train_reference_checks(trial):
    """Hidden mode: the same run with the reference functions, started from the student's own
    initial parameters, and the separable trials classified correctly."""
    from ..reference.nb01 import (compute_cost, model_backward, model_forward,
                                  update_parameters)
    from ..reference.nb02 import predict

    inputs = trial.inputs
    X, Y, dims, k = inputs["X"], inputs["Y"], inputs["layer_dims"], inputs["num_iterations"]
    params, costs = _pair(trial.got, dims, k)
    expected = _pair(trial.call(num_iterations=0), dims, 0)[0]
    expected_costs = []
    with np.errstate(all="ignore"):
        for _ in range(k):
            AL, caches = model_forward(X, expected)
            expected_costs.append(compute_cost(AL, Y))
            expected = update_parameters(expected, model_backward(AL, Y, caches),
                                         inputs["learning_rate"])
    try:
        compare((params, costs), (expected, expected_costs), rtol=1e-6, atol=1e-9)
    except Mismatch as m:
        raise Mismatch(m.path, m.message + "\n  (compared with plain gradient descent from your "
                                           "own initial parameters, those train_model returns "
                                           "with num_iterations = 0)") from None
    if _is_easy(trial):
        accuracy = float(np.mean(predict(X, params) == Y))
        if accuracy < 0.95:
            raise Mismatch((0,), f"classify only {accuracy:.0%} of this linearly separable "
                                 f"training set correctly; expected at least 95%")


# -- parity_data -----------------------------------------------------------------------


def _parity_properties(trial):
    n = trial.inputs["n_bits"]
    got = trial.got
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Mismatch((), f"should be a pair (X, Y), got {kind(got)}")
    X, Y = got
    for index, name, value, shape in ((0, "X", X, (n, 2**n)), (1, "Y", Y, (1, 2**n))):
        if type(value) is not np.ndarray:
            raise Mismatch((index,), f"should be a numpy array, got {kind(value)}")
        if value.dtype.kind == "b":
            raise Mismatch((index,), "is an array of booleans; convert it with .astype(float)")
        if value.dtype.kind != "f":
            raise Mismatch((index,), f"is an array of {value.dtype}; the course uses float "
                                     f"arrays: convert it with .astype(float)")
        if value.shape != shape:
            if value.shape == shape[::-1] and name == "X":
                hint = ": transposed? each pattern is a column, so X is (n_bits, 2**n_bits)"
            elif name == "X" and value.ndim == 2 and value.shape[0] == n:
                hint = f": all 2**n_bits = {2**n} patterns, from 0...0 to 1...1, once each"
            elif value.shape == (2**n,):
                hint = ": Y is a row (1, 2**n_bits); keepdims=True, or .reshape(1, -1)"
            else:
                hint = ""
            raise Mismatch((index,), f"has shape {value.shape}, expected {shape}{hint}")
        if not np.all((value == 0) | (value == 1)):
            extra = (": the parity is the number of ones modulo 2 (% 2), not the number itself"
                     if name == "Y" else "")
            raise Mismatch((index,), f"should hold only 0 and 1, but has {np.unique(value)[:6]}"
                                     f"{extra}")
    distinct = np.unique(X.T, axis=0).shape[0]
    if distinct != 2**n:
        raise Mismatch((0,), f"has {2**n - distinct} repeated columns: every one of the "
                             f"2**n_bits patterns must appear exactly once")
    parity = X.sum(axis=0, keepdims=True) % 2
    wrong = np.flatnonzero(Y != parity)
    if wrong.size:
        j = int(wrong[0])
        kind = ("1 where the number of ones is odd, 0 where it is even"
                if wrong.size == 2**n else "the parity of all n_bits bits of the column")
        raise Mismatch((1,), f"is wrong for {wrong.size} of {2**n} patterns, e.g. column {j}, "
                             f"{X[:, j].astype(int).tolist()}, has Y = {Y[0, j]:g}: Y[0, j] is "
                             f"{kind}")


SPECS = [
    Spec("predict", _predict_inputs, "predictions", uses=("model_forward",), n_hidden=8),
    Spec("train_model", _train_inputs, ("params", "costs"), by_value=False,
         properties=_train_properties, reference_checks=_train_reference_checks, n_hidden=6,
         uses=("initialize_parameters", "model_forward", "compute_cost", "model_backward",
               "update_parameters")),
    Spec("parity_data", lambda rng, i: {"n_bits": (3, 1, 5)[i] if i < 3 else int(rng.integers(1, 11))},
         ("X", "Y"), by_value=False, properties=_parity_properties, n_hidden=6),
]
