"""The sections every mapping file shares: ``[source]``, ``[file]``, headings in ``[columns]``
and words in ``[values.FIELD]``.

A municipality maps its own export onto a column profile with a TOML mapping file (the
register sources of :mod:`kaa.adapters.profile`, the contacts exports of
:mod:`kaa.formats.filled`, the e-service export of :mod:`kaa.adapters.etjanst`). Those files
have the same ``[source]`` and ``[file]`` sections, give a field's headings the same way (one
heading, or a list with the first found winning) and add their words to a value table the
same way; this module is that one copy.

    >>> settings = FileSettings(encoding="cp1252", delimiter="tab")
    >>> file_changes(settings)
    {'encoding': 'cp1252', 'delimiter': '\\t'}
    >>> headings_of(["Personnr", "Personnummer"])
    ('Personnr', 'Personnummer')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, NewType, TypeVar

import attrs

from kaa.convert import Invalid, check
from kaa.formats.text import DATE_FORMATS, ENCODINGS, normalise_value

__all__ = [
    "DELIMITERS",
    "FileSettings",
    "Headings",
    "MappingSource",
    "file_changes",
    "headings_of",
    "merged_values",
    "structure_headings",
]

DELIMITERS: Final = {"auto": "auto", ";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t"}
"""What ``[file] delimiter`` may say, and the delimiter each means."""

Headings = NewType("Headings", tuple[str, ...])
"""A field's headings in ``[columns]``: the first the export has wins."""

V = TypeVar("V")


def headings_of(value: object) -> tuple[str, ...]:
    """A field's headings as a mapping file gives them: one heading, or a non-empty list.

    Raises:
        Invalid: If the value is neither (the data-file reader reports it at its key).
    """
    headings = [value] if isinstance(value, str) else value
    if (
        not isinstance(headings, list)
        or not headings
        or not all(isinstance(h, str) and h.strip() for h in headings)
    ):
        raise Invalid("a heading or a list of headings")
    return tuple(headings)


def structure_headings(value: Any, _: Any) -> Headings:
    """The cattrs structure hook for :data:`Headings`."""
    return Headings(headings_of(value))


@attrs.frozen(kw_only=True)
class MappingSource:
    """``[source]``: the source a profile reads, in words.

    Attributes:
        name: The source's name (``ist``).
        title: Its title.
        description: What it is.
    """

    name: str
    title: str
    description: str


@attrs.frozen(kw_only=True)
class FileSettings:
    """``[file]``: how the export is written. A setting left out keeps the profile's.

    Attributes:
        encoding: auto, utf-8, utf-8-sig, utf-16, cp1252, latin-1 or cp850
            (:data:`kaa.formats.text.ENCODINGS`).
        delimiter: auto, ``;``, ``,`` or tab (:data:`DELIMITERS`).
        sheet: For a workbook, the sheet to read.
        date_formats: Names of date forms (:data:`kaa.formats.text.DATE_FORMATS`) or
            ``strptime`` patterns with ``%``.
    """

    encoding: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            check(lambda v: v in ENCODINGS, f"use one of: {', '.join(ENCODINGS)}")
        ),
    )
    delimiter: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            check(lambda v: v in DELIMITERS, 'use "auto", ";", "," or "tab"')
        ),
    )
    sheet: str | None = None
    date_formats: tuple[str, ...] | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            check(
                lambda v: all(f in DATE_FORMATS or "%" in f for f in v),
                f"a list of {', '.join(DATE_FORMATS)} or strptime patterns with %",
            )
        ),
    )


def file_changes(settings: FileSettings) -> dict[str, Any]:
    """The profile attributes a ``[file]`` section changes (those it sets)."""
    changes: dict[str, Any] = {}
    if settings.encoding is not None:
        changes["encoding"] = settings.encoding
    if settings.delimiter is not None:
        changes["delimiter"] = DELIMITERS[settings.delimiter]
    if settings.sheet is not None:
        changes["sheet"] = settings.sheet
    if settings.date_formats is not None:
        changes["date_formats"] = settings.date_formats
    return changes


def merged_values(
    tables: Mapping[str, Mapping[str, V]], section: object, fields: Iterable[str]
) -> dict[str, dict[str, V]]:
    """The value tables with a mapping file's ``[values.FIELD]`` words added (they win).

    Args:
        tables: The profile's tables, field → normalised word → value.
        section: The file's ``[values]`` section: an attribute per field, ``None`` or a
            mapping of the export's words to values.
        fields: The fields that have tables.
    """
    values = {field: dict(table) for field, table in tables.items()}
    for field in fields:
        for word, target in (getattr(section, field) or {}).items():
            values[field][normalise_value(word)] = target
    return values
