"""A streaming writer of Excel workbooks (``.xlsx``, Office Open XML), standard library only.

Each sheet is written row by row straight into its member of the zip file: time is linear in
the cells, and the rows are not kept (what is kept: the distinct styles, at most 16,384
recently written texts, and the comments of the sheet being written, whose parts follow the
sheet). The workbook opens in Excel, LibreOffice and openpyxl::

    with atomic_binary(path) as handle, XlsxWriter(handle, comment_author="kaa") as book:
        with book.sheet("Kontroller", widths=(11, 9), freeze="A2") as sheet:
            sheet.append([Cell("Kontroll", bold=True), Cell("Allvar", bold=True)])
            sheet.append([Cell("KAA-E001", fill="FFC7CE", comment="…"), "fel"])

What a cell can be (:data:`Value`, or a :class:`Cell` that adds a style and a comment):

- **text** (``str``) is always text, never a formula: ``"=1+1"`` is the four characters it
  is. It is cleaned the way every workbook of the library cleans text: the characters XML
  1.0 cannot hold (C0 control characters but tab, line feed and carriage return; lone
  surrogates; U+FFFE and U+FFFF) are removed, a carriage return (or CR LF) becomes a line
  feed, and text longer than a cell holds (32,767 UTF-16 code units, Excel's limit) is cut
  there (:func:`clean_text`). Text that looks like OOXML's own escape ``_xHHHH_`` is escaped
  (``_x005F_``), so that Excel and LibreOffice show it as written;
- **numbers** (``int``, ``float``): a whole number beyond ±2⁵³, which Excel's numbers (IEEE
  doubles) cannot hold exactly, is written as the text of its digits, the library's own
  choice; ``nan`` and infinities are refused (:class:`ValueError`): a workbook cannot hold
  them;
- ``True``/``False`` as Excel's booleans;
- a **day** (:class:`datetime.date`, not a :class:`~datetime.datetime`) as Excel's serial
  day number in the 1900 date system, shown ``yyyy-mm-dd``; a day before 1900-03-01 is
  written as the text ``YYYY-MM-DD`` (the library's own choice: Excel counts a 29 February
  1900 that never was and LibreOffice does not, so the serial numbers of those days mean
  different days in each);
- ``None``: no cell.

Headings in bold, solid fills (an RGB colour such as ``"FFC7CE"``), column widths, frozen
panes and cell comments (``xl/commentsN.xml`` with the legacy VML drawing that Excel and
LibreOffice show them from) are supported; nothing else (no formulas, merged cells or
validation lists). Text is written as inline strings by default — one pass, nothing kept —
or, with ``shared_strings=True``, once in a shared-strings table (a smaller file when values
repeat, at the cost of keeping every distinct text in memory until the workbook is closed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import IO, Final

import attrs

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_TEXT",
    "Cell",
    "SheetWriter",
    "Value",
    "XlsxWriter",
    "clean_text",
    "column_letter",
]

Value = str | int | float | bool | dt.date | None
"""What a cell holds: text, a number, a boolean, a day, or nothing."""

MAX_ROWS: Final = 1_048_576
"""The most rows a sheet has (Excel's limit)."""
MAX_COLUMNS: Final = 16_384
"""The most columns a sheet has (Excel's limit, column XFD)."""
MAX_TEXT: Final = 32_767
"""The most a cell's text holds, in UTF-16 code units (Excel's limit)."""

_MAX_EXACT: Final = 2**53
"""Every whole number up to this size is exactly an IEEE double."""
_EPOCH: Final = dt.date(1899, 12, 30).toordinal()
"""Day 0 of Excel's 1900 date system, for days from 1900-03-01 (serial 61) on."""
_FIRST_SERIAL: Final = dt.date(1900, 3, 1)
"""The first day written as a serial number. Excel counts a 29 February 1900 that never
was, LibreOffice does not: the serial numbers of earlier days mean different days in each."""
_DATE_FORMAT: Final = "yyyy-mm-dd"
_DATE_FORMAT_ID: Final = 164
"""The first number-format id a workbook may define for itself."""

_NOT_IN_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What an XML 1.0 document (and so a workbook) cannot hold."""
_LINE_BREAK: Final = re.compile(r"\r\n?")
_OOXML_ESCAPE: Final = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
"""The underscore that starts what OOXML reads as an escaped character (``_x000D_``)."""
_HEX_COLOUR: Final = re.compile(r"(?:[0-9A-Fa-f]{2})?[0-9A-Fa-f]{6}")
_CELL_REF: Final = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_NOT_IN_SHEET_NAME: Final = re.compile(r"[\[\]:*?/\\]")

_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_DECLARATION: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REMEMBERED: Final = 16_384
"""The most texts whose XML is remembered for their next use (then forgotten at once)."""
_FLUSH_EVERY: Final = 512
"""Rows gathered before they are compressed into the zip member."""
_ROW: Final = "\x00"
"""Where a prepared cell's row number goes (a character no cleaned text holds)."""


def clean_text(text: str) -> str:
    """``text`` as a workbook cell holds it: without the characters XML 1.0 cannot hold
    (C0 control characters but tab, line feed and carriage return; lone surrogates; U+FFFE,
    U+FFFF), line breaks as ``\\n`` (XML reads a carriage return as one), and at most
    :data:`MAX_TEXT` UTF-16 code units (a character outside the Basic Multilingual Plane
    counts two, as in Excel; it is never cut in half).

        >>> clean_text("a\\x00b\\r\\nc\\rd")
        'ab\\nc\\nd'
    """
    text = _LINE_BREAK.sub("\n", _NOT_IN_XML.sub("", text))
    if len(text) > MAX_TEXT // 2 and len(text.encode("utf-16-le")) > 2 * MAX_TEXT:
        units = 0
        for end, char in enumerate(text):
            units += 2 if char > "\uffff" else 1
            if units > MAX_TEXT:
                return text[:end]
    return text


def _escape(text: str) -> str:
    """Clean ``text`` and escape it for XML character data (and attributes in ``"``)."""
    text = clean_text(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _rich_text(text: str) -> str:
    """The ``<t>`` element of a string item (inline, shared or a comment's) holding
    ``text``: cleaned, escaped, OOXML's ``_xHHHH_`` escaped, spaces at either end kept."""
    escaped = _escape(text)
    if "_x" in escaped:
        escaped = _OOXML_ESCAPE.sub("_x005F_", escaped)
    if escaped[:1].isspace() or escaped[-1:].isspace():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def _attribute(text: str) -> str:
    return _escape(text).replace("\n", "&#10;").replace("\t", "&#9;")


def column_letter(index: int) -> str:
    """The letters of column ``index`` (1-based): 1 → ``A``, 27 → ``AA``.

    Raises:
        ValueError: If ``index`` is not between 1 and :data:`MAX_COLUMNS`.
    """
    if not 1 <= index <= MAX_COLUMNS:
        raise ValueError(f"a sheet has columns 1 to {MAX_COLUMNS}, not {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


@attrs.frozen
class Cell:
    """A cell with a style or a comment (a plain :data:`Value` needs no ``Cell``).

    Attributes:
        value: What the cell holds (``None``: an empty cell that still has the style and
            the comment).
        bold: Bold text.
        fill: A solid fill, as an RGB (``"FFC7CE"``) or ARGB (``"FFFFC7CE"``) colour
            (anything else is refused with :class:`ValueError` when the cell is written).
        comment: A comment shown when the pointer is over the cell (cleaned as text is).
    """

    value: Value
    bold: bool = attrs.field(default=False, kw_only=True)
    fill: str | None = attrs.field(default=None, kw_only=True)
    comment: str | None = attrs.field(default=None, kw_only=True)


class _Styles:
    """The cell formats used so far: (bold, fill, is a day) → the index in ``cellXfs``."""

    def __init__(self) -> None:
        self.xfs: dict[tuple[bool, str | None, bool], int] = {(False, None, False): 0}
        self.seen = dict(self.xfs)  # as asked for (the colour as given) → the index
        self.fills: dict[str, int] = {}

    def index(self, bold: bool, fill: str | None, day: bool) -> int:
        found = self.seen.get((bold, fill, day))
        if found is not None:
            return found
        if fill is not None and (not isinstance(fill, str) or not _HEX_COLOUR.fullmatch(fill)):
            raise ValueError(f"a fill is an RGB colour such as 'FFC7CE', not {fill!r}")
        key = (bold, None if fill is None else fill.upper().rjust(8, "F"), day)
        found = self.xfs.get(key)
        if found is None:
            found = self.xfs[key] = len(self.xfs)
            if key[1] is not None and key[1] not in self.fills:
                self.fills[key[1]] = len(self.fills) + 2  # after the two fills Excel requires
        self.seen[(bold, fill, day)] = found
        return found

    def xml(self) -> str:
        fills = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for rgb in self.fills
        )
        xfs = []
        for bold, fill, day in self.xfs:
            number = _DATE_FORMAT_ID if day else 0
            fill_id = 0 if fill is None else self.fills[fill]
            applied = (
                (' applyNumberFormat="1"' if day else "")
                + (' applyFont="1"' if bold else "")
                + (' applyFill="1"' if fill else "")
            )
            xfs.append(
                f'<xf numFmtId="{number}" fontId="{int(bold)}" fillId="{fill_id}" '
                f'borderId="0" xfId="0"{applied}/>'
            )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (
            f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="1"><numFmt numFmtId="{_DATE_FORMAT_ID}" '
            f'formatCode="{_DATE_FORMAT}"/></numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            f'<fills count="{len(self.fills) + 2}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


class _Strings:
    """The shared-strings table: each distinct text once, in the order of first use."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}  # (-1: a text that is nothing once cleaned)
        self.texts: list[str] = []

    def add(self, text: str) -> int:
        """The index of ``text``, added if new (-1 if it is nothing once cleaned)."""
        found = self.index.get(text)
        if found is None:
            found = -1
            if clean_text(text):
                found = len(self.texts)
                self.texts.append(text)
            self.index[text] = found
        return found

    def xml(self) -> Iterable[str]:
        yield f'{_XML_DECLARATION}<sst xmlns="{_MAIN}" uniqueCount="{len(self.texts)}">'
        for text in self.texts:
            yield f"<si>{_rich_text(text)}</si>"
        yield "</sst>"


_Comments = list[str | int]
"""The comments of the sheet being written, four items each: the cell (``B2``), its row and
column (from 0), and the text. (Flat: a tuple per comment would be one more object for the
cyclic garbage collector to walk, and there can be one on every row.)"""


@attrs.frozen
class _SheetInfo:
    name: str
    number: int
    comments: bool


class XlsxWriter:
    """A workbook written into a binary stream, one sheet after the other.

    Use it as a context manager: when the block ends without an exception, the parts that
    depend on every sheet (the workbook, the styles, the content types) are written and the
    zip file is finished. After an exception the stream holds no valid workbook; write it
    with :func:`kaa.formats.files.atomic_binary`, which then removes it.

    Args:
        stream: A binary stream open for writing (a seekable file is best; any writable
            stream will do).
        shared_strings: Keep each distinct text once in a shared-strings table instead of
            writing text inline (see the module's docstring).
        comment_author: The author shown with every cell comment.
        compresslevel: The zlib compression level of the members (0–9; 1 is fastest, the
            files a little larger).
    """

    def __init__(
        self,
        stream: IO[bytes],
        *,
        shared_strings: bool = False,
        comment_author: str = "",
        compresslevel: int = 1,
    ) -> None:
        self._zip = zipfile.ZipFile(
            stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._styles = _Styles()
        self._strings = _Strings() if shared_strings else None
        self._author = comment_author
        self._sheets: list[_SheetInfo] = []
        self._open: SheetWriter | None = None
        self._vml_blocks = 0
        self._closed = False
        self._texts: dict[str, str] = {}  # text → the end of its cell (see _text_tail)

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._abandon()

    def sheet(
        self,
        name: str,
        *,
        widths: Sequence[float | None] = (),
        freeze: str | None = None,
        size: tuple[int, int] | None = None,
    ) -> SheetWriter:
        """Start the next sheet; use it as a context manager (``with book.sheet(...) as s``).

        Args:
            name: The sheet's name: 1–31 characters, none of ``[ ] : * ? / \\``, not
                beginning or ending with ``'``, different from the other sheets' (in any
                case).
            widths: The widths of columns A, B, … in characters (``None``: the default).
            freeze: The first cell that scrolls (``"B2"``: row 1 and column A stay put).
            size: The rows and columns the sheet will have, if known: written as the
                sheet's ``<dimension>``, which some readers size the sheet by (openpyxl's
                read-only mode). The rows written are checked against it.

        Raises:
            ValueError: If the name is not allowed, ``freeze`` is not a cell, a width is not
                positive, or another sheet is still being written.
        """
        if self._open is not None or self._closed:
            raise ValueError("a sheet is being written, or the workbook is closed")
        if not 1 <= len(name) <= 31 or _NOT_IN_SHEET_NAME.search(name) or clean_text(name) != name:
            raise ValueError(f"{name!r} is not a sheet name: 1–31 characters, none of []:*?/\\")
        if name.startswith("'") or name.endswith("'"):
            raise ValueError(f"{name!r} is not a sheet name: it begins or ends with '")
        if any(s.name.casefold() == name.casefold() for s in self._sheets):
            raise ValueError(f"there is already a sheet {name!r}")
        pane = None
        if freeze is not None:
            found = _CELL_REF.fullmatch(freeze)
            if found is None:
                raise ValueError(f"{freeze!r} is not a cell such as 'B2'")
            pane = (_column_index(found.group(1)) - 1, int(found.group(2)) - 1)
            if pane[0] >= MAX_COLUMNS or pane[1] >= MAX_ROWS:
                raise ValueError(f"{freeze!r} is outside a sheet")
        if any(w is not None and not (0 < w <= 255) for w in widths):
            raise ValueError(f"a column width is between 0 and 255 characters: {widths!r}")
        if size is not None and not (0 <= size[0] <= MAX_ROWS and 0 <= size[1] <= MAX_COLUMNS):
            raise ValueError(f"a sheet holds {MAX_ROWS} rows of {MAX_COLUMNS} columns: {size}")
        self._open = SheetWriter(
            self, name, len(self._sheets) + 1, widths=widths, pane=pane, size=size
        )
        return self._open

    def _finished(self, sheet: SheetWriter, comments: _Comments) -> None:
        """Called by ``sheet`` when its XML is written: write its comments' parts."""
        self._open = None
        self._sheets.append(_SheetInfo(sheet.name, sheet.number, bool(comments)))
        if not comments:
            return
        n = sheet.number
        self._write(
            f"xl/worksheets/_rels/sheet{n}.xml.rels",
            [
                f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/comments" Target="../comments{n}.xml"/>'
                f'<Relationship Id="rId2" Type="{_REL}/vmlDrawing" '
                f'Target="../drawings/vmlDrawing{n}.vml"/></Relationships>'
            ],
        )
        self._write(f"xl/comments{n}.xml", _comments_xml(comments, _escape(self._author)))
        # VML shape ids come in blocks of 1,024 per o:idmap number, unique in the workbook
        first = self._vml_blocks + 1
        self._vml_blocks += len(comments) // 4 // 1024 + 1
        self._write(f"xl/drawings/vmlDrawing{n}.vml", _vml(comments, first, self._vml_blocks))

    def _write(self, name: str, parts: Iterable[str]) -> None:
        with self._zip.open(name, "w") as member:
            batch: list[str] = []
            for part in parts:
                batch.append(part)
                if len(batch) >= _FLUSH_EVERY:
                    member.write("".join(batch).encode("utf-8"))
                    batch.clear()
            member.write("".join(batch).encode("utf-8"))

    def _text_tail(self, text: str) -> str:
        """The end of a text cell, from the closing quote of its last attribute:
        ``" t="inlineStr"><is><t>…</t></is></c>`` or ``" t="s"><v>7</v></c>``; ``""`` for a
        text that is nothing once cleaned (no cell). Remembered, as the same texts tend to
        come again (labels, messages, masked numbers)."""
        texts = self._texts
        if len(texts) >= _REMEMBERED:
            texts.clear()
        if self._strings is not None:
            index = self._strings.add(text)
            tail = texts[text] = f'" t="s"><v>{index}</v></c>' if index >= 0 else ""
        elif (
            text.isprintable()
            and not ("&" in text or "<" in text or ">" in text or "_x" in text)
            and text[:1] != " "
            and text[-1:] != " "
            and 0 < len(text) <= MAX_TEXT // 2
        ):
            tail = texts[text] = f'" t="inlineStr"><is><t>{text}</t></is></c>'
        elif clean_text(text):
            tail = texts[text] = f'" t="inlineStr"><is>{_rich_text(text)}</is></c>'
        else:
            tail = texts[text] = ""
        return tail

    def close(self) -> None:
        """Write the workbook, styles, shared strings and content types, and finish the zip
        file (the stream stays open). Called when the ``with`` block ends.

        Raises:
            ValueError: If a sheet is still being written, or there is no sheet (a workbook
                has at least one).
        """
        if self._closed:
            return
        if self._open is not None or not self._sheets:
            still = self._open
            self._abandon()
            if still is not None:
                raise ValueError(f"the sheet {still.name!r} is still being written")
            raise ValueError("a workbook has at least one sheet")
        self._closed = True
        sheets = "".join(
            f'<sheet name="{_attribute(s.name)}" sheetId="{s.number}" r:id="rId{s.number}"/>'
            for s in self._sheets
        )
        self._write(
            "xl/workbook.xml",
            [
                f'{_XML_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                "</workbook>"
            ],
        )
        count = len(self._sheets)
        rels = [
            f'<Relationship Id="rId{s.number}" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet{s.number}.xml"/>'
            for s in self._sheets
        ]
        rels.append(f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
        if self._strings is not None:
            rels.append(
                f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
                'Target="sharedStrings.xml"/>'
            )
            self._write("xl/sharedStrings.xml", self._strings.xml())
        self._write(
            "xl/_rels/workbook.xml.rels",
            [
                f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">{"".join(rels)}'
                "</Relationships>"
            ],
        )
        self._write("xl/styles.xml", [self._styles.xml()])
        overrides = [
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>',
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>',
        ]
        for s in self._sheets:
            overrides.append(
                f'<Override PartName="/xl/worksheets/sheet{s.number}.xml" '
                f'ContentType="{_CT}.worksheet+xml"/>'
            )
            if s.comments:
                overrides.append(
                    f'<Override PartName="/xl/comments{s.number}.xml" '
                    f'ContentType="{_CT}.comments+xml"/>'
                )
        if self._strings is not None:
            overrides.append(
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{_CT}.sharedStrings+xml"/>'
            )
        package = "application/vnd.openxmlformats-package"
        self._write(
            "[Content_Types].xml",
            [
                f'{_XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/'
                f'2006/content-types"><Default Extension="rels" '
                f'ContentType="{package}.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="vml" '
                'ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
                f"{''.join(overrides)}</Types>"
            ],
        )
        self._write(
            "_rels/.rels",
            [
                f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>'
            ],
        )
        self._zip.close()

    def _abandon(self) -> None:
        """After an exception: close what is open without finishing the workbook."""
        self._closed = True
        if self._open is not None:
            self._open._abandon()
            self._open = None
        # the stream is discarded by its owner; the first exception is the one to raise
        with contextlib.suppress(OSError, ValueError):
            self._zip.close()


def _comments_xml(comments: _Comments, author: str) -> Iterable[str]:
    yield (
        f'{_XML_DECLARATION}<comments xmlns="{_MAIN}"><authors><author>{author}</author>'
        "</authors><commentList>"
    )
    texts: dict[str, str] = {}  # the same comment tends to come again
    for ref, text in zip(comments[0::4], comments[3::4], strict=True):
        assert isinstance(text, str)
        rich = texts.get(text)
        if rich is None:
            if len(texts) >= _REMEMBERED:
                texts.clear()
            rich = texts[text] = _rich_text(text)
        yield f'<comment ref="{ref}" authorId="0"><text>{rich}</text></comment>'
    yield "</commentList></comments>"


def _vml(comments: _Comments, first: int, last: int) -> Iterable[str]:
    """The legacy drawing with one hidden note shape per comment (Excel shows a comment
    from it; without it LibreOffice and Excel drop the comment)."""
    blocks = ",".join(str(b) for b in range(first, last + 1))
    yield (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
    )
    for n, (row, column) in enumerate(zip(comments[1::4], comments[2::4], strict=True)):
        shape = 1024 * first + 1 + n
        yield (
            f'<v:shape id="_x0000_s{shape}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:216pt;'
            'height:96pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
            '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            "<x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"
        )
    yield "</xml>"


class SheetWriter:
    """One sheet being written, row by row (made by :meth:`XlsxWriter.sheet`).

    Attributes:
        name: The sheet's name.
        number: Its place in the workbook, from 1.
        rows: The rows written so far (an empty row counts).
    """

    def __init__(
        self,
        book: XlsxWriter,
        name: str,
        number: int,
        *,
        widths: Sequence[float | None],
        pane: tuple[int, int] | None,
        size: tuple[int, int] | None,
    ) -> None:
        self.name = name
        self.number = number
        self.rows = 0
        self._book = book
        self._styles = book._styles
        self._size = size
        self._widest = 0
        self._letters: list[str] = []
        self._comments: _Comments = []
        self._batch: list[str] = []
        self._member: IO[bytes] | None = None
        self._head = _sheet_head(widths, pane, size)
        self._most_rows = 0  # until the sheet is open: then as many as it may have
        self._date_style = self._styles.index(False, None, True)

    def __enter__(self) -> SheetWriter:
        if self._member is not None:
            raise ValueError(f"the sheet {self.name!r} is already being written")
        self._member = self._book._zip.open(f"xl/worksheets/sheet{self.number}.xml", "w")
        self._batch.append(self._head)
        self._most_rows = MAX_ROWS if self._size is None else self._size[0]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self._finish()
        else:
            self._abandon()

    def append(self, values: Sequence[Value | Cell]) -> None:
        """Write the next row: one value (or :class:`Cell`) per column from A; ``None`` or
        an empty sequence leaves cells (or the row) empty.

        Raises:
            ValueError: If the sheet would have more rows or columns than a sheet holds
                (or than its ``size``), or a number cannot be written (``nan``, infinity).
            TypeError: If a value is not a :data:`Value` or a :class:`Cell`.
        """
        row = self.rows + 1
        if row > self._most_rows:
            if self._member is None:
                raise ValueError(f"the sheet {self.name!r} is not open: use it in a with block")
            raise ValueError(f"the sheet {self.name!r} holds {self._most_rows} rows, not more")
        width = len(values)
        if width > self._widest:
            limit = MAX_COLUMNS if self._size is None else self._size[1]
            if width > limit:
                raise ValueError(f"the sheet {self.name!r} holds {limit} columns, not {width}")
            self._widest = width
            self._letters.extend(column_letter(i + 1) for i in range(len(self._letters), width))
        self.rows = row
        if not width:
            return
        number = str(row)
        letters = self._letters
        parts = [f'<row r="{number}">']
        texts = self._book._texts
        date_style = self._date_style
        for i, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                tail = texts.get(value)  # type: ignore[arg-type]
                if tail is None:
                    tail = self._book._text_tail(value)  # type: ignore[arg-type]
                if tail:
                    parts.append(f'<c r="{letters[i]}{number}{tail}')
            elif kind is dt.date and value >= _FIRST_SERIAL:  # type: ignore[operator]
                serial = value.toordinal() - _EPOCH  # type: ignore[union-attr]
                parts.append(f'<c r="{letters[i]}{number}" s="{date_style}"><v>{serial}</v></c>')
            elif kind is int and -_MAX_EXACT <= value <= _MAX_EXACT:  # type: ignore[operator]
                parts.append(f'<c r="{letters[i]}{number}"><v>{value}</v></c>')
            else:
                parts.append(self._other(letters[i] + number, value, row, i))
        parts.append("</row>")
        self._batch.append("".join(parts))
        if len(self._batch) >= _FLUSH_EVERY:
            self._flush()

    def prepared(self, column: int, value: Value | Cell) -> str:
        """The XML of a cell holding ``value`` in ``column`` (from 1), for
        :meth:`append_prepared`, with the row number left open: worked out once per distinct
        value of a column, it makes a row cost one join. Text is added to the shared strings
        (and a style to the styles) here, so prepare the cells in the order :meth:`append`
        would meet them (row by row, column by column) for the same workbook. A
        :class:`Cell`'s comment is not part of it: give it to :meth:`append_prepared`.

        Raises:
            ValueError: If ``column`` is outside a sheet, or as :meth:`append`.
            TypeError: As :meth:`append`.
        """
        ref = column_letter(column) + _ROW
        if isinstance(value, Cell) and (type(value) is not Cell or value.comment is not None):
            value = Cell(value.value, bold=value.bold, fill=value.fill)
        if value is None:
            return ""
        if type(value) is str:
            tail = self._book._texts.get(value)
            if tail is None:
                tail = self._book._text_tail(value)
            return f'<c r="{ref}{tail}' if tail else ""
        return self._other(ref, value, 0, column - 1)

    def append_prepared(
        self, cells: Sequence[str], comments: Sequence[tuple[int, str]] = ()
    ) -> None:
        """Write the next row from prepared cells: ``cells[i]`` is what :meth:`prepared`
        gave for column ``i + 1`` (``""``: no cell), ``comments`` the comments of the row's
        cells as (column from 1, text), in column order. The row is what :meth:`append`
        writes for the same values.

        Raises:
            ValueError: As :meth:`append`.
        """
        row = self.rows + 1
        if row > self._most_rows:
            if self._member is None:
                raise ValueError(f"the sheet {self.name!r} is not open: use it in a with block")
            raise ValueError(f"the sheet {self.name!r} holds {self._most_rows} rows, not more")
        width = len(cells)
        if width > self._widest:
            limit = MAX_COLUMNS if self._size is None else self._size[1]
            if width > limit:
                raise ValueError(f"the sheet {self.name!r} holds {limit} columns, not {width}")
            self._widest = width
            self._letters.extend(column_letter(i + 1) for i in range(len(self._letters), width))
        self.rows = row
        if not width:
            return
        number = str(row)
        self._batch.append(f'<row r="{_ROW}">{"".join(cells)}</row>'.replace(_ROW, number))
        if comments:
            letters = self._letters
            for column, text in comments:
                self._comments.extend((letters[column - 1] + number, row - 1, column - 1, text))
        if len(self._batch) >= _FLUSH_EVERY:
            self._flush()

    def _other(self, ref: str, value: object, row: int, column: int) -> str:
        """A cell that is not plain text, a plain day or a plain whole number."""
        if type(value) is not Cell:
            if isinstance(value, Cell):  # a subclass
                value = Cell(value.value, bold=value.bold, fill=value.fill, comment=value.comment)
            else:
                return self._cell(ref, value, 0)
        if value.comment is not None:
            self._comments.extend((ref, row - 1, column, value.comment))
        inner = value.value
        day = type(inner) is dt.date and inner >= _FIRST_SERIAL
        style = self._styles.index(value.bold, value.fill, day)
        if inner is None:
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        if type(inner) is str:
            tail = self._book._texts.get(inner)
            if tail is None:
                tail = self._book._text_tail(inner)
            if tail:
                return f'<c r="{ref}" s="{style}{tail}' if style else f'<c r="{ref}{tail}'
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        return self._cell(ref, inner, style)

    def _cell(self, ref: str, value: object, style: int) -> str:
        """The ``<c>`` element of ``value`` with the cell format ``style``."""
        s = f' s="{style}"' if style else ""
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            if -_MAX_EXACT <= value <= _MAX_EXACT:
                return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
            value = str(int(value))
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"a workbook cannot hold the number {value!r}")
            return f'<c r="{ref}"{s}><v>{float(value)!r}</v></c>'
        elif isinstance(value, dt.datetime):
            raise TypeError("a cell holds a day (datetime.date), not a datetime")
        elif isinstance(value, dt.date):
            serial = _serial(value)
            if serial is not None:
                if not style:
                    s = f' s="{self._date_style}"'
                return f'<c r="{ref}"{s}><v>{serial}</v></c>'
            value = value.isoformat()
        if not isinstance(value, str):
            raise TypeError(f"a cell holds text, a number, a boolean or a day, not {value!r}")
        text = str.__str__(value)
        tail = self._book._texts.get(text)
        if tail is None:
            tail = self._book._text_tail(text)
        if not tail:
            return f'<c r="{ref}"{s}/>' if style else ""
        return f'<c r="{ref}" s="{style}{tail}' if style else f'<c r="{ref}{tail}'

    def _flush(self) -> None:
        assert self._member is not None
        self._member.write("".join(self._batch).encode("utf-8"))
        self._batch.clear()

    def _finish(self) -> None:
        if self._size is not None and (self.rows, self._widest) != self._size:
            self._abandon()
            raise ValueError(
                f"the sheet {self.name!r} was to have {self._size[0]} rows of "
                f"{self._size[1]} columns, and has {self.rows} of {self._widest}"
            )
        self._batch.append("</sheetData>")
        if self._comments:
            self._batch.append('<legacyDrawing r:id="rId2"/>')
        self._batch.append("</worksheet>")
        self._flush()
        assert self._member is not None
        self._member.close()
        self._member = None
        self._most_rows = 0
        self._book._finished(self, self._comments)

    def _abandon(self) -> None:
        self._most_rows = 0
        self._batch.clear()
        self._comments.clear()
        if self._member is not None:
            member, self._member = self._member, None
            # the stream is discarded by its owner; the first exception is the one to raise
            with contextlib.suppress(OSError, ValueError):
                member.close()
        self._book._open = None


def _serial(day: dt.date) -> int | None:
    """Excel's serial number of ``day`` in the 1900 date system, or ``None`` before
    1900-03-01 (whose serial numbers Excel and LibreOffice read as different days)."""
    return day.toordinal() - _EPOCH if day >= _FIRST_SERIAL else None


def _sheet_head(
    widths: Sequence[float | None], pane: tuple[int, int] | None, size: tuple[int, int] | None
) -> str:
    """The worksheet's start, in the order the schema requires: sheetPr, dimension,
    sheetViews, sheetFormatPr, cols, then the opening of sheetData."""
    parts = [
        f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/></sheetPr>'
    ]
    if size is not None:
        last = (
            f":{column_letter(size[1])}{size[0]}" if size[0] and size[1] and size != (1, 1) else ""
        )
        parts.append(f'<dimension ref="A1{last}"/>')
    if pane is None or pane == (0, 0):
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    else:
        columns, rows = pane
        active = "bottomRight" if columns and rows else ("bottomLeft" if rows else "topRight")
        split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
        top_left = f"{column_letter(columns + 1)}{rows + 1}"
        parts.append(
            f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{top_left}" '
            f'activePane="{active}" state="frozen"/><selection pane="{active}" '
            f'activeCell="{top_left}" sqref="{top_left}"/></sheetView></sheetViews>'
        )
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
        if w is not None
    )
    if cols:
        parts.append(f"<cols>{cols}</cols>")
    parts.append("<sheetData>")
    return "".join(parts)
