"""The embedded case store: one SQLite file (stdlib :mod:`sqlite3`, no server, no dependency).

The URL is ``sqlite:///kaa.db`` (a path relative to the working directory),
``sqlite:////srv/kaa/kaa.db`` (an absolute path) or just the path. The file is created
readable and writable by its owner only (mode 0600: it holds personal data) and kept in
write-ahead-log mode (WAL), so readers do not block a writer and a process killed in the
middle of a write leaves every committed event and a consistent file.

Every operation is one transaction begun with ``BEGIN IMMEDIATE``: two processes recording
events on the same case at once wait for each other (up to 30 seconds) and lose nothing;
inside :meth:`SqliteStore.batch` an operation is a savepoint of the batch's one transaction,
and because every read writes its audit entry, other processes wait for the batch (keep
batches short: a sync commits every few hundred youths). The
schema is built by the migrations in ``kaa/store/migrations/sqlite/``; triggers in it refuse
any change to the audit log, any change to an event, and the deletion of an event or a case
without its retention entry in the audit log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs

from kaa.convert import structure, to_dict
from kaa.errors import ConfigurationError, InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import Case
from kaa.rules.privacy import TermChecker, TermsFor, national_terms
from kaa.store.base import (
    AuditAction,
    AuditEntry,
    CaseNotFound,
    CaseStore,
    DeletionRefused,
    OpenCaseExists,
    StoredCase,
    StoreError,
    audit_text,
    check_schema_version,
    deletion_token,
    found_or_none,
    migrations,
    new_id,
    utc_now,
)
from kaa.store.events import Event, EventKind, decode_data, encode_data, events_of, text_warnings
from kaa.store.fold import append, fold, target_of

__all__ = ["BACKEND", "SqliteBackend", "SqliteStore", "path_of"]

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a transaction waits for another process's to finish."""

PAGE = 500
"""Cases read (and audit-logged) per transaction by :meth:`SqliteStore.cases`."""

AUDIT_PAGE = 2_000
"""Audit entries read at a time by :meth:`SqliteStore.audit`."""


def path_of(url: str) -> Path:
    """The file of a ``sqlite:///…`` URL or a bare path.

    Raises:
        ConfigurationError: If the URL names no file (``sqlite://`` or an in-memory store).
    """
    text = url
    if url.startswith("sqlite://"):
        text = url.removeprefix("sqlite://")
        if not text.startswith("/") or text == "/":
            raise ConfigurationError(
                f"{url!r} names no file: write sqlite:///relative/path.db or "
                "sqlite:////absolute/path.db"
            )
        text = text[1:]
    if not text or text == ":memory:":
        raise ConfigurationError(f"{url!r} names no file: the store must be a file")
    return Path(text)


def _time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        f"file:{path}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    return conn


def _version(conn: sqlite3.Connection) -> int | None:
    try:
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(f"the file is not a case store (not SQLite: {exc})") from None
    if has is None:
        return None
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row[0] is not None else None


def _apply(conn: sqlite3.Connection, start: int) -> int:
    """Apply the migrations after version ``start``; returns the version reached."""
    reached = start
    for migration in migrations("sqlite"):
        if migration.version <= start:
            continue
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{migration.sql}\n;\n"
            "INSERT INTO schema_version (version, name, applied_at) VALUES "
            f"({migration.version}, '{migration.name}', '{_time(utc_now())}');\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        reached = migration.version
    return reached


def _known() -> int:
    return len(migrations("sqlite"))


class SqliteBackend:
    """The SQLite backend (``BACKEND`` of this module; see :class:`kaa.store.base.Backend`)."""

    def init(self, url: str) -> int:
        """Create the file (mode 0600, WAL) and its schema if there is none."""
        path = path_of(url)
        if not path.parent.is_dir():
            raise ConfigurationError(f"the directory {path.parent} does not exist")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise ConfigurationError(f"cannot create {path}: {exc.strerror}") from None
        else:
            os.close(fd)
        with contextlib.closing(_open_file(path, url)) as conn:
            found = _version(conn)
            if found is None:
                if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise ConfigurationError(f"{path} is an SQLite file but not a case store")
                conn.execute("PRAGMA journal_mode = WAL")
                return _apply(conn, 0)
            check_schema_version(found, _known(), url=url)
            return found

    def migrate(self, url: str) -> tuple[int, int]:
        """Apply the migrations the file has not had."""
        path = path_of(url)
        with contextlib.closing(_open_file(path, url)) as conn:
            found = _version(conn)
            if found is None or found > _known():
                check_schema_version(found, _known(), url=url)
            assert found is not None
            return found, _apply(conn, found)

    def open(self, url: str, *, municipality: str, actor: str, terms: TermsFor | None) -> CaseStore:
        """Open the file as a store bound to ``municipality``."""
        path = path_of(url)
        conn = _open_file(path, url)
        try:
            check_schema_version(_version(conn), _known(), url=url)
        except BaseException:
            conn.close()
            raise
        return SqliteStore(conn, municipality=municipality, actor=actor, terms=terms)


def _open_file(path: Path, url: str) -> sqlite3.Connection:
    if not path.is_file():
        raise ConfigurationError(f"no case store at {url}: create it with `kaa store init`")
    try:
        return _connect(path)
    except sqlite3.Error as exc:
        raise ConfigurationError(f"cannot open the store {path}: {exc}") from None


BACKEND = SqliteBackend()
"""The backend :func:`kaa.store.open_store` uses for ``sqlite:///`` URLs and paths."""


def _encode_case(case: Case) -> str:
    return json.dumps(to_dict(case, reveal_ids=True), ensure_ascii=False)


def _decode_case(text: str) -> Case:
    return structure(json.loads(text), Case)


def _event(row: sqlite3.Row | tuple[Any, ...]) -> Event:
    event_id, case_id, kind, day, recorded_at, actor, supersedes, data = row
    return Event(
        kind=EventKind.of(kind),
        data=decode_data(kind, data),
        day=dt.date.fromisoformat(day),
        case_id=case_id,
        recorded_at=dt.datetime.fromisoformat(recorded_at),
        actor=actor,
        event_id=event_id,
        supersedes=supersedes,
    )


_EVENT_COLUMNS = "event_id, case_id, kind, day, recorded_at, actor, supersedes, data"


class SqliteStore:
    """A case store in one SQLite file, bound to one municipality.

    Open it with :func:`kaa.store.open_store`; see :class:`kaa.store.CaseStore` for what
    each method does.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        municipality: str,
        actor: str,
        terms: TermsFor | None = None,
    ) -> None:
        self._conn = conn
        self._municipality = municipality
        self._actor = actor
        self._checker = TermChecker((terms or national_terms)(municipality))
        self._batched = False

    # -- the protocol ----------------------------------------------------------------------

    @property
    def municipality(self) -> str:
        """The kommunkod the store is bound to."""
        return self._municipality

    @property
    def actor(self) -> str:
        """Who is acting."""
        return self._actor

    def schema_version(self) -> int:
        """The file's schema version."""
        found = _version(self._conn)
        assert found is not None
        return found

    def register(self, case: Case, *, purpose: str = "registration") -> str:
        """Register a case (see :meth:`kaa.store.CaseStore.register`)."""
        if case.municipality != self._municipality:
            raise StoreError(
                f"this store is bound to municipality {self._municipality}; the case is of "
                f"{case.municipality}"
            )
        case_id = new_id()
        now = utc_now()
        events = [
            attrs.evolve(
                draft, case_id=case_id, recorded_at=now, actor=self._actor, event_id=new_id()
            )
            for draft in events_of(case)
        ]
        if fold(events) != case:  # pragma: no cover - events_of is fold's inverse
            raise StoreError("the case cannot be stored unchanged")
        youth = case.youth.id.full("separated_long")
        with self._write() as conn:
            if case.end is None:
                self._refuse_second_open(conn, case.youth.id, youth)
            conn.execute(
                "INSERT INTO cases (case_id, municipality, youth, registered_on, ended_on, "
                "last_event, state) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    self._municipality,
                    youth,
                    case.registration.day.isoformat(),
                    None if case.end is None else case.end.day.isoformat(),
                    events[-1].event_id,
                    _encode_case(case),
                ),
            )
            conn.executemany(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [self._row(e) for e in events],
            )
            self._audit(
                conn,
                AuditAction.REGISTER,
                purpose,
                [case_id],
                f"{case.youth.id.masked()} registered with {len(events)} event(s)",
            )
        return case_id

    def register_many(
        self, cases: Sequence[Case], *, purpose: str = "registration"
    ) -> list[str | StoreError]:
        """Register many cases (see :meth:`kaa.store.CaseStore.register_many`): each with
        :meth:`register`, in one transaction (an embedded database has no round trips to
        save)."""
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        results: list[str | StoreError] = []
        with self.batch():
            for case in cases:
                try:
                    results.append(self.register(case, purpose=purpose))
                except StoreError as exc:
                    results.append(exc)
        return results

    def record(self, case_id: str, event: Event, *, purpose: str = "documentation") -> Event:
        """Append an event (see :meth:`kaa.store.CaseStore.record`)."""
        if event.event_id is not None:
            raise InvalidInput(f"the event {event.event_id} is recorded already")
        if event.case_id is not None and event.case_id != case_id:
            raise InvalidInput(f"the event belongs to case {event.case_id}, not {case_id}")
        warnings = text_warnings(event.data, self._checker)
        with self._write() as conn:
            self._case_row(conn, case_id)
            history = self._events(conn, case_id)
            stored = attrs.evolve(
                event,
                case_id=case_id,
                recorded_at=utc_now(),
                actor=self._actor,
                event_id=new_id(),
                warnings=(),
            )
            if stored.supersedes is not None:
                target_of(history, stored.supersedes)  # raises if not an event of this case
            case = append(history, stored)
            conn.execute(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self._row(stored),
            )
            try:
                conn.execute(
                    "UPDATE cases SET ended_on = ?, last_event = ?, state = ? WHERE case_id = ?",
                    (
                        None if case.end is None else case.end.day.isoformat(),
                        stored.event_id,
                        _encode_case(case),
                        case_id,
                    ),
                )
            except sqlite3.IntegrityError:
                other = conn.execute(
                    "SELECT case_id FROM cases WHERE municipality = ? AND youth = ? "
                    "AND ended_on IS NULL",
                    (self._municipality, case.youth.id.full("separated_long")),
                ).fetchone()
                raise OpenCaseExists(case.youth.id, other[0], self._municipality) from None
            detail = stored.kind.value
            if stored.supersedes is not None:
                detail += f" of event {stored.supersedes}"
            self._audit(conn, AuditAction.RECORD, purpose, [case_id], detail)
        return attrs.evolve(stored, warnings=warnings)

    def case(self, case_id: str, *, purpose: str) -> Case:
        """A case (see :meth:`kaa.store.CaseStore.case`)."""
        with self._write() as conn:
            state = self._case_row(conn, case_id)[1]
            self._audit(conn, AuditAction.READ, purpose, [case_id], "")
        return _decode_case(state)

    def history(self, case_id: str, *, purpose: str) -> list[Event]:
        """A case's events (see :meth:`kaa.store.CaseStore.history`)."""
        with self._write() as conn:
            self._case_row(conn, case_id)
            events = self._events(conn, case_id)
            self._audit(conn, AuditAction.HISTORY, purpose, [case_id], f"{len(events)} event(s)")
        return events

    def cases(self, *, purpose: str, open_on: dt.date | None = None) -> Iterator[StoredCase]:
        """Every case (see :meth:`kaa.store.CaseStore.cases`)."""
        after = 0
        where = "municipality = ? AND seq > ?"
        extra: tuple[str, ...] = ()
        if open_on is not None:
            where += " AND registered_on <= ? AND (ended_on IS NULL OR ended_on > ?)"
            extra = (open_on.isoformat(), open_on.isoformat())
        while True:
            with self._write() as conn:
                rows = conn.execute(
                    f"SELECT seq, case_id, state FROM cases WHERE {where} ORDER BY seq LIMIT ?",
                    (self._municipality, after, *extra, PAGE),
                ).fetchall()
                if not rows:
                    return
                self._audit(conn, AuditAction.READ, purpose, [r[1] for r in rows], "")
            after = rows[-1][0]
            for _, case_id, state in rows:
                yield StoredCase(case_id=case_id, case=_decode_case(state))

    def find(self, youth: IdentityNumber, *, purpose: str) -> list[str]:
        """Search by identity number (see :meth:`kaa.store.CaseStore.find`)."""
        with self._write() as conn:
            found = [
                row[0]
                for row in conn.execute(
                    "SELECT case_id FROM cases WHERE municipality = ? AND youth = ? ORDER BY seq",
                    (self._municipality, youth.full("separated_long")),
                )
            ]
            detail = f"{youth.masked()}: {len(found)} case(s)"
            self._audit(conn, AuditAction.SEARCH, purpose, found or [None], detail)
        return found

    def find_many(
        self, youths: Sequence[IdentityNumber], *, purpose: str
    ) -> dict[IdentityNumber, list[str]]:
        """Search by many identity numbers (see :meth:`kaa.store.CaseStore.find_many`)."""
        found: dict[IdentityNumber, list[str]] = {youth: [] for youth in youths}
        by_number = {youth.full("separated_long"): youth for youth in found}
        numbers = list(by_number)
        with self._write() as conn:
            for start in range(0, len(numbers), PAGE):
                part = numbers[start : start + PAGE]
                marks = ", ".join("?" * len(part))
                rows = conn.execute(
                    f"SELECT youth, case_id FROM cases WHERE municipality = ? AND youth IN "
                    f"({marks}) ORDER BY seq",
                    (self._municipality, *part),
                )
                for number, case_id in rows:
                    found[by_number[number]].append(case_id)
            self._audit_searches(conn, purpose, found)
        return found

    def _audit_searches(
        self, conn: sqlite3.Connection, purpose: str, found: dict[IdentityNumber, list[str]]
    ) -> None:
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        at, who, why = _time(utc_now()), audit_text(self._actor), audit_text(purpose)
        rows = [
            (
                at,
                who,
                self._municipality,
                AuditAction.SEARCH.value,
                case_id,
                why,
                audit_text(f"{youth.masked()}: {len(ids)} case(s)"),
            )
            for youth, ids in found.items()
            for case_id in found_or_none(ids)
        ]
        conn.executemany(
            "INSERT INTO audit (at, actor, municipality, action, case_id, purpose, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def audit(
        self,
        *,
        since: dt.datetime | None = None,
        action: AuditAction | None = None,
        case_id: str | None = None,
        actor: str | None = None,
    ) -> Iterator[AuditEntry]:
        """The audit log (see :meth:`kaa.store.CaseStore.audit`)."""
        where = ["municipality = ?"]
        params: list[Any] = [self._municipality]
        if since is not None:
            if since.tzinfo is None:
                raise InvalidInput("give the time with its time zone")
            where.append("at >= ?")
            params.append(_time(since))
        for column, value in (
            ("action", None if action is None else action.value),
            ("case_id", case_id),
            ("actor", actor),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        after = 0
        while True:  # in pages, so that a long log is never held whole
            rows = self._conn.execute(
                "SELECT seq, at, actor, municipality, action, case_id, purpose, detail FROM audit "
                f"WHERE {' AND '.join(where)} AND seq > ? ORDER BY seq LIMIT ?",
                [*params, after, AUDIT_PAGE],
            ).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            for _, at, who, municipality, what, case, purpose, detail in rows:
                yield AuditEntry(
                    at=dt.datetime.fromisoformat(at),
                    actor=who,
                    municipality=municipality,
                    action=AuditAction.of(what),
                    case_id=case,
                    purpose=purpose,
                    detail=detail,
                )

    def log(
        self,
        action: AuditAction,
        *,
        purpose: str,
        case_ids: Sequence[str | None] = (None,),
        detail: str = "",
    ) -> None:
        """Write audit entries (see :meth:`kaa.store.CaseStore.log`)."""
        with self._write() as conn:
            self._audit(conn, action, purpose, case_ids, detail)

    def deletion_token(self, case_ids: Sequence[str]) -> str:
        """The confirmation token for deleting these cases (see
        :meth:`kaa.store.CaseStore.deletion_token`)."""
        with self._write() as conn:
            return self._token(conn, case_ids)

    def delete(self, case_ids: Sequence[str], *, token: str, purpose: str = "gallring") -> int:
        """Delete whole histories (see :meth:`kaa.store.CaseStore.delete`)."""
        today = dt.date.today().isoformat()
        deleted = 0
        with self._write() as conn:
            if token != self._token(conn, case_ids):
                raise DeletionRefused(
                    "the confirmation token does not match these cases as they are now: list "
                    "them again; nothing deleted"
                )
            for case_id in case_ids:
                ended = conn.execute(
                    "SELECT ended_on FROM cases WHERE case_id = ?", (case_id,)
                ).fetchone()[0]
                if ended is None or ended > today:
                    raise DeletionRefused(
                        f"case {case_id}: KAA has not ended, so it is never deleted; nothing "
                        "deleted"
                    )
            for case_id in dict.fromkeys(case_ids):
                count = conn.execute(
                    "SELECT count(*) FROM events WHERE case_id = ?", (case_id,)
                ).fetchone()[0]
                self._audit(
                    conn,
                    AuditAction.DELETE,
                    purpose,
                    [case_id],
                    f"the whole case history ({count} event(s)) deleted",
                )
                conn.execute("DELETE FROM events WHERE case_id = ?", (case_id,))
                conn.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
                deleted += count
        return deleted

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore(municipality={self._municipality!r}, actor={self._actor!r})"

    # -- inside ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the block (see :meth:`kaa.store.CaseStore.batch`)."""
        if self._batched:
            yield
            return
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        self._batched = True
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._batched = False

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, or a savepoint of the batch the store is in."""
        conn = self._conn
        if self._batched:
            conn.execute("SAVEPOINT kaa_operation")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK TO kaa_operation")
                conn.execute("RELEASE kaa_operation")
                raise
            conn.execute("RELEASE kaa_operation")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _case_row(self, conn: sqlite3.Connection, case_id: str) -> tuple[str, str, str | None]:
        row = conn.execute(
            "SELECT last_event, state, ended_on FROM cases WHERE case_id = ? AND municipality = ?",
            (case_id, self._municipality),
        ).fetchone()
        if row is None:
            raise CaseNotFound(case_id, self._municipality)
        return row[0], row[1], row[2]

    def _events(self, conn: sqlite3.Connection, case_id: str) -> list[Event]:
        rows = conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
        ).fetchall()
        return [_event(row) for row in rows]

    def _token(self, conn: sqlite3.Connection, case_ids: Sequence[str]) -> str:
        pairs = [(case_id, self._case_row(conn, case_id)[0]) for case_id in case_ids]
        return deletion_token(self._municipality, pairs)

    def _refuse_second_open(
        self, conn: sqlite3.Connection, youth: IdentityNumber, full: str
    ) -> None:
        row = conn.execute(
            "SELECT case_id FROM cases WHERE municipality = ? AND youth = ? AND ended_on IS NULL",
            (self._municipality, full),
        ).fetchone()
        if row is not None:
            raise OpenCaseExists(youth, row[0], self._municipality)

    @staticmethod
    def _row(event: Event) -> tuple[Any, ...]:
        assert event.recorded_at is not None
        return (
            event.event_id,
            event.case_id,
            event.kind.value,
            event.day.isoformat(),
            _time(event.recorded_at),
            event.actor,
            event.supersedes,
            encode_data(event.data),
        )

    def _audit(
        self,
        conn: sqlite3.Connection,
        action: AuditAction,
        purpose: str,
        case_ids: Sequence[str | None],
        detail: str,
    ) -> None:
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        # One executemany for the whole page of entries; the texts are cleaned once.
        at = _time(utc_now())
        who, why, what = audit_text(self._actor), audit_text(purpose), audit_text(detail)
        conn.executemany(
            "INSERT INTO audit (at, actor, municipality, action, case_id, purpose, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (at, who, self._municipality, action.value, case_id, why, what)
                for case_id in case_ids
            ],
        )
