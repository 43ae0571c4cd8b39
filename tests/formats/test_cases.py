"""The canonical cases file (JSON Lines)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import Activity, Case, Channel, Contact, ContactOutcome, Measure, Registration
from kaa.testing.synthetic import synthetic_youths

D = dt.date


def cases(n: int) -> list[Case]:
    return [
        Case(
            youth=y,
            municipality="1882",
            registration=Registration(day=D(2026, 1, 10)),
            contacts=(
                Contact(day=D(2026, 1, 20), channel=Channel.SMS, outcome=ContactOutcome.NO_ANSWER),
                Contact(
                    day=D(2026, 1, 15),
                    channel=Channel.PHONE,
                    outcome=ContactOutcome.REACHED,
                    activity=Activity.WORK,
                ),
            ),
            measures=(Measure(id="m1", type="study_guidance", offered=D(2026, 2, 1)),),
        )
        for y in synthetic_youths(n, on=D(2026, 11, 23), register=True)
    ]


def test_cases_round_trip_through_json_lines(tmp_path: Path) -> None:
    original = cases(25)
    path = tmp_path / "cases.jsonl"
    assert write_cases(original, path) == 25
    summary = ReadSummary(file=str(path))
    assert list(read_cases(path, summary=summary)) == original
    assert summary.ok
    assert original[0].contacts[0].day == D(2026, 1, 15)  # kept sorted by day


def test_a_bad_case_is_reported_with_line_path_and_masked_id(tmp_path: Path) -> None:
    original = cases(3)
    path = tmp_path / "cases.jsonl"
    write_cases(original, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[1])
    broken["contacts"][0]["channel"] = "pigeon"
    broken["registration"]["day"] = "2026-02-30"
    lines[1] = json.dumps(broken)
    lines.append(lines[0])  # the same youth twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    read = list(read_cases(path, summary=summary))
    assert len(read) == 2
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (4, 2, 2)
    messages = [str(p) for p in summary.problems]
    assert any(":2:" in m and "$.contacts[0].channel" in m for m in messages)
    assert any(":2:" in m and "$.registration.day" in m for m in messages)
    assert any(":4:" in m and "more than one case" in m for m in messages)
    full = original[1].youth.id.full("long")
    assert all(full[-4:] not in m for m in messages)


def test_an_invariant_violation_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    write_cases(cases(1), path)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["contacts"][0]["day"] = "2025-12-31"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    assert list(read_cases(path, summary=summary)) == []
    assert "before the registration" in str(summary.problems[0])


def test_unknown_suffix_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown file type"):
        list(read_cases(tmp_path / "cases.csv"))
