"""Writing target-group decisions as CSV or JSON.

Identity numbers are masked unless the caller asks for them whole (``reveal_ids=True``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from kaa.formats.cells import spreadsheet_writer
from kaa.rules.target_group import Decision, Reason

__all__ = ["DECISION_COLUMNS", "decision_record", "write_decisions_csv", "write_decisions_json"]

DECISION_COLUMNS = (
    "id",
    "day",
    "in_target_group",
    "outcome",
    "ages_out",
    "home_municipality",
    "failed_conditions",
    "reasons",
    "rule_version",
)
"""The columns of the decision CSV."""


def _id(decision: Decision, reveal_ids: bool) -> str:
    return decision.youth.full("separated_long") if reveal_ids else decision.youth.masked()


def decision_record(decision: Decision, *, reveal_ids: bool = False) -> dict[str, Any]:
    """A decision as plain data, with every reason, its rule id and citation."""
    return {
        "id": _id(decision, reveal_ids),
        "day": decision.day.isoformat(),
        "in_target_group": decision.in_target_group,
        "outcome": decision.outcome.value,
        "ages_out": decision.ages_out.isoformat(),
        "home_municipality": decision.home_municipality,
        "rule_version": decision.version.start.isoformat(),
        "reasons": [
            {
                "condition": r.condition.code,
                "rule_id": r.rule_id,
                "holds": r.holds,
                "settled": r.settled,
                "citation": str(r.citation),
                "also": [str(c) for c in r.also],
                "explanation": r.explanation,
            }
            for r in decision.reasons
        ],
    }


def write_decisions_csv(
    decisions: Iterable[Decision], stream: IO[str], *, reveal_ids: bool = False
) -> int:
    """Write one row per decision; ``reasons`` holds the failing conditions (or, for a youth
    in the target group, all six) as ``T1: explanation [citation]`` joined by `` | ``.

    Returns:
        The number of rows written.
    """
    writer = spreadsheet_writer(stream, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    count = 0
    rendered: dict[Reason, str] = {}  # reasons are shared between youths: render each once
    for d in decisions:
        failed = d.failed
        texts = []
        for r in failed or d.reasons:
            text = rendered.get(r)
            if text is None:
                if len(rendered) >= 100_000:
                    rendered.clear()
                text = rendered[r] = f"{r.condition.code}: {r.explanation} [{r.citation}]"
            texts.append(text)
        writer.writerow(
            (
                _id(d, reveal_ids),
                d.day.isoformat(),
                "yes" if d.in_target_group else "no",
                d.outcome.value,
                d.ages_out.isoformat(),
                d.home_municipality or "",
                " ".join(r.condition.code for r in failed),
                " | ".join(texts),
                d.version.start.isoformat(),
            )
        )
        count += 1
    return count


def write_decisions_json(
    decisions: Iterable[Decision], stream: IO[str], *, reveal_ids: bool = False
) -> int:
    """Write the decisions as a JSON array, streaming one object at a time.

    Returns:
        The number of decisions written.
    """
    count = 0
    stream.write("[")
    for d in decisions:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(decision_record(d, reveal_ids=reveal_ids), ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count
