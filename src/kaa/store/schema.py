"""What the store's schema holds, and on what ground it may hold it.

Förordning (2006:39) 4 § lists the only personal data the KAA register may hold about a
youth: (1) name, personnummer or samordningsnummer, home address, e-mail address and
telephone number; (2) previous, current and future activity (*sysselsättning*: education,
work, other service or activity); (3) whether an individual measure is relevant, its content
and when it can start. 29 kap. 9 § skollagen adds the **documentation** of the measures
(the individual plan and the rest of what förordning (2006:39) asks it to contain).
5 § forbids sensitive personal data: the free-text fields (:attr:`Allowed.free_text`) pass the
privacy guard (:mod:`kaa.rules.privacy`) whenever they are written.

:data:`COLUMNS` names every column of every table of both backends' schema (the same in
SQLite and PostgreSQL) and :data:`FIELDS` every field of the case and of the events as they
are kept in the ``state`` and ``data`` columns (JSON), each with its ground; the tests
(``tests/store/test_schema.py``) read the schema the migrations build and the model's fields
(:func:`stored_fields`) and fail on anything not listed here. Adding a field to the register
therefore means saying here why förordning (2006:39) allows it.

The grounds :attr:`Ground.REGISTER` (the register's own bookkeeping: ids, times, who
recorded) and :attr:`Ground.AUDIT` (the log of who read and changed what) hold no data about
the youth beyond a case id and the masked identity number; keeping them is the library's own
choice (issue 12: every read, search and change is logged, as Valpas does), not a rule of
the förordning.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from kaa.law import FORORDNING_2006_39, SKOLLAGEN, Citation
from kaa.model.case import Case
from kaa.model.youth import Labelled
from kaa.store.events import PAYLOAD_CLASSES, Correction

__all__ = ["COLUMNS", "FIELDS", "Allowed", "Ground", "stored_fields"]


class Ground(Labelled):
    """Why the register may keep a column or field."""

    IDENTITY_AND_CONTACT = (
        "identity_and_contact",
        "namn, personnummer eller samordningsnummer, hemadress, e-postadress, telefonnummer",
    )
    ACTIVITY = ("activity", "tidigare, nuvarande och framtida sysselsättning")
    MEASURE = (
        "measure",
        "om en individuell åtgärd är aktuell, åtgärdens innehåll och när den kan påbörjas",
    )
    DOCUMENTATION = ("documentation", "dokumentation av åtgärderna")
    REGISTER = ("register", "registrets egen bokföring (inga uppgifter om ungdomen)")
    AUDIT = ("audit", "logg över vem som läst och ändrat registret")

    @property
    def citation(self) -> Citation | None:
        """The provision that allows it; ``None`` for the library's own bookkeeping."""
        if self.point is not None:
            return FORORDNING_2006_39.at(section="4")
        if self is Ground.DOCUMENTATION:
            return SKOLLAGEN.at(chapter=29, section="9")
        return None

    @property
    def point(self) -> int | None:
        """The numbered point of 4 § förordning (2006:39), for the first three grounds."""
        return {Ground.IDENTITY_AND_CONTACT: 1, Ground.ACTIVITY: 2, Ground.MEASURE: 3}.get(self)


@attrs.frozen
class Allowed:
    """One column or field and why it is kept.

    Attributes:
        ground: The ground.
        why: What it is, in a few words.
        free_text: Whether a person writes it in their own words (then the privacy guard
            checks it on every write).
    """

    ground: Ground
    why: str
    free_text: bool = False


_I, _A, _M, _D, _R, _L = (
    Ground.IDENTITY_AND_CONTACT,
    Ground.ACTIVITY,
    Ground.MEASURE,
    Ground.DOCUMENTATION,
    Ground.REGISTER,
    Ground.AUDIT,
)

COLUMNS: Mapping[str, Mapping[str, Allowed]] = {
    "schema_version": {
        "version": Allowed(_R, "the schema version a migration brought"),
        "name": Allowed(_R, "the migration's file name"),
        "applied_at": Allowed(_R, "when it was applied"),
    },
    "cases": {
        "seq": Allowed(_R, "the order of registration"),
        "case_id": Allowed(_R, "the stable case id (a random UUID)"),
        "municipality": Allowed(_R, "the responsible municipality's kommunkod"),
        "youth": Allowed(_I, "the youth's personnummer or samordningsnummer (4 § 1)"),
        "registered_on": Allowed(_D, "the day the youth was registered"),
        "ended_on": Allowed(_D, "the day KAA ended, if it has"),
        "last_event": Allowed(_R, "the id of the latest event"),
        "state": Allowed(_D, "the case, the fold of its events: the fields of FIELDS"),
    },
    "events": {
        "seq": Allowed(_R, "the order recorded"),
        "event_id": Allowed(_R, "the event's id (a random UUID)"),
        "case_id": Allowed(_R, "the case it belongs to"),
        "kind": Allowed(_R, "what kind of change"),
        "day": Allowed(_D, "the day it happened"),
        "recorded_at": Allowed(_R, "when it was recorded"),
        "actor": Allowed(_R, "who recorded it (a case worker, not the youth)"),
        "supersedes": Allowed(_R, "for a correction, the event it corrects"),
        "data": Allowed(_D, "what happened: the fields of FIELDS"),
    },
    "audit": {
        "seq": Allowed(_L, "the order of the log"),
        "at": Allowed(_L, "when"),
        "actor": Allowed(_L, "who (a case worker, not the youth)"),
        "municipality": Allowed(_L, "the municipality of the store that did it"),
        "action": Allowed(_L, "what kind of access or change"),
        "case_id": Allowed(_L, "the case concerned"),
        "purpose": Allowed(_L, "why"),
        "detail": Allowed(_L, "what exactly, never with a whole identity number"),
    },
}
"""Every column of every table, by table (the same in both backends)."""

FIELDS: Mapping[str, Allowed] = {
    # the case
    "Case.youth": Allowed(_I, "the youth (the fields of Youth)"),
    "Case.municipality": Allowed(_R, "the responsible municipality's kommunkod"),
    "Case.registration": Allowed(_D, "when and why the youth was registered"),
    "Case.contacts": Allowed(_D, "the contact attempts"),
    "Case.measures": Allowed(_M, "the measures offered"),
    "Case.end": Allowed(_D, "the end of KAA"),
    "Case.case_worker": Allowed(_D, "the municipality's case worker responsible"),
    "Case.contact_details": Allowed(_I, "how to reach the youth (4 § 1)"),
    "Case.plan": Allowed(_D, "the individual plan"),
    "Case.consents": Allowed(_D, "consent to share information, given and revoked"),
    "Case.missing_from_register": Allowed(
        _R, "the day a sync found the youth missing from the register export"
    ),
    # the youth
    "Youth.id": Allowed(_I, "personnummer, samordningsnummer or an interim number (4 § 1)"),
    "Youth.birth_date": Allowed(_I, "the birth date a samordningsnummer does not give"),
    "Youth.residences": Allowed(_I, "the home municipality over time (part of the address)"),
    "Youth.compulsory_school_completed": Allowed(_A, "previous education: compulsory school"),
    "Youth.folkbokford_in_sweden": Allowed(_A, "previous activity: arrival (target group)"),
    "Youth.arrived_after_compulsory_school_age": Allowed(_A, "previous activity (target group)"),
    "Youth.enrolments": Allowed(_A, "previous and current education"),
    "Youth.qualifications": Allowed(_A, "previous education: certificates and degrees"),
    "Residence.municipality": Allowed(_I, "the municipality of the home address"),
    "Residence.basis": Allowed(_I, "folkbokförd, protected (no address kept) or not"),
    "Residence.start": Allowed(_I, "from when"),
    "Residence.end": Allowed(_I, "until when"),
    "Enrolment.school_form": Allowed(_A, "the form of education"),
    "Enrolment.programme": Allowed(_A, "the programme"),
    "Enrolment.start": Allowed(_A, "from when"),
    "Enrolment.end": Allowed(_A, "until when"),
    "Enrolment.cancelled": Allowed(_A, "whether the studies were broken off"),
    "Qualification.kind": Allowed(_A, "which certificate or degree"),
    "Qualification.issued": Allowed(_A, "when"),
    # registration, contacts, the end
    "Registration.day": Allowed(_D, "the day the youth was registered"),
    "Registration.source": Allowed(_D, "how the youth came to the municipality's attention"),
    "Registration.reason": Allowed(_A, "the latest school-related activity at registration"),
    "Registration.activity": Allowed(_A, "the activity at registration"),
    "Contact.day": Allowed(_D, "the day of the attempt"),
    "Contact.channel": Allowed(_D, "how"),
    "Contact.contacted": Allowed(_D, "the youth or a guardian"),
    "Contact.outcome": Allowed(_D, "what came of it"),
    "Contact.activity": Allowed(_A, "the activity learnt at the contact"),
    "KaaEnd.day": Allowed(_D, "the day KAA ended"),
    "KaaEnd.reason": Allowed(_D, "why (turned 20, a degree, moved …)"),
    # contact details (4 § 1)
    "ContactDetails.name": Allowed(_I, "the youth's name"),
    "ContactDetails.address": Allowed(_I, "the home address (never for protected identity)"),
    "ContactDetails.email": Allowed(_I, "the e-mail address"),
    "ContactDetails.phone": Allowed(_I, "the telephone number"),
    "Address.street": Allowed(_I, "home address"),
    "Address.postal_code": Allowed(_I, "home address"),
    "Address.city": Allowed(_I, "home address"),
    # measures (4 § 3)
    "Measure.id": Allowed(_M, "the measure within the case"),
    "Measure.type": Allowed(_M, "its content (a catalogue id)"),
    "Measure.offered": Allowed(_M, "when it was offered"),
    "Measure.declined": Allowed(_M, "whether it is relevant: the youth declined it"),
    "Measure.decline_reason": Allowed(_D, "why it was declined", free_text=True),
    "Measure.start": Allowed(_M, "when it started"),
    "Measure.end": Allowed(_D, "when it ended"),
    "Measure.end_reason": Allowed(_D, "why it ended"),
    "Measure.activity_after": Allowed(_A, "the activity after the measure"),
    # the individual plan (the documentation)
    "IndividualPlan.revisions": Allowed(_D, "the plan's revisions"),
    "IndividualPlan.follow_ups_held": Allowed(_D, "follow-ups held"),
    "PlanRevision.day": Allowed(_D, "the day of the revision"),
    "PlanRevision.case_worker": Allowed(_D, "who made it (a case worker)"),
    "PlanRevision.goal": Allowed(_D, "the goal of the measures", free_text=True),
    "PlanRevision.planning": Allowed(_D, "the individual planning", free_text=True),
    "PlanRevision.measures": Allowed(_D, "each measure as planned"),
    "PlanRevision.follow_ups": Allowed(_D, "the times for follow-up and evaluation"),
    "PlanRevision.reason": Allowed(_D, "why it was revised", free_text=True),
    "PlannedMeasure.measure_id": Allowed(_D, "the measure"),
    "PlannedMeasure.purpose": Allowed(_D, "its purpose", free_text=True),
    "PlannedMeasure.responsibilities": Allowed(_D, "who is responsible for what"),
    "PlannedMeasure.planned_start": Allowed(_M, "when it can start"),
    "PlannedMeasure.planned_end": Allowed(_D, "when it is to end"),
    "PlannedMeasure.follow_ups": Allowed(_D, "its follow-up days"),
    "PlannedMeasure.end_explanation": Allowed(_D, "why it ended", free_text=True),
    "PlannedMeasure.result": Allowed(_D, "its result", free_text=True),
    "Responsibility.party": Allowed(_D, "the youth, the municipality or another actor"),
    "Responsibility.task": Allowed(_D, "what they are responsible for", free_text=True),
    "Responsibility.name": Allowed(_D, "which unit or actor (not the youth)"),
    # consent (part of the documentation of the plan)
    "ConsentEvent.day": Allowed(_D, "when"),
    "ConsentEvent.action": Allowed(_D, "given or revoked"),
    "ConsentEvent.counterpart": Allowed(_D, "with whom information may be shared"),
    "ConsentEvent.name": Allowed(_D, "the named counterpart"),
    "ConsentEvent.given_by": Allowed(_D, "the youth or a guardian"),
    # the events' own payloads
    "Registered.youth": Allowed(_I, "the youth at registration (the fields of Youth)"),
    "Registered.municipality": Allowed(_R, "the responsible municipality's kommunkod"),
    "Registered.registration": Allowed(_D, "when and why"),
    "MeasureOffered.measure_id": Allowed(_M, "the measure within the case"),
    "MeasureOffered.type": Allowed(_M, "its content (a catalogue id)"),
    "MeasureOffered.activity_after": Allowed(_A, "the activity after the measure"),
    "MeasureDeclined.measure_id": Allowed(_M, "the measure"),
    "MeasureDeclined.reason": Allowed(_D, "why it was declined", free_text=True),
    "MeasureStarted.measure_id": Allowed(_M, "the measure (the event's day: its start)"),
    "MeasureEnded.measure_id": Allowed(_D, "the measure (the event's day: its end)"),
    "MeasureEnded.reason": Allowed(_D, "why it ended"),
    "MeasureEnded.activity_after": Allowed(_A, "the activity after the measure"),
    "PlanMade.revision": Allowed(_D, "the plan's first revision"),
    "PlanRevised.revision": Allowed(_D, "the plan's new revision"),
    "FactsUpdated.youth": Allowed(_I, "the youth's facts as now known (the fields of Youth)"),
    "CaseWorkerAssigned.case_worker": Allowed(_D, "the case worker responsible"),
    "ContactDetailsChanged.details": Allowed(_I, "how to reach the youth now (4 § 1)"),
    "RegisterPresence.missing_since": Allowed(
        _R, "the day a sync found the youth missing from the register export"
    ),
    "Correction.data": Allowed(_D, "the replacement of the event corrected"),
    "Correction.day": Allowed(_D, "the day the corrected event happened"),
}
"""Every field of the case and of the events, as ``"Class.field"``."""


def stored_fields() -> list[str]:
    """Every field (``"Class.field"``) of every class the ``state`` and ``data`` columns hold:
    :class:`~kaa.model.case.Case` and every event payload, and every class inside them."""
    found: dict[str, None] = {}
    seen: set[type] = set()

    def walk(annotation: Any) -> None:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType, tuple, list):
            for argument in typing.get_args(annotation):
                if argument is not Ellipsis:
                    walk(argument)
            return
        if not (isinstance(annotation, type) and attrs.has(annotation)) or annotation in seen:
            return
        seen.add(annotation)
        hints = typing.get_type_hints(annotation)
        for field in attrs.fields(annotation):
            found[f"{annotation.__name__}.{field.name}"] = None
            walk(hints[field.name])

    for root in (Case, *PAYLOAD_CLASSES, Correction):
        walk(root)
    return list(found)
