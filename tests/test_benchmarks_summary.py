"""The benchmarks' summary table (``benchmarks/summary.py``) and the benchmark scripts' options.

``summary.py`` is run as ``make bench`` runs it, in a child process, on JSON files written
here in a temporary directory: a goal met, a goal not met, a figure no goal matches, a
JSON written before its script changed (stale), one that cannot be read, one of an older
shape, and scripts whose JSON is missing. Nothing is timed: the figures are written by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))


def _figure(path: str, size: int | str, median: float, **more: Any) -> dict[str, Any]:
    low, high = more.pop("min", median), more.pop("max", median)
    more.setdefault("unit", "×")
    return {"path": path, "size": size, "median": median, "min": low, "max": high, **more}


def _write(directory: Path, script: str, figures: list[dict[str, Any]], **top: Any) -> None:
    document = {"written": "2999-01-01T00:00:00+00:00", "commit": "abc1234", **top}
    document["summary"] = figures
    (directory / f"{script}.json").write_text(json.dumps(document), encoding="utf-8")


def _summarise(out: Path, scripts: Path = BENCHMARKS) -> tuple[str, dict[tuple[str, str], str]]:
    """Run summary.py; its standard output, and the status of each (path, size) row of the
    Markdown table it wrote."""
    command = [sys.executable, str(BENCHMARKS / "summary.py"), "--out-dir", str(out)]
    done = subprocess.run(
        [*command, "--scripts", str(scripts)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    rows: dict[tuple[str, str], str] = {}
    for line in (out / "summary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 7 and cells[0] != "path":
            rows[cells[0], cells[1]] = cells[5]
    return done.stdout, rows


@pytest.fixture
def out(tmp_path: Path) -> Path:
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


def test_a_figure_within_its_goal_is_met_and_one_beyond_it_is_not(out: Path) -> None:
    _write(
        out,
        "bench_scb",
        [
            _figure("scb: build + check / load the cases", 65_000, 0.8, min=0.7, max=0.9),
            _figure("scb: write / bare csv write", 65_000, 5.1, min=4.9, max=5.3),
            _figure("scb: build + check / load the cases", 6_500, 1.2),
        ],
    )
    stdout, rows = _summarise(out)
    assert rows["scb: build + check / load the cases", "65,000"] == "met"
    assert rows["scb: write / bare csv write", "65,000"] == "not met"
    assert rows["scb: build + check / load the cases", "6,500"] == "not met (below 65,000)"
    assert "0.8× (0.7–0.9)" in stdout
    assert "≤ 4× a bare csv write" in stdout
    assert 'issue 17, table row "SCB half-year: build + check + write"' in stdout


def test_a_goal_whose_json_is_missing_is_not_measured(out: Path) -> None:
    _write(out, "bench_scb", [_figure("scb: write / bare csv write", 65_000, 3.0)])
    _, rows = _summarise(out)
    assert rows["worklist: build / load the cases", "—"] == (
        "not measured (no bench_worklist.json)"
    )
    assert rows["kaa year (a region) / read the register + load the cases", "—"].startswith(
        "not measured"
    )
    assert rows["scb: write / bare csv write", "65,000"] == "met"


def test_a_stale_json_is_not_measured_and_its_figures_are_not_shown(
    out: Path, tmp_path: Path
) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "bench_worklist.py").write_text("# changed after the run\n", encoding="utf-8")
    _write(
        out,
        "bench_worklist",
        [_figure("worklist: build / load the cases", 65_000, 1.9)],
        written="2000-01-01T00:00:00+00:00",
    )
    stdout, rows = _summarise(out, scripts)
    assert rows["worklist: build / load the cases", "—"] == (
        "not measured (bench_worklist.json stale)"
    )
    assert ("worklist: build / load the cases", "65,000") not in rows
    assert "bench_worklist.json: stale" in stdout


def test_a_json_without_a_written_time_is_judged_by_its_file_time(
    out: Path, tmp_path: Path
) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    script = scripts / "bench_worklist.py"
    script.write_text("# the script\n", encoding="utf-8")
    _write(out, "bench_worklist", [_figure("worklist: build / load the cases", 65_000, 1.9)])
    data = json.loads((out / "bench_worklist.json").read_text(encoding="utf-8"))
    del data["written"]
    (out / "bench_worklist.json").write_text(json.dumps(data), encoding="utf-8")
    os.utime(script, (1_000_000_000, 1_000_000_000))
    _, rows = _summarise(out, scripts)
    assert rows["worklist: build / load the cases", "65,000"] == "met"
    os.utime(out / "bench_worklist.json", (900_000_000, 900_000_000))
    _, rows = _summarise(out, scripts)
    assert rows["worklist: build / load the cases", "—"].endswith("stale)")


def test_an_unreadable_or_older_json_is_not_used(out: Path) -> None:
    (out / "bench_store.json").write_text("{not json", encoding="utf-8")
    (out / "bench_sync.json").write_text(json.dumps({"56000": {"file_mb": 5.4}}), "utf-8")
    stdout, rows = _summarise(out)
    assert rows["store (*): load every case / from JSON Lines", "—"] == (
        "not measured (bench_store.json unreadable)"
    )
    assert rows["sync (*): peak memory per youth of the register", "—"] == (
        "not measured (bench_sync.json no summary)"
    )
    assert "bench_sync.json: no summary" in stdout


def test_figures_without_a_goal_quick_runs_and_reasons_given_by_the_script(out: Path) -> None:
    _write(
        out,
        "bench_sources",
        [
            _figure("ist read to records / csv read", 5_600, 18.0, unit="×", peak_mib=40.2),
            _figure("ist → decisions (reference) / csv read", 5_600, 30.0, unit="×"),
            _figure("something new / its baseline", 5_600, 2.0, unit="×"),
        ],
        quick=True,
        not_measured=[
            {"path": "ist → decisions (columnar) / csv read", "reason": "no such engine"}
        ],
    )
    stdout, rows = _summarise(out)
    assert rows["ist read to records / csv read", "5,600"] == "reported (quick)"
    assert rows["ist → decisions (reference) / csv read", "5,600"] == (
        "not met (below 560,000, quick)"
    )
    assert rows["something new / its baseline", "5,600"] == "no goal"
    assert rows["ist → decisions (columnar) / csv read", "—"] == (
        "not measured (bench_sources: no such engine)"
    )
    assert "40.2" in stdout


def test_another_scripts_json_is_read_by_the_convention(out: Path) -> None:
    _write(
        out,
        "bench_profile_columnar",
        [
            _figure("kaa assess (columnar) / csv read", 560_000, 3.3, unit="×"),
            _figure("columnar: share of the time in the reader", 560_000, 41.0, unit="%"),
        ],
    )
    _, rows = _summarise(out)
    assert rows["kaa assess (columnar) / csv read", "560,000"] == "met"
    assert rows["columnar: share of the time in the reader", "560,000"] == "no goal"


def test_the_markdown_is_written_atomically_and_replaced(out: Path) -> None:
    (out / "summary.md").write_text("an older table\n", encoding="utf-8")
    _summarise(out)
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks: the figures beside the goals")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_benchmark_script_answers_help(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:")
    assert "--quick" in done.stdout
