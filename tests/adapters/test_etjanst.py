"""The youth's own e-service: a platform's export read into contacts, every form accepted or
reported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from exports import NUMBERS, csv_text
from kaa.adapters import SourceSummary, builtin_sources, open_source
from kaa.adapters.etjanst import (
    FIELDS,
    ETjanstSource,
    SelfReportRecord,
    builtin_self_report_profile,
    write_self_report_schema,
)
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.problems import Problem
from kaa.model.case import Activity, Channel, Contacted, ContactOutcome
from kaa.model.selfreport import json_schema_text

DAY = dt.date(2026, 11, 23)
A, B, C = NUMBERS[0], NUMBERS[1], NUMBERS[2]
HEAD = [
    "Personnummer",
    "Inskickad",
    "Sysselsättning",
    "Vill bli kontaktad",
    "Kontaktväg",
    "Telefon",
    "E-post",
    "Övrigt",
]
DOCS = Path(__file__).parents[2] / "docs" / "connect" / "e-tjanst.md"


def form(ident: str, **cells: str) -> list[str]:
    values = {"Personnummer": ident, "Inskickad": "2026-11-02 14:33", "Sysselsättning": "Arbetar"}
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values.get(h, "") for h in HEAD]


def read(
    tmp_path: Path,
    rows: list[list[str]] | None = None,
    *,
    data: object = None,
    suffix: str = ".csv",
    mapping: str | None = None,
    head: list[str] = HEAD,
) -> tuple[list[SelfReportRecord], SourceSummary]:
    path = tmp_path / f"export{suffix}"
    if suffix == ".csv":
        path.write_text(csv_text([head, *(rows or [])]), encoding="utf-8")
    elif suffix == ".jsonl":
        assert isinstance(data, list)
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in data), "utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    mapping_path = None
    if mapping is not None:
        mapping_path = tmp_path / "mapping.toml"
        mapping_path.write_text(mapping, encoding="utf-8")
    summary = SourceSummary(file=str(path))
    records = list(
        open_source("e-tjanst", path, summary=summary, reference_day=DAY, mapping=mapping_path)
    )
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(records)
    assert all(isinstance(r, SelfReportRecord) for r in records)
    return records, summary  # type: ignore[return-value]


def test_a_form_becomes_a_contact_that_reached_the_youth_on_the_e_service(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [form(A, Vill_bli_kontaktad="Ja", Kontaktväg="SMS", Telefon="0583-555 12")],
    )
    assert summary.ok
    (record,) = records
    assert record.youth.id.full("long") == A
    (report,) = record.reports
    assert (report.day, report.activity, report.wants_contact, report.channel) == (
        dt.date(2026, 11, 2),
        Activity.WORK,
        True,
        Channel.SMS,
    )
    (contact,) = record.contacts
    assert (contact.channel, contact.contacted, contact.outcome, contact.activity) == (
        Channel.E_SERVICE,
        Contacted.YOUTH,
        ContactOutcome.REACHED,
        Activity.WORK,
    )
    assert record.contact_details is not None
    assert record.contact_details.phone == "0583-555 12"
    assert record.contact_details.address is None
    assert record.origin.source == "e-tjanst"


def test_the_free_text_column_is_never_read_and_said_so(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [form(A, Övrigt="jag mår dåligt")])
    assert "jag mår" not in repr(records)
    (notice,) = summary.notices
    assert notice.message == "columns not used by the profile (never read): Övrigt"


def test_the_reports_of_a_youth_anywhere_in_the_file_make_one_record(tmp_path: Path) -> None:
    rows = [
        form(
            A, Inskickad="2026-10-01", Sysselsättning="Ingen sysselsättning", **{"E-post": "a@x.se"}
        ),
        form(B),
        form(
            A, Inskickad="2026-09-01", Sysselsättning="Studerar på komvux", **{"E-post": "old@x.se"}
        ),
    ]
    records, _ = read(tmp_path, rows)
    assert [r.youth.id.full("long") for r in records] == [A, B]
    first = records[0]
    assert [c.day for c in first.contacts] == [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert [c.activity for c in first.contacts] == [Activity.OTHER_STUDIES, Activity.NO_ACTIVITY]
    assert first.origin.lines == (2, 4)
    assert first.contact_details is not None
    assert first.contact_details.email == "a@x.se"  # the latest report's


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        pytest.param(
            {"Personnummer": ""}, "Personnummer", "identity number is missing", id="no number"
        ),
        pytest.param(
            {"Personnummer": "20080812-2395"}, "Personnummer", "not a valid", id="a bad number"
        ),
        pytest.param(
            {"Inskickad": ""}, "Inskickad", "day the form was sent is missing", id="no day"
        ),
        pytest.param({"Inskickad": "2/11"}, "Inskickad", "not a date", id="a day that is no date"),
        pytest.param(
            {"Inskickad": "2026-12-24"}, "Inskickad", "after the day the file is read", id="later"
        ),
        pytest.param(
            {"Sysselsättning": "Chillar"}, "Sysselsättning", "[values.activity]", id="a word"
        ),
        pytest.param(
            {"Vill bli kontaktad": "kanske"},
            "Vill bli kontaktad",
            "[values.wants_contact]",
            id="an unknown yes/no word",
        ),
        pytest.param(
            {"Vill bli kontaktad": "ja", "E-post": "ingen-snabel-a"},
            "E-post",
            "needs an @",
            id="an e-mail address without @",
        ),
    ],
)
def test_a_form_that_cannot_be_read_is_reported_and_the_rest_read(
    tmp_path: Path, cells: dict[str, str], column: str, words: str
) -> None:
    bad = form(A, **{k.replace(" ", "_"): v for k, v in cells.items()})
    records, summary = read(tmp_path, [bad, form(B)])
    assert [r.youth.id.full("long") for r in records] == [B]
    (problem,) = summary.problems
    assert (problem.line, problem.column) == (2, column)
    assert words in problem.message
    if cells.get("Personnummer", A) == A:
        assert problem.youth == A[:8] + "-****"


def test_the_same_report_twice_is_reported(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [form(A), form(A)])
    assert len(records[0].reports) == 1
    assert (summary.rows_accepted, summary.rows_rejected) == (1, 1)
    assert "the same report as on line 2" in summary.problems[0].message


def test_a_channel_without_a_wish_to_be_contacted_is_not_kept(tmp_path: Path) -> None:
    records, summary = read(tmp_path, [form(A, Vill_bli_kontaktad="Nej", Kontaktväg="Telefon")])
    assert records[0].reports[0].channel is None
    (notice,) = [n for n in summary.notices if n.column == "Kontaktväg"]
    assert "was not kept: the youth did not ask to be contacted" in notice.message


def test_no_activity_stated_is_none_not_unknown(tmp_path: Path) -> None:
    records, _ = read(tmp_path, [form(A, Sysselsättning="", Vill_bli_kontaktad="x")])
    (contact,) = records[0].contacts
    assert contact.activity is None
    assert records[0].reports[0].wants_contact


def test_the_schemas_own_json_form_needs_no_mapping(tmp_path: Path) -> None:
    data = [
        {
            "youth": A,
            "day": "2026-11-02T14:33:00+01:00",
            "activity": "work",
            "wants_contact": True,
            "channel": "email",
            "email": "test@example.com",
        },
        {"youth": int(B), "day": "2026-11-03", "activity": None, "wants_contact": False},
    ]
    for suffix, document in ((".json", {"data": data}), (".jsonl", data)):
        records, summary = read(tmp_path, data=document, suffix=suffix)
        assert summary.ok
        assert summary.notices == []
        assert [r.reports[0].activity for r in records] == [Activity.WORK, None]
        assert records[0].reports[0].channel is Channel.EMAIL
        assert records[1].origin.lines == ((11,) if suffix == ".json" else (2,))


def test_bad_json_forms_are_reported_with_their_line(tmp_path: Path) -> None:
    data = [{"youth": A, "day": "2026-11-02"}, "text", {"youth": B, "day": ["2026-11-02"]}]
    records, summary = read(tmp_path, data=data, suffix=".json")
    assert len(records) == 1
    assert [(p.line, p.column, p.message) for p in summary.problems] == [
        (6, None, "a report must be a JSON object"),
        (7, "day", "must be a text, a number, true or false, or null"),
    ]


def test_unknown_json_keys_are_never_read_and_said_so_once(tmp_path: Path) -> None:
    data = [
        {"youth": A, "day": "2026-11-02", "fritext": "x"},
        {"youth": B, "day": "2026-11-02", "fritext": "y"},
    ]
    _, summary = read(tmp_path, data=data, suffix=".jsonl")
    (notice,) = summary.notices
    assert notice.message == "keys not used by the profile (never read): fritext"


def test_a_platforms_own_headings_and_words_are_mapped(tmp_path: Path) -> None:
    mapping = """
[file]
date_formats = ["%d/%m/%Y"]

[columns]
day = "Inlämningsdatum"
activity = "Vad gör du just nu?"

[values.activity]
"Jag jobbar" = "work"

[values.wants_contact]
"Ja tack" = true
"""
    head = ["Personnummer", "Inlämningsdatum", "Vad gör du just nu?", "Vill bli kontaktad"]
    records, summary = read(
        tmp_path, [[A, "02/11/2026", "Jag jobbar", "Ja tack"]], head=head, mapping=mapping
    )
    assert summary.ok
    report = records[0].reports[0]
    assert (report.day, report.activity, report.wants_contact) == (
        dt.date(2026, 11, 2),
        Activity.WORK,
        True,
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param('[columns]\nnotes = "Övrigt"\n', "columns.notes", id="an unknown field"),
        pytest.param('[values.activity]\n"Jobbar" = "jobbar"\n', "values.activity", id="a value"),
        pytest.param('[file]\nencoding = "ebcdic"\n', "file.encoding", id="an encoding"),
    ],
)
def test_a_bad_mapping_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        read(tmp_path, [form(A)], mapping=text)
    assert key.split(".")[0] in str(caught.value)


@pytest.mark.parametrize(
    ("head", "words"),
    [
        pytest.param(["Namn", "Inskickad"], "no heading row with the youth's identity", id="no id"),
        pytest.param(["Personnummer", "Namn"], "no column for the day", id="no day"),
    ],
)
def test_an_export_without_the_required_columns_is_refused(
    tmp_path: Path, head: list[str], words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        read(tmp_path, [[A, "2026-11-02"]], head=head)


def test_strict_stops_at_the_first_problem(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(csv_text([HEAD, form(A, Inskickad="x"), form(B)]), encoding="utf-8")

    def stop(problem: Problem) -> None:
        raise InvalidInput(problem.message)

    with pytest.raises(InvalidInput, match="not a date"):
        list(open_source("e-tjanst", path, reference_day=DAY, on_problem=stop))


def test_a_workbook_export_is_read_with_sheet_and_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Formulär"
    book.active.append(["Inskickade formulär"])
    book.active.append(HEAD)
    book.active.append([int(A), dt.datetime(2026, 11, 2, 14, 33), "Arbetar", True, "Telefon"])
    book.active.append([B, "x"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    for engine in ("calamine", "openpyxl"):
        summary = SourceSummary(file=str(path))
        source = ETjanstSource(engine=engine)
        records = list(source.read(path, summary=summary, reference_day=DAY, on_problem=None))
        assert records[0].reports[0].channel is Channel.PHONE
        (problem,) = summary.problems
        assert (problem.file.endswith("export.xlsx[Formulär]"), problem.line) == (True, 4)


def test_the_default_profile_reads_the_schemas_names_and_is_on_the_docs_page() -> None:
    profile = builtin_self_report_profile()
    assert set(profile.columns) == set(FIELDS)
    assert all(profile.columns[f][0] == f for f in FIELDS)  # the schema's property names first
    page = DOCS.read_text(encoding="utf-8")
    assert profile.markdown() in page
    assert "real export" in page


def test_the_schema_writer_writes_the_generated_schema(tmp_path: Path) -> None:
    target = write_self_report_schema(tmp_path / "schema.json")
    assert target.read_text(encoding="utf-8") == json_schema_text()


def test_e_tjanst_is_a_builtin_source() -> None:
    assert isinstance(builtin_sources()["e-tjanst"], ETjanstSource)
