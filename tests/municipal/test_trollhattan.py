"""Trollhättan's work-placement allowance: the CSN study grant, pro rata to 30 hours a week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaa.errors import InvalidInput, RuleNotInForce
from kaa.law import DocumentReference
from kaa.municipal.trollhattan import allowance, study_grant
from kaa.plugins.manager import Hooks

D = dt.date


@pytest.mark.parametrize(
    ("hours", "day", "amount"),
    [
        pytest.param(
            Decimal(30),
            D(2026, 3, 1),
            Decimal("1250.00"),
            id="a full-time placement of 30 hours gets the whole study grant",
        ),
        pytest.param(
            Decimal(40),
            D(2026, 3, 1),
            Decimal("1250.00"),
            id="more than 30 hours is still paid as full time",
        ),
        pytest.param(Decimal(15), D(2026, 3, 1), Decimal("625.00"), id="15 hours a week gets half"),
        pytest.param(
            Decimal(20),
            D(2026, 3, 1),
            Decimal("833.33"),
            id="20 hours a week gets two thirds, rounded to öre",
        ),
        pytest.param(Decimal(0), D(2026, 3, 1), Decimal("0.00"), id="no hours gets nothing"),
        pytest.param(
            Decimal(30),
            D(2018, 3, 1),
            Decimal("1250.00"),
            id="on the first day of the 1 250 kr study grant the allowance is 1 250 kr",
        ),
    ],
)
def test_the_allowance(hours: Decimal, day: dt.date, amount: Decimal) -> None:
    result = allowance("work_placement", hours, day)
    assert result.amount == amount
    assert "studiebidrag" in result.basis


def test_before_the_first_verified_amount_the_rule_is_not_in_force() -> None:
    with pytest.raises(RuleNotInForce, match=r"kaa\.csn\.studiebidrag"):
        allowance("work_placement", Decimal(30), D(2018, 2, 28))


def test_the_study_grant_is_dated_data_with_its_source() -> None:
    (version,) = study_grant().versions
    assert version.start == D(2018, 3, 1)
    assert version.value == Decimal(1250)
    assert "csn.se" in str(version.citation.url)


@pytest.mark.parametrize(
    ("municipality", "measure", "expected"),
    [
        pytest.param(
            "1488", "work_placement", Decimal("625.00"), id="Trollhättan pays for a work placement"
        ),
        pytest.param("1488", "coaching", None, id="Trollhättan pays nothing for coaching"),
        pytest.param("1882", "work_placement", None, id="Askersund has no allowance rule"),
    ],
)
def test_the_allowance_through_the_hook(
    municipality: str, measure: str, expected: Decimal | None, hooks: Hooks
) -> None:
    result = hooks.measure_allowance(municipality, measure, Decimal(15), D(2026, 3, 1))
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


def test_the_study_grant_file_reads_as_before() -> None:
    (version,) = study_grant().versions
    assert study_grant().rule_id == "kaa.csn.studiebidrag"
    assert version.title == "studiebidraget höjs från 1 050 kr till 1 250 kr per månad"
    assert version.citation == DocumentReference(
        title="CSN, Nytt från och med 1 juli 2018 (2018-05-24)",
        issuer="CSN",
        url="https://www.csn.se/partner/nyheter/2018-05-24-nytt-fran-och-med-1-juli-2018.html",
    )
    assert version.sources == ()
