"""The canonical youths CSV read over columns, with the reference reader for every youth the
columns cannot accept with certainty.

The file is read twice, in line-aligned chunks of about :data:`CHUNK_BYTES`, so memory stays
flat whatever its size:

1. **Who is who.** Every line's identity number is decided over the column
   (:mod:`kaa.columnar.identity`); a line the columns cannot decide (a quote anywhere in it,
   an unusual form of the number) is decided by the standard library's ``csv`` module and
   :meth:`~kaa.identity.IdentityNumber.parse`, exactly as the reference reader would see it.
   Consecutive rows with the same number are one youth (the rule of
   :mod:`kaa.formats.grouping`). What is kept per youth is its compact integer key and its
   first and last line: about 24 bytes.
2. **The rows.** A youth whose rows are all plain (only ``[0-9A-Za-z_+-]`` and the seven
   commas) and valid — the record word, the enum words, dates, kommunkoder, an end not before
   its start, at most one ``compulsory_school``, ``arrival`` and ``birth_date`` row — is read
   over the columns. Everything else is read by the **reference reader**,
   :func:`kaa.formats.canonical.read_youths_csv`, over exactly those lines: a youth with a bad
   row, a row whose number is invalid, and every youth whose rows come back later in the file
   (with all the lines between its first and its last row, so the reference sees the
   youths in between as well). Their problems, line numbers and messages are the
   reference's own; they are handed on in file order.

A file the columns cannot take at all — not UTF-8, a header that is not exactly the canonical
one on the first line, a carriage return that is not part of a line end, a youth whose rows
are more than :data:`MAX_REGION_LINES` lines apart — is read by the reference reader whole
(:class:`WholeFile`).
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from kaa.columnar.identity import identity_columns
from kaa.errors import InvalidIdentityNumber
from kaa.formats.canonical import CSV_COLUMNS, read_youths_csv
from kaa.formats.grouping import compact_key
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.identity import IdentityNumber
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm, Youth
from kaa.municipalities import is_municipality_code

try:
    import polars as pl
except ImportError:  # pragma: no cover - the extra kaa[fast] is not installed
    pl = None  # type: ignore[assignment]

__all__ = [
    "CHUNK_BYTES",
    "HEADER",
    "MAX_REGION_LINES",
    "Chunk",
    "Plan",
    "Region",
    "WholeFile",
    "plan_file",
    "read_chunks",
    "read_region",
    "reference_spans",
    "runs_of",
]

CHUNK_BYTES = 4194304
"""About how much of the file is held at a time."""

MAX_REGION_LINES = 100_000
"""The longest run of lines handed to the reference reader at once (a youth whose rows are
further apart than this sends the whole file through the reference reader)."""

HEADER = ",".join(CSV_COLUMNS)
"""The header line the columnar reader accepts (anything else: the reference reads)."""

_MAX_LINE = 400
_LONG = 100_000
"""A line this long may hold a cell over the ``csv`` module's field limit: decided by it."""
_BLANK = r"^[, \t]*$"
_CELL = r"[\x01-\x21\x23-\x2b\x2d-\x7f]*"
_PLAIN = rf"^{_CELL}(?:,{_CELL}){{7}}$"
"""A line the csv module reads as the text split at its seven commas: ASCII (so that lower
case is Python's), no quote, no NUL."""
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

BASES = {b.value: b for b in HomeBasis}
"""The home-basis words of the reference reader (lower case)."""
FORMS = {f.value: f for f in SchoolForm}
"""The school-form words."""
PROGRAMMES = {p.value: p for p in Programme}
"""The programme words."""
QUALIFICATIONS = {q.value: q for q in QualificationKind}
"""The qualification words."""
ARRIVALS = {"after_compulsory_school_age": True, "during_compulsory_school_age": False, "": None}
"""The arrival words."""
_FLAGS = ("yes", "ja", "true", "1", "no", "nej", "false", "0", "")


class WholeFile(Exception):
    """The columnar reader cannot take this file: read it whole with the reference reader."""


@attrs.frozen
class Region:
    """Lines ``first`` to ``last`` (inclusive) that the reference reader reads."""

    first: int
    last: int


@attrs.frozen
class Plan:
    """What pass 1 found: who each line belongs to, and what the reference reader must read.

    Attributes:
        keys: Per line from line 2 on, the compact key of the youth the line belongs to
            (``null`` for a line the reference rejects on its own, or no row).
        blank: Per line from line 2 on, whether it is no row (every cell empty).
        starts: The first line of every run of rows with one identity number (sorted).
        regions: The runs of lines for the reference reader (sorted, disjoint).
        first_fault: The first line that is malformed CSV (from there on the reference reads
            line by line), if any.
    """

    keys: pl.Series
    blank: pl.Series
    starts: pl.Series
    regions: list[Region]
    first_fault: int | None

    def region_at(self, line: int) -> Region | None:
        """The region holding ``line``, if any."""
        firsts = [r.first for r in self.regions]
        i = bisect.bisect_right(firsts, line) - 1
        if i >= 0 and self.regions[i].last >= line:
            return self.regions[i]
        return None


def _raw_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(number of the first line, lines without their line ends)`` in chunks.

    Raises:
        WholeFile: If the file is not UTF-8 or has a carriage return inside a line.
    """
    line = 1
    rest = b""
    first = True
    with path.open("rb") as f:
        while True:
            data = f.read(CHUNK_BYTES)
            buffer = rest + data
            if not data:
                piece, rest = buffer, b""
            else:
                cut = buffer.rfind(b"\n")
                if cut < 0:
                    rest = buffer
                    continue
                piece, rest = buffer[: cut + 1], buffer[cut + 1 :]
            if not piece:
                return
            if b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n"):
                raise WholeFile("a carriage return inside a line")
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:
                raise WholeFile("not UTF-8") from None
            if first and text.startswith("\ufeff"):
                text = text[1:]
            first = False
            lines = text.split("\n")
            if lines[-1] == "":
                lines.pop()
            if "\r" in text:
                lines = [t[:-1] if t.endswith("\r") else t for t in lines]
            yield line, lines
            line += len(lines)
            if not data:
                return


def _written_id(text: str) -> str:
    """The first cell of a malformed line as the reference reads it (quotes dropped)."""
    first = text.split(",", 1)[0].strip()
    if first.startswith('"'):
        first = first[1:].split('"', 1)[0].strip()
    return first


_BLANK_LINE = -1
"""The key of a line that is no row (every cell empty)."""


def _python_key(text: str, on: dt.date) -> tuple[int | None, bool]:
    """The key of one line as the reference reader groups it — ``None`` when the line's
    number is missing or invalid (the line is rejected on its own), :data:`_BLANK_LINE`
    when the line is no row — and whether the line is malformed CSV on its own."""
    try:
        cells = next(csv.reader((text + "\n",), strict=True), [])
    except csv.Error:
        malformed = True
        raw = _written_id(text)
        if not raw:
            return None, malformed
    else:
        malformed = False
        if not any(cell.strip() for cell in cells):
            return _BLANK_LINE, malformed
        raw = cells[0]
    try:
        return compact_key(IdentityNumber.parse(raw, on=on)), malformed
    except InvalidIdentityNumber:
        return None, malformed


def _keys(lines: list[str], on: dt.date) -> tuple[pl.DataFrame, int | None]:
    """Per line: ``blank`` (no row) and ``key`` (``null`` for a line rejected on its own);
    and the index of the first line that is malformed CSV on its own, if any.

    The number is decided once per run of lines that write it the same way (the reference
    parses it only when the written text changes, too).
    """
    text = pl.col("text")
    comma = text.str.find(",", literal=True)
    frame = pl.DataFrame({"text": lines}, schema={"text": pl.String}).with_columns(
        cell=text.str.slice(0, comma.fill_null(text.str.len_chars())),
        blank=text.str.contains(_BLANK),
        quoted=text.str.contains('"', literal=True) | (text.str.len_bytes() > _LONG),
    )
    changed = (pl.col("cell") != pl.col("cell").shift(1)).fill_null(True)
    frame = frame.with_columns(run=changed.cum_sum() - 1)
    firsts = identity_columns(frame.filter(changed).select("cell"), "cell", on)["key"]
    frame = frame.with_columns(key=firsts.gather(frame["run"]))
    unsure = frame.select(
        (~pl.col("blank") & (pl.col("quoted") | pl.col("key").is_null())).arg_true()
    ).to_series()
    fault: int | None = None
    if len(unsure):
        keys = frame["key"].to_list()
        blank = frame["blank"].to_list()
        for i in unsure.to_list():
            found, malformed = _python_key(lines[i], on)
            if malformed and fault is None:
                fault = i
            if found == _BLANK_LINE:
                blank[i], keys[i] = True, None
            else:
                keys[i] = found
        frame = frame.with_columns(
            key=pl.Series(keys, dtype=pl.Int64), blank=pl.Series(blank, dtype=pl.Boolean)
        )
    frame = frame.select("blank", pl.when(pl.col("blank")).then(None).otherwise("key").alias("key"))
    return frame, fault


def runs_of(keys: pl.Series, blank: pl.Series, first: int) -> pl.DataFrame:
    """The runs of rows with one identity number, in file order: ``key`` (``null`` for a line
    that is no youth's row, a run of its own), ``first`` and ``last`` (line numbers).

    Args:
        keys: Per line, the key of its youth (``null``: no youth's row).
        blank: Per line, whether it is no row at all (not in any run).
        first: The number of the first line.
    """
    key = pl.col("key")
    start = (key.is_null() | key.shift(1).is_null() | (key != key.shift(1))).fill_null(True)
    rows = (
        pl.LazyFrame({"key": keys, "blank": blank})
        .with_columns(line=pl.int_range(first, first + len(keys), dtype=pl.Int64))
        .filter(~pl.col("blank"))
        .with_columns(start=start)
        # a run ends on the line before the next run starts (or the file ends)
        .with_columns(end=pl.col("start").shift(-1, fill_value=True))
        .collect()
    )
    firsts = rows.filter("start").select("key", pl.col("line").alias("first"))
    lasts = rows.filter("end").select(pl.col("line").alias("last"))
    return pl.concat([firsts, lasts], how="horizontal")


def reference_spans(runs: pl.DataFrame) -> pl.DataFrame:
    """The lines the reference reader must read, from the runs of :func:`runs_of`: ``first``
    and ``last`` of each span (sorted by ``first``; spans may overlap).

    A line that is no youth's row is reported before the youth read before it is finished
    (when the next youth starts), so the reference reads it with that youth; a youth whose
    rows come back later is read with every line between its first and its last row.
    """
    key = pl.col("key")
    rejected = (
        runs.lazy()
        .with_columns(
            owner=pl.when(key.is_not_null()).then(pl.col("first")).forward_fill().shift(1)
        )
        .filter(key.is_null())
        .select(
            pl.min_horizontal(pl.col("owner").fill_null(pl.col("first")), "first").alias("first"),
            "last",
        )
        .collect()
    )
    # only the keys that are in more than one run are grouped (few; a grouping of every key
    # held as much memory again as the runs)
    keyed = runs.filter(key.is_not_null())
    back = (
        keyed.filter(key.is_duplicated())
        .group_by("key")
        .agg(pl.col("first").min(), pl.col("last").max())
        .select("first", "last")
    )
    return pl.concat([rejected, back]).sort("first")


def plan_file(path: Path, on: dt.date) -> Plan:
    """Pass 1: who each line belongs to, and what the reference reader must read.

    Raises:
        WholeFile: If the columnar reader cannot take the file at all (see the module).
    """
    keys: list[pl.Series] = []
    blanks: list[pl.Series] = []
    header = False
    first_fault: int | None = None
    for first, lines in _raw_lines(path):
        if first == 1:
            if not lines or lines[0] != HEADER:
                raise WholeFile("the header is not exactly the canonical one")
            header = True
            lines = lines[1:]
            first = 2
        if not lines:
            continue
        frame, fault = _keys(lines, on)
        if fault is not None and first_fault is None:
            first_fault = first + fault
        keys.append(frame["key"])
        blanks.append(frame["blank"])
    if not header:
        raise WholeFile("the file is empty")
    key_series = pl.concat(keys) if keys else pl.Series([], dtype=pl.Int64)
    blank_series = pl.concat(blanks) if blanks else pl.Series([], dtype=pl.Boolean)
    del keys, blanks
    runs = runs_of(key_series, blank_series, 2)
    if runs.height == 0:
        return Plan(
            keys=key_series,
            blank=blank_series,
            starts=pl.Series([], dtype=pl.Int64),
            regions=[],
            first_fault=None,
        )
    spans = reference_spans(runs)
    if first_fault is not None:
        # The first malformed line may swallow the lines after it (a quote left open), as
        # the reference reads the file in one piece until then: the reference reads them
        # all, with the youths they belong to.
        extent = _fault_extent(path, first_fault)
        firsts = runs["first"]
        lasts = runs["last"]
        at = int(firsts.search_sorted(first_fault, side="right")) - 1
        upto = int(firsts.search_sorted(extent, side="right")) - 1
        spans = pl.concat(
            [
                spans,
                pl.DataFrame(
                    {"first": [int(firsts[max(at, 0)])], "last": [int(lasts[max(upto, 0)])]},
                    schema={"first": pl.Int64, "last": pl.Int64},
                ),
            ]
        ).sort("first")
    regions: list[Region] = []
    for a, b in spans.iter_rows():
        if regions and a <= regions[-1].last:
            if b > regions[-1].last:
                regions[-1] = Region(regions[-1].first, b)
        else:
            regions.append(Region(a, b))
        if regions[-1].last - regions[-1].first >= MAX_REGION_LINES:
            raise WholeFile("a youth's rows are too far apart")
    return Plan(
        keys=key_series,
        blank=blank_series,
        starts=runs["first"],
        regions=regions,
        first_fault=first_fault,
    )


def _fault_extent(path: Path, fault: int) -> int:
    """The last line the ``csv`` module reads for the row that starts on line ``fault`` when
    it reads the file in one piece (as :func:`kaa.formats.text.csv_rows` does until the
    first malformed row)."""
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal consumed
        for first, lines in _raw_lines(path):
            if first + len(lines) <= fault:
                continue
            for text in lines[max(fault - first, 0) :]:
                consumed += 1
                yield text + "\n"

    with contextlib.suppress(csv.Error):
        next(csv.reader(feed(), strict=True), None)
    return fault + max(consumed, 1) - 1


@attrs.frozen
class Chunk:
    """A youth-aligned run of lines.

    Attributes:
        first: The number of the first line.
        lines: The lines, without their line ends.
    """

    first: int
    lines: list[str]


def read_chunks(path: Path, plan: Plan) -> Iterator[Chunk]:
    """Pass 2: the file again, in chunks cut only where a youth starts outside a region."""
    carry: list[str] = []
    carry_first = 2
    for first, lines in _raw_lines(path):
        if first == 1:
            lines = lines[1:]
            first = 2
        if carry:
            lines = carry + lines
            first = carry_first
        if not lines:
            continue
        end = first + len(lines)  # one past the last line
        cut = _cut(plan, first, end)
        if cut is None:
            carry, carry_first = lines, first
            continue
        yield Chunk(first=first, lines=lines[: cut - first])
        carry, carry_first = lines[cut - first :], cut
    if carry:
        yield Chunk(first=carry_first, lines=carry)


def _cut(plan: Plan, first: int, end: int) -> int | None:
    """The last line after ``first`` and before ``end`` where a youth starts outside every
    region (the chunk ends before it); ``None`` if there is none."""
    starts = plan.starts
    i = int(starts.search_sorted(end, side="left")) - 1
    while i >= 0 and starts[i] > first:
        line = int(starts[i])
        region = plan.region_at(line)
        if region is None or region.first == line:
            return line
        if region.first <= first:
            return None
        i = int(starts.search_sorted(region.first, side="left")) - 1
    return None


# --- pass 2: the rows -----------------------------------------------------------------------


def _lower(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase()


def _date(expr: pl.Expr) -> pl.Expr:
    """The date a cell holds exactly as ``YYYY-MM-DD`` (``null`` otherwise, as the reference
    :func:`~kaa.dated.iso_date`: a year 0000 is no date)."""
    parsed = expr.str.to_date("%Y-%m-%d", strict=False)
    return (
        pl.when(expr.str.contains(_DATE) & (expr.str.slice(0, 4) != "0000"))
        .then(parsed)
        .otherwise(pl.lit(None, dtype=pl.Date))
    )


def rows_frame(chunk: Chunk, plan: Plan) -> tuple[pl.DataFrame, list[Region]]:
    """The rows of a chunk's youths read over the columns, and the regions the reference
    reader must read (in file order).

    Returns:
        A frame with one row per data row of every youth read over the columns — ``line``,
        ``youth`` (a number per youth, in file order), ``key`` (the compact key of its
        identity number), ``record`` and the
        cells ``kind``, ``programme``, ``municipality``, ``start_text``, ``end_text`` and
        the dates ``start`` and ``end`` — and the regions.
    """
    first = chunk.first
    lines = chunk.lines
    end = first + len(lines)
    in_region = [False] * len(lines)
    regions: list[Region] = []
    for region in plan.regions:
        if region.last < first or region.first >= end:
            continue
        regions.append(region)
        for i in range(region.first - first, region.last - first + 1):
            in_region[i] = True
    text = pl.col("text")
    frame = pl.DataFrame(
        {
            "text": lines,
            "region": in_region,
            "key": plan.keys.slice(first - 2, len(lines)),
            "blank": plan.blank.slice(first - 2, len(lines)),
        },
        schema={"text": pl.String, "region": pl.Boolean, "key": pl.Int64, "blank": pl.Boolean},
    ).with_columns(line=pl.int_range(first, end, dtype=pl.Int64))
    frame = frame.filter(~pl.col("region") & ~pl.col("blank")).with_columns(
        # plain: what the csv module reads as the text split at its seven commas (no quote,
        # no NUL, not over the field limit), in ASCII (so that lower case is Python's)
        plain=text.str.contains(_PLAIN) & (text.str.len_bytes() <= _MAX_LINE),
        # one youth per run of rows with one key (outside the regions every key is known and
        # none comes back)
        youth=(pl.col("key") != pl.col("key").shift(1)).fill_null(True).cum_sum(),
    )
    plain = frame.filter("plain")
    # A plain line is its seven commas' eight cells. Lower case is taken of the whole line:
    # the words are compared in lower case, and the other cells (the number is pass 1's, a
    # kommunkod and a date hold no letter when valid) are as valid in it as they were.
    cells = plain.select(
        text.str.to_lowercase()
        .str.split_exact(",", len(CSV_COLUMNS) - 1)
        .struct.rename_fields(list(CSV_COLUMNS))
        .struct.unnest()
    )
    cells = cells.select(
        pl.col("record", "kind", "programme", "cancelled"),
        pl.col("municipality"),
        pl.col("start").alias("start_text"),
        pl.col("end").alias("end_text"),
    )
    plain = pl.concat([plain.select("line", "youth", "key"), cells], how="horizontal")
    plain = plain.with_columns(
        start=_date(pl.col("start_text")),
        end=_date(pl.col("end_text")),
    )
    record = pl.col("record")
    kind = pl.col("kind")
    start_ok = pl.col("start").is_not_null()
    end_ok = (pl.col("end_text") == "") | pl.col("end").is_not_null()
    start_optional = (pl.col("start_text") == "") | start_ok
    ordered = (
        pl.col("end").is_null() | pl.col("start").is_null() | (pl.col("end") >= pl.col("start"))
    )
    valid = (
        pl.when(record == "residence")
        .then(
            ((kind == "") | kind.is_in(list(BASES)))
            & pl.col("municipality").is_in(list(_KOMMUNKODER))
            & start_optional
            & end_ok
            & ordered
        )
        .when(record == "enrolment")
        .then(
            kind.is_in(list(FORMS))
            & ((pl.col("programme") == "") | pl.col("programme").is_in(list(PROGRAMMES)))
            & start_ok
            & end_ok
            & ordered
            & pl.col("cancelled").is_in(list(_FLAGS))
        )
        .when(record == "qualification")
        .then(kind.is_in(list(QUALIFICATIONS)) & start_ok)
        .when(record.is_in(["compulsory_school", "birth_date"]))
        .then(start_ok)
        .when(record == "arrival")
        .then(start_ok & kind.is_in(list(ARRIVALS)))
        .when(record == "youth")
        .then(True)
        .otherwise(False)
    ).fill_null(False)
    plain = plain.with_columns(valid=valid)
    once = ["compulsory_school", "arrival", "birth_date"]
    checked = plain.group_by("youth", maintain_order=True).agg(
        pl.col("valid").all().alias("ok"),
        *[(record == name).sum().alias(name) for name in once],
    )
    youths = (
        frame.group_by("youth", maintain_order=True)
        .agg(
            pl.col("plain").all(),
            pl.col("line").first().alias("first"),
            pl.col("line").last().alias("last"),
        )
        .join(checked, on="youth", how="left", maintain_order="left")
        .with_columns(
            ok=pl.col("plain")
            & pl.col("ok").fill_null(False)
            & pl.all_horizontal([pl.col(name).fill_null(0) <= 1 for name in once])
        )
    )
    regions.extend(
        Region(a, b) for a, b in youths.filter(~pl.col("ok")).select("first", "last").iter_rows()
    )
    regions.sort(key=lambda r: r.first)
    good = youths.filter(pl.col("ok")).select("youth")
    plain = plain.join(good, on="youth", how="semi", maintain_order="left")
    return (
        plain.select(
            "line",
            "youth",
            "key",
            "record",
            "kind",
            "programme",
            "municipality",
            "start",
            "end",
            "start_text",
            "end_text",
        ),
        regions,
    )


_KOMMUNKODER = tuple(f"{n:04d}" for n in range(10_000) if is_municipality_code(f"{n:04d}"))


# --- the reference reader over a region -----------------------------------------------------

_RANGES = re.compile(
    r"^(youth not assessed: rows on lines )(.*)( rejected because of the problems above)$"
)


def _shift(problem: Problem, offset: int) -> Problem:
    message = problem.message
    found = _RANGES.match(message)
    if found is not None:
        shifted = re.sub(r"\d+", lambda m: str(int(m.group()) + offset), found.group(2))
        message = f"{found.group(1)}{shifted}{found.group(3)}"
    return Problem(
        file=problem.file,
        line=problem.line + offset,
        column=problem.column,
        youth=problem.youth,
        message=message,
    )


def read_region(
    lines: list[str],
    region: Region,
    *,
    first_line: int,
    file: str,
    summary: ReadSummary,
    on: dt.date,
    on_problem: Callable[[Problem], None] | None,
    line_by_line: bool = False,
) -> list[Youth]:
    """The youths of ``region`` read by the reference reader, its problems added to
    ``summary`` (and passed to ``on_problem``) at their lines in the file.

    Args:
        lines: The chunk's lines; ``first_line`` is the number of ``lines[0]``.
        region: The lines to read.
        first_line: The number of ``lines[0]``.
        file: The name used in problems.
        summary: The whole read's summary: counts and problems are added to it.
        on: The reference day for 10-digit numbers.
        on_problem: Called for each problem, in file order.
        line_by_line: Whether a malformed line came before the region in the file: the
            reference then reads every line on its own (:func:`kaa.formats.text.csv_rows`),
            so the region is read after a line that puts it in that mode (the line itself
            is not counted and its problem not reported).
    """
    head = [HEADER, _FAULT] if line_by_line else [HEADER]
    offset = region.first - 1 - len(head)
    body = lines[region.first - first_line : region.last - first_line + 1]
    text = io.StringIO("\n".join([*head, *body]) + "\n")
    local = ReadSummary(file=file)

    def problem(found: Problem) -> None:
        if line_by_line and found.line == 2:
            return  # the line that put the reader in line-by-line mode
        add_problem(summary, on_problem, _shift(found, offset))

    youths = list(
        read_youths_csv(text, file=file, summary=local, reference_day=on, on_problem=problem)
    )
    fault = 1 if line_by_line else 0
    summary.rows_read += local.rows_read - fault
    summary.rows_accepted += local.rows_accepted
    summary.rows_rejected += local.rows_rejected - fault
    summary.records += local.records
    return youths


_FAULT = '""x'
"""A line that is malformed at once and names no youth (text after a closing quote)."""
