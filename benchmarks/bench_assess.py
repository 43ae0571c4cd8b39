"""Benchmark: `kaa assess` on a national-scale file, as a ratio against the stdlib csv module.

Generates N synthetic youths (default 560,000 — Sweden's 16–19 cohort) in the canonical CSV
form (synthetic interim numbers, which can never be a real personnummer), then measures in
the same run, each in a fresh subprocess:

- ``csv``: reading every row of the file with the standard library's ``csv`` module alone;
- ``assess``: ``kaa assess FILE --on DAY -o OUT`` (read + structure + decide + write).

Peak memory is the child's maximum resident set size. The assess run is repeated with N/10
youths to show whether memory grows with N. Results are printed and written to
``benchmarks/out/bench_assess.json``. Usage::

    python benchmarks/bench_assess.py [--n 560000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from _measure import peak_rss_kib, seconds

from kaa.formats.canonical import write_youths_csv
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)

CSV_ONLY = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        rows += 1
print(rows)
"""


def _generate(n: int, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as f:
        return write_youths_csv(synthetic_youths(n, on=DAY, unique=True), f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=560_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kaa_cmd = [sys.executable, "-m", "kaa.cli"]
    results: dict[str, object] = {"n": args.n, "day": DAY.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "youths.csv"
        small = Path(tmp) / "youths-small.csv"
        out = Path(tmp) / "decisions.csv"
        rows = _generate(args.n, big)
        _generate(args.n // 10, small)
        results["rows"] = rows
        results["file_mb"] = round(big.stat().st_size / 1e6, 1)
        csv_times, assess_times = [], []
        for _ in range(args.repeat):
            csv_times.append(seconds([sys.executable, "-c", CSV_ONLY, str(big)]))
            assess_times.append(
                seconds(
                    [
                        *kaa_cmd,
                        "assess",
                        str(big),
                        "--on",
                        DAY.isoformat(),
                        "-o",
                        str(out),
                        "--quiet",
                    ]
                )
            )
        csv_s, assess_s = min(csv_times), min(assess_times)
        results["csv_parse_s"] = round(csv_s, 2)
        results["assess_s"] = round(assess_s, 2)
        results["ratio_assess_over_csv"] = round(assess_s / csv_s, 2)
        results["csv_peak_rss_mb"] = round(
            peak_rss_kib([sys.executable, "-c", CSV_ONLY, str(big)]) / 1024, 1
        )
        assess_args = ["assess", "--on", DAY.isoformat(), "-o", str(out), "--quiet"]
        results["assess_peak_rss_mb"] = round(
            peak_rss_kib([*kaa_cmd, assess_args[0], str(big), *assess_args[1:]]) / 1024, 1
        )
        results["assess_peak_rss_mb_at_n_over_10"] = round(
            peak_rss_kib([*kaa_cmd, assess_args[0], str(small), *assess_args[1:]]) / 1024, 1
        )
    for key, value in results.items():
        print(f"{key:>34}: {value}")
    target = Path(__file__).parent / "out" / "bench_assess.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
