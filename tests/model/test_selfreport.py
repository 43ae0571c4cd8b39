"""The youth's own report through the e-service, and its published JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import NUMBERS
from kaa.errors import InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, Channel, Contacted, ContactOutcome
from kaa.model.selfreport import SCHEMA_ID, SelfReport, json_schema, json_schema_text

A = IdentityNumber.parse(NUMBERS[0])
DAY = dt.date(2026, 11, 2)
SHIPPED = files("kaa.data").joinpath("schemas", "self-report.schema.json")


def _validator() -> jsonschema.Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_one_generated_from_the_model() -> None:
    # regenerate with kaa.adapters.etjanst.write_self_report_schema()
    assert SHIPPED.read_text(encoding="utf-8") == json_schema_text()


def test_the_schema_has_one_property_per_field_with_its_description() -> None:
    schema = json_schema()
    assert schema["$id"] == SCHEMA_ID
    assert list(schema["properties"]) == [f.name for f in attrs.fields(SelfReport)]
    assert schema["required"] == ["youth", "day"]
    assert all(p["description"] and p["x-label-sv"] for p in schema["properties"].values())
    assert "unknown" not in schema["properties"]["activity"]["enum"]
    assert set(schema["properties"]["channel"]["enum"]) == {c.value for c in Channel} | {None}


@pytest.mark.parametrize(
    ("document", "valid"),
    [
        pytest.param({"youth": NUMBERS[0], "day": "2026-11-02"}, True, id="the least report"),
        pytest.param(
            {
                "youth": NUMBERS[0],
                "day": "2026-11-02T14:33:00+01:00",
                "activity": "work",
                "wants_contact": True,
                "channel": "sms",
                "phone": "070-000 00 00",
                "email": "test@example.com",
            },
            True,
            id="every field",
        ),
        pytest.param({"day": "2026-11-02"}, False, id="no youth"),
        pytest.param({"youth": NUMBERS[0], "day": "2/11"}, False, id="a day that is no date"),
        pytest.param(
            {"youth": NUMBERS[0], "day": "2026-11-02", "activity": "unknown"},
            False,
            id="an unknown activity",
        ),
        pytest.param(
            {"youth": NUMBERS[0], "day": "2026-11-02", "channel": "sms"},
            False,
            id="a channel without a wish to be contacted",
        ),
        pytest.param(
            {"youth": NUMBERS[0], "day": "2026-11-02", "notes": "fritext"},
            False,
            id="a free-text field",
        ),
    ],
)
def test_the_schema_accepts_what_the_model_accepts(document: dict[str, Any], valid: bool) -> None:
    assert _validator().is_valid(document) is valid


def test_a_report_is_a_contact_that_reached_the_youth_on_the_e_service() -> None:
    report = SelfReport(youth=A, day=DAY, activity=Activity.WORK, wants_contact=True)
    contact = report.contact()
    assert (contact.day, contact.channel, contact.contacted, contact.outcome) == (
        DAY,
        Channel.E_SERVICE,
        Contacted.YOUTH,
        ContactOutcome.REACHED,
    )
    assert contact.activity is Activity.WORK
    assert SelfReport(youth=A, day=DAY).contact().activity is None


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        pytest.param({"activity": Activity.UNKNOWN}, "has none stated", id="unknown activity"),
        pytest.param({"channel": Channel.SMS}, "asked to be contacted", id="channel, no wish"),
        pytest.param({"email": "ingen-snabel-a"}, "needs an @", id="an e-mail without @"),
        pytest.param({"phone": " "}, "non-empty text", id="an empty phone number"),
        pytest.param({"youth": NUMBERS[0]}, "must be an IdentityNumber", id="a text as youth"),
    ],
)
def test_a_report_that_cannot_be_is_refused(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        SelfReport(**{"youth": A, "day": DAY, **changes})


def test_the_repr_shows_no_identity_number_and_no_contact_details() -> None:
    report = SelfReport(
        youth=A, day=DAY, wants_contact=True, phone="0583-555 12", email="test@example.com"
    )
    shown = repr(report)
    assert NUMBERS[0] not in shown
    assert NUMBERS[0][-4:] not in shown
    assert "555 12" not in shown
    assert "example.com" not in shown


@given(
    activity=st.sampled_from([None, *(a for a in Activity if a is not Activity.UNKNOWN)]),
    wants=st.booleans(),
    channel=st.sampled_from([None, *Channel]),
    day=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
)
def test_every_report_of_the_model_is_valid_under_the_schema(
    activity: Activity | None, wants: bool, channel: Channel | None, day: dt.date
) -> None:
    channel = channel if wants else None
    report = SelfReport(youth=A, day=day, activity=activity, wants_contact=wants, channel=channel)
    document = {
        "youth": report.youth.full("long"),
        "day": report.day.isoformat(),
        "activity": None if activity is None else activity.value,
        "wants_contact": wants,
        "channel": None if channel is None else channel.value,
    }
    assert _validator().is_valid(json.loads(json.dumps(document)))
