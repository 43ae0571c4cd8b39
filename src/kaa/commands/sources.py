"""``kaa sources``: list the register sources, or show one source's default column profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO

from kaa.adapters import available_sources, get_source
from kaa.adapters.profile import FIELDS, load_mapping
from kaa.adapters.tabular import ProfileSource
from kaa.plugins.manager import Hooks

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa sources`` to the command line."""
    p = commands.add_parser(
        "sources",
        help="list the register sources (or show one source's column profile)",
        description=(
            "List the register sources that can read a municipality's export (built-in and "
            "from installed plugins). With NAME, show that source's column profile, adapted by "
            "--mapping if given, so it can be compared with a real export."
        ),
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a source to show in detail")
    p.add_argument(
        "--mapping", type=Path, metavar="TOML", help="a mapping file to apply to the profile"
    )
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    out = sys.stdout
    if args.name is None:
        found = available_sources(Hooks.default())
        width = max(len(n) for n in found)
        for name, source in found.items():
            print(f"{name:<{width}}  {source.description}", file=out)
        return 0
    source = get_source(args.name, Hooks.default())
    print(f"{source.name}: {source.description}", file=out)
    if not isinstance(source, ProfileSource):
        print(
            "(no column profile: this source reads a format of its own; see its page under "
            "'Connect your register' in the documentation)",
            file=out,
        )
        return 0
    profile = load_mapping(source.profile, args.mapping)
    print(f"profile: {', '.join(profile.files)}", file=out)
    print(
        f"encoding: {profile.encoding}; separator: {profile.delimiter!r}; "
        f"dates: {', '.join(profile.date_formats)}"
        + (f"; default kommunkod: {profile.municipality}" if profile.municipality else ""),
        file=out,
    )
    for field, headings in profile.headings():
        print(f"  {field:<36} {' | '.join(headings):<60} {FIELDS[field].description}", file=out)
    return 0
