"""Selecting the youths of a half-year and building their SCB records."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.errors import InvalidInput
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    MeasureCategory,
    Registration,
)
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.period import HalfYear, end_falls_in
from kaa.rules.target_group import membership, national_equivalence
from kaa.scb.submission import (
    Block,
    ContactRecord,
    KaaEnded,
    MeasureEnded,
    MeasureStarted,
    Memberships,
    build_record,
    build_submission,
    end_reported_in,
    reported_contact,
    select,
)
from kaa.testing import skatteverket_number
from strategies import cases

D = dt.date
ONE = dt.timedelta(days=1)
HT = HalfYear(2026, 2)
VT = HalfYear(2026, 1)
BORN = D(2008, 8, 12)  # turns 20 on 2028-08-12
YOUTH = Youth(
    id=skatteverket_number(BORN),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2024, 6, 12),
)


def make(registered: dt.date = D(2026, 3, 1), youth: Youth = YOUTH, **kw: Any) -> Case:
    return Case(
        youth=youth,
        municipality=kw.pop("municipality", "1882"),
        registration=Registration(day=registered),
        **kw,
    )


def reached(day: dt.date, activity: Activity | None = Activity.WORK) -> Contact:
    return Contact(
        day=day, channel=Channel.PHONE, outcome=ContactOutcome.REACHED, activity=activity
    )


ON_NATIONAL = attrs.evolve(
    YOUTH,
    enrolments=(
        Enrolment(
            school_form=SchoolForm.GYMNASIESKOLA, programme=Programme.NATIONAL, start=D(2026, 1, 8)
        ),
    ),
)
TURNS_20 = Youth(
    id=skatteverket_number(D(2006, 9, 1)),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2022, 6, 10),
)
TURNS_20_ON_1_JULY = Youth(
    id=skatteverket_number(D(2006, 7, 1)),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2022, 6, 10),
)


@pytest.mark.parametrize(
    ("case", "period", "reported", "left_out"),
    [
        pytest.param(
            make(), HT, True, False, id="a youth in the target group all period is reported"
        ),
        pytest.param(
            make(D(2026, 12, 31)),
            HT,
            True,
            False,
            id="a youth registered on the last day of the period is reported",
        ),
        pytest.param(
            make(D(2027, 1, 1)),
            HT,
            False,
            False,
            id="a youth registered after the period is not reported",
        ),
        pytest.param(
            make(end=KaaEnd(day=D(2026, 5, 1), reason=EndReason.MOVED_ABROAD)),
            HT,
            False,
            False,
            id="a case that ended before the period is not reported",
        ),
        pytest.param(
            make(youth=ON_NATIONAL),
            HT,
            False,
            True,
            id="an open case of a youth on a national programme is left out",
        ),
        pytest.param(
            make(youth=TURNS_20, end=KaaEnd(day=D(2026, 9, 1), reason=EndReason.TURNED_20)),
            HT,
            True,
            False,
            id="a youth who turns 20 in the period is reported",
        ),
        pytest.param(
            make(
                youth=TURNS_20_ON_1_JULY, end=KaaEnd(day=D(2026, 7, 1), reason=EndReason.TURNED_20)
            ),
            HT,
            False,
            False,
            id="a youth who turns 20 on 1 July is not reported for HT",
        ),
        pytest.param(
            make(
                youth=TURNS_20_ON_1_JULY, end=KaaEnd(day=D(2026, 7, 1), reason=EndReason.TURNED_20)
            ),
            VT,
            True,
            False,
            id="a youth who turns 20 on 1 July is reported for VT",
        ),
        pytest.param(
            make(
                municipality="0180",
                youth=attrs.evolve(YOUTH, residences=(Residence(municipality="0180"),)),
            ),
            HT,
            False,
            False,
            id="a case of another municipality is ignored",
        ),
    ],
)
def test_who_is_reported(case: Case, period: HalfYear, reported: bool, left_out: bool) -> None:
    submission = build_submission([case], period, municipality="1882")
    assert (len(submission) == 1) is reported
    assert (len(submission.left_out) == 1) is left_out
    assert all(YOUTH.id.full("long") not in x.reason for x in submission.left_out)


def test_an_end_on_1_july_is_reported_with_vt() -> None:
    case = make(youth=TURNS_20_ON_1_JULY, end=KaaEnd(day=D(2026, 7, 1), reason=EndReason.TURNED_20))
    record = build_submission([case], VT, municipality="1882").records[0]
    assert record.kaa_ended == KaaEnded(day=D(2026, 7, 1), reason=EndReason.TURNED_20)
    assert end_reported_in(D(2026, 7, 1)) == VT
    assert end_reported_in(D(2027, 1, 1)) == HT


def test_only_the_events_of_the_period_are_in_the_record() -> None:
    case = make(
        contacts=(
            reached(D(2026, 5, 1)),
            Contact(day=D(2026, 8, 1), channel=Channel.SMS, outcome=ContactOutcome.NO_ANSWER),
            reached(D(2026, 9, 1), activity=None),
            reached(D(2026, 10, 1), activity=Activity.OTHER_STUDIES),
        ),
        measures=(
            Measure(
                id="m1",
                type="study_guidance",
                offered=D(2026, 5, 1),
                start=D(2026, 5, 10),
                end=D(2026, 8, 15),
                activity_after=Activity.NATIONAL_PROGRAMME,
            ),
            Measure(
                id="m2", type="introduction_programme", offered=D(2026, 9, 1), start=D(2026, 9, 5)
            ),
            Measure(id="m3", type="coaching", offered=D(2026, 11, 1), declined=True),
            Measure(id="m4", type="coaching", offered=D(2026, 4, 1), declined=True),
        ),
        end=KaaEnd(day=D(2026, 12, 1), reason=EndReason.STARTED_PROGRAMME),
    )
    record = build_record(case, HT)
    assert record.contacts == (
        ContactRecord(day=D(2026, 9, 1), activity=Activity.UNKNOWN),
        ContactRecord(day=D(2026, 10, 1), activity=Activity.OTHER_STUDIES),
    )
    assert record.measures_started == (
        MeasureStarted(category=MeasureCategory.INTRODUCTION_PROGRAMME_STUDIES, day=D(2026, 9, 5)),
        MeasureStarted(category=MeasureCategory.OTHER, day=D(2026, 11, 1), declined=True),
    )
    assert record.measures_ended == (
        MeasureEnded(
            category=MeasureCategory.GUIDANCE,
            start=D(2026, 5, 10),
            end=D(2026, 8, 15),
            activity_after=Activity.NATIONAL_PROGRAMME,
        ),
    )
    assert record.kaa_ended == KaaEnded(day=D(2026, 12, 1), reason=EndReason.STARTED_PROGRAMME)
    assert record.mandatory.registered == D(2026, 3, 1)
    with_attempts = build_record(case, HT, include_unreached_contacts=True)
    assert ContactRecord(day=D(2026, 8, 1), activity=Activity.UNKNOWN) in with_attempts.contacts


def test_a_measure_type_outside_the_catalogue_is_collected_or_raised() -> None:
    case = make(
        measures=(Measure(id="m1", type="karate", offered=D(2026, 9, 1), start=D(2026, 9, 2)),)
    )
    submission = build_submission([case], HT, municipality="1882")
    (unknown,) = submission.unknown_measures
    assert (unknown.type, unknown.block, unknown.index) == ("karate", Block.MEASURES_STARTED, 0)
    assert submission.records[0].measures_started[0].category is MeasureCategory.OTHER
    with pytest.raises(InvalidInput, match="karate"):
        build_record(case, HT)


def test_any_object_with_scb_category_is_a_catalogue() -> None:
    class Local:
        def scb_category(self, type_id: str, /) -> MeasureCategory:
            return MeasureCategory.GUIDANCE if type_id == "karate" else MeasureCategory.OTHER

    case = make(
        measures=(Measure(id="m1", type="karate", offered=D(2026, 9, 1), start=D(2026, 9, 2)),)
    )
    submission = build_submission([case], HT, municipality="1882", catalogue=Local())
    assert submission.records[0].measures_started[0].category is MeasureCategory.GUIDANCE
    assert not submission.unknown_measures


def test_records_are_in_identity_order_and_counted_per_block() -> None:
    other = attrs.evolve(YOUTH, id=skatteverket_number(D(2007, 3, 2)))
    submission = build_submission(
        [make(contacts=(reached(D(2026, 9, 1)),)), make(youth=other)], HT, municipality="1882"
    )
    assert [r.youth for r in submission] == sorted([YOUTH.id, other.id])
    assert submission.counts() == {
        "mandatory": 2,
        "contacts": 1,
        "measures_started": 0,
        "measures_ended": 0,
        "kaa_ended": 0,
    }


def test_an_unknown_municipality_is_refused() -> None:
    with pytest.raises(InvalidInput, match="9999"):
        build_submission([], HT, municipality="9999")


@settings(max_examples=60, deadline=None)
@given(st.lists(cases(), max_size=4), st.sampled_from([HalfYear(2024, 2), HT, HalfYear(2030, 1)]))
def test_every_reported_event_falls_in_the_period(register: list[Case], period: HalfYear) -> None:
    submission = build_submission(register, period, municipality="1882")
    chosen, _ = select(register, period, municipality="1882")
    assert len(submission) == len(chosen)
    for record in submission:
        assert record.mandatory.municipality == "1882"
        assert all(c.day in period for c in record.contacts)
        assert all(m.day in period for m in record.measures_started)
        assert all(m.end in period and m.start <= m.end for m in record.measures_ended)
        if record.kaa_ended is not None:
            assert end_reported_in(record.kaa_ended.day) == period


def contact(
    contacted: Contacted, outcome: ContactOutcome, activity: Activity | None = None
) -> Contact:
    return Contact(
        day=D(2026, 9, 1),
        channel=Channel.PHONE,
        contacted=contacted,
        outcome=outcome,
        activity=activity,
    )


@pytest.mark.parametrize(
    ("given", "include_unreached", "reported"),
    [
        pytest.param(
            contact(Contacted.YOUTH, ContactOutcome.REACHED, Activity.WORK),
            False,
            True,
            id="a contact that reached the youth is a contact with the individual",
        ),
        pytest.param(
            contact(Contacted.GUARDIAN, ContactOutcome.REACHED, Activity.WORK),
            False,
            False,
            id="a contact that reached only the guardian is not a contact with the youth",
        ),
        pytest.param(
            contact(Contacted.GUARDIAN, ContactOutcome.REACHED, Activity.WORK),
            True,
            False,
            id="a guardian-only contact is not reported even when attempts are included",
        ),
        pytest.param(
            contact(Contacted.YOUTH, ContactOutcome.NO_ANSWER),
            False,
            False,
            id="an attempt at the youth that reached nobody is not reported by default",
        ),
        pytest.param(
            contact(Contacted.YOUTH, ContactOutcome.NO_ANSWER),
            True,
            True,
            id="an attempt at the youth that reached nobody is reported when attempts are included",
        ),
        pytest.param(
            contact(Contacted.GUARDIAN, ContactOutcome.NO_ANSWER),
            True,
            False,
            id="an attempt at the guardian is never reported",
        ),
    ],
)
def test_block_2_holds_only_contacts_with_the_youth(
    given: Contact, include_unreached: bool, reported: bool
) -> None:
    assert reported_contact(given, include_unreached=include_unreached) is reported
    record = build_record(make(contacts=(given,)), HT, include_unreached_contacts=include_unreached)
    expected = (ContactRecord(day=given.day, activity=given.activity or Activity.UNKNOWN),)
    assert record.contacts == (expected if reported else ())


def test_a_guardian_contact_beside_a_youth_contact_leaves_only_the_youths() -> None:
    youth = contact(Contacted.YOUTH, ContactOutcome.REACHED, Activity.OTHER_STUDIES)
    guardian = attrs.evolve(
        contact(Contacted.GUARDIAN, ContactOutcome.REACHED, Activity.WORK), day=D(2026, 8, 20)
    )
    submission = build_submission([make(contacts=(guardian, youth))], HT, municipality="1882")
    assert submission.records[0].contacts == (
        ContactRecord(day=D(2026, 9, 1), activity=Activity.OTHER_STUDIES),
    )
    assert submission.counts()["contacts"] == 1


@pytest.mark.parametrize(
    ("block", "heading", "scbs"),
    [
        pytest.param(
            Block.MANDATORY,
            "Obligatoriska uppgifter",
            False,
            id="block 1's heading is the library's wording: the sources do not give SCB's",
        ),
        pytest.param(
            Block.CONTACTS,
            "Kontakt med individen",
            True,
            id="block 2 is headed in SCB's words: Kontakt med individen",
        ),
        pytest.param(
            Block.MEASURES_STARTED,
            "Åtgärd påbörjas",
            True,
            id="block 3 is headed in SCB's words: Åtgärd påbörjas",
        ),
        pytest.param(
            Block.MEASURES_ENDED,
            "Åtgärd avslutats",
            True,
            id="block 4 is headed in SCB's words: Åtgärd avslutats",
        ),
        pytest.param(
            Block.KAA_ENDED,
            "Aktivitetsansvaret har upphört",
            True,
            id="block 5 is headed in SCB's words: Aktivitetsansvaret har upphört",
        ),
    ],
)
def test_block_headings(block: Block, heading: str, scbs: bool) -> None:
    assert block.label_sv == heading
    assert block.heading_is_scbs is scbs


def test_block_numbers_are_the_places_in_the_record() -> None:
    assert [b.number for b in Block] == [1, 2, 3, 4, 5]


def _never_equivalent(*_: object) -> bool:
    return False


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        pytest.param({}, True, id="the case that was looked at has its answer"),
        pytest.param(
            {"municipality": "0180"},
            None,
            id="another municipality than the case's has no answer",
        ),
        pytest.param({"period": VT}, None, id="another half-year has no answer"),
        pytest.param(
            {"equivalence": _never_equivalent}, None, id="another equivalence has no answer"
        ),
        pytest.param(
            {"case": make(D(2026, 3, 1))},
            None,
            id="an equal case that is another object has no answer",
        ),
    ],
)
def test_the_memberships_answer_only_what_was_looked_at(
    asked: dict[str, Any], expected: bool | None
) -> None:
    case = make(D(2026, 3, 1))
    submission = build_submission([case], HT, municipality="1882")
    found = submission.memberships
    assert found is not None
    question: dict[str, Any] = {
        "case": case,
        "period": HT,
        "municipality": "1882",
        "equivalence": national_equivalence,
    }
    question.update(asked)
    assert found.found(question.pop("case"), **question) is expected


def test_the_memberships_hold_the_cases_left_out_and_no_case_alive() -> None:
    out = make(D(2026, 3, 1), youth=ON_NATIONAL)
    submission = build_submission([make(D(2026, 3, 1)), out], HT, municipality="1882")
    found = submission.memberships
    assert found is not None
    assert len(found) == 2
    asked = {"period": HT, "municipality": "1882", "equivalence": national_equivalence}
    assert found.found(out, **asked) is False
    gone = weakref.ref(out)
    del out
    gc.collect()
    assert gone() is None  # the submission did not keep the case alive


def test_the_memberships_are_not_compared_or_shown() -> None:
    built = build_submission([make(D(2026, 3, 1))], HT, municipality="1882")
    assert built.memberships is not None
    plain = attrs.evolve(built, memberships=None)
    assert built == plain
    assert hash(built) == hash(plain)
    assert repr(built) == repr(plain)


def test_select_refuses_memberships_of_another_half_year() -> None:
    with pytest.raises(InvalidInput, match="same half-year"):
        select([make()], HT, memberships=Memberships(VT, national_equivalence))


@settings(max_examples=60, deadline=None)
@given(st.lists(cases(), max_size=5), st.sampled_from([HalfYear(2024, 2), HT, HalfYear(2030, 1)]))
def test_the_memberships_are_what_the_rule_finds(register: list[Case], period: HalfYear) -> None:
    found = Memberships(period, national_equivalence)
    select(register, period, memberships=found)
    for case in register:
        first = max(period.first_day, case.registration.day)
        last = period.last_day if case.end is None else min(period.last_day, case.end.day - ONE)
        answer = found.found(
            case, period=period, municipality=case.municipality, equivalence=national_equivalence
        )
        if first > last:
            assert answer is None  # never open in the period: not looked at
        else:
            assert (
                answer
                is membership(case.youth, first, last, municipality=case.municipality).any_day
            )


@pytest.mark.parametrize(
    ("end", "half_year"),
    [
        (dt.date(2027, 1, 1), HalfYear(2026, 2)),
        (dt.date(2027, 1, 2), HalfYear(2027, 1)),
        (dt.date(2026, 7, 1), HalfYear(2026, 1)),
        (dt.date(2026, 6, 30), HalfYear(2026, 1)),
    ],
    ids=[
        "an end on 1 January belongs to the HT before, in the SCB file and the follow-up alike",
        "an end on 2 January belongs to the new VT",
        "an end on 1 July belongs to the VT before",
        "an end on 30 June belongs to that VT",
    ],
)
def test_the_scb_file_and_the_follow_up_put_an_end_in_the_same_half_year(
    end: dt.date, half_year: HalfYear
) -> None:
    assert end_reported_in(end) == half_year
    assert end_falls_in(end, half_year)
    assert not end_falls_in(end, half_year.next())
    assert not end_falls_in(end, half_year.previous())
