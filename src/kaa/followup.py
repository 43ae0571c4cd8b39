"""Follow-up statistics: the figures a municipality reports to its committee (*nämnd*).

Each figure is one documented function over the cases of a period that returns a
:class:`Table`: an id, Swedish and English titles, column names and plain rows. A notebook
loads it with ``pandas.DataFrame(table.as_rows())`` or ``polars.DataFrame(table.as_rows())``;
the core has no dataframe dependency.

A case counts for a period when it was open on at least one day of it: registered on or
before the last day, and not ended before the first day.

Small counts are **suppressed** in anything meant for publication: :meth:`Table.suppressed`
replaces every count from 1 to ``threshold - 1`` (default: below 5) — and every share computed
from such a count — with ``None``, shown as "<5", so that no youth can be singled out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from kaa.identity import Sex
from kaa.model.case import Activity, Case, Channel, EndReason, RegistrationReason
from kaa.period import Period
from kaa.plugins.manager import Hooks
from kaa.rules.measures import Catalogue, MeasureKind, national_catalogue
from kaa.rules.plan import national_follow_up_policy, next_follow_up_due, summarise

__all__ = [
    "DEFAULT_SUPPRESSION_THRESHOLD",
    "Table",
    "activity_at_latest_contact",
    "activity_at_registration",
    "cases_in_period",
    "contact_channels",
    "days_to_first_contact",
    "days_to_first_measure",
    "end_reasons",
    "measures_by_category",
    "overdue_follow_ups",
    "plan_completeness",
    "population",
    "reach",
    "returned_to_studies",
]

DEFAULT_SUPPRESSION_THRESHOLD = 5
"""Counts below this (1–4) are suppressed in published output."""

BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0–7 dagar", 0, 7),
    ("8–14 dagar", 8, 14),
    ("15–30 dagar", 15, 30),
    ("31–60 dagar", 31, 60),
    ("61–90 dagar", 61, 90),
    ("mer än 90 dagar", 91, 10**6),
)
"""The distribution buckets for "days from registration to …"."""


@attrs.frozen(kw_only=True)
class Table:
    """One follow-up figure as plain rows.

    Attributes:
        id: Stable id, e.g. ``kaa.followup.reach``.
        title_sv: The title in Swedish (as in the committee report).
        title_en: The title in English.
        columns: Column names, in order.
        rows: The rows; counts are ints, shares floats (0–1), medians floats.
        count_columns: Columns holding counts (suppressed when small).
        share_of: For each share column, the count column it is computed from.
    """

    id: str
    title_sv: str
    title_en: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    count_columns: tuple[str, ...] = ()
    share_of: tuple[tuple[str, str], ...] = ()

    def as_rows(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name (for pandas, polars or csv.DictWriter)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """The values of one column."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def value(self, key: Any, column: str) -> Any:
        """The value in ``column`` of the row whose first cell is ``key``."""
        index = self.columns.index(column)
        for row in self.rows:
            if row[0] == key:
                return row[index]
        raise KeyError(key)

    def suppressed(self, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Table:
        """A copy for publication: counts from 1 to ``threshold - 1`` (and shares computed
        from them) become ``None``."""
        count_idx = [self.columns.index(c) for c in self.count_columns]
        share_idx = [
            (self.columns.index(share), self.columns.index(base)) for share, base in self.share_of
        ]
        rows = []
        for row in self.rows:
            cells = list(row)
            for share, base in share_idx:
                value = row[base]
                if isinstance(value, int) and 0 < value < threshold:
                    cells[share] = None
            for i in count_idx:
                value = row[i]
                if isinstance(value, int) and 0 < value < threshold:
                    cells[i] = None
            rows.append(tuple(cells))
        return attrs.evolve(self, rows=tuple(rows))


def cases_in_period(cases: Iterable[Case], period: Period) -> list[Case]:
    """The cases open on at least one day of ``period``."""
    first, last = period.first_day, period.last_day
    return [
        c for c in cases if c.registration.day <= last and (c.end is None or c.end.day >= first)
    ]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _age_on(case: Case, day: dt.date) -> int | None:
    born = case.youth.birth_date or case.youth.id.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _part_of_whole(
    table_id: str,
    title_sv: str,
    title_en: str,
    whole: tuple[str, int],
    part: tuple[str, int],
) -> Table:
    """A one-row figure: how many of a whole have some property, and the share. The row's
    key is the figure's name (the id without ``kaa.followup.``)."""
    key = table_id.removeprefix("kaa.followup.")
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("measure", whole[0], part[0], "share"),
        rows=((key, whole[1], part[1], _share(part[1], whole[1])),),
        count_columns=(whole[0], part[0]),
        share_of=(("share", part[0]),),
    )


def population(cases: Iterable[Case], period: Period) -> Table:
    """Youths in KAA in the period: new, continuing and ended, by reason for registration,
    legal sex and age on the last day of the period (or the day KAA ended).

    Rows: ``(group, category, youths)`` where group is ``total``, ``status``, ``reason``,
    ``sex`` or ``age``.
    """
    selected = cases_in_period(cases, period)
    first, last = period.first_day, period.last_day
    status: Counter[str] = Counter()
    reasons: Counter[RegistrationReason] = Counter()
    sexes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    for case in selected:
        status["ny" if case.registration.day >= first else "kvarstående"] += 1
        if case.end is not None and case.end.day <= last:
            status["avslutad"] += 1
        reasons[case.registration.reason] += 1
        sexes["kvinna" if case.youth.id.sex is Sex.FEMALE else "man"] += 1
        day = min(last, case.end.day) if case.end is not None else last
        age = _age_on(case, day)
        ages["okänd" if age is None else str(min(max(age, 15), 20))] += 1
    rows: list[tuple[Any, ...]] = [("total", "alla", len(selected))]
    rows += [("status", k, status[k]) for k in ("ny", "kvarstående", "avslutad")]
    rows += [("reason", r.label_sv, reasons[r]) for r in RegistrationReason]
    rows += [("sex", k, sexes[k]) for k in ("kvinna", "man")]
    rows += [("age", k, ages[k]) for k in sorted(ages)]
    return Table(
        id="kaa.followup.population",
        title_sv="Ungdomar inom aktivitetsansvaret",
        title_en="Youths in KAA",
        columns=("group", "category", "youths"),
        rows=tuple(rows),
        count_columns=("youths",),
    )


def _activity_table(
    table_id: str, title_sv: str, title_en: str, values: Sequence[Activity]
) -> Table:
    counts = Counter(values)
    total = len(values)
    rows = tuple((a.value, a.label_sv, counts[a], _share(counts[a], total)) for a in Activity)
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("activity", "label_sv", "youths", "share"),
        rows=rows,
        count_columns=("youths",),
        share_of=(("share", "youths"),),
    )


def activity_at_registration(cases: Iterable[Case], period: Period) -> Table:
    """The youths' activity (*sysselsättning*) when they were registered."""
    selected = cases_in_period(cases, period)
    return _activity_table(
        "kaa.followup.activity_at_registration",
        "Sysselsättning vid registrering",
        "Activity at registration",
        [c.registration.activity for c in selected],
    )


def activity_at_latest_contact(cases: Iterable[Case], period: Period) -> Table:
    """The youths' activity as last learnt by the end of the period (``unknown`` for a youth
    never reached)."""
    selected = cases_in_period(cases, period)
    return _activity_table(
        "kaa.followup.activity_at_latest_contact",
        "Sysselsättning vid senaste kontakt",
        "Activity at the latest contact",
        [c.latest_activity(on=period.last_day) for c in selected],
    )


def reach(cases: Iterable[Case], period: Period) -> Table:
    """How many youths were reached by the end of the period, how many not, and how many
    still have an unknown activity.

    Rows: ``(measure, youths, share)`` for ``reached``, ``not_reached``, ``unknown_activity``.
    """
    selected = cases_in_period(cases, period)
    total = len(selected)
    reached = sum(1 for c in selected if c.reached(on=period.last_day))
    unknown = sum(1 for c in selected if c.latest_activity(on=period.last_day) is Activity.UNKNOWN)
    rows = (
        ("reached", "nådda", reached, _share(reached, total)),
        ("not_reached", "inte nådda", total - reached, _share(total - reached, total)),
        ("unknown_activity", "sysselsättning okänd", unknown, _share(unknown, total)),
    )
    return Table(
        id="kaa.followup.reach",
        title_sv="Nådda och inte nådda ungdomar",
        title_en="Youths reached and not reached",
        columns=("measure", "label_sv", "youths", "share"),
        rows=rows,
        count_columns=("youths",),
        share_of=(("share", "youths"),),
    )


def contact_channels(cases: Iterable[Case], period: Period) -> Table:
    """Contact attempts in the period per channel, and how many of them reached someone.

    Rows: ``(channel, label_sv, attempts, reached, share_reached)``.
    """
    attempts: Counter[Channel] = Counter()
    reached: Counter[Channel] = Counter()
    for case in cases_in_period(cases, period):
        for contact in case.contacts:
            if period.first_day <= contact.day <= period.last_day:
                attempts[contact.channel] += 1
                if contact.outcome.reached:
                    reached[contact.channel] += 1
    rows = tuple(
        (ch.value, ch.label_sv, attempts[ch], reached[ch], _share(reached[ch], attempts[ch]))
        for ch in Channel
    )
    return Table(
        id="kaa.followup.contact_channels",
        title_sv="Kontaktförsök per kanal",
        title_en="Contact attempts per channel",
        columns=("channel", "label_sv", "attempts", "reached", "share_reached"),
        rows=rows,
        count_columns=("attempts", "reached"),
        share_of=(("share_reached", "reached"),),
    )


def _days_table(
    table_id: str,
    title_sv: str,
    title_en: str,
    cases: list[Case],
    first_event: Callable[[Case], dt.date | None],
) -> Table:
    days: list[int] = []
    never = 0
    for case in cases:
        event = first_event(case)
        if event is None:
            never += 1
        else:
            days.append((event - case.registration.day).days)
    rows: list[tuple[Any, ...]] = [
        (label, sum(1 for d in days if low <= d <= high)) for label, low, high in BUCKETS
    ]
    rows.append(("ännu inte", never))
    median = float(statistics.median(days)) if days else None
    rows.append(("median (dagar)", median))
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("bucket", "youths"),
        rows=tuple(rows),
        count_columns=("youths",),
    )


def days_to_first_contact(cases: Iterable[Case], period: Period) -> Table:
    """Days from registration to the first contact that reached the youth, for the youths
    registered in the period: distribution and median (last row)."""
    new = [c for c in cases_in_period(cases, period) if c.registration.day >= period.first_day]

    def first(case: Case) -> dt.date | None:
        return next(
            (c.day for c in case.contacts if c.outcome.reached and c.day <= period.last_day),
            None,
        )

    return _days_table(
        "kaa.followup.days_to_first_contact",
        "Dagar från registrering till första kontakt",
        "Days from registration to first contact",
        new,
        first,
    )


def days_to_first_measure(cases: Iterable[Case], period: Period) -> Table:
    """Days from registration to the start of the first measure, for the youths registered
    in the period: distribution and median (last row)."""
    new = [c for c in cases_in_period(cases, period) if c.registration.day >= period.first_day]

    def first(case: Case) -> dt.date | None:
        starts = [
            m.start for m in case.measures if m.start is not None and m.start <= period.last_day
        ]
        return min(starts) if starts else None

    return _days_table(
        "kaa.followup.days_to_first_measure",
        "Dagar från registrering till första insats",
        "Days from registration to first measure",
        new,
        first,
    )


def measures_by_category(
    cases: Iterable[Case], period: Period, catalogue: Catalogue | None = None
) -> Table:
    """Measures offered, declined, started and ended in the period, by catalogue category
    (education-oriented first).

    Args:
        cases: The cases.
        period: The period.
        catalogue: Where each measure's category is looked up (the national catalogue when
            ``None``; a measure type not in it counts as ``other``).
    """
    catalogue = catalogue if catalogue is not None else national_catalogue()
    counts: dict[MeasureKind, Counter[str]] = {k: Counter() for k in MeasureKind}
    first, last = period.first_day, period.last_day

    def within(day: dt.date | None) -> bool:
        return day is not None and first <= day <= last

    for case in cases_in_period(cases, period):
        for m in case.measures:
            kind = catalogue.get(m.type).kind if m.type in catalogue else MeasureKind.OTHER
            c = counts[kind]
            if within(m.offered):
                c["offered"] += 1
                if m.declined:
                    c["declined"] += 1
            if within(m.start):
                c["started"] += 1
            if within(m.end):
                c["ended"] += 1
    rows = tuple(
        (k.value, k.label_sv, c["offered"], c["declined"], c["started"], c["ended"])
        for k, c in counts.items()
    )
    return Table(
        id="kaa.followup.measures_by_category",
        title_sv="Insatser per kategori",
        title_en="Measures by category",
        columns=("category", "label_sv", "offered", "declined", "started", "ended"),
        rows=rows,
        count_columns=("offered", "declined", "started", "ended"),
    )


def returned_to_studies(cases: Iterable[Case], period: Period) -> Table:
    """Of the youths with a measure that ended in the period, how many went on to studies
    (the activity after the measure is studies) — Askersund's goal.

    Rows: one, ``(measure, youths_with_ended_measure, returned_to_studies, share)``.
    """
    ended = 0
    returned = 0
    for case in cases_in_period(cases, period):
        finished = [
            m
            for m in case.measures
            if m.end is not None and period.first_day <= m.end <= period.last_day
        ]
        if not finished:
            continue
        ended += 1
        if any(m.activity_after is not None and m.activity_after.is_studies for m in finished):
            returned += 1
    return _part_of_whole(
        "kaa.followup.returned_to_studies",
        "Återgång till studier efter insats",
        "Returned to studies after a measure",
        ("youths_with_ended_measure", ended),
        ("returned_to_studies", returned),
    )


def end_reasons(cases: Iterable[Case], period: Period) -> Table:
    """Why KAA ended, for the youths whose KAA ended in the period."""
    counts: Counter[EndReason] = Counter(
        c.end.reason
        for c in cases_in_period(cases, period)
        if c.end is not None and period.first_day <= c.end.day <= period.last_day
    )
    total = sum(counts.values())
    rows = tuple((r.value, r.label_sv, counts[r], _share(counts[r], total)) for r in EndReason)
    return Table(
        id="kaa.followup.end_reasons",
        title_sv="Orsak till att aktivitetsansvaret upphörde",
        title_en="Why KAA ended",
        columns=("reason", "label_sv", "youths", "share"),
        rows=rows,
        count_columns=("youths",),
        share_of=(("share", "youths"),),
    )


def plan_completeness(
    cases: Iterable[Case], period: Period, catalogue: Catalogue | None = None
) -> Table:
    """How many youths who need documentation (they have a measure or a plan) have a
    complete individual plan — all seven items of förordning (2006:39) — and how many lack
    each item (see :func:`kaa.rules.plan.check_plan`).

    Rows: ``(measure, label_sv, youths, share)``; shares are of the youths who need a plan.
    """
    summary = summarise(cases_in_period(cases, period), catalogue=catalogue)
    need = summary.required
    rows: list[tuple[Any, ...]] = [
        ("required", "behöver dokumenterad plan", need, None),
        ("with_plan", "har individuell plan", summary.with_plan, _share(summary.with_plan, need)),
        (
            "complete",
            "har fullständig plan (alla sju punkter)",
            summary.complete,
            _share(summary.complete, need),
        ),
    ]
    rows += [
        (
            f"missing_{item.number}",
            f"saknar punkt {item.number}: {item.label_sv}",
            count,
            _share(count, need),
        )
        for item, count in summary.missing_by_item
    ]
    return Table(
        id="kaa.followup.plan_completeness",
        title_sv="Individuella planer och dokumentation",
        title_en="Individual plans and documentation",
        columns=("measure", "label_sv", "youths", "share"),
        rows=tuple(rows),
        count_columns=("youths",),
        share_of=(("share", "youths"),),
    )


def overdue_follow_ups(
    cases: Iterable[Case], period: Period, *, on: dt.date | None = None, hooks: Hooks | None = None
) -> Table:
    """Open cases whose plan follow-up is overdue on ``on`` (the last day of the period by
    default), under each municipality's follow-up policy
    (:func:`kaa.rules.plan.next_follow_up_due`).

    Rows: one, ``(measure, open_with_plan, overdue, share)``.
    """
    day = on or period.last_day
    with_plan = overdue = 0
    for case in cases_in_period(cases, period):
        if case.plan is None or not case.open_on(day) or case.plan.as_of(day) is None:
            continue
        with_plan += 1
        due = next_follow_up_due(
            case,
            on=day,
            policy=hooks.plan_follow_up_policy if hooks is not None else national_follow_up_policy,
        )
        if due is not None and due < day:
            overdue += 1
    return _part_of_whole(
        "kaa.followup.overdue_follow_ups",
        "Försenade uppföljningar av planer",
        "Overdue plan follow-ups",
        ("open_with_plan", with_plan),
        ("overdue", overdue),
    )
