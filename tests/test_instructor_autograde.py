"""The instructor's autograder end to end, on a corpus of adversarial submissions generated
from the solution notebook of 01-building-blocks.

The corpus is graded ONCE (module fixture), through the command line as an instructor runs it
(`python -m grader autograde ... --zip-collect`), with two local worker processes; every
test then reads what it left: the rows of the grades CSV, the nbgrader gradebook, the
autograded notebooks and the feedback. Each case states its exact expected score and flags.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import grader
from grader.instructor.autograde import Settings, autograde
from grader.release import ROOT

A = "01-building-blocks"
POINTS = {e.id: e.points for e in grader.exercises(A)}
TOTAL = sum(POINTS.values())  # 24
TIMEOUT = 15  # seconds per cell: the slowest check cell of the solution takes ~2 s
DEADLINE = 40  # seconds per notebook: the slowest case (infinite_loop) takes ~20 s

# How the nbgrader_config.py of an LMS course names the downloaded files (zip_collect).
ZIP_CONFIG = '''
c.FileNameCollectorPlugin.named_regexp = r"(?:.*/)?(?P<student_id>[a-z0-9]+)_attempt_(?P<file_id>.+)"
'''


def gid(cell):
    return (cell["metadata"].get("nbgrader") or {}).get("grade_id")


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


class Notebooks:
    """Submissions built from the released notebook, as a student would make them."""

    def __init__(self, root=ROOT):
        self.release = _load(root / "notebooks" / A / f"{A}.ipynb")
        solution = _load(root / "solutions" / A / f"{A}.ipynb")
        self.solution = {gid(c): "".join(c["source"]) for c in solution["cells"] if gid(c)}

    def untouched(self):
        return copy.deepcopy(self.release)

    def solved(self):
        nb = self.untouched()
        for c in nb["cells"]:
            if (c["metadata"].get("nbgrader") or {}).get("solution"):
                c["source"] = self.solution[gid(c)]
        # The ungraded demo cells (training on digits, figures) are the student's to delete;
        # without them each submission grades in a few seconds.
        nb["cells"] = [c for c in nb["cells"] if c["cell_type"] != "code" or gid(c)]
        return nb

    @staticmethod
    def cell(nb, grade_id):
        return next(c for c in nb["cells"] if gid(c) == grade_id)

    def with_code(self, grade_id, before="", after=""):
        """Solved, with code added before/after the solution of ``grade_id``."""
        nb = self.solved()
        cell = self.cell(nb, f"{grade_id}-code")
        cell["source"] = before + "".join(cell["source"]) + after
        return nb

    def stub(self, grade_id):
        """Solved except ``grade_id``, left as released (raise NotImplementedError)."""
        nb = self.solved()
        self.cell(nb, f"{grade_id}-code")["source"] = "".join(self.cell(self.release, f"{grade_id}-code")["source"])
        return nb


DOUBLED = "\n\n_right_{0} = {0}\n\ndef {0}(*args):\n    return 2 * _right_{0}(*args)\n"
# survives the per-cell timeout's interrupt (nbgrader then gives up on the whole notebook)
HANG = "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except KeyboardInterrupt:\n        pass\n\n"
# each loop is interrupted after TIMEOUT, but three of them take longer than DEADLINE
SLOW = "while True:\n    pass\n\n"
# 12 MB through display() (the guard's print limit does not see it) and a 5 MB cell value
DISPLAY_FLOOD = ("from IPython.display import HTML, display\nfor i in range(100):\n"
                 "    display(HTML('<p>' + 'flood ' * 20_000 + '</p>'))\n\n")
# the kernel dies the first time only, as when the OOM killer picks it because of another process
KILLS_PARENT = "import os, time\nos.kill(os.getppid(), 9)\ntime.sleep(5)  # ipykernel checks its parent every second\n\n"

# Named mistakes planted for the instructor's report (tests/test_instructor_report.py): three
# students forgot the 1/m of linear_backward (each in their own words), two the minus of
# compute_cost; the report must give back exactly this distribution.
ONE_OVER_M = [
    "\n\ndef linear_backward(dZ, cache):\n    A_prev, W, b = cache\n    dW = dZ @ A_prev.T\n"
    "    db = np.sum(dZ, axis=1, keepdims=True)\n    dA_prev = W.T @ dZ\n    return dA_prev, dW, db\n",
    "\n\ndef linear_backward(dZ, cache):\n    A_prev, W, b = cache\n    dW = np.dot(dZ, A_prev.T)\n"
    "    db = dZ.sum(axis=1, keepdims=True)\n    return np.dot(W.T, dZ), dW, db\n",
    "\n\ndef linear_backward(dZ, cache):\n    A, W, _ = cache\n    return W.T @ dZ, dZ @ A.T, np.sum(dZ, 1, keepdims=True)\n",
]
MINUS = ("\n\ndef compute_cost(AL, Y):\n    m = Y.shape[1]\n"
         "    return float(np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)\n")
PLANTED = {"linear_backward": {"linear_backward:forgot 1/m": 3},
           "compute_cost": {"compute_cost:forgot the minus": 2}}
# linear_activation_backward and model_backward call the student's linear_backward: they fail
# too, with no mistake of their own to name
ONE_OVER_M_COSTS = {"linear_backward": 0, "linear_activation_backward": 0, "model_backward": 0}


def corpus(n: Notebooks) -> dict:
    """student -> (files in the submission folder, expected {exercise: score} changes from full
    marks or None for all zero, expected flags, expected status)."""
    zero = {e: 0 for e in POINTS}
    nb = A + ".ipynb"

    def js(x):
        return json.dumps(x, indent=1)

    deleted = n.solved()
    deleted["cells"] = [c for c in deleted["cells"] if gid(c) != "sigmoid"]
    # relu made wrong (and so everything that uses it), then its test cell "fixed" to pass
    edited = n.solved()
    n.cell(edited, "relu-code")["source"] += "\n\ndef relu(Z):\n    return 2 * np.maximum(0, Z)\n"
    n.cell(edited, "relu")["source"] = "pass  # check(\"relu\", relu)"
    duplicated = n.solved()
    i = next(k for k, c in enumerate(duplicated["cells"]) if gid(c) == "sigmoid")
    duplicated["cells"].insert(i + 1, copy.deepcopy(duplicated["cells"][i]))
    reordered = n.solved()
    cells = reordered["cells"]
    test = next(k for k, c in enumerate(cells) if gid(c) == "relu")
    code = next(k for k, c in enumerate(cells) if gid(c) == "relu-code")
    cells.insert(code, cells.pop(test))  # the relu check now runs before relu is defined
    converted = n.solved()
    cell = n.cell(converted, "sigmoid_backward")
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    edited_relu_uses = {"relu": 0, "linear_activation_forward": 0, "model_forward": 0}
    null_metadata = n.solved()
    n.cell(null_metadata, "sigmoid-code")["metadata"] = None  # not a notebook by nbformat's schema
    odd_nbgrader = n.solved()
    n.cell(odd_nbgrader, "relu")["metadata"]["nbgrader"] = "x"  # valid JSON, no grade cell left
    r_kernel = n.solved()  # switched to R in JupyterLab by mistake: graded with Python all the same
    r_kernel["metadata"]["kernelspec"] = {"display_name": "R", "language": "R", "name": "ir"}
    # the answer's check made to say "right" in the kernel: the verdict is judged outside
    patched_answer = n.solved()
    n.cell(patched_answer, "q01-sigmoid-slope-code")["source"] = (
        'import grader.questions as q\nq.verify = lambda question, value: (True, "")\n'
        'answer("q01-sigmoid-slope", 0.9)\n')
    minus_and_a_wrong_answer = n.with_code("compute_cost", after=MINUS)
    n.cell(minus_and_a_wrong_answer, "q01-sigmoid-slope-code")["source"] = 'answer("q01-sigmoid-slope", 0.5)\n'

    return {
        "correct": ({nb: js(n.solved())}, {}, set(), "graded"),
        "partly_correct": ({nb: js(n.with_code("compute_cost", after=DOUBLED.format("compute_cost")))},
                           {"compute_cost": 0}, set(), "graded"),
        "untouched": ({nb: js(n.untouched())}, zero, set(), "graded"),
        "infinite_loop": ({nb: js(n.with_code("update_parameters", before="while True:\n    pass\n\n"))},
                          {"update_parameters": 0}, set(), "graded"),
        "os_exit": ({nb: js(n.with_code("update_parameters", before="import os\nos._exit(1)\n\n"))},
                    zero, set(), "failed"),
        "segfault": ({nb: js(n.with_code("update_parameters", before="import ctypes\nctypes.string_at(0)\n\n"))},
                     zero, {"cheat"}, "failed"),
        # the kernel's parent is the sandbox's zygote (kernels.py), which runs as another user:
        # the kill fails, and so does the cell (update_parameters is not defined)
        "kills_parent": ({nb: js(n.with_code("update_parameters", before=KILLS_PARENT))},
                         {"update_parameters": 0}, {"cheat"}, "graded"),
        "memory_blowup": ({nb: js(n.with_code("update_parameters", before="hog = bytearray(4 * 1024 ** 3)\n\n"))},
                          {"update_parameters": 0}, set(), "graded"),
        "output_flood": ({nb: js(n.with_code("update_parameters",
                                             before="for i in range(300_000):\n    print('flood', i)\n\n"))},
                         {}, set(), "graded"),
        "display_flood": ({nb: js(n.with_code("update_parameters", before=DISPLAY_FLOOD,
                                              after="\n\n'x' * 5_000_000\n"))}, {}, set(), "graded"),
        "hangs": ({nb: js(n.with_code("update_parameters", before=HANG))}, zero, set(), "failed"),
        "too_slow": ({nb: js(_slow(n, "sigmoid", "relu", "sigmoid_backward"))}, zero, set(), "failed"),
        "r_kernelspec": ({nb: js(r_kernel)}, {}, {"kernel"}, "graded"),
        "calls_input": ({nb: js(n.with_code("sigmoid", before="name = input('your name? ')\n\n"))},
                        {}, {"input"}, "graded"),
        "missing": ({"notes.txt": "I could not finish"}, zero, {"missing"}, "missing"),
        "renamed": ({f"{A}-Copy1.ipynb": js(n.solved())}, {}, {"renamed"}, "graded"),
        "invalid_json": ({nb: js(n.solved())[:5000]}, zero, {"invalid-json"}, "invalid"),
        "deleted_test_cell": ({nb: js(deleted)}, {}, {"deleted"}, "graded"),
        "null_metadata": ({nb: js(null_metadata)}, zero, {"invalid-json"}, "invalid"),
        "odd_nbgrader_metadata": ({nb: js(odd_nbgrader)}, {}, {"deleted"}, "graded"),
        "edited_test_cell": ({nb: js(edited)}, edited_relu_uses, {"edited"}, "graded"),
        "duplicated_test_cell": ({nb: js(duplicated)}, {}, {"duplicated"}, "graded"),
        # the verdict is judged once the whole notebook has run: relu is defined by then
        "reordered_test_cell": ({nb: js(reordered)}, {}, {"reordered"}, "graded"),
        "converted_test_cell": ({nb: js(converted)}, {}, {"converted"}, "graded"),
        # Cheats pass the checks in the kernel, but the verdict is judged outside it, from the
        # values the functions return: a function not written scores 0, a right one full marks,
        # whatever the notebook did to the grader in its kernel (the scan flags it, advisory).
        "redefines_check": ({nb: js(_redefine_check(n))}, {"update_parameters": 0}, {"cheat"}, "graded"),
        "patches_grader": ({nb: js(n.with_code("linear_backward", after=(
            "\n\nimport grader\ngrader.checking._run = lambda spec, fn, hidden: ('', 1)\n")))},
            {}, {"cheat"}, "graded"),
        "patches_numpy": ({nb: js(n.with_code("compute_cost", after="\n\nnp.allclose = lambda *a, **k: True\n"))},
                          {}, {"cheat"}, "graded"),
        "sys_modules": ({nb: js(n.with_code("update_parameters", after=(
            "\n\nimport sys\nsys.modules['grader'].check = lambda *a, **k: None\n")))},
            {}, {"cheat"}, "graded"),
        **{f"forgot_one_over_m_{i}": ({nb: js(n.with_code("linear_backward", after=wrong))}, ONE_OVER_M_COSTS,
                                      set(), "graded") for i, wrong in enumerate(ONE_OVER_M, 1)},
        "forgot_the_minus_1": ({nb: js(minus_and_a_wrong_answer)}, {"compute_cost": 0, "q01-sigmoid-slope": 0},
                               set(), "graded"),
        "patched_answer": ({nb: js(patched_answer)}, {"q01-sigmoid-slope": 0}, {"cheat"}, "graded"),
        "forgot_the_minus_2": ({nb: js(n.with_code("compute_cost", after=MINUS))}, {"compute_cost": 0}, set(),
                               "graded"),
    }


def _slow(n, *grade_ids):
    nb = n.solved()
    for g in grade_ids:
        cell = n.cell(nb, f"{g}-code")
        cell["source"] = SLOW + "".join(cell["source"])
    return nb


def _redefine_check(n):
    # update_parameters not done; a check() of its own makes the check cell pass anyway
    nb = n.stub("update_parameters")
    n.cell(nb, "update_parameters-code")["source"] += "\n\ndef check(*args, **kwargs):\n    print('passed')\n"
    return nb


def expected_scores(changes):
    return {**POINTS, **changes}


def make_course(tmp, cases, *, zip_students=()):
    """A course folder like the repository, with ``cases`` in submitted/ (and those in
    ``zip_students`` only as an LMS download, for zip_collect)."""
    course = Path(tmp)
    (course / "solutions").mkdir(parents=True)
    import shutil

    shutil.copytree(ROOT / "solutions" / A, course / "solutions" / A)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    if zip_students:
        with open(course / "nbgrader_config.py", "a") as f:
            f.write(ZIP_CONFIG)
        archive = course / "downloaded" / A / "archive"
        archive.mkdir(parents=True)
        with zipfile.ZipFile(archive / "lms-download.zip", "w") as z:
            for student in zip_students:
                for name, text in cases[student][0].items():
                    z.writestr(f"{student}_attempt_{name}", text)
    for student, (files, *_) in cases.items():
        if student in zip_students:
            continue
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return course


def cli(*args, cwd):
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
               JUPYTER_CONFIG_DIR=str(Path(cwd) / ".jupyter"))
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    out = corpus(Notebooks())
    out["lmszip"] = ({A + ".ipynb": out["correct"][0][A + ".ipynb"]}, {}, set(), "graded")
    return out


@pytest.fixture(scope="module")
def graded(cases, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course"), cases, zip_students=("lmszip",))
    done = cli("autograde", A, "--course", str(course), "--workers", "2", "--timeout", str(TIMEOUT),
               "--deadline", str(DEADLINE), "--zip-collect", cwd=course)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    with open(course / f"grades-{A}.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    return course, rows, done.stdout


def test_every_submission_has_exactly_one_row(graded, cases):
    _, rows, _ = graded
    assert sorted(rows) == sorted(cases)


@pytest.mark.parametrize("student", sorted(corpus(Notebooks())) + ["lmszip"])
def test_row(graded, cases, student):
    _, rows, _ = graded
    _, changes, flags, status = cases[student]
    row = rows[student]
    want = expected_scores(changes)
    got = {e: float(row[e]) for e in POINTS}
    assert (got, set(row["flags"].split()), row["status"]) == (want, flags, status), row["reason"]
    assert float(row["score"]) == sum(want.values())
    if status != "graded" or flags & {"cheat"}:
        assert row["reason"], "a zero, or a flag, must come with a reason"


def test_kernel_death_and_memory_are_explained(graded):
    _, rows, _ = graded
    assert "kernel died" in rows["os_exit"]["reason"]
    assert "kernel died" in rows["segfault"]["reason"]
    course = graded[0]
    nb = (course / "autograded" / "memory_blowup" / A / f"{A}.ipynb").read_text()
    assert "MemoryError" in nb
    nb = (course / "autograded" / "infinite_loop" / A / f"{A}.ipynb").read_text()
    assert "KeyboardInterrupt" in nb or "CellTimeoutError" in nb


def test_output_flood_is_truncated(graded):
    course, rows, _ = graded
    path = course / "autograded" / "output_flood" / A / f"{A}.ipynb"
    assert path.stat().st_size < 1_000_000, "300 000 printed lines must not end up in the notebook"
    assert "output truncated" in rows["output_flood"]["reason"]


def test_display_flood_is_truncated(graded):
    """display() and a cell's value are not printed text: capped too (20 x 100 000 characters
    per cell), in the instructor's copy, the feedback and the cache."""
    course, rows, _ = graded
    for path, most in ((course / "autograded" / "display_flood" / A / f"{A}.ipynb", 2_500_000),
                       (course / "feedback" / "display_flood" / A / f"{A}.html", 2_500_000),
                       (course / "autograded" / ".grading-cache" / A / "display_flood.json", 5_000_000)):  # both
        assert path.stat().st_size < most, path
    assert "output truncated" in rows["display_flood"]["reason"]


def test_hangs_end_with_a_reason(graded):
    _, rows, _ = graded
    assert "despite the interrupt" in rows["hangs"]["reason"]
    assert "deadline (40 s" in rows["too_slow"]["reason"]


def test_a_kernel_that_dies_every_time_is_not_saved_by_the_retry(graded):
    _, rows, _ = graded
    assert "kernel died" in rows["os_exit"]["reason"]
    assert "graded again" not in rows["correct"]["reason"]


def test_gradebook_matches_the_rows(graded, cases):
    from nbgrader.api import Gradebook

    course, rows, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dnn-from-scratch") as gb:
        assert sorted(s.id for s in gb.students) == sorted(cases)
        for student, row in rows.items():
            nb = gb.find_submission_notebook(A, A, student)
            assert {g.name: g.score for g in nb.grades} == {e: float(row[e]) for e in POINTS}, student
            assert nb.flagged == bool(row["flags"] or row["status"] != "graded"), student


def test_nbgrader_export_agrees(graded):
    course, rows, _ = graded
    done = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "export.csv"], cwd=course,
                          capture_output=True, text=True,
                          env=dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                                     os.environ["PATH"]])))
    assert done.returncode == 0, done.stderr
    with open(course / "export.csv", newline="") as f:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert exported == {s: float(r["score"]) for s, r in rows.items()}


def _text(html):
    """What a browser shows of the HTML (code is split into highlighting spans)."""
    import html as html_
    import re

    return html_.unescape(re.sub(r"<[^>]+>", "", html))


def test_feedback_never_shows_hidden_tests(graded, cases):
    course, rows, _ = graded
    for student in cases:
        html = (course / "feedback" / student / A / f"{A}.html").read_text("utf-8")
        assert "HIDDEN TESTS" not in _text(html) and "hidden=True" not in _text(html), student
        assert f"Score: {float(rows[student]['score']):.1f} / {TOTAL:.1f}" in html, student
    # ...while the instructor's autograded copy kept them: they did run
    instructor = (course / "autograded" / "correct" / A / f"{A}.ipynb").read_text("utf-8")
    assert "hidden=True" in instructor and "public and hidden" in instructor


def test_nbgrader_generate_feedback_hides_the_hidden_tests_too(graded, tmp_path):
    """An instructor may run nbgrader's own `generate_feedback` later (formgrader does): the
    course's nbgrader_config.py clears the hidden tests there too, tracebacks included."""
    course, rows, _ = graded
    students = ["correct", "partly_correct", "untouched"]  # passing, one failing, all failing
    copy_ = tmp_path / "course"
    shutil.copytree(course, copy_, ignore=lambda folder, names: (
        [n for n in names if n not in students and not n.startswith(".")] if Path(folder).name == "autograded"
        else ["feedback"]))
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", A, "--force"], cwd=copy_,
                          capture_output=True, text=True, env=dict(os.environ, PATH=os.pathsep.join(
                              [str(Path(sys.executable).parent), os.environ["PATH"]])))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    for student in students:
        html = (copy_ / "feedback" / student / A / f"{A}.html").read_text("utf-8")
        assert "HIDDEN TESTS" not in _text(html) and "hidden=True" not in _text(html), student
        assert f"Score: {float(rows[student]['score']):.1f} / {TOTAL:.1f}" in html, student


def test_summary_table(graded, cases):
    _, _, stdout = graded
    assert f"{A}: {len(cases)} students" in stdout
    flagged = [s for s, (_, _, flags, status) in cases.items() if flags or status != "graded"]
    assert f"flagged: {len(flagged)}" in stdout
    for line in ("sigmoid", "update_parameters", "total"):
        assert line in stdout


def test_rerun_is_idempotent(graded):
    """Grading again changes nothing: every result comes from the cache, same gradebook."""
    course, rows, _ = graded
    before = _gradebook_dump(course)
    again = autograde(course, A, Settings(workers=2, timeout=TIMEOUT, deadline=DEADLINE, progress=False),
                      out=None)
    # nothing graded again (missing and invalid notebooks never reach a worker)
    assert [r.student for r in again if not r.cached] == ["invalid_json", "missing", "null_metadata"]
    assert {r.student: r.total for r in again} == {s: float(r["score"]) for s, r in rows.items()}
    assert _gradebook_dump(course) == before


def test_the_report_gives_back_the_planted_mistakes(graded, tmp_path):
    """The instructor's report on this class: its numbers are the CSV files' and the planted
    mistakes come back exactly (the checks live in tests/test_instructor_report.py; here so
    that the class is graded once)."""
    from tests.test_instructor_report import check_planted, check_report

    course, _, _ = graded
    want = check_report(course, tmp_path)
    check_planted(course, PLANTED, tmp_path)
    assert want["answers"][("q01-sigmoid-slope", "0.5")] == 1


def test_export_of_the_graded_class(graded, tmp_path, capsys):
    """`python -m grader export` reads the gradebook this class left: every student, each
    with the score of the grades CSV."""
    from grader.__main__ import main

    course, rows, _ = graded
    assert main(["export", "--format", "csv", "--assignment", A, "--course", str(course),
                 "--out", str(tmp_path / "lms.csv")]) == 0
    with open(tmp_path / "lms.csv", newline="") as f:
        exported = {r["student_id"]: r[A] for r in csv.DictReader(f)}
    assert {s: float(v) for s, v in exported.items()} == {s: float(r["score"]) for s, r in rows.items()}


def _gradebook_dump(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dnn-from-scratch") as gb:
        return sorted((s.student.id, g.name, g.score, nb.flagged)
                      for s in gb.find_assignment(A).submissions
                      for nb in s.notebooks for g in nb.grades)


# --- separate small runs, in this process ------------------------------------------------------

def test_a_submission_that_writes_into_the_grader_is_caught(tmp_path, monkeypatch):
    """The grader's files are hashed once per run and again after every submission: one that
    changed them scores 0, is flagged, and is not cached. (The files watched here are a
    stand-in, so the test never touches the real grader.)"""
    import io

    from grader.instructor import autograde as ag

    watched = tmp_path / "grader"
    watched.mkdir()
    (watched / "checking.py").write_text("# the grader\n")
    monkeypatch.setattr(ag, "GRADER_ROOT", watched)
    write = f"open({str(watched / 'checking.py')!r}, 'a').write('# changed by a student\\n')\n\n"
    nb = json.dumps(Notebooks().with_code("relu", before=write))
    course = make_course(tmp_path / "course", {"tamperer": ({A + ".ipynb": nb}, None, {"cheat"}, "graded")})
    out = io.StringIO()
    # (in the sandbox, the grader's files are out of reach: tests/test_instructor_sandbox.py)
    [row] = autograde(course, A, Settings(workers=1, timeout=TIMEOUT, progress=False, sandbox=False), out=out)
    assert (row.total, row.flags, row.status) == (0, ["cheat"], "graded")
    assert "grader's files" in row.findings[-1]["message"]
    assert not list((course / "autograded" / ag.CACHE / A).glob("*.json"))
    assert "WARNING: the grader's files" in out.getvalue()


FLAKY = "import os\nif not os.path.exists({0!r}):\n    open({0!r}, 'w').close()\n    os._exit(1)\n\n"


def test_a_kernel_that_dies_once_is_given_a_second_chance(tmp_path):
    """As when the OOM killer picks the kernel because of another process. (Without the
    sandbox: in it, nothing a kernel leaves survives for the second try, as it should.)"""
    marker = tmp_path / "died-once"
    nb = json.dumps(Notebooks().with_code("update_parameters", before=FLAKY.format(str(marker))))
    course = make_course(tmp_path / "course", {"flaky": ({A + ".ipynb": nb}, {}, set(), "graded")})
    [row] = autograde(course, A, Settings(workers=1, timeout=TIMEOUT, progress=False, sandbox=False),
                      out=None)
    assert (row.total, row.status) == (TOTAL, "graded") and marker.exists()
    assert "graded again" in row.reason


def test_a_kernel_that_does_not_start_is_not_cached(tmp_path):
    """A kernel start-up failure is the machine's, not the submission's: a row with the reason,
    retried at the next run (never cached as a zero)."""
    from grader.instructor import autograde as ag

    n = Notebooks()
    course = make_course(tmp_path, {"correct": ({A + ".ipynb": json.dumps(n.solved())}, {}, set(), "graded")})
    with open(course / "nbgrader_config.py", "a") as f:
        f.write('\nc.Execute.kernel_name = "no-such-kernel"\n')
    [row] = autograde(course, A, Settings(workers=1, timeout=TIMEOUT, progress=False), out=None)
    assert (row.total, row.status) == (0, "failed")
    assert "did not start" in row.reason
    assert not list((course / "autograded" / ag.CACHE / A).glob("*.json"))


def test_a_new_gradebook_is_the_one_nbgrader_makes(tmp_path):
    """create_gradebook skips nbgrader's `alembic heads` subprocess, not a table or the stamp."""
    import sqlite3

    from nbgrader.api import Gradebook

    from grader.instructor import worker
    from grader.instructor.autograde import create_gradebook

    worker.environment()  # nbgrader finds alembic on PATH
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    create_gradebook(ours)
    Gradebook(f"sqlite:///{theirs}", "course").close()

    def schema(path):
        with sqlite3.connect(path) as db:
            return (sorted(db.execute("SELECT type, name, sql FROM sqlite_master")),
                    db.execute("SELECT version_num FROM alembic_version").fetchall())

    assert schema(ours) == schema(theirs)
    assert len(schema(ours)[0]) > 10 and len(schema(ours)[1]) == 1
    with Gradebook(f"sqlite:///{ours}", "course") as gb:  # nbgrader takes it as its own
        gb.add_student("ada")
    before = ours.read_bytes()
    create_gradebook(ours)  # an existing gradebook is left as it is
    assert ours.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours.db", "theirs.db"]  # no leftovers


def test_scores_are_capped_at_each_cells_points():
    """A score read from the scratch gradebook (which a student's code could reach) is taken
    only within [0, the cell's points]."""
    from grader.instructor.autograde import _row

    job = {"student": "s", "findings": []}
    result = {"status": "graded", "scores": {"sigmoid": 154.0, "relu": -3.0, "linear_forward": float("nan"),
                                             "compute_cost": float("inf"), "update_parameters": "x"}}
    row = _row(job, result, list(POINTS))
    assert row.scores["sigmoid"] == POINTS["sigmoid"]
    assert row.scores["relu"] == row.scores["linear_forward"] == row.scores["compute_cost"] \
        == row.scores["update_parameters"] == 0.0
    assert row.total <= TOTAL
