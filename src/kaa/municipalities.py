"""Sweden's 290 municipalities (*kommuner*) and their four-digit *kommunkod*.

The table is SCB's "Kommuner i nummerordning" (the division in force since 2007: 290
municipalities in 21 counties), shipped as ``kaa/data/municipalities.csv``; see
``kaa/data/MUNICIPALITIES_SOURCE.md`` for its provenance. A *kommunkod* is always a
four-character string: the first two digits are the county (*län*) code, so Stockholms län's
municipalities start with ``01`` and the leading zero is part of the code.

    >>> from kaa.municipalities import municipality, is_municipality_code, by_name
    >>> str(municipality("1882"))
    '1882 Askersund'
    >>> municipality("0331").county_name
    'Uppsala län'
    >>> is_municipality_code("0180"), is_municipality_code("180")
    (True, False)
    >>> by_name("göteborg").code
    '1480'

Codes are never corrected silently: a code that lost its leading zero (for example after a
round trip through a spreadsheet) is rejected, with a hint.

    >>> municipality("180")
    Traceback (most recent call last):
        ...
    kaa.errors.UnknownMunicipality: unknown municipality code '180': ... did you mean 0180?
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files

import attrs

from kaa.errors import UnknownMunicipality

__all__ = [
    "Municipality",
    "all_municipalities",
    "by_name",
    "is_municipality_code",
    "municipality",
]

_DATA_FILE = "municipalities.csv"
_COLUMNS = ("code", "name", "county_code", "county_name")
_NAME_SUFFIXES = (" kommun", " stad", " kommunförvaltning")


@attrs.frozen(kw_only=True)
class Municipality:
    """One Swedish municipality (*kommun*).

    Attributes:
        code: The four-digit *kommunkod*, for example ``"1882"`` (with a leading zero in
            Stockholms län, for example ``"0180"``).
        name: The name as SCB writes it, without "kommun", for example ``"Askersund"``.
        county_code: The two-digit county (*län*) code, the first two digits of ``code``.
        county_name: The county's name, for example ``"Örebro län"``.
    """

    code: str
    name: str
    county_code: str
    county_name: str

    def __str__(self) -> str:
        """Return the code and the name, for example ``1882 Askersund``."""
        return f"{self.code} {self.name}"


@cache
def _table() -> dict[str, Municipality]:
    """Load the shipped CSV once: every municipality by code, in code order."""
    text = files("kaa.data").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise RuntimeError(f"kaa/data/{_DATA_FILE} has columns {reader.fieldnames!r}")
    rows = [
        Municipality(
            code=row["code"],
            name=row["name"],
            county_code=row["county_code"],
            county_name=row["county_name"],
        )
        for row in reader
    ]
    return {m.code: m for m in sorted(rows, key=lambda m: m.code)}


@cache
def _names() -> dict[str, Municipality]:
    """Every municipality by its case-folded name."""
    return {m.name.casefold(): m for m in _table().values()}


def _code_hint(code: object) -> str:
    """A hint for a code that is close to a real one, or an empty string."""
    table = _table()
    text = code if isinstance(code, str) else str(code)
    if not isinstance(code, str) and text in table:  # a caller ignored the type hint
        return f"; a kommunkod is a string: did you mean {text!r}?"
    if len(text) == 3 and text.isdigit() and f"0{text}" in table:
        return f"; did you mean 0{text}?"
    stripped = text.strip()
    if stripped != text and stripped in table:
        return f"; did you mean {stripped!r} (without surrounding whitespace)?"
    return ""


def _name_hint(name: str) -> str:
    """A hint for a name written with "kommun" or "stad" after it, or an empty string."""
    folded = name.strip().casefold()
    for suffix in _NAME_SUFFIXES:
        if folded.endswith(suffix):
            base = folded.removesuffix(suffix)
            for candidate in (base, base.removesuffix("s")):
                found = _names().get(candidate)
                if found is not None:
                    return f"; did you mean {found.name!r} ({found.code})?"
    found = _names().get(folded)
    if found is not None:
        return f"; did you mean {found.name!r} ({found.code})?"
    return ""


def municipality(code: str) -> Municipality:
    """Look up a municipality by its four-digit *kommunkod*.

    The code must be exactly as SCB writes it, four digits with any leading zero. Nothing
    is corrected: ``"180"`` is rejected (with a hint that ``"0180"`` may be meant).

    Args:
        code: The *kommunkod*, for example ``"1882"`` or ``"0180"``.

    Returns:
        The municipality.

    Raises:
        UnknownMunicipality: If ``code`` is not one of the 290 municipality codes. The
            message names the rejected code.
    """
    found = _table().get(code)
    if found is not None:
        return found
    raise UnknownMunicipality(
        f"unknown municipality code {code!r}: not one of Sweden's 290 kommunkoder{_code_hint(code)}"
    )


def is_municipality_code(code: str) -> bool:
    """Whether ``code`` is one of the 290 four-digit municipality codes.

    Args:
        code: The candidate *kommunkod*. Anything that is not a ``str`` is not a code.

    Returns:
        ``True`` for a valid code such as ``"0180"``; ``False`` otherwise (also for
        ``"180"``, which has lost its leading zero).
    """
    return isinstance(code, str) and code in _table()


def all_municipalities() -> tuple[Municipality, ...]:
    """Every Swedish municipality, sorted by code.

    Returns:
        The 290 municipalities, from ``0114 Upplands Väsby`` to ``2584 Kiruna``.
    """
    return tuple(_table().values())


def by_name(name: str) -> Municipality:
    """Look up a municipality by its name, ignoring case.

    The name must be the whole name as SCB writes it (``"Upplands Väsby"``,
    ``"Malung-Sälen"``, ``"Gotland"``), in any case; no prefix or fuzzy matching.

    Args:
        name: The municipality's name, for example ``"askersund"``.

    Returns:
        The municipality.

    Raises:
        UnknownMunicipality: If no municipality has that name. The message names the
            rejected name, with a hint when it was written as, say, ``"Askersunds kommun"``.
    """
    found = _names().get(name.casefold())
    if found is not None:
        return found
    raise UnknownMunicipality(
        f"unknown municipality name {name!r}: not one of Sweden's 290 kommuner{_name_hint(name)}"
    )
