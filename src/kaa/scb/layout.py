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

A profile may leave a category **unmapped** — no line for it in its code list — when the
half-year's official code list has no code for it: nothing is invented. Its cells are then
written empty, and check ``KAA-W010`` names every entry whose value has no code
(:attr:`ScbLayout.unmapped` lists them). Only ``yes_no`` must have both codes.

A malformed profile raises :class:`~kaa.errors.ConfigurationError` naming the file and the
key.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, cast

import attrs
import cattrs

from kaa.convert import DataFileError, Invalid, check, load_toml, make_converter, parse_toml
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
"""Every code list a profile must have, with the library categories it may give a code
(every category but ``yes_no``'s may be left unmapped)."""

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
        codes: Per code list: library category value → file code, for the categories the
            profile maps (an unmapped category has no entry).
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
    _unmapped: Mapping[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "_decode",
            {
                name: {code: value for value, code in codes.items()}
                for name, codes in self.codes.items()
            },
        )
        object.__setattr__(
            self,
            "_unmapped",
            {
                name: missing
                for name, categories in CODE_LISTS.items()
                if (missing := tuple(c for c in categories if c not in self.codes[name]))
            },
        )

    def block(self, block: Block) -> BlockLayout:
        """The layout of ``block``."""
        return self.blocks[block.number - 1]

    def code(self, code_list: str, value: str) -> str | None:
        """The file code for the library category ``value`` in ``code_list``.

        Returns:
            The code, or ``None`` if the profile leaves the category unmapped.

        Raises:
            KeyError: If ``code_list`` is not a code list or ``value`` not one of its
                categories.
        """
        if value not in CODE_LISTS[code_list]:
            raise KeyError(value)
        return self.codes[code_list].get(value)

    def decode(self, code_list: str, code: str) -> str | None:
        """The library category value for a file ``code``, or ``None`` if unknown.

        An empty cell is the one category the profile leaves unmapped in ``code_list``, when
        it leaves exactly one (that is how the writer writes it); otherwise it is unknown.
        """
        value = self._decode[code_list].get(code)
        if value is None and code == "":
            blank = self.unmapped.get(code_list, ())
            if len(blank) == 1:
                return blank[0]
        return value

    @property
    def unmapped(self) -> Mapping[str, tuple[str, ...]]:
        """Per code list with any, the library categories the profile has no code for."""
        return self._unmapped

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
            message = f"the profile {self.name!r} is valid from {self.first_period.code}"
            key = "first_period"
        elif self.last_period is not None and period > self.last_period:
            message = f"the profile {self.name!r} is valid until {self.last_period.code}"
            key = "last_period"
        else:
            return
        raise DataFileError(
            [
                (
                    f"{message}, not for {period.code}; load the profile for that half-year "
                    "with --profile",
                    ("profile", key),
                )
            ],
            file=self.source,
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
    of this library, not SCB's**, and its column names and its room for 12 contacts and 6
    measures of each kind per youth (wide layout) are the library's choice. Check it against
    the current *datafilsbeskrivning* and load the official layout with :func:`load_profile`.
    """
    return _build(
        load_toml(
            files("kaa.scb.layouts").joinpath("default.toml"),
            _LayoutFile,
            file=_BUILT_IN,
            converter=_converter(),
        ),
        _BUILT_IN,
    )


def load_profile(path: Path | str) -> ScbLayout:
    """Read a profile from a TOML file.

    Args:
        path: The file.

    Returns:
        The profile.

    Raises:
        ConfigurationError: If the file cannot be read, is not TOML, or the profile is
            malformed or incomplete; the error reads ``file: message @ $.key``.
    """
    path = Path(path)
    return _build(load_toml(path, _LayoutFile, converter=_converter()), str(path))


def parse_profile(text: str, *, source: str = "<string>") -> ScbLayout:
    """Build a profile from TOML text.

    Args:
        text: The TOML document.
        source: What to call it in errors (the file name).

    Returns:
        The profile.

    Raises:
        ConfigurationError: If the profile is malformed or incomplete, reading
            ``source: message @ $.key``.
    """
    return _build(parse_toml(text, _LayoutFile, file=source, converter=_converter()), source)


_BUILT_IN: Final = "<built-in>/kaa/scb/layouts/default.toml"
_NON_EMPTY: Final = check(lambda v: v != "", "a non-empty string is required")
_AT_LEAST_ONE: Final = check(lambda n: n >= 1, "a whole number, 1 or more, is required")


def _known_encoding(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _reads_back(pattern: str) -> bool:
    sample = dt.date(2026, 12, 31)
    try:
        return dt.datetime.strptime(sample.strftime(pattern), pattern).date() == sample
    except ValueError:
        return False


@attrs.frozen(kw_only=True)
class _Meta:
    """``[profile]``: what the profile is and the half-years it is valid for."""

    name: str = attrs.field(validator=_NON_EMPTY)
    title: str = ""
    placeholder_codes: bool = False
    first_period: HalfYear | None = None
    last_period: HalfYear | None = None

    def __attrs_post_init__(self) -> None:
        if self.first_period is None:
            raise Invalid(
                "the first half-year the profile is valid for is required", at=("first_period",)
            )
        if self.last_period is not None and self.last_period < self.first_period:
            raise Invalid("is before profile.first_period", at=("last_period",))


@attrs.frozen(kw_only=True)
class _Format:
    """``[format]``: how the file is written."""

    encoding: str = attrs.field(
        default="utf-8",
        validator=check(_known_encoding, lambda v: f"{v!r} is not a known character encoding"),
    )
    separator: str = attrs.field(
        default=";",
        validator=check(
            lambda v: len(v) == 1 and v not in '\r\n"',
            "one character (not a quote or line break) is required",
        ),
    )
    header: bool | None = None
    line_ending: str = attrs.field(
        default="crlf", validator=check(lambda v: v in _LINE_ENDINGS, "use 'crlf' or 'lf'")
    )
    date_format: str = attrs.field(
        default="%Y-%m-%d",
        validator=check(
            _reads_back,
            lambda v: f"{v!r} does not write a date that can be read back; use e.g. %Y-%m-%d",
        ),
    )
    identity_format: str = attrs.field(
        default="long",
        validator=check(
            lambda v: v in _IDENTITY_FORMATS, f"use one of: {', '.join(_IDENTITY_FORMATS)}"
        ),
    )
    layout: str = attrs.field(
        default="wide", validator=check(lambda v: v in ("wide", "long"), "use 'wide' or 'long'")
    )
    record_type_column: str = "record_type"

    def __attrs_post_init__(self) -> None:
        if self.header and self.layout == "long":
            raise Invalid("the long layout has rows of different shapes: no header", at=("header",))


@attrs.frozen(kw_only=True)
class _ColumnEntry:
    name: str = attrs.field(validator=_NON_EMPTY)
    field: str = attrs.field(validator=_NON_EMPTY)
    width: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_AT_LEAST_ONE)
    )


@attrs.frozen(kw_only=True)
class _BlockEntry:
    record_type: str | None = None
    repeat: int = attrs.field(default=1, validator=_AT_LEAST_ONE)
    columns: tuple[_ColumnEntry, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.columns:
            raise Invalid("a list of columns is required", at=("columns",))


class _CodeList:
    """A ``[codes.NAME]`` table: each category it lists has its own code; a category it does
    not list is unmapped (except in ``yes_no``, which needs both)."""

    _complete: ClassVar[bool] = False

    def __attrs_post_init__(self) -> None:
        seen: dict[str, str] = {}
        for category in attrs.fields_dict(cast(Any, type(self))):
            code = getattr(self, category)
            if code is None:
                if self._complete:
                    raise Invalid(
                        f"the category {category!r} has no code in this profile; this code "
                        "list needs every category",
                        at=(category,),
                    )
                continue
            if code == "":
                raise Invalid(
                    "a code may not be empty; leave the category out to leave it unmapped",
                    at=(category,),
                )
            if code != code.strip() or "\n" in code or "\r" in code:
                raise Invalid(
                    "a code may not have surrounding spaces or line breaks", at=(category,)
                )
            if code in seen:
                raise Invalid(f"the code {code!r} is also used for {seen[code]!r}", at=(category,))
            seen[code] = category

    def mapping(self) -> dict[str, str]:
        """Library category value → file code, for the mapped categories."""
        return {
            category: code
            for category in attrs.fields_dict(cast(Any, type(self)))
            if (code := getattr(self, category)) is not None
        }


class _CompleteCodeList(_CodeList):
    """A code list in which every category needs a code (``yes_no``)."""

    _complete = True


def _table_class(name: str, fields: dict[str, Any], bases: tuple[type, ...] = ()) -> type[Any]:
    return attrs.make_class(name, fields, bases=bases, frozen=True, kw_only=True)


_CODE_TABLES: Final = {
    name: _table_class(
        f"_Codes_{name}",
        {c: attrs.field(default=None, type=cast(type, str | None)) for c in categories},
        (_CompleteCodeList if name == "yes_no" else _CodeList,),
    )
    for name, categories in CODE_LISTS.items()
}
_Codes: Final = _table_class(
    "_Codes", {name: attrs.field(type=cls) for name, cls in _CODE_TABLES.items()}
)
_Blocks: Final = _table_class(
    "_Blocks", {block.value: attrs.field(type=_BlockEntry) for block in Block}
)

if TYPE_CHECKING:
    _CodesTable = Any
    _BlocksTable = Any
else:
    _CodesTable = _Codes
    _BlocksTable = _Blocks


@attrs.frozen(kw_only=True)
class _LayoutFile:
    """A layout profile file: ``[profile]``, ``[format]``, ``[blocks.*]`` and ``[codes.*]``."""

    profile: _Meta
    format: _Format
    blocks: _BlocksTable
    codes: _CodesTable


@cache
def _converter() -> cattrs.Converter:
    return make_converter(reveal_ids=True, data_files=True)


def _build(data: _LayoutFile, source: str) -> ScbLayout:
    """The layout, once the file's shape is right: the checks across tables."""
    try:
        return _layout(data, source)
    except Invalid as exc:
        raise DataFileError([(exc.message, exc.at)], file=source) from None


def _layout(data: _LayoutFile, source: str) -> ScbLayout:
    fmt = data.format
    layout = cast(Layout, fmt.layout)
    codes = {name: getattr(data.codes, name).mapping() for name in CODE_LISTS}
    blocks = tuple(_block(getattr(data.blocks, b.value), b, layout=layout) for b in Block)
    if layout == "long":
        types = [b.record_type for b in blocks]
        for b in blocks:
            if types.count(b.record_type) > 1:
                raise Invalid(
                    f"the record type {b.record_type!r} is used by more than one block",
                    at=("blocks", b.block.value, "record_type"),
                )
    else:
        names: set[str] = set()
        for b in blocks:
            for i, col in enumerate(b.columns):
                for n in range(1, b.repeat + 1):
                    name = col.header(n)
                    if name in names:
                        raise Invalid(
                            f"the column name {name!r} is used twice",
                            at=("blocks", b.block.value, "columns", i, "name"),
                        )
                    names.add(name)
    _check_encodable(fmt.encoding, blocks, codes, fmt.record_type_column)
    assert data.profile.first_period is not None  # checked by the file model
    return ScbLayout(
        name=data.profile.name,
        title=data.profile.title,
        source=source,
        placeholder_codes=data.profile.placeholder_codes,
        first_period=data.profile.first_period,
        last_period=data.profile.last_period,
        encoding=fmt.encoding,
        separator=fmt.separator,
        header=layout == "wide" if fmt.header is None else fmt.header,
        line_ending=_LINE_ENDINGS[fmt.line_ending],
        date_format=fmt.date_format,
        identity_format=cast(FullFormat, fmt.identity_format),
        layout=layout,
        record_type_column=fmt.record_type_column,
        blocks=blocks,
        codes=codes,
    )


def _block(entry: _BlockEntry, block: Block, *, layout: Layout) -> BlockLayout:
    at: tuple[str | int, ...] = ("blocks", block.value)
    if block not in _REPEATED and entry.repeat != 1:
        raise Invalid(
            f"block {block.value} has one entry per youth: repeat = 1", at=(*at, "repeat")
        )
    fields = dict(BLOCK_FIELDS[block])
    if layout == "long" and block is not Block.MANDATORY:
        fields = {"youth": "identity", **fields}
    columns: list[Column] = []
    for i, raw in enumerate(entry.columns):
        if raw.field not in fields:
            raise Invalid(
                f"{raw.field!r} is not a field of block {block.value}; its fields are: "
                f"{', '.join(fields)}",
                at=(*at, "columns", i, "field"),
            )
        if any(c.field == raw.field for c in columns):
            raise Invalid(
                f"the field {raw.field!r} has two columns", at=(*at, "columns", i, "field")
            )
        if layout == "wide" and entry.repeat > 1 and "{n}" not in raw.name:
            raise Invalid(
                "a repeated group's column names need {n}", at=(*at, "columns", i, "name")
            )
        columns.append(
            Column(name=raw.name, field=raw.field, kind=fields[raw.field], width=raw.width)
        )
    missing = [f for f in fields if all(c.field != f for c in columns)]
    if missing:
        raise Invalid(
            f"the field(s) {', '.join(missing)} of block {block.value} have no column; every "
            "field needs one so the file can be read back",
            at=(*at, "columns"),
        )
    record_type = entry.record_type if entry.record_type is not None else str(block.number)
    return BlockLayout(
        block=block, record_type=record_type, repeat=entry.repeat, columns=tuple(columns)
    )


def _check_encodable(
    encoding: str,
    blocks: tuple[BlockLayout, ...],
    codes: Mapping[str, Mapping[str, str]],
    record_type_column: str,
) -> None:
    """Every name and code the file may hold can be written in the profile's encoding."""
    texts: list[tuple[tuple[str | int, ...], str]] = [
        (("format", "record_type_column"), record_type_column)
    ]
    for b in blocks:
        texts.append((("blocks", b.block.value, "record_type"), b.record_type))
        texts.extend(
            (("blocks", b.block.value, "columns", i, "name"), c.name)
            for i, c in enumerate(b.columns)
        )
    for name, mapping in codes.items():
        texts.extend((("codes", name, category), code) for category, code in mapping.items())
    for at, text in texts:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            raise Invalid(f"{text!r} cannot be written in the encoding {encoding}", at=at) from None
