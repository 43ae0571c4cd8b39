"""The KAA case record: every invariant, and round-trips through plain data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.convert import structure, to_dict
from kaa.errors import InvalidInput, StructureError
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    MeasureEndReason,
    Registration,
)
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.testing import skatteverket_number
from strategies import cases

D = dt.date
YOUTH = Youth(
    id=skatteverket_number(D(2008, 8, 12)),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2024, 6, 12),
)
PROTECTED = attrs.evolve(
    YOUTH, residences=(Residence(municipality="1882", basis=HomeBasis.PROTECTED),)
)
REGISTERED = D(2026, 8, 20)


def make(**kw: Any) -> Case:
    kw.setdefault("youth", YOUTH)
    kw.setdefault("municipality", "1882")
    kw.setdefault("registration", Registration(day=REGISTERED))
    return Case(**kw)


def phone(day: dt.date, outcome: ContactOutcome = ContactOutcome.REACHED, **kw: Any) -> Contact:
    return Contact(day=day, channel=Channel.PHONE, outcome=outcome, **kw)


@pytest.mark.parametrize(
    ("build", "column", "text"),
    [
        pytest.param(
            lambda: make(end=KaaEnd(day=D(2026, 8, 19), reason=EndReason.OTHER)),
            "end",
            "before the registration",
            id="a case cannot end before the youth was registered",
        ),
        pytest.param(
            lambda: make(contacts=(phone(D(2026, 8, 19)),)),
            "contacts",
            "before the registration",
            id="a contact cannot be before the registration",
        ),
        pytest.param(
            lambda: make(
                contacts=(phone(D(2026, 9, 2)),),
                end=KaaEnd(day=D(2026, 9, 1), reason=EndReason.MOVED_ABROAD),
            ),
            "contacts",
            "after KAA ended",
            id="a contact cannot be after the end of KAA",
        ),
        pytest.param(
            lambda: make(
                measures=(
                    Measure(id="m1", type="coaching", offered=D(2026, 8, 21)),
                    Measure(id="m1", type="other", offered=D(2026, 8, 22)),
                )
            ),
            "measures",
            "two measures have the id",
            id="two measures of a case cannot share an id",
        ),
        pytest.param(
            lambda: make(measures=(Measure(id="m1", type="coaching", offered=D(2026, 8, 1)),)),
            "measures",
            "before the registration",
            id="a measure cannot be offered before the registration",
        ),
        pytest.param(
            lambda: make(
                measures=(
                    Measure(
                        id="m1",
                        type="coaching",
                        offered=D(2026, 8, 21),
                        start=D(2026, 8, 22),
                        end=D(2026, 10, 1),
                    ),
                ),
                end=KaaEnd(day=D(2026, 9, 30), reason=EndReason.DEGREE),
            ),
            "measures",
            "after KAA ended",
            id="a measure cannot end after the end of KAA",
        ),
        pytest.param(
            lambda: make(
                youth=PROTECTED,
                contact_details=ContactDetails(
                    address=Address(street="Storgatan 1", postal_code="69630", city="Askersund")
                ),
            ),
            "address",
            "protected identity",
            id="a youth with protected identity has no address in the case",
        ),
        pytest.param(
            lambda: make(municipality="9999"),
            "municipality",
            "9999",
            id="the municipality must be one of the 290 kommunkoder",
        ),
        pytest.param(
            lambda: Measure(id="m1", type="coaching", offered=D(2026, 9, 1), start=D(2026, 8, 31)),
            "start",
            "before offered",
            id="a measure cannot start before it was offered",
        ),
        pytest.param(
            lambda: Measure(
                id="m1",
                type="coaching",
                offered=D(2026, 9, 1),
                start=D(2026, 9, 2),
                end=D(2026, 9, 1),
            ),
            "end",
            "before start",
            id="a measure cannot end before it starts",
        ),
        pytest.param(
            lambda: Measure(
                id="m1", type="coaching", offered=D(2026, 9, 1), declined=True, start=D(2026, 9, 2)
            ),
            "start",
            "declined",
            id="a declined measure cannot have started",
        ),
        pytest.param(
            lambda: Measure(id="m1", type="coaching", offered=D(2026, 9, 1), end=D(2026, 9, 2)),
            "end",
            "never started",
            id="a measure cannot end without having started",
        ),
        pytest.param(
            lambda: Measure(
                id="m1",
                type="coaching",
                offered=D(2026, 9, 1),
                end_reason=MeasureEndReason.COMPLETED,
            ),
            "end_reason",
            "needs an end day",
            id="a reason for ending needs an end day",
        ),
        pytest.param(
            lambda: Measure(
                id="m1", type="coaching", offered=D(2026, 9, 1), decline_reason="har arbete"
            ),
            "decline_reason",
            "not declined",
            id="a decline reason needs a declined measure",
        ),
        pytest.param(
            lambda: phone(D(2026, 9, 1), ContactOutcome.NO_ANSWER, activity=Activity.WORK),
            "activity",
            "only be learnt",
            id="an activity is only learnt at a contact that reached someone",
        ),
    ],
)
def test_invariants(build: Any, column: str, text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert caught.value.column == column
    assert text in caught.value.message


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            make(contacts=(phone(REGISTERED),), end=KaaEnd(day=REGISTERED, reason=EndReason.OTHER)),
            id="a contact on the registration day of a case ended that day is valid",
        ),
        pytest.param(
            make(
                contacts=(
                    phone(D(2026, 9, 1), ContactOutcome.NO_ANSWER, activity=Activity.UNKNOWN),
                )
            ),
            id="an unanswered contact may record the activity as unknown",
        ),
        pytest.param(
            make(youth=PROTECTED, contact_details=ContactDetails(phone="070-000 00 00")),
            id="a youth with protected identity may have a phone number",
        ),
    ],
)
def test_valid_edge_cases(case: Case) -> None:
    assert case.youth.id == YOUTH.id


def test_contacts_are_kept_in_day_order() -> None:
    late, early = phone(D(2026, 10, 1)), phone(D(2026, 9, 1), ContactOutcome.NO_ANSWER)
    assert make(contacts=(late, early)).contacts == (early, late)


def test_the_latest_activity_is_the_last_learnt() -> None:
    case = make(
        registration=Registration(day=REGISTERED, activity=Activity.NO_ACTIVITY),
        contacts=(phone(D(2026, 9, 1), activity=Activity.WORK),),
    )
    assert case.latest_activity(on=D(2026, 8, 31)) is Activity.NO_ACTIVITY
    assert case.latest_activity() is Activity.WORK
    assert case.reached()
    assert not case.reached(on=D(2026, 8, 31))


def test_repr_and_id_never_show_the_whole_number() -> None:
    case = make(contact_details=ContactDetails(name="Test Testsson", phone="070-000 00 00"))
    whole = YOUTH.id.full("long")
    assert whole not in repr(case)
    assert "Test Testsson" not in repr(case)
    assert case.id == YOUTH.id.masked()


def test_a_structure_error_names_the_path() -> None:
    data = to_dict(make(contacts=(phone(D(2026, 9, 1)),)), reveal_ids=True)
    data["contacts"][0]["channel"] = "pigeon"
    with pytest.raises(StructureError) as caught:
        structure(data, Case)
    assert any("$.contacts[0].channel" in p for p in caught.value.problems)


@settings(max_examples=60, deadline=None)
@given(cases())
def test_a_case_round_trips_through_plain_data_and_json(case: Case) -> None:
    data = to_dict(case, reveal_ids=True)
    assert structure(json.loads(json.dumps(data)), Case) == case


@settings(max_examples=30, deadline=None)
@given(cases())
def test_masked_plain_data_holds_no_whole_number(case: Case) -> None:
    text = json.dumps(to_dict(case, reveal_ids=False))
    assert case.youth.id.full("long") not in text
    assert case.youth.id.full("separated_long") not in text


HOME_ADDRESS = Address(street="Hemliga gatan 7", postal_code="69999", city="Hemlighetsby")


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda: make(youth=PROTECTED, contact_details=ContactDetails(address=HOME_ADDRESS)),
            id="a protected youth's case cannot be made with an address",
        ),
        pytest.param(
            lambda: attrs.evolve(
                make(contact_details=ContactDetails(address=HOME_ADDRESS)), youth=PROTECTED
            ),
            id="a case with an address cannot be given a protected youth",
        ),
        pytest.param(
            lambda: attrs.evolve(
                make(youth=PROTECTED, contact_details=ContactDetails(phone="070-1")),
                contact_details=ContactDetails(phone="070-1", address=HOME_ADDRESS),
            ),
            id="a protected youth's case cannot be given an address",
        ),
    ],
)
def test_no_way_of_making_a_case_keeps_an_address_for_a_protected_youth(build: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert caught.value.column == "address"
    assert "protected identity" in caught.value.message
    assert "Hemliga" not in str(caught.value)


def test_a_protected_youths_case_with_an_address_cannot_be_structured() -> None:
    data = to_dict(make(contact_details=ContactDetails(address=HOME_ADDRESS)), reveal_ids=True)
    data["youth"]["residences"][0]["basis"] = "protected"
    with pytest.raises(StructureError) as caught:
        structure(data, Case)
    assert any("protected identity" in p for p in caught.value.problems)
    assert not any("Hemliga" in p for p in caught.value.problems)


@pytest.mark.parametrize(
    ("contacts", "youth", "guardian"),
    [
        ((), False, False),
        ((phone(D(2026, 9, 1)),), True, False),
        ((phone(D(2026, 9, 1), contacted=Contacted.GUARDIAN),), False, True),
        ((phone(D(2026, 9, 1), ContactOutcome.DECLINED_SUPPORT),), True, False),
        ((phone(D(2026, 9, 1), ContactOutcome.NO_ANSWER),), False, False),
    ],
    ids=[
        "nobody reached",
        "a contact that reached the youth reaches the youth",
        "reaching only the guardian is recorded but is not reaching the youth",
        "a youth who declines support in words was reached",
        "an unanswered call reaches nobody",
    ],
)
def test_who_was_reached(contacts: tuple[Contact, ...], youth: bool, guardian: bool) -> None:
    case = make(contacts=contacts)
    assert (case.reached(), case.guardian_reached()) == (youth, guardian)
    assert case.reached(on=D(2026, 8, 31)) is False


def test_only_a_sent_postcard_has_no_known_result_yet() -> None:
    assert [o.value for o in ContactOutcome if not o.result_known] == ["sent"]


@given(cases(), st.dates(D(2014, 1, 1), D(2030, 12, 31)))
@settings(max_examples=200)
def test_reached_by_a_day_counts_exactly_the_contacts_of_that_person_on_or_before_it(
    case: Case, day: dt.date
) -> None:
    # Written out over every contact, in any order: the method's early stop changes nothing.
    for who, method in (
        (Contacted.YOUTH, case.reached),
        (Contacted.GUARDIAN, case.guardian_reached),
    ):

        def counted(c: Contact, on: dt.date | None, who: Contacted = who) -> bool:
            return c.contacted is who and c.outcome.reached and (on is None or c.day <= on)

        assert method(on=day) is any(counted(c, day) for c in reversed(case.contacts))
        assert method() is any(counted(c, None) for c in case.contacts)
