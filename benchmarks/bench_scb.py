"""Benchmark: a national-scale SCB half-year submission, as CPU-time ratios in one run.

Generates N synthetic KAA cases (default 65,000 — the national population of a half-year;
synthetic interim numbers, which can never be a real personnummer) with the mix of DOMAIN §5
(about half reached in the period, 20–25 % with a measure), writes the first N/10, N/2 and N
of them as canonical cases files, and measures at each size, ``--repeat`` times, in a fresh
child process per run (CPU seconds of each step, :func:`time.process_time`):

- ``load``: reading and structuring every case (``list(read_cases(...))``) — the baseline of
  the build and the checks;
- ``build``: :func:`kaa.scb.submission.build_submission` (selection through the target-group
  rule, records per youth);
- ``check``: :func:`kaa.scb.checks.check_submission` with the profile and the cases;
- ``write``: :func:`kaa.scb.writer.write_submission` (encode per profile, atomic write) —
  the text file;
- ``csv_write``: the baseline of the writer — writing **the same rows** (already encoded as
  strings) with the standard library's ``csv.writer`` alone (the bytes are checked equal);
- ``excel``: :func:`kaa.scb.excel.write_workbook`, the workbook of ``--excel`` (openpyxl
  imported before the clock starts).

Ratios are taken within each run (its own baseline), then given as min/median/max over the
runs: build + check over load (goal ≤ 1), write over the bare csv write (goal ≤ 4), Excel
over the text file (goal ≤ 3, and linear: its cost per record at N over that at N/10 is
about 1; a quadratic writer gives about 10). Each child's peak resident set size is given,
and the bytes per case between N/10 and N. End to end, ``kaa scb build CASES -o FILE`` is
measured (CPU and peak memory) against a child that reads the written file and writes the
same rows again with ``csv`` alone.

Results are printed with the goals of ``summary.py`` beside the figures, and written to
``benchmarks/out/bench_scb.json`` (its ``"summary"`` list is what ``summary.py`` reads).
Usage::

    python benchmarks/bench_scb.py [--n 65000] [--sizes SIZE ...] [--repeat 3] [--quick]
                                   [--excel-max N] [--data DIR] [--out JSON]

``--excel-max`` leaves the workbook out above that size (a quadratic writer does not finish
at national scale); ``--data`` keeps the generated files there and reuses them; ``--quick``
measures N = 2,000.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _measure import (
    add_size_options,
    bytes_per_item,
    chosen_sizes,
    cpu_child,
    entry,
    memory_entry,
    ratios,
    spread,
    timed_child,
    write_results,
)

from kaa.formats.cases import write_cases
from kaa.period import HalfYear
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(2026, 2)
KOMMUN = "1882"
N, QUICK_N = 65_000, 2_000

CHILD = """
import csv, datetime as dt, json, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
from kaa.period import HalfYear
from kaa.scb.checks import check_submission
from kaa.scb.layout import default_profile
from kaa.scb.submission import build_submission
from kaa.scb.writer import encode_rows, write_submission
cases_path, out, excel = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "excel"
if excel:
    import openpyxl  # imported before the clock starts: the cost per record, not the import
    from kaa.scb.excel import write_workbook
period, profile, cpu = HalfYear.parse(sys.argv[4]), default_profile(), time.process_time
found = {}
start = cpu()
cases = list(read_cases(cases_path, reference_day=period.last_day))
found["load"] = cpu() - start
start = cpu()
submission = build_submission(cases, period, municipality=sys.argv[5])
found["build"] = cpu() - start
start = cpu()
report = check_submission(submission, profile=profile, cases=cases)
found["check"] = cpu() - start
assert report.ok, report.by_check()
found["build_check"] = found["build"] + found["check"]
start = cpu()
write_submission(submission, out / "scb.txt", profile=profile, report=report)
found["write"] = cpu() - start
rows = [profile.headers(), *encode_rows(submission, profile)]
start = cpu()
with (out / "bare.txt").open("w", newline="", encoding="utf-8") as f:
    csv.writer(f, delimiter=";", lineterminator="\\r\\n").writerows(rows)
found["csv_write"] = cpu() - start
assert (out / "bare.txt").read_bytes() == (out / "scb.txt").read_bytes(), "not the same rows"
if excel:
    start = cpu()
    write_workbook(submission, out / "scb.xlsx", report=report)
    found["excel"] = cpu() - start
found["cases"], found["records"], found["rows"] = len(cases), len(submission), len(rows) - 1
print(json.dumps(found))
"""

CSV_ONLY = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=";"))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, delimiter=";", lineterminator="\\r\\n").writerows(rows)
"""


def _generate(chosen: list[int], data: Path) -> list[Path]:
    paths = [data / f"cases-{size}.jsonl" for size in chosen]
    if all(p.exists() for p in paths):
        return paths
    cases = list(synthetic_cases(chosen[-1], period=PERIOD, municipality=KOMMUN, unique=True))
    for size, path in zip(chosen, paths, strict=True):
        write_cases(cases[:size], path)
    return paths


def _measure(path: Path, size: int, tmp: Path, repeat: int, excel: bool) -> dict[str, Any]:
    runs = [
        timed_child(CHILD, str(path), str(tmp), "excel" if excel else "-", PERIOD.code, KOMMUN)
        for _ in range(repeat)
    ]
    found: dict[str, Any] = {"n": size, "records": int(runs[0]["records"])}
    steps = ["load", "build", "check", "build_check", "write", "csv_write"]
    if excel:
        steps.append("excel")
    for step in steps:
        found[f"{step}_cpu_s"] = spread([run[step] for run in runs])
    found["ratio_build_check_over_load"] = ratios(runs, "build_check", "load")
    found["ratio_write_over_csv_write"] = ratios(runs, "write", "csv_write")
    if excel:
        found["ratio_excel_over_write"] = ratios(runs, "excel", "write")
        found["excel_us_per_record"] = round(
            min(run["excel"] for run in runs) / max(int(runs[0]["records"]), 1) * 1e6, 1
        )
    found["peak_rss_mb"] = round(max(run["peak_rss_kib"] for run in runs) / 1024, 1)
    found["peak_rss_kib"] = max(int(run["peak_rss_kib"]) for run in runs)
    found["peak_rss_kib_runs"] = [int(run["peak_rss_kib"]) for run in runs]
    if excel:
        found["excel_us_per_record_runs"] = [
            run["excel"] / max(int(run["records"]), 1) * 1e6 for run in runs
        ]
    out, baseline = tmp / "cli.txt", tmp / "baseline.txt"
    cli_args = ["scb", "build", str(path), "--period", PERIOD.code, "--municipality", KOMMUN]
    cli = [
        cpu_child([sys.executable, "-m", "kaa.cli", *cli_args, "-o", str(out), "--quiet"])
        for _ in range(repeat)
    ]
    plain = [
        cpu_child([sys.executable, "-c", CSV_ONLY, str(out), str(baseline)]) for _ in range(repeat)
    ]
    found["cli_cpu_s"] = spread([c for c, _ in cli])
    found["cli_peak_rss_mb"] = round(max(r for _, r in cli) / 1024, 1)
    found["csv_child_cpu_s"] = spread([c for c, _ in plain])
    found["ratio_cli_over_csv_child"] = spread(
        [c / p for (c, _), (p, _) in zip(cli, plain, strict=True)], 2
    )
    found["cli_peak_rss_kib_runs"] = [r for _, r in cli]
    return found


def _figures(results: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The ``"summary"`` list: the ratios at each size, the workbook's cost per record
    against the smallest size's, and the bytes per case."""
    figures: list[dict[str, Any] | None] = []
    first = next((r for r in results if "excel_us_per_record_runs" in r), None)
    for r in results:
        peaks, n = r["peak_rss_kib_runs"], r["n"]
        for path, key in (
            ("scb: build + check / load the cases", "ratio_build_check_over_load"),
            ("scb: write / bare csv write", "ratio_write_over_csv_write"),
            ("scb: Excel / the text file", "ratio_excel_over_write"),
        ):
            if key in r:
                figures.append(entry(path, n, r[key], peak_kib=peaks))
        if first is not None and first is not r and "excel_us_per_record_runs" in r:
            per_run = [
                b / a
                for a, b in zip(
                    first["excel_us_per_record_runs"], r["excel_us_per_record_runs"], strict=True
                )
            ]
            figures.append(
                entry("scb: Excel cost per record, this size over the smallest", n, per_run)
            )
        figures.append(
            entry(
                "kaa scb build (CLI) / csv read + write of its file",
                n,
                r["ratio_cli_over_csv_child"],
                peak_kib=r["cli_peak_rss_kib_runs"],
            )
        )
    small, large = results[0], results[-1]
    figures.append(
        memory_entry(
            "scb: peak memory per case",
            small["n"],
            small["peak_rss_kib_runs"],
            large["n"],
            large["peak_rss_kib_runs"],
        )
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_scb.json", noun="cases")
    parser.add_argument("--excel-max", type=int, default=None, metavar="N")
    parser.add_argument("--data", type=Path, default=None, metavar="DIR")
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = args.data or tmp
        data.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        paths = _generate(chosen, data)
        generate_s = round(time.perf_counter() - start, 1)
        for size, path in zip(chosen, paths, strict=True):
            excel = args.excel_max is None or size <= args.excel_max
            results.append(_measure(path, size, tmp, args.repeat, excel))
    summary: dict[str, object] = {
        "n": chosen[-1],
        "period": PERIOD.code,
        "repeat": args.repeat,
        "generate_s": generate_s,
        "sizes": results,
    }
    small, large = results[0], results[-1]
    summary["bytes_per_case"] = bytes_per_item(
        (int(str(small["n"])), int(str(small["peak_rss_kib"]))),
        (int(str(large["n"])), int(str(large["peak_rss_kib"]))),
    )
    if "excel_us_per_record" in small and "excel_us_per_record" in large:
        summary["ratio_excel_per_record_n_over_n10"] = round(
            float(str(large["excel_us_per_record"])) / float(str(small["excel_us_per_record"])),
            2,
        )
    for key in ("bytes_per_case", "ratio_excel_per_record_n_over_n10"):
        if key in summary:
            print(f"{key}: {summary[key]}")
    write_results(
        __file__, summary, _figures(results), out=args.out, quick=args.quick, repeat=args.repeat
    )


if __name__ == "__main__":
    main()
