"""``oddswire serve`` end to end: a real process, real sockets, a real SQLite file."""

from __future__ import annotations

import signal
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hubproc import KEY, HubProcess, run_cli  # type: ignore[import-not-found]

pytestmark = pytest.mark.slow
FAST = (
    "--rate",
    "3000",
    "--sports",
    "4,6",
    "--days-back",
    "0",
    "--days-ahead",
    "1",
    "--seed",
    "11",
)


def test_serve_prints_url_and_key_serves_events_and_stops_cleanly(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub.db", *FAST)
    try:
        url = hub.wait_ready()
        assert url.startswith("http://127.0.0.1:")
        assert hub.demo_key and len(hub.demo_key) == 32
        assert "warm-up" in hub.output  # progress while warming up
        health = hub.health()
        assert health["status"] == "ok"
        assert health["events"] > 0
        today = datetime.now(UTC).date().isoformat()
        r = hub.get(f"/api/v2/sports/4/events/{today}")
        assert r.status_code == 200
        body = r.json()
        assert body["events"], "the simulator schedules NBA games today"
        assert body["events"][0]["markets"]
        # the demo key works too
        import httpx

        r = httpx.get(f"{url}/api/v2/sports/4/events/{today}", params={"key": hub.demo_key})
        assert r.status_code == 200
        before = hub.health()["sequence"]
        time.sleep(1.0)
        assert hub.health()["sequence"] > before  # the simulator keeps moving the market
    finally:
        hub.signal(signal.SIGTERM)
        assert hub.wait() == 0, hub.output
    assert "stopped cleanly" in hub.output
    # the demo key is stable across restarts
    again = HubProcess(tmp_path / "hub.db", *FAST)
    try:
        again.wait_ready()
        assert again.demo_key == hub.demo_key
    finally:
        again.signal(signal.SIGINT)  # Ctrl-C stops cleanly too
        assert again.wait() == 0, again.output


def test_a_second_hub_on_the_same_store_refuses_to_start(tmp_path: Path) -> None:
    first = HubProcess(tmp_path / "hub.db", *FAST)
    try:
        first.wait_ready()
        second = run_cli("serve", "--port", "0", "--db", str(tmp_path / "hub.db"), *FAST)
        assert second.returncode == 1
        assert "in use" in second.stderr
        assert first.health()["status"] == "ok"
    finally:
        assert first.stop() == 0


def test_foreign_and_corrupt_files_are_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    r = run_cli("serve", "--port", "0", "--db", str(notes))
    assert r.returncode == 1
    assert "not an oddswire store" in r.stderr
    assert notes.read_text() == "not a database\n"
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    r = run_cli("serve", "--port", "0", "--db", str(other))
    assert r.returncode == 1
    assert "belongs to something else" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "99999"), "--port must be a TCP port"),
        (("--rate", "-1"), "--rate must be between"),
        (("--seed", "abc"), "--seed must be a whole number"),
        (("--api-key", "x"), "at least 8"),
    ],
)
def test_bad_flags_exit_2_with_a_clear_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    r = run_cli("serve", "--db", str(tmp_path / "x.db"), *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.db").exists()


def test_port_in_use_is_reported(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = run_cli("serve", "--port", str(port), "--db", str(tmp_path / "x.db"))
    assert r.returncode == 1
    assert "cannot listen" in r.stderr


def all_sequences(db: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT sequence FROM ticks UNION ALL SELECT sequence FROM event_ticks")
        return sorted(r[0] for r in rows)
    finally:
        conn.close()


def test_sigkill_mid_ingest_loses_nothing_committed_and_repeats_no_sequence(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    args = (
        "--rate",
        "20000",
        "--sports",
        "4,6",
        "--days-back",
        "0",
        "--days-ahead",
        "1",
        "--seed",
        "5",
    )
    hub = HubProcess(db, *args)
    hub.wait_ready()
    seen = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        health = hub.health()
        seen.append((health["committed_sequence"], health["sequence"]))
        time.sleep(0.05)
    committed_before, highest_seen = seen[-1]
    assert committed_before > 10_000  # mid-ingest, at a high rate
    hub.signal(signal.SIGKILL)
    assert hub.wait() == -signal.SIGKILL

    sequences = all_sequences(db)
    assert len(sequences) == len(set(sequences)), "a sequence number was stored twice"
    # every change acknowledged as committed is there, with no hole below it
    assert sequences[:committed_before] == list(range(1, committed_before + 1))

    again = HubProcess(db, *args)
    try:
        again.wait_ready()
        health = again.health()
        assert health["committed_sequence"] >= committed_before
        time.sleep(1.0)
    finally:
        assert again.stop() == 0, again.output
    after = all_sequences(db)
    assert len(after) == len(set(after)), "a sequence number repeated after the restart"
    restarted = [s for s in after if s > sequences[-1]]
    assert restarted, "the restarted hub kept ingesting"
    # numbering resumed above everything the killed process could have shown anyone
    assert min(restarted) > highest_seen
    assert after[: len(sequences)] == sequences


def test_checkpoint_and_restart_rebuild_the_same_board(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    hub = HubProcess(db, *FAST, "--checkpoint-interval", "1")
    today = datetime.now(UTC).date().isoformat()
    try:
        hub.wait_ready()
        time.sleep(2.5)
    finally:
        assert hub.stop() == 0
    final_sequence = int(hub.output.split("stopped cleanly at sequence ")[1].split()[0])
    again = HubProcess(db, *FAST, "--rate", "0.001")  # (almost) no new changes
    try:
        again.wait_ready()
        assert "store loaded" in again.output
        assert again.health()["committed_sequence"] >= final_sequence
        r = again.get(f"/api/v2/sports/4/events/{today}", key=KEY)
        assert r.status_code == 200
    finally:
        assert again.stop() == 0
