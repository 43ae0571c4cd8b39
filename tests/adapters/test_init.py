"""The source hook, the registry helpers, merging across sources and the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from exports import NUMBERS, csv_text
from kaa.adapters import (
    Origin,
    RegisterSource,
    SourceRecord,
    available_sources,
    combine,
    get_source,
    merge_records,
    open_source,
)
from kaa.cli import main
from kaa.errors import InvalidInput, PluginError
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Address, Case, ContactDetails, Registration
from kaa.model.youth import HomeBasis, Residence, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks

DAY = dt.date(2026, 11, 23)
A = IdentityNumber.parse(NUMBERS[0])


@attrs.frozen
class OneYouthSource:
    """A toy source that yields one youth for any file."""

    name: str = "toy"
    description: str = "one youth, always"

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        summary.rows_read += 1
        summary.rows_accepted += 1
        summary.records += 1
        yield SourceRecord(
            youth=Youth(id=A), origin=Origin(source=self.name, file=str(path), lines=(1,))
        )


class Registers:
    def __init__(self, *sources: object) -> None:
        self.sources = sources

    @hookimpl
    def kaa_register_sources(self, register: Callable[[RegisterSource], None]) -> None:
        for source in self.sources:
            register(source)  # type: ignore[arg-type]


def test_a_plugin_adds_a_source_used_by_name(tmp_path: Path) -> None:
    hooks = Hooks.with_plugins(Registers(OneYouthSource()), load_entrypoints=False)
    assert "toy" in available_sources(hooks)
    assert isinstance(get_source("toy", hooks), RegisterSource)
    (record,) = open_source("toy", tmp_path / "x", hooks=hooks)
    assert record.youth.id == A


@pytest.mark.parametrize(
    ("plugin", "words"),
    [
        pytest.param(
            Registers(OneYouthSource(name="ist")),
            "registered twice",
            id="a second source named like a built-in one is refused",
        ),
        pytest.param(
            Registers(object()),
            "needs an object with name",
            id="something that is not a source is refused",
        ),
    ],
)
def test_a_misbehaving_source_plugin_is_reported(plugin: object, words: str) -> None:
    hooks = Hooks.with_plugins(plugin, load_entrypoints=False)
    with pytest.raises(PluginError, match=words):
        available_sources(hooks)


def test_an_unknown_source_lists_the_available_ones() -> None:
    with pytest.raises(InvalidInput, match="available: ber, canonical"):
        get_source("extens")


def test_the_builtin_sources_answer_last() -> None:
    pm = Hooks.with_plugins(load_entrypoints=False).pm
    (impl,) = [
        i
        for i in pm.hook.kaa_register_sources.get_hookimpls()
        if i.plugin_name == "kaa.adapters.builtin"
    ]
    assert impl.trylast


def record(
    youth: Youth,
    *,
    details: ContactDetails | None = None,
    file: str = "a.csv",
    case: Case | None = None,
) -> SourceRecord:
    return SourceRecord(
        youth=youth,
        origin=Origin(source="x", file=file, lines=(2,)),
        contact_details=details,
        case=case,
    )


HOME = Residence(municipality="1882")
ADDRESS = Address(street="Storgatan 1", postal_code="69630", city="Askersund")


@pytest.mark.parametrize(
    ("first", "second", "check"),
    [
        pytest.param(
            record(Youth(id=A, residences=(HOME,))),
            record(Youth(id=A, compulsory_school_completed=dt.date(2024, 6, 12))),
            lambda r: (
                r.youth.residences == (HOME,)
                and r.youth.compulsory_school_completed == dt.date(2024, 6, 12)
            ),
            id="facts known in only one record are combined",
        ),
        pytest.param(
            record(Youth(id=A), details=ContactDetails(phone="070-1", address=ADDRESS)),
            record(Youth(id=A, residences=(attrs.evolve(HOME, basis=HomeBasis.PROTECTED),))),
            lambda r: r.youth.has_protected_identity and r.contact_details.address is None,
            id="protected identity in either record drops the address",
        ),
        pytest.param(
            record(
                Youth(id=A),
                case=Case(
                    youth=Youth(id=A),
                    municipality="1882",
                    registration=Registration(day=dt.date(2026, 1, 5)),
                ),
            ),
            record(Youth(id=A, residences=(HOME,))),
            lambda r: r.case is not None and r.case.youth.residences == (HOME,),
            id="the case follows the merged youth",
        ),
    ],
)
def test_compatible_records_are_merged(
    first: SourceRecord, second: SourceRecord, check: Callable[[SourceRecord], bool]
) -> None:
    merged = merge_records(first, second)
    assert check(merged)
    assert merged.merged_from == (second.origin,)


def test_records_that_disagree_are_reported_and_the_first_kept() -> None:
    first = record(Youth(id=A, compulsory_school_completed=dt.date(2024, 6, 12)))
    second = record(Youth(id=A, compulsory_school_completed=dt.date(2023, 6, 10)), file="b.csv")
    summary = ReadSummary(file="combined")
    (kept,) = combine([first], [second], summary=summary)
    assert kept is first
    (problem,) = summary.problems
    assert problem.file == "b.csv"
    assert "day compulsory school was completed differs from a.csv line 2" in problem.message
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (2, 1, 1)


def test_kaa_sources_lists_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    for name in ("ist", "ber", "hypernet", "ss12000", "canonical"):
        assert f"\n{name} " in f"\n{out}"


def test_kaa_sources_shows_a_profile_with_a_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nid = "Elev-ID"\n', encoding="utf-8")
    assert main(["sources", "ist", "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "Elev-ID" in out
    assert str(mapping) in out


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


@pytest.mark.parametrize("name", ["ss12000", "scb", "canonical"])
def test_kaa_sources_explains_sources_without_a_column_profile(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", name]) == 0
    assert "no column profile" in capsys.readouterr().out
