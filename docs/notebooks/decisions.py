# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # From a CSV of youths to a table of decisions and a chart
#
# An analyst's first hour with `kaa`: read the canonical youths CSV, decide who is in the
# target group on a day, look at the decisions as a pandas table, and chart the follow-up
# figures of the case register. The data are the bundled examples (`examples/data/`), made
# only from Skatteverket's test numbers. Open this file in Jupyter with jupytext
# (`jupytext --to notebook decisions.py`) or run it as a script; every cell runs as it is.
#
# In a notebook, a decision shows itself as a table of the six conditions with the statute
# behind each as a link (its `_repr_html_`); here we print its summary instead.

# %%
import datetime as dt
import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the chart is written to a file
import matplotlib.pyplot as plt
import pandas as pd

import kaa
from kaa import followup
from kaa.formats.canonical import read_youths_csv
from kaa.formats.cases import read_cases
from kaa.formats.decisions import decisions_table
from kaa.period import HalfYear

DATA = Path(os.environ.get("KAA_EXAMPLE_DATA", "examples/data"))
DAY = dt.date(2026, 11, 23)

# %% [markdown]
# ## Decide who is in the target group
#
# `read_youths_csv` streams the youths; a row it cannot read is reported, never guessed.

# %%
with (DATA / "youths.csv").open(encoding="utf-8", newline="") as stream:
    youths = list(read_youths_csv(stream, file="youths.csv", reference_day=DAY))
decisions = [kaa.assess(y, on=DAY, municipality="1882") for y in youths]
print(f"{len(decisions)} youths decided on {DAY}")
print(decisions[0].summary())

# %% [markdown]
# ## The decisions as a pandas table
#
# `decisions_table` gives one plain dict per decision — masked ids, days as dates, one
# boolean column per condition — so `pandas.DataFrame` (or `polars.DataFrame`) takes it
# as it is.

# %%
frame = pd.DataFrame(decisions_table(decisions))
print(frame[["id", "outcome", "failed_conditions", "ages_out"]].to_string(index=False))
print(frame["outcome"].value_counts().to_string())
assert not frame["id"].str.contains(r"\d{4}$").any(), "ids are masked"

# %% [markdown]
# Which condition keeps youths out most often?

# %%
conditions = ["T1", "T2", "T3", "T4", "T5", "T6"]
failing = (~frame[conditions]).sum().rename("youths failing")
print(failing.to_string())

# %% [markdown]
# ## A chart of the follow-up figures
#
# The case register (`cases.jsonl`) gives the committee report's figures; each is a
# `followup.Table` of plain rows, so it goes into a data frame the same way. Here: how each
# channel of contact worked in HT 2026.

# %%
cases = list(read_cases(DATA / "cases.jsonl", reference_day=dt.date(2026, 12, 31)))
channels = pd.DataFrame(followup.contact_channels(cases, HalfYear(2026, 2)).as_rows())
channels = channels[channels["channel"] != "total"]
print(channels[["channel", "attempts", "reached"]].to_string(index=False))

figure, axes = plt.subplots(figsize=(7, 3.5))
axes.bar(channels["label_sv"], channels["attempts"], label="försök")
axes.bar(channels["label_sv"], channels["reached"], label="nådde ungdomen")
axes.set_title("Kontaktförsök per kanal, HT 2026 (exempeldata)")
axes.legend()
figure.autofmt_xdate(rotation=30)
chart = Path(os.environ.get("KAA_CHART_DIR", tempfile.gettempdir())) / "kaa-channels.png"
figure.savefig(chart, dpi=100, bbox_inches="tight")
plt.close(figure)
print(f"chart written to {chart.name}")
