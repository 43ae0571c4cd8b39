"""``kaa report``: the committee report and its print version written from a cases file
(:mod:`kaa.commands.report`); the report itself is tested in ``tests/test_report.py``."""

from __future__ import annotations

from pathlib import Path

from kaa.cli import main
from kaa.formats.cases import write_cases
from test_followup import CASES


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
