"""Register sync: bring the case store up to date with a register export.

:func:`sync` is what ``kaa sync REGISTER`` runs (the guide is ``docs/sync.md``). It reads the
register once, as a stream, and for every youth decides with the target-group rule
(:func:`kaa.rules.target_group.assess`, with the municipality's plugins):

- a youth **in the target group without an open case** is registered: a new case dated the
  day of the sync, source :attr:`~kaa.model.case.RegistrationSource.REGISTER_LIST`, with the
  reason for registration the facts give (:func:`registration_reason`) and the contact
  details the export holds. A youth whose row in the export carries KAA case data of its own
  (an IST list with a registration day) is *not* registered: its history belongs to the
  register system and is moved with ``kaa store import``; the summary lists it.
- a youth **with an open case** gets the register's facts merged into the case's
  (:func:`merge_facts`): a :class:`~kaa.store.events.FactsUpdated` event only when they
  differ, with the dated history kept — the register's word counts for the days it speaks
  about, the store's for the rest, and nothing the store knows is dropped because the register
  no longer lists it. Contact details are merged the same way
  (:class:`~kaa.store.events.ContactDetailsChanged`).
- a case whose youth **has left the target group** gets an end of KAA when the facts settle
  why and since when (:func:`leaving_reason`, the rule :func:`kaa.rules.leaving.leaving`
  the worklist uses too): turned 20 (on the 20th birthday), a degree or equivalent
  education completed, a national programme, introduction programme or equivalent education
  started, folkbokförd in another municipality. Where the facts do not settle it, or the
  store refuses the end (a contact recorded after the day the facts give), nothing is ended:
  the case is listed **to decide** with the reason in words, for the case worker.
- an open case whose youth is **not in the export** is never ended for that alone: it is
  listed to decide, unless the store's own facts settle an end (a youth who turned 20).

Every action is listed in the :class:`SyncSummary` (masked identity numbers only), and the
rows the reader rejected with their file, line and column. Running the same sync again
records nothing: every event is recorded only when it changes the case.

**Memory and interruptions.** The register is streamed, and the store is not held either:
only the index of the open cases (a youth's compact key → the case id, about 100 bytes a
case) is kept, and a case's facts are read from the store when its youth comes (each read in
the audit log, as the index's own reading is). The work is done in
:meth:`~kaa.store.CaseStore.batch` chunks of :data:`CHUNK` youths, so a sync that is killed
keeps what it committed and is simply run again. The store's audit log names the purpose
:data:`PURPOSE` on every read and change.

:func:`leaving_reason` says, for any case, why its youth is no longer in the target group
and whether the facts settle an end — the same answer as the worklist's "close the case"
item. A youth missing from the export is something only a sync can see: the first sync that
misses the youth records it in the case (a ``register_presence`` event,
:attr:`kaa.model.case.Case.missing_from_register`), and the worklist then asks the case
worker to decide whether KAA has ended; a later sync that finds the youth listed again
records that too. Neither is recorded twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import attrs

from kaa.adapters.base import SourceRecord
from kaa.errors import KaaError, scrub
from kaa.formats.grouping import SeenYouths, compact_key
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Case,
    ContactDetails,
    KaaEnd,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Labelled,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.plugins.manager import Hooks
from kaa.rules.leaving import Leaving, leaving
from kaa.rules.target_group import TIMELINE, Decision, Equivalence, Outcome, assess
from kaa.store import (
    CaseStore,
    ContactDetailsChanged,
    Event,
    FactsUpdated,
    OpenCaseExists,
    RegisterPresence,
)

__all__ = [
    "CHUNK",
    "PURPOSE",
    "ActionKind",
    "SyncAction",
    "SyncSummary",
    "leaving_reason",
    "merge_details",
    "merge_facts",
    "registration_reason",
    "sync",
]

PURPOSE = "kaa sync"
"""The purpose written in the store's audit log for everything a sync reads and changes."""

CHUNK = 250
"""Youths handled per store transaction (:meth:`~kaa.store.CaseStore.batch`)."""

_ONE_DAY = dt.timedelta(days=1)
_T = TypeVar("_T")


# -- why a youth is no longer in the target group -------------------------------------------


def leaving_reason(case: Case, on: dt.date, hooks: Hooks) -> Leaving | None:
    """Why ``case``'s youth is no longer in the target group on ``on``, as its facts say.

    The target-group rule on the day (with the municipality's answer to the open questions
    of T3), then :func:`kaa.rules.leaving.leaving` — the one rule the worklist's "close the
    case" item and the sync share: the 20th birthday, the day of a degree, the first day of
    studies that count, the first day in another municipality settle the end of KAA; every
    other way out leaves it to the case worker.

    Args:
        case: The case.
        on: The day ("today").
        hooks: The plugin facade.

    Returns:
        ``None`` when the youth is in the target group (or the facts do not settle that the
        youth is out); otherwise why not, settled or for the case worker to decide.

    Raises:
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    decision = assess(
        case.youth,
        on=on,
        municipality=case.municipality,
        equivalence=hooks.counts_as_equivalent_education,
    )
    return leaving(case.youth, decision)


# -- the reason for registration ------------------------------------------------------------

_UPPER_SECONDARY = (SchoolForm.GYMNASIESKOLA, SchoolForm.ANPASSAD_GYMNASIESKOLA)
_OTHER_STUDIES = (SchoolForm.KOMVUX, SchoolForm.FOLKHOGSKOLA)


def registration_reason(youth: Youth, on: dt.date) -> RegistrationReason:
    """The reason for registration (SCB: the latest school-related activity) the facts give.

    The latest of: an introduction programme attended (its last day, or its start while it
    lasts), a national programme broken off (its last day), a *studiebevis* issued. When the
    facts give none of these, :attr:`~kaa.model.case.RegistrationReason.MISSING`: a register
    that lists no upper-secondary studies does not prove the youth never started, so
    ``never_started`` is never inferred from silence.

    Args:
        youth: The facts.
        on: The day of registration (later facts do not count).
    """
    found: list[tuple[dt.date, RegistrationReason]] = []
    for e in youth.enrolments:
        if e.school_form not in _UPPER_SECONDARY or e.start > on:
            continue
        last = e.end if e.end is not None and e.end <= on else None
        if e.programme is Programme.INTRODUCTION:
            found.append((last or e.start, RegistrationReason.INTRODUCTION_PROGRAMME))
        elif e.programme is Programme.NATIONAL and e.cancelled and last is not None:
            found.append((last, RegistrationReason.BROKE_OFF_NATIONAL))
    found += [
        (q.issued, RegistrationReason.STUDIEBEVIS)
        for q in youth.qualifications
        if q.kind is QualificationKind.STUDIEBEVIS and q.issued <= on
    ]
    if not found:
        return RegistrationReason.MISSING
    return max(found, key=lambda f: f[0])[1]


def _activity(youth: Youth, on: dt.date) -> Activity:
    """The activity at registration the facts give: studies at komvux or folkhögskola on the
    day; otherwise unknown (the youth has not been reached)."""
    if any(e.school_form in _OTHER_STUDIES and e.covers(on) for e in youth.enrolments):
        return Activity.OTHER_STUDIES
    return Activity.UNKNOWN


# -- merging the register's facts with the store's --------------------------------------------

_FIRST = dt.date.min
_LAST = dt.date.max
_SINGLE = (
    "birth_date",
    "compulsory_school_completed",
    "folkbokford_in_sweden",
    "arrived_after_compulsory_school_age",
)


def _span(r: Residence, on: dt.date) -> tuple[dt.date, dt.date]:
    """The days a register residence speaks about: an undated start is ``on`` (the export
    says where the youth lives now) — or its own last day, for a residence already ended."""
    end = r.end if r.end is not None else _LAST
    if r.start is not None:
        return r.start, end
    return (on if end >= on else end), end


def _minus(
    piece: tuple[dt.date, dt.date], covered: Sequence[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, dt.date]]:
    """The days of ``piece`` outside every span in ``covered``."""
    pieces = [piece]
    for a, b in covered:
        rest: list[tuple[dt.date, dt.date]] = []
        for s, e in pieces:
            if b < s or a > e:
                rest.append((s, e))
                continue
            if s < a:
                rest.append((s, a - _ONE_DAY))
            if e > b:
                rest.append((b + _ONE_DAY, e))
        pieces = rest
    return pieces


def _residence(r: Residence, start: dt.date, end: dt.date) -> Residence:
    return attrs.evolve(
        r, start=None if start == _FIRST else start, end=None if end == _LAST else end
    )


def _residence_key(r: Residence) -> tuple[dt.date, dt.date, str, str]:
    return (r.start or _FIRST, r.end or _LAST, r.municipality, r.basis.value)


def _overlaps(r: Residence, span: tuple[dt.date, dt.date]) -> bool:
    return (r.start or _FIRST) <= span[1] and span[0] <= (r.end or _LAST)


def _merge_residences(
    known: Sequence[Residence], register: Sequence[Residence], on: dt.date
) -> tuple[Residence, ...]:
    spans = [(_span(r, on), r) for r in register]
    if not spans:  # the register says nothing about where the youth lives
        return tuple(known)
    first = min(s for (s, _), _ in spans)
    register_future = [span for span, _ in spans if span[0] > on]
    # a residence the store knows to start after the day (a move ahead) is not something
    # a snapshot of today contradicts, unless the register itself names a move ahead
    ahead = [
        r
        for r in known
        if r.start is not None
        and r.start > on
        and not any(_overlaps(r, span) for span in register_future)
    ]
    result: list[Residence] = []
    for r in known:
        if r in ahead:
            continue
        for s, e in _minus((r.start or _FIRST, r.end or _LAST), [(first, _LAST)]):
            result.append(_residence(r, s, e))
    cuts = sorted({r.start for r in ahead if r.start is not None})
    for (s, e), r in spans:
        for cut in cuts:
            if s < cut <= e:
                e = cut - _ONE_DAY
        result.append(_residence(r, s, e))
    result.sort(key=_residence_key)
    joined: list[Residence] = []
    for r in dict.fromkeys(result):
        if joined:
            last = joined[-1]
            if (
                (last.municipality, last.basis) == (r.municipality, r.basis)
                and last.end is not None
                and r.start is not None
                and last.end + _ONE_DAY == r.start
            ):
                joined[-1] = attrs.evolve(last, end=r.end)
                continue
        joined.append(r)
    # a move ahead stays a residence of its own: joined with today's, it would no longer be
    # recognised as one by the next sync
    return tuple(sorted(dict.fromkeys([*joined, *ahead]), key=_residence_key))


def _enrolment_key(e: Enrolment) -> tuple[str, dt.date]:
    return (e.school_form.value, e.start)


def _merge_enrolments(
    known: Sequence[Enrolment], register: Sequence[Enrolment]
) -> tuple[Enrolment, ...]:
    by_key = {_enrolment_key(e): e for e in known}
    for e in register:
        old = by_key.get(_enrolment_key(e))
        if old is not None and e.programme is Programme.NONE:
            e = attrs.evolve(e, programme=old.programme)  # the export does not say: kept
        by_key[_enrolment_key(e)] = e
    return tuple(sorted(by_key.values(), key=lambda e: (e.start, e.school_form.value)))


def _qualification_key(q: Qualification) -> tuple[dt.date, str]:
    return (q.issued, q.kind.value)


def merge_facts(known: Youth, register: Youth, *, on: dt.date) -> Youth:
    """The store's facts about a youth with the register's, taken on ``on``, merged.

    The register's word counts for the days it speaks about, the store's for the rest;
    nothing the store knows is dropped because the register no longer lists it:

    - **residences**: the register's residences speak about the days from the first day
      any of them holds on (an undated start means from ``on``: the export says where the
      youth lives now — or, for a residence that has ended, its last day); for those days
      they replace the store's, which are cut, not dropped, and hold for the days before.
      A residence the store knows to start after ``on`` (a move ahead) is kept, and the
      register's current residence ends the day before it, unless the register names a
      move ahead of its own. A register listing no residence says nothing about where the
      youth lives: the store's are kept. Pieces that meet with the same municipality and
      basis become one;
    - **enrolments**: the same enrolment (school form and first day) as the register lists
      it (a new last day, a break-off; the store's programme when the export gives none);
      every other enrolment of either side kept;
    - **qualifications**: every certificate of either side, each once;
    - **single facts** (birth date, compulsory school completed, folkbokförd in Sweden,
      arrival after compulsory-school age): the register's when it has one, else the store's;
    - **protected identity wins**: when either side marks the youth protected, every
      residence is a protected registration.

    The merge is idempotent: merging the same register into the result gives the same facts
    (in the same order), so a second sync records nothing.

    Args:
        known: The facts the store holds (the case's current facts).
        register: The register's facts about the same youth.
        on: The day the export describes (the day of the sync).

    Returns:
        The merged facts, with the store's identity number.
    """
    singles = {
        name: getattr(register, name)
        if getattr(register, name) is not None
        else getattr(known, name)
        for name in _SINGLE
    }
    qualifications = sorted(
        dict.fromkeys((*known.qualifications, *register.qualifications)), key=_qualification_key
    )
    known_residences, register_residences = known.residences, register.residences
    if known.has_protected_identity or register.has_protected_identity:
        known_residences = _protected(known_residences)
        register_residences = _protected(register_residences)
    return Youth(
        id=known.id,
        residences=_merge_residences(known_residences, register_residences, on),
        enrolments=_merge_enrolments(known.enrolments, register.enrolments),
        qualifications=tuple(qualifications),
        **singles,
    )


def _protected(residences: Sequence[Residence]) -> tuple[Residence, ...]:
    """Every residence a protected registration (*skyddad folkbokföring*)."""
    return tuple(attrs.evolve(r, basis=HomeBasis.PROTECTED) for r in residences)


def _same_facts(a: Youth, b: Youth) -> bool:
    """The same facts, whatever order the lists are in."""
    return (
        a.id == b.id
        and all(getattr(a, name) == getattr(b, name) for name in _SINGLE)
        and sorted(a.residences, key=_residence_key) == sorted(b.residences, key=_residence_key)
        and set(a.enrolments) == set(b.enrolments)
        and len(a.enrolments) == len(b.enrolments)
        and set(a.qualifications) == set(b.qualifications)
        and len(a.qualifications) == len(b.qualifications)
    )


_DETAIL_FIELDS = ("name", "address", "email", "phone")


def merge_details(
    known: ContactDetails | None, register: ContactDetails | None, *, protected: bool
) -> ContactDetails | None:
    """The case's contact details with the register's merged: the register's value of each
    field when it has one, else the store's (a phone number a case worker added stays). A
    youth with protected identity keeps no address."""
    if known is None and register is None:
        return None
    a, b = known or ContactDetails(), register or ContactDetails()
    values = {
        name: getattr(b, name) if getattr(b, name) is not None else getattr(a, name)
        for name in _DETAIL_FIELDS
    }
    if protected:
        values["address"] = None
    merged = ContactDetails(**values)
    if known is None and merged == ContactDetails():
        return None
    return merged


def _changed_facts(old: Youth, new: Youth) -> list[str]:
    names = [*_SINGLE, "residences", "enrolments", "qualifications"]
    return [n.replace("_", " ") for n in names if getattr(old, n) != getattr(new, n)]


# -- the summary ------------------------------------------------------------------------------


class ActionKind(Labelled):
    """What a sync did, or leaves to the case worker, for one youth or row."""

    REGISTERED = ("registered", "registrerad i aktivitetsansvaret")
    FACTS_UPDATED = ("facts_updated", "uppgifter uppdaterade från registret")
    CONTACT_DETAILS = ("contact_details", "kontaktuppgifter uppdaterade från registret")
    MISSING = ("missing", "saknas i registret: handläggaren beslutar")
    LISTED_AGAIN = ("listed_again", "finns åter i registret")
    ENDED = ("ended", "aktivitetsansvaret avslutat")
    TO_DECIDE = ("to_decide", "handläggaren beslutar om ärendet ska avslutas")
    NOT_REGISTERED = ("not_registered", "i målgruppen men inte registrerad")
    REJECTED = ("rejected", "rad i registret avvisad")

    @property
    def changes(self) -> bool:
        """Whether the action changes the store."""
        return self in _CHANGES


_CHANGES = frozenset(
    {
        ActionKind.REGISTERED,
        ActionKind.FACTS_UPDATED,
        ActionKind.CONTACT_DETAILS,
        ActionKind.ENDED,
        ActionKind.MISSING,
        ActionKind.LISTED_AGAIN,
    }
)


@attrs.frozen(kw_only=True)
class SyncAction:
    """One action of a sync.

    Attributes:
        kind: What was done (or is left to decide).
        youth: The youth's masked identity number (``None`` for a row without one).
        case_id: The case concerned (``None`` for a youth not registered, and in a dry run
            for a registration).
        day: The day of the event recorded (the registration, the end of KAA).
        detail: In words, without a whole identity number.
    """

    kind: ActionKind
    youth: str | None
    case_id: str | None = None
    day: dt.date | None = None
    detail: str = attrs.field(default="", converter=scrub)

    def __str__(self) -> str:
        who = self.youth or "(no identity number)"
        case = f" (case {self.case_id})" if self.case_id else ""
        day = f" {self.day.isoformat()}" if self.day is not None else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.kind.value}{day} {who}{case}{detail}"


@attrs.define(kw_only=True)
class SyncSummary:
    """What a sync did.

    Attributes:
        day: The day of the sync.
        municipality: The store's kommunkod.
        dry_run: Nothing was written (the actions say what would have been done).
        youths: Youths read from the register.
        in_target_group: Of those, how many are in the target group on the day.
        open_cases: Open cases in the store when the sync began.
        counts: How many actions of each kind.
        actions: Every action, in order (empty when the caller asked not to keep them: they
            were passed to its callback instead).
    """

    day: dt.date
    municipality: str
    dry_run: bool = False
    youths: int = 0
    in_target_group: int = 0
    open_cases: int = 0
    counts: dict[ActionKind, int] = attrs.Factory(lambda: dict.fromkeys(ActionKind, 0))
    actions: list[SyncAction] = attrs.Factory(list)

    def count(self, kind: ActionKind) -> int:
        """How many actions of ``kind``."""
        return self.counts[kind]

    @property
    def changed(self) -> bool:
        """Whether the sync changed the store (or, in a dry run, would have)."""
        return any(self.counts[k] for k in _CHANGES)

    @property
    def ok(self) -> bool:
        """No row of the register was rejected."""
        return self.counts[ActionKind.REJECTED] == 0

    def __str__(self) -> str:
        parts = ", ".join(f"{self.counts[k]} {k.value.replace('_', ' ')}" for k in ActionKind)
        verb = "would be" if self.dry_run else "were"
        return (
            f"sync of {self.municipality} on {self.day.isoformat()}: {self.youths} youths read, "
            f"{self.in_target_group} in the target group, {self.open_cases} open cases before; "
            f"actions ({verb} done): {parts}"
        )


# -- the sync ---------------------------------------------------------------------------------


@attrs.define(slots=True)
class _Open:
    """One open case as the sync works on it (read from the store when its youth comes)."""

    case_id: str
    youth: Youth
    details: ContactDetails | None
    ended: bool
    missing: dt.date | None = None

    @classmethod
    def of(cls, case_id: str, case: Case) -> _Open:
        return cls(
            case_id=case_id,
            youth=case.youth,
            details=case.contact_details,
            ended=case.end is not None,
            missing=case.missing_from_register,
        )


class _Index:
    """The open cases' index: the youth's compact key → the case id, and whether the export
    has listed the youth yet — about 100 bytes a case, never the case's facts (which are read
    from the store when the youth comes, so a sync's memory does not grow with the store)."""

    def __init__(self) -> None:
        self._slots = SeenYouths()
        self.case_ids: list[str] = []
        self.seen = bytearray()

    def __len__(self) -> int:
        return len(self.case_ids)

    def add(self, youth: IdentityNumber, case_id: str, *, seen: bool) -> None:
        self._slots.add(compact_key(youth), len(self.case_ids))
        self.case_ids.append(case_id)
        self.seen.append(seen)

    def slot(self, youth: IdentityNumber) -> int | None:
        return self._slots.get(compact_key(youth))

    def unseen(self) -> Iterator[str]:
        """The case ids whose youth the export has not listed, in the order indexed."""
        return (c for c, seen in zip(self.case_ids, self.seen, strict=True) if not seen)


class _RolledBack(Exception):
    """Raised inside a dry run's batch so that the store rolls it back."""


@contextlib.contextmanager
def _transaction(store: CaseStore, dry_run: bool) -> Iterator[None]:
    """One batch of the store; in a dry run, rolled back when it ends."""
    if not dry_run:
        with store.batch():
            yield
        return
    try:
        with store.batch():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@attrs.define
class _Sync:
    store: CaseStore
    on: dt.date
    equivalence: Equivalence
    summary: SyncSummary
    keep: bool
    on_action: Callable[[SyncAction], None] | None
    index: _Index = attrs.Factory(_Index)

    def act(self, action: SyncAction) -> None:
        self.summary.counts[action.kind] += 1
        if self.keep:
            self.summary.actions.append(action)
        if self.on_action is not None:
            self.on_action(action)

    def load(self) -> None:
        for stored in self.store.cases(purpose=PURPOSE, open_on=self.on):
            self.index.add(stored.case.youth.id, stored.case_id, seen=False)
        self.summary.open_cases = len(self.index)

    def fetch(self, case_id: str) -> _Open:
        return _Open.of(case_id, self.store.case(case_id, purpose=PURPOSE))

    def decide(self, youth: Youth) -> Decision:
        return assess(
            youth, on=self.on, municipality=self.store.municipality, equivalence=self.equivalence
        )

    def leaving(self, entry: _Open) -> Leaving | None:
        return leaving(entry.youth, self.decide(entry.youth))

    def record(self, record: SourceRecord) -> None:
        self.summary.youths += 1
        youth = record.youth
        masked = youth.id.masked()
        slot = self.index.slot(youth.id)
        decision = self.decide(youth)
        if decision.in_target_group:
            self.summary.in_target_group += 1
        if slot is None:
            if decision.in_target_group:
                self.register(record)
            elif decision.outcome is Outcome.UNDECIDED:
                unsettled = "; ".join(r.explanation for r in decision.unsettled)
                self.act(
                    SyncAction(
                        kind=ActionKind.NOT_REGISTERED,
                        youth=masked,
                        detail=(
                            "the facts do not settle whether the youth is in the target group "
                            f"({unsettled}): record the fact in the register"
                        ),
                    )
                )
            return
        if self.index.seen[slot]:  # the same youth twice in the export: the reader reports it
            return
        self.index.seen[slot] = True
        entry = self.fetch(self.index.case_ids[slot])
        if entry.missing is not None and self.try_record(
            entry, masked, Event(data=RegisterPresence(missing_since=None), day=self.on)
        ):
            entry.missing = None
            self.act(
                SyncAction(
                    kind=ActionKind.LISTED_AGAIN,
                    youth=masked,
                    case_id=entry.case_id,
                    day=self.on,
                    detail="the register lists the youth again",
                )
            )
        self.update(entry, record, masked)
        if not entry.ended:
            self.end_or_decide(entry, masked, self.leaving(entry), missing=False)

    def register(self, record: SourceRecord) -> None:
        youth = record.youth
        masked = youth.id.masked()
        if record.case is not None:
            self.act(
                SyncAction(
                    kind=ActionKind.NOT_REGISTERED,
                    youth=masked,
                    detail=(
                        "the export holds a KAA case for the youth (registered "
                        f"{record.case.registration.day.isoformat()} in {record.origin.source}): "
                        "not registered again here; move the case history into the store with "
                        "`kaa store import`"
                    ),
                )
            )
            return
        reason = registration_reason(youth, self.on)
        registration = Registration(
            day=self.on,
            source=RegistrationSource.REGISTER_LIST,
            reason=reason,
            activity=_activity(youth, self.on),
        )
        try:
            case_id = self.store.register(
                Case(
                    youth=youth,
                    municipality=self.store.municipality,
                    registration=registration,
                    contact_details=record.contact_details,
                ),
                purpose=PURPOSE,
            )
        except OpenCaseExists as exc:
            self.act(
                SyncAction(
                    kind=ActionKind.NOT_REGISTERED,
                    youth=masked,
                    case_id=exc.case_id,
                    detail=(
                        f"the youth has an open case that is not open on {self.on.isoformat()} "
                        "(registered later): left as it is"
                    ),
                )
            )
            return
        except KaaError as exc:
            self.act(
                SyncAction(
                    kind=ActionKind.NOT_REGISTERED,
                    youth=masked,
                    detail=f"the store refused the registration: {exc}",
                )
            )
            return
        self.index.add(youth.id, case_id, seen=True)
        self.act(
            SyncAction(
                kind=ActionKind.REGISTERED,
                youth=masked,
                case_id=None if self.summary.dry_run else case_id,
                day=self.on,
                detail=f"from {record.origin.source}, reason for registration {reason.value}",
            )
        )

    def update(self, entry: _Open, record: SourceRecord, masked: str) -> None:
        merged = merge_facts(entry.youth, record.youth, on=self.on)
        details = merge_details(
            entry.details, record.contact_details, protected=merged.has_protected_identity
        )
        # the contact details first: a youth who became protected loses the address before
        # the protected facts are recorded (a protected youth's case keeps no address)
        changed_details = details != entry.details
        if changed_details and self.try_record(
            entry, masked, Event(data=ContactDetailsChanged(details=details), day=self.on)
        ):
            entry.details = details
            self.act(
                SyncAction(
                    kind=ActionKind.CONTACT_DETAILS,
                    youth=masked,
                    case_id=entry.case_id,
                    day=self.on,
                    detail="from the register (fields the register leaves empty kept)",
                )
            )
        if not _same_facts(merged, entry.youth):
            changed = _changed_facts(entry.youth, merged)
            if self.try_record(entry, masked, Event(data=FactsUpdated(youth=merged), day=self.on)):
                entry.youth = merged
                self.act(
                    SyncAction(
                        kind=ActionKind.FACTS_UPDATED,
                        youth=masked,
                        case_id=entry.case_id,
                        day=self.on,
                        detail=f"{', '.join(changed)} merged with the register's",
                    )
                )

    def try_record(self, entry: _Open, masked: str, event: Event) -> bool:
        try:
            self.store.record(entry.case_id, event, purpose=PURPOSE)
        except KaaError as exc:
            self.act(
                SyncAction(
                    kind=ActionKind.TO_DECIDE,
                    youth=masked,
                    case_id=entry.case_id,
                    detail=f"the store refused the {event.kind.value} event: {exc}",
                )
            )
            return False
        return True

    def end_or_decide(
        self, entry: _Open, masked: str, gone: Leaving | None, *, missing: bool, note: str = ""
    ) -> None:
        absent = f"not in the register export of {self.on.isoformat()}{note}" if missing else ""
        if gone is not None and gone.settled:
            assert gone.reason is not None
            assert gone.day is not None
            end = KaaEnd(day=gone.day, reason=gone.reason)
            if self.try_end(entry, masked, end):
                entry.ended = True
                self.act(
                    SyncAction(
                        kind=ActionKind.ENDED,
                        youth=masked,
                        case_id=entry.case_id,
                        day=end.day,
                        detail=f"{end.reason.value} ({end.reason.label_sv}): {gone.explanation}"
                        + (f"; {absent}" if absent else ""),
                    )
                )
            return
        if gone is None and not missing:
            return
        words = [absent] if absent else []
        if gone is not None:
            words += [gone.explanation, gone.explanation_sv]
        else:
            words.append("the store's facts still put the youth in the target group")
        if missing and entry.missing is None:
            # remembered in the case, so that the worklist asks the case worker to decide
            marked = Event(data=RegisterPresence(missing_since=self.on), day=self.on)
            if self.try_record(entry, masked, marked):
                entry.missing = self.on
                self.act(
                    SyncAction(
                        kind=ActionKind.MISSING,
                        youth=masked,
                        case_id=entry.case_id,
                        day=self.on,
                        detail="; ".join(words),
                    )
                )
            return
        self.act(
            SyncAction(
                kind=ActionKind.TO_DECIDE,
                youth=masked,
                case_id=entry.case_id,
                detail="; ".join(words),
            )
        )

    def try_end(self, entry: _Open, masked: str, end: KaaEnd) -> bool:
        try:
            self.store.record(entry.case_id, Event(data=end), purpose=PURPOSE)
        except KaaError as exc:
            self.act(
                SyncAction(
                    kind=ActionKind.TO_DECIDE,
                    youth=masked,
                    case_id=entry.case_id,
                    detail=(
                        f"the facts end KAA on {end.day.isoformat()} ({end.reason.value}), but "
                        f"the store refused the end: {exc}"
                    ),
                )
            )
            return False
        return True


def sync(
    store: CaseStore,
    records: Iterable[SourceRecord],
    *,
    on: dt.date,
    hooks: Hooks,
    read: ReadSummary | None = None,
    dry_run: bool = False,
    chunk: int = CHUNK,
    on_action: Callable[[SyncAction], None] | None = None,
    keep_actions: bool = True,
    progress: Callable[[int], None] | None = None,
) -> SyncSummary:
    """Bring ``store`` up to date with a register export (see the module docs).

    Args:
        store: The case store, bound to the municipality.
        records: The register's records, streamed (:func:`kaa.adapters.open_source`); read
            once, never held.
        on: The day the export describes (the day of the sync): registrations are dated
            this day, and the facts are merged as of it.
        hooks: The plugin facade (the municipality's answer to the open questions of T3).
        read: The reader's summary: each problem it holds (a rejected row, with its file,
            line and column) is listed as a :attr:`ActionKind.REJECTED` action.
        dry_run: Do everything in the store's transactions and roll each back: the summary
            says what would be done, the store keeps nothing (but the audit log keeps the
            reads).
        chunk: Youths per transaction; a sync killed in the middle keeps the chunks it
            committed.
        on_action: Called with each action as it is done (the command prints them).
        keep_actions: Keep every action in the summary (turn off for a national register,
            with ``on_action`` seeing them instead).
        progress: Called with the number of youths done after each chunk.

    Returns:
        What was done.

    Raises:
        InvalidInput: If the register cannot be read at all (nothing of the chunk being read
            is kept, and no open case is treated as missing).
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    TIMELINE.at(on)  # refuse a day before KAA before touching the store
    summary = SyncSummary(day=on, municipality=store.municipality, dry_run=dry_run)
    work = _Sync(
        store=store,
        on=on,
        equivalence=hooks.counts_as_equivalent_education,
        summary=summary,
        keep=keep_actions,
        on_action=on_action,
    )
    work.load()
    problems = 0
    for records_chunk in _chunks(records, max(1, chunk)):
        with _transaction(store, dry_run):
            for record in records_chunk:
                work.record(record)
        if read is not None:
            problems = _rejected(work, read.problems, problems)
        if progress is not None:
            progress(len(records_chunk))
    if read is not None:
        problems = _rejected(work, read.problems, problems)
    rejected = {p.youth for p in read.problems} if read is not None else set()
    for case_ids in _chunks(work.index.unseen(), max(1, chunk)):
        with _transaction(store, dry_run):
            for case_id in case_ids:
                entry = work.fetch(case_id)
                if entry.ended:
                    continue
                masked = entry.youth.id.masked()
                note = " (its row was rejected: correct the register)" if masked in rejected else ""
                work.end_or_decide(entry, masked, work.leaving(entry), missing=True, note=note)
    return summary


def _rejected(work: _Sync, problems: Sequence[Problem], done: int) -> int:
    for problem in problems[done:]:
        work.act(SyncAction(kind=ActionKind.REJECTED, youth=problem.youth, detail=str(problem)))
    return len(problems)
