"""The one per-youth row-grouping engine, and the two readers built on it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.adapters import SourceSummary, open_source
from kaa.errors import InvalidInput
from kaa.formats.canonical import CSV_COLUMNS, read_youths_csv
from kaa.formats.grouping import SeenYouths, YouthRows, compact_key, group_youth_rows
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.testing import interim_number

DAY = dt.date(2026, 11, 23)
A = "20061123-2398"
A_SHORT = "0611232398"
B = "20070302-2392"
BAD = "20080812-2395"


def group(
    rows: list[tuple[int, str, str]], **options: object
) -> tuple[list[tuple[str, list[int], bool]], ReadSummary]:
    """Group ``(line, id, cell)`` rows; a cell ``bad`` cannot be read."""
    summary = ReadSummary(file="f")

    def add(youth: YouthRows, cell: str, line: int) -> None:
        if cell == "bad":
            raise InvalidInput("a bad cell", column="cell")

    found = list(
        group_youth_rows(
            rows,
            parse=lambda raw: IdentityNumber.parse(raw, on=DAY),
            start=YouthRows,
            add=add,
            finish=lambda y: (y.id.masked(), y.lines, y.bad),
            returned=lambda first: f"back (first on line {first})",
            id_column="id",
            file="f",
            summary=summary,
            **options,  # type: ignore[arg-type]
        )
    )
    return found, summary


@pytest.mark.parametrize(
    ("rows", "options", "youths", "problems"),
    [
        pytest.param(
            [(2, A, ""), (3, A_SHORT, ""), (4, B, "")],
            {},
            [("20061123-****", [2, 3], False), ("20070302-****", [4], False)],
            [],
            id="consecutive rows of one number in any written form are one youth",
        ),
        pytest.param(
            [(2, A, ""), (3, B, ""), (4, A, ""), (5, A, "")],
            {},
            [("20061123-****", [2], False), ("20070302-****", [3], False)],
            [
                "f:4: column id: [20061123-****] back (first on line 2)",
                "f:5: column id: [20061123-****] back (first on line 2)",
            ],
            id="a youth whose rows come back is reported row by row, not double-counted",
        ),
        pytest.param(
            [(2, A, ""), (3, BAD, ""), (4, A, "")],
            {},
            [("20061123-****", [2, 4], False)],
            ["f:3: column id: "],
            id="a row with an invalid number neither starts nor ends a youth",
        ),
        pytest.param(
            [(2, "", ""), (3, A, "")],
            {"missing": "no number"},
            [("20061123-****", [3], False)],
            ["f:2: column id: no number"],
            id="a row without a number is reported with the format's message",
        ),
        pytest.param(
            [(2, A, "bad"), (3, A, "bad"), (4, B, "")],
            {},
            [("20061123-****", [2, 3], True), ("20070302-****", [4], False)],
            [
                "f:2: column cell: [20061123-****] a bad cell",
                "f:3: column cell: [20061123-****] a bad cell",
            ],
            id="every row that cannot be read is reported and marks its youth bad",
        ),
        pytest.param(
            [(2, A, "bad"), (3, A, "bad")],
            {"skip_after_problem": True},
            [("20061123-****", [2, 3], True)],
            ["f:2: column cell: [20061123-****] a bad cell"],
            id="a format may skip a bad youth's later rows, still counting them as its own",
        ),
    ],
)
def test_the_grouping_rule(
    rows: list[tuple[int, str, str]],
    options: dict[str, object],
    youths: list[tuple[str, list[int], bool]],
    problems: list[str],
) -> None:
    found, summary = group(rows, **options)
    assert found == youths
    assert len(summary.problems) == len(problems)
    for problem, start in zip(summary.problems, problems, strict=True):
        assert str(problem).startswith(start)
    engine_rejected = sum(1 for p in summary.problems if p.column == "id")
    assert summary.rows_rejected == engine_rejected


def test_a_youth_is_handed_on_before_the_next_youths_problems() -> None:
    order: list[str] = []
    summary = ReadSummary(file="f")
    rows = [(2, A, ""), (3, B, ""), (4, A, "")]
    for masked in group_youth_rows(
        rows,
        parse=IdentityNumber.parse,
        start=YouthRows,
        add=lambda y, cell, line: None,
        finish=lambda y: y.id.masked(),
        returned=lambda first: "back",
        id_column="id",
        file="f",
        summary=summary,
        on_problem=lambda p: order.append(f"problem {p.line}"),
    ):
        order.append(f"youth {masked}")
    assert order == ["youth 20061123-****", "youth 20070302-****", "problem 4"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("20061123-2398", "20070302-2392", id="two personnummer"),
        pytest.param(
            "20061123-2398",
            interim_number(dt.date(2006, 11, 23), 0).full("long"),
            id="a personnummer and an interim number of the same birth date",
        ),
    ],
)
def test_compact_keys_of_different_numbers_differ(a: str, b: str) -> None:
    assert compact_key(IdentityNumber.parse(a)) != compact_key(IdentityNumber.parse(b))


def _canonical(ids: list[str]) -> list[Problem]:
    text = ",".join(CSV_COLUMNS) + "\n" + "".join(f"{i},residence,,,1882,,,\n" for i in ids)
    summary = ReadSummary(file="youths.csv")
    list(read_youths_csv(io.StringIO(text), file="youths.csv", summary=summary, reference_day=DAY))
    return summary.problems


def _ist(ids: list[str], tmp_path: Path) -> list[Problem]:
    path = tmp_path / "ist.csv"
    path.write_text(
        "Personnummer;Folkbokföringskommun\n" + "".join(f"{i};1882\n" for i in ids),
        encoding="utf-8",
    )
    summary = SourceSummary(file=str(path))
    list(open_source("ist", path, summary=summary, reference_day=DAY))
    return summary.problems


@pytest.mark.parametrize(
    ("read", "message"),
    [
        pytest.param(
            lambda ids, _: _canonical(ids),
            "youths.csv:4: column id: [20061123-****] this youth's rows appeared earlier in the "
            "file; keep all rows of a youth together (this row was not used)",
            id="the canonical CSV keeps its message",
        ),
        pytest.param(
            _ist,
            "ist.csv:4: column Personnummer: [20061123-****] this youth's rows started on line "
            "2 and another youth's rows came in between; keep a youth's rows together (this "
            "row was not used)",
            id="a register list export keeps its message, naming the first line",
        ),
    ],
)
def test_both_readers_report_a_returning_youth_through_the_engine(
    read: object, message: str, tmp_path: Path
) -> None:
    problems = read([A, B, A], tmp_path)  # type: ignore[operator]
    assert [str(p).replace(str(tmp_path) + "/", "") for p in problems] == [message]


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.integers(-(10**13), 10**13), unique=True, max_size=300),
    buffer=st.integers(1, 50),
    probes=st.lists(st.integers(-(10**13), 10**13), max_size=50),
)
def test_the_youths_seen_are_remembered_exactly_whatever_the_merges(
    keys: list[int], buffer: int, probes: list[int]
) -> None:
    seen = SeenYouths()
    seen.BUFFER = buffer  # merge often
    for line, key in enumerate(keys, start=2):
        assert seen.get(key) is None
        seen.add(key, line)
    assert len(seen) == len(keys)
    expected = {key: line for line, key in enumerate(keys, start=2)}
    for key in [*keys, *probes]:
        assert seen.get(key) == expected.get(key)
