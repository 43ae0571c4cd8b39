"""Layout profiles: the SCB file's columns, codes and format, as data.

SCB changes the column layout and the numeric codes of the submission file per half-year and
publishes them in its *datafilsbeskrivning*; they are not known to this library. So the
layout is a TOML **profile**, never code: column order and names, maximum widths, the code
lists that map the library's categories to the file's codes, separator, encoding, header or
not, and how repeated contacts and measures are laid out (``wide``: one row per youth with
numbered groups; ``long``: one row per block entry with a record type).

:func:`default_profile` is the profile shipped with the package: **modelled on SCB's
published structure and category labels, with placeholder codes of this library, not SCB's**
(``placeholder_codes = true``). A municipality or vendor loads the current official layout
with :func:`load_profile` — no code changes.

    >>> from kaa.scb.layout import default_profile
    >>> profile = default_profile()
    >>> profile.name, profile.layout, profile.placeholder_codes
    ('kaa-default', 'wide', True)
    >>> profile.code("activity", "unknown")
    'unknown'

A malformed profile, or one whose code list does not cover a category, raises
:class:`~kaa.errors.ConfigurationError` naming the file and the key.
"""

from __future__ import annotations

import codecs
import datetime as dt
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, Literal, cast

import attrs

from kaa.errors import ConfigurationError, InvalidInput
from kaa.identity import FullFormat
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.submission import Block

__all__ = [
    "BLOCK_FIELDS",
    "CODE_LISTS",
    "Column",
    "Layout",
    "ScbLayout",
    "default_profile",
    "load_profile",
    "parse_profile",
]

Layout = Literal["wide", "long"]
"""How repeated block entries are laid out: side by side (``wide``) or one row each
(``long``)."""

CODE_LISTS: Final[Mapping[str, tuple[str, ...]]] = {
    "registration_reason": tuple(m.value for m in RegistrationReason),
    "activity": tuple(m.value for m in Activity),
    "measure_category": tuple(m.value for m in MeasureCategory),
    "end_reason": tuple(m.value for m in EndReason),
    "yes_no": ("true", "false"),
}
"""Every code list a profile must have, with the library categories it must cover."""

BLOCK_FIELDS: Final[Mapping[Block, Mapping[str, str]]] = {
    Block.MANDATORY: {
        "youth": "identity",
        "municipality": "text",
        "registered": "date",
        "reason": "registration_reason",
        "activity": "activity",
    },
    Block.CONTACTS: {"day": "date", "activity": "activity"},
    Block.MEASURES_STARTED: {"category": "measure_category", "day": "date", "declined": "yes_no"},
    Block.MEASURES_ENDED: {
        "category": "measure_category",
        "start": "date",
        "end": "date",
        "activity_after": "activity",
    },
    Block.KAA_ENDED: {"day": "date", "reason": "end_reason"},
}
"""The fields of each block and their kind: ``identity``, ``text``, ``date`` or the name of
a code list. In the ``long`` layout every block but block 1 also has the field ``youth``."""

_REPEATED: Final = (Block.CONTACTS, Block.MEASURES_STARTED, Block.MEASURES_ENDED)
_IDENTITY_FORMATS: Final = ("long", "separated_long", "short", "separated")
_LINE_ENDINGS: Final = {"crlf": "\r\n", "lf": "\n"}
_TOP_KEYS: Final = {"profile", "format", "blocks", "codes"}


@attrs.frozen(kw_only=True)
class Column:
    """One column (or, in a repeated group, one column per group) of a block.

    Attributes:
        name: The column name; ``{n}`` stands for the group number in the wide layout.
        field: The library field written in it (see :data:`BLOCK_FIELDS`).
        kind: ``identity``, ``text``, ``date`` or a code-list name.
        width: The maximum number of characters, if limited.
    """

    name: str
    field: str
    kind: str
    width: int | None = None

    def header(self, n: int) -> str:
        """The column name for group ``n`` (1-based)."""
        return self.name.replace("{n}", str(n))


@attrs.frozen(kw_only=True)
class BlockLayout:
    """How one block is laid out.

    Attributes:
        block: Which block.
        record_type: The record-type code of its rows in the long layout.
        repeat: How many groups the wide layout has room for (1 for blocks 1 and 5).
        columns: Its columns, in file order.
    """

    block: Block
    record_type: str
    repeat: int
    columns: tuple[Column, ...]


@attrs.frozen(kw_only=True)
class ScbLayout:
    """A layout profile: everything about the submission file that changes per half-year.

    Build one with :func:`load_profile`, :func:`parse_profile` or :func:`default_profile`.

    Attributes:
        name: A short name.
        title: A descriptive title.
        source: The file it was read from (``<built-in>`` for the shipped one).
        placeholder_codes: ``True`` when the codes are not SCB's (the shipped default).
        first_period: The first half-year the profile is valid for.
        last_period: The last one, or ``None`` if open.
        encoding: The file's character encoding (a Python codec name).
        separator: The one-character field separator.
        header: Whether the first line holds the column names (wide layout only).
        line_ending: ``"\\r\\n"`` or ``"\\n"``.
        date_format: A ``strftime`` pattern.
        identity_format: How identity numbers are written (see
            :meth:`kaa.identity.IdentityNumber.full`).
        layout: ``"wide"`` or ``"long"``.
        record_type_column: The record-type column's name (long layout).
        blocks: The five block layouts, in block order.
        codes: Per code list: library category value → file code.
    """

    name: str
    title: str
    source: str
    placeholder_codes: bool
    first_period: HalfYear
    last_period: HalfYear | None
    encoding: str
    separator: str
    header: bool
    line_ending: str
    date_format: str
    identity_format: FullFormat
    layout: Layout
    record_type_column: str
    blocks: tuple[BlockLayout, ...]
    codes: Mapping[str, Mapping[str, str]] = attrs.field(eq=False)
    _decode: Mapping[str, Mapping[str, str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "_decode",
            {
                name: {code: value for value, code in codes.items()}
                for name, codes in self.codes.items()
            },
        )

    def block(self, block: Block) -> BlockLayout:
        """The layout of ``block``."""
        return self.blocks[block.number - 1]

    def code(self, code_list: str, value: str) -> str:
        """The file code for the library category ``value`` in ``code_list``."""
        return self.codes[code_list][value]

    def decode(self, code_list: str, code: str) -> str | None:
        """The library category value for a file ``code``, or ``None`` if unknown."""
        return self._decode[code_list].get(code)

    def covers(self, period: HalfYear) -> bool:
        """Whether the profile is valid for ``period``."""
        return self.first_period <= period and (
            self.last_period is None or period <= self.last_period
        )

    def require(self, period: HalfYear) -> None:
        """Raise unless the profile is valid for ``period``.

        Raises:
            ConfigurationError: Naming the profile file and ``profile.first_period`` or
                ``profile.last_period``.
        """
        if period < self.first_period:
            raise ConfigurationError(
                f"the profile {self.name!r} is valid from {self.first_period.code}, not for "
                f"{period.code}; load the profile for that half-year with --profile",
                file=self.source,
                key="profile.first_period",
            )
        if self.last_period is not None and period > self.last_period:
            raise ConfigurationError(
                f"the profile {self.name!r} is valid until {self.last_period.code}, not for "
                f"{period.code}; load the profile for that half-year with --profile",
                file=self.source,
                key="profile.last_period",
            )

    def headers(self) -> list[str]:
        """The column names of the wide layout, in file order."""
        names: list[str] = []
        for layout in self.blocks:
            for n in range(1, layout.repeat + 1):
                names.extend(c.header(n) for c in layout.columns)
        return names

    def width(self) -> int:
        """The number of columns of a wide-layout row."""
        return sum(len(b.columns) * b.repeat for b in self.blocks)


def default_profile() -> ScbLayout:
    """The profile shipped with the package.

    Modelled on SCB's published structure and category labels; **its codes are placeholders
    of this library, not SCB's**. Check it against the current *datafilsbeskrivning* and load
    the official layout with :func:`load_profile`.
    """
    text = files("kaa.scb.layouts").joinpath("default.toml").read_text("utf-8")
    return parse_profile(text, source="<built-in>/kaa/scb/profiles/default.toml")


def load_profile(path: Path | str) -> ScbLayout:
    """Read a profile from a TOML file.

    Args:
        path: The file.

    Returns:
        The profile.

    Raises:
        ConfigurationError: If the file cannot be read, is not TOML, or the profile is
            malformed or incomplete; the error names the file and the key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the profile: {exc.strerror}", file=str(path)
        ) from None
    except UnicodeDecodeError:
        raise ConfigurationError("the profile is not UTF-8", file=str(path)) from None
    return parse_profile(text, source=str(path))


class _Reader:
    """Reads typed values out of the TOML tree, naming the file and key in errors."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> ConfigurationError:
        return ConfigurationError(message, file=self.source, key=key)

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"{path}{key}", "a table is required here")
        return cast(Mapping[str, Any], value)

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or (value == "" and default is None):
            raise self.fail(f"{path}{key}", "a non-empty string is required")
        return value

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{path}{key}", "true or false is required")
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(
                f"{path}{extra[0]}",
                f"unknown key; the keys allowed here are: {', '.join(sorted(allowed))}",
            )

    def period(self, data: Mapping[str, Any], key: str, path: str) -> HalfYear | None:
        if key not in data:
            return None
        raw = self.text(data, key, path)
        try:
            return HalfYear.parse(raw)
        except InvalidInput as exc:
            raise self.fail(f"{path}{key}", exc.message) from None


def parse_profile(text: str, *, source: str = "<string>") -> ScbLayout:
    """Build a profile from TOML text.

    Args:
        text: The TOML document.
        source: What to call it in errors (the file name).

    Returns:
        The profile.

    Raises:
        ConfigurationError: If the profile is malformed or incomplete, naming ``source`` and
            the key.
    """
    r = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"not valid TOML: {exc}", file=source) from None
    r.unknown_keys(data, _TOP_KEYS, "")

    meta = r.table(data, "profile", "")
    r.unknown_keys(
        meta, {"name", "title", "placeholder_codes", "first_period", "last_period"}, "profile."
    )
    first = r.period(meta, "first_period", "profile.")
    if first is None:
        raise r.fail(
            "profile.first_period", "the first half-year the profile is valid for is required"
        )
    last = r.period(meta, "last_period", "profile.")
    if last is not None and last < first:
        raise r.fail("profile.last_period", "is before profile.first_period")

    fmt = r.table(data, "format", "")
    r.unknown_keys(
        fmt,
        {
            "encoding",
            "separator",
            "header",
            "line_ending",
            "date_format",
            "identity_format",
            "layout",
            "record_type_column",
        },
        "format.",
    )
    encoding = r.text(fmt, "encoding", "format.", "utf-8")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise r.fail("format.encoding", f"{encoding!r} is not a known character encoding") from None
    separator = r.text(fmt, "separator", "format.", ";")
    if len(separator) != 1 or separator in '\r\n"':
        raise r.fail("format.separator", "one character (not a quote or line break) is required")
    line_ending_name = r.text(fmt, "line_ending", "format.", "crlf")
    if line_ending_name not in _LINE_ENDINGS:
        raise r.fail("format.line_ending", "use 'crlf' or 'lf'")
    date_format = r.text(fmt, "date_format", "format.", "%Y-%m-%d")
    sample = dt.date(2026, 12, 31)
    try:
        if dt.datetime.strptime(sample.strftime(date_format), date_format).date() != sample:
            raise ValueError
    except ValueError:
        raise r.fail(
            "format.date_format",
            f"{date_format!r} does not write a date that can be read back; use e.g. %Y-%m-%d",
        ) from None
    identity_format = r.text(fmt, "identity_format", "format.", "long")
    if identity_format not in _IDENTITY_FORMATS:
        raise r.fail("format.identity_format", f"use one of: {', '.join(_IDENTITY_FORMATS)}")
    layout = r.text(fmt, "layout", "format.", "wide")
    if layout not in ("wide", "long"):
        raise r.fail("format.layout", "use 'wide' or 'long'")
    header = r.flag(fmt, "header", "format.", layout == "wide")
    if header and layout == "long":
        raise r.fail("format.header", "the long layout has rows of different shapes: no header")
    record_type_column = r.text(fmt, "record_type_column", "format.", "record_type")

    codes = _codes(r, r.table(data, "codes", ""))
    blocks_data = r.table(data, "blocks", "")
    r.unknown_keys(blocks_data, {b.value for b in Block}, "blocks.")
    blocks = tuple(_block(r, blocks_data, block, layout=cast(Layout, layout)) for block in Block)
    if layout == "long":
        types = [b.record_type for b in blocks]
        for b in blocks:
            if types.count(b.record_type) > 1:
                raise r.fail(
                    f"blocks.{b.block.value}.record_type",
                    f"the record type {b.record_type!r} is used by more than one block",
                )
    else:
        names: dict[str, str] = {}
        for b in blocks:
            for i, col in enumerate(b.columns):
                for n in range(1, b.repeat + 1):
                    name = col.header(n)
                    key = f"blocks.{b.block.value}.columns[{i}].name"
                    if name in names:
                        raise r.fail(key, f"the column name {name!r} is used twice")
                    names[name] = key
    _check_encodable(r, encoding, blocks, codes, record_type_column)
    return ScbLayout(
        name=r.text(meta, "name", "profile."),
        title=r.text(meta, "title", "profile.", ""),
        source=source,
        placeholder_codes=r.flag(meta, "placeholder_codes", "profile.", False),
        first_period=first,
        last_period=last,
        encoding=encoding,
        separator=separator,
        header=header,
        line_ending=_LINE_ENDINGS[line_ending_name],
        date_format=date_format,
        identity_format=cast(FullFormat, identity_format),
        layout=cast(Layout, layout),
        record_type_column=record_type_column,
        blocks=blocks,
        codes=codes,
    )


def _codes(r: _Reader, data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    r.unknown_keys(data, set(CODE_LISTS), "codes.")
    result: dict[str, dict[str, str]] = {}
    for name, categories in CODE_LISTS.items():
        table = r.table(data, name, "codes.")
        r.unknown_keys(table, set(categories), f"codes.{name}.")
        mapping: dict[str, str] = {}
        seen: dict[str, str] = {}
        for category in categories:
            key = f"codes.{name}.{category}"
            if category not in table:
                raise r.fail(key, f"the category {category!r} has no code in this profile")
            code = table[category]
            if not isinstance(code, str):
                raise r.fail(key, 'a code is written as a string, e.g. "1"')
            if code != code.strip() or "\n" in code or "\r" in code:
                raise r.fail(key, "a code may not have surrounding spaces or line breaks")
            if code in seen:
                raise r.fail(key, f"the code {code!r} is also used for {seen[code]!r}")
            seen[code] = category
            mapping[category] = code
        result[name] = mapping
    return result


def _block(r: _Reader, data: Mapping[str, Any], block: Block, *, layout: Layout) -> BlockLayout:
    path = f"blocks.{block.value}."
    table = r.table(data, block.value, "blocks.")
    r.unknown_keys(table, {"record_type", "repeat", "columns"}, path)
    record_type = r.text(table, "record_type", path, str(block.number))
    repeat = table.get("repeat", 1)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise r.fail(f"{path}repeat", "a whole number, 1 or more, is required")
    if block not in _REPEATED and repeat != 1:
        raise r.fail(f"{path}repeat", f"block {block.value} has one entry per youth: repeat = 1")
    raw_columns = table.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise r.fail(f"{path}columns", "a list of columns is required")
    fields = dict(BLOCK_FIELDS[block])
    if layout == "long" and block is not Block.MANDATORY:
        fields = {"youth": "identity", **fields}
    columns: list[Column] = []
    used: set[str] = set()
    for i, raw in enumerate(raw_columns):
        key = f"{path}columns[{i}]"
        if not isinstance(raw, dict):
            raise r.fail(key, 'each column is a table: { name = "…", field = "…" }')
        r.unknown_keys(raw, {"name", "field", "width"}, f"{key}.")
        name = r.text(raw, "name", f"{key}.")
        field = r.text(raw, "field", f"{key}.")
        if field not in fields:
            raise r.fail(
                f"{key}.field",
                f"{field!r} is not a field of block {block.value}; its fields are: "
                f"{', '.join(fields)}",
            )
        if field in used:
            raise r.fail(f"{key}.field", f"the field {field!r} has two columns")
        used.add(field)
        width = raw.get("width")
        if width is not None and (
            not isinstance(width, int) or isinstance(width, bool) or width < 1
        ):
            raise r.fail(f"{key}.width", "a whole number, 1 or more, is required")
        if layout == "wide" and repeat > 1 and "{n}" not in name:
            raise r.fail(f"{key}.name", "a repeated group's column names need {n}")
        columns.append(Column(name=name, field=field, kind=fields[field], width=width))
    missing = [f for f in fields if f not in used]
    if missing:
        raise r.fail(
            f"{path}columns",
            f"the field(s) {', '.join(missing)} of block {block.value} have no column; every "
            "field needs one so the file can be read back",
        )
    return BlockLayout(block=block, record_type=record_type, repeat=repeat, columns=tuple(columns))


def _check_encodable(
    r: _Reader,
    encoding: str,
    blocks: tuple[BlockLayout, ...],
    codes: Mapping[str, Mapping[str, str]],
    record_type_column: str,
) -> None:
    """Every name and code the file may hold can be written in the profile's encoding."""
    texts: list[tuple[str, str]] = [("format.record_type_column", record_type_column)]
    for b in blocks:
        texts.append((f"blocks.{b.block.value}.record_type", b.record_type))
        texts.extend(
            (f"blocks.{b.block.value}.columns[{i}].name", c.name) for i, c in enumerate(b.columns)
        )
    for name, mapping in codes.items():
        texts.extend((f"codes.{name}.{category}", code) for category, code in mapping.items())
    for key, text in texts:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            raise r.fail(key, f"{text!r} cannot be written in the encoding {encoding}") from None
