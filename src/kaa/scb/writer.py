"""Writing the submission file: delimited text laid out by a profile, written atomically.

This is the **upload file**: each youth is identified by their identity number (block 1),
so the file holds whole numbers, in the profile's ``identity_format``. It is the explicit
output writer of the SCB submission; nothing else in this package writes whole numbers.
Files are created readable by their owner only.

The checks run first (:func:`kaa.scb.checks.check_submission`), then the one write rule
(:func:`kaa.scb.rule.may_write`): if a row of an input was rejected, a check of severity error
fails, or no youth belongs to the municipality, :class:`~kaa.scb.rule.WriteRefused` is raised
and **nothing is written** — and because the file is written atomically
(:func:`kaa.formats.files.atomic_binary`), a run that fails half-way leaves no partial file and
any earlier file untouched. Warnings never block: what a profile cannot hold is written as
described in :func:`encode_rows`.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import operator
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

from kaa.errors import ConfigurationError
from kaa.formats.files import atomic_binary
from kaa.formats.problems import ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.scb.checks import CheckReport, check_submission
from kaa.scb.layout import BlockLayout, ScbLayout, default_profile
from kaa.scb.rule import WriteRefused, may_write
from kaa.scb.submission import ScbRecord, Submission

__all__ = ["dumps_submission", "encode_rows", "write_rows", "write_submission"]


_ENUMS: Final[dict[str, type[enum.Enum]]] = {
    "registration_reason": RegistrationReason,
    "activity": Activity,
    "measure_category": MeasureCategory,
    "end_reason": EndReason,
}

_Plan = list[tuple[Callable[[Any], Any] | None, Callable[[Any], str], int | None, int]]


def _encoders(profile: ScbLayout, period_last: dt.date) -> dict[str, Callable[[Any], str]]:
    """One encoder per field kind: library value → file text."""
    fmt = profile.date_format
    ident = profile.identity_format
    dates: dict[dt.date, str] = {}

    def date(day: dt.date) -> str:
        text = dates.get(day)
        if text is None:
            text = dates[day] = day.strftime(fmt)
        return text

    def identity(number: IdentityNumber) -> str:
        return number.full(ident, on=period_last)

    yes_no = profile.codes["yes_no"]
    encoders: dict[str, Callable[[Any], str]] = {
        "date": date,
        "identity": identity,
        "text": str,
        "yes_no": {True: yes_no["true"], False: yes_no["false"]}.__getitem__,
    }
    for name, cls in _ENUMS.items():
        codes = profile.codes[name]
        # an unmapped category is written as an empty cell (check KAA-W010 names each)
        encoders[name] = {member: codes.get(str(member.value), "") for member in cls}.__getitem__
    return encoders


def _plan(layout: BlockLayout, encoders: dict[str, Callable[[Any], str]]) -> _Plan:
    return [
        (
            None if col.field == "youth" else operator.attrgetter(col.field),
            encoders[col.kind],
            col.width,
            i,
        )
        for i, col in enumerate(layout.columns)
    ]


def _cells(
    layout: BlockLayout, plan: _Plan, entry: object, record: ScbRecord, profile: ScbLayout
) -> list[str]:
    cells = []
    for get, encode, width, i in plan:
        cell = encode(record.youth if get is None else get(entry))
        if width is not None and len(cell) > width:
            field = layout.columns[i].field
            raise ConfigurationError(
                f"{record.youth.masked()}: the value of {field} is {len(cell)} characters, "
                f"more than the column's width {width}",
                file=profile.source,
                key=f"blocks.{layout.block.value}.columns[{i}].width",
            )
        cells.append(cell)
    return cells


def encode_rows(submission: Submission, profile: ScbLayout) -> Iterator[list[str]]:
    """The data rows of the file (without the header), as lists of cells.

    Two things the profile cannot hold are written as the library's own choice, and the
    checks warn of each: a youth with more entries in a block than the wide layout has room
    for gets the first ones, in the record's order, and the rest are left out (``KAA-W009``);
    a category the profile has no code for is an empty cell (``KAA-W010``).

    Args:
        submission: The submission.
        profile: The layout.

    Raises:
        ConfigurationError: If a value is wider than its column.
    """
    encoders = _encoders(profile, submission.period.last_day)
    layouts = [(layout, _plan(layout, encoders)) for layout in profile.blocks]
    if profile.layout == "long":
        for record in submission.records:
            for layout, plan in layouts:
                for entry in record.rows(layout.block):
                    yield [layout.record_type, *_cells(layout, plan, entry, record, profile)]
        return
    for record in submission.records:
        row: list[str] = []
        for layout, plan in layouts:
            entries = record.rows(layout.block)[: layout.repeat]
            for entry in entries:
                row.extend(_cells(layout, plan, entry, record, profile))
            row.extend([""] * (len(layout.columns) * (layout.repeat - len(entries))))
        yield row


def write_rows(submission: Submission, profile: ScbLayout, stream: IO[str]) -> int:
    """Write the header (if the profile has one) and the rows to a text stream.

    No checks are run: use :func:`write_submission` for the upload file.

    Returns:
        The number of data rows written.
    """
    writer = csv.writer(
        stream,
        delimiter=profile.separator,
        lineterminator=profile.line_ending,
        quoting=csv.QUOTE_MINIMAL,
    )
    if profile.header:
        writer.writerow(profile.headers())
    count = 0
    for row in encode_rows(submission, profile):
        writer.writerow(row)
        count += 1
    return count


def dumps_submission(submission: Submission, profile: ScbLayout | None = None) -> str:
    """The file's text, without running the checks (for previews and tests)."""
    buffer = io.StringIO(newline="")
    write_rows(submission, profile if profile is not None else default_profile(), buffer)
    return buffer.getvalue()


def write_submission(
    submission: Submission,
    path: Path | str,
    *,
    profile: ScbLayout | None = None,
    report: CheckReport | None = None,
    read: Iterable[ReadSummary | None] = (),
) -> CheckReport:
    """Check the submission and write the upload file atomically, if the write rule allows.

    Args:
        submission: The submission.
        path: Where to write.
        profile: The layout; :func:`~kaa.scb.layout.default_profile` when ``None``.
        report: The checks already run (e.g. with the register's cases, see
            :func:`~kaa.scb.checks.check_submission`); run here, with the profile, when
            ``None``.
        read: The read summaries of the inputs the submission was built from, so that a
            rejected row refuses the file (see :func:`~kaa.scb.rule.may_write`).

    Returns:
        The check report (warnings only, since errors block writing).

    Raises:
        WriteRefused: If :func:`~kaa.scb.rule.may_write` refuses (a rejected row, a check of
            severity error, no youth of the municipality); nothing is written. It is a
            :class:`~kaa.scb.checks.ChecksFailed`.
        ConfigurationError: If the profile is not valid for the period, or cannot encode a
            value; nothing is written.
    """
    profile = profile if profile is not None else default_profile()
    profile.require(submission.period)
    if report is None:
        report = check_submission(submission, profile=profile)
    verdict = may_write(submission, report, read=read)
    if not verdict.allowed:
        raise WriteRefused(verdict, report)
    with atomic_binary(Path(path)) as raw:
        text = io.TextIOWrapper(raw, encoding=profile.encoding, newline="")
        try:
            write_rows(submission, profile, text)
            text.flush()
        except UnicodeEncodeError as exc:
            raise ConfigurationError(
                f"a value cannot be written in the encoding {profile.encoding}: {exc.reason}",
                file=profile.source,
                key="format.encoding",
            ) from None
        finally:
            text.detach()
    return report
