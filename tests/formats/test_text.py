"""Real-world file handling: encodings, separators, dates, identity numbers, rows."""

from __future__ import annotations

import codecs
import datetime as dt
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.text import (
    DATE_FORMATS,
    ENCODINGS,
    MAX_CELL,
    XLSX_LIMITS,
    MalformedRow,
    WorkbookLimits,
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


# --- Encodings decided on the whole file (issue 11) -------------------------------------

_MB_OF_ASCII = (b"x" * 98 + b";y\r\n") * (2**20 // 102 + 1)
"""More than the first block the reader looks at, all ASCII."""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("Förnamn;Ort\nÅsa;Västerås\n".encode("cp850"), "cp850", id="a DOS export"),
        pytest.param("Namn\nÅke\n".encode("cp850"), "cp850", id="cp850's Å alone tells cp850"),
        pytest.param(b"Namn\nM\x81ller\n", "cp850", id="cp850's ü between letters tells cp850"),
        pytest.param(b"Namn\nG\x8dna\n", "cp850", id="a byte cp1252 leaves undefined, no letters"),
        pytest.param(
            "Förnamn;Not\nÅsa;”ring”\n".encode("cp1252"),
            "cp1252",
            id="a ” beside Windows-1252 letters is punctuation",
        ),
        pytest.param("Namn\nA – B\n".encode("cp1252"), "cp1252", id="only a dash is cp1252"),
        pytest.param(
            _MB_OF_ASCII + "Åsa;Öberg\r\n".encode("cp1252"),
            "cp1252",
            id="ASCII for a megabyte, then Windows-1252, is Windows-1252",
        ),
        pytest.param(
            _MB_OF_ASCII + "Åsa;Öberg\r\n".encode("cp850"),
            "cp850",
            id="ASCII for a megabyte, then cp850, is cp850",
        ),
        pytest.param(
            _MB_OF_ASCII + "Åsa;Öberg\r\n".encode(),
            "utf-8",
            id="ASCII for a megabyte, then UTF-8, is UTF-8",
        ),
    ],
)
def test_the_encoding_is_decided_on_the_whole_file(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    assert detect_encoding(data) == expected
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    table = open_table(path)
    assert table.encoding == expected
    rows = list(table.rows)
    assert rows[-1][1] == data.decode(expected).splitlines()[-1].split(";")


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        pytest.param(
            "Förnamn;Ort\r\n".encode("cp1252") + "Åsa;Västerås\r\n".encode(),
            2,
            "line 2 is UTF-8, but line 1 is not",
            id="a Windows-1252 heading above a UTF-8 body",
        ),
        pytest.param(
            "Förnamn;Ort\r\n".encode() + _MB_OF_ASCII + "Åsa;Västerås\r\n".encode("cp1252"),
            _MB_OF_ASCII.count(b"\n") + 2,
            "is not UTF-8, but line 1 is",
            id="a UTF-8 heading with Windows-1252 after the first megabyte",
        ),
        pytest.param(
            codecs.BOM_UTF8 + "Förnamn\r\n".encode() + "Åsa\r\n".encode("cp1252"),
            2,
            "line 2 is not UTF-8, but line 1 is",
            id="a UTF-8 byte-order mark above Windows-1252",
        ),
        pytest.param(
            "Förnamn;Ort\r\n".encode("cp1252") + "Åsa;Göteborg\r\n".encode("cp850"),
            2,
            "line 2 has letters as DOS (cp850) writes them, line 1 as Windows-1252",
            id="Windows-1252 letters above cp850 letters",
        ),
        pytest.param(
            "Förnamn;Ort\r\n".encode("cp850") + _MB_OF_ASCII + "Åsa;Öberg\r\n".encode("cp1252"),
            _MB_OF_ASCII.count(b"\n") + 2,
            "as Windows-1252 writes them, line 1 as DOS (cp850)",
            id="cp850 letters, then Windows-1252 after the first megabyte",
        ),
        pytest.param(
            "Namn;Kommun\r\nAnna;Malmö\r\n".encode("cp850"),
            2,
            "no letter in the file tells its encoding",
            id="a byte that is a cp850 letter or Windows-1252 punctuation, and nothing else",
        ),
    ],
)
def test_a_file_not_consistently_one_encoding_is_refused_naming_the_line(
    tmp_path: Path, data: bytes, line: int, words: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        open_table(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert words in caught.value.message
    assert '[file] encoding = "cp1252", "cp850" or "utf-8"' in caught.value.message


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param("Namn;Kommun\r\nAnna;Malmö\r\n", "cp850", id="cp850 detection can't tell"),
        pytest.param("Namn;Not\r\nAnna;”ring”\r\n", "cp1252", id="cp1252 detection can't tell"),
        pytest.param("Förnamn\r\nÅsa\r\n", "cp850", id="cp850 set explicitly"),
    ],
)
def test_an_encoding_that_is_set_reads_what_detection_refuses(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    table = open_table(path, encoding=encoding)
    assert table.encoding == encoding
    assert [row for _, row in table.rows] == [line.split(";") for line in text.splitlines()]


# --- Workbook limits: compression bombs, shared strings, cells, rows, columns (issue 11) --

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_HEAD_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Namn</t></is></c>' + (
    '<c r="B1" t="inlineStr"><is><t>Ort</t></is></c></row>'
)
_DATA_ROW = '<row r="2"><c r="A2" t="inlineStr"><is><t>Åsa</t></is></c>' + (
    '<c r="B2" t="s"><v>0</v></c></row>'
)
_READ = [(1, ["Namn", "Ort"]), (2, ["Åsa", "Askersund"])]
SMALL = WorkbookLimits(
    total=400_000, shared_strings=100_000, other_xml=100_000, ratio_from=100_000, ratio=100
)
"""Limits small enough to test both sides of with small files."""


def _noise(size: int) -> bytes:
    """``size`` letters that pack about as well as real text (not a bomb)."""
    return bytes(random.Random(size).choices(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", k=size))


def _workbook(
    path: Path,
    rows: str = _HEAD_ROW + _DATA_ROW,
    *,
    dimension: str = "A1:B2",
    cell: str = "Askersund",
    pads: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A workbook made by hand: the parts of openpyxl's empty workbook, with this sheet, one
    shared string (``cell``), ``pads`` before the named parts and ``extra`` parts."""
    openpyxl = pytest.importorskip("openpyxl")
    base = path.with_name("base.xlsx")
    openpyxl.Workbook().save(base)
    with zipfile.ZipFile(base) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED}"/></Types>'.encode(),
    )
    parts["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>{rows}'
        "</sheetData></worksheet>"
    ).encode()
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}"><si><t>{cell}</t></si></sst>'.encode()
    for name, pad in (pads or {}).items():
        parts[name] = b"<!--" + pad + b"-->" + parts[name]
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("pads", "extra", "words"),
    [
        pytest.param({}, {"xl/media/a.bin": _noise(300_000)}, None, id="under the total: read"),
        pytest.param(
            {}, {"xl/media/a.bin": _noise(420_000)}, "more than the 0.4 MiB", id="over the total"
        ),
        pytest.param(
            {"xl/sharedStrings.xml": _noise(90_000)}, {}, None, id="shared strings under: read"
        ),
        pytest.param(
            {"xl/sharedStrings.xml": _noise(110_000)},
            {},
            "its shared strings (xl/sharedStrings.xml) unpack to",
            id="shared strings over their limit",
        ),
        pytest.param({"xl/styles.xml": _noise(90_000)}, {}, None, id="styles under: read"),
        pytest.param(
            {"xl/styles.xml": _noise(110_000)},
            {},
            "its part xl/styles.xml unpacks to",
            id="styles over the limit for other parts",
        ),
        pytest.param(
            {"xl/worksheets/sheet1.xml": _noise(150_000)},
            {},
            None,
            id="a sheet is not held to the limit for other parts",
        ),
        pytest.param(
            {}, {"xl/media/a.bin": bytes(200_000)}, "a compression bomb", id="a hundredfold bomb"
        ),
        pytest.param(
            {}, {"xl/media/a.bin": bytes(90_000)}, None, id="a small part may pack any amount"
        ),
        pytest.param(
            {"xl/worksheets/sheet1.xml": b"x" * 200_000},
            {},
            "more than 100 times its packed size",
            id="a sheet that packs a hundredfold",
        ),
    ],
)
def test_a_workbook_is_held_to_its_limits_before_it_is_opened(
    tmp_path: Path, pads: dict[str, bytes], extra: dict[str, bytes], words: str | None
) -> None:
    path = _workbook(tmp_path / "export.xlsx", pads=pads, extra=extra)
    if words is None:
        assert list(open_table(path, limits=SMALL).rows) == _READ
        return
    with pytest.raises(InvalidInput) as caught:
        open_table(path, limits=SMALL)
    assert caught.value.file == str(path)
    assert words in caught.value.message
    assert "the workbook is not read" in caught.value.message


def test_a_real_compression_bomb_is_refused_with_the_default_limits(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bomb.xlsx", pads={"xl/worksheets/sheet1.xml": b"x" * (8 << 20)})
    assert path.stat().st_size < 100_000
    assert XLSX_LIMITS.total == 200 * 2**20
    with pytest.raises(InvalidInput, match="a compression bomb"):
        open_table(path)


@pytest.mark.parametrize(
    ("length", "rejected"),
    [
        pytest.param(MAX_CELL, False, id="a cell of 131,072 characters is read"),
        pytest.param(MAX_CELL + 1, True, id="a cell of 131,073 characters rejects its row"),
    ],
)
def test_a_cell_over_the_limit_is_a_problem_for_its_row(
    tmp_path: Path, length: int, rejected: bool
) -> None:
    after = '<row r="3"><c r="A3" t="inlineStr"><is><t>Bo</t></is></c></row>'
    path = _workbook(tmp_path / "export.xlsx", _HEAD_ROW + _DATA_ROW + after, cell="x" * length)
    rows = list(open_table(path).rows)
    assert [line for line, _ in rows] == [1, 2, 3]
    assert rows[2] == (3, ["Bo"])
    if rejected:
        assert rows[1] == (
            2,
            MalformedRow(
                "the cell in column 2 is longer than 131,072 characters; the row is not read"
            ),
        )
    else:
        assert rows[1] == (2, ["Åsa", "x" * length])


def _row(number: int, column: str = "A", value: str = "Bo") -> str:
    cell = f'<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<row r="{number}">{cell}</row>'


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(_row(1) + _row(5), [(1, ["Bo"]), (5, ["Bo"])], id="five rows are read"),
        pytest.param(_row(1) + _row(6), "more than 5 rows", id="a sixth row stops the read"),
        pytest.param(
            _row(1) + _row(10**12), "more than 5 rows", id="a row numbered 10^12 stops at the limit"
        ),
        pytest.param(_row(1, "D"), [(1, ["", "", "", "Bo"])], id="four columns are read"),
        pytest.param(
            _row(1, "E") + _row(2),
            [
                (
                    1,
                    MalformedRow(
                        "the row has a value in column 5; at most 4 columns are read, so the "
                        "row is not read"
                    ),
                ),
                (2, ["Bo"]),
            ],
            id="a value in a fifth column rejects its row",
        ),
        pytest.param(
            _row(1).replace("</row>", '<c r="Z1" s="0"/></row>'),
            [(1, ["Bo", "", "", ""])],
            id="empty cells beyond the columns read are ignored",
        ),
    ],
)
def test_a_sheet_is_held_to_its_rows_and_columns(
    tmp_path: Path, rows: str, expected: list[tuple[int, list[str] | MalformedRow]] | str
) -> None:
    limits = WorkbookLimits(rows=5, columns=4)
    path = _workbook(tmp_path / "export.xlsx", rows)
    table = open_table(path, limits=limits)
    if isinstance(expected, str):
        with pytest.raises(InvalidInput, match=expected) as caught:
            list(table.rows)
        assert caught.value.line == 6
    else:
        assert list(table.rows) == expected


def test_a_sheet_that_claims_every_cell_of_excel_is_read_as_the_rows_it_has(
    tmp_path: Path,
) -> None:
    path = _workbook(tmp_path / "export.xlsx", dimension="A1:XFD1048576")
    assert list(open_table(path).rows) == _READ


# --- Properties: a realistic export reads back exactly, a mixed one is refused ---------

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZåäöÅÄÖé"
_TELLING = ["Förnamn", "Västerås", "Åsa", "Göteborg", "Malmö Åkesson"]
"""Words that tell a cp850 file (an Å, or a letter inside a word) and any non-ASCII file."""


@st.composite
def _export_lines(draw: st.DrawFn, punctuation: bool) -> list[str]:
    """Lines of an export: cells of words, digits and (where the encoding has them) dashes and
    quotes standing apart, as people type them; the first line names a telling word."""
    digits = st.text(alphabet="0123456789", min_size=1, max_size=8)
    word = st.text(alphabet=_LETTERS, min_size=1, max_size=8) | digits
    token = word | st.sampled_from(["–", "”", "„", "€", "…"]) if punctuation else word
    cell = st.lists(token, max_size=4).map(" ".join)
    line = st.lists(cell, min_size=1, max_size=5).map(";".join)
    return [draw(st.sampled_from(_TELLING)) + ";Ort", *draw(st.lists(line, max_size=8))]


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(["utf-8", "cp1252", "cp850"]))
def test_an_export_in_one_encoding_is_read_back_exactly(data: st.DataObject, encoding: str) -> None:
    lines = data.draw(_export_lines(punctuation=encoding == "cp1252"))
    text = "\r\n".join(lines) + "\r\n"
    raw = text.encode(encoding)
    assert raw.decode(detect_encoding(raw)) == text


@settings(max_examples=150, deadline=None)
@given(
    st.data(),
    st.permutations(["utf-8", "cp1252", "cp850"]).map(lambda order: (order[0], order[1])),
)
def test_an_export_in_two_encodings_is_refused_at_a_line_of_the_second(
    data: st.DataObject, encodings: tuple[str, str]
) -> None:
    first, second = encodings
    head = data.draw(_export_lines(punctuation=first == "cp1252"))
    body = data.draw(_export_lines(punctuation=second == "cp1252"))
    raw = ("\r\n".join(head) + "\r\n").encode(first) + ("\r\n".join(body) + "\r\n").encode(second)
    with pytest.raises(InvalidInput) as caught:
        detect_encoding(raw)
    assert caught.value.line is not None
    assert len(head) < caught.value.line <= len(head) + len(body)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_get_an_encoding_that_decodes_them_or_a_clear_refusal(raw: bytes) -> None:
    refused: InvalidInput | None = None
    try:
        encoding = detect_encoding(raw)
    except InvalidInput as exc:
        refused = exc
    if refused is not None:
        assert refused.line is not None
        assert "set the encoding" in refused.message
        return
    assert encoding in ENCODINGS
    if encoding != "utf-16":  # a byte-order mark decides; the rows then report a bad byte
        raw.decode(encoding)
