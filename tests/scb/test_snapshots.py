"""The reviewed snapshots of the example register's submission (tests/snapshots/)."""

from __future__ import annotations

import pytest

from snapshot_generators import check
from snapshot_generators.scb_submission import SNAPSHOTS


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("scb-1882-2026H2.txt", id="the example upload file is the reviewed one"),
        pytest.param(
            "scb-1882-2026H2-checks.json", id="the example check report is the reviewed one"
        ),
    ],
)
def test_snapshot(name: str) -> None:
    check(name, SNAPSHOTS[name])
