"""Moving cases between a store and the canonical cases JSON Lines (:mod:`kaa.formats.cases`).

:func:`import_cases` is the migration path from today's cases file: each case becomes a new
case in the store, made of the events :func:`~kaa.store.events.events_of` finds in it.
:func:`export_cases` writes every case of the store's municipality back as one file that
every command reads (and a backup of the cases). Exporting a store and importing the file
into an empty one gives an equal store: the same cases, in the same order.

The file holds the cases, not their histories: who recorded what and when, corrections and
the audit log stay in the store. Both directions are audit-logged (one entry per case, and
one for the file).

**A youth with several cases** (registered again after an end) has one line per case in an
export, oldest first. :func:`read_store_cases` (what :func:`import_cases` reads JSON Lines
with) accepts that, and the store still refuses a second *open* case; the other commands read
a cases file with :func:`kaa.formats.cases.read_cases`, which takes one case per youth and
reports the later ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from kaa.convert import make_converter, structure
from kaa.errors import InvalidInput, StructureError
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.json import JsonFault, json_lines
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.model.case import Case
from kaa.store.base import AuditAction, CaseStore, StoreError

__all__ = ["ImportSummary", "export_cases", "import_cases", "read_store_cases"]


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
    """What an import did.

    Attributes:
        read: How the file was read (records, problems).
        case_ids: The new case ids, in the order of the file.
        refused: A problem for each case the store refused (a second open case of a youth,
            a case of another municipality).
    """

    read: ReadSummary
    case_ids: list[str] = attrs.Factory(list)
    refused: list[Problem] = attrs.Factory(list)

    @property
    def ok(self) -> bool:
        """Whether every record was read and stored."""
        return self.read.rows_rejected == 0 and not self.refused

    def __str__(self) -> str:
        return f"{self.read}\n{len(self.case_ids)} case(s) imported, {len(self.refused)} refused"


def import_cases(
    store: CaseStore,
    path: Path,
    *,
    purpose: str = "import",
    on_problem: Callable[[Problem], None] | None = None,
) -> ImportSummary:
    """Register every case of a canonical cases file as a new case of the store.

    Each case is its own transaction: a case the store refuses (its youth has an open case
    already, it is of another municipality) is reported and the rest go on; an interrupted
    import leaves the cases imported so far.

    Raises:
        InvalidInput: If the file cannot be read at all.
    """
    summary = ImportSummary(read=ReadSummary(file=str(path)))
    for line, case in read_store_cases(path, summary=summary.read, on_problem=on_problem):
        try:
            summary.case_ids.append(store.register(case, purpose=purpose))
        except (StoreError, InvalidInput) as exc:
            problem = Problem(file=str(path), line=line, youth=case.id, message=str(exc))
            summary.refused.append(problem)
            if on_problem is not None:
                on_problem(problem)
    store.log(
        AuditAction.IMPORT,
        purpose=purpose,
        detail=f"{len(summary.case_ids)} case(s) from {path.name}",
    )
    return summary
