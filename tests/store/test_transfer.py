"""Export and import through the canonical cases JSON Lines, on every backend: export then
import gives an equal store."""

from __future__ import annotations

from pathlib import Path

import attrs

from kaa.formats.cases import read_cases, write_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import Case, Channel, Contact, ContactOutcome
from kaa.store import AuditAction, CaseStore, Event, export_cases, import_cases, open_store
from yearfiles import DATA

CASES = DATA / "cases.jsonl"  # the bundled example case history (Askersund, 1882)


def _bundled() -> list[Case]:
    return list(read_cases(CASES, summary=ReadSummary(file=str(CASES))))


def test_export_then_import_gives_an_equal_store(
    store: CaseStore, other_store_url: str, tmp_path: Path
) -> None:
    summary = import_cases(store, CASES)
    assert summary.ok, summary.refused
    assert [s.case for s in store.cases(purpose="t")] == _bundled()
    first = summary.case_ids[0]
    day = store.case(first, purpose="t").registration.day
    store.record(
        first,
        Event(data=Contact(day=day, channel=Channel.LETTER, outcome=ContactOutcome.SENT)),
    )
    exported = tmp_path / "export.jsonl"
    assert export_cases(store, exported) == len(summary.case_ids)
    with open_store(other_store_url, municipality="1882", actor="b", create=True) as copy:
        assert import_cases(copy, exported).ok
        assert [s.case for s in copy.cases(purpose="t")] == [
            s.case for s in store.cases(purpose="t")
        ]
        again = tmp_path / "again.jsonl"
        export_cases(copy, again)
    assert again.read_bytes() == exported.read_bytes()
    assert next(iter(read_cases(exported, summary=ReadSummary(file="x")))).contacts[-1].day == day


def test_a_youth_with_several_cases_over_time_survives_export_and_import(
    store: CaseStore, other_store_url: str, tmp_path: Path
) -> None:
    case = next(c for c in _bundled() if c.end is not None)
    again = Case(
        youth=case.youth,
        municipality=case.municipality,
        registration=attrs.evolve(case.registration, day=case.end.day),  # type: ignore[union-attr]
    )
    store.register(case)
    store.register(again)
    path = tmp_path / "two.jsonl"
    assert export_cases(store, path) == 2
    with open_store(other_store_url, municipality="1882", actor="b", create=True) as copy:
        assert import_cases(copy, path).ok
        assert [s.case for s in copy.cases(purpose="t")] == [case, again]
        assert len(copy.find(case.youth.id, purpose="t")) == 2


def test_export_and_import_are_audit_logged(store: CaseStore, tmp_path: Path) -> None:
    summary = import_cases(store, CASES)
    export_cases(store, tmp_path / "out.jsonl")
    (imported,) = store.audit(action=AuditAction.IMPORT)
    (exported,) = store.audit(action=AuditAction.EXPORT)
    assert imported.detail == f"{len(summary.case_ids)} case(s) from cases.jsonl"
    assert exported.detail == f"{len(summary.case_ids)} case(s) to out.jsonl"
    reads = [e for e in store.audit(action=AuditAction.READ) if e.purpose == "export"]
    assert [e.case_id for e in reads] == summary.case_ids


def test_an_import_reports_the_cases_the_store_refuses_and_keeps_the_rest(
    store: CaseStore, tmp_path: Path
) -> None:
    bundled = _bundled()
    mine = [c for c in bundled if c.end is None][:2]
    other = [
        Case(youth=bundled[-1].youth, municipality="0180", registration=bundled[-1].registration)
    ]
    path = tmp_path / "cases.jsonl"
    write_cases([mine[0], mine[0], *other, mine[1]], path)
    with path.open("a", encoding="utf-8") as out:
        out.write('{"not": "a case"}\n')
    seen: list[str] = []
    summary = import_cases(store, path, on_problem=lambda p: seen.append(str(p)))
    assert len(summary.case_ids) == 2
    assert not summary.ok
    assert [p.line for p in summary.refused] == [2, 3]
    assert summary.read.rows_rejected == 1  # the last line
    assert "already has an open case" in summary.refused[0].message
    assert "bound to municipality 1882" in summary.refused[1].message
    assert len(seen) > 2
    assert all(c.youth.id.full() not in text for c in mine for text in seen)
    assert "2 case(s) imported, 2 refused" in str(summary)


def test_exporting_an_empty_store_writes_an_empty_file(store: CaseStore, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    assert export_cases(store, path) == 0
    assert path.read_text(encoding="utf-8") == ""
