"""The plugin manager, the facade, and a throw-away municipality plugin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa import assess
from kaa.errors import PluginError
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import DISABLE_ENV, Hooks, make_plugin_manager
from kaa.rules.target_group import Ruling
from kaa.testing import skatteverket_number

D = dt.date
DAY = D(2025, 1, 15)

FOLKHOGSKOLA_YOUTH = Youth(
    id=skatteverket_number(D(2007, 3, 2)),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2023, 6, 10),
    enrolments=(
        Enrolment(
            school_form=SchoolForm.FOLKHOGSKOLA,
            programme=Programme.GENERAL_COURSE,
            start=D(2024, 8, 19),
        ),
    ),
)


class FolkhogskolaCounts:
    """A municipality decides that a folkhögskola course counts as equivalent education."""

    @hookimpl
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> Ruling | None:
        if enrolment.school_form is SchoolForm.FOLKHOGSKOLA:
            return Ruling(True, "Askersunds kommuns beslut 2026-01-15")
        return None


def test_a_municipality_plugin_overrides_the_national_default() -> None:
    national = assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=Hooks.with_plugins(load_entrypoints=False))
    assert national.in_target_group
    assert "national default" in national.reasons[2].explanation

    local = Hooks.with_plugins(FolkhogskolaCounts(), load_entrypoints=False)
    decision = assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=local)
    assert not decision.in_target_group
    assert [r.condition.code for r in decision.failed] == ["T3"]
    assert "Askersunds kommuns beslut" in decision.failed[0].explanation


def test_the_plugin_leaves_other_school_forms_to_the_national_default() -> None:
    komvux = Youth(
        id=FOLKHOGSKOLA_YOUTH.id,
        residences=FOLKHOGSKOLA_YOUTH.residences,
        compulsory_school_completed=D(2023, 6, 10),
        enrolments=(Enrolment(school_form=SchoolForm.KOMVUX, start=D(2024, 8, 19)),),
    )
    local = Hooks.with_plugins(FolkhogskolaCounts(), load_entrypoints=False)
    assert assess(komvux, on=DAY, hooks=local).in_target_group


def test_the_national_default_is_registered_like_any_plugin_and_answers_last() -> None:
    pm = make_plugin_manager(plugins=[FolkhogskolaCounts()], load_entrypoints=False)
    impls = pm.hook.kaa_counts_as_equivalent_education.get_hookimpls()
    builtin = next(i for i in impls if i.plugin_name == "kaa.rules.target_group")
    assert builtin.trylast
    # pluggy calls the last registered implementation first; trylast ones go at the end.
    assert impls[0] is builtin


def test_blocking_the_national_default_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, "kaa.rules.target_group")
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    with pytest.raises(PluginError, match="blocked"):
        assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=hooks)


def test_blocked_names_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, " someone , other ")
    pm = make_plugin_manager(load_entrypoints=False)
    assert pm.is_blocked("someone")
    assert pm.is_blocked("other")
    assert not pm.is_blocked("kaa.rules.target_group")


class WrongShape:
    @hookimpl
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> object:
        return "yes"


def test_a_plugin_returning_the_wrong_shape_is_reported() -> None:
    hooks = Hooks.with_plugins(WrongShape(), load_entrypoints=False)
    with pytest.raises(PluginError, match="EquivalenceRuling"):
        assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=hooks)


def test_a_fresh_manager_per_call() -> None:
    assert make_plugin_manager(load_entrypoints=False) is not make_plugin_manager(
        load_entrypoints=False
    )
    assert "kaa.rules.target_group" in Hooks.with_plugins(load_entrypoints=False).plugin_names()


def test_plugins_are_discovered_through_the_kaa_entry_point_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path
    (root / "kaa_tmp_kommun.py").write_text(
        "from kaa.plugins import hookimpl\n"
        "from kaa.model.youth import SchoolForm\n"
        "from kaa.rules.target_group import Ruling\n"
        "@hookimpl\n"
        "def kaa_counts_as_equivalent_education(youth, enrolment, day):\n"
        "    if enrolment.school_form is SchoolForm.FOLKHOGSKOLA:\n"
        "        return Ruling(True, 'tmp kommun')\n",
        encoding="utf-8",
    )
    info = root / "kaa_tmp_kommun-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kaa-tmp-kommun\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[kaa]\ntmpkommun = kaa_tmp_kommun\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))

    hooks = Hooks(make_plugin_manager())
    assert "tmpkommun" in hooks.plugin_names()
    assert not assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=hooks).in_target_group

    monkeypatch.setenv(DISABLE_ENV, "tmpkommun")
    blocked = Hooks(make_plugin_manager())
    assert "tmpkommun" not in blocked.plugin_names()
    assert assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=blocked).in_target_group


# --- the open questions of T3 as a table ------------------------------------------------


class _KomvuxTable:
    @hookimpl
    def kaa_equivalence_rulings(self, municipality: str | None, day: dt.date) -> object:
        return {(SchoolForm.KOMVUX, Programme.UPPER_SECONDARY_LEVEL): Ruling(True, "local")}


class _NotATable:
    @hookimpl
    def kaa_equivalence_rulings(self, municipality: str | None, day: dt.date) -> object:
        return [Ruling(True, "local")]


def test_a_plugins_table_entry_wins_over_the_national_default() -> None:
    hooks = Hooks.with_plugins(_KomvuxTable(), load_entrypoints=False)
    table = hooks.equivalence_rulings("1882", dt.date(2026, 11, 23))
    assert table[(SchoolForm.KOMVUX, Programme.UPPER_SECONDARY_LEVEL)] == Ruling(True, "local")
    assert table[(SchoolForm.KOMVUX, Programme.NONE)].counts is False  # the national default
    assert (SchoolForm.GYMNASIESKOLA, Programme.NATIONAL) not in table


def test_a_table_of_the_wrong_shape_is_a_plugin_error() -> None:
    hooks = Hooks.with_plugins(_NotATable(), load_entrypoints=False)
    with pytest.raises(PluginError, match="must return a mapping"):
        hooks.equivalence_rulings(None, dt.date(2026, 11, 23))


def test_plugins_answering_only_youth_by_youth_are_named() -> None:
    assert Hooks.with_plugins(load_entrypoints=False).per_youth_equivalence_only() == []
    hooks = Hooks.with_plugins(FolkhogskolaCounts(), load_entrypoints=False)
    assert len(hooks.per_youth_equivalence_only()) == 1
