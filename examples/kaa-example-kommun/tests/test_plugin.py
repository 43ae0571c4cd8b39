"""The example plugin: found through its entry point, and tested with ``kaa.testing.hooks_with``
(a fresh manager holding only the built-ins and this plugin), as a municipality's own tests
would be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kaa_example_kommun import plugin

from kaa.adapters import SourceSummary, open_source
from kaa.plugins.manager import Hooks, make_plugin_manager
from kaa.testing import hooks_with

DATA = Path(__file__).parent / "data"
DAY = dt.date(2026, 11, 23)


def test_the_plugin_is_discovered_through_the_entry_point() -> None:
    hooks = Hooks(make_plugin_manager())
    assert "example-kommun" in hooks.plugin_names()
    assert "example-kommun" in hooks.register_sources()


def test_its_source_reads_its_own_export() -> None:
    summary = SourceSummary(file="register.csv")
    records = list(
        open_source(
            "example-kommun",
            DATA / "register.csv",
            summary=summary,
            reference_day=DAY,
            hooks=hooks_with(plugin),
        )
    )
    assert summary.ok, summary.problems
    assert [r.youth.residences[0].municipality for r in records] == ["1884"] * 3
    first = records[0]
    assert first.case is not None
    assert first.case.registration.day == dt.date(2025, 3, 1)
    assert records[1].youth.has_protected_identity


def test_its_timetable_and_measures_apply_to_its_own_kommunkod_only() -> None:
    hooks = hooks_with(plugin)
    assert hooks.contact_timetable("1884").rule_id == "kaa.contact_timetable.1884"
    assert hooks.contact_timetable("1882").rule_id == "kaa.contact_timetable.1882"
    assert "example_summer_work" in hooks.measure_catalogue("1884")
    assert "example_summer_work" not in hooks.measure_catalogue("1882")


def test_without_the_plugin_its_source_is_unknown() -> None:
    assert "example-kommun" not in hooks_with().register_sources()
