"""Snapshot: Askersund's contact timetable applied to a handful of sample cases over a year.

For each sample case the snapshot holds every day on which the case's worklist changed
(items appearing, changing status or disappearing), from the registration day to one year
later, and the state of every timetable step at the end. Youths are Skatteverket test
numbers, masked.
"""

from __future__ import annotations

import datetime as dt

from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    Measure,
    Registration,
)
from kaa.model.youth import Residence, Youth
from kaa.municipal import askersund
from kaa.plugins.manager import Hooks
from kaa.rules.contact import step_states
from kaa.testing import skatteverket_number
from kaa.worklist import case_items
from snapshot_generators import dump

__all__ = ["SAMPLE_CASES", "SNAPSHOTS", "schedule"]

D = dt.date
NAME = "askersund-schedule.json"


def _youth(born: dt.date) -> Youth:
    return Youth(
        id=skatteverket_number(born),
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=D(born.year + 16, 6, 10),
    )


def _contact(
    day: dt.date,
    channel: Channel,
    outcome: ContactOutcome = ContactOutcome.NO_ANSWER,
    contacted: Contacted = Contacted.YOUTH,
    activity: Activity | None = None,
) -> Contact:
    return Contact(
        day=day, channel=channel, outcome=outcome, contacted=contacted, activity=activity
    )


def _case(
    born: dt.date,
    registered: dt.date,
    *contacts: Contact,
    phone: bool = True,
    measures: tuple[Measure, ...] = (),
) -> Case:
    return Case(
        youth=_youth(born),
        municipality="1882",
        registration=Registration(day=registered),
        contacts=contacts,
        measures=measures,
        case_worker="Handläggare A",
        contact_details=ContactDetails(phone="070-000 00 00" if phone else None),
    )


SAMPLE_CASES: dict[str, Case] = {
    "reached by the first phone call": _case(
        D(2008, 1, 1),
        D(2026, 1, 12),
        _contact(D(2026, 1, 14), Channel.POSTCARD, ContactOutcome.SENT),
        _contact(D(2026, 1, 19), Channel.PHONE, ContactOutcome.REACHED, activity=Activity.WORK),
    ),
    "never reached: the whole routine, then flagged": _case(
        D(2008, 2, 1),
        D(2026, 2, 2),
        _contact(D(2026, 2, 4), Channel.POSTCARD, ContactOutcome.SENT),
        _contact(D(2026, 2, 9), Channel.PHONE, ContactOutcome.MESSAGE_LEFT),
        _contact(D(2026, 2, 10), Channel.SMS, ContactOutcome.NO_ANSWER),
        _contact(D(2026, 2, 27), Channel.POSTCARD, ContactOutcome.SENT),
        _contact(D(2026, 3, 30), Channel.LETTER, ContactOutcome.RETURNED_MAIL),
    ),
    "under 18 at registration: the guardian too": _case(
        D(2009, 6, 1),
        D(2026, 3, 2),
        _contact(D(2026, 3, 3), Channel.POSTCARD, ContactOutcome.SENT),
        _contact(D(2026, 3, 3), Channel.POSTCARD, ContactOutcome.SENT, Contacted.GUARDIAN),
        _contact(D(2026, 3, 10), Channel.PHONE, ContactOutcome.NO_ANSWER),
        _contact(
            D(2026, 3, 11),
            Channel.PHONE,
            ContactOutcome.REACHED,
            Contacted.GUARDIAN,
            activity=Activity.NO_ACTIVITY,
        ),
    ),
    "no phone number and nothing done": _case(D(2008, 3, 1), D(2026, 4, 1), phone=False),
    "declined support while working: re-contact after three months": _case(
        D(2008, 4, 1),
        D(2026, 5, 4),
        _contact(D(2026, 5, 6), Channel.PHONE, ContactOutcome.REACHED, activity=Activity.WORK),
        _contact(D(2026, 9, 1), Channel.PHONE, ContactOutcome.REACHED, activity=Activity.WORK),
        measures=(
            Measure(
                id="m1",
                type="study_guidance",
                offered=D(2026, 5, 20),
                declined=True,
                decline_reason="arbetar heltid",
            ),
        ),
    ),
    "turns 20 during the year": _case(D(2006, 10, 2), D(2026, 8, 17)),
}
"""The sample cases, by a sentence that says what each shows."""


def _signature(case: Case, day: dt.date, hooks: Hooks) -> list[dict[str, str]]:
    return [
        {
            "kind": item.kind.value,
            "step": item.step or "",
            "contacted": item.contacted.value if item.contacted else "",
            "status": item.status.value,
            "opens": item.opens.isoformat() if item.opens else "",
            "due": item.due.isoformat() if item.due else "",
        }
        for item in sorted(case_items(case, on=day, hooks=hooks), key=lambda i: i.sort_key())
    ]


def schedule(case: Case, hooks: Hooks) -> dict[str, object]:
    """The schedule of one case: each day its worklist changed, and the steps at the end."""
    start = case.registration.day
    end = start + dt.timedelta(days=365)
    changes: list[dict[str, object]] = []
    previous: list[dict[str, str]] | None = None
    day = start
    while day <= end:
        items = _signature(case, day, hooks)
        if items != previous:
            changes.append({"day": day.isoformat(), "items": items})
            previous = items
        day += dt.timedelta(days=1)
    timeline = askersund.timetable()
    assert timeline is not None
    steps = [
        {
            "step": s.step.id,
            "contacted": s.contacted.value,
            "status": s.status.value,
            "opens": s.opens.isoformat() if s.opens else "",
            "due": s.due.isoformat() if s.due else "",
            "done_on": s.done_on.isoformat() if s.done_on else "",
            "note": s.note,
        }
        for s in step_states(case, timeline.value_at(end), on=end)
    ]
    return {
        "youth": case.youth.id.masked(),
        "registered": start.isoformat(),
        "until": end.isoformat(),
        "worklist_changes": changes,
        "steps_at_the_end": steps,
    }


def generate() -> str:
    """The snapshot's text."""
    hooks = Hooks.with_plugins(load_entrypoints=False)
    timeline = askersund.timetable()
    assert timeline is not None
    return dump(
        {
            "timetable": timeline.rule_id,
            "cases": {name: schedule(case, hooks) for name, case in SAMPLE_CASES.items()},
        }
    )


SNAPSHOTS = {NAME: generate}
