"""The list of youths in the target group without a KAA case (``ej-registrerade-DAY.csv``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from kaa.formats.not_registered import NOT_REGISTERED_COLUMNS, write_not_registered
from kaa.model.youth import Residence, Youth
from kaa.rules.target_group import assess
from kaa.testing import skatteverket_number

D = dt.date
ID = skatteverket_number(D(2008, 8, 12))
YOUTH = Youth(
    id=ID, residences=(Residence(municipality="1882"),), compulsory_school_completed=D(2024, 6, 10)
)


def test_one_row_per_youth_masked_with_every_reason() -> None:
    decision = assess(YOUTH, on=D(2026, 12, 31), municipality="1882")
    out = io.StringIO(newline="")
    assert write_not_registered([(decision, D(2026, 1, 1))], out) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(header) == NOT_REGISTERED_COLUMNS
    assert row[:3] == [ID.masked(), "2026-01-01", "2028-08-12"]
    assert row[3].split(" | ") == [str(r) for r in decision.reasons]
    assert ID.full("long") not in out.getvalue()
    assert "\r" not in out.getvalue()


def test_no_youths_is_a_header_only() -> None:
    out = io.StringIO(newline="")
    assert write_not_registered([], out) == 0
    assert out.getvalue() == "id,in_target_group_since,ages_out,reasons\n"
