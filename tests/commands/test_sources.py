"""``kaa sources``: the register sources listed, one source's column profile shown
(:mod:`kaa.commands.sources`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.cli import main


def test_kaa_sources_lists_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    for name in ("ist", "ber", "hypernet", "ss12000", "canonical"):
        assert f"\n{name} " in f"\n{out}"


def test_kaa_sources_shows_a_profile_with_a_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nid = "Elev-ID"\n', encoding="utf-8")
    assert main(["sources", "ist", "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "Elev-ID" in out
    assert str(mapping) in out


@pytest.mark.parametrize("name", ["ss12000", "scb", "canonical"])
def test_kaa_sources_explains_sources_without_a_column_profile(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", name]) == 0
    assert "no column profile" in capsys.readouterr().out
