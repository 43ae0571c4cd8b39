"""The reviewed snapshot of Askersund's timetable over a year (tests/snapshots/)."""

from __future__ import annotations

from snapshot_generators import all_snapshots, check
from snapshot_generators.askersund_schedule import NAME, SAMPLE_CASES, generate


def test_the_askersund_schedule_matches_the_reviewed_snapshot() -> None:
    check(NAME, generate)


def test_the_snapshot_is_registered_for_the_regeneration_script() -> None:
    assert all_snapshots()[NAME] is generate


def test_the_sample_cases_use_distinct_youths() -> None:
    ids = [c.youth.id for c in SAMPLE_CASES.values()]
    assert len(set(ids)) == len(ids)
