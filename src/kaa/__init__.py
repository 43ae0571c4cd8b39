"""kaa — kommunernas aktivitetsansvar as code.

The municipality's duty (29 kap. 9 § skollagen) to keep track of every youth under 20 who
has left compulsory school without being in, or having completed, upper-secondary school:
who is in the target group on a day and why, with statute citations and every dated change of
the law.

    >>> import datetime as dt
    >>> import kaa
    >>> youth = kaa.Youth(
    ...     id=kaa.IdentityNumber.parse("200808122394"),
    ...     residences=(kaa.Residence(municipality="1882"),),
    ...     compulsory_school_completed=dt.date(2024, 6, 12),
    ... )
    >>> decision = kaa.assess(youth, on=dt.date(2026, 11, 23))
    >>> decision.in_target_group, decision.youth
    (True, IdentityNumber('20080812-****'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from kaa import worklist as _worklist
from kaa.dated import Timeline, Version
from kaa.errors import (
    ConfigurationError,
    InvalidIdentityNumber,
    InvalidInput,
    KaaError,
    PluginError,
    RuleNotInForce,
    StructureError,
    UnknownMunicipality,
)
from kaa.identity import IdentityKind, IdentityNumber, Sex
from kaa.law import Citation, DocumentReference
from kaa.model.case import Case
from kaa.model.checks import require_date, require_instance
from kaa.model.youth import (
    Enrolment,
    HomeBasis,
    Programme,
    Qualification,
    QualificationKind,
    Residence,
    SchoolForm,
    Youth,
)
from kaa.municipalities import Municipality, municipality
from kaa.period import HalfYear, Year
from kaa.plugins.manager import Hooks, make_plugin_manager
from kaa.rules import target_group as _target_group
from kaa.rules.consent import may_share
from kaa.rules.contact import Timetable
from kaa.rules.plan import check_plan
from kaa.rules.target_group import Condition, Decision, Membership, Outcome, Reason
from kaa.store.base import StoredCase
from kaa.worklist import Worklist

__version__ = "0.1.0"

__all__ = [
    "Citation",
    "Condition",
    "ConfigurationError",
    "Decision",
    "DocumentReference",
    "Enrolment",
    "HalfYear",
    "HomeBasis",
    "Hooks",
    "IdentityKind",
    "IdentityNumber",
    "InvalidIdentityNumber",
    "InvalidInput",
    "KaaError",
    "Membership",
    "Municipality",
    "Outcome",
    "PluginError",
    "Programme",
    "Qualification",
    "QualificationKind",
    "Reason",
    "Residence",
    "RuleNotInForce",
    "SchoolForm",
    "Sex",
    "StructureError",
    "Timeline",
    "UnknownMunicipality",
    "Version",
    "Worklist",
    "Year",
    "Youth",
    "__version__",
    "assess",
    "build_worklist",
    "check_plan",
    "make_plugin_manager",
    "may_share",
    "membership",
    "municipality",
]


def assess(
    youth: Youth, *, on: dt.date, municipality: str | None = None, hooks: Hooks | None = None
) -> Decision:
    """Decide whether ``youth`` is in the target group on ``on``, asking the plugins.

    The rule is :func:`kaa.rules.target_group.assess`; this convenience wrapper lets the
    installed plugins (:meth:`Hooks.default`, or ``hooks``) decide the open questions of
    condition T3.

    Args:
        youth: The facts about the youth.
        on: The day of the decision.
        municipality: The *kommunkod* asking (``None``: any home municipality).
        hooks: The plugin facade; the default plugin manager when ``None``.

    Raises:
        InvalidInput: If an argument has the wrong type (a ``str`` for ``on``, an ``int``
            kommunkod) or ``municipality`` is not one of the 290 kommunkoder; the message
            names the argument.
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    require_instance(hooks, Hooks, "hooks", where="kaa.assess", optional=True)
    facade = hooks if hooks is not None else Hooks.default()
    return _target_group.assess(
        youth,
        on=on,
        municipality=municipality,
        equivalence=facade.counts_as_equivalent_education,
    )


def membership(
    youth: Youth,
    first_day: dt.date,
    last_day: dt.date,
    *,
    municipality: str | None = None,
    hooks: Hooks | None = None,
) -> Membership:
    """The days from ``first_day`` to ``last_day`` on which ``youth`` was in the target group,
    asking the plugins (see :func:`kaa.rules.target_group.membership` and :func:`assess`).

    Raises:
        InvalidInput: If an argument has the wrong type or ``municipality`` is not one of the
            290 kommunkoder (as for :func:`assess`), or the period ends before it starts.
    """
    require_instance(hooks, Hooks, "hooks", where="kaa.membership", optional=True)
    facade = hooks if hooks is not None else Hooks.default()
    return _target_group.membership(
        youth,
        first_day,
        last_day,
        municipality=municipality,
        equivalence=facade.counts_as_equivalent_education,
    )


def _checked_cases(cases: Iterable[Case], where: str) -> Iterable[Case]:
    for index, case in enumerate(cases):
        require_instance(case, (Case, StoredCase), f"cases[{index}]", where=where)
        yield case


def build_worklist(
    cases: Iterable[Case],
    *,
    on: dt.date,
    window: int = _worklist.DEFAULT_WINDOW,
    hooks: Hooks | None = None,
    timetable: Timeline[Timetable] | None = None,
    age_out_days: int = _worklist.AGE_OUT_DAYS,
    progress: Callable[[], None] | None = None,
) -> Worklist:
    """The worklist for ``on`` over ``cases``, under each municipality's timetable from the
    installed plugins (see :func:`kaa.worklist.build_worklist`; ``hooks`` defaults to
    :meth:`Hooks.default`).

    Raises:
        InvalidInput: If an argument has the wrong type: ``cases`` not an iterable of
            :class:`Case` (each case is checked as it is read, so a stream stays a stream),
            ``on`` not a :class:`datetime.date`, ``window`` or ``age_out_days`` not a whole
            number; the message names the argument.
    """
    where = "kaa.build_worklist"
    if isinstance(cases, Case | str | bytes) or not isinstance(cases, Iterable):
        raise InvalidInput(
            f"{where}: cases must be an iterable of Case (a list, a reader's or a store's stream), "
            f"not {type(cases).__name__}"
        )
    require_date(on, "on", where=where)
    require_instance(window, int, "window", where=where)
    require_instance(age_out_days, int, "age_out_days", where=where)
    require_instance(hooks, Hooks, "hooks", where=where, optional=True)
    return _worklist.build_worklist(
        _checked_cases(cases, where),
        on=on,
        window=window,
        hooks=hooks if hooks is not None else Hooks.default(),
        timetable=timetable,
        age_out_days=age_out_days,
        progress=progress,
    )
