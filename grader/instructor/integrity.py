"""Static checks of one submitted notebook, before it is run.

Used on both sides: a student runs ``python -m grader check-notebook FILE`` (or
``check_this_notebook()`` in a notebook's last cell) before submitting, and the autograder
runs the same checks on every submission. Nothing here executes student code.

The expected cells come from the released notebook when we have it (the autograder),
else from the registry and the course's cell convention (a student has no pristine
release beside the copy they edit).

Each problem is a ``Finding``. Kinds and what the autograder does with them:

    missing, invalid-json          nothing to grade: every exercise scores 0 (invalid-json: not
                                   JSON, or not a notebook by nbformat's schema)
    renamed                        graded under the right name, flagged
    deleted, edited, converted     nbgrader puts the instructor's cell back, flagged
    duplicated                     the first copy of a grade_id is graded, flagged
    reordered, input               graded as submitted (input() returns ""), flagged
    kernel                         another kernel (R, Julia, a renamed Python): graded with the
                                   course's Python kernel, flagged
    cheat                          the exercises checked after the cheating cell score 0
    suspicious                     flagged for the instructor to review, no points taken: code
                                   that is odd in an exercise but often harmless (`import
                                   inspect`, eval(), vars()), or a cell that is not Python
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import registry


@dataclass(frozen=True)
class Finding:
    kind: str          # one of the kinds in the module docstring
    cell: str | None   # grade_id, or "cell 12" for an ordinary cell, or None (whole file)
    exercises: tuple   # exercise ids whose score this affects (for "cheat": set to 0)
    message: str       # a sentence for the student or the instructor

    def to_dict(self):
        return {**asdict(self), "exercises": list(self.exercises)}

    def __str__(self):
        where = f" [{self.cell}]" if self.cell else ""
        return f"{self.kind}{where}: {self.message}"


def _nbgrader(cell) -> dict:
    """The cell's nbgrader metadata; {} when absent or malformed (a student can write anything)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


def grade_id(cell) -> str | None:
    gid = _nbgrader(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def _is_graded(cell) -> bool:
    nbg = _nbgrader(cell)
    return bool(nbg.get("grade") or nbg.get("solution"))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def assignment_of(path: Path) -> str | None:
    """The assignment a notebook belongs to: its folder's name, else its own name."""
    for name in (path.parent.name, path.stem):
        if name in registry.NOTEBOOKS:
            return name
    return None


# the kernel every notebook of the course is released with, and graded with
COURSE_KERNEL = "python3"


def check_notebook(path, *, assignment: str | None = None, release=None) -> list[Finding]:
    """Every problem found in the notebook at ``path`` ([] if none).

    assignment: e.g. "01-building-blocks" (default: from the folder or file name).
    release: the released notebook (a path or a parsed dict) to compare with; without
        it, the registry and the course's cell convention are the reference.
    """
    path = Path(path)
    assignment = assignment or assignment_of(path)
    if assignment is None:
        return [Finding("renamed", None, (), f"{path.name} is not one of the course's notebooks "
                        f"({', '.join(registry.NOTEBOOKS)}); keep the name it was given")]
    everything = tuple(e.id for e in registry.graded(assignment))
    if not path.is_file():
        return [Finding("missing", None, everything, f"there is no {assignment}.ipynb")]
    findings = []
    if path.name != f"{assignment}.ipynb":
        findings.append(Finding("renamed", None, (), f"the notebook is called {path.name}, not "
                                f"{assignment}.ipynb: rename it back, or it may not be graded"))
    try:
        notebook = read_notebook(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except Exception as e:  # noqa: BLE001 - whatever is wrong with the file, it is one finding
        return findings + [Finding("invalid-json", None, everything,
                                   f"the file is not a valid notebook ({type(e).__name__}: "
                                   f"{str(e)[:120]}); was it edited outside Jupyter?")]
    kernel = (notebook.get("metadata", {}).get("kernelspec") or {}).get("name")
    if kernel != COURSE_KERNEL:
        findings.append(Finding("kernel", None, (), f"the notebook asks for the kernel {kernel!r}, "
                                f"not the course's {COURSE_KERNEL!r} (Kernel > Change Kernel): it is "
                                f"graded with {COURSE_KERNEL!r}"))
    if isinstance(release, (str, Path)):
        release = json.loads(Path(release).read_text(encoding="utf-8"))
    expected = _expected_cells(assignment, release)
    findings += _structure(cells, expected)
    findings += _code_scan(cells, expected, assignment)
    return findings


def read_notebook(text: str) -> dict:
    """The notebook in ``text``, validated against nbformat's schema (raises if invalid), so
    that the checks below and nbgrader never meet `"metadata": null` or `"source": 5`."""
    import warnings

    import nbformat

    raw = json.loads(text)
    cells = raw.get("cells") if isinstance(raw, dict) else None
    cells = [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []
    needs_ids = isinstance(raw, dict) and (raw.get("nbformat"), raw.get("nbformat_minor", 0)) >= (4, 5)
    taken, seen = {c.get("id") for c in cells}, set()
    for i, cell in enumerate(cells):
        # What Jupyter itself tidies when a cell's type is changed; anything else must be valid.
        if cell.get("cell_type") in ("markdown", "raw"):
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        # Missing or repeated (a copied cell) ids: nbformat would make up random ones; these
        # are the same at every run, so the notebook's hash, the cache key, is too.
        if needs_ids and (not isinstance(cell.get("id"), str) or cell["id"] in seen):
            new = f"cell-{i}"
            while new in taken:
                new += "x"
            cell["id"] = new
            taken.add(new)
        seen.add(cell.get("id"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(nb)
    return nb


def _expected_cells(assignment: str, release) -> dict:
    """{grade_id: {"type", "locked", "source" or None, "exercise"}} in notebook order."""
    exercise_of = {}
    for e in registry.graded(assignment):
        exercise_of[f"{e.id}-code"] = exercise_of[e.id] = e.id
    if release is None:
        # The course's convention (CONTRIBUTING.md): a solution cell "<id>-code", then a locked
        # test cell "<id>" whose released source is exactly check("<id>", <id>), or, for a
        # question, answer("<id>"). (nbgrader's checksums cannot tell: they are computed
        # before the hidden tests are removed.)
        # (A question's place among the exercises is the release's to say: without it, only
        # the exercises' order is checked.)
        return {gid: {"type": "code", "locked": gid == e.id, "exercise": e.id,
                      "source": _test_source(e) if gid == e.id else None,
                      "ordered": e.kind != "question"}
                for e in registry.graded(assignment) for gid in (f"{e.id}-code", e.id)}
    out = {}
    for cell in release["cells"]:
        gid = grade_id(cell)
        if gid is None:
            continue
        nbg = _nbgrader(cell)
        out[gid] = {"type": cell["cell_type"], "locked": bool(nbg.get("locked")),
                    "source": _source(cell), "exercise": exercise_of.get(gid),
                    "graded": _is_graded(cell)}
    return out


def _structure(cells, expected) -> list[Finding]:
    findings = []
    seen = {}
    for i, cell in enumerate(cells):
        gid = grade_id(cell)
        if gid is None or gid not in expected:
            continue
        want = expected[gid]
        ex = (want["exercise"],) if want["exercise"] else ()
        if gid in seen:
            findings.append(Finding("duplicated", gid, (), f"the cell {gid!r} appears twice (cells "
                                    f"{seen[gid]} and {i}): delete the copy; only the first is graded"))
            continue
        seen[gid] = i
        if cell.get("cell_type") != want["type"]:
            findings.append(Finding("converted", gid, ex, f"the cell {gid!r} was turned from {want['type']} "
                                    f"into {cell.get('cell_type')}: change it back (it will be restored)"))
        elif want["locked"] and want["type"] == "code" and _edited(cell, want):
            findings.append(Finding("edited", gid, ex, f"the locked cell {gid!r} was edited: "
                                    f"the original is used for grading"))
    graded = [g for g, w in expected.items() if w.get("graded", w["exercise"] is not None)]
    for gid in graded:
        if gid not in seen:
            ex = (expected[gid]["exercise"],) if expected[gid]["exercise"] else ()
            what = "test" if expected[gid]["locked"] else "solution"
            findings.append(Finding("deleted", gid, ex, f"the {what} cell {gid!r} is missing "
                                    f"(deleted?): the original is put back for grading"))
    ordered = [g for g in graded if expected[g].get("ordered", True)]
    order = [g for g in sorted(seen, key=seen.get) if g in ordered]
    want_order = [g for g in ordered if g in seen]
    if order != want_order:
        moved = next(a for a, b in zip(order, want_order) if a != b)
        findings.append(Finding("reordered", moved, (), "graded cells are not in their original order "
                                f"(first out of place: {moved!r}); cells run top to bottom when graded"))
    return findings


def _edited(cell, want) -> bool:
    return want["source"] is not None and _source(cell).strip() != want["source"].strip()


# --- cheating and input(): an AST scan of the code the student could change -------------
#
# Static, so it cannot see everything; it looks for the ways there are to fool a check from
# a notebook: rebinding `check`; writing into numpy, the grader, sys or builtins (directly,
# through an alias, getattr/setattr, a container...); importing the grader's internals or
# the reference; walking the call stack or the garbage collector to read the grader's own
# variables (the expected values); IPython's internals (a custom exception handler or an
# input transformer can hide the errors of later cells); magics and shell lines (they run
# code this scan cannot read); and the process's signal handlers and limits. Names bound in
# one cell are remembered in the next (one scanner per notebook).

_GUARDED = {"numpy", "grader", "sys", "builtins", "__builtins__", "<guarded>"}  # never written to
# What a notebook may import from the grader (grader's __all__, reuse, datasets) and the
# documented last-cell check (bundle.py's student README).
_GRADER_PUBLIC = {"check", "needs", "hint", "ask", "answer", "CheckFailed", "Report", "exercises", "Exercise",
                  "reuse", "datasets", "*"}
_GRADER_MODULES = {"grader", "grader.reuse", "grader.datasets"}
_STUDENT_ENTRY = ("grader.instructor.integrity", "check_this_notebook")
_FORBIDDEN_MODULES = {"builtins", "importlib", "ctypes", "signal", "resource"}
_ODD_MODULES = {"inspect", "gc"}  # harmless by themselves: flagged for review, not penalised
# Frames, tracebacks and closures: from there the grader's local variables can be read.
_FRAME_ATTRS = {"f_back", "f_locals", "f_globals", "f_builtins", "tb_frame", "tb_next", "gi_frame",
                "cr_frame", "ag_frame", "__traceback__", "__globals__", "__builtins__", "__code__",
                "__closure__", "cell_contents", "_getframe", "_current_frames"}
_FORBIDDEN_CALLS = {  # resolved through import aliases ("import inspect as i; i.stack()")
    "inspect.stack", "inspect.trace", "inspect.currentframe", "inspect.getouterframes",
    "inspect.getinnerframes", "traceback.walk_stack", "traceback.walk_tb", "gc.get_objects",
    "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile", "sys.addaudithook",
    "threading.settrace", "threading.setprofile", "os.kill", "os.killpg"}
# IPython's shell object, as get_ipython() returns it: only the magic API (what IPython turns
# %magic, %%magic and !shell lines into) is allowed, and only for these magics.
_MAGIC_API = {"run_line_magic", "run_cell_magic", "magic", "system", "getoutput"}
_SAFE_MAGICS = {"matplotlib", "precision", "pprint", "who", "whos", "who_ls", "pinfo", "pinfo2",
                "pdoc", "pdef", "psource", "lsmagic", "pwd", "html", "markdown", "latex", "svg",
                "javascript", "js"}
_CODE_MAGICS = {"time", "timeit", "capture"}  # their argument or body is Python: scanned too
_ACCESSORS = {"getattr", "vars", "__import__", "import_module", "reload", "get", "__getattribute__",
              "globals", "locals", "eval"}  # calls that may hand back a module itself
_NAMESPACES = {"globals", "locals", "vars"}
_MUTATORS = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}


def parse_cell(source: str) -> ast.Module:
    """The cell as IPython runs it: magics and shell lines become get_ipython() calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(source))


def _code_scan(cells, expected, assignment) -> list[Finding]:
    findings = []
    checked_after = _exercises_checked_after(cells, assignment)
    scanner = _Scanner()
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        gid = grade_id(cell)
        name = gid or f"cell {i}"
        want = expected.get(gid) if gid else None
        instructors = want and want["locked"] and not _edited(cell, want)  # restored anyway if edited
        try:
            tree = parse_cell(_source(cell))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            # It fails when run as well, so it cannot fool a check; but it is not checked either.
            if not instructors:
                findings.append(Finding("suspicious", name, (), f"this cell cannot be read as Python "
                                        f"({type(e).__name__}: {str(e)[:80]}): fix it or delete it"))
            continue
        if instructors:
            scanner.learn(tree)  # the instructor's own cell: its imports count, nothing else
            continue
        try:
            found = scanner.scan(tree)
        except RecursionError:  # nested deeper than any exercise needs: it could hide anything
            found = [("cheat", "code nested too deeply to be checked")]
        for kind, message in found:
            affected = checked_after[i] if kind == "cheat" else ()
            findings.append(Finding(kind, name, affected, message))
    return findings


def _test_source(e) -> str:
    return f'answer("{e.id}")' if e.kind == "question" else f'check("{e.id}", {e.id})'


def _exercises_checked_after(cells, assignment) -> list[tuple]:
    """For each cell index, the exercises whose test cell comes after it (they could be fooled)."""
    ids = {e.id for e in registry.graded(assignment)}
    out, later = [], []
    for cell in reversed(cells):
        out.append(tuple(later))
        gid = grade_id(cell)
        if gid in ids and cell.get("cell_type") == "code" and gid not in later:
            later = [gid, *later]
    return list(reversed(out))


class _Scanner(ast.NodeVisitor):
    """Finds the ways around the checks listed above. One instance scans a whole notebook."""

    def __init__(self):
        # name -> what it is bound to, as a dotted path ("numpy", "inspect.stack",
        # "get_ipython()" for the shell, "<guarded>" for numpy/grader reached some other way)
        self.names = {"np": "numpy"}

    def scan(self, tree) -> list[tuple[str, str]]:
        """[(kind, message)] for one cell, in order, without repeats."""
        self.learn(tree)
        self.found = []
        self.visit(tree)
        found = list(dict.fromkeys(self.found))
        if any(kind == "cheat" for kind, _ in found):  # the cheat says it all
            found = [f for f in found if f[0] != "suspicious"]
        return found

    # -- what names stand for ------------------------------------------------------------

    def learn(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    self.names[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.For, ast.comprehension)):
                loop = isinstance(node, (ast.For, ast.comprehension))
                value = node.iter if loop else node.value
                if value is None:
                    continue
                bound = None if loop else self._dotted(value)
                root = value
                while isinstance(root, (ast.Attribute, ast.Call)):
                    root = root.value if isinstance(root, ast.Attribute) else root.func
                # x = np, f = inspect.stack, ip = get_ipython(), m = [np][0], for m in (np,)
                if self._reaches(value) or bound and (getattr(root, "id", None) in self.names
                                                      or "get_ipython" in bound):
                    for t in getattr(node, "targets", None) or [node.target]:
                        for n in ast.walk(t):
                            if isinstance(n, ast.Name):
                                self.names[n.id] = bound or "<guarded>"

    def _dotted(self, node) -> str | None:
        """numpy.linalg for `np.linalg`, get_ipython() for `get_ipython()`, else None."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and not node.args and (self._dotted(node.func) or "").endswith("get_ipython"):
            return "get_ipython()"
        return None

    def _guarded(self, node) -> bool:
        dotted = self._dotted(node)
        return bool(dotted) and dotted.split(".")[0] in _GUARDED

    def _reaches(self, node) -> bool:
        """Whether `node` may evaluate to numpy, the grader, sys or builtins (or a part of them)."""
        if isinstance(node, ast.Name):
            return self._guarded(node)
        if isinstance(node, ast.Subscript) and (self._dotted(node.value) or "").startswith("numpy."):
            return False  # np.r_[...], np.mgrid[...]: arrays
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            return self._reaches(node.value)
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.JoinedStr)):
            return False  # arithmetic and text make no module
        if isinstance(node, ast.Call):
            func = self._dotted(node.func)
            if func and func.split(".")[-1] not in _ACCESSORS:
                return False  # np.zeros(3), f(x): a new object, not a module
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str) and node.value.split(".")[0] in ("numpy", "grader")
        # a container holding np, getattr(grader, ...), a lambda returning np...: assume the worst
        return any(self._reaches(n) for n in ast.iter_child_nodes(node) if isinstance(n, ast.expr))

    # -- what is found -------------------------------------------------------------------

    def _cheat(self, message):
        self.found.append(("cheat", message))

    def _odd(self, message):
        self.found.append(("suspicious", message))

    def _target(self, target):
        if isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            for t in getattr(target, "elts", [getattr(target, "value", None)]):
                self._target(t)
        elif isinstance(target, ast.Name) and target.id in ("check", "np", "numpy", "grader"):
            self._cheat(f"assigns to `{target.id}`: the course's checks and numpy must stay as given")
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            if self._reaches(target.value):
                self._cheat(f"changes `{ast.unparse(target)}`: modifying numpy, the grader or the "
                            f"interpreter is not allowed")
            elif isinstance(target.value, ast.Call) and self._dotted(target.value.func) in _NAMESPACES:
                self._cheat(f"writes into `{ast.unparse(target.value)}`: define names the usual way")

    def visit_Assign(self, node):
        for t in node.targets:
            self._target(t)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target)
        self.generic_visit(node)

    visit_AnnAssign = visit_NamedExpr = visit_AugAssign

    def visit_Delete(self, node):
        for t in node.targets:
            self._target(t)

    def visit_FunctionDef(self, node):
        if node.name == "check":
            self._cheat("defines its own `check`: the course's checks must stay as given")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        if node.name == "check":
            self._cheat("defines a class called `check`")
        self.generic_visit(node)

    def _module(self, name, asname=None):
        top = name.split(".")[0]
        if top in _FORBIDDEN_MODULES:
            self._cheat(f"imports `{name}`: not needed for the exercises, and a way around the checks")
        elif top in _ODD_MODULES:
            self._odd(f"imports `{name}`: not needed for the exercises (it can reach the grader's "
                      f"variables); remove it")
        elif top == "grader" and name not in _GRADER_MODULES:
            self._cheat(f"imports `{name}`: the grader's internals are not for the exercises")
        if asname == "check":
            self._cheat("imports something under the name `check`")

    def visit_Import(self, node):
        for a in node.names:
            self._module(a.name, a.asname)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for a in node.names:
            if a.asname == "check" and not (module == "grader" and a.name == "check"):
                self._cheat(f"imports `{module}.{a.name}` as `check`")
        if (module, [a.name for a in node.names]) == (_STUDENT_ENTRY[0], [_STUDENT_ENTRY[1]]):
            return  # the documented last-cell check
        if module == "grader":
            for a in node.names:
                if a.name not in _GRADER_PUBLIC:
                    self._module(f"grader.{a.name}")
        else:
            self._module(module)

    def visit_Call(self, node):
        f = node.func
        func = self._dotted(f) or ""
        last = func.split(".")[-1]
        if func in ("input", "builtins.input"):
            self.found.append(("input", "calls input(): nobody types answers during grading "
                               "(it returns an empty string there); remove it"))
        root = f
        while isinstance(root, ast.Attribute):
            root = root.value
        imported = isinstance(root, ast.Name) and root.id in self.names  # not a variable called `signal`
        if imported and (func in _FORBIDDEN_CALLS or func.split(".")[0] in _FORBIDDEN_MODULES):
            self._cheat(f"calls `{func}()`: not needed for the exercises, and a way around the checks")
        if last in ("setattr", "delattr", "__setattr__", "__delattr__") and node.args \
                and self._reaches(node.args[0]):
            self._cheat(f"calls {last}() on `{ast.unparse(node.args[0])}`: modifying numpy or "
                        f"the grader is not allowed")
        if last == "vars" and node.args and self._reaches(node.args[0]):
            self._cheat(f"reaches into `{ast.unparse(node.args[0])}` with vars()")
        if isinstance(f, ast.Attribute) and f.attr in _MUTATORS and isinstance(f.value, ast.Call) \
                and self._dotted(f.value.func) in _NAMESPACES:
            self._cheat(f"changes `{ast.unparse(f.value)}`: define names the usual way")
        if isinstance(f, ast.Attribute) and self._dotted(f.value) == "get_ipython()" and f.attr in _MAGIC_API:
            self._magic(f.attr, node.args)
        if func in ("exec", "eval", "compile") and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            self._code(node.args[0].value)  # what a constant string would do, if run
        self.generic_visit(node)

    def _magic(self, how, args):
        if how in ("system", "getoutput"):
            self._cheat("runs a shell command (`!...`): it can change files the grader uses")
            return
        values = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args]
        if how == "magic" and values and values[0]:  # get_ipython().magic("name args")
            values = (values[0].lstrip("%") + " ").split(" ", 1)
        name = values[0] if values else None
        if name in _CODE_MAGICS:
            code = values[-1] if how == "run_cell_magic" else values[1] if len(values) > 1 else ""
            # %timeit -n 10 -r 3 f(x): the options are not Python
            self._code(re.sub(r"^\s*(?:--?[\w-]+(?:\s+\d+)?\s+)*", "", code or ""))
        elif name not in _SAFE_MAGICS:
            self._cheat(f"uses the magic `%{name or '?'}`: it runs or writes code this check cannot read")

    def _code(self, text):
        try:
            tree = parse_cell(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self._odd("passes code that cannot be read as Python to a magic or exec()")
            return
        self.learn(tree)
        self.visit(tree)

    def visit_Attribute(self, node):
        base = self._dotted(node.value)
        if node.attr in _FRAME_ATTRS or node.attr == "__dict__" \
                or base == "sys" and node.attr in ("modules", "monitoring"):
            self._cheat(f"uses `{ast.unparse(node)}`: reaching into the interpreter is not allowed")
        elif base == "get_ipython()" and node.attr not in _MAGIC_API:
            self._cheat(f"uses IPython's internals (`{ast.unparse(node)}`): they can hide the errors "
                        f"of later cells from the grader")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in ("__builtins__", "exec", "compile", "__import__"):
            self._cheat(f"uses `{node.id}`: dynamic code and the interpreter's internals can get "
                        f"around the checks")
        elif node.id in ("eval", "globals", "locals", "vars", "breakpoint"):
            self._odd(f"uses `{node.id}()`: not needed for the exercises; remove it")

    def visit_Constant(self, node):
        if isinstance(node.value, str) and node.value in _FRAME_ATTRS:  # getattr(frame, "f_back")
            self._cheat(f"names `{node.value}`: reaching into the interpreter is not allowed")
        elif isinstance(node.value, str) and node.value.startswith("grader.") \
                and node.value not in _GRADER_MODULES | {_STUDENT_ENTRY[0]}:  # runpy, import_module...
            self._cheat(f"names `{node.value}`: the grader's internals are not for the exercises")


def report(findings: list[Finding], path) -> str:
    if not findings:
        return f"\u2714 {path}: no problem found; ready to submit."
    lines = [f"\u2718 {path}: {len(findings)} problem(s) to fix before submitting:"]
    lines += [f"  - {f}" for f in findings]
    return "\n".join(lines)


def check_this_notebook(path=None) -> bool:
    """For a notebook's last cell: check the saved notebook (save first!) and print the result.

    path: the notebook file; by default the one notebook of the current folder.
    Returns True when nothing was found.
    """
    if path is None:
        candidates = sorted(Path.cwd().glob("*.ipynb"))
        if len(candidates) != 1:
            print(f"\u2718 pass the notebook's path: check_this_notebook('{Path.cwd().name}.ipynb')")
            return False
        path = candidates[0]
    findings = check_notebook(path)
    print(report(findings, Path(path).name))
    return not findings
