"""The main job, end to end on the bundled example data: :func:`kaa.year.run_year`, the use
case behind ``kaa year`` (whose command is tested in ``tests/commands/test_year.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import attrs
import pytest

from kaa.cli import main
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import EndReason, KaaEnd
from kaa.period import HalfYear
from kaa.scb import RefusalReason, default_profile, read_submission
from kaa.store import open_store
from kaa.testing import hooks_with
from kaa.year import run_year
from yearfiles import DATA, DAY, bad_register, example_store

T = TypeVar("T")


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
            lambda tmp: (bad_register(tmp), DATA / "cases.jsonl"),
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
    assert run.reported == ()
    assert not (out / "scb-2026H2.txt").exists()
    assert (out / "scb-2026H2-kontroller.txt").exists()
    assert (out / "rapport-2026H2.html").exists()
    assert all("upload" not in what for what, _ in run.outputs)


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


def test_kaa_year_and_kaa_scb_build_give_the_same_upload_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    year = [
        "year",
        str(DATA / "askersund-ist.csv"),
        "--source",
        "ist",
        "--cases",
        str(DATA / "cases.jsonl"),
        "--municipality",
        "1882",
        "--on",
        "2026-12-31",
        "--out",
        str(out),
    ]
    assert main(year) == 0
    built = tmp_path / "built.txt"
    build = [
        "scb",
        "build",
        str(DATA / "cases.jsonl"),
        "--period",
        "2026H2",
        "--municipality",
        "1882",
        "-o",
        str(built),
        "--quiet",
    ]
    assert main(build) == 0
    assert (out / "scb-2026H2.txt").read_bytes() == built.read_bytes()


def test_run_year_takes_the_cases_already_read_from_a_store(
    tmp_path: Path, outputs: tuple[int, str, Path]
) -> None:
    url = example_store(tmp_path)
    with open_store(url, municipality="1882", actor="eva") as store:
        summary = ReadSummary(file="the store")
        run = run_year(
            DATA / "askersund-ist.csv",
            municipality="1882",
            on=DAY,
            out_dir=tmp_path / "out",
            cases=(stored.case for stored in store.cases(purpose="nightly job")),
            cases_summary=summary,
            hooks=hooks_with(),
        )
    assert run.ok
    assert run.cases_file is summary
    for _, path in run.outputs:
        assert path.read_bytes() == (outputs[2] / path.name).read_bytes(), path.name
    submission = read_submission(
        tmp_path / "out" / "scb-2026H2.txt", profile=default_profile(), period=HalfYear(2026, 2)
    )
    assert run.reported == tuple(r.youth for r in submission.records)
    assert len(run.reported) > 50


def test_run_year_refuses_both_a_cases_file_and_cases(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        run_year(
            DATA / "askersund-ist.csv",
            municipality="1882",
            on=DAY,
            out_dir=tmp_path / "out",
            cases_file=DATA / "cases.jsonl",
            cases=read_cases(DATA / "cases.jsonl"),
            hooks=hooks_with(),
        )
    assert not (tmp_path / "out").exists()
