"""What a youth states about themselves in the municipality's e-service (*e-tjänst*).

Both municipal plans the library follows let a youth report their current activity
(*sysselsättning*) through the municipality's e-service, and ask to be contacted. The
library builds no login: Swedish e-services run on platforms with e-legitimation (BankID,
Freja), which know who the youth is. A :class:`SelfReport` is what such a platform hands
on for one submitted form:

==================  =============================================================  ==========
field               what it holds                                                  required
==================  =============================================================  ==========
``youth``           the youth's personnummer, samordningsnummer or interim number  yes
                    (the platform has it from the e-legitimation)
``day``             the day the youth sent the form                                yes
``activity``        the activity the youth stated (:class:`~kaa.model.case.
                    Activity`), ``None`` when the youth stated none
``wants_contact``   whether the youth asked to be contacted                        no
                                                                                   (false)
``channel``         how the youth wishes to be contacted (:class:`~kaa.model.case.
                    Channel`), only with ``wants_contact``
``phone``,          a telephone number and e-mail address the youth gave, which
``email``           förordning (2006:39) 4 § lets the register keep
==================  =============================================================  ==========

There is no free-text field, on purpose: förordning (2006:39) 5 § forbids sensitive personal
data in the register, and free text is where it leaks in. A form's free-text answers stay in
the platform.

A report is a contact that reached the youth, made by the youth: :meth:`SelfReport.contact`
is that :class:`~kaa.model.case.Contact` (channel ``e_service``, the youth contacted and
reached, with the stated activity).

The published JSON Schema of a report (:func:`json_schema`, shipped as
``kaa/data/schemas/self-report.schema.json``) is generated from this class, so that a
platform can check its export against the same definition the library reads.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

import attrs

from kaa.errors import InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, Channel, Contact, Contacted, ContactOutcome

__all__ = ["SCHEMA_ID", "SelfReport", "json_schema", "json_schema_text"]

SCHEMA_ID: Final = "https://kaa.invalid/schemas/self-report.schema.json"
"""The ``$id`` of the published schema (a name, not an address that can be fetched: the
schema is shipped with the library, ``kaa/data/schemas/self-report.schema.json``)."""

_MAX_TEXT: Final = 200


def _identity(_: object, __: attrs.Attribute[IdentityNumber], value: object) -> None:
    if not isinstance(value, IdentityNumber):
        raise InvalidInput(
            f"a self-report's youth must be an IdentityNumber, not {type(value).__name__}",
            column="youth",
        )


def _stated(_: object, __: attrs.Attribute[Activity | None], value: Activity | None) -> None:
    if value is Activity.UNKNOWN:
        raise InvalidInput(
            "a youth who states no activity has none stated (leave it out), not an unknown one: "
            "unknown is for a youth who has not been reached",
            column="activity",
        )


def _contact_text(name: str) -> Any:
    def check(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and (not value.strip() or len(value) > _MAX_TEXT):
            raise InvalidInput(
                f"{name} must be a non-empty text of at most {_MAX_TEXT} characters",
                column=name,
            )
        if name == "email" and value is not None and "@" not in value:
            raise InvalidInput("an e-mail address needs an @", column=name)

    return check


def _hidden(value: str | None) -> str:
    """A phone number or e-mail address in ``repr``: hidden (personal data)."""
    return "None" if value is None else "<hidden>"


def json_schema_text() -> str:
    """:func:`json_schema` as the text of the shipped file (two-space indents, a final line
    break): what ``kaa/data/schemas/self-report.schema.json`` must hold."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


@attrs.frozen(kw_only=True)
class SelfReport:
    """One form a youth sent through the municipality's e-service (see the module docs).

    Invariant (checked when the report is made): a preferred ``channel`` is given only with
    ``wants_contact``.

    Attributes:
        youth: The youth's identity number (masked in ``repr``).
        day: The day the youth sent the form.
        activity: The activity the youth stated; ``None`` when the youth stated none.
        wants_contact: Whether the youth asked to be contacted.
        channel: How the youth wishes to be contacted, if the youth said.
        phone: A telephone number the youth gave.
        email: An e-mail address the youth gave.
    """

    youth: IdentityNumber = attrs.field(
        validator=_identity,
        metadata={
            "label_sv": "personnummer",
            "description": "The youth's personnummer, samordningsnummer or interim number, as "
            "YYYYMMDDNNNC or YYYYMMDD-NNNC (the platform has it from the e-legitimation).",
        },
    )
    day: dt.date = attrs.field(
        metadata={
            "label_sv": "inskickad",
            "description": "The day the youth sent the form (YYYY-MM-DD; a date-time is read "
            "as its day).",
        }
    )
    activity: Activity | None = attrs.field(
        default=None,
        validator=_stated,
        metadata={
            "label_sv": "sysselsättning",
            "description": "The activity (sysselsättning) the youth stated, as SCB counts "
            "it; null or left out when the youth stated none.",
        },
    )
    wants_contact: bool = attrs.field(
        default=False,
        metadata={
            "label_sv": "vill bli kontaktad",
            "description": "Whether the youth asked to be contacted.",
        },
    )
    channel: Channel | None = attrs.field(
        default=None,
        metadata={
            "label_sv": "kontaktväg",
            "description": "How the youth wishes to be contacted; only with wants_contact.",
        },
    )
    phone: str | None = attrs.field(
        default=None,
        validator=_contact_text("phone"),
        repr=_hidden,
        metadata={"label_sv": "telefon", "description": "A telephone number the youth gave."},
    )
    email: str | None = attrs.field(
        default=None,
        validator=_contact_text("email"),
        repr=_hidden,
        metadata={"label_sv": "e-post", "description": "An e-mail address the youth gave."},
    )

    def __attrs_post_init__(self) -> None:
        if self.channel is not None and not self.wants_contact:
            raise InvalidInput(
                f"a preferred channel ({self.channel.value}) is given only by a youth who asked "
                "to be contacted",
                column="channel",
            )

    def contact(self) -> Contact:
        """The report as a contact: on channel ``e_service``, made by the youth and so reaching
        the youth, with the activity the youth stated."""
        return Contact(
            day=self.day,
            channel=Channel.E_SERVICE,
            contacted=Contacted.YOUTH,
            outcome=ContactOutcome.REACHED,
            activity=self.activity,
        )


def _property(field: attrs.Attribute[Any]) -> dict[str, Any]:
    """The JSON Schema of one field of :class:`SelfReport`, from its type and metadata."""
    kinds: dict[str, dict[str, Any]] = {
        "IdentityNumber": {
            "type": "string",
            "pattern": r"^\s*\d{8}[-+]?[0-9TRSUWXJKLMNtrsuwxjklmn]\d{3}\s*$",
        },
        "dt.date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ].*)?$"},
        "bool": {"type": "boolean"},
        "str": {"type": "string", "minLength": 1, "maxLength": _MAX_TEXT},
        "Activity": {
            "type": "string",
            "enum": [a.value for a in Activity if a is not Activity.UNKNOWN],
        },
        "Channel": {"type": "string", "enum": [c.value for c in Channel]},
    }
    annotation = str(field.type)
    optional = annotation.endswith(" | None")
    schema = dict(kinds[annotation.removesuffix(" | None")])
    if optional:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if field.name == "email":
        schema["pattern"] = "@"
    schema["description"] = field.metadata["description"]
    schema["x-label-sv"] = field.metadata["label_sv"]
    if field.default is not attrs.NOTHING:
        schema["default"] = field.default
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one :class:`SelfReport`, generated from the class:
    one property per field, its type, values, default and description from the field.

    The JSON form uses the fields' names and values (``"activity": "work"``,
    ``"channel": "sms"``); the ``e-tjanst`` source reads it, and also a platform's own
    headings and words through a profile (see :mod:`kaa.adapters.etjanst`).
    """
    fields = attrs.fields(SelfReport)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "SelfReport",
        "description": "A youth's own report, through the municipality's e-service "
        "(e-tjänst), of their activity (sysselsättning) and wish to be contacted, as the kaa "
        "library reads it (kaa.model.selfreport.SelfReport; generated from that class).",
        "type": "object",
        "properties": {f.name: _property(f) for f in fields},
        "required": [f.name for f in fields if f.default is attrs.NOTHING],
        "additionalProperties": False,
        "if": {"properties": {"channel": {"type": "string"}}, "required": ["channel"]},
        "then": {
            "properties": {"wants_contact": {"const": True}},
            "required": ["wants_contact"],
        },
    }
