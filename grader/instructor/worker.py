"""Grade ONE submission in a scratch course; runs in a worker (a local process or a Dask worker).

The worker receives everything as data (the submitted notebook's text and a tarball of
a template course: nbgrader_config.py, the source notebook and a gradebook that knows
the assignment), so it needs no shared disk with the instructor. It runs nbgrader's own
Autograde on that one student, with the kernel guard (guard.py) and a per-cell timeout,
strips the hidden tests from a copy of the autograded notebook, renders the feedback
from that copy, and returns plain data: scores per grade cell, the autograded notebook,
the feedback HTML, and a reason when something went wrong. It never touches the
instructor's gradebook and never raises: any failure is a result with a reason.

From outside the kernel it enforces a wall-clock deadline per submission (the kernel is
killed), retries once a kernel that died or did not start (the OOM killer, a busy machine),
and trims every output to a size limit before anything is stored.
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

import jinja2
from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests as _NbgraderClearHiddenTests

from . import guard

# nbgrader's messages when the kernel did not survive the notebook
_DIED = ("DeadKernelError", "Kernel died", "kernel died", "CellExecutionComplete", "RuntimeError: Kernel")


def environment():
    """Make nbgrader find this interpreter's kernel and alembic (idempotent, process-wide)."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if not path.startswith(bindir + os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + path
    share = str(Path(sys.prefix) / "share" / "jupyter")
    if share not in os.environ.get("JUPYTER_PATH", "").split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [share, os.environ.get("JUPYTER_PATH")]))
    # Several kernels run at once: multi-threaded BLAS on small matrices only fights over cores.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def warm_up(assignment: str | None = None, rooms: Path | None = None):
    """Start-up of a worker process: the environment, nbgrader imported once, and the
    zygote its kernels are forked from (in a sandbox for ``assignment``, with its room in
    ``rooms``, when given)."""
    environment()
    import multiprocessing.util

    import nbgrader.converters  # noqa: F401

    from . import kernels

    if assignment is None:
        kernels.start_zygote()
        return
    kernels.ROOMS = rooms
    # (a pool's worker ends with os._exit: atexit would not run, multiprocessing's finalizers do)
    multiprocessing.util.Finalize(None, kernels.close_sandboxes, exitpriority=10)
    try:
        kernels.sandbox_for(assignment)
    except Exception:  # noqa: BLE001 - tried again for the first submission, which reports why
        pass


def grade(job: dict) -> dict:
    """job: assignment, student, notebook (text), template (bytes), timeout, memory, output,
    deadline (seconds for the whole notebook), zero (exercises to score 0: the integrity
    check found code that could fool their checks).

    Returns: student, status ("graded" or "failed"), reason, scores {grade_id: points},
    autograded (notebook text, hidden tests included, for the instructor), feedback (HTML,
    hidden tests removed), seconds, log (the end of nbgrader's log), attempts, and lost
    (True when the failure is not the submission's: not to be cached).
    """
    start = time.perf_counter()
    result = {"student": job["student"], "status": "failed", "reason": "", "scores": {},
              "autograded": None, "feedback": None, "log": ""}
    try:
        environment()
        for attempt in (1, 2):
            with tempfile.TemporaryDirectory(prefix=f"grade-{job['student']}-") as scratch:
                out = _grade_in(Path(scratch), job)
            # A kernel that died or never started is given a second chance (the OOM killer
            # takes the largest process, not the guilty one; a loaded machine can miss the
            # kernel's start-up timeout); a deadline is never retried.
            if not out.pop("retry", False):
                break
        result.update(out, attempts=attempt)
    except Exception as e:  # noqa: BLE001 - one submission's failure must not end the batch
        result["reason"] = f"the grader failed on this submission: {type(e).__name__}: {e}"
        result["lost"] = True  # not the submission's fault, as far as we know: not cached
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def _grade_in(scratch: Path, job: dict) -> dict:
    from . import kernels

    course = scratch / "course"
    with tarfile.open(fileobj=io.BytesIO(job["template"])) as tar:
        tar.extractall(course, filter="data")
    a, student = job["assignment"], job["student"]
    submitted = course / "submitted" / student / a / f"{a}.ipynb"
    submitted.parent.mkdir(parents=True)
    submitted.write_text(job["notebook"], encoding="utf-8")
    # In a sandbox, the kernel sees the room only: the notebook's folder and the guard are there
    box = kernels.sandbox_for(a) if job.get("sandbox") else None
    place = box.room if box else scratch
    (place / ".grading").mkdir(exist_ok=True)
    guard_file, pid_file = place / ".grading" / "guard.py", place / ".grading" / "kernel.pid"
    timeout = int(job.get("timeout") or 120)
    # CPU time for the whole kernel: ten cells' worth of timeouts, and at least 10 minutes
    guard_file.write_text(guard.source(job.get("memory"), job.get("output"), max(600, 10 * timeout),
                                       pid_file), encoding="utf-8")
    try:
        return _autograde(course, job, box, guard_file, pid_file, timeout)
    finally:
        if box is not None:
            box.sweep()  # whatever the submission started stops now, not at the next one


def _autograde(course: Path, job: dict, box, guard_file: Path, pid_file: Path, timeout: int) -> dict:
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute
    from nbgrader.utils import capture_log
    from traitlets.config.loader import PyFileConfigLoader

    from .. import registry
    from . import kernels

    a, student = job["assignment"], job["student"]
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.assignment_id = a
    config.CourseDirectory.student_id = student
    config.Execute.timeout = timeout
    config.Execute.interrupt_on_timeout = True
    config.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                                      f"--IPKernelApp.exec_files={guard_file}"]
    autograded_root = course / "autograded"
    verdict = ""
    if box is not None:
        autograded_root = box.room / "autograded"
        config.CourseDirectory.autograded_directory = str(autograded_root)
        config.KernelManager.sandbox = str(box.room)
        # the verdict, judged outside the kernel once the notebook has run (kernels.Execute)
        verdict = config.Execute.verdict = f"{student}-{os.getpid()}-{threading.get_ident()}-{time.time_ns()}"
        config.Execute.exercises = [e.id for e in registry.graded(a)]
        config.Execute.salt = job.get("salt", "")
    # nbgrader's pipeline, with kernels forked ready-made (kernels.py)
    pipeline = Autograde.class_traits()["autograde_preprocessors"].default()
    config.Autograde.autograde_preprocessors = [kernels.Execute if p is Execute else p for p in pipeline]
    coursedir = CourseDirectory(config=config)
    converter = Autograde(coursedir=coursedir, config=config)
    converter.force = True
    deadline, killed = float(job.get("deadline") or 0), threading.Event()
    watchdog = threading.Timer(deadline, _kill, [guard_file, killed, box]) if deadline else None
    if watchdog:
        watchdog.daemon = True
        watchdog.start()
    try:
        run = capture_log(converter)
    finally:
        if watchdog:
            watchdog.cancel()
    verdicts = kernels.VERDICTS.pop(verdict, None) if verdict else None
    log = (run.get("log") or "") + (run.get("error") or "")
    out = {"log": log[-4000:]}

    autograded = autograded_root / student / a / f"{a}.ipynb"
    if not run["success"] or not autograded.is_file():
        if killed.is_set():
            out["reason"] = (f"the notebook ran longer than its deadline ({deadline:g} s for the whole "
                             "notebook): its kernel was stopped and nothing could be graded")
        elif not pid_file.is_file():  # the guard writes it first thing: the kernel never started
            out.update(retry=True, lost=True, reason="the grading kernel did not start (not the "
                       "submission's fault; grade it again): " + _last_error(log))
        elif "CellTimeoutError" in log:  # nbgrader gives up on a cell that outlives its interrupt
            out["reason"] = ("a cell went on running after its time limit, despite the interrupt (an "
                             "endless loop that catches KeyboardInterrupt?): nothing could be graded")
        elif any(s in log for s in _DIED):
            out.update(retry=True, reason="the kernel died while running the notebook (os._exit, a "
                       "crash, a segmentation fault, memory, or its CPU-time limit): nothing could be graded")
        else:
            out["reason"] = "nbgrader could not grade the notebook: " + _last_error(log)
        return out

    if box is not None and verdicts is None:
        out["reason"] = "the notebook ran, but its functions could not be judged (the kernel stopped?)"
        return out
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        nb = gb.find_submission_notebook(a, a, student)
        for g in nb.grades:
            if verdicts is not None and g.name in verdicts:
                # the score is the verdict judged outside; what the cell printed is not trusted
                g.auto_score = float(g.max_score or 0) if verdicts[g.name].passed else 0.0
            # Exercises the student's code could have fooled (integrity "cheat" findings, without
            # a sandbox) score 0, here already, so that the feedback shows the gradebook's score.
            if g.name in job.get("zero", ()):
                g.auto_score = 0.0
        gb.db.commit()
        out["scores"] = {g.name: float(g.score or 0) for g in nb.grades}
    text = autograded.read_text(encoding="utf-8")
    if verdicts is not None:
        text = with_verdicts(text, verdicts)
        out["verdicts"] = {e: {"passed": v.passed, "message": v.message, "answer": v.answer,
                               "outcome": v.outcome, "mistake": v.mistake, "trial": v.trial}
                           for e, v in verdicts.items()}
    # Outputs trimmed before they are stored anywhere: display() and a cell's value bypass
    # the guard's limit on printed text.
    out["autograded"] = cap_outputs(text, job.get("output"))

    # Feedback from a copy without the hidden tests (nbgrader's own feedback shows them).
    autograded.write_text(strip_hidden_tests(out["autograded"]), encoding="utf-8")
    config.GenerateFeedback.exporter_class = FeedbackExporter
    feedback = GenerateFeedback(coursedir=coursedir, config=config)
    feedback.force = True
    run = capture_log(feedback)
    html = course / "feedback" / student / a / f"{a}.html"
    if run["success"] and html.is_file():
        out["feedback"] = html.read_text(encoding="utf-8")
    out["status"] = "graded"
    return out


def _kill(guard_file: Path, killed: threading.Event, box=None):
    """The deadline passed: kill this job's kernel (the one started with its guard file), and
    its process group (each kernel runs in a session of its own, so what it forked goes too);
    in a sandbox, every process there but the zygote."""
    from . import kernels

    if box is not None:
        killed.set()
        box.sweep()
        return

    for pid in kernels.launched(str(guard_file)):
        killed.set()
        for kill in (getattr(os, "killpg", None), os.kill):
            try:
                if kill:
                    kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            except OSError:
                pass


def with_verdicts(notebook_text: str, verdicts: dict) -> str:
    """The notebook with each exercise's test cell showing the verdict judged outside the
    kernel (what the cell printed inside was the student's kernel's to change)."""
    import nbformat

    from .integrity import grade_id

    nb = nbformat.reads(notebook_text, as_version=4)
    for cell in nb.cells:
        verdict = verdicts.get(grade_id(cell)) if cell.cell_type == "code" else None
        if verdict is None:
            continue
        if verdict.passed:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict.message + "\n")]
        else:
            first, *rest = verdict.message.splitlines() or [""]
            cell.outputs = [nbformat.v4.new_output(
                "error", ename="CheckFailed", evalue=verdict.message,
                traceback=["\x1b[1;31mCheckFailed\x1b[0m: " + first, *rest])]
    return nbformat.writes(nb)


def cap_outputs(notebook_text: str, limit) -> str:
    """The notebook with each code cell's outputs cut to ``guard.RICH * limit`` characters
    (as JSON) in all: the outputs past that are replaced by one line saying so."""
    import nbformat

    if not limit:
        return notebook_text
    nb = nbformat.reads(notebook_text, as_version=4)
    for cell in nb.cells:
        left, kept = guard.RICH * int(limit), []
        for output in cell.get("outputs", []):
            left -= len(json.dumps(output))
            if left < 0:
                kept.append(nbformat.v4.new_output("stream", name="stderr", text=(
                    f"\n{guard.TRUNCATED}: more than {guard.RICH * int(limit)} characters of output "
                    f"in one cell]\n")))
                break
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return nbformat.writes(nb)


class _Compiled(jinja2.BytecodeCache):
    """Compiled jinja templates, in memory, for the life of the worker process."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:  # keyed by the template's file; jinja checks the source's checksum
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


class FeedbackExporter(HTMLExporter):
    """The HTML exporter of nbgrader's feedback, with the templates compiled once per worker
    rather than once per submission (a quarter of the feedback's CPU time)."""

    _compiled = _Compiled()

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = self._compiled
        return environment


class ClearHiddenTests(_NbgraderClearHiddenTests):
    """nbgrader's ClearHiddenTests, and in the cells it clears, error tracebacks cut to
    their last line: IPython quotes the cell's source (the hidden tests) in them. The course
    uses it for its feedback, and nbgrader_config.py for `nbgrader generate_feedback`."""

    def _remove_hidden_test_region(self, cell):
        removed = super()._remove_hidden_test_region(cell)
        if removed:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"\x1b[0;31m{output.ename}\x1b[0m: {output.evalue}"]
        return removed


def strip_hidden_tests(notebook_text: str) -> str:
    """The notebook without its hidden tests (every ``BEGIN/END HIDDEN TESTS`` region, and
    the tracebacks that quote them)."""
    import nbformat

    nb = nbformat.reads(notebook_text, as_version=4)
    clear = ClearHiddenTests(enforce_metadata=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            clear._remove_hidden_test_region(cell)
    return nbformat.writes(nb)


def _last_error(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "[ERROR]" in line or "Error" in line]
    return (errors or lines or ["(no log)"])[-1][:300]
