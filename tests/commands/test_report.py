"""``kaa report``: the committee report and its print version written from a cases file or
a case store (:mod:`kaa.commands.report`); the report itself is tested in
``tests/test_report.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.cli import main
from kaa.formats.cases import write_cases
from kaa.store import AuditAction
from test_followup import CASES
from yearfiles import DATA, audit_of, example_store


def test_kaa_report_command_writes_both_files(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    write_cases(CASES, cases)
    out = tmp_path / "rapport.html"
    status = main(
        [
            "report",
            str(cases),
            "--period",
            "2026H2",
            "--municipality",
            "1882",
            "-o",
            str(out),
            "--made",
            "2026-11-23",
        ]
    )
    assert status == 0
    assert "HT 2026" in out.read_text(encoding="utf-8")
    assert (tmp_path / "rapport-print.html").exists()


def test_kaa_report_on_a_store_writes_the_same_report_as_on_the_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    argv = ["report", "--period", "2026", "--municipality", "1882", "--made", "2026-12-31"]
    from_file, from_store = tmp_path / "fil.html", tmp_path / "register.html"
    assert main([*argv, str(DATA / "cases.jsonl"), "-o", str(from_file)]) == 0
    assert main([*argv, "--store", url, "--actor", "eva", "-o", str(from_store)]) == 0
    assert from_store.read_bytes() == from_file.read_bytes()
    assert (tmp_path / "register-print.html").read_bytes() == (
        tmp_path / "fil-print.html"
    ).read_bytes()
    assert "Askersunds kommun" in from_store.read_text(encoding="utf-8")
    assert f"{url}: 120 rows read, 120 accepted, 0 rejected" in capsys.readouterr().err
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == 120
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa report")}


@pytest.mark.parametrize(
    ("period", "heading"),
    [
        ("2026T3", "T3 2026"),
        ("T1 2026", "T1 2026"),
        ("2026", "2026"),
        ("2026-09-01..2026-11-30", "2026-09-01"),
    ],
    ids=[
        "a tertial, as Stockholm reports",
        "a tertial written the other way",
        "a calendar year",
        "any range of days a committee asks for",
    ],
)
def test_kaa_report_takes_any_period_a_committee_asks_for(
    tmp_path: Path, period: str, heading: str
) -> None:
    out = tmp_path / "rapport.html"
    argv = ["report", str(DATA / "cases.jsonl"), "--period", period, "--municipality", "1882"]
    assert main([*argv, "-o", str(out), "--made", "2026-12-01"]) == 0
    assert heading in out.read_text(encoding="utf-8")


def test_kaa_report_refuses_a_period_it_cannot_read(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", str(DATA / "cases.jsonl"), "--period", "hösten", "--municipality", "1882"]
    assert main([*argv, "-o", "x.html"]) == 2
    assert "2026T1" in capsys.readouterr().err
