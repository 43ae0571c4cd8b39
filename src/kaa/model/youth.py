"""The facts about a youth that the target-group rule needs, as frozen value classes.

Only what förordning (2006:39) 4 § lets the register hold about a youth is modelled:
identity, home municipality, and previous, current and future activity (education). No
sensitive personal data (5 §) has a field here.

Structuring from plain dicts/JSON lives in :mod:`kaa.convert`; file formats live in
:mod:`kaa.formats`.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from kaa.errors import InvalidInput, UnknownMunicipality
from kaa.identity import IdentityNumber
from kaa.model.checks import date_field, instance_field, items_field
from kaa.municipalities import is_municipality_code, municipality

__all__ = [
    "Enrolment",
    "HomeBasis",
    "Labelled",
    "Programme",
    "Qualification",
    "QualificationKind",
    "Residence",
    "SchoolForm",
    "Youth",
]


class Labelled(enum.Enum):
    """An enum whose members carry a Swedish label next to their English value."""

    label_sv: str

    def __new__(cls, value: str, label_sv: str) -> Labelled:
        member = object.__new__(cls)
        member._value_ = value
        member.label_sv = label_sv
        return member

    def __str__(self) -> str:
        return str(self.value)

    # A member is equal only to itself (Enum's equality is identity), so it may hash as
    # itself: the object's hash is computed in C, where Enum's hash(self._name_) is a
    # Python call in every dict and set lookup (a worklist run makes millions of them).
    __hash__ = object.__hash__


class HomeBasis(Labelled):
    """Why a municipality is (or is not) the youth's home municipality, 29 kap. 6 § skollagen."""

    FOLKBOKFORD = ("folkbokford", "folkbokförd i kommunen")
    """Population-registered in the municipality."""
    RESIDENT = ("resident", "stadigvarande vistas i kommunen utan folkbokföring")
    """Lives in Sweden without folkbokföring, permanently staying in the municipality."""
    PROTECTED = ("protected", "skyddad folkbokföring")
    """Protected population registration: lives (or is registered) here; never show an address."""
    ASYLUM_SEEKER = ("asylum_seeker", "asylsökande")
    """An asylum seeker: no home municipality in the sense of KAA."""
    UNDOCUMENTED = ("undocumented", "vistas i landet utan tillstånd")
    """Stays in Sweden without permission: no home municipality in the sense of KAA."""

    @property
    def gives_home_municipality(self) -> bool:
        """Whether this basis makes the municipality the youth's home municipality."""
        return self in (HomeBasis.FOLKBOKFORD, HomeBasis.RESIDENT, HomeBasis.PROTECTED)


class SchoolForm(Labelled):
    """The form of education an enrolment is in (*skolform* or equivalent)."""

    GYMNASIESKOLA = ("gymnasieskola", "gymnasieskola")
    ANPASSAD_GYMNASIESKOLA = (
        "anpassad_gymnasieskola",
        "anpassad gymnasieskola (gymnasiesärskola före 2023-07-02)",
    )
    KOMVUX = ("komvux", "kommunal vuxenutbildning")
    FOLKHOGSKOLA = ("folkhogskola", "folkhögskola")
    ABROAD = ("abroad", "studier utomlands")
    EQUIVALENT = ("equivalent", "annan utbildning som motsvarar gymnasieskolan")
    """Other education that by itself counts as equivalent to *gymnasieskola* (for example an
    international school or a *riksinternatskola*)."""
    OTHER = ("other", "annan utbildning")


class Programme(Labelled):
    """The kind of programme within a school form."""

    NATIONAL = ("national", "nationellt program")
    INTRODUCTION = ("introduction", "introduktionsprogram")
    GENERAL_COURSE = ("general_course", "allmän kurs (folkhögskola)")
    UPPER_SECONDARY_LEVEL = ("upper_secondary_level", "gymnasial nivå (komvux)")
    OTHER = ("other", "annat")
    NONE = ("none", "inget program")


class QualificationKind(Labelled):
    """Certificates and degrees that matter for the target group (T4, T5)."""

    GYMNASIEEXAMEN = ("gymnasieexamen", "gymnasieexamen")
    GYMNASIESKOLEBEVIS = (
        "gymnasieskolebevis",
        "gymnasieskolebevis avseende anpassad gymnasieskola (gymnasiesärskolebevis)",
    )
    STUDIEBEVIS = ("studiebevis", "studiebevis")
    GYMNASIEINTYG = ("gymnasieintyg", "gymnasieintyg")
    IB_DIPLOMA = ("ib_diploma", "IB-examen")
    FOREIGN_UPPER_SECONDARY = ("foreign_upper_secondary", "utländsk gymnasieexamen")
    FOLKHOGSKOLA_ELIGIBILITY = (
        "folkhogskola_eligibility",
        "intyg om grundläggande behörighet från folkhögskola",
    )
    KOMVUX_EXAMEN = ("komvux_examen", "gymnasieexamen från komvux")

    @property
    def is_degree(self) -> bool:
        """A *gymnasieexamen* or *gymnasieskolebevis* (condition T4)."""
        return self in (QualificationKind.GYMNASIEEXAMEN, QualificationKind.GYMNASIESKOLEBEVIS)

    @property
    def is_equivalent_completion(self) -> bool:
        """Completed education equivalent to *gymnasieskola* with a pass (condition T5)."""
        return self in (
            QualificationKind.IB_DIPLOMA,
            QualificationKind.FOREIGN_UPPER_SECONDARY,
            QualificationKind.FOLKHOGSKOLA_ELIGIBILITY,
            QualificationKind.KOMVUX_EXAMEN,
        )


def check_municipality_code(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InvalidInput(
            f'{attribute.name} must be a kommunkod written as text (four digits, e.g. "0180"), '
            f"not {type(value).__name__}",
            column=attribute.name,
        )
    if not is_municipality_code(value):
        try:
            municipality(value)
        except UnknownMunicipality as exc:
            raise InvalidInput(exc.message, column=attribute.name) from None


def not_before(start_name: str) -> attrs._ValidatorType[dt.date | None]:
    def check(instance: object, attribute: attrs.Attribute[dt.date | None], value: object) -> None:
        start = getattr(instance, start_name)
        if isinstance(value, dt.date) and start is not None and value < start:
            raise InvalidInput(
                f"{attribute.name} {value.isoformat()} is before {start_name} {start.isoformat()}",
                column=attribute.name,
            )

    return check


@attrs.frozen(kw_only=True)
class Residence:
    """Where the youth lives (or lived) and on what basis, from ``start`` to ``end``.

    Attributes:
        municipality: The four-digit *kommunkod*.
        basis: Folkbokförd, resident without folkbokföring, protected registration, or a
            basis that gives no home municipality (asylum seeker, undocumented).
        start: The first day, or ``None`` if not known (taken as "always").
        end: The last day, or ``None`` while it lasts.
    """

    municipality: str = attrs.field(validator=check_municipality_code)
    basis: HomeBasis = attrs.field(
        default=HomeBasis.FOLKBOKFORD, validator=instance_field(HomeBasis)
    )
    start: dt.date | None = attrs.field(default=None, validator=date_field(optional=True))
    end: dt.date | None = attrs.field(
        default=None, validator=[date_field(optional=True), not_before("start")]
    )

    def covers(self, day: dt.date) -> bool:
        """Whether the residence holds on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@attrs.frozen(kw_only=True)
class Enrolment:
    """A period of education (*inskrivning*).

    Attributes:
        school_form: The form of education.
        programme: The programme type within it.
        start: The first day of studies.
        end: The last day (planned or actual), or ``None`` while ongoing.
        cancelled: ``True`` if the studies were broken off (*avbrott*) on ``end``.
    """

    school_form: SchoolForm = attrs.field(validator=instance_field(SchoolForm))
    programme: Programme = attrs.field(default=Programme.NONE, validator=instance_field(Programme))
    start: dt.date = attrs.field(validator=date_field())
    end: dt.date | None = attrs.field(
        default=None, validator=[date_field(optional=True), not_before("start")]
    )
    cancelled: bool = attrs.field(default=False, validator=instance_field(bool))

    def covers(self, day: dt.date) -> bool:
        """Whether the youth is enrolled on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen(kw_only=True)
class Qualification:
    """A certificate or degree and the day it was issued.

    Attributes:
        kind: Which certificate or degree.
        issued: The day it was issued (the youth holds it from that day).
    """

    kind: QualificationKind = attrs.field(validator=instance_field(QualificationKind))
    issued: dt.date = attrs.field(validator=date_field())


def _identity_number(value: object) -> None:
    if not isinstance(value, IdentityNumber):
        raise InvalidInput(
            f"a youth's id must be an IdentityNumber (use IdentityNumber.parse), not "
            f"{type(value).__name__}"
        )


@attrs.frozen(kw_only=True)
class Youth:
    """Everything the target-group rule needs to know about one youth.

    Attributes:
        id: The personnummer, samordningsnummer or interim number (masked in ``repr``).
        birth_date: The birth date when the identity number does not give it (a
            samordningsnummer with an unknown date); otherwise ``None``.
        residences: Where the youth lives, over time.
        compulsory_school_completed: The day the youth completed compulsory schooling
            (*fullgjort skolplikten*), if they have.
        folkbokford_in_sweden: The day the youth became folkbokförd in Sweden, for youths who
            came to Sweden.
        arrived_after_compulsory_school_age: Whether on that day the youth no longer had
            compulsory schooling (*inte längre hade skolplikt*), as determined by the
            municipality; ``None`` if not known.
        enrolments: Periods of education.
        qualifications: Certificates and degrees.
    """

    id: IdentityNumber = attrs.field(validator=lambda _, __, value: _identity_number(value))
    birth_date: dt.date | None = attrs.field(default=None, validator=date_field(optional=True))
    residences: tuple[Residence, ...] = attrs.field(default=(), validator=items_field(Residence))
    compulsory_school_completed: dt.date | None = attrs.field(
        default=None, validator=date_field(optional=True)
    )
    folkbokford_in_sweden: dt.date | None = attrs.field(
        default=None, validator=date_field(optional=True)
    )
    arrived_after_compulsory_school_age: bool | None = attrs.field(
        default=None, validator=instance_field(bool, optional=True)
    )
    enrolments: tuple[Enrolment, ...] = attrs.field(default=(), validator=items_field(Enrolment))
    qualifications: tuple[Qualification, ...] = attrs.field(
        default=(), validator=items_field(Qualification)
    )

    def residence_on(self, day: dt.date) -> Residence | None:
        """The residence that holds on ``day`` (the latest-starting one if several do)."""
        found: Residence | None = None
        for residence in self.residences:
            if residence.covers(day) and (
                found is None or (residence.start or dt.date.min) >= (found.start or dt.date.min)
            ):
                found = residence
        return found

    @property
    def has_protected_identity(self) -> bool:
        """Whether any residence is a protected registration (*skyddad folkbokföring*)."""
        return any(r.basis is HomeBasis.PROTECTED for r in self.residences)
