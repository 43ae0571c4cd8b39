"""Contact timetables: a municipality's routine for reaching every youth, as dated data.

29 kap. 9 § skollagen (2010:800) requires the home municipality to keep itself informed
*löpande under året* (continuously, all year) about how every youth in the target group is
occupied. *How* it does so — which channels, in which order, how soon — is each
municipality's policy, written down in its action plan (*handlingsplan*). This module makes
that routine explicit and checkable:

- a :class:`Timetable` is an ordered list of :class:`Step` s: an action and a channel
  (postcard, phone call, SMS, letter, …), when it is due relative to an :class:`Anchor`
  (the registration day, the last failed attempt, a declined offer, …) — "within 1 week",
  "after 8 weeks", "no earlier than 3 months after" — and its conditions (only while the
  youth is not reached, only if a phone number is known, only if an earlier step got no
  answer, the guardian too when the youth was under 18 at registration);
- steps that are **human decisions** — above all a report of concern to social services
  (*orosanmälan*) after at least three attempts without result — are marked ``decision``:
  the worklist raises them as prompts for the case worker to decide, never as actions;
- a municipality's timetables over time are a :class:`~kaa.dated.Timeline` (rule id
  ``kaa.contact_timetable.<kommunkod>``): a changed routine is a new version from a day on;
- timetables are written in TOML (:func:`load_timetable`; see the docs page *Contact
  timetables*) and chosen through the first-result hook
  :func:`~kaa.plugins.spec.kaa_contact_timetable`. This module is the built-in plugin that
  answers last, with the minimal national default (``kaa/data/timetables/national.toml``),
  which says only what the law says; a municipality's plugin (Askersund's,
  :mod:`kaa.municipal.askersund`, is shipped) answers first with its own.

:func:`step_states` evaluates a timetable for one case on one day; the worklist
(:mod:`kaa.worklist`) is built from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs
import cattrs

from kaa.convert import DataFileError, Dated, Invalid, check, load_toml, make_converter, parse_toml
from kaa.dated import Timeline, add, birthday
from kaa.law import Citation
from kaa.model.case import Activity, Case, Channel, Contact, Contacted, ContactOutcome
from kaa.model.youth import Labelled
from kaa.plugins import hookimpl

__all__ = [
    "CUSTODY_ENDS_AT",
    "FORALDRABALKEN",
    "NATIONAL_RULE_ID",
    "RULE_ID_PREFIX",
    "WORKING_DAY_RULE",
    "Action",
    "Anchor",
    "Completion",
    "Offset",
    "Requirement",
    "Step",
    "StepState",
    "StepStatus",
    "Timetable",
    "Timing",
    "declined_days",
    "dump_timetable",
    "failed_attempts",
    "load_timetable",
    "national_timetable",
    "next_working_day",
    "parse_timetable",
    "step_states",
]

RULE_ID_PREFIX = "kaa.contact_timetable"
"""Timetables have the rule id ``kaa.contact_timetable.<kommunkod>``."""

NATIONAL_RULE_ID = f"{RULE_ID_PREFIX}.national"
"""The rule id of the minimal national default timetable."""


class Action(Labelled):
    """What a step asks for."""

    CONTACT = ("contact", "kontaktförsök")
    """An attempt to reach the youth (or guardian) through a channel; recorded as a
    :class:`~kaa.model.case.Contact`."""
    REPORT_OF_CONCERN = ("report_of_concern", "orosanmälan till socialtjänsten")
    """A report of concern to social services: always a decision for a person."""
    SOCIAL_SERVICES = ("social_services", "kontakt med socialtjänsten")
    """Asking social services whether they know the youth: a decision for a person (the
    register may not hold why)."""
    MAPPING = ("mapping", "kartläggning av behov (samtal)")
    """A conversation mapping the youth's needs, once the youth is reached: a prompt."""
    PLAN = ("plan", "individuell plan vid behov av vidare insatser")
    """Making an individual plan if further measures are needed: a prompt."""
    CONSENT = ("consent", "samtycke innan uppgifter lämnas till andra")
    """Asking for the youth's consent before data are shared with a partner: a prompt."""


class Anchor(Labelled):
    """The day a step's timing is counted from."""

    REGISTRATION = ("registration", "registreringsdagen")
    LAST_ATTEMPT = ("last_attempt", "senaste kontaktförsöket")
    LAST_FAILED_ATTEMPT = ("last_failed_attempt", "senaste kontaktförsöket utan resultat")
    LAST_REACHED = ("last_reached", "senaste kontakten då ungdomen nåddes")
    REACHED = ("reached", "dagen ungdomen först nåddes")
    DECLINED = ("declined", "dagen ungdomen avböjde en erbjuden insats")
    LAST_FOLLOW_UP = ("last_follow_up", "senaste uppföljningen av den individuella planen")


class Timing(Labelled):
    """How a step's offset is read."""

    FROM = ("from", "från")
    """Open from the anchor day itself, with no deadline (due, never overdue)."""
    WITHIN = ("within", "inom")
    """May be done from the anchor day; due at the latest when the offset has passed."""
    AFTER = ("after", "efter")
    """Due on the day the offset has passed, not before; overdue after that day."""
    NO_EARLIER_THAN = ("no_earlier_than", "tidigast efter")
    """Not before the offset has passed, and then open with no deadline (the worklist shows
    it as due, never overdue)."""


class Requirement(Labelled):
    """A fact about the youth that a step needs."""

    PHONE_KNOWN = ("phone_known", "telefonnummer känt")
    EMAIL_KNOWN = ("email_known", "e-postadress känd")
    ADDRESS_KNOWN = ("address_known", "adress känd (aldrig för skyddad identitet)")
    OCCUPIED = ("occupied", "har sysselsättning")
    """The youth's latest known activity is an occupation (not unknown, not none)."""
    MEASURE_AGREED = ("measure_agreed", "en insats är överenskommen (erbjuden och inte avböjd)")

    def holds(self, case: Case, on: dt.date) -> bool:
        """Whether the requirement holds for ``case`` on ``on``."""
        details = case.contact_details
        if self is Requirement.PHONE_KNOWN:
            return details is not None and bool(details.phone)
        if self is Requirement.EMAIL_KNOWN:
            return details is not None and bool(details.email)
        if self is Requirement.ADDRESS_KNOWN:
            return (
                details is not None
                and details.address is not None
                and not case.youth.has_protected_identity
            )
        if self is Requirement.MEASURE_AGREED:
            return any(m.offered <= on and not m.declined for m in case.measures)
        return case.latest_activity(on) not in (Activity.UNKNOWN, Activity.NO_ACTIVITY)


class Completion(Labelled):
    """What on record does a prompt (a step that is not a contact attempt)."""

    MEASURE_OFFERED = ("measure_offered", "en insats har erbjudits")
    MEASURE_STARTED = ("measure_started", "en insats har påbörjats")
    PLAN_MADE = ("plan_made", "en individuell plan har upprättats")
    CONSENT_RECORDED = ("consent_recorded", "samtycke har registrerats")
    SUPPORT_DECLINED = ("support_declined", "ungdomen har avböjt stöd")

    def on_record(self, case: Case, on: dt.date) -> dt.date | None:
        """The first day on or before ``on`` that the case shows it, else ``None``."""
        days: list[dt.date] = []
        if self is Completion.MEASURE_OFFERED:
            days = [m.offered for m in case.measures]
        elif self is Completion.MEASURE_STARTED:
            days = [m.start for m in case.measures if m.start is not None]
        elif self is Completion.PLAN_MADE:
            days = [case.plan.made_on] if case.plan is not None else []
        elif self is Completion.CONSENT_RECORDED:
            days = [c.day for c in case.consents]
        else:
            days = declined_days(case, on)
        return min((d for d in days if d <= on), default=None)


def declined_days(case: Case, on: dt.date) -> list[dt.date]:
    """The days on or before ``on`` that the youth declined support, in order.

    A youth declines support by saying so when reached (a contact with the outcome
    ``declined_support``) or by declining a measure offered; but a youth in an ongoing
    measure on ``on`` who declined another one has not declined support, so then there is
    none.
    """
    ongoing = any(
        m.start is not None and m.start <= on and (m.end is None or m.end > on)
        for m in case.measures
    )
    if ongoing:
        return []
    days = [m.offered for m in case.measures if m.declined and m.offered <= on]
    declined, youth = ContactOutcome.DECLINED_SUPPORT, Contacted.YOUTH  # once, not per contact
    days += [
        c.day
        for c in case.contacts
        if c.outcome is declined and c.contacted is youth and c.day <= on
    ]
    return sorted(days)


_UNITS = {
    "day": "days",
    "days": "days",
    "dag": "days",
    "dagar": "days",
    "week": "weeks",
    "weeks": "weeks",
    "vecka": "weeks",
    "veckor": "weeks",
    "month": "months",
    "months": "months",
    "månad": "months",
    "månader": "months",
    "year": "years",
    "years": "years",
    "år": "years",
}
_OFFSET_PART = re.compile(r"(\d{1,4})\s+([a-zåäö]+)", re.IGNORECASE)
_OFFSET = re.compile(r"^\s*\d{1,4}\s+[a-zåäö]+(?:\s+\d{1,4}\s+[a-zåäö]+)*\s*$", re.IGNORECASE)


@attrs.frozen(kw_only=True, cache_hash=True)  # a key of _after's memo, hashed per step
class Offset:
    """A span of calendar time: ``"1 week"``, ``"8 weeks"``, ``"3 months"``.

    Always applied to the original anchor with :func:`kaa.dated.add`.

    Attributes:
        years: Calendar years.
        months: Calendar months.
        weeks: Weeks.
        days: Days.
    """

    years: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    months: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    weeks: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    days: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    @classmethod
    def parse(cls, text: str) -> Offset:
        """Read ``"<number> <unit>"`` (or several, ``"1 month 2 weeks"``); units in English or
        Swedish, singular or plural.

        >>> Offset.parse("8 weeks"), Offset.parse("3 månader")
        (Offset(years=0, months=0, weeks=8, days=0), Offset(years=0, months=3, weeks=0, days=0))

        Raises:
            ValueError: If the text is not numbers with known units, each unit once.
        """
        parts = _OFFSET_PART.findall(text) if _OFFSET.match(text) else []
        units = [_UNITS.get(unit.lower()) for _, unit in parts]
        if not parts or None in units or len(set(units)) != len(units):
            raise ValueError(
                f"{text!r} is not an offset: write a number and a unit, e.g. '1 week', "
                "'2 weeks', '1 month', '3 months' (day, week, month, year)"
            )
        return cls(**{str(unit): int(n) for (n, _), unit in zip(parts, units, strict=True)})

    def after(self, anchor: dt.date) -> dt.date:
        """The day this offset after ``anchor`` (:func:`kaa.dated.add`, memoised: a register
        has many cases registered on the same days)."""
        return _after(anchor, self)

    def __str__(self) -> str:
        parts = [
            f"{n} {unit if n != 1 else unit[:-1]}"
            for n, unit in (
                (self.years, "years"),
                (self.months, "months"),
                (self.weeks, "weeks"),
                (self.days, "days"),
            )
            if n
        ]
        return " ".join(parts) or "0 days"

    def sv(self) -> str:
        """The offset in Swedish, e.g. ``"8 veckor"``."""
        names = {
            "years": ("år", "år"),
            "months": ("månad", "månader"),
            "weeks": ("vecka", "veckor"),
            "days": ("dag", "dagar"),
        }
        parts = [
            f"{n} {names[unit][0] if n == 1 else names[unit][1]}"
            for unit, n in (
                ("years", self.years),
                ("months", self.months),
                ("weeks", self.weeks),
                ("days", self.days),
            )
            if n
        ]
        return " ".join(parts) or "0 dagar"


@lru_cache(maxsize=1 << 16)
def _after(anchor: dt.date, offset: Offset) -> dt.date:
    return add(
        anchor, years=offset.years, months=offset.months, weeks=offset.weeks, days=offset.days
    )


def _id_text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ValueError(
            f"{attribute.name} {value!r}: use lower-case letters, digits and underscores"
        )


@attrs.frozen(kw_only=True)
class Step:
    """One step of a contact timetable.

    Attributes:
        id: Identifies the step within the timetable (``"postcard"``), shown in the worklist.
        what: What is done, as the plan says it (``"Vykort"``).
        how: How, as the plan says it.
        action: A contact attempt, or something only a person can decide.
        channel: The channel of a contact attempt; ``None`` for any channel.
        anchor: The day the timing is counted from.
        timing: How ``offset`` is read (within, after, no earlier than, from).
        offset: How long after the anchor.
        while_not_reached: Only while the youth has not been reached.
        requires: Facts the step needs (a known phone number, …).
        if_unanswered: The id of an earlier step whose attempt must have gone unanswered.
        opens_after: The id of an earlier step that must be done, or have lapsed (its
            deadline passed), before this one opens: the routine's order ("följer i
            turordning"). A step that does not apply passes the wait on to its own.
        done_when: For a prompt: what on record does it (a plan made, a consent recorded …).
        min_failed_attempts: Attempts to the youth without result needed before the step
            applies: distinct attempts (a day and a channel) whose result is known — a
            postcard only sent counts once a later attempt followed it unanswered.
        guardian_below_age: Also contact the guardian (*vårdnadshavare*) when the youth was
            younger than this at registration.
        decision: A decision for a person: raised as a prompt, never an automatic action.
    """

    id: str = attrs.field(validator=_id_text)
    what: str
    how: str = ""
    action: Action = Action.CONTACT
    channel: Channel | None = None
    anchor: Anchor = Anchor.REGISTRATION
    timing: Timing = Timing.FROM
    offset: Offset = Offset()
    while_not_reached: bool = True
    requires: tuple[Requirement, ...] = ()
    if_unanswered: str | None = None
    opens_after: str | None = None
    done_when: tuple[Completion, ...] = ()
    min_failed_attempts: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    guardian_below_age: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional([attrs.validators.ge(1), attrs.validators.le(20)]),
    )
    decision: bool = False

    def __attrs_post_init__(self) -> None:
        if self.action is not Action.CONTACT and not self.decision:
            raise ValueError(
                f"step {self.id}: {self.action.value} is not a contact attempt the register "
                "records, so it must be a decision for a person (decision = true)"
            )
        if self.action is not Action.CONTACT and self.channel is not None:
            raise ValueError(f"step {self.id}: only a contact attempt has a channel")
        if self.timing is Timing.FROM and self.offset != Offset():
            raise ValueError(f"step {self.id}: 'from' takes no offset; use within or after")
        if self.done_when and self.action is Action.CONTACT:
            raise ValueError(
                f"step {self.id}: a contact attempt is done by the attempt; done_when is for "
                "prompts"
            )

    @property
    def is_prompt(self) -> bool:
        """Whether the step is raised as a prompt for a person to decide."""
        return self.decision

    def when_sv(self) -> str:
        """When the step is due, in Swedish (``"inom 1 vecka från registreringsdagen"``)."""
        anchor = self.anchor.label_sv
        if self.timing is Timing.FROM:
            text = f"från {anchor}"
        elif self.timing is Timing.WITHIN:
            text = f"inom {self.offset.sv()} från {anchor}"
        elif self.timing is Timing.AFTER:
            text = f"efter {self.offset.sv()} från {anchor}"
        else:
            text = f"tidigast {self.offset.sv()} efter {anchor}"
        if self.min_failed_attempts:
            text += f", efter minst {self.min_failed_attempts} kontaktförsök utan resultat"
        return text

    def conditions_sv(self) -> str:
        """The step's conditions in Swedish, ``"–"`` if none."""
        parts: list[str] = []
        if self.while_not_reached:
            parts.append("så länge ungdomen inte är nådd")
        parts.extend(r.label_sv for r in self.requires)
        if self.if_unanswered:
            parts.append(f"om steg {self.if_unanswered} blev obesvarat")
        if self.opens_after:
            parts.append(f"efter steg {self.opens_after} (gjort eller passerat)")
        if self.guardian_below_age is not None:
            parts.append(
                f"även vårdnadshavare om ungdomen var under {self.guardian_below_age} "
                "vid registreringen, till 18-årsdagen"
            )
        if self.decision:
            parts.append("handläggarens beslut")
        return "; ".join(parts) or "–"


@attrs.frozen(kw_only=True)
class Timetable:
    """A municipality's contact routine: steps in the order the plan lists them.

    Attributes:
        steps: The steps.
        working_days: Move a due day that falls on a Saturday, Sunday, Swedish public
            holiday, midsommarafton, julafton or nyårsafton to the next working day
            (:func:`next_working_day`).
        guardian_reached_ends_routine: Whether reaching a guardian ends the youth's routine
            as reaching the youth does. ``False`` (the default): who was reached is
            recorded, and the youth's steps go on until the youth is reached.
    """

    steps: tuple[Step, ...]
    working_days: bool = False
    guardian_reached_ends_routine: bool = False

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"two steps have the id {step.id!r}")
            for name, earlier in (
                ("if_unanswered", step.if_unanswered),
                ("opens_after", step.opens_after),
            ):
                if earlier is not None and earlier not in seen:
                    raise ValueError(
                        f"step {step.id}: {name} names {earlier!r}, which is not an earlier step"
                    )
            if (
                step.if_unanswered is not None
                and self.step(step.if_unanswered).guardian_below_age != step.guardian_below_age
            ):
                raise ValueError(
                    f"step {step.id}: give it the same guardian_below_age as step "
                    f"{step.if_unanswered}, whose answer it depends on"
                )
            seen.add(step.id)

    def step(self, step_id: str) -> Step:
        """The step with id ``step_id``.

        Raises:
            KeyError: If there is none.
        """
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def due(self, day: dt.date) -> dt.date:
        """``day``, or the next working day when the working-day rule is on."""
        return next_working_day(day) if self.working_days else day

    def markdown(self) -> str:
        """The timetable as a Markdown table (what, how, when, conditions)."""
        lines = ["| steg | vad | hur | när | villkor |", "|---|---|---|---|---|"]
        for step in self.steps:
            what = step.what + (" *(beslut av handläggare)*" if step.decision else "")
            lines.append(
                f"| `{step.id}` | {what} | {step.how} | {step.when_sv()} | {step.conditions_sv()} |"
            )
        return "\n".join(lines)


WORKING_DAY_RULE = Citation(sfs="1930:173", title="lagen om beräkning av lagstadgad tid")
"""The law the working-day rule follows: a deadline that falls on a Saturday, a Sunday or
another public holiday (*allmän helgdag*), midsommarafton, julafton or nyårsafton moves to
the next working day."""


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    import holidays  # only when a timetable uses the working-day rule: it is slow to import

    # "de_facto": midsommarafton, julafton and nyårsafton, which are not allmänna helgdagar
    # (lag 1989:253) but are not working days under lag (1930:173) om beräkning av lagstadgad tid
    found = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(found.keys())


def next_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the next one: not a Saturday or Sunday, a
    Swedish public holiday, midsommarafton, julafton or nyårsafton (:data:`WORKING_DAY_RULE`;
    the days from the ``holidays`` package's public and de-facto categories for Sweden).

    >>> next_working_day(dt.date(2026, 12, 24))  # julafton, a Thursday
    datetime.date(2026, 12, 28)
    """
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += dt.timedelta(days=1)
    return day


class StepStatus(Labelled):
    """Where a step stands for one case on one day."""

    DONE = ("done", "gjort")
    PENDING = ("pending", "att göra")
    WAITING = ("waiting", "väntar")
    """Its anchor or an earlier step has not happened yet."""
    MISSED = ("missed", "missat (fristen passerade, nästa steg har öppnat)")
    """Not done by its deadline, and a later step of the routine has opened after it."""
    NOT_APPLICABLE = ("not_applicable", "gäller inte")


@attrs.frozen(kw_only=True)
class StepState:
    """One step for one case on one day, for the youth or the guardian.

    Attributes:
        step: The step.
        contacted: The youth or the guardian.
        status: Done, pending, waiting or not applicable.
        opens: The first day the step may be done (pending steps).
        due: The day it is due at the latest (pending steps).
        done_on: The day of the attempt that did it (done steps).
        note: Why it is waiting or not applicable, in words for a case worker.
    """

    step: Step
    contacted: Contacted
    status: StepStatus
    opens: dt.date | None = None
    due: dt.date | None = None
    done_on: dt.date | None = None
    note: str = ""


FORALDRABALKEN = Citation(sfs="1949:381", title="föräldrabalken", chapter=6, section="2")
"""6 kap. 2 § föräldrabalken: custody (*vårdnad*) ends when the child turns 18, so a step
addressed to a guardian lapses on the youth's 18th birthday."""

CUSTODY_ENDS_AT = 18
"""The age at which custody ends (:data:`FORALDRABALKEN`)."""


def _born(case: Case) -> dt.date:
    """The birth date (when only partly known, the latest possible one: a youth who may be
    under age counts as under)."""
    youth = case.youth
    return youth.birth_date or youth.id.birth_date or youth.id.latest_possible_birth_date()


def failed_attempts(contacts: Sequence[Contact]) -> list[Contact]:
    """The distinct attempts to the youth without result, in order.

    An attempt counts once per day and channel; attempts to a guardian do not count; an
    attempt whose result is not known yet (a postcard only *sent*) counts only once a later
    attempt to the youth followed it while the youth was still not reached.
    """
    youth = Contacted.YOUTH  # looked up once, not per contact
    to_youth = [c for c in contacts if c.contacted is youth]
    counted: list[Contact] = []
    seen: set[tuple[dt.date, Channel]] = set()
    for index, contact in enumerate(to_youth):
        if contact.outcome.reached:
            continue
        if not contact.outcome.result_known and not any(
            later.day > contact.day for later in to_youth[index + 1 :]
        ):
            continue
        key = (contact.day, contact.channel)
        if key not in seen:
            seen.add(key)
            counted.append(contact)
    return counted


# Python 3.11's EnumType.__getattr__ hook makes each `StepStatus.DONE` cost about 0.1 µs: the
# evaluation below, run for every step of every case, names the members it needs once here.
_DONE, _PENDING, _WAITING = StepStatus.DONE, StepStatus.PENDING, StepStatus.WAITING
_MISSED, _NOT_APPLICABLE = StepStatus.MISSED, StepStatus.NOT_APPLICABLE
_YOUTH, _GUARDIAN = Contacted.YOUTH, Contacted.GUARDIAN
_CONTACT = Action.CONTACT
_DEADLINED = (Timing.WITHIN, Timing.AFTER)
"""The timings with a deadline a pending step can pass (:func:`_lapsed`)."""


@attrs.frozen(kw_only=True)
class _StepPlan:
    """What :func:`step_states` reads of one step, worked out once per timetable."""

    step: Step
    guardian_below_age: int | None
    """The step's ``guardian_below_age`` if it is a contact attempt, else ``None``."""
    opens_on_anchor: bool
    """From and within: the step may be done from the anchor day (after and no earlier than:
    from the day the offset has passed)."""
    strictly_after: bool
    """Only an attempt after the anchor day does it: the anchor is itself an attempt."""
    requires: tuple[Requirement, ...]
    """What the step needs for the youth."""
    guardian_requires: tuple[Requirement, ...]
    """What it needs for the guardian: of its requirements, only ``occupied``."""
    days_after: dict[dt.date, dt.date] = attrs.field(factory=dict, eq=False)
    """The step's offset after each anchor day asked so far (:meth:`after`)."""

    def after(self, anchor: dt.date) -> dt.date:
        """The step's offset after ``anchor`` (:meth:`Offset.after`), memoised per step: a
        lookup by the day alone costs less than hashing the offset too."""
        day = self.days_after.get(anchor)
        if day is None:
            if len(self.days_after) >= 4096:  # bounded: a long-running process meets new days
                self.days_after.clear()
            day = self.days_after[anchor] = self.step.offset.after(anchor)
        return day


def _step_plan(step: Step) -> _StepPlan:
    return _StepPlan(
        step=step,
        guardian_below_age=step.guardian_below_age if step.action is Action.CONTACT else None,
        opens_on_anchor=step.timing in (Timing.FROM, Timing.WITHIN),
        strictly_after=step.anchor
        not in (Anchor.REGISTRATION, Anchor.DECLINED, Anchor.LAST_FOLLOW_UP, Anchor.REACHED),
        requires=step.requires,
        guardian_requires=tuple(r for r in step.requires if r is Requirement.OCCUPIED),
    )


@attrs.frozen(kw_only=True)
class _Plan:
    """What :func:`step_states` reads of a timetable, worked out once per timetable."""

    steps: tuple[_StepPlan, ...]
    anchors: tuple[Anchor, ...]
    """The anchors the steps count from, once each: a case's days are found only for these."""
    counts_failed: bool
    """Whether a step needs attempts without result (``min_failed_attempts``)."""
    chains: dict[str, tuple[str, ...]]
    """The ids of the steps each step comes after (:func:`_chain`), by step id."""


_PLANS: dict[int, tuple[Timetable, _Plan]] = {}
""":func:`_plan` of every timetable, by identity (hashing a timetable costs more than the plan;
the timetable is kept, so that its id is not reused while it is here)."""


def _plan(timetable: Timetable) -> _Plan:
    """What :func:`step_states` reads of ``timetable``, made once per timetable."""
    entry = _PLANS.get(id(timetable))
    if entry is not None and entry[0] is timetable:
        return entry[1]
    if len(_PLANS) >= 64:  # a long-running process that makes timetables as it goes
        _PLANS.clear()
    steps = timetable.steps
    plan = _Plan(
        steps=tuple(_step_plan(step) for step in steps),
        anchors=tuple(dict.fromkeys(step.anchor for step in steps)),
        counts_failed=any(step.min_failed_attempts for step in steps),
        chains={step.id: tuple(_chain(timetable, step)) for step in steps},
    )
    _PLANS[id(timetable)] = (timetable, plan)
    return plan


def _chains(timetable: Timetable) -> dict[str, tuple[str, ...]]:
    """The ids of the steps each step of ``timetable`` comes after, by step id (:func:`_chain`,
    made once per timetable)."""
    return _plan(timetable).chains


def _chain(timetable: Timetable, step: Step) -> list[str]:
    """The ids of the steps ``step`` comes after in the routine (through ``opens_after`` and
    ``if_unanswered``), nearest first."""
    out: list[str] = []
    todo = [n for n in (step.opens_after, step.if_unanswered) if n is not None]
    while todo:
        name = todo.pop(0)
        if name in out:
            continue
        out.append(name)
        earlier = timetable.step(name)
        todo += [n for n in (earlier.opens_after, earlier.if_unanswered) if n is not None]
    return out


@attrs.frozen(kw_only=True)
class _Facts:
    """One evaluation of a case's timetable: what it needs, computed once, and its steps so
    far."""

    case: Case
    on: dt.date
    timetable: Timetable
    anchors: Mapping[Anchor, dt.date | None]
    """The days of the anchors the timetable counts from."""
    failed: tuple[Contact, ...]
    """The attempts without result (:func:`failed_attempts`), if a step counts them."""
    used: set[int] = attrs.field(factory=set)
    """The indexes of the attempts that have done a step."""
    matched: dict[tuple[str, Contacted], list[Contact]] = attrs.field(factory=dict)
    """The attempts that did each step, for each person."""
    found: dict[tuple[str, Contacted], StepState] = attrs.field(factory=dict)
    """The state of each step evaluated so far, for each person, in order."""


@attrs.frozen(kw_only=True)
class _Addressee:
    """The youth or the guardian in one evaluation of a case's timetable, computed once."""

    contacted: Contacted
    ended: dt.date | None
    """The day the steps that apply while the youth is not reached end, if they have."""
    closed: str | None
    """Why a step that applies only while the youth is not reached does not apply (reached,
    custody ended), or ``None``."""
    closed_all: str | None
    """Why no step applies (custody has ended), or ``None``."""
    contacts: tuple[tuple[int, Contact], ...]
    """The attempts to this person on or before the day, each with its index among all."""


def _anchor_days(
    anchors: Sequence[Anchor],
    case: Case,
    on: dt.date,
    contacts: Sequence[Contact],
    youth_reached: list[dt.date],
) -> dict[Anchor, dt.date | None]:
    """The day of each of ``anchors`` for ``case`` on ``on`` (``None`` if it has not come)."""
    days: dict[Anchor, dt.date | None] = {}
    for anchor in anchors:
        day: dt.date | None
        if anchor is Anchor.REGISTRATION:
            day = case.registration.day
        elif anchor is Anchor.LAST_ATTEMPT:
            day = contacts[-1].day if contacts else None
        elif anchor is Anchor.LAST_FAILED_ATTEMPT:
            last = [c for c in contacts if not c.outcome.reached]
            day = last[-1].day if last else None
        elif anchor is Anchor.LAST_REACHED:
            day = max(youth_reached, default=None)
        elif anchor is Anchor.REACHED:
            day = min(youth_reached, default=None)
        elif anchor is Anchor.DECLINED:
            declined = declined_days(case, on)
            day = declined[-1] if declined else None
        else:
            day = case.plan.last_follow_up(on) if case.plan is not None else None
        days[anchor] = day
    return days


def _guardian(
    contacts: Sequence[Contact],
    *,
    on: dt.date,
    reached_on: dt.date | None,
    guardian_reached_on: dt.date | None,
    custody_ends: dt.date,
) -> _Addressee:
    """The guardian, whose steps end when the guardian or the youth is reached, and lapse
    when custody ends."""
    ended = reached_on
    if guardian_reached_on is not None:
        # a guardian's steps end when the guardian or the youth is reached
        ended = min(guardian_reached_on, reached_on or dt.date.max)
    custody = (
        f"turned {CUSTODY_ENDS_AT} on {custody_ends.isoformat()}: custody has ended "
        f"({FORALDRABALKEN})"
        if on >= custody_ends
        else None
    )
    who = "the guardian" if ended != reached_on else "the youth"
    return _Addressee(
        contacted=_GUARDIAN,
        ended=ended,
        closed=custody if ended is None else f"{who} was reached on {ended.isoformat()}",
        closed_all=custody,
        contacts=tuple((i, c) for i, c in enumerate(contacts) if c.contacted is _GUARDIAN),
    )


def step_states(case: Case, timetable: Timetable, *, on: dt.date) -> tuple[StepState, ...]:
    """Evaluate ``timetable`` for ``case`` as of ``on``.

    Only contacts and measures on or before ``on`` count. Each contact attempt satisfies at
    most one step: steps are taken in order, and each takes the earliest unused attempt to the
    same person, through its channel, on or after the day the step opens (strictly after an
    anchor that is itself an attempt). Attempts after the youth was first reached do not
    count for steps that apply only while the youth is not reached.

    - **The youth, not the guardian**: only reaching the youth ends the steps that apply
      while the youth is not reached (unless the timetable's
      ``guardian_reached_ends_routine`` says otherwise); a guardian's steps end when the
      guardian or the youth is reached.
    - **Guardians of adults**: a guardian's step lapses on the youth's 18th birthday
      (:data:`FORALDRABALKEN`).
    - **In order**: a step with ``opens_after`` opens only when that step is done or has
      lapsed; a pending step whose deadline has passed while a later step opened after it
      is :attr:`StepStatus.MISSED`.

    Args:
        case: The case.
        timetable: The timetable (the version in force).
        on: The day.

    Returns:
        One state per step for the youth, and one more for the guardian for steps with
        ``guardian_below_age`` when the youth was younger than that at registration.
    """
    plan = _plan(timetable)
    contacts = [c for c in case.contacts if c.day <= on]
    youth_reached: list[dt.date] = []
    guardian_reached: list[dt.date] = []
    for contact in contacts:
        if contact.outcome.reached:
            (youth_reached if contact.contacted is _YOUTH else guardian_reached).append(contact.day)
    reached_on = min(youth_reached, default=None)
    if timetable.guardian_reached_ends_routine and guardian_reached:
        reached_on = min([*youth_reached, *guardian_reached])
    born = _born(case)
    custody_ends = birthday(born, CUSTODY_ENDS_AT)
    facts = _Facts(
        case=case,
        on=on,
        timetable=timetable,
        anchors=_anchor_days(plan.anchors, case, on, contacts, youth_reached),
        failed=tuple(failed_attempts(contacts)) if plan.counts_failed else (),
    )
    youth = _Addressee(
        contacted=_YOUTH,
        ended=reached_on,
        closed=None if reached_on is None else f"the youth was reached on {reached_on.isoformat()}",
        closed_all=None,
        contacts=tuple((i, c) for i, c in enumerate(contacts) if c.contacted is _YOUTH),
    )
    guardian: _Addressee | None = None  # made for the first step that is for the guardian too
    found = facts.found
    under: dict[int, bool] = {}
    for step_plan in plan.steps:
        step_id = step_plan.step.id
        found[step_id, _YOUTH] = _evaluate(step_plan, youth, facts)
        age = step_plan.guardian_below_age
        if age is None:
            continue
        if age not in under:
            under[age] = case.registration.day < birthday(born, age)  # younger than age
        if under[age]:
            if guardian is None:
                guardian = _guardian(
                    contacts,
                    on=on,
                    reached_on=reached_on,
                    guardian_reached_on=min(guardian_reached, default=None),
                    custody_ends=custody_ends,
                )
            found[step_id, _GUARDIAN] = _evaluate(step_plan, guardian, facts)
    _mark_missed(plan.chains, found, on)
    return tuple(found.values())  # in the order evaluated: a replaced state keeps its place


def _mark_missed(
    chains: Mapping[str, tuple[str, ...]],
    found: dict[tuple[str, Contacted], StepState],
    on: dt.date,
) -> None:
    """A pending step whose deadline has passed is missed once a later step of the routine
    has opened (done, or pending and open on ``on``); ``chains`` is :attr:`_Plan.chains`."""
    lapsed = {
        key
        for key, state in found.items()
        # the status first: most states are not pending, and _lapsed is a call
        if state.status is _PENDING and _lapsed(state, on) is not None
    }
    for (step_id, target), state in list(found.items()):
        if not lapsed:
            return
        opened = state.status is _DONE or (
            state.status is _PENDING and state.opens is not None and state.opens <= on
        )
        if not opened:
            continue
        for earlier in chains[step_id]:
            if (earlier, target) in lapsed:
                lapsed.remove((earlier, target))  # once missed, it has not lapsed
                before = found[earlier, target]
                assert before.due is not None
                found[earlier, target] = StepState(  # attrs.evolve, spelt out: evolve is slower
                    step=before.step,
                    contacted=before.contacted,
                    status=_MISSED,
                    opens=before.opens,
                    due=before.due,
                    done_on=before.done_on,
                    note=f"not done by {before.due.isoformat()}; step {step_id} has opened",
                )


def _lapsed(state: StepState, on: dt.date) -> dt.date | None:
    """The day after a pending step's deadline, if it has passed by ``on``."""
    if (
        state.status is _PENDING
        and state.due is not None
        and state.due < on
        and state.step.timing in _DEADLINED
    ):
        return state.due + dt.timedelta(days=1)
    return None


def _predecessor(
    step: Step, target: Contacted, found: Mapping[tuple[str, Contacted], StepState]
) -> StepState | None:
    """The state of the step ``step`` opens after, passing over steps that do not apply."""
    name = step.opens_after
    while name is not None:
        state = found.get((name, target)) or found.get((name, _YOUTH))
        if state is None:
            return None
        if state.status is not _NOT_APPLICABLE:
            return state
        name = state.step.opens_after or state.step.if_unanswered
    return None


def _unmet(requires: tuple[Requirement, ...], case: Case, on: dt.date) -> str | None:
    """Why a step does not apply: the requirements in ``requires`` that do not hold."""
    missing = [r for r in requires if not r.holds(case, on)]
    return "needs " + ", ".join(r.label_sv for r in missing) if missing else None


def _waiting(step: Step, target: Contacted, closed: str | None, note: str) -> StepState:
    """Waiting (``note``), unless the step does not apply (``closed``: why not)."""
    if closed is not None:
        return StepState(step=step, contacted=target, status=_NOT_APPLICABLE, note=closed)
    return StepState(step=step, contacted=target, status=_WAITING, note=note)


def _evaluate(plan: _StepPlan, person: _Addressee, facts: _Facts) -> StepState:
    """The state of one step for one person, given the steps before it (``facts.found``)."""
    step, target = plan.step, person.contacted
    case, on, timetable = facts.case, facts.on, facts.timetable
    matched, found = facts.matched, facts.found
    # why the step does not apply to this person whatever else is on record, if it does not
    closed = person.closed if step.while_not_reached else person.closed_all
    requires = plan.requires if target is _YOUTH else plan.guardian_requires
    anchor_day = facts.anchors[step.anchor]
    if anchor_day is None:
        return _waiting(step, target, closed, f"waits for {step.anchor.label_sv}")
    # plan.after(anchor_day), without the call when the day has been asked before
    after = plan.days_after.get(anchor_day) or plan.after(anchor_day)
    if plan.opens_on_anchor:
        opens = anchor_day
        due = after
    else:
        opens = due = after
    if step.opens_after is not None:
        before = _predecessor(step, target, found)
        if before is not None:
            if before.status is _DONE and before.done_on is not None:
                opens = max(opens, before.done_on)
            elif (lapse := _lapsed(before, on)) is not None:
                opens = max(opens, lapse)
            elif before.status is _MISSED and before.due is not None:
                opens = max(opens, before.due + dt.timedelta(days=1))
            else:
                # waiting for an earlier step, unless the step cannot apply anyway
                why = closed or _unmet(requires, case, on)
                return _waiting(step, target, why, f"waits for step {before.step.id}")
            due = max(due, opens)
    if step.if_unanswered is not None:
        earlier = matched.get((step.if_unanswered, target))
        earlier_state = found.get((step.if_unanswered, target))
        if earlier_state is not None and earlier_state.status is _NOT_APPLICABLE:
            return StepState(
                step=step,
                contacted=target,
                status=_NOT_APPLICABLE,
                note=f"step {step.if_unanswered} does not apply",
            )
        if not earlier:
            untried = earlier_state is not None and (
                earlier_state.status is _MISSED or _lapsed(earlier_state, on)
            )
            if untried and timetable.due(due) < on:
                # the step it answers was never tried, and its own deadline has passed too
                if closed is not None:
                    return StepState(
                        step=step, contacted=target, status=_NOT_APPLICABLE, note=closed
                    )
                return StepState(
                    step=step,
                    contacted=target,
                    status=_MISSED,
                    note=f"step {step.if_unanswered} was not tried by its deadline",
                    opens=opens,
                    due=timetable.due(due),
                )
            # waiting for an earlier step, unless the step cannot apply anyway
            why = closed or _unmet(requires, case, on)
            return _waiting(step, target, why, f"waits for step {step.if_unanswered}")
        opens = max(opens, earlier[-1].day)
    if step.min_failed_attempts:
        if len(facts.failed) < step.min_failed_attempts:
            return _waiting(
                step,
                target,
                closed,
                f"{len(facts.failed)} of {step.min_failed_attempts} attempts to the youth "
                "without result",
            )
        nth = facts.failed[step.min_failed_attempts - 1].day
        opens, due = max(opens, nth), max(due, nth)
    due = timetable.due(due)
    if not plan.opens_on_anchor:
        opens = due
    # Done: the earliest unused matching attempt.
    if step.action is _CONTACT:
        channel, strictly_after = step.channel, plan.strictly_after
        ended = person.ended if step.while_not_reached else None
        used = facts.used
        for index, contact in person.contacts:
            if (
                index not in used
                and (channel is None or contact.channel is channel)
                and contact.day >= opens
                and (not strictly_after or contact.day > anchor_day)
                and (ended is None or contact.day <= ended)
            ):
                used.add(index)
                matched.setdefault((step.id, target), []).append(contact)
                return StepState(
                    step=step,
                    contacted=target,
                    status=_DONE,
                    note=contact.outcome.label_sv,
                    done_on=contact.day,
                )
    else:
        done = [d for c in step.done_when if (d := c.on_record(case, on)) is not None]
        if done:
            return StepState(
                step=step,
                contacted=target,
                status=_DONE,
                note=step.done_when[0].label_sv,
                done_on=min(done),
            )
    # Not done: does it apply?
    if closed is not None:
        return StepState(step=step, contacted=target, status=_NOT_APPLICABLE, note=closed)
    if step.if_unanswered is not None and any(
        c.outcome.reached for c in matched.get((step.if_unanswered, target), ())
    ):
        return StepState(
            step=step,
            contacted=target,
            status=_NOT_APPLICABLE,
            note=f"step {step.if_unanswered} got an answer",
        )
    why = _unmet(requires, case, on) if requires else None
    if why is not None:
        return StepState(step=step, contacted=target, status=_NOT_APPLICABLE, note=why)
    return StepState(step=step, contacted=target, status=_PENDING, opens=opens, due=due)


# -- loading --------------------------------------------------------------------------------

_TIMINGS = (Timing.WITHIN, Timing.AFTER, Timing.NO_EARLIER_THAN)
_CHANNEL = {str(c.value): c for c in Channel}
_CHANNELS = ("any", *_CHANNEL)


@attrs.frozen(kw_only=True)
class _StepEntry:
    """A step as a timetable file writes it: the timing as one of three keys, ``from`` for the
    anchor, ``channel = "any"`` for any channel."""

    id: str
    what: str
    how: str = ""
    action: Action = Action.CONTACT
    channel: str = attrs.field(
        default="any",
        validator=check(
            lambda v: v in _CHANNELS, lambda v: f"{v!r} is not one of: " + ", ".join(_CHANNELS[1:])
        ),
    )
    from_: Anchor = Anchor.REGISTRATION
    within: Offset | None = None
    after: Offset | None = None
    no_earlier_than: Offset | None = None
    while_not_reached: bool = True
    requires: tuple[Requirement, ...] = ()
    if_unanswered: str | None = None
    opens_after: str | None = None
    done_when: tuple[Completion, ...] = ()
    min_failed_attempts: int = 0
    guardian_below_age: int | None = None
    decision: bool = False

    def step(self) -> Step:
        timed = [(t, o) for t in _TIMINGS if (o := getattr(self, str(t.value))) is not None]
        if len(timed) > 1:
            raise Invalid(
                "give one of within, after, no_earlier_than, not "
                + " and ".join(str(t.value) for t, _ in timed),
                at=(str(timed[1][0].value),),
            )
        timing, offset = timed[0] if timed else (Timing.FROM, Offset())
        return Step(
            id=self.id,
            what=self.what,
            how=self.how,
            action=self.action,
            channel=None if self.channel == "any" else _CHANNEL[self.channel],
            anchor=self.from_,
            timing=timing,
            offset=offset,
            while_not_reached=self.while_not_reached,
            requires=self.requires,
            if_unanswered=self.if_unanswered,
            opens_after=self.opens_after,
            done_when=self.done_when,
            min_failed_attempts=self.min_failed_attempts,
            guardian_below_age=self.guardian_below_age,
            decision=self.decision,
        )


@cache
def _converter() -> cattrs.Converter:
    conv = make_converter(reveal_ids=True, data_files=True, text_types={Offset: Offset.parse})
    conv.register_structure_hook(Step, lambda data, _: conv.structure(data, _StepEntry).step())
    return conv


def _timeline(dated: Dated[Timetable], file: str) -> Timeline[Timetable]:
    if dated.rule_id is None and dated.municipality is None:
        raise DataFileError(
            [("give the municipality (kommunkod) or a rule_id", ("rule_id",))], file=file
        )
    return dated.timeline(rule_id=f"{RULE_ID_PREFIX}.{dated.municipality}")


def parse_timetable(text: str, *, file: str = "<timetable>") -> Timeline[Timetable]:
    """Read a timetable file's text (TOML, the dated shape of :mod:`kaa.convert`) into a
    dated timeline; each version's ``value`` is a table with ``working_days`` and
    ``[[versions.value.steps]]``.

    Args:
        text: The TOML text.
        file: The file name, for error messages.

    Returns:
        The municipality's timetables over time.

    Raises:
        ConfigurationError: Reading ``file: message @ $.path`` for every problem.
    """
    dated = parse_toml(text, Dated[Timetable], file=file, converter=_converter())
    return _timeline(dated, file)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    # A TOML basic string: JSON's escapes, plus DEL, which TOML (unlike JSON) must escape.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _step_table(step: Step) -> dict[str, object]:
    table: dict[str, object] = {"id": step.id, "what": step.what}
    if step.how:
        table["how"] = step.how
    if step.action is not Action.CONTACT:
        table["action"] = step.action.value
    table["channel"] = step.channel.value if step.channel is not None else "any"
    if step.timing is not Timing.FROM:
        table[step.timing.value] = str(step.offset)
    table["from"] = step.anchor.value
    if not step.while_not_reached:
        table["while_not_reached"] = False
    if step.requires:
        table["requires"] = [r.value for r in step.requires]
    if step.if_unanswered is not None:
        table["if_unanswered"] = step.if_unanswered
    if step.opens_after is not None:
        table["opens_after"] = step.opens_after
    if step.done_when:
        table["done_when"] = [c.value for c in step.done_when]
    if step.min_failed_attempts:
        table["min_failed_attempts"] = step.min_failed_attempts
    if step.guardian_below_age is not None:
        table["guardian_below_age"] = step.guardian_below_age
    if step.decision:
        table["decision"] = True
    return table


def dump_timetable(timeline: Timeline[Timetable], *, municipality: str | None = None) -> str:
    """Write a timeline of timetables as TOML that :func:`parse_timetable` reads back.

    Args:
        timeline: The timetables over time.
        municipality: The kommunkod to write, if any.

    Returns:
        The TOML text (comments are not kept).
    """
    lines: list[str] = []
    if municipality is not None:
        lines.append(f"municipality = {_toml(municipality)}")
    lines.append(f"rule_id = {_toml(timeline.rule_id)}")
    for version in timeline:
        lines += ["", "[[versions]]", f"start = {_toml(version.start)}"]
        lines.append(f"title = {_toml(version.title)}")
        if version.sources:
            lines.append(f"sources = {_toml(version.sources)}")
        lines += ["", "[versions.citation]"]
        for field in attrs.fields(type(version.citation)):
            value = getattr(version.citation, field.name)
            if value is not None:
                lines.append(f"{field.name} = {_toml(value)}")
        lines += ["", "[versions.value]", f"working_days = {_toml(version.value.working_days)}"]
        if version.value.guardian_reached_ends_routine:
            lines.append("guardian_reached_ends_routine = true")
        if not version.value.steps:
            lines.append("steps = []")
        for step in version.value.steps:
            lines += ["", "[[versions.value.steps]]"]
            lines += [f"{k} = {_toml(v)}" for k, v in _step_table(step).items()]
    return "\n".join(lines) + "\n"


def load_timetable(path: Path | Traversable) -> Timeline[Timetable]:
    """Read a timetable file (TOML); see :func:`parse_timetable`.

    Raises:
        ConfigurationError: If the file cannot be read or is malformed.
    """
    return _timeline(load_toml(path, Dated[Timetable], converter=_converter()), str(path))


@cache
def national_timetable() -> Timeline[Timetable]:
    """The minimal national default: only what the law requires.

    29 kap. 9 § skollagen sets no channels and no intervals, only that the municipality keeps
    itself informed all year. So the default has one step — an attempt to reach the youth,
    through any channel, from the registration day — and a youth not reached after it stays
    with an unknown activity and is flagged on every worklist until reached.
    """
    return load_timetable(files("kaa.data").joinpath("timetables", "national.toml"))


@hookimpl(trylast=True)
def kaa_contact_timetable(municipality: str) -> Timeline[Timetable] | None:
    """National default: the minimal national timetable (a municipality's plugin answers
    first with its own)."""
    return national_timetable()
