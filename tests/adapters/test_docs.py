"""The "Connect your register" pages show the profiles the library actually ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.adapters.builtin import builtin_sources
from kaa.adapters.profile import BUILTIN_PROFILES, builtin_profile

DOCS = Path(__file__).parents[2] / "docs" / "connect"


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_each_vendor_page_shows_its_default_profile_table(name: str) -> None:
    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    assert builtin_profile(name).markdown() in page
    assert "must" in page
    assert "real export" in page


@pytest.mark.parametrize("name", [s.name for s in builtin_sources()])
def test_every_builtin_source_is_on_the_overview_page(name: str) -> None:
    assert f"`{name}`" in (DOCS / "index.md").read_text(encoding="utf-8")
