"""No message shows an identity number whole: a number put into every field of every input
format, in each of its written forms, never comes back whole in a problem, a notice or an
error — whatever field it lands in (issue 11: "messages never echo a cell that could hold
one"). Every message goes through :func:`kaa.errors.scrub`; this test is what proves it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaa.adapters import SourceSummary, open_source
from kaa.adapters.profile import builtin_profile
from kaa.errors import KaaError, scrub
from kaa.formats.canonical import CSV_COLUMNS
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.period import HalfYear
from kaa.scb.reader import read_submission

DAY = dt.date(2026, 11, 23)
BASE = "20070413-2396"
"""The youth of the base files (a Skatteverket test number)."""
PLANTED = "200808122394"
"""The number planted into each field (a Skatteverket test number)."""
FORMS = [PLANTED, "20080812-2394", "0808122394", "080812-2394", "080812+2394", "20080812 2394"]
WHOLE = [*FORMS, "2008081223", "08122394"]
"""Texts that must never appear in a message (the planted number, whole or nearly)."""
CASES = Path(__file__).resolve().parents[1] / "examples" / "data" / "cases.jsonl"


def _messages(summary: ReadSummary, error: KaaError | None) -> list[str]:
    found = [str(p) for p in summary.problems]
    found += [str(n) for n in getattr(summary, "notices", [])]
    if error is not None:
        found.append(str(error))
    return found


def _assert_masked(messages: list[str], where: str) -> None:
    for message in messages:
        for whole in WHOLE:
            assert whole not in message, f"{where}: {message}"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _leaves(inner, (*path, i))
    else:
        yield path


def _planted(value: Any, path: tuple[Any, ...], text: str) -> Any:
    copied = copy.deepcopy(value)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text
    return copied


def _read_source(name: str, path: Path) -> list[str]:
    summary = SourceSummary(file=str(path))
    try:
        list(open_source(name, path, summary=summary, reference_day=DAY))
    except KaaError as exc:
        return _messages(summary, exc)
    return _messages(summary, None)


def test_scrub_masks_every_written_form() -> None:
    for form in FORMS:
        assert "2394" not in scrub(f"x {form} y")


# -- the canonical youths, CSV ----------------------------------------------------------------

_CANONICAL_ROWS = [
    [BASE, "residence", "folkbokford", "", "1882", "2007-04-13", "", ""],
    [BASE, "compulsory_school", "", "", "", "2023-06-10", "", ""],
    [BASE, "enrolment", "gymnasieskola", "national", "", "2023-08-21", "2024-02-09", "yes"],
]


@pytest.mark.parametrize("form", FORMS)
def test_the_canonical_csv_never_shows_a_planted_number(tmp_path: Path, form: str) -> None:
    for r, row in enumerate(_CANONICAL_ROWS):
        for c in range(len(row)):
            rows = copy.deepcopy(_CANONICAL_ROWS)
            rows[r][c] = form
            path = tmp_path / "youths.csv"
            lines = [",".join(CSV_COLUMNS), *(",".join(x) for x in rows)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            _assert_masked(_read_source("canonical", path), f"row {r} column {c}")


# -- the canonical youths, JSON and JSON Lines, and the cases file -----------------------------


def _youth() -> dict[str, Any]:
    return {
        "id": BASE,
        "residences": [{"municipality": "1882", "basis": "folkbokford", "start": "2007-04-13"}],
        "compulsory_school_completed": "2023-06-10",
        "enrolments": [
            {"school_form": "gymnasieskola", "programme": "national", "start": "2023-08-21"}
        ],
    }


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_the_canonical_json_never_shows_a_planted_number(tmp_path: Path, suffix: str) -> None:
    youth = _youth()
    for leaf in _leaves(youth):
        for form in FORMS:
            changed = _planted(youth, leaf, form)
            path = tmp_path / f"youths{suffix}"
            text = json.dumps([changed]) if suffix == ".json" else json.dumps(changed) + "\n"
            path.write_text(text, encoding="utf-8")
            _assert_masked(_read_source("canonical", path), f"{leaf}")


def test_the_cases_file_never_shows_a_planted_number(tmp_path: Path) -> None:
    record = json.loads(CASES.read_text(encoding="utf-8").splitlines()[0])
    for leaf in _leaves(record):
        for form in (PLANTED, "20080812-2394", "080812-2394"):
            path = tmp_path / "cases.jsonl"
            path.write_text(json.dumps(_planted(record, leaf, form)) + "\n", encoding="utf-8")
            summary = ReadSummary(file=str(path))
            try:
                list(read_cases(path, summary=summary, reference_day=DAY))
            except KaaError as exc:
                _assert_masked(_messages(summary, exc), f"{leaf}")
            else:
                _assert_masked(_messages(summary, None), f"{leaf}")


# -- the register exports ----------------------------------------------------------------------


@pytest.mark.parametrize("source", ["ist", "ber", "hypernet"])
def test_a_register_export_never_shows_a_planted_number(tmp_path: Path, source: str) -> None:
    profile = builtin_profile(source)
    heads = {field: names[0] for field, names in profile.columns.items() if names}
    values = {
        "id": BASE,
        "municipality": "1882",
        "compulsory_school_completed": "2023-06-10",
        "registered": "2026-01-10",
    }
    head = list(heads.values())
    row = [values.get(field, "") for field in heads]
    for c in range(len(head)):
        for form in FORMS:
            cells = list(row)
            cells[c] = form
            path = tmp_path / "export.csv"
            path.write_text(";".join(head) + "\r\n" + ";".join(cells) + "\r\n", encoding="utf-8")
            _assert_masked(_read_source(source, path), f"{source} column {head[c]}")


# -- SS12000 -----------------------------------------------------------------------------------


def _person() -> dict[str, Any]:
    return {
        "id": "4f6c2a7e-0d1b-4a8e-9c3f-2b7d5e1a9c40",
        "givenName": "Test",
        "familyName": "Testsson",
        "civicNo": {"value": BASE.replace("-", ""), "nationality": "SE"},
        "securityMarking": "Ingen",
        "addresses": [
            {
                "type": "Folkbokföring",
                "streetAddress": "Storgatan 1",
                "locality": "Askersund",
                "postalCode": "696 30",
                "municipalityCode": "1882",
            }
        ],
        "enrolments": [
            {
                "enroledAt": {"id": "school-1"},
                "schoolType": "GR",
                "schoolYear": 9,
                "startDate": "2022-08-22",
                "endDate": "2023-06-10",
            }
        ],
    }


def test_an_ss12000_document_never_shows_a_planted_number(tmp_path: Path) -> None:
    person = _person()
    for leaf in _leaves(person):
        for form in FORMS:
            path = tmp_path / "persons.json"
            path.write_text(json.dumps({"data": [_planted(person, leaf, form)]}), encoding="utf-8")
            _assert_masked(_read_source("ss12000", path), f"{leaf}")


# -- a prior SCB file --------------------------------------------------------------------------


def test_a_prior_scb_file_never_shows_a_planted_number(tmp_path: Path) -> None:
    snapshot = Path(__file__).resolve().parent / "snapshots" / "scb-1882-2026H2.txt"
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    cells = first.split(";")
    for c in range(len(cells)):
        for form in FORMS:
            changed = list(cells)
            changed[c] = form
            path = tmp_path / "scb.txt"
            path.write_text(f"{header}\n{';'.join(changed)}\n", encoding="utf-8")
            summary = ReadSummary(file=str(path))
            try:
                read_submission(
                    path, period=HalfYear.parse("2026H2"), municipality="1882", summary=summary
                )
            except KaaError as exc:
                _assert_masked(_messages(summary, exc), f"scb column {c}")
            else:
                _assert_masked(_messages(summary, None), f"scb column {c}")
