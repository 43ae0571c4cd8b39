"""The Excel workbook for checking by eye: one sheet per block, failing cells marked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import attrs
import pytest

from formats.test_workbook import CSV_OUT, soffice_convert
from kaa.errors import OutputError
from kaa.formats.xlsx import clean_text
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.checks import OWN_CHECKS_SV, check_submission
from kaa.scb.excel import BLOCK_COLUMNS, write_workbook
from kaa.scb.submission import (
    Block,
    ContactRecord,
    KaaEnded,
    LeftOut,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
)
from kaa.testing import interim_number, skatteverket_number

openpyxl = pytest.importorskip("openpyxl")

D = dt.date
HT = HalfYear(2026, 2)
ID = skatteverket_number(D(2008, 8, 12))
RECORD = ScbRecord(
    mandatory=MandatoryData(
        youth=ID,
        municipality="1882",
        registered=D(2026, 8, 20),
        reason=RegistrationReason.MISSING,
        activity=Activity.UNKNOWN,
    ),
    contacts=(ContactRecord(day=D(2026, 6, 1), activity=Activity.WORK),),
    measures_ended=(
        MeasureEnded(
            category=MeasureCategory.GUIDANCE,
            start=D(2026, 9, 1),
            end=D(2026, 8, 25),
            activity_after=Activity.OTHER_STUDIES,
        ),
    ),
)
SUBMISSION = Submission(period=HT, municipality="1882", records=(RECORD,))
INTERIM = interim_number(D(2008, 3, 4), 7)


def test_one_sheet_per_block_and_the_failing_cells_marked(tmp_path: Path) -> None:
    path = tmp_path / "kontroll.xlsx"
    report = write_workbook(SUBMISSION, path)
    assert not report.ok
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Kontroller",
        "Obligatoriska uppgifter",
        "Kontakt med individen",
        "Åtgärd påbörjas",
        "Åtgärd avslutats",
        "Aktivitetsansvaret har upphört",
    ]
    assert wb["Kontroller"]["A3"].value == OWN_CHECKS_SV
    contacts = wb["Kontakt med individen"]
    day = contacts.cell(2, 2)
    assert day.value.date() == D(2026, 6, 1)
    assert day.fill.fgColor.rgb.endswith("FFC7CE")
    assert "KAA-E006" in day.comment.text
    assert "utanför perioden" in day.comment.text
    reason = wb["Obligatoriska uppgifter"].cell(2, 3)
    assert reason.value == RegistrationReason.MISSING.label_sv
    assert reason.fill.fgColor.rgb.endswith("FFEB9C")
    ended = wb["Åtgärd avslutats"].cell(2, 4)
    assert "KAA-E010" in ended.comment.text
    checks = [row[0] for row in wb["Kontroller"].iter_rows(min_row=6, values_only=True)]
    assert sorted(checks) == sorted(f.check for f in report)


@pytest.mark.parametrize(
    ("reveal", "shown"),
    [
        pytest.param(False, ID.masked(), id="the workbook masks identity numbers by default"),
        pytest.param(
            True, ID.full("separated_long"), id="the workbook shows whole numbers on request"
        ),
    ],
)
def test_identity_numbers_in_the_workbook(tmp_path: Path, reveal: bool, shown: str) -> None:
    path = tmp_path / "kontroll.xlsx"
    write_workbook(SUBMISSION, path, report=check_submission(SUBMISSION), reveal_ids=reveal)
    wb = openpyxl.load_workbook(path)
    assert wb["Obligatoriska uppgifter"].cell(2, 1).value == shown
    texts = [
        str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert reveal or not any(ID.full("long") in t or ID.full("separated_long") in t for t in texts)


def test_every_finding_on_a_cell_is_in_its_comment_and_the_last_one_fills_it(
    tmp_path: Path,
) -> None:
    interim = attrs.evolve(RECORD, mandatory=attrs.evolve(RECORD.mandatory, youth=INTERIM))
    submission = Submission(period=HT, municipality="1882", records=(interim, interim))
    path = tmp_path / "kontroll.xlsx"
    report = write_workbook(submission, path)
    wb = openpyxl.load_workbook(path)
    youth = wb["Obligatoriska uppgifter"].cell(2, 1)
    on_it = [
        f.check
        for f in report
        if f.record == 0 and f.block is Block.MANDATORY and f.field == "youth"
    ]
    assert on_it[0] == "KAA-E001"
    assert "KAA-W002" in on_it
    assert [line.split(":")[0] for line in youth.comment.text.split("\n\n")] == on_it
    assert youth.fill.fgColor.rgb.endswith("FFEB9C")  # the last finding is a warning
    day = wb["Kontakt med individen"].cell(2, 2)
    assert day.comment.text.index("KAA-E006") < day.comment.text.index("KAA-E007")


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    left = LeftOut(youth="=1+1", reason="=SUM(A1:A9)", reason_sv="=SUMMA(A1:A9)")
    submission = Submission(period=HT, municipality="1882", records=(), left_out=(left,))
    path = tmp_path / "kontroll.xlsx"
    write_workbook(submission, path)
    checks = openpyxl.load_workbook(path)["Kontroller"]
    youth = checks.cell(6, 3)
    assert (youth.value, youth.data_type) == ("=1+1", "s")


def test_every_entry_is_one_row_of_its_blocks_sheet(tmp_path: Path) -> None:
    records = tuple(
        attrs.evolve(
            RECORD,
            mandatory=attrs.evolve(RECORD.mandatory, youth=interim_number(D(2008, 1, 1), i)),
            contacts=RECORD.contacts * (i % 3),
        )
        for i in range(28)
    )
    submission = Submission(period=HT, municipality="1882", records=records)
    path = tmp_path / "kontroll.xlsx"
    write_workbook(submission, path, reveal_ids=True)
    wb = openpyxl.load_workbook(path)
    for block in Block:
        rows = list(wb[block.label_sv].iter_rows(min_row=2, values_only=True))
        assert len(rows) == submission.counts()[block.value]
        assert all(len(row) == 1 + len(BLOCK_COLUMNS[block]) for row in rows)
        expected = [r.youth.full("separated_long") for r in records for _ in r.rows(block)]
        assert [row[0] for row in rows] == expected


FULL = attrs.evolve(
    RECORD,
    measures_started=(
        MeasureStarted(category=MeasureCategory.OTHER, day=D(2026, 9, 2), declined=True),
    ),
    kaa_ended=KaaEnded(day=D(2026, 12, 1), reason=EndReason.TURNED_20),
)


def _shown(value: object) -> object:
    """A field's value as the workbook shows it and openpyxl reads it back."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    label = getattr(value, "label_sv", None)
    return label if label is not None else str(value)


def test_every_sheet_holds_the_entries_values_with_bold_headings_widths_and_frozen_panes(
    tmp_path: Path,
) -> None:
    submission = Submission(period=HT, municipality="1882", records=(FULL,))
    path = tmp_path / "kontroll.xlsx"
    report = write_workbook(submission, path)
    wb = openpyxl.load_workbook(path)
    for block in Block:
        ws = wb[block.label_sv]
        heads = list(ws[1])
        assert [c.value for c in heads] == [
            "Personnummer",
            *(heading for _, heading in BLOCK_COLUMNS[block]),
        ]
        assert all(c.font.b for c in heads)
        assert ws.freeze_panes == "B2"
        assert ws.column_dimensions["A"].width == 16
        assert all(ws.column_dimensions[letter].width == 28 for letter in "BCDE")
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        expected = [
            (ID.masked(), *(_shown(getattr(entry, f)) for f, _ in BLOCK_COLUMNS[block]))
            for entry in FULL.rows(block)
        ]
        assert rows == expected, block
        assert ws.max_row == 1 + len(expected)
    summary = wb["Kontroller"]
    assert summary["A1"].value == (f"Kontroll av inlämning till SCB, {HT}, kommun 1882")
    assert summary["A1"].font.b
    assert summary["A2"].value == (
        f"{len(report.errors)} fel (stoppar filen), {len(report.warnings)} varningar"
    )
    assert [c.value for c in summary[5]] == [
        *("Kontroll", "Allvar", "Ungdom", "Block", "Post", "Fält", "Meddelande", "Message"),
    ]
    assert all(c.font.b for c in summary[5])
    widths = [summary.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert widths == [11, 9, 16, 26, 6, 14, 70, 70]
    found = list(summary.iter_rows(min_row=6, values_only=True))
    assert found == [
        (
            f.check,
            "fel" if f.severity.value == "error" else "varning",
            f.youth,
            f.block.label_sv if f.block else None,
            f.row + 1 if f.row is not None else None,
            f.field,
            f.message_sv,
            f.message_en,
        )
        for f in report
    ]
    fills = {summary.cell(6 + n, 1).fill.fgColor.rgb[-6:] for n in range(len(report.findings))}
    assert fills == {"FFC7CE", "FFEB9C"}  # red for the errors, yellow for the warnings


def test_only_the_marked_cells_are_filled_and_commented(tmp_path: Path) -> None:
    path = tmp_path / "kontroll.xlsx"
    report = write_workbook(SUBMISSION, path)
    wb = openpyxl.load_workbook(path)
    marked = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets[1:]
        for row in ws.iter_rows(min_row=2)
        for c in row
        if c.comment is not None
    }
    filled = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets[1:]
        for row in ws.iter_rows(min_row=2)
        for c in row
        if c.fill.fill_type == "solid"
    }
    assert marked == filled
    on_records = {
        (f.block or Block.MANDATORY, f.row or 0, f.field) for f in report if f.record == 0
    }
    assert len(marked) <= len(on_records)
    assert ("Kontakt med individen", "B2") in marked
    assert ("Obligatoriska uppgifter", "C2") in marked


def test_hostile_text_is_written_cleaned_as_text(tmp_path: Path) -> None:
    left = LeftOut(
        youth='=HYPERLINK("http://example.invalid")',
        reason="a\x00b\r\n<&> _x0041_",
        reason_sv="c\x1fd",
    )
    submission = Submission(period=HT, municipality="1882", records=(RECORD,), left_out=(left,))
    path = tmp_path / "kontroll.xlsx"
    report = write_workbook(submission, path)
    rows = list(openpyxl.load_workbook(path)["Kontroller"].iter_rows(min_row=6))
    (row,) = [r for r in rows if r[2].value == left.youth]
    assert row[2].data_type == "s"
    (finding,) = [f for f in report if f.youth == left.youth]
    assert row[6].value == clean_text(finding.message_sv)
    assert row[7].value.replace("_x005F_", "_") == clean_text(finding.message_en)
    assert "\x00" not in row[7].value
    assert "b\n<&>" in row[7].value


def test_the_workbook_needs_no_optional_extra(tmp_path: Path) -> None:
    """Written with openpyxl made unimportable: the standard library is enough."""
    path = tmp_path / "kontroll.xlsx"
    script = f"""
import datetime as dt, sys
sys.modules["openpyxl"] = None  # not importable
from kaa.model.case import Activity, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.excel import write_workbook
from kaa.scb.submission import MandatoryData, ScbRecord, Submission
from kaa.testing import skatteverket_number
mandatory = MandatoryData(
    youth=skatteverket_number(dt.date(2008, 8, 12)), municipality="1882",
    registered=dt.date(2026, 8, 20), reason=RegistrationReason.MISSING,
    activity=Activity.UNKNOWN,
)
records = (ScbRecord(mandatory=mandatory),)
write_workbook(Submission(period=HalfYear(2026, 2), municipality="1882", records=records),
               {str(path)!r})
assert sys.modules["openpyxl"] is None
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert openpyxl.load_workbook(path).sheetnames[0] == "Kontroller"


def test_the_workbook_is_written_atomically(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write_workbook(SUBMISSION, tmp_path / "missing" / "kontroll.xlsx")
    path = tmp_path / "kontroll.xlsx"
    path.write_bytes(b"the earlier workbook")
    write_workbook(SUBMISSION, path)
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kontroll.xlsx"]
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_libreoffice_opens_the_workbook_with_marks_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "kontroll.xlsx"
    write_workbook(SUBMISSION, path)
    (as_xlsx,) = soffice_convert([path], "xlsx", tmp_path)
    wb = openpyxl.load_workbook(as_xlsx)
    assert wb.sheetnames == ["Kontroller", *(block.label_sv for block in Block)]
    day = wb["Kontakt med individen"]["B2"]
    assert day.value == dt.datetime(2026, 6, 1)
    assert day.fill.fgColor.rgb.endswith("FFC7CE")
    assert "KAA-E006" in day.comment.text
    assert wb["Obligatoriska uppgifter"]["A1"].font.b
    (as_csv,) = soffice_convert([path], CSV_OUT, tmp_path)
    lines = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    assert lines[0][0] == f"Kontroll av inlämning till SCB, {HT}, kommun 1882"
    assert lines[4] == [
        *("Kontroll", "Allvar", "Ungdom", "Block", "Post", "Fält", "Meddelande", "Message"),
    ]
    assert [line[0] for line in lines[5:]] == [f.check for f in check_submission(SUBMISSION)]
