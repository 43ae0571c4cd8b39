"""The documentation of a case: the individual plan (*individuell plan*) and consent (*samtycke*).

These are the records behind Askersund's forms bilaga 3 (individual planning) and bilaga 2
(consent), kept on :class:`kaa.model.case.Case` as ``plan`` and ``consents``. The rules that read
them live in :mod:`kaa.rules.plan` (the seven documentation items, the follow-up policy) and
:mod:`kaa.rules.consent` (who may be told what).

An individual plan is **revised, never overwritten**: :meth:`IndividualPlan.revised` returns a
new plan with the new revision appended, and every earlier revision stays readable.

Consent is a history of events — given or revoked, by the youth or a guardian, for one
counterpart — so that the answer to "could we share this on that day?" can always be
reconstructed.

Free-text fields (goal, planning, purpose, task, result) must not hold sensitive personal
data (förordning (2006:39) 5 §); :func:`kaa.rules.privacy.check_text` flags likely sensitive terms.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

import attrs

from kaa.errors import InvalidInput
from kaa.model.checks import (
    date_field,
    instance_field,
    items_field,
    require_date,
    require_instance,
    type_name,
)
from kaa.model.youth import Labelled, not_before

__all__ = [
    "ConsentAction",
    "ConsentEvent",
    "ConsentGiver",
    "Counterpart",
    "IndividualPlan",
    "Party",
    "PlanRevision",
    "PlannedMeasure",
    "Responsibility",
    "sorted_consents",
]


def _text_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"free text must be a str, not {type_name(value)}")
    stripped = value.strip()
    return stripped or None


def _sorted_days(days: Iterable[dt.date]) -> tuple[dt.date, ...]:
    kept = tuple(days)
    for index, day in enumerate(kept):
        require_date(day, f"follow-up day [{index}]", where="the plan")
    return tuple(sorted(set(kept)))


class Party(Labelled):
    """Who is responsible for (part of) a measure — items 2–4 of the documentation."""

    YOUTH = ("youth", "ungdomen")
    MUNICIPALITY = ("municipality", "kommunen")
    OTHER = ("other", "annan aktör")


@attrs.frozen(kw_only=True)
class Responsibility:
    """What one party is responsible for in a measure.

    Attributes:
        party: The youth, the municipality or another actor.
        task: What they are responsible for, in a few neutral words.
        name: The municipal unit (for :attr:`Party.MUNICIPALITY`) or the actor (for
            :attr:`Party.OTHER`), e.g. ``"KAA-enheten"`` or ``"Arbetsförmedlingen"``; not used
            for the youth.

    Raises:
        InvalidInput: If the task is empty, or a municipality or other actor is not named.
    """

    party: Party = attrs.field(validator=instance_field(Party))
    task: str = attrs.field(validator=instance_field(str))
    name: str | None = attrs.field(default=None, converter=_text_or_none)

    def __attrs_post_init__(self) -> None:
        if not self.task.strip():
            raise InvalidInput("a responsibility needs a task", column="task")
        if self.party is not Party.YOUTH and self.name is None:
            raise InvalidInput(
                f"a responsibility of {self.party.label_sv} must name the unit or actor",
                column="name",
            )
        if self.party is Party.YOUTH and self.name is not None:
            raise InvalidInput(
                "the youth's own responsibility takes no name (the youth is the case)",
                column="name",
            )


@attrs.frozen(kw_only=True)
class PlannedMeasure:
    """One measure in the plan, referring to a measure of the case by its id.

    The case's :class:`kaa.model.case.Measure` holds what SCB is told (type, offered, start, end,
    reason for ending as a category); the plan adds what the documentation needs.

    Attributes:
        measure_id: The :attr:`kaa.model.case.Measure.id` this entry documents.
        purpose: Why the measure is offered (*syfte*).
        responsibilities: Who is responsible for what: the youth, the municipality (a named
            unit), another actor (named).
        planned_start: The day the measure is planned to start.
        planned_end: The day the measure is planned to end.
        follow_ups: Days the measure is to be followed up and evaluated.
        end_explanation: Why it ended, in words, next to the case's category.
        result: What came of it (*resultat*).
    """

    measure_id: str = attrs.field(validator=instance_field(str))
    purpose: str | None = attrs.field(default=None, converter=_text_or_none)
    responsibilities: tuple[Responsibility, ...] = attrs.field(
        default=(), validator=items_field(Responsibility)
    )
    planned_start: dt.date | None = attrs.field(default=None, validator=date_field(optional=True))
    planned_end: dt.date | None = attrs.field(
        default=None, validator=[date_field(optional=True), not_before("planned_start")]
    )
    follow_ups: tuple[dt.date, ...] = attrs.field(default=(), converter=_sorted_days)
    end_explanation: str | None = attrs.field(default=None, converter=_text_or_none)
    result: str | None = attrs.field(default=None, converter=_text_or_none)

    def responsible(self, party: Party) -> tuple[Responsibility, ...]:
        """The responsibilities of ``party`` in this measure."""
        return tuple(r for r in self.responsibilities if r.party is party)


@attrs.frozen(kw_only=True)
class PlanRevision:
    """One version of the individual plan, as agreed on a day.

    Attributes:
        day: The day this revision was made (the first one: the day the plan was made).
        case_worker: The case worker who made it (name or user id).
        goal: The overall goal (*övergripande mål*).
        planning: The overall planning (*planering*).
        measures: The planned measures.
        follow_ups: Days the plan as a whole is to be followed up and evaluated.
        reason: Why the plan was revised (empty for the first revision).
    """

    day: dt.date = attrs.field(validator=date_field())
    case_worker: str | None = attrs.field(
        default=None, validator=instance_field(str, optional=True)
    )
    goal: str | None = attrs.field(default=None, converter=_text_or_none)
    planning: str | None = attrs.field(default=None, converter=_text_or_none)
    measures: tuple[PlannedMeasure, ...] = attrs.field(
        default=(), validator=items_field(PlannedMeasure)
    )
    follow_ups: tuple[dt.date, ...] = attrs.field(default=(), converter=_sorted_days)
    reason: str | None = attrs.field(default=None, converter=_text_or_none)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for measure in self.measures:
            if measure.measure_id in seen:
                raise InvalidInput(
                    f"the plan lists measure {measure.measure_id!r} twice", column="measures"
                )
            seen.add(measure.measure_id)

    def measure(self, measure_id: str) -> PlannedMeasure | None:
        """The planned measure documenting ``measure_id``, if any."""
        return next((m for m in self.measures if m.measure_id == measure_id), None)

    def all_follow_ups(self) -> tuple[dt.date, ...]:
        """Every follow-up day of the plan and its measures, sorted."""
        return _sorted_days([*self.follow_ups, *(d for m in self.measures for d in m.follow_ups)])


def _check_revisions(
    _: object, attribute: attrs.Attribute[tuple[PlanRevision, ...]], value: tuple[PlanRevision, ...]
) -> None:
    if not value:
        raise InvalidInput("an individual plan needs at least one revision", column="revisions")
    for earlier, later in itertools.pairwise(value):
        if later.day < earlier.day:
            raise InvalidInput(
                f"plan revision of {later.day.isoformat()} comes after one of "
                f"{earlier.day.isoformat()}: revisions are kept in order",
                column="revisions",
            )


@attrs.frozen(kw_only=True)
class IndividualPlan:
    """The individual plan: its revisions, oldest first, and the follow-ups held.

    Attributes:
        revisions: Every version of the plan, oldest first; the last is the current plan.
        follow_ups_held: Days the case worker followed the plan up without revising it (a
            revision counts as a follow-up too).

    Raises:
        InvalidInput: If there is no revision, they are out of order, or a follow-up was held
            before the plan was made.
    """

    revisions: tuple[PlanRevision, ...] = attrs.field(
        validator=[items_field(PlanRevision), _check_revisions]
    )
    follow_ups_held: tuple[dt.date, ...] = attrs.field(default=(), converter=_sorted_days)

    def __attrs_post_init__(self) -> None:
        if self.follow_ups_held and self.follow_ups_held[0] < self.made_on:
            raise InvalidInput(
                f"a follow-up held {self.follow_ups_held[0].isoformat()} is before the plan "
                f"was made {self.made_on.isoformat()}",
                column="follow_ups_held",
            )

    @classmethod
    def made(cls, revision: PlanRevision) -> IndividualPlan:
        """A new plan whose first revision is ``revision``."""
        return cls(revisions=(revision,))

    @property
    def current(self) -> PlanRevision:
        """The latest revision."""
        return self.revisions[-1]

    @property
    def made_on(self) -> dt.date:
        """The day the plan was first made."""
        return self.revisions[0].day

    def as_of(self, day: dt.date) -> PlanRevision | None:
        """The revision in force on ``day`` (``None`` before the plan was made)."""
        found: PlanRevision | None = None
        for revision in self.revisions:
            if revision.day <= day:
                found = revision
        return found

    def revised(self, revision: PlanRevision) -> IndividualPlan:
        """A new plan with ``revision`` appended; the earlier revisions are kept.

        Raises:
            InvalidInput: If ``revision`` is dated before the current revision.
        """
        return attrs.evolve(self, revisions=(*self.revisions, revision))

    def followed_up(self, day: dt.date) -> IndividualPlan:
        """A new plan that records a follow-up held on ``day`` without a revision."""
        return attrs.evolve(self, follow_ups_held=(*self.follow_ups_held, day))

    def last_follow_up(self, on: dt.date) -> dt.date | None:
        """The latest revision or follow-up held on or before ``on``."""
        days = [r.day for r in self.revisions if r.day <= on]
        days += [d for d in self.follow_ups_held if d <= on]
        return max(days, default=None)


class Counterpart(Labelled):
    """Whom information may be shared with (Askersund's consent form, bilaga 2)."""

    SCHOOL = ("school", "skola")
    ARBETSFORMEDLINGEN = ("arbetsformedlingen", "Arbetsförmedlingen")
    LABOUR_MARKET_UNIT = ("labour_market_unit", "arbetsmarknadsenheten")
    SOCIAL_SERVICES = ("social_services", "socialtjänsten")
    RELATIVE = ("relative", "förälder eller annan anhörig")
    HEALTH_CARE = ("health_care", "vårdkontakt")
    OTHER = ("other", "annan")

    @property
    def needs_name(self) -> bool:
        """Whether consent for this counterpart must name who (a relative, or "other")."""
        return self in (Counterpart.RELATIVE, Counterpart.OTHER)


class ConsentAction(Labelled):
    """Whether consent was given or revoked."""

    GRANT = ("grant", "samtycke lämnat")
    REVOKE = ("revoke", "samtycke återkallat")


class ConsentGiver(Labelled):
    """Who gave or revoked consent: the youth, or a guardian while the youth is under 18."""

    YOUTH = ("youth", "ungdomen")
    GUARDIAN = ("guardian", "vårdnadshavare")


def _normalise_name(value: str | None) -> str | None:
    text = _text_or_none(value)
    return " ".join(text.split()) if text is not None else None


@attrs.frozen(kw_only=True, repr=False)
class ConsentEvent:
    """Consent given or revoked, from a day, for one counterpart.

    Attributes:
        day: The day it was given or revoked.
        action: Given or revoked.
        counterpart: Whom it concerns.
        name: Who, for a relative or "other" (required there); optionally which school or
            unit for the others. Compared without regard to case or spacing; hidden in
            ``repr`` (it may name a person).
        given_by: The youth or a guardian.

    Raises:
        InvalidInput: If a relative or "other" counterpart is not named.
    """

    day: dt.date = attrs.field(validator=date_field())
    action: ConsentAction = attrs.field(validator=instance_field(ConsentAction))
    counterpart: Counterpart = attrs.field(validator=instance_field(Counterpart))
    name: str | None = attrs.field(default=None, converter=_normalise_name)
    given_by: ConsentGiver = attrs.field(
        default=ConsentGiver.YOUTH, validator=instance_field(ConsentGiver)
    )

    def __attrs_post_init__(self) -> None:
        if self.counterpart.needs_name and self.name is None:
            raise InvalidInput(
                f"consent for {self.counterpart.label_sv} must name who", column="name"
            )

    def __repr__(self) -> str:
        named = ", name=<hidden>" if self.name is not None else ""
        return (
            f"ConsentEvent(day={self.day.isoformat()}, action={self.action.value}, "
            f"counterpart={self.counterpart.value}{named}, given_by={self.given_by.value})"
        )

    def covers(self, counterpart: Counterpart, name: str | None) -> bool:
        """Whether this event is about ``counterpart`` (named ``name``).

        An event without a name covers every counterpart of its kind; an event with a name
        covers only that name.
        """
        if counterpart is not self.counterpart:
            return False
        if self.name is None:
            return True
        wanted = _normalise_name(name)
        return wanted is not None and wanted.casefold() == self.name.casefold()


def sorted_consents(events: Iterable[ConsentEvent]) -> tuple[ConsentEvent, ...]:
    """Consent events by day; on the same day a revocation comes after a grant."""
    kept = tuple(events)
    for index, event in enumerate(kept):
        require_instance(event, ConsentEvent, f"consents[{index}]", where="the case")
    return tuple(sorted(kept, key=lambda e: (e.day, e.action is ConsentAction.REVOKE)))
