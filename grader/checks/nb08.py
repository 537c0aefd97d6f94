"""How the notebook 08 exercises are tried.

``one_hot``, ``softmax``, ``compute_cost_multiclass``, ``model_forward_multiclass``,
``model_backward_multiclass`` and ``predict_multiclass`` are compared by value. Networks keep
every hidden Z at least 0.05 away from ReLU's kink, with non-square W and nonzero biases; the
backward pass is also compared with centred numeric gradients of the categorical
cross-entropy. Hidden trials at the contracts' edges: a single example (m = 1), two classes,
no hidden layer (softmax regression), a deep network, labels of other integer dtypes, a class
absent from the labels, logits of size 1000 (exp overflows beyond 709) and columns 1000 apart
(one maximum for the whole array is not enough), softmax outputs of exactly 0.

``train_classifier`` is checked by what it does, never by replaying one random stream (the
student's initialisation, shuffling and masks draw from the generator in their own order):

- the result's structure (parameters of ``[n_0, *hidden_units, K]``, one history entry per
  epoch run) and the early-stopping rule read off its own history (a strictly lower dev
  error is an improvement; it stops at the first epoch ``patience`` epochs past the best);
- the returned parameters are the best epoch's: their dev error, computed here on the raw dev
  inputs, is the history's best, and their training cost the history's at that epoch (so the
  normalisation is folded into layer 1, and nothing is measured with dropout on);
- ``learning_rate = 0``: the parameters stay at their initial values, the constant dev error
  stops training after ``patience`` epochs, and every cost and error is the same; on a larger
  network, the initial weights follow He's N(0, 2 / n_{l-1}) layer by layer, and the first
  layer's bias is -W1 mu, mu the *training* set's mean (the normalisation fitted there);
- two generators in the same state give the same run, another generator other weights;
- on the easy trials (well-separated clusters) it learns: the best dev error is below 10%
  and the training cost falls;
- full-batch training without dropout is replayed here, written out (forward, the L2
  gradient, Adam with bias correction), from the student's own initial parameters: every
  train cost, dev error and the returned parameters agree; a replay with a known mistake
  (no bias correction, no L2 term, the step count restarting each epoch, the betas swapped or
  left at their defaults) names it when it is what the student's run did;
- ``keep_prob = 0.5`` trains differently from ``keep_prob = 1`` (dropout is applied).

Two things are left to the notebook's own demonstration: the size of the 1 / keep_prob scaling
(Adam's steps hardly depend on it) and whether Adam's step count t runs over mini-batches or
epochs (a full batch cannot tell them apart).
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ..compare import Mismatch, keys, kind
from ..runner import StudentError
from . import Clause, Spec, agree, beyond, one_example
from .statistics import MEAN_BOUND, mean_square_bounds

# -- shared helpers (this module's own, written out: public checks run in a student copy) ----


def _softmax(Z):
    # through the log of the normaliser (logsumexp), not the notebook's way: this module ships
    # in the student's copy, and must not hold a line of the answer
    top = Z.max(axis=0)
    log_total = top + np.log(np.exp(Z - top).sum(axis=0))
    return np.exp(Z - log_total)


def _forward(X, params):
    """AL of [LINEAR->RELU]*(L-1) -> LINEAR->SOFTMAX, and the activations of every layer."""
    L = len(params) // 2
    A, activations = X, [X]
    with np.errstate(all="ignore"):
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = _softmax(Z) if l == L else np.maximum(Z, 0.0)
            activations.append(A)
    return A, activations


def _cost(AL, Y):
    with np.errstate(all="ignore"):
        return float(-np.sum(Y * np.log(np.where(Y > 0, AL, 1.0))) / Y.shape[1])


def _error(X, Y, params):
    """The fraction of the columns of X whose most probable class is not Y's."""
    AL, _ = _forward(X, params)
    return float(np.mean(np.argmax(AL, axis=0) != np.argmax(Y, axis=0)))


def _away_from_zero(rng, shape, low=0.05, high=3.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def _labels(rng, K, m, every_class=False):
    """m integer labels in 0..K-1; with every_class, each class at least once (m >= K)."""
    y = rng.integers(0, K, m)
    if every_class:
        y[:K] = np.arange(K)
        y = rng.permutation(y)
    return y


def _one_hot(y, K):
    Y = np.zeros((K, y.size))
    Y[y.reshape(-1), np.arange(y.size)] = 1.0
    return Y


# -- one_hot ------------------------------------------------------------------------------

# hidden trials at the contract's edges (public trials are 0 to 2)
_HOT_ONE, _HOT_TWO, _HOT_UINT8, _HOT_TEN = 3, 4, 5, 6


def _one_hot_inputs(rng, i):
    """Public: every one of K = 4 classes present; K = 6 with the largest class (and one
    other) absent, so Y has rows of zeros; int32 labels. Hidden trial 3 has a single example,
    4 two classes, 5 uint8 labels, 6 ten classes; the others random, some without the largest
    class."""
    if i < 3:
        K, m = ((4, 7), (6, 8), (3, 5))[i]
        if i == 1:
            y = rng.choice([0, 1, 3, 4], size=m)
            y[:2] = (0, 4)
        else:
            y = _labels(rng, K, m, every_class=True)
        return {"y": y.reshape(1, -1).astype(np.int32 if i == 2 else np.int64), "K": K}
    K = 2 if i == _HOT_TWO else 10 if i == _HOT_TEN else int(rng.integers(2, 8))
    m = 1 if i == _HOT_ONE else int(rng.integers(3, 15))
    top = K - 1 if i % 2 or i in (_HOT_ONE, _HOT_TWO) else max(K - 2, 1)  # even: no class K - 1
    y = rng.integers(0, top + 1, m)
    dtype = np.uint8 if i == _HOT_UINT8 else np.int64
    return {"y": y.reshape(1, -1).astype(dtype), "K": K}


ONE_HOT_CLAUSES = (
    Clause("type", "Y holds the floats 1.0 and 0.0 (not integers or booleans)",
           by="grader.compare.compare"),
    Clause("type", "labels of any integer dtype (int64, int32, uint8)",
           tried=lambda x: x["y"].dtype != np.int64),
    Clause("shape", "a single example, m = 1: Y is (K, 1)", tried=one_example("y")),
    Clause("shape", "two classes, K = 2", tried=lambda x: x["K"] == 2),
    Clause("boundary", "a class with no example (the largest one too) is a row of zeros: Y "
                       "has K rows, whatever the labels", tried=lambda x: int(x["y"].max()) < x["K"] - 1),
)


# -- softmax ------------------------------------------------------------------------------

SATURATED = 1000.0  # exp overflows beyond 709
_SOFT_ONE, _SOFT_TWO, _SOFT_APART = 3, 4, 5


def _softmax_inputs(rng, i):
    """Public: (4, 5) logits of order 3; (3, 6) logits near 1000 (exp(Z) overflows, exp(Z -
    column max) does not); (6, 3). Hidden: a single example (3), two classes (4), columns whose
    values lie 1000 apart (5, and every third after it: a single maximum for the whole array
    leaves exp(-1000) = 0 in every entry of the columns far below it); others random."""
    if i < 3:
        K, m = ((4, 5), (3, 6), (6, 3))[i]
        Z = 3.0 * rng.standard_normal((K, m))
        return {"Z": SATURATED + Z if i == 1 else Z}
    K = 2 if i == _SOFT_TWO else int(rng.integers(2, 7))
    m = 1 if i == _SOFT_ONE else int(rng.integers(3, 7))
    Z = 3.0 * rng.standard_normal((K, m))
    if i >= _SOFT_APART and (i - _SOFT_APART) % 3 == 0:
        Z = Z + SATURATED * rng.permutation(np.resize([1.0, 0.0, -1.0], m))
    return {"Z": Z}


def _columns_apart(inputs):
    top = np.max(inputs["Z"], axis=0)
    return bool(top.max() - top.min() > 1.5 * SATURATED)


SOFTMAX_CLAUSES = (
    Clause("shape", "a single example, m = 1", tried=one_example("Z")),
    Clause("shape", "two classes, K = 2", tried=lambda x: x["Z"].shape[0] == 2),
    Clause("extreme", "logits near 1000 give finite probabilities, not nan (exp overflows "
                      "beyond 709)", tried=beyond("Z")),
    Clause("per-part", "each column is shifted by its own maximum: columns 1000 apart all come "
                       "out right", tried=_columns_apart),
)


# -- compute_cost_multiclass --------------------------------------------------------------

_COST_ONE, _COST_TWO, _COST_ZEROS = 3, 4, 5


def _cost_inputs(rng, i):
    """AL a softmax of random logits, Y one-hot. Public: (3, 4), (5, 6), (10, 5). Hidden: a
    single example (3), two classes (4), and from 5 on every third trial has saturated columns:
    AL exactly 0.0 in classes the example does not belong to (a softmax of logits 1000
    apart), where Y log AL is 0 * -inf = nan unless 0 log 0 counts as 0."""
    if i < 3:
        K, m = ((3, 4), (5, 6), (10, 5))[i]
    else:
        K = 2 if i == _COST_TWO else int(rng.integers(2, 8))
        m = 1 if i == _COST_ONE else int(rng.integers(2, 9))
    y = _labels(rng, K, m, every_class=m >= K and i < 3)
    Z = 2.0 * rng.standard_normal((K, m))
    if i >= _COST_ZEROS and (i - _COST_ZEROS) % 3 == 0:
        # each example's own class far ahead in some columns: the others get exactly 0.0
        sure = rng.random(m) < 0.5
        sure[0] = True
        Z[y[sure], np.flatnonzero(sure)] += SATURATED
    return {"AL": _softmax(Z), "Y": _one_hot(y, K)}


COST_CLAUSES = (
    Clause("type", "the cost is a plain number, not an array", by="grader.compare.compare"),
    Clause("shape", "a single example, m = 1", tried=one_example("AL")),
    Clause("shape", "two classes, K = 2", tried=lambda x: x["AL"].shape[0] == 2),
    Clause("extreme", "AL exactly 0.0 in a class the example does not belong to (a saturated "
                      "softmax): 0 log 0 counts as 0 and the cost stays finite",
           tried=lambda x: bool(np.any((x["AL"] == 0) & (x["Y"] == 0)))),
)


# -- networks: model_forward_multiclass, model_backward_multiclass, predict_multiclass --------

DEEP = 5  # the depth of the hidden trials' deep networks (four hidden layers)


def _network(rng, depth, K, m, n_x=None):
    """X and params of [n_x, hidden..., K] whose hidden Z all stay 0.05 away from ReLU's kink."""
    n_x = n_x or int(rng.integers(2, 6))
    dims = [n_x] + [int(rng.integers(2, 6)) for _ in range(depth - 1)] + [K]
    while True:
        params = {}
        for l in range(1, depth + 1):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((n_x, m))
        A, hidden_Z = X, []
        for l in range(1, depth):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            hidden_Z.append(Z)
            A = np.maximum(Z, 0.0)
        if all(np.abs(Z).min() > 0.05 for Z in hidden_Z):
            return X, params


def _saturate(rng, params, K):
    """The output layer's bias moved so that one class's logit is ~1000 above the others'
    (AL exactly 1.0 there and 0.0 elsewhere), a class other than 0 for at least one example."""
    L = len(params) // 2
    b = params[f"b{L}"].copy()
    b[int(rng.integers(1, K))] += SATURATED
    return {**params, f"b{L}": b}


# hidden trials at the edges (public trials are 0 to 2)
_NET_ONE, _NET_SOFTMAX_REGRESSION, _NET_DEEP, _NET_SATURATED = 3, 4, 5, 6


def _net_shape(rng, i):
    """(depth, K, m): public (2, 3, 4), (3, 4, 6), (1, 5, 3); hidden: m = 1 (3), one layer and
    two classes (4), a deep network (5), saturated outputs (6, and 9); others random."""
    if i < 3:
        return ((2, 3, 4), (3, 4, 6), (1, 5, 3))[i]
    depth = 1 if i == _NET_SOFTMAX_REGRESSION else DEEP if i == _NET_DEEP else int(rng.integers(1, 4))
    K = 2 if i == _NET_SOFTMAX_REGRESSION else int(rng.integers(2, 6))
    m = 1 if i == _NET_ONE else int(rng.integers(2, 8))
    return depth, K, m


def _saturating(i):
    return i >= _NET_SATURATED and (i - _NET_SATURATED) % 3 == 0


def _forward_inputs(rng, i):
    depth, K, m = _net_shape(rng, i)
    X, params = _network(rng, depth, K, m)
    if _saturating(i):
        params = _saturate(rng, params, K)
    return {"X": X, "params": params}


def _backward_inputs(rng, i):
    from ..reference.nb08 import model_forward_multiclass

    inputs = _forward_inputs(rng, i)
    K = inputs["params"][f"b{len(inputs['params']) // 2}"].shape[0]
    m = inputs["X"].shape[1]
    AL, caches = model_forward_multiclass(inputs["X"], inputs["params"])
    return {"AL": AL, "Y": _one_hot(_labels(rng, K, m, every_class=m >= K and i < 3), K),
            "caches": caches}


def _predict_inputs(rng, i):
    """Networks whose most probable class leads the next one by at least 0.02 in every
    column (no near-ties), and is not class 0 everywhere. In the saturated trials every logit
    is moved up by 1000 (the probabilities do not change): exp(Z) is inf for every class there,
    and a softmax that does not subtract the maximum gives nan, whose argmax is 0."""
    while True:
        depth, K, m = _net_shape(rng, i)
        X, params = _network(rng, depth, K, m)
        AL, _ = _forward(X, params)
        top = np.sort(AL, axis=0)
        if np.all(top[-1] - top[-2] > 0.02) and np.any(np.argmax(AL, axis=0) != 0):
            if _saturating(i):
                params = {**params, f"b{depth}": params[f"b{depth}"] + SATURATED}
            return {"X": X, "params": params}


def _depth(inputs):
    return len(inputs["params"]) // 2


def _output_b(inputs):
    return inputs["params"][f"b{_depth(inputs)}"]


NETWORK_CLAUSES = (
    Clause("shape", "a single example, m = 1", tried=one_example("X")),
    Clause("shape", "no hidden layer (L = 1): softmax regression, two classes",
           tried=lambda x: _depth(x) == 1 and _output_b(x).shape[0] == 2),
    Clause("shape", f"a deep network (L = {DEEP})", tried=lambda x: _depth(x) >= DEEP),
)


def _backward_depth(inputs):
    return len(inputs["caches"])


def _saturated_output(inputs):
    return bool(np.abs(inputs["caches"][-1][1]).max() > SATURATED / 2)


def _model_backward_gradients(trial):
    """Every dW[l] and db[l] against centred differences of the cost of the forward pass
    (this module's own), except where the output saturates (log AL is log 0 there: the cost
    has no finite difference, and the value check, dZ[L] = AL - Y, is the judge)."""
    from ..reference.numeric import numerical_gradient

    caches, Y = trial.inputs["caches"], trial.inputs["Y"]
    if _saturated_output(trial.inputs):
        return
    X = caches[0][0][0]
    params = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        params[f"W{l}"], params[f"b{l}"] = W, b
    got = trial.got
    size = abs(_cost(_forward(X, params)[0], Y))
    for key, value in params.items():
        cost = lambda v, key=key: _cost(_forward(X, {**params, key: v})[0], Y)  # noqa: E731
        if not isinstance(got, dict) or "d" + key not in got:
            raise Mismatch((), f"has no key {'d' + key!r}: one dW and one db per layer")
        agree(("d" + key,), f"d{key} = dJ/d{key}", got["d" + key], numerical_gradient(cost, value), size)


# the step of reference.numeric.numerical_gradient
STEP = 1e-5


BACKWARD_CLAUSES = (
    Clause("shape", "a single example, m = 1", tried=one_example("Y")),
    Clause("shape", "no hidden layer (L = 1)", tried=lambda x: _backward_depth(x) == 1),
    Clause("shape", f"a deep network (L = {DEEP})", tried=lambda x: _backward_depth(x) >= DEEP),
    Clause("shape", "two classes, K = 2", tried=lambda x: x["Y"].shape[0] == 2),
    Clause("extreme", "a saturated output (AL exactly 0.0 and 1.0): dZ[L] = AL - Y stays finite "
                      "where dA[L] = -Y / AL divides by 0", tried=_saturated_output),
    Clause("per-part", "every dW[l] and db[l] agrees with a centred numeric derivative of the "
                       "cross-entropy", by="gradients"),
)


def _integer_labels(trial):
    got = trial.got
    if isinstance(got, np.ndarray) and got.dtype.kind not in "iu":
        what = "booleans" if got.dtype.kind == "b" else str(got.dtype)
        raise Mismatch((), f"holds {what}; labels are integers, like y (np.argmax returns "
                           f"integers: keep them)")


PREDICT_CLAUSES = NETWORK_CLAUSES + (
    Clause("type", "integer labels (np.argmax gives int64), not floats", by="properties"),
    Clause("shape", "a (1, m) row, like y", by="grader.compare.compare"),
    Clause("extreme", "saturated outputs (logits ~ 1000) are classified all the same",
           tried=lambda x: bool(np.abs(_output_b(x)).max() > SATURATED / 2)),
)

FORWARD_CLAUSES = NETWORK_CLAUSES + (
    Clause("shape", "one cache per layer, the output layer's too, as model_forward's",
           by="grader.compare.compare"),
    Clause("extreme", "saturated outputs (logits ~ 1000): AL exactly 0.0 and 1.0, not nan",
           tried=lambda x: bool(np.abs(_output_b(x)).max() > SATURATED / 2)),
)


# -- train_classifier: inputs --------------------------------------------------------------


def _clusters(rng, n, K, m, separation, every_class=True):
    """m points in n dimensions around K centres at least `separation` apart (unit noise),
    and their labels."""
    while True:
        centres = separation * rng.standard_normal((n, K))
        gaps = np.linalg.norm(centres[:, :, None] - centres[:, None, :], axis=0)
        if K == 1 or gaps[np.triu_indices(K, 1)].min() >= separation:
            break
    y = _labels(rng, K, m, every_class=every_class and m >= K)
    return centres[:, y] + rng.standard_normal((n, m)), y


def _problem(rng, n, K, m_train, m_dev, separation, reversed_dev=False, constant=False):
    """Training and dev sets from the same clusters, each feature then scaled by its own
    factor (0.1 to 10) and shifted (by -5 to 5): normalising matters, and mu is not 0. With
    reversed_dev, the dev labels are shifted by one class: the better the network learns the
    training set, the worse its dev error, so the best epoch comes early and training stops.
    With constant, one more feature is constant on the training set (not on the dev set)."""
    X, y = _clusters(rng, n, K, m_train + m_dev, separation)
    scale = 10.0 ** rng.uniform(-1, 1, (n, 1))
    X = scale * X + rng.uniform(-5, 5, (n, 1))
    X_train, y_train, X_dev, y_dev = X[:, :m_train], y[:m_train], X[:, m_train:], y[m_train:]
    if reversed_dev:
        y_dev = (y_dev + 1) % K
    if constant:
        X_train = np.vstack([X_train, np.full((1, m_train), 3.0)])
        X_dev = np.vstack([X_dev, 3.0 + rng.standard_normal((1, m_dev))])
    return X_train, _one_hot(y_train, K), X_dev, _one_hot(y_dev, K)


def _hyper(learning_rate, hidden_units, lambd, keep_prob, beta1, beta2, mini_batch_size, epochs,
           patience):
    return {"learning_rate": float(learning_rate), "hidden_units": [int(h) for h in hidden_units],
            "lambd": float(lambd), "keep_prob": float(keep_prob), "beta1": float(beta1),
            "beta2": float(beta2), "mini_batch_size": int(mini_batch_size), "epochs": int(epochs),
            "patience": int(patience)}


# (kind, n, K, m_train, m_dev, hyper arguments): the public trials, then the hidden ones
_EASY, _REVERSED, _NOISY, _CONSTANT = "easy", "reversed", "noisy", "constant"
_TRAIN_TRIALS = [
    # public: an easy problem (last mini-batch smaller); dev labels that disagree with the
    # training labels (training must stop and restore an early epoch), dropout, two hidden
    # layers, other betas; overlapping clusters in one batch, strong L2 and dropout
    (_EASY, 4, 3, 45, 24, (0.05, [8], 0.1, 1.0, 0.9, 0.999, 16, 12, 3)),
    (_REVERSED, 5, 4, 40, 20, (0.03, [10, 6], 0.5, 0.8, 0.8, 0.99, 12, 15, 2)),
    (_NOISY, 3, 3, 30, 30, (0.02, [12], 2.0, 0.7, 0.7, 0.95, 30, 6, 10)),
    # hidden: softmax regression on two classes, one batch larger than m
    (_EASY, 3, 2, 30, 20, (0.1, [], 0.2, 1.0, 0.9, 0.999, 64, 10, 3)),
    # reversed dev labels with a deep network and patience 1
    (_REVERSED, 4, 3, 36, 18, (0.03, [8, 8, 6], 0.3, 0.9, 0.85, 0.995, 10, 12, 1)),
    # a feature constant on the training set (sigma = 0 there)
    (_CONSTANT, 4, 3, 40, 20, (0.05, [8], 0.1, 1.0, 0.9, 0.999, 16, 10, 3)),
    # ten classes
    (_EASY, 6, 10, 80, 40, (0.03, [16], 0.05, 1.0, 0.9, 0.999, 32, 8, 3)),
    # overlapping clusters, dropout, mini-batches of 7
    (_NOISY, 3, 4, 35, 28, (0.02, [10], 1.0, 0.6, 0.9, 0.99, 7, 6, 3)),
]
N_PUBLIC_TRAIN = 3


def _train_inputs(rng, i):
    kind_, n, K, m_train, m_dev, args = _TRAIN_TRIALS[i]
    X_train, Y_train, X_dev, Y_dev = _problem(
        rng, n, K, m_train, m_dev, separation=2.0 if kind_ == _NOISY else 8.0,
        reversed_dev=kind_ == _REVERSED, constant=kind_ == _CONSTANT)
    return {"X_train": X_train, "Y_train": Y_train, "X_dev": X_dev, "Y_dev": Y_dev,
            "hyper": _hyper(*args), "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _is_easy(inputs):
    """Well-separated clusters with the dev labels the training labels' classes."""
    return _kind(inputs) in (_EASY, _CONSTANT)


def _kind(inputs):
    for kind_, n, K, m_train, m_dev, args in _TRAIN_TRIALS:
        hyper = _hyper(*args)
        if inputs["hyper"] == hyper and inputs["Y_train"].shape == (K, m_train):
            return kind_
    return ""


# -- train_classifier: properties ------------------------------------------------------------


def _normalizer(X):
    """fit_normalizer's mu and sigma: 1 / m standard deviation, 1 for a constant feature."""
    mu = np.mean(X, axis=1, keepdims=True)
    sigma = np.sqrt(np.mean((X - mu) ** 2, axis=1, keepdims=True))
    constant = np.all(X == X[:, :1], axis=1, keepdims=True)
    return mu, np.where(constant, 1.0, sigma)


def _dims(inputs, hyper=None):
    hyper = hyper or inputs["hyper"]
    return [inputs["X_train"].shape[0], *hyper["hidden_units"], inputs["Y_train"].shape[0]]


def _call(trial, situation, **hyper_changes):
    """The student's train_classifier on the trial's data with some hyperparameters changed
    (and rng, if given); a failure says in which call."""
    rng = hyper_changes.pop("rng", None)
    changes = {"hyper": {**trial.inputs["hyper"], **hyper_changes}}
    if rng is not None:
        changes["rng"] = rng
    try:
        return trial.call(**changes)
    except StudentError as e:
        raise Mismatch((), f"could not be checked further: called again {situation}, {e}") from None


def _described(changes: dict) -> str:
    return "with " + ", ".join(f"{k} = {v}" for k, v in changes.items())


def _number(value):
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def _result(result, dims, hyper, m_dev, situation=""):
    """(params, train_cost, dev_error) of a returned (params, history), or Mismatch."""
    where = f" ({situation})" if situation else ""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mismatch((), f"should be a pair (params, history){where}, got {kind(result)}")
    params, history = result
    if isinstance(history, dict) and "W1" in history:
        raise Mismatch((), f"is (history, params){where}: return (params, history), params first")
    L = len(dims) - 1
    wanted = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
    if not isinstance(params, dict):
        raise Mismatch((0,), f"should be a dict of parameters{where}, got {kind(params)}")
    missing = [k for k in wanted if k not in params]
    if missing:
        raise Mismatch((0,), f"has no key {missing[0]!r}{where} (its keys: {keys(params)}); the "
                             f"network [n_0, *hidden_units, K] = {dims} has L = {L} layers")
    extra = [k for k in params if k not in wanted]
    if extra:
        raise Mismatch((0,), f"has unexpected keys {keys(extra)}{where}: return W1, b1 ... W{L}, "
                             f"b{L} only (fold the normalisation into layer 1 rather than "
                             f"returning mu and sigma)")
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            value = params[key]
            if type(value) is not np.ndarray or value.dtype.kind != "f":
                raise Mismatch((0, key), f"should be a float numpy array{where}, got {kind(value)}")
            if value.shape != shape:
                raise Mismatch((0, key), f"has shape {value.shape}{where}, expected {shape} (the "
                                         f"network is [n_0, *hidden_units, K] = {dims})")
            if not np.all(np.isfinite(value)):
                raise Mismatch((0, key), f"is not finite{where}: training diverged, or a division "
                                         f"by zero (a feature constant on the training set has "
                                         f"sigma = 0: divide it by 1, as fit_normalizer does)")
    if not isinstance(history, dict):
        raise Mismatch((1,), f"should be a dict with the lists 'train_cost' and 'dev_error'{where}, "
                             f"got {kind(history)}")
    lists = []
    for name in ("train_cost", "dev_error"):
        if name not in history:
            raise Mismatch((1,), f"has no key {name!r}{where} (its keys: {keys(history)})")
        values = history[name]
        if isinstance(values, np.ndarray) and values.ndim == 1:
            values = list(values)
        if not isinstance(values, (list, tuple)):
            raise Mismatch((1, name), f"should be a list, one number per epoch{where}, got "
                                      f"{kind(values)}")
        numbers_ = [_number(v) for v in values]
        if any(v is None for v in numbers_):
            bad = values[[v is None for v in numbers_].index(True)]
            raise Mismatch((1, name), f"holds {kind(bad)}{where}: one number (a float) per epoch")
        lists.append(numbers_)
    costs, errors = lists
    E = len(errors)
    if len(costs) != E:
        raise Mismatch((1,), f"has {len(costs)} train costs and {E} dev errors{where}: one of each "
                             f"per epoch run")
    if not 1 <= E <= hyper["epochs"]:
        raise Mismatch((1, "dev_error"), f"has {E} values{where}, for epochs = {hyper['epochs']}: "
                                         f"one per epoch run, at least one and at most epochs")
    for e, c in enumerate(costs):
        if not (np.isfinite(c) and c >= 0):
            raise Mismatch((1, "train_cost", e), f"is {c}{where}: a cross-entropy is a finite "
                                                 f"number >= 0")
    for e, d in enumerate(errors):
        if not (0 <= d <= 1 and abs(d * m_dev - round(d * m_dev)) < 1e-6):
            raise Mismatch((1, "dev_error", e), f"is {d}{where}: the dev error is the fraction of "
                                                f"the {m_dev} dev examples misclassified (a "
                                                f"multiple of 1/{m_dev} between 0 and 1)")
    return params, costs, errors


def _stopping(errors, patience, strict=True):
    """(stop, best) by the rule: the best is the first epoch with the lowest error so far
    (strictly lower counts); training stops at the first epoch `patience` epochs past it.
    stop is None where the rule does not stop within the epochs run. strict=False: the rule
    with ties counted as improvements (a mistake)."""
    best = 0
    for epoch, error in enumerate(errors):
        better = error < errors[best] or (not strict and error == errors[best] and epoch > 0)
        best = epoch if better else best
        if epoch - best == patience:
            return epoch, best
    return None, best


def _check_stopping(errors, hyper, where=""):
    patience, epochs = hyper["patience"], hyper["epochs"]
    stop, best = _stopping(errors, patience)
    E = len(errors)
    if stop is not None and E - 1 > stop:
        # which wrong rule would have stopped exactly here
        late = _stopping(errors, patience + 1)[0] == E - 1
        ties = _stopping(errors, patience, strict=False)[0]
        ties = ties == E - 1 or (ties is None and E == epochs)
        reasons = []
        if late and not ties:
            reasons.append("one epoch too many: stop at the first epoch that is patience epochs "
                           "past the best, epoch - best >= patience")
        if ties:
            reasons.append("only a strictly lower dev error counts as an improvement (an equal "
                           "one does not, or a plateau never stops)")
        if E == epochs or not reasons:
            reasons.append("does the loop use patience, and count the epochs since the best?")
        why = "; ".join(reasons)
        raise Mismatch((1, "dev_error"), f"went on for {E} epochs{where}, but epoch {stop} was "
                                         f"patience = {patience} epochs past the best (epoch "
                                         f"{best}, dev error {errors[best]:.4g}, and no strictly "
                                         f"lower one since): training stops there; {why}")
    if stop is None and E < epochs:
        raise Mismatch((1, "dev_error"), f"stopped after {E} epochs{where}, but the last epoch, "
                                         f"{E - 1}, is only {E - 1 - best} epochs past the "
                                         f"best (epoch {best}), fewer than patience = "
                                         f"{patience}: go on until an epoch is patience epochs "
                                         f"past the best (only a strictly lower dev error is a "
                                         f"new best), or until epochs = {epochs}")


def _check_restored(params, costs, errors, inputs, where=""):
    """The returned parameters are the best epoch's: measured here on the raw inputs."""
    best = int(np.argmin(errors))
    got_error = _error(inputs["X_dev"], inputs["Y_dev"], params)
    got_cost = _cost(_forward(inputs["X_train"], params)[0], inputs["Y_train"])
    if got_error == errors[best] and np.isclose(got_cost, costs[best], rtol=1e-6, atol=1e-9):
        return
    last = len(errors) - 1
    if best != last and got_error == errors[last] and np.isclose(got_cost, costs[last], rtol=1e-6, atol=1e-9):
        raise Mismatch((0,), f"are the last epoch's{where} (epoch {last}: dev error "
                             f"{errors[last]:.4g}, training cost {costs[last]:.6g}), not the best "
                             f"epoch's (epoch {best}: dev error {errors[best]:.4g}): keep a copy of "
                             f"the parameters at each new best and restore the best epoch's "
                             f"parameters at the end")
    if got_error != errors[best]:
        raise Mismatch((0,), f"have dev error {got_error:.4g}{where} (computed on the raw X_dev, "
                             f"without dropout), but history's best is {errors[best]:.4g}, at "
                             f"epoch {best}. Return the best epoch's parameters, acting on raw "
                             f"inputs (the normalisation folded into layer 1), and measure the dev "
                             f"error without dropout")
    raise Mismatch((1, "train_cost", best), f"is {costs[best]:.6g}{where}, but the returned "
                                            f"parameters (those of epoch {best}, the best) have a "
                                            f"training cost of {got_cost:.6g}: train_cost is the "
                                            f"cross-entropy of the whole training set after the "
                                            f"epoch, without dropout and without the L2 term (not "
                                            f"the mean of the mini-batches' costs)")


def _fold(params, mu, sigma):
    """Normalised-space parameters -> parameters acting on raw inputs."""
    W1 = params["W1"] / sigma.T
    return {**params, "W1": W1, "b1": params["b1"] - W1 @ mu}


def _unfold(params, mu, sigma):
    W1 = params["W1"] * sigma.T
    return {**params, "W1": W1, "b1": params["b1"] + params["W1"] @ mu}


def _check_frozen(trial):
    """learning_rate = 0: the initial parameters, a constant dev error that stops training
    after patience epochs, every measurement the same. Returns the initial parameters (raw)."""
    inputs, hyper = trial.inputs, trial.inputs["hyper"]
    epochs = min(hyper["epochs"], hyper["patience"] + 2)
    changes = {"learning_rate": 0.0, "epochs": epochs}
    where = _described(changes)
    result = _call(trial, where, **changes)
    params, costs, errors = _result(result, _dims(inputs), {**hyper, **changes},
                                    inputs["Y_dev"].shape[1], where)
    if len(set(errors)) > 1:
        raise Mismatch((1, "dev_error"), f"changed from epoch to epoch {where} ({errors}), with "
                                         f"parameters that cannot move: measure the dev error "
                                         f"without dropout")
    if not np.allclose(costs, costs[0], rtol=1e-9, atol=1e-12):
        raise Mismatch((1, "train_cost"), f"changed from epoch to epoch {where}, with parameters "
                                          f"that cannot move: measure the training cost on the "
                                          f"whole training set, without dropout, after the epoch "
                                          f"(not the mean of the mini-batches' costs)")
    expected = min(epochs, hyper["patience"] + 1)
    if len(errors) != expected:
        raise Mismatch((1, "dev_error"), f"has {len(errors)} values {where}: the dev error never "
                                         f"improves (strictly) after epoch 0, so training stops at "
                                         f"epoch patience = {hyper['patience']}, after "
                                         f"{expected} epochs (the first epoch patience epochs "
                                         f"past the best)")
    L = len(params) // 2
    for l in range(2, L + 1):
        if np.any(params[f"b{l}"] != 0):
            raise Mismatch((0, f"b{l}"), f"is not zero {where}: the biases start at 0 (only W is "
                                         f"drawn at random) and a learning rate of 0 leaves them")
    _check_folded(params, inputs, where)
    _check_restored(params, costs, errors, inputs, where=f" {where}")
    return params


def _check_folded(params, inputs, where):
    """b1 = -W1 mu_train: layer 1 applied to (X - mu) / sigma, with b1 = 0 at the start."""
    X_train, X_dev = inputs["X_train"], inputs["X_dev"]
    W1, b1 = params["W1"], params["b1"]
    candidates = {
        "train": np.mean(X_train, axis=1, keepdims=True),
        "dev": np.mean(X_dev, axis=1, keepdims=True),
        "all": np.mean(np.hstack([X_train, X_dev]), axis=1, keepdims=True),
    }
    scale = float(np.abs(W1).sum(axis=1).max() * np.abs(candidates["train"]).max()) + 1.0

    def fits(mu):
        return np.allclose(b1, -W1 @ mu, rtol=1e-7, atol=1e-10 * scale)

    if fits(candidates["train"]):
        return
    if fits(candidates["dev"]):
        why = "that is -W1 mu with mu the dev set's mean: fit the normalisation on the training set"
    elif fits(candidates["all"]):
        why = ("that is -W1 mu with mu the mean of training and dev sets together: fit the "
               "normalisation on the training set only")
    elif np.all(b1 == 0):
        why = ("b1 is 0, as initialised: normalise the inputs with the training set's mu and "
               "sigma, and fold that into layer 1 before returning (W1 / sigma^T, and b1 - "
               "(W1 / sigma^T) mu), so that the parameters act on raw inputs")
    else:
        why = "fold the normalisation into layer 1: W1 / sigma^T, and b1 - (W1 / sigma^T) mu"
    raise Mismatch((0, "b1"), f"is not -W1 mu_train {where}, with mu_train the training set's "
                              f"mean (b1 starts at 0 and the learning rate is 0): {why}")


# A network big enough to judge the initial weights layer by layer (3600, 7200 and 600 of
# them); its input has one feature constant on the training set (sigma = 1 there), and a dev
# set scaled and shifted, so that statistics fitted on it stand out
_INIT_HIDDEN = [120, 60]


def _init_data():
    rng = np.random.default_rng(8)
    X = rng.uniform(-2.0, 3.0, (30, 8))
    X[7] = 2.5
    return X, _one_hot(np.arange(8) % 10, 10), 10 * X + 5, _one_hot(np.arange(8)[::-1] % 10, 10)


# The initial weights are judged by tests a correct implementation fails with probability at
# most FALSE_ALARM each (checks/statistics.py)


def _check_initial_weights(trial):
    """He's N(0, 2 / n_{l-1}), layer by layer, on a larger network (learning_rate = 0)."""
    X, Y, X_dev, Y_dev = _init_data()
    hyper = {**trial.inputs["hyper"], "hidden_units": list(_INIT_HIDDEN), "learning_rate": 0.0,
             "epochs": 1, "mini_batch_size": 8}
    where = (f"with hidden_units = {_INIT_HIDDEN}, 30 input features, K = 10 and "
             f"learning_rate = 0")
    try:
        result = trial.call(X_train=X, Y_train=Y, X_dev=X_dev, Y_dev=Y_dev, hyper=hyper)
    except StudentError as e:
        raise Mismatch((), f"could not be checked further: called again {where}, {e}") from None
    dims = [30, *_INIT_HIDDEN, 10]
    params, _, _ = _result(result, dims, hyper, 8, where)
    mu, sigma = _normalizer(X)
    start = _unfold(params, mu, sigma)
    start_W1 = start["W1"]
    typical = math.sqrt(2.0 / 30)
    if np.abs(start_W1[:, 7]).max() > 100 * typical:
        raise Mismatch((0, "W1"), f"{where}: the column of a feature that is constant on the "
                                  f"training set is {np.abs(start_W1[:, 7]).max() / typical:.3g} "
                                  f"times too large once multiplied back by sigma = 1: its "
                                  f"standard deviation is 0, so divide it by 1 (fit_normalizer's "
                                  f"convention), not by 0 or a tiny epsilon")
    how = "(He initialisation: initialize_parameters_he, or N(0, 1) times sqrt(2 / n_{l-1}))"
    for l in range(1, len(dims)):
        W = start[f"W{l}"]
        sd = math.sqrt(2.0 / dims[l - 1])
        w = (W / sd).ravel()
        size = float(np.sqrt(np.sum(w * w)))
        if size and abs(float(np.sum(w))) / size > MEAN_BOUND:
            raise Mismatch((0, f"W{l}"), f"{where}, has mean {W.mean():.3g} at the start in layer "
                                         f"{l}: W[l] ~ N(0, 2 / n_{{l-1}}) has mean 0 {how}")
        low, high = mean_square_bounds(w.size)
        ratio = float(np.mean(w * w))
        if not low <= ratio <= high:
            fitted_on_dev = l == 1 and low <= ratio * 100 <= high
            extra = (" (the dev set's sigma is 10 times the training set's here: fit the "
                     "normalisation on the training set)") if fitted_on_dev else ""
            raise Mismatch((0, f"W{l}"), f"{where}, starts with standard deviation "
                                         f"{sd * math.sqrt(ratio):.3g} (root mean square, measured "
                                         f"on the normalised inputs) in layer {l}, where He's "
                                         f"initialisation has sqrt(2 / {dims[l - 1]}) = {sd:.3g}"
                                         f"{extra} {how}")


def _check_same_rng(trial, params, costs, errors):
    again = _call(trial, "with a generator in the same state")
    same_params, same_costs, same_errors = _result(again, _dims(trial.inputs), trial.inputs["hyper"],
                                                   trial.inputs["Y_dev"].shape[1],
                                                   "called again with a generator in the same state")
    if not (all(np.array_equal(params[k], same_params[k]) for k in params)
            and costs == same_costs and errors == same_errors):
        raise Mismatch((0,), "came out different for two generators in the same state: draw every "
                             "random number (initialisation, shuffling, dropout masks) from the "
                             "rng argument, never from np.random or a generator of your own")


def _check_other_rng(trial, start):
    changes = {"learning_rate": 0.0, "epochs": 1}
    other = _call(trial, "with another generator and learning_rate = 0",
                  rng=np.random.default_rng(12345), **changes)
    params, _, _ = _result(other, _dims(trial.inputs), {**trial.inputs["hyper"], **changes},
                           trial.inputs["Y_dev"].shape[1], "with another generator")
    if np.array_equal(params["W1"], start["W1"]):
        raise Mismatch((0, "W1"), "starts the same for two different generators: draw the "
                                  "initial weights from the rng argument (do not create a "
                                  "generator of your own)")


def _check_learned(costs, errors):
    if min(errors) > 0.1:
        raise Mismatch((1, "dev_error"), f"is at best {min(errors):.3g} on this easy problem "
                                         f"(well-separated clusters): a working classifier gets "
                                         f"below 0.1 within a few epochs. Are the mini-batches' "
                                         f"examples still with their own labels (one permutation "
                                         f"for X and Y), and does each step use the updated "
                                         f"parameters?")
    if not costs[-1] < costs[0]:
        raise Mismatch((1, "train_cost"), f"did not fall on this easy problem (from {costs[0]:.4g} "
                                          f"to {costs[-1]:.4g}): Adam steps downhill")


# -- train_classifier: the full-batch replay ------------------------------------------------

_VARIANTS = {
    "": "",
    "no bias correction": "Adam's bias correction is missing: divide v by 1 - beta1^t and s by "
                          "1 - beta2^t (t counts the steps from 1) before the step",
    "no L2": "the L2 term is missing from the gradient: dW[l] gets (lambd / m) W[l] added",
    "t per epoch": "Adam's step count t restarts at 1 every epoch: it counts every step since "
                   "the start of training",
    "betas swapped": "beta1 and beta2 are swapped: v uses beta1, s uses beta2",
    "default betas": "Adam ignores hyper's beta1 and beta2 (it uses 0.9 and 0.999)",
}


def _replay(inputs, hyper, start, variant=""):
    """Full-batch training without dropout, written out, from the raw initial parameters
    ``start``: (params, train_cost, dev_error) as train_classifier should return them."""
    X_train, Y_train, X_dev, Y_dev = (inputs[k] for k in ("X_train", "Y_train", "X_dev", "Y_dev"))
    mu, sigma = _normalizer(X_train)
    N_train, N_dev = (X_train - mu) / sigma, (X_dev - mu) / sigma
    params = _unfold(start, mu, sigma)
    L = len(params) // 2
    m = X_train.shape[1]
    lr, lambd = hyper["learning_rate"], 0.0 if variant == "no L2" else hyper["lambd"]
    beta1, beta2 = hyper["beta1"], hyper["beta2"]
    if variant == "betas swapped":
        beta1, beta2 = beta2, beta1
    elif variant == "default betas":
        beta1, beta2 = 0.9, 0.999
    v = {k: np.zeros(p.shape) for k, p in params.items()}
    s = {k: np.zeros(p.shape) for k, p in params.items()}
    costs, errors = [], []
    best, best_params = 0, params
    with np.errstate(all="ignore"):
        for epoch in range(hyper["epochs"]):
            t = 1 if variant == "t per epoch" else epoch + 1
            AL, activations = _forward(N_train, params)
            dZ = AL - Y_train
            grads = {}
            for l in range(L, 0, -1):
                A_prev = activations[l - 1]
                grads[f"W{l}"] = dZ @ A_prev.T / m + (lambd / m) * params[f"W{l}"]
                grads[f"b{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
                if l > 1:
                    dZ = (params[f"W{l}"].T @ dZ) * (activations[l - 1] > 0)
            new = {}
            for k, p in params.items():
                v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
                s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
                if variant == "no bias correction":
                    v_hat, s_hat = v[k], s[k]
                else:
                    v_hat, s_hat = v[k] / (1 - beta1 ** t), s[k] / (1 - beta2 ** t)
                new[k] = p - lr * v_hat / (np.sqrt(s_hat) + 1e-8)
            params = new
            costs.append(_cost(_forward(N_train, params)[0], Y_train))
            errors.append(_error(N_dev, Y_dev, params))
            if epoch == 0 or errors[epoch] < errors[best]:
                best, best_params = epoch, params
            elif epoch - best >= hyper["patience"]:
                break
    return _fold(best_params, mu, sigma), costs, errors


def _agrees(got, expected):
    params, costs, errors = got
    want_params, want_costs, want_errors = expected
    return (len(costs) == len(want_costs) and errors == want_errors
            and np.allclose(costs, want_costs, rtol=1e-6, atol=1e-9)
            and all(np.allclose(params[k], want_params[k], rtol=1e-6, atol=1e-9) for k in want_params))


# the full-batch replay's number of epochs
_REPLAY_EPOCHS = 3


def _check_replayed(trial):
    """Full batch, no dropout, three epochs: the run as written out here, from the student's
    own initial parameters (returned by the same call with learning_rate = 0). Then
    keep_prob = 0.5 must train differently."""
    inputs = trial.inputs
    m = inputs["X_train"].shape[1]
    changes = {"mini_batch_size": m, "keep_prob": 1.0, "epochs": _REPLAY_EPOCHS,
               "patience": _REPLAY_EPOCHS}
    where = _described(changes)
    hyper = {**inputs["hyper"], **changes}
    dims, m_dev = _dims(inputs), inputs["Y_dev"].shape[1]
    start_changes = {**changes, "learning_rate": 0.0, "epochs": 1}
    start, _, _ = _result(_call(trial, _described(start_changes), **start_changes), dims,
                          {**hyper, **start_changes}, m_dev, _described(start_changes))
    got = _result(_call(trial, where, **changes), dims, hyper, m_dev, where)
    if _agrees(got, _replay(inputs, hyper, start)):
        if len(dims) > 2:
            _check_dropout_used(trial, got, hyper, dims, m_dev)
        return
    named = next((why for variant, why in _VARIANTS.items()
                  if variant and _agrees(got, _replay(inputs, hyper, start, variant))), "")
    params, costs, errors = got
    want_params, want_costs, want_errors = _replay(inputs, hyper, start)
    if len(costs) != len(want_costs) or errors != want_errors:
        first = f"dev_error is {errors}, expected {want_errors}"
        path = (1, "dev_error")
    elif not np.allclose(costs, want_costs, rtol=1e-6, atol=1e-9):
        e = int(np.argmax(~np.isclose(costs, want_costs, rtol=1e-6, atol=1e-9)))
        first = f"train_cost[{e}] is {costs[e]:.8g}, expected {want_costs[e]:.8g}"
        path = (1, "train_cost", e)
    else:
        key = next(k for k in want_params if not np.allclose(params[k], want_params[k], rtol=1e-6, atol=1e-9))
        first = f"{key} differs (largest difference {np.abs(params[key] - want_params[key]).max():.3g})"
        path = (0, key)
    raise Mismatch(path, f"{where}: the run differs from full-batch Adam written out from your own "
                         f"initial parameters (those returned with learning_rate = 0): {first}. "
                         + (f"It is what you get when {named}." if named else
                            "Each epoch: normalise with the training set's mu and sigma, one step "
                            "of Adam (bias-corrected, epsilon 1e-8, t counting the steps from 1) on "
                            "the gradients of the cross-entropy plus the L2 term (lambd / m) W[l], "
                            "then the training set's cost and the dev error."))


def _check_dropout_used(trial, got, hyper, dims, m_dev):
    changes = {"mini_batch_size": hyper["mini_batch_size"], "keep_prob": 0.5,
               "epochs": _REPLAY_EPOCHS, "patience": _REPLAY_EPOCHS}
    where = _described(changes)
    dropped = _result(_call(trial, where, **changes), dims, {**hyper, **changes}, m_dev, where)
    if all(np.array_equal(dropped[0][k], got[0][k]) for k in got[0]) and dropped[1] == got[1]:
        raise Mismatch((0,), f"{where} are those of keep_prob = 1: dropout is not applied. In "
                             f"training, each hidden layer's activations go through inverted "
                             f"dropout (dropout_forward) and the backward pass through the same "
                             f"masks")


def _train_properties(trial):
    inputs, hyper = trial.inputs, trial.inputs["hyper"]
    params, costs, errors = _result(trial.got, _dims(inputs), hyper, inputs["Y_dev"].shape[1])
    _check_stopping(errors, hyper)
    start = _check_frozen(trial)
    _check_restored(params, costs, errors, inputs)
    if _is_easy(inputs):
        _check_learned(costs, errors)
    _check_initial_weights(trial)
    _check_same_rng(trial, params, costs, errors)
    _check_other_rng(trial, start)
    _check_replayed(trial)


def _reversed(inputs):
    return _kind(inputs) == _REVERSED


TRAIN_CLAUSES = (
    Clause("type", "parameters are float64 arrays of [n_0, *hidden_units, K]; train_cost and "
                   "dev_error one float each per epoch run", by="properties"),
    Clause("randomness", "the same rng state gives the same run, another rng other initial "
                         "weights", by="properties"),
    Clause("per-part", "every layer starts He-initialised, W[l] ~ N(0, 2 / n_{l-1}), judged layer "
                       "by layer", by="properties"),
    Clause("boundary", "learning_rate = 0: the initial parameters come back, and the constant dev "
                       "error stops training after patience epochs", by="properties"),
    Clause("boundary", "only a strictly lower dev error is an improvement; training stops at the "
                       "first epoch patience epochs past the best", by="properties"),
    Clause("boundary", "the returned parameters are the best epoch's (restored), not the last "
                       "epoch's", tried=_reversed),
    Clause("boundary", "patience = 1: training stops one epoch after the best",
           tried=lambda x: x["hyper"]["patience"] == 1),
    Clause("boundary", "a mini_batch_size larger than m: one mini-batch",
           tried=lambda x: x["hyper"]["mini_batch_size"] > x["X_train"].shape[1]),
    Clause("boundary", "a feature constant on the training set (sigma = 0): divided by 1, as "
                       "fit_normalizer does", tried=lambda x: _kind(x) == _CONSTANT),
    Clause("boundary", "normalisation fitted on the training set only, folded into layer 1: the "
                       "parameters act on raw inputs", by="properties"),
    Clause("boundary", "Adam with bias correction, the L2 term in every dW[l], hyper's betas",
           by="properties"),
    Clause("shape", "no hidden layer (hidden_units = []), two classes",
           tried=lambda x: not x["hyper"]["hidden_units"] and x["Y_train"].shape[0] == 2),
    Clause("shape", "three hidden layers", tried=lambda x: len(x["hyper"]["hidden_units"]) >= 3),
    Clause("shape", "ten classes", tried=lambda x: x["Y_train"].shape[0] == 10),
    Clause("shape", "m not a multiple of mini_batch_size (a smaller last mini-batch)",
           tried=lambda x: x["X_train"].shape[1] % x["hyper"]["mini_batch_size"] != 0
           and x["hyper"]["mini_batch_size"] < x["X_train"].shape[1]),
)


SPECS = [
    Spec("one_hot", _one_hot_inputs, "Y", n_hidden=9, clauses=ONE_HOT_CLAUSES),
    Spec("softmax", _softmax_inputs, "A", n_hidden=9, clauses=SOFTMAX_CLAUSES),
    Spec("compute_cost_multiclass", _cost_inputs, "cost", n_hidden=9, clauses=COST_CLAUSES),
    Spec("model_forward_multiclass", _forward_inputs, ("AL", "caches"), n_hidden=10,
         uses=("softmax",), clauses=FORWARD_CLAUSES),
    Spec("model_backward_multiclass", _backward_inputs, "grads", n_hidden=10,
         gradients=_model_backward_gradients, clauses=BACKWARD_CLAUSES),
    Spec("predict_multiclass", _predict_inputs, "labels", n_hidden=10,
         properties=_integer_labels, uses=("model_forward_multiclass",), clauses=PREDICT_CLAUSES),
    Spec("train_classifier", _train_inputs, ("params", "history"), by_value=False,
         properties=_train_properties, n_public=N_PUBLIC_TRAIN, n_hidden=len(_TRAIN_TRIALS),
         uses=("model_forward_multiclass", "model_backward_multiclass", "compute_cost_multiclass",
               "predict_multiclass"), clauses=TRAIN_CLAUSES),
]
