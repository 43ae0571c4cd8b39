"""Stockholm's plugin (:mod:`kaa.municipal.stockholm`, kommunkod 0180): it answers only for
0180, loads the measures file shipped beside it, and its measures reach the catalogue."""

from __future__ import annotations

import pytest

from kaa.municipal import stockholm
from kaa.plugins.manager import Hooks
from kaa.rules.measures import national_catalogue


@pytest.mark.parametrize(
    ("municipality", "answers"),
    [
        pytest.param("0180", True, id="Stockholm answers for 0180"),
        pytest.param("1882", False, id="Stockholm leaves Askersund to others"),
        pytest.param("0181", False, id="Stockholm leaves its neighbour Södertälje to others"),
    ],
)
def test_the_plugin_answers_only_for_its_own_kommunkod(municipality: str, answers: bool) -> None:
    assert (stockholm.kaa_measure_catalogue(municipality) is not None) is answers


def test_the_kommunkod_is_stockholms() -> None:
    assert stockholm.KOMMUNKOD == "0180"


def test_the_measures_file_loads_with_unique_ids() -> None:
    ids = [m.id for m in stockholm.measures()]
    assert "skolslussen" in ids
    assert len(ids) == len(set(ids))
    assert stockholm.measures() is stockholm.measures()


def test_the_measures_reach_the_catalogue_of_0180_only(hooks: Hooks) -> None:
    catalogue = hooks.measure_catalogue("0180")
    for definition in stockholm.measures():
        assert catalogue.get(definition.id) == definition
    only_stockholm = {m.id for m in stockholm.measures()} - {m.id for m in national_catalogue()}
    assert only_stockholm
    assert not only_stockholm & {m.id for m in hooks.measure_catalogue("1882")}


def test_without_a_published_routine_stockholm_has_the_national_timetable(hooks: Hooks) -> None:
    assert hooks.contact_timetable("0180").rule_id == "kaa.contact_timetable.national"
