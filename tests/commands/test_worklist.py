"""``kaa worklist``, run in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.formats.cases import write_cases
from snapshot_generators.askersund_schedule import SAMPLE_CASES

DAY = "2026-09-10"


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    write_cases(SAMPLE_CASES.values(), path)
    return path


def test_the_table_groups_items_by_case_worker(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["worklist", str(cases_file), "--on", DAY])
    out, err = capsys.readouterr()
    assert status == 0
    assert out.startswith("Arbetslista 2026-09-10")
    assert "== Handläggare A" in out
    assert "försenad" in out
    assert "6 records, 0 problems" in err
    assert "worklist for 2026-09-10" in err
    whole = next(iter(SAMPLE_CASES.values())).youth.id.full()
    assert whole not in out
    assert whole not in err


def test_grouping_by_due_day(cases_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["worklist", str(cases_file), "--on", DAY, "--group-by", "due-day", "--quiet"])
    out, err = capsys.readouterr()
    assert "== 2026-08-24" in out
    assert err == ""


def test_csv_to_a_file_atomically_with_revealed_ids(cases_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "worklist.csv"
    target.parent.mkdir()
    status = main(
        ["worklist", str(cases_file), "--on", DAY, "-o", str(target), "--reveal-ids", "--quiet"]
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows
    assert {r["case_worker"] for r in rows} == {"Handläggare A"}
    assert all("-****" not in r["id"] for r in rows)
    assert [p.name for p in target.parent.iterdir()] == ["worklist.csv"]


def test_json_with_a_window_and_a_given_timetable(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = Path(__file__).parents[2] / "src" / "kaa" / "data" / "timetables" / "national.toml"
    main(
        [
            "worklist",
            str(cases_file),
            "--on",
            DAY,
            "--format",
            "json",
            "--window",
            "0",
            "--timetable",
            str(national),
            "--quiet",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["day"] == DAY
    assert data["window"] == 0
    steps = {row["step"] for group in data["groups"] for row in group["items"]}
    assert steps <= {"contact", ""}
    assert all(row["id"].endswith("-****") for g in data["groups"] for row in g["items"])


def test_a_bad_case_is_reported_and_sets_the_exit_status(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with cases_file.open("a", encoding="utf-8") as f:
        f.write('{"youth": {"id": "20080101-2386"}, "municipality": "9999"}\n')
    status = main(["worklist", str(cases_file), "--on", DAY])
    _, err = capsys.readouterr()
    assert status == 1
    assert ":7:" in err
    assert "20080101-2386" not in err
    assert main(["worklist", str(cases_file), "--on", DAY, "--strict"]) == 1
    assert "stopped at the first problem" in capsys.readouterr().err


def test_a_malformed_timetable_is_a_usage_error(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "kommun.toml"
    bad.write_text('municipality = "1882"\n', encoding="utf-8")
    assert main(["worklist", str(cases_file), "--on", DAY, "--timetable", str(bad)]) == 2
    assert "kommun.toml" in capsys.readouterr().err


@pytest.mark.parametrize(
    "window", [pytest.param("-1", id="a negative window"), pytest.param("x", id="a word")]
)
def test_a_bad_window_is_rejected(cases_file: Path, window: str) -> None:
    with pytest.raises(SystemExit):
        main(["worklist", str(cases_file), "--on", DAY, "--window", window])
