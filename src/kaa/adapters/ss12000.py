"""The ``ss12000`` source: persons from the public SS12000 school-data API, as JSON.

SS12000 (SIS TK450, OpenAPI specification version 2.1.0) is the one public format here. It
has no KAA case data, but its ``Person`` with ``enrolments`` holds what the target-group rule
needs. The source reads, with the specification's own field names:

* a ``/persons`` response saved as JSON, ``{"data": [Person, …], "pageToken": null}``, or a
  plain list of persons, or JSON Lines with one person per line (streamed);
* optionally, in the same object, ``"programmes"``: the ``/programmes`` response (or its
  ``data`` list), so that each enrolment's ``programme.id`` can be looked up.

**A page is not the register.** ``PersonsExpanded.pageToken`` is, by the specification,
``null`` when there is nothing more to fetch. A response whose ``pageToken`` is anything else
(a text, even an empty one) is one page of several: it is **refused** with an
:class:`~kaa.errors.InvalidInput`, never read as the whole register, because the youths on
the other pages would silently fall out of the target group. Fetch every page and read them
together (JSON Lines, one person per line, is the simplest way to join them).

What is read from each ``Person``, what the specification says and the adapter's choices
where it is silent are listed field by field in ``docs/connect/ss12000.md``. In short:

=============================  ==============================================================
field                          used as
=============================  ==============================================================
``civicNo.value``              the identity number (required); ``civicNo.nationality``
                               other than ``SE`` (the default) is refused, not read as a
                               Swedish number; the specification's school-local form
                               ``20130101TF01`` is refused with its own message
``givenName``, ``middleName``  the name
``familyName``
``securityMarking``            anything but ``Ingen`` is protected identity (see below)
``personStatus``               ``Utvandrad`` or ``Avliden``: no home municipality is recorded
``addresses``                  the ``Folkbokföring`` address (an address without ``type`` is
                               one: that is the specification's default): its
                               ``municipalityCode`` is the home municipality; street,
                               postal code and locality are kept unless protected
``emails``, ``phoneNumbers``   contact details (a ``Privat`` e-mail and a mobile number first;
                               ``mobile`` is ``true`` when absent, the default)
``enrolments``                 every ``SchoolTypesEnum`` value has a meaning (below);
                               ``startDate``, ``endDate``, ``cancelled``, ``schoolYear``;
                               the programme from ``programme`` (looked up in
                               ``programmes``) or ``educationCode``
``enrolments`` in ``GR``,      the end of the last, not cancelled, enrolment in school year 9
``GRS``, ``TR``, ``SP``        (10 in ``SP``) is the day compulsory school was completed
=============================  ==============================================================

**School types.** ``GY`` → *gymnasieskola*, ``GYS`` → *anpassad gymnasieskola*,
``VUX*``/``SFI``/``SARVUX*`` → *komvux*, ``FHS`` → *folkhögskola*, ``YH``/``HS``/``KU``/
``KKU``/``STF``/``ABU``/``AU`` → other education; ``GR``, ``GRS``, ``TR`` (*träningsskolan*,
nine years like *grundsärskolan*) and ``SP`` are compulsory school; ``FS``, ``FKLASS``,
``FTH``, ``OPPFTH`` and ``SAM`` (*sameskolan*, school years 1–6) say nothing about the target
group and are passed over. A value is compared without case or surrounding spaces (``gy``
is ``GY``); a value the enum does not have, a number or a missing ``schoolType`` makes the
person reported, never an enrolment silently dropped.

**Without dates.** Skolverket's SS12000 subset (for the digital national tests) has no
``startDate`` or ``endDate``. An enrolment without ``startDate`` is accepted: the file says
only that the pupil was enrolled when it was made, so the enrolment is read as holding from
the day the file is read against (``reference_day``, today if not given) — with ``endDate``
but no ``startDate``, on its ``endDate`` only — and a notice says the first day is not known.
A year-9 enrolment without ``endDate`` gives **no** day compulsory school was completed (none
is known, and none is invented): a notice says so. A cancelled enrolment without ``endDate``
is not read as attendance (the day it was broken off is not known), with a notice.

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

__all__ = [
    "COMPULSORY_YEARS",
    "SCHOOL_TYPES",
    "ProgrammeInfo",
    "SS12000Source",
    "person_record",
    "programme_index",
]

SCHOOL_TYPES: Final = (
    "FS",
    "FKLASS",
    "FTH",
    "OPPFTH",
    "GR",
    "GRS",
    "TR",
    "SP",
    "SAM",
    "GY",
    "GYS",
    "VUX",
    "VUXSFI",
    "VUXGR",
    "VUXGY",
    "VUXSARGR",
    "VUXSARTR",
    "VUXSARGY",
    "SFI",
    "SARVUX",
    "SARVUXGR",
    "SARVUXGY",
    "KU",
    "YH",
    "FHS",
    "STF",
    "KKU",
    "HS",
    "ABU",
    "AU",
)
"""Every value of SS12000 2.1.0 ``SchoolTypesEnum`` (``Code_SchoolType``), in the
specification's order."""

_SCHOOL_FORMS: Final[Mapping[str, SchoolForm]] = {
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
"""``SchoolTypesEnum`` values that are education after compulsory school."""

COMPULSORY_YEARS: Final[Mapping[str, int]] = {"GR": 9, "GRS": 9, "TR": 9, "SP": 10}
"""Compulsory school types and the school year whose end completes compulsory school:
*grundskolan*, *grundsärskolan* and *träningsskolan* (its part for pupils who cannot follow
all of grundsärskolan's subjects, also nine years) year 9; *specialskolan* year 10."""

_PASSED_OVER: Final = frozenset({"FS", "FKLASS", "FTH", "OPPFTH", "SAM"})
"""``SchoolTypesEnum`` values that say nothing about the target group: pre-school, preschool
class, leisure-time centres and *sameskolan* (school years 1–6 only)."""

_UPPER_SECONDARY_LEVEL: Final = frozenset({"VUXGY", "VUXSARGY", "SARVUXGY"})
_NO_MARKING: Final = "ingen"
_MARKINGS: Final = frozenset({"skyddadfolkbokforing", "sekretessmarkering"})
"""The values of ``Code_SecurityMarking`` other than ``Ingen``, as :func:`_plain` gives them."""
_STATUSES: Final = frozenset({"aktiv", "utvandrad", "avliden"})
_GONE: Final = frozenset({"utvandrad", "avliden"})
_HOME: Final = "folkbokforing"
_ADDRESS_TYPES: Final = frozenset(
    {"folkbokforing", "sarskildpostadress", "tillfalligadress", "postadress"}
)
"""``Code_AddressType`` as :func:`_plain` gives it; ``Folkbokföring`` is the default."""
_INTRODUCTION_TYPES: Final = frozenset({"intruduktionsprogram", "introduktionsprogram"})
"""``Code_ProgrammeType`` for an introduction programme: the specification spells it
``Intruduktionsprogram``; the correct spelling is read too."""
_NATIONAL_TYPES: Final = frozenset({"yrkesprogram", "hogskoleforberedandeprogram"})
_BRANCH_TYPES: Final = frozenset({"programinriktning", "utgang"})
_SCHOOL_LOCAL: Final = re.compile(r"\d{8}-?(?:[A-Za-z][A-Za-z0-9]|[0-9][A-Za-z])\d{2}")
"""The specification's *tillfälligt personnummer*: the date and four characters, of which
the first two may be letters (``20130101TF01``)."""
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


def _shown(value: object) -> str:
    """A value for a message: a text quoted (cut at 40 characters), anything else by type."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    return f"of type {type(value).__name__}"


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
    return True, (
        f"securityMarking {_shown(value)} is not one of the standard's values (Ingen, "
        "Sekretessmarkering, Skyddad folkbokföring): the person is read as protected, so no "
        "address is kept"
    )


def _date(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    if value == "":
        raise InvalidInput(
            "an empty text is not a date (the specification's format is YYYY-MM-DD); leave "
            "the field out when there is no date",
            column=where,
        )
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


def _school_type(value: object, where: str) -> str:
    """The ``SchoolTypesEnum`` value of an enrolment (compared without case or spaces)."""
    if value is None:
        raise InvalidInput(
            "schoolType is missing: the specification requires it (SchoolTypesEnum: GR, GY, "
            "VUX, …), and without it the enrolment cannot be read",
            column=where,
        )
    if isinstance(value, str) and value.strip().upper() in SCHOOL_TYPES:
        return value.strip().upper()
    return _refuse_school_type(value, where)


def _refuse_school_type(value: object, where: str) -> str:
    kind = "a number, " if isinstance(value, int | float) and not isinstance(value, bool) else ""
    raise InvalidInput(
        f"schoolType {_shown(value)} is {kind}not one of the specification's SchoolTypesEnum "
        "values (GR, GRS, TR, SP, GY, GYS, VUX, FHS, …): the enrolment cannot be read, so the "
        "person is not read",
        column=where,
    )


def _school_year(value: object, where: str) -> int | None:
    """``schoolYear``: a whole number from 0 to 10 (a text of digits, ``"9"``, is read as the
    number)."""
    if value is None:
        return None
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        year = int(value.strip())
    if year is None or not 0 <= year <= 10:
        raise InvalidInput(
            f"schoolYear {value!r} is not a school year: the specification's is a whole number "
            "from 0 to 10",
            column=where,
        )
    return year


def _identity(civic: object, reference_day: dt.date | None) -> IdentityNumber:
    """The identity number of ``civicNo`` (see the module docs)."""
    raw = civic.get("value") if isinstance(civic, dict) else None
    if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
        raise InvalidInput(
            "civicNo.value is missing: a youth without an identity number cannot be registered",
            column="civicNo.value",
        )
    assert isinstance(civic, dict)
    nationality = civic.get("nationality")
    if nationality is not None and (
        not isinstance(nationality, str) or nationality.strip().upper() != "SE"
    ):
        country = (
            f"{nationality.strip()!r}, another country than Sweden"
            if isinstance(nationality, str) and re.fullmatch(r"[A-Za-z]{2}", nationality.strip())
            else f"{_shown(nationality)}, not an ISO 3166-1 alpha-2 country code"
        )
        raise InvalidInput(
            f"civicNo.nationality is {country}: the number is that country's, so it is not "
            "read as a Swedish personnummer or samordningsnummer (the youth needs a Swedish "
            "number or an interim number to be registered)",
            column="civicNo.nationality",
        )
    text = str(raw).strip()
    try:
        return parse_identity(text, on=reference_day)
    except InvalidIdentityNumber as exc:
        if _SCHOOL_LOCAL.fullmatch(text):
            raise InvalidInput(
                "civicNo.value is a school-local temporary number (tillfälligt personnummer, "
                "letters after the date, as the specification's 20130101TF01): it is not a "
                "personnummer, samordningsnummer or interim number (one of the letters T R S U "
                "W X J K L M N and a check digit), so the youth cannot be registered by it; ask "
                "the school for the youth's personnummer or samordningsnummer",
                column="civicNo.value",
            ) from None
        raise InvalidInput(exc.message, column="civicNo.value") from None


@attrs.frozen
class ProgrammeInfo:
    """What the ``/programmes`` response says about one ``Programme``.

    Attributes:
        code: ``code``, the programme code (*studievägskod*, ``NA``, ``IMYRK``), if given.
        kind: ``type`` (``Code_ProgrammeType``) as :func:`programme_index` compares it
            (without case, diacritics or spaces: ``intruduktionsprogram``), if given.
        parent: ``parentProgramme.id``, for a *programinriktning* or *utgång*.
    """

    code: str | None
    kind: str | None
    parent: str | None


def _programme_kind(ref: str, programmes: Mapping[str, ProgrammeInfo]) -> str | None:
    """The ``Code_ProgrammeType`` of a programme, a branch (*inriktning*, *utgång*) taking
    its parent programme's."""
    for _ in range(3):  # an utgång points to an inriktning, which points to a programme
        info = programmes.get(ref)
        if info is None or info.kind is None:
            return None
        if info.kind not in _BRANCH_TYPES or info.parent is None:
            return info.kind
        ref = info.parent
    return None


def _programme(
    enrolment: Mapping[str, Any],
    form: SchoolForm,
    school_type: str,
    programmes: Mapping[str, ProgrammeInfo],
) -> Programme:
    ref = enrolment.get("programme")
    code: str | None = None
    kind: str | None = None
    if isinstance(ref, dict):
        info = programmes.get(str(ref.get("id")))
        code = info.code if info is not None else None
        kind = _programme_kind(str(ref.get("id")), programmes)
        display = ref.get("displayName")
        if (
            code is None
            and kind is None
            and isinstance(display, str)
            and "introduktion" in display.casefold()
        ):
            return Programme.INTRODUCTION
    if code is None:
        code = _text(enrolment.get("educationCode"))
    if form in (SchoolForm.GYMNASIESKOLA, SchoolForm.ANPASSAD_GYMNASIESKOLA):
        if kind in _INTRODUCTION_TYPES or (code is not None and code.upper().startswith("IM")):
            return Programme.INTRODUCTION
        if code is not None or kind in _NATIONAL_TYPES:
            return Programme.NATIONAL
        return Programme.NONE
    if school_type in _UPPER_SECONDARY_LEVEL:
        return Programme.UPPER_SECONDARY_LEVEL
    return Programme.NONE


@attrs.define
class _Reading:
    """The notices of one person, as it is read: ``(message, column)``."""

    notices: list[tuple[str, str | None]] = attrs.Factory(list)

    def notice(self, message: str, column: str | None = None) -> None:
        self.notices.append((message, column))


def _enrolments(
    p: Mapping[str, Any],
    as_of: dt.date,
    programmes: Mapping[str, ProgrammeInfo],
    reading: _Reading,
) -> tuple[list[Enrolment], dt.date | None]:
    """The enrolments after compulsory school, and the day compulsory school was completed."""
    enrolments: list[Enrolment] = []
    compulsory: dt.date | None = None
    unknown: tuple[str, str] | None = None  # why the completion day is not known, and where
    for i, item in enumerate(_list(p.get("enrolments"), "enrolments")):
        where = f"enrolments[{i}]"
        e = _obj(item, where)
        school_type = _school_type(e.get("schoolType"), f"{where}.schoolType")
        start = _date(e.get("startDate"), f"{where}.startDate")
        end = _date(e.get("endDate"), f"{where}.endDate")
        year = _school_year(e.get("schoolYear"), f"{where}.schoolYear")
        cancelled = e.get("cancelled", False)
        if not isinstance(cancelled, bool):
            raise InvalidInput("must be true or false", column=f"{where}.cancelled")
        if school_type in COMPULSORY_YEARS:
            last = COMPULSORY_YEARS[school_type]
            if cancelled:
                continue
            if year is not None and year >= last and end is not None:
                if compulsory is None or end > compulsory:
                    compulsory = end
            elif year is not None and year >= last and unknown is None:
                unknown = (
                    f"{where} is school year {year} of {school_type} without an endDate "
                    "(Skolverket's SS12000 subset has no enrolment dates): the file says the "
                    "pupil is or was in that year, not whether or when compulsory school was "
                    "completed, so that day is not known and none is recorded (the youth is "
                    "read as not having completed it); record the day from the pupil register",
                    f"{where}.endDate",
                )
            elif year is None and end is not None and unknown is None:
                unknown = (
                    f"{where} in {school_type} has no schoolYear: whether it ended year "
                    f"{last}, and so completed compulsory school, is not known and no day is "
                    "recorded; record the day from the pupil register",
                    f"{where}.schoolYear",
                )
            continue
        form = _SCHOOL_FORMS.get(school_type)
        if form is None:  # pre-school, leisure-time centre, preschool class, sameskola
            continue
        if start is None:
            if cancelled and end is None:
                reading.notice(
                    f"{where} was broken off (cancelled) and has no dates: the day it ended is "
                    "not known, so it is not read as attendance",
                    where,
                )
                continue
            start = end if end is not None else as_of
            held = (
                f"on its endDate {end.isoformat()} only"
                if end is not None
                else f"from {as_of.isoformat()}, the day the file is read against"
            )
            reading.notice(
                f"{where} has no startDate (the specification requires one; Skolverket's "
                f"SS12000 subset has none): the first day is not known, so the enrolment is read "
                f"as holding {held}",
                f"{where}.startDate",
            )
        enrolments.append(
            Enrolment(
                school_form=form,
                programme=_programme(e, form, school_type, programmes),
                start=start,
                end=end,
                cancelled=cancelled,
            )
        )
    if compulsory is None and unknown is not None:
        reading.notice(*unknown)
    return enrolments, compulsory


def person_record(
    person: object,
    *,
    reference_day: dt.date | None = None,
    programmes: Mapping[str, ProgrammeInfo] | None = None,
    degrees: Mapping[str, list[Qualification]] | None = None,
    origin: Origin,
) -> tuple[SourceRecord, tuple[Problem, ...]]:
    """Turn one SS12000 ``Person`` object into a record.

    Args:
        person: The parsed JSON object.
        reference_day: The day 10-digit identity numbers are read against, and the day an
            enrolment without ``startDate`` is known to hold on (today if ``None``).
        programmes: Programme id → what the ``/programmes`` response says of it (see
            :func:`programme_index`).
        degrees: Person id → qualifications, from the ``degrees`` extension.
        origin: Where the person came from.

    Returns:
        The record, and its notices (``file`` and ``line`` from ``origin``): an unknown
        ``securityMarking`` read as protected, an address not kept because of protected
        identity or because a part of it is missing, an address type or person status the
        specification does not have, an enrolment without dates.

    Raises:
        InvalidInput: If a field has the wrong shape or value (``column`` is the JSON path).
    """
    p = _obj(person, "$")
    ident = _identity(p.get("civicNo"), reference_day)
    reading = _Reading()
    protected, unknown_marking = _security_marking(p.get("securityMarking"))
    if unknown_marking is not None:
        reading.notice(unknown_marking, "securityMarking")
    status = p.get("personStatus")
    gone = False
    if status is not None:
        plain = _plain(status) if isinstance(status, str) else ""
        gone = plain in _GONE
        if plain not in _STATUSES:
            reading.notice(
                f"personStatus {_shown(status)} is not one of the specification's values "
                "(Aktiv, Utvandrad, Avliden): read as Aktiv, the default",
                "personStatus",
            )
    residences: list[Residence] = []
    address: Address | None = None
    dropped = False
    partial: int | None = None
    for i, item in enumerate(_list(p.get("addresses"), "addresses")):
        a = _obj(item, f"addresses[{i}]")
        kind = a.get("type")
        plain_kind = _HOME if kind is None else _plain(kind) if isinstance(kind, str) else ""
        if plain_kind != _HOME:
            if protected and any(
                _text(a.get(k)) for k in ("streetAddress", "postalCode", "locality")
            ):
                dropped = True
            if plain_kind not in _ADDRESS_TYPES:
                reading.notice(
                    f"the address type {_shown(kind)} is not one of the specification's "
                    "(Folkbokföring, Särskild postadress, Tillfällig adress, Postadress): the "
                    "address is not read as the home address",
                    f"addresses[{i}].type",
                )
            continue
        code = a.get("municipalityCode")
        if code is not None and not gone:
            text = str(code).strip().zfill(4)
            if isinstance(code, bool) or not is_municipality_code(text):
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
    as_of = reference_day if reference_day is not None else dt.date.today()
    enrolments, compulsory = _enrolments(p, as_of, programmes or {}, reading)
    name = " ".join(
        x
        for x in (_text(p.get("givenName")), _text(p.get("middleName")), _text(p.get("familyName")))
        if x
    )
    email = _first(p.get("emails"), "emails", prefer=lambda x: _plain_of(x.get("type")) == "privat")
    phone = _first(
        p.get("phoneNumbers"), "phoneNumbers", prefer=lambda x: x.get("mobile", True) is True
    )
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
    if dropped:
        reading.notice("protected identity: the address was not kept")
    if partial is not None and address is None:
        reading.notice(
            "the Folkbokföring address was not kept: it needs streetAddress, postalCode and "
            "locality, and one is missing (the person is read)",
            f"addresses[{partial}]",
        )
    line = origin.lines[0] if origin.lines else 1
    notices = tuple(
        Problem(file=origin.file, line=line, column=column, youth=ident.masked(), message=message)
        for message, column in reading.notices
    )
    record = SourceRecord(youth=youth, origin=origin, contact_details=details)
    return record, notices


def _plain_of(value: object) -> str:
    return _plain(value) if isinstance(value, str) else ""


def _masked(person: object, reference_day: dt.date | None) -> str | None:
    """The masked civicNo of a person that could not be read, if it has a valid one."""
    civic = person.get("civicNo") if isinstance(person, dict) else None
    raw = civic.get("value") if isinstance(civic, dict) else None
    if isinstance(raw, str):
        try:
            return parse_identity(raw, on=reference_day).masked()
        except InvalidIdentityNumber:
            text = raw.strip()
            return f"{text[:8]}-****" if _SCHOOL_LOCAL.fullmatch(text) else None
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
        token = data.get("pageToken")
        if token is not None:
            empty = " (an empty text, which is still not null)" if token == "" else ""
            raise InvalidInput(
                f"the response has a pageToken{empty}: by the specification there is more to "
                "fetch, so this is one page of the register, not all of it, and it is not read "
                "(youths on the other pages would fall out of the target group unseen); fetch "
                "every page, following pageToken until it is null, and read them together "
                "(e.g. as JSON Lines, one person per line)",
                file=name,
                line=1,
                column="pageToken",
            )
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


def programme_index(response: object, *, file: str | None = None) -> dict[str, ProgrammeInfo]:
    """Programme id → :class:`ProgrammeInfo`, from a ``/programmes`` response
    (``{"data": [Programme, …]}``) or its ``data`` list; ``None`` gives an empty index.

    Entries that are not objects, or have no ``id``, are passed over (an enrolment pointing at
    one then falls back to its ``educationCode``).

    Raises:
        InvalidInput: If ``response`` is neither a list nor a ``/programmes`` response.
    """
    raw = response.get("data") if isinstance(response, dict) else response
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise InvalidInput("programmes must be a list or a /programmes response", file=file)
    found: dict[str, ProgrammeInfo] = {}
    for item in raw:
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        kind = item.get("type")
        parent = item.get("parentProgramme")
        found[str(item["id"])] = ProgrammeInfo(
            code=_text(item.get("code")),
            kind=_plain(kind) if isinstance(kind, str) else None,
            parent=str(parent["id"]) if isinstance(parent, dict) and "id" in parent else None,
        )
    return found


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
                programmes = (
                    programme_index(extra.get("programmes"), file=name)
                    if isinstance(extra, dict)
                    else {}
                )
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
