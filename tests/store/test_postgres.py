"""What only the PostgreSQL store promises, on the real server the tests start themselves
(``pg_server`` in ``conftest.py``, ``tests/pgserver.py``): two connections appending at once
lose nothing, the database itself refuses to change the audit log or an event, the partial
unique index keeps one open case per youth and municipality, the schema is versioned and its
migrations are transactional, and the server the tests start is loopback-only and leaves
nothing behind. The rest of the contract is ``test_contract.py``, run against both backends.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, inspect

import pgserver
from kaa.errors import ConfigurationError
from kaa.identity import IdentityNumber
from kaa.model.case import Case, Channel, Contact, ContactOutcome, Registration
from kaa.model.youth import Youth
from kaa.store import (
    AuditAction,
    CaseStore,
    Event,
    OpenCaseExists,
    StoreError,
    init_store,
    migrate_store,
    open_store,
)
from kaa.store.base import Migration, migrations
from kaa.store.postgres import engine_url, metadata
from kaa.testing import skatteverket_numbers

NUMBERS = [IdentityNumber.parse(n) for n in skatteverket_numbers()[:8]]
MUNICIPALITY = "1882"
VERSION = len(migrations("postgres"))  # the newest schema version


def _case(i: int = 0, *, municipality: str = MUNICIPALITY) -> Case:
    return Case(
        youth=Youth(id=NUMBERS[i]),
        municipality=municipality,
        registration=Registration(day=dt.date(2026, 1, 12)),
    )


def _contact(i: int = 0) -> Event:
    return Event(
        data=Contact(
            day=dt.date(2026, 2, 1) + dt.timedelta(days=i % 200),
            channel=Channel.PHONE,
            outcome=ContactOutcome.NO_ANSWER,
        )
    )


@pytest.fixture
def url(pg_url: str) -> str:
    """A fresh database with the store's schema."""
    init_store(pg_url)
    return pg_url


@pytest.fixture
def store(url: str) -> Iterator[CaseStore]:
    """A store with one case, one contact, a search and a read (so every table has rows)."""
    with open_store(url, municipality=MUNICIPALITY, actor="anna") as opened:
        case_id = opened.register(_case())
        opened.record(case_id, _contact())
        opened.find(NUMBERS[0], purpose=f"search for {NUMBERS[0].full()}")
        opened.case(case_id, purpose="show")
        yield opened


def _raw(url: str) -> psycopg.Connection[Any]:
    return pgserver.connect(url)


def _scalar(url: str, sql: str) -> Any:
    with _raw(url) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


# -- two connections at once -----------------------------------------------------------------


def test_two_connections_appending_to_the_same_case_at_once_lose_nothing(
    store: CaseStore, url: str
) -> None:
    n = 60
    (case_id,) = store.find(NUMBERS[0], purpose="test")
    before = len(store.history(case_id, purpose="test"))
    start = threading.Barrier(2)

    def writer(actor: str) -> None:
        with open_store(url, municipality=MUNICIPALITY, actor=actor) as own:
            start.wait()
            for i in range(n):
                own.record(case_id, _contact(i))

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(writer, a) for a in ("writer-1", "writer-2")]:
            done.result(timeout=120)
    history = store.history(case_id, purpose="test")
    assert len(history) == before + 2 * n
    assert sorted(e.actor for e in history[before:]) == ["writer-1"] * n + ["writer-2"] * n
    assert len(store.case(case_id, purpose="test").contacts) == before - 1 + 2 * n
    assert len(list(store.audit(action=AuditAction.RECORD))) == 1 + 2 * n


def test_two_connections_registering_the_same_youth_at_once_make_one_open_case(
    url: str,
) -> None:
    for i in range(len(NUMBERS)):
        start = threading.Barrier(2)

        def register(actor: str, i: int = i, start: threading.Barrier = start) -> str:
            with open_store(url, municipality=MUNICIPALITY, actor=actor) as own:
                start.wait()
                try:
                    return own.register(_case(i))
                except OpenCaseExists as exc:
                    return f"refused, open: {exc.case_id}"

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(register, ["a", "b"], timeout=60))
        won, refused = sorted(outcomes, key=lambda o: o.startswith("refused"))
        assert refused == f"refused, open: {won}", f"youth {i}: {outcomes}"
    count = "SELECT count(*) FROM cases WHERE ended_on IS NULL"
    assert _scalar(url, count) == len(NUMBERS)


# -- the database guards the register ---------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        pytest.param("UPDATE audit SET actor = 'x'", "append-only", id="an audit entry changed"),
        pytest.param(
            "UPDATE audit SET actor = 'x' WHERE false", "append-only", id="even touching no row"
        ),
        pytest.param("DELETE FROM audit", "append-only", id="the audit log emptied"),
        pytest.param("TRUNCATE audit", "append-only", id="the audit log truncated"),
        pytest.param("UPDATE events SET actor = 'x'", "never changed", id="an event changed"),
        pytest.param("TRUNCATE events CASCADE", "never changed", id="the events truncated"),
        pytest.param("DELETE FROM events", "only by retention", id="events deleted"),
        pytest.param(
            "DELETE FROM cases WHERE case_id IN (SELECT case_id FROM events)",
            "only by retention",
            id="a case deleted without its retention entry",
        ),
        pytest.param("TRUNCATE cases CASCADE", "only by retention", id="the cases truncated"),
    ],
)
def test_the_database_refuses_to_change_the_audit_log_or_an_event(
    store: CaseStore, url: str, statement: str, message: str
) -> None:
    before = _scalar(url, "SELECT count(*) FROM audit")
    with _raw(url) as conn, pytest.raises(psycopg.errors.RestrictViolation, match=message):
        conn.execute(statement)
    assert _scalar(url, "SELECT count(*) FROM audit") == before
    assert _scalar(url, "SELECT count(DISTINCT actor) FROM audit") == 1
    assert _scalar(url, "SELECT count(*) FROM events") == 2


def test_deleting_nothing_is_fine(store: CaseStore, url: str) -> None:
    with _raw(url) as conn:
        conn.execute("DELETE FROM cases WHERE case_id NOT IN (SELECT case_id FROM events)")
    assert _scalar(url, "SELECT count(*) FROM cases") == 1


INSERT_CASE = (
    "INSERT INTO cases (case_id, municipality, youth, registered_on, ended_on, last_event, state)"
    " VALUES (%s, %s, %s, '2026-01-12', %s, 'e', '{}')"
)


@pytest.mark.parametrize(
    ("municipality", "youth", "ended_on", "refused"),
    [
        pytest.param("1882", 0, None, True, id="a second open case of the youth is refused"),
        pytest.param("1882", 0, "2026-03-01", False, id="an ended case of the youth is allowed"),
        pytest.param("0180", 0, None, False, id="an open case in another municipality too"),
        pytest.param("1882", 1, None, False, id="and an open case of another youth"),
    ],
)
def test_the_partial_unique_index_keeps_one_open_case_per_youth_and_municipality(
    store: CaseStore, url: str, municipality: str, youth: int, ended_on: str | None, refused: bool
) -> None:
    row = ("raw", municipality, NUMBERS[youth].full("separated_long"), ended_on)
    with _raw(url) as conn:
        if refused:
            with pytest.raises(psycopg.errors.UniqueViolation, match="cases_one_open"):
                conn.execute(INSERT_CASE, row)
        else:
            conn.execute(INSERT_CASE, row)
    assert _scalar(url, "SELECT count(*) FROM cases") == (1 if refused else 2)


def test_the_index_that_keeps_one_open_case_is_partial_and_unique(url: str) -> None:
    definition = _scalar(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_one_open'")
    assert definition.startswith("CREATE UNIQUE INDEX cases_one_open")
    assert definition.endswith("(municipality, youth) WHERE (ended_on IS NULL)")


def test_a_whole_identity_number_is_nowhere_in_the_audit_table(store: CaseStore, url: str) -> None:
    with _raw(url) as conn:
        rows = conn.execute("SELECT * FROM audit").fetchall()
        youths = conn.execute("SELECT youth FROM cases").fetchall()
    text = "\n".join(str(value) for row in rows for value in row)
    assert {row[4] for row in rows} >= {"register", "record", "search", "read"}
    digits = NUMBERS[0].full("long")
    for whole in (digits, digits[2:], NUMBERS[0].full(), NUMBERS[0].full("separated")):
        assert whole not in text
    assert NUMBERS[0].masked() in text
    assert youths == [(NUMBERS[0].full(),)]  # the register itself keeps the number


def test_times_read_back_are_utc_whatever_the_sessions_time_zone(pg_url: str) -> None:
    with _raw(pg_url) as conn:
        database = conn.info.dbname
        conn.execute(f"ALTER DATABASE \"{database}\" SET timezone = 'America/New_York'")
    with open_store(pg_url, municipality=MUNICIPALITY, actor="anna", create=True) as store:
        case_id = store.register(_case())
        recorded = store.record(case_id, _contact())
        (_, read_back) = store.history(case_id, purpose="test")
        entries = list(store.audit())
    assert read_back == recorded
    assert read_back.recorded_at is not None
    assert read_back.recorded_at.utcoffset() == dt.timedelta(0)
    assert {e.at.utcoffset() for e in entries} == {dt.timedelta(0)}


# -- the schema and its versions --------------------------------------------------------------


def test_the_core_tables_match_the_schema_the_migrations_build(url: str) -> None:
    engine = create_engine(engine_url(url))
    try:
        found = inspect(engine)
        for table in metadata.sorted_tables:
            columns = {c["name"]: c for c in found.get_columns(table.name)}
            assert list(columns) == [c.name for c in table.columns], table.name
            for column in table.columns:
                built = columns[column.name]
                assert built["nullable"] == column.nullable, f"{table.name}.{column.name}"
                ddl = built["type"].compile(dialect=engine.dialect)
                assert ddl == column.type.compile(dialect=engine.dialect), column
    finally:
        engine.dispose()


def test_the_migrations_are_numbered_like_sqlites() -> None:
    assert [m.version for m in migrations("postgres")] == [m.version for m in migrations("sqlite")]
    assert [m.name for m in migrations("postgres")] == [m.name for m in migrations("sqlite")]


def _later(sql: str) -> Callable[[str], list[Migration]]:
    extra = Migration(version=VERSION + 1, name=f"{VERSION + 1:04d}_extra.sql", sql=sql)
    known = migrations("postgres")
    return lambda backend: [*known, extra]


def test_an_older_schema_is_refused_until_it_is_migrated(
    store: CaseStore, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    monkeypatch.setattr("kaa.store.postgres.migrations", _later("CREATE TABLE extra (x int);"))
    now, extra = VERSION, VERSION + 1
    with pytest.raises(ConfigurationError, match=rf"version {now}; this kaa needs version {extra}"):
        open_store(url, municipality=MUNICIPALITY, actor="anna")
    assert migrate_store(url) == (now, extra)
    assert migrate_store(url) == (extra, extra)
    with open_store(url, municipality=MUNICIPALITY, actor="anna") as again:
        assert again.schema_version() == extra
        assert len(list(again.cases(purpose="after migrating"))) == 1


def test_a_failed_migration_leaves_the_schema_as_it_was(
    store: CaseStore, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    monkeypatch.setattr(
        "kaa.store.postgres.migrations", _later("CREATE TABLE x (a int);\nNOT SQL;")
    )
    with pytest.raises(Exception, match="syntax error"):
        migrate_store(url)
    assert _scalar(url, "SELECT max(version) FROM schema_version") == VERSION
    assert _scalar(url, "SELECT to_regclass('x')") is None


def test_two_processes_creating_the_store_at_once_both_get_it(pg_url: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        versions = list(pool.map(lambda _: init_store(pg_url), range(4), timeout=60))
    assert versions == [VERSION] * 4
    assert _scalar(pg_url, "SELECT count(*) FROM schema_version") == VERSION  # each once


def test_init_refuses_a_database_that_holds_other_tables_of_those_names(pg_url: str) -> None:
    with _raw(pg_url) as conn:
        conn.execute("CREATE TABLE cases (a int)")
    with pytest.raises(ConfigurationError, match=r"has tables named cases .* not a case store"):
        init_store(pg_url)


def test_init_leaves_another_applications_tables_alone(pg_url: str) -> None:
    with _raw(pg_url) as conn:
        conn.execute("CREATE TABLE invoices (a int)")
    assert init_store(pg_url) == VERSION
    assert _scalar(pg_url, "SELECT to_regclass('invoices')") == "invoices"


# -- URLs and connections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "postgresql://kaa@db.example/kaa",
            "postgresql+psycopg://kaa@db.example/kaa",
            id="postgresql:// uses psycopg 3",
        ),
        pytest.param(
            "postgresql+psycopg://kaa:secret@db.example:6543/kaa",
            "postgresql+psycopg://kaa:secret@db.example:6543/kaa",
            id="the driver may be named",
        ),
    ],
)
def test_a_store_url_becomes_a_psycopg_url(url: str, expected: str) -> None:
    assert engine_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("postgresql+psycopg2://db/kaa", "uses psycopg 3", id="another driver"),
        pytest.param("postgresql://db.example", "names no database", id="no database"),
    ],
)
def test_a_store_url_that_psycopg_cannot_use_is_refused(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        engine_url(url)


def test_a_server_that_does_not_answer_is_reported_without_the_password(
    pg_server: pgserver.PostgresServer,
) -> None:
    port = pgserver.free_port()
    url = f"postgresql://kaa:hemligt@127.0.0.1:{port}/kaa"
    with pytest.raises(ConfigurationError, match="cannot connect to the store") as raised:
        open_store(url, municipality=MUNICIPALITY, actor="anna")
    assert "hemligt" not in str(raised.value)
    assert "***" in str(raised.value)


def test_a_connection_lost_under_the_store_is_a_store_error(store: CaseStore, url: str) -> None:
    with _raw(url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'kaa' AND datname = current_database()"
        )
    with pytest.raises(StoreError, match="the store's database failed"):
        store.find(NUMBERS[0], purpose="after the connection was lost")


# -- the server the tests start ---------------------------------------------------------------


def test_the_test_server_listens_on_loopback_only_with_trust_there_only(
    pg_server: pgserver.PostgresServer,
) -> None:
    with pg_server.connect() as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        rules = conn.execute(
            "SELECT type, address, auth_method FROM pg_hba_file_rules ORDER BY line_number"
        ).fetchall()
    assert rules == [("local", None, "trust"), ("host", "127.0.0.1", "trust")]


def test_a_stopped_test_server_leaves_no_process_and_no_file(
    pg_server: pgserver.PostgresServer,  # skipped with it under KAA_PG_OPTIONAL=1
) -> None:
    server = pgserver.PostgresServer().start()
    running = pgserver.processes_of(server)
    server.stop()
    assert running, "the server was running"
    assert pgserver.processes_of(server) == []
    assert not server.root.exists()
    server.stop()  # stopping twice is fine


KILLED = """
import sys, time
import pgserver
server = pgserver.PostgresServer().start()
with open(server.data / "postmaster.pid") as pidfile:
    print(server.root, pidfile.readline().strip(), flush=True)
time.sleep(600)
"""


def test_a_test_process_killed_outright_leaves_no_server_behind(
    pg_server: pgserver.PostgresServer,  # skipped with it under KAA_PG_OPTIONAL=1
) -> None:
    tests = Path(__file__).resolve().parents[1]
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), *sys.path])},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    root, postmaster = child.stdout.readline().split()
    child.kill()  # kill -9: no finaliser, no atexit
    child.wait()
    child.stdout.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (Path(root).exists() or _alive(int(postmaster))):
        time.sleep(0.1)
    assert not _alive(int(postmaster)), "the server outlived the test process"
    assert not Path(root).exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_every_foreign_key_is_the_first_column_of_an_index(url: str) -> None:
    # deleting a case or an event (retention) looks up what refers to it by these columns
    with _raw(url) as conn:
        keys = conn.execute(
            "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f'"
        ).fetchall()
        first = conn.execute(
            "SELECT i.indrelid::regclass::text, a.attname FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
        ).fetchall()
    assert sorted(keys) == [("events", "case_id"), ("events", "supersedes")]
    assert set(keys) <= set(first)


def test_a_store_of_schema_version_1_is_migrated_to_the_index_of_corrections(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = migrations("postgres")[:1]
    with monkeypatch.context() as patched:
        patched.setattr("kaa.store.postgres.migrations", lambda backend: first)
        with open_store(pg_url, municipality=MUNICIPALITY, actor="anna", create=True) as old:
            old.register(
                Case(
                    youth=Youth(id=NUMBERS[0]),
                    municipality=MUNICIPALITY,
                    registration=Registration(day=dt.date(2026, 1, 12)),
                )
            )
    with pytest.raises(ConfigurationError, match="kaa store migrate"):
        open_store(pg_url, municipality=MUNICIPALITY, actor="anna")
    assert migrate_store(pg_url) == (1, VERSION)
    assert _scalar(pg_url, "SELECT to_regclass('events_by_supersedes')") == "events_by_supersedes"
    with open_store(pg_url, municipality=MUNICIPALITY, actor="anna") as again:
        assert len(list(again.cases(purpose="t"))) == 1
