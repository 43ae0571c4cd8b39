"""Writing the submission file (:mod:`kaa.scb.writer`) and reading it back:
``read(write(x)) == x``. Reading alone (bad rows, arbitrary bytes) is in ``test_reader.py``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaa.errors import ConfigurationError
from kaa.identity import IdentityNumber
from kaa.model.case import Activity, EndReason, MeasureCategory, RegistrationReason
from kaa.period import HalfYear
from kaa.scb.layout import ScbLayout, default_profile, load_profile, parse_profile
from kaa.scb.reader import loads_submission, read_submission
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
# One category left unmapped in each code list that may leave one: the library's "other"
# reason, its activity "measure", the measure category "other" and the end reason "other".
_DEFAULT_TEXT = files("kaa.scb.layouts").joinpath("default.toml").read_text("utf-8")
UNMAPPED = parse_profile(
    "\n".join(
        line
        for line in _DEFAULT_TEXT.splitlines()
        if not line.startswith(('other = "other"', 'measure = "measure"'))
        or line.startswith('other = "other"                                     # annan sys')
    ),
    source="unmapped.toml",
)
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
        pytest.param(
            UNMAPPED,
            id="a profile with one unmapped category per list reads back what it wrote",
        ),
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


def test_the_unmapped_profile_leaves_one_category_per_list() -> None:
    assert UNMAPPED.unmapped == {
        "registration_reason": ("other",),
        "activity": ("measure",),
        "measure_category": ("other",),
        "end_reason": ("other",),
    }


def test_an_unmapped_category_is_an_empty_cell() -> None:
    record = ScbRecord(
        mandatory=MandatoryData(
            youth=ID,
            municipality="1882",
            registered=D(2026, 8, 20),
            reason=RegistrationReason.OTHER,
            activity=Activity.MEASURE,
        )
    )
    text = dumps_submission(Submission(period=HT, municipality="1882", records=(record,)), UNMAPPED)
    assert text.split("\r\n")[1].split(";")[3:5] == ["", ""]
