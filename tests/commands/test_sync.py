"""``kaa sync``: the command, and a sync killed with SIGKILL in the middle."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from adapters.test_ss12000_client import TOKEN, Platform, serving, youths
from kaa.adapters.ss12000_client import DEFAULT_TOKEN_ENV
from kaa.cli import main
from kaa.convert import to_dict
from kaa.store import AuditAction, open_store
from kaa.store.sqlite import path_of
from kaa.testing.synthetic import synthetic_youths
from yearfiles import DATA

KOMMUN = "1882"
DAY = dt.date(2026, 11, 23)
ASKERSUND = DATA / "askersund-ist.csv"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _store(tmp_path: Path, name: str = "kaa.db") -> str:
    url = f"sqlite:///{tmp_path / name}"
    open_store(url, municipality=KOMMUN, actor="t", create=True).close()
    return url


def _sync_args(register: Path, url: str, *extra: str) -> list[str]:
    return [
        "sync",
        str(register),
        "--municipality",
        KOMMUN,
        "--store",
        url,
        "--actor",
        "sync-test",
        "--on",
        DAY.isoformat(),
        *extra,
    ]


def _changes(url: str) -> int:
    with contextlib.closing(open_store(url, municipality=KOMMUN, actor="t")) as store:
        return sum(
            1 for e in store.audit() if e.action in (AuditAction.REGISTER, AuditAction.RECORD)
        )


def test_sync_prints_every_action_and_the_counts_and_a_second_run_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    status, out, err = _run(capsys, *_sync_args(ASKERSUND, url, "--source", "ist"))
    assert status == 0
    assert out == ""
    registered = [line for line in err.splitlines() if line.startswith("registered ")]
    assert len(registered) == 3
    assert all("-****" in line for line in registered)
    assert "        3 registered" in err
    assert "kaa sync — " in err
    changes = _changes(url)
    assert changes == 3

    status, _, err = _run(capsys, *_sync_args(ASKERSUND, url, "--source", "ist"))
    assert status == 0
    assert "        0 registered" in err
    assert "        0 facts updated" in err
    assert _changes(url) == changes


def test_a_dry_run_lists_what_would_be_done_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    status, _, err = _run(capsys, *_sync_args(ASKERSUND, url, "--dry-run"))
    assert status == 0
    assert "dry run: nothing was written" in err
    assert "actions that would be done:" in err
    assert "        3 registered" in err
    assert _changes(url) == 0


def test_rejected_rows_give_exit_status_1_and_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    register = DATA / "youths-with-errors.csv"
    status, _, err = _run(capsys, *_sync_args(register, url, "--source", "canonical"))
    assert status == 1
    rejected = [line for line in err.splitlines() if line.startswith("rejected ")]
    assert rejected
    assert all(f"{register}:" in line for line in rejected)
    assert "registered" in err


def test_the_store_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, *_sync_args(ASKERSUND, f"sqlite:///{tmp_path / 'none.db'}"))
    assert status == 2
    assert "kaa store init" in err


# -- killed in the middle ---------------------------------------------------------------------


def _register(path: Path, n: int) -> Path:
    """A synthetic register of ``n`` youths (synthetic interim numbers), canonical JSON
    Lines, most of them in the target group."""
    with path.open("w", encoding="utf-8") as f:
        for youth in synthetic_youths(n, on=DAY, municipality=KOMMUN, unique=True, register=True):
            f.write(json.dumps(to_dict(youth, reveal_ids=True), ensure_ascii=False) + "\n")
    return path


def _cases(url: str) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{path_of(url)}?mode=ro", uri=True)) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        except sqlite3.OperationalError:  # locked for a moment
            return 0


def _state(url: str) -> list[tuple[str, str]]:
    with contextlib.closing(open_store(url, municipality=KOMMUN, actor="t")) as store:
        found = [
            (s.case.youth.id.full("long"), json.dumps(to_dict(s.case, reveal_ids=True)))
            for s in store.cases(purpose="test")
        ]
    return sorted(found)


def _command(register: Path, url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "kaa.cli",
        *_sync_args(register, url, "--source", "canonical", "--quiet"),
    ]


def test_a_sync_killed_in_the_middle_keeps_a_consistent_store_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    register = _register(tmp_path / "register.jsonl", 8_000)
    killed = _store(tmp_path, "killed.db")
    whole = _store(tmp_path, "whole.db")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    child = subprocess.Popen(
        _command(register, killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while _cases(killed) < 750 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, "the sync ended before it could be killed: use a larger register"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    if child.stderr is not None:
        child.stderr.close()

    with contextlib.closing(sqlite3.connect(path_of(killed))) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        kept = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        # whole chunks only: every case has its registration event
        bare = conn.execute(
            "SELECT count(*) FROM cases c WHERE NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.case_id = c.case_id AND e.kind = 'registered')"
        ).fetchone()[0]
    assert kept >= 750
    assert bare == 0

    subprocess.run(_command(register, killed), env=env, check=True, capture_output=True)
    subprocess.run(_command(register, whole), env=env, check=True, capture_output=True)
    after = _state(killed)
    assert len(after) > kept
    assert after == _state(whole)
    # and a third run changes nothing
    changes = _changes(killed)
    subprocess.run(_command(register, killed), env=env, check=True, capture_output=True)
    assert _changes(killed) == changes


# -- fetched from an SS12000 API on 127.0.0.1 ---------------------------------------------------


def _url_args(api: str, url: str, *extra: str) -> list[str]:
    return [
        "sync",
        "--source",
        "ss12000",
        "--url",
        api,
        "--municipality",
        KOMMUN,
        "--store",
        url,
        "--actor",
        "sync-test",
        "--on",
        DAY.isoformat(),
        *extra,
    ]


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the fetched document is written to (empty after each run)."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv(DEFAULT_TOKEN_ENV, TOKEN)
    return folder


def test_sync_from_an_ss12000_api_fetches_every_page_then_syncs_and_again_changes_nothing(
    tmp_path: Path, spool: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    platform = Platform(youths(7))
    platform.fail("persons", 2, ("status", 503, {"Retry-After": "0"}))
    with serving(platform) as api:
        status, out, err = _run(capsys, *_url_args(api, url))
        assert list(spool.iterdir()) == []
        assert status == 0, err
        assert out == ""
        assert f"fetched 7 persons in 3 pages and 2 programmes from {api}/persons" in err
        assert "fetching: persons, page 2: the server answered 503" in err
        assert "7 youths read, 5 in the target group" in err  # two on introduction programmes
        assert "        5 registered" in err
        assert f"  register: {api}/persons: 7 rows read, 7 accepted" in err
        assert _changes(url) == 5

        status, _, err = _run(capsys, *_url_args(api, url))
        assert status == 0
        assert "        0 registered" in err
        assert "        0 facts updated" in err
        assert _changes(url) == 5
    assert TOKEN not in out + err
    assert {s.authorization for s in platform.seen} == {f"Bearer {TOKEN}"}
    assert list(spool.iterdir()) == []


def test_a_fetch_that_fails_syncs_nothing_and_leaves_the_store_as_it_was(
    tmp_path: Path, spool: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    platform = Platform(youths(7))
    platform.fail("persons", 3, *[("status", 500)] * 20)
    with serving(platform) as api:
        status, _, err = _run(capsys, *_url_args(api, url, "--time-limit", "2"))
    assert status == 2
    assert f"kaa: error: {api}/persons, page 3: the server answered 500" in err
    assert "nothing of it was read" in err
    assert "registered" not in err
    assert _changes(url) == 0
    with contextlib.closing(open_store(url, municipality=KOMMUN, actor="t")) as store:
        assert list(store.audit()) == []
    assert list(spool.iterdir()) == []
    assert TOKEN not in err


def test_a_person_the_source_rejects_is_listed_at_the_api_address(
    tmp_path: Path, spool: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _store(tmp_path)
    persons = youths(4)
    persons[2]["civicNo"] = {**persons[2]["civicNo"], "nationality": "NO"}
    with serving(Platform(persons)) as api:
        status, _, err = _run(capsys, *_url_args(api, url, "--quiet"))
    assert status == 1
    rejected = [line for line in err.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == 1
    assert f"{api}/persons:4: column civicNo.nationality" in rejected[0]  # the third
    assert str(spool) not in err
    assert "        3 registered" in err


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        pytest.param(["register.csv"], "either the register export REGISTER or --url", id="both"),
        pytest.param(["--source", "ist"], "its source is ss12000", id="another source"),
        pytest.param(["--token-env", "NO_SUCH_TOKEN"], "NO_SUCH_TOKEN holds no bearer", id="token"),
    ],
)
def test_sync_from_an_api_refuses_what_does_not_go_together(
    tmp_path: Path,
    spool: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    words: str,
) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    url = _store(tmp_path)
    platform = Platform(youths(2))
    with serving(platform) as api:
        args = _url_args(api, url)
        if extra[0] == "--source":
            args[1:3] = extra
        else:
            args += extra
        status, _, err = _run(capsys, *args)
    assert status == 2
    assert words in err
    assert platform.seen == []
    assert _changes(url) == 0


def test_sync_needs_a_register_or_a_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _store(tmp_path)
    args = [a for a in _sync_args(ASKERSUND, url) if a != str(ASKERSUND)]
    status, _, err = _run(capsys, *args)
    assert status == 2
    assert "either the register export REGISTER or --url" in err
