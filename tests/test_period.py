"""Half-years (VT/HT) and years."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa import followup, report
from kaa.errors import InvalidInput
from kaa.period import HalfYear, Period, Year

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2026H2", HalfYear(2026, 2), id="2026H2 is the autumn of 2026"),
        pytest.param("2026h1", HalfYear(2026, 1), id="lower case h is accepted"),
        pytest.param("HT 2026", HalfYear(2026, 2), id="the Swedish label HT 2026 is accepted"),
        pytest.param("vt2015", HalfYear(2015, 1), id="vt2015 is the spring of 2015"),
    ],
)
def test_parse(text: str, expected: HalfYear) -> None:
    assert HalfYear.parse(text) == expected


@pytest.mark.parametrize("text", ["2026H3", "2026", "H2 2026", ""])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        HalfYear.parse(text)


def test_autumn_half_year_days_and_label() -> None:
    ht = HalfYear(2026, 2)
    assert (ht.first_day, ht.last_day) == (D(2026, 7, 1), D(2026, 12, 31))
    assert str(ht) == "HT 2026"
    assert ht.code == "2026H2"
    assert ht.previous() == HalfYear(2026, 1)
    assert ht.next() == HalfYear(2027, 1)
    assert HalfYear(2026, 1).previous() == HalfYear(2025, 2)
    assert len(list(ht.days())) == 184


@given(day=st.dates(min_value=D(2015, 1, 1), max_value=D(2100, 12, 31)))
def test_every_day_is_in_exactly_one_half_year(day: dt.date) -> None:
    period = HalfYear.containing(day)
    assert day in period
    assert day not in period.next()
    assert day not in period.previous()
    assert period.previous().next() == period


def test_year_holds_both_halves() -> None:
    year = Year(2026)
    assert year.halves == (HalfYear(2026, 1), HalfYear(2026, 2))
    assert D(2026, 7, 1) in year
    assert year.first_day == D(2026, 1, 1)
    assert year.last_day == D(2026, 12, 31)


@pytest.mark.parametrize(
    ("period", "code", "label", "previous"),
    [
        pytest.param(
            HalfYear(2026, 2), "2026H2", "HT 2026", HalfYear(2026, 1), id="HT is a period"
        ),
        pytest.param(
            HalfYear(2026, 1), "2026H1", "VT 2026", HalfYear(2025, 2), id="VT is a period"
        ),
        pytest.param(Year(2026), "2026", "2026", Year(2025), id="a calendar year is a period"),
    ],
)
def test_half_years_and_years_are_periods(
    period: Period, code: str, label: str, previous: Period
) -> None:
    assert isinstance(period, Period)
    assert period.code == code
    assert str(period) == label
    assert period.previous() == previous
    assert period.first_day in period
    assert period.last_day in period
    assert period.first_day - dt.timedelta(days=1) not in period
    assert period.previous().last_day == period.first_day - dt.timedelta(days=1)


def test_the_follow_up_and_the_report_take_the_one_period_protocol() -> None:
    assert typing.get_type_hints(followup.population)["period"] is Period
    assert typing.get_type_hints(report.build_report)["period"] is Period
    assert not hasattr(followup, "Period") or followup.Period is Period
