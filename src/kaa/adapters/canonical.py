"""The library's own canonical files as register sources: ``canonical`` and ``canonical-cases``.

* ``canonical`` — youths in the canonical CSV, JSON or JSON Lines form
  (:mod:`kaa.formats.canonical`, see "The canonical input format").
* ``canonical-cases`` — KAA cases in the canonical JSON Lines form
  (:mod:`kaa.formats.cases`): each record carries its case.

Both delegate to the one reader of their file form
(:func:`kaa.formats.canonical.read_youths`, :func:`kaa.formats.cases.read_cases`), so their
rules (every row accepted or reported, a youth's rows kept together, a second record for the
same youth reported) are the readers' own. They take no mapping file: the canonical form is
fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from kaa.adapters.base import Origin, SourceRecord, refuse_mapping
from kaa.formats.canonical import read_youths
from kaa.formats.cases import read_cases
from kaa.formats.problems import Problem, ReadSummary

__all__ = ["CanonicalCasesSource", "CanonicalSource"]


_FIXED_FORM = "the library's fixed canonical form"
"""What the canonical sources read instead of a mapping file (see :func:`refuse_mapping`)."""


@attrs.frozen
class CanonicalSource:
    """Youths in the canonical CSV / JSON / JSON Lines form.

    Attributes:
        name: ``canonical``.
        description: One line for ``kaa sources``.
    """

    name: str = "canonical"
    description: str = "the library's canonical youth file (.csv, .json or .jsonl)"

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Stream records (see :class:`kaa.adapters.base.RegisterSource`).

        Raises:
            ConfigurationError: If a mapping file is given.
        """
        refuse_mapping(self.name, mapping, reads=_FIXED_FORM)
        name = str(path)
        for youth in read_youths(
            Path(path), summary=summary, reference_day=reference_day, on_problem=on_problem
        ):
            yield SourceRecord(youth=youth, origin=Origin(source=self.name, file=name, lines=()))


@attrs.frozen
class CanonicalCasesSource:
    """KAA cases in the canonical JSON Lines form; each record carries its case.

    A case for a youth with protected identity never has an address (the case model refuses
    one), so nothing needs dropping here.

    Attributes:
        name: ``canonical-cases``.
        description: One line for ``kaa sources``.
    """

    name: str = "canonical-cases"
    description: str = "the library's canonical cases file (.jsonl or .json)"

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Stream records (see :class:`kaa.adapters.base.RegisterSource`).

        Raises:
            ConfigurationError: If a mapping file is given.
        """
        refuse_mapping(self.name, mapping, reads=_FIXED_FORM)
        name = str(path)
        for case in read_cases(
            Path(path), summary=summary, reference_day=reference_day, on_problem=on_problem
        ):
            yield SourceRecord(
                youth=case.youth,
                origin=Origin(source=self.name, file=name, lines=()),
                contact_details=case.contact_details,
                case=case,
            )
