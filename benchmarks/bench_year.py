"""Benchmark: ``kaa year`` for a region, against reading its register and loading its cases.

Generates N KAA cases of one municipality (default 60,000, the size of issue 17's row "kaa
year, a region"; Askersund's kommunkod 1882, which the whole set runs under) as its register
holds them at the end of the second half of 2026, with
:func:`kaa.testing.synthetic.synthetic_cases` (synthetic interim numbers, which can never be
a real personnummer), written as a canonical cases file, and the register's IST list export
of the same youths (:func:`kaa.testing.synthetic.ist_export_rows`: one row per enrolment or
certificate, with the youth's KAA registration). That the export lists exactly the youths
of the cases — the KAA register's own export, no youth of the age cohort outside it — is the
library's own choice of a region's data. Files of the first N/10 and N/2 cases (and their
youths' rows) are cut from them. Then, at each size, ``--repeat`` times, each in a fresh
child process (CPU seconds of each step, :func:`time.process_time`):

- ``baseline``: reading the register export with the reference reader
  (``open_source("ist", …)``, every record) and loading every case
  (``list(read_cases(...))``) — what the goal (≤ 3×) is relative to;
- ``year``: ``kaa year EXPORT --cases CASES --municipality 1882 --on DAY -o DIR`` (through
  :func:`kaa.cli.main`, so with the command's own garbage-collector threshold; imports
  before the clock starts): register, target group, not-registered list, worklist, SCB file
  and checks, the two committee reports, into a temporary directory;
- ``store``: the same with ``--store URL`` instead of ``--cases``, on a SQLite case store
  holding the same cases (imported beforehand, untimed; a fresh copy for every run, so that
  one run's audit entries do not weigh on the next). Its ratio is taken against the same
  baseline, loading the cases from the file.

Each run must write the SCB file (exit status 0), and the store's run must count the same
target group, not-registered youths, cases and worklist as the file's. Ratios are taken
within each run (its own baseline) and given as min/median/max over the runs; peak memory is
each child's maximum resident set size, with the bytes per case from the smallest size to
the largest. Whole processes (interpreter start included) are given too. Results are printed
with the goals of ``summary.py`` beside them and written to ``benchmarks/out/bench_year.json``.
Usage::

    python benchmarks/bench_year.py [--n 60000] [--sizes SIZE ...] [--repeat 3] [--quick]
                                    [--no-store]

``--quick`` measures N = 2,000; ``--no-store`` leaves out the store (its import takes about
2.5 ms a case).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

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

from kaa.formats.cases import write_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.store import import_cases, open_store
from kaa.testing.synthetic import IST_EXPORT_COLUMNS, ist_export_rows, synthetic_cases

PERIOD = HalfYear(year=2026, half=2)
DAY = PERIOD.last_day
"""The day of the run: the cases are as of it (``synthetic_cases``)."""
KOMMUN = "1882"
N, QUICK_N = 60_000, 2_000

BASELINE = """
import datetime as dt, json, sys, time
from pathlib import Path
from kaa.adapters import SourceSummary, open_source
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.plugins.manager import Hooks
register, cases_file, day = Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3])
hooks = Hooks.default()
read = SourceSummary(file=str(register))
cpu = time.process_time
start = cpu()
records = sum(1 for _ in open_source("ist", register, summary=read, reference_day=day,
                                     hooks=hooks))
between = cpu()
loaded = ReadSummary(file=str(cases_file))
cases = list(read_cases(cases_file, summary=loaded, reference_day=day))
done = cpu()
print(json.dumps({"register": between - start, "load": done - between, "baseline": done - start,
                  "records": records, "rejected": read.rows_rejected + loaded.rows_rejected,
                  "cases": len(cases)}))
"""

YEAR = """
import io, json, re, sys, time
from kaa.cli import main
import kaa.commands.year
err, cpu = io.StringIO(), time.process_time
sys.stderr, stderr = err, sys.stderr
start = cpu()
code = main(sys.argv[1:])
spent = cpu() - start
sys.stderr = stderr
text = err.getvalue()
counts = re.search(r"(\\d+) youths in the target group, (\\d+) of them not registered; "
                   r"(\\d+) KAA cases; worklist: (\\d+) rows \\((\\d+) items\\)", text)
if code != 0 or counts is None:
    sys.stderr.write(text[-4000:])
    sys.exit(code or 3)
print(json.dumps({"year": spent, "exit": code, "counts": [int(c) for c in counts.groups()]}))
"""


def _with_register(cases: Iterable[Case], exports: Sequence[tuple[int, IO[str]]]) -> Iterator[Case]:
    """The cases, unchanged; as each passes, its youth's rows are written to every export
    whose size it is within."""
    for index, case in enumerate(cases):
        lines = "".join(";".join(row) + "\r\n" for row in ist_export_rows(case.youth, case, on=DAY))
        for size, out in exports:
            if index < size:
                out.write(lines)
        yield case


def _files(chosen: list[int], tmp: Path) -> list[tuple[Path, Path]]:
    """The register export and the cases file of every size (the smaller ones the first
    cases of the largest, and their youths' rows), generated in one pass."""
    registers = [tmp / f"ist-{size}.csv" for size in chosen]
    cases = [tmp / f"cases-{size}.jsonl" for size in chosen]
    with ExitStack() as files:
        exports = []
        for size, path in zip(chosen, registers, strict=True):
            out = files.enter_context(path.open("w", encoding="cp1252", newline=""))
            out.write(";".join(IST_EXPORT_COLUMNS) + "\r\n")
            exports.append((size, out))
        generated = synthetic_cases(chosen[-1], period=PERIOD, municipality=KOMMUN, unique=True)
        write_cases(_with_register(generated, exports), cases[-1])
    for size, path in zip(chosen[:-1], cases[:-1], strict=True):
        with cases[-1].open(encoding="utf-8") as lines:
            path.write_text("".join(itertools.islice(lines, size)), encoding="utf-8")
    return list(zip(registers, cases, strict=True))


def _store(cases: Path, path: Path) -> None:
    """A SQLite case store at ``path`` holding every case of ``cases``."""
    with open_store(f"sqlite:///{path}", municipality=KOMMUN, actor="bench", create=True) as s:
        imported = import_cases(s, cases)
    if not imported.ok:
        raise RuntimeError(f"the store refused cases: {imported}")


def _year(register: Path, out: Path, *documentation: str) -> dict[str, Any]:
    args = [str(register), *documentation, "--municipality", KOMMUN, "--on", DAY.isoformat()]
    done = timed_child(YEAR, "year", *args, "-o", str(out))
    shutil.rmtree(out)
    return done


def _measure(
    register: Path, cases: Path, size: int, tmp: Path, repeat: int, *, store: bool
) -> dict[str, Any]:
    day = DAY.isoformat()
    pristine = tmp / f"kaa-{size}.db"
    if store:
        _store(cases, pristine)
    runs: list[dict[str, Any]] = []
    for _ in range(repeat):
        run = {
            "baseline": timed_child(BASELINE, str(register), str(cases), day),
            "year": _year(register, tmp / "out", "--cases", str(cases)),
        }
        if store:
            copy = tmp / "kaa-run.db"
            shutil.copyfile(pristine, copy)
            run["store"] = _year(register, tmp / "out", "--store", f"sqlite:///{copy}")
            copy.unlink()
            if run["store"]["counts"] != run["year"]["counts"]:
                raise RuntimeError(f"the store's run differs: {run['store']} {run['year']}")
        if run["baseline"]["rejected"]:
            raise RuntimeError(f"rows rejected in the generated files: {run['baseline']}")
        runs.append(run)
    if store:
        pristine.unlink()
    first = runs[0]
    target, missing, kaa_cases, rows, items = first["year"]["counts"]
    found: dict[str, Any] = {
        "n": size,
        "register_mb": round(register.stat().st_size / 1e6, 1),
        "cases_mb": round(cases.stat().st_size / 1e6, 1),
        "register_records": first["baseline"]["records"],
        "cases_loaded": first["baseline"]["cases"],
        "in_target_group": target,
        "not_registered": missing,
        "kaa_cases": kaa_cases,
        "worklist_rows": rows,
        "worklist_items": items,
    }
    flat = [
        {
            "register": r["baseline"]["register"],
            "load": r["baseline"]["load"],
            "baseline": r["baseline"]["baseline"],
            "year": r["year"]["year"],
            "baseline_process": r["baseline"]["process_cpu_s"],
            "year_process": r["year"]["process_cpu_s"],
            **(
                {"store": r["store"]["year"], "store_process": r["store"]["process_cpu_s"]}
                if store
                else {}
            ),
        }
        for r in runs
    ]
    steps = ("register", "load", "baseline", "year", *(("store",) if store else ()))
    for name in steps:
        found[f"{name}_cpu_s"] = spread([r[name] for r in flat])
    for name in ("year", *(("store",) if store else ())):
        found[f"ratio_{name}_over_baseline"] = ratios(flat, name, "baseline")
        found[f"ratio_{name}_process_over_baseline_process"] = ratios(
            flat, f"{name}_process", "baseline_process"
        )
    for name in ("baseline", "year", *(("store",) if store else ())):
        kib = [r[name]["peak_rss_kib"] for r in runs]
        found[f"{name}_peak_rss_mb"] = round(max(kib) / 1024, 1)
        found[f"_{name}_kib"] = kib
    return found


FIGURES = (
    ("year", "kaa year (a region) / read the register + load the cases"),
    ("store", "kaa year (a region, --store sqlite) / read the register + load the cases"),
)


def _figures(results: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    figures: list[dict[str, Any] | None] = []
    for r in results:
        for name, path in FIGURES:
            if f"ratio_{name}_over_baseline" in r:
                figures.append(
                    entry(
                        path, r["n"], r[f"ratio_{name}_over_baseline"], peak_kib=r[f"_{name}_kib"]
                    )
                )
    small, large = results[0], results[-1]
    for name, label in (
        ("baseline", "read the register + load the cases"),
        ("year", "kaa year (a region)"),
        ("store", "kaa year (a region, --store sqlite)"),
    ):
        key = f"_{name}_kib"
        if key in small:
            figures.append(
                memory_entry(
                    f"{label}: peak memory per case", small["n"], small[key], large["n"], large[key]
                )
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_year.json", noun="cases")
    parser.add_argument(
        "--no-store", action="store_true", help="leave out kaa year on a SQLite case store"
    )
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for size, (register, cases) in zip(chosen, _files(chosen, tmp), strict=True):
            results.append(
                _measure(register, cases, size, tmp, args.repeat, store=not args.no_store)
            )
            print(f"{size:>8} cases: measured", file=sys.stderr)
    figures = _figures(results)
    for r in results:
        for key in [k for k in r if k.startswith("_")]:
            r.pop(key)
    summary = {
        "n": chosen[-1],
        "day": DAY.isoformat(),
        "municipality": KOMMUN,
        "store": not args.no_store,
        "sizes": results,
    }
    write_results(__file__, summary, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
