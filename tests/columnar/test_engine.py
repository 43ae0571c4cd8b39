"""The safeguard: the columnar engine writes byte for byte what the reference path writes.

Both evaluators run over generated youths, on days under all three versions of the rule,
for no, one or another municipality, with hostile rows mixed in (quotes, short and long rows,
trailing text, huge values, wrong words and types, bad check digits, 10-digit forms, interim
numbers, samordningsnummer, blank lines, youths whose rows come back, Windows line ends, a
byte-order mark), and must give the same decisions, the same problems (file, line, column,
message, in the same order), the same counts and the same output in CSV and JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.columnar import canonical
from kaa.columnar.engine import assess_csv, write_batches
from kaa.columnar.national import national_rulings
from kaa.errors import KaaError
from kaa.formats.canonical import dumps_csv, read_youths
from kaa.formats.decisions import write_decisions_csv, write_decisions_json
from kaa.formats.problems import ReadSummary
from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
from kaa.rules.target_group import EquivalenceRuling, Ruling, assess, national_equivalence
from strategies import HUGE_TEXT, youths

pytest.importorskip("polars")

META = Path(__file__).resolve().parents[1] / "data" / "personnummer-meta"
COORDINATION = json.loads((META / "allCoords.json").read_text(encoding="utf-8"))
"""Test samordningsnummer of the personnummer/meta suite."""

DAYS = st.one_of(
    st.dates(dt.date(2015, 1, 1), dt.date(2018, 6, 30)),
    st.dates(dt.date(2018, 7, 1), dt.date(2023, 7, 1)),
    st.dates(dt.date(2023, 7, 2), dt.date(2031, 12, 31)),
)
"""A day under each version of the rule."""

MUNICIPALITY = st.sampled_from([None, "1882", "0180"])


def _reference(
    path: Path,
    day: dt.date,
    municipality: str | None,
    *,
    json_output: bool,
    reveal_ids: bool,
    equivalence: object = national_equivalence,
) -> tuple[str, list[str], str]:
    summary = ReadSummary(file=str(path))
    problems: list[str] = []
    out = io.StringIO()
    decisions = (
        assess(youth, on=day, municipality=municipality, equivalence=equivalence)  # type: ignore[arg-type]
        for youth in read_youths(
            path, summary=summary, reference_day=day, on_problem=lambda p: problems.append(repr(p))
        )
    )
    writer = write_decisions_json if json_output else write_decisions_csv
    writer(decisions, out, reveal_ids=reveal_ids)
    return out.getvalue(), problems, str(summary)


def _columnar(
    path: Path,
    day: dt.date,
    municipality: str | None,
    *,
    json_output: bool,
    reveal_ids: bool,
    rulings: dict[tuple[SchoolForm, Programme], EquivalenceRuling] | None = None,
    equivalence: object = national_equivalence,
) -> tuple[str, list[str], str]:
    summary = ReadSummary(file=str(path))
    problems: list[str] = []
    out = io.StringIO()
    batches = assess_csv(
        path,
        on=day,
        municipality=municipality,
        rulings=national_rulings(day) if rulings is None else rulings,
        equivalence=equivalence,  # type: ignore[arg-type]
        summary=summary,
        on_problem=lambda p: problems.append(repr(p)),
        reveal_ids=reveal_ids,
        json_output=json_output,
    )
    write_batches(batches, out, json_output=json_output)
    return out.getvalue(), problems, str(summary)


def _same(path: Path, day: dt.date, municipality: str | None, **kwargs: object) -> None:
    for json_output, reveal_ids in ((False, False), (True, True)):
        expected = _reference(
            path, day, municipality, json_output=json_output, reveal_ids=reveal_ids
        )
        found = _columnar(path, day, municipality, json_output=json_output, reveal_ids=reveal_ids)
        assert found[2] == expected[2]
        assert found[1] == expected[1]
        assert found[0] == expected[0]


# --- hostile rows -------------------------------------------------------------------------


def _other_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@st.composite
def hostile_line(draw: st.DrawFn, line: str, day: dt.date) -> list[str]:
    """``line`` as it is, or spoilt in one of the ways real exports spoil it (zero or more
    lines come back)."""
    cells = line.split(",")
    fault = draw(
        st.sampled_from(
            [
                "keep",
                "keep",
                "keep",
                "keep",
                "short form",
                "separated form",
                "lower case",
                "quoted cell",
                "stray quote",
                "text after quote",
                "short row",
                "long row",
                "trailing text",
                "huge value",
                "wrong word",
                "wrong type",
                "bad check digit",
                "spaces",
                "blank line",
                "samordningsnummer",
                "empty id",
                "drop",
            ]
        )
    )
    ident = cells[0]
    if fault == "short form":
        cells[0] = ident[2:]
    elif fault == "separated form":
        cells[0] = f"{ident[2:8]}{draw(st.sampled_from(['-', '+']))}{ident[8:]}"
    elif fault == "lower case":
        cells = [c.lower() if i else c for i, c in enumerate(cells)]
        cells[1] = cells[1].upper()
    elif fault == "quoted cell":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = f'"{cells[at]}"'
    elif fault == "stray quote":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = '"' + cells[at]
    elif fault == "text after quote":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = f'"{cells[at]}"x'
    elif fault == "short row":
        del cells[draw(st.integers(1, len(cells) - 1))]
    elif fault == "long row":
        cells.insert(draw(st.integers(1, len(cells) - 1)), draw(st.sampled_from(["", "x"])))
    elif fault == "trailing text":
        at = draw(st.sampled_from([2, 4, 5, 6, 7]))
        cells[at] = cells[at] + draw(st.sampled_from([" x", "x", "-01", " "]))
    elif fault == "huge value":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = draw(st.sampled_from(["9" * 400, HUGE_TEXT, "2024-06-12" * 50]))
    elif fault == "wrong word":
        at = draw(st.sampled_from([1, 2, 3, 7]))
        cells[at] = draw(st.sampled_from(["gymnasium", "yes", "none", "folkbokford", "x"]))
    elif fault == "wrong type":
        at = draw(st.sampled_from([4, 5, 6]))
        cells[at] = draw(st.sampled_from(["180", "9999", "12", "2024-02-30", "0000-01-01", "true"]))
    elif fault == "bad check digit":
        cells[0] = _other_check_digit(ident)
    elif fault == "spaces":
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = f" {cells[at]}\t"
    elif fault == "blank line":
        return [line, draw(st.sampled_from(["", ",,,,,,,", " , ", '"",""']))]
    elif fault == "samordningsnummer":
        cells[0] = draw(st.sampled_from(COORDINATION))
    elif fault == "empty id":
        cells[0] = ""
    elif fault == "drop":
        return []
    return [",".join(cells)]


@st.composite
def hostile_files(draw: st.DrawFn) -> tuple[str, dt.date]:
    """The text of a canonical CSV with hostile rows, and the day to decide on."""
    day = draw(DAYS)
    people = draw(st.lists(youths(), min_size=1, max_size=8))
    text = dumps_csv(people)
    header, *lines = text.splitlines()
    out = [header]
    for line in lines:
        out.extend(draw(hostile_line(line, day)))
    if len(out) > 2 and draw(st.booleans()):  # a youth whose rows come back later
        at = draw(st.integers(1, len(out) - 1))
        out.append(out[at])
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    body = ending.join(out) + draw(st.sampled_from([ending, ""]))
    if draw(st.booleans()):
        body = "\ufeff" + body
    return body, day


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(file=hostile_files(), municipality=MUNICIPALITY)
def test_the_columnar_engine_writes_what_the_reference_writes(
    tmp_path_factory: pytest.TempPathFactory, file: tuple[str, dt.date], municipality: str | None
) -> None:
    text, day = file
    path = tmp_path_factory.mktemp("hostile") / "youths.csv"
    path.write_bytes(text.encode("utf-8"))
    _same(path, day, municipality)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(youths(), min_size=1, max_size=25),
    day=DAYS,
    municipality=MUNICIPALITY,
)
def test_clean_files_are_decided_over_the_columns_as_the_reference_decides(
    tmp_path_factory: pytest.TempPathFactory,
    people: list[Youth],
    day: dt.date,
    municipality: str | None,
) -> None:
    path = tmp_path_factory.mktemp("clean") / "youths.csv"
    path.write_text(dumps_csv(people), encoding="utf-8")
    _same(path, day, municipality)


# --- cases ------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.mark.parametrize(
    "day",
    [dt.date(2017, 3, 1), dt.date(2018, 7, 1), dt.date(2023, 7, 2), dt.date(2026, 11, 23)],
    ids=["before 2018-07-01", "on 2018-07-01", "on 2023-07-02", "in 2026"],
)
@pytest.mark.parametrize("municipality", [None, "1882"], ids=["any", "Askersund"])
def test_the_example_register_is_decided_alike(day: dt.date, municipality: str | None) -> None:
    _same(EXAMPLES / "youths.csv", day, municipality)


def test_a_municipality_table_is_used_for_the_open_questions(tmp_path: Path) -> None:
    counts = Ruling(True, "Askersund: a folkhögskola general course counts (nämndbeslut)")

    def per_youth(youth: Youth, enrolment: Enrolment, day: dt.date) -> EquivalenceRuling:
        if enrolment.school_form is SchoolForm.FOLKHOGSKOLA:
            return counts
        return national_equivalence(youth, enrolment, day)

    day = dt.date(2026, 11, 23)
    table = {
        **national_rulings(day),
        **{(SchoolForm.FOLKHOGSKOLA, p): counts for p in Programme},
    }
    path = tmp_path / "youths.csv"
    path.write_text(
        "id,record,kind,programme,municipality,start,end,cancelled\n"
        "200611202383,residence,,,1882,,,\n"
        "200611202383,compulsory_school,,,,2022-06-12,,\n"
        "200611202383,enrolment,folkhogskola,general_course,,2025-08-18,,\n",
        encoding="utf-8",
    )
    expected = _reference(
        path, day, "1882", json_output=False, reveal_ids=False, equivalence=per_youth
    )
    found = _columnar(
        path, day, "1882", json_output=False, reveal_ids=False, rulings=table, equivalence=per_youth
    )
    assert found == expected
    assert "nämndbeslut" in found[0]
    assert ",no,out," in found[0]


def test_a_file_the_columns_cannot_take_is_read_whole_by_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "youths.csv"
    path.write_bytes(
        b"ID,Record,kind,programme,municipality,start,end,cancelled,extra\n"
        b"200611202383,residence,,,1882,,,,\n\xff\n"
    )
    day = dt.date(2026, 11, 23)
    with pytest.raises(KaaError) as expected:
        _reference(path, day, None, json_output=False, reveal_ids=False)
    with pytest.raises(type(expected.value)) as found:
        _columnar(path, day, None, json_output=False, reveal_ids=False)
    assert str(found.value) == str(expected.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=hostile_files(), municipality=MUNICIPALITY, chunk=st.integers(1, 400))
def test_chunk_boundaries_change_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    file: tuple[str, dt.date],
    municipality: str | None,
    chunk: int,
) -> None:
    text, day = file
    path = tmp_path_factory.mktemp("chunks") / "youths.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical, "CHUNK_BYTES", chunk)
        _same(path, day, municipality)
