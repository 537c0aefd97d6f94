"""The one list of notebooks and exercises: ids, signatures, points; and of the questions,
which live in data (grader/questions.py): ``graded()`` lists both, as nbgrader grades them.

Everything else (check specs, reference implementations, notebooks' grade cells, tests)
is keyed by these ids and tested against this list.
"""
from __future__ import annotations

from dataclasses import dataclass

NOTEBOOKS = {
    "01-building-blocks": "Forward and backward propagation: the building blocks",
    "02-deep-networks": "Deep networks: training end to end, and why depth helps",
    "03-bias-variance": "Train/dev/test sets and bias-variance diagnosis",
    "04-regularization": "Regularization",
    "05-vanishing-gradients": "Vanishing and exploding gradients, initialization, gradient checking",
    "06-optimizers": "Optimization algorithms",
    "07-bayesian-optimization": "Hyperparameter search and Bayesian optimization",
    "08-capstone": "Capstone: a ten-class digit classifier from your own parts",
}


@dataclass(frozen=True)
class Exercise:
    id: str
    notebook: str
    points: int
    signature: str  # "" for a question
    kind: str = "function"  # or "question"

    @property
    def title(self) -> str:
        return NOTEBOOKS[self.notebook]


def _notebook(name: str, *rows: tuple[str, int]) -> list[Exercise]:
    return [Exercise(sig.split("(")[0], name, points, sig) for sig, points in rows]


EXERCISES: list[Exercise] = [
    *_notebook(
        "01-building-blocks",
        ("sigmoid(Z)", 1),
        ("relu(Z)", 1),
        ("sigmoid_backward(dA, Z)", 1),
        ("relu_backward(dA, Z)", 1),
        ("initialize_parameters(layer_dims, rng, scale=0.01)", 2),
        ("linear_forward(A_prev, W, b)", 1),
        ("linear_activation_forward(A_prev, W, b, activation)", 2),
        ("model_forward(X, params)", 3),
        ("compute_cost(AL, Y)", 2),
        ("linear_backward(dZ, cache)", 3),
        ("linear_activation_backward(dA, cache, activation)", 2),
        ("model_backward(AL, Y, caches)", 3),
        ("update_parameters(params, grads, learning_rate)", 2),
    ),
    *_notebook(
        "02-deep-networks",
        ("predict(X, params)", 1),
        ("train_model(X, Y, layer_dims, learning_rate, num_iterations, rng)", 3),
        ("parity_data(n_bits)", 2),
        ("xor_tree_network(n, k=10.0)", 3),
        ("dnf_network(n, k=10.0)", 2),
    ),
    *_notebook(
        "03-bias-variance",
        ("train_dev_test_split(X, Y, rng, dev_fraction=0.2, test_fraction=0.2)", 3),
        ("error_rate(Y_hat, Y)", 1),
        ("diagnose(train_error, dev_error, base_error=0.0, threshold=0.05)", 2),
    ),
    *_notebook(
        "04-regularization",
        ("compute_cost_with_l2(AL, Y, params, lambd)", 2),
        ("model_backward_with_l2(AL, Y, caches, lambd)", 3),
        ("dropout_forward(A, keep_prob, rng)", 3),
        ("dropout_backward(dA, mask, keep_prob)", 2),
        ("model_forward_with_dropout(X, params, keep_prob, rng)", 3),
        ("model_backward_with_dropout(AL, Y, caches, masks, keep_prob, lambd=0.0)", 3),
        ("early_stopping(dev_errors, patience)", 2),
        ("fit_normalizer(X_train)", 2),
        ("normalize(X, mu, sigma)", 1),
        ("random_shift(images, max_shift, rng)", 3),
    ),
    *_notebook(
        "05-vanishing-gradients",
        ("initialize_parameters_zeros(layer_dims)", 1),
        ("initialize_parameters_he(layer_dims, rng)", 2),
        ("initialize_parameters_xavier(layer_dims, rng)", 2),
        ("numerical_gradient(f, x, epsilon=1e-5)", 3),
        ("gradient_check(cost_fn, params, grads, epsilon=1e-7)", 2),
    ),
    *_notebook(
        "06-optimizers",
        ("random_mini_batches(X, Y, mini_batch_size, rng)", 3),
        ("ewma(values, beta, bias_correction=True)", 2),
        ("initialize_velocity(params)", 1),
        ("update_parameters_with_momentum(params, grads, v, beta, learning_rate)", 2),
        ("update_parameters_with_rmsprop(params, grads, s, beta, learning_rate, epsilon=1e-8)", 2),
        ("update_parameters_with_adagrad(params, grads, s, learning_rate, epsilon=1e-8)", 2),
        ("initialize_adam(params)", 1),
        ("update_parameters_with_adam(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, "
         "beta2=0.999, epsilon=1e-8)", 3),
        ("learning_rate_decay(learning_rate0, epoch, decay_rate)", 1),
    ),
    *_notebook(
        "07-bayesian-optimization",
        ("sample_log_uniform(low, high, size, rng)", 1),
        ("sample_beta(low, high, size, rng)", 2),
        ("rbf_kernel(X1, X2, length_scale=1.0, variance=1.0)", 2),
        ("sample_gp_prior(X, n_samples, rng, length_scale=1.0, variance=1.0)", 2),
        ("gp_posterior(X_train, y_train, X_test, length_scale=1.0, variance=1.0, noise=1e-6)", 3),
        ("log_marginal_likelihood(X, y, length_scale, variance, noise)", 3),
        ("expected_improvement(mu, sigma, y_best, xi=0.0)", 3),
        ("bayesian_optimization(objective, bounds, n_iter, rng, n_initial=3)", 3),
    ),
    *_notebook(
        "08-capstone",
        ("one_hot(y, K)", 1),
        ("softmax(Z)", 2),
        ("compute_cost_multiclass(AL, Y)", 2),
        ("model_forward_multiclass(X, params)", 2),
        ("model_backward_multiclass(AL, Y, caches)", 3),
        ("predict_multiclass(X, params)", 1),
        ("train_classifier(X_train, Y_train, X_dev, Y_dev, hyper, rng)", 4),
    ),
]

_BY_ID = {e.id: e for e in EXERCISES}


def exercises(notebook: str | None = None) -> list[Exercise]:
    """Every exercise in course order, or those of one notebook (e.g. ``"01-building-blocks"``)."""
    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(f"unknown notebook {notebook!r}; the notebooks are {list(NOTEBOOKS)}")
    return [e for e in EXERCISES if notebook is None or e.notebook == notebook]


def exercise(exercise_id: str) -> Exercise:
    """An exercise, or a question, by its id."""
    try:
        return _BY_ID[exercise_id]
    except KeyError:
        pass
    for q in questions():
        if q.id == exercise_id:
            return q
    raise KeyError(f"unknown exercise {exercise_id!r}")


def questions(notebook: str | None = None) -> list[Exercise]:
    """Every question (``ask``/``answer``) in course order, or those of one notebook."""
    from .questions import questions as loaded

    if notebook is not None and notebook not in NOTEBOOKS:
        raise KeyError(f"unknown notebook {notebook!r}; the notebooks are {list(NOTEBOOKS)}")
    return [Exercise(q.id, q.notebook, q.points, "", "question") for q in loaded(notebook)]


def graded(notebook: str | None = None) -> list[Exercise]:
    """Everything graded: the exercises, then the questions, of every notebook or of one."""
    if notebook is None:
        return [g for name in NOTEBOOKS for g in graded(name)]
    return exercises(notebook) + questions(notebook)
