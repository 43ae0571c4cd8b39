"""The ``kaa`` command.

Each subcommand lives in its own module under :mod:`kaa.commands` and is listed in
:data:`COMMANDS`; the module's ``add_parser`` adds it and sets ``run``.

Exit status: 0 when everything was accepted, 1 when some input was rejected or a check
failed (the rest is still processed), 2 for a usage error or a file that cannot be read, 3
when an output file could not be written (nothing partial is left in its place).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

from kaa import __version__
from kaa.errors import KaaError, OutputError
from kaa.formats.cells import terminal_text

__all__ = ["COMMANDS", "EXIT_OUTPUT", "POLARS_THREADS", "main", "main_exit"]

EXIT_OUTPUT = 3
"""Exit status when an output file could not be written."""

POLARS_THREADS = "1"
"""The polars thread pool of the command (``POLARS_MAX_THREADS`` unless it is set): the
columnar engine is built for one thread, and a second one costs more CPU than it saves on
a machine of few cores (set the variable to use more)."""

COMMANDS: tuple[str, ...] = (
    "kaa.commands.assess",
    "kaa.commands.report",
    "kaa.commands.year",
    "kaa.commands.plans",
    "kaa.commands.retention",
    "kaa.commands.worklist",
    "kaa.commands.sources",
    "kaa.commands.scb",
    "kaa.commands.store",
    "kaa.commands.case",
    "kaa.commands.audit",
    "kaa.commands.extract",
    "kaa.commands.imports",
    "kaa.commands.sync",
    "kaa.commands.serve",
)
"""The modules that each add one subcommand."""


_KEYWORDS = {"imports": "import"}
"""Command modules named otherwise than their subcommand (``import`` is a Python keyword)."""


def _command_name(module: str) -> str:
    """The subcommand that the module in :data:`COMMANDS` adds."""
    name = module.rsplit(".", 1)[1]
    return _KEYWORDS.get(name, name)


def _modules(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command modules to load for ``argv``: only the named subcommand's when the first
    argument names one (a command starts without importing every other one, or polars), and
    every one otherwise (``kaa --help``, a mistyped command: the usage lists them all)."""
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    chosen = [m for m in COMMANDS if _command_name(m) == first]
    if first is None or not chosen or first != args[0]:
        return COMMANDS
    return tuple(chosen)


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of the ``kaa`` command, with the subcommands ``argv`` needs
    (:func:`_modules`)."""
    parser = argparse.ArgumentParser(
        prog="kaa",
        description="Kommunernas aktivitetsansvar (KAA): the target group, contacts and SCB.",
    )
    parser.add_argument("--version", action="version", version=f"kaa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _modules(argv):
        importlib.import_module(name).add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kaa`` command; returns the exit status."""
    # read by polars when it is first imported (the command imports it only when needed)
    os.environ.setdefault("POLARS_MAX_THREADS", POLARS_THREADS)
    args = _parser(argv).parse_args(argv)
    err: IO[str] = sys.stderr
    run: Callable[[argparse.Namespace, IO[str]], int] = args.run
    try:
        return run(args, err)
    except OutputError as exc:
        print(f"kaa: error: {terminal_text(str(exc))}", file=err)
        return EXIT_OUTPUT
    except KaaError as exc:
        print(f"kaa: error: {terminal_text(str(exc))}", file=err)
        return 2


def main_exit() -> None:
    """Entry point of the ``kaa`` console script."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main_exit()
