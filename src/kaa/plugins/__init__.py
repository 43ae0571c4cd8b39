"""Plugins: the markers a plugin is written with.

This package is in tox's shape:

- ``kaa.plugins`` (this module) holds the project name and the two markers, and imports only
  :mod:`pluggy`, so a plugin module can import it without pulling in the library;
- :mod:`kaa.plugins.spec` holds the hook specifications;
- :mod:`kaa.plugins.manager` builds a plugin manager and the typed
  :class:`~kaa.plugins.manager.Hooks` facade the rest of the library calls hooks through.

A municipality's plugin needs only the marker::

    from kaa.plugins import hookimpl

    @hookimpl
    def kaa_contact_timetable(municipality):
        ...
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "kaa"
"""The pluggy project name and the entry-point group plugins are found under."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Decorator for hook specifications (used only in :mod:`kaa.plugins.spec`)."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Decorator for plugin functions: ``@hookimpl`` (or ``@hookimpl(trylast=True)``)."""
