"""The case store: one typed protocol, opened from a URL, for every backend.

A store is the municipality's KAA register (29 kap. 9 § skollagen): it keeps every case as
the events it is made of (:mod:`kaa.store.events`), the case the rules use as their fold
(:mod:`kaa.store.fold`), and an **audit log** of every read, search and change.

Open one with :func:`open_store`::

    store = open_store("sqlite:///kaa.db", municipality="1882", actor="anna", create=True)

- ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or a bare path: the
  embedded SQLite store (:mod:`kaa.store.sqlite`, the default: one file, no server);
- ``postgresql://user@host/db``: a region's shared PostgreSQL server
  (:mod:`kaa.store.postgres`, the ``kaa[postgres]`` extra).

**Bound to one municipality.** Every opened store is bound to one kommunkod: one database
may hold several municipalities' registers (a region's shared system), but a store object
sees only its own municipality's cases. Another municipality's case is invisible: reading,
changing or deleting it raises :class:`CaseNotFound`, exactly as for a case that does not
exist.

**An actor for everything.** Every store operation is done by an actor, who is written in the
event and the audit log: the ``actor`` given, else the environment variable ``KAA_ACTOR``,
else the operating-system user (:func:`resolve_actor`).

**The audit log is kept by the store, where the reads happen**: every method that reads a
youth's data (:meth:`CaseStore.case`, :meth:`~CaseStore.history`, :meth:`~CaseStore.cases`),
every search (:meth:`~CaseStore.find`) and every change writes its entries before it returns,
each with the time, actor, municipality, action, case id and purpose. It never holds a whole
identity number (texts go through :func:`kaa.errors.scrub`; a search names the masked
number). Nothing updates or deletes an audit entry.

**Schema versions.** Each backend's schema is built by numbered migrations
(``kaa/store/migrations/<backend>/0001_initial.sql`` …, :func:`migrations`). A store whose
schema is newer than this version of ``kaa`` knows is refused, and so is an older one until
it is migrated (:func:`migrate_store`, ``kaa store migrate``).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import importlib
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from importlib import resources
from types import TracebackType
from typing import Protocol, runtime_checkable

import attrs

from kaa.errors import ConfigurationError, InvalidInput, KaaError, scrub
from kaa.identity import IdentityNumber
from kaa.model.case import Case
from kaa.model.youth import Labelled
from kaa.municipalities import is_municipality_code
from kaa.rules.privacy import TermsFor
from kaa.store.events import Event

__all__ = [
    "ACTOR_ENVIRONMENT",
    "AuditAction",
    "AuditEntry",
    "Backend",
    "CaseNotFound",
    "CaseStore",
    "DeletionRefused",
    "Migration",
    "OpenCaseExists",
    "StoreError",
    "StoredCase",
    "audit_text",
    "backend_for",
    "check_schema_version",
    "deletion_token",
    "found_or_none",
    "init_store",
    "migrate_store",
    "migrations",
    "new_id",
    "open_store",
    "resolve_actor",
    "utc_now",
]

ACTOR_ENVIRONMENT = "KAA_ACTOR"
"""The environment variable naming the actor when none is given."""


class StoreError(KaaError):
    """A store operation that cannot be done (the case is not there, a rule of the register
    would be broken)."""


class CaseNotFound(StoreError):
    """No case with this id in the store's municipality (it does not exist, or it belongs to
    another municipality, which is the same to this store).

    Attributes:
        case_id: The id asked for.
    """

    def __init__(self, case_id: str, municipality: str) -> None:
        self.case_id = case_id
        super().__init__(f"no case {case_id!r} in the register of municipality {municipality}")


class OpenCaseExists(StoreError):
    """The youth already has an open case in this municipality: end it before registering
    the youth again.

    Attributes:
        case_id: The open case.
    """

    def __init__(self, youth: IdentityNumber, case_id: str, municipality: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"{youth.masked()} already has an open case ({case_id}) in municipality "
            f"{municipality}: end it before registering the youth again"
        )


class DeletionRefused(StoreError):
    """Retention deletion refused: a wrong confirmation token, or a case whose KAA has not
    ended. Nothing was deleted."""


class AuditAction(Labelled):
    """What an audit entry records."""

    READ = ("read", "läsning av ärende")
    HISTORY = ("history", "läsning av ärendets historik")
    SEARCH = ("search", "sökning")
    REGISTER = ("register", "registrering")
    RECORD = ("record", "ändring")
    DELETE = ("delete", "gallring")
    EXPORT = ("export", "export")
    IMPORT = ("import", "import")
    REVEAL_IDS = ("reveal_ids", "hela personnummer visade")
    SCB_FILE = ("scb_file", "SCB-fil skriven")
    EXTRACT = ("extract", "registerutdrag")

    @classmethod
    def of(cls, value: object) -> AuditAction:
        """The action whose value is ``value``.

        Raises:
            InvalidInput: If there is none.
        """
        for action in cls:
            if action.value == value:
                return action
        allowed = ", ".join(a.value for a in cls)
        raise InvalidInput(f"{str(value)[:40]!r} is not an audit action: one of {allowed}")


@attrs.frozen(kw_only=True)
class StoredCase:
    """A case as the store holds it.

    Attributes:
        case_id: The stable case id.
        case: The case (the fold of its events).
    """

    case_id: str
    case: Case


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One entry of the audit log.

    Attributes:
        at: When (UTC).
        actor: Who.
        municipality: The kommunkod of the store that did it.
        action: What kind of access or change.
        case_id: The case concerned, if one is.
        purpose: Why (the command or use that asked).
        detail: What exactly, in words without a whole identity number.
    """

    at: dt.datetime
    actor: str
    municipality: str
    action: AuditAction
    case_id: str | None
    purpose: str
    detail: str = ""


@runtime_checkable
class CaseStore(Protocol):
    """The register of one municipality, in a backend that may hold several.

    Every backend (:mod:`kaa.store.sqlite`, :mod:`kaa.store.postgres`) implements this
    protocol and passes the same contract tests (``tests/store/test_contract.py``).
    """

    @property
    def municipality(self) -> str:
        """The kommunkod the store is bound to."""
        ...

    @property
    def actor(self) -> str:
        """Who is doing what is done through this store."""
        ...

    def schema_version(self) -> int:
        """The schema version of the database."""
        ...

    def register(self, case: Case, *, purpose: str = "registration") -> str:
        """Register ``case`` as a new case, made of :func:`~kaa.store.events.events_of` it.

        A youth may have several cases over time, but at most one open (not ended) case in
        the municipality.

        Args:
            case: The case, of the store's municipality; it may already hold contacts,
                measures and the rest (an import).
            purpose: Why (written in the audit log).

        Returns:
            The new case id.

        Raises:
            OpenCaseExists: If the youth has an open case in the municipality and ``case``
                is open too.
            StoreError: If the case is of another municipality.
        """
        ...

    def register_many(
        self, cases: Sequence[Case], *, purpose: str = "registration"
    ) -> list[str | StoreError]:
        """Register many cases at once (what a bulk import does per batch): as
        :meth:`register` for each in turn, in one transaction, each case succeeding or
        failing on its own — a case that :meth:`register` would refuse (its youth has an open
        case, in the store or earlier in ``cases``; another municipality's case) is refused,
        the others are registered. Added in kaa's store API after ``register``; a backend
        implements both (the PostgreSQL store in three statements whatever the number).

        Args:
            cases: The cases, in order.
            purpose: Why (written in the audit log).

        Returns:
            For each case, in order, its new case id or the :class:`StoreError` (an
            :class:`OpenCaseExists`) that refused it.

        Raises:
            InvalidInput: If ``purpose`` is empty.
            StoreError: If the database fails (the transaction the call is in is rolled
                back).
        """
        ...

    def record(self, case_id: str, event: Event, *, purpose: str = "documentation") -> Event:
        """Append ``event`` (a draft) to a case.

        The store sets the case id, the time, the actor and the event id. The case with the
        event must still be a valid case (the model's invariants); a correction must name an
        event of the same case and replace it with one of the same kind. Free text passes the
        privacy guard: its warnings come back on the returned event and never block.

        Returns:
            The event as recorded.

        Raises:
            CaseNotFound: If there is no such case in the store's municipality.
            InvalidInput: If the event would make the case invalid, or was already recorded.
            OpenCaseExists: If a correction would reopen a case while the youth has another
                open case.
        """
        ...

    def case(self, case_id: str, *, purpose: str) -> Case:
        """The case (the fold of its events); audit-logged.

        Raises:
            CaseNotFound: If there is no such case in the store's municipality.
        """
        ...

    def history(self, case_id: str, *, purpose: str) -> list[Event]:
        """Every event of the case in the order recorded, corrections included; audit-logged.

        Raises:
            CaseNotFound: If there is no such case in the store's municipality.
        """
        ...

    def cases(self, *, purpose: str, open_on: dt.date | None = None) -> Iterator[StoredCase]:
        """Every case of the municipality, in the order registered; one audit entry per case
        read, written before the case is yielded.

        Args:
            purpose: Why (written in the audit log).
            open_on: Only the cases open on this day (registered, not ended).
        """
        ...

    def find(self, youth: IdentityNumber, *, purpose: str) -> list[str]:
        """The ids of every case of ``youth`` in the municipality, oldest first; the search
        is audit-logged (with the masked number) whether or not it finds anything."""
        ...

    def find_many(
        self, youths: Sequence[IdentityNumber], *, purpose: str
    ) -> dict[IdentityNumber, list[str]]:
        """:meth:`find` for many youths at once, in one query (what a bulk import asks
        before it registers a batch): each youth's case ids, oldest first (an empty list for
        a youth without a case). The search is audit-logged as :meth:`find` logs it, an
        entry per youth with the masked number. Added in kaa's store API after ``find``;
        a backend implements both.
        """
        ...

    def audit(
        self,
        *,
        since: dt.datetime | None = None,
        action: AuditAction | None = None,
        case_id: str | None = None,
        actor: str | None = None,
    ) -> Iterator[AuditEntry]:
        """The municipality's audit log, oldest first, filtered by each argument given."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Group the operations in a ``with`` block into one transaction.

        A bulk job (a register sync, an import) records thousands of events; one transaction
        per operation would make it slow. Inside ``with store.batch():`` every operation
        still succeeds or fails on its own (each is a savepoint: an operation that raises
        leaves nothing behind and the batch goes on), but nothing is committed until the
        block ends; if the block raises, the whole batch is rolled back. A batch inside a
        batch is part of the outer one. A process killed in the middle loses the batch it
        was in and nothing committed before it.
        """
        ...

    def log(
        self,
        action: AuditAction,
        *,
        purpose: str,
        case_ids: Sequence[str | None] = (None,),
        detail: str = "",
    ) -> None:
        """Write audit entries for an access the store cannot see itself (an SCB file
        written, whole identity numbers shown): one per case id."""
        ...

    def deletion_token(self, case_ids: Sequence[str]) -> str:
        """The token that confirms deleting exactly these cases as they are now (see
        :func:`deletion_token`).

        Raises:
            CaseNotFound: If a case is not in the store's municipality.
        """
        ...

    def delete(self, case_ids: Sequence[str], *, token: str, purpose: str = "gallring") -> int:
        """Delete whole case histories (retention, *gallring*), with an audit entry each.

        Args:
            case_ids: The cases, each of which must have ended.
            token: :meth:`deletion_token` of the same cases.
            purpose: Why (written in the audit log).

        Returns:
            The number of events deleted.

        Raises:
            DeletionRefused: If the token does not match, or a case has not ended; nothing is
                deleted.
            CaseNotFound: If a case is not in the store's municipality.
        """
        ...

    def close(self) -> None:
        """Close the connection."""
        ...

    def __enter__(self) -> CaseStore: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Backend(Protocol):
    """What a backend module offers as its ``BACKEND``."""

    def init(self, url: str) -> int:
        """Create the store's schema if there is none; returns the schema version.

        Raises:
            ConfigurationError: If the database holds a schema of another version.
        """
        ...

    def migrate(self, url: str) -> tuple[int, int]:
        """Apply the migrations the database has not had; returns (version before, after).

        Raises:
            ConfigurationError: If there is no store, or its schema is newer than known.
        """
        ...

    def open(self, url: str, *, municipality: str, actor: str, terms: TermsFor | None) -> CaseStore:
        """Open a store bound to ``municipality``.

        Raises:
            ConfigurationError: If there is no store (run init), or its schema version is
                not this version's (newer: refused; older: run migrate).
        """
        ...


_BACKENDS = {"sqlite": "kaa.store.sqlite", "postgresql": "kaa.store.postgres"}


def _scheme(url: str) -> str:
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", url)
    if match is None:
        return "sqlite"  # a bare path
    return match.group(1).split("+")[0].lower()


def backend_for(url: str) -> Backend:
    """The backend for a store URL (``sqlite:///…``, a bare path, ``postgresql://…``).

    The PostgreSQL backend is imported only when asked for (the ``kaa[postgres]`` extra).

    Raises:
        ConfigurationError: If the scheme is not known or the backend is not installed.
    """
    scheme = _scheme(url)
    name = _BACKENDS.get(scheme)
    if name is None:
        known = ", ".join(f"{s}://" for s in _BACKENDS)
        raise ConfigurationError(f"unknown store URL scheme {scheme!r}: use {known} or a path")
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ConfigurationError(
            f"the {scheme} store needs an extra: pip install 'kaa[{scheme.removesuffix('ql')}]' "
            f"({exc})"
        ) from None
    backend: Backend = module.BACKEND
    return backend


def resolve_actor(actor: str | None = None) -> str:
    """Who is acting: ``actor`` when given, else ``$KAA_ACTOR``, else the OS user.

    Raises:
        InvalidInput: If none of them names anybody.
    """
    for candidate in (actor, os.environ.get(ACTOR_ENVIRONMENT)):
        if candidate is not None and candidate.strip():
            return candidate.strip()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for the process (a container without one)
        user = ""
    if not user.strip():
        raise InvalidInput(f"say who is acting: give --actor or set {ACTOR_ENVIRONMENT}")
    return user.strip()


def open_store(
    url: str,
    *,
    municipality: str,
    actor: str | None = None,
    create: bool = False,
    migrate: bool = False,
    terms: TermsFor | None = None,
) -> CaseStore:
    """Open the store at ``url``, bound to ``municipality``.

    Args:
        url: ``sqlite:///path``, a path, or ``postgresql://…``.
        municipality: The kommunkod the store is bound to.
        actor: Who is acting (see :func:`resolve_actor`).
        create: Create the store (its schema) if there is none.
        migrate: Migrate an older schema to this version's first.
        terms: The municipality's sensitive terms for the privacy guard, by kommunkod (pass
            :meth:`kaa.plugins.manager.Hooks.sensitive_terms`); the built-in list if ``None``.

    Raises:
        ConfigurationError: If there is no store (and not ``create``), or its schema version
            is unknown (newer) or older (and not ``migrate``).
        InvalidInput: If ``municipality`` is not a kommunkod or nobody is acting.
    """
    if not is_municipality_code(municipality):
        raise InvalidInput(
            f"{municipality!r} is not a kommunkod: give the municipality's four digits",
            column="municipality",
        )
    who = resolve_actor(actor)
    backend = backend_for(url)
    if create:
        backend.init(url)
    if migrate:
        backend.migrate(url)
    return backend.open(url, municipality=municipality, actor=who, terms=terms)


def init_store(url: str) -> int:
    """Create the store at ``url`` if there is none; returns its schema version."""
    return backend_for(url).init(url)


def migrate_store(url: str) -> tuple[int, int]:
    """Migrate the store at ``url``; returns the schema version before and after."""
    return backend_for(url).migrate(url)


# -- shared by the backends ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Migration:
    """One schema migration of a backend.

    Attributes:
        version: The schema version it brings the database to.
        name: The file name.
        sql: The SQL script.
    """

    version: int
    name: str
    sql: str


def migrations(backend: str) -> list[Migration]:
    """The migrations of a backend (``"sqlite"``, ``"postgres"``), in order.

    They are the files ``kaa/store/migrations/<backend>/NNNN_name.sql``; versions run
    1, 2, 3 … without a gap.

    Raises:
        ConfigurationError: If the files are misnumbered.
    """
    folder = resources.files("kaa.store").joinpath("migrations").joinpath(backend)
    found = []
    for item in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", item.name)
        if match:
            sql = item.read_text(encoding="utf-8")
            found.append(Migration(version=int(match.group(1)), name=item.name, sql=sql))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise ConfigurationError(
            f"the {backend} migrations are not numbered 1, 2, 3 …: {[m.name for m in found]}"
        )
    return found


def check_schema_version(found: int | None, known: int, *, url: str) -> None:
    """Refuse a store whose schema version is not ``known``.

    Args:
        found: The database's version; ``None`` when it has no store schema.
        known: The newest version this ``kaa`` has migrations for.
        url: The store, for the message.

    Raises:
        ConfigurationError: Naming both versions and what to do.
    """
    where = _safe_url(url)
    if found is None:
        raise ConfigurationError(f"no case store at {where}: create it with `kaa store init`")
    if found > known:
        raise ConfigurationError(
            f"the store at {where} has schema version {found}, newer than version {known} "
            "that this kaa knows: upgrade kaa; the store was not opened"
        )
    if found < known:
        raise ConfigurationError(
            f"the store at {where} has schema version {found}; this kaa needs version {known}: "
            "run `kaa store migrate` (take a backup first)"
        )


def _safe_url(url: str) -> str:
    """The URL without a password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def new_id() -> str:
    """A new case or event id: a random UUID, as text, that messages can show whole.

    Messages mask everything shaped like a personal identity number
    (:func:`kaa.errors.scrub`), and about one random UUID in forty has such a run of
    digits (``…-ca3749076758`` holds ``374907-6758``). An id like that would be shown
    masked, so a case worker could not find the case a message names; those UUIDs are
    drawn again. The ids stay random version-4 UUIDs.
    """
    while True:
        text = str(uuid.uuid4())
        if scrub(text) == text:
            return text


def found_or_none(case_ids: Sequence[str]) -> Sequence[str | None]:
    """The case ids a search found, or ``[None]`` when it found none: what a search writes
    one audit entry for each of."""
    return list(case_ids) if case_ids else [None]


def utc_now() -> dt.datetime:
    """The time now, in UTC."""
    return dt.datetime.now(dt.UTC)


def audit_text(text: str) -> str:
    """Text as it may be written in the audit log: anything shaped like an identity number
    masked (:func:`kaa.errors.scrub`), control characters removed, at most 500 characters."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return scrub(cleaned)[:500]


def deletion_token(
    municipality: str, cases: Iterable[tuple[str, str | None]], *, today: dt.date | None = None
) -> str:
    """A short token that confirms deleting exactly these cases as they are now.

    Args:
        municipality: The store's kommunkod.
        cases: Each case id with the id of its latest event: a case changed after the
            listing gets another token.
        today: The day of the listing (today if ``None``): a token is good for one day.
    """
    digest = hashlib.sha256(f"kaa-store-gallring\0{municipality}".encode())
    digest.update((today or dt.date.today()).isoformat().encode())
    for case_id, last in sorted(cases, key=lambda c: c[0]):
        digest.update(f"\0{case_id}:{last}".encode())
    return digest.hexdigest()[:12]
