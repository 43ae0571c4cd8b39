"""``kaa retention``: list the cases due for deletion (*gallring*) on a day; delete on confirmation.

Listing is the default and changes nothing. It prints every case due, with the rule that makes
it due, and a confirmation token. Deleting is a separate step that needs that token::

    kaa retention cases.jsonl --on 2026-11-23
    kaa retention cases.jsonl --on 2026-11-23 --delete --confirm 3f9a… -o kept.jsonl

The token depends on the file's content, the day and the cases due, so it only confirms what
was listed. The new file is written atomically; the input is replaced only when ``-o`` names it.

On a case store the cases due are listed from the store, and deleted in it: the whole
history of each, with the token of the listing and no new file (the store records in its
audit log that it did; reading the cases is audit-logged too, with the purpose
``kaa retention``)::

    kaa retention --store sqlite:///kaa.db --municipality 1882 --on 2026-11-23
    kaa retention --store sqlite:///kaa.db --municipality 1882 --on 2026-11-23 \\
        --delete --confirm 5c1e…

That token names the cases due as they are now in the store, for today
(:meth:`kaa.store.CaseStore.deletion_token`): a case changed since the listing, or a listing
of another day, needs a new one.

A day after today is refused unless ``--allow-future`` is given (to see what *will* be due),
and a case whose KAA has not ended by the real today is never deleted, whatever ``--on``
says.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import IO

from kaa.commands.common import CasesRead, UsageError, add_cases_arguments, cases_from, day_argument
from kaa.errors import InvalidInput
from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.rules.retention import (
    DueForDeletion,
    confirmation_token,
    due_for_deletion,
    load_retention,
)

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa retention`` to the command line."""
    p = commands.add_parser(
        "retention",
        help="list the cases due for deletion (gallring) on a day; delete with confirmation",
        description=(
            "List the cases due for deletion on a day under each municipality's retention "
            "rule (the library default unless a plugin or --rule supplies the municipality's "
            "own; the national rule is not known). Nothing is deleted unless --delete is "
            "given with the token the listing printed. The cases come from a cases file "
            "(deleting writes a new one) or from a case store (deleting is done in it)."
        ),
    )
    add_cases_arguments(p, help="cases, canonical .jsonl/.json")
    p.add_argument("--on", required=True, type=day_argument, metavar="DAY", help="YYYY-MM-DD")
    p.add_argument(
        "--rule",
        type=Path,
        metavar="TOML",
        action="append",
        default=[],
        help="a municipality's retention rule (may be given once per municipality)",
    )
    p.add_argument(
        "--allow-future",
        action="store_true",
        help="accept a day after today (a forecast; cases open today are never deleted)",
    )
    p.add_argument("--delete", action="store_true", help="delete the listed cases")
    p.add_argument("--confirm", metavar="TOKEN", help="the token printed by the listing")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="with --delete on a cases file: the new cases file (a store deletes in place)",
    )
    p.set_defaults(run=_run)


def today() -> dt.date:
    """The real today (a function, so that tests can set the day)."""
    return dt.date.today()


def _ended_by(case: Case, day: dt.date) -> bool:
    return case.end is not None and case.end.day <= day


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    now = today()
    if args.on > now and not args.allow_future:
        print(
            f"kaa: error: --on {args.on.isoformat()} is after today ({now.isoformat()}); "
            "give --allow-future to list what will be due then; nothing deleted",
            file=err,
        )
        return 2
    if args.store is not None and args.output is not None:
        raise UsageError(
            "kaa retention: -o is for a cases file; a store deletes the cases in place; "
            "nothing deleted"
        )
    content = b""
    if args.cases is not None:
        try:
            content = args.cases.read_bytes()
        except OSError as exc:
            raise InvalidInput(
                f"cannot open the file: {exc.strerror}", file=str(args.cases)
            ) from None
    rules = dict(load_retention(rule) for rule in args.rule)
    with cases_from(args, on_problem=lambda p: print(p, file=err)) as read:
        read_ids = list(read.with_ids())
        cases = [case for _, case in read_ids]
        listed = due_for_deletion(cases, on=args.on, rules=rules)
        due = [item for item in listed if _ended_by(item.case, now)]
        for item in listed:
            if not _ended_by(item.case, now):
                print(
                    f"{item.case.id}: KAA has not ended by today ({now.isoformat()}): "
                    "never deleted",
                    file=err,
                )
        ids = _case_ids(due, read_ids)
        token = (
            confirmation_token(content, args.on, due)
            if read.store is None
            else read.store.deletion_token(ids)
        )
        for item in due:
            print(item)
        summary = read.summary
        print(
            f"{summary}\n{len(due)} of {len(cases)} cases due for deletion on "
            f"{args.on.isoformat()}",
            file=err,
        )
        if not args.delete:
            if due:
                how = (
                    f"--delete --confirm {token} -o NEW.jsonl"
                    if read.store is None
                    else f"--delete --confirm {token} (in the store, no new file)"
                )
                print(f"nothing deleted; to delete them: {how}", file=err)
            return 0 if summary.rows_rejected == 0 else 1
        if args.confirm != token:
            what = "this file" if read.store is None else "this store"
            print(
                f"kaa: error: --delete needs --confirm with the token of a listing of {what} on "
                "this day; nothing deleted",
                file=err,
            )
            return 2
        if read.store is None:
            return _write_kept(args, read, cases, due, err)
        events = read.store.delete(ids, token=token, purpose=read.purpose)
    print(
        f"deleted {len(ids)} case(s) ({events} event(s)) from the store; its audit log records "
        "each deletion",
        file=err,
    )
    return 0


def _case_ids(due: list[DueForDeletion], read: list[tuple[str | None, Case]]) -> list[str]:
    """The store's case ids of the cases due (none for a file)."""
    by_case = {id(case): case_id for case_id, case in read if case_id is not None}
    return [by_case[id(item.case)] for item in due if id(item.case) in by_case]


def _write_kept(
    args: argparse.Namespace,
    read: CasesRead,
    cases: list[Case],
    due: list[DueForDeletion],
    err: IO[str],
) -> int:
    """Delete from a cases file: write the cases kept to ``-o``."""
    if args.output is None or args.output.suffix.lower() not in (".jsonl", ".ndjson"):
        print("kaa: error: --delete needs -o NEW.jsonl; nothing deleted", file=err)
        return 2
    if read.summary.rows_rejected:
        print(
            f"kaa: error: {read.summary.rows_rejected} record(s) could not be read and would be "
            "lost; fix them first; nothing deleted",
            file=err,
        )
        return 2
    deleted = {id(item.case) for item in due}
    kept = write_cases((c for c in cases if id(c) not in deleted), args.output)
    print(f"deleted {len(due)} case(s); {kept} kept in {args.output}", file=err)
    return 0
