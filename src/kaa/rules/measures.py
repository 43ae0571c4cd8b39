"""The catalogue of measures (*insatser*) and the national base catalogue.

Each measure has a stable id, Swedish and English labels, a category (education-oriented
first — the law's priority, 29 kap. 9 § skollagen: measures "i första hand" aimed at
motivating the youth to start or resume education), the SCB category it is reported as, and
who typically provides it. The national base catalogue is built from the examples in the
municipal plans (DOMAIN §4.2); a municipality extends or overrides it — with a TOML file
(:func:`load_catalogue`; Askersund's, 1882, and Stockholm's, 0180, are shipped by their
plugins in :mod:`kaa.municipal`) or with a plugin implementing
:func:`kaa.plugins.spec.kaa_measure_catalogue`. Build a municipality's catalogue with
:meth:`kaa.plugins.manager.Hooks.measure_catalogue`::

    >>> from kaa.plugins.manager import Hooks
    >>> catalogue = Hooks.with_plugins(load_entrypoints=False).measure_catalogue("0180")
    >>> catalogue.get("skolslussen").label_sv
    'Skolslussen – vägledning till en studieplats'

Local rules attached to measures are plugins too: :func:`kaa.plugins.spec.kaa_measure_allowance`
returns an :class:`Allowance` (see :mod:`kaa.municipal.trollhattan`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaa.errors import ConfigurationError, InvalidInput
from kaa.law import Citation, DocumentReference
from kaa.model.case import MeasureCategory
from kaa.model.youth import Labelled
from kaa.municipalities import is_municipality_code
from kaa.plugins import hookimpl

__all__ = [
    "Allowance",
    "Catalogue",
    "MeasureDefinition",
    "MeasureKind",
    "kaa_measure_catalogue",
    "load_catalogue",
    "national_catalogue",
    "parse_catalogue",
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
        involves_partner: Whether another actor than the municipality takes part, so the
            documentation must say what that actor is responsible for (item 4 of
            förordning (2006:39), see :mod:`kaa.rules.plan`).
    """

    id: str
    label_sv: str
    label_en: str
    kind: MeasureKind
    scb_category: MeasureCategory = MeasureCategory.OTHER
    provider: str | None = None
    involves_partner: bool = False


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
        involves_partner=True,
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
        involves_partner=True,
        label_sv="Insats tillsammans med Arbetsförmedlingen",
        label_en="Measure together with Arbetsförmedlingen",
        kind=MeasureKind.WORK,
        provider="Arbetsförmedlingen",
    ),
    _M(
        id="social_services",
        involves_partner=True,
        label_sv="Insats tillsammans med socialtjänsten",
        label_en="Measure together with social services",
        kind=MeasureKind.HEALTH_SOCIAL,
        provider="socialtjänsten",
    ),
    _M(
        id="school_counsellor",
        involves_partner=True,
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


_KEYS = {f.name for f in attrs.fields(MeasureDefinition)}
_REQUIRED = {"id", "label_sv", "label_en", "kind"}


def _enum_value(enum: type[Labelled], raw: object, *, file: str, key: str) -> Any:
    for member in enum:
        if member.value == raw:
            return member
    allowed = ", ".join(str(m.value) for m in enum)
    raise ConfigurationError(f"{raw!r} is not one of: {allowed}", file=file, key=key)


def _definition(raw: object, *, file: str, key: str) -> MeasureDefinition:
    if not isinstance(raw, dict):
        raise ConfigurationError("each [[measure]] must be a table", file=file, key=key)
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ConfigurationError(
            f"unknown field(s): {', '.join(unknown)}", file=file, key=f"{key}.{unknown[0]}"
        )
    absent = sorted(_REQUIRED - set(raw))
    if absent:
        raise ConfigurationError(
            f"required field(s) missing: {', '.join(absent)}", file=file, key=f"{key}.{absent[0]}"
        )
    for name in ("id", "label_sv", "label_en", "provider"):
        value = raw.get(name)
        if name in raw and (not isinstance(value, str) or not value.strip()):
            raise ConfigurationError("must be non-empty text", file=file, key=f"{key}.{name}")
    measure_id = raw["id"]
    if not measure_id.replace("_", "").isalnum() or measure_id != measure_id.lower():
        raise ConfigurationError(
            f"{measure_id!r} is not a stable id: use lower case letters, digits and _",
            file=file,
            key=f"{key}.id",
        )
    partner = raw.get("involves_partner", False)
    if not isinstance(partner, bool):
        raise ConfigurationError("must be true or false", file=file, key=f"{key}.involves_partner")
    return MeasureDefinition(
        id=measure_id,
        label_sv=raw["label_sv"].strip(),
        label_en=raw["label_en"].strip(),
        kind=_enum_value(MeasureKind, raw["kind"], file=file, key=f"{key}.kind"),
        scb_category=_enum_value(
            MeasureCategory, raw.get("scb_category", "other"), file=file, key=f"{key}.scb_category"
        ),
        provider=raw["provider"].strip() if "provider" in raw else None,
        involves_partner=partner,
    )


def parse_catalogue(text: str, *, file: str) -> tuple[str, tuple[MeasureDefinition, ...]]:
    """Parse a catalogue TOML text (see :func:`load_catalogue`).

    Returns:
        The kommunkod the file is for, and its definitions in order.

    Raises:
        ConfigurationError: Naming the file and the key that is wrong.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"not valid TOML: {exc}", file=file) from None
    unknown = sorted(set(data) - {"municipality", "source", "measure"})
    if unknown:
        raise ConfigurationError("unknown top-level key", file=file, key=unknown[0])
    code = data.get("municipality")
    if not isinstance(code, str) or not is_municipality_code(code):
        raise ConfigurationError(
            f"{code!r} is not a kommunkod (four digits, as a quoted string)",
            file=file,
            key="municipality",
        )
    if not isinstance(data.get("source"), str):
        raise ConfigurationError(
            "say where the list comes from (the municipality's plan or decision)",
            file=file,
            key="source",
        )
    measures = data.get("measure", [])
    if not isinstance(measures, list):
        raise ConfigurationError("use [[measure]] tables", file=file, key="measure")
    definitions = tuple(
        _definition(raw, file=file, key=f"measure[{i}]") for i, raw in enumerate(measures)
    )
    seen: set[str] = set()
    for i, d in enumerate(definitions):
        if d.id in seen:
            raise ConfigurationError(f"{d.id!r} is listed twice", file=file, key=f"measure[{i}].id")
        seen.add(d.id)
    return code, definitions


def load_catalogue(path: Path, *, municipality: str | None = None) -> tuple[MeasureDefinition, ...]:
    """Read a municipality's measures from a TOML file.

    The file names its kommunkod and its source, and lists ``[[measure]]`` tables with the
    fields of :class:`MeasureDefinition` (``kind`` and ``scb_category`` by their English
    value; ``scb_category`` defaults to ``"other"``)::

        municipality = "1882"
        source = "Handlingsplan för kommunens aktivitetsansvar, steg 3"

        [[measure]]
        id = "individual_study_plan"
        label_sv = "Individuell studieplanering (anpassat studieupplägg)"
        label_en = "Individual study planning (adapted studies)"
        kind = "education"
        provider = "Alléskolan, Allévux"

    A definition with the id of a national measure overrides it; a new id adds a measure.

    Args:
        path: The TOML file.
        municipality: The kommunkod the file must be for; any when ``None``.

    Raises:
        ConfigurationError: If the file cannot be read or a key is wrong (file and key named),
            or the file is for another municipality than ``municipality``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the catalogue: {exc}", file=str(path)) from None
    code, definitions = parse_catalogue(text, file=str(path))
    if municipality is not None and code != municipality:
        raise ConfigurationError(
            f"the file is for {code}, not {municipality}", file=str(path), key="municipality"
        )
    return definitions


@hookimpl(trylast=True)
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition]:
    """The national base catalogue (a municipality's plugin adds its own measures)."""
    return _NATIONAL


@attrs.frozen(kw_only=True)
class Allowance:
    """A local allowance per month for taking part in a measure.

    Attributes:
        amount: Kronor per month.
        basis: How the amount was reached, for the case worker.
        citation: The decision or statute behind the rule and the amounts.
    """

    amount: Decimal
    basis: str
    citation: Citation | DocumentReference
