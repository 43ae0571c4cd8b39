"""What :mod:`kaa.testing` offers people who test against kaa: ``hooks_with`` (a fresh
manager with the built-ins and the given plugins only), Skatteverket's test numbers and
synthetic interim numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa.identity import IdentityNumber, Sex, luhn_ok
from kaa.model.youth import Enrolment, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import BUILTIN_PLUGINS, DISABLE_ENV, Hooks, make_plugin_manager
from kaa.rules.target_group import Ruling
from kaa.testing import hooks_with, interim_number, skatteverket_number, skatteverket_numbers

D = dt.date


class EverythingCounts:
    """A plugin under test: every enrolment counts as equivalent education."""

    @hookimpl
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> Ruling | None:
        return Ruling(True, "the plugin under test")


def test_hooks_with_nothing_holds_exactly_the_builtin_plugins() -> None:
    assert hooks_with().plugin_names() == sorted(BUILTIN_PLUGINS)


def test_hooks_with_a_plugin_holds_the_builtins_and_that_plugin() -> None:
    plugin = EverythingCounts()
    hooks = hooks_with(plugin)
    assert hooks.pm.is_registered(plugin)
    assert len(hooks.plugin_names()) == len(BUILTIN_PLUGINS) + 1
    assert set(BUILTIN_PLUGINS) <= set(hooks.plugin_names())


def test_hooks_with_is_a_fresh_manager_each_time() -> None:
    plugin = EverythingCounts()
    first, second = hooks_with(plugin), hooks_with()
    assert first.pm is not second.pm
    assert not second.pm.is_registered(plugin)


def test_hooks_with_ignores_the_plugins_blocked_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DISABLE_ENV, "kaa.municipal.askersund,kaa.rules.contact")
    assert "kaa.municipal.askersund" not in Hooks(make_plugin_manager()).plugin_names()
    assert hooks_with().plugin_names() == sorted(BUILTIN_PLUGINS)


def test_hooks_with_loads_no_installed_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kaa_installed_kommun.py").write_text(
        "from kaa.plugins import hookimpl\n"
        "@hookimpl\n"
        "def kaa_report_goals(municipality):\n"
        "    return None\n",
        encoding="utf-8",
    )
    info = tmp_path / "kaa_installed_kommun-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kaa-installed-kommun\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[kaa]\ninstalled = kaa_installed_kommun\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "installed" in Hooks(make_plugin_manager()).plugin_names()
    assert "installed" not in hooks_with().plugin_names()


def test_the_skatteverket_numbers_are_valid_personnummer_born_2000_to_2012() -> None:
    numbers = skatteverket_numbers()
    assert len(numbers) > 9000
    assert len(set(numbers)) == len(numbers)
    for text in numbers:
        number = IdentityNumber.parse(text)
        assert not number.is_interim
        assert not number.is_coordination
        assert number.birth_date is not None
        assert 2000 <= number.birth_date.year <= 2012


@pytest.mark.parametrize("index", [0, 1], ids=["the first number of a day", "the second"])
def test_a_skatteverket_number_is_born_on_the_day_asked(index: int) -> None:
    number = skatteverket_number(D(2008, 8, 12), index)
    assert number.birth_date == D(2008, 8, 12)
    assert number.full("long") in skatteverket_numbers()


def test_the_two_numbers_of_a_day_differ() -> None:
    assert skatteverket_number(D(2008, 8, 12), 0) != skatteverket_number(D(2008, 8, 12), 1)


@pytest.mark.parametrize(
    ("day", "index"),
    [
        pytest.param(D(1999, 12, 31), 0, id="no test number for a birth before 2000"),
        pytest.param(D(2013, 1, 1), 0, id="no test number for a birth after 2012"),
        pytest.param(D(2008, 8, 12), 2, id="no third test number for a day"),
    ],
)
def test_a_number_skatteverket_did_not_publish_is_a_lookup_error(day: dt.date, index: int) -> None:
    with pytest.raises(LookupError, match=f"#{index} for birth date {day}"):
        skatteverket_number(day, index)


@pytest.mark.parametrize(
    ("serial", "letter", "sex"),
    [
        pytest.param(0, "T", Sex.FEMALE, id="serial 0 has the letter T and an even digit"),
        pytest.param(1, "T", Sex.MALE, id="serial 1 has an odd last digit"),
        pytest.param(100, "R", Sex.FEMALE, id="each hundred takes the next letter"),
        pytest.param(1099, "N", Sex.MALE, id="the last serial has the last letter N"),
    ],
)
def test_an_interim_number(serial: int, letter: str, sex: Sex) -> None:
    number = interim_number(D(2008, 8, 12), serial)
    long = number.full("long")
    assert number.is_interim
    assert number.birth_date == D(2008, 8, 12)
    assert long[8] == letter
    assert number.sex is sex
    assert luhn_ok(long[2:])


def test_interim_numbers_of_different_serials_differ() -> None:
    numbers = {interim_number(D(2008, 8, 12), serial) for serial in range(1100)}
    assert len(numbers) == 1100
    assert all(luhn_ok(n.full("long")[2:]) for n in numbers)
