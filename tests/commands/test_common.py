"""``--source``: every command that reads cases can read them through a register source."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.commands.common import load_cases
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary

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


def _with_problems(tmp_path: Path) -> Path:
    lines = (DATA / "cases.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    broken = json.loads(lines[1])
    broken["registration"]["day"] = "2026-02-30"
    lines[1] = json.dumps(broken, ensure_ascii=False)
    lines.append(lines[0])  # the same youth twice
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda tmp: DATA / "cases.jsonl", id="the example register"),
        pytest.param(_with_problems, id="a file with a bad case and a youth twice"),
    ],
)
def test_the_default_source_reads_the_cases_file_as_the_one_reader_does(
    tmp_path: Path, make: object
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    day = dt.date(2026, 12, 31)
    direct, through = ReadSummary(file=str(path)), ReadSummary(file=str(path))
    seen: list[str] = []
    expected = list(read_cases(path, summary=direct, reference_day=day))
    found = list(
        load_cases(
            path, summary=through, reference_day=day, on_problem=lambda p: seen.append(str(p))
        )
    )
    assert found == expected
    assert through == direct
    assert seen == [str(p) for p in direct.problems]
