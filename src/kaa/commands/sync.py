"""``kaa sync``: bring the case store up to date with a register export.

::

    kaa sync export.csv --source ist --municipality 1882 --store sqlite:///kaa.db
    kaa sync export.csv --source ist --municipality 1882 --store sqlite:///kaa.db --dry-run
    kaa sync --source ss12000 --url https://skola.example.se/ss12000/v2.0 \
        --municipality 1882 --store sqlite:///kaa.db

Youths in the target group without an open case are registered, the register's facts are
merged into the open cases, cases whose youth has left the target group are ended with the
reason the facts give or listed for the case worker to decide (:mod:`kaa.sync`, the guide is
``docs/sync.md``). Every action is printed on standard error as it is done, one line each
with masked identity numbers, and the counts at the end; ``--dry-run`` prints what would be
done and writes nothing. Running the same sync again changes nothing.

With ``--url`` in place of the export, the register is fetched from the school platform's
SS12000 API first (:func:`kaa.adapters.ss12000_client.fetch_register`): every page, with the
bearer token of the environment variable ``--token-env`` (``KAA_SS12000_TOKEN``), retried
on 429 and 5xx within ``--time-limit``; the sync starts only once the whole register is
fetched, so a fetch that fails changes nothing in the store. The pages fetched are counted on
a progress bar (on a terminal) and each retry is printed.

Exit status: 0, or 1 when rows of the export were rejected (the rest is still synced), as
the other commands; 2 when the register could not be fetched (nothing was synced).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from pathlib import Path
from typing import IO

from kaa.adapters import SourceSummary, open_source
from kaa.adapters.ss12000_client import (
    DEFAULT_TIME_LIMIT,
    DEFAULT_TOKEN_ENV,
    FetchedRegister,
    FetchEvent,
    PageFetched,
    display_url,
    fetch_register,
)
from kaa.commands.common import Strict, UsageError, day_argument
from kaa.commands.progress import Progress
from kaa.commands.store import add_store_arguments, open_from
from kaa.formats.cells import terminal_text
from kaa.formats.problems import Problem
from kaa.municipalities import Municipality
from kaa.municipalities import municipality as lookup_municipality
from kaa.plugins.manager import Hooks
from kaa.store import CaseStore
from kaa.sync import ActionKind, SyncAction, sync

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa sync`` to the command line."""
    p = commands.add_parser(
        "sync",
        help="register the target group from a register export, merge facts, end cases",
        description=(
            "Read a register export and bring the case store up to date: register the youths "
            "in the target group who have no open case, merge the register's facts into the "
            "open cases (dated history kept), and end the cases whose youth has left the "
            "target group with the reason the facts give — or list them for the case worker "
            "to decide. Prints every action and the counts on standard error."
        ),
    )
    p.add_argument("register", type=Path, nargs="?", metavar="REGISTER", help="the register export")
    p.add_argument(
        "--source",
        default=None,
        metavar="NAME",
        help="the register source that reads REGISTER (default ist; `kaa sources` lists them; "
        "ss12000 with --url)",
    )
    fetch = p.add_argument_group("fetching from an SS12000 API (in place of REGISTER)")
    fetch.add_argument(
        "--url",
        dest="register_url",
        metavar="URL",
        help="the school platform's SS12000 API (https://…/v2.0): every page of /persons and "
        "/programmes is fetched, then synced",
    )
    fetch.add_argument(
        "--token-env",
        default=DEFAULT_TOKEN_ENV,
        metavar="NAME",
        help=f"the environment variable holding the bearer token (default {DEFAULT_TOKEN_ENV})",
    )
    fetch.add_argument("--page-size", type=_positive, metavar="N", help="persons per page (limit)")
    fetch.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"the longest the whole fetch may take, retries included (default "
        f"{DEFAULT_TIME_LIMIT:.0f})",
    )
    fetch.add_argument(
        "--no-programmes",
        action="store_true",
        help="do not fetch /programmes (introduction programmes then known by code only)",
    )
    p.add_argument(
        "--mapping", type=Path, metavar="TOML", help="a mapping file adapting the source's profile"
    )
    add_store_arguments(p)
    p.add_argument(
        "--on",
        type=day_argument,
        default=None,
        metavar="DAY",
        help="the day the export describes (default today): registrations are dated this day",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would be done and write nothing (the reads are still audit-logged)",
    )
    p.add_argument("--strict", action="store_true", help="stop at the first problem in the export")
    p.add_argument("--quiet", action="store_true", help="print only the counts, not each action")
    p.set_defaults(run=_run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _source(args: argparse.Namespace) -> str:
    """The source's name, checked against REGISTER and ``--url`` (exactly one of them)."""
    if (args.register is None) == (args.register_url is None):
        raise UsageError("give either the register export REGISTER or --url, not both or none")
    if args.register_url is None:
        return str(args.source or "ist")
    if args.source not in (None, "ss12000"):
        raise UsageError("--url fetches from an SS12000 API: its source is ss12000")
    if args.mapping is not None:
        raise UsageError("--url fetches SS12000, which takes no mapping file")
    return "ss12000"


def _fetch(args: argparse.Namespace, err: IO[str]) -> FetchedRegister:
    """Fetch the whole register from ``--url``, with a progress bar and the retries."""
    with Progress(label="persons fetched", stream=err) as bar:

        def progress(event: FetchEvent) -> None:
            if isinstance(event, PageFetched):
                if event.resource == "persons":
                    bar.advance(event.items)
            else:
                print(f"fetching: {terminal_text(str(event))}", file=err)

        fetched = fetch_register(
            args.register_url,
            token_env=args.token_env,
            programmes=not args.no_programmes,
            page_size=args.page_size,
            time_limit=args.time_limit,
            progress=progress,
        )
    programmes = "" if fetched.programmes is None else f" and {fetched.programmes} programmes"
    print(
        f"fetched {fetched.persons} persons in {fetched.pages.get('persons', 0)} pages"
        f"{programmes} from {fetched.url} ({fetched.seconds:.1f} s)",
        file=err,
    )
    return fetched


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    day: dt.date = args.on or dt.date.today()
    source = _source(args)
    if args.register_url is not None:
        display_url(args.register_url)  # a bad address is refused before the store is opened
    kommun = lookup_municipality(args.municipality)
    hooks = Hooks.default()
    with open_from(args) as store, contextlib.ExitStack() as stack:
        register: Path = args.register
        shown = str(register)
        if args.register_url is not None:
            fetched = stack.enter_context(_fetch(args, err))
            register, shown = fetched.path, fetched.url
        return _sync(args, err, store, source, register, shown, day, kommun, hooks)


def _sync(
    args: argparse.Namespace,
    err: IO[str],
    store: CaseStore,
    source: str,
    register: Path,
    shown: str,
    day: dt.date,
    kommun: Municipality,
    hooks: Hooks,
) -> int:
    read = SourceSummary(file=shown)
    here = str(register)

    def on_problem(problem: Problem) -> None:
        if args.strict:
            raise Strict(problem)

    def on_action(action: SyncAction) -> None:
        if not args.quiet or action.kind is ActionKind.REJECTED:
            print(terminal_text(str(action).replace(here, shown)), file=err)

    records = open_source(
        source,
        register,
        summary=read,
        reference_day=day,
        on_problem=on_problem,
        mapping=args.mapping,
        hooks=hooks,
    )
    if args.dry_run:
        print("dry run: nothing is written to the store", file=err)
    try:
        with Progress(label="youths", stream=err) as bar:
            summary = sync(
                store,
                records,
                on=day,
                hooks=hooks,
                read=read,
                dry_run=args.dry_run,
                on_action=on_action,
                keep_actions=False,
                progress=bar.advance,
            )
    except Strict as stop:
        print(
            f"{str(stop.problem).replace(here, shown)}\nstopped at the first problem "
            "(--strict); the chunks synced before it are kept",
            file=err,
        )
        return 1
    print(f"kaa sync — {kommun}, {day.isoformat()}", file=err)
    print(f"  register: {read}", file=err)
    for notice in read.notices:
        print(f"  notice: {terminal_text(str(notice).replace(here, shown))}", file=err)
    print(
        f"  {summary.youths} youths read, {summary.in_target_group} in the target group; "
        f"{summary.open_cases} open cases before the sync",
        file=err,
    )
    print("  actions that would be done:" if args.dry_run else "  actions:", file=err)
    for kind in ActionKind:
        print(f"  {summary.count(kind):>7} {kind.value.replace('_', ' ')}", file=err)
    if args.dry_run:
        print("dry run: nothing was written", file=err)
    return 0 if read.rows_rejected == 0 and summary.ok else 1
