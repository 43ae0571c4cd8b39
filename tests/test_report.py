"""The committee report, checked as rendered by headless Chromium (not only as a string)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kaa import followup
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.goals import Goal
from kaa.model.case import Case, EndReason, KaaEnd
from kaa.municipal import askersund
from kaa.period import DateRange, HalfYear, Period, Tertial, Year
from kaa.report import (
    FIGURE_IDS,
    HEADINGS,
    QUESTIONS,
    build_report,
    load_goals,
    wrap_label,
)
from kaa.rules.measures import national_catalogue
from kaa.rules.plan import PlanChecks
from test_followup import CASES, _attack, case

HT = HalfYear(2026, 2)
MADE = dt.date(2026, 11, 23)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        if os.environ.get("KAA_SKIP_BROWSER") == "1":
            pytest.skip("KAA_SKIP_BROWSER=1 and no chromium on this machine")
        pytest.fail("headless Chromium is needed: `make test` installs Debian's chromium")
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("report")
    report = build_report(
        CASES, HT, municipality="1882", goals=askersund.goals(), made=MADE, threshold=2
    )
    page = tmp / "report.html"
    page.write_text(report.html(), encoding="utf-8")
    dom = _chromium("--dump-dom", page.as_uri(), tmp=tmp).stdout
    shot = tmp / "report.png"
    _chromium(f"--screenshot={shot}", "--window-size=1100,2400", page.as_uri(), tmp=tmp)
    return dom, shot


def _text(dom: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


def test_the_rendered_report_has_its_heading_period_and_figures(
    rendered: tuple[str, Path],
) -> None:
    text = _text(rendered[0])
    assert "Kommunernas aktivitetsansvar – Askersunds kommun" in text
    assert "Uppföljning HT 2026, jämfört med VT 2026" in text
    for title in (
        "Nådda och inte nådda ungdomar",
        "Kontaktförsök per kanal",
        "Återgång till studier efter insats",
        "Insatser: vilka som erbjudits och hur de fungerat",
        "Orsak till att aktivitetsansvaret upphörde",
    ):
        assert title in text
    assert "Frågor som rapporten besvarar" in text
    assert "Kan inte besvaras ur registret" in text


def test_the_rendered_report_shows_the_goal_and_its_status(rendered: tuple[str, Path]) -> None:
    text = _text(rendered[0])
    assert "Öka andelen ungdomar som återgår till studier" in text
    assert "uppfyllt" in text or "kan inte bedömas" in text


def test_charts_are_inline_svg_and_nothing_is_fetched(rendered: tuple[str, Path]) -> None:
    dom = rendered[0]
    assert dom.count("<svg") >= 5
    assert not re.search(r"(src|href)=\"https?://", dom)
    assert "<script" not in dom


def test_the_screenshot_is_a_real_page(rendered: tuple[str, Path]) -> None:
    shot = rendered[1]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000


def test_no_identity_number_is_in_the_report(rendered: tuple[str, Path]) -> None:
    dom = rendered[0]
    for c in CASES:
        assert c.youth.id.full("long") not in dom
        assert c.youth.id.masked() not in dom


def test_small_counts_are_suppressed_by_default() -> None:
    html = build_report(CASES, HT, municipality="1882", made=MADE).html()
    assert "<td>..</td>" in html
    assert ">3<" not in html  # 3 reached youths would single people out
    assert "Antal under 5 visas inte" in html


def test_reports_sharing_their_plan_checks_are_the_reports_made_alone() -> None:
    catalogue = national_catalogue()
    checks = PlanChecks(catalogue)
    for period in (HT, Year(2026), Tertial(2026, 2)):
        shared = build_report(
            CASES, period, municipality="1882", made=MADE, catalogue=catalogue, plan_checks=checks
        )
        alone = build_report(CASES, period, municipality="1882", made=MADE, catalogue=catalogue)
        assert shared == alone
        assert shared.html() == alone.html()
    # checks made with another catalogue are refused, not silently used
    with pytest.raises(InvalidInput, match="another catalogue"):
        build_report(
            CASES, HT, municipality="1882", made=MADE, catalogue=catalogue, plan_checks=PlanChecks()
        )


def test_print_friendly_version_has_print_styles() -> None:
    report = build_report(CASES, HT, municipality="1882", made=MADE)
    assert "break-inside:avoid" in report.html(print_friendly=True)
    assert "@media print" in report.html()


def test_goal_compared_with_the_previous_period() -> None:
    report = build_report(
        CASES, HT, municipality="1882", goals=askersund.goals(), made=MADE, threshold=1
    )
    now, before, met = report.goal_status(report.goals[0])
    assert (now, before, met) == (1.0, None, None)  # no measure ended in VT 2026: no share


def test_bad_goals_file_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "goals.toml"
    path.write_text(
        '[[goal]]\nlabel_sv = "x"\nfigure = "f"\nrow = "r"\ncolumn = "c"\ndirection = "sideways"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match=r"goals.toml: .* @ \$\.goal\[0\]\.direction"):
        load_goals(path)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        pytest.param(HT, "VT 2026", id="a half-year is compared with the half-year before"),
        pytest.param(Year(2026), "2025", id="a year is compared with the year before"),
    ],
)
def test_the_report_compares_with_the_previous_period(period: Period, previous: str) -> None:
    report = build_report(CASES, period, municipality="1882", made=MADE)
    assert f"Uppföljning {period}, jämfört med {previous}." in report.html()
    assert report.figure("kaa.followup.population", previous=True)


# --- the rendered report: every label Swedish, none cut mid-word ----------------------------


def _visible(dom: str) -> str:
    """The text a reader sees, without the function names in <code> and the <style>."""
    dom = re.sub(r"<style>.*?</style>|<code>.*?</code>|<title>.*?</title>", " ", dom, flags=re.S)
    return _text(dom)


def test_no_english_identifier_is_shown(rendered: tuple[str, Path]) -> None:
    text = _visible(rendered[0])
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    for english in ("returned_to_studies", "share", "youths", "label_sv", "overdue", "total"):
        assert not re.search(rf"\b{english}\b", text)


def test_every_column_of_every_figure_has_a_swedish_heading() -> None:
    report = build_report(CASES, HT, municipality="1882", made=MADE)
    for table in report.figures:
        for column in table.columns[1:]:
            assert column == "label_sv" or column in HEADINGS, (table.id, column)


def test_chart_labels_are_whole_words(rendered: tuple[str, Path]) -> None:
    dom = rendered[0]
    labels = re.findall(r"<text>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>", dom)
    assert labels
    report = build_report(CASES, HT, municipality="1882", made=MADE)
    known = {
        str(r[t.columns.index("label_sv") if "label_sv" in t.columns else 0])
        for t in report.figures
        for r in t.rows
    }
    for spans in labels:
        words = " ".join(re.findall(r">([^<]*)</tspan>", spans))
        assert _html_unescape(words) in known


def _html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        pytest.param("arbete", ["arbete"], id="a short label is one line"),
        pytest.param(
            "Individuell studieplanering med anpassat studieupplägg (Alléskolan, Allévux)",
            ["Individuell studieplanering med", "anpassat studieupplägg", "(Alléskolan, Allévux)"],
            id="a long label is split between words",
        ),
        pytest.param(
            "Arbetsmarknadsutbildningsinsatsförberedelse kort",
            ["Arbetsmarknadsutbildningsinsatsförberedelse", "kort"],
            id="a word longer than a line is kept whole",
        ),
    ],
)
def test_chart_labels_are_wrapped_not_cut(label: str, lines: list[str]) -> None:
    assert wrap_label(label) == lines
    assert " ".join(wrap_label(label)) == label


# --- values: hidden, missing, compared --------------------------------------------------------


def test_a_missing_median_shows_a_dash_not_a_hidden_value() -> None:
    never_reached = [case(i, dt.date(2026, 8, 1)) for i in range(6)]
    html = build_report(never_reached, HT, municipality="1882", made=MADE).html()
    assert re.search(r"median \(dagar\)</td><td>–</td>", html)


def test_the_previous_period_with_no_cases_shows_zero_not_a_hidden_value() -> None:
    only_now = [case(i, dt.date(2026, 8, 1)) for i in range(6)]
    report = build_report(only_now, HT, municipality="1882", made=MADE)
    html = report.html()
    assert re.search(r"<td>alla</td><td>6</td><td>100 %</td><td>0</td>", html)
    assert report.figure("kaa.followup.reach", previous=True).value("total", "youths") == 0


def _ended_in_vt(n_continuing: int, n_ended: int, n_new: int) -> list[Case]:
    cases = [case(i, dt.date(2026, 1, 10)) for i in range(n_continuing)]
    cases += [
        case(
            n_continuing + i,
            dt.date(2026, 1, 10),
            end=KaaEnd(day=dt.date(2026, 5, 1), reason=EndReason.DEGREE),
        )
        for i in range(n_ended)
    ]
    cases += [case(n_continuing + n_ended + i, dt.date(2026, 8, 1)) for i in range(n_new)]
    return cases


@pytest.mark.parametrize(
    ("ended", "hidden"),
    [
        pytest.param(
            2,
            True,
            id="two youths ended last period: the previous total less those continuing gives them",
        ),
        pytest.param(5, False, id="five youths ended last period: nothing needs hiding"),
    ],
)
def test_the_previous_period_cannot_give_back_a_hidden_count(ended: int, hidden: bool) -> None:
    report = build_report(_ended_in_vt(20, ended, 6), HT, municipality="1882", made=MADE)
    now = report.figure("kaa.followup.population")
    before = report.figure("kaa.followup.population", previous=True)
    assert before.is_hidden(3, "youths") is hidden  # avslutad in VT
    shown = not before.is_hidden(0, "youths") and not now.is_hidden(2, "youths")
    assert shown is not hidden  # VT's total and HT's continuing are not both shown


def test_the_example_register_gives_back_no_small_count_in_any_figure() -> None:
    from kaa.formats.cases import read_cases
    from yearfiles import DATA

    cases = list(read_cases(DATA / "cases.jsonl"))
    report = build_report(cases, HT, municipality="1882", made=MADE)
    for period, published in ((HT, report.figures), (HT.previous(), report.previous)):
        own = [c for c in cases if c.municipality == "1882"]
        originals = {
            t.id: t
            for t in (
                followup.population(own, period),
                followup.reach(own, period),
                followup.activity_at_registration(own, period),
                followup.activity_at_latest_contact(own, period),
                followup.contact_channels(own, period),
                followup.days_to_first_contact(own, period),
                followup.days_to_first_measure(own, period),
                followup.activities(own, period),
                followup.end_reasons(own, period),
            )
        }
        for table in published:
            if table.id in originals:
                assert _attack(originals[table.id], table, 5) == [], (period, table.id)


def test_sixteen_year_olds_are_not_given_back_by_the_total_less_the_other_ages() -> None:
    from kaa.formats.cases import read_cases
    from yearfiles import DATA

    report = build_report(
        list(read_cases(DATA / "cases.jsonl")), HT, municipality="1882", made=MADE
    )
    pop = report.figure("kaa.followup.population")
    ages = [i for i, r in enumerate(pop.rows) if r[0] == "age"]
    hidden = [i for i in ages if pop.is_hidden(i, "youths")]
    assert len(hidden) != 1


# --- any period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        pytest.param(
            Tertial(2026, 3), "T2 2026", id="a tertial is compared with the tertial before"
        ),
        pytest.param(
            Tertial(2026, 1), "T3 2025", id="the first tertial is compared with last year's third"
        ),
        pytest.param(
            DateRange(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
            "2026-07-01–2026-09-30",
            id="a quarter is compared with the quarter before",
        ),
    ],
)
def test_any_period_can_be_reported(period: Period, previous: str) -> None:
    report = build_report(
        CASES, period, municipality="0180" if isinstance(period, Tertial) else "1882", made=MADE
    )
    assert f"Uppföljning {period}, jämfört med {previous}." in report.html()


# --- goals and questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "key"),
    [
        pytest.param(
            Goal(
                label_sv="x",
                figure="kaa.followup.measures",
                row="r",
                column="share",
                direction="raise",
            ),
            "goal[0].figure",
            id="a goal on a figure the report does not have is refused",
        ),
        pytest.param(
            Goal(
                label_sv="x",
                figure="kaa.followup.returned_to_studies",
                row="returned_to_studies",
                column="andel",
                direction="raise",
            ),
            "goal[0].column",
            id="a goal on a column the figure does not have is refused",
        ),
        pytest.param(
            Goal(
                label_sv="x",
                figure="kaa.followup.returned_to_studies",
                row="återgång",
                column="share",
                direction="raise",
            ),
            "goal[0].row",
            id="a goal on a row the figure does not have is refused",
        ),
    ],
)
def test_a_goal_must_name_a_cell_of_the_report(goal: Goal, key: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        build_report(CASES, HT, municipality="1882", goals=[goal], made=MADE)
    assert info.value.key == key


def test_askersunds_goal_names_a_cell_of_the_report() -> None:
    report = build_report(CASES, HT, municipality="1882", goals=askersund.goals(), made=MADE)
    assert report.goal_status(report.goals[0])[0] is None  # one youth: hidden


@pytest.mark.parametrize(
    "question",
    [pytest.param(q, id=f"{q.source}: {q.text_sv}") for q in QUESTIONS],
)
def test_each_question_names_figures_of_the_report_or_says_the_register_cannot_answer(
    question: object,
) -> None:
    from kaa.report import Question

    assert isinstance(question, Question)
    assert set(question.figures) <= set(FIGURE_IDS)
    if not question.figures:
        assert question.note_sv
    html = build_report(CASES, HT, municipality="1882", made=MADE).html()
    assert _html_unescape(question.text_sv) in _html_unescape(html)


def test_every_bilaga_4_question_is_listed() -> None:
    seed = Path("/work/shared/seeds/askersund-handlingsplan-kaa.txt")
    if not seed.exists():
        pytest.skip("the seed documents are not on this machine")
    text = seed.read_text(encoding="utf-8")
    bilaga = text[text.index("Bilaga 4:") : text.index("Bilaga 5:")]
    asked = [
        re.sub(r"\s+", " ", q).strip()
        for q in re.findall(r"•([^•]+?)(?=•|$|Vart|Hur gör)", bilaga, flags=re.S)
    ]
    listed = {q.text_sv for q in QUESTIONS}
    for question in asked:
        assert question in listed, question


def test_a_report_shows_its_figures_as_tables_in_a_notebook() -> None:
    report = build_report(CASES, HT, municipality="1882", made=MADE)
    page = report._repr_html_()
    assert page.startswith("<h3>Askersund (1882): ")
    assert page.count("<table>") == len(report.figures)
    for case_ in CASES:
        assert case_.youth.id.full() not in page
