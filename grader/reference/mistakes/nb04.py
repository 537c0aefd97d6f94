"""Mistakes in notebook 04, as students make them."""
from __future__ import annotations

import numpy as np

from ..nb01 import compute_cost, model_backward
from . import GLOBAL_RANDOM, Mistake

# -- compute_cost_with_l2 ------------------------------------------------------------------


def _cost(AL, Y, params, lambd, factor=lambda m: 1 / (2 * m), penalty=None, layers=None,
          cross_entropy=True):
    m = Y.shape[1]
    L = len(params) // 2
    penalty = penalty or (lambda W: np.sum(np.square(W)))
    keys = [f"W{l}" for l in (layers(L) if layers else range(1, L + 1))]
    total = sum(penalty(params[k]) for k in keys)
    return float((compute_cost(AL, Y) if cross_entropy else 0.0) + lambd * factor(m) * total)


def _cost_counts_all_params(AL, Y, params, lambd):
    L = len(params)  # counts the b's too
    return compute_cost(AL, Y) + lambd / (2 * Y.shape[1]) * sum(
        np.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))


def _cost_with_biases(AL, Y, params, lambd):
    return compute_cost(AL, Y) + lambd / (2 * Y.shape[1]) * sum(
        np.sum(v ** 2) for v in params.values())


# -- model_backward_with_l2 ----------------------------------------------------------------


def _backward(AL, Y, caches, lambd, term=lambda W, lambd, m: lambd / m * W, layers=None,
              on_b=False):
    m = Y.shape[1]
    grads = model_backward(AL, Y, caches)
    L = len(caches)
    for l in (layers(L) if layers else range(1, L + 1)):
        (_, W, b), _ = caches[l - 1]
        grads[f"dW{l}"] = grads[f"dW{l}"] + term(W, lambd, m)
        if on_b:
            grads[f"db{l}"] = grads[f"db{l}"] + term(b, lambd, m)
    return grads


# -- dropout -------------------------------------------------------------------------------


def _drop(A, keep_prob, rng, mask=None, scale=None, returned=None):
    mask = (rng.random(A.shape) < keep_prob).astype(float) if mask is None else mask
    A_drop = A * mask / keep_prob if scale is None else A * mask * scale
    return returned(A_drop, mask) if returned else (A_drop, mask)


def _drop_in_place(A, keep_prob, rng):
    mask = rng.random(A.shape) < keep_prob
    A *= mask
    A /= keep_prob
    return A, mask


def _drop_global(A, keep_prob, rng):
    mask = np.random.rand(*A.shape) < keep_prob
    return A * mask / keep_prob, mask


def _stopping_skips_last(dev_errors, patience):
    best = 0
    for epoch in range(1, len(dev_errors) - 1):
        if dev_errors[epoch] < dev_errors[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(dev_errors) - 1, best


def _drop_seeded_global(A, keep_prob, rng):
    # repeatable for one generator state, different for another: only the global state tells
    np.random.seed(int(rng.integers(2**31)))
    mask = np.random.rand(*A.shape) < keep_prob
    return A * mask / keep_prob, mask


def _drop_own_generator(A, keep_prob, rng):
    mask = np.random.default_rng(0).random(A.shape) < keep_prob
    return A * mask / keep_prob, mask


def _drop_fixed_count(A, keep_prob, rng):
    # "keep keep_prob of the units": exactly round(keep_prob * n) in every example
    n, m = A.shape
    mask = np.zeros(A.shape)
    for j in range(m):
        mask[rng.choice(n, size=round(keep_prob * n), replace=False), j] = 1.0
    return A * mask / keep_prob, mask


def _dropout_backward_new_mask(dA, mask, keep_prob):
    return dA * (np.random.rand(*dA.shape) < keep_prob) / keep_prob


def _dropout_backward_in_place(dA, mask, keep_prob):
    dA *= mask
    dA /= keep_prob
    return dA


# -- early stopping ------------------------------------------------------------------------


def _stopping(dev_errors, patience, better=lambda e, best, prev: e < best, late=0,
              one_based=0, end=-1, reset=True, order=lambda stop, best: (stop, best)):
    best, bad = 0, 0
    for epoch in range(1, len(dev_errors)):
        if better(dev_errors[epoch], dev_errors[best], dev_errors[epoch - 1]):
            best = epoch
            if reset:
                bad = 0
        else:
            bad += 1
        if bad >= patience + late:
            return order(epoch + one_based, best + one_based)
    return order(len(dev_errors) + end + one_based, best + one_based)


def _stopping_global_best(dev_errors, patience):
    stop, _ = _stopping(dev_errors, patience)
    return stop, int(np.argmin(dev_errors))


def _stopping_vs_previous(dev_errors, patience):
    # "no improvement" judged against the epoch before, not against the best so far
    best, bad = 0, 0
    for epoch in range(1, len(dev_errors)):
        if dev_errors[epoch] < dev_errors[epoch - 1]:
            bad = 0
            if dev_errors[epoch] < dev_errors[best]:
                best = epoch
        else:
            bad += 1
        if bad >= patience:
            return epoch, best
    return len(dev_errors) - 1, best


# -- normalizing ---------------------------------------------------------------------------


def _fit(X_train, axis=1, keepdims=True, sigma=None, constant=1.0):
    mu = np.mean(X_train, axis=axis, keepdims=keepdims)
    s = np.std(X_train, axis=axis, keepdims=keepdims) if sigma is None else sigma(X_train)
    if constant is not None:
        s = np.where(s == 0, constant, s)
    return mu, s


# -- random_shift --------------------------------------------------------------------------


def _shift_one(image, dy, dx):
    h, w = image.shape
    out = np.zeros_like(image)
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def _shift(images, max_shift, rng, draw=None, move=_shift_one):
    K = max_shift
    draw = draw or (lambda: rng.integers(-K, K + 1, size=2))
    return np.stack([move(image, *draw()) for image in images])


def _shift_roll(images, max_shift, rng):
    return _shift(images, max_shift, rng, move=lambda img, dy, dx: np.roll(img, (dy, dx), axis=(0, 1)))


def _shift_same_for_all(images, max_shift, rng):
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
    return _shift(images, max_shift, rng, draw=lambda: (dy, dx))


def _shift_diagonal(images, max_shift, rng):
    def draw():
        s = rng.integers(-max_shift, max_shift + 1)
        return s, s
    return _shift(images, max_shift, rng, draw=draw)


def _shift_clipped_normal(images, max_shift, rng):
    # "small shifts are more natural": a normal with standard deviation max_shift, rounded
    # and clipped to the range; every value occurs, but not equally often
    return _shift(images, max_shift, rng, draw=lambda: np.clip(
        np.round(rng.normal(0, max_shift, size=2)), -max_shift, max_shift).astype(int))


def _shift_global(images, max_shift, rng):
    return _shift(images, max_shift, rng,
                  draw=lambda: np.random.randint(-max_shift, max_shift + 1, size=2))


def _shift_in_place(images, max_shift, rng):
    for i in range(len(images)):
        images[i] = _shift_one(images[i], *rng.integers(-max_shift, max_shift + 1, size=2))
    return images


def _shift_minus_zero_slice(images, max_shift, rng):
    # out[dy:] = image[:-dy] is right for dy > 0, but image[:-0] is empty
    out = np.zeros_like(images)
    for i, image in enumerate(images):
        dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
        moved = np.zeros_like(image)
        if dy >= 0:
            moved[dy:, :] = image[:-dy, :]
        else:
            moved[:dy, :] = image[-dy:, :]
        if dx >= 0:
            out[i, :, dx:] = moved[:, :-dx]
        else:
            out[i, :, :dx] = moved[:, -dx:]
    return out


M = Mistake
MISTAKES = [
    # compute_cost_with_l2
    M("compute_cost_with_l2", "forgot 1/m", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, factor=lambda m: 1 / 2),
      "the penalty is lambd / (2m) times the sum of squares: divide by m, the number of "
      "examples (Y.shape[1])."),
    M("compute_cost_with_l2", "lambd/m", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, factor=lambda m: 1 / m),
      "the penalty is lambd / (2m) * sum ||W||^2: you left out the 1/2 (it is there so "
      "that the gradient is simply lambd/m * W)."),
    M("compute_cost_with_l2", "penalises b", _cost_with_biases,
      "only the weights W[l] are penalised, not the biases b[l]."),
    M("compute_cost_with_l2", "skips the last layer", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, layers=lambda L: range(1, L)),
      "sum the squares of every W[l], l = 1 .. L: the last layer's W is missing (range(1, L) "
      "stops at L - 1)."),
    M("compute_cost_with_l2", "norm not squared", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, penalty=lambda W: np.linalg.norm(W)),
      "the penalty uses the squared Frobenius norm ||W||_F^2 = np.sum(W ** 2); "
      "np.linalg.norm(W) is its square root."),
    M("compute_cost_with_l2", "square of the sum", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, penalty=lambda W: np.sum(W) ** 2),
      "square each weight, then sum: np.sum(W ** 2), not np.sum(W) ** 2."),
    M("compute_cost_with_l2", "penalty only", lambda AL, Y, params, lambd: _cost(
        AL, Y, params, lambd, cross_entropy=False),
      "the regularized cost is the cross-entropy cost plus the penalty: add compute_cost(AL, Y)."),
    M("compute_cost_with_l2", "L = len(params)", _cost_counts_all_params, expect="KeyError"),
    # model_backward_with_l2
    M("model_backward_with_l2", "forgot 1/m", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, term=lambda W, lambd, m: lambd * W),
      "the extra term is lambd / m * W[l]: divide by m, the number of examples."),
    M("model_backward_with_l2", "kept the 1/2", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, term=lambda W, lambd, m: lambd / (2 * m) * W),
      "the derivative of lambd/(2m) * W^2 is lambd/m * W: the 2 of the square cancels the 1/2."),
    M("model_backward_with_l2", "W squared", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, term=lambda W, lambd, m: lambd / m * W ** 2),
      "the derivative of W^2 is 2W, so the term is lambd/m * W, not lambd/m * W^2."),
    M("model_backward_with_l2", "wrong sign", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, term=lambda W, lambd, m: -lambd / m * W),
      "add lambd/m * W to dW: the penalty grows with |W|, so its gradient points along W "
      "(the update then shrinks W)."),
    M("model_backward_with_l2", "regularizes db", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, on_b=True),
      "the biases are not penalised, so db[l] is the same as without regularization."),
    M("model_backward_with_l2", "skips the last layer", lambda AL, Y, caches, lambd: _backward(
        AL, Y, caches, lambd, layers=lambda L: range(1, L)),
      "add lambd/m * W[l] to every dW[l], l = 1 .. L, the last layer's too."),
    # dropout_forward
    M("dropout_forward", "not rescaled", lambda A, keep_prob, rng: _drop(A, keep_prob, rng, scale=1.0),
      expect="divides the kept units by keep_prob"),
    M("dropout_forward", "times keep_prob", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, scale=keep_prob), expect="divide by keep_prob instead"),
    M("dropout_forward", "drops with probability keep_prob", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, mask=(rng.random(A.shape) > keep_prob).astype(float)),
      expect="with >, it is dropped with probability keep_prob"),
    M("dropout_forward", "one mask for all examples", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, mask=(rng.random((A.shape[0], 1)) < keep_prob).astype(float)),
      expect="one mask for all examples"),
    M("dropout_forward", "one mask broadcast over the batch", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, mask=np.tile(rng.random((A.shape[0], 1)) < keep_prob, A.shape[1])),
      expect="the same for every example"),
    M("dropout_forward", "drops whole examples", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, mask=(rng.random((1, A.shape[1])) < keep_prob).astype(float)),
      expect="drops whole examples"),
    M("dropout_forward", "mask already scaled", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, returned=lambda A_drop, mask: (A_drop, mask / keep_prob)),
      expect="holds 0 and 1/keep_prob"),
    M("dropout_forward", "mask marks the dropped units", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, returned=lambda A_drop, mask: (A_drop, 1 - mask)),
      expect="mask must be 1 where a unit is kept"),
    M("dropout_forward", "returns (mask, A_drop)", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, returned=lambda A_drop, mask: (mask, A_drop)), expect="order (A_drop, mask)"),
    M("dropout_forward", "returns A_drop only", lambda A, keep_prob, rng: _drop(
        A, keep_prob, rng, returned=lambda A_drop, mask: A_drop), expect="should be a tuple (A_drop, mask)"),
    M("dropout_forward", "a fixed number kept per example", _drop_fixed_count,
      expect="far too regular for units kept independently"),
    M("dropout_forward", "global np.random", _drop_global, expect=GLOBAL_RANDOM),
    M("dropout_forward", "global np.random seeded from rng", _drop_seeded_global, expect=GLOBAL_RANDOM),
    M("dropout_forward", "own generator", _drop_own_generator, expect="do not create your own generator"),
    M("dropout_forward", "modifies A", _drop_in_place, expect="modified its argument `A`"),
    # dropout_backward
    M("dropout_backward", "not rescaled", lambda dA, mask, keep_prob: dA * mask,
      "divide by keep_prob as well: the forward pass scaled the kept units by 1/keep_prob, "
      "so their derivatives carry the same factor."),
    M("dropout_backward", "times keep_prob", lambda dA, mask, keep_prob: dA * mask * keep_prob,
      "divide by keep_prob, as the forward pass did; do not multiply."),
    M("dropout_backward", "no mask", lambda dA, mask, keep_prob: dA / keep_prob,
      "apply the same mask as the forward pass: a dropped unit did not affect the cost, so "
      "its derivative is 0."),
    M("dropout_backward", "new mask", _dropout_backward_new_mask, expect=GLOBAL_RANDOM),
    M("dropout_backward", "modifies dA", _dropout_backward_in_place, expect="modified its argument `dA`"),
    # early_stopping
    M("early_stopping", "last epoch never looked at", _stopping_skips_last,
      "look at every epoch, the last one too: the best epoch can be the very last (a loop that "
      "ends one epoch early never sees it)."),
    M("early_stopping", "ties count as improvements", lambda dev_errors, patience: _stopping(
        dev_errors, patience, better=lambda e, best, prev: e <= best),
      "only a strictly lower error is an improvement: an error equal to the best so far "
      "does not reset the patience (use <, not <=)."),
    M("early_stopping", "compares with the previous epoch", _stopping_vs_previous,
      "count the epochs since the best error so far, not since the last epoch that was "
      "better than the one before it."),
    M("early_stopping", "counter never reset", lambda dev_errors, patience: _stopping(
        dev_errors, patience, reset=False),
      "patience counts the epochs since the best one: start counting again at each "
      "improvement."),
    M("early_stopping", "one epoch late", lambda dev_errors, patience: _stopping(
        dev_errors, patience, late=1),
      "stop at the first epoch that is exactly `patience` epochs past the best "
      "(epoch - best_epoch >= patience), not one epoch later."),
    M("early_stopping", "one epoch early", lambda dev_errors, patience: _stopping(
        dev_errors, patience, late=-1),
      "stop at the first epoch that is `patience` epochs past the best, not patience - 1."),
    M("early_stopping", "best of all epochs", _stopping_global_best,
      "best_epoch is the best epoch up to the stop: training never sees the epochs after "
      "it (np.argmin over the whole list looks into the future)."),
    M("early_stopping", "last epoch = len", lambda dev_errors, patience: _stopping(
        dev_errors, patience, end=0),
      "without an early stop, training ends at the last epoch, len(dev_errors) - 1."),
    M("early_stopping", "counts from 1", lambda dev_errors, patience: _stopping(
        dev_errors, patience, one_based=1),
      "epochs are numbered from 0, like the positions in dev_errors."),
    M("early_stopping", "(best, stop)", lambda dev_errors, patience: _stopping(
        dev_errors, patience, order=lambda stop, best: (best, stop)),
      "return (stop_epoch, best_epoch), in this order."),
    # fit_normalizer
    M("fit_normalizer", "axis=0", lambda X_train: _fit(X_train, axis=0),
      "one mean and one sigma per feature (row), over the examples: axis=1.",
      expect="axis=1"),
    M("fit_normalizer", "lost keepdims", lambda X_train: _fit(X_train, keepdims=False),
      expect="keepdims=True"),
    M("fit_normalizer", "variance", lambda X_train: _fit(
        X_train, sigma=lambda X: np.var(X, axis=1, keepdims=True)),
      "that is the variance sigma^2; return the standard deviation sigma = np.sqrt(variance) "
      "(the note under the exercise says why the course divides by sigma)."),
    M("fit_normalizer", "ddof=1", lambda X_train: _fit(
        X_train, sigma=lambda X: np.std(X, axis=1, keepdims=True, ddof=1)),
      "the lecture divides by m (sigma^2 = 1/m sum (x - mu)^2): np.std's default ddof=0, "
      "not ddof=1."),
    M("fit_normalizer", "not centred", lambda X_train: _fit(
        X_train, sigma=lambda X: np.sqrt(np.mean(X ** 2, axis=1, keepdims=True))),
      "subtract the mean before squaring: sigma^2 = 1/m sum (x - mu)^2."),
    M("fit_normalizer", "constant feature: sigma = 0", lambda X_train: _fit(X_train, constant=None),
      "a constant feature has sigma = 0; set its sigma to 1, so that normalize gives 0 "
      "instead of dividing by 0."),
    M("fit_normalizer", "sigma + epsilon", lambda X_train: _fit(
        X_train, sigma=lambda X: np.std(X, axis=1, keepdims=True) + 1e-8, constant=None),
      "adding a small epsilon to sigma leaves a constant feature's sigma near 0 (and its "
      "normalized values huge if it varies a little on new data): set sigma = 1 exactly "
      "where sigma == 0."),
    # normalize
    M("normalize", "divides by sigma^2", lambda X, mu, sigma: (X - mu) / sigma ** 2,
      "divide by sigma, not sigma^2 (the lecture's slide writes sigma^2; see the note above "
      "the exercise)."),
    M("normalize", "forgot sigma", lambda X, mu, sigma: X - mu,
      "subtracting mu centres the features; dividing by sigma also gives them the same spread."),
    M("normalize", "parentheses", lambda X, mu, sigma: X - mu / sigma,
      "X - mu / sigma divides only mu: write (X - mu) / sigma."),
    M("normalize", "statistics of X itself", lambda X, mu, sigma: (
        X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True),
      "use the mu and sigma you are given (fitted on the training set), not the statistics "
      "of X: dev and test data go through exactly the same transformation as the training data."),
    M("normalize", "in place", lambda X, mu, sigma: _normalize_in_place(X, mu, sigma),
      expect="modified its argument `X`"),
    # random_shift
    M("random_shift", "np.roll", _shift_roll, expect="wraps around"),
    M("random_shift", "one shift for all images", _shift_same_for_all,
      expect="the same shift (dy, dx)"),
    M("random_shift", "high is exclusive", lambda images, max_shift, rng: _shift(
        images, max_shift, rng, draw=lambda: rng.integers(-max_shift, max_shift, size=2)),
      expect="rng.integers(-max_shift, max_shift + 1)"),
    M("random_shift", "only non-negative shifts", lambda images, max_shift, rng: _shift(
        images, max_shift, rng, draw=lambda: rng.integers(0, max_shift + 1, size=2)),
      expect="has no negative"),
    M("random_shift", "the same shift down and right", _shift_diagonal,
      expect="draw the vertical and the horizontal shift separately"),
    M("random_shift", "only horizontal", lambda images, max_shift, rng: _shift(
        images, max_shift, rng, draw=lambda: (0, rng.integers(-max_shift, max_shift + 1))),
      expect="has no image shifted in the vertical direction"),
    M("random_shift", "max_shift pixels always", lambda images, max_shift, rng: _shift(
        images, max_shift, rng, draw=lambda: rng.choice([-max_shift, max_shift], size=2)),
      expect="shift of 0 among"),
    M("random_shift", "clipped normal shifts", _shift_clipped_normal,
      expect="a rounded normal, clipped to the range, is not uniform"),
    M("random_shift", "global np.random", _shift_global, expect=GLOBAL_RANDOM),
    M("random_shift", "modifies images", _shift_in_place, expect="modified its argument `images`"),
    M("random_shift", "image[:-0] is empty", _shift_minus_zero_slice, expect="random_shift raised"),
    M("random_shift", "returns the shifts too", lambda images, max_shift, rng: (
        _shift(images, max_shift, rng), None), expect="should be one array"),
]


def _normalize_in_place(X, mu, sigma):
    X -= mu
    X /= sigma
    return X

# float32 where the contract says float64, in an exercise checked by properties (by value,
# compare() catches it): named by the check of every returned value (checking._examine)
from .. import nb04 as _reference  # noqa: E402
from . import in_float32  # noqa: E402

MISTAKES.append(in_float32("random_shift", _reference.random_shift))
