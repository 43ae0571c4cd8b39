"""Pieces shared by the ``kaa`` subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from kaa.adapters import add_notice, open_source
from kaa.dated import iso_date
from kaa.formats.problems import Problem, ReadSummary
from kaa.model.case import Case
from kaa.plugins.manager import Hooks

__all__ = ["Strict", "add_source_arguments", "day_argument", "load_cases"]


class Strict(Exception):
    """Raised from a problem callback to stop at the first problem (``--strict``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


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
        default="canonical-cases",
        metavar="NAME",
        help="the register source that reads the file (default canonical-cases; "
        "`kaa sources` lists them)",
    )
    parser.add_argument(
        "--mapping", type=Path, metavar="TOML", help="a mapping file adapting the source's profile"
    )


def load_cases(
    path: Path,
    *,
    source: str = "canonical-cases",
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
