"""``--source``: every command that reads cases can read them through a register source."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.cli import main

DATA = Path(__file__).parent.parent.parent / "examples" / "data"
IST = DATA / "askersund-ist.csv"


def test_worklist_reads_an_ist_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wl.csv"
    status = main(
        [
            "worklist",
            str(IST),
            "--source",
            "ist",
            "--on",
            "2026-12-31",
            "--format",
            "csv",
            "-o",
            str(out),
        ]
    )
    assert status == 0
    assert "0 rejected" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) > 10


def test_scb_build_reads_an_ist_export(tmp_path: Path) -> None:
    out = tmp_path / "scb.txt"
    status = main(
        [
            "scb",
            "build",
            str(IST),
            "--source",
            "ist",
            "--period",
            "2026H2",
            "--municipality",
            "1882",
            "-o",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) > 50


def test_report_reads_an_ist_export(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    status = main(
        [
            "report",
            str(IST),
            "--source",
            "ist",
            "--period",
            "2026H2",
            "--municipality",
            "1882",
            "-o",
            str(out),
            "--made",
            "2026-12-31",
        ]
    )
    assert status == 0
    assert "Askersunds kommun" in out.read_text(encoding="utf-8")


def test_an_unknown_source_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["worklist", str(IST), "--source", "nosuch", "--on", "2026-12-31"])
    assert status == 2
    assert "nosuch" in capsys.readouterr().err
