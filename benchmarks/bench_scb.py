"""Benchmark: a national-scale SCB half-year submission, as ratios against the stdlib csv module.

Generates N synthetic KAA cases (default 65,000 — the national population of a half-year;
synthetic interim numbers, which can never be a real personnummer) with the mix of DOMAIN §5
(about half reached in the period, 20–25 % with a measure), writes them as the canonical
cases file, then measures in the same run:

In this process (best of ``--repeat``):

- ``build``: :func:`kaa.scb.submission.build_submission` (selection through the target-group
  rule, records per youth);
- ``check``: :func:`kaa.scb.checks.check_submission` with the profile and the cases;
- ``write``: :func:`kaa.scb.writer.write_submission` (encode per profile, atomic write);
- ``csv``: the baseline — writing **the same rows** (already encoded as strings) with the
  standard library's ``csv.writer`` alone.

In fresh child processes: ``kaa scb build CASES -o FILE`` end to end (read the cases file,
build, check, write), with its wall time and peak resident set size, against a child that
reads the written file and writes the same rows again with ``csv`` alone.

Results are printed and written to ``benchmarks/out/bench_scb.json``. Usage::

    python benchmarks/bench_scb.py [--n 65000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kaa.formats.cases import write_cases
from kaa.period import HalfYear
from kaa.scb.checks import check_submission
from kaa.scb.layout import default_profile
from kaa.scb.submission import build_submission
from kaa.scb.writer import encode_rows, write_submission
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(2026, 2)

CSV_ONLY = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=";"))
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, delimiter=";", lineterminator="\\r\\n").writerows(rows)
"""


def _child(args: list[str]) -> tuple[float, int]:
    """Run a child; return its wall-clock seconds and peak RSS (KiB)."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *args], check=True, capture_output=True, text=True
    )
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def _best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=65_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    profile = default_profile()
    results: dict[str, object] = {"n_cases": args.n, "period": PERIOD.code}
    with tempfile.TemporaryDirectory() as tmp:
        cases_path = Path(tmp) / "cases.jsonl"
        out = Path(tmp) / "scb.txt"
        start = time.perf_counter()
        cases = list(synthetic_cases(args.n, period=PERIOD, municipality="1882", unique=True))
        write_cases(cases, cases_path)
        results["generate_s"] = round(time.perf_counter() - start, 2)
        results["cases_file_mb"] = round(cases_path.stat().st_size / 1e6, 1)

        submission = build_submission(cases, PERIOD, municipality="1882")
        report = check_submission(submission, profile=profile, cases=cases)
        assert report.ok, report.by_check()
        results["youths_reported"] = len(submission)
        results["left_out"] = len(submission.left_out)
        results["counts"] = submission.counts()
        results["share_with_contact"] = round(
            sum(1 for r in submission if r.contacts) / len(submission), 3
        )
        results["share_with_measure"] = round(
            sum(1 for r in submission if r.measures_started or r.measures_ended) / len(submission),
            3,
        )
        results["warnings"] = report.by_check()

        build_s = _best(args.repeat, lambda: build_submission(cases, PERIOD, municipality="1882"))
        check_s = _best(
            args.repeat, lambda: check_submission(submission, profile=profile, cases=cases)
        )
        write_s = _best(
            args.repeat,
            lambda: write_submission(submission, out, profile=profile, report=report),
        )
        rows = [profile.headers(), *encode_rows(submission, profile)]
        baseline = Path(tmp) / "baseline.txt"

        def csv_only() -> None:
            with baseline.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)

        csv_s = _best(args.repeat, csv_only)
        assert baseline.read_bytes() == out.read_bytes(), "the baseline must write the same rows"
        results["rows"] = len(rows) - 1
        results["file_mb"] = round(out.stat().st_size / 1e6, 1)
        results["build_s"] = round(build_s, 3)
        results["check_s"] = round(check_s, 3)
        results["write_s"] = round(write_s, 3)
        results["csv_write_same_rows_s"] = round(csv_s, 3)
        results["ratio_write_over_csv"] = round(write_s / csv_s, 2)
        results["ratio_build_check_write_over_csv"] = round(
            (build_s + check_s + write_s) / csv_s, 1
        )

        kaa_cmd = [sys.executable, "-m", "kaa.cli", "scb", "build", str(cases_path)]
        kaa_args = ["--period", PERIOD.code, "--municipality", "1882", "-o", str(out)]
        cli = [_child([*kaa_cmd, *kaa_args]) for _ in range(args.repeat)]
        plain = [
            _child([sys.executable, "-c", CSV_ONLY, str(out), str(baseline)])
            for _ in range(args.repeat)
        ]
        cli_s, cli_rss = min(t for t, _ in cli), max(r for _, r in cli)
        csv_child_s, csv_rss = min(t for t, _ in plain), max(r for _, r in plain)
        results["cli_build_end_to_end_s"] = round(cli_s, 2)
        results["cli_peak_rss_mb"] = round(cli_rss / 1024, 1)
        results["csv_child_read_write_s"] = round(csv_child_s, 2)
        results["csv_child_peak_rss_mb"] = round(csv_rss / 1024, 1)
        results["ratio_cli_over_csv_child"] = round(cli_s / csv_child_s, 1)
    for key, value in results.items():
        print(f"{key:>34}: {value}")
    target = Path(__file__).parent / "out" / "bench_scb.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
