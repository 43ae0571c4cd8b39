"""The timeline primitive and its dates (:mod:`kaa.dated`); citations are in ``test_law.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa.dated import Timeline, Version, add, days_between, iso_date, iso_date_time
from kaa.errors import KaaError, RuleNotInForce
from kaa.law import SKOLLAGEN
from kaa.rules.target_group import TIMELINE

D = dt.date


def version(start: dt.date, value: int) -> Version[int]:
    return Version(start=start, value=value, title=f"v{value}", citation=SKOLLAGEN)


def test_lookup_before_the_first_version_is_not_in_force() -> None:
    tl = Timeline("kaa.example", [version(D(2015, 1, 1), 1)])
    with pytest.raises(RuleNotInForce) as info:
        tl.at(D(2014, 12, 31))
    assert info.value.rule_id == "kaa.example"
    assert "kaa.example" in str(info.value)
    assert "2014-12-31" in str(info.value)


def test_a_version_applies_until_the_next_starts() -> None:
    tl = Timeline("kaa.example", [version(D(2018, 7, 1), 2), version(D(2015, 1, 1), 1)])
    assert tl.value_at(D(2015, 1, 1)) == 1
    assert tl.value_at(D(2018, 6, 30)) == 1
    assert tl.value_at(D(2018, 7, 1)) == 2
    assert tl.value_at(D(2099, 1, 1)) == 2
    assert tl.end_of(tl.versions[0]) == D(2018, 6, 30)
    assert tl.end_of(tl.versions[1]) is None


def test_two_versions_on_one_day_are_refused() -> None:
    with pytest.raises(KaaError):
        Timeline("kaa.example", [version(D(2015, 1, 1), 1), version(D(2015, 1, 1), 2)])


def test_an_empty_timeline_is_refused() -> None:
    with pytest.raises(KaaError):
        Timeline("kaa.example", [])


def test_appending_keeps_earlier_versions_and_refuses_going_back() -> None:
    tl = Timeline("kaa.example", [version(D(2015, 1, 1), 1)])
    newer = tl.appended(version(D(2020, 1, 1), 2))
    assert len(tl) == 1
    assert [v.value for v in newer] == [1, 2]
    with pytest.raises(KaaError):
        newer.appended(version(D(2019, 1, 1), 3))


@given(day=st.dates(min_value=D(2015, 1, 1), max_value=D(2100, 12, 31)))
def test_exactly_one_version_of_the_target_group_is_in_force_every_day(day: dt.date) -> None:
    in_force = [
        v
        for v in TIMELINE
        if v.start <= day and (TIMELINE.end_of(v) is None or day <= TIMELINE.end_of(v))  # type: ignore[operator]
    ]
    assert in_force == [TIMELINE.at(day)]


@given(day=st.dates(max_value=D(2014, 12, 31)))
def test_no_version_of_the_target_group_before_2015(day: dt.date) -> None:
    with pytest.raises(RuleNotInForce):
        TIMELINE.at(day)


@given(
    starts=st.lists(
        st.dates(min_value=D(2000, 1, 1), max_value=D(2050, 1, 1)),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    day=st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 1, 1)),
)
def test_versions_leave_no_gap_and_no_overlap(starts: list[dt.date], day: dt.date) -> None:
    tl = Timeline("kaa.example", [version(s, i) for i, s in enumerate(starts)])
    if day < min(starts):
        with pytest.raises(RuleNotInForce):
            tl.at(day)
    else:
        assert tl.at(day).start == max(s for s in starts if s <= day)


def test_date_arithmetic_offsets_from_the_anchor() -> None:
    assert add(D(2026, 1, 31), months=1) == D(2026, 2, 28)
    assert add(D(2026, 1, 31), months=2) == D(2026, 3, 31)
    assert add(D(2026, 1, 1), weeks=8) == D(2026, 2, 26)
    assert days_between(D(2026, 1, 1), D(2026, 1, 31)) == 30


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("2024-06-12", dt.date(2024, 6, 12), id="exactly YYYY-MM-DD is a day"),
        pytest.param("2024-02-29", dt.date(2024, 2, 29), id="a leap day is a day"),
        pytest.param("2023-02-29", None, id="a day that does not exist is not"),
        pytest.param("2024-06-1299", None, id="trailing digits are not cut off"),
        pytest.param("2024-06-12 x", None, id="trailing text is not cut off"),
        pytest.param(" 2024-06-12", None, id="leading space is not part of a date"),
        pytest.param("20240612", None, id="the compact ISO form is not this form"),
        pytest.param("2024-W24-3", None, id="an ISO week date is not this form"),
        pytest.param("2024-6-12", None, id="an unpadded month is not this form"),
        pytest.param("２０２４-06-12", None, id="full-width digits are not digits here"),
    ],
)
def test_iso_date_reads_the_whole_text(text: str, day: dt.date | None) -> None:
    assert iso_date(text) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        pytest.param("2024-06-12", dt.date(2024, 6, 12), id="a date alone"),
        pytest.param("2024-06-12T10:30:00", dt.date(2024, 6, 12), id="a date and a time"),
        pytest.param("2024-06-12 00:00:00", dt.date(2024, 6, 12), id="a spreadsheet date-time"),
        pytest.param("2024-06-12T10:30:00+02:00", dt.date(2024, 6, 12), id="with an offset"),
        pytest.param("2024-06-12T", None, id="a T with no time"),
        pytest.param("2024-06-12 garbage", None, id="text that is not a time"),
        pytest.param("2024-06-12T25:00", None, id="a time that does not exist"),
        pytest.param("2024-06-1299", None, id="trailing digits"),
    ],
)
def test_iso_date_time_reads_the_whole_text(text: str, day: dt.date | None) -> None:
    assert iso_date_time(text) == day
