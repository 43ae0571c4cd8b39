"""Writing output files atomically: a failed run never leaves a partial file behind.

Files are created readable by their owner only (mode 0600): they may hold personal data.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

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
    """Like :func:`atomic_text`, for bytes."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
