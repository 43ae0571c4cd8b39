"""The ``kaa`` command itself (:mod:`kaa.cli`): the version, the subcommands it is built from.

Each subcommand is tested in ``tests/commands/test_<command>.py``; the exit status 3 for an
output that cannot be written is in ``tests/formats/test_files.py``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kaa import __version__
from kaa.cli import COMMANDS, POLARS_THREADS, _modules, main


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"kaa {__version__}\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        pytest.param(["frobnicate"], "invalid choice: 'frobnicate'", id="an unknown command"),
        pytest.param([], "the following arguments are required: COMMAND", id="no command"),
    ],
)
def test_a_command_that_does_not_exist_is_a_usage_error(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def _leaves(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers that run something: ``parser`` or, if it has subcommands, theirs."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        return [parser]
    return [leaf for action in subcommands for p in action.choices.values() for leaf in _leaves(p)]


_KEYWORDS = {"imports": "import"}
"""Modules named for a command that is a Python keyword."""


def _command(module: str) -> str:
    name = module.rsplit(".", 1)[1]
    return _KEYWORDS.get(name, name)


@pytest.mark.parametrize("module", COMMANDS)
def test_every_command_module_adds_one_subcommand_named_after_it(module: str) -> None:
    parser = argparse.ArgumentParser(prog="kaa")
    commands = parser.add_subparsers(dest="command")
    importlib.import_module(module).add_parser(commands)
    name = _command(module)
    assert list(commands.choices) == [name]
    assert all(callable(leaf.get_default("run")) for leaf in _leaves(commands.choices[name]))


def test_the_command_line_offers_every_command_module(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    usage = capsys.readouterr().out
    for module in COMMANDS:
        assert _command(module) in usage


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        pytest.param(["case", "show", "--help"], ("kaa.commands.case",), id="a command"),
        pytest.param(["import", "--help"], ("kaa.commands.imports",), id="a keyword command"),
        pytest.param(["--help"], COMMANDS, id="the usage lists every command"),
        pytest.param([], COMMANDS, id="no command"),
        pytest.param(["frobnicate"], COMMANDS, id="an unknown command"),
        pytest.param(["--version", "assess"], COMMANDS, id="an option first"),
    ],
)
def test_a_command_loads_only_its_own_module(argv: list[str], loaded: tuple[str, ...]) -> None:
    assert _modules(argv) == loaded


def test_a_command_other_than_assess_starts_without_polars(tmp_path: Path) -> None:
    # the columnar engine (and polars, about 0.25 s to import) is loaded by kaa assess only
    code = (
        "import sys\n"
        "from kaa.cli import main\n"
        "status = main(['plans', sys.argv[1], '--on', '2026-12-01'])\n"
        "print(status, 'polars' in sys.modules, 'kaa.commands.assess' in sys.modules)\n"
    )
    cases = Path(__file__).parent.parent / "examples" / "data" / "cases.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", code, str(cases)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-3:] == ["0", "False", "False"], done.stderr[-2000:]


_THREADS = """
import sys
from kaa.cli import main
status = main(["assess", sys.argv[1], "--on", "2026-11-23", "--engine", "columnar",
               "-o", sys.argv[2], "--quiet"])
import polars
print(status, polars.thread_pool_size())
"""


@pytest.mark.parametrize(("setting", "threads"), [(None, 1), ("2", 2)])
def test_the_command_runs_polars_on_one_thread_unless_told_otherwise(
    setting: str | None, threads: int, tmp_path: Path
) -> None:
    pytest.importorskip("polars")
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}
    if setting is not None:
        env["POLARS_MAX_THREADS"] = setting
    examples = Path(__file__).resolve().parents[1] / "examples" / "data"
    out = subprocess.run(
        [sys.executable, "-c", _THREADS, str(examples / "youths.csv"), str(tmp_path / "d.csv")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["0", str(threads)]
    assert POLARS_THREADS == "1"
