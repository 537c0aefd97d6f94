"""Demo cells that use the student's functions start with ``needs("train_model", ...)``.

A figure, a widget or an experiment calls functions the student writes. Before they are
done, "Run All" would fill the notebook with long tracebacks, and a later cell would fail on
a variable that the failed cell never made. ``needs`` stops such a cell at once, with one
line that says which exercises to finish first. A function counts as done once it passes its
public check: the verdict of its check cell is remembered, otherwise ``needs`` runs that
check itself, silently, once per definition of the function.
"""
from __future__ import annotations

import sys

from . import checking
from .checks import SPECS


def needs(*names: str) -> None:
    """Raise CheckFailed, one line, unless every named function of the notebook is done."""
    namespace = sys._getframe(1).f_globals  # the notebook's: a cell runs in the user namespace
    missing = [name for name in names if name not in namespace]
    if missing:
        raise checking.CheckFailed(
            f"this cell uses {_listed(missing)}, not defined yet: run the cells above first "
            f"(Run All, or Run > Run All Above Selected Cell).")
    unfinished = [name for name in names
                  if name in SPECS and not checking.verdict(name, namespace[name])]
    if unfinished:
        many = len(unfinished) > 1
        raise checking.CheckFailed(
            f"this cell uses your {_listed(unfinished)}, which "
            f"{'do not pass their checks' if many else 'does not pass its check'} yet: finish "
            f"{'those exercises' if many else 'that exercise'} (and run "
            f"{'their check cells' if many else 'its check cell'}) first, then run this cell again.")


def _listed(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
