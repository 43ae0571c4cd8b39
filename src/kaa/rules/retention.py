"""Deletion (*gallring*) of register data: when a youth's case is due to be deleted.

**The national rule is not known to this library** (DOMAIN §3): förordning (2006:39) says what
the register may hold, and a municipality decides in its document-management plan
(*dokumenthanteringsplan*) how long it keeps it. So retention is a dated, configurable rule:

- the **library default** (:data:`DEFAULT_RETENTION`): a case is due for deletion three years
  after the day KAA ended. It is *not* an official rule; it was chosen to keep the data through
  the half-year reports to SCB and the yearly follow-up of the following years. A case whose
  KAA has not ended is never due;
- a municipality's own rule, from its plan: a TOML file read by :func:`load_retention` (the
  ``--rule`` option of ``kaa retention``) or a plugin answering
  :func:`kaa.plugins.spec.kaa_retention_rule` (first result wins; the default answers last).

The rule version in force **on the day deletion is considered** applies. Listing the cases due
never deletes anything: ``kaa retention CASES --on DAY`` prints them with the rule and a
confirmation token, and only ``--delete --confirm TOKEN`` writes a new cases file without them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from kaa.convert import DataFileError, Dated, check, load_toml
from kaa.dated import Timeline, Version, add
from kaa.law import Citation, DocumentReference
from kaa.model.case import Case
from kaa.plugins import hookimpl

__all__ = [
    "DEFAULT_RETENTION",
    "DueForDeletion",
    "RetentionRule",
    "confirmation_token",
    "due_for_deletion",
    "kaa_retention_rule",
    "load_retention",
]

LIBRARY_DEFAULT = DocumentReference(
    title="kaa library default for gallring (not an official rule; the national rule is not known)",
    issuer="kaa",
)
"""The reference of the library's default rule."""


_NOT_NEGATIVE = check(lambda n: n >= 0, "a whole number, 0 or more")


@attrs.frozen(kw_only=True)
class RetentionRule:
    """How long a case is kept after KAA ended.

    Attributes:
        years_after_end: Whole years from the end of KAA.
        months_after_end: Further months.
    """

    years_after_end: int = attrs.field(validator=_NOT_NEGATIVE)
    months_after_end: int = attrs.field(default=0, validator=_NOT_NEGATIVE)

    def due_from(self, case: Case) -> dt.date | None:
        """The first day the case is due for deletion; ``None`` while KAA has not ended."""
        if case.end is None:
            return None
        return add(case.end.day, years=self.years_after_end, months=self.months_after_end)

    def describe(self) -> str:
        """The rule in words."""
        parts = [f"{self.years_after_end} år"] if self.years_after_end else []
        if self.months_after_end:
            parts.append(f"{self.months_after_end} mån.")
        return f"gallras {' och '.join(parts) or 'direkt'} efter att aktivitetsansvaret upphört"


DEFAULT_RETENTION: Timeline[RetentionRule] = Timeline(
    "kaa.retention",
    [
        Version(
            start=dt.date.min,
            value=RetentionRule(years_after_end=3),
            title="library default: due three years after KAA ended (not an official rule)",
            citation=LIBRARY_DEFAULT,
        )
    ],
)
"""The library default; replace it with the rule of the municipality's document-management plan."""


@hookimpl(trylast=True)
def kaa_retention_rule(municipality: str) -> Timeline[RetentionRule] | None:
    """The library default for every municipality (see :data:`DEFAULT_RETENTION`)."""
    return DEFAULT_RETENTION


def national_retention_rule(municipality: str) -> Timeline[RetentionRule]:
    """The library default retention rule, for every municipality (see
    :data:`DEFAULT_RETENTION`)."""
    return DEFAULT_RETENTION


def load_retention(path: Path) -> tuple[str, Timeline[RetentionRule]]:
    """Read a municipality's retention rule from a TOML file, in the dated shape of
    :mod:`kaa.convert`::

        municipality = "1882"

        [[versions]]
        start = 2024-01-01
        title = "Gallras två år efter att aktivitetsansvaret upphört"
        value = { years_after_end = 2, months_after_end = 0 }
        citation = { title = "Dokumenthanteringsplan för barn- och utbildningsnämnden" }

    Each ``[[versions]]`` table applies from ``start`` until the next one starts; its
    citation names the decision the rule comes from. The rule id is
    ``kaa.retention.<kommunkod>`` unless the file gives a ``rule_id``.

    Returns:
        The kommunkod and the rule's timeline.

    Raises:
        ConfigurationError: Reading ``file: message @ $.path`` for every problem.
    """
    dated: Dated[RetentionRule] = load_toml(path, Dated[RetentionRule])
    if dated.municipality is None:
        raise DataFileError(
            [("say which municipality (kommunkod) the rule is for", ("municipality",))],
            file=str(path),
        )
    return dated.municipality, dated.timeline(rule_id=f"kaa.retention.{dated.municipality}")


@attrs.frozen(kw_only=True)
class DueForDeletion:
    """A case that is due for deletion, with the rule that makes it due.

    Attributes:
        case: The case.
        due_from: The first day it was due.
        rule: The rule.
        title: The rule version's title.
        citation: The decision the rule rests on.
    """

    case: Case
    due_from: dt.date
    rule: RetentionRule
    title: str
    citation: Citation | DocumentReference

    def __str__(self) -> str:
        assert self.case.end is not None  # only ended cases are due
        return (
            f"{self.case.id} ({self.case.municipality}): KAA upphörde "
            f"{self.case.end.day.isoformat()}, {self.rule.describe()}, gallringsbar från "
            f"{self.due_from.isoformat()} — {self.title} [{self.citation}]"
        )


def due_for_deletion(
    cases: Iterable[Case],
    *,
    on: dt.date,
    rule_for: Callable[[str], Timeline[RetentionRule]] | None = None,
    rules: dict[str, Timeline[RetentionRule]] | None = None,
) -> list[DueForDeletion]:
    """The cases due for deletion on ``on``, in the order given. Deletes nothing.

    Args:
        cases: The cases.
        on: The day deletion is considered; the rule version in force that day applies.
        rule_for: The retention rule of a municipality by kommunkod; the library default
            when ``None`` (pass :meth:`kaa.plugins.manager.Hooks.retention_rule` for the
            installed plugins').
        rules: Rules by kommunkod that take precedence over ``rule_for`` (e.g. read with
            :func:`load_retention`).

    Returns:
        The cases due, each with its rule.

    Raises:
        RuleNotInForce: If a municipality's rule is not in force on ``on``.
    """
    if rule_for is None:
        rule_for = national_retention_rule
    chosen = dict(rules or {})
    due: list[DueForDeletion] = []
    for case in cases:
        timeline = chosen.get(case.municipality)
        if timeline is None:
            timeline = chosen[case.municipality] = rule_for(case.municipality)
        version = timeline.at(on)
        day = version.value.due_from(case)
        if day is not None and day <= on:
            due.append(
                DueForDeletion(
                    case=case,
                    due_from=day,
                    rule=version.value,
                    title=version.title,
                    citation=version.citation,
                )
            )
    return due


def confirmation_token(content: bytes, on: dt.date, due: Iterable[DueForDeletion]) -> str:
    """A short token that confirms deleting exactly these cases from exactly this file.

    It changes when the file, the day or the list of due cases changes, so a token printed by
    one listing cannot delete anything else.
    """
    digest = hashlib.sha256(content)
    digest.update(on.isoformat().encode())
    for item in due:
        digest.update(b"\0" + item.case.youth.id.full("separated_long").encode())
    return digest.hexdigest()[:12]
