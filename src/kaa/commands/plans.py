"""``kaa plans``: check each case's documentation — the seven items, the next follow-up, free text.

For every case that lacks a documentation item of förordning (2006:39), or whose free text
holds a likely sensitive term, one line per finding is printed; then a summary ("how many
youths have a complete plan")::

    kaa plans cases.jsonl --on 2026-11-23

Identity numbers are masked. Sensitive-term findings are warnings for the case worker to
rephrase; they never change the exit status.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from kaa.commands.common import day_argument
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
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
    p.add_argument("cases", type=Path, metavar="CASES", help="cases, canonical .jsonl/.json")
    p.add_argument("--on", required=True, type=day_argument, metavar="DAY", help="YYYY-MM-DD")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, err: IO[str]) -> int:
    hooks = Hooks.default()
    summary = ReadSummary(file=str(args.cases))
    cases = list(read_cases(args.cases, summary=summary, on_problem=lambda p: print(p, file=err)))
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
