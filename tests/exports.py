"""Helpers for the register-source tests: export files built from test numbers only.

Import with ``from exports import NUMBERS, csv_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from kaa.testing import skatteverket_numbers

NUMBERS = [n for n in skatteverket_numbers() if n.startswith(("2007", "2008"))]
"""Skatteverket test personnummer born 2007–2008 (never real people)."""


def csv_text(rows: Sequence[Sequence[str]], sep: str = ";") -> str:
    """Rows joined as an Excel-style CSV (CRLF line ends, no quoting needed)."""
    return "".join(sep.join(row) + "\r\n" for row in rows)
