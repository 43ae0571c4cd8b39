"""The helpers several sources share: refusing a mapping file and reading JSON (Lines)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kaa.adapters.base import RegisterSource, refuse_mapping
from kaa.adapters.canonical import CanonicalCasesSource, CanonicalSource
from kaa.adapters.ss12000 import SS12000Source
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.json import JsonFault, json_document, json_lines
from kaa.formats.problems import ReadSummary


def test_no_mapping_file_is_nothing_to_refuse() -> None:
    refuse_mapping("toy", None, reads="a fixed form")


def test_a_mapping_file_is_refused_with_what_the_source_reads() -> None:
    with pytest.raises(ConfigurationError) as raised:
        refuse_mapping("toy", Path("m.toml"), reads="a fixed form")
    assert raised.value.file == "m.toml"
    assert (
        str(raised.value) == "m.toml: the toy source reads a fixed form and takes no mapping file"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            CanonicalSource(),
            "the canonical source reads the library's fixed canonical form",
            id="canonical",
        ),
        pytest.param(
            CanonicalCasesSource(),
            "the canonical-cases source reads the library's fixed canonical form",
            id="canonical-cases",
        ),
        pytest.param(
            SS12000Source(), "the ss12000 source reads the standard's field names", id="ss12000"
        ),
    ],
)
def test_the_fixed_form_sources_refuse_a_mapping_file(source: RegisterSource, message: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{message} and takes no mapping file"):
        list(
            source.read(
                Path("in.json"),
                summary=ReadSummary(file="in.json"),
                reference_day=None,
                on_problem=None,
                mapping=Path("m.toml"),
            )
        )


def test_json_lines_skips_blank_lines_but_counts_them() -> None:
    stream = io.StringIO('{"a": 1}\n\n  \n[2]\n"x"\n')
    assert list(json_lines(stream, "f.jsonl")) == [(1, {"a": 1}), (4, [2]), (5, "x")]


def test_json_lines_reports_each_bad_line_with_its_place_and_reads_the_rest() -> None:
    stream = io.StringIO('{"a": 1}\n\n{"b": }\n{"c": oops}\n{"d": 4}\n')
    got = list(json_lines(stream, "f.jsonl"))
    assert [n for n, _ in got] == [1, 3, 4, 5]
    assert got[0][1] == {"a": 1}
    assert got[3][1] == {"d": 4}
    faults = [v for _, v in got[1:3]]
    assert all(isinstance(f, JsonFault) for f in faults)
    assert faults[0].column == 7  # type: ignore[union-attr]
    assert faults[0].message.startswith("not valid JSON: ")  # type: ignore[union-attr]


def test_json_document_decodes_the_whole_text() -> None:
    assert json_document('{"data": [1, 2]}', "f.json") == {"data": [1, 2]}


def test_json_document_reports_a_syntax_error_with_its_place() -> None:
    with pytest.raises(InvalidInput) as raised:
        json_document('{\n  "data": [1,,2]\n}', "f.json")
    error = raised.value
    assert (error.file, error.line, error.column) == ("f.json", 2, 14)
    assert error.message.startswith("not valid JSON: ")
