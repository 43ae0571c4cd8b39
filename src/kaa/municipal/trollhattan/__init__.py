"""Trollhättans stad (kommunkod 1488): an allowance for taking part in a work placement.

**The rule as at the audit (2016–2017).** PwC's comparative study of KAA in seven
municipalities (section 2.4.1) describes Trollhättan paying a youth in a full-time work
placement — "under granskningen" 30 hours a week — an allowance equal to CSN's study grant
(*studiebidrag*), then 1 050 kr a month; part-time placements are reduced pro rata to the
hours. The audits were carried out during 2016 and 2017 (section 1.4), so that period is
answered with the study as the citation. Hours above 30 are paid as full time (the library's
reading: the study gives no higher amount than the study grant).

**After the audit, whether Trollhättan still applies the rule is not known.** The study
leaves out any change after the audits (section 1.4), and no later source is recorded here.
From 2018-01-01 — the day after the audit period, the library's own choice and not a
decision of Trollhättan's — the library keeps answering with the audited rule, but every
answer says so: :attr:`~kaa.rules.measures.Allowance.in_force_known` is ``False`` and the
basis says in words that it is not known. A day before 2016 raises
:class:`~kaa.errors.RuleNotInForce`: nothing is known about it.

Both parts are dated data beside this module and in :mod:`kaa.data`, each version with its
own source:

- ``allowance.toml`` (rule ``kaa.measure_allowance.1488``) — the hours that count as full
  time and whether a source shows the rule in force;
- ``kaa/data/csn_studiebidrag.toml`` (rule ``kaa.csn.studiebidrag``) — the study grant:
  1 050 kr from 2016 (the study; the day it came into force is not known), 1 250 kr from
  2018-03-01 (CSN). The answer carries the amount's own source as
  :attr:`~kaa.rules.measures.Allowance.amount_citation`.

The amount is rounded to whole öre, half up.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> allowance("work_placement", Decimal(15), dt.date(2017, 3, 1)).amount
    Decimal('525.00')
    >>> later = allowance("work_placement", Decimal(15), dt.date(2026, 3, 1))
    >>> later.amount, later.in_force_known
    (Decimal('625.00'), False)
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files

import attrs

from kaa.convert import load_toml
from kaa.dated import Timeline
from kaa.errors import InvalidInput
from kaa.law import DocumentReference
from kaa.plugins import hookimpl
from kaa.rules.measures import Allowance

__all__ = [
    "FULL_TIME_HOURS",
    "KOMMUNKOD",
    "MEASURES",
    "SOURCE",
    "PlacementRule",
    "allowance",
    "kaa_measure_allowance",
    "placement_rule",
    "study_grant",
]

KOMMUNKOD = "1488"
"""Trollhättan's kommunkod."""

FULL_TIME_HOURS = Decimal(30)
"""Hours per week that counted as a full-time placement in Trollhättan during the audit
(2016–2017); the dated value is :attr:`PlacementRule.full_time_hours` in ``allowance.toml``."""

MEASURES = frozenset({"work_placement"})
"""The catalogue ids the allowance is paid for."""

SOURCE = DocumentReference(
    title="Jämförande studie av kommunernas aktivitetsansvar",
    issuer="PwC",
    section="2.4.1, Trollhättan (regeln under granskningen 2016–2017)",
)
"""Where the rule is described, as at the audit (the citation of each version of
``allowance.toml``)."""

_POSITIVE = attrs.validators.gt(Decimal(0))


@attrs.frozen(kw_only=True)
class PlacementRule:
    """Trollhättan's placement allowance as one dated version describes it.

    Attributes:
        full_time_hours: Hours per week that count as full time; fewer are paid pro rata.
        in_force_known: Whether a source shows Trollhättan applying the rule in the
            version's period (``True`` for the audit period 2016–2017 only).
    """

    full_time_hours: Decimal = attrs.field(validator=_POSITIVE)
    in_force_known: bool


@cache
def placement_rule() -> Timeline[PlacementRule]:
    """Trollhättan's rule over time, as dated data from ``allowance.toml``.

    Raises:
        ConfigurationError: If the data file is malformed.
    """
    timeline: Timeline[PlacementRule] = load_toml(
        files(__name__).joinpath("allowance.toml"),
        Timeline[PlacementRule],
        file="kaa/municipal/trollhattan/allowance.toml",
    )
    return timeline


@cache
def study_grant() -> Timeline[Decimal]:
    """CSN's study grant in kronor per month, as dated data from ``csn_studiebidrag.toml``.

    Raises:
        ConfigurationError: If the data file is malformed.
    """
    resource = files("kaa.data").joinpath("csn_studiebidrag.toml")
    timeline: Timeline[Decimal] = load_toml(
        resource, Timeline[Decimal], file="kaa/data/csn_studiebidrag.toml"
    )
    return timeline


def allowance(measure_type: str, hours_per_week: Decimal, day: dt.date) -> Allowance:
    """Trollhättan's allowance per month for a placement of ``hours_per_week``.

    Args:
        measure_type: The catalogue id; must be one of :data:`MEASURES`.
        hours_per_week: Hours per week in the placement (0 or more).
        day: A day in the month paid for; the rule and the study grant in force that day
            apply.

    Returns:
        The amount and how it was reached; ``citation`` is the study that describes the rule,
        ``amount_citation`` the source of the study-grant amount, and ``in_force_known`` is
        ``False`` (with the basis saying so) after the audit period, when whether Trollhättan
        still applies the rule is not known.

    Raises:
        InvalidInput: If the measure is not a work placement or the hours are negative.
        RuleNotInForce: If ``day`` is before the audit period (2016), when neither the rule
            nor a study-grant amount is known.
    """
    if measure_type not in MEASURES:
        raise InvalidInput(
            f"Trollhättan pays the allowance for {', '.join(sorted(MEASURES))}, "
            f"not {measure_type!r}",
            column="type",
        )
    if hours_per_week < 0:
        raise InvalidInput("hours per week cannot be negative", column="hours_per_week")
    rule = placement_rule().at(day)
    grant = study_grant().at(day)
    full_time = rule.value.full_time_hours
    hours = min(hours_per_week, full_time)
    amount = (grant.value * hours / full_time).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    basis = f"CSN:s studiebidrag {grant.value} kr/mån × {hours}/{full_time} timmar per vecka"
    if rule.value.in_force_known:
        basis += " (Trollhättans regel under granskningen 2016–2017)"
    else:
        basis += (
            "; regeln är Trollhättans så som den beskrevs vid granskningen 2016–2017 — om "
            "Trollhättan fortfarande tillämpar den är inte känt"
        )
    return Allowance(
        amount=amount,
        basis=basis,
        citation=rule.citation,
        amount_citation=grant.citation,
        in_force_known=rule.value.in_force_known,
    )


@hookimpl
def kaa_measure_allowance(
    municipality: str, measure_type: str, hours_per_week: Decimal, day: dt.date
) -> Allowance | None:
    """Trollhättan's work-placement allowance; ``None`` for other municipalities or measures."""
    if municipality != KOMMUNKOD or measure_type not in MEASURES:
        return None
    return allowance(measure_type, hours_per_week, day)
