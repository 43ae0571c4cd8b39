"""The sections every mapping file shares (``kaa.formats.mapping``)."""

from __future__ import annotations

import pytest

from kaa.convert import Invalid
from kaa.formats.mapping import (
    DELIMITERS,
    FileSettings,
    file_changes,
    headings_of,
    merged_values,
)


@pytest.mark.parametrize(
    ("value", "headings"),
    [("Personnr", ("Personnr",)), (["Personnr", "Pnr"], ("Personnr", "Pnr"))],
)
def test_a_field_has_one_heading_or_a_list(value: object, headings: tuple[str, ...]) -> None:
    assert headings_of(value) == headings


@pytest.mark.parametrize("value", [[], [""], ["Pnr", 3], 3, None, {"a": "b"}, "  "])
def test_anything_else_is_not_headings(value: object) -> None:
    if value == "  ":  # one heading of spaces: a list of one blank heading
        with pytest.raises(Invalid, match="a heading or a list of headings"):
            headings_of([value])
        return
    with pytest.raises(Invalid, match="a heading or a list of headings"):
        headings_of(value)


def test_the_file_section_changes_only_what_it_sets() -> None:
    assert file_changes(FileSettings()) == {}
    assert file_changes(FileSettings(delimiter="tab", sheet="Lista")) == {
        "delimiter": "\t",
        "sheet": "Lista",
    }
    assert file_changes(FileSettings(date_formats=("iso", "%d/%m %Y"))) == {
        "date_formats": ("iso", "%d/%m %Y")
    }
    assert set(DELIMITERS.values()) == {"auto", ";", ",", "\t"}


@pytest.mark.parametrize(
    "settings",
    [{"encoding": "ebcdic"}, {"delimiter": "|"}, {"date_formats": ("someday",)}],
)
def test_the_file_section_refuses_what_no_reader_understands(settings: dict[str, object]) -> None:
    with pytest.raises(Invalid):
        FileSettings(**settings)  # type: ignore[arg-type]


class _Section:
    def __init__(self, **tables: dict[str, str] | None) -> None:
        self.__dict__.update(tables)


def test_a_mapping_files_words_are_added_and_win_normalised() -> None:
    tables = {"programme": {"im": "introduction", "nat": "national"}, "school": {"gy": "g"}}
    section = _Section(programme={"  Nationellt ": "national", "IM": "other"}, school=None)
    merged = merged_values(tables, section, ["programme", "school"])
    assert merged == {
        "programme": {"im": "other", "nat": "national", "nationellt": "national"},
        "school": {"gy": "g"},
    }
    assert tables["programme"] == {"im": "introduction", "nat": "national"}  # not changed
