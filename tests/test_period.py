"""Half-years (VT/HT), years, tertials and ranges of days; the one rule for when a case is in
a period."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa import followup, report
from kaa.errors import InvalidInput
from kaa.period import (
    DateRange,
    HalfYear,
    Period,
    Tertial,
    Year,
    end_falls_in,
    last_day_in_kaa,
    open_window,
    parse_period,
)

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
        pytest.param(Tertial(2026, 1), "2026T1", "T1 2026", Tertial(2025, 3), id="T1 is a period"),
        pytest.param(Tertial(2026, 3), "2026T3", "T3 2026", Tertial(2026, 2), id="T3 is a period"),
        pytest.param(
            DateRange(D(2026, 4, 1), D(2026, 6, 30)),
            "2026-04-01_2026-06-30",
            "2026-04-01–2026-06-30",
            DateRange(D(2026, 1, 1), D(2026, 3, 31)),
            id="a quarter is a period",
        ),
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


@pytest.mark.parametrize(
    ("tertial", "first", "last"),
    [
        pytest.param(Tertial(2026, 1), D(2026, 1, 1), D(2026, 4, 30), id="T1 is January to April"),
        pytest.param(Tertial(2026, 2), D(2026, 5, 1), D(2026, 8, 31), id="T2 is May to August"),
        pytest.param(
            Tertial(2026, 3), D(2026, 9, 1), D(2026, 12, 31), id="T3 is September to December"
        ),
        pytest.param(
            Tertial(2028, 1), D(2028, 1, 1), D(2028, 4, 30), id="T1 of a leap year is the same"
        ),
    ],
)
def test_tertials(tertial: Tertial, first: dt.date, last: dt.date) -> None:
    assert (tertial.first_day, tertial.last_day) == (first, last)
    assert first - dt.timedelta(days=1) not in tertial
    assert last + dt.timedelta(days=1) not in tertial
    assert tertial.next().first_day == last + dt.timedelta(days=1)


@given(day=st.dates(min_value=D(2015, 1, 1), max_value=D(2100, 12, 31)))
def test_every_day_is_in_exactly_one_tertial(day: dt.date) -> None:
    tertial = Tertial.containing(day)
    assert day in tertial
    assert day not in tertial.next()
    assert day not in tertial.previous()
    assert tertial.previous().next() == tertial


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2026H2", HalfYear(2026, 2), id="2026H2 is a half-year"),
        pytest.param("VT 2026", HalfYear(2026, 1), id="VT 2026 is a half-year"),
        pytest.param("2026", Year(2026), id="2026 is a year"),
        pytest.param("2026T1", Tertial(2026, 1), id="2026T1 is a tertial"),
        pytest.param("T2 2026", Tertial(2026, 2), id="T2 2026 is a tertial"),
        pytest.param("tertial 3 2026", Tertial(2026, 3), id="tertial 3 2026 is a tertial"),
        pytest.param(
            "2026-03-01..2026-05-31",
            DateRange(D(2026, 3, 1), D(2026, 5, 31)),
            id="two days joined by .. are a range",
        ),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2026T4", id="there is no fourth tertial"),
        pytest.param("2026-05-31..2026-03-01", id="a range may not end before it starts"),
        pytest.param("2026-02-30..2026-03-01", id="a range of a day that does not exist"),
        pytest.param("våren 2026", id="a period in words is not read"),
    ],
)
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(text)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        pytest.param(
            DateRange(D(2026, 3, 1), D(2026, 5, 31)),
            DateRange(D(2025, 12, 1), D(2026, 2, 28)),
            id="three whole months are compared with the three months before",
        ),
        pytest.param(
            DateRange(D(2026, 3, 1), D(2026, 5, 30)),
            DateRange(D(2025, 11, 30), D(2026, 2, 28)),
            id="a range one day short of whole months is compared with as many days before",
        ),
        pytest.param(
            DateRange(D(2026, 3, 10), D(2026, 3, 10)),
            DateRange(D(2026, 3, 9), D(2026, 3, 9)),
            id="one day is compared with the day before",
        ),
    ],
)
def test_a_range_is_compared_with_the_range_just_before(
    period: DateRange, previous: DateRange
) -> None:
    assert period.previous() == previous
    assert previous.last_day + dt.timedelta(days=1) == period.first_day


@given(
    first=st.dates(min_value=D(2015, 1, 1), max_value=D(2040, 12, 31)),
    length=st.integers(0, 800),
)
def test_the_previous_range_ends_the_day_before(first: dt.date, length: int) -> None:
    period = DateRange(first, first + dt.timedelta(days=length))
    before = period.previous()
    assert before.last_day + dt.timedelta(days=1) == period.first_day
    assert before.first_day <= before.last_day


# The one rule for follow-up and SCB: the end day is the first day out of KAA.


@pytest.mark.parametrize(
    ("end", "period", "falls_in"),
    [
        pytest.param(
            D(2027, 1, 1),
            HalfYear(2026, 2),
            True,
            id="an end on 1 January falls in the HT before (the youth's last day is 31 December)",
        ),
        pytest.param(
            D(2027, 1, 1), HalfYear(2027, 1), False, id="an end on 1 January is not in that VT"
        ),
        pytest.param(D(2027, 1, 2), HalfYear(2027, 1), True, id="an end on 2 January is in VT"),
        pytest.param(D(2026, 7, 1), HalfYear(2026, 1), True, id="an end on 1 July falls in VT"),
        pytest.param(
            D(2027, 1, 1), Year(2026), True, id="an end on 1 January is the year before's"
        ),
        pytest.param(D(2026, 12, 31), Year(2026), True, id="an end on 31 December is that year's"),
        pytest.param(D(2026, 5, 1), Tertial(2026, 1), True, id="an end on 1 May falls in T1"),
    ],
)
def test_which_period_an_end_falls_in(end: dt.date, period: Period, falls_in: bool) -> None:
    assert end_falls_in(end, period) is falls_in
    assert last_day_in_kaa(end) == end - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("registered", "end", "window"),
    [
        pytest.param(
            D(2026, 3, 1), D(2027, 1, 1), None, id="a case ended on the first day is not open in it"
        ),
        pytest.param(
            D(2026, 3, 1),
            D(2027, 1, 2),
            (D(2027, 1, 1), D(2027, 1, 1)),
            id="a case ended on the second day is open on the first",
        ),
        pytest.param(
            D(2027, 6, 30),
            None,
            (D(2027, 6, 30), D(2027, 6, 30)),
            id="a case registered on the last day is open on it",
        ),
        pytest.param(
            D(2027, 7, 1), None, None, id="a case registered after the period is not in it"
        ),
        pytest.param(
            D(2027, 3, 1),
            D(2027, 3, 1),
            None,
            id="a case ended on its registration day is never open",
        ),
    ],
)
def test_the_open_window(
    registered: dt.date, end: dt.date | None, window: tuple[dt.date, dt.date] | None
) -> None:
    assert open_window(HalfYear(2027, 1), registered, end) == window


@given(
    registered=st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31)),
    days=st.none() | st.integers(0, 1500),
    day=st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)),
)
def test_the_window_is_the_days_the_case_is_open(
    registered: dt.date, days: int | None, day: dt.date
) -> None:
    from kaa.model.case import Case, EndReason, KaaEnd, Registration
    from kaa.model.youth import Residence, Youth
    from kaa.testing import skatteverket_number

    end = None if days is None else registered + dt.timedelta(days=days)
    case = Case(
        youth=Youth(
            id=skatteverket_number(D(2007, 3, 1)), residences=(Residence(municipality="1882"),)
        ),
        municipality="1882",
        registration=Registration(day=registered),
        end=None if end is None else KaaEnd(day=end, reason=EndReason.OTHER),
    )
    period = HalfYear.containing(day)
    window = open_window(period, registered, end)
    open_days = [d for d in period.days() if case.open_on(d)]
    assert (window is None) == (not open_days)
    if window is not None:
        assert (window[0], window[1]) == (open_days[0], open_days[-1])
