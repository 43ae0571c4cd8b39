"""``kaa store``: create, migrate, export and import a case store.

::

    kaa store init sqlite:///kaa.db
    kaa store migrate sqlite:///kaa.db
    kaa store import sqlite:///kaa.db cases.jsonl --municipality 1882
    kaa store export sqlite:///kaa.db --municipality 1882 -o backup.jsonl

``init`` creates the store (an SQLite file readable by its owner only, or the schema in a
PostgreSQL database) and does nothing to one that exists; ``migrate`` brings an older schema
to this version's. ``import`` registers every case of a canonical cases file as a new case
(a youth's second *open* case is refused and reported) in batches of 500 cases, one
transaction each; a case already in the store from an earlier run of the same import is
counted, not registered again, so an import that was interrupted (even by ``kill -9``) is
finished by running it again. ``export`` writes every case of the municipality to one JSON
Lines file, with whole identity numbers (both are audit-logged).

Every command that uses a store takes ``--actor NAME`` (else ``$KAA_ACTOR``, else the
operating-system user): who did it is written in the store's audit log.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from kaa.formats.cells import terminal_text
from kaa.plugins.manager import Hooks
from kaa.store import CaseStore, export_cases, import_cases, init_store, migrate_store, open_store

__all__ = ["add_parser", "add_store_arguments", "open_from"]


def add_store_arguments(parser: argparse.ArgumentParser, *, url: bool = True) -> None:
    """Add ``--store URL`` (unless the command takes the URL itself), ``--municipality`` and
    ``--actor`` for a command that opens a store."""
    if url:
        parser.add_argument(
            "--store",
            required=True,
            metavar="URL",
            help="the case store: sqlite:///kaa.db, a path, or postgresql://…",
        )
    parser.add_argument(
        "--municipality",
        required=True,
        metavar="KOMMUNKOD",
        help="the municipality whose register to use (the store shows no other's cases)",
    )
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="who is acting, for the audit log (default $KAA_ACTOR, else the OS user)",
    )


def open_from(args: argparse.Namespace) -> CaseStore:
    """The store named by ``--store`` (or ``url``), bound to ``--municipality``, for
    ``--actor``, with the installed plugins' sensitive terms for the privacy guard."""
    url: str = getattr(args, "store", None) or args.url
    return open_store(
        url,
        municipality=args.municipality,
        actor=args.actor,
        terms=Hooks.default().sensitive_terms,
    )


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa store`` to the command line."""
    p = commands.add_parser(
        "store",
        help="create, migrate, export and import a case store",
        description="Create or migrate a case store, or move cases between it and a file.",
    )
    sub = p.add_subparsers(dest="store_command", required=True, metavar="ACTION")

    init = sub.add_parser("init", help="create the store (nothing happens to one that exists)")
    _url_arguments(init)
    init.set_defaults(run=_init)

    migrate = sub.add_parser("migrate", help="bring an older store to this version's schema")
    _url_arguments(migrate)
    migrate.set_defaults(run=_migrate)

    export = sub.add_parser(
        "export", help="write every case of the municipality to a JSON Lines file"
    )
    _url_arguments(export)
    add_store_arguments(export, url=False)
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="PATH", help="the .jsonl file"
    )
    export.set_defaults(run=_export)

    load = sub.add_parser("import", help="register every case of a cases file in the store")
    _url_arguments(load)
    load.add_argument("cases", type=Path, metavar="CASES", help="cases, canonical .jsonl/.json")
    add_store_arguments(load, url=False)
    load.set_defaults(run=_import)


def _url_arguments(parser: argparse.ArgumentParser) -> None:
    """The store's URL, given as ``--store URL`` as every other command takes it, or (as
    before) first on the line."""
    parser.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the store: sqlite:///kaa.db, a path, or postgresql://… (or --store URL)",
    )
    parser.add_argument("--store", metavar="URL", help="the store (as every command takes it)")


def _url(args: argparse.Namespace, err: IO[str]) -> str | None:
    """The one URL the command was given, or ``None`` (after a message) if none or two."""
    given: list[str] = [u for u in (args.store, args.url) if u]
    if not given:
        print("kaa store: name the store: --store URL", file=err)
        return None
    if len(given) == 2 and given[0] != given[1]:
        print("kaa store: two stores named: give --store URL or the URL, not both", file=err)
        return None
    args.store = args.url = given[0]
    return given[0]


def _init(args: argparse.Namespace, err: IO[str]) -> int:
    url = _url(args, err)
    if url is None:
        return 2
    version = init_store(url)
    print(f"case store at {url}: schema version {version}", file=err)
    return 0


def _migrate(args: argparse.Namespace, err: IO[str]) -> int:
    url = _url(args, err)
    if url is None:
        return 2
    before, after = migrate_store(url)
    if before == after:
        print(f"the store is at schema version {after}: nothing to migrate", file=err)
    else:
        print(f"migrated the store from schema version {before} to {after}", file=err)
    return 0


def _export(args: argparse.Namespace, err: IO[str]) -> int:
    if _url(args, err) is None:
        return 2
    if args.output.suffix.lower() not in (".jsonl", ".ndjson"):
        print("kaa: error: -o must name a .jsonl file", file=err)
        return 2
    with open_from(args) as store:
        count = export_cases(store, args.output)
    print(f"{count} case(s) of {args.municipality} written to {args.output}", file=err)
    return 0


def _import(args: argparse.Namespace, err: IO[str]) -> int:
    if _url(args, err) is None:
        return 2
    with open_from(args) as store:
        summary = import_cases(
            store,
            args.cases,
            on_problem=lambda p: print(terminal_text(str(p)), file=err),
            terms=Hooks.default().sensitive_terms,
        )
    print(summary, file=err)
    return 0 if summary.ok else 1
