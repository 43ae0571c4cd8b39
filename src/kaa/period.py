"""Reporting periods: the half-years SCB collects (VT = 1 Jan–30 Jun, HT = 1 Jul–31 Dec), and
the other periods a committee asks for — years, tertials and any range of days.

>>> from kaa.period import HalfYear
>>> p = HalfYear.parse("2026H2")
>>> str(p), p.first_day.isoformat(), p.last_day.isoformat()
('HT 2026', '2026-07-01', '2026-12-31')

:class:`Period` is what the follow-up figures and the committee report take: a
:class:`HalfYear`, a :class:`Year`, a :class:`Tertial`, a :class:`DateRange` (or anything else
with first and last days, a code and a previous period). :func:`parse_period` reads any of
them from the forms a user types.

>>> from kaa.period import Period, Tertial, Year, parse_period
>>> [(str(q), q.code, str(q.previous())) for q in (p, Year(2026), Tertial(2026, 1))]
[('HT 2026', '2026H2', 'VT 2026'), ('2026', '2026', '2025'), ('T1 2026', '2026T1', 'T3 2025')]
>>> str(parse_period("2026-03-01..2026-05-31").previous())
'2025-12-01–2026-02-28'

When a case is open in a period, and which period its end belongs to, is one rule for the
follow-up (:mod:`kaa.followup`) and the SCB file (:mod:`kaa.scb.submission`):
:func:`open_window` and :func:`end_falls_in`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import attrs

from kaa.errors import InvalidInput

__all__ = [
    "DateRange",
    "HalfYear",
    "Period",
    "Tertial",
    "Year",
    "end_falls_in",
    "last_day_in_kaa",
    "open_window",
    "parse_period",
]

_ONE = dt.timedelta(days=1)
_CODE = re.compile(r"^\s*(\d{4})\s*[Hh]([12])\s*$")
_LABEL = re.compile(r"^\s*(VT|HT|vt|ht)\s*(\d{4})\s*$")
_TERTIAL_CODE = re.compile(r"^\s*(\d{4})\s*[Tt]([123])\s*$")
_TERTIAL_LABEL = re.compile(r"^\s*(?:[Tt]|[Tt]ertial\s*)([123])\s*(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|/)\s*(\d{4}-\d{2}-\d{2})\s*$")


@runtime_checkable
class Period(Protocol):
    """A reporting or follow-up period: :class:`HalfYear`, :class:`Year`, :class:`Tertial`
    or :class:`DateRange`.

    A day is in the period when it lies from :attr:`first_day` to :attr:`last_day`, both
    included; ``str()`` gives its label (``HT 2026``, ``2026``, ``T1 2026``).
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
        """The compact form, as in file names: ``2026H2``, ``2026``, ``2026T1``."""
        ...

    def previous(self) -> Period:
        """The comparable period just before this one (same kind, same length)."""
        ...

    def __contains__(self, day: object) -> bool: ...


def _within(period: Period, day: object) -> bool:
    return isinstance(day, dt.date) and period.first_day <= day <= period.last_day


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
        return _within(self, day)

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
            day += _ONE

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
        return _within(self, day)

    def __str__(self) -> str:
        return str(self.year)


def _month_start(year: int, month: int) -> dt.date:
    """The first day of a month counted from ``year``'s January (months may run over)."""
    index = year * 12 + (month - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


@attrs.frozen(order=True)
class Tertial:
    """A tertial (*tertial*), a third of the calendar year: ``Tertial(2026, 1)`` is January
    to April 2026, tertial 2 May to August, tertial 3 September to December.

    Stockholm follows up its KAA work "i samband med tertialrapporteringar" (Stockholms stad,
    *Handlingsplan för kommunens aktivitetsansvar 2025–2027*). The plan does not name the
    months; January–April, May–August and September–December are the ordinary meaning of a
    municipal tertial (the library's reading).

    Attributes:
        year: The calendar year.
        number: 1, 2 or 3.
    """

    year: int
    number: int = attrs.field(validator=attrs.validators.in_((1, 2, 3)))

    @classmethod
    def parse(cls, text: str) -> Tertial:
        """Read ``2026T1``, ``T1 2026`` or ``tertial 1 2026``.

        Raises:
            InvalidInput: If the text is none of those forms.
        """
        if m := _TERTIAL_CODE.match(text):
            return cls(int(m.group(1)), int(m.group(2)))
        if m := _TERTIAL_LABEL.match(text):
            return cls(int(m.group(2)), int(m.group(1)))
        raise InvalidInput(f"{text!r} is not a tertial: write it as 2026T1 (or 'T1 2026')")

    @classmethod
    def containing(cls, day: dt.date) -> Tertial:
        """The tertial that ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 4 + 1)

    @property
    def code(self) -> str:
        """The compact form, ``2026T1``."""
        return f"{self.year}T{self.number}"

    @property
    def label_sv(self) -> str:
        """The Swedish label, ``T1 2026`` (tertial 1)."""
        return f"T{self.number} {self.year}"

    @property
    def first_day(self) -> dt.date:
        """1 January, 1 May or 1 September."""
        return dt.date(self.year, 4 * (self.number - 1) + 1, 1)

    @property
    def last_day(self) -> dt.date:
        """30 April, 31 August or 31 December."""
        return _month_start(self.year, 4 * self.number + 1) - _ONE

    def previous(self) -> Tertial:
        """The tertial before this one (T3 of the year before T1)."""
        return Tertial(self.year, self.number - 1) if self.number > 1 else Tertial(self.year - 1, 3)

    def next(self) -> Tertial:
        """The tertial after this one."""
        return Tertial(self.year, self.number + 1) if self.number < 3 else Tertial(self.year + 1, 1)

    def __contains__(self, day: object) -> bool:
        return _within(self, day)

    def __str__(self) -> str:
        return self.label_sv


def _not_before_first(
    instance: DateRange, attribute: attrs.Attribute[dt.date], value: dt.date
) -> None:
    if value < instance.first:
        raise InvalidInput(
            f"the period ends {value.isoformat()}, before it starts {instance.first.isoformat()}"
        )


@attrs.frozen(order=True)
class DateRange:
    """Any range of days a committee asks for, both ends included.

    Its previous period is the comparable one just before it: when the range is whole
    calendar months (a quarter, say), the same number of whole months before it; otherwise
    the same number of days, ending the day before :attr:`first` (the library's choice).

    >>> import datetime as dt
    >>> q2 = DateRange(dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    >>> str(q2), q2.code, str(q2.previous())
    ('2026-04-01–2026-06-30', '2026-04-01_2026-06-30', '2026-01-01–2026-03-31')
    >>> str(DateRange(dt.date(2026, 3, 10), dt.date(2026, 3, 19)).previous())
    '2026-02-28–2026-03-09'

    Attributes:
        first: The first day.
        last: The last day (not before ``first``).
    """

    first: dt.date
    last: dt.date = attrs.field(validator=_not_before_first)

    @classmethod
    def parse(cls, text: str) -> DateRange:
        """Read ``2026-03-01..2026-05-31`` (also with ``–`` or ``/`` between the days).

        Raises:
            InvalidInput: If the text is not two ISO days, or the second is before the first.
        """
        m = _RANGE.match(text)
        if m is None:
            raise InvalidInput(
                f"{text!r} is not a range of days: write it as 2026-03-01..2026-05-31"
            )
        try:
            first, last = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
        except ValueError as exc:
            raise InvalidInput(f"{text!r} is not a range of days: {exc}") from None
        return cls(first, last)

    @property
    def first_day(self) -> dt.date:
        """The first day."""
        return self.first

    @property
    def last_day(self) -> dt.date:
        """The last day."""
        return self.last

    @property
    def code(self) -> str:
        """The compact form, ``2026-03-01_2026-05-31`` (as in file names)."""
        return f"{self.first.isoformat()}_{self.last.isoformat()}"

    @property
    def whole_months(self) -> int | None:
        """How many whole calendar months the range is, or ``None`` if it is not whole
        months."""
        if self.first.day != 1 or (self.last + _ONE).day != 1:
            return None
        after = self.last + _ONE
        return (after.year * 12 + after.month) - (self.first.year * 12 + self.first.month)

    def previous(self) -> DateRange:
        """The comparable range just before this one (see the class)."""
        months = self.whole_months
        if months is not None:
            first = _month_start(self.first.year, self.first.month - months)
            return DateRange(first, self.first - _ONE)
        length = self.last - self.first
        last = self.first - _ONE
        return DateRange(last - length, last)

    def __contains__(self, day: object) -> bool:
        return _within(self, day)

    def __str__(self) -> str:
        return f"{self.first.isoformat()}–{self.last.isoformat()}"


def parse_period(text: str) -> HalfYear | Year | Tertial | DateRange:
    """Read a period in any of the forms a user types.

    >>> [str(parse_period(t)) for t in ("2026H2", "VT 2026", "2026", "2026T3", "T1 2026")]
    ['HT 2026', 'VT 2026', '2026', 'T3 2026', 'T1 2026']

    Raises:
        InvalidInput: If the text is none of: a half-year (``2026H2``, ``HT 2026``), a year
            (``2026``), a tertial (``2026T1``, ``T1 2026``) or a range of days
            (``2026-03-01..2026-05-31``).
    """
    if m := _YEAR.match(text):
        return Year(int(m.group(1)))
    if _CODE.match(text) or _LABEL.match(text):
        return HalfYear.parse(text)
    if _TERTIAL_CODE.match(text) or _TERTIAL_LABEL.match(text):
        return Tertial.parse(text)
    if _RANGE.match(text):
        return DateRange.parse(text)
    raise InvalidInput(
        f"{text!r} is not a period: write a half-year (2026H2 or 'HT 2026'), a year (2026), "
        "a tertial (2026T1 or 'T1 2026') or a range of days (2026-03-01..2026-05-31)"
    )


# --- one rule for when a case is in a period -------------------------------------------------


def last_day_in_kaa(end_day: dt.date) -> dt.date:
    """The youth's last day in KAA when KAA ended on ``end_day``: the day before.

    The end day is the first day the youth is *out*: the duty ends the day the youth turns 20
    (29 kap. 9 § skollagen (2010:800): youths who "inte har fyllt 20 år"), and
    :meth:`kaa.model.case.Case.open_on` is false from the end day on.

    >>> last_day_in_kaa(dt.date(2027, 1, 1)).isoformat()
    '2026-12-31'
    """
    return end_day - _ONE


def end_falls_in(end_day: dt.date, period: Period) -> bool:
    """Whether an end of KAA on ``end_day`` belongs to ``period``: the youth's last day in
    KAA (:func:`last_day_in_kaa`) lies in it.

    A youth who turns 20 on 1 January is in KAA until 31 December, so the end is counted in
    the year (and HT) before — the same half-year as the SCB file reports it in
    (:func:`kaa.scb.submission.end_reported_in`), and the case is not open in the new year at
    all (:func:`open_window`). Which half-year SCB expects an end on the first day of a
    half-year in is not known; assigning it to the period of the last day in KAA is **the
    library's choice**, made once here so that the follow-up and the SCB file agree.

    >>> ht, vt = HalfYear(2026, 2), HalfYear(2027, 1)
    >>> end_falls_in(dt.date(2027, 1, 1), ht), end_falls_in(dt.date(2027, 1, 1), vt)
    (True, False)
    >>> end_falls_in(dt.date(2027, 1, 2), vt)
    True
    """
    return last_day_in_kaa(end_day) in period


def open_window(
    period: Period, registered: dt.date, end_day: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """The days of ``period`` on which a case registered on ``registered`` and ended on
    ``end_day`` (``None``: not ended) is open, as ``(first, last)``; ``None`` when there are
    none.

    The case is open from the registration day up to the youth's last day in KAA (the day
    before the end day, :func:`last_day_in_kaa`). A case counts for a period — in the
    follow-up and in the SCB file alike — when this window is not empty.

    >>> vt = HalfYear(2027, 1)
    >>> open_window(vt, dt.date(2026, 3, 1), dt.date(2027, 1, 1)) is None
    True
    >>> [d.isoformat() for d in open_window(vt, dt.date(2026, 3, 1), dt.date(2027, 1, 2))]
    ['2027-01-01', '2027-01-01']
    """
    first = max(period.first_day, registered)
    last = period.last_day if end_day is None else min(period.last_day, last_day_in_kaa(end_day))
    return (first, last) if first <= last else None
