"""Small builders of cases with plans and consents, shared by the plan, consent, privacy and
retention tests. Identity numbers are Skatteverket test numbers only.
"""

from __future__ import annotations

import datetime as dt

from kaa.model.case import Case, EndReason, KaaEnd, Measure, MeasureEndReason, Registration
from kaa.model.documentation import (
    ConsentEvent,
    IndividualPlan,
    Party,
    PlannedMeasure,
    PlanRevision,
    Responsibility,
)
from kaa.model.youth import Residence, Youth
from kaa.testing import skatteverket_number

__all__ = ["ADULT_BORN", "MINOR_BORN", "REGISTERED", "case", "full_plan", "planned", "youth"]

D = dt.date
REGISTERED = D(2026, 1, 12)
ADULT_BORN = D(2007, 3, 2)  # 18 on 2025-03-02
MINOR_BORN = D(2009, 6, 1)  # 18 on 2027-06-01 (if a test number exists, see youth())


def youth(born: dt.date = ADULT_BORN, *, municipality: str = "1882") -> Youth:
    """A youth with a Skatteverket test number born on ``born``."""
    return Youth(
        id=skatteverket_number(born),
        residences=(Residence(municipality=municipality),),
        compulsory_school_completed=D(born.year + 16, 6, 10),
    )


def planned(measure_id: str = "m1", **overrides: object) -> PlannedMeasure:
    """A planned measure with all documentation items filled in."""
    values: dict[str, object] = {
        "measure_id": measure_id,
        "purpose": "Prova på ett yrke och få referenser",
        "responsibilities": (
            Responsibility(party=Party.YOUTH, task="Komma i tid tre dagar i veckan"),
            Responsibility(party=Party.MUNICIPALITY, name="KAA-enheten", task="Ordna praktikplats"),
        ),
        "planned_start": D(2026, 2, 2),
        "planned_end": D(2026, 4, 30),
        "follow_ups": (D(2026, 3, 2),),
    }
    values.update(overrides)
    return PlannedMeasure(**values)  # type: ignore[arg-type]


def full_plan(*measures: PlannedMeasure, day: dt.date = D(2026, 1, 26)) -> IndividualPlan:
    """A plan made on ``day`` with a goal, planning and follow-up day."""
    return IndividualPlan.made(
        PlanRevision(
            day=day,
            case_worker="handläggare 7",
            goal="Börja på ett introduktionsprogram till hösten",
            planning="Praktik under våren, samtal med SYV i mars",
            measures=measures or (planned(),),
            follow_ups=(D(2026, 2, 26),),
        )
    )


def case(
    *,
    born: dt.date = ADULT_BORN,
    municipality: str = "1882",
    measures: tuple[Measure, ...] = (
        Measure(id="m1", type="work_placement", offered=D(2026, 1, 26), start=D(2026, 2, 2)),
    ),
    plan: IndividualPlan | None = None,
    consents: tuple[ConsentEvent, ...] = (),
    end: dt.date | None = None,
    registered: dt.date = REGISTERED,
) -> Case:
    """A case registered on ``registered`` (:data:`REGISTERED` unless given)."""
    return Case(
        youth=youth(born, municipality=municipality),
        municipality=municipality,
        registration=Registration(day=registered),
        measures=measures,
        plan=plan,
        consents=consents,
        end=KaaEnd(day=end, reason=EndReason.TURNED_20) if end else None,
    )


ENDED_MEASURE = Measure(
    id="m1",
    type="work_placement",
    offered=D(2026, 1, 26),
    start=D(2026, 2, 2),
    end=D(2026, 4, 30),
    end_reason=MeasureEndReason.COMPLETED,
)
