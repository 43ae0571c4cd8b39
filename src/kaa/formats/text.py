"""Real-world register exports: encodings, separators, Swedish dates, spreadsheet quirks.

What a municipality's export actually looks like, and how each quirk is handled:

**Encodings** — detected from the bytes of the **whole file**, or set explicitly
(``encoding`` under ``[file]`` in a mapping file, one of :data:`ENCODINGS`). Before the rows
are read the file is read once, a block at a time (constant memory), for evidence:

* a UTF-8 byte-order mark → UTF-8 (``utf-8-sig``); a UTF-16 byte-order mark → UTF-16 (what
  Excel writes as "Unicode text");
* a file that is UTF-8 from the first byte to the last → UTF-8;
* otherwise a one-byte encoding, told apart by where the file keeps the Swedish letters.
  Windows-1252 (what Excel on Swedish Windows writes as "CSV"; Latin-1 agrees with it on
  every letter) has å ä ö Å Ä Ö é at 0xE5 0xE4 0xF6 0xC5 0xC4 0xD6 0xE9, among its letters
  at 0xC0–0xFF. DOS code page 850 (``cp850``, old DOS and terminal programs) has them at
  0x86 0x84 0x94 0x8F 0x8E 0x99 0x82, where Windows-1252 has punctuation († „ ” ™ ‚) or,
  for 0x8F, nothing. The file is

  - ``cp850`` if it has a 0x8F (Å), or one of the cp850 letters å ä ö Ä Ö é ü É Ø ø
    between two ASCII letters (as the 0x94 of ``Förnamn``), and no Windows-1252 letter; or
    if it has no letter of either kind but one of the bytes Windows-1252 leaves undefined
    (0x81 0x8D 0x90 0x9D: ü ì É Ø in cp850);
  - ``cp1252`` if it has Windows-1252 letters and no cp850 evidence (a „ or ” beside them is
    punctuation), or ``latin-1`` if it also has a byte Windows-1252 leaves undefined;
  - ``cp1252`` if it has neither (only bytes such as – € …).

A file that is **not consistently one encoding** is never read into garbled letters: it
stops with an :class:`~kaa.errors.InvalidInput` naming the first line that contradicts the
rest, and saying how to set the encoding. That is a file with UTF-8 lines and lines in a
one-byte encoding (a Windows-1252 heading above a UTF-8 body, or the reverse), a file with
both Windows-1252 letters and cp850 evidence, and a file whose only telling bytes can be
either cp850 letters or Windows-1252 punctuation (``Malmö`` in cp850 ends in 0x94, which
Windows-1252 reads as ``Malm”``).

The rule's limits: it reads letters, not words. A Windows-1252 file whose only non-ASCII
characters are „ ” ™ † ‚ must have its encoding set; so must a cp850 file that also uses
letters cp850 keeps at 0xC0–0xFF (ß õ Ó Ú ã), which is refused as mixed; and a one-byte file
in which two bytes happen to spell a UTF-8 character (Windows-1252 ``Ö`` then ``”``) is
refused as mixed. Other encodings (Mac Roman, ISO-8859-15, UTF-16 without a byte-order mark)
are not detected. An encoding that is set is used as it is; a byte it cannot decode stops
the read with an :class:`~kaa.errors.InvalidInput` naming the line.

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

**Limits** — what a file may hold before it is refused, so that no export, damaged or made to
harm, can take all memory or time:

* a cell of more than :data:`MAX_CELL` (131,072) characters makes its row a reported problem,
  in CSV and in workbooks;
* a workbook (:class:`WorkbookLimits`) is looked into before it is opened: it is refused with
  an :class:`~kaa.errors.InvalidInput` if its parts unpack to more than 200 MiB together, its
  shared strings (all its texts, held in memory) to more than 64 MiB, any other part but a
  sheet to more than 16 MiB, or a part of 4 MiB or more unpacks to more than 100 times its
  packed size (a compression bomb; real sheets pack about ten to one). A sheet is read row
  by row whatever size it claims; one with more than 1,048,576 rows (Excel's limit) stops
  with an error, and a row with a value beyond column 1,024 is reported, not read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import zipfile
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
    "MAX_CELL",
    "XLSX_LIMITS",
    "MalformedRow",
    "Table",
    "WorkbookLimits",
    "cell_text",
    "csv_rows",
    "detect_encoding",
    "load_xlsx",
    "normalise_heading",
    "normalise_value",
    "open_table",
    "parse_date",
    "parse_identity",
    "sniff_delimiter",
    "sniff_separator",
    "workbook_fault",
]

ENCODINGS: Final = ("auto", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp850")
"""Encodings a source can be told to use (``auto`` detects, see the module docs)."""

MAX_CELL: Final = 131_072
"""The longest cell text read, in characters (as the CSV reader's field limit); a row with a
longer cell is reported and not read."""

DATE_FORMATS: Final = ("iso", "compact", "slash", "dotted", "excel")
"""The named date forms :func:`parse_date` knows; anything else must be a ``strptime`` pattern
containing ``%``."""

DELIMITERS: Final = (";", ",", "\t")
"""The separators detected in CSV exports."""

_SAMPLE: Final = 1 << 20
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_EXCEL_MIN: Final = 10_000  # 1927-05-18; below this a number is not taken as a date
_EXCEL_MAX: Final = 99_999  # 2173-10-14
_SPACES: Final = re.compile(r"\s+")
_SCIENTIFIC: Final = re.compile(r"^\d([.,]\d+)?[eE][+]?\d+$")


def detect_encoding(data: bytes, *, file: str | None = None) -> str:
    """The encoding of a file's bytes, by the rule in the module docs.

    Args:
        data: The whole file (its first block decides only if the file is no longer).
        file: What to call the file in an error.

    Returns:
        One of ``utf-8-sig``, ``utf-16``, ``utf-8``, ``cp1252``, ``latin-1`` or ``cp850``.

    Raises:
        InvalidInput: If the bytes are not consistently one encoding, or cannot tell
            Windows-1252 from cp850; naming the line.
    """
    stream = io.BytesIO(data)
    return _detect(stream, stream.read(_SAMPLE), file)


def _classes(groups: dict[str, Iterable[int]]) -> bytes:
    """A :meth:`bytes.translate` table giving each byte the mark of its group (else ``.``)."""
    table = bytearray(b"." * 256)
    for mark, values in groups.items():
        for value in values:
            table[value] = ord(mark)
    return bytes(table)


_UTF8_CLASSES: Final = _classes(
    {"c": range(0x80, 0xC0), "2": range(0xC2, 0xE0), "3": range(0xE0, 0xF0), "4": range(0xF0, 0xF5)}
)
"""Each byte's part in UTF-8: ``c`` continues a character, ``2``/``3``/``4`` starts one of that
many bytes."""
_UTF8_CHARACTERS: Final = (b"2c", b"3cc", b"4ccc")
_ONE_BYTE_CLASSES: Final = _classes(
    {
        "a": b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "W": (b for b in range(0xC0, 0x100) if b not in (0xD7, 0xF7)),  # not × ÷
        "d": b"\x81\x82\x84\x86\x8e\x90\x94\x99\x9b\x9d",  # ü é ä å Ä É ö Ö ø Ø in cp850
        "A": b"\x8f",  # Å in cp850, undefined in Windows-1252
    }
)
"""Each byte as evidence of a one-byte encoding: ``a`` an ASCII letter, ``W`` a Windows-1252
letter, ``d`` a cp850 letter that is punctuation in Windows-1252, ``A`` cp850's Å."""
_CP1252_UNDEFINED: Final = (b"\x81", b"\x8d", b"\x90", b"\x9d")
_SET_ENCODING: Final = (
    'set the encoding in a mapping file ([file] encoding = "cp1252", "cp850" or "utf-8"), '
    "or save the export again in one encoding"
)


class _Evidence:
    """Where a file first shows each kind of evidence of its encoding, fed block by block.

    Kinds: ``not utf-8`` (a byte that is not UTF-8), ``utf-8`` (a UTF-8 character of two to
    four bytes), ``windows`` (a Windows-1252 letter), ``dos`` (cp850's Å, or a cp850 letter
    between ASCII letters), ``either`` (a byte that is a cp850 letter or Windows-1252
    punctuation) and ``undefined`` (a byte Windows-1252 leaves undefined); each noted with the
    1-based line it is first on (lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as the reader
    counts them).
    """

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._breaks = 0  # line breaks before the current block
        self._cr = False  # the block before ended with \r
        self._tail = b""  # its last bytes, for evidence across the boundary

    def feed(self, block: bytes) -> None:
        """Look at the next block of the file."""
        first = self.first
        if "not utf-8" not in first:
            pending = len(self._decoder.getstate()[0])
            try:
                self._decoder.decode(block)
            except UnicodeDecodeError as exc:
                self._note("not utf-8", block, exc.start - pending)
        if not block.isascii():
            data = self._tail + block
            shift = len(self._tail)
            if "utf-8" not in first:
                marks = data.translate(_UTF8_CLASSES)
                self._find("utf-8", block, shift, marks, *_UTF8_CHARACTERS)
            if "utf-8" not in first:  # else the file is UTF-8 or mixed, whatever follows
                marks = data.translate(_ONE_BYTE_CLASSES)
                self._find("windows", block, shift, marks, b"W")
                self._find("dos", block, shift, marks, b"A", b"ada", offset={b"ada": 1})
                if "windows" not in first:  # else it does not decide
                    self._find("either", block, shift, marks, b"d")
                self._find("undefined", block, shift, data, *_CP1252_UNDEFINED)
        self._tail = (self._tail + block)[-3:]
        breaks = _line_breaks(block)
        if self._cr and block[:1] == b"\n":
            breaks -= 1
        self._breaks += breaks
        self._cr = block[-1:] == b"\r" or (self._cr and not block)

    def finish(self) -> None:
        """The file has ended (a UTF-8 character cut short at the end is not UTF-8)."""
        if "not utf-8" not in self.first:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.first["not utf-8"] = self._breaks + 1  # the cut character ends the file

    @property
    def settled(self) -> bool:
        """Whether the file is already known to mix encodings (reading on cannot change it)."""
        first = self.first
        return ("not utf-8" in first and "utf-8" in first) or (
            "windows" in first and "dos" in first
        )

    def verdict(self, file: str | None) -> str:
        """The encoding the evidence gives (see the module docs).

        Raises:
            InvalidInput: If the evidence is of two encodings, or cannot tell.
        """
        first = self.first
        bad = first.get("not utf-8")
        if bad is None:
            return "utf-8"
        good = first.get("utf-8")
        if good is not None:
            if good < bad:
                what = f"line {bad} is not UTF-8, but line {good} is"
            elif bad < good:
                what = f"line {good} is UTF-8, but line {bad} is not"
            else:
                what = f"line {bad} mixes UTF-8 with another encoding"
            raise InvalidInput(
                f"{what}: the file mixes encodings, and reading it as either would garble "
                f"å, ä and ö; {_SET_ENCODING}",
                file=file,
                line=max(bad, good),
            )
        windows, dos = first.get("windows"), first.get("dos")
        if windows is not None and dos is not None:
            if windows < dos:
                what = (
                    f"line {dos} has letters as DOS (cp850) writes them, "
                    f"line {windows} as Windows-1252"
                )
            else:
                what = (
                    f"line {windows} has letters as Windows-1252 writes them, "
                    f"line {dos} as DOS (cp850)"
                )
            raise InvalidInput(
                f"{what}: the file mixes encodings; {_SET_ENCODING}",
                file=file,
                line=max(windows, dos),
            )
        if dos is not None:
            return "cp850"
        if windows is not None:
            return "latin-1" if "undefined" in first else "cp1252"
        if "undefined" in first:
            return "cp850"
        either = first.get("either")
        if either is not None:
            raise InvalidInput(
                "no letter in the file tells its encoding: its bytes outside ASCII (the first "
                "on this line) are ones DOS (cp850) reads as letters (ä å ö Ä Ö é) and "
                f"Windows-1252 as punctuation („ † ” ™ ‚); {_SET_ENCODING}",
                file=file,
                line=either,
            )
        return "cp1252"

    def _find(
        self,
        kind: str,
        block: bytes,
        shift: int,
        haystack: bytes,
        *needles: bytes,
        offset: dict[bytes, int] | None = None,
    ) -> None:
        if kind in self.first:
            return
        found = [
            at + (offset or {}).get(needle, 0)
            for needle in needles
            if (at := haystack.find(needle)) >= 0
        ]
        if found:
            self._note(kind, block, min(found) - shift)

    def _note(self, kind: str, block: bytes, at: int) -> None:
        before = block[: max(at, 0)]
        breaks = _line_breaks(before)
        if self._cr and before[:1] == b"\n":
            breaks -= 1
        self.first[kind] = self._breaks + breaks + 1


def _line_breaks(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


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


_INVISIBLE: Final = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"))
"""Byte-order mark, zero-width characters and the soft hyphen: never part of a word."""
_SEPARATORS: Final = re.compile(r"[\s_\-\u2010-\u2015\u2212]+")
"""Runs of white space, underscores, hyphens and dashes: one word break."""


def normalise_heading(text: str) -> str:
    """A column heading (or a coded value) as compared with a profile, so that the same words
    written differently compare equal.

    The text is Unicode-normalised (NFKC: a decomposed ``ö`` is ``ö``, a non-breaking or
    other Unicode space is a space), case-folded, without a byte-order mark, zero-width
    characters, soft hyphens or surrounding quotes; every run of white space, underscores,
    hyphens and dashes is one space, and the ends are trimmed. A text of only such marks
    (``-``) is kept as it is, so it is never read as an empty cell. Letters keep their
    diacritics (``å``, ``ä``, ``ö`` are letters of their own in Swedish).

        >>> normalise_heading("SKYDDAD_IDENTITET") == normalise_heading(" Skyddad\u00a0 identitet")
        True
        >>> normalise_heading("Skyddad-folkbokfo\u0308ring")
        'skyddad folkbokföring'
        >>> normalise_heading("-")
        '-'
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip().strip('"')
    folded = unicodedata.normalize("NFKC", text.casefold())
    return _SEPARATORS.sub(" ", folded).strip() or _SPACES.sub(" ", folded).strip()


_INNER_SEPARATORS: Final = re.compile(r"(?<=\w)[\s_\-\u2010-\u2015]+(?=\w)")


def normalise_value(text: str) -> str:
    """A coded value (a cell of a column with a value table) as compared with a profile: as
    :func:`normalise_heading`, except that a sign or mark at either end is part of the value —
    ``-1`` is not ``1``, and ``Ja-`` is not ``ja``.

        >>> normalise_value("-1"), normalise_value(" JA ")
        ('-1', 'ja')
        >>> normalise_value("Skyddad-folkbokfo\u0308ring")
        'skyddad folkbokföring'
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip().strip('"')
    folded = unicodedata.normalize("NFKC", text.casefold())
    return _SPACES.sub(" ", _INNER_SEPARATORS.sub(" ", folded)).strip()


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


@attrs.frozen(kw_only=True)
class WorkbookLimits:
    """How large a workbook may be once unpacked; beyond these it is refused before it is
    read (see the module docs). The defaults (:data:`XLSX_LIMITS`) are far above any
    municipality's export and far below what would exhaust a laptop.

    Attributes:
        total: The most all parts of the file may hold together, uncompressed, in bytes.
        shared_strings: The most the shared-strings part (every text of the workbook, held
            in memory while the sheet is read) may hold, uncompressed.
        other_xml: The most any other XML part but a sheet (styles, workbook, properties,
            read whole into memory) may hold, uncompressed.
        ratio: The most a part may expand by when unpacked (uncompressed / compressed) ...
        ratio_from: ... if it is at least this large uncompressed.
        rows: The most rows a sheet may have (Excel's own limit).
        columns: The most columns read: a row with a value further right is reported and not
            read (empty cells further right are ignored).
    """

    total: int = 200 * 2**20
    shared_strings: int = 64 * 2**20
    other_xml: int = 16 * 2**20
    ratio: int = 100
    ratio_from: int = 4 * 2**20
    rows: int = 1_048_576
    columns: int = 1_024


XLSX_LIMITS: Final = WorkbookLimits()
"""The limits :func:`open_table` holds a workbook to unless told otherwise."""


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def workbook_fault(parts: Iterable[zipfile.ZipInfo], limits: WorkbookLimits) -> str | None:
    """Why a workbook with these parts is refused unread, or ``None``."""
    total = 0
    for part in parts:
        size, packed, part_name = part.file_size, part.compress_size, part.filename
        total += size
        lowered = part_name.lower()
        if lowered.endswith("sharedstrings.xml") and size > limits.shared_strings:
            return (
                f"its shared strings ({part_name}) unpack to {_mib(size)}, more than the "
                f"{_mib(limits.shared_strings)} allowed"
            )
        if (
            lowered.endswith((".xml", ".rels"))
            and not lowered.startswith("xl/worksheets/")
            and not lowered.endswith("sharedstrings.xml")
            and size > limits.other_xml
        ):
            return (
                f"its part {part_name} unpacks to {_mib(size)}, more than the "
                f"{_mib(limits.other_xml)} allowed"
            )
        if size >= limits.ratio_from and size > limits.ratio * max(packed, 1):
            return (
                f"its part {part_name} unpacks from {packed:,} bytes to {_mib(size)}, "
                f"more than {limits.ratio} times its packed size: a compression bomb"
            )
    if total > limits.total:
        return f"it unpacks to {_mib(total)}, more than the {_mib(limits.total)} allowed"
    return None


def open_table(
    path: Path,
    *,
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
    limits: WorkbookLimits = XLSX_LIMITS,
) -> Table:
    """Open a CSV (or tab-separated text) or XLSX export for reading row by row.

    Args:
        path: The file; ``.xlsx``/``.xlsm`` is read as a workbook (needs the ``excel``
            extra, ``pip install 'kaa[excel]'``), anything else as text.
        encoding: One of :data:`ENCODINGS` (``auto`` detects).
        delimiter: ``auto``, ``;``, ``,`` or a tab (also written ``tab`` or ``\\t``).
        sheet: For a workbook, the sheet to read (the first if ``None``).
        limits: For a workbook, how large it may be unpacked (see the module docs).

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
        return _open_xlsx(path, sheet, limits)
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
    try:
        head = raw.read(_SAMPLE)
        chosen = _detect(raw, head, name) if encoding == "auto" else encoding
        raw.seek(0)
    except OSError as exc:
        raw.close()
        raise InvalidInput(f"cannot read the file: {exc.strerror}", file=name) from None
    except BaseException:
        raw.close()
        raise
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


def _detect(raw: IO[bytes], head: bytes, name: str | None) -> str:
    """The encoding of the file ``raw`` (positioned after ``head``), from all its bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    scan = _Evidence()
    block = head
    while block and not scan.settled:
        scan.feed(block)
        block = raw.read(_SAMPLE)
    scan.finish()
    chosen = scan.verdict(name)
    return "utf-8-sig" if chosen == "utf-8" and head.startswith(codecs.BOM_UTF8) else chosen


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
                'set the encoding in a mapping file ([file] encoding = "auto", "utf-8", '
                '"cp1252", "cp850" or "latin-1")',
                file=name,
                line=line,
            ) from None
        except csv.Error as exc:
            raise InvalidInput(f"not a readable CSV file: {exc}", file=name, line=line) from None


def load_xlsx(path: Path, limits: WorkbookLimits, *, data_only: bool, advice: str = "") -> Any:
    """An ``.xlsx`` workbook opened read-only with openpyxl, after its zip entries are held to
    ``limits`` (:func:`workbook_fault`: a zip bomb is refused before it is opened).

    Args:
        path: The workbook.
        limits: The bounds on its entries.
        data_only: Read the cached values of formulas instead of the formulas.
        advice: Added to the message of a workbook refused for its size.

    Raises:
        InvalidInput: If openpyxl is missing, or the file is not a readable workbook or
            breaks the limits (the message never shows a cell).
    """
    name = str(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the extra is installed in the test environment
        raise InvalidInput(
            "reading .xlsx needs the 'excel' extra: pip install 'kaa[excel]'", file=name
        ) from None
    try:
        with zipfile.ZipFile(path) as archive:
            fault = workbook_fault(archive.infolist(), limits)
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror or exc}", file=name) from None
    except Exception as exc:  # not a zip file, or a damaged one
        raise InvalidInput(
            f"not a readable .xlsx workbook ({type(exc).__name__})", file=name
        ) from None
    if fault is not None:
        raise InvalidInput(f"the workbook is not read: {fault}{advice}", file=name)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror or exc}", file=name) from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InvalidInput(
            f"not a readable .xlsx workbook ({type(exc).__name__})", file=name
        ) from None


def _open_xlsx(path: Path, sheet: str | None, limits: WorkbookLimits) -> Table:
    name = str(path)
    book = load_xlsx(path, limits, data_only=True, advice="; save the sheet as CSV, or split it")
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
    return Table(name=label, rows=_xlsx_rows(book, worksheet, label, limits))


def _xlsx_rows(
    book: Any, worksheet: Any, label: str, limits: WorkbookLimits
) -> Iterator[tuple[int, list[str] | MalformedRow]]:
    number = 0
    try:
        # Rows end at their last cell, whatever size the sheet claims (a claimed A1:XFD1048576
        # would otherwise pad every row, and add empty rows, to that size).
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > limits.rows:
                raise InvalidInput(
                    f"the sheet has more than {limits.rows:,} rows", file=label, line=number
                )
            if not values or values.count(None) == len(values):
                continue
            if len(values) > limits.columns:
                beyond = values[limits.columns :]
                if beyond.count(None) != len(beyond):
                    last = len(values) - next(
                        i for i, v in enumerate(reversed(values)) if v is not None
                    )
                    wide = MalformedRow(
                        f"the row has a value in column {last:,}; at most "
                        f"{limits.columns:,} columns are read, so the row is not read"
                    )
                    yield number, wide
                    continue
                values = values[: limits.columns]
            cells = [cell_text(v) for v in values]
            if max(map(len, cells)) > MAX_CELL:
                column = next(i for i, c in enumerate(cells, start=1) if len(c) > MAX_CELL)
                long = MalformedRow(
                    f"the cell in column {column} is longer than {MAX_CELL:,} characters; "
                    "the row is not read"
                )
                yield number, long
                continue
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


def cell_text(value: object) -> str:
    """A workbook cell's value as the text a CSV export would hold: empty for an empty cell,
    ``ja``/``nej`` for a boolean, an ISO date for a date, a whole number without ``.0``."""
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
