"""Benchmark: reading an IST-profile export with the ``ist`` source, against the stdlib csv module.

Generates N synthetic youths (default 560,000 — Sweden's 16–19 cohort; synthetic interim
numbers, which can never be a real personnummer) as an IST list export in the shape Excel
with Swedish settings writes: Windows-1252, ``;``-separated, CRLF, Swedish headings, one row
per enrolment or certificate (a youth's rows together), and files of its first N/10 and N/2
youths. Then measures at each size, ``--repeat`` times, each in a fresh subprocess (CPU
seconds, interpreter start included, and peak memory):

- ``csv``: decoding and splitting every row with the standard library's ``csv`` module alone
  — the baseline;
- ``ist``: ``kaa.adapters.open_source("ist", FILE)`` — detect the encoding and separator,
  resolve the headings, parse identity numbers, dates and codes, build every youth and count
  every row (to per-youth records);
- ``decisions``: ``kaa assess FILE --source ist`` with each engine (``--engine reference``,
  and ``--engine columnar`` where the command accepts it for this source; otherwise the JSON
  says why it was not measured) — the path of issue 17 measured to decisions.

The bytes of peak memory per youth between the smallest and the largest size show how the
reader's memory grows with the file.

**Workbooks.** The same kind of rows for ``--xlsx-n`` youths (default 60,000; at
``--xlsx-n``/10, /2 and ``--xlsx-n``) are also written as an ``.xlsx`` workbook (openpyxl)
and as CSV, and measured:

- ``csv``: the stdlib ``csv`` module over the CSV of those rows (the baseline);
- ``xlsx calamine``: the ``ist`` source reading the workbook through python-calamine (the
  default when it is installed);
- ``xlsx openpyxl``: the same read through openpyxl (``engine="openpyxl"``, what is used
  without python-calamine).

Each is reported as a ratio to the ``csv`` baseline on the same rows in the same run, and the
two readers as a ratio to each other; min/median/max over the runs. Results are printed with
the goals of ``summary.py`` beside them and written to ``benchmarks/out/bench_sources.json``.
Usage::

    python benchmarks/bench_sources.py [--n 560000] [--sizes SIZE ...] [--xlsx-n 60000]
                                       [--repeat 3] [--quick]

``--quick`` measures N = 5,600 and ``--xlsx-n`` 1,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _measure import (
    add_size_options,
    chosen_sizes,
    cpu_child,
    entry,
    memory_entry,
    spread,
    write_results,
)

from kaa.model.youth import Youth
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
N, QUICK_N, XLSX_N, QUICK_XLSX_N = 560_000, 5_600, 60_000, 1_000
HEAD = (
    "Personnummer;Förnamn;Efternamn;Folkbokföringskommun;Grundskola avslutad;Skolform;"
    "Programtyp;Startdatum;Slutdatum;Avbrott;Examen;Examensdatum"
)
FORMS = {
    "gymnasieskola": "GY",
    "anpassad_gymnasieskola": "GYS",
    "komvux": "VUX",
    "folkhogskola": "FHS",
}
PROGRAMMES = {"national": "NP", "introduction": "IM"}
QUALIFICATIONS = {
    "gymnasieexamen": "Examen",
    "studiebevis": "Studiebevis",
    "gymnasieintyg": "Gymnasieintyg",
}

CSV_ONLY = """
import csv, sys
rows = 0
with open(sys.argv[1], newline="", encoding="cp1252") as f:
    for row in csv.reader(f, delimiter=";"):
        rows += 1
print(rows)
"""

IST_READ = """
import datetime as dt, sys
from kaa.adapters import SourceSummary, open_source
summary = SourceSummary(file=sys.argv[1])
for _ in open_source("ist", sys.argv[1], summary=summary, reference_day=dt.date(2026, 11, 23)):
    pass
assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
print(summary)
"""


XLSX_READ = """
import datetime as dt, sys
import attrs
from kaa.adapters import SourceSummary, get_source
source = attrs.evolve(get_source("ist"), engine=sys.argv[2])
summary = SourceSummary(file=sys.argv[1])
for _ in source.read(sys.argv[1], summary=summary, reference_day=dt.date(2026, 11, 23),
                     on_problem=None):
    pass
assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
assert summary.rows_read > 0
print(summary)
"""


def _rows(youth: Youth) -> list[str]:
    ident = youth.id.full("long")
    home = youth.residences[0].municipality if youth.residences else ""
    done = youth.compulsory_school_completed
    base = [ident, "Test", "Testsson", home, done.strftime("%Y%m%d") if done else ""]
    rows = []
    for e in youth.enrolments:
        if e.school_form.value not in FORMS:
            continue
        rows.append(
            [
                *base,
                FORMS[e.school_form.value],
                PROGRAMMES.get(e.programme.value, ""),
                e.start.isoformat(),
                e.end.isoformat() if e.end else "",
                "Ja" if e.cancelled else "",
                "",
                "",
            ]
        )
    for q in youth.qualifications:
        if q.kind.value in QUALIFICATIONS:
            rows.append(
                [*base, "", "", "", "", "", QUALIFICATIONS[q.kind.value], q.issued.isoformat()]
            )
    return [";".join(r) for r in rows] or [";".join([*base, "", "", "", "", "", "", ""])]


def _generate(n: int, path: Path) -> int:
    count = 0
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write(HEAD + "\r\n")
        for youth in synthetic_youths(n, on=DAY, unique=True):
            for row in _rows(youth):
                f.write(row + "\r\n")
                count += 1
    return count


def _generate_xlsx(n: int, workbook: Path, text: Path) -> int:
    """The rows of :func:`_generate` for ``n`` youths as a workbook, and as CSV beside it."""
    import openpyxl

    count = _generate(n, text)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("KAA")
    with text.open(encoding="cp1252", newline="") as f:
        for line in f:
            sheet.append(line.rstrip("\r\n").split(";"))
    book.save(workbook)
    return count


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


def _assess(path: Path, out: Path, engine: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "kaa.cli",
        "assess",
        str(path),
        "--source",
        "ist",
        "--on",
        DAY.isoformat(),
        "-o",
        str(out),
        "--quiet",
        "--engine",
        engine,
    ]


def _engines(path: Path, tmp: Path) -> tuple[list[str], dict[str, str]]:
    """The engines ``kaa assess --source ist`` accepts, and why the others were left out."""
    usable, refused = [], {}
    for engine in ("reference", "columnar"):
        done = subprocess.run(
            _assess(path, tmp / "probe.csv", engine), capture_output=True, text=True
        )
        if done.returncode == 0:
            usable.append(engine)
        else:
            refused[engine] = done.stderr.strip().splitlines()[-1] if done.stderr else "failed"
    return usable, refused


def _per_run(work: list[tuple[float, int]], base: list[tuple[float, int]]) -> list[float]:
    return [w / b for (w, _), (b, _) in zip(work, base, strict=True)]


def _measure_ist(
    path: Path, size: int, tmp: Path, repeat: int, engines: list[str]
) -> dict[str, Any]:
    runs: dict[str, list[tuple[float, int]]] = {}
    for _ in range(repeat):
        runs.setdefault("csv", []).append(cpu_child([sys.executable, "-c", CSV_ONLY, str(path)]))
        runs.setdefault("ist", []).append(cpu_child([sys.executable, "-c", IST_READ, str(path)]))
        for engine in engines:
            runs.setdefault(engine, []).append(cpu_child(_assess(path, tmp / "d.csv", engine)))
    found: dict[str, Any] = {"n": size}
    for name, measured in runs.items():
        found[f"{name}_cpu_s"] = spread([c for c, _ in measured])
        found[f"{name}_peak_rss_mb"] = round(max(r for _, r in measured) / 1024, 1)
        if name != "csv":
            found[f"ratio_{name}_over_csv"] = spread(_per_run(measured, runs["csv"]), 2)
    found["youths_per_s_ist"] = round(size / statistics.median([c for c, _ in runs["ist"]]))
    found["_runs"] = runs
    return found


def _measure_xlsx(size: int, tmp: Path, repeat: int) -> dict[str, Any]:
    workbook, same_rows = tmp / f"ist-{size}.xlsx", tmp / f"ist-xlsx-rows-{size}.csv"
    found: dict[str, Any] = {"n": size, "rows": _generate_xlsx(size, workbook, same_rows)}
    found["file_mb"] = round(workbook.stat().st_size / 1e6, 1)
    runs: dict[str, list[tuple[float, int]]] = {}
    for _ in range(repeat):
        runs.setdefault("csv", []).append(
            cpu_child([sys.executable, "-c", CSV_ONLY, str(same_rows)])
        )
        for engine in ("calamine", "openpyxl"):
            runs.setdefault(engine, []).append(
                cpu_child([sys.executable, "-c", XLSX_READ, str(workbook), engine])
            )
    for name, measured in runs.items():
        found[f"{name}_cpu_s"] = spread([c for c, _ in measured])
        found[f"{name}_peak_rss_mb"] = round(max(r for _, r in measured) / 1024, 1)
        if name != "csv":
            found[f"ratio_xlsx_{name}_over_csv"] = spread(_per_run(measured, runs["csv"]), 2)
    found["ratio_xlsx_openpyxl_over_calamine"] = spread(
        _per_run(runs["openpyxl"], runs["calamine"]), 2
    )
    found["_runs"] = runs
    return found


def _figures(ist: list[dict[str, Any]], xlsx: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    figures: list[dict[str, Any] | None] = []
    for r in ist:
        runs = r["_runs"]
        figures.append(
            entry(
                "ist read to records / csv read",
                r["n"],
                r["ratio_ist_over_csv"],
                peak_kib=[k for _, k in runs["ist"]],
            )
        )
        for engine in ("reference", "columnar"):
            if engine in runs:
                figures.append(
                    entry(
                        f"ist → decisions ({engine}) / csv read",
                        r["n"],
                        r[f"ratio_{engine}_over_csv"],
                        peak_kib=[k for _, k in runs[engine]],
                    )
                )
    small, large = ist[0], ist[-1]
    for name, path in (
        ("ist", "ist read: peak memory per youth"),
        ("reference", "ist → decisions (reference): peak memory per youth"),
        ("columnar", "ist → decisions (columnar): peak memory per youth"),
    ):
        if name in small["_runs"]:
            figures.append(
                memory_entry(
                    path,
                    small["n"],
                    [k for _, k in small["_runs"][name]],
                    large["n"],
                    [k for _, k in large["_runs"][name]],
                )
            )
    for r in xlsx:
        for engine in ("calamine", "openpyxl"):
            figures.append(
                entry(
                    f"ist read of a workbook ({engine}) / csv read of the same rows",
                    r["n"],
                    r[f"ratio_xlsx_{engine}_over_csv"],
                    peak_kib=[k for _, k in r["_runs"][engine]],
                )
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_sources.json", noun="youths")
    parser.add_argument(
        "--xlsx-n",
        type=int,
        default=None,
        help=f"the workbook's N (default {XLSX_N:,}; {QUICK_XLSX_N:,} with --quick)",
    )
    args = parser.parse_args()
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    xlsx_n = args.xlsx_n or (QUICK_XLSX_N if args.quick else XLSX_N)
    results: dict[str, Any] = {"n": chosen[-1], "day": DAY.isoformat()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = tmp / f"ist-{chosen[-1]}.csv"
        results["rows"] = _generate(chosen[-1], big)
        results["file_mb"] = round(big.stat().st_size / 1e6, 1)
        paths = [tmp / f"ist-{size}.csv" for size in chosen[:-1]]
        for size, path in zip(chosen[:-1], paths, strict=True):
            _cut(big, size, path)
        paths.append(big)
        engines, refused = _engines(paths[0], tmp)
        results["engines"] = engines
        ist = [
            _measure_ist(path, size, tmp, args.repeat, engines)
            for size, path in zip(chosen, paths, strict=True)
        ]
        xlsx = [
            _measure_xlsx(size, tmp, args.repeat)
            for size in sorted({xlsx_n // 10, xlsx_n // 2, xlsx_n})
        ]
    figures = _figures(ist, xlsx)
    for r in (*ist, *xlsx):
        r.pop("_runs")
    results["sizes"] = ist
    results["xlsx_n"] = xlsx_n
    results["xlsx_sizes"] = xlsx
    results["not_measured"] = [
        {"path": f"ist → decisions ({engine}) / csv read", "reason": reason}
        for engine, reason in refused.items()
    ]
    write_results(__file__, results, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
