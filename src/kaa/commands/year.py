"""``kaa year``: the whole job in one command — register, target group, worklist, SCB, report.

The case documentation comes from a cases file (``--cases``) or from a case store
(``--store URL``, bound to ``--municipality``), or there is none; the register export is
read for the target group either way, and the outputs are the same. On a store every case
read is audit-logged with the purpose ``kaa year``, and the SCB upload file written gets one
``scb_file`` entry per case of each youth in it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from kaa.commands.common import (
    CasesRead,
    Strict,
    add_cases_arguments,
    cases_from,
    cases_given,
    day_argument,
)
from kaa.commands.progress import track
from kaa.formats.problems import Problem
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins.manager import Hooks
from kaa.store import AuditAction
from kaa.store.base import StoredCase
from kaa.year import YearRun, run_year

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa year`` to the command line."""
    p = commands.add_parser(
        "year",
        help="run the whole job: register → target group → worklist → SCB file → report",
        description=(
            "Read the register export through a register source, decide who is in the target "
            "group, list the youths in it who are not registered, build the day's worklist, "
            "build and check the SCB file for the half-year (written only if no input row was "
            "rejected, no check fails with an error and a youth belongs to the municipality), "
            "and write the committee reports for the half-year and the year. Prints where each "
            "output went."
        ),
    )
    p.add_argument("register", type=Path, metavar="EXPORT", help="the register export")
    p.add_argument(
        "--source",
        default="ist",
        metavar="NAME",
        help="the register source that reads EXPORT (default ist)",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="TOML",
        help="the municipality's mapping file for the source",
    )
    add_cases_arguments(
        p,
        option="--cases",
        metavar="JSONL",
        help="the case documentation (contacts, measures, plans), canonical JSON Lines",
        required=False,
        municipality=False,
    )
    p.add_argument("--municipality", required=True, metavar="KOMMUNKOD")
    p.add_argument(
        "--on",
        type=day_argument,
        default=None,
        metavar="DAY",
        help="the day of the run (default today)",
    )
    p.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path("kaa-out"),
        metavar="DIR",
        help="where the outputs go (default kaa-out/)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first input problem")
    p.add_argument(
        "--reveal-ids",
        action="store_true",
        help="whole identity numbers in the worklist and the not-registered list, the two "
        "lists a person acts on (written 0600; on a store, recorded in the audit log)",
    )
    p.set_defaults(run=_run)


class Stopped(Exception):
    """``kaa year`` was asked to stop (``SIGTERM`` or ``SIGHUP``) while it ran."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"stopped by signal {signal_number}")
        self.signal = signal_number


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Turn ``SIGTERM``/``SIGHUP`` into :class:`Stopped` while the job runs, so that the
    output set is discarded cleanly (``Ctrl-C`` already raises ``KeyboardInterrupt``)."""

    def stop(number: int, _frame: object) -> None:
        raise Stopped(number)

    wanted = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    try:
        previous = {s: signal.signal(s, stop) for s in wanted}
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    # A long run: millions of objects made while reading live to the end, so the cyclic
    # collector runs on every 50,000 new objects, not 700, and the full collection (which
    # walks everything alive) practically never (issue 17). Nothing written changes.
    gc.set_threshold(50_000, 20, 100)
    day: dt.date = args.on or dt.date.today()
    kommun = lookup_municipality(args.municipality)

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)
        print(problem, file=err)

    try:
        with _stopped_by_signals():
            if cases_given(args):
                with cases_from(args, reference_day=day, on_problem=on_problem) as read:
                    run = _run_year(args, day, on_problem, read)
                    _log_scb_file(run, read)
                    if args.reveal_ids:
                        _log_revealed(run, read)
            else:
                run = _run_year(args, day, on_problem, None)
    except Strict as stop:
        print(f"{stop.problem}\nstopped at the first problem (--strict)", file=err)
        return 1
    except Stopped as stop:
        print(
            f"kaa: stopped by signal {stop.signal}; the previous outputs in {args.out} are "
            "left as they were",
            file=err,
        )
        return 128 + stop.signal
    if args.reveal_ids and args.store is None:
        print(
            "kaa: warning: whole identity numbers were written without a case store, so no "
            "audit log records it; run on --store to keep the record",
            file=err,
        )
    print(f"kaa year — {kommun}, {day.isoformat()} ({run.period})", file=err)
    print(f"  register: {run.register}", file=err)
    if run.cases_file is not None:
        print(f"  cases:    {run.cases_file}", file=err)
    print(
        f"  {run.in_target_group} youths in the target group, {run.not_registered} of them "
        f"not registered; {run.cases} KAA cases; worklist: {len(run.worklist.rows())} rows "
        f"({len(run.worklist)} items); "
        f"SCB checks: {len(run.checks.errors)} errors, {len(run.checks.warnings)} warnings",
        file=err,
    )
    for refusal in run.scb.refusals:
        print(f"  the SCB file was NOT written: {refusal}", file=err)
    for what, path in run.outputs:
        print(f"  {what}: {path}", file=err)
    return 0 if run.ok else 1


def _run_year(
    args: argparse.Namespace,
    day: dt.date,
    on_problem: Callable[[Problem], None],
    read: CasesRead | None,
) -> YearRun:
    return run_year(
        args.register,
        municipality=args.municipality,
        on=day,
        out_dir=args.out,
        source=args.source,
        mapping=args.mapping,
        cases=(
            None
            if read is None
            else (
                c if case_id is None else StoredCase(case_id=case_id, case=c)
                for case_id, c in read.with_ids()
            )
        ),
        cases_summary=read.summary if read is not None else None,
        hooks=Hooks.default(),
        on_problem=on_problem,
        progress=track,
        reveal_ids=args.reveal_ids,
    )


def _log_revealed(run: YearRun, read: CasesRead) -> None:
    """On a store, one ``reveal_ids`` audit entry per case shown whole in the worklist, and
    one for the not-registered list (its youths have no case yet)."""
    lists = dict(run.outputs)
    worklist = lists.get("worklist")
    youths = list(dict.fromkeys(item.youth for item in run.worklist.items))
    if worklist is not None and youths:
        read.log(
            AuditAction.REVEAL_IDS,
            youths=youths,
            detail=f"whole identity numbers in the worklist {worklist}",
        )
    missing = lists.get("in the target group but not registered")
    if missing is not None and run.not_registered and read.store is not None:
        read.store.log(
            AuditAction.REVEAL_IDS,
            purpose=read.purpose,
            detail=f"whole identity numbers of {run.not_registered} youths without a case in "
            f"{missing}",
        )


def _log_scb_file(run: YearRun, read: CasesRead) -> None:
    """On a store, one ``scb_file`` audit entry per case of each youth in the upload file."""
    for what, path in run.outputs:
        if what.startswith("SCB upload file"):
            read.log(
                AuditAction.SCB_FILE,
                youths=run.reported,
                detail=f"SCB file {path} for {run.period} ({run.period.code}), "
                f"{len(run.reported)} youths",
            )
