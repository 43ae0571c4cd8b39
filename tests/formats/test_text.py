"""Real-world file handling: encodings, separators, dates, identity numbers, rows."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.text import (
    DATE_FORMATS,
    MalformedRow,
    csv_rows,
    detect_encoding,
    open_table,
    parse_date,
    parse_identity,
    sniff_delimiter,
    sniff_separator,
)

D = dt.date
DAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(codecs.BOM_UTF8 + "Förnamn".encode(), "utf-8-sig", id="a UTF-8 BOM is UTF-8"),
        pytest.param("Förnamn".encode(), "utf-8", id="UTF-8 without a BOM is UTF-8"),
        pytest.param("Förnamn".encode("utf-16"), "utf-16", id="Excel's Unicode text is UTF-16"),
        pytest.param("Förnamn;Åsa".encode("cp1252"), "cp1252", id="Swedish letters in cp1252"),
        pytest.param(
            "Förnamn – Åsa".encode("cp1252"), "cp1252", id="a cp1252 dash is Windows-1252"
        ),
        pytest.param(b"F\xf6rnamn\x81", "latin-1", id="a byte cp1252 leaves undefined is Latin-1"),
        pytest.param(b"id;namn", "utf-8", id="plain ASCII reads as UTF-8"),
    ],
)
def test_encodings_are_detected(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("Personnummer;Namn;Kommun", ";", id="Excel with Swedish settings uses ;"),
        pytest.param("Personnummer,Namn,Kommun", ",", id="a comma-separated export"),
        pytest.param("Personnummer\tNamn\tKommun", "\t", id="a tab-separated export"),
        pytest.param('"Namn, efternamn";Kommun', ";", id="a comma inside quotes is not counted"),
        pytest.param("Personnummer", ";", id="a one-column file"),
    ],
)
def test_separators_are_sniffed_from_the_heading_row(line: str, expected: str) -> None:
    assert sniff_delimiter(line) == expected


@pytest.mark.parametrize(
    ("text", "formats", "expected"),
    [
        pytest.param("2024-06-12", ("iso",), D(2024, 6, 12), id="ISO dates are read"),
        pytest.param("2024-06-12 00:00:00", ("iso",), D(2024, 6, 12), id="an ISO timestamp"),
        pytest.param("20240612", ("compact",), D(2024, 6, 12), id="a compact date"),
        pytest.param("2024/06/12", ("slash",), D(2024, 6, 12), id="a year-first slash date"),
        pytest.param("2024.6.12", ("dotted",), D(2024, 6, 12), id="a year-first dotted date"),
        pytest.param("45455", ("excel",), D(2024, 6, 12), id="an Excel serial day number"),
        pytest.param("45455.0", ("excel",), D(2024, 6, 12), id="an Excel serial with .0"),
        pytest.param("12/6 2024", ("%d/%m %Y",), D(2024, 6, 12), id="a pattern a mapping adds"),
    ],
)
def test_unambiguous_dates_are_read(text: str, formats: tuple[str, ...], expected: D) -> None:
    assert parse_date(text, formats) == expected


@pytest.mark.parametrize(
    ("text", "formats"),
    [
        pytest.param("12/06/2024", ("iso", "compact", "slash", "excel"), id="day-first is refused"),
        pytest.param("2024-02-30", ("iso",), id="a day the month lacks is refused"),
        pytest.param("20241301", ("compact",), id="month 13 is refused"),
        pytest.param("999", ("excel",), id="a small number is not an Excel date"),
        pytest.param("igår", ("iso", "compact"), id="words are refused"),
        pytest.param("2024-06-1299 x", ("iso",), id="trailing digits after a date are refused"),
        pytest.param("2024-06-12 garbage", ("iso",), id="trailing text after a date is refused"),
        pytest.param("2024-06-12x", DATE_FORMATS, id="a letter after a date is refused"),
        pytest.param("2024-06-12T99:00", ("iso",), id="a time that does not exist is refused"),
    ],
)
def test_ambiguous_or_wrong_dates_are_refused(text: str, formats: tuple[str, ...]) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, formats)


NUMBER = "200808122394"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("200808122394", id="12 digits"),
        pytest.param("20080812-2394", id="12 digits with a dash"),
        pytest.param("080812-2394", id="10 digits with a dash"),
        pytest.param("0808122394", id="10 digits"),
        pytest.param("20080812 2394", id="a space as separator"),
        pytest.param("080812 2394", id="a short form with a space"),
        pytest.param("200808122394.0", id="a spreadsheet number with .0"),
        pytest.param("808122394", id="a 10-digit number that lost its leading zero"),
        pytest.param("  200808122394 ", id="surrounding spaces"),
    ],
)
def test_identity_numbers_in_every_form(text: str) -> None:
    assert parse_identity(text, on=DAY).full("long") == NUMBER


def test_a_number_in_scientific_notation_has_lost_digits() -> None:
    with pytest.raises(InvalidIdentityNumber, match="scientific notation"):
        parse_identity("2,00808E+11", on=DAY)


def test_a_bad_number_never_shows_its_last_four() -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_identity("20080812-2395", on=DAY)
    assert "2395" not in str(info.value)


def _rows(path: Path, **kwargs: str) -> list[tuple[int, list[str]]]:
    return list(open_table(path, **kwargs).rows)


def test_quoted_fields_blank_rows_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes('a;b\r\n"x;1";"två"\r\n\r\n;;\r\nz;"sa ""hej"""\r\n'.encode("cp1252"))
    rows = _rows(path)
    assert rows == [
        (1, ["a", "b"]),
        (2, ["x;1", "två"]),
        (5, ["z", 'sa "hej"']),
    ]


def test_a_line_break_inside_a_quoted_cell_is_a_malformed_row_and_the_next_line_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes('a;b\r\n"x;1";"två\r\nrader";\r\nz;3\r\n'.encode("cp1252"))
    rows = _rows(path)
    assert rows[0] == (1, ["a", "b"])
    assert isinstance(rows[1][1], MalformedRow)
    assert rows[1][0] == 2
    assert rows[2:] == [(3, ['rader"', ""]), (4, ["z", "3"])]


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        pytest.param('h;i\n"a;b\nc;d\ne;f\n', [2], id="a stray quote swallows nothing"),
        pytest.param('h;i\na;"b"x\nc;d\n', [2], id="text after a closing quote"),
        pytest.param('h;i\n"a;b\n"c;d\ne;f\n', [2, 3], id="two stray quotes, two faults"),
        pytest.param('h;i\na;"b;c"\nd;e\n', [], id="a separator inside quotes is fine"),
        pytest.param('h;i\n"a\n', [2], id="a quote open at the end of the file"),
    ],
)
def test_csv_rows_report_each_malformed_line_and_read_every_other(
    text: str, faults: list[int]
) -> None:
    rows = list(csv_rows(text.splitlines(keepends=True), ";"))
    assert [line for line, row in rows if isinstance(row, MalformedRow)] == faults
    assert [line for line, _ in rows] == list(range(1, text.count("\n") + 1))


def test_a_late_byte_that_does_not_decode_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"a;b\n" + b"x;y\n" * 10 + b"\xff\xfe;z\n")
    with pytest.raises(InvalidInput, match="set the encoding"):
        _rows(path, encoding="utf-8")


def test_an_explicit_encoding_wins_over_detection(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Namn\nÅsa\n".encode("cp1252"))
    assert _rows(path, encoding="latin-1")[1][1] == ["Åsa"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"encoding": "ebcdic"}, "unknown encoding", id="an unknown encoding"),
        pytest.param({"delimiter": "|"}, "unknown separator", id="an unknown separator"),
    ],
)
def test_bad_settings_are_reported(tmp_path: Path, kwargs: dict[str, str], words: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=words):
        open_table(path, **kwargs)  # type: ignore[arg-type]


def test_old_excel_files_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InvalidInput, match=r"save the export as \.xlsx"):
        open_table(path)


def test_a_workbook_gives_sheet_and_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Målgrupp"
    sheet.append(["Personnummer", "Startdatum", "Antal"])
    sheet.append([200808122394, dt.datetime(2024, 8, 19), 2.0])
    sheet.append([None, None, None])
    sheet.append(["20080812-2394", "2024-08-19", 2.5])
    path = tmp_path / "export.xlsx"
    book.save(path)
    table = open_table(path)
    assert table.name.endswith("export.xlsx[Målgrupp]")
    assert list(table.rows) == [
        (1, ["Personnummer", "Startdatum", "Antal"]),
        (2, ["200808122394", "2024-08-19", "2"]),
        (4, ["20080812-2394", "2024-08-19", "2.5"]),
    ]


def test_a_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(InvalidInput, match="has no sheet 'KAA'; it has: Sheet"):
        open_table(path, sheet="KAA")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["KAA-register, Askersund", "a;b;c", "1;2;3", "4;5;6"],
            ";",
            id="a title row with a comma does not decide",
        ),
        pytest.param(
            ["Export 2026; KAA", "a,b,c", "1,2,3"],
            ",",
            id="a title row with a semicolon does not decide",
        ),
        pytest.param(["a\tb", "1\t2"], "\t", id="tabs"),
        pytest.param(
            ["a;b,c", "1;2,5"],
            ";",
            id="a decimal comma in every row: the most cells per line decide a tie",
        ),
        pytest.param(["only"], ";", id="one column"),
    ],
)
def test_the_separator_is_the_one_that_splits_most_lines_alike(
    lines: list[str], expected: str
) -> None:
    assert sniff_separator(lines) == expected


def test_a_title_row_with_a_comma_in_a_semicolon_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("KAA-register, Askersund kommun\r\na;b;c\r\n1;2;3\r\n", encoding="utf-8")
    table = open_table(path)
    assert table.delimiter == ";"
    assert list(table.rows)[1:] == [(2, ["a", "b", "c"]), (3, ["1", "2", "3"])]
