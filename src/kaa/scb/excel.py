"""An Excel workbook of the submission for case workers who check it by eye.

One sheet per block (one row per entry), named by the block's heading (SCB's own words for
blocks 2–5: *Kontakt med individen*, *Åtgärd påbörjas*, *Åtgärd avslutats*,
*Aktivitetsansvaret har upphört*), and a sheet *Kontroller* listing every failed check (the
library's checks, not SCB's). The cells a check failed on are filled — red for errors,
yellow for warnings — and carry a comment with the check id and the Swedish and English
messages, the way SCB's *Excelmall* marks failures in colour.

Identity numbers are masked unless the caller asks for whole numbers (``reveal_ids=True``).
The workbook is written by the library's own streaming writer (:mod:`kaa.formats.xlsx`,
standard library only): it needs no optional extra, and time is linear in the entries. Text
is always text, never a formula, cleaned as :func:`kaa.formats.xlsx.clean_text` says. The
file is written atomically.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import operator
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from kaa.errors import KaaError
from kaa.formats.files import atomic_binary
from kaa.formats.xlsx import Cell, SheetWriter, Value, XlsxWriter
from kaa.identity import IdentityNumber
from kaa.scb.checks import OWN_CHECKS_SV, CheckReport, Finding, Severity, check_submission
from kaa.scb.submission import Block, ScbRecord, Submission

__all__ = ["BLOCK_COLUMNS", "MissingExtra", "write_workbook"]

BLOCK_COLUMNS: Final[dict[Block, tuple[tuple[str, str], ...]]] = {
    Block.MANDATORY: (
        ("registered", "Registreringsdatum"),
        ("reason", "Registreringsorsak"),
        ("activity", "Sysselsättning vid registrering"),
        ("municipality", "Kommun"),
    ),
    Block.CONTACTS: (("day", "Kontaktdatum"), ("activity", "Sysselsättning vid kontakt")),
    Block.MEASURES_STARTED: (
        ("category", "Insats"),
        ("day", "Datum (start, eller erbjudande som tackats nej till)"),
        ("declined", "Tackat nej"),
    ),
    Block.MEASURES_ENDED: (
        ("category", "Insats"),
        ("start", "Startdatum"),
        ("end", "Slutdatum"),
        ("activity_after", "Sysselsättning efter insatsen"),
    ),
    Block.KAA_ENDED: (("day", "Datum"), ("reason", "Orsak")),
}
"""Per block: the fields shown, after the identity number, with their Swedish headings."""

_SHEETS: Final = {block: block.label_sv for block in Block}
"""One sheet per block, named by its heading (SCB's own words for blocks 2–5; all fit
Excel's 31 characters)."""
_RED: Final = "FFC7CE"
_YELLOW: Final = "FFEB9C"


_SUMMARY_WIDTHS: Final = (11, 9, 16, 26, 6, 14, 70, 70)
_BLOCK_WIDTHS: Final = (16, 28, 28, 28, 28)
_ENTRIES: Final[dict[Block, Callable[[ScbRecord], Sequence[object]]]] = {
    Block.MANDATORY: lambda record: (record.mandatory,),
    Block.CONTACTS: operator.attrgetter("contacts"),
    Block.MEASURES_STARTED: operator.attrgetter("measures_started"),
    Block.MEASURES_ENDED: operator.attrgetter("measures_ended"),
    Block.KAA_ENDED: lambda record: () if record.kaa_ended is None else (record.kaa_ended,),
}
"""Each block's entries of a record (:meth:`ScbRecord.rows`, without its dispatch)."""
_COLUMNS: Final = {
    block: {field: n for n, (field, _) in enumerate(columns, start=2)}
    for block, columns in BLOCK_COLUMNS.items()
}
"""Per block, each field's column (1-based; the identity number is column 1)."""
_REMEMBERED: Final = 16_384
"""The most distinct values of a column whose cells are remembered (then forgotten at once)."""
_SUMMARY_HEADINGS: Final = (
    "Kontroll",
    "Allvar",
    "Ungdom",
    "Block",
    "Post",
    "Fält",
    "Meddelande",
    "Message",
)


class MissingExtra(KaaError):
    """An optional dependency for Excel is not installed.

    Kept for compatibility: :func:`write_workbook` no longer raises it (the workbook is
    written with the standard library alone).
    """


def _cell_value(value: object) -> Value:
    """A field's value as the workbook shows it (not an identity number)."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, enum.Enum):
        label = getattr(value, "label_sv", None)
        return label if isinstance(label, str) else str(value.value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return str(value)


def _youth(number: IdentityNumber, reveal_ids: bool) -> str:
    return number.full("separated_long") if reveal_ids else number.masked()


def write_workbook(
    submission: Submission,
    path: Path | str,
    *,
    report: CheckReport | None = None,
    reveal_ids: bool = False,
) -> CheckReport:
    """Write the submission as an Excel workbook with the failing cells marked.

    Unlike the upload file, the workbook is written even when checks fail: it is how a
    case worker finds and fixes them. Time is linear in the number of entries: each sheet
    is streamed into the file row by row, each row written once with its marks
    (:mod:`kaa.formats.xlsx`); the rows are not kept, only the findings by entry, the
    distinct texts (a shared-strings table) and the comments of the sheet being written.
    No optional extra is needed, so :class:`MissingExtra` is never raised.

    Args:
        submission: The submission.
        path: The ``.xlsx`` file to write (atomically).
        report: The checks already run; run here (without profile or cases) when ``None``.
        reveal_ids: Write whole identity numbers instead of masked ones.

    Returns:
        The check report that was marked.

    Raises:
        OutputError: If the file cannot be written; nothing is written.
    """
    if report is None:
        report = check_submission(submission)
    # The caller's objects (the cases, the submission) are moved out of the cyclic
    # collector's way while the workbook is written (gc.freeze: a collection then walks only
    # what the writing made, not the whole heap) and handed back to it after. A caller's own
    # frozen objects are left alone: nothing is frozen then.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        _write(submission, Path(path), report, reveal_ids=reveal_ids)
    finally:
        if freeze:
            gc.unfreeze()
    return report


def _write(submission: Submission, path: Path, report: CheckReport, *, reveal_ids: bool) -> None:
    with (
        atomic_binary(path) as handle,
        # shared strings: the messages, labels and masked numbers repeat from row to row (a
        # sixth faster than inline strings at 65,000 cases, and a smaller file)
        XlsxWriter(handle, shared_strings=True, comment_author="kaa") as book,
    ):
        _summary(book, submission, report)
        marks = _marks(report)
        for block in Block:
            # the entries of the block (Submission.counts, at the speed of map)
            rows = 1 + sum(map(len, map(_ENTRIES[block], submission.records)))
            columns = 1 + len(BLOCK_COLUMNS[block])
            with book.sheet(
                _SHEETS[block], widths=_BLOCK_WIDTHS, freeze="B2", size=(rows, columns)
            ) as sheet:
                _block(sheet, block, submission, marks, reveal_ids=reveal_ids)


_Marks = dict[Block, dict[int, Finding | list[Finding]]]
"""Per block, per entry (:func:`_entry`: record, entry within the block): the finding that
marks it, or the findings in order. (An int key, and a list only for an entry with more
than one finding: a finding on nearly every record is common, and what outlives the call's
young objects makes the cyclic garbage collector walk the whole heap sooner.)"""
_ENTRY: Final = 2**32
"""More entries than a record has in a block."""


def _marks(report: CheckReport) -> _Marks:
    """The findings on an entry of a block (a finding about the youth, or with no block,
    marks the record's entry of block 1)."""
    marks: _Marks = {block: {} for block in Block}
    # by identity (None too: a finding on no block marks block 1); most findings are on
    # an entry
    blocks = {id(block): marks[block] for block in Block}
    blocks[id(None)] = marks[Block.MANDATORY]
    for finding in report.findings:
        if finding.record is not None:
            on_block = blocks[id(finding.block)]
            key = finding.record * _ENTRY + (finding.row or 0)
            found = on_block.get(key)
            if found is None:
                on_block[key] = finding
            elif isinstance(found, list):
                found.append(finding)
            else:
                on_block[key] = [found, finding]
    return marks


def _cells(found: list[Finding], columns: dict[str, int]) -> dict[int, list[Finding]]:
    """The marked cells of an entry: per column (1-based; the identity number's for a
    finding about no field of the block), its findings in order."""
    cells: dict[int, list[Finding]] = {}
    for finding in found:
        cells.setdefault(columns.get(finding.field, 1), []).append(finding)  # type: ignore[arg-type]
    return cells


def _comment(found: Sequence[Finding]) -> str:
    """The comment of a marked cell: each finding's check id and messages, in order."""
    return "\n\n".join(f"{x.check}: {x.message_sv}\n({x.message_en})" for x in found)


def _summary(book: XlsxWriter, submission: Submission, report: CheckReport) -> None:
    """The sheet *Kontroller*: what was checked, the counts, and one row per finding."""
    findings = report.findings
    with book.sheet(
        "Kontroller", widths=_SUMMARY_WIDTHS, size=(5 + len(findings), len(_SUMMARY_HEADINGS))
    ) as sheet:
        period, municipality = submission.period, submission.municipality
        title = f"Kontroll av inlämning till SCB, {period}, kommun {municipality}"
        sheet.append([Cell(title, bold=True)])
        errors, warnings = len(report.errors), len(report.warnings)
        sheet.append([f"{errors} fel (stoppar filen), {warnings} varningar"])
        sheet.append([OWN_CHECKS_SV])
        sheet.append([])
        sheet.append([Cell(heading, bold=True) for heading in _SUMMARY_HEADINGS])
        # there is a row per finding: each column's distinct values are made into cells
        # once (sheet.prepared, in the order the rows meet them), a row is one join; the
        # check's cell per check and severity, the block's heading found by identity (None
        # for a finding on no block)
        firsts: dict[tuple[str, bool], str] = {}
        severities: dict[bool, str] = {}
        headings: dict[int, str] = {}
        caches: tuple[dict[object, str], ...] = ({}, {}, {}, {}, {})
        youths, rows, fields, swedish, english = caches
        prepared = sheet.prepared
        append = sheet.append_prepared
        for f in findings:
            error = f.severity is Severity.ERROR
            first = firsts.get((f.check, error))
            if first is None:
                first = firsts[f.check, error] = prepared(
                    1, Cell(f.check, fill=_RED if error else _YELLOW)
                )
            severity = severities.get(error)
            if severity is None:
                severity = severities[error] = prepared(2, "fel" if error else "varning")
            youth = youths.get(f.youth)
            if youth is None:
                youth = youths[f.youth] = prepared(3, f.youth or None)
            heading = headings.get(id(f.block))
            if heading is None:
                label = None if f.block is None else f.block.label_sv
                heading = headings[id(f.block)] = prepared(4, label)
            row = rows.get(f.row)
            if row is None:
                row = rows[f.row] = prepared(5, f.row + 1 if f.row is not None else None)
            field = fields.get(f.field)
            if field is None:
                field = fields[f.field] = prepared(6, f.field or None)
            sv = swedish.get(f.message_sv)
            if sv is None:
                sv = swedish[f.message_sv] = prepared(7, f.message_sv)
            en = english.get(f.message_en)
            if en is None:
                en = english[f.message_en] = prepared(8, f.message_en)
            append((first, severity, youth, heading, row, field, sv, en))
            if len(youths) >= _REMEMBERED or len(swedish) >= _REMEMBERED:
                for cache in caches:
                    cache.clear()


def _block(
    sheet: SheetWriter,
    block: Block,
    submission: Submission,
    marks: _Marks,
    *,
    reveal_ids: bool,
) -> None:
    """One block's sheet: the headings, then one row per entry, its failed cells marked."""
    sheet.append(
        [Cell("Personnummer", bold=True), *(Cell(h, bold=True) for _, h in BLOCK_COLUMNS[block])]
    )
    fields = [field for field, _ in BLOCK_COLUMNS[block]]
    values: Callable[[object], tuple[object, ...]] = (
        operator.attrgetter(*fields)
        if len(fields) > 1
        else (lambda entry: (getattr(entry, fields[0]),))
    )
    # each column's distinct values made into cells once (sheet.prepared, in the order the
    # rows meet them: the shared strings come out in the same order), so that a row is one
    # join: keyed by value for days and text, by identity for enum members and booleans
    # (singletons, which live as long as the call; a code and a flag may be equal values)
    youths: dict[str, str] = {}
    caches: list[dict[object, str]] = [{} for _ in fields]
    columns_of = list(zip(caches, range(2, len(fields) + 2), strict=True))
    marked_cells: dict[tuple[int, object, str], str] = {}
    prepared = sheet.prepared
    append = sheet.append_prepared
    entries_of = _ENTRIES[block]
    on_block = marks[block]
    columns = _COLUMNS[block]
    for i, record in enumerate(submission.records):
        entries = entries_of(record)
        if not entries:
            continue
        youth = _youth(record.youth, reveal_ids)
        first = youths.get(youth)
        if first is None:
            if len(youths) >= _REMEMBERED:
                youths.clear()
            first = youths[youth] = prepared(1, youth)
        for n, entry in enumerate(entries):
            raws = values(entry)
            cells = [first]
            for (cache, column), raw in zip(columns_of, raws, strict=True):
                kind = type(raw)
                key = raw if kind is dt.date or kind is str else id(raw)
                cell = cache.get(key)
                if cell is None:
                    cell = prepared(column, _shown_value(raw))
                    if kind is dt.date or kind is str or isinstance(raw, enum.Enum | bool):
                        if len(cache) >= _REMEMBERED:
                            cache.clear()
                        cache[key] = cell
                cells.append(cell)
            marked = on_block.get(i * _ENTRY + n) if on_block else None
            if marked is None:
                append(cells)
                continue
            if isinstance(marked, list):
                marked_columns = sorted(_cells(marked, columns).items())
            else:  # one finding, the common case
                marked_columns = [(columns.get(marked.field, 1), [marked])]  # type: ignore[arg-type]
            comments: list[tuple[int, str]] = []
            for column, found in marked_columns:
                plain = youth if column == 1 else _shown_value(raws[column - 2])
                # the last finding's severity fills the cell
                fill = _RED if found[-1].severity is Severity.ERROR else _YELLOW
                key = (column, plain, fill)
                cell = marked_cells.get(key)
                if cell is None:
                    if len(marked_cells) >= _REMEMBERED:
                        marked_cells.clear()
                    cell = marked_cells[key] = prepared(column, Cell(plain, fill=fill))
                cells[column - 1] = cell
                comments.append((column, _comment(found)))
            append(cells, comments)


def _shown_value(raw: object) -> Value:
    """A field's value as the workbook shows it: days and text as they are."""
    kind = type(raw)
    if kind is dt.date or kind is str:
        return raw  # type: ignore[return-value]
    return _cell_value(raw)
