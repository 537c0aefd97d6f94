"""How the notebook 05 exercises are tried.

Initializers are randomised: they are checked by statistics of the weights they draw,
layer by layer (each layer has its own variance), never by replaying a random stream.
``numerical_gradient`` and ``gradient_check`` take a function: the stored inputs hold
what builds it (a formula's name and its coefficients, or a network's data) and
``prepare`` builds it. Everything ``prepare`` needs lives here, not in
``grader.reference``, because a student copy of the grader has no reference code. The
functions ``prepare`` builds take only what the contract promises them (f: arrays shaped like
x; cost_fn: a parameter dict like params) and say so when called with anything else.

Contracts (``Spec.clauses``): the edges of each exercise are tried by hidden trials at fixed
indices (one layer, a deep network, one-unit layers; x of three axes, of one entry, transposed;
params of one array): see the constants next to each ``make_inputs``.
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch
from ..compare import kind as _kind
from . import NOISE_MARGIN, Clause, Spec, default, finite_difference_noise

# -- layer sizes ---------------------------------------------------------------------


def _dims(rng, i, public, low, high):
    """layer_dims of trial i: fixed ones first, then random depths and widths."""
    if i < len(public):
        return list(public[i])
    depth = int(rng.integers(2, 5))
    return [int(n) for n in rng.integers(low, high, size=depth + 1)]


# hidden trials at the edges of the initializers' contract
ONE_LAYER, DEEP, ONE_UNIT = 3, 4, 5


def _zeros_inputs(rng, i):
    """Public trial 1 has two layers of one width in a row (b1 and b2 are both (3, 1):
    returned arrays that could be one and the same). Hidden trials 3 to 5: a deep network
    (L = 12, keys past W9), a single input feature and a one-unit hidden layer, one layer
    (L = 1) of one input (W1 and b1 both (4, 1))."""
    edges = {DEEP: [5] + [4] * 11 + [1], ONE_UNIT: [1, 1, 3, 1], ONE_LAYER: [1, 4]}
    if i in edges:
        return {"layer_dims": edges[i]}
    return {"layer_dims": _dims(rng, i, ([4, 3, 3, 1], [6, 2], [3, 5, 4, 7, 1]), 1, 8)}


def _random_init_inputs(rng, i):
    # Public layers differ a lot in width (a fan-in / fan-out mix-up shows in every layer)
    # and hold thousands of weights (statistics with power); trial 1 has two layers of 20
    # units in a row (b2 and b3 of one shape). Hidden trials vary the depth; trials 3 to 5:
    # one layer (L = 1), a deep network (L = 9), and a single input feature and a one-unit
    # hidden layer (n_{l-1} = 1, where the variance is 2 / 1).
    public = ([60, 40, 20, 20, 1], [100, 10, 50], [20, 80, 30, 5])
    edges = {ONE_LAYER: [70, 40], DEEP: [30] + [24] * 8 + [1], ONE_UNIT: [1, 60, 1, 40, 30]}
    dims = edges[i] if i in edges else _dims(rng, i, public, 5, 90)
    return {"layer_dims": dims, "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _layers(inputs) -> int:
    return len(inputs["layer_dims"]) - 1


def _one_input_or_unit(inputs) -> bool:
    """A single input feature, or a hidden layer of one unit (n_{l-1} = 1 for some l)."""
    return 1 in inputs["layer_dims"][:-1]


# -- initializer properties ------------------------------------------------------------

_FIVE = 5.0  # standard errors: a correct implementation fails a test with probability < 1e-6


def _keys_and_shapes(params, dims):
    L = len(dims) - 1
    if not isinstance(params, dict):
        raise Mismatch((), f"should be a dict of parameters, got a {type(params).__name__}")
    wanted = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
    for key in wanted:
        if key not in params:
            raise Mismatch((), f"has no key {key!r} (its keys: {sorted(params, key=repr)}); "
                               f"layer_dims = {dims} has L = {L} layers, keys W1, b1 ... W{L}, b{L}")
    extra = sorted(set(params) - set(wanted), key=repr)
    if extra:
        raise Mismatch((), f"has unexpected keys {extra}: the layers are numbered 1 to L, "
                           f"so the keys are W1, b1 ... W{L}, b{L}")
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            value = params[key]
            if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
                raise Mismatch((key,), "should be a float numpy array")
            if value.shape != shape:
                hint = (": transposed? W[l] is (n_l, n_{l-1})" if value.shape == shape[::-1] and key[0] == "W"
                        else ": b[l] is a column (n_l, 1)" if key[0] == "b" else "")
                raise Mismatch((key,), f"has shape {value.shape}, expected {shape}{hint}")
        if np.any(params[f"b{l}"] != 0):
            raise Mismatch((f"b{l}",), "should be zeros: only W is drawn at random")
    return wanted


def _variance_matches(w, std):
    """Is mean(w^2) consistent with N(0, std^2) weights, within five standard errors?

    k mean(w^2) / std^2 is chi-square with k degrees of freedom; its cube root is close to
    normal (Wilson-Hilferty), which keeps the bound honest for small layers too.
    """
    if std <= 0:
        return bool(np.all(w == 0))
    k = w.size
    ratio = float(np.mean(w ** 2)) / std ** 2
    centre, spread = 1 - 2 / (9 * k), np.sqrt(2 / (9 * k))
    return abs(np.cbrt(ratio) - centre) <= _FIVE * spread


def _candidates(gain, l, dims):
    """Standard deviations that known mistakes give layer l, with what each one means."""
    n, n_prev, n0 = dims[l], dims[l - 1], dims[0]
    name = "2 / n_{l-1}" if gain == 2 else "1 / n_{l-1}"
    other = ("1 / n_{l-1}, Xavier's variance; He's is 2 / n_{l-1} (ReLU zeroes about half "
             "of the units, the 2 makes up for it)" if gain == 2 else
             "2 / n_{l-1}, He's variance (meant for ReLU); Xavier's is 1 / n_{l-1}")
    out = [
        (np.sqrt((3 - gain) / n_prev), f"It matches variance {other}."),
        (np.sqrt(gain / n), f"It matches variance {gain:g} / n_l: divide by n_{{l-1}} = "
                            f"layer_dims[l - 1], the number of inputs of each unit, not by "
                            f"n_l = layer_dims[l]."),
        (gain / n_prev, f"It matches standard deviation {name}: multiply by the square root "
                        f"np.sqrt({gain:g} / n_{{l-1}}), the standard deviation (rng.normal's "
                        f"scale is a standard deviation, not a variance)."),
        (1.0, f"It matches N(0, 1): multiply rng.standard_normal(...) by "
              f"np.sqrt({gain:g} / n_{{l-1}})."),
        (0.01, "It matches notebook 01's scale 0.01: here the scale depends on the layer."),
        (np.sqrt(gain / n0), f"It matches sqrt({gain:g} / n_0), the first layer's scale: each "
                             f"layer uses its own n_{{l-1}} = layer_dims[l - 1]."),
    ]
    if gain == 1:
        out.append((np.sqrt(2 / (n_prev + n)),
                    "It matches variance 2 / (n_{l-1} + n_l), Glorot and Bengio's variant; "
                    "this exercise asks for the lecture's 1 / n_{l-1}."))
    return out


def _diagnosis(params, dims, gain):
    """What the spread matches: the known mistake that explains every layer, if one does."""
    L = len(dims) - 1
    per_layer = [_candidates(gain, l, dims) for l in range(1, L + 1)]
    scores = []
    for c, (_, why) in enumerate(per_layer[0]):
        stds = [layer[c][0] for layer in per_layer]
        if all(_variance_matches(params[f"W{l}"], stds[l - 1]) for l in range(1, L + 1)):
            misfit = sum(np.log(np.mean(params[f"W{l}"] ** 2) / stds[l - 1] ** 2) ** 2
                         for l in range(1, L + 1))
            scores.append((misfit, c, why))
    return " " + min(scores)[2] if scores else ""


def _one_layer_off(params, dims, gain, l, stds):
    """Per part: when every other layer is right, say so, and what this one matches (He for
    the hidden layers and Xavier for the output layer, as some libraries advise)."""
    L = len(dims) - 1
    if L == 1 or not all(_variance_matches(params[f"W{k}"], stds[k - 1])
                         for k in range(1, L + 1) if k != l):
        return ""
    w = params[f"W{l}"]
    fits = [(np.log(np.mean(w ** 2) / std ** 2) ** 2, why) for std, why in _candidates(gain, l, dims)
            if std > 0 and _variance_matches(w, std)]
    where = " (the output layer)" if l == L else ""
    what = " " + min(fits)[1] if fits else ""
    return (f" Only W{l}{where} is off; the other layers are right.{what} Every layer, the "
            f"output layer too, is drawn with the same rule here.")


# Weights drawn independently from a continuous distribution never repeat. Divided by its
# layer's standard deviation, each weight is N(0, 1) when right; two independent ones come
# within _GAP = 1e-12 of each other with probability 2e-12 / (2 sqrt(pi)) = 5.6e-13, so k
# weights hold about k^2 * 2.8e-13 such pairs: under 3e-4 for the largest trials (k = 32400
# weights), and _REPEATS = 3 or more of them with probability below 1e-11 (Poisson). A row
# drawn once and repeated for every unit, or one draw reused in several layers, repeats
# dozens of weights at the least. (The same draw rescaled for another layer comes back to
# within a few ulps, far below _GAP.)
_GAP, _REPEATS = 1e-12, 3


def _repeated(params, dims, stds):
    """Per part (unit and layer): raise Mismatch where weights repeat."""
    L = len(dims) - 1
    z = np.concatenate([params[f"W{l}"].ravel() / stds[l - 1] for l in range(1, L + 1)])
    layer = np.concatenate([np.full(params[f"W{l}"].size, l) for l in range(1, L + 1)])
    order = np.argsort(z, kind="stable")
    close = np.flatnonzero(np.diff(z[order]) <= _GAP)
    if close.size < _REPEATS:
        return
    first, second = layer[order[close]], layer[order[close + 1]]
    for l in sorted(set(first[first == second].tolist())):
        W = params[f"W{l}"]
        if W.shape[0] > 1 and np.unique(W, axis=0).shape[0] < W.shape[0]:
            raise Mismatch((f"W{l}",), "has identical rows: units of layer l with the same "
                                       "weights (one row drawn, then repeated for every unit?). "
                                       "Identical units stay identical in training (the symmetry "
                                       "of section 2): draw every weight of every unit, "
                                       "rng.standard_normal((n_l, n_prev)) * ...")
        if W.shape[1] > 1 and np.unique(W, axis=1).shape[1] < W.shape[1]:
            raise Mismatch((f"W{l}",), "has identical columns: every input of a unit gets the "
                                       "same weight (one column drawn, then repeated?); draw every "
                                       "weight, rng.standard_normal((n_l, n_prev)) * ...")
        raise Mismatch((f"W{l}",), "has repeated weights: draw every weight of every unit from "
                                   "rng, rng.standard_normal((n_l, n_prev)) * ...")
    a, b = int(first[0]), int(second[0])
    a, b = min(a, b), max(a, b)
    count = int(np.sum(((first == a) & (second == b)) | ((first == b) & (second == a))))
    raise Mismatch((f"W{b}",), f"repeats weights of W{a}: {count} of its weights, divided by "
                               f"their layer's standard deviation, are W{a}'s. Layers are drawn "
                               f"independently: draw every layer's weights afresh from rng (one "
                               f"draw cut into layers, or a generator made again for each layer, "
                               f"reuses the same numbers)")


# The mean of each layer on its own, self-normalised: t = sum(z) / sqrt(sum(z^2)) for the
# layer's weights z = W / std. Given their sizes, the signs of N(0, 1) weights are independent
# fair coins, so Hoeffding's inequality bounds P(|t| > x) by 2 exp(-x^2 / 2) whatever the
# layer's size (for one weight, |t| = 1); x = 6.2 makes it 9e-9 per layer, below 1e-7 for a
# network of 12 layers. A wrong scale does not change t.
_T_MEAN = 6.2


def _layer_means(params, dims, stds):
    for l in range(1, len(dims)):
        z = params[f"W{l}"].ravel() / stds[l - 1]
        norm = float(np.sqrt(np.sum(z ** 2)))
        t = float(np.sum(z)) / norm if norm > 0 else 0.0
        if abs(t) > _T_MEAN:
            raise Mismatch((f"W{l}",), f"has weights whose mean is {abs(t):.2g} standard errors "
                                       f"away from 0 in this layer alone; draw every layer's "
                                       f"weights from a normal distribution with mean 0 "
                                       f"(rng.random and rng.uniform(0, 1) draw positive "
                                       f"numbers only)")


def _random_init_properties(gain):
    def properties(trial):
        params, dims = trial.got, trial.inputs["layer_dims"]
        wanted = _keys_and_shapes(params, dims)
        L = len(dims) - 1
        stds = [np.sqrt(gain / dims[l - 1]) for l in range(1, L + 1)]
        # first: repeated weights would distort every statistic below
        _repeated(params, dims, stds)
        # every layer divided by its own expected standard deviation: N(0, 1) when right
        z = np.concatenate([params[f"W{l}"].ravel() / stds[l - 1] for l in range(1, L + 1)])
        # the mean is judged against the spread actually drawn, so a wrong scale is not
        # reported as a wrong mean
        if abs(z.mean()) > _FIVE * z.std() / np.sqrt(z.size):
            raise Mismatch((), f"has weights whose mean is {abs(z.mean()):.2g} standard deviations "
                               f"away from 0; draw them from a normal distribution with mean 0 "
                               f"(rng.random and rng.uniform(0, 1) draw positive numbers only)")
        _layer_means(params, dims, stds)
        formula = "2 / n_{l-1}" if gain == 2 else "1 / n_{l-1}"
        # the largest layer first: the most weights, the surest diagnosis
        for l in sorted(range(1, L + 1), key=lambda l: -dims[l] * dims[l - 1]):
            w = params[f"W{l}"]
            if _variance_matches(w, stds[l - 1]):
                continue
            observed = float(np.sqrt(np.mean(w ** 2)))
            why = _diagnosis(params, dims, gain) or _one_layer_off(params, dims, gain, l, stds)
            raise Mismatch((f"W{l}",), f"has standard deviation {observed:.3g}, expected "
                                       f"sqrt({formula}) = sqrt({gain:g} / {dims[l - 1]}) = "
                                       f"{stds[l - 1]:.3g}.{why}")
        within = float(np.mean(np.abs(z) < 1))
        if abs(within - 0.6827) > _FIVE * np.sqrt(0.6827 * 0.3173 / z.size):
            raise Mismatch((), f"has weights that do not look normally distributed ({within:.0%} "
                               f"of them within one standard deviation of 0, 68% for a normal "
                               f"distribution): draw them with rng.standard_normal")
        # The tails: a truncated normal (Keras's he_normal) or a uniform draw can have the right
        # variance and nearly the right share within one standard deviation, but too few large
        # weights. Their kurtosis mean(z^4) / mean(z^2)^2 is 2.37 and 1.8, a normal's 3, with a
        # standard error of about sqrt(24 / k) for k weights; its lower tail is lighter than a
        # normal's, so a bound 5 standard errors below 3 fails a correct draw with probability
        # below 1e-6, and catches the truncated normal from about 3000 weights on.
        kurtosis = float(np.mean(z ** 4) / np.mean(z ** 2) ** 2)
        bound = 3.0 - _FIVE * np.sqrt(24 / z.size)
        if kurtosis < bound:
            raise Mismatch((), f"has weights that do not look normally distributed: too few large "
                               f"ones. Their kurtosis, mean(z**4) / mean(z**2)**2 with z = W[l] / "
                               f"sqrt({formula}), is {kurtosis:.2f}; a normal distribution has 3 "
                               f"(allowed down to {bound:.2f}). A truncated normal (as Keras's "
                               f"he_normal draws) or a uniform distribution can have the right "
                               f"variance but lighter tails; this exercise asks for the normal "
                               f"distribution N(0, {formula}): rng.standard_normal(shape) * "
                               f"np.sqrt({gain:g} / n_prev)")
        again = trial.call()
        if not isinstance(again, dict) or not all(np.array_equal(again.get(k), params[k]) for k in wanted):
            raise Mismatch((), "came out different for two generators in the same state: draw all "
                               "random numbers from the rng argument, never from np.random")
        # per layer: every layer's weights come from the rng argument
        other = trial.call(rng=np.random.default_rng(12345))
        for l in range(1, L + 1):
            if isinstance(other, dict) and np.array_equal(other.get(f"W{l}"), params[f"W{l}"]):
                raise Mismatch((), f"gave the same W{l} for two different generators: draw "
                                   f"every layer's weights from the rng argument (do not create "
                                   f"your own generator)")
    return properties


# -- functions to differentiate ----------------------------------------------------------
# Their partial derivatives interact (each one depends on other coordinates), and they
# have curvature, so a one-sided difference or a wrong epsilon changes the result.


def _network_cost(params, X, Y, lambd=0.0):
    """Cross-entropy of [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID, plus lambd/(2m) sum ||W||^2."""
    L = len(params) // 2
    A = X
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = np.maximum(0.0, Z) if l < L else Z
    m = Y.shape[1]
    # log sigmoid(z) = -log(1 + e^{-z}): no log(0) for confident outputs
    cost = float(np.sum(Y * np.logaddexp(0.0, -A) + (1 - Y) * np.logaddexp(0.0, A)) / m)
    if lambd:
        cost += lambd / (2 * m) * sum(float(np.sum(params[f"W{l}"] ** 2)) for l in range(1, L + 1))
    return cost


def _function(inputs):
    """The scalar function of x that the stored inputs describe."""
    name = inputs["f"]
    if name == "v.T @ A @ v + c @ v, v = x.ravel()":
        A, c = inputs["A"], inputs["c"]
        return lambda x: float(x.ravel() @ A @ x.ravel() + c @ x.ravel())
    if name == "sum(sin(x[0] * x[1]) + x[0]**2 * x[1])":
        return lambda x: float(np.sum(np.sin(x[0] * x[1]) + x[0] ** 2 * x[1]))
    if name == "log(sum(exp(M @ x + d)))":
        M, d = inputs["M"], inputs["d"]
        return lambda x: float(np.logaddexp.reduce(M @ x + d, axis=None))
    if name == "cost of a network as a function of W1":
        X, Y, params = inputs["X"], inputs["Y"], inputs["params"]
        return lambda x: _network_cost({**params, "W1": x}, X, Y)
    raise KeyError(name)


def _prepare_numerical_gradient(inputs):
    """The call's arguments; f takes arrays shaped like x only (the contract's callback:
    a copy of x with one entry nudged), and says so when called with anything else, rather
    than reshaping it (the quadratic would take a flattened x without a word)."""
    function, shape = _function(inputs), np.shape(inputs["x"])

    def f(v):
        if not isinstance(v, np.ndarray) or v.dtype.kind != "f":
            raise TypeError(f"f was called with {_kind(v)}; f takes float arrays shaped like x, "
                            f"{shape}: a copy of x with one entry nudged")
        if v.shape != shape:
            raise TypeError(f"f was called with an array of shape {v.shape}, but x has shape "
                            f"{shape}: call f with arrays shaped like x (a copy of x with one "
                            f"entry nudged), not flattened or reshaped ones")
        return function(v)

    args = {"f": f, "x": inputs["x"]}
    if "epsilon" in inputs:
        args["epsilon"] = inputs["epsilon"]
    return args


def _small_network(rng, dims, m, margin=0.05):
    """X, Y, params of a ReLU network whose hidden Z stay at least ``margin`` from the kink."""
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((dims[0], m))
        A, ok = X, True
        for l in range(1, len(dims) - 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            ok = ok and np.abs(Z).min() > margin
            A = np.maximum(0.0, Z)
        if ok:
            return X, (rng.random((1, m)) < 0.5).astype(float), params


# hidden trials at the edges of "x: float array of any shape"
THREE_AXES, ONE_ENTRY, TRANSPOSED = 4, 5, 6


def _numerical_gradient_inputs(rng, i):
    # public: a vector (default epsilon), a matrix (epsilon 1e-2: a one-sided difference is
    # far off), a network's W1, a column (like b). Hidden trials 4 to 6: x with three axes,
    # x of a single entry (1, 1), x a transposed matrix (a view that is not C-contiguous,
    # whose .ravel() is a copy)
    kind = i % 4 if i < 4 else {THREE_AXES: 0, ONE_ENTRY: 3, TRANSPOSED: 0}.get(i, None)
    kind = int(rng.integers(4)) if kind is None else kind
    if kind == 0:
        shape = {THREE_AXES: (2, 3, 2), TRANSPOSED: (4, 3)}.get(i)
        n = 4 if i < 4 else int(np.prod(shape)) if shape else int(rng.integers(2, 7))
        A = rng.standard_normal((n, n))  # not symmetric: the gradient is (A + A.T) v + c
        inputs = {"f": "v.T @ A @ v + c @ v, v = x.ravel()", "A": A, "c": rng.standard_normal(n),
                  "x": rng.standard_normal(shape) if shape else
                  rng.standard_normal(n if i == 0 or rng.random() < 0.5 else (n, 1))}
        if i == TRANSPOSED:
            inputs["x"] = inputs["x"].T  # (3, 4), Fortran order
    elif kind == 1:
        k = 3 if i < 4 else int(rng.integers(1, 5))
        inputs = {"f": "sum(sin(x[0] * x[1]) + x[0]**2 * x[1])", "x": rng.uniform(-2, 2, (2, k))}
    elif kind == 2:
        dims = [4, 3, 1] if i < 4 else [int(rng.integers(2, 5)), int(rng.integers(2, 5)), 1]
        X, Y, params = _small_network(rng, dims, m=5)
        inputs = {"f": "cost of a network as a function of W1", "X": X, "Y": Y, "params": params,
                  "x": params["W1"]}
    else:
        n, k = (3, 5) if i < 4 else (1, 3) if i == ONE_ENTRY else \
            (int(rng.integers(1, 5)), int(rng.integers(2, 6)))
        inputs = {"f": "log(sum(exp(M @ x + d)))", "M": rng.standard_normal((k, n)),
                  "d": rng.standard_normal((k, 1)), "x": rng.standard_normal((n, 1))}
    if i == 1:
        inputs["epsilon"] = 1e-2
    elif i == 2:
        inputs["epsilon"] = 1e-4
    elif i == 3:
        inputs["epsilon"] = 1e-3
    elif i >= 4 and rng.random() < 0.7:
        inputs["epsilon"] = float(10.0 ** rng.uniform(-3, -1.5))
    return inputs


# -- gradient_check ------------------------------------------------------------------------


def _prepare_gradient_check(inputs):
    """The call's arguments; cost_fn takes a parameter dict like params (every key, each
    array of its shape: the contract's callback), and says so when called with anything
    else (a vector theta, the nudged array alone, a flattened array) rather than guessing.
    ``other_params``: parameters the cost uses that are not checked (params holds only some)."""
    X, Y, lambd = inputs["X"], inputs["Y"], inputs.get("lambd", 0.0)
    other = inputs.get("other_params", {})
    shapes = {k: np.shape(v) for k, v in inputs["params"].items()}

    def cost_fn(p):
        if not isinstance(p, dict):
            raise TypeError(f"cost_fn was called with {_kind(p)}; cost_fn takes a parameter dict "
                            f"like params (every key, each array of its shape), e.g. "
                            f"{{**params, key: nudged}}, not a vector theta")
        missing = [k for k in shapes if k not in p]
        if missing:
            raise TypeError(f"cost_fn was called with a dict without {missing}: cost_fn takes "
                            f"every parameter, e.g. {{**params, key: nudged}} (a new dict with "
                            f"one entry replaced), not only the one nudged")
        for k, shape in shapes.items():
            if not isinstance(p[k], np.ndarray) or p[k].shape != shape:
                raise TypeError(f"cost_fn was given {k!r} as {_kind(p[k])}, but params[{k!r}] has "
                                f"shape {shape}: pass arrays shaped like params' (nudge a copy "
                                f"of params[{k!r}] itself, not a flattened one)")
        return _network_cost({**other, **{k: p[k] for k in shapes}}, X, Y, lambd)

    args = {"cost_fn": cost_fn, "params": inputs["params"], "grads": inputs["grads"]}
    if "epsilon" in inputs:
        args["epsilon"] = inputs["epsilon"]
    return args


def _backprop(X, Y, params, lambd):
    from ..reference.nb01 import model_backward, model_forward

    AL, caches = model_forward(X, params)
    grads = model_backward(AL, Y, caches)
    m = X.shape[1]
    for l in range(1, len(params) // 2 + 1):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / m * params[f"W{l}"]
    return grads


def _break(rng, grads, params, how):
    """A broken backward pass: what a bug in one layer does to the gradients."""
    L = len(params) // 2
    grads = dict(grads)
    l = int(rng.integers(1, L + 1))
    if how == "db sign":
        grads[f"db{l}"] = -grads[f"db{l}"]
    elif how == "dW times 4":
        grads[f"dW{l}"] = grads[f"dW{l}"] * 4.0
    elif how == "noise":  # a subtle bug: every gradient off by a few parts in a thousand
        for key in params:
            g = grads["d" + key]
            grads["d" + key] = g + 3e-3 * np.abs(g).mean() * rng.standard_normal(g.shape)
    elif how == "dW[L] reversed":  # the right numbers in the wrong places
        grads[f"dW{L}"] = grads[f"dW{L}"][:, ::-1].copy()
    return grads


def _relative(grads, right, params):
    """The relative difference between two gradient dicts, over params' keys."""
    a, b = (np.concatenate([g["d" + k].ravel() for k in params]) for g in (grads, right))
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


# Right gradients give the centred differences' truncation error alone, 1e-7 or so: a value
# so small that the check's tolerance, 1e-12 + 1e-5 * value, may not exceed the rounding
# noise (Spec.noise: 1e-12 and more) NOISE_MARGIN times. Hidden trials draw networks until it
# does, twice over.


def _clear_of_noise(X, Y, params, grads, lambd, epsilon):
    from ..reference.nb05 import gradient_check

    args = {"cost_fn": lambda p: _network_cost(p, X, Y, lambd), "params": params, "grads": grads,
            "epsilon": epsilon}
    value = gradient_check(**args)
    _, noise = _gradient_check_noise(_own)(args)
    return 1e-12 + 1e-5 * value >= 2 * NOISE_MARGIN * noise


# hidden trials at the edges: a network of one layer (L = 1); params holding one array only,
# as section 3's per-parameter check passes it ({"b2": ...}, the cost fills in the others)
GC_ONE_LAYER, GC_ONE_KEY = 4, 5


def _gradient_check_inputs(rng, i):
    # The expected value is either a bug's (1e-3 and more) or, for right gradients, the
    # truncation error of a centred difference with epsilon >= 5e-3 (hidden trials: large
    # enough for the tolerance, see _clear_of_noise): never rounding noise (1e-16 / epsilon),
    # which differs between correct implementations.
    # public: a wrong dW with an extra key "dA0" (default epsilon); a wrong db; an L2 cost
    # whose gradients miss the L2 term; right gradients of an L2 cost, epsilon 1e-2
    plan = [("cross-entropy", "dW times 4", None), ("cross-entropy", "db sign", 1e-4),
            ("cross-entropy + L2", "no L2", 1e-3), ("cross-entropy + L2", None, 1e-2)]
    if i < len(plan):
        cost, how, epsilon = plan[i]
        dims, m = ([3, 4, 2, 1], [4, 3, 1], [3, 3, 2, 1], [2, 4, 1])[i], (6, 5, 4, 7)[i]
    else:
        cost = ("cross-entropy", "cross-entropy + L2")[int(rng.integers(2))]
        how = [None, "db sign", "dW times 4", "noise", "dW[L] reversed",
               "no L2" if cost != "cross-entropy" else None][int(rng.integers(6))]
        epsilon = ([5e-3, 1e-2] if how is None else [None, 1e-4, 1e-3, 1e-2])[int(rng.integers(2 if how is None else 4))]
        dims = [int(rng.integers(2, 5)) for _ in range(int(rng.integers(2, 4)))] + [1]
        if i == GC_ONE_LAYER:
            dims = [int(rng.integers(2, 6)), 1]
        elif i == GC_ONE_KEY:  # four times one array's gradient, with a step of 1e-3 (so
            how, epsilon = None, 1e-3  # that the value, 0.6, is not rounding noise)
        m = int(rng.integers(3, 8))
    while True:
        X, Y, params = _small_network(rng, dims, m)
        lambd = float(rng.uniform(0.5, 2.0)) if cost != "cross-entropy" else 0.0
        grads = _backprop(X, Y, params, lambd)
        if how is not None or i < len(plan) or i == GC_ONE_KEY or \
                _clear_of_noise(X, Y, params, grads, lambd, epsilon):
            break
    if how == "no L2":
        grads = _backprop(X, Y, params, 0.0)
    elif how is not None:
        right, grads = grads, _break(rng, grads, params, how)
        if epsilon is None and i >= len(plan) and _relative(grads, right, params) < 0.05:
            # the default step, 1e-7, leaves up to ~5e-8 of rounding noise in the relative
            # difference: a bug that changes it little is tried with a larger step
            epsilon = 1e-3
    if i % 2 == 0:
        grads["dA0"] = rng.standard_normal(X.shape)  # model_backward's extra keys
    inputs = {"cost": cost, "X": X, "Y": Y}
    if lambd:
        inputs["lambd"] = lambd
    other = {}
    if i == GC_ONE_KEY:
        key = list(params)[int(rng.integers(len(params)))]
        other = {k: v for k, v in params.items() if k != key}
        params, grads = {key: params[key]}, {"d" + key: 4.0 * grads["d" + key]}
    inputs.update({"params": params, "grads": grads})
    if other:
        inputs["other_params"] = other
    if epsilon is not None:
        inputs["epsilon"] = epsilon
    return inputs


# -- rounding noise of finite differences --------------------------------------------------
# The course's smallest step: gradient_check's default; a mistake that ignores epsilon
# differences with it (or numerical_gradient's 1e-5), so its value carries this much noise.
_SMALLEST_STEP = 1e-7


def _numerical_gradient_noise(step):
    def noise(args):
        f_size = abs(args["f"](np.array(args["x"], dtype=float)))
        return 1e-12, finite_difference_noise(f_size, step(args.get("epsilon", 1e-5)))
    return noise


def _gradient_check_noise(step):
    # each entry of g_num carries a = finite_difference_noise(J, eps), ||g - g_num|| then up
    # to sqrt(N) a, and the relative difference twice that over ||g|| + ||g_num|| >= ||g||
    def noise(args):
        params, grads = args["params"], args["grads"]
        n = sum(np.size(v) for v in params.values())
        g_norm = np.sqrt(sum(np.sum(np.square(grads["d" + k])) for k in params))
        a = finite_difference_noise(args["cost_fn"](params), step(args.get("epsilon", 1e-7)))
        return 1e-12, 1e-12 + 2 * np.sqrt(n) * a / max(g_norm, 1e-3)
    return noise


def _own(epsilon):
    return epsilon


def _smallest(epsilon):
    return min(epsilon, _SMALLEST_STEP)


# -- contracts ----------------------------------------------------------------------------


def _x_ndim(n):
    return lambda inputs: np.ndim(inputs["x"]) == n


def _column(inputs) -> bool:
    return np.ndim(inputs["x"]) == 2 and np.shape(inputs["x"])[1] == 1


def _extra_grads(inputs) -> bool:
    return any(k[1:] not in inputs["params"] for k in inputs["grads"])


def _right_gradients(inputs) -> bool:
    """Backpropagation's own gradients (the value is the centred differences' error only)."""
    params = inputs["params"]
    full = {**inputs.get("other_params", {}), **params}
    right = _backprop(inputs["X"], inputs["Y"], full, inputs.get("lambd", 0.0))
    return all(np.allclose(inputs["grads"]["d" + k], right["d" + k], rtol=1e-10, atol=1e-14)
               for k in params)


_SHAPES = ("W[l] has shape (n_l, n_{l-1}) and b[l] (n_l, 1), for l = 1..L: the keys W1, b1 "
           "... WL, bL and no others")
_INIT_EDGES = (  # (the trials reaching them: ONE_LAYER, DEEP, ONE_UNIT)
    Clause("shape", "one layer (L = 1, layer_dims of length 2): W1 and b1 only",
           tried=lambda inputs: _layers(inputs) == 1),
    Clause("shape", "a deep network (L >= 9; the zeros' deep trial has keys W10 to W12)",
           tried=lambda inputs: _layers(inputs) >= 9),
    Clause("shape", "a single input feature or a hidden layer of one unit (n_{l-1} = 1)",
           tried=_one_input_or_unit),
    Clause("state", "every returned array is a new one, none shared between keys (a training "
                    "loop may update them in place)", by="fresh"),
)


def _random_init_clauses(variance):
    return (
        Clause("shape", _SHAPES + "; b[l] is exactly 0", by="properties"),
        *_INIT_EDGES,
        Clause("per-part", f"every layer has its own variance {variance}, with its own n_{{l-1}}: "
                           f"tested layer by layer, so that a layer wrong alone (the output "
                           f"layer too) is seen", by="properties"),
        Clause("per-part", "every layer's weights have mean 0 on their own, not only all "
                           "layers pooled", by="properties"),
        Clause("per-part", "every unit and every layer has weights of its own: no row drawn once "
                           "and repeated for every unit (the symmetry of section 2), no draw "
                           "reused in another layer", by="properties"),
        Clause("randomness", "all randomness comes from rng: the same generator state gives the "
                             "same weights, another generator other weights in every layer",
               by="properties"),
    )


# -- specs -------------------------------------------------------------------------------

SPECS = [
    Spec("initialize_parameters_zeros", _zeros_inputs, "params", fresh=True, clauses=(
        Clause("shape", _SHAPES, by="grader.compare.compare"),
        *_INIT_EDGES,
        Clause("type", "every entry is the float 0.0, not the integer 0",
               by="grader.compare.compare"),
    )),
    Spec("initialize_parameters_he", _random_init_inputs, "params", by_value=False,
         properties=_random_init_properties(2.0), fresh=True,
         clauses=_random_init_clauses("2 / n_{l-1}")),
    Spec("initialize_parameters_xavier", _random_init_inputs, "params", by_value=False,
         properties=_random_init_properties(1.0), fresh=True,
         clauses=_random_init_clauses("1 / n_{l-1}")),
    Spec("numerical_gradient", _numerical_gradient_inputs, "gradient", rtol=1e-7, atol=1e-9,
         n_public=4, n_hidden=12, prepare=_prepare_numerical_gradient,
         noise=_numerical_gradient_noise(_own), mistake_noise=_numerical_gradient_noise(_smallest),
         clauses=(
             Clause("shape", "x may be a vector (n,): the result has x's shape", tried=_x_ndim(1)),
             Clause("shape", "x may be a column such as b[l], (n, 1)", tried=_column),
             Clause("shape", "x may be a matrix such as W[l], or have three axes: every entry is "
                             "nudged, one at a time", tried=_x_ndim(3)),
             Clause("shape", "x may hold a single entry", tried=lambda inputs: np.size(inputs["x"]) == 1),
             Clause("shape", "x may be any float array, also a transposed matrix (not "
                             "C-contiguous: x.ravel() is then a copy, not a view)",
                    tried=lambda inputs: not inputs["x"].flags.c_contiguous),
             Clause("boundary", "epsilon defaults to 1e-5", tried=default("epsilon")),
             Clause("boundary", "a large step (epsilon = 1e-2): exactly the centred difference "
                                "with that step, whose own error then shows",
                    tried=lambda inputs: inputs.get("epsilon", 0.0) >= 1e-2),
             Clause("callback", "f is called with arrays shaped like x (a copy of x with one "
                                "entry nudged), never with a flattened or reshaped one",
                    by="grader.checks.nb05._prepare_numerical_gradient"),
         )),
    Spec("gradient_check", _gradient_check_inputs, "relative difference", rtol=1e-5, atol=1e-12,
         n_public=4, prepare=_prepare_gradient_check, uses=("numerical_gradient",),
         noise=_gradient_check_noise(_own), mistake_noise=_gradient_check_noise(_smallest),
         clauses=(
             Clause("boundary", "epsilon defaults to 1e-7", tried=default("epsilon")),
             Clause("boundary", "grads may hold extra keys such as dA0: loop over the keys of "
                                "params", tried=_extra_grads),
             Clause("boundary", "params may hold any parameter arrays, even one alone "
                                "({'b2': ...}, section 3's per-parameter check)",
                    tried=lambda inputs: len(inputs["params"]) == 1),
             Clause("boundary", "right gradients: the centred differences' own small error, "
                                "returned as it is", tried=_right_gradients),
             Clause("boundary", "the cost may include an L2 penalty: whatever cost_fn computes "
                                "is what is differentiated", tried=lambda inputs: "lambd" in inputs),
             Clause("shape", "a network of one layer (L = 1): W1 of one row, b1 of one entry",
                    tried=lambda inputs: not inputs.get("other_params") and len(inputs["params"]) == 2),
             Clause("type", "returns a plain float, not an array (not a (1, 1) matrix product)",
                    by="grader.compare.compare"),
             Clause("callback", "cost_fn is called with a parameter dict like params: every key, "
                                "each array of its shape (never a vector theta, a flattened "
                                "array or the nudged array alone)",
                    by="grader.checks.nb05._prepare_gradient_check"),
         )),
]
