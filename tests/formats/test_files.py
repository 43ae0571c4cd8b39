"""Atomic output files: complete or absent, never partial; a failure names the path."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kaa.cli import EXIT_OUTPUT, main
from kaa.errors import OutputError
from kaa.formats.files import atomic_binary, atomic_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def test_a_file_appears_only_when_complete_with_owner_only_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with atomic_text(path) as out:
        out.write("a;b\n")
        assert not path.exists()
    assert path.read_text(encoding="utf-8") == "a;b\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failed_block_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")

    def killed_half_way() -> None:
        with atomic_text(path) as out:
            out.write("new, half written")
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        killed_half_way()
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(
            lambda d: d / "missing" / "out.csv", "does not exist", id="a missing directory"
        ),
        pytest.param(
            lambda d: (d / "dir").mkdir() or d / "dir",
            "is a directory",
            id="a directory in the way",
        ),
        pytest.param(
            lambda d: (d / "file").write_text("x") and d / "file" / "out.csv",
            "does not exist",
            id="a file where the directory should be",
        ),
    ],
)
def test_a_path_that_cannot_be_written_is_an_output_error(
    tmp_path: Path, make: object, reason: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]

    def write() -> None:
        with atomic_binary(path) as out:
            out.write(b"never")

    with pytest.raises(OutputError, match=reason) as caught:
        write()
    assert caught.value.file == str(path)
    assert not (tmp_path / "missing").exists()


def test_a_failed_rename_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)

    def write() -> None:
        with atomic_text(tmp_path / "x") as out:
            out.write("data")

    with pytest.raises(OutputError, match="No space left"):
        write()
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_prints_one_error_line_and_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-dir" / "decisions.csv"
    status = main(["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23", "-o", str(target)])
    out, err = capsys.readouterr()
    assert status == EXIT_OUTPUT == 3
    errors = [line for line in err.splitlines() if line.startswith("kaa: error:")]
    assert errors == [
        f"kaa: error: cannot write {target}: the directory {target.parent} does not exist; "
        "nothing was written there"
    ]
    assert "Traceback" not in err
    assert out == ""
