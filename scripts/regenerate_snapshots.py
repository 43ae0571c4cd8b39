"""Regenerate the reviewed snapshots under ``tests/snapshots/``.

Usage::

    python scripts/regenerate_snapshots.py            # every snapshot
    python scripts/regenerate_snapshots.py NAME ...   # only these (e.g. askersund-schedule.json)
    python scripts/regenerate_snapshots.py --list     # the registered names

Generators are registered by the modules of ``tests/snapshot_generators/`` (see its
docstring). Files are written atomically; review the diff before committing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from kaa.formats.files import atomic_text  # noqa: E402
from snapshot_generators import SNAPSHOT_DIR, all_snapshots  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snapshot file names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the registered snapshots")
    args = parser.parse_args(argv)
    registry = all_snapshots()
    if args.list:
        print("\n".join(sorted(registry)))
        return 0
    unknown = [n for n in args.names if n not in registry]
    if unknown:
        print(f"unknown snapshot(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    for name in args.names or sorted(registry):
        text = registry[name]()
        path = SNAPSHOT_DIR / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        with atomic_text(path) as out:
            out.write(text)
        path.chmod(0o644)  # a reviewed, committed file with test data only
        state = "unchanged" if old == text else ("written" if old is None else "CHANGED")
        print(f"{state:>9}  tests/snapshots/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
