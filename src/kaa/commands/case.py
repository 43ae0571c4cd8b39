"""``kaa case``: keep a day's work in the register — register a youth; record contacts,
measures, the individual plan, consent, the case worker, contact details and the end of KAA;
correct what was recorded wrong; read a case and its history.

::

    kaa case register --store sqlite:///kaa.db --municipality 1882 --youth 20000101-2384 \\
        --on 2026-01-12 --source skolan --reason avbrott
    kaa case contact CASE … --on 2026-01-20 --channel telefon --outcome nådd --activity arbete
    kaa case measure CASE offer … --on 2026-02-02 --type praktik       # prints m1 and the event
    kaa case measure CASE start m1 … --on 2026-02-10
    kaa case measure CASE decline m2 … --on 2026-02-03 --reason "vill hellre arbeta"
    kaa case measure CASE end m1 … --on 2026-04-30 --reason genomförd --activity-after studier
    kaa case plan CASE make … --on 2026-02-05 --goal "…" --planning "…" --follow-up 2026-03-05 \\
        --measure m1 --purpose "…" --youth-task "…" --municipality-task KAA-enheten "…" \\
        --partner-task Arbetsförmedlingen "…" --planned-start 2026-02-10 --planned-end 2026-04-30
    kaa case plan CASE revise … --on 2026-03-05 --reason "…" --measure m1 --result "…"
    kaa case plan CASE follow-up … --on 2026-04-05
    kaa case consent CASE give … --on 2026-02-05 --counterpart skolan --given-by ungdomen
    kaa case worker CASE "Anna Lind" …           (or --nobody)
    kaa case details CASE … --phone "070-123 45 67" --email ung@example.se
    kaa case end CASE … --on 2026-05-02 --reason examen
    kaa case correct CASE EVENT contact … --outcome nådd --activity arbete
    kaa case correct CASE EVENT withdraw …
    kaa case show CASE …
    kaa case history CASE …

(``…`` is ``--store URL --municipality KOMMUNKOD``.) ``register`` prints the new case id;
``measure offer`` prints the measure id and the event id, separated by a tab; every other
action that records something, ``correct`` included, prints the event id (on standard
output, for scripts; messages and privacy warnings go to standard error).

**Measures.** ``--type`` is a measure of the municipality's catalogue
(:mod:`kaa.rules.measures`, with the municipality's plugins): its id, its Swedish or English
name, or the beginning of a word of one that fits only one measure (``praktik``,
``motiverande samtal``). The SCB category follows from the catalogue. A new measure is
numbered ``m1``, ``m2`` … within the case unless ``--id`` names it; ``start``, ``decline``
and ``end`` name it.

**The individual plan** documents the seven items of förordning (2006:39): 1 ``--goal``
and ``--planning``; 2 ``--youth-task``; 3 ``--municipality-task UNIT TASK``; 4
``--partner-task ACTOR TASK``; 5 ``--planned-start`` and ``--planned-end``; 6
``--end-explanation``; 7 ``--follow-up`` (the plan) and ``--measure-follow-up``. Items 2–6
are about one measure: they follow ``--measure ID`` and hold until the next ``--measure``.
``make`` writes the first revision; ``revise`` carries the current plan forward and changes
what the options name (``--reason`` says why). Free text passes the privacy guard: what it
flags is printed as a warning and never blocks.

**What is not named stays.** ``revise``, ``details`` and every correction start from what is
recorded and change only what the options name. An empty value (``''``) removes an optional
value: ``--activity ''``, ``--email ''``, ``--follow-up ''``.

**Corrections.** ``kaa case correct CASE EVENT`` followed by the action as it is recorded —
``contact``, ``measure start``, ``plan revise``, ``consent``, ``worker``, ``details``,
``end``, or ``register`` for the registration — and the options that were wrong, replaces
the event; ``withdraw`` makes it count as never having happened (the registration cannot be
withdrawn). Both events stay in the history (``kaa case history`` lists the event ids and
what each correction supersedes); correcting a correction corrects the same event again.

Values are accepted in English and in Swedish: ``telefon``/``phone``, ``nådd``/``reached``,
``vårdnadshavare``/``guardian``, ``genomförd``/``completed``, ``skolan``/``school``,
``återkallat``/``revoke`` … (``--help`` of each action lists them). Every action is written
in the store's audit log with ``--actor`` (else ``$KAA_ACTOR``, else the operating-system
user); ``show`` and ``history`` — and actions that first read the case (a new measure's id,
``revise``, ``details``, ``correct``) — are reads of the youth's data and are logged as such.
Identity numbers are shown masked, and a youth with protected identity never has an address
stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any, TypeVar

import attrs

from kaa.commands.common import day_argument
from kaa.commands.store import add_store_arguments, open_from
from kaa.convert import to_dict
from kaa.errors import InvalidInput, scrub
from kaa.formats.cells import terminal_text
from kaa.formats.filled import WORDS
from kaa.identity import IdentityNumber
from kaa.law import FORORDNING_2006_39
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
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
)
from kaa.model.youth import Labelled, Youth
from kaa.plugins.manager import Hooks
from kaa.rules.measures import Catalogue, MeasureDefinition
from kaa.rules.plan import check_plan
from kaa.store import (
    CaseStore,
    CaseWorkerAssigned,
    ContactDetailsChanged,
    Correction,
    Event,
    EventKind,
    MeasureDeclined,
    MeasureEnded,
    MeasureOffered,
    MeasureStarted,
    Payload,
    PlanFollowedUp,
    PlanMade,
    PlanRevised,
    Registered,
)
from kaa.store.fold import target_of

__all__ = ["ALIASES", "SYNONYMS", "add_parser", "choice", "measure_type", "today"]

L = TypeVar("L", bound=Labelled)

SYNONYMS: Mapping[type[Labelled], Mapping[str, str]] = {
    # the words for a contact are the ones the worklist sheet is read with, kept in one place
    **WORDS,
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
    MeasureEndReason: {
        "genomförd": "completed",
        "klar": "completed",
        "börjat studera": "started_studies",
        "studier": "started_studies",
        "börjat arbeta": "started_work",
        "arbete": "started_work",
        "avbröt": "youth_ended",
        "avbrutit": "youth_ended",
        "upphört": "kaa_ended",
        "kaa upphörde": "kaa_ended",
        "annat": "other",
    },
    Counterpart: {
        "skolan": "school",
        "af": "arbetsformedlingen",
        "arbetsförmedlingen": "arbetsformedlingen",
        "ame": "labour_market_unit",
        "socialtjänsten": "social_services",
        "soc": "social_services",
        "förälder": "relative",
        "anhörig": "relative",
        "vården": "health_care",
        "annan": "other",
    },
    ConsentAction: {
        "lämnat": "grant",
        "lämna": "grant",
        "ge": "grant",
        "samtycker": "grant",
        "återkallat": "revoke",
        "återkalla": "revoke",
    },
    ConsentGiver: {"ungdomen": "youth", "ungdom": "youth", "vårdnadshavare": "guardian"},
}
"""Swedish words accepted for each kind of value, next to the English values and the Swedish
labels themselves."""

ALIASES: Mapping[type[Labelled], Mapping[str, str]] = {ConsentAction: {"give": "grant"}}
"""Other English words accepted for a value (``give`` for ``grant``)."""


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
    for word, value in {**ALIASES.get(cls, {}), **SYNONYMS.get(cls, {})}.items():
        if value in by_value:  # every word names a value (a test checks it)
            words[_key(word)] = by_value[value]

    def parse(text: str) -> L:
        found = words.get(_key(text))
        if found is None:
            aliases = {v: w for w, v in ALIASES.get(cls, {}).items()}
            english = ", ".join(
                f"{m.value} ({aliases[m.value]})" if m.value in aliases else str(m.value)
                for m in cls
            )
            swedish = ", ".join(SYNONYMS.get(cls, {}))
            raise argparse.ArgumentTypeError(
                scrub(f"{text!r} is not one of: {english}")
                + (f" (or in Swedish: {swedish})" if swedish else "")
            )
        return found

    parse.__name__ = cls.__name__
    return parse


def _words(cls: type[Labelled]) -> str:
    pairs: dict[str, str] = {}
    for word, value in SYNONYMS.get(cls, {}).items():
        pairs.setdefault(value, word)
    aliases = {v: w for w, v in ALIASES.get(cls, {}).items()}
    shown = []
    for m in cls:
        names = [str(m.value), aliases.get(m.value), pairs.get(m.value)]
        shown.append("/".join(n for n in names if n))
    return ", ".join(shown)


# -- values on the command line --------------------------------------------------------------


class _Clear:
    """The value of an option given as ``''``: remove what was recorded."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()

T = TypeVar("T")


def _clearable(parse: Callable[[str], T]) -> Callable[[str], T | _Clear]:
    """``parse``, except that an empty value means :data:`CLEAR`."""

    def inner(text: str) -> T | _Clear:
        return CLEAR if not text.strip() else parse(text)

    inner.__name__ = getattr(parse, "__name__", "value")
    return inner


def _text(text: str) -> str:
    return " ".join(text.split())


_TEXT = _clearable(_text)
_DAY = _clearable(day_argument)


def _value(given: object, current: object | None, name: str, default: Any = None) -> Any:
    """What an option gives: the value given, ``None`` when cleared, else what ``current``
    (the recorded payload, when changing one) holds, else ``default``."""
    if given is CLEAR:
        return None
    if given is not None:
        return given
    if current is not None:
        return getattr(current, name)
    return default


def _days(given: Sequence[object] | None, current: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    if given is None:
        return current
    return tuple(d for d in given if isinstance(d, dt.date))


def _phone(text: str) -> str:
    cleaned = " ".join(text.split())
    if not re.fullmatch(r"\+?[0-9][0-9 ()-]*", cleaned) or sum(c.isdigit() for c in cleaned) < 5:
        raise argparse.ArgumentTypeError(
            "not a telephone number: use digits, spaces, '-' and a leading '+'"
        )
    return cleaned


def _email(text: str) -> str:
    cleaned = text.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", cleaned):
        raise argparse.ArgumentTypeError("not an e-mail address (name@domain)")
    return cleaned


def _address(text: str) -> Address:
    match = re.fullmatch(r"\s*(.+?)\s*,\s*(\d{3}) ?(\d{2})\s+(\S.*?)\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(
            "write the address as 'STREET, POSTCODE CITY', e.g. 'Storgatan 1, 696 30 Askersund'"
        )
    street, first, last, city = match.groups()
    return Address(street=street, postal_code=first + last, city=city)


def _names(definition: MeasureDefinition) -> list[str]:
    names = [definition.id, definition.label_sv, definition.label_en]
    for label in (definition.label_sv, definition.label_en):
        inside = re.findall(r"\(([^)]*)\)", label)
        names += inside
        names.append(re.sub(r"\s*\([^)]*\)", "", label))
    return names


def measure_type(text: str, catalogue: Catalogue) -> str:
    """The catalogue id of the measure ``text`` names: its id, its Swedish or English name
    (with or without what it has in brackets, or that alone: ``syv``), or the beginning of a
    word of those that fits only one measure (``praktik`` for "Obetald praktik").

    Raises:
        InvalidInput: If ``text`` names none or several, listing the catalogue.
    """
    wanted = _key(text)
    exact: set[str] = set()
    starts: set[str] = set()
    for definition in catalogue:
        for name in _names(definition):
            key = _key(name)
            if key == wanted:
                exact.add(definition.id)
            elif wanted and f" {wanted}" in f" {key}":
                starts.add(definition.id)
    found = exact or starts
    if len(found) == 1:
        return found.pop()
    known = "; ".join(f"{d.id} ({d.label_sv})" for d in catalogue)
    if found:
        raise InvalidInput(
            f"{text!r} fits several measures: {', '.join(sorted(found))}; give the id",
            column="type",
        )
    raise InvalidInput(f"{text!r} is not a measure in the catalogue; known: {known}", column="type")


# -- what building an event needs --------------------------------------------------------------


class _Work:
    """What building one event needs besides its options: the store, the case and the day,
    and, for a correction, the corrected event as it stands now."""

    def __init__(
        self,
        store: CaseStore,
        case_id: str,
        purpose: str,
        *,
        day: dt.date,
        current: Payload | None = None,
        history: list[Event] | None = None,
    ) -> None:
        self.store = store
        self.case_id = case_id
        self.purpose = purpose
        self.day = day
        self.current = current
        self._history = history
        self._case: Case | None = None

    def history(self) -> list[Event]:
        """The case's events (read once, audit-logged)."""
        if self._history is None:
            self._history = self.store.history(self.case_id, purpose=self.purpose)
        return self._history

    def case(self) -> Case:
        """The case as it is now (read once, audit-logged)."""
        if self._case is None:
            self._case = self.store.case(self.case_id, purpose=self.purpose)
        return self._case

    def catalogue(self) -> Catalogue:
        """The municipality's catalogue of measures."""
        return Hooks.default().measure_catalogue(self.store.municipality)


Options = Callable[[argparse.ArgumentParser, bool], None]
"""Adds an action's options to a parser; the flag says whether it describes a correction
(then nothing is required: what is not given stays as recorded)."""


def _no_options(parser: argparse.ArgumentParser, correcting: bool) -> None:
    """An action with no options but the day."""


# -- the registration (corrected only: `register` makes a case) -------------------------------


def _registration_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument(
        "--source",
        type=choice(RegistrationSource),
        help=f"how the youth came to notice (default register_list): {_words(RegistrationSource)}",
    )
    p.add_argument(
        "--reason",
        type=choice(RegistrationReason),
        help=f"the latest school-related activity (default missing): {_words(RegistrationReason)}",
    )
    p.add_argument(
        "--activity",
        type=choice(Activity),
        help=f"the activity at registration (default unknown): {_words(Activity)}",
    )


def _registration(args: argparse.Namespace, day: dt.date, cur: Registration | None) -> Registration:
    return Registration(
        day=day,
        source=_value(args.source, cur, "source", RegistrationSource.REGISTER_LIST),
        reason=_value(args.reason, cur, "reason", RegistrationReason.MISSING),
        activity=_value(args.activity, cur, "activity", Activity.UNKNOWN),
    )


def _registered(args: argparse.Namespace, work: _Work) -> Registered:
    assert isinstance(work.current, Registered)
    registration = _registration(args, work.day, work.current.registration)
    return attrs.evolve(work.current, registration=registration)


# -- contacts --------------------------------------------------------------------------------


def _contact_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument(
        "--channel", required=not correcting, type=choice(Channel), help=f"how: {_words(Channel)}"
    )
    p.add_argument(
        "--outcome",
        required=not correcting,
        type=choice(ContactOutcome),
        help=f"what came of it: {_words(ContactOutcome)}",
    )
    p.add_argument(
        "--to",
        type=choice(Contacted),
        help=f"who was contacted (default the youth): {_words(Contacted)}",
    )
    p.add_argument(
        "--activity",
        type=_clearable(choice(Activity)),
        help=f"the activity learnt (only when reached; '' for none): {_words(Activity)}",
    )


def _contact(args: argparse.Namespace, work: _Work) -> Contact:
    cur = work.current if isinstance(work.current, Contact) else None
    return Contact(
        day=work.day,
        channel=_value(args.channel, cur, "channel"),
        contacted=_value(args.to, cur, "contacted", Contacted.YOUTH),
        outcome=_value(args.outcome, cur, "outcome"),
        activity=_value(args.activity, cur, "activity"),
    )


# -- measures --------------------------------------------------------------------------------


def _measure_argument(p: argparse.ArgumentParser, correcting: bool) -> None:
    if correcting:
        p.add_argument("measure_id", metavar="MEASURE", nargs="?", help="the measure (m1 …)")
    else:
        p.add_argument("measure_id", metavar="MEASURE", help="the measure's id in the case (m1 …)")


def _offer_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument(
        "--type",
        required=not correcting,
        metavar="MEASURE",
        help="the measure, from the municipality's catalogue: its id or name, or the "
        "beginning of a word of one (e.g. praktik, motiverande samtal, study_guidance); a name "
        "the catalogue does not have lists the catalogue",
    )
    if not correcting:
        p.add_argument(
            "--id",
            metavar="ID",
            help="the measure's id in the case (default the next of m1, m2 …)",
        )


def _next_measure_id(history: Sequence[Event]) -> str:
    used = set()
    for event in history:
        data = event.data.data if isinstance(event.data, Correction) else event.data
        if isinstance(data, MeasureOffered):
            used.add(data.measure_id)
    numbers = [int(m[1:]) for m in used if re.fullmatch(r"m[0-9]+", m)]
    return f"m{max(numbers, default=0) + 1}"


def _offer(args: argparse.Namespace, work: _Work) -> MeasureOffered:
    cur = work.current if isinstance(work.current, MeasureOffered) else None
    chosen = measure_type(args.type, work.catalogue()) if args.type is not None else None
    if cur is not None:
        return attrs.evolve(cur, type=chosen or cur.type)
    assert chosen is not None
    measure_id = _text(args.id) if args.id else _next_measure_id(work.history())
    if not measure_id:
        raise InvalidInput("a measure's id cannot be empty", column="id")
    return MeasureOffered(measure_id=measure_id, type=chosen)


def _decline_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    _measure_argument(p, correcting)
    p.add_argument(
        "--reason",
        type=_TEXT,
        metavar="TEXT",
        help="why, in a few neutral words (no sensitive personal data; '' for none)",
    )


def _decline(args: argparse.Namespace, work: _Work) -> MeasureDeclined:
    cur = work.current if isinstance(work.current, MeasureDeclined) else None
    return MeasureDeclined(
        measure_id=_value(args.measure_id, cur, "measure_id"),
        reason=_value(args.reason, cur, "reason"),
    )


def _start(args: argparse.Namespace, work: _Work) -> MeasureStarted:
    cur = work.current if isinstance(work.current, MeasureStarted) else None
    return MeasureStarted(measure_id=_value(args.measure_id, cur, "measure_id"))


def _end_measure_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    _measure_argument(p, correcting)
    p.add_argument(
        "--reason",
        type=_clearable(choice(MeasureEndReason)),
        help=f"why it ended: {_words(MeasureEndReason)}",
    )
    p.add_argument(
        "--activity-after",
        type=_clearable(choice(Activity)),
        help=f"the youth's activity after the measure: {_words(Activity)}",
    )


def _end_measure(args: argparse.Namespace, work: _Work) -> MeasureEnded:
    cur = work.current if isinstance(work.current, MeasureEnded) else None
    return MeasureEnded(
        measure_id=_value(args.measure_id, cur, "measure_id"),
        reason=_value(args.reason, cur, "reason"),
        activity_after=_value(args.activity_after, cur, "activity_after"),
    )


# -- the individual plan -----------------------------------------------------------------------


class _PlanMeasure(argparse.Action):
    """``--measure ID``: the options after it, up to the next ``--measure``, are about it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        blocks = list(getattr(namespace, self.dest, None) or [])
        blocks.append({"measure_id": _text(str(values))})
        setattr(namespace, self.dest, blocks)


class _MeasureDetail(argparse.Action):
    """An option about the measure named by the latest ``--measure``."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        self.many: bool = kwargs.pop("many", False)
        kwargs.setdefault("default", argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        blocks = getattr(namespace, "plan_measures", None)
        if not blocks:
            parser.error(f"{option_string} is about one measure: give --measure ID before it")
        block = blocks[-1]
        if self.many:
            block.setdefault(self.dest, []).append(values)
        else:
            block[self.dest] = values


_PARTIES = (
    (Party.YOUTH, "youth_task"),
    (Party.MUNICIPALITY, "municipality_task"),
    (Party.OTHER, "partner_task"),
)


def _plan_options(p: argparse.ArgumentParser, correcting: bool, *, revise: bool) -> None:
    plan = p.add_argument_group("the plan (förordning (2006:39), items 1 and 7)")
    plan.add_argument("--case-worker", type=_TEXT, metavar="NAME", help="who made this revision")
    plan.add_argument(
        "--goal", type=_TEXT, metavar="TEXT", help="item 1: the overall goal (övergripande mål)"
    )
    plan.add_argument(
        "--planning", type=_TEXT, metavar="TEXT", help="item 1: the overall planning (planering)"
    )
    plan.add_argument(
        "--follow-up",
        action="append",
        type=_DAY,
        metavar="DAY",
        help="item 7: a day the plan is followed up and evaluated (repeat for several; "
        "given, they replace the plan's days; '' for none)",
    )
    if revise:
        plan.add_argument("--reason", type=_TEXT, metavar="TEXT", help="why the plan is revised")
    plan.add_argument(
        "--drop-measure",
        action="append",
        metavar="ID",
        help="leave a measure out of the plan (repeat for several)",
    )
    each = p.add_argument_group(
        "each measure in the plan (items 2–6)",
        "Give --measure ID, then what concerns that measure; the next --measure starts the "
        "next. Given, a list (tasks, follow-up days) replaces what the plan held; '' empties it.",
    )
    each.add_argument(
        "--measure",
        dest="plan_measures",
        action=_PlanMeasure,
        metavar="ID",
        help="the measure of the case (m1 …) the options after it are about",
    )
    detail: list[tuple[str, dict[str, Any]]] = [
        ("--purpose", {"type": _TEXT, "metavar": "TEXT", "help": "why it is offered (syfte)"}),
        (
            "--youth-task",
            {
                "type": _TEXT,
                "metavar": "TASK",
                "many": True,
                "help": "item 2: what the youth is responsible for (repeat for several)",
            },
        ),
        (
            "--municipality-task",
            {
                "type": _TEXT,
                "nargs": 2,
                "metavar": ("UNIT", "TASK"),
                "many": True,
                "help": "item 3: what a municipal unit (e.g. KAA-enheten) is responsible for",
            },
        ),
        (
            "--partner-task",
            {
                "type": _TEXT,
                "nargs": 2,
                "metavar": ("ACTOR", "TASK"),
                "many": True,
                "help": "item 4: what another actor (e.g. Arbetsförmedlingen) is responsible for",
            },
        ),
        ("--planned-start", {"type": _DAY, "metavar": "DAY", "help": "item 5: planned start"}),
        ("--planned-end", {"type": _DAY, "metavar": "DAY", "help": "item 5: planned end"}),
        (
            "--end-explanation",
            {"type": _TEXT, "metavar": "TEXT", "help": "item 6: why the measure ended, in words"},
        ),
        (
            "--measure-follow-up",
            {
                "type": _DAY,
                "metavar": "DAY",
                "many": True,
                "help": "item 7: a day the measure is followed up (repeat for several)",
            },
        ),
        ("--result", {"type": _TEXT, "metavar": "TEXT", "help": "what came of it (resultat)"}),
    ]
    for flag, kwargs in detail:
        each.add_argument(flag, action=_MeasureDetail, **kwargs)


def _planned(block: Mapping[str, Any], base: PlannedMeasure | None) -> PlannedMeasure:
    """A measure of the plan: ``base`` (what the plan held) changed by one ``--measure``."""
    responsibilities = list(base.responsibilities) if base is not None else []
    for party, key in _PARTIES:
        if key not in block:
            continue
        responsibilities = [r for r in responsibilities if r.party is not party]
        for given in block[key]:
            name, task = (None, given) if party is Party.YOUTH else given
            if task is CLEAR:
                continue
            name = None if name is CLEAR else name
            responsibilities.append(Responsibility(party=party, task=task, name=name))
    order = list(Party)
    responsibilities.sort(key=lambda r: order.index(r.party))
    return PlannedMeasure(
        measure_id=block["measure_id"],
        purpose=_value(block.get("purpose"), base, "purpose"),
        responsibilities=tuple(responsibilities),
        planned_start=_value(block.get("planned_start"), base, "planned_start"),
        planned_end=_value(block.get("planned_end"), base, "planned_end"),
        follow_ups=_days(block.get("measure_follow_up"), base.follow_ups if base else ()),
        end_explanation=_value(block.get("end_explanation"), base, "end_explanation"),
        result=_value(block.get("result"), base, "result"),
    )


def _revision(args: argparse.Namespace, work: _Work, *, revise: bool) -> PlanRevision:
    """The plan revision the options describe, changing the corrected revision, the current
    plan (``revise``) or nothing (a new plan)."""
    keep_reason = False
    base: PlanRevision | None = None
    if isinstance(work.current, PlanMade | PlanRevised):
        base, keep_reason = work.current.revision, True
    elif revise:
        plan = work.case().plan
        if plan is None:
            raise InvalidInput(
                "the case has no individual plan to revise: make it with `kaa case plan CASE make`",
                column="plan",
            )
        base = plan.current
    measures = {m.measure_id: m for m in base.measures} if base is not None else {}
    for dropped in args.drop_measure or ():
        if measures.pop(_text(dropped), None) is None:
            raise InvalidInput(f"the plan has no measure {dropped!r} to drop", column="plan")
    for block in args.plan_measures or ():
        measures[block["measure_id"]] = _planned(block, measures.get(block["measure_id"]))
    return PlanRevision(
        day=work.day,
        case_worker=_value(args.case_worker, base, "case_worker"),
        goal=_value(args.goal, base, "goal"),
        planning=_value(args.planning, base, "planning"),
        measures=tuple(measures.values()),
        follow_ups=_days(args.follow_up, base.follow_ups if base is not None else ()),
        reason=_value(getattr(args, "reason", None), base if keep_reason else None, "reason"),
    )


def _plan_made(args: argparse.Namespace, work: _Work) -> PlanMade:
    return PlanMade(revision=_revision(args, work, revise=False))


def _plan_revised(args: argparse.Namespace, work: _Work) -> PlanRevised:
    return PlanRevised(revision=_revision(args, work, revise=True))


def _followed_up(args: argparse.Namespace, work: _Work) -> PlanFollowedUp:
    return PlanFollowedUp()


# -- consent, case worker, contact details, end ----------------------------------------------


def _consent_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument(
        "action",
        metavar="ACTION",
        nargs="?" if correcting else None,
        type=choice(ConsentAction),
        help=f"given or revoked: {_words(ConsentAction)}",
    )
    p.add_argument(
        "--counterpart",
        required=not correcting,
        type=choice(Counterpart),
        help=f"whom information may be shared with: {_words(Counterpart)}",
    )
    p.add_argument(
        "--name",
        type=_TEXT,
        metavar="NAME",
        help="who, for a relative or other (required there); optionally which school or unit",
    )
    p.add_argument(
        "--given-by",
        type=choice(ConsentGiver),
        help=f"who gave or revoked it (default the youth): {_words(ConsentGiver)}",
    )


def _consent(args: argparse.Namespace, work: _Work) -> ConsentEvent:
    cur = work.current if isinstance(work.current, ConsentEvent) else None
    return ConsentEvent(
        day=work.day,
        action=_value(args.action, cur, "action"),
        counterpart=_value(args.counterpart, cur, "counterpart"),
        name=_value(args.name, cur, "name"),
        given_by=_value(args.given_by, cur, "given_by", ConsentGiver.YOUTH),
    )


def _worker_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("case_worker", metavar="NAME", nargs="?", help="the case worker (handläggare)")
    who.add_argument("--nobody", action="store_true", help="nobody is responsible any more")


def _worker(args: argparse.Namespace, work: _Work) -> CaseWorkerAssigned:
    if args.nobody:
        return CaseWorkerAssigned(case_worker=None)
    name = _text(args.case_worker)
    if not name:
        raise InvalidInput("give the case worker's name or user id, or --nobody")
    return CaseWorkerAssigned(case_worker=name)


def _details_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument("--name", type=_TEXT, metavar="NAME", help="the youth's name ('' to remove)")
    p.add_argument(
        "--phone", type=_clearable(_phone), metavar="NUMBER", help="telephone ('' to remove)"
    )
    p.add_argument(
        "--email", type=_clearable(_email), metavar="ADDRESS", help="e-mail ('' to remove)"
    )
    p.add_argument(
        "--address",
        type=_clearable(_address),
        metavar="'STREET, POSTCODE CITY'",
        help="home address ('' to remove); never kept for a youth with protected identity",
    )


def _details(args: argparse.Namespace, work: _Work) -> ContactDetailsChanged:
    if isinstance(work.current, ContactDetailsChanged):
        cur = work.current.details
    else:
        cur = work.case().contact_details
    if isinstance(args.address, Address) and work.case().youth.has_protected_identity:
        raise InvalidInput(
            "the youth has protected identity: no address may be kept (nothing was recorded)",
            column="address",
        )
    details = ContactDetails(
        name=_value(args.name, cur, "name"),
        address=_value(args.address, cur, "address"),
        email=_value(args.email, cur, "email"),
        phone=_value(args.phone, cur, "phone"),
    )
    empty = not any((details.name, details.address, details.email, details.phone))
    return ContactDetailsChanged(details=None if empty else details)


def _end_options(p: argparse.ArgumentParser, correcting: bool) -> None:
    p.add_argument(
        "--reason", required=not correcting, type=choice(EndReason), help=_words(EndReason)
    )


def _end(args: argparse.Namespace, work: _Work) -> KaaEnd:
    cur = work.current if isinstance(work.current, KaaEnd) else None
    return KaaEnd(day=work.day, reason=_value(args.reason, cur, "reason"))


# -- the actions -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Action:
    """One kind of work: how it is written on the command line and what event it makes.

    Attributes:
        words: The action's words after ``kaa case`` (``("measure", "start")``).
        what: What its event records, for the help of its correction.
        kind: The kind of event it records.
        help: One line for ``--help``.
        options: Adds its options.
        build: Makes the payload from the options.
        recorded: Whether it is an action of its own (the registration is only corrected
            this way: ``kaa case register`` makes a case).
    """

    words: tuple[str, ...]
    what: str
    kind: EventKind
    help: str
    options: Options
    build: Callable[[argparse.Namespace, _Work], Payload]
    recorded: bool = True

    @property
    def name(self) -> str:
        return " ".join(self.words)


_ACTIONS: tuple[_Action, ...] = (
    _Action(
        words=("register",),
        what="the registration",
        kind=EventKind.REGISTERED,
        help="the registration (its day, source, reason, activity)",
        options=_registration_options,
        build=_registered,
        recorded=False,
    ),
    _Action(
        words=("contact",),
        what="a contact attempt",
        kind=EventKind.CONTACT,
        help="record a contact attempt: prints the event id",
        options=_contact_options,
        build=_contact,
    ),
    _Action(
        words=("measure", "offer"),
        what="a measure offered",
        kind=EventKind.MEASURE_OFFERED,
        help="offer a measure: prints the measure id and the event id",
        options=_offer_options,
        build=_offer,
    ),
    _Action(
        words=("measure", "decline"),
        what="a measure declined",
        kind=EventKind.MEASURE_DECLINED,
        help="the youth declined a measure offered: prints the event id",
        options=_decline_options,
        build=_decline,
    ),
    _Action(
        words=("measure", "start"),
        what="the start of a measure",
        kind=EventKind.MEASURE_STARTED,
        help="a measure started: prints the event id",
        options=_measure_argument,
        build=_start,
    ),
    _Action(
        words=("measure", "end"),
        what="the end of a measure",
        kind=EventKind.MEASURE_ENDED,
        help="a measure ended: prints the event id",
        options=_end_measure_options,
        build=_end_measure,
    ),
    _Action(
        words=("plan", "make"),
        what="the plan as made",
        kind=EventKind.PLAN_MADE,
        help="make the individual plan: prints the event id",
        options=functools.partial(_plan_options, revise=False),
        build=_plan_made,
    ),
    _Action(
        words=("plan", "revise"),
        what="a revision of the plan",
        kind=EventKind.PLAN_REVISED,
        help="revise the plan (what is not named is carried forward): prints the event id",
        options=functools.partial(_plan_options, revise=True),
        build=_plan_revised,
    ),
    _Action(
        words=("plan", "follow-up"),
        what="a follow-up of the plan",
        kind=EventKind.PLAN_FOLLOWED_UP,
        help="the plan was followed up without a revision: prints the event id",
        options=_no_options,
        build=_followed_up,
    ),
    _Action(
        words=("consent",),
        what="consent given or revoked",
        kind=EventKind.CONSENT,
        help="consent given or revoked to share information: prints the event id",
        options=_consent_options,
        build=_consent,
    ),
    _Action(
        words=("worker",),
        what="the case worker assigned",
        kind=EventKind.CASE_WORKER,
        help="a case worker became responsible: prints the event id",
        options=_worker_options,
        build=_worker,
    ),
    _Action(
        words=("details",),
        what="the contact details",
        kind=EventKind.CONTACT_DETAILS,
        help="the youth's name, phone, e-mail or address changed: prints the event id",
        options=_details_options,
        build=_details,
    ),
    _Action(
        words=("end",),
        what="the end of KAA",
        kind=EventKind.ENDED,
        help="record the end of KAA: prints the event id",
        options=_end_options,
        build=_end,
    ),
)

_GROUPS = {
    "measure": "offer, start, decline or end a measure (insats)",
    "plan": "make, revise or follow up the individual plan",
}


def _add_actions(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], *, correcting: bool
) -> None:
    """The actions that record work: on a case, or as the replacement of a corrected event."""
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for action in _ACTIONS:
        if not (action.recorded or correcting):
            continue
        parent = sub
        if len(action.words) == 2:
            group = action.words[0]
            if group not in groups:
                between = sub.add_parser(group, help=_GROUPS[group], description=_GROUPS[group])
                if not correcting:
                    between.add_argument("case_id", metavar="CASE", help="the case id")
                groups[group] = between.add_subparsers(
                    dest=f"{group}_command", required=True, metavar="ACTION"
                )
            parent = groups[group]
        helptext = (
            f"replace {action.what} with what the options name (the rest stays)"
            if correcting
            else action.help
        )
        leaf = parent.add_parser(action.words[-1], help=helptext, description=helptext)
        if len(action.words) == 1 and not correcting:
            leaf.add_argument("case_id", metavar="CASE", help="the case id")
        add_store_arguments(leaf)
        leaf.add_argument(
            "--on",
            type=day_argument,
            metavar="DAY",
            help="the day it happened (default: the corrected event's day)"
            if correcting
            else "the day it happened (default today)",
        )
        action.options(leaf, correcting)
        run = _correct if correcting else _record
        leaf.set_defaults(run=functools.partial(run, action))


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kaa case`` to the command line."""
    p = commands.add_parser(
        "case",
        help="record the day's work in the register (register, contact, measure, plan, "
        "consent, end, correct) and read a case and its history",
        description="Record the day's work in the register and read it back.",
    )
    sub = p.add_subparsers(dest="case_command", required=True, metavar="ACTION")

    register = sub.add_parser("register", help="register a youth: prints the new case id")
    add_store_arguments(register)
    register.add_argument("--youth", required=True, metavar="ID", help="the identity number")
    register.add_argument(
        "--on", type=day_argument, metavar="DAY", help="the registration day (default today)"
    )
    _registration_options(register, False)
    register.add_argument("--case-worker", metavar="NAME", help="the responsible case worker")
    register.set_defaults(run=_register)

    _add_actions(sub, correcting=False)

    correct = sub.add_parser(
        "correct",
        help="correct an event: replace what was wrong, or withdraw it",
        description="Correct an event of the case: name the action as it was recorded and "
        "the options that were wrong (the rest stays as recorded), or withdraw the event. "
        "Both stay in the history.",
    )
    correct.add_argument("case_id", metavar="CASE", help="the case id")
    correct.add_argument("event_id", metavar="EVENT", help="the event (see kaa case history)")
    replacement = correct.add_subparsers(dest="correct_command", required=True, metavar="ACTION")
    withdraw = replacement.add_parser(
        "withdraw", help="the event counts as never having happened (not the registration)"
    )
    add_store_arguments(withdraw)
    withdraw.set_defaults(run=_withdraw)
    _add_actions(replacement, correcting=True)

    show = sub.add_parser("show", help="show a case (a read, audit-logged)")
    show.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(show)
    show.add_argument("--json", action="store_true", help="as JSON (identity numbers masked)")
    show.set_defaults(run=_show)

    history = sub.add_parser("history", help="list a case's events (a read, audit-logged)")
    history.add_argument("case_id", metavar="CASE", help="the case id")
    add_store_arguments(history)
    history.set_defaults(run=_history)


# -- running -----------------------------------------------------------------------------------


def today() -> dt.date:
    """The real today (a function, so that tests can set the day)."""
    return dt.date.today()


def _register(args: argparse.Namespace, err: IO[str]) -> int:
    youth = Youth(id=IdentityNumber.parse(args.youth))
    case = Case(
        youth=youth,
        municipality=args.municipality,
        registration=_registration(args, args.on or today(), None),
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


def _warn(err: IO[str], recorded: Event) -> None:
    for warning in recorded.warnings:
        print(f"warning: {terminal_text(str(warning))}", file=err)


def _record(action: _Action, args: argparse.Namespace, err: IO[str]) -> int:
    purpose = f"kaa case {action.name}"
    with open_from(args) as store:
        work = _Work(store, args.case_id, purpose, day=args.on or today())
        data = action.build(args, work)
        recorded = store.record(args.case_id, Event(data=data, day=work.day), purpose=purpose)
    _warn(err, recorded)
    if isinstance(data, MeasureOffered):
        print(f"{data.measure_id}\t{recorded.event_id}")
    else:
        print(recorded.event_id)
    return 0


def _as_it_stands(history: Sequence[Event], target: Event) -> tuple[dt.date, Payload]:
    """The day and payload of ``target`` as the latest correction that replaced it left it
    (a withdrawal leaves the last content, so that a correction can restore it)."""
    day, data = target.day, target.data
    for event in history:
        if event.supersedes is None or not isinstance(event.data, Correction):
            continue
        if target_of(history, event.supersedes).event_id != target.event_id:
            continue
        if event.data.data is not None and event.data.day is not None:
            day, data = event.data.day, event.data.data
    return day, data


def _command_for(kind: EventKind) -> str:
    for action in _ACTIONS:
        if action.kind is kind:
            return f"`kaa case correct CASE EVENT {action.name} …`"
    return "`kaa case correct CASE EVENT withdraw` (it cannot be replaced from here)"


def _target(store: CaseStore, args: argparse.Namespace) -> tuple[list[Event], Event]:
    history = store.history(args.case_id, purpose="kaa case correct")
    return history, target_of(history, args.event_id)


def _correct(action: _Action, args: argparse.Namespace, err: IO[str]) -> int:
    purpose = "kaa case correct"
    with open_from(args) as store:
        history, target = _target(store, args)
        if target.kind is not action.kind:
            raise InvalidInput(
                f"event {args.event_id} is a {target.kind.value} ({target.kind.label_sv}), not a "
                f"{action.kind.value}: correct it with {_command_for(target.kind)}",
                column="supersedes",
            )
        day, current = _as_it_stands(history, target)
        work = _Work(
            store, args.case_id, purpose, day=args.on or day, current=current, history=history
        )
        replacement = Correction(data=action.build(args, work), day=work.day)
        recorded = store.record(
            args.case_id,
            Event(data=replacement, day=today(), supersedes=target.event_id),
            purpose=purpose,
        )
    _warn(err, recorded)
    print(f"corrected the {target.kind.label_sv} of {day.isoformat()}", file=err)
    print(recorded.event_id)
    return 0


def _withdraw(args: argparse.Namespace, err: IO[str]) -> int:
    with open_from(args) as store:
        _, target = _target(store, args)
        recorded = store.record(
            args.case_id,
            Event(data=Correction(), day=today(), supersedes=target.event_id),
            purpose="kaa case correct",
        )
    print(f"withdrew the {target.kind.label_sv} of {target.day.isoformat()}", file=err)
    print(recorded.event_id)
    return 0


# -- reading -----------------------------------------------------------------------------------


def _span(first: dt.date | None, last: dt.date | None) -> str:
    return f"{first.isoformat() if first else '?'}–{last.isoformat() if last else '?'}"


def _measure_line(m: Measure, catalogue: Catalogue) -> str:
    label = f" ({catalogue.get(m.type).label_sv})" if m.type in catalogue else ""
    parts = [f"measure {m.id} {m.type}{label}: erbjuden {m.offered.isoformat()}"]
    if m.declined:
        parts.append("avböjd" + (f" ({m.decline_reason})" if m.decline_reason else ""))
    if m.start is not None:
        parts.append(f"påbörjad {m.start.isoformat()}")
    if m.end is not None:
        why = f" ({m.end_reason.label_sv})" if m.end_reason is not None else ""
        parts.append(f"avslutad {m.end.isoformat()}{why}")
    if m.activity_after is not None:
        parts.append(f"sysselsättning efter: {m.activity_after.label_sv}")
    return "; ".join(parts)


def _planned_line(planned: PlannedMeasure) -> str:
    parts = [f"  {planned.measure_id}"]
    if planned.purpose:
        parts.append(f"syfte: {planned.purpose}")
    for r in planned.responsibilities:
        parts.append(f"{r.name or r.party.label_sv} ansvarar för: {r.task}")
    if planned.planned_start or planned.planned_end:
        parts.append(f"planerad {_span(planned.planned_start, planned.planned_end)}")
    if planned.follow_ups:
        parts.append("uppföljning " + ", ".join(d.isoformat() for d in planned.follow_ups))
    if planned.end_explanation:
        parts.append(f"avslutad därför att: {planned.end_explanation}")
    if planned.result:
        parts.append(f"resultat: {planned.result}")
    return "; ".join(parts)


def _plan_lines(case: Case) -> list[str]:
    if case.plan is None:
        return []
    plan, current = case.plan, case.plan.current
    by = f" by {current.case_worker}" if current.case_worker else ""
    lines = [
        f"plan made {plan.made_on.isoformat()}, {len(plan.revisions)} revision(s), current of "
        f"{current.day.isoformat()}{by}"
    ]
    if current.reason:
        lines.append(f"  revised because: {current.reason}")
    if current.goal:
        lines.append(f"  goal: {current.goal}")
    if current.planning:
        lines.append(f"  planning: {current.planning}")
    if current.follow_ups:
        lines.append("  follow-up: " + ", ".join(d.isoformat() for d in current.follow_ups))
    if plan.follow_ups_held:
        lines.append("  followed up: " + ", ".join(d.isoformat() for d in plan.follow_ups_held))
    lines += [_planned_line(m) for m in current.measures]
    return lines


def _details_line(case: Case) -> str | None:
    details = case.contact_details
    if details is None:
        return None
    parts = []
    if details.name:
        parts.append(details.name)
    if details.phone:
        parts.append(f"telefon {details.phone}")
    if details.email:
        parts.append(f"e-post {details.email}")
    address = details.address
    if address is not None and not case.youth.has_protected_identity:
        code = f"{address.postal_code[:3]} {address.postal_code[3:]}"
        parts.append(f"adress {address.street}, {code} {address.city}")
    return "contact details: " + "; ".join(parts) if parts else None


def _show(args: argparse.Namespace, err: IO[str]) -> int:
    with open_from(args) as store:
        case = store.case(args.case_id, purpose="kaa case show")
    if args.json:
        print(json.dumps(to_dict(case, reveal_ids=False), ensure_ascii=False, indent=2))
        return 0
    catalogue = Hooks.default().measure_catalogue(case.municipality)
    reg = case.registration
    lines = [
        f"case {args.case_id}",
        f"youth {case.id} in {case.municipality}",
        f"registered {reg.day.isoformat()}: {reg.source.label_sv}; {reg.reason.label_sv}; "
        f"sysselsättning {reg.activity.label_sv}",
    ]
    if case.case_worker:
        lines.append(f"case worker {case.case_worker}")
    details = _details_line(case)
    if details:
        lines.append(details)
    for c in case.contacts:
        learnt = f", {c.activity.label_sv}" if c.activity is not None else ""
        lines.append(
            f"contact {c.day.isoformat()}: {c.channel.label_sv} till {c.contacted.label_sv}, "
            f"{c.outcome.label_sv}{learnt}"
        )
    lines += [_measure_line(m, catalogue) for m in case.measures]
    lines += _plan_lines(case)
    for consent in case.consents:
        named = f" ({consent.name})" if consent.name else ""
        lines.append(
            f"consent {consent.day.isoformat()}: {consent.action.label_sv}, "
            f"{consent.counterpart.label_sv}{named}, av {consent.given_by.label_sv}"
        )
    completeness = check_plan(case, catalogue=catalogue)
    if completeness.required:
        law = FORORDNING_2006_39
        if completeness.complete:
            lines.append(f"documentation complete ({law})")
        else:
            lines.append(f"documentation lacks ({law}):")
            lines += [
                f"  {m.item.number}. {m.item.label_sv}: {m.detail}" for m in completeness.missing
            ]
    if case.end is not None:
        lines.append(f"KAA ended {case.end.day.isoformat()}: {case.end.reason.label_sv}")
    else:
        lines.append("KAA open")
    print(terminal_text("\n".join(lines)))
    return 0


def _summary(data: Payload) -> str:
    """What an event holds, in coded values (no free text, no identity number)."""
    if isinstance(data, Correction):
        if data.data is None:
            return "withdraws it"
        assert data.kind is not None
        assert data.day is not None
        return f"by a {data.kind.value} of {data.day.isoformat()}: {_summary(data.data)}"
    if isinstance(data, Registered):
        reg = data.registration
        return f"{reg.source.value}, {reg.reason.value}, {reg.activity.value}"
    if isinstance(data, Contact):
        learnt = f", {data.activity.value}" if data.activity is not None else ""
        return f"{data.channel.value} to {data.contacted.value}, {data.outcome.value}{learnt}"
    if isinstance(data, MeasureOffered):
        return f"{data.measure_id} {data.type}"
    if isinstance(data, MeasureDeclined | MeasureStarted):
        return data.measure_id
    if isinstance(data, MeasureEnded):
        coded = [v.value for v in (data.reason, data.activity_after) if v is not None]
        return " ".join([data.measure_id, *coded])
    if isinstance(data, PlanMade | PlanRevised):
        return f"{len(data.revision.measures)} measure(s) in the plan"
    if isinstance(data, ConsentEvent):
        return f"{data.action.value} {data.counterpart.value} by {data.given_by.value}"
    if isinstance(data, CaseWorkerAssigned):
        return str(data.case_worker or "nobody")
    if isinstance(data, ContactDetailsChanged):
        known = [f for f in ("name", "phone", "email", "address") if getattr(data.details, f, None)]
        return ", ".join(known) or "removed"
    if isinstance(data, KaaEnd):
        return str(data.reason)
    return ""


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
        fields.append(_summary(event.data))
        print(terminal_text("\t".join(fields)))
    print(f"{len(events)} event(s)", file=err)
    return 0
