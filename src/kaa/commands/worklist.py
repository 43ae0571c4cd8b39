"""``kaa worklist``: what each case worker must do on a day.

The cases come from a cases file or from a case store (``--store URL --municipality
KOMMUNKOD``): the same worklist either way. On a store only the cases open on the day are
read (each read audit-logged with the purpose ``kaa worklist``), and ``--reveal-ids`` writes
one ``reveal_ids`` audit entry for each case in each file written.

Outputs (``--format``, else from the ``-o`` suffix):

- ``table`` — every item, grouped, for the terminal;
- ``csv`` — for people (``--csv-dialect people``, the default): the list a person works
  from, one row per open case with something to do, the workbook's Swedish columns, ``;``
  between cells and UTF-8 with a byte-order mark, so it opens in columns in Swedish Excel;
  for machines (``--csv-dialect machine``): every item, the columns of
  :data:`kaa.worklist.CSV_COLUMNS`, comma-separated UTF-8 without a byte-order mark;
- ``json`` — every item;
- ``xlsx`` (``--xlsx``, or an ``.xlsx`` name) — the workbook a case worker fills in and
  ``kaa import`` reads back (:mod:`kaa.formats.workbook`). It needs the optional extra
  ``excel``; without it, and for an ``.xls``, ``.xlsm`` or ``.ods`` name, nothing is written
  (a spreadsheet name never gets text in it).

``--case-worker NAME`` keeps one case worker's cases; ``--split-by-case-worker -o DIR`` writes
one file per case worker into the directory DIR (``arbetslista-DAY-NAME.xlsx`` by default),
each file atomically.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from kaa.commands.common import CasesRead, Strict, add_cases_arguments, cases_from, day_argument
from kaa.commands.progress import Progress
from kaa.dated import Timeline
from kaa.errors import OutputError
from kaa.formats.files import atomic_text
from kaa.formats.problems import Problem
from kaa.formats.workbook import SPREADSHEET_SUFFIXES, WorkbookUnavailable, workbook_available
from kaa.identity import IdentityNumber
from kaa.plugins.manager import Hooks
from kaa.rules.contact import Timetable, load_timetable
from kaa.store import AuditAction, StoredCase
from kaa.worklist import (
    DEFAULT_WINDOW,
    Worklist,
    build_worklist,
    format_table,
    write_rows_csv,
    write_rows_workbook,
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
        choices=("table", "csv", "json", "xlsx"),
        default=None,
        help="output format (default: from the output suffix, else table)",
    )
    p.add_argument(
        "--xlsx",
        dest="format",
        action="store_const",
        const="xlsx",
        help="write the Excel workbook a case worker fills in (same as --format xlsx; "
        "needs the extra kaa[excel])",
    )
    p.add_argument(
        "--csv-dialect",
        choices=("people", "machine"),
        default="people",
        help="CSV for people (default: one row per case, Swedish columns, ';' and UTF-8 "
        "with BOM, for Excel) or for machines (every item, the item columns, ',' and "
        "UTF-8)",
    )
    p.add_argument(
        "--case-worker",
        default=None,
        metavar="NAME",
        help="only the cases of this case worker",
    )
    p.add_argument(
        "--split-by-case-worker",
        action="store_true",
        help="write one file per case worker into the directory given with -o "
        "(default format xlsx)",
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
        help="write here (atomically) instead of standard output; with "
        "--split-by-case-worker, an existing directory",
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


_SUFFIXES = {"table": ".txt", "csv": ".csv", "json": ".json", "xlsx": ".xlsx"}


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    if args.split_by_case_worker:
        return "xlsx"
    suffix = args.output.suffix.lower() if args.output is not None else ""
    return {".csv": "csv", ".json": "json", ".xlsx": "xlsx"}.get(suffix, "table")


def _check_output(args: argparse.Namespace, fmt: str) -> None:
    """Refuse, before anything is read, an output that would not be what its name says.

    Raises:
        OutputError: A spreadsheet name (.xls, .xlsm, .ods, or .xlsx for anything but the
            workbook) or a workbook without -o; :class:`WorkbookUnavailable` without
            openpyxl.
    """
    target = args.output
    if args.split_by_case_worker:
        if target is None or not target.is_dir():
            raise OutputError(
                str(target or "standard output"),
                "--split-by-case-worker writes one file per case worker: give an existing "
                "directory with -o",
            )
    elif target is not None:
        suffix = target.suffix.lower()
        if suffix in SPREADSHEET_SUFFIXES and suffix != ".xlsx":
            raise OutputError(
                str(target),
                "kaa writes workbooks only as .xlsx (Excel and LibreOffice open them): name "
                "the file .xlsx, or .csv for a CSV file",
            )
        if suffix == ".xlsx" and fmt != "xlsx":
            raise OutputError(
                str(target), f"a .xlsx name gets a workbook, not {fmt}: leave out --format"
            )
        if fmt == "xlsx" and suffix != ".xlsx":
            raise OutputError(str(target), "name the workbook .xlsx")
    elif fmt == "xlsx":
        raise OutputError("standard output", "a workbook is a file: give -o FILE.xlsx")
    if fmt == "xlsx" and not workbook_available():
        raise WorkbookUnavailable(str(target))


def _for_people(fmt: str, args: argparse.Namespace) -> bool:
    """Whether the output is the list a person works from (one row per case)."""
    return fmt == "xlsx" or (fmt == "csv" and args.csv_dialect == "people")


def _write(worklist: Worklist, fmt: str, out: IO[str], args: argparse.Namespace) -> None:
    if fmt == "csv" and args.csv_dialect == "people":
        write_rows_csv(worklist, out, reveal_ids=args.reveal_ids)
    elif fmt == "csv":
        write_worklist_csv(worklist, out, reveal_ids=args.reveal_ids)
    elif fmt == "json":
        write_worklist_json(worklist, out, reveal_ids=args.reveal_ids, group_by=args.group_by)
    else:
        out.write(format_table(worklist, group_by=args.group_by, reveal_ids=args.reveal_ids))
        out.write("\n")


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    fmt = _format(args)
    _check_output(args, fmt)
    timetable = load_timetable(args.timetable) if args.timetable is not None else None

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)
        print(problem, file=err)

    try:
        with cases_from(args, reference_day=day, on_problem=on_problem, open_on=day) as read:
            worklist = _build(read, args, err, day=day, timetable=timetable)
            if args.case_worker is not None:
                worklist = worklist.only(args.case_worker)
            files = _output(worklist, read, args, fmt)
    except Strict as stop:
        print(f"{stop.problem}\nstopped at the first problem (--strict)", file=err)
        return 1
    summary = read.summary
    if not args.quiet:
        counts = ", ".join(f"{n} {status.value}" for status, n in worklist.counts().items() if n)
        whose = f" of {args.case_worker}" if args.case_worker is not None else ""
        rows = f"; {len(worklist.rows())} rows, one per case" if _for_people(fmt, args) else ""
        where = ""
        if args.split_by_case_worker:
            where = f"; {len(files)} files written to {args.output}"
        elif args.output is not None:
            where = f"; written to {args.output}"
        print(
            f"{summary}\nworklist for {day.isoformat()}: {worklist.cases} open cases{whose}, "
            f"{len(worklist)} items ({counts or 'nothing to do'}){rows}{where}",
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
            # a store's cases carry their case ids, the case numbers of the rows
            (
                c if case_id is None else StoredCase(case_id=case_id, case=c)
                for case_id, c in read.with_ids()
            ),
            on=day,
            window=args.window,
            hooks=Hooks.default(),
            timetable=timetable,
            progress=bar.advance,
        )


def _output(worklist: Worklist, read: CasesRead, args: argparse.Namespace, fmt: str) -> list[Path]:
    """Write the worklist (one file, standard output, or one file per case worker); on a
    store, whole identity numbers are audit-logged before each file is written. Returns
    the files written."""
    if not args.split_by_case_worker:
        if args.output is None:
            _log_reveal(worklist, read, args, fmt, "standard output")
            _write(worklist, fmt, sys.stdout, args)
            return []
        _write_file(worklist, read, args, fmt, args.output)
        return [args.output]
    written: list[Path] = []
    groups = worklist.by_case_worker()
    names = _file_names((name for name, _ in groups), worklist.day, _SUFFIXES[fmt])
    for (_, own), name in zip(groups, names, strict=True):
        target = args.output / name
        _write_file(own, read, args, fmt, target)
        written.append(target)
    return written


def _write_file(
    worklist: Worklist, read: CasesRead, args: argparse.Namespace, fmt: str, target: Path
) -> None:
    _log_reveal(worklist, read, args, fmt, str(target))
    if fmt == "xlsx":
        write_rows_workbook(worklist, target, reveal_ids=args.reveal_ids)
        return
    with atomic_text(target) as out:
        _write(worklist, fmt, out, args)


def _log_reveal(
    worklist: Worklist, read: CasesRead, args: argparse.Namespace, fmt: str, where: str
) -> None:
    """One ``reveal_ids`` audit entry per case whose whole number the output shows."""
    if not args.reveal_ids:
        return
    youths: Iterable[IdentityNumber]
    if _for_people(fmt, args):
        youths = [row.youth for row in worklist.rows()]
        kind = f"{fmt}, one row per case"
    else:
        youths = [item.youth for item in worklist.items]
        kind = fmt
    read.log(
        AuditAction.REVEAL_IDS,
        youths=youths,
        detail=f"whole identity numbers in the worklist for {worklist.day.isoformat()} "
        f"({kind}) written to {where}",
    )


_UNSAFE = re.compile(r"[^\w-]+")


def _file_names(workers: Iterable[str | None], day: dt.date, suffix: str) -> list[str]:
    """One file name per case worker: ``arbetslista-DAY-NAME.SUFFIX``, the name with every
    run of characters other than letters, digits, ``_`` and ``-`` made one ``-``, numbered
    when two names come out alike; ``ingen-handlaggare`` for the cases with none."""
    names: list[str] = []
    seen: set[str] = set()
    for worker in workers:
        slug = _UNSAFE.sub("-", worker).strip("-_")[:60] if worker else ""
        slug = slug or ("ingen-handlaggare" if worker is None else "handlaggare")
        base = f"arbetslista-{day.isoformat()}-{slug}"
        name, n = f"{base}{suffix}", 1
        while name.lower() in seen:
            n += 1
            name = f"{base}-{n}{suffix}"
        seen.add(name.lower())
        names.append(name)
    return names
