"""The same youth from several rows or sources: merged by a documented rule, never overwritten.

**The rule.** Two records of the same youth (the same identity number, in any written form)
are merged when their facts are *compatible*:

* a fact a youth has only once (the day compulsory school was completed, the day folkbokförd
  in Sweden, the name, e-mail, phone, address, the KAA case) is compatible when both records
  have the same value or only one has a value; the merged record has that value;
* lists (residences, enrolments, qualifications) are combined, each entry once;
* protected identity wins: if either record marks the youth as protected, the merged youth is
  protected and **no address is kept**.

When a fact differs, the records are **not** merged: the record read first (the sources are
taken in the order given, so put the most trusted first) is kept, the later one is not used,
and a problem names both origins and the fact that differs, so a case worker can correct the
register. Within one file the readers apply the same rule to consecutive rows of a youth
(see :mod:`kaa.adapters.tabular`).

**The register and the case documentation.** :func:`join_cases` gives each youth one KAA
case: the register's facts about the youth are the current ones, the cases file holds what
the case workers documented (see its documentation for when the facts do not fit). Protected
identity wins here too: when the register or the case marks the youth as protected, the
joined case is protected and keeps no address (an address in the cases file is dropped, and
a problem says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

from kaa.adapters.base import SourceRecord, add_problem
from kaa.errors import InvalidInput
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Case, ContactDetails
from kaa.model.youth import HomeBasis, Residence, Youth

__all__ = ["combine", "join_cases", "merge_history", "merge_records"]

_YOUTH_SINGLE = (
    ("birth_date", "birth date"),
    ("compulsory_school_completed", "day compulsory school was completed"),
    ("folkbokford_in_sweden", "day folkbokförd in Sweden"),
    ("arrived_after_compulsory_school_age", "arrival after compulsory-school age"),
)
_DETAILS = (("name", "name"), ("email", "e-mail"), ("phone", "phone"), ("address", "address"))


def _one(a: object, b: object, what: str) -> object:
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise InvalidInput(f"the {what} differs", column=what)


def _union(a: tuple[object, ...], b: tuple[object, ...]) -> tuple[object, ...]:
    return a + tuple(x for x in b if x not in a)


def _protect(youth: Youth) -> Youth:
    """``youth`` with every residence a protected registration (*skyddad folkbokföring*)."""
    if all(r.basis is HomeBasis.PROTECTED for r in youth.residences):
        return youth
    residences = tuple(
        dict.fromkeys(attrs.evolve(r, basis=HomeBasis.PROTECTED) for r in youth.residences)
    )
    return attrs.evolve(youth, residences=residences)


def merge_records(first: SourceRecord, second: SourceRecord) -> SourceRecord:
    """Merge two records of the same youth (see the module docs).

    Args:
        first: The record read first (kept as the origin).
        second: The later record.

    Returns:
        The merged record.

    Raises:
        InvalidInput: If the records are about different youths or a fact differs (the
            message names the fact, never its values).
    """
    a, b = first.youth, second.youth
    if a.id != b.id:
        raise InvalidInput("the records are about different youths", column="id")
    fields: dict[str, object] = {
        name: _one(getattr(a, name), getattr(b, name), what) for name, what in _YOUTH_SINGLE
    }
    protected = a.has_protected_identity or b.has_protected_identity
    youth = Youth(
        id=a.id,
        residences=_union(a.residences, b.residences),  # type: ignore[arg-type]
        enrolments=_union(a.enrolments, b.enrolments),  # type: ignore[arg-type]
        qualifications=_union(a.qualifications, b.qualifications),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )
    if protected:
        youth = _protect(youth)
    details: ContactDetails | None = None
    if first.contact_details is not None or second.contact_details is not None:
        da = first.contact_details or ContactDetails()
        db = second.contact_details or ContactDetails()
        values = {name: _one(getattr(da, name), getattr(db, name), what) for name, what in _DETAILS}
        if protected:
            values["address"] = None
        details = ContactDetails(**values)  # type: ignore[arg-type]
    case = _one(first.case, second.case, "KAA case")
    if case is not None:
        case = attrs.evolve(case, youth=youth, contact_details=details)  # type: ignore[misc]
    return SourceRecord(
        youth=youth,
        origin=first.origin,
        contact_details=details,
        case=case,  # type: ignore[arg-type]
        merged_from=(*first.merged_from, second.origin, *second.merged_from),
    )


def combine(
    *streams: Iterable[SourceRecord],
    summary: ReadSummary | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> list[SourceRecord]:
    """Combine records from several sources into one record per youth (see the module docs).

    Unlike reading, combining holds every record in memory (one per youth).

    Args:
        *streams: Records, most trusted source first.
        summary: Counts records in (``rows_read``), merged or kept (``rows_accepted``) and
            not used because a fact differs (``rows_rejected``, each with a problem).
        on_problem: Called with each problem.

    Returns:
        One record per youth, in the order each youth was first seen.
    """
    summary = summary if summary is not None else ReadSummary(file="combined sources")
    found: dict[object, SourceRecord] = {}
    for stream in streams:
        for record in stream:
            summary.rows_read += 1
            key = record.youth.id
            known = found.get(key)
            if known is None:
                found[key] = record
                summary.rows_accepted += 1
                continue
            try:
                found[key] = merge_records(known, record)
            except InvalidInput as exc:
                summary.rows_rejected += 1
                origin = record.origin
                add_problem(
                    summary,
                    on_problem,
                    Problem(
                        file=origin.file,
                        line=origin.lines[0] if origin.lines else 1,
                        column=None if exc.column is None else str(exc.column),
                        youth=record.id,
                        message=f"{exc.message} from {known.origin}: this record was not used; "
                        "correct the register so the two agree",
                    ),
                )
            else:
                summary.rows_accepted += 1
    summary.records = len(found)
    return list(found.values())


def merge_history(documented: Youth, snapshot: Youth, *, on: dt.date) -> Youth:
    """The register's snapshot of a youth, taken on ``on``, merged with the dated history the
    case documentation holds.

    A register export says where a youth lives *now*; the cases file says where the youth
    lived while the case was open. Replacing the history with the snapshot would move a youth
    who has since moved away out of the municipality for the whole half-year, and out of its
    SCB file. So the residences are merged: the documented residences hold for the days before
    ``on`` (cut to end the day before), and the snapshot's for ``on`` and after (an undated
    snapshot residence starts on ``on``); a documented and a snapshot residence that meet on
    ``on`` with the same municipality and basis become one. Every other fact is the
    snapshot's. When either side has no residences, the other side's are kept.

    Args:
        documented: The youth as the case documentation holds it.
        snapshot: The youth as the register export holds it on ``on``.
        on: The day the snapshot describes.

    Returns:
        The snapshot's youth with the merged residences.
    """
    if not snapshot.residences:
        return attrs.evolve(snapshot, residences=documented.residences)
    if not documented.residences:
        return snapshot  # a frozen value: the same facts
    before = on - dt.timedelta(days=1)
    kept = [r for r in documented.residences if r.start is None or r.start < on]
    fresh = [r for r in snapshot.residences if r.end is None or r.end >= on]
    joined: Residence | None = None
    if kept and fresh:
        last, first = kept[-1], fresh[0]
        if (
            (last.end is None or last.end >= before)  # cut, it ends the day before ``on``
            and (first.start is None or first.start <= on)  # cut, it starts on ``on``
            and (last.municipality, last.basis) == (first.municipality, first.basis)
        ):
            # the two meet on ``on``: one residence, made at once rather than cut and joined
            joined = last if last.end == first.end else attrs.evolve(last, end=first.end)
            kept, fresh = kept[:-1], fresh[1:]
    # a residence that needs no cut is kept as it is (each new one is validated again)
    history = [
        r if r.end is not None and r.end <= before else attrs.evolve(r, end=before) for r in kept
    ]
    if joined is not None:
        history.append(joined)
    current = [
        r if r.start is not None and r.start >= on else attrs.evolve(r, start=on) for r in fresh
    ]
    return attrs.evolve(snapshot, residences=tuple(dict.fromkeys([*history, *current])))


def _protected_case(
    case: Case, summary: ReadSummary, on_problem: Callable[[Problem], None] | None
) -> Case:
    """``case`` with a protected youth and no address; a dropped address is a problem."""
    details = case.contact_details
    if details is not None and details.address is not None:
        add_problem(
            summary,
            on_problem,
            Problem(
                file=summary.file,
                line=0,
                youth=case.youth.id.masked(),
                message="the register marks the youth as protected identity: the address in "
                "the case file was not kept; remove it from the case",
            ),
        )
        details = attrs.evolve(details, address=None)
    return attrs.evolve(case, youth=_protect(case.youth), contact_details=details)


def join_cases(
    youths: Mapping[IdentityNumber, Youth],
    from_register: Mapping[IdentityNumber, Case],
    documented: Iterable[Case],
    *,
    summary: ReadSummary,
    on: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> dict[IdentityNumber, Case]:
    """Join the register with the case documentation: one KAA case per youth.

    The register's facts about each youth are the current ones; the cases file holds what
    the case workers documented (contacts, measures, plans). So a documented case gets the
    register's youth, when the register has the youth and the facts fit the case; when they
    do not fit (e.g. the register's birth date contradicts the case), the case's own facts
    are kept and a problem says so. A youth with a case from the register export but none in
    the cases file keeps the register's case; a documented case replaces it.

    Protected identity wins: when the register's youth or the case's youth is protected, the
    joined case's youth is protected, whichever facts are kept, and an address in the cases
    file is dropped with a problem saying so; an address is never kept because the two
    disagree.

    Args:
        youths: The register's youths, by identity number.
        from_register: The cases the register export itself holds.
        documented: The documented cases, as read from the cases file.
        summary: The cases file's read summary (its ``file`` names the problems; each
            problem is added to it).
        on: The day the register export describes: the documented residence history is
            merged with the register's snapshot (:func:`merge_history`); without it the
            register's facts replace the case's.
        on_problem: Called with each problem (which may raise, for ``--strict``).

    Returns:
        One case per youth: the register's cases, then the documented ones, by identity
        number.
    """
    cases: dict[IdentityNumber, Case] = dict(from_register)
    for case in documented:
        fresh = youths.get(case.youth.id)
        if fresh is not None and on is not None:
            fresh = merge_history(case.youth, fresh, on=on)
        if fresh is not None and (
            fresh.has_protected_identity or case.youth.has_protected_identity
        ):
            fresh = _protect(fresh)
            case = _protected_case(case, summary, on_problem)
        if fresh is not None and fresh != case.youth:
            try:
                case = attrs.evolve(case, youth=fresh)
            except InvalidInput as exc:
                add_problem(
                    summary,
                    on_problem,
                    Problem(
                        file=summary.file,
                        line=0,
                        youth=case.youth.id.masked(),
                        message=f"the register's facts do not fit the case ({exc.message}); "
                        "the case file's facts were kept",
                    ),
                )
        cases[case.youth.id] = case
    return cases
