"""Shared fixtures and the hypothesis profiles.

Profiles (choose one with ``HYPOTHESIS_PROFILE``; ``make test`` uses ``ci``):

- ``dev`` — hypothesis' own defaults (100 examples, a random seed each run);
- ``ci`` — the same number of examples, derandomised so a CI run can be repeated exactly, and
  no per-example deadline (a loaded CI machine must not fail a correct test);
- ``fuzz`` — many more examples, for a long local run of the properties.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import settings

from kaa.cli import main
from kaa.plugins.manager import Hooks
from kaa.testing import hooks_with
from yearfiles import DATA, DAY

settings.register_profile("dev")
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("fuzz", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def hooks() -> Hooks:
    """A fresh plugin facade for one test: the built-in plugins only (nothing installed on the
    machine, nothing blocked by the environment)."""
    return hooks_with()


@pytest.fixture(scope="session", name="outputs")
def year_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """``kaa year`` run once on the bundled example data (Askersund, :data:`yearfiles.DAY`):
    its exit status, what it printed on standard error, and the output directory.

    Shared by the tests of the command (``tests/commands/test_year.py``) and of the use case
    (``tests/test_year.py``, which compares its own outputs with these).
    """
    out = tmp_path_factory.mktemp("year")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(
            [
                "year",
                str(DATA / "askersund-ist.csv"),
                "--cases",
                str(DATA / "cases.jsonl"),
                "--municipality",
                "1882",
                "--on",
                DAY.isoformat(),
                "-o",
                str(out),
            ]
        )
    return status, err.getvalue(), out
