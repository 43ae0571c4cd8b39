"""The SS12000 API client, against a real HTTP server on 127.0.0.1 that serves the pages.

:class:`Platform` is a small school platform: it serves ``/persons`` and ``/programmes`` page
by page as the specification says (an opaque ``pageToken``; a ``pageToken`` combined with
any parameter but ``limit`` is a 400), checks the bearer token, and validates every page it
serves against the shipped excerpt of SS12000 2.1.0 (``tests/data/ss12000/``) — so a page
the tests serve as valid is valid. Faults are scripted per page: a status (500, 503, 429
with ``Retry-After``, 401), a slow answer, a body cut off before its ``Content-Length``, a
cut-off JSON text, a page token given twice, a person on two pages. Nothing here reaches
beyond the loopback address.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import gc
import json
import logging
import os
import secrets
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import attrs
import pytest

from adapters.test_ss12000 import GY_IM, PROGRAMMES, assert_valid, person, spec_errors
from exports import NUMBERS
from kaa.adapters import SourceSummary, open_source
from kaa.adapters.ss12000_client import (
    DEFAULT_QUERY,
    DEFAULT_TOKEN_ENV,
    MAX_WAIT,
    FetchError,
    FetchEvent,
    PageFetched,
    Retrying,
    TokenRefused,
    _retry_after,
    display_url,
    fetch_register,
)
from kaa.errors import ConfigurationError
from kaa.model.youth import Programme

DAY = dt.date(2026, 11, 23)
TOKEN = "kaa-test-token-" + "Q" * 24
"""The bearer token the tests' platform accepts (a made-up text, long enough to be found)."""
NEW_TOKEN = "kaa-renewed-token-" + "Z" * 24

Fault = tuple[Any, ...]
"""A scripted answer: ``("status", 500)``, ``("status", 429, {"Retry-After": "1"})``,
``("slow", seconds)``, ``("cut",)`` (a body shorter than its Content-Length),
``("garbled",)`` (cut-off JSON with a matching Content-Length), ``("html",)``, ``("loop",)``
(a pageToken given before), ``("dup",)`` (a person of the page before, again)."""


@attrs.define
class Seen:
    """A request the platform received."""

    path: str
    query: dict[str, str]
    authorization: str | None


def youths(n: int) -> list[dict[str, Any]]:
    """``n`` spec-valid persons with Skatteverket test numbers (every third on an
    introduction programme), in the target group in Askersund on :data:`DAY`."""
    found = []
    for i, ident in enumerate(NUMBERS[:n]):
        extra: dict[str, Any] = {}
        if i % 3 == 2:
            extra["enrolments"] = [person(ident)["enrolments"][0], dict(GY_IM)]
        found.append(person(ident, **extra))
    return found


@attrs.define
class Platform:
    """The school platform's state: what it serves, the token it takes, the faults to come."""

    persons: list[dict[str, Any]]
    programmes: list[dict[str, Any]] = attrs.Factory(lambda: list(PROGRAMMES["data"]))
    page_size: int = 3
    tokens: set[str] = attrs.Factory(lambda: {TOKEN})
    faults: dict[tuple[str, int], list[Fault]] = attrs.Factory(dict)
    seen: list[Seen] = attrs.Factory(list)
    stop: threading.Event = attrs.Factory(threading.Event)
    _paging: dict[str, tuple[str, int]] = attrs.Factory(dict)
    _given: list[str] = attrs.Factory(list)
    lock: threading.Lock = attrs.Factory(threading.Lock)

    def fail(self, resource: str, page: int, *faults: Fault) -> None:
        """Script the next answers for ``page`` of ``resource``."""
        self.faults.setdefault((resource, page), []).extend(faults)

    def page(self, resource: str, offset: int, size: int) -> dict[str, Any]:
        items = self.persons if resource == "persons" else self.programmes
        data = items[offset : offset + size]
        token = None
        if offset + size < len(items):
            token = secrets.token_urlsafe(12)
            self._paging[token] = (resource, offset + size)
            self._given.append(token)
        body = {"data": data, "pageToken": token}
        if resource == "persons":
            assert_valid(body)
        else:
            for item in data:
                assert spec_errors(item, "Programme") == []
        return body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    platform: ClassVar[Platform]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, headers: Mapping[str, str] = {}) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, json.dumps({"code": code, "message": message}).encode())

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        p = self.platform
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with p.lock:
            p.seen.append(Seen(parts.path, query, self.headers.get("Authorization")))
        resource = parts.path.rsplit("/", 1)[-1]
        if parts.path not in ("/v2.0/persons", "/v2.0/programmes"):
            self._error(404, "not_found", "no such resource")
            return
        if "pageToken" in query and set(query) - {"pageToken", "limit"}:
            self._error(400, "filter", "pageToken cannot be combined with other filters")
            return
        size = int(query.get("limit", p.page_size))
        offset = 0
        if "pageToken" in query:
            if query["pageToken"] not in p._paging:
                self._error(400, "token", "unknown pageToken")
                return
            resource_of, offset = p._paging[query["pageToken"]]
            assert resource_of == resource
        number = offset // size + 1
        with p.lock:
            scripted = p.faults.get((resource, number), [])
            fault = scripted.pop(0) if scripted else None
        if fault is not None and fault[0] == "status":
            extra = fault[2] if len(fault) > 2 else {}
            body = json.dumps({"code": str(fault[1]), "message": "scripted"}).encode()
            self._send(fault[1], body, extra)
            return
        if fault is not None and fault[0] == "slow" and p.stop.wait(fault[1]):
            return
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in p.tokens:
            self._send(401, b'{"code": "401", "message": "invalid token"}')
            return
        with p.lock:
            body = p.page(resource, offset, size)
        if fault is not None and fault[0] == "loop" and p._given:
            body["pageToken"] = p._given[0]
        if fault is not None and fault[0] == "dup":
            body["data"] = [p.persons[0], *body["data"]]
        text = json.dumps(body, ensure_ascii=False).encode()
        if fault is not None and fault[0] == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text[: len(text) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault is not None and fault[0] == "garbled":
            text = text[: len(text) // 2]
        if fault is not None and fault[0] == "html":
            self.send_response(200)
            html = b"<html><body>Logga in</body></html>"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)
            return
        self._send(200, text)


@contextlib.contextmanager
def serving(platform: Platform) -> Iterator[str]:
    """Serve ``platform`` on 127.0.0.1 (a free port) while the block runs; yields the API's
    address."""
    handler = type("Handler", (_Handler,), {"platform": platform})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2.0"
    finally:
        platform.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(DEFAULT_TOKEN_ENV, TOKEN)
    return TOKEN


FAST = {"backoff": 0.01, "timeout": 10.0, "time_limit": 30.0}
"""Pauses short enough for a test (the defaults are seconds to a minute); a time-out long
enough that a busy machine does not make a page late."""


def _persons(path: Path) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["data"]
    return loaded


# -- every page, one document ------------------------------------------------------------------


def test_every_page_is_fetched_and_assembled_into_one_complete_document(
    token: str, tmp_path: Path
) -> None:
    platform = Platform(youths(8))
    events: list[FetchEvent] = []
    with (
        serving(platform) as url,
        fetch_register(url, progress=events.append, directory=tmp_path, **FAST) as fetched,
    ):
        document = json.loads(fetched.path.read_text("utf-8"))
        assert document["pageToken"] is None
        assert document["data"] == platform.persons
        assert document["programmes"]["data"] == PROGRAMMES["data"]
        assert_valid(document)
        assert stat.S_IMODE(fetched.path.stat().st_mode) == 0o600
        assert (fetched.persons, fetched.programmes) == (8, 2)
        assert dict(fetched.pages) == {"persons": 3, "programmes": 1}
        assert fetched.url == f"{url}/persons"
        summary = SourceSummary(file=fetched.url)
        records = list(open_source("ss12000", fetched.path, summary=summary, reference_day=DAY))
        assert summary.rows_rejected == 0
        assert len(records) == 8
        assert records[2].youth.enrolments[0].programme is Programme.INTRODUCTION
        assert fetched.locate(2) == (1, 1)
        assert fetched.locate(5) == (2, 1)
        assert fetched.locate(9) == (3, 2)
        assert fetched.locate(10) is None
        path = fetched.path
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    assert [e for e in events if isinstance(e, PageFetched)] == [
        PageFetched(resource="programmes", page=1, items=2, total=2),
        PageFetched(resource="persons", page=1, items=3, total=3),
        PageFetched(resource="persons", page=2, items=3, total=6),
        PageFetched(resource="persons", page=3, items=2, total=8),
    ]


def test_the_first_request_filters_and_the_next_carry_only_the_page_token_and_limit(
    token: str,
) -> None:
    platform = Platform(youths(5))
    with serving(platform) as url, fetch_register(url, page_size=2, **FAST):
        pass
    persons = [s for s in platform.seen if s.path.endswith("/persons")]
    assert persons[0].query == {**DEFAULT_QUERY, "limit": "2"}
    assert [set(s.query) for s in persons[1:]] == [{"pageToken", "limit"}] * 2
    assert {s.authorization for s in platform.seen} == {f"Bearer {TOKEN}"}


def test_the_query_of_the_url_and_no_programmes(token: str) -> None:
    platform = Platform(youths(2))
    with (
        serving(platform) as url,
        fetch_register(
            f"{url}/persons?relationship.organisation=x", programmes=False, query={}, **FAST
        ) as fetched,
    ):
        assert fetched.programmes is None
        assert "programmes" not in json.loads(fetched.path.read_text("utf-8"))
    assert [s.path for s in platform.seen] == ["/v2.0/persons"]
    assert platform.seen[0].query == {"relationship.organisation": "x"}


# -- retried, then fetched -----------------------------------------------------------------------


def test_a_500_then_ok_is_retried_with_back_off(token: str) -> None:
    platform = Platform(youths(7))
    platform.fail("persons", 2, ("status", 500), ("status", 503))
    events: list[FetchEvent] = []
    with serving(platform) as url, fetch_register(url, progress=events.append, **FAST) as fetched:
        assert _persons(fetched.path) == platform.persons
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [(r.page, r.attempt, r.wait) for r in retries] == [(2, 2, 0.01), (2, 3, 0.02)]
    assert "500" in retries[0].reason
    assert "503" in retries[1].reason


def test_a_429_waits_as_long_as_retry_after_says(token: str) -> None:
    platform = Platform(youths(4))
    platform.fail("persons", 2, ("status", 429, {"Retry-After": "1"}))
    events: list[FetchEvent] = []
    started = time.monotonic()
    with serving(platform) as url, fetch_register(url, progress=events.append, **FAST) as fetched:
        assert fetched.persons == 4
    assert time.monotonic() - started >= 1.0
    (retry,) = [e for e in events if isinstance(e, Retrying)]
    assert (retry.wait, "429" in retry.reason) == (1.0, True)


def test_a_slow_page_times_out_and_is_asked_for_again(token: str) -> None:
    platform = Platform(youths(4))
    platform.fail("persons", 2, ("slow", 1.5))
    events: list[FetchEvent] = []
    settings = {**FAST, "timeout": 0.3}
    with (
        serving(platform) as url,
        fetch_register(url, progress=events.append, **settings) as fetched,
    ):
        assert fetched.persons == 4
    retries = [e for e in events if isinstance(e, Retrying)]
    assert retries
    assert (retries[0].page, retries[0].reason) == (2, "no answer within 0.3 s")


def test_a_body_cut_off_before_its_length_is_asked_for_again(token: str) -> None:
    platform = Platform(youths(4))
    platform.fail("persons", 1, ("cut",))
    events: list[FetchEvent] = []
    with serving(platform) as url, fetch_register(url, progress=events.append, **FAST) as fetched:
        assert _persons(fetched.path) == platform.persons
    (retry,) = [e for e in events if isinstance(e, Retrying)]
    assert "cut off" in retry.reason


def test_a_changed_token_is_read_again_after_a_401(
    token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = Platform(youths(7))
    events: list[FetchEvent] = []

    def renew(event: FetchEvent) -> None:
        """After page 1 the platform takes only a new token, and the caller has it."""
        events.append(event)
        if event == PageFetched(resource="persons", page=1, items=3, total=3):
            platform.tokens = {NEW_TOKEN}
            monkeypatch.setenv(DEFAULT_TOKEN_ENV, NEW_TOKEN)

    with serving(platform) as url, fetch_register(url, progress=renew, **FAST) as fetched:
        assert fetched.persons == 7
    persons = [s.authorization for s in platform.seen if s.path.endswith("/persons")]
    assert persons == [f"Bearer {x}" for x in (TOKEN, TOKEN, NEW_TOKEN, NEW_TOKEN)]
    (retry,) = [e for e in events if isinstance(e, Retrying)]
    assert (retry.wait, "401" in retry.reason) == (0.0, True)


def test_the_token_may_come_from_a_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEFAULT_TOKEN_ENV, raising=False)
    platform = Platform(youths(2))
    with serving(platform) as url, fetch_register(url, token=lambda: TOKEN, **FAST) as fetched:
        assert fetched.persons == 2


# -- the whole fetch fails, and nothing is left ------------------------------------------------


def _fails(
    platform: Platform, tmp_path: Path, error: type[FetchError] = FetchError, **settings: Any
) -> FetchError:
    """Fetch from ``platform``; check that it fails and leaves no document behind."""
    with serving(platform) as url, pytest.raises(error) as caught:
        fetch_register(url, directory=tmp_path, **{**FAST, **settings})
    assert list(tmp_path.iterdir()) == []
    assert "nothing of it was read" in str(caught.value)
    return caught.value


def test_500_on_every_attempt_fails_the_fetch_naming_the_page(token: str, tmp_path: Path) -> None:
    platform = Platform(youths(7))
    platform.fail("persons", 3, *[("status", 500)] * 4)
    error = _fails(platform, tmp_path, attempts=4)
    assert (error.resource, error.page, error.status) == ("persons", 3, 500)
    assert str(error).startswith("http://127.0.0.1:")
    assert "/v2.0/persons, page 3: the server answered 500" in str(error)
    assert "4 times in a row" in str(error)


def test_a_slow_page_for_ever_fails_within_the_time_limit(token: str, tmp_path: Path) -> None:
    platform = Platform(youths(4))
    platform.fail("persons", 2, *[("slow", 3.0)] * 50)
    started = time.monotonic()
    error = _fails(platform, tmp_path, timeout=0.2, time_limit=1.0, attempts=50, backoff=0.05)
    assert time.monotonic() - started < 2.5
    assert error.page == 2
    assert "time limit of 1 s" in str(error)


def test_a_retry_after_past_the_time_limit_fails_at_once(token: str, tmp_path: Path) -> None:
    platform = Platform(youths(4))
    platform.fail("persons", 1, ("status", 503, {"Retry-After": "120"}))
    started = time.monotonic()
    error = _fails(platform, tmp_path, time_limit=5.0)
    assert time.monotonic() - started < 2.0
    assert "waiting 120 s to ask again would pass the time limit of 5 s" in str(error)


def test_the_same_token_refused_again_fails_the_fetch(token: str, tmp_path: Path) -> None:
    platform = Platform(youths(7))

    def expire(event: FetchEvent) -> None:
        if isinstance(event, PageFetched) and event.resource == "persons":
            platform.tokens = {NEW_TOKEN}  # the caller does not renew

    with serving(platform) as url, pytest.raises(TokenRefused) as caught:
        fetch_register(url, progress=expire, directory=tmp_path, **FAST)
    assert (caught.value.page, caught.value.status) == (2, 401)
    assert "the token has not changed" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        pytest.param(("garbled",), "the answer is not JSON (application/json", id="cut-off JSON"),
        pytest.param(("html",), "the answer is not JSON (text/html", id="a login page"),
        pytest.param(("loop",), "a pageToken it had given before", id="a page token twice"),
        pytest.param(("dup",), "the same person id is on page 1 and 2", id="a person twice"),
        pytest.param(("status", 403), "denied access (403", id="access denied"),
        pytest.param(("status", 400), "the server answered 400", id="a bad request"),
        pytest.param(("status", 302, {"Location": "/elsewhere"}), "answered 302", id="a redirect"),
    ],
)
def test_a_page_that_is_not_a_sound_page_fails_the_fetch(
    token: str, tmp_path: Path, fault: Fault, words: str
) -> None:
    platform = Platform(youths(7))
    platform.fail("persons", 2, fault)
    error = _fails(platform, tmp_path)
    assert words in str(error)
    assert error.page == 2
    requests = [s for s in platform.seen if s.path.endswith("/persons")]
    assert len(requests) == 2  # not retried


def test_a_failed_programmes_page_fails_before_any_person_is_asked_for(
    token: str, tmp_path: Path
) -> None:
    platform = Platform(youths(4))
    platform.fail("programmes", 1, ("status", 403))
    error = _fails(platform, tmp_path, TokenRefused)
    assert error.resource == "programmes"
    assert [s.path for s in platform.seen] == ["/v2.0/programmes"]


def test_a_register_without_persons_is_refused_unless_allowed(token: str, tmp_path: Path) -> None:
    error = _fails(Platform([]), tmp_path)
    assert "listed no person at all" in str(error)
    with serving(Platform([])) as url, fetch_register(url, allow_empty=True, **FAST) as fetched:
        assert fetched.persons == 0
        assert json.loads(fetched.path.read_text("utf-8"))["data"] == []


def test_the_server_is_not_reachable(token: str, tmp_path: Path) -> None:
    with serving(Platform([])) as url:
        pass  # the port is free again: nobody answers there
    with pytest.raises(FetchError) as caught:
        fetch_register(url, directory=tmp_path, attempts=2, **{**FAST, "backoff": 0.0})
    assert "the connection failed (ConnectError), and so 2 times in a row" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# -- the token is never shown -------------------------------------------------------------------


def test_the_token_appears_in_no_output_exception_log_or_repr(
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    platform = Platform(youths(7))
    platform.fail("persons", 2, ("status", 500), ("cut",), ("status", 429, {"Retry-After": "0"}))
    seen: list[str] = []

    def progress(event: FetchEvent) -> None:
        seen.extend((str(event), repr(event)))

    with serving(platform) as url:
        with fetch_register(url, progress=progress, **FAST) as fetched:
            seen.append(repr(fetched))
        platform.fail("persons", 1, ("status", 400))
        with pytest.raises(FetchError) as caught:
            fetch_register(url, progress=progress, **FAST)
        seen.extend((str(caught.value), repr(caught.value), str(caught.value.args)))
        platform.tokens = {NEW_TOKEN}
        with pytest.raises(TokenRefused) as refused:
            fetch_register(url, progress=progress, **FAST)
        seen.extend((str(refused.value), repr(refused.value)))
    out, err = capsys.readouterr()
    text = "\n".join([*seen, out, err, caplog.text])
    assert "HTTP Request: GET" in caplog.text  # httpx did log, at INFO
    assert len(seen) > 10
    assert TOKEN not in text
    assert TOKEN[-12:] not in text
    assert all(s.authorization == f"Bearer {TOKEN}" for s in platform.seen)


def test_an_error_text_that_echoes_the_token_is_shown_without_it(
    token: str, tmp_path: Path
) -> None:
    class Echo(_Handler):
        def _answer(self) -> None:
            auth = self.headers.get("Authorization", "")
            self._error(400, "bad", f"the request with {auth} was refused")

    platform = Platform(youths(1))
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Echo,), {"platform": platform}))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch_register(f"http://127.0.0.1:{server.server_address[1]}/v2.0", **FAST)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert TOKEN not in str(caught.value)
    assert "the request with Bearer [token] was refused" in str(caught.value)


# -- refused before anything is asked -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        pytest.param("http://skola.example.se/v2.0", "plain http", id="plain http elsewhere"),
        pytest.param("https://user:pw@skola.example.se/v2.0", "user name", id="credentials"),
        pytest.param("ftp://skola.example.se/v2.0", "https:// URL", id="another scheme"),
        pytest.param("skola.example.se/v2.0", "https:// URL", id="no scheme"),
        pytest.param("https://skola.example.se:99999/", "not a URL", id="a bad port"),
    ],
)
def test_an_address_that_would_expose_the_token_is_refused(
    token: str, url: str, words: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        fetch_register(url)
    assert words in str(caught.value)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param(None, "holds no bearer token", id="unset"),
        pytest.param("  ", "holds no bearer token", id="blank"),
        pytest.param("två ord", "does not hold a bearer token", id="not a token"),
    ],
)
def test_no_usable_token_is_refused_naming_the_variable_only(
    monkeypatch: pytest.MonkeyPatch, value: str | None, words: str
) -> None:
    if value is None:
        monkeypatch.delenv("KAA_TEST_TOKEN", raising=False)
    else:
        monkeypatch.setenv("KAA_TEST_TOKEN", value)
    with pytest.raises(ConfigurationError) as caught:
        fetch_register("http://127.0.0.1:9/v2.0", token_env="KAA_TEST_TOKEN")
    assert f"the environment variable KAA_TEST_TOKEN {words}" in str(caught.value)
    assert "två" not in str(caught.value)


def test_the_address_is_shown_without_query_or_trailing_slash() -> None:
    assert display_url("https://skola.example.se/v2.0/") == "https://skola.example.se/v2.0/persons"
    assert display_url("http://[::1]:8080/api/persons?x=1") == "http://[::1]:8080/api/persons"
    assert display_url("http://localhost/v2.0") == "http://localhost/v2.0/persons"


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = time.time()
    assert _retry_after("7", now) == 7.0
    later = email.utils.formatdate(now + 30, usegmt=True)
    wait = _retry_after(later, now)
    assert wait is not None
    assert 28 <= wait <= 31
    assert _retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert _retry_after("soon", now) is None
    assert _retry_after(None, now) is None
    assert MAX_WAIT == 60.0


def test_the_client_module_is_not_imported_with_the_adapters() -> None:
    code = "import sys, kaa.adapters, kaa.commands.sync; print('httpx' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.strip() == "False"


def test_without_httpx_the_fetch_says_which_extra_to_install(
    token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "httpx", None)  # `import httpx` now raises ImportError
    with pytest.raises(ConfigurationError) as caught:
        fetch_register("http://127.0.0.1:9/v2.0")
    assert "pip install 'kaa[ss12000]'" in str(caught.value)


def test_a_document_never_closed_is_deleted_when_collected(token: str, tmp_path: Path) -> None:
    with serving(Platform(youths(2))) as url:
        fetched = fetch_register(url, directory=tmp_path, **FAST)
    path = fetched.path
    assert path.exists()
    del fetched
    gc.collect()
    assert not path.exists()
