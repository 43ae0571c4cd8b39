"""The safeguard for the vendor profiles: a list export read over columns
(:mod:`kaa.columnar.profile`) gives byte for byte what the reference reader and ``assess``
give.

Exports in the shape of each built-in profile (IST, BER, Hypernet) are generated with
hostile rows mixed in — quoted cells, short and long rows, text after a closing quote, a
quote left open, unknown words, bad and odd dates, huge cells, wrong types, bad check
digits, returning youths, protected identity markings (known and unknown words, with and
without an address), partial addresses, disagreeing rows, cases without a registration day,
title rows, repeated heading rows, blank rows, Windows-1252 letters and line ends — on days
under all three versions of the rule, and the two engines must give the same decisions, the
same problems (file, line, column, message, in order), the same notices, the same counts and
the same output in CSV and JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.adapters import SourceSummary, get_source, open_source
from kaa.adapters.profile import ColumnProfile
from kaa.adapters.tabular import ProfileSource, read_table
from kaa.cli import main
from kaa.columnar import profile as columnar_profile
from kaa.columnar.engine import write_batches
from kaa.columnar.national import national_rulings
from kaa.formats.decisions import write_decisions_csv, write_decisions_json
from kaa.rules.target_group import assess, national_equivalence
from kaa.testing.synthetic import (
    IST_EXPORT_COLUMNS,
    ist_export_rows,
    skatteverket_numbers,
    synthetic_youths,
)
from strategies import HUGE_TEXT

pytest.importorskip("polars")

DAYS = st.one_of(
    st.dates(dt.date(2015, 1, 1), dt.date(2018, 6, 30)),
    st.dates(dt.date(2018, 7, 1), dt.date(2023, 7, 1)),
    st.dates(dt.date(2023, 7, 2), dt.date(2031, 12, 31)),
)
"""A day under each version of the rule."""

MUNICIPALITY = st.sampled_from([None, "1882", "0180"])
SOURCES = ("ist", "ber", "hypernet")
NUMBERS = [n for n in skatteverket_numbers() if 2000 <= int(n[:4]) <= 2012][:40]
"""Skatteverket test numbers of youths (never a real person's)."""


def _source(name: str) -> ProfileSource:
    source = get_source(name)
    assert isinstance(source, ProfileSource)
    return source


def _reference(
    path: Path, name: str, day: dt.date, municipality: str | None, *, json_output: bool
) -> tuple[str, list[str], list[str], str]:
    summary = SourceSummary(file=str(path))
    problems: list[str] = []
    out = io.StringIO()
    decisions = (
        assess(r.youth, on=day, municipality=municipality, equivalence=national_equivalence)
        for r in open_source(
            name,
            path,
            summary=summary,
            reference_day=day,
            on_problem=lambda p: problems.append(repr(p)),
        )
    )
    writer = write_decisions_json if json_output else write_decisions_csv
    try:
        writer(decisions, out, reveal_ids=json_output)
    except Exception as exc:  # the reference refuses the file: the columns must, too
        return f"raised {exc!r}", problems, [repr(n) for n in summary.notices], str(summary)
    return out.getvalue(), problems, [repr(n) for n in summary.notices], str(summary)


def _columnar(
    path: Path, name: str, day: dt.date, municipality: str | None, *, json_output: bool
) -> tuple[str, list[str], list[str], str]:
    source = _source(name)
    profile = source.profile
    summary = SourceSummary(file=str(path))
    problems: list[str] = []

    def on_problem(p: Any) -> None:
        problems.append(repr(p))

    out = io.StringIO()
    batches = columnar_profile.assess_export(
        path,
        profile=profile,
        reference=lambda table, read, problem: read_table(
            table, profile, source=name, summary=read, reference_day=day, on_problem=problem
        ),
        whole=lambda: source.read(path, summary=summary, reference_day=day, on_problem=on_problem),
        on=day,
        municipality=municipality,
        rulings=national_rulings(day),
        equivalence=national_equivalence,
        summary=summary,
        on_problem=on_problem,
        reveal_ids=json_output,
        json_output=json_output,
    )
    try:
        write_batches(batches, out, json_output=json_output)
    except Exception as exc:
        return f"raised {exc!r}", problems, [repr(n) for n in summary.notices], str(summary)
    return out.getvalue(), problems, [repr(n) for n in summary.notices], str(summary)


def _same(path: Path, name: str, day: dt.date, municipality: str | None) -> None:
    for json_output in (False, True):
        expected = _reference(path, name, day, municipality, json_output=json_output)
        found = _columnar(path, name, day, municipality, json_output=json_output)
        assert found[3] == expected[3]
        assert found[1] == expected[1]
        assert found[2] == expected[2]
        assert found[0] == expected[0]


# --- exports with hostile rows --------------------------------------------------------------

_FIELDS = (
    "id",
    "name",
    "municipality",
    "protected",
    "compulsory_school_completed",
    "arrived",
    "arrived_after_compulsory_school_age",
    "school_form",
    "programme",
    "enrolment_start",
    "enrolment_end",
    "cancelled",
    "qualification",
    "qualification_date",
    "registered",
    "registration_reason",
    "activity",
    "kaa_end",
    "kaa_end_reason",
    "street",
    "postal_code",
    "city",
)
_PER_ROW = frozenset(
    {
        "municipality",
        "school_form",
        "programme",
        "enrolment_start",
        "enrolment_end",
        "cancelled",
        "qualification",
        "qualification_date",
    }
)


def _words(profile: ColumnProfile, field: str) -> list[str]:
    return sorted(w for w in profile.values[field] if w)


def _date(draw: st.DrawFn) -> str:
    day = draw(st.dates(dt.date(2008, 1, 1), dt.date(2030, 12, 31)))
    return draw(
        st.sampled_from(
            [
                day.isoformat(),
                day.isoformat(),
                day.isoformat(),
                day.strftime("%Y%m%d"),
                str((day - dt.date(1899, 12, 30)).days),
                f"{day.isoformat()} 00:00:00",
                "2024-02-30",
                "12/6 2024",
                "",
                " " + day.isoformat() + " ",
            ]
        )
    )


def _cell(draw: st.DrawFn, profile: ColumnProfile, field: str) -> str:
    if _words(profile, field) and field != "protected":
        words = _words(profile, field)
        return draw(
            st.one_of(
                st.sampled_from(words),
                st.sampled_from(words).map(str.upper),
                st.sampled_from(["", "", "Okänt ord", "x"]),
            )
        )
    if field == "protected":
        return draw(st.sampled_from(["", "", "", "Nej", "Ja", "Sekretessmarkering", "Spärrad"]))
    if field == "municipality":
        return draw(st.sampled_from(["1882", "1882", "0180", "180", "0180", "9999", "", "18 82"]))
    if field in ("street", "postal_code", "city"):
        return draw(
            st.sampled_from(
                [
                    "",
                    "",
                    {"street": "Storgatan 1", "postal_code": "696 30", "city": "Askersund"}[field],
                ]
            )
        )
    if field == "name":
        return draw(st.sampled_from(["Test Testsson", "Åsa Öberg", 'Anna "Nina" Berg', "Lé; Ng"]))
    if field in ("registered", "kaa_end"):
        return "" if draw(st.booleans()) else _date(draw)
    return _date(draw)


def _number(draw: st.DrawFn) -> str:
    number = draw(st.sampled_from(NUMBERS[:12]))
    return draw(
        st.sampled_from(
            [
                number,
                number,
                f"{number[:8]}-{number[8:]}",
                f"{number[2:8]}-{number[8:]}",
                f"{number[:8]} {number[8:]}",
                number[:11] + str((int(number[11]) + 1) % 10),
                "",
                "abc",
            ]
        )
    )


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, str, bytes, dt.date]:
    """``(source, file suffix, bytes, day)``: an export in a built-in profile's shape."""
    name = draw(st.sampled_from(SOURCES))
    profile = _source(name).profile
    fields = [f for f in _FIELDS if f in profile.columns]
    header = [profile.columns[f][0] for f in fields]
    rows: list[list[str] | str] = []
    if draw(st.booleans()) and draw(st.booleans()):
        rows.append("Målgruppslista KAA")
    rows.append(header)
    for _ in range(draw(st.integers(0, 7))):
        number = _number(draw)
        base = {f: _cell(draw, profile, f) for f in fields if f not in _PER_ROW and f != "id"}
        if draw(st.booleans()):  # a youth without a case is the common one
            for f in ("registered", "registration_reason", "activity", "kaa_end", "kaa_end_reason"):
                if f in base:
                    base[f] = ""
        for i in range(draw(st.integers(1, 3))):
            row = {"id": number, **base}
            if i and draw(st.integers(0, 5)) == 0:  # the rows of a youth disagree
                changed = draw(st.sampled_from(sorted(base) or ["id"]))
                row[changed] = _cell(draw, profile, changed) if changed != "id" else number
            for f in _PER_ROW & set(fields):
                row[f] = _cell(draw, profile, f)
            if draw(st.booleans()):  # a row without an enrolment or certificate
                for f in (
                    "school_form",
                    "programme",
                    "enrolment_start",
                    "enrolment_end",
                    "cancelled",
                ):
                    if f in row:
                        row[f] = ""
            if draw(st.booleans()):
                for f in ("qualification", "qualification_date"):
                    if f in row:
                        row[f] = ""
            if i and draw(st.booleans()) and "municipality" in row:
                row["municipality"] = ""
            rows.append([row[f] for f in fields])
        if draw(st.integers(0, 6)) == 0:
            rows.append(draw(st.sampled_from(["", ";;;;", ",,,"])))
    # hostile lines in between
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1 if rows and isinstance(rows[0], list) else 2, len(rows)))
        kind = draw(st.integers(0, 8))
        template = [NUMBERS[draw(st.integers(0, 11))], *[""] * (len(fields) - 1)]
        if kind == 0:
            hostile: list[str] | str = template[:-1]  # short
        elif kind == 1:
            hostile = [*template, "extra"]  # long
        elif kind == 2:
            hostile = '"ab"c;' + ";".join(template[1:])  # text after a closing quote
        elif kind == 3:
            hostile = template[0] + ';"open' + ";" * (len(fields) - 2)  # a quote left open
        elif kind == 4:
            hostile = header  # a repeated heading row
        elif kind == 5:
            hostile = [template[0], HUGE_TEXT, *template[2:]]
        elif kind == 6:
            hostile = list(rows[draw(st.integers(0, len(rows) - 1))])  # a youth comes back
        elif kind == 7:
            hostile = [template[0], *["\x00"] * (len(fields) - 1)]
        else:
            hostile = [str(10**30), *["1.5e3"] * (len(fields) - 1)]  # wrong types
        rows.insert(at, hostile)
    delimiter = draw(st.sampled_from([";", ";", ",", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
    for row in rows:
        if isinstance(row, str):
            out.write(row.replace(";", delimiter) + end)
        else:
            writer.writerow(row)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    suffix = draw(st.sampled_from([".csv", ".csv", ".txt"]))
    return name, suffix, data, draw(DAYS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=exports(), municipality=MUNICIPALITY)
def test_the_columns_read_an_export_as_the_reference_reads_it(
    export: tuple[str, str, bytes, dt.date],
    municipality: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    name, suffix, data, day = export
    path = tmp_path_factory.mktemp("export") / f"export{suffix}"
    path.write_bytes(data)
    _same(path, name, day, municipality)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    export=exports(),
    municipality=MUNICIPALITY,
    chunk=st.integers(16, 400),
)
def test_chunk_boundaries_change_nothing(
    export: tuple[str, str, bytes, dt.date],
    municipality: str | None,
    chunk: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    name, suffix, data, day = export
    path = tmp_path_factory.mktemp("export") / f"export{suffix}"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar_profile, "CHUNK_BYTES", chunk)
        _same(path, name, day, municipality)


def _ist_file(path: Path, n: int, day: dt.date, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(IST_EXPORT_COLUMNS)
        for youth in synthetic_youths(n, on=day, seed=seed):
            rows = ist_export_rows(youth, on=day)
            if rng.random() < 0.05:
                rows[0][1] = "Åsa"  # a Windows-1252 letter
            writer.writerows(rows)


@pytest.mark.parametrize("day", [dt.date(2017, 3, 1), dt.date(2020, 9, 15), dt.date(2026, 11, 23)])
def test_a_synthetic_ist_export_is_decided_alike_and_mostly_over_the_columns(
    tmp_path: Path, day: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ist.csv"
    _ist_file(path, 600, day)
    _same(path, "ist", day, "1882")
    read: list[int] = []
    original = columnar_profile._read_region

    def counted(lines: list[str], region: tuple[int, int], **kwargs: Any) -> Any:
        read.append(region[1] - region[0] + 1)
        return original(lines, region, **kwargs)

    monkeypatch.setattr(columnar_profile, "_read_region", counted)
    _columnar(path, "ist", day, "1882", json_output=False)
    lines = len(path.read_bytes().splitlines()) - 1
    assert sum(read) < lines / 2  # the export's repeated test numbers come back, some


def test_a_file_the_columns_cannot_take_is_read_whole_by_the_reference(tmp_path: Path) -> None:
    day = dt.date(2026, 11, 23)
    path = tmp_path / "ist.csv"
    _ist_file(path, 50, day)
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r", 3))  # old Mac line ends
    _same(path, "ist", day, None)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(path.read_text(encoding="cp1252").replace("\r", "\n"), encoding="utf-16")
    _same(utf16, "ist", day, None)


def test_an_export_the_reference_refuses_is_refused_alike(tmp_path: Path) -> None:
    day = dt.date(2026, 11, 23)
    path = tmp_path / "ist.csv"
    path.write_text("Personnummer;Skyddsmarkering;Folkbokföringskommun\n200611202383;;1882\n")
    assert _columnar(path, "ist", day, None, json_output=False)[0].startswith("raised")
    _same(path, "ist", day, None)


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", SOURCES)
def test_kaa_assess_source_writes_the_same_bytes_with_either_engine(
    tmp_path: Path, name: str
) -> None:
    day = "2026-11-23"
    path = tmp_path / "export.csv"
    if name == "ist":
        _ist_file(path, 300, dt.date(2026, 11, 23))
    else:
        profile = _source(name).profile
        head = [
            profile.columns[f][0]
            for f in ("id", "municipality", "school_form", "programme", "enrolment_start")
        ]
        rows = [";".join(head)] + [
            f"{n};1882;GY;{'IM' if i % 3 else 'Nationellt'};2023-08-20"
            for i, n in enumerate(NUMBERS[:30])
        ]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = {}
    for engine in ("reference", "columnar", "auto"):
        target = tmp_path / f"{engine}.csv"
        code, _, err = _cli(
            [
                "assess",
                str(path),
                "--source",
                name,
                "--on",
                day,
                "--engine",
                engine,
                "-o",
                str(target),
            ]
        )
        outputs[engine] = (code, target.read_bytes(), err.replace(str(target), "OUT"))
    assert outputs["columnar"] == outputs["reference"]
    assert outputs["auto"] == outputs["reference"]


def test_engine_columnar_names_why_it_cannot_apply(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"not read")
    code, _, err = _cli(["assess", str(path), "--source", "ist", "--engine", "columnar"])
    assert code == 2
    assert "workbook is read by the reference engine" in err
    code, _, err = _cli(["assess", str(path), "--source", "ss12000", "--engine", "columnar"])
    assert code == 2
    assert "ss12000 is not one" in err
