"""The register of record: a case store that keeps every event, who did it, and who looked.

The documented Python API of the store (the guide is ``docs/store.md``)::

    >>> import datetime as dt, tempfile, pathlib
    >>> from kaa.identity import IdentityNumber
    >>> from kaa.model.case import Case, Channel, Contact, ContactOutcome, Registration
    >>> from kaa.model.youth import Youth
    >>> from kaa.store import Event, open_store
    >>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'kaa.db'}"
    >>> store = open_store(url, municipality="1882", actor="anna", create=True)
    >>> youth = Youth(id=IdentityNumber.parse("20080812-2394"))
    >>> registration = Registration(day=dt.date(2026, 1, 12))
    >>> case_id = store.register(Case(youth=youth, municipality="1882", registration=registration))
    >>> event = store.record(case_id, Event(data=Contact(
    ...     day=dt.date(2026, 1, 20), channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER)))
    >>> event.actor, event.kind.value
    ('anna', 'contact')
    >>> len(store.case(case_id, purpose="doctest").contacts)
    1
    >>> [(e.action.value, e.purpose) for e in store.audit()]
    [('register', 'registration'), ('record', 'documentation'), ('read', 'doctest')]
    >>> store.close()

- :func:`open_store` opens a store from a URL, bound to one municipality, for one actor
  (:mod:`kaa.store.base`); :class:`CaseStore` is the protocol every backend implements.
- :class:`Event` and its payloads (:mod:`kaa.store.events`); :func:`fold` makes the
  :class:`~kaa.model.case.Case` of a history (:mod:`kaa.store.fold`).
- :func:`export_cases` and :func:`import_cases` move cases between a store and the canonical
  cases JSON Lines (:mod:`kaa.store.transfer`).
"""

from kaa.store.base import (
    ACTOR_ENVIRONMENT,
    AuditAction,
    AuditEntry,
    CaseNotFound,
    CaseStore,
    DeletionRefused,
    OpenCaseExists,
    StoredCase,
    StoreError,
    init_store,
    migrate_store,
    open_store,
    resolve_actor,
)
from kaa.store.events import (
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
    RegisterPresence,
    events_of,
)
from kaa.store.fold import fold
from kaa.store.transfer import ImportSummary, export_cases, import_cases

__all__ = [
    "ACTOR_ENVIRONMENT",
    "AuditAction",
    "AuditEntry",
    "CaseNotFound",
    "CaseStore",
    "CaseWorkerAssigned",
    "ContactDetailsChanged",
    "Correction",
    "DeletionRefused",
    "Event",
    "EventKind",
    "FactsUpdated",
    "ImportSummary",
    "MeasureDeclined",
    "MeasureEnded",
    "MeasureOffered",
    "MeasureStarted",
    "OpenCaseExists",
    "Payload",
    "PlanFollowedUp",
    "PlanMade",
    "PlanRevised",
    "RegisterPresence",
    "Registered",
    "StoreError",
    "StoredCase",
    "events_of",
    "export_cases",
    "fold",
    "import_cases",
    "init_store",
    "migrate_store",
    "open_store",
    "resolve_actor",
]
