"""The library's own files read as register sources (:mod:`kaa.adapters.canonical`):
``canonical`` and ``canonical-cases``, looked up by name through the registry.

Both delegate to the one reader of their file form, so what they yield, count and report is
exactly what :func:`kaa.formats.canonical.read_youths` and :func:`kaa.formats.cases.read_cases`
yield, count and report; the readers' own rules are tested in ``tests/formats/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa.adapters import SourceSummary, get_source, open_source
from kaa.adapters.canonical import CanonicalCasesSource, CanonicalSource
from kaa.formats.canonical import read_youths
from kaa.formats.cases import read_cases
from kaa.formats.problems import Problem, ReadSummary
from kaa.plugins.manager import Hooks

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        pytest.param("canonical", CanonicalSource, id="canonical is the youth-file source"),
        pytest.param(
            "canonical-cases", CanonicalCasesSource, id="canonical-cases is the cases-file source"
        ),
    ],
)
def test_the_registry_finds_the_canonical_sources_by_name(
    name: str, kind: type[object], hooks: Hooks
) -> None:
    source = get_source(name, hooks)
    assert isinstance(source, kind)
    assert source.name == name


@pytest.mark.parametrize(
    ("file", "rejected"),
    [
        pytest.param("youths.csv", 0, id="the canonical CSV yields what the reader yields"),
        pytest.param("youths.json", 0, id="the canonical JSON yields what the reader yields"),
        pytest.param(
            "youths-with-errors.csv",
            7,
            id="a file with bad rows yields, counts and reports what the reader does",
        ),
    ],
)
def test_the_canonical_source_is_the_canonical_reader(
    file: str, rejected: int, hooks: Hooks
) -> None:
    path = DATA / file
    direct_summary = ReadSummary(file=str(path))
    direct_problems: list[Problem] = []
    direct = list(
        read_youths(
            path, summary=direct_summary, reference_day=DAY, on_problem=direct_problems.append
        )
    )
    summary = SourceSummary(file=str(path))
    problems: list[Problem] = []
    records = list(
        open_source(
            "canonical",
            path,
            summary=summary,
            reference_day=DAY,
            on_problem=problems.append,
            hooks=hooks,
        )
    )
    assert [r.youth for r in records] == direct
    assert problems == direct_problems == summary.problems
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected, summary.records) == (
        direct_summary.rows_read,
        direct_summary.rows_accepted,
        direct_summary.rows_rejected,
        direct_summary.records,
    )
    assert {(r.origin.source, r.origin.file) for r in records} == {("canonical", str(path))}
    assert all(r.case is None and r.contact_details is None for r in records)
    assert summary.rows_rejected == rejected


def test_the_canonical_cases_source_carries_each_case(hooks: Hooks) -> None:
    path = DATA / "cases.jsonl"
    cases = list(read_cases(path))
    records = list(open_source("canonical-cases", path, hooks=hooks))
    assert [r.case for r in records] == cases
    assert [r.youth for r in records] == [c.youth for c in cases]
    assert [r.contact_details for r in records] == [c.contact_details for c in cases]
    assert {(r.origin.source, r.origin.file) for r in records} == {("canonical-cases", str(path))}


def test_a_bad_cases_line_is_reported_by_the_source_as_by_the_reader(
    tmp_path: Path, hooks: Hooks
) -> None:
    lines = (DATA / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"youth": {"id": "nonsense"}}')
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    direct = ReadSummary(file=str(path))
    kept = list(read_cases(path, summary=direct))
    summary = SourceSummary(file=str(path))
    records = list(open_source("canonical-cases", path, summary=summary, hooks=hooks))
    assert [r.case for r in records] == kept
    assert [(p.line, p.message) for p in summary.problems] == [
        (p.line, p.message) for p in direct.problems
    ]
    assert {p.line for p in summary.problems} == {2}
    assert summary.rows_rejected == direct.rows_rejected == 1
