"""``kaa report``: the committee report for a period, as self-contained HTML.

The cases come from a cases file or from a case store (``--store URL``, bound to
``--municipality``; every case read is audit-logged with the purpose ``kaa report``): the
same report either way.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from kaa.commands.common import add_cases_arguments, cases_from, day_argument
from kaa.formats.files import atomic_text
from kaa.period import Period, parse_period
from kaa.plugins.manager import Hooks
from kaa.report import build_report, load_goals

__all__ = ["add_parser"]


def _period(text: str) -> Period:
    return parse_period(text)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa report`` to the command line."""
    p = commands.add_parser(
        "report",
        help="write the committee report (HTML) for a period",
        description=(
            "Write the follow-up report for a half-year (2026H2), a year (2026), a tertial "
            "(2026T1) or any range of days (2026-03-01..2026-05-31) as a "
            "self-contained HTML file in Swedish, and a print-friendly version next to it, "
            "from a cases file or a case store."
        ),
    )
    add_cases_arguments(
        p, help="cases (canonical .jsonl/.json, or --source)", source=True, municipality=False
    )
    p.add_argument(
        "--period",
        required=True,
        help="2026H2 or 'HT 2026', a year (2026), a tertial (2026T1) or days "
        "(2026-03-01..2026-05-31)",
    )
    p.add_argument("--municipality", required=True, metavar="KOMMUNKOD")
    p.add_argument(
        "--goals",
        type=Path,
        metavar="TOML",
        help="the municipality's goals (default: those shipped for it, if any)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("kaa-report.html"),
        metavar="PATH",
        help="the HTML file (default kaa-report.html)",
    )
    p.add_argument(
        "--made",
        type=day_argument,
        default=None,
        metavar="DAY",
        help="the date printed on the report (default today)",
    )
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    period = _period(args.period)
    hooks = Hooks.default()
    goals = load_goals(args.goals) if args.goals else hooks.report_goals(args.municipality)
    with cases_from(args, on_problem=lambda p: print(p, file=err)) as read:
        cases = list(read)
    summary = read.summary
    report = build_report(
        cases,
        period,
        municipality=args.municipality,
        goals=goals,
        catalogue=hooks.measure_catalogue(args.municipality),
        made=args.made,
    )
    output: Path = args.output
    printable = output.with_name(f"{output.stem}-print{output.suffix}")
    with atomic_text(output) as out:
        out.write(report.html())
    with atomic_text(printable) as out:
        out.write(report.html(print_friendly=True))
    print(f"{summary}\nreport for {period}: {output}\nprint-friendly: {printable}", file=err)
    return 0 if summary.rows_rejected == 0 else 1
