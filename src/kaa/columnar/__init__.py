"""The optional columnar fast path (the extra ``kaa[fast]``, polars): ``kaa assess`` on a
whole country's register in seconds, byte for byte what the reference path writes.

The pure-Python path — :func:`kaa.formats.canonical.read_youths`,
:func:`kaa.rules.target_group.assess`, :mod:`kaa.formats.decisions` — is the reference and the
default when polars is not installed. The columnar path reads the canonical CSV over columns
(:mod:`kaa.columnar.canonical`), checks identity numbers over a column
(:mod:`kaa.columnar.identity`), decides T1–T6 once per distinct set of facts with the
reference rule itself (:mod:`kaa.columnar.evaluate`) and writes the rows
(:mod:`kaa.columnar.engine`); every youth it cannot accept with certainty is read and decided
by the reference code. See ``docs/performance.md``.
"""

from __future__ import annotations

import importlib.util

__all__ = ["available"]


def available() -> bool:
    """Whether the columnar path can run: polars (the extra ``kaa[fast]``) is installed."""
    return importlib.util.find_spec("polars") is not None
