"""``kaa retention``: list the cases due; delete only with the token, into a new file, or in
a case store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from casefactory import case
from kaa.cli import main
from kaa.commands import retention as retention_command
from kaa.formats.cases import read_cases, write_cases
from kaa.store import AuditAction, open_store
from kaa.testing import skatteverket_number
from yearfiles import audit_of, example_store

D = dt.date


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    ended = case(measures=(), end=D(2022, 6, 30), registered=D(2022, 1, 10))
    other = case(born=D(2009, 6, 2), measures=(), end=None)
    write_cases([ended, other], path)
    return path


def _token(err: str) -> str:
    match = re.search(r"--confirm (\w+)", err)
    assert match, err
    return match.group(1)


def test_listing_prints_the_cases_due_and_deletes_nothing(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = cases_file.read_bytes()
    status = main(["retention", str(cases_file), "--on", "2026-11-23"])
    out, err = capsys.readouterr()
    assert status == 0
    assert out.count("\n") == 1
    assert "20070302-****" in out
    assert "gallringsbar från 2025-06-30" in out
    whole = skatteverket_number(D(2007, 3, 2)).full("long")
    assert whole not in out + err
    assert "1 of 2 cases due" in err
    assert "nothing deleted" in err
    assert cases_file.read_bytes() == before


def test_deleting_needs_the_token_and_writes_a_new_file(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["retention", str(cases_file), "--on", "2026-11-23"])
    token = _token(capsys.readouterr().err)
    kept = tmp_path / "kept.jsonl"
    args = ["retention", str(cases_file), "--on", "2026-11-23", "--delete", "-o", str(kept)]
    assert main([*args, "--confirm", "wrong"]) == 2
    assert "nothing deleted" in capsys.readouterr().err
    assert not kept.exists()
    assert main([*args, "--confirm", token]) == 0
    assert "deleted 1 case(s); 1 kept" in capsys.readouterr().err
    remaining = list(read_cases(kept))
    assert [c.youth.id.birth_date for c in remaining] == [D(2009, 6, 2)]
    assert len(list(read_cases(cases_file))) == 2


def test_a_token_from_another_day_does_not_delete(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["retention", str(cases_file), "--on", "2026-11-23"])
    token = _token(capsys.readouterr().err)
    kept = tmp_path / "kept.jsonl"
    status = main(
        [
            "retention",
            str(cases_file),
            "--on",
            "2026-11-24",
            "--delete",
            "--confirm",
            token,
            "-o",
            str(kept),
        ]
    )
    assert status == 2
    assert not kept.exists()


def test_deleting_is_refused_when_records_could_not_be_read(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with cases_file.open("a", encoding="utf-8") as out:
        out.write('{"youth": {"id": "not a number"}}\n')
    main(["retention", str(cases_file), "--on", "2026-11-23"])
    token = _token(capsys.readouterr().err)
    kept = tmp_path / "kept.jsonl"
    status = main(
        [
            "retention",
            str(cases_file),
            "--on",
            "2026-11-23",
            "--delete",
            "--confirm",
            token,
            "-o",
            str(kept),
        ]
    )
    assert status == 2
    assert "would be lost" in capsys.readouterr().err
    assert not kept.exists()


def test_a_municipal_rule_file_is_used(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = tmp_path / "rule.toml"
    rule.write_text(
        'municipality = "1882"\n[[versions]]\nstart = 2020-01-01\ntitle = "tio år"\n'
        'value = { years_after_end = 10 }\ncitation = { title = "Dokumenthanteringsplan" }\n',
        encoding="utf-8",
    )
    main(["retention", str(cases_file), "--on", "2026-11-23", "--rule", str(rule)])
    assert "0 of 2 cases due" in capsys.readouterr().err


@pytest.fixture
def today_is(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(retention_command, "today", lambda: day)

    return set_day


@pytest.mark.parametrize(
    ("on", "status"),
    [
        pytest.param("2026-11-23", 0, id="today itself is accepted"),
        pytest.param("2026-11-22", 0, id="a day before today is accepted"),
        pytest.param("2026-11-24", 2, id="the day after today is refused"),
    ],
)
def test_a_day_after_today_is_refused_unless_asked(
    cases_file: Path,
    capsys: pytest.CaptureFixture[str],
    today_is: Callable[[dt.date], None],
    on: str,
    status: int,
) -> None:
    today_is(D(2026, 11, 23))
    assert main(["retention", str(cases_file), "--on", on]) == status
    _, err = capsys.readouterr()
    assert ("--allow-future" in err) is (status == 2)


def test_a_case_open_today_is_never_deleted_even_for_a_future_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today_is: Callable[[dt.date], None]
) -> None:
    path = tmp_path / "cases.jsonl"
    ended = case(measures=(), end=D(2022, 6, 30), registered=D(2022, 1, 10))
    ends_later = case(
        born=D(2008, 3, 2), measures=(), end=D(2027, 1, 15), registered=D(2025, 1, 10)
    )
    write_cases([ended, ends_later], path)
    today_is(D(2026, 11, 23))
    args = ["retention", str(path), "--on", "2031-01-01", "--allow-future"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "never deleted" in err
    assert str(ends_later.id) not in out
    token = _token(err)
    kept = tmp_path / "kept.jsonl"
    assert main([*args, "--delete", "--confirm", token, "-o", str(kept)]) == 0
    (left,) = read_cases(kept)
    assert left.id == ends_later.id


# --- on a case store ---------------------------------------------------------------------------


def _stored(url: str) -> list[dt.date | None]:
    with open_store(url, municipality="1882", actor="auditor") as store:
        return [s.case.youth.id.birth_date for s in store.cases(purpose="test")]


def test_on_a_store_the_listing_is_the_listing_of_the_file_and_deletes_nothing(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path, cases_file)
    main(["retention", str(cases_file), "--on", "2026-11-23"])
    from_file = capsys.readouterr().out
    store = ["--store", url, "--municipality", "1882", "--actor", "eva"]
    assert main(["retention", *store, "--on", "2026-11-23"]) == 0
    out, err = capsys.readouterr()
    assert out == from_file
    assert "1 of 2 cases due" in err
    assert "(in the store, no new file)" in err
    reads = audit_of(url, AuditAction.READ)
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa retention")}
    assert len(reads) == 2
    assert audit_of(url, AuditAction.DELETE) == []
    assert _stored(url) == [D(2007, 3, 2), D(2009, 6, 2)]


def test_on_a_store_deleting_needs_the_token_and_the_store_records_it(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path, cases_file)
    args = ["retention", "--store", url, "--municipality", "1882", "--on", "2026-11-23"]
    main(args)
    token = _token(capsys.readouterr().err)
    main(["retention", str(cases_file), "--on", "2026-11-23"])
    file_token = _token(capsys.readouterr().err)
    for wrong in ("wrong", file_token):
        assert main([*args, "--delete", "--confirm", wrong]) == 2
        assert "nothing deleted" in capsys.readouterr().err
        assert _stored(url) == [D(2007, 3, 2), D(2009, 6, 2)]
    assert audit_of(url, AuditAction.DELETE) == []
    assert main([*args, "--delete", "--confirm", token, "--actor", "eva"]) == 0
    assert "deleted 1 case(s)" in capsys.readouterr().err
    assert _stored(url) == [D(2009, 6, 2)]
    (deleted,) = audit_of(url, AuditAction.DELETE)
    assert (deleted.actor, deleted.purpose) == ("eva", "kaa retention")
    assert "whole case history" in deleted.detail
    assert main([*args, "--delete", "--confirm", token]) == 2
    assert _stored(url) == [D(2009, 6, 2)]
    assert len(list(read_cases(cases_file))) == 2
