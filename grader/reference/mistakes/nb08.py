"""Mistakes in notebook 08, as students make them."""
from __future__ import annotations

import numpy as np

from .. import nb08 as _reference
from ..nb01 import linear_backward, relu, sigmoid, sigmoid_backward
from ..nb04 import fit_normalizer, normalize
from ..nb05 import initialize_parameters_he
from ..nb06 import initialize_adam, random_mini_batches, update_parameters_with_adam
from ..nb08 import model_forward_multiclass, softmax
from . import GLOBAL_RANDOM, Mistake, in_float32

M = Mistake

# -- one_hot ---------------------------------------------------------------------------------


def _one_hot_whole_rows(y, K):
    Y = np.zeros((K, y.shape[1]))
    Y[y] = 1.0  # y indexes rows: every row with a label is set, in every column
    return Y


def _one_hot_integers(y, K):
    Y = np.zeros((K, y.shape[1]), dtype=int)
    Y[y[0], np.arange(y.shape[1])] = 1
    return Y


# -- softmax ---------------------------------------------------------------------------------


def _softmax_naive(Z):
    E = np.exp(Z)  # inf beyond 709: inf / inf = nan
    return E / np.sum(E, axis=0, keepdims=True)


def _softmax_global_max(Z):
    E = np.exp(Z - np.max(Z))  # one max for the whole array: columns far below it underflow to 0
    return E / np.sum(E, axis=0, keepdims=True)


def _softmax_rows(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


def _softmax_row_max(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))  # a constant per row does not cancel
    return E / np.sum(E, axis=0, keepdims=True)


# -- model_forward_multiclass -------------------------------------------------------------------


def _model_forward(X, params, hidden="relu", output="softmax", relu_first=False, keep_last=True):
    """The forward pass with one thing changed: the hidden or output activation, a ReLU before
    the softmax, or the last cache left out."""
    g_hidden = {"relu": relu, "softmax": softmax}[hidden]
    g_out = {"softmax": softmax, "sigmoid": sigmoid, "rows": _softmax_rows, "naive": _softmax_naive}[output]
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = W @ A + b
        cache = ((A, W, b), Z)
        A = g_out(relu(Z) if relu_first else Z) if l == L else g_hidden(Z)
        if l < L or keep_last:
            caches.append(cache)
    return A, caches


# -- model_backward_multiclass ------------------------------------------------------------------


def _model_backward(AL, Y, caches, dZL=lambda AL, Y: AL - Y, hidden="relu", linear=linear_backward):
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear(dZL(AL, Y), caches[L - 1][0])
    for l in range(L - 1, 0, -1):
        linear_cache, Z = caches[l - 1]
        g = {"relu": lambda dA, Z: dA * (Z > 0), "sigmoid": sigmoid_backward}[hidden]
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear(g(dA, Z), linear_cache)
    return grads


def _linear_backward_without_m(dZ, cache):
    A_prev, W, _ = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


def _through_jacobian(AL, Y):
    dA = -Y / AL  # 0 / 0 = nan where a saturated softmax gives AL = 0 and Y = 0
    return AL * (dA - np.sum(AL * dA, axis=0, keepdims=True))


# -- predict_multiclass -----------------------------------------------------------------------


def _predict_naive(X, params):
    AL, _ = _model_forward(X, params, output="naive")
    return np.argmax(AL, axis=0).reshape(1, -1)  # the argmax of a nan column is 0


# -- train_classifier ---------------------------------------------------------------------------


def _train(X_train, Y_train, X_dev, Y_dev, hyper, rng, *, restore=True, fit_on="train", fold=True,
           patience_rule="right", dropout_when_measuring=False, cost_of="whole set", init="he",
           use_lambd=True, bias_correction=True, shuffle="right", use_keep_prob=True,
           modify_hyper=False):
    """The reference train_classifier with one thing done wrong."""
    if modify_hyper:
        hyper.setdefault("epsilon", 1e-8)  # adds a key to the caller's dict
    fit = {"train": X_train, "dev": X_dev, "all": np.hstack([X_train, X_dev])}[fit_on]
    mu, sigma = fit_normalizer(fit)
    N_train, N_dev = normalize(X_train, mu, sigma), normalize(X_dev, mu, sigma)
    dims = [X_train.shape[0], *hyper["hidden_units"], Y_train.shape[0]]
    if init == "he":
        params = initialize_parameters_he(dims, rng)
    else:  # the notebook 01 default, 0.01
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = 0.01 * rng.standard_normal((dims[l], dims[l - 1]))
            params[f"b{l}"] = np.zeros((dims[l], 1))
    v, s = initialize_adam(params)
    t = 0
    keep_prob = hyper["keep_prob"] if use_keep_prob else 1.0
    lambd = hyper["lambd"] if use_lambd else 0.0
    labels_dev = np.argmax(Y_dev, axis=0)
    history = {"train_cost": [], "dev_error": []}
    best, best_params = 0, params
    for epoch in range(hyper["epochs"]):
        batch_costs = []
        if shuffle == "global":
            order = np.random.permutation(N_train.shape[1])
            batches = [(N_train[:, order[k:k + hyper["mini_batch_size"]]], Y_train[:, order[k:k + hyper["mini_batch_size"]]])
                       for k in range(0, N_train.shape[1], hyper["mini_batch_size"])]
        elif shuffle == "apart":
            m, k_ = N_train.shape[1], hyper["mini_batch_size"]
            X_shuffled, Y_shuffled = N_train[:, rng.permutation(m)], Y_train[:, rng.permutation(m)]
            batches = [(X_shuffled[:, k:k + k_], Y_shuffled[:, k:k + k_]) for k in range(0, m, k_)]
        else:
            batches = random_mini_batches(N_train, Y_train, hyper["mini_batch_size"], rng)
        for X_t, Y_t in batches:
            AL, caches, masks = _reference._forward_with_dropout(X_t, params, keep_prob, rng)
            batch_costs.append(_reference.compute_cost_multiclass(AL, Y_t))
            grads = _reference._backward_with_dropout(AL, Y_t, caches, masks, keep_prob, lambd)
            t += 1
            if bias_correction:
                params, v, s = update_parameters_with_adam(params, grads, v, s, t, hyper["learning_rate"],
                                                           hyper["beta1"], hyper["beta2"])
            else:
                params, v, s = _adam_uncorrected(params, grads, v, s, hyper)
        if dropout_when_measuring:
            AL, _, _ = _reference._forward_with_dropout(N_train, params, keep_prob, rng)
            AL_dev, _, _ = _reference._forward_with_dropout(N_dev, params, keep_prob, rng)
        else:
            AL, _ = model_forward_multiclass(N_train, params)
            AL_dev, _ = model_forward_multiclass(N_dev, params)
        cost = float(np.mean(batch_costs)) if cost_of == "mini-batches" else \
            _reference.compute_cost_multiclass(AL, Y_train)
        history["train_cost"].append(cost)
        history["dev_error"].append(float(np.mean(np.argmax(AL_dev, axis=0) != labels_dev)))
        errors = history["dev_error"]
        improved = errors[epoch] <= errors[best] if patience_rule == "ties improve" else errors[epoch] < errors[best]
        if epoch == 0 or improved:
            best, best_params = epoch, params
        elif patience_rule == "ignored":
            continue
        elif epoch - best >= hyper["patience"] + (1 if patience_rule == "one late" else 0):
            break
    chosen = best_params if restore else params
    if not fold:
        return chosen, history
    W1 = chosen["W1"] / sigma.T
    return {**chosen, "W1": W1, "b1": chosen["b1"] - W1 @ mu}, history


def _adam_uncorrected(params, grads, v, s, hyper):
    beta1, beta2 = hyper["beta1"], hyper["beta2"]
    v = {"d" + k: beta1 * v["d" + k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {"d" + k: beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    params = {k: p - hyper["learning_rate"] * v["d" + k] / (np.sqrt(s["d" + k]) + 1e-8)
              for k, p in params.items()}
    return params, v, s


def _training(**flaws):
    def train_classifier(X_train, Y_train, X_dev, Y_dev, hyper, rng):
        return _train(X_train, Y_train, X_dev, Y_dev, hyper, rng, **flaws)
    return train_classifier


MISTAKES = [
    M("one_hot", "transposed", lambda y, K: np.eye(K)[y.ravel()],
      "one_hot returns (K, m), one column per example; np.eye(K) indexed by the labels has one "
      "row per example, (m, K): transpose it."),
    M("one_hot", "K from the labels", lambda y, K: np.eye(int(y.max()) + 1)[y.ravel()].T,
      "Y has K rows, K the argument: a class with no example in y (the largest one too) is a "
      "row of zeros, so y.max() + 1 can be fewer than K.", edge="boundary"),
    M("one_hot", "whole rows", _one_hot_whole_rows,
      "Y[y] = 1 sets the whole row of every label that occurs; set one entry per example: "
      "row y[0, i] of column i (index with the labels and np.arange(m) together)."),
    M("one_hot", "integers", _one_hot_integers, expect="array of integers", edge="type"),
    M("one_hot", "booleans", lambda y, K: np.arange(K).reshape(-1, 1) == y, expect="array of booleans"),
    M("one_hot", "squeezed labels", lambda y, K: np.eye(K)[np.squeeze(y)].T,
      "np.squeeze turns the labels of a single example (m = 1) into a plain number, and Y loses "
      "its column axis: keep y's examples as an axis (y[0] or y.ravel()), whatever m.",
      edge="shape", public=False),
    M("softmax", "rows sum to 1", _softmax_rows,
      "softmax normalises each column (one example) over the K classes, axis=0: here each row "
      "sums to 1 instead."),
    M("softmax", "exp without the max", _softmax_naive, expect="an overflow", edge="extreme"),
    M("softmax", "sigmoid per class", lambda Z: sigmoid(Z),
      "that is a sigmoid per class: the probabilities of an example do not sum to 1. softmax "
      "divides exp(Z) by its sum over the classes."),
    M("softmax", "the max of each row", _softmax_row_max,
      "subtract a constant per column (the column's own maximum): a constant per column "
      "cancels in the ratio, a constant per row (axis=1) does not."),
    M("softmax", "one max for the whole array", _softmax_global_max, expect="an overflow",
      edge="per-part", public=False),
    M("compute_cost_multiclass", "forgot 1/m", lambda AL, Y: float(-np.sum(Y * np.log(AL))),
      "divide by m: the cost is the mean loss over the examples."),
    M("compute_cost_multiclass", "mean over all K m entries",
      lambda AL, Y: float(-np.mean(Y * np.log(AL))),
      "np.mean over the (K, m) array divides by K m; the cost sums over the classes and divides "
      "by m only."),
    M("compute_cost_multiclass", "binary cross-entropy per class",
      lambda AL, Y: float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / Y.shape[1]),
      "that is notebook 01's binary cross-entropy applied to every class; the categorical "
      "cross-entropy has only -Y log AL (the other classes enter through the softmax, which "
      "makes the probabilities sum to 1)."),
    M("compute_cost_multiclass", "forgot the minus", lambda AL, Y: float(np.sum(Y * np.log(AL)) / Y.shape[1]),
      "the cost has a minus sign in front (logs of probabilities are negative)."),
    M("compute_cost_multiclass", "a loss per example",
      lambda AL, Y: -np.sum(Y * np.log(AL), axis=0) / Y.shape[1], expect="plain number", edge="type"),
    M("compute_cost_multiclass", "0 log 0", lambda AL, Y: float(-np.sum(Y * np.log(AL)) / Y.shape[1]),
      expect="log(0)", edge="extreme", public=False),
    M("model_forward_multiclass", "sigmoid per class",
      lambda X, params: _model_forward(X, params, output="sigmoid"),
      "the output layer is a softmax over the K classes, not a sigmoid per class: an example's "
      "probabilities must sum to 1."),
    M("model_forward_multiclass", "softmax over the rows",
      lambda X, params: _model_forward(X, params, output="rows"),
      "softmax normalises each column (one example) over the classes: axis=0."),
    M("model_forward_multiclass", "relu before the softmax",
      lambda X, params: _model_forward(X, params, relu_first=True),
      "the output layer is LINEAR -> SOFTMAX: no ReLU on Z[L] before the softmax (it would set "
      "every negative logit to 0)."),
    M("model_forward_multiclass", "softmax in every layer",
      lambda X, params: _model_forward(X, params, hidden="softmax"),
      "the hidden layers are ReLU layers; only the output layer is a softmax."),
    M("model_forward_multiclass", "last cache missing",
      lambda X, params: _model_forward(X, params, keep_last=False),
      "keep one cache per layer, the output layer's ((A_prev, W, b), Z) too: the backward pass "
      "needs it."),
    M("model_forward_multiclass", "exp without the max",
      lambda X, params: _model_forward(X, params, output="naive"), expect="an overflow",
      edge="extreme", public=False),
    M("model_backward_multiclass", "dZ = Y - AL",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=lambda AL, Y: Y - AL),
      "dZ[L] = AL - Y; Y - AL gives every gradient the wrong sign."),
    M("model_backward_multiclass", "1/m twice",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=lambda AL, Y: (AL - Y) / Y.shape[1]),
      "dZ[L] = AL - Y, without 1/m: linear_backward already divides dW and db by m."),
    M("model_backward_multiclass", "1/m missing",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, linear=_linear_backward_without_m),
      "dW and db carry the cost's 1/m: dW = (1/m) dZ A_prev.T, db = (1/m) sum over the examples."),
    M("model_backward_multiclass", "the softmax's derivative taken elementwise",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=lambda AL, Y: -Y * (1 - AL)),
      "dA[L] = -Y / AL times AL (1 - AL) treats the softmax as a sigmoid per class and misses "
      "the cross terms of its Jacobian (every output depends on every logit). Together with the "
      "cross-entropy they give dZ[L] = AL - Y."),
    M("model_backward_multiclass", "labels instead of one-hot",
      lambda AL, Y, caches: _model_backward(AL, Y, caches,
                                            dZL=lambda AL, Y: AL - np.argmax(Y, axis=0).reshape(1, -1)),
      "subtract the one-hot Y (K, m), not the labels 0..K-1: dZ[L] = AL - Y, class by class."),
    M("model_backward_multiclass", "sigmoid in the hidden layers",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, hidden="sigmoid"),
      "the hidden layers are ReLU layers: use relu_backward there."),
    M("model_backward_multiclass", "through dA[L] and the Jacobian",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=_through_jacobian),
      expect="an overflow, a division by zero", edge="extreme", public=False),
    M("predict_multiclass", "argmax over the examples",
      lambda X, params: np.argmax(model_forward_multiclass(X, params)[0], axis=1),
      "take the most probable class of each example: the argmax over the classes, axis=0, one "
      "label per column."),
    M("predict_multiclass", "a flat array",
      lambda X, params: np.argmax(model_forward_multiclass(X, params)[0], axis=0),
      "return a (1, m) row, like y: np.argmax gives (m,), reshape it."),
    M("predict_multiclass", "one-hot predictions",
      lambda X, params: _reference.one_hot(np.argmax(model_forward_multiclass(X, params)[0], axis=0)
                                           .reshape(1, -1), model_forward_multiclass(X, params)[0].shape[0]),
      "return the labels, a (1, m) row of integers 0..K-1, not their one-hot (K, m)."),
    M("predict_multiclass", "labels from 1",
      lambda X, params: np.argmax(model_forward_multiclass(X, params)[0], axis=0).reshape(1, -1) + 1,
      "the labels run from 0 to K - 1, as np.argmax's indices do: no + 1."),
    M("predict_multiclass", "float labels",
      lambda X, params: np.argmax(model_forward_multiclass(X, params)[0], axis=0).reshape(1, -1).astype(float),
      expect="labels are integers", edge="type"),
    M("predict_multiclass", "exp without the max", _predict_naive,
      "the softmax overflowed (exp of a logit near 1000 is inf, and inf / inf is nan, whose "
      "argmax is 0): subtract each column's maximum first, or take the argmax of Z[L] itself.",
      edge="extreme", public=False),
    M("train_classifier", "no restore", _training(restore=False),
      expect="restore the best epoch's parameters", edge="boundary"),
    M("train_classifier", "normalisation fitted on dev", _training(fit_on="dev"),
      expect="fit the normalisation on the training set"),
    M("train_classifier", "normalisation fitted on all the data", _training(fit_on="all"),
      expect="on the training set only"),
    M("train_classifier", "normalisation not folded", _training(fold=False), expect="fold that into layer 1"),
    M("train_classifier", "patience ignored", _training(patience_rule="ignored"),
      expect="does the loop use patience"),
    M("train_classifier", "stops one epoch late", _training(patience_rule="one late"),
      expect="one epoch too many", edge="boundary"),
    M("train_classifier", "ties count as improvements", _training(patience_rule="ties improve"),
      expect="an equal one does not", edge="boundary"),
    M("train_classifier", "dropout when measuring", _training(dropout_when_measuring=True),
      expect="without dropout"),
    M("train_classifier", "train cost of the mini-batches", _training(cost_of="mini-batches"),
      expect="not the mean of the mini-batches' costs"),
    M("train_classifier", "initialised at 0.01", _training(init="0.01"), expect="He's initialisation"),
    M("train_classifier", "no L2", _training(use_lambd=False), expect="the L2 term is missing"),
    M("train_classifier", "no bias correction", _training(bias_correction=False),
      expect="bias correction is missing"),
    M("train_classifier", "keep_prob ignored", _training(use_keep_prob=False),
      expect="dropout is not applied"),
    M("train_classifier", "examples and labels shuffled apart", _training(shuffle="apart"),
      expect="with their own labels"),
    M("train_classifier", "np.random for the mini-batches", _training(shuffle="global"),
      expect=GLOBAL_RANDOM),
    M("train_classifier", "modifies hyper", _training(modify_hyper=True),
      expect="modified its argument `hyper`"),
    in_float32("train_classifier", _reference.train_classifier),
]
