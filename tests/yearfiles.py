"""The example data that ``kaa year`` runs on, and a broken copy of it, shared by the tests of
the use case (``tests/test_year.py``) and of its command (``tests/commands/test_year.py``).

Import with ``from yearfiles import DATA, DAY, bad_register``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

__all__ = ["DATA", "DAY", "bad_register"]

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
"""The bundled example register export and cases file."""

DAY = dt.date(2026, 12, 31)
"""The day of the example run."""


def bad_register(tmp_path: Path) -> Path:
    """The example export with one row whose school form cannot be read."""
    lines = (DATA / "askersund-ist.csv").read_bytes().split(b"\r\n")
    bad = next(i for i, line in enumerate(lines) if b";GY;" in line)
    lines[bad] = lines[bad].replace(b";GY;", b";Gymnasiet;", 1)
    path = tmp_path / "ist.csv"
    path.write_bytes(b"\r\n".join(lines))
    return path
