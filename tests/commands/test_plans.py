"""``kaa plans``: missing documentation items, overdue follow-ups and sensitive terms, from a
cases file or a case store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from casefactory import case, full_plan, planned
from kaa.cli import main
from kaa.formats.cases import write_cases
from kaa.store import AuditAction
from kaa.testing import skatteverket_number
from yearfiles import audit_of, example_store

D = dt.date


def test_each_finding_is_one_line_and_the_summary_counts_complete_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    write_cases(
        [
            case(plan=full_plan()),
            case(born=D(2009, 6, 2), plan=None),
            case(born=D(2009, 12, 24), plan=full_plan(planned(result="Har fått en diagnos"))),
        ],
        path,
    )
    status = main(["plans", str(path), "--on", "2026-02-10"])
    out, err = capsys.readouterr()
    assert status == 0
    lines = out.splitlines()
    # Askersund's catalogue: a work placement involves the workplace, so item 4 is needed.
    assert [line.split("\t")[:2] for line in lines if "\tsensitive\t" not in line] == [
        ["20070302-****", "missing"],
        ["20090602-****", "no plan"],
        ["20091224-****", "missing"],
    ]
    assert "4. vad annan aktör ansvarar för: measure m1" in out
    assert "no individual plan: items 1, 2, 3, 4, 5, 7 missing (förordningen om" in out
    (sensitive,) = [line for line in lines if "\tsensitive\t" in line]
    assert sensitive.startswith("20091224-****")
    assert '"diagnos"' in sensitive
    assert "3 cases, 3 need documentation, 2 have a plan, 0 complete, 0 follow-ups overdue" in err
    for born in (D(2007, 3, 2), D(2009, 6, 2), D(2009, 12, 24)):
        assert skatteverket_number(born).full("long")[8:] not in out


def test_an_overdue_follow_up_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    write_cases([case(plan=full_plan())], path)
    main(["plans", str(path), "--on", "2026-04-01"])
    out, err = capsys.readouterr()
    assert "20070302-****\tfollow-up\tdue 2026-02-26, not held by 2026-04-01" in out
    assert "1 follow-ups overdue" in err


def test_plans_on_a_store_prints_what_it_prints_for_the_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    write_cases(
        [
            case(plan=full_plan()),
            case(born=D(2009, 6, 2), plan=None),
            case(born=D(2009, 12, 24), plan=full_plan(planned(result="Har fått en diagnos"))),
        ],
        path,
    )
    url = example_store(tmp_path, path)
    assert main(["plans", str(path), "--on", "2026-04-01"]) == 0
    from_file, file_err = capsys.readouterr()
    store = ["--store", url, "--municipality", "1882", "--actor", "eva"]
    assert main(["plans", *store, "--on", "2026-04-01"]) == 0
    from_store, store_err = capsys.readouterr()
    assert from_store == from_file
    assert "\tsensitive\t" in from_store
    assert "\tfollow-up\t" in from_store
    assert store_err.splitlines()[1:] == file_err.splitlines()[1:]
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == 3
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa plans")}
