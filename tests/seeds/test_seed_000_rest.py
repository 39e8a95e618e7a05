"""Seed 000 (TheRundown's Python guide): every REST snippet runs unchanged against
``oddswire serve``, with only BASE_URL and the key changed, and prints real data.

The snippets are read from the seed file itself, in order, and run as one script (they
build on each other's imports, as a reader of the guide would run them). The guide's
placeholder event id ``"abc123"`` is replaced by a real one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from hubproc import KEY, HubProcess  # type: ignore[import-not-found]
from seed000 import snippets  # type: ignore[import-not-found]

REST_SECTIONS = (
    "Configuration",
    "Getting Sports",
    "Getting Events with Odds",
    "Filtering by Affiliate",
    "Getting Player Props",
    "Historical Odds",
    "Error Handling",
)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    # The guide asks for date.today() (UTC here); NBA games of a UTC day are played
    # 00:00-03:30 UTC, so the market starts the evening before, with them all ahead.
    start = f"{date.today() - timedelta(days=1)}T22:00:00Z"
    args = ["--sports", "4,2", "--rate", "2000", "--days-back", "0", "--days-ahead", "1"]
    proc = HubProcess(tmp_path_factory.mktemp("seed") / "hub.db", *args, "--sim-start", start)
    proc.wait_ready()
    yield proc
    proc.stop()


def test_the_seed_has_the_sections_we_run() -> None:
    assert set(REST_SECTIONS) <= set(snippets())


def test_every_rest_snippet_runs_unchanged(hub: HubProcess) -> None:
    assert hub.url
    found = snippets()
    event_id = pick_event_with_history(hub)
    script = "\n\n".join(found[name] for name in REST_SECTIONS)
    original = script
    script = script.replace('"https://therundown.io/api/v2"', repr(hub.url + "/api/v2"))
    script = script.replace('event_id = "abc123"', f"event_id = {event_id!r}")
    # only the two documented substitutions happened
    changed = [a for a, b in zip(original.splitlines(), script.splitlines(), strict=True) if a != b]
    assert len(changed) == 2, changed
    script += "\n\nprint('HISTORY', len(history))\nprint('OPENERS', len(openers['events']))\nprint('CLOSING', len(closing['events']))\nprint('ERRORS', len(data['events']))\n"
    env = {**os.environ, "THERUNDOWN_API_KEY": KEY}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Getting Sports
    assert "4: NBA" in out
    # Getting Events with Odds / Filtering by Affiliate: "Away @ Home" and real prices
    assert re.search(r"\n\S.* @ \S.*\n", out)
    assert re.search(r"^\s+moneyline:$", out, re.M)
    assert re.search(r" [+-]\d+ @ (19|23)$", out, re.M)
    # Getting Player Props: players, lines like "Over 24.5", a DraftKings price
    assert re.search(r"^\s+points:$", out, re.M)
    assert re.search(r": Over \d+\.5 \(-?\d+\)$", out, re.M)
    # Historical Odds: rows with line, price and change type
    assert re.search(r": line=.* price=-?\d+ \((new|price_change)\)", out)
    history_count = int(re.search(r"HISTORY (\d+)", out).group(1))  # type: ignore[union-attr]
    assert history_count > 0
    assert int(re.search(r"OPENERS (\d+)", out).group(1)) == 1  # type: ignore[union-attr]
    assert int(re.search(r"CLOSING (\d+)", out).group(1)) == 1  # type: ignore[union-attr]
    assert int(re.search(r"ERRORS (\d+)", out).group(1)) > 0  # type: ignore[union-attr]


def pick_event_with_history(hub: HubProcess) -> str:
    """An NBA event of today (UTC) with DraftKings prices, so the history snippet prints."""
    body = hub.get(f"/api/v2/sports/4/events/{date.today().isoformat()}", affiliate_ids="19").json()
    for event in body["events"]:
        if event["markets"]:
            return str(event["event_id"])
    raise AssertionError("no NBA event with DraftKings prices today")


def test_the_seed_error_snippet_gets_real_errors(hub: HubProcess) -> None:
    """The guide's api_get() sees TheRundown-shaped errors for bad requests."""
    assert hub.url
    r = httpx.get(f"{hub.url}/api/v2/sports/4/events/not-a-date", headers={"X-TheRundown-Key": KEY})
    assert r.status_code == 400
    assert "error" in r.json()
