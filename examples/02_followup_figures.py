# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Exploring the follow-up figures
#
# Every figure in the committee report comes from one function in `kaa.followup` that
# returns a `Table` of plain rows. Here: Askersund's example register (kommunkod 1882), as
# of 31 December 2026, made only from Skatteverket's test numbers. In a notebook with pandas
# installed, `pandas.DataFrame(table.as_rows())` turns any figure into a dataframe.

# %%
import datetime as dt
from pathlib import Path

from kaa import followup
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.period import HalfYear, Year

DATA = Path(__file__).resolve().parent / "data" / "cases.jsonl"
HT, VT = HalfYear(2026, 2), HalfYear(2026, 1)

summary = ReadSummary(file=str(DATA))
cases = list(read_cases(DATA, summary=summary, reference_day=dt.date(2026, 12, 31)))
print(summary)


def show(table: followup.Table) -> None:
    """Print a figure as a small text table."""
    print(f"\n{table.title_sv} ({table.id})")
    for row in table.as_rows():
        print("  ", {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()})


# %% [markdown]
# ## How many youths, and did we reach them?

# %%
show(followup.population(cases, HT))
show(followup.reach(cases, HT))

# %% [markdown]
# ## Which channels reach youths?

# %%
channels = followup.contact_channels(cases, HT)
best = max(
    (r for r in channels.as_rows() if r["attempts"] and r["channel"] != "total"),
    key=lambda r: r["share_reached"] or 0.0,
)
print(f"best channel in {HT}: {best['label_sv']} ({best['share_reached']:.0%} of attempts)")
show(channels)

# %% [markdown]
# ## How quickly, and with what result?

# %%
show(followup.days_to_first_contact(cases, HT))
show(followup.measures_by_category(cases, HT))
show(followup.returned_to_studies(cases, HT))
show(followup.plan_completeness(cases, HT))

# %% [markdown]
# ## This half-year against the last, and the whole year

# %%
for period in (VT, HT, Year(2026)):
    share = followup.reach(cases, period).value("reached", "share")
    print(f"{period}: reached {share:.0%}" if share is not None else f"{period}: no cases")

# %% [markdown]
# ## For publication: small counts suppressed
#
# Counts from 1 to 4 become `None` (shown as "<5" in the report) so no youth can be singled
# out.

# %%
published = followup.end_reasons(cases, HT).suppressed()
show(published)
assert all(v is None or v == 0 or v >= 5 for v in published.column("youths"))
