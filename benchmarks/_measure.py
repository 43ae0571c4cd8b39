"""Measuring child processes, shared by the benchmarks.

Each measurement runs the command in a fresh process so that one benchmark's imports and
caches do not help the next. The house style for a result is a **CPU-time ratio against a
baseline measured in the same run** (the machine is shared, so wall-clock times wander with
the load while CPU times hardly do), at three sizes (N/10, N/2, N) with the peak memory at
each, as the minimum, median and maximum of at least three runs (:func:`spread`).

Every script takes the same size options (:func:`add_size_options`: ``--n``, ``--sizes``,
``--repeat``, ``--quick``, ``--out``) and writes its results with :func:`write_results`:
one JSON file in ``benchmarks/out/`` whose top-level ``"summary"`` list holds the figures
``benchmarks/summary.py`` puts beside the goals (the convention is documented there), and
prints those figures with the goals of ``summary.py`` beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import summary

from kaa.formats.files import atomic_text

__all__ = [
    "OUT",
    "add_size_options",
    "bytes_per_item",
    "chosen_sizes",
    "cpu_child",
    "entry",
    "json_child",
    "memory_entry",
    "peak_rss_kib",
    "ratios",
    "seconds",
    "sizes",
    "spread",
    "timed_child",
    "write_results",
]

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
"""Where every benchmark writes its JSON (``benchmarks/out/<script>.json``)."""


def seconds(args: list[str]) -> float:
    """Run ``args``; return its wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_rss_kib(args: list[str]) -> int:
    """Peak resident set size (KiB) of ``args`` alone, measured from a wrapper process so
    that earlier children of the benchmark do not mask it."""
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *args], check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


_CPU_WRAPPER = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss)"
)


def cpu_child(args: list[str]) -> tuple[float, int]:
    """Run ``args`` in a fresh process; return its CPU seconds (user + system, interpreter
    start included) and its peak resident set size in KiB, both measured from a wrapper
    process so that nothing else is counted."""
    out = subprocess.run(
        [sys.executable, "-c", _CPU_WRAPPER, *args], check=True, capture_output=True, text=True
    )
    cpu, rss = out.stdout.split()
    return float(cpu), int(rss)


_JSON_WRAPPER = (
    "import resource, subprocess, sys; "
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr[-4000:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(p.returncode)"
)


def json_child(args: list[str]) -> dict[str, Any]:
    """Run ``args`` in a fresh process; it prints one JSON object of named figures (CPU
    seconds of its steps, measured with :func:`time.process_time`, and the like) as its
    last line of standard output. Added: the child's peak resident set size in KiB
    (``peak_rss_kib``) and its whole CPU time, interpreter start included
    (``process_cpu_s``)."""
    out = subprocess.run(
        [sys.executable, "-c", _JSON_WRAPPER, *args], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} … failed:\n{out.stderr}")
    *lines, usage = out.stdout.strip().splitlines()
    found: dict[str, Any] = json.loads(lines[-1])
    cpu, rss = usage.split()
    found["peak_rss_kib"] = int(rss)
    found["process_cpu_s"] = float(cpu)
    return found


def timed_child(script: str, *args: str) -> dict[str, Any]:
    """:func:`json_child` of the Python source ``script`` run with ``args``."""
    return json_child([sys.executable, "-c", script, *args])


def sizes(n: int) -> list[int]:
    """The three sizes a benchmark measures at: N/10, N/2 and N."""
    return [n // 10, n // 2, n]


def add_size_options(
    parser: argparse.ArgumentParser, *, n: int, quick_n: int, out: str, noun: str = "items"
) -> None:
    """The options every benchmark takes: ``--n`` (its own N, default ``n``), ``--sizes``
    (instead of N/10, N/2, N), ``--repeat`` (runs per size, default 3), ``--quick`` (N =
    ``quick_n``, still three runs: the whole set in minutes) and ``--out`` (the JSON)."""
    parser.add_argument(
        "--n",
        type=int,
        default=None,
        help=f"N, the largest size in {noun}; measured at N/10, N/2 and N "
        f"(default {n:,}; {quick_n:,} with --quick)",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=None, metavar="SIZE", help="these sizes instead"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help=f"small sizes (N = {quick_n:,}), to try the set"
    )
    parser.add_argument("--out", type=Path, default=OUT / out, help=f"the JSON (out/{out})")


def chosen_sizes(args: argparse.Namespace, *, n: int, quick_n: int) -> list[int]:
    """The sizes :func:`add_size_options` asked for, smallest first."""
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    if args.sizes:
        chosen = sorted(set(args.sizes))
    else:
        chosen = sizes(args.n or (quick_n if args.quick else n))
    if chosen[0] < 1:
        raise SystemExit(f"every size must be at least 1: {chosen}")
    return chosen


def spread(values: Sequence[float], digits: int = 3) -> dict[str, float]:
    """The minimum, median and maximum of ``values`` (at least one)."""
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


def ratios(runs: Sequence[dict[str, Any]], work: str, baseline: str) -> dict[str, float]:
    """The spread of ``work / baseline`` over runs, each ratio taken within one run (its
    own baseline), so that a slow moment of the machine slows both."""
    return spread([run[work] / run[baseline] for run in runs], 2)


def bytes_per_item(small: tuple[int, int], large: tuple[int, int]) -> float | None:
    """Bytes of peak memory per item between two sizes: ``(items, peak KiB)`` at each
    (``None`` if they are the same size)."""
    (n0, kib0), (n1, kib1) = small, large
    return round((kib1 - kib0) * 1024 / (n1 - n0), 1) if n1 != n0 else None


def entry(
    path: str,
    size: int | str,
    values: Sequence[float] | dict[str, float],
    *,
    unit: str = "×",
    peak_kib: Sequence[int] | int | None = None,
    digits: int = 2,
) -> dict[str, Any]:
    """One figure of the ``"summary"`` list (see ``summary.py``): ``values`` (one per run,
    or a :func:`spread` already) as median, min and max, and the largest peak memory of the
    runs in MiB."""
    found = dict(values) if isinstance(values, dict) else spread(values, digits)
    item: dict[str, Any] = {"path": path, "size": size, **found, "unit": unit}
    if peak_kib is not None:
        peaks = [peak_kib] if isinstance(peak_kib, int) else list(peak_kib)
        item["peak_mib"] = round(max(peaks) / 1024, 1)
    return item


def memory_entry(
    path: str, small: int, small_kib: Sequence[int], large: int, large_kib: Sequence[int]
) -> dict[str, Any] | None:
    """Bytes of peak memory per item from the smallest size to the largest, run by run
    (``None`` with a single size)."""
    if large <= small:
        return None
    per_run = [(b - a) * 1024 / (large - small) for a, b in zip(small_kib, large_kib, strict=False)]
    return entry(path, f"{small}→{large}", per_run, unit="B", digits=1)


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "not known"
    return done.stdout.strip()


def write_results(
    script: str,
    results: dict[str, Any],
    figures: Sequence[dict[str, Any] | None],
    *,
    out: Path,
    quick: bool,
    repeat: int,
) -> None:
    """Write ``results`` with the ``"summary"`` list of ``figures`` (atomically) to ``out``
    and print the figures with their goals (``summary.py``)."""
    listed = [f for f in figures if f is not None]
    document = {
        "script": Path(script).name,
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "quick": quick,
        "repeat": repeat,
        **results,
        "summary": listed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(out) as f:
        f.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(summary.render(summary.figure_rows(listed, Path(script).stem, quick=quick)))
    print(f"written: {out}")
