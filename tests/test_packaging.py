"""``kaa`` is installable as a package: the wheel and the sdist build, the wheel installs into
a fresh virtual environment, and ``kaa year`` runs from there on the bundled example data.

This takes about a minute: ``python -m build`` makes its own isolated build environment
(hatchling), and the fresh environment installs the runtime dependencies (attrs, cattrs,
pluggy, python-dateutil, holidays) from the package index pip is configured with — PyPI, or
a local mirror or wheelhouse (``PIP_INDEX_URL`` / ``PIP_FIND_LINKS``). Nothing is taken from
the development environment: the point is that the wheel alone is enough.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "data"


def _run(*command: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, ROOT, cwd=out)
    return out


def _one(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def test_the_wheel_holds_the_package_its_data_and_its_schemas(dist: Path) -> None:
    names = set(zipfile.ZipFile(_one(dist, "kaa-*-py3-none-any.whl")).namelist())
    for needed in (
        "kaa/__init__.py",
        "kaa/py.typed",
        "kaa/data/municipalities.csv",
        "kaa/data/timetables/national.toml",
        "kaa/data/schemas/case.schema.json",
        "kaa/data/schemas/youth.schema.json",
        "kaa/scb/layouts/default.toml",
        "kaa/adapters/profiles/ist.toml",
        "kaa/municipal/askersund/timetable.toml",
    ):
        assert needed in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(_one(dist, "kaa-*.whl")).read(entry_points).decode()
    assert "kaa = kaa.cli:main_exit" in text


def test_the_sdist_holds_the_source_and_the_tests(dist: Path) -> None:
    with tarfile.open(_one(dist, "kaa-*.tar.gz")) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "LICENSE", "src/kaa/__init__.py"):
        assert needed in names
    assert "src/kaa/data/schemas/case.schema.json" in names
    assert "tests/test_packaging.py" in names


def test_kaa_year_runs_from_the_wheel_in_a_fresh_environment(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", _one(dist, "kaa-*.whl"), cwd=tmp_path)
    where = _run(python, "-c", "import kaa; print(kaa.__file__)", cwd=tmp_path).stdout
    assert Path(where.strip()).is_relative_to(venv), "kaa is imported from the fresh environment"
    done = _run(
        venv / "bin" / "kaa",
        "year",
        EXAMPLES / "askersund-ist.csv",
        "--source",
        "ist",
        "--cases",
        EXAMPLES / "cases.jsonl",
        "--municipality",
        "1882",
        "--on",
        "2026-12-31",
        "--out",
        tmp_path / "out",
        cwd=tmp_path,
    )
    assert "1882 Askersund" in done.stdout + done.stderr
    written = {p.name for p in (tmp_path / "out").iterdir()}
    for name in (
        "malgrupp-2026-12-31.csv",
        "arbetslista-2026-12-31.csv",
        "scb-2026H2.txt",
        "rapport-2026H2.html",
    ):
        assert name in written
    assert "20080711-****" in (tmp_path / "out" / "malgrupp-2026-12-31.csv").read_text("utf-8")
