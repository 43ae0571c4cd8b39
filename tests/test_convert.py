"""The converter: plain data ⇄ models, with every problem as ``message @ $.path``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given

from kaa.convert import make_converter, parse_date, structure, to_dict
from kaa.errors import InvalidInput, StructureError
from kaa.formats.canonical import dumps_csv, read_youths_csv
from kaa.model.youth import Youth
from strategies import youths

DAY = dt.date(2026, 11, 23)


@given(youths())
def test_a_youth_round_trips_through_plain_data(youth: Youth) -> None:
    data = json.loads(json.dumps(to_dict(youth, reveal_ids=True)))
    assert structure(data, Youth) == youth


@given(youths())
def test_a_youth_round_trips_through_the_canonical_csv(youth: Youth) -> None:
    import io

    back = list(read_youths_csv(io.StringIO(dumps_csv([youth])), reference_day=DAY))
    assert back == [youth]


@given(youths())
def test_masked_plain_data_never_holds_the_whole_number(youth: Youth) -> None:
    text = json.dumps(to_dict(youth, reveal_ids=False))
    assert youth.id.full("long") not in text
    assert youth.id.full("separated_long") not in text


def test_every_problem_is_reported_with_its_path() -> None:
    data = {
        "id": "20061123-2398",
        "residences": [{"municipality": "9999"}],
        "enrolments": [
            {"school_form": "gymnasium", "start": "2024-08-19"},
            {"school_form": "komvux"},
        ],
        "compulsory_school_completed": "10/6 2022",
        "colour": "blue",
    }
    with pytest.raises(StructureError) as info:
        structure(data, Youth)
    problems = info.value.problems
    joined = "\n".join(problems)
    assert "@ $.enrolments[0].school_form" in joined
    assert "@ $.enrolments[1].start" in joined
    assert "@ $.compulsory_school_completed" in joined
    assert "unknown field(s): colour" in joined
    assert all(" @ $" in p for p in problems)


def test_a_bad_identity_number_is_reported_without_the_number() -> None:
    with pytest.raises(StructureError) as info:
        structure({"id": "20061123-2399"}, Youth)
    assert "2399" not in str(info.value)
    assert "@ $.id" in str(info.value)


def test_ten_digit_numbers_use_the_reference_day() -> None:
    conv = make_converter(reveal_ids=True, reference_day=dt.date(2026, 1, 1))
    youth = structure({"id": "061123-2398"}, Youth, converter=conv)
    assert youth.id.birth_date == dt.date(2006, 11, 23)


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024/06/12", "", "tomorrow"], ids=lambda t: f"{t!r} is not a date"
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text)
