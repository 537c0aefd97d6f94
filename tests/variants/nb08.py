"""Correct implementations of the notebook 08 exercises that differ from the reference: other
indexing (np.eye, put_along_axis, comparisons), loops over examples, softmax through
logsumexp, the probability of the true class picked out, notebook 01's own model_backward,
the argmax of the logits, and train_classifier written out without the earlier notebooks'
functions (its own shuffling, masks, Adam and copies). Every check must accept them all."""
from __future__ import annotations

import copy

import numpy as np

from grader.reference.nb01 import model_backward as model_backward_from_01

# -- one_hot -------------------------------------------------------------------------------


def one_hot_eye_columns(y, K):
    # the columns of the identity picked by the labels: (K, m) at once
    return np.eye(K)[:, np.ravel(y)]


def one_hot_put_along_axis(y, K):
    Y = np.zeros((K, y.shape[1]))
    np.put_along_axis(Y, np.asarray(y, dtype=np.intp).reshape(1, -1), 1.0, axis=0)
    return Y


def one_hot_compare(y, K):
    return (np.arange(K).reshape(-1, 1) == y).astype(np.float64)


def one_hot_loop(y, K):
    Y = np.zeros((K, y.shape[-1]))
    for i, label in enumerate(y[0]):
        Y[int(label), i] = 1.0
    return Y


# -- softmax -------------------------------------------------------------------------------


def softmax_logsumexp(Z):
    # log softmax = Z - logsumexp(Z), with the column max taken out of the logsumexp
    top = Z.max(axis=0, keepdims=True)
    return np.exp(Z - top - np.log(np.sum(np.exp(Z - top), axis=0, keepdims=True)))


def softmax_loop(Z):
    A = np.empty(Z.shape)
    for i in range(Z.shape[1]):
        e = np.exp(Z[:, i] - Z[:, i].max())
        A[:, i] = e / e.sum()
    return A


def softmax_broadcast(Z):
    # no keepdims: (K, m) minus and divided by (m,) broadcast over the last axis
    E = np.exp(Z - np.max(Z, axis=0))
    return E / E.sum(axis=0)


# -- compute_cost_multiclass -----------------------------------------------------------------


def cost_true_class(AL, Y):
    # the probability each example gives its own class, then the mean of -log
    return float(-np.mean(np.log(np.sum(AL * Y, axis=0))))


def cost_boolean_pick(AL, Y):
    return float(-np.log(AL[Y == 1]).sum() / Y.shape[1])


def cost_clipped_tiny(AL, Y):
    # clipping by a tiny epsilon only avoids log(0): 0 * log(1e-300) = 0
    return float(-np.sum(Y * np.log(np.clip(AL, 1e-300, 1.0))) / Y.shape[1])


def cost_loop(AL, Y):
    total = 0.0
    for i in range(Y.shape[1]):
        total -= np.log(AL[np.argmax(Y[:, i]), i])
    return float(total / Y.shape[1])


# -- model_forward_multiclass ----------------------------------------------------------------


def forward_written_out(X, params):
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = params["W" + str(l)], params["b" + str(l)]
        Z = np.dot(W, A) + b
        caches.append(((A, W, b), Z))
        if l < L:
            A = Z * (Z > 0)
        else:
            shifted = Z - Z.max(axis=0)
            A = np.exp(shifted) / np.exp(shifted).sum(axis=0)
    return A, caches


def forward_logsumexp(X, params):
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        caches.append(((A, params[f"W{l}"], params[f"b{l}"]), Z))
        A = np.maximum(Z, 0)
    Z = params[f"W{L}"] @ A + params[f"b{L}"]
    caches.append(((A, params[f"W{L}"], params[f"b{L}"]), Z))
    return softmax_logsumexp(Z), caches


# -- model_backward_multiclass -----------------------------------------------------------------


def backward_is_model_backward(AL, Y, caches):
    # notebook 01's model_backward starts from dZ[L] = AL - Y: exactly what softmax needs
    return model_backward_from_01(AL, Y, caches)


def backward_written_out(AL, Y, caches):
    grads = {}
    m = Y.shape[1]
    dZ = AL - Y
    for l in reversed(range(1, len(caches) + 1)):
        (A_prev, W, b), Z = caches[l - 1]
        grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
        grads["db" + str(l)] = dZ.mean(axis=1).reshape(-1, 1)
        if l > 1:
            dZ = np.dot(W.T, dZ) * (caches[l - 2][1] > 0)
    return grads


# -- predict_multiclass ----------------------------------------------------------------------


def predict_logits(X, params):
    # softmax keeps the order of the logits: the argmax of Z[L] is the answer
    L = len(params) // 2
    A = X
    for l in range(1, L):
        A = np.maximum(params[f"W{l}"] @ A + params[f"b{l}"], 0)
    return np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0, keepdims=True)


def predict_loop(X, params):
    from grader.reference.nb08 import model_forward_multiclass

    AL, _ = model_forward_multiclass(X, params)
    labels = np.zeros((1, AL.shape[1]), dtype=np.int64)
    for i in range(AL.shape[1]):
        labels[0, i] = int(np.argmax(AL[:, i]))
    return labels


# -- train_classifier --------------------------------------------------------------------------


def train_classifier_written_out(X_train, Y_train, X_dev, Y_dev, hyper, rng, draw_always=False):
    """Everything by hand: statistics, He draws with rng.normal, a permutation per epoch,
    dropout masks, bias-corrected Adam with the step count in a list, deep copies of the best."""
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    sigma[sigma == 0] = 1.0
    N_train, N_dev = (X_train - mu) / sigma, (X_dev - mu) / sigma
    dims = [X_train.shape[0]] + list(hyper["hidden_units"]) + [Y_train.shape[0]]
    L = len(dims) - 1
    params = {}
    for l in range(1, L + 1):
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(2.0 / dims[l - 1]), size=(dims[l], dims[l - 1]))
        params[f"b{l}"] = np.zeros((dims[l], 1))
    v = {k: np.zeros_like(p) for k, p in params.items()}
    s = {k: np.zeros_like(p) for k, p in params.items()}
    step = [0]
    lr, lambd, keep_prob = hyper["learning_rate"], hyper["lambd"], hyper["keep_prob"]
    b1, b2 = hyper["beta1"], hyper["beta2"]
    m, k = X_train.shape[1], hyper["mini_batch_size"]
    train_cost, dev_error = [], []
    best_error, best_epoch, best = np.inf, -1, None
    for epoch in range(hyper["epochs"]):
        order = rng.permutation(m)
        for start in range(0, m, k):
            idx = order[start:start + k]
            X_t, Y_t = N_train[:, idx], Y_train[:, idx]
            n = X_t.shape[1]
            activations, Zs, masks = [X_t], [], []
            A = X_t
            for l in range(1, L + 1):
                Z = params[f"W{l}"] @ A + params[f"b{l}"]
                Zs.append(Z)
                if l == L:
                    A = softmax_broadcast(Z)
                else:
                    A = np.maximum(Z, 0)
                    if keep_prob < 1 or draw_always:
                        mask = rng.random(A.shape) < keep_prob
                        A = np.where(mask, A / keep_prob, 0.0)
                        masks.append(mask)
                    else:
                        masks.append(None)
                    activations.append(A)
            dZ = A - Y_t
            grads = {}
            for l in range(L, 0, -1):
                grads[f"W{l}"] = dZ @ activations[l - 1].T / n + lambd / n * params[f"W{l}"]
                grads[f"b{l}"] = dZ.sum(axis=1, keepdims=True) / n
                if l > 1:
                    dA = params[f"W{l}"].T @ dZ
                    if masks[l - 2] is not None:
                        dA = np.where(masks[l - 2], dA / keep_prob, 0.0)
                    dZ = dA * (Zs[l - 2] > 0)
            step[0] += 1
            t = step[0]
            for key in params:
                v[key] = b1 * v[key] + (1 - b1) * grads[key]
                s[key] = b2 * s[key] + (1 - b2) * np.square(grads[key])
                params[key] = params[key] - lr * (v[key] / (1 - b1 ** t)) / (np.sqrt(s[key] / (1 - b2 ** t)) + 1e-8)
        A = N_train
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            A = softmax_broadcast(Z) if l == L else np.maximum(Z, 0)
        train_cost.append(float(-np.sum(Y_train * np.log(np.where(Y_train == 1, A, 1.0))) / m))
        A = N_dev
        for l in range(1, L + 1):
            A = params[f"W{l}"] @ A + params[f"b{l}"]
            if l < L:
                A = np.maximum(A, 0)
        error = float(np.count_nonzero(np.argmax(A, axis=0) != np.argmax(Y_dev, axis=0)) / Y_dev.shape[1])
        dev_error.append(error)
        if error < best_error:
            best_error, best_epoch, best = error, epoch, copy.deepcopy(params)
        elif epoch - best_epoch >= hyper["patience"]:
            break
    best["b1"] = best["b1"] - best["W1"] @ (mu / sigma)
    best["W1"] = best["W1"] / sigma.T
    return best, {"train_cost": train_cost, "dev_error": dev_error}


def train_classifier_masks_always(X_train, Y_train, X_dev, Y_dev, hyper, rng):
    # draws masks even with keep_prob = 1 (all ones): other random numbers, the same training;
    # the history as numpy arrays
    params, history = train_classifier_written_out(X_train, Y_train, X_dev, Y_dev, hyper, rng,
                                                   draw_always=True)
    return params, {k: np.array(v) for k, v in history.items()}


def train_classifier_reference_parts(X_train, Y_train, X_dev, Y_dev, hyper, rng):
    """With the earlier notebooks' functions, as the notebook suggests: mini-batches of the
    label row (random_mini_batches was written for Y of shape (1, m)), one_hot per batch."""
    from grader.reference.nb04 import dropout_backward, dropout_forward, fit_normalizer, normalize
    from grader.reference.nb05 import initialize_parameters_he
    from grader.reference.nb06 import initialize_adam, random_mini_batches, update_parameters_with_adam
    from grader.reference.nb08 import (compute_cost_multiclass, model_forward_multiclass, one_hot,
                                       predict_multiclass)
    from grader.reference.nb01 import linear_activation_forward, linear_backward, linear_forward, relu_backward

    mu, sigma = fit_normalizer(X_train)
    N_train, N_dev = normalize(X_train, mu, sigma), normalize(X_dev, mu, sigma)
    K = Y_train.shape[0]
    labels = np.argmax(Y_train, axis=0).reshape(1, -1)
    params = initialize_parameters_he([X_train.shape[0], *hyper["hidden_units"], K], rng)
    L = len(params) // 2
    v, s = initialize_adam(params)
    t = 0
    keep_prob = hyper["keep_prob"]
    history = {"train_cost": [], "dev_error": []}
    best_params, best_epoch = None, 0
    for epoch in range(hyper["epochs"]):
        for X_t, y_t in random_mini_batches(N_train, labels, hyper["mini_batch_size"], rng):
            Y_t = one_hot(y_t, K)
            A, caches, masks = X_t, [], []
            for l in range(1, L):
                A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
                A, mask = dropout_forward(A, keep_prob, rng)
                caches.append(cache)
                masks.append(mask)
            ZL, linear_cache = linear_forward(A, params[f"W{L}"], params[f"b{L}"])
            caches.append((linear_cache, ZL))
            AL = softmax_logsumexp(ZL)
            grads, dZ, m = {}, AL - Y_t, Y_t.shape[1]
            for l in range(L, 0, -1):
                (A_prev, W, b), _ = caches[l - 1]
                dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
                grads[f"dW{l}"], grads[f"db{l}"] = dW + hyper["lambd"] / m * W, db
                if l > 1:
                    dZ = relu_backward(dropout_backward(dA_prev, masks[l - 2], keep_prob), caches[l - 2][1])
            t += 1
            params, v, s = update_parameters_with_adam(params, grads, v, s, t, hyper["learning_rate"],
                                                       hyper["beta1"], hyper["beta2"])
        history["train_cost"].append(compute_cost_multiclass(model_forward_multiclass(N_train, params)[0], Y_train))
        error = float(np.mean(predict_multiclass(N_dev, params) != np.argmax(Y_dev, axis=0)))
        history["dev_error"].append(error)
        if best_params is None or error < history["dev_error"][best_epoch]:
            best_params, best_epoch = params, epoch
        elif epoch - best_epoch >= hyper["patience"]:
            break
    W1 = best_params["W1"] / sigma.T
    return {**best_params, "W1": W1, "b1": best_params["b1"] - W1 @ mu}, history


VARIANTS = {
    "one_hot": [one_hot_eye_columns, one_hot_put_along_axis, one_hot_compare, one_hot_loop],
    "softmax": [softmax_logsumexp, softmax_loop, softmax_broadcast],
    "compute_cost_multiclass": [cost_true_class, cost_boolean_pick, cost_clipped_tiny, cost_loop],
    "model_forward_multiclass": [forward_written_out, forward_logsumexp],
    "model_backward_multiclass": [backward_is_model_backward, backward_written_out],
    "predict_multiclass": [predict_logits, predict_loop],
    "train_classifier": [train_classifier_written_out, train_classifier_masks_always,
                         train_classifier_reference_parts],
}
