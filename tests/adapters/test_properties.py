"""Properties of every reader: nothing lost, and no crash on arbitrary bytes."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import NUMBERS, csv_text
from kaa.adapters import SourceSummary, open_source
from kaa.adapters.builtin import builtin_sources
from kaa.errors import KaaError

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
    suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".txt"]),
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
