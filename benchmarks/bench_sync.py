"""Benchmark: the memory of a register sync (``kaa.sync``) as the register grows.

Generates synthetic IST list exports of N youths (default 100,000 and 200,000; synthetic
interim numbers, which can never be a real personnummer; about one in ten in the target
group, as nationally) with :func:`kaa.testing.synthetic.ist_export_rows`, and measures, each
in a fresh subprocess, the peak resident set size of:

- ``read``: reading the export with the ``ist`` source alone (the reader's own memory: it
  remembers one small entry per youth seen, to report a youth whose rows come back later);
- ``first sync``: ``kaa.sync.sync`` into an empty SQLite store — the open cases' index is
  empty, every youth in the target group is registered;
- ``second sync``: the same export again — the index holds every open case (about N/10),
  and nothing is recorded.

A flat sync holds only the open cases' index beyond what the reader holds: the first sync's
growth from N to 2N should be the reader's, and the second sync's the reader's plus the
index. Ratios are printed, not asserted (the machine is shared). Results go to
``benchmarks/out/bench_sync.json``. Usage::

    python benchmarks/bench_sync.py [--n 100000 200000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from _measure import peak_rss_kib

from kaa.store import open_store
from kaa.testing.synthetic import IST_EXPORT_COLUMNS, ist_export_rows, synthetic_youths

DAY = dt.date(2026, 11, 23)
KOMMUN = "1882"

READ = """
import datetime as dt, sys
from kaa.adapters import SourceSummary, open_source
summary = SourceSummary(file=sys.argv[1])
for _ in open_source("ist", sys.argv[1], summary=summary, reference_day=dt.date(2026, 11, 23)):
    pass
print(summary)
"""

SYNC = """
import datetime as dt, sys
from pathlib import Path
from kaa.adapters import SourceSummary, open_source
from kaa.plugins.manager import Hooks
from kaa.store import open_store
from kaa.sync import sync
day = dt.date(2026, 11, 23)
hooks = Hooks.default()
read = SourceSummary(file=sys.argv[1])
records = open_source("ist", Path(sys.argv[1]), summary=read, reference_day=day, hooks=hooks)
with open_store(sys.argv[2], municipality="1882", actor="bench") as store:
    summary = sync(store, records, on=day, hooks=hooks, read=read, keep_actions=False)
print(summary)
"""


def _generate(n: int, path: Path) -> None:
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write(";".join(IST_EXPORT_COLUMNS) + "\r\n")
        for youth in synthetic_youths(n, on=DAY, municipality=KOMMUN, unique=True):
            for row in ist_export_rows(youth, on=DAY):
                f.write(";".join(row) + "\r\n")


def _mb(kib: int) -> float:
    return round(kib / 1024, 1)


def _measure(n: int, tmp: Path) -> dict[str, float]:
    export = tmp / f"ist-{n}.csv"
    _generate(n, export)
    url = f"sqlite:///{tmp / f'kaa-{n}.db'}"
    open_store(url, municipality=KOMMUN, actor="bench", create=True).close()
    found: dict[str, float] = {"file_mb": round(export.stat().st_size / 1e6, 1)}
    found["read_peak_rss_mb"] = _mb(peak_rss_kib([sys.executable, "-c", READ, str(export)]))
    for name in ("first_sync", "second_sync"):
        start = time.perf_counter()
        found[f"{name}_peak_rss_mb"] = _mb(
            peak_rss_kib([sys.executable, "-c", SYNC, str(export), url])
        )
        found[f"{name}_s"] = round(time.perf_counter() - start, 1)
    with open_store(url, municipality=KOMMUN, actor="bench") as store:
        found["open_cases"] = sum(1 for _ in store.cases(purpose="benchmark", open_on=DAY))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, nargs=2, default=[100_000, 200_000])
    args = parser.parse_args()
    small, large = args.n
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        a = _measure(small, Path(tmp))
        b = _measure(large, Path(tmp))
    results[str(small)] = a
    results[str(large)] = b
    for what in ("read", "first_sync", "second_sync"):
        key = f"{what}_peak_rss_mb"
        results[f"{what}_growth_mb"] = round(b[key] - a[key], 1)
        results[f"{what}_ratio_{large}_over_{small}"] = round(b[key] / a[key], 2)
    results["first_sync_over_read_growth"] = round(
        (b["first_sync_peak_rss_mb"] - a["first_sync_peak_rss_mb"])
        / max(0.1, b["read_peak_rss_mb"] - a["read_peak_rss_mb"]),
        2,
    )
    print(json.dumps(results, indent=2))
    target = Path(__file__).parent / "out" / "bench_sync.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
