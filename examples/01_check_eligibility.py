# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Who is in the target group, and why?
#
# Reads the bundled example youths of Askersund (kommunkod 1882), decides for each whether
# they are in KAA on a day, and looks at the reasons. Every number is one of Skatteverket's
# official **test** personnummer. Open it in Jupyter with jupytext, or run it as a script.

# %%
import datetime as dt
from collections import Counter
from pathlib import Path

import kaa
from kaa.formats.canonical import read_youths
from kaa.formats.problems import ReadSummary

DAY = dt.date(2026, 11, 23)
DATA = Path(__file__).resolve().parent / "data" / "youths.csv"

summary = ReadSummary(file=str(DATA))
youths = list(read_youths(DATA, summary=summary, reference_day=DAY))
print(summary)

# %% [markdown]
# ## Decide for each youth

# %%
decisions = [kaa.assess(y, on=DAY, municipality="1882") for y in youths]
inside = [d for d in decisions if d.in_target_group]
print(f"{len(inside)} of {len(decisions)} youths are in the target group on {DAY}")

# %% [markdown]
# ## Why the others are out
#
# Each decision carries all six conditions (T1–T6) with their citation; count the failing ones.

# %%
why_out = Counter(r.condition.code for d in decisions for r in d.failed)
for code, count in sorted(why_out.items()):
    condition = next(c for c in kaa.Condition if c.code == code)
    print(f"{code} {condition.text_sv}: {count}")

# %% [markdown]
# ## One youth in detail (the number is masked)

# %%
example = inside[0]
print(example.youth, "ages out on", example.ages_out)
for reason in example.reasons:
    print(" ", reason)

# %% [markdown]
# ## Who ages out within 90 days?

# %%
soon = [d for d in inside if (d.ages_out - DAY).days <= 90]
print([str(d.youth) for d in soon])

# %% [markdown]
# ## Every version of the rule

# %%
from kaa.rules.target_group import TIMELINE  # noqa: E402

for version in TIMELINE:
    print(version.start, version.citation.long(), "—", version.title)

assert all(d.reasons for d in decisions)
assert summary.rows_accepted == summary.rows_read
