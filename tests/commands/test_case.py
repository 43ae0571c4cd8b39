"""``kaa case``: register, contact, end, show and history, with values in Swedish and English."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from kaa.cli import main
from kaa.commands.case import SYNONYMS, choice
from kaa.model.case import Activity, Channel, Contacted, ContactOutcome, EndReason
from kaa.store import open_store
from kaa.testing import skatteverket_numbers

NUMBER = skatteverket_numbers()[0]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    """The --store and --municipality options of a new store; the actor is $KAA_ACTOR."""
    path = str(tmp_path / "kaa.db")
    assert main(["store", "init", path]) == 0
    monkeypatch.setenv("KAA_ACTOR", "cecilia")
    return ("--store", path, "--municipality", "1882")


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
        assert len(out) == 36  # the event id
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
    status, _, err = _run(
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
    assert status == 2
    assert "before the registration" in err


def test_another_municipalitys_case_is_not_found(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store)
    other = (store[0], store[1], "--municipality", "0180")
    status, _, err = _run(capsys, "case", "show", case_id, *other)
    assert status == 2
    assert "no case" in err


def test_every_action_is_audit_logged_with_the_actor(
    store: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    case_id = _register(capsys, store, "--actor", "david")
    _run(capsys, "case", "show", case_id, *store)
    _run(capsys, "case", "history", case_id, *store)
    with open_store(store[1], municipality="1882", actor="x") as opened:
        entries = [(e.actor, e.action.value, e.purpose) for e in opened.audit()]
    assert entries == [
        ("david", "register", "kaa case register"),
        ("cecilia", "read", "kaa case show"),
        ("cecilia", "history", "kaa case history"),
    ]


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
    ],
)
def test_values_are_accepted_in_swedish_and_english(cls: type, text: str, expected: object) -> None:
    assert choice(cls)(text) is expected


def test_an_unknown_value_lists_the_english_and_swedish_words() -> None:
    with pytest.raises(
        argparse.ArgumentTypeError, match=r"one of: postcard, phone.*in Swedish: telefon"
    ):
        choice(Channel)("telefn")


def test_every_swedish_word_names_a_value_of_its_kind() -> None:
    for cls, words in SYNONYMS.items():
        values = {str(m.value) for m in cls}
        assert set(words.values()) <= values, cls
