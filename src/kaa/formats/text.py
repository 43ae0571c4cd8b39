"""Real-world register exports: encodings, separators, Swedish dates, spreadsheet quirks.

What a municipality's export actually looks like, and how each quirk is handled:

**Encodings** — detected from the bytes, or set explicitly (``encoding`` in a mapping file,
``--encoding`` on the command line):

* a UTF-8 byte-order mark → UTF-8 (``utf-8-sig``);
* a UTF-16 byte-order mark → UTF-16 (what Excel writes as "Unicode text");
* text that decodes as UTF-8 → UTF-8;
* otherwise Windows-1252 (what Excel on Swedish Windows writes as "CSV"), unless the bytes
  use one of the five positions Windows-1252 leaves undefined, in which case Latin-1. For
  Swedish letters (å ä ö é) the two agree.

Detection looks at the first megabyte; if a later byte does not decode, the read stops with
an :class:`~kaa.errors.InvalidInput` that names the line and tells how to set the encoding.

**Separators** — ``;`` (Excel with Swedish settings, where ``,`` is the decimal comma), ``,``
and tab, detected from the heading row (the one outside quotes that occurs most), or set
explicitly. Quoted fields may hold separators and quotes (doubled), but every row is one
line: a quote left open at the end of a line, or text after a closing quote, makes that line
a :class:`MalformedRow` (reported, not read), and the next line is read as usual
(:func:`csv_rows`).

**Rows** — blank rows and rows of empty cells (``;;;;``, as Excel leaves at the end) are
skipped; rows above the heading row (a title such as "Målgruppslista KAA") are skipped and
reported in a notice; a repeated heading row (from exports pasted together) is skipped and
reported in a notice.

**Dates** — :func:`parse_date` accepts only forms that cannot be misread:

=============  =====================  ============================================
name           example                 notes
=============  =====================  ============================================
``iso``        ``2024-06-12``          also with a time: ``2024-06-12 00:00:00``
``compact``    ``20240612``
``slash``      ``2024/06/12``          year first only
``dotted``     ``2024.06.12``          year first only
``excel``      ``45455``               an Excel serial day number (1900 date system)
=============  =====================  ============================================

Day-first and month-first forms (``12/6 2024``, ``06/12/2024``) are **not** accepted by
default, because ``05/06/2024`` means different days in different exports. A municipality
whose export writes them adds the exact pattern to its mapping file
(``date_formats = ["%d/%m %Y"]``, :func:`datetime.datetime.strptime` codes).

**Identity numbers** — :func:`parse_identity` accepts every form
:meth:`kaa.identity.IdentityNumber.parse` does, and also what spreadsheets make of them: a
space as separator (``20080812 2394``), a number with a trailing ``.0``
(``200808122394.0``), and a 10-digit number that lost its leading zero. A number that Excel
turned into scientific notation (``2,00808E+11``) has lost digits for good: it is reported
with a message saying so.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final

import attrs

from kaa.dated import iso_date_time
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.identity import IdentityNumber

__all__ = [
    "DATE_FORMATS",
    "ENCODINGS",
    "MalformedRow",
    "Table",
    "csv_rows",
    "detect_encoding",
    "normalise_heading",
    "open_table",
    "parse_date",
    "parse_identity",
    "sniff_delimiter",
    "sniff_separator",
]

ENCODINGS: Final = ("auto", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
"""Encodings a source can be told to use (``auto`` detects, see the module docs)."""

DATE_FORMATS: Final = ("iso", "compact", "slash", "dotted", "excel")
"""The named date forms :func:`parse_date` knows; anything else must be a ``strptime`` pattern
containing ``%``."""

DELIMITERS: Final = (";", ",", "\t")
"""The separators detected in CSV exports."""

_SAMPLE: Final = 1 << 20
_CP1252_UNDEFINED: Final = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_EXCEL_MIN: Final = 10_000  # 1927-05-18; below this a number is not taken as a date
_EXCEL_MAX: Final = 99_999  # 2173-10-14
_SPACES: Final = re.compile(r"\s+")
_SCIENTIFIC: Final = re.compile(r"^\d([.,]\d+)?[eE][+]?\d+$")


def detect_encoding(head: bytes) -> str:
    """The encoding of a file that starts with ``head`` (see the module docs).

    Args:
        head: The first bytes of the file (up to about a megabyte is enough).

    Returns:
        One of ``utf-8-sig``, ``utf-16``, ``utf-8``, ``cp1252`` or ``latin-1``.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if _CP1252_UNDEFINED.search(head):
        return "latin-1"
    return "cp1252"


def sniff_delimiter(line: str) -> str:
    """The separator of a CSV heading row: the one of ``;`` ``,`` tab that occurs most often
    outside quotes (``;`` when none occurs, for a one-column file).

    Args:
        line: The first non-blank line of the file.

    Returns:
        ``";"``, ``","`` or ``"\\t"``.
    """
    return sniff_separator([line])


def _outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def sniff_separator(lines: Sequence[str]) -> str:
    """The separator of a CSV file from its first lines: the one of ``;`` ``,`` tab that
    splits the most lines into the same number of cells (a title row above the heading, such
    as ``KAA-register, Askersund``, does not decide it); ties go to the one that occurs more
    often, and ``;`` when none occurs (a one-column file).

    Args:
        lines: The first non-blank lines of the file (the first 20 are looked at).

    Returns:
        ``";"``, ``","`` or ``"\t"``.
    """
    per_line = [_outside_quotes(line) for line in lines[:20] if line.strip()]
    best, best_key = ";", (0, 0)
    for sep in DELIMITERS:
        counts = [c[sep] for c in per_line if c[sep]]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        key = (counts.count(mode), mode)
        if key > best_key:
            best, best_key = sep, key
    return best


def normalise_heading(text: str) -> str:
    """A column heading as compared with a profile: case-folded, trimmed, spaces collapsed,
    without a byte-order mark or surrounding quotes."""
    return _SPACES.sub(" ", text.replace("\ufeff", "").strip().strip('"').strip()).casefold()


def parse_date(text: str, formats: Sequence[str] = DATE_FORMATS) -> dt.date:
    """Read a date in one of ``formats`` (see the module docs for the named forms).

    Args:
        text: The cell text (surrounding whitespace is ignored).
        formats: Named forms and/or ``strptime`` patterns, tried in order. ``iso`` is
            always tried first.

    Returns:
        The day.

    Raises:
        InvalidInput: If ``text`` is not a date in any of the forms; the message lists them.
    """
    s = text.strip()
    if len(s) >= 10 and s[4] == "-":
        found = iso_date_time(s)
        if found is not None:
            return found
        if len(s) == 10 or s[10] in " T":
            raise InvalidInput(
                f"{s!r} is not a calendar date" if len(s) == 10 else f"{s!r} is not a date"
            )
    for fmt in formats:
        found = _try_format(s, fmt)
        if found is not None:
            return found
    raise InvalidInput(f"{s!r} is not a date; accepted forms: {', '.join(_describe(formats))}")


def _try_format(s: str, fmt: str) -> dt.date | None:
    try:
        if fmt == "compact":
            if len(s) == 8 and s.isascii() and s.isdigit():
                return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        elif fmt in ("slash", "dotted"):
            sep = "/" if fmt == "slash" else "."
            parts = s.split(sep)
            if len(parts) == 3 and len(parts[0]) == 4 and all(p.isdigit() for p in parts):
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif fmt == "excel":
            number = s[:-2] if s.endswith((".0", ",0")) else s
            if number.isascii() and number.isdigit() and _EXCEL_MIN <= int(number) <= _EXCEL_MAX:
                return _EXCEL_EPOCH + dt.timedelta(days=int(number))
        elif fmt == "iso":
            return None  # tried before the loop
        elif "%" in fmt:
            return dt.datetime.strptime(s, fmt).date()
    except (ValueError, OverflowError):
        return None
    return None


def _describe(formats: Sequence[str]) -> list[str]:
    examples = {
        "iso": "2024-06-12",
        "compact": "20240612",
        "slash": "2024/06/12",
        "dotted": "2024.06.12",
        "excel": "an Excel day number such as 45455",
    }
    shown = ["2024-06-12"]
    for fmt in formats:
        example = examples.get(fmt, fmt)
        if example not in shown:
            shown.append(example)
    return shown


def parse_identity(text: str, *, on: dt.date | None = None) -> IdentityNumber:
    """Read an identity number in any accepted form, including what spreadsheets make of it.

    Args:
        text: The cell text.
        on: The reference day for the century of a 10-digit form.

    Returns:
        The number.

    Raises:
        InvalidIdentityNumber: If it is not a valid number (never showing its last four
            characters).
    """
    s = text.strip()
    if len(s) == 13 and s[8] == " ":
        s = s[:8] + "-" + s[9:]
    elif len(s) == 11 and s[6] == " ":
        s = s[:6] + "-" + s[7:]
    if s.endswith(".0"):
        s = s[:-2]
    if s.isascii() and s.isdigit() and 7 <= len(s) <= 9:
        return IdentityNumber.parse(int(s), on=on)  # lost its leading zero(s)
    if _SCIENTIFIC.match(s):
        raise InvalidIdentityNumber(
            "the identity number was turned into a number in scientific notation by a "
            "spreadsheet and has lost digits; export the column as text"
        )
    return IdentityNumber.parse(s, on=on)


@attrs.define
class Table:
    """Rows of a CSV or XLSX export, read lazily.

    Attributes:
        name: Where the rows come from, as shown in problems: the path, and for a workbook
            the sheet (``export.xlsx[Blad1]``).
        rows: ``(line, cells)`` pairs: the 1-based line (CSV) or row (XLSX) and the cell
            texts, or a :class:`MalformedRow` for a CSV line that is not a well-formed row
            (see :func:`csv_rows`). Blank rows are already left out.
        encoding: The text encoding used (``None`` for a workbook).
        delimiter: The separator used (``None`` for a workbook).
    """

    name: str
    rows: Iterator[tuple[int, list[str] | MalformedRow]]
    encoding: str | None = None
    delimiter: str | None = None


def open_table(
    path: Path,
    *,
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
) -> Table:
    """Open a CSV (or tab-separated text) or XLSX export for reading row by row.

    Args:
        path: The file; ``.xlsx``/``.xlsm`` is read as a workbook (needs the ``excel``
            extra, ``pip install 'kaa[excel]'``), anything else as text.
        encoding: One of :data:`ENCODINGS` (``auto`` detects).
        delimiter: ``auto``, ``;``, ``,`` or a tab (also written ``tab`` or ``\\t``).
        sheet: For a workbook, the sheet to read (the first if ``None``).

    Returns:
        The table; its rows are read as they are iterated, in constant memory.

    Raises:
        InvalidInput: If the file cannot be opened, the encoding or separator is unknown,
            or the workbook cannot be read.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InvalidInput(
            "old Excel files (.xls) cannot be read: save the export as .xlsx or as CSV",
            file=name,
        )
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if encoding not in ENCODINGS:
        raise InvalidInput(
            f"unknown encoding {encoding!r}; use one of: {', '.join(ENCODINGS)}", file=name
        )
    delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
    if delimiter != "auto" and delimiter not in DELIMITERS:
        raise InvalidInput(f"unknown separator {delimiter!r}; use ';', ',' or tab", file=name)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
    head = raw.read(_SAMPLE)
    raw.seek(0)
    chosen = detect_encoding(head) if encoding == "auto" else encoding
    if chosen == "utf-8" and head.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    if delimiter == "auto":
        text_head = head.decode(chosen, errors="replace").lstrip("\ufeff")
        sample = text_head.splitlines()
        if len(head) == _SAMPLE and len(sample) > 1:
            sample = sample[:-1]  # the sample may end inside a line
        delimiter = sniff_separator(sample)
    stream = io.TextIOWrapper(raw, encoding=chosen, newline="")
    return Table(
        name=name,
        rows=_csv_rows(stream, name, delimiter, chosen),
        encoding=chosen,
        delimiter=delimiter,
    )


@attrs.frozen
class MalformedRow:
    """A line of a CSV file that is not a well-formed row; the reader reports and rejects it.

    Attributes:
        message: What is wrong, for the case worker (never the line's text).
    """

    message: str


def csv_rows(
    lines: Iterable[str], delimiter: str
) -> Iterator[tuple[int, list[str] | MalformedRow]]:
    """The rows of CSV text, strictly: ``(line, cells)`` per non-blank row, or
    ``(line, MalformedRow)`` for a line that is not a well-formed row.

    Quotes must be balanced on each line: a quoted cell that is not closed on its own line (a
    stray ``"``) would otherwise swallow the lines after it into one long cell, and a quote
    followed by more text in the same cell (``"ab"c``) is ambiguous. Each such line is one
    malformed row, and reading goes on from the next line, so no other line is lost or
    altered. (A line break inside a quoted cell is therefore not accepted: export the
    register without line breaks in cells.)

    Args:
        lines: The text, as physical lines with their line endings (a text stream opened with
            ``newline=""``, or ``str.splitlines(keepends=True)``).
        delimiter: The separator.

    Yields:
        The 1-based physical line of each row, and its cells or the fault.
    """
    consumed: list[str] = []

    def feed(source: Iterator[str]) -> Iterator[str]:
        for raw in source:
            consumed.append(raw)
            yield raw

    source = iter(lines)
    line = 1
    bulk = csv.reader(feed(source), delimiter=delimiter, strict=True)
    while True:  # fast path: the whole file through one reader, while every row is one line
        consumed.clear()
        try:
            row = next(bulk)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, MalformedRow(_quote_fault(str(exc)))
            line += 1
            break
        if len(consumed) > 1:
            yield line, MalformedRow(_UNCLOSED)
            line += 1
            break
        if any(cell.strip() for cell in row):
            yield line, row
        line += 1
    # after a fault: every line on its own, starting with those the fault swallowed
    for raw in itertools.chain(consumed[1:], source):
        try:
            cells = next(csv.reader((raw,), delimiter=delimiter, strict=True), [])
        except csv.Error as exc:
            yield line, MalformedRow(_quote_fault(str(exc)))
        else:
            if any(cell.strip() for cell in cells):
                yield line, cells
        line += 1


_UNCLOSED = (
    'a quoted cell is not closed on this line (a stray " or a line break inside a cell); '
    "the row is not read"
)


def _quote_fault(reason: str) -> str:
    if "unexpected end of data" in reason:
        return _UNCLOSED
    if "field limit" in reason:
        return f"a cell is longer than {csv.field_size_limit():,} characters; the row is not read"
    return (
        'a cell has text after its closing quote (a stray " inside a quoted cell); '
        "the row is not read"
    )


def _csv_rows(
    stream: IO[str], name: str, delimiter: str, encoding: str
) -> Iterator[tuple[int, list[str] | MalformedRow]]:
    with stream:
        line = 1
        try:
            for line, row in csv_rows(stream, delimiter):
                yield line, row
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the file is not {encoding} (byte {exc.start} of a block near here); "
                "set the encoding (utf-8, cp1252 or latin-1) in the mapping file or with "
                "--encoding",
                file=name,
                line=line,
            ) from None
        except csv.Error as exc:
            raise InvalidInput(f"not a readable CSV file: {exc}", file=name, line=line) from None


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    name = str(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the extra is installed in the test environment
        raise InvalidInput(
            "reading .xlsx needs the 'excel' extra: pip install 'kaa[excel]'", file=name
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror or exc}", file=name) from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInput(
            f"not a readable .xlsx workbook ({type(exc).__name__})", file=name
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            if not names:
                raise InvalidInput("the workbook has no sheets", file=name)
            sheet = names[0]
        elif sheet not in names:
            raise InvalidInput(
                f"the workbook has no sheet {sheet!r}; it has: {', '.join(names)}", file=name
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
    return Table(name=label, rows=_xlsx_rows(book, worksheet, label))


def _xlsx_rows(book: Any, worksheet: Any, label: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(c.strip() for c in cells):
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


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
