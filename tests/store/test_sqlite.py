"""What only the SQLite store promises: one file, mode 0600, WAL, triggers that keep the
audit log append-only, migrations, and no whole identity number in the file's audit table."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from kaa.errors import ConfigurationError
from kaa.identity import IdentityNumber
from kaa.model.case import Case, Channel, Contact, ContactOutcome, Registration
from kaa.model.youth import Youth
from kaa.store import CaseStore, Event, migrate_store, open_store
from kaa.store.base import Migration, migrations
from kaa.store.sqlite import path_of
from kaa.testing import skatteverket_numbers

NUMBER = IdentityNumber.parse(skatteverket_numbers()[0])
VERSION = len(migrations("sqlite"))  # the newest schema version


def _case() -> Case:
    return Case(
        youth=Youth(id=NUMBER),
        municipality="1882",
        registration=Registration(day=dt.date(2026, 1, 12)),
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kaa.db'}"


@pytest.fixture
def store(url: str) -> CaseStore:
    opened = open_store(url, municipality="1882", actor="anna", create=True)
    case_id = opened.register(_case())
    opened.record(
        case_id,
        Event(
            data=Contact(
                day=dt.date(2026, 1, 20), channel=Channel.PHONE, outcome=ContactOutcome.REACHED
            )
        ),
    )
    opened.find(NUMBER, purpose=f"search for {NUMBER.full()}")
    opened.case(case_id, purpose="show")
    return opened


def _raw(url: str) -> sqlite3.Connection:
    return sqlite3.connect(path_of(url), isolation_level=None)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        pytest.param("sqlite:///kaa.db", "kaa.db", id="three slashes name a relative path"),
        pytest.param("sqlite:////srv/kaa.db", "/srv/kaa.db", id="four slashes an absolute one"),
        pytest.param("data/kaa.db", "data/kaa.db", id="a bare path is a file"),
    ],
)
def test_the_url_names_the_file(url: str, path: str) -> None:
    assert path_of(url) == Path(path)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("sqlite://", id="no path at all"),
        pytest.param("sqlite:///", id="an empty path"),
        pytest.param("sqlite://host/kaa.db", id="a host instead of a path"),
        pytest.param(":memory:", id="an in-memory database"),
    ],
)
def test_a_url_without_a_file_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match=r"names no file|must be a file"):
        path_of(url)


def test_the_file_and_its_write_ahead_log_are_readable_by_their_owner_only(
    store: CaseStore, url: str
) -> None:
    path = path_of(url)
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    assert {p.name for p in files} >= {"kaa.db", "kaa.db-wal", "kaa.db-shm"}
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}


def test_the_file_is_in_wal_mode_and_consistent(store: CaseStore, url: str) -> None:
    with contextlib.closing(_raw(url)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        pytest.param("UPDATE audit SET actor = 'x'", "append-only", id="an audit entry changed"),
        pytest.param("DELETE FROM audit", "append-only", id="the audit log emptied"),
        pytest.param("UPDATE events SET actor = 'x'", "never changed", id="an event changed"),
        pytest.param("DELETE FROM events", "only by retention", id="events deleted"),
        pytest.param(
            "DELETE FROM cases WHERE case_id NOT IN (SELECT case_id FROM events)",
            "",
            id="nothing to delete is fine",
        ),
    ],
)
def test_the_file_refuses_to_change_the_audit_log_or_an_event(
    store: CaseStore, url: str, statement: str, message: str
) -> None:
    with contextlib.closing(_raw(url)) as conn:
        before = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        if message:
            with pytest.raises(sqlite3.IntegrityError, match=message):
                conn.execute(statement)
        else:
            conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == before
        assert conn.execute("SELECT count(DISTINCT actor) FROM audit").fetchone()[0] == 1


def test_a_whole_identity_number_is_nowhere_in_the_files_audit_table(
    store: CaseStore, url: str
) -> None:
    with contextlib.closing(_raw(url)) as conn:
        rows = conn.execute("SELECT * FROM audit").fetchall()
        cases = conn.execute("SELECT youth FROM cases").fetchall()
    text = "\n".join(str(value) for row in rows for value in row)
    assert {a for (_, _, _, _, a, *_) in rows} >= {"register", "record", "search", "read"}
    digits = NUMBER.full("long")
    for whole in (digits, digits[2:], NUMBER.full(), NUMBER.full("separated")):
        assert whole not in text
    assert NUMBER.masked() in text
    assert cases == [(NUMBER.full(),)]  # the register itself keeps the number


def test_an_older_schema_is_refused_until_it_is_migrated(
    store: CaseStore, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    now, extra = VERSION, VERSION + 1
    later = [
        *migrations("sqlite"),
        Migration(version=extra, name=f"{extra:04d}_extra.sql", sql="CREATE TABLE extra (x);"),
    ]
    monkeypatch.setattr("kaa.store.sqlite.migrations", lambda backend: later)
    with pytest.raises(ConfigurationError, match=rf"version {now}; this kaa needs version {extra}"):
        open_store(url, municipality="1882", actor="anna")
    assert migrate_store(url) == (now, extra)
    assert migrate_store(url) == (extra, extra)
    with open_store(url, municipality="1882", actor="anna") as again:
        assert again.schema_version() == extra
        assert len(list(again.cases(purpose="after migrating"))) == 1


def test_a_failed_migration_leaves_the_schema_as_it_was(
    store: CaseStore, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    broken = Migration(
        version=VERSION + 1, name="9999_broken.sql", sql="CREATE TABLE x (a);\nNOT SQL;"
    )
    monkeypatch.setattr(
        "kaa.store.sqlite.migrations", lambda backend: [*migrations("sqlite"), broken]
    )
    with pytest.raises(sqlite3.Error):
        migrate_store(url)
    with contextlib.closing(_raw(url)) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == VERSION
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'x'").fetchone() is None


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        pytest.param(
            lambda p: sqlite3.connect(p).execute("CREATE TABLE other (a)").connection.commit(),
            "not a case store",
            id="another program's SQLite file is not taken over",
        ),
        pytest.param(
            lambda p: p.write_bytes(b"not sqlite at all" * 100),
            "not a case store",
            id="a file that is not SQLite is refused",
        ),
    ],
)
def test_init_refuses_a_file_that_is_not_a_store(
    tmp_path: Path, prepare: object, message: str
) -> None:
    path = tmp_path / "other.db"
    prepare(path)  # type: ignore[operator]
    with pytest.raises(ConfigurationError, match=message):
        open_store(str(path), municipality="1882", actor="anna", create=True)


def test_init_needs_an_existing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        open_store(str(tmp_path / "no" / "kaa.db"), municipality="1882", actor="a", create=True)


def test_the_audit_log_names_the_access_not_the_data(store: CaseStore) -> None:
    masked = NUMBER.masked()
    assert [(e.action.value, e.purpose, e.detail) for e in store.audit()] == [
        ("register", "registration", f"{masked} registered with 1 event(s)"),
        ("record", "documentation", "contact"),
        ("search", f"search for {masked}", f"{masked}: 1 case(s)"),
        ("read", "show", ""),
    ]


def test_long_lists_and_logs_are_read_in_pages_without_losing_an_entry(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kaa.store.sqlite.PAGE", 2)
    monkeypatch.setattr("kaa.store.sqlite.AUDIT_PAGE", 3)
    numbers = [IdentityNumber.parse(n) for n in skatteverket_numbers()[:5]]
    with open_store(url, municipality="1882", actor="anna", create=True) as store:
        ids = [
            store.register(
                Case(
                    youth=Youth(id=n),
                    municipality="1882",
                    registration=Registration(day=dt.date(2026, 1, 12)),
                )
            )
            for n in numbers
        ]
        assert [s.case_id for s in store.cases(purpose="paged")] == ids
        entries = list(store.audit())
    assert [e.case_id for e in entries] == ids + ids
    assert [e.action.value for e in entries] == ["register"] * 5 + ["read"] * 5


# -- indexes: nothing scans every case or every event ----------------------------------------


def test_every_foreign_key_is_the_first_column_of_an_index(store: CaseStore, url: str) -> None:
    # deleting a case or an event (retention) looks up what refers to it by these columns
    with contextlib.closing(_raw(url)) as conn:
        keys = [
            (table, row[3])
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for row in conn.execute(f"PRAGMA foreign_key_list({table})")
        ]
        first = {
            (table, conn.execute(f"PRAGMA index_info({index[1]})").fetchone()[2])
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for index in conn.execute(f"PRAGMA index_list({table})")
        }
    assert sorted(keys) == [("events", "case_id"), ("events", "supersedes")]
    assert set(keys) <= first


def test_recording_an_event_scans_no_table(store: CaseStore, url: str) -> None:
    case_id = store.find(NUMBER, purpose="t")[0]
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    store.record(
        case_id,
        Event(
            data=Contact(day=dt.date(2026, 2, 2), channel=Channel.SMS, outcome=ContactOutcome.SENT)
        ),
    )
    store._conn.set_trace_callback(None)  # type: ignore[attr-defined]
    with contextlib.closing(_raw(url)) as conn:
        plans = [
            (sql, detail)
            for sql in statements
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE"))
            for *_, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}")
        ]
    assert plans  # the statements were seen
    assert [(sql, d) for sql, d in plans if d.startswith("SCAN")] == []


def test_a_store_of_schema_version_1_is_migrated_to_the_index_of_corrections(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = migrations("sqlite")[:1]
    with monkeypatch.context() as patched:
        patched.setattr("kaa.store.sqlite.migrations", lambda backend: first)
        with open_store(url, municipality="1882", actor="anna", create=True) as old:
            old.register(_case())
    with pytest.raises(ConfigurationError, match="kaa store migrate"):
        open_store(url, municipality="1882", actor="anna")
    assert migrate_store(url) == (1, VERSION)
    with contextlib.closing(_raw(url)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "events_by_supersedes" in names
    with open_store(url, municipality="1882", actor="anna") as again:
        assert [s.case for s in again.cases(purpose="t")] == [_case()]
