"""Follow-up statistics: each figure checked on a small hand-made register."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies
from casefactory import case as plan_case
from casefactory import full_plan, planned
from kaa import followup
from kaa.errors import InvalidInput
from kaa.followup import Cell, Relation, Share, Table
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    Registration,
    RegistrationReason,
)
from kaa.model.youth import Residence, Youth
from kaa.period import DateRange, HalfYear, Period, Tertial, Year
from kaa.rules.measures import national_catalogue
from kaa.rules.plan import PlanChecks
from kaa.testing import skatteverket_numbers

D = dt.date
HT = HalfYear(2026, 2)
NUMBERS = [n for n in skatteverket_numbers() if n.startswith(("2007", "2008"))]


def case(i: int, registered: dt.date, **kw: object) -> Case:
    youth = Youth(id=IdentityNumber.parse(NUMBERS[i]), residences=(Residence(municipality="1882"),))
    return Case(
        youth=youth,
        municipality="1882",
        registration=Registration(day=registered, **kw.pop("registration", {})),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


REACHED = ContactOutcome.REACHED
CASES = [
    # 0: continuing from VT, reached by phone in HT, working
    case(
        0,
        D(2026, 3, 1),
        contacts=(
            Contact(day=D(2026, 3, 5), channel=Channel.POSTCARD, outcome=ContactOutcome.SENT),
            Contact(
                day=D(2026, 8, 10), channel=Channel.PHONE, outcome=REACHED, activity=Activity.WORK
            ),
        ),
    ),
    # 1: new in HT, never reached
    case(
        1,
        D(2026, 9, 1),
        contacts=(
            Contact(day=D(2026, 9, 3), channel=Channel.SMS, outcome=ContactOutcome.NO_ANSWER),
        ),
        registration={"reason": RegistrationReason.BROKE_OFF_NATIONAL},
    ),
    # 2: new in HT, reached after 10 days, measure ended with studies
    case(
        2,
        D(2026, 7, 10),
        contacts=(
            Contact(
                day=D(2026, 7, 20),
                channel=Channel.PHONE,
                outcome=REACHED,
                activity=Activity.NO_ACTIVITY,
            ),
        ),
        measures=(
            Measure(
                id="m1",
                type="study_guidance",
                offered=D(2026, 7, 20),
                start=D(2026, 8, 1),
                end=D(2026, 10, 1),
                activity_after=Activity.NATIONAL_PROGRAMME,
            ),
        ),
        end=KaaEnd(day=D(2026, 10, 2), reason=EndReason.STARTED_PROGRAMME),
        registration={"reason": RegistrationReason.BROKE_OFF_NATIONAL},
    ),
    # 3: ended before HT: not counted
    case(3, D(2026, 1, 10), end=KaaEnd(day=D(2026, 5, 1), reason=EndReason.TURNED_20)),
    # 4: registered after HT: not counted
    case(4, D(2027, 1, 10)),
    # 5: new in HT, declined a measure
    case(
        5,
        D(2026, 11, 1),
        contacts=(
            Contact(
                day=D(2026, 11, 2), channel=Channel.PHONE, outcome=REACHED, activity=Activity.WORK
            ),
        ),
        measures=(
            Measure(
                id="m1",
                type="work_placement",
                offered=D(2026, 11, 2),
                declined=True,
                decline_reason="har arbete",
            ),
        ),
    ),
]


def test_cases_in_period_are_those_open_on_some_day() -> None:
    assert [CASES.index(c) for c in followup.cases_in_period(CASES, HT)] == [0, 1, 2, 5]


@pytest.mark.parametrize("period", [HT, Year(2026), HalfYear(2026, 1)], ids=str)
def test_cases_selected_once_for_a_report_give_the_same_figures(period: Period) -> None:
    # kaa.report selects a period's cases once for all its figures
    selected = followup._selected_for(CASES, period)
    assert list(selected) == followup.cases_in_period(CASES, period)
    assert followup.cases_in_period(selected, period) is selected
    assert _figures(list(selected), period) == _figures(CASES, period)
    assert _figures(selected, period) == _figures(CASES, period)  # type: ignore[arg-type]
    # selected for another period, the cases are selected again
    other = followup._selected_for(CASES, HalfYear(2027, 1))
    again = followup.cases_in_period(other, period)
    assert again is not other
    assert again == [c for c in followup.cases_in_period(CASES, period) if c in other]


def test_population() -> None:
    t = followup.population(CASES, HT)
    rows = {(g, c): n for g, c, n in t.rows}
    assert rows[("total", "alla")] == 4
    assert rows[("status", "ny")] == 3
    assert rows[("status", "kvarstående")] == 1
    assert rows[("status", "avslutad")] == 1
    assert rows[("reason", RegistrationReason.BROKE_OFF_NATIONAL.label_sv)] == 2
    assert sum(n for (g, _), n in rows.items() if g == "sex") == 4
    assert sum(n for (g, _), n in rows.items() if g == "age") == 4


def test_every_relation_of_every_figure_adds_up() -> None:
    for table in _figures(CASES, Year(2026)):
        for rel in table.relations:
            for col in rel.columns or table.count_columns:
                i = table.columns.index(col)
                total = table.rows[rel.total][i]
                assert total == sum(table.rows[p][i] for p in rel.parts), (table.id, rel, col)


def test_reach() -> None:
    t = followup.reach(CASES, HT)
    assert t.value("total", "youths") == 4
    assert t.value("reached", "youths") == 3
    assert t.value("not_reached", "youths") == 1
    assert t.value("guardian_only", "youths") == 0
    assert t.value("reached", "share") == pytest.approx(0.75)


def test_activity_at_latest_contact() -> None:
    t = followup.activity_at_latest_contact(CASES, HT)
    assert t.value("work", "youths") == 2
    assert t.value("not_reached", "youths") == 1
    assert t.value("unknown", "youths") == 0
    assert t.value("no_activity", "youths") == 1
    assert t.value("not_reached", "youths") == followup.reach(CASES, HT).value(
        "not_reached", "youths"
    )


def _contact(
    day: dt.date,
    outcome: ContactOutcome = REACHED,
    activity: Activity | None = None,
    who: Contacted = Contacted.YOUTH,
) -> Contact:
    return Contact(
        day=day, channel=Channel.PHONE, contacted=who, outcome=outcome, activity=activity
    )


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        pytest.param(
            (),
            None,
            id="a youth never reached has no activity at contact, whatever the registration says",
        ),
        pytest.param(
            (_contact(D(2026, 8, 1), ContactOutcome.NO_ANSWER),),
            None,
            id="an attempt that reached nobody is not a contact",
        ),
        pytest.param(
            (_contact(D(2026, 8, 1), activity=Activity.OTHER_STUDIES, who=Contacted.GUARDIAN),),
            None,
            id="an activity learnt from a guardian is not the youth's activity at contact",
        ),
        pytest.param(
            (_contact(D(2026, 8, 1)),),
            Activity.UNKNOWN,
            id="a youth reached without an activity learnt has an unknown activity",
        ),
        pytest.param(
            (_contact(D(2026, 8, 1), ContactOutcome.DECLINED_SUPPORT, Activity.OTHER),),
            Activity.OTHER,
            id="a youth who declined support was reached",
        ),
        pytest.param(
            (_contact(D(2026, 8, 1), activity=Activity.OTHER), _contact(D(2026, 12, 31))),
            Activity.OTHER,
            id="the latest activity learnt at a contact with the youth counts",
        ),
        pytest.param(
            (
                _contact(D(2026, 8, 1), activity=Activity.OTHER),
                _contact(D(2027, 1, 1), activity=Activity.WORK),
            ),
            Activity.OTHER,
            id="a contact after the period's last day does not count",
        ),
    ],
)
def test_the_activity_at_the_latest_contact_comes_from_contacts_with_the_youth(
    contacts: tuple[Contact, ...], expected: Activity | None
) -> None:
    c = case(0, D(2026, 7, 1), contacts=contacts, registration={"activity": Activity.WORK})
    assert followup.latest_contact_activity(c, HT.last_day) is expected
    table = followup.activity_at_latest_contact([c], HT)
    assert table.value("not_reached" if expected is None else expected.value, "youths") == 1
    assert table.value("work", "youths") == 0


def test_unknown_is_not_labelled_not_reached() -> None:
    table = followup.activity_at_latest_contact(CASES, HT)
    assert table.value("unknown", "label_sv") == "okänd"
    assert table.value("not_reached", "label_sv") == "ungdomen har inte nåtts"
    registration = followup.activity_at_registration(CASES, HT)
    assert registration.value("unknown", "label_sv") == "okänd"


def test_contact_channels_count_only_attempts_in_the_period() -> None:
    t = followup.contact_channels(CASES, HT)
    assert t.value("phone", "attempts") == 3
    assert t.value("phone", "reached") == 3
    assert t.value("sms", "attempts") == 1
    assert t.value("sms", "reached") == 0
    assert t.value("postcard", "attempts") == 0  # sent in March, outside HT
    assert t.value("total", "attempts") == 4


def test_days_to_first_contact_for_new_youths() -> None:
    t = followup.days_to_first_contact(CASES, HT)
    assert t.value("nya under perioden", "youths") == 3
    assert t.value("8–14 dagar", "youths") == 1  # case 2: 10 days
    assert t.value("0–7 dagar", "youths") == 1  # case 5: 1 day
    assert t.value("ännu inte", "youths") == 1  # case 1
    assert t.value("median (dagar)", "youths") == pytest.approx(5.5)


def test_days_to_first_measure() -> None:
    t = followup.days_to_first_measure(CASES, HT)
    assert t.value("15–30 dagar", "youths") == 1  # case 2: 22 days
    assert t.value("ännu inte", "youths") == 2


@pytest.mark.parametrize(
    ("youths_with_event", "shown"),
    [
        pytest.param(4, False, id="a median over four youths is hidden"),
        pytest.param(5, True, id="a median over five youths is shown"),
    ],
)
def test_a_median_over_few_youths_is_hidden(youths_with_event: int, shown: bool) -> None:
    cases = [
        case(
            i,
            D(2026, 7, 1),
            contacts=(_contact(D(2026, 7, 1) + dt.timedelta(days=i)),)
            if i < youths_with_event
            else (),
        )
        for i in range(8)
    ]
    table = followup.days_to_first_contact(cases, HT).suppressed()
    median_row = table.row_index("median (dagar)")
    assert table.is_hidden(median_row, "youths") is not shown
    assert (table.rows[median_row][1] is not None) is shown


def test_a_missing_median_is_no_value_not_a_hidden_one() -> None:
    table = followup.days_to_first_contact([case(0, D(2026, 7, 1))], HT).suppressed()
    row = table.row_index("median (dagar)")
    assert table.rows[row][1] is None
    assert not table.is_hidden(row, "youths")


def test_measures_by_category() -> None:
    t = followup.measures_by_category(CASES, HT)
    assert t.value("guidance", "offered") == 1
    assert t.value("guidance", "started") == 1
    assert t.value("guidance", "ended") == 1
    assert t.value("work", "offered") == 1
    assert t.value("work", "declined") == 1
    assert t.value("total", "offered") == 2
    assert t.rows[1][0] == "education"  # education-oriented first


def test_activities_lists_every_catalogue_measure_with_its_outcome() -> None:
    from kaa.rules.measures import national_catalogue

    t = followup.activities(CASES, HT)
    keys = [r[0] for r in t.rows]
    assert {f"measure:{d.id}" for d in national_catalogue()} <= set(keys)
    assert t.value("measure:study_guidance", "took_part") == 1
    assert t.value("measure:study_guidance", "ended") == 1
    assert t.value("measure:study_guidance", "returned_to_studies") == 1
    assert t.value("measure:study_guidance", "share_returned") == 1.0
    assert t.value("measure:work_placement", "declined") == 1
    assert t.value("category:guidance", "offered") == 1
    assert t.value("total", "offered") == 2
    assert "measure:unknown_type" not in keys


def _measure_case(measure: Measure) -> Case:
    return case(0, D(2026, 1, 10), measures=(measure,))


M = Measure(id="m1", type="coaching", offered=D(2026, 2, 1), start=D(2026, 3, 1))


@pytest.mark.parametrize(
    ("measure", "column", "expected"),
    [
        pytest.param(
            attrs.evolve(M, end=D(2026, 7, 1)),
            "took_part",
            1,
            id="a measure that ends on the period's first day took part in it",
        ),
        pytest.param(
            attrs.evolve(M, end=D(2026, 6, 30)),
            "took_part",
            0,
            id="a measure that ended the day before the period did not take part in it",
        ),
        pytest.param(
            attrs.evolve(M, end=D(2026, 12, 31), activity_after=Activity.OTHER_STUDIES),
            "returned_to_studies",
            1,
            id="a measure ended on the period's last day followed by studies counts as a return",
        ),
        pytest.param(
            attrs.evolve(M, end=D(2026, 12, 31), activity_after=Activity.WORK),
            "returned_to_studies",
            0,
            id="a measure followed by work is not a return to studies",
        ),
        pytest.param(
            attrs.evolve(M, type="skolslussen_unknown"),
            "took_part",
            1,
            id="a measure of a type the catalogue does not know gets its own row",
        ),
    ],
)
def test_activities_boundaries(measure: Measure, column: str, expected: int) -> None:
    table = followup.activities([_measure_case(measure)], HalfYear(2026, 2))
    key = "measure:coaching" if measure.type == "coaching" else "measure:unknown_type"
    if expected or key != "measure:unknown_type":
        assert table.value(key, column) == expected
    assert table.value("total", column) == expected


def test_returned_to_studies() -> None:
    t = followup.returned_to_studies(CASES, HT)
    assert t.rows == (
        (
            "returned_to_studies",
            "ungdomar som återgått till studier efter avslutad insats",
            1,
            1,
            1.0,
        ),
    )


def test_end_reasons() -> None:
    t = followup.end_reasons(CASES, HT)
    assert t.value("started_programme", "youths") == 1
    assert t.value("turned_20", "youths") == 0
    assert t.value("total", "youths") == 1


def test_a_year_covers_both_halves() -> None:
    assert followup.population(CASES, Year(2026)).rows[0][2] == 5


def _turns_20(end: dt.date, registered: dt.date = D(2026, 3, 1)) -> Case:
    return case(0, registered, end=KaaEnd(day=end, reason=EndReason.TURNED_20))


@pytest.mark.parametrize(
    ("c", "period", "counted", "ended"),
    [
        pytest.param(
            _turns_20(D(2027, 1, 1)),
            Year(2026),
            True,
            True,
            id="a youth who turns 20 on 1 January ends in KAA in the year before",
        ),
        pytest.param(
            _turns_20(D(2027, 1, 1)),
            HalfYear(2026, 2),
            True,
            True,
            id="a youth who turns 20 on 1 January ends in the HT before, as in the SCB file",
        ),
        pytest.param(
            _turns_20(D(2027, 1, 1)),
            Year(2027),
            False,
            False,
            id="a youth who turns 20 on 1 January is not counted in that year",
        ),
        pytest.param(
            _turns_20(D(2027, 1, 1)),
            HalfYear(2027, 1),
            False,
            False,
            id="a youth who turns 20 on 1 January is not counted in that VT",
        ),
        pytest.param(
            _turns_20(D(2027, 1, 2)),
            HalfYear(2027, 1),
            True,
            True,
            id="a youth who turns 20 on 2 January is counted and ended in that VT",
        ),
        pytest.param(
            _turns_20(D(2027, 1, 2)),
            HalfYear(2026, 2),
            True,
            False,
            id="a youth who turns 20 on 2 January is counted in the HT before but not ended in it",
        ),
        pytest.param(
            _turns_20(D(2026, 5, 1)),
            Tertial(2026, 2),
            False,
            False,
            id="a youth who left on a tertial's first day is not counted in that tertial",
        ),
        pytest.param(
            _turns_20(D(2026, 5, 1)),
            Tertial(2026, 1),
            True,
            True,
            id="a youth who left on a tertial's first day ended in the tertial before",
        ),
        pytest.param(
            case(0, D(2026, 12, 31)),
            HalfYear(2026, 2),
            True,
            False,
            id="a youth registered on the period's last day is counted in it",
        ),
        pytest.param(
            case(0, D(2027, 1, 1)),
            HalfYear(2026, 2),
            False,
            False,
            id="a youth registered the day after the period is not counted in it",
        ),
    ],
)
def test_period_boundaries(c: Case, period: Period, counted: bool, ended: bool) -> None:
    population = followup.population([c], period)
    assert population.value("total", "youths") == int(counted)
    assert {(g, k): n for g, k, n in population.rows}[("status", "avslutad")] == int(ended)
    assert followup.end_reasons([c], period).value("total", "youths") == int(ended)


def test_the_age_of_a_youth_who_left_at_20_is_their_age_on_their_last_day() -> None:
    born = IdentityNumber.parse(NUMBERS[0]).birth_date
    assert born is not None
    c = _turns_20(dt.date(born.year + 20, born.month, born.day), registered=D(2026, 1, 10))
    period = Year(c.end.day.year if c.end else 0)
    if c.end is not None and c.end.day.timetuple().tm_yday == 1:
        period = Year(c.end.day.year - 1)
    rows = {(g, k): n for g, k, n in followup.population([c], period).rows}
    assert rows[("age", "19 år")] == 1


@pytest.mark.parametrize(
    "period",
    [
        pytest.param(Tertial(2026, 3), id="a tertial is a follow-up period"),
        pytest.param(
            DateRange(D(2026, 9, 1), D(2026, 11, 30)), id="any range of days is a follow-up period"
        ),
    ],
)
def test_any_period_works_for_every_figure(period: Period) -> None:
    for table in _figures(CASES, period):
        assert table.rows
    assert followup.population(CASES, period).value("total", "youths") == 4


def test_rows_load_as_plain_dicts() -> None:
    rows = followup.reach(CASES, HT).as_rows()
    assert rows[1] == {"measure": "reached", "label_sv": "nådda", "youths": 3, "share": 0.75}


def test_small_counts_are_suppressed_for_publication() -> None:
    t = followup.reach(CASES, HT).suppressed()
    assert t.value("reached", "youths") is None
    assert t.value("reached", "share") is None
    assert followup.reach(CASES, HT).suppressed(threshold=1).value("reached", "youths") == 3
    # with threshold 2 the one youth not reached is hidden, and so the 3 reached, or 4 − 3
    # would give them back
    assert followup.reach(CASES, HT).suppressed(threshold=2).value("reached", "youths") is None


def _figures(cases: list[Case], period: Period) -> list[Table]:
    return [
        followup.population(cases, period),
        followup.reach(cases, period),
        followup.activity_at_registration(cases, period),
        followup.activity_at_latest_contact(cases, period),
        followup.contact_channels(cases, period),
        followup.days_to_first_contact(cases, period),
        followup.days_to_first_measure(cases, period),
        followup.measures_by_category(cases, period),
        followup.activities(cases, period),
        followup.returned_to_studies(cases, period),
        followup.plan_completeness(cases, period),
        followup.overdue_follow_ups(cases, period),
        followup.end_reasons(cases, period),
    ]


# --- suppression ----------------------------------------------------------------------------


def _partition(*counts: int) -> Table:
    """A total row and its parts, e.g. the ages of the youths."""
    return Table(
        id="t",
        title_sv="t",
        title_en="t",
        columns=("k", "n", "share"),
        rows=(
            ("alla", sum(counts), 1.0),
            *((f"p{i}", n, n / sum(counts)) for i, n in enumerate(counts)),
        ),
        count_columns=("n",),
        relations=(Relation(total=0, parts=tuple(range(1, len(counts) + 1))),),
        shares=(Share("share", "n", "n", whole_row=0),),
    )


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        pytest.param(
            (1, 36, 37, 46),
            {1, 2},
            id="one small count is hidden with the smallest other part, so 120 − (37+46) is 37+1",
        ),
        pytest.param(
            (2, 3, 37, 46),
            {1, 2},
            id="two small counts that add up to five protect each other",
        ),
        pytest.param(
            (1, 2, 37, 46),
            {1, 2, 3},
            id="two small counts that add up to three need a third hidden part",
        ),
        pytest.param((5, 36, 37), set(), id="a count of five is shown"),
        pytest.param((0, 36, 37), set(), id="a zero is shown and protects nothing"),
        pytest.param(
            (1, 1, 1, 1, 1),
            {0, 1, 2, 3, 4, 5},
            id="five ones under a shown total of five would all be known: the total is hidden",
        ),
    ],
)
def test_complementary_suppression_in_one_sum(counts: tuple[int, ...], hidden: set[int]) -> None:
    table = _partition(*counts).suppressed()
    assert {r for r, c in table.hidden if c == "n"} == hidden
    for row in hidden:
        assert table.rows[row][1] is None
        assert table.rows[row][2] is None  # the share goes with the count


def test_a_share_is_hidden_with_its_denominator() -> None:
    table = Table(
        id="t",
        title_sv="t",
        title_en="t",
        columns=("k", "attempts", "reached", "share"),
        rows=(("alla", 12, 7, 7 / 12), ("a", 3, 2, 2 / 3), ("b", 9, 5, 5 / 9)),
        count_columns=("attempts", "reached"),
        relations=(Relation(total=0, parts=(1, 2)),),
        shares=(Share("share", "reached", "attempts"),),
    ).suppressed()
    assert table.is_hidden(2, "attempts")  # the complement of a's three attempts
    assert table.is_hidden(2, "share")  # 5 / share would give the attempts back


def test_cells_linked_between_tables_are_hidden_together() -> None:
    a = attrs.evolve(_partition(3, 40), links=(("youths", 0, "n"),))
    b = attrs.evolve(_partition(1, 42), links=(("youths", 0, "n"),))
    left, right = followup.suppress([a, b])
    assert left.is_hidden(0, "n") == right.is_hidden(0, "n")
    assert left.is_hidden(1, "n")
    assert right.is_hidden(1, "n")


# The attacker of the property: knows every sum a table shows, that a hidden count is a whole
# number of at least 1 (zeros are shown), and tries every sum and difference of the sums.


def _equations(table: Table) -> list[dict[Cell, int]]:
    eqs = []
    for rel in table.relations:
        for col in rel.columns or table.count_columns:
            eq: dict[Cell, int] = {(rel.total, col): 1}
            for p in rel.parts:
                eq[(p, col)] = eq.get((p, col), 0) - 1
            eqs.append(eq)
    return eqs


def _attack(original: Table, published: Table, threshold: int) -> list[str]:
    """What an attacker recovers from ``published``: empty when nothing. The sums of
    different count columns share no cell, so each column is attacked on its own."""
    found: list[str] = []
    values = {
        (r, c): original.rows[r][original.columns.index(c)]
        for r in range(len(original.rows))
        for c in original.count_columns
        if isinstance(original.rows[r][original.columns.index(c)], int)
    }
    hidden = {cell for cell in values if published.is_hidden(*cell)}
    for column in original.count_columns:
        eqs = [eq for eq in _equations(original) if all(c == column for _, c in eq)]
        for signs in itertools.product((-1, 0, 1), repeat=len(eqs)):
            combined: dict[Cell, int] = {}
            for sign, eq in zip(signs, eqs, strict=True):
                for cell, k in eq.items():
                    combined[cell] = combined.get(cell, 0) + sign * k
            unknown = {cell: k for cell, k in combined.items() if k and cell in hidden}
            known = -sum(
                k * values[cell] for cell, k in combined.items() if k and cell not in hidden
            )
            if len(unknown) == 1:
                found.append(f"{signs} recovers {unknown}")
            if set(unknown.values()) in ({1}, {-1}) and 0 < abs(known) < threshold:
                found.append(f"{signs} recovers a sum of {len(unknown)} hidden cells: {abs(known)}")
        found += _brute_force(eqs, values, {c for c in hidden if c[1] == column})
    for (row, col), value in values.items():
        if 0 < value < threshold and not published.is_hidden(row, col):
            found.append(f"a count of {value} is shown")
    for share in original.shares:
        for r in range(len(original.rows)):
            whole = (r if share.whole_row is None else share.whole_row, share.whole)
            if (published.is_hidden(r, share.part) or published.is_hidden(*whole)) and (
                not published.is_hidden(r, share.column)
            ):
                found.append(f"the share in row {r} is shown with its count or denominator hidden")
    return found


def _brute_force(
    eqs: list[dict[Cell, int]], values: dict[Cell, int], hidden: set[Cell]
) -> list[str]:
    """Every whole-number filling of the hidden cells that keeps every sum: a hidden cell
    with only one possible value is recovered. The search is exhaustive, from 1 to well above
    the largest true count (so the attacker learns no bound from it), for a few hidden cells
    of small counts."""
    cells = sorted(hidden)
    top = 10 + max((values[c] for c in values if c[1] in {h[1] for h in cells}), default=1)
    if not cells or top ** len(cells) > 20_000:
        return []
    eqs = [eq for eq in eqs if any(c in hidden for c in eq)]
    possible: dict[Cell, set[int]] = {c: set() for c in cells}
    for guess in itertools.product(range(1, top + 1), repeat=len(cells)):
        filled = {**values, **dict(zip(cells, guess, strict=True))}
        if all(sum(k * filled[c] for c, k in eq.items()) == 0 for eq in eqs):
            for c, v in zip(cells, guess, strict=True):
                possible[c].add(v)
    return [f"{c} can only be {v}" for c, v in possible.items() if len(v) == 1]


small_counts = st.one_of(st.integers(0, 4), st.integers(0, 12), st.integers(0, 60))


@st.composite
def adversarial_tables(draw: st.DrawFn) -> Table:
    """A table like the follow-up's: a total split into one to three groups of parts (as
    the population by status, sex and age), optionally a group split once more (categories
    and their measures), in one or two count columns, with mostly small counts."""
    columns = draw(st.sampled_from((("n",), ("n", "m"))))
    groups = draw(st.integers(1, 3))
    nested = draw(st.booleans())
    first = draw(st.lists(st.lists(small_counts, min_size=2, max_size=3), min_size=2, max_size=3))
    per_column: list[list[int]] = []
    for _ in columns:
        leaves = [draw(small_counts) for _ in range(sum(len(g) for g in first))]
        per_column.append(leaves)
    # rows: the total, then (if nested) subtotals each followed by its leaves, then further
    # groups that split the same total differently
    rows: list[list[int]] = [[0 for _ in columns]]
    relations: list[Relation] = []
    subtotals: list[int] = []
    if nested:
        at = 0
        for g in first:
            sub = len(rows)
            subtotals.append(sub)
            rows.append([sum(col[at : at + len(g)]) for col in per_column])
            leaves_at = len(rows)
            for k in range(len(g)):
                rows.append([col[at + k] for col in per_column])
            relations.append(Relation(total=sub, parts=tuple(range(leaves_at, len(rows)))))
            at += len(g)
        relations.insert(0, Relation(total=0, parts=tuple(subtotals)))
    else:
        start = len(rows)
        for k in range(len(per_column[0])):
            rows.append([col[k] for col in per_column])
        relations.append(Relation(total=0, parts=tuple(range(start, len(rows)))))
    totals = [sum(col) for col in per_column]
    rows[0] = totals
    for _ in range(groups - 1):
        # another split of the same total into two or three parts
        pieces = []
        for total in totals:
            cut = sorted(draw(st.lists(st.integers(0, total), min_size=1, max_size=2)))
            bounds = [0, *cut, total]
            pieces.append([b - a for a, b in itertools.pairwise(bounds)])
        width = max(len(p) for p in pieces)
        start = len(rows)
        for k in range(width):
            rows.append([p[k] if k < len(p) else 0 for p in pieces])
        relations.append(Relation(total=0, parts=tuple(range(start, len(rows)))))
    return Table(
        id="adversarial",
        title_sv="t",
        title_en="t",
        columns=("k", *columns),
        rows=tuple((f"r{i}", *r) for i, r in enumerate(rows)),
        count_columns=columns,
        relations=tuple(relations),
    )


@settings(max_examples=150, deadline=None)
@given(table=adversarial_tables(), threshold=st.sampled_from((3, 5)))
def test_no_sum_or_difference_of_published_cells_recovers_a_small_count(
    table: Table, threshold: int
) -> None:
    published = table.suppressed(threshold)
    assert _attack(table, published, threshold) == []


@settings(max_examples=25, deadline=None)
@given(cases=st.lists(strategies.cases(), min_size=1, max_size=12))
def test_no_figure_of_a_register_recovers_a_small_count(cases: list[Case]) -> None:
    own = [attrs.evolve(c, municipality="1882") for c in cases]
    period = HalfYear.containing(own[0].registration.day)
    figures = _figures(own, period)
    for original, published in zip(figures, followup.suppress(figures), strict=True):
        assert _attack(original, published, 5) == [], original.id


@given(
    counts=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    threshold=st.integers(min_value=1, max_value=11),
)
def test_suppression_hides_every_small_nonzero_count_and_never_a_zero(
    counts: list[int], threshold: int
) -> None:
    t = followup.Table(
        id="t",
        title_sv="t",
        title_en="t",
        columns=("k", "n"),
        rows=tuple((i, n) for i, n in enumerate(counts)),
        count_columns=("n",),
    )
    shown = t.suppressed(threshold).column("n")
    for before, after in zip(counts, shown, strict=True):
        assert after == (None if 0 < before < threshold else before)


def test_plan_completeness_counts_complete_plans_among_those_who_need_one() -> None:
    from casefactory import case as plan_case
    from casefactory import full_plan, planned
    from kaa.rules.plan import check_plan

    complete = plan_case(plan=full_plan(planned()))
    assert check_plan(complete).complete, check_plan(complete).missing
    without_plan = plan_case()
    no_measure = plan_case(measures=())
    t = followup.plan_completeness([complete, without_plan, no_measure], HalfYear(2026, 1))
    assert t.value("required", "youths") == 2
    assert t.value("with_plan", "youths") == 1
    assert t.value("complete", "youths") == 1
    assert t.value("complete", "share") == pytest.approx(0.5)
    assert t.value("missing_1", "youths") == 1  # the youth with a measure but no plan


def test_plan_completeness_with_shared_checks_is_the_same_for_every_period() -> None:
    cases = [plan_case(plan=full_plan(planned())), plan_case(), plan_case(measures=())]
    catalogue = national_catalogue()
    checks = PlanChecks(catalogue)
    for period in (HalfYear(2026, 1), HalfYear(2025, 2), Year(2026), Year(2025)):
        assert followup.plan_completeness(
            cases, period, catalogue, checks=checks
        ) == followup.plan_completeness(cases, period, catalogue)
    with pytest.raises(InvalidInput, match="another catalogue"):
        followup.plan_completeness(cases, HalfYear(2026, 1), None, checks=checks)


def test_overdue_follow_ups() -> None:
    from casefactory import case as plan_case
    from casefactory import full_plan, planned

    c = plan_case(plan=full_plan(planned()))
    on_time = followup.overdue_follow_ups([c], HalfYear(2026, 1), on=D(2026, 2, 10))
    assert on_time.rows[0][2:] == (1, 0, 0.0)
    late = followup.overdue_follow_ups([c], HalfYear(2026, 1), on=D(2026, 6, 30))
    assert late.rows[0][2:] == (1, 1, 1.0)


def test_a_figure_shows_itself_as_an_escaped_table_in_a_notebook() -> None:
    table = followup.Table(
        id="kaa.followup.example",
        title_sv="Nådda <ungdomar> & andra",
        title_en="Reached",
        columns=("row", "youths", "share"),
        rows=(("reached", 7, 0.7), ("not <reached>", None, None)),
    )
    page = table._repr_html_()
    assert "<caption>Nådda &lt;ungdomar&gt; &amp; andra (kaa.followup.example)</caption>" in page
    assert "<th>row</th><th>youths</th><th>share</th>" in page
    assert "<td>reached</td><td>7</td><td>0.7</td>" in page
    assert "<td>not &lt;reached&gt;</td><td></td><td></td>" in page
