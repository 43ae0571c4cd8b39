"""The models and the public functions refuse a wrong type where it comes in, with a message
naming the field or argument (and never the value: it may be an identity number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaa.errors import InvalidInput, UnknownMunicipality
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    ContactOutcome,
    KaaEnd,
    Measure,
    Registration,
)
from kaa.model.checks import (
    date_field,
    require_date,
    require_instance,
    require_kommunkod,
    type_name,
)
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    Counterpart,
    IndividualPlan,
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
)
from kaa.model.youth import Enrolment, HomeBasis, Qualification, Residence, SchoolForm, Youth
from kaa.testing import skatteverket_number

D = dt.date
ID = skatteverket_number(D(2007, 3, 2))
ID_TEXT = ID.full()
YOUTH = Youth(id=ID, residences=(Residence(municipality="1882"),))
REGISTERED = Registration(day=D(2025, 1, 10))


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        pytest.param(
            lambda: Youth(id=ID_TEXT), "id", "IdentityNumber.parse", id="a youth's id as text"
        ),
        pytest.param(
            lambda: Youth(id=ID, birth_date="2007-03-02"),
            "birth_date",
            "datetime.date, not str",
            id="a youth's birth date as text",
        ),
        pytest.param(
            lambda: Youth(id=ID, compulsory_school_completed=dt.datetime(2023, 6, 10)),
            "compulsory_school_completed",
            "datetime.datetime",
            id="a datetime where a day belongs",
        ),
        pytest.param(
            lambda: Youth(id=ID, residences=("1882",)),
            "residences",
            "Residence, not str",
            id="a kommunkod where a residence belongs",
        ),
        pytest.param(
            lambda: Youth(id=ID, residences=Residence(municipality="1882")),
            "residences",
            "tuple",
            id="one residence where a tuple belongs",
        ),
        pytest.param(
            lambda: Youth(id=ID, arrived_after_compulsory_school_age="yes"),
            "arrived_after_compulsory_school_age",
            "bool",
            id="text where a yes/no belongs",
        ),
        pytest.param(
            lambda: Residence(municipality=1882),
            "municipality",
            "text",
            id="an int kommunkod in a residence",
        ),
        pytest.param(
            lambda: Residence(municipality="1882", basis="folkbokford"),
            "basis",
            "HomeBasis, not str",
            id="a word where the enum belongs",
        ),
        pytest.param(
            lambda: Enrolment(school_form=SchoolForm.KOMVUX, start="2024-08-19"),
            "start",
            "datetime.date",
            id="an enrolment's start as text",
        ),
        pytest.param(
            lambda: Enrolment(school_form=SchoolForm.KOMVUX, start=D(2024, 8, 19), cancelled=1),
            "cancelled",
            "bool",
            id="a number where a yes/no belongs",
        ),
        pytest.param(
            lambda: Qualification(kind="gymnasieexamen", issued=D(2025, 6, 1)),
            "kind",
            "QualificationKind",
            id="a qualification's kind as text",
        ),
        pytest.param(
            lambda: Registration(day="2025-01-10"),
            "day",
            "datetime.date",
            id="a registration day as text",
        ),
        pytest.param(
            lambda: Contact(day=D(2025, 1, 11), channel="phone", outcome=ContactOutcome.REACHED),
            "channel",
            "Channel",
            id="a contact's channel as text",
        ),
        pytest.param(
            lambda: Measure(id="m1", type="guidance", offered="2025-02-01"),
            "offered",
            "datetime.date",
            id="a measure's offer day as text",
        ),
        pytest.param(
            lambda: KaaEnd(day=D(2025, 6, 1), reason="turned_20"),
            "reason",
            "EndReason",
            id="an end reason as text",
        ),
        pytest.param(
            lambda: ContactDetails(phone=70123456),
            "phone",
            "str, not int",
            id="a telephone number as a number",
        ),
        pytest.param(
            lambda: Address(street="Storgatan 1", postal_code=69630, city="Askersund"),
            "postal_code",
            "str",
            id="a postal code as a number",
        ),
        pytest.param(
            lambda: Case(youth=ID, municipality="1882", registration=REGISTERED),
            "youth",
            "Youth, not IdentityNumber",
            id="an identity number where the youth belongs",
        ),
        pytest.param(
            lambda: Case(youth=YOUTH, municipality=1882, registration=REGISTERED),
            "municipality",
            "text",
            id="an int kommunkod in a case",
        ),
        pytest.param(
            lambda: Case(youth=YOUTH, municipality="1882", registration=D(2025, 1, 10)),
            "registration",
            "Registration",
            id="a day where the registration belongs",
        ),
        pytest.param(
            lambda: Case(
                youth=YOUTH, municipality="1882", registration=REGISTERED, contacts=("phone",)
            ),
            "contacts",
            "Contact, not str",
            id="text among the contacts",
        ),
        pytest.param(
            lambda: Case(
                youth=YOUTH, municipality="1882", registration=REGISTERED, consents=("yes",)
            ),
            "consents[0]",
            "ConsentEvent",
            id="text among the consents",
        ),
        pytest.param(
            lambda: PlanRevision(day="2025-02-01"), "day", "datetime.date", id="a plan day as text"
        ),
        pytest.param(
            lambda: PlanRevision(day=D(2025, 2, 1), follow_ups=("2025-03-01",)),
            "follow-up day",
            "datetime.date",
            id="a follow-up day as text",
        ),
        pytest.param(
            lambda: PlanRevision(day=D(2025, 2, 1), goal=3),
            "free text",
            "str, not int",
            id="a number where the goal's text belongs",
        ),
        pytest.param(
            lambda: IndividualPlan(revisions=(D(2025, 2, 1),)),
            "revisions[0]",
            "PlanRevision",
            id="a day among the plan's revisions",
        ),
        pytest.param(
            lambda: PlannedMeasure(measure_id="m1", responsibilities=("the youth",)),
            "responsibilities[0]",
            "Responsibility",
            id="text among a measure's responsibilities",
        ),
        pytest.param(
            lambda: Responsibility(party="youth", task="närvara"),
            "party",
            "Party",
            id="a party as text",
        ),
        pytest.param(
            lambda: ConsentEvent(
                day="2025-02-01", action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL
            ),
            "day",
            "datetime.date",
            id="a consent day as text",
        ),
    ],
)
def test_a_model_refuses_a_wrong_type_naming_the_field(
    make: Callable[[], object], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        make()
    assert field in str(raised.value)
    assert words in str(raised.value)
    assert ID_TEXT not in str(raised.value)


def test_the_right_types_still_make_every_model() -> None:
    reached = Contact(
        day=D(2025, 1, 11),
        channel=Channel.PHONE,
        outcome=ContactOutcome.REACHED,
        activity=Activity.WORK,
    )
    plan = IndividualPlan(
        revisions=(
            PlanRevision(
                day=D(2025, 2, 1),
                measures=(
                    PlannedMeasure(
                        measure_id="m1",
                        responsibilities=(Responsibility(party=Party.YOUTH, task="närvara"),),
                        follow_ups=(D(2025, 3, 1),),
                    ),
                ),
            ),
        )
    )
    made = Case(
        youth=Youth(
            id=ID,
            residences=[Residence(municipality="1882", basis=HomeBasis.FOLKBOKFORD)],
            enrolments=(Enrolment(school_form=SchoolForm.KOMVUX, start=D(2024, 8, 19)),),
        ),
        municipality="1882",
        registration=REGISTERED,
        contacts=(reached,),
        measures=(Measure(id="m1", type="guidance", offered=D(2025, 2, 1)),),
        plan=plan,
        consents=(
            ConsentEvent(
                day=D(2025, 2, 1), action=ConsentAction.GRANT, counterpart=Counterpart.SCHOOL
            ),
        ),
        contact_details=ContactDetails(phone="070-123 45 67"),
    )
    assert made.reached()
    assert isinstance(made.youth.id, IdentityNumber)


@pytest.mark.parametrize(
    ("check", "message"),
    [
        pytest.param(
            lambda: require_date("2026-11-22", "on", where="f"),
            "f: on must be a datetime.date, not str; write datetime.date(2026, 11, 22) or "
            'datetime.date.fromisoformat("2026-11-22")',
            id="a string day",
        ),
        pytest.param(
            lambda: require_date(None, "on", where="f"),
            "f: on must be a datetime.date, not NoneType",
            id="no day where one is required",
        ),
        pytest.param(
            lambda: require_instance(3, str, "name", where="f"),
            "f: name must be a str, not int",
            id="a number for text",
        ),
        pytest.param(
            lambda: require_instance(False, int, "window", where="f"),
            "f: window must be an int, not bool",
            id="a bool for a number",
        ),
        pytest.param(
            lambda: require_kommunkod(180, "municipality", where="f"),
            'f: municipality must be a kommunkod written as text (four digits, e.g. "0180"), '
            "not int",
            id="an int kommunkod",
        ),
    ],
)
def test_a_boundary_check_says_what_is_wrong(check: Callable[[], None], message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check()
    assert str(raised.value) == message


def test_an_unknown_kommunkod_is_its_own_error_with_a_hint() -> None:
    with pytest.raises(UnknownMunicipality, match=r"f: municipality: .*did you mean 0180"):
        require_kommunkod("180", "municipality", where="f")


@pytest.mark.parametrize(
    ("value", "optional"),
    [
        pytest.param(D(2025, 1, 1), False, id="a day passes"),
        pytest.param(None, True, id="no day passes where it is optional"),
    ],
)
def test_the_good_values_pass(value: object, optional: bool) -> None:
    require_date(value, "on", where="f", optional=optional)
    require_kommunkod("0180", "municipality", where="f")
    require_kommunkod(None, "municipality", where="f", optional=True)
    assert date_field(optional=optional) is not None


def test_a_type_name_is_qualified_outside_the_builtins() -> None:
    assert type_name("x") == "str"
    assert type_name(dt.datetime(2025, 1, 1)) == "datetime.datetime"
