"""The one exception hierarchy (:mod:`kaa.errors`): what each error carries and how it reads."""

from __future__ import annotations

import datetime as dt

import pytest

from kaa import errors
from kaa.errors import (
    ConfigurationError,
    InvalidIdentityNumber,
    InvalidInput,
    KaaError,
    OutputError,
    PluginError,
    RuleNotInForce,
    StructureError,
    UnknownMunicipality,
    scrub,
)


@pytest.mark.parametrize(
    ("error", "parent"),
    [
        pytest.param(RuleNotInForce, KaaError, id="a rule not in force is a kaa error"),
        pytest.param(InvalidInput, KaaError, id="invalid input is a kaa error"),
        pytest.param(ConfigurationError, KaaError, id="a configuration error is a kaa error"),
        pytest.param(PluginError, KaaError, id="a plugin error is a kaa error"),
        pytest.param(OutputError, KaaError, id="an output error is a kaa error"),
        pytest.param(
            InvalidIdentityNumber, InvalidInput, id="an invalid identity number is invalid input"
        ),
        pytest.param(
            UnknownMunicipality, InvalidInput, id="an unknown municipality is invalid input"
        ),
        pytest.param(
            StructureError, InvalidInput, id="data that cannot be structured is invalid input"
        ),
    ],
)
def test_every_error_belongs_to_the_one_hierarchy(error: type[Exception], parent: type) -> None:
    assert issubclass(error, parent)


def test_every_exported_name_is_an_error_of_the_hierarchy() -> None:
    exported = [getattr(errors, name) for name in errors.__all__ if name[0].isupper()]
    assert exported
    assert all(isinstance(e, type) and issubclass(e, KaaError) for e in exported)


def test_a_rule_not_in_force_names_the_rule_the_day_and_its_first_day() -> None:
    error = RuleNotInForce("kaa.target_group", dt.date(2014, 12, 31), dt.date(2015, 1, 1))
    assert (error.rule_id, error.day, error.first_day) == (
        "kaa.target_group",
        dt.date(2014, 12, 31),
        dt.date(2015, 1, 1),
    )
    assert str(error) == (
        "rule 'kaa.target_group' is not in force on 2014-12-31: "
        "its first version applies from 2015-01-01"
    )


@pytest.mark.parametrize(
    ("where", "text"),
    [
        pytest.param({}, "not a date", id="without a place the message stands alone"),
        pytest.param({"file": "a.csv"}, "a.csv: not a date", id="the file comes first"),
        pytest.param({"file": "a.csv", "line": 3}, "a.csv, line 3: not a date", id="then the line"),
        pytest.param(
            {"file": "a.csv", "line": 3, "column": "start"},
            "a.csv, line 3, column start: not a date",
            id="then the column by name",
        ),
        pytest.param(
            {"line": 3, "column": 2},
            "line 3, column 2: not a date",
            id="a column by number, without a file",
        ),
    ],
)
def test_invalid_input_says_where(where: dict[str, object], text: str) -> None:
    error = InvalidInput("not a date", **where)  # type: ignore[arg-type]
    assert str(error) == text
    assert error.message == "not a date"
    assert (error.file, error.line, error.column) == (
        where.get("file"),
        where.get("line"),
        where.get("column"),
    )


def test_a_structure_error_keeps_every_problem_and_joins_them() -> None:
    problems = ["must be a date @ $.start", "unknown field @ $.colour"]
    error = StructureError(problems, file="youths.json", line=4)
    assert error.problems == problems
    assert error.problems is not problems
    assert error.message == "must be a date @ $.start; unknown field @ $.colour"
    assert str(error) == "youths.json, line 4: must be a date @ $.start; unknown field @ $.colour"


@pytest.mark.parametrize(
    ("where", "text"),
    [
        pytest.param({}, "no such key", id="without a place the message stands alone"),
        pytest.param({"file": "m.toml"}, "m.toml: no such key", id="the file comes first"),
        pytest.param(
            {"file": "m.toml", "key": "columns.id"},
            "m.toml, key 'columns.id': no such key",
            id="then the dotted key",
        ),
        pytest.param({"key": "columns.id"}, "key 'columns.id': no such key", id="a key alone"),
    ],
)
def test_a_configuration_error_names_the_file_and_key(where: dict[str, str], text: str) -> None:
    error = ConfigurationError("no such key", **where)
    assert str(error) == text
    assert (error.file, error.key) == (where.get("file"), where.get("key"))


def test_an_output_error_names_the_path_and_says_nothing_was_written() -> None:
    error = OutputError("out/decisions.csv", "Permission denied")
    assert (error.file, error.reason) == ("out/decisions.csv", "Permission denied")
    assert str(error) == (
        "cannot write out/decisions.csv: Permission denied; nothing was written there"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("200808122394", "20080812-****", id="twelve digits are masked"),
        pytest.param("20080812-2394", "20080812-****", id="the separated long form is masked"),
        pytest.param("0808122394", "080812-****", id="ten digits are masked"),
        pytest.param("080812+2394", "080812-****", id="the centenarian form is masked"),
        pytest.param("20080812 2394", "20080812-****", id="a space before the serial is masked"),
        pytest.param("20080812T239", "20080812-****", id="an interim number is masked"),
        pytest.param(
            "x200808122394y", "x20080812-****y", id="a number inside a word is still masked"
        ),
        pytest.param("2024-06-12", "2024-06-12", id="a date is left alone"),
        pytest.param("kommun 1882, 12 345 kr", "kommun 1882, 12 345 kr", id="short numbers stay"),
        pytest.param(
            "0200808122394", "020080*******", id="a number inside a longer run of digits is masked"
        ),
        pytest.param("123456789", "123456789", id="nine digits stay"),
    ],
)
def test_scrub_masks_only_what_is_shaped_like_an_identity_number(text: str, shown: str) -> None:
    assert scrub(text) == shown


def test_every_error_text_is_scrubbed() -> None:
    assert "2394" not in str(KaaError("see 200808122394"))
    assert "2394" not in str(InvalidInput("'20080812-2394' is wrong", file="f.csv", line=2))
