"""Askersund's plugin (:mod:`kaa.municipal.askersund`, kommunkod 1882): it answers only for
1882, loads the data files shipped beside it, and its answers reach the facade."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaa.dated import Timeline
from kaa.errors import RuleNotInForce
from kaa.law import DocumentReference
from kaa.municipal import askersund
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.contact import Timetable
from kaa.rules.measures import national_catalogue
from kaa.rules.plan import DEFAULT_FOLLOW_UP_POLICY, FollowUpPolicy
from kaa.testing import hooks_with

HOOKS: list[Callable[[str], object]] = [
    askersund.kaa_contact_timetable,
    askersund.kaa_measure_catalogue,
    askersund.kaa_plan_follow_up_policy,
    askersund.kaa_report_goals,
]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h.__name__)
@pytest.mark.parametrize(
    ("municipality", "answers"),
    [
        pytest.param("1882", True, id="Askersund answers for 1882"),
        pytest.param("0180", False, id="Askersund leaves Stockholm to others"),
        pytest.param("1880", False, id="Askersund leaves its neighbour Örebro to others"),
    ],
)
def test_the_plugin_answers_only_for_its_own_kommunkod(
    hook: Callable[[str], object], municipality: str, answers: bool
) -> None:
    assert (hook(municipality) is not None) is answers


def test_the_kommunkod_is_askersunds() -> None:
    assert askersund.KOMMUNKOD == "1882"


def test_the_timetable_file_loads_as_askersunds_dated_rule() -> None:
    timetable = askersund.timetable()
    assert isinstance(timetable, Timeline)
    assert timetable.rule_id == "kaa.contact_timetable.1882"
    assert askersund.timetable() is timetable


def test_the_measures_file_loads_with_unique_ids() -> None:
    ids = [m.id for m in askersund.measures()]
    assert ids
    assert len(ids) == len(set(ids))
    assert askersund.measures() is askersund.measures()


def test_the_goals_file_loads_the_plans_goal() -> None:
    (goal,) = askersund.goals()
    assert goal.figure == "kaa.followup.returned_to_studies"
    assert goal.direction == "raise"
    assert goal.source is not None
    assert "Askersunds kommun" in goal.source


def test_the_timetable_reaches_the_facade_for_1882_only(hooks: Hooks) -> None:
    assert hooks.contact_timetable("1882") is askersund.timetable()
    assert hooks.contact_timetable("0180").rule_id != askersund.timetable().rule_id


def test_the_measures_reach_the_catalogue_over_the_national_ones(hooks: Hooks) -> None:
    catalogue = hooks.measure_catalogue("1882")
    for definition in askersund.measures():
        assert catalogue.get(definition.id) == definition
    only_askersund = {m.id for m in askersund.measures()} - {m.id for m in national_catalogue()}
    assert only_askersund
    assert not only_askersund & {m.id for m in hooks.measure_catalogue("1880")}


def test_the_follow_up_file_loads_steg_4s_monthly_rule() -> None:
    timeline = askersund.follow_up_policy()
    assert timeline.rule_id == "kaa.plan.follow_up.1882"
    (version,) = timeline.versions
    assert version.value == FollowUpPolicy.every(1)
    assert isinstance(version.citation, DocumentReference)
    assert version.citation.issuer == "Askersunds kommun"
    assert version.citation.section is not None
    assert "Steg 4" in version.citation.section
    assert askersund.follow_up_policy() is timeline


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        pytest.param(
            dt.date(2014, 12, 31),
            False,
            id="the day before KAA began Askersund's follow-up rule is not in force",
        ),
        pytest.param(
            dt.date(2015, 1, 1),
            True,
            id="from the first day of KAA Askersund's monthly rule applies (adoption not known)",
        ),
    ],
)
def test_the_follow_up_rule_starts_with_kaa(day: dt.date, in_force: bool) -> None:
    if in_force:
        assert askersund.follow_up_policy().value_at(day).every_months == 1
    else:
        with pytest.raises(RuleNotInForce, match=r"kaa\.plan\.follow_up\.1882"):
            askersund.follow_up_policy().at(day)


@pytest.mark.parametrize(
    ("municipality", "monthly"),
    [
        pytest.param("1882", True, id="Askersund's cases get the monthly follow-up"),
        pytest.param("0180", False, id="Stockholm's cases do not get Askersund's monthly rule"),
        pytest.param("1880", False, id="Örebro's cases do not get Askersund's monthly rule"),
    ],
)
def test_the_follow_up_rule_reaches_the_facade_for_1882_only(
    municipality: str, monthly: bool, hooks: Hooks
) -> None:
    timeline = hooks.plan_follow_up_policy(municipality)
    assert (timeline is askersund.follow_up_policy()) is monthly
    assert (timeline is DEFAULT_FOLLOW_UP_POLICY) is not monthly


def test_the_goals_reach_the_report_for_1882_only(hooks: Hooks) -> None:
    assert hooks.report_goals("1882") == askersund.goals()
    assert hooks.report_goals("1880") == ()


class OwnTimetable:
    """A plugin Askersund installs itself, answering with a timetable of its own."""

    def __init__(self, timetable: Timeline[Timetable]) -> None:
        self.timetable = timetable

    @hookimpl
    def kaa_contact_timetable(self, municipality: str) -> Timeline[Timetable] | None:
        return self.timetable if municipality == "1882" else None


def test_a_plugin_of_the_municipality_itself_wins_over_the_shipped_one(hooks: Hooks) -> None:
    own = hooks.contact_timetable("1880")
    assert own is not askersund.timetable()
    assert hooks_with(OwnTimetable(own)).contact_timetable("1882") is own
