"""Hypothesis strategies for the library's models, shared by the test modules.

Import with ``from strategies import youths`` (``tests`` is on pytest's ``pythonpath``).
Identity numbers are Skatteverket test numbers or synthetic interim numbers only.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    MeasureEndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.testing import interim_number, skatteverket_numbers

__all__ = [
    "cases",
    "contacts",
    "dates",
    "enrolments",
    "identity_numbers",
    "measures",
    "qualifications",
    "residences",
    "youths",
]

MUNICIPALITIES = ("0180", "1882", "1488", "1780", "0114", "2584")

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2032, 12, 31))
"""Days in the range the library's tests care about."""

identity_numbers = st.one_of(
    st.sampled_from(skatteverket_numbers()).map(IdentityNumber.parse),
    st.builds(
        interim_number,
        st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2012, 12, 31)),
        st.integers(min_value=0, max_value=1099),
    ),
)
"""Skatteverket test personnummer and synthetic interim numbers."""


@st.composite
def residences(draw: st.DrawFn) -> Residence:
    """A residence with an optional start and an end not before it."""
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Residence(
        municipality=draw(st.sampled_from(MUNICIPALITIES)),
        basis=draw(st.sampled_from(HomeBasis)),
        start=start,
        end=end,
    )


@st.composite
def enrolments(draw: st.DrawFn) -> Enrolment:
    """An enrolment in any school form and programme."""
    start = draw(dates)
    end = draw(st.none() | dates.filter(lambda d: d >= start))
    return Enrolment(
        school_form=draw(st.sampled_from(SchoolForm)),
        programme=draw(st.sampled_from(Programme)),
        start=start,
        end=end,
        cancelled=draw(st.booleans()) if end is not None else False,
    )


qualifications = st.builds(Qualification, kind=st.sampled_from(QualificationKind), issued=dates)
"""A certificate or degree."""


@st.composite
def youths(draw: st.DrawFn) -> Youth:
    """A youth with any combination of facts."""
    arrival = draw(st.none() | dates)
    return Youth(
        id=draw(identity_numbers),
        residences=tuple(draw(st.lists(residences(), max_size=3))),
        compulsory_school_completed=draw(st.none() | dates),
        folkbokford_in_sweden=arrival,
        arrived_after_compulsory_school_age=draw(st.none() | st.booleans()) if arrival else None,
        enrolments=tuple(draw(st.lists(enrolments(), max_size=3))),
        qualifications=tuple(draw(st.lists(qualifications, max_size=2))),
    )


def _day_in(draw: st.DrawFn, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=draw(st.integers(0, (last - first).days)))


@st.composite
def contacts(draw: st.DrawFn, first: dt.date, last: dt.date) -> Contact:
    """A contact attempt on a day from ``first`` to ``last``; an activity only when reached."""
    outcome = draw(st.sampled_from(ContactOutcome))
    activity = draw(st.none() | st.sampled_from(Activity)) if outcome.reached else None
    return Contact(
        day=_day_in(draw, first, last),
        channel=draw(st.sampled_from(Channel)),
        contacted=draw(st.sampled_from(Contacted)),
        outcome=outcome,
        activity=activity,
    )


@st.composite
def measures(draw: st.DrawFn, id: str, first: dt.date, last: dt.date) -> Measure:
    """A measure offered, started and ended (each optional) between ``first`` and ``last``."""
    offered = _day_in(draw, first, last)
    declined = draw(st.booleans())
    if declined:
        return Measure(
            id=id,
            type=draw(st.sampled_from(("study_guidance", "coaching", "other"))),
            offered=offered,
            declined=True,
            decline_reason=draw(st.none() | st.just("har arbete")),
        )
    start = _day_in(draw, offered, last) if draw(st.booleans()) else None
    end = None
    if start is not None and draw(st.booleans()):
        end = _day_in(draw, start, last)
    return Measure(
        id=id,
        type=draw(st.sampled_from(("study_guidance", "introduction_programme", "other"))),
        offered=offered,
        start=start,
        end=end,
        end_reason=draw(st.none() | st.sampled_from(MeasureEndReason)) if end else None,
        activity_after=draw(st.none() | st.sampled_from(Activity)),
    )


@st.composite
def cases(draw: st.DrawFn, youth: st.SearchStrategy[Youth] | None = None) -> Case:
    """A valid case: every event between the registration and the end of KAA."""
    the_youth = draw(youth if youth is not None else youths())
    registered = draw(dates)
    end = None
    if draw(st.booleans()):
        end = KaaEnd(
            day=registered + dt.timedelta(days=draw(st.integers(0, 800))),
            reason=draw(st.sampled_from(EndReason)),
        )
    last = end.day if end is not None else registered + dt.timedelta(days=800)
    n_measures = draw(st.integers(0, 3))
    details = None
    if draw(st.booleans()):
        address = None
        if not the_youth.has_protected_identity and draw(st.booleans()):
            address = Address(street="Storgatan 1", postal_code="69630", city="Askersund")
        details = ContactDetails(
            name=draw(st.none() | st.just("Test Testsson")),
            address=address,
            email=draw(st.none() | st.just("test@example.se")),
            phone=draw(st.none() | st.just("070-000 00 00")),
        )
    return Case(
        youth=the_youth,
        municipality=draw(st.sampled_from(MUNICIPALITIES)),
        registration=Registration(
            day=registered,
            source=draw(st.sampled_from(RegistrationSource)),
            reason=draw(st.sampled_from(RegistrationReason)),
            activity=draw(st.sampled_from(Activity)),
        ),
        contacts=tuple(draw(st.lists(contacts(registered, last), max_size=4))),
        measures=tuple(draw(measures(f"m{i + 1}", registered, last)) for i in range(n_measures)),
        end=end,
        case_worker=draw(st.none() | st.just("handläggare-1")),
        contact_details=details,
    )
