"""Register sources: read a municipality's KAA register export into the library's model.

Each municipality keeps its register in a different system and no vendor publishes its export
format. A **register source** is a named reader (a plugin, see
:func:`kaa.plugins.spec.kaa_register_sources`) that yields one
:class:`~kaa.adapters.base.SourceRecord` per youth — the youth's facts, contact details and,
where the export has them, the KAA case — with every row accepted or reported.

    >>> from kaa.adapters import available_sources
    >>> {"ist", "ber", "hypernet", "ss12000", "scb", "canonical"} <= set(available_sources())
    True

Read a file by source name with :func:`open_source` (what ``kaa assess --source ist FILE``
does); other commands use the same helper::

    summary = SourceSummary(file=str(path))
    for record in open_source("ist", path, summary=summary, mapping=Path("askersund.toml")):
        ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from kaa.adapters import builtin
from kaa.adapters.base import (
    Origin,
    RegisterSource,
    SourceRecord,
    SourceSummary,
    add_notice,
    add_problem,
)
from kaa.adapters.merge import combine, merge_records
from kaa.errors import InvalidInput
from kaa.formats.problems import Problem, ReadSummary
from kaa.model.youth import Youth

__all__ = [
    "Origin",
    "RegisterSource",
    "SourceRecord",
    "SourceRegistry",
    "SourceSummary",
    "add_notice",
    "add_problem",
    "available_sources",
    "builtin_sources",
    "combine",
    "get_source",
    "merge_records",
    "open_source",
    "read_youths_from",
]


class SourceRegistry(Protocol):
    """Anything that lists register sources by name: the plugin facade
    :class:`kaa.plugins.manager.Hooks` is one."""

    def register_sources(self) -> dict[str, RegisterSource]:
        """Every registered source by name."""
        ...


def builtin_sources() -> dict[str, RegisterSource]:
    """The sources shipped with the library, by name (no plugins asked)."""
    return dict(sorted((source.name, source) for source in builtin.builtin_sources()))


def available_sources(hooks: SourceRegistry | None = None) -> dict[str, RegisterSource]:
    """Every registered source by name.

    Args:
        hooks: The plugin facade (built-in sources and those of installed plugins); only the
            built-in sources when ``None`` (the commands pass
            :meth:`kaa.plugins.manager.Hooks.default`).
    """
    if hooks is None:
        return builtin_sources()
    return hooks.register_sources()


def get_source(name: str, hooks: SourceRegistry | None = None) -> RegisterSource:
    """The source registered as ``name``.

    Raises:
        InvalidInput: If no source has that name (the message lists those that exist).
    """
    found = available_sources(hooks)
    try:
        return found[name]
    except KeyError:
        raise InvalidInput(
            f"no register source named {name!r}; available: {', '.join(found)} (see `kaa sources`)"
        ) from None


def open_source(
    name: str,
    path: Path,
    *,
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    mapping: Path | None = None,
    hooks: SourceRegistry | None = None,
) -> Iterator[SourceRecord]:
    """Stream the records of ``path`` read by the source called ``name``.

    This is the one helper every command uses to read a register export.

    Args:
        name: The source name (``ist``, ``ss12000``, ``canonical``, a plugin's own, …).
        path: The export file.
        summary: Filled in as rows are read; pass a :class:`SourceSummary` to keep notices.
        reference_day: The day 10-digit identity numbers are read against (today if
            ``None``).
        on_problem: Called with each problem as it is found (raise there to stop, for
            ``--strict``).
        mapping: A mapping file (TOML) adapting the source's default profile.
        hooks: The plugin facade; only the built-in sources when ``None``.

    Returns:
        The records, one per youth.

    Raises:
        InvalidInput: If there is no such source or the file cannot be read at all.
        ConfigurationError: If the mapping file is malformed.
    """
    source = get_source(name, hooks)
    if summary is None:
        summary = SourceSummary(file=str(path))
    return source.read(
        Path(path),
        summary=summary,
        reference_day=reference_day,
        on_problem=on_problem,
        mapping=mapping,
    )


def read_youths_from(
    name: str,
    path: Path,
    *,
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    mapping: Path | None = None,
    hooks: SourceRegistry | None = None,
) -> Iterator[Youth]:
    """Like :func:`open_source`, yielding only each record's youth."""
    for record in open_source(
        name,
        path,
        summary=summary,
        reference_day=reference_day,
        on_problem=on_problem,
        mapping=mapping,
        hooks=hooks,
    ):
        yield record.youth
