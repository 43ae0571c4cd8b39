"""Benchmark: youths assessed per second through ``POST /assess``, as a ratio against
``kaa.assess`` in-process on the same youths.

Starts ``kaa serve --port 0`` in a child process on the loopback address (127.0.0.1 only),
generates synthetic youths (synthetic interim numbers, which can never be a real
personnummer), and for each batch size (1, 100 and 1,000 youths a request) sends requests
one after another over one kept-alive connection until ``--youths`` youths have been
assessed or ``--seconds`` have passed, whichever comes first. The same youths are then
assessed in-process with :func:`kaa.assess` (the structured youths, no JSON). Each rate is
the best of ``--repeat`` runs. Results are printed and written to
``benchmarks/out/bench_api.json``. Usage::

    python benchmarks/bench_api.py [--youths 5000] [--seconds 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

import kaa
from kaa.convert import to_dict
from kaa.plugins.manager import Hooks
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
BATCHES = (1, 100, 1000)


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


def _in_process(youths: list[kaa.Youth], hooks: Hooks) -> float:
    start = time.perf_counter()
    for youth in youths:
        kaa.assess(youth, on=DAY, hooks=hooks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--youths", type=int, default=5000, help="at most this many per run")
    parser.add_argument("--seconds", type=float, default=10.0, help="at most this long per run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    youths = list(synthetic_youths(args.youths, on=DAY, unique=True))
    records = to_dict(youths, reveal_ids=True)
    hooks = Hooks.default()
    kaa.assess(youths[0], on=DAY, hooks=hooks)  # plugins loaded before timing
    results: dict[str, Any] = {"day": DAY.isoformat(), "max_youths": args.youths}
    child, url = _start()
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            client.get("/rules").raise_for_status()  # warm: the first answer
            for batch in BATCHES:
                best_api = best_local = 0.0
                counted = 0
                for _ in range(args.repeat):
                    counted, took = _through_api(client, records, batch, args.seconds)
                    best_api = max(best_api, counted / took)
                    local = _in_process(youths[:counted], hooks)
                    best_local = max(best_local, counted / local)
                results[f"batch_{batch}"] = {
                    "youths": counted,
                    "api_youths_per_s": round(best_api),
                    "in_process_youths_per_s": round(best_local),
                    "ratio_api_over_in_process": round(best_api / best_local, 3),
                }
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=20)
    print(json.dumps(results, indent=2))
    target = Path(__file__).parent / "out" / "bench_api.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
