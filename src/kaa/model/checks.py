"""Type checks at the library's boundary: a wrong type is refused where it comes in.

A ``str`` where a :class:`datetime.date` or an :class:`~kaa.identity.IdentityNumber` belongs,
or an ``int`` kommunkod, would otherwise be accepted and fail deep inside a rule as an
``AttributeError``, or — worse — give a wrong answer (``municipality=180`` is no
municipality, so every youth would be "out: T6"). The public functions and the model
constructors call these checks first; each failure is an :class:`~kaa.errors.InvalidInput`
whose message names the argument or field and the type it got, never the value (which may
be an identity number)::

    >>> import datetime as dt
    >>> require_date("2026-11-22", "on", where="kaa.assess")
    Traceback (most recent call last):
    ...
    kaa.errors.InvalidInput: kaa.assess: on must be a datetime.date, not str; write \
datetime.date(2026, 11, 22) or datetime.date.fromisoformat("2026-11-22")
    >>> require_kommunkod(180, "municipality", where="kaa.assess")
    Traceback (most recent call last):
    ...
    kaa.errors.InvalidInput: kaa.assess: municipality must be a kommunkod written as text \
(four digits, e.g. "0180"), not int

The field validators (:func:`date_field`, :func:`instance_field`, :func:`items_field`) do
the same for the attrs models, naming the field as the error's ``column``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from kaa.errors import InvalidInput, UnknownMunicipality
from kaa.municipalities import is_municipality_code, municipality

__all__ = [
    "date_field",
    "instance_field",
    "items_field",
    "require_date",
    "require_instance",
    "require_kommunkod",
    "type_name",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def type_name(value: object) -> str:
    """The name of ``value``'s type as a message shows it (``str``, ``datetime.datetime``,
    ``IdentityNumber`` for the library's own classes)."""
    kind = type(value)
    if kind.__module__ in ("builtins", "") or kind.__module__.startswith("kaa."):
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _expected(cls: type) -> str:
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    if module.startswith("kaa."):
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def _date_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a day, or ``None`` when it is one."""
    if isinstance(value, dt.datetime):
        return "must be a datetime.date, not a datetime.datetime; use its .date()"
    if isinstance(value, dt.date):
        return None
    hint = ""
    if isinstance(value, str):
        hint = '; write datetime.date(2026, 11, 22) or datetime.date.fromisoformat("2026-11-22")'
    return f"must be a datetime.date, not {type_name(value)}{hint}"


def _instance_problem(value: object, cls: type | tuple[type, ...]) -> str | None:
    classes = cls if isinstance(cls, tuple) else (cls,)
    if isinstance(value, classes) and not (
        isinstance(value, bool) and bool not in classes and int in classes
    ):
        return None
    names = " or ".join(_expected(c) for c in classes)
    hint = ""
    if isinstance(value, str) and any(c.__name__ == "IdentityNumber" for c in classes):
        hint = "; use IdentityNumber.parse"
    article = "an" if names[:1].upper() in "AEIOU" else "a"
    return f"must be {article} {names}, not {type_name(value)}{hint}"


def _fail(where: str, name: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{where}: {name} {problem}")


def require_date(value: object, name: str, *, where: str, optional: bool = False) -> None:
    """Refuse anything but a :class:`datetime.date` (a ``datetime`` is refused too: comparing
    it with a date fails).

    Args:
        value: The argument.
        name: The argument's name, for the message.
        where: The function it was given to (``"kaa.assess"``).
        optional: Whether ``None`` is allowed.

    Raises:
        InvalidInput: Naming the argument and the type it got.
    """
    if value is None and optional:
        return
    problem = _date_problem(value)
    if problem is not None:
        raise _fail(where, name, problem)


def require_instance(
    value: object,
    cls: type | tuple[type, ...],
    name: str,
    *,
    where: str,
    optional: bool = False,
) -> None:
    """Refuse anything but an instance of ``cls`` (``bool`` is not taken for ``int``).

    Raises:
        InvalidInput: Naming the argument, the type expected and the type it got.
    """
    if value is None and optional:
        return
    problem = _instance_problem(value, cls)
    if problem is not None:
        raise _fail(where, name, problem)


def require_kommunkod(value: object, name: str, *, where: str, optional: bool = False) -> None:
    """Refuse anything but one of the 290 kommunkoder written as text (``"0180"``).

    Raises:
        InvalidInput: For a value that is not text (an ``int`` loses a leading zero).
        UnknownMunicipality: For text that is not a kommunkod (``"9999"``, ``"180"``), with a
            hint when a real code is near.
    """
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise _fail(
            where,
            name,
            f'must be a kommunkod written as text (four digits, e.g. "0180"), not '
            f"{type_name(value)}",
        )
    if not is_municipality_code(value):
        try:
            municipality(value)
        except UnknownMunicipality as exc:
            raise UnknownMunicipality(f"{where}: {name}: {exc.message}") from None


def date_field(*, optional: bool = False) -> Validator:
    """An attrs validator: the field holds a :class:`datetime.date` (or ``None`` if
    ``optional``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        problem = _date_problem(value)
        if problem is not None:
            raise InvalidInput(f"{attribute.name} {problem}", column=attribute.name)

    return check


def instance_field(cls: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """An attrs validator: the field holds an instance of ``cls`` (or ``None`` if
    ``optional``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        problem = _instance_problem(value, cls)
        if problem is not None:
            raise InvalidInput(f"{attribute.name} {problem}", column=attribute.name)

    return check


def items_field(cls: type | tuple[type, ...]) -> Validator:
    """An attrs validator: the field holds a tuple (or list) whose every item is a ``cls``
    (``dt.date`` items must be days, not datetimes)."""
    is_day = cls is dt.date

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple | list):
            raise InvalidInput(
                f"{attribute.name} must be a tuple, not {type_name(value)}", column=attribute.name
            )
        for index, item in enumerate(value):
            problem = _date_problem(item) if is_day else _instance_problem(item, cls)
            if problem is not None:
                raise InvalidInput(
                    f"{attribute.name}[{index}] {problem}", column=attribute.name
                ) from None

    return check
