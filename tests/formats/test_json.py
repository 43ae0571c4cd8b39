"""The JSON plumbing every JSON reader shares: places of items, and a text nested too deeply.

(Decoding a document and JSON Lines with their errors' places is tested in
``tests/sources/test_shared_helpers.py``.)
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kaa.adapters import SourceSummary, open_source
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases
from kaa.formats.json import JsonFault, json_document, json_item_lines, json_lines
from kaa.formats.problems import ReadSummary

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[1, 2, 3]", [(1, 1), (1, 2), (1, 3)], id="items on one line"),
        pytest.param(
            '[\n  {"a": 1},\n\n  {\n    "b": 2\n  },\n  3\n]',
            [(2, {"a": 1}), (4, {"b": 2}), (7, 3)],
            id="each item with the line it starts on, across blank lines and nested objects",
        ),
        pytest.param('{"x": 0,\n "data": [\n 5]}', [(3, 5)], id="an array inside an object"),
    ],
)
def test_items_are_paired_with_the_line_they_start_on(
    text: str, expected: list[tuple[int, object]]
) -> None:
    data = json_document(text, "f.json")
    items = data if isinstance(data, list) else data["data"]
    start = text.index("[")
    assert list(json_item_lines(text, start, items)) == expected
    assert list(json_item_lines(text, start, items, check=True)) == expected


def test_a_checked_array_that_does_not_hold_the_items_is_refused() -> None:
    text = '{"other": [1, 2], "data": [3, 4]}'
    with pytest.raises(ValueError, match="not the one"):
        list(json_item_lines(text, text.index("["), [3, 4], check=True))


def test_a_document_nested_too_deeply_is_reported_not_a_crash() -> None:
    with pytest.raises(InvalidInput) as raised:
        json_document(DEEP, "f.json")
    assert str(raised.value) == "f.json: the JSON is nested too deeply"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        pytest.param(DEEP, "nested too deeply", id="a line nested too deeply"),
        pytest.param('{"id": 1, "id": 2}', "appears twice", id="a key twice in one object"),
        pytest.param('{"n": 1' + "0" * 40 + "}", "more than 30 digits", id="a huge number"),
        pytest.param('{"n": NaN}', "NaN is not a JSON number", id="NaN"),
        pytest.param('{"t": "' + "x" * 131_073 + '"}', "longer than 131,072", id="an endless text"),
        pytest.param('{"a": 1', "not valid JSON", id="a cut-off line"),
    ],
)
def test_a_bad_json_line_is_a_fault_and_the_next_line_is_read(line: str, words: str) -> None:
    got = list(json_lines(io.StringIO(f"{line}\n{{}}\n"), "f.jsonl"))
    assert [n for n, _ in got] == [1, 2]
    fault = got[0][1]
    assert isinstance(fault, JsonFault)
    assert words in fault.message
    assert got[1][1] == {}


def test_the_cases_file_nested_too_deeply_is_reported_the_same_by_reader_and_source(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cases.json"
    path.write_text(DEEP + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as direct:
        list(read_cases(path))
    with pytest.raises(InvalidInput) as through_source:
        list(open_source("canonical-cases", path, summary=SourceSummary(file=str(path))))
    assert (
        str(direct.value) == str(through_source.value) == f"{path}: the JSON is nested too deeply"
    )


def test_a_cases_line_nested_too_deeply_is_rejected_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(DEEP + "\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    assert list(read_cases(path, summary=summary)) == []
    assert (summary.rows_read, summary.rows_rejected) == (1, 1)
    assert "nested too deeply" in str(summary.problems[0])
