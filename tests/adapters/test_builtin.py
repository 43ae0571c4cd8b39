"""The built-in register sources (:mod:`kaa.adapters.builtin`): which they are, and that they
are registered like any plugin, answering last."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kaa.adapters import builtin
from kaa.adapters.base import RegisterSource
from kaa.adapters.profile import BUILTIN_PROFILES, builtin_profile
from kaa.adapters.tabular import ProfileSource
from kaa.plugins.manager import Hooks

BUILTIN_NAMES = [
    "ist",
    "ber",
    "hypernet",
    "ss12000",
    "e-tjanst",
    "scb",
    "canonical",
    "canonical-cases",
]
"""The built-in sources as the hook specification lists them (kaa.plugins.spec)."""


def test_the_builtin_sources_are_the_documented_ones() -> None:
    assert sorted(s.name for s in builtin.builtin_sources()) == sorted(BUILTIN_NAMES)


@pytest.mark.parametrize("source", builtin.builtin_sources(), ids=lambda s: f"the {s.name} source")
def test_every_builtin_source_is_a_register_source_with_a_description(
    source: RegisterSource,
) -> None:
    assert isinstance(source, RegisterSource)
    assert source.description.strip()


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_a_list_export_source_reads_through_its_default_column_profile(name: str) -> None:
    (source,) = [s for s in builtin.builtin_sources() if s.name == name]
    assert isinstance(source, ProfileSource)
    assert source.profile == builtin_profile(name)
    assert source.description == builtin_profile(name).description


def test_the_builtin_sources_are_built_once() -> None:
    assert builtin.builtin_sources() is builtin.builtin_sources()


def test_the_hook_registers_every_builtin_source_once() -> None:
    registered: list[RegisterSource] = []
    register: Callable[[RegisterSource], None] = registered.append
    builtin.kaa_register_sources(register)
    assert registered == list(builtin.builtin_sources())


def test_the_registry_holds_the_builtin_sources_when_no_plugin_adds_one(hooks: Hooks) -> None:
    assert sorted(hooks.register_sources()) == sorted(BUILTIN_NAMES)


def test_the_builtin_sources_answer_last() -> None:
    pm = Hooks.with_plugins(load_entrypoints=False).pm
    (impl,) = [
        i
        for i in pm.hook.kaa_register_sources.get_hookimpls()
        if i.plugin_name == "kaa.adapters.builtin"
    ]
    assert impl.trylast
