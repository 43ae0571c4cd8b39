"""The whole year in one call: register → target group → worklist → SCB file → report.

:func:`run_year` is what ``kaa year`` runs, and what a municipality's nightly job can call:

1. read the register export through a register source (``ist``, ``ss12000``, …), every row
   accepted or reported;
2. decide for every youth in it whether they are in the target group on the day, and list the
   youths who are but have no KAA case yet — the ones nobody is trying to reach;
3. join the case documentation (contacts, measures, plans) kept in the canonical cases file
   with the register: the register's facts about each youth are the current ones, the cases
   file holds what the case workers documented; a youth registered in the export but not in
   the cases file gets a case from the export;
4. build the day's worklist;
5. build, check and write the SCB file for the half-year the day falls in (refused, with the
   findings, when a check fails with an error);
6. write the committee report for the half-year and for the calendar year.

Every output is written atomically into one directory, and identity numbers are masked in
everything but the SCB upload file, which SCB needs whole.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import IO

import attrs

from kaa.adapters import SourceSummary, open_source
from kaa.commands.progress import track
from kaa.errors import InvalidInput
from kaa.formats.cases import read_cases
from kaa.formats.decisions import write_decisions_csv
from kaa.formats.files import atomic_text
from kaa.formats.problems import Problem, ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Case
from kaa.model.youth import Youth
from kaa.period import HalfYear, Year
from kaa.plugins.manager import Hooks
from kaa.report import build_report
from kaa.rules.target_group import Decision, assess, membership
from kaa.scb import build_submission, check_submission, default_profile, write_submission
from kaa.scb.checks import CheckReport
from kaa.worklist import Worklist, build_worklist, write_worklist_csv

__all__ = ["YearRun", "run_year"]


@attrs.frozen(kw_only=True)
class YearRun:
    """What :func:`run_year` did and where each output went.

    Attributes:
        day: The day of the run.
        period: The half-year of the SCB file and the report.
        register: The read summary of the register export.
        cases_file: The read summary of the cases file, if one was given.
        in_target_group: Youths in the register in the target group on the day.
        not_registered: Of those, how many have no KAA case.
        cases: KAA cases after joining the register and the cases file.
        worklist: The day's worklist.
        checks: The SCB check report.
        outputs: Each output's description and path, in the order written.
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
    outputs: tuple[tuple[str, Path], ...]

    @property
    def ok(self) -> bool:
        """No input row was rejected and the SCB file passed its checks."""
        files_ok = self.cases_file is None or self.cases_file.rows_rejected == 0
        return self.register.rows_rejected == 0 and files_ok and self.checks.ok


_NOT_REGISTERED_COLUMNS = ("id", "in_target_group_since", "ages_out", "reasons")


def _write_not_registered(rows: list[tuple[Decision, dt.date]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_NOT_REGISTERED_COLUMNS)
    for decision, since in rows:
        writer.writerow(
            (
                decision.youth.masked(),
                since.isoformat(),
                decision.ages_out.isoformat(),
                " | ".join(str(r) for r in decision.reasons),
            )
        )


def run_year(
    register: Path,
    *,
    municipality: str,
    on: dt.date,
    out_dir: Path,
    source: str = "ist",
    mapping: Path | None = None,
    cases_file: Path | None = None,
    hooks: Hooks,
    on_problem: Callable[[Problem], None] | None = None,
    progress: bool | None = None,
) -> YearRun:
    """Run the whole job for ``municipality`` on the day ``on``.

    Args:
        register: The register export.
        municipality: The kommunkod.
        on: The day ("today").
        out_dir: Where every output is written (created if missing).
        source: The register source that reads the export.
        mapping: The municipality's mapping file for the source.
        cases_file: The case documentation, canonical JSON Lines (optional).
        hooks: The plugin facade (``kaa year`` passes the default one).
        on_problem: Called with every input problem as it is found.
        progress: Draw progress bars on standard error (default: only on a terminal).

    Returns:
        What was done and where each output went.

    Raises:
        InvalidInput: If an input file cannot be read at all.
        RuleNotInForce: If ``on`` is before 2015-01-01.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    period = HalfYear.containing(on)
    outputs: list[tuple[str, Path]] = []
    enabled = None if progress is None else progress

    # 1-2: the register and the target group
    register_summary = SourceSummary(file=str(register))
    decisions: list[Decision] = []
    from_register: dict[IdentityNumber, Case] = {}
    records = open_source(
        source,
        register,
        summary=register_summary,
        reference_day=on,
        on_problem=on_problem,
        mapping=mapping,
        hooks=hooks,
    )
    youths: dict[IdentityNumber, Youth] = {}
    for record in track(records, label="register", enabled=enabled):
        youths[record.youth.id] = record.youth
        decisions.append(
            assess(
                record.youth,
                on=on,
                municipality=municipality,
                equivalence=hooks.counts_as_equivalent_education,
            )
        )
        if record.case is not None:
            from_register[record.youth.id] = record.case

    # 3: join the case documentation
    cases: dict[IdentityNumber, Case] = dict(from_register)
    cases_summary: ReadSummary | None = None
    if cases_file is not None:
        cases_summary = ReadSummary(file=str(cases_file))
        for case in read_cases(
            cases_file, summary=cases_summary, reference_day=on, on_problem=on_problem
        ):
            fresh = youths.get(case.youth.id)
            if fresh is not None and fresh != case.youth:
                try:
                    case = attrs.evolve(case, youth=fresh)
                except InvalidInput as exc:
                    problem = Problem(
                        file=str(cases_file),
                        line=0,
                        youth=case.youth.id.masked(),
                        message=f"the register's facts do not fit the case ({exc.message}); "
                        "the case file's facts were kept",
                    )
                    cases_summary.problems.append(problem)
                    if on_problem is not None:
                        on_problem(problem)
            cases[case.youth.id] = case
    all_cases = [c for c in cases.values() if c.municipality == municipality]

    inside = [d for d in decisions if d.in_target_group]
    missing = [d for d in inside if d.youth not in cases]
    path = out_dir / f"malgrupp-{on.isoformat()}.csv"
    with atomic_text(path) as out:
        write_decisions_csv(decisions, out)
    outputs.append(("target group decisions", path))
    path = out_dir / f"ej-registrerade-{on.isoformat()}.csv"
    since = [(d, _entered(youths[d.youth], on, municipality, hooks)) for d in missing]
    with atomic_text(path) as out:
        _write_not_registered(since, out)
    outputs.append(("in the target group but not registered", path))

    # 4: the worklist
    worklist = build_worklist(
        track(all_cases, total=len(all_cases), label="worklist", enabled=enabled),
        on=on,
        hooks=hooks,
    )
    path = out_dir / f"arbetslista-{on.isoformat()}.csv"
    with atomic_text(path) as out:
        write_worklist_csv(worklist, out)
    outputs.append(("worklist", path))

    # 5: the SCB file
    catalogue = hooks.measure_catalogue(municipality)
    submission = build_submission(
        all_cases,
        period,
        municipality=municipality,
        catalogue=catalogue,
        equivalence=hooks.counts_as_equivalent_education,
    )
    profile = default_profile()
    checks = check_submission(
        submission,
        profile=profile,
        cases=all_cases,
        equivalence=hooks.counts_as_equivalent_education,
    )
    path = out_dir / f"scb-{period.code}-kontroller.txt"
    with atomic_text(path) as out:
        out.write(f"{period} · kommun {municipality} · profil {profile.name}\n")
        out.write(
            f"{len(submission.records)} ungdomar; {len(checks.errors)} fel, "
            f"{len(checks.warnings)} varningar\n"
        )
        for finding in checks:
            out.write(f"{finding}\n")
    outputs.append(("SCB checks", path))
    if checks.ok:
        path = out_dir / f"scb-{period.code}.txt"
        write_submission(submission, path, profile=profile, report=checks)
        outputs.append(("SCB upload file (whole identity numbers)", path))

    # 6: the committee reports
    goals = hooks.report_goals(municipality)
    for report_period in (period, Year(on.year)):
        report = build_report(
            all_cases,
            report_period,
            municipality=municipality,
            goals=goals,
            catalogue=catalogue,
            made=on,
        )
        name = report_period.code if isinstance(report_period, HalfYear) else str(report_period)
        path = out_dir / f"rapport-{name}.html"
        with atomic_text(path) as out:
            out.write(report.html())
        outputs.append((f"committee report {report_period}", path))
        path = out_dir / f"rapport-{name}-utskrift.html"
        with atomic_text(path) as out:
            out.write(report.html(print_friendly=True))
        outputs.append((f"committee report {report_period}, print version", path))

    return YearRun(
        day=on,
        period=period,
        register=register_summary,
        cases_file=cases_summary,
        in_target_group=len(inside),
        not_registered=len(missing),
        cases=len(all_cases),
        worklist=worklist,
        checks=checks,
        outputs=tuple(outputs),
    )


def _entered(youth: Youth, on: dt.date, municipality: str, hooks: Hooks) -> dt.date:
    """The first day of the youth's current run in the target group (within a year back)."""
    start = max(on - dt.timedelta(days=365), dt.date(2015, 1, 1))
    runs = membership(
        youth,
        start,
        on,
        municipality=municipality,
        equivalence=hooks.counts_as_equivalent_education,
    ).intervals
    return runs[-1][0] if runs else on
