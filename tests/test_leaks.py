"""Instructions give the mathematics and the contract, never the code of the answer.

A released notebook's markdown and docstrings, and the hints, must not contain a line of an
exercise's reference implementation: code in them (backquoted, fenced, or a docstring's line)
is compared with each line of the reference after normalising both, so that whitespace,
variable names and how a number is written do not matter (``dA * (Z > 0)`` and
``dA_l * (Z_l > 0.0)`` are one line). Lines too short to give anything away (``return A``,
``L = len(caches)``, ``linear_backward(dZ, cache)``) are not compared.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import io
import json
import keyword
import re
import textwrap
import tokenize

import pytest

from grader import registry
from grader.registry import exercises
from grader.hints import hints
from grader.reference import implementation
from grader.release import ROOT

# a normalised line is compared when it has at least MIN_TOKENS tokens, MIN_CONTENT of which
# say something: an operator, a number, a builtin, an attribute's name (a variable's name, a
# dot, a bracket or a comma says nothing)
MIN_TOKENS, MIN_CONTENT = 5, 2
SILENT = {"_", ".", "(", ")", ",", "[", "]", ":", "="}


def telling(line: str) -> bool:
    tokens = line.split()
    return len(tokens) >= MIN_TOKENS and sum(t not in SILENT for t in tokens) >= MIN_CONTENT

# Idioms that a notebook may show although a reference line contains them, each with its reason.
ALLOWED = {
    # notebook 01's one fully worked example, the single-example forward block, comes before
    # the first exercise on purpose: linear_forward is the same line for m examples
    "_ @ _ + _",
    # the number of layers L from the parameter dict: bookkeeping, not the exercise's idea
    "len ( _ ) // 2.0",
}

NAME = "_"


def normalise(code: str) -> str:
    """The tokens of ``code``, with every name that is not a keyword, a builtin or an attribute
    replaced by ``_`` and every number written as a float; "" where it does not tokenise."""
    out, after_dot = [], False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.COMMENT, tokenize.ENDMARKER):
                continue
            text = tok.string
            if tok.type == tokenize.NAME and not after_dot and not keyword.iskeyword(text) \
                    and not hasattr(builtins, text):
                text = NAME
            elif tok.type == tokenize.NUMBER:
                try:
                    text = repr(float(text.replace("_", "")))
                except ValueError:
                    pass
            out.append(text)
            after_dot = text == "."
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    # an assignment's target or a return says nothing: the right-hand side is the answer
    line = " ".join(out)
    line = re.sub(r"^(return|yield)\s+", "", line)
    line = re.sub(r"^(_(\s*\[[^=]*\])?\s*,\s*)*_(\s*\[[^=]*\])?\s*[-+*/@]?=\s+(?!=)", "", line)
    return line


def reference_lines(exercise_id: str) -> set[str]:
    """The normalised lines of an exercise's reference implementation's body, and of the
    private helpers of its module that it calls (``_scaled_normal``): the answer's code,
    wherever the reference keeps it."""
    fn = implementation(exercise_id)
    module = inspect.getmodule(fn)
    lines, todo, done = set(), [fn], set()
    while todo:
        f = todo.pop()
        if f in done:
            continue
        done.add(f)
        body = _body(f)
        lines |= _lines(body)
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id.startswith("_"):
                helper = getattr(module, node.func.id, None)
                if inspect.isfunction(helper) and inspect.getmodule(helper) is module:
                    todo.append(helper)
    return lines


def _body(fn) -> list:
    source = textwrap.dedent(inspect.getsource(fn))
    body = ast.parse(source).body[0].body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body


def _lines(body: list) -> set[str]:
    lines = set()
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.For, ast.While,
                                                                ast.If, ast.With, ast.Try)):
            line = normalise(ast.unparse(node))
            if telling(line) and line not in ALLOWED:
                lines.add(line)
    return lines


def code_in_text(text: str) -> list[str]:
    """Code as a student reads it in markdown or a hint: fenced blocks, backquoted spans."""
    fenced = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    spans = re.findall(r"`([^`]+)`", text)
    return [line for block in fenced for line in block.splitlines()] + spans


def docstring_lines(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)):
            doc = ast.get_docstring(node)
            if doc:
                found += doc.splitlines()
    return found


def _leaks(snippets: list[str], lines: set[str]) -> list[tuple[str, str]]:
    """(snippet, reference line) where a reference line lies within a snippet, or where a
    snippet that calls a method or a numpy function (``rng.random(A.shape)``) lies within a
    reference line: the numpy call that is the answer. A name alone (``np.linalg.solve``)
    is fine."""
    found = []
    for snippet in snippets:
        normal = normalise(snippet)
        padded = f" {normal} "
        calls = re.search(r"\. \w+ \(", normal) and telling(normal) and normal not in ALLOWED
        found += [(snippet.strip(), line) for line in lines
                  if f" {line} " in padded or (calls and padded in f" {line} ")]
    return found


def released_text(notebook: str) -> list[str]:
    """The markdown's code and the docstrings of the released (student) notebook."""
    nb = json.loads((ROOT / "notebooks" / notebook / f"{notebook}.ipynb").read_text("utf-8"))
    snippets = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            snippets += code_in_text(source)
        elif cell["cell_type"] == "code":
            snippets += docstring_lines(source)
    return snippets


def _lines_of(notebook: str) -> set[str]:
    return set().union(*(reference_lines(e.id) for e in registry.exercises(notebook)))


@pytest.mark.parametrize("notebook", registry.NOTEBOOKS)
def test_released_notebook_gives_no_answer_code(notebook):
    leaks = _leaks(released_text(notebook), _lines_of(notebook))
    assert not leaks, "the instructions contain the answer's code:\n" + "\n".join(
        f"  {snippet!r} is the reference's {line!r}" for snippet, line in leaks)


@pytest.mark.parametrize("exercise_id", [e.id for e in exercises()])
def test_hints_give_no_answer_code(exercise_id):
    notebook = registry.exercise(exercise_id).notebook
    snippets = [line for text in hints(exercise_id) for line in [*code_in_text(text), text]]
    leaks = _leaks(snippets, _lines_of(notebook))
    assert not leaks, "a hint contains the answer's code:\n" + "\n".join(
        f"  {snippet!r} is the reference's {line!r}" for snippet, line in leaks)


# -- the normaliser itself ---------------------------------------------------------------


def test_names_spacing_and_numbers_do_not_matter():
    assert normalise("dZ = dA * (Z > 0)") == normalise("return dA_l*(Z_l>0.0)") == "_ * ( _ > 0.0 )"
    assert normalise("s = 1 / (1 + np.exp(-Z))") == "1.0 / ( 1.0 + _ . exp ( - _ ) )"
    assert normalise("A_drop = A * mask / keep_prob") == normalise("A*D/kp")


def test_a_leak_is_found_inside_a_longer_snippet():
    lines = {normalise("return (AL > 0.5).astype(float)")}
    assert _leaks(["predictions = (A2 > 0.5).astype(float)"], lines)
    assert not _leaks(["predictions are 1 where AL > 0.5"], lines)
    mask = {normalise("mask = (rng.random(A.shape) < keep_prob).astype(float)")}
    assert _leaks(["rng.random(A.shape)"], mask)  # the numpy call that is the answer
    assert not _leaks(["rng.random", "A.shape"], mask)
    assert code_in_text("use `dA * (Z > 0)` here\n```python\nx = 1\n```") == ["x = 1", "dA * (Z > 0)"]
