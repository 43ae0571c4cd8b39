"""Benchmark: the worklist for 65,000 open cases on one day, against merely loading them.

Generates N open KAA cases at national scale (default 65,000, the upper end of the youths
reported nationally per half-year) with :func:`kaa.testing.synthetic.synthetic_cases`
(synthetic interim numbers, which can never be a real personnummer), half under Askersund's
timetable (1882) and half under the national default, written as a canonical cases file, and
files of its first N/10 and N/2 cases. Then, at each size, ``--repeat`` times, each in a
fresh subprocess (CPU seconds of each step, :func:`time.process_time`):

- ``load``: reading and structuring every case (``list(read_cases(...))``) — the baseline;
- ``worklist``: reading the same cases and building the worklist for the day (the build is
  timed apart from the load, in the same process);
- ``people``: after building the worklist, the list a person works from
  (:meth:`kaa.worklist.Worklist.rows`, one row per open case with something to do), its
  workbook (:func:`kaa.worklist.write_rows_workbook`, openpyxl's write-only mode) and its
  CSV for people; the workbook's cost per row at each size over that at the smallest shows
  that it grows linearly (about 1; a quadratic writer would give about 10 over N/10 → N);
- ``cli``: ``kaa worklist CASES --on DAY -o OUT --quiet`` (read, build, write the CSV for
  people), and the same with ``-o OUT.xlsx`` (the workbook), against a process that only
  loads the cases (whole processes, interpreter start included).

Ratios are taken within each run (its own baseline) and given as min/median/max over the
runs; peak memory is each child's maximum resident set size. Results are printed with the
goals of ``summary.py`` beside them and written to ``benchmarks/out/bench_worklist.json``.
Usage::

    python benchmarks/bench_worklist.py [--n 65000] [--sizes SIZE ...] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from _measure import (
    add_size_options,
    chosen_sizes,
    entry,
    memory_entry,
    ratios,
    spread,
    timed_child,
    write_results,
)

from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(year=2026, half=2)
DAY = dt.date(2026, 12, 1)
N, QUICK_N = 65_000, 2_000

LOAD = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
day, cpu = dt.date.fromisoformat(sys.argv[2]), time.process_time
start = cpu()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
print(json.dumps({"load": cpu() - start, "cases": len(cases)}))
"""

WORKLIST = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
from kaa import build_worklist
day, cpu = dt.date.fromisoformat(sys.argv[2]), time.process_time
start = cpu()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
loaded = cpu()
worklist = build_worklist(cases, on=day)
done = cpu()
print(json.dumps({"load": loaded - start, "build": done - loaded, "load_build": done - start,
                  "open_cases": worklist.cases, "items": len(worklist)}))
"""

PEOPLE = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
from kaa import build_worklist
from kaa.worklist import write_rows_csv, write_rows_workbook
import openpyxl  # imported before the clock starts: the cost per row, not the import
day, cpu = dt.date.fromisoformat(sys.argv[2]), time.process_time
start = cpu()
worklist = build_worklist(read_cases(Path(sys.argv[1]), reference_day=day), on=day)
found = {"load_build": cpu() - start}
start = cpu()
rows = worklist.rows()
found["rows"] = cpu() - start
start = cpu()
written = write_rows_workbook(worklist, Path(sys.argv[3]))
found["workbook"] = cpu() - start
start = cpu()
with open(sys.argv[4], "w", encoding="utf-8", newline="") as out:
    write_rows_csv(worklist, out)
found["people_csv"] = cpu() - start
assert written == len(rows)
found["row_count"] = len(rows)
found["workbook_us_per_row"] = found["workbook"] / max(len(rows), 1) * 1e6
print(json.dumps(found))
"""

CLI = """
import json, sys
from kaa.cli import main
code = main(sys.argv[1:])
print(json.dumps({"exit": code}))
sys.exit(code)
"""


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


def _files(chosen: list[int], tmp: Path) -> list[Path]:
    """The cases file of the largest size, and the smaller ones of its first cases (one
    case a line)."""
    paths = [tmp / f"cases-{size}.jsonl" for size in chosen]
    write_cases(_open_cases(chosen[-1]), paths[-1])
    for size, path in zip(chosen[:-1], paths[:-1], strict=True):
        with paths[-1].open(encoding="utf-8") as lines:
            path.write_text("".join(itertools.islice(lines, size)), encoding="utf-8")
    return paths


def _measure(path: Path, size: int, tmp: Path, repeat: int) -> dict[str, Any]:
    day = DAY.isoformat()
    loads: list[dict[str, Any]] = []
    works: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    cli_csv: list[dict[str, Any]] = []
    cli_book: list[dict[str, Any]] = []
    for _ in range(repeat):
        loads.append(timed_child(LOAD, str(path), day))
        works.append(timed_child(WORKLIST, str(path), day))
        people.append(
            timed_child(PEOPLE, str(path), day, str(tmp / "lista.xlsx"), str(tmp / "l.csv"))
        )
        for target, runs in ((tmp / "worklist.csv", cli_csv), (tmp / "worklist.xlsx", cli_book)):
            cli = ["worklist", str(path), "--on", day, "-o", str(target), "--quiet"]
            runs.append(timed_child(CLI, *cli))
    found: dict[str, Any] = {
        "n": size,
        "open_cases": works[0]["open_cases"],
        "items": works[0]["items"],
        "rows": people[0]["row_count"],
        "load_cpu_s": spread([r["load"] for r in loads]),
        "worklist_only_cpu_s": spread([r["build"] for r in works]),
        "load_and_worklist_cpu_s": spread([r["load_build"] for r in works]),
        "rows_cpu_s": spread([r["rows"] for r in people]),
        "workbook_cpu_s": spread([r["workbook"] for r in people]),
        "people_csv_cpu_s": spread([r["people_csv"] for r in people]),
        "workbook_us_per_row": spread([r["workbook_us_per_row"] for r in people], 1),
        "cli_cpu_s": spread([r["process_cpu_s"] for r in cli_csv]),
        "cli_xlsx_cpu_s": spread([r["process_cpu_s"] for r in cli_book]),
        "load_peak_rss_mb": round(max(r["peak_rss_kib"] for r in loads) / 1024, 1),
        "load_and_worklist_peak_rss_mb": round(max(r["peak_rss_kib"] for r in works) / 1024, 1),
        "people_peak_rss_mb": round(max(r["peak_rss_kib"] for r in people) / 1024, 1),
        "cli_peak_rss_mb": round(max(r["peak_rss_kib"] for r in cli_csv) / 1024, 1),
    }
    # each ratio within one run: the build (timed apart in its own process) over the load
    # of the LOAD child of the same run, and so on
    paired = [
        {
            "load": a["load"],
            "build": b["build"],
            "load_build": b["load_build"],
            "rows": p["rows"],
            "workbook": p["workbook"],
            "people_csv": p["people_csv"],
            "load_process": a["process_cpu_s"],
            "cli": c["process_cpu_s"],
            "cli_xlsx": x["process_cpu_s"],
            "load_rss": a["peak_rss_kib"],
            "work_rss": b["peak_rss_kib"],
        }
        for a, b, p, c, x in zip(loads, works, people, cli_csv, cli_book, strict=True)
    ]
    for key in ("build", "load_build", "rows", "workbook", "people_csv"):
        found[f"ratio_{key}_over_load"] = ratios(paired, key, "load")
    for key in ("cli", "cli_xlsx"):
        found[f"ratio_{key}_over_load_process"] = ratios(paired, key, "load_process")
    found["ratio_rss_worklist_over_load"] = ratios(paired, "work_rss", "load_rss")
    found["_runs"] = {
        "load_kib": [r["peak_rss_kib"] for r in loads],
        "work_kib": [r["peak_rss_kib"] for r in works],
        "people_kib": [r["peak_rss_kib"] for r in people],
        "cli_kib": [r["peak_rss_kib"] for r in cli_csv],
        "cli_xlsx_kib": [r["peak_rss_kib"] for r in cli_book],
        "workbook_us_per_row": [r["workbook_us_per_row"] for r in people],
    }
    return found


FIGURES = (
    ("worklist: build / load the cases", "ratio_build_over_load", "work_kib"),
    ("worklist: load + build / load the cases", "ratio_load_build_over_load", "work_kib"),
    ("worklist: rows for people / load the cases", "ratio_rows_over_load", "people_kib"),
    ("worklist: workbook / load the cases", "ratio_workbook_over_load", "people_kib"),
    ("worklist: CSV for people / load the cases", "ratio_people_csv_over_load", "people_kib"),
    (
        "kaa worklist (CLI, CSV) / a process loading the cases",
        "ratio_cli_over_load_process",
        "cli_kib",
    ),
    (
        "kaa worklist (CLI, .xlsx) / a process loading the cases",
        "ratio_cli_xlsx_over_load_process",
        "cli_xlsx_kib",
    ),
)


def _figures(results: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    figures: list[dict[str, Any] | None] = []
    first = results[0]["_runs"]["workbook_us_per_row"]
    for r in results:
        for path, key, peaks in FIGURES:
            figures.append(entry(path, r["n"], r[key], peak_kib=r["_runs"][peaks]))
        if r is not results[0]:
            per_row = r["_runs"]["workbook_us_per_row"]
            figures.append(
                entry(
                    "worklist: workbook cost per row, this size over the smallest",
                    r["n"],
                    [b / a for a, b in zip(first, per_row, strict=True)],
                )
            )
    small, large = results[0], results[-1]
    for label, key in (("load the cases", "load_kib"), ("load + build", "work_kib")):
        figures.append(
            memory_entry(
                f"worklist ({label}): peak memory per case",
                small["n"],
                small["_runs"][key],
                large["n"],
                large["_runs"][key],
            )
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_worklist.json", noun="cases")
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        paths = _files(chosen, tmp)
        file_mb = round(paths[-1].stat().st_size / 1e6, 1)
        for size, path in zip(chosen, paths, strict=True):
            results.append(_measure(path, size, tmp, args.repeat))
            print(f"{size:>8} cases: measured", file=sys.stderr)
    figures = _figures(results)
    for r in results:
        r.pop("_runs")
    summary = {"n": chosen[-1], "day": DAY.isoformat(), "file_mb": file_mb, "sizes": results}
    write_results(__file__, summary, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
