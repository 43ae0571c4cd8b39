"""Hook specifications: the points where a plugin can change what `kaa` does.

Plugins are discovered through the entry-point group ``kaa`` (see :mod:`kaa.plugins`). Three
shapes are used, and each hook says which:

- **first result wins**: the first non-``None`` answer is taken; the library's national
  defaults are registered ``trylast=True`` so a municipality's plugin always answers first;
- **collect all**: every plugin's answer is used (for example each adds measures);
- **register callback**: a plugin is handed a ``register`` function to add named things.

The rest of the library never calls these hooks directly: it goes through the typed facade
:class:`kaa.plugins.Hooks`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from kaa.model import Enrolment, Youth
    from kaa.rules.target_group import EquivalenceRuling

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "kaa"
"""The pluggy project name and the entry-point group plugins are found under."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Decorator for plugin functions: ``@hookimpl`` (or ``@hookimpl(trylast=True)``)."""


@hookspec(firstresult=True)
def kaa_counts_as_equivalent_education(
    youth: Youth, enrolment: Enrolment, day: dt.date
) -> EquivalenceRuling | None:
    """Decide whether an enrolment counts as attending education equivalent to
    *gymnasieskola* (condition T3 of the target group).

    Asked only for the open questions of the law: a *folkhögskola* course, *komvux* without
    a degree, studies abroad, and other education that is not marked as equivalent.
    Enrolments in *gymnasieskola*, *anpassad gymnasieskola* and education explicitly marked
    equivalent are decided by the rule itself.

    First result wins. The national default (``kaa.rules.target_group``) answers last: none
    of these count, so the youth stays in the target group.

    Args:
        youth: The youth being assessed.
        enrolment: The enrolment that covers ``day``.
        day: The day of the assessment.

    Returns:
        A ruling with ``counts`` and a ``basis`` that explains it (shown to case workers), or
        ``None`` to let the next plugin decide.
    """
