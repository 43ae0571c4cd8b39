"""``kaa audit``: list the audit log of a municipality's register — who read, searched or
changed what, when and why.

::

    kaa audit --store sqlite:///kaa.db --municipality 1882
    kaa audit --store sqlite:///kaa.db --municipality 1882 --since 2026-11-01 --action read
    kaa audit --store sqlite:///kaa.db --municipality 1882 --case 7c0f… --by anna

One line per entry, oldest first, tab-separated: the time (UTC), the actor, the action, the
case id (``-`` when none), the purpose and the detail. The log never holds a whole identity
number. Only the municipality's own entries are shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import IO

from kaa.commands.store import add_store_arguments, open_from
from kaa.formats.cells import terminal_text
from kaa.store import AuditAction

__all__ = ["add_parser", "since_argument"]


def since_argument(text: str) -> dt.datetime:
    """An argparse type for ``--since``: a day (``2026-11-01``, from midnight UTC) or a time
    with its zone (``2026-11-01T08:00:00+01:00``)."""
    try:
        if len(text.strip()) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time(), dt.UTC)
        at = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day or a time: write 2026-11-01 or 2026-11-01T08:00:00+01:00"
        ) from None
    if at.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r}: give the time zone, e.g. +01:00 or Z")
    return at


def _action(text: str) -> AuditAction:
    for action in AuditAction:
        if text.strip().casefold() in (action.value, action.label_sv.casefold()):
            return action
    allowed = ", ".join(a.value for a in AuditAction)
    raise argparse.ArgumentTypeError(f"{text!r} is not an action: one of {allowed}")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa audit`` to the command line."""
    p = commands.add_parser(
        "audit",
        help="list the audit log: who read, searched or changed what, when and why",
        description=(
            "List the audit log of the municipality's register, oldest first, filtered by "
            "time, action, case and actor."
        ),
    )
    add_store_arguments(p)
    p.add_argument("--since", type=since_argument, metavar="DAY|TIME", help="from this time")
    p.add_argument(
        "--action",
        type=_action,
        metavar="ACTION",
        help=f"only this action ({', '.join(a.value for a in AuditAction)})",
    )
    p.add_argument("--case", metavar="ID", help="only entries about this case")
    p.add_argument("--by", metavar="ACTOR", help="only entries by this actor")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    count = 0
    with open_from(args) as store:
        for entry in store.audit(
            since=args.since, action=args.action, case_id=args.case, actor=args.by
        ):
            fields = (
                entry.at.isoformat(timespec="seconds"),
                entry.actor,
                entry.action.value,
                entry.case_id or "-",
                entry.purpose,
                entry.detail,
            )
            print(terminal_text("\t".join(f.replace("\t", " ") for f in fields)))
            count += 1
    print(f"{count} audit entr{'y' if count == 1 else 'ies'}", file=err)
    return 0
