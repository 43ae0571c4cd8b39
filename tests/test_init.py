"""The curated public API of :mod:`kaa`: every exported name resolves, and the convenience
wrappers ``assess``, ``membership`` and ``build_worklist`` ask the plugins (the given facade,
or :meth:`Hooks.default` when none is given)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata

import pytest

import kaa
from casefactory import case
from kaa import worklist
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import Ruling
from kaa.testing import hooks_with, skatteverket_number

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
