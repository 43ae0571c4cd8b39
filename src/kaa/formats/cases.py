"""The canonical file form for KAA cases: JSON Lines (or a JSON array) of
:class:`~kaa.model.case.Case`.

One case per line, in the shape of the case model as :mod:`kaa.convert` unstructures it::

    {"youth": {"id": "20070621-2396", "residences": [...], ...}, "municipality": "1882",
     "registration": {"day": "2026-01-10", "source": "register_list", ...},
     "contacts": [...], "measures": [...], "end": null, ...}

Every record is accepted or reported with its line, the masked identity number and each
problem as ``message @ $.path``; a second case for the same youth is reported, not merged.

**Protected identity.** A case of a youth with protected identity never holds an address: the
case model refuses one (:class:`~kaa.model.case.Case`), so :func:`write_cases` cannot store
one, and a stored case that has one (a hand-edited file) is reported and not read — remove
the address from the case.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kaa.convert import to_dict
from kaa.errors import InvalidInput
from kaa.formats.files import atomic_text
from kaa.formats.json import read_json_records
from kaa.formats.problems import Problem, ReadSummary
from kaa.model.case import Case

__all__ = ["read_cases", "write_cases"]


def read_cases(
    path: Path,
    *,
    summary: ReadSummary | None = None,
    reference_day: dt.date | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Case]:
    """Stream cases from a ``.jsonl`` file (or read a ``.json`` array).

    Args:
        path: The file.
        summary: Filled in as records are read (counts and problems).
        reference_day: The day 10-digit identity numbers are read against (today if ``None``).
        on_problem: Called for each problem as it is found.

    Raises:
        InvalidInput: If the file cannot be opened, is not UTF-8, not JSON or nested too deeply.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".jsonl", ".ndjson"):
        raise InvalidInput(
            f"unknown file type {suffix!r} for cases: use .jsonl or .json", file=name
        )
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot open the file: {exc.strerror}", file=name) from None
    with stream:
        try:
            yield from read_json_records(
                stream,
                Case,
                identity=lambda c: c.youth.id,
                raw_identity=_raw_id,
                what="case",
                file=name,
                summary=summary,
                reference_day=reference_day,
                lines=suffix != ".json",
                on_problem=on_problem,
            )
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the file is not UTF-8 (byte {exc.start}): save it as UTF-8", file=name
            ) from None


def _raw_id(item: dict[str, object]) -> object:
    youth = item.get("youth")
    return youth.get("id") if isinstance(youth, dict) else None


def write_cases(cases: Iterable[Case], path: Path) -> int:
    """Write cases as JSON Lines, atomically, with whole identity numbers.

    This is an explicit output writer for storage: the file can be read back with
    :func:`read_cases`. No case it is given can hold an address for a youth with protected
    identity (the case model refuses one), so none is written.

    Returns:
        The number of cases written.
    """
    count = 0
    with atomic_text(path) as out:
        for case in cases:
            out.write(json.dumps(to_dict(case, reveal_ids=True), ensure_ascii=False))
            out.write("\n")
            count += 1
    return count
