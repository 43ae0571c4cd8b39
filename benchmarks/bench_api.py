"""Benchmark: youths assessed through ``POST /assess``, as a CPU-time ratio against
``kaa.assess`` in-process on the same youths.

Starts ``kaa serve --port 0`` in a child process on the loopback address (127.0.0.1 only),
generates synthetic youths (synthetic interim numbers, which can never be a real
personnummer), and for each batch size (youths a request: 1, and N/10, N/2 and N with N =
1,000 by default) sends requests one after another over one kept-alive connection until
``--youths`` youths have been assessed or ``--seconds`` have passed, whichever comes first.
The same youths are then assessed in-process with :func:`kaa.assess` (the structured
youths, no JSON). Each of ``--repeat`` runs gives, within the run:

- the **server's CPU seconds per youth** (read from ``/proc/<pid>/stat`` before and after;
  JSON decoding, structuring, deciding, encoding, HTTP) over the in-process CPU seconds per
  youth (:func:`time.process_time`) — the ratio;
- the youths per second through the API and in-process (wall clock; the client's own work
  is in the former).

The server's peak memory (``VmHWM``) is read after each batch size (it only grows: the peak
so far). min/median/max over the runs; results are printed with the goals of ``summary.py``
beside them (none in an issue) and written to ``benchmarks/out/bench_api.json``. Usage::

    python benchmarks/bench_api.py [--n 1000] [--sizes BATCH ...] [--youths 5000]
                                   [--seconds 10] [--repeat 3] [--quick]

``--quick`` takes N = 100, at most 300 youths and 2 seconds a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from _measure import add_size_options, chosen_sizes, entry, spread, write_results

import kaa
from kaa.convert import to_dict
from kaa.plugins.manager import Hooks
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
N, QUICK_N = 1_000, 100
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _start() -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "kaa.cli", "serve", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    first = child.stderr.readline()
    found = re.search(r"answering on (http://127\.0\.0\.1:\d+)", first)
    if not found:
        child.kill()
        raise SystemExit(f"kaa serve did not start: {first}")
    return child, found.group(1)


def _through_api(
    client: httpx.Client, records: list[dict[str, Any]], batch: int, seconds: float
) -> tuple[int, float]:
    """Youths assessed and the seconds it took, in batches of ``batch``."""
    done = 0
    start = time.perf_counter()
    while done < len(records) and time.perf_counter() - start < seconds:
        chunk = records[done : done + batch]
        answer = client.post("/assess", json={"on": DAY.isoformat(), "youths": chunk})
        answer.raise_for_status()
        assert len(answer.json()["decisions"]) == len(chunk)
        done += len(chunk)
    return done, time.perf_counter() - start


def _in_process(youths: list[kaa.Youth], hooks: Hooks) -> tuple[float, float]:
    """Wall and CPU seconds of assessing ``youths`` in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    for youth in youths:
        kaa.assess(youth, on=DAY, hooks=hooks)
    return time.perf_counter() - start, time.process_time() - cpu


def _server_cpu(pid: int) -> float | None:
    """The CPU seconds (user + system) the server has used, or ``None`` without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def _server_peak_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_api.json", noun="youths a request")
    parser.add_argument("--youths", type=int, default=None, help="at most this many per run")
    parser.add_argument("--seconds", type=float, default=None, help="at most this long per run")
    args = parser.parse_args()
    batches = sorted({1, *chosen_sizes(args, n=N, quick_n=QUICK_N)})
    most = args.youths or (300 if args.quick else 5000)
    seconds = args.seconds or (2.0 if args.quick else 10.0)
    youths = list(synthetic_youths(most, on=DAY, unique=True))
    records = to_dict(youths, reveal_ids=True)
    hooks = Hooks.default()
    kaa.assess(youths[0], on=DAY, hooks=hooks)  # plugins loaded before timing
    results: dict[str, Any] = {"day": DAY.isoformat(), "max_youths": most, "seconds": seconds}
    figures: list[dict[str, Any] | None] = []
    child, url = _start()
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            client.get("/rules").raise_for_status()  # warm: the first answer
            for batch in batches:
                api_rate, local_rate, cpu_ratio = [], [], []
                counted = 0
                for _ in range(args.repeat):
                    before = _server_cpu(child.pid)
                    counted, took = _through_api(client, records, batch, seconds)
                    after = _server_cpu(child.pid)
                    local_wall, local_cpu = _in_process(youths[:counted], hooks)
                    api_rate.append(counted / took)
                    local_rate.append(counted / local_wall)
                    if before is not None and after is not None and local_cpu > 0:
                        cpu_ratio.append((after - before) / local_cpu)
                peak = _server_peak_kib(child.pid)
                found: dict[str, Any] = {
                    "youths": counted,
                    "api_youths_per_s": spread(api_rate, 0),
                    "in_process_youths_per_s": spread(local_rate, 0),
                    "ratio_api_over_in_process": spread(
                        [a / b for a, b in zip(api_rate, local_rate, strict=True)], 3
                    ),
                    "server_peak_rss_mb": round(peak / 1024, 1) if peak else None,
                }
                if cpu_ratio:
                    found["ratio_server_cpu_over_in_process"] = spread(cpu_ratio, 2)
                    figures.append(
                        entry(
                            "kaa serve POST /assess: server CPU per youth / kaa.assess in-process",
                            batch,
                            cpu_ratio,
                            peak_kib=peak,
                        )
                    )
                figures.append(
                    entry(
                        "kaa serve POST /assess: youths per second (wall)",
                        batch,
                        api_rate,
                        unit="youths/s",
                        peak_kib=peak,
                    )
                )
                results[f"batch_{batch}"] = found
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=20)
    write_results(__file__, results, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
