"""Reading a submission file back into SCB records, with the profile it was written with.

``read(write(x)) == x``: a file written by :mod:`kaa.scb.writer` reads back into the same
records (a property the tests check with hypothesis) — as far as the profile holds them: an
empty cell in a coded column reads back as the one category the profile leaves without a
code, and is a problem when it leaves several (the file cannot say which); entries beyond a
wide profile's room were never written (checks ``KAA-W010`` and ``KAA-W009`` warn of both).
Every data row is accepted or reported as a :class:`~kaa.formats.problems.Problem` with the
file, line, column and the masked identity number; arbitrary bytes never crash the reader,
they raise :class:`~kaa.errors.InvalidInput`.

A UTF-8 byte-order mark at the start of the file (as Notepad and Excel's "CSV UTF-8" write
it) is skipped when the profile's encoding is UTF-8; with any other encoding it is an error,
since the file is then not in the profile's encoding.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.problems import Problem, ReadSummary
from kaa.formats.text import MalformedRow, csv_rows
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.municipalities import is_municipality_code
from kaa.period import HalfYear
from kaa.scb.layout import BlockLayout, ScbLayout, default_profile
from kaa.scb.submission import (
    Block,
    ContactRecord,
    KaaEnded,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
)

__all__ = ["loads_submission", "parse_submission", "read_submission"]

_ENUMS: dict[str, Any] = {
    "registration_reason": RegistrationReason,
    "activity": Activity,
    "measure_category": MeasureCategory,
    "end_reason": EndReason,
}
_MODELS: dict[Block, Any] = {
    Block.MANDATORY: MandatoryData,
    Block.CONTACTS: ContactRecord,
    Block.MEASURES_STARTED: MeasureStarted,
    Block.MEASURES_ENDED: MeasureEnded,
    Block.KAA_ENDED: KaaEnded,
}


class _Draft:
    __slots__ = ("contacts", "ended", "kaa_ended", "line", "mandatory", "started")

    def __init__(self, mandatory: MandatoryData, line: int) -> None:
        self.mandatory = mandatory
        self.line = line
        self.contacts: list[ContactRecord] = []
        self.started: list[MeasureStarted] = []
        self.ended: list[MeasureEnded] = []
        self.kaa_ended: KaaEnded | None = None

    def add(self, block: Block, entry: object) -> str | None:
        if isinstance(entry, ContactRecord):
            self.contacts.append(entry)
        elif isinstance(entry, MeasureStarted):
            self.started.append(entry)
        elif isinstance(entry, MeasureEnded):
            self.ended.append(entry)
        elif isinstance(entry, KaaEnded):
            if self.kaa_ended is not None:
                return "a second block-5 row (end of KAA) for the same youth"
            self.kaa_ended = entry
        return None

    def record(self) -> ScbRecord:
        return ScbRecord(
            mandatory=self.mandatory,
            contacts=tuple(self.contacts),
            measures_started=tuple(self.started),
            measures_ended=tuple(self.ended),
            kaa_ended=self.kaa_ended,
        )


class _Decoder:
    def __init__(self, profile: ScbLayout, reference_day: dt.date) -> None:
        self.profile = profile
        self.reference_day = reference_day

    def value(self, kind: str, cell: str, column: str) -> object:
        p = self.profile
        if kind == "identity":
            try:
                return IdentityNumber.parse(cell, on=self.reference_day)
            except InvalidIdentityNumber as exc:
                raise InvalidInput(exc.message, column=column) from None
        if kind == "text":
            if not is_municipality_code(cell):
                raise InvalidInput(f"{cell!r} is not a kommunkod", column=column)
            return cell
        if kind == "date":
            try:
                return dt.datetime.strptime(cell, p.date_format).date()
            except ValueError:
                raise InvalidInput(
                    f"{cell!r} is not a date in the profile's form {p.date_format}", column=column
                ) from None
        value = p.decode(kind, cell)
        if value is None:
            blank = p.unmapped.get(kind, ())
            if cell == "" and blank:
                raise InvalidInput(
                    f"the cell is empty, and the profile {p.name!r} leaves more than one "
                    f"category of the list {kind} without a code ({', '.join(blank)}), so "
                    "which one it is cannot be told",
                    column=column,
                )
            known = ", ".join(repr(c) for c in p.codes[kind].values())
            raise InvalidInput(
                f"{cell!r} is not a code of the list {kind}; the codes are: {known}", column=column
            )
        if kind == "yes_no":
            return value == "true"
        return _ENUMS[kind](value)

    def entry(self, layout: BlockLayout, cells: Sequence[str], n: int) -> tuple[object, object]:
        """The block entry and the identity (long layout) from the cells of one group."""
        values: dict[str, object] = {}
        for col, cell in zip(layout.columns, cells, strict=True):
            values[col.field] = self.value(col.kind, cell, col.header(n))
        youth = values.pop("youth", None) if layout.block is not Block.MANDATORY else None
        model = _MODELS[layout.block]
        try:
            return model(**values), youth
        except InvalidInput:
            raise
        except (TypeError, ValueError) as exc:  # pragma: no cover - guarded by the profile
            raise InvalidInput(str(exc)) from None


def parse_submission(
    data: bytes,
    *,
    period: HalfYear,
    profile: ScbLayout | None = None,
    municipality: str | None = None,
    file: str = "<bytes>",
    summary: ReadSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Submission:
    """Parse the bytes of a submission file.

    Args:
        data: The file's bytes.
        period: The half-year the file is for (10-digit identity numbers are read against
            its last day).
        profile: The layout; the default profile when ``None``.
        municipality: The reporting municipality; when ``None``, the municipality of the
            first record (a file must then hold at least one).
        file: What to call the data in problems.
        summary: Filled in with counts and problems.
        on_problem: Called for each rejected row. When neither ``summary`` nor
            ``on_problem`` is given, the first problem is raised instead.

    Returns:
        The submission, records in file order.

    Raises:
        InvalidInput: If the bytes cannot be decoded, the header does not match, or (when
            problems are not collected) a row is wrong; always naming file, line and
            column.
    """
    profile = profile if profile is not None else default_profile()
    strict = summary is None and on_problem is None
    summary = summary if summary is not None else ReadSummary(file=file)
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if bom:
        if codecs.lookup(profile.encoding).name not in ("utf-8", "utf-8-sig"):
            raise InvalidInput(
                "the file begins with a UTF-8 byte-order mark, so it is UTF-8, but the "
                f"profile {profile.name!r} reads {profile.encoding}; save the file in "
                f"{profile.encoding}, or read it with a profile whose encoding is utf-8",
                file=file,
                line=1,
            )
        data = data[bom:]
    try:
        text = data.decode(profile.encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"the file is not in the profile's encoding {profile.encoding} "
            f"(byte {exc.start + bom})",
            file=file,
            line=line,
        ) from None
    if "\x00" in text:
        raise InvalidInput("the file holds NUL characters: it is not a text file", file=file)
    decoder = _Decoder(profile, period.last_day)
    drafts: list[_Draft] = []
    latest: dict[IdentityNumber, _Draft] = {}
    by_type = {b.record_type: b for b in profile.blocks}

    def problem(line: int, error: InvalidInput, youth: str | None) -> None:
        p = Problem.from_error(error, file=file, line=line, youth=youth)
        summary.problems.append(p)
        summary.rows_rejected += 1
        if on_problem is not None:
            on_problem(p)
        elif strict:
            raise InvalidInput(error.message, file=file, line=line, column=error.column)

    header = profile.headers() if profile.header else None
    expect_header = header is not None
    width = profile.width()
    for line, cells in csv_rows(io.StringIO(text, newline=""), profile.separator):
        if isinstance(cells, MalformedRow):
            if expect_header:
                raise InvalidInput(f"the header row: {cells.message}", file=file, line=line)
            summary.rows_read += 1
            problem(line, InvalidInput(cells.message), None)
            continue
        if expect_header and header is not None:
            expect_header = False
            if cells != header:
                bad = next(
                    (i for i, (a, b) in enumerate(zip(cells, header, strict=False)) if a != b),
                    min(len(cells), len(header)),
                )
                expected = header[bad] if bad < len(header) else "(no more columns)"
                raise InvalidInput(
                    f"the header does not match the profile {profile.name!r}: expected "
                    f"{expected!r} in column {bad + 1} and {len(header)} columns, found "
                    f"{len(cells)}",
                    file=file,
                    line=line,
                    column=bad + 1,
                )
            continue
        summary.rows_read += 1
        try:
            if profile.layout == "wide":
                _wide_row(decoder, profile, cells, width, line, drafts)
            else:
                _long_row(decoder, cells, line, by_type, drafts, latest, profile)
        except InvalidInput as error:
            problem(line, error, _masked_id(cells, profile))
            continue
        summary.rows_accepted += 1
    records = tuple(d.record() for d in drafts)
    summary.records += len(records)
    if municipality is None:
        if not records:
            raise InvalidInput(
                "the file holds no record to take the municipality from; pass it explicitly",
                file=file,
            )
        municipality = records[0].mandatory.municipality
    return Submission(period=period, municipality=municipality, records=records)


def _masked_id(cells: Sequence[str], profile: ScbLayout) -> str | None:
    layout = profile.block(Block.MANDATORY)
    for i, col in enumerate(layout.columns):
        if col.field == "youth":
            index = i + (1 if profile.layout == "long" else 0)
            if index < len(cells) and IdentityNumber.is_valid(cells[index]):
                return IdentityNumber.parse(cells[index]).masked()
    return None


def _wide_row(
    decoder: _Decoder,
    profile: ScbLayout,
    cells: Sequence[str],
    width: int,
    line: int,
    drafts: list[_Draft],
) -> None:
    if len(cells) != width:
        raise InvalidInput(f"the row has {len(cells)} columns; the profile has {width}")
    pos = 0
    draft: _Draft | None = None
    for layout in profile.blocks:
        size = len(layout.columns)
        for n in range(1, layout.repeat + 1):
            group = cells[pos : pos + size]
            pos += size
            if all(c == "" for c in group) and layout.block is not Block.MANDATORY:
                continue
            entry, _ = decoder.entry(layout, group, n)
            if isinstance(entry, MandatoryData):
                draft = _Draft(entry, line)
            elif draft is not None:
                draft.add(layout.block, entry)
    assert draft is not None
    drafts.append(draft)


def _long_row(
    decoder: _Decoder,
    cells: Sequence[str],
    line: int,
    by_type: dict[str, BlockLayout],
    drafts: list[_Draft],
    latest: dict[IdentityNumber, _Draft],
    profile: ScbLayout,
) -> None:
    layout = by_type.get(cells[0])
    if layout is None:
        known = ", ".join(repr(t) for t in by_type)
        raise InvalidInput(
            f"{cells[0]!r} is not a record type of the profile; the types are: {known}",
            column=profile.record_type_column,
        )
    if len(cells) != len(layout.columns) + 1:
        raise InvalidInput(
            f"a block-{layout.block.number} row ({layout.block.value}) has "
            f"{len(layout.columns) + 1} columns, this one {len(cells)}"
        )
    entry, youth = decoder.entry(layout, cells[1:], 1)
    if isinstance(entry, MandatoryData):
        draft = _Draft(entry, line)
        drafts.append(draft)
        latest[entry.youth] = draft
        return
    assert isinstance(youth, IdentityNumber)
    target = latest.get(youth)
    if target is None:
        raise InvalidInput(
            f"{youth.masked()}: a block-{layout.block.number} row before any block-1 row for the "
            "youth",
            column="youth",
        )
    message = target.add(layout.block, entry)
    if message is not None:
        raise InvalidInput(message)


def loads_submission(
    text: str,
    *,
    period: HalfYear,
    profile: ScbLayout | None = None,
    municipality: str | None = None,
) -> Submission:
    """Parse a submission from text (as :func:`~kaa.scb.writer.dumps_submission` writes it).

    Raises:
        InvalidInput: At the first problem.
    """
    profile = profile if profile is not None else default_profile()
    return parse_submission(
        text.encode(profile.encoding),
        period=period,
        profile=profile,
        municipality=municipality,
        file="<text>",
    )


def read_submission(
    path: Path | str,
    *,
    period: HalfYear,
    profile: ScbLayout | None = None,
    municipality: str | None = None,
    summary: ReadSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Submission:
    """Read a submission file.

    Args:
        path: The file.
        period: The half-year it is for.
        profile: The layout it was written with; the default profile when ``None``.
        municipality: The reporting municipality (default: that of the first record).
        summary: Filled in with counts and problems.
        on_problem: Called for each rejected row; see :func:`parse_submission`.

    Raises:
        InvalidInput: If the file cannot be read, or (when problems are not collected) at
            the first problem.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror}", file=str(path)) from None
    return parse_submission(
        data,
        period=period,
        profile=profile,
        municipality=municipality,
        file=str(path),
        summary=summary,
        on_problem=on_problem,
    )
