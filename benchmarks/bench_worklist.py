"""Benchmark: the worklist for 65,000 open cases on one day, against merely loading them.

Generates N open KAA cases at national scale (default 65,000, the upper end of the youths
reported nationally per half-year) with :func:`kaa.testing.synthetic.synthetic_cases`
(synthetic interim
numbers, which can never be a real personnummer), half under Askersund's timetable (1882) and
half under the national default, written as a canonical cases file. Then, each in a fresh
subprocess, in the same run:

- ``load``: reading and structuring every case (``list(read_cases(...))``) — the baseline;
- ``worklist``: reading the same cases and building the worklist for the day;
- ``people``: after building the worklist, the list a person works from
  (:meth:`kaa.worklist.Worklist.rows`, one row per open case with something to do), its
  workbook (:func:`kaa.worklist.write_rows_workbook`, openpyxl's write-only mode) and its
  CSV for people — for all N cases and for the first N/10, to show that writing the
  workbook grows linearly (the ratio of the cost per row at N to that at N/10 is about 1;
  a quadratic writer would give about 10);
- ``cli``: ``kaa worklist CASES --on DAY --format csv -o OUT --quiet`` (read, build, write
  the CSV for people), and the same with ``-o OUT.xlsx`` (the workbook).

Peak memory is each child's maximum resident set size. Results are printed and written to
``benchmarks/out/bench_worklist.json``. Usage::

    python benchmarks/bench_worklist.py [--n 65000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import attrs

from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(year=2026, half=2)
DAY = dt.date(2026, 12, 1)

LOAD = """
import datetime as dt, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
day = dt.date.fromisoformat(sys.argv[2])
start = time.perf_counter()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
print(time.perf_counter() - start, len(cases))
"""

WORKLIST = """
import datetime as dt, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
from kaa import build_worklist
day = dt.date.fromisoformat(sys.argv[2])
start = time.perf_counter()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
loaded = time.perf_counter()
worklist = build_worklist(cases, on=day)
print(time.perf_counter() - start, loaded - start, worklist.cases, len(worklist))
"""

PEOPLE = """
import datetime as dt, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
from kaa import build_worklist
from kaa.worklist import write_rows_csv, write_rows_workbook
import openpyxl  # imported before the clock starts: the cost per row, not the import
day = dt.date.fromisoformat(sys.argv[2])
worklist = build_worklist(read_cases(Path(sys.argv[1]), reference_day=day), on=day)
start = time.perf_counter()
rows = worklist.rows()
rows_s = time.perf_counter() - start
start = time.perf_counter()
written = write_rows_workbook(worklist, Path(sys.argv[3]))
book_s = time.perf_counter() - start
start = time.perf_counter()
with open(sys.argv[4], "w", encoding="utf-8", newline="") as out:
    write_rows_csv(worklist, out)
csv_s = time.perf_counter() - start
assert written == len(rows)
print(rows_s, book_s, csv_s, len(rows))
"""

CLI = "import sys; from kaa.cli import main; sys.exit(main(sys.argv[1:]))"


def _child(code: str, *args: str) -> tuple[list[str], int]:
    """Run ``code`` in a child; return its printed fields and its peak RSS in KiB."""
    wrapper = (
        "import resource, subprocess, sys; "
        "out = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout; "
        "print(out.strip()); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    *fields, rss = result.stdout.split()
    return fields, int(rss)


def _open_cases(n: int) -> Iterator[Case]:
    """``n`` cases open on DAY: generated in surplus, the closed ones dropped."""
    made = 0
    for index, case in enumerate(synthetic_cases(n * 2, period=PERIOD, unique=True)):
        if made == n:
            return
        if not case.open_on(DAY):
            continue
        made += 1
        yield case if index % 2 else attrs.evolve(case, municipality="0180")
    raise RuntimeError(f"only {made} open cases could be generated")


def _people(path: Path, out: Path, day: str, repeat: int) -> tuple[list[float], int, int]:
    """Best (rows, workbook, CSV) seconds over ``repeat`` runs, the rows and the peak RSS."""
    best = [float("inf")] * 3
    rows = rss = 0
    for _ in range(repeat):
        fields, got = _child(PEOPLE, str(path), day, str(out / "lista.xlsx"), str(out / "l.csv"))
        best = [min(b, float(f)) for b, f in zip(best, fields[:3], strict=True)]
        rows, rss = int(fields[3]), max(rss, got)
    return best, rows, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=65_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    day = DAY.isoformat()
    results: dict[str, object] = {"n": args.n, "day": day}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        small = Path(tmp) / "cases-small.jsonl"
        out = Path(tmp) / "worklist.csv"
        book = Path(tmp) / "worklist.xlsx"
        results["cases_written"] = write_cases(_open_cases(args.n), path)
        results["small_cases_written"] = write_cases(_open_cases(args.n // 10), small)
        results["file_mb"] = round(path.stat().st_size / 1e6, 1)
        load_s, total_s, build_s, cli_s, cli_book_s = [], [], [], [], []
        load_rss = work_rss = cli_rss = 0
        for _ in range(args.repeat):
            fields, rss = _child(LOAD, str(path), day)
            load_s.append(float(fields[0]))
            load_rss = max(load_rss, rss)
            fields, rss = _child(WORKLIST, str(path), day)
            total_s.append(float(fields[0]))
            build_s.append(float(fields[0]) - float(fields[1]))
            results["open_cases"], results["items"] = int(fields[2]), int(fields[3])
            work_rss = max(work_rss, rss)
            for target, times in ((out, cli_s), (book, cli_book_s)):
                cli = ["worklist", str(path), "--on", day, "-o", str(target), "--quiet"]
                start = time.perf_counter()
                _, rss = _child(CLI, *cli)
                times.append(time.perf_counter() - start)
                cli_rss = max(cli_rss, rss)
        (rows_s, book_s, csv_s), rows, people_rss = _people(path, Path(tmp), day, args.repeat)
        (_, small_book_s, _), small_rows, _ = _people(small, Path(tmp), day, args.repeat)
        load = min(load_s)
        results["load_s"] = round(load, 2)
        results["load_and_worklist_s"] = round(min(total_s), 2)
        results["worklist_only_s"] = round(min(build_s), 2)
        results["ratio_load_and_worklist_over_load"] = round(min(total_s) / load, 2)
        results["ratio_worklist_only_over_load"] = round(min(build_s) / load, 2)
        results["rows"] = rows
        results["rows_s"] = round(rows_s, 3)
        results["ratio_rows_over_load"] = round(rows_s / load, 3)
        results["workbook_s"] = round(book_s, 2)
        results["ratio_workbook_over_load"] = round(book_s / load, 2)
        results["people_csv_s"] = round(csv_s, 2)
        results["ratio_people_csv_over_load"] = round(csv_s / load, 2)
        results["small_rows"] = small_rows
        results["small_workbook_s"] = round(small_book_s, 2)
        results["workbook_us_per_row"] = round(book_s / rows * 1e6, 1)
        results["small_workbook_us_per_row"] = round(small_book_s / small_rows * 1e6, 1)
        results["ratio_workbook_per_row_n_over_n10"] = round(
            (book_s / rows) / (small_book_s / small_rows), 2
        )
        results["cli_wall_s"] = round(min(cli_s), 2)
        results["cli_xlsx_wall_s"] = round(min(cli_book_s), 2)
        results["load_peak_rss_mb"] = round(load_rss / 1024, 1)
        results["load_and_worklist_peak_rss_mb"] = round(work_rss / 1024, 1)
        results["people_peak_rss_mb"] = round(people_rss / 1024, 1)
        results["cli_peak_rss_mb"] = round(cli_rss / 1024, 1)
        results["ratio_rss_worklist_over_load"] = round(work_rss / load_rss, 2)
    for key, value in results.items():
        print(f"{key:>36}: {value}")
    target = Path(__file__).parent / "out" / "bench_worklist.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
