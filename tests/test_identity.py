"""Tests for :mod:`kaa.identity`.

Data (read from ``tests/data/`` only, never from outside the repository):

* ``personnummer-meta/`` — the cross-language personnummer test suite (MIT, "Copyright (c)
  Personnummer and Contributors"): ``list.json``, ``interim.json``, ``orgnumber.json`` and
  ``allCoords.json`` (Skatteverket's test samordningsnummer).
* ``skatteverket/`` — Skatteverket's published test personnummer (CC0).

The meta suite was snapshotted on 2023-11-14 and its ``+`` separators are right on that day, so
10-digit forms are read against :data:`META_DAY`.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pandas
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import kaa
from kaa import identity as identity_module
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.identity import FullFormat, IdentityKind, IdentityNumber, Sex, luhn_ok

DATA = Path(__file__).parent / "data"
META = DATA / "personnummer-meta"
SKATTEVERKET = DATA / "skatteverket"

META_DAY = dt.date(2023, 11, 14)
"""The day the personnummer/meta snapshot was taken (its commit date)."""

KINDS = {
    "ssn": IdentityKind.PERSONNUMMER,
    "con": IdentityKind.SAMORDNINGSNUMMER,
    "interim": IdentityKind.INTERIM,
}
STRING_FORMATS = ("long_format", "short_format", "separated_format", "separated_long")
FORMS: tuple[FullFormat, ...] = ("long", "separated_long", "short", "separated")
SKATTEVERKET_FILES = (
    "Testpersonnummer_2000-2009.csv",
    "Testpersonnummer_2010-2012.csv",
    "Testpersonnummer_1890-1899.csv",
)


def _load(name: str) -> list[dict[str, Any]]:
    with (META / name).open(encoding="utf-8") as f:
        cases: list[dict[str, Any]] = json.load(f)
    return cases


def _skatteverket(name: str) -> list[str]:
    with (SKATTEVERKET / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Testpersonnummer"]
    return [row[0] for row in rows[1:] if row]


LIST = _load("list.json")
INTERIM = _load("interim.json")
ORGNUMBER = _load("orgnumber.json")
ALL_COORDS: list[str] = json.loads((META / "allCoords.json").read_text(encoding="utf-8"))
PINS = {name: _skatteverket(name) for name in SKATTEVERKET_FILES}

# Named test numbers (Skatteverket's test personnummer; never real people).
BORN_2008_01_01 = "200801012386"
BORN_2006_03_15 = "200603152380"
BORN_2008_02_29 = "200802292383"
BORN_2000_02_29 = "200002292399"  # also in list.json
BORN_1890_01_01 = "189001019802"


_KIND_WORDS = {
    "ssn": "personnummer",
    "con": "samordningsnummer",
    "interim": "interim",
    "org": "organisationsnummer",
}


def _describe(case: dict[str, Any]) -> str:
    kind = _KIND_WORDS[case["type"]]
    if case["type"] == "org":
        return kind
    return f"{kind}, {'male' if case['isMale'] else 'female'}"


def _meta_inputs(*, valid_only: bool = False) -> Iterator[Any]:
    for source, cases in (("list", LIST), ("interim", INTERIM), ("orgnumber", ORGNUMBER)):
        for case in cases:
            if valid_only and not case["valid"]:
                continue
            verdict = "accepted" if case["valid"] else "rejected"
            for fmt in STRING_FORMATS:
                if fmt in case:
                    yield pytest.param(
                        case[fmt],
                        case,
                        id=f"{source}.json: {case[fmt]!r} ({_describe(case)}, {fmt}) is {verdict}",
                    )
            if case["integer"]:
                yield pytest.param(
                    case["integer"],
                    case,
                    id=f"{source}.json: the integer {case['integer']} ({_describe(case)}) "
                    f"is {verdict}",
                )


def _valid_meta_cases(formats: tuple[str, ...]) -> Iterator[Any]:
    for source, cases in (("list", LIST), ("interim", INTERIM)):
        for case in cases:
            if case["valid"]:
                for fmt in formats:
                    yield pytest.param(
                        case[fmt],
                        case,
                        id=f"{source}.json: {case[fmt]!r} ({_describe(case)}) read as {fmt}",
                    )


# -- the personnummer/meta suite -----------------------------------------------------------


@pytest.mark.parametrize(("text", "case"), list(_meta_inputs()))
def test_meta_validity(text: str | int, case: dict[str, Any]) -> None:
    assert IdentityNumber.is_valid(text, on=META_DAY) is case["valid"]
    if not case["valid"]:
        with pytest.raises(InvalidIdentityNumber):
            IdentityNumber.parse(text, on=META_DAY)


@pytest.mark.parametrize(("text", "case"), list(_meta_inputs(valid_only=True)))
def test_meta_sex_and_kind(text: str | int, case: dict[str, Any]) -> None:
    number = IdentityNumber.parse(text, on=META_DAY)
    assert number.sex is (Sex.MALE if case["isMale"] else Sex.FEMALE)
    assert case["isMale"] is not case["isFemale"]
    assert number.kind is KINDS[case["type"]]
    assert number.is_interim is (case["type"] == "interim")
    assert number.is_coordination is (case["type"] == "con")


@pytest.mark.parametrize(
    ("text", "case"), list(_valid_meta_cases(("separated_format", "separated_long")))
)
def test_meta_separated_forms_give_the_long_form(text: str, case: dict[str, Any]) -> None:
    number = IdentityNumber.parse(text, on=META_DAY)
    assert number.full("long") == case["long_format"]
    assert number.full("short") == case["short_format"]
    assert number.full("separated", on=META_DAY) == case["separated_format"]
    assert number.full("separated_long", on=META_DAY) == case["separated_long"]


@pytest.mark.parametrize(("text", "case"), list(_valid_meta_cases(("short_format",))))
def test_meta_short_form_without_separator_is_read_in_the_most_recent_century(
    text: str, case: dict[str, Any]
) -> None:
    # "YYMMDDNNNC" has no '+', so the person is taken to be under 100: the latest century that
    # puts the birth date on or before the reference day. 0905271474 is therefore 2009, even
    # though list.json means 1909 (it writes that one 090527+1474).
    number = IdentityNumber.parse(text, on=META_DAY)
    born = number.earliest_possible_birth_date()
    assert born <= META_DAY
    assert born.year > META_DAY.year - 100
    assert number.full("long")[2:] == case["long_format"][2:]


def test_meta_list_has_a_short_form_that_means_another_century() -> None:
    number = IdentityNumber.parse("0905271474", on=META_DAY)
    assert number.full("long") == "200905271474"
    assert IdentityNumber.parse("090527+1474", on=META_DAY).full("long") == "190905271474"


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=f"{c['separated_format']}: {c['comment']}") for c in ORGNUMBER],
)
def test_organisation_numbers_are_rejected_as_such(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidIdentityNumber, match="organisationsnummer"):
        IdentityNumber.parse(case["separated_format"], on=META_DAY)


def test_every_test_samordningsnummer_is_valid() -> None:
    assert len(ALL_COORDS) == 2264
    wrong = [
        text
        for text in ALL_COORDS
        if not IdentityNumber.is_valid(text)
        or IdentityNumber.parse(text).kind is not IdentityKind.SAMORDNINGSNUMMER
        or IdentityNumber.parse(text).full("long") != text
    ]
    assert wrong == []


def test_the_test_samordningsnummer_include_unknown_and_impossible_dates() -> None:
    unknown = [IdentityNumber.parse(t) for t in ALL_COORDS if t[4:6] == "00" or t[6:8] == "60"]
    assert len(unknown) == 170  # 129 with month 00, 38 with day 60, 3 with both
    assert all(n.birth_date is None for n in unknown)
    # Skatteverket issues test samordningsnummer dated e.g. 30 February and 31 April: they are
    # valid numbers whose birth date is not known.
    impossible = [
        t
        for t in ALL_COORDS
        if t[4:6] != "00" and t[6:8] != "60" and IdentityNumber.parse(t).birth_date is None
    ]
    assert len(impossible) == 24
    assert "193002902397" in impossible  # 30 February 1930
    assert "192004912388" in impossible  # 31 April 1920


@pytest.mark.parametrize(
    ("text", "month", "earliest", "latest"),
    [
        pytest.param(
            "191500722390",
            None,
            dt.date(1915, 1, 1),
            dt.date(1915, 12, 31),
            id="month 00 (day 12 given) allows the whole year",
        ),
        pytest.param(
            "191806602395",
            6,
            dt.date(1918, 6, 1),
            dt.date(1918, 6, 30),
            id="day 60 allows the whole month",
        ),
        pytest.param(
            "192001602396",
            1,
            dt.date(1920, 1, 1),
            dt.date(1920, 1, 31),
            id="day 60 in January allows 1-31 January",
        ),
        pytest.param(
            "193002902397",
            2,
            dt.date(1930, 2, 1),
            dt.date(1930, 2, 28),
            id="30 February (day 90) allows the whole of February",
        ),
        pytest.param(
            "195102892386",
            2,
            dt.date(1951, 2, 1),
            dt.date(1951, 2, 28),
            id="29 February in a year that is not a leap year allows the whole of February",
        ),
    ],
)
def test_unknown_date_samordningsnummer(
    text: str, month: int | None, earliest: dt.date, latest: dt.date
) -> None:
    assert text in ALL_COORDS
    number = IdentityNumber.parse(text)
    assert number.kind is IdentityKind.SAMORDNINGSNUMMER
    assert number.birth_date is None
    assert number.birth_year == earliest.year
    assert number.birth_month == month
    assert number.earliest_possible_birth_date() == earliest
    assert number.latest_possible_birth_date() == latest
    assert number.masked() == f"{text[:8]}-****"
    with pytest.raises(InvalidInput, match="not known"):
        number.age_on(dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="not known"):
        number.birthday(20)


def test_a_samordningsnummer_with_a_known_date_gives_it() -> None:
    number = IdentityNumber.parse("20210791-9967")  # list.json: day 91 is 31 July
    assert number.birth_date == dt.date(2021, 7, 31)
    assert number.earliest_possible_birth_date() == number.latest_possible_birth_date()
    assert number.masked() == "20210791-****"


@pytest.mark.parametrize("name", SKATTEVERKET_FILES)
def test_every_skatteverket_test_personnummer_is_valid(name: str) -> None:
    pins = PINS[name]
    assert len(pins) > 2000
    wrong = []
    for text in pins:
        number = IdentityNumber.parse(text)
        short = number.full("separated", on=META_DAY)
        if (
            number.kind is not IdentityKind.PERSONNUMMER
            or number.full("long") != text
            or IdentityNumber.parse(short, on=META_DAY) != number
        ):
            wrong.append(text)
    assert wrong == []


# -- centuries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "on", "year"),
    [
        pytest.param(
            "080101-2386", dt.date(2026, 1, 1), 2008, id="080101- read in 2026 is born 2008"
        ),
        pytest.param(
            "0801012386",
            dt.date(2026, 1, 1),
            2008,
            id="0801012386 (no separator) read in 2026 is born 2008",
        ),
        pytest.param(
            "080101+2386", dt.date(2026, 1, 1), 1908, id="080101+ read in 2026 is born 1908"
        ),
        pytest.param(
            "080101-2386",
            dt.date(2008, 1, 1),
            2008,
            id="080101- read on 1 January 2008 is born that day",
        ),
        pytest.param(
            "080101-2386",
            dt.date(2007, 12, 31),
            1908,
            id="080101- read on 31 December 2007 is born 1908 (not yet 2008)",
        ),
        pytest.param(
            "900101-9802",
            dt.date(1989, 12, 31),
            1890,
            id="900101- the day before a 100th birthday is born 1890 (aged 99)",
        ),
        pytest.param(
            "900101-9802",
            dt.date(1990, 1, 1),
            1990,
            id="900101- on the 100th birthday of someone born 1890 is born 1990",
        ),
        pytest.param(
            "900101+9802",
            dt.date(1990, 1, 1),
            1890,
            id="900101+ on the 100th birthday is born 1890",
        ),
        pytest.param(
            "900101+9802",
            dt.date(1989, 12, 31),
            1790,
            id="900101+ the day before that 100th birthday is born 1790",
        ),
        pytest.param(
            "20080101+2386", dt.date(2026, 1, 1), 2008, id="a '+' in a 12-digit form is ignored"
        ),
        pytest.param(
            "200801012386",
            dt.date(1900, 1, 1),
            2008,
            id="a 12-digit form does not depend on the reference day",
        ),
    ],
)
def test_century(text: str, on: dt.date, year: int) -> None:
    assert IdentityNumber.parse(text, on=on).birth_year == year


@pytest.mark.parametrize(
    ("on", "separated"),
    [
        pytest.param(dt.date(1989, 12, 31), "900101-9802", id="'-' the day before turning 100"),
        pytest.param(dt.date(1990, 1, 1), "900101+9802", id="'+' on the 100th birthday"),
        pytest.param(dt.date(2026, 1, 1), "900101+9802", id="'+' at 136"),
    ],
)
def test_the_separator_written_changes_on_the_100th_birthday(on: dt.date, separated: str) -> None:
    number = IdentityNumber.parse(BORN_1890_01_01)
    assert number.full("separated", on=on) == separated
    assert number.full("separated_long", on=on) == f"18900101{separated[6]}9802"
    assert IdentityNumber.parse(separated, on=on) == number


def test_a_10_digit_form_without_a_reference_day_is_read_against_today() -> None:
    today = dt.date.today()
    number = IdentityNumber.parse(BORN_2008_01_01[2:])
    assert number == IdentityNumber.parse(BORN_2008_01_01[2:], on=today)


def test_29_february_of_a_century_year_that_is_not_a_leap_year_is_rejected() -> None:
    # 000229+2399 read in 2023 would be born 29 February 1900, which did not exist.
    with pytest.raises(InvalidIdentityNumber, match="not a calendar date"):
        IdentityNumber.parse("000229+2399", on=META_DAY)
    assert IdentityNumber.is_valid("000229-2399", on=META_DAY)


# -- accepted and rejected shapes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "long"),
    [
        pytest.param("  20080101-2386\n", BORN_2008_01_01, id="surrounding whitespace is ignored"),
        pytest.param(200801012386, BORN_2008_01_01, id="a 12-digit integer"),
        pytest.param(
            801012386,
            BORN_2008_01_01,
            id="an integer that lost its leading zero is padded to 10 digits",
        ),
        pytest.param(
            2292399,
            BORN_2000_02_29,
            id="an integer that lost three leading zeros is padded to 10 digits",
        ),
        pytest.param(
            "20000101-t220",
            "20000101T220",
            id="a lower-case interim letter is stored in upper case",
        ),
        pytest.param("000101T220", "20000101T220", id="a 10-digit interim number"),
    ],
)
def test_accepted_forms(text: str | int, long: str) -> None:
    assert IdentityNumber.parse(text, on=META_DAY).full("long") == long


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("20080101-2387", "check digit", id="a wrong check digit is rejected"),
        pytest.param(
            "20150916-0006",
            "serial 000",
            id="serial 000 is rejected even when the check digit matches",
        ),
        pytest.param(
            "20000101E221", "interim letters", id="E is rejected: it is not an interim letter"
        ),
        pytest.param(
            "20000101-Ä220",
            "interim letters",
            id="the letter A-umlaut is rejected: it is not an interim letter",
        ),
        pytest.param("20080132-2389", "not a day", id="day 32 is rejected"),
        pytest.param("20081301-2382", "not a month", id="month 13 is rejected"),
        pytest.param("20080001-2387", "month 00", id="month 00 in a personnummer is rejected"),
        pytest.param("20080100-2387", "not a day", id="day 00 in a personnummer is rejected"),
        pytest.param("20070229-2384", "not a calendar date", id="29 February 2007 is rejected"),
        pytest.param("20080431-2387", "not a calendar date", id="31 April is rejected"),
        pytest.param(
            "20080292-2385", "not a day", id="a samordningsnummer with day 92 is rejected"
        ),
        pytest.param(
            "20080101 2386", "expected 10 or 12 digits", id="a space as the separator is rejected"
        ),
        pytest.param(
            "2008-01-01-2386", "expected 10 or 12 digits", id="dashes inside the date are rejected"
        ),
        pytest.param("080101--2386", "expected 10 or 12 digits", id="two separators are rejected"),
        pytest.param("", "expected 10 or 12 digits", id="the empty string is rejected"),
        pytest.param(
            "２００８０１０１２３８６",
            "expected 10 or 12 digits",
            id="full-width digits are rejected",
        ),
        pytest.param(
            "20000161-T227",
            "interim number cannot",
            id="an interim number with a samordningsnummer day is rejected",
        ),
        pytest.param(-200801012386, "non-negative integer", id="a negative integer is rejected"),
        pytest.param(True, "non-negative integer", id="a bool is rejected"),
        pytest.param(2.0e11, "non-negative integer", id="a float is rejected"),
    ],
)
def test_rejected_forms(text: Any, reason: str) -> None:
    assert not IdentityNumber.is_valid(text, on=META_DAY)
    with pytest.raises(InvalidIdentityNumber, match=reason) as info:
        IdentityNumber.parse(text, on=META_DAY)
    assert isinstance(info.value, InvalidInput)


def test_luhn_ok() -> None:
    assert luhn_ok("0801012386")
    assert not luhn_ok("0801012387")
    assert luhn_ok("000101T220")  # the letter counts as 1
    assert not luhn_ok("000101E220")
    assert not luhn_ok("080101238")
    assert not luhn_ok("08010123866")


def test_the_constructor_only_takes_the_canonical_form() -> None:
    number = IdentityNumber(_digits=BORN_2008_01_01)
    assert number == IdentityNumber.parse(BORN_2008_01_01)
    assert number.kind is IdentityKind.PERSONNUMMER
    for bad in ("080101-2386", "20080101-2386", "200801012387", "20000101t220"):
        with pytest.raises(InvalidIdentityNumber):
            IdentityNumber(_digits=bad)


def test_equality_hash_and_order() -> None:
    a = IdentityNumber.parse("080101-2386", on=META_DAY)
    b = IdentityNumber.parse(200801012386)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    older = IdentityNumber.parse(BORN_2000_02_29)
    assert sorted([a, older]) == [older, a]
    assert older < a
    assert a <= b <= a
    assert a > older
    assert a >= older
    assert a != older
    assert (a == "20080101-2386") is False


def test_an_identity_number_cannot_be_changed() -> None:
    a = IdentityNumber.parse(BORN_2008_01_01)
    with pytest.raises(AttributeError):
        a._digits = BORN_2000_02_29  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del a.kind
    assert copy.copy(a) is a
    assert copy.deepcopy([a])[0] is a


# -- masking ---------------------------------------------------------------------------------


def _shown(number: IdentityNumber) -> list[str]:
    return [
        repr(number),
        str(number),
        f"{number}",
        f"{number!r}",
        f"{number:>30}",
        format(number, ""),
        repr([number]),
        repr({"id": number}),
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            PINS["Testpersonnummer_2000-2009.csv"][0], id="a personnummer born 2000 is shown masked"
        ),
        pytest.param(BORN_2008_01_01, id="a personnummer born 2008 is shown masked"),
        pytest.param(BORN_1890_01_01, id="a personnummer born 1890 is shown masked"),
        pytest.param("191500722390", id="a samordningsnummer with month 00 is shown masked"),
        pytest.param("20000101-T220", id="an interim number is shown masked"),
    ],
)
def test_nothing_but_full_shows_the_last_four_characters(text: str) -> None:
    number = IdentityNumber.parse(text)
    last4 = number.full("long")[-4:]
    assert last4 not in number.full("long")[:8]
    assert repr(number) == f"IdentityNumber('{number.full('long')[:8]}-****')"
    for shown in _shown(number):
        assert last4 not in shown
        assert "****" in shown
    assert number.full("long").endswith(last4)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("20080101-2387", id="a wrong check digit: the message hides the serial"),
        pytest.param(
            "080101-2387", id="a wrong check digit, short form: the message hides the serial"
        ),
        pytest.param(
            "200801012387", id="a wrong check digit, no separator: the message hides the serial"
        ),
        pytest.param("20150916-0006", id="serial 000: the message hides the serial"),
        pytest.param("20000101E221", id="a wrong letter: the message hides the serial"),
        pytest.param(
            "20070229-2384", id="a date that does not exist: the message hides the serial"
        ),
        pytest.param("857209-0606", id="an organisationsnummer: the message hides the serial"),
        pytest.param("20080101 2386", id="an unknown shape: the message hides the serial"),
        pytest.param("2386", id="only four characters: the message hides the serial"),
        pytest.param("20080101-23867", id="one digit too many: the message hides the serial"),
    ],
)
def test_exception_messages_never_show_the_last_four_characters(text: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        IdentityNumber.parse(text, on=META_DAY)
    message = str(info.value)
    assert text[-4:] not in message
    assert text not in message
    assert text[-4:] not in repr(info.value)


def test_an_age_error_shows_the_masked_number_only() -> None:
    number = IdentityNumber.parse("191500722390")
    with pytest.raises(InvalidInput) as info:
        number.age_on(dt.date(2026, 1, 1))
    assert "19150072-****" in str(info.value)
    assert "2390" not in str(info.value)


# -- age ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "age"),
    [
        pytest.param(dt.date(2026, 3, 14), 19, id="the day before the 20th birthday: 19"),
        pytest.param(dt.date(2026, 3, 15), 20, id="on the 20th birthday: 20"),
        pytest.param(dt.date(2026, 3, 16), 20, id="the day after the 20th birthday: 20"),
        pytest.param(dt.date(2006, 3, 15), 0, id="on the day of birth: 0"),
        pytest.param(dt.date(2006, 3, 14), -1, id="the day before birth: -1"),
    ],
)
def test_age_around_the_20th_birthday(on: dt.date, age: int) -> None:
    number = IdentityNumber.parse(BORN_2006_03_15)
    assert number.age_on(on) == age
    assert number.birthday(20) == dt.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "on", "age"),
    [
        pytest.param(
            BORN_2008_02_29,
            dt.date(2027, 2, 28),
            18,
            id="born 29 Feb 2008: still 18 on 28 Feb 2027",
        ),
        pytest.param(
            BORN_2008_02_29,
            dt.date(2027, 3, 1),
            19,
            id="born 29 Feb 2008: 19 on 1 March 2027 (not a leap year)",
        ),
        pytest.param(
            BORN_2008_02_29,
            dt.date(2028, 2, 28),
            19,
            id="born 29 Feb 2008: still 19 on 28 Feb 2028",
        ),
        pytest.param(
            BORN_2008_02_29,
            dt.date(2028, 2, 29),
            20,
            id="born 29 Feb 2008: 20 on 29 Feb 2028 (a leap year)",
        ),
        pytest.param(
            BORN_2000_02_29, dt.date(2019, 3, 1), 19, id="born 29 Feb 2000: 19 on 1 March 2019"
        ),
    ],
)
def test_age_of_someone_born_on_29_february(text: str, on: dt.date, age: int) -> None:
    assert IdentityNumber.parse(text).age_on(on) == age


@pytest.mark.parametrize(
    ("years", "day"),
    [
        pytest.param(0, dt.date(2008, 2, 29), id="turns 0 on the day of birth"),
        pytest.param(16, dt.date(2024, 2, 29), id="turns 16 on 29 February 2024, a leap year"),
        pytest.param(
            19,
            dt.date(2027, 3, 1),
            id="turns 19 on 1 March 2027: the library's convention for 29 February",
        ),
        pytest.param(20, dt.date(2028, 2, 29), id="turns 20 on 29 February 2028"),
    ],
)
def test_birthday_of_someone_born_on_29_february(years: int, day: dt.date) -> None:
    number = IdentityNumber.parse(BORN_2008_02_29)
    assert number.birthday(years) == day
    assert number.age_on(day) == years
    assert number.age_on(day - dt.timedelta(days=1)) == years - 1


def test_a_negative_birthday_is_refused() -> None:
    with pytest.raises(InvalidInput):
        IdentityNumber.parse(BORN_2008_01_01).birthday(-1)


def test_properties_of_a_personnummer() -> None:
    number = IdentityNumber.parse(BORN_2008_01_01)
    assert number.birth_date == dt.date(2008, 1, 1)
    assert number.birth_year == 2008
    assert number.birth_month == 1
    assert number.earliest_possible_birth_date() == dt.date(2008, 1, 1)
    assert number.latest_possible_birth_date() == dt.date(2008, 1, 1)
    assert number.sex is Sex.FEMALE  # 9th digit 8
    assert number.full("short") == "0801012386"
    assert number.full("separated", on=META_DAY) == "080101-2386"


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown identity number format"):
        IdentityNumber.parse(BORN_2008_01_01).full("iso")  # type: ignore[arg-type]


# -- properties ---------------------------------------------------------------------------------

_LETTERS = "TRSUWXJKLMN"
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _check_digit(nine: str) -> str:
    """The Luhn check digit for a 9-character ``YYMMDDNNN`` (an interim letter counts as 1)."""
    digits = [1 if c in _LETTERS else int(c) for c in nine]
    total = sum(_DOUBLED[d] if i % 2 == 0 else d for i, d in enumerate(digits))
    return str(-total % 10)


@st.composite
def built_numbers(draw: st.DrawFn) -> IdentityNumber:
    """Valid numbers of every kind, built from a date, a serial and a computed check digit."""
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    kind = draw(st.sampled_from(list(IdentityKind)))
    serial = draw(st.integers(min_value=1, max_value=999))
    month, day = f"{born.month:02d}", f"{born.day:02d}"
    if kind is IdentityKind.SAMORDNINGSNUMMER:
        unknown = draw(st.sampled_from(["", "month", "day", "both", "impossible"]))
        month = "00" if unknown in ("month", "both") else month
        day = "60" if unknown in ("day", "both") else f"{born.day + 60}"
        if unknown == "impossible" and born.month != 12:
            # A day the month does not have (30 February, 31 April), as Skatteverket issues.
            last = (born.replace(day=1, month=born.month + 1) - dt.timedelta(days=1)).day
            if last < 31:
                day = f"{draw(st.integers(min_value=last + 1, max_value=31)) + 60}"
    serial_text = f"{serial:03d}"
    if kind is IdentityKind.INTERIM:
        serial_text = draw(st.sampled_from(_LETTERS)) + serial_text[1:]
    nine = f"{born.year % 100:02d}{month}{day}{serial_text}"
    long = f"{born.year:04d}{month}{day}{serial_text}{_check_digit(nine)}"
    number = IdentityNumber.parse(long)
    assert number.kind is kind
    return number


SAMPLED = [
    *ALL_COORDS,
    *(c["long_format"] for c in (*LIST, *INTERIM) if c["valid"]),
    *(pin for pins in PINS.values() for pin in pins),
]
numbers = st.one_of(st.sampled_from(SAMPLED).map(IdentityNumber.parse), built_numbers())


@given(number=numbers, data=st.data())
@settings(max_examples=300, deadline=None)
def test_every_form_round_trips(number: IdentityNumber, data: st.DataObject) -> None:
    # A day on which the person is surely born (for a date that is not known, the day after
    # the latest possible birth date: 29 February 1951 is after 28 February).
    born = number.birth_date or number.latest_possible_birth_date() + dt.timedelta(days=1)
    year = number.birth_year
    # '-' and no separator: the person must be under 100 and already born on the day.
    under_100 = data.draw(
        st.dates(min_value=born, max_value=dt.date(year + 99, 12, 31)), label="on (under 100)"
    )
    # '+' forms work up to 199 years of age.
    any_age = data.draw(
        st.dates(min_value=born, max_value=dt.date(year + 199, 12, 31)),
        label="on (any age under 200)",
    )
    for fmt in FORMS:
        on = under_100 if fmt == "short" else any_age
        text = number.full(fmt, on=on)
        assert IdentityNumber.parse(text, on=on) == number, (fmt, on)
        assert IdentityNumber.parse(text, on=on).kind is number.kind
    assert IdentityNumber.parse(number.full("separated", on=under_100), on=under_100) == number
    assert IdentityNumber(_digits=number.full("long")) == number


@given(number=numbers)
def test_masked_never_contains_the_serial(number: IdentityNumber) -> None:
    long = number.full("long")
    assert number.masked() == f"{long[:8]}-****"
    assert str(number) == number.masked()
    assert repr(number) == f"IdentityNumber('{number.masked()}')"
    assume(long[8:] not in long[:8])
    for shown in _shown(number):
        assert long[8:] not in shown


@given(number=numbers)
def test_sex_and_kind_follow_the_digits(number: IdentityNumber) -> None:
    long = number.full("long")
    assert number.sex is (Sex.MALE if int(long[10]) % 2 else Sex.FEMALE)
    assert number.is_interim is (not long[8].isdigit())
    assert number.is_coordination is (int(long[6:8]) >= 60)
    assert luhn_ok(long[2:])
    assert number.earliest_possible_birth_date() <= number.latest_possible_birth_date()
    if number.birth_date is not None:
        assert number.earliest_possible_birth_date() == number.birth_date
        assert number.age_on(number.birth_date) == 0


_NEAR_SHAPE = st.from_regex(
    r"\A\s?([0-9]{2})?[0-9]{6}[-+ ]?[0-9TRSUWXJKLMNEtÄ٣][0-9]{2,3}[0-9]?\s?\Z"
)
_ANY_TEXT = st.one_of(st.text(), st.text(alphabet="0123456789-+ T"), _NEAR_SHAPE)
_DAYS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@given(text=st.one_of(_ANY_TEXT, st.integers()), on=st.one_of(st.none(), _DAYS))
@settings(max_examples=500)
def test_parse_only_raises_invalid_identity_number(text: str | int, on: dt.date | None) -> None:
    valid = IdentityNumber.is_valid(text, on=on)
    try:
        number = IdentityNumber.parse(text, on=on)
    except InvalidIdentityNumber as exc:
        assert not valid
        message = str(exc)
        if "-****" in message:
            # At most the date part is shown, and only when four more characters follow it.
            shown = message.split("-****")[0]
            written = text.strip() if isinstance(text, str) else f"{text:010d}"
            assert len(shown) in (6, 8)
            assert written.startswith(shown)
            assert len(written) >= len(shown) + 4
    else:
        assert valid
        assert number == IdentityNumber.parse(number.full("long"))


def test_pretty_printers_see_only_the_masked_form() -> None:
    from hypothesis.vendor.pretty import pretty

    from kaa.testing import skatteverket_number

    number = skatteverket_number(dt.date(2006, 11, 23))
    assert pretty(number) == "IdentityNumber('20061123-****')"
    assert number.full("long")[-4:] not in pretty([number, {"id": number}])


# -- generic serialisers cannot unmask a number ------------------------------------------------


def _decision() -> object:
    youth = kaa.Youth(
        id=IdentityNumber.parse(BORN_2008_01_01),
        residences=(kaa.Residence(municipality="1882"),),
        compulsory_school_completed=dt.date(2024, 6, 12),
    )
    return kaa.assess(youth, on=dt.date(2026, 11, 23))


SERIAL = BORN_2008_01_01[8:]


@pytest.mark.parametrize(
    "serialise",
    [
        pytest.param(lambda d: repr(attrs.asdict(d)), id="repr of attrs.asdict"),
        pytest.param(lambda d: json.dumps(attrs.asdict(d), default=str), id="json of asdict"),
        pytest.param(
            lambda d: json.dumps(cattrs.Converter().unstructure(d), default=str),
            id="a plain cattrs converter",
        ),
        pytest.param(lambda d: str(attrs.astuple(d)), id="attrs.astuple"),
        pytest.param(lambda d: f"{d!r} {d!s}", id="repr and str"),
    ],
)
def test_a_generic_serialiser_shows_only_the_masked_number(serialise: Any) -> None:
    text = serialise(_decision())
    assert "20080101-****" in text
    assert SERIAL not in text
    assert BORN_2008_01_01 not in text


def test_pickling_a_decision_is_refused() -> None:
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(_decision())
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(IdentityNumber.parse(BORN_2008_01_01), protocol=0)


def test_pandas_over_asdict_shows_only_the_masked_number() -> None:
    frame = pandas.DataFrame([attrs.asdict(_decision(), recurse=False)])
    text = frame.to_csv() + frame.to_string() + frame.to_json(default_handler=str)
    assert "20080101-****" in text
    assert SERIAL not in text


def test_only_full_writes_the_digits() -> None:
    assert IdentityNumber.parse(BORN_2008_01_01).full("long") == BORN_2008_01_01


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "900101-9802",
                    "9001019802",
                    "900101+9802",
                    "19900101-9802",
                    " 9001019802 ",
                    "900101-9803",  # a wrong check digit
                    "",
                ]
            ),
            st.sampled_from(
                [None, dt.date(1989, 12, 31), dt.date(1990, 1, 1), dt.date(2026, 1, 1)]
            ),
        ),
        max_size=8,
    )
)
def test_reading_a_number_again_gives_what_reading_it_first_gave(
    reads: list[tuple[str, dt.date | None]],
) -> None:
    """Parsing the same text twice in a row is answered from the last parse, so every read,
    in any order, must give what a first read of it gives (or raise the same error)."""

    def first_read(text: str, on: dt.date | None) -> str:
        found = identity_module._check(text, on)  # what parse reads, with nothing kept
        return found if isinstance(found, str) else found.full("long")

    for text, on in reads:
        expected = first_read(text, on)
        try:
            got = IdentityNumber.parse(text, on=on).full("long")
        except InvalidIdentityNumber as exc:
            got = str(exc)
        assert got == expected


def test_a_birth_date_asked_for_again_is_the_same_and_the_number_stays_unchangeable() -> None:
    # The date is kept the first time it is asked for (a year run asks about a dozen times).
    for text in ("200808122394", "193002902397", "192004912388", *ALL_COORDS[:50]):
        number = IdentityNumber.parse(text)
        first = number.birth_date
        assert number.birth_date == first
        assert IdentityNumber.parse(text).birth_date == first
        assert number == IdentityNumber.parse(text)
        assert hash(number) == hash(IdentityNumber.parse(text))
    number = IdentityNumber.parse("200808122394")
    assert number.birth_date == dt.date(2008, 8, 12)
    with pytest.raises(AttributeError):
        number._born = dt.date(2000, 1, 1)  # type: ignore[misc]
    assert number.birth_date == dt.date(2008, 8, 12)
    assert copy.copy(number) is number
