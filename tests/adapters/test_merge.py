"""The register ⇄ cases join: one KAA case per youth, the register's facts the current ones."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from kaa.adapters.merge import join_cases
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Case, ContactDetails, Registration
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.testing import skatteverket_number

D = dt.date
ID = skatteverket_number(D(2008, 8, 12))
OTHER = skatteverket_number(D(2008, 9, 3))
DOCUMENTED = Youth(id=ID, residences=(Residence(municipality="1882"),))
CURRENT = attrs.evolve(DOCUMENTED, compulsory_school_completed=D(2024, 6, 10))
PROTECTED = attrs.evolve(
    DOCUMENTED, residences=(Residence(municipality="1882", basis=HomeBasis.PROTECTED),)
)


def case(youth: Youth, registered: dt.date = D(2026, 8, 20), **kw: object) -> Case:
    return Case(
        youth=youth,
        municipality="1882",
        registration=Registration(day=registered),
        **kw,  # type: ignore[arg-type]
    )


def join(
    youths: dict[IdentityNumber, Youth],
    from_register: dict[IdentityNumber, Case],
    documented: list[Case],
) -> tuple[dict[IdentityNumber, Case], ReadSummary, list[Problem]]:
    summary = ReadSummary(file="cases.jsonl")
    seen: list[Problem] = []
    joined = join_cases(youths, from_register, documented, summary=summary, on_problem=seen.append)
    return joined, summary, seen


@pytest.mark.parametrize(
    ("youths", "from_register", "documented", "expected"),
    [
        pytest.param(
            {ID: CURRENT},
            {},
            [case(DOCUMENTED)],
            {ID: case(CURRENT)},
            id="a documented case gets the register's current facts about the youth",
        ),
        pytest.param(
            {},
            {},
            [case(DOCUMENTED)],
            {ID: case(DOCUMENTED)},
            id="a case of a youth the register does not hold keeps its own facts",
        ),
        pytest.param(
            {ID: CURRENT, OTHER: Youth(id=OTHER)},
            {OTHER: case(Youth(id=OTHER))},
            [case(DOCUMENTED)],
            {OTHER: case(Youth(id=OTHER)), ID: case(CURRENT)},
            id="a youth with a case only in the export keeps the export's case",
        ),
        pytest.param(
            {ID: CURRENT},
            {ID: case(CURRENT)},
            [case(DOCUMENTED, D(2026, 9, 1))],
            {ID: case(CURRENT, D(2026, 9, 1))},
            id="a documented case replaces the export's case of the same youth",
        ),
    ],
)
def test_join_cases(
    youths: dict[IdentityNumber, Youth],
    from_register: dict[IdentityNumber, Case],
    documented: list[Case],
    expected: dict[IdentityNumber, Case],
) -> None:
    joined, summary, seen = join(youths, from_register, documented)
    assert joined == expected
    assert list(joined) == list(expected)
    assert summary.problems == seen == []


def test_facts_that_do_not_fit_the_case_keep_the_case_and_say_so() -> None:
    documented = case(DOCUMENTED, contact_details=ContactDetails(address="Storgatan 1"))
    joined, summary, seen = join({ID: PROTECTED}, {}, [documented])
    assert joined == {ID: documented}
    assert summary.problems == seen
    (problem,) = seen
    assert problem.file == "cases.jsonl"
    assert problem.youth == ID.masked()
    assert "the case file's facts were kept" in problem.message
    assert "protected identity" in problem.message
    assert ID.full("long") not in str(problem)
    assert summary.rows_rejected == 0
