"""Installing the SDK alone pulls in none of the server's dependencies, and works.

A fresh virtualenv gets ``pip install <checkout>`` (no extras); in it the SDK imports,
talks to a real hub, and the server's packages are absent; ``oddswire serve`` says what
to install instead of failing with a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))

from hubproc import KEY, HubProcess

ROOT = Path(__file__).resolve().parents[2]
SERVER_ONLY = ("starlette", "uvicorn", "uvloop", "httptools")

pytestmark = pytest.mark.slow


def test_base_dependencies_leave_the_server_out() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = " ".join(project["dependencies"])
    assert not [name for name in SERVER_ONLY if name in base]
    server = " ".join(project["optional-dependencies"]["server"])
    assert all(name in server for name in SERVER_ONLY)


def test_sdk_alone_installs_and_talks_to_a_hub(tmp_path: Path) -> None:
    venv = tmp_path / "sdk-only"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert install.returncode == 0, install.stderr[-2000:]
    script = f"""
import importlib.util, sys
from oddswire.client import Client, NotFoundError
from oddswire.client import prices, odds
missing = [m for m in {SERVER_ONLY!r} if importlib.util.find_spec(m) is not None]
assert not missing, missing
with Client(sys.argv[1], sys.argv[2]) as api:
    sports = api.sports().sports
    assert any(s.sport_id == 4 for s in sports)
    try:
        api.event("0" * 32)
    except NotFoundError as exc:
        print("not found:", exc.status)
print("sports:", len(sports), prices.display("-110"), round(odds.american_to_decimal(150), 2))
"""
    hub = HubProcess(tmp_path / "hub.db", "--sports", "4", "--rate", "50")
    try:
        url = hub.wait_ready()
        run = subprocess.run(
            [str(python), "-c", script, url, KEY],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        hub.stop()
    assert run.returncode == 0, run.stderr
    assert "not found: 404" in run.stdout
    assert "sports:" in run.stdout and "-110 2.5" in run.stdout
    serve = subprocess.run(
        [str(venv / "bin" / "oddswire"), "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert serve.returncode == 2
    assert "pip install 'oddswire[server]'" in serve.stderr


def test_the_sdk_imports_no_server_module() -> None:
    """The SDK's layer rule, checked in a fresh interpreter: importing all of it loads
    neither the server's packages nor the hub, the API or the store."""
    code = (
        "import sys, oddswire.client, oddswire.client.feed, oddswire.client.odds;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{SERVER_ONLY!r} or m.startswith(('oddswire.api', 'oddswire.hub', "
        "'oddswire.store.sqlite', 'oddswire.sources', 'oddswire.sim')));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
