"""The streaming workbook writer: read back with openpyxl, opened in a real spreadsheet program
(LibreOffice headless), the package checked part by part against Office Open XML's rules, and
hostile values written and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formats.test_workbook import CSV_OUT, soffice_convert
from kaa.errors import OutputError
from kaa.formats.files import atomic_binary
from kaa.formats.xlsx import (
    MAX_COLUMNS,
    MAX_TEXT,
    Cell,
    Value,
    XlsxWriter,
    clean_text,
    column_letter,
)

D = dt.date
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RED, YELLOW = "FFC7CE", "FFEB9C"

WORKSHEET_ORDER = [
    *("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData"),
    *("sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter"),
    *("sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr"),
    *("conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins"),
    *("pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches"),
    *("ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture"),
    *("oleObjects", "controls", "webPublishItems", "tableParts", "extLst"),
]
"""The children of ``<worksheet>`` in the order ECMA-376 Part 1 (§18.3.1.99, CT_Worksheet)
requires."""

_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str | None) -> str | None:
    """Undo OOXML's ``_xHHHH_`` escape, as Excel and LibreOffice do when they read a string
    (openpyxl leaves it as written in inline strings and comments)."""
    if text is None:
        return None
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def as_openpyxl_reads_shared(text: str) -> str:
    """What openpyxl reads from a shared string that holds ``text``: the writer escapes
    OOXML's ``_xHHHH_`` (``_x005F_``), and openpyxl's shared-strings reader undoes only that
    escape, by deleting every ``x005F_`` (lossy where the text itself holds one)."""
    return re.sub(r"_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", text).replace("x005F_", "")


def write(path: Path, sheets: dict[str, Sequence[Sequence[Value | Cell]]], **options: Any) -> Path:
    """Write ``sheets`` (name → rows) into the workbook ``path``; returns ``path``."""
    with atomic_binary(path) as handle, XlsxWriter(handle, **options) as book:
        for name, rows in sheets.items():
            with book.sheet(name) as sheet:
                for row in rows:
                    sheet.append(row)
    return path


# -- what openpyxl reads back ----------------------------------------------------------------


def test_values_styles_widths_panes_and_comments_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with atomic_binary(path) as handle, XlsxWriter(handle, comment_author="kaa") as book:
        with book.sheet("Första", widths=(16, None, 28), freeze="B2", size=(3, 5)) as sheet:
            sheet.append([Cell("Rubrik", bold=True), Cell("Dag", bold=True)])
            sheet.append(
                [
                    Cell("KAA-E001", fill=RED, comment="fel & <fel>\n(error)"),
                    D(2026, 6, 1),
                    42,
                    1.5,
                    True,
                ]
            )
            sheet.append(["Åsa Öberg", None, Cell(D(2026, 8, 20), fill=YELLOW, comment="w")])
        with book.sheet("Andra") as sheet:
            sheet.append([])
            sheet.append([None, "B2 only"])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Första", "Andra"]
    ws = wb["Första"]
    assert ws.dimensions == "A1:E3"
    assert ws.freeze_panes == "B2"
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["C"].width) == (16, 28)
    assert ws["A1"].value == "Rubrik"
    assert ws["A1"].font.b
    assert not ws["A2"].font.b
    assert ws["A2"].fill.fill_type == "solid"
    assert ws["A2"].fill.fgColor.rgb == "FF" + RED
    assert ws["A2"].comment.text == "fel & <fel>\n(error)"
    assert ws["A2"].comment.author == "kaa"
    assert ws["B2"].value == dt.datetime(2026, 6, 1)
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert [ws["C2"].value, ws["D2"].value, ws["E2"].value] == [42, 1.5, True]
    assert ws["E2"].data_type == "b"
    assert ws["A3"].value == "Åsa Öberg"
    assert ws["B3"].value is None
    assert ws["C3"].value == dt.datetime(2026, 8, 20)
    assert ws["C3"].number_format == "yyyy-mm-dd"
    assert ws["C3"].fill.fgColor.rgb == "FF" + YELLOW
    assert ws["C3"].comment.text == "w"
    other = wb["Andra"]
    assert other.freeze_panes is None
    assert [[c.value for c in row] for row in other.iter_rows()] == [
        [None, None],
        [None, "B2 only"],
    ]


@pytest.mark.parametrize("shared", [False, True], ids=["inline strings", "shared strings"])
def test_inline_and_shared_strings_read_back_the_same(tmp_path: Path, shared: bool) -> None:
    rows: list[list[Value | Cell]] = [["a", "b", "a"], ["", "\x00", Cell("", bold=True)], ["b"]]
    path = write(tmp_path / "a.xlsx", {"S": rows}, shared_strings=shared)
    ws = openpyxl.load_workbook(path)["S"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "b", "a"],
        [None, None, None],  # text that is nothing once cleaned is no cell (a styled one here)
        ["b", None, None],
    ]
    assert ws["C2"].font.b
    names = zipfile.ZipFile(path).namelist()
    assert ("xl/sharedStrings.xml" in names) is shared


@pytest.mark.parametrize(
    ("freeze", "expected"),
    [
        pytest.param("B2", "B2", id="row 1 and column A frozen"),
        pytest.param("A2", "A2", id="row 1 frozen"),
        pytest.param("C1", "C1", id="columns A and B frozen"),
        pytest.param("A1", None, id="A1 freezes nothing"),
    ],
)
def test_frozen_panes(tmp_path: Path, freeze: str, expected: str | None) -> None:
    path = tmp_path / "a.xlsx"
    with (
        atomic_binary(path) as handle,
        XlsxWriter(handle) as book,
        book.sheet("S", freeze=freeze) as sheet,
    ):
        sheet.append(["x"])
    assert openpyxl.load_workbook(path)["S"].freeze_panes == expected


def test_text_is_text_never_a_formula(tmp_path: Path) -> None:
    formulas = ["=1+1", '=HYPERLINK("http://example.invalid","klicka")', "+46", "@SUM(A1)"]
    path = write(tmp_path / "a.xlsx", {"S": [formulas]})
    ws = openpyxl.load_workbook(path)["S"]
    assert [(c.value, c.data_type) for c in ws[1]] == [(f, "s") for f in formulas]
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    assert b"<f " not in sheet


@pytest.mark.parametrize(
    ("day", "serial"),
    [
        pytest.param(D(1900, 3, 1), 61, id="1900-03-01 is serial 61, the first written as a day"),
        pytest.param(D(2026, 6, 1), 46174, id="2026-06-01 is serial 46174"),
        pytest.param(D(9999, 12, 31), 2958465, id="9999-12-31 is Excel's last day"),
    ],
)
def test_days_are_serial_numbers_shown_as_iso_days(
    tmp_path: Path, day: dt.date, serial: int
) -> None:
    path = write(tmp_path / "a.xlsx", {"S": [[day]]})
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert f"<v>{serial}</v>" in sheet
    cell = openpyxl.load_workbook(path)["S"]["A1"]
    assert (cell.value, cell.number_format) == (dt.datetime.combine(day, dt.time()), "yyyy-mm-dd")


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(D(1900, 2, 28), id="1900-02-28, before Excel's phantom 29 February"),
        pytest.param(D(1900, 1, 1), id="1900-01-01, serial 1 in Excel, 1899-12-31 in LibreOffice"),
        pytest.param(D(1, 1, 1), id="year 1, before the 1900 date system"),
    ],
)
def test_a_day_before_1900_03_01_is_written_as_its_text(tmp_path: Path, day: dt.date) -> None:
    path = write(tmp_path / "a.xlsx", {"S": [[day, Cell(day, fill=RED)]]})
    ws = openpyxl.load_workbook(path)["S"]
    assert [(c.value, c.data_type) for c in ws[1]] == [(day.isoformat(), "s")] * 2


@pytest.mark.parametrize(
    ("number", "read"),
    [
        pytest.param(2**53, 2**53, id="2**53 is a number: a double holds it exactly"),
        pytest.param(-(2**53), -(2**53), id="-2**53 is a number"),
        pytest.param(2**53 + 1, str(2**53 + 1), id="2**53 + 1 is the text of its digits"),
        pytest.param(10**400, str(10**400), id="10**400 is the text of its digits"),
        pytest.param(1e308, 1e308, id="1e308 is a number"),
        pytest.param(-0.0, 0.0, id="minus zero is zero"),
        pytest.param(5e-324, 5e-324, id="the smallest double is a number"),
    ],
)
def test_numbers(tmp_path: Path, number: int | float, read: object) -> None:
    path = write(tmp_path / "a.xlsx", {"S": [[number, Cell(number, bold=True)]]})
    assert [c.value for c in openpyxl.load_workbook(path)["S"][1]] == [read, read]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        pytest.param(math.nan, ValueError, id="nan is refused"),
        pytest.param(math.inf, ValueError, id="infinity is refused"),
        pytest.param(dt.datetime(2026, 1, 1, 12), TypeError, id="a datetime is refused"),
        pytest.param(b"bytes", TypeError, id="bytes are refused"),
        pytest.param(Cell("x", fill="red"), ValueError, id="a fill that is no RGB colour"),
    ],
)
def test_values_a_workbook_cannot_hold_are_refused_and_nothing_is_written(
    tmp_path: Path, value: Any, error: type[Exception]
) -> None:
    path = tmp_path / "a.xlsx"
    with pytest.raises(error):
        write(path, {"S": [["before"], [value]]})
    assert list(tmp_path.iterdir()) == []  # no workbook, no temporary file


def test_the_characters_xml_cannot_hold_are_removed_and_line_breaks_kept(tmp_path: Path) -> None:
    hostile = "a\x00b\x1fc\ufffe\uffffd\ud800e\r\nf\rg\th\ni"
    assert clean_text(hostile) == "abcde\nf\ng\th\ni"
    path = write(tmp_path / "a.xlsx", {"S": [[hostile, Cell("x", comment=hostile)]]})
    ws = openpyxl.load_workbook(path)["S"]
    assert ws["A1"].value == "abcde\nf\ng\th\ni"
    assert ws["B1"].comment.text == "abcde\nf\ng\th\ni"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        pytest.param("x" * MAX_TEXT, MAX_TEXT, id="32,767 characters fit"),
        pytest.param("x" * (MAX_TEXT + 5), MAX_TEXT, id="longer text is cut at 32,767"),
        pytest.param("𝄞" * 20_000, 16_383, id="astral characters count two and are not split"),
        pytest.param("x" + "𝄞" * 16_383, 16_384, id="a whole astral character at the end fits"),
    ],
)
def test_text_longer_than_a_cell_holds_is_cut(tmp_path: Path, text: str, kept: int) -> None:
    assert len(clean_text(text)) == kept
    assert len(clean_text(text).encode("utf-16-le")) <= 2 * MAX_TEXT
    path = write(tmp_path / "a.xlsx", {"S": [[text]]})
    assert openpyxl.load_workbook(path)["S"]["A1"].value == clean_text(text)


def test_text_like_ooxmls_own_escape_is_escaped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlsx", {"S": [["_x0041_", "a_x00_b", "_x005F_"]]})
    raw = [c.value for c in openpyxl.load_workbook(path)["S"][1]]
    assert raw == ["_x005F_x0041_", "a_x00_b", "_x005F_x005F_"]
    assert [unescape(v) for v in raw] == ["_x0041_", "a_x00_b", "_x005F_"]


@pytest.mark.parametrize(
    ("index", "letters"),
    [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA"), (MAX_COLUMNS, "XFD")],
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


# -- what is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="an empty name"),
        pytest.param("x" * 32, id="a name of 32 characters"),
        pytest.param("a/b", id="a name with a slash"),
        pytest.param("a[1]", id="a name with brackets"),
        pytest.param("'quoted'", id="a name in apostrophes"),
        pytest.param("a\x00", id="a name with a control character"),
        pytest.param("första", id="the name of another sheet in other case"),
    ],
)
def test_sheet_names_excel_refuses_are_refused(tmp_path: Path, name: str) -> None:
    with atomic_binary(tmp_path / "a.xlsx") as handle, XlsxWriter(handle) as book:
        with book.sheet("Första") as sheet:
            sheet.append(["x"])
        with pytest.raises(ValueError, match="sheet"):
            book.sheet(name)


def test_the_declared_size_is_held_to(tmp_path: Path) -> None:
    with (
        atomic_binary(tmp_path / "a.xlsx") as handle,
        XlsxWriter(handle) as book,
        book.sheet("S", size=(1, 2)) as sheet,
    ):
        with pytest.raises(ValueError, match="holds 2 columns, not 3"):
            sheet.append(["a", "b", "c"])
        sheet.append(["x", "y"])
        with pytest.raises(ValueError, match="holds 1 rows"):
            sheet.append(["z"])
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["S"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["x", "y"]]
    with (
        pytest.raises(ValueError, match="2 rows of 1 columns, and has 1 of 1"),
        atomic_binary(tmp_path / "b.xlsx") as handle,
        XlsxWriter(handle) as book,
        book.sheet("S", size=(2, 1)) as sheet,
    ):
        sheet.append(["x"])
    assert not (tmp_path / "b.xlsx").exists()


def test_one_sheet_at_a_time_and_at_least_one(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match="at least one sheet"),
        atomic_binary(tmp_path / "a.xlsx") as handle,
        XlsxWriter(handle),
    ):
        pass
    with atomic_binary(tmp_path / "b.xlsx") as handle, XlsxWriter(handle) as book:
        first = book.sheet("A")
        with pytest.raises(ValueError, match="being written"):
            book.sheet("B")
        with pytest.raises(ValueError, match="not open"):
            first.append(["x"])
        with first:
            first.append(["x"])
    assert not (tmp_path / "a.xlsx").exists()
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["A"]


def test_a_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write(tmp_path / "no such directory" / "a.xlsx", {"S": [["x"]]})


# -- the package -------------------------------------------------------------------------------


def _hostile_book(path: Path, comments: int = 3) -> Path:
    with atomic_binary(path) as handle, XlsxWriter(handle, comment_author='"kaa" & <co>') as book:
        with book.sheet('R&D "x" <y>', widths=(10, 20), freeze="B2", size=(comments + 1, 2)) as s:
            s.append([Cell("h", bold=True), Cell("i", bold=True)])
            for n in range(comments):
                s.append([f"row {n}", Cell(n, fill=RED, comment=f"comment {n} & <{n}>")])
        with book.sheet("No comments") as s:
            s.append([D(2026, 1, 1)])
        with book.sheet("More comments") as s:
            s.append([Cell("x", comment="one"), Cell(None, fill=YELLOW, comment="two")])
    return path


def test_the_package_has_a_content_type_and_a_target_for_every_part(tmp_path: Path) -> None:
    path = _hostile_book(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        parts = {name: ET.fromstring(z.read(name)) for name in names if not name.endswith(".vml")}
        vml = {name: z.read(name).decode() for name in names if name.endswith(".vml")}
    types = parts["[Content_Types].xml"]
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {e.get("Extension"): e.get("ContentType") for e in types.iter(f"{ct}Default")}
    overrides = {e.get("PartName"): e.get("ContentType") for e in types.iter(f"{ct}Override")}
    for name in names - {"[Content_Types].xml"}:
        assert "/" + name in overrides or name.rsplit(".", 1)[1] in defaults, name
    assert set(overrides) <= {"/" + n for n in names}
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    assert overrides["/xl/workbook.xml"] == f"{sml}.sheet.main+xml"
    assert overrides["/xl/comments1.xml"] == f"{sml}.comments+xml"
    assert defaults["vml"] == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    for name in [n for n in names if n.endswith(".rels")]:
        folder = name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0]
        folder = "" if "/" not in name.replace("_rels/", "", 1) else folder
        for relation in parts[name].iter(f"{rel}Relationship"):
            target = relation.get("Target")
            assert target is not None
            resolved = Path(folder, target).as_posix() if folder else target
            normal = re.sub(r"[^/]+/\.\./", "", resolved)
            assert normal in names, (name, target)
    assert set(vml) == {"xl/drawings/vmlDrawing1.vml", "xl/drawings/vmlDrawing3.vml"}
    assert "xl/comments2.xml" not in names


def test_the_worksheet_elements_are_in_the_schemas_order(tmp_path: Path) -> None:
    path = _hostile_book(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as z:
        for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
            children = [e.tag.removeprefix(MAIN) for e in ET.fromstring(z.read(name))]
            places = [WORKSHEET_ORDER.index(tag) for tag in children]
            assert places == sorted(places), children
            assert len(set(children)) == len(children)
        first = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    assert [e.tag.removeprefix(MAIN) for e in first] == [
        *("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData"),
        "legacyDrawing",
    ]


def test_comment_shapes_have_ids_unique_in_the_workbook_in_their_blocks(tmp_path: Path) -> None:
    path = _hostile_book(tmp_path / "a.xlsx", comments=1_100)
    ids: list[int] = []
    with zipfile.ZipFile(path) as z:
        for name in ("xl/drawings/vmlDrawing1.vml", "xl/drawings/vmlDrawing3.vml"):
            text = z.read(name).decode()
            ET.fromstring(text)  # well-formed
            (blocks,) = re.findall(r'<o:idmap v:ext="edit" data="([0-9,]+)"/>', text)
            shapes = [int(n) for n in re.findall(r'id="_x0000_s(\d+)"', text)]
            allowed = {int(b) for b in blocks.split(",")}
            assert {s // 1024 for s in shapes} <= allowed
            ids += shapes
            rows = [int(r) for r in re.findall(r"<x:Row>(\d+)</x:Row>", text)]
            comments = ET.fromstring(
                z.read(name.replace("drawings/vmlDrawing", "comments")[:-4] + ".xml")
            )
            refs = [c.get("ref") for c in comments.iter(f"{MAIN}comment")]
            assert [int(re.sub("[A-Z]", "", ref or "")) - 1 for ref in refs] == rows
    assert len(ids) == 1_100 + 2
    assert len(set(ids)) == len(ids)
    wb = openpyxl.load_workbook(path)
    sheet = wb['R&D "x" <y>']
    assert sheet["B1101"].comment.text == "comment 1099 & <1099>"
    assert sheet["B1101"].comment.author == '"kaa" & <co>'
    assert wb["More comments"]["B1"].comment.text == "two"


def test_each_sheet_is_streamed_into_the_file_as_it_is_written(tmp_path: Path) -> None:
    """The rows reach the file while the sheet is written, a batch at a time: what is held
    back stays bounded however many rows come."""
    path = tmp_path / "a.xlsx"
    sizes = []
    with (
        atomic_binary(path) as handle,
        XlsxWriter(handle) as book,
        book.sheet("S", size=(20_000, 3)) as sheet,
    ):
        for n in range(20_000):
            sheet.append([f"row {n} " + "x" * 40, n, D(2026, 1, 1)])
            if n % 2_000 == 1_999:
                handle.flush()
                sizes.append(handle.tell())
                assert len(sheet._batch) < 1_000
    assert all(a < b for a, b in itertools.pairwise(sizes))
    # read-only openpyxl sizes a sheet by its <dimension>, written from the declared size
    assert openpyxl.load_workbook(path, read_only=True)["S"].max_row == 20_000


# -- in a real spreadsheet program -------------------------------------------------------------

HOSTILE_ROW: list[Value | Cell] = [
    "=1+1",
    '<b>&amp;"quoted"</b>',
    "_x0041_",
    " spaces at both ends ",
    "two\r\nlines",
    "Åsa 𝄞 ☃",
    2**60,
    D(2026, 6, 1),
    Cell("marked", fill=RED, comment="KAA-E006: utanför perioden & <fel>"),
]


def test_libreoffice_opens_the_workbook_with_values_marks_and_comments_intact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hostile.xlsx"
    with atomic_binary(path) as handle, XlsxWriter(handle, comment_author="kaa") as book:
        with book.sheet("Hostile", widths=(20,), freeze="B2") as sheet:
            sheet.append([Cell("heading", bold=True)])
            sheet.append(HOSTILE_ROW)
        with book.sheet("Second") as sheet:
            sheet.append([1, 2.5, True])
    as_csv = soffice_convert([path], CSV_OUT, tmp_path)[0]
    lines = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    assert lines[1] == [
        *("=1+1", '<b>&amp;"quoted"</b>', "_x0041_", " spaces at both ends ", "two\nlines"),
        *("Åsa 𝄞 ☃", str(2**60), "2026-06-01", "marked"),
    ]
    (as_xlsx,) = soffice_convert([path], "xlsx", tmp_path)
    wb = openpyxl.load_workbook(as_xlsx)
    assert wb.sheetnames == ["Hostile", "Second"]
    ws = wb["Hostile"]
    assert ws["A1"].font.b
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == "=1+1"
    assert ws["H2"].value == dt.datetime(2026, 6, 1)
    assert ws["I2"].fill.fgColor.rgb.endswith(RED)
    assert ws["I2"].comment.text.strip() == "KAA-E006: utanför perioden & <fel>"
    assert ws.column_dimensions["A"].width == pytest.approx(20, abs=1)
    one, half, true = (c.value for c in wb["Second"][1])
    assert (one, half) == (1, 2.5)
    assert true in (True, "=TRUE()")  # LibreOffice has no boolean cells: it saves TRUE()


# -- hostile values, read back -----------------------------------------------------------------

HOSTILE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=()),  # surrogates and control characters too
    max_size=60,
) | st.sampled_from(
    (
        "=1+1",
        '=HYPERLINK("http://example.invalid")',
        "<&>",
        "\"'",
        "]]>",
        "_x0041_",
        "_x005F_x0041_",
        " lead",
        "trail\t",
        "\r\n",
        "\x00\x1f",
        "𝄞" * 17_000,
        "x" * 40_000,
    )
)
VALUES: st.SearchStrategy[Value] = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.none(),
)
CELLS: st.SearchStrategy[Value | Cell] = VALUES | st.builds(
    Cell,
    VALUES,
    bold=st.booleans(),
    fill=st.none() | st.sampled_from((RED, YELLOW, "ff00ff00")),
    comment=st.none() | HOSTILE_TEXT,
)


def expected(value: Value) -> object:
    """What openpyxl reads back for ``value`` (after unescape): the documented cleaning."""
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        if value < D(1900, 3, 1):
            return value.isoformat()
        return dt.datetime.combine(value, dt.time())
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELLS, max_size=6), min_size=1, max_size=5),
    shared=st.booleans(),
)
def test_hostile_values_read_back_as_written_after_the_documented_cleaning(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[Value | Cell]], shared: bool
) -> None:
    path = write(tmp_path_factory.mktemp("hostile") / "a.xlsx", {"S": rows}, shared_strings=shared)
    ws = openpyxl.load_workbook(path)["S"]
    for r, row in enumerate(rows, start=1):
        for c, item in enumerate(row, start=1):
            cell = ws.cell(r, c)
            value = item.value if isinstance(item, Cell) else item
            wanted = expected(value)
            if isinstance(wanted, str) and shared:
                assert cell.value == as_openpyxl_reads_shared(wanted), (item, cell.value)
            else:
                read = unescape(cell.value) if isinstance(cell.value, str) else cell.value
                assert read == wanted, (item, cell.value)
            assert cell.data_type != "f"
            if isinstance(item, Cell):
                assert bool(cell.font.b) is item.bold
                if item.fill is not None:
                    assert cell.fill.fgColor.rgb.upper().endswith(item.fill.upper()[-6:])
                if item.comment is not None:
                    assert cell.comment is not None
                    assert unescape(cell.comment.text) == clean_text(item.comment)
                else:
                    assert cell.comment is None


def _book_of(rows: Sequence[Sequence[Any]], *, prepared: bool) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with (
        XlsxWriter(buffer, shared_strings=True, comment_author="kaa") as book,
        book.sheet("Blad", freeze="B2") as sheet,
    ):
        for values in rows:
            if not prepared:
                sheet.append(values)
                continue
            cells = [sheet.prepared(i + 1, v) for i, v in enumerate(values)]
            comments = [
                (i + 1, v.comment)
                for i, v in enumerate(values)
                if isinstance(v, Cell) and v.comment is not None
            ]
            sheet.append_prepared(cells, comments)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_prepared_rows_are_the_rows_append_writes() -> None:
    rows = [
        [Cell("Rubrik", bold=True), "a & <b>", None, dt.date(2026, 7, 1)],
        [],
        [None, None],
        [
            Cell("x", fill="FFC7CE", comment="kontroll\nrad"),
            7,
            2**60,
            1.5,
            True,
            dt.date(1899, 1, 1),
            Cell(None, fill="FFEB9C", comment="tom"),
            " kant ",
            "\x00",
        ],
        ["=1+1", "_x0041_", Cell(dt.date(2026, 1, 2), fill="FFEB9C")],
    ]
    assert _book_of(rows, prepared=True) == _book_of(rows, prepared=False)
