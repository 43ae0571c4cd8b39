"""Writing the submission file (:mod:`kaa.scb.writer`) and reading it back:
``read(write(x)) == x``. Reading alone (bad rows, arbitrary bytes) is in ``test_reader.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from importlib.resources import files
from pathlib import Path

import attrs
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
    Block,
    ContactRecord,
    KaaEnded,
    MandatoryData,
    MeasureEnded,
    MeasureStarted,
    ScbRecord,
    Submission,
)
from kaa.scb.writer import dumps_submission, encode_rows, write_rows, write_submission
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


# --- the text is the csv module's for the rows of encode_rows ------------------------------


def _with(text: str, **format_keys: str) -> str:
    """The profile text with some ``[format]`` keys set (TOML values)."""
    for key, value in format_keys.items():
        head, sep, tail = text.partition(f"\n{key} = ")
        text = head + sep + value + tail[tail.index("\n") :] if sep else text
    return text


def _code(text: str, code_list: str, category: str, value: str) -> str:
    """The profile text with one category's code set (a TOML value)."""
    start = text.index(f"\n{category} = ", text.index(f"[codes.{code_list}]")) + 1
    return text[:start] + f"{category} = {value}" + text[text.index("\n", start) :]


_LONG_TEXT = (Path(__file__).parent.parent / "data" / "scb" / "long.toml").read_text("utf-8")
HOSTILE = {
    "the separator in every day and separated identity number, lf, utf-16": parse_profile(
        _with(
            _DEFAULT_TEXT,
            separator='"-"',
            identity_format='"separated"',
            line_ending='"lf"',
            encoding='"utf-16"',
        ).replace('field = "youth", width = 12', 'field = "youth", width = 11'),
        source="dash.toml",
    ),
    "codes holding the separator and quotes, quotes in every day, a BOM": parse_profile(
        _code(
            _code(
                _code(
                    _with(_DEFAULT_TEXT, date_format="'%d\"%m\"%Y'", encoding='"utf-8-sig"'),
                    "activity",
                    "unknown",
                    "'un;known'",
                ),
                "activity",
                "work",
                "'w\"ork'",
            ),
            "yes_no",
            "true",
            "'\"y\"'",
        ),
        source="quotes.toml",
    ),
    "a long layout with commas in days, codes and a record type": parse_profile(
        _code(
            _with(
                _LONG_TEXT,
                separator='","',
                line_ending='"lf"',
                identity_format='"short"',
                date_format="'%d,%m,%Y'",
            ),
            "end_reason",
            "other",
            "'x,y'",
        ).replace('record_type = "2"', 'record_type = "2,b"'),
        source="longcomma.toml",
    ),
    "room for fewer entries than a youth has, a space separator": parse_profile(
        _with(_DEFAULT_TEXT, separator='" "', header="false", date_format="'%d %b %Y'")
        .replace("repeat = 12", "repeat = 2")
        .replace("repeat = 6", "repeat = 1"),
        source="fewgroups.toml",
    ),
}


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(profile, id=f"{name}: the same text as csv writing encode_rows")
        for name, profile in {
            "the default profile": DEFAULT,
            "the long profile": LONG,
            "the unmapped profile": UNMAPPED,
            **HOSTILE,
        }.items()
    ],
)
@settings(max_examples=25, deadline=None)
@given(submission=submissions())
def test_the_text_is_the_csv_modules_for_encode_rows(
    profile: ScbLayout, submission: Submission
) -> None:
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, delimiter=profile.separator, lineterminator=profile.line_ending)
    if profile.header:
        writer.writerow(profile.headers())
    writer.writerows(encode_rows(submission, profile))
    assert dumps_submission(submission, profile) == expected.getvalue()


def _records(n: int, **mandatory: object) -> tuple[ScbRecord, ...]:
    """``n`` records of different youths, each with one contact and an end of KAA."""
    numbers = [skatteverket_number(D(2008, 8, 12) + dt.timedelta(days=i)) for i in range(n)]
    return tuple(
        ScbRecord(
            mandatory=MandatoryData(
                youth=number,
                municipality="1882",
                registered=mandatory.get("registered", D(2026, 8, 20)),  # type: ignore[arg-type]
                reason=RegistrationReason.OTHER,
                activity=Activity.WORK,
            ),
            contacts=(ContactRecord(day=D(2026, 9, 1 + i), activity=Activity.WORK),),
            kaa_ended=KaaEnded(day=D(2026, 10, 1 + i), reason=EndReason.MOVED_ABROAD),
        )
        for i, number in enumerate(numbers)
    )


def test_a_day_before_the_year_1000_is_written_as_strftime_writes_it() -> None:
    (record,) = _records(1, registered=D(999, 3, 4))
    text = dumps_submission(Submission(period=HT, municipality="1882", records=(record,)))
    assert text.split("\r\n")[1].split(";")[2] == D(999, 3, 4).strftime("%Y-%m-%d")


def test_the_first_value_too_wide_names_its_youth_and_column(tmp_path: Path) -> None:
    narrow = parse_profile(
        _DEFAULT_TEXT.replace(
            '{ name = "UpphortDatum", field = "day" }',
            '{ name = "UpphortDatum", field = "day", width = 9 }',
        ),
        source="narrow.toml",
    )
    records = _records(3)
    # only the third youth's end day is wider than 9 characters
    records = (
        *(attrs.evolve(r, kaa_ended=None) for r in records[:2]),
        records[2],
    )
    with pytest.raises(ConfigurationError) as caught:
        write_submission(
            Submission(period=HT, municipality="1882", records=records),
            tmp_path / "x.txt",
            profile=narrow,
        )
    assert caught.value.key == "blocks.kaa_ended.columns[0].width"
    assert records[2].youth.masked() in str(caught.value)
    assert records[2].youth.full("long") not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_the_long_layouts_youth_column_of_a_block_is_checked_where_it_has_entries(
    tmp_path: Path,
) -> None:
    narrow = parse_profile(
        _LONG_TEXT.replace(
            '[blocks.contacts]\nrecord_type = "2"\ncolumns = [\n  { name = "Personnummer", '
            'field = "youth" },',
            '[blocks.contacts]\nrecord_type = "2"\ncolumns = [\n  { name = "Personnummer", '
            'field = "youth", width = 10 },',
        ),
        source="narrow.toml",
    )
    assert narrow.block(Block.CONTACTS).columns[0].width == 10
    first, second = _records(2)
    no_contacts = Submission(
        period=HT, municipality="1882", records=(attrs.evolve(first, contacts=()),)
    )
    assert write_submission(no_contacts, tmp_path / "ok.txt", profile=narrow).ok
    with pytest.raises(ConfigurationError) as caught:
        write_submission(
            Submission(
                period=HT, municipality="1882", records=(attrs.evolve(first, contacts=()), second)
            ),
            tmp_path / "x.txt",
            profile=narrow,
        )
    assert caught.value.key == "blocks.contacts.columns[0].width"
    assert second.youth.masked() in str(caught.value)
    assert not (tmp_path / "x.txt").exists()


def test_a_day_the_encoding_cannot_hold_refuses_at_its_row_before_a_later_error(
    tmp_path: Path,
) -> None:
    # the first youth's registration day cannot be written in latin-1; the second youth's
    # end day is wider than its column: written row by row, the first row fails first
    profile = parse_profile(
        _with(_DEFAULT_TEXT, encoding='"latin-1"', date_format="'%Y\u2192%m\u2192%d'").replace(
            '{ name = "UpphortDatum", field = "day" }',
            '{ name = "UpphortDatum", field = "day", width = 9 }',
        ),
        source="arrows.toml",
    )
    first, second = _records(2)
    first = attrs.evolve(first, kaa_ended=None)
    with pytest.raises(ConfigurationError) as caught:
        write_submission(
            Submission(period=HT, municipality="1882", records=(first, second)),
            tmp_path / "x.txt",
            profile=profile,
        )
    assert caught.value.key == "format.encoding"
    assert list(tmp_path.iterdir()) == []


def _narrow_end_day() -> ScbLayout:
    return parse_profile(
        _DEFAULT_TEXT.replace(
            '{ name = "UpphortDatum", field = "day" }',
            '{ name = "UpphortDatum", field = "day", width = 9 }',
        ),
        source="narrow.toml",
    )


def test_a_stream_holds_the_rows_before_a_value_too_wide() -> None:
    records = _records(4)
    fine = tuple(attrs.evolve(r, kaa_ended=None) for r in records[:3])
    stream = io.StringIO(newline="")
    with pytest.raises(ConfigurationError):
        write_rows(
            Submission(period=HT, municipality="1882", records=(*fine, records[3])),
            _narrow_end_day(),
            stream,
        )
    assert stream.getvalue() == dumps_submission(
        Submission(period=HT, municipality="1882", records=fine), _narrow_end_day()
    )


def test_a_stream_holds_the_rows_before_one_its_encoding_cannot_hold() -> None:
    # a utf-8 profile written to a latin-1 stream: only the third youth's end reason has a
    # code the stream cannot hold
    profile = parse_profile(
        _code(_DEFAULT_TEXT, "end_reason", "moved_abroad", "'utflyttad \u2192'"),
        source="arrow.toml",
    )
    records = _records(3)
    submission = Submission(
        period=HT,
        municipality="1882",
        records=(*(attrs.evolve(r, kaa_ended=None) for r in records[:2]), records[2]),
    )
    expected = io.StringIO(newline="")
    csv.writer(expected, delimiter=";", lineterminator="\r\n").writerows(
        [profile.headers(), *list(encode_rows(submission, profile))[:2]]
    )
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1", newline="")
    with pytest.raises(UnicodeEncodeError):
        write_rows(submission, profile, stream)
    stream.flush()
    assert raw.getvalue() == expected.getvalue().encode("latin-1")
