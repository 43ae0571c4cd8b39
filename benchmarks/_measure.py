"""Measuring child processes, shared by the benchmarks.

Each measurement runs the command in a fresh process so that one benchmark's imports and
caches do not help the next. The house style for a result is a **CPU-time ratio against a
baseline measured in the same run** (the machine is shared, so wall-clock times wander with
the load while CPU times hardly do), at three sizes (N/10, N/2, N) with the peak memory at
each, as the minimum, median and maximum of at least three runs (:func:`spread`).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

__all__ = [
    "bytes_per_item",
    "cpu_child",
    "peak_rss_kib",
    "ratios",
    "seconds",
    "sizes",
    "spread",
    "timed_child",
]


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


def timed_child(script: str, *args: str) -> dict[str, float]:
    """Run the Python ``script`` in a fresh process; it prints one JSON object of named
    figures (CPU seconds of its steps, measured with :func:`time.process_time`, and the
    like) as its last line of standard output. The child's peak resident set size (KiB)
    is added as ``peak_rss_kib``."""
    wrapper = (
        "import resource, subprocess, sys; "
        "p = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True); "
        "sys.stdout.write(p.stdout); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-c", script, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    *lines, rss = out.stdout.strip().splitlines()
    found: dict[str, float] = json.loads(lines[-1])
    found["peak_rss_kib"] = int(rss)
    return found


def sizes(n: int) -> list[int]:
    """The three sizes a benchmark measures at: N/10, N/2 and N."""
    return [n // 10, n // 2, n]


def spread(values: Sequence[float], digits: int = 3) -> dict[str, float]:
    """The minimum, median and maximum of ``values`` (at least one)."""
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


def ratios(runs: Sequence[dict[str, float]], work: str, baseline: str) -> dict[str, float]:
    """The spread of ``work / baseline`` over runs, each ratio taken within one run (its
    own baseline), so that a slow moment of the machine slows both."""
    return spread([run[work] / run[baseline] for run in runs], 2)


def bytes_per_item(small: tuple[int, int], large: tuple[int, int]) -> float:
    """Bytes of peak memory per item between two sizes: ``(items, peak KiB)`` at each."""
    (n0, kib0), (n1, kib1) = small, large
    return round((kib1 - kib0) * 1024 / (n1 - n0), 1)
