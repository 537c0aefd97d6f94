"""The grader of the deep neural networks course.

    from grader import check
    check("linear_forward", linear_forward)               # public trials: feedback now
    check("linear_forward", linear_forward, hidden=True)  # more, randomized: autograding

``exercises()`` lists every exercise with its notebook and points. A demo cell that uses the
student's functions starts with ``needs("train_model", ...)`` (grader/demo.py).
"""
from .checking import CheckFailed, Report, check
from .demo import needs
from .registry import Exercise, exercises

__all__ = ["check", "needs", "CheckFailed", "Report", "exercises", "Exercise"]
