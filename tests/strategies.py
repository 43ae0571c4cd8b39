"""Hypothesis strategies for the library's models, shared by the test modules.

Import with ``from strategies import youths`` (``tests`` is on pytest's ``pythonpath``).
Identity numbers are Skatteverket test numbers or synthetic interim numbers only.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from kaa.identity import IdentityNumber
from kaa.model import (
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

__all__ = ["dates", "enrolments", "identity_numbers", "qualifications", "residences", "youths"]

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
