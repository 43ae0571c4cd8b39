"""SS12000 persons with enrolments: the target-group facts derived from the standard's fields."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from exports import NUMBERS
from kaa.adapters import SourceRecord, SourceSummary, open_source
from kaa.errors import ConfigurationError, InvalidInput
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm
from kaa.rules.target_group import assess

DAY = dt.date(2026, 11, 23)
A, B = NUMBERS[0], NUMBERS[1]


def person(ident: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"uuid-{ident}",
        "meta": {"created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"},
        "givenName": "Test",
        "familyName": "Testsson",
        "civicNo": {"value": ident, "nationality": "SE"},
        "securityMarking": "Ingen",
        "personStatus": "Aktiv",
        "addresses": [
            {
                "type": "Folkbokföring",
                "streetAddress": "Storgatan 1",
                "locality": "Askersund",
                "postalCode": "696 30",
                "municipalityCode": 1882,
                "country": "Sverige",
            }
        ],
        "enrolments": [
            {
                "enroledAt": {"id": "school-1"},
                "schoolType": "GR",
                "schoolYear": 9,
                "startDate": "2023-08-21",
                "endDate": "2024-06-12",
                "cancelled": False,
            },
        ],
    }
    base.update(extra)
    return base


def read(
    tmp_path: Path, data: object, suffix: str = ".json"
) -> tuple[list[SourceRecord], SourceSummary]:
    path = tmp_path / f"persons{suffix}"
    if suffix == ".jsonl":
        assert isinstance(data, list)
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in data), "utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    summary = SourceSummary(file=str(path))
    records = list(open_source("ss12000", path, summary=summary, reference_day=DAY))
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    return records, summary


GY_BROKEN = {
    "enroledAt": {"id": "s"},
    "schoolType": "GY",
    "startDate": "2024-08-19",
    "endDate": "2025-02-14",
    "cancelled": True,
    "programme": {"id": "p-na"},
}
GY_IM = {
    "enroledAt": {"id": "s"},
    "schoolType": "GY",
    "startDate": "2025-08-18",
    "programme": {"id": "p-im"},
}
PROGRAMMES = {
    "data": [
        {"id": "p-na", "name": "Naturvetenskapsprogrammet", "code": "NA"},
        {"id": "p-im", "name": "Yrkesintroduktion", "code": "IMYRK"},
    ]
}


def test_a_persons_response_gives_the_target_group_facts(tmp_path: Path) -> None:
    p = person(A)
    p["enrolments"] = [*p["enrolments"], GY_BROKEN]
    records, summary = read(tmp_path, {"data": [p], "pageToken": None, "programmes": PROGRAMMES})
    assert summary.ok
    (record,) = records
    youth = record.youth
    assert youth.compulsory_school_completed == dt.date(2024, 6, 12)
    assert youth.residences[0].municipality == "1882"
    (enrolment,) = youth.enrolments
    assert (enrolment.school_form, enrolment.programme, enrolment.cancelled) == (
        SchoolForm.GYMNASIESKOLA,
        Programme.NATIONAL,
        True,
    )
    assert assess(youth, on=DAY).in_target_group
    assert record.contact_details is not None
    assert record.contact_details.address is not None


@pytest.mark.parametrize(
    ("enrolment", "programmes", "expected"),
    [
        pytest.param(
            GY_IM,
            PROGRAMMES,
            Programme.INTRODUCTION,
            id="a programme code starting IM is an introduction programme",
        ),
        pytest.param(
            {**GY_IM, "programme": None, "educationCode": "IMSPR"},
            None,
            Programme.INTRODUCTION,
            id="the educationCode is used without programmes",
        ),
        pytest.param(
            {**GY_IM, "programme": {"id": "x", "displayName": "Introduktionsprogram"}},
            None,
            Programme.INTRODUCTION,
            id="the display name is the last resort",
        ),
        pytest.param(
            {**GY_IM, "schoolType": "VUXGY"},
            None,
            Programme.UPPER_SECONDARY_LEVEL,
            id="komvux at upper-secondary level",
        ),
    ],
)
def test_programmes_are_derived(
    tmp_path: Path, enrolment: dict[str, Any], programmes: object, expected: Programme
) -> None:
    data: dict[str, Any] = {"data": [person(A, enrolments=[enrolment])]}
    if programmes is not None:
        data["programmes"] = programmes
    records, _ = read(tmp_path, data)
    assert records[0].youth.enrolments[0].programme is expected


def test_protected_identity_keeps_no_address(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [person(A, securityMarking="Skyddad folkbokföring")])
    (record,) = records
    assert record.youth.residences[0].basis is HomeBasis.PROTECTED
    assert record.contact_details is not None
    assert record.contact_details.address is None
    assert [n.message for n in summary.notices] == ["protected identity: the address was not kept"]


def test_an_emigrated_person_has_no_home_municipality(tmp_path: Path) -> None:
    records, _ = read(tmp_path, [person(A, personStatus="Utvandrad")])
    assert records[0].youth.residences == ()


def test_degrees_come_from_the_kaa_extension(tmp_path: Path) -> None:
    data = {
        "data": [person(A)],
        "degrees": [
            {"person": {"id": f"uuid-{A}"}, "type": "Gymnasieexamen", "issued": "2026-06-12"}
        ],
    }
    records, _ = read(tmp_path, data)
    assert records[0].youth.qualifications[0].kind is QualificationKind.GYMNASIEEXAMEN


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        pytest.param(person(A, civicNo=None), "civicNo.value is missing", id="no civicNo"),
        pytest.param(person("20080812-2395"), "not a valid identity number", id="a bad civicNo"),
        pytest.param(
            person(A, enrolments=[{**GY_IM, "startDate": "18/8"}]), "is not a date", id="a bad date"
        ),
        pytest.param(
            person(A, enrolments=[{**GY_IM, "cancelled": "ja"}]),
            "true or false",
            id="cancelled that is not a boolean",
        ),
        pytest.param(person(A, addresses="Storgatan"), "must be a list", id="addresses not a list"),
        pytest.param("a string", "must be an object", id="a person that is not an object"),
    ],
)
def test_bad_persons_are_reported_and_the_rest_read(
    tmp_path: Path, bad: object, words: str
) -> None:
    records, summary = read(tmp_path, {"data": [bad, person(B)]})
    assert len(records) == 1
    (problem,) = summary.problems
    assert words in problem.message
    assert problem.line == 3
    if isinstance(bad, dict) and bad.get("civicNo") and bad["civicNo"]["value"] == A:
        assert problem.youth == A[:8] + "-****"


def test_a_person_twice_is_reported(tmp_path: Path) -> None:
    _, summary = read(tmp_path, [person(A), person(A)], suffix=".jsonl")
    assert (summary.rows_accepted, summary.rows_rejected) == (1, 1)
    assert "appeared on line 1" in summary.problems[0].message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("{", "not valid JSON", id="broken JSON"),
        pytest.param('{"data": 3}', "expected a /persons response", id="data not a list"),
    ],
)
def test_a_file_that_is_not_ss12000_is_refused(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "persons.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=words):
        list(open_source("ss12000", path, reference_day=DAY))


def test_no_mapping_file_is_taken(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="takes no mapping file"):
        list(open_source("ss12000", tmp_path / "p.json", mapping=tmp_path / "m.toml"))


def test_lines_are_found_when_other_keys_come_first(tmp_path: Path) -> None:
    data = {"programmes": {"data": [{"id": "data", "code": "NA"}]}, "data": [person(A), 7]}
    _, summary = read(tmp_path, data)
    (problem,) = summary.problems
    assert problem.line > 10
    assert problem.message == "must be an object"


# securityMarking (issue 11): anything but the documented "Ingen" is protected.

_ABSENT = object()


def _marked(marking: object) -> dict[str, Any]:
    found = person(A)
    if marking is _ABSENT:
        del found["securityMarking"]
    else:
        found["securityMarking"] = marking
    return found


@pytest.mark.parametrize(
    "marking",
    [
        pytest.param("Ingen", id="the documented none value"),
        pytest.param("INGEN", id="the none value in capitals"),
        pytest.param(" ingen\u00a0", id="the none value with spaces"),
        pytest.param(None, id="a null marking"),
        pytest.param(_ABSENT, id="no marking at all, the field being optional"),
    ],
)
def test_a_person_without_a_marking_keeps_the_address(tmp_path: Path, marking: object) -> None:
    records, summary = read(tmp_path, [_marked(marking)])
    (record,) = records
    assert record.youth.residences[0].basis is HomeBasis.FOLKBOKFORD
    assert record.contact_details is not None
    assert record.contact_details.address is not None
    assert summary.notices == []


@pytest.mark.parametrize(
    "marking",
    [
        pytest.param("Skyddad folkbokföring", id="skyddad folkbokföring"),
        pytest.param("Sekretessmarkering", id="sekretessmarkering"),
        pytest.param("Skyddad folkbokfo\u0308ring", id="a decomposed ö"),
        pytest.param("SKYDDAD FOLKBOKFÖRING", id="capitals"),
        pytest.param("skyddad folkbokforing", id="no diacritics"),
        pytest.param("Skyddad\u00a0folkbokföring", id="a non-breaking space"),
        pytest.param("  sekretessmarkering ", id="surrounding spaces"),
        pytest.param("Sekretess-markering", id="a hyphen inside"),
    ],
)
def test_a_documented_marking_however_written_is_protected(tmp_path: Path, marking: str) -> None:
    records, summary = read(tmp_path, [_marked(marking)])
    (record,) = records
    assert record.youth.residences[0].basis is HomeBasis.PROTECTED
    assert record.contact_details is not None
    assert record.contact_details.address is None
    assert [n.message for n in summary.notices] == ["protected identity: the address was not kept"]


@pytest.mark.parametrize(
    "marking",
    [
        pytest.param("Skyddad identitet", id="a word the standard does not have"),
        pytest.param("Sekretess", id="sekretess alone"),
        pytest.param("Spärrad", id="spärrad"),
        pytest.param("", id="an empty text"),
        pytest.param("None", id="the English none"),
        pytest.param(1, id="a number"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(["Ingen"], id="a list"),
        pytest.param({"value": "Ingen"}, id="an object"),
    ],
)
def test_an_unknown_marking_is_protected_with_a_notice(tmp_path: Path, marking: object) -> None:
    records, summary = read(tmp_path, [_marked(marking)])
    (record,) = records
    assert record.youth.residences[0].basis is HomeBasis.PROTECTED
    assert record.contact_details is not None
    assert record.contact_details.address is None
    unknown, dropped = summary.notices
    assert unknown.column == "securityMarking"
    assert unknown.youth == A[:8] + "-****"
    assert "is not one of the standard's values" in unknown.message
    assert "read as protected" in unknown.message
    assert dropped.message == "protected identity: the address was not kept"
    assert summary.rows_accepted == 1


def test_a_protected_person_keeps_no_address_of_any_type(tmp_path: Path) -> None:
    visit = {"type": "Besöksadress", "streetAddress": "Hemliga gatan 7", "locality": "Hemlighetsby"}
    found = person(A, securityMarking="Sekretessmarkering")
    found["addresses"] = [visit, *found["addresses"]]
    records, summary = read(tmp_path, [found])
    (record,) = records
    assert record.contact_details is not None
    assert record.contact_details.address is None
    assert [n.message for n in summary.notices] == ["protected identity: the address was not kept"]


@pytest.mark.parametrize(
    "missing",
    [
        pytest.param({"streetAddress": None}, id="no street"),
        pytest.param({"postalCode": ""}, id="an empty postal code"),
        pytest.param({"locality": None}, id="no locality"),
        pytest.param({"postalCode": 69630}, id="a postal code that is not text"),
    ],
)
def test_a_partial_address_drops_the_address_with_a_notice(
    tmp_path: Path, missing: dict[str, Any]
) -> None:
    found = person(A)
    found["addresses"] = [{**found["addresses"][0], **missing}]
    records, summary = read(tmp_path, [found])
    (record,) = records
    assert record.youth.residences[0].municipality == "1882"
    assert record.contact_details is not None
    assert record.contact_details.address is None
    (notice,) = summary.notices
    assert notice.column == "addresses[0]"
    assert "the Folkbokföring address was not kept" in notice.message
    assert "the person is read" in notice.message
    assert (summary.rows_accepted, summary.rows_rejected) == (1, 0)


def test_a_complete_folkbokforing_address_after_a_partial_one_is_kept(tmp_path: Path) -> None:
    found = person(A)
    complete = found["addresses"][0]
    found["addresses"] = [{**complete, "streetAddress": None}, complete]
    records, summary = read(tmp_path, [found])
    assert records[0].contact_details is not None
    assert records[0].contact_details.address is not None
    assert summary.notices == []
