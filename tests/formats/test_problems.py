"""Problems with input rows and the read summary that counts them (:mod:`kaa.formats.problems`)."""

from __future__ import annotations

import pytest

from kaa.errors import InvalidInput
from kaa.formats.problems import Problem, ReadSummary, add_problem


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        pytest.param(
            Problem(file="a.csv", line=3, message="not a date"),
            "a.csv:3: not a date",
            id="a problem reads file:line: message",
        ),
        pytest.param(
            Problem(file="a.csv", line=3, column="start", message="not a date"),
            "a.csv:3: column start: not a date",
            id="the column follows the line",
        ),
        pytest.param(
            Problem(file="a.csv", line=3, youth="20080812-****", message="not a date"),
            "a.csv:3: [20080812-****] not a date",
            id="the masked number of the row is shown in brackets",
        ),
        pytest.param(
            Problem(
                file="a.csv", line=3, column="start", youth="20080812-****", message="not a date"
            ),
            "a.csv:3: column start: [20080812-****] not a date",
            id="column and masked number together",
        ),
    ],
)
def test_a_problem_says_where_and_who(problem: Problem, text: str) -> None:
    assert str(problem) == text


@pytest.mark.parametrize(
    ("error", "column"),
    [
        pytest.param(
            InvalidInput("not a date", column="start"), "start", id="a named column is kept"
        ),
        pytest.param(
            InvalidInput("not a code", column=4), "4", id="a column number becomes its text"
        ),
        pytest.param(InvalidInput("too short"), None, id="an error of the whole row has no column"),
    ],
)
def test_a_problem_from_an_error_keeps_its_message_and_column(
    error: InvalidInput, column: str | None
) -> None:
    problem = Problem.from_error(error, file="a.csv", line=7, youth="20080812-****")
    assert problem == Problem(
        file="a.csv", line=7, column=column, youth="20080812-****", message=error.message
    )


def test_a_summary_is_ok_only_without_rejected_rows_or_problems() -> None:
    summary = ReadSummary(file="a.csv", rows_read=2, rows_accepted=2, records=1)
    assert summary.ok
    summary.problems.append(Problem(file="a.csv", line=2, message="a notice"))
    assert not summary.ok
    assert not ReadSummary(file="a.csv", rows_read=1, rows_rejected=1).ok


def test_a_summary_reads_as_its_counts() -> None:
    summary = ReadSummary(file="a.csv", rows_read=5, rows_accepted=4, rows_rejected=1, records=2)
    summary.problems.append(Problem(file="a.csv", line=3, message="not a date"))
    assert str(summary) == "a.csv: 5 rows read, 4 accepted, 1 rejected; 2 records, 1 problems"


def test_summaries_do_not_share_their_problems() -> None:
    first, second = ReadSummary(file="a.csv"), ReadSummary(file="b.csv")
    first.problems.append(Problem(file="a.csv", line=1, message="x"))
    assert second.problems == []


def test_add_problem_records_it_and_hands_it_on() -> None:
    summary = ReadSummary(file="a.csv")
    seen: list[Problem] = []
    problem = Problem(file="a.csv", line=2, message="not a date")
    add_problem(summary, seen.append, problem)
    add_problem(summary, None, problem)
    assert summary.problems == [problem, problem]
    assert seen == [problem]


def test_a_callback_that_raises_stops_the_read_after_the_problem_is_recorded() -> None:
    class Stop(Exception):
        pass

    def stop(problem: Problem) -> None:
        raise Stop(problem)

    summary = ReadSummary(file="a.csv")
    problem = Problem(file="a.csv", line=2, message="not a date")
    with pytest.raises(Stop):
        add_problem(summary, stop, problem)
    assert summary.problems == [problem]
