"""The canonical CSV over columns (:mod:`kaa.columnar.canonical`): who goes to the reference
reader, and what the reference then reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa.formats.problems import ReadSummary

pl = pytest.importorskip("polars")

from kaa.columnar import canonical  # noqa: E402
from kaa.columnar.canonical import Region, WholeFile, plan_file, read_chunks, read_region  # noqa: E402

DAY = dt.date(2025, 11, 23)
HEADER = "id,record,kind,programme,municipality,start,end,cancelled\n"
A, B, C = "200611202383", "200611202391", "20000101T220"


def _file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "youths.csv"
    path.write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def _regions(path: Path) -> list[tuple[int, int]]:
    return [(r.first, r.last) for r in plan_file(path, DAY).regions]


@pytest.mark.parametrize(
    ("rows", "regions"),
    [
        pytest.param(
            [f"{A},residence,,,1882,,,", f"{B},residence,,,1882,,,"], [], id="clean youths: none"
        ),
        pytest.param(
            [f"{A},residence,,,1882,,,", f"{B},residence,,,1882,,,", f"{A},youth,,,,,,"],
            [(2, 4)],
            id="a youth whose rows come back: from its first row to its last",
        ),
        pytest.param(
            [f"{A},residence,,,1882,,,", "19000101-0000,youth,,,,,,", f"{B},youth,,,,,,"],
            [(2, 3)],
            id="a rejected line: with the youth read before it",
        ),
        pytest.param(
            ["x,youth,,,,,,", f"{A},youth,,,,,,"],
            [(2, 2)],
            id="a rejected first line: alone",
        ),
        pytest.param(
            [
                f"{A},residence,,,1882,,,",
                f'"{B},residence,,,1882,,,',
                f"{B},youth,,,,,,",
                f"{C},youth,,,,,,",
            ],
            [(3, 5)],
            id="a quote left open: every line it swallows (here to the end)",
        ),
        pytest.param(
            [
                f"{A},residence,,,1882,,,",
                f'"{B},residence,,,1882,,,',
                f'{B},youth,,,,,,"',
                f"{C},youth,,,,,,",
            ],
            [(3, 4)],
            id="a quote left open and closed on a later line: the lines between",
        ),
    ],
)
def test_what_the_reference_reader_reads(
    tmp_path: Path, rows: list[str], regions: list[tuple[int, int]]
) -> None:
    assert _regions(_file(tmp_path, *rows)) == regions


@pytest.mark.parametrize(
    "content",
    [
        b"ID,record,kind,programme,municipality,start,end,cancelled\n",
        b"\n" + HEADER.encode(),
        HEADER.encode() + f"{A},residence,,,1882,,,\r{A},youth,,,,,,\n".encode(),
        HEADER.encode() + b"\xff\n",
        b"",
    ],
    ids=[
        "a header in capitals",
        "a blank line first",
        "a lone carriage return",
        "not UTF-8",
        "empty",
    ],
)
def test_a_file_the_columns_cannot_take(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "youths.csv"
    path.write_bytes(content)
    with pytest.raises(WholeFile):
        plan_file(path, DAY)


def test_chunks_are_cut_only_where_a_youth_starts_outside_a_region(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canonical, "CHUNK_BYTES", 40)
    rows = [
        f"{A},residence,,,1882,,,",
        f"{A},youth,,,,,,",
        f"{B},youth,,,,,,",
        f"{C},youth,,,,,,",
        f"{B},youth,,,,,,",
    ]
    path = _file(tmp_path, *rows)
    plan = plan_file(path, DAY)
    chunks = list(read_chunks(path, plan))
    assert [c.first for c in chunks] == [2, 4]  # B's rows come back: B to B in one chunk
    assert sum(len(c.lines) for c in chunks) == len(rows)


def test_the_reference_reports_a_region_at_its_lines_in_the_file(tmp_path: Path) -> None:
    lines = [
        f"{A},residence,,,1882,,,",
        f"{A},enrolment,gymnasium,,,2024-08-19,,",
        f"{A},youth,,,,,,",
    ]
    summary = ReadSummary(file="f.csv")
    youths = read_region(
        lines, Region(40, 42), first_line=40, file="f.csv", summary=summary, on=DAY, on_problem=None
    )
    assert youths == []
    assert [p.line for p in summary.problems] == [41, 40]
    assert summary.problems[1].message.startswith("youth not assessed: rows on lines 40–42")
    assert (summary.rows_read, summary.rows_rejected) == (3, 3)


def test_after_a_malformed_line_the_reference_reads_line_by_line(tmp_path: Path) -> None:
    lines = [f'"{A},youth,,,,,,', f'{B},youth,,,,,,"x']
    summary = ReadSummary(file="f.csv")
    read_region(
        lines,
        Region(10, 11),
        first_line=10,
        file="f.csv",
        summary=summary,
        on=DAY,
        on_problem=None,
        line_by_line=True,
    )
    assert [p.line for p in summary.problems] == [10, 11]
    assert "not closed on this line" in summary.problems[0].message
    assert summary.rows_read == 2


def test_runs_are_the_rows_with_one_number_in_a_row() -> None:
    keys = pl.Series([1, 1, None, 2, None, None, 2, 1, 3], dtype=pl.Int64)
    blank = pl.Series([False, False, False, False, True, False, False, False, False])
    runs = canonical.runs_of(keys, blank, 2)
    assert runs.rows() == [
        (1, 2, 3),
        (None, 4, 4),
        (2, 5, 5),
        # line 6 is blank: no row, in no run
        (None, 7, 7),
        (2, 8, 8),
        (1, 9, 9),
        (3, 10, 10),
    ]


def test_the_reference_reads_returning_youths_and_rejected_lines_with_their_owner() -> None:
    runs = canonical.runs_of(
        pl.Series([1, 1, None, 2, None, 2, 1, 3], dtype=pl.Int64), pl.Series([False] * 8), 2
    )
    spans = sorted(canonical.reference_spans(runs).rows())
    # line 4 (no youth's row) with youth 1 before it (from line 2); line 6 with youth 2 (5);
    # youth 2 comes back (5–7), youth 1 comes back (2–8); youth 3 is read over the columns
    assert spans == [(2, 4), (2, 8), (5, 6), (5, 7)]
