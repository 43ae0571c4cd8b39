"""For people who write tests against kaa: numbers that can never belong to a real person,
and a plugin manager holding just the plugins under test.

- :func:`skatteverket_numbers` / :func:`skatteverket_number` — Skatteverket's official
  **test** personnummer for births 2000–2012 (open data, CC0), shipped with the package;
- :func:`interim_number` — synthetic *interim* numbers (a letter in the serial, as school
  systems use for pupils without a number); no real personnummer contains a letter;
- :func:`hooks_with` — a fresh plugin facade with only the built-in plugins and the given
  ones (no installed plugins, nothing blocked from the environment).

A municipality plugin's test reads::

    from kaa.testing import hooks_with, skatteverket_number
    import kaa_min_kommun.plugin as plugin

    hooks = hooks_with(plugin)
    assert hooks.contact_timetable("1884")

The synthetic register used by the demo and the benchmarks is in :mod:`kaa.testing.synthetic`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.resources import files

from kaa.identity import IdentityNumber, check_digit
from kaa.plugins.manager import Hooks, make_plugin_manager

__all__ = ["hooks_with", "interim_number", "skatteverket_number", "skatteverket_numbers"]

_INTERIM_LETTERS = "TRSUWXJKLMN"


def hooks_with(*plugins: object) -> Hooks:
    """A fresh facade over a manager holding only the built-in plugins and ``plugins``.

    Entry-point plugins installed on the machine are not loaded and ``KAA_DISABLE_PLUGINS``
    is ignored, so a test sees exactly the national defaults, the shipped municipalities and
    the plugins it names.

    Args:
        plugins: Plugin objects (modules, classes or instances with ``@hookimpl`` functions).
    """
    return Hooks(make_plugin_manager(plugins=plugins, load_entrypoints=False, blocked=()))


@cache
def skatteverket_numbers() -> tuple[str, ...]:
    """Skatteverket's test personnummer born 2000–2012, as 12-digit strings."""
    text = files("kaa.data").joinpath("testpersonnummer-2000-2012.txt").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def _by_birth_date() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for number in skatteverket_numbers():
        grouped.setdefault(number[:8], []).append(number)
    return {k: tuple(v) for k, v in grouped.items()}


def skatteverket_number(day: dt.date, index: int = 0) -> IdentityNumber:
    """A Skatteverket test personnummer for someone born on ``day``.

    Args:
        day: The birth date (2000–2012; not every day has a test number).
        index: Which of the numbers for that day (there are usually two).

    Raises:
        LookupError: If Skatteverket published no test number for that day and index.
    """
    numbers = _by_birth_date().get(day.strftime("%Y%m%d"), ())
    if index >= len(numbers):
        raise LookupError(f"no Skatteverket test number #{index} for birth date {day}")
    return IdentityNumber.parse(numbers[index])


def interim_number(born: dt.date, serial: int) -> IdentityNumber:
    """A synthetic interim number ``YYYYMMDD-LNNC`` (letter ``L`` from T R S U W X J K L M N).

    Args:
        born: The birth date.
        serial: 0–1099; picks the letter and two digits (the last digit's parity is the sex).
    """
    letter = _INTERIM_LETTERS[serial // 100 % len(_INTERIM_LETTERS)]
    digits = f"{serial % 100:02d}"
    nine = born.strftime("%y%m%d") + "1" + digits
    check = check_digit(nine)
    return IdentityNumber.parse(f"{born:%Y%m%d}{letter}{digits}{check}")
