"""``kaa worklist``, run in-process, on a cases file and on a case store."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.formats.cases import read_cases, write_cases
from kaa.store import AuditAction, open_store
from snapshot_generators.askersund_schedule import SAMPLE_CASES
from yearfiles import DATA, audit_of, example_store
from yearfiles import DAY as YEAR_DAY

DAY = "2026-09-10"
CASES = DATA / "cases.jsonl"


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
    days = re.findall(r"^== (\d{4}-\d{2}-\d{2}) \(\d+\) ==$", out, flags=re.MULTILINE)
    assert len(days) > 3
    assert days == sorted(set(days))
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


# --- on a case store ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(("--format", "table"), id="the table"),
        pytest.param(("--format", "table", "--group-by", "due-day"), id="the table by due day"),
        pytest.param(("--format", "csv", "--reveal-ids"), id="CSV with whole identity numbers"),
        pytest.param(("--format", "json"), id="JSON"),
    ],
)
def test_a_store_gives_the_same_worklist_as_the_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...]
) -> None:
    url = example_store(tmp_path)
    on = ("--on", YEAR_DAY.isoformat(), *options)
    assert main(["worklist", str(CASES), *on]) == 0
    from_file, file_err = capsys.readouterr()
    assert main(["worklist", "--store", url, "--municipality", "1882", *on]) == 0
    from_store, store_err = capsys.readouterr()
    assert from_store == from_file
    assert len(from_file.splitlines()) > 20
    assert f"{CASES}: 120 rows read" in file_err
    assert f"{url}: " in store_err
    assert store_err.splitlines()[1:] == file_err.splitlines()[1:]


def test_on_a_store_each_open_case_read_is_logged_with_the_command_and_the_actor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    argv = ["worklist", "--store", url, "--municipality", "1882", "--on", YEAR_DAY.isoformat()]
    assert main([*argv, "--actor", "eva", "--quiet"]) == 0
    open_cases = [c for c in read_cases(CASES) if c.open_on(YEAR_DAY)]
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == len(open_cases)
    assert {(e.actor, e.purpose, e.municipality) for e in reads} == {
        ("eva", "kaa worklist", "1882")
    }
    assert audit_of(url, AuditAction.REVEAL_IDS) == []
    assert "-****" in capsys.readouterr().out


def test_reveal_ids_on_a_store_is_logged_once_per_case_shown_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAA_ACTOR", "eva")
    url = example_store(tmp_path)
    target = tmp_path / "arbetslista.csv"
    argv = ["worklist", "--store", url, "--municipality", "1882", "--on", YEAR_DAY.isoformat()]
    assert main([*argv, "--reveal-ids", "-o", str(target), "--quiet"]) == 0
    shown = {row["id"] for row in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8")))}
    reads = {e.case_id: e for e in audit_of(url, AuditAction.READ)}
    reveals = audit_of(url, AuditAction.REVEAL_IDS)
    assert len(reveals) == len(shown) > 5
    assert len({e.case_id for e in reveals}) == len(reveals)
    assert {e.case_id for e in reveals} <= set(reads)
    with open_store(url, municipality="1882", actor="auditor") as store:
        revealed = {
            store.case(e.case_id, purpose="test").youth.id.full() for e in reveals if e.case_id
        }
    assert revealed == shown
    for entry in reveals:
        assert (entry.actor, entry.purpose) == ("eva", "kaa worklist")
        assert str(target) in entry.detail
        assert "-****" not in entry.detail
