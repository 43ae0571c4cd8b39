"""What a register source is and what it yields.

A **register source** reads one kind of export (IST, BER, Hypernet, SS12000, a prior SCB
file, the canonical form, or a municipality's own system) and yields one
:class:`SourceRecord` per youth: the youth's facts in the library's model, how to reach them,
and, when the export holds KAA case data, the case. Sources satisfy the
:class:`RegisterSource` protocol and are added by plugins through the hook
:func:`kaa.plugins.spec.kaa_register_sources`.

Every source keeps the library's promise about input: each data row becomes part of a record
or is reported as a :class:`~kaa.formats.problems.Problem`, and ``rows_accepted + rows_rejected ==
rows_read`` in the :class:`~kaa.formats.problems.ReadSummary`. Things worth knowing that are not
problems — an address that was not kept because the youth has protected identity, a title
row above the headings, columns the profile does not use — are *notices*, counted in a
:class:`SourceSummary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.model.case import Case, ContactDetails
from kaa.model.youth import Youth

__all__ = [
    "Origin",
    "RegisterSource",
    "SourceRecord",
    "SourceSummary",
    "add_notice",
    "add_problem",
    "refuse_mapping",
]


@attrs.frozen(kw_only=True)
class Origin:
    """Where a record came from.

    Attributes:
        source: The name of the source (``ist``, ``ss12000``, …).
        file: The file (for a workbook: ``file[sheet]``).
        lines: The lines (or rows) the record was read from, in file order.
    """

    source: str
    file: str
    lines: tuple[int, ...]

    def __str__(self) -> str:
        if not self.lines:
            return f"{self.file} ({self.source})"
        shown = ", ".join(str(n) for n in self.lines[:5]) + ("…" if len(self.lines) > 5 else "")
        word = "line" if len(self.lines) == 1 else "lines"
        return f"{self.file} {word} {shown} ({self.source})"


@attrs.frozen(kw_only=True)
class SourceRecord:
    """One youth as read from a register source.

    A youth with protected identity never has an address here (checked when the record is
    made); sources drop the address at read time and count a notice.

    Attributes:
        youth: The facts the target-group rule needs.
        origin: Where the record came from.
        contact_details: How to reach the youth, if the export has it.
        case: The KAA case, if the export holds case data (a registration day at least).
        merged_from: The origins of other records of the same youth merged into this one
            (see :mod:`kaa.adapters.merge`).
    """

    youth: Youth
    origin: Origin
    contact_details: ContactDetails | None = None
    case: Case | None = None
    merged_from: tuple[Origin, ...] = ()

    def __attrs_post_init__(self) -> None:
        details = self.contact_details
        if (
            details is not None
            and details.address is not None
            and self.youth.has_protected_identity
        ):
            raise InvalidInput(
                "the youth has protected identity: no address may be kept", column="address"
            )
        if self.case is not None and self.case.youth != self.youth:
            raise InvalidInput("the case is about another youth than the record", column="case")

    @property
    def id(self) -> str:
        """The youth's masked identity number."""
        return self.youth.id.masked()


@attrs.define(kw_only=True)
class SourceSummary(ReadSummary):
    """A :class:`~kaa.formats.problems.ReadSummary` that also keeps notices.

    Attributes:
        notices: Things a case worker should know that are not problems with a row (the row
            was still accepted): addresses not kept for youths with protected identity,
            skipped title and repeated heading rows, columns the profile does not use.
    """

    notices: list[Problem] = attrs.Factory(list)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}, {len(self.notices)} notices" if self.notices else text


def add_notice(summary: ReadSummary, notice: Problem) -> None:
    """Record a notice, if ``summary`` keeps notices (a :class:`SourceSummary`)."""
    if isinstance(summary, SourceSummary):
        summary.notices.append(notice)


def refuse_mapping(source: str, mapping: Path | None, *, reads: str) -> None:
    """Refuse a mapping file given to a source whose input form is fixed.

    For sources without a profile to adapt (``canonical``, ``ss12000``, …): call it first in
    :meth:`RegisterSource.read`.

    Args:
        source: The source's name, for the message.
        mapping: The mapping file passed to ``read`` (``None``: nothing to refuse).
        reads: What the source reads instead, completing "the SOURCE source reads …"
            (e.g. "the standard's field names").

    Raises:
        ConfigurationError: If ``mapping`` is given.
    """
    if mapping is not None:
        raise ConfigurationError(
            f"the {source} source reads {reads} and takes no mapping file", file=str(mapping)
        )


@runtime_checkable
class RegisterSource(Protocol):
    """A named register source, as plugins register them.

    Sources are usually frozen attrs classes with ``name`` and ``description`` fields.
    """

    @property
    def name(self) -> str:
        """The short name used on the command line (``kaa assess --source NAME``): lower
        case letters, digits and ``-``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``kaa sources``."""
        ...

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Stream the records of one export file.

        Args:
            path: The export.
            summary: Filled in as rows are read: every data row counted as accepted or
                rejected, each rejected row covered by a problem.
            reference_day: The day 10-digit identity numbers are read against (today if
                ``None``).
            on_problem: Called with each problem as it is found; raising there stops the
                read (``--strict``).
            mapping: A municipality's mapping file (TOML) adapting the source's default
                profile to its actual export, for sources that have a profile.

        Returns:
            The records, one per youth, as soon as each is complete.

        Raises:
            InvalidInput: If the file cannot be read at all (not found, not the expected
                kind of file, no heading row).
            ConfigurationError: If the mapping file is malformed.
        """
        ...
