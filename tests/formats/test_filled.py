"""The filled worklist read back (the workbook contract, /tmp/work/WORKBOOK.md): typed rows,
and a problem with sheet, row and column for every cell that cannot be used.

The workbooks are made here with openpyxl, as the contract says the worklist writes them; the
reader does not depend on the writer's code.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.commands.case import SYNONYMS
from kaa.errors import ConfigurationError, InvalidInput, KaaError
from kaa.formats.filled import (
    HEADINGS,
    SHEET,
    SHEET_COLUMNS,
    WORDS,
    ContactsProfile,
    FilledRow,
    FilledSummary,
    column_letter,
    read_contacts_export,
    read_filled,
    word,
)
from kaa.formats.problems import Problem
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, Channel, Contact, Contacted, ContactOutcome
from kaa.model.youth import Labelled

TODAY = dt.date(2026, 3, 2)
CASE = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
OTHER_CASE = "11111111-2222-4333-8444-555555555555"
NUMBER = "20080812-2394"
"""A Skatteverket test number."""
WHOLE = ["200808122394", "20080812-2394", "0808122394", "080812-2394", "2008081223", "08122394"]
"""Texts that must never appear in a message."""

PROFILE_TOML = Path(__file__).resolve().parents[2] / "src/kaa/adapters/profiles/ist-contacts.toml"


def sheet_row(
    *,
    case: Any = CASE,
    pnr: Any = "20080812-****",
    step: Any = "phone",
    to: Any = "ungdomen",
    kanal: Any = "telefonsamtal",
    day: Any = None,
    channel: Any = None,
    contacted: Any = None,
    outcome: Any = None,
    activity: Any = None,
    extra: Sequence[Any] = (),
) -> list[Any]:
    """One worklist row as the worklist writes it (A–M), with N–R as given."""
    written = [case, pnr, "Testa Testsson", "070-000 00 00", "Anna", "Ring ungdomen", step, to]
    written += [kanal, "2026-02-20", 10, 1, ""]
    return [*written, day, channel, contacted, outcome, activity, *extra]


def workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    headings: Sequence[Any] = HEADINGS,
    sheet: str = SHEET,
    formulas: bool = False,
) -> Path:
    """A worklist workbook: the sheet with ``headings`` and ``rows``, and the two others of
    the contract. Text starting with ``=`` is a formula only when ``formulas``."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(list(headings))
    for row in rows:
        ws.append(list(row))
    if not formulas:
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    lists = book.create_sheet("Listor")
    lists.append([c.label_sv for c in Channel])
    about = book.create_sheet("Om listan")
    about.append(["Kommun", "1882"])
    book.save(path)
    return path


def csv_file(
    path: Path, rows: Sequence[Sequence[Any]], *, sep: str = ";", bom: bool = True
) -> Path:
    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if sep in text or '"' in text else text

    lines = [sep.join(HEADINGS)] + [sep.join(cell(v) for v in row) for row in rows]
    data = "\r\n".join(lines).encode("utf-8")
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def read(path: Path) -> tuple[list[FilledRow], FilledSummary]:
    summary = FilledSummary(file=str(path))
    rows = list(read_filled(path, summary=summary, today=TODAY))
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.rows_accepted == len(rows)
    return rows, summary


def assert_never_whole(problems: Sequence[Problem | str]) -> None:
    for problem in problems:
        for whole in WHOLE:
            assert whole not in str(problem)


# -- rows that are read -------------------------------------------------------------------


def test_a_row_with_an_excel_date_and_swedish_labels_is_a_typed_row(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "w.xlsx",
        [
            sheet_row(
                day=dt.datetime(2026, 2, 23),
                channel="sms",
                contacted="vårdnadshavare",
                outcome="nådd",
                activity="arbete",
            )
        ],
    )
    rows, summary = read(path)
    assert rows == [
        FilledRow(
            sheet=f"{path}[{SHEET}]",
            row=2,
            case_id=CASE,
            masked="20080812-****",
            day=dt.date(2026, 2, 23),
            channel=Channel.SMS,
            contacted=Contacted.GUARDIAN,
            outcome=ContactOutcome.REACHED,
            activity=Activity.WORK,
            step="phone",
        )
    ]
    assert rows[0].contact == Contact(
        day=dt.date(2026, 2, 23),
        channel=Channel.SMS,
        contacted=Contacted.GUARDIAN,
        outcome=ContactOutcome.REACHED,
        activity=Activity.WORK,
    )
    assert rows[0].columns["day"] == "N Utfört datum"
    assert summary.ok


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            {"day": "2026-02-23", "channel": "phone", "outcome": "no_answer"},
            (Channel.PHONE, Contacted.YOUTH, ContactOutcome.NO_ANSWER, None),
            id="an ISO text date and English values",
        ),
        pytest.param(
            {"day": "2026-02-23 00:00:00", "channel": "Telefon", "outcome": "INGET SVAR"},
            (Channel.PHONE, Contacted.YOUTH, ContactOutcome.NO_ANSWER, None),
            id="short Swedish words in any case, an ISO date with a time",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": "nådd", "activity": "jobb"},
            (Channel.PHONE, Contacted.YOUTH, ContactOutcome.REACHED, Activity.WORK),
            id="the channel defaults to the step's (column I)",
        ),
        pytest.param(
            {"to": "vårdnadshavare", "day": "2026-02-23", "outcome": "meddelande lämnat"},
            (Channel.PHONE, Contacted.GUARDIAN, ContactOutcome.MESSAGE_LEFT, None),
            id="whom the contact was with defaults to the step's (column H)",
        ),
        pytest.param(
            {"to": "", "day": "2026-02-23", "outcome": "skickat", "channel": "vykort"},
            (Channel.POSTCARD, Contacted.YOUTH, ContactOutcome.SENT, None),
            id="with neither P nor H the contact was with the youth",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": "returpost", "activity": "okänd"},
            (Channel.PHONE, Contacted.YOUTH, ContactOutcome.RETURNED_MAIL, Activity.UNKNOWN),
            id="okänd goes with a result that reached nobody",
        ),
        pytest.param(
            {"day": "2026-03-02", "outcome": "avböjer stöd", "activity": "ingen"},
            (Channel.PHONE, Contacted.YOUTH, ContactOutcome.DECLINED_SUPPORT, Activity.NO_ACTIVITY),
            id="today is a day work can have been done",
        ),
    ],
)
def test_filled_rows_are_read_with_their_words(
    tmp_path: Path, cells: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    rows, summary = read(workbook(tmp_path / "w.xlsx", [sheet_row(**cells)]))
    assert summary.ok, summary.problems
    (row,) = rows
    assert (row.channel, row.contacted, row.outcome, row.activity) == expected


def test_rows_with_nothing_filled_in_are_skipped_and_counted(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "w.xlsx",
        [
            sheet_row(),
            [None] * 18,
            sheet_row(case=OTHER_CASE, day=dt.date(2026, 2, 24), outcome="nådd"),
            sheet_row(case="#4"),
        ],
    )
    rows, summary = read(path)
    assert [r.row for r in rows] == [4]
    assert (summary.rows_read, summary.rows_unfilled, summary.problems) == (1, 2, [])


def test_the_personnummer_column_gives_the_youth_when_whole(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "w.xlsx",
        [
            sheet_row(pnr=NUMBER, day="2026-02-23", outcome="nådd"),
            sheet_row(pnr=200808122394, day="2026-02-23", outcome="nådd"),
            sheet_row(pnr="", day="2026-02-23", outcome="nådd"),
            sheet_row(pnr="något annat", day="2026-02-23", outcome="nådd"),
        ],
    )
    rows, _ = read(path)
    youth = IdentityNumber.parse(NUMBER)
    assert [(r.youth, r.masked) for r in rows] == [
        (youth, None),
        (youth, None),
        (None, None),
        (None, None),
    ]
    assert "2394" not in repr(rows[0])


# -- every bad cell is a problem with its column --------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        pytest.param({"day": "2026-02-23"}, "Q Resultat", "result is missing", id="no result"),
        pytest.param({"outcome": "nådd"}, "N Utfört datum", "day", id="no day"),
        pytest.param(
            {"day": "23/2", "outcome": "nådd"}, "N Utfört datum", "not a day", id="a day-first date"
        ),
        pytest.param(
            {"day": "2026-02-30", "outcome": "nådd"},
            "N Utfört datum",
            "not a day",
            id="a day that is not in the calendar",
        ),
        pytest.param(
            {"day": 46076, "outcome": "nådd"}, "N Utfört datum", "number", id="a number, not a date"
        ),
        pytest.param(
            {"day": dt.date(2026, 3, 3), "outcome": "nådd"},
            "N Utfört datum",
            "after today",
            id="a day after today",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": "nåd"},
            "Q Resultat",
            "'nåd' is not a result",
            id="an unknown word is named",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": True}, "Q Resultat", "yes/no", id="a yes/no cell"
        ),
        pytest.param(
            {"day": "2026-02-23", "channel": "brevduva", "outcome": "nådd"},
            "O Utförd kanal",
            "not a channel",
            id="an unknown channel",
        ),
        pytest.param(
            {"kanal": "", "day": "2026-02-23", "outcome": "nådd"},
            "O Utförd kanal",
            "channel is missing",
            id="no channel and none for the step",
        ),
        pytest.param(
            {"to": "grannen", "day": "2026-02-23", "outcome": "nådd"},
            "H Till",
            "not whom",
            id="an unknown addressee of the step is reported where it is",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": "inget svar", "activity": "arbete"},
            "R Sysselsättning",
            "reached someone",
            id="an activity with a result that reached nobody",
        ),
        pytest.param(
            {"case": "#3", "day": "2026-02-23", "outcome": "nådd"},
            "A Ärende",
            "cases file",
            id="a worklist made from a cases file",
        ),
        pytest.param(
            {"case": "ärende 7", "day": "2026-02-23", "outcome": "nådd"},
            "A Ärende",
            "not a case number",
            id="a case number that is not a case id",
        ),
        pytest.param(
            {"case": None, "day": "2026-02-23", "outcome": "nådd"},
            "A Ärende",
            "case number is missing",
            id="no case number",
        ),
        pytest.param(
            {"day": "2026-02-23", "outcome": "nådd", "extra": ["en anteckning"]},
            "S",
            "outside the worklist's columns",
            id="a value to the right of column R",
        ),
    ],
)
def test_a_bad_cell_is_reported_with_sheet_row_and_column(
    tmp_path: Path, cells: dict[str, Any], column: str, words: str
) -> None:
    path = workbook(tmp_path / "w.xlsx", [sheet_row(**cells)])
    rows, summary = read(path)
    assert rows == []
    assert summary.rows_rejected == 1
    (problem,) = summary.problems
    assert (problem.file, problem.line, problem.column) == (f"{path}[{SHEET}]", 2, column)
    assert words in problem.message


def test_every_bad_cell_of_a_row_is_reported(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "w.xlsx",
        [sheet_row(case="#1", day="igår", channel="duva", outcome="", activity="hemlig")],
    )
    _, summary = read(path)
    assert [p.column for p in summary.problems] == [
        "A Ärende",
        "N Utfört datum",
        "O Utförd kanal",
        "Q Resultat",
        "R Sysselsättning",
    ]
    assert summary.rows_rejected == 1


def test_formula_cells_are_never_read_as_values(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "w.xlsx",
        [
            sheet_row(day="=TODAY()", outcome="nådd"),
            sheet_row(day="2026-02-23", outcome='=HYPERLINK("http://x", "nådd")'),
            sheet_row(case=f'=HYPERLINK("#","{CASE}")', day="2026-02-23", outcome="nådd"),
            # A formula in a column the import does not read is no matter.
            [CASE, "", '=HYPERLINK("tel:070")', *sheet_row(day="2026-02-23", outcome="nådd")[3:]],
        ],
        formulas=True,
    )
    rows, summary = read(path)
    assert [r.row for r in rows] == [5]
    assert [(p.line, p.column) for p in summary.problems] == [
        (2, "N Utfört datum"),
        (3, "Q Resultat"),
        (4, "A Ärende"),
    ]
    assert all("formula" in p.message for p in summary.problems)


def test_text_that_begins_like_a_formula_is_a_word_that_is_not_known(tmp_path: Path) -> None:
    rows, summary = read(
        workbook(tmp_path / "w.xlsx", [sheet_row(day="2026-02-23", outcome="=1+1")])
    )
    assert rows == []
    assert "'=1+1' is not a result" in summary.problems[0].message


@pytest.mark.parametrize(
    "planted",
    [pytest.param(w, id=f"the number written {w}") for w in WHOLE[:4]]
    + [pytest.param(200808122394, id="the number as an Excel number")],
)
@pytest.mark.parametrize("column", ["case", "day", "channel", "contacted", "outcome", "activity"])
def test_an_identity_number_in_a_wrong_column_is_never_echoed(
    tmp_path: Path, planted: Any, column: str
) -> None:
    cells: dict[str, Any] = {"day": "2026-02-23", "outcome": "nådd", column: planted}
    path = workbook(tmp_path / "w.xlsx", [sheet_row(pnr="", **cells)])
    rows, summary = read(path)
    assert rows == []
    assert summary.problems
    assert_never_whole(summary.problems)


# -- the headings are the contract ---------------------------------------------------------


@pytest.mark.parametrize(
    ("headings", "column", "words"),
    [
        pytest.param(
            [*HEADINGS[:3], "Mobil", *HEADINGS[4:]],
            "D",
            "'Mobil', not 'Telefon'",
            id="a renamed column",
        ),
        pytest.param(
            [*HEADINGS[:13], *HEADINGS[14:]], "N", "not 'Utfört datum'", id="a column taken away"
        ),
        pytest.param(
            [*HEADINGS, "Anteckningar"],
            "S",
            "heading the worklist does not have",
            id="a column added",
        ),
        pytest.param(
            HEADINGS[:17], "R", "empty, not 'Sysselsättning'", id="the last column missing"
        ),
        pytest.param(
            ["Personnummer", "Namn", "Kommun"], "A", "not 'Ärende'", id="a register export"
        ),
    ],
)
def test_a_sheet_whose_headings_are_not_the_contract_is_refused_naming_the_first_wrong_one(
    tmp_path: Path, headings: Sequence[str], column: str, words: str
) -> None:
    path = workbook(
        tmp_path / "w.xlsx", [sheet_row(day="2026-02-23", outcome="nådd")], headings=headings
    )
    with pytest.raises(InvalidInput) as info:
        read_filled(path, today=TODAY)
    assert (info.value.line, info.value.column) == (1, column)
    assert words in info.value.message


def test_headings_are_compared_on_meaning(tmp_path: Path) -> None:
    headings = [h.upper().replace(" ", "  ") for h in HEADINGS]
    rows, _ = read(
        workbook(
            tmp_path / "w.xlsx", [sheet_row(day="2026-02-23", outcome="nådd")], headings=headings
        )
    )
    assert len(rows) == 1


def test_a_workbook_without_the_worklist_sheet_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "w.xlsx", [], sheet="Blad1")
    with pytest.raises(InvalidInput, match="no sheet 'Arbetslista'"):
        read_filled(path)


def test_an_empty_sheet_and_a_sheet_without_headings_in_row_1_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(InvalidInput, match="empty"):
        read_filled(tmp_path / "empty.xlsx")
    ws.cell(row=3, column=1, value="Ärende")
    book.save(tmp_path / "low.xlsx")
    with pytest.raises(InvalidInput, match="row 1"):
        read_filled(tmp_path / "low.xlsx")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InvalidInput, match=r"not a readable \.xlsx"):
        read_filled(path)


# -- the CSV form -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sep", "bom"),
    [
        pytest.param(";", True, id="semicolons and a byte-order mark, as the worklist writes it"),
        pytest.param(",", False, id="commas without a byte-order mark"),
    ],
)
def test_a_csv_sheet_with_the_same_columns_is_read(tmp_path: Path, sep: str, bom: bool) -> None:
    path = csv_file(
        tmp_path / "w.csv",
        [
            sheet_row(day="2026-02-23", outcome="nådd", activity="studier"),
            sheet_row(),
            sheet_row(case=OTHER_CASE, day="2026-02-24", channel="e-post", outcome="inget svar"),
            sheet_row(case=OTHER_CASE, day="2026-02-24", outcome="nådd, avböjer stöd"),
        ],
        sep=sep,
        bom=bom,
    )
    rows, summary = read(path)
    assert [(r.row, r.channel, r.outcome, r.activity) for r in rows] == [
        (2, Channel.PHONE, ContactOutcome.REACHED, Activity.OTHER_STUDIES),
        (4, Channel.EMAIL, ContactOutcome.NO_ANSWER, None),
        (5, Channel.PHONE, ContactOutcome.DECLINED_SUPPORT, None),
    ]
    assert summary.rows_unfilled == 1
    assert rows[0].sheet == str(path)


def test_a_csv_cell_escaped_for_spreadsheets_is_read_without_its_quote_mark(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "w.csv", [sheet_row(day="2026-02-23", outcome="'=nådd")])
    _, summary = read(path)
    assert "'=nådd' is not a result" in summary.problems[0].message


def test_a_malformed_csv_line_is_reported_and_the_next_is_read(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "w.csv",
        [sheet_row(day="2026-02-23", outcome="nådd"), sheet_row(day="2026-02-24", outcome="nådd")],
    )
    lines = path.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(CASE.encode(), b'"' + CASE.encode())
    path.write_bytes(b"\r\n".join(lines))
    rows, summary = read(path)
    assert [r.row for r in rows] == [3]
    assert [(p.line, p.column) for p in summary.problems] == [(2, None)]


def test_a_csv_with_other_headings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("Personnummer;Namn\n20080812-2394;Testa\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_filled(path)
    assert info.value.column == "A"
    assert "2394" not in str(info.value)


# -- words --------------------------------------------------------------------------------


def test_the_sheet_reads_every_word_kaa_case_accepts() -> None:
    for cls, words in WORDS.items():
        assert dict(SYNONYMS[cls]) == dict(words), cls
        for text, value in words.items():
            found = word(cls, text)
            assert found is not None
            assert found.value == value


@pytest.mark.parametrize("cls", [Channel, ContactOutcome, Contacted, Activity])
def test_every_swedish_label_and_english_value_is_a_word(cls: type[Labelled]) -> None:
    for member in cls:
        label, value = member.label_sv, str(member.value)
        assert word(cls, label) is member
        assert word(cls, value) is member
        assert word(cls, label.upper()) is member


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 17, 25, 26, 701, 702)] == [
        "A",
        "R",
        "Z",
        "AA",
        "ZZ",
        "AAA",
    ]
    assert SHEET_COLUMNS["outcome"] == "Q Resultat"


# -- hostile cells --------------------------------------------------------------------------

_HOSTILE = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(
        [
            "nådd",
            "Nådd ",
            "nådd x",
            '"nådd"',
            "inget svar",
            "arbete",
            "telefon",
            "2026-02-23",
            "2026-02-23x",
            "2026-02-23T12:00",
            "20260223",
            '=HYPERLINK("a")',
            "'=1",
            NUMBER,
            "200808122394",
            "x" * 5000,
            ";",
            '"',
            "\t",
            "#1",
            CASE,
            CASE.upper(),
            CASE + " ",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
"""Cells as a hostile or careless sheet may hold them: quotes, separators, huge values,
numbers, dates and yes/no where words belong, trailing text, identity numbers."""


def _csv_text(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch not in "\r\n\x00")
    return value


def _check_every_row_accounted(
    rows: list[FilledRow], summary: FilledSummary, written: Sequence[Sequence[Any]]
) -> None:
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.rows_read + summary.rows_unfilled <= len(written)
    rejected = {p.line for p in summary.problems}
    accepted = {r.row for r in rows}
    assert not rejected & accepted
    assert len(rejected) == summary.rows_rejected
    assert_never_whole(summary.problems)
    for row in rows:
        cells = written[row.row - 2]
        # never silently altered: what was read is what the cells say
        assert row.case_id == str(cells[0]).strip().lower()
        day_cell = cells[13]
        if isinstance(day_cell, dt.date):
            assert row.day == (day_cell.date() if isinstance(day_cell, dt.datetime) else day_cell)
        else:
            assert isinstance(day_cell, str)
            assert str(day_cell).strip().startswith(row.day.isoformat())
        channel = cells[14] if cells[14] not in (None, "") else cells[8]
        assert word(Channel, str(channel)) is row.channel
        outcome = word(ContactOutcome, str(cells[16]))
        assert outcome is row.outcome
        if cells[17] not in (None, ""):
            assert word(Activity, str(cells[17])) is row.activity
        else:
            assert row.activity is None


_VALID = sheet_row(day="2026-02-23", channel="sms", outcome="nådd", activity="arbete")
_ROWS = st.lists(
    st.dictionaries(st.integers(min_value=0, max_value=19), _HOSTILE, max_size=3).map(
        lambda changes: [changes.get(i, v) for i, v in enumerate([*_VALID, None, None])]
    ),
    min_size=1,
    max_size=6,
)
"""Worklist rows with up to three cells anywhere made hostile (often still readable)."""


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_ROWS)
def test_hostile_cells_in_a_workbook_are_accepted_or_reported_never_altered(
    tmp_path_factory: pytest.TempPathFactory, cells: list[list[Any]]
) -> None:
    path = tmp_path_factory.mktemp("hostile") / "w.xlsx"
    clean = [[_xlsx_safe(v) for v in row] for row in cells]
    workbook(path, clean, formulas=True)
    try:
        rows, summary = read(path)
    except KaaError:
        return  # a whole-file refusal (the library's own error) is an answer too
    _check_every_row_accounted(rows, summary, [[_xlsx_value(v) for v in row] for row in clean])


def _xlsx_safe(value: Any) -> Any:
    """What openpyxl can write in a cell (it refuses control characters and NaN)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch == " ")[:32767]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return str(value)
    return value


def _xlsx_value(value: Any) -> Any:
    """A cell as it comes back: openpyxl writes a date as a datetime."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


@settings(max_examples=150, deadline=None)
@given(_ROWS, st.sampled_from([";", ","]))
def test_hostile_cells_in_a_csv_are_accepted_or_reported_never_altered(
    cells: list[list[Any]], sep: str
) -> None:
    import tempfile

    written = [
        [v.isoformat() if isinstance(v, dt.date) else _csv_text(v) for v in row] for row in cells
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = csv_file(Path(folder) / "w.csv", written, sep=sep)
        try:
            rows, summary = read(path)
        except KaaError:
            return
    _check_every_row_accounted(rows, summary, [[_csv_cell(v) for v in row] for row in written])


def _csv_cell(value: Any) -> Any:
    text = "" if value is None else str(value)
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        text = text[1:]
    return text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_the_librarys_error(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for name in ("w.csv", "w.xlsx"):
            path = Path(folder) / name
            path.write_bytes(codecs.BOM_UTF8 + ";".join(HEADINGS).encode() + b"\n" + data)
            with contextlib.suppress(KaaError):
                list(read_filled(path, today=TODAY))


# -- contacts exports through a profile ----------------------------------------------------


def ist_export(
    path: Path, rows: Sequence[Sequence[str]], headings: Sequence[str] | None = None
) -> Path:
    heads = headings or [
        "Personnummer",
        "Namn",
        "Kontaktdatum",
        "Kontaktsätt",
        "Resultat",
        "Kontakt med",
        "Sysselsättning",
        "Anteckning",
    ]
    text = "\n".join(";".join(r) for r in [heads, *rows])
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_contacts_export_is_read_through_its_profile(tmp_path: Path) -> None:
    profile = ContactsProfile.from_toml(PROFILE_TOML)
    path = ist_export(
        tmp_path / "kontakter.csv",
        [
            [NUMBER, "Testa", "2026-02-23", "Telefon", "Nådd", "Ungdom", "Arbete", "känsligt"],
            ["200808122394", "Testa", "20260224", "SMS", "Ej svar", "VH", "", ""],
            [NUMBER, "Testa", "2026-02-25", "Duva", "Nådd", "", "", ""],
            ["20080812-2395", "Testa", "2026-02-25", "Brev", "Skickat", "", "", ""],
            [NUMBER, "Testa", "", "Brev", "", "", "Arbete", ""],
        ],
    )
    summary = FilledSummary(file=str(path))
    rows = list(read_contacts_export(path, profile, summary=summary, today=TODAY))
    youth = IdentityNumber.parse(NUMBER)
    assert [
        (r.row, r.youth, r.case_id, r.day, r.channel, r.contacted, r.outcome, r.activity)
        for r in rows
    ] == [
        (
            2,
            youth,
            None,
            dt.date(2026, 2, 23),
            Channel.PHONE,
            Contacted.YOUTH,
            ContactOutcome.REACHED,
            Activity.WORK,
        ),
        (
            3,
            youth,
            None,
            dt.date(2026, 2, 24),
            Channel.SMS,
            Contacted.GUARDIAN,
            ContactOutcome.NO_ANSWER,
            None,
        ),
    ]
    assert [(p.line, p.column) for p in summary.problems] == [
        (4, "Kontaktsätt"),
        (5, "Personnummer"),
        (6, "Kontaktdatum"),
        (6, "Resultat"),
    ]
    assert summary.rows_rejected == 3
    assert_never_whole(summary.problems)
    assert rows[0].columns["day"] == "Kontaktdatum"


def test_a_mapping_file_adapts_the_contacts_profile(tmp_path: Path) -> None:
    mapping = tmp_path / "askersund.toml"
    mapping.write_text(
        '[columns]\nday = "Datum för kontakt"\n\n[values.channel]\n"Duva" = "other"\n',
        encoding="utf-8",
    )
    profile = ContactsProfile.from_toml(PROFILE_TOML).with_mapping(mapping)
    assert profile.files == (str(PROFILE_TOML), str(mapping))
    heads = ["Personnummer", "Datum för kontakt", "Kontaktsätt", "Resultat"]
    path = ist_export(tmp_path / "k.csv", [[NUMBER, "2026-02-23", "Duva", "Nådd"]], heads)
    (row,) = read_contacts_export(path, profile, today=TODAY)
    assert row.channel is Channel.OTHER


def test_an_export_without_a_required_column_is_refused_naming_it(tmp_path: Path) -> None:
    profile = ContactsProfile.from_toml(PROFILE_TOML)
    path = ist_export(
        tmp_path / "k.csv", [[NUMBER, "2026-02-23", "Nådd"]], ["Pnr", "Datum", "Resultat"]
    )
    with pytest.raises(InvalidInput, match="no column for channel"):
        read_contacts_export(path, profile)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param(
            '[columns]\nnotes = "Anteckning"\n', "notes", id="a field that is not a contact's"
        ),
        pytest.param(
            '[values.outcome]\n"Ja" = "yes"\n', "outcome", id="a value that is not the library's"
        ),
        pytest.param('[file]\nencoding = "ebcdic"\n', "encoding", id="an unknown encoding"),
    ],
)
def test_a_wrong_mapping_file_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=key):
        ContactsProfile.from_toml(PROFILE_TOML).with_mapping(mapping)


def test_a_whole_profile_needs_its_source_table() -> None:
    with pytest.raises(ConfigurationError, match=r"\[source\]"):
        ContactsProfile.from_text('[columns]\nid = "Pnr"\n')
    own = ContactsProfile.from_text(
        '[source]\nname = "eget"\ntitle = "Eget"\ndescription = "d"\n[columns]\nid = "Pnr"\n'
    )
    assert own.columns == {"id": ("Pnr",)}
    assert "`Pnr`" in own.markdown()
