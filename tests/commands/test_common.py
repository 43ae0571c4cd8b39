"""``--source``: every command that reads cases can read them through a register source; and
``--store``: every command that reads cases can read them from a case store instead of a file
(:func:`kaa.commands.common.cases_from`), never both."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.commands.common import _store_name, add_cases_arguments, cases_from, load_cases
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.store import AuditAction
from yearfiles import audit_of, example_store

DATA = Path(__file__).parent.parent.parent / "examples" / "data"
IST = DATA / "askersund-ist.csv"


def test_worklist_reads_an_ist_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "wl.csv"
    status = main(
        [
            "worklist",
            str(IST),
            "--source",
            "ist",
            "--on",
            "2026-12-31",
            "--format",
            "csv",
            "-o",
            str(out),
        ]
    )
    assert status == 0
    assert "0 rejected" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) > 10


def test_scb_build_reads_an_ist_export(tmp_path: Path) -> None:
    out = tmp_path / "scb.txt"
    status = main(
        [
            "scb",
            "build",
            str(IST),
            "--source",
            "ist",
            "--period",
            "2026H2",
            "--municipality",
            "1882",
            "-o",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) > 50


def test_report_reads_an_ist_export(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    status = main(
        [
            "report",
            str(IST),
            "--source",
            "ist",
            "--period",
            "2026H2",
            "--municipality",
            "1882",
            "-o",
            str(out),
            "--made",
            "2026-12-31",
        ]
    )
    assert status == 0
    assert "Askersunds kommun" in out.read_text(encoding="utf-8")


def test_an_unknown_source_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["worklist", str(IST), "--source", "nosuch", "--on", "2026-12-31"])
    assert status == 2
    assert "nosuch" in capsys.readouterr().err


def _with_problems(tmp_path: Path) -> Path:
    lines = (DATA / "cases.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    broken = json.loads(lines[1])
    broken["registration"]["day"] = "2026-02-30"
    lines[1] = json.dumps(broken, ensure_ascii=False)
    lines.append(lines[0])  # the same youth twice
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda tmp: DATA / "cases.jsonl", id="the example register"),
        pytest.param(_with_problems, id="a file with a bad case and a youth twice"),
    ],
)
def test_the_default_source_reads_the_cases_file_as_the_one_reader_does(
    tmp_path: Path, make: object
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    day = dt.date(2026, 12, 31)
    direct, through = ReadSummary(file=str(path)), ReadSummary(file=str(path))
    seen: list[str] = []
    expected = list(read_cases(path, summary=direct, reference_day=day))
    found = list(
        load_cases(
            path, summary=through, reference_day=day, on_problem=lambda p: seen.append(str(p))
        )
    )
    assert found == expected
    assert through == direct
    assert seen == [str(p) for p in direct.problems]


# --- cases from a file or a store -------------------------------------------------------------

CASES = DATA / "cases.jsonl"
DAY_ARGS = ("--on", "2026-12-31")
PERIOD_ARGS = ("--period", "2026H2", "--municipality", "1882")

RETENTION_ON_STORE = (
    "retention",
    "--store",
    "STORE",
    "--municipality",
    "1882",
    "--on",
    "2026-11-23",
)

# Each command that reads cases, with what it needs besides them.
COMMANDS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("worklist", ("worklist",), DAY_ARGS),
    ("scb build", ("scb", "build"), (*PERIOD_ARGS, "-o", "scb.txt")),
    ("scb check", ("scb", "check"), PERIOD_ARGS),
    ("report", ("report",), PERIOD_ARGS),
    ("plans", ("plans",), DAY_ARGS),
    ("retention", ("retention",), ("--on", "2026-11-23")),
]


@pytest.mark.parametrize(("name", "command", "rest"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_cases_file_and_a_store_together_are_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    command: tuple[str, ...],
    rest: tuple[str, ...],
) -> None:
    url = str(tmp_path / "kaa.db")
    with pytest.raises(SystemExit) as caught:
        main([*command, str(CASES), "--store", url, *rest])
    assert caught.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
    assert not (tmp_path / "kaa.db").exists()


@pytest.mark.parametrize(("name", "command", "rest"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_neither_a_cases_file_nor_a_store_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], name: str, command: tuple[str, ...], rest: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, *rest])
    assert caught.value.code == 2
    assert "--store is required" in capsys.readouterr().err


def test_kaa_year_takes_cases_or_a_store_or_neither_but_not_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["year", str(IST), "--municipality", "1882", "-o", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--cases", str(CASES), "--store", str(tmp_path / "kaa.db")])
    assert caught.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["worklist", "--store", "STORE", *DAY_ARGS],
            "--store needs --municipality",
            id="a store without --municipality",
        ),
        pytest.param(
            ["plans", str(CASES), "--municipality", "1882", *DAY_ARGS],
            "--municipality is for reading a store",
            id="--municipality of the store without a store",
        ),
        pytest.param(
            ["report", str(CASES), *PERIOD_ARGS, "--actor", "anna"],
            "--actor is for reading a store",
            id="--actor without a store",
        ),
        pytest.param(
            ["year", str(IST), "--municipality", "1882", "--actor", "anna", "-o", "OUT"],
            "--actor is for reading a store",
            id="kaa year: --actor without a store",
        ),
        pytest.param(
            ["worklist", "--store", "STORE", "--municipality", "1882", "--source", "ist"],
            "--source and --mapping read a cases file",
            id="a register source with a store",
        ),
        pytest.param(
            [*RETENTION_ON_STORE, "-o", "x.jsonl"],
            "-o is for a cases file",
            id="retention: a new cases file with a store",
        ),
        pytest.param(
            ["scb", "check", "--store", "STORE", "--period", "2026H2"],
            "--municipality is required when --store is given",
            id="scb check on a store without --municipality",
        ),
    ],
)
def test_options_that_do_not_go_together_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    url = example_store(tmp_path)
    before = audit_of(url)
    places = {"STORE": url, "OUT": str(tmp_path / "out")}
    status = main([places.get(a, a) for a in argv])
    assert status == 2
    assert message in capsys.readouterr().err
    assert audit_of(url) == before
    assert not (tmp_path / "out").exists()


def _namespace(tmp_path: Path, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kaa test")
    add_cases_arguments(parser, source=True)
    return parser.parse_args(list(argv))


def test_cases_from_a_store_are_the_cases_of_the_file_and_each_read_is_logged(
    tmp_path: Path,
) -> None:
    url = example_store(tmp_path)
    from_file = _namespace(tmp_path, str(CASES))
    from_store = _namespace(tmp_path, "--store", url, "--municipality", "1882", "--actor", "eva")
    with cases_from(from_file) as read:
        expected = list(read)
        assert (read.store, read.file) == (None, CASES)
        assert (
            read.log(AuditAction.REVEAL_IDS, youths=[c.youth.id for c in expected], detail="") == 0
        )
        assert read.case_ids(c.youth.id for c in expected) == []
    with cases_from(from_store) as read:
        pairs = list(read.with_ids())
        assert read.file is None
        assert read.store is not None
        youths = [case.youth.id for _, case in pairs[:3]]
        assert read.case_ids(youths) == [case_id for case_id, _ in pairs[:3]]
        assert read.log(AuditAction.REVEAL_IDS, youths=youths, detail="to the screen") == 3
    assert [case for _, case in pairs] == expected
    assert read.summary == ReadSummary(file=url, rows_read=120, rows_accepted=120, records=120)
    reads = audit_of(url, AuditAction.READ)
    assert [e.case_id for e in reads] == [case_id for case_id, _ in pairs]
    assert {(e.actor, e.purpose) for e in reads} == {("eva", "kaa test")}
    reveal = audit_of(url, AuditAction.REVEAL_IDS)
    assert [(e.case_id, e.detail, e.purpose) for e in reveal] == [
        (case_id, "to the screen", "kaa test") for case_id, _ in pairs[:3]
    ]


def test_a_store_reads_only_the_cases_open_on_the_day_when_asked(tmp_path: Path) -> None:
    url = example_store(tmp_path)
    day = dt.date(2026, 12, 31)
    args = _namespace(tmp_path, "--store", url, "--municipality", "1882")
    with cases_from(args, open_on=day) as read:
        cases = list(read)
    everything = list(read_cases(CASES))
    assert cases == [c for c in everything if c.open_on(day)]
    assert 0 < len(cases) < len(everything)
    assert len(audit_of(url, AuditAction.READ)) == len(cases)


def test_the_store_url_is_named_without_its_password() -> None:
    assert _store_name("postgresql://kaa:hemligt@db.example/kaa") == (
        "postgresql://kaa:***@db.example/kaa"
    )
    assert _store_name("sqlite:///kaa.db") == "sqlite:///kaa.db"
