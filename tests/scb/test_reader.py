"""Reading a submission file back (:mod:`kaa.scb.reader`): every bad row named by file, line
and column without showing the number, every row counted, and no crash on arbitrary bytes.

Round trips (``read(write(x)) == x``) are in ``test_writer.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.errors import InvalidInput
from kaa.formats.problems import ReadSummary
from kaa.model.case import Activity, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.layout import ScbLayout, default_profile, load_profile, parse_profile
from kaa.scb.reader import parse_submission, read_submission
from kaa.scb.submission import MandatoryData, ScbRecord, Submission
from kaa.scb.writer import dumps_submission
from kaa.testing import skatteverket_number

D = dt.date
HT = HalfYear(2026, 2)
DEFAULT = default_profile()
LONG = load_profile(Path(__file__).parent.parent / "data" / "scb" / "long.toml")
ID = skatteverket_number(D(2008, 8, 12))
_TEXT = files("kaa.scb.layouts").joinpath("default.toml").read_text("utf-8")
_OTHER = 'other = "other"                                     # annat\n'
ONE_UNMAPPED = parse_profile(_TEXT.replace(_OTHER, "", 1), source="one.toml")
TWO_UNMAPPED = parse_profile(
    _TEXT.replace(_OTHER, "", 1).replace('never_started = "never_started"', "", 1),
    source="two.toml",
)


def _wide(cells: dict[int, str]) -> str:
    text = dumps_submission(
        Submission(
            period=HT,
            municipality="1882",
            records=(
                ScbRecord(
                    mandatory=MandatoryData(
                        youth=ID,
                        municipality="1882",
                        registered=D(2026, 8, 20),
                        reason=RegistrationReason.OTHER,
                        activity=Activity.WORK,
                    )
                ),
            ),
        )
    )
    header, row, _ = text.split("\r\n")
    values = row.split(";")
    for i, v in cells.items():
        values[i] = v
    return f"{header}\r\n{';'.join(values)}\r\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param(
            "Pnr;Kommun\r\n",
            1,
            1,
            "header does not match",
            id="a header that is not the profile's is rejected at line 1",
        ),
        pytest.param(
            _wide({3: "7"}),
            2,
            "Registreringsorsak",
            "not a code",
            id="an unknown code names line and column",
        ),
        pytest.param(
            _wide({2: "20/08/2026"}),
            2,
            "Registreringsdatum",
            "not a date",
            id="a date in another form names line and column",
        ),
        pytest.param(
            _wide({0: "200808122395"}),
            2,
            "Personnummer",
            "check digit",
            id="a bad identity number names the column without showing the number",
        ),
        pytest.param(
            _wide({1: "9999"}),
            2,
            "Kommun",
            "not a kommunkod",
            id="an unknown kommunkod is rejected",
        ),
        pytest.param(
            _wide({}).replace("\r\n2", "\r\n;2", 1),
            2,
            None,
            "columns",
            id="a row with the wrong number of columns is rejected",
        ),
        pytest.param(
            _wide({5: "2026-09-01"}),
            2,
            "Kontakt1Sysselsattning",
            "not a code",
            id="half an entry in a repeated group is rejected",
        ),
    ],
)
def test_a_bad_row_names_file_line_and_column(
    text: str, line: int, column: str | int | None, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_submission(text.encode("utf-8"), period=HT, file="scb.txt")
    assert caught.value.file == "scb.txt"
    assert caught.value.line == line
    assert caught.value.column == column
    assert message in caught.value.message
    assert "200808122395" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("9\t1\r\n", "not a record type", id="an unknown record type is rejected"),
        pytest.param(
            f"2\t{ID.full('separated', on=HT.last_day)}\t20260901\t5\r\n",
            "before any block-1 row",
            id="a contact before the youth's block-1 row is rejected",
        ),
        pytest.param("1\t2\r\n", "columns", id="a short row is rejected"),
    ],
)
def test_long_layout_rows_are_checked(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_submission(text.encode("cp1252"), period=HT, profile=LONG, municipality="1882")


def test_problems_are_collected_and_every_row_counted() -> None:
    text = _wide({3: "7"}) + _wide({}).split("\r\n", 1)[1]
    summary = ReadSummary(file="scb.txt")
    seen: list[str] = []
    got = parse_submission(
        text.encode("utf-8"), period=HT, summary=summary, on_problem=lambda p: seen.append(str(p))
    )
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (2, 1, 1)
    assert len(got) == 1
    assert len(seen) == 1
    assert ID.masked() in seen[0]
    assert ID.full("long") not in seen[0]


def test_a_file_in_another_encoding_names_the_line() -> None:
    with pytest.raises(InvalidInput, match="encoding") as caught:
        parse_submission(b"Personnummer\r\n\xff\xfe", period=HT)
    assert caught.value.line == 2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes) -> None:
    for profile in (DEFAULT, LONG, TWO_UNMAPPED):
        with contextlib.suppress(InvalidInput):
            parse_submission(data, period=HT, profile=profile, municipality="1882")


_BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte-order mark Notepad and Excel's "CSV UTF-8" put first."""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_wide({}), id="a file with a UTF-8 byte-order mark reads as without it"),
        pytest.param(
            _wide({3: "7"}) + _wide({}).split("\r\n", 1)[1],
            id="with a byte-order mark, rows are still counted and named by line",
        ),
    ],
)
def test_a_utf8_byte_order_mark_is_skipped(text: str) -> None:
    plain, marked = ReadSummary(file="scb.txt"), ReadSummary(file="scb.txt")
    expected = parse_submission(text.encode(), period=HT, summary=plain)
    got = parse_submission(_BOM + text.encode(), period=HT, summary=marked)
    assert got == expected
    assert len(got) == 1
    assert marked == plain


@pytest.mark.parametrize(
    ("data", "profile", "line", "words"),
    [
        pytest.param(
            _BOM + b"1\t1\r\n",
            "long",
            1,
            "begins with a UTF-8 byte-order mark, so it is UTF-8, but the profile",
            id="a byte-order mark in a file whose profile is cp1252 is refused with advice",
        ),
        pytest.param(
            _BOM + b"Personnummer\r\n\xff",
            "default",
            2,
            "(byte 17)",
            id="a bad byte after a byte-order mark names its line and byte in the file",
        ),
    ],
)
def test_a_byte_order_mark_that_does_not_fit_is_refused(
    data: bytes, profile: str, line: int, words: str
) -> None:
    layout = {"default": DEFAULT, "long": LONG}[profile]
    with pytest.raises(InvalidInput) as caught:
        parse_submission(data, period=HT, profile=layout, municipality="1882", file="scb.txt")
    assert (caught.value.file, caught.value.line) == ("scb.txt", line)
    assert words in caught.value.message


def test_a_stray_quote_rejects_only_its_own_line(tmp_path: Path) -> None:
    snapshot = Path(__file__).resolve().parents[1] / "snapshots" / "scb-1882-2026H2.txt"
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(";1882;", ';"1882;', 1)
    path = tmp_path / "scb.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ReadSummary(file=str(path))
    submission = read_submission(
        path, period=HalfYear.parse("2026H2"), municipality="1882", summary=summary
    )
    assert summary.rows_read == len(lines) - 1
    assert summary.rows_rejected == 1
    (problem,) = summary.problems
    assert problem.line == 4
    assert "not closed on this line" in problem.message
    assert len(submission.records) == len(lines) - 2


@pytest.mark.parametrize(
    ("profile", "reason", "message"),
    [
        pytest.param(
            DEFAULT,
            None,
            "'' is not a code of the list registration_reason",
            id="an empty reason cell is not a code when the profile maps every reason",
        ),
        pytest.param(
            ONE_UNMAPPED,
            RegistrationReason.OTHER,
            None,
            id="an empty reason cell is the one reason the profile leaves unmapped",
        ),
        pytest.param(
            TWO_UNMAPPED,
            None,
            "(never_started, other), so which one it is cannot be told",
            id="an empty reason cell is a problem when the profile leaves two reasons unmapped",
        ),
    ],
)
def test_an_empty_coded_cell(
    profile: ScbLayout, reason: RegistrationReason | None, message: str | None
) -> None:
    text = _wide({3: ""})
    if reason is not None:
        back = parse_submission(text.encode(), period=HT, profile=profile)
        assert back.records[0].mandatory.reason is reason
        return
    assert message is not None
    with pytest.raises(InvalidInput) as caught:
        parse_submission(text.encode(), period=HT, profile=profile, file="scb.txt")
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, "Registreringsorsak")
