"""``kaa import``: the filled worklist (or a contacts export) into the store, from the command
line: every rejected row on standard error with sheet, row and column, one summary line, exit
1 when a row was rejected (the rest recorded), 2 for a usage error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kaa.cli import main
from kaa.formats.filled import HEADINGS, SHEET
from kaa.model.case import Case, Registration
from kaa.model.youth import Youth
from kaa.store import AuditAction, open_store
from kaa.testing import skatteverket_number

KOMMUN = "1882"
TODAY = dt.date.today()
ANNA = skatteverket_number(dt.date(2008, 8, 12))
BERTIL = skatteverket_number(dt.date(2007, 4, 13))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kaa.db'}"
    with open_store(url, municipality=KOMMUN, actor="anna", create=True):
        pass
    return url


def _register(url: str, youth: Any) -> str:
    with open_store(url, municipality=KOMMUN, actor="anna") as store:
        case = Case(
            youth=Youth(id=youth),
            municipality=KOMMUN,
            registration=Registration(day=TODAY - dt.timedelta(days=40)),
        )
        return store.register(case)


def _row(case: str, *, day: Any = None, outcome: Any = "nådd", channel: Any = None) -> list[Any]:
    day = (TODAY - dt.timedelta(days=2)) if day is None else day
    written = [case, "", "Testa", "", "Anna", "Ring", "phone", "ungdomen", "telefonsamtal"]
    return [*written, "", 0, 0, "", day, channel, None, outcome, None]


def _workbook(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    ws.append(list(HEADINGS))
    for cells in rows:
        ws.append(list(cells))
    book.save(path)
    return path


def _recorded(url: str) -> int:
    with open_store(url, municipality=KOMMUN, actor="test") as store:
        return len(list(store.audit(action=AuditAction.RECORD)))


def test_a_filled_workbook_is_recorded_and_a_second_import_records_nothing(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    anna, bertil = _register(url, ANNA), _register(url, BERTIL)
    path = _workbook(tmp_path / "morgon.xlsx", [_row(anna), _row(bertil, outcome="inget svar")])
    args = ["import", str(path), "--store", url, "--municipality", KOMMUN, "--actor", "anna"]
    status, out, err = _run(capsys, *args)
    assert (status, out) == (0, "")
    assert "2 filled row(s): 2 recorded, 0 already recorded, 0 rejected" in err
    assert _recorded(url) == 2
    status, _, err = _run(capsys, *args)
    assert status == 0
    assert "0 recorded, 2 already recorded" in err
    assert _recorded(url) == 2
    with open_store(url, municipality=KOMMUN, actor="test") as store:
        assert {e.actor for e in store.audit(action=AuditAction.IMPORT)} == {"anna"}


def test_rejected_rows_are_listed_and_exit_1_while_the_rest_is_recorded(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = _register(url, ANNA)
    path = _workbook(
        tmp_path / "w.xlsx",
        [
            _row(anna, outcome=None),
            _row("aaaaaaaa-2b22-4c33-8d44-5e5f5a5b5c5d"),
            _row(anna, outcome=ANNA.full("long")),
            _row(anna),
        ],
    )
    status, _, err = _run(capsys, "import", str(path), "--store", url, "--municipality", KOMMUN)
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[:3] == [
        f"{path}[{SHEET}]:2: column Q Resultat: the result is missing",
        f"{path}[{SHEET}]:3: column A Ärende: no case 'aaaaaaaa-2b22-4c33-8d44-5e5f5a5b5c5d' in "
        f"the register of municipality {KOMMUN}: the case id is not one of this register's "
        "cases (a case of another municipality is not seen by this store either)",
        f"{path}[{SHEET}]:4: column Q Resultat: the value (12 characters) is not a result: "
        "use one of: nådd; inget svar; meddelande lämnat; skickat, inget svar ännu; returpost; "
        "nådd, avböjer stöd",
    ]
    assert "1 recorded, 0 already recorded, 3 rejected" in lines[-1]
    assert ANNA.full("long") not in err
    assert _recorded(url) == 1


def test_a_csv_sheet_and_a_dry_run(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = _register(url, ANNA)
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    text = (
        ";".join(HEADINGS)
        + "\r\n"
        + ";".join(str(v) if v is not None else "" for v in _row(anna, day=day, channel="sms"))
    )
    path = tmp_path / "w.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    common = [str(path), "--store", url, "--municipality", KOMMUN]
    status, _, err = _run(capsys, "import", *common, "--dry-run")
    assert status == 0
    assert "1 would be recorded" in err
    assert _recorded(url) == 0
    assert _run(capsys, "import", *common)[0] == 0
    assert _recorded(url) == 1


def test_a_contacts_export_through_a_profile_and_a_mapping(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(url, ANNA)
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    path = tmp_path / "kontakter.csv"
    path.write_text(
        f"Pnr;När;Kontaktsätt;Resultat\n{ANNA.full()};{day};Duva;Nådd\n", encoding="utf-8"
    )
    mapping = tmp_path / "askersund.toml"
    mapping.write_text(
        '[columns]\nday = "När"\n\n[values.channel]\n"Duva" = "other"\n', encoding="utf-8"
    )
    common = [str(path), "--store", url, "--municipality", KOMMUN, "--profile", "ist"]
    status, _, err = _run(capsys, "import", *common)
    assert status == 2
    assert "no column for day" in err
    status, _, err = _run(capsys, "import", *common, "--mapping", str(mapping))
    assert status == 0, err
    assert _recorded(url) == 1


def test_a_whole_profile_of_ones_own_is_given_with_mapping(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(url, ANNA)
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    path = tmp_path / "kontakter.csv"
    path.write_text(f"Id;Dag;Hur;Utfall\n{ANNA.full()};{day};telefon;nådd\n", encoding="utf-8")
    profile = tmp_path / "eget.toml"
    profile.write_text(
        '[source]\nname = "eget"\ntitle = "Eget system"\ndescription = "kontakter"\n'
        '[columns]\nid = "Id"\nday = "Dag"\nchannel = "Hur"\noutcome = "Utfall"\n',
        encoding="utf-8",
    )
    args = [str(path), "--store", url, "--municipality", KOMMUN, "--mapping", str(profile)]
    status, _, err = _run(capsys, "import", *args)
    assert status == 0, err
    assert _recorded(url) == 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        pytest.param(["missing.xlsx"], "no file", id="a file that is not there"),
        pytest.param(["w.csv"], "not the worklist's sheet", id="a file that is not a worklist"),
        pytest.param(["w.csv", "--profile", "extens"], "invalid choice", id="an unknown profile"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path,
    url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.csv").write_text("Personnummer;Namn\n", encoding="utf-8")
    try:
        status, _, err = _run(capsys, "import", *argv, "--store", url, "--municipality", KOMMUN)
    except SystemExit as exc:  # argparse refuses the option itself
        status, err = int(str(exc.code)), capsys.readouterr().err
    assert status == 2
    assert words in err
    assert _recorded(url) == 0
