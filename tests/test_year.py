"""The main job, end to end on the bundled example data: ``kaa year``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import attrs
import pytest

from kaa.cli import main
from kaa.formats.cases import read_cases, write_cases
from kaa.model.case import EndReason, KaaEnd
from kaa.period import HalfYear
from kaa.scb import RefusalReason, default_profile, read_submission
from kaa.testing import hooks_with
from kaa.year import run_year

T = TypeVar("T")

DATA = Path(__file__).parent.parent / "examples" / "data"
DAY = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    out = tmp_path_factory.mktemp("year")
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(
            [
                "year",
                str(DATA / "askersund-ist.csv"),
                "--cases",
                str(DATA / "cases.jsonl"),
                "--municipality",
                "1882",
                "--on",
                DAY.isoformat(),
                "-o",
                str(out),
            ]
        )
    return status, err.getvalue(), out


def test_the_whole_year_runs_and_says_where_each_output_went(
    outputs: tuple[int, str, Path],
) -> None:
    status, printed, out = outputs
    assert status == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "malgrupp-2026-12-31.csv",
            "ej-registrerade-2026-12-31.csv",
            "arbetslista-2026-12-31.csv",
            "scb-2026H2.txt",
            "scb-2026H2-kontroller.txt",
            "rapport-2026H2.html",
            "rapport-2026H2-utskrift.html",
            "rapport-2026.html",
            "rapport-2026-utskrift.html",
        ]
    )
    for name in names:
        assert str(out / name) in printed
    assert "196 rows read, 196 accepted, 0 rejected" in printed


def test_the_scb_file_reads_back_with_every_reported_youth(outputs: tuple[int, str, Path]) -> None:
    out = outputs[2]
    submission = read_submission(
        out / "scb-2026H2.txt",
        profile=default_profile(),
        period=HalfYear(2026, 2),
        municipality="1882",
    )
    cases = {c.youth.id for c in read_cases(DATA / "cases.jsonl")}
    assert len(submission.records) > 50
    assert {r.youth for r in submission.records} <= cases


def test_only_the_upload_file_holds_whole_identity_numbers(outputs: tuple[int, str, Path]) -> None:
    out = outputs[2]
    numbers = [c.youth.id.full("long") for c in read_cases(DATA / "cases.jsonl")]
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        found = any(n in text for n in numbers)
        assert found is (path.name == "scb-2026H2.txt"), path.name


def test_youths_in_the_target_group_without_a_case_are_listed(
    outputs: tuple[int, str, Path],
) -> None:
    rows = (outputs[2] / "ej-registrerade-2026-12-31.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,in_target_group_since,ages_out,reasons"
    assert len(rows) > 1
    assert all("-****" in r.split(",")[0] for r in rows[1:])


def test_the_report_is_for_askersund_and_the_half_year(outputs: tuple[int, str, Path]) -> None:
    html = (outputs[2] / "rapport-2026H2.html").read_text(encoding="utf-8")
    assert "Askersunds kommun" in html
    assert "HT 2026" in html
    assert "Öka andelen ungdomar som återgår till studier" in html


def test_a_bad_register_row_is_reported_and_fails_the_run(tmp_path: Path) -> None:
    lines = (DATA / "askersund-ist.csv").read_bytes().split(b"\r\n")
    bad = next(i for i, line in enumerate(lines) if b";GY;" in line)
    lines[bad] = lines[bad].replace(b";GY;", b";Gymnasiet;", 1)
    register = tmp_path / "ist.csv"
    register.write_bytes(b"\r\n".join(lines))
    problems: list[str] = []
    run = run_year(
        register,
        municipality="1882",
        on=DAY,
        out_dir=tmp_path / "out",
        cases_file=DATA / "cases.jsonl",
        hooks=hooks_with(),
        on_problem=lambda p: problems.append(str(p)),
    )
    assert not run.ok
    assert run.register.rows_rejected >= 1
    assert any(f":{bad + 1}: column Skolform" in p for p in problems)
    assert run.register.rows_accepted + run.register.rows_rejected == run.register.rows_read


# --- the one SCB write rule, obeyed by kaa year ------------------------------------------------


def _bad_register(tmp_path: Path) -> Path:
    """The example export with one row whose school form cannot be read."""
    lines = (DATA / "askersund-ist.csv").read_bytes().split(b"\r\n")
    bad = next(i for i, line in enumerate(lines) if b";GY;" in line)
    lines[bad] = lines[bad].replace(b";GY;", b";Gymnasiet;", 1)
    path = tmp_path / "ist.csv"
    path.write_bytes(b"\r\n".join(lines))
    return path


def _bad_cases(tmp_path: Path) -> Path:
    """The example cases with one line that cannot be read."""
    lines = (DATA / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    lines.insert(3, '{"youth": {"id": "nonsense"}}')
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _failing_cases(tmp_path: Path) -> Path:
    """The example cases with one case that fails KAA-E012 (ended as 20, but not 20)."""
    cases = list(read_cases(DATA / "cases.jsonl"))
    victim = next(
        c
        for c in cases
        if c.youth.id.birth_date and c.end is None and c.registration.day < dt.date(2026, 7, 1)
    )
    bad = attrs.evolve(
        victim,
        contacts=(),
        measures=(),
        plan=None,
        consents=(),
        end=KaaEnd(day=dt.date(2026, 10, 1), reason=EndReason.TURNED_20),
    )
    path = tmp_path / "cases.jsonl"
    write_cases([bad if c is victim else c for c in cases], path)
    return path


@pytest.mark.parametrize(
    ("inputs", "municipality", "reason"),
    [
        pytest.param(
            lambda tmp: (_bad_register(tmp), DATA / "cases.jsonl"),
            "1882",
            RefusalReason.REJECTED_ROWS,
            id="a rejected register row: no SCB file",
        ),
        pytest.param(
            lambda tmp: (DATA / "askersund-ist.csv", _bad_cases(tmp)),
            "1882",
            RefusalReason.REJECTED_ROWS,
            id="a rejected row of the cases file: no SCB file",
        ),
        pytest.param(
            lambda tmp: (DATA / "askersund-ist.csv", _failing_cases(tmp)),
            "1882",
            RefusalReason.FAILED_CHECKS,
            id="a check failed with an error: no SCB file",
        ),
        pytest.param(
            lambda tmp: (DATA / "askersund-ist.csv", DATA / "cases.jsonl"),
            "0180",
            RefusalReason.NO_YOUTHS,
            id="no youth of the municipality: no SCB file",
        ),
    ],
)
def test_run_year_obeys_the_write_rule(
    tmp_path: Path,
    inputs: Callable[[Path], tuple[Path, Path]],
    municipality: str,
    reason: RefusalReason,
) -> None:
    register, cases = inputs(tmp_path)
    out = tmp_path / "out"
    run = run_year(
        register,
        municipality=municipality,
        on=DAY,
        out_dir=out,
        cases_file=cases,
        hooks=hooks_with(),
        on_problem=lambda p: None,
    )
    assert [r.reason for r in run.scb.refusals] == [reason]
    assert not run.ok
    assert not (out / "scb-2026H2.txt").exists()
    assert (out / "scb-2026H2-kontroller.txt").exists()
    assert (out / "rapport-2026H2.html").exists()
    assert all("upload" not in what for what, _ in run.outputs)


def test_kaa_year_says_why_the_scb_file_was_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["year", str(_bad_register(tmp_path)), "--cases", str(DATA / "cases.jsonl")]
    status = main([*argv, "--municipality", "1882", "--on", DAY.isoformat(), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "the SCB file was NOT written: 1 row(s) of" in err
    assert "could not be read" in err
    assert not (out / "scb-2026H2.txt").exists()


def test_run_year_shows_progress_through_the_callback_it_is_given(
    tmp_path: Path, outputs: tuple[int, str, Path]
) -> None:
    seen: list[tuple[str, int | None]] = []

    def progress(
        items: Iterable[T], /, *, total: int | None = None, label: str = ""
    ) -> Iterable[T]:
        seen.append((label, total))
        return items

    run = run_year(
        DATA / "askersund-ist.csv",
        municipality="1882",
        on=DAY,
        out_dir=tmp_path,
        cases_file=DATA / "cases.jsonl",
        hooks=hooks_with(),
        progress=progress,
    )
    assert seen == [("register", None), ("worklist", run.cases)]
    for _, path in run.outputs:
        assert path.read_bytes() == (outputs[2] / path.name).read_bytes(), path.name
