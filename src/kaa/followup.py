"""Follow-up statistics: the figures a municipality reports to its committee (*nämnd*).

Each figure is one documented function over the cases of a period that returns a
:class:`Table`: an id, Swedish and English titles, column names and plain rows. A notebook
loads it with ``pandas.DataFrame(table.as_rows())`` or ``polars.DataFrame(table.as_rows())``;
the core has no dataframe dependency. Any :class:`~kaa.period.Period` works: a half-year, a
year, a tertial or a range of days.

**Which cases count.** A case counts for a period when it is open on at least one day of it
(:func:`kaa.period.open_window`): registered on or before the last day, and the youth's last
day in KAA — the day before the end day — on or after the first. An end of KAA belongs to
the period holding that last day (:func:`kaa.period.end_falls_in`): a youth who turns 20 on
1 January is counted, and ended, in the year before, as in the SCB file. This is one rule,
the library's choice, kept in :mod:`kaa.period`.

**Small counts** are suppressed in anything meant for publication
(:meth:`Table.suppressed`, :func:`suppress`). Counts from 1 to ``threshold - 1`` (default:
below 5) are hidden (*primary suppression*); then further cells are hidden (*complementary
suppression*) until no hidden count can be worked out from what is shown. Each table declares
its sums (:class:`Relation`: a total row is the sum of its parts), which cells equal cells of
other tables (``links``: the youths of the population are the youths of the reach table), and
its shares (:class:`Share`); an attacker is assumed to know all of these, that a hidden count
is at least 1 (zeros are shown) and that counts are whole numbers. A table is safe when no
sum or difference of its relations leaves a single hidden cell, no sum of hidden cells that
can be computed is below the threshold, and no hidden cell is pinned to one value by the
bounds the relations give. A share is hidden with its count and its denominator. Cells that
have to be hidden to protect others are chosen smallest first, among the parts of a sum
before its total. The method and its thresholds are the library's choice: SCB's and
Skolverket's own rules for their published tables are not known here.

>>> t = Table(
...     id="t", title_sv="t", title_en="t", columns=("k", "n"),
...     rows=(("alla", 120), ("a", 1), ("b", 36), ("c", 37), ("d", 46)),
...     count_columns=("n",), relations=(Relation(total=0, parts=(1, 2, 3, 4)),),
... )
>>> t.suppressed().column("n")
[120, None, None, 37, 46]
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from kaa.errors import InvalidInput
from kaa.formats.decisions import html_table
from kaa.identity import Sex
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    Contacted,
    EndReason,
    Measure,
    RegistrationReason,
)
from kaa.period import Period, end_falls_in, last_day_in_kaa, open_window
from kaa.plugins.manager import Hooks
from kaa.rules.measures import Catalogue, MeasureKind, national_catalogue
from kaa.rules.plan import (
    PlanChecks,
    PlanSummary,
    national_follow_up_policy,
    next_follow_up_due,
    summarise,
)

__all__ = [
    "DEFAULT_SUPPRESSION_THRESHOLD",
    "Relation",
    "Share",
    "Table",
    "activities",
    "activity_at_latest_contact",
    "activity_at_registration",
    "cases_in_period",
    "contact_channels",
    "days_to_first_contact",
    "days_to_first_measure",
    "end_reasons",
    "latest_contact_activity",
    "measures_by_category",
    "overdue_follow_ups",
    "plan_completeness",
    "population",
    "reach",
    "returned_to_studies",
    "suppress",
]

DEFAULT_SUPPRESSION_THRESHOLD = 5
"""Counts below this (1–4) are suppressed in published output."""

BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0–7 dagar", 0, 7),
    ("8–14 dagar", 8, 14),
    ("15–30 dagar", 15, 30),
    ("31–60 dagar", 31, 60),
    ("61–90 dagar", 61, 90),
    ("mer än 90 dagar", 91, 10**6),
)
"""The distribution buckets for "days from registration to …"."""

UNKNOWN_SV = "okänd"
"""The label of :attr:`Activity.UNKNOWN` in the follow-up: an unknown activity is not the same
as a youth who has not been reached (that is its own row where it matters)."""

Cell = tuple[int, str]
"""A cell of a table: (row index, column name)."""


@attrs.frozen
class Relation:
    """A sum the table shows: the row ``total`` is the sum of the rows ``parts``, in each of
    ``columns`` (every count column when empty).

    Attributes:
        total: The index of the total row.
        parts: The indexes of the rows that add up to it.
        columns: The count columns the sum holds in (all count columns when empty).
    """

    total: int
    parts: tuple[int, ...]
    columns: tuple[str, ...] = ()


@attrs.frozen
class Share:
    """A share column: ``part / whole``.

    Attributes:
        column: The share column.
        part: The count column of the same row it is the share of.
        whole: The count column holding the denominator.
        whole_row: The row holding the denominator; ``None`` for the same row.
    """

    column: str
    part: str
    whole: str
    whole_row: int | None = None


@attrs.frozen(kw_only=True)
class Table:
    """One follow-up figure as plain rows.

    Attributes:
        id: Stable id, e.g. ``kaa.followup.reach``.
        title_sv: The title in Swedish (as in the committee report).
        title_en: The title in English.
        columns: Column names, in order.
        rows: The rows; counts are ints, shares floats (0–1), medians floats; ``None`` where
            there is no value (a share of nothing, a median of no youths) or the value is
            hidden (see :attr:`hidden`).
        count_columns: Columns holding counts (suppressed when small).
        relations: The sums the table shows (a total row and its parts).
        shares: The share columns and what they are computed from.
        links: Cells equal to cells of other tables, as ``(name, row, column)``: cells with
            the same name in the tables suppressed together hold the same count.
        small_base: Statistics computed over a number of youths, as ``(row, column, n)``:
            hidden when ``n`` is below the threshold (a median of three youths' waiting days
            tells about those three).
        hidden: The cells suppressed for publication (their value is ``None``).
    """

    id: str
    title_sv: str
    title_en: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    count_columns: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    shares: tuple[Share, ...] = ()
    links: tuple[tuple[str, int, str], ...] = ()
    small_base: tuple[tuple[int, str, int], ...] = ()
    hidden: frozenset[Cell] = frozenset()

    def as_rows(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name (for pandas, polars or csv.DictWriter)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def _repr_html_(self) -> str:
        """The figure as a notebook shows it: its Swedish title and id, then the rows (every
        cell escaped; a suppressed cell is empty). A figure holds counts, never an identity
        number."""
        return html_table(
            self.as_rows(), columns=self.columns, caption=f"{self.title_sv} ({self.id})"
        )

    def column(self, name: str) -> list[Any]:
        """The values of one column."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def row_index(self, key: Any) -> int:
        """The index of the row whose first cell is ``key``.

        Raises:
            KeyError: If there is none.
        """
        for i, row in enumerate(self.rows):
            if row[0] == key:
                return i
        raise KeyError(key)

    def value(self, key: Any, column: str) -> Any:
        """The value in ``column`` of the row whose first cell is ``key``."""
        return self.rows[self.row_index(key)][self.columns.index(column)]

    def is_hidden(self, row: int, column: str) -> bool:
        """Whether the cell was suppressed for publication."""
        return (row, column) in self.hidden

    def suppressed(self, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Table:
        """A copy for publication: small counts hidden, and every cell that would let one be
        worked out from the table's sums and shares (see the module)."""
        return suppress([self], threshold)[0]


# --- suppression ----------------------------------------------------------------------------

_GCell = tuple[int, int, str]  # (table, row, column)
_INF = 10**15


@attrs.frozen
class _Sum:
    total: _GCell
    parts: tuple[_GCell, ...]

    @property
    def cells(self) -> tuple[_GCell, ...]:
        return (self.total, *self.parts)

    def coefficients(self) -> dict[_GCell, int]:
        coef: dict[_GCell, int] = {self.total: 1}
        for p in self.parts:
            coef[p] = coef.get(p, 0) - 1
        return coef


def _sums(tables: Sequence[Table], extra: Iterable[tuple[_GCell, Sequence[_GCell]]]) -> list[_Sum]:
    sums: list[_Sum] = []
    named: dict[str, list[_GCell]] = {}
    for ti, table in enumerate(tables):
        for rel in table.relations:
            for col in rel.columns or table.count_columns:
                sums.append(_Sum((ti, rel.total, col), tuple((ti, p, col) for p in rel.parts)))
        for name, row, col in table.links:
            named.setdefault(name, []).append((ti, row, col))
    for cells in named.values():
        sums.extend(_Sum(cells[0], (other,)) for other in cells[1:])
    sums.extend(_Sum(total, tuple(parts)) for total, parts in extra)
    return sums


def _bounds_pin(
    sums: Sequence[_Sum], values: Mapping[_GCell, int], hidden: set[_GCell]
) -> _GCell | None:
    """A hidden cell that the sums' bounds pin to one value (hidden cells are at least 1)."""
    lo = {c: (1 if c in hidden else v) for c, v in values.items()}
    hi = {c: (_INF if c in hidden else v) for c, v in values.items()}
    active = [s for s in sums if any(c in hidden for c in s.cells)]
    for _ in range(50):
        changed = False
        for s in active:
            parts_lo = sum(lo[p] for p in s.parts)
            parts_hi = sum(hi[p] for p in s.parts)
            new = (max(lo[s.total], parts_lo), min(hi[s.total], parts_hi))
            if new != (lo[s.total], hi[s.total]):
                lo[s.total], hi[s.total] = new
                changed = True
            for p in s.parts:
                others_lo = parts_lo - lo[p]
                others_hi = parts_hi - hi[p]
                new = (max(lo[p], lo[s.total] - others_hi), min(hi[p], hi[s.total] - others_lo))
                if new != (lo[p], hi[p]):
                    lo[p], hi[p] = new
                    changed = True
        if not changed:
            break
    return next((c for c in sorted(hidden) if lo[c] >= hi[c]), None)


def _groups(sums: Sequence[_Sum], hidden: set[_GCell]) -> list[list[_Sum]]:
    """The sums with hidden cells, grouped by the hidden cells they share (only sums that
    share unknowns can cancel each other's)."""
    groups: list[tuple[set[_GCell], list[_Sum]]] = []
    for s in sums:
        cells = {c for c in s.cells if c in hidden}
        if not cells:
            continue
        joined = [g for g in groups if g[0] & cells]
        merged = (cells.union(*(g[0] for g in joined)), [t for g in joined for t in g[1]] + [s])
        groups = [g for g in groups if all(g is not j for j in joined)] + [merged]
    return [g[1] for g in groups]


def _lone_cell(group: Sequence[_Sum], hidden: set[_GCell]) -> list[_Sum] | None:
    """Sums whose combination isolates one hidden cell (its value is then known), by exact
    elimination over the rationals; ``None`` when no hidden cell is determined."""
    cells = sorted({c for s in group for c in s.cells if c in hidden})
    index = {c: i for i, c in enumerate(cells)}
    width = len(cells)
    matrix: list[list[Fraction]] = []
    for k, s in enumerate(group):
        row = [Fraction(0)] * (width + len(group))
        for cell, coef in s.coefficients().items():
            if cell in index:
                row[index[cell]] += coef
        row[width + k] = Fraction(1)
        matrix.append(row)
    pivot_row = 0
    for col in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col]:
                factor = matrix[r][col]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    for row in matrix[:pivot_row]:
        if sum(1 for x in row[:width] if x) == 1:
            return [group[k] for k in range(len(group)) if row[width + k]]
    return None


def _small_sum(
    group: Sequence[_Sum], values: Mapping[_GCell, int], hidden: set[_GCell], threshold: int
) -> list[_Sum] | None:
    """Sums whose sum or difference gives a sum of hidden cells below the threshold: every
    combination in a group of up to six sums, otherwise every combination of up to three
    sums that are chained by shared hidden cells."""
    coefs = [s.coefficients() for s in group]
    if len(group) <= 6:
        chosen_sets: Iterable[tuple[int, ...]] = (
            c
            for size in range(1, len(group) + 1)
            for c in itertools.combinations(range(len(group)), size)
        )
    else:
        unknowns = [{c for c in s.cells if c in hidden} for s in group]
        near = [
            {j for j in range(len(group)) if j != i and unknowns[i] & unknowns[j]}
            for i in range(len(group))
        ]
        found: set[tuple[int, ...]] = set()
        for i in range(len(group)):
            found.add((i,))
            for j in near[i]:
                found.add(tuple(sorted((i, j))))
                for k in near[i] | near[j]:
                    if k not in (i, j):
                        found.add(tuple(sorted((i, j, k))))
        chosen_sets = sorted(found, key=lambda c: (len(c), c))
    for chosen in chosen_sets:
        for signs in itertools.product((1, -1), repeat=len(chosen) - 1):
            total: dict[_GCell, int] = {}
            for i, sign in zip(chosen, (1, *signs), strict=True):
                for cell, k in coefs[i].items():
                    total[cell] = total.get(cell, 0) + sign * k
            unknown = {k for c, k in total.items() if k and c in hidden}
            if unknown not in ({1}, {-1}):
                continue
            known = sum(k * values[c] for c, k in total.items() if k and c not in hidden)
            if 0 < abs(known) < threshold:
                return [group[i] for i in chosen]
    return None


def _complement(
    sums: Sequence[_Sum], values: Mapping[_GCell, int], hidden: set[_GCell]
) -> _GCell | None:
    """The cell to hide next: the smallest shown non-zero count among the parts of ``sums``,
    else among their totals."""
    for pick in ("parts", "totals"):
        cells = {
            c
            for s in sums
            for c in (s.parts if pick == "parts" else (s.total,))
            if c not in hidden and values[c] > 0
        }
        if cells:
            return min(cells, key=lambda c: (values[c], -c[0], -c[1], c[2]))
    return None


def _leak(
    sums: Sequence[_Sum], values: Mapping[_GCell, int], hidden: set[_GCell], threshold: int
) -> list[_Sum] | None:
    """The sums through which a hidden count can be worked out, or ``None``."""
    pinned = _bounds_pin(sums, values, hidden)
    if pinned is not None:
        return [s for s in sums if pinned in s.cells]
    for group in _groups(sums, hidden):
        found = _lone_cell(group, hidden) or _small_sum(group, values, hidden, threshold)
        if found:
            return found
    return None


def suppress(
    tables: Sequence[Table],
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    *,
    sums: Iterable[tuple[_GCell, Sequence[_GCell]]] = (),
) -> tuple[Table, ...]:
    """Suppress small counts in ``tables`` together, for publication (see the module).

    Cells with the same link name in different tables are kept equal (hidden in all or
    none), so a count hidden in one table is not shown in another.

    Args:
        tables: The tables published together (e.g. every figure of a report).
        threshold: Counts from 1 to ``threshold - 1`` are hidden.
        sums: Further sums across tables, as ``((table, row, column), [(table, row,
            column), ...])``: the first cell is the sum of the others (e.g. the youths
            continuing into a period are the previous period's youths less those who
            ended).

    Returns:
        The tables with :attr:`Table.hidden` set and hidden values replaced by ``None``.
    """
    values: dict[_GCell, int] = {}
    for ti, table in enumerate(tables):
        for col in table.count_columns:
            ci = table.columns.index(col)
            for ri, row in enumerate(table.rows):
                if isinstance(row[ci], int):
                    values[(ti, ri, col)] = row[ci]
    all_sums = [s for s in _sums(tables, sums) if all(c in values for c in (s.total, *s.parts))]
    hidden = {c for c, v in values.items() if 0 < v < threshold}
    for _ in range(len(values) + 1):
        involved = _leak(all_sums, values, hidden, threshold)
        if not involved:
            break
        cell = _complement(involved, values, hidden)
        if cell is None:  # nothing shown is left to hide in these sums
            break
        hidden.add(cell)
    return tuple(
        _apply(t, {(r, c) for tj, r, c in hidden if tj == ti}, threshold)
        for ti, t in enumerate(tables)
    )


def _apply(table: Table, hidden: set[Cell], threshold: int) -> Table:
    for row, col, n in table.small_base:
        if 0 < n < threshold:
            hidden.add((row, col))
    for share in table.shares:
        for ri in range(len(table.rows)):
            whole = (ri if share.whole_row is None else share.whole_row, share.whole)
            if (ri, share.part) in hidden or whole in hidden:
                hidden.add((ri, share.column))
    index = {c: i for i, c in enumerate(table.columns)}
    rows = tuple(
        tuple(None if (ri, col) in hidden else row[index[col]] for col in table.columns)
        for ri, row in enumerate(table.rows)
    )
    return attrs.evolve(table, rows=rows, hidden=frozenset(hidden))


# --- which cases ----------------------------------------------------------------------------


class _InPeriod(list[Case]):
    """Cases already selected for :attr:`period` (:func:`_selected_for`)."""

    period: Period


def cases_in_period(cases: Iterable[Case], period: Period) -> list[Case]:
    """The cases open on at least one day of ``period`` (:func:`kaa.period.open_window`)."""
    if isinstance(cases, _InPeriod) and cases.period == period:
        return cases
    return [
        c
        for c in cases
        if open_window(period, c.registration.day, c.end.day if c.end else None) is not None
    ]


def _selected_for(cases: Iterable[Case], period: Period) -> Sequence[Case]:
    """The cases of :func:`cases_in_period`, marked as selected for ``period``, so that the
    figures of one report (:mod:`kaa.report`) do not select them again; a read-only view
    for the figures of that period, not a list to change."""
    selected = _InPeriod(cases_in_period(cases, period))
    selected.period = period
    return selected


def _ended_in(case: Case, period: Period) -> bool:
    return case.end is not None and end_falls_in(case.end.day, period)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _age_on(case: Case, day: dt.date) -> int | None:
    born = case.youth.birth_date or case.youth.id.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _partition(
    rows: list[tuple[Any, ...]], total_row: tuple[Any, ...], parts: Sequence[tuple[Any, ...]]
) -> Relation:
    """Append a total row and its parts to ``rows``; the relation between them."""
    total = len(rows)
    rows.append(total_row)
    rows.extend(parts)
    return Relation(total=total, parts=tuple(range(total + 1, total + 1 + len(parts))))


def _part_of_whole(
    table_id: str,
    title_sv: str,
    title_en: str,
    label_sv: str,
    whole: tuple[str, int],
    part: tuple[str, int],
) -> Table:
    """A one-row figure: how many of a whole have some property, and the share. The row's
    key is the figure's name (the id without ``kaa.followup.``)."""
    key = table_id.removeprefix("kaa.followup.")
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("measure", "label_sv", whole[0], part[0], "share"),
        rows=((key, label_sv, whole[1], part[1], _share(part[1], whole[1])),),
        count_columns=(whole[0], part[0]),
        shares=(Share("share", part[0], whole[0]),),
    )


# --- the figures ----------------------------------------------------------------------------


def population(cases: Iterable[Case], period: Period) -> Table:
    """Youths in KAA in the period: new, continuing and ended, by reason for registration,
    legal sex and age on the last day of the period (or the youth's last day in KAA).

    Rows: ``(group, category, youths)`` where group is ``total``, ``status``, ``reason``,
    ``sex`` or ``age``. New and continuing add up to the total, and so do the reasons, the
    sexes and the ages; *avslutad* (ended in the period) is the total of
    :func:`end_reasons`.
    """
    selected = cases_in_period(cases, period)
    first, last = period.first_day, period.last_day
    status: Counter[str] = Counter()
    reasons: Counter[RegistrationReason] = Counter()
    sexes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    for case in selected:
        status["ny" if case.registration.day >= first else "kvarstående"] += 1
        if _ended_in(case, period):
            status["avslutad"] += 1
        reasons[case.registration.reason] += 1
        sexes["kvinna" if case.youth.id.sex is Sex.FEMALE else "man"] += 1
        day = min(last, last_day_in_kaa(case.end.day)) if case.end is not None else last
        age = _age_on(case, day)
        ages["okänd" if age is None else f"{min(max(age, 15), 20)} år"] += 1
    rows: list[tuple[Any, ...]] = [("total", "alla", len(selected))]
    rows += [("status", k, status[k]) for k in ("ny", "kvarstående")]
    relations = [Relation(total=0, parts=(1, 2))]
    rows.append(("status", "avslutad", status["avslutad"]))
    for group, counts in (
        ("reason", [(r.label_sv, reasons[r]) for r in RegistrationReason]),
        ("sex", [(k, sexes[k]) for k in ("kvinna", "man")]),
        ("age", [(k, ages[k]) for k in sorted(ages)]),
    ):
        start = len(rows)
        rows += [(group, label, n) for label, n in counts]
        relations.append(Relation(total=0, parts=tuple(range(start, len(rows)))))
    return Table(
        id="kaa.followup.population",
        title_sv="Ungdomar inom aktivitetsansvaret",
        title_en="Youths in KAA",
        columns=("group", "category", "youths"),
        rows=tuple(rows),
        count_columns=("youths",),
        relations=tuple(relations),
        links=(("youths", 0, "youths"), ("new", 1, "youths"), ("ended", 3, "youths")),
    )


def _activity_label(activity: Activity) -> str:
    return UNKNOWN_SV if activity is Activity.UNKNOWN else activity.label_sv


def _activity_table(
    table_id: str,
    title_sv: str,
    title_en: str,
    values: Sequence[Activity | None],
    not_reached: bool,
) -> Table:
    counts = Counter(values)
    total = len(values)
    rows: list[tuple[Any, ...]] = []
    parts: list[tuple[Any, ...]] = []
    if not_reached:
        parts.append(
            ("not_reached", "ungdomen har inte nåtts", counts[None], _share(counts[None], total))
        )
    parts += [(a.value, _activity_label(a), counts[a], _share(counts[a], total)) for a in Activity]
    relation = _partition(rows, ("total", "alla", total, _share(total, total)), parts)
    links: tuple[tuple[str, int, str], ...] = (("youths", 0, "youths"),)
    if not_reached:
        links += (("not_reached", 1, "youths"),)
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("activity", "label_sv", "youths", "share"),
        rows=tuple(rows),
        count_columns=("youths",),
        relations=(relation,),
        shares=(Share("share", "youths", "youths", whole_row=0),),
        links=links,
    )


def activity_at_registration(cases: Iterable[Case], period: Period) -> Table:
    """The youths' activity (*sysselsättning*) when they were registered."""
    selected = cases_in_period(cases, period)
    return _activity_table(
        "kaa.followup.activity_at_registration",
        "Sysselsättning vid registrering",
        "Activity at registration",
        [c.registration.activity for c in selected],
        not_reached=False,
    )


def _reached_youth(case: Case, on: dt.date) -> list[Contact]:
    return [
        c
        for c in case.contacts
        if c.day <= on and c.contacted is Contacted.YOUTH and c.outcome.reached
    ]


def latest_contact_activity(case: Case, on: dt.date) -> Activity | None:
    """The youth's activity as learnt at the latest contact that reached **the youth** by
    ``on``; :attr:`Activity.UNKNOWN` when the youth was reached but no activity was learnt,
    ``None`` when the youth was never reached.

    Only contacts with the youth count: the activity at registration, or learnt from a
    guardian, is not the activity *at contact* (Askersund's bilaga 4: "Vilken sysselsättning
    har ungdomarna vid kontakt med det kommunala aktivitetsansvaret?").
    """
    reached = _reached_youth(case, on)
    if not reached:
        return None
    learnt = [c.activity for c in reached if c.activity is not None]
    return learnt[-1] if learnt else Activity.UNKNOWN


def activity_at_latest_contact(cases: Iterable[Case], period: Period) -> Table:
    """The youths' activity at the latest contact that reached them, by the end of the
    period (:func:`latest_contact_activity`).

    Youths never reached are their own row, *ungdomen har inte nåtts* (the same count as
    :func:`reach`'s ``not_reached``); ``unknown`` (*okänd*) is a youth reached without an
    activity being learnt.
    """
    selected = cases_in_period(cases, period)
    return _activity_table(
        "kaa.followup.activity_at_latest_contact",
        "Sysselsättning vid senaste kontakt",
        "Activity at the latest contact",
        [latest_contact_activity(c, period.last_day) for c in selected],
        not_reached=True,
    )


def reach(cases: Iterable[Case], period: Period) -> Table:
    """How many youths were reached by the end of the period and how many not, and of
    those not reached, how many only through a guardian.

    Only a contact that reached the youth counts (:meth:`kaa.model.case.Case.reached`).

    Rows: ``(measure, label_sv, youths, share)`` for ``total``, ``reached``,
    ``not_reached`` and ``guardian_only`` (part of ``not_reached``).
    """
    selected = cases_in_period(cases, period)
    day = period.last_day
    total = len(selected)
    reached = sum(1 for c in selected if c.reached(on=day))
    guardian = sum(1 for c in selected if not c.reached(on=day) and c.guardian_reached(on=day))
    rows = (
        ("total", "alla", total, _share(total, total)),
        ("reached", "nådda", reached, _share(reached, total)),
        ("not_reached", "inte nådda", total - reached, _share(total - reached, total)),
        (
            "guardian_only",
            "varav bara vårdnadshavaren nådd",
            guardian,
            _share(guardian, total),
        ),
    )
    return Table(
        id="kaa.followup.reach",
        title_sv="Nådda och inte nådda ungdomar",
        title_en="Youths reached and not reached",
        columns=("measure", "label_sv", "youths", "share"),
        rows=rows,
        count_columns=("youths",),
        relations=(Relation(total=0, parts=(1, 2)),),
        shares=(Share("share", "youths", "youths", whole_row=0),),
        links=(("youths", 0, "youths"), ("not_reached", 2, "youths")),
    )


def contact_channels(cases: Iterable[Case], period: Period) -> Table:
    """Contact attempts in the period per channel, and how many of them reached the youth.

    Rows: ``(channel, label_sv, attempts, reached, share_reached)``, the first row all
    channels together.
    """
    attempts: Counter[Channel] = Counter()
    reached: Counter[Channel] = Counter()
    for case in cases_in_period(cases, period):
        for contact in case.contacts:
            if contact.day in period:
                attempts[contact.channel] += 1
                if contact.outcome.reached and contact.contacted is Contacted.YOUTH:
                    reached[contact.channel] += 1
    rows: list[tuple[Any, ...]] = []
    all_attempts, all_reached = sum(attempts.values()), sum(reached.values())
    relation = _partition(
        rows,
        ("total", "alla kanaler", all_attempts, all_reached, _share(all_reached, all_attempts)),
        [
            (ch.value, ch.label_sv, attempts[ch], reached[ch], _share(reached[ch], attempts[ch]))
            for ch in Channel
        ],
    )
    return Table(
        id="kaa.followup.contact_channels",
        title_sv="Kontaktförsök per kanal",
        title_en="Contact attempts per channel",
        columns=("channel", "label_sv", "attempts", "reached", "share_reached"),
        rows=tuple(rows),
        count_columns=("attempts", "reached"),
        relations=(relation,),
        shares=(Share("share_reached", "reached", "attempts"),),
    )


def _days_table(
    table_id: str,
    title_sv: str,
    title_en: str,
    cases: list[Case],
    first_event: Callable[[Case], dt.date | None],
) -> Table:
    days: list[int] = []
    never = 0
    for case in cases:
        event = first_event(case)
        if event is None:
            never += 1
        else:
            days.append((event - case.registration.day).days)
    rows: list[tuple[Any, ...]] = []
    relation = _partition(
        rows,
        ("nya under perioden", len(cases)),
        [(label, sum(1 for d in days if low <= d <= high)) for label, low, high in BUCKETS]
        + [("ännu inte", never)],
    )
    median = float(statistics.median(days)) if days else None
    rows.append(("median (dagar)", median))
    return Table(
        id=table_id,
        title_sv=title_sv,
        title_en=title_en,
        columns=("bucket", "youths"),
        rows=tuple(rows),
        count_columns=("youths",),
        relations=(relation,),
        links=(("new", 0, "youths"),),
        small_base=((len(rows) - 1, "youths", len(days)),),
    )


def _new_in(cases: Iterable[Case], period: Period) -> list[Case]:
    return [c for c in cases_in_period(cases, period) if c.registration.day >= period.first_day]


def days_to_first_contact(cases: Iterable[Case], period: Period) -> Table:
    """Days from registration to the first contact that reached the youth, for the youths
    registered in the period: the total, the distribution and the median (last row; ``None``
    when no youth has been reached)."""

    def first(case: Case) -> dt.date | None:
        reached = _reached_youth(case, period.last_day)
        return reached[0].day if reached else None

    return _days_table(
        "kaa.followup.days_to_first_contact",
        "Dagar från registrering till första kontakt",
        "Days from registration to first contact",
        _new_in(cases, period),
        first,
    )


def days_to_first_measure(cases: Iterable[Case], period: Period) -> Table:
    """Days from registration to the start of the first measure, for the youths registered
    in the period: the total, the distribution and the median (last row)."""

    def first(case: Case) -> dt.date | None:
        starts = [
            m.start for m in case.measures if m.start is not None and m.start <= period.last_day
        ]
        return min(starts) if starts else None

    return _days_table(
        "kaa.followup.days_to_first_measure",
        "Dagar från registrering till första insats",
        "Days from registration to first measure",
        _new_in(cases, period),
        first,
    )


def measures_by_category(
    cases: Iterable[Case], period: Period, catalogue: Catalogue | None = None
) -> Table:
    """Measures offered, declined, started and ended in the period, by catalogue category
    (education-oriented first), with all categories together in the first row.

    Args:
        cases: The cases.
        period: The period.
        catalogue: Where each measure's category is looked up (the national catalogue when
            ``None``; a measure type not in it counts as ``other``).
    """
    catalogue = catalogue if catalogue is not None else national_catalogue()
    counts: dict[MeasureKind, Counter[str]] = {k: Counter() for k in MeasureKind}
    for case in cases_in_period(cases, period):
        for m in case.measures:
            kind = catalogue.get(m.type).kind if m.type in catalogue else MeasureKind.OTHER
            counts[kind].update(_measure_counts(m, period))
    names = ("offered", "declined", "started", "ended")
    every: Counter[str] = sum(counts.values(), Counter())
    rows: list[tuple[Any, ...]] = []
    relation = _partition(
        rows,
        ("total", "alla kategorier", *(every[n] for n in names)),
        [(k.value, k.label_sv, *(c[n] for n in names)) for k, c in counts.items()],
    )
    return Table(
        id="kaa.followup.measures_by_category",
        title_sv="Insatser per kategori",
        title_en="Measures by category",
        columns=("category", "label_sv", *names),
        rows=tuple(rows),
        count_columns=names,
        relations=(relation,),
    )


def _measure_counts(m: Measure, period: Period) -> Counter[str]:
    c: Counter[str] = Counter()
    if m.offered in period:
        c["offered"] += 1
        if m.declined:
            c["declined"] += 1
    if m.start is not None and m.start in period:
        c["started"] += 1
    if (
        m.start is not None
        and m.start <= period.last_day
        and (m.end is None or m.end >= period.first_day)
    ):
        c["took_part"] += 1
    if m.end is not None and m.end in period:
        c["ended"] += 1
        if m.activity_after is not None and m.activity_after.is_studies:
            c["returned_to_studies"] += 1
    return c


_ACTIVITY_COLUMNS = ("offered", "declined", "started", "took_part", "ended", "returned_to_studies")
UNKNOWN_TYPE = "unknown_type"
"""The row of :func:`activities` for measures whose type the catalogue does not know."""


def activities(cases: Iterable[Case], period: Period, catalogue: Catalogue | None = None) -> Table:
    """Which activities were offered and how they worked: every measure of the
    municipality's catalogue, grouped by category, with how many were offered, declined,
    started, took place (ran on some day of the period), ended, and of those that ended how
    many were followed by studies.

    This answers Askersund's bilaga 4 ("Vilka aktiviteter har ungdomarna tagit del av?"),
    SKR's second evaluation point ("Vilka aktiviteter som erbjudits och hur de fungerat") and
    per activity Askersund's goal (return to studies after a measure). Every column counts
    measures, not youths (a youth with two measures counts twice), so categories add up to
    the total and measures to their category.

    Rows: ``(activity, label_sv, offered, declined, started, took_part, ended,
    returned_to_studies, share_returned)``: ``total``, then per category
    ``category:<kind>`` followed by ``measure:<id>`` for each of its measures; measures
    whose type the catalogue does not know are ``measure:unknown_type`` under *övrigt*
    (only when there are any).

    Args:
        cases: The cases.
        period: The period.
        catalogue: The municipality's catalogue (the national one when ``None``).
    """
    catalogue = catalogue if catalogue is not None else national_catalogue()
    per_type: dict[str, Counter[str]] = {d.id: Counter() for d in catalogue}
    unknown: Counter[str] = Counter()
    for case in cases_in_period(cases, period):
        for m in case.measures:
            (per_type.get(m.type, unknown)).update(_measure_counts(m, period))

    def row(key: str, label: str, c: Counter[str]) -> tuple[Any, ...]:
        counts = [c[n] for n in _ACTIVITY_COLUMNS]
        return (key, label, *counts, _share(c["returned_to_studies"], c["ended"]))

    by_kind: dict[MeasureKind, list[tuple[str, str, Counter[str]]]] = {k: [] for k in MeasureKind}
    for d in catalogue:
        by_kind[d.kind].append((f"measure:{d.id}", d.label_sv, per_type[d.id]))
    if sum(unknown.values()):
        by_kind[MeasureKind.OTHER].append(
            (f"measure:{UNKNOWN_TYPE}", "insatstyp som inte finns i katalogen", unknown)
        )
    everything: Counter[str] = sum(per_type.values(), Counter()) + unknown
    rows: list[tuple[Any, ...]] = [row("total", "alla insatser", everything)]
    kinds: list[int] = []
    relations: list[Relation] = []
    for kind, members in by_kind.items():
        kinds.append(len(rows))
        subtotal: Counter[str] = sum((c for _, _, c in members), Counter())
        rows.append(row(f"category:{kind.value}", kind.label_sv, subtotal))
        start = len(rows)
        rows += [row(key, label, c) for key, label, c in members]
        relations.append(Relation(total=kinds[-1], parts=tuple(range(start, len(rows)))))
    relations.insert(0, Relation(total=0, parts=tuple(kinds)))
    return Table(
        id="kaa.followup.activities",
        title_sv="Insatser: vilka som erbjudits och hur de fungerat",
        title_en="Activities offered and how they worked",
        columns=("activity", "label_sv", *_ACTIVITY_COLUMNS, "share_returned"),
        rows=tuple(rows),
        count_columns=_ACTIVITY_COLUMNS,
        relations=tuple(r for r in relations if r.parts),
        shares=(Share("share_returned", "returned_to_studies", "ended"),),
    )


def returned_to_studies(cases: Iterable[Case], period: Period) -> Table:
    """Of the youths with a measure that ended in the period, how many went on to studies
    (the activity after the measure is studies) — Askersund's goal.

    Rows: one, ``(measure, label_sv, youths_with_ended_measure, returned_to_studies,
    share)``; the row's key is ``returned_to_studies``.
    """
    ended = 0
    returned = 0
    for case in cases_in_period(cases, period):
        finished = [m for m in case.measures if m.end is not None and m.end in period]
        if not finished:
            continue
        ended += 1
        if any(m.activity_after is not None and m.activity_after.is_studies for m in finished):
            returned += 1
    return _part_of_whole(
        "kaa.followup.returned_to_studies",
        "Återgång till studier efter insats",
        "Returned to studies after a measure",
        "ungdomar som återgått till studier efter avslutad insats",
        ("youths_with_ended_measure", ended),
        ("returned_to_studies", returned),
    )


def end_reasons(cases: Iterable[Case], period: Period) -> Table:
    """Why KAA ended, for the youths whose KAA ended in the period
    (:func:`kaa.period.end_falls_in`), with all of them in the first row."""
    counts: Counter[EndReason] = Counter(
        c.end.reason
        for c in cases_in_period(cases, period)
        if c.end is not None and _ended_in(c, period)
    )
    total = sum(counts.values())
    rows: list[tuple[Any, ...]] = []
    relation = _partition(
        rows,
        ("total", "alla", total, _share(total, total)),
        [(r.value, r.label_sv, counts[r], _share(counts[r], total)) for r in EndReason],
    )
    return Table(
        id="kaa.followup.end_reasons",
        title_sv="Orsak till att aktivitetsansvaret upphörde",
        title_en="Why KAA ended",
        columns=("reason", "label_sv", "youths", "share"),
        rows=tuple(rows),
        count_columns=("youths",),
        relations=(relation,),
        shares=(Share("share", "youths", "youths", whole_row=0),),
        links=(("ended", 0, "youths"),),
    )


def plan_completeness(
    cases: Iterable[Case],
    period: Period,
    catalogue: Catalogue | None = None,
    *,
    checks: PlanChecks | None = None,
) -> Table:
    """How many youths who need documentation (a measure was agreed, or they have a plan)
    have a complete individual plan — all seven items of förordning (2006:39) — and how
    many lack each item (see :func:`kaa.rules.plan.check_plan`).

    Rows: ``(measure, label_sv, youths, share)``; shares are of the youths who need a plan.

    ``checks`` checks each case once for several periods (:class:`kaa.rules.plan.PlanChecks`,
    made with the same catalogue); without it, each case is checked here.
    """
    selected = cases_in_period(cases, period)
    if checks is None:
        summary = summarise(selected, catalogue=catalogue)
    else:
        if checks.catalogue is not catalogue:
            raise InvalidInput("plan_completeness: the checks are for another catalogue")
        summary = PlanSummary.of(checks(case) for case in selected)
    need = summary.required
    rows: list[tuple[Any, ...]] = [
        ("required", "behöver dokumenterad plan", need, None),
        ("with_plan", "har individuell plan", summary.with_plan, _share(summary.with_plan, need)),
        (
            "complete",
            "har fullständig plan (alla sju punkter)",
            summary.complete,
            _share(summary.complete, need),
        ),
    ]
    rows += [
        (
            f"missing_{item.number}",
            f"saknar punkt {item.number}: {item.label_sv}",
            count,
            _share(count, need),
        )
        for item, count in summary.missing_by_item
    ]
    return Table(
        id="kaa.followup.plan_completeness",
        title_sv="Individuella planer och dokumentation",
        title_en="Individual plans and documentation",
        columns=("measure", "label_sv", "youths", "share"),
        rows=tuple(rows),
        count_columns=("youths",),
        shares=(Share("share", "youths", "youths", whole_row=0),),
    )


def overdue_follow_ups(
    cases: Iterable[Case], period: Period, *, on: dt.date | None = None, hooks: Hooks | None = None
) -> Table:
    """Open cases whose plan follow-up is overdue on ``on`` (the last day of the period by
    default), under each municipality's follow-up policy
    (:func:`kaa.rules.plan.next_follow_up_due`).

    Rows: one, ``(measure, label_sv, open_with_plan, overdue, share)``.
    """
    day = on or period.last_day
    with_plan = overdue = 0
    for case in cases_in_period(cases, period):
        if case.plan is None or not case.open_on(day) or case.plan.as_of(day) is None:
            continue
        with_plan += 1
        due = next_follow_up_due(
            case,
            on=day,
            policy=hooks.plan_follow_up_policy if hooks is not None else national_follow_up_policy,
        )
        if due is not None and due < day:
            overdue += 1
    return _part_of_whole(
        "kaa.followup.overdue_follow_ups",
        "Försenade uppföljningar av planer",
        "Overdue plan follow-ups",
        "öppna ärenden vars uppföljning av planen är försenad",
        ("open_with_plan", with_plan),
        ("overdue", overdue),
    )
