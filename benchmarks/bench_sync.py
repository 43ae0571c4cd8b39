"""Benchmark: the memory of a register sync (``kaa.sync``) as the register grows.

Generates a synthetic IST list export of N youths (default 200,000; ``make bench`` asks for
560,000, the national register of issue 12; synthetic interim numbers, which can never be a
real personnummer; about one in ten in the target group, as nationally) with
:func:`kaa.testing.synthetic.ist_export_rows`, and exports of its first N/10 and N/2 youths,
and measures at each size, ``--repeat`` times, each in a fresh subprocess, the CPU seconds
and the peak resident set size of:

- ``read``: reading the export with the ``ist`` source alone (the reader's own memory: it
  remembers one small entry per youth seen, to report a youth whose rows come back later) —
  the baseline;
- ``first sync``: ``kaa.sync.sync`` into an empty SQLite store (a new one each run) — the
  open cases' index is empty, every youth in the target group is registered;
- ``second sync``: the same export again into that store — the index holds every open case
  (about N/10), and nothing is recorded.

A flat sync holds only the open cases' index beyond what the reader holds: the bytes of peak
memory per youth of the register from the smallest size to the largest (run by run) say how
flat it is, and the sync's CPU time over the read's how much the sync adds. min/median/max
over the runs; results are printed with the goals of ``summary.py`` beside them and written
to ``benchmarks/out/bench_sync.json``. Usage::

    python benchmarks/bench_sync.py [--n 200000] [--sizes SIZE ...] [--repeat 3] [--quick]

``--quick`` measures N = 5,600.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from _measure import (
    add_size_options,
    chosen_sizes,
    entry,
    memory_entry,
    ratios,
    spread,
    timed_child,
    write_results,
)

from kaa.store import open_store
from kaa.testing.synthetic import IST_EXPORT_COLUMNS, ist_export_rows, synthetic_youths

DAY = dt.date(2026, 11, 23)
KOMMUN = "1882"
N, QUICK_N = 200_000, 5_600

READ = """
import datetime as dt, json, sys, time
from kaa.adapters import SourceSummary, open_source
summary = SourceSummary(file=sys.argv[1])
cpu = time.process_time()
for _ in open_source("ist", sys.argv[1], summary=summary, reference_day=dt.date(2026, 11, 23)):
    pass
print(json.dumps({"cpu": time.process_time() - cpu, "rows": summary.rows_read}))
"""

SYNC = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.adapters import SourceSummary, open_source
from kaa.plugins.manager import Hooks
from kaa.store import open_store
from kaa.sync import sync
day = dt.date(2026, 11, 23)
hooks = Hooks.default()
read = SourceSummary(file=sys.argv[1])
cpu = time.process_time()
records = open_source("ist", Path(sys.argv[1]), summary=read, reference_day=day, hooks=hooks)
with open_store(sys.argv[2], municipality="1882", actor="bench") as store:
    summary = sync(store, records, on=day, hooks=hooks, read=read, keep_actions=False)
print(json.dumps({"cpu": time.process_time() - cpu}))
"""


def _generate(n: int, path: Path) -> None:
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write(";".join(IST_EXPORT_COLUMNS) + "\r\n")
        for youth in synthetic_youths(n, on=DAY, municipality=KOMMUN, unique=True):
            for row in ist_export_rows(youth, on=DAY):
                f.write(";".join(row) + "\r\n")


def _cut(big: Path, size: int, path: Path) -> None:
    """The first ``size`` youths of ``big`` (a youth's rows are together)."""
    seen: set[str] = set()
    with (
        big.open(encoding="cp1252", newline="") as f,
        path.open("w", encoding="cp1252", newline="") as out,
    ):
        out.write(f.readline())
        for line in f:
            seen.add(line.split(";", 1)[0])
            if len(seen) > size:
                break
            out.write(line)


def _measure(export: Path, size: int, tmp: Path, repeat: int) -> dict[str, Any]:
    runs = []
    for run in range(repeat):
        url = f"sqlite:///{tmp / f'kaa-{size}-{run}.db'}"
        open_store(url, municipality=KOMMUN, actor="bench", create=True).close()
        runs.append(
            {
                "read": timed_child(READ, str(export)),
                "first_sync": timed_child(SYNC, str(export), url),
                "second_sync": timed_child(SYNC, str(export), url),
            }
        )
    with open_store(url, municipality=KOMMUN, actor="bench") as store:
        open_cases = sum(1 for _ in store.cases(purpose="benchmark", open_on=DAY))
    found: dict[str, Any] = {
        "n": size,
        "file_mb": round(export.stat().st_size / 1e6, 1),
        "open_cases": open_cases,
    }
    flat = [{k: r[k]["cpu"] for k in r} for r in runs]
    for name in ("read", "first_sync", "second_sync"):
        found[f"{name}_cpu_s"] = spread([r[name] for r in flat])
        found[f"{name}_peak_rss_mb"] = round(max(r[name]["peak_rss_kib"] for r in runs) / 1024, 1)
        found[f"_{name}_kib"] = [r[name]["peak_rss_kib"] for r in runs]
    for name in ("first_sync", "second_sync"):
        found[f"ratio_{name}_over_read"] = ratios(flat, name, "read")
    return found


def _figures(results: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    figures: list[dict[str, Any] | None] = []
    for r in results:
        for name, label in (("first_sync", "first"), ("second_sync", "second")):
            figures.append(
                entry(
                    f"sync ({label}) / read the export",
                    r["n"],
                    r[f"ratio_{name}_over_read"],
                    peak_kib=r[f"_{name}_kib"],
                )
            )
    small, large = results[0], results[-1]
    for name, path in (
        ("read", "sync: the ist read alone, peak memory per youth of the register"),
        ("first_sync", "sync (first): peak memory per youth of the register"),
        ("second_sync", "sync (second): peak memory per youth of the register"),
    ):
        key = f"_{name}_kib"
        figures.append(memory_entry(path, small["n"], small[key], large["n"], large[key]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_sync.json", noun="youths")
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / f"ist-{chosen[-1]}.csv"
        _generate(chosen[-1], big)
        exports = []
        for size in chosen[:-1]:
            exports.append(tmp / f"ist-{size}.csv")
            _cut(big, size, exports[-1])
        exports.append(big)
        results = [
            _measure(export, size, tmp, args.repeat)
            for size, export in zip(chosen, exports, strict=True)
        ]
    figures = _figures(results)
    for r in results:
        for key in [k for k in r if k.startswith("_")]:
            r.pop(key)
    summary = {"n": chosen[-1], "day": DAY.isoformat(), "sizes": results}
    write_results(__file__, summary, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
