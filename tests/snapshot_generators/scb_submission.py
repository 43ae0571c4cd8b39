"""Snapshots: the SCB submission of the bundled example register (Askersund, HT 2026).

``scb-1882-2026H2.txt`` is the upload file the default profile writes for
``examples/data/cases.jsonl`` (Skatteverket test numbers only: they are written whole, as in
a real upload); ``scb-1882-2026H2-checks.json`` the counts per block and every finding, with
masked numbers.
"""

from __future__ import annotations

from pathlib import Path

from kaa.formats.cases import read_cases
from kaa.model.case import Case
from kaa.period import HalfYear
from kaa.scb.checks import check_submission
from kaa.scb.layout import default_profile
from kaa.scb.submission import Submission, build_submission
from kaa.scb.writer import dumps_submission
from snapshot_generators import dump

CASES = Path(__file__).resolve().parent.parent.parent / "examples" / "data" / "cases.jsonl"
PERIOD = HalfYear(2026, 2)
FILE = "scb-1882-2026H2.txt"
CHECKS = "scb-1882-2026H2-checks.json"


def _build() -> tuple[list[Case], Submission]:
    cases = list(read_cases(CASES))
    return cases, build_submission(cases, PERIOD, municipality="1882")


def generate_file() -> str:
    """The upload file (its CRLF line endings stored as LF, so the snapshot diffs cleanly)."""
    return dumps_submission(_build()[1], default_profile()).replace("\r\n", "\n")


def generate_checks() -> str:
    """Counts per block and the findings."""
    cases, submission = _build()
    report = check_submission(submission, profile=default_profile(), cases=cases)
    return dump(
        {
            "period": PERIOD.code,
            "municipality": "1882",
            "youths": len(submission),
            "counts": submission.counts(),
            "by_check": report.by_check(),
            "findings": [
                {
                    "check": f.check,
                    "youth": f.youth,
                    "block": f.block.value if f.block else None,
                    "row": f.row,
                    "field": f.field,
                    "message_sv": f.message_sv,
                }
                for f in report
            ],
        }
    )


SNAPSHOTS = {FILE: generate_file, CHECKS: generate_checks}
