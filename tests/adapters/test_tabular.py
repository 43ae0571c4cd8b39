"""Vendor list exports read through column profiles: every row accepted or reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from exports import NUMBERS, csv_text
from kaa.adapters import SourceRecord, SourceSummary, get_source, open_source
from kaa.adapters.profile import FIELDS, builtin_profile
from kaa.adapters.tabular import open_export
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.problems import Problem
from kaa.formats.text import MalformedRow, WorkbookLimits
from kaa.model.case import Activity, RegistrationReason
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm

DAY = dt.date(2026, 11, 23)
A, B, C = NUMBERS[0], NUMBERS[1], NUMBERS[2]
IST_HEAD = [
    "Personnummer",
    "Förnamn",
    "Efternamn",
    "Adress",
    "Postnummer",
    "Postort",
    "Folkbokföringskommun",
    "Skyddad identitet",
    "Grundskola avslutad",
    "Skolform",
    "Programtyp",
    "Startdatum",
    "Slutdatum",
    "Avbrott",
    "Examen",
    "Examensdatum",
    "Registreringsdatum",
    "Orsak till registrering",
]


def ist_row(ident: str, **cells: str) -> list[str]:
    values = {
        "Personnummer": ident,
        "Förnamn": "Test",
        "Efternamn": "Testsson",
        "Folkbokföringskommun": "1882",
        "Grundskola avslutad": "2024-06-12",
    }
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values.get(h, "") for h in IST_HEAD]


def read(
    tmp_path: Path,
    rows: list[list[str]],
    source: str = "ist",
    *,
    head: list[str] = IST_HEAD,
    mapping: str | None = None,
    encoding: str = "utf-8",
    sep: str = ";",
) -> tuple[list[SourceRecord], SourceSummary]:
    path = tmp_path / "export.csv"
    path.write_text(csv_text([head, *rows], sep), encoding=encoding)
    mapping_path = None
    if mapping is not None:
        mapping_path = tmp_path / "mapping.toml"
        mapping_path.write_text(mapping, encoding="utf-8")
    summary = SourceSummary(file=str(path))
    records = list(
        open_source(source, path, summary=summary, reference_day=DAY, mapping=mapping_path)
    )
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    return records, summary


def test_an_ist_export_is_read_into_youths_and_cases(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [
            ist_row(
                A,
                Skolform="GY",
                Programtyp="NP",
                Startdatum="2024-08-19",
                Slutdatum="2025-02-14",
                Avbrott="Ja",
                Registreringsdatum="2025-03-01",
                Orsak_till_registrering="Avbrott",
            ),
            ist_row(B, Examen="Studiebevis", Examensdatum="2025-06-12"),
        ],
    )
    assert (summary.rows_read, summary.rows_accepted, summary.records) == (2, 2, 2)
    first, second = records
    (enrolment,) = first.youth.enrolments
    assert enrolment.school_form is SchoolForm.GYMNASIESKOLA
    assert enrolment.programme is Programme.NATIONAL
    assert enrolment.cancelled
    assert first.case is not None
    assert first.case.registration.reason is RegistrationReason.BROKE_OFF_NATIONAL
    assert first.case.registration.activity is Activity.UNKNOWN
    assert first.case.municipality == "1882"
    assert second.case is None
    assert second.youth.qualifications[0].kind is QualificationKind.STUDIEBEVIS
    assert second.contact_details is not None
    assert second.contact_details.name == "Test Testsson"
    assert first.origin.lines == (2,)


@pytest.mark.parametrize(
    ("rows", "accepted", "rejected", "words"),
    [
        pytest.param(
            [
                ist_row(A, Skolform="GY", Programtyp="NP", Startdatum="2023-08-21"),
                ist_row(
                    A[:8] + "-" + A[8:], Skolform="GY", Programtyp="IM", Startdatum="2024-08-19"
                ),
            ],
            2,
            0,
            None,
            id="two rows of a youth written two ways are one youth with two enrolments",
        ),
        pytest.param(
            [ist_row(A), ist_row(A, Grundskola_avslutad="2023-06-10")],
            0,
            2,
            "differs from line 2 (2024-06-12 there, 2023-06-10 here)",
            id="rows that disagree on a single fact reject the whole youth",
        ),
        pytest.param(
            [ist_row(A, Förnamn="Ann"), ist_row(A, Förnamn="Anna")],
            0,
            2,
            "Förnamn / Efternamn differs from line 2: a youth",
            id="a disagreement on a name is reported without showing the names",
        ),
        pytest.param(
            [ist_row(A), ist_row(B), ist_row(A)],
            2,
            1,
            "this youth's rows started on line 2",
            id="a youth coming back after another youth is reported, not overwritten",
        ),
        pytest.param(
            [ist_row(A), ist_row("20080812-2395"), ist_row(B)],
            2,
            1,
            "not a valid identity number",
            id="a bad identity number rejects its row",
        ),
        pytest.param(
            [ist_row(""), ist_row(B)],
            1,
            1,
            "the identity number is missing",
            id="a missing identity number rejects its row",
        ),
        pytest.param(
            [ist_row(A, Folkbokföringskommun="9999")],
            0,
            1,
            "is not a kommunkod",
            id="an unknown kommunkod is reported",
        ),
        pytest.param(
            [ist_row(A, Skolform="GY")],
            0,
            1,
            "start date is missing",
            id="an enrolment without a start date is reported",
        ),
        pytest.param(
            [ist_row(A, Examen="Studiebevis")],
            0,
            1,
            "needs the day it was issued",
            id="a certificate without a date is reported",
        ),
        pytest.param(
            [ist_row(A, Orsak_till_registrering="Avbrott")],
            0,
            1,
            "the registration day is missing",
            id="a registration reason without a registration day is reported",
        ),
        pytest.param(
            [ist_row(A, Skolform="Gymnasium X")],
            0,
            1,
            "Add the export's word under [values.school_form]",
            id="an unknown code value tells where to add it",
        ),
        pytest.param(
            [[*ist_row(A), "extra"]],
            0,
            1,
            "the row has 19 cells but the heading row only 18",
            id="a row with more cells than headings is reported",
        ),
        pytest.param(
            [ist_row(A)[:9]],
            0,
            1,
            "the row has 9 cells but the heading row 18; a cell is missing",
            id="a row with trailing cells cut off is reported, not padded",
        ),
        pytest.param(
            [ist_row(A, Skolform='"GY')],
            0,
            1,
            "a quoted cell is not closed on this line",
            id="a stray quote opening a cell is reported",
        ),
        pytest.param(
            [ist_row(A, Skolform='"GY"X')],
            0,
            1,
            "a cell has text after its closing quote",
            id="text after a closing quote is reported",
        ),
    ],
)
def test_every_row_is_accepted_or_reported(
    tmp_path: Path,
    rows: list[list[str]],
    accepted: int,
    rejected: int,
    words: str | None,
) -> None:
    _, summary = read(tmp_path, rows)
    assert (summary.rows_accepted, summary.rows_rejected) == (accepted, rejected)
    if words is None:
        assert not summary.problems
    else:
        assert any(words in str(p) for p in summary.problems), summary.problems


def test_problems_name_file_line_column_and_the_masked_number(tmp_path: Path) -> None:
    _, summary = read(tmp_path, [ist_row(A), ist_row(B, Grundskola_avslutad="2024-13-01")])
    (problem,) = summary.problems
    assert problem.line == 3
    assert problem.column == "Grundskola avslutad"
    assert problem.youth == B[:8] + "-****"
    assert B[8:] not in str(problem)


def test_protected_identity_never_keeps_an_address(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [
            ist_row(A, Adress="Storgatan 1", Postnummer="696 30", Postort="Askersund"),
            ist_row(
                B,
                Adress="Gatan 2",
                Postnummer="69630",
                Postort="Askersund",
                Skyddad_identitet="Skyddad folkbokföring",
            ),
        ],
    )
    open_, protected = records
    assert open_.contact_details is not None
    assert open_.contact_details.address is not None
    assert open_.contact_details.address.postal_code == "69630"
    assert protected.youth.has_protected_identity
    assert protected.youth.residences[0].basis is HomeBasis.PROTECTED
    assert protected.contact_details is not None
    assert protected.contact_details.address is None
    assert [n.message for n in summary.notices if n.youth] == [
        "protected identity: the address was not kept"
    ]


def test_protection_on_a_later_row_still_drops_the_address(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [
            ist_row(A, Adress="Storgatan 1", Postnummer="696 30", Postort="Askersund"),
            ist_row(A, Skyddad_identitet="x"),
        ],
    )
    (record,) = records
    assert record.contact_details is not None
    assert record.contact_details.address is None
    assert any("address was not kept" in n.message for n in summary.notices)


@pytest.mark.parametrize(
    "cells",
    [
        pytest.param({"Postnummer": "696 30", "Postort": "Askersund"}, id="no street"),
        pytest.param({"Adress": "Storgatan 1", "Postort": "Askersund"}, id="no postal code"),
        pytest.param({"Adress": "Storgatan 1", "Postnummer": "69630"}, id="no post town"),
    ],
)
def test_a_partial_address_drops_the_address_not_the_youth(
    tmp_path: Path, cells: dict[str, str]
) -> None:
    records, summary = read(tmp_path, [ist_row(A, **cells), ist_row(B)])
    assert summary.rows_read == summary.rows_accepted == 2
    assert summary.problems == []
    first, _ = records
    assert first.youth.id.masked() == A[:8] + "-****"
    assert first.contact_details is None or first.contact_details.address is None
    (notice,) = [n for n in summary.notices if "address was not kept" in n.message]
    assert notice.line == 2
    assert notice.column in ("Adress", "Postnummer", "Postort")
    assert A[8:] not in str(notice)


def test_a_stray_quote_in_the_bundled_export_loses_only_its_own_row(tmp_path: Path) -> None:
    bundled = Path(__file__).parents[2] / "examples" / "data" / "askersund-ist.csv"
    lines = bundled.read_bytes().split(b"\r\n")
    lines[7] = lines[7].replace(b";GY;", b';"GY;', 1) if b";GY;" in lines[7] else b'"' + lines[7]
    broken = tmp_path / "ist.csv"
    broken.write_bytes(b"\r\n".join(lines))
    summary = SourceSummary(file=str(broken))
    records = list(open_source("ist", broken, summary=summary, reference_day=dt.date(2026, 12, 31)))
    whole = SourceSummary(file=str(bundled))
    everyone = list(open_source("ist", bundled, summary=whole, reference_day=dt.date(2026, 12, 31)))
    assert summary.rows_read == whole.rows_read == 196
    assert summary.rows_rejected == 1
    assert summary.rows_accepted == 195
    (problem,) = summary.problems
    assert problem.line == 8
    assert "not closed on this line" in problem.message
    assert len(records) == len(everyone) - 1


def test_titles_repeated_headings_and_trailing_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Målgruppslista;;\r\n\r\n"
        + csv_text([IST_HEAD, ist_row(A), IST_HEAD, ist_row(B), [""] * 18, [""] * 18]),
        encoding="cp1252",
    )
    summary = SourceSummary(file=str(path))
    records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert len(records) == 2
    assert summary.rows_read == 2
    messages = [n.message for n in summary.notices]
    assert any("above the heading row (line 3)" in m for m in messages)
    assert "repeated heading row skipped" in messages


def test_a_file_without_an_identity_column_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"name the column under \[columns\] id"):
        read(tmp_path, [["1", "2"]], head=["Elev", "Kommun"])


@pytest.mark.parametrize("sep", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_every_encoding_and_separator_reads_the_same(
    tmp_path: Path, sep: str, encoding: str
) -> None:
    records, summary = read(
        tmp_path, [ist_row(A, Förnamn="Åsa Öberg-Ärlig")], encoding=encoding, sep=sep
    )
    assert summary.ok
    assert records[0].contact_details is not None
    assert records[0].contact_details.name == "Åsa Öberg-Ärlig Testsson"


MAPPING = """
[file]
date_formats = ["%d/%m %Y"]

[defaults]
municipality = "1882"

[columns]
id = "Elevens personnr"
compulsory_school_completed = "Åk 9 klar"
programme = "Typ"
school_form = "Form"
enrolment_start = "Från"

[values.programme]
"Intro" = "introduction"
"""


def test_a_municipality_mapping_adapts_the_default_profile(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [[A, "12/6 2024", "GY", "Intro", "19/8 2024"]],
        head=["Elevens personnr", "Åk 9 klar", "Form", "Typ", "Från"],
        mapping=MAPPING,
    )
    assert summary.ok, summary.problems
    (record,) = records
    assert record.youth.compulsory_school_completed == dt.date(2024, 6, 12)
    assert record.youth.residences[0].municipality == "1882"
    assert record.youth.enrolments[0].programme is Programme.INTRODUCTION


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("[columns]\nnope = 'X'\n", "columns.nope", id="an unknown field"),
        pytest.param(
            "[values.programme]\nIM = 'intro'\n",
            "values.programme.IM",
            id="a value that is not one of the library's",
        ),
        pytest.param("[values.name]\nx = 'y'\n", "values.name", id="values for a text field"),
        pytest.param(
            "[defaults]\nmunicipality = 1882\n",
            "defaults.municipality",
            id="a kommunkod written as a number",
        ),
        pytest.param("[file]\nencoding = 'ebcdic'\n", "file.encoding", id="an unknown encoding"),
        pytest.param(
            "[file]\ndate_formats = ['dd/mm']\n", "file.date_formats", id="a date form without %"
        ),
        pytest.param("[extra]\n", "extra", id="an unknown section"),
    ],
)
def test_a_bad_mapping_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        builtin_profile("ist").with_mapping(path)
    assert info.value.key == key
    assert info.value.file == str(path)


def test_a_mapping_that_is_not_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        builtin_profile("ist").with_mapping(path)


def test_strict_stops_at_the_first_problem(tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def stop(problem: Problem) -> None:
        raise Stop(str(problem))

    path = tmp_path / "export.csv"
    path.write_text(csv_text([IST_HEAD, ist_row(A), ist_row("x"), ist_row(B)]), encoding="utf-8")
    records = open_source("ist", path, reference_day=DAY, on_problem=stop)
    with pytest.raises(Stop, match=r"export\.csv:3: column Personnummer"):
        list(records)


@pytest.mark.parametrize("name", ["ist", "ber", "hypernet"])
def test_every_vendor_profile_reads_its_own_headings(tmp_path: Path, name: str) -> None:
    profile = builtin_profile(name)
    head = [profile.columns[f][0] for f in ("id", "municipality", "compulsory_school_completed")]
    records, summary = read(tmp_path, [[A, "1882", "2024-06-12"]], name, head=head)
    assert summary.ok
    assert records[0].youth.residences[0].municipality == "1882"
    assert records[0].origin.source == name


def test_ber_rows_without_a_kommunkod_are_stockholm(tmp_path: Path) -> None:
    records, _ = read(
        tmp_path, [[A, "2024-06-12"]], "ber", head=["Personnummer", "Avgång grundskola"]
    )
    assert records[0].youth.residences[0].municipality == "0180"


def test_an_empty_kommunkod_cell_is_reported_not_filled_with_the_default(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [[A, "", "2024-06-12"], [B, "1882", "2024-06-12"]],
        "ber",
        head=["Personnummer", "Kommun", "Avgång grundskola"],
    )
    assert [r.youth.residences[0].municipality for r in records] == ["1882"]
    (problem,) = summary.problems
    assert (problem.line, problem.column) == (2, "Kommun")
    assert "kommunkod of the home municipality is missing" in problem.message


@pytest.mark.parametrize("name", ["ist", "ber", "hypernet"])
def test_every_profile_maps_only_known_fields_and_an_identity_column(name: str) -> None:
    profile = builtin_profile(name)
    assert set(profile.columns) <= set(FIELDS)
    assert profile.columns["id"]


def test_a_workbook_export_reports_sheet_and_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KAA"
    sheet.append(IST_HEAD)
    sheet.append([int(A), *ist_row(A)[1:8], dt.datetime(2024, 6, 12), *ist_row(A)[9:]])
    sheet.append(ist_row(B, Grundskola_avslutad="13/13"))
    path = tmp_path / "export.xlsx"
    book.save(path)
    summary = SourceSummary(file=str(path))
    records = list(open_source("ist", path, summary=summary, reference_day=DAY))
    assert len(records) == 1
    (problem,) = summary.problems
    assert problem.file.endswith("export.xlsx[KAA]")
    assert problem.line == 3


def test_an_export_without_a_home_municipality_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"\[defaults\] municipality"):
        read(tmp_path, [[A, "2024-06-12"]], head=["Personnummer", "Grundskola avslutad"])


def test_a_youth_protected_on_one_row_has_one_protected_residence(tmp_path: Path) -> None:
    records, _ = read(tmp_path, [ist_row(A), ist_row(A, Skyddad_identitet="Ja")])
    (residence,) = records[0].youth.residences
    assert residence.basis is HomeBasis.PROTECTED


# Protected identity (issue 11): headings and values compared on meaning, unknown words and
# unmapped protection columns fail closed.

ADDRESSED = {"Adress": "Hemliga gatan 7", "Postnummer": "699 99", "Postort": "Hemlighetsby"}


def _replace_heading(new: str, old: str = "Skyddad identitet") -> list[str]:
    return [new if h == old else h for h in IST_HEAD]


def _assert_no_address(record: SourceRecord) -> None:
    assert record.youth.has_protected_identity
    assert record.contact_details is None or record.contact_details.address is None


@pytest.mark.parametrize(
    "heading",
    [
        pytest.param("SKYDDAD_IDENTITET", id="upper case with an underscore"),
        pytest.param("Skyddad-identitet", id="a hyphen for the space"),
        pytest.param("Skyddad \u2013 identitet", id="an en dash between the words"),
        pytest.param("Skyddad  identitet", id="two spaces"),
        pytest.param("Skyddad\u00a0identitet", id="a non-breaking space"),
        pytest.param("Skyddad\u202fidentitet", id="a narrow non-breaking space"),
        pytest.param(" skyddad identitet\t", id="surrounding white space"),
        pytest.param("Skyddad \u00adidentitet", id="a soft hyphen is no letter"),
        pytest.param("Skyddade\u2011personuppgifter", id="another listed heading, a hard hyphen"),
        pytest.param("SEKRETESSMARKERING", id="the third listed heading in capitals"),
        pytest.param(
            "\uff33\uff4b\uff59\uff44\uff44\uff41\uff44 identitet", id="full-width letters"
        ),
    ],
)
def test_a_protection_heading_written_differently_is_still_read(
    tmp_path: Path, heading: str
) -> None:
    records, summary = read(
        tmp_path,
        [ist_row(A, Skyddad_identitet="Ja", **ADDRESSED)],
        head=_replace_heading(heading),
    )
    (record,) = records
    _assert_no_address(record)
    assert not summary.problems


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("Ja", id="ja"),
        pytest.param("JA", id="JA in capitals"),
        pytest.param("x", id="a cross"),
        pytest.param("X", id="a capital cross"),
        pytest.param("1", id="one"),
        pytest.param("Skyddad folkbokföring", id="the statutory term"),
        pytest.param("SKYDDAD_FOLKBOKFÖRING", id="the statutory term in capitals"),
        pytest.param("Skyddad folkbokfo\u0308ring", id="the statutory term with a decomposed ö"),
        pytest.param("Skyddad\u00a0folkbokföring", id="the statutory term, non-breaking space"),
        pytest.param("Sekretessmarkering", id="sekretessmarkering"),
        pytest.param(" sekretessmarkering ", id="sekretessmarkering with spaces"),
    ],
)
def test_a_known_word_for_protection_is_read_as_protected_without_a_notice(
    tmp_path: Path, word: str
) -> None:
    records, summary = read(tmp_path, [ist_row(A, Skyddad_identitet=word, **ADDRESSED)])
    (record,) = records
    _assert_no_address(record)
    assert [n.message for n in summary.notices if n.youth] == [
        "protected identity: the address was not kept"
    ]


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("Spärrad", id="a word the profile does not know"),
        pytest.param("Skyddad folkbokforing", id="the statutory term without diacritics"),
        pytest.param("Sekretess", id="sekretess alone"),
        pytest.param("-", id="a dash"),
        pytest.param("?", id="a question mark"),
        pytest.param("2024-06-12", id="a date"),
    ],
)
def test_an_unknown_word_in_a_protection_column_is_read_as_protected_with_a_notice(
    tmp_path: Path, word: str
) -> None:
    records, summary = read(tmp_path, [ist_row(A, Skyddad_identitet=word, **ADDRESSED)])
    (record,) = records
    _assert_no_address(record)
    assert summary.rows_accepted == 1
    assert not summary.problems
    (unknown, dropped) = [n for n in summary.notices if n.youth]
    assert unknown.column == "Skyddad identitet"
    assert unknown.line == 2
    assert "is not a known word for protected identity" in unknown.message
    assert "read as protected" in unknown.message
    assert "[values.protected]" in unknown.message
    assert dropped.message == "protected identity: the address was not kept"


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("", id="an empty cell"),
        pytest.param("Nej", id="nej"),
        pytest.param("NEJ", id="NEJ in capitals"),
        pytest.param("0", id="zero"),
        pytest.param("Ingen", id="ingen, the register's none value"),
        pytest.param(" INGEN ", id="INGEN with spaces"),
    ],
)
def test_a_word_for_not_protected_keeps_the_address(tmp_path: Path, word: str) -> None:
    records, summary = read(tmp_path, [ist_row(A, Skyddad_identitet=word, **ADDRESSED)])
    (record,) = records
    assert not record.youth.has_protected_identity
    assert record.contact_details is not None
    assert record.contact_details.address is not None
    assert record.contact_details.address.street == "Hemliga gatan 7"
    assert not [n for n in summary.notices if n.youth]


@pytest.mark.parametrize(
    "heading",
    [
        pytest.param("Skyddad folkbokföring", id="the statutory term as a heading"),
        pytest.param("SKYDDAD_FOLKBOKFORING", id="the statutory term in capitals, no diacritics"),
        pytest.param("Sekretess", id="sekretess"),
        pytest.param("Personuppgiftsspärr", id="a spärr"),
        pytest.param("Sparrmarkering", id="a spärr without diacritics"),
        pytest.param("Skyddad\u200bidentitet", id="a zero-width space inside the heading"),
        pytest.param("Protected identity", id="an English heading"),
        pytest.param("Secret address", id="secret in English"),
        pytest.param("securityMarking", id="the SS12000 field name"),
    ],
)
def test_an_unmapped_column_naming_protection_refuses_the_file(
    tmp_path: Path, heading: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        read(
            tmp_path,
            [[*ist_row(A, **ADDRESSED), "Ja"]],
            head=[*IST_HEAD, heading],
        )
    error = info.value
    assert error.column == heading
    assert error.line == 1
    assert repr(heading) in error.message
    assert "protected identity or secrecy" in error.message
    assert "[columns] protected in a mapping file" in error.message


def test_two_unmapped_protection_columns_are_named_in_one_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="the columns 'Sekretess', 'Spärr' name"):
        read(tmp_path, [[*ist_row(A), "", ""]], head=[*IST_HEAD, "Sekretess", "Spärr"])


def test_a_mapped_protection_column_is_read_with_the_profiles_own(tmp_path: Path) -> None:
    mapping = '[columns]\nprotected = ["Skyddad identitet", "Skyddad folkbokföring"]\n'
    records, summary = read(
        tmp_path,
        [
            [*ist_row(A, **ADDRESSED), "Ja"],
            [*ist_row(B, Skyddad_identitet="Ja", **ADDRESSED), ""],
            [*ist_row(C, **ADDRESSED), "Nej"],
        ],
        head=[*IST_HEAD, "Skyddad folkbokföring"],
        mapping=mapping,
    )
    first, second, third = records
    _assert_no_address(first)
    _assert_no_address(second)
    assert third.contact_details is not None
    assert third.contact_details.address is not None
    assert "Skyddad folkbokföring" not in " ".join(n.message for n in summary.notices)


@pytest.mark.parametrize(
    ("skyddad", "sekretess", "protected"),
    [
        pytest.param("Ja", "", True, id="the first protection column says so"),
        pytest.param("", "Sekretessmarkering", True, id="the second protection column says so"),
        pytest.param("Nej", "Ingen", False, id="neither protection column says so"),
    ],
)
def test_every_protection_column_the_profile_lists_is_read(
    tmp_path: Path, skyddad: str, sekretess: str, protected: bool
) -> None:
    records, _ = read(
        tmp_path,
        [[*ist_row(A, Skyddad_identitet=skyddad, **ADDRESSED), sekretess]],
        head=[*IST_HEAD, "Sekretessmarkering"],
    )
    (record,) = records
    assert record.youth.has_protected_identity is protected
    assert record.contact_details is not None
    assert (record.contact_details.address is None) is protected


@pytest.mark.parametrize(
    ("basis", "protected", "notice"),
    [
        pytest.param("Skyddad folkbokföring", True, False, id="the home basis label"),
        pytest.param("PROTECTED", True, False, id="the library's value in capitals"),
        pytest.param("Skyddad identitet", True, True, id="an unknown basis naming protection"),
        pytest.param("Sekretessmarkerad", True, True, id="an unknown basis naming secrecy"),
        pytest.param("Folkbokförd i kommunen", False, False, id="folkbokförd"),
    ],
)
def test_a_home_basis_naming_protection_is_protected(
    tmp_path: Path, basis: str, protected: bool, notice: bool
) -> None:
    head = _replace_heading("Grund", "Skyddad identitet")
    records, summary = read(
        tmp_path,
        [[*ist_row(A, **ADDRESSED)[:7], basis, *ist_row(A)[8:]]],
        head=head,
        mapping='[columns]\nhome_basis = "Grund"\n',
    )
    (record,) = records
    assert record.youth.has_protected_identity is protected
    assert record.contact_details is not None
    assert (record.contact_details.address is None) is protected
    unknown = [n for n in summary.notices if "not a known word" in n.message]
    assert bool(unknown) is notice
    if notice:
        assert "[values.home_basis]" in unknown[0].message


def test_an_unknown_home_basis_not_naming_protection_is_still_a_problem(tmp_path: Path) -> None:
    records, summary = read(
        tmp_path,
        [[*ist_row(A)[:7], "Okänt", *ist_row(A)[8:]]],
        head=_replace_heading("Grund"),
        mapping='[columns]\nhome_basis = "Grund"\n',
    )
    assert records == []
    (problem,) = summary.problems
    assert "is not a known value for basis of the home municipality" in problem.message


# Workbooks (issue 15): python-calamine when installed, openpyxl otherwise, .xls and .ods too;
# the same rows, sheet, row numbers and problems either way.

WORKBOOKS = Path(__file__).parent / "workbooks"
"""``ist-export.xls`` and ``ist-export.ods``: :func:`ist_workbook` saved as .xlsx and
converted by LibreOffice (see ``workbooks/README.md``)."""


def ist_workbook() -> Any:
    """An IST list export as a workbook, with what real ones have: a title above the
    headings, numbers and dates as Excel values, a bad date, a repeated heading row, a row
    that starts right of column A, a second sheet."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "KAA"
    sheet.append(["Målgruppslista KAA", "", "", "", "", "", "", "", "", "", "", "", "Askersund"])
    sheet.append([])
    sheet.append(IST_HEAD)
    done = dt.datetime(2024, 6, 12)
    base = ist_row(A)
    sheet.append([int(A), *base[1:6], 1882, "", done, *base[9:]])
    gy = ist_row(A, Skolform="GY", Programtyp="NP", Avbrott="x")
    sheet.append(
        [
            int(A),
            *gy[1:6],
            1882,
            False,
            done,
            "GY",
            "NP",
            dt.datetime(2024, 8, 19),
            dt.datetime(2025, 2, 14),
            True,
            *gy[14:],
        ]
    )
    sheet.append(ist_row(B, Grundskola_avslutad="13/13"))
    sheet.append(IST_HEAD)
    sheet.append(ist_row(C, Folkbokföringskommun="999"))
    sheet.append([])
    sheet.append(ist_row(NUMBERS[3], Registreringsdatum="2026-09-01", Orsak_till_registrering="IM"))
    other = book.create_sheet("Övrigt")
    other["B2"] = "Personnummer"
    other["C2"] = "Folkbokföringskommun"
    other["D2"] = "Grundskola avslutad"
    other["B4"] = A
    other["C4"] = "1882"
    other["D4"] = done
    return book


def _read_workbook(
    path: Path, engine: str, mapping: Path | None = None
) -> tuple[list[object], list[tuple[object, ...]]]:
    """Records and problems and notices of ``path`` read by the ``ist`` source with
    ``engine``, the file name left out (so two files can be compared)."""
    source = attrs.evolve(get_source("ist"), engine=engine)
    summary = SourceSummary(file=str(path))
    records = list(
        source.read(path, summary=summary, reference_day=DAY, on_problem=None, mapping=mapping)
    )
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    sheet = summary.problems[0].file.split("[")[-1] if summary.problems else None
    found = [
        (
            kind,
            p.file.split("[")[-1],
            p.line,
            p.column,
            p.youth,
            p.message.replace(str(path), "FILE"),
        )
        for kind, items in (("problem", summary.problems), ("notice", summary.notices))
        for p in items
    ]
    assert sheet is None or all(f[1] == sheet for f in found)
    shown = [
        (r.youth, r.contact_details, r.case, r.origin.file.split("[")[-1], r.origin.lines)
        for r in records
    ]
    return shown, found


def test_both_workbook_readers_give_the_same_rows_and_problems(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "export.xlsx"
    ist_workbook().save(path)
    records, problems = _read_workbook(path, "openpyxl")
    assert (records, problems) == _read_workbook(path, "calamine")
    assert (records, problems) == _read_workbook(path, "auto")
    assert len(records) == 2
    assert [(p[0], p[2], p[3]) for p in problems] == [
        ("problem", 6, "Grundskola avslutad"),
        ("problem", 8, "Folkbokföringskommun"),
        ("notice", 1, None),
        ("notice", 7, None),
    ]
    assert all(p[1] == "KAA]" for p in problems)
    assert records[0][4] == (4, 5)
    enrolment = records[0][0].enrolments[0]
    assert (enrolment.start, enrolment.cancelled) == (dt.date(2024, 8, 19), True)


def test_both_workbook_readers_read_the_sheet_a_mapping_names(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "export.xlsx"
    ist_workbook().save(path)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[file]\nsheet = "Övrigt"\n', encoding="utf-8")
    records, problems = _read_workbook(path, "openpyxl", mapping)
    assert (records, problems) == _read_workbook(path, "calamine", mapping)
    assert records[0][3:] == ("Övrigt]", (4,))
    missing = tmp_path / "missing.toml"
    missing.write_text('[file]\nsheet = "Blad9"\n', encoding="utf-8")
    messages = set()
    for engine in ("openpyxl", "calamine"):
        with pytest.raises(InvalidInput, match="has no sheet 'Blad9'; it has: KAA, Övrigt") as e:
            _read_workbook(path, engine, missing)
        messages.add(str(e.value))
    assert len(messages) == 1


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param({"A1": "x"}, id="one cell"),
        pytest.param({"C5": "Personnummer", "D7": 7}, id="the used area starting at C5"),
        pytest.param({"B1": "Personnummer", "A3": "late"}, id="a later row further left"),
        pytest.param({}, id="an empty sheet"),
        pytest.param(
            {
                "A1": dt.datetime(2024, 6, 12, 13, 5),
                "B1": 0.1,
                "C1": 1e20,
                "D1": dt.time(8, 30),
                "E1": True,
                "F1": "  text  ",
                "G1": 200808122394,
            },
            id="every kind of value",
        ),
    ],
)
def test_both_workbook_readers_give_the_same_cells(
    tmp_path: Path, layout: dict[str, object]
) -> None:
    pytest.importorskip("python_calamine")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for cell, value in layout.items():
        book.active[cell] = value
    path = tmp_path / "cells.xlsx"
    book.save(path)

    def rows(engine: str) -> list[tuple[int, list[str]]]:
        table = open_export(path, engine=engine)
        found = []
        for line, cells in table.rows:
            assert isinstance(cells, list)
            while cells and not cells[-1]:
                cells = cells[:-1]
            found.append((line, cells))
        return found

    assert rows("openpyxl") == rows("calamine")


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_xls_and_ods_are_read_as_the_xlsx_they_were_made_from(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "export.xlsx"
    ist_workbook().save(path)
    expected = _read_workbook(path, "openpyxl")
    assert _read_workbook(WORKBOOKS / f"ist-export{suffix}", "auto") == expected


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_openpyxl_cannot_read_xls_or_ods_and_says_what_can(suffix: str) -> None:
    with pytest.raises(InvalidInput, match=f"openpyxl cannot read \\{suffix} files"):
        _read_workbook(WORKBOOKS / f"ist-export{suffix}", "openpyxl")


def test_an_unknown_workbook_reader_is_refused() -> None:
    with pytest.raises(ValueError, match="engine"):
        attrs.evolve(get_source("ist"), engine="xlrd")
    with pytest.raises(InvalidInput, match="unknown workbook reader 'xlrd'"):
        open_export(WORKBOOKS / "ist-export.ods", engine="xlrd")


@pytest.mark.parametrize(
    ("engine", "suffix"),
    [("calamine", ".xlsx"), ("calamine", ".xls"), ("calamine", ".ods"), ("openpyxl", ".xlsx")],
)
def test_a_damaged_workbook_is_refused_as_not_readable(
    tmp_path: Path, suffix: str, engine: str
) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / f"export{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InvalidInput, match=f"not a readable \\{suffix} workbook"):
        open_export(path, engine=engine)


def test_a_cell_far_from_the_others_is_read_by_openpyxl_not_the_end_of_the_process(
    tmp_path: Path,
) -> None:
    # python-calamine would hold the whole area A1:XFD1048576 in memory: its child process
    # stops, the library's goes on, and openpyxl (which streams) reads the sheet
    pytest.importorskip("python_calamine")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active["A1"] = "a"
    book.active["XFD1048576"] = "far"
    path = tmp_path / "far.xlsx"
    book.save(path)
    with pytest.raises(InvalidInput, match="the reader stopped"):
        open_export(path, engine="calamine")
    rows = [(line, getattr(cells, "message", cells)) for line, cells in open_export(path).rows]
    assert rows[0] == (1, ["a"])
    assert rows[1][0] == 1_048_576
    assert "at most 1,024 columns are read" in str(rows[1][1])


def test_a_compression_bomb_is_refused_by_either_reader(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "bomb.xlsx"
    ist_workbook().save(path)
    small = WorkbookLimits(total=2_000)
    messages = set()
    for engine in ("openpyxl", "calamine"):
        with pytest.raises(InvalidInput, match="the workbook is not read: it unpacks to") as e:
            open_export(path, engine=engine, limits=small)
        messages.add(str(e.value))
    assert len(messages) == 1
    with pytest.raises(InvalidInput, match="the workbook is not read: it unpacks to"):
        open_export(WORKBOOKS / "ist-export.ods", limits=small)
    with pytest.raises(InvalidInput, match="the workbook is not read: it is"):
        open_export(WORKBOOKS / "ist-export.xls", limits=small)


def test_a_wide_or_long_row_is_reported_the_same_by_either_reader(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append(["c", *[""] * 8, "far"])
    book.active.append(["x" * 20])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    limits = WorkbookLimits(columns=5)

    def rows(engine: str) -> list[tuple[int, object]]:
        return [
            (line, cells.message if isinstance(cells, MalformedRow) else cells)
            for line, cells in open_export(path, engine=engine, limits=limits).rows
        ]

    found = rows("openpyxl")
    assert found == rows("calamine")
    assert found[1] == (
        2,
        "the row has a value in column 10; at most 5 columns are read, so the row is not read",
    )
