"""The cross-field checks: each check id fires on its case, and only errors block writing."""

from __future__ import annotations

import datetime as dt
import io
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaa.errors import InvalidInput, RuleNotInForce
from kaa.model.case import (
    Activity,
    Case,
    EndReason,
    MeasureCategory,
    Registration,
    RegistrationReason,
)
from kaa.model.youth import Enrolment, Programme, Residence, SchoolForm, Youth
from kaa.period import HalfYear
from kaa.scb.checks import (
    CHECKS,
    OWN_CHECKS_SV,
    REASON_REQUIRED,
    RETIRED,
    ChecksFailed,
    Severity,
    check_submission,
    write_check_report,
)
from kaa.scb.layout import default_profile, parse_profile
from kaa.scb.reader import read_submission
from kaa.scb.submission import (
    Block,
    ContactRecord,
    KaaEnded,
    LeftOut,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
    UnknownMeasureType,
    build_submission,
)
from kaa.scb.writer import write_submission
from kaa.testing import interim_number, skatteverket_number
from strategies import cases

D = dt.date
HT = HalfYear(2026, 2)
ID = skatteverket_number(D(2008, 8, 12))
OLD = skatteverket_number(D(2006, 9, 1))  # turns 20 on 2026-09-01
TOO_OLD = skatteverket_number(D(2006, 3, 1))  # turned 20 on 2026-03-01
DOCS = Path(__file__).parent.parent.parent / "docs" / "scb-submission.md"
DEFAULT_TEXT = files("kaa.scb.layouts").joinpath("default.toml").read_text("utf-8")

BASE = ScbRecord(
    mandatory=MandatoryData(
        youth=ID,
        municipality="1882",
        registered=D(2026, 3, 1),
        reason=RegistrationReason.BROKE_OFF_NATIONAL,
        activity=Activity.UNKNOWN,
    ),
    contacts=(ContactRecord(day=D(2026, 9, 1), activity=Activity.WORK),),
    measures_started=(MeasureStarted(category=MeasureCategory.GUIDANCE, day=D(2026, 9, 5)),),
    measures_ended=(
        MeasureEnded(
            category=MeasureCategory.GUIDANCE,
            start=D(2026, 9, 5),
            end=D(2026, 10, 5),
            activity_after=Activity.OTHER_STUDIES,
        ),
    ),
    kaa_ended=KaaEnded(day=D(2026, 11, 1), reason=EndReason.STARTED_PROGRAMME),
)


def mandatory(**kw: Any) -> ScbRecord:
    return attrs.evolve(BASE, mandatory=attrs.evolve(BASE.mandatory, **kw))


def ended(**kw: Any) -> ScbRecord:
    return attrs.evolve(BASE, measures_ended=(attrs.evolve(BASE.measures_ended[0], **kw),))


def sub(*records: ScbRecord, **kw: Any) -> Submission:
    return Submission(period=HT, municipality="1882", records=records, **kw)


def test_a_clean_record_passes_every_check() -> None:
    report = check_submission(
        sub(BASE), profile=attrs.evolve(default_profile(), placeholder_codes=False)
    )
    assert report.findings == ()
    assert report.ok


@pytest.mark.parametrize(
    ("submission", "check", "block", "field"),
    [
        pytest.param(
            sub(BASE, BASE),
            "KAA-E001",
            Block.MANDATORY,
            "youth",
            id="a youth twice in the file is a duplicate",
        ),
        pytest.param(
            sub(mandatory(municipality="0180")),
            "KAA-E002",
            Block.MANDATORY,
            "municipality",
            id="a youth of another municipality is an error",
        ),
        pytest.param(
            sub(mandatory(youth=TOO_OLD)),
            "KAA-E004",
            Block.MANDATORY,
            "youth",
            id="a youth who turned 20 before the period is an error",
        ),
        pytest.param(
            sub(mandatory(youth=skatteverket_number(D(2006, 7, 1)))),
            "KAA-E004",
            Block.MANDATORY,
            "youth",
            id="a youth who turns 20 on the first day of the period is an error",
        ),
        pytest.param(
            sub(mandatory(registered=D(2027, 1, 2))),
            "KAA-E005",
            Block.MANDATORY,
            "registered",
            id="a registration after the period is an error",
        ),
        pytest.param(
            sub(
                attrs.evolve(
                    BASE, contacts=(ContactRecord(day=D(2026, 6, 30), activity=Activity.WORK),)
                )
            ),
            "KAA-E006",
            Block.CONTACTS,
            "day",
            id="a contact outside the period is an error",
        ),
        pytest.param(
            sub(mandatory(registered=D(2026, 9, 2))),
            "KAA-E007",
            Block.CONTACTS,
            "day",
            id="a contact before the registration is an error",
        ),
        pytest.param(
            sub(
                attrs.evolve(
                    BASE,
                    measures_started=(
                        MeasureStarted(category=MeasureCategory.OTHER, day=D(2027, 1, 1)),
                    ),
                )
            ),
            "KAA-E008",
            Block.MEASURES_STARTED,
            "day",
            id="a measure started outside the period is an error",
        ),
        pytest.param(
            sub(ended(end=D(2026, 6, 1), start=D(2026, 5, 1))),
            "KAA-E009",
            Block.MEASURES_ENDED,
            "end",
            id="a measure ended outside the period is an error",
        ),
        pytest.param(
            sub(ended(end=D(2026, 9, 1))),
            "KAA-E010",
            Block.MEASURES_ENDED,
            "end",
            id="a measure that ends before it starts is an error",
        ),
        pytest.param(
            sub(attrs.evolve(BASE, kaa_ended=KaaEnded(day=D(2027, 1, 2), reason=EndReason.DEGREE))),
            "KAA-W008",
            Block.KAA_ENDED,
            "day",
            id="an end of KAA that by the library's convention belongs to another period is a "
            "warning",
        ),
        pytest.param(
            sub(
                attrs.evolve(
                    BASE, kaa_ended=KaaEnded(day=D(2026, 11, 1), reason=EndReason.TURNED_20)
                )
            ),
            "KAA-E012",
            Block.KAA_ENDED,
            "reason",
            id="ended because turned 20 but the youth is 18 is an error",
        ),
        pytest.param(
            sub(attrs.evolve(BASE, kaa_ended=KaaEnded(day=D(2026, 9, 2), reason=EndReason.DEGREE))),
            "KAA-E013",
            Block.MEASURES_STARTED,
            "day",
            id="a measure after the end of KAA is an error",
        ),
        pytest.param(
            sub(
                BASE,
                unknown_measures=(
                    UnknownMeasureType(
                        youth=ID,
                        measure_id="m1",
                        type="karate",
                        block=Block.MEASURES_STARTED,
                        index=0,
                    ),
                ),
            ),
            "KAA-E015",
            Block.MEASURES_STARTED,
            "category",
            id="a measure type outside the catalogue is an error",
        ),
        pytest.param(
            sub(mandatory(reason=RegistrationReason.MISSING)),
            "KAA-W001",
            Block.MANDATORY,
            "reason",
            id="a missing reason for registration is a warning",
        ),
        pytest.param(
            sub(mandatory(youth=interim_number(D(2008, 8, 12), 5))),
            "KAA-W002",
            Block.MANDATORY,
            "youth",
            id="an interim number is a warning",
        ),
        pytest.param(
            sub(BASE, left_out=(LeftOut(youth=ID.masked(), reason="r", reason_sv="s"),)),
            "KAA-W003",
            None,
            None,
            id="an open case left out is a warning",
        ),
        pytest.param(
            sub(
                attrs.evolve(
                    mandatory(youth=OLD),
                    kaa_ended=KaaEnded(day=D(2026, 11, 1), reason=EndReason.TURNED_20),
                )
            ),
            "KAA-W004",
            Block.KAA_ENDED,
            "day",
            id="ended as turned 20 two months after the birthday is a warning",
        ),
        pytest.param(
            sub(ended(activity_after=Activity.UNKNOWN)),
            "KAA-W006",
            Block.MEASURES_ENDED,
            "activity_after",
            id="an unknown activity after a measure is a warning",
        ),
    ],
)
def test_each_check_fires(
    submission: Submission, check: str, block: Block | None, field: str | None
) -> None:
    report = check_submission(submission)
    found = [f for f in report if f.check == check]
    assert found, report.by_check()
    assert found[0].block is block
    assert found[0].field == field
    assert found[0].severity is CHECKS[check].severity
    assert found[0].message_sv
    assert found[0].message_en
    if found[0].youth is not None:
        assert found[0].youth.endswith("-****")
    for finding in report:
        assert ID.full("long") not in str(finding)


def test_turned_20_on_the_birthday_passes() -> None:
    record = attrs.evolve(
        mandatory(youth=OLD),
        kaa_ended=KaaEnded(day=D(2026, 9, 1), reason=EndReason.TURNED_20),
        measures_ended=(),
        measures_started=(),
        contacts=(),
    )
    assert check_submission(sub(record)).by_check() == {}


def test_a_samordningsnummer_without_a_birth_date_gets_a_warning_not_an_age_check() -> None:
    from kaa.identity import IdentityNumber

    # Day 60: a samordningsnummer whose day of birth is not known.
    text = next(
        f"20080860-002{c}" for c in range(10) if IdentityNumber.is_valid(f"20080860-002{c}")
    )
    unknown = IdentityNumber.parse(text)
    assert unknown.birth_date is None
    report = check_submission(sub(mandatory(youth=unknown)))
    assert "KAA-W005" in report.by_check()
    assert "KAA-E004" not in report.by_check()


def contacts(n: int) -> ScbRecord:
    return attrs.evolve(
        BASE,
        contacts=tuple(
            ContactRecord(day=D(2026, 9, d), activity=Activity.WORK) for d in range(1, n + 1)
        ),
    )


@pytest.mark.parametrize(
    ("record", "found", "written"),
    [
        pytest.param(
            contacts(12),
            False,
            12,
            id="twelve contacts fit the default profile's room, with no warning",
        ),
        pytest.param(
            contacts(13),
            True,
            12,
            id="a thirteenth contact is a warning, not an error: the first twelve are written",
        ),
    ],
)
def test_more_entries_than_the_profile_holds_is_a_warning(
    tmp_path: Path, record: ScbRecord, found: bool, written: int
) -> None:
    report = check_submission(sub(record), profile=default_profile())
    room = [f for f in report if f.check == "KAA-W009"]
    assert bool(room) is found
    if found:
        (finding,) = room
        assert finding.severity is Severity.WARNING
        assert finding.block is Block.CONTACTS
        assert "13" in finding.message_en
        assert "the last 1 are left out" in finding.message_en
    assert report.ok
    path = tmp_path / "scb.txt"
    write_submission(sub(record), path, report=report)
    back = read_submission(path, period=HT, municipality="1882")
    assert back.records[0].contacts == record.contacts[:written]


@pytest.mark.parametrize(
    ("record", "checks"),
    [
        pytest.param(
            attrs.evolve(BASE, kaa_ended=KaaEnded(day=D(2027, 1, 1), reason=EndReason.DEGREE)),
            {},
            id="an end of KAA on 1 January belongs to HT (its last day in KAA is 31 December)",
        ),
        pytest.param(
            attrs.evolve(BASE, kaa_ended=KaaEnded(day=D(2027, 1, 2), reason=EndReason.DEGREE)),
            {"KAA-W008": 1},
            id="an end of KAA on 2 January is a warning for HT, and the file is still written",
        ),
    ],
)
def test_the_end_of_kaa_period_check_is_a_warning(
    tmp_path: Path, record: ScbRecord, checks: dict[str, int]
) -> None:
    clean = attrs.evolve(default_profile(), placeholder_codes=False)
    report = write_submission(sub(record), tmp_path / "scb.txt", profile=clean)
    assert report.by_check() == checks
    assert (tmp_path / "scb.txt").exists()


@pytest.mark.parametrize(
    ("period", "warned"),
    [
        pytest.param(HalfYear(2015, 1), False, id="VT 2015: a missing reason is not a finding"),
        pytest.param(
            HalfYear(2017, 1),
            False,
            id="VT 2017: a missing reason is not a finding (not yet required)",
        ),
        pytest.param(
            HalfYear(2017, 2),
            True,
            id="HT 2017: a missing reason is a warning (required from 2017-07-01)",
        ),
        pytest.param(HalfYear(2026, 2), True, id="HT 2026: a missing reason is a warning"),
    ],
)
def test_the_reason_for_registration_is_required_from_ht_2017(
    period: HalfYear, warned: bool
) -> None:
    young = skatteverket_number(D(max(2000, period.year - 17), 3, 1))  # test numbers: 2000-
    record = ScbRecord(
        mandatory=attrs.evolve(
            BASE.mandatory,
            youth=young,
            registered=period.first_day,
            reason=RegistrationReason.MISSING,
        )
    )
    report = check_submission(Submission(period=period, municipality="1882", records=(record,)))
    assert ("KAA-W001" in report.by_check()) is warned
    assert report.ok


def test_the_reason_rule_is_not_in_force_before_the_collection() -> None:
    assert REASON_REQUIRED.value_at(D(2017, 6, 30)) is False
    assert REASON_REQUIRED.value_at(D(2017, 7, 1)) is True
    with pytest.raises(RuleNotInForce):
        check_submission(Submission(period=HalfYear(2014, 2), municipality="1882", records=()))


UNMAPPED_OTHER = parse_profile(
    DEFAULT_TEXT.replace('other = "other"                                     # annat\n', "", 1),
    source="kommun.toml",
)
UNMAPPED_TWO = parse_profile(
    DEFAULT_TEXT.replace(
        'other = "other"                                     # annat\n', "", 1
    ).replace('never_started = "never_started"', "", 1),
    source="kommun2.toml",
)


@pytest.mark.parametrize(
    ("reason", "found"),
    [
        pytest.param(
            RegistrationReason.OTHER,
            True,
            id="a reason the profile has no code for is a warning naming the field",
        ),
        pytest.param(
            RegistrationReason.STUDIEBEVIS,
            False,
            id="a reason the profile has a code for is no finding",
        ),
    ],
)
def test_a_category_without_a_code_is_a_clear_warning(
    tmp_path: Path, reason: RegistrationReason, found: bool
) -> None:
    record = mandatory(reason=reason)
    report = check_submission(sub(record), profile=UNMAPPED_OTHER)
    findings = [f for f in report if f.check == "KAA-W010"]
    assert bool(findings) is found
    assert report.ok
    if found:
        (finding,) = findings
        assert (finding.block, finding.row, finding.field) == (Block.MANDATORY, 0, "reason")
        assert "'other'" in finding.message_en
        assert "registration_reason" in finding.message_en
        assert "cellen lämnas tom" in finding.message_sv
    path = tmp_path / "scb.txt"
    write_submission(sub(record), path, profile=UNMAPPED_OTHER, report=report)
    cells = path.read_bytes().decode("utf-8").split("\r\n")[1].split(";")
    assert cells[3] == ("" if found else "studiebevis")
    back = read_submission(path, period=HT, profile=UNMAPPED_OTHER, municipality="1882")
    assert back.records == (record,)


def test_an_empty_cell_is_a_problem_when_several_categories_are_unmapped(
    tmp_path: Path,
) -> None:
    record = mandatory(reason=RegistrationReason.OTHER)
    path = tmp_path / "scb.txt"
    report = write_submission(sub(record), path, profile=UNMAPPED_TWO)
    assert report.by_check()["KAA-W010"] == 1
    with pytest.raises(InvalidInput, match="never_started, other") as caught:
        read_submission(path, period=HT, profile=UNMAPPED_TWO, municipality="1882")
    assert caught.value.column == "Registreringsorsak"


@pytest.mark.parametrize(
    ("check", "why"),
    [
        pytest.param(
            "KAA-W008",
            "the library's convention",
            id="the end-of-KAA period check rests on the library's convention and is a warning",
        ),
        pytest.param(
            "KAA-W009",
            "the layout profile's room",
            id="the room for entries is the profile's, and its check a warning",
        ),
        pytest.param(
            "KAA-W010",
            "the layout profile",
            id="a category without a code is the profile's doing, and its check a warning",
        ),
        pytest.param(
            "KAA-W001",
            "Instruktioner och kodförteckningar",
            id="the reason-for-registration check cites SCB's instructions",
        ),
        pytest.param(
            "KAA-E003",
            "29 kap. 9 § skollagen",
            id="the target-group check cites the statute",
        ),
    ],
)
def test_each_check_says_what_it_rests_on(check: str, why: str) -> None:
    d = CHECKS[check]
    assert why in d.basis
    if d.basis.startswith(("the library's", "the layout profile")):
        assert d.severity is Severity.WARNING


def test_retired_ids_are_not_reused_and_point_at_their_warnings() -> None:
    assert RETIRED == {"KAA-E011": "KAA-W008", "KAA-E014": "KAA-W009"}
    for old, new in RETIRED.items():
        assert old not in CHECKS
        assert CHECKS[new].severity is Severity.WARNING


def test_the_check_report_says_the_checks_are_the_librarys() -> None:
    buffer = io.StringIO()
    submission = sub(BASE)
    write_check_report(
        check_submission(submission), buffer, submission=submission, profile=default_profile()
    )
    assert buffer.getvalue().splitlines()[2] == OWN_CHECKS_SV
    assert "inte SCB:s" in OWN_CHECKS_SV


def test_the_target_group_check_uses_the_register() -> None:
    youth = Youth(
        id=ID,
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=D(2024, 6, 12),
        enrolments=(
            Enrolment(
                school_form=SchoolForm.GYMNASIESKOLA,
                programme=Programme.NATIONAL,
                start=D(2024, 8, 19),
            ),
        ),
    )
    case = Case(youth=youth, municipality="1882", registration=Registration(day=D(2026, 3, 1)))
    report = check_submission(sub(BASE), cases=[case])
    assert "KAA-E003" in report.by_check()
    free = attrs.evolve(case, youth=attrs.evolve(youth, enrolments=()))
    assert "KAA-E003" not in check_submission(sub(BASE), cases=[free]).by_check()


def test_errors_block_writing_and_leave_no_file(tmp_path: Path) -> None:
    target = tmp_path / "scb.txt"
    with pytest.raises(ChecksFailed, match="KAA-E001") as caught:
        write_submission(sub(BASE, BASE), target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert caught.value.report.errors
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(ChecksFailed):
        write_submission(sub(BASE, BASE), target)
    assert target.read_text(encoding="utf-8") == "previous"


def test_warnings_do_not_block_writing(tmp_path: Path) -> None:
    report = write_submission(
        sub(mandatory(reason=RegistrationReason.MISSING)), tmp_path / "scb.txt"
    )
    assert report.ok
    assert report.warnings
    assert (tmp_path / "scb.txt").exists()


def test_every_check_has_an_id_severity_and_both_languages() -> None:
    for check_id, d in CHECKS.items():
        assert d.id == check_id
        assert check_id.startswith("KAA-E" if d.severity is Severity.ERROR else "KAA-W")
        assert d.message_sv
        assert d.message_en
        assert d.title
        assert d.basis


def test_every_check_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [c for c in CHECKS if f"`{c}`" not in text]
    assert missing == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cases(), max_size=5).flatmap(
        # a youth with two cases, and cases of another municipality, among them
        lambda register: st.permutations(
            register + [attrs.evolve(c, municipality="0180") for c in register[:1]] + register[:1]
        )
    ),
    st.sampled_from([HalfYear(2024, 2), HT, HalfYear(2030, 1)]),
)
def test_the_target_group_check_is_the_same_with_the_memberships_of_the_build(
    register: list[Case], period: HalfYear
) -> None:
    built = build_submission(register, period, municipality="1882")
    assert built.memberships is not None
    without = attrs.evolve(built, memberships=None)
    assert check_submission(built, cases=register) == check_submission(without, cases=register)


def test_the_target_group_check_asks_the_rule_for_a_case_the_build_did_not_look_at() -> None:
    youth = Youth(
        id=ID,
        residences=(Residence(municipality="1882"),),
        compulsory_school_completed=D(2024, 6, 12),
    )
    case = Case(youth=youth, municipality="1882", registration=Registration(day=D(2026, 3, 1)))
    built = build_submission([case], HT, municipality="1882")
    assert "KAA-E003" not in check_submission(built, cases=[case]).by_check()
    # the register the checks are given says the youth attends a national programme
    attends = attrs.evolve(
        case,
        youth=attrs.evolve(
            youth,
            enrolments=(
                Enrolment(
                    school_form=SchoolForm.GYMNASIESKOLA,
                    programme=Programme.NATIONAL,
                    start=D(2024, 8, 19),
                ),
            ),
        ),
    )
    assert "KAA-E003" in check_submission(built, cases=[attends]).by_check()
