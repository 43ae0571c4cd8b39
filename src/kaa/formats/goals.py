"""A municipality's goals for its follow-up figures, and the TOML file they are written in.

A goal names a figure of :mod:`kaa.followup` and a cell of it, and which way the municipality
wants it to move (or a target). The committee report (:mod:`kaa.report`) shows each goal next
to the figure. A municipality's plugin supplies its goals through the hook
:func:`kaa.plugins.spec.kaa_report_goals`; ``kaa report --goals FILE`` reads a file.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

import attrs

from kaa.convert import Invalid, check, load_toml

__all__ = ["Goal", "load_goals"]

_DIRECTIONS = ("raise", "lower", "at_least", "at_most")


@attrs.frozen(kw_only=True)
class Goal:
    """A municipality's own goal for a figure, e.g. "raise the share returning to studies".

    Attributes:
        label_sv: The goal as the committee reads it.
        figure: The id of the figure (a :class:`~kaa.followup.Table` id).
        row: The first cell of the row the goal is about.
        column: The column holding the value.
        direction: ``"raise"`` or ``"lower"`` compared with the previous period, or
            ``"at_least"`` / ``"at_most"`` compared with ``target``.
        target: The target value for ``at_least`` / ``at_most``.
        source: Where the goal was decided (e.g. the municipality's plan).
    """

    label_sv: str
    figure: str
    row: str
    column: str
    direction: str = attrs.field(
        validator=check(
            lambda v: v in _DIRECTIONS,
            lambda v: f"{v!r} is not one of: {', '.join(_DIRECTIONS)}",
        )
    )
    target: float | None = None
    source: str | None = None


@attrs.frozen(kw_only=True)
class _GoalsFile:
    goal: tuple[Goal, ...] = ()

    def __attrs_post_init__(self) -> None:
        for i, goal in enumerate(self.goal):
            if goal.direction in ("at_least", "at_most") and goal.target is None:
                raise Invalid("this direction needs a target", at=("goal", i, "target"))


def load_goals(path: Path | Traversable) -> tuple[Goal, ...]:
    """Read goals from a TOML file of ``[[goal]]`` tables (the fields of :class:`Goal`).

    Raises:
        ConfigurationError: Reading ``file: message @ $.path`` for every problem.
    """
    goals: _GoalsFile = load_toml(path, _GoalsFile)
    return goals.goal
