"""Why a youth with an open case has left the target group, and whether the facts settle it."""

from __future__ import annotations

import datetime as dt
from datetime import date as D

import attrs
import pytest

from kaa.identity import IdentityNumber
from kaa.model.case import EndReason
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.rules.leaving import Leaving, leaving
from kaa.rules.target_group import Condition, assess

HOME = "1882"
ID = IdentityNumber.parse("20080101-2386")  # turns 20 on 2028-01-01
IN = Youth(
    id=ID,
    residences=(Residence(municipality=HOME, start=D(2008, 1, 1)),),
    compulsory_school_completed=D(2024, 6, 14),
)
ON = D(2026, 3, 2)


def gone(youth: Youth, on: dt.date = ON) -> Leaving | None:
    return leaving(youth, assess(youth, on=on, municipality=HOME))


@pytest.mark.parametrize(
    ("youth", "on", "reason", "day"),
    [
        (IN, D(2027, 12, 31), None, None),
        (IN, D(2028, 1, 1), EndReason.TURNED_20, D(2028, 1, 1)),
        (
            attrs.evolve(
                IN,
                enrolments=(
                    Enrolment(
                        school_form=SchoolForm.GYMNASIESKOLA,
                        programme=Programme.NATIONAL,
                        start=D(2026, 1, 7),
                    ),
                ),
            ),
            ON,
            EndReason.STARTED_PROGRAMME,
            D(2026, 1, 7),
        ),
        (
            attrs.evolve(
                IN,
                qualifications=(
                    Qualification(kind=QualificationKind.GYMNASIEEXAMEN, issued=D(2026, 2, 1)),
                ),
            ),
            ON,
            EndReason.DEGREE,
            D(2026, 2, 1),
        ),
        (
            attrs.evolve(
                IN,
                qualifications=(
                    Qualification(kind=QualificationKind.KOMVUX_EXAMEN, issued=D(2026, 2, 1)),
                ),
            ),
            ON,
            EndReason.DEGREE,
            D(2026, 2, 1),
        ),
        (
            attrs.evolve(
                IN,
                residences=(
                    Residence(municipality=HOME, start=D(2008, 1, 1), end=D(2026, 1, 31)),
                    Residence(municipality="0180", start=D(2026, 2, 1)),
                ),
            ),
            ON,
            EndReason.NOT_FOLKBOKFORD,
            D(2026, 2, 1),
        ),
        (
            attrs.evolve(
                IN,
                residences=(
                    Residence(municipality=HOME, start=D(2008, 1, 1), end=D(2026, 1, 31)),
                    Residence(municipality="0180", start=D(2026, 2, 1)),
                ),
            ),
            D(2026, 1, 31),
            None,
            None,
        ),
    ],
    ids=[
        "a youth in the target group the day before the 20th birthday has not left it",
        "a youth who turns 20 leaves on the birthday: turned_20 on that day",
        "studies on a national programme from a day settle started_programme from that day",
        "a gymnasieexamen settles degree on the day it was issued",
        "an equivalent completion (komvux examen) settles degree on the day it was issued",
        "folkbokförd in another municipality from a day settles not_folkbokford from that day",
        "the last day folkbokförd at home the youth has not left",
    ],
)
def test_the_facts_that_settle_the_end_of_kaa(
    youth: Youth, on: dt.date, reason: EndReason | None, day: dt.date | None
) -> None:
    found = gone(youth, on)
    if reason is None:
        assert found is None
        return
    assert found is not None
    assert found.settled
    assert (found.reason, found.day) == (reason, day)
    assert reason.label_sv in found.explanation_sv


@pytest.mark.parametrize(
    ("youth", "condition"),
    [
        (
            attrs.evolve(
                IN,
                residences=(Residence(municipality=HOME, start=D(2008, 1, 1), end=D(2026, 1, 31)),),
            ),
            Condition.HOME_MUNICIPALITY,
        ),
        (
            attrs.evolve(
                IN,
                residences=(
                    Residence(municipality=HOME, start=D(2008, 1, 1), end=D(2026, 1, 31)),
                    Residence(
                        municipality=HOME, basis=HomeBasis.ASYLUM_SEEKER, start=D(2026, 2, 1)
                    ),
                ),
            ),
            Condition.HOME_MUNICIPALITY,
        ),
        (
            attrs.evolve(IN, compulsory_school_completed=D(2026, 6, 12)),
            Condition.COMPULSORY_SCHOOL,
        ),
    ],
    ids=[
        "no residence since the last one ended (moved abroad?) is for the case worker to decide",
        "a residence that gives no home municipality is the case worker's to decide",
        "compulsory schooling no longer shown as completed is for the case worker to decide",
    ],
)
def test_facts_that_show_the_youth_out_but_not_why_are_left_to_the_case_worker(
    youth: Youth, condition: Condition
) -> None:
    found = gone(youth)
    assert found is not None
    assert not found.settled
    assert (found.reason, found.day) == (None, None)
    assert found.condition is condition
    assert condition.code in found.explanation_sv
    assert "ta ställning" in found.explanation_sv


def test_a_case_without_facts_says_nothing_a_missing_fact_is_not_a_fact() -> None:
    assert assess(Youth(id=ID), on=ON, municipality=HOME).in_target_group is False
    assert gone(Youth(id=ID)) is None


def test_the_age_is_recorded_first_when_several_conditions_fail() -> None:
    youth = attrs.evolve(
        IN,
        qualifications=(
            Qualification(kind=QualificationKind.GYMNASIEEXAMEN, issued=D(2027, 6, 1)),
        ),
    )
    found = gone(youth, D(2028, 2, 1))
    assert found is not None
    assert (found.reason, found.day) == (EndReason.TURNED_20, D(2028, 1, 1))


def test_the_explanation_never_holds_the_whole_identity_number() -> None:
    found = gone(IN, D(2028, 1, 1))
    assert found is not None
    assert ID.full() not in found.explanation + found.explanation_sv
    assert ID.full("long") not in found.explanation + found.explanation_sv


def test_an_undecided_decision_is_not_leaving_a_fact_is_to_be_recorded() -> None:
    arrived = Youth(
        id=ID,
        residences=(Residence(municipality=HOME, start=D(2023, 8, 1)),),
        folkbokford_in_sweden=D(2023, 8, 1),
    )
    decision = assess(arrived, on=ON, municipality=HOME)
    assert not decision.in_target_group
    assert decision.unsettled
    assert leaving(arrived, decision) is None
