"""A case is the fold of its events: the inverse of ``events_of``, corrections applied, and
histories that make no valid case refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given, settings

from kaa.errors import InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Case,
    Channel,
    Contact,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Registration,
    RegistrationReason,
)
from kaa.model.documentation import PlanRevision
from kaa.model.youth import Youth
from kaa.store.events import (
    Correction,
    Event,
    FactsUpdated,
    MeasureEnded,
    MeasureOffered,
    MeasureStarted,
    PlanFollowedUp,
    PlanMade,
    PlanRevised,
    Registered,
    events_of,
)
from kaa.store.fold import append, fold, target_of
from kaa.testing import skatteverket_numbers
from strategies import cases, documented_cases

D = dt.date
NUMBERS = [IdentityNumber.parse(n) for n in skatteverket_numbers()[:2]]
REGISTERED = D(2026, 1, 12)


def _registered(reason: RegistrationReason = RegistrationReason.MISSING, i: int = 0) -> Registered:
    return Registered(
        youth=Youth(id=NUMBERS[i]),
        municipality="1882",
        registration=Registration(day=REGISTERED, reason=reason),
    )


def _contact(day: dt.date, outcome: ContactOutcome = ContactOutcome.NO_ANSWER) -> Contact:
    return Contact(day=day, channel=Channel.PHONE, outcome=outcome)


def _recorded(*drafts: Event) -> list[Event]:
    """The drafts as a store would record them: ids e1, e2 … and a case id."""
    return [
        attrs.evolve(
            draft,
            event_id=f"e{i}",
            case_id="c",
            actor="anna",
            recorded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        for i, draft in enumerate(drafts, start=1)
    ]


@settings(max_examples=40)
@given(cases())
def test_the_events_of_any_case_fold_back_to_an_equal_case(case: Case) -> None:
    assert fold(events_of(case)) == case


@settings(max_examples=40)
@given(documented_cases())
def test_the_events_of_any_documented_case_fold_back_to_an_equal_case(case: Case) -> None:
    assert fold(events_of(case)) == case


@settings(max_examples=30)
@given(documented_cases())
def test_the_fold_does_not_depend_on_when_contacts_and_consents_were_recorded(
    case: Case,
) -> None:
    events = events_of(case)
    late = [e for e in events if e.kind.value in ("contact", "consent")]
    early = [e for e in events if e not in late]
    assert fold([*early, *late]) == case


def test_a_correction_replaces_an_event_and_a_later_one_wins() -> None:
    events = _recorded(
        Event(data=_registered()),
        Event(data=_contact(D(2026, 1, 20))),
        Event(data=Correction(data=_contact(D(2026, 1, 21))), day=D(2026, 1, 25), supersedes="e2"),
        Event(
            data=Correction(data=_contact(D(2026, 1, 22), ContactOutcome.REACHED)),
            day=D(2026, 1, 26),
            supersedes="e3",  # a correction of the correction corrects the contact
        ),
    )
    assert fold(events).contacts == (_contact(D(2026, 1, 22), ContactOutcome.REACHED),)
    assert target_of(events, "e4").event_id == "e2"


def test_a_withdrawn_event_counts_as_never_having_happened() -> None:
    events = _recorded(
        Event(data=_registered()),
        Event(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.OTHER)),
        Event(data=Correction(), day=D(2026, 3, 2), supersedes="e2"),
        Event(data=KaaEnd(day=D(2026, 4, 1), reason=EndReason.DEGREE)),
    )
    assert fold(events).end == KaaEnd(day=D(2026, 4, 1), reason=EndReason.DEGREE)


def test_a_corrected_registration_changes_the_case_but_not_whose_it_is() -> None:
    events = _recorded(
        Event(data=_registered()),
        Event(
            data=Correction(data=_registered(RegistrationReason.STUDIEBEVIS)),
            day=D(2026, 2, 1),
            supersedes="e1",
        ),
    )
    assert fold(events).registration.reason is RegistrationReason.STUDIEBEVIS


def test_events_apply_in_the_order_recorded_and_the_case_is_checked_at_the_end() -> None:
    events = _recorded(
        Event(data=_registered()),
        Event(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.OTHER)),
        Event(data=_contact(D(2026, 2, 1))),  # recorded late, but before the end
        Event(data=PlanMade(revision=PlanRevision(day=D(2026, 2, 2)))),
        Event(data=PlanFollowedUp(), day=D(2026, 2, 20)),
        Event(data=PlanRevised(revision=PlanRevision(day=D(2026, 4, 1)))),  # after the end
        Event(data=MeasureOffered(measure_id="m1", type="coaching"), day=D(2026, 1, 20)),
        Event(data=MeasureStarted(measure_id="m1"), day=D(2026, 1, 21)),
        Event(data=MeasureEnded(measure_id="m1"), day=D(2026, 2, 28)),
        Event(data=FactsUpdated(youth=Youth(id=NUMBERS[0], birth_date=None)), day=D(2026, 2, 3)),
    )
    case = fold(events)
    assert case.contacts == (_contact(D(2026, 2, 1)),)
    assert case.plan is not None
    assert [r.day for r in case.plan.revisions] == [D(2026, 2, 2), D(2026, 4, 1)]
    assert case.measures[0].end == D(2026, 2, 28)


def _history(*later: Event) -> list[Event]:
    return _recorded(Event(data=_registered()), *later)


INVALID: list[tuple[str, Callable[[], list[Event]], str]] = [
    ("no events at all", list, "needs its registration"),
    (
        "a contact before the registration event",
        lambda: _recorded(Event(data=_contact(D(2026, 1, 20))), Event(data=_registered())),
        "before the youth was registered",
    ),
    (
        "a contact before the registration day",
        lambda: _history(Event(data=_contact(D(2026, 1, 1)))),
        "before the registration",
    ),
    (
        "a measure offered twice",
        lambda: _history(
            *[Event(data=MeasureOffered(measure_id="m1", type="x"), day=REGISTERED)] * 2
        ),
        "offered twice",
    ),
    (
        "a measure ended that never started",
        lambda: _history(
            Event(data=MeasureOffered(measure_id="m1", type="x"), day=REGISTERED),
            Event(data=MeasureEnded(measure_id="m1"), day=REGISTERED),
        ),
        "never started",
    ),
    (
        "the plan made twice",
        lambda: _history(*[Event(data=PlanMade(revision=PlanRevision(day=REGISTERED)))] * 2),
        "made twice",
    ),
    (
        "a plan revision before the current one",
        lambda: _history(
            Event(data=PlanMade(revision=PlanRevision(day=D(2026, 3, 1)))),
            Event(data=PlanRevised(revision=PlanRevision(day=D(2026, 2, 1)))),
        ),
        "kept in order",
    ),
    (
        "the end of KAA twice",
        lambda: _history(*[Event(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.OTHER))] * 2),
        "already ended",
    ),
    (
        "a correction of an event that is not there",
        lambda: _history(Event(data=Correction(), day=REGISTERED, supersedes="e9")),
        "no event 'e9'",
    ),
    (
        "a correction by another kind",
        lambda: _history(
            Event(data=_contact(D(2026, 1, 20))),
            Event(
                data=Correction(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.OTHER)),
                day=REGISTERED,
                supersedes="e2",
            ),
        ),
        "only be corrected by another contact",
    ),
    (
        "a correction that moves the case to another municipality",
        lambda: _history(
            Event(
                data=Correction(data=attrs.evolve(_registered(), municipality="0180")),
                day=REGISTERED,
                supersedes="e1",
            )
        ),
        "another municipality",
    ),
    (
        "a correction that makes it another youth's case",
        lambda: _history(
            Event(data=Correction(data=_registered(i=1)), day=REGISTERED, supersedes="e1")
        ),
        "whose case",
    ),
    (
        "facts about another youth",
        lambda: _history(Event(data=FactsUpdated(youth=Youth(id=NUMBERS[1])), day=REGISTERED)),
        "another youth",
    ),
]


@pytest.mark.parametrize(("make", "message"), [pytest.param(m, t, id=i) for i, m, t in INVALID])
def test_a_history_that_makes_no_valid_case_is_refused(
    make: Callable[[], list[Event]], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        fold(make())


def test_append_refuses_a_second_registration() -> None:
    history = _history()
    (again,) = _recorded(Event(data=_registered()))
    with pytest.raises(InvalidInput, match="registered already"):
        append(history, attrs.evolve(again, event_id="e2"))


def test_append_gives_the_case_with_the_event() -> None:
    history = _history()
    (event,) = _recorded(Event(data=_contact(D(2026, 2, 1))))
    assert append(history, attrs.evolve(event, event_id="e2")).contacts == (
        _contact(D(2026, 2, 1)),
    )


def test_a_cycle_of_corrections_stops() -> None:
    one, two = _recorded(
        Event(data=Correction(), day=REGISTERED, supersedes="e2"),
        Event(data=Correction(), day=REGISTERED, supersedes="e1"),
    )
    assert target_of([one, two], "e1").event_id in ("e1", "e2")
