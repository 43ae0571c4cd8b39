"""The register sync (:mod:`kaa.sync`), on real stores: SQLite in a file and PostgreSQL on
the real server the tests start themselves (``tests/pgserver.py``)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pgserver
from kaa.adapters import Origin, SourceRecord, SourceSummary, open_source
from kaa.dated import birthday
from kaa.formats.problems import Problem
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    ContactOutcome,
    EndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.plugins.manager import Hooks
from kaa.store import AuditAction, CaseStore, Event, EventKind, open_store
from kaa.sync import (
    PURPOSE,
    ActionKind,
    SyncSummary,
    leaving_reason,
    merge_details,
    merge_facts,
    registration_reason,
    sync,
)
from kaa.testing import hooks_with, skatteverket_numbers
from kaa.worklist import ItemKind, ItemStatus, case_items
from kaa.year import run_year
from strategies import youths
from yearfiles import DATA

KOMMUN = "1882"
DAY1 = dt.date(2026, 3, 2)
DAY2 = dt.date(2026, 9, 1)


# -- stores on both backends ----------------------------------------------------------------


@pytest.fixture(scope="session")
def sync_pg_server() -> Iterator[pgserver.PostgresServer]:
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
    with pgserver.database(request.getfixturevalue("sync_pg_server")) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[CaseStore]:
    opened = open_store(store_url, municipality=KOMMUN, actor="sync-test", create=True)
    with opened:
        yield opened


# -- youths made of Skatteverket test numbers ---------------------------------------------


def _number(first: dt.date, last: dt.date, k: int = 0) -> IdentityNumber:
    """The ``k``-th Skatteverket test number born between ``first`` and ``last``."""
    found = [
        n
        for n in skatteverket_numbers()
        if first.strftime("%Y%m%d") <= n[:8] <= last.strftime("%Y%m%d")
    ]
    return IdentityNumber.parse(found[k])


def _youth(
    ident: IdentityNumber,
    *,
    home: str = KOMMUN,
    enrolments: Iterable[Enrolment] = (),
    qualifications: Iterable[Qualification] = (),
    residences: Iterable[Residence] | None = None,
) -> Youth:
    born = ident.birth_date
    assert born is not None
    return Youth(
        id=ident,
        residences=tuple(residences) if residences is not None else (Residence(municipality=home),),
        compulsory_school_completed=dt.date(born.year + 16, 6, 12),
        enrolments=tuple(enrolments),
        qualifications=tuple(qualifications),
    )


def _record(youth: Youth, line: int = 2, details: ContactDetails | None = None) -> SourceRecord:
    return SourceRecord(
        youth=youth,
        origin=Origin(source="test", file="register.csv", lines=(line,)),
        contact_details=details,
    )


def _sync(
    store: CaseStore, records: Iterable[SourceRecord], on: dt.date, **kw: object
) -> SyncSummary:
    return sync(store, records, on=on, hooks=Hooks.default(), **kw)  # type: ignore[arg-type]


def _changes(store: CaseStore) -> int:
    """Register and record entries of the audit log: one per change of the store."""
    return sum(
        1 for entry in store.audit() if entry.action in (AuditAction.REGISTER, AuditAction.RECORD)
    )


def _state(store: CaseStore) -> list[tuple[str, Case]]:
    """Every case of the store, by youth, without ids or times."""
    cases = [(s.case.youth.id.full("long"), s.case) for s in store.cases(purpose="test")]
    return sorted(cases, key=lambda c: (c[0], c[1].registration.day))


def _only(summary: SyncSummary, kind: ActionKind) -> list[str]:
    return [str(a) for a in summary.actions if a.kind is kind]


AGED_19 = _number(dt.date(2007, 1, 1), dt.date(2007, 2, 28))
TURNS_20 = _number(dt.date(2006, 4, 1), dt.date(2006, 8, 31))
OTHER = _number(dt.date(2008, 1, 1), dt.date(2008, 2, 28))
THIRD = _number(dt.date(2008, 1, 1), dt.date(2008, 2, 28), 1)


# -- the bundled Askersund export ---------------------------------------------------------


def _read(path: Path, on: dt.date) -> tuple[Iterator[SourceRecord], SourceSummary]:
    read = SourceSummary(file=str(path))
    records = open_source(
        "ist", path, summary=read, reference_day=on, hooks=Hooks.default(), on_problem=None
    )
    return records, read


def test_the_askersund_export_registers_exactly_the_youths_kaa_year_lists_as_not_registered(
    store: CaseStore, tmp_path: Path
) -> None:
    day = dt.date(2026, 11, 23)
    register = DATA / "askersund-ist.csv"
    run = run_year(
        register,
        municipality=KOMMUN,
        on=day,
        out_dir=tmp_path / "year",
        source="ist",
        hooks=Hooks.default(),
    )
    with (tmp_path / "year" / f"ej-registrerade-{day.isoformat()}.csv").open(newline="") as f:
        listed = sorted(row["id"] for row in csv.DictReader(f))
    assert len(listed) == run.not_registered > 0

    records, read = _read(register, day)
    summary = _sync(store, records, day, read=read)

    registered = sorted(a.youth or "" for a in summary.actions if a.kind is ActionKind.REGISTERED)
    assert registered == listed
    assert summary.in_target_group == run.in_target_group
    assert summary.count(ActionKind.REJECTED) == read.rows_rejected == 0
    state = _state(store)
    assert sorted(c.youth.id.masked() for _, c in state) == listed
    for _, case in state:
        assert case.registration.day == day
        assert case.registration.source is RegistrationSource.REGISTER_LIST
        assert case.end is None
    # the youths whose rows carry an IST case are listed, not registered a second time
    assert summary.count(ActionKind.NOT_REGISTERED) == run.in_target_group - run.not_registered
    entries = list(store.audit(action=AuditAction.REGISTER))
    assert {e.purpose for e in entries} == {PURPOSE}

    # a second run with the same export and day changes nothing
    before = _changes(store)
    records, read = _read(register, day)
    again = _sync(store, records, day, read=read)
    assert not again.changed
    assert again.count(ActionKind.REGISTERED) == 0
    assert again.count(ActionKind.FACTS_UPDATED) == 0
    assert _changes(store) == before
    assert _state(store) == state


# -- facts ----------------------------------------------------------------------------------


def test_facts_that_change_between_two_exports_give_one_merged_update(store: CaseStore) -> None:
    folk = Enrolment(school_form=SchoolForm.FOLKHOGSKOLA, start=dt.date(2025, 8, 18))
    vux = Enrolment(school_form=SchoolForm.KOMVUX, start=dt.date(2026, 1, 12))
    first = _youth(AGED_19, enrolments=[folk, vux])
    _sync(store, [_record(first)], DAY1)
    [(_, case)] = _state(store)
    assert case.youth == first

    # the second export: komvux has ended, a studiebevis was issued, the youth moved within
    # the municipality's register in a dated way; the folkhögskola course is no longer listed
    vux_ended = attrs.evolve(vux, end=dt.date(2026, 6, 5))
    studiebevis = Qualification(kind=QualificationKind.STUDIEBEVIS, issued=dt.date(2026, 6, 5))
    second = _youth(AGED_19, enrolments=[vux_ended], qualifications=[studiebevis])
    before = _changes(store)
    summary = _sync(store, [_record(second)], DAY2)

    assert summary.count(ActionKind.FACTS_UPDATED) == 1
    assert _changes(store) == before + 1
    [(_, case)] = _state(store)
    assert set(case.youth.enrolments) == {folk, vux_ended}  # nothing the store knew dropped
    assert case.youth.qualifications == (studiebevis,)
    assert case.youth.residences == (Residence(municipality=KOMMUN),)
    case_id = store.find(AGED_19, purpose="test")[0]
    history = store.history(case_id, purpose="test")
    assert [e.kind for e in history] == [EventKind.REGISTERED, EventKind.FACTS_UPDATED]
    assert history[0].data.youth == first  # type: ignore[union-attr]  # the old facts stay
    assert history[1].day == DAY2

    again = _sync(store, [_record(second)], DAY2)
    assert not again.changed
    assert _changes(store) == before + 1


def test_a_move_is_kept_as_dated_history_and_ends_kaa_as_not_folkbokford(
    store: CaseStore,
) -> None:
    _sync(store, [_record(_youth(AGED_19))], DAY1)
    moved_on = dt.date(2026, 7, 1)
    moved = _youth(AGED_19, residences=[Residence(municipality="1880", start=moved_on)])
    summary = _sync(store, [_record(moved)], DAY2)

    [ended] = [a for a in summary.actions if a.kind is ActionKind.ENDED]
    assert ended.day == moved_on
    assert "not_folkbokford" in ended.detail
    [(_, case)] = _state(store)
    assert case.end is not None
    assert (case.end.day, case.end.reason) == (moved_on, EndReason.NOT_FOLKBOKFORD)
    assert case.youth.residences == (
        Residence(municipality=KOMMUN, end=moved_on - dt.timedelta(days=1)),
        Residence(municipality="1880", start=moved_on),
    )
    assert not _sync(store, [_record(moved)], DAY2).changed


def test_a_youth_who_became_protected_loses_the_address_before_the_facts_are_updated(
    store: CaseStore,
) -> None:
    address = Address(street="Storgatan 1", postal_code="69630", city="Askersund")
    details = ContactDetails(name="Test Testsson", address=address, phone="0700000000")
    _sync(store, [_record(_youth(AGED_19), details=details)], DAY1)
    protected = _youth(
        AGED_19, residences=[Residence(municipality=KOMMUN, basis=HomeBasis.PROTECTED)]
    )
    summary = _sync(store, [_record(protected, details=ContactDetails(name="Test Testsson"))], DAY2)
    assert summary.count(ActionKind.CONTACT_DETAILS) == 1
    assert summary.count(ActionKind.FACTS_UPDATED) == 1
    [(_, case)] = _state(store)
    assert case.youth.has_protected_identity
    assert case.contact_details == ContactDetails(name="Test Testsson", phone="0700000000")


# -- ends of KAA ------------------------------------------------------------------------------


def test_a_youth_turning_20_between_two_syncs_is_ended_on_the_birthday(store: CaseStore) -> None:
    born = TURNS_20.birth_date
    assert born is not None
    assert DAY1 < birthday(born, 20) <= DAY2
    youth = _youth(TURNS_20)
    first = _sync(store, [_record(youth)], DAY1)
    assert first.count(ActionKind.REGISTERED) == 1

    summary = _sync(store, [_record(youth)], DAY2)
    [ended] = [a for a in summary.actions if a.kind is ActionKind.ENDED]
    assert ended.day == birthday(born, 20)
    [(_, case)] = _state(store)
    assert case.end is not None
    assert (case.end.day, case.end.reason) == (birthday(born, 20), EndReason.TURNED_20)
    assert not _sync(store, [_record(youth)], DAY2).changed


def test_a_youth_who_started_a_national_programme_is_ended_with_that_reason(
    store: CaseStore,
) -> None:
    _sync(store, [_record(_youth(OTHER))], DAY1)
    started = dt.date(2026, 8, 17)
    national = Enrolment(
        school_form=SchoolForm.GYMNASIESKOLA, programme=Programme.NATIONAL, start=started
    )
    summary = _sync(store, [_record(_youth(OTHER, enrolments=[national]))], DAY2)
    assert summary.count(ActionKind.FACTS_UPDATED) == 1
    [(_, case)] = _state(store)
    assert case.end is not None
    assert (case.end.day, case.end.reason) == (started, EndReason.STARTED_PROGRAMME)
    assert national in case.youth.enrolments


def test_a_degree_ends_kaa_on_the_day_it_was_issued(store: CaseStore) -> None:
    _sync(store, [_record(_youth(OTHER))], DAY1)
    issued = dt.date(2026, 6, 12)
    degree = Qualification(kind=QualificationKind.GYMNASIEEXAMEN, issued=issued)
    _sync(store, [_record(_youth(OTHER, qualifications=[degree]))], DAY2)
    [(_, case)] = _state(store)
    assert case.end is not None
    assert (case.end.day, case.end.reason) == (issued, EndReason.DEGREE)


def test_a_youth_missing_from_the_second_export_is_marked_once_and_the_worklist_asks_to_decide(
    store: CaseStore,
) -> None:
    _sync(store, [_record(_youth(OTHER)), _record(_youth(THIRD), line=3)], DAY1)
    before = _changes(store)
    summary = _sync(store, [_record(_youth(THIRD), line=3)], DAY2)
    [missing] = [a for a in summary.actions if a.kind is ActionKind.MISSING]
    assert missing.youth == OTHER.masked()
    assert f"not in the register export of {DAY2.isoformat()}" in missing.detail
    assert _changes(store) == before + 1  # one register_presence event, nothing else
    before_reads = before + 1
    assert all(case.end is None for _, case in _state(store))
    (case_id,) = store.find(OTHER, purpose="test")
    case = store.case(case_id, purpose="test")
    assert case.missing_from_register == DAY2
    (item,) = case_items(case, on=DAY2, hooks=hooks_with())
    assert (item.kind, item.status, item.due) == (ItemKind.CLOSE, ItemStatus.DECIDE, DAY2)
    assert "Saknas i registret" in item.what
    # and again: still to decide, nothing recorded a second time
    again = _sync(store, [_record(_youth(THIRD), line=3)], DAY2)
    assert again.count(ActionKind.MISSING) == 0
    assert _only(again, ActionKind.TO_DECIDE)
    assert _changes(store) == before_reads
    # listed again: recorded once, and the worklist no longer asks
    back = _sync(store, [_record(_youth(OTHER)), _record(_youth(THIRD), line=3)], DAY2)
    assert back.count(ActionKind.LISTED_AGAIN) == 1
    assert store.case(case_id, purpose="test").missing_from_register is None
    assert _changes(store) == before + 2


def test_a_youth_missing_from_the_export_who_turned_20_is_ended(store: CaseStore) -> None:
    _sync(store, [_record(_youth(TURNS_20))], DAY1)
    summary = _sync(store, [], DAY2)
    assert summary.count(ActionKind.ENDED) == 1
    [(_, case)] = _state(store)
    assert case.end is not None
    assert case.end.reason is EndReason.TURNED_20


def test_out_without_a_settled_reason_is_to_decide(store: CaseStore) -> None:
    _sync(store, [_record(_youth(OTHER))], DAY1)
    gone = dt.date(2026, 6, 30)
    nowhere = _youth(OTHER, residences=[Residence(municipality=KOMMUN, end=gone)])
    summary = _sync(store, [_record(nowhere)], DAY2)
    [decide] = [a for a in summary.actions if a.kind is ActionKind.TO_DECIDE]
    assert "T6" in decide.detail
    assert "registret visar inte varför" in decide.detail
    [(_, case)] = _state(store)
    assert case.end is None
    assert case.youth.residences == (Residence(municipality=KOMMUN, end=gone),)


def test_a_move_ahead_the_store_knows_is_kept_when_the_register_lists_today_s_home(
    store: CaseStore,
) -> None:
    ahead = dt.date(2027, 3, 28)
    known = _youth(
        OTHER,
        residences=[
            Residence(
                municipality=KOMMUN, start=dt.date(2008, 1, 1), end=ahead - dt.timedelta(days=1)
            ),
            Residence(municipality="0180", start=ahead),
        ],
    )
    store.register(Case(youth=known, municipality=KOMMUN, registration=Registration(day=DAY1)))
    summary = _sync(store, [_record(_youth(OTHER))], DAY2)
    assert not summary.changed
    [(_, case)] = _state(store)
    assert case.youth.residences == known.residences


def test_the_export_naming_no_programme_keeps_the_store_s(store: CaseStore) -> None:
    course = Enrolment(
        school_form=SchoolForm.FOLKHOGSKOLA,
        programme=Programme.GENERAL_COURSE,
        start=dt.date(2025, 8, 18),
    )
    store.register(
        Case(
            youth=_youth(OTHER, enrolments=[course]),
            municipality=KOMMUN,
            registration=Registration(day=DAY1),
        )
    )
    bare = attrs.evolve(course, programme=Programme.NONE)
    assert not _sync(store, [_record(_youth(OTHER, enrolments=[bare]))], DAY2).changed


def test_a_register_listing_no_residence_drops_none_the_store_knows(store: CaseStore) -> None:
    _sync(store, [_record(_youth(OTHER))], DAY1)
    summary = _sync(store, [_record(_youth(OTHER, residences=[]))], DAY2)
    assert not summary.changed
    [(_, case)] = _state(store)
    assert case.youth.residences == (Residence(municipality=KOMMUN),)


def test_an_end_the_store_refuses_is_to_decide(store: CaseStore) -> None:
    _sync(store, [_record(_youth(OTHER))], DAY1)
    [case_id] = store.find(OTHER, purpose="test")
    store.record(
        case_id,
        Event(
            data=Contact(
                day=dt.date(2026, 8, 20), channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER
            )
        ),
    )
    national = Enrolment(
        school_form=SchoolForm.GYMNASIESKOLA,
        programme=Programme.NATIONAL,
        start=dt.date(2026, 8, 17),
    )
    summary = _sync(store, [_record(_youth(OTHER, enrolments=[national]))], DAY2)
    [decide] = [a for a in summary.actions if a.kind is ActionKind.TO_DECIDE]
    assert "2026-08-17" in decide.detail
    assert "refused" in decide.detail
    assert store.case(case_id, purpose="test").end is None


# -- the rest of the summary ----------------------------------------------------------------


def test_a_dry_run_lists_the_actions_and_writes_nothing(store: CaseStore) -> None:
    summary = _sync(
        store, [_record(_youth(OTHER)), _record(_youth(THIRD), line=3)], DAY1, dry_run=True
    )
    assert summary.dry_run
    assert summary.count(ActionKind.REGISTERED) == 2
    assert all(a.case_id is None for a in summary.actions)
    assert _changes(store) == 0
    assert _state(store) == []


def test_rejected_rows_are_listed_with_file_line_and_column(
    store: CaseStore, tmp_path: Path
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "id,record,kind,programme,municipality,start,end,cancelled\n"
        f"{OTHER.full('long')},residence,folkbokford,,{KOMMUN},,,\n"
        f"{OTHER.full('long')},compulsory_school,,,,2024-06-12,,\n"
        f"{THIRD.full('long')},residence,folkbokford,,{KOMMUN},2026-13-40,,\n",
        encoding="utf-8",
    )
    read = SourceSummary(file=str(path))
    problems: list[Problem] = []
    records = open_source(
        "canonical", path, summary=read, reference_day=DAY1, on_problem=problems.append
    )
    summary = _sync(store, records, DAY1, read=read)
    assert read.rows_rejected >= 1
    rejected = [a for a in summary.actions if a.kind is ActionKind.REJECTED]
    assert len(rejected) == len(read.problems) >= 1
    assert f"{path}:4" in rejected[0].detail
    assert "column" in rejected[0].detail
    assert not summary.ok
    assert THIRD.full("long") not in str(summary.actions)


def test_no_action_holds_a_whole_identity_number(store: CaseStore) -> None:
    summary = _sync(store, [_record(_youth(OTHER)), _record(_youth(TURNS_20), line=3)], DAY1)
    summary2 = _sync(store, [], DAY2)
    text = "\n".join(str(a) for a in [*summary.actions, *summary2.actions]) + str(summary2)
    for number in (OTHER, TURNS_20):
        assert number.full("long") not in text
        assert number.full("separated_long") not in text
        assert number.masked() in text


def test_a_second_open_case_is_not_registered_and_the_sync_goes_on(store: CaseStore) -> None:
    later = Case(youth=_youth(OTHER), municipality=KOMMUN, registration=Registration(day=DAY2))
    store.register(later)
    summary = _sync(store, [_record(_youth(OTHER)), _record(_youth(THIRD), line=3)], DAY1)
    assert summary.count(ActionKind.NOT_REGISTERED) == 1
    assert summary.count(ActionKind.REGISTERED) == 1


# -- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param((), RegistrationReason.MISSING, id="no studies listed: the reason is missing"),
        pytest.param(
            (
                Enrolment(
                    school_form=SchoolForm.GYMNASIESKOLA,
                    programme=Programme.NATIONAL,
                    start=dt.date(2024, 8, 19),
                    end=dt.date(2025, 3, 1),
                    cancelled=True,
                ),
            ),
            RegistrationReason.BROKE_OFF_NATIONAL,
            id="a national programme broken off: broke_off_national",
        ),
        pytest.param(
            (
                Enrolment(
                    school_form=SchoolForm.GYMNASIESKOLA,
                    programme=Programme.INTRODUCTION,
                    start=dt.date(2024, 8, 19),
                    end=dt.date(2025, 6, 1),
                ),
                Qualification(kind=QualificationKind.STUDIEBEVIS, issued=dt.date(2024, 6, 1)),
            ),
            RegistrationReason.INTRODUCTION_PROGRAMME,
            id="an introduction programme after a studiebevis: the latest counts",
        ),
    ],
)
def test_the_reason_for_registration_comes_from_the_facts(
    facts: tuple[Enrolment | Qualification, ...], expected: RegistrationReason
) -> None:
    youth = _youth(
        OTHER,
        enrolments=[f for f in facts if isinstance(f, Enrolment)],
        qualifications=[f for f in facts if isinstance(f, Qualification)],
    )
    assert registration_reason(youth, DAY1) is expected


def test_leaving_reason_says_none_for_a_youth_in_the_target_group() -> None:
    case = Case(youth=_youth(OTHER), municipality=KOMMUN, registration=Registration(day=DAY1))
    assert leaving_reason(case, DAY2, Hooks.default()) is None
    aged = Case(youth=_youth(TURNS_20), municipality=KOMMUN, registration=Registration(day=DAY1))
    leaving = leaving_reason(aged, DAY2, Hooks.default())
    assert leaving is not None
    assert leaving.settled
    assert leaving.reason is EndReason.TURNED_20
    born = TURNS_20.birth_date
    assert born is not None
    assert leaving.day == birthday(born, 20)


def test_merge_details_keeps_what_the_register_leaves_empty() -> None:
    known = ContactDetails(name="Test Testsson", phone="0700000000")
    register = ContactDetails(name="Test Testsson", email="test@example.org")
    assert merge_details(known, register, protected=False) == ContactDetails(
        name="Test Testsson", phone="0700000000", email="test@example.org"
    )
    assert merge_details(None, None, protected=False) is None


def _days(residences: Iterable[Residence], day: dt.date) -> set[tuple[str, HomeBasis]]:
    return {(r.municipality, r.basis) for r in residences if r.covers(day)}


@given(known=youths(), register=youths(), on=st.dates(dt.date(2016, 1, 1), dt.date(2030, 12, 31)))
def test_merging_the_same_register_twice_changes_nothing_and_drops_nothing(
    known: Youth, register: Youth, on: dt.date
) -> None:
    register = attrs.evolve(register, id=known.id)
    once = merge_facts(known, register, on=on)
    assert merge_facts(once, register, on=on) == once
    assert set(known.qualifications) <= set(once.qualifications)
    keys = {(e.school_form, e.start) for e in once.enrolments}
    assert {(e.school_form, e.start) for e in known.enrolments} <= keys
    # a day the store knew a residence for and the register says nothing about keeps it
    protected = known.has_protected_identity or register.has_protected_identity
    starts = [
        x.start or (x.end if x.end is not None and x.end < on else on) for x in register.residences
    ]
    for r in known.residences:
        for day in (r.start, r.end):
            if day is None:
                continue
            if not starts or day < min(starts):
                basis = HomeBasis.PROTECTED if protected else r.basis
                assert (r.municipality, basis) in _days(once.residences, day)
    # a move ahead the store knows, and the register does not contradict, is kept
    register_ahead = [x for x in register.residences if x.start is not None and x.start > on]
    for r in known.residences:
        if r.start is None or r.start <= on or not register.residences:
            continue
        if any(
            x.start is not None
            and x.start <= (r.end or dt.date.max)
            and r.start <= (x.end or dt.date.max)
            for x in register_ahead
        ):
            continue
        basis = HomeBasis.PROTECTED if protected else r.basis
        assert (r.municipality, basis) in _days(once.residences, r.start)
