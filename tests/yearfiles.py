"""The example data that ``kaa year`` runs on, and a broken copy of it, shared by the tests of
the use case (``tests/test_year.py``) and of its command (``tests/commands/test_year.py``).

Import with ``from yearfiles import DATA, DAY, bad_register``; ``example_store`` makes a
real SQLite case store holding the example cases, for the tests that run a command on a
store and compare its outputs with the same command on the cases file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kaa.store import AuditAction, AuditEntry, import_cases, open_store

__all__ = ["DATA", "DAY", "audit_of", "bad_register", "example_store"]

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


def example_store(tmp_path: Path, cases: Path | None = None, *, name: str = "kaa.db") -> str:
    """A new SQLite store in ``tmp_path`` holding the cases of ``cases`` (the example cases
    file by default), imported for Askersund (1882) by ``importer``; returns its URL."""
    url = f"sqlite:///{tmp_path / name}"
    with open_store(url, municipality="1882", actor="importer", create=True) as store:
        summary = import_cases(store, cases or DATA / "cases.jsonl")
    assert summary.ok, str(summary)
    return url


def audit_of(url: str, action: AuditAction | None = None) -> list[AuditEntry]:
    """The audit entries of Askersund's register in the store at ``url`` (of one action, if
    given), oldest first."""
    with open_store(url, municipality="1882", actor="auditor") as store:
        return list(store.audit(action=action))
