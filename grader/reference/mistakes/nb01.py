"""Mistakes in notebook 01, as students make them."""
from __future__ import annotations

import numpy as np

from ..nb01 import (linear_activation_backward, linear_activation_forward, linear_backward, linear_forward,
                    relu, relu_backward, sigmoid, sigmoid_backward)
from . import GLOBAL_RANDOM, Mistake

# -- sigmoid, relu -------------------------------------------------------------------


def _sigmoid_sign(Z):
    with np.errstate(over="ignore"):  # exp(800) = inf (quiet in the build)
        return 1 / (1 + np.exp(Z))


def _sigmoid_exp_ratio(Z):
    with np.errstate(over="ignore", invalid="ignore"):  # (quiet in the build)
        return np.exp(Z) / (1 + np.exp(Z))  # nan = inf / inf where Z > 709


def _relu_in_place(Z):
    Z[Z < 0] = 0
    return Z


def _relu_np_max(Z):
    return np.max(0, Z)  # np.max's second argument is an axis


# -- sigmoid_backward, relu_backward -------------------------------------------------


def _relu_backward_in_place(dA, Z):
    dZ = dA  # an alias, not a copy
    dZ[Z <= 0] = 0
    return dZ


# -- initialize_parameters -----------------------------------------------------------


def _init(layer_dims, draw, b=None, keys=lambda l: (f"W{l}", f"b{l}"), last=0):
    params = {}
    for l in range(1, len(layer_dims) - last):
        kW, kb = keys(l)
        params[kW] = draw(layer_dims[l], layer_dims[l - 1])
        params[kb] = np.zeros((layer_dims[l], 1)) if b is None else b(layer_dims[l])
    return params


def _init_no_scale(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: rng.standard_normal((n, p)))


def _init_fixed_scale(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: 0.01 * rng.standard_normal((n, p)))


def _init_transposed(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.standard_normal((p, n)))


def _init_flat_b(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.standard_normal((n, p)), b=np.zeros)


def _init_random_b(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.standard_normal((n, p)),
                 b=lambda n: scale * rng.standard_normal((n, 1)))


def _init_global_random(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * np.random.randn(n, p))


def _init_uniform(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.random((n, p)))


def _init_symmetric_uniform(layer_dims, rng, scale=0.01):
    # right mean, right variance, wrong distribution
    return _init(layer_dims, lambda n, p: scale * np.sqrt(3) * rng.uniform(-1, 1, (n, p)))


def _init_skips_last(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.standard_normal((n, p)), last=1)


def _init_zero_indexed(layer_dims, rng, scale=0.01):
    return _init(layer_dims, lambda n, p: scale * rng.standard_normal((n, p)),
                 keys=lambda l: (f"W{l - 1}", f"b{l - 1}"))


# -- forward -------------------------------------------------------------------------


def _laf(A_prev, W, b, activation, g=None, cache=None):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = (g or {"relu": relu, "sigmoid": sigmoid}[activation])(Z)
    return A, (cache(linear_cache, Z, A) if cache else (linear_cache, Z))


def _model_forward(X, params, activation_of=None, stop_early=False, L=None, keep_last_cache=True):
    L = L if L is not None else len(params) // 2
    A, caches = X, []
    for l in range(1, L + (0 if stop_early else 1)):
        act = activation_of(l, L) if activation_of else ("sigmoid" if l == L else "relu")
        A, c = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], act)
        if keep_last_cache or l < L:
            caches.append(c)
    return A, caches


# -- backward ------------------------------------------------------------------------


def _lb(dZ, cache, scale_dW=None, scale_dA=1.0, db=None, dW=None):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW_ = dW(dZ, A_prev, m) if dW else dZ @ A_prev.T / m
    db_ = db(dZ, m) if db else np.sum(dZ, axis=1, keepdims=True) / m
    if scale_dW is not None:
        dW_, db_ = dW_ * scale_dW, db_ * scale_dW
    return scale_dA * (W.T @ dZ), dW_, db_


def _model_backward(AL, Y, caches, dZL=None, last="sigmoid", hidden="relu", key_shift=0,
                    first=1):
    L = len(caches)
    grads = {}
    if last == "sigmoid":
        dZ = dZL(AL, Y) if dZL else AL - Y
        dA, dW, db = linear_backward(dZ, caches[L - 1][0])
    else:
        dAL = -(Y / AL - (1 - Y) / (1 - AL))
        dA, dW, db = linear_backward(relu_backward(dAL, caches[L - 1][1]), caches[L - 1][0])
    grads[f"dW{L - key_shift}"], grads[f"db{L - key_shift}"] = dW, db
    for l in range(L - 1, first - 1, -1):
        linear_cache, Z = caches[l - 1]
        g_back = {"relu": relu_backward, "sigmoid": sigmoid_backward}[hidden]
        dA, dW, db = linear_backward(g_back(dA, Z), linear_cache)
        grads[f"dW{l - key_shift}"], grads[f"db{l - key_shift}"] = dW, db
    return grads


def _update_in_place(params, grads, learning_rate):
    for key in params:
        params[key] -= learning_rate * grads["d" + key]
    return params


def _update_layers_from_grads(params, grads, learning_rate):
    params = {k: v.copy() for k, v in params.items()}
    L = len(grads) // 2  # grads may hold extra keys (dA0, dA1, ...): too many layers
    for l in range(1, L + 1):
        params[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        params[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return params


def _update_from_grads_dict(params, grads, learning_rate):
    new = dict(grads)  # started from the wrong dict: the gradients stay in the result
    for key in params:
        new[key] = params[key] - learning_rate * grads["d" + key]
    return new


def _update(params, grads, learning_rate, sign=-1.0, lr=True, skip=lambda key, L: False):
    L = len(params) // 2
    return {k: v if skip(k, L) else v + sign * (learning_rate if lr else 1.0) * grads["d" + k]
            for k, v in params.items()}


def _sigmoid_two_loops(Z):
    A = np.zeros(Z.shape)
    for i in range(Z.shape[0]):  # rows and columns: a 2-D array is assumed
        for j in range(Z.shape[1]):
            A[i, j] = 1 / (1 + np.exp(-Z[i, j]))
    return A


def _init_output_layer_fixed(layer_dims, rng, scale=0.01):
    # the output layer drawn apart, with the notebook's usual 0.01 typed in
    L = len(layer_dims) - 1
    return _init(layer_dims, lambda n, p: (0.01 if L > 1 and (n, p) == tuple(layer_dims[-1:-3:-1])
                                           else scale) * rng.standard_normal((n, p)))


def _model_backward_via_dAL(AL, Y, caches):
    # dA[L] first, then sigmoid_backward: right, until the sigmoid saturates at 0 or 1
    L = len(caches)
    grads = {}
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
    return grads


M = Mistake
MISTAKES = [
    M("sigmoid", "exponent sign", _sigmoid_sign,
      "sigmoid(Z) = 1 / (1 + exp(-Z)): the exponent is -Z, not Z."),
    M("sigmoid", "returns a cache", lambda Z: (sigmoid(Z), Z),
      expect="return only the array"),
    M("sigmoid", "derivative instead", lambda Z: sigmoid(Z) * (1 - sigmoid(Z)),
      "that is sigmoid's derivative s (1 - s); sigmoid itself is 1 / (1 + exp(-Z))."),
    M("sigmoid", "exp(Z) / (1 + exp(Z))", _sigmoid_exp_ratio, expect="an overflow"),
    M("sigmoid", "two loops", _sigmoid_two_loops, expect="IndexError", edge="shape", public=False),
    M("sigmoid", "tanh", lambda Z: np.tanh(Z),
      "that is tanh; sigmoid is 1 / (1 + exp(-Z)), with values between 0 and 1."),
    M("relu", "modifies Z", _relu_in_place, expect="modified its argument `Z`"),
    M("relu", "absolute value", lambda Z: np.abs(Z),
      "relu sets negative values to 0; it does not take their absolute value."),
    M("relu", "derivative instead", lambda Z: (Z > 0).astype(float),
      "that is relu's derivative, a 0/1 mask; relu(Z) = max(0, Z) keeps positive values."),
    M("relu", "boolean mask", lambda Z: Z > 0, expect="array of booleans"),
    M("relu", "np.max", _relu_np_max, expect="relu raised"),
    M("relu", "leaky", lambda Z: np.maximum(0.01 * Z, Z),
      "this is a leaky relu; relu makes negative values exactly 0."),
    M("sigmoid_backward", "Z used as A", lambda dA, Z: dA * Z * (1 - Z),
      "you used Z where A = sigmoid(Z) belongs: compute s = sigmoid(Z) first, then "
      "dA * s * (1 - s)."),
    M("sigmoid_backward", "forgot dA", lambda dA, Z: sigmoid(Z) * (1 - sigmoid(Z)),
      "you returned g'(Z) alone; the chain rule multiplies it by dA."),
    M("sigmoid_backward", "s instead of s(1-s)", lambda dA, Z: dA * sigmoid(Z),
      "sigmoid'(Z) = s (1 - s), not s."),
    M("sigmoid_backward", "matrix product", lambda dA, Z: dA @ (sigmoid(Z) * (1 - sigmoid(Z))).T,
      "dZ = dA * g'(Z) is an elementwise product (*), not a matrix product.",
      expect="elementwise product"),
    M("relu_backward", "modifies dA", _relu_backward_in_place,
      expect="modified its argument `dA`"),
    M("relu_backward", "gated on dA", lambda dA, Z: dA * (dA > 0),
      "the gate is Z > 0 (where the unit was active in the forward pass), not dA > 0."),
    M("relu_backward", "forgot dA", lambda dA, Z: (Z > 0).astype(float),
      "you returned relu'(Z) alone; the chain rule multiplies it by dA."),
    M("relu_backward", "relu(Z) for relu'(Z)", lambda dA, Z: dA * relu(Z),
      "multiply dA by relu's derivative (Z > 0), not by relu(Z)."),
    M("initialize_parameters", "no scale", _init_no_scale, expect="not multiplied by the scale"),
    M("initialize_parameters", "output layer at 0.01", _init_output_layer_fixed,
      expect="another scale than the others", edge="per-part"),
    M("initialize_parameters", "default scale 0.1",
      lambda layer_dims, rng, scale=0.1: _reference.initialize_parameters(layer_dims, rng, scale),
      expect="expected scale = 0.01", edge="boundary"),
    M("initialize_parameters", "ignores scale", _init_fixed_scale, expect="instead of the scale argument"),
    M("initialize_parameters", "W transposed", _init_transposed, expect="transposed"),
    M("initialize_parameters", "b flat", _init_flat_b, expect="(n_l, 1)"),
    M("initialize_parameters", "b random", _init_random_b, expect="should be zeros"),
    M("initialize_parameters", "global np.random", _init_global_random, expect=GLOBAL_RANDOM),
    M("initialize_parameters", "uniform on [0, 1)", _init_uniform, expect="mean"),
    M("initialize_parameters", "uniform, right variance", _init_symmetric_uniform,
      expect="normal"),
    M("initialize_parameters", "skips last layer", _init_skips_last, expect="has no key"),
    M("initialize_parameters", "keys from 0", _init_zero_indexed, expect="W0"),
    M("linear_forward", "forgot b", lambda A_prev, W, b: (W @ A_prev, (A_prev, W, b)),
      "you forgot to add b: Z = W A_prev + b."),
    M("linear_forward", "cache order", lambda A_prev, W, b: (W @ A_prev + b, (W, A_prev, b)),
      "the cache is (A_prev, W, b), in this order."),
    M("linear_forward", "elementwise", lambda A_prev, W, b: (W * A_prev + b, (A_prev, W, b)),
      expect="linear_forward raised"),
    M("linear_forward", "returns Z only", lambda A_prev, W, b: W @ A_prev + b,
      expect="should be a tuple"),
    M("linear_activation_forward", "caches A for Z",
      lambda A_prev, W, b, activation: _laf(A_prev, W, b, activation, cache=lambda lc, Z, A: (lc, A)),
      "the cache keeps Z, the input of the activation, not A: cache = (linear_cache, Z)."),
    M("linear_activation_forward", "always relu",
      lambda A_prev, W, b, activation: _laf(A_prev, W, b, activation, g=relu),
      "use the activation that was asked for: relu for \"relu\", sigmoid for \"sigmoid\"."),
    M("linear_activation_forward", "activations swapped",
      lambda A_prev, W, b, activation: _laf(A_prev, W, b, activation,
                                            g={"relu": sigmoid, "sigmoid": relu}[activation]),
      'activation "relu" applies relu and "sigmoid" applies sigmoid: they are swapped.'),
    M("linear_activation_forward", "no activation",
      lambda A_prev, W, b, activation: _laf(A_prev, W, b, activation, g=lambda Z: Z),
      "you returned Z; A = g(Z) applies the activation."),
    M("linear_activation_forward", "flat cache",
      lambda A_prev, W, b, activation: _laf(A_prev, W, b, activation,
                                            cache=lambda lc, Z, A: (*lc, Z)),
      "the cache is a pair (linear_cache, Z), where linear_cache = (A_prev, W, b)."),
    M("model_forward", "relu on the last layer",
      lambda X, params: _model_forward(X, params, activation_of=lambda l, L: "relu"),
      "the last layer uses sigmoid; only the hidden layers use relu."),
    M("model_forward", "sigmoid everywhere",
      lambda X, params: _model_forward(X, params, activation_of=lambda l, L: "sigmoid"),
      "the hidden layers use relu; only the last layer uses sigmoid."),
    M("model_forward", "last cache missing",
      lambda X, params: _model_forward(X, params, keep_last_cache=False),
      "keep one cache per layer, the last layer's too."),
    M("model_forward", "L = len(params)", lambda X, params: _model_forward(X, params, L=len(params)),
      expect="KeyError"),
    M("model_forward", "stops a layer early", lambda X, params: _model_forward(X, params, stop_early=True),
      "the loop stops one layer early: layers run from 1 to L, and L = len(params) // 2."),
    M("compute_cost", "forgot 1/m",
      lambda AL, Y: float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))),
      "divide by m: the cost is the mean loss over the examples."),
    M("compute_cost", "forgot the minus",
      lambda AL, Y: float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))),
      "the cost has a minus sign in front (logs of probabilities are negative)."),
    M("compute_cost", "only the y = 1 term", lambda AL, Y: float(-np.mean(Y * np.log(AL))),
      "the loss has two terms: Y log(AL) + (1 - Y) log(1 - AL)."),
    M("compute_cost", "(1, 1) array",
      lambda AL, Y: -(Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T) / Y.shape[1],
      expect="`.item()`"),
    M("compute_cost", "mean over axis 0",
      lambda AL, Y: -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=0),
      expect="plain number"),
    M("compute_cost", "AL clipped to [0.05, 0.95]",
      lambda AL, Y: float(-np.mean(Y * np.log(np.clip(AL, 0.05, 0.95))
                                   + (1 - Y) * np.log(1 - np.clip(AL, 0.05, 0.95)))),
      "you clipped AL to [0.05, 0.95]: that changes the cost of every confident prediction. "
      "Use AL as it is (or clip by a tiny epsilon such as 1e-12, only to avoid log(0))."),
    M("compute_cost", "AL clipped to [1e-3, 1 - 1e-3]",
      lambda AL, Y: float(-np.mean(Y * np.log(np.clip(AL, 1e-3, 1 - 1e-3))
                                   + (1 - Y) * np.log(1 - np.clip(AL, 1e-3, 1 - 1e-3)))),
      "you clipped AL to [1e-3, 1 - 1e-3]: that changes the cost of confident predictions "
      "such as AL = 1e-4. Use AL as it is (or clip by a tiny epsilon such as 1e-12, only to "
      "avoid log(0))."),
    M("compute_cost", "log10",
      lambda AL, Y: float(-np.mean(Y * np.log10(AL) + (1 - Y) * np.log10(1 - AL))),
      "use the natural logarithm np.log, not np.log10."),
    M("linear_backward", "forgot 1/m", lambda dZ, cache: _lb(dZ, cache, scale_dW=cache[0].shape[1]),
      "dW and db carry the 1/m of the cost: dW = (1/m) dZ A_prev.T, db = (1/m) sum over examples."),
    M("linear_backward", "1/m in dA_prev",
      lambda dZ, cache: _lb(dZ, cache, scale_dA=1 / cache[0].shape[1]),
      "dA_prev = W.T dZ has no 1/m: the 1/m goes into dW and db only."),
    M("linear_backward", "db lost keepdims",
      lambda dZ, cache: _lb(dZ, cache, db=lambda dZ, m: np.sum(dZ, axis=1) / m),
      "db needs keepdims=True to stay a column (n_l, 1).", expect="keepdims=True"),
    M("linear_backward", "db over axis 0",
      lambda dZ, cache: _lb(dZ, cache, db=lambda dZ, m: np.sum(dZ, axis=0, keepdims=True) / m),
      "db sums dZ over the examples, axis=1.", expect="axis=1"),
    M("linear_backward", "dW transposed",
      lambda dZ, cache: _lb(dZ, cache, dW=lambda dZ, A_prev, m: A_prev @ dZ.T / m),
      "dW = (1/m) dZ A_prev.T has W's shape (n_l, n_{l-1}).", expect="transposed"),
    M("linear_backward", "mean over all of dZ for db",
      lambda dZ, cache: _lb(dZ, cache, db=lambda dZ, m: np.full((dZ.shape[0], 1), dZ.mean())),
      "db sums each row of dZ (one value per unit), over the examples: np.sum(dZ, axis=1, "
      "keepdims=True) / m."),
    M("linear_activation_backward", "activations swapped",
      lambda dA, cache, activation: linear_backward(
          {"relu": sigmoid_backward, "sigmoid": relu_backward}[activation](dA, cache[1]), cache[0]),
      "use relu_backward for \"relu\" and sigmoid_backward for \"sigmoid\": they are swapped."),
    M("linear_activation_backward", "skipped the activation",
      lambda dA, cache, activation: linear_backward(dA, cache[0]),
      "first dZ = dA * g'(Z) with the activation's backward function, then linear_backward(dZ, "
      "linear_cache)."),
    M("linear_activation_backward", "sigmoid' = s",
      lambda dA, cache, activation: linear_backward(
          dA * sigmoid(cache[1]) if activation == "sigmoid" else relu_backward(dA, cache[1]),
          cache[0]),
      "for \"sigmoid\", dZ = dA * s * (1 - s) with s = sigmoid(Z): multiply by sigmoid's "
      "derivative, not by sigmoid(Z) itself (sigmoid_backward(dA, Z) does this)."),
    M("model_backward", "through dA[L]", _model_backward_via_dAL,
      expect="an overflow, a division by zero", edge="extreme", public=False),
    M("model_backward", "dZ = Y - AL", lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=lambda AL, Y: Y - AL),
      "dZ[L] = AL - Y; Y - AL gives every gradient the wrong sign."),
    M("model_backward", "1/m in dZ[L]",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, dZL=lambda AL, Y: (AL - Y) / Y.shape[1]),
      "dZ[L] = AL - Y, without 1/m: linear_backward already divides by m."),
    M("model_backward", "relu on the last layer",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, last="relu"),
      "the last layer is a sigmoid layer: dZ[L] = AL - Y."),
    M("model_backward", "sigmoid in hidden layers",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, hidden="sigmoid"),
      "the hidden layers are relu layers: use relu_backward there."),
    M("model_backward", "keys shifted by one",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, key_shift=1), expect="has no key"),
    M("model_backward", "stops before layer 1",
      lambda AL, Y, caches: _model_backward(AL, Y, caches, first=2), expect="has no key 'dW1'"),
    M("update_parameters", "plus sign", lambda params, grads, learning_rate: _update(params, grads, learning_rate, sign=1.0),
      "gradient descent steps downhill: W - learning_rate * dW."),
    M("update_parameters", "no learning rate", lambda params, grads, learning_rate: _update(params, grads, learning_rate, lr=False),
      "multiply the gradient by learning_rate."),
    M("update_parameters", "b not updated",
      lambda params, grads, learning_rate: _update(params, grads, learning_rate,
                                                    skip=lambda k, L: k.startswith("b")),
      "update b as well as W."),
    M("update_parameters", "last layer not updated",
      lambda params, grads, learning_rate: _update(params, grads, learning_rate,
                                                    skip=lambda k, L: k[1:] == str(L)),
      "update every layer, 1 to L (the loop stops one layer early)."),
    M("update_parameters", "in place", _update_in_place, expect="modified its argument `params`"),
    M("update_parameters", "L = len(grads) // 2", _update_layers_from_grads,
      expect="update_parameters raised KeyError"),
    M("update_parameters", "gradients kept in the result", _update_from_grads_dict,
      expect="has unexpected keys ['dW1'"),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb01 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("initialize_parameters", _reference.initialize_parameters))

# Saturated units (hidden trials): a sigmoid derivative or activation written with exp(-Z) or
# exp(Z) alone overflows at |Z| > 709 and gives nan where the true value is 0 or 1
_OVERFLOW = "an overflow"
MISTAKES += [
    Mistake("sigmoid_backward", "e^-Z / (1 + e^-Z)^2 overflows",
            lambda dA, Z: dA * np.exp(-Z) / (1 + np.exp(-Z)) ** 2, expect=_OVERFLOW),
    Mistake("linear_activation_forward", "sigmoid as e^Z / (1 + e^Z)",
            lambda A_prev, W, b, activation: _reference.linear_activation_forward(A_prev, W, b, activation)
            if activation == "relu" else _inline_sigmoid(A_prev, W, b), expect=_OVERFLOW),
    Mistake("linear_activation_backward", "sigmoid' as e^-Z / (1 + e^-Z)^2",
            lambda dA, cache, activation: _reference.linear_activation_backward(dA, cache, activation)
            if activation == "relu" else _reference.linear_backward(
                dA * np.exp(-cache[1]) / (1 + np.exp(-cache[1])) ** 2, cache[0]), expect=_OVERFLOW),
]


def _inline_sigmoid(A_prev, W, b):
    Z, cache = _reference.linear_forward(A_prev, W, b)
    return np.exp(Z) / (1 + np.exp(Z)), (cache, Z)

