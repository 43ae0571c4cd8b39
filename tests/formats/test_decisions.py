"""Target-group decisions written as CSV or JSON (:mod:`kaa.formats.decisions`): every reason
with its citation, numbers masked unless asked."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
from collections.abc import Callable
from typing import IO

import pytest

from kaa.errors import InvalidInput
from kaa.formats.decisions import (
    DECISION_COLUMNS,
    TABLE_COLUMNS,
    decision_record,
    decisions_table,
    html_table,
    to_arrow,
    write_decisions_csv,
    write_decisions_json,
)
from kaa.model.youth import Residence, Youth
from kaa.rules.target_group import Decision, assess
from kaa.testing import skatteverket_number

D = dt.date
DAY = D(2026, 11, 23)
ID = skatteverket_number(D(2008, 8, 12))
IN = assess(
    Youth(
        id=ID,
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=D(2024, 6, 12),
    ),
    on=DAY,
)
OUT = assess(Youth(id=ID, residences=(Residence(municipality="1882"),)), on=DAY)
"""In the target group, and out of it for one failed condition (T2: no compulsory school)."""


def _csv(decisions: list[Decision], **kw: bool) -> list[dict[str, str]]:
    stream = io.StringIO()
    assert write_decisions_csv(decisions, stream, **kw) == len(decisions)
    return list(csv.DictReader(io.StringIO(stream.getvalue())))


def test_the_csv_has_the_documented_columns_in_order() -> None:
    stream = io.StringIO()
    write_decisions_csv([], stream)
    assert stream.getvalue() == ",".join(DECISION_COLUMNS) + "\n"


def test_a_youth_in_the_target_group_has_every_reason_in_the_csv() -> None:
    (row,) = _csv([IN])
    assert row["in_target_group"] == "yes"
    assert row["failed_conditions"] == ""
    assert row["day"] == "2026-11-23"
    assert row["ages_out"] == "2028-08-12"
    assert row["home_municipality"] == "1882"
    assert row["rule_version"] == IN.version.start.isoformat()
    reasons = row["reasons"].split(" | ")
    assert [r.split(":")[0] for r in reasons] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert reasons[0].endswith("[29 kap. 9 § skollagen (2010:800)]")


def test_a_youth_out_of_the_target_group_has_only_the_failed_reasons_in_the_csv() -> None:
    (row,) = _csv([OUT])
    assert row["in_target_group"] == "no"
    assert row["failed_conditions"] == "T2"
    assert row["reasons"] == (
        "T2: has not completed compulsory schooling [29 kap. 9 § skollagen (2010:800)]"
    )


def test_the_record_holds_every_reason_with_rule_id_and_citation() -> None:
    record = decision_record(OUT)
    assert record["id"] == ID.masked()
    assert record["in_target_group"] is False
    assert [r["condition"] for r in record["reasons"]] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    failed = [r for r in record["reasons"] if not r["holds"]]
    assert [(r["condition"], r["rule_id"]) for r in failed] == [
        ("T2", "kaa.target_group.compulsory_school")
    ]
    assert all(r["citation"].endswith("skollagen (2010:800)") for r in record["reasons"])


def test_the_json_is_an_array_of_the_records() -> None:
    stream = io.StringIO()
    assert write_decisions_json([IN, OUT], stream) == 2
    assert json.loads(stream.getvalue()) == [decision_record(IN), decision_record(OUT)]


def test_no_decision_is_an_empty_json_array() -> None:
    stream = io.StringIO()
    assert write_decisions_json([], stream) == 0
    assert json.loads(stream.getvalue()) == []


@pytest.mark.parametrize(
    "writer",
    [
        pytest.param(write_decisions_csv, id="the CSV masks numbers unless asked"),
        pytest.param(write_decisions_json, id="the JSON masks numbers unless asked"),
    ],
)
def test_numbers_are_masked_unless_asked(writer: Callable[[list[Decision], IO[str]], int]) -> None:
    masked, revealed = io.StringIO(), io.StringIO()
    writer([IN, OUT], masked)
    writer([IN, OUT], revealed, reveal_ids=True)  # type: ignore[call-arg]
    assert ID.masked() in masked.getvalue()
    assert ID.full("long") not in masked.getvalue()
    assert ID.full("separated_long") not in masked.getvalue()
    assert ID.full("separated_long") in revealed.getvalue()


@pytest.mark.parametrize(
    ("arrived", "outcome"),
    [(dt.date(2024, 7, 1), "in"), (dt.date(2023, 8, 1), "undecided")],
    ids=[
        "folkbokförd after compulsory-school age: in, derived from the birth date",
        "folkbokförd during compulsory-school age with nothing recorded: undecided, not out",
    ],
)
def test_the_outcome_says_in_out_or_undecided_in_both_forms(arrived: dt.date, outcome: str) -> None:
    youth = Youth(
        id=skatteverket_number(dt.date(2008, 1, 1)),
        residences=(Residence(municipality="1882", start=arrived),),
        folkbokford_in_sweden=arrived,
    )
    decision = assess(youth, on=dt.date(2026, 3, 2), municipality="1882")
    record = decision_record(decision)
    assert record["outcome"] == outcome
    assert any(not r["settled"] for r in record["reasons"]) is (outcome == "undecided")
    out = io.StringIO()
    write_decisions_csv([decision], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["outcome"] == outcome
    assert row["in_target_group"] == ("yes" if outcome == "in" else "no")


# --- flat tables for notebooks ---------------------------------------------------------------


def test_a_decisions_table_row_is_plain_typed_and_masked() -> None:
    rows = decisions_table([IN, OUT])
    assert [list(r) for r in rows] == [list(TABLE_COLUMNS)] * 2
    first, second = rows
    assert first["id"] == ID.masked() != ID.full()
    assert first["day"] == DAY
    assert isinstance(first["ages_out"], dt.date)
    assert (first["outcome"], first["in_target_group"], first["failed_conditions"]) == (
        "in",
        True,
        "",
    )
    assert (second["outcome"], second["T2"], second["T1"], second["failed_conditions"]) == (
        "out",
        False,
        True,
        "T2",
    )
    assert all(type(v) in (str, bool, dt.date, type(None)) for r in rows for v in r.values())


def test_a_decisions_table_goes_straight_into_pandas() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(decisions_table([IN, OUT, IN]))
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert frame["outcome"].value_counts().to_dict() == {"in": 2, "out": 1}
    assert frame["T2"].tolist() == [True, False, True]


def test_a_decisions_table_refuses_what_is_no_decision() -> None:
    with pytest.raises(InvalidInput, match=r"decisions\[1\] must be a Decision, not str"):
        decisions_table([IN, "in"])  # type: ignore[list-item]


def test_to_arrow_makes_a_typed_table() -> None:
    pyarrow = pytest.importorskip("pyarrow")
    table = to_arrow(decisions_table([IN, OUT]))
    assert isinstance(table, pyarrow.Table)
    assert table.num_rows == 2
    assert table.column_names == list(TABLE_COLUMNS)
    assert table.schema.field("day").type == pyarrow.date32()
    assert table.schema.field("T1").type == pyarrow.bool_()
    assert table.column("id").to_pylist() == [ID.masked(), ID.masked()]


def test_to_arrow_says_which_extra_to_install_when_pyarrow_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.import_module

    def without_pyarrow(name: str, package: str | None = None) -> object:
        if name == "pyarrow":
            raise ImportError("No module named 'pyarrow'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_pyarrow)
    with pytest.raises(ImportError, match=r"kaa\[arrow\]"):
        to_arrow(decisions_table([IN]))


def test_an_html_table_escapes_and_masks_every_cell() -> None:
    rows = [{"name": "<script>alert(1)</script>", "id": f"see {ID.full()}", "in": True}]
    page = html_table(rows, caption="Beslut & skäl")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert ID.full() not in page
    assert ID.masked() in page
    assert "<td>yes</td>" in page
    assert "Beslut &amp; skäl" in page


def test_an_html_table_shows_at_most_its_limit() -> None:
    page = html_table([{"n": i} for i in range(5)], limit=2)
    assert page.count("<tr>") == 3  # the heading and two rows
    assert "3 more rows" in page
