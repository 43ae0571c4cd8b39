"""Merging across sources (:mod:`kaa.adapters.merge`): records of one youth combined, records
that disagree reported, and the register ⇄ cases join: one KAA case per youth, the register's
facts the current ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import strategies
from exports import NUMBERS
from kaa.adapters.base import Origin, SourceRecord
from kaa.adapters.merge import combine, join_cases, merge_records
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Address, Case, ContactDetails, Registration
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.testing import skatteverket_number

D = dt.date
ID = skatteverket_number(D(2008, 8, 12))
OTHER = skatteverket_number(D(2008, 9, 3))
A = IdentityNumber.parse(NUMBERS[0])
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


def test_the_registers_protected_identity_drops_the_case_files_address_and_says_so() -> None:
    # Until issue 11 the case file's facts were kept here, address and all: protection failed
    # open when the register and the case disagreed.
    details = ContactDetails(phone="070-1", address=ADDRESS)
    joined, summary, seen = join({ID: PROTECTED}, {}, [case(DOCUMENTED, contact_details=details)])
    assert joined == {ID: case(PROTECTED, contact_details=ContactDetails(phone="070-1"))}
    assert summary.problems == seen
    (problem,) = seen
    assert problem.file == "cases.jsonl"
    assert problem.youth == ID.masked()
    assert "protected identity" in problem.message
    assert "the address in the case file was not kept" in problem.message
    assert ID.full("long") not in str(problem)
    assert "Storgatan" not in str(problem)
    assert summary.rows_rejected == 0


@pytest.mark.parametrize(
    ("register", "documented", "on"),
    [
        pytest.param(PROTECTED, DOCUMENTED, None, id="the register protects, the case does not"),
        pytest.param(CURRENT, PROTECTED, None, id="the case protects, the register does not"),
        pytest.param(
            CURRENT,
            PROTECTED,
            D(2026, 11, 1),
            id="the case protects and the register's snapshot is merged with its history",
        ),
        pytest.param(
            PROTECTED, DOCUMENTED, D(2026, 11, 1), id="the register's snapshot protects the history"
        ),
    ],
)
def test_protected_identity_wins_in_the_join(
    register: Youth, documented: Youth, on: dt.date | None
) -> None:
    details = None if documented.has_protected_identity else ContactDetails(address=ADDRESS)
    summary = ReadSummary(file="cases.jsonl")
    joined = join_cases(
        {ID: register}, {}, [case(documented, contact_details=details)], summary=summary, on=on
    )
    joined_case = joined[ID]
    assert joined_case.youth.has_protected_identity
    assert all(r.basis is HomeBasis.PROTECTED for r in joined_case.youth.residences)
    assert joined_case.contact_details is None or joined_case.contact_details.address is None
    assert len(summary.problems) == (details is not None)


def test_a_register_case_of_a_protected_youth_is_kept_as_it_is() -> None:
    kept = case(PROTECTED, contact_details=ContactDetails(phone="070-1"))
    joined, _, seen = join({ID: PROTECTED}, {ID: kept}, [])
    assert joined == {ID: kept}
    assert seen == []


def record(
    youth: Youth,
    *,
    details: ContactDetails | None = None,
    file: str = "a.csv",
    case: Case | None = None,
) -> SourceRecord:
    return SourceRecord(
        youth=youth,
        origin=Origin(source="x", file=file, lines=(2,)),
        contact_details=details,
        case=case,
    )


HOME = Residence(municipality="1882")


ADDRESS = Address(street="Storgatan 1", postal_code="69630", city="Askersund")


@pytest.mark.parametrize(
    ("first", "second", "check"),
    [
        pytest.param(
            record(Youth(id=A, residences=(HOME,))),
            record(Youth(id=A, compulsory_school_completed=dt.date(2024, 6, 12))),
            lambda r: (
                r.youth.residences == (HOME,)
                and r.youth.compulsory_school_completed == dt.date(2024, 6, 12)
            ),
            id="facts known in only one record are combined",
        ),
        pytest.param(
            record(Youth(id=A), details=ContactDetails(phone="070-1", address=ADDRESS)),
            record(Youth(id=A, residences=(attrs.evolve(HOME, basis=HomeBasis.PROTECTED),))),
            lambda r: r.youth.has_protected_identity and r.contact_details.address is None,
            id="protected identity in either record drops the address",
        ),
        pytest.param(
            record(
                Youth(id=A),
                case=Case(
                    youth=Youth(id=A),
                    municipality="1882",
                    registration=Registration(day=dt.date(2026, 1, 5)),
                ),
            ),
            record(Youth(id=A, residences=(HOME,))),
            lambda r: r.case is not None and r.case.youth.residences == (HOME,),
            id="the case follows the merged youth",
        ),
    ],
)
def test_compatible_records_are_merged(
    first: SourceRecord, second: SourceRecord, check: Callable[[SourceRecord], bool]
) -> None:
    merged = merge_records(first, second)
    assert check(merged)
    assert merged.merged_from == (second.origin,)


def test_records_that_disagree_are_reported_and_the_first_kept() -> None:
    first = record(Youth(id=A, compulsory_school_completed=dt.date(2024, 6, 12)))
    second = record(Youth(id=A, compulsory_school_completed=dt.date(2023, 6, 10)), file="b.csv")
    summary = ReadSummary(file="combined")
    (kept,) = combine([first], [second], summary=summary)
    assert kept is first
    (problem,) = summary.problems
    assert problem.file == "b.csv"
    assert "day compulsory school was completed differs from a.csv line 2" in problem.message
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (2, 1, 1)


# -- the register's snapshot merged with the case's dated history ------------------------------

from kaa.adapters.merge import merge_history  # noqa: E402
from kaa.model.youth import HomeBasis as _Basis  # noqa: E402
from kaa.model.youth import Residence as _Residence  # noqa: E402
from kaa.model.youth import Youth as _Youth  # noqa: E402
from kaa.testing import skatteverket_number as _number  # noqa: E402

_D = dt.date
_ID = _number(_D(2009, 10, 23))
_ON = _D(2026, 12, 31)


def _y(*residences: _Residence) -> _Youth:
    return _Youth(id=_ID, residences=residences)


@pytest.mark.parametrize(
    ("documented", "snapshot", "merged"),
    [
        pytest.param(
            _y(
                _Residence(municipality="1882", end=_D(2026, 7, 28)),
                _Residence(municipality="0180", start=_D(2026, 7, 29)),
            ),
            _y(_Residence(municipality="0180")),
            _y(
                _Residence(municipality="1882", end=_D(2026, 7, 28)),
                _Residence(municipality="0180", start=_D(2026, 7, 29)),
            ),
            id="a youth who moved away keeps the months lived here",
        ),
        pytest.param(
            _y(_Residence(municipality="1882")),
            _y(_Residence(municipality="0180")),
            _y(
                _Residence(municipality="1882", end=_D(2026, 12, 30)),
                _Residence(municipality="0180", start=_ON),
            ),
            id="an undated move in the register starts on the snapshot day",
        ),
        pytest.param(
            _y(_Residence(municipality="1882", start=_D(2009, 10, 23))),
            _y(_Residence(municipality="1882")),
            _y(_Residence(municipality="1882", start=_D(2009, 10, 23))),
            id="the same residence on both sides stays one",
        ),
        pytest.param(
            _y(_Residence(municipality="1882")),
            _y(_Residence(municipality="1882", basis=_Basis.PROTECTED)),
            _y(
                _Residence(municipality="1882", end=_D(2026, 12, 30)),
                _Residence(municipality="1882", basis=_Basis.PROTECTED, start=_ON),
            ),
            id="a new basis from the register starts on the snapshot day",
        ),
        pytest.param(
            _y(),
            _y(_Residence(municipality="1882")),
            _y(_Residence(municipality="1882")),
            id="no documented history: the snapshot is kept",
        ),
        pytest.param(
            _y(_Residence(municipality="1882")),
            _y(),
            _y(_Residence(municipality="1882")),
            id="no residence in the snapshot: the history is kept",
        ),
    ],
)
def test_the_snapshot_merges_with_the_documented_history(
    documented: _Youth, snapshot: _Youth, merged: _Youth
) -> None:
    assert merge_history(documented, snapshot, on=_ON) == merged


def test_merging_three_records_keeps_no_address_once_one_protects() -> None:
    protected = attrs.evolve(HOME, basis=HomeBasis.PROTECTED)
    (kept,) = combine(
        [record(Youth(id=A, residences=(HOME,)), details=ContactDetails(address=ADDRESS))],
        [record(Youth(id=A, residences=(protected,)), file="b.json")],
        [record(Youth(id=A, residences=(HOME,)), file="c.csv", details=ContactDetails(phone="1"))],
    )
    assert kept.youth.residences == (protected,)
    assert kept.contact_details is not None
    assert kept.contact_details.address is None
    assert kept.contact_details.phone == "1"


def _merged_as_written(documented: Youth, snapshot: Youth, *, on: dt.date) -> Youth:
    """merge_history's rule spelt out step by step: cut, then join where the two meet."""
    if not documented.residences or not snapshot.residences:
        return attrs.evolve(snapshot, residences=snapshot.residences or documented.residences)
    before = on - dt.timedelta(days=1)
    history = [
        attrs.evolve(r, end=before if r.end is None or r.end > before else r.end)
        for r in documented.residences
        if r.start is None or r.start < on
    ]
    current = [
        attrs.evolve(r, start=on if r.start is None or r.start < on else r.start)
        for r in snapshot.residences
        if r.end is None or r.end >= on
    ]
    if history and current:
        last, first = history[-1], current[0]
        if (
            last.end == before
            and first.start == on
            and (last.municipality, last.basis) == (first.municipality, first.basis)
        ):
            history[-1] = attrs.evolve(last, end=first.end)
            current = current[1:]
    return attrs.evolve(snapshot, residences=tuple(dict.fromkeys([*history, *current])))


_NEAR = st.sampled_from([None, *(_ON + dt.timedelta(days=n) for n in range(-2, 2))])
"""No day, or a day at the edges of the snapshot day, where cutting and joining differ."""


@st.composite
def _residences_near_the_day(draw: st.DrawFn) -> tuple[Residence, ...]:
    """Residences starting and ending around the snapshot day, in two municipalities."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(_NEAR), draw(_NEAR)
        if start is not None and end is not None and end < start:
            start, end = end, start
        found.append(
            Residence(
                municipality=draw(st.sampled_from(["1882", "0180"])),
                basis=draw(st.sampled_from([HomeBasis.FOLKBOKFORD, HomeBasis.PROTECTED])),
                start=start,
                end=end,
            )
        )
    return tuple(found)


@given(strategies.youths(), _residences_near_the_day(), _residences_near_the_day())
def test_the_merged_history_is_the_rule_spelt_out(
    youth: Youth, documented: tuple[Residence, ...], snapshot: tuple[Residence, ...]
) -> None:
    old, new = attrs.evolve(youth, residences=documented), attrs.evolve(youth, residences=snapshot)
    assert merge_history(old, new, on=_ON) == _merged_as_written(old, new, on=_ON)
