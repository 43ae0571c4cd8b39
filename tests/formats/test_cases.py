"""The canonical cases file (JSON Lines)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies
from kaa.convert import to_dict
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    ContactOutcome,
    Measure,
    Registration,
)
from kaa.model.youth import HomeBasis, Residence
from kaa.testing.synthetic import synthetic_youths
from strategies import case_targets, json_record_fault

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


ADDRESS = Address(street="Hemliga gatan 7", postal_code="69999", city="Hemlighetsby")
SECRET = ("Hemliga gatan", "69999", "699 99", "Hemlighetsby")


def _protected(case: Case) -> Case:
    youth = attrs.evolve(
        case.youth,
        residences=tuple(attrs.evolve(r, basis=HomeBasis.PROTECTED) for r in case.youth.residences)
        or (Residence(municipality="1882", basis=HomeBasis.PROTECTED),),
    )
    return attrs.evolve(case, youth=youth, contact_details=ContactDetails(phone="070-1"))


def test_a_protected_youths_case_is_written_and_read_back_without_an_address(
    tmp_path: Path,
) -> None:
    original = [
        _protected(cases(1)[0]),
        attrs.evolve(cases(2)[1], contact_details=ContactDetails(address=ADDRESS)),
    ]
    path = tmp_path / "cases.jsonl"
    write_cases(original, path)
    first, second = path.read_text(encoding="utf-8").splitlines()
    assert not any(word in first for word in SECRET)
    assert json.loads(first)["contact_details"]["address"] is None
    assert "Hemliga gatan 7" in second  # a youth without protection keeps the address
    assert list(read_cases(path)) == original


@pytest.mark.parametrize(
    ("basis", "kept"),
    [
        pytest.param("protected", False, id="a stored protected youth's address refuses the case"),
        pytest.param("folkbokford", True, id="the same case of a youth not protected is read"),
    ],
)
def test_a_stored_case_keeps_an_address_only_when_the_youth_is_not_protected(
    tmp_path: Path, basis: str, kept: bool
) -> None:
    path = tmp_path / "cases.jsonl"
    write_cases([attrs.evolve(cases(1)[0], contact_details=ContactDetails(address=ADDRESS))], path)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["youth"]["residences"][0]["basis"] = basis
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    read = list(read_cases(path, summary=summary))
    assert [c.contact_details.address for c in read if c.contact_details] == (
        [ADDRESS] if kept else []
    )
    assert summary.rows_rejected == (not kept)
    for problem in summary.problems:
        assert problem.line == 1
        assert "protected identity: no address may be kept" in problem.message
        assert not any(word in str(problem) for word in SECRET)
    assert len(summary.problems) == (not kept)


# --- hostile input: every case read unchanged, or rejected and reported ------------------


@st.composite
def hostile_case_records(draw: st.DrawFn) -> tuple[list[str], list[Case], bool]:
    """The JSON texts of known cases, some with one fault (a bad optional enum, ``"nej"`` for
    a boolean, text after a date, ``[]`` for text, a duplicate key, a huge number, …); the
    cases a strict reader accepts, and whether a fault is in the JSON text itself."""
    written = draw(st.lists(strategies.cases(), max_size=5, unique_by=lambda c: c.youth.id))
    texts: list[str] = []
    clean: list[Case] = []
    refused = False
    for case in written:
        record = to_dict(case, reveal_ids=True)
        if draw(st.integers(0, 2)) == 0:
            text, decoder = draw(json_record_fault(record, case_targets(record)))
            texts.append(text)
            refused = refused or decoder
        else:
            texts.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
            clean.append(case)
    return texts, clean, refused


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_case_records(), st.sampled_from(["\n", "\r\n"]), st.booleans(), st.booleans())
def test_every_case_of_a_hostile_file_is_read_unchanged_or_rejected(
    generated: tuple[list[str], list[Case], bool], end: str, blank: bool, bom: bool
) -> None:
    texts, clean, _ = generated
    body = "".join(text + end + (end if blank else "") for text in texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        path.write_bytes((("\ufeff" if bom else "") + body).encode("utf-8"))
        summary = ReadSummary(file=str(path))
        back = list(read_cases(path, summary=summary, reference_day=D(2026, 11, 23)))
    assert summary.rows_read == len(texts)  # one per non-blank line: nothing lost
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert back == clean  # nothing altered
    assert summary.records == len(back)
    assert len(summary.problems) >= len(texts) - len(clean)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_case_records())
def test_a_hostile_json_array_of_cases_is_read_unchanged_rejected_or_refused_whole(
    generated: tuple[list[str], list[Case], bool],
) -> None:
    texts, clean, refused = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.json"
        path.write_text("[" + ",\n".join(texts) + "]", encoding="utf-8")
        summary = ReadSummary(file=str(path))
        if refused:
            with pytest.raises(InvalidInput):
                list(read_cases(path, summary=summary))
            return
        back = list(read_cases(path, summary=summary, reference_day=D(2026, 11, 23)))
    assert summary.rows_read == len(texts)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert back == clean
