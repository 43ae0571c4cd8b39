"""The installable example municipality plugin (examples/kaa-example-kommun), end to end.

It is installed into the test environment by the Makefile (``pip install -e
examples/kaa-example-kommun``); these tests prove that discovery through the entry-point
group ``kaa`` works, and that the plugin changes nothing for other municipalities.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.plugins.manager import DISABLE_ENV, Hooks, make_plugin_manager

EXAMPLE = Path(__file__).parents[1] / "examples" / "kaa-example-kommun"


def test_the_example_plugin_is_installed_under_the_kaa_entry_point_group() -> None:
    names = [e.name for e in entry_points(group="kaa")]
    assert "example-kommun" in names, (
        "install the example plugin: pip install -e examples/kaa-example-kommun (make test does)"
    )


def test_discovery_adds_its_source_timetable_and_measures() -> None:
    hooks = Hooks(make_plugin_manager())
    assert "example-kommun" in hooks.register_sources()
    assert hooks.contact_timetable("1884").rule_id == "kaa.contact_timetable.1884"
    assert "example_study_visit_day" in hooks.measure_catalogue("1884")


@pytest.mark.parametrize("kommunkod", ["0180", "1882", "1780"])
def test_other_municipalities_are_left_to_their_defaults(kommunkod: str) -> None:
    with_example = Hooks(make_plugin_manager())
    without = Hooks(make_plugin_manager(load_entrypoints=False))
    assert (
        with_example.contact_timetable(kommunkod).rule_id
        == without.contact_timetable(kommunkod).rule_id
    )
    assert [m.id for m in with_example.measure_catalogue(kommunkod)] == [
        m.id for m in without.measure_catalogue(kommunkod)
    ]


def test_blocking_the_example_plugin_removes_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, "example-kommun")
    assert "example-kommun" not in Hooks(make_plugin_manager()).register_sources()


def test_kaa_assess_reads_the_example_export(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "assess",
            "--source",
            "example-kommun",
            str(EXAMPLE / "tests" / "data" / "register.csv"),
            "--on",
            dt.date(2026, 11, 23).isoformat(),
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.count("\n") == 4


def test_the_example_plugins_own_tests_pass() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
        capture_output=True,
        text=True,
        check=False,
        cwd=EXAMPLE,
    )
    assert done.returncode == 0, done.stdout[-3000:]
