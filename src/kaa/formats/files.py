"""Writing output files atomically: a failed run never leaves a partial file behind.

Files are created readable by their owner only (mode 0600): they may hold personal data. The
directory must exist (a mistyped ``-o`` path is an error, not a new folder tree); any failure
to write is an :class:`~kaa.errors.OutputError` naming the path, and the temporary file is
removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kaa.errors import OutputError

__all__ = ["MANIFEST", "OutputSet", "atomic_binary", "atomic_text", "output_set"]


@contextlib.contextmanager
def atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[IO[str]]:
    """Open ``path`` for writing text so that it appears only when the block succeeds.

    The text goes to a temporary file in the same directory, which replaces ``path`` (an
    atomic rename) when the ``with`` block ends without an exception; otherwise the
    temporary file is removed and ``path`` is left as it was.
    """
    with (
        atomic_binary(path) as raw,
        open(raw.fileno(), "w", encoding=encoding, newline=newline, closefd=False) as text,
    ):
        yield text
        text.flush()


@contextlib.contextmanager
def atomic_binary(path: Path) -> Iterator[IO[bytes]]:
    """Like :func:`atomic_text`, for bytes.

    Raises:
        OutputError: If the directory does not exist, ``path`` is a directory, or the file
            cannot be written or moved into place.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(str(path), f"the directory {directory} does not exist")
    if path.is_dir():
        raise OutputError(str(path), "it is a directory")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(str(path), exc.strerror or str(exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise OutputError(str(path), exc.strerror or str(exc)) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


MANIFEST = ".kaa-outputs.json"
"""The file in an output directory that names the files of the last complete set."""
_STAGING = ".kaa-staging-"


class OutputSet:
    """A set of output files that appears all together or not at all (see
    :func:`output_set`)."""

    def __init__(self, directory: Path, staging: Path) -> None:
        self.directory = directory
        self._staging = staging
        self._names: list[str] = []

    @contextlib.contextmanager
    def text(self, name: str) -> Iterator[IO[str]]:
        """Open the output ``name`` (a file name in the directory) for writing text."""
        with self.path(name) as staged, atomic_text(staged) as out:
            yield out

    @contextlib.contextmanager
    def path(self, name: str) -> Iterator[Path]:
        """The path to write the output ``name`` to, for a writer that takes a path; the file
        joins the set when the block ends without an exception."""
        if Path(name).name != name or name.startswith(".") or name in self._names:
            raise OutputError(str(self.directory / name), "not a new file name in the directory")
        staged = self._staging / name
        yield staged
        if not staged.is_file():
            raise OutputError(str(self.directory / name), "the writer wrote nothing")
        self._names.append(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The files written so far, in order."""
        return tuple(self._names)

    def _commit(self) -> None:
        previous = _manifest(self.directory)
        try:
            for name in self._names:
                os.replace(self._staging / name, self.directory / name)
            for name in previous:
                if name not in self._names:
                    with contextlib.suppress(FileNotFoundError):
                        (self.directory / name).unlink()
            with atomic_text(self.directory / MANIFEST) as out:
                json.dump({"files": self._names}, out, indent=2)
                out.write("\n")
        except OSError as exc:
            raise OutputError(str(self.directory), exc.strerror or str(exc)) from None
        _fsync_directory(self.directory)


@contextlib.contextmanager
def output_set(directory: Path) -> Iterator[OutputSet]:
    """Write several output files as one set: all of them replace the previous set when the
    ``with`` block succeeds, and none of them when it fails.

    Each file is written into a private staging folder inside ``directory`` (mode 0700);
    when the block ends without an exception every file is renamed into place, the files of
    the previous set that this one does not have are removed (so a stale upload file never
    sits beside a new run that refused to write one), and the manifest
    :data:`MANIFEST` names the new set. When the block fails — or the process is stopped by
    a signal that raises, as ``kaa year`` arranges — the staging folder is removed and the
    previous set is left exactly as it was. A staging folder left by a process that was
    killed outright (``SIGKILL``) is removed by the next run.

    Args:
        directory: The output directory; it must exist.

    Raises:
        OutputError: If the directory does not exist or cannot be written.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise OutputError(str(directory), "the directory does not exist")
    _remove_stale_staging(directory)
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", suffix=".tmp", dir=directory)
        )
    except OSError as exc:
        raise OutputError(str(directory), exc.strerror or str(exc)) from None
    outputs = OutputSet(directory, staging)
    try:
        yield outputs
        outputs._commit()
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _manifest(directory: Path) -> list[str]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return []
    return [f for f in files if isinstance(f, str) and Path(f).name == f and f != MANIFEST]


def _remove_stale_staging(directory: Path) -> None:
    for folder in directory.glob(f"{_STAGING}*.tmp"):
        pid = folder.name[len(_STAGING) :].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
