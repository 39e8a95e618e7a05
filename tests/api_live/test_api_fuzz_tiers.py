"""The schemathesis run again, with keys that are not admin: tier refusals (403 for a
missing entitlement, 429 for a burst or an exhausted quota, the data delay) must never
turn into a 5xx. Only that is checked here: refusals by tier are not all in the
OpenAPI document's statuses (test_schemathesis.py checks conformance, as admin)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from fuzzkit import schemathesis  # type: ignore[import-not-found]
from hubproc import HubProcess, run_cli  # type: ignore[import-not-found]

pytestmark = pytest.mark.slow
#: free: delayed, few entitlements, 1 request/s (mostly 429s); ultra: 10/s, no hedge.
TIERS = ("free", "ultra")


def test_fuzzing_with_tier_keys_finds_no_server_error(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    hub = HubProcess(db, "--sports", "4", "--rate", "200", "--days-back", "0", "--days-ahead", "1")
    outputs = []
    try:
        url = hub.wait_ready()
        for tier in TIERS:
            made = run_cli("keys", "--db", str(db), "create", f"fuzz {tier}", "--tier", tier)
            assert made.returncode == 0, made.stderr
            key = made.stdout.strip()
            _wait_accepted(url, key)  # the hub picks stored keys up within seconds
            result = schemathesis(
                url,
                key,
                tmp_path / f"report-{tier}",
                "--checks", "not_a_server_error",
                "--phases", "coverage,fuzzing",
                "--mode", "positive",
                "--max-examples", "4",
                "--seed", "20261122",
            )  # fmt: skip
            outputs.append((tier, result))
    finally:
        hub.stop()
    for tier, result in outputs:
        assert result.returncode == 0, f"{tier}:\n{result.stdout[-6000:]}"
    assert "Traceback" not in hub.output, hub.output[-4000:]


def _wait_accepted(url: str, key: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/api/v2/season_types", headers={"X-TheRundown-Key": key})
        if status.status_code != 401:
            return
        time.sleep(0.2)
    raise AssertionError(f"the hub did not pick up key {key[:6]}... in {timeout} s")
