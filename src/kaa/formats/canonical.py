"""The library's own canonical file forms for youths: long CSV and JSON / JSON Lines.

**CSV** — one row per fact, a youth's rows kept together (which lets the reader stream a file
of any size in constant memory)::

    id,record,kind,programme,municipality,start,end,cancelled
    20080812-2394,residence,folkbokford,,1882,2008-08-12,,
    20080812-2394,compulsory_school,,,,2024-06-12,,
    20080812-2394,enrolment,gymnasieskola,national,,2024-08-19,2025-02-14,yes

| record | kind | other columns |
|---|---|---|
| `youth` | | none: names a youth with no other facts |
| `residence` | home basis (`folkbokford` if empty) | municipality, start, end |
| `compulsory_school` | | start = the day completed |
| `arrival` | `after_compulsory_school_age`, … | start = day folkbokförd in Sweden |
| `enrolment` | school form (`gymnasieskola`, …) | programme, start, end, cancelled |
| `qualification` | qualification (`gymnasieexamen`, …) | start = the day issued |
| `birth_date` | | start = the birth date (samordningsnummer only) |

Dates are ISO ``YYYY-MM-DD``; ``cancelled`` is ``yes``/``no`` (also ``ja``/``nej``,
``true``/``false``, ``1``/``0``) or empty; identity numbers in any accepted form (12 digits
recommended: a 10-digit form is read against the reference day).

**JSON** — a list of youth objects (or one per line in a ``.jsonl`` file) in the shape of
:class:`kaa.model.youth.Youth`, structured by :mod:`kaa.convert`.

Every data row is accepted or reported: a youth with a bad row — a bad value, a row of the
wrong width, or a line that is not well-formed CSV (a stray quote) but starts with the youth's
identity number — is rejected whole and each of its rows is counted as rejected, so a youth
is never accepted with a fact missing; a youth whose rows are not kept together is reported (the
rule of :mod:`kaa.formats.grouping`, which the register list exports share).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from kaa.dated import iso_date
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.grouping import YouthRows, group_youth_rows
from kaa.formats.json import read_json_records
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.formats.text import MalformedRow, csv_rows
from kaa.identity import IdentityNumber
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)

__all__ = [
    "CSV_COLUMNS",
    "RECORD_TYPES",
    "read_youths",
    "read_youths_csv",
    "read_youths_json",
    "write_youths_csv",
]

CSV_COLUMNS = ("id", "record", "kind", "programme", "municipality", "start", "end", "cancelled")
"""The columns of the canonical CSV form, in order."""

RECORD_TYPES = (
    "youth",
    "residence",
    "compulsory_school",
    "arrival",
    "enrolment",
    "qualification",
    "birth_date",
)
"""The values of the ``record`` column."""

_MISSING = object()
_HEADING = re.compile(r"[a-z_]{1,40}")
"""What a heading looks like; anything else in a wrong header is not echoed (it may be data)."""

_RECORDS = frozenset(RECORD_TYPES)
_TRUE = frozenset({"yes", "ja", "true", "1"})
_FALSE = frozenset({"no", "nej", "false", "0", ""})
"""The documented words for a yes/no cell (any case); an empty cell is no."""
_ARRIVAL = {
    "after_compulsory_school_age": True,
    "during_compulsory_school_age": False,
    "": None,
}

_BASES = {b.value: b for b in HomeBasis}
_FORMS = {f.value: f for f in SchoolForm}
_PROGRAMMES = {p.value: p for p in Programme}
_QUALIFICATIONS = {q.value: q for q in QualificationKind}


def _choice(table: dict[str, Any], value: str, column: str, what: str) -> Any:
    found = table.get(value, _MISSING)  # the common case: written exactly
    if found is not _MISSING:
        return found
    try:
        return table[value.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(k for k in table if k))
        raise InvalidInput(
            f"{value!r} is not a {what}; use one of: {allowed}", column=column
        ) from None


def _date(value: str, column: str, *, required: bool) -> dt.date | None:
    found = iso_date(value)  # the common case: exactly YYYY-MM-DD
    if found is not None:
        return found
    text = value.strip()
    if not text:
        if required:
            raise InvalidInput(f"{column} is required for this record", column=column)
        return None
    found = iso_date(text)
    if found is None:
        raise InvalidInput(f"{text!r} is not a date; write it as YYYY-MM-DD", column=column)
    return found


def _flag(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(
        f"{_shown(value)} is not yes or no; write yes/no, ja/nej, true/false or 1/0",
        column=column,
    )


def _shown(value: str) -> str:
    """A cell's text for a message, unless it could be an identity number (then a mark)."""
    text = value.strip()
    digits = sum(ch.isdigit() for ch in text)
    return "the cell" if digits >= 6 or len(text) > 40 else repr(text)


_Fact = TypeVar("_Fact", Residence, Enrolment, Qualification)
_FACTS_MAX = 20_000
_RESIDENCES: dict[tuple[str, ...], Residence] = {}
_ENROLMENTS: dict[tuple[str, ...], Enrolment] = {}
_QUALIFICATIONS_BUILT: dict[tuple[str, ...], Qualification] = {}


def _interned(
    cache: dict[tuple[str, ...], _Fact], cells: tuple[str, ...], make: Callable[[], _Fact]
) -> _Fact:
    """The fact built from ``cells``, built (and validated) only the first time.

    Facts are frozen values and many youths share them (the same school start, the same home
    municipality), so each is made once and shared. A cache is emptied at
    :data:`_FACTS_MAX` entries, so memory stays bounded.
    """
    value = cache.get(cells)
    if value is None:
        if len(cache) >= _FACTS_MAX:
            cache.clear()
        value = cache[cells] = make()
    return value


@attrs.define
class _Builder(YouthRows):
    """Collects the rows of one youth."""

    birth_date: dt.date | None = None
    residences: list[Residence] = attrs.Factory(list)
    compulsory: dt.date | None = None
    arrival: dt.date | None = None
    arrival_after: bool | None = None
    enrolments: list[Enrolment] = attrs.Factory(list)
    qualifications: list[Qualification] = attrs.Factory(list)

    def add(self, row: list[str] | MalformedRow, line: int) -> None:
        if isinstance(row, MalformedRow):
            raise InvalidInput(row.message)
        if len(row) != len(CSV_COLUMNS):
            raise InvalidInput(f"row has {len(row)} fields, expected {len(CSV_COLUMNS)}")
        record = row[1] if row[1] in _RECORDS else row[1].strip().lower()
        if record == "residence":
            self.residences.append(
                _interned(
                    _RESIDENCES, (row[2], row[4], row[5], row[6]), lambda: self._residence(row)
                )
            )
        elif record == "enrolment":
            self.enrolments.append(
                _interned(_ENROLMENTS, tuple(row[2:8]), lambda: self._enrolment(row))
            )
        elif record == "qualification":
            self.qualifications.append(
                _interned(_QUALIFICATIONS_BUILT, (row[2], row[5]), lambda: self._qualification(row))
            )
        elif record == "compulsory_school":
            self._once("compulsory", _date(row[5], "start", required=True), "compulsory_school")
        elif record == "arrival":
            self._once("arrival", _date(row[5], "start", required=True), "arrival")
            self.arrival_after = _choice(_ARRIVAL, row[2], "kind", "arrival kind")
        elif record == "youth":
            pass  # names the youth only: for a youth with no other facts
        elif record == "birth_date":
            self._once("birth_date", _date(row[5], "start", required=True), "birth_date")
        else:
            raise InvalidInput(
                f"{row[1]!r} is not a record type; use one of: {', '.join(RECORD_TYPES)}",
                column="record",
            )

    @staticmethod
    def _residence(row: list[str]) -> Residence:
        kind = row[2].strip().lower() or "folkbokford"
        code = row[4].strip()
        if not code:
            raise InvalidInput("municipality is required for a residence", column="municipality")
        return Residence(
            municipality=code,
            basis=_choice(_BASES, kind, "kind", "home basis"),
            start=_date(row[5], "start", required=False),
            end=_date(row[6], "end", required=False),
        )

    @staticmethod
    def _qualification(row: list[str]) -> Qualification:
        return Qualification(
            kind=_choice(_QUALIFICATIONS, row[2], "kind", "qualification"),
            issued=_date(row[5], "start", required=True),  # type: ignore[arg-type]
        )

    @staticmethod
    def _enrolment(row: list[str]) -> Enrolment:
        return Enrolment(
            school_form=_choice(_FORMS, row[2], "kind", "school form"),
            programme=_choice(_PROGRAMMES, row[3] or "none", "programme", "programme"),
            start=_date(row[5], "start", required=True),  # type: ignore[arg-type]
            end=_date(row[6], "end", required=False),
            cancelled=_flag(row[7], "cancelled"),
        )

    def _once(self, attribute: str, value: dt.date | None, record: str) -> None:
        if getattr(self, attribute) is not None:
            raise InvalidInput(f"a youth can have only one {record} row", column="record")
        setattr(self, attribute, value)

    def build(self) -> Youth:
        return Youth(
            id=self.id,
            birth_date=self.birth_date,
            residences=tuple(self.residences),
            compulsory_school_completed=self.compulsory,
            folkbokford_in_sweden=self.arrival,
            arrived_after_compulsory_school_age=self.arrival_after,
            enrolments=tuple(self.enrolments),
            qualifications=tuple(self.qualifications),
        )


def read_youths_csv(
    stream: IO[str],
    *,
    file: str = "<stream>",
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Youth]:
    """Stream youths from the canonical CSV form.

    Args:
        stream: An open text stream (opened with ``newline=""``).
        file: The name used in problems.
        summary: Filled in as rows are read (counts and problems).
        reference_day: The day 10-digit identity numbers are read against (today if ``None``).
        on_problem: Called for each problem as it is found (for ``--strict``, raise there).

    Yields:
        Each youth whose rows were all valid, as soon as its last row has been read.

    Raises:
        InvalidInput: If the header is not the canonical one.
    """
    summary = summary if summary is not None else ReadSummary(file=file)
    header: list[str] | None = None
    width = len(CSV_COLUMNS)

    def problem(p: Problem) -> None:
        add_problem(summary, on_problem, p)

    pending: deque[tuple[int, str]] = deque()
    """The physical lines read but not yet handed on (a quote left open swallows lines)."""

    def physical() -> Iterator[str]:
        for number, text in enumerate(stream, start=1):
            pending.append((number, text))
            yield text

    def text_of(line: int) -> str:
        """The text of physical line ``line``; the lines before it are forgotten."""
        found = ""
        while pending and pending[0][0] <= line:
            number, text = pending.popleft()
            if number == line:
                found = text
        return found

    def data_rows() -> Iterator[tuple[int, str, list[str] | MalformedRow]]:
        nonlocal header
        for line, row in csv_rows(physical(), ","):
            if isinstance(row, MalformedRow):
                if header is None:
                    raise InvalidInput(f"the header row is not CSV: {row.message}", file=file)
                summary.rows_read += 1
                written = _written_id(text_of(line), reference_day)
                if written is not None:  # the youth is known: the row rejects it whole
                    yield line, written, row
                    continue
                summary.rows_rejected += 1
                problem(Problem(file=file, line=line, message=row.message))
                continue
            if len(pending) > 64:
                text_of(line)
            if header is None:
                header = [cell.strip().lstrip("\ufeff").lower() for cell in row]
                if tuple(header[:width]) != CSV_COLUMNS:
                    found = [h for h in header if _HEADING.fullmatch(h)] or ["(no heading)"]
                    raise InvalidInput(
                        f"the header must be {','.join(CSV_COLUMNS)}; found {','.join(found)}",
                        file=file,
                        line=line,
                    )
                continue
            summary.rows_read += 1
            if len(row) == len(header) > width and not any(c.strip() for c in row[width:]):
                row = row[:width]  # empty cells under the header's extra columns
            # any other width rejects the youth (in add): an extra or lost separator in the
            # middle of a row would move the values after it into the wrong columns
            yield line, row[0], row

    def finish(builder: _Builder) -> Youth | None:
        if builder.bad:
            summary.rows_rejected += len(builder.lines)
            if len(builder.lines) > 1:
                problem(
                    Problem(
                        file=file,
                        line=builder.first_line,
                        youth=builder.id.masked(),
                        message=(
                            f"youth not assessed: rows on lines "
                            f"{_ranges(builder.lines)} rejected because of the problems above"
                        ),
                    )
                )
            return None
        try:
            youth = builder.build()
        except InvalidInput as exc:
            summary.rows_rejected += len(builder.lines)
            problem(
                Problem.from_error(
                    exc, file=file, line=builder.first_line, youth=builder.id.masked()
                )
            )
            return None
        summary.rows_accepted += len(builder.lines)
        summary.records += 1
        return youth

    yield from group_youth_rows(
        data_rows(),
        parse=lambda raw: IdentityNumber.parse(raw, on=reference_day),
        start=_Builder,
        add=_Builder.add,
        finish=finish,
        returned=lambda first: (
            "this youth's rows appeared earlier in the file; keep all rows "
            "of a youth together (this row was not used)"
        ),
        id_column="id",
        file=file,
        summary=summary,
        on_problem=on_problem,
    )
    if header is None:
        raise InvalidInput("the file is empty: no header row", file=file, line=1)


def _written_id(text: str, reference_day: dt.date | None) -> str | None:
    """The identity number a malformed line starts with, if its first cell holds a valid one
    (quotes around it ignored), so that the line rejects its youth whole; else ``None``."""
    first = text.split(",", 1)[0].strip()
    if first.startswith('"'):  # "20080812-2394 (never closed) or "20080812-2394"x
        first = first[1:].split('"', 1)[0].strip()
    if not first:
        return None
    try:
        IdentityNumber.parse(first, on=reference_day)
    except InvalidIdentityNumber:
        return None
    return first


def _ranges(lines: list[int]) -> str:
    parts: list[str] = []
    start = prev = lines[0]
    for n in lines[1:]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
        start = prev = n
    parts.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def read_youths_json(
    stream: IO[str],
    *,
    file: str = "<stream>",
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    lines: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Youth]:
    """Read youths from JSON: a list of youth objects, or one object per line (JSON Lines).

    Args:
        stream: An open text stream.
        file: The name used in problems.
        summary: Filled in as records are read.
        reference_day: The day 10-digit identity numbers are read against.
        lines: ``True`` for JSON Lines (streamed), ``False`` for one JSON array.
        on_problem: Called for each problem as it is found.

    Yields:
        Each valid youth.

    Raises:
        InvalidInput: If the file is not JSON, or not a list.
    """
    return read_json_records(
        stream,
        Youth,
        identity=lambda y: y.id,
        raw_identity=lambda item: item.get("id"),
        what="youth",
        file=file,
        summary=summary,
        reference_day=reference_day,
        lines=lines,
        on_problem=on_problem,
    )


def read_youths(
    path: Path,
    *,
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Youth]:
    """Read youths from a canonical ``.csv``, ``.json`` or ``.jsonl`` file, by its suffix.

    The file is read as UTF-8 (with or without a byte-order mark).

    Raises:
        InvalidInput: If the suffix is not one of those, or the file cannot be read.
    """
    suffix = path.suffix.lower()
    name = str(path)
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
    with stream:
        try:
            if suffix == ".csv":
                yield from read_youths_csv(
                    stream,
                    file=name,
                    summary=summary,
                    reference_day=reference_day,
                    on_problem=on_problem,
                )
            elif suffix in (".json", ".jsonl", ".ndjson"):
                yield from read_youths_json(
                    stream,
                    file=name,
                    summary=summary,
                    reference_day=reference_day,
                    lines=suffix != ".json",
                    on_problem=on_problem,
                )
            else:
                raise InvalidInput(
                    f"unknown file type {suffix!r}: use .csv, .json or .jsonl", file=name
                )
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the file is not UTF-8 (byte {exc.start}): save it as UTF-8", file=name
            ) from None


def _csv_rows(youth: Youth) -> Iterator[list[str]]:
    ident = youth.id.full("long")

    def row(
        record: str,
        kind: str = "",
        programme: str = "",
        municipality: str = "",
        start: dt.date | None = None,
        end: dt.date | None = None,
        cancelled: str = "",
    ) -> list[str]:
        return [
            ident,
            record,
            kind,
            programme,
            municipality,
            start.isoformat() if start else "",
            end.isoformat() if end else "",
            cancelled,
        ]

    if youth.birth_date is not None:
        yield row("birth_date", start=youth.birth_date)
    for r in youth.residences:
        yield row("residence", r.basis.value, municipality=r.municipality, start=r.start, end=r.end)
    if youth.compulsory_school_completed is not None:
        yield row("compulsory_school", start=youth.compulsory_school_completed)
    if youth.folkbokford_in_sweden is not None:
        after = youth.arrived_after_compulsory_school_age
        kind = next(k for k, v in _ARRIVAL.items() if v is after)
        yield row("arrival", kind, start=youth.folkbokford_in_sweden)
    for e in youth.enrolments:
        yield row(
            "enrolment",
            e.school_form.value,
            e.programme.value,
            start=e.start,
            end=e.end,
            cancelled="yes" if e.cancelled else "no",
        )
    for q in youth.qualifications:
        yield row("qualification", q.kind.value, start=q.issued)
    if not (
        youth.birth_date
        or youth.residences
        or youth.compulsory_school_completed
        or youth.folkbokford_in_sweden
        or youth.enrolments
        or youth.qualifications
    ):
        yield row("youth")


def write_youths_csv(youths: Iterable[Youth], stream: IO[str]) -> int:
    """Write youths in the canonical CSV form, with whole identity numbers.

    This is an explicit output writer for storage and test data: identity numbers are
    written whole so the file can be read back.

    Returns:
        The number of data rows written.
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for youth in youths:
        for row in _csv_rows(youth):
            writer.writerow(row)
            rows += 1
    return rows


def dumps_csv(youths: Iterable[Youth]) -> str:
    """The canonical CSV text for ``youths`` (see :func:`write_youths_csv`)."""
    buffer = io.StringIO()
    write_youths_csv(youths, buffer)
    return buffer.getvalue()
