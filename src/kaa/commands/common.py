"""Pieces shared by the ``kaa`` subcommands.

**Cases from a file or a store.** Every command that reads cases (``worklist``, ``scb
build|check``, ``report``, ``plans``, ``retention``, ``year``) reads them either from a
cases file or from a case store (``--store URL``, :mod:`kaa.store`): exactly one of the
two. :func:`add_cases_arguments` adds the pair to a command's parser and
:func:`cases_from` opens whichever was given, so no command repeats it. On a store the
command's name is the purpose of every audit entry (``kaa worklist``): each case read is
logged by the store itself, and the command logs what the store cannot see — whole identity
numbers written (:meth:`CasesRead.log`, ``AuditAction.REVEAL_IDS``) and SCB files
(``AuditAction.SCB_FILE``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import attrs

from kaa.adapters import add_notice, open_source
from kaa.commands.store import open_from
from kaa.dated import iso_date
from kaa.errors import KaaError
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Case
from kaa.plugins.manager import Hooks
from kaa.store import AuditAction, CaseStore

__all__ = [
    "DEFAULT_SOURCE",
    "CasesRead",
    "Strict",
    "UsageError",
    "add_cases_arguments",
    "add_source_arguments",
    "cases_from",
    "cases_given",
    "day_argument",
    "load_cases",
]

DEFAULT_SOURCE = "canonical-cases"
"""The register source that reads a cases file unless ``--source`` names another."""


class Strict(Exception):
    """Raised from a problem callback to stop at the first problem (``--strict``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class UsageError(KaaError):
    """A command line whose options do not go together (``kaa`` exits with status 2)."""


def day_argument(text: str) -> dt.date:
    """An argparse type for a day written ``YYYY-MM-DD``."""
    day = iso_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day; write it as YYYY-MM-DD")
    return day


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--source NAME`` and ``--mapping FILE`` for commands that read cases."""
    parser.add_argument(
        "--source",
        default=DEFAULT_SOURCE,
        metavar="NAME",
        help=f"the register source that reads the file (default {DEFAULT_SOURCE}; "
        "`kaa sources` lists them)",
    )
    parser.add_argument(
        "--mapping", type=Path, metavar="TOML", help="a mapping file adapting the source's profile"
    )


def load_cases(
    path: Path,
    *,
    source: str = DEFAULT_SOURCE,
    mapping: Path | None = None,
    summary: ReadSummary,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Case]:
    """Stream the KAA cases in ``path`` as read by the register source ``source``.

    The default source, ``canonical-cases``, is the canonical cases file read by
    :func:`kaa.formats.cases.read_cases`.

    Records of youths that the export holds without KAA case data (not registered) are
    accepted by the source but yield no case; they are counted in ``summary.notices`` when
    the summary keeps notices (:class:`~kaa.adapters.SourceSummary`).
    """
    for record in open_source(
        source,
        path,
        summary=summary,
        reference_day=reference_day,
        on_problem=on_problem,
        mapping=mapping,
        hooks=Hooks.default(),
    ):
        if record.case is not None:
            yield record.case
        else:
            add_notice(
                summary,
                Problem(
                    file=record.origin.file,
                    line=record.origin.lines[0] if record.origin.lines else 0,
                    youth=record.youth.id.masked(),
                    message="no KAA case data for this youth (not registered): not used here",
                ),
            )


# -- cases from a file or a store -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _CasesOptions:
    """What :func:`add_cases_arguments` added, for :func:`cases_from` (kept in the parsed
    arguments as ``cases_options``)."""

    dest: str
    flag: str
    purpose: str
    source: bool
    store_only: tuple[str, ...]


def add_cases_arguments(
    parser: argparse.ArgumentParser,
    *,
    dest: str = "cases",
    option: str | None = None,
    metavar: str = "CASES",
    help: str = "cases (canonical .jsonl/.json)",
    required: bool = True,
    source: bool = False,
    municipality: bool = True,
) -> None:
    """Add the cases a command reads: a cases file, or ``--store URL``, never both.

    Adds the file (a positional argument, or the option ``option``) and ``--store URL`` as
    mutually exclusive, ``--actor NAME`` (who reads, for the store's audit log), and, unless
    the command has its own, ``--municipality KOMMUNKOD`` (the municipality the store is
    bound to). ``--actor``, and a ``--municipality`` added here, are refused without
    ``--store`` (:func:`cases_from`), so that no option is silently ignored.

    Args:
        parser: The command's parser; its ``prog`` (``kaa worklist``) is the purpose of the
            store's audit entries.
        dest: Where the file goes in the parsed arguments.
        option: The file as this option (``--cases``) instead of a positional argument.
        metavar: The file's name in the help.
        help: The file's help.
        required: Whether one of the two must be given (else the command runs without cases).
        source: Also add ``--source`` and ``--mapping`` (:func:`add_source_arguments`), which
            read the file and are refused with ``--store``.
        municipality: Add ``--municipality``; ``False`` when the command has it already
            (it then binds the store too).
    """
    group = parser.add_mutually_exclusive_group(required=required)
    if option is None:
        group.add_argument(dest, nargs="?", type=Path, metavar=metavar, help=help)
        flag = metavar
    else:
        group.add_argument(option, dest=dest, type=Path, metavar=metavar, help=help)
        flag = option
    group.add_argument(
        "--store",
        metavar="URL",
        help=f"read the cases from this case store instead of {flag} (sqlite:///kaa.db, a "
        "path, or postgresql://…); every read is written in its audit log",
    )
    if source:
        add_source_arguments(parser)
    store_only = ["actor"]
    if municipality:
        parser.add_argument(
            "--municipality",
            metavar="KOMMUNKOD",
            help="with --store: the municipality whose register to read (the store shows no "
            "other's cases)",
        )
        store_only.append("municipality")
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="with --store: who is reading, for the audit log (default $KAA_ACTOR, else the "
        "OS user)",
    )
    parser.set_defaults(
        cases_options=_CasesOptions(
            dest=dest, flag=flag, purpose=parser.prog, source=source, store_only=tuple(store_only)
        )
    )


@attrs.define(kw_only=True, eq=False)
class CasesRead:
    """The cases a command reads, from a cases file or from a store, and how they were read.

    Iterate it once, for the cases (streamed: a store writes the audit entry of each case
    before the case is yielded), or iterate :meth:`with_ids` for each case with its store
    case id.

    Attributes:
        summary: How the cases were read: the file's counts and problems, or, for a store,
            the cases read (every one accepted).
        file: The cases file, or ``None`` for a store.
        store: The store, or ``None`` for a file.
        purpose: The purpose of the audit entries (the command, ``kaa worklist``).
    """

    summary: ReadSummary
    file: Path | None
    store: CaseStore | None
    purpose: str
    _read: Iterator[tuple[str | None, Case]]
    _ids: dict[IdentityNumber, list[str]] = attrs.Factory(dict)

    def __iter__(self) -> Iterator[Case]:
        for _, case in self.with_ids():
            yield case

    def with_ids(self) -> Iterator[tuple[str | None, Case]]:
        """Each case with its case id in the store (``None`` for a file)."""
        for case_id, case in self._read:
            if case_id is not None:
                self._ids.setdefault(case.youth.id, []).append(case_id)
            yield case_id, case

    def case_ids(self, youths: Iterable[IdentityNumber]) -> list[str]:
        """The store's case ids of these youths, among the cases read so far, each once, in
        the order read (none for a file)."""
        wanted = set(youths)
        found = [case_id for youth, ids in self._ids.items() if youth in wanted for case_id in ids]
        return list(dict.fromkeys(found))

    def log(self, action: AuditAction, *, youths: Iterable[IdentityNumber], detail: str) -> int:
        """On a store, write one audit entry ``action`` for each case of these youths (see
        :meth:`case_ids`) with :attr:`purpose` and ``detail``: for what the store cannot see
        itself (whole identity numbers written, an SCB file). Nothing for a file.

        Returns:
            The number of entries written.
        """
        if self.store is None:
            return 0
        ids = self.case_ids(youths)
        if ids:
            self.store.log(action, purpose=self.purpose, case_ids=ids, detail=detail)
        return len(ids)


def _options(args: argparse.Namespace) -> _CasesOptions:
    options: _CasesOptions = args.cases_options
    return options


def cases_given(args: argparse.Namespace) -> bool:
    """Whether a cases file or ``--store`` was given (for a command whose cases are
    optional).

    Raises:
        UsageError: If neither was, but an option for a store was.
    """
    options = _options(args)
    if getattr(args, options.dest) is not None or args.store is not None:
        return True
    _refuse_store_options(args, options, f"or leave it out to run without {options.flag}")
    return False


def _refuse_store_options(args: argparse.Namespace, options: _CasesOptions, instead: str) -> None:
    for name in options.store_only:
        if getattr(args, name) is not None:
            raise UsageError(
                f"{options.purpose}: --{name} is for reading a store: give --store URL with "
                f"it, {instead}"
            )


def _store_name(url: str) -> str:
    """The store URL as it may be printed: without a password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


@contextlib.contextmanager
def cases_from(
    args: argparse.Namespace,
    *,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    open_on: dt.date | None = None,
) -> Iterator[CasesRead]:
    """Open the cases given to a command made with :func:`add_cases_arguments`.

    A cases file is streamed through ``--source`` (:func:`load_cases`). A store is opened
    with ``--store``, bound to ``--municipality``, for ``--actor``
    (:func:`kaa.commands.store.open_from`) and closed when the block ends; its cases are
    read with the command's name as purpose, one audit entry per case.

    Args:
        args: The parsed arguments.
        reference_day: The day 10-digit identity numbers in a file are read against.
        on_problem: Called with each problem of the file.
        open_on: On a store, read only the cases open on this day (a command that uses
            nothing else, such as the worklist, so that only those reads are logged); a file
            is read whole.

    Raises:
        UsageError: If ``--store`` is given without ``--municipality``, or with
            ``--source``/``--mapping``; or an option for a store without ``--store``.
    """
    options = _options(args)
    url: str | None = args.store
    if url is None:
        path: Path | None = getattr(args, options.dest)
        if path is None:
            raise UsageError(f"{options.purpose}: give {options.flag} or --store URL")
        _refuse_store_options(args, options, f"or leave it out to read {path}")
        summary = ReadSummary(file=str(path))
        cases = load_cases(
            path,
            source=args.source if options.source else DEFAULT_SOURCE,
            mapping=args.mapping if options.source else None,
            summary=summary,
            reference_day=reference_day,
            on_problem=on_problem,
        )
        yield CasesRead(
            summary=summary,
            file=path,
            store=None,
            purpose=options.purpose,
            read=((None, case) for case in cases),
        )
        return
    if options.source and (args.source != DEFAULT_SOURCE or args.mapping is not None):
        raise UsageError(
            f"{options.purpose}: --source and --mapping read a cases file; a store needs neither"
        )
    if args.municipality is None:
        raise UsageError(
            f"{options.purpose}: --store needs --municipality KOMMUNKOD (a store shows one "
            "municipality's register at a time)"
        )
    summary = ReadSummary(file=_store_name(url))
    with open_from(args) as store:

        def read() -> Iterator[tuple[str | None, Case]]:
            for stored in store.cases(purpose=options.purpose, open_on=open_on):
                summary.rows_read += 1
                summary.rows_accepted += 1
                summary.records += 1
                yield stored.case_id, stored.case

        yield CasesRead(
            summary=summary, file=None, store=store, purpose=options.purpose, read=read()
        )
