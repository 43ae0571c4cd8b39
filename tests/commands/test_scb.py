"""``kaa scb build|check|read`` run in-process on the bundled example cases, from the cases
file and from a case store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest

from kaa.cli import main
from kaa.formats.cases import read_cases, write_cases
from kaa.model.case import EndReason, KaaEnd
from kaa.period import HalfYear
from kaa.scb.reader import read_submission
from kaa.scb.submission import Block
from kaa.store import AuditAction, open_store
from yearfiles import audit_of, example_store

CASES = Path(__file__).parent.parent.parent / "examples" / "data" / "cases.jsonl"
ARGS = ["--period", "2026H2", "--municipality", "1882"]


def test_build_writes_the_file_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scb.txt"
    status = main(
        ["scb", "build", str(CASES), *ARGS, "-o", str(out), "--excel", str(tmp_path / "k.xlsx")]
    )
    err = capsys.readouterr().err
    assert status == 0, err
    assert "youths reported" in err
    assert f"block 2 {Block.CONTACTS.label_sv} (contacts)" in err
    assert "placeholder codes" in err
    assert "written:" in err
    assert (tmp_path / "k.xlsx").exists()
    submission = read_submission(out, period=HalfYear(2026, 2))
    assert f"block 1 Obligatoriska uppgifter (mandatory): {len(submission)}" in err
    # the file is the upload: whole numbers; the summary never shows them
    first = submission.records[0].youth
    assert first.full("long") in out.read_text(encoding="utf-8")
    assert first.full("long") not in err


def test_build_refuses_to_write_when_a_check_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = list(read_cases(CASES))
    victim = next(
        c
        for c in cases
        if c.youth.id.birth_date and c.end is None and c.registration.day < dt.date(2026, 7, 1)
    )
    bad = attrs.evolve(
        victim,
        contacts=(),
        measures=(),
        plan=None,
        consents=(),
        end=KaaEnd(day=dt.date(2026, 10, 1), reason=EndReason.TURNED_20),
    )
    path = tmp_path / "cases.jsonl"
    write_cases([bad if c is victim else c for c in cases], path)
    out = tmp_path / "scb.txt"
    status = main(["scb", "build", str(path), *ARGS, "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "KAA-E012" in err
    assert "NOT written" in err
    assert not out.exists()
    assert victim.youth.id.full("long") not in err


def test_build_refuses_when_a_case_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    lines = CASES.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([*lines[:3], '{"youth": {"id": "nonsense"}}', *lines[3:]]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "scb.txt"
    assert main(["scb", "build", str(path), *ARGS, "-o", str(out)]) == 1
    assert "could not be read" in capsys.readouterr().err
    assert not out.exists()


def test_check_and_read_a_submission_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scb.txt"
    assert main(["scb", "build", str(CASES), *ARGS, "-o", str(out), "--quiet"]) == 0
    assert main(["scb", "check", str(out), "--period", "2026H2"]) == 0
    assert "checks: 0 errors" in capsys.readouterr().err
    records = tmp_path / "records.json"
    assert main(["scb", "read", str(out), "--period", "2026H2", "-o", str(records)]) == 0
    data = json.loads(records.read_text(encoding="utf-8"))
    assert data["period"] == "2026H2"
    assert data["records"]
    assert all(r["mandatory"]["youth"].endswith("-****") for r in data["records"])


def test_check_on_cases_needs_the_municipality(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scb", "check", str(CASES), "--period", "2026H2"]) == 2
    assert main(["scb", "check", str(CASES), *ARGS, "--quiet"]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(
            ["scb", "build", str(CASES), "--period", "autumn", "--municipality", "1882", "-o", "x"],
            id="a malformed half-year is a usage error",
        ),
        pytest.param(["scb"], id="kaa scb without an action is a usage error"),
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_a_profile_that_does_not_cover_the_period_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scb", "read", str(tmp_path / "x.txt"), "--period", "2016H2"]) == 2
    assert "profile.first_period" in capsys.readouterr().err


def _with_bad_lines(tmp_path: Path, *, unreadable: bool, failing: bool) -> Path:
    """The example cases, with a line that cannot be read and/or a case failing KAA-E012."""
    cases = list(read_cases(CASES))
    if failing:
        victim = next(
            c
            for c in cases
            if c.youth.id.birth_date and c.end is None and c.registration.day < dt.date(2026, 7, 1)
        )
        bad = attrs.evolve(
            victim,
            contacts=(),
            measures=(),
            plan=None,
            consents=(),
            end=KaaEnd(day=dt.date(2026, 10, 1), reason=EndReason.TURNED_20),
        )
        cases = [bad if c is victim else c for c in cases]
    path = tmp_path / "cases.jsonl"
    write_cases(cases, path)
    if unreadable:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.insert(3, '{"youth": {"id": "nonsense"}}')
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("unreadable", "failing", "municipality", "reasons"),
    [
        pytest.param(
            True, False, "1882", ["could not be read"], id="build refuses after a rejected row"
        ),
        pytest.param(
            False,
            True,
            "1882",
            ["check(s) failed with an error"],
            id="build refuses a failed check",
        ),
        pytest.param(
            False,
            False,
            "0180",
            ["no youth of municipality 0180"],
            id="build refuses when no youth belongs to the municipality",
        ),
        pytest.param(
            True,
            True,
            "1882",
            ["could not be read", "check(s) failed with an error"],
            id="build prints every reason at once",
        ),
    ],
)
def test_build_obeys_the_write_rule(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    unreadable: bool,
    failing: bool,
    municipality: str,
    reasons: list[str],
) -> None:
    path = _with_bad_lines(tmp_path, unreadable=unreadable, failing=failing)
    out = tmp_path / "scb.txt"
    argv = ["scb", "build", str(path), "--period", "2026H2", "--municipality", municipality]
    assert main([*argv, "-o", str(out)]) == 1
    refused = [line for line in capsys.readouterr().err.splitlines() if "NOT written" in line]
    assert len(refused) == len(reasons)
    for line, words in zip(refused, reasons, strict=True):
        assert words in line
    assert not out.exists()


# --- on a case store ---------------------------------------------------------------------------


def test_build_on_a_store_writes_the_same_file_and_logs_it_once_per_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    from_file, from_store = tmp_path / "file.txt", tmp_path / "store.txt"
    assert main(["scb", "build", str(CASES), *ARGS, "-o", str(from_file)]) == 0
    file_err = capsys.readouterr().err
    store = ["--store", url, "--actor", "eva"]
    assert main(["scb", "build", *store, *ARGS, "-o", str(from_store)]) == 0
    store_err = capsys.readouterr().err
    assert from_store.read_bytes() == from_file.read_bytes()
    assert store_err.splitlines()[1:-1] == file_err.splitlines()[1:-1]
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == 120
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa scb build")}
    submission = read_submission(from_store, period=HalfYear(2026, 2))
    with open_store(url, municipality="1882", actor="auditor") as opened:
        youth_of = {s.case_id: s.case.youth.id for s in opened.cases(purpose="test")}
    written = audit_of(url, AuditAction.SCB_FILE)
    assert sorted(youth_of[e.case_id] for e in written if e.case_id) == sorted(
        r.youth for r in submission.records
    )
    for entry in written:
        assert (entry.actor, entry.purpose) == ("eva", "kaa scb build")
        assert str(from_store) in entry.detail
        assert "2026H2" in entry.detail


@pytest.mark.parametrize(
    ("failing", "municipality", "reason"),
    [
        pytest.param(True, "1882", "check(s) failed with an error", id="a failed check"),
        pytest.param(
            False,
            "0180",
            "no youth of municipality 0180",
            id="a store bound to another municipality holds no youth of it",
        ),
    ],
)
def test_build_on_a_store_that_writes_no_file_logs_no_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    failing: bool,
    municipality: str,
    reason: str,
) -> None:
    url = example_store(tmp_path, _with_bad_lines(tmp_path, unreadable=False, failing=failing))
    out = tmp_path / "scb.txt"
    argv = ["scb", "build", "--store", url, "--period", "2026H2", "--municipality", municipality]
    assert main([*argv, "-o", str(out)]) == 1
    assert reason in capsys.readouterr().err
    assert not out.exists()
    assert audit_of(url, AuditAction.SCB_FILE) == []
    assert len(audit_of(url, AuditAction.READ)) == (120 if municipality == "1882" else 0)


def test_check_on_a_store_reports_as_on_the_file_and_logs_a_revealing_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    assert main(["scb", "check", str(CASES), *ARGS]) == 0
    file_err = capsys.readouterr().err
    assert main(["scb", "check", "--store", url, *ARGS]) == 0
    store_err = capsys.readouterr().err
    assert store_err.splitlines()[1:] == file_err.splitlines()[1:]
    assert {e.purpose for e in audit_of(url, AuditAction.READ)} == {"kaa scb check"}
    assert audit_of(url, AuditAction.REVEAL_IDS) == []
    workbook = tmp_path / "kontroll.xlsx"
    argv = ["scb", "check", "--store", url, *ARGS, "--excel", str(workbook), "--quiet"]
    assert main([*argv, "--reveal-ids"]) == 0
    assert workbook.exists()
    reveals = audit_of(url, AuditAction.REVEAL_IDS)
    reported = len(read_submission(_built(tmp_path), period=HalfYear(2026, 2)).records)
    assert len(reveals) == reported > 50
    assert all(str(workbook) in e.detail and e.purpose == "kaa scb check" for e in reveals)


def _built(tmp_path: Path) -> Path:
    out = tmp_path / "built.txt"
    assert main(["scb", "build", str(CASES), *ARGS, "-o", str(out), "--quiet"]) == 0
    return out
