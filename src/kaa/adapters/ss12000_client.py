"""Fetch the SS12000 register from a school platform's API, every page, or nothing.

Municipalities get SS12000 data (SIS TK450, OpenAPI specification 2.1.0) from their school
platforms over HTTP. :func:`fetch_register` asks the platform for every page of
``GET /persons`` (the persons with their ``enrolments``, the facts the
:mod:`~kaa.adapters.ss12000` source reads) and of ``GET /programmes`` (so that each
enrolment's ``programme.id`` can be looked up), following ``pageToken`` until it is
``null``, and writes them out as **one** complete document — ``{"data": [Person, …],
"pageToken": null, "programmes": {"data": [Programme, …], "pageToken": null}}`` — that the
``ss12000`` source reads through :func:`kaa.adapters.open_source`::

    with fetch_register("https://skolplattform.example.se/ss12000/v2.0") as fetched:
        summary = SourceSummary(file=fetched.url)
        records = open_source("ss12000", fetched.path, summary=summary, reference_day=day)
        result = sync(store, records, on=day, hooks=hooks, read=summary)

**All pages or nothing.** A register missing some of its pages would make the youths on
them fall out of the target group unseen (and :func:`kaa.sync.sync` would list every open
case of theirs as missing). So the fetch either ends with every page, or raises a
:class:`FetchError` — naming the address (never with credentials or a query) and the page —
and leaves nothing behind: the document is written only to a temporary file of the
caller's own (mode ``0600``), deleted when the fetch fails and when the
:class:`FetchedRegister` is closed. Nothing is read, so nothing is synced, from a fetch that
failed. What makes a fetch fail:

* an answer that is not a page: not JSON (a cut-off body, an HTML login page), not an object
  with a ``data`` list, a ``pageToken`` that is neither ``null`` nor a non-empty text;
* a page count that does not add up: the same ``pageToken`` given twice (the paging goes
  round in a circle), the same person ``id`` on two pages (the register changed while it
  was fetched, so a person may also have been skipped), more than ``max_pages`` pages, or
  no person at all (not read as an empty register unless ``allow_empty``);
* the server refusing the request: 401 with a token that has not changed, 403, a 4xx other
  than 429, a redirect;
* a transient failure that lasts: 429, a 5xx, a time-out, a broken connection or a body cut
  off before its ``Content-Length``, ``attempts`` times for one page — or the whole fetch
  running past ``time_limit``.

**Retries.** A transient failure is retried after a pause that doubles each time —
``backoff``, ``2 × backoff``, ``4 × backoff`` … up to :data:`MAX_WAIT` — or, on a 429 or
503 with ``Retry-After`` (seconds or an HTTP date), after the pause the server asks for.
Each request may take at most ``timeout`` seconds without an answer, and the whole fetch at
most ``time_limit`` seconds (:data:`DEFAULT_TIME_LIMIT`, half an hour): a pause that would
end past the limit is not waited for, the fetch fails at once and says why.

**The token.** The platform's bearer token (``securitySchemes.BearerAuth`` in the
specification) is read from the environment variable ``token_env``
(:data:`DEFAULT_TOKEN_ENV`), or from a ``token`` function a Python caller passes. It is sent
only in the ``Authorization`` header and never appears in a message, an exception, a
``repr``, a progress event or a log line; a server's error text is shown only with the token
cut out. A token may change while a long fetch runs (a short-lived token renewed by the
caller): when the server answers 401, the token is read again, and a *different* token is
tried once on the same page; the *same* token refused again fails the fetch — the client
never guesses or loops on a refused token. Plain ``http://`` is refused except on the
loopback address (``127.0.0.1``, ``::1``, ``localhost``): a token must not cross a network
unencrypted. A loopback address is never reached through a proxy; other addresses honour
the usual proxy variables (``HTTPS_PROXY``, ``NO_PROXY``) and ``SSL_CERT_FILE``.

**What is asked for.** The first request for ``/persons`` carries the query
:data:`DEFAULT_QUERY` — ``relationship.entity.type=enrolment`` (only persons with an
enrolment, i.e. pupils: not the platform's staff and guardians, whom the KAA register may
not hold, förordning (2006:39) 4 §; the library's own choice) and
``expandReferenceNames=true`` (``displayName`` of referenced objects, which the source uses
when a programme is not listed) — merged with the query of ``url`` and with ``query``; the
following requests carry only ``pageToken`` (and ``limit``), as the specification says a
``pageToken`` "cannot be combined with other filters, but with ``limit``". ``page_size``
sets ``limit``; without it the server chooses.

**Progress.** ``progress`` is called with a :class:`PageFetched` after each page and a
:class:`Retrying` before each pause (``kaa sync --url`` draws a bar and prints the retries).

This module needs the ``ss12000`` extra (``pip install 'kaa[ss12000]'``, for ``httpx``). It
imports ``httpx`` only when a fetch starts, so ``import kaa.adapters`` and the commands
never need it.
"""

from __future__ import annotations

import bisect
import email.utils
import ipaddress
import json
import os
import re
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType, TracebackType
from typing import IO, TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import attrs

from kaa.errors import ConfigurationError, KaaError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_BACKOFF",
    "DEFAULT_QUERY",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TIME_LIMIT",
    "DEFAULT_TOKEN_ENV",
    "MAX_WAIT",
    "FetchError",
    "FetchEvent",
    "FetchedRegister",
    "PageFetched",
    "Retrying",
    "TokenRefused",
    "display_url",
    "fetch_register",
]

DEFAULT_TOKEN_ENV: Final = "KAA_SS12000_TOKEN"
"""The environment variable the bearer token is read from unless another is named."""

DEFAULT_TIME_LIMIT: Final = 1800.0
"""Seconds the whole fetch may take, retries and pauses included (the library's own choice:
half an hour, enough for a large municipality's register in pages of a few hundred)."""

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds one request may wait for the server (to connect, or between two parts of the
answer) before it is given up and retried."""

DEFAULT_ATTEMPTS: Final = 8
"""Requests for one page before a transient failure (429, 5xx, time-out, broken
connection) fails the fetch."""

DEFAULT_BACKOFF: Final = 1.0
"""Seconds of the first pause before a retry; each further pause doubles it."""

MAX_WAIT: Final = 60.0
"""The longest pause the client chooses itself (a server's ``Retry-After`` may ask for
more, within the time limit)."""

DEFAULT_MAX_PAGES: Final = 100_000
"""Pages of one resource after which the paging is taken to go on for ever."""

DEFAULT_QUERY: Final[Mapping[str, str]] = {
    "relationship.entity.type": "enrolment",
    "expandReferenceNames": "true",
}
"""The query of the first ``/persons`` request (see the module docs)."""

_CONNECT_TIMEOUT: Final = 10.0
_B64TOKEN: Final = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
"""RFC 6750's ``b64token``: what a bearer token may be made of."""
_ENV_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SERVER_TEXT: Final = 200
_ERROR_BODY: Final = 65_536
_HOME: Final = ("persons", "programmes")


class FetchError(KaaError):
    """The register could not be fetched whole; nothing of it was kept.

    Attributes:
        url: The address of the resource (scheme, host, port and path only: never a user
            name, password or query).
        resource: ``persons`` or ``programmes``.
        page: The page (1 for the first), or ``None`` before any was asked for.
        status: The HTTP status of the last answer, if there was one.
        reason: What went wrong, in words.
    """

    def __init__(
        self,
        reason: str,
        *,
        url: str,
        resource: str,
        page: int | None = None,
        status: int | None = None,
    ) -> None:
        self.url = url
        self.resource = resource
        self.page = page
        self.status = status
        self.reason = reason
        where = f"{url}, page {page}" if page is not None else url
        super().__init__(
            f"{where}: {reason}; the register was not fetched whole, so nothing of it was "
            "read (a register is never read from part of its pages)"
        )


class TokenRefused(FetchError):
    """The server refused the bearer token (401, the same token after it was read again)
    or the access (403)."""


@attrs.frozen(kw_only=True)
class PageFetched:
    """A page was fetched and checked.

    Attributes:
        resource: ``persons`` or ``programmes``.
        page: The page (1 for the first).
        items: Objects on the page.
        total: Objects of the resource fetched so far, this page included.
    """

    resource: str
    page: int
    items: int
    total: int


@attrs.frozen(kw_only=True)
class Retrying:
    """A page is asked for again after a pause.

    Attributes:
        resource: ``persons`` or ``programmes``.
        page: The page.
        attempt: The attempt that is about to be made (2 for the first retry).
        reason: Why (a status, a time-out, a changed token), in words, without the token.
        wait: Seconds of the pause before it.
    """

    resource: str
    page: int
    attempt: int
    reason: str
    wait: float

    def __str__(self) -> str:
        return (
            f"{self.resource}, page {self.page}: {self.reason}; asking again in "
            f"{self.wait:.3g} s (attempt {self.attempt})"
        )


FetchEvent = PageFetched | Retrying
"""What :func:`fetch_register` reports to its ``progress`` callback."""


@attrs.define(eq=False)
class FetchedRegister:
    """The register as fetched: one complete SS12000 document in a temporary file.

    Read it with ``open_source("ss12000", fetched.path, …)`` before closing it. Closing it
    (or leaving the ``with`` block) deletes the file; so does the garbage collector, at the
    latest, if it is never closed.

    The persons are written one a line in the order fetched, from line 2: a problem the
    source reports on line *n* is the (*n* − 1)-th person, and :meth:`locate` says on which
    page.

    Attributes:
        path: The document (mode ``0600``).
        url: The address of ``/persons``, without credentials or query (for messages and
            :class:`~kaa.adapters.SourceSummary`).
        persons: Persons fetched.
        programmes: Programmes fetched (``None`` when they were not asked for).
        pages: Pages fetched, per resource.
        seconds: How long the fetch took.
    """

    path: Path
    url: str
    persons: int
    programmes: int | None
    pages: Mapping[str, int]
    seconds: float
    _starts: list[int] = attrs.field(repr=False)
    _finalizer: Any = attrs.field(default=None, init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, _remove, self.path)

    def locate(self, line: int) -> tuple[int, int] | None:
        """The page of ``/persons`` and the place on it (both from 1) of the person on
        ``line`` of the document, or ``None`` if no person is on that line."""
        index = line - 2
        if not 0 <= index < self.persons:
            return None
        page = bisect.bisect_right(self._starts, index)
        return page, index - self._starts[page - 1] + 1

    def close(self) -> None:
        """Delete the document (again is harmless)."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> FetchedRegister:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _httpx() -> ModuleType:
    """``httpx``, imported when a fetch starts (it is in the ``ss12000`` extra)."""
    try:
        import httpx
    except ImportError:
        raise ConfigurationError(
            "fetching from an SS12000 API needs the httpx package: pip install 'kaa[ss12000]'"
        ) from None
    return httpx


# -- the address ------------------------------------------------------------------------------


@attrs.frozen
class _Address:
    scheme: str
    netloc: str
    root: str  # the path of the API, without a trailing /
    query: tuple[tuple[str, str], ...]
    loopback: bool

    def url(self, resource: str) -> str:
        return urlunsplit((self.scheme, self.netloc, f"{self.root}/{resource}", "", ""))


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _address(url: str) -> _Address:
    """The API's address from ``url`` (its root, or its ``/persons``), checked."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ConfigurationError(
            "the SS12000 address is not a URL (https://host/path)", key="url"
        ) from None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        raise ConfigurationError(
            "the SS12000 address must be an https:// URL with a host name", key="url"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(
            "the SS12000 address holds a user name or password: give the address without "
            "them; the bearer token is read from the environment",
            key="url",
        )
    loopback = _is_loopback(host)
    if scheme == "http" and not loopback:
        raise ConfigurationError(
            f"the SS12000 address {scheme}://{host}… is plain http: the bearer token would "
            "cross the network unencrypted; use https (plain http is accepted only on the "
            "loopback address)",
            key="url",
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    root = parts.path.rstrip("/")
    if root.rsplit("/", 1)[-1] in _HOME:
        root = root.rsplit("/", 1)[0]
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return _Address(scheme=scheme, netloc=netloc, root=root, query=query, loopback=loopback)


def display_url(url: str) -> str:
    """The address of ``/persons`` that ``url`` names, as messages show it: scheme, host,
    port and path, never credentials or a query.

    >>> display_url("https://skola.example.se/ss12000/v2.0/?limit=5")
    'https://skola.example.se/ss12000/v2.0/persons'

    Raises:
        ConfigurationError: If ``url`` is not an https URL (or plain http on the loopback
            address), or holds a user name or password.
    """
    return _address(url).url("persons")


# -- the token --------------------------------------------------------------------------------


def _checked(token: object, where: str) -> str:
    text = token.strip() if isinstance(token, str) else ""
    if not text:
        raise ConfigurationError(
            f"{where} holds no bearer token: set it to the token the school platform gave "
            "(it is never shown or logged)"
        )
    if not _B64TOKEN.fullmatch(text):
        raise ConfigurationError(
            f"{where} does not hold a bearer token: a token has only letters, digits and "
            "- . _ ~ + / (and = at the end) (RFC 6750)"
        )
    return text


def _token_reader(token_env: str, token: Callable[[], str] | None) -> Callable[[], str]:
    if token is not None:
        return lambda: _checked(token(), "the token function's answer")
    if not _ENV_NAME.fullmatch(token_env):
        raise ConfigurationError(
            f"{token_env!r} is not the name of an environment variable", key="token_env"
        )
    where = f"the environment variable {token_env}"
    return lambda: _checked(os.environ.get(token_env), where)


# -- one resource, page by page --------------------------------------------------------------


class _OutOfTime(Exception):
    """The time limit ran out while an answer was being read."""


class _TooLarge(Exception):
    """An answer was larger than a page may be."""


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delay-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def _server_text(content: bytes, token: str) -> str:
    """The ``code`` and ``message`` of an ``Error`` body, short and without the token."""
    try:
        body = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ""
    if not isinstance(body, dict):
        return ""
    said = " ".join(
        str(body[k]) for k in ("code", "message") if isinstance(body.get(k), str | int)
    ).replace(token, "[token]")
    said = " ".join(said.split())[:_SERVER_TEXT]
    return f" (the server says: {said!r})" if said else ""


@attrs.define
class _Client:
    """The fetch's state: the HTTP client, the clock, the token in use."""

    http: httpx.Client
    lib: ModuleType
    address: _Address
    read_token: Callable[[], str]
    token: str = attrs.field(repr=False)
    deadline: float
    time_limit: float
    timeout: float
    attempts: int
    backoff: float
    max_pages: int
    max_page_bytes: int
    progress: Callable[[FetchEvent], None] | None

    def pages(
        self, resource: str, query: Mapping[str, str], page_size: int | None
    ) -> Iterator[list[Any]]:
        """The ``data`` list of every page of ``resource``, checked, in order."""
        url = self.address.url(resource)
        page_token: str | None = None
        tokens: set[str] = set()
        ids: dict[str, int] = {}
        total = 0
        page = 0
        while True:
            page += 1
            if page > self.max_pages:
                raise FetchError(
                    f"more than {self.max_pages} pages: the paging does not end",
                    url=url,
                    resource=resource,
                    page=page,
                )
            params = dict(query) if page_token is None else {"pageToken": page_token}
            if page_size is not None:
                params["limit"] = str(page_size)
            data, page_token = self._envelope(self._get(url, resource, page, params), url, page)
            for item in data:
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str):
                    continue
                first = ids.get(ident)
                if first is not None:
                    where = "twice on the page" if first == page else f"on page {first} and {page}"
                    raise FetchError(
                        f"the same {resource[:-1]} id is {where}: the register changed while it "
                        "was fetched (so someone may also have been skipped); fetch again",
                        url=url,
                        resource=resource,
                        page=page,
                    )
                ids[ident] = page
            total += len(data)
            if self.progress is not None:
                self.progress(
                    PageFetched(resource=resource, page=page, items=len(data), total=total)
                )
            yield data
            if page_token is None:
                return
            if page_token in tokens:
                raise FetchError(
                    "the server gave a pageToken it had given before: the paging goes round "
                    "in a circle",
                    url=url,
                    resource=resource,
                    page=page,
                )
            tokens.add(page_token)

    def _envelope(self, body: object, url: str, page: int) -> tuple[list[Any], str | None]:
        resource = url.rsplit("/", 1)[-1]
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise FetchError(
                'the answer is not a page of the list: an object {"data": [...], '
                '"pageToken": ...} was expected',
                url=url,
                resource=resource,
                page=page,
            )
        token = body.get("pageToken")
        if token is not None and (not isinstance(token, str) or not token):
            raise FetchError(
                "the pageToken is neither null (the last page) nor a text to ask for the next "
                "page with, so it cannot be known whether pages are missing",
                url=url,
                resource=resource,
                page=page,
            )
        return body["data"], token

    def _get(self, url: str, resource: str, page: int, params: Mapping[str, str]) -> object:
        """One page's JSON, retried as the module docs say."""
        attempt = 0
        while True:
            attempt += 1
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise self._fail(
                    f"the time limit of {self.time_limit:.3g} s ran out", url, resource, page
                )
            wait: float | None = None
            status: int | None = None
            try:
                status, headers, content = self._request(url, params, left)
            except self.lib.TimeoutException:
                reason = f"no answer within {min(self.timeout, left):.3g} s"
            except self.lib.TransportError as exc:
                reason = f"the connection failed ({type(exc).__name__})"
                if isinstance(exc, self.lib.RemoteProtocolError):
                    reason = "the answer was cut off (the connection closed before its end)"
            except _OutOfTime:
                raise self._fail(
                    f"the time limit of {self.time_limit:.3g} s ran out while the page was read",
                    url,
                    resource,
                    page,
                ) from None
            except _TooLarge:
                raise self._fail(
                    f"the page is larger than {self.max_page_bytes} bytes; ask for smaller "
                    "pages (page_size, --page-size)",
                    url,
                    resource,
                    page,
                ) from None
            else:
                if status == 200:
                    return self._json(content, headers, url, resource, page)
                said = _server_text(content, self.token)
                if status == 401:
                    fresh = self.read_token()
                    if fresh == self.token:
                        raise TokenRefused(
                            "the server refused the bearer token (401 Unauthorized), and the "
                            "token has not changed since: put a valid token in its place and "
                            f"run again{said}",
                            url=url,
                            resource=resource,
                            page=page,
                            status=status,
                        )
                    self.token = fresh
                    reason = "the server refused the token (401); the token has changed since"
                    wait = 0.0
                elif status == 403:
                    raise TokenRefused(
                        "the server denied access (403 Forbidden): the token does not give "
                        f"access to {resource}{said}",
                        url=url,
                        resource=resource,
                        page=page,
                        status=status,
                    )
                elif status == 429 or 500 <= status <= 599:
                    reason = f"the server answered {status}{said}"
                    wait = _retry_after(headers.get("retry-after"), time.time())
                else:
                    raise FetchError(
                        f"the server answered {status}{said}",
                        url=url,
                        resource=resource,
                        page=page,
                        status=status,
                    )
            if attempt >= self.attempts:
                raise self._fail(
                    f"{reason}, and so {attempt} times in a row", url, resource, page, status
                )
            if wait is None:
                wait = min(MAX_WAIT, self.backoff * 2 ** (attempt - 1))
            if time.monotonic() + wait >= self.deadline:
                raise self._fail(
                    f"{reason}, and waiting {wait:.3g} s to ask again would pass the time "
                    f"limit of {self.time_limit:.3g} s",
                    url,
                    resource,
                    page,
                    status,
                )
            if self.progress is not None:
                self.progress(
                    Retrying(
                        resource=resource, page=page, attempt=attempt + 1, reason=reason, wait=wait
                    )
                )
            time.sleep(wait)

    def _fail(
        self, reason: str, url: str, resource: str, page: int, status: int | None = None
    ) -> FetchError:
        return FetchError(reason, url=url, resource=resource, page=page, status=status)

    def _request(
        self, url: str, params: Mapping[str, str], left: float
    ) -> tuple[int, httpx.Headers, bytes]:
        """Status, headers and body of one GET; the body read in parts, within the limits."""
        timeout = self.lib.Timeout(
            min(self.timeout, left), connect=min(_CONNECT_TIMEOUT, self.timeout, left)
        )
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        with self.http.stream(
            "GET", url, params=params, headers=headers, timeout=timeout
        ) as response:
            limit = self.max_page_bytes if response.status_code == 200 else _ERROR_BODY
            parts: list[bytes] = []
            size = 0
            for part in response.iter_bytes():
                size += len(part)
                if size > limit:
                    if response.status_code != 200:
                        break
                    raise _TooLarge
                if time.monotonic() > self.deadline:
                    raise _OutOfTime
                parts.append(part)
            return response.status_code, response.headers, b"".join(parts)

    def _json(
        self, content: bytes, headers: httpx.Headers, url: str, resource: str, page: int
    ) -> object:
        try:
            return json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            kind = headers.get("content-type", "no content type").split(";")[0].strip()
            raise FetchError(
                f"the answer is not JSON ({kind}, {len(content)} bytes): cut off or not an "
                "SS12000 page",
                url=url,
                resource=resource,
                page=page,
                status=200,
            ) from None


# -- the fetch --------------------------------------------------------------------------------


def _write_person(out: IO[str], item: object, first: bool) -> None:
    out.write(("" if first else ",\n") + json.dumps(item, ensure_ascii=False))


def fetch_register(
    url: str,
    *,
    token_env: str = DEFAULT_TOKEN_ENV,
    token: Callable[[], str] | None = None,
    programmes: bool = True,
    query: Mapping[str, str] | None = None,
    page_size: int | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff: float = DEFAULT_BACKOFF,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_page_bytes: int = 1 << 30,
    allow_empty: bool = False,
    progress: Callable[[FetchEvent], None] | None = None,
    directory: Path | None = None,
) -> FetchedRegister:
    """Fetch every page of ``/persons`` (and ``/programmes``) into one SS12000 document.

    See the module docs for what is asked for, what is retried and what fails the fetch.

    Args:
        url: The SS12000 API's address (the specification's ``servers.url``, e.g.
            ``https://skolplattform.example.se/ss12000/v2.0``), or its ``/persons``; its
            query, if any, is added to the first ``/persons`` request.
        token_env: The environment variable holding the bearer token.
        token: Instead of ``token_env``, a function giving the token; it is called at the
            start and again when the server answers 401.
        programmes: Fetch ``/programmes`` too (so introduction programmes are known by
            their type); the ``ss12000`` source falls back on ``educationCode`` without.
        query: Replaces :data:`DEFAULT_QUERY` for the first ``/persons`` request (``{}``:
            no filter, every person the platform holds).
        page_size: ``limit``, persons per page (the server chooses when ``None``).
        time_limit: Seconds the whole fetch may take (:data:`DEFAULT_TIME_LIMIT`).
        timeout: Seconds one request may wait for the server (:data:`DEFAULT_TIMEOUT`).
        attempts: Requests for one page before a transient failure fails the fetch.
        backoff: Seconds of the first pause before a retry; it doubles each time, up to
            :data:`MAX_WAIT`.
        max_pages: Pages of one resource after which the paging is taken not to end.
        max_page_bytes: The largest page accepted (its body, decompressed).
        allow_empty: Accept a register without any person (refused by default: a filter
            that matches nobody is more likely than a municipality without pupils).
        progress: Called with a :class:`PageFetched` after each page and a
            :class:`Retrying` before each pause.
        directory: Where the temporary document is written (the system's temporary
            directory when ``None``).

    Returns:
        The register, complete: use it as a context manager, so that the document is
        deleted when read.

    Raises:
        ConfigurationError: If httpx is not installed, the address is not an https URL (or
            plain http on the loopback address) or holds credentials, or there is no bearer
            token; nothing was asked of the server.
        FetchError: If the register could not be fetched whole (:class:`TokenRefused` when
            the token or access was refused); the document was deleted.
    """
    address = _address(url)
    read_token = _token_reader(token_env, token)
    if attempts < 1 or time_limit <= 0 or timeout <= 0 or backoff < 0:
        raise ConfigurationError(
            "attempts must be at least 1, and time_limit and timeout more than 0 seconds"
        )
    if page_size is not None and page_size < 1:
        raise ConfigurationError("page_size must be at least 1 (the specification's minimum)")
    first_token = read_token()
    httpx = _httpx()
    started = time.monotonic()
    persons_query = {**(DEFAULT_QUERY if query is None else query), **dict(address.query)}
    fd, name = tempfile.mkstemp(prefix="kaa-ss12000-", suffix=".json", dir=directory)
    path = Path(name)
    try:
        with (
            os.fdopen(fd, "w", encoding="utf-8") as out,
            httpx.Client(follow_redirects=False, trust_env=not address.loopback) as http,
        ):
            client = _Client(
                http=http,
                lib=httpx,
                address=address,
                read_token=read_token,
                token=first_token,
                deadline=started + time_limit,
                time_limit=time_limit,
                timeout=timeout,
                attempts=attempts,
                backoff=backoff,
                max_pages=max_pages,
                max_page_bytes=max_page_bytes,
                progress=progress,
            )
            pages: dict[str, int] = {}
            listed: list[Any] | None = None
            if programmes:
                listed = []
                for data in client.pages("programmes", {}, page_size):
                    listed.extend(data)
                    pages["programmes"] = pages.get("programmes", 0) + 1
            out.write('{"data": [\n')
            starts: list[int] = []
            count = 0
            for data in client.pages("persons", persons_query, page_size):
                starts.append(count)
                pages["persons"] = pages.get("persons", 0) + 1
                for item in data:
                    _write_person(out, item, count == 0)
                    count += 1
            if count == 0 and not allow_empty:
                raise FetchError(
                    "the server listed no person at all: not read as an empty register (a "
                    "filter that matches nobody is the likelier cause); check the address and "
                    "query",
                    url=address.url("persons"),
                    resource="persons",
                )
            out.write('\n],\n"pageToken": null')
            if listed is not None:
                out.write(',\n"programmes": ')
                out.write(json.dumps({"data": listed, "pageToken": None}, ensure_ascii=False))
            out.write("}\n")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FetchedRegister(
        path=path,
        url=address.url("persons"),
        persons=count,
        programmes=None if listed is None else len(listed),
        pages=pages,
        seconds=time.monotonic() - started,
        starts=starts,
    )
