"""The worklist workbook and its CSV form: the contract's layout, read back with openpyxl and
opened in a real spreadsheet program (LibreOffice headless), and written in linear time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.errors import OutputError
from kaa.formats.workbook import (
    ABOUT_SHEET,
    FILL_IN_HEADINGS,
    FILL_IN_LISTS,
    HEADINGS,
    LISTS_SHEET,
    SHEET,
    WRITTEN_HEADINGS,
    Cell,
    WorkbookUnavailable,
    workbook_available,
    write_sheet_csv,
    write_workbook,
)
from kaa.model.case import Activity, Channel, Contacted, ContactOutcome

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1"
"""LibreOffice's CSV export: comma, double quotes, UTF-8, from the first line."""
SEMICOLON_UTF8 = "CSV:59,34,76,1"
"""LibreOffice's CSV import as Swedish Excel reads the CSV for people: ``;``, UTF-8."""


def soffice_convert(
    files: Sequence[Path], to: str, tmp: Path, *, infilter: str | None = None
) -> list[Path]:
    """Convert ``files`` with LibreOffice headless (``soffice --convert-to TO``) into a new
    folder under ``tmp``; returns the converted files, in order.

    LibreOffice is a test requirement like Chromium: without it the test fails, saying how
    to get it, rather than skipping the check in a real spreadsheet program.
    """
    if SOFFICE is None:
        pytest.fail(
            "LibreOffice (soffice) is needed to open the files in a real spreadsheet "
            "program: run `make test`, which installs Debian's libreoffice-calc"
        )
    out = tmp / f"converted-{to.split(':')[0]}-{len(list(tmp.iterdir()))}"
    out.mkdir()
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(tmp / 'libreoffice-profile').as_uri()}",
    ]
    if infilter is not None:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(out), *(str(f) for f in files)]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    converted = [out / f"{f.stem}.{to.split(':')[0]}" for f in files]
    for path in converted:
        assert path.is_file(), f"LibreOffice did not convert {path.name}"
    return converted


DAY = dt.date(2026, 9, 10)
HOSTILE = '=HYPERLINK("http://example.invalid","klicka")'


def row(n: int = 1, **fields: Cell) -> tuple[Cell, ...]:
    values: dict[str, Cell] = {
        "Ärende": f"#{n}",
        "Personnummer": "20080101-****",
        "Namn": "Åsa Öberg-Ärlig",
        "Telefon": "0701234567",
        "Handläggare": "Handläggare Å",
        "Nästa steg": "Telefonsamtal",
        "Steg": "phone",
        "Till": "ungdomen",
        "Kanal": "telefonsamtal",
        "Senast": DAY,
        "Dagar sen": 3,
        "Missade steg": 1,
        "Övrigt": "orosanmälan till socialtjänsten (att ta ställning till)",
    }
    values.update({key.replace("_", " "): value for key, value in fields.items()})
    return tuple(values[h] for h in WRITTEN_HEADINGS)


ROWS = [row(1), row(2, Namn=HOSTILE, Telefon="+46 70 123 45 67"), row(3, Senast=None)]
ABOUT = [("Dag", DAY.isoformat()), ("Kommun", "1882 Askersund")]


def test_the_headings_are_the_contracts_in_order() -> None:
    assert (
        *("Ärende", "Personnummer", "Namn", "Telefon", "Handläggare", "Nästa steg", "Steg"),
        *("Till", "Kanal", "Senast", "Dagar sen", "Missade steg", "Övrigt"),
        *("Utfört datum", "Utförd kanal", "Kontakt med", "Resultat", "Sysselsättning"),
    ) == HEADINGS
    assert HEADINGS == WRITTEN_HEADINGS + FILL_IN_HEADINGS
    assert len(WRITTEN_HEADINGS) == 13  # A–M; the fill-in columns are N–R


def test_the_validation_lists_are_exactly_the_swedish_labels_of_the_enums() -> None:
    assert {
        "Utförd kanal": tuple(c.label_sv for c in Channel),
        "Kontakt med": ("ungdomen", "vårdnadshavare"),
        "Resultat": tuple(o.label_sv for o in ContactOutcome),
        "Sysselsättning": tuple(a.label_sv for a in Activity),
    } == FILL_IN_LISTS
    assert FILL_IN_LISTS["Kontakt med"] == tuple(c.label_sv for c in Contacted)
    assert set(FILL_IN_LISTS) < set(FILL_IN_HEADINGS)


def _validations(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """Fill-in heading → (validation type, list formula) of the sheet's validations."""
    ws = openpyxl.load_workbook(path)[SHEET]
    got: dict[str, tuple[str | None, str | None]] = {}
    for rule in ws.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            heading = ws.cell(1, cells.min_col).value
            assert isinstance(heading, str)
            got[heading] = (rule.type, rule.formula1)
            assert (cells.min_row, cells.min_col) == (2, cells.max_col)
    return got


def _list_values(path: Path, formula: str) -> list[str]:
    wb = openpyxl.load_workbook(path)
    sheet, cells = formula.split("!")
    return [str(c.value) for (c,) in wb[sheet.strip("'")][cells.replace("$", "")]]


def test_the_workbook_has_the_rows_the_lists_and_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "arbetslista.xlsx"
    assert write_workbook(path, ROWS, about=ABOUT) == 3
    assert path.stat().st_mode & 0o777 == 0o600
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET, LISTS_SHEET, ABOUT_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == list(HEADINGS)
    assert ws.max_row == 4
    first = [c.value for c in ws[2]]
    assert first[:10] == [
        "#1",
        "20080101-****",
        "Åsa Öberg-Ärlig",
        "0701234567",
        "Handläggare Å",
        "Telefonsamtal",
        "phone",
        "ungdomen",
        "telefonsamtal",
        dt.datetime(2026, 9, 10),
    ]
    assert ws["J2"].number_format == "yyyy-mm-dd"
    assert (ws["K2"].value, ws["L2"].value) == (3, 1)
    assert all(ws.cell(r, c).value is None for r in (2, 3, 4) for c in range(14, 19))
    assert ws["C3"].value == HOSTILE
    assert ws["C3"].data_type == "s"  # text, never a formula
    assert ws["J4"].value is None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:R4"
    validations = _validations(path)
    assert set(validations) == set(FILL_IN_HEADINGS)
    assert validations["Utfört datum"][0] is None  # a prompt only: a date or ISO text
    for heading, choices in FILL_IN_LISTS.items():
        kind, formula = validations[heading]
        assert kind == "list"
        assert formula is not None
        assert _list_values(path, formula) == list(choices)
    about = {r[0].value: r[1].value for r in wb[ABOUT_SHEET].iter_rows()}
    assert about == dict(ABOUT)


def test_validations_reach_every_written_row(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    write_workbook(path, [row(n) for n in range(1, 51)])
    ws = openpyxl.load_workbook(path)[SHEET]
    assert {str(rule.sqref) for rule in ws.data_validations.dataValidation} == {
        f"{letter}2:{letter}51" for letter in "NOPQR"
    }


def test_an_empty_list_still_has_its_headings_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    assert write_workbook(path, []) == 0
    ws = openpyxl.load_workbook(path)[SHEET]
    assert [c.value for c in ws[1]] == list(HEADINGS)
    assert set(_validations(path)) == set(FILL_IN_HEADINGS)


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "fel.xlsx"
    with pytest.raises(ValueError, match="12 values, not 13"):
        write_workbook(path, [row()[:-1]])
    assert list(tmp_path.iterdir()) == []


def test_a_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_workbook(tmp_path / "nowhere" / "a.xlsx", ROWS)


def test_without_openpyxl_nothing_is_written_and_the_message_says_what_to_install(
    tmp_path: Path,
) -> None:
    """openpyxl made unimportable in a child process, as when the extra is not installed."""
    path = tmp_path / "a.xlsx"
    code = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "from pathlib import Path\n"
        "from kaa.formats.workbook import WorkbookUnavailable, workbook_available, "
        "write_workbook\n"
        "assert not workbook_available()\n"
        "try:\n"
        "    write_workbook(Path(sys.argv[1]), [])\n"
        "except WorkbookUnavailable as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert "pip install 'kaa[excel]'" in done.stdout
    assert "nothing was written" in done.stdout
    assert not path.exists()
    assert workbook_available()
    assert issubclass(WorkbookUnavailable, OutputError)


# -- the CSV form ---------------------------------------------------------------------------


def test_the_csv_form_has_a_bom_semicolons_and_the_same_headings() -> None:
    out = io.StringIO()
    assert write_sheet_csv(ROWS, out) == 3
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == list(HEADINGS)
    assert rows[1][:12] == [
        *("#1", "20080101-****", "Åsa Öberg-Ärlig", "0701234567", "Handläggare Å"),
        *("Telefonsamtal", "phone", "ungdomen", "telefonsamtal", "2026-09-10", "3", "1"),
    ]
    assert rows[1][13:] == [""] * 5
    assert rows[2][2] == "'" + HOSTILE  # a formula-leading cell is neutralised
    assert rows[3][9] == ""
    plain = io.StringIO()
    write_sheet_csv([], plain, bom=False)
    assert plain.getvalue() == ";".join(HEADINGS) + "\r\n"


# -- in a real spreadsheet program ------------------------------------------------------------


def test_libreoffice_opens_the_workbook_with_columns_letters_and_lists_intact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "arbetslista.xlsx"
    write_workbook(path, ROWS, about=ABOUT)
    (as_csv,) = soffice_convert([path], CSV_OUT, tmp_path)
    (as_xlsx,) = soffice_convert([path], "xlsx", tmp_path)
    lines = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    assert lines[0] == list(HEADINGS)
    assert [len(line) for line in lines] == [len(HEADINGS)] * 4
    assert lines[1][:12] == [
        *("#1", "20080101-****", "Åsa Öberg-Ärlig", "0701234567", "Handläggare Å"),
        *("Telefonsamtal", "phone", "ungdomen", "telefonsamtal", "2026-09-10", "3", "1"),
    ]
    assert lines[2][2] == HOSTILE  # shown as the text it is, not run
    assert lines[2][3] == "+46 70 123 45 67"
    wb = openpyxl.load_workbook(as_xlsx)
    assert wb.sheetnames == [SHEET, LISTS_SHEET, ABOUT_SHEET]
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == list(HEADINGS)
    assert ws["C3"].value == HOSTILE
    assert ws["C3"].data_type == "s"
    assert ws["D2"].value == "0701234567"  # the leading zero kept: text, not a number
    validations = _validations(as_xlsx)
    for heading, choices in FILL_IN_LISTS.items():
        kind, formula = validations[heading]
        assert kind == "list"
        assert formula is not None
        assert _list_values(as_xlsx, formula) == list(choices)
    about = {r[0].value: r[1].value for r in wb[ABOUT_SHEET].iter_rows()}
    assert about["Kommun"] == "1882 Askersund"


def test_libreoffice_opens_the_csv_form_in_columns_with_letters_intact(tmp_path: Path) -> None:
    path = tmp_path / "arbetslista.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_sheet_csv(ROWS, out)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    (as_xlsx,) = soffice_convert([path], "xlsx", tmp_path, infilter=SEMICOLON_UTF8)
    ws = openpyxl.load_workbook(as_xlsx).active
    assert ws is not None
    assert [c.value for c in ws[1]] == list(HEADINGS)  # the BOM is not part of "Ärende"
    assert ws.max_row == 4
    assert ws.max_column == len(HEADINGS)
    assert [ws.cell(2, c).value for c in (1, 3, 5, 13)] == [
        "#1",
        "Åsa Öberg-Ärlig",
        "Handläggare Å",
        "orosanmälan till socialtjänsten (att ta ställning till)",
    ]
    assert ws["C3"].data_type != "f"  # the neutralised cell is not a formula


# -- linear time, and hostile text --------------------------------------------------------------


def _cpu_per_row(path: Path, n: int) -> float:
    rows = [row(i) for i in range(n)]
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        write_workbook(path, rows)
        best = min(best, time.process_time() - start)
    return best / n


def test_writing_grows_linearly_with_the_rows(tmp_path: Path) -> None:
    """Eight times the rows costs about eight times as much per workbook: the cost per row
    stays flat (a quadratic writer would cost eight times as much per row)."""
    small = _cpu_per_row(tmp_path / "small.xlsx", 1_000)
    large = _cpu_per_row(tmp_path / "large.xlsx", 8_000)
    assert large / small < 2.0, f"{small * 1e6:.0f} µs/row at 1,000, {large * 1e6:.0f} at 8,000"


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ("=1+1", "+46", "-", "@SUM(A1)", "\t", "0701234567", "åäö ÅÄÖ")
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(TEXT, min_size=13, max_size=13))
def test_any_text_is_stored_as_text_without_the_characters_xml_cannot_hold(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    path = tmp_path_factory.mktemp("hostile") / "a.xlsx"
    write_workbook(path, [tuple(cells)])
    ws = openpyxl.load_workbook(path)[SHEET]
    for column, text in enumerate(cells, start=1):
        kept = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
        kept = kept.replace("\r\n", "\n").replace("\r", "\n")
        cell = ws.cell(2, column)
        assert cell.data_type != "f"
        assert (cell.value if cell.value is not None else "") == kept
