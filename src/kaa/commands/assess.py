"""``kaa assess``: decide who is in the target group on a day."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kaa.adapters import SourceSummary, get_source, read_youths_from
from kaa.adapters.profile import load_mapping
from kaa.adapters.tabular import ProfileSource, read_table
from kaa.columnar import available as columnar_available
from kaa.columnar.engine import Batch, assess_csv, write_batches
from kaa.columnar.profile import WORKBOOKS, assess_export
from kaa.commands.common import Strict, day_argument
from kaa.formats.decisions import write_decisions_csv, write_decisions_json
from kaa.formats.files import atomic_text
from kaa.formats.problems import Problem
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import TIMELINE, Decision, assess

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
    p.add_argument(
        "--engine",
        choices=("auto", "reference", "columnar"),
        default="auto",
        help=(
            "how to decide: 'reference' reads and decides youth by youth; 'columnar' over "
            "columns (needs kaa[fast], and the canonical CSV or a column-profile source such "
            "as ist, ber or hypernet as CSV or text; the same output byte for byte); 'auto' "
            "(default) takes columnar when it applies"
        ),
    )
    p.set_defaults(run=_assess)


def _columnar_refused(args: argparse.Namespace, hooks: Hooks) -> str | None:
    """Why the columnar engine cannot decide this run (``None``: it can)."""
    if args.source == "canonical":
        if args.file.suffix.lower() != ".csv":
            return (
                "the columnar engine reads only the canonical CSV (--source canonical, a .csv) "
                "and the column-profile sources (ist, ber, hypernet, …) as CSV or text"
            )
        if args.mapping is not None:
            return "the canonical CSV takes no mapping file"
    elif not isinstance(get_source(args.source, hooks), ProfileSource):
        return (
            f"the columnar engine reads the canonical CSV and the column-profile sources "
            f"(ist, ber, hypernet, …); {args.source} is not one"
        )
    elif args.file.suffix.lower() in WORKBOOKS:
        return f"a {args.file.suffix} workbook is read by the reference engine; export it as CSV"
    if not columnar_available():
        return "the columnar engine needs polars: install kaa[fast]"
    return None


def _engine(args: argparse.Namespace, hooks: Hooks, day: dt.date, err: IO[str]) -> str | None:
    """``columnar`` or ``reference``; ``None`` (after a message) if ``--engine columnar``
    cannot run."""
    if args.engine == "reference":
        return "reference"
    refused = _columnar_refused(args, hooks)
    if refused is not None:
        if args.engine == "columnar":
            print(f"kaa assess: --engine columnar: {refused}", file=err)
            return None
        return "reference"
    if day < TIMELINE.first_day:
        return "reference"  # the reference says the rule is not in force, where it says it
    per_youth = hooks.per_youth_equivalence_only()
    if per_youth:
        if not args.quiet:
            print(
                f"note: {', '.join(per_youth)} answer(s) the open questions of T3 youth by "
                "youth only (kaa_counts_as_equivalent_education without "
                "kaa_equivalence_rulings): deciding youth by youth (reference engine)",
                file=err,
            )
        return "reference"
    return "columnar"


def _assess(args: argparse.Namespace, err: IO[str]) -> int:
    # A long run: millions of objects made while reading live to the end, so the cyclic
    # collector runs on every 50,000 new objects, not 700, and the full collection (which
    # walks everything alive) practically never (issue 17). Nothing written changes.
    gc.set_threshold(50_000, 20, 100)
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
    engine = _engine(args, hooks, day, err)
    if engine is None:
        return 2

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

    def _batches(out_format: str) -> Iterator[Batch]:
        source = get_source(args.source, hooks)
        assert isinstance(source, ProfileSource)
        profile = load_mapping(source.profile, args.mapping)
        return assess_export(
            args.file,
            profile=profile,
            reference=lambda table, read, problem: read_table(
                table,
                profile,
                source=source.name,
                summary=read,
                reference_day=day,
                on_problem=problem,
            ),
            whole=lambda: source.read(
                args.file,
                summary=summary,
                reference_day=day,
                on_problem=on_problem,
                mapping=args.mapping,
            ),
            on=day,
            municipality=args.municipality,
            rulings=hooks.equivalence_rulings(args.municipality, day),
            equivalence=hooks.counts_as_equivalent_education,
            summary=summary,
            on_problem=on_problem,
            reveal_ids=args.reveal_ids,
            json_output=out_format == "json",
            only_in=args.only_in,
        )

    def write(out: IO[str]) -> None:
        if engine == "reference":
            writer(decisions(), out, reveal_ids=args.reveal_ids)
            return
        batches = (
            _batches(out_format=fmt)
            if args.source != "canonical"
            else assess_csv(
                args.file,
                on=day,
                municipality=args.municipality,
                rulings=hooks.equivalence_rulings(args.municipality, day),
                equivalence=hooks.counts_as_equivalent_education,
                summary=summary,
                on_problem=on_problem,
                reveal_ids=args.reveal_ids,
                json_output=fmt == "json",
                only_in=args.only_in,
            )
        )
        write_batches(batches, out, json_output=fmt == "json", counts=counts)

    try:
        if args.output is None:
            # spooled, so that a file that fails half-way prints nothing but the error
            with tempfile.SpooledTemporaryFile(
                max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
            ) as spool:
                write(spool)
                spool.seek(0)
                shutil.copyfileobj(spool, sys.stdout)
        else:
            with atomic_text(args.output) as out:
                write(out)
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
