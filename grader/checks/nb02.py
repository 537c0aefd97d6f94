"""How the notebook 02 exercises are tried.

``predict`` is compared by value; every output pre-activation Z[L] stays at least 0.02 away
from 0 (A[L] away from 0.5), so ``>`` and ``>=`` agree, and some Z[L] lie in (0, 0.5), so
thresholding Z[L] at 0.5 instead of A[L] shows. Hidden trials at the contract's edges: a deep
network (L = 6), a single example (m = 1), and outputs saturated at |Z[L]| >= 800 (A[L]
exactly 0.0 or 1.0, where e^Z / (1 + e^Z) is nan).

``train_model`` and ``parity_data`` are checked by what they do, not by replaying one
random stream or one column order:

- ``train_model`` (public and hidden): the returned pair, one finite cost per iteration,
  equal generators give equal results and different ones different results, the initial
  weights (``num_iterations = 0``) are float64 and follow N(0, 2/n_{l-1}) in every layer
  (judged layer by layer, with bounds a correct draw leaves with probability below 1e-7
  per check), ``learning_rate = 0`` leaves them
  unchanged, ``costs[0]`` is the cost before any update, the cost decreases, one iteration
  (``num_iterations = 1``) moves every W[l] and b[l] on which the cost depends, and on the
  linearly separable trials (``layer_dims = [n_0, 1]``, logistic regression) the run is
  replayed (gradient descent written out here, from the student's own initial parameters)
  and ends below 0.05. In hidden mode
  (``reference_checks``) the run is also replayed with the reference functions from the
  student's own initial parameters, and the separable trials must be classified correctly.
  Hidden trials at the edges: a deep network (L = 6) and a single example (m = 1).
- ``parity_data``: every one of the 2**n patterns exactly once, as float 0/1 columns, and Y
  the parity of each column, whatever the order of the columns; a hidden trial has more bits
  than a byte holds (9 to 12).
- ``xor_tree_network`` and ``dnf_network``: any correct construction passes (other XOR
  gadgets, other tree shapes, unbalanced or padded trees, AND units that are not 0/1, other
  output scalings), so they are checked by properties, on n = 1 to 10 bits and several k:
  the course's keys and shapes of float arrays; run through [LINEAR->RELU]*(L-1) ->
  LINEAR->SIGMOID (written out here), predict is the parity on all 2**n patterns (when it is
  the parity of some of the bits, the message says which were left out); with twice the k,
  the same layer sizes, still the parity, and |Z[L]| larger on every pattern (A[L] further
  from 0.5, the even patterns too); no k gives k = 10.0. The lecture's contrast: the tree has at most
  2 ceil(log2 n) hidden layers (two ReLU layers per level of XORs at most; one layer for
  n = 1), at most 4n hidden units, and a unit of hidden layer l depends on at most 2**l bits
  (2-input gates: one unit that sums all bits, the zigzag, is not a tree); the AND/OR network
  has one hidden layer of exactly 2**(n-1) units, each firing (ReLU > 0) for exactly one
  pattern, an odd one, every odd pattern once.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ..compare import Mismatch, compare, float64_only, keys, kind
from ..runner import StudentError
from . import Clause, Spec, default, one_example
from .statistics import MEAN_BOUND, WITHIN_ONE, mean_square_bounds, within_one_bound

# The depth of the hidden trials' deep networks: the notebook's five hidden layers (L = 6)
DEEP = 6
# |Z[L]| of the saturated hidden trial of predict: exp(Z) overflows beyond 709
SATURATED = 800.0

# -- predict ---------------------------------------------------------------------------


# Hidden trials at the edges of predict's contract (public trials are 0 to 2)
_PREDICT_DEEP, _PREDICT_ONE, _PREDICT_SATURATED = 7, 8, 9


def _predict_inputs(rng, i):
    """X and params of a network whose output Z[L] straddles 0, with |Z[L]| >= 0.02 and some
    Z[L] in (0.02, 0.45): A[L] on both sides of 0.5, never at it. Hidden trial 7 has a deep
    network (L = 6), 8 a single example (m = 1), 9 an output layer scaled so that every
    |Z[L]| >= 800: A[L] is exactly 0.0 or 1.0 there."""
    from ..reference.nb01 import model_forward

    depth = (1, 2, 3)[i] if i < 3 else DEEP if i == _PREDICT_DEEP else int(rng.integers(1, 5))
    n_x = (3, 4, 2)[i] if i < 3 else int(rng.integers(1, 6))
    m = (8, 10, 12)[i] if i < 3 else 1 if i == _PREDICT_ONE else int(rng.integers(6, 20))
    dims = [n_x] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [1]
    while True:
        params = {}
        for l in range(1, depth + 1):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((n_x, m))
        ZL = model_forward(X, params)[1][-1][1]
        if m == 1:  # one example: one class, |Z[L]| as small as allowed, up to 0.45
            if 0.02 <= abs(ZL[0, 0]) < 0.45:
                return {"X": X, "params": params}
            continue
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
            if i == _PREDICT_SATURATED:  # the same signs, every |Z[L]| >= 800
                c = SATURATED / np.abs(ZL).min()
                params[f"W{depth}"], params[f"b{depth}"] = c * params[f"W{depth}"], c * params[f"b{depth}"]
            return {"X": X, "params": params}


def _depth(inputs) -> int:
    return len(inputs["params"]) // 2


def _output_Z(inputs) -> np.ndarray:
    """Z[L] of a trial's network: the forward pass written out (the clauses' predicates)."""
    params, A = inputs["params"], inputs["X"]
    for l in range(1, _depth(inputs) + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = np.maximum(Z, 0.0)
    return Z


def _near_threshold(inputs) -> bool:
    """Some A[L] just above 0.5 (0 < Z[L] < 0.45) and some below it."""
    Z = _output_Z(inputs)
    return bool(np.any((Z > 0) & (Z < 0.45)) and np.any(Z < 0))


def _saturated_output(inputs) -> bool:
    return bool(np.abs(_output_Z(inputs)).min() > SATURATED - 1)


PREDICT_CLAUSES = (
    Clause("type", "predictions are the floats 1.0 and 0.0, like Y (not booleans or integers)",
           by="grader.compare.compare"),
    Clause("shape", "a (1, m) row like Y, so that predict(X, params) == Y compares example by "
                    "example", by="grader.compare.compare"),
    Clause("shape", "a single example, m = 1: a (1, 1) array", tried=one_example("X")),
    Clause("shape", "no hidden layer (L = 1, logistic regression)", tried=lambda x: _depth(x) == 1),
    Clause("shape", f"a deep network (L = {DEEP}, five hidden layers)",
           tried=lambda x: _depth(x) >= DEEP),
    Clause("boundary", "A[L] just above and just below 0.5 (0.02 <= |Z[L]| < 0.45): 1.0 where "
                       "A[L] > 0.5, that is Z[L] > 0 (not Z[L] > 0.5)", tried=_near_threshold),
    Clause("extreme", "saturated outputs (|Z[L]| >= 800, A[L] exactly 0.0 or 1.0) are "
                      "classified by A[L] > 0.5 all the same", tried=_saturated_output),
)


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


# Hidden trials at the edges of train_model's contract (public trials are 0 to 2)
_TRAIN_DEEP, _TRAIN_ONE = 6, 7


def _train_inputs(rng, i):
    """Public trials: logistic regression on separable data, one and two hidden layers.
    Hidden trial 6 trains a deep network (L = 6, five hidden layers) and 7 a network on a
    single example (m = 1)."""
    if i < 3:
        make, dims, m, learning_rate, num_iterations = [
            (_separable, [2, 1], 40, 0.5, 60),
            (_quadrants, [2, 6, 1], 48, 0.3, 100),
            (_random_labels, [3, 5, 4, 1], 30, 0.1, 50),
        ][i]
    elif i == _TRAIN_DEEP:
        make, m = _quadrants, int(rng.integers(30, 50))
        dims = [2] + [int(rng.integers(4, 9)) for _ in range(DEEP - 1)] + [1]
        learning_rate, num_iterations = float(rng.uniform(0.05, 0.15)), int(rng.integers(20, 50))
    elif i == _TRAIN_ONE:
        make, m = _random_labels, 1
        n_x = int(rng.integers(1, 5))
        dims = [n_x] + [int(rng.integers(2, 7)) for _ in range(int(rng.integers(1, 3)))] + [1]
        learning_rate, num_iterations = float(rng.uniform(0.05, 0.3)), int(rng.integers(20, 60))
    elif i % 3 == 0:
        make, m = _separable, int(rng.integers(20, 50))
        dims = [int(rng.integers(1, 6)), 1]
        learning_rate, num_iterations = float(rng.uniform(0.3, 0.8)), int(rng.integers(60, 100))
    else:
        make, m = (_quadrants if i % 3 == 1 else _random_labels), int(rng.integers(20, 50))
        n_x = int(rng.integers(2, 5))
        dims = [n_x] + [int(rng.integers(2, 7)) for _ in range(int(rng.integers(1, 4)))] + [1]
        learning_rate, num_iterations = float(rng.uniform(0.05, 0.3)), int(rng.integers(20, 80))
    # one example is one class: the cost still falls, through the output bias
    X, Y = make(rng, dims[0], m) if m == 1 else _unbalanced(make, rng, dims[0], m)
    return {"X": X, "Y": Y, "layer_dims": dims, "learning_rate": learning_rate,
            "num_iterations": num_iterations,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


# -- train_model: properties -----------------------------------------------------------

# A network big enough to judge the distribution of the initial weights layer by layer
# (3600, 7200, 6000 and 100 of them), with layers of different widths: a layer scaled by
# another layer's width (n_0 for every layer, n_l for n_{l-1}), or not scaled at all (the
# output layer, by a loop one layer short), stands out on its own.
_INIT_DIMS = [30, 120, 60, 100, 1]
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
    try:  # the initial parameters too (num_iterations = 0): no update has made them float64
        float64_only(params, (0,))
    except Mismatch as m:
        raise Mismatch(m.path, f"{m.message}{f'; here {situation}' if situation else ''}") from None
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


# The initial weights are judged by tests a correct implementation fails with probability
# at most FALSE_ALARM each (checks/statistics.py): at most 2 L + 1 = 9 of them, below 1e-7 per
# check together.


def _initial_weight_properties(params, dims):
    """W[l] ~ N(0, 2 / n_{l-1}) and b[l] = 0. Each layer on its own: its mean and its mean
    square (each layer its own scale); then all weights together, each scaled by its layer's
    standard deviation: the shape of the distribution (a normal's 68% within one standard
    deviation). The bounds come from the statistics of a correct draw (see above)."""
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
    start = f"(the initial ones, returned with layer_dims = {dims} and num_iterations = 0)"
    how = ("(He initialisation: initialize_parameters(layer_dims, rng, scale=1.0), then "
           "multiply each W[l] by np.sqrt(2 / layer_dims[l - 1]))")
    standardised = []
    for l in range(1, L + 1):
        W, sd = params[f"W{l}"], math.sqrt(2.0 / dims[l - 1])
        w = (W / sd).ravel()
        n = w.size
        size = float(np.sqrt(np.sum(w * w)))
        if size and abs(float(np.sum(w))) / size > MEAN_BOUND:
            raise Mismatch((0, f"W{l}"), f"{start} has mean {W.mean():.3g} in layer {l}: W[l] "
                                         f"~ N(0, 2 / n_{{l-1}}) has mean 0 in every layer "
                                         f"(rng.random and rng.uniform(0, 1) draw positive "
                                         f"numbers only) {how}")
        low, high = mean_square_bounds(n)
        ratio = float(np.mean(w * w))
        if not low <= ratio <= high:
            raise Mismatch((0, f"W{l}"), f"{start} has the wrong standard deviation, "
                                         f"{sd * math.sqrt(ratio):.3g} (root mean square) where "
                                         f"layer {l} should have sqrt(2 / layer_dims[{l - 1}]) = "
                                         f"sqrt(2 / {dims[l - 1]}) = {sd:.3g}: each layer gets "
                                         f"its own scale, for every l = 1 to L = {L}. Draw W[l] "
                                         f"from N(0, 2 / n_{{l-1}}) {how}")
        standardised.append(w)
    w = np.concatenate(standardised)
    within = float(np.mean(np.abs(w) < 1))
    if abs(within - WITHIN_ONE) > within_one_bound(w.size):
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
            elif name == "X" and n > 8 and value.ndim == 2 and value.shape[0] < n:
                hint = (f": one row per bit, {n} rows. A uint8 (as np.unpackbits takes) holds "
                        f"8 bits only, and n_bits = {n} needs more: bit k of j is (j >> k) & 1")
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
        rule = ("1 where the number of ones is odd, 0 where it is even"
                if wrong.size == 2**n else "the parity of all n_bits bits of the column")
        raise Mismatch((1,), f"is wrong for {wrong.size} of {2**n} patterns, e.g. column {j}, "
                             f"{X[:, j].astype(int).tolist()}, has Y = {Y[0, j]:g}: Y[0, j] is "
                             f"{rule}")


def _parity_inputs(rng, i):
    """Public trials: 3, 1 and 5 bits; hidden trial 3: more bits than a byte holds (9 to 12)."""
    if i < 3:
        return {"n_bits": (3, 1, 5)[i]}
    return {"n_bits": int(rng.integers(9, 13)) if i == 3 else int(rng.integers(1, 11))}


TRAIN_CLAUSES = (
    Clause("type", "the parameters are float64 arrays from the start (with num_iterations = 0 "
                   "too), and every cost is a plain number", by="properties"),
    Clause("randomness", "the same rng state gives the same run, another rng other initial "
                         "weights", by="properties"),
    Clause("randomness", "rng is used to initialise only: from the initial parameters on, the "
                         "run is plain gradient descent", by="reference_checks"),
    Clause("per-part", "every layer has its own scale, W[l] ~ N(0, 2 / n_{l-1}) with mean 0, "
                       "judged layer by layer (not only all weights together)", by="properties"),
    Clause("boundary", "num_iterations = 0 returns the initial parameters and []",
           by="properties"),
    Clause("boundary", "num_iterations = 1: one step moves every W[l] and b[l] the cost depends "
                       "on", by="properties"),
    Clause("boundary", "learning_rate = 0 leaves the parameters where they are, and every cost "
                       "equal", by="properties"),
    Clause("boundary", "costs[0] is the cost of the initial parameters, before any update",
           by="properties"),
    Clause("shape", "no hidden layer (layer_dims = [n_0, 1], logistic regression)",
           tried=lambda x: len(x["layer_dims"]) == 2),
    Clause("shape", f"a deep network (L = {DEEP}, five hidden layers)",
           tried=lambda x: len(x["layer_dims"]) - 1 >= DEEP),
    Clause("shape", "a single example, m = 1", tried=one_example("X")),
)

PARITY_CLAUSES = (
    Clause("type", "X and Y are float arrays of 0.0 and 1.0 (not integers or booleans)",
           by="properties"),
    Clause("shape", "X is (n_bits, 2**n_bits), one pattern per column, and Y a row "
                    "(1, 2**n_bits)", by="properties"),
    Clause("shape", "a single bit, n_bits = 1: the patterns 0 and 1, and Y the bit itself",
           tried=lambda x: x["n_bits"] == 1),
    Clause("extreme", "more bits than a byte holds (n_bits = 9 to 12, up to 4096 patterns)",
           tried=lambda x: x["n_bits"] > 8),
    Clause("boundary", "every pattern exactly once, 0...0 and 1...1 included, in any column "
                       "order", by="properties"),
)


# -- the parity networks: xor_tree_network and dnf_network -------------------------------
#
# Any correct construction passes (other XOR gadgets, other tree shapes, unbalanced trees,
# other scalings): they are checked by what the network does on all 2**n patterns, by its
# layer and unit counts, and by the lecture's contrast, not by value.

# The tree's bounds: at most this many ReLU layers per level of XORs (one for the notebook's
# gate, two for a gate built as AND(OR, NAND)), and this many hidden units per bit (the
# notebook's tree has 2 (n - 1) + (values passed on) <= 3n)
LAYERS_PER_LEVEL, UNITS_PER_BIT = 2, 4
# a hidden unit "fires" on a pattern where its ReLU exceeds this share of the largest
# activation of the layer (exact zeros for the lecture's units; a share, not 0, so that a
# unit whose weights are not integers is not said to fire by a rounding error of 1e-17)
_FIRES = 1e-9


def _bits(n):
    """All 2**n patterns as the columns of X (column j holds the bits of j, x_1 in row 0),
    and their parity, a flat array of 0/1."""
    j = np.arange(2 ** n)
    X = ((j[np.newaxis, :] >> np.arange(n)[:, np.newaxis]) & 1).astype(np.float64)
    return X, X.sum(axis=0) % 2


def _pattern(X, j) -> str:
    return "[" + ", ".join(str(int(v)) for v in X[:, j]) + "]"


def _bit_names(indices) -> str:
    names = [f"x_{i + 1}" for i in indices]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _network(params, n, situation=""):
    """The number of layers L of a returned parameter dict, or Mismatch if it is not the
    course's W1, b1, ..., WL, bL of float arrays with W[l] (n_l, n_{l-1}), b[l] (n_l, 1),
    n_0 = n and n_L = 1."""
    where = f" ({situation})" if situation else ""
    if not isinstance(params, dict):
        extra = (": return the dict only" if isinstance(params, (tuple, list)) and params
                 and isinstance(params[0], dict) else "")
        raise Mismatch((), f"should be a dict of parameters W1, b1, ..., WL, bL{where}, got "
                           f"{kind(params)}{extra}")
    L = sum(1 for key in params if isinstance(key, str) and key.startswith("W"))
    wanted = [key for l in range(1, L + 1) for key in (f"W{l}", f"b{l}")]
    missing = [key for key in wanted if key not in params]
    if not L or missing:
        raise Mismatch((), f"has no key {(missing or ['W1'])[0]!r}{where} (its keys: "
                           f"{keys(params)}): a network of L layers has the keys W1, b1, ..., "
                           f"WL, bL, numbered from 1")
    extra = [key for key in params if key not in wanted]
    if extra:
        raise Mismatch((), f"has unexpected keys {keys(extra)}{where}: return the parameters "
                           f"only, W1, b1, ..., W{L}, b{L} (model_forward takes L = "
                           f"len(params) // 2)")
    previous = n
    for l in range(1, L + 1):
        for key in (f"W{l}", f"b{l}"):
            value = params[key]
            flat = ("; with one unit and one input it is still 2-D, (1, 1): np.squeeze "
                    "drops both axes of a (1, 1) array")
            if type(value) is not np.ndarray:
                scalar = flat if isinstance(value, (numbers.Number, np.generic)) else ""
                raise Mismatch((key,), f"should be a numpy array{where}, got "
                                       f"{kind(value)}{scalar}")
            if value.dtype.kind != "f":
                raise Mismatch((key,), f"is an array of {value.dtype}{where}; the course's "
                                       f"parameters are float arrays: write 1.0 rather than 1, "
                                       f"or convert with .astype(float)")
            if value.ndim != 2:
                raise Mismatch((key,), f"has shape {value.shape}{where}: every W[l] and b[l] "
                                       f"is 2-D, W[l] (n_l, n_(l-1)) and b[l] (n_l, 1)"
                                       f"{flat if value.size == 1 else ''}")
            if not np.all(np.isfinite(value)):
                raise Mismatch((key,), f"contains {value[~np.isfinite(value)].ravel()[0]}"
                                       f"{where}: the weights are finite numbers")
        W, b = params[f"W{l}"], params[f"b{l}"]
        if W.shape[1] != previous:
            before = (f"the n = {n} input bits" if l == 1
                      else f"the {previous} units of layer {l - 1}")
            byte = (f". A uint8 (as np.unpackbits takes) holds 8 bits only, and n = {n} needs "
                    f"more: bit i of j is (j >> i) & 1" if l == 1 and n > 8 and W.shape[1] == 8
                    else "")
            raise Mismatch((f"W{l}",), f"has shape {W.shape}{where}: it reads {before}, so it "
                                       f"has {previous} columns, W[l] is (n_l, n_(l-1)){byte}")
        if b.shape != (W.shape[0], 1):
            raise Mismatch((f"b{l}",), f"has shape {b.shape}{where}, expected "
                                       f"{(W.shape[0], 1)}: one bias per unit of layer {l}, a "
                                       f"column")
        previous = W.shape[0]
    if previous != 1:
        raise Mismatch((f"W{L}",), f"has {previous} rows{where}: the last layer, W{L}, is the "
                                   f"output layer, one sigmoid unit (n_L = 1)")
    return L


def _run_network(params, X):
    """[LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID, written out (public checks run in a student
    copy, without the reference): the hidden layers' activations and Z[L] as a flat array."""
    L = len(params) // 2
    A, hidden = X, []
    with np.errstate(all="ignore"):
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            if l < L:
                A = np.maximum(Z, 0.0)
                hidden.append(A)
    return hidden, Z[0]


def _predicted(ZL):
    """predict's 0/1: A[L] = sigmoid(Z[L]) > 0.5, with the course's sigmoid."""
    return (np.exp(-np.logaddexp(0.0, -ZL)) > 0.5).astype(np.float64)


def _computes_parity(ZL, X, Y, k, output_is):
    """Mismatch unless predict gives the parity on every pattern; says which bits a network
    computes the parity of, when it computes the parity of some of them."""
    n = X.shape[0]
    got = _predicted(ZL)
    wrong = np.flatnonzero(got != Y)
    if not wrong.size:
        return
    at_k = f"with k = {k:g}"
    if wrong.size == Y.size:
        raise Mismatch((), f"gives the opposite of the parity on every one of the {Y.size} "
                           f"patterns ({at_k}): A[L] > 0.5 where the number of ones is odd. "
                           f"{output_is}")
    # the parity of a subset S of the bits, possibly negated: read S off the patterns with
    # a single one
    flip = got[0]
    subset = [i for i in range(n) if got[1 << i] != flip]
    sub_parity = X[subset].sum(axis=0) % 2 if subset else np.zeros_like(Y)
    j = int(wrong[0])
    shown = (f"e.g. x = {_pattern(X, j)} has parity {Y[j]:g}, and Z[L] = {ZL[j]:.4g}, so "
             f"predict gives {got[j]:g}")
    if 0 < len(subset) < n and np.array_equal(got, (sub_parity + flip) % 2):
        left_out = [i for i in range(n) if i not in subset]
        raise Mismatch((), f"is wrong on {wrong.size} of {Y.size} patterns ({at_k}): its "
                           f"prediction is the parity of {_bit_names(subset)} only, and "
                           f"{_bit_names(left_out)} "
                           f"never reach{'es' if len(left_out) == 1 else ''} "
                           f"the output ({shown}). Every bit must count: at a level with an "
                           f"odd number of values, the one without a partner is passed on to "
                           f"the next level, ReLU(v) = v")
    raise Mismatch((), f"does not compute the parity: predict is wrong on {wrong.size} of "
                       f"{Y.size} patterns ({at_k}), {shown}. {output_is}")


_TREE_OUTPUT = ("The output unit is sigmoid(k (2 v - 1)) of the tree's final value v in {0, 1}")
_DNF_OUTPUT = ("The output unit is the OR of the AND units, sigmoid(k (2 s - 1)) of their sum "
               "s in {0, 1}")


def _k(trial):
    return trial.inputs.get("k", 10.0)


def _more_confident(trial, ZL, X, Y, output_is):
    """The default k is 10.0; and with twice the trial's k, the network still computes the
    parity and |Z[L]| is larger on every pattern: A[L] further from 0.5, the even patterns
    too."""
    n, k = trial.inputs["n"], _k(trial)
    if "k" not in trial.inputs:
        explicit = _call_network(trial, "with k = 10.0", n, k=10.0)
        ZL_explicit = _run_network(explicit, X)[1]
        if not np.allclose(ZL, ZL_explicit, rtol=1e-9, atol=1e-12):
            raise Mismatch((), f"differs between the default k and k = 10.0: e.g. Z[L] = "
                               f"{ZL[0]:.4g} and {ZL_explicit[0]:.4g} on x = {_pattern(X, 0)}. "
                               f"The default is k = 10.0, as in the signature "
                               f"{trial.spec.id}(n, k=10.0)")
    larger = 2 * k
    other = _call_network(trial, f"with k = {larger:g}", n, k=larger)
    shape = [trial.got[f"b{l}"].shape[0] for l in range(1, len(trial.got) // 2 + 1)]
    shape_larger = [other[f"b{l}"].shape[0] for l in range(1, len(other) // 2 + 1)]
    if shape_larger != shape:
        raise Mismatch((), f"has other layers with k = {larger:g} ({shape_larger} units) than "
                           f"with k = {k:g} ({shape}): k only scales the output unit's "
                           f"pre-activation, the hidden layers are the same for every k")
    ZL_larger = _run_network(other, X)[1]
    try:
        _computes_parity(ZL_larger, X, Y, larger, output_is)
    except Mismatch as m:
        raise Mismatch((), f"{m.message} (with k = {k:g} it was right: k should only make "
                           f"the output more or less confident)") from None
    # strictly larger, beyond rounding: a pre-activation that does not move with k fails
    grows = np.abs(ZL_larger) > np.abs(ZL) * (1 + 1e-9) + 1e-12
    if not grows.any():
        raise Mismatch((), f"does not change with k: Z[L] is the same for k = {k:g} and k = "
                           f"{larger:g} (e.g. {ZL[0]:.4g} on x = {_pattern(X, 0)}). k scales the "
                           f"output unit's pre-activation: a larger k, a more confident output. "
                           f"{output_is}")
    if not grows.all():
        j = int(np.flatnonzero(~grows)[0])
        where = "an even" if Y[j] == 0 else "an odd"
        raise Mismatch((), f"is no more confident for a larger k on {int((~grows).sum())} of "
                           f"{Y.size} patterns: on x = {_pattern(X, j)} ({where} pattern) Z[L] "
                           f"= {ZL[j]:.4g} with k = {k:g} and {ZL_larger[j]:.4g} with k = "
                           f"{larger:g}, A[L] = {_sigmoid(ZL[j]):.4g} and "
                           f"{_sigmoid(ZL_larger[j]):.4g}. A larger k must move A[L] away from "
                           f"0.5 on every pattern, odd and even: scale the whole pre-activation "
                           f"of the output unit by k, its bias included. {output_is}")


def _sigmoid(z):
    return float(np.exp(-np.logaddexp(0.0, -z)))


def _call_network(trial, situation, n, **changes):
    """The student's function called again with some arguments changed, its result checked
    to be a network of the course's kind."""
    try:
        params = trial.call(**changes)
    except StudentError as e:
        raise Mismatch((), f"could not be checked further: called again {situation}, "
                           f"{e}") from None
    _network(params, n, situation)
    return params


def _levels(n) -> int:
    """The levels of a tree of 2-input XORs over n values: ceil(log2 n), 0 for n = 1."""
    return (n - 1).bit_length()


def _max_hidden_layers(n) -> int:
    """At most LAYERS_PER_LEVEL per level; for n = 1 (no level) one layer that passes x_1 on
    is allowed too."""
    return max(1, LAYERS_PER_LEVEL * _levels(n))


def _xor_tree_properties(trial):
    n = trial.inputs["n"]
    params = trial.got
    L = _network(params, n)

    # O(log n) layers, O(n) units: counted before the network runs (a layer of thousands of
    # units on 2**n patterns would be slow to run, and is wrong whatever it computes)
    levels, layers = _levels(n), L - 1
    if layers > _max_hidden_layers(n):
        chain = (f" Here there are about as many layers as bits: XORing the bits one after "
                 f"the other is a chain of n - 1 = {n - 1} XORs, one behind the other, not a "
                 f"tree" if layers >= n - 1 else "")
        raise Mismatch((), f"has {layers} hidden layers for n = {n} bits. A tree of XORs has "
                           f"ceil(log2 n) = {levels} level{'s' if levels != 1 else ''} (XOR "
                           f"the bits in pairs, then the results in pairs, and so on), and a "
                           f"level needs one hidden layer, two at most: at most "
                           f"{_max_hidden_layers(n)} hidden layers.{chain}")
    units = sum(params[f"b{l}"].shape[0] for l in range(1, L))
    if units > UNITS_PER_BIT * n:
        raise Mismatch((), f"has {units} hidden units for n = {n} bits. A tree of XORs has "
                           f"n - 1 = {n - 1} XOR gates of two units each, plus one unit for "
                           f"each value passed on: O(n) units, at most {UNITS_PER_BIT} n = "
                           f"{UNITS_PER_BIT * n} here (one AND unit per odd pattern, "
                           f"2**(n-1) of them, is the shallow circuit, dnf_network)")

    X, Y = _bits(n)
    _, ZL = _run_network(params, X)
    _computes_parity(ZL, X, Y, _k(trial), _TREE_OUTPUT)

    # a tree: each gate reads two values, so a unit of hidden layer l depends on at most
    # 2**l bits (which bits a unit reads: the nonzero weights, followed back to the input)
    reads = params["W1"] != 0
    for l in range(1, L):
        if l > 1:
            reads = (np.abs(params[f"W{l}"]) @ reads.astype(np.float64)) > 0
        counts = reads.sum(axis=1)
        u = int(np.argmax(counts))
        if counts[u] > 2 ** l:
            which = np.flatnonzero(reads[u])
            summed = (" It sums all the bits, as the summing units of section 4 do: that "
                      "computes the parity in one layer, but it is not the lecture's tree of "
                      "XORs" if counts[u] == n else "")
            raise Mismatch((f"W{l}",), f"gives unit {u + 1} of hidden layer {l} inputs that "
                                       f"depend on {counts[u]} bits ({_bit_names(which)}). In "
                                       f"a tree of XORs each gate reads two values, so after "
                                       f"l levels a unit depends on at most 2**l bits: 2**{l} "
                                       f"= {2 ** l} in hidden layer {l}.{summed}")

    _more_confident(trial, ZL, X, Y, _TREE_OUTPUT)


def _dnf_properties(trial):
    n = trial.inputs["n"]
    params = trial.got
    L = _network(params, n)
    if L != 2:
        raise Mismatch((), f"has L = {L} layer{'s' if L != 1 else ''}: the AND/OR circuit is "
                           f"one hidden layer of AND units (W1, b1) and the output unit, their "
                           f"OR (W2, b2): L = 2")
    units, wanted = params["W1"].shape[0], 2 ** (n - 1)
    if units != wanted:
        why = (": one per pattern. Only the patterns with an odd number of ones, where the "
               "parity is 1, get an AND unit" if units == 2 ** n else "")
        raise Mismatch(("W1",), f"has {units} rows, {units} hidden units, for n = {n} bits; "
                                f"one AND unit per odd pattern is 2**(n-1) = {wanted}{why}")
    X, Y = _bits(n)
    hidden, ZL = _run_network(params, X)

    # each hidden unit an AND: it fires for exactly one pattern, an odd one, each odd
    # pattern for one unit
    A1 = hidden[0]
    fires = A1 > _FIRES * max(1.0, float(A1.max()))
    counts = fires.sum(axis=1)
    seen = {}
    for u in range(units):
        what = f"unit {u + 1} of the hidden layer (row {u} of W1)"
        on = np.flatnonzero(fires[u])
        if counts[u] == 0:
            raise Mismatch(("W1",), f"gives {what} a ReLU of 0 on every one of the {2 ** n} "
                                    f"patterns: it never fires. The AND unit of a pattern p is "
                                    f"1 at x = p: its bias is -(|p| - 1), |p| the number of "
                                    f"ones in p (with -|p| it is 0 at p as well)")
        if counts[u] > 1:
            shown = ", ".join(_pattern(X, j) for j in on[:3]) + (", ..." if on.size > 3 else "")
            raise Mismatch(("W1",), f"gives {what} a ReLU above 0 on {counts[u]} patterns "
                                    f"({shown}): an AND unit fires for its own pattern p "
                                    f"only. Weight +1 for the bits that are 1 in p and -1 for "
                                    f"those that are 0, bias -(|p| - 1): then every other "
                                    f"pattern gives at most 0")
        j = int(on[0])
        if Y[j] == 0:
            raise Mismatch(("W1",), f"gives {what} the pattern x = {_pattern(X, j)}, which "
                                    f"has an even number of ones: the AND units list the "
                                    f"patterns where the parity is 1, the odd ones")
        if j in seen:
            raise Mismatch(("W1",), f"gives units {seen[j] + 1} and {u + 1} of the hidden "
                                    f"layer the same pattern, x = {_pattern(X, j)}: one unit "
                                    f"for each odd pattern, each odd pattern once")
        seen[j] = u
    _computes_parity(ZL, X, Y, _k(trial), _DNF_OUTPUT)
    _more_confident(trial, ZL, X, Y, _DNF_OUTPUT)


def _network_inputs(public, hidden):
    """Trials from two lists of (n, k), k None for the default, "random" for a draw: the
    public ones, then (hidden trials) the public ones again and the hidden ones."""
    def make(rng, i):
        n, k = (public + hidden)[i]
        if k == "random":
            k = float(np.round(np.exp(rng.uniform(np.log(0.5), np.log(40.0))), 3))
        return {"n": n} if k is None else {"n": n, "k": k}
    return make


# public: small non-powers of two and n = 8, where a chain of XORs has more layers than a
# tree may; hidden: n = 1, powers of two and not, up to 10 bits, a small k (0.25: A[L]
# barely away from 0.5), a large one, the default
_XOR_TREE_PUBLIC = [(3, None), (5, 4.0), (8, 2.5)]
_XOR_TREE_HIDDEN = [(1, None), (2, 1.0), (4, None), (6, "random"), (7, 0.25), (8, None),
                    (9, "random"), (10, None), (10, 50.0)]
_DNF_PUBLIC = [(2, None), (3, 4.0), (5, 2.5)]
_DNF_HIDDEN = [(1, None), (2, 0.25), (4, "random"), (6, None), (7, "random"), (9, None),
               (10, 50.0)]


def _power_of_two(n) -> bool:
    return n & (n - 1) == 0


def _small_k(inputs) -> bool:
    return inputs.get("k", 10.0) < 1


NETWORK_CLAUSES = (
    Clause("type", "every W[l] and b[l] is a float numpy array (1.0, not 1: no integer "
                   "arrays), float64", by="properties"),
    Clause("shape", "the course's keys and shapes, as model_forward takes them: W1, b1, ..., "
                    "WL, bL, W[l] (n_l, n_(l-1)), b[l] (n_l, 1), n_0 = n, n_L = 1",
           by="properties"),
    Clause("boundary", "predict is the parity on every one of the 2**n patterns, 0...0 and "
                       "1...1 included", by="properties"),
    Clause("per-part", "a larger k makes the output more confident on every pattern, the "
                       "even ones too (|Z[L]| grows with k), and changes neither a prediction "
                       "nor the hidden layers' sizes", by="properties"),
    Clause("boundary", "n = 1: a single bit, the parity is the bit itself",
           tried=lambda x: x["n"] == 1),
    Clause("boundary", "the default k = 10.0 (a call without k equals one with k = 10.0)",
           tried=default("k")),
    Clause("extreme", "a small k (below 1): A[L] only just on the right side of 0.5, on every "
                      "pattern", tried=_small_k),
)

XOR_TREE_CLAUSES = NETWORK_CLAUSES + (
    Clause("shape", f"O(log n) hidden layers: at most {LAYERS_PER_LEVEL} per level of the "
                    f"tree, ceil(log2 n) levels (one layer that passes x_1 on for n = 1)",
           by="properties"),
    Clause("shape", f"O(n) hidden units: at most {UNITS_PER_BIT} n", by="properties"),
    Clause("per-part", "a tree of 2-input XORs: every unit of hidden layer l depends on at "
                       "most 2**l bits (not one sum of all bits)", by="properties"),
    Clause("shape", "n not a power of two (3, 5, 6, 7, 9): a value without a partner is "
                    "passed on", tried=lambda x: x["n"] > 2 and not _power_of_two(x["n"])),
    Clause("shape", "n a power of two (2, 4, 8): a balanced tree",
           tried=lambda x: x["n"] > 1 and _power_of_two(x["n"])),
    Clause("shape", "n = 8 and more: more levels than a chain of XORs one behind the other "
                    "fits into the bound on layers", tried=lambda x: x["n"] >= 8),
)

DNF_CLAUSES = NETWORK_CLAUSES + (
    Clause("shape", "one hidden layer (L = 2) of exactly 2**(n-1) units", by="properties"),
    Clause("per-part", "every hidden unit is an AND: it fires for exactly one pattern, an odd "
                       "one, and every odd pattern has its unit", by="properties"),
    Clause("extreme", "more bits than a byte holds (n = 9, 10: 256 and 512 AND units)",
           tried=lambda x: x["n"] > 8),
)


SPECS = [
    Spec("predict", _predict_inputs, "predictions", uses=("model_forward",), n_hidden=10,
         clauses=PREDICT_CLAUSES),
    Spec("train_model", _train_inputs, ("params", "costs"), by_value=False,
         properties=_train_properties, reference_checks=_train_reference_checks, n_hidden=8,
         uses=("initialize_parameters", "model_forward", "compute_cost", "model_backward",
               "update_parameters"), clauses=TRAIN_CLAUSES),
    Spec("parity_data", _parity_inputs, ("X", "Y"), by_value=False,
         properties=_parity_properties, n_hidden=6, clauses=PARITY_CLAUSES),
    Spec("xor_tree_network", _network_inputs(_XOR_TREE_PUBLIC, _XOR_TREE_HIDDEN), "params",
         by_value=False, properties=_xor_tree_properties, n_public=len(_XOR_TREE_PUBLIC),
         n_hidden=len(_XOR_TREE_PUBLIC + _XOR_TREE_HIDDEN), clauses=XOR_TREE_CLAUSES),
    Spec("dnf_network", _network_inputs(_DNF_PUBLIC, _DNF_HIDDEN), "params", by_value=False,
         properties=_dnf_properties, n_public=len(_DNF_PUBLIC),
         n_hidden=len(_DNF_PUBLIC + _DNF_HIDDEN),
         uses=("parity_data",), clauses=DNF_CLAUSES),
]
