"""The curated public API of :mod:`kaa`: every exported name resolves, and the convenience
wrappers ``assess``, ``membership`` and ``build_worklist`` ask the plugins (the given facade,
or :meth:`Hooks.default` when none is given)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import runpy
from pathlib import Path

import griffe
import pytest

import kaa
from casefactory import case
from kaa import worklist
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import Ruling
from kaa.testing import hooks_with, skatteverket_number

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
DAY = D(2025, 1, 15)
FOLKHOGSKOLA_YOUTH = Youth(
    id=skatteverket_number(D(2007, 3, 2)),
    residences=(Residence(municipality="1882"),),
    compulsory_school_completed=D(2023, 6, 10),
    enrolments=(
        Enrolment(
            school_form=SchoolForm.FOLKHOGSKOLA,
            programme=Programme.GENERAL_COURSE,
            start=D(2024, 8, 19),
        ),
    ),
)
"""In the target group nationally; out of it where a folkhögskola course counts."""


class FolkhogskolaCounts:
    """A municipality decides that a folkhögskola course counts as equivalent education."""

    @hookimpl
    def kaa_counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> Ruling | None:
        if enrolment.school_form is SchoolForm.FOLKHOGSKOLA:
            return Ruling(True, "kommunens beslut")
        return None


@pytest.mark.parametrize("name", kaa.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(kaa, name) is not None


def test_the_version_is_the_distributions() -> None:
    assert kaa.__version__ == importlib.metadata.version("kaa")


def test_assess_asks_the_given_plugins() -> None:
    assert kaa.assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=hooks_with()).in_target_group
    local = kaa.assess(FOLKHOGSKOLA_YOUTH, on=DAY, hooks=hooks_with(FolkhogskolaCounts()))
    assert not local.in_target_group
    assert [r.condition.code for r in local.failed] == ["T3"]


def test_assess_passes_the_municipality_asking() -> None:
    decision = kaa.assess(FOLKHOGSKOLA_YOUTH, on=DAY, municipality="0180", hooks=hooks_with())
    assert not decision.in_target_group
    assert [r.condition.code for r in decision.failed] == ["T6"]


def test_membership_asks_the_given_plugins() -> None:
    first, last = D(2025, 1, 1), D(2025, 1, 31)
    national = kaa.membership(FOLKHOGSKOLA_YOUTH, first, last, hooks=hooks_with())
    assert national.intervals == ((first, last),)
    local = kaa.membership(FOLKHOGSKOLA_YOUTH, first, last, hooks=hooks_with(FolkhogskolaCounts()))
    assert not local.any_day


def test_without_a_facade_the_wrappers_ask_the_default_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = hooks_with(FolkhogskolaCounts())
    monkeypatch.setattr(Hooks, "default", classmethod(lambda cls: local))
    assert not kaa.assess(FOLKHOGSKOLA_YOUTH, on=DAY).in_target_group
    assert not kaa.membership(FOLKHOGSKOLA_YOUTH, D(2025, 1, 1), D(2025, 1, 31)).any_day
    cases = [case()]
    assert kaa.build_worklist(cases, on=D(2026, 9, 10)) == worklist.build_worklist(
        cases, on=D(2026, 9, 10), hooks=local
    )


def test_build_worklist_is_the_worklist_under_the_plugins_timetables(hooks: Hooks) -> None:
    cases = [case(), case(municipality="0180")]
    on = D(2026, 9, 10)
    assert kaa.build_worklist(cases, on=on, hooks=hooks) == worklist.build_worklist(
        cases, on=on, hooks=hooks
    )


# --- the public API refuses mistakes at the boundary, naming the argument -----------------------

YOUTH = FOLKHOGSKOLA_YOUTH
ID_TEXT = "20070302-2387"


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        pytest.param(
            lambda: kaa.assess(YOUTH, on=DAY, municipality=180),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["municipality", "text", "int"],
            id="an int kommunkod is refused, not answered 'out: T6'",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on=DAY, municipality=1882),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["municipality", "int"],
            id="even an int that would be a real kommunkod as text is refused",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on=DAY, municipality="9999"),
            kaa.UnknownMunicipality,
            ["municipality", "9999"],
            id="an unknown kommunkod is refused, not answered 'out: T6'",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on=DAY, municipality="180"),
            kaa.UnknownMunicipality,
            ["municipality", "0180"],
            id="a kommunkod that lost its leading zero is refused with a hint",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on="2025-01-15"),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["on", "datetime.date", "str", "fromisoformat"],
            id="a string day is refused with how to write a date",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on=dt.datetime(2025, 1, 15, 9)),
            kaa.InvalidInput,
            ["on", "datetime.datetime", ".date()"],
            id="a datetime is refused: comparing it with a day would fail later",
        ),
        pytest.param(
            lambda: kaa.assess(ID_TEXT, on=DAY),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["youth", "Youth", "str"],
            id="an identity number given for the youth is refused",
        ),
        pytest.param(
            lambda: kaa.assess(YOUTH, on=DAY, hooks=object()),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["hooks", "Hooks"],
            id="something that is not the plugin facade is refused as hooks",
        ),
        pytest.param(
            lambda: kaa.membership(YOUTH, "2025-01-01", DAY),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["first_day", "str"],
            id="membership refuses a string first day",
        ),
        pytest.param(
            lambda: kaa.membership(YOUTH, D(2025, 1, 1), DAY, municipality="9999"),
            kaa.UnknownMunicipality,
            ["municipality"],
            id="membership refuses an unknown kommunkod",
        ),
        pytest.param(
            lambda: kaa.build_worklist([case()], on="2025-01-15"),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["on", "str"],
            id="build_worklist refuses a string day",
        ),
        pytest.param(
            lambda: kaa.build_worklist(case(), on=DAY),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["cases", "iterable of Case"],
            id="build_worklist refuses one case where a list of cases belongs",
        ),
        pytest.param(
            lambda: kaa.build_worklist([case(), YOUTH], on=DAY),  # type: ignore[list-item]
            kaa.InvalidInput,
            ["cases[1]", "Youth"],
            id="build_worklist names the item of the cases that is no case",
        ),
        pytest.param(
            lambda: kaa.build_worklist([case()], on=DAY, window="14"),  # type: ignore[arg-type]
            kaa.InvalidInput,
            ["window", "int", "str"],
            id="build_worklist refuses a string window",
        ),
        pytest.param(
            lambda: kaa.build_worklist([case()], on=DAY, window=True),
            kaa.InvalidInput,
            ["window", "bool"],
            id="build_worklist does not take a bool for a number",
        ),
    ],
)
def test_a_wrong_argument_is_refused_naming_it(
    call: object, error: type[Exception], names: list[str]
) -> None:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    for word in names:
        assert word in str(raised.value)
    assert ID_TEXT not in str(raised.value)


def test_the_right_arguments_still_give_the_answer() -> None:
    assert kaa.assess(YOUTH, on=DAY, municipality="1882").outcome is kaa.Outcome.IN
    assert kaa.assess(YOUTH, on=DAY, municipality="0180").failed[0].condition.code == "T6"


def test_build_worklist_still_streams_the_cases() -> None:
    read: list[int] = []

    def stream() -> object:
        for number in range(3):
            read.append(number)
            yield case()

    kaa.build_worklist(stream(), on=DAY)  # type: ignore[arg-type]
    assert read == [0, 1, 2]


# --- the reference documents every public name ----------------------------------------------------


def test_every_name_in_a_public_modules_all_has_a_docs_entry() -> None:
    """Each public module has a generated reference page (tests/test_reference_pages.py) that
    renders its ``__all__`` with mkdocstrings; a name shows there with its docstring, so a
    name without one has no docs entry. Checked the way mkdocstrings reads the source
    (griffe: a constant's docstring is the string under it)."""
    script = runpy.run_path(str(ROOT / "scripts" / "regenerate_reference.py"))
    package = griffe.load("kaa", search_paths=[str(ROOT / "src")], resolve_aliases=True)
    undocumented = []
    for name in script["public_modules"]():
        exported = getattr(importlib.import_module(name), "__all__", ())
        node = package.modules_collection[name]
        for member in exported:
            if member.startswith("__"):
                continue
            try:
                docstring = node[member].docstring
            except KeyError:  # exported, but not found where the docs tool reads the source
                docstring = None
            if docstring is None or not docstring.value.strip():
                undocumented.append(f"{name}.{member}")
    assert undocumented == [], "give each a docstring (a constant: a string under it)"
