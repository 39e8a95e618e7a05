"""The streaming benchmarks at a tiny scale: correctness, not speed.

Each benchmark runs once (module fixtures); the tests then check what the clients
recorded, from the files the client processes left, independently of the benchmark's own
checks: every client got every change it subscribed to, once, and nothing else.
"""

from __future__ import annotations

import asyncio
import json
import math
from array import array
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import pytest

from oddswire.bench import stream
from oddswire.bench.config import QUICK
from oddswire.bench.results import BenchResult
from oddswire.bench.stream import harness
from oddswire.bench.stream.clients import ClientResults
from oddswire.bench.stream.procs import Child, ChildFailed
from oddswire.bench.stream.resume import check_resume
from oddswire.bench.stream.ws_client import RecordingClient, client_frame, upgrade_request
from oddswire.bench.workload import build_universe
from oddswire.stream.frames import frame

SEED = 3
TINY = replace(
    QUICK.scaled(0.05),
    stream_events=3,
    stream_procs=2,
    stream_rounds=1,
    fanout_clients=12,
    fanout_changes=120,
    latency_clients=9,
    latency_rate=2_000.0,
    latency_seconds=0.5,
    slate=5,
    resume_changes=2_000,
)


def ids(raw: bytes) -> list[int]:
    values = array("q")
    values.frombytes(raw)
    return list(values)


def client_files(directory: Path, side: str) -> list[tuple[list[str], ClientResults]]:
    """(paths, what the process recorded) for each client process of a side."""
    out = []
    for paths_file in sorted(directory.glob(f"stream-{side}-clients-*.json")):
        paths = json.loads(paths_file.read_text())
        data = paths_file.with_suffix(".msgpack").read_bytes()
        out.append((paths, msgspec.msgpack.decode(data, type=ClientResults)))
    return out


def all_checks_pass(result: BenchResult) -> None:
    assert result.error is None, result.error
    assert result.checks
    assert not result.failed_checks, result.failed_checks


# --------------------------------------------------------------------- fan-out


@pytest.fixture(scope="module")
def fanout(tmp_path_factory: pytest.TempPathFactory) -> tuple[BenchResult, Path]:
    directory = tmp_path_factory.mktemp("fanout")
    return stream.run_fanout(TINY, SEED, str(directory)), directory


def test_fanout_passes_its_checks_and_has_finite_figures(
    fanout: tuple[BenchResult, Path],
) -> None:
    result, _ = fanout
    all_checks_pass(result)
    (figure,) = result.figures
    assert math.isfinite(figure.value) and figure.value > 0
    assert math.isfinite(figure.baseline) and figure.baseline > 0
    applied = result.details["applied"]
    assert isinstance(applied, int) and 0 < applied <= TINY.fanout_changes
    assert result.details["deliveries"] == TINY.fanout_clients * applied


@pytest.mark.parametrize("side", ["hub", "bare"])
def test_fanout_every_client_got_every_change_once_in_order(
    fanout: tuple[BenchResult, Path], side: str
) -> None:
    _, directory = fanout
    files = client_files(directory, side)
    assert len(files) == TINY.stream_procs
    connections = [(r, i) for paths, r in files for i in range(len(paths))]
    assert len(connections) == TINY.fanout_clients
    first = ids(files[0][1].ids[0])
    assert first == list(range(first[0], first[0] + len(first)))  # consecutive sequences
    for r, i in connections:
        got = ids(r.ids[i])
        assert got == first  # the same changes, each once, in order
        assert len(set(got)) == len(got)
        times = ids(r.times[i])
        assert len(times) == len(got) and times == sorted(times)
        assert r.close_codes[i] is None
    sizes = {r.payload_bytes[i] for r, i in connections}
    assert len(sizes) == 1


def test_fanout_hub_and_bare_sent_the_same_changes(fanout: tuple[BenchResult, Path]) -> None:
    _, directory = fanout
    hub = ids(client_files(directory, "hub")[0][1].ids[0])
    bare = ids(client_files(directory, "bare")[0][1].ids[0])
    assert hub == bare


# --------------------------------------------------------------------- latency


@pytest.fixture(scope="module")
def latency(tmp_path_factory: pytest.TempPathFactory) -> tuple[BenchResult, Path]:
    directory = tmp_path_factory.mktemp("latency")
    return stream.run_latency(TINY, SEED, str(directory)), directory


def test_latency_figures_are_finite_and_positive(latency: tuple[BenchResult, Path]) -> None:
    result, _ = latency
    all_checks_pass(result)
    p50, p99 = result.figures
    for figure in (p50, p99):
        assert math.isfinite(figure.value) and figure.value > 0, figure
        assert math.isfinite(figure.baseline) and figure.baseline > 0, figure
    assert p50.value <= p99.value
    assert p50.baseline <= p99.baseline
    for stage in ("store", "deliver", "publish"):
        value = result.details[f"hub_{stage}_p99_ms"]
        assert isinstance(value, float) and math.isfinite(value)
    low = result.details["low_p99_ms"]
    assert isinstance(low, float) and math.isfinite(low) and low > 0
    per_change = result.details["clients_per_change"]
    assert per_change == TINY.latency_clients / TINY.stream_events


@pytest.mark.parametrize("side", ["hub", "bare"])
def test_latency_every_client_got_exactly_the_changes_of_its_event(
    latency: tuple[BenchResult, Path], side: str
) -> None:
    _, directory = latency
    produced: dict[str, bytes] = msgspec.msgpack.decode(
        (directory / f"stream-{side}-latency.msgpack").read_bytes()
    )
    events = [e.event_id for e in build_universe(TINY.stream_events, SEED).events]
    submitted = dict(zip(ids(produced["sequence"]), ids(produced["ns"]), strict=True))
    wanted: dict[str, list[int]] = {e: [] for e in events}
    for sequence, event in zip(ids(produced["sequence"]), ids(produced["event"]), strict=True):
        wanted[events[event]].append(sequence)
    assert all(wanted.values())  # every event had changes
    seen = 0
    for paths, r in client_files(directory, side):
        for i, path in enumerate(paths):
            event_id = path.rsplit("event_ids=", 1)[1]
            got = ids(r.ids[i])
            assert got == wanted[event_id]  # all of its event's changes, once, in order
            for sequence, received in zip(got, ids(r.times[i]), strict=True):
                assert received > submitted[sequence]  # latency is positive
            seen += 1
    assert seen == TINY.latency_clients


# ---------------------------------------------------------------------- resume


@pytest.fixture(scope="module")
def resume(tmp_path_factory: pytest.TempPathFactory) -> BenchResult:
    return stream.run_resume(TINY, SEED, str(tmp_path_factory.mktemp("resume")))


def test_resume_reached_in_sync_with_the_board(resume: BenchResult) -> None:
    all_checks_pass(resume)
    for label in ("one sport", "everything"):
        assert resume.checks[f"{label}: reached in_sync"]
        assert resume.checks[f"{label}: resumed state equals the board"]
    assert resume.details["log_covers_cursor"] is False
    assert resume.details["sport_replay"] == resume.details["all_replay"] == "conflated"
    sport, everything = resume.details["sport_messages"], resume.details["all_messages"]
    assert isinstance(sport, int) and isinstance(everything, int)
    assert 0 < sport < everything
    for figure in resume.figures:
        assert math.isfinite(figure.value) and figure.value > 0
        assert math.isfinite(figure.baseline) and figure.baseline > 0


def _delta(n: int, sequence: int, key: tuple[Any, ...], price: str) -> bytes:
    event_id, market, period, participant, line, book = key
    data = {
        "event_id": event_id,
        "market_id": market,
        "period_id": period,
        "normalized_market_participant_id": participant,
        "line": line,
        "affiliate_id": book,
        "price": price,
        "closed": False,
    }
    body = {"type": "delta", "id": "r", "sequence": sequence, "sub_sequence": n}
    return msgspec.json.encode({**body, "data": {"meta": {}, "data": data}})


def test_check_resume_catches_a_missing_or_stale_key() -> None:
    a, b, c = ("e1", 1, 0, 10, "", 3), ("e1", 1, 0, 11, "", 3), ("e2", 1, 0, 10, "", 3)
    board = [
        [a[0], 4, *a[1:], "-110", False, 11],
        [b[0], 4, *b[1:], "+120", False, 12],
        [c[0], 5, *c[1:], "+150", False, 5],  # not changed since the cursor
    ]
    in_sync = msgspec.json.encode(
        {"type": "in_sync", "id": "r", "sequence": 12, "replay": "conflated", "count": 2}
    )
    good = [b'{"type":"subscribed"}', _delta(1, 11, a, "-110"), _delta(2, 12, b, "+120")]
    checks, details = check_resume([*good, in_sync], board, 10, 12, None)
    assert all(checks.values()), checks
    assert details["messages"] == 2
    checks, _ = check_resume([*good, in_sync], board, 10, 12, 4)
    assert all(checks.values()), checks
    stale = [good[0], _delta(1, 11, a, "-115"), good[2], in_sync]
    checks, _ = check_resume(stale, board, 10, 12, None)
    assert not checks["resumed state equals the board"]
    missing = [good[0], good[1], in_sync]
    checks, _ = check_resume(missing, board, 10, 12, None)
    assert not checks["resumed state equals the board"]
    assert not checks["in_sync counts the deltas"]
    gap = [good[0], good[1], _delta(3, 12, b, "+120"), in_sync]
    checks, _ = check_resume(gap, board, 10, 12, None)
    assert not checks["sub_sequence counts 1, 2, 3..."]
    checks, _ = check_resume(good, board, 10, 12, None)
    assert not checks["reached in_sync"]


# ---------------------------------------------------------------- the client


class FakeTransport:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def market_price(sequence: int) -> bytes:
    meta = {"type": "market_price", "version": "v2", "timestamp": 1772380800}
    return msgspec.json.encode({"meta": meta, "data": {"id": sequence, "price": "-110"}})


async def test_the_client_reads_frames_split_anywhere_and_answers_pings() -> None:
    payloads = [market_price(n) for n in range(1, 40)]
    payloads[5] = market_price(6) + b" " * 300  # a 16-bit length
    payloads[7] = market_price(8) + b" " * 70_000  # a 64-bit length
    heartbeat = b'{"meta":{"type":"heartbeat"},"data":{"now":"x"}}'
    stream_bytes = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
    stream_bytes += frame(heartbeat) + frame(b"hi", 0x9)  # a ping
    stream_bytes += b"".join(frame(p) for p in payloads)
    for step in (1, 7, 1000, len(stream_bytes)):
        client = RecordingClient(upgrade_request("127.0.0.1", 1, "/x"))
        transport = FakeTransport()
        client.connection_made(transport)  # type: ignore[arg-type]
        assert transport.written[0].startswith(b"GET /x HTTP/1.1\r\n")
        for start in range(0, len(stream_bytes), step):
            client.data_received(stream_bytes[start : start + step])
        assert client.opened.done()
        assert list(client.ids) == list(range(1, 40))
        assert client.other == 1
        assert client.payload_bytes == sum(len(p) for p in payloads)
        assert client_frame(b"hi", 0xA) in transport.written  # the pong
    await asyncio.sleep(0)


# ------------------------------------------------------------------- children


def test_a_child_that_does_not_answer_is_reported_and_stopped(tmp_path: Path) -> None:
    child = Child("sleeper", "timeit", ["-n1", "import time; time.sleep(60)"], str(tmp_path), "x")
    try:
        with pytest.raises(ChildFailed, match="no READY"):
            child.expect("READY", 0.5)
    finally:
        child.close(grace=0.5)  # it ignores the stop line: terminated
    assert child.proc.poll() is not None


def test_a_failed_benchmark_leaves_no_child_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Child] = []

    class Recorded(Child):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(harness, "Child", Recorded)
    monkeypatch.setattr(harness, "CLIENTS", "oddswire.bench.no_such_module")
    with pytest.raises(ChildFailed, match="exited"):
        stream.run_fanout(TINY, SEED, str(tmp_path))
    assert len(started) >= 2  # the server and a client process
    assert all(child.proc.poll() is not None for child in started)
