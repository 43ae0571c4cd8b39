"""The register extract (*registerutdrag*): everything the register holds about one youth.

A youth may ask what the municipality's KAA register holds about them (article 15 of the
General Data Protection Regulation, (EU) 2016/679). The extract answers from the case store
(:mod:`kaa.store`): for **every case** of the youth in the municipality (a youth registered
again after an end has several), the facts with their history (the registration and every
later facts update), the contact details, the case workers, the contacts, the measures, the
individual plan, the consents, the end of KAA, every correction (what was recorded and what
corrected it), every event as it was recorded, and **who has read or changed the case** (the
store's audit log for the case).

:func:`gather_extract` reads it through the store's own audited reads
(:meth:`~kaa.store.CaseStore.find`, :meth:`~kaa.store.CaseStore.history`,
:meth:`~kaa.store.CaseStore.case`, :meth:`~kaa.store.CaseStore.audit`) and then writes an
:attr:`~kaa.store.AuditAction.EXTRACT` entry for each case, so an extract is never made
without the audit log saying so. The audit entries it lists are those written **before the
extract began** (:attr:`RegisterExtract.made_at`); the extract's own search, reads and
extract entry come after and are not in it — the page and the JSON say so.

Two renderings, each written atomically (:mod:`kaa.formats.files`):

- :func:`render_html` / :func:`write_extract_html`: a self-contained Swedish page (inline
  CSS, no script, nothing fetched), in the style of the committee report;
- :func:`extract_to_dict` / :func:`render_json` / :func:`write_extract_json`: JSON in the
  shape documented in ``docs/register-extract.md``, keys in a fixed order.

The identity number is masked by default, and in the masked renderings anything in a text
that is shaped like an identity number is masked too (:func:`kaa.errors.scrub`), and the
youth's own number in any of its written forms wherever it stands, even among other digits. The
extract is *for the youth*, so the command shows the whole number, but only when asked
(``reveal_ids=True``), and only for an extract gathered with ``reveal_ids=True``, which
writes a :attr:`~kaa.store.AuditAction.REVEAL_IDS` entry as well. A youth with protected
identity (*skyddad folkbokföring*) never has an address in either rendering, not even one
recorded before the protection.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from kaa.convert import to_dict
from kaa.errors import InvalidInput, scrub
from kaa.formats.files import atomic_text
from kaa.identity import IdentityNumber
from kaa.law import FORORDNING_2006_39, SKOLLAGEN, DocumentReference
from kaa.model.case import Address, Case, Contact, ContactDetails, KaaEnd, Measure
from kaa.model.documentation import ConsentEvent, PlanRevision
from kaa.model.youth import Labelled, Youth, check_municipality_code
from kaa.municipalities import municipality as lookup_municipality
from kaa.rules.measures import Catalogue, national_catalogue
from kaa.store import (
    AuditAction,
    AuditEntry,
    CaseStore,
    CaseWorkerAssigned,
    ContactDetailsChanged,
    Correction,
    Event,
    EventKind,
    FactsUpdated,
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
from kaa.store.base import utc_now
from kaa.store.fold import target_of

__all__ = [
    "DEFAULT_PURPOSE",
    "EXTRACT_FORMAT",
    "EXTRACT_VERSION",
    "GDPR_ARTICLE_15",
    "EventStatus",
    "ExtractedCase",
    "FactsStatus",
    "FactsVersion",
    "RegisterExtract",
    "extract_to_dict",
    "gather_extract",
    "render_html",
    "render_json",
    "write_extract_html",
    "write_extract_json",
]

DEFAULT_PURPOSE = "registerutdrag"
"""The purpose written in the audit log when none is given."""

EXTRACT_FORMAT = "kaa.register_extract"
"""The ``format`` of the JSON extract."""

EXTRACT_VERSION = 1
"""The ``version`` of the JSON extract's shape (raised when the shape changes)."""

GDPR_ARTICLE_15 = DocumentReference(
    title="dataskyddsförordningen",
    identifier="förordning (EU) 2016/679",
    section="artikel 15",
    url="https://eur-lex.europa.eu/eli/reg/2016/679/oj",
)
"""The data subject's right of access: what the extract answers."""

_CH29_S9 = SKOLLAGEN.at(chapter=29, section="9")

# Keys whose values are ids made by the store, never masked (a UUID can look like a number).
_ID_KEYS = frozenset({"event_id", "case_id", "supersedes", "superseded_by"})


class EventStatus(Labelled):
    """Whether a recorded event still counts, after the corrections of the case."""

    STANDS = ("stands", "gäller")
    """Nothing has corrected it (for a correction: it is the one in force)."""
    CORRECTED = ("corrected", "rättad")
    """A later correction replaced it (for a correction: a later correction replaced it)."""
    WITHDRAWN = ("withdrawn", "återkallad")
    """A later correction withdrew it: it counts as never having happened."""


class FactsStatus(Labelled):
    """Where a version of the facts about the youth stands."""

    CURRENT = ("current", "gällande uppgifter")
    EARLIER = ("earlier", "tidigare uppgifter, ersatta av senare")
    CORRECTED = ("corrected", "felaktiga uppgifter, rättade")
    WITHDRAWN = ("withdrawn", "återkallade uppgifter")


@attrs.frozen(kw_only=True)
class FactsVersion:
    """One version of the facts about the youth, as recorded in a case.

    Attributes:
        event: The event that recorded them: the registration, a facts update, or a
            correction of one of them.
        youth: The facts.
        day: The day they were learnt (for a correction: the day of the facts it corrects).
        status: Whether they are the facts the case uses now.
    """

    event: Event
    youth: Youth
    day: dt.date
    status: FactsStatus


def _facts_of(data: Payload) -> Youth | None:
    if isinstance(data, Registered | FactsUpdated):
        return data.youth
    if isinstance(data, Correction) and data.data is not None:
        return _facts_of(data.data)
    return None


def _winners(events: Sequence[Event]) -> dict[str, Event]:
    """The correction in force for each corrected event (by id): the one recorded last, as
    :func:`kaa.store.fold.fold` applies them."""
    winners: dict[str, Event] = {}
    for event in events:
        if event.supersedes is not None:
            target = target_of(events, event.supersedes)
            assert target.event_id is not None
            winners[target.event_id] = event
    return winners


@attrs.frozen(kw_only=True)
class ExtractedCase:
    """One case of the youth, as the register holds it.

    Attributes:
        case_id: The store's case id.
        case: The case as it is now (the fold of its events, corrections applied).
        events: Every event of the case in the order recorded, corrections included.
        audit: The audit log's entries for the case written before the extract began,
            oldest first.
    """

    case_id: str
    case: Case
    events: tuple[Event, ...]
    audit: tuple[AuditEntry, ...]
    _winners: Mapping[str, Event] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: _winners(self.events), takes_self=True),
    )

    def status_of(self, event: Event) -> tuple[EventStatus, Event | None]:
        """Where ``event`` stands, and the correction in force that replaced or withdrew it
        (``None`` when it stands)."""
        winners = self._winners
        if event.supersedes is not None:
            original = target_of(self.events, event.supersedes)
            assert original.event_id is not None
            in_force = winners[original.event_id]
            if in_force is event:
                return EventStatus.STANDS, None
            return EventStatus.CORRECTED, in_force
        winner = winners.get(event.event_id or "")
        if winner is None:
            return EventStatus.STANDS, None
        assert isinstance(winner.data, Correction)
        if winner.data.data is None:
            return EventStatus.WITHDRAWN, winner
        return EventStatus.CORRECTED, winner

    def corrections(self) -> tuple[Event, ...]:
        """The case's corrections, in the order recorded."""
        return tuple(e for e in self.events if e.kind is EventKind.CORRECTION)

    def corrected_event(self, correction: Event) -> Event:
        """The event a correction names (which may itself be a correction)."""
        assert correction.supersedes is not None
        found = next((e for e in self.events if e.event_id == correction.supersedes), None)
        if found is None:  # pragma: no cover - the store refuses such a correction
            raise InvalidInput(f"the case has no event {correction.supersedes!r}")
        return found

    def facts_history(self) -> tuple[FactsVersion, ...]:
        """Every version of the facts recorded in the case, in the order recorded: the
        registration's, each facts update's, and each correction of them, with where each
        stands (exactly one is :attr:`FactsStatus.CURRENT`)."""
        winners = self._winners
        # The facts the fold uses: the latest original facts event that still counts.
        current: Event | None = None
        for event in self.events:
            if event.kind in (EventKind.REGISTERED, EventKind.FACTS_UPDATED):
                winner = winners.get(event.event_id or "")
                if winner is None:
                    current = event
                elif isinstance(winner.data, Correction) and winner.data.data is not None:
                    current = winner
        found = []
        for event in self.events:
            youth = _facts_of(event.data)
            if youth is None:  # not facts (a withdrawal holds none: the withdrawn ones show it)
                continue
            status, _ = self.status_of(event)
            day = event.data.day if isinstance(event.data, Correction) else event.day
            assert day is not None
            if event is current:
                facts_status = FactsStatus.CURRENT
            elif status is EventStatus.WITHDRAWN:
                facts_status = FactsStatus.WITHDRAWN
            elif status is EventStatus.CORRECTED:
                facts_status = FactsStatus.CORRECTED
            else:
                facts_status = FactsStatus.EARLIER
            found.append(FactsVersion(event=event, youth=youth, day=day, status=facts_status))
        return tuple(found)

    def case_workers(self) -> tuple[Event, ...]:
        """The case-worker assignments recorded, in the order recorded, with the corrections
        and withdrawals of them."""
        return tuple(
            e
            for e in self.events
            if e.kind is EventKind.CASE_WORKER
            or (
                e.supersedes is not None
                and target_of(self.events, e.supersedes).kind is EventKind.CASE_WORKER
            )
        )


@attrs.frozen(kw_only=True)
class RegisterExtract:
    """Everything the register of one municipality holds about one youth.

    Attributes:
        youth: The youth's identity number (masked in ``repr``).
        municipality: The kommunkod of the register.
        made_at: When the extract began (UTC): the audit entries listed are those written
            before it.
        actor: Who made the extract.
        purpose: Why (written in the audit log).
        cases: Every case of the youth in the municipality, oldest first; empty when the
            register holds nothing about the youth.
        reveal_logged: Whether the store's audit log says the whole identity number is shown
            (:func:`gather_extract` with ``reveal_ids=True``); only then may a rendering
            show it.
    """

    youth: IdentityNumber
    municipality: str = attrs.field(validator=check_municipality_code)
    made_at: dt.datetime
    actor: str
    purpose: str
    cases: tuple[ExtractedCase, ...]
    reveal_logged: bool = False

    @property
    def protected_identity(self) -> bool:
        """Whether any version of the youth's facts, in any case, has protected identity:
        then no address is shown anywhere."""
        return any(
            youth.has_protected_identity
            for extracted in self.cases
            for youth in [extracted.case.youth, *(_facts_of(e.data) for e in extracted.events)]
            if youth is not None
        )

    @property
    def event_count(self) -> int:
        """The number of events recorded in all the cases."""
        return sum(len(c.events) for c in self.cases)


# -- gathering ------------------------------------------------------------------------------


def gather_extract(
    store: CaseStore,
    youth: IdentityNumber,
    *,
    purpose: str = DEFAULT_PURPOSE,
    reveal_ids: bool = False,
) -> RegisterExtract:
    """Read everything the store's municipality holds about ``youth``; audit-logged.

    The reads go through the store's own audited methods: a search
    (:meth:`~kaa.store.CaseStore.find`), then for each case its history and the case itself
    (:meth:`~kaa.store.CaseStore.history`, :meth:`~kaa.store.CaseStore.case`) and its audit
    entries written before the extract began; then one
    :attr:`~kaa.store.AuditAction.EXTRACT` entry per case (one without a case when nothing
    was found), and, with ``reveal_ids``, one :attr:`~kaa.store.AuditAction.REVEAL_IDS`
    entry per case.

    Args:
        store: The store, bound to the municipality whose register is asked.
        youth: Whose extract.
        purpose: Why (written in every audit entry).
        reveal_ids: Whether the extract will be rendered with the whole identity number (the
            youth's own copy); only such an extract may be.

    Returns:
        The extract; with no cases when the register holds nothing about the youth (in this
        municipality: another municipality's cases are invisible to the store).

    Raises:
        InvalidInput: If ``purpose`` is empty.
        StoreError: If the store fails (a case deleted by retention while being read).
    """
    if not purpose.strip():
        raise InvalidInput("say why the extract is made (a purpose)", column="purpose")
    began = utc_now()
    case_ids = store.find(youth, purpose=purpose)
    cases = []
    for case_id in case_ids:
        events = tuple(store.history(case_id, purpose=purpose))
        case = store.case(case_id, purpose=purpose)
        before = tuple(entry for entry in store.audit(case_id=case_id) if entry.at < began)
        cases.append(ExtractedCase(case_id=case_id, case=case, events=events, audit=before))
    logged: Sequence[str | None] = list(case_ids) or [None]
    shown = "; whole identity number shown" if reveal_ids else ""
    store.log(
        AuditAction.EXTRACT,
        purpose=purpose,
        case_ids=logged,
        detail=f"register extract of {youth.masked()}: {len(cases)} case(s){shown}",
    )
    if reveal_ids:
        store.log(
            AuditAction.REVEAL_IDS,
            purpose=purpose,
            case_ids=logged,
            detail=f"register extract of {youth.masked()} with the whole identity number",
        )
    return RegisterExtract(
        youth=youth,
        municipality=store.municipality,
        made_at=began,
        actor=store.actor,
        purpose=purpose,
        cases=tuple(cases),
        reveal_logged=reveal_ids,
    )


def _check_reveal(extract: RegisterExtract, reveal_ids: bool) -> None:
    if reveal_ids and not extract.reveal_logged:
        raise InvalidInput(
            "this extract was gathered without reveal_ids=True: the audit log does not say "
            "the whole identity number is shown, so it is not"
        )


# -- the words of the page -----------------------------------------------------------------


class _Words:
    """How values are written for one rendering: whole or masked numbers, addresses shown
    or withheld, measure types by their catalogue names."""

    def __init__(self, extract: RegisterExtract, *, reveal_ids: bool, catalogue: Catalogue):
        self.youth = extract.youth
        self.reveal_ids = reveal_ids
        self.protected = extract.protected_identity
        self.catalogue = catalogue

    def text(self, value: object) -> str:
        """A text as shown: masked wherever it looks like an identity number, unless the
        whole number is to be shown."""
        text = str(value)
        return text if self.reveal_ids else _mask_text(text, self.youth)

    def id(self, number: IdentityNumber) -> str:
        return number.full("separated_long") if self.reveal_ids else number.masked()

    def measure_type(self, type_id: str) -> str:
        if type_id in self.catalogue:
            return f"{self.catalogue.get(type_id).label_sv} ({type_id})"
        return type_id

    def address(self, address: Address | None) -> str:
        if address is None:
            return "ingen"
        if self.protected:
            return "visas inte (skyddad identitet)"
        return f"{address.street}, {address.postal_code} {address.city}"


def _day(value: dt.date | None, empty: str = "–") -> str:
    return value.isoformat() if value is not None else empty


def _time(value: dt.datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _span(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "tid okänd"
    if end is None:
        return f"från {_day(start)}"
    if start is None:
        return f"till {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def _yes_no(value: bool | None) -> str:
    return "uppgift saknas" if value is None else ("ja" if value else "nej")


def _kommun(code: str) -> str:
    try:
        return f"{lookup_municipality(code).name} ({code})"
    except InvalidInput:  # pragma: no cover - the model accepts only known codes
        return code


Rows = list[tuple[str, str]]
"""Label and value pairs, as plain text (escaped when written)."""


def _facts_rows(youth: Youth, words: _Words) -> Rows:
    rows: Rows = [("Personnummer", words.id(youth.id))]
    if youth.birth_date is not None:
        rows.append(("Födelsedatum", _day(youth.birth_date)))
    for residence in youth.residences:
        rows.append(
            (
                "Hemkommun",
                f"{_kommun(residence.municipality)}, {residence.basis.label_sv}, "
                f"{_span(residence.start, residence.end)}",
            )
        )
    rows.append(
        ("Skolplikten fullgjord", _day(youth.compulsory_school_completed, "uppgift saknas"))
    )
    if youth.folkbokford_in_sweden is not None:
        rows.append(("Folkbokförd i Sverige", _day(youth.folkbokford_in_sweden)))
    if youth.arrived_after_compulsory_school_age is not None:
        rows.append(
            (
                "Kom till Sverige när skolplikten hade upphört",
                _yes_no(youth.arrived_after_compulsory_school_age),
            )
        )
    for enrolment in youth.enrolments:
        broke_off = ", avbruten" if enrolment.cancelled else ""
        rows.append(
            (
                "Utbildning",
                f"{enrolment.school_form.label_sv}, {enrolment.programme.label_sv}, "
                f"{_span(enrolment.start, enrolment.end)}{broke_off}",
            )
        )
    for qualification in youth.qualifications:
        rows.append(
            ("Betyg eller examen", f"{qualification.kind.label_sv}, {_day(qualification.issued)}")
        )
    if not youth.enrolments:
        rows.append(("Utbildning", "ingen registrerad"))
    return rows


def _details_rows(details: ContactDetails | None, words: _Words) -> Rows:
    if details is None:
        return [("Kontaktuppgifter", "inga")]
    return [
        ("Namn", words.text(details.name) if details.name else "–"),
        ("Adress", words.address(details.address)),
        ("E-post", words.text(details.email) if details.email else "–"),
        ("Telefon", words.text(details.phone) if details.phone else "–"),
    ]


def _revision_rows(revision: PlanRevision, words: _Words) -> Rows:
    rows: Rows = [("Datum", _day(revision.day))]
    if revision.case_worker:
        rows.append(("Handläggare", words.text(revision.case_worker)))
    rows.append(("Mål", words.text(revision.goal) if revision.goal else "–"))
    rows.append(("Planering", words.text(revision.planning) if revision.planning else "–"))
    if revision.reason:
        rows.append(("Skäl till revideringen", words.text(revision.reason)))
    if revision.follow_ups:
        rows.append(("Uppföljning planerad", ", ".join(_day(d) for d in revision.follow_ups)))
    for planned in revision.measures:
        parts = []
        if planned.purpose:
            parts.append(f"syfte: {planned.purpose}")
        for resp in planned.responsibilities:
            who = resp.party.label_sv + (f" ({resp.name})" if resp.name else "")
            parts.append(f"{who} ansvarar för: {resp.task}")
        if planned.planned_start or planned.planned_end:
            parts.append(f"planerad {_span(planned.planned_start, planned.planned_end)}")
        if planned.follow_ups:
            parts.append("uppföljning " + ", ".join(_day(d) for d in planned.follow_ups))
        if planned.end_explanation:
            parts.append(f"varför den avslutades: {planned.end_explanation}")
        if planned.result:
            parts.append(f"resultat: {planned.result}")
        rows.append((f"Insats {words.text(planned.measure_id)}", words.text("; ".join(parts))))
    return rows


def _payload_rows(data: Payload | None, words: _Words) -> Rows:
    """What an event's payload says, in Swedish."""
    if data is None:
        return [("Rättelse", "händelsen återkallas: den räknas som om den aldrig hänt")]
    if isinstance(data, Registered):
        reg = data.registration
        return [
            ("Kommun", _kommun(data.municipality)),
            ("Registrerad", _day(reg.day)),
            ("Källa", reg.source.label_sv),
            ("Orsak", reg.reason.label_sv),
            ("Sysselsättning vid registreringen", reg.activity.label_sv),
            *_facts_rows(data.youth, words),
        ]
    if isinstance(data, Contact):
        learnt = data.activity.label_sv if data.activity is not None else "–"
        return [
            ("Kanal", data.channel.label_sv),
            ("Till", data.contacted.label_sv),
            ("Utfall", data.outcome.label_sv),
            ("Sysselsättning som kom fram", learnt),
        ]
    if isinstance(data, MeasureOffered):
        rows = [("Insats", words.text(data.measure_id)), ("Typ", words.measure_type(data.type))]
        if data.activity_after is not None:
            rows.append(("Sysselsättning efter insatsen", data.activity_after.label_sv))
        return rows
    if isinstance(data, MeasureDeclined):
        reason = words.text(data.reason) if data.reason else "–"
        return [("Insats", words.text(data.measure_id)), ("Skäl", reason)]
    if isinstance(data, MeasureStarted):
        return [("Insats", words.text(data.measure_id))]
    if isinstance(data, MeasureEnded):
        return [
            ("Insats", words.text(data.measure_id)),
            ("Skäl", data.reason.label_sv if data.reason is not None else "–"),
            (
                "Sysselsättning efter insatsen",
                data.activity_after.label_sv if data.activity_after is not None else "–",
            ),
        ]
    if isinstance(data, PlanMade | PlanRevised):
        return _revision_rows(data.revision, words)
    if isinstance(data, PlanFollowedUp):
        return [("Uppföljning", "planen följdes upp utan att revideras")]
    if isinstance(data, ConsentEvent):
        return [
            ("Samtycke", data.action.label_sv),
            ("Gäller", data.counterpart.label_sv),
            ("Vem", words.text(data.name) if data.name else "–"),
            ("Lämnat av", data.given_by.label_sv),
        ]
    if isinstance(data, FactsUpdated):
        return _facts_rows(data.youth, words)
    if isinstance(data, CaseWorkerAssigned):
        return [("Handläggare", words.text(data.case_worker) if data.case_worker else "ingen")]
    if isinstance(data, ContactDetailsChanged):
        if data.details is None:
            return [("Kontaktuppgifter", "borttagna")]
        return _details_rows(data.details, words)
    if isinstance(data, KaaEnd):
        return [("Upphörde", _day(data.day)), ("Orsak", data.reason.label_sv)]
    if isinstance(data, Correction):
        if data.data is None:
            return _payload_rows(None, words)
        kind = data.kind
        assert kind is not None
        return [
            ("Rättat till", kind.label_sv),
            ("Dag", _day(data.day)),
            *_payload_rows(data.data, words),
        ]
    raise AssertionError(type(data))  # pragma: no cover - every payload is handled above


# -- HTML ------------------------------------------------------------------------------------

# The committee report's look (kaa.report is a layer above this one, so the few rules are
# repeated here rather than imported).
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #1f5f8b;padding-bottom:.2rem}h3{font-size:1rem;margin:1.4rem 0 .3rem}
.meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ccd;border-radius:.4rem;padding:.6rem .9rem;min-width:10rem}
.card b{display:block;font-size:1.5rem}.card span{color:#555;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem;width:100%}
th,td{border-bottom:1px solid #dde;padding:.25rem .6rem;text-align:left;vertical-align:top}
thead th{background:#eef3f8}dl{margin:0}dt{font-weight:600;display:inline}
dd{display:inline;margin:0 0 0 .3rem}dd::after{content:"";display:block}
.corrected,.withdrawn{color:#b42318}.stands{color:#1a7f37}
.note{font-size:.85rem;color:#555}code{font-size:.8rem}.nw{white-space:nowrap}
@media print{body{max-width:none;margin:1cm;font-size:11pt;color:#000}
h2{break-after:avoid;border-color:#000}table{break-inside:avoid}
thead th{background:none;border-bottom:1px solid #000}}
"""


def _e(value: object) -> str:
    return _html.escape(str(value), quote=True)


def _nw(value: object) -> str:
    """A date or time that is not broken over lines."""
    return f'<span class="nw">{_e(value)}</span>'


def _dl(rows: Rows) -> str:
    return "<dl>" + "".join(f"<dt>{_e(k)}:</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _table(head: Sequence[str], body: Iterable[Sequence[str]], *, empty: str) -> str:
    """A table; ``body`` cells are HTML already (escaped by the caller)."""
    rows = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in body]
    if not rows:
        return f"<p>{_e(empty)}</p>"
    heading = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f"<table><thead><tr>{heading}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _card(value: object, label: str) -> str:
    return f'<div class="card"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _status_cell(extracted: ExtractedCase, event: Event, numbers: Mapping[str, int]) -> str:
    status, by = extracted.status_of(event)
    text = status.label_sv
    if by is not None:
        text += f" genom händelse {numbers[by.event_id or '']} ({_day(by.day)})"
    return f'<span class="{_e(status.value)}">{_e(text)}</span>'


def _case_html(extracted: ExtractedCase, index: int, total: int, words: _Words) -> str:
    case = extracted.case
    numbers = {e.event_id or "": i for i, e in enumerate(extracted.events, start=1)}
    state = (
        f"avslutat {_day(case.end.day)}" if case.end is not None else "pågår (aktivitetsansvaret)"
    )
    parts = [
        f'<section id="case-{_e(extracted.case_id)}">',
        f"<h2>Ärende {index} av {total}: registrerat {_e(_day(case.registration.day))}, "
        f"{_e(state)}</h2>",
        f'<p class="meta">Ärendenummer <code>{_e(extracted.case_id)}</code>. '
        f"{len(extracted.events)} registrerade händelser.</p>",
    ]
    reg = case.registration
    parts.append("<h3>Registrering</h3>")
    parts.append(
        _dl(
            [
                ("Registrerad", _day(reg.day)),
                ("Källa", reg.source.label_sv),
                ("Orsak", reg.reason.label_sv),
                ("Sysselsättning vid registreringen", reg.activity.label_sv),
            ]
        )
    )

    parts.append("<h3>Uppgifter om dig och hur de har ändrats</h3>")
    parts.append(
        _table(
            ("Uppgifterna gäller från", "Registrerade", "Av", "Uppgifter", "Status"),
            (
                (
                    _nw(_day(v.day)),
                    _nw(_time(v.event.recorded_at)),
                    _e(words.text(v.event.actor or "–")),
                    _dl(_facts_rows(v.youth, words)),
                    f'<span class="{_e(v.status.value)}">{_e(v.status.label_sv)}</span>',
                )
                for v in extracted.facts_history()
            ),
            empty="Inga uppgifter.",
        )
    )

    parts.append("<h3>Kontaktuppgifter</h3>")
    parts.append(_dl(_details_rows(case.contact_details, words)))

    parts.append("<h3>Handläggare</h3>")
    parts.append(
        _table(
            ("Från", "Handläggare", "Registrerat av", "Status"),
            (
                (
                    _nw(
                        _day(e.data.day if isinstance(e.data, Correction) and e.data.day else e.day)
                    ),
                    _dl(_payload_rows(e.data, words)),
                    _e(words.text(e.actor or "–")),
                    _status_cell(extracted, e, numbers),
                )
                for e in extracted.case_workers()
            ),
            empty="Ingen handläggare har registrerats.",
        )
    )

    parts.append("<h3>Kontakter</h3>")
    parts.append(
        _table(
            ("Datum", "Kanal", "Till", "Utfall", "Sysselsättning som kom fram"),
            (
                (
                    _nw(_day(c.day)),
                    _e(c.channel.label_sv),
                    _e(c.contacted.label_sv),
                    _e(c.outcome.label_sv),
                    _e(c.activity.label_sv if c.activity is not None else "–"),
                )
                for c in case.contacts
            ),
            empty="Inga kontaktförsök har registrerats.",
        )
    )

    parts.append("<h3>Insatser</h3>")
    parts.append(
        _table(
            ("Insats", "Typ", "Erbjuden", "Tackat nej", "Pågick", "Skäl till avslut", "Därefter"),
            (_measure_cells(m, words) for m in case.measures),
            empty="Inga insatser har registrerats.",
        )
    )

    parts.append("<h3>Individuell plan</h3>")
    if case.plan is None:
        parts.append("<p>Ingen individuell plan har upprättats.</p>")
    else:
        plan = case.plan
        parts.append(
            _table(
                ("Version", "Planen"),
                (
                    (
                        _e("upprättad" if i == 0 else f"revidering {i}"),
                        _dl(_revision_rows(revision, words)),
                    )
                    for i, revision in enumerate(plan.revisions)
                ),
                empty="",
            )
        )
        held = ", ".join(_day(d) for d in plan.follow_ups_held) or "inga"
        parts.append(f"<p>Uppföljningar utan revidering: {_e(held)}.</p>")

    parts.append("<h3>Samtycken</h3>")
    parts.append(
        _table(
            ("Datum", "Samtycke", "Gäller", "Vem", "Lämnat av"),
            (
                (
                    _nw(_day(c.day)),
                    _e(c.action.label_sv),
                    _e(c.counterpart.label_sv),
                    _e(words.text(c.name) if c.name else "–"),
                    _e(c.given_by.label_sv),
                )
                for c in case.consents
            ),
            empty="Inga samtycken har registrerats.",
        )
    )

    parts.append("<h3>Aktivitetsansvarets upphörande</h3>")
    if case.end is None:
        parts.append("<p>Aktivitetsansvaret pågår: ärendet är öppet.</p>")
    else:
        parts.append(_dl([("Upphörde", _day(case.end.day)), ("Orsak", case.end.reason.label_sv)]))

    parts.append("<h3>Rättelser</h3>")
    parts.append(
        _table(
            ("Rättad", "Av", "Vad som hade registrerats", "Vad det rättades till"),
            (_correction_cells(extracted, c, numbers, words) for c in extracted.corrections()),
            empty="Inget i ärendet har rättats.",
        )
    )

    parts.append("<h3>Alla registrerade händelser</h3>")
    parts.append(
        '<p class="note">Varje ändring av ärendet är en händelse som aldrig ändras eller '
        "tas bort; ett fel rättas med en ny händelse (rättelse). Tider i UTC.</p>"
    )
    parts.append(
        _table(
            ("Nr", "Händelse", "Dag", "Registrerad", "Av", "Uppgifter", "Status"),
            (
                (
                    f'<span id="event-{_e(e.event_id)}">{i}</span>',
                    _e(e.kind.label_sv)
                    + (
                        f" av händelse {numbers.get(e.supersedes, '?')}"
                        if e.supersedes is not None
                        else ""
                    ),
                    _nw(_day(e.day)),
                    _nw(_time(e.recorded_at)),
                    _e(words.text(e.actor or "–")),
                    _dl(_payload_rows(e.data, words)),
                    _status_cell(extracted, e, numbers),
                )
                for i, e in enumerate(extracted.events, start=1)
            ),
            empty="Inga händelser.",
        )
    )

    parts.append("<h3>Vem har tagit del av eller ändrat ärendet</h3>")
    parts.append(
        '<p class="note">Registrets logg över varje läsning, sökning och ändring av ärendet, '
        "så som den såg ut innan detta utdrag gjordes. Utdragets egna läsningar loggas också, "
        "men finns inte med här. Tider i UTC.</p>"
    )
    parts.append(
        _table(
            ("Tid", "Vem", "Vad", "Syfte", "Detalj"),
            (
                (
                    _nw(_time(a.at)),
                    _e(words.text(a.actor)),
                    _e(a.action.label_sv),
                    _e(words.text(a.purpose)),
                    _e(words.text(a.detail) if a.detail else "–"),
                )
                for a in extracted.audit
            ),
            empty="Ingen har läst eller ändrat ärendet före utdraget.",
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _measure_cells(m: Measure, words: _Words) -> tuple[str, ...]:
    declined = (
        "ja" + (f" ({m.decline_reason})" if m.decline_reason else "") if m.declined else "nej"
    )
    ran = _span(m.start, m.end) if m.start is not None else "–"
    return (
        _e(words.text(m.id)),
        _e(words.measure_type(m.type)),
        _nw(_day(m.offered)),
        _e(words.text(declined)),
        _e(ran),
        _e(m.end_reason.label_sv if m.end_reason is not None else "–"),
        _e(m.activity_after.label_sv if m.activity_after is not None else "–"),
    )


def _correction_cells(
    extracted: ExtractedCase, correction: Event, numbers: Mapping[str, int], words: _Words
) -> tuple[str, ...]:
    target = extracted.corrected_event(correction)
    assert isinstance(correction.data, Correction)
    was = (
        f"<p>Händelse {numbers.get(target.event_id or '', '?')}: {_e(target.kind.label_sv)}, "
        f"{_e(_day(target.day))}, registrerad {_e(_time(target.recorded_at))}</p>"
        + _dl(_payload_rows(target.data, words))
    )
    became = _dl(_payload_rows(correction.data.data, words))
    return (
        _e(f"{_day(correction.day)} (händelse {numbers[correction.event_id or '']})"),
        _e(words.text(correction.actor or "–")),
        was,
        became,
    )


def render_html(
    extract: RegisterExtract, *, reveal_ids: bool = False, catalogue: Catalogue | None = None
) -> str:
    """The extract as a self-contained Swedish HTML page (inline CSS, no script).

    Args:
        extract: The extract (:func:`gather_extract`).
        reveal_ids: Show the whole identity number (the youth's own copy); masked otherwise,
            and every text is masked where it looks like an identity number.
        catalogue: For the names of measure types (the municipality's catalogue,
            :meth:`kaa.plugins.manager.Hooks.measure_catalogue`); the national catalogue
            when ``None``.

    Raises:
        InvalidInput: If ``reveal_ids`` and the extract was not gathered with it.
    """
    _check_reveal(extract, reveal_ids)
    words = _Words(extract, reveal_ids=reveal_ids, catalogue=catalogue or national_catalogue())
    kommun = lookup_municipality(extract.municipality)
    total = len(extract.cases)
    if total:
        found = (
            f"<p>Registret har {total} ärende{'n' if total != 1 else ''} om dig. Nedan står "
            "allt som har registrerats i varje ärende, hur uppgifterna har ändrats och "
            "rättats, och vem som har läst eller ändrat ärendet.</p>"
        )
    else:
        found = (
            "<p><strong>Registret innehåller inga uppgifter om dig.</strong> Det finns inget "
            f"ärende om dig i {_e(_genitive(kommun.name))} kommuns register över ungdomar "
            "inom aktivitetsansvaret.</p>"
        )
    protected = (
        '<p class="note">Du har skyddad identitet: ingen adress visas i utdraget.</p>'
        if words.protected
        else ""
    )
    cards = "".join(
        [
            _card(total, "ärenden"),
            _card(extract.event_count, "registrerade händelser"),
            _card(sum(len(c.audit) for c in extract.cases), "loggade läsningar och ändringar"),
        ]
    )
    sections = "".join(_case_html(c, i, total, words) for i, c in enumerate(extract.cases, start=1))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Registerutdrag – kommunernas aktivitetsansvar – {_e(kommun.name)}</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>Registerutdrag – kommunernas aktivitetsansvar</h1>"
        f'<p class="meta">Utdrag ur {_e(_genitive(kommun.name))} kommuns register '
        f"(kommunkod {_e(kommun.code)}) för personnummer "
        f"<strong>{_e(words.id(extract.youth))}</strong>. Gjort {_e(_time(extract.made_at))} "
        f"UTC av {_e(words.text(extract.actor))}; syfte: {_e(words.text(extract.purpose))}.</p>"
        f'<div class="cards">{cards}</div>'
        "<h2>Om registret</h2>"
        "<p>Kommunen ska hålla sig informerad om hur ungdomar under 20 år som inte går i "
        "gymnasieskolan är sysselsatta, erbjuda dem lämpliga individuella åtgärder och "
        f"föra register över dem ({_e(_CH29_S9)}). Vad registret får innehålla står i "
        f"{_e(FORORDNING_2006_39)}. Det här utdraget visar vad registret innehåller om dig "
        f"(rätten till tillgång, {_e(GDPR_ARTICLE_15)}).</p>"
        f"{found}{protected}{sections}"
        '<p class="note">Utdraget är gjort med biblioteket kaa direkt ur registret. Loggen '
        "över vem som har tagit del av ärendet visar läsningarna innan utdraget gjordes; att "
        "utdraget gjordes loggas i registret.</p></body></html>\n"
    )


def write_extract_html(
    extract: RegisterExtract,
    path: Path,
    *,
    reveal_ids: bool = False,
    catalogue: Catalogue | None = None,
) -> None:
    """Write :func:`render_html` to ``path`` atomically (mode 0600).

    Raises:
        OutputError: If the file cannot be written (nothing partial is left).
        InvalidInput: As :func:`render_html`.
    """
    page = render_html(extract, reveal_ids=reveal_ids, catalogue=catalogue)
    with atomic_text(Path(path)) as out:
        out.write(page)


# -- JSON ------------------------------------------------------------------------------------


def _withhold_addresses(value: Any) -> Any:
    """``value`` with every ``address`` set to ``None`` (protected identity)."""
    if isinstance(value, dict):
        return {k: (None if k == "address" else _withhold_addresses(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_withhold_addresses(v) for v in value]
    return value


def _mask_text(text: str, youth: IdentityNumber) -> str:
    """``text`` with everything shaped like an identity number masked
    (:func:`kaa.errors.scrub`), and the youth's own number in any written form masked wherever
    it stands (``scrub`` leaves a number run together with other digits alone)."""
    masked = scrub(text)
    if not any(ch.isdigit() for ch in masked):
        return masked
    whole = youth.masked()
    for form, shown in (
        (youth.full("long"), whole),
        (youth.full("separated_long"), whole),
        (youth.full("separated_long").replace("-", "+"), whole),
        (youth.full("short"), whole[2:]),
        (youth.full("separated"), whole[2:]),
        (youth.full("separated").replace("-", "+"), whole[2:]),
    ):
        masked = masked.replace(form, shown)
    return masked


def _scrub_texts(value: Any, youth: IdentityNumber, key: str | None = None) -> Any:
    """``value`` with every text but the store's ids masked where it looks like an identity
    number."""
    if isinstance(value, dict):
        return {k: _scrub_texts(v, youth, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_texts(v, youth, key) for v in value]
    if isinstance(value, str) and key not in _ID_KEYS:
        return _mask_text(value, youth)
    return value


def _payload_dict(data: Payload, reveal_ids: bool) -> Any:
    """A payload as :func:`kaa.store.events.event_to_dict` writes it (identity numbers masked
    unless ``reveal_ids``)."""
    if isinstance(data, Correction):
        inner = data.data
        return {
            "kind": None if data.kind is None else data.kind.value,
            "day": None if data.day is None else data.day.isoformat(),
            "data": None if inner is None else _payload_dict(inner, reveal_ids),
        }
    return to_dict(data, reveal_ids=reveal_ids)


def _event_dict(extracted: ExtractedCase, event: Event, reveal_ids: bool) -> dict[str, Any]:
    status, by = extracted.status_of(event)
    return {
        "event_id": event.event_id,
        "case_id": event.case_id,
        "kind": event.kind.value,
        "day": event.day.isoformat(),
        "recorded_at": None if event.recorded_at is None else event.recorded_at.isoformat(),
        "actor": event.actor,
        "supersedes": event.supersedes,
        "data": _payload_dict(event.data, reveal_ids),
        "label_sv": event.kind.label_sv,
        "status": status.value,
        "status_sv": status.label_sv,
        "superseded_by": None if by is None else by.event_id,
    }


def _case_dict(extracted: ExtractedCase, reveal_ids: bool) -> dict[str, Any]:
    case = extracted.case
    return {
        "case_id": extracted.case_id,
        "status": "ended" if case.end is not None else "open",
        "case": to_dict(case, reveal_ids=reveal_ids),
        "facts": [
            {
                "event_id": v.event.event_id,
                "day": v.day.isoformat(),
                "recorded_at": None
                if v.event.recorded_at is None
                else v.event.recorded_at.isoformat(),
                "actor": v.event.actor,
                "status": v.status.value,
                "status_sv": v.status.label_sv,
                "youth": to_dict(v.youth, reveal_ids=reveal_ids),
            }
            for v in extracted.facts_history()
        ],
        "events": [_event_dict(extracted, e, reveal_ids) for e in extracted.events],
        "audit": [
            {
                "at": a.at.isoformat(),
                "actor": a.actor,
                "action": a.action.value,
                "label_sv": a.action.label_sv,
                "case_id": a.case_id,
                "purpose": a.purpose,
                "detail": a.detail,
            }
            for a in extracted.audit
        ],
    }


def extract_to_dict(extract: RegisterExtract, *, reveal_ids: bool = False) -> dict[str, Any]:
    """The extract as plain JSON data, keys in a fixed order (the shape is documented in
    ``docs/register-extract.md``).

    Each event is :func:`kaa.store.events.event_to_dict`'s shape plus ``label_sv``,
    ``status``, ``status_sv`` and ``superseded_by``: with ``reveal_ids`` (and no address
    withheld) :func:`kaa.store.events.event_from_dict` reads its first eight keys back into
    the event.

    Args:
        extract: The extract.
        reveal_ids: Whole identity numbers; masked otherwise, and every text but the store's
            ids masked where it looks like an identity number.

    Raises:
        InvalidInput: If ``reveal_ids`` and the extract was not gathered with it.
    """
    _check_reveal(extract, reveal_ids)
    kommun = lookup_municipality(extract.municipality)
    data: dict[str, Any] = {
        "format": EXTRACT_FORMAT,
        "version": EXTRACT_VERSION,
        "municipality": {"code": kommun.code, "name": kommun.name},
        "youth": extract.youth.full("separated_long") if reveal_ids else extract.youth.masked(),
        "ids_revealed": reveal_ids,
        "protected_identity": extract.protected_identity,
        "made_at": extract.made_at.isoformat(),
        "made_by": extract.actor,
        "purpose": extract.purpose,
        "audit_before": extract.made_at.isoformat(),
        "cases": [_case_dict(c, reveal_ids) for c in extract.cases],
    }
    if extract.protected_identity:
        data = _withhold_addresses(data)
    if not reveal_ids:
        data = _scrub_texts(data, extract.youth)
    return data


def render_json(extract: RegisterExtract, *, reveal_ids: bool = False) -> str:
    """:func:`extract_to_dict` as JSON text (UTF-8 characters, indented, a final newline)."""
    return (
        json.dumps(extract_to_dict(extract, reveal_ids=reveal_ids), ensure_ascii=False, indent=2)
        + "\n"
    )


def write_extract_json(extract: RegisterExtract, path: Path, *, reveal_ids: bool = False) -> None:
    """Write :func:`render_json` to ``path`` atomically (mode 0600).

    Raises:
        OutputError: If the file cannot be written (nothing partial is left).
        InvalidInput: As :func:`extract_to_dict`.
    """
    text = render_json(extract, reveal_ids=reveal_ids)
    with atomic_text(Path(path)) as out:
        out.write(text)
