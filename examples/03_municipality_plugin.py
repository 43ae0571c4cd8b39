# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Writing a municipality plugin
#
# A municipality changes what `kaa` does with a plugin: it decides the open questions of the
# law, brings its own contact timetable and its own measures. Here a plugin is written in the
# notebook and registered directly; to ship it, put it in a package named `kaa-<kommun>`
# with an entry point in the group `kaa` — `examples/kaa-example-kommun/` is a complete one.
#
# The municipality below (kommunkod 1884) and its decisions are **illustrative only**.

# %%
import datetime as dt

import kaa
from kaa.dated import Timeline
from kaa.plugins import hookimpl
from kaa.rules.contact import Timetable, parse_timetable
from kaa.rules.measures import MeasureDefinition, MeasureKind
from kaa.rules.target_group import Ruling
from kaa.testing import hooks_with, skatteverket_number

KOMMUN = "1884"

TIMETABLE = parse_timetable(
    """
municipality = "1884"

[[versions]]
start = 2026-01-01
title = "Exempel: sms inom en vecka, sedan brev"

[versions.citation]
title = "Exempel på kontaktrutin (inte en kommuns beslut)"

[[versions.value.steps]]
id = "sms"
what = "Sms"
how = "Sms med erbjudande om kontakt."
channel = "sms"
within = "1 week"
from = "registration"
requires = ["phone_known"]

[[versions.value.steps]]
id = "letter"
what = "Brev"
how = "Brev med frågor om sysselsättning."
channel = "letter"
after = "3 weeks"
from = "registration"
""",
    file="notebook",
)


class ExampleKommun:
    """The plugin: every hook answers only for its own kommunkod."""

    @hookimpl
    def kaa_counts_as_equivalent_education(self, youth, enrolment, day):
        if enrolment.school_form is kaa.SchoolForm.FOLKHOGSKOLA:
            home = youth.residence_on(day)
            if home is not None and home.municipality == KOMMUN:
                return Ruling(True, "exempelkommunens beslut: allmän kurs räknas som motsvarande")
        return None

    @hookimpl
    def kaa_contact_timetable(self, municipality: str) -> Timeline[Timetable] | None:
        return TIMETABLE if municipality == KOMMUN else None

    @hookimpl
    def kaa_measure_catalogue(self, municipality: str) -> list[MeasureDefinition] | None:
        if municipality != KOMMUN:
            return None
        return [
            MeasureDefinition(
                id="example_mentor",
                label_sv="Mentor från näringslivet (exempel)",
                label_en="Mentor from local business (example)",
                kind=MeasureKind.MOTIVATION,
            )
        ]


hooks = hooks_with(ExampleKommun())
print(hooks.plugin_names())

# %% [markdown]
# ## The open question decided locally

# %%
youth = kaa.Youth(
    id=skatteverket_number(dt.date(2007, 3, 2)),
    residences=(kaa.Residence(municipality=KOMMUN),),
    compulsory_school_completed=dt.date(2023, 6, 10),
    enrolments=(
        kaa.Enrolment(
            school_form=kaa.SchoolForm.FOLKHOGSKOLA,
            programme=kaa.Programme.GENERAL_COURSE,
            start=dt.date(2026, 8, 17),
        ),
    ),
)
day = dt.date(2026, 11, 23)
national = kaa.assess(youth, on=day)
local = kaa.assess(youth, on=day, hooks=hooks)
print("national default:", national.summary(), "|", national.reasons[2].explanation)
print("with the plugin: ", local.summary(), "|", local.reasons[2].explanation)
assert national.in_target_group
assert not local.in_target_group

# %% [markdown]
# ## Its timetable and measures — and nobody else's

# %%
print(hooks.contact_timetable(KOMMUN).at(day).title)
print(hooks.contact_timetable("1882").at(day).title)  # Askersund's own, unchanged
catalogue = hooks.measure_catalogue(KOMMUN)
print("example_mentor" in catalogue, "example_mentor" in hooks.measure_catalogue("1882"))
