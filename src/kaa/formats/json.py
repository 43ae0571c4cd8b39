"""Reading JSON and JSON Lines: the plumbing every JSON reader shares.

The canonical youths (:mod:`kaa.formats.canonical`), the canonical cases
(:mod:`kaa.formats.cases`) and the ``ss12000`` register source all read their files through
these functions, so that a file that is not JSON, a bad line of JSON Lines and a JSON text
nested too deeply are reported the same way everywhere, with the file and the place:

    >>> import io
    >>> list(json_lines(io.StringIO('{"a": 1}\\n\\n[2]\\n'), "f.jsonl"))
    [(1, {'a': 1}), (3, [2])]
    >>> json_document('{"a": [1,,2]}', "f.json")
    Traceback (most recent call last):
    ...
    kaa.errors.InvalidInput: f.json, line 1, column 10: not valid JSON: Expecting value

:func:`read_json_records` reads records of a model class (a youth, a case) from a JSON array
or JSON Lines, one record per youth, accepting or reporting every record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Final, TypeVar

import attrs

from kaa.convert import make_converter, structure
from kaa.errors import InvalidIdentityNumber, InvalidInput, StructureError
from kaa.formats.problems import Problem, ReadSummary, add_problem
from kaa.identity import IdentityNumber

__all__ = [
    "MAX_DIGITS",
    "MAX_LINE",
    "MAX_TEXT",
    "JsonFault",
    "json_document",
    "json_item_lines",
    "json_lines",
    "loads",
    "read_json_records",
]

T = TypeVar("T")

_TOO_DEEP = "the JSON is nested too deeply"
MAX_DIGITS: Final = 30
"""A JSON number with more digits than this is refused (no field of the library needs one)."""
MAX_TEXT: Final = 131_072
"""A JSON text value longer than this (in characters) is refused, as a CSV cell is."""
MAX_LINE: Final = 4 * 1024 * 1024
"""A JSON Lines record longer than this (in characters) is refused without decoding it."""


class _Refused(ValueError):
    """A value the decoder refuses (a duplicate key, a huge number, an endless text)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused(f"the key {key[:40]!r} appears twice in one object")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise _Refused(f"the value of {key[:40]!r} is longer than {MAX_TEXT:,} characters")
        found[key] = value
    return found


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number has more than {MAX_DIGITS} digits")
    return int(text)


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_number, parse_constant=_constant)


def loads(text: str) -> Any:
    """Decode JSON strictly: a key twice in one object, a number of more than
    :data:`MAX_DIGITS` digits, ``NaN``/``Infinity`` and a text of more than
    :data:`MAX_TEXT` characters are refused (``ValueError``), so no value is silently
    overwritten, truncated or made huge.

        >>> loads('{"a": 1, "b": [true, null]}')
        {'a': 1, 'b': [True, None]}
        >>> loads('{"a": 1, "a": 2}')
        Traceback (most recent call last):
        ...
        kaa.formats.json._Refused: the key 'a' appears twice in one object

    Raises:
        json.JSONDecodeError: If the text is not JSON.
        ValueError: If a value is refused.
        RecursionError: If it is nested too deeply.
    """
    return _DECODER.decode(text)


@attrs.frozen
class JsonFault:
    """A JSON Lines line that is not a usable JSON value; the reader reports and rejects it.

    Attributes:
        message: What is wrong (never the line's text).
        column: The 1-based column of the error, if known.
    """

    message: str
    column: int | None = None

    def reject(
        self,
        summary: ReadSummary,
        on_problem: Callable[[Problem], None] | None,
        *,
        file: str,
        line: int,
    ) -> None:
        """Count the line as rejected in ``summary`` and report it (the one way every JSON
        Lines reader treats a fault)."""
        summary.rows_rejected += 1
        column = None if self.column is None else str(self.column)
        add_problem(
            summary, on_problem, Problem(file=file, line=line, column=column, message=self.message)
        )


def json_document(text: str, file: str) -> Any:
    """Decode one JSON document, reporting a syntax error with its place.

    Args:
        text: The whole JSON text.
        file: The name used in errors.

    Returns:
        The decoded value.

    Raises:
        InvalidInput: If ``text`` is not valid JSON, with the line and column of the error, or
            is nested too deeply to decode.
    """
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"not valid JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise InvalidInput(_TOO_DEEP, file=file) from None
    except ValueError as exc:
        raise InvalidInput(f"not usable JSON: {exc}", file=file) from None


def json_lines(stream: IO[str], file: str) -> Iterator[tuple[int, Any]]:
    """Stream the values of a JSON Lines text, each with its line number.

    Blank lines are skipped (their numbers still count). A line that is not valid JSON, is
    nested too deeply, is longer than :data:`MAX_LINE` or holds a refused value (see
    :func:`loads`) is yielded as a :class:`JsonFault` — the reader reports it and goes on
    with the next line, so one bad line never hides the rest of the file. Used by every
    JSON Lines reader (the canonical youths and cases, the ``ss12000`` source).

    Args:
        stream: An open text stream, read line by line.
        file: The name used in errors.

    Yields:
        ``(line number, decoded value or JsonFault)`` for each non-blank line, counting
        from 1.
    """
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        if len(text) > MAX_LINE:
            yield number, JsonFault(f"the line is longer than {MAX_LINE:,} characters")
            continue
        try:
            value = loads(text)
        except json.JSONDecodeError as exc:
            yield number, JsonFault(f"not valid JSON: {exc.msg}", exc.colno)
            continue
        except RecursionError:
            yield number, JsonFault(_TOO_DEEP)
            continue
        except ValueError as exc:
            yield number, JsonFault(f"not usable JSON: {exc}")
            continue
        yield number, value


def json_item_lines(
    text: str, start: int, items: list[Any], *, check: bool = False
) -> Iterator[tuple[int, Any]]:
    """Pair each item of the JSON array that opens at ``text[start]`` with the line it starts on.

    Args:
        text: The whole JSON text.
        start: The position of the array's ``[``.
        items: The decoded items of that array.
        check: Decode each item again and compare it with ``items`` (for an array found by
            searching the text, which may not be the one that holds ``items``).

    Yields:
        ``(line number, item)`` for each item, counting lines from 1.

    Raises:
        ValueError: If ``check`` is set and the array at ``start`` does not hold ``items``.
    """
    decoder = json.JSONDecoder()
    position = start + 1
    line = text.count("\n", 0, position) + 1
    for item in items:
        while position < len(text) and text[position] in " \t\r\n,":
            if text[position] == "\n":
                line += 1
            position += 1
        value, end = decoder.raw_decode(text, position)
        if check and value != item:
            raise ValueError("the array found is not the one that holds the items")
        yield line, item
        line += text.count("\n", position, end)
        position = end


def read_json_records(
    stream: IO[str],
    cls: type[T],
    *,
    identity: Callable[[T], IdentityNumber],
    raw_identity: Callable[[dict[str, Any]], object],
    what: str,
    file: str = "<stream>",
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    lines: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[T]:
    """Read records of ``cls`` from a JSON array or JSON Lines, one per youth.

    Every record is accepted or reported (with the line its object starts on, the masked
    identity number and each problem as ``message @ $.path``); a second record for the same
    youth is reported, never merged or overwritten.

    Args:
        stream: An open text stream.
        cls: The model class (e.g. :class:`~kaa.model.youth.Youth` or
            :class:`~kaa.model.case.Case`).
        identity: The youth's identity number in a structured record.
        raw_identity: The raw identity number in a plain record (for masked problems).
        what: What a record is called in messages ("youth", "case").
        file: The name used in problems.
        summary: Filled in as records are read.
        reference_day: The day 10-digit identity numbers are read against.
        lines: ``True`` for JSON Lines (streamed), ``False`` for one JSON array.
        on_problem: Called for each problem as it is found.

    Raises:
        InvalidInput: If a JSON array file is not JSON, not a list, or nested too deeply
            (a bad line of JSON Lines is a reported problem instead).
    """
    summary = summary if summary is not None else ReadSummary(file=file)
    converter = make_converter(reveal_ids=True, reference_day=reference_day)
    items: Iterable[tuple[int, Any]]
    if lines:
        items = json_lines(stream, file)
    else:
        text = stream.read()
        data = json_document(text, file)
        if not isinstance(data, list):
            raise InvalidInput(f"the JSON file must hold a list of {what}s", file=file, line=1)
        items = json_item_lines(text, text.index("["), data)
    seen: set[IdentityNumber] = set()
    for line, item in items:
        summary.rows_read += 1
        if isinstance(item, JsonFault):
            item.reject(summary, on_problem, file=file, line=line)
            continue
        masked = _masked_id(raw_identity(item) if isinstance(item, dict) else None, reference_day)
        try:
            record = structure(item, cls, converter=converter)
        except StructureError as exc:
            summary.rows_rejected += 1
            for message in exc.problems:
                add_problem(
                    summary,
                    on_problem,
                    Problem(file=file, line=line, youth=masked, message=message),
                )
            continue
        ident = identity(record)
        if ident in seen:
            summary.rows_rejected += 1
            add_problem(
                summary,
                on_problem,
                Problem(
                    file=file,
                    line=line,
                    column="id",
                    youth=ident.masked(),
                    message=(
                        f"the same youth appears in more than one {what}; this one was not used"
                    ),
                ),
            )
            continue
        seen.add(ident)
        summary.rows_accepted += 1
        summary.records += 1
        yield record


def _masked_id(raw: object, reference_day: dt.date | None) -> str | None:
    if isinstance(raw, str | int):
        try:
            return IdentityNumber.parse(raw, on=reference_day).masked()
        except InvalidIdentityNumber:
            return None
    return None
