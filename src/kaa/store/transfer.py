"""Moving cases between a store and the canonical cases JSON Lines (:mod:`kaa.formats.cases`).

:func:`import_cases` is the migration path from today's cases file: each case becomes a new
case in the store, made of the events :func:`~kaa.store.events.events_of` finds in it.
:func:`export_cases` writes every case of the store's municipality back as one file that
every command reads (and a backup of the cases). Exporting a store and importing the file
into an empty one gives an equal store: the same cases, in the same order.

The file holds the cases, not their histories: who recorded what and when, corrections and
the audit log stay in the store. Both directions are audit-logged (one entry per case, and
one for the file).

**A bulk import, and one that can be run again.** :func:`import_cases` registers the cases in
batches of :data:`IMPORT_CHUNK` (one transaction each, :meth:`~kaa.store.CaseStore.batch`), so
65,000 cases take a minute, not an hour. A process killed in the middle (``kill -9``, a power
cut) loses only the batch it was in: every case committed before is whole. Running the same
import again finishes it: a case of the file that is **already in the store** — its youth has
a case registered on the same day, registered before this import began — is not registered a
second time but counted and listed in :attr:`ImportSummary.skipped` (equal to the file's, or
changed in the store since, e.g. by a sync: the store's case is kept); the rest are
registered. So an import run twice changes nothing the second time, even after the cases
were worked on. (Looking for the
youth's cases is a search, audit-logged like every search.)

**A youth with several cases** (registered again after an end) has one line per case in an
export, oldest first. :func:`read_store_cases` (what :func:`import_cases` reads JSON Lines
with) accepts that, and the store still refuses a second *open* case; the other commands read
a cases file with :func:`kaa.formats.cases.read_cases`, which takes one case per youth and
reports the later ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from kaa.convert import make_converter, structure
from kaa.errors import InvalidInput, StructureError
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.json import JsonFault, json_lines
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.model.case import Case
from kaa.rules.privacy import TermChecker, TermsFor, national_terms
from kaa.store.base import AuditAction, CaseStore, StoreError
from kaa.store.events import events_of, text_warnings

__all__ = ["IMPORT_CHUNK", "ImportSummary", "export_cases", "import_cases", "read_store_cases"]

IMPORT_CHUNK = 500
"""Cases registered per transaction by :func:`import_cases`."""


def read_store_cases(
    path: Path,
    *,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[tuple[int, Case]]:
    """Stream the cases of a cases file, each with its line, allowing several cases of one
    youth (JSON Lines); a ``.json`` array is read by :func:`kaa.formats.cases.read_cases`.

    Every line is accepted or reported in ``summary``, as the canonical readers do.

    Raises:
        InvalidInput: If the file cannot be opened or is not UTF-8.
    """
    name = str(path)
    if path.suffix.lower() == ".json":
        for case in read_cases(path, summary=summary, on_problem=on_problem):
            yield summary.rows_read, case
        return
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        raise InvalidInput(f"unknown file type {path.suffix!r} for cases: use .jsonl", file=name)
    converter = make_converter(reveal_ids=True)
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
    with stream:
        try:
            for line, item in json_lines(stream, name):
                summary.rows_read += 1
                if isinstance(item, JsonFault):
                    item.reject(summary, on_problem, file=name, line=line)
                    continue
                try:
                    case = structure(item, Case, converter=converter)
                except StructureError as exc:
                    summary.rows_rejected += 1
                    for message in exc.problems:
                        add_problem(
                            summary, on_problem, Problem(file=name, line=line, message=message)
                        )
                    continue
                summary.rows_accepted += 1
                summary.records += 1
                yield line, case
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the file is not UTF-8 (byte {exc.start}): save it as UTF-8", file=name
            ) from None


def export_cases(store: CaseStore, path: Path, *, purpose: str = "export") -> int:
    """Write every case of the store's municipality to ``path`` (JSON Lines, atomically).

    Returns:
        The number of cases written.
    """
    count = write_cases((stored.case for stored in store.cases(purpose=purpose)), path)
    store.log(AuditAction.EXPORT, purpose=purpose, detail=f"{count} case(s) to {path.name}")
    return count


@attrs.define(kw_only=True)
class ImportSummary:
    """What an import did: every record of the file is read and rejected, imported, already
    in the store, or refused.

    Attributes:
        read: How the file was read (records, problems).
        case_ids: The new case ids, in the order of the file.
        skipped: One entry (line, masked youth, the case in the store) for each case that is
            already in the store, from an earlier run of the same import: not registered
            again, and not a problem.
        refused: A problem for each case the store refused (a second open case of a youth,
            a case of another municipality).
        warnings: What the privacy guard found in the free text of the cases imported
            (förordning (2006:39) 5 §): they are imported all the same, as
            :meth:`~kaa.store.CaseStore.record` records an event with a warning.
    """

    read: ReadSummary
    case_ids: list[str] = attrs.Factory(list)
    skipped: list[Problem] = attrs.Factory(list)
    refused: list[Problem] = attrs.Factory(list)
    warnings: list[Problem] = attrs.Factory(list)

    @property
    def ok(self) -> bool:
        """Whether every record was read and is in the store (imported now or before)."""
        return self.read.rows_rejected == 0 and not self.refused

    def __str__(self) -> str:
        text = (
            f"{self.read}\n{len(self.case_ids)} case(s) imported, {len(self.skipped)} already "
            f"in the store, {len(self.refused)} refused"
        )
        if self.warnings:
            text += f"; {len(self.warnings)} privacy warning(s) in free text"
        return text


def _already_stored(
    store: CaseStore, case: Case, candidates: list[str], *, purpose: str, ours: set[str]
) -> tuple[str, bool] | None:
    """The case of the youth's ``candidates`` registered on the same day as ``case`` that was
    in the store before this import (not one of ``ours``), and whether it is equal to
    ``case``; ``None`` if there is none."""
    for case_id in candidates:
        if case_id in ours:
            continue
        stored = store.case(case_id, purpose=purpose)
        if stored == case:
            return case_id, True
        if stored.registration.day == case.registration.day:
            return case_id, False
    return None


def import_cases(
    store: CaseStore,
    path: Path,
    *,
    purpose: str = "import",
    on_problem: Callable[[Problem], None] | None = None,
    chunk: int = IMPORT_CHUNK,
    terms: TermsFor | None = None,
) -> ImportSummary:
    """Register every case of a canonical cases file as a new case of the store, in batches
    of ``chunk`` cases, skipping the cases already in the store (see the module docstring).

    Inside a batch each case still succeeds or fails on its own: a case the store refuses
    (its youth has an open case already, it is of another municipality) is reported and the
    rest go on. A killed import leaves every batch committed before it; run it again to
    finish it.

    Args:
        store: The store.
        path: The cases file (``.jsonl``, or a ``.json`` array).
        purpose: Why (written in the audit log).
        on_problem: Called for each problem (a rejected record, a refused case, a privacy
            warning) as it is found; cases already in the store are only counted in the
            summary.
        chunk: Cases per transaction.
        terms: The sensitive terms for the privacy guard, by kommunkod (pass
            :meth:`kaa.plugins.manager.Hooks.sensitive_terms`); the built-in list if ``None``.

    Raises:
        InvalidInput: If the file cannot be read at all, or ``chunk`` is not positive.
    """
    if chunk < 1:
        raise InvalidInput(f"an import registers at least one case per batch, not {chunk}")
    name = str(path)
    summary = ImportSummary(read=ReadSummary(file=name))
    ours: set[str] = set()
    checker = TermChecker((terms or national_terms)(store.municipality))
    records = read_store_cases(path, summary=summary.read, on_problem=on_problem)
    while True:
        batch = list(itertools.islice(records, chunk))
        if not batch:
            break
        with store.batch():
            mine = [c.youth.id for _, c in batch if c.municipality == store.municipality]
            stored = store.find_many(mine, purpose=purpose)
            todo = [
                (line, case)
                for line, case in batch
                if not _skipped(
                    store,
                    case,
                    line=line,
                    file=name,
                    purpose=purpose,
                    candidates=stored.get(case.youth.id, []),
                    ours=ours,
                    summary=summary,
                    on_problem=on_problem,
                )
            ]
            if not todo:
                continue
            results = store.register_many([case for _, case in todo], purpose=purpose)
            for (line, case), result in zip(todo, results, strict=True):
                _registered(
                    case,
                    result,
                    line=line,
                    file=name,
                    ours=ours,
                    summary=summary,
                    on_problem=on_problem,
                    checker=checker,
                )
    detail = f"{len(summary.case_ids)} case(s) from {path.name}"
    if summary.skipped:
        detail += f", {len(summary.skipped)} already in the store"
    store.log(AuditAction.IMPORT, purpose=purpose, detail=detail)
    return summary


def _refused(
    summary: ImportSummary,
    problem: Problem,
    on_problem: Callable[[Problem], None] | None,
) -> None:
    summary.refused.append(problem)
    if on_problem is not None:
        on_problem(problem)


def _skipped(
    store: CaseStore,
    case: Case,
    *,
    line: int,
    file: str,
    purpose: str,
    candidates: list[str],
    ours: set[str],
    summary: ImportSummary,
    on_problem: Callable[[Problem], None] | None,
) -> bool:
    """Whether ``case`` is not to be registered: in the store already (counted), or a case
    the store refuses to read (reported)."""
    if not candidates:
        return False
    try:
        found = _already_stored(store, case, candidates, purpose=purpose, ours=ours)
    except (StoreError, InvalidInput) as exc:
        _refused(
            summary, Problem(file=file, line=line, youth=case.id, message=str(exc)), on_problem
        )
        return True
    if found is None:
        return False
    case_id, equal = found
    message = (
        f"already in the store (case {case_id}, registered "
        f"{case.registration.day.isoformat()}"
        + ("" if equal else ", changed in the store since: the store's case is kept")
        + "): not imported again"
    )
    summary.skipped.append(Problem(file=file, line=line, youth=case.id, message=message))
    return True


def _registered(
    case: Case,
    result: str | StoreError,
    *,
    line: int,
    file: str,
    ours: set[str],
    summary: ImportSummary,
    on_problem: Callable[[Problem], None] | None,
    checker: TermChecker,
) -> None:
    """Count what :meth:`~kaa.store.CaseStore.register_many` did with ``case``, and warn on
    its free text."""
    if isinstance(result, StoreError):
        _refused(
            summary, Problem(file=file, line=line, youth=case.id, message=str(result)), on_problem
        )
        return
    ours.add(result)
    summary.case_ids.append(result)
    for event in events_of(case):
        for warning in text_warnings(event.data, checker):
            problem = Problem(file=file, line=line, youth=case.id, message=str(warning))
            summary.warnings.append(problem)
            if on_problem is not None:
                on_problem(problem)
