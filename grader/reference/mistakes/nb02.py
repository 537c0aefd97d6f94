"""Mistakes in notebook 02, as students make them."""
from __future__ import annotations

import itertools

import numpy as np

from ..nb01 import (compute_cost, initialize_parameters, model_backward, model_forward,
                    update_parameters)
from ..nb02 import parity_data, xor_tree_network
from . import GLOBAL_RANDOM, Mistake

# -- predict ---------------------------------------------------------------------------


def _output(X, params):
    return model_forward(X, params)[0]


def _last_Z(X, params):
    return model_forward(X, params)[1][-1][1]


def _predict_squeezed(X, params):
    # squeezed to a flat array to loop over it: with one example (m = 1) np.squeeze leaves a
    # 0-d array, which cannot be iterated
    AL = np.squeeze(_output(X, params))
    return np.array([[1.0 if a > 0.5 else 0.0 for a in AL]])


def _predict_own_sigmoid(X, params):
    # A[L] recomputed from Z[L] as e^Z / (1 + e^Z): inf / inf = nan for Z > 709, and nan > 0.5
    # is False
    ZL = _last_Z(X, params)
    return (np.exp(ZL) / (1 + np.exp(ZL)) > 0.5).astype(float)


# -- train_model -----------------------------------------------------------------------


def _he(layer_dims, rng, scale_of=lambda dims, l: np.sqrt(2.0 / dims[l - 1])):
    params = initialize_parameters(layer_dims, rng, scale=1.0)
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = params[f"W{l}"] * scale_of(layer_dims, l)
    return params


def _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=_he, iterations=None,
           keep_update=True, record=lambda i: True, backward_args=lambda AL, Y: (AL, Y),
           cost_args=lambda AL, Y: (AL, Y), cost_after_update=False, swap_return=False,
           update=update_parameters):
    """The reference loop, with one thing changed at a time."""
    params = init(layer_dims, rng)
    costs = []
    for i in iterations if iterations is not None else range(num_iterations):
        AL, caches = model_forward(X, params)
        cost = compute_cost(*cost_args(AL, Y))
        grads = model_backward(*backward_args(AL, Y), caches)
        if keep_update:
            params = update(params, grads, learning_rate)
        else:
            update(params, grads, learning_rate)  # the new params are thrown away
        if cost_after_update:
            cost = compute_cost(model_forward(X, params)[0], Y)
        if record(i):
            costs.append(cost)
    return (costs, params) if swap_return else (params, costs)


def _train_init_in_loop(X, Y, layer_dims, learning_rate, num_iterations, rng):
    costs = []
    for _ in range(num_iterations):
        params = _he(layer_dims, rng)  # a fresh start at every iteration
        AL, caches = model_forward(X, params)
        costs.append(compute_cost(AL, Y))
        params = update_parameters(params, model_backward(AL, Y, caches), learning_rate)
    return params, costs  # noqa: F821 - unbound when num_iterations = 0, as in the students' code


def _train_float32(X, Y, layer_dims, learning_rate, num_iterations, rng):
    # W drawn in float32; the first update (W - learning_rate * dW, dW float64) makes it
    # float64 again, so only the initial parameters show it
    def init(dims, rng):
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]), dtype=np.float32) \
                * (2 / dims[l - 1]) ** 0.5
            params[f"b{l}"] = np.zeros((dims[l], 1))
        return params
    return _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=init)


def _he_loop_one_short(layer_dims, rng):
    # L = len(layer_dims) - 1 layers, but range(1, L) stops before the output layer, which
    # keeps the N(0, 1) of initialize_parameters(layer_dims, rng, scale=1.0)
    params = initialize_parameters(layer_dims, rng, scale=1.0)
    L = len(layer_dims) - 1
    for l in range(1, L):
        params[f"W{l}"] = params[f"W{l}"] * np.sqrt(2.0 / layer_dims[l - 1])
    return params


def _train_global_random(X, Y, layer_dims, learning_rate, num_iterations, rng):
    def init(dims, rng):
        return {k: (np.random.randn(*v.shape) * np.sqrt(2.0 / v.shape[1]) if k[0] == "W" else v)
                for k, v in initialize_parameters(dims, rng).items()}
    return _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=init)


def _train_own_generator(X, Y, layer_dims, learning_rate, num_iterations, rng):
    return _train(X, Y, layer_dims, learning_rate, num_iterations, np.random.default_rng(1))


def _train_fixed_learning_rate(X, Y, layer_dims, learning_rate, num_iterations, rng):
    return _train(X, Y, layer_dims, 0.0075, num_iterations, rng)


def _update_last_layer_only(params, grads, learning_rate):
    L = len(params) // 2
    return {**params, f"W{L}": params[f"W{L}"] - learning_rate * grads[f"dW{L}"],
            f"b{L}": params[f"b{L}"] - learning_rate * grads[f"db{L}"]}


def _update_weights_only(params, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] if k[0] == "W" else v for k, v in params.items()}


# -- parity_data -----------------------------------------------------------------------


def _parity_ints(n_bits):
    X = np.array(list(itertools.product([0, 1], repeat=n_bits))).T
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_missing_last(n_bits):
    X, Y = parity_data(n_bits)
    return X[:, :-1], Y[:, :-1]


def _parity_narrow(n_bits):
    # the bits of j with one shift too few: the top bit is never set, patterns repeat
    j = np.arange(2 ** n_bits)
    X = np.zeros((n_bits, 2 ** n_bits))
    for k in range(n_bits - 1):
        X[k] = (j >> k) & 1
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_random(n_bits):
    X = (np.random.default_rng(0).random((n_bits, 2 ** n_bits)) < 0.5).astype(float)
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_unpackbits(n_bits):
    # np.unpackbits takes uint8: the bits of 0 ... 2**n - 1 as bytes, most significant first,
    # the last n_bits of the 8 kept. Right up to 8 bits; beyond, .astype(np.uint8) wraps
    # around at 256 and a byte has too few bits
    codes = np.arange(2 ** n_bits).astype(np.uint8).reshape(-1, 1)
    X = np.unpackbits(codes, axis=1)[:, 8 - n_bits:].T.astype(float)
    return X, X.sum(axis=0, keepdims=True) % 2


def _parity_first_two(n_bits):
    X, _ = parity_data(n_bits)
    return X, np.logical_xor(X[0], X[1]).astype(float).reshape(1, -1)


# -- xor_tree_network ------------------------------------------------------------------


def _xor_tree(n, k, *, chain=False, keep_leftover=True, output=None, integer=False,
              scale_every_layer=False, output_from_loop=False):
    """The reference's tree of XORs, with one thing changed at a time: ``chain`` XORs the
    first two values and passes the others on (n - 1 levels); ``keep_leftover=False`` drops
    the value without a partner; ``output(V, c, k)`` gives the output layer; ``integer``
    builds the hidden layers from integer arrays; ``scale_every_layer`` multiplies every
    layer by k; ``output_from_loop`` builds the output layer from the loop's last
    combination (a name the loop defines, unbound when it never runs, n = 1)."""
    V, c = np.eye(n, dtype=_dtype(integer)), np.zeros((n, 1), dtype=_dtype(integer))
    params, l = {}, 0
    while V.shape[0] > 1:
        rows, biases, combos = [], [], []
        last = 2 if chain else V.shape[0] - V.shape[0] % 2
        for a in range(0, last, 2):
            s, s0 = V[a] + V[a + 1], c[a, 0] + c[a + 1, 0]
            rows += [s, s]
            biases += [s0, s0 - 1]
            combos.append([1, -2])
        for rest in range(last, V.shape[0]):
            if keep_leftover:
                rows.append(V[rest])
                biases.append(c[rest, 0])
                combos.append([1])
        l += 1
        params[f"W{l}"] = np.array(rows)
        params[f"b{l}"] = np.array(biases).reshape(-1, 1)
        if scale_every_layer:
            params[f"W{l}"], params[f"b{l}"] = k * params[f"W{l}"], k * params[f"b{l}"]
        V = np.zeros((len(combos), len(rows)), dtype=_dtype(integer))
        column = 0
        for j, combo in enumerate(combos):
            V[j, column:column + len(combo)] = combo
            column += len(combo)
        c = np.zeros((len(combos), 1), dtype=_dtype(integer))
        combination = V
    if output_from_loop:
        # unbound when the loop never ran (n = 1), as students write it
        V = combination  # noqa: F821
    W, b = (output or (lambda V, c, k: (2.0 * k * V, k * (2.0 * c - 1.0))))(V, c, k)
    params[f"W{l + 1}"] = np.asarray(W, dtype=float)
    params[f"b{l + 1}"] = np.asarray(b, dtype=float)
    return params


def _dtype(integer):
    return int if integer else float


def _zigzag(n, k=10.0):
    # one hidden layer of n summing units, ReLU(s - j): parity in one layer, not a tree
    a = np.array([1.0] + [2.0 * (-1) ** j for j in range(1, n)])
    return {"W1": np.ones((n, n)), "b1": -np.arange(n, dtype=float).reshape(-1, 1),
            "W2": 2 * k * a.reshape(1, -1), "b2": np.array([[-k]])}


# -- dnf_network -----------------------------------------------------------------------


def _dnf(n, k, *, patterns=None, which=1, bias=lambda p: 1.0 - p.sum(axis=1, keepdims=True),
         weights=lambda p: 2.0 * p - 1.0, output=None):
    """The reference's OR of ANDs, with one thing changed at a time."""
    X, Y = patterns(n) if patterns else parity_data(n)
    if which == "all":
        chosen, out = X.T, 2.0 * k * Y
    else:
        chosen = X[:, Y[0] == which].T
        out = np.full((1, chosen.shape[0]), 2.0 * k)
    W2, b2 = output(chosen, k) if output else (out, np.array([[-k]]))
    return {"W1": weights(chosen), "b1": bias(chosen), "W2": W2, "b2": b2}


def _unpackbits_patterns(n_bits):
    # as the parity_data mistake: the bits of j as a uint8, the last n_bits of 8 kept
    codes = np.arange(2 ** n_bits).astype(np.uint8).reshape(-1, 1)
    X = np.unpackbits(codes, axis=1)[:, max(8 - n_bits, 0):].T.astype(float)
    return X, X.sum(axis=0, keepdims=True) % 2


def _dnf_integer(n, k=10.0):
    # the patterns from itertools.product of the ints 0 and 1: integer weights and biases
    odd = np.array([p for p in itertools.product([0, 1], repeat=n) if sum(p) % 2 == 1])
    return {"W1": 2 * odd - 1, "b1": 1 - odd.sum(axis=1, keepdims=True),
            "W2": np.full((1, len(odd)), 2 * k), "b2": np.array([[-k]])}


def _dnf_squeezed(n, k=10.0):
    # np.squeeze to drop "the extra axis": with n = 1 there is one odd pattern of one bit,
    # and the (1, 1) array becomes a 0-d one
    X, Y = parity_data(n)
    odd = np.squeeze(X[:, Y[0] == 1]).T
    return {"W1": 2.0 * odd - 1.0, "b1": (1.0 - odd.sum(axis=-1)).reshape(-1, 1),
            "W2": np.full((1, 2 ** (n - 1)), 2.0 * k), "b2": np.array([[-k]])}


M = Mistake
MISTAKES = [
    M("predict", "probabilities", lambda X, params: _output(X, params),
      "you returned the probabilities A[L]; predictions are 1.0 where A[L] > 0.5 and 0.0 "
      "elsewhere."),
    M("predict", "booleans", lambda X, params: _output(X, params) > 0.5,
      expect="array of booleans", edge="type"),
    M("predict", "integers", lambda X, params: (_output(X, params) > 0.5).astype(int),
      expect="array of integers", edge="type"),
    M("predict", "Z at 0.5", lambda X, params: (_last_Z(X, params) > 0.5).astype(float),
      "threshold the probability A[L] at 0.5 (equivalently Z[L] at 0), not Z[L] at 0.5.",
      edge="boundary"),
    M("predict", "inverted", lambda X, params: (_output(X, params) < 0.5).astype(float),
      "1 means A[L] > 0.5: the network's probability that y = 1 is above one half."),
    M("predict", "threshold 0", lambda X, params: (_output(X, params) > 0).astype(float),
      "A[L] is a probability, always above 0: threshold it at 0.5."),
    M("predict", "with the cache",
      lambda X, params: ((_output(X, params) > 0.5).astype(float), model_forward(X, params)[1]),
      expect="returned a tuple"),
    M("predict", "flattened", lambda X, params: (_output(X, params)[0] > 0.5).astype(float),
      expect="lost an axis", edge="shape"),
    M("predict", "compares the pair", lambda X, params: model_forward(X, params) > 0.5,
      expect="predict raised TypeError"),
    M("predict", "squeezed, then a loop", _predict_squeezed,
      expect="iteration over a 0-d array", edge="shape", public=False),
    M("predict", "sigmoid as e^Z / (1 + e^Z)", _predict_own_sigmoid,
      "a saturated output (Z[L] > 709) is classified 0 here: e^Z / (1 + e^Z) is inf / inf = "
      "nan there, and nan > 0.5 is False. Threshold model_forward's A[L], which is exactly 1.0 "
      "there.", edge="extreme", public=False),
    M("train_model", "update thrown away",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, keep_update=False),
      expect="params = update_parameters(params, grads, learning_rate)"),
    M("train_model", "one iteration too many",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             iterations=range(num_iterations + 1)),
      expect="one too many"),
    M("train_model", "one iteration too few",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             iterations=range(1, num_iterations)),
      expect="one too few"),
    M("train_model", "cost every 100 iterations",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, record=lambda i: i % 100 == 0),
      expect="not of every 100th"),
    M("train_model", "default scale 0.01",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: initialize_parameters(dims, rng)),
      expect="wrong standard deviation"),
    M("train_model", "1/sqrt(n) initialisation",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: _he(dims, rng, lambda d, l: 1 / np.sqrt(d[l - 1]))),
      expect="wrong standard deviation"),
    M("train_model", "He with n_l for n_{l-1}",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: _he(dims, rng, lambda d, l: np.sqrt(2.0 / d[l]))),
      expect="wrong standard deviation"),
    M("train_model", "uniform initialisation",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: {k: rng.uniform(-1, 1, v.shape) * np.sqrt(6.0 / v.shape[1])
                                     if k[0] == "W" else v
                                     for k, v in initialize_parameters(dims, rng).items()}),
      expect="not look normally distributed"),
    M("train_model", "output layer left at N(0, 1)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, init=_he_loop_one_short),
      expect="layer 4 should have sqrt(2 / layer_dims[3])", edge="per-part"),
    M("train_model", "n_0 for every layer",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             init=lambda dims, rng: _he(dims, rng, lambda d, l: np.sqrt(2.0 / d[0]))),
      expect="layer 2 should have sqrt(2 / layer_dims[1])", edge="per-part"),
    M("train_model", "initial weights in float32", _train_float32,
      expect="has dtype float32", edge="type"),
    M("train_model", "global np.random", _train_global_random, expect=GLOBAL_RANDOM),
    M("train_model", "own generator", _train_own_generator, expect="different generators",
      edge="randomness"),
    M("train_model", "fixed learning rate", _train_fixed_learning_rate,
      expect="the learning_rate argument", edge="boundary"),
    M("train_model", "initialised inside the loop", _train_init_in_loop,
      expect="with num_iterations = 0", edge="boundary"),
    M("train_model", "returns (costs, params)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, swap_return=True),
      expect="return (params, costs)"),
    M("train_model", "model_backward(Y, AL, caches)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng,
             backward_args=lambda AL, Y: (Y, AL)),
      expect="went up"),
    M("train_model", "compute_cost(Y, AL)",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, cost_args=lambda AL, Y: (Y, AL)),
      expect="compute_cost(AL, Y)"),
    M("train_model", "cost after the update",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, cost_after_update=True),
      expect="before any update", edge="boundary"),
    M("train_model", "only the last layer updated",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, update=_update_last_layer_only),
      expect="params['W1'] did not change in one iteration"),
    M("train_model", "learning rate halved",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate / 2, num_iterations, rng),
      expect="moved by 0.5 times learning_rate"),
    M("train_model", "biases never updated",
      lambda X, Y, layer_dims, learning_rate, num_iterations, rng:
      _train(X, Y, layer_dims, learning_rate, num_iterations, rng, update=_update_weights_only),
      expect="params['b1'] did not change in one iteration"),
    M("xor_tree_network", "a chain of XORs", lambda n, k=10.0: _xor_tree(n, k, chain=True),
      expect="is a chain of n - 1", edge="shape"),
    M("xor_tree_network", "one layer of summing units (the zigzag)", _zigzag,
      expect="It sums all the bits", edge="per-part"),
    M("xor_tree_network", "value without a partner dropped",
      lambda n, k=10.0: _xor_tree(n, k, keep_leftover=False),
      expect="the one without a partner is passed on", edge="shape"),
    M("xor_tree_network", "k on every layer",
      lambda n, k=10.0: _xor_tree(n, k, scale_every_layer=True),
      expect="does not compute the parity"),
    M("xor_tree_network", "output inverted",
      lambda n, k=10.0: _xor_tree(n, k, output=lambda V, c, k: (-2.0 * k * V, k * (1.0 - 2.0 * c))),
      expect="the opposite of the parity on every one"),
    M("xor_tree_network", "output bias k * 2c - 1",
      lambda n, k=10.0: _xor_tree(n, k, output=lambda V, c, k: (k * 2.0 * V, k * 2.0 * c - 1.0)),
      expect="its bias included", edge="extreme"),
    M("xor_tree_network", "no output bias",
      lambda n, k=10.0: _xor_tree(n, k, output=lambda V, c, k: (2.0 * k * V, 2.0 * k * c)),
      expect="on every pattern, odd and even", edge="per-part"),
    M("xor_tree_network", "integer weights", lambda n, k=10.0: _xor_tree(n, k, integer=True),
      expect="is an array of int64", edge="type"),
    M("xor_tree_network", "default k = 1", lambda n, k=1.0: xor_tree_network(n, k),
      expect="The default is k = 10.0", edge="boundary"),
    M("xor_tree_network", "output layer from a name the loop defines",
      lambda n, k=10.0: _xor_tree(n, k, output_from_loop=True),
      expect="raised UnboundLocalError", edge="boundary", public=False),
    M("dnf_network", "AND units for the even patterns", lambda n, k=10.0: _dnf(n, k, which=0),
      expect="has an even number of ones"),
    M("dnf_network", "bias -|p|",
      lambda n, k=10.0: _dnf(n, k, bias=lambda p: -p.sum(axis=1, keepdims=True)),
      expect="it never fires"),
    M("dnf_network", "no -1 weights for the zero bits",
      lambda n, k=10.0: _dnf(n, k, weights=lambda p: p.copy()),
      expect="an AND unit fires for its own pattern"),
    M("dnf_network", "one unit per pattern", lambda n, k=10.0: _dnf(n, k, which="all"),
      expect="one per pattern", edge="shape"),
    M("dnf_network", "output bias -1, not -k",
      lambda n, k=10.0: _dnf(n, k, output=lambda p, k: (np.full((1, len(p)), 2.0 * k),
                                                         np.array([[-1.0]]))),
      expect="its bias included", edge="extreme"),
    M("dnf_network", "no output bias",
      lambda n, k=10.0: _dnf(n, k, output=lambda p, k: (np.full((1, len(p)), 2.0 * k),
                                                         np.zeros((1, 1)))),
      expect="on every pattern, odd and even", edge="per-part"),
    M("dnf_network", "integer weights", _dnf_integer, expect="is an array of int64", edge="type"),
    M("dnf_network", "patterns from np.unpackbits of uint8",
      lambda n, k=10.0: _dnf(n, k, patterns=_unpackbits_patterns),
      expect="holds 8 bits only", edge="extreme", public=False),
    M("dnf_network", "np.squeeze of the odd patterns", _dnf_squeezed,
      expect="np.squeeze drops both axes",
      edge="boundary", public=False),
    M("parity_data", "count, not parity",
      lambda n_bits: (parity_data(n_bits)[0], parity_data(n_bits)[0].sum(axis=0, keepdims=True)),
      expect="modulo 2"),
    M("parity_data", "even parity",
      lambda n_bits: (parity_data(n_bits)[0], 1 - parity_data(n_bits)[1]),
      expect="1 where the number of ones is odd"),
    M("parity_data", "patterns as rows", lambda n_bits: (parity_data(n_bits)[0].T, parity_data(n_bits)[1]),
      expect="transposed", edge="shape"),
    M("parity_data", "Y flat", lambda n_bits: (parity_data(n_bits)[0], parity_data(n_bits)[1].ravel()),
      expect="keepdims=True"),
    M("parity_data", "integers", _parity_ints, expect="astype(float)", edge="type"),
    M("parity_data", "last pattern missing", _parity_missing_last, expect="all 2**n_bits",
      edge="boundary"),
    M("parity_data", "np.unpackbits of uint8", _parity_unpackbits,
      expect="holds 8 bits only", edge="extreme", public=False),
    M("parity_data", "one bit too few", _parity_narrow, expect="exactly once"),
    M("parity_data", "random patterns", _parity_random, expect="exactly once"),
    M("parity_data", "XOR of the first two bits", _parity_first_two,
      expect="the parity of all n_bits bits"),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb02 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES += [in_float32(name, getattr(_reference, name))
             for name in ("parity_data", "xor_tree_network", "dnf_network")]
