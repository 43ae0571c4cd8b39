"""The plugin: a register source, a contact timetable and measures, scoped to one kommunkod.

Every hook answers only for :data:`~kaa_example_kommun.KOMMUNKOD`; for any other municipality
it returns ``None`` so the national defaults (or another municipality's plugin) answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib.resources import files

from kaa.adapters import RegisterSource
from kaa.adapters.profile import ColumnProfile
from kaa.adapters.tabular import ProfileSource
from kaa.dated import Timeline
from kaa.plugins import hookimpl
from kaa.rules.contact import Timetable, parse_timetable
from kaa.rules.measures import MeasureDefinition, parse_catalogue
from kaa_example_kommun import KOMMUNKOD

SOURCE_NAME = "example-kommun"
"""The name of the register source this plugin adds."""


def _text(name: str) -> str:
    return files("kaa_example_kommun").joinpath(name).read_text(encoding="utf-8")


@cache
def source() -> ProfileSource:
    """The municipality's register source, with its own column profile."""
    path = files("kaa_example_kommun").joinpath("profile.toml")
    profile = ColumnProfile.from_text(_text("profile.toml"), file=str(path))
    return ProfileSource(name=SOURCE_NAME, description=profile.description, profile=profile)


@cache
def timetable() -> Timeline[Timetable]:
    """The municipality's contact timetable over time."""
    return parse_timetable(_text("timetable.toml"), file="kaa_example_kommun/timetable.toml")


@cache
def measures() -> tuple[MeasureDefinition, ...]:
    """The municipality's own measures."""
    _, definitions = parse_catalogue(
        _text("measures.toml"), file="kaa_example_kommun/measures.toml"
    )
    return definitions


@hookimpl
def kaa_register_sources(register: Callable[[RegisterSource], None]) -> None:
    """Add the ``example-kommun`` source."""
    register(source())


@hookimpl
def kaa_contact_timetable(municipality: str) -> Timeline[Timetable] | None:
    """The example timetable, for this municipality only."""
    return timetable() if municipality == KOMMUNKOD else None


@hookimpl
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition] | None:
    """The example measures, for this municipality only."""
    return measures() if municipality == KOMMUNKOD else None
