"""Column profiles: how a vendor's list export maps onto the library's model.

No vendor publishes its KAA export format. Each built-in vendor source (``ist``, ``ber``,
``hypernet``) therefore ships a **default profile** — TOML data under
``kaa/sources/profiles/`` — modelled on the data these systems are known to hold, with
Swedish headings. It must be checked against a real export. A municipality adapts it to its
actual export with a **mapping file** (TOML, same sections) without touching code:

.. code-block:: toml

    [file]
    encoding = "cp1252"          # auto, utf-8, utf-8-sig, utf-16, cp1252, latin-1
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
values are compared case-insensitively, with surrounding and repeated spaces ignored.

Every value table also understands the library's own values (``gymnasieskola``,
``introduction``) and Swedish labels (``introduktionsprogram``), and every yes/no field
understands ``ja``/``nej``, ``x``/empty, ``1``/``0``, ``true``/``false``.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import attrs

from kaa.errors import ConfigurationError
from kaa.formats.text import DATE_FORMATS, ENCODINGS, normalise_heading
from kaa.model.case import Activity, EndReason, RegistrationReason, RegistrationSource
from kaa.model.youth import HomeBasis, Programme, QualificationKind, SchoolForm
from kaa.municipalities import is_municipality_code

__all__ = ["FIELDS", "ColumnProfile", "Field", "builtin_profile", "load_mapping"]


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


def _default_values(field: Field) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if field.kind == "flag":
        table.update(dict.fromkeys(_TRUE, True))
        table.update(dict.fromkeys(_FALSE, False))
    elif field.choices is not None:
        for member in field.choices:
            table[normalise_heading(str(member.value))] = member
            label = getattr(member, "label_sv", None)
            if isinstance(label, str):
                table.setdefault(normalise_heading(label), member)
    return table


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
        data = _read_toml(path)
        return cls._from_data(data, str(path))

    @classmethod
    def from_text(cls, text: str, *, file: str = "<profile>") -> ColumnProfile:
        """Load a complete profile from TOML text (for a profile shipped inside a plugin).

        Raises:
            ConfigurationError: If the text is not TOML or a key is wrong.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(f"not valid TOML: {exc}", file=file) from None
        return cls._from_data(data, file)

    @classmethod
    def _from_data(cls, data: Mapping[str, Any], file: str) -> ColumnProfile:
        source = _table(data, "source", file)
        for key in ("name", "title", "description"):
            if not isinstance(source.get(key), str):
                raise ConfigurationError("a text value is required", file=file, key=f"source.{key}")
        base = cls(
            name=source["name"],
            title=source["title"],
            description=source["description"],
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
        return self._apply(_read_toml(path), str(path), replace_files=False)

    def _apply(self, data: Mapping[str, Any], file: str, *, replace_files: bool) -> ColumnProfile:
        unknown = set(data) - {"source", "file", "defaults", "columns", "values"}
        if unknown:
            raise ConfigurationError(
                "unknown section; use file, defaults, columns or values",
                file=file,
                key=sorted(unknown)[0],
            )
        changes: dict[str, Any] = {}
        settings = _table(data, "file", file)
        for key, value in settings.items():
            where = f"file.{key}"
            if key == "encoding":
                if value not in ENCODINGS:
                    raise ConfigurationError(
                        f"use one of: {', '.join(ENCODINGS)}", file=file, key=where
                    )
                changes["encoding"] = value
            elif key == "delimiter":
                value = {"tab": "\t", "\\t": "\t"}.get(value, value)
                if value not in ("auto", ";", ",", "\t"):
                    raise ConfigurationError('use "auto", ";", "," or "tab"', file=file, key=where)
                changes["delimiter"] = value
            elif key == "sheet":
                if not isinstance(value, str):
                    raise ConfigurationError("the sheet name must be text", file=file, key=where)
                changes["sheet"] = value
            elif key == "date_formats":
                if not isinstance(value, list) or not all(
                    isinstance(v, str) and (v in DATE_FORMATS or "%" in v) for v in value
                ):
                    raise ConfigurationError(
                        f"a list of {', '.join(DATE_FORMATS)} or strptime patterns with %",
                        file=file,
                        key=where,
                    )
                changes["date_formats"] = tuple(value)
            else:
                raise ConfigurationError(
                    "unknown key; use encoding, delimiter, sheet or date_formats",
                    file=file,
                    key=where,
                )
        defaults = _table(data, "defaults", file)
        for key, value in defaults.items():
            if key != "municipality":
                raise ConfigurationError(
                    "unknown key; use municipality", file=file, key=f"defaults.{key}"
                )
            if not isinstance(value, str) or not is_municipality_code(value):
                raise ConfigurationError(
                    'a four-digit kommunkod such as "1882" (as text, in quotes)',
                    file=file,
                    key="defaults.municipality",
                )
            changes["municipality"] = value
        columns = dict(self.columns)
        for key, value in _table(data, "columns", file).items():
            if key not in FIELDS:
                raise ConfigurationError(
                    f"unknown field; use one of: {', '.join(FIELDS)}",
                    file=file,
                    key=f"columns.{key}",
                )
            headings = [value] if isinstance(value, str) else value
            if (
                not isinstance(headings, list)
                or not headings
                or not all(isinstance(h, str) and h.strip() for h in headings)
            ):
                raise ConfigurationError(
                    "a heading or a list of headings", file=file, key=f"columns.{key}"
                )
            columns[key] = tuple(headings)
        changes["columns"] = columns
        values = {k: dict(v) for k, v in self.values.items()}
        for key, table in _table(data, "values", file).items():
            field = FIELDS.get(key)
            if field is None or field.kind not in ("choice", "flag"):
                allowed = ", ".join(n for n, f in FIELDS.items() if f.kind in ("choice", "flag"))
                raise ConfigurationError(
                    f"not a field with coded values; use one of: {allowed}",
                    file=file,
                    key=f"values.{key}",
                )
            if not isinstance(table, dict):
                raise ConfigurationError(
                    "a table of export word = value", file=file, key=f"values.{key}"
                )
            for word, target in table.items():
                values[key][normalise_heading(word)] = _target(
                    field, target, file, f"values.{key}.{word}"
                )
        changes["values"] = values
        changes["files"] = (file,) if replace_files else (*self.files, file)
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


def _target(field: Field, target: object, file: str, key: str) -> Any:
    if field.kind == "flag":
        if isinstance(target, bool):
            return target
        raise ConfigurationError("true or false", file=file, key=key)
    assert field.choices is not None
    for member in field.choices:
        if member.value == target:
            return member
    allowed = ", ".join(str(m.value) for m in field.choices)
    raise ConfigurationError(f"not one of: {allowed}", file=file, key=key)


def _table(data: Mapping[str, Any], key: str, file: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigurationError("must be a table ([section])", file=file, key=key)
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigurationError(f"cannot open the file: {exc.strerror}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"not valid TOML: {exc}", file=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigurationError("not valid TOML: the file is not UTF-8", file=str(path)) from None


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
    resource = files("kaa.adapters").joinpath("profiles").joinpath(f"{name}.toml")
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    return ColumnProfile._from_data(data, f"kaa/sources/profiles/{name}.toml")


def load_mapping(profile: ColumnProfile, mapping: Path | None) -> ColumnProfile:
    """``profile`` adapted by ``mapping`` if one is given (see
    :meth:`ColumnProfile.with_mapping`)."""
    return profile if mapping is None else profile.with_mapping(mapping)
