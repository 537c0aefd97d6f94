"""How the notebook 01 exercises are tried.

Inputs avoid the ReLU kink (every Z is at least 0.05 away from 0), use non-square
matrices in the public trials (so a transposition fails loudly) and nonzero biases.
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch, keys, kind
from . import Clause, Spec, agree, any_shape, beyond, default, one_example

# -- inputs ----------------------------------------------------------------------------


def _sizes(rng, i, public=((3, 4, 5), (1, 3, 2), (5, 2, 7), (4, 6, 3))):
    """(n_l, n_{l-1}, m) for trial i: fixed non-square shapes first, then random ones; trial
    6 (hidden) has a single example, m = 1 (np.sum without keepdims loses db's axis there)."""
    if i < len(public):
        return public[i]
    n, n_prev, m = (int(x) for x in rng.integers(1, 7, size=3))
    return (max(n, 2), n_prev, 1) if i == ONE_EXAMPLE else (n, n_prev, m)


# hidden trial with m = 1 (a single example) in every exercise that takes examples
ONE_EXAMPLE = 6
# the depth of hidden trial 7's network
DEEP = 6


def _away_from_zero(rng, shape, low=0.05, high=3.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def _layer(rng, i):
    n, n_prev, m = _sizes(rng, i)
    while True:
        A_prev = rng.standard_normal((n_prev, m))
        W = rng.standard_normal((n, n_prev))
        b = rng.standard_normal((n, 1))
        if np.abs(W @ A_prev + b).min() > 0.05:  # away from the kink
            return A_prev, W, b


def _activation(i):
    return ("relu", "sigmoid")[i % 2]


def _network(rng, i):
    """X, Y and params of a small network whose hidden Z all stay away from 0."""
    from ..reference.nb01 import model_forward

    depth = (2, 3, 4, 1)[i] if i < 4 else DEEP if i == 7 else int(rng.integers(1, 5))
    m = 1 if i == ONE_EXAMPLE else 3 if i == 7 else int(rng.integers(3, 8))
    dims = [int(rng.integers(2, 6)) for _ in range(depth)] + [1]
    if i == 8:  # a hidden layer of one unit
        depth = max(depth, 2)
        dims = [int(rng.integers(2, 6)), 1] + [int(rng.integers(2, 6)) for _ in range(depth - 2)] + [1]
    while True:
        params = {}
        for l in range(1, depth + 1):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((dims[0], m))
        AL, caches = model_forward(X, params)
        if all(np.abs(Z).min() > 0.05 for _, Z in caches):
            Y = (rng.random((1, m)) < 0.5).astype(float)
            return X, Y, params, AL, caches


def _cost_inputs(rng, i):
    """Trial 3 (and every third hidden trial after it) has only confident predictions, right
    and wrong, AL between 1e-4 and 5e-4 from 0 or 1: clipping AL to [1e-3, 1 - 1e-3] (or
    narrower) changes the cost there, an epsilon such as 1e-12 does not. Hidden trial 5 has
    m = 1."""
    m = (4, 7, 3, 8)[i] if i < 4 else 1 if i == 5 else int(rng.integers(2, 12))
    AL = rng.uniform(0.05, 0.95, (1, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    if i >= 3 and i % 3 == 0:
        near = 10 ** rng.uniform(-4, -3.3, (1, m))
        AL = np.where(rng.random((1, m)) < 0.5, near, 1 - near)
        if i == 3:  # both labels at both ends
            AL, Y = np.array([[1e-4, 2e-4, 1 - 5e-4, 1 - 1e-4, 3e-4, 5e-4, 1 - 2e-4, 1 - 3e-4]]), \
                np.array([[1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]])
    return {"AL": AL, "Y": Y}


def _grads_for(rng, params, with_dA):
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    if with_dA:  # model_backward's extra keys: an update must not trip over them (two of
        # them, so counting the layers as len(grads) // 2 is one too many)
        grads["dA0"] = rng.standard_normal((3, 2))
        grads["dA1"] = rng.standard_normal((2, 2))
    return grads


def _init_inputs(rng, i):
    """Hidden trial 4 has a small output layer (20 of 2020 weights): a scale wrong there
    alone hides in statistics pooled over the layers; trial 5 has a one-unit hidden layer
    and a deep network."""
    dims = ([30, 20, 10, 1], [50, 12], [16, 40, 8])[i] if i < 3 else [30, 40, 20, 1] if i == 4 \
        else [12, 1, 30, 25, 20, 15, 10] if i == 5 else \
        [int(rng.integers(10, 40)) for _ in range(int(rng.integers(2, 5)))]
    inputs = {"layer_dims": dims, "rng": np.random.default_rng(int(rng.integers(2**31)))}
    if i % 3:  # trial 0 leaves scale at its default
        inputs["scale"] = float((0.5, 2.0)[i % 2]) if i < 3 else float(rng.uniform(0.05, 3))
    return inputs


# -- properties ------------------------------------------------------------------------


def _initialization_properties(trial):
    """Keys, shapes, zero biases, W ~ scale N(0, 1) in distribution, and proper use of rng."""
    params, dims = trial.got, trial.inputs["layer_dims"]
    scale = trial.inputs.get("scale", 0.01)
    L = len(dims) - 1
    if not isinstance(params, dict):
        raise Mismatch((), f"should be a dict of parameters, got {kind(params)}")
    wanted = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
    for key in wanted:
        if key not in params:
            raise Mismatch((), f"has no key {key!r} (its keys: {keys(params)}); "
                               f"layer_dims = {dims} has L = {L} layers, keys W1, b1 ... W{L}, b{L}")
    extra = keys([k for k in params if k not in wanted])
    if extra:
        raise Mismatch((), f"has unexpected keys {extra}: the layers are numbered 1 to L, "
                           f"so the keys are W1, b1 ... W{L}, b{L}")
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        for key, value, shape in ((f"W{l}", W, (dims[l], dims[l - 1])), (f"b{l}", b, (dims[l], 1))):
            if type(value) is not np.ndarray or value.dtype.kind != "f":
                raise Mismatch((key,), f"should be a float numpy array, got {kind(value)}"
                                       + (f" of {value.dtype}" if isinstance(value, np.ndarray) else ""))
            if value.shape != shape:
                hint = (": transposed? W[l] is (n_l, n_{l-1})" if value.shape == shape[::-1] and key[0] == "W"
                        else ": b[l] is a column (n_l, 1)" if key[0] == "b" else "")
                raise Mismatch((key,), f"has shape {value.shape}, expected {shape}{hint}")
            if not np.all(np.isfinite(value)):
                bad = value[~np.isfinite(value)].ravel()[0]
                raise Mismatch((key,), f"contains {bad}: W = scale * rng.standard_normal(shape) "
                                       f"and b = 0 are finite numbers (a division by zero?)")
        if np.any(b != 0):
            raise Mismatch((f"b{l}",), "should be zeros: only W is drawn at random")
    w = np.concatenate([params[f"W{l}"].ravel() for l in range(1, L + 1)])
    n = w.size
    # Five standard errors: a correct implementation fails with probability below 1e-6.
    # The mean is judged against the spread actually drawn, so a wrong scale shows as one.
    if abs(w.mean()) > 5 * w.std() / np.sqrt(n):
        raise Mismatch((), f"W has mean {w.mean():.3g}; W ~ scale * N(0, 1) has mean 0 "
                           f"(rng.random and rng.uniform(0, 1) draw positive numbers only)")
    if abs(w.std() / scale - 1) > 5 / np.sqrt(2 * n):
        # one layer off among right ones is named as that layer, not as the pool's spread
        if any(_layer_fits(params[f"W{l}"], scale) for l in range(1, L + 1)):
            for l in range(1, L + 1):
                _layer_scale(params[f"W{l}"], f"W{l}", scale)
        raise Mismatch((), _scale_message(w.std(), scale, n))
    within = np.mean(np.abs(w) < scale)
    if abs(within - 0.6827) > 5 * np.sqrt(0.6827 * 0.3173 / n):
        raise Mismatch((), f"W does not look normally distributed ({within:.0%} of values within "
                           f"one standard deviation, 68% for a normal): use rng.standard_normal")
    for l in range(1, L + 1):
        _layer_scale(params[f"W{l}"], f"W{l}", scale)
    again = trial.call()
    if not all(np.array_equal(again[k], params[k]) for k in wanted):
        raise Mismatch((), "came out different for two generators in the same state: draw all "
                           "random numbers from the rng argument, never from np.random")
    other = trial.call(rng=np.random.default_rng(12345))
    if np.array_equal(other["W1"], params["W1"]):
        raise Mismatch((), "gave the same W1 for two different generators: draw from the rng "
                           "argument (do not create your own generator)")


def _scale_message(std, scale, n):
    """What a wrong standard deviation of all the weights says, named where it is one of the
    two usual causes: no factor at all (standard deviation 1), or the notebook's 0.01 typed in
    where the scale argument belongs. Both are judged at the same five standard errors as the
    spread itself, so a right scale is never named."""
    near = lambda value: abs(std / value - 1) <= 5 / np.sqrt(2 * n)  # noqa: E731
    if near(1.0):
        return (f"W has standard deviation {std:.3g}, the spread of N(0, 1) itself: the weights "
                f"are not multiplied by the scale argument ({scale})")
    if scale != 0.01 and near(0.01):
        return (f"W has standard deviation {std:.3g} with scale = {scale}: 0.01 is typed in "
                f"instead of the scale argument")
    return (f"W has standard deviation {std:.3g}, expected scale = {scale} "
            f"(W = scale * rng.standard_normal(shape), using the scale argument)")


def _layer_scale(W, key, scale, z=5.3):
    """Each layer on its own: W / scale has n = W.size N(0, 1) entries, so n * mean(W^2) /
    scale^2 is chi-square with n degrees of freedom. Its bounds at z = 5.3 standard normal
    deviations (Wilson-Hilferty's cube-root approximation; a correct implementation fails with
    probability about 1e-7 per layer) allow the root-mean-square ratio 0.08 to 2.3 for a layer
    of 10 weights and 0.8 to 1.3 for 1000: a layer drawn at another scale (0.01 hard-coded,
    or no scale at all) stands out even where the pool of all layers hides it."""
    n = W.size
    low, high = _layer_bounds(n, z)
    ratio = float(np.sqrt(np.mean(W ** 2))) / scale
    if not low <= ratio <= high:
        raise Mismatch((key,), f"has standard deviation {ratio * scale:.3g} (root mean square), "
                               f"expected scale = {scale} in every layer (for {n} weights, "
                               f"between {low * scale:.3g} and {high * scale:.3g}): is this "
                               f"layer drawn with another scale than the others?")


def _layer_bounds(n, z=5.3):
    """Bounds of the root-mean-square ratio W / scale for n weights (see _layer_scale)."""
    a = 2 / (9 * n)
    return max(1 - a - z * np.sqrt(a), 0.0) ** 1.5, (1 - a + z * np.sqrt(a)) ** 1.5


def _layer_fits(W, scale):
    low, high = _layer_bounds(W.size)
    return low <= float(np.sqrt(np.mean(W ** 2))) / scale <= high


# -- numeric gradients (hidden trials) --------------------------------------------------


def _activation_gradient(g_name):
    def gradients(trial):
        from ..reference import nb01
        from ..reference.numeric import numerical_gradient

        g = getattr(nb01, g_name)
        dA, Z = trial.inputs["dA"], trial.inputs["Z"]
        numeric = numerical_gradient(lambda z: np.sum(dA * g(z)), Z)
        agree((), f"dZ = dA * {g_name}'(Z)", trial.got, numeric)
    return gradients


def _linear_backward_gradients(trial, activation=None):
    from ..reference import nb01
    from ..reference.numeric import numerical_gradient

    if activation is None:
        (A_prev, W, b), upstream = trial.inputs["cache"], trial.inputs["dZ"]
        g = lambda Z: Z  # noqa: E731
    else:
        (A_prev, W, b), _ = trial.inputs["cache"]
        upstream, g = trial.inputs["dA"], getattr(nb01, activation)
    m = A_prev.shape[1]
    f = lambda A, W_, b_: np.sum(upstream * g(W_ @ A + b_))  # noqa: E731
    dA_prev, dW, db = trial.got
    agree((0,), "dA_prev = d(sum dZ * Z)/dA_prev", dA_prev,
           numerical_gradient(lambda A: f(A, W, b), A_prev))
    agree((1,), "dW = (1/m) d(sum dZ * Z)/dW", dW,
           numerical_gradient(lambda W_: f(A_prev, W_, b), W) / m)
    agree((2,), "db = (1/m) d(sum dZ * Z)/db", db,
           numerical_gradient(lambda b_: f(A_prev, W, b_), b) / m)


def _model_backward_gradients(trial):
    from ..reference.nb01 import compute_cost, model_forward
    from ..reference.numeric import numerical_gradient

    caches, Y = trial.inputs["caches"], trial.inputs["Y"]
    if np.abs(caches[-1][1]).max() > SATURATED / 2:
        # log(1 - A[L]) is log 0 there: the cost has no finite difference, and the value
        # check (dZ[L] = A[L] - Y) is the judge
        return
    X = caches[0][0][0]
    params = {}
    for l, ((_, W, b), _) in enumerate(caches, start=1):
        params[f"W{l}"], params[f"b{l}"] = W, b
    for key, value in params.items():
        cost = lambda v, key=key: compute_cost(model_forward(X, {**params, key: v})[0], Y)  # noqa: E731
        agree(("d" + key,), f"d{key} = dJ/d{key}", trial.got["d" + key],
               numerical_gradient(cost, value))


# -- specs -----------------------------------------------------------------------------


def _single(rng, i, shape=((3, 4), (2, 5), (1, 6))):
    """Z's shape: fixed in the first three trials; in the hidden ones, "any shape" means a
    vector (trial 4) and three axes (trial 7) too, and trial 5 has a single example."""
    if i < 3:
        return shape[i]
    n, m = (int(x) for x in rng.integers(1, 7, size=2))
    return {4: (n + 2,), 5: (n + 1, 1), 7: (2, n, 3)}.get(i, (n, m))


def _sigmoid_inputs(rng, i):
    spread = 12.0 if i == 2 else 3.0  # large |Z|: a naive exp(-Z) overflows, harmlessly
    Z = spread * rng.standard_normal(_single(rng, i))
    if i == 2 or (i > 2 and i % 3 == 0):
        # |Z| ~ 800: exp(Z) overflows for Z > 709, so exp(Z) / (1 + exp(Z)) is inf / inf = nan
        # there, while 1 / (1 + exp(-Z)) gives exactly 0 and 1
        spots = rng.choice(Z.size, size=min(2, Z.size), replace=False)
        Z.flat[spots] = np.array([800.0, -800.0])[:spots.size] * rng.uniform(0.95, 1.05, spots.size)
    return {"Z": Z}


# Saturated units. The notebook asks for a sigmoid that is right at |Z| ~ 800, and so must be
# everything built on it: exp(-Z) overflows for Z < -709 (exp(Z) for Z > 709), so formulas such
# as e^-Z / (1 + e^-Z)^2 or e^Z / (1 + e^Z) give inf / inf = nan where the true value is 0 or 1.
# One public trial (a sigmoid one) and hidden trials 5 and 9 push some units there.
SATURATED = 800.0


def _saturating(i, public):
    return i == public or (i > 4 and i % 4 == 1)


def _saturate_rows(rng, W, A_prev, b):
    """b moved so that the first row of Z = W A_prev + b is near +800 and the second near -800."""
    b = b.copy()
    for row, sign in zip(range(b.shape[0]), (1.0, -1.0)):
        b[row] = sign * SATURATED * rng.uniform(0.95, 1.05)
    return b


def _backward_inputs(rng, i):
    shape = _single(rng, i)
    Z = _away_from_zero(rng, shape)
    if _saturating(i, public=2):
        spots = rng.choice(Z.size, size=min(2, Z.size), replace=False)
        Z.flat[spots] = np.array([SATURATED, -SATURATED])[:spots.size] * rng.uniform(0.95, 1.05, spots.size)
    return {"dA": rng.standard_normal(shape), "Z": Z}


def _linear_activation_forward_inputs(rng, i):
    inputs = {**_linear_forward_inputs(rng, i), "activation": _activation(i)}
    if _saturating(i, public=3):
        inputs["b"] = _saturate_rows(rng, inputs["W"], inputs["A_prev"], inputs["b"])
    return inputs


def _linear_forward_inputs(rng, i):
    A_prev, W, b = _layer(rng, i)
    return {"A_prev": A_prev, "W": W, "b": b}


def _linear_backward_inputs(rng, i):
    A_prev, W, b = _layer(rng, i)
    return {"dZ": rng.standard_normal((W.shape[0], A_prev.shape[1])), "cache": (A_prev, W, b)}


def _linear_activation_backward_inputs(rng, i):
    A_prev, W, b = _layer(rng, i)
    if _saturating(i, public=3):
        b = _saturate_rows(rng, W, A_prev, b)
    Z = W @ A_prev + b
    return {"dA": rng.standard_normal(Z.shape), "cache": ((A_prev, W, b), Z),
            "activation": _activation(i)}


def _model_forward_inputs(rng, i):
    X, _, params, _, _ = _network(rng, i)
    if _saturating(i, public=3):  # the output unit saturates: A[L] is exactly 1
        L = len(params) // 2
        params[f"b{L}"] = params[f"b{L}"] + SATURATED
    return {"X": X, "params": params}


def _model_backward_inputs(rng, i):
    X, Y, params, AL, caches = _network(rng, i)
    if i > 4 and i % 4 == 1:  # hidden trials 5 and 9: the output unit saturates, A[L] = 1
        from ..reference.nb01 import model_forward

        L = len(params) // 2
        params[f"b{L}"] = params[f"b{L}"] + SATURATED
        AL, caches = model_forward(X, params)
        Y[0, 0] = 0.0  # a confident wrong answer: dA[L] = 1 / (1 - A[L]) is 1 / 0 there
    return {"AL": AL, "Y": Y, "caches": caches}


def _exact_keys(trial):
    """An update returns the parameters, nothing else (compare lets extra keys through)."""
    got, wanted = trial.got, list(trial.inputs["params"])
    extra = [k for k in got if k not in wanted]
    if extra:
        raise Mismatch((), f"has unexpected keys {keys(extra)}: return the "
                           f"parameters only, the keys of params ({', '.join(wanted[:4])}"
                           f"{', ...' if len(wanted) > 4 else ''}); grads may hold more keys "
                           f"(such as dA0) than there are parameters")


def _update_inputs(rng, i):
    _, _, params, _, _ = _network(rng, i)
    return {"params": params, "grads": _grads_for(rng, params, with_dA=i % 2 == 1),
            "learning_rate": float(rng.uniform(0.01, 1.0))}


# -- the contract, clause by clause -----------------------------------------------------


def _output_saturated(inputs):
    return bool(np.abs(inputs["caches"][-1][1]).max() > SATURATED / 2)


def _small_layer(inputs):
    """A layer with at most 2% of the network's weights, at a scale other than 0.01."""
    dims = inputs["layer_dims"]
    sizes = [a * b for a, b in zip(dims[1:], dims[:-1])]
    return "scale" in inputs and min(sizes) <= 0.02 * sum(sizes)


def _depth(inputs, key="params"):
    return len(inputs[key]) // 2 if key == "params" else len(inputs[key])


def _narrow(inputs):
    return any(W.shape[0] == 1 for (_, W, _), _ in inputs["caches"][:-1])


ELEMENTWISE = (
    Clause("shape", "Z of any shape: a vector, three axes", tried=any_shape("Z")),
    Clause("shape", "a single example (one column)", tried=one_example("Z")),
)
LAYER = (
    Clause("shape", "a single example, m = 1: db is still a column (n_l, 1)",
           tried=one_example("A_prev")),
    Clause("shape", "a layer of one unit, n_l = 1", tried=lambda x: x["W"].shape[0] == 1),
)
CACHED_LAYER = (
    Clause("shape", "a single example, m = 1: db is still a column (n_l, 1)",
           tried=one_example("cache.0")),
    Clause("shape", "a layer of one unit, n_l = 1", tried=lambda x: x["cache"][1].shape[0] == 1),
)
NETWORK = (
    Clause("shape", "a single example, m = 1", tried=one_example("X")),
    Clause("shape", "one layer only (L = 1): the sigmoid layer alone", tried=lambda x: _depth(x) == 1),
    Clause("shape", f"a deep network (L = {DEEP})", tried=lambda x: _depth(x) >= DEEP),
)

SPECS = [
    Spec("sigmoid", _sigmoid_inputs, "A", clauses=ELEMENTWISE + (
        Clause("extreme", "|Z| ~ 800 gives exactly 0 and 1, not nan (exp overflows beyond 709)",
               tried=beyond("Z")),
    )),
    Spec("relu", lambda rng, i: {"Z": rng.standard_normal(_single(rng, i))}, "A",
         clauses=ELEMENTWISE + (
             Clause("state", "Z is left as it was (a new array, not Z with negatives set to 0)",
                    by="grader.runner.call"),
         )),
    Spec("sigmoid_backward", _backward_inputs, "dZ", gradients=_activation_gradient("sigmoid"),
         uses=("sigmoid",), clauses=ELEMENTWISE + (
             Clause("extreme", "saturated units (|Z| ~ 800) give dZ = 0, not nan", tried=beyond("Z")),
             Clause("shape", "dZ = dA * sigma'(Z) elementwise, checked against numeric "
                             "derivatives", by="gradients"),
         )),
    Spec("relu_backward", _backward_inputs, "dZ", gradients=_activation_gradient("relu"),
         clauses=ELEMENTWISE + (
             Clause("extreme", "large |Z| (~ 800) passes dA through or blocks it exactly",
                    tried=beyond("Z")),
             Clause("state", "dA is not modified (dZ = dA is an alias, not a copy)",
                    by="grader.runner.call"),
         )),
    Spec("initialize_parameters", _init_inputs, "params", by_value=False,
         properties=_initialization_properties, clauses=(
             Clause("boundary", "scale defaults to 0.01", tried=default("scale")),
             Clause("per-part", "every layer's W is drawn at scale, even a small one",
                    tried=_small_layer),
             Clause("shape", "a layer of one unit and a deep network",
                    tried=lambda x: 1 in x["layer_dims"][1:-1] and len(x["layer_dims"]) > DEEP),
             Clause("randomness", "the same rng state gives the same parameters, another rng "
                                  "other ones", by="properties"),
         )),
    Spec("linear_forward", _linear_forward_inputs, ("Z", "cache"), clauses=LAYER),
    Spec("linear_activation_forward", _linear_activation_forward_inputs, ("A", "cache"),
         uses=("linear_forward", "sigmoid", "relu"), n_public=4, clauses=LAYER + (
             Clause("extreme", "saturated sigmoid units (|Z| ~ 800) give A = 0 or 1 exactly",
                    tried=lambda x: x["activation"] == "sigmoid" and beyond("b")(x)),
         )),
    Spec("model_forward", _model_forward_inputs, ("AL", "caches"),
         uses=("linear_activation_forward",), n_public=4, clauses=NETWORK + (
             Clause("extreme", "a saturated output unit gives AL = 1 exactly, not nan",
                    tried=lambda x: beyond(f"params.b{_depth(x)}")(x)),
         )),
    Spec("compute_cost", _cost_inputs, "cost", n_public=4, clauses=(
        Clause("shape", "a single example, m = 1", tried=one_example("AL")),
        Clause("extreme", "confident predictions (AL within 1e-3 of 0 or 1) are not clipped",
               tried=lambda x: bool(np.all(np.minimum(x["AL"], 1 - x["AL"]) < 1e-3))),
        Clause("type", "the cost is a plain number, not a (1, 1) array", by="grader.compare.compare"),
    )),
    Spec("linear_backward", _linear_backward_inputs, ("dA_prev", "dW", "db"),
         gradients=_linear_backward_gradients, clauses=CACHED_LAYER),
    Spec("linear_activation_backward", _linear_activation_backward_inputs,
         ("dA_prev", "dW", "db"), n_public=4,
         gradients=lambda t: _linear_backward_gradients(t, t.inputs["activation"]),
         uses=("linear_backward", "sigmoid_backward", "relu_backward"), clauses=(
             Clause("shape", "a single example, m = 1", tried=one_example("cache.1")),
             Clause("extreme", "saturated sigmoid units (|Z| ~ 800) give finite gradients",
                    tried=lambda x: x["activation"] == "sigmoid" and beyond("cache.1")(x)),
         )),
    Spec("model_backward", _model_backward_inputs, "grads", n_public=4,
         gradients=_model_backward_gradients, uses=("linear_backward", "linear_activation_backward"),
         clauses=(
             Clause("shape", "a single example, m = 1", tried=one_example("Y")),
             Clause("shape", "one layer only (L = 1)", tried=lambda x: _depth(x, "caches") == 1),
             Clause("shape", f"a deep network (L = {DEEP})", tried=lambda x: _depth(x, "caches") >= DEEP),
             Clause("shape", "a hidden layer of one unit", tried=_narrow),
             Clause("extreme", "a saturated output (AL = 1 exactly, Y = 0): dZ[L] = AL - Y is "
                               "finite where dA[L] divides by 0", tried=_output_saturated),
         )),
    Spec("update_parameters", _update_inputs, "params", properties=_exact_keys, clauses=(
        Clause("boundary", "grads may hold extra keys (dA0, ...): params' keys only come back",
               tried=lambda x: any(k.startswith("dA") for k in x["grads"])),
        Clause("shape", "a single-layer network (L = 1)", tried=lambda x: _depth(x) == 1),
    )),
]
