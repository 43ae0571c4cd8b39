# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # What must each case worker do today?
#
# Reads the bundled example cases of Askersund (kommunkod 1882), builds the worklist for a
# day from Askersund's contact timetable (its action plan, *Steg 1*), and records a phone call
# to see the case move on. Every identity number is one of Skatteverket's official **test**
# personnummer, and is masked in everything printed here.

# %%
import datetime as dt
from collections import Counter
from pathlib import Path

from kaa import build_worklist
from kaa.formats.cases import read_cases
from kaa.formats.problems import ReadSummary
from kaa.model.case import Channel, Contact, Contacted, ContactOutcome
from kaa.municipal import askersund
from kaa.worklist import (
    ItemKind,
    format_table,
    record_attempt,
    write_worklist_csv,
)

DAY = dt.date(2026, 11, 23)
DATA = Path(__file__).resolve().parent / "data" / "cases.jsonl"

summary = ReadSummary(file=str(DATA))
cases = list(read_cases(DATA, summary=summary, reference_day=DAY))
print(summary)

# %% [markdown]
# ## Askersund's timetable

# %%
timetable = askersund.timetable()
assert timetable is not None
version = timetable.at(DAY)
print(version.citation)
for step in version.value.steps:
    print(f"- {step.id}: {step.what} — {step.when_sv()}")

# %% [markdown]
# ## The worklist, most urgent first

# %%
worklist = build_worklist(cases, on=DAY)
print(f"{worklist.cases} open cases, {len(worklist)} items")
for status, n in worklist.counts().items():
    print(f"{status.label_sv:>24}: {n}")
print(Counter(item.kind.label_sv for item in worklist.items).most_common())

# %% [markdown]
# ## One case worker's list

# %%
worker, items = worklist.grouped("case-worker")[0]
print(worker, len(items))
for item in items[:8]:
    late = f" ({item.days_overdue} dagar sen)" if item.days_overdue else ""
    print(f"{item.youth.masked()}  {item.status.label_sv}: {item.what}{late}")

# %% [markdown]
# ## Recording an attempt moves the case on

# %%
item = next(
    i for i in worklist.items if i.kind is ItemKind.CONTACT and i.contacted is Contacted.YOUTH
)
open_case = next(c for c in cases if c.youth.id == item.youth)
print(f"{item.youth.masked()}: {item.what} via {item.channel}, due {item.due}")
called = record_attempt(
    open_case,
    Contact(day=DAY, channel=item.channel or Channel.PHONE, outcome=ContactOutcome.NO_ANSWER),
)
after = worklist.updated(open_case, called)
print("before:", [f"{i.step}/{i.contacted or '-'}" for i in worklist.for_youth(item.youth)])
print("after: ", [f"{i.step}/{i.contacted or '-'}" for i in after.for_youth(item.youth)])
assert after == build_worklist([called if c is open_case else c for c in cases], on=DAY)

# %% [markdown]
# ## As a table, and as CSV for a spreadsheet (identity numbers masked)

# %%
print(format_table(after, group_by="due-day").splitlines()[0])
with Path("worklist.csv").open("w", encoding="utf-8", newline="") as out:
    rows = write_worklist_csv(after, out)
print(f"{rows} rows written to worklist.csv")
