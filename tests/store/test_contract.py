"""The contract every case store keeps, run against every backend (``store_url`` fixture).

What a register must do (issue 12): a stable case id; several cases of a youth over time but
at most one open per municipality; every change an appended event with its day, the time it
was recorded and the actor; corrections that supersede without deleting; the case the rules
use is the fold of its events; an audit entry for every read, search and change, never with a
whole identity number; a store bound to one municipality sees nothing of another's; a schema
it does not know is refused; two processes recording at once lose nothing; retention deletes
whole histories and says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import casefactory
import pgserver
from kaa.errors import ConfigurationError, InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactOutcome,
    EndReason,
    KaaEnd,
    MeasureEndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    Counterpart,
    PlanRevision,
)
from kaa.model.youth import Youth
from kaa.store import (
    AuditAction,
    CaseNotFound,
    CaseStore,
    CaseWorkerAssigned,
    Correction,
    DeletionRefused,
    Event,
    FactsUpdated,
    MeasureDeclined,
    MeasureEnded,
    MeasureOffered,
    MeasureStarted,
    OpenCaseExists,
    PlanFollowedUp,
    PlanMade,
    PlanRevised,
    Registered,
    StoreError,
    events_of,
    fold,
    init_store,
    open_store,
)
from kaa.store.base import migrations
from kaa.store.sqlite import path_of
from kaa.testing import skatteverket_numbers
from strategies import documented_cases

D = dt.date
MUNICIPALITY = "1882"  # the store fixture's (tests/store/conftest.py)
ACTOR = "handläggare-a"
REGISTERED = casefactory.REGISTERED  # 2026-01-12
VERSION = len(migrations("sqlite"))  # the newest schema version (both backends have as many)
NUMBERS = [IdentityNumber.parse(n) for n in skatteverket_numbers() if n.startswith("2007")]


def youth(i: int = 0) -> Youth:
    """A youth with the ``i``-th test number born in 2007."""
    return Youth(id=NUMBERS[i])


def new_case(
    i: int = 0,
    *,
    municipality: str = MUNICIPALITY,
    registered: dt.date = REGISTERED,
    end: dt.date | None = None,
) -> Case:
    return Case(
        youth=youth(i),
        municipality=municipality,
        registration=Registration(
            day=registered,
            source=RegistrationSource.SCHOOL_NOTICE,
            reason=RegistrationReason.BROKE_OFF_NATIONAL,
        ),
        end=None if end is None else KaaEnd(day=end, reason=EndReason.MOVED_ABROAD),
    )


def contact(
    day: dt.date = D(2026, 1, 20), outcome: ContactOutcome = ContactOutcome.NO_ANSWER
) -> Event:
    return Event(data=Contact(day=day, channel=Channel.PHONE, outcome=outcome))


def reached(day: dt.date = D(2026, 1, 21)) -> Event:
    return Event(
        data=Contact(
            day=day, channel=Channel.PHONE, outcome=ContactOutcome.REACHED, activity=Activity.WORK
        )
    )


# -- opening --------------------------------------------------------------------------------


def test_there_is_no_store_until_it_is_created(store_url: str) -> None:
    with pytest.raises(ConfigurationError, match="kaa store init"):
        open_store(store_url, municipality=MUNICIPALITY, actor=ACTOR)


def test_a_new_store_is_at_the_newest_schema_version_and_init_is_idempotent(
    store: CaseStore, store_url: str
) -> None:
    assert store.schema_version() == VERSION
    assert init_store(store_url) == VERSION
    assert store.municipality == MUNICIPALITY
    assert store.actor == ACTOR


def test_a_store_at_an_unknown_newer_schema_version_is_refused_naming_both_versions(
    store: CaseStore, store_url: str, set_schema_version: Callable[[str, int], None]
) -> None:
    set_schema_version(store_url, 99)
    with pytest.raises(
        ConfigurationError, match=rf"schema version 99, newer than version {VERSION}"
    ):
        open_store(store_url, municipality=MUNICIPALITY, actor=ACTOR)
    with pytest.raises(ConfigurationError, match="99"):
        open_store(store_url, municipality=MUNICIPALITY, actor=ACTOR, migrate=True)


def test_a_store_is_opened_for_a_kommunkod_only(store_url: str) -> None:
    with pytest.raises(InvalidInput, match="not a kommunkod"):
        open_store(store_url, municipality="9999", actor=ACTOR, create=True)


# -- cases and their ids --------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: new_case(), id="a case just registered"),
        pytest.param(lambda: new_case(end=D(2026, 5, 1)), id="an ended case"),
        pytest.param(
            lambda: casefactory.case(
                plan=casefactory.full_plan(),
                consents=(
                    ConsentEvent(
                        day=D(2026, 1, 26),
                        action=ConsentAction.GRANT,
                        counterpart=Counterpart.SCHOOL,
                    ),
                ),
            ),
            id="a case with a measure, a plan and consent",
        ),
    ],
)
def test_a_registered_case_reads_back_equal(store: CaseStore, make: Callable[[], Case]) -> None:
    case = make()
    case_id = store.register(case)
    assert store.case(case_id, purpose="test") == case
    assert [s.case for s in store.cases(purpose="test")] == [case]


def test_each_case_has_its_own_stable_id(store: CaseStore, store_url: str) -> None:
    first = store.register(new_case(0))
    second = store.register(new_case(1))
    assert first != second
    store.record(first, contact())
    with open_store(store_url, municipality=MUNICIPALITY, actor="another") as again:
        assert [s.case_id for s in again.cases(purpose="test")] == [first, second]
        assert again.case(first, purpose="test").youth == youth(0)


def test_a_youth_may_have_several_cases_over_time(store: CaseStore) -> None:
    first = store.register(new_case(0))
    store.record(first, Event(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.STARTED_PROGRAMME)))
    second = store.register(new_case(0, registered=D(2026, 9, 1)))
    assert store.find(youth(0).id, purpose="test") == [first, second]
    assert store.find(youth(1).id, purpose="test") == []


@pytest.mark.parametrize(
    ("second", "refused"),
    [
        pytest.param(
            new_case(0, registered=D(2026, 2, 1)), True, id="a second open case is refused"
        ),
        pytest.param(
            new_case(0, registered=D(2025, 1, 1), end=D(2025, 6, 1)),
            False,
            id="an earlier ended case may be added next to the open one",
        ),
        pytest.param(new_case(1), False, id="another youth's open case is fine"),
    ],
)
def test_at_most_one_open_case_per_youth_and_municipality(
    store: CaseStore, second: Case, refused: bool
) -> None:
    open_id = store.register(new_case(0))
    if refused:
        with pytest.raises(OpenCaseExists, match=r"already has an open case") as caught:
            store.register(second)
        assert caught.value.case_id == open_id
        assert NUMBERS[0].full() not in str(caught.value)
        assert len(list(store.cases(purpose="test"))) == 1
    else:
        store.register(second)
        assert len(list(store.cases(purpose="test"))) == 2


def test_withdrawing_the_end_cannot_reopen_a_case_next_to_another_open_one(
    store: CaseStore,
) -> None:
    first = store.register(new_case(0))
    ended = store.record(first, Event(data=KaaEnd(day=D(2026, 3, 1), reason=EndReason.OTHER)))
    store.register(new_case(0, registered=D(2026, 4, 1)))
    with pytest.raises(OpenCaseExists):
        store.record(first, Event(data=Correction(), day=D(2026, 4, 2), supersedes=ended.event_id))
    assert store.case(first, purpose="test").end is not None
    assert len(store.history(first, purpose="test")) == 2


def test_registering_many_at_once_is_registering_each_in_turn(
    store: CaseStore, store_url: str
) -> None:
    standing = store.register(new_case(0))  # the youth of the first case has an open case
    batch = [
        new_case(0, registered=D(2026, 2, 1)),  # refused: the open case in the store
        new_case(1),
        new_case(1, registered=D(2026, 2, 1)),  # refused: the open case just before it
        new_case(1, registered=D(2025, 1, 1), end=D(2025, 6, 1)),  # an ended one is fine
        new_case(2, municipality="0180"),  # refused: another municipality's case
        new_case(3, end=D(2026, 3, 1)),
    ]
    results = store.register_many(batch, purpose="import")
    assert len(results) == len(batch)
    refused = {i: r for i, r in enumerate(results) if isinstance(r, StoreError)}
    assert sorted(refused) == [0, 2, 4]
    assert isinstance(refused[0], OpenCaseExists)
    assert refused[0].case_id == standing
    assert isinstance(refused[2], OpenCaseExists)
    assert refused[2].case_id == results[1]
    assert "bound to municipality 1882" in str(refused[4])
    assert not any(n.full() in str(r) for r in refused.values() for n in NUMBERS)
    made = [r for r in results if isinstance(r, str)]
    assert len(set(made)) == 3
    for i in (1, 3, 5):
        case_id = results[i]
        assert isinstance(case_id, str)
        assert store.case(case_id, purpose="test") == batch[i]
        assert len(store.history(case_id, purpose="test")) == len(events_of(batch[i]))
    registered = [e for e in store.audit(action=AuditAction.REGISTER) if e.purpose == "import"]
    assert [e.case_id for e in registered] == made
    assert all(e.actor == ACTOR for e in registered)
    assert registered[0].detail == f"{youth(1).id.masked()} registered with 1 event(s)"
    assert store.register_many([], purpose="import") == []
    with pytest.raises(InvalidInput, match="purpose"):
        store.register_many([new_case(4)], purpose=" ")
    assert store.find(youth(4).id, purpose="test") == []
    # committed: another connection to the store sees them
    with open_store(store_url, municipality="1882", actor=ACTOR) as again:
        assert again.find(youth(3).id, purpose="test") == [results[5]]


def test_cases_open_on_a_day(store: CaseStore) -> None:
    early = store.register(new_case(0, registered=D(2026, 1, 1), end=D(2026, 3, 1)))
    late = store.register(new_case(1, registered=D(2026, 2, 1)))
    assert [s.case_id for s in store.cases(purpose="t", open_on=D(2026, 1, 15))] == [early]
    assert [s.case_id for s in store.cases(purpose="t", open_on=D(2026, 2, 15))] == [early, late]
    assert [s.case_id for s in store.cases(purpose="t", open_on=D(2026, 3, 1))] == [late]


def test_a_case_of_another_municipality_is_not_registered_here(store: CaseStore) -> None:
    with pytest.raises(StoreError, match="bound to municipality 1882"):
        store.register(new_case(municipality="0180"))


# -- events ---------------------------------------------------------------------------------

EVENTS: list[tuple[str, Callable[[str], Event]]] = [
    ("a contact attempt", lambda _: contact()),
    ("a contact that reached the youth", lambda _: reached()),
    (
        "a measure offered",
        lambda _: Event(data=MeasureOffered(measure_id="m2", type="coaching"), day=D(2026, 2, 1)),
    ),
    ("a measure started", lambda _: Event(data=MeasureStarted(measure_id="m1"), day=D(2026, 2, 2))),
    (
        "a measure ended",
        lambda _: Event(
            data=MeasureEnded(
                measure_id="m0", reason=MeasureEndReason.COMPLETED, activity_after=Activity.WORK
            ),
            day=D(2026, 4, 30),
        ),
    ),
    ("a plan made", lambda _: Event(data=PlanMade(revision=PlanRevision(day=D(2026, 2, 3))))),
    (
        "consent given",
        lambda _: Event(
            data=ConsentEvent(
                day=D(2026, 2, 3), action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL
            )
        ),
    ),
    ("new facts", lambda _: Event(data=FactsUpdated(youth=youth(0)), day=D(2026, 2, 4))),
    (
        "a case worker assigned",
        lambda _: Event(data=CaseWorkerAssigned(case_worker="handläggare 7"), day=D(2026, 2, 4)),
    ),
    ("the end of KAA", lambda _: Event(data=KaaEnd(day=D(2026, 5, 2), reason=EndReason.DEGREE))),
    (
        "a correction",
        lambda first: Event(
            data=Correction(
                data=Registered(
                    youth=youth(0),
                    municipality=MUNICIPALITY,
                    registration=Registration(
                        day=REGISTERED, reason=RegistrationReason.STUDIEBEVIS
                    ),
                )
            ),
            day=D(2026, 2, 5),
            supersedes=first,
        ),
    ),
]


def _with_measure(store: CaseStore) -> tuple[str, str]:
    """A case with measure m1 offered and measure m0 started; and its first event's id."""
    case_id = store.register(new_case(0))
    for event in (
        Event(data=MeasureOffered(measure_id="m0", type="coaching"), day=D(2026, 1, 26)),
        Event(data=MeasureStarted(measure_id="m0"), day=D(2026, 1, 27)),
        Event(data=MeasureOffered(measure_id="m1", type="coaching"), day=D(2026, 1, 26)),
    ):
        store.record(case_id, event)
    first = store.history(case_id, purpose="test")[0].event_id
    assert first is not None
    return case_id, first


@pytest.mark.parametrize(("make"), [pytest.param(m, id=i) for i, m in EVENTS])
def test_an_event_recorded_then_read_back_is_equal_with_its_day_time_and_actor(
    store: CaseStore, make: Callable[[str], Event]
) -> None:
    case_id, first = _with_measure(store)
    draft = make(first)
    before = dt.datetime.now(dt.UTC)
    recorded = store.record(case_id, draft)
    assert recorded.event_id is not None
    assert (recorded.case_id, recorded.actor) == (case_id, ACTOR)
    assert (recorded.day, recorded.data) == (draft.day, draft.data)
    assert recorded.recorded_at is not None
    assert before <= recorded.recorded_at <= dt.datetime.now(dt.UTC)
    history = store.history(case_id, purpose="test")
    assert history[-1] == recorded
    assert store.case(case_id, purpose="test") == fold(history)


def test_a_case_is_the_fold_of_its_history_after_many_changes(store: CaseStore) -> None:
    case_id, _ = _with_measure(store)
    wrong = store.record(case_id, contact(D(2026, 1, 20)))
    store.record(case_id, reached(D(2026, 1, 21)))
    store.record(case_id, Event(data=MeasureStarted(measure_id="m1"), day=D(2026, 2, 2)))
    store.record(
        case_id, Event(data=PlanMade(revision=PlanRevision(day=D(2026, 2, 3), goal="Jobb")))
    )
    store.record(case_id, Event(data=PlanFollowedUp(), day=D(2026, 3, 3)))
    store.record(
        case_id, Event(data=PlanRevised(revision=PlanRevision(day=D(2026, 4, 1), reason="Ny plan")))
    )
    store.record(
        case_id,
        Event(
            data=Correction(
                data=Contact(day=D(2026, 1, 19), channel=Channel.SMS, outcome=ContactOutcome.SENT)
            ),
            day=D(2026, 4, 2),
            supersedes=wrong.event_id,
        ),
    )
    history = store.history(case_id, purpose="test")
    case = store.case(case_id, purpose="test")
    assert case == fold(history)
    assert [c.day for c in case.contacts] == [D(2026, 1, 19), D(2026, 1, 21)]
    assert case.measures[1].start == D(2026, 2, 2)
    assert case.plan is not None
    assert len(case.plan.revisions) == 2
    assert case.plan.follow_ups_held == (D(2026, 3, 3),)


def test_a_correction_supersedes_without_deleting(store: CaseStore) -> None:
    case_id = store.register(new_case())
    wrong = store.record(case_id, contact(D(2026, 1, 20), ContactOutcome.NO_ANSWER))
    right = Contact(day=D(2026, 1, 20), channel=Channel.PHONE, outcome=ContactOutcome.MESSAGE_LEFT)
    store.record(
        case_id, Event(data=Correction(data=right), day=D(2026, 1, 22), supersedes=wrong.event_id)
    )
    assert store.case(case_id, purpose="test").contacts == (right,)
    history = store.history(case_id, purpose="test")
    assert [e.kind.value for e in history] == ["registered", "contact", "correction"]
    assert history[1] == wrong  # the wrong event is kept as it was recorded
    store.record(case_id, Event(data=Correction(), day=D(2026, 1, 23), supersedes=wrong.event_id))
    assert store.case(case_id, purpose="test").contacts == ()
    assert len(store.history(case_id, purpose="test")) == 4


def _other_case_event(store: CaseStore) -> str:
    other = store.register(new_case(1))
    event_id = store.history(other, purpose="test")[0].event_id
    assert event_id is not None
    return event_id


REFUSED: list[tuple[str, Callable[[CaseStore, str], Event], str]] = [
    (
        "a contact before the registration",
        lambda s, c: contact(D(2026, 1, 1)),
        "before the registration",
    ),
    (
        "a start of a measure never offered",
        lambda s, c: Event(data=MeasureStarted(measure_id="m9"), day=D(2026, 2, 1)),
        "never offered",
    ),
    (
        "a follow-up of a plan never made",
        lambda s, c: Event(data=PlanFollowedUp(), day=D(2026, 2, 1)),
        "before it was made",
    ),
    (
        "facts about another youth",
        lambda s, c: Event(data=FactsUpdated(youth=youth(1)), day=D(2026, 2, 1)),
        "another youth",
    ),
    (
        "a second registration",
        lambda s, c: Event(
            data=Registered(
                youth=youth(0),
                municipality=MUNICIPALITY,
                registration=Registration(day=D(2026, 2, 1)),
            )
        ),
        "registered already",
    ),
    (
        "a correction of an event of another case",
        lambda s, c: Event(data=Correction(), day=D(2026, 2, 1), supersedes=_other_case_event(s)),
        "no event",
    ),
    (
        "a correction of another kind",
        lambda s, c: Event(
            data=Correction(
                data=Contact(day=D(2026, 2, 1), channel=Channel.SMS, outcome=ContactOutcome.SENT)
            ),
            day=D(2026, 2, 1),
            supersedes=store_first(s, c),
        ),
        "can only be corrected by another registered",
    ),
    (
        "withdrawing the registration",
        lambda s, c: Event(data=Correction(), day=D(2026, 2, 1), supersedes=store_first(s, c)),
        "cannot be withdrawn",
    ),
    (
        "an event recorded already",
        lambda s, c: s.history(c, purpose="test")[0],
        "recorded already",
    ),
]


def store_first(store: CaseStore, case_id: str) -> str:
    event_id = store.history(case_id, purpose="test")[0].event_id
    assert event_id is not None
    return event_id


@pytest.mark.parametrize(("make", "message"), [pytest.param(m, t, id=i) for i, m, t in REFUSED])
def test_an_event_that_would_make_the_case_invalid_is_refused_and_nothing_is_appended(
    store: CaseStore, make: Callable[[CaseStore, str], Event], message: str
) -> None:
    case_id = store.register(new_case(0))
    event = make(store, case_id)
    before = store.history(case_id, purpose="test")
    with pytest.raises(InvalidInput, match=message):
        store.record(case_id, event)
    assert store.history(case_id, purpose="test") == before
    assert [e.action for e in store.audit(action=AuditAction.RECORD)] == []


def test_a_second_end_of_kaa_is_refused(store: CaseStore) -> None:
    case_id = store.register(new_case(end=D(2026, 3, 1)))
    with pytest.raises(InvalidInput, match="already ended"):
        store.record(case_id, Event(data=KaaEnd(day=D(2026, 3, 2), reason=EndReason.OTHER)))


def test_the_privacy_guard_warns_on_free_text_but_never_blocks(store: CaseStore) -> None:
    case_id, _ = _with_measure(store)
    recorded = store.record(
        case_id,
        Event(data=MeasureDeclined(measure_id="m1", reason="har en diagnos"), day=D(2026, 1, 27)),
    )
    assert [w.term for w in recorded.warnings] == ["diagnos*"]
    assert store.history(case_id, purpose="test")[-1] == recorded
    assert store.case(case_id, purpose="test").measures[1].declined


# -- the audit log --------------------------------------------------------------------------

OPERATIONS: list[tuple[str, Callable[[CaseStore, str], object], AuditAction, bool]] = [
    ("reading a case", lambda s, c: s.case(c, purpose="show"), AuditAction.READ, True),
    ("reading a history", lambda s, c: s.history(c, purpose="show"), AuditAction.HISTORY, True),
    ("listing the cases", lambda s, c: list(s.cases(purpose="show")), AuditAction.READ, True),
    ("a search", lambda s, c: s.find(youth(0).id, purpose="show"), AuditAction.SEARCH, True),
    (
        "a search that finds nothing",
        lambda s, c: s.find(youth(5).id, purpose="show"),
        AuditAction.SEARCH,
        False,
    ),
    ("a change", lambda s, c: s.record(c, contact(), purpose="show"), AuditAction.RECORD, True),
    (
        "a registration",
        lambda s, c: s.register(new_case(1), purpose="show"),
        AuditAction.REGISTER,
        False,
    ),
    (
        "an access outside the store",
        lambda s, c: s.log(AuditAction.SCB_FILE, purpose="show", detail="2026H1"),
        AuditAction.SCB_FILE,
        False,
    ),
]


@pytest.mark.parametrize(
    ("operation", "action", "about_the_case"),
    [pytest.param(o, a, c, id=i) for i, o, a, c in OPERATIONS],
)
def test_every_read_search_and_change_writes_an_audit_entry_inside_the_store(
    store: CaseStore,
    operation: Callable[[CaseStore, str], object],
    action: AuditAction,
    about_the_case: bool,
) -> None:
    case_id = store.register(new_case(0))
    before = dt.datetime.now(dt.UTC)
    operation(store, case_id)
    (entry,) = [e for e in store.audit() if e.purpose == "show"]
    assert entry.action is action
    assert (entry.actor, entry.municipality) == (ACTOR, MUNICIPALITY)
    assert before <= entry.at <= dt.datetime.now(dt.UTC)
    if about_the_case:
        assert entry.case_id == case_id


def test_a_bulk_read_writes_one_entry_per_case(store: CaseStore) -> None:
    ids = [store.register(new_case(i)) for i in range(3)]
    assert len(list(store.cases(purpose="worklist"))) == 3
    assert [e.case_id for e in store.audit(action=AuditAction.READ)] == ids


def test_a_search_for_many_youths_finds_each_ones_cases_and_logs_each_search(
    store: CaseStore, store_url: str
) -> None:
    ended = store.register(new_case(0, end=D(2026, 2, 1)))
    again = store.register(new_case(0, registered=D(2026, 3, 1)))
    other = store.register(new_case(1))
    with open_store(store_url, municipality="0180", actor=ACTOR) as stockholm:
        stockholm.register(new_case(2, municipality="0180"))
    asked = [youth(2).id, youth(0).id, youth(1).id]
    found = store.find_many(asked, purpose="import")
    assert found == {youth(0).id: [ended, again], youth(1).id: [other], youth(2).id: []}
    assert list(found) == asked
    entries = [e for e in store.audit(action=AuditAction.SEARCH) if e.purpose == "import"]
    assert sorted((e.case_id or "", e.detail) for e in entries) == sorted(
        [
            ("", f"{youth(2).id.masked()}: 0 case(s)"),
            (ended, f"{youth(0).id.masked()}: 2 case(s)"),
            (again, f"{youth(0).id.masked()}: 2 case(s)"),
            (other, f"{youth(1).id.masked()}: 1 case(s)"),
        ]
    )
    assert store.find_many([], purpose="import") == {}
    with pytest.raises(InvalidInput, match="purpose"):
        store.find_many(asked, purpose="")


def test_a_search_for_many_youths_at_once_reads_the_same_as_one_by_one(store: CaseStore) -> None:
    ids = [store.register(new_case(i)) for i in range(6)]
    many = store.find_many([youth(i).id for i in range(8)], purpose="t")
    assert many == {youth(i).id: store.find(youth(i).id, purpose="t") for i in range(8)}
    assert [many[youth(i).id] for i in range(6)] == [[c] for c in ids]


def test_a_read_that_fails_writes_nothing_and_raises(store: CaseStore) -> None:
    with pytest.raises(CaseNotFound):
        store.case("no-such-case", purpose="show")
    assert list(store.audit(action=AuditAction.READ)) == []


def test_a_read_needs_a_purpose(store: CaseStore) -> None:
    case_id = store.register(new_case())
    with pytest.raises(InvalidInput, match="purpose"):
        store.case(case_id, purpose=" ")


def test_the_audit_log_never_holds_a_whole_identity_number(store: CaseStore) -> None:
    case_id = store.register(new_case(0))
    store.find(youth(0).id, purpose=f"search for {NUMBERS[0].full()}")
    store.record(case_id, contact())
    store.log(AuditAction.REVEAL_IDS, purpose="export", detail=f"shown {NUMBERS[0].full('long')}")
    list(store.cases(purpose="worklist"))
    texts = [str(value) for entry in store.audit() for value in attrs.astuple(entry)]
    whole = {NUMBERS[0].full(fmt) for fmt in ("long", "separated_long", "short", "separated")}
    assert not [t for t in texts if any(w in t for w in whole)]
    assert any(NUMBERS[0].masked() in t for t in texts)


def test_the_audit_log_is_filtered_by_time_action_case_and_actor(
    store: CaseStore, store_url: str
) -> None:
    first = store.register(new_case(0))
    second = store.register(new_case(1))
    time.sleep(0.01)
    middle = dt.datetime.now(dt.UTC)
    store.case(first, purpose="show")
    with open_store(store_url, municipality=MUNICIPALITY, actor="granskare") as other:
        other.case(second, purpose="check")
    assert [e.case_id for e in store.audit(action=AuditAction.REGISTER)] == [first, second]
    assert [e.action for e in store.audit(since=middle)] == [AuditAction.READ, AuditAction.READ]
    assert [e.action for e in store.audit(case_id=second)] == [
        AuditAction.REGISTER,
        AuditAction.READ,
    ]
    assert [e.purpose for e in store.audit(actor="granskare")] == ["check"]


def test_no_method_of_the_store_changes_or_deletes_an_audit_entry() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "kaa" / "store"
    statement = re.compile(r"\b(UPDATE\s+audit|DELETE\s+FROM\s+audit|TRUNCATE\s+audit)\b", re.I)
    found = [
        f"{path.name}: {m.group(0)}"
        for path in sorted(source.rglob("*"))
        if path.suffix in (".py", ".sql")
        for m in statement.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# -- municipal scoping ----------------------------------------------------------------------

SCOPED: list[tuple[str, Callable[[CaseStore, str], object]]] = [
    ("read the case", lambda s, c: s.case(c, purpose="t")),
    ("read its history", lambda s, c: s.history(c, purpose="t")),
    ("record an event", lambda s, c: s.record(c, contact())),
    ("get a deletion token", lambda s, c: s.deletion_token([c])),
    ("delete it", lambda s, c: s.delete([c], token="x")),
]


@pytest.mark.parametrize("operation", [pytest.param(o, id=i) for i, o in SCOPED])
def test_a_store_bound_to_one_municipality_cannot_touch_anothers_cases(
    store: CaseStore, store_url: str, operation: Callable[[CaseStore, str], object]
) -> None:
    case_id = store.register(new_case(0))
    with open_store(store_url, municipality="0180", actor=ACTOR) as stockholm:
        with pytest.raises(CaseNotFound, match="municipality 0180"):
            operation(stockholm, case_id)
        assert list(stockholm.cases(purpose="t")) == []
        assert stockholm.find(youth(0).id, purpose="t") == []
        assert [e.action for e in stockholm.audit()] == [AuditAction.SEARCH]
    assert len(store.history(case_id, purpose="t")) == 1
    assert store.case(case_id, purpose="t") == new_case(0)


def test_one_database_holds_several_municipalities_registers(store_url: str) -> None:
    with (
        open_store(store_url, municipality="1882", actor=ACTOR, create=True) as askersund,
        open_store(store_url, municipality="0180", actor=ACTOR) as stockholm,
    ):
        a = askersund.register(new_case(0))
        s = stockholm.register(new_case(0, municipality="0180"))
        assert [c.case_id for c in askersund.cases(purpose="t")] == [a]
        assert [c.case_id for c in stockholm.cases(purpose="t")] == [s]
        assert {e.municipality for e in stockholm.audit()} == {"0180"}


# -- two processes at once ------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import datetime as dt, os, sys, time
    from kaa.model.case import Channel, Contact, ContactOutcome
    from kaa.store import Event, open_store
    url, n, go, *case_ids = sys.argv[1], int(sys.argv[2]), sys.argv[3], *sys.argv[4:]
    store = open_store(url, municipality="1882", actor=f"process-{os.getpid()}")
    while not os.path.exists(go):
        time.sleep(0.005)
    for i in range(n):
        day = dt.date(2026, 2, 1) + dt.timedelta(days=i % 200)
        store.record(case_ids[i % len(case_ids)], Event(data=Contact(
            day=day, channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER)))
    store.close()
    """
)


def _record_in_two_processes_at_once(
    url: str, orders: list[list[str]], n: int, go: Path
) -> list[str]:
    """Start one process per order of case ids, each recording ``n`` contacts round the
    cases in its order, all at the same moment; returns their actors."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(n), str(go), *order],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in orders
    ]
    time.sleep(0.3)
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
    return [f"process-{w.pid}" for w in writers]


def test_two_processes_recording_on_the_same_case_at_once_lose_nothing(
    store: CaseStore, store_url: str, tmp_path: Path
) -> None:
    n = 40
    case_id = store.register(new_case(0))
    actors = _record_in_two_processes_at_once(store_url, [[case_id], [case_id]], n, tmp_path / "go")
    history = store.history(case_id, purpose="test")
    assert len(history) == 1 + 2 * n
    assert sorted(e.actor for e in history[1:]) == sorted(actors * n)
    assert len({e.event_id for e in history}) == len(history)
    assert len(store.case(case_id, purpose="test").contacts) == 2 * n
    assert len(list(store.audit(action=AuditAction.RECORD))) == 2 * n


def test_two_processes_recording_on_the_same_cases_at_once_lose_nothing(
    store: CaseStore, store_url: str, tmp_path: Path
) -> None:
    n, k = 45, 3  # each process records n events round k cases, one forwards, one backwards
    ids = [store.register(new_case(i)) for i in range(k)]
    actors = _record_in_two_processes_at_once(store_url, [ids, ids[::-1]], n, tmp_path / "go")
    histories = {c: store.history(c, purpose="test") for c in ids}
    assert sum(len(h) - 1 for h in histories.values()) == 2 * n  # exactly 2N events in all
    for case_id, history in histories.items():
        # each process put every k-th of its events on this case
        forwards, backwards = ids.index(case_id), ids[::-1].index(case_id)
        expected = len(range(forwards, n, k)) + len(range(backwards, n, k))
        assert len(history) == 1 + expected
        assert len(store.case(case_id, purpose="test").contacts) == expected
        assert history[-1].event_id == _last_event(store_url, case_id)
    recorded = [e for h in histories.values() for e in h[1:]]
    assert sorted(e.actor for e in recorded) == sorted(actors * n)
    assert len(list(store.audit(action=AuditAction.RECORD))) == 2 * n


def _last_event(url: str, case_id: str) -> str:
    """The case row's ``last_event``, read past the store."""
    sql = "SELECT last_event FROM cases WHERE case_id = "
    if url.startswith("sqlite:"):
        with contextlib.closing(sqlite3.connect(path_of(url))) as conn:
            return str(conn.execute(sql + "?", (case_id,)).fetchone()[0])
    with pgserver.connect(url) as conn:
        row = conn.execute(sql + "%s", (case_id,)).fetchone()
        assert row is not None
        return str(row[0])


# -- batches --------------------------------------------------------------------------------


def test_a_batch_is_committed_whole_when_its_block_ends(store: CaseStore, store_url: str) -> None:
    # (a reader elsewhere waits for the batch: in the store every read writes its audit entry)
    other = open_store(store_url, municipality=MUNICIPALITY, actor="another reader")
    with other:
        with store.batch():
            first = store.register(new_case(0))
            store.record(first, contact())
            with store.batch():  # a batch inside a batch is part of the outer one
                store.register(new_case(1))
            assert len(list(store.cases(purpose="test"))) == 2  # the batch sees its own work
        assert len(list(other.cases(purpose="test"))) == 2
        assert len(other.case(first, purpose="test").contacts) == 1


def test_an_operation_refused_inside_a_batch_leaves_nothing_and_the_batch_goes_on(
    store: CaseStore,
) -> None:
    with store.batch():
        first = store.register(new_case(0))
        with pytest.raises(OpenCaseExists):
            store.register(new_case(0))
        with pytest.raises(InvalidInput):
            store.record(first, Event(data=KaaEnd(day=D(2025, 1, 1), reason=EndReason.OTHER)))
        store.register(new_case(1))
    assert len(list(store.cases(purpose="test"))) == 2
    assert len(store.history(first, purpose="test")) == 1
    assert len(list(store.audit(action=AuditAction.REGISTER))) == 2
    assert list(store.audit(action=AuditAction.RECORD)) == []


def test_a_batch_whose_block_raises_is_rolled_back_whole(store: CaseStore) -> None:
    kept = store.register(new_case(0))

    def job() -> None:
        with store.batch():
            store.register(new_case(1))
            store.record(kept, contact())
            raise RuntimeError("the job stopped")

    with pytest.raises(RuntimeError):
        job()
    assert [c.case_id for c in store.cases(purpose="test")] == [kept]
    assert store.case(kept, purpose="test").contacts == ()
    assert len(list(store.audit(action=AuditAction.REGISTER))) == 1


# -- retention ------------------------------------------------------------------------------


def test_retention_deletes_whole_histories_with_an_audit_entry(store: CaseStore) -> None:
    gone = store.register(new_case(0, end=D(2026, 3, 1)))
    store.record(gone, contact(D(2026, 2, 1)))
    kept = store.register(new_case(1, end=D(2026, 3, 1)))
    token = store.deletion_token([gone])
    assert store.delete([gone], token=token) == 3  # registered, ended, the contact
    with pytest.raises(CaseNotFound):
        store.history(gone, purpose="test")
    assert store.find(youth(0).id, purpose="test") == []
    assert [s.case_id for s in store.cases(purpose="test")] == [kept]
    (entry,) = store.audit(action=AuditAction.DELETE)
    assert (entry.case_id, entry.purpose) == (gone, "gallring")
    assert "3 event(s)" in entry.detail


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        pytest.param(
            lambda s, c: "not-the-token", "does not match", id="a wrong token deletes nothing"
        ),
        pytest.param(
            lambda s, c: (s.deletion_token([c]), s.record(c, contact(D(2026, 2, 2))))[0],
            "does not match",
            id="a token from before a change deletes nothing",
        ),
    ],
)
def test_retention_refuses_without_the_right_token(
    store: CaseStore, setup: Callable[[CaseStore, str], str], message: str
) -> None:
    case_id = store.register(new_case(0, end=D(2026, 3, 1)))
    token = setup(store, case_id)
    events = len(store.history(case_id, purpose="test"))
    with pytest.raises(DeletionRefused, match=message):
        store.delete([case_id], token=token)
    assert len(store.history(case_id, purpose="test")) == events
    assert list(store.audit(action=AuditAction.DELETE)) == []


def test_retention_never_deletes_an_open_case(store: CaseStore) -> None:
    ended = store.register(new_case(0, end=D(2026, 3, 1)))
    open_case = store.register(new_case(1))
    token = store.deletion_token([ended, open_case])
    with pytest.raises(DeletionRefused, match="has not ended"):
        store.delete([ended, open_case], token=token)
    assert len(list(store.cases(purpose="test"))) == 2


# -- properties -----------------------------------------------------------------------------

FRESH = [IdentityNumber.parse(n) for n in skatteverket_numbers()]
_fresh = itertools.count()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=documented_cases())
def test_any_event_recorded_then_read_back_is_equal(store: CaseStore, case: Case) -> None:
    number = FRESH[next(_fresh) % len(FRESH)]  # a youth of its own in the one store
    case = attrs.evolve(case, municipality=MUNICIPALITY, youth=attrs.evolve(case.youth, id=number))
    first, *rest = events_of(case)
    assert isinstance(first.data, Registered)
    case_id = store.register(
        Case(youth=case.youth, municipality=MUNICIPALITY, registration=case.registration)
    )
    recorded = [store.record(case_id, event) for event in rest]
    history = store.history(case_id, purpose="property")
    assert history[1:] == recorded
    assert [(e.kind, e.day, e.data) for e in history] == [
        (e.kind, e.day, e.data) for e in [first, *rest]
    ]
    assert store.case(case_id, purpose="property") == case == fold(history)
