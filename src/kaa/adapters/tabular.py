"""Reading a list export (CSV or a workbook) through a column profile.

This is the reader behind the ``ist``, ``ber`` and ``hypernet`` sources and behind any
municipality source built on a :class:`~kaa.adapters.profile.ColumnProfile`.

**Workbooks** (:func:`open_export`): ``.xlsx`` and ``.xlsm`` are read through
`python-calamine <https://pypi.org/project/python-calamine/>`_ when it is installed (it is
in the ``excel`` extra; about fifteen times faster than openpyxl), otherwise through openpyxl
(:func:`kaa.formats.text.open_table`); ``.xls`` (Excel 97–2003) and ``.ods`` (OpenDocument)
need python-calamine. Either way the rows are the same: the same cell texts, the same sheet
(``export.xlsx[Blad1]``) and row numbers in every problem, the same limits
(:class:`~kaa.formats.text.WorkbookLimits`: a ``.xlsx`` or ``.ods`` is looked into before it
is opened; a ``.xls``, which is not a zip archive, may be at most ``limits.total`` bytes).
python-calamine runs in a child process, limited in memory where the system allows: it holds
a sheet's whole used area in memory and, on some damaged files, stops the process it runs in,
which must never be the library's. A ``.xlsx`` it cannot take (a cell far from the others,
``XFD1048576``, makes the area too large) is read by openpyxl, which streams it; a ``.xls``
or ``.ods`` it cannot read is refused. :data:`ENGINES` names the two readers for a source that
must use one (``attrs.evolve(source, engine="openpyxl")``).

How rows become youths (the **duplicate rule**, documented for case workers in "Connect
your register"; rules 1 and 3 are the one per-youth row-grouping engine every row-per-fact
reader shares, :mod:`kaa.formats.grouping`):

1. One row is one youth, or one enrolment or qualification of a youth: consecutive rows with
   the same identity number (in any written form) are **one youth**, their enrolments,
   qualifications and residences combined.
2. A fact a youth can have only once (the day compulsory school was completed, the
   registration day, the name, the phone number, …) must agree across those rows, or be
   empty on all but one. If two rows disagree, **every** row of that youth is rejected and the
   problem names both lines and the column: nothing is silently overwritten.
3. A youth whose rows come back later in the file, after another youth's rows, is reported
   (the later rows are rejected, with the line of the first occurrence) — keep a youth's rows
   together, or merge the youth in the register.

**Memory.** Rows are read one at a time and each youth is handed on as soon as its last row
has been read, so the records are never held. To recognise rule 3, the reader remembers one
small integer pair per youth seen (about 100 bytes), which is the only memory that grows with
the file: about 60 MB for Sweden's 560,000 youths aged 16–19.

**Protected identity fails closed.** A youth with protected identity (a ``protected``
column, or a home basis of *skyddad folkbokföring*) **never** has an address kept: the address
cells are dropped at read time and a notice is counted. Headings and values are compared on
meaning (:func:`~kaa.formats.text.normalise_heading`: Unicode-normalised, any case, spaces,
underscores and hyphens alike), and:

* every heading the profile lists under ``protected`` is read when the export has it (an
  export with both *Skyddad identitet* and *Sekretessmarkering* columns), and the youth is
  protected when any of them says so;
* a word in a ``protected`` column that is not a known yes/no word (``Spärrad``,
  ``Skyddad folkbokforing`` without diacritics) is read as **protected**, with a notice
  telling how to add the word to the mapping file; a home basis that is not a known word but
  names protection (``Skyddad identitet``) is read as protected the same way;
* a column the profile does not read whose heading names protection or secrecy
  (:func:`~kaa.adapters.profile.names_protection`: *skydd*, *sekretess*, *spärr*,
  *protected*, *secret*, …) is an error: the file is refused with an
  :class:`~kaa.errors.InvalidInput` naming the column, until a mapping file maps it under
  ``[columns] protected``. Such a column is never silently ignored.

Other columns the profile does not use are never read; they are listed in one notice.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import marshal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from kaa.adapters.base import Origin, SourceRecord, add_notice, add_problem
from kaa.adapters.profile import FIELDS, ColumnProfile, load_mapping, names_protection
from kaa.errors import InvalidInput
from kaa.formats.grouping import YouthRows, group_youth_rows
from kaa.formats.problems import Problem, ReadSummary
from kaa.formats.text import (
    MAX_CELL,
    XLSX_LIMITS,
    MalformedRow,
    Table,
    WorkbookLimits,
    cell_text,
    normalise_heading,
    normalise_value,
    open_table,
    parse_date,
    parse_identity,
    workbook_fault,
)
from kaa.model.case import (
    Activity,
    Address,
    Case,
    ContactDetails,
    EndReason,
    KaaEnd,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    Residence,
    Youth,
)
from kaa.municipalities import is_municipality_code

__all__ = ["ENGINES", "WORKBOOKS", "ProfileSource", "open_export", "read_table"]

_HEADER_SEARCH = 20
"""How many non-blank rows are searched for the heading row."""

_SINGLE = (
    "compulsory_school_completed",
    "arrived",
    "arrived_after_compulsory_school_age",
    "registered",
    "registration_source",
    "registration_reason",
    "activity",
    "kaa_end",
    "kaa_end_reason",
    "case_worker",
    "name",
    "email",
    "phone",
    "address",
)


@attrs.define
class _Columns:
    """The heading row resolved against a profile."""

    index: dict[str, int]
    headings: dict[str, str]
    width: int
    normalised: list[str]
    unused: list[str]
    protection: tuple[tuple[int, str], ...] = ()
    """Every column mapped to ``protected``, with its heading (the first is also
    ``index["protected"]``)."""


def _resolve(profile: ColumnProfile, row: list[str], table: str, line: int) -> _Columns:
    normalised = [normalise_heading(c) for c in row]
    index: dict[str, int] = {}
    headings: dict[str, str] = {}
    taken: dict[int, str] = {}
    protection: dict[int, str] = {}
    for field, names in profile.headings():
        for name in names:
            wanted = normalise_heading(name)
            if wanted in normalised:
                at = normalised.index(wanted)
                if at in taken and not (field == "protected" and taken[at] == field):
                    raise InvalidInput(
                        f"the heading {row[at].strip()!r} is mapped to both {taken[at]} and "
                        f"{field}; fix the [columns] of the mapping file",
                        file=table,
                        line=line,
                    )
                if field == "protected":  # every protection column is read, not the first
                    protection.setdefault(at, row[at].strip())
                    taken[at] = field
                    index.setdefault(field, at)
                    headings.setdefault(field, row[at].strip())
                    continue
                taken[at] = field
                index[field] = at
                headings[field] = row[at].strip()
                break
    unused = [row[i].strip() for i in range(len(row)) if i not in taken and row[i].strip()]
    unread = [heading for heading in unused if names_protection(heading)]
    if unread:
        shown = ", ".join(repr(h) for h in unread)
        which = f"the columns {shown} name" if len(unread) > 1 else f"the column {shown} names"
        raise InvalidInput(
            f"{which} protected identity or secrecy, but the profile does not read it: add "
            "the heading under [columns] protected in a mapping file (every heading listed "
            "there is read), or remove the column from the export if it does not mark "
            "protected identity; the file is not read, so that no address of a protected "
            "youth is kept",
            file=table,
            line=line,
            column=unread[0],
        )
    return _Columns(
        index=index,
        headings=headings,
        width=len(row),
        normalised=normalised,
        unused=unused,
        protection=tuple(protection.items()),
    )


@attrs.define
class _Youth(YouthRows):
    """The rows of one youth, as they are read."""

    protected: bool = False
    address_dropped: bool = False
    protection_words: list[tuple[int, str, str, str]] = attrs.Factory(list)
    """Unknown words read as protected: ``(line, field, heading, word)``."""
    partial_address: bool = False
    residences: list[Residence] = attrs.Factory(list)
    enrolments: list[Enrolment] = attrs.Factory(list)
    qualifications: list[Qualification] = attrs.Factory(list)
    single: dict[str, tuple[Any, int, str]] = attrs.Factory(dict)

    def set(self, field: str, value: Any, line: int, heading: str) -> None:
        if value is None:
            return
        known = self.single.get(field)
        if known is None:
            self.single[field] = (value, line, heading)
        elif known[0] != value:
            shown = (
                ""
                if FIELDS.get(field, FIELDS["name"]).personal or field == "address"
                else (f" ({_show(known[0])} there, {_show(value)} here)")
            )
            raise InvalidInput(
                f"{heading} differs from line {known[1]}{shown}: a youth can have only one; "
                "correct the register so the rows agree",
                column=heading,
            )

    def get(self, field: str) -> Any:
        found = self.single.get(field)
        return None if found is None else found[0]


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


class _RowReader:
    """Turns the cells of one row into facts on a :class:`_Youth`."""

    def __init__(self, profile: ColumnProfile, columns: _Columns, table: str) -> None:
        self.profile = profile
        self.columns = columns
        self.table = table
        self.formats = profile.date_formats
        self.memo: dict[tuple[str, str], Any] = {}
        present = set(columns.index)
        self.dates: tuple[str, ...] = tuple(
            f
            for f in ("compulsory_school_completed", "arrived", "registered", "kaa_end")
            if f in present
        )
        self.codes: tuple[str, ...] = tuple(
            f
            for f in (
                "arrived_after_compulsory_school_age",
                "registration_source",
                "registration_reason",
                "activity",
                "kaa_end_reason",
            )
            if f in present
        )
        self.texts: tuple[str, ...] = tuple(
            f for f in ("case_worker", "email", "phone") if f in present
        )
        self.has_address = bool(present & {"street", "postal_code", "city"})
        self.name_heading = columns.headings.get("name") or " / ".join(
            columns.headings[f] for f in ("first_name", "last_name") if f in columns.headings
        )

    def cell(self, row: list[str], field: str) -> str:
        at = self.columns.index.get(field)
        if at is None or at >= len(row):
            return ""
        return row[at].strip()

    def heading(self, field: str) -> str:
        return self.columns.headings.get(field, field)

    def date(self, row: list[str], field: str) -> dt.date | None:
        text = self.cell(row, field)
        if not text:
            return None
        found = self.memo.get(("", text))
        if found is not None:
            return found  # type: ignore[no-any-return]
        try:
            day = parse_date(text, self.formats)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, column=self.heading(field)) from None
        if len(self.memo) < 20_000:
            self.memo["", text] = day
        return day

    def coded(self, row: list[str], field: str) -> Any:
        text = self.cell(row, field)
        memo_key = (field, text)
        if memo_key in self.memo:
            return self.memo[memo_key]
        table = self.profile.values[field]
        key = normalise_value(text)
        if key in table:
            if len(self.memo) < 20_000:
                self.memo[memo_key] = table[key]
            return table[key]
        if not text:
            self.memo[memo_key] = None
            return None
        words = sorted({k for k in table if k})
        shown = ", ".join(words[:12]) + (", …" if len(words) > 12 else "")
        raise InvalidInput(
            f"{text!r} is not a known value for {FIELDS[field].description}; known: {shown}. "
            f"Add the export's word under [values.{field}] in the mapping file",
            column=self.heading(field),
        )

    def protection(self, row: list[str], youth: _Youth, line: int) -> bool:
        """Whether a ``protected`` column of ``row`` marks the youth as protected; an unknown
        word does (fail closed) and is remembered for a notice."""
        table = self.profile.values["protected"]
        found = False
        for at, heading in self.columns.protection:
            text = row[at].strip() if at < len(row) else ""
            memo_key = ("protected", text)
            if memo_key in self.memo:
                value = self.memo[memo_key]
            else:
                value = table.get(normalise_value(text))
                if len(self.memo) < 20_000:
                    self.memo[memo_key] = value
            if value is None:
                youth.protection_words.append((line, "protected", heading, text))
                value = True
            found = found or bool(value)
        return found

    def home_basis(self, row: list[str], youth: _Youth, line: int) -> HomeBasis | None:
        """The home basis of ``row``; an unknown word that names protection is protected."""
        text = self.cell(row, "home_basis")
        if (
            text
            and normalise_value(text) not in self.profile.values["home_basis"]
            and names_protection(text)
        ):
            youth.protection_words.append((line, "home_basis", self.heading("home_basis"), text))
            return HomeBasis.PROTECTED
        basis: HomeBasis | None = self.coded(row, "home_basis")
        return basis

    def add(self, youth: _Youth, row: list[str], line: int) -> None:
        protected = self.protection(row, youth, line)
        basis = self.home_basis(row, youth, line) if "home_basis" in self.columns.index else None
        if protected or basis is HomeBasis.PROTECTED:
            youth.protected = True
        # the profile's default kommunkod stands in for a column the export does not have,
        # never for an empty cell of a column it has (that is a missing value, reported)
        code = (
            self.cell(row, "municipality")
            if "municipality" in self.columns.index
            else self.profile.municipality
        )
        if code:
            code = code.zfill(4) if code.isdigit() and len(code) == 3 else code
            if not is_municipality_code(code):
                raise InvalidInput(
                    f"{code!r} is not a kommunkod (four digits, e.g. 1882)",
                    column=self.heading("municipality"),
                )
            residence = Residence(
                municipality=code,
                basis=HomeBasis.PROTECTED if youth.protected else (basis or HomeBasis.FOLKBOKFORD),
                start=self.date(row, "residence_start"),
            )
            if residence not in youth.residences:
                youth.residences.append(residence)
        elif not youth.residences and "municipality" in self.columns.index:
            raise InvalidInput(
                "the kommunkod of the home municipality is missing; fill it in (a default "
                "kommunkod applies only to an export without the column)",
                column=self.heading("municipality"),
            )
        school_form = (
            self.coded(row, "school_form") if "school_form" in self.columns.index else None
        )
        start = (
            self.date(row, "enrolment_start") if "enrolment_start" in self.columns.index else None
        )
        if school_form is not None or start is not None:
            if school_form is None or start is None:
                missing = "school form" if school_form is None else "start date"
                raise InvalidInput(
                    f"an enrolment needs both a school form and a start date; the {missing} "
                    "is missing",
                    column=self.heading(
                        "school_form" if school_form is None else "enrolment_start"
                    ),
                )
            cancelled = self.coded(row, "cancelled") if "cancelled" in self.columns.index else None
            programme = self.coded(row, "programme") if "programme" in self.columns.index else None
            enrolment = Enrolment(
                school_form=school_form,
                programme=programme or Programme.NONE,
                start=start,
                end=self.date(row, "enrolment_end"),
                cancelled=bool(cancelled),
            )
            if enrolment not in youth.enrolments:
                youth.enrolments.append(enrolment)
        kind = self.coded(row, "qualification") if "qualification" in self.columns.index else None
        if kind is not None:
            issued = self.date(row, "qualification_date")
            if issued is None:
                raise InvalidInput(
                    "a certificate or degree needs the day it was issued",
                    column=self.heading("qualification_date"),
                )
            qualification = Qualification(kind=kind, issued=issued)
            if qualification not in youth.qualifications:
                youth.qualifications.append(qualification)
        for field in self.dates:
            youth.set(field, self.date(row, field), line, self.heading(field))
        for field in self.codes:
            if self.cell(row, field):
                youth.set(field, self.coded(row, field), line, self.heading(field))
        for field in self.texts:
            youth.set(field, self.cell(row, field) or None, line, self.heading(field))
        if self.name_heading:
            name = self.cell(row, "name") or " ".join(
                p for p in (self.cell(row, "first_name"), self.cell(row, "last_name")) if p
            )
            youth.set("name", name or None, line, self.name_heading)
        if not self.has_address:
            return
        parts = (self.cell(row, "street"), self.cell(row, "postal_code"), self.cell(row, "city"))
        if any(parts):
            if youth.protected:
                youth.address_dropped = True
            else:
                youth.set("address", parts, line, self.heading("street"))


def _build(youth: _Youth, profile: ColumnProfile, origin: Origin) -> SourceRecord:
    residences = tuple(
        dict.fromkeys(
            attrs.evolve(r, basis=HomeBasis.PROTECTED) if youth.protected else r
            for r in youth.residences
        )
    )
    record_youth = Youth(
        id=youth.id,
        residences=residences,
        compulsory_school_completed=youth.get("compulsory_school_completed"),
        folkbokford_in_sweden=youth.get("arrived"),
        arrived_after_compulsory_school_age=youth.get("arrived_after_compulsory_school_age"),
        enrolments=tuple(youth.enrolments),
        qualifications=tuple(youth.qualifications),
    )
    address = None
    parts = youth.get("address")
    if parts is not None and not youth.protected:
        street, postal_code, city = parts
        if street and postal_code and city:
            address = Address(street=street, postal_code=postal_code.replace(" ", ""), city=city)
        else:
            youth.partial_address = True
    details = None
    if any(youth.get(f) for f in ("name", "email", "phone")) or address is not None:
        details = ContactDetails(
            name=youth.get("name"),
            address=address,
            email=youth.get("email"),
            phone=youth.get("phone"),
        )
    registered: dt.date | None = youth.get("registered")
    case = None
    if registered is None:
        for field in ("registration_reason", "registration_source", "kaa_end", "kaa_end_reason"):
            if youth.get(field) is not None:
                raise InvalidInput(
                    f"{youth.single[field][2]} is filled in but the registration day is missing",
                    column=youth.single[field][2],
                )
    else:
        municipality = residences[-1].municipality if residences else profile.municipality
        if municipality is None:
            raise InvalidInput(
                "a KAA case needs the responsible municipality: fill in the kommunkod or set "
                "[defaults] municipality in the mapping file",
                column="municipality",
            )
        end_day: dt.date | None = youth.get("kaa_end")
        end_reason: EndReason | None = youth.get("kaa_end_reason")
        if (end_day is None) != (end_reason is None):
            raise InvalidInput(
                "the end of KAA needs both a day and a reason",
                column=youth.single["kaa_end" if end_day else "kaa_end_reason"][2],
            )
        source: RegistrationSource | None = youth.get("registration_source")
        reason: RegistrationReason | None = youth.get("registration_reason")
        activity: Activity | None = youth.get("activity")
        case = Case(
            youth=record_youth,
            municipality=municipality,
            registration=Registration(
                day=registered,
                source=source or RegistrationSource.REGISTER_LIST,
                reason=reason or RegistrationReason.MISSING,
                activity=activity or Activity.UNKNOWN,
            ),
            end=KaaEnd(day=end_day, reason=end_reason) if end_day and end_reason else None,
            case_worker=youth.get("case_worker"),
            contact_details=details,
        )
    return SourceRecord(youth=record_youth, origin=origin, contact_details=details, case=case)


def read_table(
    table: Table,
    profile: ColumnProfile,
    *,
    source: str,
    summary: ReadSummary,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[SourceRecord]:
    """Stream the records of an opened table through ``profile`` (see the module docs).

    Args:
        table: From :func:`open_export` (or :func:`kaa.formats.text.open_table`).
        profile: The column profile (with any mapping applied).
        source: The source name recorded in each record's origin.
        summary: Filled in as rows are read.
        reference_day: The day 10-digit identity numbers are read against.
        on_problem: Called with each problem as it is found.

    Yields:
        One record per youth, as soon as the youth's last row has been read.

    Raises:
        InvalidInput: If no heading row with an identity-number column is found.
    """
    name = table.name
    rows = table.rows
    id_names = {normalise_heading(h) for h in profile.columns.get("id", ())}
    columns: _Columns | None = None
    skipped: list[int] = []
    for line, row in rows:
        if not isinstance(row, MalformedRow) and id_names & {normalise_heading(c) for c in row}:
            columns = _resolve(profile, row, name, line)
            header_line = line
            break
        skipped.append(line)
        if len(skipped) >= _HEADER_SEARCH:
            break
    if columns is None:
        looked = ", ".join(profile.columns.get("id", ())) or "(none)"
        raise InvalidInput(
            f"no heading row with a column for the identity number was found (looked for: "
            f"{looked}); name the column under [columns] id in a mapping file",
            file=name,
            line=1,
        )
    if "municipality" not in columns.index and profile.municipality is None:
        looked = ", ".join(profile.columns.get("municipality", ())) or "(none)"
        raise InvalidInput(
            "no column for the kommunkod of the home municipality was found (looked for: "
            f"{looked}); name it under [columns] municipality in a mapping file, or set "
            "[defaults] municipality if every youth in the export is the municipality's own",
            file=name,
            line=header_line,
        )
    if skipped:
        add_notice(
            summary,
            Problem(
                file=name,
                line=skipped[0],
                message=f"{len(skipped)} row(s) above the heading row (line {header_line}) "
                "were skipped as a title",
            ),
        )
    if columns.unused:
        add_notice(
            summary,
            Problem(
                file=name,
                line=header_line,
                message="columns not used by the profile (never read): "
                + ", ".join(columns.unused),
            ),
        )
    reader = _RowReader(profile, columns, name)
    id_at = columns.index["id"]
    id_heading = columns.headings["id"]
    id_normalised = columns.normalised[id_at]
    width = columns.width

    def problem(p: Problem) -> None:
        add_problem(summary, on_problem, p)

    csv_file = table.delimiter is not None

    def data_rows() -> Iterator[tuple[int, str, list[str]]]:
        for line, row in rows:
            if isinstance(row, MalformedRow):
                summary.rows_read += 1
                summary.rows_rejected += 1
                problem(Problem(file=name, line=line, message=row.message))
                continue
            if (
                len(row) >= width
                and id_at < len(row)
                and not row[id_at].lstrip()[:1].isdigit()
                and normalise_heading(row[id_at]) == id_normalised
                and [normalise_heading(c) for c in row[:width]] == columns.normalised
            ):
                add_notice(
                    summary, Problem(file=name, line=line, message="repeated heading row skipped")
                )
                continue
            summary.rows_read += 1
            if len(row) > width and (csv_file or any(c.strip() for c in row[width:])):
                summary.rows_rejected += 1
                problem(
                    Problem(
                        file=name,
                        line=line,
                        message=f"the row has {len(row)} cells but the heading row only "
                        f"{width}; check for a separator inside an unquoted value",
                    )
                )
                continue
            if len(row) < width and csv_file:
                summary.rows_rejected += 1
                problem(
                    Problem(
                        file=name,
                        line=line,
                        message=f"the row has {len(row)} cells but the heading row {width}; "
                        "a cell is missing (check for a lost separator); the row is not read",
                    )
                )
                continue
            yield line, row[id_at].strip() if id_at < len(row) else "", row

    def finish(youth: _Youth) -> SourceRecord | None:
        masked = youth.id.masked()
        if youth.protected and youth.single.pop("address", None) is not None:
            youth.address_dropped = True
        if not youth.bad:
            try:
                record = _build(
                    youth, profile, Origin(source=source, file=name, lines=tuple(youth.lines))
                )
            except InvalidInput as exc:
                youth.bad = True
                problem(Problem.from_error(exc, file=name, line=youth.first_line, youth=masked))
            else:
                summary.rows_accepted += len(youth.lines)
                summary.records += 1
                if youth.partial_address:
                    _, at_line, heading = youth.single["address"]
                    add_notice(
                        summary,
                        Problem(
                            file=name,
                            line=at_line,
                            column=heading,
                            youth=masked,
                            message="the address was not kept: it needs street, postal code "
                            "and post town, and one is missing (the youth is read)",
                        ),
                    )
                for at_line, field, heading, word in dict.fromkeys(youth.protection_words):
                    shown = word if len(word) <= 40 else word[:40] + "…"
                    add_notice(
                        summary,
                        Problem(
                            file=name,
                            line=at_line,
                            column=heading,
                            youth=masked,
                            message=f"{shown!r} is not a known word for protected identity: "
                            "the youth is read as protected (no address is kept); if the word "
                            f"means something else, add it under [values.{field}] "
                            "in the mapping file",
                        ),
                    )
                if youth.address_dropped:
                    add_notice(
                        summary,
                        Problem(
                            file=name,
                            line=youth.first_line,
                            youth=masked,
                            message="protected identity: the address was not kept",
                        ),
                    )
                return record
        summary.rows_rejected += len(youth.lines)
        if len(youth.lines) > 1:
            problem(
                Problem(
                    file=name,
                    line=youth.first_line,
                    youth=masked,
                    message=f"youth not read: all {len(youth.lines)} rows rejected because "
                    "of the problems above",
                )
            )
        return None

    yield from group_youth_rows(
        data_rows(),
        parse=lambda raw: parse_identity(raw, on=reference_day),
        start=_Youth,
        add=reader.add,
        finish=finish,
        returned=lambda first: (
            f"this youth's rows started on line {first} and another youth's rows "
            "came in between; keep a youth's rows together (this row was not used)"
        ),
        id_column=id_heading,
        file=name,
        summary=summary,
        on_problem=on_problem,
        missing="the identity number is missing",
        skip_after_problem=True,
    )


# -- workbooks: python-calamine when installed, openpyxl otherwise ------------------------------

ENGINES: Final = ("auto", "calamine", "openpyxl")
"""The workbook readers a source may be told to use: ``auto`` is python-calamine when it is
installed and openpyxl otherwise (for ``.xlsx``/``.xlsm``; ``.xls`` and ``.ods`` need
python-calamine)."""

WORKBOOKS: Final = (".xlsx", ".xlsm", ".xls", ".ods")
"""The file name endings read as workbooks; anything else is read as CSV text."""

_KINDS: Final = {".xlsx": ".xlsx", ".xlsm": ".xlsx", ".xls": ".xls", ".ods": ".ods"}
_NEEDS_CALAMINE: Final = frozenset({".xls", ".ods"})


def _calamine_installed() -> bool:
    return importlib.util.find_spec("python_calamine") is not None


def _chosen_engine(engine: str, suffix: str, name: str) -> str:
    if engine not in ENGINES:
        raise InvalidInput(f"unknown workbook reader {engine!r}; use one of: {', '.join(ENGINES)}")
    if engine == "auto":
        if _calamine_installed():
            return "calamine"
        if suffix in _NEEDS_CALAMINE:
            raise InvalidInput(
                f"reading {suffix} needs python-calamine, in the 'excel' extra: "
                "pip install 'kaa[excel]' (or save the export as .xlsx or CSV)",
                file=name,
            )
        return "openpyxl"
    if engine == "openpyxl" and suffix in _NEEDS_CALAMINE:
        raise InvalidInput(
            f"openpyxl cannot read {suffix} files; python-calamine can (pip install 'kaa[excel]')",
            file=name,
        )
    return engine


def open_export(
    path: Path,
    *,
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
    engine: str = "auto",
    limits: WorkbookLimits = XLSX_LIMITS,
) -> Table:
    """Open a list export for reading row by row: a workbook (:data:`WORKBOOKS`, see the
    module docs) or CSV text (:func:`kaa.formats.text.open_table`).

    Args:
        path: The file.
        encoding: For CSV text, the encoding (``auto`` detects).
        delimiter: For CSV text, the separator (``auto`` detects).
        sheet: For a workbook, the sheet to read (the first if ``None``).
        engine: For a workbook, the reader (one of :data:`ENGINES`).
        limits: For a workbook, how large it may be.

    Returns:
        The table; for a workbook its name is ``file[sheet]`` and its lines the sheet's rows.

    Raises:
        InvalidInput: If the file cannot be opened or read, is over a limit, or needs a reader
            that is not installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WORKBOOKS:
        return open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet, limits=limits)
    chosen = _chosen_engine(engine, suffix, str(path))
    if chosen == "openpyxl":
        return open_table(path, sheet=sheet, limits=limits)
    try:
        return _open_calamine(path, suffix, sheet, limits)
    except _ReaderStopped:
        if engine != "auto" or suffix in _NEEDS_CALAMINE:
            raise
    # python-calamine holds a sheet's whole area in memory: one with a cell far from the
    # others (XFD1048576) is more than it may take, and openpyxl, which streams, reads it;
    # a .xlsx python-calamine finds damaged gets openpyxl's verdict, as without it
    return open_table(path, sheet=sheet, limits=limits)


def _ods_fault(parts: Iterable[zipfile.ZipInfo], limits: WorkbookLimits) -> str | None:
    """Why an OpenDocument spreadsheet with these parts is refused unread, or ``None``: the
    limits of a ``.xlsx`` (its ``content.xml`` holds the sheets and their texts, so it is held
    to the total only)."""
    total = 0
    for part in parts:
        size, packed, part_name = part.file_size, part.compress_size, part.filename
        total += size
        if (
            part_name.lower().endswith((".xml", ".rdf"))
            and part_name.lower() != "content.xml"
            and size > limits.other_xml
        ):
            return (
                f"its part {part_name} unpacks to {size / 2**20:,.1f} MiB, more than the "
                f"{limits.other_xml / 2**20:,.1f} MiB allowed"
            )
        if size >= limits.ratio_from and size > limits.ratio * max(packed, 1):
            return (
                f"its part {part_name} unpacks from {packed:,} bytes to {size / 2**20:,.1f} MiB, "
                f"more than {limits.ratio} times its packed size: a compression bomb"
            )
    if total > limits.total:
        return (
            f"it unpacks to {total / 2**20:,.1f} MiB, more than the "
            f"{limits.total / 2**20:,.1f} MiB allowed"
        )
    return None


_CALAMINE_CHILD: Final = r"""
import datetime, marshal, sys
try:
    import resource
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (600, 600))
except Exception:
    pass
out = sys.stdout.buffer
def send(message):
    marshal.dump(message, out)
    out.flush()
def cell(v):
    if isinstance(v, datetime.datetime):
        return ("datetime", v.isoformat())
    if isinstance(v, datetime.date):
        return ("date", v.isoformat())
    if isinstance(v, datetime.time):
        return ("time", v.isoformat())
    if isinstance(v, datetime.timedelta):
        return ("timedelta", v.total_seconds())
    return v
try:
    import python_calamine
    book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
    names = list(book.sheet_names)
    send(("sheets", names))
    wanted = sys.argv[2][1:] if sys.argv[2] else (names[0] if names else None)
    if wanted in names:
        sheet = book.get_sheet_by_name(wanted)
        send(("area", sheet.start, sheet.end))
        batch = []
        for row in sheet.iter_rows():
            batch.append([cell(v) for v in row])
            if len(batch) == 500:
                send(("rows", batch))
                batch = []
        send(("rows", batch))
    send(("end",))
except BaseException as exc:
    send(("error", type(exc).__name__))
"""
"""The child process that runs python-calamine (see :func:`_open_calamine`)."""

_CHILD_MEMORY: Final = 4 * 2**30
"""The most memory (address space) the python-calamine child may take, where the system can
set a limit: beyond it, the workbook is refused, and the library's own process is untouched."""

_TYPED: Final[Mapping[str, Callable[[Any], object]]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda seconds: dt.timedelta(seconds=seconds),
}


def _value(cell: object) -> object:
    if isinstance(cell, tuple):
        return _TYPED[cell[0]](cell[1])
    return cell


class _ReaderStopped(InvalidInput):
    """python-calamine could not open the workbook or its sheet (its child process reported
    an error, or stopped: out of memory)."""


class _Child:
    """The python-calamine child process of one workbook, and the messages it sends."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-c",
                _CALAMINE_CHILD,
                str(path),
                "" if sheet is None else f"={sheet}",
                str(_CHILD_MEMORY),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def next(self) -> tuple[Any, ...]:
        """The next message; ``("stopped",)`` if the child ended without a word."""
        assert self.process.stdout is not None
        try:
            message: tuple[Any, ...] = marshal.load(self.process.stdout)
        except (EOFError, ValueError, TypeError):
            return ("stopped",)
        return message

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _open_calamine(path: Path, suffix: str, sheet: str | None, limits: WorkbookLimits) -> Table:
    """A workbook read by python-calamine, run in a child process: python-calamine stops the
    whole process on some damaged files (it asks for more memory than there is, for a cell
    far from the others), which must never take the library's process down."""
    name = str(path)
    kind = _KINDS[suffix]
    unreadable = f"not a readable {kind} workbook"
    try:
        if kind == ".xls":
            size = path.stat().st_size
            fault = (
                f"it is {size / 2**20:,.1f} MiB, more than the {limits.total / 2**20:,.1f} MiB "
                "allowed"
                if size > limits.total
                else None
            )
        else:
            with zipfile.ZipFile(path) as archive:
                parts = archive.infolist()
                fault = (
                    workbook_fault(parts, limits) if kind == ".xlsx" else _ods_fault(parts, limits)
                )
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror or exc}", file=name) from None
    except Exception as exc:  # not a zip file, or a damaged one
        raise InvalidInput(f"{unreadable} ({type(exc).__name__})", file=name) from None
    if fault is not None:
        raise InvalidInput(
            f"the workbook is not read: {fault}; save the sheet as CSV, or split it", file=name
        )
    child = _Child(path, sheet)
    try:
        message = child.next()
        if message[0] != "sheets":
            raise _ReaderStopped(f"{unreadable} ({_stopped(message)})", file=name)
        names: list[str] = message[1]
        if sheet is None:
            if not names:
                raise InvalidInput("the workbook has no sheets", file=name)
            sheet = names[0]
        elif sheet not in names:
            raise InvalidInput(
                f"the workbook has no sheet {sheet!r}; it has: {', '.join(names)}", file=name
            )
        area = child.next()
        if area[0] not in ("area", "end"):
            raise _ReaderStopped(f"{unreadable} ({_stopped(area)})", file=name)
    except BaseException:
        child.close()
        raise
    label = f"{name}[{sheet}]"
    return Table(name=label, rows=_calamine_rows(child, area, label, limits))


def _stopped(message: tuple[Any, ...]) -> str:
    if message[0] == "error":
        return str(message[1])
    return "the reader stopped: the file may be damaged, or need more memory than allowed"


def _child_rows(child: _Child, label: str) -> Iterator[list[Any]]:
    while True:
        message = child.next()
        if message[0] == "rows":
            yield from message[1]
        elif message[0] == "end":
            return
        else:
            raise InvalidInput(f"the sheet cannot be read ({_stopped(message)})", file=label)


def _calamine_rows(
    child: _Child, area: tuple[Any, ...], label: str, limits: WorkbookLimits
) -> Iterator[tuple[int, list[str] | MalformedRow]]:
    """The rows of a python-calamine sheet, numbered and cut as openpyxl's are (see
    :func:`kaa.formats.text.open_table`): the sheet's own row numbers, cells from column A,
    empty cells as ``""``."""
    number = 0
    try:
        if area[0] != "area" or area[1] is None:  # an empty sheet
            return
        (first_row, first_column), end = area[1], area[2]
        rows = _child_rows(child, label)
        head = next(rows, None)
        if head is None:
            return
        # python-calamine yields the used area; depending on its version, from row 1 and
        # column A or from the first cell with a value (which is never in an empty row).
        from_row_1 = first_row > 0 and all(v in ("", None) for v in head)
        from_column_a = first_column > 0 and len(head) == end[1] + 1
        pad: list[Any] = [] if from_column_a else [""] * first_column
        first = 1 if from_row_1 else first_row + 1
        for number, found in enumerate(itertools.chain([head], rows), start=first):
            if number > limits.rows:
                raise InvalidInput(
                    f"the sheet has more than {limits.rows:,} rows", file=label, line=number
                )
            values = pad + found if pad else found
            last = len(values)
            while last and values[last - 1] in ("", None):
                last -= 1
            if not last:
                continue
            if last > limits.columns:
                yield (
                    number,
                    MalformedRow(
                        f"the row has a value in column {last:,}; at most "
                        f"{limits.columns:,} columns are read, so the row is not read"
                    ),
                )
                continue
            cells = [cell_text(_value(v)) for v in values[:last]]
            if max(map(len, cells)) > MAX_CELL:
                column = next(i for i, c in enumerate(cells, start=1) if len(c) > MAX_CELL)
                yield (
                    number,
                    MalformedRow(
                        f"the cell in column {column} is longer than {MAX_CELL:,} characters; "
                        "the row is not read"
                    ),
                )
                continue
            if any(c.strip() for c in cells):
                yield number, cells
    except InvalidInput as exc:
        if exc.line is None and number:
            raise InvalidInput(exc.message, file=label, line=number + 1) from None
        raise
    except Exception as exc:  # a value the child sent that is not a cell
        raise InvalidInput(
            f"the sheet cannot be read past this row ({type(exc).__name__})",
            file=label,
            line=number + 1,
        ) from None
    finally:
        child.close()


@attrs.frozen(kw_only=True)
class ProfileSource:
    """A register source that reads a list export (CSV or a workbook: ``.xlsx``, ``.xlsm``,
    ``.xls``, ``.ods``) through a column profile.

    The built-in ``ist``, ``ber`` and ``hypernet`` sources are instances; a municipality
    plugin makes its own with its own :class:`~kaa.adapters.profile.ColumnProfile`.

    Attributes:
        name: The source name.
        description: One line for ``kaa sources``.
        profile: The default column profile; a mapping file given to :meth:`read` adapts it.
        engine: The workbook reader, one of :data:`ENGINES` (``auto``: python-calamine when
            installed, see :func:`open_export`).
    """

    name: str
    description: str
    profile: ColumnProfile
    engine: str = attrs.field(default="auto", validator=attrs.validators.in_(ENGINES))

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Stream records from ``path`` (see :class:`kaa.adapters.base.RegisterSource`)."""
        profile = load_mapping(self.profile, mapping)  # a bad mapping file fails at once
        return self._records(Path(path), profile, summary, reference_day, on_problem)

    def _records(
        self,
        path: Path,
        profile: ColumnProfile,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
    ) -> Iterator[SourceRecord]:
        # Opened only when the records are first asked for, so nothing is left open.
        table = open_export(
            path,
            encoding=profile.encoding,
            delimiter=profile.delimiter,
            sheet=profile.sheet,
            engine=self.engine,
        )
        try:
            yield from read_table(
                table,
                profile,
                source=self.name,
                summary=summary,
                reference_day=reference_day,
                on_problem=on_problem,
            )
        finally:  # a file refused at its heading row is closed at once, not when collected
            close = getattr(table.rows, "close", None)
            if close is not None:
                close()
