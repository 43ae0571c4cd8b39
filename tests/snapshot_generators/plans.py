"""Snapshot: individual plans — follow-up days over a year, documentation items, consent.

- ``follow_ups``: for sample plans in Askersund (monthly follow-up, the library default), every
  due day over a year when each follow-up is held on the day it is due;
- ``documentation``: the missing items of sample cases against Askersund's catalogue;
- ``consent``: for a youth who turns 18 during KAA, the answer of ``may_share`` for each
  counterpart on every day something changes.

Youths are Skatteverket test numbers, masked.
"""

from __future__ import annotations

import datetime as dt

import attrs

from casefactory import ENDED_MEASURE, case, full_plan, planned
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    ConsentGiver,
    Counterpart,
    IndividualPlan,
    PlanRevision,
)
from kaa.plugins.manager import Hooks
from kaa.rules.consent import may_share
from kaa.rules.plan import check_plan, next_follow_up_due
from snapshot_generators import dump

__all__ = ["SNAPSHOTS", "plans"]

D = dt.date
NAME = "plans-1882.json"


def _follow_ups(made: dt.date, hooks: Hooks) -> list[str]:
    the_case = case(plan=IndividualPlan.made(PlanRevision(day=made)))
    plan = the_case.plan
    assert plan is not None
    days: list[str] = []
    on = made
    while len(days) < 12:
        due = next_follow_up_due(the_case, on=on, policy=hooks.plan_follow_up_policy)
        assert due is not None
        days.append(due.isoformat())
        plan = plan.followed_up(due)
        the_case = case(plan=plan)
        on = due
    return days


def _consent() -> list[dict[str, object]]:
    minor = D(2009, 6, 2)  # 18 on 2027-06-02
    events = (
        ConsentEvent(day=D(2026, 2, 2), action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL),
        ConsentEvent(
            day=D(2026, 2, 9),
            action=ConsentAction.GRANT,
            counterpart=Counterpart.SCHOOL,
            given_by=ConsentGiver.GUARDIAN,
        ),
        ConsentEvent(
            day=D(2026, 2, 9),
            action=ConsentAction.GRANT,
            counterpart=Counterpart.ARBETSFORMEDLINGEN,
        ),
        ConsentEvent(
            day=D(2026, 9, 1),
            action=ConsentAction.REVOKE,
            counterpart=Counterpart.SCHOOL,
            given_by=ConsentGiver.GUARDIAN,
        ),
    )
    the_case = case(born=minor, measures=(), consents=events, end=D(2027, 9, 1))
    days = sorted(
        {D(2026, 1, 12), D(2027, 6, 1), D(2027, 6, 2), D(2027, 9, 1)} | {e.day for e in events}
    )
    rows: list[dict[str, object]] = []
    for day in days:
        for counterpart in (Counterpart.SCHOOL, Counterpart.ARBETSFORMEDLINGEN):
            decision = may_share(the_case, counterpart, on=day)
            rows.append(
                {
                    "day": day.isoformat(),
                    "counterpart": counterpart.value,
                    "allowed": decision.allowed,
                    "reason": decision.reason,
                }
            )
    return rows


def _documentation(hooks: Hooks) -> dict[str, list[str]]:
    catalogue = hooks.measure_catalogue("1882")
    samples = {
        "complete except the workplace's part": case(plan=full_plan()),
        "no plan": case(plan=None),
        "ended measure without a reason": case(
            measures=(attrs.evolve(ENDED_MEASURE, end_reason=None),),
            plan=full_plan(planned(planned_end=None)),
        ),
    }
    return {
        name: [str(m) for m in check_plan(c, catalogue=catalogue).missing]
        for name, c in samples.items()
    }


def plans() -> str:
    """The snapshot's text."""
    hooks = Hooks.with_plugins(load_entrypoints=False)
    return dump(
        {
            "follow_ups": {
                made.isoformat(): _follow_ups(made, hooks)
                for made in (D(2026, 1, 31), D(2026, 2, 15))
            },
            "documentation": _documentation(hooks),
            "consent": _consent(),
        }
    )


SNAPSHOTS = {NAME: plans}
