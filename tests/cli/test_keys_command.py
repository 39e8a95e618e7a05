"""``oddswire keys`` against a running hub, and keys kept out of the logs."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from hubproc import HubProcess, run_cli  # type: ignore[import-not-found]

pytestmark = pytest.mark.slow
FAST = ("--rate", "200", "--sports", "4", "--days-back", "0", "--days-ahead", "0")
LOGGED = ("--access-log", "--log-level", "info")


def wait_for(status: int, url: str, key: str, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    got = -1
    while time.monotonic() < deadline:
        got = httpx.get(url, headers={"X-TheRundown-Key": key}).status_code
        if got == status:
            return got
        time.sleep(0.2)
    return got


def test_keys_created_and_revoked_while_serving(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    hub = HubProcess(db, *FAST, *LOGGED)
    try:
        url = hub.wait_ready() + "/api/v2/season_types"
        made = run_cli("keys", "--db", str(db), "create", "ci runner")
        assert made.returncode == 0, made.stderr
        key = made.stdout.strip()
        assert len(key) == 32 and made.stdout == key + "\n"  # the key alone on stdout
        assert key not in made.stderr
        assert wait_for(200, url, key) == 200  # picked up without a restart
        listed = run_cli("keys", "--db", str(db), "list")
        assert "ci runner" in listed.stdout
        assert key not in listed.stdout  # only a prefix is ever shown again
        assert key[:6] in listed.stdout
        gone = run_cli("keys", "--db", str(db), "revoke", "ci runner")
        assert gone.returncode == 0, gone.stderr
        assert wait_for(401, url, key) == 401
        # a key in the query string is masked in the access log
        httpx.get(url, params={"key": key})
        time.sleep(0.5)
    finally:
        assert hub.stop() == 0
    assert "key=***" in hub.output
    assert key not in hub.output


def test_keys_command_errors(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    assert run_cli("keys", "--db", str(db), "create", "a").returncode == 0
    again = run_cli("keys", "--db", str(db), "create", "a")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    missing = run_cli("keys", "--db", str(db), "revoke", "nobody")
    assert missing.returncode == 1
    assert "no active key" in missing.stderr
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello")
    refused = run_cli("keys", "--db", str(foreign), "list")
    assert refused.returncode == 1
    assert "not an oddswire store" in refused.stderr


def test_key_tiers_from_the_command_line_reach_a_running_hub(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    hub = HubProcess(db, *FAST)
    try:
        base = hub.wait_ready()
        made = run_cli("keys", "--db", str(db), "create", "customer", "--tier", "pro")
        assert made.returncode == 0, made.stderr
        assert "tier pro" in made.stderr
        key = made.stdout.strip()
        quarantine = base + "/admin/quarantine"
        assert wait_for(403, quarantine, key) == 403  # a known key, but not an admin
        body = httpx.get(quarantine, headers={"X-TheRundown-Key": key}).json()
        assert body == {"error": "Admin endpoints require the admin tier"}
        listed = run_cli("keys", "--db", str(db), "list").stdout
        assert any("customer" in line and " pro " in line for line in listed.splitlines())
        moved = run_cli("keys", "--db", str(db), "set-tier", "customer", "admin")
        assert moved.returncode == 0 and "is now tier admin" in moved.stderr
        assert wait_for(200, quarantine, key) == 200  # re-tiered without a restart
    finally:
        assert hub.stop() == 0


def test_unknown_tiers_are_refused_by_the_keys_command(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    bad = run_cli("keys", "--db", str(db), "create", "x", "--tier", "platinum")
    assert bad.returncode == 2 and "unknown tier 'platinum'" in bad.stderr
    assert run_cli("keys", "--db", str(db), "create", "x").returncode == 0
    moved = run_cli("keys", "--db", str(db), "set-tier", "x", "gold")
    assert moved.returncode == 2 and "unknown tier 'gold'" in moved.stderr
    assert run_cli("keys", "--db", str(db), "set-tier", "nobody", "pro").returncode == 1
