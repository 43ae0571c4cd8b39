"""Cross-field checks of a submission, before anything is written.

Each check has a stable numbered id (``KAA-E…`` for errors, ``KAA-W…`` for warnings), a
Swedish and an English message, what it rests on (:attr:`CheckDefinition.basis`), and each
finding names the youth (masked identity number), the block, the entry within the block and
the field. **Errors block writing; warnings do not.**

SCB runs its own logical checks on upload (described in its *datafilsbeskrivning*, not
known here); these are **the library's**, numbered by the library — their ids are not SCB's,
and no check claims that SCB would reject the file. A check is an error only where the file
would contradict itself, the statute or the register (a youth twice, a measure that ends
before it starts, a youth not in the target group); the library's own conventions and
models — which half-year an end of KAA belongs to (``KAA-W008``), how many entries a layout
profile has room for (``KAA-W009``), a category the profile has no code for (``KAA-W010``)
— are warnings: the file is written, and the finding says what the library did.
``KAA-W001`` (reason for registration missing) applies from HT 2017, when SCB made the
reason required (:data:`REASON_REQUIRED`).

Ids are never reused: :data:`RETIRED` maps each retired id to the one that replaced it.

    >>> from kaa.scb.checks import CHECKS
    >>> CHECKS["KAA-E010"].message_en
    'the measure ends ({end}) before it starts ({start})'

The full table is in the documentation (``docs/scb-submission.md``) and in :data:`CHECKS`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Final

import attrs

from kaa.dated import Timeline, Version
from kaa.errors import KaaError
from kaa.identity import IdentityNumber
from kaa.law import SKOLLAGEN, DocumentReference
from kaa.model.case import Activity, Case, EndReason, RegistrationReason
from kaa.rules.target_group import Equivalence, ages_out, membership, national_equivalence
from kaa.scb.layout import BLOCK_FIELDS, ScbLayout
from kaa.scb.submission import SCB_INSTRUCTIONS, Block, ScbRecord, Submission, end_reported_in

__all__ = [
    "CHECKS",
    "OWN_CHECKS_SV",
    "REASON_REQUIRED",
    "RETIRED",
    "CheckDefinition",
    "CheckReport",
    "ChecksFailed",
    "Finding",
    "Severity",
    "check_submission",
    "write_check_report",
]


class Severity(enum.Enum):
    """Whether a failed check blocks writing."""

    ERROR = "error"
    """Blocks writing: the file would contradict itself, the statute or the register. (Which
    of SCB's own checks reject a file is not known; no error claims to be one of them.)"""
    WARNING = "warning"
    """Reported, does not block writing: worth a look by a case worker; also every check that
    rests on the library's own conventions or models."""


@attrs.frozen(kw_only=True)
class CheckDefinition:
    """One check: id, severity, message templates in Swedish and English, and its basis.

    Attributes:
        id: Stable id, ``KAA-E001`` (error) or ``KAA-W001`` (warning).
        severity: Error or warning.
        title: A short English name of the check.
        message_sv: The Swedish message template (``str.format`` fields).
        message_en: The English message template.
        basis: What the check rests on, in English: a statute, SCB's instructions, the
            file's own consistency, or ``the library's …`` for the library's own conventions
            and models.
    """

    id: str
    severity: Severity
    title: str
    message_sv: str
    message_en: str
    basis: str


def _e(id: str, title: str, sv: str, en: str, basis: str) -> CheckDefinition:
    return CheckDefinition(
        id=id, severity=Severity.ERROR, title=title, message_sv=sv, message_en=en, basis=basis
    )


def _w(id: str, title: str, sv: str, en: str, basis: str) -> CheckDefinition:
    return CheckDefinition(
        id=id, severity=Severity.WARNING, title=title, message_sv=sv, message_en=en, basis=basis
    )


_SELF: Final = "the file's own consistency: the record contradicts itself or its period"
_TARGET_GROUP: Final = f"the target group, {SKOLLAGEN.at(chapter=29, section='9')}"


_DEFINITIONS: Final = (
    _e(
        "KAA-E001",
        "duplicate youth",
        "ungdomen förekommer {count} gånger i filen",
        "the youth appears {count} times in the file",
        _SELF,
    ),
    _e(
        "KAA-E002",
        "youth of another municipality",
        "ungdomen är registrerad i kommun {found}, inte i {expected}",
        "the youth is registered in municipality {found}, not {expected}",
        _SELF,
    ),
    _e(
        "KAA-E003",
        "not in the target group in the period",
        "ungdomen tillhörde inte målgruppen någon dag under {period}",
        "the youth was not in the target group on any day of {period}",
        _TARGET_GROUP,
    ),
    _e(
        "KAA-E004",
        "turned 20 before the period",
        "ungdomen fyllde 20 år {birthday}, senast periodens första dag",
        "the youth turned 20 on {birthday}, on or before the first day of the period",
        _TARGET_GROUP,
    ),
    _e(
        "KAA-E005",
        "registered after the period",
        "registreringsdatum {day} är efter periodens slut ({last})",
        "the registration day {day} is after the end of the period ({last})",
        _SELF,
    ),
    _e(
        "KAA-E006",
        "contact outside the period",
        "kontakten {day} ligger utanför perioden {period}",
        "the contact on {day} is outside the period {period}",
        _SELF,
    ),
    _e(
        "KAA-E007",
        "event before the registration",
        "{what} {day} är före registreringsdatum {registered}",
        "the {what_en} {day} is before the registration day {registered}",
        _SELF,
    ),
    _e(
        "KAA-E008",
        "measure started outside the period",
        "insatsen påbörjades {day}, utanför perioden {period}",
        "the measure started on {day}, outside the period {period}",
        _SELF,
    ),
    _e(
        "KAA-E009",
        "measure ended outside the period",
        "insatsen avslutades {day}, utanför perioden {period}",
        "the measure ended on {day}, outside the period {period}",
        _SELF,
    ),
    _e(
        "KAA-E010",
        "measure ends before it starts",
        "insatsen slutar ({end}) innan den börjar ({start})",
        "the measure ends ({end}) before it starts ({start})",
        _SELF,
    ),
    _e(
        "KAA-E012",
        "ended as turned 20, but not 20",
        "aktivitetsansvaret upphörde {day} för att ungdomen fyllt 20 år, men ungdomen är "
        "{age} år den dagen",
        "KAA ended on {day} because the youth turned 20, but the youth is {age} on that day",
        _TARGET_GROUP,
    ),
    _e(
        "KAA-E013",
        "event after the end of KAA",
        "{what} {day} är efter att aktivitetsansvaret upphörde {end}",
        "the {what_en} {day} is after KAA ended on {end}",
        _SELF,
    ),
    _e(
        "KAA-E015",
        "measure type not in the catalogue",
        "insatstypen {type} (insats {measure}) finns inte i katalogen; den kan inte redovisas",
        "the measure type {type} (measure {measure}) is not in the catalogue; it cannot be "
        "reported",
        "the register's consistency: a measure of a type no catalogue knows has no category",
    ),
    _w(
        "KAA-W001",
        "reason for registration missing",
        "registreringsorsak saknas (krävs från HT 2017)",
        "the reason for registration is missing (required from HT 2017)",
        f"{SCB_INSTRUCTIONS}: the reason for registration is required from HT 2017",
    ),
    _w(
        "KAA-W002",
        "interim number",
        "ungdomen har ett reservnummer, inte ett personnummer eller samordningsnummer; om SCB "
        "kan matcha det är inte känt",
        "the youth has an interim number, not a personnummer or samordningsnummer; whether SCB "
        "can match it is not known",
        "the library's identity-number model: an interim number is a school system's own",
    ),
    _w(
        "KAA-W003",
        "open case left out",
        "ärendet är öppet men redovisas inte: {reason}; överväg att avsluta det",
        "the case is open but not reported: {reason}; consider ending it",
        _TARGET_GROUP,
    ),
    _w(
        "KAA-W004",
        "turned-20 end after the birthday",
        "aktivitetsansvaret upphörde {day}, efter 20-årsdagen {birthday}",
        "KAA ended on {day}, after the 20th birthday {birthday}",
        _TARGET_GROUP,
    ),
    _w(
        "KAA-W005",
        "birth date not known",
        "födelsedatum okänt (samordningsnummer): ålderskontrollerna kunde inte göras",
        "the birth date is not known (samordningsnummer): the age checks could not be made",
        "the library's age checks, which need a birth date",
    ),
    _w(
        "KAA-W006",
        "activity after a measure unknown",
        "sysselsättning efter insatsen är okänd",
        "the activity after the measure is unknown",
        f"{SCB_INSTRUCTIONS}: the measure-ended block holds the activity after the measure",
    ),
    _w(
        "KAA-W007",
        "placeholder codes",
        "profilen {profile} har platshållarkoder, inte SCB:s koder; kontrollera mot aktuell "
        "datafilsbeskrivning innan filen lämnas",
        "the profile {profile} has placeholder codes, not SCB's; check it against the current "
        "datafilsbeskrivning before uploading",
        "the library's default profile, whose codes are the library's, not SCB's",
    ),
    _w(
        "KAA-W008",
        "end of KAA in another period",
        "aktivitetsansvaret upphörde {day}; enligt bibliotekets regel (halvåret med ungdomens "
        "sista dag i aktivitetsansvaret) hör det till {reported}, inte {period}",
        "KAA ended on {day}; by the library's convention (the half-year of the youth's last day "
        "in KAA) it belongs to {reported}, not {period}",
        "the library's convention on which half-year an end of KAA belongs to; the sources do "
        "not say",
    ),
    _w(
        "KAA-W009",
        "more entries than the layout holds",
        "{count} poster i blocket, men profilen {profile} har plats för {room}; de {left} "
        "sista skrivs inte i filen",
        "{count} entries in the block, but the profile {profile} has room for {room}; the last "
        "{left} are left out of the file",
        "the layout profile's room for repeated entries, which is the profile's, not a limit "
        "the sources give",
    ),
    _w(
        "KAA-W010",
        "category without a code in the profile",
        "profilen {profile} har ingen kod för {value} ({label}) i kodlistan {code_list}; "
        "cellen lämnas tom i filen",
        "the profile {profile} has no code for {value} ({label}) in the code list {code_list}; "
        "the cell is left empty in the file",
        "the layout profile, which leaves the library's category without a code instead of "
        "inventing one",
    ),
)

CHECKS: Final[Mapping[str, CheckDefinition]] = {d.id: d for d in _DEFINITIONS}
"""Every check, by id."""

OWN_CHECKS_SV: Final = (
    "Kontrollerna är bibliotekets egna (KAA-…), inte SCB:s; SCB gör sina egna kontroller när "
    "filen läses in."
)
"""The sentence every check report carries: these checks are the library's, not SCB's."""

RETIRED: Final[Mapping[str, str]] = {
    "KAA-E011": "KAA-W008",
    "KAA-E014": "KAA-W009",
}
"""Retired check ids and the id that replaced each (an error that became a warning gets a new
id; no id is reused)."""

REASON_REQUIRED: Final[Timeline[bool]] = Timeline(
    "kaa.scb.reason_for_registration_required",
    [
        Version(
            start=dt.date(2015, 1, 1),
            value=False,
            title="the collection starts (VT 2015); the reason for registration is not required",
            citation=DocumentReference(
                title="Kommunernas aktivitetsansvar",
                issuer="SCB, på uppdrag av Skolverket",
                url=SCB_INSTRUCTIONS.url,
            ),
            sources=("prop. 2013/14:191",),
        ),
        Version(
            start=dt.date(2017, 7, 1),
            value=True,
            title="the reason for registration (the latest school-related activity) is required "
            "from HT 2017",
            citation=SCB_INSTRUCTIONS,
        ),
    ],
)
"""Whether the reason for registration is a required field, by half-year (check
``KAA-W001``): from HT 2017 (2017-07-01), not VT 2015–VT 2017 (DOMAIN §5). A submission
for a half-year before VT 2015 raises :class:`~kaa.errors.RuleNotInForce`: there was no
collection."""


@attrs.frozen(kw_only=True)
class Finding:
    """One failed check.

    Attributes:
        check: The check's id (see :data:`CHECKS`).
        severity: Error or warning.
        message_sv: The message in Swedish.
        message_en: The message in English.
        youth: The masked identity number, or ``None`` for the whole file.
        record: The position of the youth's record in the submission (0-based), if any.
        block: The block, if the finding is about one.
        row: The entry within that block of the record (0-based), if any.
        field: The field, if the finding is about one.
    """

    check: str
    severity: Severity
    message_sv: str
    message_en: str
    youth: str | None = None
    record: int | None = None
    block: Block | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = " ".join(
            p
            for p in (
                self.youth,
                f"block {self.block.number} ({self.block.value})" if self.block else None,
                f"entry {self.row + 1}" if self.row is not None and self.block else None,
                f"field {self.field}" if self.field else None,
            )
            if p
        )
        return f"{self.check} {self.severity.value}: {where}: {self.message_en} / {self.message_sv}"


@attrs.frozen(kw_only=True)
class CheckReport:
    """Every finding for one submission.

    Attributes:
        findings: The findings, errors and warnings, in record order.
    """

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that block writing."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that do not block writing."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed): the submission may be written."""
        return not self.errors

    def by_check(self) -> dict[str, int]:
        """How many findings each check id has, sorted by id."""
        return dict(sorted(Counter(f.check for f in self.findings).items()))

    def raise_for_errors(self) -> None:
        """Raise :class:`ChecksFailed` if there is any error."""
        if not self.ok:
            raise ChecksFailed(self)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


class ChecksFailed(KaaError):
    """Writing was refused: the submission fails checks with severity error.

    Attributes:
        report: The check report.
    """

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        counts = ", ".join(
            f"{check} ×{n}" for check, n in Counter(f.check for f in report.errors).most_common()
        )
        super().__init__(
            f"the submission fails {len(report.errors)} check(s) that block writing ({counts}); "
            "nothing was written"
        )


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        check: str,
        *,
        youth: IdentityNumber | None = None,
        record: int | None = None,
        block: Block | None = None,
        row: int | None = None,
        field: str | None = None,
        **values: object,
    ) -> None:
        d = CHECKS[check]
        texts = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
        self.findings.append(
            Finding(
                check=check,
                severity=d.severity,
                message_sv=d.message_sv.format(**texts),
                message_en=d.message_en.format(**texts),
                youth=youth.masked() if youth is not None else None,
                record=record,
                block=block,
                row=row,
                field=field,
            )
        )


def check_submission(
    submission: Submission,
    *,
    profile: ScbLayout | None = None,
    cases: Iterable[Case] | None = None,
    equivalence: Equivalence = national_equivalence,
) -> CheckReport:
    """Run every check on ``submission``.

    Args:
        submission: The submission (built, or read back from a file).
        profile: The layout profile it will be written with: enables the checks that depend
            on it (KAA-W007, KAA-W009, KAA-W010).
        cases: The register's cases: enables KAA-E003 (the youth in the target group on a day
            of the period, for the youth's case). Without them only what the record itself
            says is checked.
        equivalence: Decides the open questions of the target-group rule (T3); the
            national default when not given.

    Returns:
        The findings, file-level ones first, then per record in record order.

    Raises:
        RuleNotInForce: If the half-year is before VT 2015, when the collection started.
    """
    out = _Collector()
    period = submission.period
    reason_required = REASON_REQUIRED.value_at(period.first_day)
    if profile is not None and profile.placeholder_codes:
        out.add("KAA-W007", profile=profile.name)
    by_youth: dict[IdentityNumber, Case] = {}
    if cases is not None:
        for case in cases:
            by_youth.setdefault(case.youth.id, case)
    count = Counter(r.youth for r in submission.records)
    index = {id(r): i for i, r in enumerate(submission.records)}
    for i, record in enumerate(submission.records):
        youth = record.youth
        if count[youth] > 1:
            out.add(
                "KAA-E001",
                youth=youth,
                record=i,
                block=Block.MANDATORY,
                row=0,
                field="youth",
                count=count[youth],
            )
        _check_record(out, record, i, submission, profile, reason_required=reason_required)
        registered = by_youth.get(youth)
        if registered is not None:
            _check_target_group(out, record, i, registered, submission, equivalence)
    for unknown in submission.unknown_measures:
        record_index = next(
            (index[id(r)] for r in submission.records if r.youth == unknown.youth), None
        )
        out.add(
            "KAA-E015",
            youth=unknown.youth,
            record=record_index,
            block=unknown.block,
            row=unknown.index,
            field="category",
            type=repr(unknown.type),
            measure=unknown.measure_id,
        )
    for left in submission.left_out:
        out.findings.append(
            Finding(
                check="KAA-W003",
                severity=Severity.WARNING,
                message_sv=CHECKS["KAA-W003"].message_sv.format(reason=left.reason_sv),
                message_en=CHECKS["KAA-W003"].message_en.format(reason=left.reason),
                youth=left.youth,
            )
        )
    return CheckReport(findings=tuple(out.findings))


def _check_target_group(
    out: _Collector,
    record: ScbRecord,
    i: int,
    case: Case,
    submission: Submission,
    equivalence: Equivalence,
) -> None:
    period = submission.period
    municipality = record.mandatory.municipality
    known = submission.memberships
    # What the build found when it selected this very case (same half-year, municipality
    # and equivalence) is not computed again.
    found = (
        known.found(case, period=period, municipality=municipality, equivalence=equivalence)
        if known is not None
        else None
    )
    if found is None:
        first = max(period.first_day, case.registration.day)
        last = period.last_day
        if case.end is not None:
            last = min(last, case.end.day - dt.timedelta(days=1))
        found = first <= last and (
            membership(
                case.youth,
                first,
                last,
                municipality=municipality,
                equivalence=equivalence,
            ).any_day
        )
    if not found:
        out.add(
            "KAA-E003",
            youth=record.youth,
            record=i,
            block=Block.MANDATORY,
            row=0,
            field="youth",
            period=period.label_sv,
        )


def _check_record(
    out: _Collector,
    record: ScbRecord,
    i: int,
    submission: Submission,
    profile: ScbLayout | None,
    *,
    reason_required: bool,
) -> None:
    youth = record.youth
    period = submission.period
    first, last = period.first_day, period.last_day
    m = record.mandatory
    registered = m.registered
    end = record.kaa_ended.day if record.kaa_ended is not None else None
    add = functools.partial(out.add, youth=youth, record=i)

    if m.municipality != submission.municipality:
        add(
            "KAA-E002",
            block=Block.MANDATORY,
            row=0,
            field="municipality",
            found=m.municipality,
            expected=submission.municipality,
        )
    birthday20: dt.date | None = None
    if youth.birth_date is None:
        add("KAA-W005", block=Block.MANDATORY, row=0, field="youth")
    else:
        birthday20 = ages_out(youth)
        if birthday20 <= first:
            add("KAA-E004", block=Block.MANDATORY, row=0, field="youth", birthday=birthday20)
    if youth.is_interim:
        add("KAA-W002", block=Block.MANDATORY, row=0, field="youth")
    if registered > last:
        add(
            "KAA-E005",
            block=Block.MANDATORY,
            row=0,
            field="registered",
            day=registered,
            last=last,
        )
    if reason_required and m.reason is RegistrationReason.MISSING:
        add("KAA-W001", block=Block.MANDATORY, row=0, field="reason")

    def outside_period(check: str, block: Block, row: int, field: str, day: dt.date) -> None:
        """Report ``day`` under ``check`` (KAA-E006, E008 or E009) if it is not in the period."""
        if day not in period:
            add(check, block=block, row=row, field=field, day=day, period=period.label_sv)

    def timing(block: Block, row: int, field: str, day: dt.date, sv: str, en: str) -> None:
        """Report ``day`` if it is before the registration (KAA-E007) or after the end of KAA
        (KAA-E013); ``sv`` and ``en`` name what happened on it."""
        if day < registered:
            add(
                "KAA-E007",
                block=block,
                row=row,
                field=field,
                what=sv,
                what_en=en,
                day=day,
                registered=registered,
            )
        if end is not None and day > end:
            add(
                "KAA-E013",
                block=block,
                row=row,
                field=field,
                what=sv,
                what_en=en,
                day=day,
                end=end,
            )

    for row, contact in enumerate(record.contacts):
        outside_period("KAA-E006", Block.CONTACTS, row, "day", contact.day)
        timing(Block.CONTACTS, row, "day", contact.day, "kontakten", "contact on")
    for row, started in enumerate(record.measures_started):
        outside_period("KAA-E008", Block.MEASURES_STARTED, row, "day", started.day)
        timing(Block.MEASURES_STARTED, row, "day", started.day, "insatsen", "measure on")
    for row, ended in enumerate(record.measures_ended):
        outside_period("KAA-E009", Block.MEASURES_ENDED, row, "end", ended.end)
        if ended.end < ended.start:
            add(
                "KAA-E010",
                block=Block.MEASURES_ENDED,
                row=row,
                field="end",
                end=ended.end,
                start=ended.start,
            )
        timing(Block.MEASURES_ENDED, row, "start", ended.start, "insatsen", "measure start")
        timing(Block.MEASURES_ENDED, row, "end", ended.end, "insatsens slut", "measure end")
        if ended.activity_after is Activity.UNKNOWN:
            add("KAA-W006", block=Block.MEASURES_ENDED, row=row, field="activity_after")
    if record.kaa_ended is not None:
        day = record.kaa_ended.day
        reported = end_reported_in(day)
        if reported != period:
            add(
                "KAA-W008",
                block=Block.KAA_ENDED,
                row=0,
                field="day",
                day=day,
                reported=reported.label_sv,
                period=period.label_sv,
            )
        # KAA-E007 only: the end of KAA is never after itself (KAA-E013).
        timing(Block.KAA_ENDED, 0, "day", day, "upphörandet", "end of KAA on")
        if record.kaa_ended.reason is EndReason.TURNED_20 and birthday20 is not None:
            age = youth.age_on(day)
            if age != 20:
                add("KAA-E012", block=Block.KAA_ENDED, row=0, field="reason", day=day, age=age)
            elif day > birthday20:
                add(
                    "KAA-W004",
                    block=Block.KAA_ENDED,
                    row=0,
                    field="day",
                    day=day,
                    birthday=birthday20,
                )
    if profile is not None:
        _check_profile(add, record, profile)


def _check_profile(add: Callable[..., None], record: ScbRecord, profile: ScbLayout) -> None:
    """The checks of ``record`` against the layout it is written with (KAA-W009, KAA-W010)."""
    if profile.layout == "wide":
        for block in (Block.CONTACTS, Block.MEASURES_STARTED, Block.MEASURES_ENDED):
            room = profile.block(block).repeat
            n = len(record.rows(block))
            if n > room:
                add(
                    "KAA-W009",
                    block=block,
                    row=room,
                    field=None,
                    count=n,
                    profile=profile.name,
                    room=room,
                    left=n - room,
                )
    if not profile.unmapped:
        return
    for block, fields in BLOCK_FIELDS.items():
        coded = [(f, kind) for f, kind in fields.items() if kind in profile.unmapped]
        if not coded:
            continue
        entries = record.rows(block)
        if profile.layout == "wide":
            entries = entries[: profile.block(block).repeat]
        for row, entry in enumerate(entries):
            for field, code_list in coded:
                value = getattr(entry, field)
                if profile.code(code_list, value.value) is None:
                    add(
                        "KAA-W010",
                        block=block,
                        row=row,
                        field=field,
                        profile=profile.name,
                        value=repr(value.value),
                        label=value.label_sv,
                        code_list=code_list,
                    )


def write_check_report(
    report: CheckReport, out: IO[str], *, submission: Submission, profile: ScbLayout
) -> None:
    """Write the checks as plain text, as ``kaa year`` does (``scb-PERIOD-kontroller.txt``).

    A first line names the half-year, the municipality and the profile, a second counts the
    youths, errors and warnings, a third says the checks are the library's
    (:data:`OWN_CHECKS_SV`), then comes one line per finding (masked identity numbers).

    Args:
        report: The check report of ``submission``.
        out: A text stream.
        submission: The submission that was checked.
        profile: The profile it was checked with.
    """
    out.write(f"{submission.period} · kommun {submission.municipality} · profil {profile.name}\n")
    out.write(
        f"{len(submission.records)} ungdomar; {len(report.errors)} fel, "
        f"{len(report.warnings)} varningar\n"
    )
    out.write(f"{OWN_CHECKS_SV}\n")
    for finding in report:
        out.write(f"{finding}\n")
