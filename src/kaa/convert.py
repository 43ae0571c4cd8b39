"""Structuring plain data (JSON, CSV and TOML data files) into the library's models, and back.

One ``cattrs`` converter does all of it, so every reader gets the same rules: ISO dates,
enums by their English value, identity numbers in every accepted form, kommunkoder checked
against the 290 municipalities, unknown keys rejected. Errors come back together, each as
``message @ $.path``::

    >>> from kaa.convert import structure
    >>> from kaa.model.youth import Youth
    >>> structure({"id": "20080101-0000"}, Youth)
    Traceback (most recent call last):
    ...
    kaa.errors.StructureError: ...

Unstructuring asks explicitly whether whole identity numbers are wanted
(``reveal_ids=True`` for storage that must round-trip, ``False`` for anything shown).

**Data files** (TOML: timetables, catalogues, rules, profiles, layouts) are read with
:func:`load_toml` or :func:`parse_toml`, the only place that parses TOML. The converter is
then strict, the way a hand-written validator would be: a value must have its TOML type (a
number is not text, text is not a number, a day is a TOML date without quotes), a table
must be a table, and each error reads ``file: message @ $.path``:

    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class Rule:
    ...     municipality: Kommunkod
    ...     weeks: int = 8
    >>> parse_toml('municipality = "1882"', Rule, file="rule.toml")
    Rule(municipality='1882', weeks=8)
    >>> parse_toml('municipality = 1882\\nweeks = "8"', Rule, file="rule.toml")
    Traceback (most recent call last):
    ...
    kaa.convert.DataFileError: rule.toml: 1882 is not a kommunkod: write its four digits in \
quotes, e.g. "1882" @ $.municipality; must be a whole number, not text @ $.weeks

Anything dated is written in **one shape**, ``[[versions]]`` tables that structure into a
:class:`~kaa.dated.Timeline` (see :class:`Dated`)::

    rule_id = "kaa.csn.studiebidrag"

    [[versions]]
    start = 2018-03-01                      # the first day the version applies
    title = "1 250 kr per månad"
    value = 1250                            # what applies: a number, text or a table
    citation = { title = "…", issuer = "CSN", url = "https://…" }
    sources = ["…"]                         # optional: further references

A citation is written one way: a table with ``sfs`` (and ``title``, ``chapter``, ``section``,
``paragraph``, ``wording``, ``url``) is a :class:`~kaa.law.Citation` of a statute; a table
without ``sfs`` (``title``, ``issuer``, ``identifier``, ``section``, ``url``) is a
:class:`~kaa.law.DocumentReference`.

Owning modules keep their own shapes as attrs classes ("file models") and give the converter
what it cannot know: types written as text (``make_converter(text_types={Offset:
Offset.parse})``), and checks that raise :class:`Invalid` with the key they are about.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import tomllib
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Generic, NewType, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import cattrs.cols
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.v import format_exception, transform_error

from kaa.dated import Timeline, Version, iso_date
from kaa.errors import ConfigurationError, InvalidInput, KaaError, StructureError
from kaa.identity import IdentityNumber
from kaa.law import Citation, DocumentReference
from kaa.municipalities import is_municipality_code
from kaa.period import HalfYear

__all__ = [
    "DataFileError",
    "Dated",
    "Invalid",
    "Kommunkod",
    "check",
    "load_toml",
    "make_converter",
    "parse_date",
    "parse_toml",
    "structure",
    "structure_data",
    "to_dict",
]

T = TypeVar("T")
V = TypeVar("V")

Kommunkod = NewType("Kommunkod", str)
"""A four-digit *kommunkod* written as text (``"0180"``), one of the 290 municipalities'."""

Path_ = tuple[str | int, ...]


def parse_date(value: object) -> dt.date:
    """A date from a string written exactly ``YYYY-MM-DD`` (surrounding spaces aside), or a
    date; no other ISO 8601 form (``20240612``, ``2024-W24-3``) is read as one::

        >>> parse_date("2024-06-12")
        datetime.date(2024, 6, 12)
        >>> parse_date("2024-W24-3")
        Traceback (most recent call last):
        ...
        kaa.errors.InvalidInput: '2024-W24-3' is not a date; write it as YYYY-MM-DD
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        day = iso_date(value.strip())
        if day is not None:
            return day
    raise InvalidInput(f"{value!r} is not a date; write it as YYYY-MM-DD")


def _format(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, InvalidInput):
        return exc.message
    if isinstance(exc, KaaError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ValueError) and isinstance(type_, type) and issubclass(type_, enum.Enum):
        allowed = ", ".join(str(m.value) for m in type_)
        return f"not one of: {allowed}"
    return format_exception(exc, type_)


# -- data files: errors -----------------------------------------------------------------------


class Invalid(ValueError):
    """A value of a data file that cannot be used, raised by a check of an owning module.

    Args:
        message: What is wrong, in words a case worker can act on.
        at: The keys (and list indexes) below the object being checked that the message is
            about, e.g. ``("steps", 2, "id")``; empty for the object itself.
    """

    def __init__(self, message: str, *, at: Iterable[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at: Path_ = tuple(at)


def _jsonpath(path: Path_) -> str:
    text = "$"
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            text += f".{part}"
        else:
            text += f"[{part!r}]"
    return text


class DataFileError(ConfigurationError):
    """A data file (TOML) is malformed: every problem, each as ``message @ $.path``.

    The text reads ``file: message @ $.path`` (problems joined by ``; ``); a problem with the
    file as a whole (it cannot be read, it is not TOML) has no path.

    Args:
        problems: ``(message, path)`` pairs; a path is a tuple of keys and list indexes, or
            ``None`` for the whole file.
        file: The file.

    Attributes:
        problems: Each problem rendered as ``message @ $.path``.
        key: The path of the first problem without ``$.`` (``versions[0].start``), if any.
    """

    def __init__(self, problems: Sequence[tuple[str, Path_ | None]], *, file: str) -> None:
        self.problems = [m if p is None else f"{m} @ {_jsonpath(p)}" for m, p in problems]
        super().__init__("; ".join(self.problems), file=file)
        first = problems[0][1] if problems else None
        self.key = _jsonpath(first).removeprefix("$").removeprefix(".") or None if first else None


def _key(attribute: attrs.Attribute[Any]) -> str:
    # A field named like a Python keyword plus "_" (``from_``) is the key without it.
    name = attribute.name
    return name[:-1] if name.endswith("_") and not name.startswith("_") else name


_KINDS: Mapping[type, str] = {
    bool: "true or false",
    int: "a whole number",
    float: "a decimal number",
    str: "text",
    dict: "a table",
    list: "an array [...]",
    dt.date: "a date",
}


def _kind(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "a date and time"
    for kind, words in _KINDS.items():
        if isinstance(value, kind):
            return words
    return type(value).__name__


def _must_be(expected: str, value: object) -> Invalid:
    return Invalid(f"must be {expected}, not {_kind(value)}")


class _Located(Exception):
    """Problems found below one value, with their paths relative to it."""

    def __init__(self, problems: list[tuple[str, Path_]]) -> None:
        super().__init__("; ".join(m for m, _ in problems))
        self.problems = problems


def _problems(exc: BaseException) -> list[tuple[str, Path_]]:
    if isinstance(exc, _Located):
        return exc.problems
    if isinstance(exc, Invalid):
        return [(exc.message, exc.at)]
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        found: list[tuple[str, Path_]] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            part = note.name if isinstance(note, AttributeValidationNote) else note.index
            found += [(m, (part, *p)) for m, p in _problems(sub)]
        for sub in without:
            found += _problems(sub)
        return found
    if isinstance(exc, InvalidInput):
        return [(exc.message, ())]
    if isinstance(exc, KaaError | ValueError | TypeError) and exc.args:
        # attrs' own validators raise ValueError(message, attribute, ...): keep the message.
        first = exc.args[0]
        return [(first if isinstance(first, str) and len(exc.args) > 1 else str(exc), ())]
    return [(format_exception(exc, None), ())]


def _collect(items: Iterable[tuple[str | int, Callable[[], Any]]]) -> list[Any]:
    """Run each step, collecting the problems of all of them under their key."""
    results: list[Any] = []
    problems: list[tuple[str, Path_]] = []
    for part, step in items:
        try:
            results.append(step())
        except Exception as exc:  # every problem is reported, with its path
            problems += [(m, (part, *p)) for m, p in _problems(exc)]
    if problems:
        raise _Located(problems)
    return results


def check(test: Callable[[Any], bool], message: str | Callable[[Any], str]) -> Any:
    """An attrs validator for a field of a file model: ``test(value)`` must hold.

    Args:
        test: Whether the value is good.
        message: What is wrong, or a function of the value that says it.

    Returns:
        A validator that raises :class:`Invalid`, which the converter reports at the key.
    """

    def validate(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not test(value):
            raise Invalid(message(value) if callable(message) else message)

    return validate


# -- data files: the hooks --------------------------------------------------------------------


def _field_types(cl: Any) -> tuple[type, dict[str, Any]]:
    origin = get_origin(cl) or cl
    attrs.resolve_types(origin)
    types = {a.name: a.type for a in attrs.fields(origin)}
    params = getattr(origin, "__parameters__", ())
    if params and get_args(cl):
        bind = dict(zip(params, get_args(cl), strict=True))

        def substitute(tp: Any) -> Any:
            if tp in bind:
                return bind[tp]
            inner = getattr(tp, "__parameters__", ())
            return tp[tuple(bind[p] for p in inner)] if inner else tp

        types = {name: substitute(tp) for name, tp in types.items()}
    return origin, types


def _table(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    origin, types = _field_types(cl)
    fields = {_key(a): a for a in attrs.fields(origin) if a.init}
    allowed = ", ".join(sorted(fields))

    def structure_table(data: Any, _: Any) -> Any:
        if isinstance(data, origin):
            return data
        if not isinstance(data, dict):
            raise _must_be("a table", data)
        problems: list[tuple[str, Path_]] = []
        extra = sorted(set(data) - set(fields))
        if extra:
            problems.append(
                (f"unknown key(s): {', '.join(extra)} (allowed: {allowed})", (extra[0],))
            )
        missing = [k for k, a in fields.items() if k not in data and a.default is attrs.NOTHING]
        problems += [("required key missing", (k,)) for k in missing]

        def field(key: str, attribute: attrs.Attribute[Any]) -> Callable[[], Any]:
            def run() -> Any:
                value = conv.structure(data[key], types[attribute.name])
                if attribute.validator is not None:
                    attribute.validator(None, attribute, value)
                return value

            return run

        present = [(k, a) for k, a in fields.items() if k in data]
        try:
            values = _collect((k, field(k, a)) for k, a in present)
        except _Located as exc:
            problems += exc.problems
        if problems:
            raise _Located(problems)
        kwargs = {a.alias: v for (_, a), v in zip(present, values, strict=True)}
        return origin(**kwargs)

    return structure_table


def _structuring(conv: cattrs.Converter, value: Any, type_: Any) -> Callable[[], Any]:
    return lambda: conv.structure(value, type_)


def _sequence(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    args = get_args(cl)
    item = args[0] if args else Any
    make = tuple if (get_origin(cl) or cl) in (tuple, Sequence) else list

    def structure_array(data: Any, _: Any) -> Any:
        if not isinstance(data, list | tuple):
            raise _must_be("an array [...]", data)
        return make(_collect((i, _structuring(conv, v, item)) for i, v in enumerate(data)))

    return structure_array


def _mapping(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    args = get_args(cl)
    value_type = args[1] if len(args) == 2 else Any

    def structure_mapping(data: Any, _: Any) -> Any:
        if not isinstance(data, dict):
            raise _must_be("a table", data)
        keys = list(data)
        values = _collect((k, _structuring(conv, data[k], value_type)) for k in keys)
        return dict(zip(keys, values, strict=True))

    return structure_mapping


def _enum_hook(cl: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    by_value = {member.value: member for member in cl}
    allowed = ", ".join(str(value) for value in by_value)

    def structure_enum(value: Any, _: Any) -> Any:
        if isinstance(value, cl):
            return value
        if isinstance(value, str | int | float) and value in by_value:
            return by_value[value]
        raise Invalid(f"{value!r} is not one of: {allowed}")

    return structure_enum


def _scalar(kind: type, words: str) -> Callable[[Any, Any], Any]:
    def structure_scalar(value: Any, _: Any) -> Any:
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        raise _must_be(words, value)

    return structure_scalar


def _decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            pass
    raise Invalid(f'{value!r} is not an amount: write a whole number, or text such as "12.50"')


def _day(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise Invalid("must be a day written YYYY-MM-DD (a TOML date, no quotes)")


def _text(parse: Callable[[str], Any]) -> Callable[[Any, Any], Any]:
    def structure_text(value: Any, _: Any) -> Any:
        if not isinstance(value, str):
            raise _must_be("text", value)
        return parse(value)

    return structure_text


def _kommunkod(value: Any, _: Any) -> Kommunkod:
    if isinstance(value, str) and is_municipality_code(value):
        return Kommunkod(value)
    raise InvalidInput(
        f'{value!r} is not a kommunkod: write its four digits in quotes, e.g. "1882"'
    )


def _citation(conv: cattrs.Converter) -> Callable[[Any, Any], Citation | DocumentReference]:
    def structure_citation(data: Any, _: Any) -> Citation | DocumentReference:
        if not isinstance(data, dict):
            raise Invalid(
                "a citation is a table: sfs/title/chapter/section for a statute, "
                "title/issuer/section for a document such as a municipal plan"
            )
        if "sfs" in data:
            return conv.structure(data, Citation)
        return conv.structure(data, DocumentReference)

    return structure_citation


@attrs.frozen(kw_only=True)
class Dated(Generic[V]):
    """The one shape of a dated data file: a rule id and ``[[versions]]`` of a value.

    Attributes:
        rule_id: The stable dotted id of the rule (``kaa.csn.studiebidrag``); a loader may
            derive it from the municipality when the file leaves it out.
        municipality: The kommunkod of a municipality's file.
        versions: Each applies from its ``start`` until the next one starts.
    """

    rule_id: str | None = None
    municipality: Kommunkod | None = None
    versions: tuple[Version[V], ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise Invalid("at least one [[versions]] table is needed", at=("versions",))
        starts = [v.start for v in self.versions]
        for i, start in enumerate(starts):
            if start in starts[:i]:
                raise Invalid(
                    f"two versions start on {start.isoformat()}", at=("versions", i, "start")
                )

    def timeline(self, *, rule_id: str | None = None) -> Timeline[V]:
        """The versions as a timeline.

        Args:
            rule_id: The rule id to use when the file gives none.

        Raises:
            Invalid: If neither the file nor the caller gives a rule id.
        """
        chosen = self.rule_id or rule_id
        if chosen is None:
            raise Invalid("give the rule_id of the dated rule", at=("rule_id",))
        return Timeline(chosen, self.versions)


def _timeline(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Timeline[Any]]:
    (value_type,) = get_args(cl) or (Any,)

    def structure_timeline(data: Any, _: Any) -> Timeline[Any]:
        return conv.structure(data, Dated[value_type]).timeline()  # type: ignore[valid-type]

    return structure_timeline


def _data_file_hooks(
    conv: cattrs.Converter, text_types: Mapping[type, Callable[[str], Any]]
) -> None:
    conv.register_structure_hook(str, _scalar(str, "text"))
    conv.register_structure_hook(bool, _scalar(bool, "true or false"))
    conv.register_structure_hook(int, _scalar(int, "a whole number"))
    conv.register_structure_hook(float, _scalar(float, "a number"))
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_structure_hook(dt.date, _day)
    conv.register_structure_hook(HalfYear, _text(HalfYear.parse))
    for cls, parse in text_types.items():
        conv.register_structure_hook(cls, _text(parse))
    factories: list[tuple[Callable[[Any], bool], Callable[[Any], Any]]] = [
        (lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook),
        (lambda t: (get_origin(t) or t) in (tuple, list, Sequence), lambda t: _sequence(conv, t)),
        (lambda t: (get_origin(t) or t) in (dict, Mapping), lambda t: _mapping(conv, t)),
        (lambda t: attrs.has(get_origin(t) or t), lambda t: _table(conv, t)),
        (lambda t: get_origin(t) is Timeline, lambda t: _timeline(conv, t)),
    ]
    for predicate, factory in factories:
        conv.register_structure_hook_factory(predicate, factory)
    conv.register_structure_hook(Citation | DocumentReference, _citation(conv))
    conv.register_structure_hook(Kommunkod, _kommunkod)


def make_converter(
    *,
    reveal_ids: bool,
    reference_day: dt.date | None = None,
    data_files: bool = False,
    text_types: Mapping[type, Callable[[str], Any]] | None = None,
) -> cattrs.Converter:
    """Build the library's converter.

    Args:
        reveal_ids: Whether unstructured identity numbers are written whole
            (``YYYYMMDD-NNNC``) or masked (``YYYYMMDD-****``).
        reference_day: The day against which the century of 10-digit identity numbers is
            resolved; today when ``None``.
        data_files: Strict, for data files (TOML): a value must have its TOML type, a day is
            a TOML date, enums are read by value and named when wrong, half-years are text
            (``"2026H2"``), a field named like a Python keyword plus ``_`` (``from_``) is read
            from the key without it, and every problem is found with its path.
        text_types: For data files, further classes that are written as text, each with the
            function that reads one (``{Offset: Offset.parse}``); it raises ``ValueError`` or
            :class:`~kaa.errors.InvalidInput` with a message when the text is wrong.

    Returns:
        A converter with hooks for dates and identity numbers; for data files also for
        kommunkoder (:data:`Kommunkod`), citations, dated timelines (:class:`Dated`), enums
        by value and file models (attrs classes whose field validators run first, so that a
        problem is reported at its key).
    """
    conv = cattrs.Converter(forbid_extra_keys=True)

    def structure_id(value: object, _: type) -> IdentityNumber:
        if isinstance(value, IdentityNumber):
            return value
        if isinstance(value, str) or (data_files and isinstance(value, int)):
            return IdentityNumber.parse(value, on=reference_day)
        if isinstance(value, int) and not isinstance(value, bool):
            # a JSON number has no leading zeros to keep: 0812122394 would be read as another
            # number, so JSON must write identity numbers as text
            raise InvalidInput('an identity number must be text ("YYYYMMDD-NNNN"), not a number')
        raise InvalidInput("an identity number must be text")

    conv.register_structure_hook(IdentityNumber, structure_id)
    conv.register_structure_hook(dt.date, _day_reader())
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    if reveal_ids:
        conv.register_unstructure_hook(IdentityNumber, lambda i: i.full("separated_long"))
    else:
        conv.register_unstructure_hook(IdentityNumber, lambda i: i.masked())
    if data_files:
        _data_file_hooks(conv, text_types or {})
    else:
        _json_hooks(conv)
    return conv


_DAYS_MAX = 20_000


def _day_reader() -> Callable[[Any, Any], dt.date]:
    """The structure hook for days: :func:`parse_date`, with each text read once.

    A register holds the same few thousand days over and over (the start of a term, the
    day of a list), so each text is parsed once and its day shared (dates are immutable
    values). The memory is bounded: the table is emptied at :data:`_DAYS_MAX` texts.
    """
    days: dict[str, dt.date] = {}

    def structure_day(value: Any, _: Any) -> dt.date:
        if value.__class__ is not str:
            return parse_date(value)
        day = days.get(value)
        if day is None:
            day = parse_date(value)  # a text that is not a day raises, and is not kept
            if len(days) >= _DAYS_MAX:
                days.clear()
            days[value] = day
        return day

    return structure_day


def _optional(cl: Any) -> bool:
    """Whether ``cl`` is ``X | None`` (``Optional[X]``) for one type ``X``."""
    args = get_args(cl)
    return get_origin(cl) in (Union, types.UnionType) and len(args) == 2 and type(None) in args


def _json_optional(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    """``X | None``: ``None`` stays ``None``, anything else is structured as ``X`` — what
    cattrs does, with the hook for ``X`` found once instead of on every value."""
    first, second = get_args(cl)
    inner_type = second if first is type(None) else first
    try:
        inner = conv.get_structure_hook(inner_type)
    except RecursionError:  # a type that contains itself: find the hook when it is used
        inner = conv.structure

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure_optional


def _json_scalar(kind: type, words: str) -> Callable[[Any, Any], Any]:
    def structure_scalar(value: Any, _: Any) -> Any:
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        raise InvalidInput(f"must be {words}, not {_kind(value)}")

    return structure_scalar


def _json_enum(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    members = {m.value: m for m in cls}
    allowed = ", ".join(str(v) for v in members)

    def structure_enum(value: Any, _: Any) -> enum.Enum:
        if isinstance(value, str) and value in members:
            return members[value]
        if isinstance(value, str):
            raise InvalidInput(f"{value[:40]!r} is not one of: {allowed}")
        raise InvalidInput(f"must be one of: {allowed} (as text), not {_kind(value)}")

    return structure_enum


def _json_sequence(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    base = (
        cattrs.cols.list_structure_factory(cl, conv)
        if (get_origin(cl) or cl) is list
        else cattrs.cols.homogenous_tuple_structure_factory(cl, conv)
    )

    def structure_sequence(value: Any, type_: Any) -> Any:
        if not isinstance(value, list):
            raise InvalidInput(f"must be a list, not {_kind(value)}")
        return base(value, type_)

    return structure_sequence


def _json_object(conv: cattrs.Converter, cl: Any) -> Callable[[Any, Any], Any]:
    base = conv.gen_structure_attrs_fromdict(cl)

    def structure_object(value: Any, type_: Any) -> Any:
        if not isinstance(value, dict):
            raise InvalidInput(f"must be an object {{...}}, not {_kind(value)}")
        return base(value, type_)

    return structure_object


def _json_hooks(conv: cattrs.Converter) -> None:
    """JSON is structured strictly too: a value must have its JSON type (``"nej"`` is not
    ``false``, ``1882`` is not the text ``"1882"``, ``2.5`` is not a list), enums are read by
    value and named when wrong, and a list or an object must be one."""
    conv.register_structure_hook(str, _json_scalar(str, "text"))
    conv.register_structure_hook(bool, _json_scalar(bool, "true or false"))
    conv.register_structure_hook(int, _json_scalar(int, "a whole number"))
    conv.register_structure_hook(float, _json_scalar(float, "a number"))
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _json_enum
    )
    conv.register_structure_hook_factory(
        lambda t: _homogeneous(t),
        lambda t: _json_sequence(conv, t),
    )
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and isinstance(t, type), lambda t: _json_object(conv, t)
    )
    conv.register_structure_hook_factory(_optional, lambda t: _json_optional(conv, t))


def _homogeneous(cl: Any) -> bool:
    origin: Any = get_origin(cl) or cl
    if origin is list:
        return True
    args = get_args(cl)
    return origin is tuple and len(args) == 2 and args[1] is Ellipsis


@cache
def _default(reveal_ids: bool) -> cattrs.Converter:
    return make_converter(reveal_ids=reveal_ids)


@cache
def _data_default() -> cattrs.Converter:
    return make_converter(reveal_ids=True, data_files=True)


def structure(data: Any, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Structure plain ``data`` into ``cls``, collecting every problem.

    Args:
        data: Plain data (dicts, lists, strings, numbers) as read from JSON or CSV.
        cls: The model class, e.g. :class:`kaa.model.youth.Youth`.
        converter: A converter from :func:`make_converter`; the default one when ``None``.

    Raises:
        StructureError: With one ``message @ $.path`` entry per problem.
    """
    conv = converter if converter is not None else _default(True)
    try:
        return conv.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        raise StructureError(transform_error(exc, path="$", format_exception=_format)) from None
    except InvalidInput as exc:
        raise StructureError([f"{exc.message} @ $"]) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise StructureError([f"{_format(exc, cls)} @ $"]) from None


def structure_data(
    data: Any, cls: Any, *, file: str, converter: cattrs.Converter | None = None
) -> Any:
    """Structure the parsed content of a data file into ``cls``, collecting every problem.

    Args:
        data: The file's content (a dict from TOML).
        cls: The file model, a model class, or ``Timeline[X]`` for a dated file.
        file: The file's name, for the error.
        converter: A converter from ``make_converter(data_files=True)``; the default one
            when ``None``.

    Raises:
        DataFileError: Reading ``file: message @ $.path`` for every problem.
    """
    conv = converter if converter is not None else _data_default()
    try:
        return conv.structure(data, cls)
    except (KaaError, ValueError, TypeError, _Located, cattrs.BaseValidationError) as exc:
        raise DataFileError(_problems(exc), file=file) from None


def parse_toml(text: str, cls: Any, *, file: str, converter: cattrs.Converter | None = None) -> Any:
    """Parse TOML ``text`` and structure it into ``cls`` (see :func:`structure_data`).

    Raises:
        DataFileError: If the text is not TOML (``file: not valid TOML: …``) or any value is
            wrong (``file: message @ $.path``).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError([(f"not valid TOML: {exc}", None)], file=file) from None
    return structure_data(data, cls, file=file, converter=converter)


def load_toml(
    path: Path | Traversable,
    cls: Any,
    *,
    file: str | None = None,
    converter: cattrs.Converter | None = None,
) -> Any:
    """Read a TOML data file and structure it into ``cls`` (see :func:`structure_data`).

    Args:
        path: The file: a path, or a resource from :func:`importlib.resources.files`.
        cls: The file model, a model class, or ``Timeline[X]`` for a dated file.
        file: What to call the file in errors; ``str(path)`` when ``None``.
        converter: A converter from ``make_converter(data_files=True)``; the default one
            when ``None``.

    Raises:
        DataFileError: If the file cannot be read, is not UTF-8 TOML, or any value is wrong.
    """
    name = str(path) if file is None else file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(
            [(f"cannot read the file: {exc.strerror or exc}", None)], file=name
        ) from None
    except UnicodeDecodeError:
        raise DataFileError([("not valid TOML: the file is not UTF-8", None)], file=name) from None
    return parse_toml(text, cls, file=name, converter=converter)


def to_dict(obj: Any, *, reveal_ids: bool) -> Any:
    """Unstructure a model into plain data that ``json.dumps`` can write.

    Args:
        obj: A model instance (or a list of them).
        reveal_ids: ``True`` to write whole identity numbers (storage that must round-trip),
            ``False`` to mask them (anything shown to people).
    """
    return _default(reveal_ids).unstructure(obj)
