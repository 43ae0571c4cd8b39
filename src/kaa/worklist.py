"""Today's worklist: what each case worker must do on a day, and why.

Given the register's cases and a day, :func:`build_worklist` lists, per case:

- every **contact step** of the municipality's timetable (:mod:`kaa.rules.contact`) that is
  overdue (with the days overdue), due now, or upcoming within a window — each with the step
  that asks for it and the timetable's citation (the municipality's plan);
- **prompts** for steps that are a person's decision (a report of concern to social
  services after at least three attempts without result) — never automatic actions;
- youths **not reached** after the whole timetable: their activity stays unknown and they are
  flagged, since the municipality must keep itself informed all year (29 kap. 9 §
  skollagen);
- youths who **declined** support and whose re-contact day has come (a timetable step
  counted from the declined offer);
- individual **plans** whose follow-up is late or near (:func:`kaa.rules.plan.next_follow_up_due`);
- youths who **age out** (turn 20) within 30 days, and open cases of youths already 20.

Only what is on record on or before the day counts, so a worklist for an earlier day can be
recomputed. Recording an attempt (:func:`record_attempt`) and then updating the worklist
(:meth:`Worklist.updated`) gives the same worklist as building it again from the updated
cases.

The items are the record and the machines' form (:func:`write_worklist_csv`,
:func:`write_worklist_json`). A case worker works from **one row per youth**
(:meth:`Worklist.rows`, :class:`YouthRow`): the case's next step, how many earlier steps were
missed, its other items in a few words, and the youth's name and telephone number when the
case holds them (contact data the register may hold, förordning (2006:39) 4 §), written for
people as CSV (:func:`write_rows_csv`: ``;``, UTF-8 with a byte-order mark) or as the
workbook a case worker fills in (:func:`write_rows_workbook`, :mod:`kaa.formats.workbook`).
:meth:`Worklist.only` and :meth:`Worklist.by_case_worker` give one case worker's list.

Identity numbers are masked in every output unless the writer is asked to reveal them. Names
and telephone numbers appear only in the lists for people, never in a ``repr``; no address
or other contact detail appears in a worklist.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Literal

import attrs

from kaa.dated import Timeline, Version
from kaa.formats.cells import spreadsheet_cell, terminal_text
from kaa.formats.decisions import html_table
from kaa.formats.workbook import write_sheet_csv, write_workbook
from kaa.identity import IdentityNumber
from kaa.law import FORORDNING_2006_39, SKOLLAGEN
from kaa.model.case import Case, Channel, Contact, Contacted
from kaa.model.checks import require_date, require_instance
from kaa.model.youth import Labelled
from kaa.municipalities import municipality
from kaa.plugins.manager import Hooks
from kaa.rules import target_group
from kaa.rules.contact import (
    Action,
    Anchor,
    StepState,
    StepStatus,
    Timetable,
    Timing,
    national_timetable,
    step_states,
)
from kaa.rules.leaving import leaving
from kaa.rules.plan import national_follow_up_policy, next_follow_up_due
from kaa.store.base import StoredCase

__all__ = [
    "AGE_OUT_DAYS",
    "CSV_COLUMNS",
    "DEFAULT_WINDOW",
    "NO_CASE_WORKER",
    "GroupBy",
    "ItemKind",
    "ItemStatus",
    "WorkItem",
    "Worklist",
    "YouthRow",
    "about_rows",
    "build_worklist",
    "case_items",
    "format_table",
    "record_attempt",
    "worklist_table",
    "write_rows_csv",
    "write_rows_workbook",
    "write_worklist_csv",
    "write_worklist_json",
]

DEFAULT_WINDOW = 14
"""Days ahead that upcoming steps are shown, unless asked otherwise."""

AGE_OUT_DAYS = 30
"""Youths who turn 20 within this many days are listed."""

_CH29_S9 = SKOLLAGEN.at(chapter=29, section="9")

GroupBy = Literal["case-worker", "due-day"]
"""How :meth:`Worklist.grouped` and :func:`format_table` group items."""


class ItemKind(Labelled):
    """Why an item is on the worklist."""

    CLOSE = ("close", "avsluta ärendet: inte längre i målgruppen")
    CONTACT = ("contact", "kontaktförsök enligt kontakttrappan")
    RE_CONTACT = ("re_contact", "ny kontakt efter avböjt stöd")
    DECISION = ("decision", "att ta ställning till (handläggarens beslut)")
    NOT_REACHED = ("not_reached", "inte nådd efter hela kontakttrappan")
    PLAN_FOLLOW_UP = ("plan_follow_up", "uppföljning av individuell plan")
    AGES_OUT = ("ages_out", "fyller 20 år, aktivitetsansvaret upphör")


class ItemStatus(Labelled):
    """How urgent an item is on the day."""

    OVERDUE = ("overdue", "försenad")
    DUE = ("due", "att göra nu")
    DECIDE = ("decide", "att ta ställning till")
    FLAGGED = ("flagged", "flaggad")
    UPCOMING = ("upcoming", "kommande")


_STATUS_RANK = {status: rank for rank, status in enumerate(ItemStatus)}
_KIND_RANK = {kind: rank for rank, kind in enumerate(ItemKind)}


@attrs.frozen(kw_only=True)
class WorkItem:
    """One thing a case worker must do, decide or know about, for one case.

    Attributes:
        youth: The youth's identity number (masked in ``repr`` and by default in output).
        case_ref: The case number that tells apart youths whose masked numbers are alike:
            the store's case id, or the case's place in the cases file (``"#12"``).
        municipality: The case's kommunkod.
        case_worker: The responsible case worker, if recorded.
        kind: Why the item is listed.
        status: Overdue, due, decide, flagged or upcoming.
        what: What to do, in the words of the timetable (Swedish).
        step: The timetable step that asks for it, if any.
        channel: The channel of a contact step (``None``: any channel, or not a contact).
        contacted: The youth or the guardian.
        opens: The first day it may be done.
        due: The day it is due at the latest (for a step without a deadline, a prompt or a
            flag: since when).
        days_overdue: Days past ``due`` (0 unless overdue).
        rule_id: The rule (timetable) that asks for it.
        citation: Where the rule comes from (the municipality's plan, or the statute).
        note: A short explanation.
        missed_steps: How many steps of the case's timetable were missed (their deadline
            passed when the next step opened, :attr:`~kaa.rules.contact.StepStatus.MISSED`):
            the same on every item of a case; a step missed both for the youth and for the
            guardian counts once; 0 for a case to close.
        name: The youth's name, when the case's contact details hold it (hidden in ``repr``;
            written only in the per-youth list for people, :meth:`Worklist.rows`).
        phone: The youth's telephone number, likewise. No other contact detail, and never an
            address, is carried.
    """

    youth: IdentityNumber
    case_ref: str = attrs.field(default="", eq=False)
    municipality: str
    case_worker: str | None = None
    kind: ItemKind
    status: ItemStatus
    what: str
    step: str | None = None
    channel: Channel | None = None
    contacted: Contacted | None = None
    opens: dt.date | None = None
    due: dt.date | None = None
    days_overdue: int = 0
    rule_id: str
    citation: str
    note: str = ""
    missed_steps: int = 0
    name: str | None = attrs.field(default=None, repr=False)
    phone: str | None = attrs.field(default=None, repr=False)

    def sort_key(self) -> tuple[object, ...]:
        """Most urgent first; then by due day, case worker, youth, kind and step."""
        return (
            _STATUS_RANK[self.status],
            self.due or dt.date.max,
            self.case_worker or "",
            self.youth.full("long"),
            _KIND_RANK[self.kind],
            self.step or "",
            self.contacted is Contacted.GUARDIAN,
        )

    def as_row(self, *, reveal_ids: bool = False) -> dict[str, str]:
        """The item as strings, keyed by :data:`CSV_COLUMNS`."""
        return {
            "case_worker": self.case_worker or "",
            "status": self.status.value,
            "due": self.due.isoformat() if self.due else "",
            "days_overdue": str(self.days_overdue),
            "id": self.youth.full() if reveal_ids else self.youth.masked(),
            "municipality": self.municipality,
            "kind": self.kind.value,
            "step": self.step or "",
            "what": self.what,
            "channel": self.channel.value if self.channel else "",
            "contacted": self.contacted.value if self.contacted else "",
            "opens": self.opens.isoformat() if self.opens else "",
            "rule_id": self.rule_id,
            "citation": self.citation,
            "note": self.note,
        }


CSV_COLUMNS: tuple[str, ...] = (
    "case_worker",
    "status",
    "due",
    "days_overdue",
    "id",
    "municipality",
    "kind",
    "step",
    "what",
    "channel",
    "contacted",
    "opens",
    "rule_id",
    "citation",
    "note",
)
"""The columns of the CSV form, in order."""


def _sorted(items: Iterable[WorkItem]) -> tuple[WorkItem, ...]:
    return tuple(sorted(items, key=WorkItem.sort_key))


NO_CASE_WORKER = "(ingen handläggare)"
"""The group of items whose case has no case worker recorded."""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _in_words(item: WorkItem) -> str:
    """One other open item of a case, in a few Swedish words."""
    if item.step is not None:
        words = _lower_first(item.what)
        if item.contacted is Contacted.GUARDIAN:
            words += " till vårdnadshavare"
    else:
        words = item.kind.label_sv
    if item.status is ItemStatus.OVERDUE:
        when = f"{item.status.label_sv} {item.days_overdue} dagar"
    elif item.status is ItemStatus.UPCOMING and item.opens is not None:
        when = f"{item.status.label_sv}, från {item.opens.isoformat()}"
    elif item.status is ItemStatus.UPCOMING and item.due is not None:
        when = f"{item.status.label_sv}, {item.due.isoformat()}"
    else:
        when = item.status.label_sv
    return f"{words} ({when})"


@attrs.frozen(kw_only=True)
class YouthRow:
    """One row of the list a person works from: one open case with something to do.

    The row shows the case's most urgent item (:attr:`next`); how many earlier steps of the
    routine were missed, once, instead of each of them; the other open items in a few words;
    and the youth's name and telephone number when the case's contact details hold them
    (contact data the register may hold, förordning (2006:39) 4 §), so the case worker
    knows whom to call. There is never an address.

    Attributes:
        case_ref: The case number (the store's case id, or ``"#n"``): it tells apart youths
            whose masked identity numbers are alike.
        youth: The youth's identity number (masked unless a writer is asked to reveal it).
        municipality: The case's kommunkod.
        case_worker: The responsible case worker, if recorded.
        name: The youth's name, if known (hidden in ``repr``).
        phone: The youth's telephone number, if known (hidden in ``repr``).
        next: The most urgent item: what to do next, to whom, through which channel, by
            when, and how many days late.
        missed_steps: How many earlier steps were missed (:attr:`WorkItem.missed_steps`).
        others: The case's other items, most urgent first.
    """

    case_ref: str
    youth: IdentityNumber
    municipality: str
    case_worker: str | None = None
    name: str | None = attrs.field(default=None, repr=False)
    phone: str | None = attrs.field(default=None, repr=False)
    next: WorkItem
    missed_steps: int = 0
    others: tuple[WorkItem, ...] = ()

    @property
    def other_text(self) -> str:
        """The other items in a few Swedish words, e.g. ``"orosanmälan till socialtjänsten
        (att ta ställning till)"``; empty when there are none."""
        return "; ".join(_in_words(item) for item in self.others)

    def cells(self, *, reveal_ids: bool = False) -> tuple[str | int | dt.date | None, ...]:
        """The row's values for columns A–M of the workbook contract
        (:data:`kaa.formats.workbook.WRITTEN_HEADINGS`): text, whole numbers and the due
        day as a date (``None`` when there is none)."""
        item = self.next
        return (
            self.case_ref,
            self.youth.full() if reveal_ids else self.youth.masked(),
            self.name or "",
            self.phone or "",
            self.case_worker or "",
            item.what,
            item.step or "",
            item.contacted.label_sv if item.contacted else "",
            item.channel.label_sv if item.channel else "",
            item.due,
            item.days_overdue,
            self.missed_steps,
            self.other_text,
        )


@attrs.frozen(kw_only=True)
class Worklist:
    """Everything due, overdue, to decide or upcoming on one day.

    Attributes:
        day: The day.
        window: Days ahead that upcoming items are shown.
        cases: Open cases considered.
        items: The items, most urgent first.
    """

    day: dt.date
    window: int = DEFAULT_WINDOW
    cases: int = 0
    items: tuple[WorkItem, ...] = attrs.field(default=(), converter=_sorted)
    hooks: Hooks | None = attrs.field(default=None, eq=False, repr=False)
    """The plugin facade the worklist was built with (reused by :meth:`updated`)."""

    def __len__(self) -> int:
        return len(self.items)

    def _repr_html_(self) -> str:
        """The items as an HTML table for a notebook (masked identity numbers)."""
        return html_table(
            worklist_table(self),
            caption=f"Arbetslista {self.day.isoformat()}: {len(self.items)} poster, "
            f"{self.cases} öppna ärenden",
        )

    def for_youth(self, youth: IdentityNumber) -> tuple[WorkItem, ...]:
        """The items of one youth's case."""
        return tuple(i for i in self.items if i.youth == youth)

    def counts(self) -> dict[ItemStatus, int]:
        """How many items have each status."""
        counts = dict.fromkeys(ItemStatus, 0)
        for item in self.items:
            counts[item.status] += 1
        return counts

    def rows(self) -> tuple[YouthRow, ...]:
        """The list a person works from: one row per open case with something to do on the
        day, most urgent first (by the case's most urgent item).

        A case whose items are all upcoming has no row yet: nothing is to be done today
        (its upcoming items are in :attr:`items`). The other items of a case with a row,
        upcoming ones included, are in its :attr:`YouthRow.others`. One pass over the
        items.
        """
        cases: dict[tuple[str, IdentityNumber], list[WorkItem]] = {}
        for item in self.items:
            cases.setdefault((item.case_ref, item.youth), []).append(item)
        rows: list[YouthRow] = []
        for (ref, youth), items in cases.items():
            first = items[0]
            if first.status is ItemStatus.UPCOMING:
                continue
            rows.append(
                YouthRow(
                    case_ref=ref,
                    youth=youth,
                    municipality=first.municipality,
                    case_worker=first.case_worker,
                    name=first.name,
                    phone=first.phone,
                    next=first,
                    missed_steps=first.missed_steps,
                    others=tuple(items[1:]),
                )
            )
        return tuple(rows)

    def only(self, case_worker: str | None) -> Worklist:
        """The items of one case worker's cases (``None``: the cases with no case worker);
        :attr:`cases` then counts the open cases on that list."""
        wanted = case_worker or None
        return self._of(i for i in self.items if (i.case_worker or None) == wanted)

    def by_case_worker(self) -> list[tuple[str | None, Worklist]]:
        """One worklist per case worker with items (as :meth:`only`), by name; the cases
        with no case worker (``None``) last."""
        groups: dict[str | None, list[WorkItem]] = {}
        for item in self.items:
            groups.setdefault(item.case_worker or None, []).append(item)
        ordered = sorted(groups, key=lambda n: (n is None, n or ""))
        return [(name, self._of(groups[name])) for name in ordered]

    def _of(self, items: Iterable[WorkItem]) -> Worklist:
        kept = tuple(items)
        return attrs.evolve(self, cases=len({(i.case_ref, i.youth) for i in kept}), items=kept)

    def grouped(self, by: GroupBy = "case-worker") -> list[tuple[str, tuple[WorkItem, ...]]]:
        """The items grouped by case worker (``"(ingen handläggare)"`` when none is recorded)
        or by due day (``"–"`` for items without one), groups in order, items most urgent
        first."""
        groups: dict[str, list[WorkItem]] = {}
        for item in self.items:
            if by == "case-worker":
                key = item.case_worker or NO_CASE_WORKER
            else:
                key = item.due.isoformat() if item.due else "–"
            groups.setdefault(key, []).append(item)
        return [(key, tuple(groups[key])) for key in sorted(groups)]

    def updated(
        self,
        old: Case | None,
        new: Case,
        *,
        hooks: Hooks | None = None,
        timetable: Timeline[Timetable] | None = None,
    ) -> Worklist:
        """The worklist after ``old`` was replaced by ``new`` (the same youth's case).

        Args:
            old: The case as it was (``None`` for a new case).
            new: The case as it is now, e.g. from :func:`record_attempt`.
            hooks: As for :func:`build_worklist`; the facade the worklist was built with
                when ``None``.
            timetable: As for :func:`build_worklist`.

        Returns:
            A worklist equal to building it again from the updated cases.
        """
        kept = [i for i in self.items if i.youth != new.youth.id]
        ref = next((i.case_ref for i in self.items if i.youth == new.youth.id), "")
        fresh = case_items(
            new,
            on=self.day,
            window=self.window,
            hooks=hooks if hooks is not None else self.hooks,
            timetable=timetable,
            case_ref=ref,
        )
        before = 1 if old is not None and old.open_on(self.day) else 0
        after = 1 if new.open_on(self.day) else 0
        return attrs.evolve(self, cases=self.cases - before + after, items=(*kept, *fresh))


def record_attempt(case: Case, contact: Contact) -> Case:
    """The case with one more contact attempt recorded.

    Raises:
        InvalidInput: If the attempt breaks an invariant of the case (before registration,
            after the end of KAA).
    """
    return attrs.evolve(case, contacts=(*case.contacts, contact))


def _timetable_version(
    case: Case, on: dt.date, hooks: Hooks | None, timetable: Timeline[Timetable] | None
) -> tuple[str, Version[Timetable]]:
    timeline = timetable
    if timeline is None:
        timeline = (
            hooks.contact_timetable(case.municipality)
            if hooks is not None
            else national_timetable()
        )
    return timeline.rule_id, timeline.at(on)


def case_items(
    case: Case,
    *,
    on: dt.date,
    window: int = DEFAULT_WINDOW,
    hooks: Hooks | None = None,
    timetable: Timeline[Timetable] | None = None,
    age_out_days: int = AGE_OUT_DAYS,
    case_ref: str = "",
) -> list[WorkItem]:
    """The worklist items of one case on ``on`` (none if the case is not open then).

    A case whose youth is no longer in the target group on ``on`` by the facts the case
    holds (turned 20, a degree, studies that count, another home municipality) gets one item
    instead of any other: close the case, with the reason (:func:`kaa.rules.leaving.leaving`;
    when the facts do not say why, the item asks the case worker to decide).

    Args:
        case: The case.
        on: The day.
        window: Days ahead that upcoming items are shown.
        hooks: The plugin facade that chooses the municipality's timetable and plan
            follow-up policy (the national defaults when ``None``).
        timetable: Use this timetable instead of asking the hooks.
        age_out_days: List youths who turn 20 within this many days.
        case_ref: The case number shown on each item (see :attr:`WorkItem.case_ref`).

    Returns:
        The items, unsorted.

    Raises:
        RuleNotInForce: If the municipality's timetable is not in force on ``on``.
    """
    if not case.open_on(on):
        return []
    details = case.contact_details
    name = (details.name or None) if details is not None else None
    phone = (details.phone or None) if details is not None else None
    base = _Base(case.youth.id, case_ref, case.municipality, case.case_worker, name, phone)
    close = _close_item(case, on=on, hooks=hooks, base=base)
    if close is not None:
        return [close]
    rule_id, version = _timetable_version(case, on, hooks, timetable)
    citation = str(version.citation)
    states = step_states(case, version.value, on=on)
    base = attrs.evolve(
        base, missed=len({s.step.id for s in states if s.status is StepStatus.MISSED})
    )
    ages_out = target_group.ages_out(case.youth)
    items: list[WorkItem] = []
    horizon = on + dt.timedelta(days=window)
    if (ages_out - on).days <= age_out_days:
        items.append(
            base.item(
                kind=ItemKind.AGES_OUT,
                status=ItemStatus.UPCOMING,
                what="Fyller 20 år: avsluta aktivitetsansvaret och lämna över",
                due=ages_out,
                rule_id="kaa.target_group.age",
                citation=str(_CH29_S9),
                note=f"turns 20 on {ages_out.isoformat()}",
            )
        )
    for state in states:
        if state.status is not StepStatus.PENDING:
            continue
        item = _step_item(state, on=on, horizon=horizon, base=base)
        if item is not None:
            items.append(base.item(rule_id=rule_id, citation=citation, **item))
    flag = _not_reached(states, case, on)
    if flag is not None:
        items.append(
            base.item(
                kind=ItemKind.NOT_REACHED,
                status=ItemStatus.FLAGGED,
                what="Ej nådd: sysselsättning okänd; fortsätt söka kontakt löpande under året",
                due=flag,
                rule_id=rule_id,
                citation=f"{citation}; {_CH29_S9}",
                note=f"every step of the timetable done or not applicable since {flag}",
            )
        )
    items.extend(_plan_item(case, on=on, horizon=horizon, hooks=hooks, base=base))
    return items


@attrs.frozen
class _Base:
    youth: IdentityNumber
    case_ref: str
    municipality: str
    case_worker: str | None
    name: str | None = attrs.field(repr=False)
    phone: str | None = attrs.field(repr=False)
    missed: int = 0

    def item(self, **fields: Any) -> WorkItem:
        return WorkItem(
            youth=self.youth,
            case_ref=self.case_ref,
            municipality=self.municipality,
            case_worker=self.case_worker,
            missed_steps=self.missed,
            name=self.name,
            phone=self.phone,
            **fields,
        )


def _close_item(case: Case, *, on: dt.date, hooks: Hooks | None, base: _Base) -> WorkItem | None:
    """The one "close the case" item of a case whose youth has left the target group."""
    ages_out = target_group.ages_out(case.youth)
    if ages_out <= on:
        return base.item(
            kind=ItemKind.AGES_OUT,
            status=ItemStatus.OVERDUE,
            what="Registrera att aktivitetsansvaret har upphört (fyllt 20 år)",
            due=ages_out,
            days_overdue=(on - ages_out).days,
            rule_id="kaa.target_group.age",
            citation=str(_CH29_S9),
            note=f"turned 20 on {ages_out.isoformat()}; the case is still open",
        )
    decision = target_group.assess(
        case.youth,
        on=on,
        municipality=case.municipality,
        equivalence=(
            hooks.counts_as_equivalent_education
            if hooks is not None
            else target_group.national_equivalence
        ),
    )
    gone = leaving(case.youth, decision)
    missing = case.missing_from_register
    if gone is None and missing is not None and missing <= on:
        return base.item(
            kind=ItemKind.CLOSE,
            status=ItemStatus.DECIDE,
            what="Saknas i registret: ta ställning till om aktivitetsansvaret har upphört",
            due=missing,
            rule_id="kaa.sync.missing_from_register",
            citation=str(_CH29_S9),
            note=f"not in the register export since {missing.isoformat()} (moved away? an "
            "error in the export?): check, then record the end of KAA or correct the register",
        )
    if gone is None:
        return None
    reason = gone.condition.rule_id
    citation = str(next(r.citation for r in decision.reasons if r.condition is gone.condition))
    if gone.settled and gone.day is not None and gone.day < case.registration.day:
        return base.item(
            kind=ItemKind.CLOSE,
            status=ItemStatus.DECIDE,
            what="Ta ställning till om aktivitetsansvaret har upphört (uppgifterna är äldre "
            "än registreringen)",
            due=on,
            rule_id=reason,
            citation=citation,
            note=f"{gone.explanation}, before the registration on "
            f"{case.registration.day.isoformat()}: check the facts before recording the end",
        )
    if gone.settled:
        assert gone.reason is not None
        assert gone.day is not None
        # the end cannot come before what is already recorded on the case
        due = max([gone.day, *(c.day for c in case.contacts if c.day <= on)])
        return base.item(
            kind=ItemKind.CLOSE,
            status=ItemStatus.OVERDUE if due < on else ItemStatus.DUE,
            what=f"Avsluta ärendet: {gone.reason.label_sv}",
            due=due,
            days_overdue=max(0, (on - due).days),
            rule_id=reason,
            citation=citation,
            note=f"{gone.explanation}; record the end of KAA ({gone.reason.value})",
        )
    return base.item(
        kind=ItemKind.CLOSE,
        status=ItemStatus.DECIDE,
        what="Ta ställning till om aktivitetsansvaret har upphört",
        due=on,
        rule_id=reason,
        citation=citation,
        note=f"{gone.explanation}; {gone.explanation_sv}",
    )


def _step_item(
    state: StepState, *, on: dt.date, horizon: dt.date, base: _Base
) -> dict[str, Any] | None:
    step = state.step
    assert state.opens is not None
    assert state.due is not None
    if step.decision:
        kind = ItemKind.DECISION
    elif step.anchor is Anchor.DECLINED:
        kind = ItemKind.RE_CONTACT
    else:
        kind = ItemKind.CONTACT
    days_overdue = 0
    if state.opens > on:
        if state.opens > horizon:
            return None
        status = ItemStatus.UPCOMING
    elif step.decision:
        status = ItemStatus.DECIDE
    elif step.timing in (Timing.FROM, Timing.NO_EARLIER_THAN):  # no deadline, only a start
        status = ItemStatus.DUE
    elif state.due < on:
        status = ItemStatus.OVERDUE
        days_overdue = (on - state.due).days
    else:
        status = ItemStatus.DUE
    note = step.how
    if step.decision:
        note = "a decision for the case worker, never automatic; " + step.how
    return {
        "kind": kind,
        "status": status,
        "what": step.what,
        "step": step.id,
        "channel": step.channel if step.action is Action.CONTACT else None,
        "contacted": state.contacted if step.action is Action.CONTACT else None,
        "opens": state.opens,
        "due": state.due,
        "days_overdue": days_overdue,
        "note": note,
    }


def _not_reached(states: Iterable[StepState], case: Case, on: dt.date) -> dt.date | None:
    """The day the timetable ran out for a youth still not reached, else ``None``."""
    if case.reached(on):
        return None
    reaching = [
        s
        for s in states
        if s.step.while_not_reached and not s.step.decision and s.step.action is Action.CONTACT
    ]
    finished = (StepStatus.DONE, StepStatus.MISSED, StepStatus.NOT_APPLICABLE)
    if any(s.status not in finished for s in reaching):
        return None
    return max(
        (s.done_on for s in reaching if s.done_on is not None), default=case.registration.day
    )


def _plan_item(
    case: Case, *, on: dt.date, horizon: dt.date, hooks: Hooks | None, base: _Base
) -> list[WorkItem]:
    policy_for = hooks.plan_follow_up_policy if hooks is not None else national_follow_up_policy
    due = next_follow_up_due(case, on=on, policy=policy_for)
    if due is None or due > horizon or case.plan is None:
        return []
    last = case.plan.last_follow_up(on)
    policy = policy_for(case.municipality)
    version = policy.at(last or on)
    if due < on:
        status, days = ItemStatus.OVERDUE, (on - due).days
    elif due == on:
        status, days = ItemStatus.DUE, 0
    else:
        status, days = ItemStatus.UPCOMING, 0
    return [
        base.item(
            kind=ItemKind.PLAN_FOLLOW_UP,
            status=status,
            what="Följ upp den individuella planen",
            due=due,
            days_overdue=days,
            rule_id=policy.rule_id,
            citation=str(version.citation),
            note=f"last follow-up {last.isoformat()}" if last else "",
        )
    ]


def build_worklist(
    cases: Iterable[Case | StoredCase],
    *,
    on: dt.date,
    window: int = DEFAULT_WINDOW,
    hooks: Hooks | None = None,
    timetable: Timeline[Timetable] | None = None,
    age_out_days: int = AGE_OUT_DAYS,
    progress: Callable[[], None] | None = None,
) -> Worklist:
    """Build the worklist for ``on`` over ``cases``.

    Cases that are not open on ``on`` are skipped. Each municipality's timetable is asked
    for once (through :meth:`kaa.plugins.manager.Hooks.contact_timetable`).

    Args:
        cases: The register's cases (any municipalities): cases from a file, each numbered
            by its place (``"#1"``, ``"#2"`` …), or a store's cases
            (:meth:`kaa.store.CaseStore.cases`), numbered by their case ids.
        on: The day.
        window: Days ahead that upcoming items are shown.
        hooks: The plugin facade; the national defaults when ``None`` (:func:`kaa.build_worklist`
            passes the installed plugins').
        timetable: Use this timetable for every case instead of asking the hooks.
        age_out_days: List youths who turn 20 within this many days.
        progress: Called once per case read (e.g. to advance a progress bar).

    Returns:
        The worklist.

    Raises:
        RuleNotInForce: If a municipality's timetable is not in force on ``on``.
    """
    require_date(on, "on", where="build_worklist")
    require_instance(window, int, "window", where="build_worklist")
    require_instance(age_out_days, int, "age_out_days", where="build_worklist")
    require_instance(hooks, Hooks, "hooks", where="build_worklist", optional=True)
    timelines: dict[str, Timeline[Timetable]] = {}
    items: list[WorkItem] = []
    count = 0
    for place, entry in enumerate(cases, start=1):
        if progress is not None:
            progress()
        require_instance(entry, (Case, StoredCase), f"cases[{place - 1}]", where="build_worklist")
        if isinstance(entry, StoredCase):
            case, ref = entry.case, entry.case_id
        else:
            case, ref = entry, f"#{place}"
        if not case.open_on(on):
            continue
        count += 1
        chosen = timetable
        if chosen is None:
            chosen = timelines.get(case.municipality)
            if chosen is None:
                chosen = timelines[case.municipality] = (
                    hooks.contact_timetable(case.municipality)
                    if hooks is not None
                    else national_timetable()
                )
        items.extend(
            case_items(
                case,
                on=on,
                window=window,
                hooks=hooks,
                timetable=chosen,
                age_out_days=age_out_days,
                case_ref=ref,
            )
        )
    return Worklist(day=on, window=window, cases=count, items=tuple(items), hooks=hooks)


# -- output -----------------------------------------------------------------------------------


def write_worklist_csv(worklist: Worklist, out: IO[str], *, reveal_ids: bool = False) -> int:
    """Write the items as CSV with :data:`CSV_COLUMNS`; returns the number of rows.

    Args:
        worklist: The worklist.
        out: A text stream opened with ``newline=""``.
        reveal_ids: Write whole identity numbers (masked by default).
    """
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in worklist.items:
        row = item.as_row(reveal_ids=reveal_ids)
        writer.writerow({key: spreadsheet_cell(value) for key, value in row.items()})
    return len(worklist.items)


def write_rows_csv(worklist: Worklist, out: IO[str], *, reveal_ids: bool = False) -> int:
    """Write the list a person works from (:meth:`Worklist.rows`) as CSV for people; returns
    the number of rows.

    The columns are the workbook's (:data:`kaa.formats.workbook.HEADINGS`, Swedish
    headings, the fill-in columns empty), ``;`` between cells, UTF-8 with a byte-order mark:
    Swedish Excel opens it in columns with å, ä and ö intact. Cells that would start a
    formula are escaped. For machines, :func:`write_worklist_csv` writes the items.

    Args:
        worklist: The worklist.
        out: A text stream opened with ``newline=""`` and UTF-8.
        reveal_ids: Write whole identity numbers (masked by default).
    """
    return write_sheet_csv((row.cells(reveal_ids=reveal_ids) for row in worklist.rows()), out)


def about_rows(
    worklist: Worklist, rows: Iterable[YouthRow], *, reveal_ids: bool = False
) -> list[tuple[str, str]]:
    """What a workbook of ``rows`` is, for its sheet *Om listan*: the day, the
    municipalities, the case workers, the rules the rows follow (with their citations),
    whether identity numbers are masked, and how to fill it in."""
    shown = tuple(rows)
    municipalities = sorted({row.municipality for row in shown})
    workers = sorted({row.case_worker or NO_CASE_WORKER for row in shown})
    rules: dict[str, str] = {}
    for row in shown:
        for item in (row.next, *row.others):
            rules.setdefault(item.rule_id, item.citation)
    ids = (
        "hela personnummer (--reveal-ids): hantera filen varsamt och radera den när arbetet "
        "är inläst"
        if reveal_ids
        else "maskerade (ÅÅÅÅMMDD-****); kolumnen Ärende skiljer ungdomar med lika "
        "maskerade nummer åt"
    )
    return [
        ("Arbetslista", f"Arbetslista {worklist.day.isoformat()}"),
        ("Dag", worklist.day.isoformat()),
        (
            "Kommun",
            ", ".join(f"{code} {municipality(code).name}" for code in municipalities) or "–",
        ),
        ("Handläggare", ", ".join(workers) or "–"),
        (
            "Rader",
            f"{len(shown)} ärenden med något att göra i dag, ett per rad (nästa steg först, "
            "missade tidigare steg räknade i kolumnen Missade steg)",
        ),
        *((f"Regel {rule_id}", citation) for rule_id, citation in sorted(rules.items())),
        ("Personnummer", ids),
        (
            "Namn och telefon",
            "kontaktuppgifter som registret får innehålla "
            f"(4 § {FORORDNING_2006_39.title} ({FORORDNING_2006_39.sfs})); adress skrivs "
            "aldrig ut",
        ),
        (
            "Så fyller du i",
            "Fyll i kolumnerna Utfört datum till Sysselsättning på raden för det du har gjort: "
            "Utfört datum och Resultat krävs, Utförd kanal (annars gäller kolumnen Kanal); "
            "välj ur listorna. Läs sedan in arket med kaa import. Skriv inget annat i arket: "
            "känsliga personuppgifter får inte föras in i registret (5 § förordningen "
            f"({FORORDNING_2006_39.sfs})).",
        ),
    ]


def write_rows_workbook(worklist: Worklist, path: Path | str, *, reveal_ids: bool = False) -> int:
    """Write the list a person works from as an Excel workbook by the workbook contract
    (:func:`kaa.formats.workbook.write_workbook`: the sheet *Arbetslista* with the rows and
    the empty fill-in columns with Swedish validation lists, *Listor*, *Om listan*);
    returns the number of rows. Linear in the number of rows.

    Args:
        worklist: The worklist (e.g. one case worker's, :meth:`Worklist.only`).
        path: The ``.xlsx`` file, written atomically.
        reveal_ids: Write whole identity numbers (masked by default).

    Raises:
        WorkbookUnavailable: If the optional extra ``excel`` (openpyxl) is not installed.
        OutputError: If the file cannot be written.
    """
    rows = worklist.rows()
    return write_workbook(
        path,
        (row.cells(reveal_ids=reveal_ids) for row in rows),
        about=about_rows(worklist, rows, reveal_ids=reveal_ids),
    )


def write_worklist_json(
    worklist: Worklist, out: IO[str], *, reveal_ids: bool = False, group_by: GroupBy | None = None
) -> int:
    """Write the worklist as one JSON object; returns the number of items.

    The object has ``day``, ``window``, ``cases``, ``counts`` and either ``items`` or, when
    ``group_by`` is given, ``groups`` (a list of ``{"group": key, "items": [...]}``).
    """
    doc: dict[str, object] = {
        "day": worklist.day.isoformat(),
        "window": worklist.window,
        "cases": worklist.cases,
        "counts": {status.value: n for status, n in worklist.counts().items()},
    }
    if group_by is None:
        doc["items"] = [item.as_row(reveal_ids=reveal_ids) for item in worklist.items]
    else:
        doc["groups"] = [
            {"group": key, "items": [item.as_row(reveal_ids=reveal_ids) for item in items]}
            for key, items in worklist.grouped(group_by)
        ]
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(worklist.items)


def format_table(
    worklist: Worklist, *, group_by: GroupBy = "case-worker", reveal_ids: bool = False
) -> str:
    """The worklist as a plain-text table, one section per group.

    >>> print(format_table(Worklist(day=dt.date(2026, 11, 23))))
    Arbetslista 2026-11-23 (0 öppna ärenden, 0 poster)
    Inget att göra.
    """
    lines = [
        f"Arbetslista {worklist.day.isoformat()} ({worklist.cases} öppna ärenden, "
        f"{len(worklist)} poster)"
    ]
    if not worklist.items:
        lines.append("Inget att göra.")
        return "\n".join(lines)
    headers = ("status", "dag", "dagar sen", "id", "steg", "vad", "kanal", "till")
    for key, items in worklist.grouped(group_by):
        rows = [
            (
                item.status.label_sv,
                item.due.isoformat() if item.due else "",
                str(item.days_overdue) if item.days_overdue else "",
                item.youth.full() if reveal_ids else item.youth.masked(),
                item.step or item.kind.value,
                item.what,
                item.channel.label_sv if item.channel else "",
                item.contacted.label_sv if item.contacted else "",
            )
            for item in items
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        lines.append("")
        lines.append(f"== {key} ({len(items)}) ==")
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        for row in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return terminal_text("\n".join(lines))


def worklist_table(worklist: Worklist) -> list[dict[str, Any]]:
    """One plain dict per item, identity numbers masked, days as dates and counts as
    integers: straight into ``pandas.DataFrame`` or ``polars.DataFrame`` (or
    :func:`kaa.formats.decisions.to_arrow`).

    >>> worklist_table(Worklist(day=dt.date(2026, 11, 23)))
    []
    """
    return [
        {
            **item.as_row(),
            "due": item.due,
            "opens": item.opens,
            "days_overdue": item.days_overdue,
            "missed_steps": item.missed_steps,
        }
        for item in worklist.items
    ]
