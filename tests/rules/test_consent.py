"""Consent: who may be told what, on which day — always with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefactory import ADULT_BORN, REGISTERED, case
from kaa.errors import InvalidInput
from kaa.model.documentation import ConsentAction, ConsentEvent, ConsentGiver, Counterpart
from kaa.rules.consent import may_share

D = dt.date
GRANT, REVOKE = ConsentAction.GRANT, ConsentAction.REVOKE
YOUTH, GUARDIAN = ConsentGiver.YOUTH, ConsentGiver.GUARDIAN
MINOR = D(2009, 6, 1)  # turns 18 on 2027-06-01


def grant(
    day: dt.date,
    counterpart: Counterpart = Counterpart.SCHOOL,
    *,
    name: str | None = None,
    by: ConsentGiver = YOUTH,
) -> ConsentEvent:
    return ConsentEvent(day=day, action=GRANT, counterpart=counterpart, name=name, given_by=by)


def revoke(
    day: dt.date,
    counterpart: Counterpart = Counterpart.SCHOOL,
    *,
    name: str | None = None,
    by: ConsentGiver = YOUTH,
) -> ConsentEvent:
    return ConsentEvent(day=day, action=REVOKE, counterpart=counterpart, name=name, given_by=by)


@pytest.mark.parametrize(
    ("born", "events", "counterpart", "name", "on", "end", "allowed", "reason"),
    [
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 2, 1),
            None,
            True,
            "consent for skola given by ungdomen on 2026-02-01",
            id="an adult's consent to the school allows sharing from the day it is given",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 1, 31),
            None,
            False,
            "no consent covers skola",
            id="sharing the day before consent is refused",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1)), revoke(D(2026, 3, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 3, 1),
            None,
            False,
            "ungdomen revoked consent for skola on 2026-03-01",
            id="sharing from the day of revocation is refused",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1)), revoke(D(2026, 3, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 2, 28),
            None,
            True,
            "given by ungdomen on 2026-02-01",
            id="sharing the day before revocation is allowed",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1)), revoke(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 2, 1),
            None,
            False,
            "revoked",
            id="a revocation on the same day as the consent wins",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1)), revoke(D(2026, 3, 1)), grant(D(2026, 4, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 4, 1),
            None,
            True,
            "on 2026-04-01",
            id="consent given again after a revocation allows sharing again",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 5, 1),
            D(2026, 5, 1),
            False,
            "KAA ended 2026-05-01",
            id="sharing after KAA ended is refused even with consent",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 1, 5),
            None,
            False,
            "not in KAA until 2026-01-12",
            id="sharing before the youth is registered is refused",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SOCIAL_SERVICES,
            None,
            D(2026, 3, 1),
            None,
            False,
            "no consent covers socialtjänsten",
            id="consent to the school does not cover social services",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1), Counterpart.RELATIVE, name="Moster Eva")],
            Counterpart.RELATIVE,
            "moster  eva",
            D(2026, 3, 1),
            None,
            True,
            "förälder eller annan anhörig (moster  eva)",
            id="consent to a named relative covers that relative, whatever the case or spacing",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1), Counterpart.RELATIVE, name="Moster Eva")],
            Counterpart.RELATIVE,
            "Morbror Jan",
            D(2026, 3, 1),
            None,
            False,
            "no consent covers",
            id="consent to one relative does not cover another",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1), Counterpart.RELATIVE, name="Moster Eva")],
            Counterpart.RELATIVE,
            None,
            D(2026, 3, 1),
            None,
            False,
            "say who",
            id="sharing with an unnamed relative is refused",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1), name="Alléskolan")],
            Counterpart.SCHOOL,
            "Åsa skola",
            D(2026, 3, 1),
            None,
            False,
            "no consent covers skola (Åsa skola)",
            id="consent naming one school does not cover another school",
        ),
        pytest.param(
            ADULT_BORN,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            "Alléskolan",
            D(2026, 3, 1),
            None,
            True,
            "skola (Alléskolan)",
            id="consent to schools without a name covers a named school",
        ),
        pytest.param(
            MINOR,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2026, 3, 1),
            None,
            False,
            "no consent from vårdnadshavare covers skola (the youth is under 18)",
            id="a youth under 18 needs the guardian's consent too",
        ),
        pytest.param(
            MINOR,
            [grant(D(2026, 2, 1)), grant(D(2026, 2, 3), by=GUARDIAN)],
            Counterpart.SCHOOL,
            None,
            D(2026, 3, 1),
            None,
            True,
            "ungdomen on 2026-02-01 and vårdnadshavare on 2026-02-03",
            id="a youth under 18 with the guardian's consent may be shared about",
        ),
        pytest.param(
            MINOR,
            [
                grant(D(2026, 2, 1)),
                grant(D(2026, 2, 3), by=GUARDIAN),
                revoke(D(2026, 4, 1), by=GUARDIAN),
            ],
            Counterpart.SCHOOL,
            None,
            D(2026, 4, 2),
            None,
            False,
            "vårdnadshavare revoked consent for skola on 2026-04-01",
            id="a guardian's revocation stops sharing about a youth under 18",
        ),
        pytest.param(
            MINOR,
            [grant(D(2026, 2, 1)), revoke(D(2026, 4, 1), by=GUARDIAN)],
            Counterpart.SCHOOL,
            None,
            D(2027, 6, 1),
            None,
            True,
            "given by ungdomen on 2026-02-01",
            id="from the 18th birthday the youth's own consent is enough",
        ),
        pytest.param(
            MINOR,
            [grant(D(2026, 2, 1))],
            Counterpart.SCHOOL,
            None,
            D(2027, 5, 31),
            None,
            False,
            "under 18",
            id="the day before the 18th birthday the guardian must still consent",
        ),
    ],
)
def test_may_share(
    born: dt.date,
    events: list[ConsentEvent],
    counterpart: Counterpart,
    name: str | None,
    on: dt.date,
    end: dt.date | None,
    allowed: bool,
    reason: str,
) -> None:
    the_case = case(born=born, measures=(), consents=tuple(events), end=end)
    decision = may_share(the_case, counterpart, on=on, name=name)
    assert decision.allowed is allowed
    assert bool(decision) is allowed
    assert reason in decision.reason
    assert (decision.grants != ()) is allowed


def test_a_relative_or_other_counterpart_must_be_named_in_the_consent() -> None:
    with pytest.raises(InvalidInput, match="must name who"):
        ConsentEvent(day=D(2026, 2, 1), action=GRANT, counterpart=Counterpart.OTHER)


def test_the_name_of_a_relative_is_hidden_in_repr() -> None:
    event = grant(D(2026, 2, 1), Counterpart.RELATIVE, name="Moster Eva")
    assert "Eva" not in repr(event)
    assert "<hidden>" in repr(event)


events = st.lists(
    st.builds(
        ConsentEvent,
        day=st.dates(min_value=REGISTERED, max_value=D(2026, 12, 31)),
        action=st.sampled_from(ConsentAction),
        counterpart=st.just(Counterpart.SCHOOL),
        given_by=st.just(YOUTH),
    ),
    max_size=8,
)
days = st.dates(min_value=REGISTERED - dt.timedelta(days=30), max_value=D(2027, 3, 31))


def _expected(history: list[ConsentEvent], on: dt.date) -> bool:
    """The model: the latest event on or before the day decides; revocation wins a tie."""
    state = False
    for day in sorted({e.day for e in history if e.day <= on}):
        actions = {e.action for e in history if e.day == day}
        state = ConsentAction.REVOKE not in actions
    return state


@given(
    history=events,
    on=days,
    after=st.none() | st.integers(min_value=0, max_value=90),
)
def test_sharing_follows_the_latest_grant_or_revocation_while_in_kaa(
    history: list[ConsentEvent], on: dt.date, after: int | None
) -> None:
    last_event = max((e.day for e in history), default=REGISTERED)
    end = None if after is None else last_event + dt.timedelta(days=after)
    the_case = case(measures=(), consents=tuple(history), end=end)
    decision = may_share(the_case, Counterpart.SCHOOL, on=on)
    in_kaa = on >= REGISTERED and (end is None or on < end)
    assert decision.allowed == (in_kaa and _expected(history, on))
    assert decision.reason


@given(history=events, on=days)
def test_sharing_is_never_allowed_without_a_grant_on_or_before_the_day(
    history: list[ConsentEvent], on: dt.date
) -> None:
    the_case = case(measures=(), consents=tuple(history))
    decision = may_share(the_case, Counterpart.SCHOOL, on=on)
    if decision.allowed:
        assert any(e.action is GRANT and e.day <= on for e in history)
        assert all(g.day <= on and g.action is GRANT for g in decision.grants)


@given(history=events, on=days)
def test_consent_to_the_school_never_covers_anyone_else(
    history: list[ConsentEvent], on: dt.date
) -> None:
    the_case = case(measures=(), consents=tuple(history))
    for counterpart in Counterpart:
        if counterpart is Counterpart.SCHOOL:
            continue
        name = "Någon" if counterpart.needs_name else None
        assert not may_share(the_case, counterpart, on=on, name=name).allowed


@given(history=events, on=days, extra=st.dates(min_value=REGISTERED, max_value=D(2027, 3, 31)))
def test_a_later_revocation_never_turns_a_refusal_into_permission(
    history: list[ConsentEvent], on: dt.date, extra: dt.date
) -> None:
    before = may_share(case(measures=(), consents=tuple(history)), Counterpart.SCHOOL, on=on)
    after = may_share(
        case(measures=(), consents=(*history, revoke(extra))), Counterpart.SCHOOL, on=on
    )
    assert not (after.allowed and not before.allowed)


@pytest.mark.parametrize(
    ("day", "end"),
    [
        pytest.param(D(2026, 1, 11), None, id="consent dated before the registration is refused"),
        pytest.param(D(2026, 6, 2), D(2026, 6, 1), id="consent dated after KAA ended is refused"),
    ],
)
def test_consent_outside_kaa_is_refused(day: dt.date, end: dt.date | None) -> None:
    with pytest.raises(InvalidInput, match="outside KAA"):
        case(measures=(), consents=(grant(day),), end=end)
