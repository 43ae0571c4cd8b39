"""Askersunds kommun (kommunkod 1882): its action plan for KAA as a plugin.

Everything here comes from Askersund's *Handlingsplan för kommunens aktivitetsansvar* (seed
``askersund-handlingsplan-kaa.txt``) and is shipped as data beside this module:

- ``timetable.toml`` — the contact routine, Steg 1 and Steg 2, word for word;
- ``measures.toml`` — the measures of Steg 3 (overriding national entries with the same id);
- ``follow_up.toml`` — Steg 4: the case worker follows up the individual plan *once a
  month* (rule ``kaa.plan.follow_up.1882``; the national default only follows the days the
  plan documents);
- ``goals.toml`` — the plan's measurable goal for the committee report.

The plugin is registered like any third-party plugin (it is a built-in of the library) and
answers only for 1882; a plugin installed by the municipality itself still wins, as it is
asked first.

    >>> timetable().rule_id
    'kaa.contact_timetable.1882'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from kaa.dated import Timeline
from kaa.formats.goals import Goal, load_goals
from kaa.plugins import hookimpl
from kaa.rules.contact import Timetable, load_timetable
from kaa.rules.measures import MeasureDefinition, load_catalogue
from kaa.rules.plan import FollowUpPolicy, load_follow_up_policy

__all__ = ["KOMMUNKOD", "follow_up_policy", "goals", "measures", "timetable"]

KOMMUNKOD = "1882"
"""Askersunds kommun."""


@cache
def timetable() -> Timeline[Timetable]:
    """Askersund's contact timetable (``timetable.toml``)."""
    return load_timetable(files(__name__).joinpath("timetable.toml"))


@cache
def measures() -> tuple[MeasureDefinition, ...]:
    """The measures of Askersund's plan (``measures.toml``)."""
    return load_catalogue(files(__name__).joinpath("measures.toml"), municipality=KOMMUNKOD)


@cache
def follow_up_policy() -> Timeline[FollowUpPolicy]:
    """Askersund's follow-up of the individual plan, once a month (``follow_up.toml``)."""
    return load_follow_up_policy(
        files(__name__).joinpath("follow_up.toml"), file="kaa/municipal/askersund/follow_up.toml"
    )


@cache
def goals() -> tuple[Goal, ...]:
    """The measurable goal of Askersund's plan (``goals.toml``)."""
    return load_goals(files(__name__).joinpath("goals.toml"))


@hookimpl
def kaa_contact_timetable(municipality: str) -> Timeline[Timetable] | None:
    """Askersund's timetable for 1882."""
    return timetable() if municipality == KOMMUNKOD else None


@hookimpl
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition] | None:
    """Askersund's measures for 1882."""
    return measures() if municipality == KOMMUNKOD else None


@hookimpl
def kaa_plan_follow_up_policy(municipality: str) -> Timeline[FollowUpPolicy] | None:
    """Askersund's monthly follow-up of the plan for 1882."""
    return follow_up_policy() if municipality == KOMMUNKOD else None


@hookimpl
def kaa_report_goals(municipality: str) -> Iterable[Goal] | None:
    """Askersund's goal for 1882."""
    return goals() if municipality == KOMMUNKOD else None
