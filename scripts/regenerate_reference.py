"""Regenerate the API reference: one page per public module under ``docs/reference/``.

Usage::

    python scripts/regenerate_reference.py           # write the pages and the mkdocs nav
    python scripts/regenerate_reference.py --check   # exit 1 if anything would change

A module is public when no part of its dotted name starts with ``_``. The command-line
modules (``kaa.cli``, ``kaa.commands.*``) are documented by ``docs/reference/cli.md`` instead,
and packages that hold only data files have no page. Each page is rendered by mkdocstrings
from the module's docstrings; the Reference section of ``mkdocs.yml`` between the two marker
comments is rewritten to list them. ``tests/test_reference_pages.py`` runs ``--check``.
"""

from __future__ import annotations

import argparse
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PAGES = ROOT / "docs" / "reference"
MKDOCS = ROOT / "mkdocs.yml"
BEGIN = "      # reference pages: begin (scripts/regenerate_reference.py)"
END = "      # reference pages: end"
HAND_WRITTEN = {"cli.md"}
"""Pages under docs/reference/ that are written by hand and kept."""
SKIPPED_PREFIXES = ("kaa.cli", "kaa.commands")
DATA_PACKAGES = {"kaa.data", "kaa.scb.layouts", "kaa.adapters.profiles"}


def public_modules() -> list[str]:
    """Every public module of ``kaa``, sorted by dotted name."""
    found = ["kaa"]
    for info in pkgutil.walk_packages([str(SRC / "kaa")], prefix="kaa."):
        name = info.name
        if any(part.startswith("_") for part in name.split(".")):
            continue
        if name.startswith(SKIPPED_PREFIXES) or name in DATA_PACKAGES:
            continue
        found.append(name)
    return sorted(found)


def page(module: str) -> str:
    """The page text for one module."""
    return f"# `{module}`\n\n::: {module}\n"


def nav(modules: list[str]) -> str:
    """The Reference section's entries for mkdocs.yml, between the markers."""
    lines = [BEGIN, "      - Command line: reference/cli.md"]
    lines += [f"      - {m}: reference/{m}.md" for m in modules]
    lines.append(END)
    return "\n".join(lines)


def planned() -> dict[Path, str]:
    """Every file this script owns, with its content."""
    modules = public_modules()
    files = {PAGES / f"{m}.md": page(m) for m in modules}
    text = MKDOCS.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    files[MKDOCS] = text[:start] + nav(modules) + text[end:]
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args(argv)
    files = planned()
    stale = sorted(p for p in PAGES.glob("*.md") if p.name not in HAND_WRITTEN and p not in files)
    changed = [p for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
    if args.check:
        for path in [*changed, *stale]:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if changed or stale else 0
    for path in stale:
        path.unlink()
    for path in changed:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(files[path], encoding="utf-8")
        tmp.replace(path)
    print(f"{len(files) - 1} reference pages; {len(changed)} written, {len(stale)} removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
