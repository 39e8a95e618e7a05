"""**stream-resume**: a hub fed ``Sizes.resume_changes`` changes (an hour at
``RESUME_RATE``, scaled), then a client reconnecting to ``/api/v2/ws`` with the cursor
from before them, for one sport and for everything, timed to ``in_sync``; against a REST
snapshot of the same events."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import msgspec

from oddswire.bench.config import RESUME_BUDGET, Sizes
from oddswire.bench.http_load import request_bytes
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.stream.harness import HOST, run_async, start_server
from oddswire.bench.stream.ws_client import CollectingClient, connect
from oddswire.bench.workload import PROP_MARKETS, Universe, build_universe

#: Resume and its REST baseline are each timed this many times (the median is reported).
RESUME_ROUNDS = 3
#: The markets of the workload, asked of the REST baseline (its default is 1,2,3).
MARKET_IDS = ",".join(str(m) for m in (1, 2, 3, *(p[0] for p in PROP_MARKETS)))


# ------------------------------------------------------------------------ resume


@dataclass
class Timed:
    seconds: float
    payloads: list[bytes]


def _is_end(payload: bytes) -> bool:
    return payload.startswith((b'{"type":"in_sync"', b'{"type":"error"'))


async def _resume_once(port: int, key: str, params: dict[str, Any]) -> Timed:
    started = time.monotonic_ns()
    client = await connect(
        HOST, port, f"/api/v2/ws?key={key}", lambda r: CollectingClient(r, _is_end)
    )
    message = {"action": "subscribe", "id": "r", "channel": "markets", "params": params}
    client.send(json.dumps(message).encode())
    done = await asyncio.wait_for(client.done, 300)
    client.close()
    return Timed((done - started) / 1e9, client.payloads)


async def _rest_once(port: int, key: str, paths: list[str]) -> Timed:
    """The REST snapshot: every path on one keep-alive connection, bodies read whole."""
    headers = {"X-TheRundown-Key": key}
    started = time.monotonic_ns()
    reader, writer = await asyncio.open_connection(HOST, port)
    bodies: list[bytes] = []
    try:
        for path in paths:
            writer.write(request_bytes(HOST, path, headers))
            head = await reader.readuntil(b"\r\n\r\n")
            if head[9:12] != b"200":
                raise RuntimeError(f"REST {path} answered {head[:12]!r}")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            bodies.append(await reader.readexactly(length))
    finally:
        writer.close()
    return Timed((time.monotonic_ns() - started) / 1e9, bodies)


@dataclass
class Target:
    """One resume filter and the REST requests that snapshot the same events."""

    name: str
    sport_id: int | None
    events: int
    rest_paths: list[str]


def _targets(universe: Universe, sport_id: int) -> list[Target]:
    def paths(sport: int | None) -> list[str]:
        days = sorted(
            {
                (e.sport_id, e.event_date.date().isoformat())
                for e in universe.events
                if sport is None or e.sport_id == sport
            }
        )
        return [f"/api/v2/sports/{s}/events/{d}?market_ids={MARKET_IDS}" for s, d in days]

    count = Counter(e.sport_id for e in universe.events)
    return [
        Target("one sport", sport_id, count[sport_id], paths(sport_id)),
        Target("everything", None, len(universe.events), paths(None)),
    ]


def typical_sport(universe: Universe) -> int:
    """The NBA when on the slate (the busiest: player props), else the biggest sport."""
    count = Counter(e.sport_id for e in universe.events)
    return 4 if count[4] else count.most_common(1)[0][0]


Key = tuple[str, int, int, int, str, int]


def check_resume(
    payloads: list[bytes], board: list[list[Any]], cursor: int, sequence: int, sport: int | None
) -> tuple[dict[str, bool], dict[str, Any]]:
    """Whether a resume's messages bring a client from ``cursor`` to the board: the last
    message per key is the board's price for every key changed after the cursor (in the
    filter), and nothing else; sequences increase, ``sub_sequence`` counts 1, 2, 3...;
    ``in_sync`` comes last, at ``sequence``."""
    decode = msgspec.json.decode
    messages = [decode(p) for p in payloads]
    kinds = Counter(m.get("type") for m in messages)
    deltas = [m for m in messages if m.get("type") == "delta"]
    state: dict[Key, tuple[str, bool]] = {}
    for m in deltas:
        d = m["data"]["data"]
        key = (
            d["event_id"],
            d["market_id"],
            d["period_id"],
            d["normalized_market_participant_id"],
            d["line"],
            d["affiliate_id"],
        )
        state[key] = (d["price"], d["closed"])
    expected = {
        (row[0], row[2], row[3], row[4], row[5], row[6]): (row[7], row[8])
        for row in board
        if row[9] > cursor and (sport is None or row[1] == sport)
    }
    end = messages[-1] if messages else {}
    sequences = [m["sequence"] for m in deltas]
    checks = {
        "reached in_sync": end.get("type") == "in_sync",
        "in_sync at the hub's sequence": end.get("sequence") == sequence,
        "in_sync counts the deltas": end.get("count") == len(deltas),
        "sequences increase": all(a < b for a, b in itertools.pairwise(sequences)),
        "sub_sequence counts 1, 2, 3...": [m["sub_sequence"] for m in deltas]
        == list(range(1, len(deltas) + 1)),
        "resumed state equals the board": state == expected and bool(expected),
    }
    details = {
        "messages": len(deltas),
        "keys": len(state),
        "replay": end.get("replay", "?"),
        "other_messages": {k: v for k, v in kinds.items() if k != "delta"},
    }
    return checks, details


@dataclass
class ResumeRun:
    target: Target
    resume: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    payloads: list[bytes] = field(default_factory=list)
    rest_bodies: list[bytes] = field(default_factory=list)


async def _measure_resume(
    port: int, key: str, cursor: int, targets: list[Target], rounds: int
) -> list[ResumeRun]:
    runs: list[ResumeRun] = []
    for target in targets:
        run = ResumeRun(target)
        params: dict[str, Any] = {"resume_from": cursor}
        if target.sport_id is not None:
            params["sport_ids"] = [target.sport_id]
        await _rest_once(port, key, target.rest_paths[:1])  # warm the connection path
        for _ in range(rounds):
            rest = await _rest_once(port, key, target.rest_paths)
            resumed = await _resume_once(port, key, params)
            run.rest.append(rest.seconds)
            run.resume.append(resumed.seconds)
            run.payloads, run.rest_bodies = resumed.payloads, rest.payloads
        runs.append(run)
    return runs


def _rest_events(bodies: list[bytes]) -> int:
    return sum(len(msgspec.json.decode(b)["events"]) for b in bodies)


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    from oddswire.hub import HubSettings

    universe = build_universe(sizes.slate, seed)
    sport = typical_sport(universe)
    targets = _targets(universe, sport)
    # The change log holds the same share of the hour as the default log holds of an
    # hour at RESUME_RATE, so the hour-old cursor is beyond it, as on a real hub.
    log_changes = max(100, round(HubSettings().changelog_changes * sizes.resume_hours))
    board_file = os.path.join(directory, "stream-resume-board.msgpack")
    with ExitStack() as stack:
        server, port, key = start_server(stack, "hub", directory, sizes.slate, seed, log_changes)
        fed = server.command({"cmd": "feed", "changes": sizes.resume_changes}, 1800.0)
        server.command({"cmd": "board", "out": board_file}, 600.0)
        runs = run_async(_measure_resume(port, key, fed["cursor"], targets, RESUME_ROUNDS))
    with open(board_file, "rb") as f:
        board: list[list[Any]] = msgspec.msgpack.decode(f.read())
    figures: list[Figure] = []
    checks: dict[str, bool] = {}
    details: dict[str, Any] = {
        "slate": sizes.slate,
        "sport_id": sport,
        "cursor_age_hours": round(sizes.resume_hours, 3),
        "changes_since_cursor": sizes.resume_changes,
        "log_changes": log_changes,
        "log_covers_cursor": fed["log_covers_cursor"],
        "feed_seconds": round(fed["seconds"], 2),
        "board_prices": len(board),
        "rounds": RESUME_ROUNDS,
    }
    for run in runs:
        target = run.target
        found, facts = check_resume(
            run.payloads, board, fed["cursor"], fed["sequence"], target.sport_id
        )
        label = "one sport" if target.sport_id is not None else "everything"
        checks.update({f"{label}: {name}": ok for name, ok in found.items()})
        rest_events = _rest_events(run.rest_bodies)
        checks[f"{label}: the REST snapshot has every event"] = rest_events == target.events
        name = f"sport {target.sport_id}" if target.sport_id is not None else "everything"
        figures.append(
            Figure(
                name=f"resume to in_sync, {name}",
                value=statistics.median(run.resume),
                unit="s",
                baseline=statistics.median(run.rest),
                baseline_name=f"REST snapshot, {len(target.rest_paths)} requests",
                budget=RESUME_BUDGET,
            )
        )
        prefix = "sport" if target.sport_id is not None else "all"
        details.update(
            {
                f"{prefix}_events": target.events,
                f"{prefix}_messages": facts["messages"],
                f"{prefix}_replay": facts["replay"],
                f"{prefix}_resume_bytes": sum(len(p) for p in run.payloads),
                f"{prefix}_rest_bytes": sum(len(b) for b in run.rest_bodies),
                f"{prefix}_resume_max_s": round(max(run.resume), 3),
                f"{prefix}_rest_max_s": round(max(run.rest), 3),
            }
        )
    return BenchResult(name="stream-resume", figures=figures, checks=checks, details=details)
