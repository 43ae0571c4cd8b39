"""Swedish personal identity numbers: *personnummer*, *samordningsnummer* and interim numbers.

A youth in the KAA register is identified by one :class:`IdentityNumber`. Three kinds occur in
real exports (see ``DOMAIN.md`` §3):

* **personnummer** — ``YYMMDD-NNNC`` or ``YYYYMMDDNNNC``. ``NNN`` is the birth serial, whose
  last digit (the 9th digit of the 10-digit form) is odd for men and even for women; ``C`` is a
  Luhn check digit over the 10-digit form ``YYMMDDNNN``. In the 10-digit form the separator is
  ``+`` instead of ``-`` from the day the person turns 100.
* **samordningsnummer** (coordination number) — as a personnummer, but 60 is added to the day of
  month (``20080161`` is born 1 January 2008). When the birth date is not known the month may
  be ``00`` and/or the day ``60`` (day 0 + 60). The day is only checked to be 1-31 (61-91), not
  against the length of the month: Skatteverket's own published test samordningsnummer
  (``allCoords.json``) include 24 numbers dated 29-31 February, 31 April, 31 June, 31 September
  or 31 November. Such a number is valid, but its birth date is treated as not known.
* **interim numbers** — used by school systems and registers for pupils who have no number yet:
  one of the letters ``T R S U W X J K L M N`` replaces the first digit of the four-character
  serial part (``20000101-T220``). For the Luhn check the letter counts as the digit ``1``
  (personnummer package specification v3.1).

Accepted input forms: 10 or 12 digits, with ``-``, ``+`` or no separator, optionally surrounded
by whitespace, or an :class:`int`. The 10-digit forms carry no century: it is resolved against a
reference day ``on`` (default: today). With ``-`` or no separator the person is taken to be
under 100 on that day — the most recent century that puts the birth date on or before ``on``;
with ``+`` the person is 100 or older. In a 12-digit form the separator does not matter.

Rejected: a bad check digit; a date that is not a calendar date (for a samordningsnummer: a
month that is not 00-12 or a day that is not 60-91); the serial ``000``, which is never issued
(the ``(?!000)`` rule of the personnummer implementations; ``list.json`` holds a case that
passes the Luhn check but is invalid for it); *organisationsnummer*, recognised by a month part
of 20 or more; any letter other than the eleven interim letters; anything else that does not
have the shape above.

Conventions of this library that none of the sources settles:

* A person born on 29 February turns a year older on **1 March** in a year that is not a leap
  year (:meth:`IdentityNumber.birthday`, :meth:`IdentityNumber.age_on`).
* A samordningsnummer whose date is not known covers, for
  :meth:`~IdentityNumber.earliest_possible_birth_date` and
  :meth:`~IdentityNumber.latest_possible_birth_date`, the whole year when the month is ``00``
  (even if a day is given) and the whole month when the day is ``60`` or a day the month does
  not have. For the century of a 10-digit form and for the ``+`` sign, unknown parts compare as
  early as possible.
* An interim number must carry a real calendar date (no day + 60); a lower-case interim letter
  is accepted and stored in upper case.
* An integer with fewer than 10 digits is taken to have lost its leading zeros.

A number is never shown whole by ``repr``, ``str``, ``format`` or an exception message: those
show the masked form ``20080101-****`` (:meth:`IdentityNumber.masked`). The full number is only
returned by :meth:`IdentityNumber.full`, which an output writer calls explicitly.

    >>> import datetime as dt
    >>> from kaa.identity import IdentityNumber
    >>> number = IdentityNumber.parse("20000229-2399")
    >>> number
    IdentityNumber('20000229-****')
    >>> number.kind.name, number.sex.name, number.birth_date.isoformat()
    ('PERSONNUMMER', 'MALE', '2000-02-29')
    >>> number.full("separated", on=dt.date(2026, 1, 1))
    '000229-2399'

Sources:
    * personnummer/meta test suite and package specification (MIT, "Copyright (c) Personnummer
      and Contributors"), https://github.com/personnummer/meta — ``list.json``,
      ``interim.json``, ``orgnumber.json`` and ``allCoords.json`` are copied under
      ``tests/data/personnummer-meta/``.
    * Skatteverket's open data *Testpersonnummer* (CC0), numbers that are never assigned to
      real people, copied under ``tests/data/skatteverket/``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Final, Literal, NoReturn, SupportsIndex

from kaa.errors import InvalidIdentityNumber, InvalidInput

__all__ = ["FullFormat", "IdentityKind", "IdentityNumber", "Sex", "luhn_ok"]

FullFormat = Literal["long", "separated_long", "short", "separated"]
"""The forms :meth:`IdentityNumber.full` can write.

``long`` is ``YYYYMMDDNNNC``, ``separated_long`` is ``YYYYMMDD-NNNC``, ``short`` is
``YYMMDDNNNC`` and ``separated`` is ``YYMMDD-NNNC`` (``+`` for the separated forms when the
person is 100 or older).
"""


class IdentityKind(enum.Enum):
    """Which kind of identity number a valid number is."""

    PERSONNUMMER = "personnummer"
    """A personnummer, issued to everyone registered in Sweden (*folkbokförd*)."""
    SAMORDNINGSNUMMER = "samordningsnummer"
    """A coordination number: day of month + 60; month ``00``/day ``60`` when not known."""
    INTERIM = "interim"
    """An interim number: a letter replaces the first digit of the serial part."""


class Sex(enum.Enum):
    """Legal sex as recorded in the number (the 9th digit of the 10-digit form)."""

    MALE = "male"
    """The 9th digit is odd."""
    FEMALE = "female"
    """The 9th digit is even."""


_PERSONNUMMER: Final = IdentityKind.PERSONNUMMER
_SAMORDNINGSNUMMER: Final = IdentityKind.SAMORDNINGSNUMMER
_INTERIM: Final = IdentityKind.INTERIM
_MASK: Final = "-****"
_INTERIM_LETTERS: Final = frozenset("TRSUWXJKLMNtrsuwxjklmn")
_SEPARATORS: Final = frozenset(("", "-", "+"))
_DIGIT_CHARS: Final = frozenset("0123456789")
# Luhn: the value a digit contributes in a doubled position (2·d, minus 9 when over 9), and
# what each two-digit pair "ab" (a doubled, b not) contributes, so a 10-digit check is five
# look-ups.
_DOUBLED: Final = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
_PAIR: Final = {f"{a}{b}": _DOUBLED[a] + b for a in range(10) for b in range(10)}
_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The most days a month can have in any year (index 0: month 00). A day above it is compared
# as unknown (0) when the century of a 10-digit form is resolved.
_MOST_DAYS: Final = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_COORDINATION_OFFSET: Final = 60

_SHAPE: Final = (
    "not a valid identity number: expected 10 or 12 digits, as YYMMDD-NNNC or "
    "YYYYMMDD-NNNC (an interim number may have one of the letters T R S U W X J K L M N "
    "as the first character after the date)"
)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


def _luhn_digits(ten: str) -> bool:
    """Luhn check of 10 ASCII digits (no validation of the characters)."""
    p = _PAIR
    return (p[ten[:2]] + p[ten[2:4]] + p[ten[4:6]] + p[ten[6:8]] + p[ten[8:]]) % 10 == 0


def check_digit(nine: str) -> int:
    """The Luhn check digit for the first nine digits ``YYMMDDNNN`` of an identity number.

    An interim letter in the 7th position counts as the digit 1, as in :func:`luhn_ok`.

        >>> check_digit("811218987")
        6

    Raises:
        InvalidInput: If ``nine`` is not nine ASCII digits (with at most that one letter).
    """
    if len(nine) == 9 and nine[6] in _INTERIM_LETTERS:
        nine = f"{nine[:6]}1{nine[7:]}"
    if len(nine) != 9 or not (nine.isascii() and nine.isdigit()):
        raise InvalidInput("a check digit needs nine digits YYMMDDNNN")
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 - i % 2)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def luhn_ok(ten_chars: str) -> bool:
    """Whether a 10-character ``YYMMDDNNNC`` string passes the Luhn check.

    An interim letter (``T R S U W X J K L M N``) in the 7th position counts as the digit 1,
    as in the personnummer package specification v3.1.

    Args:
        ten_chars: The 10-character form, without century or separator.

    Returns:
        ``True`` if the check digit matches; ``False`` if it does not, or if ``ten_chars`` is
        not 10 ASCII digits (with at most that one interim letter).
    """
    if len(ten_chars) != 10:
        return False
    if ten_chars[6] in _INTERIM_LETTERS:
        ten_chars = f"{ten_chars[:6]}1{ten_chars[7:]}"
    if not (ten_chars.isascii() and ten_chars.isdigit()):
        return False
    return _luhn_digits(ten_chars)


def _reject(shown: str, reason: str) -> str:
    return f"{shown}{_MASK} is not a valid identity number: {reason}"


def _check(text: str, on: dt.date | None) -> IdentityNumber | str:
    """Parse stripped-or-not ``text``: the number, or the error message (never the serial)."""
    s = text.strip()
    n = len(s)
    if n == 12:
        head, sep, serial = s[:8], "", s[8:]
    elif n == 13:
        head, sep, serial = s[:8], s[8], s[9:]
    elif n == 11:
        head, sep, serial = s[:6], s[6], s[7:]
    elif n == 10:
        head, sep, serial = s[:6], "", s[6:]
    else:
        return _SHAPE
    first = serial[0]
    rest = serial[1:]
    if (
        not (head.isascii() and head.isdigit() and rest.isascii() and rest.isdigit())
        or sep not in _SEPARATORS
    ):
        return _SHAPE
    interim = first not in _DIGIT_CHARS
    if interim and first not in _INTERIM_LETTERS:
        if first.isalpha():
            return _reject(
                head,
                "the character after the date is a letter, but not one of the interim "
                "letters T R S U W X J K L M N",
            )
        return _SHAPE
    date6 = head[-6:]
    if not _luhn_digits(f"{date6}1{rest}" if interim else f"{date6}{serial}"):
        return _reject(head, "the check digit (the last digit) does not match")
    if serial[:3] == "000":
        return _reject(head, "the birth serial 000 is never issued")

    month = int(date6[2:4])
    day_part = int(date6[4:6])
    if month >= 20:
        return _reject(
            head,
            "the month part is 20 or more, as in an organisationsnummer; "
            "organisation numbers are not personal identity numbers",
        )
    if month > 12:
        return _reject(head, f"the month part {date6[2:4]} is not a month (01-12)")
    if day_part >= _COORDINATION_OFFSET:
        if interim:
            return _reject(head, "an interim number cannot have a samordningsnummer day (+60)")
        day = day_part - _COORDINATION_OFFSET
        if day > 31:
            return _reject(
                head,
                f"the day part {date6[4:6]} is not a day (01-31; 60-91 in a samordningsnummer)",
            )
        kind = _SAMORDNINGSNUMMER
    else:
        day = day_part
        if month == 0:
            return _reject(head, "month 00 is only allowed in a samordningsnummer")
        if day == 0 or day > 31:
            return _reject(
                head,
                f"the day part {date6[4:6]} is not a day (01-31; 60-91 in a samordningsnummer)",
            )
        kind = _INTERIM if interim else _PERSONNUMMER

    if n >= 12:
        year = int(head[:4])
        canonical = f"{head}{first.upper()}{rest}" if interim else f"{head}{serial}"
    else:
        if on is None:
            on = dt.date.today()
        ref = on.year - 100 if sep == "+" else on.year
        year = ref - ref % 100 + int(date6[:2])
        # The date is compared as written; an unknown month or day (and a day no such month
        # ever has, like 30 February) compares as 0, i.e. as early as possible, so the most
        # recent century in which the person may have been born already is chosen.
        key_day = day if day <= _MOST_DAYS[month] else 0
        if (year, month, key_day) > (ref, on.month, on.day):
            year -= 100
        if year < 1:
            return _reject(head, "the century cannot be resolved against the reference day")
        canonical = f"{year:04d}{date6[2:]}{first.upper()}{rest}"
    if year < 1:
        return _reject(head, "year 0000 is not a year")
    if kind is not _SAMORDNINGSNUMMER and day > _days_in(year, month):
        return _reject(head, f"{year:04d}-{date6[2:4]}-{day:02d} is not a calendar date")

    number: IdentityNumber = _new(IdentityNumber)
    _set(number, "_digits", canonical)
    _set(number, "kind", kind)
    return number


_new = object.__new__
_set = object.__setattr__


class IdentityNumber:
    """A valid personnummer, samordningsnummer or interim number.

    Build one with :meth:`parse`. The number is kept in the canonical 12-character form
    ``YYYYMMDDNNNC`` (the letter kept, upper case, for an interim number); equality, hashing
    and ordering use that form, so numbers sort by birth year, month and day as written (a
    samordningsnummer's day + 60 after the personnummer of the same month), then serial.

    ``repr``, ``str`` and ``format`` show only the masked form (``20080101-****``); call
    :meth:`full` when an output really needs the whole number. The class is deliberately not
    an attrs or dataclass class and cannot be pickled, so generic serialisers cannot open it:
    ``attrs.asdict`` and ``cattrs`` keep the object itself (whose text is masked),
    ``json.dumps(..., default=str)`` writes the masked form, and ``pickle`` refuses.

    Attributes:
        kind: Personnummer, samordningsnummer or interim number.
    """

    __slots__ = ("_born", "_digits", "kind")

    _digits: str
    kind: IdentityKind
    _born: dt.date | None  # birth_date, set the first time it is asked for

    def __init__(self, _digits: str) -> None:
        # Only reached through the constructor (not through ``parse``): check that the
        # canonical form really is one.
        digits: object = _digits
        checked = _check(digits, None) if isinstance(digits, str) and len(digits) == 12 else None
        if not isinstance(checked, IdentityNumber) or checked._digits != digits:
            raise InvalidIdentityNumber(
                "IdentityNumber() needs the canonical 12-character form YYYYMMDDNNNC; "
                "use IdentityNumber.parse() to read other forms"
            )
        _set(self, "_digits", checked._digits)
        _set(self, "kind", checked.kind)

    # -- an immutable value ------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("an IdentityNumber cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("an IdentityNumber cannot be changed")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits == other._digits

    def __ne__(self, other: object) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits != other._digits

    def __lt__(self, other: IdentityNumber) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits < other._digits

    def __le__(self, other: IdentityNumber) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits <= other._digits

    def __gt__(self, other: IdentityNumber) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits > other._digits

    def __ge__(self, other: IdentityNumber) -> bool:
        if other.__class__ is not IdentityNumber:
            return NotImplemented
        return self._digits >= other._digits

    def __hash__(self) -> int:
        return hash(self._digits)  # a text keeps its hash: no tuple made at every lookup

    def __copy__(self) -> IdentityNumber:
        return self

    def __deepcopy__(self, memo: object) -> IdentityNumber:
        return self

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        """Refuse to be pickled: a pickle would hold the whole number.

        Raises:
            TypeError: Always; write the number explicitly with :meth:`full` where an output
                really needs it.
        """
        raise TypeError(
            "an IdentityNumber is not pickled (the pickle would hold the whole number); "
            "store IdentityNumber.full() explicitly where an output needs it"
        )

    def __reduce__(self) -> NoReturn:
        """See :meth:`__reduce_ex__`."""
        self.__reduce_ex__(0)

    @classmethod
    def parse(cls, text: str | int, *, on: dt.date | None = None) -> IdentityNumber:
        """Read a personnummer, samordningsnummer or interim number.

        Args:
            text: ``YYMMDD-NNNC``, ``YYMMDD+NNNC``, ``YYMMDDNNNC``, ``YYYYMMDD-NNNC``,
                ``YYYYMMDDNNNC`` (whitespace around it is ignored; a lower-case interim letter
                is accepted and stored in upper case), or an integer. An integer with fewer
                than 10 digits is taken to have lost leading zeros (``2292399`` is
                ``0002292399``), as happens when a spreadsheet stores the 10-digit form as a
                number.
            on: The reference day for the century of a 10-digit form: with ``-`` or no
                separator the person is under 100 on that day, with ``+`` 100 or older.
                Defaults to today. Ignored for 12-digit forms.

        Returns:
            The number.

        Raises:
            InvalidIdentityNumber: If the text is not a valid number. The message shows at
                most the date part, never the last four characters.
        """
        global _last_parsed
        if text.__class__ is str:
            last = _last_parsed
            if last is not None and last[0] == text and last[1] == on:
                return last[2]
            result = _check(text, on)
            if isinstance(result, str):
                raise InvalidIdentityNumber(result)
            # A 10-digit form read against today is not kept: today changes.
            if on is not None or len(text.strip()) >= 12:
                _last_parsed = (text, on, result)
            return result
        if isinstance(text, str):
            result = _check(text, on)
        elif isinstance(text, int) and not isinstance(text, bool) and text >= 0:
            result = _check(f"{text:010d}", on)
        else:
            raise InvalidIdentityNumber(
                f"not a valid identity number: expected a string or a non-negative integer, "
                f"got {type(text).__name__}"
            )
        if isinstance(result, str):
            raise InvalidIdentityNumber(result)
        return result

    @classmethod
    def is_valid(cls, text: str | int, *, on: dt.date | None = None) -> bool:
        """Whether :meth:`parse` would accept ``text``. Never raises.

        Args:
            text: As for :meth:`parse`.
            on: As for :meth:`parse`.

        Returns:
            ``True`` if ``text`` is a valid personnummer, samordningsnummer or interim number.
        """
        if isinstance(text, str):
            return not isinstance(_check(text, on), str)
        if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
            return not isinstance(_check(f"{text:010d}", on), str)
        return False

    # -- what the number says ------------------------------------------------------------

    @property
    def is_interim(self) -> bool:
        """Whether this is an interim number (a letter in the serial part)."""
        return self.kind is IdentityKind.INTERIM

    @property
    def is_coordination(self) -> bool:
        """Whether this is a samordningsnummer (day of month + 60)."""
        return self.kind is IdentityKind.SAMORDNINGSNUMMER

    @property
    def birth_year(self) -> int:
        """The year of birth (always known)."""
        return int(self._digits[:4])

    @property
    def birth_month(self) -> int | None:
        """The month of birth, or ``None`` for a samordningsnummer with month ``00``."""
        month = int(self._digits[4:6])
        return month or None

    @property
    def _day(self) -> int:
        """Day of month, 0 when unknown."""
        day = int(self._digits[6:8])
        return day - _COORDINATION_OFFSET if day >= _COORDINATION_OFFSET else day

    @property
    def birth_date(self) -> dt.date | None:
        """The date of birth; ``None`` only for a samordningsnummer whose date is not known.

        For a samordningsnummer 60 is subtracted from the day. Its date is not known when the
        month is ``00``, the day ``60``, or the day does not exist in that month (``19300290``,
        30 February: such numbers are issued, see the module documentation).
        """
        try:
            return self._born
        except AttributeError:  # the first time: a year run asks about a dozen times
            pass
        year = int(self._digits[:4])
        month = int(self._digits[4:6])
        day = self._day
        born = (
            None
            if month == 0 or day == 0 or day > _days_in(year, month)
            else dt.date(year, month, day)
        )
        _set(self, "_born", born)
        return born

    def earliest_possible_birth_date(self) -> dt.date:
        """The earliest day the person can have been born.

        Returns:
            :attr:`birth_date` when known; for a samordningsnummer whose date is not known,
            the first day of the month (day ``60``, or a day the month does not have) or of the
            year (month ``00``, whatever the day part says).
        """
        born = self.birth_date
        if born is not None:
            return born
        year = self.birth_year
        return dt.date(year, int(self._digits[4:6]) or 1, 1)

    def latest_possible_birth_date(self) -> dt.date:
        """The latest day the person can have been born.

        Returns:
            :attr:`birth_date` when known; for a samordningsnummer whose date is not known,
            the last day of the month (day ``60``, or a day the month does not have) or of the
            year (month ``00``, whatever the day part says).
        """
        born = self.birth_date
        if born is not None:
            return born
        year = self.birth_year
        month = int(self._digits[4:6])
        if month == 0:
            return dt.date(year, 12, 31)
        return dt.date(year, month, _days_in(year, month))

    @property
    def sex(self) -> Sex:
        """Legal sex: the 9th digit of the 10-digit form is odd for men, even for women."""
        return Sex.MALE if int(self._digits[10]) % 2 else Sex.FEMALE

    def _known_birth_date(self, what: str) -> dt.date:
        birth = self.birth_date
        if birth is None:
            raise InvalidInput(
                f"{self.masked()}: cannot compute {what}: the birth date is not known "
                "(a samordningsnummer with month 00, day 60 or a day the month does not have); "
                "use "
                "earliest_possible_birth_date() and latest_possible_birth_date() instead"
            )
        return birth

    def age_on(self, day: dt.date) -> int:
        """Full years of age on ``day``.

        A person born on 29 February turns a year older on 1 March in a year that is not a
        leap year (see :meth:`birthday`). Before the birth date the result is negative (-1 in
        the year before birth).

        Args:
            day: The day to compute the age on.

        Returns:
            The number of birthdays the person has had by ``day``.

        Raises:
            InvalidInput: If the birth date is not known (see :attr:`birth_date`).
        """
        birth = self._known_birth_date("an age")
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    def birthday(self, years: int) -> dt.date:
        """The day the person turns ``years`` years old.

        Convention of this library, not settled by any source it rests on: a person born on
        29 February has the birthday on **1 March** in a year that is not a leap year. (Note
        that :func:`kaa.dated.add` — ``relativedelta`` — would give 28 February.)

        Args:
            years: The age, 0 or more (0 gives the birth date).

        Returns:
            The first day on which :meth:`age_on` is ``years``.

        Raises:
            InvalidInput: If the birth date is not known, or ``years`` is negative or lands
                after year 9999.
        """
        birth = self._known_birth_date("a birthday")
        year = birth.year + years
        if years < 0 or year > dt.MAXYEAR:
            raise InvalidInput(f"{self.masked()}: no birthday at age {years}")
        if birth.month == 2 and birth.day == 29 and not _is_leap(year):
            return dt.date(year, 3, 1)
        return birth.replace(year=year)

    def _is_centenarian(self, on: dt.date) -> bool:
        """Whether the person may be 100 or older on ``on``.

        Compares the date as :func:`_check` does when it resolves a 10-digit form (unknown
        month or day, or a day no such month has, as 0), so that written forms read back the
        same.
        """
        digits = self._digits
        month = int(digits[4:6])
        day = self._day
        key = (int(digits[:4]) + 100, month, day if day <= _MOST_DAYS[month] else 0)
        return key <= (on.year, on.month, on.day)

    # -- writing -------------------------------------------------------------------------

    def masked(self) -> str:
        """The number with its serial and check digit hidden.

        Returns:
            The eight date digits as written (day + 60 for a samordningsnummer) and
            ``-****``, e.g. ``20080101-****`` or ``20080161-****``.
        """
        return f"{self._digits[:8]}{_MASK}"

    def full(self, fmt: FullFormat = "separated_long", *, on: dt.date | None = None) -> str:
        """The whole number, for an output that needs it. Nothing else shows it.

        Args:
            fmt: ``"long"`` (``YYYYMMDDNNNC``), ``"separated_long"`` (``YYYYMMDD-NNNC``),
                ``"short"`` (``YYMMDDNNNC``) or ``"separated"`` (``YYMMDD-NNNC``).
            on: For the separated forms: the day on which ``+`` is used instead of ``-`` if
                the person is 100 or older. Defaults to today.

        Returns:
            The number in the requested form.

        Raises:
            InvalidInput: If ``fmt`` is not one of the four forms.
        """
        digits = self._digits
        if fmt == "long":
            return digits
        if fmt == "short":
            return digits[2:]
        if fmt not in ("separated_long", "separated"):
            raise InvalidInput(
                f"unknown identity number format {fmt!r}: use 'long', 'separated_long', "
                "'short' or 'separated'"
            )
        sep = "+" if self._is_centenarian(dt.date.today() if on is None else on) else "-"
        start = 0 if fmt == "separated_long" else 2
        return f"{digits[start:8]}{sep}{digits[8:]}"

    def __repr__(self) -> str:
        """``IdentityNumber('20080101-****')``: the masked form only."""
        return f"IdentityNumber('{self.masked()}')"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's and hypothesis' pretty printers: the masked form only."""
        printer.text(repr(self))

    def __str__(self) -> str:
        """The masked form, ``20080101-****``."""
        return self.masked()

    def __format__(self, format_spec: str) -> str:
        """The masked form, formatted with ``format_spec`` as a string is."""
        return format(self.masked(), format_spec)


_last_parsed: tuple[str, dt.date | None, IdentityNumber] | None = None
"""The text :meth:`IdentityNumber.parse` read last, the reference day and the number (a
number is an immutable value, so it can be handed out again): a reader that parses a
record's number twice — once to name the record in a problem, once to structure it —
parses it once."""
