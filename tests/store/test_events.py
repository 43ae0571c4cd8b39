"""The event model: the envelope's checks, payloads and whole events through JSON and back,
the events of a case, and the privacy guard on free text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import casefactory
from kaa.errors import InvalidInput, StructureError
from kaa.model.case import (
    Activity,
    Channel,
    Contact,
    ContactDetails,
    ContactOutcome,
    EndReason,
    KaaEnd,
    MeasureEndReason,
)
from kaa.model.documentation import ConsentAction, ConsentEvent, Counterpart, PlanRevision
from kaa.rules.privacy import TermChecker, builtin_terms
from kaa.store.events import (
    CaseWorkerAssigned,
    ContactDetailsChanged,
    Correction,
    Event,
    EventKind,
    FactsUpdated,
    MeasureDeclined,
    MeasureEnded,
    MeasureOffered,
    MeasureStarted,
    Payload,
    PlanFollowedUp,
    PlanMade,
    PlanRevised,
    Registered,
    decode_data,
    encode_data,
    event_from_dict,
    event_to_dict,
    events_of,
    free_texts,
    text_warnings,
)
from strategies import documented_cases

D = dt.date
DAY = D(2026, 2, 3)
CASE = casefactory.case(plan=casefactory.full_plan())
CONTACT = Contact(day=DAY, channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER)

PAYLOADS: list[tuple[str, Payload, EventKind]] = [
    (
        "a registration",
        Registered(youth=CASE.youth, municipality="1882", registration=CASE.registration),
        EventKind.REGISTERED,
    ),
    ("a contact attempt", CONTACT, EventKind.CONTACT),
    (
        "a measure offered",
        MeasureOffered(measure_id="m1", type="coaching"),
        EventKind.MEASURE_OFFERED,
    ),
    (
        "a measure declined",
        MeasureDeclined(measure_id="m1", reason="har arbete"),
        EventKind.MEASURE_DECLINED,
    ),
    ("a measure started", MeasureStarted(measure_id="m1"), EventKind.MEASURE_STARTED),
    (
        "a measure ended",
        MeasureEnded(
            measure_id="m1", reason=MeasureEndReason.COMPLETED, activity_after=Activity.WORK
        ),
        EventKind.MEASURE_ENDED,
    ),
    ("a plan made", PlanMade(revision=CASE.plan.revisions[0]), EventKind.PLAN_MADE),  # type: ignore[union-attr]
    (
        "a plan revised",
        PlanRevised(revision=PlanRevision(day=DAY, reason="ny praktik")),
        EventKind.PLAN_REVISED,
    ),
    ("a plan followed up", PlanFollowedUp(), EventKind.PLAN_FOLLOWED_UP),
    (
        "consent given",
        ConsentEvent(day=DAY, action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL),
        EventKind.CONSENT,
    ),
    ("new facts", FactsUpdated(youth=CASE.youth), EventKind.FACTS_UPDATED),
    ("a case worker", CaseWorkerAssigned(case_worker="handläggare 7"), EventKind.CASE_WORKER),
    (
        "contact details",
        ContactDetailsChanged(details=ContactDetails(name="Test Testsson", phone="070-000")),
        EventKind.CONTACT_DETAILS,
    ),
    ("contact details removed", ContactDetailsChanged(details=None), EventKind.CONTACT_DETAILS),
    ("the end of KAA", KaaEnd(day=DAY, reason=EndReason.DEGREE), EventKind.ENDED),
    ("a correction", Correction(data=CONTACT), EventKind.CORRECTION),
    ("a withdrawal", Correction(), EventKind.CORRECTION),
    (
        "a correction of a payload without a day",
        Correction(data=MeasureStarted(measure_id="m1"), day=DAY),
        EventKind.CORRECTION,
    ),
]


@pytest.mark.parametrize(("payload", "kind"), [pytest.param(p, k, id=i) for i, p, k in PAYLOADS])
def test_every_payload_makes_its_kind_of_event_and_survives_json(
    payload: Payload, kind: EventKind
) -> None:
    supersedes = "e1" if kind is EventKind.CORRECTION else None
    event = Event(data=payload, day=_day(payload), supersedes=supersedes)
    assert event.kind is kind
    assert decode_data(kind.value, encode_data(payload)) == payload
    recorded = attrs.evolve(
        event,
        event_id="e2",
        case_id="c1",
        actor="anna",
        recorded_at=dt.datetime(2026, 2, 3, 9, 30, 0, 123456, tzinfo=dt.UTC),
    )
    assert event_from_dict(json.loads(json.dumps(event_to_dict(recorded)))) == recorded


def _day(payload: Payload) -> dt.date:
    for name in ("day",):
        value = getattr(payload, name, None)
        if isinstance(value, dt.date):
            return value
    if isinstance(payload, Registered):
        return payload.registration.day
    if isinstance(payload, PlanMade | PlanRevised):
        return payload.revision.day
    return DAY


def test_a_payload_is_written_with_whole_identity_numbers_for_the_store_only() -> None:
    text = encode_data(FactsUpdated(youth=CASE.youth))
    assert CASE.youth.id.full() in text


ENVELOPES: list[tuple[str, dict[str, Any], str]] = [
    (
        "a payload without a day needs one",
        {"data": MeasureStarted(measure_id="m1")},
        "needs the day",
    ),
    (
        "the event's day is the contact's",
        {"data": CONTACT, "day": DAY + dt.timedelta(days=1)},
        "dated 2026-02-03, but the event 2026-02-04",
    ),
    (
        "the kind follows the payload",
        {"data": CONTACT, "kind": EventKind.ENDED},
        "cannot hold Contact",
    ),
    (
        "a correction names what it supersedes",
        {"data": Correction(), "day": DAY},
        "names the event",
    ),
    (
        "only a correction supersedes",
        {"data": CONTACT, "supersedes": "e1"},
        "only a correction does",
    ),
    (
        "the time recorded has its time zone",
        {"data": CONTACT, "recorded_at": dt.datetime(2026, 1, 1, 12, 0)},
        "time zone",
    ),
    ("what no event records", {"data": "a note", "day": DAY}, "not something an event can record"),
]


@pytest.mark.parametrize(("fields", "message"), [pytest.param(f, m, id=i) for i, f, m in ENVELOPES])
def test_an_event_envelope_is_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Event(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"data": None, "day": DAY}, "a withdrawal has no day", id="a withdrawal has no day"
        ),
        pytest.param(
            {"data": MeasureStarted(measure_id="m1")},
            "needs the day",
            id="a corrected payload without a day needs one",
        ),
        pytest.param(
            {"data": CONTACT, "day": DAY + dt.timedelta(days=1)},
            "is dated 2026-02-03",
            id="a corrected contact keeps its own day",
        ),
        pytest.param(
            {"data": Correction()},
            "not another correction",
            id="a correction does not replace a correction",
        ),
    ],
)
def test_a_correction_is_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Correction(**fields)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        pytest.param("contact", "{", "not JSON", id="text that is not JSON"),
        pytest.param("contact", "{}", "required", id="a contact without its fields"),
        pytest.param("peek", "{}", "is not one of", id="an unknown kind"),
        pytest.param("correction", "[]", "a correction is", id="a correction that is not one"),
        pytest.param(
            "correction",
            '{"kind": "correction", "day": "2026-01-01", "data": {}}',
            "cannot replace a correction",
            id="a correction replacing a correction",
        ),
    ],
)
def test_payload_json_that_is_wrong_is_refused(kind: str, text: str, message: str) -> None:
    with pytest.raises(StructureError, match=message):
        decode_data(kind, text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda d: d.pop("actor"), "exactly the fields", id="a field missing"),
        pytest.param(lambda d: d.update(recorded_at="yesterday"), "not a time", id="a bad time"),
        pytest.param(lambda d: d.update(actor=7), "must be text", id="an actor that is a number"),
        pytest.param(lambda d: d.update(kind="peek"), "not one of", id="an unknown kind"),
    ],
)
def test_event_json_that_is_wrong_is_refused(change: Any, message: str) -> None:
    raw = event_to_dict(Event(data=CONTACT))
    change(raw)
    with pytest.raises(StructureError, match=message):
        event_from_dict(raw)


def test_the_events_of_a_case_start_with_its_registration() -> None:
    kinds = [e.kind.value for e in events_of(CASE)]
    assert kinds == ["registered", "measure_offered", "measure_started", "plan_made"]
    assert all(e.event_id is None and e.recorded_at is None for e in events_of(CASE))


@settings(max_examples=25)
@given(documented_cases())
def test_every_event_of_any_case_survives_json(case: Any) -> None:
    for i, event in enumerate(events_of(case)):
        recorded = attrs.evolve(
            event,
            event_id=f"e{i}",
            case_id="c",
            actor="a",
            recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        assert event_from_dict(json.loads(json.dumps(event_to_dict(recorded)))) == recorded


def test_the_privacy_guard_reads_every_free_text_field() -> None:
    revision = casefactory.full_plan().revisions[0]
    fields = [f for f, _ in free_texts(PlanMade(revision=revision))]
    assert fields[:3] == ["plan.goal", "plan.planning", "plan.reason"]
    assert "plan.measures[m1].responsibilities[0].task" in fields
    assert [
        f for f, _ in free_texts(Correction(data=MeasureDeclined(measure_id="m2"), day=DAY))
    ] == ["correction.measures[m2].decline_reason"]
    assert list(free_texts(CONTACT)) == []


def test_the_privacy_guard_warns_on_a_sensitive_word() -> None:
    checker = TermChecker(builtin_terms())
    warnings = text_warnings(
        PlanRevised(revision=PlanRevision(day=DAY, goal="Stöd efter diagnos")), checker
    )
    assert [(w.field, w.term) for w in warnings] == [("plan.goal", "diagnos*")]
    assert text_warnings(MeasureDeclined(measure_id="m1", reason="har arbete"), checker) == ()


def test_warnings_are_not_part_of_what_an_event_is() -> None:
    checker = TermChecker(builtin_terms())
    data = MeasureDeclined(measure_id="m1", reason="diagnos")
    event = Event(data=data, day=DAY)
    assert attrs.evolve(event, warnings=text_warnings(data, checker)) == event


def test_every_kind_has_a_value_and_a_swedish_label() -> None:
    for kind in EventKind:
        assert EventKind.of(kind.value) is kind
        assert kind.label_sv
