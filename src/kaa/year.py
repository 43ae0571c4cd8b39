"""The whole year in one call: register → target group → worklist → SCB file → report.

:func:`run_year` is what ``kaa year`` runs, and what a municipality's nightly job can call.
It only orchestrates; each step is done by the room that owns it:

1. read the register export through a register source (``ist``, ``ss12000``, …), every row
   accepted or reported (:func:`kaa.adapters.open_source`);
2. decide for every youth in it whether they are in the target group on the day
   (:func:`kaa.rules.target_group.assess`), and list the youths who are but have no KAA case
   yet — the ones nobody is trying to reach (:mod:`kaa.formats.not_registered`);
3. join the case documentation (contacts, measures, plans) kept in the canonical cases file,
   or given as cases already read (from a case store, :mod:`kaa.store`), with the register
   (:func:`kaa.adapters.merge.join_cases`): the register's facts about each youth are the
   current ones, the documentation holds what the case workers documented; a youth
   registered in the export but not documented gets a case from the export;
4. build the day's worklist (:func:`kaa.worklist.build_worklist`);
5. build and check the SCB file for the half-year the day falls in, and write it when the
   one write rule allows it (:func:`kaa.scb.rule.may_write`: no rejected input row, no
   check failed with an error, at least one youth of the municipality);
6. write the committee report for the half-year and for the calendar year
   (:func:`kaa.report.build_report`).

The outputs are one set in one directory: they replace the previous run's all together when
the run succeeds, and a run that fails or is stopped leaves the previous set as it was
(:func:`kaa.formats.files.output_set`). Identity numbers are masked in everything but the
SCB upload file, which SCB needs whole. Progress is shown by whatever
the caller passes as ``progress`` (``kaa year`` passes its terminal progress bar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Protocol, TypeVar

import attrs

from kaa.adapters import SourceRecord, SourceSummary, open_source
from kaa.adapters.merge import join_cases
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases
from kaa.formats.decisions import write_decisions_csv
from kaa.formats.files import OutputSet, output_set
from kaa.formats.not_registered import write_not_registered
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Case
from kaa.model.youth import Youth
from kaa.period import HalfYear, Period, Year
from kaa.plugins.manager import Hooks
from kaa.report import build_report
from kaa.rules.measures import Catalogue
from kaa.rules.plan import PlanChecks
from kaa.rules.target_group import Decision, Equivalence, assess, in_target_group_since
from kaa.scb import build_submission, check_submission, default_profile, write_submission
from kaa.scb.checks import CheckReport, write_check_report
from kaa.scb.rule import WriteVerdict, may_write
from kaa.store.base import StoredCase
from kaa.worklist import Worklist, build_worklist, write_rows_csv

__all__ = ["Track", "YearRun", "run_year"]

T = TypeVar("T")


class Track(Protocol):
    """Shows the progress of one long step: wraps its items and yields them unchanged.

    ``kaa year`` passes :func:`kaa.commands.progress.track` (a bar on standard error when it
    is a terminal); the default shows nothing.
    """

    def __call__(
        self, items: Iterable[T], /, *, total: int | None = None, label: str = ""
    ) -> Iterable[T]:
        """Yield ``items`` (``total`` of them, if known), counting them under ``label``."""
        ...


def _untracked(items: Iterable[T], /, *, total: int | None = None, label: str = "") -> Iterable[T]:
    return items


@attrs.frozen(kw_only=True)
class YearRun:
    """What :func:`run_year` did and where each output went.

    Attributes:
        day: The day of the run.
        period: The half-year of the SCB file and the report.
        register: The read summary of the register export.
        cases_file: The read summary of the case documentation (the cases file, or the
            cases given), if there was any.
        in_target_group: Youths in the register in the target group on the day.
        not_registered: Of those, how many have no KAA case.
        cases: KAA cases after joining the register and the cases file.
        worklist: The day's worklist.
        checks: The SCB check report.
        scb: Whether the SCB upload file was written, and if not every reason why.
        outputs: Each output's description and path, in the order written.
        reported: The youths in the SCB upload file, in its order (none when it was not
            written).
    """

    day: dt.date
    period: HalfYear
    register: ReadSummary
    cases_file: ReadSummary | None
    in_target_group: int
    not_registered: int
    cases: int
    worklist: Worklist
    checks: CheckReport
    scb: WriteVerdict
    outputs: tuple[tuple[str, Path], ...]
    reported: tuple[IdentityNumber, ...] = ()

    @property
    def ok(self) -> bool:
        """The SCB file was written: no input row was rejected, no check failed with an
        error, and at least one youth belongs to the municipality."""
        return self.scb.allowed


@attrs.define
class _Outputs:
    """The output set being written, and each output in it, in order."""

    files: OutputSet
    written: list[tuple[str, Path]] = attrs.Factory(list)

    def write(self, what: str, name: str, content: str | Callable[[IO[str]], object]) -> None:
        """Write ``content`` (a text, or a function writing to a stream) into the set."""
        with self.files.text(name) as out:
            if isinstance(content, str):
                out.write(content)
            else:
                content(out)
        self.written.append((what, self.files.directory / name))


def run_year(
    register: Path,
    *,
    municipality: str,
    on: dt.date,
    out_dir: Path,
    source: str = "ist",
    mapping: Path | None = None,
    cases_file: Path | None = None,
    cases: Iterable[Case | StoredCase] | None = None,
    cases_summary: ReadSummary | None = None,
    hooks: Hooks,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Track = _untracked,
    reveal_ids: bool = False,
) -> YearRun:
    """Run the whole job for ``municipality`` on the day ``on``.

    Args:
        register: The register export.
        municipality: The kommunkod.
        on: The day ("today").
        out_dir: Where every output is written (created if missing). The outputs are one
            set: they replace the previous run's together when the run succeeds, and a run
            that fails leaves the previous set as it was
            (:func:`kaa.formats.files.output_set`).
        source: The register source that reads the export.
        mapping: The municipality's mapping file for the source.
        cases_file: The case documentation, canonical JSON Lines (optional).
        cases: The case documentation as cases already read, e.g. from a case store
            (``stored.case for stored in store.cases(purpose=…)``), instead of ``cases_file``.
        cases_summary: How ``cases`` were read (its rejected rows refuse the SCB file, and
            it is :attr:`YearRun.cases_file`); a summary named ``cases`` is made if none is
            given. Not used with ``cases_file``.
        hooks: The plugin facade (``kaa year`` passes the default one).
        on_problem: Called with every input problem as it is found.
        progress: Shows the progress of the long steps (reading the register, building the
            worklist); nothing is shown by default.
        reveal_ids: Write whole identity numbers in the two lists a person acts on — the
            worklist and the youths in the target group who are not registered — (the
            reports stay masked; the SCB file is always whole). The caller records that in
            the audit log (``kaa year --reveal-ids`` does, on a store).

    Returns:
        What was done and where each output went.

    Raises:
        InvalidInput: If an input file cannot be read at all, or both ``cases_file`` and
            ``cases`` are given.
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    documentation: tuple[Iterable[Case | StoredCase], ReadSummary] | None = None
    if cases_file is not None:
        if cases is not None:
            raise InvalidInput("give the case documentation as cases_file or cases, not both")
        summary = ReadSummary(file=str(cases_file))
        documentation = (
            read_cases(cases_file, summary=summary, reference_day=on, on_problem=on_problem),
            summary,
        )
    elif cases is not None:
        documentation = (cases, cases_summary or ReadSummary(file="cases"))
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_set(out_dir) as files:
        return _run(
            register,
            _Outputs(files),
            municipality=municipality,
            on=on,
            source=source,
            mapping=mapping,
            documentation=documentation,
            hooks=hooks,
            on_problem=on_problem,
            progress=progress,
            reveal_ids=reveal_ids,
        )


def _run(
    register: Path,
    outputs: _Outputs,
    *,
    municipality: str,
    on: dt.date,
    source: str,
    mapping: Path | None,
    documentation: tuple[Iterable[Case | StoredCase], ReadSummary] | None,
    hooks: Hooks,
    on_problem: Callable[[Problem], None] | None,
    progress: Track,
    reveal_ids: bool,
) -> YearRun:
    period = HalfYear.containing(on)
    equivalence = hooks.counts_as_equivalent_education

    # 1: the register, and who in it is in the target group on the day
    register_summary = SourceSummary(file=str(register))
    records = open_source(
        source,
        register,
        summary=register_summary,
        reference_day=on,
        on_problem=on_problem,
        mapping=mapping,
        hooks=hooks,
    )
    youths, decisions, from_register = _assess_register(
        progress(records, label="register"),
        on=on,
        municipality=municipality,
        equivalence=equivalence,
    )

    # 3: join the case documentation
    cases = from_register
    cases_summary: ReadSummary | None = None
    case_ids: dict[IdentityNumber, str] = {}
    if documentation is not None:
        documented, cases_summary = documentation
        cases = join_cases(
            youths,
            from_register,
            _remember_ids(documented, case_ids),
            summary=cases_summary,
            on=on,
            on_problem=on_problem,
        )
    own = [c for c in cases.values() if c.municipality == municipality]
    numbered = [
        StoredCase(case_id=case_ids[c.youth.id], case=c) if c.youth.id in case_ids else c
        for c in own
    ]

    # 2: the decisions, and the youths in the target group without a case
    inside, missing = _target_group_lists(
        outputs,
        decisions,
        youths,
        cases,
        on=on,
        municipality=municipality,
        equivalence=equivalence,
        reveal_ids=reveal_ids,
    )

    # 4: the worklist
    worklist = build_worklist(
        progress(numbered, total=len(numbered), label="worklist"), on=on, hooks=hooks
    )
    outputs.write(
        "worklist",
        f"arbetslista-{on.isoformat()}.csv",
        lambda out: write_rows_csv(worklist, out, reveal_ids=reveal_ids),
    )

    # 5: the SCB file, 6: the committee reports
    catalogue = hooks.measure_catalogue(municipality)
    checks, verdict, reported = _scb_file(
        outputs,
        own,
        period,
        municipality=municipality,
        catalogue=catalogue,
        equivalence=equivalence,
        read=(register_summary, cases_summary),
    )
    _reports(
        outputs,
        own,
        (period, Year(on.year)),
        municipality=municipality,
        hooks=hooks,
        catalogue=catalogue,
        made=on,
    )

    return YearRun(
        day=on,
        period=period,
        register=register_summary,
        cases_file=cases_summary,
        in_target_group=inside,
        not_registered=missing,
        cases=len(own),
        worklist=worklist,
        checks=checks,
        scb=verdict,
        outputs=tuple(outputs.written),
        reported=reported,
    )


def _remember_ids(
    documented: Iterable[Case | StoredCase], ids: dict[IdentityNumber, str]
) -> Iterator[Case]:
    """The cases, noting each stored case's id by youth (the latest case of a youth wins,
    as in :func:`kaa.adapters.merge.join_cases`)."""
    for entry in documented:
        if isinstance(entry, StoredCase):
            ids[entry.case.youth.id] = entry.case_id
            yield entry.case
        else:
            yield entry


def _assess_register(
    records: Iterable[SourceRecord],
    *,
    on: dt.date,
    municipality: str,
    equivalence: Equivalence,
) -> tuple[dict[IdentityNumber, Youth], list[Decision], dict[IdentityNumber, Case]]:
    """The register's youths, the decision for each record, and the cases the export holds."""
    youths: dict[IdentityNumber, Youth] = {}
    decisions: list[Decision] = []
    from_register: dict[IdentityNumber, Case] = {}
    for record in records:
        youths[record.youth.id] = record.youth
        decisions.append(
            assess(record.youth, on=on, municipality=municipality, equivalence=equivalence)
        )
        if record.case is not None:
            from_register[record.youth.id] = record.case
    return youths, decisions, from_register


def _target_group_lists(
    outputs: _Outputs,
    decisions: Sequence[Decision],
    youths: Mapping[IdentityNumber, Youth],
    cases: Mapping[IdentityNumber, Case],
    *,
    on: dt.date,
    municipality: str,
    equivalence: Equivalence,
    reveal_ids: bool,
) -> tuple[int, int]:
    """Write the decisions and the youths in the target group without a case; count both."""
    outputs.write(
        "target group decisions",
        f"malgrupp-{on.isoformat()}.csv",
        lambda out: write_decisions_csv(decisions, out),
    )
    inside = [d for d in decisions if d.in_target_group]
    since = [
        (
            d,
            in_target_group_since(
                youths[d.youth], on, municipality=municipality, equivalence=equivalence
            ),
        )
        for d in inside
        if d.youth not in cases
    ]
    outputs.write(
        "in the target group but not registered",
        f"ej-registrerade-{on.isoformat()}.csv",
        lambda out: write_not_registered(since, out, reveal_ids=reveal_ids),
    )
    return len(inside), len(since)


def _scb_file(
    outputs: _Outputs,
    cases: Sequence[Case],
    period: HalfYear,
    *,
    municipality: str,
    catalogue: Catalogue,
    equivalence: Equivalence,
    read: Sequence[ReadSummary | None],
) -> tuple[CheckReport, WriteVerdict, tuple[IdentityNumber, ...]]:
    """Build and check the submission, write the checks, and the upload file if allowed;
    returns the checks, the verdict and the youths in the upload file written."""
    submission = build_submission(
        cases, period, municipality=municipality, catalogue=catalogue, equivalence=equivalence
    )
    profile = default_profile()
    checks = check_submission(submission, profile=profile, cases=cases, equivalence=equivalence)
    outputs.write(
        "SCB checks",
        f"scb-{period.code}-kontroller.txt",
        lambda out: write_check_report(checks, out, submission=submission, profile=profile),
    )
    verdict = may_write(submission, checks, read=read)
    if verdict.allowed:
        name = f"scb-{period.code}.txt"
        with outputs.files.path(name) as staged:
            write_submission(submission, staged, profile=profile, report=checks, read=read)
        outputs.written.append(
            ("SCB upload file (whole identity numbers)", outputs.files.directory / name)
        )
        return checks, verdict, tuple(record.youth for record in submission.records)
    return checks, verdict, ()


def _reports(
    outputs: _Outputs,
    cases: Sequence[Case],
    periods: Iterable[Period],
    *,
    municipality: str,
    hooks: Hooks,
    catalogue: Catalogue,
    made: dt.date,
) -> None:
    """Write the committee report, and its print version, for each period."""
    goals = hooks.report_goals(municipality)
    checks = PlanChecks(catalogue)  # each case's plan checked once for all the periods
    for period in periods:
        report = build_report(
            cases,
            period,
            municipality=municipality,
            goals=goals,
            catalogue=catalogue,
            made=made,
            plan_checks=checks,
        )
        name = f"rapport-{period.code}"
        outputs.write(f"committee report {period}", f"{name}.html", report.html())
        outputs.write(
            f"committee report {period}, print version",
            f"{name}-utskrift.html",
            report.html(print_friendly=True),
        )
