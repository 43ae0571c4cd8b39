"""The national default answers to the open questions of T3 as a table: the built-in plugin
for :func:`kaa.plugins.spec.kaa_equivalence_rulings`.

It is the table form of the per-youth national default
(:func:`kaa.rules.target_group.kaa_counts_as_equivalent_education`), built from it so the two
cannot disagree: a *folkhögskola* course, *komvux* without a degree, studies abroad and other
education not marked equivalent do not count, whatever the programme. It needs no extra
(no polars) and is registered like any plugin, ``trylast=True``, so a municipality's table
wins.
"""

from __future__ import annotations

import datetime as dt

from kaa.identity import IdentityNumber
from kaa.model.youth import Enrolment, Programme, SchoolForm, Youth
from kaa.plugins import hookimpl
from kaa.rules import target_group
from kaa.rules.target_group import EquivalenceRuling

__all__ = ["kaa_equivalence_rulings", "national_rulings"]

_ANYONE = Youth(id=IdentityNumber.parse("200611202383"))
"""The youth the per-youth default is asked about (it does not look at the youth; the number
is one of Skatteverket's test numbers, never a real person's)."""


def national_rulings(day: dt.date) -> dict[tuple[SchoolForm, Programme], EquivalenceRuling]:
    """The national default's ruling for every school form the rule does not decide itself,
    and every programme, on ``day``."""
    table: dict[tuple[SchoolForm, Programme], EquivalenceRuling] = {}
    for form in SchoolForm:
        for programme in Programme:
            enrolment = Enrolment(school_form=form, programme=programme, start=day)
            # through the module: a hook implementation imported by name would be
            # registered a second time, as this plugin's
            ruling = target_group.kaa_counts_as_equivalent_education(_ANYONE, enrolment, day)
            if ruling is not None:
                table[(form, programme)] = ruling
    return table


@hookimpl(trylast=True)
def kaa_equivalence_rulings(
    municipality: str | None, day: dt.date
) -> dict[tuple[SchoolForm, Programme], EquivalenceRuling]:
    """National default: none of the open questions counts (see the module)."""
    return national_rulings(day)
