"""Benchmark: `kaa assess` on a national-scale file, as CPU-time ratios against the stdlib csv.

Generates N synthetic youths (default 560,000 — Sweden's 16–19 cohort) in the canonical CSV
form (synthetic interim numbers, which can never be a real personnummer), writes the first
N/10, N/2 and N of them as three files, and measures at each size, ``--repeat`` times, each
in a fresh child process (CPU seconds, interpreter start included, and peak memory):

- ``csv``: reading every row of the file with the standard library's ``csv`` module alone —
  the baseline;
- ``csv_rw``: reading it the same way and writing the rows of the decisions file that
  ``kaa assess`` wrote (read into memory before the clock starts) with ``csv`` alone — the
  floor of a program that reads this input and writes this output;
- ``assess``: ``kaa assess FILE --on DAY -o OUT --quiet`` (read + structure + decide +
  write), with the reference engine (``--engine reference``) where the command has a choice
  of engines: the pure-Python figure.

Ratios are taken within each run (its own baseline) and given as min/median/max over the
runs. The bytes of peak memory per youth between the smallest size and the largest show
whether memory grows with N. Results are printed with the goals of ``summary.py`` beside
the figures, and written to ``benchmarks/out/bench_assess.json`` (its ``"summary"`` list is
what ``summary.py`` reads). Usage::

    python benchmarks/bench_assess.py [--n 560000] [--sizes SIZE ...] [--repeat 3]
                                      [--quick] [--data DIR] [--out JSON]

``--data`` keeps the generated files there and reuses them; ``--quick`` measures N = 5,600.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from _measure import (
    add_size_options,
    bytes_per_item,
    chosen_sizes,
    cpu_child,
    entry,
    memory_entry,
    spread,
    write_results,
)

from kaa.formats.canonical import write_youths_csv
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
N, QUICK_N = 560_000, 5_600

CSV_ONLY = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        rows += 1
print(rows)
"""

CSV_READ_WRITE = """
import csv, resource, sys
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    output = list(csv.reader(f))
u = resource.getrusage(resource.RUSAGE_SELF)
before = u.ru_utime + u.ru_stime
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        rows += 1
with open(sys.argv[3], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\\n").writerows(output)
u = resource.getrusage(resource.RUSAGE_SELF)
print(before)
"""


def _generate(chosen: list[int], data: Path) -> list[Path]:
    """The file of the largest size, and the smaller files made of its first youths (a
    youth's rows are kept together, so the first k youths are the lines before the (k+1)-th
    identity number)."""
    paths = [data / f"youths-{size}.csv" for size in chosen]
    if all(p.exists() for p in paths):
        return paths
    with paths[-1].open("w", encoding="utf-8", newline="") as f:
        write_youths_csv(synthetic_youths(chosen[-1], on=DAY, unique=True), f)
    with paths[-1].open(encoding="utf-8", newline="") as f:
        header, *lines = f.readlines()
    for size, path in zip(chosen[:-1], paths[:-1], strict=True):
        seen: set[str] = set()
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(header)
            for line in lines:
                seen.add(line.split(",", 1)[0])
                if len(seen) > size:
                    break
                out.write(line)
    return paths


def _engine_choice() -> list[str]:
    """``--engine reference`` where ``kaa assess`` has a choice of engines."""
    help_text = subprocess.run(
        [sys.executable, "-m", "kaa.cli", "assess", "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return ["--engine", "reference"] if "--engine" in help_text else []


def _measure(path: Path, size: int, tmp: Path, repeat: int, engine: list[str]) -> dict[str, object]:
    out = tmp / "decisions.csv"
    assess = [
        sys.executable,
        "-m",
        "kaa.cli",
        "assess",
        str(path),
        "--on",
        DAY.isoformat(),
        "-o",
        str(out),
        "--quiet",
        *engine,
    ]
    csv_runs, rw_runs, assess_runs = [], [], []
    for _ in range(repeat):
        csv_runs.append(cpu_child([sys.executable, "-c", CSV_ONLY, str(path)]))
        assess_runs.append(cpu_child(assess))
        rw_args = [sys.executable, "-c", CSV_READ_WRITE, str(path), str(out), str(tmp / "rw.csv")]
        rw_runs.append(_rw(rw_args))
    found: dict[str, object] = {"n": size}
    found["csv_cpu_s"] = spread([c for c, _ in csv_runs])
    found["csv_rw_cpu_s"] = spread([c for c, _ in rw_runs])
    found["assess_cpu_s"] = spread([c for c, _ in assess_runs])
    found["ratio_assess_over_csv"] = spread(
        [a / c for (a, _), (c, _) in zip(assess_runs, csv_runs, strict=True)], 2
    )
    found["ratio_assess_over_csv_rw"] = spread(
        [a / c for (a, _), (c, _) in zip(assess_runs, rw_runs, strict=True)], 2
    )
    found["csv_peak_rss_mb"] = round(max(r for _, r in csv_runs) / 1024, 1)
    found["peak_rss_mb"] = round(max(r for _, r in assess_runs) / 1024, 1)
    found["peak_rss_kib"] = max(r for _, r in assess_runs)
    found["peak_rss_kib_runs"] = [r for _, r in assess_runs]
    return found


def _rw(args: list[str]) -> tuple[float, int]:
    """The CPU seconds of the read and the write alone (the output is read into memory
    first, off the clock), and the peak memory."""
    wrapper = (
        "import resource, subprocess, sys; "
        "p = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_utime + u.ru_stime - float(p.stdout), u.ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *args], check=True, capture_output=True, text=True
    )
    cpu, rss = done.stdout.split()
    return float(cpu), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_assess.json", noun="youths")
    parser.add_argument("--data", type=Path, default=None, metavar="DIR")
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    engine = _engine_choice()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = args.data or tmp
        data.mkdir(parents=True, exist_ok=True)
        paths = _generate(chosen, data)
        for size, path in zip(chosen, paths, strict=True):
            results.append(_measure(path, size, tmp, args.repeat, engine))
    small, large = results[0], results[-1]
    summary: dict[str, object] = {
        "n": chosen[-1],
        "day": DAY.isoformat(),
        "repeat": args.repeat,
        "engine": " ".join(engine) or "the only one",
        "sizes": results,
        "bytes_per_youth": bytes_per_item(
            (int(str(small["n"])), int(str(small["peak_rss_kib"]))),
            (int(str(large["n"])), int(str(large["peak_rss_kib"]))),
        ),
    }
    label = "kaa assess (reference)" if engine else "kaa assess (the only engine)"
    figures: list[dict[str, object] | None] = []
    for r in results:
        peaks = r["peak_rss_kib_runs"]
        assert isinstance(peaks, list)
        for against, key in (
            ("csv read", "ratio_assess_over_csv"),
            ("csv read + write", "ratio_assess_over_csv_rw"),
        ):
            value = r[key]
            assert isinstance(value, dict)
            figures.append(entry(f"{label} / {against}", int(str(r["n"])), value, peak_kib=peaks))
    small_peaks, large_peaks = small["peak_rss_kib_runs"], large["peak_rss_kib_runs"]
    assert isinstance(small_peaks, list)
    assert isinstance(large_peaks, list)
    figures.append(
        memory_entry(
            f"{label}: peak memory per youth",
            int(str(small["n"])),
            small_peaks,
            int(str(large["n"])),
            large_peaks,
        )
    )
    print(f"bytes_per_youth: {summary['bytes_per_youth']} (engine: {summary['engine']})")
    write_results(__file__, summary, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
