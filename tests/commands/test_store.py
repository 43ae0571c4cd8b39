"""``kaa store``: init, migrate, import and export through the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.store import AuditAction, open_store
from kaa.store.base import migrations
from yearfiles import DATA

CASES = DATA / "cases.jsonl"
VERSION = len(migrations("sqlite"))  # the newest schema version


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_init_creates_a_private_store_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'kaa.db'}"
    status, _, err = _run(capsys, "store", "init", url)
    assert (status, err.strip()) == (0, f"case store at {url}: schema version {VERSION}")
    assert stat.S_IMODE((tmp_path / "kaa.db").stat().st_mode) == 0o600
    assert _run(capsys, "store", "init", url)[0] == 0


def test_migrate_says_when_there_is_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "kaa.db")
    _run(capsys, "store", "init", url)
    status, _, err = _run(capsys, "store", "migrate", url)
    assert status == 0
    assert f"at schema version {VERSION}: nothing to migrate" in err


def test_migrate_without_a_store_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "store", "migrate", str(tmp_path / "none.db"))
    assert status == 2
    assert "no case store at" in err
    assert not (tmp_path / "none.db").exists()


def test_import_then_export_gives_back_the_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "kaa.db")
    _run(capsys, "store", "init", url)
    common = ("--municipality", "1882", "--actor", "anna")
    status, _, err = _run(capsys, "store", "import", url, str(CASES), *common)
    assert status == 0, err
    assert "120 case(s) imported, 0 already in the store, 0 refused" in err
    out_file = tmp_path / "out.jsonl"
    status, _, err = _run(capsys, "store", "export", url, *common, "-o", str(out_file))
    assert status == 0
    assert f"120 case(s) of 1882 written to {out_file}" in err
    summary = ReadSummary(file="x")
    assert list(read_cases(out_file, summary=summary)) == list(
        read_cases(CASES, summary=ReadSummary(file="y"))
    )
    with open_store(url, municipality="1882", actor="check") as store:
        actions = {e.action for e in store.audit(actor="anna")}
    assert actions == {
        AuditAction.REGISTER,
        AuditAction.SEARCH,  # the import looks for each youth's cases already in the store
        AuditAction.IMPORT,
        AuditAction.READ,
        AuditAction.EXPORT,
    }


def test_an_import_with_refused_cases_exits_1_and_names_them_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(tmp_path / "kaa.db")
    _run(capsys, "store", "init", url)
    twice = tmp_path / "twice.jsonl"
    line = CASES.read_text(encoding="utf-8").splitlines()[0]
    twice.write_text(f"{line}\n{line}\n", encoding="utf-8")
    status, _, err = _run(capsys, "store", "import", url, str(twice), "--municipality", "1882")
    assert status == 1
    assert "already has an open case" in err
    assert "1 case(s) imported" in err


def test_export_needs_a_jsonl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(tmp_path / "kaa.db")
    _run(capsys, "store", "init", url)
    status, _, err = _run(
        capsys, "store", "export", url, "--municipality", "1882", "-o", str(tmp_path / "x.csv")
    )
    assert status == 2
    assert "-o must name a .jsonl file" in err


def test_every_store_action_takes_the_store_as_store_url_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'kaa.db'}"
    common = ("--municipality", "1882", "--actor", "anna")
    assert _run(capsys, "store", "init", "--store", url)[0] == 0
    status, _, err = _run(capsys, "store", "migrate", "--store", url)
    assert (status, "nothing to migrate" in err) == (0, True)
    status, _, err = _run(capsys, "store", "import", "--store", url, str(CASES), *common)
    assert (status, "120 case(s) imported" in err) == (0, True)
    out_file = tmp_path / "out.jsonl"
    status, _, err = _run(capsys, "store", "export", "--store", url, *common, "-o", str(out_file))
    assert (status, "120 case(s) of 1882 written" in err) == (0, True)
    # the same URL both ways is one store; two different ones, or none, are refused
    assert _run(capsys, "store", "migrate", url, "--store", url)[0] == 0
    status, _, err = _run(capsys, "store", "migrate", url, "--store", str(tmp_path / "b.db"))
    assert (status, "two stores named" in err) == (2, True)
    status, _, err = _run(capsys, "store", "init")
    assert (status, "name the store: --store URL" in err) == (2, True)
    assert not (tmp_path / "b.db").exists()
