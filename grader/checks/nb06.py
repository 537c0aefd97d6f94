"""How the notebook 06 exercises are tried.

The optimizer updates are tried as a training loop uses them: several calls in a row, each
given that step's gradients and the params and state (v, s) the call before returned, with
t going up by one per call (Adam). So bias correction, the state update and returning the
new state are all exercised, and a fresh state (zeros, t = 1) as well as one from the middle
of training. Some gradient entries are tiny (1e-7 to 1e-4, as in the first layers of a deep
network), so where epsilon goes matters; some trials pass a large epsilon for the same
reason, and some gradient dicts hold extra keys ("dA0") as model_backward may return them.

random_mini_batches is random: it is checked by properties (a partition of the columns,
X and Y kept paired, the batch sizes, a real shuffle, use of the rng argument), never by
replaying one random stream.
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch
from ..runner import NotImplementedYet, StudentError
from . import Spec

# -- inputs ----------------------------------------------------------------------------


def _dims(rng, i, public=((3, 4, 1), (5, 2), (2, 3, 4, 2))):
    """layer_dims for trial i: fixed non-square layers first, then random ones."""
    if i < len(public):
        return list(public[i])
    return [int(x) for x in rng.integers(1, 6, size=int(rng.integers(2, 5)))]


def _params(rng, dims):
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        params[f"b{l}"] = 0.5 * rng.standard_normal((dims[l], 1))  # nonzero biases
    return params


def _magnitudes(rng, params):
    """Per-entry gradient sizes: most of order 1, about a third tiny (1e-7 to 1e-4)."""
    sizes = {}
    for key, value in params.items():
        tiny = rng.random(value.shape) < 0.35
        sizes["d" + key] = np.where(tiny, 10.0 ** rng.uniform(-7, -4, value.shape),
                                    rng.uniform(0.3, 2.0, value.shape))
    return sizes


def _gradient_steps(rng, params, n_steps, extra_keys):
    sizes = _magnitudes(rng, params)
    drift = {k: rng.standard_normal(v.shape) for k, v in sizes.items()}  # a consistent direction
    steps = []
    for _ in range(n_steps):
        grads = {k: sizes[k] * (drift[k] + rng.standard_normal(sizes[k].shape)) for k in sizes}
        if extra_keys:  # model_backward may add dA keys: an update must not trip over them
            grads["dA0"] = rng.standard_normal((2, 3))
        steps.append(grads)
    return steps, sizes


def _state(rng, sizes, fresh, squared):
    """A state dict: zeros when fresh, else one from the middle of training (s > 0)."""
    if fresh:
        return {k: np.zeros(v.shape) for k, v in sizes.items()}
    if squared:
        return {k: v**2 * rng.uniform(0.2, 3.0, v.shape) for k, v in sizes.items()}
    return {k: v * rng.standard_normal(v.shape) for k, v in sizes.items()}


def _update_inputs(rng, i, states, with_beta, adam=False, fresh_at=0):
    """Public trial 0: default hyperparameters (Adam); trial 1: extra grads keys; trial 2: a
    large epsilon. Trial fresh_at (and every third hidden trial after it) starts from a fresh
    state (zeros, t = 1), the others from the middle of training.

    Momentum starts mid-training in trial 0 (fresh_at=2): from v = 0, the first step of several
    mistakes is the same (W - learning_rate * dW), and the first hint should be the right one.
    Adam too (fresh_at=1): t - 1 in the correction divides by 1 - beta**0 = 0 at t = 1, a nan
    that no hint can match, while from t >= 2 it is a wrong number that the hint names."""
    params = _params(rng, _dims(rng, i))
    n_steps = (4, 3, 5)[i] if i < 3 else int(rng.integers(2, 6))
    fresh = i % 3 == fresh_at
    steps, sizes = _gradient_steps(rng, params, n_steps, extra_keys=i % 3 == 1)
    inputs = {"params": params, "grads": steps}
    for name in states:
        inputs[name] = _state(rng, sizes, fresh, squared=name == "s")
    if adam:
        inputs["t"] = 1 if fresh else int(rng.integers(2, 60))
    if i == 0 and adam:
        return inputs  # the default learning_rate, betas and epsilon
    if with_beta:
        inputs["beta"] = float((0.9, 0.8, 0.95)[i]) if i < 3 else float(rng.uniform(0.5, 0.999))
    inputs["learning_rate"] = float(rng.uniform(0.005, 0.2))
    if adam:
        inputs["beta1"] = float(rng.uniform(0.5, 0.95))
        inputs["beta2"] = float(rng.uniform(0.9, 0.9999))
    if "s" in states and (i == 2 or (i > 2 and rng.random() < 0.5)):
        inputs["epsilon"] = float(10.0 ** rng.uniform(-4, -1))
    return inputs


def _init_inputs(rng, i):
    return {"params": _params(rng, _dims(rng, i))}


def _mini_batch_inputs(rng, i):
    """Public: m = 50 in batches of 16 (a last batch of 2), m = 64 in batches of 16 (no
    partial batch), m = 75 in batches of 32. Hidden: also batches of 1 and of m or more."""
    if i < 3:
        n_x, m, size = ((3, 50, 16), (2, 64, 16), (5, 75, 32))[i]
    else:
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(50, 160))
        size = {3: 1, 4: m, 5: m + 7}.get(i, int(rng.integers(2, 40)))
        if i % 4 == 1 and size < m // 2:
            m -= m % size  # an exact multiple: no partial batch
    X = rng.standard_normal((n_x, m))
    if i == 0:
        Y = (rng.random((1, m)) < 0.5).astype(float)  # labels, as in training
    else:
        Y = rng.standard_normal((1, m))  # distinct values: every pairing error shows
    return {"X": X, "Y": Y, "mini_batch_size": size,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


def _ewma_inputs(rng, i):
    if i < 3:
        T, beta = (12, 30, 7)[i], (0.9, 0.8, 0.98)[i]
    else:
        T, beta = int(rng.integers(1, 60)), float(rng.uniform(0.3, 0.99))
    # a level far from 0 and noise: the start without bias correction is far too low
    values = 10.0 + 3.0 * np.sin(np.arange(T) / 4.0) + rng.standard_normal(T)
    inputs = {"values": values, "beta": beta}
    if i % 3:  # every third trial leaves bias_correction at its default, True
        inputs["bias_correction"] = i % 3 == 2
    return inputs


def _decay_inputs(rng, i):
    if i < 3:  # the lecture's example (0.2, decay 1) at epoch 3; epoch 0; a slow decay
        learning_rate0, epoch, decay_rate = ((0.2, 3, 1.0), (0.05, 0, 0.5), (0.01, 10, 0.3))[i]
    else:
        learning_rate0 = float(10.0 ** rng.uniform(-3, 0))
        epoch = 0 if i == 3 else int(rng.integers(1, 100))
        decay_rate = float(rng.uniform(0.05, 2.0))
    return {"learning_rate0": learning_rate0, "epoch": epoch, "decay_rate": decay_rate}


# -- a sequence of optimizer steps ------------------------------------------------------


def _steps(*states, counts_t=False):
    """Call an update as a training loop does: call k gets grads[k] and the params and states
    the call before returned (and t + k). The value is the list of what every call returned.

    When a call returns something that cannot be fed back (not a tuple of dicts with the
    inputs' keys and shapes), the sequence stops there and that value stands for the rest,
    so the comparison points at that call."""
    def sequence(fn, args):
        params, state = args["params"], {name: args[name] for name in states}
        values, n = [], len(args["grads"])
        for k, grads in enumerate(args["grads"]):
            kwargs = {**args, "params": params, "grads": grads, **state}
            if counts_t:
                kwargs["t"] = args["t"] + k
            try:
                value = fn(**kwargs)
            except NotImplementedYet:
                raise
            except StudentError as e:
                if k == 0:
                    raise
                raise StudentError(f"in call {k + 1} of {n} (called {n} times in a row, each time "
                                   f"with what the call before returned): {e}") from None
            values.append(value)
            fed = _feedable(value, args, states)
            if fed is None:
                values += [value] * (n - k - 1)
                break
            params, state = fed
        return values
    return sequence


def _feedable(value, args, states):
    """(params, {state name: dict}) from a call's value, or None if it cannot be fed back."""
    if not isinstance(value, (tuple, list)) or len(value) != 1 + len(states):
        return None
    for got, given in zip(value, [args["params"]] + [args[name] for name in states]):
        if not isinstance(got, dict):
            return None
        for key, array in given.items():
            if not isinstance(got.get(key), np.ndarray) or got[key].shape != array.shape:
                return None
    return value[0], dict(zip(states, value[1:]))


# -- random_mini_batches ----------------------------------------------------------------


def _mini_batch_properties(trial):
    X, Y, size = trial.inputs["X"], trial.inputs["Y"], trial.inputs["mini_batch_size"]
    m = X.shape[1]
    order = _partition(trial.got, X, Y, size)
    if np.array_equal(order, np.arange(m)):
        raise Mismatch((), "keeps the examples in their original order: shuffle the columns "
                           "first (one rng.permutation(m) for X and Y), then cut the batches")
    # Under a uniform shuffle the rank correlation between old and new positions has mean 0
    # and standard deviation 1 / sqrt(m - 1); m >= 50 in every trial. Five standard errors:
    # a correct shuffle fails with probability below 1e-6.
    rho = float(np.corrcoef(order, np.arange(m))[0, 1])
    if abs(rho) > 5 / np.sqrt(m - 1):
        raise Mismatch((), f"is hardly shuffled (rank correlation {rho:.2f} between old and new "
                           f"positions; a shuffle gives about 0): shuffle all m examples at once, "
                           f"not only within each batch")
    # Neighbours that stay neighbours (i followed by i + 1): about Poisson(1) for a uniform
    # shuffle (mean and standard deviation close to 1), so more than 10 has probability
    # below 1e-8. Shuffling the order of the batches alone keeps m - m / size of them.
    kept = int(np.sum(np.diff(order) == 1))
    if kept > 10:
        raise Mismatch((), f"keeps {kept} pairs of neighbouring examples together: did you "
                           f"shuffle the order of the batches instead of the examples?")
    again = trial.call()
    if not _same_batches(again, trial.got):
        raise Mismatch((), "came out different for two generators in the same state: draw the "
                           "permutation from the rng argument (rng.permutation), never from "
                           "np.random")
    other = trial.call(rng=np.random.default_rng(12345))
    if _same_batches(other, trial.got):
        raise Mismatch((), "gave the same batches for two different generators: draw from the "
                           "rng argument (do not create your own generator)")


def _partition(batches, X, Y, size):
    """The original column of every returned example, in order; Mismatch unless the batches
    are an exact partition of the columns with X and Y paired and the right sizes."""
    m = X.shape[1]
    if not isinstance(batches, (list, tuple)):
        raise Mismatch((), f"should be a list of (X_batch, Y_batch) pairs, got a "
                           f"{type(batches).__name__}")
    for k, pair in enumerate(batches):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise Mismatch((k,), "should be a pair (X_batch, Y_batch)")
        for j, (array, like) in enumerate(zip(pair, (X, Y))):
            if not isinstance(array, np.ndarray) or array.ndim != 2 or array.shape[0] != like.shape[0]:
                shape = array.shape if isinstance(array, np.ndarray) else type(array).__name__
                raise Mismatch((k, j), f"is {shape}; expected ({like.shape[0]}, number of "
                                       f"examples in the batch): examples are columns")
        if pair[0].shape[1] != pair[1].shape[1]:
            raise Mismatch((k,), f"holds {pair[0].shape[1]} examples of X and {pair[1].shape[1]} "
                                 f"of Y: slice X and Y with the same columns")
        if pair[0].shape[1] == 0:
            raise Mismatch((k,), f"is an empty batch: m = {m} is a multiple of mini_batch_size = "
                                 f"{size}, so there is no partial batch to add")
    sizes = [pair[0].shape[1] for pair in batches]
    wanted = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != wanted:
        if sizes == wanted[:-1]:
            raise Mismatch((), f"has batches of sizes {_list(sizes)}; the last {wanted[-1]} "
                               f"examples are missing: when m = {m} is not a multiple of "
                               f"mini_batch_size = {size}, the m % mini_batch_size left over "
                               f"make a last, smaller batch")
        raise Mismatch((), f"has batches of sizes {_list(sizes)}, expected {_list(wanted)}: "
                           f"mini_batch_size examples each, and the m % mini_batch_size left "
                           f"over in a last, smaller batch")
    where = {X[:, j].tobytes(): j for j in range(m)}
    order = []
    for k, (X_batch, Y_batch) in enumerate(batches):
        for c in range(X_batch.shape[1]):
            j = where.get(np.asarray(X_batch[:, c], dtype=X.dtype).tobytes())
            if j is None:
                raise Mismatch((k, 0), f"column {c} is not a column of X: shuffle whole "
                                       f"examples (the columns, X[:, permutation]), not the rows "
                                       f"or single entries")
            if not np.array_equal(Y_batch[:, c], Y[:, j]):
                raise Mismatch((k, 1), f"column {c} is not the label of the example in column "
                                       f"{c} of X_batch: shuffle X and Y with the same "
                                       f"permutation, so every example keeps its label")
            order.append(j)
    counts = np.bincount(order, minlength=m)
    if counts.max() > 1:
        twice = int(np.argmax(counts))
        raise Mismatch((), f"holds example {twice} (column {twice} of X) {counts.max()} times: "
                           f"every example must be in exactly one batch (a permutation, not "
                           f"draws with replacement)")
    return np.array(order)


def _same_batches(a, b):
    try:
        return len(a) == len(b) and all(np.array_equal(x[0], y[0]) and np.array_equal(x[1], y[1])
                                        for x, y in zip(a, b))
    except (TypeError, IndexError):
        return False


def _list(sizes, show=8):
    return "[" + ", ".join(map(str, sizes[:show])) + (", ...]" if len(sizes) > show else "]")


# -- specs -----------------------------------------------------------------------------


SPECS = [
    Spec("random_mini_batches", _mini_batch_inputs, "mini_batches", by_value=False,
         properties=_mini_batch_properties),
    Spec("ewma", _ewma_inputs, "averages"),
    Spec("initialize_velocity", _init_inputs, "v"),
    Spec("update_parameters_with_momentum",
         lambda rng, i: _update_inputs(rng, i, ("v",), with_beta=True, fresh_at=2),
         ("params", "v"), sequence=_steps("v")),
    Spec("update_parameters_with_rmsprop",
         lambda rng, i: _update_inputs(rng, i, ("s",), with_beta=True),
         ("params", "s"), sequence=_steps("s")),
    Spec("update_parameters_with_adagrad",
         lambda rng, i: _update_inputs(rng, i, ("s",), with_beta=False),
         ("params", "s"), sequence=_steps("s")),
    Spec("initialize_adam", _init_inputs, ("v", "s")),
    Spec("update_parameters_with_adam",
         lambda rng, i: _update_inputs(rng, i, ("v", "s"), with_beta=False, adam=True, fresh_at=1),
         ("params", "v", "s"), sequence=_steps("v", "s", counts_t=True)),
    Spec("learning_rate_decay", _decay_inputs, "learning_rate"),
]
