"""Autograde a class: ``python -m grader autograde ASSIGNMENT|--all``.

    submitted/<student>/<assignment>/      (nbgrader collect / zip_collect)
        -> integrity check of each notebook (this process: static, fast)
        -> workers grade each submission in its own scratch course (worker.py)
        -> this process alone writes gradebook.db, autograded/, feedback/, grades CSV

Why this shape: nbgrader autogrades one student after another (nbgrader issue #174) into
one SQLite gradebook that does not like concurrent writers; here workers only return
data and a single writer merges it. Every submission ends with a row, and each result
is cached on disk under a hash of what produced it, so an interrupted run resumes and
a repeated run gives the same gradebook.
"""
from __future__ import annotations

import collections
import contextlib
import csv
import hashlib
import io
import json
import math
import os
import shutil
import signal
import statistics
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import registry
from . import integrity, worker
from .guard import TRUNCATED

# Per-submission results, under autograded/ (nbgrader's own state, gitignored); a hidden
# folder, so nbgrader never mistakes it for a student.
CACHE = ".grading-cache"


@dataclass
class Settings:
    # Two more than the cores: a worker spends part of each submission waiting for its kernel
    # to start, answer and stop (40 submissions on 2 cores: 9-13 s of idle CPU in a 40 s run
    # with 3 workers, 5-7 s with 4; benchmarks/README.md).
    workers: int = (os.cpu_count() or 1) + 2
    scheduler: object = None      # a Dask scheduler address or Client: run there
    timeout: int | None = None    # seconds per cell (default: the course's Execute.timeout)
    deadline: int | None = None   # seconds per notebook (default: timeout x code cells + 60)
    memory: int = 2 * 1024 ** 3   # bytes of address space per grading kernel
    output: int = 100_000         # characters of output per cell
    progress: bool = True
    use_cache: bool = True
    # every kernel in a bubblewrap sandbox, the verdict judged outside it (sandbox.py); False
    # only where bwrap cannot run, at the instructor's own risk (--no-sandbox)
    sandbox: bool = True


@dataclass
class Row:
    """One submission's outcome: what the CSV, the gradebook and the summary show."""

    student: str
    scores: dict                  # exercise id -> points (after integrity penalties)
    status: str = "graded"        # graded | failed | missing | invalid
    reason: str = ""
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False
    answers: dict = field(default_factory=dict)  # question id -> the answer given (judged outside)
    # exercise id -> {"outcome", "mistake", "trial"}: what failed, judged outside (results CSV)
    diagnoses: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.scores.values())

    @property
    def flags(self):
        return sorted({f["kind"] for f in self.findings})


# --- the course and its assignment ---------------------------------------------------------

class Course:
    def __init__(self, root):
        from traitlets.config.loader import PyFileConfigLoader

        self.root = Path(root).resolve()
        self.config = config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        cd = config.CourseDirectory
        self.course_id = cd.get("course_id", "default_course") if hasattr(cd, "get") else "default_course"
        self.source = cd.get("source_directory", "source")
        self.submitted = self.root / cd.get("submitted_directory", "submitted")
        self.autograded = self.root / cd.get("autograded_directory", "autograded")
        self.feedback = self.root / cd.get("feedback_directory", "feedback")
        self.timeout = int(config.Execute.get("timeout", 120)) if "Execute" in config else 120
        self.gradebook = self.root / "gradebook.db"
        self.db_url = f"sqlite:///{self.gradebook}"

    def assignments(self):
        return sorted({nb.parent.name for nb in (self.root / self.source).glob("*/*.ipynb")})


def prepare(course: Course, assignment: str) -> dict:
    """A template course for the workers: the course's config, the assignment's source and a
    gradebook that knows the assignment (nbgrader generate_assignment in a scratch folder).
    Returns the template as a tarball, the released notebook, and the scratch gradebook."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    from traitlets.config.loader import PyFileConfigLoader

    worker.environment()
    scratch = Path(tempfile.mkdtemp(prefix=f"template-{assignment}-"))
    shutil.copy(course.root / "nbgrader_config.py", scratch)
    create_gradebook(scratch / "gradebook.db")
    shutil.copytree(course.root / course.source / assignment, scratch / course.source / assignment)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(scratch)).load_config()
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.release_directory = "_release"
    config.CourseDirectory.assignment_id = assignment
    converter = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
    converter.force = True
    run = capture_log(converter)
    if not run["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n{run.get('log', '')}")
    release = json.loads((scratch / "_release" / assignment / f"{assignment}.ipynb").read_text("utf-8"))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in ("nbgrader_config.py", "gradebook.db", course.source):
            tar.add(scratch / name, arcname=name)
    source_text = b"".join(p.read_bytes() for p in sorted((scratch / course.source).rglob("*")) if p.is_file())
    digest = hashlib.sha256(source_text + (scratch / "nbgrader_config.py").read_bytes()).hexdigest()
    return {"tar": buffer.getvalue(), "release": release, "scratch": scratch, "digest": digest}


def create_gradebook(path: Path) -> None:
    """An empty gradebook at path, unless there is one: nbgrader's tables, stamped with its
    newest migration, as nbgrader's Gradebook() creates them, but without the `alembic heads`
    subprocess it runs to find that migration (2.5 s of CPU, on every new gradebook)."""
    if path.exists():
        return
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from nbgrader.dbutil import ALEMBIC_DIR
    from sqlalchemy import create_engine, text

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    engine = create_engine(f"sqlite:///{tmp}", future=True)
    try:
        Base.metadata.create_all(bind=engine)
        with engine.begin() as db:
            db.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"))
            db.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head);"), {"head": head})
    finally:
        engine.dispose()
    os.replace(tmp, path)  # a crash leaves no half-made gradebook behind


def find_notebook(folder: Path, assignment: str) -> Path | None:
    """The submitted notebook: its expected name, else the only notebook in the folder
    (renamed, e.g. "01-building-blocks (1).ipynb"), else None."""
    exact = folder / f"{assignment}.ipynb"
    if exact.is_file():
        return exact
    others = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    return others[0] if len(others) == 1 else None


def sanitize(text: str) -> str:
    """The notebook as it will be graded: a duplicated grade_id keeps its first cell only,
    nbgrader metadata that is not nbgrader's (e.g. a string) is dropped, and the kernel is
    the course's (a notebook switched to another kernel would not run at all)."""
    nb = integrity.read_notebook(text)
    nb.setdefault("metadata", {})["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": integrity.COURSE_KERNEL}
    seen = set()
    for cell in nb["cells"]:
        gid = integrity.grade_id(cell)
        if gid is None or gid in seen:
            cell["metadata"].pop("nbgrader", None)
        seen.add(gid)
    return json.dumps(nb, indent=1, ensure_ascii=False)


# --- grading -----------------------------------------------------------------------------

def autograde(course_dir, assignment: str, settings: Settings | None = None, *, out=sys.stdout) -> list[Row]:
    """Grade every submission of ``assignment``; returns one Row per student."""
    settings = settings or Settings()
    course = Course(course_dir)
    if settings.sandbox and settings.scheduler is None:
        from .sandbox import unavailable

        why = unavailable()
        if why:
            raise NoSandbox(why)
    # the sandboxes' rooms live here, removed at the end even if a worker was killed; in /tmp
    # if the temporary folder's path is long (a Unix socket's path has at most 107 bytes)
    short = len(tempfile.gettempdir()) > 40 and os.access("/tmp", os.W_OK)
    rooms = Path(tempfile.mkdtemp(prefix="grading-run-", dir="/tmp" if short else None))
    executor = _executor(settings, assignment, rooms)  # the workers start, and warm up, while the template is made
    try:
        template = prepare(course, assignment)
        try:
            return _autograde(course, assignment, settings, template, executor, out)
        finally:
            shutil.rmtree(template["scratch"], ignore_errors=True)
    finally:
        executor.close()
        _remove(rooms)


def _remove(rooms: Path) -> None:
    """The sandboxes' folder, once its workers are gone (a worker killed a moment ago may
    still be making a room in it: tried again for a few seconds)."""
    from .sandbox import empty

    for _ in range(50):
        try:
            empty(rooms)
            rooms.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


def _autograde(course, assignment, settings, template, executor, out):
    exercises = [e.id for e in registry.graded(assignment)]
    students = sorted(p.parent.name for p in course.submitted.glob(f"*/{assignment}") if p.is_dir())
    _sync_assignment(course, assignment, template["scratch"])
    rows, jobs = {}, []
    grader = _grader_digest()  # once per run; checked again after every submission (below)
    salt = _secret(course) if settings.sandbox else ""
    for student in students:
        try:
            job = _job(course, assignment, settings, template, student, grader, salt)
        except Exception as e:  # noqa: BLE001 - whatever it is, this student still gets a row
            rows[student] = Row(student, dict.fromkeys(exercises, 0.0), "failed",
                                f"the grader failed on this submission: {type(e).__name__}: {str(e)[:200]}")
            continue
        if isinstance(job, Row):
            rows[student] = job
            continue
        cached = _cache_read(course, job) if settings.use_cache else None
        if cached is not None:
            rows[student] = _row(job, cached, exercises, cached=True)
        else:
            jobs.append(job)

    progress = Progress(len(students), len(students) - len(jobs), out if settings.progress else None)
    tampered, written, stopped = [], set(), None
    results = executor.run(worker.grade, jobs) if jobs else iter(())
    with _signals() as stop:
        while True:
            try:
                job, result = stop.waiting_for(results)
            except StopIteration:
                break
            except Interrupted as e:
                # Ctrl-C or SIGTERM: the workers stop now; what is finished is cached already
                # and is written below, the rest is marked for the next run
                stopped = e
                executor.kill()
                for job in jobs:
                    if job["student"] not in rows:
                        rows[job["student"]] = Row(
                            job["student"], dict.fromkeys(exercises, 0.0), "interrupted",
                            "not graded: the run was interrupted; run the same command again to "
                            "grade it (what was graded is cached)", job["findings"])
                break
            try:
                now = _grader_digest()
                if now != grader:  # the grader's files changed while this one was graded
                    tampered.append(job["student"])
                    grader = now
                    result = _tampered(job, result, exercises)
                # a lost worker is not the submission's fault, and nothing graded with
                # changed grader files can be trusted later: neither is cached
                if not result.get("lost") and not tampered:
                    _cache_write(course, job, result)
                rows[job["student"]] = row = _row(job, result, exercises)
                _write_files(course, assignment, row, result)
                written.add(job["student"])
            except Exception as e:  # noqa: BLE001
                rows[job["student"]] = row = Row(job["student"], dict.fromkeys(exercises, 0.0), "failed",
                                                 f"the grader failed on this submission: "
                                                 f"{type(e).__name__}: {str(e)[:200]}", job["findings"])
            progress.step(job["student"], row)
        _finish(course, assignment, exercises, students, rows, written, progress, out, tampered, stopped)
    if stopped is not None:
        raise stopped
    return [rows[s] for s in students]


def _finish(course, assignment, exercises, students, rows, written, progress, out, tampered, stopped):
    """Every row into autograded/, feedback/, the gradebook and the CSV; the summary."""
    for student, row in rows.items():
        if student not in written:  # cached, or nothing to grade, or failed before grading
            try:
                _write_files(course, assignment, row,
                             _cache_read_full(course, assignment, student) if row.cached else {})
            except Exception:  # noqa: BLE001 - the row still goes to the gradebook and the CSV
                pass
    ordered = [rows[s] for s in students]
    # an interrupted submission is not given a grade of 0: it has none yet
    _merge(course, assignment, [r for r in ordered if r.status != "interrupted"])
    _write_csv(course, assignment, exercises, ordered)
    _write_results(course, assignment, exercises, ordered)
    progress.done()
    if out is not None:
        print(summary(assignment, exercises, ordered), file=out)
        if tampered:
            print(f"\nWARNING: the grader's files ({GRADER_ROOT}) changed during grading, first seen "
                  f"after {', '.join(tampered)}; restore them (git checkout/status) and grade again "
                  f"(--workers 1 tells which submission did it). Nothing graded since was cached.", file=out)
    if stopped is not None and out is not None:
        left = sum(r.status == "interrupted" for r in ordered)
        print(f"\nINTERRUPTED: {len(ordered) - left} of {len(ordered)} submissions graded, in the "
              f"gradebook and grades-{assignment}.csv; the {left} others are marked 'interrupted' in "
              f"the CSV. The same command grades them (the graded ones come from the cache).", file=out)


class NoSandbox(RuntimeError):
    """Untrusted notebooks are not graded without a sandbox, unless the instructor says so."""

    def __init__(self, why):
        super().__init__(
            f"cannot grade in a sandbox here: {why}.\n{NO_SANDBOX_RISK}\nInstall bubblewrap (Linux), "
            f"or pass --no-sandbox to grade anyway.")


NO_SANDBOX_RISK = (
    "Without the sandbox, a student's notebook runs as you, with your files and your network: it "
    "can read the reference solutions and other students' work, change the gradebook, the grader "
    "and the cache, and leave processes running. The integrity scan then zeroes the exercises of "
    "code it recognises as tampering, but it cannot recognise every way.")


class Interrupted(Exception):
    """Ctrl-C (SIGINT) or SIGTERM during grading."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Stop:
    """SIGINT/SIGTERM: while waiting for the next result, raise Interrupted at once; while a
    result is being written, remember the signal and raise before the next wait."""

    def __init__(self):
        self.signum, self.waiting = None, False

    def __call__(self, signum, frame):
        self.signum = signum
        if self.waiting:
            raise Interrupted(signum)

    def waiting_for(self, results):
        self.waiting = True
        try:
            if self.signum is not None:
                raise Interrupted(self.signum)
            return next(results)
        finally:
            self.waiting = False


@contextlib.contextmanager
def _signals():
    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():  # (no signals there)
        yield stop
        return
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _job(course, assignment, settings, template, student, grader, salt=""):
    """The job for one student's submission, or the Row when there is nothing to grade."""
    exercises = [e.id for e in registry.graded(assignment)]
    folder = course.submitted / student / assignment
    path = find_notebook(folder, assignment) or folder / f"{assignment}.ipynb"
    found = [f.to_dict() for f in integrity.check_notebook(path, assignment=assignment,
                                                            release=template["release"])]
    kinds = {f["kind"] for f in found}
    if kinds & {"missing", "invalid-json"}:
        status = "missing" if "missing" in kinds else "invalid"
        return Row(student, dict.fromkeys(exercises, 0.0), status,
                   next(f["message"] for f in found if f["kind"] in ("missing", "invalid-json")), found)
    text = sanitize(path.read_text(encoding="utf-8"))
    timeout = settings.timeout or course.timeout
    cells = max(_code_cells(template["release"]), _code_cells(json.loads(text)))
    job = {"assignment": assignment, "student": student, "notebook": text,
           "template": template["tar"], "timeout": timeout, "memory": settings.memory,
           "output": settings.output, "deadline": settings.deadline or timeout * cells + 60,
           "sandbox": settings.sandbox, "salt": salt}
    job["key"] = hashlib.sha256(json.dumps(
        [text, template["digest"], timeout, settings.memory, settings.output, job["deadline"], grader,
         settings.sandbox, hashlib.sha256(salt.encode()).hexdigest()]
    ).encode()).hexdigest()
    job["findings"] = found
    # in the sandbox, the scan is advisory: what the student's code does cannot change a verdict
    job["zero"] = [] if settings.sandbox else \
        sorted({e for f in found if f["kind"] == "cheat" for e in f["exercises"]})
    return job


def _secret(course) -> str:
    """The course's secret salt for hidden trials (checking.seed): made once, kept with the
    cache, never in a sandbox. Delete it to draw new hidden inputs (everything is regraded)."""
    path = course.autograded / CACHE / "secret"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = os.urandom(16).hex()
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secret)
        return secret


def _code_cells(nb) -> int:
    return sum(c.get("cell_type") == "code" for c in nb["cells"])


def _tampered(job, result, exercises) -> dict:
    """The result of a submission during whose grading the grader's files changed: zero,
    flagged (with several workers, the culprit may be one graded at the same time)."""
    job["findings"] = job["findings"] + [{
        "kind": "cheat", "cell": None, "exercises": exercises,
        "message": f"the grader's files ({GRADER_ROOT}) changed while this notebook (or one graded at "
                   f"the same time) was graded: no points until it is graded again with them restored"}]
    return {**result, "scores": {e: 0.0 for e in result.get("scores", {})}, "feedback": None}


def _executor(settings, assignment=None, rooms=None):
    from .executors import DaskExecutor, LocalExecutor

    if settings.scheduler is not None:
        return DaskExecutor(settings.scheduler)
    return LocalExecutor(settings.workers, (assignment, rooms) if settings.sandbox else None)


def _capped(score, points) -> float:
    """A cell's score within [0, its points]: it was read from a gradebook that the student's
    code could reach, so nothing larger, negative or not a number is taken from it."""
    try:
        score = float(score)
    except (TypeError, ValueError):
        return 0.0
    return min(max(score, 0.0), float(points)) if math.isfinite(score) else 0.0


def _row(job, result, exercises, cached=False) -> Row:
    findings = job["findings"]
    if result["status"] != "graded":
        return Row(job["student"], dict.fromkeys(exercises, 0.0), "failed", result["reason"],
                   findings, seconds=result.get("seconds", 0.0), cached=cached)
    scores = {e: _capped(result["scores"].get(e, 0.0), registry.exercise(e).points) for e in exercises}
    zeroed = sorted(job.get("zero", ()))
    for e in zeroed:
        scores[e] = 0.0
    notes = []
    if zeroed:
        notes.append(f"no points for {', '.join(zeroed)}: the notebook modifies the checks")
    elif any(f["kind"] == "cheat" for f in findings):
        notes.append("flagged for review: the notebook tampers with the checks in its kernel (no effect "
                     "on the score, judged outside the sandbox from the values its functions return)")
    if result.get("attempts", 1) > 1:
        notes.append("the grading kernel died or did not start on the first try; graded again")
    # our guard's marker, or nbgrader's LimitOutput's (which trims what the guard let through)
    if result.get("autograded") and (TRUNCATED in result["autograded"]
                                     or "... Output truncated ..." in result["autograded"]):
        notes.append("output truncated (too much printed in one cell)")
    verdicts = {e: v for e, v in (result.get("verdicts") or {}).items() if isinstance(v, dict)}
    answers = {e: v.get("answer") for e, v in verdicts.items() if v.get("answer") is not None}
    diagnoses = {e: _diagnosis(verdicts.get(e), scores[e], registry.exercise(e).points)
                 for e in exercises}
    return Row(job["student"], scores, "graded", "; ".join(notes), findings, notes,
               result.get("seconds", 0.0), cached, answers, diagnoses)


def _diagnosis(verdict, score, points) -> dict:
    """What the results table says of one exercise: from the verdict judged outside the
    sandbox, or, without one (--no-sandbox), from the score alone."""
    if verdict is None:
        return {"outcome": "passed" if score >= points else "failed", "mistake": "", "trial": ""}
    outcome = verdict.get("outcome") or ("passed" if verdict.get("passed") else "failed")
    if outcome == "passed" and score < points:  # zeroed afterwards (integrity, no sandbox)
        outcome = "failed"
    return {"outcome": outcome, "mistake": str(verdict.get("mistake") or ""),
            "trial": str(verdict.get("trial") or "")}


# --- the cache: one JSON file per submission, keyed by everything that determines the result

# The grader package the grading kernels import (an editable install: this repository's).
GRADER_ROOT = Path(__file__).resolve().parent.parent


def _grader_digest(root: Path | None = None) -> str:
    """Changes when the grader's code or stored trials change: results would differ, and
    if it changes during a run, a submission wrote into the grader."""
    root = Path(root or GRADER_ROOT)
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".npz") and "__pycache__" not in p.parts and p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _cache_path(course, assignment, student) -> Path:
    return course.autograded / CACHE / assignment / f"{student}.json"


def _cache_read(course, job):
    path = _cache_path(course, job["assignment"], job["student"])
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored["result"] if stored.get("key") == job["key"] else None


def _cache_read_full(course, assignment, student):
    try:
        return json.loads(_cache_path(course, assignment, student).read_text("utf-8"))["result"]
    except (OSError, ValueError, KeyError):
        return {}


def _cache_write(course, job, result):
    path = _cache_path(course, job["assignment"], job["student"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": job["key"], "result": result}), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash leaves the old entry or the new one, never half


# --- the single writer ------------------------------------------------------------------------

def _sync_assignment(course, assignment, scratch):
    """Make the course gradebook know the assignment exactly as the template does."""
    from nbgrader.api import Gradebook

    create_gradebook(course.gradebook)
    with Gradebook(f"sqlite:///{scratch / 'gradebook.db'}", course.course_id) as src, \
            Gradebook(course.db_url, course.course_id) as gb:
        a = src.find_assignment(assignment)
        # the course's due date (`nbgrader db assignment add --duedate`) stays, unless the
        # template has one: late penalties are computed from it (_late_penalties)
        gb.update_or_create_assignment(assignment, **({"duedate": a.duedate} if a.duedate else {}))
        for nb in a.notebooks:
            gb.update_or_create_notebook(nb.name, assignment)
            for c in nb.grade_cells:
                gb.update_or_create_grade_cell(c.name, nb.name, assignment, max_score=c.max_score,
                                               cell_type=c.cell_type)
            for c in nb.solution_cells:
                gb.update_or_create_solution_cell(c.name, nb.name, assignment)
            for c in nb.task_cells:
                gb.update_or_create_task_cell(c.name, nb.name, assignment, max_score=c.max_score,
                                              cell_type=c.cell_type)
            for c in nb.source_cells:
                gb.update_or_create_source_cell(c.name, nb.name, assignment, cell_type=c.cell_type,
                                                locked=c.locked, source=c.source, checksum=c.checksum)


def _merge(course, assignment, rows):
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    with Gradebook(course.db_url, course.course_id) as gb, warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings; the rows are fine
        warnings.simplefilter("ignore", SAWarning)
        for row in rows:
            gb.update_or_create_student(row.student)
            # updated in place, as nbgrader's autograde does: a re-run must not erase what
            # graders entered in formgrader since (manual scores, comments)
            submission = gb.update_or_create_submission(assignment, row.student)
            submission.timestamp = _timestamp(course, assignment, row.student)  # None: no timestamp.txt
            nb = _submission_notebook(gb, assignment, row.student)
            for grade in nb.grades:
                before, grade.auto_score = grade.auto_score, row.scores.get(grade.name, 0.0)
                # a grader's score stands; if the automatic score under it changed, the cell
                # asks for a second look (nbgrader flags every such cell on every re-run)
                grade.needs_manual_grade = grade.manual_score is not None and (
                    bool(grade.needs_manual_grade) or before != grade.auto_score)
            nb.flagged = bool(row.findings) or row.status != "graded"
        gb.db.commit()
        _late_penalties(course, gb, assignment, [row.student for row in rows])


def _submission_notebook(gb, assignment, student):
    """The student's submitted notebook with a grade row for every grade cell and a comment
    row for every solution or task cell, also for cells the assignment gained after the
    submission was first merged (nbgrader creates these rows only with the submission)."""
    from nbgrader.api import Comment, Grade, MissingEntry, SubmittedNotebook

    template = gb.find_notebook(assignment, assignment)
    try:
        nb = gb.find_submission_notebook(assignment, assignment, student)
    except MissingEntry:
        nb = SubmittedNotebook(notebook=template, assignment=gb.find_submission(assignment, student))
        gb.db.add(nb)  # (SQLAlchemy 2 adds nothing to the session through a relationship)
    graded = {g.cell_id for g in nb.grades}
    commented = {c.cell_id for c in nb.comments}
    gb.db.add_all([Grade(cell=cell, notebook=nb) for cell in [*template.grade_cells, *template.task_cells]
                   if cell.id not in graded])
    gb.db.add_all([Comment(cell=cell, notebook=nb) for cell in [*template.solution_cells, *template.task_cells]
                   if cell.id not in commented])
    gb.db.flush()
    return nb


def _late_penalties(course, gb, assignment, students):
    """nbgrader's late penalties, as its autograde assigns them (AssignLatePenalties with the
    course's LateSubmissionPlugin settings), on the merged scores: the workers' scratch
    gradebooks know no due date. Kept in the gradebook, so `python -m grader export` and
    `nbgrader export` subtract them."""
    if gb.find_assignment(assignment).duedate is None:
        return
    from nbgrader.preprocessors import AssignLatePenalties

    assign = AssignLatePenalties(config=course.config)
    assign.init_plugin()
    for student in students:
        submission = gb.find_submission(assignment, student)
        late = submission.total_seconds_late
        for nb in submission.notebooks:
            nb.late_submission_penalty = None
            penalty = assign.plugin_inst.late_submission_penalty(student, nb.score, late) if late > 0 else None
            if penalty is not None:
                nb.late_submission_penalty = assign._check_late_penalty(nb, penalty)
    gb.db.commit()


def _timestamp(course, assignment, student):
    from nbgrader.utils import parse_utc

    path = course.submitted / student / assignment / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip())
    except Exception:  # noqa: BLE001 - no or unreadable timestamp: none, as nbgrader does
        return None


def _write_files(course, assignment, row, result):
    """autograded/<student>/ keeps the hidden tests (for the instructor); feedback/ does not."""
    result = result or {}
    feedback = course.feedback / row.student / assignment / f"{assignment}.html"
    feedback.parent.mkdir(parents=True, exist_ok=True)
    if result.get("autograded"):
        graded = course.autograded / row.student / assignment / f"{assignment}.ipynb"
        graded.parent.mkdir(parents=True, exist_ok=True)
        graded.write_text(result["autograded"], encoding="utf-8")
    html = result.get("feedback") if row.status == "graded" else None
    if html is None:
        html = _plain_feedback(assignment, row)
    elif row.findings or row.notes:
        html = html.replace("<body>", "<body>" + _notice(row), 1)
    feedback.write_text(html, encoding="utf-8")


def _notice(row) -> str:
    import html

    items = "".join(f"<li>{html.escape(str(integrity.Finding(**{**f, 'exercises': tuple(f['exercises'])})))}</li>"
                    for f in row.findings)
    items += "".join(f"<li>{html.escape(n)}</li>" for n in row.notes)
    return (f'<div class="grading-notice"><h2>About this grade</h2>'
            f"<p>{html.escape(row.reason)}</p><ul>{items}</ul></div>")


def _plain_feedback(assignment, row) -> str:
    import html

    total = sum(e.points for e in registry.graded(assignment))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{assignment}</title></head>"
            f"<body><h1>{assignment} (Score: {row.total:.1f} / {total:.1f})</h1>"
            + _notice(row) + f"<p>Status: {html.escape(row.status)}</p></body></html>")


def _write_csv(course, assignment, exercises, rows):
    path = course.root / f"grades-{assignment}.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["assignment", "student_id", "score", "max_score", *exercises, "status", "flags", "reason"])
        max_score = sum(e.points for e in registry.graded(assignment))
        for r in rows:
            w.writerow([assignment, r.student, f"{r.total:g}", f"{max_score:g}",
                        *(f"{r.scores[e]:g}" for e in exercises), r.status, " ".join(r.flags), r.reason])
    return path


RESULTS_COLUMNS = ["assignment", "student_id", "exercise", "kind", "score", "max_score", "outcome",
                   "mistake", "trial", "answer", "seconds", "status"]


def _write_results(course, assignment, exercises, rows):
    """results-<assignment>.csv: one line per submission and graded exercise or question, with
    what the grades CSV does not say: the outcome (passed, failed, not attempted, error,
    timeout), the named mistake (the catalogue's id: "exercise:name", or "rule:..."), the
    kind of the first failing trial (public, hidden, gradient) and a question's answer.
    Rewritten from the rows at every run, so it is as cached and resumable as the grades."""
    path = course.root / f"results-{assignment}.csv"
    kinds = {e.id: e.kind for e in registry.graded(assignment)}
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(RESULTS_COLUMNS)
        for r in rows:
            for e in exercises:
                d = r.diagnoses.get(e) or {"outcome": "" if r.status == "interrupted" else "failed"}
                answer = r.answers.get(e)
                w.writerow([assignment, r.student, e, kinds[e], f"{r.scores.get(e, 0.0):g}",
                            f"{registry.exercise(e).points:g}", d.get("outcome", ""),
                            d.get("mistake", ""), d.get("trial", ""),
                            "" if answer is None else f"{answer:g}" if isinstance(answer, float) else answer,
                            f"{r.seconds:.2f}", r.status])
    return path


# --- what the instructor sees -------------------------------------------------------------

class Progress:
    """A one-line progress bar on a terminal; one line per submission otherwise."""

    def __init__(self, total, done, out):
        self.total, self.count, self.out, self.start = total, done, out, time.perf_counter()
        self.tty = bool(out is not None and getattr(out, "isatty", lambda: False)())
        if out is not None and done:
            print(f"{done} of {total} submissions already done (cached, or nothing to grade)", file=out)

    def step(self, student, row):
        self.count += 1
        if self.out is None:
            return
        rate = self.count / max(time.perf_counter() - self.start, 1e-9) * 60
        bar = "#" * int(30 * self.count / max(self.total, 1))
        line = f"[{bar:<30}] {self.count}/{self.total}  {rate:.1f}/min  {student}: {row.total:g} {row.status}"
        if self.tty:
            print("\r" + line[:120].ljust(120), end="", file=self.out, flush=True)
        else:
            print(line, file=self.out, flush=True)

    def done(self):
        if self.tty:
            print(file=self.out)


def summary(assignment, exercises, rows) -> str:
    points = {e.id: e.points for e in registry.graded(assignment)}
    lines = [f"\n{assignment}: {len(rows)} students", f"{'exercise':<28}{'points':>7}{'mean':>8}{'median':>8}"]
    for e in exercises:
        values = [r.scores[e] for r in rows] or [0.0]
        lines.append(f"{e:<28}{points[e]:>7g}{statistics.mean(values):>8.2f}{statistics.median(values):>8.2f}")
    totals = [r.total for r in rows] or [0.0]
    lines += answer_shares(assignment, rows)
    lines.append(f"{'total':<28}{sum(points.values()):>7g}{statistics.mean(totals):>8.2f}"
                 f"{statistics.median(totals):>8.2f}")
    flagged = [r for r in rows if r.findings or r.status != "graded"]
    lines.append(f"flagged: {len(flagged)}")
    for r in flagged:
        lines.append(f"  {r.student:<24}{r.total:>6g}  {r.status:<8}{','.join(r.flags) or '-':<24}{r.reason[:90]}")
    return "\n".join(lines)


def answer_shares(assignment, rows) -> list[str]:
    """Per question, the share of the class that gave each answer: what to re-teach. (Only
    answers judged outside the sandbox are known; without it, none are listed.)"""
    lines = []
    for q in registry.questions(assignment):
        given = [r.answers.get(q.id) for r in rows if r.status == "graded"]
        if not any(a is not None for a in given):
            continue
        counts = collections.Counter("no answer" if a is None else f"{a:g}" if isinstance(a, float)
                                     else str(a) for a in given)
        shares = "  ".join(f"{a}: {n / len(given):.0%}" for a, n in sorted(counts.items()))
        lines.append(f"  {q.id} answers  {shares}")
    return lines


def zip_collect(course_dir, assignment: str):
    """``nbgrader zip_collect``: LMS downloads in downloaded/<assignment>/archive/ into
    submitted/<student>/<assignment>/ (the file-name pattern is the course's
    ``FileNameCollector.named_regexp``; README, "For instructors")."""
    import subprocess

    worker.environment()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", assignment, "--force"],
                          cwd=course_dir, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader zip_collect {assignment} failed:\n{done.stdout}\n{done.stderr}")
    return done
