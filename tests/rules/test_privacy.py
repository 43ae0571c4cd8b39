"""The privacy guard: likely sensitive terms in free text are flagged, never blocked."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefactory import case, full_plan, planned
from kaa.errors import ConfigurationError
from kaa.model.case import Measure
from kaa.plugins import hookimpl
from kaa.plugins.manager import Hooks
from kaa.rules.privacy import (
    SensitiveCategory,
    SensitiveTerm,
    TermChecker,
    builtin_terms,
    check_case,
    check_cases,
    check_text,
    load_terms,
)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param(
            "Ungdomen har en ADHD-diagnos",
            ["ADHD", "diagnos"],
            id="a diagnosis is flagged as health",
        ),
        pytest.param(
            "Mår dåligt, psykiska besvär", ["psykiska"], id="an inflected word matches its stem"
        ),
        pytest.param("Går i moskén på fredagar", ["moskén"], id="a religious place is flagged"),
        pytest.param("Dömd för brott i våras", ["Dömd", "brott"], id="offences are flagged"),
        pytest.param(
            "Vill börja på el- och energiprogrammet i augusti",
            [],
            id="an ordinary goal is not flagged",
        ),
        pytest.param(
            "Praktik på Adda bygg", [], id="a term matches whole words only unless it is a stem"
        ),
        pytest.param("", [], id="empty text has nothing to flag"),
    ],
)
def test_check_text(text: str, flagged: list[str]) -> None:
    assert [w.matched for w in check_text(text, field="goal")] == flagged


def test_a_warning_says_where_and_why_and_cites_5_paragraph() -> None:
    (warning,) = check_text("Har depression", field="plan.revisions[0].goal")
    assert warning.category is SensitiveCategory.HEALTH
    assert (warning.start, warning.end) == (4, 14)
    text = str(warning)
    assert text.startswith('plan.revisions[0].goal: "depression" (characters 5–14)')
    assert "5 § förordningen om register" in text


def test_every_free_text_field_of_a_case_is_checked(hooks: Hooks) -> None:
    plan = full_plan(planned(purpose="Minska ångesten", result="Klarade praktiken trots BUP"))
    the_case = case(
        measures=(
            Measure(
                id="m1", type="work_placement", offered=planned().planned_start or plan.made_on
            ),
            Measure(
                id="m2",
                type="coaching",
                offered=plan.made_on,
                declined=True,
                decline_reason="Sjukskriven",
            ),
        ),
        plan=plan,
    )
    fields = {w.field for w in check_case(the_case, terms=hooks.sensitive_terms)}
    assert fields == {
        "measures[m2].decline_reason",
        "plan.revisions[0].measures[m1].purpose",
        "plan.revisions[0].measures[m1].result",
    }


def test_a_case_without_sensitive_text_has_no_warning(hooks: Hooks) -> None:
    assert check_case(case(plan=full_plan()), terms=hooks.sensitive_terms) == ()


class LocalTerms:
    @hookimpl
    def kaa_sensitive_terms(self, municipality: str) -> Iterable[SensitiveTerm] | None:
        if municipality != "1882":
            return None
        return [
            SensitiveTerm(term="kontaktperson*", category=SensitiveCategory.HEALTH, source="1882")
        ]


def test_a_municipality_adds_its_own_terms(hooks: Hooks) -> None:
    local = Hooks.with_plugins(LocalTerms(), load_entrypoints=False)
    the_case = case(plan=full_plan(planned(purpose="Träffa kontaktpersonen")))
    assert [w.term for w in check_case(the_case, terms=local.sensitive_terms)] == ["kontaktperson*"]
    assert check_case(the_case, terms=hooks.sensitive_terms) == ()
    assert len(local.sensitive_terms("1882")) == len(builtin_terms()) + 1


def test_terms_are_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# ours\nhealth\tkurator*\n", encoding="utf-8")
    (term,) = load_terms(path)
    assert term.source == str(path)
    assert check_text("Samtal med kuratorn", field="x", terms=[term])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("health kurator\n", "category<TAB>term", id="a line without a tab"),
        pytest.param("mood\tglad\n", "not one of", id="an unknown category"),
        pytest.param("health\tx*\n", "two letters", id="a one-letter stem would flag everything"),
    ],
)
def test_a_bad_term_file_names_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# header\n" + content, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message) as info:
        load_terms(path)
    assert info.value.key == "line 2"


def test_the_builtin_list_covers_every_category() -> None:
    assert {t.category for t in builtin_terms()} == set(SensitiveCategory)


@given(st.text(max_size=200))
def test_checking_arbitrary_text_never_fails_and_points_inside_it(text: str) -> None:
    for warning in check_text(text, field="x"):
        assert text[warning.start : warning.end] == warning.matched


def test_many_cases_are_checked_with_one_checker_per_municipality(hooks: Hooks) -> None:
    clean = case(plan=full_plan())
    flagged = case(plan=full_plan(planned(purpose="Minska ångesten")))
    found = list(check_cases([clean, flagged, clean], terms=hooks.sensitive_terms))
    assert [(c is flagged, [w.matched for w in ws]) for c, ws in found] == [(True, ["ångesten"])]


def test_a_checker_built_once_gives_the_same_warnings_as_check_text() -> None:
    checker = TermChecker(builtin_terms())
    text = "Dömd för brott, brottslig bana, ADHD-diagnos"
    assert checker.check(text, field="x") == check_text(text, field="x")
    assert [w.term for w in checker.check(text, field="x")] == [
        "dömd*",
        "brott",
        "brottslig*",
        "adhd",
        "diagnos*",
    ]
