"""Test and demo data made only from numbers that can never belong to a real person.

- :func:`skatteverket_numbers` — Skatteverket's official **test** personnummer for births 2000–2012
  (open data, CC0), shipped with the package.
- :func:`interim_number` — synthetic *interim* numbers (a letter in the serial, as school
  systems use for pupils without a number). No real personnummer contains a letter, so these
  can be generated in any quantity for benchmarks at national scale, where the ~9,500 test
  numbers of the right ages are too few to be unique.
- :func:`synthetic_youths` — youths with a realistic mix of situations (DOMAIN §2 and §5).
- :func:`synthetic_cases` — KAA cases for those youths with a realistic mix of contacts,
  measures and ends in a half-year (DOMAIN §5), and of documentation: individual plans
  (complete or lacking items, followed up or overdue) and consent to share information.
- :func:`ist_export_rows` — the rows an IST list export holds for a youth and its case,
  written through the ``ist`` source's column profile (its headings, and its value tables
  reversed), so the ``ist`` source reads them back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from kaa.adapters.profile import builtin_profile
from kaa.dated import birthday
from kaa.formats.text import normalise_heading
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Measure,
    MeasureEndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
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
from kaa.rules.target_group import ages_out, assess
from kaa.testing import interim_number, skatteverket_number, skatteverket_numbers

__all__ = [
    "IST_EXPORT_COLUMNS",
    "interim_number",
    "ist_export_rows",
    "skatteverket_number",
    "skatteverket_numbers",
    "synthetic_cases",
    "synthetic_youths",
]

_SPAN_DAYS = 365 * 5 + 300  # birth dates spread over ages 15-20


def synthetic_youths(
    n: int,
    *,
    on: dt.date,
    municipality: str = "1882",
    seed: int = 2026,
    unique: bool = False,
    register: bool = False,
) -> Iterator[Youth]:
    """Generate ``n`` youths aged 15–20 on ``on`` with a realistic mix of situations.

    About one in ten is in the target group, as nationally (roughly 45,000–65,000 of
    560,000 aged 16–19): most attend a national programme, some an introduction programme,
    some hold a degree; those in KAA broke off, left with a *studiebevis*, never started,
    study at *komvux* or *folkhögskola*, or arrived after compulsory-school age.

    Args:
        n: How many youths.
        on: The day their ages are counted from.
        municipality: Their home municipality.
        seed: For the random choices (the same seed gives the same youths).
        unique: Use synthetic interim numbers so every youth has a distinct number (for
            national-scale benchmarks); otherwise Skatteverket test numbers of the right
            ages, each used once until they run out (a few thousand), then repeated.
        register: Mix like a municipality's KAA register rather than a whole age cohort:
            four in five youths have a situation that puts (or once put) them in the target
            group, and all are 16–19.
    """
    rng = random.Random(seed)
    start_year = on.year - 20
    pool: list[str] = []
    if not unique:
        oldest, youngest = (on.year - 19, on.year - 17) if register else (start_year, on.year - 15)
        pool = [x for x in skatteverket_numbers() if oldest <= int(x[:4]) <= youngest]
        rng.shuffle(pool)
    for i in range(n):
        if unique:
            born = dt.date(start_year, 1, 1) + dt.timedelta(days=i % _SPAN_DAYS)
            ident = interim_number(born, i // _SPAN_DAYS % 1100)
        else:
            ident = IdentityNumber.parse(pool[i % len(pool)])
            birth = ident.birth_date
            assert birth is not None
            born = birth
        roll = rng.random()
        if register and rng.random() < 0.8:
            roll = 0.76 + roll * 0.135
        yield _situation(ident, born, roll, rng, municipality, on)


def _situation(
    ident: IdentityNumber,
    born: dt.date,
    roll: float,
    rng: random.Random,
    municipality: str,
    on: dt.date,
) -> Youth:
    home: tuple[Residence, ...] = (
        Residence(municipality=municipality, basis=HomeBasis.FOLKBOKFORD, start=born),
    )
    finished = dt.date(born.year + 16, 6, 12)
    upper_start = dt.date(born.year + 16, 8, 19)
    enrolments: tuple[Enrolment, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    completed: dt.date | None = finished
    arrival: dt.date | None = None
    after_age: bool | None = None
    if roll < 0.70:  # on a national programme, three years
        enrolments = (
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=upper_start,
                end=dt.date(born.year + 19, 6, 10),
            ),
        )
        qualifications = (
            Qualification(
                kind=QualificationKind.GYMNASIEEXAMEN, issued=dt.date(born.year + 19, 6, 10)
            ),
        )
    elif roll < 0.76:  # introduction programme
        enrolments = (
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.INTRODUCTION,
                start=upper_start,
            ),
        )
    elif roll < 0.79:  # broke off a national programme
        enrolments = (
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=upper_start,
                end=upper_start + dt.timedelta(days=rng.randrange(30, 500)),
                cancelled=True,
            ),
        )
    elif roll < 0.81:  # left with a studiebevis only
        enrolments = (
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=upper_start,
                end=dt.date(born.year + 19, 6, 10),
            ),
        )
        qualifications = (
            Qualification(
                kind=QualificationKind.STUDIEBEVIS, issued=dt.date(born.year + 19, 6, 10)
            ),
        )
    elif roll < 0.83:  # never started upper secondary
        pass
    elif roll < 0.845:  # komvux without a degree
        enrolments = (
            Enrolment(
                school_form=SchoolForm.KOMVUX,
                programme=Programme.UPPER_SECONDARY_LEVEL,
                start=upper_start + dt.timedelta(days=365),
            ),
        )
    elif roll < 0.855:  # folkhögskola general course
        enrolments = (
            Enrolment(
                school_form=SchoolForm.FOLKHOGSKOLA,
                programme=Programme.GENERAL_COURSE,
                start=upper_start + dt.timedelta(days=365),
            ),
        )
    elif roll < 0.865:  # anpassad gymnasieskola
        enrolments = (
            Enrolment(
                school_form=SchoolForm.ANPASSAD_GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=upper_start,
            ),
        )
    elif roll < 0.87:  # IB diploma
        qualifications = (
            Qualification(kind=QualificationKind.IB_DIPLOMA, issued=dt.date(born.year + 19, 6, 5)),
        )
    elif roll < 0.875:  # arrived in Sweden after compulsory-school age
        completed = None
        arrival = dt.date(born.year + 17, 3, 1)
        after_age = True
        home = (Residence(municipality=municipality, start=arrival),)
    elif roll < 0.88:  # asylum seeker
        completed = None
        home = (Residence(municipality=municipality, basis=HomeBasis.ASYLUM_SEEKER),)
    elif roll < 0.885:  # protected registration, broke off
        home = (Residence(municipality=municipality, basis=HomeBasis.PROTECTED, start=born),)
    elif roll < 0.895:  # moved to another municipality
        moved = upper_start + dt.timedelta(days=rng.randrange(1, 700))
        other = "0180" if municipality != "0180" else "1882"
        home = (
            Residence(municipality=municipality, start=born, end=moved - dt.timedelta(days=1)),
            Residence(municipality=other, start=moved),
        )
    else:  # still in compulsory school or other national-programme pupils
        enrolments = (
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=upper_start,
            ),
        )
    if completed is not None and completed > on:
        enrolments = ()
        qualifications = ()
    return Youth(
        id=ident,
        residences=home,
        compulsory_school_completed=completed,
        folkbokford_in_sweden=arrival,
        arrived_after_compulsory_school_age=after_age,
        enrolments=tuple(e for e in enrolments if e.start <= on),
        qualifications=tuple(q for q in qualifications if q.issued <= on),
    )


def synthetic_cases(
    n: int,
    *,
    period: HalfYear,
    municipality: str = "1882",
    seed: int = 2026,
    unique: bool = False,
) -> Iterator[Case]:
    """Generate ``n`` KAA cases as a municipality's register holds them at the end of ``period``.

    The youths come from :func:`synthetic_youths` (``register=True``); each is registered on a
    day they were in the target group, except about 3 % stale cases of youths who never were
    (every register has some). The mix follows DOMAIN §5: about half of the youths are
    reached in the period (a contact with an activity), 20–25 % have a measure offered or
    running in it, and some cases end — on the 20th birthday, or because the youth started a
    programme, moved or left the country. Earlier unanswered contact attempts (postcard, phone, SMS)
    precede the contact that reached the youth.

    About 70 % of the cases with a measure have an individual plan, made within a week of the
    offer: a little over half complete, the others lacking an item of förordning (2006:39)
    (no follow-up day, the measure not in the plan, no planned end, no responsible unit, no
    planning); some revised when the measure ended; the follow-ups held every month under
    the library's monthly policy, or lapsed so that they are overdue at the end of the period.
    Most youths with a plan consented to sharing with two or three counterparts (a guardian
    too while the youth is under 18); a few later revoked one. Free text is neutral (no
    sensitive personal data). The documentation has its own random stream, so the rest of
    each case is the same as without it.

    Args:
        n: How many cases.
        period: The half-year; cases are as of its last day.
        municipality: The municipality (and the youths' home municipality).
        seed: For the random choices (the same seed gives the same cases).
        unique: Synthetic interim numbers, distinct for every youth (for national-scale
            benchmarks); otherwise Skatteverket test numbers, which repeat after a few
            thousand.
    """
    rng = random.Random(seed)
    docs = random.Random(f"{seed}/documentation")
    first, last = period.first_day, period.last_day
    one = dt.timedelta(days=1)
    measure_types = (
        "study_guidance",
        "motivational_conversation",
        "introduction_programme",
        "work_placement",
        "coaching",
        "komvux_upper_secondary",
        "folkhogskola_course",
        "cv_interview_training",
        "arbetsformedlingen",
        "other",
    )
    reached_activities = (
        Activity.NO_ACTIVITY,
        Activity.WORK,
        Activity.OTHER_STUDIES,
        Activity.INTRODUCTION_PROGRAMME,
        Activity.MEASURE,
        Activity.OTHER,
    )
    after_activities = (
        Activity.NATIONAL_PROGRAMME,
        Activity.INTRODUCTION_PROGRAMME,
        Activity.OTHER_STUDIES,
        Activity.WORK,
        Activity.NO_ACTIVITY,
        Activity.UNKNOWN,
    )
    youths = synthetic_youths(
        20 * n + 100, on=last, municipality=municipality, seed=seed, unique=unique, register=True
    )
    made = 0
    seen: set[IdentityNumber] = set()
    for youth in youths:
        if made == n:
            return
        if youth.id in seen:  # test numbers repeat once the pool runs out: one case per youth
            continue
        completed = youth.compulsory_school_completed or youth.folkbokford_in_sweden or first
        earliest = max(completed + dt.timedelta(days=30), first - dt.timedelta(days=540))
        latest = last - dt.timedelta(days=20)
        span = (latest - earliest).days
        registered = earliest + dt.timedelta(days=rng.randrange(span)) if span > 0 else latest
        # A register holds youths who were in the target group when registered, and a few
        # stale cases (about 3 %) of youths who never were.
        in_group = assess(youth, on=registered, municipality=municipality).in_target_group
        if not in_group and rng.random() >= 0.03:
            continue
        seen.add(youth.id)
        made += 1
        reason = _registration_reason(youth, rng)
        source = rng.choices(
            (
                RegistrationSource.REGISTER_LIST,
                RegistrationSource.SCHOOL_NOTICE,
                RegistrationSource.MOVED_IN,
                RegistrationSource.OTHER,
            ),
            weights=(70, 18, 8, 4),
        )[0]
        end: KaaEnd | None = None
        born = youth.id.birth_date
        if born is not None:
            twenty = ages_out(youth.id)
            if registered < twenty <= last:
                end = KaaEnd(day=twenty, reason=EndReason.TURNED_20)
        if end is None and rng.random() < 0.08:
            day = max(registered + one, first) + dt.timedelta(days=rng.randrange(150))
            if day <= last:
                end = KaaEnd(
                    day=day,
                    reason=rng.choice(
                        (
                            EndReason.STARTED_PROGRAMME,
                            EndReason.NOT_FOLKBOKFORD,
                            EndReason.MOVED_ABROAD,
                            EndReason.DEGREE,
                        )
                    ),
                )
        stop = min(last, end.day) if end is not None else last
        window_start = max(first, registered)
        window = (stop - window_start).days
        contacts: list[Contact] = []
        attempt = registered + dt.timedelta(days=rng.randrange(1, 7))
        for channel, outcome in (
            (Channel.POSTCARD, ContactOutcome.SENT),
            (Channel.PHONE, rng.choice((ContactOutcome.NO_ANSWER, ContactOutcome.MESSAGE_LEFT))),
            (Channel.SMS, ContactOutcome.SENT),
        ):
            if attempt > stop or rng.random() < 0.3:
                break
            contacts.append(Contact(day=attempt, channel=channel, outcome=outcome))
            attempt += dt.timedelta(days=rng.randrange(3, 10))
        reached_days: list[dt.date] = []
        if window >= 0 and rng.random() < 0.5:
            reached_days.append(window_start + dt.timedelta(days=rng.randrange(window + 1)))
            if rng.random() < 0.25:
                reached_days.append(window_start + dt.timedelta(days=rng.randrange(window + 1)))
        for day in reached_days:
            contacts.append(
                Contact(
                    day=day,
                    channel=rng.choice((Channel.PHONE, Channel.MEETING, Channel.E_SERVICE)),
                    contacted=rng.choices((Contacted.YOUTH, Contacted.GUARDIAN), weights=(85, 15))[
                        0
                    ],
                    outcome=ContactOutcome.REACHED,
                    activity=rng.choice(reached_activities),
                )
            )
        measures: list[Measure] = []
        if window >= 0 and rng.random() < 0.22:
            offered = window_start + dt.timedelta(days=rng.randrange(window + 1))
            type_id = rng.choice(measure_types)
            if rng.random() < 0.1:
                measures.append(
                    Measure(
                        id="m1",
                        type=type_id,
                        offered=offered,
                        declined=True,
                        decline_reason="har arbete",
                    )
                )
            else:
                start = min(offered + dt.timedelta(days=rng.randrange(15)), stop)
                ends = start + dt.timedelta(days=rng.randrange(14, 120))
                ended = ends <= stop and rng.random() < 0.6
                measures.append(
                    Measure(
                        id="m1",
                        type=type_id,
                        offered=offered,
                        start=start,
                        end=ends if ended else None,
                        end_reason=(
                            rng.choice(
                                (
                                    MeasureEndReason.COMPLETED,
                                    MeasureEndReason.STARTED_STUDIES,
                                    MeasureEndReason.STARTED_WORK,
                                    MeasureEndReason.YOUTH_ENDED,
                                )
                            )
                            if ended
                            else None
                        ),
                        activity_after=rng.choice(after_activities) if ended else None,
                    )
                )
        registration = Registration(
            day=registered,
            source=source,
            reason=reason,
            activity=Activity.UNKNOWN if rng.random() < 0.6 else rng.choice(reached_activities),
        )
        case_worker = rng.choice(("handläggare-1", "handläggare-2"))
        plan: IndividualPlan | None = None
        consents: tuple[ConsentEvent, ...] = ()
        if measures and docs.random() < 0.7:
            plan = _synthetic_plan(measures[0], case_worker, stop, docs)
            if docs.random() < 0.85:
                consents = _synthetic_consents(youth, measures[0], plan.made_on, stop, docs)
        yield Case(
            youth=youth,
            municipality=municipality,
            registration=registration,
            contacts=tuple(contacts),
            measures=tuple(measures),
            end=end,
            case_worker=case_worker,
            plan=plan,
            consents=consents,
        )


# Neutral free text for the synthetic plans (no sensitive personal data, 5 § förordning
# (2006:39)); each measure type: purpose, the youth's task, the municipality's task, and the
# partner and its task where another actor takes part.
_PLAN_TEXTS: dict[str, tuple[str, str, str, tuple[str, str] | None]] = {
    "study_guidance": (
        "Få stöd i att välja utbildning",
        "Förbereda frågor inför samtalen",
        "Boka samtal med studie- och yrkesvägledare",
        None,
    ),
    "motivational_conversation": (
        "Hitta nästa steg mot studier eller arbete",
        "Komma till de överenskomna samtalen",
        "Hålla samtal varannan vecka",
        None,
    ),
    "introduction_programme": (
        "Läsa in behörighet till ett nationellt program",
        "Närvara på lektionerna",
        "Ordna plats på introduktionsprogram",
        None,
    ),
    "work_placement": (
        "Prova på ett yrke och få referenser",
        "Komma i tid tre dagar i veckan",
        "Ordna praktikplats och följa upp med handledaren",
        ("arbetsplatsen", "Ta emot ungdomen och utse en handledare"),
    ),
    "coaching": (
        "Få stöd i att sätta upp och nå egna mål",
        "Komma till träffarna och göra överenskomna uppgifter",
        "Hålla coachande samtal varje vecka",
        None,
    ),
    "komvux_upper_secondary": (
        "Läsa kurser på gymnasial nivå",
        "Söka kurserna och delta i undervisningen",
        "Hjälpa till med ansökan till komvux",
        None,
    ),
    "folkhogskola_course": (
        "Studera i en mindre grupp på folkhögskola",
        "Söka kursen och delta i undervisningen",
        "Hjälpa till med ansökan och hålla kontakt med skolan",
        ("folkhögskolan", "Erbjuda plats på allmän kurs"),
    ),
    "cv_interview_training": (
        "Skriva ett cv och öva inför intervjuer",
        "Skriva ett första utkast till cv",
        "Ge återkoppling på cv och ordna övningsintervjuer",
        None,
    ),
    "arbetsformedlingen": (
        "Komma i kontakt med arbetsmarknaden",
        "Skriva in sig och hålla kontakt med handläggaren där",
        "Ordna ett gemensamt möte med Arbetsförmedlingen",
        ("Arbetsförmedlingen", "Erbjuda stöd i att söka arbete"),
    ),
    "other": (
        "Pröva en aktivitet utifrån ungdomens intressen",
        "Delta i aktiviteten",
        "Hitta en lämplig aktivitet och följa upp den",
        None,
    ),
}
_PLAN_GOALS = (
    "Börja på ett nationellt program till hösten",
    "Hitta ett arbete eller en praktikplats",
    "Komma tillbaka till studier",
    "Bli behörig till ett nationellt program",
    "Ha en plan för studier eller arbete efter sommaren",
)
_PLAN_PLANNINGS = (
    "Träffa handläggaren varannan vecka och följa insatsen",
    "Insatsen under terminen och samtal med studie- och yrkesvägledare",
    "Regelbundna samtal och stöd i att söka utbildning eller arbete",
)
_END_TEXTS = {
    MeasureEndReason.COMPLETED: ("Insatsen genomfördes som planerat", "Ett tydligare mål"),
    MeasureEndReason.STARTED_STUDIES: ("Ungdomen har börjat studera", "Studier har påbörjats"),
    MeasureEndReason.STARTED_WORK: ("Ungdomen har fått ett arbete", "Anställning"),
    MeasureEndReason.YOUTH_ENDED: ("Ungdomen valde att avsluta insatsen", "Avbruten insats"),
}
_MUNICIPAL_UNIT = "KAA-enheten"
# Counterparts the youth may consent to sharing with, and a named one per partner measure.
_CONSENT_COUNTERPARTS = (
    Counterpart.SCHOOL,
    Counterpart.ARBETSFORMEDLINGEN,
    Counterpart.LABOUR_MARKET_UNIT,
)
_CONSENT_PARTNERS: dict[str, tuple[Counterpart, str | None]] = {
    "work_placement": (Counterpart.OTHER, "praktikplatsen"),
    "folkhogskola_course": (Counterpart.OTHER, "folkhögskolan"),
    "arbetsformedlingen": (Counterpart.ARBETSFORMEDLINGEN, None),
}


def _month_after(day: dt.date) -> dt.date:
    """The same day a calendar month later, or the month's last day (as :func:`kaa.dated.add`)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    if day.day <= 28:
        return day.replace(year=year, month=month)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _synthetic_plan(
    measure: Measure, case_worker: str, stop: dt.date, rng: random.Random
) -> IndividualPlan:
    """An individual plan for a case's one measure, made within a week of the offer.

    A little over half are complete; the others lack one documentation item. Follow-ups are
    held every month until ``stop`` (the end of the period or of KAA) or lapse after a few.
    """
    made = min(measure.offered + dt.timedelta(days=rng.randrange(8)), stop)
    purpose, youth_task, municipal_task, partner = _PLAN_TEXTS.get(
        measure.type, _PLAN_TEXTS["other"]
    )
    taken = not measure.declined and measure.start is not None
    roll = rng.random()
    lack = (
        "nothing"
        if roll < 0.55
        else "follow_up"
        if roll < 0.67
        else "measure"
        if roll < 0.77
        else "end_day"
        if roll < 0.87
        else "responsible"
        if roll < 0.94
        else "planning"
    )
    if not taken and lack in ("measure", "end_day", "responsible"):
        lack = "follow_up"  # a declined offer is documented by the plan's goal alone
    if lack == "end_day" and measure.end is not None:
        lack = "responsible"
    planned: tuple[PlannedMeasure, ...] = ()
    if taken and lack != "measure":
        start = measure.start
        assert start is not None
        responsibilities = [Responsibility(party=Party.YOUTH, task=youth_task)]
        if lack != "responsible" or partner is not None:
            responsibilities.append(
                Responsibility(party=Party.MUNICIPALITY, name=_MUNICIPAL_UNIT, task=municipal_task)
            )
        if partner is not None and lack != "responsible":
            responsibilities.append(
                Responsibility(party=Party.OTHER, name=partner[0], task=partner[1])
            )
        planned = (
            PlannedMeasure(
                measure_id=measure.id,
                purpose=purpose,
                responsibilities=tuple(responsibilities),
                planned_start=start,
                planned_end=(
                    None
                    if lack == "end_day"
                    else measure.end or start + dt.timedelta(days=rng.randrange(30, 120))
                ),
            ),
        )
    first = PlanRevision(
        day=made,
        case_worker=case_worker,
        goal=rng.choice(_PLAN_GOALS),
        planning=None if lack == "planning" else rng.choice(_PLAN_PLANNINGS),
        measures=planned,
        follow_ups=() if lack == "follow_up" else (_month_after(made),),
    )
    revisions = [first]
    ended, reason = measure.end, measure.end_reason
    # About three in five plans are revised when their measure ended, with what came of it.
    if planned and ended is not None and reason is not None and rng.random() < 0.6:
        explanation, result = _END_TEXTS[reason]
        revisions.append(
            PlanRevision(
                day=ended,
                case_worker=case_worker,
                goal=first.goal,
                planning=first.planning,
                measures=(
                    PlannedMeasure(
                        measure_id=measure.id,
                        purpose=purpose,
                        responsibilities=planned[0].responsibilities,
                        planned_start=planned[0].planned_start,
                        planned_end=planned[0].planned_end,
                        end_explanation=explanation,
                        result=result,
                    ),
                ),
                follow_ups=() if lack == "follow_up" else (_month_after(ended),),
                reason="Insatsen har avslutats",
            )
        )
    # Follow-ups held on the day the monthly policy makes them due (a revision counts as
    # one), until ``stop`` — or, for about two in five plans, only the first few.
    revised = revisions[-1].day if len(revisions) > 1 else None
    limit = 10_000 if rng.random() < 0.6 else rng.randrange(3)
    held: list[dt.date] = []
    last = made
    while len(held) < limit:
        due = _month_after(last)
        if revised is not None and last < revised <= due:
            last, revised = revised, None
            continue
        if due > stop:
            break
        held.append(due)
        last = due
    return IndividualPlan(revisions=tuple(revisions), follow_ups_held=tuple(held))


def _synthetic_consents(
    youth: Youth, measure: Measure, day: dt.date, stop: dt.date, rng: random.Random
) -> tuple[ConsentEvent, ...]:
    """Consent given on ``day`` for two or three counterparts; a guardian's too while the
    youth is under 18 (or of unknown age); now and then one revoked later."""
    wanted = rng.choice((2, 2, 3))
    chosen: list[tuple[Counterpart, str | None]] = []
    partner = _CONSENT_PARTNERS.get(measure.type)
    if partner is not None:
        chosen.append(partner)
    for counterpart in rng.sample(_CONSENT_COUNTERPARTS, len(_CONSENT_COUNTERPARTS)):
        if len(chosen) < wanted and all(counterpart is not c for c, _ in chosen):
            chosen.append((counterpart, None))
    events = [
        ConsentEvent(day=day, action=ConsentAction.GRANT, counterpart=c, name=name)
        for c, name in chosen
    ]
    born = youth.birth_date or youth.id.birth_date
    if born is None or day < birthday(born, 18):  # under 18: the guardian consents too
        guardian = min(day + dt.timedelta(days=rng.randrange(8)), stop)
        events += [
            ConsentEvent(
                day=guardian,
                action=ConsentAction.GRANT,
                counterpart=c,
                name=name,
                given_by=ConsentGiver.GUARDIAN,
            )
            for c, name in chosen
        ]
    if rng.random() < 0.05 and (stop - day).days > 14:
        counterpart, name = chosen[-1]
        events.append(
            ConsentEvent(
                day=day + dt.timedelta(days=rng.randrange(14, (stop - day).days + 1)),
                action=ConsentAction.REVOKE,
                counterpart=counterpart,
                name=name,
            )
        )
    return tuple(events)


def _registration_reason(youth: Youth, rng: random.Random) -> RegistrationReason:
    """The reason for registration that fits the youth's education history."""
    if rng.random() < 0.03:
        return RegistrationReason.MISSING
    for enrolment in reversed(youth.enrolments):
        if enrolment.programme is Programme.INTRODUCTION:
            return RegistrationReason.INTRODUCTION_PROGRAMME
        if enrolment.programme is Programme.NATIONAL and enrolment.cancelled:
            return RegistrationReason.BROKE_OFF_NATIONAL
    if any(q.kind is QualificationKind.STUDIEBEVIS for q in youth.qualifications):
        return RegistrationReason.STUDIEBEVIS
    if not youth.enrolments:
        return RegistrationReason.NEVER_STARTED
    return RegistrationReason.OTHER


_IST = builtin_profile("ist")
"""The ``ist`` source's default column profile: the example export is written for it."""

_IST_LAYOUT = (
    "id",
    "first_name",
    "last_name",
    "municipality",
    "compulsory_school_completed",
    "arrived",
    "arrived_after_compulsory_school_age",
    "school_form",
    "programme",
    "enrolment_start",
    "enrolment_end",
    "cancelled",
    "qualification",
    "qualification_date",
    "registered",
    "registration_reason",
    "activity",
    "case_worker",
    "kaa_end",
    "kaa_end_reason",
)
"""The fields of the example IST list export, in the order of its columns."""

IST_EXPORT_COLUMNS: tuple[str, ...] = tuple(_IST.columns[field][0] for field in _IST_LAYOUT)
"""The headings of the example IST list export (see :func:`ist_export_rows`): for each field,
the first heading the IST profile looks for."""

# The words the example export writes, as IST spells them. What each word means is the IST
# profile's (it is looked up there, below, never restated here). They are spelled out because
# the profile compares words case-folded and keeps no spelling, and because it reads several
# words for some values: for those the export writes the one chosen here — NP (not
# "Nationellt program"), Gymnasieskolebevis (not "Gymnasiesärskolebevis"), GY (not
# "Gymnasium"), GYS (not "GYSÄR" …), and for the registration reason Introduktionsprogram
# (not "IM"). A value without a word here is left empty, or its row left out (a school form
# or certificate the IST export has no code for).
_IST_WORDS: dict[str, tuple[str, ...]] = {
    "arrived_after_compulsory_school_age": ("Ja", "Nej"),
    "school_form": ("GY", "GYS", "VUX", "FHS"),
    "programme": ("NP", "IM"),
    "cancelled": ("Ja",),
    "qualification": ("Examen", "Gymnasieskolebevis", "Studiebevis", "Gymnasieintyg"),
    "registration_reason": ("Introduktionsprogram", "Avbrott", "Studiebevis", "Aldrig påbörjat"),
    "activity": ("Okänd", "Ingen", "Arbete", "Studier", "Annan"),
    "kaa_end_reason": (
        "Fyllt 20",
        "Examen",
        "Påbörjat studier",
        "Ej folkbokförd i kommunen",
        "Utvandrad",
        "Avliden",
        "Annat",
    ),
}


def _ist_words(field: str) -> dict[Any, str]:
    """The IST profile's value table for ``field``, reversed: each value → the word written.

    Raises:
        LookupError: If the profile does not read a word, or reads two words as one value.
    """
    table = _IST.values[field]
    found: dict[Any, str] = {}
    for word in _IST_WORDS[field]:
        key = normalise_heading(word)
        if key not in table:
            raise LookupError(f"the IST profile does not read {word!r} as a {field}")
        value = table[key]
        if value in found:
            raise LookupError(f"{found[value]!r} and {word!r} are both {value!r} in {field}")
        found[value] = word
    return found


_IST_AFTER_AGE = _ist_words("arrived_after_compulsory_school_age")
_IST_FORMS = _ist_words("school_form")
_IST_PROGRAMMES = _ist_words("programme")
_IST_CANCELLED = _ist_words("cancelled")
_IST_QUALIFICATIONS = _ist_words("qualification")
_IST_REASONS = _ist_words("registration_reason")
_IST_ACTIVITIES = _ist_words("activity")
_IST_END_REASONS = _ist_words("kaa_end_reason")


def ist_export_rows(
    youth: Youth, case: Case | None = None, *, on: dt.date | None = None
) -> list[list[str]]:
    """The rows an IST list export holds for ``youth`` (and its KAA case, if registered).

    One row per enrolment or certificate, the youth's rows together, as the ``ist`` source's
    default profile reads them (:mod:`kaa.adapters`). Names are the placeholder "Test
    Testsson": the numbers are Skatteverket test numbers or synthetic interim numbers.
    School forms and certificates the IST profile has no code for are left out, and like a
    list export it shows only the home municipality on the day ``on`` (the last one if
    ``None``).
    """
    done = youth.compulsory_school_completed
    current = youth.residence_on(on) if on is not None else None
    if current is None and youth.residences:
        current = youth.residences[-1]
    home = current.municipality if current is not None else ""
    arrived = youth.folkbokford_in_sweden
    after = _IST_AFTER_AGE.get(youth.arrived_after_compulsory_school_age, "")
    base = [
        youth.id.full("long"),
        "Test",
        "Testsson",
        home,
        done.isoformat() if done else "",
        arrived.isoformat() if arrived else "",
        after if arrived else "",
    ]
    kaa: list[str] = ["", "", "", "", "", ""]
    if case is not None:
        kaa = [
            case.registration.day.isoformat(),
            _IST_REASONS.get(case.registration.reason, ""),
            _IST_ACTIVITIES.get(case.registration.activity, ""),
            case.case_worker or "",
            case.end.day.isoformat() if case.end is not None else "",
            _IST_END_REASONS[case.end.reason] if case.end is not None else "",
        ]
    rows = [
        [
            *base,
            _IST_FORMS[e.school_form],
            _IST_PROGRAMMES.get(e.programme, ""),
            e.start.isoformat(),
            e.end.isoformat() if e.end else "",
            _IST_CANCELLED.get(e.cancelled, ""),
            "",
            "",
            *kaa,
        ]
        for e in youth.enrolments
        if e.school_form in _IST_FORMS
    ]
    rows += [
        [*base, "", "", "", "", "", _IST_QUALIFICATIONS[q.kind], q.issued.isoformat(), *kaa]
        for q in youth.qualifications
        if q.kind in _IST_QUALIFICATIONS
    ]
    return rows or [[*base, "", "", "", "", "", "", "", *kaa]]
