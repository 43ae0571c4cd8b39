"""Structuring plain data (dicts from JSON or CSV) into the library's models, and back.

One ``cattrs`` converter does all of it, so every adapter gets the same rules: ISO dates,
enums by their English value, identity numbers in every accepted form, unknown keys
rejected. Errors come back together, each as ``message @ $.path``::

    >>> from kaa.convert import structure
    >>> from kaa.model.youth import Youth
    >>> structure({"id": "20080101-0000"}, Youth)
    Traceback (most recent call last):
    ...
    kaa.errors.StructureError: ...

Unstructuring asks explicitly whether whole identity numbers are wanted
(``reveal_ids=True`` for storage that must round-trip, ``False`` for anything shown).
"""

from __future__ import annotations

import datetime as dt
import enum
from functools import cache
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.v import format_exception, transform_error

from kaa.errors import InvalidInput, KaaError, StructureError
from kaa.identity import IdentityNumber

__all__ = ["make_converter", "parse_date", "structure", "to_dict"]

T = TypeVar("T")


def parse_date(value: object) -> dt.date:
    """A date from an ISO ``YYYY-MM-DD`` string (or a date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
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
    if isinstance(exc, ValueError) and type_ is not None and issubclass(type_, enum.Enum):
        allowed = ", ".join(str(m.value) for m in type_)
        return f"not one of: {allowed}"
    return format_exception(exc, type_)


def make_converter(*, reveal_ids: bool, reference_day: dt.date | None = None) -> cattrs.Converter:
    """Build the library's converter.

    Args:
        reveal_ids: Whether unstructured identity numbers are written whole
            (``YYYYMMDD-NNNC``) or masked (``YYYYMMDD-****``).
        reference_day: The day against which the century of 10-digit identity numbers is
            resolved; today when ``None``.

    Returns:
        A converter with hooks for dates, identity numbers and enums.
    """
    conv = cattrs.Converter(forbid_extra_keys=True)

    def structure_id(value: object, _: type) -> IdentityNumber:
        if isinstance(value, IdentityNumber):
            return value
        if not isinstance(value, str | int):
            raise InvalidInput("an identity number must be text")
        return IdentityNumber.parse(value, on=reference_day)

    conv.register_structure_hook(IdentityNumber, structure_id)
    conv.register_structure_hook(dt.date, lambda v, _: parse_date(v))
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    if reveal_ids:
        conv.register_unstructure_hook(IdentityNumber, lambda i: i.full("separated_long"))
    else:
        conv.register_unstructure_hook(IdentityNumber, lambda i: i.masked())
    return conv


@cache
def _default(reveal_ids: bool) -> cattrs.Converter:
    return make_converter(reveal_ids=reveal_ids)


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


def to_dict(obj: Any, *, reveal_ids: bool) -> Any:
    """Unstructure a model into plain data that ``json.dumps`` can write.

    Args:
        obj: A model instance (or a list of them).
        reveal_ids: ``True`` to write whole identity numbers (storage that must round-trip),
            ``False`` to mask them (anything shown to people).
    """
    return _default(reveal_ids).unstructure(obj)
