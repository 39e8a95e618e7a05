"""A delayed tier through the real ``oddswire serve``: a tiers file sets the delay, a
key made with ``oddswire keys create --tier`` gets the board as it was, and the
headers and ``/healthz`` say so."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from hubproc import KEY, HubProcess, run_cli  # type: ignore[import-not-found]

pytestmark = pytest.mark.slow
FAST = ("--rate", "400", "--sports", "4", "--days-back", "0", "--days-ahead", "1")
DELAY = 3
TIERS = f"""
[tiers.lagged]
burst = 50
delay_seconds = {DELAY}
datapoints = 1000000000
"""


def events(hub: HubProcess, key: str) -> httpx.Response:
    """Tomorrow's games (UTC): the simulator has them whatever the hour."""
    assert hub.url
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86_400))
    return httpx.get(
        f"{hub.url}/api/v2/sports/4/events/{day}",
        headers={"X-TheRundown-Key": key},
        timeout=10,
    )


def test_a_delayed_key_sees_the_board_of_delay_seconds_ago(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    tiers = tmp_path / "tiers.toml"
    tiers.write_text(TIERS)
    config = tmp_path / "oddswire.toml"
    config.write_text(f'[oddswire]\ntiers-file = "{tiers}"\n')
    made = run_cli("keys", "--db", str(db), "--config", str(config), "create", "screen",
                   "--tier", "lagged")  # fmt: skip
    assert made.returncode == 0, made.stderr
    lagged = made.stdout.strip()
    hub = HubProcess(db, *FAST, "--config", str(config))
    try:
        hub.wait_ready()
        time.sleep(DELAY + 1.0)  # so the board of DELAY ago has games on it
        started = time.time()
        first = events(hub, lagged)
        assert first.status_code == 200, first.text
        assert first.headers["x-data-delay-seconds"] == str(DELAY)
        assert first.headers["x-tier"] == "lagged"
        shown = int(first.json()["meta"]["delta_last_id"])
        live = events(hub, KEY)
        assert live.headers["x-data-delay-seconds"] == "0"
        assert int(live.json()["meta"]["delta_last_id"]) > shown  # the simulator moves on
        assert first.json()["events"]  # and DELAY ago it had games
        # the replica follows: a little later the delayed key sees a later board
        time.sleep(1.0)
        later = events(hub, lagged)
        assert int(later.json()["meta"]["delta_last_id"]) > shown
        delayed = hub.health()["delayed_boards"]
        assert [b["delay_seconds"] for b in delayed] == [DELAY]
        assert time.time() - started < 30
        refused = httpx.get(
            f"{hub.url}/api/v2/markets/delta",
            params={"last_id": str(shown)},
            headers={"X-TheRundown-Key": lagged},
            timeout=10,
        )
        assert refused.status_code == 403
        assert "requires real-time data" in refused.json()["error"]
    finally:
        assert hub.stop() == 0
