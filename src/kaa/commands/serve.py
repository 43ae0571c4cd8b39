"""``kaa serve``: answer the HTTP API (:mod:`kaa.api`) on a host and port.

Needs the ``api`` extra (``pip install 'kaa[api]'``: Litestar and uvicorn). The web framework
is imported only when the command runs, so every other command works without the extra.

The rules and the installed municipality plugins are loaded once, before the first request.
Nothing is stored; the access log is written with every identity-number-shaped text masked
(:func:`kaa.api.scrubbing_filter`). The first line on standard error names the address the
server answers on (with ``--port 0`` the system picks a free port).

The API has no authentication of its own: it listens on the loopback address unless
``--host`` says otherwise, and a municipality that opens it to other machines puts it behind
its own gateway.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import socket
from typing import IO, Any

from kaa import __version__
from kaa.plugins.manager import Hooks

__all__ = ["LOGGERS", "add_parser", "listen"]

LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "litestar", "kaa.api")
"""The loggers ``kaa serve`` masks identity numbers in."""


def _megabytes(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of megabytes") from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError("the limit must be more than 0 and at most 1024 MB")
    return max(1, round(value * 1_000_000))


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0 to 65535 (0: any free port)")
    return value


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa serve`` to the command line."""
    p = commands.add_parser(
        "serve",
        help="answer the HTTP API (needs the api extra)",
        description="Answer the HTTP API: POST /assess, /worklist, /scb/check; GET /rules, "
        "/timetables/KOMMUNKOD, /measures/KOMMUNKOD, /spec. Stores nothing; identity numbers "
        "are masked in every answer and log line. Stop it with Ctrl-C.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1, this machine only; the API has "
        "no authentication of its own)",
    )
    p.add_argument(
        "--port", type=_port, default=8000, help="the port (default 8000; 0: any free port)"
    )
    p.add_argument(
        "--max-body",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="refuse a request body larger than this many megabytes with status 413 (default 8)",
    )
    p.set_defaults(run=_serve)


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host`` and ``port`` (``0``: any free port).

    Made as a TCP socket explicitly, so that asyncio turns Nagle's algorithm off on every
    connection it accepts (without it each answer on a kept-alive connection waits for the
    client's delayed acknowledgement, some 40 ms).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _serve(args: argparse.Namespace, err: IO[str]) -> int:
    try:
        api: Any = importlib.import_module("kaa.api")
        uvicorn: Any = importlib.import_module("uvicorn")
    except ImportError as exc:
        missing = getattr(exc, "name", None) or "litestar"
        print(
            f"kaa serve: error: the HTTP API needs the api extra ({missing} is not installed): "
            "pip install 'kaa[api]'",
            file=err,
        )
        return 2
    max_body: int = args.max_body if args.max_body is not None else api.DEFAULT_MAX_BODY
    app = api.make_app(Hooks.default(), max_body=max_body)
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:
        print(
            f"kaa serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=err,
        )
        return 2
    config = uvicorn.Config(
        app,
        log_level="info",
        access_log=True,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
    )
    masking = api.scrubbing_filter()
    for name in LOGGERS:  # after uvicorn.Config, which sets up the loggers
        logging.getLogger(name).addFilter(masking)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(
        f"kaa serve: kaa {__version__} answering on http://{shown}:{port} "
        f"(request bodies up to {max_body:,} bytes; nothing is stored); Ctrl-C stops",
        file=err,
        flush=True,
    )
    # uvicorn shuts down on Ctrl-C, then raises the signal again: a stop, not an error
    with sock, contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
    print("kaa serve: stopped", file=err, flush=True)
    return 0
