"""The plugin manager and the one typed facade through which the library calls hooks.

No plugin manager exists at import time. :func:`make_plugin_manager` builds a fresh one: it
registers the built-in plugins (the national defaults, registered like any third-party
plugin), then loads plugins from the entry-point group ``kaa``. Setting the environment
variable ``KAA_DISABLE_PLUGINS`` to a comma-separated list of plugin names blocks those
plugins (for example a broken municipality plugin, while it is being fixed).

    >>> from kaa.plugins import Hooks
    >>> hooks = Hooks.default()          # built once, on first use
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

import pluggy

from kaa import hookspecs
from kaa.errors import PluginError

if TYPE_CHECKING:
    from kaa.model import Enrolment, Youth
    from kaa.rules.target_group import EquivalenceRuling

__all__ = ["DISABLE_ENV", "Hooks", "make_plugin_manager"]

DISABLE_ENV = "KAA_DISABLE_PLUGINS"
"""Environment variable: comma-separated names of plugins that must not be loaded."""

BUILTIN_PLUGINS: tuple[str, ...] = ("kaa.rules.target_group",)
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
    import importlib

    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for name in blocked if blocked is not None else _blocked_from_env():
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    if load_entrypoints:
        try:
            pm.load_setuptools_entrypoints(hookspecs.PROJECT_NAME)
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
        """See :func:`kaa.hookspecs.kaa_counts_as_equivalent_education`.

        Raises:
            PluginError: If no plugin answers (the national default was blocked) or an
                answer has the wrong shape.
        """
        from kaa.rules.target_group import EquivalenceRuling

        ruling = self._hook.kaa_counts_as_equivalent_education(
            youth=youth, enrolment=enrolment, day=day
        )
        if ruling is None:
            raise PluginError(
                "no plugin decided whether an enrolment counts as equivalent education; "
                "is the built-in plugin 'kaa.rules.target_group' blocked?"
            )
        if not isinstance(ruling, EquivalenceRuling):
            raise PluginError(
                "kaa_counts_as_equivalent_education must return an EquivalenceRuling, "
                f"got {type(ruling).__name__}"
            )
        return ruling


@cache
def _default_hooks() -> Hooks:
    return Hooks(make_plugin_manager())
