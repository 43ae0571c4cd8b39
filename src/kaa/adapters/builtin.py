"""The built-in register sources, registered like any plugin (``trylast=True``).

``ist``, ``ber`` and ``hypernet`` read list exports through their default column profiles
(:mod:`kaa.adapters.profile`); ``ss12000`` reads SS12000 API JSON; ``e-tjanst`` reads the
municipality's e-service export of youths' own reports; ``scb`` reads a prior SCB
submission file; ``canonical`` and ``canonical-cases`` read the library's own files.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from kaa.adapters.base import RegisterSource
from kaa.adapters.canonical import CanonicalCasesSource, CanonicalSource
from kaa.adapters.etjanst import ETjanstSource
from kaa.adapters.profile import BUILTIN_PROFILES, builtin_profile
from kaa.adapters.scb import ScbSource
from kaa.adapters.ss12000 import SS12000Source
from kaa.adapters.tabular import ProfileSource
from kaa.plugins import hookimpl

__all__ = ["builtin_sources", "kaa_register_sources"]


@cache
def builtin_sources() -> tuple[RegisterSource, ...]:
    """The built-in sources, built once."""
    found: list[RegisterSource] = []
    for name in BUILTIN_PROFILES:
        profile = builtin_profile(name)
        found.append(ProfileSource(name=name, description=profile.description, profile=profile))
    found.append(SS12000Source())
    found.append(ETjanstSource())
    found.append(ScbSource())
    found.append(CanonicalSource())
    found.append(CanonicalCasesSource())
    return tuple(found)


@hookimpl(trylast=True)
def kaa_register_sources(register: Callable[[RegisterSource], None]) -> None:
    """Register the built-in sources."""
    for source in builtin_sources():
        register(source)
