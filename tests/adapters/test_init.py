"""The registry of register sources (:mod:`kaa.adapters`): the source hook, sources looked up
by name, and reading a file through a named source.

Merging across sources is in ``test_merge.py``, the ``kaa sources`` command in
``tests/commands/test_sources.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from exports import NUMBERS
from kaa.adapters import (
    Origin,
    RegisterSource,
    SourceRecord,
    available_sources,
    builtin_sources,
    get_source,
    open_source,
    read_youths_from,
)
from kaa.adapters import builtin as builtin_plugin
from kaa.errors import InvalidInput, PluginError
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.youth import Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks

DAY = dt.date(2026, 11, 23)
A = IdentityNumber.parse(NUMBERS[0])


@attrs.frozen
class OneYouthSource:
    """A toy source that yields one youth for any file."""

    name: str = "toy"
    description: str = "one youth, always"

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        summary.rows_read += 1
        summary.rows_accepted += 1
        summary.records += 1
        yield SourceRecord(
            youth=Youth(id=A), origin=Origin(source=self.name, file=str(path), lines=(1,))
        )


class Registers:
    def __init__(self, *sources: object) -> None:
        self.sources = sources

    @hookimpl
    def kaa_register_sources(self, register: Callable[[RegisterSource], None]) -> None:
        for source in self.sources:
            register(source)  # type: ignore[arg-type]


def test_a_plugin_adds_a_source_used_by_name(tmp_path: Path) -> None:
    hooks = Hooks.with_plugins(Registers(OneYouthSource()), load_entrypoints=False)
    assert "toy" in available_sources(hooks)
    assert isinstance(get_source("toy", hooks), RegisterSource)
    (record,) = open_source("toy", tmp_path / "x", hooks=hooks)
    assert record.youth.id == A


@pytest.mark.parametrize(
    ("plugin", "words"),
    [
        pytest.param(
            Registers(OneYouthSource(name="ist")),
            "registered twice",
            id="a second source named like a built-in one is refused",
        ),
        pytest.param(
            Registers(object()),
            "needs an object with name",
            id="something that is not a source is refused",
        ),
    ],
)
def test_a_misbehaving_source_plugin_is_reported(plugin: object, words: str) -> None:
    hooks = Hooks.with_plugins(plugin, load_entrypoints=False)
    with pytest.raises(PluginError, match=words):
        available_sources(hooks)


def test_an_unknown_source_lists_the_available_ones() -> None:
    with pytest.raises(InvalidInput, match="available: ber, canonical"):
        get_source("extens")


def test_without_a_plugin_facade_only_the_builtin_sources_are_available() -> None:
    assert available_sources() == builtin_sources()
    assert list(builtin_sources()) == sorted(s.name for s in builtin_plugin.builtin_sources())


def test_read_youths_from_yields_each_records_youth(tmp_path: Path) -> None:
    hooks = Hooks.with_plugins(Registers(OneYouthSource()), load_entrypoints=False)
    assert list(read_youths_from("toy", tmp_path / "x", hooks=hooks)) == [Youth(id=A)]
