"""Reference implementations, notebook 08: a ten-class classifier from the course's parts.

Conventions: examples are columns; labels ``y`` are integers of shape (1, m) in 0..K-1 and
their one-hot ``Y`` is (K, m); W[l] is (n_l, n_{l-1}), b[l] is (n_l, 1). The network is
[LINEAR->RELU]*(L-1) -> LINEAR->SOFTMAX, its output layer has K units, and the cost is the
categorical cross-entropy.

``train_classifier`` is self-contained apart from the references of notebooks 01, 04, 05 and
06 (normalisation, He initialisation, mini-batches, dropout, Adam): in the notebook the student
writes it with their own functions of those notebooks (``grader.reuse``).
"""
from __future__ import annotations

import numpy as np

from .nb01 import linear_activation_backward, linear_activation_forward, linear_backward, linear_forward, relu_backward
from .nb04 import dropout_backward, dropout_forward, fit_normalizer, normalize
from .nb05 import initialize_parameters_he
from .nb06 import initialize_adam, random_mini_batches, update_parameters_with_adam

__all__ = [
    "one_hot", "softmax", "compute_cost_multiclass", "model_forward_multiclass",
    "model_backward_multiclass", "predict_multiclass", "train_classifier",
]


def one_hot(y, K):
    """y: (1, m) integer labels in 0..K-1 (any integer dtype); K: the number of classes.

    Returns Y: (K, m) float64, Y[k, i] = 1.0 where y[0, i] = k and 0.0 elsewhere. A class
    with no example in y is a row of zeros.
    """
    labels = np.asarray(y).reshape(-1)
    m = labels.shape[0]
    Y = np.zeros((K, m))
    Y[labels, np.arange(m)] = 1.0  # one entry per example: row y[0, i] of column i
    return Y


def softmax(Z):
    """Z: (K, m) -> A: (K, m), A[k, i] = exp(Z[k, i]) / sum_j exp(Z[j, i]); columns sum to 1.

    Each column's maximum is subtracted first (the ratio does not change): the largest
    exponent is then 0, so nothing overflows, whatever the size of Z.
    """
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


def compute_cost_multiclass(AL, Y):
    """AL: (K, m) softmax outputs; Y: (K, m) one-hot labels.

    Returns J = -(1/m) sum_k sum_i Y[k, i] log AL[k, i], a float. Only each example's true
    class contributes (0 log 0 counts as 0), so an AL of exactly 0 in a class the example
    does not belong to (a saturated softmax) leaves the cost finite.
    """
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(np.where(Y > 0, AL, 1.0))) / m)


def model_forward_multiclass(X, params):
    """X: (n_0, m); params {"W1", "b1", ..., "WL", "bL"}, W[L]: (K, n_{L-1}).

    [LINEAR->RELU]*(L-1) -> LINEAR->SOFTMAX. Returns (AL, caches): AL (K, m) and one cache
    per layer, ((A_prev, W, b), Z), as model_forward's.
    """
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
        caches.append(cache)
    ZL, linear_cache = linear_forward(A, params[f"W{L}"], params[f"b{L}"])
    caches.append((linear_cache, ZL))
    return softmax(ZL), caches


def model_backward_multiclass(AL, Y, caches):
    """AL, Y: (K, m); caches from model_forward_multiclass.

    Returns {"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dbL"}: the gradients of the
    categorical cross-entropy. Softmax and cross-entropy together give dZ[L] = AL - Y, the
    binary case's shortcut again; the hidden layers are ReLU layers.
    """
    L = len(caches)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, caches[L - 1][0])
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
    return grads


def predict_multiclass(X, params):
    """X: (n_0, m) -> (1, m) integer labels: each example's most probable class."""
    AL, _ = model_forward_multiclass(X, params)
    return np.argmax(AL, axis=0).reshape(1, -1)


def _forward_with_dropout(X, params, keep_prob, rng):
    """model_forward_multiclass with inverted dropout after every hidden layer's activation
    (none on the output). Returns (AL, caches, masks), masks[l - 1] for hidden layer l."""
    L = len(params) // 2
    A, caches, masks = X, [], []
    for l in range(1, L):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "relu")
        if keep_prob < 1:
            A, mask = dropout_forward(A, keep_prob, rng)
        else:
            mask = np.ones(A.shape)
        caches.append(cache)
        masks.append(mask)
    ZL, linear_cache = linear_forward(A, params[f"W{L}"], params[f"b{L}"])
    caches.append((linear_cache, ZL))
    return softmax(ZL), caches, masks


def _backward_with_dropout(AL, Y, caches, masks, keep_prob, lambd):
    """The gradients of the mini-batch's cost, cross-entropy + lambd / (2 m) sum ||W||^2 (m
    the mini-batch's size), through the dropout masks of the forward pass."""
    L = len(caches)
    m = Y.shape[1]
    grads = {}
    dZ = AL - Y
    for l in range(L, 0, -1):
        linear_cache = caches[l - 1][0]
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
        grads[f"dW{l}"] = dW + (lambd / m) * linear_cache[1]
        grads[f"db{l}"] = db
        if l > 1:
            dA_prev = dropout_backward(dA_prev, masks[l - 2], keep_prob)
            dZ = relu_backward(dA_prev, caches[l - 2][1])
    return grads


def train_classifier(X_train, Y_train, X_dev, Y_dev, hyper, rng):
    """Train a softmax classifier with the course's tools; early stopping on the dev error.

    X_train: (n_0, m_train), Y_train: (K, m_train) one-hot; X_dev: (n_0, m_dev), Y_dev: (K,
    m_dev) one-hot. hyper: {"learning_rate", "hidden_units" (a list of hidden layer sizes,
    possibly empty), "lambd", "keep_prob", "beta1", "beta2", "mini_batch_size", "epochs",
    "patience"}. rng: numpy Generator, the only source of randomness.

    Normalises the inputs with the training set's mean and standard deviation
    (fit_normalizer's convention), initialises [n_0, *hidden_units, K] with He's N(0, 2 /
    n_{l-1}) and zero biases, then for each epoch: shuffled mini-batches, each one forward
    with inverted dropout after every hidden layer, backward through the masks with the L2
    term (lambd / k) W[l] (k the mini-batch's size), one Adam step (bias-corrected, epsilon
    1e-8, the step count t running on across epochs). After each epoch, without dropout: the
    training set's cross-entropy (no L2 term) and the dev set's error. An epoch whose dev error
    is strictly below the best so far is the new best; training stops at the first epoch that
    is `patience` epochs past the best, or after `epochs` epochs.

    Returns (params, history): the best epoch's parameters, acting on raw inputs (the
    normalisation folded into layer 1: W1 / sigma^T and b1 - (W1 / sigma^T) mu), and
    {"train_cost": [...], "dev_error": [...]}, one float per epoch run.
    """
    mu, sigma = fit_normalizer(X_train)
    N_train, N_dev = normalize(X_train, mu, sigma), normalize(X_dev, mu, sigma)
    dims = [X_train.shape[0], *hyper["hidden_units"], Y_train.shape[0]]
    params = initialize_parameters_he(dims, rng)
    v, s = initialize_adam(params)
    t = 0
    keep_prob, lambd = hyper["keep_prob"], hyper["lambd"]
    labels_dev = np.argmax(Y_dev, axis=0)
    history = {"train_cost": [], "dev_error": []}
    best, best_params = 0, params
    for epoch in range(hyper["epochs"]):
        for X_t, Y_t in random_mini_batches(N_train, Y_train, hyper["mini_batch_size"], rng):
            AL, caches, masks = _forward_with_dropout(X_t, params, keep_prob, rng)
            grads = _backward_with_dropout(AL, Y_t, caches, masks, keep_prob, lambd)
            t += 1
            params, v, s = update_parameters_with_adam(params, grads, v, s, t, hyper["learning_rate"],
                                                       hyper["beta1"], hyper["beta2"])
        # measured without dropout, on the whole sets
        AL, _ = model_forward_multiclass(N_train, params)
        history["train_cost"].append(compute_cost_multiclass(AL, Y_train))
        history["dev_error"].append(float(np.mean(predict_multiclass(N_dev, params)[0] != labels_dev)))
        if epoch == 0 or history["dev_error"][epoch] < history["dev_error"][best]:
            best, best_params = epoch, params  # the update makes new arrays: nothing overwrites it
        elif epoch - best >= hyper["patience"]:
            break
    # (X - mu) / sigma fed to layer 1 is W1 (X - mu) / sigma + b1: one linear layer on raw X
    W1 = best_params["W1"] / sigma.T
    return {**best_params, "W1": W1, "b1": best_params["b1"] - W1 @ mu}, history
