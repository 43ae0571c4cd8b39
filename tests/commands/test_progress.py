"""The progress bar draws only on a terminal."""

from __future__ import annotations

import io

import pytest

from kaa.commands.progress import Progress, track


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(10, label="cases", stream=stream) as bar:
        for _ in range(10):
            bar.advance()
    assert stream.getvalue() == ""
    assert bar.count == 10


def test_a_terminal_gets_a_bar_and_a_final_newline() -> None:
    stream = Terminal()
    with Progress(4, label="cases", stream=stream, interval=0) as bar:
        for _ in range(4):
            bar.advance()
    text = stream.getvalue()
    assert text.startswith("\rcases [")
    assert text.endswith("100% 4/4\n")


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        pytest.param(None, 7, "n 7", id="an unknown total shows only the count"),
        pytest.param(2, 0, "n [............................]   0% 0/2", id="an empty bar"),
        pytest.param(2, 3, "n [############################] 100% 3/2", id="overrun stops at full"),
    ],
)
def test_render(total: int | None, count: int, expected: str) -> None:
    bar = Progress(total, label="n", enabled=False)
    bar.advance(count)
    assert bar.render() == expected


def test_track_yields_every_item_and_counts_them() -> None:
    stream = Terminal()
    assert list(track(range(3), total=3, stream=stream)) == [0, 1, 2]
    assert stream.getvalue().endswith("3/3\n")
