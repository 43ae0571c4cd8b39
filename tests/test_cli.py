"""The ``kaa`` command itself (:mod:`kaa.cli`): the version, the subcommands it is built from.

Each subcommand is tested in ``tests/commands/test_<command>.py``; the exit status 3 for an
output that cannot be written is in ``tests/formats/test_files.py``.
"""

from __future__ import annotations

import argparse
import importlib

import pytest

from kaa import __version__
from kaa.cli import COMMANDS, main


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
