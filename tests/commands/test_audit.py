"""``kaa audit``: the audit log listed and filtered, never with a whole identity number."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.commands.audit import since_argument
from kaa.testing import skatteverket_numbers

NUMBER = skatteverket_numbers()[0]


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A store with one case registered by anna and shown by bertil."""
    path = str(tmp_path / "kaa.db")
    main(["store", "init", path])
    store = ("--store", path, "--municipality", "1882")
    main(["case", "register", *store, "--youth", NUMBER, "--on", "2026-01-12", "--actor", "anna"])
    case_id = capsys.readouterr().out.strip()
    main(["case", "show", case_id, *store, "--actor", "bertil"])
    capsys.readouterr()
    return path


def _lines(capsys: pytest.CaptureFixture[str], *argv: str) -> list[list[str]]:
    assert main(list(argv)) == 0
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(
            (), [("anna", "register"), ("bertil", "read")], id="every entry, oldest first"
        ),
        pytest.param(("--action", "read"), [("bertil", "read")], id="one action"),
        pytest.param(("--action", "gallring"), [], id="an action named in Swedish"),
        pytest.param(("--by", "anna"), [("anna", "register")], id="one actor"),
        pytest.param(("--since", "2099-01-01"), [], id="from a day on"),
        pytest.param(("--case", "no-such-case"), [], id="one case"),
    ],
)
def test_the_audit_log_is_listed_and_filtered(
    url: str,
    capsys: pytest.CaptureFixture[str],
    filters: tuple[str, ...],
    expected: list[tuple[str, str]],
) -> None:
    lines = _lines(capsys, "audit", "--store", url, "--municipality", "1882", *filters)
    assert [(f[1], f[2]) for f in lines] == expected
    for fields in lines:
        assert len(fields) == 6
        assert NUMBER not in "\t".join(fields)


def test_each_entry_has_time_actor_action_case_purpose_and_detail(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (register, read) = _lines(capsys, "audit", "--store", url, "--municipality", "1882")
    assert dt.datetime.fromisoformat(register[0]).tzinfo is not None
    assert register[3] == read[3] != "-"
    assert register[4:] == ["kaa case register", f"{NUMBER[:8]}-**** registered with 1 event(s)"]
    assert read[4] == "kaa case show"


def test_another_municipality_sees_none_of_the_entries(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _lines(capsys, "audit", "--store", url, "--municipality", "0180") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "2026-11-01", dt.datetime(2026, 11, 1, tzinfo=dt.UTC), id="a day from midnight UTC"
        ),
        pytest.param(
            "2026-11-01T08:00:00+01:00",
            dt.datetime(2026, 11, 1, 7, tzinfo=dt.UTC),
            id="a time with its zone",
        ),
    ],
)
def test_since_takes_a_day_or_a_time(text: str, expected: dt.datetime) -> None:
    assert since_argument(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("yesterday", id="not a day"),
        pytest.param("2026-11-01T08:00:00", id="a time without its zone"),
    ],
)
def test_since_refuses_what_is_not_a_day_or_a_zoned_time(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        since_argument(text)
