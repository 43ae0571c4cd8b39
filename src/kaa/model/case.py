"""A youth's KAA case: registration, contacts, measures and the end of the duty.

The case record is what the register holds about one youth in one municipality, shared by
every part of the library: the SCB submission (:mod:`kaa.scb`), the contact worklist,
the individual plan and the follow-up statistics.

What may be kept is limited by förordning (2006:39) 4 §: name, identity number, home
address, e-mail, telephone; previous, current and future activity (*sysselsättning*); and
whether a measure is relevant, its content and when it can start. So there is no free-text
"notes" field, no guardian's personal data (a contact with the guardian is recorded as an
event, without their details), and a youth with protected identity never has an address.

Activities include an explicit :attr:`Activity.UNKNOWN`: a youth who has not been reached has
an unknown activity, following SCB's category "okänd" and the "not known" status of England's
NCCIS and Norway's OT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs

from kaa.errors import InvalidInput
from kaa.model.checks import date_field, instance_field, items_field
from kaa.model.documentation import ConsentEvent, IndividualPlan, sorted_consents
from kaa.model.youth import Labelled, Youth, check_municipality_code, not_before

__all__ = [
    "Activity",
    "Address",
    "Case",
    "Channel",
    "Contact",
    "ContactDetails",
    "ContactOutcome",
    "Contacted",
    "EndReason",
    "KaaEnd",
    "Measure",
    "MeasureCategory",
    "MeasureEndReason",
    "Registration",
    "RegistrationReason",
    "RegistrationSource",
]


class RegistrationSource(Labelled):
    """How the youth came to the municipality's attention."""

    REGISTER_LIST = ("register_list", "målgruppslista ur elevregistret")
    SCHOOL_NOTICE = ("school_notice", "anmälan från skolan enligt 15 kap. 15 § skollagen")
    MOVED_IN = ("moved_in", "inflyttad till kommunen")
    OTHER = ("other", "annat")


class RegistrationReason(Labelled):
    """The youth's latest school-related activity at registration (SCB, required since
    2017-07-01)."""

    INTRODUCTION_PROGRAMME = ("introduction_programme", "har gått på introduktionsprogram")
    BROKE_OFF_NATIONAL = ("broke_off_national", "har avbrutit nationellt program")
    STUDIEBEVIS = ("studiebevis", "har gått ut med studiebevis")
    NEVER_STARTED = ("never_started", "har aldrig studerat i gymnasieskolan")
    OTHER = ("other", "annat")
    MISSING = ("missing", "uppgift saknas")


class Activity(Labelled):
    """What the youth is doing (*sysselsättning*), as SCB counts it."""

    UNKNOWN = ("unknown", "okänd (ungdomen har inte nåtts)")
    NO_ACTIVITY = ("no_activity", "ingen sysselsättning")
    INTRODUCTION_PROGRAMME = ("introduction_programme", "introduktionsprogram")
    NATIONAL_PROGRAMME = ("national_programme", "nationellt program")
    OTHER_STUDIES = ("other_studies", "andra studier (komvux, folkhögskola m.m.)")
    WORK = ("work", "arbete")
    MEASURE = ("measure", "insats inom aktivitetsansvaret")
    OTHER = ("other", "annan sysselsättning")

    @property
    def is_studies(self) -> bool:
        """Whether the activity is studies (for "returned to studies")."""
        return self in (
            Activity.INTRODUCTION_PROGRAMME,
            Activity.NATIONAL_PROGRAMME,
            Activity.OTHER_STUDIES,
        )


class Channel(Labelled):
    """How a contact was attempted."""

    POSTCARD = ("postcard", "vykort")
    PHONE = ("phone", "telefonsamtal")
    SMS = ("sms", "sms")
    LETTER = ("letter", "brev")
    EMAIL = ("email", "e-post")
    SOCIAL_MEDIA = ("social_media", "sociala medier")
    HOME_VISIT = ("home_visit", "hembesök")
    MEETING = ("meeting", "möte")
    E_SERVICE = ("e_service", "e-tjänst")
    OTHER = ("other", "annat")


class Contacted(Labelled):
    """Who was contacted."""

    YOUTH = ("youth", "ungdomen")
    GUARDIAN = ("guardian", "vårdnadshavare")


class ContactOutcome(Labelled):
    """What came of a contact attempt."""

    REACHED = ("reached", "nådd")
    NO_ANSWER = ("no_answer", "inget svar")
    MESSAGE_LEFT = ("message_left", "meddelande lämnat")
    SENT = ("sent", "skickat, inget svar ännu")
    RETURNED_MAIL = ("returned_mail", "returpost")
    DECLINED_SUPPORT = ("declined_support", "nådd, avböjer stöd")
    """Reached, and declined the support offered in words (no measure was offered): Askersund's
    Steg 2 "Ungdom avböjer stöd"."""

    @property
    def reached(self) -> bool:
        """Whether the person contacted (the youth or a guardian) was actually reached."""
        return self in _REACHED

    @property
    def result_known(self) -> bool:
        """Whether the attempt's result is known when it is recorded: a postcard or letter
        that was only sent has none yet (no answer is known only once it stays unanswered)."""
        return self is not ContactOutcome.SENT


_REACHED: Final = frozenset({ContactOutcome.REACHED, ContactOutcome.DECLINED_SUPPORT})
"""The outcomes that reached the person contacted (:attr:`ContactOutcome.reached`)."""


class MeasureCategory(Labelled):
    """The category a measure is reported as to SCB."""

    INTRODUCTION_PROGRAMME_STUDIES = (
        "introduction_programme_studies",
        "studier på introduktionsprogram",
    )
    GUIDANCE = ("guidance", "studie- och yrkesvägledning")
    OTHER = ("other", "annan insats")


class MeasureEndReason(Labelled):
    """Why a measure ended."""

    COMPLETED = ("completed", "insatsen genomförd")
    STARTED_STUDIES = ("started_studies", "började studera")
    STARTED_WORK = ("started_work", "började arbeta")
    YOUTH_ENDED = ("youth_ended", "ungdomen avbröt")
    KAA_ENDED = ("kaa_ended", "aktivitetsansvaret upphörde")
    OTHER = ("other", "annat")


class EndReason(Labelled):
    """Why the municipality's activity responsibility for the youth ended."""

    TURNED_20 = ("turned_20", "fyllt 20 år")
    DEGREE = ("degree", "fullföljt gymnasieutbildning med examen eller motsvarande")
    STARTED_PROGRAMME = (
        "started_programme",
        "påbörjat nationellt program, introduktionsprogram eller motsvarande",
    )
    NOT_FOLKBOKFORD = ("not_folkbokford", "inte längre folkbokförd i kommunen")
    MOVED_ABROAD = ("moved_abroad", "utflyttad från Sverige")
    DECEASED = ("deceased", "avliden")
    OTHER = ("other", "annat")


@attrs.frozen(kw_only=True)
class Registration:
    """When and why the youth was registered in the KAA register.

    Attributes:
        day: The day the youth was registered.
        source: How the youth came to the municipality's attention.
        reason: The latest school-related activity at registration (SCB's "reason for
            registration").
        activity: The youth's activity at registration (:attr:`Activity.UNKNOWN` if not
            known).
    """

    day: dt.date = attrs.field(validator=date_field())
    source: RegistrationSource = attrs.field(
        default=RegistrationSource.REGISTER_LIST, validator=instance_field(RegistrationSource)
    )
    reason: RegistrationReason = attrs.field(
        default=RegistrationReason.MISSING, validator=instance_field(RegistrationReason)
    )
    activity: Activity = attrs.field(default=Activity.UNKNOWN, validator=instance_field(Activity))


@attrs.frozen(kw_only=True)
class Contact:
    """One contact attempt.

    Attributes:
        day: The day of the attempt.
        channel: How.
        contacted: The youth or a guardian.
        outcome: What came of it.
        activity: The youth's activity as learnt at this contact (only when reached);
            ``None`` when nothing was learnt.
    """

    day: dt.date = attrs.field(validator=date_field())
    channel: Channel = attrs.field(validator=instance_field(Channel))
    contacted: Contacted = attrs.field(default=Contacted.YOUTH, validator=instance_field(Contacted))
    outcome: ContactOutcome = attrs.field(validator=instance_field(ContactOutcome))
    activity: Activity | None = attrs.field(
        default=None, validator=instance_field(Activity, optional=True)
    )

    @activity.validator
    def _activity_only_when_reached(
        self, attribute: attrs.Attribute[Activity | None], value: Activity | None
    ) -> None:
        if value is not None and value is not Activity.UNKNOWN and not self.outcome.reached:
            raise InvalidInput(
                f"an activity ({value.value}) can only be learnt at a contact that reached "
                f"someone, not one with outcome {self.outcome.value}",
                column="activity",
            )


@attrs.frozen(kw_only=True)
class Measure:
    """One individual measure (*insats*) offered to the youth.

    Attributes:
        id: Identifies the measure within the case (e.g. ``"m1"``).
        type: The catalogue id of the measure (see :mod:`kaa.rules.measures`).
        offered: The day it was offered.
        declined: Whether the youth declined it.
        decline_reason: Why, in a few neutral words (no sensitive personal data).
        start: The day it started (``None`` if declined or not yet started).
        end: The day it ended (``None`` while ongoing).
        end_reason: Why it ended.
        activity_after: The youth's activity after the measure.
    """

    id: str = attrs.field(validator=instance_field(str))
    type: str = attrs.field(validator=instance_field(str))
    offered: dt.date = attrs.field(validator=date_field())
    declined: bool = attrs.field(default=False, validator=instance_field(bool))
    decline_reason: str | None = attrs.field(
        default=None, validator=instance_field(str, optional=True)
    )
    start: dt.date | None = attrs.field(
        default=None, validator=[date_field(optional=True), not_before("offered")]
    )
    end: dt.date | None = attrs.field(
        default=None, validator=[date_field(optional=True), not_before("start")]
    )
    end_reason: MeasureEndReason | None = attrs.field(
        default=None, validator=instance_field(MeasureEndReason, optional=True)
    )
    activity_after: Activity | None = attrs.field(
        default=None, validator=instance_field(Activity, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if self.declined and self.start is not None:
            raise InvalidInput(
                f"measure {self.id}: a declined measure cannot have started", column="start"
            )
        if self.end is not None and self.start is None:
            raise InvalidInput(f"measure {self.id}: it ends but never started", column="end")
        if self.end_reason is not None and self.end is None:
            raise InvalidInput(
                f"measure {self.id}: a reason for ending needs an end day", column="end_reason"
            )
        if self.decline_reason is not None and not self.declined:
            raise InvalidInput(
                f"measure {self.id}: a decline reason on a measure that was not declined",
                column="decline_reason",
            )

    def ongoing_on(self, day: dt.date) -> bool:
        """Whether the measure is running on ``day``."""
        return (
            self.start is not None and self.start <= day and (self.end is None or day <= self.end)
        )


@attrs.frozen(kw_only=True)
class KaaEnd:
    """The end of the municipality's activity responsibility for the youth.

    Attributes:
        day: The day it ended.
        reason: Why.
    """

    day: dt.date = attrs.field(validator=date_field())
    reason: EndReason = attrs.field(validator=instance_field(EndReason))


@attrs.frozen(kw_only=True, repr=False)
class Address:
    """A home address (*hemadress*). Never kept for a youth with protected identity.

    Attributes:
        street: Street and number.
        postal_code: Five digits.
        city: Post town.
    """

    street: str = attrs.field(validator=instance_field(str))
    postal_code: str = attrs.field(validator=instance_field(str))
    city: str = attrs.field(validator=instance_field(str))

    def __repr__(self) -> str:
        return "Address(<hidden>)"


@attrs.frozen(kw_only=True, repr=False)
class ContactDetails:
    """How to reach the youth: the contact data förordning (2006:39) 4 § allows.

    ``repr`` hides every value: contact details are personal data.

    Attributes:
        name: The youth's name.
        address: Home address; must be ``None`` for a youth with protected identity.
        email: E-mail address.
        phone: Telephone number.
    """

    name: str | None = attrs.field(default=None, validator=instance_field(str, optional=True))
    address: Address | None = attrs.field(
        default=None, validator=instance_field(Address, optional=True)
    )
    email: str | None = attrs.field(default=None, validator=instance_field(str, optional=True))
    phone: str | None = attrs.field(default=None, validator=instance_field(str, optional=True))

    def __repr__(self) -> str:
        known = [f for f in ("name", "address", "email", "phone") if getattr(self, f)]
        return f"ContactDetails(<hidden: {', '.join(known) or 'nothing'}>)"


def _sorted_contacts(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    kept = tuple(contacts)
    for index, contact in enumerate(kept):
        if not isinstance(contact, Contact):
            raise InvalidInput(
                f"contacts[{index}] must be a Contact, not {type(contact).__name__}",
                column="contacts",
            )
    return tuple(sorted(kept, key=lambda c: c.day))


@attrs.frozen(kw_only=True)
class Case:
    """A youth's KAA case in one municipality.

    Invariants (checked when the case is made): contacts, measures, consent and the plan are
    not before the registration day; nothing but plan revisions happens after the end of KAA;
    the end is not before the registration; measure ids are unique; the plan documents only
    measures of the case; a youth with protected identity has no address.

    Attributes:
        youth: The facts the target-group rule needs (identity, home, education).
        municipality: The responsible municipality's kommunkod.
        registration: When and why the youth was registered.
        contacts: Contact attempts, in any order (kept sorted by day).
        measures: Measures offered.
        end: The end of KAA, if it has ended.
        case_worker: The responsible case worker (*handläggare*), a name or user id.
        contact_details: How to reach the youth.
        plan: The individual plan with its revisions (:mod:`kaa.model.documentation`), if one
            has been made.
        consents: Consent given and revoked to share information, kept sorted by day.
        missing_from_register: The first day a register sync (:mod:`kaa.sync`) found the
            youth missing from the register export; ``None`` while the register lists them.
            The facts do not say why (moved away? an error in the export?): the worklist asks
            the case worker to decide whether KAA has ended.
    """

    youth: Youth = attrs.field(validator=instance_field(Youth))
    municipality: str = attrs.field(validator=check_municipality_code)
    registration: Registration = attrs.field(validator=instance_field(Registration))
    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_sorted_contacts)
    measures: tuple[Measure, ...] = attrs.field(default=(), validator=items_field(Measure))
    end: KaaEnd | None = attrs.field(default=None, validator=instance_field(KaaEnd, optional=True))
    case_worker: str | None = attrs.field(
        default=None, validator=instance_field(str, optional=True)
    )
    contact_details: ContactDetails | None = attrs.field(
        default=None, validator=instance_field(ContactDetails, optional=True)
    )
    plan: IndividualPlan | None = attrs.field(
        default=None, validator=instance_field(IndividualPlan, optional=True)
    )
    consents: tuple[ConsentEvent, ...] = attrs.field(default=(), converter=sorted_consents)
    missing_from_register: dt.date | None = attrs.field(
        default=None, validator=date_field(optional=True)
    )

    def __attrs_post_init__(self) -> None:
        registered = self.registration.day
        if self.missing_from_register is not None and self.missing_from_register < registered:
            raise InvalidInput(
                f"missing from the register on {self.missing_from_register.isoformat()}, before "
                f"the registration {registered.isoformat()}",
                column="missing_from_register",
            )
        last = self.end.day if self.end is not None else None
        if last is not None and last < registered:
            raise InvalidInput(
                f"KAA ended {last.isoformat()}, before the registration {registered.isoformat()}",
                column="end",
            )
        for contact in self.contacts:
            if contact.day < registered:
                raise InvalidInput(
                    f"a contact on {contact.day.isoformat()} is before the registration "
                    f"{registered.isoformat()}",
                    column="contacts",
                )
            if last is not None and contact.day > last:
                raise InvalidInput(
                    f"a contact on {contact.day.isoformat()} is after KAA ended {last.isoformat()}",
                    column="contacts",
                )
        ids: set[str] = set()
        for measure in self.measures:
            if measure.id in ids:
                raise InvalidInput(f"two measures have the id {measure.id!r}", column="measures")
            ids.add(measure.id)
            if measure.offered < registered:
                raise InvalidInput(
                    f"measure {measure.id} was offered {measure.offered.isoformat()}, before the "
                    f"registration {registered.isoformat()}",
                    column="measures",
                )
            if last is not None:
                for name in ("offered", "start", "end"):
                    day = getattr(measure, name)
                    if day is not None and day > last:
                        raise InvalidInput(
                            f"measure {measure.id}: {name} {day.isoformat()} is after KAA ended "
                            f"{last.isoformat()}",
                            column="measures",
                        )
        if (
            self.contact_details is not None
            and self.contact_details.address is not None
            and self.youth.has_protected_identity
        ):
            raise InvalidInput(
                "the youth has protected identity: no address may be kept", column="address"
            )
        for event in self.consents:
            if event.day < registered or (last is not None and event.day > last):
                raise InvalidInput(
                    f"consent {event.action.value} on {event.day.isoformat()} is outside KAA "
                    f"({registered.isoformat()} to {last.isoformat() if last else 'now'})",
                    column="consents",
                )
        if self.plan is not None:
            if self.plan.made_on < registered:
                raise InvalidInput(
                    f"the plan was made {self.plan.made_on.isoformat()}, before the "
                    f"registration {registered.isoformat()}",
                    column="plan",
                )
            for revision in self.plan.revisions:
                for planned in revision.measures:
                    if planned.measure_id not in ids:
                        raise InvalidInput(
                            f"the plan of {revision.day.isoformat()} documents measure "
                            f"{planned.measure_id!r}, which the case does not have",
                            column="plan",
                        )

    @property
    def id(self) -> str:
        """The youth's masked identity number (for messages and reports)."""
        return self.youth.id.masked()

    def open_on(self, day: dt.date) -> bool:
        """Whether the case is registered and not ended on ``day``."""
        return self.registration.day <= day and (self.end is None or day < self.end.day)

    def reached(self, on: dt.date | None = None) -> bool:
        """Whether the youth has been reached (by ``on``, if given).

        Only a contact that reached the youth counts: reaching a guardian is recorded (see
        :meth:`guardian_reached`) but is not reaching the youth.
        """
        return self._reached_by(Contacted.YOUTH, on)

    def guardian_reached(self, on: dt.date | None = None) -> bool:
        """Whether a guardian has been reached (by ``on``, if given)."""
        return self._reached_by(Contacted.GUARDIAN, on)

    def _reached_by(self, who: Contacted, on: dt.date | None) -> bool:
        # the contacts are kept in day order, so the first one after ``on`` ends the search
        for contact in self.contacts:
            if on is not None and contact.day > on:
                return False
            if contact.contacted is who and contact.outcome in _REACHED:
                return True
        return False

    def latest_activity(self, on: dt.date | None = None) -> Activity:
        """The youth's activity as last learnt (at a contact, or at registration)."""
        for contact in reversed(self.contacts):
            if (on is None or contact.day <= on) and contact.activity is not None:
                return contact.activity
        return self.registration.activity
