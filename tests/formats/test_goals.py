"""Goals files: ``[[goal]]`` tables read through the converter, with every fault named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaa.errors import ConfigurationError
from kaa.formats.goals import Goal, load_goals
from kaa.municipal import askersund

GOAL = '[[goal]]\nlabel_sv = "x"\nfigure = "f"\nrow = "r"\ncolumn = "c"\ndirection = "raise"\n'


def test_a_goals_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "goals.toml"
    path.write_text(GOAL.replace('"raise"', '"at_least"\ntarget = 50'), encoding="utf-8")
    assert load_goals(path) == (
        Goal(label_sv="x", figure="f", row="r", column="c", direction="at_least", target=50.0),
    )


# Pinned before the loader moved to kaa.convert, then changed on purpose: every message reads
# ``file: message @ $.path`` and names the key itself (not the goal and a Python error).

GOAL_KEYS = "column, direction, figure, label_sv, row, source, target"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            ('"raise"', '"at_least"'),
            "goals.toml: this direction needs a target @ $.goal[0].target",
            id="a target direction without a target is refused",
        ),
        pytest.param(
            ("row =", "colour = 1\nrow ="),
            f"goals.toml: unknown key(s): colour (allowed: {GOAL_KEYS}) @ $.goal[0].colour",
            id="an unknown key is refused",
        ),
        pytest.param(
            ('row = "r"\n', ""),
            "goals.toml: required key missing @ $.goal[0].row",
            id="a missing key is named",
        ),
        pytest.param(
            ('"raise"', '"sideways"'),
            "goals.toml: 'sideways' is not one of: raise, lower, at_least, at_most "
            "@ $.goal[0].direction",
            id="an unknown direction lists the directions",
        ),
        pytest.param(
            ('"raise"', '"at_least"\ntarget = "half"'),
            "goals.toml: must be a number, not text @ $.goal[0].target",
            id="a target written as text is refused",
        ),
        pytest.param(
            ('label_sv = "x"', "label_sv = 1"),
            "goals.toml: must be text, not a whole number @ $.goal[0].label_sv",
            id="a label written as a number is refused",
        ),
    ],
)
def test_the_loaders_messages_are_pinned(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "goals.toml"
    path.write_text(GOAL.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        load_goals(path)
    assert str(info.value).replace(str(path), "goals.toml") == message


def test_the_shipped_goals_load() -> None:
    (goal,) = askersund.goals()
    assert goal.direction == "raise"
    assert goal.figure == "kaa.followup.returned_to_studies"
