"""Benchmark: documentation checks over a national-scale register, as ratios to a baseline.

Builds N synthetic cases (default 60,000 — the most youths SCB has counted in a half-year
since 2018; synthetic interim numbers only), a quarter with a measure, an individual plan and
consent events. In the same run it times:

- ``baseline``: unstructuring every case to plain data (``kaa.convert.to_dict``), the work of
  writing the cases file once;
- ``summarise``: the seven-item completeness check over all cases;
- ``next_follow_up_due``: the follow-up day of every case;
- ``may_share``: one consent question per case;
- ``privacy``: the sensitive-term check of every free-text field.

Each figure is the best of ``--repeat`` runs, reported as a ratio to the baseline. Results are
printed and written to ``benchmarks/out/bench_plans.json``. Usage::

    python benchmarks/bench_plans.py [--n 60000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

from kaa.convert import to_dict
from kaa.model.case import Case, Measure, Registration
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    Counterpart,
    IndividualPlan,
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
)
from kaa.model.youth import Residence, Youth
from kaa.plugins.manager import Hooks
from kaa.rules.consent import may_share
from kaa.rules.plan import next_follow_up_due, summarise
from kaa.rules.privacy import check_cases
from kaa.testing import interim_number

DAY = dt.date(2026, 11, 23)
REGISTERED = dt.date(2026, 1, 12)


def _case(i: int) -> Case:
    born = dt.date(2007, 1, 1) + dt.timedelta(days=i % 1400)
    youth = Youth(id=interim_number(born, i % 1000), residences=(Residence(municipality="1882"),))
    registration = Registration(day=REGISTERED + dt.timedelta(days=i % 60))
    if i % 4:
        return Case(youth=youth, municipality="1882", registration=registration)
    start = registration.day + dt.timedelta(days=14)
    measure = Measure(id="m1", type="work_placement", offered=start, start=start)
    plan = IndividualPlan.made(
        PlanRevision(
            day=start,
            goal="Börja på ett introduktionsprogram till hösten",
            planning="Praktik under våren och samtal med studie- och yrkesvägledare",
            follow_ups=(start + dt.timedelta(days=30),),
            measures=(
                PlannedMeasure(
                    measure_id="m1",
                    purpose="Prova på ett yrke och få referenser",
                    responsibilities=(
                        Responsibility(party=Party.YOUTH, task="Komma i tid"),
                        Responsibility(
                            party=Party.MUNICIPALITY, name="KAA-enheten", task="Ordna plats"
                        ),
                    ),
                    planned_start=start,
                    planned_end=start + dt.timedelta(days=90),
                ),
            ),
        )
    )
    consents = (
        ConsentEvent(day=start, action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL),
        ConsentEvent(
            day=start + dt.timedelta(days=60),
            action=ConsentAction.REVOKE,
            counterpart=Counterpart.SCHOOL,
        ),
    )
    return Case(
        youth=youth,
        municipality="1882",
        registration=registration,
        measures=(measure,),
        plan=plan,
        consents=consents,
    )


def _best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [_case(i) for i in range(args.n)]
    hooks = Hooks.with_plugins(load_entrypoints=False)
    catalogue = hooks.measure_catalogue("1882")
    timings = {
        "baseline": _best(args.repeat, lambda: [to_dict(c, reveal_ids=False) for c in cases]),
        "summarise": _best(args.repeat, lambda: summarise(cases, catalogue=catalogue)),
        "next_follow_up_due": _best(
            args.repeat,
            lambda: [
                next_follow_up_due(c, on=DAY, policy=hooks.plan_follow_up_policy) for c in cases
            ],
        ),
        "may_share": _best(
            args.repeat, lambda: [may_share(c, Counterpart.SCHOOL, on=DAY) for c in cases]
        ),
        "privacy": _best(args.repeat, lambda: list(check_cases(cases, hooks=hooks))),
    }
    base = timings["baseline"]
    results = {
        "n": args.n,
        "seconds": {k: round(v, 4) for k, v in timings.items()},
        "ratio_to_baseline": {k: round(v / base, 3) for k, v in timings.items()},
    }
    print(json.dumps(results, indent=2))
    target = Path(__file__).parent / "out" / "bench_plans.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
