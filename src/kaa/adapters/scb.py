"""The ``scb`` source: a prior SCB submission file, to carry a register over to a new system.

A municipality changing register systems still has the files it sent SCB. This source reads
one through the SCB layout profile (:mod:`kaa.scb`, the same reader that checks a file before
upload) and turns each youth's record into a KAA case:

============================  ================================================================
SCB block                     becomes
============================  ================================================================
1 mandatory data              the youth (identity number, home municipality = the reporting
                              municipality) and the registration (day, reason, activity)
2 contacts                    contacts *with* the youth (SCB counts those), channel "other"
                              (SCB does not record the channel), with the activity learnt
3 measure started / declined  a measure of the national catalogue type for its SCB category
                              (``introduction_programme``, ``study_guidance``, ``other``)
4 measure ended               the end day and the activity after, on the started measure with
                              the same category and start day (or a measure of its own when it
                              started in an earlier period)
5 KAA ended                   the end of KAA
============================  ================================================================

An SCB file holds no address, education history or degree: combine these records with a
pupil-register source (``ss12000``, ``ist``) through :func:`kaa.adapters.combine` to assess the
target group. The file is read whole (submission files hold a municipality's register for one
half-year, a few thousand youths at most).

The source needs to know which half-year the file is for; a mapping file (TOML) says so, and
may name the layout profile the file was written with and the reporting municipality::

    period = "2026H1"                 # required: 2026H1, or "VT 2026"
    profile = "scb-vt2026.toml"       # optional: relative to this file; default layout if left out
    municipality = "1882"             # optional: default is the first record's
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from kaa.adapters.base import Origin, SourceRecord, add_problem
from kaa.convert import Invalid, Kommunkod, load_toml
from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.problems import Problem, ReadSummary
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactOutcome,
    KaaEnd,
    Measure,
    MeasureCategory,
    Registration,
    RegistrationSource,
)
from kaa.model.youth import Residence, Youth
from kaa.period import HalfYear
from kaa.scb.layout import ScbLayout, default_profile, load_profile
from kaa.scb.reader import read_submission
from kaa.scb.submission import Block, ScbRecord

__all__ = ["ScbSource", "case_from_record"]

MEASURE_TYPES = {
    MeasureCategory.INTRODUCTION_PROGRAMME_STUDIES: "introduction_programme",
    MeasureCategory.GUIDANCE: "study_guidance",
    MeasureCategory.OTHER: "other",
}
"""The national catalogue type a measure of each SCB category is read as."""


def case_from_record(record: ScbRecord) -> Case:
    """The KAA case for one youth's SCB record (see the module docs).

    Raises:
        InvalidInput: If the record breaks a rule of the case model (for example a measure
            before the registration).
    """
    m = record.mandatory
    youth = Youth(id=m.youth, residences=(Residence(municipality=m.municipality),))
    contacts = tuple(
        Contact(
            day=c.day,
            channel=Channel.OTHER,
            outcome=ContactOutcome.REACHED,
            activity=None if c.activity is Activity.UNKNOWN else c.activity,
        )
        for c in record.contacts
    )
    measures: list[Measure] = []
    open_by_key: dict[tuple[MeasureCategory, dt.date], int] = {}
    for started in record.measures_started:
        measures.append(
            Measure(
                id=f"scb{len(measures) + 1}",
                type=MEASURE_TYPES[started.category],
                offered=started.day,
                declined=started.declined,
                start=None if started.declined else started.day,
            )
        )
        if not started.declined:
            open_by_key.setdefault((started.category, started.day), len(measures) - 1)
    for ended in record.measures_ended:
        at = open_by_key.pop((ended.category, ended.start), None)
        if at is None:
            measures.append(
                Measure(
                    id=f"scb{len(measures) + 1}",
                    type=MEASURE_TYPES[ended.category],
                    offered=ended.start,
                    start=ended.start,
                    end=ended.end,
                    activity_after=ended.activity_after,
                )
            )
        else:
            measures[at] = attrs.evolve(
                measures[at], end=ended.end, activity_after=ended.activity_after
            )
    end = record.kaa_ended
    return Case(
        youth=youth,
        municipality=m.municipality,
        registration=Registration(
            day=m.registered,
            source=RegistrationSource.OTHER,
            reason=m.reason,
            activity=m.activity,
        ),
        contacts=contacts,
        measures=tuple(measures),
        end=KaaEnd(day=end.day, reason=end.reason) if end is not None else None,
    )


@attrs.frozen(kw_only=True)
class _Settings:
    period: HalfYear
    profile: ScbLayout | None
    municipality: str | None


@attrs.frozen(kw_only=True)
class _MappingFile:
    """The scb source's mapping file: the half-year, and optionally the layout and kommunkod."""

    period: HalfYear | None = None
    profile: str | None = None
    municipality: Kommunkod | None = None

    def __attrs_post_init__(self) -> None:
        if self.period is None:
            raise Invalid('the half-year, e.g. "2026H1"', at=("period",))


def _settings(mapping: Path | None) -> _Settings:
    if mapping is None:
        raise ConfigurationError(
            "the scb source needs to know the half-year of the file: give a mapping file "
            "(--mapping) with period = \"2026H1\" (see the docs page 'Prior SCB file')"
        )
    path = Path(mapping)
    data: _MappingFile = load_toml(path, _MappingFile)
    profile = load_profile(path.parent / data.profile) if data.profile is not None else None
    assert data.period is not None  # checked by the file model
    return _Settings(period=data.period, profile=profile, municipality=data.municipality)


def _rows_of(record: ScbRecord, layout: str) -> int:
    if layout == "wide":
        return 1
    return sum(len(record.rows(block)) for block in Block)


@attrs.frozen
class ScbSource:
    """The built-in ``scb`` register source (see the module docs).

    Attributes:
        name: ``scb``.
        description: One line for ``kaa sources``.
    """

    name: str = "scb"
    description: str = (
        "a prior SCB submission file (needs --mapping with the period), to carry a register over"
    )

    def read(
        self,
        path: Path,
        *,
        summary: ReadSummary,
        reference_day: dt.date | None,
        on_problem: Callable[[Problem], None] | None,
        mapping: Path | None = None,
    ) -> Iterator[SourceRecord]:
        """Read the records of a prior SCB file (see :class:`kaa.adapters.base.RegisterSource`).

        Identity numbers are read against the period's last day, as in the SCB reader;
        ``reference_day`` is not used.

        Raises:
            ConfigurationError: If the mapping file is missing or malformed.
            InvalidInput: If the file cannot be read at all.
        """
        settings = _settings(mapping)
        return self._read(Path(path), settings, summary, on_problem)

    def _read(
        self,
        path: Path,
        settings: _Settings,
        summary: ReadSummary,
        on_problem: Callable[[Problem], None] | None,
    ) -> Iterator[SourceRecord]:
        profile = settings.profile if settings.profile is not None else default_profile()
        inner = ReadSummary(file=str(path))
        submission = read_submission(
            path,
            period=settings.period,
            profile=profile,
            municipality=settings.municipality,
            summary=inner,
            on_problem=on_problem,
        )
        summary.rows_read += inner.rows_read
        summary.rows_accepted += inner.rows_accepted
        summary.rows_rejected += inner.rows_rejected
        summary.problems.extend(inner.problems)
        name = str(path)
        for record in submission.records:
            try:
                case = case_from_record(record)
            except InvalidInput as exc:
                rows = _rows_of(record, profile.layout)
                summary.rows_accepted -= rows
                summary.rows_rejected += rows
                add_problem(
                    summary,
                    on_problem,
                    Problem(
                        file=name,
                        line=1,
                        column=None if exc.column is None else str(exc.column),
                        youth=record.youth.masked(),
                        message=f"the record cannot be carried over as a case: {exc.message}",
                    ),
                )
                continue
            summary.records += 1
            yield SourceRecord(
                youth=case.youth, origin=Origin(source=self.name, file=name, lines=()), case=case
            )
