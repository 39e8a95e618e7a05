"""``oddswire serve`` with TLS: a real process, a self-signed certificate, HTTPS and WSS."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from hubproc import KEY, HubProcess, run_cli  # type: ignore[import-not-found]
from websockets.asyncio.client import connect

pytestmark = pytest.mark.slow
FAST = ("--rate", "500", "--sports", "4", "--days-back", "0", "--days-ahead", "1")


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl binary."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl binary to make a self-signed certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def wait_for_banner(hub: HubProcess, timeout: float = 90) -> str:
    """The https:// URL the banner prints, once the hub is serving."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = "".join(hub.stdout)
        found = re.search(r"serving on (https://\S+)", out)
        if found and "health:" in out:
            return found.group(1)
        if hub.proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"hub did not start (rc={hub.proc.poll()}):\n{hub.output}")


def test_serve_over_tls_answers_https_and_wss(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    hub = HubProcess(
        tmp_path / "hub.db", *FAST, "--tls-certfile", str(cert), "--tls-keyfile", str(key)
    )
    try:
        url = wait_for_banner(hub)
        assert url.startswith("https://127.0.0.1:")
        port = url.rsplit(":", 1)[1]
        assert f"wss://127.0.0.1:{port}/api/v2/ws" in hub.output
        context = ssl.create_default_context(cafile=str(cert))
        health = httpx.get(f"{url}/healthz", verify=context, timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        sports = httpx.get(
            f"{url}/api/v2/sports", headers={"X-TheRundown-Key": KEY}, verify=context, timeout=10
        )
        assert sports.status_code == 200
        # without trusting the certificate, no connection
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/healthz", timeout=10)

        async def ping() -> dict[str, object]:
            wss = f"wss://127.0.0.1:{port}/api/v2/ws?key={KEY}"
            async with connect(wss, ssl=context, open_timeout=10) as ws:
                await ws.send(json.dumps({"action": "ping"}))
                answer: dict[str, object] = json.loads(await asyncio.wait_for(ws.recv(), 10))
                return answer

        assert asyncio.run(ping()) == {"type": "pong"}
    finally:
        assert hub.stop() == 0, hub.output
    assert "Traceback" not in hub.output, hub.output


def test_tls_needs_a_certificate_and_its_key(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    db = str(tmp_path / "hub.db")
    only_cert = run_cli("serve", "--db", db, "--tls-certfile", str(cert))
    assert only_cert.returncode == 2
    assert "tls_certfile and tls_keyfile go together" in only_cert.stderr
    swapped = run_cli("serve", "--db", db, "--tls-certfile", str(key), "--tls-keyfile", str(cert))
    assert swapped.returncode == 2
    assert "cannot load" in swapped.stderr
