"""Benchmark: `kaa assess` with both engines at national scale, against the stdlib csv read.

Generates synthetic canonical CSV files of N/10, N/2 and N youths (default N = 560,000,
Sweden's 16–19 cohort; synthetic interim numbers, never a real personnummer), and measures
in the same run, each in a fresh subprocess, CPU time (user + system) and peak memory:

- ``csv``: reading every row of the file with the standard library's ``csv`` module;
- ``csv+write``: that read plus writing a CSV as large as the decisions (the floor of any
  engine that reads the file and writes the decisions in Python);
- ``reference``: ``kaa assess FILE --engine reference`` (read, structure, decide, write);
- ``columnar``: ``kaa assess FILE --engine columnar`` (the extra ``kaa[fast]``).

Each is run ``--repeat`` times (default 3); min, median and max are reported, and the ratios
use the medians. The **safeguard** runs on every file: the two engines' decision files must be
byte for byte the same (the benchmark stops otherwise). Results are printed as one table and
written to ``benchmarks/out/bench_columnar.json``, whose ``"summary"`` list (per-run ratios,
min/median/max; bytes of peak memory per youth) is what ``summary.py`` reads. Usage::

    python benchmarks/bench_columnar.py [--n 560000] [--repeat 3] [--no-reference] [--quick]

``--quick`` measures N = 5,600 (three runs still), to try the set in minutes.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bench_columnar import Engines, compare_engines

from kaa.testing.synthetic import IST_EXPORT_COLUMNS, ist_export_rows, synthetic_youths

DAY = dt.date(2026, 11, 23)
QUICK_N = 5_600
GOAL = 4.0
"""The goal of issue 17: the ``ist`` adapter to decisions within 4× the csv read."""

CSV_READ = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="cp1252") as f:
    for row in csv.reader(f, delimiter=";"):
        rows += 1
"""

CSV_READ_WRITE = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="cp1252") as f:
    for row in csv.reader(f, delimiter=";"):
        rows += 1
with open(sys.argv[2], newline="", encoding="utf-8") as f, open(
    sys.argv[3], "w", newline="", encoding="utf-8"
) as out:
    writer = csv.writer(out, lineterminator="\\n")
    for row in csv.reader(f):
        writer.writerow(row)
"""
"""Read the youths, then write the decision rows again with the csv module (streamed). The
decision file is read to have the rows to write, which this floor counts too; it is small
against the youths' file."""


def _generate(n: int, path: Path) -> int:
    rows = 0
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(IST_EXPORT_COLUMNS)
        for youth in synthetic_youths(n, on=DAY, unique=True):
            found = ist_export_rows(youth, on=DAY)
            writer.writerows(found)
            rows += len(found)
    return rows


def main() -> None:
    compare_engines(
        Engines(
            label="ist → decisions",
            stem="ist",
            generate=_generate,
            source=("--source", "ist"),
            csv_read=CSV_READ,
            csv_read_write=CSV_READ_WRITE,
            out=Path(__file__).parent / "out" / "bench_profile_columnar.json",
            script=__file__,
            doc=__doc__ or "",
        )
    )


if __name__ == "__main__":
    main()
