"""`make student-bundle`: the archive installs in a fresh virtual environment, its public
checks accept the reference implementations and reject every catalogued mistake there, and
a search of every file finds no solution code, no hidden tests, no reference module."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
from pathlib import Path

import pytest

from grader.instructor.bundle import NAME, build
from grader.release import ROOT


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bundle")
    archive = build(tmp / "build")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "unpacked", filter="data")
    return archive, tmp / "unpacked" / NAME


def _texts(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                import gzip

                data = gzip.decompress(data)
            yield path, data.decode("utf-8", errors="replace")


def test_bundle_has_what_students_need(bundle):
    _, root = bundle
    for name in ("README.md", "pyproject.toml", "environment.yml", "data/digits.csv.gz",
                 "grader/__init__.py", "grader/checking.py", "grader/instructor/integrity.py",
                 "grader/data/01-building-blocks.npz", "notebooks/01-building-blocks/01-building-blocks.ipynb"):
        assert (root / name).is_file(), name


def test_no_reference_no_mistake_catalogue(bundle):
    _, root = bundle
    assert not (root / "grader" / "reference").exists()
    assert not (root / "grader" / "build.py").exists()
    for path, text in _texts(root):
        assert "class Mistake" not in text and "Mistake(" not in text, path


# Lines of the solutions that the shipped checks need too (they build their inputs with the
# lecture's formulas, grader/checks/nb01.py): no answer by themselves.
SHARED = {"Z = W @ A_prev + b", "m = A_prev.shape[1]", "m = X.shape[1]", "m = Y.shape[1]", "n = X.shape[0]"}


def test_no_solution_code_or_hidden_tests_anywhere(bundle):
    _, root = bundle
    # Answers: every solution line that computes something (`return 1.0 / (1.0 + np.exp(-Z))`
    # is a whole answer; `for key, value in params.items():` or `return A` is none), and every
    # two consecutive solution lines, that appear nowhere outside the solution regions of the
    # solution notebooks.
    answers, public, one_liners = set(), [], set()
    for nb in (ROOT / "solutions").glob("*/*.ipynb"):
        for cell in json.loads(nb.read_text("utf-8"))["cells"]:
            source = "".join(cell["source"])
            for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S):
                lines = [line.strip() for line in region.splitlines()
                         if line.strip() and not line.strip().startswith("#")]
                answers |= {a + "\n" + b for a, b in zip(lines, lines[1:]) if len(a + b) >= 30}
                answers |= {line for line in lines if _computes(line)}
                answers |= {line for line in lines if line.startswith("answer(")}  # a question's
                if len(lines) == 1:
                    one_liners.add(lines[0])
            public.append(_normal(re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", source, flags=re.S)))
    public = "\n".join(public)
    answers = {a for a in answers if a not in public} - SHARED
    assert len(answers) > 150
    assert len(one_liners) >= 5 and one_liners <= answers, one_liners - answers
    for path, text in _texts(root):
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{marker!r} in {path}"
        if path.suffix == ".ipynb":
            assert "hidden=True" not in text, path
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        text = _normal(text)
        leaked = [a for a in answers if a in text]
        assert not leaked, f"solution code in {path}: {leaked[:3]}"


def _computes(line):
    """A whole statement that computes (arithmetic, a comparison, an index, a number...), not
    a loop header, a plain call on names or `return A`."""
    try:
        tree = ast.parse(line)
    except SyntaxError:
        return False  # a header (`for ...:`) or part of a longer statement: the pairs cover it
    return any(isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Subscript, ast.keyword,
                              ast.comprehension, ast.Lambda))
               or isinstance(n, ast.Constant) and type(n.value) in (int, float) for n in ast.walk(tree))


def _normal(text):
    return "\n".join(line.strip() for line in text.splitlines()
                     if line.strip() and not line.strip().startswith("#"))


def test_stored_trials_are_the_public_ones_only(bundle):
    from grader import store
    from grader.checks import SPECS

    _, root = bundle
    npzs = sorted((root / "grader" / "data").glob("*.npz"))
    assert npzs
    for npz in npzs:
        for exercise_id, trials in store.load(npz).items():
            assert len(trials) == SPECS[exercise_id].n_public, exercise_id


CHECK_EVERYTHING = textwrap.dedent('''
    import importlib.util, json, sys
    from pathlib import Path
    import grader
    from grader import CheckFailed, check
    from grader.registry import exercises
    out = {"grader": grader.__file__}
    try:
        import grader.reference
        out["reference_importable"] = True
    except ImportError:
        out["reference_importable"] = False
    # hidden checks are not possible in this copy, and say so
    try:
        check("relu", lambda Z: Z * (Z > 0), hidden=True)
        out["hidden"] = "passed"
    except CheckFailed as e:
        out["hidden"] = str(e)
    # the instructor's reference and mistakes, loaded from the repository for this test only
    repo = Path(sys.argv[1])
    spec = importlib.util.spec_from_file_location(
        "grader.reference", repo / "grader/reference/__init__.py",
        submodule_search_locations=[str(repo / "grader/reference")])
    reference = importlib.util.module_from_spec(spec)
    sys.modules["grader.reference"] = reference
    spec.loader.exec_module(reference)
    import contextlib, io
    out["passed"], out["not_rejected"], out["rejected"] = [], [], 0
    for e in exercises():
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                check(e.id, reference.implementation(e.id))
                out["passed"].append(e.id)
            except CheckFailed as failure:
                out.setdefault("reference_failed", []).append(f"{e.id}: {failure}")
            for m in reference.mistakes(e.id):
                if not m.public:  # left to the hidden trials, which this copy does not have
                    continue
                try:
                    check(e.id, m.fn)
                    out["not_rejected"].append(f"{e.id}/{m.name}")
                except CheckFailed:
                    out["rejected"] += 1
    # every question, from the bundle's own copy (digests, sealed feedback): the clear
    # answers, passed in by the test, are right, and every other option is wrong
    from grader.questions import question, verify
    out["questions"], out["questions_wrong"] = [], []
    for qid, right, wrongs in json.loads(sys.argv[2]):
        q = question(qid)
        ok = verify(q, set(right) if isinstance(right, list) else right)[0]
        ok = ok and not any(verify(q, set(w) if isinstance(w, list) else w)[0] for w in wrongs)
        (out["questions"] if ok else out["questions_wrong"]).append(qid)
    import grader.hints
    out["hints"] = sum(bool(grader.hints.hints(e.id)) for e in exercises())
    print(json.dumps(out))
''')


@pytest.fixture(scope="module")
def student_env(bundle, tmp_path_factory):
    """A fresh venv with the bundle pip-installed as a student would (`pip install .`, not
    editable; its build backend fetched by pip as usual) but --no-deps: numpy, nbgrader...
    come from the course's environment through a .pth line (nothing reinstalled), placed
    after the venv's own site-packages, so `grader` is the bundle's (asserted below)."""
    _, root = bundle
    env = tmp_path_factory.mktemp("student-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "course-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                           "--no-deps", str(root)],
                          capture_output=True, text=True, cwd=root.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return python


def test_public_checks_in_the_installed_bundle(student_env, tmp_path):
    script = tmp_path / "check_everything.py"
    script.write_text(CHECK_EVERYTHING)
    done = subprocess.run([student_env, str(script), str(ROOT), json.dumps(_answers())],
                          capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert str(ROOT) not in out["grader"] and "site-packages" in out["grader"], out["grader"]
    assert out["reference_importable"] is False
    assert "hidden checks need the instructor's copy" in out["hidden"]
    import grader

    functions = [e.id for e in grader.exercises() if e.kind == "function"]
    assert sorted(out["passed"]) == sorted(functions), out.get("reference_failed")
    assert out["not_rejected"] == [] and out["rejected"] > 50
    assert out["questions_wrong"] == [] and sorted(out["questions"]) == sorted(q for q, _, _ in _answers())
    assert out["hints"] == len(functions)


def _answers():
    """(question id, right answer, wrong answers) of every question, from the clear copy."""
    from grader.questions import questions
    from grader.reference.questions import clear

    found = []
    for q in questions():
        c = clear(q.notebook)[q.id]
        if q.kind == "number":
            wrongs = [c["answer"] + 2 * c["tolerance"], c["answer"] - 2 * c["tolerance"]]
        else:
            wrongs = [x for x in q.options if x != c["answer"]] if q.kind == "choice" else \
                [[x] for x in q.options if x not in c["answer"]]
        found.append((q.id, c["answer"], wrongs))
    return found


def test_no_answer_in_clear_anywhere(bundle):
    """The questions' answers, explanations and why-nots are in the instructor's copy only."""
    from grader.questions import questions
    from grader.reference.questions import clear

    _, root = bundle
    assert not (root / "grader" / "reference").exists()
    secrets = []
    for q in questions():
        c = clear(q.notebook)[q.id]
        secrets += [" ".join(t.split())[:50] for t in
                    [c["explanation"], *c.get("why_not", {}).values(), *(n["feedback"] for n in c.get("near", []))]]
    assert secrets
    for path, text in _texts(root):
        text = " ".join(text.split())
        found = [t for t in secrets if t in text]
        assert not found, f"{path} holds {found[:2]}"


def test_integrity_check_in_the_installed_bundle(student_env, bundle):
    _, root = bundle
    released = root / "notebooks" / "01-building-blocks" / "01-building-blocks.ipynb"
    ok = subprocess.run([student_env, "-m", "grader", "check-notebook", str(released)],
                        capture_output=True, text=True, cwd=root.parent)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    renamed = root.parent / "01-building-blocks (1).ipynb"
    nb = json.loads(released.read_text())
    nb["cells"] = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "relu"]
    renamed.write_text(json.dumps(nb))
    bad = subprocess.run([student_env, "-m", "grader", "check-notebook", "--assignment",
                          "01-building-blocks", str(renamed)], capture_output=True, text=True, cwd=root.parent)
    assert bad.returncode == 1
    assert "renamed" in bad.stdout and "deleted [relu]" in bad.stdout
