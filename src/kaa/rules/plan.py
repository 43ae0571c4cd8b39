"""The individual plan: the seven documentation items, and when the next follow-up is due.

**Documentation items.** Förordning (2006:39) requires the documentation of a youth's measures
to contain, where relevant, seven items, and to be revised when the measures change
(DOMAIN §3). :func:`check_plan` tells, for one case, which items are missing, each with the
citation; :func:`summarise` counts over all cases ("how many youths have a complete plan"),
for the follow-up report. The section of the förordning that lists the items is not recorded
here, so the citation names the förordning as a whole.

**When a plan is needed.** Documentation is required once a measure is agreed: a case with
a measure that was not declined (offered and accepted, started, ongoing or ended) or with a
plan. A youth who only declined offers needs no plan — the förordning asks for the
documentation of measures, and Askersund's plan makes an individual plan "vid behov av
vidare insatser" (Uppdrag; Steg 2). Reading an offered, not declined measure as agreed is the
library's own choice: the register records no separate "agreed" day.

**Follow-up policy.** The förordning sets no interval for following up a plan: it requires
the *times* for follow-up and evaluation to be documented in the plan (item 7). The national
default (``kaa.plan.follow_up``) therefore makes the follow-up due on the days the plan
itself documents, and nothing else; a plan that documents none lacks item 7
(:func:`check_plan`). A municipality with its own routine — Askersund's plan (Steg 4) has the
case worker follow the plan up *once a month*, answered by
:mod:`kaa.municipal.askersund` — gives a dated :class:`~kaa.dated.Timeline` of
:class:`FollowUpPolicy` values through the first-result hook
:func:`kaa.plugins.spec.kaa_plan_follow_up_policy` (a TOML file in the one dated shape is read
with :func:`load_follow_up_policy`). :func:`next_follow_up_due` is the interface the contact
worklist uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs

from kaa.convert import load_toml
from kaa.dated import Timeline, Version, add
from kaa.errors import InvalidInput
from kaa.law import FORORDNING_2006_39, Citation
from kaa.model.case import Case, Measure
from kaa.model.documentation import Party, PlannedMeasure
from kaa.model.youth import Labelled
from kaa.plugins import hookimpl
from kaa.rules.measures import Catalogue

__all__ = [
    "DEFAULT_FOLLOW_UP_POLICY",
    "DocumentationItem",
    "FollowUpPolicy",
    "MissingItem",
    "PlanChecks",
    "PlanCompleteness",
    "PlanSummary",
    "agreed_measures",
    "check_plan",
    "declined_offers",
    "kaa_plan_follow_up_policy",
    "load_follow_up_policy",
    "national_follow_up_policy",
    "next_follow_up_due",
    "summarise",
]


class DocumentationItem(Labelled):
    """The seven items the documentation of measures must contain where relevant.

    Förordning (2006:39); see :attr:`citation`. The members are in the förordning's order;
    :attr:`number` is 1–7.
    """

    GOAL_AND_PLANNING = ("goal_and_planning", "individuell planering och mål för åtgärderna")
    YOUTH_RESPONSIBLE = ("youth_responsible", "vad ungdomen ansvarar för")
    MUNICIPALITY_RESPONSIBLE = ("municipality_responsible", "vad kommunen ansvarar för")
    OTHER_ACTOR_RESPONSIBLE = ("other_actor_responsible", "vad annan aktör ansvarar för")
    START_AND_END = ("start_and_end", "när åtgärderna ska påbörjas och avslutas")
    END_REASON = ("end_reason", "orsak till att en åtgärd avslutats")
    FOLLOW_UP = ("follow_up", "tidpunkter för uppföljning och utvärdering")

    @property
    def number(self) -> int:
        """The item's number, 1–7."""
        return list(DocumentationItem).index(self) + 1

    @property
    def citation(self) -> Citation:
        """Förordning (2006:39), which requires the item."""
        return FORORDNING_2006_39


@attrs.frozen(kw_only=True)
class MissingItem:
    """A documentation item the case lacks.

    Attributes:
        item: Which of the seven items.
        detail: What exactly is missing, for the case worker (e.g. which measure).
    """

    item: DocumentationItem
    detail: str

    @property
    def citation(self) -> Citation:
        """The statute that requires the item."""
        return self.item.citation

    def __str__(self) -> str:
        return f"{self.item.number}. {self.item.label_sv}: {self.detail} ({self.citation})"


@attrs.frozen(kw_only=True)
class PlanCompleteness:
    """Which documentation items one case lacks.

    Attributes:
        case_id: The youth's masked identity number.
        has_plan: Whether the case has an individual plan.
        required: Whether documentation is required: the case has an agreed measure (one
            not declined: offered and accepted, ongoing or ended) or a plan. A youth who
            only declined offers needs none.
        missing: Every missing item, in the förordning's order.
    """

    case_id: str
    has_plan: bool
    required: bool
    missing: tuple[MissingItem, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the plan exists and no item is missing."""
        return self.has_plan and not self.missing

    def missing_items(self) -> tuple[DocumentationItem, ...]:
        """The distinct missing items, in order."""
        if not self.missing:
            return ()
        missing = {m.item for m in self.missing}
        return tuple(i for i in DocumentationItem if i in missing)


def declined_offers(case: Case) -> tuple[Measure, ...]:
    """Measures offered but declined, with their reasons (*erbjuden insats men vill inte*)."""
    return tuple(m for m in case.measures if m.declined)


def agreed_measures(case: Case) -> tuple[Measure, ...]:
    """Measures agreed with the youth: offered and not declined (to start, ongoing or ended).

    These are the measures the documentation is about; an agreed measure makes a plan
    necessary (see :func:`check_plan`).
    """
    return tuple(m for m in case.measures if not m.declined)


def _needs_partner(measure: Measure, catalogue: Catalogue | None) -> bool:
    if catalogue is None or measure.type not in catalogue:
        return False
    return catalogue.get(measure.type).involves_partner


def check_plan(case: Case, *, catalogue: Catalogue | None = None) -> PlanCompleteness:
    """Check the case's documentation against the seven items of förordning (2006:39).

    Items 2–6 are checked per agreed measure (one not declined); a measure the current plan
    does not document lacks all of those that apply to it. Item 4 (another actor) applies to
    a measure whose catalogue entry involves a partner. Item 6 applies only to measures that
    have ended. A case with an agreed measure and no plan lacks items 1 and 7 and those of
    2–6 that apply to its measures. A case without a plan whose measures were all declined,
    or that has none, requires nothing: no plan is needed until a measure is agreed
    (Askersund's plan: "Vid behov av vidare insatser upprättas en individuell
    handlingsplan"). A plan that exists is always checked.

    Args:
        case: The case.
        catalogue: The municipality's catalogue (for item 4); without it, item 4 is checked
            only where the plan names another actor.

    Returns:
        The missing items, each with a detail and the citation.
    """
    taken = list(agreed_measures(case))
    required = bool(taken) or case.plan is not None
    if case.plan is None:
        relevant = _relevant_without_plan(taken, catalogue) if required else ()
        return PlanCompleteness(
            case_id=case.id,
            has_plan=False,
            required=required,
            missing=tuple(
                MissingItem(item=i, detail="the case has no individual plan") for i in relevant
            ),
        )
    revision = case.plan.current
    found: list[MissingItem] = []
    if revision.goal is None or revision.planning is None:
        what = " and ".join(
            w for w, v in (("goal", revision.goal), ("planning", revision.planning)) if v is None
        )
        found.append(
            MissingItem(item=DocumentationItem.GOAL_AND_PLANNING, detail=f"no overall {what}")
        )
    for measure in taken:
        planned = revision.measure(measure.id)
        if planned is None:
            found.extend(
                MissingItem(item=i, detail=f"measure {measure.id} is not in the plan")
                for i in list(DocumentationItem)[1:]
                if i is not DocumentationItem.END_REASON or measure.end is not None
            )
            continue
        found.extend(_check_measure(measure, planned, _needs_partner(measure, catalogue)))
    if not revision.all_follow_ups():
        found.append(
            MissingItem(item=DocumentationItem.FOLLOW_UP, detail="no follow-up day in the plan")
        )
    found.sort(key=lambda m: m.item.number)
    return PlanCompleteness(case_id=case.id, has_plan=True, required=True, missing=tuple(found))


def _relevant_without_plan(
    taken: list[Measure], catalogue: Catalogue | None
) -> tuple[DocumentationItem, ...]:
    """The items a case with agreed measures and no plan lacks: 1, 2, 3, 5 and 7, and 4 and
    6 where relevant."""
    relevant = {
        DocumentationItem.GOAL_AND_PLANNING,
        DocumentationItem.YOUTH_RESPONSIBLE,
        DocumentationItem.MUNICIPALITY_RESPONSIBLE,
        DocumentationItem.START_AND_END,
        DocumentationItem.FOLLOW_UP,
    }
    if any(_needs_partner(m, catalogue) for m in taken):
        relevant.add(DocumentationItem.OTHER_ACTOR_RESPONSIBLE)
    if any(m.end is not None for m in taken):
        relevant.add(DocumentationItem.END_REASON)
    return tuple(i for i in DocumentationItem if i in relevant)


def _check_measure(
    measure: Measure, planned: PlannedMeasure, needs_partner: bool
) -> Iterable[MissingItem]:
    name = f"measure {measure.id}"
    if not planned.responsible(Party.YOUTH):
        yield MissingItem(
            item=DocumentationItem.YOUTH_RESPONSIBLE, detail=f"{name}: nothing for the youth"
        )
    if not planned.responsible(Party.MUNICIPALITY):
        yield MissingItem(
            item=DocumentationItem.MUNICIPALITY_RESPONSIBLE,
            detail=f"{name}: no municipal unit responsible",
        )
    if needs_partner and not planned.responsible(Party.OTHER):
        yield MissingItem(
            item=DocumentationItem.OTHER_ACTOR_RESPONSIBLE,
            detail=f"{name}: the partner's responsibility is not documented",
        )
    start = planned.planned_start or measure.start
    end = planned.planned_end or measure.end
    if start is None or end is None:
        what = " and ".join(w for w, v in (("start", start), ("end", end)) if v is None)
        yield MissingItem(item=DocumentationItem.START_AND_END, detail=f"{name}: no {what} day")
    if measure.end is not None and measure.end_reason is None and planned.end_explanation is None:
        yield MissingItem(
            item=DocumentationItem.END_REASON, detail=f"{name}: ended without a reason"
        )


@attrs.frozen(kw_only=True)
class PlanSummary:
    """Documentation completeness over many cases, for the follow-up report.

    Attributes:
        cases: How many cases were checked.
        required: How many need documentation (they have an agreed measure or a plan).
        with_plan: How many have an individual plan.
        complete: How many have a plan with no missing item.
        missing_by_item: For each item, how many cases lack it.
    """

    cases: int
    required: int
    with_plan: int
    complete: int
    missing_by_item: tuple[tuple[DocumentationItem, int], ...]

    @property
    def incomplete(self) -> int:
        """Cases that need documentation and do not have it complete."""
        return self.required - self.complete

    @classmethod
    def of(cls, results: Iterable[PlanCompleteness]) -> PlanSummary:
        """Count the results of :func:`check_plan` for many cases."""
        total = required = with_plan = complete = 0
        lacking: Counter[DocumentationItem] = Counter()
        for result in results:
            total += 1
            required += result.required
            with_plan += result.has_plan
            complete += result.complete
            lacking.update(result.missing_items())
        return cls(
            cases=total,
            required=required,
            with_plan=with_plan,
            complete=complete,
            missing_by_item=tuple((i, lacking[i]) for i in DocumentationItem),
        )


class PlanChecks:
    """:func:`check_plan` with memory, for one run that counts several periods over the same
    cases (a committee report and its previous period; ``kaa year``'s two reports).

    Each case is checked once: the result is kept by the case object itself (cases are frozen
    values, so the same object always has the same result), which is held as long as this is.
    Make one per run, not one for a long-running process.

    Args:
        catalogue: The municipality's catalogue, as for :func:`check_plan`.
    """

    __slots__ = ("_done", "catalogue")

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue
        self._done: dict[int, tuple[Case, PlanCompleteness]] = {}

    def __call__(self, case: Case) -> PlanCompleteness:
        """The :func:`check_plan` result of ``case`` (checked the first time it is asked for)."""
        done = self._done.get(id(case))
        if done is not None and done[0] is case:
            return done[1]
        result = check_plan(case, catalogue=self.catalogue)
        self._done[id(case)] = (case, result)  # the case is kept, so its id is not reused
        return result


def summarise(cases: Iterable[Case], *, catalogue: Catalogue | None = None) -> PlanSummary:
    """Count documentation completeness over ``cases`` (see :func:`check_plan`).

    Args:
        cases: The cases.
        catalogue: The municipality's catalogue (for item 4).

    Returns:
        The counts, with how many cases lack each item.
    """
    return PlanSummary.of(check_plan(case, catalogue=catalogue) for case in cases)


def _positive_or_none(_: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        raise InvalidInput(
            f"{attribute.name} must be at least 1 month, not {value}", column=attribute.name
        )


@attrs.frozen(kw_only=True)
class FollowUpPolicy:
    """When the case worker follows up an individual plan.

    The follow-up is always due on the days the plan documents (item 7 of the förordning's
    documentation). A municipality's routine may add an interval: the follow-up is then due
    :attr:`every_months` after the last one, or on a documented day if that comes first.

    Attributes:
        every_months: Calendar months from the last follow-up (or revision) to the next;
            ``None`` (the national default) when only the days documented in the plan count.

    Raises:
        InvalidInput: If ``every_months`` is less than 1.
    """

    every_months: int | None = attrs.field(default=None, validator=_positive_or_none)

    @classmethod
    def as_documented(cls) -> FollowUpPolicy:
        """Only the follow-up days documented in the plan (the förordning's requirement)."""
        return cls()

    @classmethod
    def every(cls, months: int) -> FollowUpPolicy:
        """Every ``months`` calendar months from the last follow-up, or on an earlier
        documented day (Askersund: once a month)."""
        return cls(every_months=months)

    def due_after(self, last: dt.date) -> dt.date | None:
        """The day the interval makes the next follow-up due after one on ``last``;
        ``None`` when the policy has no interval."""
        return None if self.every_months is None else add(last, months=self.every_months)

    def next_due(self, last: dt.date, documented: Iterable[dt.date]) -> dt.date | None:
        """The next follow-up after one held (or a revision made) on ``last``.

        Args:
            last: The latest follow-up or revision.
            documented: The follow-up days documented in the plan in force.

        Returns:
            The earliest documented day after ``last`` or, with an interval, the interval's
            day if that is earlier; ``None`` when nothing is due.
        """
        candidates = [d for d in documented if d > last]
        interval = self.due_after(last)
        if interval is not None:
            candidates.append(interval)
        return min(candidates, default=None)


DEFAULT_FOLLOW_UP_POLICY: Timeline[FollowUpPolicy] = Timeline(
    "kaa.plan.follow_up",
    [
        Version(
            start=dt.date.min,
            value=FollowUpPolicy.as_documented(),
            title=(
                "national default: the plan is followed up on the days it documents (item 7, "
                "times for follow-up and evaluation); the förordning sets no interval"
            ),
            citation=FORORDNING_2006_39,
        )
    ],
)
"""The national default follow-up policy: the follow-up and evaluation days documented in
the plan, which förordning (2006:39) requires the documentation to contain. The förordning
sets no interval; a municipality's routine (e.g. Askersund's monthly one) is its plugin's.
It applies to every day: the förordning's own dates of amendment are not recorded here."""


@hookimpl(trylast=True)
def kaa_plan_follow_up_policy(municipality: str) -> Timeline[FollowUpPolicy] | None:
    """The national default: the follow-up days documented in the plan, for every
    municipality whose plugin gives no routine of its own."""
    return DEFAULT_FOLLOW_UP_POLICY


FollowUpPolicyFor = Callable[[str], Timeline[FollowUpPolicy]]
"""The follow-up policy of a municipality over time, by kommunkod (see
:meth:`kaa.plugins.manager.Hooks.plan_follow_up_policy`)."""


def national_follow_up_policy(municipality: str) -> Timeline[FollowUpPolicy]:
    """The national default follow-up policy (:data:`DEFAULT_FOLLOW_UP_POLICY`), for every
    municipality: only the days documented in the plan."""
    return DEFAULT_FOLLOW_UP_POLICY


def load_follow_up_policy(
    path: Path | Traversable, *, file: str | None = None
) -> Timeline[FollowUpPolicy]:
    """Read a municipality's follow-up routine from a TOML file in the one dated shape.

    Each ``[[versions]]`` table applies from its ``start``, with a title, a citation (the
    municipality's plan or decision) and the policy as its ``value``::

        municipality = "1882"
        rule_id = "kaa.plan.follow_up.1882"

        [[versions]]
        start = 2015-01-01
        title = "Handläggaren följer upp handlingsplanen en gång i månaden"
        value = { every_months = 1 }
        citation = { title = "Handlingsplan för kommunens aktivitetsansvar", issuer = "…" }

    ``value = {}`` means only the days documented in the plan.

    Args:
        path: The TOML file (a path or a package resource).
        file: What to call the file in errors; ``str(path)`` when ``None``.

    Raises:
        ConfigurationError: If the file cannot be read or a key is wrong (file and key
            named).
    """
    timeline: Timeline[FollowUpPolicy] = load_toml(path, Timeline[FollowUpPolicy], file=file)
    return timeline


def next_follow_up_due(
    case: Case, *, on: dt.date, policy: FollowUpPolicyFor = national_follow_up_policy
) -> dt.date | None:
    """The day the plan's next follow-up is due, under the municipality's policy.

    Counted from the latest revision or follow-up held on or before ``on``: the next
    follow-up day documented in the plan in force on ``on`` (item 7) that comes after it, or,
    when the municipality's policy in force on that last follow-up has an interval (Askersund:
    once a month), the interval's day if that is earlier. The answer may be before ``on``: the
    follow-up is overdue. Under the national default a plan that documents no later
    follow-up day has nothing due (and lacks item 7, see :func:`check_plan`).

    Args:
        case: The case.
        on: The day of the question.
        policy: The municipality's follow-up policy by kommunkod; the national default when
            not given (pass :meth:`kaa.plugins.manager.Hooks.plan_follow_up_policy` for the
            installed and shipped plugins', e.g. Askersund's monthly routine).

    Returns:
        The due day, or ``None`` if the case has no plan yet on ``on``, is not open then, or
        nothing is due under the policy.

    Raises:
        RuleNotInForce: If the municipality's policy is not in force on the last follow-up.
    """
    if case.plan is None or not case.open_on(on):
        return None
    last = case.plan.last_follow_up(on)
    revision = case.plan.as_of(on)
    if last is None or revision is None:
        return None
    return policy(case.municipality).value_at(last).next_due(last, revision.all_follow_ups())
