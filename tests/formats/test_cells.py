"""Cells that leave the library: no formula in a spreadsheet, no control character on a
terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefactory import case
from kaa.formats.cells import FORMULA_START, spreadsheet_cell, spreadsheet_writer, terminal_text
from kaa.formats.problems import Problem
from kaa.model.case import Channel
from kaa.testing import hooks_with
from kaa.worklist import build_worklist, format_table, write_worklist_csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        pytest.param(
            '=HYPERLINK("http://x";"klicka")',
            '\'=HYPERLINK("http://x";"klicka")',
            id="a formula is escaped",
        ),
        pytest.param("+46 70 000 00 00", "'+46 70 000 00 00", id="a leading plus is escaped"),
        pytest.param("-3", "'-3", id="a leading minus is escaped"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="a leading at sign is escaped"),
        pytest.param("\t=1", "'\t=1", id="a leading tab is escaped"),
        pytest.param("\r=1", "'\r=1", id="a leading carriage return is escaped"),
        pytest.param("Anna = Bertil", "Anna = Bertil", id="an equals sign inside is left alone"),
        pytest.param("", "", id="an empty cell is left alone"),
        pytest.param(dt.date(2026, 1, 2), dt.date(2026, 1, 2), id="a date is left alone"),
    ],
)
def test_a_cell_that_would_start_a_formula_is_escaped(cell: object, written: object) -> None:
    assert spreadsheet_cell(cell) == written


def test_the_spreadsheet_writer_escapes_every_text_cell() -> None:
    out = io.StringIO()
    spreadsheet_writer(out, lineterminator="\n").writerows([["=1+1", "ok", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok", "3"]]


_CELLS = st.one_of(
    st.text(st.sampled_from([*FORMULA_START, "a", "'", '"', ",", "\n", "1", "Å"]), max_size=6),
    st.integers(),
    st.dates(),
    st.none(),
    st.sampled_from(list(Channel)),
)


@given(st.lists(st.lists(_CELLS, max_size=6), max_size=5))
def test_the_writer_writes_what_csv_writes_of_the_escaped_cells(rows: list[list[object]]) -> None:
    out, expected = io.StringIO(), io.StringIO()
    spreadsheet_writer(out, lineterminator="\n").writerows(rows)
    csv.writer(expected, lineterminator="\n").writerows(
        [[spreadsheet_cell(cell) for cell in row] for row in rows]
    )
    assert out.getvalue() == expected.getvalue()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("Anna\x1b[2J", "Anna[2J", id="an escape sequence loses its escape"),
        pytest.param("ding\x07", "ding", id="a bell is removed"),
        pytest.param("abc\x08\x08x", "abcx", id="backspaces are removed"),
        pytest.param("over\rwrite", "overwrite", id="a carriage return is removed"),
        pytest.param(
            "two\nlines\tand a tab", "two\nlines\tand a tab", id="line breaks and tabs stay"
        ),
        pytest.param("\u202etxt.exe", "txt.exe", id="a direction override is removed"),
        pytest.param("Åsa Öberg", "Åsa Öberg", id="letters stay"),
    ],
)
def test_terminal_text_has_no_control_characters(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


def test_a_problem_printed_to_a_terminal_has_no_control_characters() -> None:
    problem = Problem(file="f.csv", line=2, column="Namn\x1b]0;x\x07", message="bad \x1b[31mred")
    assert "\x1b" not in str(problem)
    assert "\x07" not in str(problem)


def test_the_worklist_csv_escapes_a_case_workers_formula() -> None:
    planted = attrs.evolve(case(measures=()), case_worker='=HYPERLINK("http://x")\x1b[2J')
    worklist = build_worklist([planted], on=dt.date(2026, 2, 1), hooks=hooks_with())
    assert worklist.items
    out = io.StringIO()
    write_worklist_csv(worklist, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["case_worker"] for r in rows} == {'\'=HYPERLINK("http://x")\x1b[2J'}
    assert "\x1b" not in format_table(worklist)
