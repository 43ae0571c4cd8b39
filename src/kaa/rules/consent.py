"""Consent (*samtycke*): may the municipality share information about a youth with someone?

The rule follows Askersund's consent form (bilaga 2): the youth consents to information being
shared with named counterparts; when the youth is under 18, the guardian (*vårdnadshavare*)
consents too. Consent holds from the day it is given, **only while the youth is in KAA**, and
can be revoked at any time, from the day it is revoked.

:func:`may_share` always answers with a :class:`SharingDecision` that says why; it is never a
bare ``True``. It refuses to share:

- before the youth is registered in KAA, or from the day KAA ended;
- when no consent covers the counterpart (a named relative or "other" must be the one named);
- when the consent was revoked (a revocation on the same day as a grant wins);
- when the youth is under 18 on the day and a guardian has not consented as well, or when the
  youth's age is not known.

This is the municipality's own consent routine, not a rule of förordning (2006:39); sharing
that a statute requires or allows without consent is outside this check.

See ``docs/measures.md`` for a worked example.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kaa.dated import birthday
from kaa.model.case import Case
from kaa.model.documentation import ConsentAction, ConsentEvent, ConsentGiver, Counterpart

__all__ = ["ADULT_AGE", "SharingDecision", "may_share"]

ADULT_AGE = 18
"""From this age the youth's own consent is enough."""


@attrs.frozen(kw_only=True)
class SharingDecision:
    """Whether information may be shared, and why.

    Attributes:
        allowed: Whether it may.
        reason: Why, in words a case worker can act on.
        grants: The consent events the permission rests on (empty when refused).
    """

    allowed: bool
    reason: str
    grants: tuple[ConsentEvent, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


def _who(counterpart: Counterpart, name: str | None) -> str:
    return f"{counterpart.label_sv} ({name})" if name else counterpart.label_sv


def _givers_needed(case: Case, on: dt.date) -> tuple[tuple[ConsentGiver, ...], str | None]:
    born = case.youth.birth_date or case.youth.id.birth_date
    if born is None:
        return (ConsentGiver.YOUTH, ConsentGiver.GUARDIAN), "the youth's age is not known"
    if on < birthday(born, ADULT_AGE):
        return (ConsentGiver.YOUTH, ConsentGiver.GUARDIAN), "the youth is under 18"
    return (ConsentGiver.YOUTH,), None


def _state(
    events: tuple[ConsentEvent, ...],
    giver: ConsentGiver,
    counterpart: Counterpart,
    name: str | None,
    on: dt.date,
) -> ConsentEvent | None:
    """The last event by ``giver`` for the counterpart on or before ``on``."""
    last: ConsentEvent | None = None
    for event in events:  # sorted by day, revocation after grant on the same day
        if event.day > on:
            break
        if event.given_by is giver and event.covers(counterpart, name):
            last = event
    return last


def may_share(
    case: Case, counterpart: Counterpart, *, on: dt.date, name: str | None = None
) -> SharingDecision:
    """Whether information about the youth may be shared with ``counterpart`` on ``on``.

    Args:
        case: The youth's case, with its consent events.
        counterpart: Whom to share with.
        on: The day of sharing.
        name: Who exactly (required for a relative or "other"; optional for the others,
            where a consent naming one school or unit covers only that one).

    Returns:
        The decision with its reason; refused unless consent clearly covers the sharing.
    """
    who = _who(counterpart, name)
    if on < case.registration.day:
        return SharingDecision(
            allowed=False,
            reason=f"the youth is not in KAA until {case.registration.day.isoformat()}",
        )
    if case.end is not None and on >= case.end.day:
        return SharingDecision(
            allowed=False,
            reason=(
                f"KAA ended {case.end.day.isoformat()}: consent holds only while the youth "
                "is in KAA"
            ),
        )
    if counterpart.needs_name and name is None:
        return SharingDecision(
            allowed=False, reason=f"say who: consent for {counterpart.label_sv} names a person"
        )
    givers, why_guardian = _givers_needed(case, on)
    grants: list[ConsentEvent] = []
    for giver in givers:
        last = _state(case.consents, giver, counterpart, name, on)
        if last is None:
            reason = (
                f"no consent covers {who}"
                if giver is ConsentGiver.YOUTH
                else f"no consent from {giver.label_sv} covers {who} ({why_guardian})"
            )
            return SharingDecision(allowed=False, reason=reason)
        if last.action is ConsentAction.REVOKE:
            return SharingDecision(
                allowed=False,
                reason=f"{giver.label_sv} revoked consent for {who} on {last.day.isoformat()}",
            )
        grants.append(last)
    by = " and ".join(f"{g.given_by.label_sv} on {g.day.isoformat()}" for g in grants)
    return SharingDecision(
        allowed=True,
        reason=f"consent for {who} given by {by}, valid while the youth is in KAA",
        grants=tuple(grants),
    )
