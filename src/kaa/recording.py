"""The work recorded back: a filled worklist (or a register's contacts export) into the store.

:func:`import_file` is what ``kaa import FILE`` runs (the guide is ``docs/recording-back.md``):
it reads the file (:mod:`kaa.formats.filled`) and hands the rows to :func:`record_filled`,
which records each filled row as one :class:`~kaa.model.case.Contact` event in the case
store (:meth:`~kaa.store.CaseStore.record`, which audit-logs it):

- **Every row is accounted for.** A row is *recorded*, *already recorded* or *rejected*, and
  :class:`ImportReport` lists each with its sheet, row and column: the rows the reader could
  not use (a bad day, an unknown word, a result missing …) and the rows the store refused
  (an unknown case id; another municipality's case, which the store cannot see and so cannot
  tell from an unknown one; a contact before the registration or after KAA ended; a row
  whose Personnummer is not the case's youth). ``recorded + already recorded + rejected``
  is always the number of filled rows read.
- **Importing twice records nothing new.** A contact equal to one already in the case's
  history — same day, channel, contacted, outcome and activity, whether it was recorded as
  it is or as a correction's replacement — is not recorded again; it is counted as
  *already recorded*. So is a second row of the same file that repeats the first. A contact
  that was corrected or withdrawn in the store is therefore not brought back by importing
  the old sheet again.
- **Audit.** Every history read, search and record is logged by the store with the purpose
  :data:`PURPOSE`; the import adds one :attr:`~kaa.store.AuditAction.IMPORT` entry per case
  it recorded something on, naming the file and the rows.
- **Batches.** The work is done in :meth:`~kaa.store.CaseStore.batch` chunks of
  :data:`CHUNK` cases; an import that is interrupted keeps the chunks it committed, and is
  finished by running it again (what was recorded is then *already recorded*).
- **Dry run.** With ``dry_run`` nothing is recorded: each row is checked against the case
  as the store would check it (:func:`kaa.store.fold.append`) and counted as it would be.

**Contacts exports** of IST, BER and Hypernet are read through a
:class:`~kaa.formats.filled.ContactsProfile` (:func:`contacts_profile`: the built-in
``kaa/adapters/profiles/<name>-contacts.toml``, adapted by a mapping file). Their rows are
keyed by the youth's identity number: the importer searches the store for the youth's cases
(:meth:`~kaa.store.CaseStore.find_many`, an audited search) and records the contact on the
case that covers its day (registered on or before it, not ended before it). None of these
vendors publishes its contacts export: the built-in profiles are modelled on what the
register profiles assume for the same systems, and must be checked against a real export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Final, TypeVar

import attrs

from kaa.errors import ConfigurationError, KaaError, scrub
from kaa.formats.filled import (
    ContactsProfile,
    FilledRow,
    FilledSummary,
    read_contacts_export,
    read_filled,
)
from kaa.formats.problems import Problem
from kaa.identity import IdentityNumber
from kaa.model.case import Case, Contact
from kaa.model.youth import Labelled
from kaa.store import AuditAction, CaseNotFound, CaseStore, Correction, Event, fold
from kaa.store.fold import append

__all__ = [
    "BUILTIN_CONTACT_PROFILES",
    "CHUNK",
    "PURPOSE",
    "ImportReport",
    "ImportedRow",
    "RowStatus",
    "contacts_profile",
    "import_file",
    "record_filled",
]

T = TypeVar("T")

PURPOSE: Final = "kaa import"
"""The purpose written in the store's audit log for everything an import reads and records."""

CHUNK: Final = 200
"""Cases (or, for a contacts export, youths) handled per store transaction."""

BUILTIN_CONTACT_PROFILES: Final = ("ist", "ber", "hypernet")
"""The register systems whose contacts export has a built-in profile."""


def contacts_profile(name: str, mapping: Path | None = None) -> ContactsProfile:
    """The built-in contacts-export profile of a register system, adapted by ``mapping``.

    Args:
        name: ``ist``, ``ber`` or ``hypernet``.
        mapping: A municipality's mapping file (same sections as the profile), if any.

    Raises:
        ConfigurationError: If there is no such profile, or the mapping file is wrong.
    """
    if name not in BUILTIN_CONTACT_PROFILES:
        raise ConfigurationError(
            f"no built-in contacts profile {name!r}; there are: "
            f"{', '.join(BUILTIN_CONTACT_PROFILES)} (or give a whole profile with --mapping)"
        )
    file = f"kaa/adapters/profiles/{name}-contacts.toml"
    resource = files("kaa.adapters").joinpath("profiles").joinpath(f"{name}-contacts.toml")
    profile = ContactsProfile.from_toml(resource, file=file)
    return profile if mapping is None else profile.with_mapping(mapping)


class RowStatus(Labelled):
    """What became of a filled row."""

    RECORDED = ("recorded", "registrerad")
    ALREADY_RECORDED = ("already_recorded", "redan registrerad")
    REJECTED = ("rejected", "avvisad")


@attrs.frozen(kw_only=True)
class ImportedRow:
    """One filled row the reader accepted, and what the store made of it.

    Attributes:
        sheet: The file and sheet.
        row: The row of the sheet.
        status: Recorded, already recorded, or rejected.
        case_id: The case it was (or would have been) recorded on, if one was found.
        youth: The masked identity number of the case's youth, if known.
        event_id: The event recorded (``None`` in a dry run and unless recorded).
        column: For a rejected row, the column at fault, if one is.
        message: Why it was rejected, or which row it repeats (no whole identity number).
    """

    sheet: str
    row: int
    status: RowStatus
    case_id: str | None = None
    youth: str | None = attrs.field(default=None, converter=attrs.converters.optional(scrub))
    event_id: str | None = None
    column: str | None = None
    message: str = attrs.field(default="", converter=scrub)

    def problem(self) -> Problem:
        """The rejection as a :class:`~kaa.formats.problems.Problem`."""
        return Problem(
            file=self.sheet,
            line=self.row,
            column=self.column,
            youth=self.youth,
            message=self.message,
        )


@attrs.define(kw_only=True)
class ImportReport:
    """What an import did.

    Attributes:
        file: The file imported.
        dry_run: Nothing was recorded (the counts say what would have been).
        read: The reader's counts (filled rows read, accepted and rejected, rows not filled
            in), and its problems.
        rows: The rows the reader accepted, each recorded, already recorded or rejected by
            the store, in sheet order.
        cases_touched: Cases something was (or would have been) recorded on.
    """

    file: str
    dry_run: bool = False
    read: FilledSummary
    rows: list[ImportedRow] = attrs.Factory(list)
    cases_touched: int = 0

    def _with(self, status: RowStatus) -> list[ImportedRow]:
        return [r for r in self.rows if r.status is status]

    @property
    def recorded(self) -> list[ImportedRow]:
        """The rows recorded (in a dry run: that would be)."""
        return self._with(RowStatus.RECORDED)

    @property
    def already_recorded(self) -> list[ImportedRow]:
        """The rows whose contact the case already had."""
        return self._with(RowStatus.ALREADY_RECORDED)

    @property
    def rejected_rows(self) -> int:
        """Filled rows rejected, by the reader or by the store."""
        return self.read.rows_rejected + len(self._with(RowStatus.REJECTED))

    @property
    def problems(self) -> list[Problem]:
        """Every rejection, the reader's and the store's, in sheet order."""
        found = [*self.read.problems, *(r.problem() for r in self._with(RowStatus.REJECTED))]
        return sorted(found, key=lambda p: (p.file, p.line))

    @property
    def ok(self) -> bool:
        """No filled row was rejected."""
        return self.rejected_rows == 0 and not self.read.problems

    def __str__(self) -> str:
        verb = "would be recorded" if self.dry_run else "recorded"
        return (
            f"{self.file}: {self.read.rows_read} filled row(s): {len(self.recorded)} {verb}, "
            f"{len(self.already_recorded)} already recorded, {self.rejected_rows} rejected "
            f"({len(self.problems)} problem(s)); {self.cases_touched} case(s) "
            f"{'would be ' if self.dry_run else ''}changed; {self.read.rows_unfilled} row(s) "
            "not filled in"
        )


# -- columns, for the store's refusals ------------------------------------------------------

_FIELDS: Final[Mapping[str, str]] = {"contacts": "day", "day": "day", "activity": "activity"}
"""The field of a filled row a store refusal points at, by the model's column name."""


def _column(row: FilledRow, field: str) -> str | None:
    return row.columns.get(field, field) if field in ("case", "id") else None


def _refused(row: FilledRow, column: str | int | None) -> str | None:
    field = _FIELDS.get(str(column)) if column is not None else None
    return None if field is None else row.columns.get(field, field)


# -- the import ---------------------------------------------------------------------------


def import_file(
    store: CaseStore,
    path: Path,
    *,
    profile: ContactsProfile | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> ImportReport:
    """Read a filled worklist (or, with ``profile``, a contacts export) and record it.

    Args:
        store: The case store, bound to the municipality whose cases the rows are.
        path: The workbook (``.xlsx``) or CSV.
        profile: For a register system's contacts export, its column profile; ``None`` for
            the worklist sheet.
        dry_run: Check and count, record nothing.
        today: The last day work can have been done (today if ``None``).
        on_problem: Called with each problem the reader finds, as it finds it.

    Returns:
        What was recorded, already recorded and rejected.

    Raises:
        InvalidInput: If the file cannot be read or is not a worklist sheet (its headings),
            or the export lacks a required column; nothing is recorded then.
    """
    summary = FilledSummary(file=str(path))
    if profile is None:
        rows = read_filled(path, summary=summary, on_problem=on_problem, today=today)
    else:
        rows = read_contacts_export(
            path, profile, summary=summary, on_problem=on_problem, today=today
        )
    return record_filled(store, rows, file=str(path), dry_run=dry_run, summary=summary)


def record_filled(
    store: CaseStore,
    rows: Iterable[FilledRow],
    *,
    file: str,
    dry_run: bool = False,
    summary: FilledSummary | None = None,
) -> ImportReport:
    """Record each filled row as a contact on its case (see the module docs).

    Args:
        store: The case store.
        rows: The filled rows (from :func:`~kaa.formats.filled.read_filled` or
            :func:`~kaa.formats.filled.read_contacts_export`); consumed before anything is
            recorded, so a reader's ``summary`` is complete when the work starts.
        file: The file they came from (named in the audit log).
        dry_run: Check and count, record nothing.
        summary: The reader's summary, kept in the report (one counting just ``rows`` if
            ``None``).

    Returns:
        The report: every row recorded, already recorded or rejected.
    """
    given = list(rows)
    if summary is None:
        summary = FilledSummary(file=file, rows_read=len(given), rows_accepted=len(given))
    report = ImportReport(file=file, dry_run=dry_run, read=summary)
    by_case: dict[str, list[FilledRow]] = {}
    by_youth: dict[IdentityNumber, list[FilledRow]] = {}
    for row in given:
        if row.case_id is not None:
            by_case.setdefault(row.case_id, []).append(row)
        else:
            assert row.youth is not None  # a FilledRow has one or the other
            by_youth.setdefault(row.youth, []).append(row)
    work = _Work(store=store, file=file, dry_run=dry_run, report=report)
    purpose = work.purpose
    for chunk in _chunks(list(by_case.items())):
        with store.batch():
            for case_id, case_rows in chunk:
                work.case(case_id, case_rows)
    for youth_chunk in _chunks(list(by_youth.items())):
        with store.batch():
            found = store.find_many([youth for youth, _ in youth_chunk], purpose=purpose)
            for youth, youth_rows in youth_chunk:
                work.youth(youth, found.get(youth, []), youth_rows)
    report.rows.sort(key=lambda r: (r.sheet, r.row))
    return report


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@attrs.define
class _Work:
    """One import's work on the store, case by case."""

    store: CaseStore
    file: str
    dry_run: bool
    report: ImportReport

    @property
    def purpose(self) -> str:
        return f"{PURPOSE} --dry-run" if self.dry_run else PURPOSE

    def _reject(
        self,
        row: FilledRow,
        message: str,
        *,
        column: str | None = None,
        case_id: str | None = None,
        youth: str | None = None,
    ) -> None:
        self.report.rows.append(
            ImportedRow(
                sheet=row.sheet,
                row=row.row,
                status=RowStatus.REJECTED,
                case_id=case_id,
                youth=youth or (row.youth.masked() if row.youth is not None else row.masked),
                column=column,
                message=message,
            )
        )

    def case(self, case_id: str, rows: Sequence[FilledRow]) -> None:
        """The rows of one case id (from a worklist sheet)."""
        try:
            history = self.store.history(case_id, purpose=self.purpose)
        except CaseNotFound as exc:
            for row in rows:
                self._reject(
                    row,
                    f"{exc}: the case id is not one of this register's cases (a case of another "
                    "municipality is not seen by this store either)",
                    column=_column(row, "case"),
                )
            return
        self._record(case_id, history, fold(history), rows)

    def youth(
        self, youth: IdentityNumber, case_ids: Sequence[str], rows: Sequence[FilledRow]
    ) -> None:
        """The rows of one youth (from a contacts export): each on the case covering its day."""
        if not case_ids:
            for row in rows:
                self._reject(
                    row,
                    f"the youth has no case in the register of municipality "
                    f"{self.store.municipality}",
                    column=_column(row, "id"),
                )
            return
        cases: list[tuple[str, list[Event], Case]] = []
        for case_id in case_ids:
            history = self.store.history(case_id, purpose=self.purpose)
            cases.append((case_id, history, fold(history)))
        assigned: dict[str, list[FilledRow]] = {}
        for row in rows:
            covering = [
                case_id
                for case_id, _, case in cases
                if case.registration.day <= row.day
                and (case.end is None or row.day <= case.end.day)
            ]
            if len(covering) != 1:
                self._reject(
                    row,
                    f"none of the youth's {len(cases)} case(s) in the register covers "
                    f"{row.day.isoformat()}: the contact is before the registration or after "
                    "KAA ended"
                    if not covering
                    else f"{len(covering)} of the youth's cases cover {row.day.isoformat()}",
                    column=row.columns.get("day", "day"),
                    youth=youth.masked(),
                )
                continue
            assigned.setdefault(covering[0], []).append(row)
        for case_id, history, case in cases:
            if case_id in assigned:
                self._record(case_id, history, case, assigned[case_id])

    def _record(
        self, case_id: str, history: list[Event], case: Case, rows: Sequence[FilledRow]
    ) -> None:
        youth = case.youth.id
        known: dict[Contact, int | None] = {}
        for event in history:
            data = event.data.data if isinstance(event.data, Correction) else event.data
            if isinstance(data, Contact):
                known.setdefault(data, None)
        pending: list[Event] = []
        recorded: list[int] = []
        for row in rows:
            if row.youth is not None and row.youth != youth:
                self._reject(
                    row,
                    "the Personnummer in the row is not the case's youth: the row may have been "
                    "moved away from its case number; check the sheet",
                    column=_column(row, "id"),
                    case_id=case_id,
                    youth=youth.masked(),
                )
                continue
            if row.masked is not None and row.masked != youth.masked():
                self._reject(
                    row,
                    "the masked Personnummer in the row is not the case's youth's: the row may "
                    "have been moved away from its case number; check the sheet",
                    column=_column(row, "id"),
                    case_id=case_id,
                    youth=youth.masked(),
                )
                continue
            try:
                contact = row.contact
            except KaaError as exc:  # a row made in Python, not read from a sheet
                self._reject(row, getattr(exc, "message", str(exc)), case_id=case_id)
                continue
            if contact in known:
                earlier = known[contact]
                self.report.rows.append(
                    ImportedRow(
                        sheet=row.sheet,
                        row=row.row,
                        status=RowStatus.ALREADY_RECORDED,
                        case_id=case_id,
                        youth=youth.masked(),
                        message="the case has this contact already"
                        if earlier is None
                        else f"the same contact as row {earlier}",
                    )
                )
                continue
            draft = Event(data=contact)
            try:
                if self.dry_run:
                    append([*history, *pending], draft)
                    stored = draft
                else:
                    stored = self.store.record(case_id, draft, purpose=self.purpose)
            except KaaError as exc:
                self._reject(
                    row,
                    getattr(exc, "message", str(exc)),
                    column=_refused(row, getattr(exc, "column", None)),
                    case_id=case_id,
                    youth=youth.masked(),
                )
                continue
            pending.append(stored)
            known[contact] = row.row
            recorded.append(row.row)
            self.report.rows.append(
                ImportedRow(
                    sheet=row.sheet,
                    row=row.row,
                    status=RowStatus.RECORDED,
                    case_id=case_id,
                    youth=youth.masked(),
                    event_id=stored.event_id,
                )
            )
        if recorded:
            self.report.cases_touched += 1
            if not self.dry_run:
                shown = ", ".join(str(n) for n in recorded)
                self.store.log(
                    AuditAction.IMPORT,
                    purpose=self.purpose,
                    case_ids=[case_id],
                    detail=f"{self.file}: {len(recorded)} contact(s) recorded from row(s) {shown}",
                )
