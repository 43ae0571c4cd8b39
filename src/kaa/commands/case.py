"""``kaa case``: keep a day's work in the register — register a youth, record a contact,
end KAA, and read a case and its history.

::

    kaa case register --store sqlite:///kaa.db --municipality 1882 --youth 20070302-2392 \\
        --on 2026-01-12 --source skolan --reason avbrott
    kaa case contact CASE --store … --municipality 1882 --on 2026-01-20 --channel telefon \\
        --outcome nådd --activity arbete
    kaa case end CASE --store … --municipality 1882 --on 2026-05-02 --reason examen
    kaa case show CASE --store … --municipality 1882
    kaa case history CASE --store … --municipality 1882

``register`` prints the new case id, ``contact`` and ``end`` the event id (on standard output,
for scripts). Values are accepted in English and in Swedish: ``telefon``/``phone``,
``nådd``/``reached``, ``vårdnadshavare``/``guardian`` … (``--help`` of each action lists
them). Every action is written in the store's audit log with ``--actor`` (else
``$KAA_ACTOR``, else the operating-system user); ``show`` and ``history`` are reads of the
youth's data and are logged as such. Identity numbers are shown masked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import IO, TypeVar

from kaa.commands.common import day_argument
from kaa.commands.store import add_store_arguments, open_from
from kaa.convert import to_dict
from kaa.formats.cells import terminal_text
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
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import Labelled, Youth
from kaa.store import CaseWorkerAssigned, Event

__all__ = ["SYNONYMS", "add_parser", "choice"]

L = TypeVar("L", bound=Labelled)

SYNONYMS: Mapping[type[Labelled], Mapping[str, str]] = {
    Channel: {
        "telefon": "phone",
        "samtal": "phone",
        "brev": "letter",
        "epost": "email",
        "mejl": "email",
        "mail": "email",
        "hembesök": "home_visit",
        "möte": "meeting",
        "vykort": "postcard",
        "sociala medier": "social_media",
        "etjänst": "e_service",
        "annat": "other",
    },
    ContactOutcome: {
        "nådd": "reached",
        "nådde": "reached",
        "inget svar": "no_answer",
        "ej svar": "no_answer",
        "meddelande": "message_left",
        "meddelande lämnat": "message_left",
        "skickat": "sent",
        "returpost": "returned_mail",
    },
    Contacted: {"ungdomen": "youth", "ungdom": "youth", "vårdnadshavare": "guardian"},
    Activity: {
        "okänd": "unknown",
        "ingen": "no_activity",
        "arbete": "work",
        "jobb": "work",
        "studier": "other_studies",
        "insats": "measure",
        "annan": "other",
    },
    EndReason: {
        "fyllt 20": "turned_20",
        "20": "turned_20",
        "examen": "degree",
        "påbörjat program": "started_programme",
        "börjat studera": "started_programme",
        "inte folkbokförd": "not_folkbokford",
        "utflyttad": "moved_abroad",
        "avliden": "deceased",
        "annat": "other",
    },
    RegistrationSource: {
        "målgruppslista": "register_list",
        "registret": "register_list",
        "skolan": "school_notice",
        "anmälan": "school_notice",
        "inflyttad": "moved_in",
        "annat": "other",
    },
    RegistrationReason: {
        "introduktionsprogram": "introduction_programme",
        "avbrott": "broke_off_national",
        "avbrutit": "broke_off_national",
        "studiebevis": "studiebevis",
        "aldrig studerat": "never_started",
        "annat": "other",
        "saknas": "missing",
    },
}
"""Swedish words accepted for each kind of value, next to the English values and the Swedish
labels themselves."""


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def choice(cls: type[L]) -> Callable[[str], L]:
    """An argparse type for a value of ``cls``, in English (``phone``) or Swedish
    (``telefon``, or the label ``telefonsamtal``), in any case, with ``-``, ``_`` or spaces."""
    words: dict[str, L] = {}
    for member in cls:
        words[_key(str(member.value))] = member
        words[_key(member.label_sv)] = member
    by_value = {str(m.value): m for m in cls}
    for word, value in SYNONYMS.get(cls, {}).items():
        words[_key(word)] = by_value[value]

    def parse(text: str) -> L:
        found = words.get(_key(text))
        if found is None:
            english = ", ".join(str(m.value) for m in cls)
            swedish = ", ".join(SYNONYMS.get(cls, {}))
            raise argparse.ArgumentTypeError(
                f"{text!r} is not one of: {english}"
                + (f" (or in Swedish: {swedish})" if swedish else "")
            )
        return found

    parse.__name__ = cls.__name__
    return parse


def _words(cls: type[Labelled]) -> str:
    pairs: dict[str, str] = {}
    for word, value in SYNONYMS.get(cls, {}).items():
        pairs.setdefault(value, word)
    return ", ".join(
        f"{m.value}/{pairs[m.value]}" if m.value in pairs else str(m.value) for m in cls
    )


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa case`` to the command line."""
    p = commands.add_parser(
        "case",
        help="register a youth, record a contact, end KAA, show a case and its history",
        description="Record the day's work in the register and read it back.",
    )
    sub = p.add_subparsers(dest="case_command", required=True, metavar="ACTION")

    register = sub.add_parser("register", help="register a youth: prints the new case id")
    add_store_arguments(register)
    register.add_argument("--youth", required=True, metavar="ID", help="the identity number")
    register.add_argument(
        "--on", type=day_argument, metavar="DAY", help="the registration day (default today)"
    )
    register.add_argument(
        "--source",
        type=choice(RegistrationSource),
        default=RegistrationSource.REGISTER_LIST,
        help=f"how the youth came to notice: {_words(RegistrationSource)}",
    )
    register.add_argument(
        "--reason",
        type=choice(RegistrationReason),
        default=RegistrationReason.MISSING,
        help=f"the latest school-related activity: {_words(RegistrationReason)}",
    )
    register.add_argument(
        "--activity",
        type=choice(Activity),
        default=Activity.UNKNOWN,
        help=f"the activity at registration: {_words(Activity)}",
    )
    register.add_argument("--case-worker", metavar="NAME", help="the responsible case worker")
    register.set_defaults(run=_register)

    contact = sub.add_parser("contact", help="record a contact attempt: prints the event id")
    contact.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(contact)
    contact.add_argument("--on", type=day_argument, metavar="DAY", help="the day (default today)")
    contact.add_argument(
        "--channel", required=True, type=choice(Channel), help=f"how: {_words(Channel)}"
    )
    contact.add_argument(
        "--outcome",
        required=True,
        type=choice(ContactOutcome),
        help=f"what came of it: {_words(ContactOutcome)}",
    )
    contact.add_argument(
        "--to",
        type=choice(Contacted),
        default=Contacted.YOUTH,
        help=f"who was contacted: {_words(Contacted)}",
    )
    contact.add_argument(
        "--activity",
        type=choice(Activity),
        help=f"the activity learnt (only when reached): {_words(Activity)}",
    )
    contact.set_defaults(run=_contact)

    end = sub.add_parser("end", help="record the end of KAA: prints the event id")
    end.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(end)
    end.add_argument("--on", type=day_argument, metavar="DAY", help="the day (default today)")
    end.add_argument("--reason", required=True, type=choice(EndReason), help=_words(EndReason))
    end.set_defaults(run=_end)

    show = sub.add_parser("show", help="show a case (a read, audit-logged)")
    show.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(show)
    show.add_argument("--json", action="store_true", help="as JSON (identity numbers masked)")
    show.set_defaults(run=_show)

    history = sub.add_parser("history", help="list a case's events (a read, audit-logged)")
    history.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(history)
    history.set_defaults(run=_history)


def today() -> dt.date:
    """The real today (a function, so that tests can set the day)."""
    return dt.date.today()


def _register(args: argparse.Namespace, err: IO[str]) -> int:
    youth = Youth(id=IdentityNumber.parse(args.youth))
    case = Case(
        youth=youth,
        municipality=args.municipality,
        registration=Registration(
            day=args.on or today(), source=args.source, reason=args.reason, activity=args.activity
        ),
    )
    with open_from(args) as store:
        case_id = store.register(case, purpose="kaa case register")
        if args.case_worker:
            store.record(
                case_id,
                Event(
                    data=CaseWorkerAssigned(case_worker=args.case_worker), day=case.registration.day
                ),
                purpose="kaa case register",
            )
    print(case_id)
    print(f"{youth.id.masked()} registered in {args.municipality}", file=err)
    return 0


def _record(args: argparse.Namespace, err: IO[str], event: Event, purpose: str) -> int:
    with open_from(args) as store:
        recorded = store.record(args.case_id, event, purpose=purpose)
    for warning in recorded.warnings:
        print(f"warning: {terminal_text(str(warning))}", file=err)
    print(recorded.event_id)
    return 0


def _contact(args: argparse.Namespace, err: IO[str]) -> int:
    contact = Contact(
        day=args.on or today(),
        channel=args.channel,
        contacted=args.to,
        outcome=args.outcome,
        activity=args.activity,
    )
    return _record(args, err, Event(data=contact), "kaa case contact")


def _end(args: argparse.Namespace, err: IO[str]) -> int:
    end = KaaEnd(day=args.on or today(), reason=args.reason)
    return _record(args, err, Event(data=end), "kaa case end")


def _show(args: argparse.Namespace, err: IO[str]) -> int:
    with open_from(args) as store:
        case = store.case(args.case_id, purpose="kaa case show")
    if args.json:
        print(json.dumps(to_dict(case, reveal_ids=False), ensure_ascii=False, indent=2))
        return 0
    reg = case.registration
    lines = [
        f"case {args.case_id}",
        f"youth {case.id} in {case.municipality}",
        f"registered {reg.day.isoformat()}: {reg.source.label_sv}; {reg.reason.label_sv}; "
        f"sysselsättning {reg.activity.label_sv}",
    ]
    if case.case_worker:
        lines.append(f"case worker {case.case_worker}")
    for c in case.contacts:
        learnt = f", {c.activity.label_sv}" if c.activity is not None else ""
        lines.append(
            f"contact {c.day.isoformat()}: {c.channel.label_sv} till {c.contacted.label_sv}, "
            f"{c.outcome.label_sv}{learnt}"
        )
    for m in case.measures:
        span = f"{m.start or '-'}–{m.end or ''}"
        state = "avböjd" if m.declined else span
        lines.append(f"measure {m.id} {m.type}: erbjuden {m.offered.isoformat()}, {state}")
    if case.plan is not None:
        lines.append(
            f"plan made {case.plan.made_on.isoformat()}, {len(case.plan.revisions)} revision(s)"
        )
    for consent in case.consents:
        lines.append(
            f"consent {consent.day.isoformat()}: {consent.action.label_sv}, "
            f"{consent.counterpart.label_sv}"
        )
    if case.end is not None:
        lines.append(f"KAA ended {case.end.day.isoformat()}: {case.end.reason.label_sv}")
    else:
        lines.append("KAA open")
    print(terminal_text("\n".join(lines)))
    return 0


def _history(args: argparse.Namespace, err: IO[str]) -> int:
    with open_from(args) as store:
        events = store.history(args.case_id, purpose="kaa case history")
    for event in events:
        assert event.recorded_at is not None
        fields = [
            event.recorded_at.isoformat(timespec="seconds"),
            event.actor or "",
            event.kind.value,
            event.day.isoformat(),
            event.event_id or "",
        ]
        if event.supersedes is not None:
            fields.append(f"supersedes {event.supersedes}")
        print(terminal_text("\t".join(fields)))
    print(f"{len(events)} event(s)", file=err)
    return 0
