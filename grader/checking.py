"""``check(exercise_id, fn, hidden=False)``: run an exercise's trials on a student function.

Public trials compare with values stored in ``grader/data`` (no reference code needed);
hidden trials add randomized inputs compared live with the reference implementations,
and numeric gradients for backward functions. Any failure becomes one ``CheckFailed``
whose message names the trial, what was expected and what came back, and, when the
value matches a known mistake, what that mistake is.
"""
from __future__ import annotations

import copy
import hashlib
import warnings
import zlib
from dataclasses import dataclass, field

import numpy as np

from . import registry, store
from .checks import SPECS, Spec
from .compare import Mismatch, at, compare, float64_only, matches
from .runner import NotImplementedYet, StudentError, TimedOut, call, not_callable


class CheckFailed(AssertionError):
    """A check found something wrong; the message says what, in the student's terms."""

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback: the student's cell is not at
        # fault and the grader's frames would only bury the message.
        first, *rest = str(self).splitlines() or [""]
        return ["\x1b[1;31mCheckFailed\x1b[0m: " + first, *rest]


@dataclass
class Report:
    """What a passed check returns. Displays as nothing in Jupyter (the line is printed)."""

    exercise: str
    trials: int
    hidden: bool

    def __repr__(self):
        kind = "public and hidden" if self.hidden else "public"
        return f"<{self.exercise}: passed {self.trials} {kind} trials>"

    def _ipython_display_(self):
        # A value shown as the cell's result could be read by nbgrader as a partial score.
        pass


@dataclass
class Trial:
    spec: Spec
    fn: object
    inputs: dict
    label: str
    expected: object = None
    got: object = None
    # (hint, value) pairs: what known mistakes return on these inputs
    mistakes: list = field(default_factory=list)
    # hidden trials: ``expected`` is the reference's value, computed only once the student's
    # function has returned (so that function cannot find it by walking up the stack)
    live: bool = False
    # "gradient" while the numeric-gradient comparison runs (what a failure is recorded as)
    stage: str = ""

    @property
    def args(self) -> dict:
        """The call's keyword arguments (inputs, with anything unstorable built)."""
        return self.spec.arguments(self.inputs)

    def call(self, **changes):
        """Call the student's function again, with some arguments changed (for properties)."""
        return call(self.fn, {**self.args, **changes}, name=self.spec.id)


def check(exercise_id: str, fn, *, hidden: bool = False) -> Report:
    """Check a student's function; print one line on success, raise CheckFailed otherwise."""
    try:
        spec = SPECS[registry.exercise(exercise_id).id]
    except KeyError:
        raise CheckFailed(f"there is no exercise called {exercise_id!r}; "
                          f"the exercises are listed by grader.exercises()") from None
    if not callable(fn):
        raise CheckFailed(not_callable(fn, exercise_id)) from None
    if hidden:
        GRADED[spec.id] = fn  # when autograding, the function the verdict outside calls
    message, n = _run(spec, fn, hidden)
    if not hidden or not message:  # (a hidden check may fail for want of the instructor's copy)
        _VERDICTS[spec.id] = (fn, not message)
    if message:
        raise CheckFailed(message) from None
    kind = f"{n} trials, public and hidden" if hidden else f"{n} public trials"
    print(f"\u2714 {exercise_id} passed ({kind}).")
    return Report(exercise_id, n, hidden)


# exercise id -> (the function last checked, whether it passed): grader.demo.needs asks
_VERDICTS: dict = {}
# exercise id -> the function last given to a hidden check: when autograding, the grader
# outside the sandbox calls this one (grader/remote.py)
GRADED: dict = {}


def verdict(exercise_id: str, fn) -> bool:
    """Whether ``fn`` passes its public check: the last check's verdict on this very function
    in this session, or the public check run now, silently (and remembered)."""
    last = _VERDICTS.get(exercise_id)
    if last is not None and last[0] is fn:
        return last[1]
    message = not_callable(fn, exercise_id) if not callable(fn) else \
        _run(SPECS[exercise_id], fn, hidden=False)[0]
    _VERDICTS[exercise_id] = (fn, not message)
    return not message


def _run(spec: Spec, fn, hidden: bool, salt: str = "", diagnosis: dict | None = None) -> tuple[str, int]:
    """Returns (failure message or "", number of trials run). ``salt``: see ``seed``.
    ``diagnosis``, if given, receives what failed: see ``Diagnosis``."""
    more = []
    if hidden:
        try:
            more = hidden_trials(spec, salt)
        except ImportError:  # a student copy: no reference implementations
            message, n = _try(spec, fn, public_trials(spec), hidden=False, diagnosis=diagnosis)
            return message or (
                f"{spec.id} passed its {n} public trials, but the hidden checks need the "
                f"instructor's copy of the grader (this copy has the public checks only)"), 0
    return _try(spec, fn, public_trials(spec) + more, hidden, diagnosis)


def _try(spec: Spec, fn, trials: list, hidden: bool, diagnosis: dict | None = None) -> tuple[str, int]:
    def student(**args):
        return call(fn, args, name=spec.id)

    diagnosis = {} if diagnosis is None else diagnosis
    for trial in trials:
        trial.fn = fn

        def run(trial=trial):
            trial.got = spec.value(student, trial.args)

        message = _attempt(spec, trial, run, diagnosis)
        if message:
            return message, 0
        if trial.live and spec.by_value:
            from .reference import implementation

            trial.expected = spec.value(implementation(spec.id), copy.deepcopy(trial.args))
        message = _attempt(spec, trial, lambda trial=trial: _examine(spec, trial, hidden), diagnosis)
        if message:
            return message, 0
    return "", len(trials)


def _examine(spec: Spec, trial: Trial, hidden: bool) -> None:
    """Raise Mismatch (or StudentError, when a property calls the function again) if the
    trial's value is wrong."""
    float64_only(trial.got)  # every exercise, by value or by properties
    if spec.by_value:
        compare(trial.got, trial.expected, rtol=spec.rtol, atol=spec.atol)
    if spec.properties:
        spec.properties(trial)
    if hidden and spec.gradients:
        trial.stage = "gradient"
        spec.gradients(trial)
        trial.stage = ""
    if hidden and spec.reference_checks:
        spec.reference_checks(trial)


def _attempt(spec: Spec, trial: Trial, step, diagnosis: dict) -> str:
    """Run one step of a trial; the failure message, or "" if it went through. What failed
    goes into ``diagnosis``: the outcome, the kind of trial, and the hint of the named
    mistake it matched."""
    kind = "gradient" if getattr(trial, "stage", "") == "gradient" else "hidden" if trial.live else "public"
    try:
        step()
    except NotImplementedYet as e:
        diagnosis.update(outcome="not attempted", trial="")
        return str(e)
    except TimedOut as e:
        diagnosis.update(outcome="timeout", trial=kind)
        return _headline(trial) + "\n  " + str(e) + _uses(spec)
    except StudentError as e:
        diagnosis.update(outcome="error", trial=kind)
        return _headline(trial) + "\n  " + str(e) + _uses(spec)
    except Mismatch as m:
        kind = "gradient" if getattr(trial, "stage", "") == "gradient" else kind
        hint = _hint(trial, m)
        diagnosis.update(outcome="failed", trial=kind, hint=hint.removeprefix("\n  Hint: "))
        return _headline(trial) + "\n  " + _describe(spec, m, trial) + hint + _uses(spec)
    except Exception as e:  # noqa: BLE001 - a strange return value, never a grader crash
        diagnosis.update(outcome="failed", trial=kind)
        return (_headline(trial) + f"\n  the grader could not examine what your function "
                                   f"returned: {type(e).__name__}: {e}" + _uses(spec))
    return ""


def public_trials(spec: Spec) -> list[Trial]:
    stored = _stored(registry.exercise(spec.id).notebook, spec.id)
    n = len(stored)
    return [Trial(spec, None, t["inputs"], f"public trial {i + 1} of {n}", t.get("expected"),
                  mistakes=[tuple(pair) for pair in t.get("mistakes", [])])
            for i, t in enumerate(stored)]


def hidden_trials(spec: Spec, salt: str = "") -> list[Trial]:
    from .reference import implementation, mistakes  # ImportError in a student copy

    implementation(spec.id)  # (its value is computed after the student's: see _try)
    rng = np.random.default_rng(seed(spec.id, hidden=True, salt=salt))
    trials = []
    for i in range(spec.n_hidden):
        inputs = spec.make_inputs(rng, i)
        trial = Trial(spec, None, inputs, f"hidden trial {i + 1} of {spec.n_hidden}", live=True)
        trial.mistakes = _LazyMistakes(mistakes(spec.id), trial.args)
        trials.append(trial)
    return trials


def seed(exercise_id: str, *, hidden: bool, salt: str = "") -> int:
    """A fixed seed per exercise: hidden trials are random but the same at every grading.
    The autograder adds a salt that only the instructor's course holds (autograde.py), so
    that its hidden inputs cannot be worked out from the student's copy."""
    base = zlib.crc32(exercise_id.encode()) + (1 if hidden else 0)
    if not salt:
        return base
    return int.from_bytes(hashlib.sha256(f"{salt}:{base}".encode()).digest()[:8], "little")


@dataclass
class Verdict:
    """An exercise's outcome when autograding, judged outside the student's kernel."""

    exercise: str
    passed: bool
    message: str   # the check's line: what a student reads in their feedback
    trials: int = 0
    answer: object = None  # a question's answer as the submission gave it (canonical form)
    # what failed, for the instructor's report: passed, failed, not attempted, error, timeout;
    # the catalogued mistake it matched ("exercise:name", or "rule:..." for the rules every
    # exercise shares), and the kind of the first failing trial (public, hidden, gradient)
    outcome: str = "passed"
    mistake: str = ""
    trial: str = ""


def judge(exercise_ids, function, *, salt: str = "", answered=None) -> dict[str, Verdict]:
    """Run each exercise's full check (public and hidden trials) on ``function(id)``, the
    student's function or a stand-in that calls it in its kernel (grader/remote.py); and
    check each question's answer, ``answered(id)`` (the value the submission gave, or None),
    against the instructor's clear answers."""
    verdicts = {}
    for exercise_id in exercise_ids:
        if exercise_id not in SPECS:  # a question
            from .reference.questions import grade

            value = answered(exercise_id) if answered else None
            passed, line = grade(exercise_id, value)
            verdicts[exercise_id] = Verdict(
                exercise_id, passed, line, answer=value,
                outcome="passed" if passed else "not attempted" if value is None else "failed")
            continue
        spec = SPECS[exercise_id]
        diagnosis: dict = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            message, n = _run(spec, function(exercise_id), hidden=True, salt=salt, diagnosis=diagnosis)
        line = message or f"\u2714 {exercise_id} passed ({n} trials, public and hidden)."
        verdicts[exercise_id] = Verdict(
            exercise_id, not message, line, n,
            outcome=diagnosis.get("outcome", "failed") if message else "passed",
            mistake=mistake_id(exercise_id, diagnosis.get("hint", ""), message) if message else "",
            trial=diagnosis.get("trial", "") if message else "")
    return verdicts


# The rules every exercise shares: a failure of one is named by the rule (runner.py, compare.py)
RULES = {
    "used numpy's global random state": "rule:global-random",
    "modified its argument": "rule:modified-argument",
    "returns state whose arrays are not independent": "rule:aliased-state",
    "the course computes in float64": "rule:float32",
}


def mistake_id(exercise_id: str, hint: str, message: str) -> str:
    """The stable id of the named mistake a failure matched: the catalogue's
    "exercise:name" for a hint (instructor side, where the catalogue is), or "rule:..." for
    a shared rule; "" when no known mistake was recognised."""
    try:
        from .reference import mistakes
        catalogue = mistakes(exercise_id)
    except ImportError:
        catalogue = []
    if hint:
        for mistake in catalogue:
            if mistake.hint and " ".join(mistake.hint.split()) == " ".join(hint.split()):
                return f"{exercise_id}:{mistake.name}"
    for phrase, rule in RULES.items():
        if phrase in message:
            return rule
    # a mistake recognised by what it raises or trips (its expect text), when only one fits
    fits = [m for m in catalogue if not m.hint and m.expect and m.expect in message]
    return f"{exercise_id}:{fits[0].name}" if len(fits) == 1 else ""


class _LazyMistakes:
    """Known mistakes' values on one trial's inputs, computed only when a hint is needed."""

    def __init__(self, catalogue, args):
        self.catalogue, self.args = catalogue, args

    def __iter__(self):
        for mistake in self.catalogue:
            if not mistake.hint:  # caught another way (expect=): no value to match, no run
                continue
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")  # nothing may reach the notebook's stderr
                    value = mistake.run(self.args)
            except Exception:  # noqa: BLE001 - a mistake that crashes here has no value to match
                continue
            yield mistake.hint, value


_STORE_CACHE: dict[str, dict] = {}


def preload() -> None:
    """Load every notebook's stored trials and the reference implementations now, rather
    than at a notebook's first check (0.1 s and more). For the grading kernels' zygote
    (grader/instructor/zygote.py): each kernel forked from it starts with them loaded."""
    for notebook in registry.NOTEBOOKS:
        if store.path_for(notebook).is_file():
            _STORE_CACHE.setdefault(notebook, store.load(store.path_for(notebook)))
    try:
        from .reference import implementation, mistakes  # noqa: F401
    except ImportError:  # a student copy: no reference implementations
        pass


def _stored(notebook: str, exercise_id: str) -> list:
    if notebook not in _STORE_CACHE:
        _STORE_CACHE[notebook] = store.load(store.path_for(notebook))
    # a fresh copy of this exercise's trials (not the notebook's: ten times the copying):
    # trials must not share arrays a student function could alter
    return copy.deepcopy(_STORE_CACHE[notebook][exercise_id])


def _headline(trial: Trial) -> str:
    return f"{trial.spec.id}: {trial.label} failed, with {describe_inputs(trial.inputs)}."


def describe_inputs(inputs: dict) -> str:
    return ", ".join(f"{k} = {_shape(v)}" for k, v in inputs.items())


def _shape(v, depth=0) -> str:
    if isinstance(v, np.ndarray):
        return f"array {v.shape}" if depth == 0 else str(v.shape)
    if isinstance(v, (tuple, list)):
        inner = ", ".join(_shape(x, depth + 1) for x in v[:4])
        more = ", ..." if len(v) > 4 else ""
        return f"({inner}{more})" if isinstance(v, tuple) else f"[{inner}{more}]"
    if isinstance(v, dict):
        keys = list(v)
        return "{" + ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "") + "}"
    if isinstance(v, np.random.Generator):
        return "a Generator"
    if isinstance(v, float):
        return f"{v:.4g}"
    return repr(v)


def _describe(spec: Spec, m: Mismatch, trial: Trial | None = None) -> str:
    if spec.sequence and m.path and trial is not None:
        # a sequence's value is one value per call: the path starts with the call
        n = len(trial.got)
        return (f"in call {m.path[0] + 1} of {n} (the check calls {spec.id} {n} times in a row, "
                f"each time with what the call before returned): "
                f"{label(spec, m.path[1:])} {m.message}")
    return f"{label(spec, m.path)} {m.message}"


def label(spec: Spec, path: tuple) -> str:
    """How the student knows the place: `dW`, `cache[0][1]`, `grads["dW2"]`."""
    if isinstance(spec.returns, str):
        name, rest = spec.returns, path
    elif path:
        name, rest = spec.returns[path[0]], path[1:]
    else:
        return "the return value"
    return name + "".join(f"[{k!r}]" if isinstance(k, str) else f"[{k}]" for k in rest)


def _hint(trial: Trial, m: Mismatch) -> str:
    try:
        got = at(trial.got, m.path)
    except LookupError:
        return ""
    tolerance = None
    for hint, value in trial.mistakes:
        try:
            wrong = at(value, m.path)
            # the mistake's value was computed on another CPU (stored) or by other code
            # (hidden): it is recognised within the check's tolerance plus rounding noise
            rtol, atol = tolerance = tolerance or trial.spec.naming_tolerance(trial.args)
            if _right_here(trial, m.path, wrong, rtol, atol):
                continue  # a mistake that gives the right value here names nothing (the build
                # leaves such values out of the stored trials; hidden trials get them all)
            if matches(got, wrong, rtol=rtol, atol=atol):
                return f"\n  Hint: {hint}"
        except Exception:  # noqa: BLE001 - a value that cannot be compared matches no mistake
            continue
    return ""


def _right_here(trial: Trial, path: tuple, wrong, rtol: float, atol: float) -> bool:
    if not trial.spec.by_value or trial.expected is None:
        return False
    try:
        return matches(wrong, at(trial.expected, path), rtol=rtol, atol=atol)
    except LookupError:
        return False


def _uses(spec: Spec) -> str:
    if not spec.uses:
        return ""
    return (f"\n  ({spec.id} calls your {', '.join(spec.uses)}: if one of their checks fails, "
            f"fix that first.)")
