"""Trollhättans stad (kommunkod 1488): an allowance for taking part in a work placement.

Trollhättan pays a youth in a full-time work placement — 30 hours a week — an allowance equal
to CSN's study grant (*studiebidrag*); part-time placements are paid pro rata to the hours
(PwC's comparative study of KAA in seven municipalities, section 2.4.1). Hours above 30 are
paid as full time.

The study grant is dated data: ``kaa/data/csn_studiebidrag.toml`` lists each amount with the
day it took effect and its source, in the one dated shape of :mod:`kaa.convert` (only amounts
that could be verified; see the file). The amount is rounded to whole öre, half up.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> allowance("work_placement", Decimal(15), dt.date(2026, 3, 1)).amount
    Decimal('625.00')
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files

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
    "allowance",
    "kaa_measure_allowance",
    "study_grant",
]

KOMMUNKOD = "1488"
"""Trollhättan's kommunkod."""

FULL_TIME_HOURS = Decimal(30)
"""Hours per week that count as a full-time placement in Trollhättan."""

MEASURES = frozenset({"work_placement"})
"""The catalogue ids the allowance is paid for."""

SOURCE = DocumentReference(
    title="Jämförande studie av kommunernas aktivitetsansvar",
    issuer="PwC",
    section="2.4.1, Trollhättan",
)
"""Where the rule is described."""


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
        day: A day in the month paid for; the study grant in force that day applies.

    Returns:
        The amount and how it was reached.

    Raises:
        InvalidInput: If the measure is not a work placement or the hours are negative.
        RuleNotInForce: If no verified study-grant amount is in force on ``day``.
    """
    if measure_type not in MEASURES:
        raise InvalidInput(
            f"Trollhättan pays the allowance for {', '.join(sorted(MEASURES))}, "
            f"not {measure_type!r}",
            column="type",
        )
    if hours_per_week < 0:
        raise InvalidInput("hours per week cannot be negative", column="hours_per_week")
    grant = study_grant().at(day)
    share = min(hours_per_week, FULL_TIME_HOURS) / FULL_TIME_HOURS
    amount = (grant.value * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Allowance(
        amount=amount,
        basis=(
            f"CSN:s studiebidrag {grant.value} kr/mån × {min(hours_per_week, FULL_TIME_HOURS)}"
            f"/{FULL_TIME_HOURS} timmar per vecka"
        ),
        citation=SOURCE,
    )


@hookimpl
def kaa_measure_allowance(
    municipality: str, measure_type: str, hours_per_week: Decimal, day: dt.date
) -> Allowance | None:
    """Trollhättan's work-placement allowance; ``None`` for other municipalities or measures."""
    if municipality != KOMMUNKOD or measure_type not in MEASURES:
        return None
    return allowance(measure_type, hours_per_week, day)
