"""Static checks of one submitted notebook, before it is run.

Used on both sides: a student runs ``python -m grader check-notebook FILE`` (or
``check_notebook()`` in a notebook's last cell) before submitting, and the autograder
runs the same checks on every submission. Nothing here executes student code.

The expected cells come from the released notebook when we have it (the autograder),
else from the registry and the course's cell convention (a student has no pristine
release beside the copy they edit).

Each problem is a ``Finding``. Kinds and what the autograder does with them:

    missing, invalid-json          nothing to grade: every exercise scores 0
    renamed                        graded under the right name, flagged
    deleted, edited, converted     nbgrader puts the instructor's cell back, flagged
    duplicated                     the first copy of a grade_id is graded, flagged
    reordered, input               graded as submitted (input() returns ""), flagged
    cheat                          the exercises checked after the cheating cell score 0
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import registry

# The kinds that take points away by themselves (the others are reported and flagged).
ZEROING = {"missing", "invalid-json", "cheat"}


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


def grade_id(cell) -> str | None:
    return (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")


def _is_graded(cell) -> bool:
    nbg = cell.get("metadata", {}).get("nbgrader") or {}
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
    everything = tuple(e.id for e in registry.exercises(assignment))
    if not path.is_file():
        return [Finding("missing", None, everything, f"there is no {assignment}.ipynb")]
    findings = []
    if path.name != f"{assignment}.ipynb":
        findings.append(Finding("renamed", None, (), f"the notebook is called {path.name}, not "
                                f"{assignment}.ipynb: rename it back, or it may not be graded"))
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
        assert isinstance(cells, list) and all(isinstance(c, dict) for c in cells)
    except (ValueError, KeyError, TypeError, AssertionError, UnicodeDecodeError) as e:
        return findings + [Finding("invalid-json", None, everything,
                                   f"the file is not a valid notebook ({type(e).__name__}: "
                                   f"{str(e)[:120]}); was it edited outside Jupyter?")]
    if isinstance(release, (str, Path)):
        release = json.loads(Path(release).read_text(encoding="utf-8"))
    expected = _expected_cells(assignment, release)
    findings += _structure(cells, expected)
    findings += _code_scan(cells, expected, assignment)
    return findings


def _expected_cells(assignment: str, release) -> dict:
    """{grade_id: {"type", "locked", "source" or None, "exercise"}} in notebook order."""
    exercise_of = {}
    for e in registry.exercises(assignment):
        exercise_of[f"{e.id}-code"] = exercise_of[e.id] = e.id
    if release is None:
        # The course's convention (CONTRIBUTING.md): a solution cell "<id>-code", then a locked
        # test cell "<id>" whose released source is exactly check("<id>", <id>). (nbgrader's
        # checksums cannot tell: they are computed before the hidden tests are removed.)
        return {gid: {"type": "code", "locked": gid == e.id, "exercise": e.id,
                      "source": f'check("{e.id}", {e.id})' if gid == e.id else None}
                for e in registry.exercises(assignment) for gid in (f"{e.id}-code", e.id)}
    out = {}
    for cell in release["cells"]:
        gid = grade_id(cell)
        if gid is None:
            continue
        nbg = cell["metadata"]["nbgrader"]
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
    order = [g for g in sorted(seen, key=seen.get) if g in graded]
    want_order = [g for g in graded if g in seen]
    if order != want_order:
        moved = next(a for a, b in zip(order, want_order) if a != b)
        findings.append(Finding("reordered", moved, (), "graded cells are not in their original order "
                                f"(first out of place: {moved!r}); cells run top to bottom when graded"))
    return findings


def _edited(cell, want) -> bool:
    return want["source"] is not None and _source(cell).strip() != want["source"].strip()


# --- cheating and input(): an AST scan of the code the student could change -------------

_PROTECTED_MODULES = {"numpy", "grader"}
_DYNAMIC = {"exec", "eval", "compile", "__import__", "globals", "vars", "locals"}


def _code_scan(cells, expected, assignment) -> list[Finding]:
    findings = []
    checked_after = _exercises_checked_after(cells, assignment)
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        gid = grade_id(cell)
        want = expected.get(gid) if gid else None
        if want and want["locked"] and not _edited(cell, want):
            continue  # the instructor's own cell (restored anyway if edited)
        source = _strip_magics(_source(cell))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # fails when run, scored as such
        name = gid or f"cell {i}"
        for kind, message in _Scanner().scan(tree):
            affected = checked_after[i] if kind == "cheat" else ()
            findings.append(Finding(kind, name, affected, message))
    return findings


def _exercises_checked_after(cells, assignment) -> list[tuple]:
    """For each cell index, the exercises whose test cell comes after it (they could be fooled)."""
    ids = {e.id for e in registry.exercises(assignment)}
    out, later = [], []
    for cell in reversed(cells):
        out.append(tuple(later))
        gid = grade_id(cell)
        if gid in ids and cell.get("cell_type") == "code" and gid not in later:
            later = [gid, *later]
    return list(reversed(out))


def _strip_magics(source: str) -> str:
    # IPython syntax (%time, !ls, cell magics) is not Python: blank it for the parser.
    return "\n".join("" if re.match(r"\s*[%!]", line) else line for line in source.splitlines())


class _Scanner(ast.NodeVisitor):
    """Finds rebinding of `check`, writes into numpy/grader, and other ways around the checks."""

    def scan(self, tree):
        self.found = []
        # names bound to numpy, grader or their submodules/attributes in this cell
        self.aliases = {"np", "numpy", "grader"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in _PROTECTED_MODULES:
                        self.aliases.add(a.asname or a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _PROTECTED_MODULES:
                for a in node.names:
                    self.aliases.add(a.asname or a.name)
        self.visit(tree)
        return self.found

    def _cheat(self, message):
        self.found.append(("cheat", message))

    def _root(self, node):
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def _target(self, target):
        if isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self._target(t)
        elif isinstance(target, ast.Name) and target.id in ("check", "np", "numpy", "grader"):
            self._cheat(f"assigns to `{target.id}`: the course's checks and numpy must stay as given")
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            root = self._root(target)
            if root in self.aliases or root in ("sys", "builtins", "__builtins__"):
                self._cheat(f"changes `{ast.unparse(target)}`: modifying numpy, the grader or the "
                            f"interpreter is not allowed")

    def visit_Assign(self, node):
        for t in node.targets:
            self._target(t)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._target(node.target)
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        self._target(node.target)
        self.generic_visit(node)

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

    def visit_Import(self, node):
        for a in node.names:
            top = a.name.split(".")[0]
            if top in ("builtins", "importlib", "ctypes", "gc", "inspect"):
                self._cheat(f"imports `{a.name}`: not needed for the exercises, and a way around the checks")
            if a.asname == "check":
                self._cheat("imports something under the name `check`")

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for a in node.names:
            bound = a.asname or a.name
            if bound == "check" and not (module == "grader" and a.name == "check"):
                self._cheat(f"imports `{module}.{a.name}` as `check`")
        if module.split(".")[0] in ("builtins", "importlib", "ctypes", "gc", "inspect"):
            self._cheat(f"imports from `{module}`: not needed for the exercises, and a way around the checks")
        if module.startswith("grader.") and module.split(".")[1] not in ("reuse", "datasets"):
            self._cheat(f"imports from `{module}`: the grader's internals are not for the exercises")

    def visit_Call(self, node):
        f = node.func
        name = f.id if isinstance(f, ast.Name) else None
        if name == "input" or (isinstance(f, ast.Attribute) and f.attr == "input"
                               and self._root(f) == "builtins"):
            self.found.append(("input", "calls input(): nobody types answers during grading "
                               "(it returns an empty string there); remove it"))
        if name in ("setattr", "delattr") and node.args:
            root = self._root(node.args[0])
            if root in self.aliases or root in ("sys", "builtins", "__builtins__"):
                self._cheat(f"calls {name}() on `{ast.unparse(node.args[0])}`: modifying numpy or "
                            f"the grader is not allowed")
        if name in _DYNAMIC:
            self._cheat(f"calls {name}(): dynamic code can get around the checks and is not "
                        f"needed for the exercises")
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr in ("__builtins__", "__globals__", "__code__", "__dict__", "modules") \
                and (node.attr != "modules" or self._root(node) == "sys"):
            self._cheat(f"uses `{ast.unparse(node)}`: reaching into the interpreter is not allowed")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == "__builtins__":
            self._cheat("uses `__builtins__`: reaching into the interpreter is not allowed")
        self.generic_visit(node)


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
