"""The national default's table for the open questions of T3 (:mod:`kaa.columnar.national`)."""

from __future__ import annotations

import datetime as dt

import pytest

from kaa.columnar.national import national_rulings
from kaa.identity import IdentityNumber
from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
from kaa.plugins.manager import Hooks
from kaa.rules.target_group import national_equivalence

DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("form", list(SchoolForm), ids=lambda f: f.value)
def test_the_table_is_the_per_youth_default_for_every_programme(form: SchoolForm) -> None:
    table = national_rulings(DAY)
    youth = Youth(id=IdentityNumber.parse("200611202383"))
    for programme in Programme:
        enrolment = Enrolment(school_form=form, programme=programme, start=DAY)
        if form in (
            SchoolForm.GYMNASIESKOLA,
            SchoolForm.ANPASSAD_GYMNASIESKOLA,
            SchoolForm.EQUIVALENT,
        ):
            assert (form, programme) not in table  # decided by the rule itself
        else:
            assert table[(form, programme)] == national_equivalence(youth, enrolment, DAY)
            assert table[(form, programme)].counts is False


def test_the_table_is_registered_as_a_built_in_plugin() -> None:
    hooks = Hooks.with_plugins(load_entrypoints=False)
    assert "kaa.columnar.national" in hooks.plugin_names()
    assert hooks.equivalence_rulings("1882", DAY) == national_rulings(DAY)
