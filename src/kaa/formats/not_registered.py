"""Writing the list of youths in the target group who have no KAA case (*ej registrerade*).

These are the youths nobody is trying to reach yet: the register export says they are in the
target group on the day, but the KAA register holds no case for them. ``kaa year`` writes the
list as ``ej-registrerade-DAY.csv``, one row per youth:

| column | meaning |
|---|---|
| ``id`` | the identity number, always masked |
| ``in_target_group_since`` | the first day of the youth's current run in the target group |
| ``ages_out`` | the 20th birthday, when the duty ends |
| ``reasons`` | all six conditions as ``T1 holds: explanation [citation]``, joined by a bar |

    >>> import datetime as dt, io
    >>> from kaa.identity import IdentityNumber
    >>> from kaa.model.youth import Residence, Youth
    >>> from kaa.rules.target_group import assess
    >>> youth = Youth(
    ...     id=IdentityNumber.parse("20061120-2383"),
    ...     compulsory_school_completed=dt.date(2022, 6, 10),
    ...     residences=(Residence(municipality="1882"),),
    ... )
    >>> decision = assess(youth, on=dt.date(2026, 3, 1), municipality="1882")
    >>> out = io.StringIO()
    >>> write_not_registered([(decision, dt.date(2025, 3, 1))], out)
    1
    >>> header, row = out.getvalue().splitlines()
    >>> header
    'id,in_target_group_since,ages_out,reasons'
    >>> row.split(",")[:3]
    ['20061120-****', '2025-03-01', '2026-11-20']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from kaa.formats.cells import spreadsheet_writer
from kaa.rules.target_group import Decision

__all__ = ["NOT_REGISTERED_COLUMNS", "write_not_registered"]

NOT_REGISTERED_COLUMNS = ("id", "in_target_group_since", "ages_out", "reasons")
"""The columns of the not-registered list."""


def write_not_registered(
    rows: Iterable[tuple[Decision, dt.date]], out: IO[str], *, reveal_ids: bool = False
) -> int:
    """Write the header and one row per youth, identity numbers masked unless asked.

    Args:
        rows: Each youth's decision on the day (in the target group) and the first day of
            their current run in it (:func:`kaa.rules.target_group.in_target_group_since`).
        out: A text stream opened with ``newline=""``.
        reveal_ids: Write whole identity numbers: the list is one a person acts on (whom to
            register and contact), so it may be asked for whole.

    Returns:
        The number of youths written.
    """
    writer = spreadsheet_writer(out, lineterminator="\n")
    writer.writerow(NOT_REGISTERED_COLUMNS)
    count = 0
    for decision, since in rows:
        writer.writerow(
            (
                decision.youth.full("separated_long") if reveal_ids else decision.youth.masked(),
                since.isoformat(),
                decision.ages_out.isoformat(),
                " | ".join(str(r) for r in decision.reasons),
            )
        )
        count += 1
    return count
