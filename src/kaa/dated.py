"""Everything dated: versions of a rule over time, and all date arithmetic.

A :class:`Timeline` is the one primitive for anything that changes on a day — the target-group
rule, a municipality's contact timetable, an allowance amount. Each :class:`Version` is valid
from its ``start`` until the next version starts; a change appends a version, nobody edits an
earlier version's end. Asking for a day before the first version raises
:class:`~kaa.errors.RuleNotInForce`: there is no silent default.

Date arithmetic is done here too, always as an offset from the original anchor
(``anchor + relativedelta(weeks=8)``), never by chaining month additions.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from kaa.errors import KaaError, RuleNotInForce
from kaa.law import Citation, DocumentReference

__all__ = ["Timeline", "Version", "add", "birthday", "days_between", "iso_date", "iso_date_time"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Version(Generic[T]):
    """One version of a dated rule or value.

    Attributes:
        start: The first day this version applies.
        value: What applies: a value, or a small strategy object when the law changed *how*
            something is decided.
        title: A short description of what this version is ("IM pupils out of the target
            group").
        citation: The statute (or document) this version rests on.
        sources: Further references: amending acts and preparatory works.
    """

    start: dt.date
    value: T
    title: str
    citation: Citation | DocumentReference
    sources: tuple[str, ...] = ()


class Timeline(Generic[T]):
    """Versions of one rule, ordered by start day, with no gaps and no overlaps.

    Args:
        rule_id: The stable dotted id of the rule, e.g. ``"kaa.target_group"``.
        versions: At least one version; start days must be distinct.

    Raises:
        KaaError: If there is no version or two versions start on the same day.
    """

    __slots__ = ("_starts", "_versions", "rule_id")

    def __init__(self, rule_id: str, versions: Iterable[Version[T]]) -> None:
        ordered = sorted(versions, key=lambda v: v.start)
        if not ordered:
            raise KaaError(f"timeline {rule_id!r} needs at least one version")
        for earlier, later in itertools.pairwise(ordered):
            if earlier.start == later.start:
                raise KaaError(
                    f"timeline {rule_id!r} has two versions starting {later.start.isoformat()}"
                )
        self.rule_id = rule_id
        self._versions: tuple[Version[T], ...] = tuple(ordered)
        self._starts: tuple[dt.date, ...] = tuple(v.start for v in ordered)

    def __repr__(self) -> str:
        starts = ", ".join(s.isoformat() for s in self._starts)
        return f"Timeline({self.rule_id!r}, starts=[{starts}])"

    def __iter__(self) -> Iterator[Version[T]]:
        return iter(self._versions)

    def __len__(self) -> int:
        return len(self._versions)

    @property
    def versions(self) -> tuple[Version[T], ...]:
        """All versions, oldest first."""
        return self._versions

    @property
    def first_day(self) -> dt.date:
        """The day the first version came into force."""
        return self._starts[0]

    @property
    def change_days(self) -> tuple[dt.date, ...]:
        """The start day of every version, oldest first."""
        return self._starts

    def at(self, day: dt.date) -> Version[T]:
        """The version in force on ``day``.

        Raises:
            RuleNotInForce: If ``day`` is before the first version.
        """
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            raise RuleNotInForce(self.rule_id, day, self._starts[0])
        return self._versions[index]

    def value_at(self, day: dt.date) -> T:
        """The value of the version in force on ``day`` (see :meth:`at`)."""
        return self.at(day).value

    def end_of(self, version: Version[T]) -> dt.date | None:
        """The last day ``version`` applies, or ``None`` if it is the current one."""
        index = self._versions.index(version)
        if index + 1 == len(self._versions):
            return None
        return self._starts[index + 1] - dt.timedelta(days=1)

    def appended(self, version: Version[T]) -> Timeline[T]:
        """A new timeline with ``version`` added after the last one.

        Raises:
            KaaError: If ``version`` does not start after the current last version.
        """
        if version.start <= self._starts[-1]:
            raise KaaError(
                f"a new version of {self.rule_id!r} must start after "
                f"{self._starts[-1].isoformat()}, not on {version.start.isoformat()}"
            )
        return Timeline(self.rule_id, (*self._versions, version))


def add(
    anchor: dt.date, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0
) -> dt.date:
    """The day that lies the given offset after ``anchor`` (negative offsets go back).

    Months and years are calendar months and years (``2026-01-31`` + 1 month is
    ``2026-02-28``). Always offset from the original anchor; never chain calls.
    """
    return anchor + relativedelta(years=years, months=months, weeks=weeks, days=days)


def days_between(first: dt.date, last: dt.date) -> int:
    """Whole days from ``first`` to ``last`` (negative if ``last`` is earlier)."""
    return (last - first).days


@functools.lru_cache(maxsize=8192)  # a few thousand birth dates; asked for in every decision
def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone born on ``born`` turns ``years`` old.

    Someone born on 29 February has their birthday on 1 March in a year that is not a leap
    year (the library's convention; no source settles it).
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def iso_date(text: str) -> dt.date | None:
    """The day written exactly ``YYYY-MM-DD``, or ``None`` for anything else.

    The whole text must be the date — nothing before or after it, no other ISO 8601 form
    (``20240612``, ``2024-W24-3``), no out-of-range day — so a malformed cell is never read as
    a different, shorter one::

        >>> iso_date("2024-06-12"), iso_date("2024-06-1299"), iso_date("2024-06-12 x")
        (datetime.date(2024, 6, 12), None, None)
    """
    if (
        len(text) != 10
        or text[4] != "-"
        or text[7] != "-"
        or not (text[:4] + text[5:7] + text[8:]).isdigit()
        or not text.isascii()
    ):
        return None
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


def iso_date_time(text: str) -> dt.date | None:
    """The day of a text that is exactly ``YYYY-MM-DD``, or that date followed by ``T`` or a
    space and a valid ISO time (``2024-06-12T10:30:00+02:00``, as spreadsheets and APIs write
    a date-time); ``None`` for anything else, trailing text included::

        >>> iso_date_time("2024-06-12 00:00:00"), iso_date_time("2024-06-12 garbage")
        (datetime.date(2024, 6, 12), None)
    """
    day = iso_date(text[:10])
    if day is None or len(text) == 10:
        return day if len(text) == 10 else None
    if text[10] not in "T " or len(text) < 13 or not text.isascii():
        return None
    try:
        dt.time.fromisoformat(text[11:])
    except ValueError:
        return None
    return day
