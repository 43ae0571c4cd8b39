"""The API reference has one generated page per public module, and the nav lists them all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_module_has_its_generated_reference_page() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (
        f"{done.stderr}run `python scripts/regenerate_reference.py` and commit the pages"
    )
