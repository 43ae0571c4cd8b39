"""The Excel workbook for checking by eye: one sheet per block, failing cells marked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa.model.case import Activity, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.checks import OWN_CHECKS_SV, check_submission
from kaa.scb.excel import write_workbook
from kaa.scb.submission import (
    ContactRecord,
    MandatoryData,
    MeasureEnded,
    ScbRecord,
    Submission,
)
from kaa.testing import skatteverket_number

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
