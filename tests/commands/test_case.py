"""``kaa case``: register, contact, measure, plan, consent, worker, details, end, correct,
show and history, with values in Swedish and English, against a real SQLite store."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.commands import case as case_command
from kaa.commands.case import SYNONYMS, choice, measure_type
from kaa.errors import InvalidInput
from kaa.identity import IdentityNumber
from kaa.model.case import (
    Activity,
    Address,
    Case,
    Channel,
    Contacted,
    ContactOutcome,
    EndReason,
    Measure,
    MeasureEndReason,
    Registration,
    RegistrationReason,
    RegistrationSource,
)
from kaa.model.documentation import (
    ConsentAction,
    ConsentEvent,
    ConsentGiver,
    Counterpart,
    Party,
    PlannedMeasure,
    Responsibility,
)
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.plugins.manager import Hooks
from kaa.rules.measures import national_catalogue
from kaa.store import open_store
from kaa.testing import skatteverket_numbers

NUMBER = skatteverket_numbers()[0]
OTHER_NUMBER = skatteverket_numbers()[1]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    """The --store and --municipality options of a new store; the actor is $KAA_ACTOR and
    today is 2026-06-01."""
    path = str(tmp_path / "kaa.db")
    assert main(["store", "init", path]) == 0
    monkeypatch.setenv("KAA_ACTOR", "cecilia")
    monkeypatch.setattr(case_command, "today", lambda: TODAY)
    return ("--store", path, "--municipality", "1882")


class Transcript:
    """Everything the commands of one test printed, to check that no whole identity number
    appears anywhere."""

    def __init__(self) -> None:
        self.text: list[str] = []


@pytest.fixture
def transcript() -> Transcript:
    return Transcript()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.strip(), err


def _register(capsys: pytest.CaptureFixture[str], store: tuple[str, ...], *extra: str) -> str:
    status, out, err = _run(
        capsys, "case", "register", *store, "--youth", NUMBER, "--on", "2026-01-12", *extra
    )
    assert status == 0, err
    return out


def _ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must succeed; its standard output."""
    status, out, err = _run(capsys, *argv)
    assert status == 0, err
    return out


def _fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail with exit status 2; its standard error."""
    status, out, err = _run(capsys, *argv)
    assert status == 2, (out, err)
    assert out == ""
    return err


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that argparse refuses; its standard error."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def _case(store: tuple[str, ...], case_id: str) -> Case:
    with open_store(store[1], municipality="1882", actor="test") as opened:
        return opened.case(case_id, purpose="test")


def _event_ids(store: tuple[str, ...], case_id: str) -> list[tuple[str, str]]:
    """(kind, event id) of every event of the case, in the order recorded."""
    with open_store(store[1], municipality="1882", actor="test") as opened:
        return [(e.kind.value, e.event_id or "") for e in opened.history(case_id, purpose="test")]


def _contact(capsys: pytest.CaptureFixture[str], store: tuple[str, ...], case_id: str) -> str:
    return _ok(
        capsys,
        "case",
        "contact",
        case_id,
        *store,
        "--on",
        "2026-01-20",
        "--channel",
        "telefon",
        "--outcome",
        "inget svar",
        "--to",
        "vårdnadshavare",
    )


# -- register, contact, end, show, history ---------------------------------------------------


def test_a_days_work_is_recorded_and_read_back(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(
        capsys, store, "--source", "skolan", "--reason", "avbrott", "--case-worker", "h7"
    )
    for argv in (
        ("--on", "2026-01-20", "--channel", "telefon", "--outcome", "inget svar"),
        ("--on", "2026-01-21", "--channel", "SMS", "--outcome", "nådd", "--to", "vårdnadshavare"),
        (
            "--on",
            "2026-01-22",
            "--channel",
            "phone",
            "--outcome",
            "reached",
            "--activity",
            "arbete",
        ),
    ):
        status, out, err = _run(capsys, "case", "contact", case_id, *store, *argv)
        assert status == 0, err
        assert UUID.fullmatch(out)  # the event id
    status, _, err = _run(
        capsys, "case", "end", case_id, *store, "--on", "2026-05-02", "--reason", "examen"
    )
    assert status == 0, err
    status, out, _ = _run(capsys, "case", "show", case_id, *store)
    assert status == 0
    assert f"youth {NUMBER[:8]}-**** in 1882" in out
    assert "contact 2026-01-21: sms till vårdnadshavare, nådd" in out
    assert "contact 2026-01-22: telefonsamtal till ungdomen, nådd, arbete" in out
    assert "case worker h7" in out
    assert "KAA ended 2026-05-02: fullföljt gymnasieutbildning" in out
    assert NUMBER not in out
    status, out, err = _run(capsys, "case", "history", case_id, *store)
    kinds = [line.split("\t")[2] for line in out.splitlines()]
    assert kinds == ["registered", "case_worker", "contact", "contact", "contact", "ended"]
    assert {line.split("\t")[1] for line in out.splitlines()} == {"cecilia"}
    assert out.splitlines()[2].endswith("phone to youth, no_answer")
    assert "6 event(s)" in err


def test_show_as_json_masks_the_identity_number(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    status, out, _ = _run(capsys, "case", "show", case_id, *store, "--json")
    assert status == 0
    assert json.loads(out)["youth"]["id"] == f"{NUMBER[:8]}-****"


def test_a_second_open_case_is_refused(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    _register(capsys, store)
    status, _, err = _run(
        capsys, "case", "register", *store, "--youth", NUMBER, "--on", "2026-02-01"
    )
    assert status == 2
    assert "already has an open case" in err
    assert NUMBER not in err


def test_a_contact_the_case_cannot_hold_is_refused(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    err = _fails(
        capsys,
        "case",
        "contact",
        case_id,
        *store,
        "--on",
        "2026-01-01",
        "--channel",
        "brev",
        "--outcome",
        "skickat",
    )
    assert "before the registration" in err


def test_another_municipalitys_case_is_not_found(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    other = (store[0], store[1], "--municipality", "0180")
    status, _, err = _run(capsys, "case", "show", case_id, *other)
    assert status == 2
    assert "no case" in err


# -- measures ------------------------------------------------------------------------------


def test_measures_are_offered_started_declined_and_ended(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    measure = ("case", "measure", case_id)
    first = _ok(capsys, *measure, "offer", *store, "--type", "praktik", "--on", "2026-02-02")
    measure_id, event_id = first.split("\t")
    assert measure_id == "m1"
    assert UUID.fullmatch(event_id)
    second = _ok(
        capsys, *measure, "offer", *store, "--type", "Motiverande samtal", "--on", "2026-02-03"
    )
    assert second.split("\t")[0] == "m2"
    named = _ok(capsys, *measure, "offer", *store, "--type", "study_guidance", "--id", "syv-1")
    assert named.split("\t")[0] == "syv-1"
    assert UUID.fullmatch(_ok(capsys, *measure, "start", "m1", *store, "--on", "2026-02-10"))
    _ok(capsys, *measure, "decline", "m2", *store, "--on", "2026-02-04", "--reason", "vill arbeta")
    _ok(
        capsys,
        *measure,
        "end",
        "m1",
        *store,
        "--on",
        "2026-04-30",
        "--reason",
        "genomförd",
        "--activity-after",
        "studier",
    )
    recorded = {m.id: m for m in _case(store, case_id).measures}
    assert recorded["m1"] == Measure(
        id="m1",
        type="work_placement",
        offered=dt.date(2026, 2, 2),
        start=dt.date(2026, 2, 10),
        end=dt.date(2026, 4, 30),
        end_reason=MeasureEndReason.COMPLETED,
        activity_after=Activity.OTHER_STUDIES,
    )
    assert recorded["m2"] == Measure(
        id="m2",
        type="motivational_conversation",
        offered=dt.date(2026, 2, 3),
        declined=True,
        decline_reason="vill arbeta",
    )
    assert recorded["syv-1"].offered == TODAY
    out = _ok(capsys, "case", "show", case_id, *store)
    assert (
        "measure m1 work_placement (Obetald praktik): erbjuden 2026-02-02; påbörjad 2026-02-10; "
        "avslutad 2026-04-30 (insatsen genomförd); sysselsättning efter: andra studier" in out
    )
    assert (
        "measure m2 motivational_conversation (Motiverande samtal): erbjuden 2026-02-03; "
        "avböjd (vill arbeta)" in out
    )
    assert "documentation lacks" in out  # measures and no plan


def test_measures_are_ended_with_english_words(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    measure = ("case", "measure", case_id)
    _ok(capsys, *measure, "offer", *store, "--type", "coaching", "--on", "2026-02-02")
    _ok(capsys, *measure, "start", "m1", *store, "--on", "2026-02-02")
    _ok(
        capsys,
        *measure,
        "end",
        "m1",
        *store,
        "--on",
        "2026-03-01",
        "--reason",
        "started-work",
        "--activity-after",
        "work",
    )
    (ended,) = _case(store, case_id).measures
    assert (ended.end_reason, ended.activity_after) == (
        MeasureEndReason.STARTED_WORK,
        Activity.WORK,
    )


def test_a_new_measure_id_is_not_one_used_before_even_when_withdrawn(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    offer = ("case", "measure", case_id, "offer", *store, "--type", "coaching")
    event_id = _ok(capsys, *offer).split("\t")[1]
    _ok(capsys, "case", "correct", case_id, event_id, "withdraw", *store)
    assert _ok(capsys, *offer).split("\t")[0] == "m2"
    assert [m.id for m in _case(store, case_id).measures] == ["m2"]


def test_a_measure_the_catalogue_does_not_have_lists_the_catalogue(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    err = _fails(capsys, "case", "measure", case_id, "offer", *store, "--type", "ridlektion")
    assert "'ridlektion' is not a measure in the catalogue; known:" in err
    assert "work_placement (Obetald praktik)" in err  # Askersund's own name for it
    assert _case(store, case_id).measures == ()


def test_a_measure_that_was_never_offered_cannot_start(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    err = _fails(capsys, "case", "measure", case_id, "start", "m7", *store, "--on", "2026-02-01")
    assert "measure 'm7' starts, but it was never offered" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("work_placement", "work_placement", id="the id"),
        pytest.param("work-placement", "work_placement", id="the id with a dash"),
        pytest.param("Praktik (oavlönad)", "work_placement", id="the Swedish name"),
        pytest.param("praktik", "work_placement", id="the Swedish name without its brackets"),
        pytest.param("SYV", "study_guidance", id="what the Swedish name has in brackets"),
        pytest.param("unpaid work", "work_placement", id="the beginning of the English name"),
        pytest.param("motiverande", "motivational_conversation", id="one word of a name"),
    ],
)
def test_a_measure_is_named_by_its_id_or_a_name(text: str, expected: str) -> None:
    assert measure_type(text, national_catalogue()) == expected


def test_a_name_that_fits_several_measures_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"fits several measures: .*arbetsformedlingen"):
        measure_type("insats tillsammans", national_catalogue())


@pytest.mark.parametrize("municipality", ["0180", "1882", "9999"])
@pytest.mark.parametrize("example", ["praktik", "motiverande samtal", "study_guidance"])
def test_the_examples_in_the_help_name_a_measure(municipality: str, example: str) -> None:
    catalogue = Hooks.with_plugins(load_entrypoints=False).measure_catalogue(municipality)
    assert measure_type(example, catalogue) in catalogue


# -- the plan ------------------------------------------------------------------------------


def _plan_case(capsys: pytest.CaptureFixture[str], store: tuple[str, ...]) -> str:
    case_id = _register(capsys, store)
    measure = ("case", "measure", case_id)
    _ok(capsys, *measure, "offer", *store, "--type", "arbetsformedlingen", "--on", "2026-02-02")
    _ok(capsys, *measure, "start", "m1", *store, "--on", "2026-02-10")
    return case_id


PLAN_MAKE = (
    "--on",
    "2026-02-05",
    "--case-worker",
    "h7",
    "--goal",
    "Börja studera till hösten",
    "--planning",
    "Praktik under våren, sedan ansökan",
    "--follow-up",
    "2026-03-05",
    "--follow-up",
    "2026-04-05",
    "--measure",
    "m1",
    "--purpose",
    "Prova ett yrke",
    "--youth-task",
    "komma i tid",
    "--youth-task",
    "föra dagbok",
    "--municipality-task",
    "KAA-enheten",
    "följa upp varje vecka",
    "--partner-task",
    "Arbetsförmedlingen",
    "ordna praktikplats",
    "--planned-start",
    "2026-02-10",
    "--planned-end",
    "2026-04-30",
    "--measure-follow-up",
    "2026-03-15",
)


def test_a_plan_is_made_with_the_seven_documentation_items(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    assert UUID.fullmatch(_ok(capsys, "case", "plan", case_id, "make", *store, *PLAN_MAKE))
    plan = _case(store, case_id).plan
    assert plan is not None
    revision = plan.current
    assert (revision.day, revision.case_worker) == (dt.date(2026, 2, 5), "h7")
    assert revision.goal == "Börja studera till hösten"
    assert revision.planning == "Praktik under våren, sedan ansökan"
    assert revision.follow_ups == (dt.date(2026, 3, 5), dt.date(2026, 4, 5))
    assert revision.measures == (
        PlannedMeasure(
            measure_id="m1",
            purpose="Prova ett yrke",
            responsibilities=(
                Responsibility(party=Party.YOUTH, task="komma i tid"),
                Responsibility(party=Party.YOUTH, task="föra dagbok"),
                Responsibility(
                    party=Party.MUNICIPALITY, task="följa upp varje vecka", name="KAA-enheten"
                ),
                Responsibility(
                    party=Party.OTHER, task="ordna praktikplats", name="Arbetsförmedlingen"
                ),
            ),
            planned_start=dt.date(2026, 2, 10),
            planned_end=dt.date(2026, 4, 30),
            follow_ups=(dt.date(2026, 3, 15),),
        ),
    )
    out = _ok(capsys, "case", "show", case_id, *store)
    assert "plan made 2026-02-05, 1 revision(s), current of 2026-02-05 by h7" in out
    assert "  goal: Börja studera till hösten" in out
    assert "Arbetsförmedlingen ansvarar för: ordna praktikplats" in out
    assert "documentation complete (" in out


def test_a_revision_carries_the_plan_forward_and_changes_what_is_named(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    _ok(capsys, "case", "plan", case_id, "make", *store, *PLAN_MAKE)
    _ok(
        capsys,
        "case",
        "plan",
        case_id,
        "revise",
        *store,
        "--on",
        "2026-03-05",
        "--reason",
        "praktiken förlängs",
        "--follow-up",
        "2026-05-05",
        "--measure",
        "m1",
        "--planned-end",
        "2026-05-31",
        "--youth-task",
        "söka till komvux",
    )
    _ok(capsys, "case", "plan", case_id, "follow-up", *store, "--on", "2026-04-05")
    plan = _case(store, case_id).plan
    assert plan is not None
    first, current = plan.revisions
    assert current.reason == "praktiken förlängs"
    assert (current.goal, current.case_worker) == (first.goal, "h7")
    assert current.follow_ups == (dt.date(2026, 5, 5),)
    (m1,) = current.measures
    assert m1.planned_end == dt.date(2026, 5, 31)
    assert m1.planned_start == dt.date(2026, 2, 10)
    assert m1.purpose == "Prova ett yrke"
    assert m1.responsible(Party.YOUTH) == (
        Responsibility(party=Party.YOUTH, task="söka till komvux"),
    )
    assert m1.responsible(Party.OTHER) == first.measures[0].responsible(Party.OTHER)
    assert plan.follow_ups_held == (dt.date(2026, 4, 5),)
    out = _ok(capsys, "case", "show", case_id, *store)
    assert "  revised because: praktiken förlängs" in out
    assert "  followed up: 2026-04-05" in out


def test_an_empty_value_removes_what_the_plan_held(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    _ok(capsys, "case", "plan", case_id, "make", *store, *PLAN_MAKE)
    _ok(
        capsys,
        "case",
        "plan",
        case_id,
        "revise",
        *store,
        "--on",
        "2026-03-05",
        "--planning",
        "",
        "--measure",
        "m1",
        "--measure-follow-up",
        "",
    )
    plan = _case(store, case_id).plan
    assert plan is not None
    assert plan.current.planning is None
    assert plan.current.measures[0].follow_ups == ()
    assert "1. individuell planering och mål för åtgärderna: no overall planning" in _ok(
        capsys, "case", "show", case_id, *store
    )


def test_an_option_about_a_measure_needs_the_measure_first(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(capsys, "case", "plan", "c", "make", *store, "--youth-task", "komma i tid")
    assert "--youth-task is about one measure: give --measure ID before it" in err


def test_a_plan_cannot_be_revised_before_it_is_made(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    err = _fails(capsys, "case", "plan", case_id, "revise", *store, "--goal", "x")
    assert "no individual plan to revise: make it with `kaa case plan CASE make`" in err


def test_a_plan_cannot_document_a_measure_the_case_does_not_have(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    err = _fails(capsys, "case", "plan", case_id, "make", *store, "--measure", "m9")
    assert "measure 'm9', which the case does not have" in err


def test_free_text_the_privacy_guard_flags_is_recorded_with_a_warning(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    status, out, err = _run(
        capsys, "case", "plan", case_id, "make", *store, "--goal", "Utreda diagnos först"
    )
    assert status == 0
    assert UUID.fullmatch(out)
    assert 'warning: plan.goal: "diagnos"' in err
    assert "5 § " in err


# -- consent, case worker, contact details -------------------------------------------------


def test_consent_is_given_and_revoked_in_swedish_and_english(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    consent = ("case", "consent", case_id)
    _ok(capsys, *consent, "ge", *store, "--counterpart", "af", "--on", "2026-02-05")
    _ok(
        capsys,
        *consent,
        "give",
        *store,
        "--counterpart",
        "förälder",
        "--name",
        "Moster  Eva",
        "--given-by",
        "vårdnadshavare",
        "--on",
        "2026-02-05",
    )
    _ok(
        capsys,
        *consent,
        "återkallat",
        *store,
        "--counterpart",
        "arbetsformedlingen",
        "--on",
        "2026-03-01",
    )
    _ok(capsys, *consent, "revoke", *store, "--counterpart", "school")
    assert _case(store, case_id).consents == (
        ConsentEvent(
            day=dt.date(2026, 2, 5),
            action=ConsentAction.GRANT,
            counterpart=Counterpart.ARBETSFORMEDLINGEN,
        ),
        ConsentEvent(
            day=dt.date(2026, 2, 5),
            action=ConsentAction.GRANT,
            counterpart=Counterpart.RELATIVE,
            name="Moster Eva",
            given_by=ConsentGiver.GUARDIAN,
        ),
        ConsentEvent(
            day=dt.date(2026, 3, 1),
            action=ConsentAction.REVOKE,
            counterpart=Counterpart.ARBETSFORMEDLINGEN,
        ),
        ConsentEvent(day=TODAY, action=ConsentAction.REVOKE, counterpart=Counterpart.SCHOOL),
    )
    out = _ok(capsys, "case", "show", case_id, *store)
    assert (
        "consent 2026-02-05: samtycke lämnat, förälder eller annan anhörig (Moster Eva), "
        "av vårdnadshavare" in out
    )


def test_consent_for_a_relative_must_name_who(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    err = _fails(capsys, "case", "consent", case_id, "ge", *store, "--counterpart", "anhörig")
    assert "must name who" in err


def test_a_case_worker_is_assigned_and_unassigned(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    _ok(capsys, "case", "worker", case_id, "Anna Lind", *store, "--on", "2026-01-13")
    assert _case(store, case_id).case_worker == "Anna Lind"
    _ok(capsys, "case", "worker", case_id, "--nobody", *store)
    assert _case(store, case_id).case_worker is None
    assert "one of the arguments NAME --nobody is required" in _usage_error(
        capsys, "case", "worker", case_id, *store
    )


def test_contact_details_change_what_is_named_and_keep_the_rest(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    details = ("case", "details", case_id, *store)
    _ok(
        capsys,
        *details,
        "--name",
        "Alex Test",
        "--phone",
        "070-123 45 67",
        "--email",
        "alex@example.se",
        "--address",
        "Storgatan 1, 696 30 Askersund",
    )
    _ok(capsys, *details, "--phone", "+46 70 765 43 21", "--email", "")
    found = _case(store, case_id).contact_details
    assert found is not None
    assert (found.name, found.phone, found.email) == ("Alex Test", "+46 70 765 43 21", None)
    assert found.address == Address(street="Storgatan 1", postal_code="69630", city="Askersund")
    out = _ok(capsys, "case", "show", case_id, *store)
    assert (
        "contact details: Alex Test; telefon +46 70 765 43 21; adress Storgatan 1, 696 30 "
        "Askersund" in out
    )
    _ok(capsys, *details, "--name", "", "--phone", "", "--address", "")
    assert _case(store, case_id).contact_details is None


def test_a_telephone_number_that_is_not_one_is_refused(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(capsys, "case", "details", "c", *store, "--phone", "alex@example.se")
    assert "not a telephone number" in err


def test_a_youth_with_protected_identity_never_has_an_address_stored(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    protected = Youth(
        id=IdentityNumber.parse(OTHER_NUMBER),
        residences=(Residence(municipality="1882", basis=HomeBasis.PROTECTED),),
    )
    with open_store(store[1], municipality="1882", actor="test") as opened:
        case_id = opened.register(
            Case(
                youth=protected,
                municipality="1882",
                registration=Registration(day=dt.date(2026, 1, 12)),
            )
        )
    status, out, err = _run(
        capsys, "case", "details", case_id, *store, "--address", "Lönngatan 3, 696 30 Askersund"
    )
    assert status == 2
    assert "protected identity: no address may be kept (nothing was recorded)" in err
    assert "Lönngatan" not in out + err
    _ok(capsys, "case", "details", case_id, *store, "--phone", "070-111 22 33")
    found = _case(store, case_id).contact_details
    assert found is not None
    assert found.address is None
    event_id = _event_ids(store, case_id)[-1][1]
    err = _fails(
        capsys,
        "case",
        "correct",
        case_id,
        event_id,
        "details",
        *store,
        "--address",
        "Lönngatan 3, 696 30 Askersund",
    )
    assert "protected identity" in err
    assert "Lönngatan" not in err


# -- corrections ---------------------------------------------------------------------------


def test_a_correction_changes_only_what_it_names_and_keeps_both_events(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    event_id = _contact(capsys, store, case_id)
    status, out, err = _run(
        capsys,
        "case",
        "correct",
        case_id,
        event_id,
        "contact",
        *store,
        "--outcome",
        "nådd",
        "--activity",
        "arbete",
    )
    assert status == 0, err
    assert UUID.fullmatch(out)
    assert "corrected the kontaktförsök of 2026-01-20" in err
    (contact,) = _case(store, case_id).contacts
    assert (contact.day, contact.channel, contact.contacted) == (
        dt.date(2026, 1, 20),
        Channel.PHONE,
        Contacted.GUARDIAN,
    )
    assert (contact.outcome, contact.activity) == (ContactOutcome.REACHED, Activity.WORK)
    history = _ok(capsys, "case", "history", case_id, *store).splitlines()
    assert [line.split("\t")[2] for line in history] == ["registered", "contact", "correction"]
    assert history[2].split("\t")[3] == TODAY.isoformat()  # the day it was corrected
    assert f"supersedes {event_id}" in history[2]
    assert history[2].endswith("by a contact of 2026-01-20: phone to guardian, reached, work")


def test_a_correction_of_a_correction_corrects_the_same_event_and_the_later_wins(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    event_id = _contact(capsys, store, case_id)
    first = _ok(
        capsys, "case", "correct", case_id, event_id, "contact", *store, "--on", "2026-01-21"
    )
    _ok(
        capsys,
        "case",
        "correct",
        case_id,
        first,
        "contact",
        *store,
        "--outcome",
        "meddelande",
    )
    (contact,) = _case(store, case_id).contacts
    assert (contact.day, contact.outcome) == (dt.date(2026, 1, 21), ContactOutcome.MESSAGE_LEFT)
    history = _ok(capsys, "case", "history", case_id, *store).splitlines()
    assert f"supersedes {event_id}" in history[3]


def test_an_empty_value_in_a_correction_removes_what_was_recorded(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    event_id = _ok(
        capsys,
        "case",
        "contact",
        case_id,
        *store,
        "--channel",
        "möte",
        "--outcome",
        "nådd",
        "--activity",
        "arbete",
    )
    _ok(
        capsys,
        "case",
        "correct",
        case_id,
        event_id,
        "contact",
        *store,
        "--outcome",
        "no-answer",
        "--activity",
        "",
    )
    (contact,) = _case(store, case_id).contacts
    assert (contact.outcome, contact.activity, contact.day) == (
        ContactOutcome.NO_ANSWER,
        None,
        TODAY,
    )


def test_a_withdrawn_event_counts_as_never_having_happened(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    event_id = _contact(capsys, store, case_id)
    status, out, err = _run(capsys, "case", "correct", case_id, event_id, "withdraw", *store)
    assert status == 0, err
    assert UUID.fullmatch(out)
    assert "withdrew the kontaktförsök of 2026-01-20" in err
    assert _case(store, case_id).contacts == ()
    history = _ok(capsys, "case", "history", case_id, *store).splitlines()
    assert history[2].endswith(f"supersedes {event_id}\twithdraws it")


def test_a_measure_the_case_worker_recorded_wrong_is_corrected(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    measure = ("case", "measure", case_id)
    offered = _ok(capsys, *measure, "offer", *store, "--type", "coaching", "--on", "2026-02-02")
    started = _ok(capsys, *measure, "start", "m1", *store, "--on", "2026-02-10")
    ended = _ok(capsys, *measure, "end", "m1", *store, "--on", "2026-03-10", "--reason", "klar")
    correct = ("case", "correct", case_id)
    _ok(capsys, *correct, offered.split("\t")[1], "measure", "offer", *store, "--type", "praktik")
    _ok(capsys, *correct, started, "measure", "start", *store, "--on", "2026-02-11")
    _ok(
        capsys,
        *correct,
        ended,
        "measure",
        "end",
        *store,
        "--reason",
        "",
        "--activity-after",
        "jobb",
    )
    (m1,) = _case(store, case_id).measures
    assert m1 == Measure(
        id="m1",
        type="work_placement",
        offered=dt.date(2026, 2, 2),
        start=dt.date(2026, 2, 11),
        end=dt.date(2026, 3, 10),
        activity_after=Activity.WORK,
    )


def test_the_plan_consent_worker_end_and_registration_are_corrected(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _plan_case(capsys, store)
    made = _ok(capsys, "case", "plan", case_id, "make", *store, *PLAN_MAKE)
    consent = _ok(
        capsys,
        "case",
        "consent",
        case_id,
        "ge",
        *store,
        "--counterpart",
        "skolan",
        "--on",
        "2026-02-05",
    )
    worker = _ok(capsys, "case", "worker", case_id, "h7", *store)
    end = _ok(capsys, "case", "end", case_id, *store, "--on", "2026-05-02", "--reason", "examen")
    registered = _event_ids(store, case_id)[0][1]
    correct = ("case", "correct", case_id)
    _ok(capsys, *correct, made, "plan", "make", *store, "--goal", "Börja arbeta")
    _ok(capsys, *correct, consent, "consent", "återkallat", *store)
    _ok(capsys, *correct, worker, "worker", "h8", *store)
    _ok(capsys, *correct, end, "end", *store, "--reason", "fyllt 20")
    _ok(capsys, *correct, registered, "register", *store, "--reason", "studiebevis")
    found = _case(store, case_id)
    assert found.plan is not None
    assert found.plan.current.goal == "Börja arbeta"
    assert found.plan.current.planning == "Praktik under våren, sedan ansökan"
    assert [c.action for c in found.consents] == [ConsentAction.REVOKE]
    assert found.consents[0].counterpart is Counterpart.SCHOOL
    assert found.case_worker == "h8"
    assert found.end is not None
    assert (found.end.day, found.end.reason) == (dt.date(2026, 5, 2), EndReason.TURNED_20)
    assert found.registration == Registration(
        day=dt.date(2026, 1, 12),
        source=RegistrationSource.REGISTER_LIST,
        reason=RegistrationReason.STUDIEBEVIS,
    )


def test_an_event_is_corrected_only_by_its_own_kind(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    _ok(capsys, "case", "measure", case_id, "offer", *store, "--type", "coaching")
    started = _ok(capsys, "case", "measure", case_id, "start", "m1", *store)
    err = _fails(
        capsys, "case", "correct", case_id, started, "contact", *store, "--outcome", "nådd"
    )
    assert "is a measure_started (insats påbörjad), not a contact" in err
    assert "`kaa case correct CASE EVENT measure start …`" in err
    assert len(_event_ids(store, case_id)) == 3  # nothing recorded


def test_the_registration_cannot_be_withdrawn(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    registered = _event_ids(store, case_id)[0][1]
    err = _fails(capsys, "case", "correct", case_id, registered, "withdraw", *store)
    assert "the registration cannot be withdrawn" in err


def test_a_wrong_event_id_is_refused(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    err = _fails(capsys, "case", "correct", case_id, "no-such-event", "withdraw", *store)
    assert "the case has no event 'no-such-event' to correct" in err
    err = _fails(capsys, "case", "correct", case_id, NUMBER, "contact", *store, "--outcome", "nådd")
    assert NUMBER not in err


# -- errors, audit, identity numbers -------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(("contact", "CASE", "--channel", "sms", "--outcome", "sent"), id="contact"),
        pytest.param(("measure", "CASE", "offer", "--type", "coaching"), id="measure offer"),
        pytest.param(("measure", "CASE", "start", "m1"), id="measure start"),
        pytest.param(("plan", "CASE", "make", "--goal", "x"), id="plan make"),
        pytest.param(("plan", "CASE", "follow-up"), id="plan follow-up"),
        pytest.param(("consent", "CASE", "ge", "--counterpart", "skolan"), id="consent"),
        pytest.param(("worker", "CASE", "h7"), id="worker"),
        pytest.param(("details", "CASE", "--phone", "070-1234567"), id="details"),
        pytest.param(("end", "CASE", "--reason", "examen"), id="end"),
        pytest.param(("correct", "CASE", "e1", "withdraw"), id="withdraw"),
        pytest.param(("correct", "CASE", "e1", "worker", "h7"), id="correct"),
    ],
)
def test_an_unknown_case_is_refused_with_a_clear_message(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    full = [*argv]
    full[full.index("CASE")] = "no-such-case"
    err = _fails(capsys, "case", *full, *store)
    assert "kaa: error: no case 'no-such-case' in the register of municipality 1882" in err


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        pytest.param(
            ("consent", "c", "ge", "--counterpart", "grannen"),
            r"argument --counterpart: 'grannen' is not one of: school, arbetsformedlingen.*"
            r"in Swedish: skolan",
            id="a counterpart",
        ),
        pytest.param(
            ("consent", "c", "kanske", "--counterpart", "skolan"),
            r"argument ACTION: 'kanske' is not one of: grant \(give\), revoke .*återkallat",
            id="a consent action",
        ),
        pytest.param(
            ("consent", "c", "ge", "--counterpart", "skolan", "--given-by", "rektor"),
            r"'rektor' is not one of: youth, guardian .*vårdnadshavare",
            id="a giver",
        ),
        pytest.param(
            ("measure", "c", "end", "m1", "--reason", "trött"),
            r"'trött' is not one of: completed, started_studies.*genomförd",
            id="a reason a measure ended",
        ),
        pytest.param(
            ("correct", "c", "e", "contact", "--channel", "brevduva"),
            r"'brevduva' is not one of: postcard, phone.*telefon",
            id="a value in a correction",
        ),
    ],
)
def test_a_bad_value_is_refused_listing_the_words_allowed(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], allowed: str
) -> None:
    assert re.search(allowed, _usage_error(capsys, "case", *argv, *store))


@pytest.mark.parametrize(
    ("argv", "listed"),
    [
        pytest.param(("consent",), "grant/give/lämnat", id="consent"),
        pytest.param(("measure", "c", "end"), "completed/genomförd", id="measure end"),
        pytest.param(("plan", "c", "make"), "item 4: what another actor", id="plan make"),
        pytest.param(("correct", "c", "e", "contact"), "phone/telefon", id="correct contact"),
    ],
)
def test_help_lists_the_words_accepted(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], listed: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["case", *argv, "--help"])
    assert exit_info.value.code == 0
    assert listed in " ".join(capsys.readouterr().out.split())


def _every_action(
    capsys: pytest.CaptureFixture[str], store: tuple[str, ...], actor: str
) -> list[str]:
    """Record every kind of work on one case; everything printed."""
    me = ("--actor", actor)
    printed: list[str] = []

    def run(*argv: str) -> str:
        status, out, err = _run(capsys, *argv, *me)
        assert status == 0, err
        printed.extend((out, err))
        return out

    case_id = run("case", "register", *store, "--youth", NUMBER, "--on", "2026-01-12")
    contact = run("case", "contact", case_id, *store, "--channel", "sms", "--outcome", "skickat")
    run("case", "measure", case_id, "offer", *store, "--type", "coaching", "--on", "2026-02-02")
    run(
        "case",
        "measure",
        case_id,
        "offer",
        *store,
        "--type",
        "study_guidance",
        "--on",
        "2026-02-02",
    )
    run("case", "measure", case_id, "start", "m1", *store, "--on", "2026-02-10")
    run("case", "measure", case_id, "decline", "m2", *store, "--on", "2026-02-03")
    run("case", "measure", case_id, "end", "m1", *store, "--on", "2026-03-10")
    run("case", "plan", case_id, "make", *store, "--on", "2026-02-05", "--goal", "Studier")
    run("case", "plan", case_id, "revise", *store, "--on", "2026-03-05", "--reason", "klar")
    run("case", "plan", case_id, "follow-up", *store, "--on", "2026-04-05")
    run("case", "consent", case_id, "ge", *store, "--counterpart", "skolan", "--on", "2026-02-05")
    run("case", "worker", case_id, "h7", *store)
    run("case", "details", case_id, *store, "--phone", "070-123 45 67")
    run("case", "correct", case_id, contact, "contact", *store, "--outcome", "returpost")
    run("case", "correct", case_id, contact, "withdraw", *store)
    run("case", "end", case_id, *store, "--on", "2026-05-02", "--reason", "examen")
    run("case", "show", case_id, *store)
    run("case", "show", case_id, *store, "--json")
    run("case", "history", case_id, *store)
    return printed


def test_every_action_is_audit_logged_with_the_actor(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    _every_action(capsys, store, "david")
    with open_store(store[1], municipality="1882", actor="x") as opened:
        entries = list(opened.audit())
    assert {e.actor for e in entries} == {"david"}
    changes = [e.purpose for e in entries if e.action.value == "record"]
    assert changes == [
        "kaa case contact",
        "kaa case measure offer",
        "kaa case measure offer",
        "kaa case measure start",
        "kaa case measure decline",
        "kaa case measure end",
        "kaa case plan make",
        "kaa case plan revise",
        "kaa case plan follow-up",
        "kaa case consent",
        "kaa case worker",
        "kaa case details",
        "kaa case correct",
        "kaa case correct",
        "kaa case end",
    ]
    reads = {(e.action.value, e.purpose) for e in entries if e.action.value != "record"}
    assert reads == {
        ("register", "kaa case register"),
        ("history", "kaa case measure offer"),  # the next measure id
        ("read", "kaa case plan revise"),  # the current plan
        ("read", "kaa case details"),  # the current details
        ("history", "kaa case correct"),  # the corrected event
        ("read", "kaa case show"),
        ("history", "kaa case history"),
    }


def test_no_whole_identity_number_appears_in_any_output_or_message(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _every_action(capsys, store, "david")
    number = IdentityNumber.parse(NUMBER)
    forms = {number.full(form) for form in ("long", "separated_long", "short", "separated")}
    text = "\n".join(printed)
    assert f"{NUMBER[:8]}-****" in text
    for form in forms:
        assert form not in text
    with open_store(store[1], municipality="1882", actor="x") as opened:
        audit = "\n".join(f"{e.detail} {e.purpose}" for e in opened.audit())
    for form in forms:
        assert form not in audit


# -- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "text", "expected"),
    [
        pytest.param(Channel, "telefon", Channel.PHONE, id="telefon is a phone call"),
        pytest.param(Channel, "Telefonsamtal", Channel.PHONE, id="the Swedish label too"),
        pytest.param(Channel, "e-post", Channel.EMAIL, id="e-post is e-mail"),
        pytest.param(Channel, "home-visit", Channel.HOME_VISIT, id="a dash for an underscore"),
        pytest.param(ContactOutcome, "nådd", ContactOutcome.REACHED, id="nådd is reached"),
        pytest.param(ContactOutcome, "Inget  svar", ContactOutcome.NO_ANSWER, id="spaces and case"),
        pytest.param(Contacted, "vårdnadshavare", Contacted.GUARDIAN, id="vårdnadshavare"),
        pytest.param(Activity, "arbete", Activity.WORK, id="arbete is work"),
        pytest.param(EndReason, "fyllt 20", EndReason.TURNED_20, id="fyllt 20 is turned 20"),
        pytest.param(
            MeasureEndReason, "genomförd", MeasureEndReason.COMPLETED, id="genomförd is completed"
        ),
        pytest.param(
            MeasureEndReason, "avbröt", MeasureEndReason.YOUTH_ENDED, id="avbröt: the youth ended"
        ),
        pytest.param(Counterpart, "AF", Counterpart.ARBETSFORMEDLINGEN, id="AF"),
        pytest.param(Counterpart, "socialtjänsten", Counterpart.SOCIAL_SERVICES, id="soc"),
        pytest.param(ConsentAction, "give", ConsentAction.GRANT, id="give is grant"),
        pytest.param(ConsentAction, "återkalla", ConsentAction.REVOKE, id="återkalla is revoke"),
        pytest.param(ConsentGiver, "ungdomen", ConsentGiver.YOUTH, id="ungdomen is the youth"),
    ],
)
def test_values_are_accepted_in_swedish_and_english(cls: type, text: str, expected: object) -> None:
    assert choice(cls)(text) is expected


def test_an_unknown_value_lists_the_english_and_swedish_words() -> None:
    with pytest.raises(
        argparse.ArgumentTypeError, match=r"one of: postcard, phone.*in Swedish: telefon"
    ):
        choice(Channel)("telefn")


def test_an_unknown_value_is_echoed_without_a_whole_identity_number() -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        choice(Channel)(NUMBER)
    assert NUMBER not in str(raised.value)


def test_every_swedish_word_names_a_value_of_its_kind() -> None:
    for cls, words in SYNONYMS.items():
        values = {str(m.value) for m in cls}
        assert set(words.values()) <= values, cls


def test_every_value_a_new_action_takes_has_a_swedish_word() -> None:
    for cls in (MeasureEndReason, Counterpart, ConsentAction, ConsentGiver):
        assert {str(m.value) for m in cls} <= set(SYNONYMS[cls].values()), cls
