"""Contact timetables: the model, the TOML loader, Askersund's routine, the national default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa.dated import Timeline, Version
from kaa.errors import ConfigurationError, PluginError, RuleNotInForce
from kaa.law import Citation, DocumentReference
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    Measure,
    Registration,
)
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.municipal import askersund
from kaa.plugins import hookimpl
from kaa.plugins.manager import DISABLE_ENV, Hooks, make_plugin_manager
from kaa.rules.contact import (
    NATIONAL_RULE_ID,
    Action,
    Anchor,
    Offset,
    Requirement,
    Step,
    StepStatus,
    Timetable,
    Timing,
    dump_timetable,
    load_timetable,
    national_timetable,
    next_working_day,
    parse_timetable,
    step_states,
)
from kaa.testing import skatteverket_number

D = dt.date
REGISTERED = D(2026, 9, 1)  # a Tuesday
ASKERSUND = askersund.timetable()
assert ASKERSUND is not None
STEPS = ASKERSUND.value_at(REGISTERED)


def youth(born: dt.date, *, protected: bool = False) -> Youth:
    basis = HomeBasis.PROTECTED if protected else HomeBasis.FOLKBOKFORD
    return Youth(
        id=skatteverket_number(born),
        residences=(Residence(municipality="1882", basis=basis),),
        compulsory_school_completed=D(born.year + 16, 6, 10),
    )


ADULT = youth(D(2007, 1, 20))  # 19 at registration
MINOR = youth(D(2009, 3, 2))  # 17 at registration


def case(
    *contacts: Contact,
    who: Youth = ADULT,
    phone: str | None = "070-000 00 00",
    measures: tuple[Measure, ...] = (),
    address: bool = False,
) -> Case:
    details = ContactDetails(
        phone=phone,
        address=Address(street="Storgatan 1", postal_code="69630", city="Askersund")
        if address
        else None,
    )
    return Case(
        youth=who,
        municipality="1882",
        registration=Registration(day=REGISTERED),
        contacts=contacts,
        measures=measures,
        contact_details=details,
    )


def attempt(
    day: dt.date,
    channel: Channel,
    outcome: ContactOutcome = ContactOutcome.NO_ANSWER,
    contacted: Contacted = Contacted.YOUTH,
    activity: Activity | None = None,
) -> Contact:
    return Contact(
        day=day, channel=channel, outcome=outcome, contacted=contacted, activity=activity
    )


def states(c: Case, on: dt.date, timetable: Timetable = STEPS) -> dict[str, StepStatus]:
    """Step id (``:guardian`` for the guardian's) → status."""
    return {
        s.step.id + (":guardian" if s.contacted is Contacted.GUARDIAN else ""): s.status
        for s in step_states(c, timetable, on=on)
    }


P, W, N, DONE = StepStatus.PENDING, StepStatus.WAITING, StepStatus.NOT_APPLICABLE, StepStatus.DONE


# -- Askersund's timetable, exactly as in its plan -------------------------------------------


def test_askersunds_timetable_has_the_steps_of_its_plan_in_order() -> None:
    assert [s.id for s in STEPS.steps] == [
        "postcard",
        "phone",
        "sms",
        "postcard_2",
        "letter",
        "report_of_concern",
        "social_services",
        "mapping",
        "plan",
        "consent",
        "recontact_after_decline",
    ]
    assert [(s.channel, s.timing, str(s.offset)) for s in STEPS.steps[:5]] == [
        (Channel.POSTCARD, Timing.WITHIN, "1 week"),
        (Channel.PHONE, Timing.WITHIN, "2 weeks"),
        (Channel.SMS, Timing.WITHIN, "2 weeks"),
        (Channel.POSTCARD, Timing.WITHIN, "1 month"),
        (Channel.LETTER, Timing.AFTER, "8 weeks"),
    ]
    assert all(s.guardian_below_age == 18 for s in STEPS.steps[:5])
    assert STEPS.step("phone").requires == (Requirement.PHONE_KNOWN,)
    assert STEPS.step("sms").if_unanswered == "phone"
    concern = STEPS.step("report_of_concern")
    assert concern.decision
    assert concern.action is Action.REPORT_OF_CONCERN
    assert concern.min_failed_attempts == 3
    recontact = STEPS.step("recontact_after_decline")
    assert (recontact.anchor, recontact.timing, str(recontact.offset)) == (
        Anchor.DECLINED,
        Timing.NO_EARLIER_THAN,
        "3 months",
    )
    assert not recontact.while_not_reached


def test_askersunds_timetable_cites_its_plan_and_starts_when_kaa_started() -> None:
    version = ASKERSUND.at(REGISTERED)
    assert isinstance(version.citation, DocumentReference)
    assert version.citation.issuer == "Askersunds kommun"
    assert version.citation.title == "Handlingsplan för kommunens aktivitetsansvar"
    assert "Steg 1" in (version.citation.section or "")
    assert ASKERSUND.rule_id == "kaa.contact_timetable.1882"
    assert ASKERSUND.first_day == D(2015, 1, 1)
    with pytest.raises(RuleNotInForce):
        ASKERSUND.at(D(2014, 12, 31))


def test_the_national_default_says_only_what_the_law_says() -> None:
    national = national_timetable()
    assert national.rule_id == NATIONAL_RULE_ID
    version = national.at(REGISTERED)
    assert str(version.citation) == "29 kap. 9 § skollagen (2010:800)"
    (step,) = version.value.steps
    assert (step.channel, step.timing, step.anchor) == (None, Timing.FROM, Anchor.REGISTRATION)


# -- evaluating a timetable for one case ---------------------------------------------------------


@pytest.mark.parametrize(
    ("c", "on", "expected"),
    [
        pytest.param(
            case(),
            REGISTERED,
            {"postcard": P, "phone": W, "sms": W, "postcard_2": W, "letter": W},
            id="on the registration day only the first postcard is open: the routine goes in order",
        ),
        pytest.param(
            case(phone=None),
            REGISTERED,
            {"postcard": P, "phone": N, "sms": N, "postcard_2": W},
            id="a youth without a known phone number gets no call and no sms",
        ),
        pytest.param(
            case(phone=None),
            D(2026, 9, 9),
            {"postcard": StepStatus.MISSED, "phone": N, "sms": N, "postcard_2": P},
            id="without a phone the second postcard opens when the first one's week has passed",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE),
            ),
            D(2026, 9, 4),
            {"phone": DONE, "sms": P},
            id="an unanswered call makes the sms due",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE, ContactOutcome.MESSAGE_LEFT),
            ),
            D(2026, 9, 4),
            {"phone": DONE, "sms": P},
            id="a call where a message was left also makes the sms due",
        ),
        pytest.param(
            case(
                attempt(
                    D(2026, 9, 3), Channel.PHONE, ContactOutcome.REACHED, activity=Activity.WORK
                )
            ),
            D(2026, 9, 4),
            {"phone": DONE, "sms": N, "postcard": N, "letter": N, "social_services": N},
            id="a youth reached by phone needs no further step of steg 1",
        ),
        pytest.param(
            case(attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT)),
            D(2026, 9, 3),
            {"postcard": DONE, "phone": P, "postcard_2": W},
            id="one postcard does the first postcard step only and opens the call",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE),
                attempt(D(2026, 9, 4), Channel.SMS),
                attempt(D(2026, 9, 20), Channel.POSTCARD, ContactOutcome.SENT),
            ),
            D(2026, 9, 21),
            {"postcard": DONE, "phone": DONE, "sms": DONE, "postcard_2": DONE, "letter": P},
            id="a second postcard after the sms does the second postcard step",
        ),
        pytest.param(
            case(attempt(D(2026, 9, 10), Channel.LETTER, ContactOutcome.SENT)),
            D(2026, 9, 11),
            {"letter": W},
            id="a letter before eight weeks does not do the letter step",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 3), Channel.PHONE),
                attempt(D(2026, 9, 4), Channel.SMS),
            ),
            D(2026, 9, 5),
            {"report_of_concern": W},
            id="two attempts without result are not enough for a report of concern",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT),
                attempt(D(2026, 9, 3), Channel.PHONE),
                attempt(D(2026, 9, 4), Channel.SMS),
            ),
            D(2026, 9, 5),
            {"report_of_concern": P},
            id="after three attempts without result a report of concern is for a person to decide",
        ),
        pytest.param(
            case(who=MINOR),
            REGISTERED,
            {"postcard": P, "postcard:guardian": P, "letter:guardian": W, "phone:guardian": W},
            id="a youth under 18 at registration has the guardian contacted too, in order",
        ),
        pytest.param(
            case(attempt(D(2026, 9, 2), Channel.POSTCARD, contacted=Contacted.GUARDIAN), who=MINOR),
            D(2026, 9, 3),
            {"postcard": P, "postcard:guardian": DONE},
            id="a postcard to the guardian does not count as one to the youth",
        ),
        pytest.param(
            case(
                attempt(D(2026, 9, 2), Channel.PHONE, ContactOutcome.REACHED, Contacted.GUARDIAN),
                who=MINOR,
            ),
            D(2026, 9, 3),
            {"postcard": P, "postcard:guardian": N, "phone:guardian": DONE},
            id="reaching only the guardian ends the guardian's steps, not the youth's routine",
        ),
        pytest.param(
            case(),
            D(2026, 12, 1),
            {"recontact_after_decline": W},
            id="a youth who never declined has no re-contact step",
        ),
    ],
)
def test_step_states(c: Case, on: dt.date, expected: dict[str, StepStatus]) -> None:
    got = states(c, on)
    assert {k: got.get(k) for k in expected} == expected


M = StepStatus.MISSED
IN_A_LONG_MONTH = D(2026, 10, 1)  # a Thursday in a month of 31 days: "1 month" is +31 days


@pytest.mark.parametrize(
    ("plus", "expected", "due"),
    [
        (0, {"postcard": P, "phone": W, "sms": W, "postcard_2": W, "letter": W}, {"postcard": 7}),
        (6, {"postcard": P, "phone": W}, {"postcard": 7}),
        (7, {"postcard": P, "phone": W}, {"postcard": 7}),
        (8, {"postcard": M, "phone": P, "sms": W, "postcard_2": W}, {"phone": 14}),
        (14, {"postcard": M, "phone": P, "sms": W, "postcard_2": W}, {"phone": 14}),
        (15, {"phone": M, "sms": M, "postcard_2": P, "letter": W}, {"postcard_2": 31}),
        (31, {"postcard_2": P, "letter": W}, {"postcard_2": 31}),
        (32, {"postcard_2": P, "letter": P}, {"postcard_2": 31, "letter": 56}),
        (56, {"postcard_2": M, "letter": P}, {"letter": 56}),
        (57, {"postcard_2": M, "letter": P}, {"letter": 56}),
    ],
    ids=[
        "+0: on the registration day the first postcard is due within a week, the rest waits",
        "+6: the day before the postcard's deadline the call still waits",
        "+7: the postcard is due today, not overdue, and the call still waits",
        "+8: the postcard's week has passed: it is missed and the call opens, due in two weeks",
        "+14: the call is due today; the sms waits for a call to answer",
        "+15: the call's two weeks passed untried: call and sms missed, the new postcard opens",
        "+31: the new postcard is due today, one month after registration; the letter waits",
        "+32: the new postcard is overdue until the letter opens after eight weeks",
        "+56: the letter is due today, eight weeks after registration; the postcard is missed",
        "+57: the letter is one day overdue, the last step, so it stays on the list",
    ],
)
def test_askersunds_steg_1_in_order_on_each_side_of_every_deadline(
    plus: int, expected: dict[str, StepStatus], due: dict[str, int]
) -> None:
    c = Case(
        youth=ADULT,
        municipality="1882",
        registration=Registration(day=IN_A_LONG_MONTH),
        contact_details=ContactDetails(phone="070-000 00 00"),
    )
    on = IN_A_LONG_MONTH + dt.timedelta(days=plus)
    by_id = {s.step.id: s for s in step_states(c, STEPS, on=on) if s.contacted is Contacted.YOUTH}
    assert {k: by_id[k].status for k in expected} == expected
    assert {k: (by_id[k].due - IN_A_LONG_MONTH).days for k in due if by_id[k].due} == due


TURNS_18 = D(2027, 3, 2)  # MINOR's 18th birthday


@pytest.mark.parametrize(
    ("on", "guardian"),
    [(D(2027, 3, 1), P), (TURNS_18, N)],
    ids=[
        "the day before the 18th birthday the guardian's postcard is still due",
        "on the 18th birthday custody has ended: the guardian's steps lapse",
    ],
)
def test_guardian_steps_lapse_on_the_18th_birthday(on: dt.date, guardian: StepStatus) -> None:
    c = Case(youth=MINOR, municipality="1882", registration=Registration(day=D(2027, 2, 25)))
    got = states(c, on)
    assert got["postcard:guardian"] is guardian
    assert got["postcard"] is P
    if guardian is N:
        (state,) = [
            s
            for s in step_states(c, STEPS, on=on)
            if s.step.id == "postcard" and s.contacted is Contacted.GUARDIAN
        ]
        assert "6 kap. 2 § föräldrabalken" in state.note


SENT, NONE = ContactOutcome.SENT, ContactOutcome.NO_ANSWER


@pytest.mark.parametrize(
    ("contacts", "on", "expected"),
    [
        (
            [(2, Channel.PHONE, NONE), (3, Channel.SMS, NONE), (4, Channel.PHONE, NONE)],
            D(2026, 9, 5),
            P,
        ),
        ([(2, Channel.PHONE, NONE), (3, Channel.SMS, NONE)], D(2026, 9, 5), W),
        (
            [(2, Channel.PHONE, NONE), (2, Channel.PHONE, NONE), (3, Channel.SMS, NONE)],
            D(2026, 9, 5),
            W,
        ),
        (
            [(2, Channel.PHONE, NONE), (3, Channel.SMS, NONE), (4, Channel.POSTCARD, SENT)],
            D(2026, 9, 4),
            W,
        ),
        (
            [
                (2, Channel.POSTCARD, SENT),
                (3, Channel.PHONE, NONE),
                (4, Channel.SMS, NONE),
            ],
            D(2026, 9, 4),
            P,
        ),
    ],
    ids=[
        "the third attempt to the youth without result raises the prompt",
        "two attempts without result do not",
        "the same call twice on one day is one attempt",
        "a postcard sent today has no result yet and is not a failed attempt",
        "a postcard followed by later attempts that got no answer counts as one",
    ],
)
def test_the_report_of_concern_counts_distinct_attempts_to_the_youth_with_a_known_result(
    contacts: list[tuple[int, Channel, ContactOutcome]], on: dt.date, expected: StepStatus
) -> None:
    c = case(*(attempt(D(2026, 9, d), ch, out) for d, ch, out in contacts))
    assert states(c, on)["report_of_concern"] is expected


def test_attempts_to_the_guardian_do_not_count_towards_the_report_of_concern() -> None:
    c = case(
        attempt(D(2026, 9, 2), Channel.PHONE),
        attempt(D(2026, 9, 3), Channel.PHONE, contacted=Contacted.GUARDIAN),
        attempt(D(2026, 9, 4), Channel.SMS),
        who=MINOR,
    )
    assert states(c, D(2026, 9, 5))["report_of_concern"] is W


REACHED_AT_MEETING = attempt(
    D(2026, 9, 10), Channel.MEETING, ContactOutcome.REACHED, activity=Activity.NO_ACTIVITY
)
AGREED = Measure(id="m1", type="study_guidance", offered=D(2026, 9, 12))


@pytest.mark.parametrize(
    ("c", "expected"),
    [
        (case(), {"mapping": W, "plan": W, "consent": W}),
        (case(REACHED_AT_MEETING), {"mapping": P, "plan": N, "consent": N}),
        (case(REACHED_AT_MEETING, measures=(AGREED,)), {"mapping": DONE, "plan": P, "consent": P}),
        (
            case(
                attempt(
                    D(2026, 9, 10),
                    Channel.MEETING,
                    ContactOutcome.DECLINED_SUPPORT,
                    activity=Activity.WORK,
                )
            ),
            {"mapping": DONE, "plan": N, "recontact_after_decline": P},
        ),
    ],
    ids=[
        "before the youth is reached steg 2 waits",
        "once reached the mapping conversation is prompted; no plan until a measure is agreed",
        "an agreed measure does the mapping and prompts the plan and the consent",
        "a youth who declines support in words is re-contacted no earlier than three months",
    ],
)
def test_askersunds_steg_2_after_the_youth_is_reached(
    c: Case, expected: dict[str, StepStatus]
) -> None:
    got = states(c, D(2026, 12, 11))
    assert {k: got[k] for k in expected} == expected


def test_a_youth_over_18_has_no_guardian_steps() -> None:
    assert not any(k.endswith(":guardian") for k in states(case(), REGISTERED))


def test_due_days_are_counted_from_registration() -> None:
    sent = attempt(D(2026, 9, 2), Channel.POSTCARD, ContactOutcome.SENT)
    by_id = {s.step.id: s for s in step_states(case(sent), STEPS, on=D(2026, 9, 16))}
    assert by_id["postcard"].done_on == D(2026, 9, 2)
    assert by_id["phone"].due == D(2026, 9, 15)
    assert by_id["postcard_2"].due == D(2026, 10, 1)
    by_id = {s.step.id: s for s in step_states(case(sent), STEPS, on=D(2026, 10, 2))}
    assert by_id["letter"].opens == by_id["letter"].due == D(2026, 10, 27)


DECLINED = Measure(id="m1", type="study_guidance", offered=D(2026, 9, 10), declined=True)
REACHED_WORKING = attempt(
    D(2026, 9, 10), Channel.MEETING, ContactOutcome.REACHED, activity=Activity.WORK
)


@pytest.mark.parametrize(
    ("c", "on", "status", "due"),
    [
        pytest.param(
            case(REACHED_WORKING, measures=(DECLINED,)),
            D(2026, 10, 1),
            P,
            D(2026, 12, 10),
            id="a working youth who declined is re-contacted no earlier than three months later",
        ),
        pytest.param(
            case(
                REACHED_WORKING,
                attempt(D(2026, 12, 11), Channel.PHONE, ContactOutcome.REACHED),
                measures=(DECLINED,),
            ),
            D(2026, 12, 12),
            DONE,
            None,
            id="a contact after the re-contact day does the re-contact step",
        ),
        pytest.param(
            case(
                attempt(
                    D(2026, 9, 10),
                    Channel.MEETING,
                    ContactOutcome.REACHED,
                    activity=Activity.UNKNOWN,
                ),
                measures=(DECLINED,),
            ),
            D(2026, 10, 1),
            N,
            None,
            id="a youth who declined but has no occupation is not left for three months",
        ),
    ],
)
def test_recontact_after_a_decline(
    c: Case, on: dt.date, status: StepStatus, due: dt.date | None
) -> None:
    (state,) = [s for s in step_states(c, STEPS, on=on) if s.step.id == "recontact_after_decline"]
    assert state.status is status
    assert state.due == due


def test_only_what_is_on_record_by_the_day_counts() -> None:
    c = case(attempt(D(2026, 9, 3), Channel.POSTCARD, ContactOutcome.SENT))
    assert states(c, D(2026, 9, 2))["postcard"] is P
    assert states(c, D(2026, 9, 3))["postcard"] is DONE


# -- the working-day rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 11, 23), D(2026, 11, 23), id="a Monday is a working day"),
        pytest.param(D(2026, 11, 28), D(2026, 11, 30), id="a Saturday moves to Monday"),
        pytest.param(D(2026, 12, 25), D(2026, 12, 28), id="Christmas Day moves past the weekend"),
        pytest.param(D(2026, 6, 6), D(2026, 6, 8), id="National Day on a Saturday moves to Monday"),
        pytest.param(D(2027, 1, 6), D(2027, 1, 7), id="Epiphany moves to the next day"),
        pytest.param(D(2026, 4, 3), D(2026, 4, 7), id="Good Friday moves past Easter Monday"),
    ],
)
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert next_working_day(day) == expected


def test_the_working_day_rule_moves_a_due_day_only_when_set() -> None:
    registered = D(2026, 12, 18)  # + 1 week = Christmas Day
    c = Case(
        youth=ADULT,
        municipality="1882",
        registration=Registration(day=registered),
    )
    plain = {s.step.id: s.due for s in step_states(c, STEPS, on=registered)}
    moved = Timetable(steps=STEPS.steps, working_days=True)
    working = {s.step.id: s.due for s in step_states(c, moved, on=registered)}
    assert plain["postcard"] == D(2026, 12, 25)
    assert working["postcard"] == D(2026, 12, 28)


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)))
def test_the_next_working_day_is_a_weekday_within_a_week(day: dt.date) -> None:
    moved = next_working_day(day)
    assert moved.weekday() < 5
    assert 0 <= (moved - day).days <= 6
    assert next_working_day(moved) == moved


# -- offsets and the loader -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1 week", Offset(weeks=1), id="one week"),
        pytest.param("8 weeks", Offset(weeks=8), id="eight weeks"),
        pytest.param("3 months", Offset(months=3), id="three months"),
        pytest.param("1 månad", Offset(months=1), id="a month written in Swedish"),
        pytest.param("2 veckor", Offset(weeks=2), id="two weeks written in Swedish"),
        pytest.param("30 DAYS", Offset(days=30), id="days in capitals"),
    ],
)
def test_offsets_are_read_in_english_or_swedish(text: str, expected: Offset) -> None:
    assert Offset.parse(text) == expected


@pytest.mark.parametrize("text", ["", "week", "1", "1 fortnight", "-1 week", "1.5 weeks"])
def test_a_bad_offset_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not an offset"):
        Offset.parse(text)


def test_a_month_after_the_31st_is_the_last_day_of_a_short_month() -> None:
    assert Offset(months=1).after(D(2026, 1, 31)) == D(2026, 2, 28)


HEAD = """
municipality = "1882"
[[versions]]
start = 2026-01-01
title = "t"
[versions.citation]
title = "Handlingsplan"
issuer = "Askersunds kommun"
"""


@pytest.mark.parametrize(
    ("steps", "key", "message"),
    [
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nchanel = "sms"\n',
            "versions[0].value.steps[0].chanel",
            "unknown key",
            id="a misspelt key is named",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nchannel = "pigeon"\n',
            "versions[0].value.steps[0].channel",
            "not one of",
            id="an unknown channel is named",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nwithin = "a while"\n',
            "versions[0].value.steps[0].within",
            "not an offset",
            id="an offset that is not a number and a unit is named",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\n'
            'within = "1 week"\nafter = "2 weeks"\n',
            "versions[0].value.steps[0].after",
            "give one of",
            id="two timings on one step are rejected",
        ),
        pytest.param(
            '[[versions.value.steps]]\nwhat = "x"\n',
            "versions[0].value.steps[0].id",
            "required",
            id="a step without an id is rejected",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nif_unanswered = "b"\n',
            "versions[0].value",
            "not an earlier step",
            id="a condition on a step that does not come earlier is rejected",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\naction = "report_of_concern"\n',
            "versions[0].value.steps[0]",
            "decision",
            id="a report of concern that is not marked as a decision is rejected",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nmin_failed_attempts = "3"\n',
            "versions[0].value.steps[0].min_failed_attempts",
            "must be a whole number",
            id="a number written as text is rejected",
        ),
        pytest.param(
            '[[versions.value.steps]]\nid = "a"\nwhat = "x"\nrequires = ["phone"]\n',
            "versions[0].value.steps[0].requires[0]",
            "not one of",
            id="an unknown requirement is named",
        ),
    ],
)
def test_a_malformed_timetable_names_file_and_key(steps: str, key: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        parse_timetable(HEAD + steps, file="kommun.toml")
    assert info.value.file == "kommun.toml"
    assert info.value.key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("municipality = 1882\n", "municipality", id="a kommunkod as a number"),
        pytest.param('municipality = "1882"\n', "versions", id="a file without versions"),
        pytest.param(
            'municipality = "1882"\n[[versions]]\nstart = "2026-01-01"\ntitle = "t"\n'
            'value = { steps = [] }\n[versions.citation]\ntitle = "x"\n',
            "versions[0].start",
            id="a start day in quotes",
        ),
        pytest.param(
            'municipality = "1882"\n[[versions]]\nstart = 2026-01-01\ntitle = "t"\n'
            "value = { steps = [] }\n",
            "versions[0].citation",
            id="a version without a citation",
        ),
        pytest.param('municipality = "1882"\nnonsense = 1\n', "nonsense", id="an unknown top key"),
    ],
)
def test_a_malformed_file_names_the_key(text: str, key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_timetable(text, file="kommun.toml")
    assert info.value.key == key


def test_invalid_toml_and_a_missing_file_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        parse_timetable("versions = [", file="x.toml")
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_timetable(tmp_path / "missing.toml")


def test_a_timetable_with_two_versions_applies_each_from_its_day(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[[versions.value.steps]]\nid = "letter"\nwhat = "Brev"\nchannel = "letter"\n'
        + 'after = "8 weeks"\n'
        + '[[versions]]\nstart = 2027-01-01\ntitle = "t2"\n'
        + '[versions.citation]\ntitle = "Handlingsplan, reviderad"\n'
        + "[versions.value]\nworking_days = true\n"
        + '[[versions.value.steps]]\nid = "sms"\nwhat = "Sms"\nchannel = "sms"\nwithin = "3 days"\n'
    )
    path = tmp_path / "1882-test.toml"
    path.write_text(text, encoding="utf-8")
    timeline = load_timetable(path)
    assert timeline.rule_id == "kaa.contact_timetable.1882"
    assert [s.id for s in timeline.value_at(D(2026, 12, 31)).steps] == ["letter"]
    assert [s.id for s in timeline.value_at(D(2027, 1, 1)).steps] == ["sms"]
    assert timeline.value_at(D(2027, 1, 1)).working_days


def test_the_askersund_table_renders_every_step() -> None:
    table = STEPS.markdown()
    assert table.count("\n") == len(STEPS.steps) + 1
    assert "inom 1 vecka från registreringsdagen" in table
    assert "efter minst 3 kontaktförsök utan resultat" in table


def test_the_docs_show_askersunds_timetable_as_shipped() -> None:
    page = Path(__file__).parents[2] / "docs" / "contact-timetables.md"
    assert STEPS.markdown() in page.read_text(encoding="utf-8")


# -- choosing the timetable through the hook --------------------------------------------------


class OwnRoutine:
    """A municipality (Stockholm, 0180) with a routine of its own: letters and home visits."""

    TIMELINE = Timeline(
        "kaa.contact_timetable.0180",
        [
            Version(
                start=D(2020, 1, 1),
                value=Timetable(
                    steps=(
                        Step(id="letter", what="Brev", channel=Channel.LETTER),
                        Step(
                            id="visit",
                            what="Hembesök",
                            channel=Channel.HOME_VISIT,
                            timing=Timing.AFTER,
                            offset=Offset(weeks=3),
                            requires=(Requirement.ADDRESS_KNOWN,),
                        ),
                    )
                ),
                title="Stockholm (example)",
                citation=DocumentReference(title="Rutin", issuer="Stockholms stad (example)"),
            )
        ],
    )

    @hookimpl
    def kaa_contact_timetable(self, municipality: str) -> Timeline[Timetable] | None:
        return self.TIMELINE if municipality == "0180" else None


def test_a_municipality_plugin_wins_over_the_built_in_default() -> None:
    hooks = Hooks.with_plugins(OwnRoutine(), load_entrypoints=False)
    assert hooks.contact_timetable("0180") is OwnRoutine.TIMELINE
    assert hooks.contact_timetable("1882") is ASKERSUND
    assert hooks.contact_timetable("1488").rule_id == NATIONAL_RULE_ID


def test_the_built_in_timetables_answer_last() -> None:
    pm = make_plugin_manager(plugins=[OwnRoutine()], load_entrypoints=False)
    impls = pm.hook.kaa_contact_timetable.get_hookimpls()
    builtin = next(i for i in impls if i.plugin_name == "kaa.rules.contact")
    assert builtin.trylast


def test_blocking_the_built_in_timetables_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_ENV, "kaa.rules.contact")
    with pytest.raises(PluginError, match="blocked"):
        Hooks(make_plugin_manager(load_entrypoints=False)).contact_timetable("0180")


class WrongShape:
    @hookimpl
    def kaa_contact_timetable(self, municipality: str) -> object:
        return ["postcard"]


def test_a_plugin_returning_the_wrong_shape_is_reported() -> None:
    with pytest.raises(PluginError, match="Timeline"):
        Hooks.with_plugins(WrongShape(), load_entrypoints=False).contact_timetable("1882")


def test_an_address_is_never_known_for_a_youth_with_protected_identity() -> None:
    protected = case(who=youth(D(2007, 1, 20), protected=True))
    assert not Requirement.ADDRESS_KNOWN.holds(protected, REGISTERED)
    assert Requirement.ADDRESS_KNOWN.holds(case(address=True), REGISTERED)
    visit = OwnRoutine.TIMELINE.value_at(REGISTERED)
    got = states(protected, D(2026, 10, 1), visit)
    assert got["visit"] is N


def test_steps_validate_their_own_shape() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        Step(id="Vykort", what="Vykort")
    with pytest.raises(ValueError, match="only a contact attempt has a channel"):
        Step(id="x", what="x", action=Action.REPORT_OF_CONCERN, decision=True, channel=Channel.SMS)
    with pytest.raises(ValueError, match="no offset"):
        Step(id="x", what="x", offset=Offset(days=1))
    with pytest.raises(ValueError, match="two steps"):
        Timetable(steps=(Step(id="a", what="a"), Step(id="a", what="b")))


# -- the loader never crashes ----------------------------------------------------------------

SHIPPED_TEXT = (
    Path(__file__).parents[2] / "src" / "kaa" / "municipal" / "askersund" / "timetable.toml"
).read_text(encoding="utf-8")
SHIPPED_LINES = SHIPPED_TEXT.splitlines()


def _read_or_reject(text: str, file: str) -> str | None:
    """The file named by the error, or the file itself when it was read."""
    try:
        parse_timetable(text, file=file)
    except ConfigurationError as exc:
        return exc.file
    return file


@given(st.text(max_size=300))
def test_arbitrary_text_is_a_timetable_or_a_configuration_error(text: str) -> None:
    assert _read_or_reject(text, "fuzz.toml") == "fuzz.toml"


@given(
    st.sets(st.integers(0, len(SHIPPED_LINES) - 1), max_size=4),
    st.lists(
        st.sampled_from(
            ["x = 1", "within = 3", 'channel = ["sms"]', "chapter = true", "start = 12:00:00"]
        ),
        max_size=2,
    ),
)
def test_a_damaged_askersund_file_is_read_or_rejected_with_a_key(
    dropped: set[int], extra: list[str]
) -> None:
    lines = [line for i, line in enumerate(SHIPPED_LINES) if i not in dropped] + extra
    assert _read_or_reject("\n".join(lines), "1882.toml") == "1882.toml"


# -- writing a timetable back ------------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
offsets = st.builds(
    Offset,
    years=st.integers(0, 3),
    months=st.integers(0, 12),
    weeks=st.integers(0, 60),
    days=st.integers(0, 400),
)


@st.composite
def timetables(draw: st.DrawFn) -> Timetable:
    steps: list[Step] = []
    for i in range(draw(st.integers(0, 5))):
        decision = draw(st.booleans())
        action = draw(st.sampled_from(Action)) if decision else Action.CONTACT
        timing = draw(st.sampled_from(Timing))
        guardian = draw(st.none() | st.integers(1, 20))
        earlier = [s.id for s in steps if s.guardian_below_age == guardian]
        steps.append(
            Step(
                id=f"step_{i}",
                what=draw(texts),
                how=draw(texts),
                action=action,
                channel=draw(st.none() | st.sampled_from(Channel))
                if action is Action.CONTACT
                else None,
                anchor=draw(st.sampled_from(Anchor)),
                timing=timing,
                offset=Offset() if timing is Timing.FROM else draw(offsets),
                while_not_reached=draw(st.booleans()),
                requires=tuple(draw(st.lists(st.sampled_from(Requirement), max_size=2))),
                if_unanswered=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
                min_failed_attempts=draw(st.integers(0, 5)),
                guardian_below_age=guardian,
                decision=decision,
            )
        )
    return Timetable(steps=tuple(steps), working_days=draw(st.booleans()))


citations = st.one_of(
    st.builds(
        Citation,
        sfs=texts,
        title=texts,
        chapter=st.none() | st.integers(1, 40),
        section=st.none() | texts,
        paragraph=st.none() | st.integers(1, 9),
        wording=st.none() | texts,
        url=st.none() | texts,
    ),
    st.builds(
        DocumentReference,
        title=texts,
        issuer=st.none() | texts,
        identifier=st.none() | texts,
        section=st.none() | texts,
        url=st.none() | texts,
    ),
)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline[Timetable]:
    starts = draw(
        st.lists(st.dates(D(2015, 1, 1), D(2035, 12, 31)), min_size=1, max_size=3, unique=True)
    )
    return Timeline(
        "kaa.contact_timetable.test",
        [
            Version(
                start=start,
                value=draw(timetables()),
                title=draw(texts),
                citation=draw(citations),
                sources=tuple(draw(st.lists(texts, max_size=2))),
            )
            for start in starts
        ],
    )


@given(timelines())
def test_a_written_timetable_reads_back_the_same(timeline: Timeline[Timetable]) -> None:
    again = parse_timetable(dump_timetable(timeline), file="written.toml")
    assert again.rule_id == timeline.rule_id
    assert list(again) == list(timeline)


@pytest.mark.parametrize(
    "timeline",
    [
        pytest.param(ASKERSUND, id="Askersund's shipped timetable"),
        pytest.param(national_timetable(), id="the national default"),
    ],
)
def test_the_shipped_timetables_read_back_the_same(timeline: Timeline[Timetable]) -> None:
    assert list(parse_timetable(dump_timetable(timeline))) == list(timeline)


@given(offsets)
def test_an_offset_reads_back_from_its_text(offset: Offset) -> None:
    assert Offset.parse(str(offset)) == offset


# -- the loader's messages, pinned ------------------------------------------------------------
# Pinned before the loader moved to kaa.convert, then changed on purpose: every message now
# reads ``file: message @ $.path``, the steps of a version sit under its ``value``, a number
# written as text and a kommunkod say what to write, two versions on one day name the day.

PINNED_HEAD = """
municipality = "1882"
[[versions]]
start = 2026-01-01
title = "t"
[versions.citation]
title = "Handlingsplan"
issuer = "Askersunds kommun"
"""
ONE_STEP = PINNED_HEAD + '[[versions.value.steps]]\nid = "a"\nwhat = "x"\n'
A_VERSION = '[[versions]]\nstart = 2026-01-01\ntitle = "t"\nvalue = { steps = [] }\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            ONE_STEP + 'chanel = "sms"\n',
            "kommun.toml: unknown key(s): chanel (allowed: action, after, channel, decision, "
            "done_when, from, guardian_below_age, how, id, if_unanswered, min_failed_attempts, "
            "no_earlier_than, opens_after, requires, what, while_not_reached, within) "
            "@ $.versions[0].value.steps[0].chanel",
            id="a misspelt key lists the keys allowed",
        ),
        pytest.param(
            ONE_STEP + 'channel = "pigeon"\n',
            "kommun.toml: 'pigeon' is not one of: postcard, phone, sms, letter, email, "
            "social_media, home_visit, meeting, e_service, other "
            "@ $.versions[0].value.steps[0].channel",
            id="an unknown channel lists the channels",
        ),
        pytest.param(
            ONE_STEP + 'within = "a while"\n',
            "kommun.toml: 'a while' is not an offset: write a number and a unit, e.g. '1 week', "
            "'2 weeks', '1 month', '3 months' (day, week, month, year) "
            "@ $.versions[0].value.steps[0].within",
            id="an offset that is not a number and a unit says how to write one",
        ),
        pytest.param(
            ONE_STEP + 'within = "1 week"\nafter = "2 weeks"\n',
            "kommun.toml: give one of within, after, no_earlier_than, not within and after "
            "@ $.versions[0].value.steps[0].after",
            id="two timings on one step are refused",
        ),
        pytest.param(
            PINNED_HEAD + '[[versions.value.steps]]\nwhat = "x"\n',
            "kommun.toml: required key missing @ $.versions[0].value.steps[0].id",
            id="a step without an id is refused",
        ),
        pytest.param(
            ONE_STEP + 'min_failed_attempts = "3"\n',
            "kommun.toml: must be a whole number, not text "
            "@ $.versions[0].value.steps[0].min_failed_attempts",
            id="a number written as text is refused",
        ),
        pytest.param(
            ONE_STEP + 'requires = ["phone"]\n',
            "kommun.toml: 'phone' is not one of: phone_known, email_known, address_known, "
            "occupied, measure_agreed @ $.versions[0].value.steps[0].requires[0]",
            id="an unknown requirement lists the requirements",
        ),
        pytest.param(
            ONE_STEP + 'action = "report_of_concern"\n',
            "kommun.toml: step a: report_of_concern is not a contact attempt the register "
            "records, so it must be a decision for a person (decision = true) "
            "@ $.versions[0].value.steps[0]",
            id="a report of concern that is not a decision names the step",
        ),
        pytest.param(
            "municipality = 1882\n",
            'kommun.toml: 1882 is not a kommunkod: write its four digits in quotes, e.g. "1882" '
            "@ $.municipality",
            id="a kommunkod written as a number is refused",
        ),
        pytest.param(
            'municipality = "9999"\n' + A_VERSION + '[versions.citation]\ntitle = "x"\n',
            "kommun.toml: '9999' is not a kommunkod: write its four digits in quotes, "
            'e.g. "1882" @ $.municipality',
            id="a kommunkod that is no municipality's is refused",
        ),
        pytest.param(
            'municipality = "1882"\n',
            "kommun.toml: at least one [[versions]] table is needed @ $.versions",
            id="a file without versions is refused",
        ),
        pytest.param(
            A_VERSION + '[versions.citation]\ntitle = "x"\n',
            "kommun.toml: give the municipality (kommunkod) or a rule_id @ $.rule_id",
            id="a file without municipality or rule id is refused",
        ),
        pytest.param(
            'municipality = "1882"\n'
            + A_VERSION.replace("2026-01-01", '"2026-01-01"')
            + '[versions.citation]\ntitle = "x"\n',
            "kommun.toml: must be a day written YYYY-MM-DD (a TOML date, no quotes) "
            "@ $.versions[0].start",
            id="a start day in quotes is refused",
        ),
        pytest.param(
            'municipality = "1882"\n' + A_VERSION,
            "kommun.toml: required key missing @ $.versions[0].citation",
            id="a version without a citation is refused",
        ),
        pytest.param(
            'municipality = "1882"\n' + A_VERSION + 'citation = "skollagen"\n',
            "kommun.toml: a citation is a table: sfs/title/chapter/section for a statute, "
            "title/issuer/section for a document such as a municipal plan "
            "@ $.versions[0].citation",
            id="a citation written as text says how to write one",
        ),
        pytest.param(
            'municipality = "1882"\n'
            + A_VERSION
            + '[versions.citation]\nsfs = "2010:800"\ntitle = "skollagen"\nchapter = "29"\n',
            "kommun.toml: must be a whole number, not text @ $.versions[0].citation.chapter",
            id="a chapter written as text is refused",
        ),
        pytest.param(
            'municipality = "1882"\nnonsense = 1\n',
            "kommun.toml: unknown key(s): nonsense (allowed: municipality, rule_id, versions) "
            "@ $.nonsense",
            id="an unknown top-level key is refused",
        ),
        pytest.param(
            'municipality = "1882"\n' + (A_VERSION + '[versions.citation]\ntitle = "x"\n') * 2,
            "kommun.toml: two versions start on 2026-01-01 @ $.versions[1].start",
            id="two versions starting on one day are refused",
        ),
        pytest.param(
            "versions = [",
            "kommun.toml: not valid TOML: Invalid value (at end of document)",
            id="text that is not TOML is refused",
        ),
    ],
)
def test_the_loaders_messages_are_pinned(text: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_timetable(text, file="kommun.toml")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "timetable",
    [
        national_timetable().at(dt.date(2026, 12, 1)).value,
        askersund.timetable().at(dt.date(2026, 12, 1)).value,
    ],
    ids=["national", "askersund"],
)
def test_the_chains_of_steps_are_made_once_per_timetable(timetable: Timetable) -> None:
    # _mark_missed looks up each step's earlier steps; they are made once per timetable
    from kaa.rules import contact

    chains = contact._chains(timetable)
    assert chains == {s.id: tuple(contact._chain(timetable, s)) for s in timetable.steps}
    assert contact._chains(timetable) is chains
    # an equal timetable made anew is another object: its chains are its own
    copy = Timetable(
        steps=timetable.steps,
        working_days=timetable.working_days,
        guardian_reached_ends_routine=timetable.guardian_reached_ends_routine,
    )
    assert copy == timetable
    assert contact._chains(copy) == chains
    assert contact._chains(copy) is not chains


def test_a_timetables_plan_is_made_once_and_the_plans_kept_are_bounded() -> None:
    # step_states reads each timetable's steps once (_plan), by identity, keeping 64 at most
    from kaa.rules import contact

    plan = contact._plan(STEPS)
    assert contact._plan(STEPS) is plan
    assert [p.step for p in plan.steps] == list(STEPS.steps)
    assert plan.anchors == (Anchor.REGISTRATION, Anchor.REACHED, Anchor.DECLINED)
    copies = [attrs.evolve(STEPS) for _ in range(100)]  # kept alive: their ids are all distinct
    for copy in copies:
        assert contact._plan(copy) is not plan
        assert contact._plan(copy) == plan
    assert len(contact._PLANS) <= 64
    assert all(entry[0] is STEPS or entry[0] in copies for entry in contact._PLANS.values())


def test_a_steps_offset_after_an_anchor_day_is_memoised_and_the_memo_is_bounded() -> None:
    # _StepPlan.after is Offset.after, kept per step and anchor day, for 4096 days at most
    from kaa.rules import contact

    (letter,) = [p for p in contact._plan(STEPS).steps if p.step.id == "letter"]
    days = [D(2015, 1, 31) + dt.timedelta(days=n) for n in range(5000)]
    for day in days:
        assert letter.after(day) == letter.step.offset.after(day) == day + dt.timedelta(weeks=8)
        assert letter.days_after[day] == letter.after(day)
        assert len(letter.days_after) <= 4096
    assert letter.after(days[0]) == D(2015, 3, 28)
