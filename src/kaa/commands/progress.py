"""A small, dependency-free progress bar for long command-line runs.

It draws on a stream (standard error by default) only when that stream is a terminal, and
is silent otherwise — so logs, pipes and tests never see it. It redraws at most a few times
a second, and clears its line when done::

    with Progress(total=65_000, label="cases") as bar:
        for case in cases:
            bar.advance()

:func:`track` wraps an iterable the same way. A bar never shows personal data: only a label
and counts.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO, TypeVar

__all__ = ["Progress", "track"]

T = TypeVar("T")

_WIDTH = 28


class Progress:
    """A progress bar on a terminal; silent when the stream is not one.

    Args:
        total: How many steps make 100 %, or ``None`` when not known (then only a count is
            shown).
        label: What is counted, e.g. ``"cases"``.
        stream: Where to draw (standard error when ``None``).
        enabled: Force drawing on or off; by default only when ``stream`` is a terminal.
        interval: Minimum seconds between redraws.
    """

    __slots__ = ("_last", "_stream", "count", "enabled", "interval", "label", "total")

    def __init__(
        self,
        total: int | None = None,
        *,
        label: str = "",
        stream: IO[str] | None = None,
        enabled: bool | None = None,
        interval: float = 0.2,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self._stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.total = total
        self.label = label
        self.interval = interval
        self.count = 0
        self._last = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def advance(self, steps: int = 1) -> None:
        """Count ``steps`` more, redrawing if enough time has passed."""
        self.count += steps
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw()

    def render(self) -> str:
        """The bar's text as it would be drawn now (without the carriage return).

        >>> bar = Progress(total=4, label="cases", enabled=False)
        >>> bar.advance(); bar.render()
        'cases [#######.....................]  25% 1/4'
        """
        prefix = f"{self.label} " if self.label else ""
        if not self.total:
            return f"{prefix}{self.count}"
        share = min(self.count / self.total, 1.0)
        filled = int(share * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        return f"{prefix}[{bar}] {share:4.0%} {self.count}/{self.total}"

    def _draw(self) -> None:
        self._stream.write("\r" + self.render())
        self._stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line (only if drawing is enabled)."""
        if self.enabled:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
            self.enabled = False


def track(
    items: Iterable[T],
    *,
    total: int | None = None,
    label: str = "",
    stream: IO[str] | None = None,
    enabled: bool | None = None,
) -> Iterator[T]:
    """Yield ``items``, advancing a :class:`Progress` bar for each.

    >>> list(track([1, 2, 3], enabled=False))
    [1, 2, 3]
    """
    with Progress(total, label=label, stream=stream, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.advance()
