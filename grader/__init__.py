"""The grader of the deep neural networks course.

    from grader import check
    check("linear_forward", linear_forward)               # public trials: feedback now
    check("linear_forward", linear_forward, hidden=True)  # more, randomized: autograding

Stuck? ``hint("linear_forward")`` shows the next of the exercise's hints.

Questions: ``ask("q04-dropout-test-time")`` shows one, ``answer("q04-dropout-test-time", "b")``
checks an answer. ``exercises()`` lists every graded exercise and question with its notebook
and points (``kind`` says which). A demo cell that uses the
student's functions starts with ``needs("train_model", ...)`` (grader/demo.py).
"""
from .checking import CheckFailed, Report, check
from .demo import needs
from .hints import hint
from .questions import answer, ask
from .registry import Exercise
from .registry import graded as exercises

__all__ = ["check", "hint", "ask", "answer", "needs", "CheckFailed", "Report", "exercises", "Exercise"]
