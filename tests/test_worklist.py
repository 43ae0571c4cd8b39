"""Today's worklist: scenarios, output forms and the properties of the engine."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.dated import Timeline, Version, birthday
from kaa.errors import InvalidInput
from kaa.formats.workbook import FILL_IN_HEADINGS, HEADINGS
from kaa.law import DocumentReference
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    Registration,
)
from kaa.model.documentation import IndividualPlan, PlanRevision
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.municipal import askersund
from kaa.plugins.manager import Hooks
from kaa.rules.contact import (
    Anchor,
    Offset,
    Requirement,
    Step,
    Timetable,
    Timing,
    declined_days,
    national_timetable,
)
from kaa.testing import hooks_with, skatteverket_number
from kaa.worklist import (
    CSV_COLUMNS,
    ItemKind,
    ItemStatus,
    Worklist,
    build_worklist,
    case_items,
    format_table,
    record_attempt,
    worklist_table,
    write_rows_csv,
    write_rows_workbook,
    write_worklist_csv,
    write_worklist_json,
)

D = dt.date
REGISTERED = D(2026, 9, 1)
ASKERSUND = askersund.timetable()
assert ASKERSUND is not None


def youth(born: dt.date, index: int = 0, municipality: str = "1882") -> Youth:
    return Youth(
        id=skatteverket_number(born, index),
        residences=(Residence(municipality=municipality),),
        compulsory_school_completed=D(born.year + 16, 6, 10),
    )


ADULT = youth(D(2008, 1, 1))  # 18 at registration, 20 on 2028-01-01
MINOR = youth(D(2009, 1, 1))  # 17 at registration
AGING = youth(D(2006, 10, 1))  # turns 20 on 2026-10-01


def case(
    *contacts: Contact,
    who: Youth = ADULT,
    worker: str | None = "Anna",
    phone: str | None = "070-000 00 00",
    **fields: object,
) -> Case:
    return Case(
        youth=who,
        municipality=who.residences[0].municipality,
        registration=Registration(day=REGISTERED),
        contacts=contacts,
        case_worker=worker,
        contact_details=ContactDetails(phone=phone),
        **fields,  # type: ignore[arg-type]
    )


def attempt(
    day: dt.date,
    channel: Channel,
    outcome: ContactOutcome = ContactOutcome.NO_ANSWER,
    contacted: Contacted = Contacted.YOUTH,
) -> Contact:
    activity = Activity.WORK if outcome is ContactOutcome.REACHED else None
    return Contact(
        day=day, channel=channel, outcome=outcome, contacted=contacted, activity=activity
    )


def items(
    c: Case, on: dt.date, hooks: Hooks, **kwargs: object
) -> dict[tuple[str, str], ItemStatus]:
    """(step or kind, contacted) → status."""
    got = case_items(c, on=on, hooks=hooks, **kwargs)  # type: ignore[arg-type]
    return {
        (i.step or i.kind.value, i.contacted.value if i.contacted else ""): i.status for i in got
    }


OVERDUE, DUE, DECIDE, FLAGGED, UPCOMING = (
    ItemStatus.OVERDUE,
    ItemStatus.DUE,
    ItemStatus.DECIDE,
    ItemStatus.FLAGGED,
    ItemStatus.UPCOMING,
)


@pytest.mark.parametrize(
    ("c", "on", "expected"),
    [
        pytest.param(
            case(),
            REGISTERED,
            {("postcard", "youth"): DUE, ("social_services", ""): DECIDE},
            id="on the registration day the first postcard is due and social services a decision",
        ),
        pytest.param(
            case(),
            D(2026, 9, 10),
            {("phone", "youth"): DUE, ("social_services", ""): DECIDE},
            id="a postcard not sent within a week is missed and the call opens in its place",
        ),
        pytest.param(
            case(),
            D(2026, 10, 15),
            {
                ("letter", "youth"): UPCOMING,
                ("postcard_2", "youth"): OVERDUE,
                ("social_services", ""): DECIDE,
            },
            id="the new postcard is overdue until the letter opens after eight weeks",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE),
                attempt(D(2026, 9, 4), Channel.SMS),
            ),
            D(2026, 9, 5),
            {
                ("report_of_concern", ""): DECIDE,
                ("postcard_2", "youth"): DUE,
                ("social_services", ""): DECIDE,
            },
            id="after three attempts without result a report of concern is raised as a decision",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE),
                attempt(D(2026, 9, 4), Channel.SMS),
                attempt(D(2026, 9, 20), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 10, 27), Channel.LETTER, ContactOutcome.SENT),
            ),
            D(2026, 11, 2),
            {
                ("report_of_concern", ""): DECIDE,
                ("social_services", ""): DECIDE,
                ("not_reached", ""): FLAGGED,
            },
            id="a youth not reached after the whole timetable is flagged",
        ),
        pytest.param(
            case(attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED)),
            D(2026, 9, 10),
            {("mapping", ""): DECIDE},
            id="a youth who was reached has nothing left of steg 1 and the mapping of steg 2",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED, Contacted.GUARDIAN),
                who=MINOR,
            ),
            D(2026, 9, 10),
            {("phone", "youth"): DUE, ("social_services", ""): DECIDE},
            id="a youth whose guardian was reached is still to be reached",
        ),
        pytest.param(
            case(who=MINOR),
            D(2026, 9, 10),
            {
                ("phone", "youth"): DUE,
                ("phone", "guardian"): DUE,
                ("social_services", ""): DECIDE,
            },
            id="a youth under 18 has every contact step for the guardian too",
        ),
        pytest.param(
            case(who=MINOR),
            D(2027, 1, 1),
            {("letter", "youth"): OVERDUE, ("social_services", ""): DECIDE},
            id="on the 18th birthday the guardian's steps lapse: custody has ended",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED),
                measures=(
                    Measure(id="m1", type="study_guidance", offered=D(2026, 9, 5), declined=True),
                ),
            ),
            D(2026, 12, 5),
            {("recontact_after_decline", "youth"): DUE},
            id="a working youth who declined is due for a new contact after three months",
        ),
        pytest.param(
            case(who=AGING),
            D(2026, 9, 10),
            {
                ("ages_out", ""): UPCOMING,
                ("phone", "youth"): DUE,
                ("social_services", ""): DECIDE,
            },
            id="a youth who turns 20 within 30 days is listed",
        ),
        pytest.param(
            case(who=AGING),
            D(2026, 10, 5),
            {("ages_out", ""): OVERDUE},
            id="an open case of a youth who has turned 20 asks only to record the end",
        ),
        pytest.param(
            case(end=KaaEnd(day=D(2026, 9, 20), reason=EndReason.STARTED_PROGRAMME)),
            D(2026, 10, 5),
            {},
            id="a closed case has no items",
        ),
        pytest.param(
            case(who=youth(D(2008, 1, 1), municipality="0180")),
            D(2026, 10, 5),
            {("contact", "youth"): DUE},
            id="under the national default the one attempt is due from registration, never overdue",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 3), Channel.EMAIL),
                who=youth(D(2008, 1, 1), municipality="0180"),
            ),
            D(2026, 10, 5),
            {("not_reached", ""): FLAGGED},
            id="under the national default a youth not reached after an attempt is flagged",
        ),
    ],
)
def test_worklist_items(
    c: Case, on: dt.date, expected: dict[tuple[str, str], ItemStatus], hooks: Hooks
) -> None:
    assert items(c, on, hooks) == expected


def test_an_overdue_item_says_how_many_days_and_cites_the_plan(hooks: Hooks) -> None:
    (postcard,) = [
        i for i in case_items(case(), on=D(2026, 10, 15), hooks=hooks) if i.step == "postcard_2"
    ]
    assert postcard.due == D(2026, 10, 1)
    assert postcard.days_overdue == 14
    assert postcard.rule_id == "kaa.contact_timetable.1882"
    assert "Askersunds kommun" in postcard.citation
    assert postcard.channel is Channel.POSTCARD


def test_a_decision_is_never_an_action(hooks: Hooks) -> None:
    c = case(
        attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
        attempt(D(2026, 9, 3), Channel.PHONE),
        attempt(D(2026, 9, 4), Channel.SMS),
    )
    (concern,) = [
        i for i in case_items(c, on=D(2027, 3, 1), hooks=hooks) if i.step == "report_of_concern"
    ]
    assert concern.kind is ItemKind.DECISION
    assert concern.status is DECIDE
    assert concern.days_overdue == 0
    assert concern.channel is None
    assert "never automatic" in concern.note


def test_plans_whose_monthly_follow_up_is_late_are_listed(hooks: Hooks) -> None:
    planned = case(
        attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED),
        plan=IndividualPlan(revisions=(PlanRevision(day=D(2026, 9, 10)),)),
    )
    (late,) = [
        i
        for i in case_items(planned, on=D(2026, 10, 20), hooks=hooks)
        if i.kind is ItemKind.PLAN_FOLLOW_UP
    ]
    assert late.status is OVERDUE
    assert late.due == D(2026, 10, 10)
    assert late.days_overdue == 10
    assert "Askersunds kommun" in late.citation
    soon = case_items(planned, on=D(2026, 10, 1), hooks=hooks)
    assert [i.status for i in soon if i.kind is ItemKind.PLAN_FOLLOW_UP] == [UPCOMING]


def test_a_given_timetable_is_used_for_every_case(hooks: Hooks) -> None:
    got = case_items(case(), on=D(2026, 9, 10), hooks=hooks, timetable=national_timetable())
    assert [i.step for i in got] == ["contact"]


def test_the_window_decides_how_far_ahead_upcoming_steps_are_shown(hooks: Hooks) -> None:
    c = case()
    assert ("letter", "youth") not in items(c, D(2026, 10, 2), hooks, window=14)
    assert items(c, D(2026, 10, 2), hooks, window=30)[("letter", "youth")] is UPCOMING


# -- the whole list, grouping and output ------------------------------------------------------


def register() -> list[Case]:
    return [
        case(),
        case(who=MINOR, worker="Bo"),
        case(who=youth(D(2008, 1, 2)), worker=None),
        case(who=AGING, worker="Bo"),
    ]


def test_build_worklist_counts_open_cases_and_sorts_most_urgent_first(hooks: Hooks) -> None:
    worklist = build_worklist(register(), on=D(2026, 10, 15), hooks=hooks)
    assert worklist.cases == 4
    statuses = [i.status for i in worklist.items]
    assert statuses == sorted(statuses, key=list(ItemStatus).index)
    # the new postcard, twice for the minor, and the youth who turned 20 on 2026-10-01
    assert worklist.counts()[OVERDUE] == 5
    assert [i.case_ref for i in worklist.items if i.kind is ItemKind.AGES_OUT] == ["#4"]


def test_grouping_by_case_worker_and_by_due_day(hooks: Hooks) -> None:
    worklist = build_worklist(register(), on=D(2026, 9, 10), hooks=hooks)
    by_worker = dict(worklist.grouped("case-worker"))
    assert set(by_worker) == {"Anna", "Bo", "(ingen handläggare)"}
    by_day = dict(worklist.grouped("due-day"))
    assert "2026-09-15" in by_day
    assert all(i.due == D(2026, 9, 15) for i in by_day["2026-09-15"])
    assert sum(len(v) for v in by_day.values()) == len(worklist)


def test_outputs_mask_identity_numbers_unless_asked(hooks: Hooks) -> None:
    worklist = build_worklist(register(), on=D(2026, 9, 10), hooks=hooks)
    whole = ADULT.id.full()
    masked = io.StringIO()
    write_worklist_csv(worklist, masked)
    assert whole not in masked.getvalue()
    assert ADULT.id.masked() in masked.getvalue()
    assert masked.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)
    revealed = io.StringIO()
    write_worklist_csv(worklist, revealed, reveal_ids=True)
    assert whole in revealed.getvalue()
    doc = io.StringIO()
    write_worklist_json(worklist, doc, group_by="case-worker")
    data = json.loads(doc.getvalue())
    assert data["day"] == "2026-09-10"
    assert [g["group"] for g in data["groups"]] == ["(ingen handläggare)", "Anna", "Bo"]
    assert whole not in doc.getvalue()
    table = format_table(worklist, group_by="due-day")
    assert whole not in table
    assert "== 2026-09-15" in table
    assert whole not in repr(worklist)


# -- properties ---------------------------------------------------------------------------------

YOUTHS = (ADULT, MINOR, youth(D(2008, 1, 2)), youth(D(2008, 1, 1), municipality="0180"))


@st.composite
def contacts(draw: st.DrawFn, registered: dt.date) -> Contact:
    outcome = draw(st.sampled_from(ContactOutcome))
    return Contact(
        day=registered + dt.timedelta(days=draw(st.integers(0, 150))),
        channel=draw(
            st.sampled_from(
                (Channel.POSTCARD, Channel.PHONE, Channel.SMS, Channel.LETTER, Channel.EMAIL)
            )
        ),
        contacted=draw(st.sampled_from(Contacted)),
        outcome=outcome,
        activity=(
            draw(st.sampled_from((Activity.WORK, Activity.NO_ACTIVITY, None)))
            if outcome is ContactOutcome.REACHED
            else None
        ),
    )


@st.composite
def cases(draw: st.DrawFn, who: Youth | None = None) -> Case:
    person = who or draw(st.sampled_from(YOUTHS))
    registered = D(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    declined = draw(st.lists(st.integers(0, 150), max_size=2, unique=True))
    return Case(
        youth=person,
        municipality=person.residences[0].municipality,
        registration=Registration(day=registered),
        contacts=tuple(draw(st.lists(contacts(registered), max_size=6))),
        measures=tuple(
            Measure(
                id=f"m{i}",
                type="study_guidance",
                offered=registered + dt.timedelta(days=d),
                declined=True,
            )
            for i, d in enumerate(declined)
        ),
        case_worker=draw(st.sampled_from((None, "Anna", "Bo"))),
        contact_details=ContactDetails(phone=draw(st.sampled_from((None, "070")))),
    )


@settings(max_examples=150, deadline=None)
@given(
    c=cases(),
    others=st.lists(cases(), max_size=2),
    offset=st.integers(0, 200),
    new=st.data(),
)
def test_recording_an_attempt_equals_rebuilding_from_the_updated_case(
    c: Case, others: list[Case], offset: int, new: st.DataObject
) -> None:
    hooks = hooks_with()
    others = [o for o in others if o.youth.id != c.youth.id]
    on = c.registration.day + dt.timedelta(days=offset)
    contact = new.draw(contacts(c.registration.day))
    updated = record_attempt(c, contact)
    before = build_worklist([*others, c], on=on, hooks=hooks)
    after = build_worklist([*others, updated], on=on, hooks=hooks)
    assert before.updated(c, updated, hooks=hooks) == after


def _failed(c: Case, on: dt.date) -> int:
    return sum(1 for x in c.contacts if x.day <= on and not x.outcome.reached)


@settings(max_examples=200, deadline=None)
@given(c=cases(), offset=st.integers(0, 200))
def test_the_engine_never_proposes_a_step_whose_conditions_are_not_met(
    c: Case, offset: int
) -> None:
    hooks = hooks_with()
    on = c.registration.day + dt.timedelta(days=offset)
    timeline = hooks.contact_timetable(c.municipality)
    timetable = timeline.value_at(on)
    for item in case_items(c, on=on, hooks=hooks):
        assert c.open_on(on)
        if item.step is None:
            continue
        step = timetable.step(item.step)
        if step.while_not_reached:
            assert not c.reached(on)
        if step.decision:
            assert item.status in (DECIDE, UPCOMING)
        if item.status is OVERDUE:
            assert item.due is not None
            assert item.days_overdue == (on - item.due).days > 0
        if item.contacted is Contacted.GUARDIAN:
            assert step.guardian_below_age is not None
            born = c.youth.id.birth_date
            assert born is not None
            assert c.registration.day < birthday(born, step.guardian_below_age)
            assert on < birthday(born, 18)  # custody ends at 18
        elif Requirement.PHONE_KNOWN in step.requires:
            assert c.contact_details is not None
            assert c.contact_details.phone
        if step.if_unanswered is not None:
            earlier = timetable.step(step.if_unanswered)
            assert any(
                x.day <= on
                and x.channel is earlier.channel
                and x.contacted is item.contacted
                and not x.outcome.reached
                for x in c.contacts
            )
        assert _failed(c, on) >= step.min_failed_attempts
        if step.anchor is Anchor.DECLINED:
            assert declined_days(c, on)
            assert c.latest_activity(on) not in (Activity.UNKNOWN, Activity.NO_ACTIVITY)


@settings(max_examples=100, deadline=None)
@given(c=cases(), offset=st.integers(0, 200))
def test_a_youth_is_flagged_not_reached_only_when_nothing_of_the_routine_is_left(
    c: Case, offset: int
) -> None:
    hooks = hooks_with()
    on = c.registration.day + dt.timedelta(days=offset)
    got = case_items(c, on=on, hooks=hooks, window=0)
    kinds = [i.kind for i in got]
    if ItemKind.NOT_REACHED in kinds:
        assert not c.reached(on)
        assert not any(i.kind is ItemKind.CONTACT and i.status in (OVERDUE, DUE) for i in got)


def test_an_empty_worklist(hooks: Hooks) -> None:
    worklist = build_worklist([], on=D(2026, 9, 10), hooks=hooks)
    assert worklist == Worklist(day=D(2026, 9, 10))
    assert len(worklist) == 0


def test_a_timetable_with_no_reaching_steps_flags_an_unreached_youth_from_registration(
    hooks: Hooks,
) -> None:
    only_recontact = Timeline(
        "kaa.contact_timetable.test",
        [
            Version(
                start=D(2015, 1, 1),
                value=Timetable(
                    steps=(
                        Step(
                            id="recontact",
                            what="Ny kontakt",
                            anchor=Anchor.DECLINED,
                            timing=Timing.NO_EARLIER_THAN,
                            offset=Offset(months=3),
                            while_not_reached=False,
                        ),
                    )
                ),
                title="test",
                citation=DocumentReference(title="Rutin"),
            )
        ],
    )
    got = case_items(case(), on=D(2026, 9, 10), hooks=hooks, timetable=only_recontact)
    assert [(i.kind, i.due) for i in got] == [(ItemKind.NOT_REACHED, REGISTERED)]


def test_a_new_case_is_added_to_an_existing_worklist(hooks: Hooks) -> None:
    on = D(2026, 9, 10)
    first, second = case(), case(who=MINOR, worker="Bo")
    worklist = build_worklist([first], on=on, hooks=hooks)
    assert worklist.updated(None, second, hooks=hooks) == build_worklist(
        [first, second], on=on, hooks=hooks
    )


# -- the list a person works from: one row per youth ----------------------------------------


def test_one_row_per_case_with_the_next_step_and_the_missed_steps_counted_once(
    hooks: Hooks,
) -> None:
    worklist = build_worklist(register(), on=D(2026, 10, 15), hooks=hooks)
    rows = worklist.rows()
    assert len(rows) == len({(i.case_ref, i.youth) for i in worklist.items}) == 4
    assert len(worklist.items) > len(rows)
    minor = next(r for r in rows if r.youth == MINOR.id)
    assert (minor.next.step, minor.next.contacted, minor.next.status) == (
        "postcard_2",
        Contacted.YOUTH,
        OVERDUE,
    )
    assert (minor.next.due, minor.next.days_overdue) == (D(2026, 10, 1), 14)
    assert minor.missed_steps == 3  # the postcard, the call and the sms, once each
    assert minor.other_text == (
        "vykort till vårdnadshavare (försenad 14 dagar); "
        "information från socialtjänsten (att ta ställning till); "
        "brev (kommande, från 2026-10-27); brev till vårdnadshavare (kommande, från 2026-10-27)"
    )
    aged = next(r for r in rows if r.youth == AGING.id)
    assert aged.next.kind is ItemKind.AGES_OUT
    assert (aged.missed_steps, aged.others) == (0, ())
    keys = [r.next.sort_key() for r in rows]
    assert keys == sorted(keys)  # most urgent first


def test_a_row_shows_the_name_and_phone_the_case_holds_and_hides_them_in_repr(
    hooks: Hooks,
) -> None:
    known = attrs.evolve(
        case(), contact_details=ContactDetails(name="Åsa Öberg", phone="0701234567")
    )
    unknown = case(who=MINOR, phone=None)
    worklist = build_worklist([known, unknown], on=D(2026, 9, 10), hooks=hooks)
    first, second = sorted(worklist.rows(), key=lambda r: r.case_ref)
    assert first.cells()[:5] == ("#1", ADULT.id.masked(), "Åsa Öberg", "0701234567", "Anna")
    assert second.cells()[2:4] == ("", "")
    for text in (repr(first), repr(worklist), repr(first.next)):
        assert "Åsa" not in text
        assert "0701234567" not in text
    assert first.cells(reveal_ids=True)[1] == ADULT.id.full()
    assert first.cells()[5:] == (
        "Telefonsamtal",
        "phone",
        "ungdomen",
        "telefonsamtal",
        D(2026, 9, 15),
        0,
        1,
        "information från socialtjänsten (att ta ställning till)",
    )


def test_a_case_with_only_upcoming_items_has_no_row_yet(hooks: Hooks) -> None:
    reached = case(attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED))
    planned = attrs.evolve(
        reached, plan=IndividualPlan(revisions=(PlanRevision(day=D(2026, 9, 4)),))
    )
    on = D(2026, 9, 25)
    got = case_items(planned, on=on, hooks=hooks)
    assert got
    assert {i.status for i in got} == {UPCOMING}
    worklist = build_worklist([planned], on=on, hooks=hooks)
    assert worklist.rows() == ()


def test_rows_tell_apart_cases_whose_masked_numbers_collide(hooks: Hooks) -> None:
    twin = youth(D(2008, 1, 1), index=1)
    assert twin.id.masked() == ADULT.id.masked()
    assert twin.id != ADULT.id
    worklist = build_worklist([case(), case(who=twin)], on=D(2026, 9, 10), hooks=hooks)
    assert sorted(r.case_ref for r in worklist.rows()) == ["#1", "#2"]


def test_one_case_workers_list_and_one_list_per_case_worker(hooks: Hooks) -> None:
    worklist = build_worklist(register(), on=D(2026, 9, 10), hooks=hooks)
    bo = worklist.only("Bo")
    assert bo.cases == 2
    assert {i.case_worker for i in bo.items} == {"Bo"}
    assert {r.youth for r in bo.rows()} == {MINOR.id, AGING.id}
    nobody = worklist.only(None)
    assert [r.case_ref for r in nobody.rows()] == ["#3"]
    assert worklist.only("Cecilia").items == ()
    split = worklist.by_case_worker()
    assert [name for name, _ in split] == ["Anna", "Bo", None]
    assert sum(len(w) for _, w in split) == len(worklist)
    assert dict(split)["Bo"] == bo


def test_the_csv_for_people_has_swedish_columns_semicolons_a_bom_and_no_formula(
    hooks: Hooks,
) -> None:
    hostile = attrs.evolve(
        case(), contact_details=ContactDetails(name="=cmd|' /C calc'!A0", phone="+4670")
    )
    worklist = build_worklist([hostile, case(who=MINOR)], on=D(2026, 9, 10), hooks=hooks)
    out = io.StringIO()
    assert write_rows_csv(worklist, out) == 2
    text = out.getvalue()
    assert text.startswith("\ufeffÄrende;Personnummer;Namn;Telefon;Handläggare;Nästa steg;")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert list(rows[0]) == list(HEADINGS)
    by_ref = {r["Ärende"]: r for r in rows}
    assert by_ref["#1"]["Namn"] == "'=cmd|' /C calc'!A0"
    assert by_ref["#1"]["Telefon"] == "'+4670"
    assert by_ref["#2"]["Personnummer"] == MINOR.id.masked()
    assert by_ref["#2"]["Missade steg"] == "1"
    assert by_ref["#2"]["Senast"] == "2026-09-15"
    assert all(r[h] == "" for r in rows for h in FILL_IN_HEADINGS)
    assert MINOR.id.full() not in text


def test_the_workbook_of_a_worklist_says_what_it_is(hooks: Hooks, tmp_path: Path) -> None:
    worklist = build_worklist(register(), on=D(2026, 9, 10), hooks=hooks)
    path = tmp_path / "arbetslista.xlsx"
    assert write_rows_workbook(worklist.only("Bo"), path) == 2
    wb = openpyxl.load_workbook(path)
    ws = wb["Arbetslista"]
    assert [c.value for c in ws[1]] == list(HEADINGS)
    assert {ws.cell(r, 5).value for r in (2, 3)} == {"Bo"}
    about = {r[0].value: r[1].value for r in wb["Om listan"].iter_rows()}
    assert about["Dag"] == "2026-09-10"
    assert about["Kommun"] == "1882 Askersund"
    assert about["Handläggare"] == "Bo"
    assert "maskerade" in about["Personnummer"]
    assert "Askersunds kommun" in about["Regel kaa.contact_timetable.1882"]
    assert about["Regel kaa.target_group.age"] == "29 kap. 9 § skollagen (2010:800)"
    assert "4 §" in about["Namn och telefon"]
    write_rows_workbook(worklist, path, reveal_ids=True)
    wb = openpyxl.load_workbook(path)
    assert ADULT.id.full() in {c.value for c in wb["Arbetslista"]["B"]}
    about = {r[0].value: r[1].value for r in wb["Om listan"].iter_rows()}
    assert "hela personnummer" in about["Personnummer"]


def test_build_worklist_reads_the_cases_once(hooks: Hooks) -> None:
    reads: list[int] = []
    once = iter(register())
    worklist = build_worklist(
        once, on=D(2026, 10, 15), hooks=hooks, progress=lambda: reads.append(1)
    )
    assert len(reads) == 4
    assert len(worklist.rows()) == 4


@settings(max_examples=100, deadline=None)
@given(many=st.lists(cases(), max_size=4), offset=st.integers(0, 200))
def test_every_row_is_its_cases_most_urgent_item_and_counts_each_case_once(
    many: list[Case], offset: int
) -> None:
    hooks = hooks_with()
    on = D(2026, 1, 1) + dt.timedelta(days=offset)
    worklist = build_worklist(many, on=on, hooks=hooks)
    rows = worklist.rows()
    assert len({(r.case_ref, r.youth) for r in rows}) == len(rows)
    for r in rows:
        mine = [i for i in worklist.items if i.case_ref == r.case_ref and i.youth == r.youth]
        assert (r.next, *r.others) == tuple(mine)
        assert r.next.status is not UPCOMING
        assert {i.missed_steps for i in mine} == {r.missed_steps}
    listed = {(i.case_ref, i.youth) for i in worklist.items if i.status is not UPCOMING}
    assert {(r.case_ref, r.youth) for r in rows} == listed


@pytest.mark.parametrize(
    ("started", "status", "due"),
    [
        (D(2026, 9, 20), OVERDUE, D(2026, 9, 20)),
        (D(2026, 8, 20), DECIDE, D(2026, 10, 5)),
    ],
    ids=[
        "studies that began after the registration close the case from their first day",
        "studies older than the registration are for the case worker to check, not to record",
    ],
)
def test_the_close_item_never_asks_for_an_end_before_the_registration(
    started: dt.date, status: ItemStatus, due: dt.date, hooks: Hooks
) -> None:
    studying = attrs.evolve(
        ADULT,
        enrolments=(
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA, programme=Programme.NATIONAL, start=started
            ),
        ),
    )
    (item,) = case_items(case(who=studying), on=D(2026, 10, 5), hooks=hooks)
    assert item.kind is ItemKind.CLOSE
    assert (item.status, item.due) == (status, due)


def test_build_worklist_refuses_what_is_not_a_case_naming_the_argument(hooks: Hooks) -> None:
    with pytest.raises(InvalidInput, match=r"cases\[1\] must be a Case"):
        build_worklist([case(), "20080101-2386"], on=D(2026, 10, 5), hooks=hooks)  # type: ignore[list-item]
    with pytest.raises((TypeError, InvalidInput), match="on"):
        build_worklist([case()], on="2026-10-05", hooks=hooks)  # type: ignore[arg-type]


def test_a_worklist_is_a_table_in_a_notebook(hooks: Hooks) -> None:
    worklist = build_worklist([case()], on=D(2026, 10, 15), hooks=hooks)
    rows = worklist_table(worklist)
    assert len(rows) == len(worklist.items)
    assert isinstance(rows[0]["due"], dt.date)
    html = worklist._repr_html_()
    assert "<table" in html
    assert ADULT.id.full() not in html
