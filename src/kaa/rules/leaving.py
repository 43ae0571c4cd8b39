"""Why a youth with an open case has left the target group, and whether the facts settle it.

A case stays open until the municipality records the end of KAA (:class:`~kaa.model.case.KaaEnd`).
When the facts the register holds show that the youth is no longer in the target group
(:func:`kaa.rules.target_group.assess` says *out*), the case should be closed — but only the
facts that positively show why settle the reason the register records:

| fails | the facts | end of KAA |
|---|---|---|
| T1 | turned 20 | ``turned_20`` on the birthday |
| T4, T5 | a degree or an equivalent completion, issued on a day | ``degree`` that day |
| T3 | studies that count, from a day | ``started_programme`` that day |
| T6 | folkbokförd in another municipality from a day | ``not_folkbokford`` that day |

Everything else — the youth missing from the register, no residence recorded for the day
(moved abroad? not known), a residence that gives no home municipality, compulsory
schooling the register no longer shows — does not settle it: the case worker decides, and
:func:`leaving` says so (:attr:`Leaving.settled` is false) with the reason in words. When the
case holds no facts at all to judge by (a youth registered by hand with only an identity
number), :func:`leaving` says nothing: a missing fact is not a fact.

Which reason is recorded when several conditions fail is the library's own choice: the age
first (it is certain), then a degree, then attendance, then the home municipality.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kaa.model.case import EndReason
from kaa.model.youth import Youth
from kaa.rules.target_group import Condition, Decision, Reason

__all__ = ["Leaving", "leaving"]


@attrs.frozen(kw_only=True)
class Leaving:
    """Why a youth has left the target group, as the facts show it.

    Attributes:
        settled: Whether the facts settle the reason (then ``reason`` and ``day`` are the
            end of KAA to record); otherwise the case worker decides.
        reason: The end of KAA's reason, when settled.
        day: The day the facts give (the 20th birthday, the day of the degree, the first
            day of the studies, the first day in the other municipality), when settled.
        condition: The target-group condition that fails and gives the reason.
        explanation: What the facts say, in words (from the decision's reason).
        explanation_sv: The same, in Swedish, for a case worker.
    """

    settled: bool
    reason: EndReason | None = None
    day: dt.date | None = None
    condition: Condition
    explanation: str
    explanation_sv: str


_ORDER = (
    Condition.AGE,
    Condition.DEGREE,
    Condition.EQUIVALENT_COMPLETED,
    Condition.ATTENDANCE,
    Condition.HOME_MUNICIPALITY,
    Condition.COMPULSORY_SCHOOL,
)


def _knows_nothing(youth: Youth, reason: Reason) -> bool:
    """Whether ``reason`` fails only because the facts are missing altogether."""
    if reason.condition is Condition.COMPULSORY_SCHOOL:
        return youth.compulsory_school_completed is None and youth.folkbokford_in_sweden is None
    if reason.condition is Condition.HOME_MUNICIPALITY:
        return not youth.residences
    return False


def _settled(youth: Youth, reason: Reason, decision: Decision) -> tuple[EndReason, dt.date] | None:
    on = decision.day
    condition = reason.condition
    if condition is Condition.AGE:
        return EndReason.TURNED_20, decision.ages_out
    if condition in (Condition.DEGREE, Condition.EQUIVALENT_COMPLETED):
        held = [q for q in youth.qualifications if q.issued <= on]
        wanted = [
            q
            for q in held
            if (
                q.kind.is_degree
                if condition is Condition.DEGREE
                else q.kind.is_equivalent_completion
            )
        ]
        if wanted:
            return EndReason.DEGREE, min(q.issued for q in wanted)
        return None
    if condition is Condition.ATTENDANCE:
        starts = [e.start for e in youth.enrolments if e.covers(on)]
        if starts:
            return EndReason.STARTED_PROGRAMME, max(starts)
        return None
    if condition is Condition.HOME_MUNICIPALITY:
        residence = youth.residence_on(on)
        if (
            residence is not None
            and residence.basis.gives_home_municipality
            and decision.municipality is not None
            and residence.municipality != decision.municipality
            and residence.start is not None
        ):
            return EndReason.NOT_FOLKBOKFORD, residence.start
        return None
    return None


def leaving(youth: Youth, decision: Decision) -> Leaving | None:
    """Why ``youth`` is out of the target group by ``decision``, and whether it is settled.

    Args:
        youth: The facts about the youth (the case's youth).
        decision: :func:`kaa.rules.target_group.assess` of the same youth, for the case's
            municipality, on the day asked about.

    Returns:
        ``None`` when the youth is in the target group, or when every failing condition
        fails only for want of facts or is not settled by the statute (an undecided
        decision: a fact is to be recorded, the youth has not left); else the reason,
        settled or for the case worker to decide.

    >>> import datetime as dt
    >>> from kaa.identity import IdentityNumber
    >>> from kaa.rules.target_group import assess
    >>> youth = Youth(id=IdentityNumber.parse("20060101-2388"))
    >>> gone = leaving(youth, assess(youth, on=dt.date(2026, 3, 1), municipality="1882"))
    >>> gone.settled, gone.reason.value, gone.day.isoformat()
    (True, 'turned_20', '2026-01-01')
    """
    if decision.in_target_group:
        return None
    failed = {r.condition: r for r in decision.failed if r.settled and not _knows_nothing(youth, r)}
    for condition in _ORDER:
        reason = failed.get(condition)
        if reason is None:
            continue
        found = _settled(youth, reason, decision)
        if found is not None:
            end, day = found
            return Leaving(
                settled=True,
                reason=end,
                day=day,
                condition=condition,
                explanation=reason.explanation,
                explanation_sv=f"{end.label_sv} ({day.isoformat()})",
            )
    for condition in _ORDER:
        reason = failed.get(condition)
        if reason is not None:
            return Leaving(
                settled=False,
                condition=condition,
                explanation=reason.explanation,
                explanation_sv=(
                    f"villkoret {condition.code} ({condition.text_sv}) är inte uppfyllt enligt "
                    "registret, men registret visar inte varför: ta ställning till om "
                    "aktivitetsansvaret har upphört"
                ),
            )
    return None
