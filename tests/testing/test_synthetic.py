"""The synthetic register of :mod:`kaa.testing.synthetic`: plans and consents, neutral text,
determinism."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kaa.adapters import SourceSummary, open_source
from kaa.dated import add, birthday
from kaa.model.case import Activity, Case, RegistrationReason
from kaa.model.documentation import ConsentAction, ConsentGiver
from kaa.period import HalfYear
from kaa.plugins.manager import Hooks
from kaa.rules.consent import may_share
from kaa.rules.plan import DocumentationItem, check_plan, next_follow_up_due
from kaa.rules.privacy import check_cases
from kaa.testing import synthetic
from kaa.testing.synthetic import (
    _IST_ACTIVITIES,
    _IST_FORMS,
    _IST_REASONS,
    IST_EXPORT_COLUMNS,
    _month_after,
    ist_export_rows,
    synthetic_cases,
)

PERIOD = HalfYear(2026, 2)
YEAR_END = dt.date(2026, 12, 31)


@pytest.fixture(scope="module")
def register() -> list[Case]:
    return list(synthetic_cases(600, period=PERIOD, seed=1882))


def test_most_cases_with_a_measure_have_a_plan_and_only_those(register: list[Case]) -> None:
    with_measure = [c for c in register if c.measures]
    planned = [c for c in register if c.plan is not None]
    assert all(c.measures for c in planned)
    assert 0.55 < len(planned) / len(with_measure) < 0.85


def test_plans_are_complete_or_lack_items(register: list[Case], hooks: Hooks) -> None:
    catalogue = hooks.measure_catalogue("1882")
    results = [check_plan(c, catalogue=catalogue) for c in register if c.plan is not None]
    complete = [r for r in results if r.complete]
    lacking = {i for r in results for i in r.missing_items()}
    assert 0.3 < len(complete) / len(results) < 0.8
    assert {
        DocumentationItem.GOAL_AND_PLANNING,
        DocumentationItem.MUNICIPALITY_RESPONSIBLE,
        DocumentationItem.START_AND_END,
        DocumentationItem.END_REASON,
        DocumentationItem.FOLLOW_UP,
    } <= lacking


def test_some_plans_are_revised_and_follow_ups_are_held_or_overdue(
    register: list[Case], hooks: Hooks
) -> None:
    plans = [c for c in register if c.plan is not None]
    assert any(len(c.plan.revisions) > 1 for c in plans if c.plan is not None)
    dues = [next_follow_up_due(c, on=YEAR_END, policy=hooks.plan_follow_up_policy) for c in plans]
    assert any(d is not None and d < YEAR_END for d in dues)  # overdue
    assert any(d is not None and d >= YEAR_END for d in dues)  # followed up in time


def test_most_youths_with_a_plan_consented_and_guardians_for_minors(register: list[Case]) -> None:
    plans = [c for c in register if c.plan is not None]
    consenting = [c for c in plans if c.consents]
    assert len(consenting) / len(plans) > 0.6
    assert all(len({e.counterpart for e in c.consents}) >= 2 for c in consenting)
    minors = [
        c
        for c in consenting
        if (born := c.youth.id.birth_date) is not None and c.consents[0].day < birthday(born, 18)
    ]
    assert minors
    assert all(any(e.given_by is ConsentGiver.GUARDIAN for e in c.consents) for c in minors)
    shared = 0
    for c in consenting:
        grants = [e for e in c.consents if e.action is ConsentAction.GRANT]
        last_grant = max(e.day for e in grants)
        if c.open_on(last_grant) and not any(e.action is ConsentAction.REVOKE for e in c.consents):
            event = grants[0]
            assert may_share(c, event.counterpart, on=last_grant, name=event.name), c.id
            shared += 1
    assert shared


def test_the_free_text_is_neutral(register: list[Case], hooks: Hooks) -> None:
    assert list(check_cases(register, terms=hooks.sensitive_terms)) == []


def test_the_same_seed_gives_the_same_register() -> None:
    first = list(synthetic_cases(150, period=PERIOD, seed=7, unique=True))
    again = list(synthetic_cases(150, period=PERIOD, seed=7, unique=True))
    other = list(synthetic_cases(150, period=PERIOD, seed=8, unique=True))
    assert first == again
    assert [c.plan for c in first] != [c.plan for c in other]


def test_a_month_after_is_the_calendar_month_of_the_follow_up_policy() -> None:
    day = dt.date(2024, 1, 1)
    while day < dt.date(2029, 1, 1):
        assert _month_after(day) == add(day, months=1), day
        day += dt.timedelta(days=1)


def test_the_ist_export_rows_read_back_through_the_ist_profile(tmp_path: Path) -> None:
    register = list(synthetic_cases(300, period=PERIOD, seed=1488))
    path = tmp_path / "ist.csv"
    rows = [row for c in register for row in ist_export_rows(c.youth, c, on=YEAR_END)]
    with path.open("w", encoding="cp1252", newline="") as f:
        for row in (IST_EXPORT_COLUMNS, *rows):
            f.write(";".join(row) + "\r\n")
    summary = SourceSummary(file=str(path))
    records = list(open_source("ist", path, summary=summary, reference_day=YEAR_END))
    assert summary.rows_rejected == 0
    assert summary.notices == []  # every column is one the profile reads
    assert len(records) == len(register)
    for case, record in zip(register, records, strict=True):
        read = record.case
        assert read is not None
        reason = case.registration.reason
        assert read.registration.reason is (
            reason if reason in _IST_REASONS else RegistrationReason.MISSING
        )
        activity = case.registration.activity
        assert read.registration.activity is (
            activity if activity in _IST_ACTIVITIES else Activity.UNKNOWN
        )
        assert read.end == case.end
        coded = [e for e in case.youth.enrolments if e.school_form in _IST_FORMS]
        assert [(e.school_form, e.start, e.end, e.cancelled) for e in read.youth.enrolments] == [
            (e.school_form, e.start, e.end, e.cancelled) for e in coded
        ]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        pytest.param(("GY", "Gymnsaium"), "does not read 'Gymnsaium' as a school_form", id="typo"),
        pytest.param(("GY", "Gymnasium"), "'GY' and 'Gymnasium' are both", id="two for one"),
    ],
)
def test_a_word_the_ist_profile_does_not_read_as_one_value_is_refused(
    monkeypatch: pytest.MonkeyPatch, words: tuple[str, ...], message: str
) -> None:
    monkeypatch.setitem(synthetic._IST_WORDS, "school_form", words)
    with pytest.raises(LookupError, match=message):
        synthetic._ist_words("school_form")
