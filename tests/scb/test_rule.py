"""The one write rule of the upload file, and the Python API that obeys it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from kaa.formats.problems import ReadSummary
from kaa.model.case import Activity, RegistrationReason
from kaa.period import HalfYear
from kaa.scb import (
    ChecksFailed,
    RefusalReason,
    Submission,
    WriteRefused,
    check_submission,
    may_write,
    write_submission,
)
from kaa.scb.submission import MandatoryData, ScbRecord
from kaa.testing import skatteverket_number

D = dt.date
HT = HalfYear(2026, 2)
ID = skatteverket_number(D(2008, 8, 12))
RECORD = ScbRecord(
    mandatory=MandatoryData(
        youth=ID,
        municipality="1882",
        registered=D(2026, 8, 20),
        reason=RegistrationReason.OTHER,
        activity=Activity.WORK,
    )
)
GOOD = Submission(period=HT, municipality="1882", records=(RECORD,))
TWICE = Submission(period=HT, municipality="1882", records=(RECORD, RECORD))  # KAA-E001
EMPTY = Submission(period=HT, municipality="1882", records=())
OTHER = Submission(
    period=HT,
    municipality="1882",
    records=(attrs.evolve(RECORD, mandatory=attrs.evolve(RECORD.mandatory, municipality="0180")),),
)
CLEAN = ReadSummary(file="cases.jsonl", rows_read=1, rows_accepted=1, records=1)
REJECTED = ReadSummary(file="cases.jsonl", rows_read=2, rows_accepted=1, rows_rejected=1)

R = RefusalReason


@pytest.mark.parametrize(
    ("submission", "read", "reasons"),
    [
        pytest.param(GOOD, [CLEAN], [], id="a clean submission of the municipality may be written"),
        pytest.param(GOOD, [], [], id="without read summaries nothing is known to be rejected"),
        pytest.param(GOOD, [None], [], id="a missing input (None) is skipped"),
        pytest.param(
            GOOD, [CLEAN, REJECTED], [R.REJECTED_ROWS], id="a rejected row refuses the file"
        ),
        pytest.param(
            GOOD,
            [REJECTED, attrs.evolve(REJECTED, file="ist.csv")],
            [R.REJECTED_ROWS, R.REJECTED_ROWS],
            id="each input with rejected rows is a reason of its own",
        ),
        pytest.param(TWICE, [CLEAN], [R.FAILED_CHECKS], id="a blocking check refuses the file"),
        pytest.param(EMPTY, [CLEAN], [R.NO_YOUTHS], id="no youth at all refuses the file"),
        pytest.param(
            OTHER,
            [CLEAN],
            [R.FAILED_CHECKS, R.NO_YOUTHS],
            id="youths of another municipality only: a failed check and no youth of its own",
        ),
        pytest.param(
            EMPTY,
            [REJECTED],
            [R.REJECTED_ROWS, R.NO_YOUTHS],
            id="every reason is given at once, in the rule's order",
        ),
    ],
)
def test_may_write(
    submission: Submission, read: list[ReadSummary | None], reasons: list[RefusalReason]
) -> None:
    verdict = may_write(submission, check_submission(submission), read=read)
    assert [r.reason for r in verdict.refusals] == reasons
    assert verdict.allowed is (not reasons)
    assert bool(verdict) is verdict.allowed


def test_warnings_do_not_refuse_the_file() -> None:
    missing = attrs.evolve(
        RECORD, mandatory=attrs.evolve(RECORD.mandatory, reason=RegistrationReason.MISSING)
    )
    submission = attrs.evolve(GOOD, records=(missing,))
    report = check_submission(submission)
    assert report.warnings
    assert report.ok
    assert may_write(submission, report).allowed


@pytest.mark.parametrize(
    ("submission", "read", "words"),
    [
        pytest.param(
            GOOD,
            [REJECTED],
            "1 row(s) of cases.jsonl could not be read",
            id="a rejected row names the file and the count",
        ),
        pytest.param(
            TWICE,
            [],
            "2 check(s) failed with an error (KAA-E001 ×2)",
            id="failed checks are counted by check id",
        ),
        pytest.param(
            EMPTY,
            [],
            "no youth of municipality 1882 is reported for HT 2026",
            id="no youths names the municipality and the half-year",
        ),
    ],
)
def test_each_refusal_says_what_is_wrong(
    submission: Submission, read: list[ReadSummary], words: str
) -> None:
    verdict = may_write(submission, check_submission(submission), read=read)
    assert words in str(verdict)
    assert ID.full("long") not in str(verdict)
    assert ID.full("separated") not in str(verdict)


@pytest.mark.parametrize(
    ("submission", "read", "reason"),
    [
        pytest.param(GOOD, [REJECTED], R.REJECTED_ROWS, id="the API refuses after a rejected row"),
        pytest.param(TWICE, [CLEAN], R.FAILED_CHECKS, id="the API refuses a failed check"),
        pytest.param(EMPTY, [CLEAN], R.NO_YOUTHS, id="the API refuses an empty file"),
    ],
)
def test_write_submission_obeys_the_rule_and_writes_nothing(
    tmp_path: Path, submission: Submission, read: list[ReadSummary], reason: RefusalReason
) -> None:
    target = tmp_path / "scb.txt"
    with pytest.raises(WriteRefused) as caught:
        write_submission(submission, target, read=read)
    assert [r.reason for r in caught.value.verdict.refusals] == [reason]
    assert isinstance(caught.value, ChecksFailed)  # what callers caught before the rule
    assert list(tmp_path.iterdir()) == []
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(WriteRefused):
        write_submission(submission, target, read=read)
    assert target.read_text(encoding="utf-8") == "previous"


def test_write_submission_writes_what_the_rule_allows(tmp_path: Path) -> None:
    target = tmp_path / "scb.txt"
    report = write_submission(GOOD, target, read=[CLEAN, None])
    assert report.ok
    assert ID.full("long") in target.read_text(encoding="utf-8")
