"""The facts about a youth (:mod:`kaa.model.youth`): the invariants that always hold, which
residence and enrolment hold on a day, and what each basis and qualification means.

Round trips through plain data and the canonical files are in ``tests/test_convert.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

from kaa.errors import InvalidInput
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Labelled,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.testing import skatteverket_number

D = dt.date
ID = skatteverket_number(D(2008, 8, 12))


@pytest.mark.parametrize(
    ("build", "column", "words"),
    [
        pytest.param(
            lambda: Residence(municipality="9999"),
            "municipality",
            "unknown municipality code '9999'",
            id="a residence in a kommunkod that does not exist is refused",
        ),
        pytest.param(
            lambda: Residence(municipality="1882", start=D(2024, 1, 2), end=D(2024, 1, 1)),
            "end",
            "end 2024-01-01 is before start 2024-01-02",
            id="a residence that ends before it starts is refused",
        ),
        pytest.param(
            lambda: Enrolment(
                school_form=SchoolForm.KOMVUX, start=D(2024, 8, 19), end=D(2024, 8, 18)
            ),
            "end",
            "end 2024-08-18 is before start 2024-08-19",
            id="an enrolment that ends before it starts is refused",
        ),
    ],
)
def test_impossible_facts_are_refused_with_the_column(
    build: Callable[[], object], column: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        build()
    assert raised.value.column == column
    assert words in raised.value.message


def test_a_residence_or_enrolment_may_start_and_end_on_the_same_day() -> None:
    day = D(2024, 8, 19)
    assert Residence(municipality="1882", start=day, end=day).covers(day)
    assert Enrolment(school_form=SchoolForm.KOMVUX, start=day, end=day).covers(day)


@pytest.mark.parametrize(
    ("residence", "day", "covers"),
    [
        pytest.param(Residence(municipality="1882"), D(1900, 1, 1), True, id="no dates: always"),
        pytest.param(
            Residence(municipality="1882", start=D(2024, 3, 1)),
            D(2024, 2, 29),
            False,
            id="not on the day before its start",
        ),
        pytest.param(
            Residence(municipality="1882", start=D(2024, 3, 1)),
            D(2024, 3, 1),
            True,
            id="on its first day",
        ),
        pytest.param(
            Residence(municipality="1882", end=D(2024, 3, 1)),
            D(2024, 3, 1),
            True,
            id="on its last day",
        ),
        pytest.param(
            Residence(municipality="1882", end=D(2024, 3, 1)),
            D(2024, 3, 2),
            False,
            id="not on the day after its end",
        ),
    ],
)
def test_a_residence_covers_the_days_from_start_to_end(
    residence: Residence, day: dt.date, covers: bool
) -> None:
    assert residence.covers(day) is covers


@pytest.mark.parametrize(
    ("day", "covers"),
    [
        pytest.param(D(2024, 8, 18), False, id="an enrolment does not cover the day before it"),
        pytest.param(D(2024, 8, 19), True, id="an enrolment covers its first day"),
        pytest.param(D(2099, 1, 1), True, id="an open enrolment covers every later day"),
    ],
)
def test_an_open_enrolment_covers_every_day_from_its_start(day: dt.date, covers: bool) -> None:
    enrolment = Enrolment(school_form=SchoolForm.GYMNASIESKOLA, start=D(2024, 8, 19))
    assert enrolment.covers(day) is covers


ASKERSUND = Residence(municipality="1882", start=D(2008, 8, 12), end=D(2025, 6, 30))
OREBRO = Residence(municipality="1880", start=D(2025, 7, 1))
OVERLAP = Residence(municipality="0180", start=D(2025, 1, 1))


@pytest.mark.parametrize(
    ("residences", "day", "expected"),
    [
        pytest.param((ASKERSUND, OREBRO), D(2025, 6, 30), ASKERSUND, id="before a move"),
        pytest.param((ASKERSUND, OREBRO), D(2025, 7, 1), OREBRO, id="on the day of a move"),
        pytest.param(
            (ASKERSUND, OVERLAP),
            D(2025, 3, 1),
            OVERLAP,
            id="of two residences on the day, the latest-starting one",
        ),
        pytest.param(
            (OVERLAP, ASKERSUND),
            D(2025, 3, 1),
            OVERLAP,
            id="the latest-starting one whatever the order",
        ),
        pytest.param((OREBRO,), D(2025, 6, 30), None, id="none before the first residence"),
    ],
)
def test_the_residence_on_a_day(
    residences: tuple[Residence, ...], day: dt.date, expected: Residence | None
) -> None:
    assert Youth(id=ID, residences=residences).residence_on(day) == expected


@pytest.mark.parametrize(
    ("bases", "protected"),
    [
        pytest.param((), False, id="a youth without residences has no protected identity"),
        pytest.param((HomeBasis.FOLKBOKFORD,), False, id="folkbokförd is not protected"),
        pytest.param(
            (HomeBasis.FOLKBOKFORD, HomeBasis.PROTECTED),
            True,
            id="one protected residence, past or present, protects the youth",
        ),
    ],
)
def test_protected_identity(bases: tuple[HomeBasis, ...], protected: bool) -> None:
    residences = tuple(Residence(municipality="1882", basis=b) for b in bases)
    assert Youth(id=ID, residences=residences).has_protected_identity is protected


@pytest.mark.parametrize(
    ("basis", "gives"),
    [
        pytest.param(HomeBasis.FOLKBOKFORD, True, id="folkbokförd gives a home municipality"),
        pytest.param(HomeBasis.RESIDENT, True, id="living there without folkbokföring gives one"),
        pytest.param(HomeBasis.PROTECTED, True, id="protected registration gives one"),
        pytest.param(HomeBasis.ASYLUM_SEEKER, False, id="an asylum seeker has none in KAA"),
        pytest.param(HomeBasis.UNDOCUMENTED, False, id="staying without permission gives none"),
    ],
)
def test_which_bases_give_a_home_municipality(basis: HomeBasis, gives: bool) -> None:
    assert basis.gives_home_municipality is gives


@pytest.mark.parametrize(
    ("kind", "degree", "equivalent"),
    [
        pytest.param(QualificationKind.GYMNASIEEXAMEN, True, False, id="gymnasieexamen is T4"),
        pytest.param(
            QualificationKind.GYMNASIESKOLEBEVIS, True, False, id="gymnasieskolebevis is T4"
        ),
        pytest.param(QualificationKind.STUDIEBEVIS, False, False, id="a studiebevis is neither"),
        pytest.param(
            QualificationKind.GYMNASIEINTYG, False, False, id="a gymnasieintyg is neither"
        ),
        pytest.param(QualificationKind.IB_DIPLOMA, False, True, id="an IB diploma is T5"),
        pytest.param(
            QualificationKind.FOREIGN_UPPER_SECONDARY,
            False,
            True,
            id="a foreign upper-secondary degree is T5",
        ),
        pytest.param(
            QualificationKind.FOLKHOGSKOLA_ELIGIBILITY,
            False,
            True,
            id="folkhögskola eligibility is T5",
        ),
        pytest.param(
            QualificationKind.KOMVUX_EXAMEN, False, True, id="a komvux gymnasieexamen is T5"
        ),
    ],
)
def test_what_each_qualification_counts_as(
    kind: QualificationKind, degree: bool, equivalent: bool
) -> None:
    assert (kind.is_degree, kind.is_equivalent_completion) == (degree, equivalent)


@pytest.mark.parametrize(
    "enum", [HomeBasis, SchoolForm, Programme, QualificationKind], ids=lambda e: e.__name__
)
def test_every_member_has_an_english_value_and_a_swedish_label(enum: type[Labelled]) -> None:
    for member in enum:
        assert str(member) == member.value
        assert enum(member.value) is member
        assert member.label_sv.strip()
    assert len({m.value for m in enum}) == len(enum)


def test_a_youth_never_shows_the_whole_number_in_its_repr() -> None:
    youth = Youth(
        id=ID,
        qualifications=(Qualification(kind=QualificationKind.STUDIEBEVIS, issued=D(2027, 6, 10)),),
    )
    assert ID.masked() in repr(youth)
    assert ID.full("long") not in repr(youth)
    assert ID.full("separated_long") not in repr(youth)


def test_a_youth_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Youth(id=ID).residences = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("200808122394", id="a string is not an identity number"),
        pytest.param(200808122394, id="an integer is not an identity number"),
        pytest.param(None, id="nothing is not an identity number"),
    ],
)
def test_a_youth_needs_a_parsed_identity_number(value: object) -> None:
    with pytest.raises(InvalidInput, match=r"IdentityNumber\.parse") as raised:
        Youth(id=value)  # type: ignore[arg-type]
    assert "2394" not in str(raised.value)


def _labelled(cls: type[Labelled]) -> list[type[Labelled]]:
    return [cls, *(d for sub in cls.__subclasses__() for d in _labelled(sub))]


def test_every_labelled_member_hashes_as_itself() -> None:
    # equal only to itself, it is hashed in C (Enum's own hash is a Python call per lookup)
    import kaa.rules.contact
    import kaa.scb.submission  # noqa: F401

    members = [m for cls in _labelled(Labelled) for m in cls]
    assert len(members) > 100
    for member in members:
        assert hash(member) == object.__hash__(member)
        assert {member: 1}[member] == 1
    assert len(set(members)) == len(members)
