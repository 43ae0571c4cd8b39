"""Shared fixtures and the hypothesis profiles.

Profiles (choose one with ``HYPOTHESIS_PROFILE``; ``make test`` uses ``ci``):

- ``dev`` — hypothesis' own defaults (100 examples, a random seed each run);
- ``ci`` — the same number of examples, derandomised so a CI run can be repeated exactly, and
  no per-example deadline (a loaded CI machine must not fail a correct test);
- ``fuzz`` — many more examples, for a long local run of the properties.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from kaa.plugins.manager import Hooks
from kaa.testing import hooks_with

settings.register_profile("dev")
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("fuzz", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def hooks() -> Hooks:
    """A fresh plugin facade for one test: the built-in plugins only (nothing installed on the
    machine, nothing blocked by the environment)."""
    return hooks_with()
