"""The half-year submission to SCB: build, check, write and read back the file.

- :mod:`kaa.scb.submission` — who is reported for a half-year, and the record per youth in
  five blocks (SCB's headings for blocks 2–5; the fields are the library's model);
- :mod:`kaa.scb.layout` — the file layout as data (TOML profiles);
- :mod:`kaa.scb.checks` — the library's numbered cross-field checks (not SCB's); errors
  block writing, the library's own conventions and models are warnings;
- :mod:`kaa.scb.rule` — the one rule for writing the upload file (:func:`may_write`): no
  rejected row, no blocking check, at least one youth of the municipality;
- :mod:`kaa.scb.writer` and :mod:`kaa.scb.reader` — the delimited text file, atomically;
- :mod:`kaa.scb.excel` — a workbook with the failing cells marked (no extra needed).

The most used names are re-exported here.
"""

from __future__ import annotations

from kaa.scb.checks import CHECKS, CheckReport, ChecksFailed, Finding, check_submission
from kaa.scb.layout import ScbLayout, default_profile, load_profile
from kaa.scb.reader import read_submission
from kaa.scb.rule import Refusal, RefusalReason, WriteRefused, WriteVerdict, may_write
from kaa.scb.submission import Block, ScbRecord, Submission, build_submission
from kaa.scb.writer import write_submission

__all__ = [
    "CHECKS",
    "Block",
    "CheckReport",
    "ChecksFailed",
    "Finding",
    "Refusal",
    "RefusalReason",
    "ScbLayout",
    "ScbRecord",
    "Submission",
    "WriteRefused",
    "WriteVerdict",
    "build_submission",
    "check_submission",
    "default_profile",
    "load_profile",
    "may_write",
    "read_submission",
    "write_submission",
]
