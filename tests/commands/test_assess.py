"""``kaa assess``, run in-process: decisions for a file of youths (:mod:`kaa.commands.assess`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from exports import NUMBERS, csv_text
from kaa.cli import main
from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import Ruling

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def test_assess_writes_one_decision_per_youth(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23"])
    out, err = capsys.readouterr()
    assert status == 0
    rows = out.strip().splitlines()
    assert rows[0].startswith("id,day,in_target_group")
    assert len(rows) == 61
    assert "60 records, 0 problems" in err
    assert "rejected" in err


def test_assess_masks_numbers_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    main(["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23"])
    masked = capsys.readouterr().out
    main(["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23", "--reveal-ids"])
    revealed = capsys.readouterr().out
    first = (EXAMPLES / "youths.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    assert first not in masked
    assert first[:8] + "-" + first[8:] in revealed


def test_assess_json_to_a_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "decisions.json"
    status = main(
        [
            "assess",
            str(EXAMPLES / "youths.json"),
            "--on",
            "2026-11-23",
            "-o",
            str(target),
            "--municipality",
            "1882",
            "--quiet",
        ]
    )
    assert status == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data) == 10
    assert {len(d["reasons"]) for d in data} == {6}
    assert all(r["citation"].endswith("skollagen (2010:800)") for d in data for r in d["reasons"])
    assert [p.name for p in tmp_path.iterdir()] == ["decisions.json"]


def test_bad_rows_are_reported_and_set_the_exit_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["assess", str(EXAMPLES / "youths-with-errors.csv"), "--on", "2026-11-23"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "youths-with-errors.csv:3: column start:" in err
    assert "did you mean 0180?" in err
    assert "24 rows read, 17 accepted, 7 rejected" in err
    assert len(out.strip().splitlines()) == 1 + 6


def test_strict_stops_at_the_first_problem_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    status = main(
        [
            "assess",
            str(EXAMPLES / "youths-with-errors.csv"),
            "--on",
            "2026-11-23",
            "--strict",
            "-o",
            str(target),
        ]
    )
    assert status == 1
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert "--strict" in capsys.readouterr().err


def test_only_in_filters(capsys: pytest.CaptureFixture[str]) -> None:
    main(["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23", "--only-in"])
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert rows
    assert all(",yes," in r for r in rows)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["assess", "missing.csv"], "cannot open", id="a missing file is exit 2"),
        pytest.param(
            ["assess", str(EXAMPLES / "youths.csv"), "--municipality", "180"],
            "0180",
            id="an unknown municipality is exit 2 with a hint",
        ),
        pytest.param(
            ["assess", "README.md"], "unknown file type", id="an unknown suffix is exit 2"
        ),
    ],
)
def test_usage_errors(args: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert words in capsys.readouterr().err


def test_a_bad_day_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["assess", "x.csv", "--on", "23/11/2026"])
    assert info.value.code == 2


def test_kaa_assess_reads_a_vendor_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ist.csv"
    path.write_text(
        csv_text(
            [
                [
                    "Personnummer",
                    "Folkbokföringskommun",
                    "Grundskola avslutad",
                    "Adress",
                    "Postnummer",
                    "Postort",
                    "Skyddad identitet",
                ],
                [NUMBERS[0], "1882", "2024-06-12", "Gatan 1", "69630", "Askersund", "Ja"],
                [NUMBERS[1], "1882", "2024-13-01", "", "", "", ""],
            ]
        ),
        encoding="cp1252",
    )
    status = main(["assess", "--source", "ist", str(path), "--on", "2026-11-23"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.count("\n") == 2
    assert "yes" in out
    assert "notice:" in err
    assert "address was not kept" in err
    assert "1 rejected" in err
    assert NUMBERS[1][8:] not in err
    assert "Gatan" not in out + err


def test_kaa_assess_with_an_unknown_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", "--source", "extens", str(tmp_path / "x.csv")]) == 2
    assert "no register source named 'extens'" in capsys.readouterr().err


def test_a_file_that_fails_half_way_prints_no_partial_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "youths.csv"
    broken.write_bytes(
        (EXAMPLES / "youths.csv").read_bytes() + b"20061123-2398,residence,,,1882,\xff\xfe,,\n"
    )
    status = main(["assess", str(broken), "--on", "2026-11-23"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.startswith("kaa: error:")


# --- the engines ------------------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "extra",
    [[], ["--reveal-ids"], ["--only-in"], ["--municipality", "1882"], ["--format", "json"]],
    ids=["plain", "whole numbers", "only in", "one municipality", "json"],
)
@pytest.mark.parametrize("day", ["2017-03-01", "2020-05-05", "2026-11-23"])
def test_both_engines_write_the_same_bytes(
    extra: list[str], day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("polars")
    args = ["assess", str(EXAMPLES / "youths.csv"), "--on", day, *extra]
    reference = _run([*args, "--engine", "reference"], capsys)
    columnar = _run([*args, "--engine", "columnar"], capsys)
    auto = _run(args, capsys)
    assert columnar == reference
    assert auto == reference


def test_engine_columnar_refuses_what_it_cannot_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = _run(
        ["assess", str(EXAMPLES / "youths.json"), "--on", "2026-11-23", "--engine", "columnar"],
        capsys,
    )
    assert status == 2
    assert out == ""
    assert "--engine columnar: the columnar engine reads only the canonical CSV" in err


class _PerYouthOnly:
    """A municipality's plugin that answers the open questions youth by youth only."""

    @hookimpl
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> Ruling | None:
        if enrolment.school_form is SchoolForm.KOMVUX:
            return Ruling(True, "komvux counts here")
        return None


class _Both(_PerYouthOnly):
    """The same plugin with its table too."""

    @hookimpl
    def kaa_equivalence_rulings(
        self, municipality: str | None, day: dt.date
    ) -> dict[tuple[SchoolForm, Programme], Ruling]:
        return {(SchoolForm.KOMVUX, p): Ruling(True, "komvux counts here") for p in Programme}


@pytest.mark.parametrize(
    ("plugin", "noted"),
    [(_PerYouthOnly(), True), (_Both(), False)],
    ids=["a per-youth plugin sends the run down the reference path", "a table plugin does not"],
)
def test_a_plugin_that_answers_youth_by_youth_takes_the_reference_path(
    plugin: object, noted: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("polars")
    hooks = Hooks.with_plugins(plugin, load_entrypoints=False)
    monkeypatch.setattr(Hooks, "default", classmethod(lambda cls: hooks))
    args = ["assess", str(EXAMPLES / "youths.csv"), "--on", "2026-11-23"]
    status, out, err = _run(args, capsys)
    assert status == 0
    assert ("deciding youth by youth (reference engine)" in err) is noted
    assert err.count("note:") == (1 if noted else 0)
    assert "komvux counts here" in out
    assert _run([*args, "--engine", "reference"], capsys)[1] == out
