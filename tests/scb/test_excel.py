"""The Excel workbook for checking by eye: one sheet per block, failing cells marked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from kaa.model.case import Activity, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.checks import OWN_CHECKS_SV, check_submission
from kaa.scb.excel import BLOCK_COLUMNS, write_workbook
from kaa.scb.submission import (
    Block,
    ContactRecord,
    LeftOut,
    MandatoryData,
    MeasureEnded,
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
