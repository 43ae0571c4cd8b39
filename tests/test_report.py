"""The committee report, checked as rendered by headless Chromium (not only as a string)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kaa.errors import ConfigurationError
from kaa.municipal import askersund
from kaa.period import HalfYear, Period, Year
from kaa.report import build_report, load_goals
from test_followup import CASES

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
        "Insatser per kategori",
        "Orsak till att aktivitetsansvaret upphörde",
    ):
        assert title in text
    assert "75 %" in text  # three of four youths reached


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
    for case in CASES:
        assert case.youth.id.full("long") not in dom
        assert case.youth.id.masked() not in dom


def test_small_counts_are_suppressed_by_default() -> None:
    html = build_report(CASES, HT, municipality="1882", made=MADE).html()
    assert "&lt;5" in html
    assert ">3<" not in html  # 3 reached youths would single people out


def test_print_friendly_version_has_print_styles() -> None:
    report = build_report(CASES, HT, municipality="1882", made=MADE)
    assert "break-inside:avoid" in report.html(print_friendly=True)
    assert "@media print" in report.html()


def test_goal_compared_with_the_previous_period() -> None:
    report = build_report(
        CASES, HT, municipality="1882", goals=askersund.goals(), made=MADE, threshold=1
    )
    now, before, met = report.goal_status(report.goals[0])
    assert (now, before, met) == (1.0, None, None)  # no measure ended in VT 2026


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
