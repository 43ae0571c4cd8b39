"""The converter: plain data ⇄ models, with every problem as ``message @ $.path``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa import convert as convert_module
from kaa.adapters import profile as profile_module
from kaa.adapters.etjanst import SelfReportProfile
from kaa.adapters.profile import ColumnProfile
from kaa.convert import (
    DataFileError,
    Dated,
    Kommunkod,
    check,
    load_toml,
    make_converter,
    parse_date,
    parse_toml,
    structure,
    structure_data,
    to_dict,
)
from kaa.dated import Timeline, Version
from kaa.errors import ConfigurationError, InvalidInput, StructureError
from kaa.formats import goals as goals_module
from kaa.formats.canonical import dumps_csv, read_youths_csv
from kaa.formats.filled import ContactsProfile
from kaa.formats.goals import load_goals
from kaa.law import Citation, DocumentReference
from kaa.model.case import Case
from kaa.model.youth import Youth
from kaa.municipal.trollhattan import placement_rule
from kaa.period import HalfYear
from kaa.rules.contact import load_timetable, parse_timetable
from kaa.rules.measures import load_catalogue, national_catalogue, parse_catalogue
from kaa.rules.plan import load_follow_up_policy
from kaa.rules.retention import RetentionRule
from kaa.scb.layout import load_profile
from strategies import youths

DAY = dt.date(2026, 11, 23)
D = dt.date


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


@pytest.mark.parametrize("number", [200611232398, 611232398, True, 2006112323.98])
def test_json_holds_an_identity_number_as_text_never_as_a_number(number: object) -> None:
    # a JSON number has lost any leading zero (0611232398 is the number 611232398): read as
    # a number it could be another youth, so it is refused, and the value is not echoed
    with pytest.raises(StructureError) as info:
        structure({"id": number}, Youth)
    assert "@ $.id" in str(info.value)
    assert "must be text" in str(info.value)
    assert "2398" not in str(info.value)


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


# -- data files (TOML) --------------------------------------------------------------------------

ROOT = Path(__file__).parents[1]


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen(kw_only=True)
class Paint:
    """A small file model for the converter's own tests."""

    colour: Colour = Colour.RED
    coats: int = attrs.field(default=1, validator=check(lambda n: n >= 1, "1 or more"))
    from_: dt.date | None = None
    tags: tuple[str, ...] = ()
    shades: dict[str, Colour] = attrs.Factory(dict)
    municipality: Kommunkod | None = None
    ratio: float = 1.0
    price: Decimal = Decimal(0)
    period: HalfYear | None = None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", Paint(), id="every key has a default"),
        pytest.param(
            'colour = "blue"\ncoats = 2\nfrom = 2026-01-01\ntags = ["a"]',
            Paint(colour=Colour.BLUE, coats=2, from_=D(2026, 1, 1), tags=("a",)),
            id="an enum by value, a number, a date and an array",
        ),
        pytest.param(
            'shades = { sky = "blue" }\nmunicipality = "0180"',
            Paint(shades={"sky": Colour.BLUE}, municipality=Kommunkod("0180")),
            id="a table of enums and a kommunkod",
        ),
        pytest.param(
            'ratio = 2\nprice = "12.50"\nperiod = "HT 2026"',
            Paint(ratio=2.0, price=Decimal("12.50"), period=HalfYear(2026, 2)),
            id="a whole number as a decimal, an amount as text and a half-year",
        ),
    ],
)
def test_a_data_file_is_structured(text: str, expected: Paint) -> None:
    assert parse_toml(text, Paint, file="paint.toml") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "colour = 'green'",
            "paint.toml: 'green' is not one of: red, blue @ $.colour",
            id="an enum lists its values",
        ),
        pytest.param(
            "coats = '2'", "paint.toml: must be a whole number, not text @ $.coats", id="a type"
        ),
        pytest.param("coats = 0", "paint.toml: 1 or more @ $.coats", id="a field's own check"),
        pytest.param(
            "coats = true",
            "paint.toml: must be a whole number, not true or false @ $.coats",
            id="true is not a number",
        ),
        pytest.param(
            "from = '2026-01-01'",
            "paint.toml: must be a day written YYYY-MM-DD (a TOML date, no quotes) @ $.from",
            id="a day in quotes",
        ),
        pytest.param(
            "from = 2026-01-01T10:00:00",
            "paint.toml: must be a day written YYYY-MM-DD (a TOML date, no quotes) @ $.from",
            id="a date and time is not a day",
        ),
        pytest.param(
            "tags = 'a'", "paint.toml: must be an array [...], not text @ $.tags", id="no array"
        ),
        pytest.param(
            "tags = ['a', 1]", "paint.toml: must be text, not a whole number @ $.tags[1]", id="item"
        ),
        pytest.param(
            "shades = { 'pale sky' = 'grey' }",
            "paint.toml: 'grey' is not one of: red, blue @ $.shades['pale sky']",
            id="a key with a space is quoted in the path",
        ),
        pytest.param(
            "municipality = '9999'",
            "paint.toml: '9999' is not a kommunkod: write its four digits in quotes, e.g. \"1882\" "
            "@ $.municipality",
            id="a kommunkod that is no municipality's",
        ),
        pytest.param(
            "price = 1.5",
            'paint.toml: 1.5 is not an amount: write a whole number, or text such as "12.50" '
            "@ $.price",
            id="an amount as a decimal number",
        ),
        pytest.param(
            "colour = 'green'\ncolor = 'red'\ncoats = 'x'",
            "paint.toml: unknown key(s): color (allowed: coats, colour, from, municipality, "
            "period, price, ratio, shades, tags) @ $.color; 'green' is not one of: red, blue "
            "@ $.colour; must be a whole number, not text @ $.coats",
            id="every problem is reported",
        ),
        pytest.param("colour = [", None, id="text that is not TOML"),
    ],
)
def test_every_data_file_error_reads_file_message_and_path(text: str, message: str | None) -> None:
    with pytest.raises(DataFileError) as info:
        parse_toml(text, Paint, file="paint.toml")
    assert isinstance(info.value, ConfigurationError)
    assert info.value.file == "paint.toml"
    if message is None:
        assert str(info.value).startswith("paint.toml: not valid TOML: ")
        assert info.value.key is None
    else:
        assert str(info.value) == message
        assert info.value.key == message.split(" @ $.")[1].split(";")[0]


DATED = """
rule_id = "kaa.test"

[[versions]]
start = 2020-01-01
title = "first"
citation = { sfs = "2010:800", title = "skollagen", chapter = 29, section = "9" }
value = { colour = "blue" }

[[versions]]
start = 2024-07-01
title = "second"
sources = ["prop. 2013/14:191"]
citation = { title = "Handlingsplan", issuer = "Askersunds kommun" }
value = { coats = 2 }
"""


def test_the_one_dated_shape_structures_into_a_timeline() -> None:
    timeline = parse_toml(DATED, Timeline[Paint], file="dated.toml")
    assert timeline.rule_id == "kaa.test"
    first, second = timeline.versions
    assert first == Version(
        start=D(2020, 1, 1),
        value=Paint(colour=Colour.BLUE),
        title="first",
        citation=Citation(sfs="2010:800", title="skollagen", chapter=29, section="9"),
    )
    assert second.citation == DocumentReference(title="Handlingsplan", issuer="Askersunds kommun")
    assert second.sources == ("prop. 2013/14:191",)
    assert timeline.value_at(D(2024, 6, 30)).coats == 1
    assert timeline.value_at(D(2024, 7, 1)).coats == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            ("start = 2024-07-01", "start = 2020-01-01"),
            "dated.toml: two versions start on 2020-01-01 @ $.versions[1].start",
            id="two versions on one day",
        ),
        pytest.param(
            ('rule_id = "kaa.test"', ""),
            "dated.toml: give the rule_id of the dated rule @ $.rule_id",
            id="no rule id",
        ),
        pytest.param(
            ('citation = { title = "Handlingsplan", issuer = "Askersunds kommun" }', ""),
            "dated.toml: required key missing @ $.versions[1].citation",
            id="a version without a citation",
        ),
        pytest.param(
            (
                'citation = { title = "Handlingsplan", issuer = "Askersunds kommun" }',
                "citation = 1",
            ),
            "dated.toml: a citation is a table: sfs/title/chapter/section for a statute, "
            "title/issuer/section for a document such as a municipal plan @ $.versions[1].citation",
            id="a citation that is not a table",
        ),
        pytest.param(
            ('issuer = "Askersunds kommun"', 'issuer = "Askersunds kommun", chapter = 2'),
            "dated.toml: unknown key(s): chapter (allowed: identifier, issuer, section, title, "
            "url) @ $.versions[1].citation.chapter",
            id="a document has no chapter",
        ),
        pytest.param(
            ("value = { coats = 2 }", "value = { coats = 0 }"),
            "dated.toml: 1 or more @ $.versions[1].value.coats",
            id="a wrong value",
        ),
    ],
)
def test_a_malformed_dated_file_names_the_path(change: tuple[str, str], message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_toml(DATED.replace(*change), Timeline[Paint], file="dated.toml")
    assert str(info.value) == message


def test_a_file_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"missing\.toml: cannot read the file: "):
        load_toml(tmp_path / "missing.toml", Paint)
    latin = tmp_path / "latin.toml"
    latin.write_bytes("tags = ['å']".encode("latin-1"))
    with pytest.raises(DataFileError, match="not valid TOML: the file is not UTF-8"):
        load_toml(latin, Paint)


toml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
keys = st.sampled_from(["rule_id", "versions", "municipality", "start", "value", "x"])


@given(st.dictionaries(keys, toml_values | st.lists(st.dictionaries(keys, toml_values))))
def test_any_data_is_a_timeline_or_a_data_file_error(data: dict[str, object]) -> None:
    try:
        structure_data(data, Timeline[Paint], file="fuzz.toml")
    except DataFileError as exc:
        problem = str(exc)
    else:
        return
    assert problem.startswith("fuzz.toml: ")


def test_tomllib_is_imported_only_by_the_converter() -> None:
    importing = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "kaa").rglob("*.py")
        if re.search(r"^\s*(import tomllib|from tomllib import)", path.read_text("utf-8"), re.M)
    )
    assert importing == ["src/kaa/convert.py"]


SHIPPED_TOML: dict[str, Callable[[Path], object]] = {
    "src/kaa/data/timetables/national.toml": load_timetable,
    "src/kaa/data/csn_studiebidrag.toml": lambda p: load_toml(p, Timeline[Decimal]),
    "src/kaa/data/measures/national.toml": lambda _: national_catalogue(),
    "src/kaa/municipal/askersund/timetable.toml": load_timetable,
    "src/kaa/municipal/askersund/measures.toml": load_catalogue,
    "src/kaa/municipal/askersund/goals.toml": load_goals,
    "src/kaa/municipal/stockholm/measures.toml": load_catalogue,
    "src/kaa/adapters/profiles/ist.toml": ColumnProfile.from_toml,
    "src/kaa/adapters/profiles/ber.toml": ColumnProfile.from_toml,
    "src/kaa/adapters/profiles/hypernet.toml": ColumnProfile.from_toml,
    "src/kaa/adapters/profiles/ist-contacts.toml": ContactsProfile.from_toml,
    "src/kaa/adapters/profiles/ber-contacts.toml": ContactsProfile.from_toml,
    "src/kaa/adapters/profiles/hypernet-contacts.toml": ContactsProfile.from_toml,
    "src/kaa/adapters/profiles/e-tjanst.toml": SelfReportProfile.from_toml,
    "src/kaa/municipal/askersund/follow_up.toml": load_follow_up_policy,
    "src/kaa/municipal/trollhattan/allowance.toml": lambda _: placement_rule(),
    "src/kaa/scb/layouts/default.toml": load_profile,
    "examples/kaa-example-kommun/src/kaa_example_kommun/timetable.toml": load_timetable,
    "examples/kaa-example-kommun/src/kaa_example_kommun/measures.toml": load_catalogue,
    "examples/kaa-example-kommun/src/kaa_example_kommun/profile.toml": ColumnProfile.from_toml,
    "tests/data/scb/long.toml": load_profile,
}


def test_every_shipped_toml_file_has_a_loader() -> None:
    shipped = {
        str(p.relative_to(ROOT))
        for folder in ("src/kaa", "examples/kaa-example-kommun/src", "tests/data")
        for p in (ROOT / folder).rglob("*.toml")
    }
    assert shipped == set(SHIPPED_TOML)


@pytest.mark.parametrize(("name", "load"), SHIPPED_TOML.items(), ids=list(SHIPPED_TOML))
def test_every_shipped_toml_file_loads_through_the_converter(
    name: str, load: Callable[[Path], object]
) -> None:
    assert load(ROOT / name) is not None


def _toml_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```toml\n(.*?)^\1```", text, re.S | re.M)
    return [textwrap.dedent(body) for _, body in blocks]


@pytest.mark.parametrize(
    ("page", "index", "load"),
    [
        pytest.param("contact-timetables.md", 0, parse_timetable, id="the timetable example"),
        pytest.param(
            "measures.md",
            0,
            lambda text, file: parse_catalogue(text, file=file),
            id="the catalogue example",
        ),
        pytest.param(
            "measures.md",
            1,
            lambda text, file: parse_toml(text, Dated[RetentionRule], file=file).timeline(
                rule_id="kaa.retention.1882"
            ),
            id="the retention example",
        ),
        pytest.param(
            "connect/mapping.md",
            0,
            lambda text, file: parse_toml(
                text, profile_module._ProfileFile, file=file, converter=profile_module._converter()
            ),
            id="the mapping example",
        ),
        pytest.param(
            "follow-up.md",
            0,
            lambda text, file: parse_toml(text, goals_module._GoalsFile, file=file),
            id="the goals example",
        ),
    ],
)
def test_the_docs_toml_examples_load(page: str, index: int, load: Callable[..., object]) -> None:
    assert load(_toml_blocks(page)[index], file=page) is not None


# -- JSON is structured strictly -----------------------------------------------------------------

_JSON_YOUTH = {
    "id": "20070413-2396",
    "residences": [{"municipality": "1882"}],
    "compulsory_school_completed": "2023-06-10",
}


@pytest.mark.parametrize(
    ("change", "words", "path"),
    [
        pytest.param(
            {"arrived_after_compulsory_school_age": "nej"},
            "must be true or false, not text",
            "$.arrived_after_compulsory_school_age",
            id="the text nej is not false",
        ),
        pytest.param(
            {"arrived_after_compulsory_school_age": "false"},
            "must be true or false",
            "$.arrived_after_compulsory_school_age",
            id="the text false is not false",
        ),
        pytest.param(
            {"arrived_after_compulsory_school_age": 0},
            "must be true or false, not a whole number",
            "$.arrived_after_compulsory_school_age",
            id="zero is not false",
        ),
        pytest.param(
            {"residences": [{"municipality": 1882}]},
            "must be text, not a whole number",
            "$.residences[0].municipality",
            id="a number is not a kommunkod",
        ),
        pytest.param(
            {"enrolments": 2.5}, "must be a list", "$.enrolments", id="a number is not a list"
        ),
        pytest.param(
            {"enrolments": "ab"},
            "must be a list, not text",
            "$.enrolments",
            id="text is not a list",
        ),
        pytest.param(
            {"residences": [[]]},
            "must be an object",
            "$.residences[0]",
            id="a list is not an object",
        ),
        pytest.param(
            {"residences": [{"municipality": "1882", "basis": "folkbokförd"}]},
            "is not one of: folkbokford",
            "$.residences[0].basis",
            id="an enum by its value only",
        ),
        pytest.param(
            {"residences": [{"municipality": "1882", "basis": 3}]},
            "must be one of",
            "$.residences[0].basis",
            id="an enum given a number",
        ),
    ],
)
def test_json_values_must_have_their_json_type(
    change: dict[str, object], words: str, path: str
) -> None:
    with pytest.raises(StructureError) as raised:
        structure({**_JSON_YOUTH, **change}, Youth)
    assert any(words in p and p.endswith(f"@ {path}") for p in raised.value.problems), (
        raised.value.problems
    )


def test_a_bad_optional_enum_is_a_problem_not_a_crash() -> None:

    case = {
        "youth": _JSON_YOUTH,
        "municipality": "1882",
        "registration": {"day": "2026-01-10"},
        "contacts": [{"day": "2026-01-11", "channel": "phone", "activity": "xyz"}],
    }
    with pytest.raises(StructureError) as raised:
        structure(case, Case)
    assert any(
        "'xyz' is not one of" in p and "contacts[0].activity" in p for p in raised.value.problems
    )


def test_a_day_read_again_is_the_same_day_and_a_bad_one_fails_every_time() -> None:
    converter = make_converter(reveal_ids=True)
    first = converter.structure("2026-08-20", dt.date)
    assert converter.structure("2026-08-20", dt.date) == first == dt.date(2026, 8, 20)
    assert converter.structure(" 2026-08-20 ", dt.date) == first
    for _ in range(2):
        with pytest.raises(InvalidInput, match="is not a date"):
            converter.structure("2026-02-30", dt.date)


def test_the_days_read_are_forgotten_at_the_bound_and_still_read_right() -> None:
    converter = make_converter(reveal_ids=True)
    start = dt.date(1900, 1, 1)
    days = [start + dt.timedelta(days=i) for i in range(convert_module._DAYS_MAX + 50)]
    assert [converter.structure(d.isoformat(), dt.date) for d in days] == days
    assert [converter.structure(d.isoformat(), dt.date) for d in days[:50]] == days[:50]


@attrs.frozen(kw_only=True)
class _Maybe:
    day: dt.date | None = None
    case: Case | None = None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"day": None}, _Maybe(), id="null in an optional field is None"),
        pytest.param(
            {"day": "2026-08-20"},
            _Maybe(day=dt.date(2026, 8, 20)),
            id="a value in an optional field is read as the field's type",
        ),
    ],
)
def test_an_optional_field(data: dict[str, object], expected: _Maybe) -> None:
    assert structure(data, _Maybe) == expected


def test_a_bad_value_in_an_optional_field_is_reported_at_its_path() -> None:
    with pytest.raises(StructureError) as caught:
        structure({"day": "20260820", "case": {"municipality": 1882}}, _Maybe)
    problems = caught.value.problems
    assert any(p.endswith("@ $.day") and "is not a date" in p for p in problems)
    assert any(p.endswith("@ $.case.municipality") for p in problems)
