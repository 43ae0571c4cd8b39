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

import datetime as dt
import enum
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kaa.errors import KaaError
from kaa.formats.files import atomic_binary
from kaa.identity import IdentityNumber
from kaa.scb.checks import OWN_CHECKS_SV, CheckReport, Finding, Severity, check_submission
from kaa.scb.submission import Block, Submission

if TYPE_CHECKING:
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

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
    case worker finds and fixes them.

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
        from openpyxl.styles import Font, PatternFill
    except ImportError:
        raise MissingExtra(
            "writing Excel needs the optional extra: pip install 'kaa[excel]' (openpyxl)"
        ) from None
    if report is None:
        report = check_submission(submission)
    fills = {
        Severity.ERROR: PatternFill("solid", fgColor=_RED),
        Severity.WARNING: PatternFill("solid", fgColor=_YELLOW),
    }
    bold = Font(bold=True)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Kontroller"
    # sheet row of (record, block, entry)
    where: dict[tuple[int, Block, int], int] = {}
    sheets: dict[Block, Worksheet] = {}
    for block in Block:
        ws = wb.create_sheet(_SHEETS[block])
        sheets[block] = ws
        ws.append(["Personnummer", *(heading for _, heading in BLOCK_COLUMNS[block])])
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "B2"
        for i, record in enumerate(submission.records):
            for n, entry in enumerate(record.rows(block)):
                ws.append(
                    [
                        _cell_value(record.youth, reveal_ids),
                        *(
                            _cell_value(getattr(entry, field), reveal_ids)
                            for field, _ in BLOCK_COLUMNS[block]
                        ),
                    ]
                )
                where[(i, block, n)] = ws.max_row
        ws.column_dimensions["A"].width = 16
        for letter in "BCDE":
            ws.column_dimensions[letter].width = 28
        for row in ws.iter_rows(min_row=2, min_col=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif cell.data_type == "f":  # text that starts with "=" is text, not a formula
                    cell.data_type = "s"
    for finding in report.findings:
        _mark(finding, where, sheets, fills[finding.severity])
    summary.append(
        [f"Kontroll av inlämning till SCB, {submission.period}, kommun {submission.municipality}"]
    )
    summary["A1"].font = bold
    summary.append([f"{len(report.errors)} fel (stoppar filen), {len(report.warnings)} varningar"])
    summary.append([OWN_CHECKS_SV])
    summary.append([])
    summary.append(
        ["Kontroll", "Allvar", "Ungdom", "Block", "Post", "Fält", "Meddelande", "Message"]
    )
    for cell in summary[5]:
        cell.font = bold
    for f in report.findings:
        summary.append(
            [
                f.check,
                "fel" if f.severity is Severity.ERROR else "varning",
                f.youth or "",
                f.block.label_sv if f.block else "",
                f.row + 1 if f.row is not None else "",
                f.field or "",
                f.message_sv,
                f.message_en,
            ]
        )
        summary.cell(summary.max_row, 1).fill = fills[f.severity]
    for letter, width in zip("ABCDEFGH", (11, 9, 16, 26, 6, 14, 70, 70), strict=True):
        summary.column_dimensions[letter].width = width
    for row in summary.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # a message that starts with "=" stays text
                cell.data_type = "s"
    with atomic_binary(Path(path)) as handle:
        wb.save(handle)
    return report


def _mark(
    finding: Finding,
    where: dict[tuple[int, Block, int], int],
    sheets: dict[Block, Worksheet],
    fill: PatternFill,
) -> None:
    from openpyxl.comments import Comment

    if finding.record is None:
        return
    block = finding.block or Block.MANDATORY
    row = where.get((finding.record, block, finding.row or 0))
    if row is None:
        return
    fields: Sequence[str] = [f for f, _ in BLOCK_COLUMNS[block]]
    column = 1 if finding.field not in fields else fields.index(finding.field) + 2
    cell = sheets[block].cell(row, column)
    cell.fill = fill
    text = f"{finding.check}: {finding.message_sv}\n({finding.message_en})"
    if cell.comment is not None:
        text = f"{cell.comment.text}\n\n{text}"
    cell.comment = Comment(text, "kaa")
