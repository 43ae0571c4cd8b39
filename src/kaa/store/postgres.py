"""The shared case store: a PostgreSQL database, for a region or a municipality with a server.

Install the extra (``pip install 'kaa[postgres]'``: SQLAlchemy Core and psycopg 3) and open
the store with a ``postgresql://user:password@host:5432/database`` URL
(``postgresql+psycopg://`` is the same). One database may hold several municipalities'
registers, as a region's shared system does (IST Regional samverkan); every opened store sees
only its own municipality's cases (:mod:`kaa.store.base`).

It keeps the same contract as the embedded SQLite store (``tests/store/test_contract.py``
runs against both, on a real server the tests start themselves), with the database doing the
guarding:

- **one transaction per operation**, in PostgreSQL's default isolation (read committed);
  recording an event locks its case's row (``SELECT … FOR UPDATE``), so two processes
  recording events on the same case at once wait for each other and lose nothing;
- **at most one open case per youth and municipality** is a partial unique index
  (``cases_one_open``): a second registration by another process at the same moment is
  refused by the database, and reported as :class:`~kaa.store.base.OpenCaseExists`;
- **the audit log is append-only** at the database level: a trigger refuses every
  ``UPDATE``, ``DELETE`` and ``TRUNCATE`` of it, another every change of an event, and events
  and cases can be deleted only after their retention entry is in the audit log;
- **versioned migrations** (``kaa/store/migrations/postgres/0001_initial.sql`` …), each run in
  the transaction that records it in ``schema_version``, under an advisory lock so two
  processes initialising one database at once do not collide; a schema newer than this
  ``kaa`` knows is refused, an older one must be migrated first.

Run ``kaa`` as a database role that may read and write the tables but does not own them: an
owner could drop the triggers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import attrs
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Identity,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

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
    Migration,
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

__all__ = ["BACKEND", "PostgresBackend", "PostgresStore", "engine_url", "metadata"]

PAGE = 500
"""Cases read (and audit-logged) per transaction by :meth:`PostgresStore.cases`."""

AUDIT_PAGE = 2_000
"""Audit entries read at a time by :meth:`PostgresStore.audit`."""

CONNECT_TIMEOUT_SECONDS = 10
"""How long opening a connection may take before the store is reported unreachable."""

MIGRATION_LOCK = 0x6B61_6173_746F_7265  # "kaastore"
"""The advisory lock held while the schema is created or migrated."""

UNIQUE_VIOLATION = "23505"
"""PostgreSQL's SQLSTATE for a unique index refusing a row."""

metadata = MetaData()
"""The tables of schema version 1, for SQLAlchemy Core. The migrations build the schema;
``tests/store/test_postgres.py`` checks that these tables match what they build."""

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("case_id", Text, nullable=False, unique=True),
    Column("municipality", Text, nullable=False),
    Column("youth", Text, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("ended_on", Date),
    Column("last_event", Text, nullable=False),
    Column("state", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("case_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("supersedes", Text),
    Column("data", Text, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("municipality", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("case_id", Text),
    Column("purpose", Text, nullable=False),
    Column("detail", Text, nullable=False),
)

_EVENT_COLUMNS = (
    events.c.event_id,
    events.c.case_id,
    events.c.kind,
    events.c.day,
    events.c.recorded_at,
    events.c.actor,
    events.c.supersedes,
    events.c.data,
)


# -- connecting ------------------------------------------------------------------------------


def engine_url(url: str) -> str:
    """The SQLAlchemy URL of a store URL: ``postgresql://…`` with the psycopg 3 driver.

    Raises:
        ConfigurationError: If the URL is not a PostgreSQL URL SQLAlchemy can read, or names
            another driver.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError("the store URL is not a URL: postgresql://user@host/db") from None
    if parsed.drivername not in ("postgresql", "postgresql+psycopg"):
        raise ConfigurationError(
            f"the PostgreSQL store uses psycopg 3: write postgresql:// (not {parsed.drivername}://)"
        )
    if not parsed.database:
        raise ConfigurationError("the store URL names no database: postgresql://host/database")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _where(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the store URL"


def _engine(url: str) -> Engine:
    # One connection per store object, closed with it: no pool to keep connections open.
    return create_engine(
        engine_url(url),
        poolclass=NullPool,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "kaa"},
    )


def _first_line(exc: DBAPIError) -> str:
    lines = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _connect(engine: Engine, url: str) -> Connection:
    try:
        return engine.connect()
    except DBAPIError as exc:
        engine.dispose()
        reason = _first_line(exc)
        raise ConfigurationError(
            f"cannot connect to the store at {_where(url)}: {reason}"
        ) from None


@contextlib.contextmanager
def _session(url: str) -> Iterator[Connection]:
    """A connection of its own for init and migrate, in one transaction."""
    engine = _engine(url)
    try:
        with _connect(engine, url) as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


# -- the schema ------------------------------------------------------------------------------


def _version(conn: Connection) -> int | None:
    if conn.scalar(text("SELECT to_regclass('schema_version')")) is None:
        return None
    found = conn.scalar(select(func.max(schema_version.c.version)))
    return None if found is None else int(found)


def _known() -> int:
    return len(migrations("postgres"))


def _lock(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def _run_script(conn: Connection, migration: Migration) -> None:
    # The whole file in one call (PL/pgSQL bodies hold semicolons): psycopg sends a statement
    # without parameters as a simple query, which may hold several statements.
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(migration.sql)


def _apply(conn: Connection, start: int) -> int:
    """Apply the migrations after version ``start`` in the caller's transaction; returns the
    version reached (nothing is applied if one fails: the transaction is rolled back)."""
    reached = start
    for migration in migrations("postgres"):
        if migration.version <= start:
            continue
        _run_script(conn, migration)
        conn.execute(
            schema_version.insert().values(
                version=migration.version, name=migration.name, applied_at=utc_now()
            )
        )
        reached = migration.version
    return reached


_OURS = ("schema_version", "cases", "events", "audit")


def _foreign_tables(conn: Connection) -> list[str]:
    """Tables of ours found in a database that has no store schema."""
    rows = conn.execute(
        text("SELECT t FROM unnest(CAST(:names AS text[])) AS t WHERE to_regclass(t) IS NOT NULL"),
        {"names": list(_OURS)},
    )
    return [str(row[0]) for row in rows]


class PostgresBackend:
    """The PostgreSQL backend (``BACKEND`` of this module; see :class:`kaa.store.base.Backend`)."""

    def init(self, url: str) -> int:
        """Create the schema in the (existing, empty of our tables) database if it has none."""
        with _session(url) as conn:
            _lock(conn)
            found = _version(conn)
            if found is None:
                clash = _foreign_tables(conn)
                if clash:
                    raise ConfigurationError(
                        f"the database at {_where(url)} has tables named {', '.join(clash)} "
                        "but no case store schema: it is not a case store"
                    )
                return _apply(conn, 0)
        check_schema_version(found, _known(), url=url)
        return found

    def migrate(self, url: str) -> tuple[int, int]:
        """Apply the migrations the database has not had, all in one transaction."""
        with _session(url) as conn:
            _lock(conn)
            found = _version(conn)
            if found is None or found > _known():
                check_schema_version(found, _known(), url=url)
            assert found is not None
            return found, _apply(conn, found)

    def open(self, url: str, *, municipality: str, actor: str, terms: TermsFor | None) -> CaseStore:
        """Connect, and return a store bound to ``municipality``."""
        engine = _engine(url)
        conn = _connect(engine, url)
        try:
            with conn.begin():
                found = _version(conn)
            check_schema_version(found, _known(), url=url)
        except BaseException:
            conn.close()
            engine.dispose()
            raise
        return PostgresStore(engine, conn, municipality=municipality, actor=actor, terms=terms)


BACKEND = PostgresBackend()
"""The backend :func:`kaa.store.open_store` uses for ``postgresql://`` URLs."""


# -- the store -------------------------------------------------------------------------------


_INSERT_CASE = (
    insert(cases)
    .on_conflict_do_nothing(
        index_elements=[cases.c.municipality, cases.c.youth],
        index_where=cases.c.ended_on.is_(None),
    )
    .returning(cases.c.case_id)
)
"""A case row in; its id back unless the youth has an open case already (the partial unique
index decides, atomically)."""


def _encode_case(case: Case) -> str:
    return json.dumps(to_dict(case, reveal_ids=True), ensure_ascii=False)


def _decode_case(state: str) -> Case:
    return structure(json.loads(state), Case)


def _utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC)


def _event(row: Any) -> Event:
    return Event(
        kind=EventKind.of(row.kind),
        data=decode_data(row.kind, row.data),
        day=row.day,
        case_id=row.case_id,
        recorded_at=_utc(row.recorded_at),
        actor=row.actor,
        event_id=row.event_id,
        supersedes=row.supersedes,
    )


def _event_row(event: Event) -> dict[str, Any]:
    assert event.recorded_at is not None
    return {
        "event_id": event.event_id,
        "case_id": event.case_id,
        "kind": event.kind.value,
        "day": event.day,
        "recorded_at": event.recorded_at,
        "actor": event.actor,
        "supersedes": event.supersedes,
        "data": encode_data(event.data),
    }


def _is_unique_violation(exc: IntegrityError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION


class PostgresStore:
    """A case store in a PostgreSQL database, bound to one municipality.

    Open it with :func:`kaa.store.open_store`; see :class:`kaa.store.CaseStore` for what
    each method does.
    """

    def __init__(
        self,
        engine: Engine,
        conn: Connection,
        *,
        municipality: str,
        actor: str,
        terms: TermsFor | None = None,
    ) -> None:
        self._engine = engine
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
        """The database's schema version."""
        with self._write() as conn:
            found = _version(conn)
        assert found is not None
        return found

    def _prepared(self, case: Case) -> tuple[dict[str, Any], list[Event]]:
        """The case's row and its events, ready to insert (``StoreError`` if the case is
        of another municipality)."""
        if case.municipality != self._municipality:
            raise StoreError(
                f"this store is bound to municipality {self._municipality}; the case is of "
                f"{case.municipality}"
            )
        case_id = new_id()
        now = utc_now()
        stored = [
            attrs.evolve(
                draft, case_id=case_id, recorded_at=now, actor=self._actor, event_id=new_id()
            )
            for draft in events_of(case)
        ]
        if fold(stored) != case:  # pragma: no cover - events_of is fold's inverse
            raise StoreError("the case cannot be stored unchanged")
        row = {
            "case_id": case_id,
            "municipality": self._municipality,
            "youth": case.youth.id.full("separated_long"),
            "registered_on": case.registration.day,
            "ended_on": None if case.end is None else case.end.day,
            "last_event": stored[-1].event_id,
            "state": _encode_case(case),
        }
        return row, stored

    def _insert_cases(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> set[str]:
        """Insert case rows in one statement; the ids of those inserted. The partial unique
        index decides, atomically and in the rows' order: a second open case of a youth (in
        the store already, registered just now by another process, or earlier in ``rows``)
        inserts nothing."""
        # many rows go as SQLAlchemy's "insertmanyvalues": multi-row VALUES in the rows'
        # order, one compiled statement whatever their number
        return {found for (found,) in conn.execute(_INSERT_CASE, list(rows))}

    def register(self, case: Case, *, purpose: str = "registration") -> str:
        """Register a case (see :meth:`kaa.store.CaseStore.register`)."""
        row, stored = self._prepared(case)
        with self._write() as conn:
            if not self._insert_cases(conn, [row]):
                other = self._open_case_of(conn, row["youth"])
                raise OpenCaseExists(case.youth.id, other or "?", self._municipality)
            conn.execute(events.insert(), [_event_row(e) for e in stored])
            self._audit(
                conn,
                AuditAction.REGISTER,
                purpose,
                [row["case_id"]],
                f"{case.youth.id.masked()} registered with {len(stored)} event(s)",
            )
        return str(row["case_id"])

    def register_many(
        self, cases_: Sequence[Case], *, purpose: str = "registration"
    ) -> list[str | StoreError]:
        """Register many cases (see :meth:`kaa.store.CaseStore.register_many`): one insert
        of the cases, one of their events and one of the audit entries, whatever their
        number."""
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        results: list[str | StoreError] = []
        ready: list[tuple[int, Case, dict[str, Any], list[Event]]] = []
        for case in cases_:
            try:
                row, stored = self._prepared(case)
            except StoreError as exc:
                results.append(exc)
                continue
            ready.append((len(results), case, row, stored))
            results.append(str(row["case_id"]))
        if not ready:
            return results
        with self._write() as conn:
            inserted = self._insert_cases(conn, [row for _, _, row, _ in ready])
            refused = [(i, c, row) for i, c, row, _ in ready if row["case_id"] not in inserted]
            if refused:
                query = select(cases.c.youth, cases.c.case_id).where(
                    cases.c.municipality == self._municipality,
                    cases.c.ended_on.is_(None),
                    cases.c.youth.in_(sorted({row["youth"] for _, _, row in refused})),
                )
                open_of = {str(y): str(c) for y, c in conn.execute(query)}
                for i, case, row in refused:
                    other = open_of.get(row["youth"], "?")
                    results[i] = OpenCaseExists(case.youth.id, other, self._municipality)
            done = [(c, row, stored) for _, c, row, stored in ready if row["case_id"] in inserted]
            if done:
                conn.execute(
                    events.insert(), [_event_row(e) for _, _, stored in done for e in stored]
                )
                at, who, why = utc_now(), audit_text(self._actor), audit_text(purpose)
                conn.execute(
                    audit.insert(),
                    [
                        {
                            "at": at,
                            "actor": who,
                            "municipality": self._municipality,
                            "action": AuditAction.REGISTER.value,
                            "purpose": why,
                            "case_id": row["case_id"],
                            "detail": audit_text(
                                f"{case.youth.id.masked()} registered with {len(stored)} event(s)"
                            ),
                        }
                        for case, row, stored in done
                    ],
                )
        return results

    def record(self, case_id: str, event: Event, *, purpose: str = "documentation") -> Event:
        """Append an event (see :meth:`kaa.store.CaseStore.record`)."""
        if event.event_id is not None:
            raise InvalidInput(f"the event {event.event_id} is recorded already")
        if event.case_id is not None and event.case_id != case_id:
            raise InvalidInput(f"the event belongs to case {event.case_id}, not {case_id}")
        warnings = text_warnings(event.data, self._checker)
        with self._write() as conn:
            row = self._case_row(conn, case_id, lock=True)
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
            conn.execute(events.insert().values(_event_row(stored)))
            change = (
                cases.update()
                .where(cases.c.case_id == case_id)
                .values(
                    ended_on=None if case.end is None else case.end.day,
                    last_event=stored.event_id,
                    state=_encode_case(case),
                )
            )
            if case.end is None and row.ended_on is not None:
                self._reopen(conn, change, case)
            else:
                conn.execute(change)
            detail = stored.kind.value
            if stored.supersedes is not None:
                detail += f" of event {stored.supersedes}"
            self._audit(conn, AuditAction.RECORD, purpose, [case_id], detail)
        return attrs.evolve(stored, warnings=warnings)

    def case(self, case_id: str, *, purpose: str) -> Case:
        """A case (see :meth:`kaa.store.CaseStore.case`)."""
        with self._write() as conn:
            state = self._case_row(conn, case_id).state
            self._audit(conn, AuditAction.READ, purpose, [case_id], "")
        return _decode_case(state)

    def history(self, case_id: str, *, purpose: str) -> list[Event]:
        """A case's events (see :meth:`kaa.store.CaseStore.history`)."""
        with self._write() as conn:
            self._case_row(conn, case_id)
            found = self._events(conn, case_id)
            self._audit(conn, AuditAction.HISTORY, purpose, [case_id], f"{len(found)} event(s)")
        return found

    def cases(self, *, purpose: str, open_on: dt.date | None = None) -> Iterator[StoredCase]:
        """Every case (see :meth:`kaa.store.CaseStore.cases`)."""
        query = select(cases.c.seq, cases.c.case_id, cases.c.state).where(
            cases.c.municipality == self._municipality
        )
        if open_on is not None:
            query = query.where(
                cases.c.registered_on <= open_on,
                (cases.c.ended_on.is_(None)) | (cases.c.ended_on > open_on),
            )
        after = 0
        while True:
            with self._write() as conn:
                rows = conn.execute(
                    query.where(cases.c.seq > after).order_by(cases.c.seq).limit(PAGE)
                ).all()
                if not rows:
                    return
                self._audit(conn, AuditAction.READ, purpose, [r.case_id for r in rows], "")
            after = rows[-1].seq
            for row in rows:
                yield StoredCase(case_id=row.case_id, case=_decode_case(row.state))

    def find(self, youth: IdentityNumber, *, purpose: str) -> list[str]:
        """Search by identity number (see :meth:`kaa.store.CaseStore.find`)."""
        with self._write() as conn:
            found = list(
                conn.scalars(
                    select(cases.c.case_id)
                    .where(
                        cases.c.municipality == self._municipality,
                        cases.c.youth == youth.full("separated_long"),
                    )
                    .order_by(cases.c.seq)
                )
            )
            detail = f"{youth.masked()}: {len(found)} case(s)"
            self._audit(conn, AuditAction.SEARCH, purpose, found or [None], detail)
        return found

    def find_many(
        self, youths: Sequence[IdentityNumber], *, purpose: str
    ) -> dict[IdentityNumber, list[str]]:
        """Search by many identity numbers (see :meth:`kaa.store.CaseStore.find_many`)."""
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        found: dict[IdentityNumber, list[str]] = {youth: [] for youth in youths}
        by_number = {youth.full("separated_long"): youth for youth in found}
        with self._write() as conn:
            if by_number:
                rows = conn.execute(
                    select(cases.c.youth, cases.c.case_id)
                    .where(
                        cases.c.municipality == self._municipality,
                        cases.c.youth.in_(list(by_number)),
                    )
                    .order_by(cases.c.seq)
                )
                for number, case_id in rows:
                    found[by_number[number]].append(case_id)
            entry = {
                "at": utc_now(),
                "actor": audit_text(self._actor),
                "municipality": self._municipality,
                "action": AuditAction.SEARCH.value,
                "purpose": audit_text(purpose),
            }
            entries = [
                {
                    **entry,
                    "case_id": case_id,
                    "detail": audit_text(f"{youth.masked()}: {len(ids)} case(s)"),
                }
                for youth, ids in found.items()
                for case_id in found_or_none(ids)
            ]
            if entries:
                conn.execute(audit.insert(), entries)
        return found

    def audit(
        self,
        *,
        since: dt.datetime | None = None,
        action: AuditAction | None = None,
        case_id: str | None = None,
        actor: str | None = None,
    ) -> Iterator[AuditEntry]:
        """The audit log (see :meth:`kaa.store.CaseStore.audit`)."""
        query = select(audit).where(audit.c.municipality == self._municipality)
        if since is not None:
            if since.tzinfo is None:
                raise InvalidInput("give the time with its time zone")
            query = query.where(audit.c.at >= since)
        filters: Mapping[Any, str | None] = {
            audit.c.action: None if action is None else action.value,
            audit.c.case_id: case_id,
            audit.c.actor: actor,
        }
        for column, value in filters.items():
            if value is not None:
                query = query.where(column == value)
        after = 0
        while True:  # in pages, so that a long log is never held whole
            with self._write() as conn:
                rows = conn.execute(
                    query.where(audit.c.seq > after).order_by(audit.c.seq).limit(AUDIT_PAGE)
                ).all()
            if not rows:
                return
            after = rows[-1].seq
            for row in rows:
                yield AuditEntry(
                    at=_utc(row.at),
                    actor=row.actor,
                    municipality=row.municipality,
                    action=AuditAction.of(row.action),
                    case_id=row.case_id,
                    purpose=row.purpose,
                    detail=row.detail,
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
        today = dt.date.today()
        deleted = 0
        with self._write() as conn:
            if token != self._token(conn, case_ids, lock=True):
                raise DeletionRefused(
                    "the confirmation token does not match these cases as they are now: list "
                    "them again; nothing deleted"
                )
            for case_id in case_ids:
                ended = self._case_row(conn, case_id).ended_on
                if ended is None or ended > today:
                    raise DeletionRefused(
                        f"case {case_id}: KAA has not ended, so it is never deleted; nothing "
                        "deleted"
                    )
            for case_id in dict.fromkeys(case_ids):
                count = int(
                    conn.scalar(
                        select(func.count()).select_from(events).where(events.c.case_id == case_id)
                    )
                    or 0
                )
                # The retention entry first: the triggers let nothing be deleted without it.
                self._audit(
                    conn,
                    AuditAction.DELETE,
                    purpose,
                    [case_id],
                    f"the whole case history ({count} event(s)) deleted",
                )
                conn.execute(events.delete().where(events.c.case_id == case_id))
                conn.execute(cases.delete().where(cases.c.case_id == case_id))
                deleted += count
        return deleted

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
        self._engine.dispose()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore(municipality={self._municipality!r}, actor={self._actor!r})"

    # -- inside ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the block (see :meth:`kaa.store.CaseStore.batch`)."""
        if self._batched:
            yield
            return
        self._batched = True
        try:
            with self._conn.begin():
                yield
        except OperationalError as exc:
            raise StoreError(f"the store's database failed: {_first_line(exc)}") from exc
        finally:
            self._batched = False

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One transaction, committed when the block ends and rolled back if it raises; in
        a batch, a savepoint of the batch's transaction."""
        try:
            if self._batched:
                with self._conn.begin_nested():
                    yield self._conn
            else:
                with self._conn.begin():
                    yield self._conn
        except OperationalError as exc:  # the server went away, the connection broke …
            raise StoreError(f"the store's database failed: {_first_line(exc)}") from exc

    def _case_row(self, conn: Connection, case_id: str, *, lock: bool = False) -> Any:
        query = select(cases.c.last_event, cases.c.state, cases.c.ended_on).where(
            cases.c.case_id == case_id, cases.c.municipality == self._municipality
        )
        if lock:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise CaseNotFound(case_id, self._municipality)
        return row

    def _events(self, conn: Connection, case_id: str) -> list[Event]:
        rows = conn.execute(
            select(*_EVENT_COLUMNS).where(events.c.case_id == case_id).order_by(events.c.seq)
        )
        return [_event(row) for row in rows]

    def _token(self, conn: Connection, case_ids: Sequence[str], *, lock: bool = False) -> str:
        pairs = [(c, str(self._case_row(conn, c, lock=lock).last_event)) for c in case_ids]
        return deletion_token(self._municipality, pairs)

    def _open_case_of(self, conn: Connection, youth: str) -> str | None:
        found = conn.scalar(
            select(cases.c.case_id).where(
                cases.c.municipality == self._municipality,
                cases.c.youth == youth,
                cases.c.ended_on.is_(None),
            )
        )
        return None if found is None else str(found)

    def _reopen(self, conn: Connection, change: Any, case: Case) -> None:
        """Apply ``change``, which reopens the case (a correction withdrew its end), in a
        savepoint: the partial unique index refuses it while the youth has another open case."""
        try:
            with conn.begin_nested():
                conn.execute(change)
        except IntegrityError as exc:
            if not _is_unique_violation(exc):
                raise
            other = self._open_case_of(conn, case.youth.id.full("separated_long"))
            raise OpenCaseExists(case.youth.id, other or "?", self._municipality) from None

    def _audit(
        self,
        conn: Connection,
        action: AuditAction,
        purpose: str,
        case_ids: Sequence[str | None],
        detail: str,
    ) -> None:
        if not purpose.strip():
            raise InvalidInput("say why the register is used (a purpose)")
        at = utc_now()
        entry = {
            "at": at,
            "actor": audit_text(self._actor),
            "municipality": self._municipality,
            "action": action.value,
            "purpose": audit_text(purpose),
            "detail": audit_text(detail),
        }
        conn.execute(audit.insert(), [{**entry, "case_id": case_id} for case_id in case_ids])
