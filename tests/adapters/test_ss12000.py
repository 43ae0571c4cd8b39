"""SS12000 persons with enrolments: the target-group facts derived from the standard's fields.

Every document these tests give the source as valid SS12000 is first validated against the
shipped excerpt of the specification (``tests/data/ss12000/``, SIS TK450's OpenAPI 2.1.0) by
a JSON Schema validator over its ``components.schemas``: a fixture that breaks the
specification fails the suite. Documents that break it on purpose say which rule they break,
and the test checks that the validator agrees. The tests of the six rules the source once
got wrong (issue 15) are named after the rule of the specification they follow.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import NUMBERS
from kaa.adapters import SourceRecord, SourceSummary, open_source, ss12000
from kaa.adapters.ss12000 import COMPULSORY_YEARS, SCHOOL_TYPES
from kaa.errors import ConfigurationError, InvalidInput
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm
from kaa.rules.target_group import assess

DAY = dt.date(2026, 11, 23)
A, B = NUMBERS[0], NUMBERS[1]
SPEC_DIR = Path(__file__).resolve().parents[1] / "data" / "ss12000"

# -- the specification, as the tests read it ---------------------------------------------------

STAND_INS: dict[str, Any] = {
    # Referred to by the excerpt but not in it (see tests/data/ss12000/README.md): the tests'
    # stand-ins, not the specification's.
    "PersonExpanded": {"$ref": "#/components/schemas/Person"},
    "PersonReference": {"$ref": "#/components/schemas/ObjectReference"},
    "Meta": {"type": "object"},
    "externalIdentifier": {"type": "object"},
    "Programme_content_inner": {"type": "object"},
}


def _json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def spec() -> dict[str, Any]:
    """The shipped excerpt of SS12000 2.1.0 (its JSON rendering)."""
    text = (SPEC_DIR / "ss12000-2.1.0-person-enrolment.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def enums() -> dict[str, Any]:
    """The enums, defaults and required lists of the excerpt, and Skolverket's subset."""
    text = (SPEC_DIR / "ss12000-2.1.0-enums.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _schemas() -> dict[str, Any]:
    return {**STAND_INS, **_json_schema(spec()["components"]["schemas"])}


def _validator(schema: str, schemas: dict[str, Any] | None = None) -> jsonschema.Validator:
    root = {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": schemas}}
    if schemas is None:
        root["components"]["schemas"] = _schemas()
    cls = jsonschema.Draft202012Validator
    return cls(root, format_checker=cls.FORMAT_CHECKER)


def _dnp_schemas() -> dict[str, Any]:
    """Skolverket's subset: ``Person`` and ``Enrolment`` with only the subset's properties and
    its required lists, each property as the full specification defines it."""
    subset = enums()["skolverket_dnp_subset"]
    schemas = _schemas()
    for name in ("Person", "Enrolment"):
        full = schemas[name]
        schemas[name] = {
            **full,
            "properties": {k: full["properties"][k] for k in subset[f"{name}.properties"]},
            "required": subset[f"{name}.required"],
            "additionalProperties": False,
        }
    return schemas


def spec_errors(
    document: object, schema: str = "PersonsExpanded", *, dnp: bool = False
) -> list[str]:
    """What in ``document`` breaks the specification (``[]`` when it is valid)."""
    validator = _validator(schema, _dnp_schemas() if dnp else None)
    return sorted(
        f"{e.message} @ $.{'.'.join(str(p) for p in e.absolute_path)}"
        for e in validator.iter_errors(document)
    )


def assert_valid(document: object, schema: str = "PersonsExpanded", *, dnp: bool = False) -> None:
    """Fail if ``document`` is not valid under the specification (and its extra keys)."""
    assert spec_errors(document, schema, dnp=dnp) == []
    if isinstance(document, dict):
        for programme in _programme_list(document.get("programmes")):
            assert spec_errors(programme, "Programme") == []


def _programme_list(value: object) -> list[Any]:
    if isinstance(value, dict):
        value = value.get("data")
    return value if isinstance(value, list) else []


# -- fixtures, valid under the specification ----------------------------------------------------

_NAMESPACE = uuid.UUID("6f1b7c9e-3d0a-4e8b-9c2f-5a4d3e2b1c0d")


def uid(*parts: object) -> str:
    """A stable UUID for a fixture object (the specification's ids are UUIDs)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, parts))))


META = {"created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"}
SCHOOL = {"id": uid("school", 1)}
GR_9 = {
    "enroledAt": SCHOOL,
    "schoolType": "GR",
    "schoolYear": 9,
    "startDate": "2023-08-21",
    "endDate": "2024-06-12",
    "cancelled": False,
}
HOME = {
    "type": "Folkbokföring",
    "streetAddress": "Storgatan 1",
    "locality": "Askersund",
    "postalCode": "696 30",
    "municipalityCode": 1882,
    "country": "Sverige",
}


def person(ident: str, **extra: Any) -> dict[str, Any]:
    """A ``Person`` valid under the specification (check with :func:`assert_valid`)."""
    base: dict[str, Any] = {
        "id": uid("person", ident),
        "meta": META,
        "givenName": "Test",
        "familyName": "Testsson",
        "civicNo": {"value": ident, "nationality": "SE"},
        "securityMarking": "Ingen",
        "personStatus": "Aktiv",
        "addresses": [dict(HOME)],
        "enrolments": [dict(GR_9)],
    }
    base.update(extra)
    return base


def read(
    tmp_path: Path, data: object, suffix: str = ".json", *, valid: bool = True
) -> tuple[list[SourceRecord], SourceSummary]:
    """Read ``data`` with the ``ss12000`` source; first check that it is valid SS12000 (pass
    ``valid=False`` for a document that breaks the specification on purpose)."""
    if valid:
        if isinstance(data, list):
            for item in data:
                assert_valid(item, "Person")
        else:
            assert_valid(data)
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
    "enroledAt": SCHOOL,
    "schoolType": "GY",
    "startDate": "2024-08-19",
    "endDate": "2025-02-14",
    "cancelled": True,
    "programme": {"id": uid("programme", "NA")},
}
GY_IM = {
    "enroledAt": SCHOOL,
    "schoolType": "GY",
    "startDate": "2025-08-18",
    "programme": {"id": uid("programme", "IMYRK")},
}
PROGRAMMES = {
    "data": [
        {
            "id": uid("programme", "NA"),
            "meta": META,
            "name": "Naturvetenskapsprogrammet",
            "type": "Högskoleförberedande program",
            "schoolType": "GY",
            "code": "NA",
        },
        {
            "id": uid("programme", "IMYRK"),
            "meta": META,
            "name": "Yrkesintroduktion",
            "type": "Intruduktionsprogram",
            "schoolType": "GY",
            "code": "IMYRK",
        },
    ]
}


# -- the validator and the fixtures themselves -------------------------------------------------


def test_the_json_rendering_is_the_shipped_yaml() -> None:
    yaml = pytest.importorskip("yaml")
    text = (SPEC_DIR / "ss12000-2.1.0-person-enrolment.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == spec()
    assert spec()["x-excerpt-of"]["version"] == "2.1.0"


def test_the_fixtures_are_valid_under_the_specification() -> None:
    assert_valid({"data": [person(A), person(B)], "pageToken": None, "programmes": PROGRAMMES})
    assert_valid(person(A, enrolments=[GR_9, GY_BROKEN, GY_IM]), "Person")


@pytest.mark.parametrize(
    ("document", "schema", "words"),
    [
        pytest.param(
            person(A, id=f"uuid-{A}"), "Person", "is not a 'uuid'", id="an id that is no UUID"
        ),
        pytest.param(
            person(A, enrolments=[{**GR_9, "enroledAt": {"id": "school-1"}}]),
            "Person",
            "is not a 'uuid'",
            id="a school reference that is no UUID",
        ),
        pytest.param(
            {k: v for k, v in person(A).items() if k != "meta"},
            "Person",
            "'meta' is a required property",
            id="no meta",
        ),
        pytest.param(
            person(A, enrolments=[{**GR_9, "schoolType": "gr"}]),
            "Person",
            "is not one of",
            id="a school type in lower case",
        ),
        pytest.param(
            person(A, enrolments=[{**GR_9, "schoolYear": "9"}]),
            "Person",
            "is not of type 'integer'",
            id="a school year as text",
        ),
        pytest.param(
            person(A, enrolments=[{**GR_9, "endDate": ""}]),
            "Person",
            "is not a 'date'",
            id="an empty end date",
        ),
        pytest.param({"data": [], "pageToken": 7}, "PersonsExpanded", "is not valid", id="a token"),
    ],
)
def test_the_validator_catches_a_document_that_breaks_the_specification(
    document: object, schema: str, words: str
) -> None:
    errors = spec_errors(document, schema)
    assert errors
    assert any(words in e for e in errors), errors


def test_the_old_fixture_with_made_up_ids_broke_the_specification() -> None:
    old = person(A, id=f"uuid-{A}")
    old["enrolments"] = [{**GR_9, "enroledAt": {"id": "school-1"}}]
    assert len(spec_errors(old, "Person")) == 2
    assert spec_errors(person(A), "Person") == []


# -- every field and enum the source reads, checked against the shipped excerpt ---------------


def test_the_school_types_are_the_specifications() -> None:
    schema = spec()["components"]["schemas"]["SchoolTypesEnum"]
    assert list(SCHOOL_TYPES) == schema["enum"] == enums()["SchoolTypesEnum"]


def test_every_school_type_has_one_meaning() -> None:
    compulsory = set(COMPULSORY_YEARS)
    after = set(ss12000._SCHOOL_FORMS)
    passed_over = set(ss12000._PASSED_OVER)
    assert not compulsory & after
    assert not compulsory & passed_over
    assert not after & passed_over
    assert compulsory | after | passed_over == set(SCHOOL_TYPES)
    assert {t for t in after if t.endswith("GY")} >= ss12000._UPPER_SECONDARY_LEVEL


def test_the_enums_the_source_compares_are_the_specifications() -> None:
    plain = ss12000._plain
    e = enums()
    assert {plain(v) for v in e["Person_addresses_inner.type"]["enum"]} == ss12000._ADDRESS_TYPES
    assert plain(e["Person_addresses_inner.type"]["default"]) == ss12000._HOME
    assert {plain(v) for v in e["Person.personStatus"]["enum"]} == ss12000._STATUSES
    assert e["Person.personStatus"]["default"] == "Aktiv"
    assert {plain(v) for v in e["Person.securityMarking"]} == {
        ss12000._NO_MARKING,
        *ss12000._MARKINGS,
    }
    assert "Privat" in e["Email.type"]
    assert e["Phonenumber.mobile.default"] is True
    assert e["Enrolment.schoolYear"] == {"minimum": 0, "maximum": 10}
    programme_types = {plain(v) for v in e["Programme.type"]}
    assert programme_types >= ss12000._NATIONAL_TYPES | ss12000._BRANCH_TYPES
    assert ss12000._INTRODUCTION_TYPES & programme_types == {"intruduktionsprogram"}
    civic = spec()["components"]["schemas"]["Person_civicNo"]["properties"]
    assert civic["nationality"]["default"] == "SE"
    assert "20130101TF01" in civic["value"]["description"]
    assert ss12000._SCHOOL_LOCAL.fullmatch("20130101TF01")
    token = spec()["components"]["schemas"]["PersonsExpanded"]["properties"]["pageToken"]
    assert token["nullable"] is True
    assert "null" in token["description"]


# -- what the source reads ---------------------------------------------------------------------


def test_a_persons_response_gives_the_target_group_facts(tmp_path: Path) -> None:
    p = person(A)
    p["enrolments"] = [*p["enrolments"], GY_BROKEN]
    records, summary = read(tmp_path, {"data": [p], "pageToken": None, "programmes": PROGRAMMES})
    assert summary.ok
    assert summary.notices == []
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
            {**{k: v for k, v in GY_IM.items() if k != "programme"}, "educationCode": "IMSPR"},
            None,
            Programme.INTRODUCTION,
            id="the educationCode is used without programmes",
        ),
        pytest.param(
            {**GY_IM, "programme": {"id": uid("x"), "displayName": "Introduktionsprogram"}},
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


def test_code_programme_type_intruduktionsprogram_is_an_introduction_programme(
    tmp_path: Path,
) -> None:
    # Code_ProgrammeType spells it "Intruduktionsprogram"; a programinriktning takes its
    # parent programme's type (Programme_parentProgramme), even without a code.
    parent = {
        "id": uid("programme", "IM-parent"),
        "meta": META,
        "name": "Introduktionsprogram",
        "type": "Intruduktionsprogram",
        "schoolType": "GY",
    }
    branch = {
        "id": uid("programme", "IM-branch"),
        "meta": META,
        "name": "Inriktning",
        "type": "Programinriktning",
        "schoolType": "GY",
        "parentProgramme": {"id": parent["id"]},
    }
    enrolment = {**GY_IM, "programme": {"id": branch["id"]}}
    data = {"data": [person(A, enrolments=[enrolment])], "programmes": [parent, branch]}
    records, _ = read(tmp_path, data)
    assert records[0].youth.enrolments[0].programme is Programme.INTRODUCTION


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


def test_an_unknown_person_status_is_read_as_the_default_with_a_notice(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [person(A, personStatus="Död")], valid=False)
    assert records[0].youth.residences[0].municipality == "1882"
    (notice,) = summary.notices
    assert notice.column == "personStatus"
    assert "read as Aktiv, the default" in notice.message


def test_the_middle_name_and_the_preferred_contact_details(tmp_path: Path) -> None:
    found = person(
        A,
        middleName="Mellan",
        emails=[
            {"value": "elev@skola.example", "type": "Skola elev"},
            {"value": "test@example.com", "type": "Privat"},
        ],
        # Phonenumber.mobile is required, default true
        phoneNumbers=[
            {"value": "0583-100 00", "type": "Hem", "mobile": False},
            {"value": "070-000 00 00", "type": "Hem", "mobile": True},
        ],
    )
    records, _ = read(tmp_path, [found])
    details = records[0].contact_details
    assert details is not None
    assert (details.name, details.email, details.phone) == (
        "Test Mellan Testsson",
        "test@example.com",
        "070-000 00 00",
    )


def test_degrees_come_from_the_kaa_extension(tmp_path: Path) -> None:
    data = {
        "data": [person(A)],
        "degrees": [
            {"person": {"id": uid("person", A)}, "type": "Gymnasieexamen", "issued": "2026-06-12"}
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
    if bad != person("20080812-2395"):  # a bad check digit is valid SS12000, a bad number
        assert spec_errors(bad, "Person")
    records, summary = read(tmp_path, {"data": [bad, person(B)]}, valid=False)
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
    _, summary = read(tmp_path, data, valid=False)
    (problem,) = summary.problems
    assert problem.line > 10
    assert problem.message == "must be an object"


# -- the six rules of the specification the source once got wrong (issue 15) ----------------


@pytest.mark.parametrize(
    ("school_type", "year"),
    [
        pytest.param("TR", 9, id="träningsskolan year 9"),
        pytest.param("GR", 9, id="grundskolan year 9"),
        pytest.param("GRS", 9, id="grundsärskolan year 9"),
        pytest.param("SP", 10, id="specialskolan year 10"),
    ],
)
def test_school_types_enum_tr_year_9_completes_compulsory_school(
    tmp_path: Path, school_type: str, year: int
) -> None:
    enrolment = {**GR_9, "schoolType": school_type, "schoolYear": year}
    records, summary = read(tmp_path, [person(A, enrolments=[enrolment])])
    youth = records[0].youth
    assert youth.compulsory_school_completed == dt.date(2024, 6, 12)
    assert assess(youth, on=DAY).in_target_group
    assert summary.notices == []


@pytest.mark.parametrize(
    ("school_type", "year"),
    [
        pytest.param("TR", 8, id="träningsskolan year 8"),
        pytest.param("SP", 9, id="specialskolan year 9 of 10"),
        pytest.param("SAM", 6, id="sameskolan, years 1-6 only"),
    ],
)
def test_an_earlier_year_does_not_complete_compulsory_school(
    tmp_path: Path, school_type: str, year: int
) -> None:
    enrolment = {**GR_9, "schoolType": school_type, "schoolYear": year}
    records, _ = read(tmp_path, [person(A, enrolments=[enrolment])])
    assert records[0].youth.compulsory_school_completed is None


@pytest.mark.parametrize(
    "address",
    [
        pytest.param({k: v for k, v in HOME.items() if k != "type"}, id="no type"),
        pytest.param({**HOME, "type": None}, id="a null type"),
        pytest.param({**HOME, "type": "FOLKBOKFÖRING"}, id="capitals"),
        pytest.param({**HOME, "type": "Folkbokfo\u0308ring"}, id="a decomposed ö"),
        pytest.param({**HOME, "type": " folkbokföring "}, id="lower case with spaces"),
    ],
)
def test_code_address_type_default_is_folkbokforing(
    tmp_path: Path, address: dict[str, Any]
) -> None:
    found = person(A, addresses=[address])
    if "type" not in address:
        assert spec_errors(found, "Person") == []  # the default applies
    records, summary = read(tmp_path, [found], valid="type" not in address)
    (record,) = records
    assert record.youth.residences[0].municipality == "1882"
    assert record.contact_details is not None
    assert record.contact_details.address is not None
    assert summary.notices == []


@pytest.mark.parametrize(
    ("kind", "noticed"),
    [
        pytest.param("Postadress", False, id="a postal address of the specification"),
        pytest.param("Tillfällig adress", False, id="a temporary address of the specification"),
        pytest.param("Besöksadress", True, id="a type the specification does not have"),
        pytest.param(3, True, id="a number"),
    ],
)
def test_another_address_type_is_not_the_home(tmp_path: Path, kind: object, noticed: bool) -> None:
    found = person(A, addresses=[{**HOME, "type": kind}])
    records, summary = read(tmp_path, [found], valid=not noticed)
    assert records[0].youth.residences == ()
    assert records[0].contact_details is not None
    assert records[0].contact_details.address is None
    if noticed:
        (notice,) = summary.notices
        assert notice.column == "addresses[0].type"
        assert "not read as the home address" in notice.message
    else:
        assert summary.notices == []


@pytest.mark.parametrize("token", ["c29tZS10b2tlbg==", ""])
def test_persons_expanded_page_token_not_null_means_more_to_fetch(
    tmp_path: Path, token: str
) -> None:
    document = {"data": [person(A)], "pageToken": token}
    assert_valid(document)
    path = tmp_path / "persons.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    summary = SourceSummary(file=str(path))
    with pytest.raises(InvalidInput, match="one page of the register, not all of it") as caught:
        list(open_source("ss12000", path, summary=summary, reference_day=DAY))
    assert caught.value.column == "pageToken"
    assert token not in caught.value.message or not token
    assert summary.rows_read == 0


def test_a_last_page_and_a_joined_register_are_read(tmp_path: Path) -> None:
    records, _ = read(tmp_path, {"data": [person(A)], "pageToken": None})
    assert len(records) == 1
    records, _ = read(tmp_path, [person(A), person(B)], suffix=".jsonl")
    assert len(records) == 2


def _dnp(ident: str, enrolments: list[dict[str, Any]]) -> dict[str, Any]:
    """A person as Skolverket's subset for the national tests has it: no dates, no
    addresses."""
    return {
        "id": uid("person", ident),
        "meta": META,
        "givenName": "Test",
        "familyName": "Testsson",
        "eduPersonPrincipalNames": [f"{uid('eppn', ident)}@skola.example"],
        "civicNo": {"value": ident},
        "securityMarking": "Ingen",
        "enrolments": enrolments,
    }


DNP_GY = {"enroledAt": SCHOOL, "schoolType": "GY", "schoolYear": 2, "educationCode": "NA"}
DNP_GR_9 = {"enroledAt": SCHOOL, "schoolType": "GR", "schoolYear": 9}


def test_skolverket_subset_enrolment_without_dates_upper_secondary_is_accepted(
    tmp_path: Path,
) -> None:
    found = _dnp(A, [DNP_GY])
    assert spec_errors(found, "Person", dnp=True) == []
    assert any("'startDate' is a required property" in e for e in spec_errors(found, "Person"))
    records, summary = read(tmp_path, [found], valid=False)
    (enrolment,) = records[0].youth.enrolments
    assert (enrolment.school_form, enrolment.programme) == (
        SchoolForm.GYMNASIESKOLA,
        Programme.NATIONAL,
    )
    assert (enrolment.start, enrolment.end) == (DAY, None)
    assert enrolment.covers(DAY)
    (notice,) = summary.notices
    assert notice.column == "enrolments[0].startDate"
    assert "the first day is not known" in notice.message
    assert f"from {DAY.isoformat()}, the day the file is read against" in notice.message
    assert summary.rows_accepted == 1


def test_skolverket_subset_year_9_without_end_date_records_no_completion_day(
    tmp_path: Path,
) -> None:
    found = _dnp(A, [DNP_GR_9])
    assert spec_errors(found, "Person", dnp=True) == []
    records, summary = read(tmp_path, [found], valid=False)
    assert records[0].youth.compulsory_school_completed is None
    (notice,) = summary.notices
    assert notice.column == "enrolments[0].endDate"
    assert "that day is not known and none is recorded" in notice.message
    assert "record the day from the pupil register" in notice.message


def test_a_completion_day_found_elsewhere_needs_no_notice(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [person(A, enrolments=[GR_9, DNP_GR_9])], valid=False)
    assert records[0].youth.compulsory_school_completed == dt.date(2024, 6, 12)
    assert summary.notices == []


def test_an_enrolment_with_an_end_but_no_start_holds_on_its_end(tmp_path: Path) -> None:
    enrolment = {**DNP_GY, "endDate": "2026-06-12"}
    records, summary = read(tmp_path, [_dnp(A, [enrolment])], valid=False)
    (found,) = records[0].youth.enrolments
    assert (found.start, found.end) == (dt.date(2026, 6, 12), dt.date(2026, 6, 12))
    assert "on its endDate 2026-06-12 only" in summary.notices[0].message


def test_a_cancelled_enrolment_without_dates_is_not_attendance(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [_dnp(A, [{**DNP_GY, "cancelled": True}])], valid=False)
    assert records[0].youth.enrolments == ()
    assert "is not read as attendance" in summary.notices[0].message


@pytest.mark.parametrize("country", ["NO", "fi", "DK "])
def test_civic_no_nationality_is_the_country_the_number_comes_from(
    tmp_path: Path, country: str
) -> None:
    foreign = person(A, civicNo={"value": A, "nationality": country})
    assert spec_errors(foreign, "Person") == []  # any ISO 3166-1 alpha-2 code is valid
    records, summary = read(tmp_path, {"data": [foreign, person(B)]})
    assert len(records) == 1
    (problem,) = summary.problems
    assert problem.column == "civicNo.nationality"
    assert "another country than Sweden" in problem.message
    assert "not read as a Swedish personnummer" in problem.message


@pytest.mark.parametrize(
    ("civic", "read_as_swedish"),
    [
        pytest.param({"value": A}, True, id="no nationality: the default SE"),
        pytest.param({"value": A, "nationality": "SE"}, True, id="SE"),
        pytest.param({"value": A, "nationality": "se"}, True, id="se in lower case"),
        pytest.param({"value": A, "nationality": ""}, False, id="an empty text"),
        pytest.param({"value": A, "nationality": 752}, False, id="a number"),
    ],
)
def test_only_a_swedish_nationality_reads_a_swedish_number(
    tmp_path: Path, civic: dict[str, Any], read_as_swedish: bool
) -> None:
    records, summary = read(tmp_path, [person(A, civicNo=civic)], valid=False)
    assert len(records) == int(read_as_swedish)
    if not read_as_swedish:
        assert "not an ISO 3166-1 alpha-2 country code" in summary.problems[0].message


@pytest.mark.parametrize("value", ["20130101TF01", "20130101-TF01", "201301011F01", "20130101AB12"])
def test_civic_no_value_school_local_form_is_refused_with_its_own_message(
    tmp_path: Path, value: str
) -> None:
    local = person(A, civicNo={"value": value})
    assert spec_errors(local, "Person") == []
    records, summary = read(tmp_path, {"data": [local, person(B)]})
    assert len(records) == 1
    (problem,) = summary.problems
    assert problem.column == "civicNo.value"
    assert "school-local temporary number (tillfälligt personnummer" in problem.message
    assert "ask the school for the youth's personnummer" in problem.message
    assert problem.youth == "20130101-****"


def test_an_interim_number_of_the_library_is_read(tmp_path: Path) -> None:
    records, _ = read(tmp_path, [person(A, civicNo={"value": "20130101T001"})])
    assert records[0].youth.id.is_interim


# -- values the source once dropped without a word ---------------------------------------------


@pytest.mark.parametrize("value", ["gy", " GY ", "Gy"])
def test_a_school_type_is_compared_without_case(tmp_path: Path, value: str) -> None:
    records, _ = read(
        tmp_path, [person(A, enrolments=[{**GY_IM, "schoolType": value}])], valid=False
    )
    assert records[0].youth.enrolments[0].school_form is SchoolForm.GYMNASIESKOLA


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param(10, "is a number, not one of", id="a number"),
        pytest.param("GYX", "not one of the specification's SchoolTypesEnum", id="unknown"),
        pytest.param("", "not one of the specification's SchoolTypesEnum", id="empty"),
        pytest.param(None, "schoolType is missing", id="null"),
    ],
)
def test_a_school_type_the_specification_does_not_have_is_reported(
    tmp_path: Path, value: object, words: str
) -> None:
    bad = person(A, enrolments=[{**GY_IM, "schoolType": value}])
    assert spec_errors(bad, "Person")
    records, summary = read(tmp_path, {"data": [bad, person(B)]}, valid=False)
    assert len(records) == 1
    (problem,) = summary.problems
    assert problem.column == "enrolments[0].schoolType"
    assert words in problem.message


def test_a_missing_school_type_is_reported(tmp_path: Path) -> None:
    enrolment = {k: v for k, v in GY_IM.items() if k != "schoolType"}
    _, summary = read(tmp_path, [person(A, enrolments=[enrolment])], valid=False)
    assert "schoolType is missing" in summary.problems[0].message


@pytest.mark.parametrize("year", ["9", " 9", 9.0])
def test_a_school_year_as_text_is_read_as_the_number(tmp_path: Path, year: object) -> None:
    records, summary = read(
        tmp_path, [person(A, enrolments=[{**GR_9, "schoolYear": year}])], valid=False
    )
    assert records[0].youth.compulsory_school_completed == dt.date(2024, 6, 12)
    assert summary.notices == []


@pytest.mark.parametrize("year", ["nio", "9a", 11, -1, True, 9.5])
def test_a_school_year_that_is_not_one_is_reported(tmp_path: Path, year: object) -> None:
    _, summary = read(tmp_path, [person(A, enrolments=[{**GR_9, "schoolYear": year}])], valid=False)
    (problem,) = summary.problems
    assert problem.column == "enrolments[0].schoolYear"
    assert "whole number from 0 to 10" in problem.message


def test_a_compulsory_enrolment_without_a_school_year_gives_a_notice(tmp_path: Path) -> None:
    enrolment = {k: v for k, v in GR_9.items() if k != "schoolYear"}
    records, summary = read(tmp_path, [person(A, enrolments=[enrolment])])
    assert records[0].youth.compulsory_school_completed is None
    (notice,) = summary.notices
    assert notice.column == "enrolments[0].schoolYear"


@pytest.mark.parametrize("field", ["endDate", "startDate"])
def test_an_empty_date_is_reported_not_read_as_no_date(tmp_path: Path, field: str) -> None:
    bad = person(A, enrolments=[{**GY_BROKEN, field: ""}])
    assert any("is not a 'date'" in e for e in spec_errors(bad, "Person"))
    records, summary = read(tmp_path, {"data": [bad, person(B)]}, valid=False)
    assert len(records) == 1
    (problem,) = summary.problems
    assert problem.column == f"enrolments[0].{field}"
    assert "an empty text is not a date" in problem.message


# -- generated from the specification: every valid person is read ------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2026, 11, 1))


@st.composite
def spec_enrolments(draw: st.DrawFn) -> dict[str, Any]:
    """An ``Enrolment`` valid under the specification, its values from the spec's enums."""
    start = draw(_DAYS)
    enrolment: dict[str, Any] = {
        "enroledAt": {"id": str(draw(st.uuids()))},
        "schoolType": draw(st.sampled_from(enums()["SchoolTypesEnum"])),
        "startDate": start.isoformat(),
    }
    if draw(st.booleans()):
        enrolment["schoolYear"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        end = draw(st.dates(start, dt.date(2027, 6, 30)))
        enrolment["endDate"] = end.isoformat()
    if draw(st.booleans()):
        enrolment["cancelled"] = draw(st.booleans())
    if draw(st.booleans()):
        enrolment["educationCode"] = draw(st.sampled_from(["NA", "TE", "IMYRK", "IMSPR", "EE"]))
    return enrolment


@st.composite
def spec_persons(draw: st.DrawFn) -> dict[str, Any]:
    """A ``Person`` valid under the specification, with a Skatteverket test number."""
    found: dict[str, Any] = {
        "id": str(draw(st.uuids())),
        "meta": META,
        "givenName": draw(_TEXT),
        "familyName": draw(_TEXT),
        "civicNo": {"value": draw(st.sampled_from(NUMBERS[:50]))},
        "enrolments": draw(st.lists(spec_enrolments(), max_size=4)),
    }
    if draw(st.booleans()):
        found["civicNo"]["nationality"] = "SE"
    for field in ("securityMarking", "personStatus"):
        if draw(st.booleans()):
            found[field] = draw(
                st.sampled_from(
                    spec()["components"]["schemas"]["Person"]["properties"][field]["enum"]
                )
            )
    addresses = []
    for _ in range(draw(st.integers(0, 2))):
        address = {
            "streetAddress": draw(_TEXT),
            "locality": draw(_TEXT),
            "postalCode": draw(_TEXT),
            "country": "Sverige",
            "municipalityCode": draw(st.sampled_from([180, 1882, 1480, 2584])),
        }
        if draw(st.booleans()):
            address["type"] = draw(st.sampled_from(enums()["Person_addresses_inner.type"]["enum"]))
        addresses.append(address)
    found["addresses"] = addresses
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    persons=st.lists(
        spec_persons(), min_size=1, max_size=4, unique_by=lambda p: p["civicNo"]["value"]
    )
)
def test_every_person_valid_under_the_specification_is_read(
    tmp_path_factory: pytest.TempPathFactory, persons: list[dict[str, Any]]
) -> None:
    document = {"data": copy.deepcopy(persons), "pageToken": None}
    assert_valid(document)
    records, summary = read(tmp_path_factory.mktemp("spec"), document)
    assert summary.problems == []
    assert len(records) == len(persons)
    for record, found in zip(records, persons, strict=True):
        marked = found.get("securityMarking", "Ingen") != "Ingen"
        assert record.youth.has_protected_identity is (marked and bool(record.youth.residences))
        if marked:
            assert record.contact_details is None or record.contact_details.address is None


# securityMarking (issue 11): anything but the documented "Ingen" is protected.

_ABSENT = object()


def _spec_marking(marking: object) -> bool:
    """Whether the marking is one the specification allows (absent, or a value of its enum)."""
    return marking is _ABSENT or marking in enums()["Person.securityMarking"]


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
    records, summary = read(tmp_path, [_marked(marking)], valid=_spec_marking(marking))
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
    records, summary = read(tmp_path, [_marked(marking)], valid=_spec_marking(marking))
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
    assert spec_errors(_marked(marking), "Person")
    records, summary = read(tmp_path, [_marked(marking)], valid=False)
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
    visit = {
        "type": "Särskild postadress",
        "streetAddress": "Hemliga gatan 7",
        "locality": "Hemlighetsby",
        "postalCode": "699 99",
        "country": "Sverige",
    }
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
    valid = not spec_errors(found, "Person")  # an empty text is valid, null or a number not
    records, summary = read(tmp_path, [found], valid=valid)
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
    found["addresses"] = [{**complete, "streetAddress": ""}, complete]
    records, summary = read(tmp_path, [found])
    assert records[0].contact_details is not None
    assert records[0].contact_details.address is not None
    assert summary.notices == []
