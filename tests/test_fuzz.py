"""Fuzzing every reader for a few seconds (``scripts/fuzz_readers.py``): random and mutated
files never crash a reader, hang it, break the count identity or show a whole identity number.

The same script runs for as long as asked (``python scripts/fuzz_readers.py --seconds 600``);
here it runs a fixed number of inputs per reader with a fixed seed, so a failure can be
repeated, and a time limit, so a slow machine cannot stall the suite.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz_readers.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_readers", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_fuzzing_every_reader_finds_no_crash_hang_count_fault_or_leak(tmp_path: Path) -> None:
    fuzz = _script()
    printed: list[str] = []
    report = fuzz.fuzz(
        seconds=12,
        max_inputs=25 * len(fuzz.READERS),
        seed=2026,
        timeout=10,
        save=tmp_path,
        out=printed.append,
    )
    table = report.table()
    assert set(report.inputs) == set(fuzz.READERS), table
    assert (report.crashes, report.hangs, report.faults) == (0, 0, 0), "\n".join([*printed, table])
    assert report.count("accepted"), table
    assert report.count("reported"), table


def test_the_fuzzer_finds_a_crash_and_saves_its_input(tmp_path: Path) -> None:
    fuzz = _script()

    def crash(path: Path) -> object:
        raise TypeError("a reader that is broken")

    real = fuzz.READERS["canonical-csv"]
    fuzz.READERS["canonical-csv"] = fuzz.Reader("canonical-csv", ".csv", crash)
    try:  # the worker is forked after this, so it reads with the broken reader
        printed: list[str] = []
        report = fuzz.fuzz(
            seconds=10,
            max_inputs=3,
            readers=["canonical-csv"],
            save=tmp_path,
            out=printed.append,
        )
    finally:
        fuzz.READERS["canonical-csv"] = real
    assert report.crashes == 3
    assert any("TypeError: a reader that is broken" in line for line in printed)
    assert list(tmp_path.glob("canonical-csv-crash-*.csv"))


def test_the_fuzzer_stops_a_reader_that_hangs_and_goes_on(tmp_path: Path) -> None:
    fuzz = _script()

    def hang(path: Path) -> object:
        time.sleep(60)
        raise AssertionError("not reached")

    real = fuzz.READERS["ist"]
    fuzz.READERS["ist"] = fuzz.Reader("ist", ".csv", hang)
    try:
        report = fuzz.fuzz(
            seconds=10,
            max_inputs=4,
            readers=["ist", "canonical-csv"],
            timeout=0.5,
            save=tmp_path,
            out=lambda line: None,
        )
    finally:
        fuzz.READERS["ist"] = real
    assert report.count("hang", "ist") == 2
    assert report.inputs["canonical-csv"] == 2
    assert report.count("hang", "canonical-csv") == 0
