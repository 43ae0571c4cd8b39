"""Column profiles: how a vendor's list export maps onto the library's model.

No vendor publishes its KAA export format. Each built-in vendor source (``ist``, ``ber``,
``hypernet``) therefore ships a **default profile** — TOML data under
``kaa/adapters/profiles/`` — modelled on the data these systems are known to hold, with
Swedish headings. It must be checked against a real export. A municipality adapts it to its
actual export with a **mapping file** (TOML, same sections) without touching code:

.. code-block:: toml

    [file]
    encoding = "cp1252"          # auto, utf-8, utf-8-sig, utf-16, cp1252, latin-1, cp850
    delimiter = ";"              # auto, ";", ",", "tab"
    sheet = "Målgrupp"           # for .xlsx: the sheet (default: the first)
    date_formats = ["iso", "compact", "%d/%m %Y"]

    [defaults]
    municipality = "1882"        # kommunkod for rows without one

    [columns]                    # field = heading (or a list of headings)
    id = "Personnr"
    programme = ["Programtyp", "Program"]

    [values.programme]           # the export's own words -> the library's values
    "IM" = "introduction"
    "Nationellt" = "national"

In ``[columns]`` a field's headings in the mapping *replace* the default ones; in
``[values.FIELD]`` the entries are *added* to the defaults (and win over them). Headings and
values are compared as :func:`~kaa.formats.text.normalise_heading` gives them: Unicode-
normalised, case-insensitively, with spaces, underscores and hyphens alike (``Skyddad
identitet``, ``SKYDDAD_IDENTITET`` and ``skyddad-identitet`` are one heading).

Every value table also understands the library's own values (``gymnasieskola``,
``introduction``) and Swedish labels (``introduktionsprogram``), and every yes/no field
understands ``ja``/``nej``, ``x``/empty, ``1``/``0``, ``true``/``false``. The ``protected``
field also understands the folkbokföring register's markings (:data:`PROTECTION_WORDS`).

**Protected identity fails closed.** Every heading a profile lists under ``protected`` that
the export has is read, not only the first, and a youth is protected when any of them says
so; a word in such a column that the value table does not know is read as *protected* (with a
notice), never as "not protected". A column the profile does not read whose heading names
protection or secrecy (:func:`names_protection`) makes the export refused until a mapping
file maps it (see :mod:`kaa.adapters.tabular`).
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import cattrs

from kaa.convert import (
    DataFileError,
    Invalid,
    Kommunkod,
    load_toml,
    make_converter,
    parse_toml,
)
from kaa.errors import ConfigurationError
from kaa.formats.mapping import (
    FileSettings,
    Headings,
    MappingSource,
    file_changes,
    merged_values,
    structure_headings,
)
from kaa.formats.text import DATE_FORMATS, normalise_heading, normalise_value
from kaa.model.case import Activity, EndReason, RegistrationReason, RegistrationSource
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm

__all__ = [
    "FIELDS",
    "PROTECTION_WORDS",
    "ColumnProfile",
    "Field",
    "builtin_profile",
    "load_mapping",
    "names_protection",
]


@attrs.frozen(kw_only=True)
class Field:
    """One field of the library's model that a column can fill.

    Attributes:
        name: The field name used in profiles and mapping files.
        kind: ``identity``, ``text``, ``date``, ``flag``, ``municipality`` or ``choice``.
        description: What the field holds.
        choices: For a ``choice`` field, the enum its values map to.
        personal: Whether the field holds contact data (kept out of every message).
    """

    name: str
    kind: str
    description: str
    choices: type[enum.Enum] | None = None
    personal: bool = False


FIELDS: Final[Mapping[str, Field]] = {
    f.name: f
    for f in (
        Field(
            name="id",
            kind="identity",
            description="personnummer, samordningsnummer or interim number (required)",
        ),
        Field(name="name", kind="text", description="the youth's whole name", personal=True),
        Field(name="first_name", kind="text", description="given name", personal=True),
        Field(name="last_name", kind="text", description="family name", personal=True),
        Field(name="street", kind="text", description="home address: street", personal=True),
        Field(
            name="postal_code", kind="text", description="home address: postal code", personal=True
        ),
        Field(name="city", kind="text", description="home address: post town", personal=True),
        Field(name="email", kind="text", description="e-mail address", personal=True),
        Field(name="phone", kind="text", description="telephone number", personal=True),
        Field(
            name="municipality",
            kind="municipality",
            description="kommunkod of the home municipality (folkbokföringskommun)",
        ),
        Field(
            name="protected",
            kind="flag",
            description="protected identity (skyddad folkbokföring or sekretessmarkering)",
        ),
        Field(
            name="home_basis",
            kind="choice",
            choices=HomeBasis,
            description="basis of the home municipality (folkbokförd, …)",
        ),
        Field(
            name="residence_start", kind="date", description="first day in the home municipality"
        ),
        Field(
            name="compulsory_school_completed",
            kind="date",
            description="the day compulsory schooling was completed",
        ),
        Field(name="arrived", kind="date", description="the day folkbokförd in Sweden"),
        Field(
            name="arrived_after_compulsory_school_age",
            kind="flag",
            description="no longer of compulsory-school age when folkbokförd in Sweden",
        ),
        Field(
            name="school_form",
            kind="choice",
            choices=SchoolForm,
            description="school form of an enrolment",
        ),
        Field(
            name="programme",
            kind="choice",
            choices=Programme,
            description="programme type of an enrolment",
        ),
        Field(name="enrolment_start", kind="date", description="first day of the enrolment"),
        Field(name="enrolment_end", kind="date", description="last day of the enrolment"),
        Field(name="cancelled", kind="flag", description="studies broken off (avbrott)"),
        Field(
            name="qualification",
            kind="choice",
            choices=QualificationKind,
            description="certificate or degree",
        ),
        Field(name="qualification_date", kind="date", description="the day it was issued"),
        Field(name="registered", kind="date", description="the day registered in KAA"),
        Field(
            name="registration_source",
            kind="choice",
            choices=RegistrationSource,
            description="how the youth came to the municipality's attention",
        ),
        Field(
            name="registration_reason",
            kind="choice",
            choices=RegistrationReason,
            description="latest school-related activity at registration",
        ),
        Field(
            name="activity",
            kind="choice",
            choices=Activity,
            description="activity (sysselsättning) at registration",
        ),
        Field(name="kaa_end", kind="date", description="the day KAA ended"),
        Field(name="kaa_end_reason", kind="choice", choices=EndReason, description="why KAA ended"),
        Field(name="case_worker", kind="text", description="responsible case worker"),
    )
}
"""Every field a column can be mapped to, by name."""

_TRUE: Final = ("ja", "j", "x", "yes", "y", "true", "sant", "1")
_FALSE: Final = ("nej", "n", "no", "false", "falskt", "0", "")

PROTECTION_WORDS: Final[Mapping[str, bool]] = {
    "Skyddad folkbokföring": True,
    "Sekretessmarkering": True,
    "Ingen": False,
}
"""The words of the folkbokföring register's own marking (SS12000 ``Code_SecurityMarking``:
``Ingen``, ``Sekretessmarkering``, ``Skyddad folkbokföring``), which every ``protected``
column understands besides the yes/no words."""

_PROTECTION_STEMS: Final = (
    "skydd",
    "sekretess",
    "sparr",
    "protect",
    "secret",
    "secrecy",
    "confidential",
    "konfidentiell",
    "securitymarking",
)
"""Word stems (without diacritics) that make a heading name protection or secrecy."""


def names_protection(heading: str) -> bool:
    """Whether a column heading names protected identity or secrecy (*skyddad*, *skydd*,
    *sekretess*, *spärr*, *protected*, *secret*, *confidential*, …), however it is written.

    The heading is compared without case, diacritics, spaces or punctuation, so
    ``Personuppgiftsspärr``, ``SEKRETESS_MARKERING`` and ``Skyddad identitet`` all do.

        >>> names_protection("Skyddade personuppgifter"), names_protection("Postort")
        (True, False)
        >>> names_protection("Sparr-markering"), names_protection("securityMarking")
        (True, True)
    """
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", normalise_heading(heading)) if c.isalnum()
    )
    return any(stem in plain for stem in _PROTECTION_STEMS)


def _default_values(field: Field) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if field.kind == "flag":
        table.update(dict.fromkeys(_TRUE, True))
        table.update(dict.fromkeys(_FALSE, False))
        if field.name == "protected":
            table.update({normalise_value(w): v for w, v in PROTECTION_WORDS.items()})
    elif field.choices is not None:
        for member in field.choices:
            table[normalise_value(str(member.value))] = member
            label = getattr(member, "label_sv", None)
            if isinstance(label, str):
                table.setdefault(normalise_value(label), member)
    return table


_CODED: Final = tuple(n for n, f in FIELDS.items() if f.kind in ("choice", "flag"))


@attrs.frozen(kw_only=True)
class _Defaults:
    municipality: Kommunkod | None = None


_Values: Final[type[Any]] = attrs.make_class(
    "_Values",
    {
        name: attrs.field(
            default=None,
            type=cast(type, dict[str, FIELDS[name].choices or bool] | None),  # type: ignore[misc]
        )
        for name in _CODED
    },
    frozen=True,
    kw_only=True,
)
"""The ``[values.FIELD]`` tables: export word = the library's value, for each coded field."""

if TYPE_CHECKING:
    _ValuesTable = Any
else:
    _ValuesTable = _Values


@attrs.frozen(kw_only=True)
class _ProfileFile:
    """A profile or mapping file: every section is optional (a profile needs ``[source]``)."""

    source: MappingSource | None = None
    file: FileSettings = attrs.field(factory=FileSettings)
    defaults: _Defaults = _Defaults()
    columns: dict[str, Headings] = attrs.field(factory=dict)
    values: _ValuesTable = attrs.field(factory=_Values)

    def __attrs_post_init__(self) -> None:
        for name in self.columns:
            if name not in FIELDS:
                raise Invalid(
                    f"unknown field; use one of: {', '.join(FIELDS)}", at=("columns", name)
                )


@cache
def _converter() -> cattrs.Converter:
    conv = make_converter(reveal_ids=True, data_files=True)
    conv.register_structure_hook(Headings, structure_headings)
    return conv


def _load(path: Path | Traversable, file: str | None = None) -> _ProfileFile:
    loaded: _ProfileFile = load_toml(path, _ProfileFile, file=file, converter=_converter())
    return loaded


@attrs.frozen(kw_only=True)
class ColumnProfile:
    """A column profile: headings, value words and file settings for one kind of export.

    Attributes:
        name: The source name it belongs to.
        title: The system, as case workers know it.
        description: What the export is and what to check.
        columns: For each field, the headings that may hold it (first found wins).
        values: For each field, export words (normalised) → the library's value.
        date_formats: Date forms tried, in order (see :mod:`kaa.formats.text`).
        encoding: ``auto`` or an encoding.
        delimiter: ``auto`` or a separator.
        sheet: For a workbook, the sheet to read (the first if ``None``).
        municipality: The kommunkod used for rows without one, if any.
        files: The profile files this was built from (default profile, mapping).
    """

    name: str
    title: str
    description: str
    columns: Mapping[str, tuple[str, ...]]
    values: Mapping[str, Mapping[str, Any]]
    date_formats: tuple[str, ...] = DATE_FORMATS
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    municipality: str | None = None
    files: tuple[str, ...] = ()

    @classmethod
    def from_toml(cls, path: Path) -> ColumnProfile:
        """Load a complete profile (the shape of the built-in ones) from a TOML file.

        Raises:
            ConfigurationError: If the file is not TOML or a key is wrong.
        """
        return cls._from_data(_load(path), str(path))

    @classmethod
    def from_text(cls, text: str, *, file: str = "<profile>") -> ColumnProfile:
        """Load a complete profile from TOML text (for a profile shipped inside a plugin).

        Raises:
            ConfigurationError: If the text is not TOML or a key is wrong.
        """
        data: _ProfileFile = parse_toml(text, _ProfileFile, file=file, converter=_converter())
        return cls._from_data(data, file)

    @classmethod
    def _from_data(cls, data: _ProfileFile, file: str) -> ColumnProfile:
        if data.source is None:
            raise DataFileError(
                [
                    (
                        "a profile needs a [source] table with name, title and description",
                        ("source",),
                    )
                ],
                file=file,
            )
        base = cls(
            name=data.source.name,
            title=data.source.title,
            description=data.source.description,
            columns={},
            values={name: _default_values(f) for name, f in FIELDS.items()},
            files=(file,),
        )
        return base._apply(data, file, replace_files=True)

    def with_mapping(self, path: Path) -> ColumnProfile:
        """This profile adapted by a municipality's mapping file.

        Raises:
            ConfigurationError: If the file is not TOML or a key or value is wrong.
        """
        return self._apply(_load(path), str(path), replace_files=False)

    def _apply(self, data: _ProfileFile, file: str, *, replace_files: bool) -> ColumnProfile:
        settings = data.file
        changes: dict[str, Any] = {
            "columns": {**self.columns, **data.columns},
            "files": (file,) if replace_files else (*self.files, file),
        }
        changes.update(file_changes(settings))
        if data.defaults.municipality is not None:
            changes["municipality"] = data.defaults.municipality
        changes["values"] = merged_values(self.values, data.values, _CODED)
        return attrs.evolve(self, **changes)

    def markdown(self) -> str:
        """The profile's columns as a Markdown table (the docs pages show this table)."""
        lines = ["| field | headings (first found wins) | what it holds |", "|---|---|---|"]
        for field, headings in self.headings():
            shown = ", ".join(f"`{h}`" for h in headings)
            lines.append(f"| `{field}` | {shown} | {FIELDS[field].description} |")
        return "\n".join(lines)

    def value_words(self) -> dict[str, list[tuple[str, str]]]:
        """For each coded field, the words this profile adds beyond the library's own values
        and Swedish labels, as ``(word, value)`` pairs (for the docs)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for field, table in self.values.items():
            defaults = _default_values(FIELDS[field])
            extra = [
                (word, str(getattr(value, "value", value)).lower())
                for word, value in table.items()
                if word not in defaults or defaults[word] != value
            ]
            if extra:
                found[field] = extra
        return found

    def headings(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """``(field, headings)`` for every mapped field, in the order of :data:`FIELDS`."""
        for name in FIELDS:
            if name in self.columns:
                yield name, self.columns[name]


BUILTIN_PROFILES: Final = ("ist", "ber", "hypernet")
"""The vendor profiles shipped with the library."""


def builtin_profile(name: str) -> ColumnProfile:
    """The default profile shipped for a vendor source (``ist``, ``ber`` or ``hypernet``).

    Raises:
        ConfigurationError: If there is no such profile.
    """
    if name not in BUILTIN_PROFILES:
        raise ConfigurationError(
            f"no built-in profile {name!r}; there are: {', '.join(BUILTIN_PROFILES)}"
        )
    file = f"kaa/adapters/profiles/{name}.toml"
    resource = files("kaa.adapters").joinpath("profiles").joinpath(f"{name}.toml")
    return ColumnProfile._from_data(_load(resource, file), file)


def load_mapping(profile: ColumnProfile, mapping: Path | None) -> ColumnProfile:
    """``profile`` adapted by ``mapping`` if one is given (see
    :meth:`ColumnProfile.with_mapping`)."""
    return profile if mapping is None else profile.with_mapping(mapping)
