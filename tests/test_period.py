"""Half-years (VT/HT) and years."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa.errors import InvalidInput
from kaa.period import HalfYear, Year

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
