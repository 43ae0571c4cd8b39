"""A throw-away PostgreSQL server for the tests of the PostgreSQL case store.

The contract suite runs against a **real** server, not a mock, and is not skipped in CI: the
test session starts one itself with Debian's ``postgresql`` package (``make test`` installs it
through the Makefile's ``postgres`` target, as it installs Chromium) and stops it at the end.

- ``initdb`` on a fresh temporary directory, owned by the ``postgres`` system user when the
  tests run as root (PostgreSQL refuses to run as root); ``--no-sync``, UTF-8, C locale; the
  directory is in ``/dev/shm`` when that has room, which makes a database per test cheap;
- ``pg_hba.conf`` written by us: trust on the Unix socket in that directory and on
  ``127.0.0.1`` only, nothing else;
- ``pg_ctl start`` on a free loopback port with ``listen_addresses=127.0.0.1`` and the socket
  in the temporary directory; durability switched off (``fsync``, ``synchronous_commit``,
  ``full_page_writes``), which is right for a server whose data is thrown away;
- ``pg_ctl stop -m immediate`` and the directory removed at the end — from the fixture's
  finaliser and, should that not run, from :mod:`atexit`; and should the test process be
  killed outright (``kill -9``, a CI timeout), a small watchdog process stops the server and
  removes the directory as soon as the test process is gone.

If the server cannot be started the tests that need it **fail** with the reason. On a machine
without apt where that is expected, ``KAA_PG_OPTIONAL=1`` turns the failure into a skip; it is
never set in CI. ``KAA_PG_BINDIR`` names the directory of ``initdb``/``pg_ctl`` when they are
neither on ``PATH`` nor in Debian's ``/usr/lib/postgresql/<version>/bin``.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

OPTIONAL_VARIABLE = "KAA_PG_OPTIONAL"
"""Set to ``1`` to skip (rather than fail) the PostgreSQL tests when no server can start."""

BINDIR_VARIABLE = "KAA_PG_BINDIR"
"""The directory holding ``initdb`` and ``pg_ctl``, when it is not found by itself."""

SUPERUSER = "kaa"
"""The database superuser ``initdb`` creates (trust authentication: no password)."""

HBA = """\
# Written by tests/pgserver.py: trust on this server's own socket and on loopback only.
local all all              trust
host  all all 127.0.0.1/32 trust
"""

START_TIMEOUT_SECONDS = 30

SHM_NEEDED_BYTES = 1 << 30
"""The room ``/dev/shm`` must have for the server to be put there (a cluster is ~40 MB; each
test's database, ~8 MB, is dropped after the test)."""


WATCHDOG = """
import os, shutil, signal, sys, time
parent, root = int(sys.argv[1]), sys.argv[2]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # the server was stopped normally
while True:
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        break
    time.sleep(0.5)
try:
    with open(os.path.join(root, "data", "postmaster.pid")) as pidfile:
        postmaster = int(pidfile.readline())
    os.kill(postmaster, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
    for _ in range(100):
        time.sleep(0.1)
        os.kill(postmaster, 0)
except (OSError, ValueError):
    pass
shutil.rmtree(root, ignore_errors=True)
"""
"""Run beside the server: when the test process is gone without stopping it, stop it."""


class ServerUnavailable(RuntimeError):
    """The throw-away server could not be found, set up or started (the message says why)."""


def optional() -> bool:
    """True when ``KAA_PG_OPTIONAL=1`` asks to skip the PostgreSQL tests without a server."""
    return os.environ.get(OPTIONAL_VARIABLE, "") == "1"


def find_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``: ``KAA_PG_BINDIR``, else ``PATH``, else the
    newest of Debian's ``/usr/lib/postgresql/<version>/bin``."""
    if explicit := os.environ.get(BINDIR_VARIABLE):
        candidates = [Path(explicit)]
    else:
        debian = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else -1,
            reverse=True,
        )
        on_path = shutil.which("initdb")
        candidates = [*debian, *([Path(on_path).resolve().parent] if on_path else [])]
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    raise ServerUnavailable(
        "no PostgreSQL server programs (initdb, pg_ctl) found"
        f" in {', '.join(map(str, candidates)) or 'PATH or /usr/lib/postgresql/*/bin'}:"
        " run `make postgres` (installs Debian's postgresql package),"
        f" set {BINDIR_VARIABLE}, or set {OPTIONAL_VARIABLE}=1 to skip these tests"
    )


def _fast_directory() -> str | None:
    """Where to put the server's files: ``/dev/shm`` (memory) when it has room — creating
    and dropping a database per test is ten times faster there than on a disk — else the
    system's temporary directory (``None``)."""
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= SHM_NEEDED_BYTES:
            return str(shm)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    """One throw-away PostgreSQL server in a temporary directory (see the module docstring).

    Use :meth:`start` and :meth:`stop` (or the instance as a context manager);
    :meth:`create_database` makes a fresh, empty database and returns its URL.
    """

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="kaa-pg-", dir=_fast_directory()))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self.port = 0
        self.running = False
        self._run_as = self._unprivileged_user()
        self._names = itertools.count(1)
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._admin: psycopg.Connection[Any] | None = None

    # --- running the server's programs -------------------------------------------------------

    @staticmethod
    def _unprivileged_user() -> pwd.struct_passwd | None:
        """The user to run the server as: None (ourselves) unless we are root, who may not."""
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
        raise ServerUnavailable("running as root and neither a 'postgres' nor a 'nobody' user")

    def _run(self, program: str, *arguments: str, timeout: float = 60) -> None:
        command = [str(self.bindir / program), *arguments]
        extra: dict[str, Any] = {}
        if self._run_as is not None:
            extra = {"user": self._run_as.pw_uid, "group": self._run_as.pw_gid, "extra_groups": []}
        done = subprocess.run(
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "LC_ALL": "C", "LANG": "C", "TZ": "UTC"},
            **extra,
        )
        if done.returncode != 0:
            raise ServerUnavailable(
                f"{program} failed (exit {done.returncode}): {done.stderr.strip()}"
                f"{self._log_tail()}"
            )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            tail = self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "\nserver log:\n" + "\n".join(tail) if tail else ""

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """Initialise the cluster and start the server; raises :class:`ServerUnavailable`."""
        atexit.register(self.stop)
        try:
            self.socket_dir.mkdir()
            if self._run_as is not None:
                for path in (self.root, self.socket_dir):
                    os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)
            self._run(
                "initdb",
                "--pgdata",
                str(self.data),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
                "--no-instructions",
            )
            (self.data / "pg_hba.conf").write_text(HBA, encoding="utf-8")
            self._start_on_a_free_port()
            with self.connect() as connection:
                connection.execute("SELECT 1")
        except BaseException:
            self.stop()
            raise
        return self

    def _start_on_a_free_port(self, attempts: int = 3) -> None:
        # Another process may take the free port between the probe and the start: try again.
        for attempt in range(1, attempts + 1):
            self.port = free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-k {self.socket_dir}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=50",
                ]
            )
            try:
                self._run(
                    "pg_ctl",
                    "start",
                    "--pgdata",
                    str(self.data),
                    "--log",
                    str(self.log),
                    "--wait",
                    "--timeout",
                    str(START_TIMEOUT_SECONDS),
                    "--options",
                    options,
                    timeout=START_TIMEOUT_SECONDS + 10,
                )
            except ServerUnavailable:
                if attempt == attempts or not re.search(r"in use", self._log_tail()):
                    raise
            else:
                self.running = True
                self._watchdog = subprocess.Popen(
                    [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.root)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # not killed with the test process's group
                )
                return

    def stop(self) -> None:
        """Stop the server at once (``-m immediate``) and remove its directory. Idempotent."""
        atexit.unregister(self.stop)
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.running:
            self.running = False
            with contextlib.suppress(ServerUnavailable, subprocess.TimeoutExpired):
                self._run("pg_ctl", "stop", "--pgdata", str(self.data), "-m", "immediate", "-w")
        shutil.rmtree(self.root, ignore_errors=True)
        if self._watchdog is not None:
            self._watchdog.terminate()
            self._watchdog.wait(timeout=10)
            self._watchdog = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- databases ---------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """The ``postgresql://`` URL of one database on this server (loopback TCP)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def connect(self) -> psycopg.Connection[Any]:
        """A new autocommit connection to the maintenance database ``postgres``."""
        return connect(self.url())

    def _maintenance(self) -> psycopg.Connection[Any]:
        """The server's own connection to ``postgres``, kept open to create and drop the
        tests' databases."""
        if self._admin is None or self._admin.closed:
            self._admin = self.connect()
        return self._admin

    def create_database(self, prefix: str = "kaa_test") -> str:
        """A fresh, empty database (``<prefix>_<n>``); returns its URL."""
        name = f"{prefix}_{next(self._names)}"
        self._maintenance().execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, ending any connection a test left open."""
        name = url.rsplit("/", 1)[1]
        self._maintenance().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(url: str) -> psycopg.Connection[Any]:
    """A psycopg connection (autocommit) to the database of ``url``.

    Raises:
        ServerUnavailable: If psycopg (the ``kaa[postgres]`` extra) is not installed.
    """
    try:
        import psycopg  # the kaa[postgres] extra: only the PostgreSQL tests need it
    except ImportError as exc:
        raise ServerUnavailable(
            f"psycopg is not installed ({exc}): pip install -e '.[postgres]'"
        ) from None
    return psycopg.connect(url, autocommit=True)


@contextlib.contextmanager
def database(server: PostgresServer) -> Iterator[str]:
    """A fresh database on ``server`` for the duration of the block; yields its URL."""
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)


def processes_of(server: PostgresServer) -> Sequence[str]:
    """The command lines of the running processes that belong to ``server`` (by its data
    directory) — for the test that nothing is left behind after :meth:`PostgresServer.stop`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            line = status.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if str(server.data) in line:
                found.append(line.strip())
    return found
