"""The target group of KAA (*målgruppen*), 29 kap. 9 § skollagen (2010:800).

A youth is in the target group on a day when **all** of these hold:

- T1 ``kaa.target_group.age``: has not turned 20;
- T2 ``kaa.target_group.compulsory_school``: has completed compulsory schooling, or (from
  2018-07-01) became folkbokförd in Sweden when no longer of compulsory-school age;
- T3 ``kaa.target_group.attendance``: does not attend *gymnasieskola*, *anpassad
  gymnasieskola* or equivalent education;
- T4 ``kaa.target_group.degree``: does not hold a *gymnasieexamen* or *gymnasieskolebevis*;
- T5 ``kaa.target_group.equivalent_completed``: has not completed equivalent education with
  a pass;
- T6 ``kaa.target_group.home_municipality``: the municipality is the youth's home
  municipality (29 kap. 6 §).

The rule is a :class:`~kaa.dated.Timeline` with versions from 2015-01-01 (KAA starts;
introduction-programme pupils are in), 2018-07-01 (they are out; the "folkbokförd after
compulsory-school age" branch of T2) and 2023-07-02 (*gymnasiesärskola* renamed *anpassad
gymnasieskola*). Before 2015-01-01 the rule is not in force and a lookup raises
:class:`~kaa.errors.RuleNotInForce`.

**Arrival after compulsory-school age** (the second branch of T2, from 2018-07-01). What the
municipality has recorded (``Youth.arrived_after_compulsory_school_age``) wins. When nothing
is recorded, the answer is derived from the birth year and the rules on when compulsory
schooling begins and ends (7 kap. 10 and 12 §§ skollagen; :data:`SCHOOL_AGES`): it ends at
the close of the spring term of the calendar year the youth turns 16, taken as 30 June
(:data:`SPRING_TERM_ENDS`, the library's own choice of day). Where the statute does not
settle the case from the recorded facts — a recorded residence in Sweden before the youth
became folkbokförd, an arrival during compulsory-school age whose end may have moved under
7 kap. 13 or 14 §, a recorded arrival without its day — the reason is *not settled*
(:attr:`Reason.settled` is false), names the fact to record, and the decision's
:attr:`~Decision.outcome` is :attr:`Outcome.UNDECIDED` rather than "out".

**Open questions** of the law — whether a *folkhögskola* course, *komvux* without a degree or
studies abroad count as "equivalent education" — are decided by the hook
:func:`~kaa.plugins.spec.kaa_counts_as_equivalent_education`. This module is registered as the
built-in plugin that answers last with the documented national default: **none of them
counts**, so such a youth stays in the target group and the municipality keeps following them
up. A municipality may decide otherwise with a plugin of its own.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable

import attrs

from kaa.dated import Timeline, Version, birthday
from kaa.errors import InvalidInput, scrub
from kaa.identity import IdentityNumber
from kaa.law import SKOLLAGEN, Citation
from kaa.model.checks import require_date, require_instance, require_kommunkod
from kaa.model.youth import (
    Enrolment,
    Labelled,
    Programme,
    Qualification,
    QualificationKind,
    SchoolForm,
    Youth,
)
from kaa.municipalities import is_municipality_code
from kaa.plugins import hookimpl

__all__ = [
    "AGE_LIMIT",
    "RULE_ID",
    "SCHOOL_AGES",
    "SPRING_TERM_ENDS",
    "TIMELINE",
    "Condition",
    "Decision",
    "Equivalence",
    "EquivalenceRuling",
    "Membership",
    "Outcome",
    "Reason",
    "RuleVersion",
    "Ruling",
    "SchoolAge",
    "ages_out",
    "assess",
    "compulsory_school_age_ends",
    "in_target_group_since",
    "membership",
    "national_equivalence",
]

RULE_ID = "kaa.target_group"
"""The rule id of the target group as a whole; each condition has its own (:class:`Condition`)."""
AGE_LIMIT = 20
"""The duty ends on the day the youth turns 20."""

_CH29_S9 = SKOLLAGEN.at(chapter=29, section="9")
_CH29_S6 = SKOLLAGEN.at(chapter=29, section="6")
_CH7_S13 = SKOLLAGEN.at(chapter=7, section="13")
_CH7_S14 = SKOLLAGEN.at(chapter=7, section="14")


class Condition(enum.Enum):
    """The six conditions of the target group, each with its stable rule id."""

    AGE = ("T1", "kaa.target_group.age", "has not turned 20", "har inte fyllt 20 år")
    COMPULSORY_SCHOOL = (
        "T2",
        "kaa.target_group.compulsory_school",
        "has completed compulsory schooling (or arrived after compulsory-school age)",
        "har fullgjort skolplikten (eller folkbokförts när skolplikten inte längre gällde)",
    )
    ATTENDANCE = (
        "T3",
        "kaa.target_group.attendance",
        "does not attend gymnasieskola, anpassad gymnasieskola or equivalent education",
        "genomför inte utbildning i gymnasieskola, anpassad gymnasieskola eller motsvarande",
    )
    DEGREE = (
        "T4",
        "kaa.target_group.degree",
        "holds no gymnasieexamen or gymnasieskolebevis",
        "har inte gymnasieexamen eller gymnasieskolebevis",
    )
    EQUIVALENT_COMPLETED = (
        "T5",
        "kaa.target_group.equivalent_completed",
        "has not completed equivalent education with a pass",
        "har inte fullföljt motsvarande utbildning med godkänt resultat",
    )
    HOME_MUNICIPALITY = (
        "T6",
        "kaa.target_group.home_municipality",
        "the municipality is the youth's home municipality",
        "kommunen är ungdomens hemkommun",
    )

    def __init__(self, code: str, rule_id: str, text: str, text_sv: str) -> None:
        self.code = code
        self.rule_id = rule_id
        self.text = text
        self.text_sv = text_sv


@attrs.frozen(kw_only=True)
class RuleVersion:
    """How the target group is decided in one version of the law (a strategy object).

    Attributes:
        introduction_programme_counts_as_attending: Whether attending an introduction
            programme takes a youth out of the target group (from 2018-07-01).
        arrival_branch: Whether T2 has the branch "became folkbokförd in Sweden when no longer
            of compulsory-school age" (from 2018-07-01).
        special_school_name: What *anpassad gymnasieskola* is called in this version.
        special_certificate_name: What its certificate is called in this version.
    """

    introduction_programme_counts_as_attending: bool
    arrival_branch: bool
    special_school_name: str
    special_certificate_name: str

    def citation(self, condition: Condition) -> Citation:
        """The statute a condition rests on."""
        return _CH29_S6 if condition is Condition.HOME_MUNICIPALITY else _CH29_S9


TIMELINE: Timeline[RuleVersion] = Timeline(
    RULE_ID,
    [
        # prop. 2013/14:191: the informationsansvar becomes the aktivitetsansvar.
        Version(
            start=dt.date(2015, 1, 1),
            value=RuleVersion(
                introduction_programme_counts_as_attending=False,
                arrival_branch=False,
                special_school_name="gymnasiesärskola",
                special_certificate_name="gymnasiesärskolebevis",
            ),
            title="KAA starts; pupils on an introduction programme are in the target group",
            citation=_CH29_S9,
            sources=("prop. 2013/14:191",),
        ),
        # SFS 2018:749 (prop. 2017/18:183): IM counts as attending; arrival branch of T2.
        Version(
            start=dt.date(2018, 7, 1),
            value=RuleVersion(
                introduction_programme_counts_as_attending=True,
                arrival_branch=True,
                special_school_name="gymnasiesärskola",
                special_certificate_name="gymnasiesärskolebevis",
            ),
            title=(
                "Introduction-programme pupils are out; youths folkbokförda after "
                "compulsory-school age are in"
            ),
            citation=attrs.evolve(_CH29_S9, wording="SFS 2018:749"),
            sources=("SFS 2018:749", "prop. 2017/18:183"),
        ),
        # SFS 2022:1315: gymnasiesärskola is renamed anpassad gymnasieskola.
        Version(
            start=dt.date(2023, 7, 2),
            value=RuleVersion(
                introduction_programme_counts_as_attending=True,
                arrival_branch=True,
                special_school_name="anpassad gymnasieskola",
                special_certificate_name="gymnasieskolebevis avseende anpassad gymnasieskola",
            ),
            title="Gymnasiesärskola renamed anpassad gymnasieskola; meaning unchanged",
            citation=attrs.evolve(_CH29_S9, wording="SFS 2022:1315"),
            sources=("SFS 2022:1315",),
        ),
    ],
)
"""Every dated version of the target-group rule."""


# --- when compulsory schooling ends (7 kap. skollagen), for the arrival branch of T2 --------

SPRING_TERM_ENDS = (6, 30)
"""The day taken as "the close of the spring term" (*utgången av vårterminen*), as (month,
day): 30 June. **The library's own choice**: 7 kap. 12 § skollagen ends compulsory schooling
at the close of a spring term, and the statute sets no calendar date for it. On this day the
youth still counts as of compulsory-school age; from the next day not."""


@attrs.frozen(kw_only=True)
class SchoolAge:
    """When compulsory schooling (*skolplikt*) begins and ends, for youths born from a year on.

    Which wording of 7 kap. skollagen governs a youth's compulsory schooling depends on when
    it began (SFS 2017:1115 applies to education from the autumn term of 2018, prop.
    2017/18:9), so this is keyed by the birth year, not by the day of a decision.

    Attributes:
        first_birth_year: The first birth year this applies to; ``None`` for every year
            before the next one's.
        start_age: Compulsory schooling begins in the autumn term of the calendar year the
            child turns this age (7 kap. 10 §).
        years: It ends at the close of the spring term of the ``years``-th year after it
            began (7 kap. 12 §).
        start: The statute on when it begins.
        end: The statute on when it ends.
        sources: The amending act and preparatory works.
    """

    first_birth_year: int | None
    start_age: int
    years: int
    start: Citation
    end: Citation
    sources: tuple[str, ...] = ()

    def ends(self, birth_year: int) -> dt.date:
        """The last day of compulsory-school age for a youth born in ``birth_year`` who began
        compulsory schooling when 7 kap. 10 § says (no deferral, not in *specialskolan*, no
        later or earlier end under 7 kap. 13 or 14 §): :data:`SPRING_TERM_ENDS` of the year
        ``birth_year + start_age + years``."""
        year = min(birth_year + self.start_age + self.years, dt.MAXYEAR)  # no overflow
        return dt.date(year, *SPRING_TERM_ENDS)

    def cited(self) -> str:
        """The two paragraphs as a lawyer writes them, with their wording."""
        wording = self.start.wording
        return (
            f"7 kap. 10 och 12 §§ skollagen (2010:800), i lydelse enligt {wording}"
            if wording
            else "7 kap. 10 och 12 §§ skollagen (2010:800), i lydelse före SFS 2017:1115"
        )


SCHOOL_AGES: tuple[SchoolAge, ...] = (
    # Skollagen (2010:800) as first worded: compulsory schooling begins in the autumn term of
    # the year the child turns seven and ends at the close of the spring term of the ninth
    # year after. Also applied, unchecked, to cohorts that began school under the earlier
    # skollag (1985:1100), which the library does not cite.
    SchoolAge(
        first_birth_year=None,
        start_age=7,
        years=9,
        start=SKOLLAGEN.at(chapter=7, section="10"),
        end=SKOLLAGEN.at(chapter=7, section="12"),
        sources=("skollagen (2010:800)",),
    ),
    # SFS 2017:1115 (prop. 2017/18:9), applied to education from the autumn term of 2018:
    # compulsory schooling begins in the autumn term of the year the child turns six (the
    # förskoleklass) and ends at the close of the spring term of the tenth year after. The
    # first cohort is taken to be the children who turned six in 2018; that those born in
    # 2011 or earlier keep the nine-year rule is the library's reading (the act's
    # transitional provisions are not in its sources). Both give the same year.
    SchoolAge(
        first_birth_year=2012,
        start_age=6,
        years=10,
        start=SKOLLAGEN.at(chapter=7, section="10", wording="SFS 2017:1115"),
        end=SKOLLAGEN.at(chapter=7, section="12", wording="SFS 2017:1115"),
        sources=("SFS 2017:1115", "prop. 2017/18:9"),
    ),
)
"""When compulsory schooling begins and ends, by birth cohort, oldest first."""


def _birth_year(youth: Youth | IdentityNumber) -> int:
    if isinstance(youth, IdentityNumber):
        return youth.birth_year
    return youth.birth_date.year if youth.birth_date is not None else youth.id.birth_year


def compulsory_school_age_ends(youth: Youth | IdentityNumber) -> tuple[dt.date, SchoolAge]:
    """The last day of compulsory-school age by the birth year alone, and the rule used.

    It is 30 June (:data:`SPRING_TERM_ENDS`, the library's choice of day) of the calendar
    year the youth turns 16 — under both wordings of 7 kap. 10 and 12 §§ (seven plus nine
    years, six plus ten). The birth year is always known, also for a samordningsnummer whose
    date is not.

        >>> from kaa.identity import IdentityNumber
        >>> ends, rule = compulsory_school_age_ends(IdentityNumber.parse("200611202383"))
        >>> ends.isoformat(), rule.cited()
        ('2022-06-30', '7 kap. 10 och 12 §§ skollagen (2010:800), i lydelse före SFS 2017:1115')

    This is the end for a youth who began compulsory schooling in Sweden when 7 kap. 10 §
    says and whose schooling was not deferred, not in *specialskolan* (one year more), not
    extended under 7 kap. 13 § (one year more, at most until the 18th birthday) and not ended
    early under 7 kap. 14 §. For a youth who was not in Sweden before becoming folkbokförd
    none of those can have happened; for one who was, the birth year does not settle it.

    Args:
        youth: The youth, or only their identity number.

    Returns:
        The last day of compulsory-school age, and the cohort's rule (with its citations).
    """
    year = _birth_year(youth)
    rule = SCHOOL_AGES[0]
    for candidate in SCHOOL_AGES:
        if candidate.first_birth_year is None or candidate.first_birth_year <= year:
            rule = candidate
    return rule.ends(year), rule


@runtime_checkable
class EquivalenceRuling(Protocol):
    """What a plugin answers to "does this enrolment count as equivalent education?"."""

    @property
    def counts(self) -> bool:
        """``True`` if the enrolment counts as attending (the youth is then out)."""

    @property
    def basis(self) -> str:
        """Why, in words shown to a case worker (name the municipality's decision)."""


@attrs.frozen
class Ruling:
    """The concrete :class:`EquivalenceRuling` that plugins can return.

    Attributes:
        counts: Whether the enrolment counts as attending equivalent education.
        basis: Why, in words shown to a case worker.
    """

    counts: bool
    basis: str


@attrs.frozen(kw_only=True, cache_hash=True)
class Reason:
    """One condition of the target group, evaluated for one youth on one day.

    Attributes:
        condition: Which condition (T1–T6).
        holds: Whether the condition holds (all must hold for the youth to be in). ``False``
            also when the condition is not settled: it is then not shown to hold.
        citation: The statute.
        explanation: What was found, in words a case worker can read.
        settled: ``False`` when the statute does not settle the condition from the recorded
            facts; the explanation then says "not settled" and names the fact to record.
        also: Further statutes the explanation rests on (for the arrival branch of T2, the
            paragraphs of 7 kap. skollagen on when compulsory schooling begins and ends).
    """

    condition: Condition
    holds: bool
    citation: Citation
    explanation: str
    settled: bool = True
    also: tuple[Citation, ...] = ()

    @property
    def rule_id(self) -> str:
        """The stable dotted id of the condition, e.g. ``kaa.target_group.age``."""
        return self.condition.rule_id

    def __str__(self) -> str:
        mark = "holds" if self.holds else "fails" if self.settled else "not settled"
        return f"{self.condition.code} {mark}: {self.explanation} [{self.citation}]"


class Outcome(Labelled):
    """The answer of a decision: in, out, or not settled by the statute from the facts."""

    IN = ("in", "ingår i målgruppen")
    """Every condition holds."""
    OUT = ("out", "ingår inte i målgruppen")
    """At least one condition fails, settled."""
    UNDECIDED = ("undecided", "kan inte avgöras: en uppgift behöver registreras")
    """No condition fails, settled, but at least one is not settled: a fact must be recorded
    (the reasons say which). Not "out": the youth is not counted as in, nor shown as out."""


@attrs.frozen(kw_only=True)
class Decision:
    """Whether a youth is in the target group on a day, and every reason why.

    Attributes:
        youth: The youth's identity number (masked wherever it is shown).
        day: The day of the decision.
        municipality: The municipality asked about, or ``None`` for "any home municipality".
        in_target_group: Whether the youth is shown to be in: every condition holds.
            ``False`` both when the youth is out and when a condition is not settled; see
            :attr:`outcome`.
        reasons: All six conditions, T1 to T6, each evaluated.
        ages_out: The day the youth turns 20 (the latest possible day when the birth date is
            only partly known).
        version: The version of the rule that was applied.
        home_municipality: The home municipality found on the day, if any (from T6).
    """

    youth: IdentityNumber
    day: dt.date
    municipality: str | None
    in_target_group: bool
    reasons: tuple[Reason, ...]
    ages_out: dt.date
    version: Version[RuleVersion]
    home_municipality: str | None = None

    @property
    def failed(self) -> tuple[Reason, ...]:
        """The conditions that do not hold (empty when the youth is in), also those that are
        not settled."""
        return tuple(r for r in self.reasons if not r.holds)

    @property
    def unsettled(self) -> tuple[Reason, ...]:
        """The conditions the statute does not settle from the recorded facts."""
        return tuple(r for r in self.reasons if not r.settled)

    @property
    def outcome(self) -> Outcome:
        """In, out, or undecided (no condition fails, settled, but one is not settled).

        :attr:`in_target_group` is ``False`` for an undecided decision: the library does not
        count a youth as in on a fact nobody has established. This property tells the two
        apart, so that an undecided youth can be listed for the fact to be recorded.
        """
        if self.in_target_group:
            return Outcome.IN
        if any(r.settled for r in self.failed):
            return Outcome.OUT
        return Outcome.UNDECIDED

    def summary(self) -> str:
        """One line: in, out or undecided, and the failing (or unsettled) conditions' codes."""
        outcome = self.outcome
        if outcome is Outcome.IN:
            return "in"
        if outcome is Outcome.UNDECIDED:
            codes = ", ".join(r.condition.code for r in self.unsettled)
            return f"undecided: {codes} not settled (record the fact the reason names)"
        return "out: " + ", ".join(r.condition.code for r in self.failed)

    def _repr_html_(self) -> str:
        """The decision as a notebook shows it: the outcome, then the six conditions, each
        with whether it holds, the explanation and its citation as a link to the statute.
        The identity number is masked; every text is escaped."""
        rows = []
        for r in self.reasons:
            mark = "holds" if r.holds else "fails" if r.settled else "not settled"
            cites = []
            for c in (r.citation, *r.also):
                text = html.escape(str(c))
                cites.append(
                    f'<a href="{html.escape(c.url, quote=True)}">{text}</a>' if c.url else text
                )
            rows.append(
                f"<tr><td>{r.condition.code}</td><td>{html.escape(r.condition.text)}</td>"
                f"<td><b>{mark}</b></td><td>{html.escape(scrub(r.explanation))}</td>"
                f"<td>{'; '.join(cites)}</td></tr>"
            )
        asked = f" for {html.escape(self.municipality)}" if self.municipality else ""
        return (
            f"<table><caption>{html.escape(self.youth.masked())} on "
            f"{self.day.isoformat()}{asked}: <b>{html.escape(self.summary())}</b> "
            f"(rule version of {self.version.start.isoformat()}; turns 20 on "
            f"{self.ages_out.isoformat()})</caption>"
            "<thead><tr><th>condition</th><th>what</th><th>result</th><th>why</th>"
            "<th>citation</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )


# --- the national defaults for the open questions, as a built-in plugin ---------------------

_OPEN_QUESTION_DEFAULTS: dict[SchoolForm, str] = {
    SchoolForm.FOLKHOGSKOLA: (
        "national default: a folkhögskola course does not count as equivalent education "
        "(open question; a municipality may decide otherwise)"
    ),
    SchoolForm.KOMVUX: (
        "national default: komvux without a degree does not count as equivalent education "
        "(open question; a municipality may decide otherwise)"
    ),
    SchoolForm.ABROAD: (
        "national default: studies abroad without a degree do not count as equivalent "
        "education (open question; a municipality may decide otherwise)"
    ),
    SchoolForm.OTHER: (
        "national default: other education not marked as equivalent does not count "
        "(mark it as 'equivalent' if it is)"
    ),
}


@hookimpl(trylast=True)
def kaa_counts_as_equivalent_education(
    youth: Youth, enrolment: Enrolment, day: dt.date
) -> Ruling | None:
    """National default for the open questions: none of them counts as attending."""
    basis = _OPEN_QUESTION_DEFAULTS.get(enrolment.school_form)
    return None if basis is None else Ruling(False, basis)


Equivalence = Callable[[Youth, Enrolment, dt.date], "EquivalenceRuling"]
"""Who decides the open questions of condition T3: ``(youth, enrolment, day) -> ruling``.

The national default is :func:`national_equivalence`; a caller with plugins passes
:meth:`kaa.plugins.manager.Hooks.counts_as_equivalent_education` (what :func:`kaa.assess`
does).
"""


def national_equivalence(youth: Youth, enrolment: Enrolment, day: dt.date) -> EquivalenceRuling:
    """The national default for the open questions of T3: none of them counts.

    Raises:
        InvalidInput: If asked about an enrolment the rule decides itself.
    """
    ruling = kaa_counts_as_equivalent_education(youth, enrolment, day)
    if ruling is None:
        raise InvalidInput(
            f"{enrolment.school_form.value} is decided by the rule itself, not an open question"
        )
    return ruling


# --- the rule -------------------------------------------------------------------------------

_DECIDED_BY_RULE = frozenset(
    {SchoolForm.GYMNASIESKOLA, SchoolForm.ANPASSAD_GYMNASIESKOLA, SchoolForm.EQUIVALENT}
)


_REASONS: dict[tuple[object, ...], Reason] = {}
_REASONS_MAX = 20_000


def _reason(
    condition: Condition,
    holds: bool,
    citation: Citation,
    template: str,
    *args: object,
    settled: bool = True,
    also: tuple[Citation, ...] = (),
) -> Reason:
    """The reason ``condition``/``holds`` with ``template.format(*args)`` as explanation.

    Reasons are frozen values, and most youths share them (the same day, the same school
    start, the same home municipality), so each is made once and then shared: deciding for a
    national cohort formats a few thousand explanations instead of millions. The cache is
    emptied when it reaches :data:`_REASONS_MAX` entries, so memory stays bounded.
    """
    # Keyed without the enum and the citation object themselves (their hashes are computed
    # in Python): each template belongs to one condition, and citations live for ever in
    # TIMELINE, so their id is stable.
    # ``also`` is keyed by identity too: its citations live for ever in SCHOOL_AGES.
    key = (template, holds, settled, id(citation), tuple(map(id, also)), condition.code, args)
    reason = _REASONS.get(key)
    if reason is None:
        if len(_REASONS) >= _REASONS_MAX:
            _REASONS.clear()
        reason = _REASONS[key] = Reason(
            condition=condition,
            holds=holds,
            citation=citation,
            explanation=template.format(*args) if args else template,
            settled=settled,
            also=also,
        )
    return reason


def ages_out(youth: Youth | IdentityNumber) -> dt.date:
    """The day the duty ends for ``youth``: their 20th birthday (condition T1).

    The birth date is the youth's own (:attr:`Youth.birth_date
    <kaa.model.youth.Youth.birth_date>`) or the identity number's; when neither is known (a
    samordningsnummer whose date is not known) the latest possible birth date is used, so the
    youth is kept in until it is certain they are 20 (the birthday itself is
    :func:`kaa.dated.birthday`).

        >>> from kaa.identity import IdentityNumber
        >>> ages_out(IdentityNumber.parse("200611202383")).isoformat()  # a test number
        '2026-11-20'

    Args:
        youth: The youth, or only their identity number.

    Returns:
        The first day on which the youth is no longer in the target group because of age.
    """
    if isinstance(youth, IdentityNumber):
        number, born = youth, youth.birth_date
    else:
        number, born = youth.id, youth.birth_date or youth.id.birth_date
    return birthday(born or number.latest_possible_birth_date(), AGE_LIMIT)


def _age(youth: Youth, day: dt.date, version: RuleVersion) -> tuple[Reason, dt.date]:
    born = youth.birth_date or youth.id.birth_date
    ages_out_on = ages_out(youth)
    citation = version.citation(Condition.AGE)
    if day >= ages_out_on:
        return _reason(Condition.AGE, False, citation, "turned 20 on {}", ages_out_on), ages_out_on
    if born is None:
        return _reason(
            Condition.AGE,
            True,
            citation,
            "is under 20 on {}; turns 20 on {} at the latest (the birth date is only partly "
            "known from the samordningsnummer: the youth is kept in until it is certain they "
            "are 20)",
            day,
            ages_out_on,
        ), ages_out_on
    return _reason(
        Condition.AGE, True, citation, "is under 20 on {}; turns 20 on {}", day, ages_out_on
    ), ages_out_on


def _compulsory_school(youth: Youth, day: dt.date, version: RuleVersion) -> Reason:
    condition = Condition.COMPULSORY_SCHOOL
    done = youth.compulsory_school_completed
    citation = version.citation(condition)
    if done is not None and done <= day:
        return _reason(condition, True, citation, "completed compulsory schooling on {}", done)
    arrived = youth.folkbokford_in_sweden
    recorded = youth.arrived_after_compulsory_school_age
    if arrived is not None and arrived <= day:
        if not version.arrival_branch:
            return _reason(
                condition,
                False,
                citation,
                "became folkbokförd in Sweden on {}, but before 2018-07-01 only completed "
                "compulsory schooling qualifies",
                arrived,
            )
        if recorded is None:
            return _arrival_derived(youth, day, arrived, done, citation)
        if recorded:
            return _reason(
                condition,
                True,
                citation,
                "became folkbokförd in Sweden on {}, when no longer of compulsory-school age "
                "(as recorded)",
                arrived,
            )
        if done is not None:
            return _reason(
                condition,
                False,
                citation,
                "became folkbokförd in Sweden on {}, while still of compulsory-school age (as "
                "recorded), so only completed compulsory schooling qualifies, and it is "
                "completed only on {}",
                arrived,
                done,
            )
        return _reason(
            condition,
            False,
            citation,
            "became folkbokförd in Sweden on {}, while still of compulsory-school age (as "
            "recorded), so only completed compulsory schooling qualifies, and it is not "
            "completed",
            arrived,
        )
    if arrived is None and recorded and version.arrival_branch:
        return _reason(
            condition,
            False,
            citation,
            "recorded as no longer of compulsory-school age when folkbokförd in Sweden, but "
            "the day the youth became folkbokförd is not recorded: not settled: record "
            "folkbokford_in_sweden",
            settled=False,
        )
    if done is not None:
        return _reason(
            condition, False, citation, "completes compulsory schooling only on {}", done
        )
    return _reason(condition, False, citation, "has not completed compulsory schooling")


def _lived_in_sweden_before(youth: Youth, arrived: dt.date, ends: dt.date) -> str | None:
    """A recorded residence in Sweden (on any basis) that began before ``arrived`` and may
    have begun by ``ends``, the end of compulsory-school age, in words; ``None`` if none.

    A residence whose first day is not recorded counts only if it ended before ``arrived``:
    otherwise it is taken to be the residence the youth came to.
    """
    for r in youth.residences:
        if r.start is not None and r.start < arrived and r.start <= ends:
            return f"from {r.start.isoformat()} ({r.basis.label_sv})"
        if r.start is None and r.end is not None and r.end < arrived:
            return f"until {r.end.isoformat()} ({r.basis.label_sv})"
    return None


def _arrival_derived(
    youth: Youth, day: dt.date, arrived: dt.date, done: dt.date | None, citation: Citation
) -> Reason:
    """The arrival branch of T2 when the municipality has recorded nothing: derived from the
    birth year and 7 kap. 10 and 12 §§ skollagen where the statute settles it."""
    condition = Condition.COMPULSORY_SCHOOL
    ends, rule = compulsory_school_age_ends(youth)
    born = _birth_year(youth)
    paragraphs = (rule.start, rule.end)
    earlier = _lived_in_sweden_before(youth, arrived, ends)
    if earlier is not None:
        return _reason(
            condition,
            False,
            citation,
            "became folkbokförd in Sweden on {}, but a residence in Sweden {} is recorded "
            "before that, within compulsory-school age (which for a youth born in {} ends at "
            "the close of the spring term of {}, {}): whether compulsory schooling still "
            "applied when the youth became folkbokförd is not settled by the statute: record "
            "arrived_after_compulsory_school_age",
            arrived,
            earlier,
            born,
            ends.year,
            rule.cited(),
            settled=False,
            also=(*paragraphs, _CH7_S13, _CH7_S14),
        )
    if arrived > ends:
        return _reason(
            condition,
            True,
            citation,
            "became folkbokförd in Sweden on {}, when no longer of compulsory-school age — "
            "derived, as nothing is recorded: for a youth born in {}, compulsory schooling "
            "ends at the close of the spring term of {} ({}), taken as {} (the library's "
            "choice of day), and no residence in Sweden before {} is recorded",
            arrived,
            born,
            ends.year,
            rule.cited(),
            ends,
            arrived,
            also=paragraphs,
        )
    if done is not None:
        return _reason(
            condition,
            False,
            citation,
            "became folkbokförd in Sweden on {}, while of compulsory-school age — derived, as "
            "nothing is recorded: for a youth born in {} it lasts until the close of the "
            "spring term of {} ({}), taken as {}; so only completed compulsory schooling "
            "qualifies, and it is completed only on {}",
            arrived,
            born,
            ends.year,
            rule.cited(),
            ends,
            done,
            also=paragraphs,
        )
    if day <= ends:
        return _reason(
            condition,
            False,
            citation,
            "became folkbokförd in Sweden on {}, while of compulsory-school age — derived, as "
            "nothing is recorded: for a youth born in {} it lasts until the close of the "
            "spring term of {} ({}), taken as {}; the youth is still of compulsory-school age "
            "(if it ended early under 7 kap. 14 §, record compulsory_school_completed)",
            arrived,
            born,
            ends.year,
            rule.cited(),
            ends,
            also=(*paragraphs, _CH7_S14),
        )
    return _reason(
        condition,
        False,
        citation,
        "became folkbokförd in Sweden on {}, while of compulsory-school age (for a youth born "
        "in {} it lasts until the close of the spring term of {}, {}, taken as {}); whether "
        "compulsory schooling has ended since — then, a year later under 7 kap. 13 § (at "
        "most until the 18th birthday) or earlier under 7 kap. 14 § — is not settled by the "
        "statute: record compulsory_school_completed, or arrived_after_compulsory_school_age",
        arrived,
        born,
        ends.year,
        rule.cited(),
        ends,
        settled=False,
        also=(*paragraphs, _CH7_S13, _CH7_S14),
    )


def _attendance(
    youth: Youth, day: dt.date, version: RuleVersion, equivalence: Equivalence
) -> Reason:
    condition = Condition.ATTENDANCE
    citation = version.citation(condition)
    notes: list[str] = []
    for enrolment in youth.enrolments:
        if not enrolment.covers(day):
            continue
        form = enrolment.school_form
        if form in _DECIDED_BY_RULE:
            name = (
                version.special_school_name
                if form is SchoolForm.ANPASSAD_GYMNASIESKOLA
                else form.label_sv
            )
            if form is SchoolForm.GYMNASIESKOLA and enrolment.programme is Programme.INTRODUCTION:
                if not version.introduction_programme_counts_as_attending:
                    notes.append(
                        "attends an introduction programme, which before 2018-07-01 does not "
                        "count as attending gymnasieskola"
                    )
                    continue
                name = "an introduction programme in gymnasieskola"
            return _reason(condition, False, citation, "attends {} since {}", name, enrolment.start)
        ruling = equivalence(youth, enrolment, day)
        if ruling.counts:
            return _reason(
                condition,
                False,
                citation,
                "attends {}, which counts: {}",
                form.label_sv,
                ruling.basis,
            )
        notes.append(f"attends {form.label_sv} ({ruling.basis})")
    if not notes:
        return _reason(
            condition, True, citation, "attends no upper-secondary or equivalent education"
        )
    return _reason(condition, True, citation, "{}", "; ".join(notes))


def _held(qualifications: Iterable[Qualification], day: dt.date) -> list[Qualification]:
    return [q for q in qualifications if q.issued <= day]


def _degree(held: list[Qualification], version: RuleVersion) -> Reason:
    citation = version.citation(Condition.DEGREE)
    for q in held:
        if q.kind.is_degree:
            name = (
                version.special_certificate_name
                if q.kind is QualificationKind.GYMNASIESKOLEBEVIS
                else q.kind.label_sv
            )
            return _reason(
                Condition.DEGREE, False, citation, "holds a {} issued {}", name, q.issued
            )
    lesser = [q.kind.label_sv for q in held if not q.kind.is_equivalent_completion]
    if lesser:
        return _reason(
            Condition.DEGREE,
            True,
            citation,
            "holds only {}, which is not a degree",
            ", ".join(lesser),
        )
    return _reason(
        Condition.DEGREE, True, citation, "holds no gymnasieexamen or gymnasieskolebevis"
    )


def _equivalent(held: list[Qualification], version: RuleVersion) -> Reason:
    condition = Condition.EQUIVALENT_COMPLETED
    citation = version.citation(condition)
    for q in held:
        if q.kind.is_equivalent_completion:
            return _reason(
                condition,
                False,
                citation,
                "completed equivalent education: {}, issued {}",
                q.kind.label_sv,
                q.issued,
            )
    return _reason(
        condition, True, citation, "has completed no education equivalent to gymnasieskola"
    )


def _home(
    youth: Youth, day: dt.date, municipality: str | None, version: RuleVersion
) -> tuple[Reason, str | None]:
    condition = Condition.HOME_MUNICIPALITY
    citation = version.citation(condition)
    residence = youth.residence_on(day)
    if residence is None:
        return _reason(condition, False, citation, "no residence recorded for {}", day), None
    if not residence.basis.gives_home_municipality:
        return _reason(
            condition,
            False,
            citation,
            "{}: has no home municipality in the sense of 29 kap. 6 § skollagen",
            residence.basis.label_sv,
        ), None
    home = residence.municipality
    if municipality is not None and home != municipality:
        return _reason(
            condition, False, citation, "the home municipality is {}, not {}", home, municipality
        ), home
    return _reason(
        condition, True, citation, "home municipality {} ({})", home, residence.basis.label_sv
    ), home


def _check_arguments(youth: object, municipality: object, *, where: str, **days: object) -> None:
    """Refuse a wrong type at the boundary, naming the argument (see :mod:`kaa.model.checks`)."""
    require_instance(youth, Youth, "youth", where=where)
    for name, day in days.items():
        require_date(day, name, where=where)
    require_kommunkod(municipality, "municipality", where=where, optional=True)


def assess(
    youth: Youth,
    *,
    on: dt.date,
    municipality: str | None = None,
    equivalence: Equivalence = national_equivalence,
) -> Decision:
    """Decide whether ``youth`` is in the target group of KAA on the day ``on``.

    Args:
        youth: The facts about the youth.
        on: The day of the decision.
        municipality: The *kommunkod* asking; ``None`` means "is any municipality the youth's
            home municipality" (T6 then only checks that one is).
        equivalence: Decides the open questions of T3 (folkhögskola, komvux, studies
            abroad); the national default when not given. :func:`kaa.assess` passes the
            installed plugins' answer.

    Returns:
        The decision, with every one of the six conditions evaluated and cited; its
        :attr:`~Decision.outcome` is in, out, or undecided when the statute does not settle
        a condition from the recorded facts (the reason names the fact to record).

    Raises:
        RuleNotInForce: If ``on`` is before 2015-01-01, when KAA did not exist.
        InvalidInput: If ``youth`` is not a :class:`~kaa.model.youth.Youth`, ``on`` not a
            :class:`datetime.date`, or ``municipality`` not one of the 290 kommunkoder as
            text (an ``int`` such as ``180``, or ``"9999"``): the message names the argument.
    """
    if not (  # the usual, well-typed call is checked without the general checks' calls
        youth.__class__ is Youth
        and on.__class__ is dt.date
        and (municipality is None or is_municipality_code(municipality))
    ):
        _check_arguments(youth, municipality, where="assess", on=on)
    version = TIMELINE.at(on)
    rule = version.value
    age, ages_out_on = _age(youth, on, rule)
    held = _held(youth.qualifications, on)
    home_reason, home = _home(youth, on, municipality, rule)
    reasons = (
        age,
        _compulsory_school(youth, on, rule),
        _attendance(youth, on, rule, equivalence),
        _degree(held, rule),
        _equivalent(held, rule),
        home_reason,
    )
    return Decision(
        youth=youth.id,
        day=on,
        municipality=municipality,
        in_target_group=all(r.holds for r in reasons),
        reasons=reasons,
        ages_out=ages_out_on,
        version=version,
        home_municipality=home,
    )


# --- membership over a period ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Membership:
    """The days within a period on which a youth was in the target group.

    Attributes:
        first_day: The first day of the period.
        last_day: The last day of the period.
        intervals: Disjoint runs of days ``(first, last)`` in the target group, in order.
    """

    first_day: dt.date
    last_day: dt.date
    intervals: tuple[tuple[dt.date, dt.date], ...]

    @property
    def any_day(self) -> bool:
        """Whether the youth was in the target group on at least one day of the period."""
        return bool(self.intervals)

    @property
    def in_at_start(self) -> bool:
        """In on the first day of the period."""
        return bool(self.intervals) and self.intervals[0][0] == self.first_day

    @property
    def in_at_end(self) -> bool:
        """In on the last day of the period."""
        return bool(self.intervals) and self.intervals[-1][1] == self.last_day

    @property
    def entered(self) -> tuple[dt.date, ...]:
        """Days within the period on which the youth entered the target group."""
        return tuple(a for a, _ in self.intervals if a != self.first_day)

    @property
    def left(self) -> tuple[dt.date, ...]:
        """Days within the period on which the youth was first out again."""
        return tuple(b + dt.timedelta(days=1) for _, b in self.intervals if b != self.last_day)

    def days(self) -> int:
        """How many days the youth was in the target group within the period."""
        return sum((b - a).days + 1 for a, b in self.intervals)


def change_days(youth: Youth, decision: Decision | None = None) -> set[dt.date]:
    """Every day on which some fact about ``youth`` (or the law) may change the outcome."""
    one = dt.timedelta(days=1)
    days: set[dt.date] = set(TIMELINE.change_days)
    for enrolment in youth.enrolments:
        days.add(enrolment.start)
        if enrolment.end is not None:
            days.add(enrolment.end + one)
    for residence in youth.residences:
        if residence.start is not None:
            days.add(residence.start)
        if residence.end is not None:
            days.add(residence.end + one)
    days.update(q.issued for q in youth.qualifications)
    for day in (youth.compulsory_school_completed, youth.folkbokford_in_sweden):
        if day is not None:
            days.add(day)
    if youth.folkbokford_in_sweden is not None:
        # an arrival during compulsory-school age turns from "out" to "not settled" after it
        days.add(compulsory_school_age_ends(youth)[0] + one)
    if decision is not None:
        days.add(decision.ages_out)
    return days


def membership(
    youth: Youth,
    first_day: dt.date,
    last_day: dt.date,
    *,
    municipality: str | None = None,
    equivalence: Equivalence = national_equivalence,
) -> Membership:
    """The days from ``first_day`` to ``last_day`` on which ``youth`` was in the target group.

    The rule is evaluated on the first day and on every day a fact or the law changes (see
    :func:`change_days`); between those days the outcome cannot change. (A municipality's
    plugin for the open questions is assumed to answer the same way between those days.) A
    day on which the decision is undecided (:attr:`Outcome.UNDECIDED`) is not counted as in.

    Args:
        youth: The facts about the youth.
        first_day: The first day of the period (e.g. ``HalfYear.first_day``).
        last_day: The last day of the period.
        municipality: The municipality asking; see :func:`assess`.
        equivalence: Decides the open questions of T3; see :func:`assess`.

    Raises:
        RuleNotInForce: If the period starts before 2015-01-01.
        InvalidInput: If ``last_day`` is before ``first_day``, or an argument has the wrong
            type or is no kommunkod (as for :func:`assess`).
    """
    _check_arguments(
        youth, municipality, where="membership", first_day=first_day, last_day=last_day
    )
    if last_day < first_day:
        raise InvalidInput(
            f"the period ends ({last_day.isoformat()}) before it starts ({first_day.isoformat()})"
        )
    first = assess(youth, on=first_day, municipality=municipality, equivalence=equivalence)
    points = sorted(d for d in change_days(youth, first) if first_day < d <= last_day)
    intervals: list[tuple[dt.date, dt.date]] = []
    run_start: dt.date | None = first_day if first.in_target_group else None
    for day in points:
        now_in = assess(
            youth, on=day, municipality=municipality, equivalence=equivalence
        ).in_target_group
        if now_in and run_start is None:
            run_start = day
        elif not now_in and run_start is not None:
            intervals.append((run_start, day - dt.timedelta(days=1)))
            run_start = None
    if run_start is not None:
        intervals.append((run_start, last_day))
    return Membership(first_day=first_day, last_day=last_day, intervals=tuple(intervals))


def in_target_group_since(
    youth: Youth,
    on: dt.date,
    *,
    municipality: str | None = None,
    equivalence: Equivalence = national_equivalence,
    look_back: int = 365,
) -> dt.date:
    """The first day of the youth's current run in the target group, looking back at most
    ``look_back`` days from ``on`` (and never before the rule came into force).

    The day is a lower bound when the run started before the look-back: the youth may have
    been in the target group longer. When the youth is not in the target group on ``on``,
    the start of the last run within the look-back is given, or ``on`` if there was none.

    Args:
        youth: The facts about the youth.
        on: The day ("today").
        municipality: The municipality asking; see :func:`assess`.
        equivalence: Decides the open questions of T3; see :func:`assess`.
        look_back: How many days back to look.

    Raises:
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    TIMELINE.at(on)  # raises RuleNotInForce before 2015-01-01
    start = max(on - dt.timedelta(days=look_back), TIMELINE.first_day)
    runs = membership(
        youth, start, on, municipality=municipality, equivalence=equivalence
    ).intervals
    return runs[-1][0] if runs else on
