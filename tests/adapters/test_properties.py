"""Properties of every reader: nothing lost, and no crash on arbitrary bytes."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import NUMBERS, csv_text
from kaa.adapters import SourceSummary, open_source
from kaa.adapters.builtin import builtin_sources
from kaa.adapters.scb import case_from_record
from kaa.errors import KaaError
from kaa.formats.problems import ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, RegistrationReason
from kaa.model.youth import (
    Enrolment,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.period import HalfYear
from kaa.scb.reader import read_submission
from kaa.scb.submission import MandatoryData, ScbRecord, Submission
from kaa.scb.writer import dumps_submission
from strategies import (
    BAD_REGISTER_YES_NO,
    MUNICIPALITIES,
    NOT_BOOLEANS,
    NOT_TEXTS,
    bad_dates,
    csv_faults,
    dates,
    faulty_csv_line,
    identity_numbers,
    json_record_fault,
    scb_submissions,
)

DAY = dt.date(2026, 11, 23)
HEAD = [
    "Personnummer",
    "Folkbokföringskommun",
    "Grundskola avslutad",
    "Skolform",
    "Programtyp",
    "Startdatum",
    "Examen",
    "Examensdatum",
]
FAULTS = {
    "bad id": lambda n: ["20080812-2395", "1882", "2024-06-12", "", "", "", "", ""],
    "no id": lambda n: ["", "1882", "", "", "", "", "", ""],
    "bad date": lambda n: [n, "1882", "2024-13-45", "", "", "", "", ""],
    "bad code": lambda n: [n, "1882", "", "Gymnasium X", "NP", "2024-08-19", "", ""],
    "bad kommun": lambda n: [n, "0000", "", "", "", "", "", ""],
    "too many cells": lambda n: [n, "1882", "", "", "", "", "", "", "x"],
    "half enrolment": lambda n: [n, "1882", "", "GY", "", "", "", ""],
    "blank": lambda n: [""] * 8,
    "heading": lambda n: list(HEAD),
}
GOOD = [
    lambda n: [n, "1882", "2024-06-12", "", "", "", "", ""],
    lambda n: [n, "1882", "20240612", "GY", "IM", "2024-08-19", "", ""],
    lambda n: [n, "1882", "45455", "", "", "", "Studiebevis", "2025-06-12"],
]


WRITTEN = [
    lambda n: n,
    lambda n: f"{n[:8]}-{n[8:]}",
    lambda n: f"{n[2:8]}-{n[8:]}",
    lambda n: n[2:],
    lambda n: f"{n[:8]} {n[8:]}",
]
"""The forms an identity number is written in, in real exports."""


@st.composite
def ist_files(draw: st.DrawFn) -> tuple[list[list[str]], int]:
    """Rows of an IST export with faults injected, and how many are data rows."""
    rows: list[list[str]] = []
    data_rows = 0
    for i in range(draw(st.integers(0, 25))):
        number = NUMBERS[draw(st.integers(0, 6))] if draw(st.booleans()) else NUMBERS[i]
        number = draw(st.sampled_from(WRITTEN))(number)
        if draw(st.integers(0, 3)) == 0:
            fault = draw(st.sampled_from(sorted(FAULTS)))
            row = FAULTS[fault](number)
            data_rows += fault not in ("blank", "heading")
        else:
            row = draw(st.sampled_from(GOOD))(number)
            data_rows += 1
        rows.append(row)
    return rows, data_rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ist_files(), st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "cp1252"]))
def test_accepted_plus_rejected_is_rows_read_for_ist(
    generated: tuple[list[list[str]], int], sep: str, encoding: str
) -> None:
    rows, data_rows = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_text(csv_text([HEAD, *rows], sep), encoding=encoding)
        summary = SourceSummary(file=str(path))
        records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert summary.rows_read == data_rows
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(records)
    assert len({r.youth.id for r in records}) == len(records)
    if summary.rows_rejected:
        assert summary.problems
    assert sum(len(r.origin.lines) for r in records) == summary.rows_accepted


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ist_files())
def test_accepted_plus_rejected_is_rows_read_for_an_ist_workbook(
    generated: tuple[list[list[str]], int],
) -> None:
    import openpyxl

    rows, data_rows = generated
    book = openpyxl.Workbook()
    for row in [HEAD, *rows]:
        book.active.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        book.save(path)
        summary = SourceSummary(file=str(path))
        records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert summary.rows_read == data_rows
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(records)


PERSON_FAULTS = [
    lambda n: {"civicNo": {"value": "20080812-2395"}},
    lambda n: {"civicNo": {"value": n}, "enrolments": [{"schoolType": "GY", "startDate": "x"}]},
    lambda n: {
        "civicNo": {"value": n},
        "addresses": [{"type": "Folkbokföring", "municipalityCode": 9999}],
    },
    lambda n: "not an object",
    lambda n: {"civicNo": 5},
]


@st.composite
def persons(draw: st.DrawFn) -> list[object]:
    found: list[object] = []
    for i in range(draw(st.integers(0, 15))):
        number = NUMBERS[draw(st.integers(0, 4))] if draw(st.booleans()) else NUMBERS[i]
        if draw(st.integers(0, 3)) == 0:
            found.append(draw(st.sampled_from(PERSON_FAULTS))(number))
        else:
            found.append(
                {
                    "id": str(i),
                    "civicNo": {"value": number},
                    "enrolments": [
                        {
                            "schoolType": "GY",
                            "startDate": "2024-08-19",
                            "cancelled": draw(st.booleans()),
                            "endDate": "2025-02-14",
                        }
                    ],
                }
            )
    return found


@settings(max_examples=40, deadline=None)
@given(persons(), st.booleans())
def test_accepted_plus_rejected_is_rows_read_for_ss12000(items: list[object], lines: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("persons.jsonl" if lines else "persons.json")
        if lines:
            path.write_text("".join(json.dumps(p) + "\n" for p in items), encoding="utf-8")
        else:
            path.write_text(json.dumps({"data": items}, indent=1), encoding="utf-8")
        summary = SourceSummary(file=str(path))
        records = list(open_source("ss12000", path, summary=summary, reference_day=DAY))
    assert summary.rows_read == len(items)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(records)


SAMPLES = {
    ".csv": csv_text([HEAD, GOOD[1](NUMBERS[0]), GOOD[2](NUMBERS[1])]).encode("cp1252"),
    ".json": json.dumps({"data": [{"civicNo": {"value": NUMBERS[0]}, "enrolments": []}]}).encode(),
    ".jsonl": (json.dumps({"id": NUMBERS[0]}) + "\n").encode(),
    ".ndjson": json.dumps(
        {
            "programmes": {"data": [{"id": "p", "code": "IMYRK", "x": {"data": [1]}}]},
            "data": [{"civicNo": {"value": NUMBERS[1]}, "enrolments": [{"schoolType": "GY"}]}],
        },
        indent=1,
    ).encode(),
}


def _xlsx_sample() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in [HEAD, GOOD[1](NUMBERS[0]), GOOD[2](NUMBERS[1])]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SAMPLES[".xlsx"] = _xlsx_sample()
WORKBOOKS = Path(__file__).parent / "workbooks"
SAMPLES[".xls"] = (WORKBOOKS / "ist-export.xls").read_bytes()
SAMPLES[".ods"] = (WORKBOOKS / "ist-export.ods").read_bytes()


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        if buffer:
            buffer[position % len(buffer)] = value
    return bytes(buffer)


@pytest.mark.parametrize("source", [s.name for s in builtin_sources()])
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.builds(
            _mutate,
            st.sampled_from(sorted(SAMPLES.values())),
            st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
        ),
    ),
    suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".xls", ".ods", ".txt"]),
)
def test_readers_never_crash_on_arbitrary_bytes(source: str, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export{suffix}"
        path.write_bytes(data)
        summary = SourceSummary(file=str(path))
        mapping = None
        if source == "scb":  # the scb source needs the period of the file
            mapping = Path(tmp) / "scb.toml"
            mapping.write_text('period = "2026H1"\n', encoding="utf-8")
        try:
            for _ in open_source(source, path, summary=summary, reference_day=DAY, mapping=mapping):
                pass
        except KaaError:
            return
        assert summary.rows_accepted + summary.rows_rejected == summary.rows_read


# --- hostile register exports: every youth read unchanged, or its rows reported ----------
#
# Each export below is written by the test from youths it knows, in the headings and words
# of the source's default profile (written out here, not taken from the profile), with
# hostile variations a reader must accept unchanged (identity numbers, dates and words in
# other accepted forms, a title row, blank rows, a repeated heading row, quoted cells,
# encodings, line endings) and at most one faulty row per youth:
#
# * a bad value (text after a date, an undocumented yes/no word, an unknown code, a bad
#   kommunkod, a date that disagrees with the youth's other row) rejects the youth whole;
# * a row that is not well-formed CSV (a stray quote, text after a closing quote, a cell too
#   few or too many, a huge cell) is rejected alone: the youth is read from its other rows
#   (``origin.lines`` names them), never with a value from the faulty row.


@attrs.frozen
class Export:
    """How a register's list export writes each fact."""

    source: str
    headings: dict[str, str]
    forms: dict[SchoolForm, str]
    programmes: dict[Programme, str]
    qualifications: dict[QualificationKind, str]
    date_forms: tuple[str, ...]


_TABLE = {
    SchoolForm.GYMNASIESKOLA: "GY",
    SchoolForm.ANPASSAD_GYMNASIESKOLA: "GYS",
}
EXPORTS = {
    "ist": Export(
        source="ist",
        headings={
            "id": "Personnummer",
            "municipality": "Folkbokföringskommun",
            "compulsory": "Grundskola avslutad",
            "school_form": "Skolform",
            "programme": "Programtyp",
            "start": "Startdatum",
            "end": "Slutdatum",
            "cancelled": "Avbrott",
            "qualification": "Examen",
            "qualification_date": "Examensdatum",
        },
        forms={**_TABLE, SchoolForm.KOMVUX: "VUX", SchoolForm.FOLKHOGSKOLA: "FHS"},
        programmes={Programme.NATIONAL: "NP", Programme.INTRODUCTION: "IM"},
        qualifications={
            QualificationKind.GYMNASIEEXAMEN: "Examen",
            QualificationKind.STUDIEBEVIS: "Studiebevis",
            QualificationKind.GYMNASIEINTYG: "Gymnasieintyg",
        },
        date_forms=("iso", "compact", "slash", "excel", "iso time"),
    ),
    "ber": Export(
        source="ber",
        headings={
            "id": "Personnummer",
            "municipality": "Kommun",
            "compulsory": "Avgång grundskola",
            "school_form": "Skolform",
            "programme": "Programtyp",
            "start": "Inskrivningsdatum",
            "end": "Utskrivningsdatum",
            "cancelled": "Avbrott",
            "qualification": "Examen",
            "qualification_date": "Examensdatum",
        },
        forms={**_TABLE, SchoolForm.KOMVUX: "Komvux", SchoolForm.FOLKHOGSKOLA: "Folkhögskola"},
        programmes={
            Programme.NATIONAL: "Nationellt program",
            Programme.INTRODUCTION: "Introduktionsprogram",
        },
        qualifications={
            QualificationKind.GYMNASIEEXAMEN: "Gymnasieexamen",
            QualificationKind.STUDIEBEVIS: "Studiebevis",
            QualificationKind.GYMNASIEINTYG: "Gymnasieintyg",
        },
        date_forms=("iso", "compact", "excel", "iso time"),
    ),
    "hypernet": Export(
        source="hypernet",
        headings={
            "id": "Pnr",
            "municipality": "Kommunkod",
            "compulsory": "Avslutat grundskola",
            "school_form": "Skolform",
            "programme": "Program",
            "start": "Från",
            "end": "Till",
            "cancelled": "Avbrott",
            "qualification": "Examen",
            "qualification_date": "Examensdatum",
        },
        forms={**_TABLE, SchoolForm.KOMVUX: "Komvux", SchoolForm.FOLKHOGSKOLA: "Folkhögskola"},
        programmes={Programme.NATIONAL: "NP", Programme.INTRODUCTION: "IM"},
        qualifications={
            QualificationKind.GYMNASIEEXAMEN: "Examen",
            QualificationKind.STUDIEBEVIS: "Studiebevis",
        },
        date_forms=("iso", "compact", "excel", "iso time"),
    ),
}
YES = ("Ja", "ja", "JA", "X", "1", "true", "Yes", "j", "sant")
NO = ("Nej", "", "0", "nej", "false", "N", "falskt")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date_text(draw: st.DrawFn, day: dt.date, export: Export) -> str:
    form = draw(st.sampled_from(export.date_forms))
    if form == "compact":
        return day.strftime("%Y%m%d")
    if form == "slash":
        return day.strftime("%Y/%m/%d")
    if form == "excel":
        return str((day - EXCEL_EPOCH).days)
    if form == "iso time":
        return f"{day.isoformat()} 00:00:00"
    return day.isoformat()


def _word(draw: st.DrawFn, word: str) -> str:
    return draw(st.sampled_from([word, word.upper(), word.lower(), f" {word} "]))


@st.composite
def register_youths(draw: st.DrawFn, export: Export) -> Youth:
    """A youth as a register export holds one: a home municipality, maybe the day compulsory
    school was completed, enrolments and certificates of the kinds the export writes."""
    programmes = st.sampled_from([Programme.NONE, *export.programmes])
    found: list[Enrolment] = []
    for _ in range(draw(st.integers(0, 3))):
        form = draw(st.sampled_from(sorted(export.forms, key=lambda f: f.value)))
        start = draw(dates)
        end = draw(st.none() | st.dates(min_value=start, max_value=dt.date(2032, 12, 31)))
        enrolment = Enrolment(
            school_form=form,
            programme=draw(programmes) if form in _TABLE else Programme.NONE,
            start=start,
            end=end,
            cancelled=draw(st.booleans()) if end is not None else False,
        )
        if enrolment not in found:
            found.append(enrolment)
    certificates: list[Qualification] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(sorted(export.qualifications, key=lambda q: q.value)))
        certificate = Qualification(kind=kind, issued=draw(dates))
        if certificate not in certificates:
            certificates.append(certificate)
    return Youth(
        id=draw(identity_numbers),
        residences=(Residence(municipality=draw(st.sampled_from(MUNICIPALITIES))),),
        compulsory_school_completed=draw(st.none() | dates),
        enrolments=tuple(found),
        qualifications=tuple(certificates),
    )


def _facts(youth: Youth) -> list[Enrolment | Qualification | None]:
    """One row per enrolment and certificate, or one row naming the youth only."""
    return [*youth.enrolments, *youth.qualifications] or [None]


def _expected(youth: Youth, kept: list[int], compulsory_on: set[int]) -> Youth:
    """The youth a strict reader makes of the rows ``kept`` (indexes into :func:`_facts`)."""
    facts = _facts(youth)
    return attrs.evolve(
        youth,
        compulsory_school_completed=(
            youth.compulsory_school_completed if compulsory_on & set(kept) else None
        ),
        enrolments=tuple(f for i, f in enumerate(facts) if i in kept and isinstance(f, Enrolment)),
        qualifications=tuple(
            f for i, f in enumerate(facts) if i in kept and isinstance(f, Qualification)
        ),
    )


NOT_CODES = ("Gymnasium X", "NP2", "Diplom", "x", "9" * 5_000, "IMX", "GY GY")
NOT_KOMMUNER = ("0000", "18820", "1882 x", "12345", "9" * 5_000, "1882\x00")


@attrs.define
class Written:
    """A youth as written: its lines, which row is faulty and how, and the rows that carry
    the compulsory-school date."""

    youth: Youth
    lines: list[int] = attrs.Factory(list)
    fault: str | None = None
    faulty_row: int | None = None
    compulsory_on: set[int] = attrs.Factory(set)


@st.composite
def hostile_exports(draw: st.DrawFn, export: Export) -> tuple[bytes, list[Written], int, str]:
    """A hostile export of known youths (see the comment above): its bytes, the youths as
    written, the number of data rows and the separator."""
    written_youths = draw(st.lists(register_youths(export), max_size=5, unique_by=lambda y: y.id))
    sep = draw(st.sampled_from([";", ",", "\t"]))
    fields = list(export.headings)
    order = draw(st.permutations(fields))
    extra = draw(st.booleans())  # a column the profile does not read
    headings = [export.headings[f] for f in order] + (["Klass"] if extra else [])
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("Målgruppslista KAA, " + draw(st.sampled_from(["Askersund", "VT 2026"])))
    lines.append(sep.join(headings))
    result: list[Written] = []
    data_rows = 0
    for youth in written_youths:
        item = Written(youth)
        facts = _facts(youth)
        done = youth.compulsory_school_completed
        one = draw(st.booleans())  # the compulsory-school day on one row only, or on all
        kind = draw(st.sampled_from(["none", "none", "value", "structure", "disagreeing"]))
        if kind == "disagreeing" and (done is None or one or len(facts) < 2):
            kind = "none"
        faulty_row = draw(st.integers(0, len(facts) - 1)) if kind != "none" else None
        code = youth.residences[0].municipality
        for index, fact in enumerate(facts):
            written_code = code
            if code.startswith("0") and draw(st.booleans()):
                written_code = code[1:]  # a spreadsheet dropped the leading zero
            values = {
                "id": draw(st.sampled_from(WRITTEN))(youth.id.full("long")),
                "municipality": written_code,
            }
            if done is not None and (not one or index == 0):
                values["compulsory"] = _date_text(draw, done, export)
                item.compulsory_on.add(index)
            if isinstance(fact, Enrolment):
                values["school_form"] = _word(draw, export.forms[fact.school_form])
                if fact.programme is not Programme.NONE:
                    values["programme"] = _word(draw, export.programmes[fact.programme])
                values["start"] = _date_text(draw, fact.start, export)
                if fact.end is not None:
                    values["end"] = _date_text(draw, fact.end, export)
                values["cancelled"] = draw(st.sampled_from(YES if fact.cancelled else NO))
            elif isinstance(fact, Qualification):
                values["qualification"] = _word(draw, export.qualifications[fact.kind])
                values["qualification_date"] = _date_text(draw, fact.issued, export)
            fault: str | None = None
            if index == faulty_row:
                if kind == "disagreeing":
                    assert done is not None
                    values["compulsory"] = (done + dt.timedelta(days=1)).isoformat()
                    fault = "value"
                elif kind == "value":
                    fault = _value_fault(draw, values, fact)
                else:
                    fault = "structure"
            cells = [values.get(f, "") for f in order]
            if extra:
                cells.append(draw(st.sampled_from(["9A", "", '"9;A"', '"9,A"', '"9\tA"'])))
            if fault == "structure":
                structure = draw(csv_faults)
                if structure == "long row" and cells[-1] == "":
                    # An extra separator in a row whose last cell is empty moves the values
                    # after it one column right and is accepted (see
                    # test_an_extra_separator_inside_a_row_never_moves_its_values below);
                    # here the extra cell is put at the end, where it is reported.
                    line = sep.join([*cells, "x"])
                else:
                    line = draw(faulty_csv_line(cells, sep, structure))
            else:
                line = sep.join(cells)
            if fault is not None:
                item.fault, item.faulty_row = fault, index
            lines.append(line)
            item.lines.append(len(lines))
            data_rows += 1
            filler = draw(st.integers(0, 12))
            if filler == 0:
                lines.append(sep * (len(headings) - 1))  # a row of empty cells
            elif filler == 1:
                lines.append("")
            elif filler == 2:
                lines.append(sep.join(headings))  # a repeated heading row
        result.append(item)
    ends = [draw(st.sampled_from(["\r\n", "\n"])) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, result, data_rows, sep


def _value_fault(
    draw: st.DrawFn, values: dict[str, str], fact: Enrolment | Qualification | None
) -> str | None:
    """Put one bad value in a cell the reader reads for this row; ``"value"`` if done."""
    choices = ["compulsory", "municipality"]
    if isinstance(fact, Enrolment):
        choices += ["school_form", "programme", "start", "end", "cancelled"]
    elif isinstance(fact, Qualification):
        choices += ["qualification", "qualification_date"]
    field = draw(st.sampled_from(choices))
    if field in ("compulsory", "start", "end", "qualification_date"):
        values[field] = draw(bad_dates)
    elif field == "municipality":
        values[field] = draw(st.sampled_from(NOT_KOMMUNER))
    elif field == "cancelled":
        values[field] = draw(st.sampled_from(BAD_REGISTER_YES_NO))
    else:
        values[field] = draw(st.sampled_from(NOT_CODES))
    return "value"


@pytest.mark.parametrize("source", sorted(EXPORTS))
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(data=st.data())
def test_every_youth_of_a_hostile_register_export_is_read_unchanged_or_reported(
    source: str, data: st.DataObject
) -> None:
    export = EXPORTS[source]
    raw, written, data_rows, _ = data.draw(hostile_exports(export))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(raw)
        summary = SourceSummary(file=str(path))
        records = list(open_source(source, path, summary=summary, reference_day=DAY))
    assert summary.rows_read == data_rows  # nothing silently lost
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(records)
    assert summary.rows_accepted == sum(len(r.origin.lines) for r in records)
    by_id = {r.youth.id: r for r in records}
    assert len(by_id) == len(records)
    problem_lines = {p.line for p in summary.problems}
    for item in written:
        found = by_id.pop(item.youth.id, None)
        if item.fault is None:  # nothing altered
            assert found is not None
            assert found.youth == _expected(
                item.youth, list(range(len(item.lines))), item.compulsory_on
            )
            assert list(found.origin.lines) == item.lines
            continue
        assert item.faulty_row is not None
        assert item.lines[item.faulty_row] in problem_lines
        if item.fault == "value":  # a bad value rejects the youth whole
            assert found is None
            continue
        kept = [i for i in range(len(item.lines)) if i != item.faulty_row]
        if not kept:
            assert found is None
            continue
        # a malformed row is rejected alone: the youth is what its other rows say
        assert found is not None
        assert list(found.origin.lines) == [item.lines[i] for i in kept]
        assert found.youth == _expected(item.youth, kept, item.compulsory_on)
    assert not by_id  # no youth that was not written


def test_an_extra_separator_inside_a_row_never_moves_its_values(tmp_path: Path) -> None:
    head = "Personnummer;Folkbokföringskommun;Grundskola avslutad;Folkbokförd i Sverige;Klass"
    row = f"{NUMBERS[0]};1882;;2024-06-12;;"  # one ; too many after the kommunkod
    path = tmp_path / "export.csv"
    path.write_text(f"{head}\r\n{row}\r\n", encoding="utf-8")
    summary = SourceSummary(file=str(path))
    records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert records == [] or records[0].youth.folkbokford_in_sweden is None


# --- hostile SS12000 persons ------------------------------------------------------------

SS12000_TYPES = {
    "GY": (SchoolForm.GYMNASIESKOLA, None),
    "GYS": (SchoolForm.ANPASSAD_GYMNASIESKOLA, None),
    "VUX": (SchoolForm.KOMVUX, Programme.NONE),
    "VUXGY": (SchoolForm.KOMVUX, Programme.UPPER_SECONDARY_LEVEL),
    "FHS": (SchoolForm.FOLKHOGSKOLA, Programme.NONE),
}
"""``schoolType`` → school form and programme (``None``: from the ``educationCode``)."""
EDUCATION_CODES = {None: Programme.NONE, "NA": Programme.NATIONAL, "IMV": Programme.INTRODUCTION}


@st.composite
def persons_of(draw: st.DrawFn) -> tuple[dict[str, Any], Youth]:
    """An SS12000 person and the youth a strict reader makes of it."""
    ident = draw(identity_numbers)
    code = draw(st.sampled_from(MUNICIPALITIES))
    compulsory = draw(st.none() | dates)
    person: dict[str, Any] = {"id": f"p{ident.masked()}", "civicNo": {"value": ""}}
    person["civicNo"]["value"] = draw(st.sampled_from(WRITTEN[:2]))(ident.full("long"))
    if draw(st.booleans()):
        person["securityMarking"] = draw(st.sampled_from(["Ingen", "ingen", " INGEN "]))
    person["addresses"] = [{"type": "Folkbokföring", "municipalityCode": code}]
    items: list[dict[str, Any]] = []
    if compulsory is not None:
        items.append({"schoolType": "GR", "schoolYear": 9, "endDate": compulsory.isoformat()})
    enrolments: list[Enrolment] = []
    for _ in range(draw(st.integers(0, 3))):
        school_type = draw(st.sampled_from(sorted(SS12000_TYPES)))
        form, programme = SS12000_TYPES[school_type]
        start = draw(dates)
        end = draw(st.none() | st.dates(min_value=start, max_value=dt.date(2032, 12, 31)))
        cancelled = draw(st.booleans()) if end is not None else False
        item: dict[str, Any] = {"schoolType": school_type, "startDate": start.isoformat()}
        if draw(st.booleans()):
            item["startDate"] += "T08:00:00"  # a date and a time: the date is read
        if end is not None:
            item["endDate"] = end.isoformat()
        item["cancelled"] = cancelled
        if programme is None:
            education = draw(st.sampled_from(sorted(EDUCATION_CODES, key=str)))
            if education is not None:
                item["educationCode"] = education
            programme = EDUCATION_CODES[education]
        enrolments.append(
            Enrolment(
                school_form=form, programme=programme, start=start, end=end, cancelled=cancelled
            )
        )
        items.append(item)
    person["enrolments"] = items
    youth = Youth(
        id=ident,
        residences=(Residence(municipality=code),),
        compulsory_school_completed=compulsory,
        enrolments=tuple(enrolments),
    )
    return person, youth


def _person_fault(draw: st.DrawFn, person: dict[str, Any]) -> object:
    """``person`` with one value the reader must refuse (the person is then rejected)."""
    person = json.loads(json.dumps(person))
    places: list[tuple[Any, Any, st.SearchStrategy[object]]] = [
        (person, None, st.sampled_from([[], "x", 2.5, None, True, [person]])),
        (person["civicNo"], "value", st.sampled_from([2.5, [], {}, True, "20080812-2395"])),
        (person, "addresses", st.sampled_from([{}, "x", 2.5, ["x"], [[]]])),
        (person, "enrolments", st.sampled_from([{}, "x", 2.5, ["x"]])),
        (
            person["addresses"][0],
            "municipalityCode",
            st.sampled_from(["0000", "18820", [], {}, 2.5, "x", True]),
        ),
    ]
    for item in person["enrolments"]:
        if item["schoolType"] == "GR":
            continue
        places.append((item, "cancelled", st.sampled_from(NOT_BOOLEANS)))
        places.append((item, "startDate", bad_dates | st.sampled_from([*NOT_TEXTS, ""])))
        places.append((item, "endDate", bad_dates | st.sampled_from(NOT_TEXTS)))
    parent, key, values = draw(st.sampled_from(places))
    value = draw(values)
    if key is None:
        return value
    parent[key] = value
    return person


@st.composite
def hostile_persons(draw: st.DrawFn) -> tuple[list[str], list[Youth], bool]:
    """Persons as JSON texts, some with one fault; the youths a strict reader accepts, and
    whether a fault is in the JSON text itself."""
    made = draw(st.lists(persons_of(), max_size=5, unique_by=lambda p: p[1].id))
    texts: list[str] = []
    clean: list[Youth] = []
    refused = False
    for person, youth in made:
        kind = draw(st.sampled_from(["none", "none", "value", "decoder"]))
        if kind == "value":
            texts.append(json.dumps(_person_fault(draw, person)))
        elif kind == "decoder":
            person["birth_date"] = None
            text, _ = draw(json_record_fault(person, [], kinds=("decoder",)))
            texts.append(text)
            refused = True
        else:
            texts.append(json.dumps(person, ensure_ascii=draw(st.booleans())))
            clean.append(youth)
    return texts, clean, refused


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_persons(), st.booleans())
def test_every_person_of_a_hostile_ss12000_file_is_read_unchanged_or_rejected(
    generated: tuple[list[str], list[Youth], bool], lines: bool
) -> None:
    texts, clean, refused = generated
    with tempfile.TemporaryDirectory() as tmp:
        if lines:
            path = Path(tmp) / "persons.jsonl"
            path.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
        else:
            path = Path(tmp) / "persons.json"
            path.write_text('{"data": [' + ",\n".join(texts) + "]}", encoding="utf-8")
        summary = SourceSummary(file=str(path))
        if refused and not lines:  # a duplicate key, a huge number: not usable JSON
            with pytest.raises(KaaError):
                list(open_source("ss12000", path, summary=summary, reference_day=DAY))
            return
        records = list(open_source("ss12000", path, summary=summary, reference_day=DAY))
    assert summary.rows_read == len(texts)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert [r.youth for r in records] == clean
    assert summary.records == len(records)
    assert len(summary.problems) >= len(texts) - len(clean)


# --- hostile SCB submission files -------------------------------------------------------

PERIOD = HalfYear(2026, 2)
NOT_SCB_VALUES = ("2026-08-20x", "bogus!", "9" * 5_000, "2026-02-30", " 1882", "x")


@st.composite
def hostile_submission_files(draw: st.DrawFn) -> tuple[bytes, Submission, list[ScbRecord]]:
    """A submission file (default layout: one row per youth) with faulty rows — a bad value,
    a cell too few or too many, a stray quote, text after a closing quote, a huge cell —: its
    bytes, the submission written, and the records a strict reader accepts."""
    submission = draw(scb_submissions(PERIOD))
    header, *rows = dumps_submission(submission).split("\r\n")[:-1]
    clean: list[ScbRecord] = []
    lines = [header]
    for record, row in zip(submission.records, rows, strict=True):
        cells = row.split(";")
        kind = draw(st.sampled_from(["none", "none", "value", "structure"]))
        if kind == "value":
            filled = [i for i, c in enumerate(cells) if c]
            cells[draw(st.sampled_from(filled))] = draw(st.sampled_from(NOT_SCB_VALUES))
            row = ";".join(cells)
        elif kind == "structure":
            row = draw(faulty_csv_line(cells, ";", draw(csv_faults)))
        else:
            clean.append(record)
        lines.append(row)
    end = draw(st.sampled_from(["\r\n", "\n"]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + end.join(lines) + end).encode("utf-8"), submission, clean


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_submission_files())
def test_every_record_of_a_hostile_scb_file_is_read_unchanged_or_reported(
    generated: tuple[bytes, Submission, list[ScbRecord]],
) -> None:
    data, submission, clean = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scb.txt"
        path.write_bytes(data)
        summary = ReadSummary(file=str(path))
        back = read_submission(path, period=PERIOD, municipality="1882", summary=summary)
    assert summary.rows_read == len(submission.records)  # one row per youth, none lost
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.rows_rejected == len(submission.records) - len(clean)
    assert list(back.records) == clean  # nothing altered
    assert summary.records == len(back.records)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_submission_files())
def test_every_case_of_a_hostile_prior_scb_file_is_carried_over_unchanged_or_reported(
    generated: tuple[bytes, Submission, list[ScbRecord]],
) -> None:
    data, submission, clean = generated
    expected = []
    for record in clean:
        try:
            expected.append(case_from_record(record))
        except KaaError:
            continue  # a record the case model refuses is reported, not carried over
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scb.txt"
        path.write_bytes(data)
        mapping = Path(tmp) / "scb.toml"
        mapping.write_text(f'period = "{PERIOD}"\nmunicipality = "1882"\n', encoding="utf-8")
        summary = SourceSummary(file=str(path))
        records = list(
            open_source("scb", path, summary=summary, reference_day=DAY, mapping=mapping)
        )
    assert summary.rows_read == len(submission.records)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert [r.case for r in records] == expected
    assert summary.records == len(records)


def test_a_stray_quote_in_an_scb_file_never_swallows_the_rows_after_it(tmp_path: Path) -> None:
    submission = Submission(
        period=PERIOD,
        municipality="1882",
        records=tuple(
            ScbRecord(
                mandatory=MandatoryData(
                    youth=IdentityNumber.parse(n),
                    municipality="1882",
                    registered=dt.date(2026, 8, 20),
                    reason=RegistrationReason.OTHER,
                    activity=Activity.WORK,
                )
            )
            for n in NUMBERS[:5]
        ),
    )
    header, *rows = dumps_submission(submission).split("\r\n")[:-1]
    rows[1] = rows[1].replace(";", ';"', 1)  # a quote opened in the second row ...
    rows[3] = rows[3].replace(";", '";', 1)  # ... and closed in the fourth
    path = tmp_path / "scb.txt"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    back = read_submission(path, period=PERIOD, municipality="1882", summary=summary)
    assert summary.rows_read == 5  # each line is a row: accepted or reported
    assert (summary.rows_accepted, summary.rows_rejected) == (3, 2)
    assert [p.line for p in summary.problems] == [3, 5]
    assert [r.youth for r in back.records] == [submission.records[i].youth for i in (0, 2, 4)]


@pytest.mark.parametrize("character", ["\u2028", "\x85", "\x0c", "\x1e"])
def test_a_line_separator_inside_an_scb_cell_is_one_bad_row(tmp_path: Path, character: str) -> None:
    submission = Submission(
        period=PERIOD,
        municipality="1882",
        records=tuple(
            ScbRecord(
                mandatory=MandatoryData(
                    youth=IdentityNumber.parse(n),
                    municipality="1882",
                    registered=dt.date(2026, 8, 20),
                    reason=RegistrationReason.OTHER,
                    activity=Activity.WORK,
                )
            )
            for n in NUMBERS[:3]
        ),
    )
    header, *rows = dumps_submission(submission).split("\r\n")[:-1]
    rows[0] = rows[0].replace(";1882;", f";18{character}82;", 1)
    rows[1] = rows[1].replace(";1882;", ";0000;", 1)
    path = tmp_path / "scb.txt"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    read_submission(path, period=PERIOD, municipality="1882", summary=summary)
    assert summary.rows_read == 3
    assert [p.line for p in summary.problems] == [2, 3]


def test_a_yes_no_word_with_a_hyphen_is_not_read_as_another_word(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Personnummer;Folkbokföringskommun;Skolform;Startdatum;Slutdatum;Avbrott\r\n"
        f"{NUMBERS[0]};1882;GY;2024-08-19;2025-02-14;-1\r\n",
        encoding="utf-8",
    )
    summary = SourceSummary(file=str(path))
    records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert records == [] or not records[0].youth.enrolments[0].cancelled
