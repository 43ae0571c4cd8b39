"""The guide "Keeping the register" (docs/keeping-the-register.md) runs as it stands.

Its ``bash`` blocks are run in order, in one shell, in a fresh directory, with the installed
``kaa`` command and ``$DATA`` pointing at the bundled example data; every command must
succeed, and the store must then hold what the guide says it does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kaa.identity import IdentityNumber
from kaa.store import AuditAction, open_store

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "docs" / "keeping-the-register.md"
DATA = ROOT / "examples" / "data"


def _script() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    return "set -euo pipefail\n" + "\n".join(blocks)


def test_the_guide_runs_from_an_empty_store_to_the_scb_file(tmp_path: Path) -> None:
    kaa = shutil.which("kaa", path=str(Path(sys.executable).parent))
    assert kaa is not None, "the kaa command is not installed next to this Python"
    env = {
        **os.environ,
        "DATA": str(DATA),
        "PATH": f"{Path(kaa).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "KAA_PROGRESS": "0",
    }
    done = subprocess.run(
        ["bash", "-c", _script()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for name in ("kaa.db", "scb-2026H2.txt", "rapport-2026H2.html", "utdrag.html", "utdrag.json"):
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "kaa.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "kaa-out" / "scb-2026H2.txt").is_file()
    with open_store(f"sqlite:///{tmp_path / 'kaa.db'}", municipality="1882", actor="test") as s:
        actions = {e.action for e in s.audit()}
        by = {e.actor for e in s.audit()}
        (case_id,) = s.find(IdentityNumber.parse("20080812-2394"), purpose="test")
        case = s.case(case_id, purpose="test")
    assert {
        AuditAction.IMPORT,
        AuditAction.REGISTER,
        AuditAction.RECORD,
        AuditAction.READ,
        AuditAction.HISTORY,
        AuditAction.EXTRACT,
        AuditAction.SCB_FILE,
    } <= actions
    assert "anna.lind" in by
    assert case.reached()
    assert [m.type for m in case.measures] == ["work_placement"]
    assert case.case_worker == "Anna Lind"
    assert "20080812-2394" not in done.stdout + done.stderr


@pytest.mark.parametrize("block", range(7))
def test_every_step_of_the_guide_is_a_bash_block(block: int) -> None:
    headings = re.findall(r"^## (\d)\. ", GUIDE.read_text(encoding="utf-8"), re.M)
    assert str(block + 1) in headings
