"""Cells that leave the library: safe in a spreadsheet, and safe on a terminal.

- :func:`spreadsheet_cell` — a CSV cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is read by Excel and LibreOffice as a formula (*CSV injection*: a case
  worker's name or a free text ``=HYPERLINK(...)`` would run when the file is opened). Such a
  cell gets a leading ``'``, which both programs show as text. Every CSV meant for people
  (decisions, the worklist, the not-registered list) writes its cells through
  :func:`spreadsheet_writer`. Workbooks (XLSX) store text cells as text, never as formulas.
- :func:`terminal_text` — control characters (escape sequences, bells, backspaces) are
  removed from anything printed to a terminal, so an input cell cannot move the cursor,
  clear the screen or rewrite what was printed before it.

The canonical files and the SCB upload file are not for spreadsheets and are written as
they are: they must read back exactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

__all__ = ["FORMULA_START", "spreadsheet_cell", "spreadsheet_writer", "terminal_text"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not begin with unescaped in a CSV for people."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def spreadsheet_cell(value: object) -> object:
    """``value`` made safe for a spreadsheet: text that would start a formula gets a leading
    ``'``; other values are returned as they are.

        >>> spreadsheet_cell("=1+1"), spreadsheet_cell("Anna"), spreadsheet_cell(3)
        ("'=1+1", 'Anna', 3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    """A :func:`csv.writer` whose text cells go through :func:`spreadsheet_cell`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        # spreadsheet_cell, written out: it runs for every cell of every row
        self._writer.writerow(
            [
                "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell
                for cell in row
            ]
        )

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def spreadsheet_writer(out: IO[str], **options: Any) -> _SafeWriter:
    """A CSV writer for files people open in a spreadsheet (options as for
    :func:`csv.writer`); every text cell that would start a formula is escaped."""
    return _SafeWriter(out, **options)


def terminal_text(text: str) -> str:
    """``text`` without control characters (keeping line breaks and tabs), for a terminal.

    Removes C0 and C1 control characters (``ESC`` and so every ANSI escape sequence's
    introducer, ``BEL``, backspace, carriage return), and the Unicode direction overrides that
    can make a line read differently from what it holds.

        >>> terminal_text("Anna\\x1b[2J\\x07 Svensson\\r")
        'Anna[2J Svensson'
    """
    if text.isprintable():
        return text
    return _CONTROL.sub("", text)
