"""Benchmark: documentation checks over a national-scale register, as ratios to a baseline.

Builds N synthetic cases (default 60,000 — the most youths SCB has counted in a half-year
since 2018; synthetic interim numbers only), a quarter with a measure, an individual plan and
consent events, at N/10, N/2 and N, ``--repeat`` times each in a fresh child process (the
script itself, ``--child SIZE``), and times with :func:`time.process_time` in that process:

- ``baseline``: unstructuring every case to plain data (``kaa.convert.to_dict``), the work of
  writing the cases file once;
- ``summarise``: the seven-item completeness check over all cases;
- ``next_follow_up_due``: the follow-up day of every case;
- ``may_share``: one consent question per case;
- ``privacy``: the sensitive-term check of every free-text field.

Each figure is a CPU-time ratio to the baseline of the same run, given as min/median/max over
the runs, with the child's peak memory (the cases built, and every step over them). Results
are printed with the goals of ``summary.py`` beside them (none of these has a goal in an
issue) and written to ``benchmarks/out/bench_plans.json``. Usage::

    python benchmarks/bench_plans.py [--n 60000] [--sizes SIZE ...] [--repeat 3] [--quick]

``--quick`` measures N = 2,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from _measure import (
    add_size_options,
    chosen_sizes,
    entry,
    json_child,
    memory_entry,
    ratios,
    spread,
    write_results,
)

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
N, QUICK_N = 60_000, 2_000
STEPS = ("summarise", "next_follow_up_due", "may_share", "privacy")


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


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def child(n: int) -> dict[str, float]:
    """One run at ``n`` cases: the CPU seconds of the baseline and of every step."""
    cases = [_case(i) for i in range(n)]
    hooks = Hooks.with_plugins(load_entrypoints=False)
    catalogue = hooks.measure_catalogue("1882")
    return {
        "baseline": _cpu(lambda: [to_dict(c, reveal_ids=False) for c in cases]),
        "summarise": _cpu(lambda: summarise(cases, catalogue=catalogue)),
        "next_follow_up_due": _cpu(
            lambda: [
                next_follow_up_due(c, on=DAY, policy=hooks.plan_follow_up_policy) for c in cases
            ]
        ),
        "may_share": _cpu(lambda: [may_share(c, Counterpart.SCHOOL, on=DAY) for c in cases]),
        "privacy": _cpu(lambda: list(check_cases(cases, terms=hooks.sensitive_terms))),
    }


def _measure(size: int, repeat: int) -> dict[str, Any]:
    runs = [json_child([sys.executable, __file__, "--child", str(size)]) for _ in range(repeat)]
    return {
        "n": size,
        "cpu_s": {k: spread([r[k] for r in runs], 4) for k in ("baseline", *STEPS)},
        "ratio_to_baseline": {k: ratios(runs, k, "baseline") for k in STEPS},
        "peak_rss_mb": round(max(r["peak_rss_kib"] for r in runs) / 1024, 1),
        "_kib": [r["peak_rss_kib"] for r in runs],
    }


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_size_options(parser, n=N, quick_n=QUICK_N, out="bench_plans.json", noun="cases")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    chosen = chosen_sizes(args, n=N, quick_n=QUICK_N)
    results = [_measure(size, args.repeat) for size in chosen]
    figures: list[dict[str, Any] | None] = [
        entry(
            f"plans: {step} / unstructure every case",
            r["n"],
            r["ratio_to_baseline"][step],
            peak_kib=r["_kib"],
        )
        for r in results
        for step in STEPS
    ]
    small, large = results[0], results[-1]
    figures.append(
        memory_entry(
            "plans: peak memory per case", small["n"], small["_kib"], large["n"], large["_kib"]
        )
    )
    for r in results:
        r.pop("_kib")
    summary = {"n": chosen[-1], "day": DAY.isoformat(), "sizes": results}
    write_results(__file__, summary, figures, out=args.out, quick=args.quick, repeat=args.repeat)


if __name__ == "__main__":
    main()
