"""The target-group rule: worked examples, both sides of every dated change, the age limit."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaa import (
    Condition,
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    RuleNotInForce,
    SchoolForm,
    Youth,
    assess,
    membership,
)
from kaa.identity import IdentityNumber
from kaa.period import HalfYear
from kaa.rules.target_group import (
    SCHOOL_AGES,
    SPRING_TERM_ENDS,
    TIMELINE,
    Outcome,
    ages_out,
    compulsory_school_age_ends,
    in_target_group_since,
)
from kaa.testing import skatteverket_number, skatteverket_numbers

D = dt.date
BORN = D(2007, 3, 2)  # turns 20 on 2027-03-02
ID = skatteverket_number(BORN)
HOME = (Residence(municipality="1882", basis=HomeBasis.FOLKBOKFORD, start=BORN),)
LEFT_SCHOOL = D(2023, 6, 10)


def youth(**changes: object) -> Youth:
    base = Youth(id=ID, residences=HOME, compulsory_school_completed=LEFT_SCHOOL)
    return attrs.evolve(base, **changes)


def national(
    start: dt.date = D(2023, 8, 21), end: dt.date | None = None, **kw: object
) -> Enrolment:
    return Enrolment(
        school_form=SchoolForm.GYMNASIESKOLA,
        programme=Programme.NATIONAL,
        start=start,
        end=end,
        **kw,  # type: ignore[arg-type]
    )


def introduction(start: dt.date = D(2016, 8, 21)) -> Enrolment:
    return Enrolment(
        school_form=SchoolForm.GYMNASIESKOLA, programme=Programme.INTRODUCTION, start=start
    )


def qualification(kind: QualificationKind, issued: dt.date = D(2026, 6, 10)) -> Qualification:
    return Qualification(kind=kind, issued=issued)


OLD_BORN = D(2000, 5, 4)
OLD_ID = skatteverket_number(OLD_BORN)


def old_youth(**changes: object) -> Youth:
    """A youth aged 16-17 in 2016-2018, for the earlier versions of the rule."""
    base = Youth(
        id=OLD_ID,
        residences=(Residence(municipality="1882", start=OLD_BORN),),
        compulsory_school_completed=D(2016, 6, 10),
    )
    return attrs.evolve(base, **changes)


# (id, youth, day, municipality, in?, failing conditions)
CASES = [
    (
        "a 17-year-old who finished compulsory school and does not study is in",
        youth(),
        D(2024, 9, 1),
        None,
        True,
        set(),
    ),
    (
        "a 19-year-old who works full time without a degree is in",
        youth(),
        D(2026, 11, 23),
        "1882",
        True,
        set(),
    ),
    (
        "a youth who broke off a national programme is in",
        youth(enrolments=(national(end=D(2025, 2, 14), cancelled=True),)),
        D(2025, 3, 1),
        None,
        True,
        set(),
    ),
    (
        "a youth who finished with only a studiebevis is in",
        youth(
            enrolments=(national(end=D(2026, 6, 10)),),
            qualifications=(qualification(QualificationKind.STUDIEBEVIS),),
        ),
        D(2026, 8, 1),
        None,
        True,
        set(),
    ),
    ("a youth who never started upper secondary is in", youth(), D(2025, 1, 15), None, True, set()),
    (
        "a youth on a national programme in gymnasieskola is out",
        youth(enrolments=(national(),)),
        D(2025, 1, 15),
        None,
        False,
        {"T3"},
    ),
    (
        "a pupil on an introduction programme in 2017 is in (old rule)",
        old_youth(enrolments=(introduction(),)),
        D(2017, 3, 1),
        None,
        True,
        set(),
    ),
    (
        "a pupil on an introduction programme in 2025 is out",
        youth(enrolments=(introduction(D(2023, 8, 21)),)),
        D(2025, 3, 1),
        None,
        False,
        {"T3"},
    ),
    (
        "a youth who holds a gymnasieexamen is out",
        youth(qualifications=(qualification(QualificationKind.GYMNASIEEXAMEN),)),
        D(2026, 8, 1),
        None,
        False,
        {"T4"},
    ),
    (
        "a youth who holds an IB diploma is out",
        youth(qualifications=(qualification(QualificationKind.IB_DIPLOMA),)),
        D(2026, 8, 1),
        None,
        False,
        {"T5"},
    ),
    (
        "a youth with a gymnasieskolebevis from anpassad gymnasieskola is out",
        youth(qualifications=(qualification(QualificationKind.GYMNASIESKOLEBEVIS),)),
        D(2026, 8, 1),
        None,
        False,
        {"T4"},
    ),
    (
        "a youth with a komvux gymnasieexamen is out",
        youth(qualifications=(qualification(QualificationKind.KOMVUX_EXAMEN),)),
        D(2026, 8, 1),
        None,
        False,
        {"T5"},
    ),
    (
        "a youth with a folkhögskola eligibility certificate is out",
        youth(qualifications=(qualification(QualificationKind.FOLKHOGSKOLA_ELIGIBILITY),)),
        D(2026, 8, 1),
        None,
        False,
        {"T5"},
    ),
    (
        "an asylum seeker who is not folkbokförd is out",
        youth(residences=(Residence(municipality="1882", basis=HomeBasis.ASYLUM_SEEKER),)),
        D(2025, 1, 15),
        None,
        False,
        {"T6"},
    ),
    (
        "an undocumented youth is out",
        youth(residences=(Residence(municipality="1882", basis=HomeBasis.UNDOCUMENTED),)),
        D(2025, 1, 15),
        None,
        False,
        {"T6"},
    ),
    (
        "a youth living here without folkbokföring is in",
        youth(residences=(Residence(municipality="1882", basis=HomeBasis.RESIDENT),)),
        D(2025, 1, 15),
        "1882",
        True,
        set(),
    ),
    (
        "a youth with protected registration is in, in the municipality they live in",
        youth(residences=(Residence(municipality="1882", basis=HomeBasis.PROTECTED),)),
        D(2025, 1, 15),
        "1882",
        True,
        set(),
    ),
    (
        "a youth folkbokförd in Stockholm is out for Askersund",
        youth(residences=(Residence(municipality="0180"),)),
        D(2025, 1, 15),
        "1882",
        False,
        {"T6"},
    ),
    (
        "a youth still of compulsory-school age is out",
        youth(compulsory_school_completed=None),
        D(2022, 9, 1),
        None,
        False,
        {"T2"},
    ),
    (
        "a youth who completes compulsory school later is out until then",
        youth(),
        D(2023, 6, 9),
        None,
        False,
        {"T2"},
    ),
    ("a youth who turned 20 yesterday is out", youth(), D(2027, 3, 3), None, False, {"T1"}),
    ("a youth on the day of the 20th birthday is out", youth(), D(2027, 3, 2), None, False, {"T1"}),
    (
        "a youth on the day before the 20th birthday is in",
        youth(),
        D(2027, 3, 1),
        None,
        True,
        set(),
    ),
    (
        "a youth who arrived after compulsory-school age in 2024 is in",
        youth(
            compulsory_school_completed=None,
            folkbokford_in_sweden=D(2024, 3, 1),
            arrived_after_compulsory_school_age=True,
        ),
        D(2025, 1, 15),
        None,
        True,
        set(),
    ),
    (
        "a youth who arrived after compulsory-school age in 2017 is out (old rule)",
        old_youth(
            compulsory_school_completed=None,
            folkbokford_in_sweden=D(2017, 3, 1),
            arrived_after_compulsory_school_age=True,
        ),
        D(2017, 6, 1),
        None,
        False,
        {"T2"},
    ),
    (
        "a youth who arrived with nothing recorded but a residence here from birth is not in "
        "(undecided: see the arrival table)",
        youth(compulsory_school_completed=None, folkbokford_in_sweden=D(2024, 3, 1)),
        D(2025, 1, 15),
        None,
        False,
        {"T2"},
    ),
    (
        "a youth at komvux without a degree is in by the national default",
        youth(enrolments=(Enrolment(school_form=SchoolForm.KOMVUX, start=D(2024, 8, 1)),)),
        D(2025, 1, 15),
        None,
        True,
        set(),
    ),
    (
        "a youth on a folkhögskola general course is in by the national default",
        youth(
            enrolments=(
                Enrolment(
                    school_form=SchoolForm.FOLKHOGSKOLA,
                    programme=Programme.GENERAL_COURSE,
                    start=D(2024, 8, 1),
                ),
            )
        ),
        D(2025, 1, 15),
        None,
        True,
        set(),
    ),
    (
        "a youth studying abroad without a degree is in by the national default",
        youth(enrolments=(Enrolment(school_form=SchoolForm.ABROAD, start=D(2024, 8, 1)),)),
        D(2025, 1, 15),
        None,
        True,
        set(),
    ),
    (
        "a youth at an international school marked equivalent is out",
        youth(enrolments=(Enrolment(school_form=SchoolForm.EQUIVALENT, start=D(2024, 8, 1)),)),
        D(2025, 1, 15),
        None,
        False,
        {"T3"},
    ),
    (
        "a youth in anpassad gymnasieskola is out",
        youth(
            enrolments=(
                Enrolment(
                    school_form=SchoolForm.ANPASSAD_GYMNASIESKOLA,
                    programme=Programme.NATIONAL,
                    start=D(2023, 8, 21),
                ),
            )
        ),
        D(2025, 1, 15),
        None,
        False,
        {"T3"},
    ),
    (
        "a youth whose national programme starts later is in until it starts",
        youth(enrolments=(national(start=D(2024, 8, 19)),)),
        D(2024, 8, 18),
        None,
        True,
        set(),
    ),
    (
        "a youth on the first day of a national programme is out",
        youth(enrolments=(national(start=D(2024, 8, 19)),)),
        D(2024, 8, 19),
        None,
        False,
        {"T3"},
    ),
    (
        "a youth whose degree is issued later is in until it is issued",
        youth(qualifications=(qualification(QualificationKind.GYMNASIEEXAMEN, D(2026, 6, 10)),)),
        D(2026, 6, 9),
        None,
        True,
        set(),
    ),
    (
        "a 15-year-old with no recorded residence is out for lack of a home municipality",
        youth(residences=()),
        D(2025, 1, 15),
        None,
        False,
        {"T6"},
    ),
    (
        "a youth out on several grounds gets every failing reason",
        youth(enrolments=(national(),), residences=(Residence(municipality="0180"),)),
        D(2025, 1, 15),
        "1882",
        False,
        {"T3", "T6"},
    ),
]


@pytest.mark.parametrize(
    ("subject", "day", "municipality", "expected", "failing"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_worked_examples(
    subject: Youth, day: dt.date, municipality: str | None, expected: bool, failing: set[str]
) -> None:
    decision = assess(subject, on=day, municipality=municipality)
    assert decision.in_target_group is expected
    assert {r.condition.code for r in decision.failed} == failing
    assert [r.condition for r in decision.reasons] == list(Condition)
    assert all(r.explanation for r in decision.reasons)


# --- both sides of every dated change -------------------------------------------------------

IM_PUPIL = old_youth(enrolments=(introduction(),))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2018, 6, 30), True, id="an IM pupil on 2018-06-30 is in (2015 version)"),
        pytest.param(D(2018, 7, 1), False, id="an IM pupil on 2018-07-01 is out (2018 version)"),
    ],
)
def test_introduction_programme_change_2018(day: dt.date, expected: bool) -> None:
    assert assess(IM_PUPIL, on=day).in_target_group is expected


ARRIVED = old_youth(
    compulsory_school_completed=None,
    folkbokford_in_sweden=D(2017, 9, 1),
    arrived_after_compulsory_school_age=True,
)


# --- arrival after compulsory-school age: recorded, derived, or not settled -----------------

UNKNOWN_DAY = IdentityNumber.parse("191806602395")  # a test samordningsnummer, day 60: June 1918
SPRING = D(2007, 3, 2)  # turns 16 on 2023-03-02
AUTUMN = D(2007, 10, 15)  # turns 16 on 2023-10-15
ENDS_2023 = D(2023, 6, 30)  # the library's last day of compulsory-school age for both


def arrival(
    born: dt.date,
    arrived: dt.date | None,
    *,
    recorded: bool | None = None,
    residences: tuple[Residence, ...] | None = None,
    completed: dt.date | None = None,
) -> Youth:
    """A youth who came to Sweden and became folkbokförd in Askersund on ``arrived``."""
    return Youth(
        id=skatteverket_number(born),
        residences=(
            residences
            if residences is not None
            else (Residence(municipality="1882", start=arrived),)
        ),
        compulsory_school_completed=completed,
        folkbokford_in_sweden=arrived,
        arrived_after_compulsory_school_age=recorded,
    )


ASYLUM_THEN_FOLKBOKFORD = (
    Residence(
        municipality="1882",
        basis=HomeBasis.ASYLUM_SEEKER,
        start=D(2022, 1, 10),
        end=D(2024, 2, 29),
    ),
    Residence(municipality="1882", start=D(2024, 3, 1)),
)
ASYLUM_AFTER_SCHOOL_AGE = (
    Residence(
        municipality="1882",
        basis=HomeBasis.ASYLUM_SEEKER,
        start=D(2023, 9, 1),
        end=D(2024, 2, 29),
    ),
    Residence(municipality="1882", start=D(2024, 3, 1)),
)
LIVED_HERE_AS_A_CHILD = (
    Residence(municipality="0180", end=D(2015, 6, 30)),
    Residence(municipality="1882", start=D(2024, 3, 1)),
)

# (id, youth, day, outcome, T2 holds, T2 settled, words the T2 explanation must contain)
ARRIVAL_CASES = [
    (
        "folkbokförd on 1 July of the year the youth turns 16, with nothing recorded, arrived "
        "after compulsory-school age (derived) and is in",
        arrival(SPRING, D(2023, 7, 1)),
        D(2024, 1, 15),
        Outcome.IN,
        True,
        True,
        ("derived", "born in 2007", "spring term of 2023", "7 kap. 10 och 12 §§", "2023-06-30"),
    ),
    (
        "folkbokförd on 30 June of the year the youth turns 16 (the library's last day of the "
        "spring term), with nothing recorded, is not settled afterwards, not out",
        arrival(SPRING, ENDS_2023),
        D(2024, 1, 15),
        Outcome.UNDECIDED,
        False,
        False,
        ("not settled by the statute", "7 kap. 13 §", "record compulsory_school_completed"),
    ),
    (
        "folkbokförd during compulsory-school age, a youth is out while it lasts (on 30 June)",
        arrival(SPRING, D(2023, 3, 1)),
        ENDS_2023,
        Outcome.OUT,
        False,
        True,
        ("derived", "still of compulsory-school age"),
    ),
    (
        "folkbokförd during compulsory-school age, a youth is not settled from 1 July, the day "
        "after it ends",
        arrival(SPRING, D(2023, 3, 1)),
        D(2023, 7, 1),
        Outcome.UNDECIDED,
        False,
        False,
        ("not settled by the statute", "arrived_after_compulsory_school_age"),
    ),
    (
        "a youth born in autumn who came at 15 in August of the year they turn 16 arrived after "
        "compulsory-school age and is in",
        arrival(AUTUMN, D(2023, 8, 15)),
        D(2023, 9, 1),
        Outcome.IN,
        True,
        True,
        ("derived", "spring term of 2023"),
    ),
    (
        "a youth who turned 16 in spring and came in May that year arrived during "
        "compulsory-school age: not settled in the autumn",
        arrival(SPRING, D(2023, 5, 15)),
        D(2023, 9, 1),
        Outcome.UNDECIDED,
        False,
        False,
        ("not settled by the statute",),
    ),
    (
        "a recorded 'arrived after compulsory-school age' beats a derived 'during': in",
        arrival(SPRING, D(2023, 3, 1), recorded=True),
        D(2023, 9, 1),
        Outcome.IN,
        True,
        True,
        ("as recorded",),
    ),
    (
        "a recorded 'arrived during compulsory-school age' beats a derived 'after': out",
        arrival(SPRING, D(2023, 8, 1), recorded=False),
        D(2023, 9, 1),
        Outcome.OUT,
        False,
        True,
        ("as recorded", "only completed compulsory schooling qualifies"),
    ),
    (
        "a youth recorded as arriving during compulsory-school age is in once it is completed",
        arrival(SPRING, D(2023, 3, 1), recorded=False, completed=D(2023, 6, 9)),
        D(2023, 9, 1),
        Outcome.IN,
        True,
        True,
        ("completed compulsory schooling on 2023-06-09",),
    ),
    (
        "folkbokförd during compulsory-school age and completing it later, with nothing "
        "recorded about the arrival, is out until then",
        arrival(SPRING, D(2023, 3, 1), completed=D(2024, 6, 10)),
        D(2024, 1, 15),
        Outcome.OUT,
        False,
        True,
        ("derived", "completed only on 2024-06-10"),
    ),
    (
        "a recorded arrival after compulsory-school age without the day of folkbokföring is not "
        "settled: record folkbokford_in_sweden",
        arrival(SPRING, None, recorded=True, residences=(Residence(municipality="1882"),)),
        D(2024, 1, 15),
        Outcome.UNDECIDED,
        False,
        False,
        ("not recorded", "record folkbokford_in_sweden"),
    ),
    (
        "an asylum seeker here from 14 who became folkbokförd at 16 after compulsory-school age "
        "is not settled (lived here during it)",
        arrival(SPRING, D(2024, 3, 1), residences=ASYLUM_THEN_FOLKBOKFORD),
        D(2024, 6, 1),
        Outcome.UNDECIDED,
        False,
        False,
        ("from 2022-01-10 (asylsökande)", "record arrived_after_compulsory_school_age"),
    ),
    (
        "an asylum seeker here only after compulsory-school age is derived as arrived after it: in",
        arrival(SPRING, D(2024, 3, 1), residences=ASYLUM_AFTER_SCHOOL_AGE),
        D(2024, 6, 1),
        Outcome.IN,
        True,
        True,
        ("derived",),
    ),
    (
        "a youth who lived in Sweden as a child (a residence ending 2015) and came back is not "
        "settled",
        arrival(SPRING, D(2024, 3, 1), residences=LIVED_HERE_AS_A_CHILD),
        D(2024, 6, 1),
        Outcome.UNDECIDED,
        False,
        False,
        ("until 2015-06-30", "not settled by the statute"),
    ),
    (
        "a current residence with no first day is taken as the one the youth came to: derived, in",
        arrival(SPRING, D(2024, 3, 1), residences=(Residence(municipality="1882"),)),
        D(2024, 6, 1),
        Outcome.IN,
        True,
        True,
        ("derived",),
    ),
    (
        "a youth born in 2012 (compulsory schooling from six, SFS 2017:1115) folkbokförd on "
        "1 July 2028 is in, derived under the new wording",
        arrival(D(2012, 1, 1), D(2028, 7, 1)),
        D(2028, 8, 1),
        Outcome.IN,
        True,
        True,
        ("spring term of 2028", "i lydelse enligt SFS 2017:1115"),
    ),
    (
        "a youth born in 2011 (compulsory schooling from seven) folkbokförd on 1 July 2027 is "
        "in, derived under the earlier wording",
        arrival(D(2011, 12, 31), D(2027, 7, 1)),
        D(2027, 8, 1),
        Outcome.IN,
        True,
        True,
        ("spring term of 2027", "i lydelse före SFS 2017:1115"),
    ),
]


@pytest.mark.parametrize(
    ("subject", "day", "outcome", "holds", "settled", "words"),
    [pytest.param(*c[1:], id=c[0]) for c in ARRIVAL_CASES],
)
def test_arrival_after_compulsory_school_age(
    subject: Youth,
    day: dt.date,
    outcome: Outcome,
    holds: bool,
    settled: bool,
    words: tuple[str, ...],
) -> None:
    decision = assess(subject, on=day, municipality="1882")
    t2 = decision.reasons[1]
    assert t2.condition is Condition.COMPULSORY_SCHOOL
    assert (t2.holds, t2.settled) == (holds, settled)
    for word in words:
        assert word in t2.explanation
    assert str(t2.citation) == "29 kap. 9 § skollagen (2010:800)"
    assert decision.outcome is outcome
    assert decision.in_target_group is (outcome is Outcome.IN)
    assert [r.condition.code for r in decision.failed if r is not t2] == []
    if not settled:
        assert "not settled" in t2.explanation
        assert "record " in t2.explanation
        assert decision.unsettled == (t2,)
        assert decision.summary().startswith("undecided: T2")
        assert str(t2).startswith("T2 not settled: ")
    if "7 kap." in t2.explanation:  # the paragraphs named in words are also cited as data
        cited = {str(c) for c in t2.also}
        assert {"7 kap. 10 § skollagen (2010:800)", "7 kap. 12 § skollagen (2010:800)"} <= cited


def test_an_undecided_decision_is_not_counted_as_in_nor_shown_as_out() -> None:
    decision = assess(arrival(SPRING, D(2023, 3, 1)), on=D(2023, 9, 1))
    assert decision.outcome is Outcome.UNDECIDED
    assert not decision.in_target_group
    assert decision.summary() != "out: T2"
    assert decision.outcome.label_sv == "kan inte avgöras: en uppgift behöver registreras"


def test_a_settled_failure_makes_the_decision_out_even_with_an_unsettled_condition() -> None:
    y = attrs.evolve(arrival(SPRING, D(2023, 3, 1)), enrolments=(national(D(2023, 8, 21)),))
    decision = assess(y, on=D(2023, 9, 1))
    assert decision.outcome is Outcome.OUT
    assert decision.summary() == "out: T2, T3"
    assert [r.condition.code for r in decision.unsettled] == ["T2"]


DERIVED = arrival(D(2000, 5, 4), D(2017, 9, 1))  # compulsory-school age ended 2016-06-30


@pytest.mark.parametrize(
    ("subject", "day", "expected"),
    [
        pytest.param(
            ARRIVED,
            D(2018, 6, 30),
            False,
            id="a youth recorded as arriving after compulsory-school age is out on 2018-06-30",
        ),
        pytest.param(
            ARRIVED,
            D(2018, 7, 1),
            True,
            id="a youth recorded as arriving after compulsory-school age is in on 2018-07-01",
        ),
        pytest.param(
            DERIVED,
            D(2018, 6, 30),
            False,
            id="a youth derived as arriving after compulsory-school age is out on 2018-06-30",
        ),
        pytest.param(
            DERIVED,
            D(2018, 7, 1),
            True,
            id="a youth derived as arriving after compulsory-school age is in on 2018-07-01",
        ),
    ],
)
def test_arrival_branch_2018(subject: Youth, day: dt.date, expected: bool) -> None:
    decision = assess(subject, on=day)
    assert decision.in_target_group is expected
    assert decision.outcome is (Outcome.IN if expected else Outcome.OUT)


@pytest.mark.parametrize(
    ("who", "ends", "wording"),
    [
        pytest.param(
            skatteverket_number(SPRING),
            ENDS_2023,
            None,
            id="born in March 2007, compulsory-school age ends on 30 June 2023",
        ),
        pytest.param(
            skatteverket_number(AUTUMN),
            ENDS_2023,
            None,
            id="born in October 2007, it ends on the same day, at 15",
        ),
        pytest.param(
            skatteverket_number(D(2011, 12, 31)),
            D(2027, 6, 30),
            None,
            id="born in 2011, seven plus nine years under the earlier wording: 2027",
        ),
        pytest.param(
            skatteverket_number(D(2012, 1, 1)),
            D(2028, 6, 30),
            "SFS 2017:1115",
            id="born in 2012, six plus ten years under SFS 2017:1115: 2028",
        ),
        pytest.param(
            UNKNOWN_DAY,
            D(1934, 6, 30),
            None,
            id="a samordningsnummer whose day is not known still gives the birth year",
        ),
        pytest.param(
            Youth(id=UNKNOWN_DAY, birth_date=D(1918, 6, 12)),
            D(1934, 6, 30),
            None,
            id="the youth's own birth date gives the same year",
        ),
    ],
)
def test_compulsory_school_age_ends_on_30_june_of_the_year_the_youth_turns_16(
    who: Youth | IdentityNumber, ends: dt.date, wording: str | None
) -> None:
    day, rule = compulsory_school_age_ends(who)
    assert day == ends
    assert rule.start.wording == rule.end.wording == wording
    assert (str(rule.start), str(rule.end)) == (
        "7 kap. 10 § skollagen (2010:800)",
        "7 kap. 12 § skollagen (2010:800)",
    )


def test_both_wordings_end_compulsory_schooling_in_the_year_the_youth_turns_16() -> None:
    assert [(r.start_age, r.years) for r in SCHOOL_AGES] == [(7, 9), (6, 10)]
    assert all(r.start_age + r.years == 16 for r in SCHOOL_AGES)
    assert SPRING_TERM_ENDS == (6, 30)
    assert SCHOOL_AGES[1].sources == ("SFS 2017:1115", "prop. 2017/18:9")


@given(
    born=st.sampled_from(
        [IdentityNumber.parse(n) for n in skatteverket_numbers() if n[:4] in ("2005", "2008")]
    ),
    arrival_offset=st.integers(min_value=-800, max_value=800),
    day_offset=st.integers(min_value=0, max_value=900),
    recorded=st.none() | st.booleans(),
)
def test_the_arrival_branch_is_recorded_or_derived_from_the_birth_year(
    born: IdentityNumber, arrival_offset: int, day_offset: int, recorded: bool | None
) -> None:
    ends, _ = compulsory_school_age_ends(born)
    arrived = ends + dt.timedelta(days=arrival_offset)
    day = arrived + dt.timedelta(days=day_offset)
    y = Youth(
        id=born,
        residences=(Residence(municipality="1882", start=arrived),),
        folkbokford_in_sweden=arrived,
        arrived_after_compulsory_school_age=recorded,
    )
    t2 = assess(y, on=day).reasons[1]
    if recorded is not None:
        assert (t2.holds, t2.settled) == (recorded, True)
    elif arrived > ends:
        assert (t2.holds, t2.settled) == (True, True)
    elif day <= ends:
        assert (t2.holds, t2.settled) == (False, True)
    else:
        assert (t2.holds, t2.settled) == (False, False)


@given(
    arrival_offset=st.integers(min_value=-400, max_value=400),
    start_offset=st.integers(min_value=-400, max_value=400),
    length=st.integers(min_value=0, max_value=400),
)
def test_membership_of_an_arrival_agrees_with_assessing_every_day(
    arrival_offset: int, start_offset: int, length: int
) -> None:
    arrived = ENDS_2023 + dt.timedelta(days=arrival_offset)
    y = arrival(SPRING, arrived)
    first = ENDS_2023 + dt.timedelta(days=start_offset)
    last = first + dt.timedelta(days=length)
    m = membership(y, first, last)
    got = [a + dt.timedelta(days=i) for a, b in m.intervals for i in range((b - a).days + 1)]
    expected = [
        first + dt.timedelta(days=i)
        for i in range(length + 1)
        if assess(y, on=first + dt.timedelta(days=i)).in_target_group
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(
            D(2023, 7, 1),
            "gymnasiesärskolebevis",
            id="the certificate is a gymnasiesärskolebevis on 2023-07-01",
        ),
        pytest.param(
            D(2023, 7, 2),
            "gymnasieskolebevis avseende anpassad gymnasieskola",
            id="the certificate is a gymnasieskolebevis on 2023-07-02",
        ),
    ],
)
def test_rename_2023(day: dt.date, name: str) -> None:
    y = youth(qualifications=(qualification(QualificationKind.GYMNASIESKOLEBEVIS, D(2023, 6, 9)),))
    decision = assess(y, on=day)
    assert not decision.in_target_group
    degree = next(r for r in decision.reasons if r.condition is Condition.DEGREE)
    assert name in degree.explanation


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(D(2014, 12, 31), id="the rule is not in force on 2014-12-31"),
        pytest.param(D(2010, 1, 1), id="the rule is not in force in 2010"),
    ],
)
def test_not_in_force_before_2015(day: dt.date) -> None:
    with pytest.raises(RuleNotInForce) as info:
        assess(old_youth(), on=day)
    assert info.value.rule_id == "kaa.target_group"
    assert info.value.day == day
    assert "2015-01-01" in str(info.value)


def test_in_force_on_the_first_day() -> None:
    y = Youth(
        id=OLD_ID,
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=D(2014, 6, 10),
    )
    assert assess(y, on=D(2015, 1, 1)).version.start == D(2015, 1, 1)


def test_every_version_cites_29_kap_9_paragraph_skollagen() -> None:
    for version in TIMELINE:
        assert str(version.citation) == "29 kap. 9 § skollagen (2010:800)"
        assert version.sources


def test_home_municipality_cites_29_kap_6_paragraph() -> None:
    decision = assess(youth(), on=D(2025, 1, 15))
    assert str(decision.reasons[-1].citation) == "29 kap. 6 § skollagen (2010:800)"
    assert decision.reasons[-1].rule_id == "kaa.target_group.home_municipality"


def test_decision_reports_the_day_the_youth_ages_out() -> None:
    assert assess(youth(), on=D(2025, 1, 15)).ages_out == D(2027, 3, 2)


def test_decision_repr_masks_the_identity_number() -> None:
    decision = assess(youth(), on=D(2025, 1, 15))
    full = ID.full("long")
    assert full[-4:] not in repr(decision)
    assert full[-4:] not in str(decision.reasons)


# --- the age boundary, as a property ---------------------------------------------------------


@given(offset=st.integers(min_value=-400, max_value=400))
def test_the_youth_is_under_20_exactly_before_the_20th_birthday(offset: int) -> None:
    day = D(2027, 3, 2) + dt.timedelta(days=offset)
    age = next(r for r in assess(youth(), on=day).reasons if r.condition is Condition.AGE)
    assert age.holds is (offset < 0)


LEAP_BORN = D(2008, 2, 29)


def test_a_youth_born_on_29_february_turns_20_on_29_february() -> None:
    # 20 years after a leap day is always a leap year (until 2100), so no convention is needed
    # for the age limit itself; other ages fall on 1 March (the library's convention).
    y = youth(id=skatteverket_number(LEAP_BORN))
    assert assess(y, on=D(2028, 2, 28)).in_target_group
    assert not assess(y, on=D(2028, 2, 29)).in_target_group
    assert assess(y, on=D(2027, 1, 1)).ages_out == D(2028, 2, 29)
    assert y.id.birthday(19) == D(2027, 3, 1)


# --- membership over a half-year -----------------------------------------------------------


def test_membership_over_a_half_year_finds_entry_and_exit() -> None:
    y = youth(
        enrolments=(national(start=D(2023, 8, 21), end=D(2026, 9, 30), cancelled=True),),
        qualifications=(),
    )
    y = attrs.evolve(
        y,
        enrolments=(*y.enrolments, national(start=D(2026, 11, 16))),
    )
    period = HalfYear.parse("2026H2")
    m = membership(y, period.first_day, period.last_day)
    assert m.intervals == ((D(2026, 10, 1), D(2026, 11, 15)),)
    assert m.entered == (D(2026, 10, 1),)
    assert m.left == (D(2026, 11, 16),)
    assert m.any_day
    assert not m.in_at_start
    assert not m.in_at_end
    assert m.days() == 46


def test_membership_ends_on_the_20th_birthday() -> None:
    m = membership(youth(), D(2027, 1, 1), D(2027, 6, 30))
    assert m.intervals == ((D(2027, 1, 1), D(2027, 3, 1)),)
    assert m.in_at_start
    assert m.left == (D(2027, 3, 2),)


def test_a_youth_out_all_period_has_no_membership() -> None:
    m = membership(youth(enrolments=(national(),)), D(2025, 1, 1), D(2025, 6, 30))
    assert not m.any_day
    assert m.intervals == ()


def test_membership_before_2015_is_not_in_force() -> None:
    with pytest.raises(RuleNotInForce):
        membership(old_youth(), D(2014, 7, 1), D(2014, 12, 31))


@given(
    start=st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 6, 1)),
    length=st.integers(min_value=0, max_value=200),
    enrol_offset=st.integers(min_value=-300, max_value=300),
    enrol_len=st.integers(min_value=0, max_value=300),
)
def test_membership_agrees_with_assessing_every_day(
    start: dt.date, length: int, enrol_offset: int, enrol_len: int
) -> None:
    begin = start + dt.timedelta(days=enrol_offset)
    y = youth(enrolments=(national(start=begin, end=begin + dt.timedelta(days=enrol_len)),))
    last = start + dt.timedelta(days=length)
    m = membership(y, start, last)
    day = start
    expected: list[dt.date] = []
    while day <= last:
        if assess(y, on=day).in_target_group:
            expected.append(day)
        day += dt.timedelta(days=1)
    got = [a + dt.timedelta(days=i) for a, b in m.intervals for i in range((b - a).days + 1)]
    assert got == expected


# --- ages_out: the one 20th-birthday limit --------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(youth(), D(2027, 3, 2), id="a youth turns 20 on the identity number's date"),
        pytest.param(ID, D(2027, 3, 2), id="an identity number alone gives the same day"),
        pytest.param(
            youth(id=skatteverket_number(LEAP_BORN)),
            D(2028, 2, 29),
            id="born on 29 February, the 20th birthday is on 29 February (a leap year)",
        ),
        pytest.param(
            Youth(id=UNKNOWN_DAY, birth_date=D(1918, 6, 12)),
            D(1938, 6, 12),
            id="the youth's own birth date is used when the number does not give one",
        ),
        pytest.param(
            Youth(id=UNKNOWN_DAY),
            D(1938, 6, 30),
            id="with no birth date known, the latest possible one keeps the youth in longest",
        ),
        pytest.param(
            UNKNOWN_DAY, D(1938, 6, 30), id="the number alone uses its latest possible birth date"
        ),
    ],
)
def test_ages_out_is_the_20th_birthday(who: Youth | IdentityNumber, expected: dt.date) -> None:
    assert ages_out(who) == expected


@given(number=st.sampled_from(skatteverket_numbers()))
def test_ages_out_is_the_day_the_decision_gives(number: str) -> None:
    y = youth(id=IdentityNumber.parse(number), residences=(Residence(municipality="1882"),))
    assert ages_out(y) == assess(y, on=D(2026, 1, 1)).ages_out == y.id.birthday(20)


# --- in_target_group_since: the start of the current run --------------------------------------


@pytest.mark.parametrize(
    ("y", "on", "expected"),
    [
        pytest.param(
            youth(), D(2026, 3, 1), D(2025, 3, 1), id="in all year: the look-back's first day"
        ),
        pytest.param(
            youth(enrolments=(national(end=D(2025, 11, 30), cancelled=True),)),
            D(2026, 3, 1),
            D(2025, 12, 1),
            id="in since leaving school: the day after the enrolment ended",
        ),
        pytest.param(
            youth(enrolments=(national(),)),
            D(2026, 3, 1),
            D(2026, 3, 1),
            id="never in within the look-back: the day itself",
        ),
        pytest.param(
            old_youth(compulsory_school_completed=D(2014, 6, 10)),
            D(2015, 6, 1),
            D(2015, 1, 1),
            id="never before the rule came into force on 2015-01-01",
        ),
    ],
)
def test_in_target_group_since(y: Youth, on: dt.date, expected: dt.date) -> None:
    assert in_target_group_since(y, on, municipality="1882") == expected


def test_in_target_group_since_is_not_in_force_before_2015() -> None:
    with pytest.raises(RuleNotInForce):
        in_target_group_since(old_youth(), D(2014, 12, 31))


# --- in a notebook -----------------------------------------------------------------------------


def test_a_decision_shows_its_six_conditions_with_linked_citations_in_a_notebook() -> None:
    number = skatteverket_number(dt.date(2008, 8, 12))
    youth = Youth(
        id=number,
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=dt.date(2024, 6, 12),
    )
    page = assess(youth, on=dt.date(2026, 11, 23), municipality="1882")._repr_html_()
    assert page.count("<tr><td>T") == 6
    assert number.full() not in page
    assert number.masked() in page
    assert '<a href="https://' in page
    assert "29 kap. 9 § skollagen (2010:800)</a>" in page
    assert "<b>in</b>" in page


def test_a_decision_in_a_notebook_says_out_and_why() -> None:
    youth = Youth(id=skatteverket_number(dt.date(2008, 8, 12)))
    page = assess(youth, on=dt.date(2026, 11, 23))._repr_html_()
    assert "<b>out: T2, T6</b>" in page
    assert page.count("<b>fails</b>") == 2
