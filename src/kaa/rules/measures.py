"""The catalogue of measures (*insatser*) and the national base catalogue.

Each measure has a stable id, Swedish and English labels, a category (education-oriented
first — the law's priority, 29 kap. 9 § skollagen: measures "i första hand" aimed at
motivating the youth to start or resume education), the SCB category it is reported as, and
who typically provides it. The national base catalogue is built from the examples in the
municipal plans (DOMAIN §4.2) and kept as dated data in ``kaa/data/measures/national.toml``;
a municipality extends or overrides it — with a TOML file
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

from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs
import cattrs

from kaa.convert import (
    DataFileError,
    Invalid,
    Kommunkod,
    check,
    load_toml,
    make_converter,
    parse_toml,
)
from kaa.dated import Timeline
from kaa.errors import InvalidInput
from kaa.law import Citation, DocumentReference
from kaa.model.case import MeasureCategory
from kaa.model.youth import Labelled
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


def _stable_id(value: str) -> bool:
    return value.replace("_", "").isalnum() and value == value.lower()


def _text(value: str) -> bool:
    return bool(value.strip())


_NON_EMPTY = check(_text, "must be non-empty text")


@attrs.frozen(kw_only=True)
class _Entry:
    """A measure as a catalogue file writes it (see :func:`load_catalogue`)."""

    id: str = attrs.field(
        validator=check(
            _stable_id, lambda v: f"{v!r} is not a stable id: use lower case letters, digits and _"
        )
    )
    label_sv: str = attrs.field(validator=_NON_EMPTY)
    label_en: str = attrs.field(validator=_NON_EMPTY)
    kind: MeasureKind
    scb_category: MeasureCategory = MeasureCategory.OTHER
    provider: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(_NON_EMPTY)
    )
    involves_partner: bool = False

    def definition(self) -> MeasureDefinition:
        return MeasureDefinition(
            id=self.id,
            label_sv=self.label_sv.strip(),
            label_en=self.label_en.strip(),
            kind=self.kind,
            scb_category=self.scb_category,
            provider=self.provider.strip() if self.provider is not None else None,
            involves_partner=self.involves_partner,
        )


@attrs.frozen(kw_only=True)
class _CatalogueFile:
    """A municipality's catalogue file: its kommunkod, its source and ``[[measure]]`` tables."""

    municipality: Kommunkod
    source: str | None = None
    measure: tuple[MeasureDefinition, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.source is None:
            raise Invalid(
                "say where the list comes from (the municipality's plan or decision)",
                at=("source",),
            )
        seen: set[str] = set()
        for i, definition in enumerate(self.measure):
            if definition.id in seen:
                raise Invalid(f"{definition.id!r} is listed twice", at=("measure", i, "id"))
            seen.add(definition.id)


@cache
def _converter() -> cattrs.Converter:
    conv = make_converter(reveal_ids=True, data_files=True)
    conv.register_structure_hook(
        MeasureDefinition, lambda data, _: conv.structure(data, _Entry).definition()
    )
    return conv


@cache
def _national() -> tuple[MeasureDefinition, ...]:
    timeline: Timeline[tuple[MeasureDefinition, ...]] = load_toml(
        files("kaa.data").joinpath("measures", "national.toml"),
        Timeline[tuple[MeasureDefinition, ...]],
        file="kaa/data/measures/national.toml",
        converter=_converter(),
    )
    return timeline.versions[-1].value


def national_catalogue() -> Catalogue:
    """The national base catalogue (``kaa/data/measures/national.toml``, its latest version),
    built from the measures named in DOMAIN §4.2."""
    return Catalogue(_national())


def parse_catalogue(text: str, *, file: str) -> tuple[str, tuple[MeasureDefinition, ...]]:
    """Parse a catalogue TOML text (see :func:`load_catalogue`).

    Returns:
        The kommunkod the file is for, and its definitions in order.

    Raises:
        ConfigurationError: Reading ``file: message @ $.path`` for every problem.
    """
    data: _CatalogueFile = parse_toml(text, _CatalogueFile, file=file, converter=_converter())
    return data.municipality, data.measure


def load_catalogue(
    path: Path | Traversable, *, municipality: str | None = None
) -> tuple[MeasureDefinition, ...]:
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
        path: The TOML file (a path or a package resource).
        municipality: The kommunkod the file must be for; any when ``None``.

    Raises:
        ConfigurationError: If the file cannot be read or a key is wrong (file and key named),
            or the file is for another municipality than ``municipality``.
    """
    data: _CatalogueFile = load_toml(path, _CatalogueFile, converter=_converter())
    if municipality is not None and data.municipality != municipality:
        raise DataFileError(
            [(f"the file is for {data.municipality}, not {municipality}", ("municipality",))],
            file=str(path),
        )
    return data.measure


@hookimpl(trylast=True)
def kaa_measure_catalogue(municipality: str) -> Iterable[MeasureDefinition]:
    """The national base catalogue (a municipality's plugin adds its own measures)."""
    return _national()


@attrs.frozen(kw_only=True)
class Allowance:
    """A local allowance per month for taking part in a measure.

    Attributes:
        amount: Kronor per month.
        basis: How the amount was reached, for the case worker; when ``in_force_known`` is
            false it says so in words.
        citation: The decision, statute or document behind the rule.
        amount_citation: The source of the amount, when the amount follows another value
            with its own source (Trollhättan's follows CSN's study grant); ``None`` when
            ``citation`` covers the amount too.
        in_force_known: Whether a source shows the municipality applying the rule on the
            day asked. ``False`` means the answer assumes the last rule a source describes,
            which may no longer apply.
    """

    amount: Decimal
    basis: str
    citation: Citation | DocumentReference
    amount_citation: Citation | DocumentReference | None = None
    in_force_known: bool = True
