"""Writing the submission file and reading it back: ``read(write(x)) == x``."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.errors import ConfigurationError, InvalidInput
from kaa.formats.problems import ReadSummary
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.layout import ScbLayout, default_profile, load_profile, parse_profile
from kaa.scb.reader import loads_submission, parse_submission, read_submission
from kaa.scb.submission import (
    ContactRecord,
    KaaEnded,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
)
from kaa.scb.writer import dumps_submission, write_submission
from kaa.testing import skatteverket_number
from strategies import identity_numbers

D = dt.date
HT = HalfYear(2026, 2)
DEFAULT = default_profile()
LONG = load_profile(Path(__file__).parent.parent / "data" / "scb" / "long.toml")
ID = skatteverket_number(D(2008, 8, 12))


def _day(draw: st.DrawFn, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=draw(st.integers(0, max(0, (last - first).days))))


@st.composite
def records(draw: st.DrawFn, youth: IdentityNumber, period: HalfYear = HT) -> ScbRecord:
    """A record that passes every check of severity error for ``period``."""
    first, last = period.first_day, period.last_day
    registered = _day(draw, first - dt.timedelta(days=800), last)
    start = max(first, registered)
    contacts = sorted(_day(draw, start, last) for _ in range(draw(st.integers(0, 12))))
    started = [
        MeasureStarted(
            category=draw(st.sampled_from(MeasureCategory)),
            day=_day(draw, start, last),
            declined=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    ended = []
    for _ in range(draw(st.integers(0, 6))):
        end = _day(draw, start, last)
        ended.append(
            MeasureEnded(
                category=draw(st.sampled_from(MeasureCategory)),
                start=_day(draw, registered, end),
                end=end,
                activity_after=draw(st.sampled_from(Activity)),
            )
        )
    kaa_end = None
    if draw(st.booleans()):
        latest = max([start, *contacts, *(s.day for s in started), *(e.end for e in ended)])
        day = _day(draw, max(latest, first + dt.timedelta(days=1)), last + dt.timedelta(days=1))
        reason = draw(st.sampled_from([r for r in EndReason if r is not EndReason.TURNED_20]))
        kaa_end = KaaEnded(day=day, reason=reason)
    return ScbRecord(
        mandatory=MandatoryData(
            youth=youth,
            municipality="1882",
            registered=registered,
            reason=draw(st.sampled_from(RegistrationReason)),
            activity=draw(st.sampled_from(Activity)),
        ),
        contacts=tuple(
            ContactRecord(day=d, activity=draw(st.sampled_from(Activity))) for d in contacts
        ),
        measures_started=tuple(started),
        measures_ended=tuple(ended),
        kaa_ended=kaa_end,
    )


young_ids = identity_numbers.filter(
    lambda i: i.birth_date is not None and i.birth_date > D(2006, 7, 1)
)


@st.composite
def submissions(draw: st.DrawFn) -> Submission:
    # at least one youth: the write rule refuses an empty file (kaa.scb.rule.may_write)
    ids = draw(st.lists(young_ids, min_size=1, max_size=5, unique=True))
    return Submission(period=HT, municipality="1882", records=tuple(draw(records(i)) for i in ids))


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(DEFAULT, id="the default wide profile reads back what it wrote"),
        pytest.param(LONG, id="a long, tab-separated cp1252 profile reads back what it wrote"),
    ],
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(submission=submissions())
def test_read_write_round_trip(profile: ScbLayout, submission: Submission) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scb.txt"
        report = write_submission(submission, path, profile=profile)
        assert report.ok, [str(f) for f in report.errors]
        back = read_submission(path, period=HT, profile=profile, municipality="1882")
    assert back.records == submission.records
    assert back == Submission(period=HT, municipality="1882", records=submission.records)


def test_the_default_file_shape() -> None:
    record = ScbRecord(
        mandatory=MandatoryData(
            youth=ID,
            municipality="1882",
            registered=D(2026, 8, 20),
            reason=RegistrationReason.STUDIEBEVIS,
            activity=Activity.UNKNOWN,
        ),
        contacts=(ContactRecord(day=D(2026, 9, 1), activity=Activity.WORK),),
    )
    text = dumps_submission(Submission(period=HT, municipality="1882", records=(record,)))
    header, row, end = text.split("\r\n")
    assert end == ""
    assert header.split(";")[:7] == [
        "Personnummer",
        "Kommun",
        "Registreringsdatum",
        "Registreringsorsak",
        "SysselsattningVidRegistrering",
        "Kontakt1Datum",
        "Kontakt1Sysselsattning",
    ]
    cells = row.split(";")
    assert cells[:7] == [
        ID.full("long"),
        "1882",
        "2026-08-20",
        "studiebevis",
        "unknown",
        "2026-09-01",
        "work",
    ]
    assert len(cells) == DEFAULT.width()
    assert all(c == "" for c in cells[7:])
    long_text = dumps_submission(
        Submission(period=HT, municipality="1882", records=(record,)), LONG
    )
    assert long_text.split("\r\n")[1] == f"2\t{ID.full('separated', on=HT.last_day)}\t20260901\t6"


def _wide(cells: dict[int, str]) -> str:
    text = dumps_submission(
        Submission(
            period=HT,
            municipality="1882",
            records=(
                ScbRecord(
                    mandatory=MandatoryData(
                        youth=ID,
                        municipality="1882",
                        registered=D(2026, 8, 20),
                        reason=RegistrationReason.OTHER,
                        activity=Activity.WORK,
                    )
                ),
            ),
        )
    )
    header, row, _ = text.split("\r\n")
    values = row.split(";")
    for i, v in cells.items():
        values[i] = v
    return f"{header}\r\n{';'.join(values)}\r\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param(
            "Pnr;Kommun\r\n",
            1,
            1,
            "header does not match",
            id="a header that is not the profile's is rejected at line 1",
        ),
        pytest.param(
            _wide({3: "7"}),
            2,
            "Registreringsorsak",
            "not a code",
            id="an unknown code names line and column",
        ),
        pytest.param(
            _wide({2: "20/08/2026"}),
            2,
            "Registreringsdatum",
            "not a date",
            id="a date in another form names line and column",
        ),
        pytest.param(
            _wide({0: "200808122395"}),
            2,
            "Personnummer",
            "check digit",
            id="a bad identity number names the column without showing the number",
        ),
        pytest.param(
            _wide({1: "9999"}),
            2,
            "Kommun",
            "not a kommunkod",
            id="an unknown kommunkod is rejected",
        ),
        pytest.param(
            _wide({}).replace("\r\n2", "\r\n;2", 1),
            2,
            None,
            "columns",
            id="a row with the wrong number of columns is rejected",
        ),
        pytest.param(
            _wide({5: "2026-09-01"}),
            2,
            "Kontakt1Sysselsattning",
            "not a code",
            id="half an entry in a repeated group is rejected",
        ),
    ],
)
def test_a_bad_row_names_file_line_and_column(
    text: str, line: int, column: str | int | None, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_submission(text.encode("utf-8"), period=HT, file="scb.txt")
    assert caught.value.file == "scb.txt"
    assert caught.value.line == line
    assert caught.value.column == column
    assert message in caught.value.message
    assert "200808122395" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("9\t1\r\n", "not a record type", id="an unknown record type is rejected"),
        pytest.param(
            f"2\t{ID.full('separated', on=HT.last_day)}\t20260901\t5\r\n",
            "before any block-1 row",
            id="a contact before the youth's block-1 row is rejected",
        ),
        pytest.param("1\t2\r\n", "columns", id="a short row is rejected"),
    ],
)
def test_long_layout_rows_are_checked(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_submission(text.encode("cp1252"), period=HT, profile=LONG, municipality="1882")


def test_problems_are_collected_and_every_row_counted() -> None:
    text = _wide({3: "7"}) + _wide({}).split("\r\n", 1)[1]
    summary = ReadSummary(file="scb.txt")
    seen: list[str] = []
    got = parse_submission(
        text.encode("utf-8"), period=HT, summary=summary, on_problem=lambda p: seen.append(str(p))
    )
    assert (summary.rows_read, summary.rows_accepted, summary.rows_rejected) == (2, 1, 1)
    assert len(got) == 1
    assert len(seen) == 1
    assert ID.masked() in seen[0]
    assert ID.full("long") not in seen[0]


def test_a_file_in_another_encoding_names_the_line() -> None:
    with pytest.raises(InvalidInput, match="encoding") as caught:
        parse_submission(b"Personnummer\r\n\xff\xfe", period=HT)
    assert caught.value.line == 2


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes) -> None:
    for profile in (DEFAULT, LONG):
        with contextlib.suppress(InvalidInput):
            parse_submission(data, period=HT, profile=profile, municipality="1882")


def test_a_value_wider_than_its_column_is_a_profile_error(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "data" / "scb" / "long.toml").read_text("utf-8")
    narrow = parse_profile(
        text.replace('field = "youth", width = 12', 'field = "youth", width = 10'),
        source="narrow.toml",
    )
    record = ScbRecord(
        mandatory=MandatoryData(
            youth=ID,
            municipality="1882",
            registered=D(2026, 8, 20),
            reason=RegistrationReason.OTHER,
            activity=Activity.WORK,
        )
    )
    with pytest.raises(ConfigurationError) as caught:
        write_submission(
            Submission(period=HT, municipality="1882", records=(record,)),
            tmp_path / "x.txt",
            profile=narrow,
        )
    assert caught.value.key == "blocks.mandatory.columns[0].width"
    assert ID.full("separated") not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_loads_reads_what_dumps_wrote() -> None:
    record = ScbRecord(
        mandatory=MandatoryData(
            youth=ID,
            municipality="1882",
            registered=D(2026, 8, 20),
            reason=RegistrationReason.OTHER,
            activity=Activity.WORK,
        )
    )
    submission = Submission(period=HT, municipality="1882", records=(record,))
    assert loads_submission(dumps_submission(submission), period=HT) == submission
