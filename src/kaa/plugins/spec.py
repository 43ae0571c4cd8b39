"""Hook specifications: the points where a plugin can change what `kaa` does.

Plugins are discovered through the entry-point group ``kaa`` (see :mod:`kaa.plugins.manager`). Three
shapes are used, and each hook says which:

- **first result wins**: the first non-``None`` answer is taken; the library's national
  defaults are registered ``trylast=True`` so a municipality's plugin always answers first;
- **collect all**: every plugin's answer is used (for example each adds measures);
- **register callback**: a plugin is handed a ``register`` function to add named things.

The rest of the library never calls these hooks directly: it goes through the typed facade
:class:`kaa.plugins.manager.Hooks`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from decimal import Decimal

    from kaa.adapters.base import RegisterSource
    from kaa.dated import Timeline
    from kaa.formats.goals import Goal
    from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
    from kaa.rules.contact import Timetable
    from kaa.rules.measures import Allowance, MeasureDefinition
    from kaa.rules.plan import FollowUpPolicy
    from kaa.rules.privacy import SensitiveTerm
    from kaa.rules.retention import RetentionRule
    from kaa.rules.target_group import EquivalenceRuling

from kaa.plugins import hookspec

__all__ = [
    "kaa_contact_timetable",
    "kaa_counts_as_equivalent_education",
    "kaa_equivalence_rulings",
    "kaa_measure_allowance",
    "kaa_measure_catalogue",
    "kaa_plan_follow_up_policy",
    "kaa_register_sources",
    "kaa_report_goals",
    "kaa_retention_rule",
    "kaa_sensitive_terms",
]


@hookspec(firstresult=True)
def kaa_counts_as_equivalent_education(
    youth: Youth, enrolment: Enrolment, day: dt.date
) -> EquivalenceRuling | None:
    """Decide whether an enrolment counts as attending education equivalent to
    *gymnasieskola* (condition T3 of the target group).

    Asked only for the open questions of the law: a *folkhögskola* course, *komvux* without
    a degree, studies abroad, and other education that is not marked as equivalent.
    Enrolments in *gymnasieskola*, *anpassad gymnasieskola* and education explicitly marked
    equivalent are decided by the rule itself.

    First result wins. The national default (``kaa.rules.target_group``) answers last: none
    of these count, so the youth stays in the target group.

    Args:
        youth: The youth being assessed.
        enrolment: The enrolment that covers ``day``.
        day: The day of the assessment.

    Returns:
        A ruling with ``counts`` and a ``basis`` that explains it (shown to case workers), or
        ``None`` to let the next plugin decide.
    """


@hookspec
def kaa_equivalence_rulings(
    municipality: str | None, day: dt.date
) -> Mapping[tuple[SchoolForm, Programme], EquivalenceRuling] | None:
    """The answers to the open questions of condition T3 as a table: one ruling per school
    form and programme, the same for every youth, for a municipality on a day.

    The table-valued form of :func:`kaa_counts_as_equivalent_education`, for the columnar
    evaluator (``kaa assess`` with the extra ``kaa[fast]``), which decides a whole register
    at once and cannot ask youth by youth. A plugin that answers the open questions
    implements both hooks, and they must agree: the table's ruling for an enrolment's school
    form and programme is what the per-youth hook answers for it. A plugin that implements
    only the per-youth hook (its answer depends on the youth) makes ``kaa assess`` take the
    reference path, and say so.

    Collect all, merged per key: a plugin's entry wins over the national default's
    (``kaa.columnar.national``, ``trylast=True``: none of the open questions counts); among
    other plugins, the one registered last wins. Only school forms the rule does not decide
    itself are asked about (not *gymnasieskola*, *anpassad gymnasieskola* or education marked
    equivalent).

    Args:
        municipality: The kommunkod asking (``kaa assess --municipality``), or ``None`` when
            any municipality may be the home municipality.
        day: The day of the decisions.

    Returns:
        Rulings by ``(school form, programme)`` — all of them or only those this plugin
        decides — or ``None`` to add none.
    """


@hookspec
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition] | None:
    """Add measures to a municipality's catalogue, or override measures by id.

    Collect all: every plugin's definitions are used. The national base catalogue
    (``kaa.rules.measures``) is applied first, then the shipped municipalities' plugins
    (:mod:`kaa.municipal`), then installed plugins, so a later definition with the same id
    wins.

    Args:
        municipality: The kommunkod whose catalogue is being built.

    Returns:
        Measure definitions for this municipality, or ``None`` to add none.
    """


@hookspec(firstresult=True)
def kaa_measure_allowance(
    municipality: str, measure_type: str, hours_per_week: Decimal, day: dt.date
) -> Allowance | None:
    """A local allowance paid to a youth taking part in a measure (e.g. a work placement).

    First result wins. Nationally there is no such allowance; a municipality's rule (for
    example Trollhättan's, ``kaa.municipal.trollhattan``) answers for its own kommunkod.

    Args:
        municipality: The kommunkod.
        measure_type: The catalogue id of the measure.
        hours_per_week: The youth's hours per week in the measure.
        day: A day in the month the allowance is for.

    Returns:
        The allowance per month, with its basis, or ``None`` when this plugin has no rule
        for the municipality and measure.
    """


@hookspec(firstresult=True)
def kaa_plan_follow_up_policy(municipality: str) -> Timeline[FollowUpPolicy] | None:
    """How often a municipality follows up each youth's individual plan, over time.

    First result wins. The national default (``kaa.rules.plan``) answers last: the follow-up
    is due on the days documented in the plan — förordning (2006:39) requires the times for
    follow-up and evaluation to be documented, and sets no interval. A municipality's routine
    is its plugin's: the shipped plugin :mod:`kaa.municipal.askersund` answers for 1882 with
    Askersund's *once a month* (its plan, Steg 4). Documented days count under every policy.

    Args:
        municipality: The kommunkod.

    Returns:
        A timeline of follow-up policies, or ``None`` to let the next plugin decide.
    """


@hookspec
def kaa_sensitive_terms(municipality: str) -> Iterable[SensitiveTerm] | None:
    """Words that suggest sensitive personal data in a free-text field.

    Collect all. The built-in Swedish word list (``kaa.rules.privacy``) is always included; a
    municipality's plugin adds its own terms.

    Args:
        municipality: The kommunkod whose texts are checked.

    Returns:
        Terms to flag, or ``None`` to add none.
    """


@hookspec(firstresult=True)
def kaa_retention_rule(municipality: str) -> Timeline[RetentionRule] | None:
    """When a municipality deletes (*gallrar*) a youth's register data, over time.

    First result wins. The library default (``kaa.rules.retention``) answers last; the
    national rule is not known to the library, so a municipality should supply the rule of
    its *dokumenthanteringsplan*.

    Args:
        municipality: The kommunkod.

    Returns:
        A timeline of retention rules, or ``None`` to let the next plugin decide.
    """


@hookspec(firstresult=True)
def kaa_contact_timetable(municipality: str) -> Timeline[Timetable] | None:
    """A municipality's contact timetable (*kontakttrappa*) over time.

    How a municipality tries to reach the youths in its register — channels, order, how soon
    — is its own policy, written in its action plan; the law (29 kap. 9 § skollagen) only
    asks it to keep informed all year. First result wins. The built-in plugin
    (``kaa.rules.contact``) answers last with the minimal national default; the shipped
    plugin :mod:`kaa.municipal.askersund` answers for 1882.

    Args:
        municipality: The kommunkod of the case's municipality.

    Returns:
        A timeline of timetables (see :mod:`kaa.rules.contact`; load one from TOML with
        :func:`kaa.rules.contact.load_timetable`), or ``None`` to let the next plugin
        decide.
    """


@hookspec
def kaa_register_sources(register: Callable[[RegisterSource], None]) -> None:
    """Add register sources: readers of a register system's export, used by name
    (``kaa assess --source NAME``) and listed by ``kaa sources``.

    Register callback: call ``register(source)`` once per source. A source satisfies
    :class:`kaa.adapters.base.RegisterSource` (``name``, ``description``, ``read(...)``).
    The built-in sources (``ist``, ``ber``, ``hypernet``, ``ss12000``, ``scb``,
    ``canonical``, ``canonical-cases``) are registered by ``kaa.adapters.builtin``. A name
    may be registered only once: a municipality adapts a built-in source to its export with a
    mapping file, or registers a source under its own name.

    Args:
        register: Adds one source.

    Returns:
        Nothing; sources are added through ``register``.
    """


@hookspec
def kaa_report_goals(municipality: str) -> Iterable[Goal] | None:
    """A municipality's goals for its follow-up figures, shown in the committee report.

    Collect all: every plugin's goals are shown, in registration order. There are no national
    goals; the shipped plugin :mod:`kaa.municipal.askersund` gives Askersund's (1882).

    Args:
        municipality: The kommunkod of the report.

    Returns:
        Goals (:class:`kaa.formats.goals.Goal`) for this municipality, or ``None`` for none.
    """
