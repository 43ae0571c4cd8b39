"""``kaa extract``: the register extract of one youth from a real store, as HTML and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaa.cli import EXIT_OUTPUT, main
from kaa.identity import IdentityNumber
from kaa.store import AuditAction, open_store

NUMBER = IdentityNumber.parse("20080812-2394")  # Skatteverket test number
WHOLE = NUMBER.full("separated_long")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.strip(), err


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, ...]:
    """A store in which the youth has an ended case and an open one, worked by "cecilia"."""
    path = str(tmp_path / "kaa.db")
    assert main(["store", "init", path]) == 0
    options = ("--store", path, "--municipality", "1882", "--actor", "cecilia")
    for registered, ended in (("2024-12-02", "2025-06-30"), ("2026-01-12", None)):
        status, case_id, err = _run(
            capsys, "case", "register", *options, "--youth", WHOLE, "--on", registered
        )
        assert status == 0, err
        status, _, err = _run(
            capsys,
            "case",
            "contact",
            case_id,
            *options,
            "--on",
            registered,
            "--channel",
            "telefon",
            "--outcome",
            "nådd",
            "--activity",
            "arbete",
        )
        assert status == 0, err
        if ended is not None:
            status, _, err = _run(
                capsys, "case", "end", case_id, *options, "--on", ended, "--reason", "fyllt 20"
            )
            assert status == 0, err
    return ("--store", path, "--municipality", "1882")


def _audit(store: tuple[str, ...], action: AuditAction, municipality: str = "1882") -> list[str]:
    with open_store(store[1], municipality=municipality, actor="x") as opened:
        return [f"{e.actor}|{e.purpose}|{e.case_id}" for e in opened.audit(action=action)]


def test_the_extract_is_written_as_html_and_json_and_logged(
    store: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, data = tmp_path / "utdrag.html", tmp_path / "utdrag.json"
    status, out, err = _run(
        capsys,
        "extract",
        *store,
        "--youth",
        WHOLE,
        "--actor",
        "anna",
        "--purpose",
        "begäran 2026-03-02",
        "-o",
        str(page),
        "--json",
        str(data),
    )
    assert status == 0, err
    assert out == ""
    assert "2 case(s), 5 event(s)" in err
    assert WHOLE not in err
    html = page.read_text(encoding="utf-8")
    assert "Registerutdrag – kommunernas aktivitetsansvar" in html
    assert WHOLE in html  # the youth's own copy
    extract = json.loads(data.read_text(encoding="utf-8"))
    assert extract["youth"] == WHOLE
    assert extract["ids_revealed"] is True
    assert [c["status"] for c in extract["cases"]] == ["ended", "open"]
    assert sum(len(c["events"]) for c in extract["cases"]) == 5
    assert page.stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o600
    case_ids = [c["case_id"] for c in extract["cases"]]
    expected = [f"anna|begäran 2026-03-02|{case_id}" for case_id in case_ids]
    assert _audit(store, AuditAction.EXTRACT) == expected
    assert _audit(store, AuditAction.REVEAL_IDS) == expected
    # The readers before the extract: cecilia's registrations and changes.
    actions = {a["action"] for c in extract["cases"] for a in c["audit"]}
    assert actions == {"register", "record"}


def test_mask_ids_writes_no_whole_number_and_logs_no_reveal(
    store: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, data = tmp_path / "utdrag.html", tmp_path / "utdrag.json"
    status, _, err = _run(
        capsys,
        "extract",
        *store,
        "--youth",
        WHOLE,
        "--mask-ids",
        "-o",
        str(page),
        "--json",
        str(data),
    )
    assert status == 0, err
    for written in (page.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")):
        for form in ("long", "separated_long", "short", "separated"):
            assert NUMBER.full(form) not in written
        assert NUMBER.masked() in written
    assert _audit(store, AuditAction.REVEAL_IDS) == []
    assert len(_audit(store, AuditAction.EXTRACT)) == 2


def test_another_municipality_finds_nothing(
    store: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "utdrag.html"
    other = (store[0], store[1], "--municipality", "0180")
    status, _, err = _run(capsys, "extract", *other, "--youth", WHOLE, "-o", str(page))
    assert status == 0, err
    assert "0 case(s)" in err
    assert "Registret innehåller inga uppgifter om dig" in page.read_text(encoding="utf-8")
    assert _audit(store, AuditAction.EXTRACT) == []
    assert len(_audit(store, AuditAction.EXTRACT, municipality="0180")) == 1


def test_a_wrong_identity_number_is_refused_and_never_shown_whole(
    store: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "utdrag.html"
    wrong = "20080812-2395"  # the check digit is wrong
    status, _, err = _run(capsys, "extract", *store, "--youth", wrong, "-o", str(page))
    assert status == 2
    assert "2395" not in err
    assert "kaa: error:" in err
    assert not page.exists()
    assert _audit(store, AuditAction.EXTRACT) == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        pytest.param("-o", "utdrag.txt", id="a page that is not .html"),
        pytest.param("--json", "utdrag.jsonl", id="a JSON file that is not .json"),
    ],
)
def test_a_wrong_file_name_is_a_usage_error(
    store: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
) -> None:
    files = {"-o": str(tmp_path / "utdrag.html"), option: str(tmp_path / value)}
    argv = [arg for pair in files.items() for arg in pair]
    status, _, err = _run(capsys, "extract", *store, "--youth", WHOLE, *argv)
    assert status == 2
    assert "must name" in err
    assert list(tmp_path.glob("utdrag*")) == []


def test_an_output_that_cannot_be_written_leaves_nothing(
    store: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "missing" / "utdrag.html"
    status, _, err = _run(capsys, "extract", *store, "--youth", WHOLE, "-o", str(page))
    assert status == EXIT_OUTPUT
    assert "does not exist" in err
    assert WHOLE not in err
    assert not page.parent.exists()
