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

import argparse
import datetime as dt
import filecmp
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _measure import entry as figure
from _measure import memory_entry, write_results

from kaa.formats.canonical import write_youths_csv
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
QUICK_N = 5_600
GOAL = 4.0
"""The goal of issue 17: the columnar engine within 4× the csv read."""

CSV_READ = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        rows += 1
"""

CSV_READ_WRITE = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
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

_WRAPPER = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss)"
)


def measure(args: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak resident MiB of ``args`` alone."""
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args], check=True, capture_output=True, text=True
    )
    cpu, rss = out.stdout.split()
    return float(cpu), int(rss) / 1024


def _generate(n: int, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as f:
        return write_youths_csv(synthetic_youths(n, on=DAY, unique=True), f)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "max": round(max(values), 2),
    }


@dataclass(frozen=True)
class Engines:
    """What a comparison of the two engines of ``kaa assess`` runs on.

    Attributes:
        label: How the figures are named (``kaa assess``, ``ist → decisions``).
        stem: The generated files' names begin with it.
        generate: Writes ``n`` synthetic youths to the path; returns the rows written.
        source: The ``kaa assess`` arguments naming the source (none for the canonical CSV).
        csv_read: The floor: the stdlib csv read of the file (a ``python -c`` program).
        csv_read_write: The floor with the decisions written again by the csv module.
        out: The results' JSON file.
        script: The benchmark script (its change makes the results stale).
        doc: The script's docstring (its first line is the ``--help`` description).
    """

    label: str
    stem: str
    generate: Callable[[int, Path], int]
    source: tuple[str, ...]
    csv_read: str
    csv_read_write: str
    out: Path
    script: str
    doc: str


def compare_engines(spec: Engines) -> None:
    """Parse the command line, run both engines and the floors at N/10, N/2 and N, compare
    the outputs byte for byte, print the table and write the results."""
    parser = argparse.ArgumentParser(description=spec.doc.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="default 560,000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the (slow) reference engine"
    )
    parser.add_argument("--quick", action="store_true", help=f"N = {QUICK_N:,} unless --n is given")
    args = parser.parse_args()
    n = args.n or (QUICK_N if args.quick else 560_000)
    kaa = [sys.executable, "-m", "kaa.cli", "assess"]
    sizes = [n // 10, n // 2, n]
    results: dict[str, object] = {"n": n, "day": DAY.isoformat(), "sizes": {}}
    table: list[str] = []
    figures: list[dict[str, object] | None] = []
    peaks: dict[str, dict[int, list[int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            youths = Path(tmp) / f"{spec.stem}-{size}.csv"
            rows = spec.generate(size, youths)
            outputs = {
                e: Path(tmp) / f"decisions-{size}-{e}.csv" for e in ("reference", "columnar")
            }
            copy = Path(tmp) / "copy.csv"
            engines = ["columnar"] if args.no_reference else ["reference", "columnar"]
            runs: dict[str, list[tuple[float, float]]] = {}
            for _ in range(args.repeat):
                for engine in engines:
                    command = [*kaa, str(youths), *spec.source, "--on", DAY.isoformat()]
                    command += ["--quiet"]
                    command += ["--engine", engine, "-o", str(outputs[engine])]
                    runs.setdefault(engine, []).append(measure(command))
                runs.setdefault("csv", []).append(
                    measure([sys.executable, "-c", spec.csv_read, str(youths)])
                )
                runs.setdefault("csv+write", []).append(
                    measure(
                        [
                            sys.executable,
                            "-c",
                            spec.csv_read_write,
                            str(youths),
                            str(outputs["columnar"]),
                            str(copy),
                        ]
                    )
                )
            identical = None
            if not args.no_reference:
                identical = filecmp.cmp(outputs["reference"], outputs["columnar"], shallow=False)
                if not identical:
                    sys.exit(f"the engines' decisions differ at {size} youths: the safeguard fails")
            csv_median = statistics.median(c for c, _ in runs["csv"])
            both_median = statistics.median(c for c, _ in runs["csv+write"])
            entry: dict[str, object] = {
                "rows": rows,
                "file_mb": round(youths.stat().st_size / 1e6, 1),
                "identical_output": identical,
            }
            for name, measured in runs.items():
                cpu = [c for c, _ in measured]
                entry[name] = {
                    "cpu_s": _spread(cpu),
                    "peak_mib": round(max(m for _, m in measured), 1),
                    "ratio_to_csv": round(statistics.median(cpu) / csv_median, 2),
                    "ratio_to_csv_read_write": round(statistics.median(cpu) / both_median, 2),
                }
            results["sizes"][str(size)] = entry  # type: ignore[index]
            for name in engines:
                cpu_runs = [c for c, _ in runs[name]]
                peak_kib = [round(m * 1024) for _, m in runs[name]]
                peaks.setdefault(name, {})[size] = peak_kib
                for against, base in (("csv read", "csv"), ("csv read + write", "csv+write")):
                    per_run = [c / b for c, (b, _) in zip(cpu_runs, runs[base], strict=True)]
                    path = f"{spec.label} ({name}) / {against}"
                    figures.append(figure(path, size, per_run, peak_kib=peak_kib))
            if identical is not None:
                figures.append(
                    figure(
                        f"{spec.label}: the two engines' output identical",
                        size,
                        [1.0 if identical else 0.0],
                        unit="identical",
                    )
                )
            for name in ("csv", "csv+write", *engines):
                e = entry[name]
                assert isinstance(e, dict)
                table.append(
                    f"{size:>8} {name:>10} {e['cpu_s']['min']:>7} {e['cpu_s']['median']:>7} "
                    f"{e['cpu_s']['max']:>7} {e['peak_mib']:>8} {e['ratio_to_csv']:>6}× "
                    f"{e['ratio_to_csv_read_write']:>6}×"
                    + (f"   goal ≤ {GOAL}× csv" if name == "columnar" else "")
                )
    print(
        f"{'youths':>8} {'run':>10} {'min s':>7} {'median':>7} {'max s':>7} {'peak MiB':>8} "
        f"{'/csv':>7} {'/csv+w':>7}"
    )
    print("\n".join(table))
    for name, by_size in peaks.items():
        figures.append(
            memory_entry(
                f"{spec.label} ({name}): peak memory per youth",
                sizes[0],
                by_size[sizes[0]],
                sizes[-1],
                by_size[sizes[-1]],
            )
        )
    write_results(spec.script, results, figures, out=spec.out, quick=args.quick, repeat=args.repeat)


def main() -> None:
    compare_engines(
        Engines(
            label="kaa assess",
            stem="youths",
            generate=_generate,
            source=(),
            csv_read=CSV_READ,
            csv_read_write=CSV_READ_WRITE,
            out=Path(__file__).parent / "out" / "bench_columnar.json",
            script=__file__,
            doc=__doc__ or "",
        )
    )


if __name__ == "__main__":
    main()
