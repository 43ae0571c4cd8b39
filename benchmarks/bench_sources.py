"""Benchmark: reading an IST-profile export with the ``ist`` source, against the stdlib csv module.

Generates N synthetic youths (default 560,000 — Sweden's 16–19 cohort; synthetic interim
numbers, which can never be a real personnummer) as an IST list export in the shape Excel
with Swedish settings writes: Windows-1252, ``;``-separated, CRLF, Swedish headings, one row
per enrolment or certificate (a youth's rows together). Then measures, in the same run and
each in a fresh subprocess:

- ``csv``: decoding and splitting every row with the standard library's ``csv`` module alone;
- ``ist``: ``kaa.adapters.open_source("ist", FILE)`` — detect the encoding and separator,
  resolve the headings, parse identity numbers, dates and codes, build every youth and count
  every row.

Peak memory is each child's maximum resident set size. The ``ist`` read is repeated with N/10
youths to show how memory grows with the file.

**Workbooks.** The same kind of rows for ``--xlsx-n`` youths (default 60,000) are also written
as an ``.xlsx`` workbook (openpyxl) and as CSV, and measured:

- ``csv``: the stdlib ``csv`` module over the CSV of those rows (the baseline);
- ``xlsx calamine``: the ``ist`` source reading the workbook through python-calamine (the
  default when it is installed);
- ``xlsx openpyxl``: the same read through openpyxl (``engine="openpyxl"``, what is used
  without python-calamine).

Each is reported as a ratio to the ``csv`` baseline on the same rows, and the two readers as
a ratio to each other. Results are printed and written to
``benchmarks/out/bench_sources.json``. Usage::

    python benchmarks/bench_sources.py [--n 560000] [--xlsx-n 60000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from _measure import peak_rss_kib, seconds

from kaa.model.youth import Youth
from kaa.testing.synthetic import synthetic_youths

DAY = dt.date(2026, 11, 23)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=560_000)
    parser.add_argument("--xlsx-n", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, object] = {"n": args.n}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "ist.csv"
        small = Path(tmp) / "ist-small.csv"
        results["rows"] = _generate(args.n, big)
        _generate(args.n // 10, small)
        results["file_mb"] = round(big.stat().st_size / 1e6, 1)
        csv_cmd = [sys.executable, "-c", CSV_ONLY, str(big)]
        ist_cmd = [sys.executable, "-c", IST_READ, str(big)]
        csv_times = [seconds(csv_cmd) for _ in range(args.repeat)]
        ist_times = [seconds(ist_cmd) for _ in range(args.repeat)]
        csv_s, ist_s = min(csv_times), min(ist_times)
        results["csv_parse_s"] = round(csv_s, 2)
        results["ist_read_s"] = round(ist_s, 2)
        results["ratio_ist_over_csv"] = round(ist_s / csv_s, 2)
        results["youths_per_s"] = round(args.n / ist_s)
        results["csv_peak_rss_mb"] = round(peak_rss_kib(csv_cmd) / 1024, 1)
        results["ist_peak_rss_mb"] = round(peak_rss_kib(ist_cmd) / 1024, 1)
        results["ist_peak_rss_mb_at_n_over_10"] = round(
            peak_rss_kib([sys.executable, "-c", IST_READ, str(small)]) / 1024, 1
        )
        workbook, same_rows = Path(tmp) / "ist.xlsx", Path(tmp) / "ist-xlsx-rows.csv"
        results["xlsx_n"] = args.xlsx_n
        results["xlsx_rows"] = _generate_xlsx(args.xlsx_n, workbook, same_rows)
        results["xlsx_file_mb"] = round(workbook.stat().st_size / 1e6, 1)
        base = min(
            seconds([sys.executable, "-c", CSV_ONLY, str(same_rows)]) for _ in range(args.repeat)
        )
        results["xlsx_rows_csv_parse_s"] = round(base, 3)
        for engine in ("calamine", "openpyxl"):
            cmd = [sys.executable, "-c", XLSX_READ, str(workbook), engine]
            took = min(seconds(cmd) for _ in range(args.repeat))
            results[f"xlsx_{engine}_read_s"] = round(took, 2)
            results[f"ratio_xlsx_{engine}_over_csv"] = round(took / base, 1)
            results[f"xlsx_{engine}_peak_rss_mb"] = round(peak_rss_kib(cmd) / 1024, 1)
        results["ratio_xlsx_openpyxl_over_calamine"] = round(
            results["xlsx_openpyxl_read_s"] / results["xlsx_calamine_read_s"],
            1,  # type: ignore[operator]
        )
    for key, value in results.items():
        print(f"{key:>30}: {value}")
    target = Path(__file__).parent / "out" / "bench_sources.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
