"""The benchmarks' one table: every figure in ``benchmarks/out/*.json`` beside its goal.

Usage::

    python benchmarks/summary.py [--out-dir benchmarks/out] [--scripts benchmarks]
                                 [--markdown benchmarks/out/summary.md]

It prints one table — path, size, the figure (median, with min–max), the peak memory, the
goal, and *met* / *not met* / *not measured* — and writes the same table as Markdown to
``summary.md`` beside the JSON (atomically). The goals are written once, below (``GOALS``),
each with where it comes from (a row of issue 17's table or a line of issue 12). Nothing is
invented: a goal whose figure is in no JSON, or only in a stale one, is shown as
*not measured* with the reason.

The convention every benchmark follows (``_measure.write_results`` writes it; a script that
does not use ``_measure`` can write it by hand) is one JSON object per script,
``benchmarks/out/<script>.json``, whose top-level keys include:

- ``"summary"``: a list of figures, each an object
  ``{"path": str, "size": int | str, "median": float, "min": float, "max": float,
  "unit": str}`` and optionally ``"peak_mib": float`` (the largest peak resident memory of
  the runs at that size). ``path`` names what is measured and against what, e.g.
  ``"kaa assess (columnar) / csv read"``; a goal below applies to every figure whose path
  its pattern matches (:func:`fnmatch.fnmatchcase`; a figure no goal matches is listed as
  *no goal*). ``size`` is the number of items (youths, cases, rows) the figure was
  measured at, or a text such as ``"56000→560000"`` for a figure between two sizes.
  ``unit`` is ``"×"`` for a ratio, ``"B"`` for bytes per item, ``"s"``, ``"ms"``,
  ``"MiB"`` or ``"youths/s"``, or ``"identical"`` for a yes/no check (1 = yes; the median
  is judged, and ``min`` says whether every run agreed). Median, min and max are over the
  runs (at least three in the house style), each ratio taken within one run.
- ``"not_measured"`` (optional): a list of ``{"path": str, "reason": str}`` for figures the
  script meant to measure and could not (an engine the command does not accept, a server
  that is not installed); the reason is shown beside the goal instead of a figure.
- ``"written"``: when, as an ISO 8601 time with an offset (else the file's modification
  time is used); ``"quick"``: true when run with ``--quick`` (small sizes: the statuses
  are then marked *quick*); ``"commit"``: ``git describe --always --dirty`` of the code
  measured.

A JSON is **stale** when the script that writes it (``<script>.py`` in ``--scripts``) was
changed after it was written; its figures are then not shown. A JSON that cannot be read,
or has no ``"summary"`` list, is not used either.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaa.formats.files import atomic_text

HERE = Path(__file__).resolve().parent

_I17 = "issue 17, table row"
_I12 = "issue 12, Reliability and performance:"
_FLAT = (
    "the library's own threshold for 'nearly flat': 32 bytes a youth, four compact 8-byte "
    "integer keys"
)


@dataclass(frozen=True)
class Goal:
    """A goal: the figures it applies to, how it reads, where it comes from.

    ``op`` and ``value`` judge a figure's median (``"<="``, ``">="``, ``"=="``); with
    ``op=None`` the figure is only to be reported (status *reported*). ``scale`` is the
    size the goal is stated at: a figure measured at a smaller size is marked so."""

    pattern: str
    scripts: tuple[str, ...]
    text: str
    source: str
    op: str | None = None
    value: float = math.nan
    scale: int | None = None

    def judge(self, median: float) -> str:
        """``met``, ``not met`` or ``reported``."""
        if self.op is None:
            return "reported"
        ok = {
            "<=": median <= self.value,
            ">=": median >= self.value,
            "==": median == self.value,
        }[self.op]
        return "met" if ok else "not met"


GOALS: tuple[Goal, ...] = (
    Goal(
        "kaa assess (reference) / csv read",
        ("bench_assess", "bench_columnar"),
        "≤ 4× the csv read (without the extra)",
        f'{_I17} "kaa assess, canonical CSV"; "Done when": with and without the extra',
        "<=",
        4.0,
        560_000,
    ),
    Goal(
        "kaa assess (columnar) / csv read",
        ("bench_columnar",),
        "≤ 4× the csv read (kaa[fast])",
        f'{_I17} "kaa assess, canonical CSV"; item 2 (the columnar fast path)',
        "<=",
        4.0,
        560_000,
    ),
    Goal(
        "kaa assess (*) / csv read + write",
        ("bench_assess", "bench_columnar"),
        "report against csv read + csv write of the same output",
        f'{_I17} "kaa assess, canonical CSV": "also report against …"',
    ),
    Goal(
        "kaa assess: the two engines' output identical",
        ("bench_columnar",),
        "byte-identical decisions",
        'issue 17, item 2, "The safeguard": the same comparison on the national file',
        "==",
        1.0,
    ),
    Goal(
        "ist → decisions (reference) / csv read",
        ("bench_sources", "bench_profile_columnar"),
        "≤ 4× csv, measured to decisions (without the extra)",
        f'{_I17} "the ist adapter → decisions"',
        "<=",
        4.0,
        560_000,
    ),
    Goal(
        "ist → decisions (columnar) / csv read",
        ("bench_sources", "bench_profile_columnar"),
        "≤ 4× csv, measured to decisions (kaa[fast])",
        f'{_I17} "the ist adapter → decisions"; item 2 (profiles feed the columnar assess)',
        "<=",
        4.0,
        560_000,
    ),
    Goal(
        "ist read to records / csv read",
        ("bench_sources",),
        "report (the issue's 'now' is to per-youth records)",
        f'{_I17} "the ist adapter → decisions", column "now"',
    ),
    Goal(
        "scb: build + check / load the cases",
        ("bench_scb",),
        "≤ 1× loading the cases",
        f'{_I17} "SCB half-year: build + check + write"',
        "<=",
        1.0,
        65_000,
    ),
    Goal(
        "scb: write / bare csv write",
        ("bench_scb",),
        "≤ 4× a bare csv write",
        f'{_I17} "SCB half-year: build + check + write"',
        "<=",
        4.0,
        65_000,
    ),
    Goal(
        "scb: Excel / the text file",
        ("bench_scb",),
        "≤ 3× the text file",
        f'{_I17} "SCB Excel view (--excel)"',
        "<=",
        3.0,
        65_000,
    ),
    Goal(
        "scb: Excel cost per record, this size over the smallest",
        ("bench_scb",),
        "linear: ≤ 1.5 (a quadratic writer gives about 10 over N/10 → N)",
        f'{_I17} "SCB Excel view (--excel)": "linear"; 1.5 is the library\'s own threshold',
        "<=",
        1.5,
        65_000,
    ),
    Goal(
        "worklist: build / load the cases",
        ("bench_worklist",),
        "≤ 3× loading",
        f'{_I17} "worklist"',
        "<=",
        3.0,
        65_000,
    ),
    Goal(
        "kaa year (a region) / read the register + load the cases",
        ("bench_year",),
        "≤ 3× (reading the register + loading the cases)",
        f'{_I17} "kaa year, a region"',
        "<=",
        3.0,
        60_000,
    ),
    Goal(
        "kaa assess (*): peak memory per youth",
        ("bench_assess", "bench_columnar"),
        "nearly flat: ≤ 32 B a youth",
        f'{_I17} "memory"; {_FLAT}',
        "<=",
        32.0,
        560_000,
    ),
    Goal(
        "ist read: peak memory per youth",
        ("bench_sources",),
        "nearly flat: ≤ 32 B a youth",
        f'{_I17} "memory" (the IST reader); {_FLAT}',
        "<=",
        32.0,
        560_000,
    ),
    Goal(
        "store (*): record one event, this size over the smallest",
        ("bench_store",),
        "the same cost: ≤ 1.5 (CPU)",
        f'{_I12} "Recording one event costs the same with 6,500 and with 65,000 cases"; '
        "1.5 is the library's own threshold for 'the same'",
        "<=",
        1.5,
        65_000,
    ),
    Goal(
        "store (*): load every case / from JSON Lines",
        ("bench_store",),
        "≤ 1.5× loading from JSON Lines",
        f'{_I12} "loading all 65,000 cases from the store within 1.5× …"',
        "<=",
        1.5,
        65_000,
    ),
    Goal(
        "store (*): worklist / from the JSON Lines file",
        ("bench_store",),
        "≤ 1.5× the worklist from the file",
        f'{_I12} "the worklist for 65,000 cases from the store within 1.5× …"',
        "<=",
        1.5,
        65_000,
    ),
    Goal(
        "sync (*): peak memory per youth of the register",
        ("bench_sync",),
        "flat memory: ≤ 32 B a youth",
        f'{_I12} "a sync of a 560,000-youth national register export completes with flat '
        f'memory"; {_FLAT}',
        "<=",
        32.0,
        560_000,
    ),
)


@dataclass(frozen=True)
class Loaded:
    """One ``<script>.json``: its figures when they can be used, else why not."""

    script: str
    figures: tuple[dict[str, Any], ...]
    state: str
    """``fresh``, ``stale``, ``unreadable`` or ``no summary``."""
    detail: str
    quick: bool = False
    not_measured: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    path: str
    size: str
    figure: str
    peak: str
    goal: str
    status: str
    script: str
    footnote: int | None = None


def load(out_dir: Path, scripts: Path) -> list[Loaded]:
    """Every ``*.json`` of ``out_dir`` (``summary.json`` aside), judged fresh or not."""
    found = []
    for path in sorted(out_dir.glob("*.json")):
        script = path.stem
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            found.append(Loaded(script, (), "unreadable", f"cannot be read: {exc}"))
            continue
        figures = data.get("summary") if isinstance(data, dict) else None
        if not isinstance(figures, list) or not all(_is_figure(f) for f in figures):
            found.append(
                Loaded(script, (), "no summary", 'no "summary" list of figures (an older run)')
            )
            continue
        written = _written(data, path)
        quick = bool(data.get("quick", False))
        source = scripts / f"{script}.py"
        when = written.isoformat(timespec="seconds")
        commit = data.get("commit", "commit not known")
        detail = f"written {when}, {commit}" + (", quick" if quick else "")
        if source.is_file() and source.stat().st_mtime > written.timestamp():
            found.append(
                Loaded(script, (), "stale", f"{detail}; {source.name} changed since", quick)
            )
            continue
        missing = data.get("not_measured")
        left_out = tuple(
            (str(m["path"]), str(m.get("reason", "not given")))
            for m in (missing if isinstance(missing, list) else [])
            if isinstance(m, dict) and isinstance(m.get("path"), str)
        )
        found.append(Loaded(script, tuple(figures), "fresh", detail, quick, left_out))
    return found


def _is_figure(item: object) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        return False
    numbers = [item.get(k) for k in ("median", "min", "max")]
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers)


def _written(data: dict[str, Any], path: Path) -> dt.datetime:
    text = data.get("written")
    if isinstance(text, str):
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if when.tzinfo is not None:
                return when
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


def goal_of(path: str) -> Goal | None:
    """The first goal whose pattern matches ``path``."""
    return next((g for g in GOALS if fnmatch.fnmatchcase(path, g.pattern)), None)


def _number(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _figure(item: dict[str, Any]) -> str:
    unit = str(item.get("unit", ""))
    low, median, high = (float(item[k]) for k in ("min", "median", "max"))
    if unit == "identical":
        if low == high:
            return "yes" if median == 1 else "no"
        return f"{'yes' if median == 1 else 'no'} (runs differ)"
    sep = "" if unit in ("×", "") else " "
    main = f"{_number(median)}{sep}{unit}"
    return main if low == high else f"{main} ({_number(low)}–{_number(high)})"


def _size(size: object) -> str:
    if isinstance(size, int) and not isinstance(size, bool):
        return f"{size:,}"
    return str(size).replace("→", " → ") if size is not None else "—"


def _status(goal: Goal | None, item: dict[str, Any], quick: bool) -> str:
    if goal is None:
        return "no goal"
    status = goal.judge(float(item["median"]))
    notes = []
    size = item.get("size")
    largest = size if isinstance(size, int) else _largest(size)
    measured = goal.scale is not None and goal.op is not None and largest is not None
    if measured and largest < goal.scale:  # type: ignore[operator]
        notes.append(f"below {goal.scale:,}")
    if quick:
        notes.append("quick")
    return status + (f" ({', '.join(notes)})" if notes else "")


def _largest(size: object) -> int | None:
    if isinstance(size, str) and "→" in size:
        try:
            return int(size.rsplit("→", 1)[1].replace(",", ""))
        except ValueError:
            return None
    return None


def figure_rows(figures: Sequence[dict[str, Any]], script: str, *, quick: bool) -> list[Row]:
    """The rows of one script's figures, each beside its goal."""
    rows = []
    for item in figures:
        goal = goal_of(str(item["path"]))
        peak = item.get("peak_mib")
        rows.append(
            Row(
                path=str(item["path"]),
                size=_size(item.get("size")),
                figure=_figure(item),
                peak=f"{float(peak):,.1f}" if isinstance(peak, int | float) else "",
                goal=goal.text if goal else "—",
                status=_status(goal, item, quick),
                script=script,
                footnote=GOALS.index(goal) + 1 if goal else None,
            )
        )
    return rows


def table_rows(loaded: Sequence[Loaded]) -> list[Row]:
    """The whole table: the goals in their order, each with its figures or *not measured*,
    then the figures no goal matches."""
    fresh = [(item, one) for one in loaded if one.state == "fresh" for item in one.figures]
    rows: list[Row] = []
    used: set[int] = set()
    for number, goal in enumerate(GOALS, 1):
        matched = [
            (i, item, one)
            for i, (item, one) in enumerate(fresh)
            if goal_of(str(item["path"])) is goal
        ]
        for i, item, one in matched:
            used.add(i)
            rows.extend(figure_rows([item], one.script, quick=one.quick))
        if not matched:
            rows.append(
                Row(
                    goal.pattern,
                    "—",
                    "—",
                    "",
                    goal.text,
                    _why_not(goal, loaded),
                    ", ".join(goal.scripts),
                    number,
                )
            )
    for i, (item, one) in enumerate(fresh):
        if i not in used:
            rows.extend(figure_rows([item], one.script, quick=one.quick))
    return rows


def _why_not(goal: Goal, loaded: Sequence[Loaded]) -> str:
    told = [
        f"{one.script}: {reason}"
        for one in loaded
        if one.state == "fresh"
        for path, reason in one.not_measured
        if fnmatch.fnmatchcase(path, goal.pattern)
    ]
    if told:
        return f"not measured ({'; '.join(told)})"
    by_script = {one.script: one for one in loaded}
    reasons = []
    for script in goal.scripts:
        one = by_script.get(script)
        if one is None:
            reasons.append(f"no {script}.json")
        elif one.state == "fresh":
            reasons.append(f"not in {script}.json")
        else:
            reasons.append(f"{script}.json {one.state}")
    return f"not measured ({'; '.join(reasons)})"


_HEADS = ("path", "size", "figure (median, min–max)", "peak MiB", "goal", "status", "from")


def _cells(row: Row) -> tuple[str, ...]:
    goal = row.goal + (f" [{row.footnote}]" if row.footnote else "")
    return (row.path, row.size, row.figure, row.peak, goal, row.status, row.script)


def render(rows: Sequence[Row]) -> str:
    """The rows as an aligned text table, with the goals' sources below it."""
    cells = [_HEADS, *(_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(_HEADS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*(line.rstrip() for line in lines), *_sources(rows)])


def _sources(rows: Sequence[Row]) -> list[str]:
    numbers = sorted({r.footnote for r in rows if r.footnote})
    return ([""] if numbers else []) + [f"[{n}] {GOALS[n - 1].source}" for n in numbers]


def markdown(rows: Sequence[Row], loaded: Sequence[Loaded]) -> str:
    """The table as Markdown, with the state of every JSON and the goals' sources."""

    def escape(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["# Benchmarks: the figures beside the goals", ""]
    lines += [f"- `{one.script}.json`: {one.state} ({escape(one.detail)})" for one in loaded]
    lines += ["", "| " + " | ".join(_HEADS) + " |", "|" + "---|" * len(_HEADS)]
    lines += ["| " + " | ".join(escape(c) for c in _cells(r)) + " |" for r in rows]
    return "\n".join([*lines, *_sources(rows)]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table and write ``summary.md``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=HERE / "out", metavar="DIR")
    parser.add_argument("--scripts", type=Path, default=HERE, metavar="DIR")
    parser.add_argument("--markdown", type=Path, default=None, metavar="PATH")
    args = parser.parse_args(argv)
    loaded = load(args.out_dir, args.scripts) if args.out_dir.is_dir() else []
    rows = table_rows(loaded)
    target = args.markdown or args.out_dir / "summary.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(target) as f:
        f.write(markdown(rows, loaded))
    for one in loaded:
        print(f"{one.script}.json: {one.state} ({one.detail})")
    print()
    print(render(rows))
    print(f"\nwritten: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
