"""Export and import through the canonical cases JSON Lines, on every backend: export then
import gives an equal store."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest

import pgserver
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import Case, Channel, Contact, ContactOutcome, EndReason, KaaEnd
from kaa.period import HalfYear
from kaa.store import (
    AuditAction,
    CaseStore,
    Event,
    events_of,
    export_cases,
    fold,
    import_cases,
    open_store,
)
from kaa.store.sqlite import path_of
from kaa.store.transfer import read_store_cases
from kaa.testing.synthetic import synthetic_cases
from yearfiles import DATA

CASES = DATA / "cases.jsonl"  # the bundled example case history (Askersund, 1882)


def _bundled() -> list[Case]:
    return list(read_cases(CASES, summary=ReadSummary(file=str(CASES))))


def test_export_then_import_gives_an_equal_store(
    store: CaseStore, other_store_url: str, tmp_path: Path
) -> None:
    summary = import_cases(store, CASES)
    assert summary.ok, summary.refused
    assert [s.case for s in store.cases(purpose="t")] == _bundled()
    first = summary.case_ids[0]
    day = store.case(first, purpose="t").registration.day
    store.record(
        first,
        Event(data=Contact(day=day, channel=Channel.LETTER, outcome=ContactOutcome.SENT)),
    )
    exported = tmp_path / "export.jsonl"
    assert export_cases(store, exported) == len(summary.case_ids)
    with open_store(other_store_url, municipality="1882", actor="b", create=True) as copy:
        assert import_cases(copy, exported).ok
        assert [s.case for s in copy.cases(purpose="t")] == [
            s.case for s in store.cases(purpose="t")
        ]
        again = tmp_path / "again.jsonl"
        export_cases(copy, again)
    assert again.read_bytes() == exported.read_bytes()
    first_exported = next(iter(read_cases(exported, summary=ReadSummary(file="x"))))
    assert any(c.channel is Channel.LETTER and c.day == day for c in first_exported.contacts)


def test_a_youth_with_several_cases_over_time_survives_export_and_import(
    store: CaseStore, other_store_url: str, tmp_path: Path
) -> None:
    case = next(c for c in _bundled() if c.end is not None)
    again = Case(
        youth=case.youth,
        municipality=case.municipality,
        registration=attrs.evolve(case.registration, day=case.end.day),  # type: ignore[union-attr]
    )
    store.register(case)
    store.register(again)
    path = tmp_path / "two.jsonl"
    assert export_cases(store, path) == 2
    with open_store(other_store_url, municipality="1882", actor="b", create=True) as copy:
        assert import_cases(copy, path).ok
        assert [s.case for s in copy.cases(purpose="t")] == [case, again]
        assert len(copy.find(case.youth.id, purpose="t")) == 2


def test_export_and_import_are_audit_logged(store: CaseStore, tmp_path: Path) -> None:
    summary = import_cases(store, CASES)
    export_cases(store, tmp_path / "out.jsonl")
    (imported,) = store.audit(action=AuditAction.IMPORT)
    (exported,) = store.audit(action=AuditAction.EXPORT)
    assert imported.detail == f"{len(summary.case_ids)} case(s) from cases.jsonl"
    assert exported.detail == f"{len(summary.case_ids)} case(s) to out.jsonl"
    reads = [e for e in store.audit(action=AuditAction.READ) if e.purpose == "export"]
    assert [e.case_id for e in reads] == summary.case_ids


def test_an_import_reports_the_cases_the_store_refuses_and_keeps_the_rest(
    store: CaseStore, tmp_path: Path
) -> None:
    bundled = _bundled()
    mine = [c for c in bundled if c.end is None][:2]
    other = [
        Case(youth=bundled[-1].youth, municipality="0180", registration=bundled[-1].registration)
    ]
    path = tmp_path / "cases.jsonl"
    write_cases([mine[0], mine[0], *other, mine[1]], path)
    with path.open("a", encoding="utf-8") as out:
        out.write('{"not": "a case"}\n')
    seen: list[str] = []
    summary = import_cases(store, path, on_problem=lambda p: seen.append(str(p)))
    assert len(summary.case_ids) == 2
    assert not summary.ok
    assert [p.line for p in summary.refused] == [2, 3]
    assert summary.read.rows_rejected == 1  # the last line
    assert "already has an open case" in summary.refused[0].message
    assert "bound to municipality 1882" in summary.refused[1].message
    assert len(seen) > 2
    assert all(c.youth.id.full() not in text for c in mine for text in seen)
    assert "2 case(s) imported, 0 already in the store, 2 refused" in str(summary)


def test_exporting_an_empty_store_writes_an_empty_file(store: CaseStore, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    assert export_cases(store, path) == 0
    assert path.read_text(encoding="utf-8") == ""


# -- a bulk import, resumable ---------------------------------------------------------------


def test_an_import_run_again_registers_nothing_twice(store: CaseStore) -> None:
    first = import_cases(store, CASES, chunk=7)
    again = import_cases(store, CASES, chunk=7)
    assert again.ok
    assert (again.case_ids, again.refused) == ([], [])
    assert [p.line for p in again.skipped] == list(range(1, len(first.case_ids) + 1))
    assert all("already in the store" in p.message for p in again.skipped)
    assert [s.case_id for s in store.cases(purpose="t")] == first.case_ids
    assert f"0 case(s) imported, {len(first.case_ids)} already in the store" in str(again)
    last = list(store.audit(action=AuditAction.IMPORT))[-1]
    assert last.detail == f"0 case(s) from cases.jsonl, {len(first.case_ids)} already in the store"


def test_an_import_of_a_longer_file_adds_only_the_cases_not_in_the_store_yet(
    store: CaseStore, other_store_url: str, tmp_path: Path
) -> None:
    bundled = _bundled()
    head = tmp_path / "head.jsonl"
    write_cases(bundled[:50], head)
    assert len(import_cases(store, head).case_ids) == 50
    summary = import_cases(store, CASES, chunk=16)
    assert (len(summary.skipped), len(summary.case_ids)) == (50, len(bundled) - 50)
    assert [s.case for s in store.cases(purpose="t")] == bundled
    with open_store(other_store_url, municipality="1882", actor="b", create=True) as whole:
        import_cases(whole, CASES)
        assert [s.case for s in whole.cases(purpose="t")] == bundled


@pytest.mark.parametrize(
    "change",
    ["contact", "end"],
    ids=[
        "a case worked on in the store since (a contact recorded) is kept, not refused",
        "a case ended in the store since (by a sync) is kept, not registered a second time",
    ],
)
def test_a_case_changed_in_the_store_since_its_import_is_kept_and_not_imported_again(
    store: CaseStore, change: str
) -> None:
    summary = import_cases(store, CASES)
    open_case = next(
        i
        for i, s in zip(summary.case_ids, store.cases(purpose="t"), strict=True)
        if not s.case.end and not s.case.measures and not s.case.consents and not s.case.plan
    )
    case = store.case(open_case, purpose="t")
    day = max([case.registration.day, *(c.day for c in case.contacts)])
    if change == "contact":
        data: object = Contact(day=day, channel=Channel.LETTER, outcome=ContactOutcome.SENT)
    else:
        data = KaaEnd(day=day, reason=EndReason.OTHER)
    store.record(open_case, Event(data=data))  # type: ignore[arg-type]
    again = import_cases(store, CASES)
    assert (again.case_ids, again.refused) == ([], [])
    assert len(again.skipped) == len(summary.case_ids)
    (changed,) = [p for p in again.skipped if "changed in the store since" in p.message]
    assert open_case in changed.message
    assert len(list(store.cases(purpose="t"))) == len(summary.case_ids)


def test_a_youth_twice_in_one_file_is_not_taken_for_a_case_already_in_the_store(
    store: CaseStore, tmp_path: Path
) -> None:
    ended = next(c for c in _bundled() if c.end is not None)
    path = tmp_path / "twice.jsonl"
    write_cases([ended, ended], path)
    summary = import_cases(store, path)
    assert (len(summary.case_ids), summary.skipped) == (2, [])  # as the file says
    again = import_cases(store, path)
    assert (again.case_ids, len(again.skipped)) == ([], 2)


def test_an_import_needs_at_least_one_case_per_batch(store: CaseStore) -> None:
    with pytest.raises(InvalidInput, match="at least one case per batch"):
        import_cases(store, CASES, chunk=0)


# -- kill -9 in the middle of an import ----------------------------------------------------

KILLED_CASES = 1_200
KILLED_CHUNK = 100

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kaa.store import import_cases, open_store
    url, path, chunk = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    with open_store(url, municipality="1882", actor="importer") as store:
        summary = import_cases(store, path, chunk=chunk)
    print(len(summary.case_ids), len(summary.skipped), len(summary.refused))
    """
)


@pytest.fixture(scope="module")
def large_cases_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:data:`KILLED_CASES` synthetic cases of Askersund (interim numbers, one per youth)."""
    path = tmp_path_factory.mktemp("large") / "cases.jsonl"
    cases = synthetic_cases(KILLED_CASES, period=HalfYear(year=2026, half=2), unique=True)
    assert write_cases(cases, path) == KILLED_CASES
    return path


def _scalar(url: str, sql: str) -> Any:
    """One value, read past the store (no audit entry, no lock) with the backend's driver."""
    if url.startswith("sqlite:"):
        with contextlib.closing(sqlite3.connect(path_of(url))) as conn:
            return conn.execute(sql).fetchone()[0]
    with pgserver.connect(url) as conn:
        row = conn.execute(sql).fetchone()
        assert row is not None
        return row[0]


def _import_in_a_process(url: str, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(path), str(KILLED_CHUNK)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_in_the_middle(url: str, importer: subprocess.Popen[str]) -> None:
    """SIGKILL the importer in the middle of a batch, once two batches are committed."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and importer.poll() is None:
        with contextlib.suppress(sqlite3.Error, psycopg.Error):
            if _scalar(url, "SELECT count(*) FROM cases") >= 2 * KILLED_CHUNK:
                break
        time.sleep(0.005)
    time.sleep(0.05)  # into the next batch
    assert importer.poll() is None, "the import ended before it could be killed"
    importer.send_signal(signal.SIGKILL)
    importer.communicate(timeout=30)
    assert importer.returncode == -signal.SIGKILL


CONSISTENT = {
    "events of no case": "SELECT count(*) FROM events WHERE case_id NOT IN "
    "(SELECT case_id FROM cases)",
    "cases whose last event is not theirs": "SELECT count(*) FROM cases c WHERE NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.event_id = c.last_event AND e.case_id = c.case_id)",
    "cases without their registration": "SELECT count(*) FROM cases c WHERE NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.case_id = c.case_id AND e.kind = 'registered')",
    "corrections of no event": "SELECT count(*) FROM events WHERE supersedes IS NOT NULL AND "
    "supersedes NOT IN (SELECT event_id FROM events)",
    "second open cases": "SELECT count(*) FROM (SELECT municipality, youth FROM cases WHERE "
    "ended_on IS NULL GROUP BY municipality, youth HAVING count(*) > 1) AS twice",
    "cases registered without their audit entry": "SELECT (SELECT count(*) FROM cases) - "
    "(SELECT count(*) FROM audit WHERE action = 'register')",
}
"""Queries that count what a consistent store never holds (each must give 0)."""


def _check_consistent(url: str) -> None:
    if url.startswith("sqlite:"):
        with contextlib.closing(sqlite3.connect(path_of(url))) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    found = {what: _scalar(url, sql) for what, sql in CONSISTENT.items()}
    assert found == dict.fromkeys(CONSISTENT, 0)


def test_an_import_killed_in_the_middle_leaves_whole_cases_and_is_finished_by_running_it_again(
    store: CaseStore, store_url: str, other_store_url: str, large_cases_file: Path
) -> None:
    wanted = [c for _, c in read_store_cases(large_cases_file, summary=ReadSummary(file="x"))]
    _kill_in_the_middle(store_url, _import_in_a_process(store_url, large_cases_file))

    _check_consistent(store_url)
    committed = list(store.cases(purpose="after the kill"))
    assert 2 * KILLED_CHUNK <= len(committed) < KILLED_CASES
    assert len(committed) % KILLED_CHUNK == 0  # whole batches, nothing of the one killed
    assert [s.case for s in committed] == wanted[: len(committed)]
    for stored, case in zip(committed, wanted, strict=False):
        history = store.history(stored.case_id, purpose="after the kill")
        assert fold(history) == case  # every committed case is whole
        assert [e.kind for e in history] == [e.kind for e in events_of(case)]

    again = _import_in_a_process(store_url, large_cases_file)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert out.split() == [str(KILLED_CASES - len(committed)), str(len(committed)), "0"]
    _check_consistent(store_url)

    with open_store(other_store_url, municipality="1882", actor="b", create=True) as whole:
        assert import_cases(whole, large_cases_file).ok
        uninterrupted = [
            (s.case, len(whole.history(s.case_id, purpose="t"))) for s in whole.cases(purpose="t")
        ]
    resumed = [
        (s.case, len(store.history(s.case_id, purpose="t"))) for s in store.cases(purpose="t")
    ]
    assert resumed == uninterrupted
    assert [c for c, _ in resumed] == wanted
    assert _scalar(store_url, "SELECT count(*) FROM events") == sum(n for _, n in uninterrupted)
