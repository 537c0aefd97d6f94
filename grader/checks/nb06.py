"""How the notebook 06 exercises are tried.

The optimizer updates are tried as a training loop uses them: several calls in a row, each
given that step's gradients and the params and state (v, s) the call before returned, with
t going up by one per call (Adam). So bias correction, the state update and returning the
new state are all exercised, and a fresh state (zeros, t = 1) as well as one from the middle
of training. Some gradient entries are tiny (1e-7 to 1e-4, as in the first layers of a deep
network), so where epsilon goes matters; some trials pass a large epsilon for the same
reason, and some gradient dicts hold extra keys ("dA0") as model_backward may return them.

random_mini_batches is random: it is checked by properties (a partition of the columns,
X and Y kept paired, the batch sizes, a real shuffle of every batch, use of the rng
argument), never by replaying one random stream.

Edges (hidden trials): batches of 1 and of m or more examples, a single feature; a series of
one value, beta = 0, a long series and one of whole numbers; beta = 0 in momentum and
RMSprop, a dead unit (gradients exactly 0 at every step, and no state), Adam late in training
(t over 200000), a deep network; a decay rate of 0.
"""
from __future__ import annotations

import numpy as np

from ..compare import Mismatch
from ..runner import NotImplementedYet, StudentError
from . import Clause, Spec, default

# -- inputs ----------------------------------------------------------------------------


# hidden trials at the edges of the update rules (the public ones are trials 0 to 2)
BETA_ZERO = 4   # momentum and RMSprop with beta = 0: no averaging at all
DEAD_UNIT = 7   # a unit whose gradients are exactly 0 at every step, with no state yet
LATE = 8        # Adam late in training: t over 200000, beta1**t underflows to 0
DEEP_TRIAL = 9  # a deep network
DEEP = 5


def _dims(rng, i, public=((3, 4, 1), (5, 2), (2, 3, 4, 2))):
    """layer_dims for trial i: fixed non-square layers first, then random ones; hidden trial
    DEEP_TRIAL is a network of DEEP layers."""
    if i < len(public):
        return list(public[i])
    dims = [int(x) for x in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
    return [3, 4, 2, 3, 2, 1] if i == DEEP_TRIAL else dims


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


def _kill_a_unit(steps, states):
    """Unit 0 of layer 1 is dead: its gradients are exactly 0 at every step and its state is
    0 (never updated). RMSprop, AdaGrad and Adam divide 0 by sqrt(0) + epsilon there: the
    parameters stay put, with no 0 / 0."""
    for grads in steps:
        grads["dW1"][0, :] = 0.0
        grads["db1"][0, :] = 0.0
    for state in states:
        state["dW1"][0, :] = 0.0
        state["db1"][0, :] = 0.0


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
    if i == DEAD_UNIT:
        _kill_a_unit(steps, [inputs[name] for name in states])
    if adam:
        inputs["t"] = 1 if fresh else int(rng.integers(2, 60))
        if i == LATE:
            inputs["t"] += 200_000
    if i == 0 and adam:
        return inputs  # the default learning_rate, betas and epsilon
    if with_beta:
        inputs["beta"] = float((0.9, 0.8, 0.95)[i]) if i < 3 else float(rng.uniform(0.5, 0.999))
        if i == BETA_ZERO:
            inputs["beta"] = 0.0
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
    partial batch), m = 75 in batches of 32 (a last batch of 11). Hidden: also batches of 1
    (stochastic gradient descent), of m (batch gradient descent) and of more than m (one
    batch of all m), a last batch of 5 to 9 (trial 6) and a single feature (trial 7)."""
    if i < 3:
        n_x, m, size = ((3, 50, 16), (2, 64, 16), (5, 75, 32))[i]
    else:
        n_x, m = int(rng.integers(1, 6)), int(rng.integers(50, 160))
        size = {3: 1, 4: m, 5: m + 7}.get(i, int(rng.integers(2, 40)))
        if i % 4 == 1 and size < m // 2:
            m -= m % size  # an exact multiple: no partial batch
        if i == 6:  # a last, partial batch large enough for the per-batch shuffle check
            size = max(size, 10)
            m = m - m % size + min(size - 1, 9)
        if i == 7:
            n_x = 1
    X = rng.standard_normal((n_x, m))
    if i == 0:
        Y = (rng.random((1, m)) < 0.5).astype(float)  # labels, as in training
    else:
        Y = rng.standard_normal((1, m))  # distinct values: every pairing error shows
    return {"X": X, "Y": Y, "mini_batch_size": size,
            "rng": np.random.default_rng(int(rng.integers(2**31)))}


ONE_VALUE, NO_PAST, WHOLE_NUMBERS, LONG = 3, 4, 5, 6  # hidden ewma trials at the edges


def _ewma_inputs(rng, i):
    """Hidden edges: a series of one value (trial 3), beta = 0 (4: v_t = theta_t), whole
    numbers in an integer array (5: daily temperatures in whole degrees), a long series
    with a small beta (6: beta**t underflows to 0, and beta**-t overflows)."""
    if i < 3:
        T, beta = (12, 30, 7)[i], (0.9, 0.8, 0.98)[i]
    else:
        T, beta = int(rng.integers(1, 60)), float(rng.uniform(0.3, 0.99))
        T, beta = {ONE_VALUE: (1, beta), NO_PAST: (T, 0.0), LONG: (1500, 0.5)}.get(i, (T, beta))
    # a level far from 0 and noise: the start without bias correction is far too low
    values = 10.0 + 3.0 * np.sin(np.arange(T) / 4.0) + rng.standard_normal(T)
    if i == WHOLE_NUMBERS:
        values = np.round(values).astype(np.int64)
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
        if i == 5:  # no decay at all: the rate stays learning_rate0
            decay_rate = 0.0
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
    _every_batch_shuffled(order, [pair[0].shape[1] for pair in trial.got], m, size)
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


# a batch of this many examples or more may not hold exactly the columns of X it would hold
# unshuffled, in their order (see _every_batch_shuffled)
UNMOVED = 5


def _every_batch_shuffled(order, sizes, m, size):
    """Per batch, not only pooled: the shuffle statistics pool all m examples, so a batch left
    unshuffled (the last, partial one, when only the complete batches are shuffled) hides in
    them. Under a uniform shuffle a given run of r positions holds exactly its own columns,
    in order, with probability (m - r)! / m! <= 1 / (m (m-1) ... (m-r+1)); for r >= UNMOVED = 5
    and m >= 50 that is below 4e-9, and at most m / 5 batches are tested: a correct shuffle
    fails with probability below 1e-7. (Where every batch is a run of consecutive columns,
    the batches' order alone was shuffled: the neighbour check after this one says so.)"""
    starts = np.cumsum([0] + sizes[:-1])
    if all(np.all(np.diff(order[a:a + r]) == 1) for a, r in zip(starts, sizes)):
        return
    for k, (start, r) in enumerate(zip(starts, sizes)):
        if r >= UNMOVED and np.array_equal(order[start:start + r], np.arange(start, start + r)):
            which = "the last batch" if k == len(sizes) - 1 and m % size else f"batch {k}"
            raise Mismatch((k,), f"holds columns {start} to {start + r - 1} of X in their original "
                                 f"order: {which} is not shuffled. Shuffle all m examples with one "
                                 f"permutation before cutting, the m % mini_batch_size left over "
                                 f"for the last batch as well")


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
# what trials hold, for the clauses


def _m_and_size(inputs):
    return inputs["X"].shape[1], inputs["mini_batch_size"]


def _no_partial_batch(inputs):
    m, size = _m_and_size(inputs)
    return size < m and m % size == 0


def _partial_batch(inputs):
    m, size = _m_and_size(inputs)
    return size < m and m % size > 0


def _large_partial_batch(inputs):
    m, size = _m_and_size(inputs)
    return size < m and m % size >= UNMOVED


def _layers(inputs):
    return len(inputs["params"]) // 2


def _one_unit(inputs):
    return any(v.shape[0] == 1 for k, v in inputs["params"].items() if k.startswith("W"))


def _fresh(*states):
    return lambda inputs: all(not np.any(a) for name in states for a in inputs[name].values())


def _mid_training(*states):
    return lambda inputs: all(np.any(inputs[name]["dW1"]) for name in states)


def _extra_keys(inputs):
    return any(k not in ("d" + p for p in inputs["params"]) for k in inputs["grads"][0])


def _tiny_gradients(inputs):
    return min(float(np.min(np.abs(g[k]))) for g in inputs["grads"] for k in g if k != "dA0") < 1e-6


def _dead_unit(inputs):
    """A unit with exactly zero gradient at every step and zero state."""
    return all(not np.any(g["dW1"][0]) and not np.any(g["db1"][0]) for g in inputs["grads"]) and \
        all(not np.any(inputs[n]["dW1"][0]) for n in ("v", "s") if n in inputs)


def _large_epsilon(inputs):
    return inputs.get("epsilon", 1e-8) >= 1e-3


STEPS = Clause("state", "called several times in a row, each call given the params and state "
                        "the call before returned (and t + 1 for Adam): the updated state is "
                        "returned, not the old one, as new dicts", by="sequence")
# The updates are not Spec.fresh: returning an argument's state unchanged ("returns the old
# v") would then be reported as shared memory, before the value check could name that
# mistake with its hint; and a returned array that shares memory with an argument or another
# returned one has wrong values anyway (an update moves every entry with a gradient), so the
# value check and the check that arguments are unchanged (EVERY_TRIAL) catch it.
EXTRA_KEYS = Clause("boundary", "grads may hold extra keys (dA0, ...): loop over the layers of "
                                "params, and the state keeps only dW1, db1, ...", tried=_extra_keys)
LAYERS = (
    Clause("shape", "a single-layer network (L = 1)", tried=lambda x: _layers(x) == 1),
    Clause("shape", "a layer of one unit: W (1, n_{l-1}), b (1, 1)", tried=_one_unit),
    Clause("shape", f"a deep network (L = {DEEP})", tried=lambda x: _layers(x) >= DEEP),
)
SCALED = (  # RMSprop, AdaGrad and Adam: dW / (sqrt(s) + epsilon)
    Clause("boundary", "epsilon defaults to 1e-8", tried=default("epsilon")),
    Clause("extreme", "tiny gradients (1e-7 to 1e-4), where sqrt(s) is about epsilon: epsilon "
                      "goes outside the root, sqrt(s) + epsilon", tried=_tiny_gradients),
    Clause("boundary", "a large epsilon (1e-3 to 0.1) is the one used, not a fixed 1e-8",
           tried=_large_epsilon),
    Clause("extreme", "a dead unit (gradients exactly 0 at every step, s = 0): its parameters "
                      "stay put, 0 / (0 + epsilon), never 0 / 0", tried=_dead_unit),
)

SPECS = [
    Spec("random_mini_batches", _mini_batch_inputs, "mini_batches", by_value=False,
         properties=_mini_batch_properties, clauses=(
             Clause("boundary", "m a multiple of mini_batch_size: full batches only, no empty "
                                "last one", tried=_no_partial_batch),
             Clause("boundary", "m not a multiple: a last, smaller batch of the m % "
                                "mini_batch_size examples left over", tried=_partial_batch),
             Clause("boundary", "mini_batch_size = 1 (stochastic gradient descent): m batches "
                                "of one example each", tried=lambda x: x["mini_batch_size"] == 1),
             Clause("boundary", "mini_batch_size = m (batch gradient descent): one batch of all "
                                "m examples, shuffled",
                    tried=lambda x: _m_and_size(x)[1] == _m_and_size(x)[0]),
             Clause("boundary", "mini_batch_size larger than m: still one batch of all m "
                                "examples (no complete batch, m % k = m left over)",
                    tried=lambda x: _m_and_size(x)[1] > _m_and_size(x)[0]),
             Clause("shape", "a single feature, n_x = 1: X_t stays (1, k_t)",
                    tried=lambda x: x["X"].shape[0] == 1),
             Clause("per-part", "every batch is shuffled, the last, partial one too (not only "
                                "the pool of all m examples)", tried=_large_partial_batch),
             Clause("per-part", "one permutation for X and Y: every example keeps its label, "
                                "column by column", by="properties"),
             Clause("randomness", "the same rng state gives the same batches, another generator "
                                  "other ones: draw the permutation from rng", by="properties"),
         )),
    Spec("ewma", _ewma_inputs, "averages", clauses=(
        Clause("boundary", "bias_correction defaults to True", tried=default("bias_correction")),
        Clause("boundary", "bias_correction=False: the plain v_t, not divided",
               tried=lambda x: x.get("bias_correction") is False),
        Clause("shape", "a series of one value (T = 1): an array of one average",
               tried=lambda x: len(x["values"]) == 1),
        Clause("boundary", "beta = 0 (0 <= beta < 1): no averaging, v_t = theta_t",
               tried=lambda x: x["beta"] == 0),
        Clause("extreme", "a long series (T = 1500) with beta = 0.5: beta**t underflows to 0 "
                          "and the correction fades out; every average stays finite",
               tried=lambda x: len(x["values"]) >= 1000),
        Clause("type", "a series of whole numbers (an integer array) still gives float averages",
               tried=lambda x: np.asarray(x["values"]).dtype.kind == "i"),
    )),
    Spec("initialize_velocity", _init_inputs, "v", clauses=LAYERS),
    Spec("update_parameters_with_momentum",
         lambda rng, i: _update_inputs(rng, i, ("v",), with_beta=True, fresh_at=2),
         ("params", "v"), sequence=_steps("v"), clauses=LAYERS + (
             STEPS, EXTRA_KEYS,
             Clause("boundary", "a fresh start, v = 0 (initialize_velocity)", tried=_fresh("v")),
             Clause("boundary", "mid-training, v from earlier steps", tried=_mid_training("v")),
             Clause("boundary", "beta = 0: v = dW, plain gradient descent",
                    tried=lambda x: x["beta"] == 0),
         )),
    Spec("update_parameters_with_rmsprop",
         lambda rng, i: _update_inputs(rng, i, ("s",), with_beta=True),
         ("params", "s"), sequence=_steps("s"), clauses=SCALED + (
             STEPS, EXTRA_KEYS, *LAYERS,
             Clause("boundary", "a fresh start, s = 0", tried=_fresh("s")),
             Clause("boundary", "beta = 0: s = dW**2, steps of about learning_rate each",
                    tried=lambda x: x["beta"] == 0),
         )),
    Spec("update_parameters_with_adagrad",
         lambda rng, i: _update_inputs(rng, i, ("s",), with_beta=False),
         ("params", "s"), sequence=_steps("s"), clauses=SCALED + (
             STEPS, EXTRA_KEYS, *LAYERS,
             Clause("boundary", "a fresh start, s = 0", tried=_fresh("s")),
             Clause("boundary", "mid-training: s is the sum of all squared gradients so far",
                    tried=_mid_training("s")),
         )),
    Spec("initialize_adam", _init_inputs, ("v", "s"), fresh=True, clauses=LAYERS + (
        Clause("state", "v and s are two separate dicts of separate arrays (s = v, s = dict(v) "
                        "or v[k] = s[k] = np.zeros(...) share them)", by="fresh"),
    )),
    Spec("update_parameters_with_adam",
         lambda rng, i: _update_inputs(rng, i, ("v", "s"), with_beta=False, adam=True, fresh_at=1),
         ("params", "v", "s"), sequence=_steps("v", "s", counts_t=True),
         clauses=SCALED + (
             STEPS, EXTRA_KEYS, *LAYERS,
             Clause("boundary", "learning_rate, beta1, beta2 default to 0.01, 0.9, 0.999",
                    tried=default("learning_rate")),
             Clause("boundary", "the first step: t = 1 from v = s = 0",
                    tried=lambda x: x["t"] == 1 and _fresh("v", "s")(x)),
             Clause("boundary", "mid-training: t > 1, v and s from earlier steps",
                    tried=lambda x: x["t"] > 1 and _mid_training("v", "s")(x)),
             Clause("extreme", "late in training (t > 200000): beta1**t underflows to 0, "
                               "beta2**t nearly, and both corrections fade to 1",
                    tried=lambda x: x["t"] > 200_000),
         )),
    Spec("learning_rate_decay", _decay_inputs, "learning_rate", clauses=(
        Clause("boundary", "epoch 0 uses learning_rate0 itself", tried=lambda x: x["epoch"] == 0),
        Clause("boundary", "decay_rate = 0: no decay, learning_rate0 at every epoch",
               tried=lambda x: x["decay_rate"] == 0),
        Clause("type", "the rate is a plain number (float), not an array",
               by="grader.compare.compare"),
    )),
]
