"""The reviewed snapshot of plans, follow-ups and consent (tests/snapshots/plans-1882.json)."""

from __future__ import annotations

from snapshot_generators import check
from snapshot_generators.plans import NAME, plans


def test_the_plans_snapshot_matches_a_fresh_run() -> None:
    check(NAME, plans)
