"""Store the public trials: ``python -m grader.build [NOTEBOOK ...]`` (after changing a check).

It also writes each notebook's questions for the student's copy (after editing them in
``grader/reference/questions/``): ``grader/data/questions/<notebook>.json``.

For every exercise: the inputs of its public trials, the reference's value on them, and
the values of the known mistakes (with their hints), into ``grader/data/<notebook>.npz``.
The tests recompute all of it and fail if the stored file is stale.
"""
from __future__ import annotations

import copy

import numpy as np

from . import registry, store
from .checking import seed
from .checks import SPECS
from .compare import matches
from .reference import implementation, mistakes


def public_trials(exercise_id: str) -> list[dict]:
    spec = SPECS[exercise_id]
    rng = np.random.default_rng(seed(exercise_id, hidden=False))
    trials = []
    for i in range(spec.n_public):
        inputs = spec.make_inputs(rng, i)
        trial = {"inputs": copy.deepcopy(inputs)}
        if spec.by_value:
            expected = spec.value(implementation(exercise_id), copy.deepcopy(spec.arguments(inputs)))
            trial["expected"] = expected
            trial["mistakes"] = [
                [m.hint, value] for m, value in _mistake_values(exercise_id, spec.arguments(inputs))
                if m.hint and not matches(value, expected, rtol=spec.rtol, atol=spec.atol)
            ]
        trials.append(trial)
    return trials


def _mistake_values(exercise_id, args):
    for mistake in mistakes(exercise_id):
        try:
            with np.errstate(all="ignore"):  # a mistake's overflow is its value, not news
                value = mistake.run(args)
            store._encode(value, {})  # only storable values (arrays, tuples, dicts, numbers)
        except Exception:  # noqa: BLE001 - mistakes that raise are recognised another way
            continue
        yield mistake, value


def build(notebook: str) -> dict:
    return {e.id: public_trials(e.id) for e in registry.exercises(notebook)}


def main(argv: list[str] | None = None) -> None:
    import sys

    for notebook in (argv if argv is not None else sys.argv[1:]) or registry.NOTEBOOKS:
        path = store.path_for(notebook)
        store.save(path, build(notebook))
        print(f"wrote {path}")
        path = questions_path(notebook)
        path.write_text(questions_json(notebook), encoding="utf-8")
        print(f"wrote {path}")


def questions_path(notebook: str):
    from .questions import QUESTIONS_DIR

    return QUESTIONS_DIR / f"{notebook}.json"


def questions_json(notebook: str) -> str:
    """The student's copy of a notebook's questions (grader/reference/questions says how)."""
    import json

    from .reference.questions import student_records

    return json.dumps(student_records(notebook), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    main()
