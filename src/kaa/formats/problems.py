"""Problems found in input, and the count that proves nothing was dropped.

Every reader in the library turns each input row into a record or into a :class:`Problem`
with the file, line, column and the *masked* identity number; a :class:`ReadSummary` counts
rows read, accepted and rejected, and ``accepted + rejected == read`` always holds.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from kaa.errors import InvalidInput, scrub
from kaa.formats.cells import terminal_text

__all__ = ["Problem", "ReadSummary", "add_problem"]


@attrs.frozen(kw_only=True)
class Problem:
    """One problem with one input row.

    Attributes:
        file: The file (or source name) the row came from.
        line: The 1-based line number (or row number in a sheet).
        column: The column name, if the problem is in one column.
        youth: The masked identity number, if the row had a readable one.
        message: What is wrong, in words a case worker can act on. The message, column and
            youth go through :func:`kaa.errors.scrub`: a number that reached them by mistake
            is masked.
    """

    file: str
    line: int
    message: str = attrs.field(converter=scrub)
    column: str | None = attrs.field(default=None, converter=attrs.converters.optional(scrub))
    youth: str | None = attrs.field(default=None, converter=attrs.converters.optional(scrub))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.column:
            where += f": column {self.column}"
        who = f" [{self.youth}]" if self.youth else ""
        return terminal_text(f"{where}:{who} {self.message}")

    @classmethod
    def from_error(cls, error: InvalidInput, *, file: str, line: int, youth: str | None) -> Problem:
        """A problem from an :class:`~kaa.errors.InvalidInput` raised while reading a row."""
        column = None if error.column is None else str(error.column)
        return cls(file=file, line=line, column=column, youth=youth, message=error.message)


@attrs.define(kw_only=True)
class ReadSummary:
    """Counts for one read: rows read, accepted and rejected, and the problems.

    Attributes:
        file: What was read.
        rows_read: Data rows read (headers and blank lines are not counted).
        rows_accepted: Rows that became part of a record.
        rows_rejected: Rows that did not; each is covered by a problem.
        records: Records (e.g. youths) produced.
        problems: Every problem found, in file order.
    """

    file: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    records: int = 0
    problems: list[Problem] = attrs.Factory(list)

    @property
    def ok(self) -> bool:
        """No row was rejected."""
        return self.rows_rejected == 0 and not self.problems

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows_read} rows read, {self.rows_accepted} accepted, "
            f"{self.rows_rejected} rejected; {self.records} records, "
            f"{len(self.problems)} problems"
        )


def add_problem(
    summary: ReadSummary, on_problem: Callable[[Problem], None] | None, problem: Problem
) -> None:
    """Record ``problem`` in ``summary`` and pass it to ``on_problem`` (which may raise, for
    ``--strict``)."""
    summary.problems.append(problem)
    if on_problem is not None:
        on_problem(problem)
