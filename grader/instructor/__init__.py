"""The instructor's side of the course: grade a class, check a notebook, build the student copy.

    python -m grader autograde 01-building-blocks     # or --all; see autograde.py
    python -m grader check-notebook FILE               # integrity.py, also for students
    python -m grader report 01-building-blocks        # report.py: what the class got wrong
    python -m grader export --format canvas --all     # export.py: grades for the LMS
    make student-bundle                                # bundle.py

Modules, each readable top to bottom:
    integrity   static checks of a submitted notebook (renamed, deleted/duplicated cells; cheats,
                flagged for the instructor, advisory in the sandbox)
    guard       the limits installed in every grading kernel (memory, input(), output size)
    worker      grade one submission in a scratch course, return plain data
    sandbox     the bubblewrap sandbox every graded notebook runs in (one per worker, reset)
    kernels     its kernels, forked ready-made by a zygote (zygote.py, run as a script), and the
                verdict judged outside the kernel (grader/remote.py)
    executors   where workers run: local processes or a Dask cluster
    autograde   the batch: integrity, dispatch, cache, the one gradebook writer, CSV, summary
    bundle      the student archive without reference code or hidden tests
    report      one HTML page per assignment: scores, pass rates, named mistakes, answer shares
    export      gradebook upload files (Canvas, Moodle, CSV) from nbgrader's gradebook
"""
