"""Atomic output files: complete or absent, never partial; a failure names the path."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kaa.cli import EXIT_OUTPUT, main
from kaa.errors import OutputError
from kaa.formats.files import MANIFEST, atomic_binary, atomic_text, output_set

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


# -- a set of outputs: all of it or none of it ------------------------------------------------


def _write_set(directory: Path, files: dict[str, str], *, fail_after: int | None = None) -> None:
    with output_set(directory) as outputs:
        for i, (name, text) in enumerate(files.items()):
            if fail_after is not None and i == fail_after:
                raise RuntimeError("the run failed half-way")
            with outputs.text(name) as out:
                out.write(text)


def _contents(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.iterdir())}


def test_a_set_appears_whole_with_its_manifest(tmp_path: Path) -> None:
    _write_set(tmp_path, {"a.csv": "a\n", "b.txt": "b\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "a.csv", "b.txt"]
    assert json.loads((tmp_path / MANIFEST).read_text())["files"] == ["a.csv", "b.txt"]


def test_a_failed_set_leaves_the_previous_set_and_no_staging_folder(tmp_path: Path) -> None:
    _write_set(tmp_path, {"a.csv": "old a\n", "b.txt": "old b\n"})
    before = _contents(tmp_path)
    with pytest.raises(RuntimeError):
        _write_set(tmp_path, {"a.csv": "new a\n", "b.txt": "new b\n"}, fail_after=1)
    assert _contents(tmp_path) == before


def test_a_file_of_the_previous_set_that_the_new_one_lacks_is_removed(tmp_path: Path) -> None:
    _write_set(tmp_path, {"checks.txt": "1\n", "upload.txt": "whole numbers\n"})
    _write_set(tmp_path, {"checks.txt": "2\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "checks.txt"]


def test_files_that_are_not_outputs_are_never_touched(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    _write_set(tmp_path, {"a.csv": "a\n"})
    _write_set(tmp_path, {"b.csv": "b\n"})
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert not (tmp_path / "a.csv").exists()


def test_a_staging_folder_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = tmp_path / f".kaa-staging-{dead}-x.tmp"
    stale.mkdir()
    (stale / "a.csv").write_text("half")
    _write_set(tmp_path, {"a.csv": "a\n"})
    assert not stale.exists()


@pytest.mark.parametrize("name", ["../escape.csv", "sub/x.csv", ".hidden", MANIFEST], ids=str)
def test_an_output_name_must_be_a_plain_new_file_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError):
        _write_set(tmp_path, {name: "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


KILLED_YEAR = """
import os, signal, sys
import kaa.year
from kaa.cli import main

def stop_half_way(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)

kaa.year._reports = stop_half_way
sys.exit(main(sys.argv[1:]))
"""


def test_kaa_year_stopped_by_sigterm_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "year",
        str(EXAMPLES / "askersund-ist.csv"),
        "--source",
        "ist",
        "--cases",
        str(EXAMPLES / "cases.jsonl"),
        "--municipality",
        "1882",
        "--on",
        "2026-12-31",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    args[args.index("2026-12-31")] = "2026-12-30"
    done = subprocess.run(
        [sys.executable, "-c", KILLED_YEAR, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "left as they were" in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
