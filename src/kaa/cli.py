"""The ``kaa`` command.

``kaa assess FILE --on DAY`` reads youths in the canonical form (CSV, JSON or JSON Lines)
and writes one decision per youth. Problems go to standard error as ``file:line: column …``.

Exit status: 0 when every row was accepted, 1 when any row was rejected (the decisions for
the other youths are still written), 2 for a usage error or a file that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from kaa import __version__
from kaa.adapters.canonical import read_youths
from kaa.adapters.decisions import write_decisions_csv, write_decisions_json
from kaa.errors import InvalidInput, KaaError
from kaa.files import atomic_text
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins import Hooks
from kaa.problems import Problem, ReadSummary
from kaa.rules.target_group import Decision, assess

__all__ = ["main", "main_exit"]


class _Strict(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day; write it as YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaa",
        description="Kommunernas aktivitetsansvar (KAA): the target group, contacts and SCB.",
    )
    parser.add_argument("--version", action="version", version=f"kaa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "assess",
        help="decide who is in the target group on a day",
        description="Decide, for each youth in FILE, whether they are in the target group.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="youths, canonical .csv/.json/.jsonl")
    p.add_argument(
        "--on",
        type=_day,
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
    return parser


def _assess(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    if args.municipality is not None:
        lookup_municipality(args.municipality)
    summary = ReadSummary(file=str(args.file))

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise _Strict(problem)
        print(problem, file=err)

    hooks = Hooks.default()
    fmt = args.format or (
        "json" if args.output is not None and args.output.suffix.lower() == ".json" else "csv"
    )
    writer = write_decisions_json if fmt == "json" else write_decisions_csv
    counts = {"in": 0, "out": 0}

    def decisions() -> Iterator[Decision]:
        youths = read_youths(args.file, summary=summary, reference_day=day, on_problem=on_problem)
        for youth in youths:
            decision = assess(youth, on=day, municipality=args.municipality, hooks=hooks)
            counts["in" if decision.in_target_group else "out"] += 1
            if decision.in_target_group or not args.only_in:
                yield decision

    try:
        if args.output is None:
            writer(decisions(), sys.stdout, reveal_ids=args.reveal_ids)
        else:
            with atomic_text(args.output) as out:
                writer(decisions(), out, reveal_ids=args.reveal_ids)
    except _Strict as stop:
        print(f"{stop.problem}\nstopped at the first problem (--strict)", file=err)
        return 1
    if not args.quiet:
        print(
            f"{summary}\n{counts['in']} in the target group on {day.isoformat()}, "
            f"{counts['out']} not"
            + (f"; written to {args.output}" if args.output is not None else ""),
            file=err,
        )
    return 0 if summary.rows_rejected == 0 else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kaa`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    err = sys.stderr
    try:
        if args.command == "assess":
            return _assess(args, err)
    except InvalidInput as exc:
        print(f"kaa: error: {exc}", file=err)
        return 2
    except KaaError as exc:
        print(f"kaa: error: {exc}", file=err)
        return 2
    return 2  # pragma: no cover - argparse rejects unknown commands


def main_exit() -> None:
    """Entry point of the ``kaa`` console script."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main_exit()
