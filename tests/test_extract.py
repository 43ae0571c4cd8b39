"""The register extract: everything a real store holds about one youth, checked as gathered,
as JSON, and as rendered by headless Chromium."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pgserver
from kaa.errors import InvalidInput, scrub
from kaa.extract import (
    EXTRACT_FORMAT,
    EventStatus,
    ExtractedCase,
    FactsStatus,
    RegisterExtract,
    extract_to_dict,
    gather_extract,
    render_html,
    render_json,
    write_extract_html,
    write_extract_json,
)
from kaa.identity import FullFormat, IdentityNumber
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contact,
    ContactDetails,
    ContactOutcome,
    EndReason,
    KaaEnd,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    Counterpart,
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
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
from kaa.store import (
    AuditAction,
    AuditEntry,
    CaseStore,
    CaseWorkerAssigned,
    ContactDetailsChanged,
    Correction,
    Event,
    FactsUpdated,
    MeasureDeclined,
    MeasureOffered,
    MeasureStarted,
    PlanMade,
    Registered,
    fold,
    open_store,
)
from kaa.store.events import event_from_dict
from test_report import _chromium

D = dt.date
NUMBER = IdentityNumber.parse("20080812-2394")  # Skatteverket test number
PROTECTED = IdentityNumber.parse("20070302-2392")  # Skatteverket test number
HOSTILE = "<script>alert('x')</script>"
FORMS: tuple[FullFormat, ...] = ("long", "separated_long", "short", "separated")
STREET = "Storgatan 12"


def _youth(
    number: IdentityNumber,
    *extra: Enrolment,
    basis: HomeBasis = HomeBasis.FOLKBOKFORD,
    qualifications: tuple[Qualification, ...] = (),
) -> Youth:
    return Youth(
        id=number,
        residences=(Residence(municipality="1882", basis=basis, start=D(2008, 8, 12)),),
        compulsory_school_completed=D(2024, 6, 10),
        enrolments=(
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=D(2024, 8, 19),
                end=D(2024, 11, 29),
                cancelled=True,
            ),
            *extra,
        ),
        qualifications=qualifications,
    )


def _fill(store: CaseStore) -> dict[str, object]:
    """A youth with two cases, one ended and one open, and all kinds of work recorded."""
    first = store.register(
        Case(
            youth=_youth(NUMBER),
            municipality="1882",
            registration=Registration(
                day=D(2024, 12, 2),
                source=RegistrationSource.SCHOOL_NOTICE,
                reason=RegistrationReason.BROKE_OFF_NATIONAL,
            ),
        )
    )
    store.record(first, Event(data=CaseWorkerAssigned(case_worker="h7"), day=D(2024, 12, 2)))
    store.record(
        first,
        Event(
            data=Contact(
                day=D(2024, 12, 9), channel=Channel.PHONE, outcome=ContactOutcome.NO_ANSWER
            )
        ),
    )
    store.record(
        first,
        Event(
            data=Contact(
                day=D(2024, 12, 16),
                channel=Channel.SMS,
                outcome=ContactOutcome.REACHED,
                activity=Activity.WORK,
            )
        ),
    )
    mistaken = store.record(
        first, Event(data=CaseWorkerAssigned(case_worker="h8"), day=D(2025, 1, 7))
    )
    store.record(first, Event(data=Correction(), day=D(2025, 1, 8), supersedes=mistaken.event_id))
    store.record(first, Event(data=KaaEnd(day=D(2025, 6, 30), reason=EndReason.STARTED_PROGRAMME)))

    second = store.register(
        Case(
            youth=_youth(NUMBER),
            municipality="1882",
            registration=Registration(day=D(2026, 1, 12), reason=RegistrationReason.STUDIEBEVIS),
        )
    )
    store.record(
        second,
        Event(
            data=ContactDetailsChanged(
                details=ContactDetails(
                    name="Kim Testsson",
                    address=Address(street=STREET, postal_code="69630", city="Askersund"),
                    email="kim@example.org",
                    phone="070-000 00 00",
                )
            ),
            day=D(2026, 1, 12),
        ),
    )
    komvux = Enrolment(
        school_form=SchoolForm.KOMVUX,
        programme=Programme.UPPER_SECONDARY_LEVEL,
        start=D(2026, 2, 1),
    )
    store.record(second, Event(data=FactsUpdated(youth=_youth(NUMBER, komvux)), day=D(2026, 2, 1)))
    wrong_facts = store.record(
        second,
        Event(
            data=FactsUpdated(
                youth=_youth(
                    NUMBER,
                    komvux,
                    qualifications=(
                        Qualification(kind=QualificationKind.GYMNASIEEXAMEN, issued=D(2026, 2, 20)),
                    ),
                )
            ),
            day=D(2026, 2, 20),
        ),
    )
    right_facts = _youth(
        NUMBER,
        komvux,
        qualifications=(Qualification(kind=QualificationKind.STUDIEBEVIS, issued=D(2026, 2, 20)),),
    )
    wrong_contact = store.record(
        second,
        Event(
            data=Contact(day=D(2026, 1, 20), channel=Channel.LETTER, outcome=ContactOutcome.SENT)
        ),
    )
    store.record(
        second,
        Event(
            data=Correction(
                data=Contact(
                    day=D(2026, 1, 20),
                    channel=Channel.PHONE,
                    outcome=ContactOutcome.REACHED,
                    activity=Activity.OTHER_STUDIES,
                )
            ),
            day=D(2026, 1, 21),
            supersedes=wrong_contact.event_id,
        ),
    )
    store.record(
        second,
        Event(
            data=Correction(data=FactsUpdated(youth=right_facts), day=D(2026, 2, 20)),
            day=D(2026, 2, 22),
            supersedes=wrong_facts.event_id,
        ),
    )
    store.record(
        second,
        Event(data=MeasureOffered(measure_id="m1", type="study_guidance"), day=D(2026, 1, 26)),
    )
    store.record(second, Event(data=MeasureStarted(measure_id="m1"), day=D(2026, 2, 2)))
    store.record(
        second, Event(data=MeasureOffered(measure_id="m2", type="coaching"), day=D(2026, 1, 26))
    )
    store.record(
        second, Event(data=MeasureDeclined(measure_id="m2", reason=HOSTILE), day=D(2026, 1, 27))
    )
    store.record(
        second,
        Event(
            data=PlanMade(
                revision=PlanRevision(
                    day=D(2026, 2, 2),
                    case_worker="h9",
                    goal=f"Studier på komvux {HOSTILE}",
                    planning=f"Ring om {NUMBER.full('separated_long')} behövs",
                    measures=(
                        PlannedMeasure(
                            measure_id="m1",
                            purpose="Välja kurser",
                            responsibilities=(
                                Responsibility(party=Party.YOUTH, task="Söka kurser"),
                            ),
                        ),
                    ),
                    follow_ups=(D(2026, 3, 2),),
                )
            )
        ),
    )
    store.record(
        second,
        Event(
            data=ConsentEvent(
                day=D(2026, 2, 2),
                action=ConsentAction.GRANT,
                counterpart=Counterpart.ARBETSFORMEDLINGEN,
            )
        ),
    )
    return {"first": first, "second": second}


@pytest.fixture(scope="module")
def pg_server() -> Iterator[pgserver.PostgresServer]:
    """A throw-away PostgreSQL server for this module (as ``tests/store/conftest.py``)."""
    try:
        server = pgserver.PostgresServer().start()
    except pgserver.ServerUnavailable as exc:
        if pgserver.optional():
            pytest.skip(f"no PostgreSQL server ({pgserver.OPTIONAL_VARIABLE}=1): {exc}")
        pytest.fail(f"the PostgreSQL tests start a server of their own and could not: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store that does not exist yet, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kaa.db'}"
        return
    with pgserver.database(request.getfixturevalue("pg_server")) as found:
        yield found


def _filled(url: str) -> tuple[str, dict[str, object]]:
    with open_store(url, municipality="1882", actor="cecilia", create=True) as store:
        ids = _fill(store)
    with open_store(url, municipality="1882", actor="bertil") as reader:
        reader.case(str(ids["second"]), purpose="uppföljning av planen")
        reader.history(str(ids["first"]), purpose="granskning")
    return url, ids


@pytest.fixture
def filled(url: str) -> tuple[str, dict[str, object]]:
    """The store of :func:`_fill`, and then read by "bertil"."""
    return _filled(url)


def _gather(url: str, *, reveal: bool = False, municipality: str = "1882") -> RegisterExtract:
    with open_store(url, municipality=municipality, actor="anna") as store:
        return gather_extract(store, NUMBER, purpose="begäran 2026-03-02", reveal_ids=reveal)


def test_the_extract_holds_both_cases_and_every_event(
    filled: tuple[str, dict[str, object]],
) -> None:
    url, ids = filled
    extract = _gather(url)
    assert [c.case_id for c in extract.cases] == [ids["first"], ids["second"]]
    first, second = extract.cases
    assert first.case.end is not None
    assert second.case.end is None
    with open_store(url, municipality="1882", actor="x") as store:
        for extracted in extract.cases:
            assert list(extracted.events) == store.history(extracted.case_id, purpose="test")
    assert extract.event_count == 7 + 13
    # The case is the fold: the corrected contact counts, the wrong one does not.
    assert [c.channel for c in second.case.contacts] == [Channel.PHONE]
    # A withdrawn assignment counts as never having happened, and the history says so.
    assert first.case.case_worker == "h7"
    assert [first.status_of(e)[0] for e in first.case_workers()] == [
        EventStatus.STANDS,
        EventStatus.WITHDRAWN,
        EventStatus.STANDS,  # the withdrawal itself, in force
    ]


def test_the_facts_history_shows_each_version_and_the_correction(
    filled: tuple[str, dict[str, object]],
) -> None:
    second = _gather(filled[0]).cases[1]
    history = second.facts_history()
    assert [v.status for v in history] == [
        FactsStatus.EARLIER,  # at registration
        FactsStatus.EARLIER,  # komvux started
        FactsStatus.CORRECTED,  # a degree recorded by mistake
        FactsStatus.CURRENT,  # the correction: a studiebevis
    ]
    assert [v.day for v in history] == [
        D(2026, 1, 12),
        D(2026, 2, 1),
        D(2026, 2, 20),
        D(2026, 2, 20),
    ]
    assert history[-1].youth == second.case.youth
    wrong = history[2].event
    status, by = second.status_of(wrong)
    assert status is EventStatus.CORRECTED
    assert by is history[3].event


def test_the_readers_are_listed_as_they_were_before_the_extract(
    filled: tuple[str, dict[str, object]],
) -> None:
    url, _ = filled
    extract = _gather(url)
    first, second = extract.cases
    assert ("bertil", AuditAction.READ, "uppföljning av planen") in {
        (a.actor, a.action, a.purpose) for a in second.audit
    }
    assert ("bertil", AuditAction.HISTORY, "granskning") in {
        (a.actor, a.action, a.purpose) for a in first.audit
    }
    for extracted in extract.cases:
        assert all(a.at < extract.made_at for a in extracted.audit)
        assert all(a.actor != "anna" for a in extracted.audit)  # the extract's own reads
        assert {a.case_id for a in extracted.audit} == {extracted.case_id}
    # A second extract lists the first one among the accesses.
    again = _gather(url)
    assert ("anna", AuditAction.EXTRACT) in {(a.actor, a.action) for a in again.cases[1].audit}


def test_the_extract_is_audit_logged_with_actor_and_purpose(
    filled: tuple[str, dict[str, object]],
) -> None:
    url, ids = filled
    extract = _gather(url, reveal=True)
    with open_store(url, municipality="1882", actor="x") as store:
        entries = list(store.audit(action=AuditAction.EXTRACT))
        reveals = list(store.audit(action=AuditAction.REVEAL_IDS))
        own = list(store.audit(actor="anna"))
    assert [(e.case_id, e.actor, e.purpose) for e in entries] == [
        (ids["first"], "anna", "begäran 2026-03-02"),
        (ids["second"], "anna", "begäran 2026-03-02"),
    ]
    assert all(e.at >= extract.made_at for e in entries)
    assert NUMBER.masked() in entries[0].detail
    assert NUMBER.full("long") not in entries[0].detail
    assert [e.case_id for e in reveals] == [ids["first"], ids["second"]]
    # Every read went through the store's audited reads: a search, then history and case.
    assert [a.action for a in own] == [
        AuditAction.SEARCH,
        AuditAction.SEARCH,
        AuditAction.HISTORY,
        AuditAction.READ,
        AuditAction.HISTORY,
        AuditAction.READ,
        AuditAction.EXTRACT,
        AuditAction.EXTRACT,
        AuditAction.REVEAL_IDS,
        AuditAction.REVEAL_IDS,
    ]


def test_another_municipalitys_store_finds_nothing(filled: tuple[str, dict[str, object]]) -> None:
    url, _ = filled
    extract = _gather(url, municipality="0180")
    assert extract.cases == ()
    page = render_html(extract)
    assert "Registret innehåller inga uppgifter om dig" in page
    assert extract_to_dict(extract)["cases"] == []
    with open_store(url, municipality="0180", actor="x") as store:
        (entry,) = store.audit(action=AuditAction.EXTRACT)
    assert entry.case_id is None
    assert "0 case(s)" in entry.detail
    with open_store(url, municipality="1882", actor="x") as store:
        assert list(store.audit(action=AuditAction.EXTRACT)) == []


def test_no_whole_identity_number_unless_revealed(filled: tuple[str, dict[str, object]]) -> None:
    url, _ = filled
    masked = _gather(url)
    for text in (render_html(masked), render_json(masked)):
        for form in FORMS:
            assert NUMBER.full(form) not in text
        assert NUMBER.masked() in text
    revealed = _gather(url, reveal=True)
    assert NUMBER.full("separated_long") in render_html(revealed, reveal_ids=True)
    assert extract_to_dict(revealed, reveal_ids=True)["youth"] == NUMBER.full("separated_long")


def test_an_extract_gathered_masked_cannot_be_rendered_whole(
    filled: tuple[str, dict[str, object]],
) -> None:
    extract = _gather(filled[0])
    with pytest.raises(InvalidInput, match="reveal_ids=True") as info:
        render_html(extract, reveal_ids=True)
    assert NUMBER.full("long") not in str(info.value)
    with pytest.raises(InvalidInput):
        extract_to_dict(extract, reveal_ids=True)


def test_an_extract_needs_a_purpose(url: str) -> None:
    with open_store(url, municipality="1882", actor="anna", create=True) as store:
        with pytest.raises(InvalidInput, match="purpose"):
            gather_extract(store, NUMBER, purpose=" ")
        assert list(store.audit()) == []


def test_the_json_round_trips_and_holds_every_event(
    filled: tuple[str, dict[str, object]], tmp_path: Path
) -> None:
    extract = _gather(filled[0], reveal=True)
    path = tmp_path / "utdrag.json"
    write_extract_json(extract, path, reveal_ids=True)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert json.dumps(data, ensure_ascii=False, indent=2) + "\n" == text
    assert text == render_json(extract, reveal_ids=True)  # deterministic
    assert path.stat().st_mode & 0o777 == 0o600
    assert data["format"] == EXTRACT_FORMAT
    assert data["version"] == 1
    assert list(data) == [
        "format",
        "version",
        "municipality",
        "youth",
        "ids_revealed",
        "protected_identity",
        "made_at",
        "made_by",
        "purpose",
        "audit_before",
        "cases",
    ]
    for extracted, case in zip(extract.cases, data["cases"], strict=True):
        assert case["case_id"] == extracted.case_id
        keys = ("event_id", "case_id", "kind", "day", "recorded_at", "actor", "supersedes", "data")
        read_back = [event_from_dict({k: e[k] for k in keys}) for e in case["events"]]
        assert read_back == list(extracted.events)
        assert len(case["audit"]) == len(extracted.audit)
    statuses = [e["status"] for e in data["cases"][1]["events"]]
    assert statuses.count("corrected") == 2
    assert [e["status"] for e in data["cases"][0]["events"]].count("withdrawn") == 1
    assert [f["status"] for f in data["cases"][1]["facts"]] == [
        "earlier",
        "earlier",
        "corrected",
        "current",
    ]
    assert data["cases"][0]["status"] == "ended"
    assert data["cases"][1]["status"] == "open"


def test_the_masked_json_masks_every_number_shaped_text(
    filled: tuple[str, dict[str, object]],
) -> None:
    data = extract_to_dict(_gather(filled[0]))
    plan = data["cases"][1]["case"]["plan"]["revisions"][0]
    assert plan["planning"] == f"Ring om {NUMBER.masked()} behövs"
    assert data["cases"][1]["case"]["youth"]["id"] == NUMBER.masked()


def _protected_store(url: str) -> None:
    with open_store(url, municipality="1882", actor="cecilia", create=True) as store:
        case_id = store.register(
            Case(
                youth=_youth(PROTECTED),
                municipality="1882",
                registration=Registration(day=D(2026, 1, 12)),
            )
        )
        address = Address(street=STREET, postal_code="69630", city="Askersund")
        store.record(
            case_id,
            Event(
                data=ContactDetailsChanged(details=ContactDetails(address=address)),
                day=D(2026, 1, 12),
            ),
        )
        store.record(
            case_id,
            Event(
                data=ContactDetailsChanged(details=ContactDetails(phone="070-000 00 01")),
                day=D(2026, 2, 1),
            ),
        )
        store.record(
            case_id,
            Event(
                data=FactsUpdated(youth=_youth(PROTECTED, basis=HomeBasis.PROTECTED)),
                day=D(2026, 2, 2),
            ),
        )


def test_a_protected_youth_never_has_an_address_shown(url: str) -> None:
    _protected_store(url)
    with open_store(url, municipality="1882", actor="anna") as store:
        extract = gather_extract(store, PROTECTED, reveal_ids=True)
    assert extract.protected_identity
    for reveal in (False, True):
        page = render_html(extract, reveal_ids=reveal)
        text = render_json(extract, reveal_ids=reveal)
        for shown in (page, text):
            assert STREET not in shown
            assert "69630" not in shown
        assert "skyddad identitet" in page
        data = json.loads(text)
        assert data["protected_identity"] is True
        details = [e for e in data["cases"][0]["events"] if e["kind"] == "contact_details"]
        assert [e["data"]["details"]["address"] for e in details] == [None, None]


def _text(dom: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[RegisterExtract, str]:
    extract = _gather(_filled(f"sqlite:///{tmp_path / 'kaa.db'}")[0])
    page = tmp_path / "utdrag.html"
    write_extract_html(extract, page)
    assert page.stat().st_mode & 0o777 == 0o600
    dom = _chromium("--dump-dom", page.as_uri(), tmp=tmp_path).stdout
    return extract, dom


def test_the_rendered_page_has_its_swedish_headings(rendered: tuple[RegisterExtract, str]) -> None:
    _, dom = rendered
    assert "<title>Registerutdrag – kommunernas aktivitetsansvar – Askersund</title>" in dom
    text = _text(dom)
    for heading in (
        "Registerutdrag – kommunernas aktivitetsansvar",
        "Utdrag ur Askersunds kommuns register",
        "Om registret",
        "Ärende 1 av 2: registrerat 2024-12-02, avslutat 2025-06-30",
        "Ärende 2 av 2: registrerat 2026-01-12, pågår",
        "Uppgifter om dig och hur de har ändrats",
        "Kontaktuppgifter",
        "Handläggare",
        "Kontakter",
        "Insatser",
        "Individuell plan",
        "Samtycken",
        "Aktivitetsansvarets upphörande",
        "Rättelser",
        "Alla registrerade händelser",
        "Vem har tagit del av eller ändrat ärendet",
        "29 kap. 9 § skollagen (2010:800)",
        "förordning (EU) 2016/679",
    ):
        assert heading in text, heading
    for label in (
        "har avbrutit nationellt program",
        "påbörjat nationellt program, introduktionsprogram eller motsvarande",
        "Studie- och yrkesvägledning (SYV) (study_guidance)",
        "Individuell coachning (coaching)",
        "Arbetsförmedlingen",
        "felaktiga uppgifter, rättade",
        "återkallad genom händelse 6 (2025-01-08)",
        "händelsen återkallas: den räknas som om den aldrig hänt",
        "gällande uppgifter",
        "studiebevis",
        STREET,
        "kim@example.org",
    ):
        assert label in text, label


def test_the_rendered_page_shows_every_event_and_every_reader(
    rendered: tuple[RegisterExtract, str],
) -> None:
    extract, dom = rendered
    for extracted in extract.cases:
        for event in extracted.events:
            assert f'id="event-{event.event_id}"' in dom
            assert event.kind.label_sv in _text(dom)
        for entry in extracted.audit:
            assert entry.purpose in _text(dom)
    text = _text(dom)
    assert "bertil" in text
    assert "uppföljning av planen" in text
    assert "granskning" in text
    assert "läsning av ärende" in text
    assert "läsning av ärendets historik" in text
    assert "så som den såg ut innan detta utdrag gjordes" in text


def test_hostile_text_is_shown_as_text_and_the_page_is_self_contained(
    rendered: tuple[RegisterExtract, str],
) -> None:
    _, dom = rendered
    assert "<script" not in dom
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert HOSTILE in _text(dom)
    assert not re.search(r"(src|href)=\"?https?://", dom)
    assert "<link" not in dom
    assert "<img" not in dom
    assert NUMBER.full("long") not in dom
    assert NUMBER.full("separated_long") not in dom


def _hand_made(reason: str, name: str) -> RegisterExtract:
    """An extract of one case built from events directly (as a store would hold them)."""
    at = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    drafts = [
        Event(
            data=Registered(
                youth=_youth(NUMBER),
                municipality="1882",
                registration=Registration(day=D(2026, 1, 12)),
            )
        ),
        Event(
            data=ContactDetailsChanged(details=ContactDetails(name=name)),
            day=D(2026, 1, 12),
        ),
        Event(data=MeasureOffered(measure_id="m1", type="coaching"), day=D(2026, 1, 26)),
        Event(data=MeasureDeclined(measure_id="m1", reason=reason), day=D(2026, 1, 27)),
    ]
    events = tuple(
        attrs.evolve(e, case_id="c1", event_id=f"e{i}", recorded_at=at, actor=name)
        for i, e in enumerate(drafts)
    )
    entry = AuditEntry(
        at=at,
        actor=name,
        municipality="1882",
        action=AuditAction.READ,
        case_id="c1",
        purpose=reason,
        detail=reason,
    )
    return RegisterExtract(
        youth=NUMBER,
        municipality="1882",
        made_at=at + dt.timedelta(days=1),
        actor=name,
        purpose=reason,
        cases=(ExtractedCase(case_id="c1", case=fold(events), events=events, audit=(entry,)),),
    )


HOSTILE_TEXT = (
    st.lists(
        st.text(st.characters(codec="utf-8"), max_size=6)
        | st.sampled_from(
            ["<", ">", "&", '"', "'", "</td>", "<script>", "&amp;", NUMBER.full("long")]
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda text: text != "")
)
"""Text with markup, entities, control characters and a whole identity number in it."""


@settings(max_examples=60)
@given(reason=HOSTILE_TEXT, name=HOSTILE_TEXT)
def test_any_text_is_escaped_and_masked_in_the_page_and_the_json(reason: str, name: str) -> None:
    extract = _hand_made(reason, name)
    baseline = render_html(_hand_made("x", "y"))
    page = render_html(extract)
    # Nothing a text holds becomes markup: the page has exactly the tags of a plain one.
    assert re.findall(r"<[a-z/!][^>]*>", page) == re.findall(r"<[a-z/!][^>]*>", baseline)
    data = json.loads(render_json(extract))
    for shown in (page, json.dumps(data, ensure_ascii=False)):
        for form in FORMS:
            assert NUMBER.full(form) not in shown
    if NUMBER.full("short") not in reason:  # otherwise masked beyond what scrub does
        assert html.escape(scrub(reason), quote=True) in page
        assert data["cases"][0]["events"][3]["data"]["reason"] == scrub(reason)
