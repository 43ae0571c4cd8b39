"""The individual plan: the seven documentation items, when a plan is needed, the summary,
and the follow-up policy (national: the days the plan documents; Askersund: monthly)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefactory import ENDED_MEASURE, case, full_plan, planned
from kaa.convert import DataFileError
from kaa.dated import Timeline, Version
from kaa.errors import InvalidInput, PluginError, RuleNotInForce
from kaa.law import FORORDNING_2006_39, DocumentReference
from kaa.model.case import Case, Measure
from kaa.model.documentation import IndividualPlan, Party, PlanRevision, Responsibility
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.measures import national_catalogue
from kaa.rules.plan import (
    DEFAULT_FOLLOW_UP_POLICY,
    DocumentationItem,
    FollowUpPolicy,
    PlanChecks,
    agreed_measures,
    check_plan,
    declined_offers,
    load_follow_up_policy,
    national_follow_up_policy,
    next_follow_up_due,
    summarise,
)
from kaa.testing import hooks_with

D = dt.date
Item = DocumentationItem
CATALOGUE = national_catalogue()

PARTNER_MEASURE = Measure(
    id="m1", type="arbetsformedlingen", offered=D(2026, 1, 26), start=D(2026, 2, 2)
)
PARTNER_MEASURE_ENDED = attrs.evolve(PARTNER_MEASURE, end=D(2026, 3, 1))
DECLINED = Measure(
    id="m2",
    type="study_guidance",
    offered=D(2026, 1, 26),
    declined=True,
    decline_reason="Har redan träffat SYV",
)
AGREED_NOT_STARTED = Measure(id="m1", type="work_placement", offered=D(2026, 1, 26))


@pytest.mark.parametrize(
    ("the_case", "missing"),
    [
        pytest.param(case(plan=full_plan()), [], id="a plan with every item is complete"),
        pytest.param(
            case(plan=None),
            [
                Item.GOAL_AND_PLANNING,
                Item.YOUTH_RESPONSIBLE,
                Item.MUNICIPALITY_RESPONSIBLE,
                Item.START_AND_END,
                Item.FOLLOW_UP,
            ],
            id="a case with a measure and no plan lacks every item that applies to it",
        ),
        pytest.param(
            case(measures=(PARTNER_MEASURE_ENDED,), plan=None),
            list(Item),
            id="a case with an ended partner measure and no plan lacks all seven items",
        ),
        pytest.param(
            case(measures=(), plan=None), [], id="a case with no measure and no plan needs nothing"
        ),
        pytest.param(
            case(measures=(DECLINED,), plan=None),
            [],
            id="a youth who only declined offers needs no plan and lacks no item",
        ),
        pytest.param(
            case(measures=(DECLINED, attrs.evolve(DECLINED, id="m3")), plan=None),
            [],
            id="a youth who declined two offers still needs no plan",
        ),
        pytest.param(
            case(measures=(AGREED_NOT_STARTED, DECLINED), plan=None),
            [
                Item.GOAL_AND_PLANNING,
                Item.YOUTH_RESPONSIBLE,
                Item.MUNICIPALITY_RESPONSIBLE,
                Item.START_AND_END,
                Item.FOLLOW_UP,
            ],
            id="an agreed measure not yet started without a plan lacks items 1, 2, 3, 5 and 7",
        ),
        pytest.param(
            case(plan=full_plan().revised(PlanRevision(day=D(2026, 2, 1), measures=(planned(),)))),
            [Item.GOAL_AND_PLANNING],
            id="a revision without goal and planning lacks item 1 (measure follow-ups remain)",
        ),
        pytest.param(
            case(
                plan=full_plan(
                    planned(
                        responsibilities=(
                            Responsibility(
                                party=Party.MUNICIPALITY, name="KAA-enheten", task="Ordna plats"
                            ),
                        )
                    )
                )
            ),
            [Item.YOUTH_RESPONSIBLE],
            id="a measure that gives the youth no task lacks item 2",
        ),
        pytest.param(
            case(
                plan=full_plan(
                    planned(
                        responsibilities=(Responsibility(party=Party.YOUTH, task="Komma i tid"),)
                    )
                )
            ),
            [Item.MUNICIPALITY_RESPONSIBLE],
            id="a measure with no municipal unit responsible lacks item 3",
        ),
        pytest.param(
            case(measures=(PARTNER_MEASURE,), plan=full_plan()),
            [Item.OTHER_ACTOR_RESPONSIBLE],
            id="a measure with Arbetsförmedlingen that does not say what they do lacks item 4",
        ),
        pytest.param(
            case(
                measures=(PARTNER_MEASURE,),
                plan=full_plan(
                    planned(
                        responsibilities=(
                            *planned().responsibilities,
                            Responsibility(
                                party=Party.OTHER, name="Arbetsförmedlingen", task="Matchning"
                            ),
                        )
                    )
                ),
            ),
            [],
            id="a measure with Arbetsförmedlingen whose part is documented is complete",
        ),
        pytest.param(
            case(
                measures=(Measure(id="m1", type="work_placement", offered=D(2026, 1, 26)),),
                plan=full_plan(planned(planned_end=None)),
            ),
            [Item.START_AND_END],
            id="a measure with no planned or actual end lacks item 5",
        ),
        pytest.param(
            case(
                measures=(attrs.evolve(ENDED_MEASURE, end_reason=None),),
                plan=full_plan(),
            ),
            [Item.END_REASON],
            id="a measure that ended without a reason lacks item 6",
        ),
        pytest.param(
            case(
                measures=(attrs.evolve(ENDED_MEASURE, end_reason=None),),
                plan=full_plan(planned(end_explanation="Fick sommarjobb")),
            ),
            [],
            id="an ended measure explained in the plan has item 6",
        ),
        pytest.param(
            case(
                plan=IndividualPlan.made(
                    PlanRevision(
                        day=D(2026, 1, 26),
                        goal="Studier",
                        planning="Praktik",
                        measures=(planned(follow_ups=()),),
                    )
                )
            ),
            [Item.FOLLOW_UP],
            id="a plan without any follow-up day lacks item 7",
        ),
        pytest.param(
            case(
                measures=(
                    Measure(id="m1", type="work_placement", offered=D(2026, 1, 26), start=None),
                    Measure(
                        id="m2",
                        type="study_guidance",
                        offered=D(2026, 1, 26),
                        declined=True,
                        decline_reason="Har redan träffat SYV",
                    ),
                ),
                plan=full_plan(),
            ),
            [],
            id="a declined measure needs no documentation of its own",
        ),
        pytest.param(
            case(
                measures=(
                    Measure(id="m1", type="work_placement", offered=D(2026, 1, 26)),
                    Measure(id="m2", type="study_guidance", offered=D(2026, 1, 26)),
                ),
                plan=full_plan(),
            ),
            [
                Item.YOUTH_RESPONSIBLE,
                Item.MUNICIPALITY_RESPONSIBLE,
                Item.OTHER_ACTOR_RESPONSIBLE,
                Item.START_AND_END,
                Item.FOLLOW_UP,
            ],
            id="a measure the plan does not document lacks items 2 to 5 and 7",
        ),
    ],
)
def test_documentation_items(the_case: object, missing: list[DocumentationItem]) -> None:
    result = check_plan(the_case, catalogue=CATALOGUE)  # type: ignore[arg-type]
    assert list(result.missing_items()) == missing
    assert result.complete == (not missing and result.has_plan)


@pytest.mark.parametrize(
    ("the_case", "required"),
    [
        pytest.param(
            case(measures=(DECLINED,), plan=None),
            False,
            id="a youth who only declined offers does not need a plan",
        ),
        pytest.param(
            case(measures=(AGREED_NOT_STARTED,), plan=None),
            True,
            id="a youth with an agreed measure that has not started needs a plan",
        ),
        pytest.param(case(plan=None), True, id="a youth with a started measure needs a plan"),
        pytest.param(
            case(measures=(ENDED_MEASURE,), plan=None),
            True,
            id="a youth whose measure has ended needs a plan",
        ),
        pytest.param(
            case(measures=(DECLINED,), plan=full_plan(planned(measure_id="m2"))),
            True,
            id="a plan that exists is checked even when every offer was declined",
        ),
        pytest.param(
            case(measures=(), plan=None), False, id="a youth with no measure needs no plan"
        ),
    ],
)
def test_a_plan_is_needed_once_a_measure_is_agreed(the_case: object, required: bool) -> None:
    result = check_plan(the_case, catalogue=CATALOGUE)  # type: ignore[arg-type]
    assert result.required is required
    assert bool(result.missing) is (required and not result.has_plan)


def test_agreed_measures_are_those_not_declined() -> None:
    the_case = case(measures=(AGREED_NOT_STARTED, DECLINED))
    assert agreed_measures(the_case) == (AGREED_NOT_STARTED,)
    assert declined_offers(the_case) == (DECLINED,)


def test_every_missing_item_cites_the_forordning_and_names_the_measure() -> None:
    result = check_plan(case(measures=(PARTNER_MEASURE,), plan=full_plan()), catalogue=CATALOGUE)
    (item,) = result.missing
    assert item.citation.sfs == FORORDNING_2006_39.sfs
    assert "measure m1" in str(item)
    assert str(item).startswith("4. vad annan aktör ansvarar för")
    assert "(2006:39)" in str(item)


def test_the_seven_items_are_numbered_in_the_forordnings_order() -> None:
    assert [i.number for i in DocumentationItem] == [1, 2, 3, 4, 5, 6, 7]


def _five_cases() -> list[Case]:
    """A complete plan, none, no measure, a partner's measure, a declined measure."""
    return [
        case(plan=full_plan()),
        case(plan=None),
        case(measures=(), plan=None),
        case(measures=(PARTNER_MEASURE,), plan=full_plan()),
        case(measures=(DECLINED,), plan=None),
    ]


def test_the_summary_counts_complete_plans_and_missing_items() -> None:
    cases = _five_cases()
    summary = summarise(cases, catalogue=CATALOGUE)
    assert (summary.cases, summary.required, summary.with_plan, summary.complete) == (5, 3, 2, 1)
    assert summary.incomplete == 2
    counts = dict(summary.missing_by_item)
    assert counts[Item.OTHER_ACTOR_RESPONSIBLE] == 1
    assert counts[Item.GOAL_AND_PLANNING] == 1


def test_plan_checks_check_each_case_once_as_check_plan_does() -> None:
    cases = _five_cases()
    for catalogue in (CATALOGUE, None):
        checks = PlanChecks(catalogue)
        first = [checks(c) for c in cases]
        assert first == [check_plan(c, catalogue=catalogue) for c in cases]
        assert all(checks(c) is result for c, result in zip(cases, first, strict=True))
    # the catalogue counts: a partner's measure lacks item 4 only where the catalogue says so
    partner = cases[3]
    assert PlanChecks(CATALOGUE)(partner) != PlanChecks(None)(partner)
    # an equal case that is another object is checked on its own, with the same result
    checks = PlanChecks(CATALOGUE)
    again = attrs.evolve(cases[0])
    assert again is not cases[0]
    assert checks(again) == checks(cases[0])


def test_declined_offers_are_the_declined_measures_with_their_reasons() -> None:
    declined = Measure(
        id="m2", type="coaching", offered=D(2026, 2, 1), declined=True, decline_reason="Vill inte"
    )
    the_case = case(measures=(*case().measures, declined))
    assert declined_offers(the_case) == (declined,)


def test_a_plan_is_revised_never_overwritten() -> None:
    plan = full_plan()
    later = plan.revised(PlanRevision(day=D(2026, 3, 2), goal="Ny", planning="Ny", reason="ändrat"))
    assert plan.current.goal == "Börja på ett introduktionsprogram till hösten"
    assert later.revisions[0] == plan.current
    assert later.current.goal == "Ny"
    assert later.as_of(D(2026, 2, 1)) == plan.current
    assert later.as_of(D(2026, 1, 1)) is None


def test_a_revision_dated_before_the_current_one_is_refused() -> None:
    with pytest.raises(InvalidInput, match="revisions are kept in order"):
        full_plan().revised(PlanRevision(day=D(2026, 1, 1)))


def test_a_plan_that_documents_a_measure_the_case_lacks_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'m9'"):
        case(plan=full_plan(planned("m9")))


MADE = D(2026, 1, 31)


def bare_plan(*follow_ups: dt.date, made: dt.date = MADE) -> IndividualPlan:
    """A plan made on ``made`` that documents ``follow_ups`` and nothing else."""
    return IndividualPlan.made(PlanRevision(day=made, follow_ups=follow_ups))


@pytest.mark.parametrize(
    ("plan", "on", "end", "due"),
    [
        pytest.param(
            None, D(2026, 3, 1), None, None, id="in Askersund a case without a plan has nothing due"
        ),
        pytest.param(
            bare_plan(),
            D(2026, 2, 10),
            None,
            D(2026, 2, 28),
            id="in Askersund a plan made on 31 January is due a calendar month later, 28 February",
        ),
        pytest.param(
            bare_plan(),
            D(2026, 4, 1),
            None,
            D(2026, 2, 28),
            id="in Askersund a monthly follow-up not held is overdue, not moved forward",
        ),
        pytest.param(
            bare_plan().followed_up(D(2026, 3, 3)),
            D(2026, 3, 10),
            None,
            D(2026, 4, 3),
            id="in Askersund a follow-up held counts from its own day",
        ),
        pytest.param(
            full_plan(),
            D(2026, 2, 1),
            None,
            D(2026, 2, 26),
            id="in Askersund a follow-up day written in the plan before the monthly one wins",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30)),
            D(2026, 2, 10),
            None,
            D(2026, 2, 28),
            id="in Askersund the monthly follow-up comes before a later day written in the plan",
        ),
        pytest.param(
            bare_plan(),
            D(2026, 1, 20),
            None,
            None,
            id="in Askersund nothing is due before the plan was made",
        ),
        pytest.param(
            bare_plan(),
            D(2026, 3, 1),
            D(2026, 3, 1),
            None,
            id="in Askersund a case whose KAA has ended has no follow-up",
        ),
    ],
)
def test_askersunds_monthly_follow_up(
    plan: IndividualPlan | None, on: dt.date, end: dt.date | None, due: dt.date | None, hooks: Hooks
) -> None:
    the_case = case(municipality="1882", plan=plan, end=end)
    assert next_follow_up_due(the_case, on=on, policy=hooks.plan_follow_up_policy) == due


@pytest.mark.parametrize(
    ("plan", "on", "due", "overdue"),
    [
        pytest.param(
            bare_plan(),
            D(2026, 3, 10),
            None,
            False,
            id="in Stockholm a plan that documents no follow-up day has nothing due a month "
            "later (the national rule sets no interval; the plan lacks item 7)",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30)),
            D(2026, 3, 10),
            D(2026, 4, 30),
            False,
            id="in Stockholm the follow-up is due on the plan's own day, not a month later",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30)),
            D(2026, 4, 30),
            D(2026, 4, 30),
            False,
            id="in Stockholm on the plan's own follow-up day it is due, not yet overdue",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30)),
            D(2026, 5, 1),
            D(2026, 4, 30),
            True,
            id="in Stockholm the day after the plan's own follow-up day it is overdue",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30), D(2026, 6, 15)).followed_up(D(2026, 4, 30)),
            D(2026, 5, 10),
            D(2026, 6, 15),
            False,
            id="in Stockholm a follow-up held on the plan's day makes the next documented day due",
        ),
        pytest.param(
            bare_plan(D(2026, 4, 30)).followed_up(D(2026, 4, 30)),
            D(2026, 9, 1),
            None,
            False,
            id="in Stockholm once every documented follow-up is held nothing more is due",
        ),
        pytest.param(
            IndividualPlan.made(
                PlanRevision(
                    day=MADE,
                    measures=(planned(follow_ups=(D(2026, 3, 2),)),),
                )
            ),
            D(2026, 3, 3),
            D(2026, 3, 2),
            True,
            id="in Stockholm a measure's documented follow-up day counts as the plan's",
        ),
        pytest.param(
            bare_plan(D(2026, 3, 20)).revised(PlanRevision(day=D(2026, 2, 20))),
            D(2026, 4, 1),
            None,
            False,
            id="in Stockholm a revision that drops the follow-up day leaves nothing due",
        ),
    ],
)
def test_the_national_follow_up_is_the_plans_own_documented_days(
    plan: IndividualPlan, on: dt.date, due: dt.date | None, overdue: bool, hooks: Hooks
) -> None:
    measures = (Measure(id="m1", type="work_placement", offered=D(2026, 1, 26)),)
    stockholm = case(municipality="0180", measures=measures, plan=plan)
    got = next_follow_up_due(stockholm, on=on, policy=hooks.plan_follow_up_policy)
    assert got == due
    assert (got is not None and got < on) is overdue
    assert next_follow_up_due(stockholm, on=on) == due  # the default needs no hooks


@pytest.mark.parametrize(
    ("municipality", "rule_id", "citation"),
    [
        pytest.param(
            "0180",
            "kaa.plan.follow_up",
            "(2006:39)",
            id="Stockholm's follow-up rule is the national one and cites the förordning",
        ),
        pytest.param(
            "1882",
            "kaa.plan.follow_up.1882",
            "Askersunds kommun), Steg 4",
            id="Askersund's follow-up rule is its own and cites Steg 4 of its plan",
        ),
        pytest.param(
            "1488",
            "kaa.plan.follow_up",
            "(2006:39)",
            id="Trollhättan has no follow-up routine of its own and gets the national rule",
        ),
    ],
)
def test_each_municipality_gets_its_own_cited_follow_up_rule(
    municipality: str, rule_id: str, citation: str, hooks: Hooks
) -> None:
    timeline = hooks.plan_follow_up_policy(municipality)
    assert timeline.rule_id == rule_id
    assert citation in str(timeline.at(D(2026, 3, 1)).citation)


def test_the_national_default_cites_the_forordning_and_has_no_interval() -> None:
    (version,) = DEFAULT_FOLLOW_UP_POLICY.versions
    assert version.citation == FORORDNING_2006_39
    assert version.value == FollowUpPolicy.as_documented()
    assert version.value.every_months is None
    assert national_follow_up_policy("1882") is DEFAULT_FOLLOW_UP_POLICY


@pytest.mark.parametrize(
    ("months", "ok"),
    [
        pytest.param(0, False, id="a follow-up every 0 months is refused"),
        pytest.param(1, True, id="a follow-up every month is accepted"),
    ],
)
def test_a_follow_up_interval_is_at_least_a_month(months: int, ok: bool) -> None:
    if ok:
        assert FollowUpPolicy.every(months).due_after(D(2026, 1, 31)) == D(2026, 2, 28)
    else:
        with pytest.raises(InvalidInput, match="at least 1 month"):
            FollowUpPolicy.every(months)


def test_a_follow_up_file_is_read_in_the_one_dated_shape(tmp_path: Path) -> None:
    path = tmp_path / "follow_up.toml"
    path.write_text(
        'municipality = "0180"\nrule_id = "kaa.plan.follow_up.0180"\n\n'
        '[[versions]]\nstart = 2025-01-01\ntitle = "varannan månad"\n'
        "value = { every_months = 2 }\n"
        'citation = { title = "Rutin för KAA", issuer = "Stockholms stad" }\n\n'
        '[[versions]]\nstart = 2026-01-01\ntitle = "enligt planen"\nvalue = {}\n'
        'citation = { title = "Rutin för KAA", issuer = "Stockholms stad" }\n',
        encoding="utf-8",
    )
    timeline = load_follow_up_policy(path)
    assert timeline.rule_id == "kaa.plan.follow_up.0180"
    assert timeline.value_at(D(2025, 12, 31)) == FollowUpPolicy.every(2)
    assert timeline.value_at(D(2026, 1, 1)) == FollowUpPolicy.as_documented()


def test_a_wrong_follow_up_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "follow_up.toml"
    path.write_text(
        'rule_id = "kaa.plan.follow_up.0180"\n\n[[versions]]\nstart = 2025-01-01\n'
        'title = "x"\nvalue = { every_months = "1" }\ncitation = { title = "Rutin" }\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"follow_up\.toml: .*@ \$\.versions\[0\]\.value"):
        load_follow_up_policy(path)


class EveryTwoMonthsFrom2026:
    """A municipality that follows plans up every other month from 1 March 2026."""

    @hookimpl
    def kaa_plan_follow_up_policy(self, municipality: str) -> Timeline[FollowUpPolicy] | None:
        if municipality != "0180":
            return None
        ref = DocumentReference(title="Rutin för KAA", issuer="Stockholms stad")
        return Timeline(
            "kaa.plan.follow_up.0180",
            [
                Version(
                    start=D(2025, 1, 1),
                    value=FollowUpPolicy(every_months=1),
                    title="månadsvis",
                    citation=ref,
                ),
                Version(
                    start=D(2026, 3, 1),
                    value=FollowUpPolicy(every_months=2),
                    title="varannan månad",
                    citation=ref,
                ),
            ],
        )


@pytest.mark.parametrize(
    ("made", "due"),
    [
        pytest.param(D(2026, 2, 28), D(2026, 3, 28), id="the day before the change: monthly"),
        pytest.param(D(2026, 3, 1), D(2026, 5, 1), id="on the day of the change: every 2 months"),
    ],
)
def test_a_municipality_overrides_the_follow_up_policy(made: dt.date, due: dt.date) -> None:
    hooks = Hooks.with_plugins(EveryTwoMonthsFrom2026(), load_entrypoints=False)
    plan = IndividualPlan.made(PlanRevision(day=made))
    stockholm = case(municipality="0180", measures=(), plan=plan)
    assert next_follow_up_due(stockholm, on=made, policy=hooks.plan_follow_up_policy) == due
    askersund = case(measures=(), plan=plan)
    assert next_follow_up_due(askersund, on=made, policy=hooks.plan_follow_up_policy) == D(
        made.year, made.month + 1, made.day
    )


def test_a_policy_not_yet_in_force_is_a_clear_error() -> None:
    hooks = Hooks.with_plugins(EveryTwoMonthsFrom2026(), load_entrypoints=False)
    stockholm = case(
        municipality="0180", measures=(), plan=IndividualPlan.made(PlanRevision(day=D(2026, 1, 12)))
    )
    early = attrs.evolve(
        stockholm,
        registration=attrs.evolve(stockholm.registration, day=D(2024, 6, 1)),
        plan=IndividualPlan.made(PlanRevision(day=D(2024, 6, 3))),
    )
    with pytest.raises(RuleNotInForce, match=r"kaa\.plan\.follow_up\.0180"):
        next_follow_up_due(early, on=D(2024, 6, 10), policy=hooks.plan_follow_up_policy)


def test_blocking_the_default_policy_is_a_clear_error() -> None:
    from kaa.plugins.manager import make_plugin_manager

    hooks = Hooks(make_plugin_manager(load_entrypoints=False, blocked=["kaa.rules.plan"]))
    with pytest.raises(PluginError, match=r"kaa\.rules\.plan"):
        next_follow_up_due(
            case(municipality="0180", plan=full_plan()),
            on=D(2026, 2, 1),
            policy=hooks.plan_follow_up_policy,
        )


@given(
    made=st.dates(min_value=D(2026, 1, 12), max_value=D(2027, 12, 31)),
    held=st.lists(st.integers(min_value=0, max_value=400), max_size=5),
    later=st.integers(min_value=0, max_value=500),
)
def test_in_askersund_the_next_follow_up_is_within_a_month_of_the_last_one(
    made: dt.date, held: list[int], later: int
) -> None:
    hooks = hooks_with()
    plan = IndividualPlan.made(PlanRevision(day=made))
    for offset in held:
        plan = plan.followed_up(made + dt.timedelta(days=offset))
    on = made + dt.timedelta(days=later)
    due = next_follow_up_due(
        case(measures=(), plan=plan), on=on, policy=hooks.plan_follow_up_policy
    )
    last = plan.last_follow_up(on)
    assert last is not None
    assert due is not None
    assert last < due <= last + dt.timedelta(days=31)


@given(
    made=st.dates(min_value=D(2026, 1, 12), max_value=D(2027, 12, 31)),
    documented=st.lists(st.integers(min_value=-30, max_value=400), max_size=4),
    held=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
    later=st.integers(min_value=0, max_value=500),
)
def test_nationally_the_next_follow_up_is_a_documented_day_after_the_last_one(
    made: dt.date, documented: list[int], held: list[int], later: int
) -> None:
    hooks = hooks_with()
    days = tuple(made + dt.timedelta(days=n) for n in documented)
    plan = IndividualPlan.made(PlanRevision(day=made, follow_ups=days))
    for offset in held:
        plan = plan.followed_up(made + dt.timedelta(days=offset))
    on = made + dt.timedelta(days=later)
    due = next_follow_up_due(
        case(municipality="0180", measures=(), plan=plan),
        on=on,
        policy=hooks.plan_follow_up_policy,
    )
    last = plan.last_follow_up(on)
    assert last is not None
    after = sorted(d for d in days if d > last)
    assert due == (after[0] if after else None)


def test_a_plan_made_before_the_registration_is_refused() -> None:
    with pytest.raises(InvalidInput, match="before the registration"):
        case(plan=full_plan(day=D(2026, 1, 5)))
