"""``kaa year``, end to end on the bundled example data (:mod:`kaa.commands.year`): every
output written and named, and the SCB file refused with the reason said; and the same outputs
from a case store as from the cases file, with the reads and the SCB file audit-logged.

The use case itself (:func:`kaa.year.run_year`) is tested in ``tests/test_year.py``; the run
of the command shared by both is the ``outputs`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.formats.cases import read_cases
from kaa.period import HalfYear
from kaa.scb import default_profile, read_submission
from kaa.store import AuditAction
from yearfiles import DATA, DAY, audit_of, example_store
from yearfiles import bad_register as _bad_register


def test_the_whole_year_runs_and_says_where_each_output_went(
    outputs: tuple[int, str, Path],
) -> None:
    status, printed, out = outputs
    assert status == 0
    names = sorted(p.name for p in out.iterdir() if p.name != ".kaa-outputs.json")
    assert names == sorted(
        [
            "malgrupp-2026-12-31.csv",
            "ej-registrerade-2026-12-31.csv",
            "arbetslista-2026-12-31.csv",
            "scb-2026H2.txt",
            "scb-2026H2-kontroller.txt",
            "rapport-2026H2.html",
            "rapport-2026H2-utskrift.html",
            "rapport-2026.html",
            "rapport-2026-utskrift.html",
        ]
    )
    for name in names:
        assert str(out / name) in printed
    assert "196 rows read, 196 accepted, 0 rejected" in printed


def test_the_scb_file_reads_back_with_every_reported_youth(outputs: tuple[int, str, Path]) -> None:
    out = outputs[2]
    submission = read_submission(
        out / "scb-2026H2.txt",
        profile=default_profile(),
        period=HalfYear(2026, 2),
        municipality="1882",
    )
    cases = {c.youth.id for c in read_cases(DATA / "cases.jsonl")}
    assert len(submission.records) > 50
    assert {r.youth for r in submission.records} <= cases


def test_only_the_upload_file_holds_whole_identity_numbers(outputs: tuple[int, str, Path]) -> None:
    out = outputs[2]
    numbers = [c.youth.id.full("long") for c in read_cases(DATA / "cases.jsonl")]
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        found = any(n in text for n in numbers)
        assert found is (path.name == "scb-2026H2.txt"), path.name


def test_youths_in_the_target_group_without_a_case_are_listed(
    outputs: tuple[int, str, Path],
) -> None:
    rows = (outputs[2] / "ej-registrerade-2026-12-31.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,in_target_group_since,ages_out,reasons"
    assert len(rows) > 1
    assert all("-****" in r.split(",")[0] for r in rows[1:])


def test_the_report_is_for_askersund_and_the_half_year(outputs: tuple[int, str, Path]) -> None:
    html = (outputs[2] / "rapport-2026H2.html").read_text(encoding="utf-8")
    assert "Askersunds kommun" in html
    assert "HT 2026" in html
    assert "Öka andelen ungdomar som återgår till studier" in html


def test_kaa_year_says_why_the_scb_file_was_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["year", str(_bad_register(tmp_path)), "--cases", str(DATA / "cases.jsonl")]
    status = main([*argv, "--municipality", "1882", "--on", DAY.isoformat(), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "the SCB file was NOT written: 1 row(s) of" in err
    assert "could not be read" in err
    assert not (out / "scb-2026H2.txt").exists()


def test_kaa_year_on_a_store_writes_the_outputs_it_writes_from_the_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outputs: tuple[int, str, Path]
) -> None:
    url = example_store(tmp_path)
    out = tmp_path / "out"
    argv = ["year", str(DATA / "askersund-ist.csv"), "--store", url, "--actor", "eva"]
    status = main([*argv, "--municipality", "1882", "--on", DAY.isoformat(), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert f"cases:    {url}: 120 rows read, 120 accepted, 0 rejected" in err
    expected = outputs[2]
    names = sorted(p.name for p in expected.iterdir() if p.name != ".kaa-outputs.json")
    assert sorted(p.name for p in out.iterdir() if p.name != ".kaa-outputs.json") == names
    for name in names:
        if name.startswith("arbetslista-"):
            continue  # the case numbers differ: the store's case ids, the file's places
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name
    worklist = f"arbetslista-{DAY.isoformat()}.csv"
    on_store, on_file = (
        list(csv.reader(io.StringIO((d / worklist).read_text(encoding="utf-8-sig")), delimiter=";"))
        for d in (out, expected)
    )
    assert [r[1:] for r in on_store] == [r[1:] for r in on_file]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", r[0]) for r in on_store[1:])
    assert all(re.fullmatch(r"#\d+", r[0]) for r in on_file[1:])
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == 120
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa year")}
    written = audit_of(url, AuditAction.SCB_FILE)
    submission = read_submission(
        out / "scb-2026H2.txt", profile=default_profile(), period=HalfYear(2026, 2)
    )
    assert len(written) == len(submission.records) > 50
    assert len({e.case_id for e in written}) == len(written)
    for entry in written:
        assert (entry.actor, entry.purpose) == ("eva", "kaa year")
        assert str(out / "scb-2026H2.txt") in entry.detail
        assert "2026H2" in entry.detail


def test_kaa_year_on_a_store_that_writes_no_scb_file_logs_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    out = tmp_path / "out"
    argv = ["year", str(_bad_register(tmp_path)), "--store", url, "--municipality", "1882"]
    assert main([*argv, "--on", DAY.isoformat(), "-o", str(out)]) == 1
    assert "the SCB file was NOT written" in capsys.readouterr().err
    assert not (out / "scb-2026H2.txt").exists()
    assert audit_of(url, AuditAction.SCB_FILE) == []
    assert len(audit_of(url, AuditAction.READ)) == 120


def test_kaa_year_reveal_ids_writes_whole_numbers_only_in_the_lists_a_person_acts_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    out = tmp_path / "out"
    argv = ["year", str(DATA / "askersund-ist.csv"), "--store", url, "--actor", "eva"]
    argv += ["--municipality", "1882", "--on", DAY.isoformat(), "-o", str(out), "--reveal-ids"]
    assert main(argv) == 0, capsys.readouterr().err
    worklist = out / f"arbetslista-{DAY.isoformat()}.csv"
    missing = out / f"ej-registrerade-{DAY.isoformat()}.csv"
    whole = re.compile(r"\b(19|20)\d{6}-\d{4}\b")
    for listed in (worklist, missing):
        assert whole.search(listed.read_text(encoding="utf-8")), listed.name
        assert listed.stat().st_mode & 0o777 == 0o600
    for report in out.glob("*.html"):
        assert not whole.search(report.read_text(encoding="utf-8")), report.name
    revealed = audit_of(url, AuditAction.REVEAL_IDS)
    with_case = [e for e in revealed if e.case_id is not None]
    assert with_case
    assert all(str(worklist) in e.detail for e in with_case)
    (no_case,) = [e for e in revealed if e.case_id is None]
    assert str(missing) in no_case.detail
    assert {(e.actor, e.purpose) for e in revealed} == {("eva", "kaa year")}


def test_kaa_year_reveal_ids_without_a_store_warns_that_no_audit_log_records_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["year", str(DATA / "askersund-ist.csv"), "--cases", str(DATA / "cases.jsonl")]
    argv += ["--municipality", "1882", "--on", DAY.isoformat(), "-o", str(out), "--reveal-ids"]
    assert main(argv) == 0
    assert "no audit log records it" in capsys.readouterr().err
