"""Measuring a child process: wall-clock time and peak memory, shared by the benchmarks.

Each measurement runs the command in a fresh process so that one benchmark's imports and
caches do not help the next.
"""

from __future__ import annotations

import subprocess
import sys
import time

__all__ = ["peak_rss_kib", "seconds"]


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
