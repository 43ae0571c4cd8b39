"""The ``ss12000`` source: persons from the public SS12000 school-data API, as JSON.

SS12000 (SIS TK450, OpenAPI version 2.1.0) is the one public format here. It has no KAA case
data, but its ``Person`` with ``enrolments`` holds what the target-group rule needs. The
source reads, with the specification's own field names:

* a ``/persons`` response saved as JSON, ``{"data": [Person, …], "pageToken": …}``, or a
  plain list of persons, or JSON Lines with one person per line (streamed);
* optionally, in the same object, ``"programmes"``: the ``/programmes`` response (or its
  ``data`` list), so that each enrolment's ``programme.id`` can be looked up.

From each ``Person``:

=============================  ==============================================================
field                          used as
=============================  ==============================================================
``civicNo.value``              the identity number (required)
``givenName``, ``familyName``  the name
``securityMarking``            anything but ``Ingen`` (the documented "none" value) is
                               protected identity — no address is kept, the home basis is
                               protected (see below)
``personStatus``               ``Utvandrad`` or ``Avliden``: no home municipality is recorded
``addresses``                  the ``Folkbokföring`` address: its ``municipalityCode`` is the
                               home municipality; street, postal code and locality are kept
                               (unless protected; an address without one of them is not kept,
                               with a notice)
``emails``, ``phoneNumbers``   contact details (a private e-mail and a mobile number first)
``enrolments``                 ``schoolType`` ``GY`` → *gymnasieskola*, ``GYS`` → *anpassad
                               gymnasieskola*, ``VUX*``/``SFI``/``SARVUX*`` → *komvux*,
                               ``FHS`` → *folkhögskola*, ``YH``/``HS``/``KU``/… → other
                               education; ``startDate``, ``endDate``, ``cancelled``;
                               the programme from ``programme`` (looked up in
                               ``programmes``) or ``educationCode``: a code starting ``IM``
                               is an introduction programme, any other a national programme
``enrolments`` in ``GR``,      the end of the last, not cancelled, enrolment in school year 9
``GRS``, ``SP``                (10 in ``SP``) is the day compulsory school was completed
=============================  ==============================================================

**Degrees.** SS12000 2.1.0 has no object for a *gymnasieexamen* or another certificate, and
whether a set of final grades makes a degree is decided by the school, not derivable from the
grades alone; so grades are **not** used. Qualifications may be supplied in an optional
top-level ``"degrees"`` list, which is **not** part of SS12000 but a `kaa` extension:
``{"person": {"id": …}, "type": "Gymnasieexamen", "issued": "2025-06-12"}`` with ``type``
one of the library's qualification values or Swedish labels.

**Protected identity fails closed.** ``Code_SecurityMarking`` has three values: ``Ingen``,
``Sekretessmarkering`` and ``Skyddad folkbokföring``. They are compared without case,
diacritics or extra spaces. ``Ingen`` — or no ``securityMarking`` at all (the field is
optional) — is the only "not protected". The two markings, and **any other value** (an
unknown word such as ``Skyddad identitet``, an empty text, a number), make the person
protected: no address is kept, from any ``addresses`` entry, and the home basis is
*skyddad folkbokföring*. An unknown value also gives a notice naming it.

Every person is accepted or reported (the line the person's object starts on, the masked
number). A person appearing twice is reported, not merged. This source takes no mapping file:
the field names are the standard's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Final

import attrs

from kaa.adapters.base import Origin, SourceRecord, add_notice, add_problem, refuse_mapping
from kaa.dated import iso_date_time
from kaa.errors import InvalidIdentityNumber, InvalidInput
from kaa.formats.json import JsonFault, json_document, json_item_lines, json_lines
from kaa.formats.problems import Problem, ReadSummary
from kaa.formats.text import normalise_heading, parse_identity
from kaa.identity import IdentityNumber
from kaa.model.case import Address, ContactDetails
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.municipalities import is_municipality_code

__all__ = ["SS12000Source", "person_record"]

_SCHOOL_TYPES: Final[Mapping[str, SchoolForm]] = {
    "GY": SchoolForm.GYMNASIESKOLA,
    "GYS": SchoolForm.ANPASSAD_GYMNASIESKOLA,
    "VUX": SchoolForm.KOMVUX,
    "VUXSFI": SchoolForm.KOMVUX,
    "VUXGR": SchoolForm.KOMVUX,
    "VUXGY": SchoolForm.KOMVUX,
    "VUXSARGR": SchoolForm.KOMVUX,
    "VUXSARTR": SchoolForm.KOMVUX,
    "VUXSARGY": SchoolForm.KOMVUX,
    "SFI": SchoolForm.KOMVUX,
    "SARVUX": SchoolForm.KOMVUX,
    "SARVUXGR": SchoolForm.KOMVUX,
    "SARVUXGY": SchoolForm.KOMVUX,
    "FHS": SchoolForm.FOLKHOGSKOLA,
    "YH": SchoolForm.OTHER,
    "HS": SchoolForm.OTHER,
    "KU": SchoolForm.OTHER,
    "KKU": SchoolForm.OTHER,
    "STF": SchoolForm.OTHER,
    "ABU": SchoolForm.OTHER,
    "AU": SchoolForm.OTHER,
}
"""SS12000 ``SchoolTypesEnum`` values that are education after compulsory school."""

_COMPULSORY: Final[Mapping[str, int]] = {"GR": 9, "GRS": 9, "SP": 10}
"""Compulsory school types and the school year that completes them."""

_UPPER_SECONDARY_LEVEL: Final = frozenset({"VUXGY", "VUXSARGY", "SARVUXGY"})
_NO_MARKING: Final = "ingen"
_MARKINGS: Final = frozenset({"skyddadfolkbokforing", "sekretessmarkering"})
"""The values of ``Code_SecurityMarking`` other than ``Ingen``, as :func:`_plain` gives them."""
_GONE: Final = frozenset({"utvandrad", "avliden"})
_QUALIFICATIONS: Final[Mapping[str, QualificationKind]] = {
    **{normalise_heading(q.value): q for q in QualificationKind},
    **{normalise_heading(q.label_sv): q for q in QualificationKind},
    "examen": QualificationKind.GYMNASIEEXAMEN,
    "högskoleförberedande examen": QualificationKind.GYMNASIEEXAMEN,
    "yrkesexamen": QualificationKind.GYMNASIEEXAMEN,
}


def _plain(text: str) -> str:
    """``text`` without case, diacritics, spaces or punctuation (``Skyddad folkbokföring`` →
    ``skyddadfolkbokforing``)."""
    decomposed = unicodedata.normalize("NFKD", normalise_heading(text))
    return "".join(c for c in decomposed if c.isalnum())


def _security_marking(value: object) -> tuple[bool, str | None]:
    """Whether a ``securityMarking`` makes the person protected, and a notice if the value is
    not one of the standard's (see the module docs: anything but ``Ingen`` is protected)."""
    if value is None:
        return False, None
    if isinstance(value, str):
        plain = _plain(value)
        if plain == _NO_MARKING:
            return False, None
        if plain in _MARKINGS:
            return True, None
        shown = repr(value if len(value) <= 40 else value[:40] + "…")
    else:
        shown = f"of type {type(value).__name__}"
    return True, (
        f"securityMarking {shown} is not one of the standard's values (Ingen, "
        "Sekretessmarkering, Skyddad folkbokföring): the person is read as protected, so no "
        "address is kept"
    )


def _date(value: object, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        found = iso_date_time(value.strip())
        if found is not None:
            return found
    raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", column=where)


def _list(value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput("must be a list", column=where)
    return value


def _obj(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput("must be an object", column=where)
    return value


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _programme(
    enrolment: Mapping[str, Any], form: SchoolForm, school_type: str, programmes: Mapping[str, str]
) -> Programme:
    ref = enrolment.get("programme")
    code: str | None = None
    if isinstance(ref, dict):
        code = programmes.get(str(ref.get("id")))
        display = ref.get("displayName")
        if code is None and isinstance(display, str) and "introduktion" in display.casefold():
            return Programme.INTRODUCTION
    if code is None:
        code = _text(enrolment.get("educationCode"))
    if form in (SchoolForm.GYMNASIESKOLA, SchoolForm.ANPASSAD_GYMNASIESKOLA):
        if code is None:
            return Programme.NONE
        return Programme.INTRODUCTION if code.upper().startswith("IM") else Programme.NATIONAL
    if school_type in _UPPER_SECONDARY_LEVEL:
        return Programme.UPPER_SECONDARY_LEVEL
    return Programme.NONE


def person_record(
    person: object,
    *,
    reference_day: dt.date | None = None,
    programmes: Mapping[str, str] | None = None,
    degrees: Mapping[str, list[Qualification]] | None = None,
    origin: Origin,
) -> tuple[SourceRecord, tuple[Problem, ...]]:
    """Turn one SS12000 ``Person`` object into a record.

    Args:
        person: The parsed JSON object.
        reference_day: The day 10-digit identity numbers are read against.
        programmes: Programme id → programme code, from the ``/programmes`` response.
        degrees: Person id → qualifications, from the ``degrees`` extension.
        origin: Where the person came from.

    Returns:
        The record, and its notices (``file`` and ``line`` from ``origin``): an unknown
        ``securityMarking`` read as protected, an address not kept because of protected
        identity, a home address not kept because a part of it is missing.

    Raises:
        InvalidInput: If a field has the wrong shape or value (``column`` is the JSON path).
        InvalidIdentityNumber: If ``civicNo.value`` is missing or invalid.
    """
    p = _obj(person, "$")
    civic = p.get("civicNo")
    raw = civic.get("value") if isinstance(civic, dict) else None
    if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
        raise InvalidInput(
            "civicNo.value is missing: a youth without an identity number cannot be registered",
            column="civicNo.value",
        )
    try:
        ident = parse_identity(str(raw), on=reference_day)
    except InvalidIdentityNumber as exc:
        raise InvalidInput(exc.message, column="civicNo.value") from None
    protected, unknown_marking = _security_marking(p.get("securityMarking"))
    gone = (_text(p.get("personStatus")) or "").casefold() in _GONE
    residences: list[Residence] = []
    address: Address | None = None
    dropped = False
    partial: int | None = None
    for i, item in enumerate(_list(p.get("addresses"), "addresses")):
        a = _obj(item, f"addresses[{i}]")
        if a.get("type") != "Folkbokföring":
            if protected and any(
                _text(a.get(k)) for k in ("streetAddress", "postalCode", "locality")
            ):
                dropped = True
            continue
        code = a.get("municipalityCode")
        if code is not None and not gone:
            text = str(code).strip().zfill(4)
            if not is_municipality_code(text):
                raise InvalidInput(
                    f"{code!r} is not a kommunkod", column=f"addresses[{i}].municipalityCode"
                )
            residences.append(
                Residence(
                    municipality=text,
                    basis=HomeBasis.PROTECTED if protected else HomeBasis.FOLKBOKFORD,
                )
            )
        street = _text(a.get("streetAddress"))
        postal = _text(a.get("postalCode"))
        city = _text(a.get("locality"))
        if protected:
            dropped = dropped or bool(street or postal or city)
        elif street and postal and city:
            if address is None:
                address = Address(street=street, postal_code=postal.replace(" ", ""), city=city)
        elif (street or postal or city) and partial is None:
            partial = i
    enrolments: list[Enrolment] = []
    compulsory: dt.date | None = None
    for i, item in enumerate(_list(p.get("enrolments"), "enrolments")):
        where = f"enrolments[{i}]"
        e = _obj(item, where)
        school_type = _text(e.get("schoolType")) or ""
        start = _date(e.get("startDate"), f"{where}.startDate")
        end = _date(e.get("endDate"), f"{where}.endDate")
        cancelled = e.get("cancelled", False)
        if not isinstance(cancelled, bool):
            raise InvalidInput("must be true or false", column=f"{where}.cancelled")
        if school_type in _COMPULSORY:
            year = e.get("schoolYear")
            if (
                end is not None
                and not cancelled
                and isinstance(year, int)
                and year >= _COMPULSORY[school_type]
                and (compulsory is None or end > compulsory)
            ):
                compulsory = end
            continue
        form = _SCHOOL_TYPES.get(school_type)
        if form is None:
            continue  # pre-school, leisure-time centre, preschool class: not relevant
        if start is None:
            raise InvalidInput("an enrolment needs a startDate", column=f"{where}.startDate")
        enrolments.append(
            Enrolment(
                school_form=form,
                programme=_programme(e, form, school_type, programmes or {}),
                start=start,
                end=end,
                cancelled=cancelled,
            )
        )
    name = " ".join(x for x in (_text(p.get("givenName")), _text(p.get("familyName"))) if x)
    email = _first(p.get("emails"), "emails", prefer=lambda x: x.get("type") == "Privat")
    phone = _first(p.get("phoneNumbers"), "phoneNumbers", prefer=lambda x: x.get("mobile") is True)
    details = None
    if name or email or phone or address:
        details = ContactDetails(name=name or None, address=address, email=email, phone=phone)
    person_id = str(p.get("id", ""))
    youth = Youth(
        id=ident,
        residences=tuple(residences),
        compulsory_school_completed=compulsory,
        enrolments=tuple(enrolments),
        qualifications=tuple((degrees or {}).get(person_id, ())),
    )
    notices: list[Problem] = []
    line = origin.lines[0] if origin.lines else 1

    def notice(message: str, column: str | None = None) -> None:
        notices.append(
            Problem(
                file=origin.file, line=line, column=column, youth=ident.masked(), message=message
            )
        )

    if unknown_marking is not None:
        notice(unknown_marking, "securityMarking")
    if dropped:
        notice("protected identity: the address was not kept")
    if partial is not None and address is None:
        notice(
            "the Folkbokföring address was not kept: it needs streetAddress, postalCode and "
            "locality, and one is missing (the person is read)",
            f"addresses[{partial}]",
        )
    record = SourceRecord(youth=youth, origin=origin, contact_details=details)
    return record, tuple(notices)


def _masked(person: object, reference_day: dt.date | None) -> str | None:
    """The masked civicNo of a person that could not be read, if it has a valid one."""
    civic = person.get("civicNo") if isinstance(person, dict) else None
    raw = civic.get("value") if isinstance(civic, dict) else None
    if isinstance(raw, str):
        try:
            return parse_identity(raw, on=reference_day).masked()
        except InvalidIdentityNumber:
            return None
    return None


def _first(value: object, where: str, *, prefer: Callable[[Mapping[str, Any]], bool]) -> str | None:
    items = [_obj(x, f"{where}[{i}]") for i, x in enumerate(_list(value, where))]
    items.sort(key=lambda x: not prefer(x))
    for item in items:
        text = _text(item.get("value"))
        if text:
            return text
    return None


def _item_lines(text: str, offset: int, data: list[Any]) -> list[int] | None:
    """The line each item of the JSON array starting at ``offset`` starts on, or ``None`` if
    the array found there is not ``data`` (then items are numbered by position)."""
    try:
        return [line for line, _ in json_item_lines(text, offset, data, check=True)]
    except ValueError:
        return None


_DATA_KEY: Final = re.compile(r'"(?:data|persons)"\s*:\s*\[')


def _load(stream: IO[str], name: str, lines: bool) -> tuple[Iterable[tuple[int, Any]], Any]:
    if lines:
        return json_lines(stream, name), {}
    text = stream.read()
    data = json_document(text, name)
    extra: Any = {}
    persons = data
    if isinstance(data, dict):
        extra = data
        persons = data.get("data", data.get("persons"))
    if not isinstance(persons, list):
        raise InvalidInput(
            'expected a /persons response {"data": [...]} or a list of persons', file=name, line=1
        )
    if not persons:
        return [], extra
    found = None
    if isinstance(data, list):
        found = _item_lines(text, text.index("["), persons)
    else:
        for match in _DATA_KEY.finditer(text):  # the first array that holds the persons
            found = _item_lines(text, match.end() - 1, persons)
            if found is not None:
                break
    if found is None:  # numbered by position when the text cannot be matched up
        found = list(range(1, len(persons) + 1))
    return zip(found, persons, strict=True), extra


def _programme_codes(extra: Mapping[str, Any], name: str) -> dict[str, str]:
    raw = extra.get("programmes")
    if isinstance(raw, dict):
        raw = raw.get("data")
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise InvalidInput("programmes must be a list or a /programmes response", file=name)
    codes: dict[str, str] = {}
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            codes[str(item.get("id"))] = item["code"]
    return codes


def _degrees(extra: Mapping[str, Any], name: str) -> dict[str, list[Qualification]]:
    raw = extra.get("degrees")
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise InvalidInput("degrees must be a list", file=name)
    found: dict[str, list[Qualification]] = {}
    for i, item in enumerate(raw):
        where = f"degrees[{i}]"
        d = _obj(item, where) if isinstance(item, dict) else None
        person = d.get("person") if d else None
        kind = _QUALIFICATIONS.get(normalise_heading(str(d.get("type", "")))) if d else None
        try:
            issued = _date(d.get("issued"), f"{where}.issued") if d else None
        except InvalidInput as exc:
            raise InvalidInput(exc.message, file=name, column=exc.column) from None
        if not isinstance(person, dict) or kind is None or issued is None:
            raise InvalidInput(
                "each degree needs person.id, a type (e.g. Gymnasieexamen) and issued",
                file=name,
                column=where,
            )
        found.setdefault(str(person.get("id")), []).append(Qualification(kind=kind, issued=issued))
    return found


@attrs.frozen
class SS12000Source:
    """The built-in ``ss12000`` register source (see the module docs).

    Attributes:
        name: ``ss12000``.
        description: One line for ``kaa sources``.
    """

    name: str = "ss12000"
    description: str = (
        "SS12000 API JSON: a /persons response (with enrolments), optionally with programmes"
    )

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Stream records from an SS12000 JSON file (see
        :class:`kaa.adapters.base.RegisterSource`).

        Raises:
            ConfigurationError: If a mapping file is given (the field names are the standard's).
            InvalidInput: If the file cannot be opened or is not SS12000 JSON.
        """
        refuse_mapping("ss12000", mapping, reads="the standard's field names")
        return self._open(Path(path), summary, reference_day, on_problem)

    def _open(
        self,
        path: Path,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
    ) -> Iterator[SourceRecord]:
        # Opened only when the records are first asked for, so nothing is left open.
        name = str(path)
        try:
            stream = path.open(encoding="utf-8-sig")
        except OSError as exc:
            raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
        yield from self._read(
            stream,
            name,
            summary,
            reference_day,
            on_problem,
            lines=path.suffix.lower() in (".jsonl", ".ndjson"),
        )

    def _read(
        self,
        stream: IO[str],
        name: str,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        *,
        lines: bool,
    ) -> Iterator[SourceRecord]:
        with stream:
            try:
                items, extra = _load(stream, name, lines)
                programmes = _programme_codes(extra, name) if isinstance(extra, dict) else {}
                degrees = _degrees(extra, name) if isinstance(extra, dict) else {}
                seen: dict[IdentityNumber, int] = {}
                for line, person in items:
                    summary.rows_read += 1
                    if isinstance(person, JsonFault):
                        person.reject(summary, on_problem, file=name, line=line)
                        continue
                    origin = Origin(source=self.name, file=name, lines=(line,))
                    try:
                        record, notices = person_record(
                            person,
                            reference_day=reference_day,
                            programmes=programmes,
                            degrees=degrees,
                            origin=origin,
                        )
                    except InvalidInput as exc:
                        summary.rows_rejected += 1
                        add_problem(
                            summary,
                            on_problem,
                            Problem.from_error(
                                exc, file=name, line=line, youth=_masked(person, reference_day)
                            ),
                        )
                        continue
                    first = seen.get(record.youth.id)
                    if first is not None:
                        summary.rows_rejected += 1
                        add_problem(
                            summary,
                            on_problem,
                            Problem(
                                file=name,
                                line=line,
                                column="civicNo.value",
                                youth=record.id,
                                message=f"the same person appeared on line {first}; this one "
                                "was not used",
                            ),
                        )
                        continue
                    seen[record.youth.id] = line
                    for found in notices:
                        add_notice(summary, found)
                    summary.rows_accepted += 1
                    summary.records += 1
                    yield record
            except UnicodeDecodeError as exc:
                raise InvalidInput(
                    f"the file is not UTF-8 (byte {exc.start}); SS12000 JSON is UTF-8",
                    file=name,
                ) from None
            except RecursionError:
                raise InvalidInput("the JSON is nested too deeply", file=name) from None
