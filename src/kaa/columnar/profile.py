"""A vendor's list export (``ist``, ``ber``, ``hypernet`` or any column profile) read over
columns, with the reference reader for every youth the columns cannot accept with certainty.

The reference is :func:`kaa.adapters.tabular.read_table` and :func:`kaa.rules.target_group.assess`;
this module sits below :mod:`kaa.adapters` (the layers of ``docs/architecture.md``), so the
caller hands it the profile (:class:`Profile`, which
:class:`~kaa.adapters.profile.ColumnProfile` is) and the reference reader itself
(:data:`Reference`). What the columns decide they decide with the reference's own tables and
parsers: every distinct cell text of a column is looked up once with the profile's value
table and :func:`~kaa.formats.text.normalise_value`, :func:`~kaa.formats.text.parse_date`
with the profile's date forms, :func:`~kaa.municipalities.is_municipality_code`, so the two
cannot disagree on a word or a date.

The file is read twice, in line-aligned chunks of about :data:`CHUNK_BYTES`:

1. **Who is who.** The encoding, the separator and the heading row are the reference's own
   (:func:`kaa.formats.text.open_table`, and the reference reader run over the lines up to
   the heading row, which adds its notices and refuses what it refuses). Every line's
   identity number is decided over the column (:mod:`kaa.columnar.identity`); a line the
   columns cannot decide (a quote, a short or long row, an unusual form of the number) is
   decided by the ``csv`` module and :func:`~kaa.formats.text.parse_identity`, as the
   reference sees it. Consecutive rows with one number are one youth.
2. **The rows.** A youth is read over the columns when every row of it is plain (no quote,
   exactly the heading row's number of cells) and every cell is certain: each word is in
   its value table, each date is a date, each kommunkod is one, an enrolment has both its
   school form and its start and ends no earlier than it starts, a certificate has its day,
   the facts a youth has once (the day compulsory school was completed, the registration,
   the name, …) are written alike on all its rows, a KAA case is complete, and nothing
   would give a notice (an address of a youth with protected identity, a part of an
   address missing, an unknown word in a protection column). Every other youth — and every
   youth whose rows come back later in the file, with the lines between, and every line
   that is no youth's row (a bad number, a malformed or repeated heading row), with the
   youth before it — is read by the **reference reader** over exactly those lines; its
   problems and notices are the reference's own, handed on in file order.

A file the columns cannot take at all is read by the reference whole (:class:`WholeFile`):
a workbook (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``: the reference reads it), UTF-16, a
carriage return that is not part of a line end, a file the reference refuses at its
heading row, a field the profile maps that this module does not know, a youth whose rows
are more than :data:`MAX_REGION_LINES` lines apart.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from kaa.columnar.canonical import reference_spans, runs_of
from kaa.columnar.engine import Batch, Equivalence, render_decision
from kaa.columnar.evaluate import Evaluator, Rulings
from kaa.columnar.identity import identity_columns
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.grouping import compact_key
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.formats.text import (
    MalformedRow,
    Table,
    csv_rows,
    normalise_heading,
    normalise_value,
    open_table,
    parse_date,
    parse_identity,
)
from kaa.model.youth import Youth
from kaa.municipalities import is_municipality_code
from kaa.rules.target_group import assess

try:
    import polars as pl
except ImportError:  # pragma: no cover - the extra kaa[fast] is not installed
    pl = None  # type: ignore[assignment]

__all__ = [
    "CHUNK_BYTES",
    "FIELDS_READ",
    "MAX_REGION_LINES",
    "WORKBOOKS",
    "Profile",
    "Record",
    "Reference",
    "WholeFile",
    "assess_export",
]

CHUNK_BYTES = 4194304
"""About how much of the file is held at a time."""

MAX_REGION_LINES = 100_000
"""The longest run of lines handed to the reference reader at once."""

WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
"""File name endings the reference reads as workbooks (never over columns here)."""

_HEADER_SEARCH = 20
"""How many non-blank rows the reference searches for the heading row."""

_QUICK = 4000
"""A line longer than this (in bytes) is read by the reference (far below the ``csv``
module's field limit)."""

_DATES = (
    "compulsory_school_completed",
    "arrived",
    "registered",
    "kaa_end",
    "residence_start",
    "enrolment_start",
    "enrolment_end",
    "qualification_date",
)
_CODED = (
    "home_basis",
    "school_form",
    "programme",
    "cancelled",
    "qualification",
    "arrived_after_compulsory_school_age",
    "registration_source",
    "registration_reason",
    "activity",
    "kaa_end_reason",
)
_TEXTS = (
    "name",
    "first_name",
    "last_name",
    "street",
    "postal_code",
    "city",
    "email",
    "phone",
    "case_worker",
)
_SINGLE = (
    "compulsory_school_completed",
    "arrived",
    "arrived_after_compulsory_school_age",
    "registered",
    "registration_source",
    "registration_reason",
    "activity",
    "kaa_end",
    "kaa_end_reason",
    *_TEXTS,
)
"""Fields a youth has once: read over the columns only when written alike on all its rows."""
_ADDRESS = ("street", "postal_code", "city")

FIELDS_READ = frozenset(("id", "municipality", "protected", *_DATES, *_CODED, *_TEXTS))
"""The profile fields this module reads; a profile mapping any other sends the file to the
reference whole."""

_BAD = "!"
"""A looked-up cell the reference would not accept (or would give a notice for)."""


class Profile(Protocol):
    """What is read from a column profile (:class:`kaa.adapters.profile.ColumnProfile`)."""

    @property
    def columns(self) -> Mapping[str, tuple[str, ...]]:
        """For each field, the headings that may hold it."""
        ...

    @property
    def values(self) -> Mapping[str, Mapping[str, Any]]:
        """For each coded field, export words (normalised) → the library's value."""
        ...

    @property
    def date_formats(self) -> tuple[str, ...]:
        """The date forms tried."""
        ...

    @property
    def encoding(self) -> str:
        """``auto`` or an encoding."""
        ...

    @property
    def delimiter(self) -> str:
        """``auto`` or a separator."""
        ...

    @property
    def municipality(self) -> str | None:
        """The kommunkod used for rows when the export has no column for it."""
        ...

    def headings(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """``(field, headings)`` for every mapped field, in the reference's order."""
        ...


class Record(Protocol):
    """What the reference reader yields per youth (:class:`kaa.adapters.base.SourceRecord`)."""

    @property
    def youth(self) -> Youth:
        """The youth's facts."""
        ...


Reference = Callable[[Table, ReadSummary, Callable[[Problem], None] | None], Iterable[Record]]
"""The reference reader over an opened table: ``(table, summary, on_problem)`` → records
(:func:`kaa.adapters.tabular.read_table` with the profile, the source name and the reference
day bound)."""


class WholeFile(Exception):
    """The columns cannot take this file: the reference reads it whole."""


@attrs.frozen
class _Layout:
    """The file as the reference opens it, and the heading row resolved."""

    name: str
    encoding: str
    delimiter: str
    header_line: int
    header: list[str]
    index: dict[str, int]
    protection: tuple[int, ...]
    width: int
    notices: int
    """How many notices the reference adds when it reads the heading row alone."""
    line_by_line: bool
    """Whether the reference already reads every line on its own (a malformed line came
    before the heading row)."""


def _local(summary: ReadSummary) -> ReadSummary:
    return type(summary)(file=summary.file)


def _notices(summary: ReadSummary) -> list[Problem]:
    found = getattr(summary, "notices", None)
    return found if isinstance(found, list) else []


def _layout(
    path: Path,
    profile: Profile,
    reference: Reference,
    summary: ReadSummary,
) -> _Layout:
    """Open the file as the reference does, find and resolve the heading row, and let the
    reference read the lines up to it (its notices go to ``summary``; what it refuses, it
    raises).

    Raises:
        WholeFile: If the columns cannot take the file.
        InvalidInput: As the reference raises at the heading row.
    """
    if path.suffix.lower() in WORKBOOKS:
        raise WholeFile("a workbook")
    unknown = set(profile.columns) - FIELDS_READ
    if unknown:
        raise WholeFile(f"a field not read over columns: {', '.join(sorted(unknown))}")
    try:
        table = open_table(path, encoding=profile.encoding, delimiter=profile.delimiter)
    except InvalidInput:
        raise WholeFile("the reference decides") from None
    rows = table.rows
    head: list[tuple[int, list[str] | MalformedRow]] = []
    header: list[str] | None = None
    header_line = 0
    id_names = {normalise_heading(h) for h in profile.columns.get("id", ())}
    try:
        for line, row in rows:
            head.append((line, row))
            if not isinstance(row, MalformedRow) and id_names & {normalise_heading(c) for c in row}:
                header, header_line = row, line
                break
            if len(head) >= _HEADER_SEARCH:
                break
    except InvalidInput:
        raise WholeFile("the reference decides") from None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if header is None or table.encoding in (None, "utf-16") or table.delimiter is None:
        raise WholeFile("the reference decides")
    name, encoding, delimiter = table.name, table.encoding, table.delimiter
    # the reference reads the lines up to the heading row: its notices, its refusals
    for _ in reference(Table(name, iter(head), encoding, delimiter), summary, None):
        pass  # pragma: no cover - no data row is given
    alone = _local(summary)
    for _ in reference(
        Table(name, iter([(header_line, header)]), encoding, delimiter), alone, None
    ):
        pass  # pragma: no cover - no data row is given
    index, protection = _resolve(profile, header)
    if "id" not in index:
        raise WholeFile("no identity column")  # pragma: no cover - the reference refused
    return _Layout(
        name=name,
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        header=header,
        index=index,
        protection=protection,
        width=len(header),
        notices=len(_notices(alone)),
        line_by_line=any(isinstance(row, MalformedRow) for _, row in head),
    )


def _resolve(profile: Profile, row: list[str]) -> tuple[dict[str, int], tuple[int, ...]]:
    """The column of each field, as the reference resolves the heading row (first heading
    found wins; every ``protected`` heading is read)."""
    normalised = [normalise_heading(c) for c in row]
    index: dict[str, int] = {}
    protection: dict[int, None] = {}
    for field, names in profile.headings():
        for name in names:
            wanted = normalise_heading(name)
            if wanted in normalised:
                at = normalised.index(wanted)
                if field == "protected":
                    protection.setdefault(at)
                    index.setdefault(field, at)
                    continue
                index[field] = at
                break
    return index, tuple(protection)


def _chunks(path: Path, layout: _Layout) -> Iterator[tuple[int, list[str]]]:
    """``(number of the first line, lines without their line ends)`` after the heading row,
    in chunks.

    Raises:
        WholeFile: If a chunk does not decode, or has a carriage return inside a line.
    """
    line = 1
    rest = b""
    first = True
    encoding = layout.encoding
    with path.open("rb") as f:
        while True:
            data = f.read(CHUNK_BYTES)
            buffer = rest + data
            if data:
                cut = buffer.rfind(b"\n")
                if cut < 0:
                    rest = buffer
                    continue
                piece, rest = buffer[: cut + 1], buffer[cut + 1 :]
            else:
                piece, rest = buffer, b""
            if not piece:
                return
            if b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n"):
                raise WholeFile("a carriage return inside a line")
            try:
                text = piece.decode(encoding if first else _after_first(encoding))
            except UnicodeDecodeError:
                raise WholeFile("does not decode") from None
            first = False
            if "\r" in text:  # every carriage return ends a line (checked above)
                text = text.replace("\r\n", "\n")
            lines = text.split("\n")
            if lines[-1] == "":
                lines.pop()
            skip = max(layout.header_line + 1 - line, 0)
            if skip < len(lines):
                yield line + skip, lines[skip:]
            line += len(lines)
            if not data:
                return


def _after_first(encoding: str) -> str:
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding


# --- pass 1: who is who ---------------------------------------------------------------------


def _quick(layout: _Layout) -> pl.Expr:
    """A line the ``csv`` module reads as the text split at its separators, with the heading
    row's number of cells."""
    text = pl.col("text")
    return (
        ~text.str.contains('"', literal=True)
        & ~text.str.contains("\x00", literal=True)
        & (text.str.len_bytes() <= _QUICK)
        & (text.str.count_matches(layout.delimiter, literal=True) == layout.width - 1)
    )


def _python_key(text: str, layout: _Layout, on: dt.date) -> tuple[int | None, bool, bool]:
    """The key of one line as the reference groups it (``None``: the line is no youth's row),
    whether it is no row at all (blank), and whether it is malformed on its own."""
    try:
        cells = next(csv.reader((text + "\n",), delimiter=layout.delimiter, strict=True), [])
    except csv.Error:
        return None, False, True
    if not any(cell.strip() for cell in cells):
        return None, True, False
    if len(cells) != layout.width:
        return None, False, False
    raw = cells[layout.index["id"]].strip()
    if not raw:
        return None, False, False
    try:
        return compact_key(parse_identity(raw, on=on)), False, False
    except InvalidIdentityNumber:
        return None, False, False


def _keys(lines: list[str], layout: _Layout, on: dt.date) -> tuple[pl.DataFrame, int | None]:
    """Per line: ``blank`` (no row) and ``key`` (``null`` for a line that is no youth's row);
    and the index of the first line that is malformed on its own, if any."""
    d = re.escape(layout.delimiter)
    at = layout.index["id"]
    text = pl.col("text")
    cell = text.str.extract(f"^(?:[^{d}]*{d}){{{at}}}([^{d}]*)", 1) if at else None
    if cell is None:
        comma = text.str.find(layout.delimiter, literal=True)
        cell = text.str.slice(0, comma.fill_null(text.str.len_chars()))
    frame = pl.DataFrame({"text": lines}, schema={"text": pl.String}).with_columns(
        quick=_quick(layout),
        blank=text.str.contains(f"^[ \\t{d}]*$"),
        cell=cell,
    )
    changed = (pl.col("cell") != pl.col("cell").shift(1)).fill_null(True)
    frame = frame.with_columns(run=changed.cum_sum() - 1)
    firsts = identity_columns(frame.filter(changed).select("cell"), "cell", on)["key"]
    frame = frame.with_columns(
        key=pl.when("quick").then(firsts.gather(frame["run"])).otherwise(None)
    )
    unsure = frame.select((~pl.col("blank") & pl.col("key").is_null()).arg_true()).to_series()
    fault: int | None = None
    if len(unsure):
        keys = frame["key"].to_list()
        blank = frame["blank"].to_list()
        for i in unsure.to_list():
            keys[i], blank[i], malformed = _python_key(lines[i], layout, on)
            if malformed and fault is None:
                fault = i
        frame = frame.with_columns(
            key=pl.Series(keys, dtype=pl.Int64), blank=pl.Series(blank, dtype=pl.Boolean)
        )
    keys_frame = frame.select(
        "blank", pl.when(pl.col("blank")).then(None).otherwise("key").alias("key")
    )
    return keys_frame, fault


@attrs.frozen
class _Plan:
    """What pass 1 found.

    Attributes:
        first: The number of the first line after the heading row.
        keys: Per line from ``first`` on, the key of its youth (``null``: no youth's row).
        blank: Per line from ``first`` on, whether it is no row.
        regions: ``(first, last)`` runs of lines for the reference (sorted, disjoint).
        cuts: Lines a chunk may start at (a youth starts there outside every region).
        fault: The first malformed line while the reference still reads the file in one
            piece (:func:`kaa.formats.text.csv_rows`), and what it reads there (it may
            read on past the line); every line after it, the reference reads on its own.
    """

    first: int
    keys: pl.Series
    blank: pl.Series
    regions: list[tuple[int, int]]
    cuts: pl.Series
    fault: tuple[int, list[str] | MalformedRow] | None = None


def _plan(path: Path, layout: _Layout, on: dt.date) -> _Plan:
    keys: list[pl.Series] = []
    blanks: list[pl.Series] = []
    fault: int | None = None
    for at, lines in _chunks(path, layout):
        frame, malformed = _keys(lines, layout, on)
        if malformed is not None and fault is None:
            fault = at + malformed
        keys.append(frame["key"])
        blanks.append(frame["blank"])
    first = layout.header_line + 1
    key_series = pl.concat(keys) if keys else pl.Series([], dtype=pl.Int64)
    blank_series = pl.concat(blanks) if blanks else pl.Series([], dtype=pl.Boolean)
    del keys, blanks
    runs = runs_of(key_series, blank_series, first)
    spans = reference_spans(runs)
    regions: list[tuple[int, int]] = []
    for a, b in spans.iter_rows():
        if regions and a <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(b, regions[-1][1]))
        else:
            regions.append((a, b))
        if regions[-1][1] - regions[-1][0] >= MAX_REGION_LINES:
            raise WholeFile("a youth's rows are too far apart")
    starts = runs["first"]
    if regions:
        bounds = pl.DataFrame(regions, schema={"rf": pl.Int64, "rl": pl.Int64}, orient="row")
        inside = (
            pl.DataFrame({"first": starts})
            .join_asof(bounds, left_on="first", right_on="rf", strategy="backward")
            .select(
                ((pl.col("rf") < pl.col("first")) & (pl.col("first") <= pl.col("rl"))).fill_null(
                    False
                )
            )
            .to_series()
        )
        starts = starts.filter(~inside)
    read_at_fault = None
    if fault is not None and not layout.line_by_line:
        read_at_fault = (fault, _read_in_one_piece(path, layout, fault))
    return _Plan(
        first=first,
        keys=key_series,
        blank=blank_series,
        regions=regions,
        cuts=starts,
        fault=read_at_fault,
    )


def _read_in_one_piece(path: Path, layout: _Layout, fault: int) -> list[str] | MalformedRow:
    """What the reference reads at line ``fault`` while it reads the file in one piece (a
    quote left open there may be closed lines later, and the fault worded from there)."""

    def rest() -> Iterator[str]:
        for at, lines in _chunks(path, layout):
            for text in lines[max(fault - at, 0) :]:
                yield text + "\n"

    for _, row in csv_rows(rest(), layout.delimiter):
        return row
    return MalformedRow("")  # pragma: no cover - the line is not blank


def _line_row(text: str, delimiter: str) -> list[str] | MalformedRow | None:
    """One line as the reference reads it on its own (``None``: blank)."""
    for _, row in csv_rows((text + "\n",), delimiter):
        return row
    return None


def _read_chunks(path: Path, layout: _Layout, plan: _Plan) -> Iterator[tuple[int, list[str]]]:
    """Pass 2: the lines again, in chunks cut only where a youth starts outside a region."""
    carry: list[str] = []
    carry_first = plan.first
    cuts = plan.cuts
    for first, lines in _chunks(path, layout):
        if carry:
            lines = carry + lines
            first = carry_first
        end = first + len(lines)
        i = int(cuts.search_sorted(end, side="left")) - 1
        cut = int(cuts[i]) if i >= 0 else None
        if cut is None or cut <= first:
            carry, carry_first = lines, first
            continue
        yield first, lines[: cut - first]
        carry, carry_first = lines[cut - first :], cut
    if carry:
        yield carry_first, carry


# --- pass 2: the rows -----------------------------------------------------------------------


class _Lookups:
    """Each distinct cell text of a column, looked up once the way the reference reads it.

    A looked-up value is a text: ``""`` for no value, :data:`_BAD` for a cell the reference
    would reject (or give a notice for), else the value (an enum's value, ``1``/``0`` for a
    yes/no field, an ISO date, a kommunkod).
    """

    def __init__(self, profile: Profile, layout: _Layout) -> None:
        self.profile = profile
        self.layout = layout
        self.memo: dict[str, dict[str, str]] = {}

    def _date(self, raw: str) -> str:
        text = raw.strip()
        if not text:
            return ""
        try:
            return parse_date(text, self.profile.date_formats).isoformat()
        except InvalidInput:
            return _BAD

    def _coded(self, field: str, raw: str) -> str:
        text = raw.strip()
        if not text and field in _SINGLE:
            return ""  # a fact a youth has once is set only from a filled cell
        table = self.profile.values[field]
        key = normalise_value(text)
        if key in table:
            value = table[key]
            if isinstance(value, bool):
                return "1" if value else "0"
            return str(getattr(value, "value", value))
        return "" if not text else _BAD

    def _protection(self, raw: str) -> str:
        value = self.profile.values["protected"].get(normalise_value(raw.strip()))
        if value is None:
            return _BAD  # read as protected, with a notice: the reference reads it
        return "1" if value else "0"

    def _municipality(self, raw: str) -> str:
        code = raw.strip()
        if not code:
            return ""
        code = code.zfill(4) if code.isdigit() and len(code) == 3 else code
        return code if is_municipality_code(code) else _BAD

    def _filled(self, raw: str) -> str:
        return "1" if raw.strip() else ""

    def function(self, field: str) -> Callable[[str], str]:
        if field in _DATES:
            return self._date
        if field in _CODED:
            return lambda raw: self._coded(field, raw)
        if field == "protected":
            return self._protection
        if field == "municipality":
            return self._municipality
        return self._filled

    def column(self, column: str, field: str, values: pl.Series) -> pl.Series:
        """``values`` (the raw cells of ``column``) looked up as ``field``."""
        memo = self.memo.setdefault(column, {})
        if len(memo) > 200_000:
            memo.clear()
        function = self.function(field)
        distinct = values.unique().to_list()
        looked = []
        for raw in distinct:
            found = memo.get(raw)
            if found is None:
                found = memo[raw] = function(raw)
            looked.append(found)
        if len(distinct) == 1:  # a column written alike on every row (often so)
            return pl.select(
                pl.repeat(looked[0], len(values), dtype=pl.String).alias(values.name)
            ).to_series()
        # only this chunk's texts: the memo grows over the file
        return values.replace_strict(distinct, looked, return_dtype=pl.String)


def _rows(
    first: int,
    lines: list[str],
    layout: _Layout,
    plan: _Plan,
    lookups: _Lookups,
) -> tuple[pl.DataFrame, list[tuple[int, int]], int]:
    """The facts of a chunk's youths read over the columns (a frame for
    :meth:`kaa.columnar.evaluate.Evaluator.decide`), the regions for the reference (in file
    order) and the number of rows read over the columns."""
    n = len(lines)
    end = first + n
    region = [False] * n
    regions: list[tuple[int, int]] = []
    for a, b in plan.regions:
        if b < first or a >= end:
            continue
        regions.append((a, b))
        for i in range(max(a, first) - first, min(b, end - 1) - first + 1):
            region[i] = True
    frame = (
        pl.DataFrame(
            {
                "text": lines,
                "region": region,
                "key": plan.keys.slice(first - plan.first, n),
                "blank": plan.blank.slice(first - plan.first, n),
            },
            schema={"text": pl.String, "region": pl.Boolean, "key": pl.Int64, "blank": pl.Boolean},
        )
        .with_columns(line=pl.int_range(first, end, dtype=pl.Int64))
        .filter(~pl.col("region") & ~pl.col("blank"))
        .with_columns(
            quick=_quick(layout),
            youth=(pl.col("key") != pl.col("key").shift(1)).fill_null(True).cum_sum(),
        )
    )
    index = layout.index
    used = sorted({at for f, at in index.items() if f != "id"} | set(layout.protection))
    quick = frame.filter("quick")
    # a quick line is the cells between its separators
    cells = quick.select(
        pl.col("text")
        .str.split_exact(layout.delimiter, layout.width - 1)
        .struct.rename_fields([f"c{at}" for at in range(layout.width)])
        .struct.field(*[f"c{at}" for at in used])
        if used
        else []
    )
    table = pl.concat([quick.select("line", "youth", "key"), cells], how="horizontal")
    looked = {}
    for field, at in index.items():
        if field in ("id", "protected"):
            continue
        looked[field] = lookups.column(f"c{at}", field, table[f"c{at}"])
    protected_cells = [
        lookups.column(f"c{at}", "protected", table[f"c{at}"]) for at in layout.protection
    ]
    table = table.with_columns(
        *[s.alias(f"v_{field}") for field, s in looked.items()],
        *[s.alias(f"p{i}") for i, s in enumerate(protected_cells)],
    )

    default = ""
    if "municipality" not in index:
        default = lookups.function("municipality")(lookups.profile.municipality or "")
        if default == _BAD:
            raise WholeFile("the default kommunkod is not one")  # pragma: no cover

    def v(field: str) -> pl.Expr:
        if field in looked:
            return pl.col(f"v_{field}")
        return pl.lit(default if field == "municipality" else "")

    bad = pl.any_horizontal(
        [pl.col(f"v_{f}") == _BAD for f in looked]
        + [pl.col(f"p{i}") == _BAD for i in range(len(protected_cells))]
        + [pl.lit(False)]
    )
    form, start, finish = v("school_form"), v("enrolment_start"), v("enrolment_end")
    row_ok = (
        ~bad
        & ((form == "") == (start == ""))
        & ((finish == "") | (start == "") | (finish >= start))
        & ((v("qualification") == "") | (v("qualification_date") != ""))
    )
    row_protected = pl.any_horizontal(
        [pl.col(f"p{i}") == "1" for i in range(len(protected_cells))]
        + [v("home_basis") == "protected"]
    )
    address = pl.any_horizontal([v(f) != "" for f in _ADDRESS])
    table = table.with_columns(row_ok=row_ok, row_protected=row_protected, address=address)
    single = [f"c{index[f]}" for f in _SINGLE if f in index]
    per_youth = table.group_by("youth", maintain_order=True).agg(
        pl.col("row_ok").all(),
        pl.col("row_protected").any().alias("protected"),
        pl.col("address").any(),
        *[(pl.col(c).n_unique() == 1).alias(f"same_{c}") for c in single],
        *[v(f).first().alias(f"once_{f}") for f in ("municipality", *_ADDRESS) if f in looked],
        *[
            v(f).first().alias(f"case_{f}")
            for f in (
                "registered",
                "registration_reason",
                "registration_source",
                "kaa_end",
                "kaa_end_reason",
            )
            if f in looked
        ],
    )

    def once(field: str, prefix: str) -> pl.Expr:
        return pl.col(f"{prefix}_{field}") if field in looked else pl.lit("")

    registered, kaa_end = once("registered", "case"), once("kaa_end", "case")
    reason, source = once("registration_reason", "case"), once("registration_source", "case")
    end_reason = once("kaa_end_reason", "case")
    whole_address = pl.all_horizontal([once(f, "once") != "" for f in _ADDRESS])
    youth_ok = (
        pl.col("row_ok")
        & pl.all_horizontal([pl.col(f"same_{c}") for c in single] + [pl.lit(True)])
        & ((once("municipality", "once") != "") if "municipality" in looked else pl.lit(True))
        & pl.when(pl.col("protected"))
        .then(~pl.col("address"))
        .otherwise(~pl.col("address") | whole_address)
        & pl.when(registered == "")
        .then((reason == "") & (source == "") & (kaa_end == "") & (end_reason == ""))
        .otherwise(
            ((kaa_end == "") == (end_reason == "")) & ((kaa_end == "") | (kaa_end >= registered))
        )
    )
    per_youth = per_youth.with_columns(ok=youth_ok)
    youths = frame.group_by("youth", maintain_order=True).agg(
        pl.col("quick").all(),
        pl.col("line").first().alias("first"),
        pl.col("line").last().alias("last"),
        pl.len().alias("rows"),
    )
    youths = youths.join(
        per_youth.select("youth", "ok", "protected"), on="youth", how="left", maintain_order="left"
    ).with_columns(ok=pl.col("quick") & pl.col("ok").fill_null(False))
    regions.extend(youths.filter(~pl.col("ok")).select("first", "last").iter_rows())
    regions.sort()
    good = youths.filter(pl.col("ok"))
    # a youth read over the columns has only quick rows: all of them are in the table
    fast_rows = int(good["rows"].sum())
    fast = table.lazy().join(
        good.lazy().select("youth", "protected"), on="youth", how="inner", maintain_order="left"
    )
    return _facts(fast, v), regions, fast_rows


def _facts(table: pl.LazyFrame, v: Callable[[str], pl.Expr]) -> pl.DataFrame:
    """The facts of the youths read over the columns as the rows of the canonical form that
    :class:`~kaa.columnar.evaluate.Evaluator` decides: each youth's residences, enrolments
    and certificates once each in the order they were first read (as the reference keeps
    them), and its compulsory-school and arrival rows."""
    empty = pl.lit("")
    base = table  # one query: each part reads only the columns it needs

    def part(
        condition: pl.Expr,
        record: str,
        kind: pl.Expr,
        programme: pl.Expr,
        municipality: pl.Expr,
        start: pl.Expr,
        end: pl.Expr,
        extra: pl.Expr,
    ) -> pl.LazyFrame:
        found = base.filter(condition).select(
            "line",
            "youth",
            "key",
            pl.lit(record).alias("record"),
            kind.alias("kind"),
            programme.alias("programme"),
            municipality.alias("municipality"),
            start.alias("start_text"),
            end.alias("end_text"),
            extra.alias("extra"),
        )
        return found.unique(
            ["youth", "kind", "programme", "municipality", "start_text", "end_text", "extra"],
            keep="first",
            maintain_order=True,
        )

    basis = (
        pl.when(pl.col("protected"))
        .then(pl.lit("protected"))
        .when(v("home_basis") != "")
        .then(v("home_basis"))
        .otherwise(pl.lit("folkbokford"))
    )
    # the table is in file order, and a youth's rows are one run of it
    first_row = (pl.col("youth") != pl.col("youth").shift(1)).fill_null(True)
    arrived, after = v("arrived"), v("arrived_after_compulsory_school_age")
    arrival_kind = (
        pl.when(after == "1")
        .then(pl.lit("after_compulsory_school_age"))
        .when(after == "0")
        .then(pl.lit("during_compulsory_school_age"))
        .otherwise(empty)
    )
    programme = pl.when(v("programme") == "").then(pl.lit("none")).otherwise(v("programme"))
    cancelled = pl.when(v("cancelled") == "1").then(pl.lit("1")).otherwise(empty)
    residence = v("municipality")
    compulsory = v("compulsory_school_completed")
    parts = [
        part(
            residence != "",
            "residence",
            basis,
            empty,
            residence,
            v("residence_start"),
            empty,
            empty,
        ),
        part(
            v("school_form") != "",
            "enrolment",
            v("school_form"),
            programme,
            empty,
            v("enrolment_start"),
            v("enrolment_end"),
            cancelled,
        ),
        part(
            v("qualification") != "",
            "qualification",
            v("qualification"),
            empty,
            empty,
            v("qualification_date"),
            empty,
            empty,
        ),
        part(
            first_row & (compulsory != ""),
            "compulsory_school",
            empty,
            empty,
            empty,
            compulsory,
            empty,
            empty,
        ),
        part(
            first_row & ((arrived != "") | (after != "")),
            "arrival",
            arrival_kind,
            empty,
            empty,
            arrived,
            empty,
            empty,
        ),
    ]
    # each part is in file order (what the evaluator needs of the rows of one kind)
    rows = pl.concat(parts)
    return rows.select(
        "line",
        "youth",
        "key",
        "record",
        "kind",
        "programme",
        "municipality",
        pl.col("start_text").str.to_date("%Y-%m-%d", strict=False).alias("start"),
        pl.col("end_text").str.to_date("%Y-%m-%d", strict=False).alias("end"),
        "start_text",
        "end_text",
    ).collect()


def _read_region(
    lines: list[str],
    region: tuple[int, int],
    *,
    first_line: int,
    layout: _Layout,
    reference: Reference,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None,
    fault: tuple[int, list[str] | MalformedRow] | None,
) -> list[Record]:
    """The records of the lines of ``region`` read by the reference, after the heading row;
    its problems and notices added to ``summary`` (problems passed to ``on_problem``)."""
    a, b = region
    rows: list[tuple[int, list[str] | MalformedRow]] = [(layout.header_line, layout.header)]
    for line, text in enumerate(lines[a - first_line : b - first_line + 1], start=a):
        if fault is not None and line == fault[0]:
            rows.append(fault)
            continue
        row = _line_row(text, layout.delimiter)
        if row is not None:
            rows.append((line, row))
    local = _local(summary)

    def problem(found: Problem) -> None:
        add_problem(summary, on_problem, found)

    table = Table(layout.name, iter(rows), layout.encoding, layout.delimiter)
    records = list(reference(table, local, problem))
    summary.rows_read += local.rows_read
    summary.rows_accepted += local.rows_accepted
    summary.rows_rejected += local.rows_rejected
    summary.records += local.records
    _notices(summary).extend(_notices(local)[layout.notices :])
    return records


def assess_export(
    path: Path,
    *,
    profile: Profile,
    reference: Reference,
    whole: Callable[[], Iterable[Record]],
    on: dt.date,
    municipality: str | None,
    rulings: Rulings,
    equivalence: Equivalence,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None = None,
    reveal_ids: bool = False,
    json_output: bool = False,
    only_in: bool = False,
) -> Iterator[Batch]:
    """Decide every youth of a list export on ``on``, over columns where certain.

    Args:
        path: The export (CSV or text; a workbook is read by the reference, ``whole``).
        profile: The column profile with any mapping file applied.
        reference: The reference reader over an opened table (see :data:`Reference`).
        whole: The reference reader over the whole file, for a file the columns cannot take
            (``source.read(path, …)``).
        on: The day of the decisions (also the reference day of 10-digit numbers, which
            ``reference`` and ``whole`` must use too).
        municipality: The municipality asking, or ``None``.
        rulings: The answers to the open questions of T3 per school form and programme.
        equivalence: The same answers youth by youth, for the youths the reference decides.
        summary: Filled in as the reference reader fills it (and its notices, for a
            :class:`~kaa.adapters.base.SourceSummary`).
        on_problem: Called with each problem, in file order.
        reveal_ids: Write whole identity numbers.
        json_output: Render JSON objects instead of CSV rows.
        only_in: Write only the youths in the target group.

    Yields:
        The decisions, chunk by chunk, in file order (for
        :func:`kaa.columnar.engine.write_batches`).

    Raises:
        InvalidInput: As the reference reader raises.
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    evaluator = Evaluator(
        on=on,
        municipality=municipality,
        rulings=rulings,
        reveal_ids=reveal_ids,
        json_output=json_output,
    )

    def render(records: Iterable[Record]) -> tuple[list[str], list[str]]:
        texts, outcomes = [], []
        for record in records:
            decision = assess(
                record.youth, on=on, municipality=municipality, equivalence=equivalence
            )
            texts.append(render_decision(decision, reveal_ids=reveal_ids, json_output=json_output))
            outcomes.append(decision.outcome.value)
        return texts, outcomes

    try:
        layout = _layout(path, profile, reference, summary)
        plan = _plan(path, layout, on)
    except (WholeFile, OSError):
        yield from _whole(render, whole, only_in=only_in)
        return
    lookups = _Lookups(profile, layout)
    for first, lines in _read_chunks(path, layout, plan):
        facts, regions, fast_rows = _rows(first, lines, layout, plan, lookups)
        decided = evaluator.decide(facts)
        summary.rows_read += fast_rows
        summary.rows_accepted += fast_rows
        summary.records += decided.height
        pieces = [decided.with_columns(order=pl.lit(0, dtype=pl.Int64))]
        for region in regions:
            records = _read_region(
                lines,
                region,
                first_line=first,
                layout=layout,
                reference=reference,
                summary=summary,
                on_problem=on_problem,
                fault=plan.fault,
            )
            if not records:
                continue
            texts, outcomes = render(records)
            pieces.append(
                pl.DataFrame(
                    {
                        "first": [region[0]] * len(texts),
                        "text": texts,
                        "outcome": outcomes,
                        "order": list(range(1, len(texts) + 1)),
                    },
                    schema={
                        "first": pl.Int64,
                        "text": pl.String,
                        "outcome": pl.String,
                        "order": pl.Int64,
                    },
                )
            )
        merged = pl.concat(pieces).sort(["first", "order"]) if len(pieces) > 1 else pieces[0]
        counts = dict.fromkeys(("in", "out", "undecided"), 0)
        for outcome, count in merged.group_by("outcome").len().iter_rows():
            counts[outcome] = count
        if only_in:
            merged = merged.filter(pl.col("outcome") == "in")
        yield Batch(texts=merged["text"].to_list(), counts=counts)


def _whole(
    render: Callable[[Iterable[Record]], tuple[list[str], list[str]]],
    whole: Callable[[], Iterable[Record]],
    *,
    only_in: bool,
) -> Iterator[Batch]:
    """The reference path, batched: for a file the columns cannot take."""
    batch: list[Record] = []

    def flush() -> Batch:
        texts, outcomes = render(batch)
        counts = dict.fromkeys(("in", "out", "undecided"), 0)
        for outcome in outcomes:
            counts[outcome] += 1
        if only_in:
            texts = [t for t, o in zip(texts, outcomes, strict=True) if o == "in"]
        batch.clear()
        return Batch(texts=texts, counts=counts)

    for record in whole():
        batch.append(record)
        if len(batch) >= 10_000:
            yield flush()
    yield flush()
