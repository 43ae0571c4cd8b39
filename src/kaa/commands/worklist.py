"""``kaa worklist``: what each case worker must do on a day.

The cases come from a cases file or from a case store (``--store URL --municipality
KOMMUNKOD``): the same worklist either way. On a store only the cases open on the day are
read (each read audit-logged with the purpose ``kaa worklist``), and ``--reveal-ids`` writes
one ``reveal_ids`` audit entry for each case in the worklist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import IO

from kaa.commands.common import CasesRead, Strict, add_cases_arguments, cases_from, day_argument
from kaa.commands.progress import Progress
from kaa.dated import Timeline
from kaa.formats.files import atomic_text
from kaa.formats.problems import Problem
from kaa.plugins.manager import Hooks
from kaa.rules.contact import Timetable, load_timetable
from kaa.store import AuditAction
from kaa.worklist import (
    DEFAULT_WINDOW,
    Worklist,
    build_worklist,
    format_table,
    write_worklist_csv,
    write_worklist_json,
)

__all__ = ["add_parser"]

_PROGRESS_FROM = 2_000
"""Show a progress bar (on a terminal) from this many cases."""


def _window(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 0 <= days <= 366:
        raise argparse.ArgumentTypeError("the window is 0 to 366 days")
    return days


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa worklist`` to the command line."""
    p = commands.add_parser(
        "worklist",
        help="list what each case worker must do on a day",
        description=(
            "List every contact step that is overdue, due or upcoming, every decision to "
            "take, every youth not reached after the whole timetable, late plan follow-ups "
            "and youths who turn 20 soon, for the open cases in CASES or in the case store."
        ),
    )
    add_cases_arguments(p, help="cases (canonical .jsonl/.json, or --source)", source=True)
    p.add_argument(
        "--on", type=day_argument, default=None, metavar="DAY", help="the day (default today)"
    )
    p.add_argument(
        "--window",
        type=_window,
        default=DEFAULT_WINDOW,
        metavar="DAYS",
        help=f"show upcoming steps this many days ahead (default {DEFAULT_WINDOW})",
    )
    p.add_argument(
        "--group-by",
        choices=("case-worker", "due-day"),
        default="case-worker",
        help="group the table (and JSON) by case worker or by due day",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default=None,
        help="output format (default: from the output suffix, else table)",
    )
    p.add_argument(
        "--timetable",
        type=Path,
        default=None,
        metavar="TOML",
        help="use this timetable for every case instead of each municipality's own",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="PATH",
        help="write here (atomically) instead of standard output",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first problem")
    p.add_argument(
        "--reveal-ids", action="store_true", help="write whole identity numbers (masked by default)"
    )
    p.add_argument("--quiet", action="store_true", help="no summary or progress on standard error")
    p.set_defaults(run=_run)


def _count_lines(path: Path | None) -> int | None:
    if path is None or path.suffix.lower() not in (".jsonl", ".ndjson"):
        return None
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None  # read_cases reports the file


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    suffix = args.output.suffix.lower() if args.output is not None else ""
    return {".csv": "csv", ".json": "json"}.get(suffix, "table")


def _write(worklist: Worklist, fmt: str, out: IO[str], args: argparse.Namespace) -> None:
    if fmt == "csv":
        write_worklist_csv(worklist, out, reveal_ids=args.reveal_ids)
    elif fmt == "json":
        write_worklist_json(worklist, out, reveal_ids=args.reveal_ids, group_by=args.group_by)
    else:
        out.write(format_table(worklist, group_by=args.group_by, reveal_ids=args.reveal_ids))
        out.write("\n")


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    timetable = load_timetable(args.timetable) if args.timetable is not None else None

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)
        print(problem, file=err)

    try:
        with cases_from(args, reference_day=day, on_problem=on_problem, open_on=day) as read:
            worklist = _build(read, args, err, day=day, timetable=timetable)
            _output(worklist, read, args)
    except Strict as stop:
        print(f"{stop.problem}\nstopped at the first problem (--strict)", file=err)
        return 1
    summary = read.summary
    if not args.quiet:
        counts = ", ".join(f"{n} {status.value}" for status, n in worklist.counts().items() if n)
        print(
            f"{summary}\nworklist for {day.isoformat()}: {worklist.cases} open cases, "
            f"{len(worklist)} items ({counts or 'nothing to do'})"
            + (f"; written to {args.output}" if args.output is not None else ""),
            file=err,
        )
    return 0 if summary.rows_rejected == 0 else 1


def _build(
    read: CasesRead,
    args: argparse.Namespace,
    err: IO[str],
    *,
    day: dt.date,
    timetable: Timeline[Timetable] | None,
) -> Worklist:
    total = None if args.quiet else _count_lines(read.file)
    show = not args.quiet and (total is None or total >= _PROGRESS_FROM)
    bar = Progress(total, label="cases", stream=err, enabled=None if show else False)
    with bar:
        return build_worklist(
            read,
            on=day,
            window=args.window,
            hooks=Hooks.default(),
            timetable=timetable,
            progress=bar.advance,
        )


def _output(worklist: Worklist, read: CasesRead, args: argparse.Namespace) -> None:
    """Write the worklist; on a store, whole identity numbers are audit-logged first."""
    fmt = _format(args)
    if args.reveal_ids:
        where = "standard output" if args.output is None else str(args.output)
        read.log(
            AuditAction.REVEAL_IDS,
            youths=(item.youth for item in worklist.items),
            detail=f"whole identity numbers in the worklist for {worklist.day.isoformat()} "
            f"({fmt}) written to {where}",
        )
    if args.output is None:
        _write(worklist, fmt, sys.stdout, args)
    else:
        with atomic_text(args.output) as out:
            _write(worklist, fmt, out, args)
