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
runs. The bytes of peak memory per youth between N/10 and N show whether memory grows with
N. Results are printed as one table with the goals beside the figures, and written to
``benchmarks/out/bench_assess.json``. Usage::

    python benchmarks/bench_assess.py [--n 560000] [--repeat 3] [--data DIR]

``--data`` keeps the generated files there and reuses them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _measure import bytes_per_item, cpu_child, sizes, spread

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

GOALS = (
    ("kaa assess / csv read", "ratio_assess_over_csv", "≤ 4× (columnar); reference: report"),
    ("kaa assess / csv read + csv write", "ratio_assess_over_csv_rw", "—"),
)


def _generate(n: int, data: Path) -> list[Path]:
    """The N file, and the N/10 and N/2 files made of its first youths (a youth's rows are
    kept together, so the first k youths are the lines before the (k+1)-th identity
    number)."""
    paths = [data / f"youths-{size}.csv" for size in sizes(n)]
    if all(p.exists() for p in paths):
        return paths
    with paths[-1].open("w", encoding="utf-8", newline="") as f:
        write_youths_csv(synthetic_youths(n, on=DAY, unique=True), f)
    with paths[-1].open(encoding="utf-8", newline="") as f:
        header, *lines = f.readlines()
    for size, path in zip(sizes(n)[:-1], paths[:-1], strict=True):
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


def _table(results: list[dict[str, object]]) -> str:
    head = f"{'kaa assess (canonical CSV)':36} " + " ".join(
        f"{'N=' + str(r['n']):>22}" for r in results
    )
    lines = [head + "  goal"]
    for label, key, goal in GOALS:
        cells = []
        for r in results:
            value = r[key]
            assert isinstance(value, dict)
            cells.append(f"{value['median']:>6} ({value['min']}–{value['max']})".rjust(22))
        lines.append(f"{label:36} " + " ".join(cells) + f"  {goal}")
    lines.append(
        f"{'peak memory (MiB)':36} "
        + " ".join(f"{r['peak_rss_mb']:>22}" for r in results)
        + "  nearly flat"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=560_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None, metavar="DIR")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "out" / "bench_assess.json"
    )
    args = parser.parse_args()
    engine = _engine_choice()
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = args.data or tmp
        data.mkdir(parents=True, exist_ok=True)
        paths = _generate(args.n, data)
        for size, path in zip(sizes(args.n), paths, strict=True):
            results.append(_measure(path, size, tmp, args.repeat, engine))
    small, large = results[0], results[-1]
    summary: dict[str, object] = {
        "n": args.n,
        "day": DAY.isoformat(),
        "repeat": args.repeat,
        "engine": " ".join(engine) or "the only one",
        "sizes": results,
        "bytes_per_youth": bytes_per_item(
            (int(str(small["n"])), int(str(small["peak_rss_kib"]))),
            (int(str(large["n"])), int(str(large["peak_rss_kib"]))),
        ),
    }
    print(_table(results))
    print(f"bytes_per_youth: {summary['bytes_per_youth']} (engine: {summary['engine']})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
