"""The worklist workbook a case worker fills in, and its CSV form: one contract, two files.

The per-youth worklist (:meth:`kaa.worklist.Worklist.rows`) is written for people as an Excel
workbook (:func:`write_workbook`) or as a CSV file that opens right in Swedish Excel
(:func:`write_sheet_csv`: ``;`` between cells, UTF-8 with a byte-order mark). ``kaa import``
reads either back. Both follow one layout, :data:`HEADINGS`:

- the sheet :data:`SHEET` (*Arbetslista*): row 1 the headings, one row per open case with
  something to do; columns A–M (:data:`WRITTEN_HEADINGS`) are written, columns N–R
  (:data:`FILL_IN_HEADINGS`) are left empty for what was done — the day, and from Excel
  data-validation lists in Swedish (:data:`FILL_IN_LISTS`) the channel, whom, the result and
  the activity learnt. There is no free-text column: sensitive matters (5 § förordningen
  (2006:39)) have nowhere to go;
- the sheet :data:`LISTS_SHEET` (*Listor*, hidden) holds the validation lists;
- the sheet :data:`ABOUT_SHEET` (*Om listan*) says what the list is: the day, the
  municipality, the rules it follows and whether identity numbers are masked.

The workbook is written in openpyxl's write-only mode, one row at a time: time and memory
grow linearly with the number of rows (nothing reads the sheet back while it is written).
Text is always stored as text, never as a formula (a cell that begins with ``=`` stays the
characters it is); characters a workbook cannot hold (C0 control characters but tab and line
feed, U+FFFE, U+FFFF) are removed and a carriage return becomes a line feed.

Writing a workbook needs the optional extra ``excel`` (``pip install 'kaa[excel]'``, which
installs openpyxl), imported only when a workbook is written; without it
:class:`WorkbookUnavailable` is raised and nothing is written. The files are written
atomically (:mod:`kaa.formats.files`), readable by their owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Final

from kaa.errors import OutputError
from kaa.formats.cells import spreadsheet_writer
from kaa.formats.files import atomic_binary
from kaa.model.case import Activity, Channel, Contacted, ContactOutcome

__all__ = [
    "ABOUT_SHEET",
    "FILL_IN_HEADINGS",
    "FILL_IN_LISTS",
    "HEADINGS",
    "LISTS_SHEET",
    "SHEET",
    "SPREADSHEET_SUFFIXES",
    "WRITTEN_HEADINGS",
    "Cell",
    "WorkbookUnavailable",
    "workbook_available",
    "write_sheet_csv",
    "write_workbook",
]

SHEET: Final = "Arbetslista"
"""The sheet with the rows."""
LISTS_SHEET: Final = "Listor"
"""The (hidden) sheet with the validation lists."""
ABOUT_SHEET: Final = "Om listan"
"""The sheet that says what the list is."""

WRITTEN_HEADINGS: Final[tuple[str, ...]] = (
    "Ärende",
    "Personnummer",
    "Namn",
    "Telefon",
    "Handläggare",
    "Nästa steg",
    "Steg",
    "Till",
    "Kanal",
    "Senast",
    "Dagar sen",
    "Missade steg",
    "Övrigt",
)
"""Columns A–M, written by the worklist."""

FILL_IN_HEADINGS: Final[tuple[str, ...]] = (
    "Utfört datum",
    "Utförd kanal",
    "Kontakt med",
    "Resultat",
    "Sysselsättning",
)
"""Columns N–R, left empty for the case worker to fill in."""

HEADINGS: Final[tuple[str, ...]] = WRITTEN_HEADINGS + FILL_IN_HEADINGS
"""Row 1 of the sheet (and of the CSV form), exactly these, in order."""

FILL_IN_LISTS: Final[dict[str, tuple[str, ...]]] = {
    "Utförd kanal": tuple(channel.label_sv for channel in Channel),
    "Kontakt med": tuple(who.label_sv for who in Contacted),
    "Resultat": tuple(outcome.label_sv for outcome in ContactOutcome),
    "Sysselsättning": tuple(activity.label_sv for activity in Activity),
}
"""The fill-in columns that take a value from a list: exactly the Swedish labels of
:class:`~kaa.model.case.Channel`, :class:`~kaa.model.case.Contacted`,
:class:`~kaa.model.case.ContactOutcome` and :class:`~kaa.model.case.Activity`."""

SPREADSHEET_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls", ".ods")
"""File names a spreadsheet program opens as a workbook: only ``.xlsx`` is written, and
never as text."""

Cell = str | int | dt.date | None
"""A value in a written column: text, a whole number, a day, or empty."""

_PROMPTS: Final[dict[str, tuple[str, str]]] = {
    "Utfört datum": ("Utfört datum", "Dagen då arbetet gjordes, t.ex. 2026-12-01."),
    "Utförd kanal": ("Utförd kanal", "Välj hur kontakten togs (tomt: kolumnen Kanal)."),
    "Kontakt med": ("Kontakt med", "Välj vem kontakten var med (tomt: kolumnen Till)."),
    "Resultat": ("Resultat", "Välj vad kontakten ledde till."),
    "Sysselsättning": ("Sysselsättning", "Välj vad ungdomen gör, om ungdomen nåddes."),
}
_WIDTHS: Final = (38, 15, 24, 16, 18, 30, 16, 14, 15, 11, 9, 12, 48, 13, 16, 15, 24, 32)
_MAX_TEXT: Final = 32_767
"""The most characters a workbook cell holds."""
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""What an XML document (and so a workbook) cannot hold."""
_LINE_BREAK = re.compile(r"\r\n?")


def _text(text: str) -> str:
    """``text`` as a workbook cell holds it: without the characters XML cannot hold, line
    breaks as ``\\n`` (XML reads a carriage return as one), at most 32,767 characters."""
    return _LINE_BREAK.sub("\n", _NOT_IN_XML.sub("", text))[:_MAX_TEXT]


class WorkbookUnavailable(OutputError):
    """A workbook cannot be written: the optional extra ``excel`` (openpyxl) is not
    installed. Nothing was written (the command line exits with status 3, as for any
    output that cannot be written).

    Attributes:
        file: The path that was asked for.
        reason: Why, and what to do instead.
    """

    def __init__(self, file: str) -> None:
        super().__init__(
            file,
            "a workbook needs the optional extra excel (pip install 'kaa[excel]', which "
            "installs openpyxl); write a .csv file instead, which opens in Excel too",
        )


def workbook_available() -> bool:
    """Whether a workbook can be written here (openpyxl is installed)."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def _column(index: int) -> str:
    return chr(ord("A") + index)


def write_workbook(
    path: Path | str,
    rows: Iterable[Sequence[Cell]],
    *,
    about: Sequence[tuple[str, str]] = (),
) -> int:
    """Write the worklist workbook: the rows on :data:`SHEET`, the lists on
    :data:`LISTS_SHEET`, ``about`` on :data:`ABOUT_SHEET`.

    Time and memory are linear in the number of rows (openpyxl's write-only mode).

    Args:
        path: The ``.xlsx`` file to write (atomically).
        rows: One sequence of the values of columns A–M (:data:`WRITTEN_HEADINGS`) per row;
            days are written as Excel dates (shown ``yyyy-mm-dd``), whole numbers as
            numbers, text as text.
        about: What the list is, as (heading, text) pairs, for the sheet *Om listan*.

    Returns:
        The number of rows written.

    Raises:
        WorkbookUnavailable: If openpyxl is not installed.
        OutputError: If the file cannot be written.
        ValueError: If a row does not have one value per written column.
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise WorkbookUnavailable(str(path)) from None
    with atomic_binary(Path(path)) as handle:
        wb = Workbook(write_only=True)
        try:
            written = _fill(wb, rows, about)
        except BaseException:
            # openpyxl streams each sheet into a temporary file of its own: finish them in
            # memory so that those files (personal data) are removed now, not at exit.
            with contextlib.suppress(Exception):
                wb.save(io.BytesIO())
            raise
        wb.save(handle)
    return written


def _fill(wb: Any, rows: Iterable[Sequence[Cell]], about: Sequence[tuple[str, str]]) -> int:
    """Write the three sheets into the write-only workbook ``wb``; returns the rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    # Any: the stubs do not declare what a write-only sheet takes from Worksheet._setup
    # (column_dimensions, data_validations, auto_filter, sheet_state).
    ws: Any = wb.create_sheet(SHEET)
    for index, width in enumerate(_WIDTHS):
        ws.column_dimensions[_column(index)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(text: str) -> Any:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        return cell

    def value(item: Cell) -> Any:
        if item is None or isinstance(item, bool):
            return None if item is None else str(item)
        if isinstance(item, dt.date):
            cell = WriteOnlyCell(ws, value=dt.datetime.combine(item, dt.time()))
            cell.number_format = "yyyy-mm-dd"
            return cell
        if isinstance(item, int):
            return item
        text = _text(item)
        if not text:
            return None  # an empty cell, not a cell holding empty text
        if text.startswith("="):  # text, never a formula
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            return cell
        return text

    ws.append([heading(h) for h in HEADINGS])
    written = 0
    width = len(WRITTEN_HEADINGS)
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row has {len(row)} values, not {width}")
        ws.append([value(item) for item in row])
        written += 1
    last = max(written, 1) + 1
    for offset, name in enumerate(FILL_IN_HEADINGS, start=width):
        letter = _column(offset)
        title, prompt = _PROMPTS[name]
        choices = FILL_IN_LISTS.get(name)
        if choices is None:
            rule = DataValidation(allow_blank=True)
        else:
            col = _column(list(FILL_IN_LISTS).index(name))
            rule = DataValidation(
                type="list",
                formula1=f"{LISTS_SHEET}!${col}$2:${col}${len(choices) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=title,
                error="Välj ett värde ur listan.",
            )
        rule.promptTitle = title
        rule.prompt = prompt
        rule.showInputMessage = True
        rule.add(f"{letter}2:{letter}{last}")
        ws.data_validations.append(rule)
    ws.auto_filter.ref = f"A1:{_column(len(HEADINGS) - 1)}{written + 1}"

    lists: Any = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for index in range(len(FILL_IN_LISTS)):
        lists.column_dimensions[_column(index)].width = 40
    lists.append([heading(h) for h in FILL_IN_LISTS])
    longest = max(len(choices) for choices in FILL_IN_LISTS.values())
    for n in range(longest):
        lists.append([c[n] if n < len(c) else None for c in FILL_IN_LISTS.values()])

    info: Any = wb.create_sheet(ABOUT_SHEET)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    for label, text in about:
        info.append([heading(_text(label)), value(text)])
    return written


def write_sheet_csv(rows: Iterable[Sequence[Cell]], out: IO[str], *, bom: bool = True) -> int:
    """Write the sheet as CSV for people: :data:`HEADINGS`, ``;`` between cells, the fill-in
    columns empty, every cell that would start a formula escaped
    (:func:`~kaa.formats.cells.spreadsheet_cell`).

    Swedish Excel opens it in columns with å, ä and ö intact: it splits at ``;`` (the list
    separator where the decimal mark is a comma) and reads UTF-8 only after a byte-order
    mark.

    Args:
        rows: As for :func:`write_workbook`; days are written ``YYYY-MM-DD``.
        out: A text stream opened with ``newline=""`` and UTF-8.
        bom: Begin with the byte-order mark U+FEFF.

    Returns:
        The number of rows written.
    """
    if bom:
        out.write("\ufeff")
    writer = spreadsheet_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    blank = ("",) * len(FILL_IN_HEADINGS)
    written = 0
    for row in rows:
        cells = ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
        writer.writerow([*cells, *blank])
        written += 1
    return written
