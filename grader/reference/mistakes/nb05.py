"""Mistakes in notebook 05, as students make them."""
from __future__ import annotations

import numpy as np

from ..nb01 import initialize_parameters
from ..numeric import numerical_gradient, relative_difference
from . import GLOBAL_RANDOM, NOT_INDEPENDENT, Mistake

# -- initialize_parameters_zeros ---------------------------------------------------------


def _zeros(layer_dims, W=lambda n, p: np.zeros((n, p)), b=lambda n: np.zeros((n, 1)),
           keys=lambda l: (f"W{l}", f"b{l}"), last=0):
    params = {}
    for l in range(1, len(layer_dims) - last):
        kW, kb = keys(l)
        params[kW] = W(layer_dims[l], layer_dims[l - 1])
        params[kb] = b(layer_dims[l])
    return params


def _zeros_cut(layer_dims):
    # one zeros matrix, cut into every W[l] and b[l] "to save memory": views that overlap
    big = np.zeros((max(layer_dims), max(layer_dims)))
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = big[:layer_dims[l], :layer_dims[l - 1]]
        params[f"b{l}"] = big[:layer_dims[l], :1]
    return params


# -- initialize_parameters_he / _xavier --------------------------------------------------


def _init(layer_dims, draw, b=lambda n: np.zeros((n, 1))):
    """draw(n_l, n_{l-1}, l) -> W[l]."""
    params = {}
    for l in range(1, len(layer_dims)):
        params[f"W{l}"] = draw(layer_dims[l], layer_dims[l - 1], l)
        params[f"b{l}"] = b(layer_dims[l])
    return params


def _normal(rng, variance):
    """W[l] = N(0, 1) * sqrt(variance(n_l, n_{l-1})): draws the right distribution's shape."""
    return lambda n, p, l: rng.standard_normal((n, p)) * np.sqrt(variance(n, p))


def _fan_out(gain):
    return lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: gain / n))


def _variance_as_scale(gain):
    # rng.normal's scale is the standard deviation; passing the variance shrinks W
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: rng.normal(0.0, gain / p, size=(n, p)))


def _unscaled(layer_dims, rng):
    return _init(layer_dims, lambda n, p, l: rng.standard_normal((n, p)))


def _first_layer_scale(gain):
    def init(layer_dims, rng):
        return initialize_parameters(layer_dims, rng, scale=np.sqrt(gain / layer_dims[0]))
    return init


def _global_random(gain):
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: np.random.randn(n, p) * np.sqrt(gain / p))


def _own_generator(gain):
    def init(layer_dims, rng):
        rng = np.random.default_rng(1)  # "for reproducibility"
        return _init(layer_dims, _normal(rng, lambda n, p: gain / p))
    return init


def _positive(gain):
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: rng.random((n, p)) * np.sqrt(gain / p))


def _uniform_right_variance(gain):
    # U(-a, a) has variance a^2 / 3: the right variance, but not a normal distribution
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: rng.uniform(-1, 1, (n, p)) * np.sqrt(3 * gain / p))


def _truncated(gain):
    # Keras's he_normal / lecun_normal: a normal truncated at 2 standard deviations (values
    # beyond are drawn again), rescaled so that the variance is right: lighter tails
    def draw(rng, n, p):
        z = rng.standard_normal((n, p))
        outside = np.abs(z) > 2
        while outside.any():
            z[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(z) > 2
        return z / 0.87962566103423978 * np.sqrt(gain / p)
    return lambda layer_dims, rng: _init(layer_dims, lambda n, p, l: draw(rng, n, p))


def _transposed(gain):
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: (rng.standard_normal((n, p)) * np.sqrt(gain / p)).T)


def _random_b(gain):
    return lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: gain / p),
                                         b=lambda n: rng.standard_normal((n, 1)) * np.sqrt(gain / n))


def _one_row_per_layer(gain):
    # rng.standard_normal(n_prev), one weight per input, broadcast to every unit of the layer:
    # the right spread, but identical units (the symmetry that zeros have)
    return lambda layer_dims, rng: _init(
        layer_dims, lambda n, p, l: np.zeros((n, p)) + rng.standard_normal(p) * np.sqrt(gain / p))


def _one_draw_cut(gain):
    # one standard normal matrix drawn once (as the widget of section 4 does, to be fast) and
    # cut into every layer, rescaled: the layers share their numbers
    def init(layer_dims, rng):
        big = max(layer_dims)
        Z = rng.standard_normal((big, big))
        return _init(layer_dims, lambda n, p, l: Z[:n, :p] * np.sqrt(gain / p))
    return init


def _output_layer_xavier(layer_dims, rng):
    # He for the ReLU layers, Xavier for the sigmoid output layer (as some libraries advise)
    L = len(layer_dims) - 1
    return _init(layer_dims,
                 lambda n, p, l: rng.standard_normal((n, p)) * np.sqrt((2.0 if l < L else 1.0) / p))


def _flat_b(gain):
    return lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: gain / p),
                                         b=lambda n: np.zeros(n))


# -- numerical_gradient ------------------------------------------------------------------


def _one_at_a_time(f, x, epsilon, step):
    """step(f, x_plus, x_minus, x, epsilon) -> one entry of the gradient."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += epsilon
        x_minus[i] -= epsilon
        grad[i] = step(f, x_plus, x_minus, x, epsilon)
    return grad


def _forward_difference(f, x, epsilon=1e-5):
    return _one_at_a_time(f, x, epsilon, lambda f, xp, xm, x, e: (f(xp) - f(x)) / e)


def _over_epsilon(f, x, epsilon=1e-5):
    return _one_at_a_time(f, x, epsilon, lambda f, xp, xm, x, e: (f(xp) - f(xm)) / e)


def _fixed_epsilon(f, x, epsilon=1e-5):
    return numerical_gradient(f, x, 1e-7)


def _all_at_once(f, x, epsilon=1e-5):
    slope = (f(x + epsilon) - f(x - epsilon)) / (2 * epsilon)
    return np.full(np.shape(x), slope)


def _rows(f, x, epsilon=1e-5):
    # for i in range(len(x)) nudges a whole row when x is a matrix
    grad = np.zeros_like(x)
    for i in range(len(x)):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += epsilon
        x_minus[i] -= epsilon
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * epsilon)
    return grad


def _flat(f, x, epsilon=1e-5):
    return numerical_gradient(f, x, epsilon).ravel()


def _flat_calls(f, x, epsilon=1e-5):
    # the lecture's "big vector": x flattened, and f called on nudged flat copies
    flat = np.ravel(x)
    grad = np.zeros(flat.size)
    for j in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[j] += epsilon
        minus[j] -= epsilon
        grad[j] = (f(plus) - f(minus)) / (2 * epsilon)
    return grad.reshape(np.shape(x))


def _in_place(f, x, epsilon=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += epsilon
        up = f(x)
        x[i] -= 2 * epsilon
        down = f(x)
        x[i] += epsilon  # back where it was, up to rounding
        grad[i] = (up - down) / (2 * epsilon)
    return grad


def _alias(f, x, epsilon=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus = x  # not a copy
        x_plus[i] += epsilon
        up = f(x_plus)
        x_minus = x
        x_minus[i] -= epsilon  # undoes the nudge: this is f at x
        down = f(x_minus)
        grad[i] = (up - down) / (2 * epsilon)
    return grad


# -- gradient_check ----------------------------------------------------------------------


def _vectors(cost_fn, params, grads, epsilon, numeric=numerical_gradient, keys=None):
    """Per key: (analytic, numeric) gradients, flattened."""
    out = {}
    for key in keys or params:
        g_num = numeric(lambda v, key=key: cost_fn({**params, key: v}), params[key], epsilon)
        out[key] = (np.ravel(grads["d" + key]), np.ravel(g_num))
    return out


def _overall(pairs, difference=relative_difference):
    g = np.concatenate([a for a, _ in pairs.values()])
    g_num = np.concatenate([n for _, n in pairs.values()])
    return difference(g, g_num)


def _gc_no_denominator(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon),
                    lambda g, n: float(np.linalg.norm(g - n)))


def _gc_norm_of_sum(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon),
                    lambda g, n: float(np.linalg.norm(g - n) / np.linalg.norm(g + n)))


def _gc_squares(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon),
                    lambda g, n: float(np.sum((g - n) ** 2) / (np.sum(g ** 2) + np.sum(n ** 2))))


def _gc_mean_per_key(cost_fn, params, grads, epsilon=1e-7):
    pairs = _vectors(cost_fn, params, grads, epsilon)
    return float(np.mean([relative_difference(a, n) for a, n in pairs.values()]))


def _gc_max_per_key(cost_fn, params, grads, epsilon=1e-7):
    pairs = _vectors(cost_fn, params, grads, epsilon)
    return float(max(relative_difference(a, n) for a, n in pairs.values()))


def _gc_per_key_dict(cost_fn, params, grads, epsilon=1e-7):
    pairs = _vectors(cost_fn, params, grads, epsilon)
    return {key: relative_difference(a, n) for key, (a, n) in pairs.items()}


def _gc_weights_only(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon,
                             keys=[k for k in params if k.startswith("W")]))


def _gc_over_grads(cost_fn, params, grads, epsilon=1e-7):
    # loops over the keys of grads, which may hold extras such as "dA0"
    pairs = {}
    for dkey in grads:
        key = dkey[1:]
        g_num = numerical_gradient(lambda v, key=key: cost_fn({**params, key: v}), params[key], epsilon)
        pairs[key] = (np.ravel(grads[dkey]), np.ravel(g_num))
    return _overall(pairs)


def _gc_forward(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon, numeric=_forward_difference))


def _gc_over_epsilon(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, epsilon, numeric=_over_epsilon))


def _gc_fixed_epsilon(cost_fn, params, grads, epsilon=1e-7):
    return _overall(_vectors(cost_fn, params, grads, 1e-7))


def _gc_shallow_copy(cost_fn, params, grads, epsilon=1e-7):
    g, g_num = [], []
    for key in params:
        for i in np.ndindex(params[key].shape):
            nudged = params.copy()  # a new dict, but the same arrays
            nudged[key][i] += epsilon
            up = cost_fn(nudged)
            nudged[key][i] -= 2 * epsilon
            down = cost_fn(nudged)
            nudged[key][i] += epsilon
            g_num.append((up - down) / (2 * epsilon))
        g.append(np.ravel(grads["d" + key]))
    return relative_difference(np.concatenate(g), np.array(g_num))


def _gc_only_nudged(cost_fn, params, grads, epsilon=1e-7):
    # cost_fn called with the nudged array alone, {key: v}, not a whole parameter dict
    pairs = {}
    for key, value in params.items():
        g_num = numerical_gradient(lambda v, key=key: cost_fn({key: v}), value, epsilon)
        pairs[key] = (np.ravel(grads["d" + key]), np.ravel(g_num))
    return _overall(pairs)


def _gc_flattened(cost_fn, params, grads, epsilon=1e-7):
    # every array flattened first ("reshape the parameters into a big vector"), and the
    # flat nudged copies handed to cost_fn
    pairs = {}
    for key, value in params.items():
        g_num = numerical_gradient(lambda v, key=key: cost_fn({**params, key: v}), value.ravel(), epsilon)
        pairs[key] = (np.ravel(grads["d" + key]), g_num)
    return _overall(pairs)


def _gc_matrix_norms(cost_fn, params, grads, epsilon=1e-7):
    # theta as a column, as the lecture draws it, and norms as sqrt(v.T @ v): (1, 1) arrays
    pairs = _vectors(cost_fn, params, grads, epsilon)
    g = np.concatenate([a for a, _ in pairs.values()]).reshape(-1, 1)
    g_num = np.concatenate([n for _, n in pairs.values()]).reshape(-1, 1)
    d = g - g_num
    return np.sqrt(d.T @ d) / (np.sqrt(g.T @ g) + np.sqrt(g_num.T @ g_num))


M = Mistake
_HE, _XAVIER = "initialize_parameters_he", "initialize_parameters_xavier"
MISTAKES = [
    M("initialize_parameters_zeros", "W transposed",
      lambda layer_dims: _zeros(layer_dims, W=lambda n, p: np.zeros((p, n))),
      "W[l] has shape (n_l, n_{l-1}) = (layer_dims[l], layer_dims[l - 1]): one row per unit "
      "of layer l, one column per input."),
    M("initialize_parameters_zeros", "b flat",
      lambda layer_dims: _zeros(layer_dims, b=lambda n: np.zeros(n)),
      "b[l] is a column: np.zeros((n_l, 1)), not np.zeros(n_l)."),
    M("initialize_parameters_zeros", "integer zeros",
      lambda layer_dims: _zeros(layer_dims, W=lambda n, p: np.zeros((n, p), dtype=int)),
      expect="array of integers", edge="type"),
    M("initialize_parameters_zeros", "np.zeros(n, p)",
      lambda layer_dims: _zeros(layer_dims, W=lambda n, p: np.zeros(n, p)),
      expect="raised TypeError"),
    M("initialize_parameters_zeros", "skips last layer",
      lambda layer_dims: _zeros(layer_dims, last=1), expect="has no key"),
    M("initialize_parameters_zeros", "keys from 0",
      lambda layer_dims: _zeros(layer_dims, keys=lambda l: (f"W{l - 1}", f"b{l - 1}")),
      expect="has no key"),
    M("initialize_parameters_zeros", "one zeros matrix cut into views", _zeros_cut,
      expect=NOT_INDEPENDENT),

    M(_HE, "fan-out", _fan_out(2.0), expect="not by n_l"),
    M(_HE, "Xavier's variance", lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: 1 / p)),
      expect="Xavier's variance"),
    M(_HE, "variance as rng.normal's scale", _variance_as_scale(2.0), expect="square root"),
    M(_HE, "not scaled", _unscaled, expect="matches N(0, 1)"),
    M(_HE, "notebook 01's default", lambda layer_dims, rng: initialize_parameters(layer_dims, rng),
      expect="scale 0.01"),
    M(_HE, "first layer's scale everywhere", _first_layer_scale(2.0), expect="first layer's scale"),
    M(_HE, "global np.random", _global_random(2.0), expect=GLOBAL_RANDOM),
    M(_HE, "own generator", _own_generator(2.0), expect="do not create your own generator",
      edge="randomness"),
    M(_HE, "uniform on [0, 1)", _positive(2.0), expect="mean 0"),
    M(_HE, "uniform, right variance", _uniform_right_variance(2.0), expect="normally distributed"),
    M(_HE, "truncated normal, right variance (Keras's he_normal)", _truncated(2.0),
      expect="truncated normal"),
    M(_HE, "W transposed", _transposed(2.0), expect="transposed"),
    M(_HE, "b random", _random_b(2.0), expect="should be zeros"),
    M(_HE, "one row repeated for every unit", _one_row_per_layer(2.0), expect="identical rows",
      edge="per-part"),
    M(_HE, "one draw cut into every layer", _one_draw_cut(2.0), expect="repeats weights of",
      edge="per-part"),
    M(_HE, "Xavier for the output layer", _output_layer_xavier,
      expect="the other layers are right", edge="per-part"),

    M(_XAVIER, "He's variance", lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: 2 / p)),
      expect="He's variance"),
    M(_XAVIER, "fan-out", _fan_out(1.0), expect="not by n_l"),
    M(_XAVIER, "Glorot's 2 / (n_in + n_out)",
      lambda layer_dims, rng: _init(layer_dims, _normal(rng, lambda n, p: 2 / (n + p))),
      expect="Glorot"),
    M(_XAVIER, "variance as rng.normal's scale", _variance_as_scale(1.0), expect="square root"),
    M(_XAVIER, "first layer's scale everywhere", _first_layer_scale(1.0), expect="first layer's scale"),
    M(_XAVIER, "global np.random", _global_random(1.0), expect=GLOBAL_RANDOM),
    M(_XAVIER, "own generator", _own_generator(1.0), expect="do not create your own generator",
      edge="randomness"),
    M(_XAVIER, "one row repeated for every unit", _one_row_per_layer(1.0), expect="identical rows",
      edge="per-part"),
    M(_XAVIER, "one draw cut into every layer", _one_draw_cut(1.0), expect="repeats weights of",
      edge="per-part"),
    M(_XAVIER, "b flat", _flat_b(1.0), expect="(n_l, 1)"),
    M(_XAVIER, "truncated normal, right variance (Keras's lecun_normal)", _truncated(1.0),
      expect="truncated normal"),

    M("numerical_gradient", "forward difference", _forward_difference,
      "this is the one-sided difference (f(x + eps) - f(x)) / eps, whose error is of order "
      "eps; use the centred difference (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), whose "
      "error is of order eps^2."),
    M("numerical_gradient", "divides by epsilon", _over_epsilon,
      "the two evaluations are 2 epsilon apart: divide by 2 * epsilon, not epsilon."),
    M("numerical_gradient", "ignores epsilon", _fixed_epsilon,
      "use the epsilon argument, not a number of your own.", edge="boundary"),
    M("numerical_gradient", "all entries at once", _all_at_once,
      "x + epsilon nudges every entry at once; nudge one entry at a time (a copy of x with "
      "only entry i changed) to get the partial derivative with respect to entry i."),
    M("numerical_gradient", "loops over rows", _rows,
      "for i in range(len(x)) nudges a whole row when x is a matrix: loop over every entry, "
      "e.g. for i in np.ndindex(x.shape), and x_plus[i] += epsilon.", edge="shape"),
    M("numerical_gradient", "calls f on flattened copies", _flat_calls,
      expect="call f with arrays shaped like x", edge="callback"),
    M("numerical_gradient", "flattened", _flat,
      "return an array of the same shape as x (one partial derivative per entry of x)."),
    M("numerical_gradient", "in place", _in_place, expect="modified its argument `x`"),
    M("numerical_gradient", "x_plus = x", _alias,
      "x_plus = x does not copy x: both names are the same array, so x_minus = x undoes the "
      "first nudge. Use x_plus = x.copy().", expect="copy"),

    # first: where it is caught (right gradients, a step of 1e-2) its value is rounding noise
    # near 0, and so are other mistakes' values (squared norms) that earlier trials catch
    M("gradient_check", "ignores epsilon", _gc_fixed_epsilon,
      "use the epsilon argument, not a number of your own.", edge="boundary"),
    M("gradient_check", "no denominator", _gc_no_denominator,
      "divide ||g - g_num|| by ||g|| + ||g_num||: a relative difference does not depend on "
      "how large the gradients are."),
    M("gradient_check", "||g + g_num|| below", _gc_norm_of_sum,
      "the denominator is ||g|| + ||g_num||, the sum of two norms, not the norm of the sum."),
    M("gradient_check", "squared norms", _gc_squares,
      "use norms, np.linalg.norm(v) = sqrt(sum(v**2)), not sums of squares."),
    M("gradient_check", "mean over parameters", _gc_mean_per_key,
      "compute one relative difference for all parameters together (put every entry of every "
      "gradient into one long vector), not the mean of one per parameter array."),
    M("gradient_check", "max over parameters", _gc_max_per_key,
      "compute one relative difference for all parameters together (put every entry of every "
      "gradient into one long vector), not the largest of one per parameter array."),
    M("gradient_check", "dict per parameter", _gc_per_key_dict, expect="should be a float"),
    M("gradient_check", "weights only", _gc_weights_only,
      "check every parameter, the biases b[l] as well as the weights W[l]."),
    M("gradient_check", "loops over grads", _gc_over_grads, expect="KeyError"),
    M("gradient_check", "forward difference", _gc_forward,
      "the numeric gradient is the centred difference (J(theta + eps) - J(theta - eps)) / (2 eps); "
      "a one-sided difference has an error of order eps."),
    M("gradient_check", "divides by epsilon", _gc_over_epsilon,
      "the two costs are 2 epsilon apart: divide by 2 * epsilon, not epsilon."),
    M("gradient_check", "shallow copy of params", _gc_shallow_copy,
      expect="modified its argument `params`"),
    M("gradient_check", "cost_fn given the nudged array alone", _gc_only_nudged,
      expect="not only the one nudged", edge="callback"),
    M("gradient_check", "cost_fn given flattened arrays", _gc_flattened,
      expect="not a flattened one", edge="callback"),
    M("gradient_check", "(1, 1) matrix products as norms", _gc_matrix_norms,
      expect="should be a plain number", edge="type"),
]

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb05 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("initialize_parameters_he", _reference.initialize_parameters_he))
