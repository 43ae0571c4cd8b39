"""``kaa sync``: bring the case store up to date with a register export.

::

    kaa sync export.csv --source ist --municipality 1882 --store sqlite:///kaa.db
    kaa sync export.csv --source ist --municipality 1882 --store sqlite:///kaa.db --dry-run

Youths in the target group without an open case are registered, the register's facts are
merged into the open cases, cases whose youth has left the target group are ended with the
reason the facts give or listed for the case worker to decide (:mod:`kaa.sync`, the guide is
``docs/sync.md``). Every action is printed on standard error as it is done, one line each
with masked identity numbers, and the counts at the end; ``--dry-run`` prints what would be
done and writes nothing. Running the same sync again changes nothing.

Exit status: 0, or 1 when rows of the export were rejected (the rest is still synced), as
the other commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import IO

from kaa.adapters import SourceSummary, open_source
from kaa.commands.common import Strict, day_argument
from kaa.commands.progress import Progress
from kaa.commands.store import add_store_arguments, open_from
from kaa.formats.cells import terminal_text
from kaa.formats.problems import Problem
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins.manager import Hooks
from kaa.sync import ActionKind, SyncAction, sync

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa sync`` to the command line."""
    p = commands.add_parser(
        "sync",
        help="register the target group from a register export, merge facts, end cases",
        description=(
            "Read a register export and bring the case store up to date: register the youths "
            "in the target group who have no open case, merge the register's facts into the "
            "open cases (dated history kept), and end the cases whose youth has left the "
            "target group with the reason the facts give — or list them for the case worker "
            "to decide. Prints every action and the counts on standard error."
        ),
    )
    p.add_argument("register", type=Path, metavar="REGISTER", help="the register export")
    p.add_argument(
        "--source",
        default="ist",
        metavar="NAME",
        help="the register source that reads REGISTER (default ist; `kaa sources` lists them)",
    )
    p.add_argument(
        "--mapping", type=Path, metavar="TOML", help="a mapping file adapting the source's profile"
    )
    add_store_arguments(p)
    p.add_argument(
        "--on",
        type=day_argument,
        default=None,
        metavar="DAY",
        help="the day the export describes (default today): registrations are dated this day",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would be done and write nothing (the reads are still audit-logged)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first problem in the export")
    p.add_argument("--quiet", action="store_true", help="print only the counts, not each action")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    kommun = lookup_municipality(args.municipality)
    hooks = Hooks.default()
    read = SourceSummary(file=str(args.register))

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)

    def on_action(action: SyncAction) -> None:
        if not args.quiet or action.kind is ActionKind.REJECTED:
            print(terminal_text(str(action)), file=err)

    records = open_source(
        args.source,
        args.register,
        summary=read,
        reference_day=day,
        on_problem=on_problem,
        mapping=args.mapping,
        hooks=hooks,
    )
    if args.dry_run:
        print("dry run: nothing is written to the store", file=err)
    try:
        with open_from(args) as store, Progress(label="youths", stream=err) as bar:
            summary = sync(
                store,
                records,
                on=day,
                hooks=hooks,
                read=read,
                dry_run=args.dry_run,
                on_action=on_action,
                keep_actions=False,
                progress=bar.advance,
            )
    except Strict as stop:
        print(
            f"{stop.problem}\nstopped at the first problem (--strict); the chunks synced "
            "before it are kept",
            file=err,
        )
        return 1
    print(f"kaa sync — {kommun}, {day.isoformat()}", file=err)
    print(f"  register: {read}", file=err)
    for notice in read.notices:
        print(f"  notice: {terminal_text(str(notice))}", file=err)
    print(
        f"  {summary.youths} youths read, {summary.in_target_group} in the target group; "
        f"{summary.open_cases} open cases before the sync",
        file=err,
    )
    print("  actions that would be done:" if args.dry_run else "  actions:", file=err)
    for kind in ActionKind:
        print(f"  {summary.count(kind):>7} {kind.value.replace('_', ' ')}", file=err)
    if args.dry_run:
        print("dry run: nothing was written", file=err)
    return 0 if read.rows_rejected == 0 and summary.ok else 1
