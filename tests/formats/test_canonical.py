"""The canonical CSV/JSON reader: every row accepted or reported, round trips."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.convert import to_dict
from kaa.errors import InvalidInput
from kaa.formats.canonical import (
    CSV_COLUMNS,
    dumps_csv,
    read_youths,
    read_youths_csv,
    read_youths_json,
)
from kaa.formats.problems import ReadSummary
from kaa.model.youth import Youth
from kaa.testing.synthetic import synthetic_youths
from strategies import (
    BAD_YES_NO,
    CONTROL_CHARACTERS,
    bad_dates,
    csv_faults,
    faulty_csv_line,
    json_record_fault,
    line_endings,
    youth_targets,
    youths,
)

DAY = dt.date(2026, 11, 23)
HEADER = ",".join(CSV_COLUMNS)
A = "20061123-2398"
B = "20070302-2392"


def read(text: str) -> tuple[list[object], ReadSummary]:
    summary = ReadSummary(file="youths.csv")
    youths = list(
        read_youths_csv(io.StringIO(text), file="youths.csv", summary=summary, reference_day=DAY)
    )
    return youths, summary


def test_a_valid_file_is_read_completely() -> None:
    text = "\n".join(
        [
            HEADER,
            f"{A},residence,folkbokford,,1882,2006-11-23,,",
            f"{A},compulsory_school,,,,2022-06-10,,",
            f"{A},enrolment,gymnasieskola,national,,2022-08-22,2024-02-09,yes",
            f"{B},residence,,,1882,,,",
            f"{B},qualification,studiebevis,,,2026-06-10,,",
            "",
        ]
    )
    youths, summary = read(text)
    assert len(youths) == 2
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (5, 5, 0)
    assert summary.ok


@pytest.mark.parametrize(
    ("row", "line", "column", "words"),
    [
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2024-13-01,,",
            3,
            "start",
            "not a date",
            id="a bad date is reported with its line and column",
        ),
        pytest.param(
            f"{A},enrolment,gymnasium,national,,2024-08-01,,",
            3,
            "kind",
            "not a school form",
            id="an unknown school form lists the allowed ones",
        ),
        pytest.param(
            f"{A},residence,,,0000,,,",
            3,
            "municipality",
            "kommunkod",
            id="an unknown municipality code is reported",
        ),
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2024-08-01,2023-01-01,",
            3,
            "end",
            "before start",
            id="an end before the start is reported",
        ),
        pytest.param(
            f"{A},hobby,,,,,,",
            3,
            "record",
            "not a record type",
            id="an unknown record type is reported",
        ),
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2024-08-01,,kanske",
            3,
            "cancelled",
            "not yes or no",
            id="a bad yes/no is reported",
        ),
        pytest.param(
            f"{A},compulsory_school,,,,,,",
            3,
            "start",
            "required",
            id="a missing required date is reported",
        ),
    ],
)
def test_a_bad_row_rejects_the_youth_and_is_reported(
    row: str, line: int, column: str, words: str
) -> None:
    text = "\n".join([HEADER, f"{A},residence,,,1882,,,", row, f"{B},residence,,,1882,,,"])
    youths, summary = read(text)
    assert len(youths) == 1  # B is still read
    assert summary.rows_read == 3
    assert summary.rows_rejected == 2  # both rows of A
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    first = summary.problems[0]
    assert (first.line, first.column) == (line, column)
    assert words in first.message
    assert first.youth == "20061123-****"
    assert "2398" not in str(summary.problems)


@pytest.mark.parametrize(
    ("row", "words"),
    [
        pytest.param(f"{A},residence,,,1882,,", "row has 7 fields, expected 8", id="a short row"),
        pytest.param(f'{A},residence,,,"1882,,,', "not closed", id="a stray quote"),
        pytest.param(
            f'{A},residence,,,"1882"x,,,', "after its closing quote", id="text after a quote"
        ),
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2022-08-22,2024-02-09,nej?",
            "is not yes or no",
            id="a yes/no word that is not documented",
        ),
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2022-08-22,2024-02-09,x",
            "is not yes or no",
            id="a single letter is not a yes",
        ),
        pytest.param(
            f"{A},enrolment,gymnasieskola,national,,2022-08-22 x,2024-02-09,no",
            "not a date",
            id="trailing text after a date",
        ),
    ],
)
def test_a_malformed_row_is_rejected_and_the_rows_after_it_are_read(row: str, words: str) -> None:
    text = "\n".join([HEADER, row, f"{B},residence,,,1882,,,"])
    youths, summary = read(text)
    assert [y.id.masked() for y in youths] == ["20070302-****"]  # type: ignore[attr-defined]
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (2, 1, 1)
    (problem,) = summary.problems
    assert problem.line == 2
    assert words in problem.message


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("yes", True),
        ("JA", True),
        ("true", True),
        ("1", True),
        ("no", False),
        ("Nej", False),
        ("false", False),
        ("0", False),
        ("", False),
    ],
)
def test_the_documented_yes_no_words(word: str, value: bool) -> None:
    text = "\n".join(
        [HEADER, f"{A},enrolment,gymnasieskola,national,,2022-08-22,2024-02-09,{word}"]
    )
    (youth,), summary = read(text)
    assert summary.ok
    assert youth.enrolments[0].cancelled is value  # type: ignore[attr-defined]


def test_a_header_that_is_data_is_not_echoed() -> None:
    with pytest.raises(InvalidInput) as caught:
        read(f"{A},residence,,,1882,,,\n")
    assert "2398" not in str(caught.value)


def test_a_bad_identity_number_is_reported_without_the_number() -> None:
    text = "\n".join([HEADER, "20061123-2399,residence,,,1882,,,"])
    youths, summary = read(text)
    assert youths == []
    assert summary.rows_rejected == 1
    assert summary.problems[0].column == "id"
    assert "2399" not in str(summary.problems[0])


def test_split_rows_of_a_youth_are_reported() -> None:
    text = "\n".join(
        [
            HEADER,
            f"{A},residence,,,1882,,,",
            f"{B},residence,,,1882,,,",
            f"{A},compulsory_school,,,,2022-06-10,,",
        ]
    )
    youths, summary = read(text)
    assert len(youths) == 2
    assert summary.rows_rejected == 1
    assert summary.problems[0].line == 4
    assert "together" in summary.problems[0].message


def test_a_wrong_header_is_an_error_naming_the_file() -> None:
    with pytest.raises(InvalidInput, match=r"youths.csv, line 1"):
        read("personnummer,namn\n")


def test_an_empty_file_is_an_error() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        read("")


def test_blank_lines_and_a_byte_order_mark_are_tolerated() -> None:
    text = "\ufeff" + HEADER + "\n\n" + f"{A},residence,,,1882,,,\n,,,,,,,\n"
    youths, summary = read(text)
    assert len(youths) == 1
    assert summary.rows_read == 1


def test_csv_round_trip_of_synthetic_youths() -> None:
    youths = list(synthetic_youths(300, on=DAY))
    text = dumps_csv(youths)
    back, summary = read(text)
    assert back == youths
    assert summary.ok


def test_json_round_trip_and_line_numbers() -> None:
    youths = list(synthetic_youths(20, on=DAY))
    data = to_dict(youths, reveal_ids=True)
    data[3]["enrolments"] = [{"school_form": "gymnasium", "start": "2024-08-01"}]
    text = json.dumps(data, indent=2)
    summary = ReadSummary(file="y.json")
    back = list(
        read_youths_json(io.StringIO(text), file="y.json", summary=summary, reference_day=DAY)
    )
    assert len(back) == 19
    assert summary.rows_rejected == 1
    problem = summary.problems[0]
    assert "$.enrolments[0].school_form" in problem.message
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "  {"]
    assert problem.line == starts[3]


def test_json_lines_are_streamed() -> None:
    youths = list(synthetic_youths(5, on=DAY))
    text = "\n".join(json.dumps(d) for d in to_dict(youths, reveal_ids=True))
    assert list(read_youths_json(io.StringIO(text), lines=True, reference_day=DAY)) == youths


def test_masked_unstructuring_never_reveals_numbers() -> None:
    youths = list(synthetic_youths(5, on=DAY))
    text = json.dumps(to_dict(youths, reveal_ids=False))
    for y in youths:
        assert y.id.full("long") not in text
        assert y.id.masked() in text


MUTATIONS = ("date", "kind", "municipality", "record", "id", "extra")


def _inject(row: list[str], what: str) -> list[str]:
    row = list(row)
    if what == "date":
        row[5] = "2024-02-30"
    elif what == "kind":
        row[2] = "nonsense"
    elif what == "municipality":
        row[1], row[4] = "residence", "9999"
    elif what == "record":
        row[1] = "unknown"
    elif what == "id":
        row[0] = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    elif what == "extra":
        row.append("surplus")
    return row


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    n=st.integers(min_value=1, max_value=40),
    faults=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), st.sampled_from(MUTATIONS)),
        max_size=12,
    ),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_accepted_plus_rejected_equals_rows_read(
    n: int, faults: list[tuple[int, str]], seed: int
) -> None:
    youths = list(synthetic_youths(n, on=DAY, seed=seed))
    lines = dumps_csv(youths).splitlines()
    rows = [line.split(",") for line in lines[1:]]
    for index, what in faults:
        if rows:
            i = index % len(rows)
            rows[i] = _inject(rows[i], what)
    if seed % 7 == 0:
        random.Random(seed).shuffle(rows)
    text = "\n".join([lines[0], *(",".join(r) for r in rows)])
    back, summary = read(text)
    assert summary.rows_read == len(rows)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert summary.records == len(back)
    if summary.rows_rejected:
        assert summary.problems


def test_split_rows_of_a_youth_with_an_interim_number_are_reported() -> None:
    from kaa.testing import interim_number

    a = interim_number(dt.date(2008, 1, 1), 5).full("long")
    b = interim_number(dt.date(2008, 1, 1), 105).full("long")  # same digits, other letter
    text = "\n".join(
        [
            HEADER,
            f"{a},residence,,,1882,,,",
            f"{b},residence,,,1882,,,",
            f"{a},youth,,,,,,",
        ]
    )
    youths, summary = read(text)
    assert len(youths) == 2
    assert summary.rows_rejected == 1
    assert summary.problems[0].line == 4


# --- hostile input: every youth read unchanged, or rejected whole and reported -----------

USED_COLUMNS = {
    "youth": (),
    "residence": (2, 4, 5, 6),
    "compulsory_school": (5,),
    "arrival": (2, 5),
    "enrolment": (2, 3, 5, 6, 7),
    "qualification": (2, 5),
    "birth_date": (5,),
}
"""The columns each record type reads (a value in another column is not read at all)."""

VALUE_FAULTS = ("bad date", "bad word", "bad yes/no", "bad kommun", "control character")
NOT_WORDS = ("x", "gymnasium", "national programme", "9" * 5_000, "folkbokförd", "ja")
HARD_CONTROL = tuple(c for c in CONTROL_CHARACTERS if c.strip())  # not stripped as space


@st.composite
def value_fault(draw: st.DrawFn, row: list[str]) -> list[str] | None:
    """``row`` with one value no strict reader accepts, or ``None`` if the row has no cell
    the fault applies to."""
    fault = draw(st.sampled_from(VALUE_FAULTS))
    used = USED_COLUMNS[row[1].strip().lower()]
    row = list(row)
    if fault == "bad date":
        columns = [c for c in used if c in (5, 6)]
        value: str = draw(bad_dates)
    elif fault == "bad word":
        columns = [c for c in (1, *used) if c in (1, 2, 3)]
        value = draw(st.sampled_from(NOT_WORDS))
    elif fault == "bad yes/no":
        columns = [c for c in used if c == 7]
        value = draw(st.sampled_from(BAD_YES_NO))
    elif fault == "bad kommun":
        columns = [c for c in used if c == 4]
        value = draw(st.sampled_from(["0000", "18820", "188", "1882 x", "9" * 5_000]))
    else:
        columns = [c for c in (1, *used) if c in (1, 2)]
        if not columns:
            return None
        column = draw(st.sampled_from(columns))
        row[column] += draw(st.sampled_from(HARD_CONTROL))
        return row
    if not columns:
        return None
    row[draw(st.sampled_from(columns))] = value
    return row


@st.composite
def hostile_canonical_files(draw: st.DrawFn) -> tuple[bytes, list[Youth], list[Youth], int]:
    """A canonical CSV file of known youths, some with one faulty row, as bytes; the youths
    written, those a strict reader accepts, and the number of data rows."""
    written = draw(st.lists(youths(), max_size=6, unique_by=lambda y: y.id))
    clean: list[Youth] = []
    lines = [HEADER]
    data_rows = 0
    for youth in written:
        rows = [line.split(",") for line in dumps_csv([youth]).splitlines()[1:]]
        if draw(st.booleans()):  # written another way a reader must accept
            form = draw(st.sampled_from(["long", "separated_long"]))
            for row in rows:
                row[0] = youth.id.full(form)
                row[1] = draw(st.sampled_from([row[1], row[1].upper(), f" {row[1]} "]))
        kind = draw(st.sampled_from(["none", "none", "structure", "value"]))
        faulty = None
        at = draw(st.integers(0, len(rows) - 1))
        if kind == "structure":
            fault = draw(csv_faults)
            first = 0 if fault in ("stray quote", "text after quote") else 1
            faulty = draw(faulty_csv_line(rows[at], ",", fault, first))
        elif kind == "value":
            bad = draw(value_fault(rows[at]))
            faulty = None if bad is None else ",".join(bad)
        if faulty is None:
            clean.append(youth)
        for i, row in enumerate(rows):
            lines.append(faulty if i == at and faulty is not None else ",".join(row))
            data_rows += 1
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["", ",,,,,,,", "  "])))  # blank rows
    ends = [draw(line_endings) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8"), written, clean, data_rows


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_canonical_files())
def test_every_youth_of_a_hostile_csv_is_read_unchanged_or_rejected_whole(
    generated: tuple[bytes, list[Youth], list[Youth], int],
) -> None:
    data, written, clean, data_rows = generated
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "youths.csv"
        path.write_bytes(data)
        summary = ReadSummary(file=str(path))
        back = list(read_youths(path, summary=summary, reference_day=DAY))
    assert summary.rows_read == data_rows  # nothing silently lost
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert back == clean  # nothing altered: a faulty row rejects its youth whole
    assert summary.records == len(back)
    assert summary.rows_rejected == 0 or summary.problems
    assert len(summary.problems) >= len(written) - len(clean)


@st.composite
def hostile_json_records(draw: st.DrawFn) -> tuple[list[str], list[Youth], bool]:
    """The JSON texts of known youths, some with one fault; the youths a strict reader
    accepts, and whether a fault is in the JSON text itself (which refuses a JSON array
    file whole)."""
    written = draw(st.lists(youths(), max_size=6, unique_by=lambda y: y.id))
    texts: list[str] = []
    clean: list[Youth] = []
    refused = False
    for youth in written:
        record = to_dict(youth, reveal_ids=True)
        if draw(st.integers(0, 2)) == 0:
            text, decoder = draw(json_record_fault(record, youth_targets(record)))
            texts.append(text)
            refused = refused or decoder
        else:
            texts.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
            clean.append(youth)
    return texts, clean, refused


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_json_records(), line_endings, st.booleans(), st.booleans())
def test_every_youth_of_a_hostile_json_lines_file_is_read_unchanged_or_rejected(
    generated: tuple[list[str], list[Youth], bool], end: str, blank: bool, bom: bool
) -> None:
    texts, clean, _ = generated
    if end == "\r":
        end = "\r\n"  # JSON Lines are split on \n
    body = "".join(text + end + ("  " + end if blank else "") for text in texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "youths.jsonl"
        path.write_bytes((("\ufeff" if bom else "") + body).encode("utf-8"))
        summary = ReadSummary(file=str(path))
        back = list(read_youths(path, summary=summary, reference_day=DAY))
    assert summary.rows_read == len(texts)  # one per non-blank line
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert back == clean
    assert summary.records == len(back)
    assert len(summary.problems) >= len(texts) - len(clean)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_json_records(), st.booleans())
def test_a_hostile_json_array_is_read_unchanged_rejected_or_refused_whole(
    generated: tuple[list[str], list[Youth], bool], indent: bool
) -> None:
    texts, clean, refused = generated
    body = "[" + ("\n " if indent else "") + (",\n " if indent else ",").join(texts) + "]"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "youths.json"
        path.write_text(body, encoding="utf-8")
        summary = ReadSummary(file=str(path))
        if refused:  # a duplicate key, a huge number: the file is not usable JSON
            with pytest.raises(InvalidInput):
                list(read_youths(path, summary=summary, reference_day=DAY))
            return
        back = list(read_youths(path, summary=summary, reference_day=DAY))
    assert summary.rows_read == len(texts)
    assert summary.rows_accepted + summary.rows_rejected == summary.rows_read
    assert back == clean
    assert summary.records == len(back)


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(f"{A},compulsory_school,,,,2022-06-10,", id="a short row"),
        pytest.param(
            f"{A},residence,,,1882,2006-11-23,,2006-12-01,",
            id="an extra separator that moves the values after it",
        ),
        pytest.param(f"{A},compulsory_school,,,,2022-06-10,,,", id="an empty cell too many"),
        pytest.param(f'{A},compulsory_school,,,,"2022-06-10,,', id="a stray quote"),
        pytest.param(f'"{A},compulsory_school,,,,2022-06-10,,', id="a stray quote before the id"),
        pytest.param(f'"{A}"x,compulsory_school,,,,2022-06-10,,', id="text after a quoted id"),
        pytest.param(f"{A},compulsory_school,,,,{'x' * 200_000},,", id="a cell over the limit"),
    ],
)
def test_a_malformed_row_of_a_youth_rejects_the_youth_whole(row: str) -> None:
    text = "\n".join([HEADER, f"{A},residence,,,1882,,,", row, f"{B},residence,,,1882,,,"])
    youths, summary = read(text)
    assert [y.id.masked() for y in youths] == ["20070302-****"]  # type: ignore[attr-defined]
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (3, 1, 2)
    assert [p.line for p in summary.problems] == [3, 2]  # the row, then the youth
    assert all(p.youth == "20061123-****" for p in summary.problems)


def test_empty_cells_under_empty_headings_are_read() -> None:
    text = "\n".join([HEADER + ",,", f"{A},residence,,,1882,,,,,", f"{B},residence,,,1882,,,"])
    youths, summary = read(text)
    assert len(youths) == 2
    assert summary.ok


@pytest.mark.parametrize(
    "day",
    [
        pytest.param("2024-W24-3", id="an ISO week date"),
        pytest.param("20240612", id="the compact ISO form"),
        pytest.param("2024-06-12T00:00", id="a date and a time"),
        pytest.param("2024-06-1299", id="text after the date"),
        pytest.param("\uff12\uff10\uff12\uff14-06-12", id="full-width digits"),
    ],
)
def test_a_json_date_must_be_written_yyyy_mm_dd(day: str) -> None:
    record = {"id": A, "compulsory_school_completed": day}
    summary = ReadSummary(file="youths.jsonl")
    youths = list(
        read_youths_json(
            io.StringIO(json.dumps(record) + "\n"), file="youths.jsonl", summary=summary, lines=True
        )
    )
    assert youths == []
    assert "write it as YYYY-MM-DD @ $.compulsory_school_completed" in str(summary.problems[0])
