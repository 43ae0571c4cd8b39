"""Generators of the reviewed snapshots under ``tests/snapshots/``.

Each module in this package defines ``SNAPSHOTS``: a mapping from a file name under
``tests/snapshots/`` to a function that returns the file's text. The script
``scripts/regenerate_snapshots.py`` writes them all (or those named on its command line); the
tests compare each stored file with a fresh run, so a change in computed output shows up as
a failing test and, once regenerated, as a reviewable diff.

To add a snapshot: create a module here with ``SNAPSHOTS = {"name.json": function}``, run
the script, review the file, and add a test that calls :func:`check`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["SNAPSHOT_DIR", "all_snapshots", "check", "dump"]

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "snapshots"
"""Where the reviewed snapshot files live."""


def dump(data: object) -> str:
    """The canonical JSON text of a snapshot: sorted keys, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def all_snapshots() -> dict[str, Callable[[], str]]:
    """Every registered snapshot: file name → generator, from every module in this package."""
    found: dict[str, Callable[[], str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, generate in getattr(module, "SNAPSHOTS", {}).items():
            if name in found:
                raise ValueError(f"two generators write the snapshot {name!r}")
            found[name] = generate
    return found


def check(name: str, generate: Callable[[], str]) -> None:
    """Assert that the stored snapshot ``name`` equals a fresh run of ``generate``."""
    path = SNAPSHOT_DIR / name
    assert path.is_file(), f"{name} is missing: run scripts/regenerate_snapshots.py {name}"
    fresh = generate()
    stored = path.read_text(encoding="utf-8")
    assert fresh == stored, (
        f"{name} differs from a fresh run: if the change is intended, run "
        f"scripts/regenerate_snapshots.py {name} and review the diff"
    )
