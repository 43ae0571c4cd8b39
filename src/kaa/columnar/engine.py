"""``kaa assess`` over columns: the canonical CSV in, decision rows out, byte for byte what
the reference path (:func:`kaa.formats.canonical.read_youths`,
:func:`kaa.rules.target_group.assess`, :mod:`kaa.formats.decisions`) writes.

One thread; the file is read twice in youth-aligned chunks of about 4 MB
(:mod:`kaa.columnar.canonical`), so memory does not grow with the file beyond the compact
keys of pass 1 (about 24 bytes per youth). Youths the columns cannot accept with certainty
are read and decided by the reference code, and their rows come out where they were in the
file. A file the columns cannot take at all is read and decided by the reference path whole.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import attrs

from kaa.columnar.canonical import (
    WholeFile,
    plan_file,
    read_chunks,
    read_region,
    rows_frame,
)
from kaa.columnar.evaluate import Evaluator, Rulings
from kaa.formats.canonical import read_youths
from kaa.formats.decisions import DECISION_COLUMNS, decision_record, write_decisions_csv
from kaa.formats.problems import Problem, ReadSummary
from kaa.model.youth import Enrolment, Youth
from kaa.rules.target_group import Decision, EquivalenceRuling, assess

try:
    import polars as pl
except ImportError:  # pragma: no cover - the extra kaa[fast] is not installed
    pl = None  # type: ignore[assignment]

__all__ = ["Batch", "assess_csv", "render_decision", "write_batches"]

Equivalence = Callable[[Youth, Enrolment, dt.date], EquivalenceRuling]

_HEADER = ",".join(DECISION_COLUMNS) + "\n"


@attrs.frozen
class Batch:
    """Decisions rendered for output, in file order.

    Attributes:
        texts: One CSV row (without its line end) or JSON object per decision written.
        counts: How many youths were in, out and undecided (also those not written, with
            ``only_in``).
    """

    texts: list[str]
    counts: dict[str, int]


def _render_one(decision: Decision, *, reveal_ids: bool, json_output: bool) -> str:
    if json_output:
        return json.dumps(decision_record(decision, reveal_ids=reveal_ids), ensure_ascii=False)
    buffer = io.StringIO()
    write_decisions_csv([decision], buffer, reveal_ids=reveal_ids)
    return buffer.getvalue()[len(_HEADER) : -1]


def render_decision(decision: Decision, *, reveal_ids: bool, json_output: bool) -> str:
    """One decision as :func:`assess_csv` renders a youth the reference decides: the CSV row
    of :func:`~kaa.formats.decisions.write_decisions_csv` without its line end, or the JSON
    object of :func:`~kaa.formats.decisions.write_decisions_json`."""
    return _render_one(decision, reveal_ids=reveal_ids, json_output=json_output)


def assess_csv(
    path: Path,
    *,
    on: dt.date,
    municipality: str | None,
    rulings: Rulings,
    equivalence: Equivalence,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None = None,
    reveal_ids: bool = False,
    json_output: bool = False,
    only_in: bool = False,
) -> Iterator[Batch]:
    """Decide every youth of a canonical CSV file on ``on``, over columns.

    Args:
        path: The canonical ``.csv`` file.
        on: The day of the decisions (also the reference day of 10-digit numbers).
        municipality: The municipality asking, or ``None``.
        rulings: The answers to the open questions of T3 per school form and programme
            (:meth:`kaa.plugins.manager.Hooks.equivalence_rulings`).
        equivalence: The same answers youth by youth, for the youths the reference decides
            (:meth:`kaa.plugins.manager.Hooks.counts_as_equivalent_education`).
        summary: Filled in as rows are read, as the reference reader fills it.
        on_problem: Called with each problem, in file order.
        reveal_ids: Write whole identity numbers.
        json_output: Render JSON objects instead of CSV rows.
        only_in: Write only the youths in the target group.

    Yields:
        The decisions, chunk by chunk, in file order.

    Raises:
        InvalidInput: As the reference reader raises (a file that cannot be read).
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    evaluator = Evaluator(
        on=on,
        municipality=municipality,
        rulings=rulings,
        reveal_ids=reveal_ids,
        json_output=json_output,
    )
    try:
        plan = plan_file(path, on)
    except (WholeFile, OSError):
        yield from _whole_file(
            path,
            on=on,
            municipality=municipality,
            equivalence=equivalence,
            summary=summary,
            on_problem=on_problem,
            reveal_ids=reveal_ids,
            json_output=json_output,
            only_in=only_in,
        )
        return
    file = str(path)
    for chunk in read_chunks(path, plan):
        rows, regions = rows_frame(chunk, plan)
        decided = evaluator.decide(rows)
        summary.rows_read += rows.height
        summary.rows_accepted += rows.height
        summary.records += decided.height
        pieces = [decided.with_columns(order=pl.lit(0, dtype=pl.Int64))]
        for region in regions:
            youths = read_region(
                chunk.lines,
                region,
                first_line=chunk.first,
                file=file,
                summary=summary,
                on=on,
                on_problem=on_problem,
                line_by_line=plan.first_fault is not None and plan.first_fault < region.first,
            )
            if not youths:
                continue
            decisions = [
                assess(y, on=on, municipality=municipality, equivalence=equivalence) for y in youths
            ]
            pieces.append(
                pl.DataFrame(
                    {
                        "first": [region.first] * len(decisions),
                        "text": [
                            _render_one(d, reveal_ids=reveal_ids, json_output=json_output)
                            for d in decisions
                        ],
                        "outcome": [d.outcome.value for d in decisions],
                        "order": list(range(1, len(decisions) + 1)),
                    },
                    schema={
                        "first": pl.Int64,
                        "text": pl.String,
                        "outcome": pl.String,
                        "order": pl.Int64,
                    },
                )
            )
        merged = pl.concat(pieces) if len(pieces) > 1 else pieces[0]
        if len(pieces) > 1:
            merged = merged.sort(["first", "order"])
        counts = dict.fromkeys(("in", "out", "undecided"), 0)
        for outcome, n in merged.group_by("outcome").len().iter_rows():
            counts[outcome] = n
        if only_in:
            merged = merged.filter(pl.col("outcome") == "in")
        yield Batch(texts=merged["text"].to_list(), counts=counts)


def _whole_file(
    path: Path,
    *,
    on: dt.date,
    municipality: str | None,
    equivalence: Equivalence,
    summary: ReadSummary,
    on_problem: Callable[[Problem], None] | None,
    reveal_ids: bool,
    json_output: bool,
    only_in: bool,
) -> Iterator[Batch]:
    """The reference path, batched: for a file the columns cannot take."""
    texts: list[str] = []
    counts = dict.fromkeys(("in", "out", "undecided"), 0)
    for youth in read_youths(path, summary=summary, reference_day=on, on_problem=on_problem):
        decision = assess(youth, on=on, municipality=municipality, equivalence=equivalence)
        counts[decision.outcome.value] += 1
        if decision.in_target_group or not only_in:
            texts.append(_render_one(decision, reveal_ids=reveal_ids, json_output=json_output))
        if len(texts) >= 10_000:
            yield Batch(texts=texts, counts=counts)
            texts, counts = [], dict.fromkeys(("in", "out", "undecided"), 0)
    yield Batch(texts=texts, counts=counts)


def write_batches(
    batches: Iterable[Batch],
    stream: IO[str],
    *,
    json_output: bool = False,
    counts: dict[str, int] | None = None,
) -> int:
    """Write batches as :func:`~kaa.formats.decisions.write_decisions_csv` or
    :func:`~kaa.formats.decisions.write_decisions_json` writes the same decisions.

    Args:
        batches: From :func:`assess_csv`.
        stream: The output.
        json_output: Write the JSON array instead of the CSV.
        counts: Added to: how many youths were in, out and undecided.

    Returns:
        The number of decisions written.
    """
    written = 0
    if json_output:
        stream.write("[")
    else:
        stream.write(_HEADER)
    for batch in batches:
        if counts is not None:
            for outcome, n in batch.counts.items():
                counts[outcome] = counts.get(outcome, 0) + n
        if not batch.texts:
            continue
        if json_output:
            stream.write(("\n" if not written else ",\n") + ",\n".join(batch.texts))
        else:
            stream.write("\n".join(batch.texts) + "\n")
        written += len(batch.texts)
    if json_output:
        stream.write("\n]\n")
    return written
