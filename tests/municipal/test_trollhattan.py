"""Trollhättan's work-placement allowance: the CSN study grant, pro rata to 30 hours a week, as
at PwC's audit (2016–2017) with the study as citation; afterwards each amount with its own
source, and every answer saying that whether Trollhättan still applies the rule is not known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa.errors import InvalidInput, RuleNotInForce
from kaa.law import DocumentReference
from kaa.municipal.trollhattan import (
    FULL_TIME_HOURS,
    SOURCE,
    allowance,
    placement_rule,
    study_grant,
)
from kaa.plugins.manager import Hooks

D = dt.date
CSN_2018 = DocumentReference(
    title="CSN, Nytt från och med 1 juli 2018 (2018-05-24)",
    issuer="CSN",
    url="https://www.csn.se/partner/nyheter/2018-05-24-nytt-fran-och-med-1-juli-2018.html",
)


@pytest.mark.parametrize(
    ("hours", "day", "amount", "known"),
    [
        pytest.param(
            Decimal(30),
            D(2016, 1, 1),
            Decimal("1050.00"),
            True,
            id="on the first day of the audit period a 30-hour placement gets 1 050 kr, as the "
            "study says",
        ),
        pytest.param(
            Decimal(30),
            D(2016, 9, 15),
            Decimal("1050.00"),
            True,
            id="in 2016 a full-time placement gets CSN's study grant of 1 050 kr",
        ),
        pytest.param(
            Decimal(15),
            D(2016, 9, 15),
            Decimal("525.00"),
            True,
            id="in 2016 a 15-hour placement gets half of 1 050 kr",
        ),
        pytest.param(
            Decimal(30),
            D(2017, 12, 31),
            Decimal("1050.00"),
            True,
            id="on the last day of the audit period a full-time placement still gets 1 050 kr",
        ),
        pytest.param(
            Decimal(20),
            D(2017, 5, 2),
            Decimal("700.00"),
            True,
            id="in 2017 a 20-hour placement gets two thirds of 1 050 kr",
        ),
        pytest.param(
            Decimal(30),
            D(2018, 1, 1),
            Decimal("1050.00"),
            False,
            id="the day after the audit period the rule is kept but not known to apply",
        ),
        pytest.param(
            Decimal(30),
            D(2018, 2, 28),
            Decimal("1050.00"),
            False,
            id="the day before CSN's rise the study grant is still 1 050 kr",
        ),
        pytest.param(
            Decimal(30),
            D(2018, 3, 1),
            Decimal("1250.00"),
            False,
            id="on the first day of CSN's 1 250 kr study grant a full-time placement gets 1 250 kr",
        ),
        pytest.param(
            Decimal(30),
            D(2026, 3, 1),
            Decimal("1250.00"),
            False,
            id="in 2026 a full-time placement gets the latest sourced study grant, 1 250 kr",
        ),
        pytest.param(
            Decimal(40),
            D(2026, 3, 1),
            Decimal("1250.00"),
            False,
            id="more than 30 hours is still paid as full time",
        ),
        pytest.param(
            Decimal(15),
            D(2026, 3, 1),
            Decimal("625.00"),
            False,
            id="in 2026 15 hours a week gets half",
        ),
        pytest.param(
            Decimal(20),
            D(2026, 3, 1),
            Decimal("833.33"),
            False,
            id="in 2026 20 hours a week gets two thirds, rounded to öre",
        ),
        pytest.param(Decimal(0), D(2026, 3, 1), Decimal("0.00"), False, id="no hours gets nothing"),
    ],
)
def test_the_allowance(hours: Decimal, day: dt.date, amount: Decimal, known: bool) -> None:
    result = allowance("work_placement", hours, day)
    assert result.amount == amount
    assert result.in_force_known is known
    assert "studiebidrag" in result.basis
    assert ("inte känt" in result.basis) is (not known)
    assert result.citation == SOURCE


@pytest.mark.parametrize(
    ("day", "amount_source"),
    [
        pytest.param(
            D(2017, 12, 31),
            "PwC",
            id="during the audit the amount's source is the study itself",
        ),
        pytest.param(
            D(2018, 2, 28),
            "PwC",
            id="before CSN's rise the amount's source is still the study (CSN's page as a "
            "further source)",
        ),
        pytest.param(
            D(2018, 3, 1),
            "CSN",
            id="from CSN's rise the amount's source is CSN's own page",
        ),
    ],
)
def test_each_amount_carries_its_own_source(day: dt.date, amount_source: str) -> None:
    result = allowance("work_placement", Decimal(30), day)
    assert result.amount_citation is not None
    assert isinstance(result.amount_citation, DocumentReference)
    assert result.amount_citation.issuer == amount_source


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(D(2015, 12, 31), id="the day before the audit period nothing is known"),
        pytest.param(D(2015, 1, 1), id="on the first day of KAA nothing is known either"),
    ],
)
def test_before_the_audit_period_the_rule_is_not_in_force(day: dt.date) -> None:
    with pytest.raises(RuleNotInForce, match=r"kaa\.measure_allowance\.1488.*2016-01-01"):
        allowance("work_placement", Decimal(30), day)


def test_the_rule_is_dated_data_the_audit_then_not_known() -> None:
    timeline = placement_rule()
    assert timeline.rule_id == "kaa.measure_allowance.1488"
    audit, later = timeline.versions
    assert (audit.start, later.start) == (D(2016, 1, 1), D(2018, 1, 1))
    assert timeline.end_of(audit) == D(2017, 12, 31)
    assert audit.value.in_force_known is True
    assert later.value.in_force_known is False
    assert audit.value.full_time_hours == later.value.full_time_hours == FULL_TIME_HOURS
    assert "inte känt" in later.title
    assert audit.citation == later.citation == SOURCE


def test_the_study_grant_is_dated_data_each_amount_with_its_source() -> None:
    timeline = study_grant()
    assert timeline.rule_id == "kaa.csn.studiebidrag"
    old, new = timeline.versions
    assert (old.start, old.value) == (D(2016, 1, 1), Decimal(1050))
    assert isinstance(old.citation, DocumentReference)
    assert old.citation.issuer == "PwC"
    assert "2.4.1" in str(old.citation)
    assert any("csn.se" in s for s in old.sources)
    assert (new.start, new.value) == (D(2018, 3, 1), Decimal(1250))
    assert new.title == "studiebidraget höjs från 1 050 kr till 1 250 kr per månad"
    assert new.citation == CSN_2018
    assert new.sources == ()


@pytest.mark.parametrize(
    ("municipality", "measure", "day", "expected"),
    [
        pytest.param(
            "1488",
            "work_placement",
            D(2026, 3, 1),
            Decimal("625.00"),
            id="Trollhättan pays for a work placement",
        ),
        pytest.param(
            "1488",
            "work_placement",
            D(2017, 3, 1),
            Decimal("525.00"),
            id="Trollhättan's audited allowance reaches the facade for 2017",
        ),
        pytest.param(
            "1488", "coaching", D(2026, 3, 1), None, id="Trollhättan pays nothing for coaching"
        ),
        pytest.param(
            "1882", "work_placement", D(2026, 3, 1), None, id="Askersund has no allowance rule"
        ),
    ],
)
def test_the_allowance_through_the_hook(
    municipality: str, measure: str, day: dt.date, expected: Decimal | None, hooks: Hooks
) -> None:
    result = hooks.measure_allowance(municipality, measure, Decimal(15), day)
    assert (result.amount if result else None) == expected


@pytest.mark.parametrize(
    ("measure", "hours", "message"),
    [
        pytest.param("coaching", Decimal(10), "not 'coaching'", id="only work placements"),
        pytest.param("work_placement", Decimal(-1), "negative", id="negative hours are refused"),
    ],
)
def test_bad_arguments(measure: str, hours: Decimal, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        allowance(measure, hours, D(2026, 3, 1))


@given(
    hours=st.decimals(min_value=0, max_value=200, places=2),
    day=st.dates(min_value=D(2016, 1, 1), max_value=D(2035, 12, 31)),
)
def test_the_allowance_is_the_grant_pro_rata_and_never_more(hours: Decimal, day: dt.date) -> None:
    grant = study_grant().value_at(day)
    result = allowance("work_placement", hours, day)
    assert Decimal(0) <= result.amount <= grant
    expected = grant * min(hours, FULL_TIME_HOURS) / FULL_TIME_HOURS
    assert abs(result.amount - expected) <= Decimal("0.005")
    assert result.in_force_known is (day <= D(2017, 12, 31))
