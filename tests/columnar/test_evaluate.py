"""The rule over columns (:mod:`kaa.columnar.evaluate`)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from kaa.errors import PluginError, RuleNotInForce
from kaa.formats.cells import spreadsheet_writer

pl = pytest.importorskip("polars")

from kaa.columnar.canonical import plan_file, read_chunks, rows_frame  # noqa: E402
from kaa.columnar.evaluate import Evaluator, csv_cell  # noqa: E402

HEADER = "id,record,kind,programme,municipality,start,end,cancelled\n"


@pytest.mark.parametrize(
    "value",
    ["T1: plain", 'T3: says "counts", with a comma', "=1+1", "line\nbreak", "-x", "a\rb"],
    ids=["plain", "quotes and comma", "formula", "line break", "minus", "carriage return"],
)
def test_a_cell_is_written_as_the_spreadsheet_writer_writes_it(value: str) -> None:
    out = io.StringIO()
    spreadsheet_writer(out, lineterminator="\n").writerow([value, ""])
    assert csv_cell(value) + ",\n" == out.getvalue()


def _decide(tmp_path, text: str, evaluator: Evaluator) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """Every chunk of the file decided, in file order."""
    day = evaluator.on
    path = tmp_path / "y.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    plan = plan_file(path, day)
    frames = []
    for chunk in read_chunks(path, plan):
        rows, regions = rows_frame(chunk, plan)
        assert regions == []
        frames.append(evaluator.decide(rows))
    return pl.concat(frames)


def test_each_distinct_set_of_facts_is_decided_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    day = dt.date(2025, 11, 23)
    text = "".join(
        f"{n},residence,,,1882,,,\n{n},compulsory_school,,,,2022-06-12,,\n"
        for n in ("200611202383", "200611202391")
    )
    evaluator = Evaluator(on=day, municipality="1882", rulings={})
    decided = _decide(tmp_path, text, evaluator)
    assert decided["outcome"].to_list() == ["in", "in"]
    assert decided["first"].to_list() == [2, 4]
    assert len(evaluator._reasons) == 6  # one reason per condition, shared by both youths


def test_an_open_question_without_a_ruling_is_a_plugin_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    day = dt.date(2026, 11, 23)
    text = "200611202383,enrolment,komvux,none,,2025-08-18,,\n"
    with pytest.raises(PluginError, match="komvux"):
        _decide(tmp_path, text, Evaluator(on=day, municipality=None, rulings={}))


def test_a_day_before_the_rule_is_not_in_force() -> None:
    with pytest.raises(RuleNotInForce):
        Evaluator(on=dt.date(2014, 12, 31), municipality=None, rulings={})
