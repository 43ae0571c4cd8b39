"""The plugin manager and the one typed facade through which the library calls hooks.

No plugin manager exists at import time. :func:`make_plugin_manager` builds a fresh one: it
registers the built-in plugins (the national defaults, registered like any third-party
plugin), then loads plugins from the entry-point group ``kaa``. Setting the environment
variable ``KAA_DISABLE_PLUGINS`` to a comma-separated list of plugin names blocks those
plugins (for example a broken municipality plugin, while it is being fixed).

    >>> from kaa.plugins.manager import Hooks
    >>> hooks = Hooks.default()          # built once, on first use
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import Any

import pluggy

from kaa.adapters.base import RegisterSource
from kaa.dated import Timeline
from kaa.errors import PluginError
from kaa.formats.goals import Goal
from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
from kaa.plugins import PROJECT_NAME, spec
from kaa.rules.contact import Timetable
from kaa.rules.measures import Allowance, Catalogue, MeasureDefinition
from kaa.rules.plan import FollowUpPolicy
from kaa.rules.privacy import SensitiveTerm
from kaa.rules.retention import RetentionRule
from kaa.rules.target_group import EquivalenceRuling, Ruling

__all__ = ["DISABLE_ENV", "Hooks", "make_plugin_manager"]

DISABLE_ENV = "KAA_DISABLE_PLUGINS"
"""Environment variable: comma-separated names of plugins that must not be loaded."""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "kaa.rules.target_group",
    "kaa.rules.contact",
    "kaa.rules.measures",
    "kaa.rules.plan",
    "kaa.rules.retention",
    "kaa.rules.privacy",
    "kaa.municipal.askersund",
    "kaa.municipal.stockholm",
    "kaa.municipal.trollhattan",
    "kaa.adapters.builtin",
    "kaa.columnar.national",
)
"""Modules registered as built-in plugins, under their module name."""


def _blocked_from_env() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def make_plugin_manager(
    *,
    plugins: Iterable[object] = (),
    load_entrypoints: bool = True,
    blocked: Iterable[str] | None = None,
) -> pluggy.PluginManager:
    """Build a fresh plugin manager.

    Args:
        plugins: Extra plugin objects (modules or instances) to register, for example a
            plugin under test or a municipality's plugin used from a notebook.
        load_entrypoints: Whether to load plugins installed under the entry-point group
            ``kaa``.
        blocked: Plugin names never to register; defaults to the names in the environment
            variable ``KAA_DISABLE_PLUGINS``.

    Returns:
        A plugin manager with the hook specifications, the built-in plugins, and the
        discovered and given plugins registered.

    Raises:
        PluginError: If an installed plugin cannot be loaded.
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(spec)
    for name in blocked if blocked is not None else _blocked_from_env():
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    if load_entrypoints:
        try:
            pm.load_setuptools_entrypoints(PROJECT_NAME)
        except Exception as exc:  # an installed plugin failed to import
            raise PluginError(f"a plugin in entry-point group 'kaa' failed to load: {exc}") from exc
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    return pm


class Hooks:
    """The typed facade over a plugin manager: the only way the library calls hooks.

    Args:
        pm: A plugin manager from :func:`make_plugin_manager`.
    """

    __slots__ = ("_hook", "pm")

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self._hook = pm.hook

    @classmethod
    def default(cls) -> Hooks:
        """The facade over the default plugin manager, built on first use and then reused."""
        return _default_hooks()

    @classmethod
    def with_plugins(cls, *plugins: object, load_entrypoints: bool = True) -> Hooks:
        """A facade over a fresh manager with ``plugins`` registered on top of the defaults."""
        return cls(make_plugin_manager(plugins=plugins, load_entrypoints=load_entrypoints))

    def plugin_names(self) -> list[str]:
        """The names of every registered plugin."""
        return sorted(
            name for name, plugin in self.pm.list_name_plugin() if plugin is not None and name
        )

    def counts_as_equivalent_education(
        self, youth: Youth, enrolment: Enrolment, day: dt.date
    ) -> EquivalenceRuling:
        """See :func:`kaa.plugins.spec.kaa_counts_as_equivalent_education`.

        Raises:
            PluginError: If no plugin answers (the national default was blocked) or an
                answer has the wrong shape.
        """

        ruling = self._hook.kaa_counts_as_equivalent_education(
            youth=youth, enrolment=enrolment, day=day
        )
        if ruling is None:
            raise PluginError(
                "no plugin decided whether an enrolment counts as equivalent education; "
                "is the built-in plugin 'kaa.rules.target_group' blocked?"
            )
        # the library's own Ruling first: a protocol check reads the class's attributes
        if type(ruling) is not Ruling and not isinstance(ruling, EquivalenceRuling):
            raise PluginError(
                "kaa_counts_as_equivalent_education must return an EquivalenceRuling, "
                f"got {type(ruling).__name__}"
            )
        return ruling

    def equivalence_rulings(
        self, municipality: str | None, day: dt.date
    ) -> dict[tuple[SchoolForm, Programme], EquivalenceRuling]:
        """See :func:`kaa.plugins.spec.kaa_equivalence_rulings`: every plugin's table merged,
        a plugin's entry over the national default's (the one registered last wins).

        Raises:
            PluginError: If an answer is not a mapping of ``(SchoolForm, Programme)`` to
                rulings.
        """
        merged: dict[tuple[SchoolForm, Programme], EquivalenceRuling] = {}
        answers = self._hook.kaa_equivalence_rulings(municipality=municipality, day=day)
        for answer in reversed(answers):  # pluggy calls trylast (national) last
            if answer is None:
                continue
            items = getattr(answer, "items", None)
            if items is None:
                raise PluginError(
                    "kaa_equivalence_rulings must return a mapping of (SchoolForm, Programme) "
                    f"to rulings, got {type(answer).__name__}"
                )
            for key, ruling in items():
                if not (
                    isinstance(key, tuple)
                    and len(key) == 2
                    and isinstance(key[0], SchoolForm)
                    and isinstance(key[1], Programme)
                    and isinstance(ruling, EquivalenceRuling)
                ):
                    raise PluginError(
                        "kaa_equivalence_rulings must map (SchoolForm, Programme) to an "
                        "EquivalenceRuling"
                    )
                merged[key] = ruling
        return merged

    def per_youth_equivalence_only(self) -> list[str]:
        """The plugins that answer the open questions of T3 youth by youth only
        (:func:`~kaa.plugins.spec.kaa_counts_as_equivalent_education` without
        :func:`~kaa.plugins.spec.kaa_equivalence_rulings`); the built-in national default is
        not one of them. While any is registered, decisions are made youth by youth."""
        tables = {impl.plugin_name for impl in self._hook.kaa_equivalence_rulings.get_hookimpls()}
        return sorted(
            impl.plugin_name
            for impl in self._hook.kaa_counts_as_equivalent_education.get_hookimpls()
            if impl.plugin_name not in tables and impl.plugin_name != "kaa.rules.target_group"
        )

    def contact_timetable(self, municipality: str) -> Timeline[Timetable]:
        """See :func:`kaa.plugins.spec.kaa_contact_timetable`.

        Raises:
            PluginError: If no plugin answers (the built-in ``kaa.rules.contact`` was
                blocked) or an answer is not a timeline.
        """

        answer = self._hook.kaa_contact_timetable(municipality=municipality)
        if answer is None:
            raise PluginError(
                "no plugin gave a contact timetable; is the built-in plugin "
                "'kaa.rules.contact' blocked?"
            )
        if not isinstance(answer, Timeline):
            raise PluginError(
                f"kaa_contact_timetable must return a Timeline, got {type(answer).__name__}"
            )
        return answer

    def measure_catalogue(self, municipality: str) -> Catalogue:
        """The municipality's catalogue of measures.

        See :func:`kaa.plugins.spec.kaa_measure_catalogue`: the national base first, then the
        measures shipped for the municipality, then every other plugin's (same id: later
        wins).

        Raises:
            PluginError: If a plugin returns something that is not a measure definition.
        """

        answers = self._hook.kaa_measure_catalogue(municipality=municipality)
        definitions: list[MeasureDefinition] = []
        for answer in reversed(answers):  # pluggy calls trylast (national) last
            for definition in answer or ():
                if not isinstance(definition, MeasureDefinition):
                    raise PluginError(
                        "kaa_measure_catalogue must return MeasureDefinition objects, "
                        f"got {type(definition).__name__}"
                    )
                definitions.append(definition)
        return Catalogue(definitions)

    def measure_allowance(
        self, municipality: str, measure_type: str, hours_per_week: Decimal, day: dt.date
    ) -> Allowance | None:
        """See :func:`kaa.plugins.spec.kaa_measure_allowance`; ``None`` when no rule applies.

        Raises:
            PluginError: If an answer has the wrong shape.
        """

        answer = self._hook.kaa_measure_allowance(
            municipality=municipality,
            measure_type=measure_type,
            hours_per_week=hours_per_week,
            day=day,
        )
        if answer is not None and not isinstance(answer, Allowance):
            raise PluginError(
                f"kaa_measure_allowance must return an Allowance, got {type(answer).__name__}"
            )
        return answer

    def plan_follow_up_policy(self, municipality: str) -> Timeline[FollowUpPolicy]:
        """See :func:`kaa.plugins.spec.kaa_plan_follow_up_policy`.

        Raises:
            PluginError: If no plugin answers or an answer has the wrong shape.
        """
        return self._timeline(
            self._hook.kaa_plan_follow_up_policy(municipality=municipality),
            "kaa_plan_follow_up_policy",
            "kaa.rules.plan",
        )

    def sensitive_terms(self, municipality: str) -> tuple[SensitiveTerm, ...]:
        """Every plugin's sensitive terms for the municipality.

        See :func:`kaa.plugins.spec.kaa_sensitive_terms`.

        Raises:
            PluginError: If a plugin returns something that is not a sensitive term.
        """

        terms: list[SensitiveTerm] = []
        for answer in reversed(self._hook.kaa_sensitive_terms(municipality=municipality)):
            for term in answer or ():
                if not isinstance(term, SensitiveTerm):
                    raise PluginError(
                        "kaa_sensitive_terms must return SensitiveTerm objects, "
                        f"got {type(term).__name__}"
                    )
                terms.append(term)
        return tuple(terms)

    def report_goals(self, municipality: str) -> tuple[Goal, ...]:
        """Every plugin's goals for the municipality's report, in registration order.

        See :func:`kaa.plugins.spec.kaa_report_goals`.

        Raises:
            PluginError: If a plugin returns something that is not a goal.
        """
        goals: list[Goal] = []
        for answer in reversed(self._hook.kaa_report_goals(municipality=municipality)):
            for goal in answer or ():
                if not isinstance(goal, Goal):
                    raise PluginError(
                        f"kaa_report_goals must return Goal objects, got {type(goal).__name__}"
                    )
                goals.append(goal)
        return tuple(goals)

    def retention_rule(self, municipality: str) -> Timeline[RetentionRule]:
        """See :func:`kaa.plugins.spec.kaa_retention_rule`.

        Raises:
            PluginError: If no plugin answers or an answer has the wrong shape.
        """
        return self._timeline(
            self._hook.kaa_retention_rule(municipality=municipality),
            "kaa_retention_rule",
            "kaa.rules.retention",
        )

    def register_sources(self) -> dict[str, RegisterSource]:
        """See :func:`kaa.plugins.spec.kaa_register_sources`: every registered source by name.

        Raises:
            PluginError: If a source does not satisfy
                :class:`~kaa.adapters.base.RegisterSource`, or a name is registered twice.
        """

        found: dict[str, RegisterSource] = {}

        def register(source: RegisterSource) -> None:
            if not isinstance(source, RegisterSource) or not isinstance(
                getattr(source, "name", None), str
            ):
                raise PluginError(
                    "kaa_register_sources: register() needs an object with name, description "
                    f"and read(); got {type(source).__name__}"
                )
            if source.name in found:
                first = type(found[source.name]).__module__
                raise PluginError(
                    f"the register source {source.name!r} is registered twice ({first} and "
                    f"{type(source).__module__}); give the municipality's source its own name, "
                    "or adapt the built-in one with a mapping file"
                )
            found[source.name] = source

        self._hook.kaa_register_sources(register=register)
        return dict(sorted(found.items()))

    @staticmethod
    def _timeline(answer: object, hook: str, builtin: str) -> Timeline[Any]:

        if answer is None:
            raise PluginError(
                f"no plugin answered {hook}; is the built-in plugin {builtin!r} blocked?"
            )
        if not isinstance(answer, Timeline):
            raise PluginError(f"{hook} must return a Timeline, got {type(answer).__name__}")
        return answer


@cache
def _default_hooks() -> Hooks:
    return Hooks(make_plugin_manager())
