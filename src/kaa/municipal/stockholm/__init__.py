"""Stockholms stad (kommunkod 0180): the measures named in its action plan for KAA 2025–2027,
as a plugin.

``measures.toml`` beside this module lists them with their source (Skolslussen, Jobbtorg
Stockholm and its units KAA Syd and KAA Nord). Stockholm's contact routine is not published
in the plan, so the national default timetable applies.

    >>> sorted(m.id for m in measures())[:1]
    ['individual_support']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from kaa.plugins import hookimpl
from kaa.rules.measures import MeasureDefinition, load_catalogue

__all__ = ["KOMMUNKOD", "measures"]

KOMMUNKOD = "0180"
"""Stockholms stad."""


@cache
def measures() -> tuple[MeasureDefinition, ...]:
    """The measures of Stockholm's plan (``measures.toml``)."""
    return load_catalogue(files(__name__).joinpath("measures.toml"), municipality=KOMMUNKOD)


@hookimpl
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition] | None:
    """Stockholm's measures for 0180."""
    return measures() if municipality == KOMMUNKOD else None
