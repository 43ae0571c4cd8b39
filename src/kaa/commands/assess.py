"""``kaa assess``: decide who is in the target group on a day."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kaa.adapters import SourceSummary, read_youths_from
from kaa.commands.common import Strict, day_argument
from kaa.formats.decisions import write_decisions_csv, write_decisions_json
from kaa.formats.files import atomic_text
from kaa.formats.problems import Problem
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import Decision, assess

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa assess`` to the command line."""
    p = commands.add_parser(
        "assess",
        help="decide who is in the target group on a day",
        description="Decide, for each youth in FILE, whether they are in the target group.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="youths, canonical .csv/.json/.jsonl")
    p.add_argument(
        "--source",
        default="canonical",
        metavar="NAME",
        help="the register source that reads FILE (default canonical; see `kaa sources`)",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        default=None,
        metavar="TOML",
        help="a mapping file adapting the source's column profile to the export",
    )
    p.add_argument(
        "--on",
        type=day_argument,
        default=None,
        metavar="DAY",
        help="the day of the decision (default: today)",
    )
    p.add_argument(
        "--municipality",
        metavar="KOMMUNKOD",
        help="only this municipality counts as home municipality (e.g. 1882)",
    )
    p.add_argument(
        "--format",
        choices=("csv", "json"),
        default=None,
        help="output format (default: from the output suffix, else csv)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="PATH",
        help="write here (atomically) instead of standard output",
    )
    p.add_argument("--only-in", action="store_true", help="write only youths in the target group")
    p.add_argument("--strict", action="store_true", help="stop at the first problem")
    p.add_argument(
        "--reveal-ids", action="store_true", help="write whole identity numbers (masked by default)"
    )
    p.add_argument("--quiet", action="store_true", help="no summary on standard error")
    p.set_defaults(run=_assess)


def _assess(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    if args.municipality is not None:
        lookup_municipality(args.municipality)
    summary = SourceSummary(file=str(args.file))

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)
        print(problem, file=err)

    hooks = Hooks.default()
    fmt = args.format or (
        "json" if args.output is not None and args.output.suffix.lower() == ".json" else "csv"
    )
    writer = write_decisions_json if fmt == "json" else write_decisions_csv
    counts = {"in": 0, "out": 0, "undecided": 0}

    def decisions() -> Iterator[Decision]:
        youths = read_youths_from(
            args.source,
            args.file,
            summary=summary,
            reference_day=day,
            on_problem=on_problem,
            mapping=args.mapping,
            hooks=hooks,
        )
        for youth in youths:
            decision = assess(
                youth,
                on=day,
                municipality=args.municipality,
                equivalence=hooks.counts_as_equivalent_education,
            )
            counts[decision.outcome.value] += 1
            if decision.in_target_group or not args.only_in:
                yield decision

    try:
        if args.output is None:
            # spooled, so that a file that fails half-way prints nothing but the error
            with tempfile.SpooledTemporaryFile(
                max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
            ) as spool:
                writer(decisions(), spool, reveal_ids=args.reveal_ids)
                spool.seek(0)
                shutil.copyfileobj(spool, sys.stdout)
        else:
            with atomic_text(args.output) as out:
                writer(decisions(), out, reveal_ids=args.reveal_ids)
    except Strict as stop:
        print(f"{stop.problem}\nstopped at the first problem (--strict)", file=err)
        return 1
    if not args.quiet:
        for notice in summary.notices:
            print(f"notice: {notice}", file=err)
        print(
            f"{summary}\n{counts['in']} in the target group on {day.isoformat()}, "
            f"{counts['out']} not"
            + (
                f", {counts['undecided']} undecided (a fact to record: see the reasons)"
                if counts["undecided"]
                else ""
            )
            + (f"; written to {args.output}" if args.output is not None else ""),
            file=err,
        )
    return 0 if summary.rows_rejected == 0 else 1
