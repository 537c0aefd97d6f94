"""The verdict judged outside a kernel (grader/remote.py, checking.judge), with the kernel's
side served from a thread here: the same verdicts as checking the function in-process, for
right and wrong functions, and every way a call can go wrong ends in a message."""
from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading

import numpy as np
import pytest

from grader import checking, remote, runner
from grader.reference import implementation


@contextlib.contextmanager
def kernel(functions: dict, timeout=10.0):
    """A Kernel whose calls are served, as in a sandboxed kernel, by remote.serve."""
    folder = tempfile.mkdtemp()
    address = os.path.join(folder, "judge")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(1)
    saved = dict(checking.GRADED)
    checking.GRADED.clear()
    checking.GRADED.update(functions)
    server = threading.Thread(target=remote.serve, args=(address,), daemon=True)
    server.start()
    connection, _ = listener.accept()
    k = remote.Kernel(connection, timeout)
    try:
        yield k
    finally:
        k.done()
        server.join(timeout=30)
        listener.close()
        checking.GRADED.clear()
        checking.GRADED.update(saved)


# exercises with a function argument (callbacks), a sequence of calls, a generator
EXERCISES = ["sigmoid", "initialize_parameters", "model_backward", "numerical_gradient",
             "update_parameters_with_adam", "random_mini_batches", "bayesian_optimization"]


def test_the_reference_passes_from_outside_with_any_salt():
    with kernel({e: implementation(e) for e in EXERCISES}) as k:
        for salt in ("", "a course's secret"):
            verdicts = checking.judge(EXERCISES, k.function, salt=salt)
            assert all(v.passed for v in verdicts.values()), {e: v.message for e, v in verdicts.items()}


def test_a_wrong_function_gets_the_same_message_as_in_process():
    def sigmoid(Z):
        return 1 / (1 + np.exp(Z))  # the sign

    with kernel({"sigmoid": sigmoid}) as k:
        outside = checking.judge(["sigmoid"], k.function)["sigmoid"]
    inside, _ = checking._run(checking.SPECS["sigmoid"], sigmoid, hidden=True)
    assert not outside.passed and outside.message == inside


def test_every_failure_of_a_call_is_a_message():
    def raises(Z):
        raise ValueError("bad shape")

    def not_yet(Z):
        raise NotImplementedError

    class Mine:
        pass

    def odd(Z):
        return Mine()

    def float32(Z):
        return (1 / (1 + np.exp(-Z))).astype(np.float32)

    cases = {"raises": (raises, "raised ValueError: bad shape"), "not_yet": (not_yet, "not implemented yet"),
             "odd": (odd, "Mine"), "float32": (float32, "float32")}
    for name, (fn, said) in cases.items():
        with kernel({"sigmoid": fn}) as k:
            verdict = checking.judge(["sigmoid"], k.function)["sigmoid"]
        assert not verdict.passed and said in verdict.message, (name, verdict.message)
    with kernel({}) as k:
        verdict = checking.judge(["sigmoid"], k.function)["sigmoid"]
    assert not verdict.passed and "not defined in the notebook" in verdict.message


def test_a_call_that_never_returns_ends_the_connection_not_the_grader(monkeypatch):
    monkeypatch.setattr(runner, "TIME_LIMIT", 0.5)  # the kernel's own limit, here a thread's: none

    def loops(Z):
        threading.Event().wait(3)
        return Z

    with kernel({"sigmoid": loops, "relu": implementation("relu")}, timeout=1.0) as k:
        verdicts = checking.judge(["sigmoid", "relu"], k.function)
    assert "did not return within 1 s" in verdicts["sigmoid"].message
    assert not verdicts["relu"].passed and "stopped answering" in verdicts["relu"].message


def test_a_callback_error_reaches_the_students_code():
    """bayesian_optimization calls the objective outside; a wrong-shaped point raises there,
    and the student's function sees the ValueError."""
    def bayesian_optimization(objective, bounds, n_iter, rng, n_initial=3):
        objective(np.zeros((1, len(bounds))))  # (1, d), not (d,)

    with kernel({"bayesian_optimization": bayesian_optimization}) as k:
        verdict = checking.judge(["bayesian_optimization"], k.function)["bayesian_optimization"]
    assert not verdict.passed and "ValueError" in verdict.message and "shape" in verdict.message


@pytest.mark.parametrize("garbage", [b"\xff" * 16, b""])
def test_a_kernel_that_sends_garbage_fails_only_its_own_calls(garbage):
    a, b = socket.socketpair()
    b.sendall(garbage)
    b.close() if not garbage else None
    k = remote.Kernel(a, 2.0)
    verdict = checking.judge(["sigmoid"], k.function)["sigmoid"]
    assert not verdict.passed and "kernel" in verdict.message
    a.close()
    b.close()


def test_a_value_nested_too_deeply_is_a_message():
    def deep(Z):
        value = []
        for _ in range(100_000):
            value = [value]
        return value

    with kernel({"sigmoid": deep}) as k:
        verdict = checking.judge(["sigmoid"], k.function)["sigmoid"]
    assert not verdict.passed and "nested too deeply" in verdict.message
