"""``kaa plans``: check each case's documentation — the seven items, the next follow-up, free text.

For every case that lacks a documentation item of förordning (2006:39), or whose free text
holds a likely sensitive term, one line per finding is printed; then a summary ("how many
youths have a complete plan")::

    kaa plans cases.jsonl --on 2026-11-23
    kaa plans --store sqlite:///kaa.db --municipality 1882 --on 2026-11-23

Identity numbers are masked. Sensitive-term findings are warnings for the case worker to
rephrase; they never change the exit status. On a store every case read is audit-logged
with the purpose ``kaa plans``.
"""

from __future__ import annotations

import argparse
from typing import IO

from kaa.commands.common import add_cases_arguments, cases_from, day_argument
from kaa.law import FORORDNING_2006_39
from kaa.plugins.manager import Hooks
from kaa.rules.measures import Catalogue
from kaa.rules.plan import PlanCompleteness, PlanSummary, check_plan, next_follow_up_due
from kaa.rules.privacy import TermChecker, check_case

__all__ = ["add_parser"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa plans`` to the command line."""
    p = commands.add_parser(
        "plans",
        help="check the documentation of measures: the seven items, follow-ups, free text",
        description=(
            "For each case: the documentation items of förordning (2006:39) that are missing, "
            "whether the plan's follow-up is overdue on DAY, and likely sensitive terms in "
            "free text (a warning to rephrase). Ends with a summary over all cases."
        ),
    )
    add_cases_arguments(p, help="cases, canonical .jsonl/.json")
    p.add_argument("--on", required=True, type=day_argument, metavar="DAY", help="YYYY-MM-DD")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    hooks = Hooks.default()
    with cases_from(args, on_problem=lambda p: print(p, file=err)) as read:
        cases = list(read)
    summary = read.summary
    catalogues: dict[str, Catalogue] = {}
    checkers: dict[str, TermChecker] = {}
    law = FORORDNING_2006_39
    overdue = 0
    results: list[PlanCompleteness] = []
    for case in cases:
        code = case.municipality
        if code not in catalogues:
            catalogues[code] = hooks.measure_catalogue(code)
            checkers[code] = TermChecker(hooks.sensitive_terms(code))
        result = check_plan(case, catalogue=catalogues[code])
        results.append(result)
        if result.required and not result.has_plan:
            numbers = ", ".join(str(i.number) for i in result.missing_items())
            print(f"{case.id}\tno plan\tno individual plan: items {numbers} missing ({law})")
        else:
            for missing in result.missing:
                print(f"{case.id}\tmissing\t{missing}")
        due = next_follow_up_due(case, on=args.on, policy=hooks.plan_follow_up_policy)
        if due is not None and due < args.on:
            overdue += 1
            print(f"{case.id}\tfollow-up\tdue {due.isoformat()}, not held by {args.on}")
        for warning in check_case(case, checker=checkers[code]):
            print(f"{case.id}\tsensitive\t{warning}")
    counts = PlanSummary.of(results)
    print(
        f"{summary}\n{counts.cases} cases, {counts.required} need documentation, "
        f"{counts.with_plan} have a plan, {counts.complete} complete, {overdue} follow-ups "
        "overdue",
        file=err,
    )
    return 0 if summary.rows_rejected == 0 else 1
