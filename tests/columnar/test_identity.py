"""Identity numbers over a column (:mod:`kaa.columnar.identity`), number by number against
:meth:`kaa.identity.IdentityNumber.parse`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.errors import InvalidIdentityNumber
from kaa.formats.grouping import compact_key
from kaa.identity import IdentityNumber, check_digit
from kaa.testing import skatteverket_numbers

pl = pytest.importorskip("polars")

from kaa.columnar.identity import (  # noqa: E402
    canonical_of_key,
    centenarian_separator,
    identity_columns,
)

META = Path(__file__).resolve().parents[1] / "data" / "personnummer-meta"
COORDINATION = json.loads((META / "allCoords.json").read_text(encoding="utf-8"))


def _reference(text: str, on: dt.date) -> tuple[str, int] | None:
    try:
        number = IdentityNumber.parse(text, on=on)
    except InvalidIdentityNumber:
        return None
    return number.full("long"), compact_key(number)


@st.composite
def written_numbers(draw: st.DrawFn) -> str:
    """Numbers in every written form, valid or spoilt: check digits right or wrong, months,
    days (also + 60), interim letters, separators, centuries, stray characters."""
    century = draw(st.sampled_from(["", "", "19", "20", "18", "00", "21"]))
    date = (
        f"{draw(st.integers(0, 99)):02d}"
        f"{draw(st.sampled_from([0, 1, 2, 4, 6, 12, 13, 20, 99])):02d}"
        f"{draw(st.sampled_from([0, 1, 28, 29, 30, 31, 32, 60, 61, 89, 91, 92])):02d}"
    )
    first = draw(st.sampled_from("0123456789TRSUWXJKLMNtrsuwxjklmnAQz"))
    middle = f"{draw(st.integers(0, 99)):02d}"
    nine = date + ("1" if not first.isdigit() else first) + middle
    check = check_digit(nine) if draw(st.booleans()) else draw(st.integers(0, 9))
    separator = draw(st.sampled_from(["", "", "-", "+", " ", "x"]))
    text = f"{century}{date}{separator}{first}{middle}{check}"
    return draw(st.sampled_from([text, text, f" {text}", text[:-1], text + "0"]))


@settings(max_examples=300, deadline=None)
@given(
    numbers=st.lists(written_numbers(), min_size=1, max_size=50),
    on=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
)
def test_a_number_decided_over_the_column_is_what_parse_says(
    numbers: list[str], on: dt.date
) -> None:
    frame = identity_columns(pl.DataFrame({"written": numbers}), "written", on)
    for text, canonical, key in zip(numbers, frame["canonical"], frame["key"], strict=True):
        expected = _reference(text, on)
        if canonical is None:  # not decided here: the reference decides (never "invalid")
            assert key is None
            assert expected is None or text != text.strip()
        else:
            assert (canonical, key) == expected


@pytest.mark.parametrize(
    ("numbers", "what"),
    [
        (list(skatteverket_numbers()[:300]), "Skatteverket's test personnummer"),
        (COORDINATION[:300], "test samordningsnummer"),
        ([n[2:8] + "-" + n[8:] for n in skatteverket_numbers()[:300]], "10-digit forms"),
        (["20000101T220", "20000101-t220", "000101T220"], "interim numbers"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_valid_form_is_decided_as_parse_decides(numbers: list[str], what: str) -> None:
    on = dt.date(2026, 11, 23)
    frame = identity_columns(pl.DataFrame({"written": numbers}), "written", on)
    found = list(zip(frame["canonical"], frame["key"], strict=True))
    assert found == [_reference(n, on) for n in numbers], what


def test_the_key_gives_back_the_canonical_form() -> None:
    numbers = ["20000101T220", "200611202383", *COORDINATION[:50]]
    keys = pl.DataFrame({"key": [compact_key(IdentityNumber.parse(n)) for n in numbers]})
    back = keys.select(canonical_of_key(pl.col("key")))["key"].to_list()
    assert back == [IdentityNumber.parse(n).full("long") for n in numbers]


@pytest.mark.parametrize("today", [dt.date(2026, 11, 23), dt.date(2114, 1, 1)])
def test_the_separator_is_the_one_full_writes(today: dt.date) -> None:
    numbers = ["191401682396", "191403702390", "200611202383", "191200002383"]
    valid = [n for n in numbers if IdentityNumber.is_valid(n)]
    frame = pl.DataFrame({"c": valid}).select(centenarian_separator(pl.col("c"), today))
    expected = [IdentityNumber.parse(n).full("separated_long", on=today)[8] for n in valid]
    assert frame.to_series().to_list() == expected
