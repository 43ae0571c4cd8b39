"""Reporting periods: the half-years SCB collects (VT = 1 Jan–30 Jun, HT = 1 Jul–31 Dec).

>>> from kaa.period import HalfYear
>>> p = HalfYear.parse("2026H2")
>>> str(p), p.first_day.isoformat(), p.last_day.isoformat()
('HT 2026', '2026-07-01', '2026-12-31')

:class:`Period` is what the follow-up figures and the committee report take: a
:class:`HalfYear` or a :class:`Year` (or anything else with first and last days, a code and a
previous period).

>>> from kaa.period import Period, Year
>>> [(str(q), q.code, str(q.previous())) for q in (p, Year(2026)) if isinstance(q, Period)]
[('HT 2026', '2026H2', 'VT 2026'), ('2026', '2026', '2025')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import attrs

from kaa.errors import InvalidInput

__all__ = ["HalfYear", "Period", "Year"]

_CODE = re.compile(r"^\s*(\d{4})\s*[Hh]([12])\s*$")
_LABEL = re.compile(r"^\s*(VT|HT|vt|ht)\s*(\d{4})\s*$")


@runtime_checkable
class Period(Protocol):
    """A reporting or follow-up period: :class:`HalfYear` or :class:`Year`.

    A day is in the period when it lies from :attr:`first_day` to :attr:`last_day`, both
    included; ``str()`` gives its label (``HT 2026``, ``2026``).
    """

    @property
    def first_day(self) -> dt.date:
        """The first day of the period."""
        ...

    @property
    def last_day(self) -> dt.date:
        """The last day of the period."""
        ...

    @property
    def code(self) -> str:
        """The compact form, as in file names: ``2026H2``, ``2026``."""
        ...

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        ...

    def __contains__(self, day: object) -> bool: ...


@attrs.frozen(order=True)
class HalfYear:
    """A half-year: ``HalfYear(2026, 2)`` is *HT 2026*, 1 July to 31 December 2026.

    Attributes:
        year: The calendar year.
        half: 1 for the spring term (*vårtermin*, VT), 2 for the autumn term (*hösttermin*, HT).
    """

    year: int
    half: int = attrs.field(validator=attrs.validators.in_((1, 2)))

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """Read ``2026H2``, ``2026h1``, ``HT 2026`` or ``VT2026``.

        Raises:
            InvalidInput: If the text is none of those forms.
        """
        if m := _CODE.match(text):
            return cls(int(m.group(1)), int(m.group(2)))
        if m := _LABEL.match(text):
            return cls(int(m.group(2)), 1 if m.group(1).upper() == "VT" else 2)
        raise InvalidInput(
            f"{text!r} is not a half-year: write it as 2026H2 (or 'HT 2026'), 2026H1 ('VT 2026')"
        )

    @classmethod
    def containing(cls, day: dt.date) -> HalfYear:
        """The half-year that ``day`` falls in."""
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def code(self) -> str:
        """The compact form, ``2026H2``."""
        return f"{self.year}H{self.half}"

    @property
    def label_sv(self) -> str:
        """The Swedish label, ``HT 2026`` or ``VT 2026``."""
        return f"{'VT' if self.half == 1 else 'HT'} {self.year}"

    @property
    def first_day(self) -> dt.date:
        """1 January or 1 July."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> dt.date:
        """30 June or 31 December."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first_day <= day <= self.last_day

    def previous(self) -> HalfYear:
        """The half-year before this one."""
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)

    def next(self) -> HalfYear:
        """The half-year after this one."""
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def days(self) -> Iterator[dt.date]:
        """Every day of the half-year, in order."""
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.label_sv


@attrs.frozen(order=True)
class Year:
    """A calendar year as a follow-up period (both half-years).

    Attributes:
        year: The calendar year.
    """

    year: int

    @property
    def first_day(self) -> dt.date:
        """1 January."""
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        """31 December."""
        return dt.date(self.year, 12, 31)

    @property
    def code(self) -> str:
        """The compact form, ``2026`` (as in file names)."""
        return str(self.year)

    def previous(self) -> Year:
        """The year before this one."""
        return Year(self.year - 1)

    @property
    def halves(self) -> tuple[HalfYear, HalfYear]:
        """VT and HT of the year."""
        return HalfYear(self.year, 1), HalfYear(self.year, 2)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day.year == self.year

    def __str__(self) -> str:
        return str(self.year)
