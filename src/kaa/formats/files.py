"""Writing output files atomically: a failed run never leaves a partial file behind.

Files are created readable by their owner only (mode 0600): they may hold personal data. The
directory must exist (a mistyped ``-o`` path is an error, not a new folder tree); any failure
to write is an :class:`~kaa.errors.OutputError` naming the path, and the temporary file is
removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kaa.errors import OutputError

__all__ = ["atomic_binary", "atomic_text"]


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
