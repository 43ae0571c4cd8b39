"""Regenerate the bundled example data in ``examples/data/``.

Only Skatteverket's official test personnummer are used (see ``kaa.testing.synthetic``). Run::

    python examples/make_example_data.py
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs

from kaa.convert import to_dict
from kaa.formats.canonical import dumps_csv
from kaa.formats.cases import write_cases
from kaa.model.case import (
    Activity,
    Case,
    Channel,
    Contact,
    ContactOutcome,
    Measure,
    MeasureEndReason,
)
from kaa.period import HalfYear
from kaa.testing.synthetic import (
    IST_EXPORT_COLUMNS,
    ist_export_rows,
    synthetic_cases,
    synthetic_youths,
)

DAY = dt.date(2026, 11, 23)
YEAR_END = dt.date(2026, 12, 31)
HERE = Path(__file__).parent / "data"

# History in VT 2026 for the committee report's comparison column (HT 2026 against VT 2026):
# only events added to the cases open then, each from the registration to the end of KAA;
# every measure added starts and ends in VT 2026, so the HT 2026 SCB file is unchanged.
VT_FIRST, VT_LAST = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
ACTIVITIES = (
    Activity.NO_ACTIVITY,
    Activity.WORK,
    Activity.OTHER_STUDIES,
    Activity.OTHER,
    Activity.NO_ACTIVITY,
    Activity.WORK,
)
CHANNELS = (Channel.PHONE, Channel.MEETING, Channel.E_SERVICE, Channel.PHONE, Channel.SMS)
MEASURES = (
    ("study_guidance", Activity.OTHER_STUDIES),
    ("motivational_conversation", Activity.NO_ACTIVITY),
    ("work_placement", Activity.WORK),
    ("komvux_upper_secondary", Activity.OTHER_STUDIES),
    ("folkhogskola_course", Activity.OTHER_STUDIES),
    ("coaching", Activity.WORK),
    ("study_visit", Activity.NATIONAL_PROGRAMME),
)


def with_vt_history(case: Case, i: int) -> Case:
    """``case`` with contacts (and for some a measure) in VT 2026, if it was open then."""
    first = max(VT_FIRST, case.registration.day)
    last = VT_LAST if case.end is None else min(VT_LAST, case.end.day)
    if first + dt.timedelta(days=40) > last:
        return case
    contacts = list(case.contacts)
    # an attempt that reached nobody, a few days after the later of 1 January and registration
    contacts.append(
        Contact(
            day=first + dt.timedelta(days=3 + i % 5),
            channel=Channel.POSTCARD if i % 2 else Channel.PHONE,
            outcome=ContactOutcome.SENT if i % 2 else ContactOutcome.NO_ANSWER,
        )
    )
    measures = list(case.measures)
    if i % 5 != 0:  # four youths in five are reached in VT
        day = first + dt.timedelta(days=14 + (i * 7) % 20)
        contacts.append(
            Contact(
                day=day,
                channel=CHANNELS[i % len(CHANNELS)],
                outcome=ContactOutcome.DECLINED_SUPPORT if i % 11 == 0 else ContactOutcome.REACHED,
                activity=ACTIVITIES[i % len(ACTIVITIES)],
            )
        )
        if i % 3 == 0 and day + dt.timedelta(days=25) <= last:
            kind, after = MEASURES[(i // 3) % len(MEASURES)]
            start = day + dt.timedelta(days=7)
            end = min(last, start + dt.timedelta(days=18 + i % 30))
            measures.append(
                Measure(
                    id=f"vt{len(measures) + 1}",
                    type=kind,
                    offered=day,
                    start=start,
                    end=end,
                    end_reason=(
                        MeasureEndReason.STARTED_STUDIES
                        if after.is_studies
                        else MeasureEndReason.COMPLETED
                    ),
                    activity_after=after,
                )
            )
        elif i % 7 == 0:
            measures.append(
                Measure(
                    id=f"vt{len(measures) + 1}",
                    type="work_placement",
                    offered=day,
                    declined=True,
                    decline_reason="har arbete",
                )
            )
    return attrs.evolve(case, contacts=tuple(contacts), measures=tuple(measures))


def main() -> None:
    """Write ``youths.csv``, ``youths.json``, ``youths-with-errors.csv``, ``cases.jsonl``
    and ``askersund-ist.csv``."""
    HERE.mkdir(exist_ok=True)
    youths = list(synthetic_youths(60, on=DAY, municipality="1882", seed=1882, register=True))
    (HERE / "youths.csv").write_text(dumps_csv(youths), encoding="utf-8")
    (HERE / "youths.json").write_text(
        json.dumps(to_dict(youths[:10], reveal_ids=True), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    lines = dumps_csv(youths[:8]).splitlines()
    # Three typical mistakes from real exports: a Swedish date form, a typo in a school form,
    # and a kommunkod that lost its leading zero.
    dated = next(i for i, line in enumerate(lines) if ",compulsory_school," in line)
    lines[dated] = lines[dated].replace("-06-", "/06/", 1)
    typo = next(i for i, line in enumerate(lines) if ",gymnasieskola," in line and i > dated + 1)
    lines[typo] = lines[typo].replace(",gymnasieskola,", ",gymnasiet,", 1)
    lines.append("20061123-2398,residence,folkbokford,,180,,,")
    (HERE / "youths-with-errors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Askersund's KAA register at the end of HT 2026: about half of the youths reached in the
    # half-year, 20-25 % with a measure (DOMAIN §5). Skatteverket test numbers only.
    cases = list(synthetic_cases(120, period=HalfYear(2026, 2), seed=1882))
    write_cases([with_vt_history(c, i) for i, c in enumerate(cases)], HERE / "cases.jsonl")
    # The same register as IST's list export shows it on 31 December 2026 (Windows-1252,
    # ';', CRLF, as Excel with Swedish settings saves it): the registered youths, and youths
    # of the cohort who are not registered — some of them in the target group, which is what
    # the main job points out.
    registered = {c.youth.id for c in cases}
    others = [
        y
        for y in synthetic_youths(60, on=YEAR_END, municipality="1882", seed=2027)
        if y.id not in registered
    ]
    rows = [row for c in cases for row in ist_export_rows(c.youth, c, on=YEAR_END)]
    rows += [row for y in others for row in ist_export_rows(y, on=YEAR_END)]
    with (HERE / "askersund-ist.csv").open("w", encoding="cp1252", newline="") as f:
        for row in (IST_EXPORT_COLUMNS, *rows):
            f.write(";".join(row) + "\r\n")


if __name__ == "__main__":
    main()
