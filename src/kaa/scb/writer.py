"""Writing the submission file: delimited text laid out by a profile, written atomically.

This is the **upload file**: each youth is identified by their identity number (block 1),
so the file holds whole numbers, in the profile's ``identity_format``. It is the explicit
output writer of the SCB submission; nothing else in this package writes whole numbers.
Files are created readable by their owner only.

The checks run first (:func:`kaa.scb.checks.check_submission`), then the one write rule
(:func:`kaa.scb.rule.may_write`): if a row of an input was rejected, a check of severity error
fails, or no youth belongs to the municipality, :class:`~kaa.scb.rule.WriteRefused` is raised
and **nothing is written** — and because the file is written atomically
(:func:`kaa.formats.files.atomic_binary`), a run that fails half-way leaves no partial file and
any earlier file untouched. Warnings never block: what a profile cannot hold is written as
described in :func:`encode_rows`.

The text is exactly what the standard library's :mod:`csv` writes for the rows of
:func:`encode_rows` in the profile's dialect; it is made without going through lists of
cells: each distinct day and code of a column is encoded, checked against the column's width
and quoted once, a row is joined from those texts, and rows go to the stream in large
chunks. The errors are the same, at the same row.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import operator
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final, NoReturn, cast

from kaa.errors import ConfigurationError
from kaa.formats.files import atomic_binary
from kaa.formats.problems import ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.scb.checks import CheckReport, check_submission
from kaa.scb.layout import CODE_LISTS, BlockLayout, Column, ScbLayout, default_profile
from kaa.scb.rule import WriteRefused, may_write
from kaa.scb.submission import Block, ScbRecord, Submission

__all__ = ["dumps_submission", "encode_rows", "write_rows", "write_submission"]


_ENUMS: Final[dict[str, type[enum.Enum]]] = {
    "registration_reason": RegistrationReason,
    "activity": Activity,
    "measure_category": MeasureCategory,
    "end_reason": EndReason,
}

_Plan = list[tuple[Callable[[Any], Any] | None, Callable[[Any], str], int | None, int]]


def _day_text(pattern: str) -> Callable[[dt.date], str]:
    """The text of a day in the ``strftime`` pattern; the ISO pattern by
    :meth:`datetime.date.isoformat` (the date's, also for a datetime), the same text for
    every year from 1000 on, and several times faster."""
    if pattern != "%Y-%m-%d":
        return lambda day: day.strftime(pattern)
    iso = dt.date.isoformat
    return lambda day: iso(day) if day.year >= 1000 else day.strftime(pattern)


def _encoders(
    profile: ScbLayout, period_last: dt.date, *, by_value: bool = False
) -> dict[str, Callable[[Any], str]]:
    """One encoder per field kind: library value → file text (a category by its member; with
    ``by_value``, for :class:`_Columns`, which keeps each value's text, by the member's value
    and a day without a cache of its own)."""
    day_text = _day_text(profile.date_format)
    ident = profile.identity_format
    dates: dict[dt.date, str] = {}

    def date(day: dt.date) -> str:
        text = dates.get(day)
        if text is None:
            text = dates[day] = day_text(day)
        return text

    def identity(number: IdentityNumber) -> str:
        return number.full(ident, on=period_last)

    yes_no = profile.codes["yes_no"]
    encoders: dict[str, Callable[[Any], str]] = {
        "date": day_text if by_value else date,
        "identity": identity,
        "text": str,
        "yes_no": {True: yes_no["true"], False: yes_no["false"]}.__getitem__,
    }
    for name, cls in _ENUMS.items():
        codes = profile.codes[name]
        # an unmapped category is written as an empty cell (check KAA-W010 names each)
        if by_value:
            encoders[name] = {v: codes.get(v, "") for v in CODE_LISTS[name]}.__getitem__
        else:
            encoders[name] = {m: codes.get(str(m.value), "") for m in cls}.__getitem__
    return encoders


def _plan(layout: BlockLayout, encoders: dict[str, Callable[[Any], str]]) -> _Plan:
    return [
        (
            None if col.field == "youth" else operator.attrgetter(col.field),
            encoders[col.kind],
            col.width,
            i,
        )
        for i, col in enumerate(layout.columns)
    ]


def _cells(
    layout: BlockLayout, plan: _Plan, entry: object, record: ScbRecord, profile: ScbLayout
) -> list[str]:
    cells = []
    for get, encode, width, i in plan:
        cell = encode(record.youth if get is None else get(entry))
        if width is not None and len(cell) > width:
            field = layout.columns[i].field
            raise ConfigurationError(
                f"{record.youth.masked()}: the value of {field} is {len(cell)} characters, "
                f"more than the column's width {width}",
                file=profile.source,
                key=f"blocks.{layout.block.value}.columns[{i}].width",
            )
        cells.append(cell)
    return cells


def encode_rows(submission: Submission, profile: ScbLayout) -> Iterator[list[str]]:
    """The data rows of the file (without the header), as lists of cells.

    Two things the profile cannot hold are written as the library's own choice, and the
    checks warn of each: a youth with more entries in a block than the wide layout has room
    for gets the first ones, in the record's order, and the rest are left out (``KAA-W009``);
    a category the profile has no code for is an empty cell (``KAA-W010``).

    Args:
        submission: The submission.
        profile: The layout.

    Raises:
        ConfigurationError: If a value is wider than its column.
    """
    encoders = _encoders(profile, submission.period.last_day)
    layouts = [(layout, _plan(layout, encoders)) for layout in profile.blocks]
    if profile.layout == "long":
        for record in submission.records:
            for layout, plan in layouts:
                for entry in record.rows(layout.block):
                    yield [layout.record_type, *_cells(layout, plan, entry, record, profile)]
        return
    for record in submission.records:
        row: list[str] = []
        for layout, plan in layouts:
            entries = record.rows(layout.block)[: layout.repeat]
            for entry in entries:
                row.extend(_cells(layout, plan, entry, record, profile))
            row.extend([""] * (len(layout.columns) * (layout.repeat - len(entries))))
        yield row


_CHUNK: Final = 2048
"""Rows joined into one text before each write to the stream."""


class _TooWide(Exception):
    """A value wider than its column: :func:`_refuse` names it."""


class _Quoting:
    """A cell as the :mod:`csv` module writes it in a row of the profile's dialect (quoted
    only where it must be), and whether the stream's encoding can hold it."""

    def __init__(self, profile: ScbLayout, encoding: str | None) -> None:
        self._buffer = io.StringIO(newline="")
        self._writer = csv.writer(
            self._buffer,
            delimiter=profile.separator,
            lineterminator=profile.line_ending,
            quoting=csv.QUOTE_MINIMAL,
        )
        self._tail = len(profile.separator) + len(profile.line_ending)
        self._sep = sep = profile.separator

        def special(cell: str) -> bool:
            """Whether the cell holds a character that can make the csv module quote it
            (the line ending's are among these)."""
            return sep in cell or '"' in cell or "\n" in cell or "\r" in cell

        self.special: Final = special
        self.encoding = encoding
        self.unencodable = False
        """Set when a cell the encoding cannot hold was made: the rows up to this one then
        go to the stream, so that it raises at the row where it did when given them one by
        one."""

    def __call__(self, cell: str) -> str:
        if self.encoding is not None:
            try:
                cell.encode(self.encoding)
            except UnicodeEncodeError:
                self.unencodable = True
        if not (self._sep in cell or '"' in cell or "\n" in cell or "\r" in cell):
            return cell  # as special(), inline: this runs once per new value
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        # a second, empty cell: how the cell is written in a row of several cells
        self._writer.writerow([cell, ""])
        return buffer.getvalue()[: -self._tail]


class _Cells(dict[Any, str]):
    """The cells of the columns of one kind and width, by value: each value encoded,
    checked against the width and quoted the first time it is seen (the values are few:
    days and codes)."""

    __slots__ = ("_encode", "_quote", "_width")

    def __init__(self, encode: Callable[[Any], str], width: int | None, quote: _Quoting) -> None:
        super().__init__()
        self._encode, self._width, self._quote = encode, width, quote

    def __missing__(self, value: Any) -> str:
        cell = self._encode(value)
        if self._width is not None and len(cell) > self._width:
            raise _TooWide
        cell = self[value] = self._quote(cell)
        return cell


class _IdentityCells:
    """The cells of the identity columns of one width: whole numbers, one per youth, so
    nothing is kept."""

    __slots__ = ("_format", "_on", "_quote", "_width")

    def __init__(self, profile: ScbLayout, on: dt.date, width: int | None, quote: _Quoting):
        self._format, self._on, self._width, self._quote = profile.identity_format, on, width, quote

    def __getitem__(self, number: IdentityNumber) -> str:
        cell = number.full(self._format, on=self._on)
        if self._width is not None and len(cell) > self._width:
            raise _TooWide
        return self._quote(cell) if self._quote.special(cell) else cell


_Lookup = _Cells | _IdentityCells


class _Columns:
    """The cells of every column of a profile, shared by the columns of the same kind and
    width."""

    def __init__(self, profile: ScbLayout, on: dt.date, encoding: str | None) -> None:
        self.profile, self.on = profile, on
        self.quote = _Quoting(profile, encoding)
        # the categories by their member's value
        self._encoders = _encoders(profile, on, by_value=True)
        self._found: dict[tuple[str, int | None], _Lookup] = {}

    def __call__(self, column: Column) -> _Lookup:
        key = (column.kind, column.width)
        found = self._found.get(key)
        if found is None:
            if column.kind == "identity":
                found = _IdentityCells(self.profile, self.on, column.width, self.quote)
            else:
                found = _Cells(self._encoders[column.kind], column.width, self.quote)
            self._found[key] = found
        return found


class _Entries:
    """How one block's entries become text: a getter of the entry's values in column order
    (an enum by its value) and the cells of each column."""

    def __init__(self, layout: BlockLayout, columns: _Columns) -> None:
        self.layout = layout
        self.sep = columns.profile.separator
        self.cells = [columns(col) for col in layout.columns]
        self.youth: int | None = None
        """The long layout's youth column in blocks 2–5: not a field of the entry."""
        names: list[str] = []
        for i, col in enumerate(layout.columns):
            if col.field == "youth" and layout.block is not Block.MANDATORY:
                self.youth = i
            else:
                names.append(f"{col.field}._value_" if col.kind in _ENUMS else col.field)
        getter = operator.attrgetter(*names)
        self.values: Callable[[object], tuple[Any, ...]] = (
            getter if len(names) > 1 else lambda entry: (getter(entry),)
        )

    def text(self, entry: object) -> str:
        """The entry's cells, joined."""
        return self.sep.join(map(operator.getitem, self.cells, self.values(entry)))

    def text_with(self, entry: object, youth: IdentityNumber) -> str:
        """The entry's cells, joined, with the youth's number in the youth column."""
        values = list(self.values(entry))
        values.insert(cast(int, self.youth), youth)
        return self.sep.join(map(operator.getitem, self.cells, values))


def _refuse(record: ScbRecord, profile: ScbLayout, on: dt.date) -> NoReturn:
    """Raise the error of :func:`encode_rows` for the record holding a value wider than its
    column (:class:`_TooWide`): the first such cell, named."""
    encoders = _encoders(profile, on)
    for layout in profile.blocks:
        plan = _plan(layout, encoders)
        entries = record.rows(layout.block)
        for entry in entries if profile.layout == "long" else entries[: layout.repeat]:
            _cells(layout, plan, entry, record, profile)
    raise AssertionError("a value is wider than its column, yet every cell fits")


_RECORD_FIELDS: Final = {
    Block.MANDATORY: "mandatory",
    Block.CONTACTS: "contacts",
    Block.MEASURES_STARTED: "measures_started",
    Block.MEASURES_ENDED: "measures_ended",
    Block.KAA_ENDED: "kaa_ended",
}
"""The attribute of :class:`~kaa.scb.submission.ScbRecord` holding each block."""


def _chunks(rows: list[str], end: str, unencodable: bool) -> Iterator[tuple[int, str]]:
    """The rows as one text, or, when the last holds a value the stream's encoding cannot
    hold, the rows before it and then that row alone (as the stream was given them one by
    one, it keeps the rows before the one it refuses)."""
    if unencodable and len(rows) > 1:
        yield len(rows) - 1, end.join(rows[:-1]) + end
        rows = rows[-1:]
    if rows:
        yield len(rows), end.join(rows) + end


def _render(
    submission: Submission, profile: ScbLayout, encoding: str | None
) -> Iterator[tuple[int, str]]:
    """The data rows as file text, in chunks of rows: ``(how many rows, their text)``.

    The text is what :mod:`csv` writes for the rows of :func:`encode_rows`, each distinct
    value of a column encoded, checked and quoted once instead of once per cell. A value
    wider than its column raises as :func:`encode_rows` does, at the same cell. Each new
    value is checked against ``encoding`` (the stream's, if it has one); a chunk ends at the
    first row holding a value it cannot hold, so that the stream raises at the same row as
    when it was given the rows one by one. Before an error, the rows before the failing one
    are given too: a stream holds what it held when the rows were written one by one.

    Raises:
        ConfigurationError: If a value is wider than its column.
    """
    columns = _Columns(profile, submission.period.last_day, encoding)
    blocks = [_Entries(layout, columns) for layout in profile.blocks]
    if [b.layout.block for b in blocks] != list(Block):
        raise AssertionError("a profile has the five blocks in block order")
    if profile.layout == "wide":
        yield from _wide_chunks(submission.records, blocks, columns)
        return
    quote, end = columns.quote, profile.line_ending
    rows: list[str] = []
    try:
        for row in _long_rows(submission.records, blocks, columns):
            rows.append(row)
            if len(rows) == _CHUNK or quote.unencodable:
                yield from _chunks(rows, end, quote.unencodable)
                rows, quote.unencodable = [], False
    except ConfigurationError:
        yield from _chunks(rows, end, False)
        raise
    yield from _chunks(rows, end, False)


def _group(
    block: _Entries, sep: str, quote: _Quoting
) -> tuple[Callable[[object], str], int, list[str]]:
    """A repeated block of the wide layout: the text of an entry, the room for entries, and
    the empty groups after ``n`` entries (joined), for ``n`` less than the room."""
    repeat = block.layout.repeat
    empty = sep.join([quote("")] * len(block.layout.columns))
    return block.text, repeat, [sep.join([empty] * (repeat - n)) for n in range(repeat)]


def _wide_chunks(
    records: Iterable[ScbRecord], blocks: list[_Entries], columns: _Columns
) -> Iterator[tuple[int, str]]:
    """One row per youth, in chunks (see :func:`_render`)."""
    profile, quote = columns.profile, columns.quote
    sep, end = profile.separator, profile.line_ending
    mandatory, contacts, started, ended, kaa_ended = blocks
    c_text, c_repeat, c_pads = _group(contacts, sep, quote)
    s_text, s_repeat, s_pads = _group(started, sep, quote)
    e_text, e_repeat, e_pads = _group(ended, sep, quote)
    mandatory_text, kaa_text = mandatory.text, kaa_ended.text
    not_ended = sep.join([quote("")] * len(kaa_ended.layout.columns))
    rows: list[str] = []
    for record in records:
        try:
            parts = [mandatory_text(record.mandatory)]
            found_c = record.contacts
            n = len(found_c)
            if n:
                parts.extend(map(c_text, found_c[:c_repeat]))
            if n < c_repeat:
                parts.append(c_pads[n])
            found_s = record.measures_started
            n = len(found_s)
            if n:
                parts.extend(map(s_text, found_s[:s_repeat]))
            if n < s_repeat:
                parts.append(s_pads[n])
            found_e = record.measures_ended
            n = len(found_e)
            if n:
                parts.extend(map(e_text, found_e[:e_repeat]))
            if n < e_repeat:
                parts.append(e_pads[n])
            kaa = record.kaa_ended
            parts.append(not_ended if kaa is None else kaa_text(kaa))
        except _TooWide:
            yield from _chunks(rows, end, False)
            _refuse(record, profile, columns.on)
        rows.append(sep.join(parts))
        if len(rows) == _CHUNK or quote.unencodable:
            yield from _chunks(rows, end, quote.unencodable)
            rows, quote.unencodable = [], False
    yield from _chunks(rows, end, False)


def _long_rows(
    records: Iterable[ScbRecord], blocks: list[_Entries], columns: _Columns
) -> Iterator[str]:
    """One row per block entry, each starting with the record type."""
    profile, quote = columns.profile, columns.quote
    sep = profile.separator
    starts = [quote(block.layout.record_type) + sep for block in blocks]
    mandatory, *rest = zip(blocks, starts, strict=True)
    getters = [(b, start, operator.attrgetter(_RECORD_FIELDS[b.layout.block])) for b, start in rest]
    for record in records:
        try:
            block, start = mandatory
            yield start + block.text(record.mandatory)
            for block, start, get in getters:
                found = get(record)
                if found is None:
                    continue
                for entry in found if isinstance(found, tuple) else (found,):
                    if block.youth is None:
                        yield start + block.text(entry)
                    else:
                        yield start + block.text_with(entry, record.youth)
        except _TooWide:
            _refuse(record, profile, columns.on)


def write_rows(submission: Submission, profile: ScbLayout, stream: IO[str]) -> int:
    """Write the header (if the profile has one) and the rows to a text stream.

    No checks are run: use :func:`write_submission` for the upload file. The text is the
    :mod:`csv` module's for the rows of :func:`encode_rows` in the profile's dialect, written
    in chunks of rows.

    Returns:
        The number of data rows written.

    Raises:
        ConfigurationError: If a value is wider than its column (the rows before it are
            written).
    """
    if profile.header:
        csv.writer(
            stream,
            delimiter=profile.separator,
            lineterminator=profile.line_ending,
            quoting=csv.QUOTE_MINIMAL,
        ).writerow(profile.headers())
    encoding = getattr(stream, "encoding", None)
    count = 0
    for rows, text in _render(submission, profile, encoding if isinstance(encoding, str) else None):
        stream.write(text)
        count += rows
    return count


def dumps_submission(submission: Submission, profile: ScbLayout | None = None) -> str:
    """The file's text, without running the checks (for previews and tests)."""
    buffer = io.StringIO(newline="")
    write_rows(submission, profile if profile is not None else default_profile(), buffer)
    return buffer.getvalue()


def write_submission(
    submission: Submission,
    path: Path | str,
    *,
    profile: ScbLayout | None = None,
    report: CheckReport | None = None,
    read: Iterable[ReadSummary | None] = (),
) -> CheckReport:
    """Check the submission and write the upload file atomically, if the write rule allows.

    Args:
        submission: The submission.
        path: Where to write.
        profile: The layout; :func:`~kaa.scb.layout.default_profile` when ``None``.
        report: The checks already run (e.g. with the register's cases, see
            :func:`~kaa.scb.checks.check_submission`); run here, with the profile, when
            ``None``.
        read: The read summaries of the inputs the submission was built from, so that a
            rejected row refuses the file (see :func:`~kaa.scb.rule.may_write`).

    Returns:
        The check report (warnings only, since errors block writing).

    Raises:
        WriteRefused: If :func:`~kaa.scb.rule.may_write` refuses (a rejected row, a check of
            severity error, no youth of the municipality); nothing is written. It is a
            :class:`~kaa.scb.checks.ChecksFailed`.
        ConfigurationError: If the profile is not valid for the period, or cannot encode a
            value; nothing is written.
    """
    profile = profile if profile is not None else default_profile()
    profile.require(submission.period)
    if report is None:
        report = check_submission(submission, profile=profile)
    verdict = may_write(submission, report, read=read)
    if not verdict.allowed:
        raise WriteRefused(verdict, report)
    with atomic_binary(Path(path)) as raw:
        text = io.TextIOWrapper(raw, encoding=profile.encoding, newline="")
        try:
            write_rows(submission, profile, text)
            text.flush()
        except UnicodeEncodeError as exc:
            raise ConfigurationError(
                f"a value cannot be written in the encoding {profile.encoding}: {exc.reason}",
                file=profile.source,
                key="format.encoding",
            ) from None
        finally:
            text.detach()
    return report
