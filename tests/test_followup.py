"""Follow-up statistics: each figure checked on a small hand-made register."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa import followup
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    Registration,
    RegistrationReason,
)
from kaa.model.youth import Residence, Youth
from kaa.period import HalfYear, Year
from kaa.testing import skatteverket_numbers

D = dt.date
HT = HalfYear(2026, 2)
NUMBERS = [n for n in skatteverket_numbers() if n.startswith(("2007", "2008"))]


def case(i: int, registered: dt.date, **kw: object) -> Case:
    from kaa.identity import IdentityNumber

    youth = Youth(id=IdentityNumber.parse(NUMBERS[i]), residences=(Residence(municipality="1882"),))
    return Case(
        youth=youth,
        municipality="1882",
        registration=Registration(day=registered, **kw.pop("registration", {})),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


REACHED = ContactOutcome.REACHED
CASES = [
    # 0: continuing from VT, reached by phone in HT, working
    case(
        0,
        D(2026, 3, 1),
        contacts=(
            Contact(day=D(2026, 3, 5), channel=Channel.POSTCARD, outcome=ContactOutcome.SENT),
            Contact(
                day=D(2026, 8, 10), channel=Channel.PHONE, outcome=REACHED, activity=Activity.WORK
            ),
        ),
    ),
    # 1: new in HT, never reached
    case(
        1,
        D(2026, 9, 1),
        contacts=(
            Contact(day=D(2026, 9, 3), channel=Channel.SMS, outcome=ContactOutcome.NO_ANSWER),
        ),
        registration={"reason": RegistrationReason.BROKE_OFF_NATIONAL},
    ),
    # 2: new in HT, reached after 10 days, measure ended with studies
    case(
        2,
        D(2026, 7, 10),
        contacts=(
            Contact(
                day=D(2026, 7, 20),
                channel=Channel.PHONE,
                outcome=REACHED,
                activity=Activity.NO_ACTIVITY,
            ),
        ),
        measures=(
            Measure(
                id="m1",
                type="study_guidance",
                offered=D(2026, 7, 20),
                start=D(2026, 8, 1),
                end=D(2026, 10, 1),
                activity_after=Activity.NATIONAL_PROGRAMME,
            ),
        ),
        end=KaaEnd(day=D(2026, 10, 2), reason=EndReason.STARTED_PROGRAMME),
        registration={"reason": RegistrationReason.BROKE_OFF_NATIONAL},
    ),
    # 3: ended before HT: not counted
    case(3, D(2026, 1, 10), end=KaaEnd(day=D(2026, 5, 1), reason=EndReason.TURNED_20)),
    # 4: registered after HT: not counted
    case(4, D(2027, 1, 10)),
    # 5: new in HT, declined a measure
    case(
        5,
        D(2026, 11, 1),
        contacts=(
            Contact(
                day=D(2026, 11, 2), channel=Channel.PHONE, outcome=REACHED, activity=Activity.WORK
            ),
        ),
        measures=(
            Measure(
                id="m1",
                type="work_placement",
                offered=D(2026, 11, 2),
                declined=True,
                decline_reason="har arbete",
            ),
        ),
    ),
]


def test_cases_in_period_are_those_open_on_some_day() -> None:
    assert [CASES.index(c) for c in followup.cases_in_period(CASES, HT)] == [0, 1, 2, 5]


def test_population() -> None:
    t = followup.population(CASES, HT)
    rows = {(g, c): n for g, c, n in t.rows}
    assert rows[("total", "alla")] == 4
    assert rows[("status", "ny")] == 3
    assert rows[("status", "kvarstående")] == 1
    assert rows[("status", "avslutad")] == 1
    assert rows[("reason", RegistrationReason.BROKE_OFF_NATIONAL.label_sv)] == 2
    assert sum(n for (g, _), n in rows.items() if g == "sex") == 4
    assert sum(n for (g, _), n in rows.items() if g == "age") == 4


def test_reach_and_unknown_activity() -> None:
    t = followup.reach(CASES, HT)
    assert t.value("reached", "youths") == 3
    assert t.value("not_reached", "youths") == 1
    assert t.value("unknown_activity", "youths") == 1
    assert t.value("reached", "share") == pytest.approx(0.75)


def test_activity_at_latest_contact() -> None:
    t = followup.activity_at_latest_contact(CASES, HT)
    assert t.value("work", "youths") == 2
    assert t.value("unknown", "youths") == 1
    assert t.value("no_activity", "youths") == 1


def test_contact_channels_count_only_attempts_in_the_period() -> None:
    t = followup.contact_channels(CASES, HT)
    assert t.value("phone", "attempts") == 3
    assert t.value("phone", "reached") == 3
    assert t.value("sms", "attempts") == 1
    assert t.value("sms", "reached") == 0
    assert t.value("postcard", "attempts") == 0  # sent in March, outside HT


def test_days_to_first_contact_for_new_youths() -> None:
    t = followup.days_to_first_contact(CASES, HT)
    assert t.value("8–14 dagar", "youths") == 1  # case 2: 10 days
    assert t.value("0–7 dagar", "youths") == 1  # case 5: 1 day
    assert t.value("ännu inte", "youths") == 1  # case 1
    assert t.value("median (dagar)", "youths") == pytest.approx(5.5)


def test_days_to_first_measure() -> None:
    t = followup.days_to_first_measure(CASES, HT)
    assert t.value("15–30 dagar", "youths") == 1  # case 2: 22 days
    assert t.value("ännu inte", "youths") == 2


def test_measures_by_category() -> None:
    t = followup.measures_by_category(CASES, HT)
    assert t.value("guidance", "offered") == 1
    assert t.value("guidance", "started") == 1
    assert t.value("guidance", "ended") == 1
    assert t.value("work", "offered") == 1
    assert t.value("work", "declined") == 1
    assert t.rows[0][0] == "education"  # education-oriented first


def test_returned_to_studies() -> None:
    t = followup.returned_to_studies(CASES, HT)
    assert t.rows == (("returned_to_studies", 1, 1, 1.0),)


def test_end_reasons() -> None:
    t = followup.end_reasons(CASES, HT)
    assert t.value("started_programme", "youths") == 1
    assert t.value("turned_20", "youths") == 0


def test_a_year_covers_both_halves() -> None:
    assert followup.population(CASES, Year(2026)).rows[0][2] == 5


def test_rows_load_as_plain_dicts() -> None:
    rows = followup.reach(CASES, HT).as_rows()
    assert rows[0] == {"measure": "reached", "label_sv": "nådda", "youths": 3, "share": 0.75}


def test_small_counts_are_suppressed_for_publication() -> None:
    t = followup.reach(CASES, HT).suppressed()
    assert t.value("reached", "youths") is None
    assert t.value("reached", "share") is None
    assert followup.reach(CASES, HT).suppressed(threshold=2).value("reached", "youths") == 3


@given(
    counts=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    threshold=st.integers(min_value=1, max_value=11),
)
def test_suppression_hides_exactly_the_small_nonzero_counts(
    counts: list[int], threshold: int
) -> None:
    t = followup.Table(
        id="t",
        title_sv="t",
        title_en="t",
        columns=("k", "n"),
        rows=tuple((i, n) for i, n in enumerate(counts)),
        count_columns=("n",),
    )
    shown = t.suppressed(threshold).column("n")
    for before, after in zip(counts, shown, strict=True):
        assert after == (None if 0 < before < threshold else before)


def test_plan_completeness_counts_complete_plans_among_those_who_need_one() -> None:
    from casefactory import case as plan_case
    from casefactory import full_plan, planned
    from kaa.rules.plan import check_plan

    complete = plan_case(plan=full_plan(planned()))
    assert check_plan(complete).complete, check_plan(complete).missing
    without_plan = plan_case()
    no_measure = plan_case(measures=())
    t = followup.plan_completeness([complete, without_plan, no_measure], HalfYear(2026, 1))
    assert t.value("required", "youths") == 2
    assert t.value("with_plan", "youths") == 1
    assert t.value("complete", "youths") == 1
    assert t.value("complete", "share") == pytest.approx(0.5)
    assert t.value("missing_1", "youths") == 1  # the youth with a measure but no plan


def test_overdue_follow_ups() -> None:
    from casefactory import case as plan_case
    from casefactory import full_plan, planned

    c = plan_case(plan=full_plan(planned()))
    on_time = followup.overdue_follow_ups([c], HalfYear(2026, 1), on=D(2026, 2, 10))
    assert on_time.rows == (("overdue_follow_ups", 1, 0, 0.0),)
    late = followup.overdue_follow_ups([c], HalfYear(2026, 1), on=D(2026, 6, 30))
    assert late.rows == (("overdue_follow_ups", 1, 1, 1.0),)
