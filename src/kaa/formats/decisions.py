"""Writing target-group decisions as CSV or JSON, and as flat tables for notebooks.

Identity numbers are masked unless the caller asks for them whole (``reveal_ids=True``).

For an analyst, :func:`decisions_table` gives one plain dict per decision — masked id,
typed values (days as :class:`datetime.date`, booleans), a column per condition — which
goes straight into a data frame::

    import pandas as pd
    frame = pd.DataFrame(decisions_table(decisions))

(``polars.DataFrame(...)`` takes the same rows.) :func:`to_arrow` makes a
:class:`pyarrow.Table` of any such rows; pyarrow is the optional ``kaa[arrow]`` extra and is
imported only when asked for. :func:`html_table` renders rows as the escaped HTML table a
notebook shows (the ``_repr_html_`` of the library's results).
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from kaa.errors import InvalidInput, scrub
from kaa.formats.cells import spreadsheet_writer
from kaa.rules.target_group import Condition, Decision, Reason

__all__ = [
    "DECISION_COLUMNS",
    "TABLE_COLUMNS",
    "decision_record",
    "decisions_table",
    "html_table",
    "to_arrow",
    "write_decisions_csv",
    "write_decisions_json",
]

DECISION_COLUMNS = (
    "id",
    "day",
    "in_target_group",
    "outcome",
    "ages_out",
    "home_municipality",
    "failed_conditions",
    "reasons",
    "rule_version",
)
"""The columns of the decision CSV."""


def _id(decision: Decision, reveal_ids: bool) -> str:
    return decision.youth.full("separated_long") if reveal_ids else decision.youth.masked()


def decision_record(decision: Decision, *, reveal_ids: bool = False) -> dict[str, Any]:
    """A decision as plain data, with every reason, its rule id and citation."""
    return {
        "id": _id(decision, reveal_ids),
        "day": decision.day.isoformat(),
        "in_target_group": decision.in_target_group,
        "outcome": decision.outcome.value,
        "ages_out": decision.ages_out.isoformat(),
        "home_municipality": decision.home_municipality,
        "rule_version": decision.version.start.isoformat(),
        "reasons": [
            {
                "condition": r.condition.code,
                "rule_id": r.rule_id,
                "holds": r.holds,
                "settled": r.settled,
                "citation": str(r.citation),
                "also": [str(c) for c in r.also],
                "explanation": r.explanation,
            }
            for r in decision.reasons
        ],
    }


def write_decisions_csv(
    decisions: Iterable[Decision], stream: IO[str], *, reveal_ids: bool = False
) -> int:
    """Write one row per decision; ``reasons`` holds the failing conditions (or, for a youth
    in the target group, all six) as ``T1: explanation [citation]`` joined by `` | ``.

    Returns:
        The number of rows written.
    """
    writer = spreadsheet_writer(stream, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    count = 0
    rendered: dict[Reason, str] = {}  # reasons are shared between youths: render each once
    for d in decisions:
        failed = d.failed
        texts = []
        for r in failed or d.reasons:
            text = rendered.get(r)
            if text is None:
                if len(rendered) >= 100_000:
                    rendered.clear()
                text = rendered[r] = f"{r.condition.code}: {r.explanation} [{r.citation}]"
            texts.append(text)
        writer.writerow(
            (
                _id(d, reveal_ids),
                d.day.isoformat(),
                "yes" if d.in_target_group else "no",
                d.outcome.value,
                d.ages_out.isoformat(),
                d.home_municipality or "",
                " ".join(r.condition.code for r in failed),
                " | ".join(texts),
                d.version.start.isoformat(),
            )
        )
        count += 1
    return count


def write_decisions_json(
    decisions: Iterable[Decision], stream: IO[str], *, reveal_ids: bool = False
) -> int:
    """Write the decisions as a JSON array, streaming one object at a time.

    Returns:
        The number of decisions written.
    """
    count = 0
    stream.write("[")
    for d in decisions:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(decision_record(d, reveal_ids=reveal_ids), ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count


# -- flat tables for notebooks ------------------------------------------------------------------

TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "day",
    "outcome",
    "in_target_group",
    *(c.code for c in Condition),
    "failed_conditions",
    "home_municipality",
    "ages_out",
    "rule_version",
)
"""The keys of each row of :func:`decisions_table`, in order; ``T1`` … ``T6`` say whether
each condition holds."""


def decisions_table(decisions: Iterable[Decision]) -> list[dict[str, Any]]:
    """One plain dict per decision, keyed by :data:`TABLE_COLUMNS`, for a data frame.

    The id is masked (a table for analysis never needs the whole number); ``day``,
    ``ages_out`` and ``rule_version`` are :class:`datetime.date`; ``in_target_group`` and
    ``T1`` … ``T6`` are booleans; ``outcome`` is ``"in"``, ``"out"`` or ``"undecided"``;
    ``failed_conditions`` the codes of the conditions that do not hold (``"T3 T6"``, empty
    when in); ``home_municipality`` a kommunkod or ``None``.

    Raises:
        InvalidInput: If an item is not a :class:`~kaa.rules.target_group.Decision`.
    """
    rows = []
    for index, d in enumerate(decisions):
        if not isinstance(d, Decision):
            raise InvalidInput(
                f"decisions_table: decisions[{index}] must be a Decision, not {type(d).__name__}"
            )
        row: dict[str, Any] = {
            "id": d.youth.masked(),
            "day": d.day,
            "outcome": d.outcome.value,
            "in_target_group": d.in_target_group,
        }
        for reason in d.reasons:
            row[reason.condition.code] = reason.holds
        row["failed_conditions"] = " ".join(r.condition.code for r in d.failed)
        row["home_municipality"] = d.home_municipality
        row["ages_out"] = d.ages_out
        row["rule_version"] = d.version.start
        rows.append(row)
    return rows


def to_arrow(rows: Iterable[Mapping[str, Any]]) -> Any:
    """A :class:`pyarrow.Table` of flat rows (:func:`decisions_table`, a worklist's or a
    follow-up table's rows): one column per key, in the order of the first row.

    pyarrow is not a dependency of the library: install the extra, ``pip install
    'kaa[arrow]'``. It is imported here, when asked for, not when ``kaa`` is imported.

    Raises:
        ImportError: If pyarrow is not installed, saying which extra to install.
    """
    try:
        pyarrow = importlib.import_module("pyarrow")
    except ImportError:
        raise ImportError(
            "to_arrow needs pyarrow, the optional kaa[arrow] extra: pip install 'kaa[arrow]'"
        ) from None
    kept = list(rows)
    columns: list[str] = list(kept[0]) if kept else []
    return pyarrow.table({c: [row.get(c) for row in kept] for c in columns})


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return html.escape(scrub(str(value)))


def html_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    limit: int = 200,
) -> str:
    """Rows as an HTML table for a notebook: every cell escaped and passed through
    :func:`~kaa.errors.scrub` (an identity number that slipped into a text is masked), days
    as ``YYYY-MM-DD``, booleans as yes/no.

    Args:
        rows: Plain rows (:func:`decisions_table` and the like).
        columns: The keys to show, in order; the first row's keys when ``None``.
        caption: A caption above the table.
        limit: Show at most this many rows (a note says how many more there are).
    """
    keys = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(k))}</td>" for k in keys) + "</tr>"
        for row in rows[:limit]
    )
    more = ""
    if len(rows) > limit:
        more = f"<p>… and {len(rows) - limit} more rows</p>"
    title = f"<caption>{html.escape(scrub(caption))}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
