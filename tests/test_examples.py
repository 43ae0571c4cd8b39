"""The runnable examples under ``examples/`` (jupytext percent scripts) run without error."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("[0-9][0-9]_*.py"))


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 1


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: f"{p.name} runs")
def test_example_runs(
    script: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


README = Path(__file__).parent.parent / "README.md"


def test_the_readme_python_example_runs_and_prints_what_it_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "the README has a Python example"
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, str(README), "exec"), namespace)
        for line in block.splitlines():
            expression, _, comment = line.partition("#")
            if comment.strip() and not line.startswith(" ") and "=" not in expression:
                shown = repr(eval(expression.strip(), namespace))
                assert shown == comment.strip(), line
    assert "T1 holds" in capsys.readouterr().out
