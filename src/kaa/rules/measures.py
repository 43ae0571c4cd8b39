"""The catalogue of measures (*insatser*) and the national base catalogue.

Each measure has a stable id, Swedish and English labels, a category (education-oriented
first — the law's priority, 29 kap. 9 § skollagen: measures "i första hand" aimed at
motivating the youth to start or resume education), the SCB category it is reported as, and
who typically provides it. The national base catalogue is built from the examples in the
municipal plans (DOMAIN §4.2); a municipality extends or overrides it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from kaa.case import MeasureCategory
from kaa.errors import InvalidInput
from kaa.model import Labelled

__all__ = [
    "Catalogue",
    "MeasureDefinition",
    "MeasureKind",
    "national_catalogue",
]


class MeasureKind(Labelled):
    """The category of a measure, in the law's order of priority."""

    EDUCATION = ("education", "utbildningsinriktad")
    GUIDANCE = ("guidance", "vägledning")
    MOTIVATION = ("motivation", "motiverande")
    WORK = ("work", "arbetsinriktad")
    HEALTH_SOCIAL = ("health_social", "hälsa och socialt stöd")
    OTHER = ("other", "övrigt")

    @property
    def priority(self) -> int:
        """0 for education-oriented measures (first), then the order above."""
        return list(MeasureKind).index(self)


@attrs.frozen(kw_only=True)
class MeasureDefinition:
    """One kind of measure in a catalogue.

    Attributes:
        id: Stable id, lower case with underscores (e.g. ``"study_guidance"``).
        label_sv: The Swedish name case workers use.
        label_en: An English name.
        kind: The category (education-oriented first).
        scb_category: What it is reported as to SCB.
        provider: Who typically provides it (e.g. ``"kommunens SYV"``).
    """

    id: str
    label_sv: str
    label_en: str
    kind: MeasureKind
    scb_category: MeasureCategory = MeasureCategory.OTHER
    provider: str | None = None


class Catalogue:
    """A set of measure definitions by id; later definitions override earlier ones.

    Args:
        definitions: The definitions, in order.
    """

    __slots__ = ("_by_id",)

    def __init__(self, definitions: Iterable[MeasureDefinition] = ()) -> None:
        self._by_id: dict[str, MeasureDefinition] = {}
        for d in definitions:
            self._by_id[d.id] = d

    def __iter__(self) -> Iterator[MeasureDefinition]:
        return iter(sorted(self._by_id.values(), key=lambda d: (d.kind.priority, d.id)))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self._by_id

    def get(self, measure_id: str) -> MeasureDefinition:
        """The definition with ``measure_id``.

        Raises:
            InvalidInput: If the catalogue has no such measure.
        """
        try:
            return self._by_id[measure_id]
        except KeyError:
            raise InvalidInput(
                f"{measure_id!r} is not a measure in the catalogue; known: "
                f"{', '.join(sorted(self._by_id))}",
                column="type",
            ) from None

    def scb_category(self, measure_id: str) -> MeasureCategory:
        """The SCB category of the measure with ``measure_id``."""
        return self.get(measure_id).scb_category

    def extended(self, definitions: Iterable[MeasureDefinition]) -> Catalogue:
        """A new catalogue with ``definitions`` added (same id: the new one wins)."""
        return Catalogue([*self._by_id.values(), *definitions])


_M = MeasureDefinition
_NATIONAL = (
    _M(
        id="introduction_programme",
        label_sv="Studier på introduktionsprogram",
        label_en="Studies on an introduction programme",
        kind=MeasureKind.EDUCATION,
        scb_category=MeasureCategory.INTRODUCTION_PROGRAMME_STUDIES,
        provider="gymnasieskola",
    ),
    _M(
        id="individual_study_plan",
        label_sv="Individuell studieplanering (anpassade studier)",
        label_en="Individual study planning (adapted studies)",
        kind=MeasureKind.EDUCATION,
        provider="gymnasieskola",
    ),
    _M(
        id="komvux_upper_secondary",
        label_sv="Komvux på gymnasial nivå",
        label_en="Municipal adult education at upper-secondary level",
        kind=MeasureKind.EDUCATION,
        provider="komvux",
    ),
    _M(
        id="folkhogskola_course",
        label_sv="Folkhögskola eller motivationskurs",
        label_en="Folk high school or motivational course",
        kind=MeasureKind.EDUCATION,
        provider="folkhögskola",
    ),
    _M(
        id="distance_learning",
        label_sv="Distansstudier",
        label_en="Distance learning",
        kind=MeasureKind.EDUCATION,
    ),
    _M(
        id="study_guidance",
        label_sv="Studie- och yrkesvägledning (SYV)",
        label_en="Study and careers guidance",
        kind=MeasureKind.GUIDANCE,
        scb_category=MeasureCategory.GUIDANCE,
        provider="kommunens SYV",
    ),
    _M(
        id="study_visit",
        label_sv="Studiebesök på arbetsplats eller skola",
        label_en="Study visit at a workplace or school",
        kind=MeasureKind.GUIDANCE,
    ),
    _M(
        id="motivational_conversation",
        label_sv="Motiverande samtal",
        label_en="Motivational conversation",
        kind=MeasureKind.MOTIVATION,
        provider="KAA-handläggare",
    ),
    _M(
        id="coaching",
        label_sv="Individuell coachning",
        label_en="Individual coaching",
        kind=MeasureKind.MOTIVATION,
    ),
    _M(
        id="work_placement",
        label_sv="Praktik (oavlönad)",
        label_en="Unpaid work placement",
        kind=MeasureKind.WORK,
    ),
    _M(
        id="cv_interview_training",
        label_sv="CV-skrivning och intervjuträning",
        label_en="CV writing and interview training",
        kind=MeasureKind.WORK,
    ),
    _M(
        id="arbetsformedlingen",
        label_sv="Insats tillsammans med Arbetsförmedlingen",
        label_en="Measure together with Arbetsförmedlingen",
        kind=MeasureKind.WORK,
        provider="Arbetsförmedlingen",
    ),
    _M(
        id="social_services",
        label_sv="Insats tillsammans med socialtjänsten",
        label_en="Measure together with social services",
        kind=MeasureKind.HEALTH_SOCIAL,
        provider="socialtjänsten",
    ),
    _M(
        id="school_counsellor",
        label_sv="Kontakt med skolkurator",
        label_en="Contact with the school counsellor",
        kind=MeasureKind.HEALTH_SOCIAL,
        provider="elevhälsan",
    ),
    _M(id="other", label_sv="Annan insats", label_en="Other measure", kind=MeasureKind.OTHER),
)


def national_catalogue() -> Catalogue:
    """The national base catalogue, built from the measures named in DOMAIN §4.2."""
    return Catalogue(_NATIONAL)
