"""The one rule for writing the upload file: :func:`may_write`.

A new upload **replaces** everything sent before for the half-year, so a file that is
missing youths, or that is wrong, is worse than no file at all. The upload file may
be written only when all of these hold:

1. **no row was rejected** when the cases (or the register) were read — a rejected row is a
   youth, or part of one, who would silently drop out of the complete population;
2. **no blocking check failed** — no finding of severity error (``KAA-E…``, see
   :mod:`kaa.scb.checks`); warnings do not block, and every check that rests on the
   library's own conventions or models is a warning;
3. **at least one youth belongs to the municipality** — an empty file would replace the
   previous upload with nothing (a wrong ``--municipality``, or an export of another
   municipality's register).

``kaa scb build``, ``kaa year`` and :func:`kaa.scb.writer.write_submission` all ask this
rule, and all of them refuse for the same reasons. The answer is a value that names every
reason at once, so a case worker can fix them all in one go:

    >>> from kaa.period import HalfYear
    >>> from kaa.formats.problems import ReadSummary
    >>> from kaa.scb.checks import check_submission
    >>> from kaa.scb.submission import Submission
    >>> empty = Submission(period=HalfYear(2026, 2), municipality="1882", records=())
    >>> read = ReadSummary(file="cases.jsonl", rows_read=3, rows_accepted=2, rows_rejected=1)
    >>> verdict = may_write(empty, check_submission(empty), read=[read])
    >>> verdict.allowed
    False
    >>> [refusal.reason.value for refusal in verdict.refusals]
    ['rejected_rows', 'no_youths']
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable

import attrs

from kaa.errors import KaaError
from kaa.formats.problems import ReadSummary
from kaa.scb.checks import CheckReport, ChecksFailed
from kaa.scb.submission import Submission

__all__ = ["Refusal", "RefusalReason", "WriteRefused", "WriteVerdict", "may_write"]


class RefusalReason(enum.Enum):
    """Why the upload file may not be written."""

    REJECTED_ROWS = "rejected_rows"
    """A row of an input was rejected on reading: the file would miss youths."""
    FAILED_CHECKS = "failed_checks"
    """A check of severity error failed: the file would contradict itself, the statute or the
    register (the library's checks; which of SCB's own checks reject a file is not known)."""
    NO_YOUTHS = "no_youths"
    """No youth belongs to the municipality: the file would replace the previous upload with
    nothing."""


@attrs.frozen(kw_only=True)
class Refusal:
    """One reason the file may not be written.

    Attributes:
        reason: Which of the rule's conditions fails.
        message: What is wrong and what to do, in words a case worker can act on (never a
            whole identity number).
    """

    reason: RefusalReason
    message: str

    def __str__(self) -> str:
        return self.message


@attrs.frozen(kw_only=True)
class WriteVerdict:
    """The answer of :func:`may_write`: allowed, or every reason why not.

    Attributes:
        refusals: Every reason the file may not be written, in the rule's order (rejected
            rows, one per input; failed checks; no youths); empty when it may.
    """

    refusals: tuple[Refusal, ...] = ()

    @property
    def allowed(self) -> bool:
        """Whether the file may be written."""
        return not self.refusals

    def __bool__(self) -> bool:
        return self.allowed

    def __str__(self) -> str:
        if self.allowed:
            return "the upload file may be written"
        return "the upload file may not be written: " + "; ".join(map(str, self.refusals))


class WriteRefused(ChecksFailed):
    """Writing the upload file was refused by :func:`may_write`; nothing was written.

    A :class:`~kaa.scb.checks.ChecksFailed`, so code written when failed checks were the only
    reason to refuse still catches it.

    Attributes:
        verdict: Every reason the file was not written.
        report: The check report (its errors are empty when the checks were not the reason).
    """

    def __init__(self, verdict: WriteVerdict, report: CheckReport) -> None:
        self.verdict = verdict
        self.report = report
        KaaError.__init__(self, f"{verdict}; nothing was written")


def may_write(
    submission: Submission,
    report: CheckReport,
    *,
    read: Iterable[ReadSummary | None] = (),
) -> WriteVerdict:
    """Whether the upload file for ``submission`` may be written, and if not, every reason.

    Args:
        submission: The submission to write.
        report: Its check report (:func:`kaa.scb.checks.check_submission`).
        read: The read summaries of every input the submission was built from (the cases
            file, the register export); ``None`` entries are skipped. The Python API cannot
            see rows rejected before the submission was built unless they are passed here.

    Returns:
        The verdict: :attr:`WriteVerdict.allowed`, or the refusals.
    """
    refusals: list[Refusal] = []
    for summary in read:
        if summary is not None and summary.rows_rejected:
            refusals.append(
                Refusal(
                    reason=RefusalReason.REJECTED_ROWS,
                    message=f"{summary.rows_rejected} row(s) of {summary.file} could not be "
                    "read; a submission replaces the previous one and must hold every youth, "
                    "so fix them first",
                )
            )
    errors = report.errors
    if errors:
        counts = ", ".join(
            f"{check} ×{n}" for check, n in Counter(f.check for f in errors).most_common()
        )
        refusals.append(
            Refusal(
                reason=RefusalReason.FAILED_CHECKS,
                message=f"{len(errors)} check(s) failed with an error ({counts})",
            )
        )
    municipality = submission.municipality
    if not any(r.mandatory.municipality == municipality for r in submission.records):
        refusals.append(
            Refusal(
                reason=RefusalReason.NO_YOUTHS,
                message=f"no youth of municipality {municipality} is reported for "
                f"{submission.period}; an empty file would replace the previous upload with "
                "nothing, so check the municipality and the input",
            )
        )
    return WriteVerdict(refusals=tuple(refusals))
