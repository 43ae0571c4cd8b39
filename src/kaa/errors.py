"""One exception hierarchy for the whole library.

Every error the library raises on purpose derives from :class:`KaaError` and carries
structured fields (rule id, day, file, line, column) next to a message a case worker can act
on. Legal outcomes — in or out of the target group — are *returned values* with cited
reasons, never exceptions.

Messages never contain a whole personal identity number: callers pass the masked form
(see :meth:`kaa.identity.IdentityNumber.masked`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

__all__ = [
    "ConfigurationError",
    "InvalidIdentityNumber",
    "InvalidInput",
    "KaaError",
    "OutputError",
    "PluginError",
    "RuleNotInForce",
    "StructureError",
    "UnknownMunicipality",
    "scrub",
]

_NUMBER_SHAPED = re.compile(
    r"(?<![0-9])(\d{8}|\d{6})[-+ ]?([0-9TRSUWXJKLMNtrsuwxjklmn]\d{3})(?![0-9])"
)
_LONG_RUN = re.compile(r"\d{10,}")


def scrub(text: str) -> str:
    """``text`` with everything shaped like a personal identity number masked.

    Twelve or ten digits — with or without ``-``, ``+`` or a space before the last four, and
    with an interim letter — become the date part and ``-****``, whether or not they are a
    valid number. Every message and notice of the library goes through it, so a number that
    reached a message by mistake (a misplaced column, a value echoed back) is still never
    shown whole::

        >>> scrub("cell '200808122394' in 20080812-2394, 080812+2394 and 0808122394")
        "cell '20080812-****' in 20080812-****, 080812-**** and 080812-****"
        >>> scrub("2024-06-12, kommun 1882, 12 345 kr")
        '2024-06-12, kommun 1882, 12 345 kr'

    A number run together with letters or with other digits is masked too: a run of ten or
    more digits keeps only its first six::

        >>> scrub("ID200808122394, 0200808122394")
        'ID20080812-****, 020080*******'
    """
    if not any(ch.isdigit() for ch in text):
        return text
    masked = _NUMBER_SHAPED.sub(r"\1-****", text)
    return _LONG_RUN.sub(lambda m: m.group()[:6] + "*" * (len(m.group()) - 6), masked)


class KaaError(Exception):
    """Base class of every error raised by `kaa`.

    Its text goes through :func:`scrub`: an identity number is never shown whole in an error.
    """

    def __str__(self) -> str:
        return scrub(super().__str__())


class RuleNotInForce(KaaError):
    """A dated rule was looked up for a day before its first version came into force.

    Attributes:
        rule_id: The stable dotted id of the rule (for example ``kaa.target_group``).
        day: The day that was asked for.
        first_day: The day the first version came into force.
    """

    def __init__(self, rule_id: str, day: dt.date, first_day: dt.date) -> None:
        self.rule_id = rule_id
        self.day = day
        self.first_day = first_day
        super().__init__(
            f"rule {rule_id!r} is not in force on {day.isoformat()}: "
            f"its first version applies from {first_day.isoformat()}"
        )


class InvalidInput(KaaError):
    """Input that cannot be used, with where it came from.

    Attributes:
        message: What is wrong, in words a case worker can act on.
        file: The file the input came from, if any.
        line: The 1-based line (or row) number, if known.
        column: The column name or 1-based number, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | int | None = None,
    ) -> None:
        self.message = scrub(message)
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InvalidIdentityNumber(InvalidInput):
    """A string is not a valid personnummer, samordningsnummer or interim number.

    The message shows at most the date part of the rejected text, never its last four
    characters.
    """


class UnknownMunicipality(InvalidInput):
    """A *kommunkod* that is not one of Sweden's 290 municipality codes."""


class StructureError(InvalidInput):
    """Plain data (a dict from CSV or JSON) could not be structured into a model.

    Attributes:
        problems: Every problem found, each rendered as ``message @ $.path``.
    """

    def __init__(
        self,
        problems: Sequence[str],
        *,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems), file=file, line=line)


class ConfigurationError(KaaError):
    """A configuration or profile file (TOML) is malformed or incomplete.

    Attributes:
        file: The configuration file.
        key: The dotted key that is wrong, if known.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        where = ", ".join(p for p in (file, f"key {key!r}" if key else None) if p)
        super().__init__(f"{where}: {message}" if where else message)


class PluginError(KaaError):
    """A plugin misbehaved: it failed to load, or returned something of the wrong shape."""


class OutputError(KaaError):
    """An output file could not be written (a missing or read-only directory, a full disk, a
    directory in the way). Nothing was written in its place: outputs are atomic.

    The command line prints one ``kaa: error: …`` line naming the path and exits with status
    3, distinct from 1 (rows rejected) and 2 (usage or unreadable input).

    Attributes:
        file: The path that could not be written.
        reason: Why, as the operating system says it.
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"cannot write {file}: {reason}; nothing was written there")
