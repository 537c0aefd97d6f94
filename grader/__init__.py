"""The grader of the deep neural networks course.

    from grader import check
    check("linear_forward", linear_forward)               # public trials: feedback now
    check("linear_forward", linear_forward, hidden=True)  # more, randomized: autograding

``exercises()`` lists every exercise with its notebook and points.
"""
from .checking import CheckFailed, Report, check
from .registry import Exercise, exercises

__all__ = ["check", "CheckFailed", "Report", "exercises", "Exercise"]
