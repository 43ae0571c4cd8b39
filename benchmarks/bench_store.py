"""Benchmark: the case store at national scale, against the JSON Lines file it replaces.

Generates N cases open on one day (default 65,000, the upper end of the youths reported
nationally per half-year) with :func:`kaa.testing.synthetic.synthetic_cases` (synthetic
interim numbers, which can never be a real personnummer), all of Askersund (1882), written as
a canonical cases file, and a file of its first N/10 cases. Then, for each backend (the
embedded SQLite store, and PostgreSQL on a throw-away server started the way the tests start
one, ``tests/pgserver.py``, when its programs are installed), each step in a fresh child
process:

- ``import``: ``kaa.store.import_cases`` of the N cases into an empty store (and of the
  N/10 into another), in batches of 500;
- ``record``: one contact recorded on each of 200 open cases, in the store of N/10 cases and
  in the store of N cases: the cost of one event must not grow with the store (no whole-store
  rewrite, no scan of every case); ratio ≈ 1;
- ``load``: every case from the store (``store.cases``) against every case from the JSON
  Lines file (``read_cases``): ratio ≤ 1.5;
- ``worklist``: the worklist for the day from the store's cases open on the day against the
  worklist from the JSON Lines file (``kaa.build_worklist``, as ``bench_worklist.py``):
  ratio ≤ 1.5.

Times are each child's **CPU time** (the house style: ratios against a baseline measured in
the same run, the best of ``--repeat``); the store's CPU time includes SQLite's own work, but
not a PostgreSQL server's, so for PostgreSQL the recording ratio is also given in wall-clock
time (the median event). Results are printed and written to ``benchmarks/out/bench_store.json``.
Usage::

    python benchmarks/bench_store.py [--n 65000] [--repeat 3] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.testing.synthetic import synthetic_cases

PERIOD = HalfYear(year=2026, half=2)
DAY = dt.date(2026, 12, 1)
RECORDED = 200
"""Events recorded per store by the ``record`` step."""

TESTS = Path(__file__).resolve().parents[1] / "tests"
"""Where ``pgserver.py`` (the throw-away PostgreSQL server of the tests) lives."""

IMPORT = """
import sys, time
from pathlib import Path
from kaa.store import import_cases, open_store
url, path = sys.argv[1], Path(sys.argv[2])
store = open_store(url, municipality="1882", actor="bench", create=True)
wall, cpu = time.perf_counter(), time.process_time()
summary = import_cases(store, path)
print(time.process_time() - cpu, time.perf_counter() - wall, len(summary.case_ids), summary.ok)
"""

RECORD = """
import datetime as dt, random, statistics, sys, time
from kaa.model.case import Channel, Contact, ContactOutcome
from kaa.store import Event, open_store
url, count, day = sys.argv[1], int(sys.argv[2]), dt.date.fromisoformat(sys.argv[3])
store = open_store(url, municipality="1882", actor="bench")
ids = [s.case_id for s in store.cases(purpose="bench", open_on=day)]
chosen = random.Random(2026).sample(ids, count)
walls = []
cpu = time.process_time()
for case_id in chosen:
    wall = time.perf_counter()
    store.record(case_id, Event(data=Contact(
        day=day, channel=Channel.LETTER, outcome=ContactOutcome.SENT)))
    walls.append(time.perf_counter() - wall)
print((time.process_time() - cpu) / count, statistics.median(walls), len(ids))
"""

LOAD_FILE = """
import datetime as dt, sys, time
from pathlib import Path
from kaa.formats.cases import read_cases
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
cases = list(read_cases(Path(sys.argv[1]), reference_day=day))
print(time.process_time() - cpu, len(cases))
"""

LOAD_STORE = """
import sys, time
from kaa.store import open_store
store = open_store(sys.argv[1], municipality="1882", actor="bench")
cpu = time.process_time()
cases = [s.case for s in store.cases(purpose="bench")]
print(time.process_time() - cpu, len(cases))
"""

WORKLIST_FILE = """
import datetime as dt, sys, time
from pathlib import Path
from kaa import build_worklist
from kaa.formats.cases import read_cases
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
worklist = build_worklist(list(read_cases(Path(sys.argv[1]), reference_day=day)), on=day)
print(time.process_time() - cpu, worklist.cases, len(worklist))
"""

WORKLIST_STORE = """
import datetime as dt, sys, time
from kaa import build_worklist
from kaa.store import open_store
store = open_store(sys.argv[1], municipality="1882", actor="bench")
day = dt.date.fromisoformat(sys.argv[2])
cpu = time.process_time()
cases = [s.case for s in store.cases(purpose="worklist", open_on=day)]
worklist = build_worklist(cases, on=day)
print(time.process_time() - cpu, worklist.cases, len(worklist))
"""


def _child(code: str, *args: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; return the fields it printed."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return result.stdout.split()


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


def _best(code: str, repeat: int, *args: str) -> tuple[float, list[str]]:
    """The least CPU time of ``repeat`` runs, and the other fields of the last."""
    times, fields = [], []
    for _ in range(repeat):
        first, *fields = _child(code, *args)
        times.append(float(first))
    return min(times), fields


def _measure(url_small: str, url: str, small: Path, path: Path, repeat: int) -> dict[str, Any]:
    day = DAY.isoformat()
    found: dict[str, Any] = {}
    cpu, wall, imported, ok = _child(IMPORT, url_small, str(small))
    found["import_small_cpu_s"] = round(float(cpu), 2)
    cpu, wall, imported, ok = _child(IMPORT, url, str(path))
    assert ok == "True", "the import refused cases"
    found["import_cases"] = int(imported)
    found["import_cpu_s"] = round(float(cpu), 2)
    found["import_wall_s"] = round(float(wall), 2)
    found["import_ms_per_case"] = round(float(wall) / int(imported) * 1000, 2)
    file_s, _ = _best(LOAD_FILE, repeat, str(path), day)
    store_s, fields = _best(LOAD_STORE, repeat, url)
    found["load_file_cpu_s"] = round(file_s, 2)
    found["load_store_cpu_s"] = round(store_s, 2)
    found["load_store_cases"] = int(fields[0])
    found["ratio_load_store_over_file"] = round(store_s / file_s, 2)
    file_s, file_fields = _best(WORKLIST_FILE, repeat, str(path), day)
    store_s, store_fields = _best(WORKLIST_STORE, repeat, url, day)
    assert file_fields == store_fields, (file_fields, store_fields)
    found["worklist_cases"], found["worklist_items"] = map(int, store_fields)
    found["worklist_file_cpu_s"] = round(file_s, 2)
    found["worklist_store_cpu_s"] = round(store_s, 2)
    found["ratio_worklist_store_over_file"] = round(store_s / file_s, 2)
    # last: the events it records change the cases (and so the worklist)
    small_cpu, small_wall, large_cpu, large_wall = [], [], [], []
    for _ in range(repeat):
        cpu_s, wall_s, _ = _child(RECORD, url_small, str(RECORDED), day)
        small_cpu.append(float(cpu_s))
        small_wall.append(float(wall_s))
        cpu_s, wall_s, _ = _child(RECORD, url, str(RECORDED), day)
        large_cpu.append(float(cpu_s))
        large_wall.append(float(wall_s))
    found["record_small_cpu_ms"] = round(min(small_cpu) * 1000, 3)
    found["record_cpu_ms"] = round(min(large_cpu) * 1000, 3)
    found["record_small_median_wall_ms"] = round(min(small_wall) * 1000, 3)
    found["record_median_wall_ms"] = round(min(large_wall) * 1000, 3)
    found["ratio_record_large_over_small_cpu"] = round(min(large_cpu) / min(small_cpu), 2)
    found["ratio_record_large_over_small_wall"] = round(min(large_wall) / min(small_wall), 2)
    return found


@contextlib.contextmanager
def _postgres() -> Iterator[tuple[str, str] | str]:
    """Two fresh databases on a throw-away server, or the reason there is none."""
    sys.path.insert(0, str(TESTS))
    try:
        import pgserver  # the tests' throw-away server (tests/pgserver.py)
    except ImportError as exc:  # pragma: no cover - the repository always has it
        yield f"tests/pgserver.py cannot be imported: {exc}"
        return
    try:
        server = pgserver.PostgresServer().start()
    except pgserver.ServerUnavailable as exc:
        yield str(exc)
        return
    try:
        yield server.create_database("bench_small"), server.create_database("bench")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=65_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    results: dict[str, Any] = {"n": args.n, "small_n": args.n // 10, "day": DAY.isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        path, small = Path(tmp) / "cases.jsonl", Path(tmp) / "small.jsonl"
        results["cases_written"] = write_cases(_open_cases(args.n), path)
        with path.open(encoding="utf-8") as lines:
            small.write_text("".join(itertools.islice(lines, args.n // 10)), encoding="utf-8")
        results["file_mb"] = round(path.stat().st_size / 1e6, 1)
        if "sqlite" in backends:
            results["sqlite"] = _measure(
                f"sqlite:///{tmp}/small.db", f"sqlite:///{tmp}/kaa.db", small, path, args.repeat
            )
            results["sqlite"]["store_mb"] = round(Path(tmp, "kaa.db").stat().st_size / 1e6, 1)
        if "postgresql" in backends:
            with _postgres() as urls:
                if isinstance(urls, str):
                    results["postgresql"] = {"skipped": urls}
                else:
                    results["postgresql"] = _measure(*urls, small, path, args.repeat)
    _print(results)
    target = Path(__file__).parent / "out" / "bench_store.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _print(results: dict[str, Any], indent: str = "") -> None:
    for key, value in results.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print(value, indent + "  ")
        else:
            print(f"{indent}{key:>40}: {value}")


if __name__ == "__main__":
    main()
