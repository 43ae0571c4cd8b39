"""Hypothesis strategies for the library's models, shared by the test modules.

Import with ``from strategies import youths`` (``tests`` is on pytest's ``pythonpath``).
Identity numbers are Skatteverket test numbers or synthetic interim numbers only.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import strategies as st

from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    MeasureCategory,
    MeasureEndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.period import HalfYear
from kaa.scb.submission import (
    ContactRecord,
    KaaEnded,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
)
from kaa.testing import interim_number, skatteverket_numbers

__all__ = [
    "BAD_REGISTER_YES_NO",
    "BAD_YES_NO",
    "CONTROL_CHARACTERS",
    "DECODER_FAULTS",
    "HUGE_TEXT",
    "NOT_BOOLEANS",
    "NOT_LISTS",
    "NOT_TEXTS",
    "bad_dates",
    "case_targets",
    "cases",
    "contacts",
    "csv_faults",
    "dates",
    "enrolments",
    "faulty_csv_line",
    "huge_digits",
    "identity_numbers",
    "json_record_fault",
    "line_endings",
    "measures",
    "qualifications",
    "residences",
    "scb_records",
    "scb_submissions",
    "trailing_dates",
    "youth_targets",
    "youths",
]

MUNICIPALITIES = ("0180", "1882", "1488", "1780", "0114", "2584")

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2032, 12, 31))
"""Days in the range the library's tests care about."""

identity_numbers = st.one_of(
    st.sampled_from(skatteverket_numbers()).map(IdentityNumber.parse),
    st.builds(
        interim_number,
        st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2012, 12, 31)),
        st.integers(min_value=0, max_value=1099),
    ),
)
"""Skatteverket test personnummer and synthetic interim numbers."""


@st.composite
def residences(draw: st.DrawFn) -> Residence:
    """A residence with an optional start and an end not before it."""
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Residence(
        municipality=draw(st.sampled_from(MUNICIPALITIES)),
        basis=draw(st.sampled_from(HomeBasis)),
        start=start,
        end=end,
    )


@st.composite
def enrolments(draw: st.DrawFn) -> Enrolment:
    """An enrolment in any school form and programme."""
    start = draw(dates)
    end = draw(st.none() | dates.filter(lambda d: d >= start))
    return Enrolment(
        school_form=draw(st.sampled_from(SchoolForm)),
        programme=draw(st.sampled_from(Programme)),
        start=start,
        end=end,
        cancelled=draw(st.booleans()) if end is not None else False,
    )


qualifications = st.builds(Qualification, kind=st.sampled_from(QualificationKind), issued=dates)
"""A certificate or degree."""


@st.composite
def youths(draw: st.DrawFn) -> Youth:
    """A youth with any combination of facts."""
    arrival = draw(st.none() | dates)
    return Youth(
        id=draw(identity_numbers),
        residences=tuple(draw(st.lists(residences(), max_size=3))),
        compulsory_school_completed=draw(st.none() | dates),
        folkbokford_in_sweden=arrival,
        arrived_after_compulsory_school_age=draw(st.none() | st.booleans()) if arrival else None,
        enrolments=tuple(draw(st.lists(enrolments(), max_size=3))),
        qualifications=tuple(draw(st.lists(qualifications, max_size=2))),
    )


def _day_in(draw: st.DrawFn, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=draw(st.integers(0, (last - first).days)))


@st.composite
def contacts(draw: st.DrawFn, first: dt.date, last: dt.date) -> Contact:
    """A contact attempt on a day from ``first`` to ``last``; an activity only when reached."""
    outcome = draw(st.sampled_from(ContactOutcome))
    activity = draw(st.none() | st.sampled_from(Activity)) if outcome.reached else None
    return Contact(
        day=_day_in(draw, first, last),
        channel=draw(st.sampled_from(Channel)),
        contacted=draw(st.sampled_from(Contacted)),
        outcome=outcome,
        activity=activity,
    )


@st.composite
def measures(draw: st.DrawFn, id: str, first: dt.date, last: dt.date) -> Measure:
    """A measure offered, started and ended (each optional) between ``first`` and ``last``."""
    offered = _day_in(draw, first, last)
    declined = draw(st.booleans())
    if declined:
        return Measure(
            id=id,
            type=draw(st.sampled_from(("study_guidance", "coaching", "other"))),
            offered=offered,
            declined=True,
            decline_reason=draw(st.none() | st.just("har arbete")),
        )
    start = _day_in(draw, offered, last) if draw(st.booleans()) else None
    end = None
    if start is not None and draw(st.booleans()):
        end = _day_in(draw, start, last)
    return Measure(
        id=id,
        type=draw(st.sampled_from(("study_guidance", "introduction_programme", "other"))),
        offered=offered,
        start=start,
        end=end,
        end_reason=draw(st.none() | st.sampled_from(MeasureEndReason)) if end else None,
        activity_after=draw(st.none() | st.sampled_from(Activity)),
    )


@st.composite
def cases(draw: st.DrawFn, youth: st.SearchStrategy[Youth] | None = None) -> Case:
    """A valid case: every event between the registration and the end of KAA."""
    the_youth = draw(youth if youth is not None else youths())
    registered = draw(dates)
    end = None
    if draw(st.booleans()):
        end = KaaEnd(
            day=registered + dt.timedelta(days=draw(st.integers(0, 800))),
            reason=draw(st.sampled_from(EndReason)),
        )
    last = end.day if end is not None else registered + dt.timedelta(days=800)
    n_measures = draw(st.integers(0, 3))
    details = None
    if draw(st.booleans()):
        address = None
        if not the_youth.has_protected_identity and draw(st.booleans()):
            address = Address(street="Storgatan 1", postal_code="69630", city="Askersund")
        details = ContactDetails(
            name=draw(st.none() | st.just("Test Testsson")),
            address=address,
            email=draw(st.none() | st.just("test@example.se")),
            phone=draw(st.none() | st.just("070-000 00 00")),
        )
    return Case(
        youth=the_youth,
        municipality=draw(st.sampled_from(MUNICIPALITIES)),
        registration=Registration(
            day=registered,
            source=draw(st.sampled_from(RegistrationSource)),
            reason=draw(st.sampled_from(RegistrationReason)),
            activity=draw(st.sampled_from(Activity)),
        ),
        contacts=tuple(draw(st.lists(contacts(registered, last), max_size=4))),
        measures=tuple(draw(measures(f"m{i + 1}", registered, last)) for i in range(n_measures)),
        end=end,
        case_worker=draw(st.none() | st.just("handläggare-1")),
        contact_details=details,
    )


# --- hostile input: what a careless export, a hand edit or an attacker writes ---------------
#
# The readers promise that every row is accepted *unchanged* or reported; these strategies
# generate the classes of fault that broke the promise before (issue 11): stray and
# unbalanced quotes, rows with a cell too few or too many, text after a date, yes/no words
# and JSON values of the wrong type, huge numbers and cells, control characters, byte-order
# marks and mixed line endings.

trailing_dates = st.builds(
    lambda day, tail: day.isoformat() + tail,
    dates,
    st.sampled_from(["99", " x", "x", "T25:00", " 00:00:00x", "-01", "\x00", ".5", "T", "Z"]),
)
"""An ISO date followed by text (``2024-06-1299``, ``2024-06-12 x``): never the date."""

bad_dates = st.one_of(
    trailing_dates,
    st.sampled_from(
        [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-6-12",
            "24-06-12",
            "+2024-06-12",
            "\uff12\uff10\uff12\uff14-06-12",  # full-width digits
            "2024-W24-3",
            "12/06/2024",
            "2024-06-12/2024-06-13",
            "x",
        ]
    ),
)
"""Texts that are not a date in any form the library documents."""

BAD_YES_NO = ("nej?", "x", "sant", "y", "2", "-1", "jaa", "yes please", "t", "on", "avbrott")
"""Words that are not one of the canonical CSV's documented yes/no words."""

BAD_REGISTER_YES_NO = ("kanske", "nej?", "2", "jaa", "yes please", "on", "ok", "Avbrott", "1 0")
"""Words that are not one of a register export's documented yes/no words. (``-1`` is not
here: a register value is compared as a heading is, hyphens as spaces, so it reads as ``1``;
see ``test_a_yes_no_word_with_a_hyphen_is_not_read_as_another_word`` in
``tests/adapters/test_properties.py``.)"""

NOT_BOOLEANS: tuple[object, ...] = (
    "nej", "false", "0", "true", "ja", "", "no", 0, 1, 2.5, [], {}, [True], None,
)  # fmt: skip
"""JSON values that are not ``true``/``false`` (a string or number is never read as one)."""

NOT_TEXTS: tuple[object, ...] = ([], {}, 2.5, 1882, True, ["1882"], {"value": "1882"})
"""JSON values that are not text, where text (a code, a date) is expected."""

NOT_LISTS: tuple[object, ...] = ({}, "x", 2.5, 1, True, None, {"data": []})
"""JSON values that are not a list, where a list is expected."""

CONTROL_CHARACTERS = ("\x00", "\x1b[31m", "\x07", "\u2028", "\x85", "\ufeff", "\u202e", "\x7f")
"""Characters no code, date or number contains."""

HUGE_TEXT = "x" * 200_000
"""A cell longer than every reader's limit (131,072 characters)."""


def huge_digits(min_size: int = 31, max_size: int = 5_000) -> st.SearchStrategy[str]:
    """A run of digits: a JSON number of more than 30 digits is refused, and no code or date
    of the library is that long."""
    return st.integers(min_size, max_size).map(lambda n: "9" * n)


line_endings = st.sampled_from(["\n", "\r\n", "\r"])
"""A line ending: Unix, Windows or old Mac (a file may mix them)."""


csv_faults = st.sampled_from(
    [
        "stray quote",  # a quote opened and never closed on the line
        "text after quote",  # "ab"c
        "short row",  # a separator lost: one cell too few
        "long row",  # a separator added: one cell too many, values moved
        "huge cell",  # a cell longer than the CSV field limit
    ]
)
"""Faults of CSV structure: each makes the line one that no strict reader accepts."""


@st.composite
def faulty_csv_line(draw: st.DrawFn, cells: list[str], sep: str, fault: str, first: int = 0) -> str:
    """The line for ``cells`` with the structural ``fault`` (one of :data:`csv_faults`) in a
    cell from index ``first`` on.

    A long row has a cell added *inside* it (not at the end), so the values after it move
    one column right, as an extra separator in an export does; a short row loses a cell.
    """
    cells = list(cells)
    at = draw(st.integers(min(first, len(cells) - 1), len(cells) - 1))
    if fault == "stray quote":
        cells[at] = '"' + cells[at]
    elif fault == "text after quote":
        cells[at] = f'"{cells[at]}"{draw(st.sampled_from(["x", " ", "0", chr(34) + "y"]))}'
    elif fault == "short row":
        del cells[at]
    elif fault == "long row":
        cells.insert(at, draw(st.sampled_from(["", "x", "0", " "])))
    elif fault == "huge cell":
        cells[at] = HUGE_TEXT
    else:  # pragma: no cover - a misspelt fault in a test
        raise ValueError(fault)
    return sep.join(cells)


# --- faults in one JSON record (a youth or a case, as ``kaa.convert.to_dict`` writes it) --

JsonPath = tuple[str | int, ...]


def youth_targets(youth: dict[str, Any], prefix: JsonPath = ()) -> list[tuple[str, JsonPath]]:
    """The fields of a youth's JSON object a fault can be put in, each with its kind: ``bool``,
    ``date``, ``code`` (an enum value or a kommunkod) or ``list``."""
    found: list[tuple[str, JsonPath]] = [
        ("bool", (*prefix, "arrived_after_compulsory_school_age")),
        ("date", (*prefix, "compulsory_school_completed")),
        ("date", (*prefix, "folkbokford_in_sweden")),
    ]
    found += [("list", (*prefix, key)) for key in ("residences", "enrolments", "qualifications")]
    for i, _ in enumerate(youth["residences"]):
        at = (*prefix, "residences", i)
        found += [("code", (*at, "municipality")), ("code", (*at, "basis"))]
        found += [("date", (*at, "start")), ("date", (*at, "end"))]
    for i, _ in enumerate(youth["enrolments"]):
        at = (*prefix, "enrolments", i)
        found += [("code", (*at, "school_form")), ("code", (*at, "programme"))]
        found += [("date", (*at, "start")), ("date", (*at, "end")), ("bool", (*at, "cancelled"))]
    for i, _ in enumerate(youth["qualifications"]):
        at = (*prefix, "qualifications", i)
        found += [("code", (*at, "kind")), ("date", (*at, "issued"))]
    return found


def case_targets(case: dict[str, Any]) -> list[tuple[str, JsonPath]]:
    """The fields of a case's JSON object a fault can be put in (see :func:`youth_targets`);
    ``text`` is free text, where only a value that is not text is a fault."""
    found = youth_targets(case["youth"], ("youth",))
    found += [("code", ("municipality",)), ("date", ("registration", "day"))]
    found += [("code", ("registration", key)) for key in ("source", "reason", "activity")]
    found += [("list", (key,)) for key in ("contacts", "measures", "consents")]
    found += [("text", ("case_worker",))]
    for i, _ in enumerate(case["contacts"]):
        at = ("contacts", i)
        found += [("date", (*at, "day")), ("code", (*at, "activity"))]
        found += [("code", (*at, key)) for key in ("channel", "contacted", "outcome")]
    for i, _ in enumerate(case["measures"]):
        at = ("measures", i)
        found += [("text", (*at, "id")), ("date", (*at, "offered")), ("bool", (*at, "declined"))]
        found += [("date", (*at, "start")), ("date", (*at, "end"))]
        found += [("code", (*at, "end_reason")), ("code", (*at, "activity_after"))]
    if case["end"] is not None:
        found += [("date", ("end", "day")), ("code", ("end", "reason"))]
    return found


_NOT_A_CODE = ("bogus", "", "national ", " 1882", "GYMNASIESKOLA", "x" * 300)
_WRONG: dict[str, st.SearchStrategy[object]] = {
    "bool": st.sampled_from([v for v in NOT_BOOLEANS if v is not None]),
    "date": bad_dates | st.sampled_from(NOT_TEXTS) | st.just(20240612),
    "code": st.sampled_from(_NOT_A_CODE + NOT_TEXTS),
    "list": st.sampled_from([v for v in NOT_LISTS if v is not None]) | st.just(None),
    "text": st.sampled_from(NOT_TEXTS),
}
"""For each kind of field, values a strict reader never accepts in it."""

DECODER_FAULTS = ("huge number", "huge text", "duplicate key", "NaN", "raw control character")
"""Faults in the JSON text itself: a JSON array file is refused whole, a JSON Lines file
rejects the line."""


@st.composite
def json_record_fault(
    draw: st.DrawFn,
    record: dict[str, Any],
    targets: list[tuple[str, JsonPath]],
    kinds: tuple[str, ...] = ("value", "value", "value", "key", "record", "decoder"),
) -> tuple[str, bool]:
    """The JSON text of ``record`` with one fault, and whether it is a fault of the JSON text
    (:data:`DECODER_FAULTS`) rather than of a value.

    Value faults: a field of ``targets`` given a value of the wrong type or an unknown word
    (``"nej"`` or ``0`` for a boolean, ``2024-06-1299`` or ``[]`` for a date, ``2.5`` for a
    code, ``{}`` for a list), an unknown key, a required key left out, or the record not an
    object at all. ``record`` must hold a ``null`` ``birth_date`` (the decoder faults go
    there). ``kinds`` are the kinds of fault drawn from: ``value``, ``key``, ``record`` and
    ``decoder``.
    """
    kind = draw(st.sampled_from(kinds))
    if kind == "decoder":
        fault = draw(st.sampled_from(DECODER_FAULTS))
        text = json.dumps(record, ensure_ascii=draw(st.booleans()))
        if fault == "huge number":
            value = draw(huge_digits())
        elif fault == "huge text":
            value = json.dumps(HUGE_TEXT)
        elif fault == "duplicate key":
            value = 'null, "birth_date": null'
        elif fault == "NaN":
            value = draw(st.sampled_from(["NaN", "Infinity", "-Infinity"]))
        else:
            value = '"' + draw(st.sampled_from(["\x00", "\x01", "\x1f"])) + '"'
        anchor = '"birth_date": null'
        assert anchor in text
        return text.replace(anchor, '"birth_date": ' + value, 1), True
    if kind == "record":
        wrong = draw(st.sampled_from([[], [record], 2.5, "x", None, True, 0]))
        return json.dumps(wrong), False
    mutated = copy.deepcopy(record)
    if kind == "key":
        parent = mutated
        objects = [p for k, p in targets if k == "code"]  # fields inside some object
        if objects and draw(st.booleans()):
            for key in draw(st.sampled_from(objects))[:-1]:
                parent = parent[key]
        if draw(st.booleans()):
            parent[draw(st.sampled_from(["nickname", "Id", "extra", ""]))] = "x"
        else:
            required = [k for k in ("id", "youth", "day", "municipality") if k in parent]
            if not required:
                parent["unknown"] = 1
            else:
                del parent[draw(st.sampled_from(required))]
        return json.dumps(mutated), False
    field_kind, path = draw(st.sampled_from(targets))
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = draw(_WRONG[field_kind])
    return json.dumps(mutated, ensure_ascii=draw(st.booleans())), False


# --- SCB submission records -------------------------------------------------------------


def _between(draw: st.DrawFn, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=draw(st.integers(0, max(0, (last - first).days))))


@st.composite
def scb_records(draw: st.DrawFn, youth: IdentityNumber, period: HalfYear) -> ScbRecord:
    """An SCB record that passes every check of severity error for ``period`` (the same
    shape as ``tests/scb/test_writer.py`` writes and reads back)."""
    first, last = period.first_day, period.last_day
    registered = _between(draw, first - dt.timedelta(days=800), last)
    start = max(first, registered)
    contacts = sorted(_between(draw, start, last) for _ in range(draw(st.integers(0, 4))))
    started = [
        MeasureStarted(
            category=draw(st.sampled_from(MeasureCategory)),
            day=_between(draw, start, last),
            declined=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    ended = []
    for _ in range(draw(st.integers(0, 2))):
        end = _between(draw, start, last)
        ended.append(
            MeasureEnded(
                category=draw(st.sampled_from(MeasureCategory)),
                start=_between(draw, registered, end),
                end=end,
                activity_after=draw(st.sampled_from(Activity)),
            )
        )
    kaa_end = None
    if draw(st.booleans()):
        latest = max([start, *contacts, *(s.day for s in started), *(e.end for e in ended)])
        day = _between(draw, max(latest, first + dt.timedelta(days=1)), last + dt.timedelta(1))
        reason = draw(st.sampled_from([r for r in EndReason if r is not EndReason.TURNED_20]))
        kaa_end = KaaEnded(day=day, reason=reason)
    return ScbRecord(
        mandatory=MandatoryData(
            youth=youth,
            municipality="1882",
            registered=registered,
            reason=draw(st.sampled_from(RegistrationReason)),
            activity=draw(st.sampled_from(Activity)),
        ),
        contacts=tuple(
            ContactRecord(day=d, activity=draw(st.sampled_from(Activity))) for d in contacts
        ),
        measures_started=tuple(started),
        measures_ended=tuple(ended),
        kaa_ended=kaa_end,
    )


_young_numbers = st.one_of(
    st.sampled_from([n for n in skatteverket_numbers() if n[:8] > "20060701"]).map(
        IdentityNumber.parse
    ),
    st.builds(
        interim_number,
        st.dates(min_value=dt.date(2006, 7, 2), max_value=dt.date(2012, 12, 31)),
        st.integers(min_value=0, max_value=1099),
    ),
)
"""Identity numbers of youths born after mid-2006 (no filter: drawing is cheap)."""


@st.composite
def scb_submissions(draw: st.DrawFn, period: HalfYear, max_size: int = 6) -> Submission:
    """A submission of 1 to ``max_size`` youths (born after mid-2006) of municipality 1882."""
    ids = draw(st.lists(_young_numbers, min_size=1, max_size=max_size, unique=True))
    return Submission(
        period=period,
        municipality="1882",
        records=tuple(draw(scb_records(i, period)) for i in ids),
    )


# --- cases with their documentation (appended for the case store, issue 12) -----------------


@st.composite
def documented_cases(draw: st.DrawFn) -> Case:
    """A valid case (as :func:`cases` draws it) that may also hold an individual plan with
    revisions, planned measures and follow-ups, and consent given and revoked."""
    import attrs  # local: only this strategy needs it

    from kaa.model.documentation import (
        ConsentAction,
        ConsentEvent,
        ConsentGiver,
        Counterpart,
        IndividualPlan,
        Party,
        PlannedMeasure,
        PlanRevision,
        Responsibility,
    )

    case = draw(cases())
    first = case.registration.day
    last = case.end.day if case.end is not None else first + dt.timedelta(days=800)
    consents = []
    for _ in range(draw(st.integers(0, 3))):
        counterpart = draw(st.sampled_from(Counterpart))
        consents.append(
            ConsentEvent(
                day=_day_in(draw, first, last),
                action=draw(st.sampled_from(ConsentAction)),
                counterpart=counterpart,
                name=draw(st.just("Skolan") if counterpart.needs_name else st.none()),
                given_by=draw(st.sampled_from(ConsentGiver)),
            )
        )
    plan = None
    if draw(st.booleans()):
        ids = [m.id for m in case.measures]
        day = _day_in(draw, first, last)
        revisions = []
        for r in range(draw(st.integers(1, 3))):
            chosen = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
            revisions.append(
                PlanRevision(
                    day=day,
                    case_worker=draw(st.none() | st.just("handläggare 7")),
                    goal=draw(st.none() | st.just("Börja studera till hösten")),
                    planning=draw(st.none() | st.just("Praktik under våren")),
                    measures=tuple(
                        PlannedMeasure(
                            measure_id=measure_id,
                            purpose=draw(st.none() | st.just("Prova på ett yrke")),
                            responsibilities=(
                                Responsibility(party=Party.YOUTH, task="Komma i tid"),
                                Responsibility(
                                    party=Party.MUNICIPALITY, name="KAA-enheten", task="Ordna"
                                ),
                            )[: draw(st.integers(0, 2))],
                            follow_ups=tuple(draw(st.lists(dates, max_size=2))),
                        )
                        for measure_id in chosen
                    ),
                    follow_ups=tuple(draw(st.lists(dates, max_size=2))),
                    reason=None if r == 0 else draw(st.none() | st.just("Ny praktikplats")),
                )
            )
            day = day + dt.timedelta(days=draw(st.integers(0, 60)))
        held = draw(st.lists(st.integers(0, 400), max_size=3))
        plan = IndividualPlan(
            revisions=tuple(revisions),
            follow_ups_held=tuple(revisions[0].day + dt.timedelta(days=n) for n in held),
        )
    return attrs.evolve(case, plan=plan, consents=tuple(consents))
