"""Regenerate the bundled example data in ``examples/data/``.

Only Skatteverket's official test personnummer are used (see ``kaa.testing.synthetic``). Run::

    python examples/make_example_data.py
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kaa.convert import to_dict
from kaa.formats.canonical import dumps_csv
from kaa.formats.cases import write_cases
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
    write_cases(cases, HERE / "cases.jsonl")
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
