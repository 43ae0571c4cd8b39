"""The plan and consent records: validation, and round-trips through the cases file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefactory import REGISTERED, case, full_plan, planned
from kaa.convert import structure, to_dict
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.model.case import Case
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    ConsentGiver,
    Counterpart,
    IndividualPlan,
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
)

D = dt.date


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"party": Party.YOUTH, "task": "  "},
            "needs a task",
            id="a responsibility without a task is refused",
        ),
        pytest.param(
            {"party": Party.MUNICIPALITY, "task": "Ordna plats"},
            "must name the unit",
            id="the municipality's responsibility must name the unit",
        ),
        pytest.param(
            {"party": Party.OTHER, "task": "Matchning", "name": " "},
            "must name",
            id="another actor's responsibility must name the actor",
        ),
        pytest.param(
            {"party": Party.YOUTH, "task": "Komma i tid", "name": "Kim"},
            "takes no name",
            id="the youth's own responsibility takes no name",
        ),
    ],
)
def test_responsibility_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Responsibility(**kwargs)  # type: ignore[arg-type]


def test_a_plan_without_revisions_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least one revision"):
        IndividualPlan(revisions=())


def test_a_revision_listing_a_measure_twice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="twice"):
        PlanRevision(day=D(2026, 2, 1), measures=(planned(), planned()))


def test_a_planned_end_before_the_planned_start_is_refused() -> None:
    with pytest.raises(InvalidInput):
        PlannedMeasure(measure_id="m1", planned_start=D(2026, 3, 1), planned_end=D(2026, 2, 1))


def test_follow_up_days_are_kept_sorted_and_unique() -> None:
    revision = PlanRevision(
        day=D(2026, 2, 1),
        follow_ups=(D(2026, 4, 1), D(2026, 3, 1), D(2026, 4, 1)),
        measures=(planned(follow_ups=(D(2026, 3, 15),)),),
    )
    assert revision.follow_ups == (D(2026, 3, 1), D(2026, 4, 1))
    assert revision.all_follow_ups() == (D(2026, 3, 1), D(2026, 3, 15), D(2026, 4, 1))


def test_a_case_with_plan_and_consents_round_trips_through_the_cases_file(tmp_path: Path) -> None:
    plan = full_plan().revised(
        PlanRevision(day=D(2026, 3, 2), goal="Nytt mål", planning="Ny plan", reason="ändrat")
    )
    consents = (
        ConsentEvent(
            day=D(2026, 1, 26), action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL
        ),
        ConsentEvent(
            day=D(2026, 1, 26),
            action=ConsentAction.GRANT,
            counterpart=Counterpart.RELATIVE,
            name="Moster Eva",
            given_by=ConsentGiver.YOUTH,
        ),
        ConsentEvent(
            day=D(2026, 3, 1), action=ConsentAction.REVOKE, counterpart=Counterpart.SCHOOL
        ),
    )
    original = case(plan=plan, consents=consents)
    path = tmp_path / "cases.jsonl"
    write_cases([original], path)
    (back,) = read_cases(path)
    assert back == original


def test_a_case_written_before_plans_existed_still_loads() -> None:
    data = to_dict(case(), reveal_ids=True)
    del data["plan"], data["consents"]
    loaded = structure(data, Case)
    assert loaded.plan is None
    assert loaded.consents == ()


events = st.builds(
    ConsentEvent,
    day=st.dates(min_value=REGISTERED, max_value=D(2030, 12, 31)),
    action=st.sampled_from(ConsentAction),
    counterpart=st.sampled_from(Counterpart),
    name=st.just("Namn Namnsson"),
    given_by=st.sampled_from(ConsentGiver),
)


@given(st.lists(events, max_size=6))
def test_consent_events_round_trip_and_stay_sorted(history: list[ConsentEvent]) -> None:
    the_case = case(measures=(), consents=tuple(history))
    back = structure(to_dict(the_case, reveal_ids=True), Case)
    assert back == the_case
    keys = [(e.day, e.action is ConsentAction.REVOKE) for e in back.consents]
    assert keys == sorted(keys)


texts = st.none() | st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ", min_size=1, max_size=20)
days = st.dates(min_value=D(2026, 1, 12), max_value=D(2027, 12, 31))


@st.composite
def plans(draw: st.DrawFn) -> IndividualPlan:
    """A plan of one to three revisions documenting the factory case's measure m1."""
    first = draw(days)
    revision_days = sorted([first, *draw(st.lists(days.filter(lambda d: d >= first), max_size=2))])
    revisions = []
    for day in revision_days:
        start = draw(st.none() | days)
        measures = draw(
            st.lists(
                st.builds(
                    PlannedMeasure,
                    measure_id=st.just("m1"),
                    purpose=texts,
                    responsibilities=st.lists(
                        st.sampled_from(
                            [
                                Responsibility(party=Party.YOUTH, task="komma i tid"),
                                Responsibility(
                                    party=Party.MUNICIPALITY, name="KAA-enheten", task="ordna"
                                ),
                                Responsibility(party=Party.OTHER, name="AF", task="matcha"),
                            ]
                        ),
                        max_size=3,
                    ).map(tuple),
                    planned_start=st.just(start),
                    planned_end=st.none() if start is None else st.none() | st.just(start),
                    follow_ups=st.lists(days, max_size=3).map(tuple),
                    result=texts,
                ),
                max_size=1,
            ).map(tuple)
        )
        revisions.append(
            PlanRevision(
                day=day,
                goal=draw(texts),
                planning=draw(texts),
                measures=measures,
                follow_ups=tuple(draw(st.lists(days, max_size=3))),
                reason=draw(texts),
            )
        )
    return IndividualPlan(
        revisions=tuple(revisions),
        follow_ups_held=tuple(draw(st.lists(days.filter(lambda d: d >= first), max_size=3))),
    )


@given(plans())
def test_cases_with_any_plan_round_trip(plan: IndividualPlan) -> None:
    the_case = case(plan=plan)
    assert structure(to_dict(the_case, reveal_ids=True), Case) == the_case


def test_a_follow_up_held_before_the_plan_was_made_is_refused() -> None:
    with pytest.raises(InvalidInput, match="before the plan was made"):
        full_plan().followed_up(D(2026, 1, 20))
