"""The docs notebooks (jupytext percent scripts under ``docs/notebooks/``) run without error
and make what they say: a pandas table of decisions and a chart of follow-up figures."""

from __future__ import annotations

import runpy
from pathlib import Path

import jupytext
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("[a-z]*.py"))
NOTEBOOKS = [p for p in NOTEBOOKS if p.name != "conftest.py"]


def test_there_is_a_notebook_and_a_page_for_each() -> None:
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        page = path.with_suffix(".md").read_text(encoding="utf-8")
        assert f'--8<-- "docs/notebooks/{path.name}"' in page


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.name} is a jupytext notebook")
def test_a_notebook_reads_as_a_jupyter_notebook(path: Path) -> None:
    notebook = jupytext.read(path)
    kinds = {cell.cell_type for cell in notebook.cells}
    assert kinds == {"markdown", "code"}


def test_the_decisions_notebook_makes_its_table_and_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAA_EXAMPLE_DATA", str(ROOT / "examples" / "data"))
    monkeypatch.setenv("KAA_CHART_DIR", str(tmp_path))
    namespace = runpy.run_path(str(ROOT / "docs" / "notebooks" / "decisions.py"))
    frame = namespace["frame"]
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(namespace["youths"]) > 0
    assert set(frame["outcome"]) <= {"in", "out", "undecided"}
    assert frame["id"].str.endswith("-****").all()
    chart = tmp_path / "kaa-channels.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "youths decided on 2026-11-23" in out
    assert "chart written to kaa-channels.png" in out
