"""The filled worklist, read back: what a case worker did, row by row, as typed rows.

The morning's worklist workbook (sheet ``Arbetslista``, written by
:mod:`kaa.formats.workbook`) has one row per open case and five empty columns to fill in
(columns N–R); ``kaa import`` (:mod:`kaa.recording`) records every filled row as a contact in
the case store. This module only reads: :func:`read_filled` turns the sheet — a workbook, or
the same columns as CSV — into :class:`FilledRow` values, and every cell that cannot be used
into a :class:`~kaa.formats.problems.Problem` with the sheet, the row and the column.

**The headings are the contract.** Row 1 must hold exactly :data:`HEADINGS`, in order
(compared as :func:`~kaa.formats.text.normalise_heading` gives them: any case, any spacing).
A sheet with another heading is refused whole with an :class:`~kaa.errors.InvalidInput`
naming the first wrong column, and so is a sheet with a heading to the right of column R: the
sheet has no free-text column, and one added by hand is not read silently.

**Which rows count.** A row is *filled* when any of N–R (Utfört datum, Utförd kanal, Kontakt
med, Resultat, Sysselsättning) has a value; other rows are skipped and counted
(:attr:`FilledSummary.rows_unfilled`). A filled row needs

- a case number in A: the store's case id (a UUID). A worklist made from a cases file numbers
  its rows ``#1``, ``#2`` …: such a row cannot be recorded and is reported;
- the day in N: an Excel date, or text ``2026-01-20`` (a time after the day is ignored); a
  number, a day after today, or any other text is reported;
- a channel: O, else the step's channel in I;
- a result in Q;
- who was contacted in P, else the step's addressee in H, else the youth;
- in R, the activity learnt, only with a result that reached someone (``okänd`` is allowed
  with any result: it is what nobody reached means).

Column B (Personnummer) is never required. When it holds a whole identity number, or a
masked one (``20080812-****``), the importer checks that it is the case's youth: a row that
was moved away from its case number is reported, not recorded on the wrong youth. Columns C–F
and J–M are not read at all; G (the step) is kept for the summary.

**Words.** The validation lists hold the Swedish labels of the model's enums
(``telefonsamtal``, ``nådd``, ``vårdnadshavare``, ``arbete``); the English values
(``phone``, ``reached``) and the short Swedish words of :data:`WORDS` (``telefon``,
``inget svar``, ``jobb``) are read too, in any case and spacing.

**Cells are never guessed at.** A formula (``=HYPERLINK(…)``, ``=TODAY()``) in a column that
is read is reported: a formula's value is not the case worker's record and can change when
the file is opened. An error cell (``#N/A``) is reported. A number or a date where a word
belongs is reported. A CSV cell that begins with ``'`` before ``=``, ``+``, ``-`` or ``@`` is
read without the ``'`` (that is how the library writes such cells for spreadsheets,
:func:`~kaa.formats.cells.spreadsheet_cell`). No message shows a cell that could hold an
identity number: a value is quoted only when it is short and has fewer than six digits, and
every message is scrubbed (:func:`kaa.errors.scrub`).

**Contacts exports.** IST, BER and Hypernet can list the contacts recorded in them;
:func:`read_contacts_export` reads such a list through a :class:`ContactsProfile` — the same
TOML shape and the same mapping-file mechanism as the register sources'
(:mod:`kaa.adapters.profile`), with the fields of :data:`CONTACT_FIELDS`. Those rows are keyed
by identity number, not by case id (:attr:`FilledRow.youth`): the importer finds the case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import cattrs

from kaa.convert import DataFileError, Invalid, load_toml, make_converter, parse_toml
from kaa.errors import InvalidInput, KaaError
from kaa.formats.cells import FORMULA_START
from kaa.formats.mapping import (
    FileSettings,
    Headings,
    MappingSource,
    file_changes,
    merged_values,
    structure_headings,
)
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.formats.text import (
    DATE_FORMATS,
    MAX_CELL,
    XLSX_LIMITS,
    MalformedRow,
    load_xlsx,
    normalise_heading,
    normalise_value,
    open_table,
    parse_date,
    parse_identity,
)
from kaa.formats.workbook import HEADINGS as WORKBOOK_HEADINGS
from kaa.formats.workbook import SHEET as WORKBOOK_SHEET
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, Channel, Contact, Contacted, ContactOutcome
from kaa.model.youth import Labelled

__all__ = [
    "CONTACT_FIELDS",
    "FILL_COLUMNS",
    "HEADINGS",
    "SHEET",
    "SHEET_COLUMNS",
    "WORDS",
    "ContactsProfile",
    "FilledRow",
    "FilledSummary",
    "column_letter",
    "read_contacts_export",
    "read_filled",
    "word",
]

L = TypeVar("L", bound=Labelled)

# the workbook contract's sheet and headings (columns A–R), shared with its writer
SHEET: Final = WORKBOOK_SHEET
"""The worklist's sheet in a workbook."""

HEADINGS: Final = WORKBOOK_HEADINGS
"""The worklist's headings, columns A–R, in order (the workbook contract)."""

FILL_COLUMNS: Final = tuple(range(13, 18))
"""The 0-based indexes of the columns a case worker fills in (N–R)."""

_CASE, _ID, _STEP, _TO, _CHANNEL_DEFAULT = 0, 1, 6, 7, 8
_DAY, _CHANNEL, _CONTACTED, _OUTCOME, _ACTIVITY = FILL_COLUMNS


def _named(index: int) -> str:
    return f"{chr(ord('A') + index)} {HEADINGS[index]}"


SHEET_COLUMNS: Final[Mapping[str, str]] = {
    "case": _named(_CASE),
    "id": _named(_ID),
    "day": _named(_DAY),
    "channel": _named(_CHANNEL),
    "contacted": _named(_CONTACTED),
    "outcome": _named(_OUTCOME),
    "activity": _named(_ACTIVITY),
}
"""The worklist column that holds each field of a :class:`FilledRow`, as problems name it."""

WORDS: Final[Mapping[type[Labelled], Mapping[str, str]]] = {
    Channel: {
        "telefon": "phone",
        "samtal": "phone",
        "brev": "letter",
        "epost": "email",
        "mejl": "email",
        "mail": "email",
        "hembesök": "home_visit",
        "möte": "meeting",
        "vykort": "postcard",
        "sociala medier": "social_media",
        "etjänst": "e_service",
        "annat": "other",
    },
    ContactOutcome: {
        "nådd": "reached",
        "nådde": "reached",
        "inget svar": "no_answer",
        "ej svar": "no_answer",
        "meddelande": "message_left",
        "meddelande lämnat": "message_left",
        "skickat": "sent",
        "returpost": "returned_mail",
        "avböjer stöd": "declined_support",
        "avböjt stöd": "declined_support",
    },
    Contacted: {"ungdomen": "youth", "ungdom": "youth", "vårdnadshavare": "guardian"},
    Activity: {
        "okänd": "unknown",
        "ingen": "no_activity",
        "arbete": "work",
        "jobb": "work",
        "studier": "other_studies",
        "insats": "measure",
        "annan": "other",
    },
}
"""Swedish words read for each kind of value besides the English values and the Swedish
labels: the words ``kaa case`` accepts (``kaa.commands.case.SYNONYMS``; a test keeps the two
the same)."""

_WHAT: Final[Mapping[type[Labelled], str]] = {
    Channel: "a channel",
    ContactOutcome: "a result",
    Contacted: "whom the contact was with",
    Activity: "an activity",
}

_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLACE: Final = re.compile(r"#\d{1,9}")
_MASKED: Final = re.compile(r"(\d{8})-\*{4}")
_DIGIT_RUN: Final = re.compile(r"\d")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column(index: int) -> str:
    """How a problem names a column of the sheet: ``N Utfört datum``."""
    return (
        f"{column_letter(index)} {HEADINGS[index]}"
        if index < len(HEADINGS)
        else column_letter(index)
    )


def _shown(text: str) -> str:
    """A cell's text as a message may quote it: only when short and with fewer than six
    digits (never something that could be an identity number), else described."""
    clean = " ".join(text.split())
    if len(clean) <= 40 and len(_DIGIT_RUN.findall(clean)) < 6:
        return repr(clean)
    return f"the value ({len(clean)} characters)"


@cache
def _vocabulary(cls: type[L]) -> Mapping[str, L]:
    words: dict[str, L] = {}
    for member in cls:
        words[normalise_value(str(member.value))] = member
        words[normalise_value(member.label_sv)] = member
    by_value = {str(m.value): m for m in cls}
    for text, value in WORDS.get(cls, {}).items():
        words[normalise_value(text)] = by_value[value]
    return words


def word(cls: type[L], text: str) -> L | None:
    """The value of ``cls`` a sheet's word names, or ``None``: the English value
    (``phone``), the Swedish label (``telefonsamtal``) or a word of :data:`WORDS`
    (``telefon``), in any case and spacing.

        >>> word(Channel, "Telefon"), word(ContactOutcome, "inget  svar"), word(Activity, "x")
        (<Channel.PHONE: 'phone'>, <ContactOutcome.NO_ANSWER: 'no_answer'>, None)
    """
    return _vocabulary(cls).get(normalise_value(text))


def _labels(cls: type[Labelled]) -> str:
    return "; ".join(m.label_sv for m in cls)


@attrs.frozen(kw_only=True)
class FilledRow:
    """One filled row: a contact a case worker made, and where it was written.

    Attributes:
        sheet: The file and sheet it came from (``morgon.xlsx[Arbetslista]``, or the CSV
            file).
        row: The 1-based row (line) of the sheet.
        case_id: The store's case id (column A); ``None`` for a row of a contacts export,
            which is keyed by :attr:`youth`.
        youth: The whole identity number the row gives (column B when whole, or the
            export's identity column); ``None`` if it gives none.
        masked: The masked identity number column B holds (``20080812-****``), when it
            holds one but not a whole number.
        day: The day the work was done.
        channel: How.
        contacted: The youth or a guardian.
        outcome: What came of it.
        activity: The youth's activity as learnt, if any.
        step: The step the row's work answers (column G), if the row names one.
        columns: The column that holds each field (``case``, ``id``, ``day``, ``channel``,
            ``contacted``, ``outcome``, ``activity``), as a problem names it: ``N Utfört
            datum`` in a worklist sheet, the export's own heading in a contacts export.
    """

    sheet: str
    row: int
    case_id: str | None = None
    youth: IdentityNumber | None = None
    masked: str | None = None
    day: dt.date
    channel: Channel
    contacted: Contacted = Contacted.YOUTH
    outcome: ContactOutcome
    activity: Activity | None = None
    step: str | None = None
    columns: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.case_id is None and self.youth is None:
            raise InvalidInput("a filled row needs a case id or an identity number")

    @property
    def contact(self) -> Contact:
        """The contact the row records."""
        return Contact(
            day=self.day,
            channel=self.channel,
            contacted=self.contacted,
            outcome=self.outcome,
            activity=self.activity,
        )


@attrs.define(kw_only=True)
class FilledSummary(ReadSummary):
    """The counts of a read (:class:`~kaa.formats.problems.ReadSummary`: ``rows_read`` counts
    the filled rows and the unreadable ones, ``rows_accepted + rows_rejected ==
    rows_read``), and the rows skipped because nothing was filled in.

    Attributes:
        rows_unfilled: Rows with N–R all empty (not read, not reported).
    """

    rows_unfilled: int = 0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows_read} filled row(s) read, {self.rows_accepted} "
            f"accepted, {self.rows_rejected} rejected ({len(self.problems)} problem(s)); "
            f"{self.rows_unfilled} row(s) not filled in"
        )


# -- cells -----------------------------------------------------------------------------------


@attrs.frozen
class _Formula:
    """A formula cell (its text is never read)."""


@attrs.frozen
class _Error:
    """An error cell (``#N/A``, ``#VALUE!``)."""


_FORMULA = _Formula()
_ERROR = _Error()

Cell = str | int | float | bool | dt.date | _Formula | _Error | None


def _empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Bad(Exception):
    """A cell that cannot be used: the message, without the cell's text unless safe."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_text(value: Cell, what: str) -> _Bad:
    if isinstance(value, _Formula):
        return _Bad(f"a formula, not {what}: type the value itself (a formula is never read)")
    if isinstance(value, _Error):
        return _Bad(f"an error cell (such as #N/A), not {what}")
    if isinstance(value, bool):
        return _Bad(f"a yes/no value, not {what}")
    if isinstance(value, dt.date):
        return _Bad(f"a date, not {what}")
    return _Bad(f"a number, not {what}")


def _text(value: Cell, what: str) -> str:
    if isinstance(value, str):
        return value.strip()
    raise _not_text(value, what)


def _choose(cls: type[L], value: Cell) -> L:
    what = _WHAT[cls]
    text = _text(value, what)
    found = word(cls, text)
    if found is None:
        raise _Bad(f"{_shown(text)} is not {what}: use one of: {_labels(cls)}")
    return found


def _day(value: Cell, formats: Sequence[str], today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            day = parse_date(text, formats)
        except InvalidInput:
            forms = ", ".join(f for f in formats if "%" not in f)
            raise _Bad(
                f"{_shown(text)} is not a day: write it as 2026-01-20 or use an Excel date"
                + (f" (read forms: {forms})" if forms and formats != ("iso",) else "")
            ) from None
    else:
        raise _not_text(value, "a day")
    if day > today:
        raise _Bad(f"{day.isoformat()} is after today ({today.isoformat()}): not a day done")
    return day


# -- the worklist sheet ---------------------------------------------------------------------


def read_filled(
    path: Path,
    *,
    summary: FilledSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    today: dt.date | None = None,
) -> Iterator[FilledRow]:
    """Read the filled rows of a worklist sheet: a workbook's ``Arbetslista``, or CSV.

    The headings are checked before this returns; the rows are read as they are iterated.

    Args:
        path: The ``.xlsx`` workbook (needs the ``excel`` extra), or a CSV file with the same
            headings (``;`` or ``,``, UTF-8 with or without a byte-order mark, or the other
            encodings :func:`~kaa.formats.text.open_table` detects).
        summary: Counts and problems, filled as the rows are read.
        on_problem: Called with each problem as it is found (it may raise to stop).
        today: The last day work can have been done (today if ``None``).

    Returns:
        The filled rows that can be recorded, in sheet order; every other filled row is a
        problem in ``summary``.

    Raises:
        InvalidInput: If the file cannot be read, has no sheet ``Arbetslista``, or its
            headings are not the worklist's (naming the first wrong column).
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        label, rows = _workbook(path, SHEET)
    else:
        table = open_table(path)
        label, rows = table.name, _csv_cells(table.rows)
    counts = summary if summary is not None else FilledSummary(file=label)
    try:
        _headings(label, rows)
    except BaseException:
        _close(rows)  # closes the workbook, or the file
        raise
    return _filled_rows(label, rows, counts, on_problem, today or dt.date.today())


def _close(rows: Iterator[Any]) -> None:
    """Close a reader's rows (and so its file) when they are not read to the end."""
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def _csv_cells(
    rows: Iterator[tuple[int, list[str] | MalformedRow]],
) -> Iterator[tuple[int, list[Cell] | MalformedRow]]:
    try:
        for number, cells in rows:
            if isinstance(cells, MalformedRow):
                yield number, cells
            else:
                yield number, [_unescape(c) for c in cells]
    finally:
        _close(rows)


def _unescape(cell: str) -> str:
    """A CSV cell as written by :func:`~kaa.formats.cells.spreadsheet_cell`, without the
    ``'`` it puts before a formula start."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def _headings(label: str, rows: Iterator[tuple[int, list[Cell] | MalformedRow]]) -> None:
    """Check the heading row (the first row of ``rows``)."""
    try:
        number, cells = next(rows)
    except StopIteration:
        raise InvalidInput("the sheet is empty: it has no headings", file=label) from None
    if isinstance(cells, MalformedRow):
        raise InvalidInput(
            f"the heading row cannot be read: {cells.message}", file=label, line=number
        )
    if number != 1:
        raise InvalidInput(
            "row 1 is empty: the worklist's headings must be in row 1", file=label, line=1
        )
    for index, expected in enumerate(HEADINGS):
        got = cells[index] if index < len(cells) else None
        text = got if isinstance(got, str) else ""
        if normalise_heading(text) != normalise_heading(expected):
            shown = "empty" if _empty(got) else f"headed {_shown(text)}"
            if not isinstance(got, str) and not _empty(got):
                shown = "headed by a value that is not text"
            raise InvalidInput(
                f"column {column_letter(index)} is {shown}, not {expected!r}: this is not the "
                f"worklist's sheet (its headings are {', '.join(HEADINGS)})",
                file=label,
                line=1,
                column=column_letter(index),
            )
    for index in range(len(HEADINGS), len(cells)):
        if not _empty(cells[index]):
            raise InvalidInput(
                f"column {column_letter(index)} has a heading the worklist does not have: the "
                "sheet has no column of its own for notes, and a column added to it is not "
                "read; remove it (and what is under it)",
                file=label,
                line=1,
                column=column_letter(index),
            )


def _filled_rows(
    label: str,
    rows: Iterator[tuple[int, list[Cell] | MalformedRow]],
    summary: FilledSummary,
    on_problem: Callable[[Problem], None] | None,
    today: dt.date,
) -> Iterator[FilledRow]:
    width = len(HEADINGS)
    for number, cells in rows:
        if isinstance(cells, MalformedRow):
            summary.rows_read += 1
            summary.rows_rejected += 1
            add_problem(
                summary, on_problem, Problem(file=label, line=number, message=cells.message)
            )
            continue
        padded = [*cells[:width], *([None] * (width - len(cells)))]
        beyond = [i for i in range(width, len(cells)) if not _empty(cells[i])]
        if all(_empty(padded[i]) for i in FILL_COLUMNS) and not beyond:
            summary.rows_unfilled += 1
            continue
        summary.rows_read += 1
        problems: list[tuple[str | None, str]] = [
            (column_letter(i), "a value outside the worklist's columns: remove it") for i in beyond
        ]
        found = _sheet_row(label, number, padded, today, problems)
        if found is None or problems:
            summary.rows_rejected += 1
            youth = _masked_of(padded[_ID])
            for column, message in problems:
                add_problem(
                    summary,
                    on_problem,
                    Problem(file=label, line=number, column=column, youth=youth, message=message),
                )
            continue
        summary.rows_accepted += 1
        summary.records += 1
        yield found


def _masked_of(value: Cell) -> str | None:
    youth, masked = _identity(value)
    return youth.masked() if youth is not None else masked


def _identity(value: Cell) -> tuple[IdentityNumber | None, str | None]:
    """Column B: a whole number, or a masked one; anything else is not looked at."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, None
    text = str(value).strip()
    masked = _MASKED.fullmatch(text)
    if masked:
        return None, text
    try:
        return parse_identity(text), None
    except KaaError:
        return None, None


def _sheet_row(
    label: str,
    number: int,
    cells: list[Cell],
    today: dt.date,
    problems: list[tuple[str | None, str]],
) -> FilledRow | None:
    values: dict[int, Any] = {}

    def take(index: int, read: Callable[[Cell], Any]) -> None:
        try:
            values[index] = read(cells[index])
        except _Bad as bad:
            problems.append((_column(index), bad.message))

    def optional(cls: type[L]) -> Callable[[Cell], L | None]:
        return lambda v: None if _empty(v) else _choose(cls, v)

    take(_CASE, _case_id)
    if _empty(cells[_DAY]):
        problems.append((_column(_DAY), "the day the work was done is missing"))
    else:
        take(_DAY, lambda v: _day(v, ("iso",), today))
    if _empty(cells[_CHANNEL]) and _empty(cells[_CHANNEL_DEFAULT]):
        problems.append((_column(_CHANNEL), "the channel is missing (and the step names none)"))
    elif _empty(cells[_CHANNEL]):
        take(_CHANNEL_DEFAULT, optional(Channel))
    else:
        take(_CHANNEL, optional(Channel))
    if _empty(cells[_CONTACTED]):
        take(_TO, optional(Contacted))
    else:
        take(_CONTACTED, optional(Contacted))
    if _empty(cells[_OUTCOME]):
        problems.append((_column(_OUTCOME), "the result is missing"))
    else:
        take(_OUTCOME, optional(ContactOutcome))
    take(_ACTIVITY, optional(Activity))
    take(_STEP, lambda v: None if _empty(v) else _text(v, "a step"))
    fault = _activity_fault(values.get(_OUTCOME), values.get(_ACTIVITY))
    if fault is not None:
        problems.append((_column(_ACTIVITY), fault))
    if problems:
        return None
    youth, masked = _identity(cells[_ID])
    return FilledRow(
        sheet=label,
        row=number,
        case_id=values[_CASE],
        youth=youth,
        masked=masked,
        day=values[_DAY],
        channel=_first(values, _CHANNEL, _CHANNEL_DEFAULT),
        contacted=_first(values, _CONTACTED, _TO) or Contacted.YOUTH,
        outcome=values[_OUTCOME],
        activity=values.get(_ACTIVITY),
        step=values[_STEP],
        columns=SHEET_COLUMNS,
    )


def _first(values: Mapping[int, Any], *indexes: int) -> Any:
    """The value of the first of the columns that was filled in (read as not ``None``)."""
    return next((values[i] for i in indexes if values.get(i) is not None), None)


def _case_id(value: Cell) -> str:
    if _empty(value):
        raise _Bad("the case number is missing: the row cannot be recorded on a case")
    text = _text(value, "a case number")
    if _PLACE.fullmatch(text):
        raise _Bad(
            f"{text} numbers a row of a cases file, not a case of the store: make the worklist "
            "from the store (kaa worklist --store …) to record the work back"
        )
    if not _UUID.fullmatch(text.lower()):
        raise _Bad(
            f"{_shown(text)} is not a case number of the store (a case id such as "
            "0b1c…-…, as the worklist writes it)"
        )
    return text.lower()


# -- reading a workbook with the types of its cells --------------------------------------------


def _workbook(
    path: Path, sheet: str
) -> tuple[str, Iterator[tuple[int, list[Cell] | MalformedRow]]]:
    name = str(path)
    book = load_xlsx(path, XLSX_LIMITS, data_only=False)
    try:
        names = list(book.sheetnames)
        if sheet not in names:
            raise InvalidInput(
                f"the workbook has no sheet {sheet!r} (it has: "
                f"{', '.join(_shown(n) for n in names)}): it is not a worklist workbook",
                file=name,
            )
        worksheet = book[sheet]
    except InvalidInput:
        book.close()
        raise
    except Exception as exc:
        book.close()
        raise InvalidInput(
            f"not a readable .xlsx workbook ({type(exc).__name__})", file=name
        ) from None
    label = f"{name}[{sheet}]"
    return label, _sheet_rows(book, worksheet, label)


def _sheet_rows(
    book: Any, worksheet: Any, label: str
) -> Iterator[tuple[int, list[Cell] | MalformedRow]]:
    limits = XLSX_LIMITS
    number = 0
    try:
        worksheet.reset_dimensions()
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            if number > limits.rows:
                raise InvalidInput(
                    f"the sheet has more than {limits.rows:,} rows", file=label, line=number
                )
            cells = [_typed(cell) for cell in row[: limits.columns]]
            if any(getattr(c, "value", None) is not None for c in row[limits.columns :]):
                yield (
                    number,
                    MalformedRow(
                        f"the row has a value beyond column {limits.columns:,}; the row is not read"
                    ),
                )
                continue
            if all(_empty(c) for c in cells):
                continue
            long = next(
                (i for i, c in enumerate(cells) if isinstance(c, str) and len(c) > MAX_CELL), None
            )
            if long is not None:
                yield (
                    number,
                    MalformedRow(
                        f"the cell in column {column_letter(long)} is longer than {MAX_CELL:,} "
                        "characters; the row is not read"
                    ),
                )
                continue
            yield number, cells
    except InvalidInput:
        raise
    except Exception as exc:  # a damaged sheet
        raise InvalidInput(
            f"the sheet cannot be read past this row ({type(exc).__name__})",
            file=label,
            line=number + 1,
        ) from None
    finally:
        book.close()


def _typed(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if value is None:
        return None
    if kind == "f":
        return _FORMULA
    if kind == "e":
        return _ERROR
    if isinstance(value, bool | int | float | str | dt.date):
        return value
    return str(value)  # a time of day or a duration: text, which no column reads as a value


# -- contacts exports through a profile --------------------------------------------------------

CONTACT_FIELDS: Final[Mapping[str, str]] = {
    "id": "personnummer, samordningsnummer or interim number of the youth (required)",
    "day": "the day of the contact (required)",
    "channel": "how: vykort, telefonsamtal, sms, brev, e-post … (required)",
    "outcome": "what came of it: nådd, inget svar, meddelande lämnat … (required)",
    "contacted": "with whom: ungdomen or vårdnadshavare (default ungdomen)",
    "activity": "the youth's activity learnt at the contact (only when someone was reached)",
}
"""The fields a contacts export's columns can be mapped to, with what each holds."""

_REQUIRED: Final = ("id", "day", "channel", "outcome")
_CHOICES: Final[Mapping[str, type[Labelled]]] = {
    "channel": Channel,
    "outcome": ContactOutcome,
    "contacted": Contacted,
    "activity": Activity,
}


@attrs.frozen(kw_only=True)
class _Values:
    channel: dict[str, Channel] | None = None
    outcome: dict[str, ContactOutcome] | None = None
    contacted: dict[str, Contacted] | None = None
    activity: dict[str, Activity] | None = None


@attrs.frozen(kw_only=True)
class _ProfileFile:
    source: MappingSource | None = None
    file: FileSettings = attrs.field(factory=FileSettings)
    columns: dict[str, Headings] = attrs.field(factory=dict)
    values: _Values = _Values()

    def __attrs_post_init__(self) -> None:
        for name in self.columns:
            if name not in CONTACT_FIELDS:
                raise Invalid(
                    f"unknown field; use one of: {', '.join(CONTACT_FIELDS)}",
                    at=("columns", name),
                )


@cache
def _converter() -> cattrs.Converter:
    conv = make_converter(reveal_ids=True, data_files=True)
    conv.register_structure_hook(Headings, structure_headings)
    return conv


def _load(path: Path | Traversable, file: str | None = None) -> _ProfileFile:
    loaded: _ProfileFile = load_toml(path, _ProfileFile, file=file, converter=_converter())
    return loaded


@attrs.frozen(kw_only=True)
class ContactsProfile:
    """A column profile for a contacts export: which headings hold which field of
    :data:`CONTACT_FIELDS`, the export's own words for the values, and the file settings.

    The TOML shape is that of the register sources' profiles (:mod:`kaa.adapters.profile`):
    ``[source]`` (name, title, description), ``[file]`` (encoding, delimiter, sheet,
    date_formats), ``[columns]`` (field = heading or list of headings; the first found wins)
    and ``[values.FIELD]`` (export word = the library's value) for ``channel``, ``outcome``,
    ``contacted`` and ``activity``. A mapping file has the same sections, all optional: its
    headings *replace* a field's headings, its words are *added* (and win).

    Attributes:
        name: The profile's name (``ist-contacts``).
        title: The system, as case workers know it.
        description: What the export is and what to check.
        columns: For each field, the headings that may hold it.
        values: For each coded field, export words (normalised) → the library's value.
        date_formats: Date forms tried, in order (see :mod:`kaa.formats.text`).
        encoding: ``auto`` or an encoding.
        delimiter: ``auto`` or a separator.
        sheet: For a workbook, the sheet to read (the first if ``None``).
        files: The profile files this was built from.
    """

    name: str
    title: str
    description: str
    columns: Mapping[str, tuple[str, ...]]
    values: Mapping[str, Mapping[str, Labelled]]
    date_formats: tuple[str, ...] = DATE_FORMATS
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    files: tuple[str, ...] = ()

    @classmethod
    def from_toml(cls, path: Path | Traversable, *, file: str | None = None) -> ContactsProfile:
        """Load a complete profile (with ``[source]``) from a TOML file.

        Raises:
            ConfigurationError: If the file is not TOML, has no ``[source]``, or a key or
                value is wrong.
        """
        name = str(path) if file is None else file
        return cls._from_data(_load(path, name), name)

    @classmethod
    def from_text(cls, text: str, *, file: str = "<profile>") -> ContactsProfile:
        """Load a complete profile from TOML text.

        Raises:
            ConfigurationError: As :meth:`from_toml`.
        """
        data: _ProfileFile = parse_toml(text, _ProfileFile, file=file, converter=_converter())
        return cls._from_data(data, file)

    @classmethod
    def _from_data(cls, data: _ProfileFile, file: str) -> ContactsProfile:
        if data.source is None:
            raise DataFileError(
                [
                    (
                        "a profile needs a [source] table with name, title and description",
                        ("source",),
                    )
                ],
                file=file,
            )
        base = cls(
            name=data.source.name,
            title=data.source.title,
            description=data.source.description,
            columns={},
            values={field: dict(_vocabulary(kind)) for field, kind in _CHOICES.items()},
            files=(file,),
        )
        return base._apply(data, file, replace_files=True)

    def with_mapping(self, path: Path) -> ContactsProfile:
        """This profile adapted by a municipality's mapping file.

        Raises:
            ConfigurationError: If the file is not TOML or a key or value is wrong.
        """
        return self._apply(_load(path), str(path), replace_files=False)

    def _apply(self, data: _ProfileFile, file: str, *, replace_files: bool) -> ContactsProfile:
        settings = data.file
        changes: dict[str, Any] = {
            "columns": {**self.columns, **data.columns},
            "files": (file,) if replace_files else (*self.files, file),
        }
        changes.update(file_changes(settings))
        changes["values"] = merged_values(self.values, data.values, _CHOICES)
        return attrs.evolve(self, **changes)

    def markdown(self) -> str:
        """The profile's columns as a Markdown table (for the docs)."""
        lines = ["| field | headings (first found wins) | what it holds |", "|---|---|---|"]
        for field, description in CONTACT_FIELDS.items():
            if field in self.columns:
                shown = ", ".join(f"`{h}`" for h in self.columns[field])
                lines.append(f"| `{field}` | {shown} | {description} |")
        return "\n".join(lines)


def read_contacts_export(
    path: Path,
    profile: ContactsProfile,
    *,
    summary: FilledSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    today: dt.date | None = None,
) -> Iterator[FilledRow]:
    """Read a register system's contacts export (CSV or XLSX) through ``profile``.

    One row is one contact, keyed by the youth's identity number. The columns the profile
    does not map (names, notes, free text) are never read.

    Args:
        path: The export.
        profile: Its column profile (a built-in one adapted by a mapping file).
        summary: Counts and problems, filled as the rows are read.
        on_problem: Called with each problem as it is found (it may raise to stop).
        today: The last day a contact can have been made (today if ``None``).

    Returns:
        The rows that can be recorded (:attr:`FilledRow.youth` set, no case id); every other
        row is a problem in ``summary``.

    Raises:
        InvalidInput: If the file cannot be read, or a required field's column is missing
            (naming the field and the headings looked for).
    """
    table = open_table(
        path, encoding=profile.encoding, delimiter=profile.delimiter, sheet=profile.sheet
    )
    counts = summary if summary is not None else FilledSummary(file=table.name)
    rows = table.rows
    try:
        where = _export_columns(table.name, rows, profile)
    except BaseException:
        _close(rows)  # closes the workbook, or the file
        raise
    return _export_rows(
        table.name, rows, where, profile, counts, on_problem, today or dt.date.today()
    )


def _export_columns(
    label: str, rows: Iterator[tuple[int, list[str] | MalformedRow]], profile: ContactsProfile
) -> dict[str, tuple[int, str]]:
    """Where each field of the profile is in the export: its column and heading."""
    try:
        number, heading = next(rows)
    except StopIteration:
        raise InvalidInput("the export is empty: it has no headings", file=label) from None
    if isinstance(heading, MalformedRow):
        raise InvalidInput(
            f"the heading row cannot be read: {heading.message}", file=label, line=number
        )
    found = {normalise_heading(h): i for i, h in reversed(list(enumerate(heading)))}
    where: dict[str, tuple[int, str]] = {}
    for field, headings in profile.columns.items():
        for h in headings:
            index = found.get(normalise_heading(h))
            if index is not None:
                where[field] = (index, heading[index].strip())
                break
    for field in _REQUIRED:
        if field not in where:
            looked = ", ".join(repr(h) for h in profile.columns.get(field, ())) or "none mapped"
            raise InvalidInput(
                f"the export has no column for {field} ({CONTACT_FIELDS[field]}); the profile "
                f"{profile.name} looks for: {looked}; map the export's heading in a mapping "
                f'file ([columns] {field} = "…")',
                file=label,
                line=number,
            )
    return where


def _export_rows(
    label: str,
    rows: Iterator[tuple[int, list[str] | MalformedRow]],
    where: Mapping[str, tuple[int, str]],
    profile: ContactsProfile,
    summary: FilledSummary,
    on_problem: Callable[[Problem], None] | None,
    today: dt.date,
) -> Iterator[FilledRow]:
    for number, cells in rows:
        summary.rows_read += 1
        if isinstance(cells, MalformedRow):
            summary.rows_rejected += 1
            add_problem(
                summary, on_problem, Problem(file=label, line=number, message=cells.message)
            )
            continue
        problems: list[tuple[str | None, str]] = []
        found = _export_row(label, number, cells, where, profile, today, problems)
        if found is None:
            summary.rows_rejected += 1
            youth = _masked_of(_field(cells, where, "id"))
            for column, message in problems:
                add_problem(
                    summary,
                    on_problem,
                    Problem(file=label, line=number, column=column, youth=youth, message=message),
                )
            continue
        summary.rows_accepted += 1
        summary.records += 1
        yield found


def _field(cells: Sequence[str], where: Mapping[str, tuple[int, str]], field: str) -> str:
    index = where[field][0] if field in where else None
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _export_row(
    label: str,
    number: int,
    cells: Sequence[str],
    where: Mapping[str, tuple[int, str]],
    profile: ContactsProfile,
    today: dt.date,
    problems: list[tuple[str | None, str]],
) -> FilledRow | None:
    values: dict[str, Any] = {}

    def bad(field: str, message: str) -> None:
        problems.append((where[field][1] if field in where else field, message))

    id_text = _field(cells, where, "id")
    youth: IdentityNumber | None = None
    if not id_text:
        bad("id", "the identity number is missing")
    else:
        try:
            youth = parse_identity(id_text)
        except InvalidInput as exc:
            bad("id", f"not an identity number: {exc.message}")
    for field in ("day", "channel", "outcome"):
        if not _field(cells, where, field):
            bad(field, f"the {field} is missing")
    if _field(cells, where, "day"):
        try:
            values["day"] = _day(_field(cells, where, "day"), profile.date_formats, today)
        except _Bad as exc:
            bad("day", exc.message)
    for field, kind in _CHOICES.items():
        text = _field(cells, where, field)
        if not text:
            continue
        member = profile.values[field].get(normalise_value(text))
        if member is None:
            bad(
                field,
                f"{_shown(text)} is not {_WHAT[kind]} the profile knows: add the export's "
                f"word to a mapping file ([values.{field}]) or use one of: {_labels(kind)}",
            )
        else:
            values[field] = member
    message = _activity_fault(values.get("outcome"), values.get("activity"))
    if message is not None:
        bad("activity", message)
    if problems or youth is None:
        return None
    return FilledRow(
        sheet=label,
        row=number,
        youth=youth,
        day=values["day"],
        channel=values["channel"],
        contacted=values.get("contacted", Contacted.YOUTH),
        outcome=values["outcome"],
        activity=values.get("activity"),
        columns={field: heading for field, (_, heading) in where.items()},
    )


def _activity_fault(outcome: object, activity: object) -> str | None:
    """Why an activity cannot go with a result, or ``None``."""
    if (
        isinstance(outcome, ContactOutcome)
        and isinstance(activity, Activity)
        and activity is not Activity.UNKNOWN
        and not outcome.reached
    ):
        return (
            f"an activity ({activity.label_sv}) is learnt only at a contact that reached "
            f"someone, not one with the result {outcome.label_sv}"
        )
    return None
