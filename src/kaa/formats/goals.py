"""A municipality's goals for its follow-up figures, and the TOML file they are written in.

A goal names a figure of :mod:`kaa.followup` and a cell of it, and which way the municipality
wants it to move (or a target). The committee report (:mod:`kaa.report`) shows each goal next
to the figure. A municipality's plugin supplies its goals through the hook
:func:`kaa.plugins.spec.kaa_report_goals`; ``kaa report --goals FILE`` reads a file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs

from kaa.errors import ConfigurationError

__all__ = ["Goal", "load_goals"]


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
        validator=attrs.validators.in_(("raise", "lower", "at_least", "at_most"))
    )
    target: float | None = None
    source: str | None = None


def load_goals(path: Path) -> tuple[Goal, ...]:
    """Read goals from a TOML file of ``[[goal]]`` tables.

    Raises:
        ConfigurationError: Naming the file and key when the file is malformed.
    """
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the goals: {exc}", file=name) from None
    goals = []
    for i, entry in enumerate(data.get("goal", [])):
        key = f"goal[{i}]"
        if not isinstance(entry, dict):
            raise ConfigurationError("each goal must be a table", file=name, key=key)
        try:
            goals.append(Goal(**entry))
        except TypeError as exc:
            raise ConfigurationError(str(exc), file=name, key=key) from None
        except ValueError as exc:
            raise ConfigurationError(str(exc), file=name, key=f"{key}.direction") from None
        if goals[-1].direction in ("at_least", "at_most") and goals[-1].target is None:
            raise ConfigurationError("this direction needs a target", file=name, key=key)
    return tuple(goals)
