"""An Excel workbook of the submission for case workers who check it by eye.

One sheet per block (one row per entry), named by the block's heading (SCB's own words for
blocks 2–5: *Kontakt med individen*, *Åtgärd påbörjas*, *Åtgärd avslutats*,
*Aktivitetsansvaret har upphört*), and a sheet *Kontroller* listing every failed check (the
library's checks, not SCB's). The cells a check failed on are filled — red for errors,
yellow for warnings — and carry a comment with the check id and the Swedish and English
messages, the way SCB's *Excelmall* marks failures in colour.

Identity numbers are masked unless the caller asks for whole numbers (``reveal_ids=True``).
Requires the optional extra ``excel`` (``pip install 'kaa[excel]'``, which installs
openpyxl); it is imported only when a workbook is written. The file is written atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from kaa.errors import KaaError
from kaa.formats.files import atomic_binary
from kaa.identity import IdentityNumber
from kaa.scb.checks import OWN_CHECKS_SV, CheckReport, Finding, Severity, check_submission
from kaa.scb.submission import Block, Submission

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


class MissingExtra(KaaError):
    """The optional dependency for Excel (openpyxl) is not installed."""


def _cell_value(value: object, reveal_ids: bool) -> object:
    if isinstance(value, IdentityNumber):
        return value.full("separated_long") if reveal_ids else value.masked()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, enum.Enum):
        label = getattr(value, "label_sv", None)
        return label if isinstance(label, str) else str(value.value)
    if isinstance(value, dt.date):
        return value
    return str(value)


def write_workbook(
    submission: Submission,
    path: Path | str,
    *,
    report: CheckReport | None = None,
    reveal_ids: bool = False,
) -> CheckReport:
    """Write the submission as an Excel workbook with the failing cells marked.

    Unlike the upload file, the workbook is written even when checks fail: it is how a
    case worker finds and fixes them. Time and memory are linear in the number of entries
    (openpyxl's write-only mode: each row is written once, with its marks).

    Args:
        submission: The submission.
        path: The ``.xlsx`` file to write (atomically).
        report: The checks already run; run here (without profile or cases) when ``None``.
        reveal_ids: Write whole identity numbers instead of masked ones.

    Returns:
        The check report that was marked.

    Raises:
        MissingExtra: If openpyxl is not installed.
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise MissingExtra(
            "writing Excel needs the optional extra: pip install 'kaa[excel]' (openpyxl)"
        ) from None
    if report is None:
        report = check_submission(submission)
    with atomic_binary(Path(path)) as handle:
        wb = Workbook(write_only=True)
        try:
            _fill(wb, submission, report, reveal_ids=reveal_ids)
        except BaseException:
            # openpyxl streams each sheet into a temporary file of its own: finish them in
            # memory so that those files (personal data) are removed now, not at exit.
            with contextlib.suppress(Exception):
                wb.save(io.BytesIO())
            raise
        wb.save(handle)
    return report


_Marks = dict[tuple[int, Block, int], dict[int, tuple[Severity, list[Finding]]]]
"""Per entry (record, block, entry within the block): per column (1-based), the severity
that fills the cell (the last finding's) and the findings its comment lists, in order."""


def _marks(report: CheckReport) -> _Marks:
    """Where each finding marks a cell: the entry's row and the field's column (the identity
    number's for a finding about no field of the block, or about the youth)."""
    marks: _Marks = {}
    for finding in report.findings:
        if finding.record is None:
            continue
        block = finding.block or Block.MANDATORY
        fields: Sequence[str] = [f for f, _ in BLOCK_COLUMNS[block]]
        column = 1 if finding.field not in fields else fields.index(finding.field) + 2
        cells = marks.setdefault((finding.record, block, finding.row or 0), {})
        _, found = cells.get(column, (finding.severity, []))
        found.append(finding)
        cells[column] = (finding.severity, found)
    return marks


def _fill(wb: Any, submission: Submission, report: CheckReport, *, reveal_ids: bool) -> None:
    """Write the sheet of checks and one sheet per block into the write-only workbook."""
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    fills = {
        Severity.ERROR: PatternFill("solid", fgColor=_RED),
        Severity.WARNING: PatternFill("solid", fgColor=_YELLOW),
    }
    bold = Font(bold=True)

    def cell(ws: Any, value: Any, *, bolded: bool = False) -> Any:
        """``value`` as a cell of ``ws``: a day shown ``yyyy-mm-dd``, text that starts with
        "=" kept as text (never a formula); the plain value where no cell is needed."""
        day = isinstance(value, dt.date)
        formula = isinstance(value, str) and value.startswith("=")
        if not (day or formula or bolded):
            return value
        made = WriteOnlyCell(ws, value=value)
        if day:
            made.number_format = "yyyy-mm-dd"
        if made.data_type == "f":
            made.data_type = "s"
        if bolded:
            made.font = bold
        return made

    # Any: the stubs do not declare what a write-only sheet takes from Worksheet._setup
    # (column_dimensions).
    summary: Any = wb.create_sheet("Kontroller")
    for letter, width in zip("ABCDEFGH", (11, 9, 16, 26, 6, 14, 70, 70), strict=True):
        summary.column_dimensions[letter].width = width
    title = f"Kontroll av inlämning till SCB, {submission.period}, kommun {submission.municipality}"
    summary.append([cell(summary, title, bolded=True)])
    counts = f"{len(report.errors)} fel (stoppar filen), {len(report.warnings)} varningar"
    summary.append([cell(summary, counts)])
    summary.append([cell(summary, OWN_CHECKS_SV)])
    summary.append([])
    headings = ["Kontroll", "Allvar", "Ungdom", "Block", "Post", "Fält", "Meddelande", "Message"]
    summary.append([cell(summary, h, bolded=True) for h in headings])
    for f in report.findings:
        first = WriteOnlyCell(summary, value=f.check)
        first.fill = fills[f.severity]
        values: list[object] = [
            "fel" if f.severity is Severity.ERROR else "varning",
            f.youth or "",
            f.block.label_sv if f.block else "",
            f.row + 1 if f.row is not None else "",
            f.field or "",
            f.message_sv,
            f.message_en,
        ]
        summary.append([first, *(cell(summary, v) for v in values)])

    marks = _marks(report)
    for block in Block:
        ws: Any = wb.create_sheet(_SHEETS[block])
        ws.column_dimensions["A"].width = 16
        for letter in "BCDE":
            ws.column_dimensions[letter].width = 28
        ws.freeze_panes = "B2"
        heads = ["Personnummer", *(heading for _, heading in BLOCK_COLUMNS[block])]
        ws.append([cell(ws, h, bolded=True) for h in heads])
        fields = [field for field, _ in BLOCK_COLUMNS[block]]
        for i, record in enumerate(submission.records):
            youth = _cell_value(record.youth, reveal_ids)
            for n, entry in enumerate(record.rows(block)):
                row: list[Any] = [
                    youth,
                    *(cell(ws, _cell_value(getattr(entry, f), reveal_ids)) for f in fields),
                ]
                for column, (severity, found) in marks.get((i, block, n), {}).items():
                    if not isinstance(row[column - 1], Cell):
                        row[column - 1] = WriteOnlyCell(ws, value=row[column - 1])
                    marked = row[column - 1]
                    marked.fill = fills[severity]
                    text = "\n\n".join(
                        f"{x.check}: {x.message_sv}\n({x.message_en})" for x in found
                    )
                    marked.comment = Comment(text, "kaa")
                ws.append(row)
