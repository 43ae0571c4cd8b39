"""``kaa extract``: the register extract (*registerutdrag*) for one youth.

::

    kaa extract --store sqlite:///kaa.db --municipality 1882 --youth 20080812-2394 \\
        -o registerutdrag.html --json registerutdrag.json --purpose "begäran 2026-03-02"

Writes everything the municipality's register holds about the youth — every case, the facts
and their history, contacts, measures, plan, consents, the end of KAA, corrections, and who
has read or changed each case — as a Swedish HTML page (``-o``) and, with ``--json``, as
JSON (:mod:`kaa.extract`). Both are written atomically, readable by their owner only.

The extract is the youth's own copy, so it shows the whole identity number; ``--mask-ids``
masks it (a copy kept by the municipality). The extract is written in the store's audit log
(``extract``, and ``reveal_ids`` when the whole number is shown) with ``--actor`` (else
``$KAA_ACTOR``, else the operating-system user) and ``--purpose``. A youth with no case in
the municipality gets an extract that says the register holds nothing about them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from kaa.commands.store import add_store_arguments, open_from
from kaa.extract import DEFAULT_PURPOSE, gather_extract, write_extract_html, write_extract_json
from kaa.identity import IdentityNumber
from kaa.plugins.manager import Hooks

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa extract`` to the command line."""
    p = commands.add_parser(
        "extract",
        help="the register extract (registerutdrag) for one youth, as HTML and JSON",
        description=(
            "Write everything the register holds about one youth (GDPR art. 15): every case, "
            "its events and corrections, and who has read it. Audit-logged."
        ),
    )
    add_store_arguments(p)
    p.add_argument("--youth", required=True, metavar="ID", help="the youth's identity number")
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="PATH", help="the .html page"
    )
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the extract as JSON")
    p.add_argument(
        "--purpose",
        default=DEFAULT_PURPOSE,
        metavar="TEXT",
        help=f"why, for the audit log (default {DEFAULT_PURPOSE!r}), e.g. the request's date",
    )
    p.add_argument(
        "--mask-ids",
        action="store_true",
        help="mask the identity number (shown whole by default: the extract is the youth's)",
    )
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    if args.output.suffix.lower() not in (".html", ".htm"):
        print("kaa: error: -o must name an .html file", file=err)
        return 2
    if args.json is not None and args.json.suffix.lower() != ".json":
        print("kaa: error: --json must name a .json file", file=err)
        return 2
    youth = IdentityNumber.parse(args.youth)
    reveal = not args.mask_ids
    catalogue = Hooks.default().measure_catalogue(args.municipality)
    with open_from(args) as store:
        extract = gather_extract(store, youth, purpose=args.purpose, reveal_ids=reveal)
    write_extract_html(extract, args.output, reveal_ids=reveal, catalogue=catalogue)
    if args.json is not None:
        write_extract_json(extract, args.json, reveal_ids=reveal)
    written = str(args.output) + (f" and {args.json}" if args.json is not None else "")
    print(
        f"register extract of {youth.masked()} in {args.municipality}: "
        f"{len(extract.cases)} case(s), {extract.event_count} event(s), written to {written}",
        file=err,
    )
    return 0
