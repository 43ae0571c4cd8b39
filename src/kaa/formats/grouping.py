"""The one per-youth row-grouping engine: a youth's rows kept together.

Every reader of a file with one row per fact — the canonical long CSV
(:mod:`kaa.formats.canonical`) and the register list exports read through a column profile
(:mod:`kaa.adapters.tabular`) — turns rows into youths by the same rule:

1. Consecutive rows with the same identity number (in any written form) are **one youth**.
   The number is parsed only when the written text changes, and the youth is handed on as
   soon as its last row has been read.
2. A youth whose rows come back later in the file, after another youth's rows, is
   **reported, not double-counted**: each later row is rejected with a problem, and the youth
   read first is kept as it was.
3. A row whose identity number is missing or invalid is rejected with a problem; it neither
   starts nor ends a youth.
4. A row a format cannot read marks its youth bad (the problem names the row); what a bad
   youth becomes is the format's decision when the youth is finished.

The reader remembers one small integer pair per youth seen (the identity number as an
integer and the line it started on), which is the only memory that grows with the file:
about 16 bytes a youth, held in two sorted machine-integer arrays (:class:`SeenYouths`), so
a national export of 560,000 youths needs under 10 MB for it.

    >>> from kaa.formats.problems import ReadSummary
    >>> from kaa.identity import IdentityNumber
    >>> summary = ReadSummary(file="f.csv")
    >>> rows = [(2, "20080812-2394", "a"), (3, "200808122394", "b"), (4, "20070621-2396", "c"),
    ...         (5, "20080812-2394", "d")]
    >>> groups = group_youth_rows(
    ...     rows,
    ...     parse=IdentityNumber.parse,
    ...     start=YouthRows,
    ...     add=lambda group, cells, line: None,
    ...     finish=lambda group: (group.id.masked(), group.lines),
    ...     returned=lambda first: f"rows came back (first on line {first})",
    ...     id_column="id",
    ...     file="f.csv",
    ...     summary=summary,
    ... )
    >>> list(groups)
    [('20080812-****', [2, 3]), ('20070621-****', [4])]
    >>> print(summary.problems[0])
    f.csv:5: column id: [20080812-****] rows came back (first on line 2)
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import attrs

from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.identity import IdentityNumber

__all__ = ["SeenYouths", "YouthRows", "compact_key", "group_youth_rows"]


@attrs.define
class YouthRows:
    """The rows of one youth, as they are read (a format's builder extends it with its facts).

    Attributes:
        id: The youth's identity number.
        first_line: The line of the youth's first row.
        lines: The lines of every row of the youth read so far.
        bad: Whether a row could not be read (a problem was reported for it).
    """

    id: IdentityNumber
    first_line: int
    lines: list[int] = attrs.Factory(list)
    bad: bool = False


G = TypeVar("G", bound=YouthRows)
C = TypeVar("C")
T = TypeVar("T")

_INTERIM_LETTER_CODES = {letter: f"{i:02d}" for i, letter in enumerate("TRSUWXJKLMN")}


def compact_key(ident: IdentityNumber) -> int:
    """A small, unique key for the youths already read: the 12 digits as an int (about half
    the memory of the string); an interim number's letter becomes two digits and the key is
    negated, so it can never equal a personnummer's.

        >>> compact_key(IdentityNumber.parse("20080812-2394"))
        200808122394
    """
    text = ident.full("long")
    if text.isdigit():
        return int(text)
    return -int(text[:8] + _INTERIM_LETTER_CODES[text[8]] + text[9:])


class SeenYouths:
    """The youths a reader has seen, each with the line its rows started on, in little memory.

    A small dictionary takes the newest keys; when it holds :attr:`BUFFER` of them they are
    merged, in place, into two sorted arrays of machine integers (the keys and their lines, 16
    bytes a youth instead of about 100 in a dictionary), which are searched by bisection. The
    merge never copies the arrays, so the peak is the arrays and one small dictionary.

        >>> seen = SeenYouths()
        >>> seen.add(200808122394, 2)
        >>> seen.get(200808122394), seen.get(200706212396)
        (2, None)
    """

    BUFFER = 16_384
    """Keys held in the dictionary before they are merged into the arrays."""

    def __init__(self) -> None:
        self._recent: dict[int, int] = {}
        self._keys = array("q")
        self._lines = array("q")

    def __len__(self) -> int:
        return len(self._recent) + len(self._keys)

    def get(self, key: int) -> int | None:
        """The line the youth with ``key`` started on, or ``None`` if not seen."""
        found = self._recent.get(key)
        if found is not None:
            return found
        at = bisect.bisect_left(self._keys, key)
        if at < len(self._keys) and self._keys[at] == key:
            return self._lines[at]
        return None

    def add(self, key: int, line: int) -> None:
        """Remember that the youth with ``key`` (not seen before) started on ``line``."""
        self._recent[key] = line
        if len(self._recent) >= self.BUFFER:
            self._merge()

    def _merge(self) -> None:
        # In place, from the back: the arrays grow by the new keys, and each new key (from
        # the largest) moves the block of old keys above it up by one slice assignment, so
        # the merge costs a bisection per new key and never a second copy of the arrays.
        recent = sorted(self._recent.items())
        self._recent = {}
        new_keys = array("q", (key for key, _ in recent))
        new_lines = array("q", (line for _, line in recent))
        del recent
        keys, lines = self._keys, self._lines
        todo = len(keys)  # keys[:todo] are the old keys not yet moved
        keys.extend(new_keys)
        lines.extend(new_lines)
        for j in range(len(new_keys) - 1, -1, -1):
            key = new_keys[j]
            at = bisect.bisect_left(keys, key, 0, todo)
            if at < todo:
                keys[at + j + 1 : todo + j + 1] = keys[at:todo]
                lines[at + j + 1 : todo + j + 1] = lines[at:todo]
            keys[at + j] = key
            lines[at + j] = new_lines[j]
            todo = at


def group_youth_rows(
    rows: Iterable[tuple[int, str, C]],
    *,
    parse: Callable[[str], IdentityNumber],
    start: Callable[[IdentityNumber, int], G],
    add: Callable[[G, C, int], None],
    finish: Callable[[G], T | None],
    returned: Callable[[int], str],
    id_column: str,
    file: str,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None = None,
    missing: str | None = None,
    skip_after_problem: bool = False,
) -> Iterator[T]:
    """Group rows into youths by the rule in the module docs, and stream what ``finish`` makes.

    Rows are pulled one at a time, so problems are reported in file order whatever checks
    the format makes before a row reaches the engine (a bad header, a row too wide).

    Args:
        rows: ``(line, written identity number, cells)`` for each data row the format kept.
        parse: Reads a written identity number (raises
            :class:`~kaa.errors.InvalidIdentityNumber`).
        start: Makes the builder of a new youth from its number and first line.
        add: Adds a row's cells to the youth's builder; an
            :class:`~kaa.errors.InvalidInput` it raises marks the youth bad and is reported at
            the row's line.
        finish: Turns a youth whose last row has been read into a record, or ``None`` (the
            format counts the youth's rows as accepted or rejected there).
        returned: The message for a row of a youth whose rows came back, given the line the
            youth's rows started on.
        id_column: The column named in problems about the identity number.
        file: The name used in problems.
        summary: Counts the rows the engine rejects; collects the problems.
        on_problem: Called for each problem as it is found.
        missing: The message for a row without an identity number; if ``None``, an empty
            number is parsed (and reported as invalid).
        skip_after_problem: Skip (but still count as the youth's) the rows of a youth after
            the first row that could not be read.

    Yields:
        What ``finish`` returns for each youth, unless ``None``, as soon as the youth's last
        row has been read.
    """
    seen = SeenYouths()
    current: G | None = None
    current_raw: str | None = None

    def reject(line: int, message: str, youth: str | None = None) -> None:
        summary.rows_rejected += 1
        add_problem(
            summary,
            on_problem,
            Problem(file=file, line=line, column=id_column, youth=youth, message=message),
        )

    for line, raw, cells in rows:
        if current is None or raw != current_raw:
            # A new youth starts (or the same youth written another way): parse the number.
            if missing is not None and not raw:
                reject(line, missing)
                continue
            try:
                ident = parse(raw)
            except InvalidIdentityNumber as exc:
                reject(line, exc.message)
                continue
            if current is None or current.id != ident:
                if current is not None:
                    done = finish(current)
                    current = None
                    if done is not None:
                        yield done
                key = compact_key(ident)
                first = seen.get(key)
                if first is not None:
                    reject(line, returned(first), youth=ident.masked())
                    continue
                seen.add(key, line)
                current = start(ident, line)
            current_raw = raw
        current.lines.append(line)
        if current.bad and skip_after_problem:
            continue
        try:
            add(current, cells, line)
        except InvalidInput as exc:
            current.bad = True
            add_problem(
                summary,
                on_problem,
                Problem.from_error(exc, file=file, line=line, youth=current.id.masked()),
            )
    if current is not None:
        done = finish(current)
        if done is not None:
            yield done
