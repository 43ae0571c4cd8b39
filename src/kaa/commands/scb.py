"""``kaa scb``: build, check and read the SCB half-year submission.

- ``kaa scb build CASES --period 2026H2 --municipality 1882 -o FILE`` builds the complete
  submission from the canonical cases file (or from a case store: ``--store URL`` instead of
  ``CASES``), runs the checks and writes the upload file
  (atomically) only when the write rule :func:`kaa.scb.rule.may_write` allows it: every case
  was read, no check of severity error fails, and at least one youth belongs to the
  municipality. Otherwise it prints every reason and writes nothing.
- ``kaa scb check INPUT --period … --municipality …`` runs the checks on the cases (a
  ``.jsonl``/``.json`` file) or on an existing submission file (any other suffix, read with
  the profile), or on the cases of a store (``--store URL``), and prints every failed
  check; ``--excel`` writes the marked workbook.
- ``kaa scb read FILE --period …`` reads a submission file back and prints the counts per
  block; ``-o`` writes the records as JSON (masked identity numbers unless
  ``--reveal-ids``).

On a store, ``--municipality`` binds the store, every case read is audit-logged with the
purpose ``kaa scb build`` (or ``kaa scb check``), the upload file written gets one
``scb_file`` audit entry per case of each youth in it (naming the file and the period), and
a workbook with ``--reveal-ids`` one ``reveal_ids`` entry per case of each youth in it.

Exit status: 0 ok (warnings allowed); 1 a check of severity error failed, an input row was
rejected or no youth belongs to the municipality (nothing is written); 2 a usage error or a
file that cannot be read.
"""

from __future__ import annotations

import argparse
import gc
import json
from pathlib import Path
from typing import IO

from kaa.commands.common import (
    CasesRead,
    UsageError,
    add_cases_arguments,
    cases_from,
    day_argument,
)
from kaa.convert import to_dict
from kaa.formats.files import atomic_text
from kaa.formats.problems import ReadSummary
from kaa.municipalities import municipality as lookup_municipality
from kaa.period import HalfYear
from kaa.plugins.manager import Hooks
from kaa.scb.checks import CHECKS, CheckReport, Severity, check_submission
from kaa.scb.excel import write_workbook
from kaa.scb.layout import ScbLayout, default_profile, load_profile
from kaa.scb.reader import read_submission
from kaa.scb.rule import may_write
from kaa.scb.submission import Block, Submission, build_submission
from kaa.scb.writer import write_submission
from kaa.store import AuditAction

__all__ = ["add_parser"]

_CASE_SUFFIXES = (".jsonl", ".json", ".ndjson")


def _period(text: str) -> HalfYear:
    try:
        return HalfYear.parse(text)
    except Exception as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(p: argparse.ArgumentParser, *, municipality_required: bool) -> None:
    p.add_argument(
        "--period",
        type=_period,
        required=True,
        metavar="HALF-YEAR",
        help="e.g. 2026H2 or 'HT 2026'",
    )
    p.add_argument(
        "--municipality",
        required=municipality_required,
        metavar="KOMMUNKOD",
        help="the reporting municipality, e.g. 1882",
    )
    p.add_argument(
        "--profile",
        type=Path,
        metavar="TOML",
        help="the layout profile for the half-year (default: the built-in profile, whose "
        "codes are placeholders, not SCB's)",
    )
    p.add_argument("--quiet", action="store_true", help="only errors on standard error")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa scb build|check|read`` to the command line."""
    scb = commands.add_parser(
        "scb",
        help="build, check and read the SCB half-year submission",
        description=(
            "The half-year submission to SCB: every youth in the target group on at least one "
            "day of the period, with their contacts and measures. A new upload replaces the "
            "previous file, so the file is always built from the whole register."
        ),
    )
    sub = scb.add_subparsers(dest="scb_command", required=True, metavar="ACTION")

    build = sub.add_parser(
        "build",
        help="build, check and write the upload file",
        description="Build the submission from the cases file or the case store, check it, "
        "and write the file SCB receives (whole identity numbers) only if every case was "
        "read, no check fails with an error, and at least one youth belongs to the "
        "municipality.",
    )
    add_cases_arguments(
        build, help="cases (canonical .jsonl/.json, or --source)", source=True, municipality=False
    )
    _common(build, municipality_required=True)
    build.add_argument(
        "-o", "--output", type=Path, required=True, metavar="PATH", help="the upload file"
    )
    build.add_argument("--excel", type=Path, metavar="XLSX", help="also write the marked workbook")
    build.add_argument(
        "--reference-day",
        type=day_argument,
        metavar="DAY",
        help="the day 10-digit identity numbers in CASES are read against (default today)",
    )
    build.add_argument(
        "--include-unreached-contacts",
        action="store_true",
        help="also report contact attempts that reached nobody",
    )
    build.set_defaults(run=_build)

    check = sub.add_parser(
        "check",
        help="run the checks on cases or on a submission file",
        description="Run the cross-field checks. INPUT is a cases file (.jsonl/.json), from "
        "which the submission is built, or a submission file read with the profile; or the "
        "submission is built from the cases of a case store (--store).",
    )
    add_cases_arguments(
        check,
        dest="input",
        metavar="INPUT",
        help="cases (.jsonl/.json) or a submission file",
        municipality=False,
    )
    _common(check, municipality_required=False)
    check.add_argument("--excel", type=Path, metavar="XLSX", help="write the marked workbook")
    check.add_argument(
        "--reveal-ids",
        action="store_true",
        help="whole identity numbers in the workbook (audit-logged on a store)",
    )
    check.add_argument("--reference-day", type=day_argument, metavar="DAY", help="as for build")
    check.set_defaults(run=_check)

    read = sub.add_parser(
        "read",
        help="read a submission file back",
        description="Read a submission file with the profile and print the counts per block.",
    )
    read.add_argument("file", type=Path, metavar="FILE", help="the submission file")
    _common(read, municipality_required=False)
    read.add_argument(
        "-o", "--output", type=Path, metavar="JSON", help="write the records as JSON here"
    )
    read.add_argument(
        "--reveal-ids", action="store_true", help="whole identity numbers in the JSON"
    )
    read.set_defaults(run=_read)


def _profile(args: argparse.Namespace) -> ScbLayout:
    profile = load_profile(args.profile) if args.profile is not None else default_profile()
    profile.require(args.period)
    return profile


def _print_summary(
    submission: Submission,
    report: CheckReport,
    profile: ScbLayout,
    err: IO[str],
    *,
    quiet: bool,
) -> None:
    for finding in report.errors:
        print(finding, file=err)
    if quiet:
        return
    for finding in report.warnings:
        if finding.check == "KAA-W007":
            print(f"note: {finding.message_en}", file=err)
    lines = [
        f"{submission.period} ({submission.period.code}), kommun {submission.municipality}, "
        f"profile {profile.name!r}",
        f"{len(submission)} youths reported; {len(submission.left_out)} open cases left out "
        "(not in the target group in the period)",
    ]
    counts = submission.counts()
    lines.extend(f"  block {b.number} {b.label_sv} ({b.value}): {counts[b.value]}" for b in Block)
    lines.append(f"checks: {len(report.errors)} errors, {len(report.warnings)} warnings")
    for check, n in report.by_check().items():
        d = CHECKS[check]
        kind = "error" if d.severity is Severity.ERROR else "warning"
        lines.append(f"  {check} {kind:7} {n:6}  {d.title}")
    print("\n".join(lines), file=err)


def _excel(
    args: argparse.Namespace,
    submission: Submission,
    report: CheckReport,
    err: IO[str],
    read: CasesRead | None = None,
) -> None:
    if args.excel is None:
        return
    reveal_ids: bool = getattr(args, "reveal_ids", False)
    if reveal_ids and read is not None:
        read.log(
            AuditAction.REVEAL_IDS,
            youths=(record.youth for record in submission.records),
            detail=f"whole identity numbers in the workbook {args.excel} "
            f"({submission.period.code})",
        )
    write_workbook(submission, args.excel, report=report, reveal_ids=reveal_ids)
    if not args.quiet:
        print(f"workbook with the failing cells marked: {args.excel}", file=err)


def _build(args: argparse.Namespace, err: IO[str]) -> int:
    # A long run: millions of objects made while reading live to the end, so the cyclic
    # collector runs on every 50,000 new objects, not 700, and the full collection (which
    # walks everything alive) practically never (issue 17). Nothing written changes.
    gc.set_threshold(50_000, 20, 100)
    lookup_municipality(args.municipality)
    hooks = Hooks.default()
    profile = _profile(args)
    with cases_from(
        args, reference_day=args.reference_day, on_problem=lambda p: print(p, file=err)
    ) as read:
        cases = list(read)
        submission = build_submission(
            cases,
            args.period,
            municipality=args.municipality,
            equivalence=hooks.counts_as_equivalent_education,
            include_unreached_contacts=args.include_unreached_contacts,
        )
        report = check_submission(
            submission,
            profile=profile,
            cases=cases,
            equivalence=hooks.counts_as_equivalent_education,
        )
        summary = read.summary
        if not args.quiet:
            print(summary, file=err)
        _print_summary(submission, report, profile, err, quiet=args.quiet)
        _excel(args, submission, report, err, read)
        verdict = may_write(submission, report, read=[summary])
        if not verdict.allowed:
            for refusal in verdict.refusals:
                print(f"NOT written: {refusal}", file=err)
            return 1
        write_submission(submission, args.output, profile=profile, report=report, read=[summary])
        read.log(
            AuditAction.SCB_FILE,
            youths=(record.youth for record in submission.records),
            detail=f"SCB file {args.output} for {submission.period} ({submission.period.code}), "
            f"{len(submission)} youths",
        )
    if not args.quiet:
        print(f"written: {args.output} (whole identity numbers: keep it safe)", file=err)
    return 0


def _check(args: argparse.Namespace, err: IO[str]) -> int:
    profile = _profile(args)
    if args.store is None and args.input.suffix.lower() not in _CASE_SUFFIXES:
        return _check_file(args, profile, err)
    if args.municipality is None:
        what = "--store is given" if args.store is not None else "INPUT is a cases file"
        print(f"kaa scb check: error: --municipality is required when {what}", file=err)
        return 2
    lookup_municipality(args.municipality)
    hooks = Hooks.default()
    with cases_from(
        args, reference_day=args.reference_day, on_problem=lambda p: print(p, file=err)
    ) as read:
        cases = list(read)
        submission = build_submission(
            cases,
            args.period,
            municipality=args.municipality,
            equivalence=hooks.counts_as_equivalent_education,
        )
        report = check_submission(
            submission,
            profile=profile,
            cases=cases,
            equivalence=hooks.counts_as_equivalent_education,
        )
        if not args.quiet:
            print(read.summary, file=err)
        _print_summary(submission, report, profile, err, quiet=args.quiet)
        _excel(args, submission, report, err, read)
    return 0 if report.ok and read.summary.rows_rejected == 0 else 1


def _check_file(args: argparse.Namespace, profile: ScbLayout, err: IO[str]) -> int:
    """``kaa scb check`` on a submission file."""
    if args.actor is not None:
        raise UsageError("kaa scb check: --actor is for reading a store: give --store URL")
    summary = ReadSummary(file=str(args.input))
    submission = read_submission(
        args.input,
        period=args.period,
        profile=profile,
        municipality=args.municipality,
        summary=summary,
        on_problem=lambda p: print(p, file=err),
    )
    report = check_submission(submission, profile=profile)
    if not args.quiet:
        print(summary, file=err)
    _print_summary(submission, report, profile, err, quiet=args.quiet)
    _excel(args, submission, report, err)
    return 0 if report.ok and summary.rows_rejected == 0 else 1


def _read(args: argparse.Namespace, err: IO[str]) -> int:
    profile = _profile(args)
    summary = ReadSummary(file=str(args.file))
    submission = read_submission(
        args.file,
        period=args.period,
        profile=profile,
        municipality=args.municipality,
        summary=summary,
        on_problem=lambda p: print(p, file=err),
    )
    if args.output is not None:
        data = {
            "period": submission.period.code,
            "municipality": submission.municipality,
            "records": to_dict(list(submission.records), reveal_ids=args.reveal_ids),
        }
        with atomic_text(args.output) as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
    if not args.quiet:
        print(summary, file=err)
        counts = submission.counts()
        print(
            f"{submission.period}, kommun {submission.municipality}: {len(submission)} youths\n"
            + "\n".join(
                f"  block {b.number} {b.label_sv} ({b.value}): {counts[b.value]}" for b in Block
            ),
            file=err,
        )
    return 0 if summary.rows_rejected == 0 else 1
