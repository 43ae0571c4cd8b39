"""``kaa serve`` (:mod:`kaa.commands.serve`): the real command in a child process on the
loopback address, talked to with httpx; its whole output (uvicorn's access and error logs)
is captured and searched for identity numbers."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import kaa
from kaa.cli import main
from kaa.testing import skatteverket_number

NUMBER = skatteverket_number(dt.date(2008, 8, 12))
WHOLE = NUMBER.full("separated_long")
SRC = Path(__file__).resolve().parents[2] / "src"


def _whole(text: str) -> list[str]:
    date, serial = WHOLE[:8], WHOLE[-4:]
    return re.findall(rf"(?:{date}|{date[2:]})[-+ ]?{serial}", text)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(SRC)}
    child = subprocess.Popen(
        [sys.executable, "-m", "kaa.cli", "serve", "--port", "0", "--max-body", "0.05"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        found = re.search(r"answering on (http://127\.0\.0\.1:\d+)", first)
        assert found, first
        yield found.group(1), child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


def test_serve_answers_on_loopback_and_logs_no_identity_number(
    served: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url, child = served
    youth = {"id": WHOLE, "residences": [{"municipality": "1882"}]}
    with httpx.Client(base_url=url, timeout=30) as client:
        assessed = client.post("/assess", json={"on": "2026-11-23", "youths": [youth]})
        bad = client.post("/assess", json={"on": WHOLE, "youths": [{**youth, "x": WHOLE}]})
        path = client.get(f"/timetables/{WHOLE.replace('-', '')}", params={"q": WHOLE})
        rules = client.get("/rules")
        spec = client.get("/spec")
        big = client.post("/assess", content=b"[" + b" " * 60_000 + b"]")
    answers = [assessed, bad, path, rules, spec, big]
    assert [a.status_code for a in answers] == [200, 422, 422, 200, 200, 413]
    assert all(a.headers["kaa-version"] == kaa.__version__ for a in answers)
    assert assessed.json()["decisions"][0]["id"] == NUMBER.masked()
    assert json.loads(spec.text)["openapi"].startswith("3.")
    for answer in answers:
        assert _whole(answer.text) == []
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=20)
    assert child.returncode == 0
    assert '"GET /timetables/20080812-****?q=20080812-**** HTTP/1.1" 422' in out
    assert '"POST /assess HTTP/1.1" 413' in out
    assert _whole(out) == []
    assert list(tmp_path.iterdir()) == []  # it stores nothing


def test_serve_says_when_the_port_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_serve_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kaa.api", None)
    assert main(["serve"]) == 2
    assert "pip install 'kaa[api]'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--max-body", "0"], id="a body limit of nothing"),
        pytest.param(["--max-body", "lots"], id="a body limit that is not a number"),
        pytest.param(["--port", "70000"], id="a port out of range"),
    ],
)
def test_serve_refuses_bad_options(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["serve", *argv])
    assert stop.value.code == 2


def test_the_library_and_its_other_commands_do_not_import_the_web_framework() -> None:
    code = (
        "import sys, kaa, kaa.cli; kaa.cli._parser(); "
        "print(sorted(m for m in ('litestar', 'uvicorn', 'kaa.api') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.strip() == "[]"
