"""The committee report (*rapport till nämnd*): a self-contained HTML page in Swedish.

Everything is inline — styles, and charts as SVG — so the file can be mailed, archived and
opened without a network. Counts below the suppression threshold are shown as "<5" (see
:mod:`kaa.followup`). Identity numbers never appear: the report is about groups.

    >>> import datetime as dt
    >>> from kaa.period import HalfYear
    >>> from kaa.report import build_report
    >>> html = build_report([], HalfYear(2026, 2), municipality="1882").html()
    >>> "Askersund" in html and "HT 2026" in html
    True
"""

from __future__ import annotations

import datetime as dt
import html as _html
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from kaa import followup
from kaa.followup import DEFAULT_SUPPRESSION_THRESHOLD, Table
from kaa.formats.goals import Goal, load_goals
from kaa.model.case import Case
from kaa.municipalities import municipality as lookup_municipality
from kaa.period import Period
from kaa.rules.measures import Catalogue, national_catalogue

__all__ = ["Goal", "Report", "build_report", "load_goals"]


def _figures(
    cases: Sequence[Case], period: Period, catalogue: Catalogue | None, made: dt.date
) -> list[Table]:
    return [
        followup.population(cases, period),
        followup.reach(cases, period),
        followup.activity_at_registration(cases, period),
        followup.activity_at_latest_contact(cases, period),
        followup.contact_channels(cases, period),
        followup.days_to_first_contact(cases, period),
        followup.days_to_first_measure(cases, period),
        followup.measures_by_category(cases, period, catalogue),
        followup.returned_to_studies(cases, period),
        followup.plan_completeness(cases, period, catalogue),
        followup.overdue_follow_ups(cases, period, on=min(period.last_day, made)),
        followup.end_reasons(cases, period),
    ]


@attrs.frozen(kw_only=True)
class Report:
    """The figures of a period and the previous one, ready to render.

    Attributes:
        municipality: The kommunkod.
        period: The period reported on.
        figures: The figures of the period (suppressed for publication).
        previous: The same figures for the previous period (suppressed).
        goals: The municipality's goals, if configured.
        threshold: The suppression threshold used.
        made: The day the report was made.
    """

    municipality: str
    period: Period
    figures: tuple[Table, ...]
    previous: tuple[Table, ...]
    goals: tuple[Goal, ...] = ()
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    made: dt.date

    def figure(self, figure_id: str, *, previous: bool = False) -> Table:
        """One figure by id."""
        for table in self.previous if previous else self.figures:
            if table.id == figure_id:
                return table
        raise KeyError(figure_id)

    def goal_status(self, goal: Goal) -> tuple[Any, Any, bool | None]:
        """The current value, the previous value and whether the goal is met (``None`` when
        it cannot be told, e.g. a suppressed or missing value)."""
        now = self.figure(goal.figure).value(goal.row, goal.column)
        before = self.figure(goal.figure, previous=True).value(goal.row, goal.column)
        met: bool | None = None
        if goal.direction in ("raise", "lower"):
            if now is not None and before is not None:
                met = now > before if goal.direction == "raise" else now < before
        elif now is not None and goal.target is not None:
            met = now >= goal.target if goal.direction == "at_least" else now <= goal.target
        return now, before, met

    def html(self, *, print_friendly: bool = False) -> str:
        """The report as one self-contained HTML document."""
        return _render(self, print_friendly=print_friendly)


def build_report(
    cases: Iterable[Case],
    period: Period,
    *,
    municipality: str,
    goals: Sequence[Goal] = (),
    catalogue: Catalogue | None = None,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    made: dt.date | None = None,
) -> Report:
    """Compute every figure for ``period`` and the previous period.

    Args:
        cases: The municipality's cases (all of them; each figure selects its period).
        period: A half-year or a year.
        municipality: The kommunkod (only its cases are counted).
        goals: The municipality's goals.
        catalogue: For measure categories (the municipality's catalogue,
            :meth:`kaa.plugins.manager.Hooks.measure_catalogue`); the national catalogue when
            ``None``.
        threshold: Counts from 1 to ``threshold - 1`` are suppressed.
        made: The day the report is made (today when ``None``).
    """
    lookup_municipality(municipality)
    made_on = made or dt.date.today()
    if catalogue is None:
        catalogue = national_catalogue()
    own = [c for c in cases if c.municipality == municipality]
    return Report(
        municipality=municipality,
        period=period,
        figures=tuple(t.suppressed(threshold) for t in _figures(own, period, catalogue, made_on)),
        previous=tuple(
            t.suppressed(threshold) for t in _figures(own, period.previous(), catalogue, made_on)
        ),
        goals=tuple(goals),
        threshold=threshold,
        made=made_on,
    )


# --- rendering ------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:2px solid #1f5f8b;padding-bottom:.2rem}
.meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ccd;border-radius:.4rem;padding:.6rem .9rem;min-width:10rem}
.card b{display:block;font-size:1.5rem}.card span{color:#555;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
th,td{border-bottom:1px solid #dde;padding:.25rem .6rem;text-align:right}
th:first-child,td:first-child,td.t{text-align:left}thead th{background:#eef3f8}
.met{color:#1a7f37}.notmet{color:#b42318}.unknown{color:#555}
.note{font-size:.85rem;color:#555}svg text{font-family:inherit;font-size:12px}
"""
_PRINT_CSS = """
body{max-width:none;margin:1cm;font-size:11pt;color:#000}
h2{break-after:avoid;border-color:#000}figure,table{break-inside:avoid}
.card{border-color:#000}thead th{background:none;border-bottom:1px solid #000}
svg rect.bar{fill:#555}
"""


def _e(value: object) -> str:
    return _html.escape(str(value), quote=True)


def _fmt(value: Any, *, share: bool = False, threshold: int) -> str:
    if value is None:
        return f"&lt;{threshold}" if not share else "–"
    if isinstance(value, float):
        return f"{value * 100:.0f} %" if share else f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return _e(value)


def _bar_chart(
    labels: Sequence[str], values: Sequence[int | None], title: str, threshold: int
) -> str:
    width, bar_h, gap, label_w = 560, 18, 6, 230
    shown = [v or 0 for v in values]
    top = max(shown) if shown and max(shown) > 0 else 1
    height = len(labels) * (bar_h + gap) + gap
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar_h + gap)
        w = 0 if value is None else int((width - label_w - 60) * value / top)
        text = f"<{threshold}" if value is None else str(value)
        parts.append(
            f'<text x="0" y="{y + 13}">{_e(label[:34])}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" '
            f'fill="#1f5f8b"/><text x="{label_w + w + 6}" y="{y + 13}">{_e(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


_SHARE_COLUMNS = {"share", "share_reached"}
_GROUPS = {
    "total": "Totalt",
    "status": "Status",
    "reason": "Orsak till registrering",
    "sex": "Kön",
    "age": "Ålder",
}
_HEADINGS = {
    "open_with_plan": "Öppna ärenden med plan",
    "overdue": "Försenade",
    "group": "Grupp",
    "category": "Kategori",
    "youths": "Ungdomar",
    "label_sv": "",
    "share": "Andel",
    "attempts": "Försök",
    "reached": "Nådda",
    "share_reached": "Andel nådda",
    "bucket": "Dagar",
    "offered": "Erbjudna",
    "declined": "Tackat nej",
    "started": "Påbörjade",
    "ended": "Avslutade",
    "youths_with_ended_measure": "Ungdomar med avslutad insats",
    "returned_to_studies": "Återgått till studier",
    "activity": "Sysselsättning",
    "measure": "Mått",
    "channel": "Kanal",
    "reason": "Orsak",
}


def _table_html(now: Table, before: Table, threshold: int) -> str:
    label = "label_sv" if "label_sv" in now.columns else now.columns[0]
    values = [c for c in now.columns[1:] if c != "label_sv"]
    count_col = now.count_columns[0] if now.count_columns else None
    head = f"<th>{_e(_HEADINGS.get(now.columns[0], now.columns[0]))}</th>"
    head += "".join(f"<th>{_e(_HEADINGS.get(c, c))}</th>" for c in values)
    if count_col:
        head += f"<th>{_e(_HEADINGS.get(count_col, count_col))}, föregående period</th>"
    keys = [i for i, c in enumerate(now.columns) if c not in now.count_columns]
    keys = [i for i in keys if all(isinstance(r[i], str) for r in now.rows)] or [0]
    previous = {tuple(r[i] for i in keys): r for r in before.rows}
    empty = tuple(None for _ in now.columns)
    body = []
    for row in now.rows:
        prev = previous.get(tuple(row[i] for i in keys), empty)
        first = row[now.columns.index(label)]
        cells = [f"<td>{_e(_GROUPS.get(first, first))}</td>"]
        for c in values:
            value = row[now.columns.index(c)]
            css = ' class="t"' if isinstance(value, str) else ""
            text = _fmt(value, share=c in _SHARE_COLUMNS, threshold=threshold)
            cells.append(f"<td{css}>{text}</td>")
        if count_col:
            cells.append(
                f"<td>{_fmt(prev[now.columns.index(count_col)], threshold=threshold)}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure_html(report: Report, now: Table, before: Table) -> str:
    parts = [f'<section id="{_e(now.id)}"><h2>{_e(now.title_sv)}</h2>']
    if now.count_columns and now.id != "kaa.followup.population":
        count_col = now.count_columns[0]
        label_col = "label_sv" if "label_sv" in now.columns else now.columns[0]
        rows = [r for r in now.rows if not (isinstance(r[0], str) and r[0].startswith("median"))]
        parts.append(
            _bar_chart(
                [str(r[now.columns.index(label_col)]) for r in rows],
                [r[now.columns.index(count_col)] for r in rows],
                now.title_sv,
                report.threshold,
            )
        )
    parts.append(_table_html(now, before, report.threshold))
    parts.append(f'<p class="note">Funktion: <code>{_e(now.id)}</code></p></section>')
    return "".join(parts)


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{value}</b><span>{_e(label)}</span></div>'


def _render(report: Report, *, print_friendly: bool) -> str:
    kommun = lookup_municipality(report.municipality)
    t = report.threshold
    pop = report.figure("kaa.followup.population")
    reach = report.figure("kaa.followup.reach")
    studies = report.figure("kaa.followup.returned_to_studies")
    plans = report.figure("kaa.followup.plan_completeness")
    cards = "".join(
        [
            _card(_fmt(pop.rows[0][2], threshold=t), "ungdomar inom KAA"),
            _card(
                _fmt(
                    pop.value("status", "youths")
                    if False
                    else next(r[2] for r in pop.rows if r[:2] == ("status", "ny")),
                    threshold=t,
                ),
                "nya under perioden",
            ),
            _card(_fmt(reach.value("reached", "share"), share=True, threshold=t), "andel nådda"),
            _card(
                _fmt(reach.value("unknown_activity", "share"), share=True, threshold=t),
                "andel med okänd sysselsättning",
            ),
            _card(
                _fmt(studies.rows[0][3], share=True, threshold=t),
                "återgått till studier efter insats",
            ),
            _card(
                _fmt(plans.value("complete", "share"), share=True, threshold=t),
                "har fullständig individuell plan",
            ),
        ]
    )
    goals_html = ""
    if report.goals:
        items = []
        for goal in report.goals:
            now, before, met = report.goal_status(goal)
            share = goal.column in _SHARE_COLUMNS
            if met is None:
                status = ("unknown", "kan inte bedömas")
            else:
                status = ("met", "uppfyllt") if met else ("notmet", "inte uppfyllt")
            items.append(
                f"<tr><td>{_e(goal.label_sv)}</td>"
                f"<td>{_fmt(now, share=share, threshold=t)}</td>"
                f"<td>{_fmt(before, share=share, threshold=t)}</td>"
                f'<td class="{status[0]}">{status[1]}</td>'
                f"<td>{_e(goal.source or '')}</td></tr>"
            )
        goals_html = (
            "<h2>Kommunens mål</h2><table><thead><tr><th>Mål</th><th>Nu</th>"
            "<th>Föregående period</th><th>Status</th><th>Beslutat i</th></tr></thead>"
            f"<tbody>{''.join(items)}</tbody></table>"
        )
    sections = "".join(
        _figure_html(report, now, before)
        for now, before in zip(report.figures, report.previous, strict=True)
    )
    css = _CSS + (_PRINT_CSS if print_friendly else "@media print{" + _PRINT_CSS + "}")
    previous = report.period.previous()
    return (
        "<!DOCTYPE html>\n"
        '<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Kommunernas aktivitetsansvar – {_e(kommun.name)} – {_e(report.period)}</title>"
        f"<style>{css}</style></head><body>"
        f"<h1>Kommunernas aktivitetsansvar – {_e(_genitive(kommun.name))} kommun</h1>"
        f'<p class="meta">Uppföljning {_e(report.period)}, jämfört med {_e(previous)}. '
        f"Kommunkod {_e(kommun.code)}. Sammanställd {_e(report.made.isoformat())}.</p>"
        f'<div class="cards">{cards}</div>'
        f"{goals_html}{sections}"
        f'<p class="note">Antal under {t} redovisas som &lt;{t} så att ingen enskild ungdom '
        "kan identifieras. Underlag: kommunens register enligt förordningen (2006:39). "
        "Rapporten är gjord med biblioteket kaa; varje tabell anger funktionen som räknar "
        "fram den.</p></body></html>\n"
    )
