"""``kaa import``: record the work done back into the register, from the filled worklist.

::

    kaa import morgon-anna.xlsx --store sqlite:///kaa.db --municipality 1882
    kaa import morgon-anna.csv --store sqlite:///kaa.db --municipality 1882 --dry-run
    kaa import kontakter.csv --store sqlite:///kaa.db --municipality 1882 --profile ist
    kaa import kontakter.xlsx … --profile ist --mapping askersund-kontakter.toml
    kaa import kontakter.csv … --mapping vart-system-kontakter.toml     # a whole profile

``FILE`` is the worklist workbook ``kaa worklist --store … --xlsx`` wrote, with the columns
*Utfört datum*, *Utförd kanal*, *Kontakt med*, *Resultat* and *Sysselsättning* filled in (or
the same sheet as CSV). Every filled row becomes one contact on its case, recorded in the
store's history and audit log with ``--actor`` (else ``$KAA_ACTOR``, else the
operating-system user); rows left empty are skipped. With ``--profile ist|ber|hypernet`` the
file is instead a register system's contacts export, read through that system's contacts
profile, adapted by ``--mapping`` if given; ``--mapping`` alone names a whole profile of
one's own. Their rows are keyed by identity number: the youth's case is searched for in the
store (an audited search).

Every filled row is accounted for on standard error: each rejected row with its sheet, row
and column, then one summary line (recorded, already recorded, rejected). Importing the same
sheet again records nothing new. ``--dry-run`` checks and counts without recording.

Exit status: 0 when every filled row was recorded or already recorded; 1 when a row was
rejected (the others are still recorded); 2 for a usage error, or a file that is not a
worklist sheet (nothing is recorded then).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from kaa.commands.common import UsageError
from kaa.commands.store import add_store_arguments, open_from
from kaa.formats.cells import terminal_text
from kaa.formats.filled import ContactsProfile
from kaa.recording import BUILTIN_CONTACT_PROFILES, contacts_profile, import_file

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa import`` to the command line."""
    p = commands.add_parser(
        "import",
        help="record the filled worklist (or a contacts export) in the case store",
        description=(
            "Record every filled row of a worklist workbook (or CSV) as a contact in the case "
            "store; with --profile or --mapping, a register system's contacts export instead."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the filled worklist (.xlsx or .csv)")
    add_store_arguments(p)
    p.add_argument(
        "--profile",
        choices=BUILTIN_CONTACT_PROFILES,
        metavar="NAME",
        help=(
            "the file is this register system's contacts export: "
            f"{', '.join(BUILTIN_CONTACT_PROFILES)}"
        ),
    )
    p.add_argument(
        "--mapping",
        type=Path,
        metavar="TOML",
        help="a mapping file adapting --profile, or alone a whole contacts profile",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="check and count every row, record nothing",
    )
    p.set_defaults(run=_run)


def _profile(args: argparse.Namespace) -> ContactsProfile | None:
    if args.profile is not None:
        return contacts_profile(args.profile, args.mapping)
    if args.mapping is not None:
        return ContactsProfile.from_toml(args.mapping)
    return None


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    if not args.file.is_file():
        raise UsageError(f"kaa import: no file {terminal_text(str(args.file))}")
    profile = _profile(args)
    with open_from(args) as store:
        report = import_file(store, args.file, profile=profile, dry_run=args.dry_run)
    for problem in report.problems:
        print(terminal_text(str(problem)), file=err)
    print(terminal_text(str(report)), file=err)
    return 0 if report.ok else 1
