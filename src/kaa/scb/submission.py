"""The half-year submission to SCB: who is reported, and the record per youth.

Twice a year every municipality uploads one file to SCB (on behalf of Skolverket) holding
**every youth who was in the target group on at least one day of the half-year**, with their
contacts and measures in it. Uploading a new file deletes the previous one, so a submission is
always the whole population of the period, never a delta: :func:`build_submission` always
builds the complete set from the whole register.

The record per youth has five blocks (DOMAIN §5; SCB's instructions, HT 2018). Blocks 2–5
carry SCB's own headings (:attr:`Block.label_sv`); block 1's heading and the fields of every
block, as this library lays them out, are **the library's model** of SCB's structure, not a
copy of SCB's *datafilsbeskrivning* (which is not known here):

1. :class:`MandatoryData` — *obligatoriska uppgifter* (the library's wording): identity,
   municipality, registration day, reason for registration (the latest school-related
   activity, required from HT 2017) and activity at registration;
2. :class:`ContactRecord` — *Kontakt med individen*: each contact in the period that reached
   **the youth**, with the day and the youth's activity learnt at it. A contact that reached
   only a guardian is not a contact with the youth and is not reported (Askersund's routine
   runs "till dess att ungdomen är nådd"; the guardian of a youth under 18 is contacted *as
   well*);
3. :class:`MeasureStarted` — *Åtgärd påbörjas*: each measure started (or offered and
   declined) in the period: SCB category, day, declined or not;
4. :class:`MeasureEnded` — *Åtgärd avslutats*: each measure ended in the period: category,
   start, end, activity after the measure;
5. :class:`KaaEnded` — *Aktivitetsansvaret har upphört*: the day and the reason.

Which youths are reported (:func:`select`)
    A case is looked at over its *open window* within the period: from the later of the
    period's first day and the registration day, to the earlier of the period's last day and
    the day before KAA ended. The youth is reported when
    :func:`kaa.rules.target_group.membership` finds at least one day in the target group in
    that window, for the case's municipality. Cases open in the period whose youth was never
    in the target group in the window are returned as :class:`LeftOut` (a case worker may want
    to end them).

Which events belong to the period
    Contacts that reached the youth (:func:`reported_contact`), measure starts and measure
    ends whose day falls in the period. The end of KAA belongs to the half-year holding the
    youth's **last day in KAA**, the day before the end day (:func:`end_reported_in`): an end
    on 1 July (a youth who turns 20 on 1 July) is reported with VT, the last period in which
    the youth was in the target group, so no end is ever lost between two files. This is the
    **library's convention**, not a rule the sources give: a record whose end falls in
    another period gets the warning ``KAA-W008``, not an error.

    >>> import datetime as dt
    >>> from kaa.model.case import Case, Registration
    >>> from kaa.model.youth import Residence, Youth
    >>> from kaa.period import HalfYear
    >>> from kaa.scb.submission import build_submission
    >>> from kaa.testing import skatteverket_number
    >>> youth = Youth(
    ...     id=skatteverket_number(dt.date(2008, 8, 12)),
    ...     residences=(Residence(municipality="1882"),),
    ...     compulsory_school_completed=dt.date(2024, 6, 12),
    ... )
    >>> case = Case(
    ...     youth=youth, municipality="1882", registration=Registration(day=dt.date(2026, 8, 20))
    ... )
    >>> submission = build_submission([case], HalfYear(2026, 2), municipality="1882")
    >>> [r.youth for r in submission.records], submission.counts()["mandatory"]
    ([IdentityNumber('20080812-****')], 1)
"""

from __future__ import annotations

import datetime as dt
import enum
import weakref
from collections.abc import Iterable, Iterator
from typing import Final, Protocol

import attrs

from kaa.errors import InvalidInput
from kaa.identity import IdentityNumber
from kaa.law import DocumentReference
from kaa.model.case import (
    Activity,
    Case,
    Contact,
    Contacted,
    EndReason,
    Measure,
    MeasureCategory,
    RegistrationReason,
)
from kaa.model.youth import check_municipality_code
from kaa.period import HalfYear, last_day_in_kaa, open_window
from kaa.rules.measures import national_catalogue
from kaa.rules.target_group import Equivalence, membership, national_equivalence

__all__ = [
    "SCB_INSTRUCTIONS",
    "Block",
    "CategoryLookup",
    "ContactRecord",
    "KaaEnded",
    "LeftOut",
    "MandatoryData",
    "MeasureEnded",
    "MeasureStarted",
    "Memberships",
    "ScbRecord",
    "Submission",
    "UnknownMeasureType",
    "build_record",
    "build_submission",
    "end_reported_in",
    "reported_contact",
    "select",
]

_ONE = dt.timedelta(days=1)


SCB_INSTRUCTIONS: Final = DocumentReference(
    title="Kommunernas aktivitetsansvar: Instruktioner och kodförteckningar",
    issuer="SCB, på uppdrag av Skolverket",
    section="andra halvåret 2018",
    url="https://www.scb.se/lamna-uppgifter/undersokningar/Kommunernas-aktivitetsansvar/",
)
"""SCB's instructions for the collection, the source of the block structure and the headings
of blocks 2–5 (DOMAIN §5). SCB publishes them per half-year with a *datafilsbeskrivning* and
an *Excelmall*; their column layout and codes are not known to this library."""


class Block(enum.Enum):
    """The five blocks of a youth's record, in file order.

    Each member's value is the key used in layout profiles and block counts; ``label_sv``
    is the Swedish heading: SCB's own words for blocks 2–5, the library's for block 1
    (:attr:`heading_is_scbs` tells which).

        >>> Block.CONTACTS.label_sv, [b.number for b in Block if b.heading_is_scbs]
        ('Kontakt med individen', [2, 3, 4, 5])
    """

    MANDATORY = "mandatory"
    CONTACTS = "contacts"
    MEASURES_STARTED = "measures_started"
    MEASURES_ENDED = "measures_ended"
    KAA_ENDED = "kaa_ended"

    @property
    def label_sv(self) -> str:
        """The Swedish heading of the block."""
        return _BLOCK_LABELS[self][0]

    @property
    def heading_is_scbs(self) -> bool:
        """Whether :attr:`label_sv` is SCB's own heading (:data:`SCB_INSTRUCTIONS`).

        ``False`` for block 1, whose heading *obligatoriska uppgifter* is the library's
        wording: the sources do not give SCB's.
        """
        return _BLOCK_LABELS[self][1]

    @property
    def number(self) -> int:
        """1–5, the block's place in the record."""
        return _BLOCK_NUMBERS[self]


# (heading, whether it is SCB's own words)
_BLOCK_LABELS: Final = {
    Block.MANDATORY: ("Obligatoriska uppgifter", False),
    Block.CONTACTS: ("Kontakt med individen", True),
    Block.MEASURES_STARTED: ("Åtgärd påbörjas", True),
    Block.MEASURES_ENDED: ("Åtgärd avslutats", True),
    Block.KAA_ENDED: ("Aktivitetsansvaret har upphört", True),
}
_BLOCK_NUMBERS: Final = {block: number for number, block in enumerate(Block, start=1)}


class CategoryLookup(Protocol):
    """Anything that maps a measure type id to its SCB category.

    :class:`kaa.rules.measures.Catalogue` is one; a municipality's extended catalogue is
    another.
    """

    def scb_category(self, type_id: str, /) -> MeasureCategory:
        """The SCB category of the measure type ``type_id``.

        Raises:
            InvalidInput: If the type is not known.
        """
        ...


@attrs.frozen(kw_only=True)
class MandatoryData:
    """Block 1: the mandatory data about the youth.

    These five fields are the library's model of block 1, after DOMAIN §5's summary of
    SCB's instructions; SCB's own field list for the block is not known here.

    Attributes:
        youth: The identity number (masked in ``repr``).
        municipality: The reporting municipality's kommunkod.
        registered: The day the youth was registered in the KAA register.
        reason: The reason for registration: the latest school-related activity.
        activity: The youth's activity at registration.
    """

    youth: IdentityNumber
    municipality: str = attrs.field(validator=check_municipality_code)
    registered: dt.date
    reason: RegistrationReason
    activity: Activity


@attrs.frozen(kw_only=True)
class ContactRecord:
    """Block 2, *Kontakt med individen*: one contact with the youth in the period.

    Only contacts that reached the youth are reported (see :func:`reported_contact`); a
    contact that reached only a guardian is not one.

    Attributes:
        day: The day of the contact.
        activity: The youth's activity learnt at the contact (:attr:`Activity.UNKNOWN` if
            nothing was learnt).
    """

    day: dt.date
    activity: Activity


@attrs.frozen(kw_only=True)
class MeasureStarted:
    """Block 3, *Åtgärd påbörjas*: a measure started in the period, or offered in it and
    declined.

    Attributes:
        category: The SCB measure category.
        day: The start day; for a declined measure, the day it was offered.
        declined: Whether the youth declined it.
    """

    category: MeasureCategory
    day: dt.date
    declined: bool = False


@attrs.frozen(kw_only=True)
class MeasureEnded:
    """Block 4, *Åtgärd avslutats*: a measure that ended in the period.

    Attributes:
        category: The SCB measure category.
        start: The day it started (possibly in an earlier period).
        end: The day it ended.
        activity_after: The youth's activity after the measure.
    """

    category: MeasureCategory
    start: dt.date
    end: dt.date
    activity_after: Activity


@attrs.frozen(kw_only=True)
class KaaEnded:
    """Block 5, *Aktivitetsansvaret har upphört*: the end of the municipality's activity
    responsibility.

    Attributes:
        day: The day KAA ended.
        reason: Why.
    """

    day: dt.date
    reason: EndReason


@attrs.frozen(kw_only=True)
class ScbRecord:
    """One youth's record in the submission: the five blocks.

    Attributes:
        mandatory: Block 1.
        contacts: Block 2, in day order.
        measures_started: Block 3.
        measures_ended: Block 4.
        kaa_ended: Block 5, if KAA ended (in this period).
    """

    mandatory: MandatoryData
    contacts: tuple[ContactRecord, ...] = ()
    measures_started: tuple[MeasureStarted, ...] = ()
    measures_ended: tuple[MeasureEnded, ...] = ()
    kaa_ended: KaaEnded | None = None

    @property
    def youth(self) -> IdentityNumber:
        """The youth's identity number."""
        return self.mandatory.youth

    def rows(self, block: Block) -> tuple[object, ...]:
        """The entries of ``block`` (one for block 1, none or one for block 5)."""
        if block is Block.MANDATORY:
            return (self.mandatory,)
        if block is Block.CONTACTS:
            return self.contacts
        if block is Block.MEASURES_STARTED:
            return self.measures_started
        if block is Block.MEASURES_ENDED:
            return self.measures_ended
        return () if self.kaa_ended is None else (self.kaa_ended,)


@attrs.frozen(kw_only=True)
class LeftOut:
    """A case open in the period that is not reported, and why.

    Attributes:
        youth: The masked identity number.
        reason: Why, in English.
        reason_sv: Why, in Swedish.
    """

    youth: str
    reason: str
    reason_sv: str


@attrs.frozen(kw_only=True)
class UnknownMeasureType:
    """A measure whose type the catalogue does not know; reported as "other measure".

    The checks (:mod:`kaa.scb.checks`) turn each into an error that blocks writing.

    Attributes:
        youth: The youth's identity number.
        measure_id: The measure's id within the case.
        type: The unknown type id.
        block: The block the measure appears in.
        index: Its position within that block of the youth's record.
    """

    youth: IdentityNumber
    measure_id: str
    type: str
    block: Block
    index: int


class Memberships:
    """What :func:`select` found for each case it looked at: whether the youth was in the
    target group on at least one day of the case's open window in the half-year.

    :func:`build_submission` keeps them on the :class:`Submission`, and the checks
    (:func:`kaa.scb.checks.check_submission`, check ``KAA-E003``) use them instead of
    computing the same memberships again. An answer is given only for the very case object
    that was looked at, for the same half-year, the case's own municipality and the same
    equivalence; for anything else :meth:`found` returns ``None`` and the caller decides
    itself. The cases are held by weak references: a submission does not keep the register's
    cases alive, and a case that is gone has no answer.

        >>> import datetime as dt
        >>> from kaa.model.case import Case, Registration
        >>> from kaa.model.youth import Residence, Youth
        >>> from kaa.period import HalfYear
        >>> from kaa.rules.target_group import national_equivalence
        >>> from kaa.testing import skatteverket_number
        >>> youth = Youth(
        ...     id=skatteverket_number(dt.date(2008, 8, 12)),
        ...     residences=(Residence(municipality="1882"),),
        ...     compulsory_school_completed=dt.date(2024, 6, 12),
        ... )
        >>> registration = Registration(day=dt.date(2026, 8, 20))
        >>> case = Case(youth=youth, municipality="1882", registration=registration)
        >>> ht = HalfYear(2026, 2)
        >>> found = Memberships(ht, national_equivalence)
        >>> chosen, left_out = select([case], ht, memberships=found)
        >>> asked = {"period": ht, "equivalence": national_equivalence}
        >>> found.found(case, municipality="1882", **asked)
        True
        >>> found.found(case, municipality="0180", **asked) is None  # not what was looked at
        True

    Args:
        period: The half-year the memberships are for.
        equivalence: The equivalence they were decided with.
    """

    __slots__ = ("_in", "_out", "equivalence", "period")

    def __init__(self, period: HalfYear, equivalence: Equivalence) -> None:
        self.period = period
        self.equivalence = equivalence
        self._in: dict[int, weakref.ref[Case]] = {}
        self._out: dict[int, weakref.ref[Case]] = {}

    def add(self, case: Case, found: bool) -> None:
        """Record what was found for ``case`` (in its own municipality)."""
        (self._in if found else self._out)[id(case)] = weakref.ref(case)

    def found(
        self,
        case: Case,
        *,
        period: HalfYear,
        municipality: str,
        equivalence: Equivalence,
    ) -> bool | None:
        """Whether ``case``'s youth was in the target group on a day of its open window in
        ``period`` in ``municipality``, if that was found; ``None`` if it was not.

        Args:
            case: The case.
            period: The half-year.
            municipality: The municipality asked about.
            equivalence: The equivalence asked about.
        """
        if (
            municipality != case.municipality
            or period != self.period
            or equivalence != self.equivalence
        ):
            return None
        key = id(case)
        for found, refs in ((True, self._in), (False, self._out)):
            ref = refs.get(key)
            if ref is not None and ref() is case:
                return found
        return None

    def __len__(self) -> int:
        return len(self._in) + len(self._out)


@attrs.frozen(kw_only=True)
class Submission:
    """A municipality's complete submission for one half-year.

    Attributes:
        period: The half-year.
        municipality: The reporting municipality's kommunkod.
        records: One record per youth, in identity-number order.
        left_out: Cases open in the period that are not reported.
        unknown_measures: Measures whose type the catalogue did not know.
        memberships: What :func:`build_submission` found when it selected the cases (see
            :class:`Memberships`), which the checks use; ``None`` for a submission read back
            from a file or made otherwise. It is not compared and not shown.
    """

    period: HalfYear
    municipality: str = attrs.field(validator=check_municipality_code)
    records: tuple[ScbRecord, ...]
    left_out: tuple[LeftOut, ...] = ()
    unknown_measures: tuple[UnknownMeasureType, ...] = ()
    memberships: Memberships | None = attrs.field(default=None, eq=False, repr=False)

    def counts(self) -> dict[str, int]:
        """How many entries each block holds, keyed by :class:`Block` value."""
        return {b.value: sum(len(r.rows(b)) for r in self.records) for b in Block}

    def __iter__(self) -> Iterator[ScbRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def end_reported_in(end_day: dt.date) -> HalfYear:
    """The half-year in which an end of KAA on ``end_day`` is reported.

    The half-year that holds the youth's last day in KAA, the day before ``end_day``
    (:func:`kaa.period.last_day_in_kaa`): the library's convention (the sources do not say
    which half-year SCB expects), the one rule the follow-up uses too
    (:func:`kaa.period.end_falls_in`).

    >>> import datetime as dt
    >>> str(end_reported_in(dt.date(2026, 7, 1))), str(end_reported_in(dt.date(2026, 7, 2)))
    ('VT 2026', 'HT 2026')
    """
    return HalfYear.containing(last_day_in_kaa(end_day))


def _open_window(case: Case, period: HalfYear) -> tuple[dt.date, dt.date] | None:
    """The case's days in the half-year (:func:`kaa.period.open_window`, as the follow-up)."""
    return open_window(period, case.registration.day, None if case.end is None else case.end.day)


def reported_contact(contact: Contact, *, include_unreached: bool = False) -> bool:
    """Whether ``contact`` goes into block 2, *Kontakt med individen*.

    A contact with the individual is a contact with **the youth**: one directed at the youth
    that reached them. A contact that reached only a guardian is never reported, whatever
    was learnt at it — reaching the guardian is not reaching the youth (Askersund's routine
    runs "till dess att ungdomen är nådd", and a youth under 18's guardian is contacted *as
    well*; DOMAIN §4.1). With ``include_unreached`` the attempts directed at the youth that
    reached nobody are reported too.

        >>> import datetime as dt
        >>> from kaa.model.case import Channel, Contact, Contacted, ContactOutcome
        >>> day = dt.date(2026, 9, 1)
        >>> youth = Contact(day=day, channel=Channel.PHONE, outcome=ContactOutcome.REACHED)
        >>> guardian = Contact(
        ...     day=day,
        ...     channel=Channel.PHONE,
        ...     contacted=Contacted.GUARDIAN,
        ...     outcome=ContactOutcome.REACHED,
        ... )
        >>> reported_contact(youth), reported_contact(guardian)
        (True, False)

    Args:
        contact: The contact.
        include_unreached: Also report attempts at the youth that reached nobody.

    Returns:
        Whether it is reported.
    """
    if contact.contacted is not Contacted.YOUTH:
        return False
    return include_unreached or contact.outcome.reached


def select(
    cases: Iterable[Case],
    period: HalfYear,
    *,
    municipality: str | None = None,
    equivalence: Equivalence = national_equivalence,
    memberships: Memberships | None = None,
) -> tuple[list[Case], list[LeftOut]]:
    """The cases to report for ``period``, and the open ones left out.

    Args:
        cases: Every case of the register.
        period: The half-year.
        municipality: Only cases of this municipality are looked at (others are not the
            municipality's to report, and are ignored); ``None`` looks at every case, each
            for its own municipality.
        equivalence: Decides the open questions of the target-group rule (T3); the
            national default when not given.
        memberships: If given, what is found for each case looked at is added to it (it
            must be for ``period`` and ``equivalence``).

    Returns:
        The cases whose youth was in the target group on at least one day of the case's open
        window in the period, in the order given; and the cases open in the period that are
        left out, with the reason.
    """
    if memberships is not None and (
        memberships.period != period or memberships.equivalence != equivalence
    ):
        raise InvalidInput("the memberships must be for the same half-year and equivalence")
    chosen: list[Case] = []
    left_out: list[LeftOut] = []
    for case in cases:
        if municipality is not None and case.municipality != municipality:
            continue
        window = _open_window(case, period)
        if window is None:
            continue
        found = membership(
            case.youth,
            window[0],
            window[1],
            municipality=case.municipality,
            equivalence=equivalence,
        )
        if memberships is not None:
            memberships.add(case, found.any_day)
        if found.any_day:
            chosen.append(case)
        else:
            left_out.append(
                LeftOut(
                    youth=case.id,
                    reason=(
                        f"the case is open in {period.code} but the youth was not in the target "
                        f"group on any day from {window[0].isoformat()} to "
                        f"{window[1].isoformat()}"
                    ),
                    reason_sv=(
                        f"ärendet är öppet under {period} men ungdomen tillhörde inte "
                        f"målgruppen någon dag {window[0].isoformat()}–{window[1].isoformat()}"
                    ),
                )
            )
    return chosen, left_out


def _category(
    catalogue: CategoryLookup,
    case: Case,
    measure: Measure,
    block: Block,
    index: int,
    unknown: list[UnknownMeasureType],
) -> MeasureCategory:
    try:
        return catalogue.scb_category(measure.type)
    except InvalidInput:
        unknown.append(
            UnknownMeasureType(
                youth=case.youth.id,
                measure_id=measure.id,
                type=measure.type,
                block=block,
                index=index,
            )
        )
        return MeasureCategory.OTHER


def build_record(
    case: Case,
    period: HalfYear,
    *,
    catalogue: CategoryLookup | None = None,
    include_unreached_contacts: bool = False,
    unknown_measures: list[UnknownMeasureType] | None = None,
) -> ScbRecord:
    """The SCB record of one case for ``period``, with only the events in the period.

    Args:
        case: The case (already selected, see :func:`select`).
        period: The half-year.
        catalogue: Maps measure types to SCB categories; the national catalogue when
            ``None``.
        include_unreached_contacts: Also report the attempts at the youth that reached
            nobody (their activity is then :attr:`Activity.UNKNOWN`). Block 2 holds contacts
            *with the individual*, so the default reports only contacts that reached the
            youth; a contact that reached only a guardian is never reported (see
            :func:`reported_contact`).
        unknown_measures: If given, measures of unknown type are appended to it (they are
            reported as :attr:`MeasureCategory.OTHER`); otherwise an unknown type raises.

    Returns:
        The record.

    Raises:
        InvalidInput: If a measure type is not in the catalogue and ``unknown_measures`` is
            ``None``.
    """
    if catalogue is None:
        catalogue = national_catalogue()
    sink: list[UnknownMeasureType] = []
    contacts = tuple(
        ContactRecord(day=c.day, activity=c.activity or Activity.UNKNOWN)
        for c in case.contacts
        if c.day in period and reported_contact(c, include_unreached=include_unreached_contacts)
    )
    started: list[MeasureStarted] = []
    ended: list[MeasureEnded] = []
    for m in sorted(case.measures, key=lambda m: (m.start or m.offered, m.id)):
        if m.declined and m.offered in period:
            cat = _category(catalogue, case, m, Block.MEASURES_STARTED, len(started), sink)
            started.append(MeasureStarted(category=cat, day=m.offered, declined=True))
        elif m.start is not None and m.start in period:
            cat = _category(catalogue, case, m, Block.MEASURES_STARTED, len(started), sink)
            started.append(MeasureStarted(category=cat, day=m.start, declined=False))
        if m.start is not None and m.end is not None and m.end in period:
            cat = _category(catalogue, case, m, Block.MEASURES_ENDED, len(ended), sink)
            after = m.activity_after or Activity.UNKNOWN
            ended.append(MeasureEnded(category=cat, start=m.start, end=m.end, activity_after=after))
    ended.sort(key=lambda e: (e.end, e.start))
    if sink:
        if unknown_measures is None:
            first = sink[0]
            raise InvalidInput(
                f"{case.id}: measure {first.measure_id} has the type {first.type!r}, which is "
                "not in the catalogue",
                column="type",
            )
        unknown_measures.extend(sink)
    end = None
    if case.end is not None and end_reported_in(case.end.day) == period:
        end = KaaEnded(day=case.end.day, reason=case.end.reason)
    return ScbRecord(
        mandatory=MandatoryData(
            youth=case.youth.id,
            municipality=case.municipality,
            registered=case.registration.day,
            reason=case.registration.reason,
            activity=case.registration.activity,
        ),
        contacts=contacts,
        measures_started=tuple(started),
        measures_ended=tuple(ended),
        kaa_ended=end,
    )


def build_submission(
    cases: Iterable[Case],
    period: HalfYear,
    *,
    municipality: str,
    catalogue: CategoryLookup | None = None,
    equivalence: Equivalence = national_equivalence,
    include_unreached_contacts: bool = False,
) -> Submission:
    """Build the complete submission of ``municipality`` for ``period``.

    Args:
        cases: Every case of the municipality's register (cases of other municipalities are
            ignored).
        period: The half-year.
        municipality: The reporting municipality's kommunkod.
        catalogue: Maps measure types to SCB categories (any object with
            ``scb_category(type_id)``); the national catalogue when ``None``.
        equivalence: Decides the open questions of the target-group rule (T3); the
            national default when not given.
        include_unreached_contacts: See :func:`build_record`.

    Returns:
        The submission: one record per reported youth, in identity-number order, the open
        cases left out, the measures of unknown type (which the checks turn into errors),
        and the memberships found in selecting the cases (which the checks use).
    """
    check_municipality_code(None, attrs.fields(Submission).municipality, municipality)
    memberships = Memberships(period, equivalence)
    chosen, left_out = select(
        cases,
        period,
        municipality=municipality,
        equivalence=equivalence,
        memberships=memberships,
    )
    unknown: list[UnknownMeasureType] = []
    records = [
        build_record(
            case,
            period,
            catalogue=catalogue,
            include_unreached_contacts=include_unreached_contacts,
            unknown_measures=unknown,
        )
        for case in chosen
    ]
    records.sort(key=lambda r: r.youth)
    return Submission(
        period=period,
        municipality=municipality,
        records=tuple(records),
        left_out=tuple(left_out),
        unknown_measures=tuple(unknown),
        memberships=memberships,
    )
