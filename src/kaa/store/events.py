"""The events a case is made of: every change to a case is one appended event.

An event is an envelope (:class:`Event`: the kind, the day it happened, when it was recorded,
by whom, and an id) around a payload that says what happened. The payloads are the model's
own records where it has one (:class:`~kaa.model.case.Contact`,
:class:`~kaa.model.documentation.ConsentEvent`, :class:`~kaa.model.case.KaaEnd`) and small
frozen classes here for the rest:

| kind | payload | the day is |
|---|---|---|
| `registered` | `Registered` (youth, municipality, registration) | the registration day |
| `contact` | `kaa.model.case.Contact` | the contact's day |
| `measure_offered` | `MeasureOffered` | the day it was offered |
| `measure_declined` | `MeasureDeclined` | the day it was declined |
| `measure_started` | `MeasureStarted` | the day it started |
| `measure_ended` | `MeasureEnded` | the day it ended |
| `plan_made` | `PlanMade` (the first revision) | the revision's day |
| `plan_revised` | `PlanRevised` | the revision's day |
| `plan_followed_up` | `PlanFollowedUp` | the day it was followed up |
| `consent` | `kaa.model.documentation.ConsentEvent` | the consent's day |
| `facts_updated` | `FactsUpdated` (the youth's facts) | the day they were learnt |
| `case_worker` | `CaseWorkerAssigned` | the day of the assignment |
| `contact_details` | `ContactDetailsChanged` | the day they changed |
| `register_presence` | `RegisterPresence` | the day of the sync that saw it |
| `ended` | `kaa.model.case.KaaEnd` | the day KAA ended |
| `correction` | `Correction` | the day it was corrected |

An event is never changed or deleted: a mistake is put right by a **correction**, a new event
that supersedes an earlier one with a replacement (or withdraws it), so the history shows both
what was recorded and what was corrected. A whole case history is deleted only by retention
(*gallring*), and the audit log records that it was.

A draft event needs only its payload (the kind follows from it) and, where the payload has no
day of its own, the day; the store fills in the case, the time, the actor and the id::

    >>> import datetime as dt
    >>> from kaa.model.case import Channel, Contact, ContactOutcome
    >>> event = Event(data=Contact(day=dt.date(2026, 2, 3), channel=Channel.PHONE,
    ...                            outcome=ContactOutcome.NO_ANSWER))
    >>> event.kind, event.day
    (<EventKind.CONTACT: 'contact'>, datetime.date(2026, 2, 3))
    >>> Event(data=MeasureStarted(measure_id="m1"))
    Traceback (most recent call last):
    ...
    kaa.errors.InvalidInput: a measure_started event needs the day it happened

Payloads are written as JSON through :mod:`kaa.convert` with whole identity numbers
(:func:`encode_data`, :func:`decode_data`): they stay inside the store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

import attrs

from kaa.convert import structure, to_dict
from kaa.errors import InvalidInput, StructureError
from kaa.model.case import (
    Activity,
    Case,
    Contact,
    ContactDetails,
    KaaEnd,
    MeasureEndReason,
    Registration,
)
from kaa.model.documentation import ConsentEvent, PlanRevision
from kaa.model.youth import Labelled, Youth, check_municipality_code
from kaa.rules.privacy import TermChecker, TextWarning

__all__ = [
    "PAYLOAD_CLASSES",
    "CaseWorkerAssigned",
    "ContactDetailsChanged",
    "Correction",
    "Event",
    "EventKind",
    "FactsUpdated",
    "MeasureDeclined",
    "MeasureEnded",
    "MeasureOffered",
    "MeasureStarted",
    "Payload",
    "PlanFollowedUp",
    "PlanMade",
    "PlanRevised",
    "RegisterPresence",
    "Registered",
    "decode_data",
    "encode_data",
    "event_from_dict",
    "event_to_dict",
    "events_of",
    "free_texts",
    "text_warnings",
]


class EventKind(Labelled):
    """What an event records."""

    REGISTERED = ("registered", "registrerad i aktivitetsansvaret")
    CONTACT = ("contact", "kontaktförsök")
    MEASURE_OFFERED = ("measure_offered", "insats erbjuden")
    MEASURE_DECLINED = ("measure_declined", "insats avböjd")
    MEASURE_STARTED = ("measure_started", "insats påbörjad")
    MEASURE_ENDED = ("measure_ended", "insats avslutad")
    PLAN_MADE = ("plan_made", "individuell plan upprättad")
    PLAN_REVISED = ("plan_revised", "individuell plan reviderad")
    PLAN_FOLLOWED_UP = ("plan_followed_up", "individuell plan följd upp")
    CONSENT = ("consent", "samtycke lämnat eller återkallat")
    FACTS_UPDATED = ("facts_updated", "uppgifter uppdaterade från registret")
    CASE_WORKER = ("case_worker", "handläggare utsedd")
    CONTACT_DETAILS = ("contact_details", "kontaktuppgifter ändrade")
    REGISTER_PRESENCE = ("register_presence", "saknas i, eller finns åter i, registret")
    ENDED = ("ended", "aktivitetsansvaret upphörde")
    CORRECTION = ("correction", "rättelse")

    @classmethod
    def of(cls, value: object) -> EventKind:
        """The kind whose value is ``value``.

        Raises:
            StructureError: If there is none.
        """
        for kind in cls:
            if kind.value == value:
                return kind
        allowed = ", ".join(k.value for k in cls)
        raise StructureError([f"{str(value)[:40]!r} is not one of: {allowed} @ $.kind"])


@attrs.frozen(kw_only=True)
class Registered:
    """The youth was registered: the first event of every case.

    Attributes:
        youth: The facts about the youth at registration.
        municipality: The responsible municipality's kommunkod.
        registration: When and why.
    """

    youth: Youth
    municipality: str = attrs.field(validator=check_municipality_code)
    registration: Registration


@attrs.frozen(kw_only=True)
class MeasureOffered:
    """A measure (*insats*) was offered; the event's day is the day it was offered.

    Attributes:
        measure_id: Identifies the measure within the case (``"m1"``).
        type: The catalogue id of the measure (see :mod:`kaa.rules.measures`).
        activity_after: The youth's activity after the measure when it is known before the
            measure ends (rare; usually recorded with :class:`MeasureEnded`).
    """

    measure_id: str
    type: str
    activity_after: Activity | None = None


@attrs.frozen(kw_only=True)
class MeasureDeclined:
    """The youth declined a measure offered.

    Attributes:
        measure_id: The measure.
        reason: Why, in a few neutral words (no sensitive personal data).
    """

    measure_id: str
    reason: str | None = None


@attrs.frozen(kw_only=True)
class MeasureStarted:
    """A measure started; the event's day is the day it started.

    Attributes:
        measure_id: The measure.
    """

    measure_id: str


@attrs.frozen(kw_only=True)
class MeasureEnded:
    """A measure ended; the event's day is the day it ended.

    Attributes:
        measure_id: The measure.
        reason: Why it ended.
        activity_after: The youth's activity after the measure.
    """

    measure_id: str
    reason: MeasureEndReason | None = None
    activity_after: Activity | None = None


@attrs.frozen(kw_only=True)
class PlanMade:
    """The individual plan was made.

    Attributes:
        revision: Its first revision.
    """

    revision: PlanRevision


@attrs.frozen(kw_only=True)
class PlanRevised:
    """The individual plan was revised; the earlier revisions are kept.

    Attributes:
        revision: The new revision.
    """

    revision: PlanRevision


@attrs.frozen(kw_only=True)
class PlanFollowedUp:
    """The plan was followed up without being revised; the event's day is the day."""


@attrs.frozen(kw_only=True)
class FactsUpdated:
    """New facts about the youth (from the register, or learnt by the case worker).

    The earlier facts stay in the history: this event supersedes them in the case from now
    on, it does not overwrite them.

    Attributes:
        youth: The facts as they are now known (the same identity number).
    """

    youth: Youth


@attrs.frozen(kw_only=True)
class CaseWorkerAssigned:
    """A case worker (*handläggare*) became responsible for the case.

    Attributes:
        case_worker: A name or user id; ``None`` when nobody is.
    """

    case_worker: str | None


@attrs.frozen(kw_only=True)
class ContactDetailsChanged:
    """How to reach the youth changed.

    Attributes:
        details: The contact details now; ``None`` to remove them.
    """

    details: ContactDetails | None


@attrs.frozen(kw_only=True)
class RegisterPresence:
    """A register sync found the youth missing from the register export, or listed again.

    Attributes:
        missing_since: The first day the youth was missing; ``None``: the register lists the
            youth again.
    """

    missing_since: dt.date | None


_CLASSES: Mapping[EventKind, type[Any]] = {
    EventKind.REGISTERED: Registered,
    EventKind.CONTACT: Contact,
    EventKind.MEASURE_OFFERED: MeasureOffered,
    EventKind.MEASURE_DECLINED: MeasureDeclined,
    EventKind.MEASURE_STARTED: MeasureStarted,
    EventKind.MEASURE_ENDED: MeasureEnded,
    EventKind.PLAN_MADE: PlanMade,
    EventKind.PLAN_REVISED: PlanRevised,
    EventKind.PLAN_FOLLOWED_UP: PlanFollowedUp,
    EventKind.CONSENT: ConsentEvent,
    EventKind.FACTS_UPDATED: FactsUpdated,
    EventKind.CASE_WORKER: CaseWorkerAssigned,
    EventKind.CONTACT_DETAILS: ContactDetailsChanged,
    EventKind.REGISTER_PRESENCE: RegisterPresence,
    EventKind.ENDED: KaaEnd,
}
_KINDS: Mapping[type[Any], EventKind] = {cls: kind for kind, cls in _CLASSES.items()}

PAYLOAD_CLASSES: tuple[type[Any], ...] = tuple(_CLASSES.values())
"""The payload class of every kind of event but a correction (:class:`Correction` holds one
of them)."""


def _kind_of(data: object) -> EventKind:
    if isinstance(data, Correction):
        return EventKind.CORRECTION
    kind = _KINDS.get(type(data))
    if kind is None:
        raise InvalidInput(f"{type(data).__name__} is not something an event can record")
    return kind


def _own_day(data: object) -> dt.date | None:
    """The day a payload carries itself, if it does."""
    if isinstance(data, Registered):
        return data.registration.day
    if isinstance(data, Contact | ConsentEvent | KaaEnd):
        return data.day
    if isinstance(data, PlanMade | PlanRevised):
        return data.revision.day
    return None


@attrs.frozen(kw_only=True)
class Correction:
    """Supersedes an earlier event (the envelope's ``supersedes``) with a replacement, or
    withdraws it.

    Attributes:
        data: The replacement payload, of the same kind as the event it corrects; ``None`` to
            withdraw that event (it then counts as never having happened).
        day: The day the corrected event happened; taken from ``data`` when it has a day of
            its own, required otherwise; ``None`` when withdrawing.
    """

    data: Payload | None = None
    day: dt.date | None = attrs.field(
        default=attrs.Factory(lambda self: _own_day(self.data), takes_self=True)
    )

    def __attrs_post_init__(self) -> None:
        if self.data is None:
            if self.day is not None:
                raise InvalidInput("a withdrawal has no day", column="day")
            return
        if isinstance(self.data, Correction):
            raise InvalidInput("a correction replaces an event, not another correction")
        kind = _kind_of(self.data)
        if self.day is None:
            raise InvalidInput(f"a corrected {kind.value} event needs the day it happened")
        own = _own_day(self.data)
        if own is not None and own != self.day:
            raise InvalidInput(
                f"the corrected {kind.value} is dated {own.isoformat()}, not "
                f"{self.day.isoformat()}",
                column="day",
            )

    @property
    def kind(self) -> EventKind | None:
        """The kind of the replacement (``None`` for a withdrawal)."""
        return None if self.data is None else _kind_of(self.data)


Payload: TypeAlias = (
    Registered
    | Contact
    | MeasureOffered
    | MeasureDeclined
    | MeasureStarted
    | MeasureEnded
    | PlanMade
    | PlanRevised
    | PlanFollowedUp
    | ConsentEvent
    | FactsUpdated
    | CaseWorkerAssigned
    | ContactDetailsChanged
    | RegisterPresence
    | KaaEnd
    | Correction
)
"""What an event can hold."""


def _default_day(event: Event) -> dt.date:
    day = _own_day(event.data)
    if day is None:
        raise InvalidInput(f"a {_kind_of(event.data).value} event needs the day it happened")
    return day


@attrs.frozen(kw_only=True)
class Event:
    """One change to a case, as recorded.

    A draft (to give :meth:`kaa.store.CaseStore.record`) has only ``data`` (and ``day`` when
    the payload has no day of its own, and ``supersedes`` for a correction); the store fills
    in the rest.

    Attributes:
        data: What happened (see the table of the module).
        kind: What kind of event it is; follows from ``data``.
        day: The day it happened (for a correction: the day it was corrected).
        case_id: The case it belongs to.
        recorded_at: When it was recorded (UTC, set by the store).
        actor: Who recorded it (set by the store).
        event_id: The event's own id (set by the store).
        supersedes: For a correction, the id of the event it corrects.
        warnings: What the privacy guard found in its free text when it was recorded (not
            stored, not compared).
    """

    data: Payload
    kind: EventKind = attrs.field(
        default=attrs.Factory(lambda self: _kind_of(self.data), takes_self=True)
    )
    day: dt.date = attrs.field(default=attrs.Factory(_default_day, takes_self=True))
    case_id: str | None = None
    recorded_at: dt.datetime | None = None
    actor: str | None = None
    event_id: str | None = None
    supersedes: str | None = None
    warnings: tuple[TextWarning, ...] = attrs.field(default=(), eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        actual = _kind_of(self.data)
        if actual is not self.kind:
            raise InvalidInput(
                f"a {self.kind.value} event cannot hold {type(self.data).__name__}", column="kind"
            )
        own = _own_day(self.data)
        if own is not None and own != self.day:
            raise InvalidInput(
                f"the {self.kind.value} is dated {own.isoformat()}, but the event "
                f"{self.day.isoformat()}",
                column="day",
            )
        if (self.kind is EventKind.CORRECTION) != (self.supersedes is not None):
            raise InvalidInput(
                "a correction names the event it supersedes, and only a correction does",
                column="supersedes",
            )
        if self.recorded_at is not None and self.recorded_at.tzinfo is None:
            raise InvalidInput("the time an event was recorded must say its time zone")

    @property
    def recorded(self) -> bool:
        """Whether the event has been recorded in a store (it has an id)."""
        return self.event_id is not None


# -- JSON ----------------------------------------------------------------------------------


def _payload_to_dict(data: object) -> dict[str, Any]:
    if isinstance(data, Correction):
        inner = data.data
        return {
            "kind": None if inner is None else _kind_of(inner).value,
            "day": None if data.day is None else data.day.isoformat(),
            "data": None if inner is None else _payload_to_dict(inner),
        }
    result: dict[str, Any] = to_dict(data, reveal_ids=True)
    return result


def _payload_from_dict(kind: EventKind, raw: object) -> Payload:
    if kind is EventKind.CORRECTION:
        if not isinstance(raw, dict) or set(raw) != {"kind", "day", "data"}:
            raise StructureError(["a correction is {kind, day, data} @ $"])
        if raw["kind"] is None:
            return Correction()
        inner_kind = EventKind.of(raw["kind"])
        if inner_kind is EventKind.CORRECTION:
            raise StructureError(["a correction cannot replace a correction @ $.kind"])
        return Correction(
            data=_payload_from_dict(inner_kind, raw["data"]),
            day=structure(raw["day"], dt.date),
        )
    payload: Payload = structure(raw, _CLASSES[kind])
    return payload


def encode_data(data: Payload) -> str:
    """A payload as JSON text (whole identity numbers: for the store only)."""
    return json.dumps(_payload_to_dict(data), ensure_ascii=False, sort_keys=True)


def decode_data(kind: EventKind | str, text: str) -> Payload:
    """The payload of a ``kind`` event from :func:`encode_data`'s JSON text.

    Raises:
        StructureError: If the text is not a payload of that kind.
    """
    chosen = kind if isinstance(kind, EventKind) else EventKind.of(kind)
    try:
        raw = json.loads(text)
    except ValueError:
        raise StructureError(["not JSON @ $"]) from None
    return _payload_from_dict(chosen, raw)


def event_to_dict(event: Event) -> dict[str, Any]:
    """The whole event as plain JSON data (whole identity numbers: for the store only)."""
    return {
        "event_id": event.event_id,
        "case_id": event.case_id,
        "kind": event.kind.value,
        "day": event.day.isoformat(),
        "recorded_at": None if event.recorded_at is None else event.recorded_at.isoformat(),
        "actor": event.actor,
        "supersedes": event.supersedes,
        "data": _payload_to_dict(event.data),
    }


def event_from_dict(raw: Mapping[str, Any]) -> Event:
    """An event from :func:`event_to_dict`'s data.

    Raises:
        StructureError: If a field is missing or wrong.
    """
    expected = {"event_id", "case_id", "kind", "day", "recorded_at", "actor", "supersedes", "data"}
    if set(raw) != expected:
        raise StructureError([f"an event has exactly the fields {sorted(expected)} @ $"])
    kind = EventKind.of(raw["kind"])
    recorded = raw["recorded_at"]
    try:
        at = None if recorded is None else dt.datetime.fromisoformat(recorded)
    except (TypeError, ValueError):
        raise StructureError(["not a time @ $.recorded_at"]) from None
    for key in ("event_id", "case_id", "actor", "supersedes"):
        if raw[key] is not None and not isinstance(raw[key], str):
            raise StructureError([f"must be text @ $.{key}"])
    return Event(
        kind=kind,
        data=_payload_from_dict(kind, raw["data"]),
        day=structure(raw["day"], dt.date),
        case_id=raw["case_id"],
        recorded_at=at,
        actor=raw["actor"],
        event_id=raw["event_id"],
        supersedes=raw["supersedes"],
    )


# -- a whole case as events ----------------------------------------------------------------


def events_of(case: Case) -> list[Event]:
    """The draft events that make up ``case``: the inverse of :func:`kaa.store.fold.fold`.

    This is how a whole case (read from a cases file) is registered in a store: its
    registration first, then its case worker and contact details (on the registration day),
    contacts, measures, the plan, consents, a sync's finding that the youth is missing from
    the register, and the end of KAA.
    """
    registered = case.registration.day
    found = [
        Event(
            data=Registered(
                youth=case.youth, municipality=case.municipality, registration=case.registration
            )
        )
    ]
    if case.case_worker is not None:
        found.append(Event(data=CaseWorkerAssigned(case_worker=case.case_worker), day=registered))
    if case.contact_details is not None:
        found.append(
            Event(data=ContactDetailsChanged(details=case.contact_details), day=registered)
        )
    found += [Event(data=contact) for contact in case.contacts]
    for m in case.measures:
        after = m.activity_after if m.end is None else None
        found.append(
            Event(
                data=MeasureOffered(measure_id=m.id, type=m.type, activity_after=after),
                day=m.offered,
            )
        )
        if m.declined:
            found.append(
                Event(data=MeasureDeclined(measure_id=m.id, reason=m.decline_reason), day=m.offered)
            )
        if m.start is not None:
            found.append(Event(data=MeasureStarted(measure_id=m.id), day=m.start))
        if m.end is not None:
            found.append(
                Event(
                    data=MeasureEnded(
                        measure_id=m.id, reason=m.end_reason, activity_after=m.activity_after
                    ),
                    day=m.end,
                )
            )
    if case.plan is not None:
        first, *later = case.plan.revisions
        found.append(Event(data=PlanMade(revision=first)))
        found += [Event(data=PlanRevised(revision=r)) for r in later]
        found += [Event(data=PlanFollowedUp(), day=d) for d in case.plan.follow_ups_held]
    found += [Event(data=consent) for consent in case.consents]
    if case.missing_from_register is not None:
        missing = case.missing_from_register
        found.append(Event(data=RegisterPresence(missing_since=missing), day=missing))
    if case.end is not None:
        found.append(Event(data=case.end))
    return found


# -- the privacy guard ---------------------------------------------------------------------


def free_texts(data: Payload) -> Iterator[tuple[str, str | None]]:
    """The free-text fields of a payload, each with its name (for the privacy guard)."""
    if isinstance(data, Correction):
        if data.data is not None:
            for field, text in free_texts(data.data):
                yield f"correction.{field}", text
        return
    if isinstance(data, MeasureDeclined):
        yield f"measures[{data.measure_id}].decline_reason", data.reason
    elif isinstance(data, PlanMade | PlanRevised):
        revision = data.revision
        yield "plan.goal", revision.goal
        yield "plan.planning", revision.planning
        yield "plan.reason", revision.reason
        for planned in revision.measures:
            at = f"plan.measures[{planned.measure_id}]"
            yield f"{at}.purpose", planned.purpose
            yield f"{at}.end_explanation", planned.end_explanation
            yield f"{at}.result", planned.result
            for i, resp in enumerate(planned.responsibilities):
                yield f"{at}.responsibilities[{i}].task", resp.task


def text_warnings(data: Payload, checker: TermChecker) -> tuple[TextWarning, ...]:
    """What the privacy guard (:mod:`kaa.rules.privacy`) flags in a payload's free text.

    Warnings never block: the store records the event and returns them with it.
    """
    return tuple(w for field, text in free_texts(data) for w in checker.check(text, field=field))
