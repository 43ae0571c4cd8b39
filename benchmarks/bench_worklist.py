"""Benchmark: the worklist for 65,000 open cases on one day, against merely loading them.

Generates N open KAA cases at national scale (default 65,000, the upper end of the youths
reported nationally per half-year) with :func:`kaa.testing.synthetic.synthetic_cases`
(synthetic interim
numbers, which can never be a real personnummer), half under Askersund's timetable (1882) and
half under the national default, written as a canonical cases file. Then, each in a fresh
subprocess, in the same run:

- ``load``: reading and structuring every case (``list(read_cases(...))``) — the baseline;
- ``worklist``: reading the same cases and building the worklist for the day;
- ``cli``: ``kaa worklist CASES --on DAY --format csv -o OUT --quiet`` (read, build, write).

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=65_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    day = DAY.isoformat()
    results: dict[str, object] = {"n": args.n, "day": day}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        out = Path(tmp) / "worklist.csv"
        results["cases_written"] = write_cases(_open_cases(args.n), path)
        results["file_mb"] = round(path.stat().st_size / 1e6, 1)
        load_s, total_s, build_s, cli_s = [], [], [], []
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
            cli = [
                "worklist",
                str(path),
                "--on",
                day,
                "--format",
                "csv",
                "-o",
                str(out),
                "--quiet",
            ]
            start = time.perf_counter()
            _, rss = _child(CLI, *cli)
            cli_s.append(time.perf_counter() - start)
            cli_rss = max(cli_rss, rss)
        results["load_s"] = round(min(load_s), 2)
        results["load_and_worklist_s"] = round(min(total_s), 2)
        results["worklist_only_s"] = round(min(build_s), 2)
        results["ratio_load_and_worklist_over_load"] = round(min(total_s) / min(load_s), 2)
        results["ratio_worklist_only_over_load"] = round(min(build_s) / min(load_s), 2)
        results["cli_wall_s"] = round(min(cli_s), 2)
        results["load_peak_rss_mb"] = round(load_rss / 1024, 1)
        results["load_and_worklist_peak_rss_mb"] = round(work_rss / 1024, 1)
        results["cli_peak_rss_mb"] = round(cli_rss / 1024, 1)
        results["ratio_rss_worklist_over_load"] = round(work_rss / load_rss, 2)
    for key, value in results.items():
        print(f"{key:>36}: {value}")
    target = Path(__file__).parent / "out" / "bench_worklist.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
