"""``kaa worklist``, run in-process, on a cases file and on a case store."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import openpyxl
import pytest

from formats.test_workbook import CSV_OUT, SEMICOLON_UTF8, soffice_convert
from kaa.cli import main
from kaa.formats.cases import read_cases, write_cases
from kaa.formats.workbook import FILL_IN_HEADINGS, FILL_IN_LISTS, HEADINGS
from kaa.model.case import ContactDetails
from kaa.store import AuditAction, open_store
from kaa.worklist import CSV_COLUMNS
from snapshot_generators.askersund_schedule import SAMPLE_CASES
from yearfiles import DATA, audit_of, example_store
from yearfiles import DAY as YEAR_DAY

DAY = "2026-09-10"
CASES = DATA / "cases.jsonl"


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    write_cases(SAMPLE_CASES.values(), path)
    return path


def test_the_table_groups_items_by_case_worker(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["worklist", str(cases_file), "--on", DAY])
    out, err = capsys.readouterr()
    assert status == 0
    assert out.startswith("Arbetslista 2026-09-10")
    assert "== Handläggare A" in out
    assert "försenad" in out
    assert "6 records, 0 problems" in err
    assert "worklist for 2026-09-10" in err
    whole = next(iter(SAMPLE_CASES.values())).youth.id.full()
    assert whole not in out
    assert whole not in err


def test_grouping_by_due_day(cases_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["worklist", str(cases_file), "--on", DAY, "--group-by", "due-day", "--quiet"])
    out, err = capsys.readouterr()
    days = re.findall(r"^== (\d{4}-\d{2}-\d{2}) \(\d+\) ==$", out, flags=re.MULTILINE)
    assert len(days) > 3
    assert days == sorted(set(days))
    assert err == ""


def _people_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_to_a_file_atomically_with_revealed_ids(cases_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "worklist.csv"
    target.parent.mkdir()
    status = main(
        ["worklist", str(cases_file), "--on", DAY, "-o", str(target), "--reveal-ids", "--quiet"]
    )
    assert status == 0
    rows = _people_csv(target)
    assert rows
    assert list(rows[0]) == list(HEADINGS)
    assert {r["Handläggare"] for r in rows} == {"Handläggare A"}
    assert all("-****" not in r["Personnummer"] for r in rows)
    assert len({r["Ärende"] for r in rows}) == len(rows)
    assert [p.name for p in target.parent.iterdir()] == ["worklist.csv"]
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_machine_csv_keeps_every_item_comma_separated_without_a_bom(
    cases_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "items.csv"
    argv = ["worklist", str(cases_file), "--on", DAY, "--quiet", "-o", str(target)]
    assert main([*argv, "--csv-dialect", "machine"]) == 0
    text = target.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    items = list(csv.DictReader(io.StringIO(text)))
    assert list(items[0]) == list(CSV_COLUMNS)
    assert all(r["id"].endswith("-****") for r in items)
    assert main(argv) == 0
    people = _people_csv(target)
    assert len(people) < len(items)
    assert {r["id"] for r in items} >= {r["Personnummer"] for r in people}


def test_json_with_a_window_and_a_given_timetable(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = Path(__file__).parents[2] / "src" / "kaa" / "data" / "timetables" / "national.toml"
    main(
        [
            "worklist",
            str(cases_file),
            "--on",
            DAY,
            "--format",
            "json",
            "--window",
            "0",
            "--timetable",
            str(national),
            "--quiet",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["day"] == DAY
    assert data["window"] == 0
    steps = {row["step"] for group in data["groups"] for row in group["items"]}
    assert steps <= {"contact", ""}
    assert all(row["id"].endswith("-****") for g in data["groups"] for row in g["items"])


def test_a_bad_case_is_reported_and_sets_the_exit_status(
    cases_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with cases_file.open("a", encoding="utf-8") as f:
        f.write('{"youth": {"id": "20080101-2386"}, "municipality": "9999"}\n')
    status = main(["worklist", str(cases_file), "--on", DAY])
    _, err = capsys.readouterr()
    assert status == 1
    assert ":7:" in err
    assert "20080101-2386" not in err
    assert main(["worklist", str(cases_file), "--on", DAY, "--strict"]) == 1
    assert "stopped at the first problem" in capsys.readouterr().err


def test_a_malformed_timetable_is_a_usage_error(
    cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "kommun.toml"
    bad.write_text('municipality = "1882"\n', encoding="utf-8")
    assert main(["worklist", str(cases_file), "--on", DAY, "--timetable", str(bad)]) == 2
    assert "kommun.toml" in capsys.readouterr().err


@pytest.mark.parametrize(
    "window", [pytest.param("-1", id="a negative window"), pytest.param("x", id="a word")]
)
def test_a_bad_window_is_rejected(cases_file: Path, window: str) -> None:
    with pytest.raises(SystemExit):
        main(["worklist", str(cases_file), "--on", DAY, "--window", window])


# --- on a case store ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(("--format", "table"), id="the table"),
        pytest.param(("--format", "table", "--group-by", "due-day"), id="the table by due day"),
        pytest.param(
            ("--format", "csv", "--csv-dialect", "machine", "--reveal-ids"),
            id="the machine CSV with whole identity numbers",
        ),
        pytest.param(("--format", "json"), id="JSON"),
    ],
)
def test_a_store_gives_the_same_worklist_as_the_cases_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...]
) -> None:
    url = example_store(tmp_path)
    on = ("--on", YEAR_DAY.isoformat(), *options)
    assert main(["worklist", str(CASES), *on]) == 0
    from_file, file_err = capsys.readouterr()
    assert main(["worklist", "--store", url, "--municipality", "1882", *on]) == 0
    from_store, store_err = capsys.readouterr()
    assert from_store == from_file
    assert len(from_file.splitlines()) > 20
    assert f"{CASES}: 120 rows read" in file_err
    assert f"{url}: " in store_err
    assert store_err.splitlines()[1:] == file_err.splitlines()[1:]


def test_on_a_store_each_open_case_read_is_logged_with_the_command_and_the_actor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = example_store(tmp_path)
    argv = ["worklist", "--store", url, "--municipality", "1882", "--on", YEAR_DAY.isoformat()]
    assert main([*argv, "--actor", "eva", "--quiet"]) == 0
    open_cases = [c for c in read_cases(CASES) if c.open_on(YEAR_DAY)]
    reads = audit_of(url, AuditAction.READ)
    assert len(reads) == len(open_cases)
    assert {(e.actor, e.purpose, e.municipality) for e in reads} == {
        ("eva", "kaa worklist", "1882")
    }
    assert audit_of(url, AuditAction.REVEAL_IDS) == []
    assert "-****" in capsys.readouterr().out


def test_reveal_ids_on_a_store_is_logged_once_per_case_shown_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAA_ACTOR", "eva")
    url = example_store(tmp_path)
    target = tmp_path / "arbetslista.csv"
    argv = ["worklist", "--store", url, "--municipality", "1882", "--on", YEAR_DAY.isoformat()]
    assert main([*argv, "--reveal-ids", "-o", str(target), "--quiet"]) == 0
    shown = {row["Personnummer"] for row in _people_csv(target)}
    reads = {e.case_id: e for e in audit_of(url, AuditAction.READ)}
    reveals = audit_of(url, AuditAction.REVEAL_IDS)
    assert len(reveals) == len(shown) > 5
    assert len({e.case_id for e in reveals}) == len(reveals)
    assert {e.case_id for e in reveals} <= set(reads)
    with open_store(url, municipality="1882", actor="auditor") as store:
        revealed = {
            store.case(e.case_id, purpose="test").youth.id.full() for e in reveals if e.case_id
        }
    assert revealed == shown
    for entry in reveals:
        assert (entry.actor, entry.purpose) == ("eva", "kaa worklist")
        assert str(target) in entry.detail
        assert "-****" not in entry.detail


def test_a_store_gives_the_case_ids_as_case_numbers_in_the_csv_for_people(
    tmp_path: Path,
) -> None:
    url = example_store(tmp_path)
    on = ("--on", YEAR_DAY.isoformat(), "--quiet")
    from_file, from_store = tmp_path / "file.csv", tmp_path / "store.csv"
    assert main(["worklist", str(CASES), *on, "-o", str(from_file)]) == 0
    assert (
        main(["worklist", "--store", url, "--municipality", "1882", *on, "-o", str(from_store)])
        == 0
    )
    file_rows, store_rows = _people_csv(from_file), _people_csv(from_store)
    assert len(file_rows) == len(store_rows) > 50
    assert all(re.fullmatch(r"#\d+", r["Ärende"]) for r in file_rows)
    reads = {e.case_id for e in audit_of(url, AuditAction.READ)}
    assert {r["Ärende"] for r in store_rows} <= reads
    without = [{k: v for k, v in r.items() if k != "Ärende"} for r in file_rows]
    assert without == [{k: v for k, v in r.items() if k != "Ärende"} for r in store_rows]


# --- the list a person works from: workbooks, case workers, names ------------------------------

NAMES = ("Åsa Öberg", "Örjan Ärlig", "Ebba Ångström")


@pytest.fixture
def named_cases(tmp_path: Path) -> Path:
    """The sample cases with names and case workers Åke and Märta (two each)."""
    path = tmp_path / "named.jsonl"
    cases = []
    for n, case in enumerate(SAMPLE_CASES.values()):
        details = ContactDetails(name=NAMES[n % 3], phone=f"07012345{n:02d}")
        worker = ("Åke Öst", "Märta Lind")[n % 2]
        cases.append(attrs.evolve(case, contact_details=details, case_worker=worker))
    write_cases(cases, path)
    return path


def test_a_workbook_is_written_for_an_xlsx_name_and_opens_in_libreoffice(
    named_cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet = tmp_path / "arbetslista.xlsx", tmp_path / "arbetslista.csv"
    assert main(["worklist", str(named_cases), "--on", DAY, "-o", str(book)]) == 0
    _, err = capsys.readouterr()
    assert "rows, one per case; written to" in err
    assert main(["worklist", str(named_cases), "--on", DAY, "-o", str(sheet), "--quiet"]) == 0
    for name in NAMES:  # personal data only in the files, never on standard error
        assert name not in err
    assert "0701234" not in err
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Arbetslista", "Listor", "Om listan"]
    written = [[c.value for c in r] for r in wb["Arbetslista"].iter_rows(min_row=2)]
    people = _people_csv(sheet)
    assert [r[0] for r in written] == [r["Ärende"] for r in people]
    assert {r[2] for r in written} <= set(NAMES)
    (book_csv,) = soffice_convert([book], CSV_OUT, tmp_path)
    (book_xlsx,) = soffice_convert([book], "xlsx", tmp_path)
    (sheet_xlsx,) = soffice_convert([sheet], "xlsx", tmp_path, infilter=SEMICOLON_UTF8)
    lines = list(csv.reader(io.StringIO(book_csv.read_text(encoding="utf-8"))))
    assert lines[0] == list(HEADINGS)
    assert all(len(line) == len(HEADINGS) for line in lines)
    assert [line[2] for line in lines[1:]] == [r["Namn"] for r in people]
    assert [line[4] for line in lines[1:]] == [r["Handläggare"] for r in people]
    assert [line[3] for line in lines[1:]] == [r["Telefon"] for r in people]
    assert [line[9] for line in lines[1:]] == [r["Senast"] for r in people]
    converted = openpyxl.load_workbook(book_xlsx)["Arbetslista"]
    lists = {
        converted.cell(1, cells.min_col).value: rule.formula1
        for rule in converted.data_validations.dataValidation
        for cells in rule.sqref.ranges
        if rule.type == "list"
    }
    assert set(lists) == set(FILL_IN_LISTS) < set(FILL_IN_HEADINGS)
    reopened = openpyxl.load_workbook(sheet_xlsx).active
    assert reopened is not None
    assert [c.value for c in reopened[1]] == list(HEADINGS)
    assert [reopened.cell(r, 3).value for r in range(2, reopened.max_row + 1)] == [
        r["Namn"] for r in people
    ]
    assert {reopened.cell(r, 5).value for r in range(2, reopened.max_row + 1)} == {
        "Åke Öst",
        "Märta Lind",
    }


@pytest.mark.parametrize(
    ("name", "options", "says"),
    [
        pytest.param("lista.xls", (), "only as .xlsx", id="an .xls name is refused"),
        pytest.param("lista.ods", (), "only as .xlsx", id="an .ods name is refused"),
        pytest.param("lista.xlsm", (), "only as .xlsx", id="an .xlsm name is refused"),
        pytest.param(
            "lista.xlsx", ("--format", "csv"), "a .xlsx name gets a workbook", id="CSV in .xlsx"
        ),
        pytest.param("lista.csv", ("--xlsx",), "name the workbook .xlsx", id="a workbook in .csv"),
        pytest.param(None, ("--xlsx",), "a workbook is a file", id="a workbook to standard output"),
        pytest.param(
            "lista.xlsx",
            ("--split-by-case-worker",),
            "give an existing directory",
            id="splitting into a file",
        ),
    ],
)
def test_a_spreadsheet_name_never_gets_text(
    cases_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str | None,
    options: tuple[str, ...],
    says: str,
) -> None:
    output = ("-o", str(tmp_path / name)) if name else ()
    status = main(["worklist", str(cases_file), "--on", DAY, *output, *options])
    out, err = capsys.readouterr()
    assert status == 3
    assert says in err
    assert "nothing was written" in err
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl"]


def test_without_the_excel_extra_a_workbook_is_refused_not_written_as_text(
    cases_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "lista.xlsx"
    code = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "from kaa.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "worklist", str(cases_file), "--on", DAY, "-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3
    assert "pip install 'kaa[excel]'" in done.stderr
    assert "records" not in done.stderr  # refused before anything was read
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.jsonl"]


def test_one_case_workers_list(
    named_cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ake.csv"
    argv = ["worklist", str(named_cases), "--on", DAY, "-o", str(target)]
    assert main([*argv, "--case-worker", "Åke Öst"]) == 0
    assert "open cases of Åke Öst" in capsys.readouterr().err
    rows = _people_csv(target)
    assert rows
    assert {r["Handläggare"] for r in rows} == {"Åke Öst"}
    assert main([*argv, "--case-worker", "Nobody", "--quiet"]) == 0
    assert _people_csv(target) == []


@pytest.mark.parametrize(
    ("options", "suffix"),
    [
        pytest.param((), ".xlsx", id="workbooks by default"),
        pytest.param(("--format", "csv"), ".csv", id="CSV for people"),
    ],
)
def test_one_file_per_case_worker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], suffix: str
) -> None:
    out = tmp_path / "lists"
    out.mkdir()
    on = YEAR_DAY.isoformat()
    argv = ["worklist", str(CASES), "--on", on, "--split-by-case-worker", "-o", str(out)]
    assert main([*argv, *options]) == 0
    assert "2 files written to" in capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"arbetslista-{on}-handläggare-{n}{suffix}" for n in (1, 2)]
    whole = tmp_path / "all.csv"
    assert main(["worklist", str(CASES), "--on", on, "-o", str(whole), "--quiet"]) == 0
    everyone = _people_csv(whole)
    got: dict[str, list[str]] = {}
    for name in names:
        path = out / name
        if suffix == ".xlsx":
            ws = openpyxl.load_workbook(path)["Arbetslista"]
            rows = [(ws.cell(r, 1).value, ws.cell(r, 5).value) for r in range(2, ws.max_row + 1)]
        else:
            rows = [(r["Ärende"], r["Handläggare"]) for r in _people_csv(path)]
        for ref, worker in rows:
            got.setdefault(str(worker), []).append(str(ref))
    assert set(got) == {"handläggare-1", "handläggare-2"}
    for worker, refs in got.items():
        assert refs == [r["Ärende"] for r in everyone if r["Handläggare"] == worker]


def test_split_files_on_a_store_each_log_their_revealed_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAA_ACTOR", "eva")
    url = example_store(tmp_path)
    out = tmp_path / "lists"
    out.mkdir()
    argv = ["worklist", "--store", url, "--municipality", "1882", "--on", YEAR_DAY.isoformat()]
    assert main([*argv, "--split-by-case-worker", "-o", str(out), "--reveal-ids", "--quiet"]) == 0
    reveals = audit_of(url, AuditAction.REVEAL_IDS)
    files = sorted(out.iterdir())
    assert len(files) == 2
    for path in files:
        ws = openpyxl.load_workbook(path)["Arbetslista"]
        refs = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
        logged = {e.case_id for e in reveals if str(path) in e.detail}
        assert logged == refs
        assert all("-****" not in str(ws.cell(r, 2).value) for r in range(2, ws.max_row + 1))
