"""The committee report (*rapport till nämnd*): a self-contained HTML page in Swedish.

Everything is inline — styles, and charts as SVG — so the file can be mailed, archived and
opened without a network. Identity numbers never appear: the report is about groups.

Small counts are suppressed over the whole report at once (:func:`kaa.followup.suppress`):
counts below the threshold, and every count or share that would let one be worked out from
the sums, shares and repeated counts shown — within a figure, between figures (the youths of
the population are the youths of every other figure) and between the period and the
previous one (the youths continuing into the period are the previous period's youths less
those who ended). A hidden cell reads "..", a cell with no value (a median of no youths, a
share of nothing) "–".

The report answers Askersund's yearly questions (*stöd- och processfrågor*, bilaga 4 of its
action plan) and SKR's two evaluation points, and says which of them the register cannot
answer (:data:`QUESTIONS`).

    >>> import datetime as dt
    >>> from kaa.period import HalfYear, Tertial
    >>> from kaa.report import build_report
    >>> html = build_report([], HalfYear(2026, 2), municipality="1882").html()
    >>> "Askersund" in html and "HT 2026" in html
    True
    >>> "jämfört med T3 2025" in build_report([], Tertial(2026, 1), municipality="0180").html()
    True
"""

from __future__ import annotations

import datetime as dt
import html as _html
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from kaa import followup
from kaa.errors import ConfigurationError
from kaa.followup import DEFAULT_SUPPRESSION_THRESHOLD, Table
from kaa.formats.goals import Goal, load_goals
from kaa.model.case import Case
from kaa.municipalities import municipality as lookup_municipality
from kaa.period import Period
from kaa.rules.measures import Catalogue, national_catalogue
from kaa.rules.plan import PlanChecks

__all__ = [
    "FIGURE_IDS",
    "HEADINGS",
    "HIDDEN",
    "NO_VALUE",
    "QUESTIONS",
    "Goal",
    "Question",
    "Report",
    "build_report",
    "load_goals",
    "wrap_label",
]

HIDDEN: Final = ".."
"""How a suppressed cell reads."""
NO_VALUE: Final = "–"
"""How a cell with no value reads (a median of no youths, a share of nothing)."""


def _figures(
    cases: Sequence[Case],
    period: Period,
    catalogue: Catalogue | None,
    made: dt.date,
    checks: PlanChecks,
) -> list[Table]:
    cases = followup._selected_for(cases, period)  # once for every figure
    return [
        followup.population(cases, period),
        followup.reach(cases, period),
        followup.activity_at_registration(cases, period),
        followup.activity_at_latest_contact(cases, period),
        followup.contact_channels(cases, period),
        followup.days_to_first_contact(cases, period),
        followup.days_to_first_measure(cases, period),
        followup.activities(cases, period, catalogue),
        followup.returned_to_studies(cases, period),
        followup.plan_completeness(cases, period, catalogue, checks=checks),
        followup.overdue_follow_ups(cases, period, on=min(period.last_day, made)),
        followup.end_reasons(cases, period),
    ]


FIGURE_IDS: Final = (
    "kaa.followup.population",
    "kaa.followup.reach",
    "kaa.followup.activity_at_registration",
    "kaa.followup.activity_at_latest_contact",
    "kaa.followup.contact_channels",
    "kaa.followup.days_to_first_contact",
    "kaa.followup.days_to_first_measure",
    "kaa.followup.activities",
    "kaa.followup.returned_to_studies",
    "kaa.followup.plan_completeness",
    "kaa.followup.overdue_follow_ups",
    "kaa.followup.end_reasons",
)
"""The figures of the report, in order (a goal must name one of them)."""


@attrs.frozen(kw_only=True)
class Question:
    """A follow-up question from a seed document, and where the report answers it.

    Attributes:
        text_sv: The question, in the source's words.
        source: Where it is asked.
        figures: The ids of the figures that answer it; empty when the register cannot.
        note_sv: What the report can and cannot say about it.
    """

    text_sv: str
    source: str
    figures: tuple[str, ...]
    note_sv: str = ""


_BILAGA_4 = "Askersunds handlingsplan, bilaga 4"
_SKR = "SKR, Kommunernas aktivitetsansvar – löpande arbete"

QUESTIONS: Final = (
    Question(
        text_sv="Antal ungdomar inom KAA (år)?",
        source=_BILAGA_4,
        figures=("kaa.followup.population",),
        note_sv="Frågan gäller året: en rapport för ett helt år (kaa report --period 2026) "
        "svarar på den, en halvårsrapport för halvåret.",
    ),
    Question(
        text_sv="Av vilka orsaker registreras ungdomar i inom det kommunala aktivitetsansvaret?",
        source=_BILAGA_4,
        figures=("kaa.followup.population",),
        note_sv="Orsak till registrering: ungdomens senaste skolrelaterade aktivitet.",
    ),
    Question(
        text_sv="Vilken sysselsättning har ungdomarna vid kontakt med det kommunala "
        "aktivitetsansvaret?",
        source=_BILAGA_4,
        figures=(
            "kaa.followup.activity_at_latest_contact",
            "kaa.followup.activity_at_registration",
        ),
        note_sv="Bara kontakter där ungdomen själv har nåtts räknas.",
    ),
    Question(
        text_sv="Hur många ungdomar når vi /når vi inte?",
        source=_BILAGA_4,
        figures=("kaa.followup.reach",),
    ),
    Question(
        text_sv="På vilket sätt har aktivitetsansvaret kommit i kontakt med ungdomarna? (Sms, "
        "brev, sociala medier, telefon, e-post eller personlig kontakt?)",
        source=_BILAGA_4,
        figures=("kaa.followup.contact_channels",),
        note_sv="Personlig kontakt räknas som möte eller hembesök.",
    ),
    Question(
        text_sv="Vilka aktiviteter har ungdomarna tagit del av?",
        source=_BILAGA_4,
        figures=("kaa.followup.activities",),
    ),
    Question(
        text_sv="Mål på kort och lång sikt för arbetet?",
        source=_BILAGA_4,
        figures=(),
        note_sv="Kan inte besvaras ur registret: målen beslutas av kommunen. Rapporten visar "
        "de mål som kommunen har lagt in och om de har nåtts.",
    ),
    Question(
        text_sv="Hur kommer vi att arbeta och vad kommer vi att göra för att nå önskat läge",
        source=_BILAGA_4,
        figures=(),
        note_sv="Kan inte besvaras ur registret: det är kommunens planering.",
    ),
    Question(
        text_sv="Avrapportering till nämnd 2 ggr år",
        source=_BILAGA_4,
        figures=(),
        note_sv="Den här rapporten är underlaget; när den lämnas till nämnden står inte i "
        "registret.",
    ),
    Question(
        text_sv="Hur många deltagare som ingått i aktivitetsansvaret",
        source=_SKR,
        figures=("kaa.followup.population",),
    ),
    Question(
        text_sv="Vilka aktiviteter som erbjudits och hur de fungerat",
        source=_SKR,
        figures=("kaa.followup.activities", "kaa.followup.returned_to_studies"),
        note_sv="Hur insatserna fungerat visas som hur många som återgått till studier efter "
        "insatsen. Hur ungdomarna själva upplevt dem står inte i registret.",
    ),
)
"""The follow-up questions of Askersund's bilaga 4 (*Stöd- och processfrågor kommunalt
aktivitetsansvar*) and SKR's evaluation points ("Utvärdering och uppföljning"), in the
sources' own words (kept as written, "ungdomar i inom" included), each with the figures that
answer it or a plain statement that the register cannot."""


@attrs.frozen(kw_only=True)
class Report:
    """The figures of a period and the previous one, ready to render.

    Attributes:
        municipality: The kommunkod.
        period: The period reported on.
        figures: The figures of the period (suppressed for publication).
        previous: The same figures for the previous comparable period (suppressed).
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

    def _repr_html_(self) -> str:
        """The report as a notebook shows it: a heading with the municipality and the
        period, then each figure as a table (:meth:`kaa.followup.Table._repr_html_`), as
        published (small counts suppressed). The whole document is :meth:`html`."""
        name = lookup_municipality(self.municipality).name
        heading = (
            f"<h3>{_e(name)} ({_e(self.municipality)}): {_e(self.period)}, made "
            f"{self.made.isoformat()}</h3>"
        )
        return heading + "".join(table._repr_html_() for table in self.figures)


def _check_goals(goals: Sequence[Goal], tables: Sequence[Table]) -> None:
    by_id = {t.id: t for t in tables}
    for i, goal in enumerate(goals):
        table = by_id.get(goal.figure)
        if table is None:
            raise ConfigurationError(
                f"the goal {goal.label_sv!r} names the figure {goal.figure!r}, which is not in "
                f"the report (figures: {', '.join(FIGURE_IDS)})",
                key=f"goal[{i}].figure",
            )
        if goal.column not in table.columns:
            raise ConfigurationError(
                f"the figure {goal.figure} has no column {goal.column!r} (columns: "
                f"{', '.join(table.columns)})",
                key=f"goal[{i}].column",
            )
        try:
            table.row_index(goal.row)
        except KeyError:
            raise ConfigurationError(
                f"the figure {goal.figure} has no row {goal.row!r} (rows: "
                f"{', '.join(str(r[0]) for r in table.rows)})",
                key=f"goal[{i}].row",
            ) from None


def _scoped(table: Table, scope: str) -> Table:
    return attrs.evolve(table, links=tuple((f"{scope}{n}", r, c) for n, r, c in table.links))


def build_report(
    cases: Iterable[Case],
    period: Period,
    *,
    municipality: str,
    goals: Sequence[Goal] = (),
    catalogue: Catalogue | None = None,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    made: dt.date | None = None,
    plan_checks: PlanChecks | None = None,
) -> Report:
    """Compute every figure for ``period`` and the previous comparable period, and suppress
    small counts over both together.

    Args:
        cases: The municipality's cases (all of them; each figure selects its period).
        period: Any period: a half-year, a year, a tertial or a range of days
            (:mod:`kaa.period`); it is compared with ``period.previous()``.
        municipality: The kommunkod (only its cases are counted).
        goals: The municipality's goals.
        catalogue: The municipality's measure catalogue
            (:meth:`kaa.plugins.manager.Hooks.measure_catalogue`); the national catalogue
            when ``None``.
        threshold: Counts from 1 to ``threshold - 1`` are suppressed.
        made: The day the report is made (today when ``None``).
        plan_checks: The plan checks to share with other reports over the same cases
            (:class:`kaa.rules.plan.PlanChecks`, made with ``catalogue``), so that each case
            is checked once; each report makes its own when ``None``.

    Raises:
        ConfigurationError: If a goal names a figure, row or column the report does not
            have.
        InvalidInput: If ``plan_checks`` were made with another catalogue.
    """
    lookup_municipality(municipality)
    made_on = made or dt.date.today()
    if catalogue is None:
        catalogue = national_catalogue() if plan_checks is None else plan_checks.catalogue
    if plan_checks is None:
        plan_checks = PlanChecks(catalogue)  # each case checked once for both periods
    own = [c for c in cases if c.municipality == municipality]
    before = period.previous()
    now_tables = [
        _scoped(t, "now.") for t in _figures(own, period, catalogue, made_on, plan_checks)
    ]
    prev_tables = [
        _scoped(t, "prev.") for t in _figures(own, before, catalogue, made_on, plan_checks)
    ]
    _check_goals(goals, now_tables)
    n = len(now_tables)
    pop = FIGURE_IDS.index("kaa.followup.population")
    sums = []
    if before.last_day + dt.timedelta(days=1) == period.first_day:
        # continuing now = the previous period's youths less those whose KAA ended in it
        sums.append(((n + pop, 0, "youths"), [(pop, 2, "youths"), (n + pop, 3, "youths")]))
    published = followup.suppress([*now_tables, *prev_tables], threshold, sums=sums)
    return Report(
        municipality=municipality,
        period=period,
        figures=published[:n],
        previous=published[n:],
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
tr.sum td{font-weight:600}td.sub{padding-left:1.4rem}
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


def _fmt(value: Any, *, share: bool = False, hidden: bool = False) -> str:
    if hidden:
        return HIDDEN
    if value is None:
        return NO_VALUE
    if isinstance(value, float):
        return f"{value * 100:.0f} %" if share else f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return _e(value)


def wrap_label(label: str, width: int = 34) -> list[str]:
    """Split a chart label into lines of at most ``width`` characters, at spaces only (a
    word longer than ``width`` gets a line of its own, whole)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _bar_chart(labels: Sequence[str], values: Sequence[int | None], title: str) -> str:
    width, bar_h, gap, label_w, line_h = 560, 18, 6, 230, 14
    shown = [v or 0 for v in values]
    top = max(shown) if shown and max(shown) > 0 else 1
    wrapped = [wrap_label(label) for label in labels]
    heights = [max(bar_h, len(lines) * line_h + 4) for lines in wrapped]
    height = sum(h + gap for h in heights) + gap
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    y = gap
    for lines, h, value in zip(wrapped, heights, values, strict=True):
        w = 0 if value is None else int((width - label_w - 60) * value / top)
        text = HIDDEN if value is None else str(value)
        spans = "".join(
            f'<tspan x="0" y="{y + 13 + i * line_h}">{_e(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f"<text>{spans}</text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}" '
            f'fill="#1f5f8b"/><text x="{label_w + w + 6}" y="{y + 13}">{_e(text)}</text>'
        )
        y += h + gap
    parts.append("</svg>")
    return "".join(parts)


_SHARE_COLUMNS = {"share", "share_reached", "share_returned"}
_GROUPS = {
    "total": "Totalt",
    "status": "Status",
    "reason": "Orsak till registrering",
    "sex": "Kön",
    "age": "Ålder",
}
HEADINGS: Final = {
    "open_with_plan": "Öppna ärenden med plan",
    "overdue": "Försenade",
    "group": "Grupp",
    "category": "Kategori",
    "youths": "Ungdomar",
    "share": "Andel",
    "attempts": "Försök",
    "reached": "Nådda",
    "share_reached": "Andel nådda",
    "bucket": "Dagar",
    "offered": "Erbjudna",
    "declined": "Tackat nej",
    "started": "Påbörjade",
    "took_part": "Pågått under perioden",
    "ended": "Avslutade",
    "returned_to_studies": "Återgått till studier",
    "share_returned": "Andel som återgått till studier",
    "youths_with_ended_measure": "Ungdomar med avslutad insats",
    "activity": "Sysselsättning",
    "measure": "Mått",
    "channel": "Kanal",
    "reason": "Orsak",
}
"""The Swedish heading of every column the report shows (``label_sv`` is the row label)."""
_FIRST_HEADINGS = {"kaa.followup.activities": "Insats"}
_COMPARED = {"kaa.followup.activities": "took_part"}


def _label_column(table: Table) -> str:
    return "label_sv" if "label_sv" in table.columns else table.columns[0]


def _row_key(table: Table, row: tuple[Any, ...]) -> tuple[Any, ...]:
    keys = [i for i, c in enumerate(table.columns) if c not in table.count_columns]
    keys = [i for i in keys if all(isinstance(r[i], str) for r in table.rows)] or [0]
    return tuple(row[i] for i in keys)


def _table_html(now: Table, before: Table) -> str:
    label = _label_column(now)
    values = [c for c in now.columns[1:] if c != "label_sv"]
    compared = _COMPARED.get(now.id, now.count_columns[0] if now.count_columns else None)
    first = _FIRST_HEADINGS.get(now.id, HEADINGS.get(now.columns[0], now.columns[0]))
    head = f"<th>{_e(first)}</th>" + "".join(f"<th>{_e(HEADINGS[c])}</th>" for c in values)
    if compared:
        head += f"<th>{_e(HEADINGS[compared])}, föregående period</th>"
    previous = {_row_key(before, r): i for i, r in enumerate(before.rows)}
    totals = {r.total for r in now.relations}
    parts = {p for r in now.relations if r.total != 0 for p in r.parts}
    body = []
    for ri, row in enumerate(now.rows):
        text = row[now.columns.index(label)]
        css = ' class="sub"' if ri in parts and ri not in totals else ""
        cells = [f"<td{css}>{_e(_GROUPS.get(text, text))}</td>"]
        for c in values:
            value = row[now.columns.index(c)]
            cls = ' class="t"' if isinstance(value, str) else ""
            shown = _fmt(value, share=c in _SHARE_COLUMNS, hidden=now.is_hidden(ri, c))
            cells.append(f"<td{cls}>{shown}</td>")
        if compared:
            pi = previous.get(_row_key(now, row))
            if pi is None:
                cells.append(f"<td>{NO_VALUE}</td>")
            else:
                value = before.rows[pi][before.columns.index(compared)]
                cells.append(f"<td>{_fmt(value, hidden=before.is_hidden(pi, compared))}</td>")
        tr = ' class="sum"' if ri in totals else ""
        body.append(f"<tr{tr}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _chart_rows(table: Table) -> list[int]:
    totals = {r.total for r in table.relations}
    return [
        i
        for i, r in enumerate(table.rows)
        if i not in totals and not (isinstance(r[0], str) and r[0].startswith("median"))
    ]


def _figure_html(now: Table, before: Table) -> str:
    parts = [f'<section id="{_e(now.id)}"><h2>{_e(now.title_sv)}</h2>']
    if now.count_columns and now.id != "kaa.followup.population":
        count_col = _COMPARED.get(now.id, now.count_columns[0])
        label_col = _label_column(now)
        rows = _chart_rows(now)
        parts.append(
            _bar_chart(
                [str(now.rows[i][now.columns.index(label_col)]) for i in rows],
                [now.rows[i][now.columns.index(count_col)] for i in rows],
                now.title_sv,
            )
        )
    parts.append(_table_html(now, before))
    parts.append(f'<p class="note">Funktion: <code>{_e(now.id)}</code></p></section>')
    return "".join(parts)


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{value}</b><span>{_e(label)}</span></div>'


def _cell(table: Table, key: str, column: str, *, share: bool = False) -> str:
    ri = table.row_index(key)
    return _fmt(
        table.rows[ri][table.columns.index(column)], share=share, hidden=table.is_hidden(ri, column)
    )


def _unknown_share(table: Table) -> str:
    """The share of youths whose activity at the latest contact is not known (never reached,
    or reached without an activity learnt): hidden if either part is."""
    parts = [table.row_index("not_reached"), table.row_index("unknown")]
    if any(table.is_hidden(i, "share") for i in parts):
        return HIDDEN
    values = [table.rows[i][table.columns.index("share")] for i in parts]
    if any(v is None for v in values):
        return NO_VALUE
    return _fmt(float(sum(values)), share=True)


def _questions_html(report: Report) -> str:
    titles = {t.id: t.title_sv for t in report.figures}
    rows = []
    for q in QUESTIONS:
        if q.figures:
            where = ", ".join(f'<a href="#{_e(f)}">{_e(titles[f])}</a>' for f in q.figures)
        else:
            where = "<b>Kan inte besvaras ur registret.</b>"
        rows.append(
            f'<tr><td class="t">{_e(q.text_sv)}</td><td class="t">{_e(q.source)}</td>'
            f'<td class="t">{where}</td><td class="t">{_e(q.note_sv)}</td></tr>'
        )
    return (
        '<section id="fragor"><h2>Frågor som rapporten besvarar</h2>'
        "<table><thead><tr><th>Fråga</th><th>Källa</th><th>Besvaras i</th><th>Kommentar</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _render(report: Report, *, print_friendly: bool) -> str:
    kommun = lookup_municipality(report.municipality)
    t = report.threshold
    pop = report.figure("kaa.followup.population")
    reach = report.figure("kaa.followup.reach")
    latest = report.figure("kaa.followup.activity_at_latest_contact")
    studies = report.figure("kaa.followup.returned_to_studies")
    plans = report.figure("kaa.followup.plan_completeness")
    new = next(i for i, r in enumerate(pop.rows) if r[:2] == ("status", "ny"))
    cards = "".join(
        [
            _card(_fmt(pop.rows[0][2], hidden=pop.is_hidden(0, "youths")), "ungdomar inom KAA"),
            _card(
                _fmt(pop.rows[new][2], hidden=pop.is_hidden(new, "youths")), "nya under perioden"
            ),
            _card(_cell(reach, "reached", "share", share=True), "andel nådda"),
            _card(_unknown_share(latest), "andel med okänd sysselsättning"),
            _card(
                _cell(studies, "returned_to_studies", "share", share=True),
                "återgått till studier efter insats",
            ),
            _card(
                _cell(plans, "complete", "share", share=True), "har fullständig individuell plan"
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
            ri = report.figure(goal.figure).row_index(goal.row)
            pi = report.figure(goal.figure, previous=True).row_index(goal.row)
            hidden_now = report.figure(goal.figure).is_hidden(ri, goal.column)
            hidden_before = report.figure(goal.figure, previous=True).is_hidden(pi, goal.column)
            items.append(
                f"<tr><td>{_e(goal.label_sv)}</td>"
                f"<td>{_fmt(now, share=share, hidden=hidden_now)}</td>"
                f"<td>{_fmt(before, share=share, hidden=hidden_before)}</td>"
                f'<td class="{status[0]}">{status[1]}</td>'
                f"<td>{_e(goal.source or '')}</td></tr>"
            )
        goals_html = (
            "<h2>Kommunens mål</h2><table><thead><tr><th>Mål</th><th>Nu</th>"
            "<th>Föregående period</th><th>Status</th><th>Beslutat i</th></tr></thead>"
            f"<tbody>{''.join(items)}</tbody></table>"
        )
    sections = "".join(
        _figure_html(now, before)
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
        f"{goals_html}{sections}{_questions_html(report)}"
        f'<p class="note">Antal under {t} visas inte (<b>{HIDDEN}</b>), och inte heller de '
        "antal och andelar som annars skulle gå att räkna fram ur summor, andelar och andra "
        "tabeller i rapporten, så att ingen enskild ungdom kan identifieras. "
        f"<b>{NO_VALUE}</b> betyder att det inte finns något värde (t.ex. en median när ingen "
        "ungdom har nåtts). Underlag: kommunens register enligt förordningen (2006:39). "
        "Rapporten är gjord med biblioteket kaa; varje tabell anger funktionen som räknar "
        "fram den.</p></body></html>\n"
    )
