"""A case is the fold of its events: :func:`fold` turns a history into the
:class:`~kaa.model.case.Case` the rules use.

Corrections are applied first: an event superseded by a correction counts as its replacement
(or, withdrawn, as never having happened); when an event is corrected twice, the later
correction wins. The other events are then applied in the order they were recorded, and the
case is built once at the end, so its invariants are checked on the result (a contact
recorded late, after the end of KAA was recorded, is fine if its day is before the end).

:func:`~kaa.store.events.events_of` is the inverse: the events it makes of a case fold back
to an equal case::

    >>> import datetime as dt
    >>> from kaa.identity import IdentityNumber
    >>> from kaa.model.case import Case, Registration
    >>> from kaa.model.youth import Youth
    >>> from kaa.store.events import events_of
    >>> case = Case(youth=Youth(id=IdentityNumber.parse("20080812-2394")),
    ...             municipality="1882", registration=Registration(day=dt.date(2026, 1, 12)))
    >>> fold(events_of(case)) == case
    True

The store checks a new event with :func:`append`, which folds the history with it and so
refuses an event that would make the case invalid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from kaa.errors import InvalidInput
from kaa.model.case import Case, KaaEnd, Measure
from kaa.model.documentation import ConsentEvent, IndividualPlan
from kaa.model.youth import Youth
from kaa.store.events import (
    CaseWorkerAssigned,
    ContactDetailsChanged,
    Correction,
    Event,
    EventKind,
    FactsUpdated,
    MeasureDeclined,
    MeasureEnded,
    MeasureOffered,
    MeasureStarted,
    Payload,
    PlanFollowedUp,
    PlanMade,
    PlanRevised,
    Registered,
    RegisterPresence,
)

__all__ = ["append", "fold", "target_of"]


class _State:
    """What the events have said so far."""

    def __init__(self) -> None:
        self.registered: Registered | None = None
        self.youth: Youth | None = None
        self.contacts: list[Any] = []
        self.measures: dict[str, dict[str, Any]] = {}
        self.plan: IndividualPlan | None = None
        self.consents: list[ConsentEvent] = []
        self.end: KaaEnd | None = None
        self.case_worker: str | None = None
        self.contact_details: Any = None
        self.missing_from_register: dt.date | None = None

    def measure(self, measure_id: str, what: str) -> dict[str, Any]:
        found = self.measures.get(measure_id)
        if found is None:
            raise InvalidInput(
                f"measure {measure_id!r} {what}, but it was never offered", column="measures"
            )
        return found

    def apply(self, kind: EventKind, day: dt.date, data: Payload) -> None:
        if self.registered is None and kind is not EventKind.REGISTERED:
            raise InvalidInput(f"a {kind.value} event before the youth was registered")
        if isinstance(data, Registered):
            if self.registered is not None:
                raise InvalidInput("the case is registered twice: register again as a new case")
            self.registered = data
            self.youth = data.youth
        elif isinstance(data, FactsUpdated):
            assert self.youth is not None
            if data.youth.id != self.youth.id:
                raise InvalidInput(
                    "new facts are about another youth (another identity number)", column="id"
                )
            self.youth = data.youth
        elif kind is EventKind.CONTACT:
            self.contacts.append(data)
        elif isinstance(data, MeasureOffered):
            if data.measure_id in self.measures:
                raise InvalidInput(
                    f"measure {data.measure_id!r} is offered twice: give the new one its own id",
                    column="measures",
                )
            self.measures[data.measure_id] = {
                "id": data.measure_id,
                "type": data.type,
                "offered": day,
                "activity_after": data.activity_after,
            }
        elif isinstance(data, MeasureDeclined):
            found = self.measure(data.measure_id, "is declined")
            found.update(declined=True, decline_reason=data.reason)
        elif isinstance(data, MeasureStarted):
            self.measure(data.measure_id, "starts")["start"] = day
        elif isinstance(data, MeasureEnded):
            found = self.measure(data.measure_id, "ends")
            found.update(end=day, end_reason=data.reason)
            if data.activity_after is not None:
                found["activity_after"] = data.activity_after
        elif isinstance(data, PlanMade):
            if self.plan is not None:
                raise InvalidInput("the plan is made twice: revise it instead", column="plan")
            self.plan = IndividualPlan.made(data.revision)
        elif isinstance(data, PlanRevised | PlanFollowedUp):
            if self.plan is None:
                raise InvalidInput("the plan is revised or followed up before it was made")
            if isinstance(data, PlanRevised):
                self.plan = self.plan.revised(data.revision)
            else:
                self.plan = self.plan.followed_up(day)
        elif kind is EventKind.CONSENT:
            assert isinstance(data, ConsentEvent)
            self.consents.append(data)
        elif isinstance(data, CaseWorkerAssigned):
            self.case_worker = data.case_worker
        elif isinstance(data, ContactDetailsChanged):
            self.contact_details = data.details
        elif isinstance(data, RegisterPresence):
            self.missing_from_register = data.missing_since
        elif kind is EventKind.ENDED:
            assert isinstance(data, KaaEnd)
            if self.end is not None:
                raise InvalidInput(
                    "KAA has already ended for this case: correct the end instead", column="end"
                )
            self.end = data
        else:  # pragma: no cover - every kind is handled above
            raise AssertionError(kind)

    def case(self) -> Case:
        if self.registered is None:
            raise InvalidInput("a case needs its registration (there is no registered event)")
        assert self.youth is not None
        return Case(
            youth=self.youth,
            municipality=self.registered.municipality,
            registration=self.registered.registration,
            contacts=tuple(self.contacts),
            measures=tuple(Measure(**fields) for fields in self.measures.values()),
            end=self.end,
            case_worker=self.case_worker,
            contact_details=self.contact_details,
            plan=self.plan,
            consents=tuple(self.consents),
            missing_from_register=self.missing_from_register,
        )


def target_of(events: Sequence[Event], event_id: str) -> Event:
    """The event that ``event_id`` names, following corrections of corrections back to the
    event first corrected.

    Raises:
        InvalidInput: If no event of ``events`` has the id.
    """
    by_id = {e.event_id: e for e in events if e.event_id is not None}
    seen: set[str] = set()
    current = event_id
    while True:
        found = by_id.get(current)
        if found is None:
            raise InvalidInput(f"the case has no event {current!r} to correct", column="supersedes")
        if found.supersedes is None or current in seen:
            return found
        seen.add(current)
        current = found.supersedes


def fold(events: Iterable[Event]) -> Case:
    """The case the events make, corrections applied.

    Raises:
        InvalidInput: If the events do not make a valid case (no registration first, a
            measure that was never offered, a contact before the registration, a correction
            of an event that is not there or of another kind …).
    """
    history = list(events)
    replaced: dict[str, Correction] = {}
    for event in history:
        if event.supersedes is not None:
            target = target_of(history, event.supersedes)
            assert isinstance(event.data, Correction)
            _check_correction(target, event.data)
            assert target.event_id is not None
            replaced[target.event_id] = event.data
    state = _State()
    for event in history:
        if event.kind is EventKind.CORRECTION:
            continue
        day, data = event.day, event.data
        correction = replaced.get(event.event_id) if event.event_id is not None else None
        if correction is not None:
            if correction.data is None:
                continue
            assert correction.day is not None
            day, data = correction.day, correction.data
        state.apply(event.kind, day, data)
    return state.case()


def _check_correction(target: Event, correction: Correction) -> None:
    if correction.data is None:
        if target.kind is EventKind.REGISTERED:
            raise InvalidInput(
                "the registration cannot be withdrawn: correct it, or delete the case by retention",
                column="supersedes",
            )
        return
    if correction.kind is not target.kind:
        kind = correction.kind.value if correction.kind is not None else "withdrawal"
        raise InvalidInput(
            f"a {target.kind.value} event can only be corrected by another {target.kind.value}, "
            f"not a {kind}",
            column="supersedes",
        )
    if isinstance(correction.data, Registered) and isinstance(target.data, Registered):
        if correction.data.municipality != target.data.municipality:
            raise InvalidInput(
                "a correction cannot move a case to another municipality", column="municipality"
            )
        if correction.data.youth.id != target.data.youth.id:
            raise InvalidInput(
                "a correction cannot change whose case it is (the identity number)", column="id"
            )


def append(history: Sequence[Event], event: Event) -> Case:
    """The case after ``event`` is appended to ``history``: what a store checks before it
    records an event (the event must have its id already when it is a correction's target).

    Raises:
        InvalidInput: If the case with the event would not be valid.
    """
    if event.kind is EventKind.REGISTERED and history:
        raise InvalidInput("the case is registered already: register again as a new case")
    return fold([*history, event])
