"""The store protocol's helpers: opening from a URL, the actor, schema versions, migrations,
audit text and the deletion token."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from kaa.errors import ConfigurationError, InvalidInput, scrub
from kaa.store import CaseStore, base, open_store, resolve_actor
from kaa.store.base import (
    AuditAction,
    audit_text,
    backend_for,
    check_schema_version,
    deletion_token,
    migrations,
    new_id,
    utc_now,
)
from kaa.store.sqlite import BACKEND as SQLITE


@pytest.mark.parametrize(
    ("given", "environment", "user", "expected"),
    [
        pytest.param("anna", "bertil", "root", "anna", id="an actor given wins"),
        pytest.param(None, "bertil", "root", "bertil", id="else KAA_ACTOR"),
        pytest.param("  ", "bertil", "root", "bertil", id="a blank actor is no actor"),
        pytest.param(None, None, "cecilia", "cecilia", id="else the operating-system user"),
        pytest.param(None, " ", " david ", "david", id="spaces around a name are dropped"),
    ],
)
def test_who_is_acting(
    monkeypatch: pytest.MonkeyPatch,
    given: str | None,
    environment: str | None,
    user: str,
    expected: str,
) -> None:
    if environment is None:
        monkeypatch.delenv("KAA_ACTOR", raising=False)
    else:
        monkeypatch.setenv("KAA_ACTOR", environment)
    monkeypatch.setattr("getpass.getuser", lambda: user)
    assert resolve_actor(given) == expected


def test_nobody_acting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAA_ACTOR", raising=False)

    def no_user() -> str:
        raise KeyError("uid 1234")

    monkeypatch.setattr("getpass.getuser", no_user)
    with pytest.raises(InvalidInput, match="--actor or set KAA_ACTOR"):
        resolve_actor(None)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("sqlite:///kaa.db", id="an sqlite URL"),
        pytest.param("kaa.db", id="a bare path"),
        pytest.param("/srv/kaa/kaa.db", id="an absolute path"),
        pytest.param("SQLITE:///kaa.db", id="the scheme in capitals"),
    ],
)
def test_sqlite_urls_and_paths_open_the_embedded_store(url: str) -> None:
    assert backend_for(url) is SQLITE


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown store URL scheme 'mysql'"):
        backend_for("mysql://host/kaa")


def test_a_backend_that_is_not_installed_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._BACKENDS, "postgresql", "kaa.store.no_such_backend")
    with pytest.raises(ConfigurationError, match=r"pip install 'kaa\[postgres\]'"):
        backend_for("postgresql+psycopg://kaa@localhost/kaa")


def test_open_store_refuses_what_is_not_a_kommunkod(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="'1234' is not a kommunkod"):
        open_store(str(tmp_path / "kaa.db"), municipality="1234", actor="a", create=True)
    assert not (tmp_path / "kaa.db").exists()


def test_a_store_satisfies_the_protocol(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "kaa.db"), municipality="1882", actor="a", create=True) as s:
        assert isinstance(s, CaseStore)


@pytest.mark.parametrize(
    ("found", "message"),
    [
        pytest.param(None, "no case store at .*kaa store init", id="no schema: create it"),
        pytest.param(3, "schema version 3, newer than version 2", id="a newer one: upgrade kaa"),
        pytest.param(1, "version 1; this kaa needs version 2.*kaa store migrate", id="older"),
    ],
)
def test_a_schema_version_other_than_the_known_one_is_refused(
    found: int | None, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        check_schema_version(found, 2, url="postgresql://kaa:secret@db/kaa")


def test_the_known_schema_version_is_accepted() -> None:
    check_schema_version(2, 2, url="kaa.db")


def test_a_password_in_the_url_is_never_shown() -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_schema_version(None, 1, url="postgresql://kaa:secret@db/kaa")
    assert "secret" not in str(caught.value)
    assert "kaa:***@db" in str(caught.value)


def test_the_sqlite_migrations_are_numbered_without_a_gap() -> None:
    found = migrations("sqlite")
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert found[0].name == "0001_initial.sql"
    assert "CREATE TABLE audit" in found[0].sql


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("worklist", "worklist", id="plain text is kept"),
        pytest.param("sök 200001012384", "sök 20000101-****", id="a number is masked"),
        pytest.param("a\nb\x1b[31m", "a b [31m", id="control characters become spaces"),
        pytest.param("x" * 600, "x" * 500, id="at most 500 characters"),
    ],
)
def test_what_may_be_written_in_the_audit_log(text: str, expected: str) -> None:
    assert audit_text(text) == expected


def test_the_deletion_token_changes_with_the_cases_their_last_event_and_the_day() -> None:
    day = dt.date(2026, 12, 1)
    token = deletion_token("1882", [("a", "e1"), ("b", "e2")], today=day)
    assert token == deletion_token("1882", [("b", "e2"), ("a", "e1")], today=day)
    assert len(token) == 12
    others = {
        deletion_token("0180", [("a", "e1"), ("b", "e2")], today=day),
        deletion_token("1882", [("a", "e1")], today=day),
        deletion_token("1882", [("a", "e1"), ("b", "e3")], today=day),
        deletion_token("1882", [("a", "e1"), ("b", "e2")], today=day + dt.timedelta(days=1)),
    }
    assert token not in others
    assert len(others) == 4


def test_ids_are_unique_and_times_are_utc() -> None:
    assert len({new_id() for _ in range(100)}) == 100
    assert utc_now().utcoffset() == dt.timedelta(0)


def test_an_id_is_a_random_uuid_that_a_message_shows_whole() -> None:
    # About one random UUID in forty holds a run shaped like an identity number, which a
    # message masks; 4,000 ids would hold about a hundred of them.
    ids = [new_id() for _ in range(4_000)]
    assert all(uuid.UUID(i).version == 4 and str(uuid.UUID(i)) == i for i in ids)
    assert [i for i in ids if scrub(f"case {i}") != f"case {i}"] == []
    assert len(set(ids)) == len(ids)


def test_a_uuid_shaped_like_an_identity_number_is_still_masked() -> None:
    # The store's own ids avoid the shape; any other text of that shape is masked.
    assert scrub("ab798a3f-e1d5-4a5b-82d4-ca3749076758") == "ab798a3f-e1d5-4a5b-82d4-ca374907-****"


def test_every_audit_action_is_found_by_its_value_and_has_a_swedish_label() -> None:
    for action in AuditAction:
        assert AuditAction.of(action.value) is action
        assert action.label_sv
    with pytest.raises(InvalidInput, match="not an audit action"):
        AuditAction.of("peek")
