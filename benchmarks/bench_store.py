"""Benchmark: the case store at national scale, against the JSON Lines file it replaces.

Generates N cases open on one day (default 65,000, the upper end of the youths reported
nationally per half-year) with :func:`kaa.testing.synthetic.synthetic_cases` (synthetic
interim numbers, which can never be a real personnummer), all of Askersund (1882), written as
a canonical cases file, and files of its first N/10 and N/2 cases. Then, for each backend
(the embedded SQLite store, and PostgreSQL on a throw-away server started the way the tests
start one, ``tests/pgserver.py``, when its programs are installed), at each size, each step in
a fresh child process:

- ``import``: ``kaa.store.import_cases`` of the cases into an empty store, in batches of 500
  (once per size: it builds the store the other steps read);
- ``load``: every case from the store (``store.cases``) against every case from the JSON
  Lines file (``read_cases``): ratio ≤ 1.5;
- ``worklist``: the worklist for the day from the store's cases open on the day against the
  worklist from the JSON Lines file (``kaa.build_worklist``, as ``bench_worklist.py``):
  ratio ≤ 1.5;
- ``record``: one contact recorded on each of 200 open cases (last: it changes the cases):
  the cost of one event must not grow with the store (no whole-store rewrite, no scan of
  every case) — its CPU time per event at each size over that at the smallest, run by run:
  ratio ≈ 1.

Times are each child's **CPU time** (the house style: ratios against a baseline measured in
the same run, min/median/max over ``--repeat`` runs); the store's CPU time includes SQLite's
own work, but not a PostgreSQL server's, so for PostgreSQL the recording ratio is also given
in wall-clock time (the median event). Results are printed with the goals of ``summary.py``
beside them and written to ``benchmarks/out/bench_store.json``. Usage::

    python benchmarks/bench_store.py [--n 65000] [--sizes SIZE ...] [--repeat 3] [--quick]
                                     [--backends sqlite,postgresql]

``--quick`` measures N = 2,000.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _measure import (
    add_size_options,
    chosen_sizes,
    entry,
    ratios,
    spread,
    timed_child,
    write_results,
)

from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(year=2026, half=2)
DAY = dt.date(2026, 12, 1)
N, QUICK_N = 65_000, 2_000
RECORDED = 200
"""Events recorded per store by the ``record`` step."""

TESTS = Path(__file__).resolve().parents[1] / "tests"
"""Where ``pgserver.py`` (the throw-away PostgreSQL server of the tests) lives."""

IMPORT = """
import json, sys, time
from pathlib import Path
from kaa.store import import_cases, open_store
url, path = sys.argv[1], Path(sys.argv[2])
store = open_store(url, municipality="1882", actor="bench", create=True)
wall, cpu = time.perf_counter(), time.process_time()
summary = import_cases(store, path)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "cases": len(summary.case_ids), "ok": summary.ok}))
"""

RECORD = """
import datetime as dt, json, random, statistics, sys, time
from kaa.model.case import Channel, Contact, ContactOutcome
from kaa.store import Event, open_store
url, count, day = sys.argv[1], int(sys.argv[2]), dt.date.fromisoformat(sys.argv[3])
store = open_store(url, municipality="1882", actor="bench")
ids = [s.case_id for s in store.cases(purpose="bench", open_on=day)]
chosen = random.Random(2026).sample(ids, min(count, len(ids)))
walls = []
cpu = time.process_time()
for case_id in chosen:
    wall = time.perf_counter()
    store.record(case_id, Event(data=Contact(
        day=day, channel=Channel.LETTER, outcome=ContactOutcome.SENT)))
    walls.append(time.perf_counter() - wall)
print(json.dumps({"cpu": (time.process_time() - cpu) / len(chosen),
                  "wall": statistics.median(walls), "open": len(ids)}))
"""

LOAD_FILE = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
print(json.dumps({"cpu": time.process_time() - cpu, "cases": len(cases)}))
"""

LOAD_STORE = """
import json, sys, time
from kaa.store import open_store
store = open_store(sys.argv[1], municipality="1882", actor="bench")
cpu = time.process_time()
cases = [s.case for s in store.cases(purpose="bench")]
print(json.dumps({"cpu": time.process_time() - cpu, "cases": len(cases)}))
"""

WORKLIST_FILE = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa import build_worklist
from kaa.formats.cases import read_cases
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
worklist = build_worklist(list(read_cases(Path(sys.argv[1]), reference_day=day)), on=day)
print(json.dumps({"cpu": time.process_time() - cpu, "cases": worklist.cases,
                  "items": len(worklist)}))
"""

WORKLIST_STORE = """
import datetime as dt, json, sys, time
from kaa import build_worklist
from kaa.store import open_store
store = open_store(sys.argv[1], municipality="1882", actor="bench")
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
cases = [s.case for s in store.cases(purpose="worklist", open_on=day)]
worklist = build_worklist(cases, on=day)
print(json.dumps({"cpu": time.process_time() - cpu, "cases": worklist.cases,
                  "items": len(worklist)}))
"""


def _open_cases(n: int) -> Iterator[Case]:
    """``n`` cases of 1882 open on DAY: generated in surplus, the closed ones dropped."""
    made = 0
    for case in synthetic_cases(n * 2, period=PERIOD, unique=True):
        if made == n:
            return
        if case.open_on(DAY):
            made += 1
            yield case
    raise RuntimeError(f"only {made} open cases could be generated")


def _measure(urls: list[str], paths: list[Path], chosen: list[int], repeat: int) -> dict[str, Any]:
    """Every step at every size in one backend (``urls``: one empty database a size)."""
    day = DAY.isoformat()
    found: dict[str, Any] = {"sizes": []}
    imports = [timed_child(IMPORT, url, str(path)) for url, path in zip(urls, paths, strict=True)]
    for imported in imports:
        assert imported["ok"], "the import refused cases"
    records: list[list[dict[str, Any]]] = [[] for _ in chosen]
    for size, url, path, imported in zip(chosen, urls, paths, imports, strict=True):
        load = [
            {"file": timed_child(LOAD_FILE, str(path), day), "store": timed_child(LOAD_STORE, url)}
            for _ in range(repeat)
        ]
        work = [
            {
                "file": timed_child(WORKLIST_FILE, str(path), day),
                "store": timed_child(WORKLIST_STORE, url, day),
            }
            for _ in range(repeat)
        ]
        for run in work:
            file_fields = (run["file"]["cases"], run["file"]["items"])
            store_fields = (run["store"]["cases"], run["store"]["items"])
            assert file_fields == store_fields, (file_fields, store_fields)
        flat_load = [{"file": r["file"]["cpu"], "store": r["store"]["cpu"]} for r in load]
        flat_work = [{"file": r["file"]["cpu"], "store": r["store"]["cpu"]} for r in work]
        found["sizes"].append(
            {
                "n": size,
                "import_cases": imported["cases"],
                "import_cpu_s": round(imported["cpu"], 2),
                "import_wall_s": round(imported["wall"], 2),
                "import_ms_per_case": round(imported["wall"] / max(imported["cases"], 1) * 1000, 2),
                "import_peak_rss_mb": round(imported["peak_rss_kib"] / 1024, 1),
                "load_store_cases": load[0]["store"]["cases"],
                "load_file_cpu_s": spread([r["file"] for r in flat_load]),
                "load_store_cpu_s": spread([r["store"] for r in flat_load]),
                "ratio_load_store_over_file": ratios(flat_load, "store", "file"),
                "load_store_peak_rss_mb": round(
                    max(r["store"]["peak_rss_kib"] for r in load) / 1024, 1
                ),
                "worklist_cases": work[0]["store"]["cases"],
                "worklist_items": work[0]["store"]["items"],
                "worklist_file_cpu_s": spread([r["file"] for r in flat_work]),
                "worklist_store_cpu_s": spread([r["store"] for r in flat_work]),
                "ratio_worklist_store_over_file": ratios(flat_work, "store", "file"),
                "worklist_store_peak_rss_mb": round(
                    max(r["store"]["peak_rss_kib"] for r in work) / 1024, 1
                ),
                "_load_kib": [r["store"]["peak_rss_kib"] for r in load],
                "_work_kib": [r["store"]["peak_rss_kib"] for r in work],
            }
        )
    # last: the events it records change the cases (and so the worklist); the sizes in turn
    # within each run, so that a slow moment of the machine slows every size of that run
    for _ in range(repeat):
        for url, recorded in zip(urls, records, strict=True):
            recorded.append(timed_child(RECORD, url, str(RECORDED), day))
    smallest = records[0]
    for at, recorded in zip(found["sizes"], records, strict=True):
        at["record_cpu_ms"] = spread([r["cpu"] * 1000 for r in recorded])
        at["record_median_wall_ms"] = spread([r["wall"] * 1000 for r in recorded])
        at["ratio_record_over_smallest_cpu"] = spread(
            [r["cpu"] / s["cpu"] for r, s in zip(recorded, smallest, strict=True)], 2
        )
        at["ratio_record_over_smallest_wall"] = spread(
            [r["wall"] / s["wall"] for r, s in zip(recorded, smallest, strict=True)], 2
        )
        at["_record_kib"] = [r["peak_rss_kib"] for r in recorded]
    return found


def _figures(backend: str, found: dict[str, Any]) -> list[dict[str, Any]]:
    figures = []
    for i, at in enumerate(found["sizes"]):
        n = at["n"]
        figures.append(
            entry(
                f"store ({backend}): load every case / from JSON Lines",
                n,
                at["ratio_load_store_over_file"],
                peak_kib=at["_load_kib"],
            )
        )
        figures.append(
            entry(
                f"store ({backend}): worklist / from the JSON Lines file",
                n,
                at["ratio_worklist_store_over_file"],
                peak_kib=at["_work_kib"],
            )
        )
        if i:
            figures.append(
                entry(
                    f"store ({backend}): record one event, this size over the smallest",
                    n,
                    at["ratio_record_over_smallest_cpu"],
                    peak_kib=at["_record_kib"],
                )
            )
            figures.append(
                entry(
                    f"store ({backend}): record one event, this size over the smallest (wall)",
                    n,
                    at["ratio_record_over_smallest_wall"],
                )
            )
        figures.append(
            entry(
                f"store ({backend}): import, ms a case (wall)",
                n,
                [at["import_ms_per_case"]],
                unit="ms",
            )
        )
    for at in found["sizes"]:
        for key in ("_load_kib", "_work_kib", "_record_kib"):
            at.pop(key, None)
    return figures


@contextlib.contextmanager
def _postgres(count: int) -> Iterator[list[str] | str]:
    """``count`` fresh databases on a throw-away server, or the reason there is none."""
    sys.path.insert(0, str(TESTS))
    try:
        import pgserver  # type: ignore[import-not-found]  # the tests' server (tests/pgserver.py)
    except ImportError as exc:  # pragma: no cover - the repository always has it
        yield f"tests/pgserver.py cannot be imported: {exc}"
        return
    try:
        server = pgserver.PostgresServer().start()
    except pgserver.ServerUnavailable as exc:
        yield str(exc)
        return
    try:
        yield [server.create_database(f"bench_{i}") for i in range(count)]
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_store.json", noun="cases")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    results: dict[str, Any] = {"n": chosen[-1], "day": DAY.isoformat()}
    figures: list[dict[str, Any] | None] = []
    not_measured: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"cases-{size}.jsonl" for size in chosen]
        results["cases_written"] = write_cases(_open_cases(chosen[-1]), paths[-1])
        for size, path in zip(chosen[:-1], paths[:-1], strict=True):
            with paths[-1].open(encoding="utf-8") as lines:
                path.write_text("".join(itertools.islice(lines, size)), encoding="utf-8")
        results["file_mb"] = round(paths[-1].stat().st_size / 1e6, 1)
        if "sqlite" in backends:
            urls = [f"sqlite:///{tmp}/kaa-{size}.db" for size in chosen]
            results["sqlite"] = _measure(urls, paths, chosen, args.repeat)
            for at in results["sqlite"]["sizes"]:
                at["store_mb"] = round(Path(tmp, f"kaa-{at['n']}.db").stat().st_size / 1e6, 1)
            figures += _figures("sqlite", results["sqlite"])
        if "postgresql" in backends:
            with _postgres(len(chosen)) as server:
                if isinstance(server, str):
                    results["postgresql"] = {"skipped": server}
                    not_measured += [
                        {"path": f"store (postgresql): {what}", "reason": server}
                        for what in (
                            "load every case / from JSON Lines",
                            "worklist / from the JSON Lines file",
                            "record one event, this size over the smallest",
                        )
                    ]
                else:
                    results["postgresql"] = _measure(server, paths, chosen, args.repeat)
                    figures += _figures("postgresql", results["postgresql"])
    results["not_measured"] = not_measured
    write_results(__file__, results, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
