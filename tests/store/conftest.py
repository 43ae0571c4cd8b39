"""Fixtures of the store tests: a fresh store URL for each backend of the contract.

``STORE_BACKENDS`` lists the backends the contract suite (``test_contract.py``) and the
transfer tests run against: SQLite in a temporary file, and PostgreSQL in a fresh database on
the real server the test session starts itself (:func:`pg_server`, ``tests/pgserver.py``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import pgserver
from kaa.store import CaseStore, open_store
from kaa.store.sqlite import path_of

STORE_BACKENDS = ["sqlite", "postgresql"]
"""The backends every contract test runs against."""

MUNICIPALITY = "1882"
"""The municipality the ``store`` fixture is bound to (Askersund); the tests repeat it."""

ACTOR = "handläggare-a"
"""The actor of the ``store`` fixture; the tests repeat it."""


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a store that does not exist yet (create it with ``create=True``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kaa.db'}"
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
        return url
    raise AssertionError(f"no store URL for the backend {request.param!r}")  # pragma: no cover


@pytest.fixture
def other_store_url(
    store_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """The URL of a second store, on the same backend as :func:`store_url`, that does not
    exist yet (for export from one store and import into another)."""
    if store_url.startswith("sqlite:"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    with pgserver.database(request.getfixturevalue("pg_server")) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[CaseStore]:
    """A new, empty store bound to :data:`MUNICIPALITY`, used by :data:`ACTOR`."""
    opened = open_store(store_url, municipality=MUNICIPALITY, actor=ACTOR, create=True)
    with opened:
        yield opened


@pytest.fixture
def set_schema_version() -> Callable[[str, int], None]:
    """A function that makes the store at a URL claim a schema version (as a newer kaa would
    leave it)."""
    return _set_schema_version


def _set_schema_version(url: str, version: int) -> None:
    if url.startswith("sqlite:"):
        with contextlib.closing(sqlite3.connect(path_of(url), isolation_level=None)) as conn:
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, f"{version:04d}_from_the_future.sql", "2099-01-01T00:00:00+00:00"),
            )
        return
    if url.startswith("postgresql:"):
        with pgserver.connect(url) as conn:
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)",
                (version, f"{version:04d}_from_the_future.sql", "2099-01-01T00:00:00+00:00"),
            )
        return
    raise AssertionError(f"no schema version setter for {url}")  # pragma: no cover


# -- PostgreSQL: a real server the tests start themselves (tests/pgserver.py) ---------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PostgresServer]:
    """A throw-away PostgreSQL server for the whole test session, stopped at its end.

    If it cannot start, every test that needs it fails with the reason — unless
    ``KAA_PG_OPTIONAL=1`` is set (a machine without apt), when they are skipped.
    """
    try:
        server = pgserver.PostgresServer().start()
    except pgserver.ServerUnavailable as exc:
        if pgserver.optional():
            pytest.skip(f"no PostgreSQL server ({pgserver.OPTIONAL_VARIABLE}=1): {exc}")
        pytest.fail(
            f"the PostgreSQL store tests start a server of their own and could not: {exc}\n"
            f"(on a machine without apt, set {pgserver.OPTIONAL_VARIABLE}=1 to skip them)",
            pytrace=False,
        )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: pgserver.PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database on :func:`pg_server`, dropped after the test."""
    with pgserver.database(pg_server) as url:
        yield url
