"""The work recorded back into the store: every filled row recorded, already recorded or
rejected with sheet, row and column; importing twice records nothing new; audit-logged.

Real stores (SQLite in a temporary file, and PostgreSQL on the real server the tests start,
``tests/pgserver.py``); workbooks made with openpyxl as the workbook contract says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import pgserver
from kaa import recording
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.filled import HEADINGS, SHEET, FilledRow
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    Contacted,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Registration,
)
from kaa.model.youth import Youth
from kaa.recording import (
    BUILTIN_CONTACT_PROFILES,
    PURPOSE,
    RowStatus,
    contacts_profile,
    import_file,
    record_filled,
)
from kaa.store import AuditAction, CaseStore, Correction, Event, EventKind, open_store
from kaa.testing import skatteverket_number

KOMMUN = "1882"
TODAY = dt.date(2026, 3, 2)
REGISTERED = dt.date(2026, 1, 12)
ANNA = skatteverket_number(dt.date(2008, 8, 12))
BERTIL = skatteverket_number(dt.date(2007, 4, 13))
CECILIA = skatteverket_number(dt.date(2009, 2, 3))


# -- stores -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def import_pg_server() -> Iterator[pgserver.PostgresServer]:
    """A throw-away PostgreSQL server for these tests (as ``tests/store/conftest.py``)."""
    try:
        server = pgserver.PostgresServer().start()
    except pgserver.ServerUnavailable as exc:
        if pgserver.optional():
            pytest.skip(f"no PostgreSQL server ({pgserver.OPTIONAL_VARIABLE}=1): {exc}")
        pytest.fail(f"could not start the PostgreSQL test server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kaa.db'}"
        return
    with pgserver.database(request.getfixturevalue("import_pg_server")) as url:
        yield url


@pytest.fixture
def any_store(store_url: str) -> Iterator[CaseStore]:
    """A new, empty store on each backend, bound to Askersund."""
    with open_store(store_url, municipality=KOMMUN, actor="anna", create=True) as store:
        yield store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CaseStore]:
    """A new, empty SQLite store."""
    with open_store(
        f"sqlite:///{tmp_path / 'kaa.db'}", municipality=KOMMUN, actor="anna", create=True
    ) as opened:
        yield opened


def register(store: CaseStore, youth: IdentityNumber, day: dt.date = REGISTERED) -> str:
    case = Case(
        youth=Youth(id=youth), municipality=store.municipality, registration=Registration(day=day)
    )
    return store.register(case)


# -- sheets -----------------------------------------------------------------------------


def row(
    case: str,
    *,
    pnr: str = "",
    kanal: str = "telefonsamtal",
    to: str = "ungdomen",
    day: Any = "2026-02-23",
    channel: Any = None,
    contacted: Any = None,
    outcome: Any = "nådd",
    activity: Any = None,
) -> list[Any]:
    written = [case, pnr, "Testa", "", "Anna", "Ring", "phone", to, kanal, "2026-02-20", 3, 0, ""]
    return [*written, day, channel, contacted, outcome, activity]


def workbook(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    ws.append(list(HEADINGS))
    for cells in rows:
        ws.append(list(cells))
    book.save(path)
    return path


def contacts(store: CaseStore, case_id: str) -> list[Contact]:
    return list(store.case(case_id, purpose="test").contacts)


def imports(store: CaseStore) -> list[tuple[str | None, str]]:
    return [(e.case_id, e.detail) for e in store.audit(action=AuditAction.IMPORT)]


def statuses(report: recording.ImportReport) -> list[tuple[int, str, str | None]]:
    return [(r.row, r.status.value, r.column) for r in report.rows]


# -- the round trip ---------------------------------------------------------------------


def test_every_filled_row_is_recorded_and_audited_and_twice_records_nothing_new(
    any_store: CaseStore, tmp_path: Path
) -> None:
    store = any_store
    anna, bertil = register(store, ANNA), register(store, BERTIL)
    path = workbook(
        tmp_path / "morgon.xlsx",
        [
            row(anna, pnr=ANNA.masked(), day=dt.datetime(2026, 2, 23), outcome="inget svar"),
            row(bertil, day="2026-02-24", channel="sms", outcome="nådd", activity="arbete"),
            row(anna, day=None, outcome=None),  # not filled in
            row(anna, day="2026-02-25", contacted="vårdnadshavare", outcome="meddelande lämnat"),
        ],
    )
    report = import_file(store, path, today=TODAY)
    assert report.ok, report.problems
    assert statuses(report) == [(2, "recorded", None), (3, "recorded", None), (5, "recorded", None)]
    assert (len(report.recorded), report.cases_touched, report.read.rows_unfilled) == (3, 2, 1)
    assert contacts(store, anna) == [
        Contact(day=dt.date(2026, 2, 23), channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER),
        Contact(
            day=dt.date(2026, 2, 25),
            channel=Channel.PHONE,
            contacted=Contacted.GUARDIAN,
            outcome=ContactOutcome.MESSAGE_LEFT,
        ),
    ]
    assert [c.activity.value for c in contacts(store, bertil) if c.activity] == ["work"]
    records = list(store.audit(action=AuditAction.RECORD))
    assert len(records) == 3
    assert {e.purpose for e in records} == {PURPOSE}
    assert {e.actor for e in records} == {"anna"}
    assert sorted(imports(store)) == sorted(
        [
            (anna, f"{path}: 2 contact(s) recorded from row(s) 2, 5"),
            (bertil, f"{path}: 1 contact(s) recorded from row(s) 3"),
        ]
    )

    again = import_file(store, path, today=TODAY)
    assert again.ok
    assert statuses(again) == [
        (2, "already_recorded", None),
        (3, "already_recorded", None),
        (5, "already_recorded", None),
    ]
    assert (len(again.recorded), again.cases_touched) == (0, 0)
    assert len(list(store.audit(action=AuditAction.RECORD))) == 3
    assert len(imports(store)) == 2
    assert "0 recorded, 3 already recorded, 0 rejected" in str(again)


def test_unknown_cases_and_another_municipalitys_case_are_reported_and_the_rest_recorded(
    any_store: CaseStore, store_url: str, tmp_path: Path
) -> None:
    store = any_store
    anna = register(store, ANNA)
    url = store_url
    with open_store(url, municipality="0180", actor="stina") as stockholm:
        theirs = register(stockholm, BERTIL)
    path = workbook(
        tmp_path / "w.xlsx",
        [
            row(theirs),
            row("11111111-2222-4333-8444-555555555555"),
            row(anna),
        ],
    )
    report = import_file(store, path, today=TODAY)
    assert statuses(report) == [
        (2, "rejected", "A Ärende"),
        (3, "rejected", "A Ärende"),
        (4, "recorded", None),
    ]
    assert not report.ok
    assert "another municipality" in report.rows[0].message
    with open_store(url, municipality="0180", actor="stina") as stockholm:
        assert stockholm.case(theirs, purpose="test").contacts == ()


def test_rows_the_reader_rejects_are_counted_with_the_stores(
    store: CaseStore, tmp_path: Path
) -> None:
    anna = register(store, ANNA)
    path = workbook(
        tmp_path / "w.xlsx",
        [
            row(anna, outcome=None),  # result missing: the reader
            row(anna, day="2026-01-05"),  # before the registration: the store
            row(anna, day="23 feb"),  # not a day: the reader
            row(anna, day="2026-02-26"),
            row("#7"),
        ],
    )
    report = import_file(store, path, today=TODAY)
    assert (len(report.recorded), len(report.already_recorded), report.rejected_rows) == (1, 0, 4)
    assert report.read.rows_read == 5
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "Q Resultat"),
        (3, "N Utfört datum"),
        (4, "N Utfört datum"),
        (6, "A Ärende"),
    ]
    assert "before the registration" in report.problems[1].message


def test_the_same_contact_twice_in_one_sheet_is_recorded_once(
    store: CaseStore, tmp_path: Path
) -> None:
    anna = register(store, ANNA)
    report = import_file(
        store, workbook(tmp_path / "w.xlsx", [row(anna), row(anna.upper())]), today=TODAY
    )
    assert statuses(report) == [(2, "recorded", None), (3, "already_recorded", None)]
    assert report.rows[1].message == "the same contact as row 2"
    assert len(contacts(store, anna)) == 1


def test_a_row_moved_away_from_its_case_number_is_not_recorded_on_the_wrong_youth(
    store: CaseStore, tmp_path: Path
) -> None:
    anna = register(store, ANNA)
    path = workbook(
        tmp_path / "w.xlsx",
        [
            row(anna, pnr=BERTIL.masked()),
            row(anna, pnr=BERTIL.full(), day="2026-02-24"),
            row(anna, pnr=ANNA.full(), day="2026-02-25"),
        ],
    )
    report = import_file(store, path, today=TODAY)
    assert statuses(report) == [
        (2, "rejected", "B Personnummer"),
        (3, "rejected", "B Personnummer"),
        (4, "recorded", None),
    ]
    for problem in report.problems:
        assert BERTIL.full() not in str(problem)
        assert ANNA.full() not in str(problem)


def test_a_corrected_or_withdrawn_contact_is_not_brought_back_by_the_old_sheet(
    store: CaseStore, tmp_path: Path
) -> None:
    anna = register(store, ANNA)
    path = workbook(tmp_path / "w.xlsx", [row(anna), row(anna, day="2026-02-24")])
    first = import_file(store, path, today=TODAY)
    events = [e for e in store.history(anna, purpose="test") if e.kind is EventKind.CONTACT]
    store.record(anna, Event(data=Correction(), day=TODAY, supersedes=events[0].event_id))
    fixed = Contact(day=dt.date(2026, 2, 24), channel=Channel.SMS, outcome=ContactOutcome.REACHED)
    store.record(anna, Event(data=Correction(data=fixed), day=TODAY, supersedes=events[1].event_id))
    again = import_file(store, path, today=TODAY)
    assert [r.status for r in first.rows] == [RowStatus.RECORDED] * 2
    assert [r.status for r in again.rows] == [RowStatus.ALREADY_RECORDED] * 2
    assert contacts(store, anna) == [fixed]


def test_a_dry_run_records_nothing_and_counts_what_would_be(
    store: CaseStore, tmp_path: Path
) -> None:
    anna = register(store, ANNA)
    path = workbook(
        tmp_path / "w.xlsx",
        [row(anna), row(anna), row(anna, day="2026-01-02"), row(anna, day="2026-02-24")],
    )
    report = import_file(store, path, dry_run=True, today=TODAY)
    assert statuses(report) == [
        (2, "recorded", None),
        (3, "already_recorded", None),
        (4, "rejected", "N Utfört datum"),
        (5, "recorded", None),
    ]
    assert "would be recorded" in str(report)
    assert contacts(store, anna) == []
    assert list(store.audit(action=AuditAction.RECORD)) == []
    assert imports(store) == []
    assert {e.purpose for e in store.audit(action=AuditAction.HISTORY)} == {f"{PURPOSE} --dry-run"}


def test_a_contact_after_kaa_ended_is_rejected(store: CaseStore, tmp_path: Path) -> None:
    anna = register(store, ANNA)
    store.record(anna, Event(data=KaaEnd(day=dt.date(2026, 2, 1), reason=EndReason.DEGREE)))
    report = import_file(store, workbook(tmp_path / "w.xlsx", [row(anna)]), today=TODAY)
    assert statuses(report) == [(2, "rejected", "N Utfört datum")]
    assert "after KAA ended" in report.rows[0].message


def test_cases_are_worked_in_chunks_of_transactions(
    store: CaseStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording, "CHUNK", 2)
    youths = [skatteverket_number(dt.date(2008, 1, d)) for d in (2, 3, 4, 5, 6)]
    ids = [register(store, y) for y in youths]
    report = import_file(store, workbook(tmp_path / "w.xlsx", [row(i) for i in ids]), today=TODAY)
    assert len(report.recorded) == 5
    assert report.cases_touched == 5
    assert all(len(contacts(store, i)) == 1 for i in ids)


def test_record_filled_takes_rows_from_anywhere(store: CaseStore) -> None:
    anna = register(store, ANNA)
    rows = [
        FilledRow(
            sheet="api",
            row=1,
            case_id=anna,
            day=dt.date(2026, 2, 23),
            channel=Channel.EMAIL,
            outcome=ContactOutcome.SENT,
        )
    ]
    report = record_filled(store, rows, file="api")
    assert report.ok
    assert len(report.recorded) == 1
    assert report.rows[0].event_id is not None
    assert report.read.rows_read == 1


# -- contacts exports keyed by identity number ------------------------------------------


def export(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    heads = ["Personnummer", "Namn", "Kontaktdatum", "Kontaktsätt", "Resultat", "Anteckning"]
    path.write_text("\n".join(";".join(r) for r in [heads, *rows]), encoding="utf-8-sig")
    return path


def test_a_contacts_export_is_recorded_on_the_case_covering_each_day(
    any_store: CaseStore, tmp_path: Path
) -> None:
    store = any_store
    old = register(store, ANNA, dt.date(2025, 9, 1))
    store.record(old, Event(data=KaaEnd(day=dt.date(2025, 12, 1), reason=EndReason.OTHER)))
    new = register(store, ANNA, dt.date(2026, 1, 12))
    path = export(
        tmp_path / "kontakter.csv",
        [
            [ANNA.full(), "Anna", "2025-10-01", "Telefon", "Ej svar", "vill inte"],
            [ANNA.full("long"), "Anna", "2026-02-02", "SMS", "Nådd", ""],
            [ANNA.full(), "Anna", "2025-12-20", "Brev", "Skickat", ""],
            [BERTIL.full(), "Bertil", "2026-02-02", "Telefon", "Nådd", ""],
            [ANNA.full(), "Anna", "2026-02-30", "Telefon", "Nådd", ""],
        ],
    )
    report = import_file(store, path, profile=contacts_profile("ist"), today=TODAY)
    assert statuses(report) == [
        (2, "recorded", None),
        (3, "recorded", None),
        (4, "rejected", "Kontaktdatum"),
        (5, "rejected", "Personnummer"),
    ]
    assert [(p.line, p.column) for p in report.problems][-1] == (6, "Kontaktdatum")
    assert [c.day for c in contacts(store, old)] == [dt.date(2025, 10, 1)]
    assert [c.day for c in contacts(store, new)] == [dt.date(2026, 2, 2)]
    searches = list(store.audit(action=AuditAction.SEARCH))
    assert {e.purpose for e in searches} == {PURPOSE}
    assert all(ANNA.full() not in e.detail and BERTIL.full() not in e.detail for e in searches)
    for problem in report.problems:
        assert ANNA.full() not in str(problem)
        assert BERTIL.full() not in str(problem)
    again = import_file(store, path, profile=contacts_profile("ist"), today=TODAY)
    assert len(again.recorded) == 0
    assert len(again.already_recorded) == 2


@pytest.mark.parametrize("name", BUILTIN_CONTACT_PROFILES)
def test_every_built_in_contacts_profile_maps_the_required_fields(name: str) -> None:
    profile = contacts_profile(name)
    assert profile.name == f"{name}-contacts"
    assert {"id", "day", "channel", "outcome"} <= set(profile.columns)
    assert profile.files == (f"kaa/adapters/profiles/{name}-contacts.toml",)


def test_an_unknown_contacts_profile_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no built-in contacts profile"):
        contacts_profile("extens")


def test_a_file_that_is_not_a_worklist_records_nothing(store: CaseStore, tmp_path: Path) -> None:
    register(store, ANNA)
    path = tmp_path / "w.csv"
    path.write_text("Personnummer;Resultat\n20080812-2394;nådd\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        import_file(store, path)
    assert list(store.audit(action=AuditAction.RECORD)) == []


def test_a_row_made_in_python_that_is_not_a_contact_is_rejected(store: CaseStore) -> None:
    anna = register(store, ANNA)
    bad = FilledRow(
        sheet="api",
        row=7,
        case_id=anna,
        day=dt.date(2026, 2, 23),
        channel=Channel.PHONE,
        outcome=ContactOutcome.NO_ANSWER,
        activity=Activity.WORK,
    )
    report = record_filled(store, [bad], file="api")
    assert [(r.row, r.status) for r in report.rows] == [(7, RowStatus.REJECTED)]
    assert "reached someone" in report.rows[0].message
    assert contacts(store, anna) == []
