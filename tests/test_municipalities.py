"""The table of Sweden's 290 municipalities and the look-ups on it."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files

import attrs
import pytest

from kaa.errors import InvalidInput, UnknownMunicipality
from kaa.municipalities import (
    Municipality,
    all_municipalities,
    by_name,
    is_municipality_code,
    municipality,
)

COUNTIES = {
    "01": ("Stockholms län", 26),
    "03": ("Uppsala län", 8),
    "04": ("Södermanlands län", 9),
    "05": ("Östergötlands län", 13),
    "06": ("Jönköpings län", 13),
    "07": ("Kronobergs län", 8),
    "08": ("Kalmar län", 12),
    "09": ("Gotlands län", 1),
    "10": ("Blekinge län", 5),
    "12": ("Skåne län", 33),
    "13": ("Hallands län", 6),
    "14": ("Västra Götalands län", 49),
    "17": ("Värmlands län", 16),
    "18": ("Örebro län", 12),
    "19": ("Västmanlands län", 10),
    "20": ("Dalarnas län", 15),
    "21": ("Gävleborgs län", 10),
    "22": ("Västernorrlands län", 7),
    "23": ("Jämtlands län", 8),
    "24": ("Västerbottens län", 15),
    "25": ("Norrbottens län", 14),
}


# --- the table as a whole -------------------------------------------------------------------


def test_there_are_exactly_290_municipalities() -> None:
    assert len(all_municipalities()) == 290


def test_every_code_is_unique() -> None:
    codes = [m.code for m in all_municipalities()]
    assert len(set(codes)) == len(codes)


def test_every_code_is_four_ascii_digits() -> None:
    for m in all_municipalities():
        assert len(m.code) == 4, m
        assert m.code.isascii(), m
        assert m.code.isdigit(), m


def test_every_name_is_unique_so_lookup_by_name_is_unambiguous() -> None:
    names = [m.name.casefold() for m in all_municipalities()]
    assert len(set(names)) == len(names)


def test_names_have_no_stray_whitespace_or_kommun_suffix() -> None:
    for m in all_municipalities():
        assert m.name == m.name.strip(), m
        assert "  " not in m.name, m
        assert not m.name.endswith(" kommun"), m


def test_there_are_21_distinct_counties() -> None:
    assert len({m.county_code for m in all_municipalities()}) == 21
    assert len({m.county_name for m in all_municipalities()}) == 21


def test_the_county_code_is_the_first_two_digits_of_the_municipality_code() -> None:
    for m in all_municipalities():
        assert m.county_code == m.code[:2], m


def test_each_county_has_its_name_and_its_number_of_municipalities() -> None:
    counted = Counter(m.county_code for m in all_municipalities())
    assert counted == {code: n for code, (_, n) in COUNTIES.items()}
    for m in all_municipalities():
        assert m.county_name == COUNTIES[m.county_code][0], m


def test_all_municipalities_is_sorted_by_code() -> None:
    codes = [m.code for m in all_municipalities()]
    assert codes == sorted(codes)
    assert str(all_municipalities()[0]) == "0114 Upplands Väsby"
    assert str(all_municipalities()[-1]) == "2584 Kiruna"


def test_the_shipped_csv_is_utf8_with_the_documented_header_and_290_rows() -> None:
    raw = files("kaa.data").joinpath("municipalities.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "code,name,county_code,county_name"
    assert len(lines) == 291
    assert "0114,Upplands Väsby,01,Stockholms län" in lines


# --- known municipalities -------------------------------------------------------------------

KNOWN = [
    pytest.param("0180", "Stockholm", "01", "Stockholms län", id="0180 is Stockholm"),
    pytest.param("1882", "Askersund", "18", "Örebro län", id="1882 is Askersund"),
    pytest.param("1488", "Trollhättan", "14", "Västra Götalands län", id="1488 is Trollhättan"),
    pytest.param("1780", "Karlstad", "17", "Värmlands län", id="1780 is Karlstad"),
    pytest.param("0980", "Gotland", "09", "Gotlands län", id="0980 is Gotland"),
    pytest.param("2584", "Kiruna", "25", "Norrbottens län", id="2584 is Kiruna"),
    pytest.param("1280", "Malmö", "12", "Skåne län", id="1280 is Malmö"),
    pytest.param("1480", "Göteborg", "14", "Västra Götalands län", id="1480 is Göteborg"),
    pytest.param("0380", "Uppsala", "03", "Uppsala län", id="0380 is Uppsala"),
    pytest.param("0114", "Upplands Väsby", "01", "Stockholms län", id="0114 is Upplands Väsby"),
    pytest.param("2523", "Gällivare", "25", "Norrbottens län", id="2523 is Gällivare"),
    pytest.param(
        "0331", "Heby", "03", "Uppsala län", id="0331 Heby belongs to Uppsala län since 2007"
    ),
    pytest.param("0330", "Knivsta", "03", "Uppsala län", id="0330 is Knivsta"),
    pytest.param("2023", "Malung-Sälen", "20", "Dalarnas län", id="2023 is Malung-Sälen"),
    pytest.param("1438", "Dals-Ed", "14", "Västra Götalands län", id="1438 is Dals-Ed"),
    pytest.param("1462", "Lilla Edet", "14", "Västra Götalands län", id="1462 is Lilla Edet"),
    pytest.param("1256", "Östra Göinge", "12", "Skåne län", id="1256 is Östra Göinge"),
    pytest.param("0139", "Upplands-Bro", "01", "Stockholms län", id="0139 is Upplands-Bro"),
]


@pytest.mark.parametrize(("code", "name", "county_code", "county_name"), KNOWN)
def test_a_known_code_gives_its_municipality(
    code: str, name: str, county_code: str, county_name: str
) -> None:
    assert municipality(code) == Municipality(
        code=code, name=name, county_code=county_code, county_name=county_name
    )
    assert is_municipality_code(code)


@pytest.mark.parametrize(("code", "name", "county_code", "county_name"), KNOWN)
def test_a_known_name_gives_its_municipality_in_any_case(
    code: str, name: str, county_code: str, county_name: str
) -> None:
    assert by_name(name).code == code
    assert by_name(name.upper()).code == code
    assert by_name(name.lower()).code == code


def test_a_municipality_prints_as_code_and_name() -> None:
    assert str(municipality("1882")) == "1882 Askersund"
    assert str(municipality("0180")) == "0180 Stockholm"


def test_a_municipality_is_immutable() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        municipality("1882").name = "Örebro"  # type: ignore[misc]


def test_a_municipality_takes_keyword_arguments_only() -> None:
    with pytest.raises(TypeError):
        Municipality("1882", "Askersund", "18", "Örebro län")  # type: ignore[call-arg]


def test_lookups_return_the_same_cached_object() -> None:
    assert municipality("1882") is municipality("1882")
    assert by_name("Askersund") is municipality("1882")


# --- unknown codes and names ----------------------------------------------------------------

UNKNOWN = [
    pytest.param("0000", id="0000 is no municipality"),
    pytest.param("9999", id="9999 is no municipality"),
    pytest.param("0100", id="a county code padded with zeros is no municipality"),
    pytest.param("180", id="a code without its leading zero is not corrected"),
    pytest.param("01800", id="five digits are no code"),
    pytest.param("abcd", id="letters are no code"),
    pytest.param("", id="the empty string is no code"),
    pytest.param(" 1882", id="a code with whitespace is not corrected"),
    pytest.param("1882 Askersund", id="code and name together are no code"),
]


@pytest.mark.parametrize("code", UNKNOWN)
def test_an_unknown_code_is_rejected_and_named(code: str) -> None:
    assert not is_municipality_code(code)
    with pytest.raises(UnknownMunicipality) as caught:
        municipality(code)
    assert repr(code) in str(caught.value)


def test_an_unknown_code_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        municipality("0000")


@pytest.mark.parametrize(
    ("code", "meant"),
    [
        pytest.param("180", "0180", id="180 hints at Stockholm 0180"),
        pytest.param("114", "0114", id="114 hints at Upplands Väsby 0114"),
        pytest.param("980", "0980", id="980 hints at Gotland 0980"),
    ],
)
def test_a_code_that_lost_its_leading_zero_gets_a_hint(code: str, meant: str) -> None:
    with pytest.raises(UnknownMunicipality, match=f"did you mean {meant}\\?"):
        municipality(code)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("999", id="999 gets no hint because 0999 is no municipality either"),
        pytest.param("0000", id="0000 gets no hint"),
        pytest.param("abc", id="three letters get no hint"),
    ],
)
def test_no_hint_when_nothing_close_exists(code: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        municipality(code)
    assert "did you mean" not in str(caught.value)


def test_a_code_with_whitespace_gets_a_hint_but_is_not_corrected() -> None:
    with pytest.raises(UnknownMunicipality, match="did you mean '1882'"):
        municipality(" 1882 ")


def test_an_integer_code_is_rejected_with_a_hint() -> None:
    assert not is_municipality_code(1882)  # type: ignore[arg-type]
    with pytest.raises(UnknownMunicipality, match="kommunkod is a string: did you mean '1882'"):
        municipality(1882)  # type: ignore[arg-type]
    with pytest.raises(UnknownMunicipality, match="did you mean 0180"):
        municipality(180)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Atlantis", id="a made-up name is unknown"),
        pytest.param("", id="the empty name is unknown"),
        pytest.param("Upplands", id="a prefix of a name is not matched"),
        pytest.param("Askersunds kommun", id="the name with kommun is not matched"),
        pytest.param("Goteborg", id="a name without its diacritics is not matched"),
    ],
)
def test_an_unknown_name_is_rejected_and_named(name: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        by_name(name)
    assert repr(name) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        pytest.param("Askersunds kommun", "'Askersund' (1882)", id="Askersunds kommun hints"),
        pytest.param("Malmö stad", "'Malmö' (1280)", id="Malmö stad hints"),
        pytest.param(" Kiruna", "'Kiruna' (2584)", id="a name with whitespace hints"),
    ],
)
def test_a_name_close_to_a_real_one_gets_a_hint(name: str, meant: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        by_name(name)
    assert f"did you mean {meant}?" in str(caught.value)
