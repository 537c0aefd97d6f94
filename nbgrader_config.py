# nbgrader configuration: the repository itself is the course directory.
# Run nbgrader commands from the repository root (README, "For instructors").
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "dnn-from-scratch"

# One assignment per numbered folder, e.g. solutions/01-building-blocks/01-building-blocks.ipynb.
# The student versions are committed, so they are released straight into notebooks/
# rather than nbgrader's default release/ folder (`make release`, grader/release.py).
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# The released skeletons must raise NotImplementedError: the grader turns exactly that into
# "not implemented yet". Pinned here so a different nbgrader default cannot change it.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# A question's answer cell is released as answer("qNN-name", ...) instead (grader/release.py).
try:
    from grader.release import AnswerStubs
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import ClearSolutions

    _steps = GenerateAssignment.class_traits()["preprocessors"].default()
    _steps.insert(_steps.index(ClearSolutions) + 1, AnswerStubs)
    c.GenerateAssignment.preprocessors = _steps
except ImportError:  # a copy of the course without the grader
    pass

# nbgrader's 30 s default is too tight for the training sections on a slow, shared grading
# machine; a student's endless loop is still stopped, then interrupted (not killed) so the
# rest of their notebook is graded and the stuck cell alone scores 0.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A student who deletes a graded cell would otherwise silently lose it (and its hidden tests);
# with this, autograde puts the instructor's cell back and grades it.
c.OverwriteCells.add_missing_cells = True

# nbgrader's own `generate_feedback` would show students the hidden tests (nbgrader issues
# #917, #1363): autograde puts them back. Clear them in feedback too, with the course's
# ClearHiddenTests, which also cuts the error tracebacks that quote them (`python -m grader
# autograde` writes its feedback the same way).
try:
    from grader.instructor.worker import ClearHiddenTests
except ImportError:  # a copy of the course without the autograder
    from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.preprocessors import GetGrades  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
