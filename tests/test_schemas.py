"""The published JSON Schemas: current, valid, and true of every file the library ships."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kaa import schemas
from kaa.convert import structure
from kaa.errors import KaaError
from kaa.model.case import Case
from kaa.model.selfreport import json_schema as self_report_schema
from kaa.model.youth import Youth
from kaa.testing import skatteverket_numbers

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "kaa"
FOLDER = PACKAGE / "data" / "schemas"
EXAMPLE_PLUGIN = ROOT / "examples" / "kaa-example-kommun" / "src" / "kaa_example_kommun"

OTHER_SCHEMAS = {"self-report.schema.json": self_report_schema}
"""Shipped schemas generated elsewhere, each with the function that generates it."""

EXAMPLE_FILES = {
    EXAMPLE_PLUGIN / "measures.toml": "measures",
    EXAMPLE_PLUGIN / "timetable.toml": "timetable",
    EXAMPLE_PLUGIN / "profile.toml": "column-profile",
}
"""The example municipality plugin's data files, with their schemas."""

WITHOUT_SCHEMA = {
    "adapters/profiles/e-tjanst.toml": "the e-service profile (kaa.adapters.etjanst) has its own "
    "file model, SelfReportProfile, still being written: give it a SchemaSpec once it is in",
}
"""TOML files of the package that no schema describes yet, each with the reason."""


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _plain(value: Any) -> Any:
    """TOML as an editor's validator sees it: a date as its YYYY-MM-DD text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _problems(name: str, data: Any) -> list[str]:
    return [f"{e.message} @ {e.json_path}" for e in _validator(name).iter_errors(data)]


SHIPPED = [
    pytest.param(PACKAGE / f, spec.name, id=f"{f} validates against {spec.file_name}")
    for spec in schemas.SCHEMAS
    for f in spec.shipped
] + [
    pytest.param(path, name, id=f"the example plugin's {path.name} validates against {name}")
    for path, name in EXAMPLE_FILES.items()
]


# --- current -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec", schemas.SCHEMAS, ids=lambda s: f"the shipped {s.file_name} is the generated one"
)
def test_the_shipped_schema_is_the_generated_one(spec: schemas.SchemaSpec) -> None:
    shipped = (FOLDER / spec.file_name).read_text(encoding="utf-8")
    assert shipped == schemas.dumps(schemas.generate(spec.name)), (
        "run `python scripts/regenerate_schemas.py`"
    )


def test_every_shipped_schema_is_current_and_known() -> None:
    ours = {spec.file_name for spec in schemas.SCHEMAS}
    for path in sorted(FOLDER.glob("*.json")):
        if path.name in ours:
            continue
        assert path.name in OTHER_SCHEMAS, f"{path.name}: no generator known for it"
        assert json.loads(path.read_text(encoding="utf-8")) == OTHER_SCHEMAS[path.name]()
    assert ours | set(OTHER_SCHEMAS) == {p.name for p in FOLDER.glob("*.json")}


def test_the_regeneration_script_finds_nothing_to_do() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate_schemas.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "spec", schemas.SCHEMAS, ids=lambda s: f"{s.file_name} is a valid draft 2020-12 schema"
)
def test_each_schema_is_a_valid_schema(spec: schemas.SchemaSpec) -> None:
    generated = schemas.generate(spec.name)
    jsonschema.Draft202012Validator.check_schema(generated)
    assert generated["$id"] == f"{schemas.SCHEMA_BASE}{spec.file_name}"
    assert schemas.schema_path(spec.name).is_file()


# --- true of the files -------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "name"), SHIPPED)
def test_a_shipped_data_file_validates(path: Path, name: str) -> None:
    data = _plain(tomllib.loads(path.read_text(encoding="utf-8")))
    assert _problems(name, data) == []


@pytest.mark.parametrize(("path", "name"), SHIPPED)
def test_a_shipped_data_file_names_its_schema_for_editors(path: Path, name: str) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#:schema "), "the first line is `#:schema <relative path>`"
    target = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
    assert target == (FOLDER / f"{name}.schema.json").resolve()


def test_every_toml_file_of_the_package_has_a_schema() -> None:
    described = {f for spec in schemas.SCHEMAS for f in spec.shipped}
    found = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.toml")}
    assert found - described - set(WITHOUT_SCHEMA) == set()
    assert set(WITHOUT_SCHEMA) <= found, "an exception no longer needed: remove it"


def test_the_bundled_youths_validate() -> None:
    data = json.loads((ROOT / "examples" / "data" / "youths.json").read_text(encoding="utf-8"))
    assert len(data) >= 10
    assert _problems("youth", data) == []


def test_every_bundled_case_validates() -> None:
    lines = (ROOT / "examples" / "data" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 10
    for number, line in enumerate(lines, start=1):
        assert _problems("case", json.loads(line)) == [], f"line {number}"


# --- and strict where the reader is --------------------------------------------------------------

A_YOUTH = {"id": skatteverket_numbers()[0], "residences": [{"municipality": "1882"}]}


@pytest.mark.parametrize(
    ("change", "found"),
    [
        pytest.param({"residences": [{"municipality": 1882}]}, "1882", id="an int kommunkod"),
        pytest.param({"residences": [{"municipality": "9999"}]}, "9999", id="an unknown kommunkod"),
        pytest.param({"birth_date": "2008-13-01"}, "date", id="a day that is no date"),
        pytest.param(
            {"compulsory_school_completed": 2024},
            "$.compulsory_school_completed",
            id="a year for a day",
        ),
        pytest.param({"shoe_size": 42}, "shoe_size", id="an unknown key"),
        pytest.param(
            {"enrolments": [{"school_form": "gymnasium", "start": "2024-08-19"}]},
            "gymnasium",
            id="a school form that is not one of the words",
        ),
        pytest.param({"id": "not a number"}, "not a number", id="text that is no identity number"),
    ],
)
def test_the_youth_schema_refuses_what_the_reader_refuses(
    change: dict[str, Any], found: str
) -> None:
    record = {**A_YOUTH, **change}
    problems = _problems("youth", record)
    assert found in " ".join(problems)
    with pytest.raises(KaaError):
        structure(record, Youth)


def test_a_youth_the_schema_accepts_the_reader_reads() -> None:
    assert _problems("youth", A_YOUTH) == []
    assert structure(A_YOUTH, Youth).residences[0].municipality == "1882"


def test_a_case_needs_its_registration() -> None:
    case = {"youth": A_YOUTH, "municipality": "1882"}
    assert any("registration" in p for p in _problems("case", case))
    assert _problems("case", {**case, "registration": {"day": "2026-01-10"}}) == []
    structure({**case, "registration": {"day": "2026-01-10"}}, Case)


@pytest.mark.parametrize(
    ("name", "text", "bad"),
    [
        pytest.param(
            "goals",
            'goal = [{label_sv = "x", figure = "f", row = "r", column = "c", direction = "up"}]',
            True,
            id="a goal's direction must be one of the four words",
        ),
        pytest.param(
            "scb-mapping", 'period = "2026H1"\nmunicipality = "1882"', False, id="a mapping file"
        ),
        pytest.param("scb-mapping", "period = 2026", True, id="a half-year is text"),
        pytest.param(
            "retention",
            'rule_id = "kaa.retention.x"\n[[versions]]\nstart = 2020-01-01\ntitle = "t"\n'
            'citation = { title = "Dokumenthanteringsplan" }\nvalue = { years_after_end = 5 }',
            False,
            id="a retention rule with a document as its citation",
        ),
        pytest.param(
            "retention",
            'rule_id = "kaa.retention.x"\n[[versions]]\nstart = "2020-01-01"\ntitle = "t"\n'
            'citation = { sfs = "2010:800" }\nvalue = { years_after_end = 5 }',
            True,
            id="a statute citation needs its title",
        ),
    ],
)
def test_a_data_file_schema_refuses_and_accepts(name: str, text: str, bad: bool) -> None:
    assert bool(_problems(name, _plain(tomllib.loads(text)))) is bad


def test_the_cases_format_page_documents_every_key_of_every_object() -> None:
    page = (ROOT / "docs" / "cases-format.md").read_text(encoding="utf-8")
    assert "kaa/data/schemas/case.schema.json" in page
    sections = {part.split("\n", 1)[0].strip(): part for part in page.split("\n### ")[1:]}
    defs = schemas.generate("case")["$defs"]
    objects = {name: d for name, d in defs.items() if d.get("type") == "object"}
    assert set(objects) == set(sections)
    for name, definition in objects.items():
        for key in definition["properties"]:
            assert f"| `{key}` |" in sections[name], f"{name}.{key} is not on the page"


NOT_YET_ON_A_PAGE: dict[str, str] = {}
"""Schemas whose docs page does not name them yet, each with the reason (keep it empty)."""


def _referenced() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    return {s.file_name for s in schemas.SCHEMAS if f"`kaa/data/schemas/{s.file_name}`" in text}


def test_every_schema_is_named_on_its_files_docs_page() -> None:
    missing = {s.file_name for s in schemas.SCHEMAS} - _referenced()
    assert missing == set(NOT_YET_ON_A_PAGE)
