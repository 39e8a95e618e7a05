"""Upstream ingest: a BoltOdds recording replayed flat out through the vendor's decoder,
entity resolution and the hub, against the same canonical changes submitted straight
to a hub (the cost of everything but decoding and resolving).

No DESIGN §10 budget covers it; the figure says how many messages a second one upstream
source can take, and the ratio what decoding and resolution cost on top of ingest.
"""

from __future__ import annotations

import asyncio
import json
import os
import random

from msgspec.structs import replace

from oddswire.bench.config import Sizes, timed
from oddswire.bench.hubs import fresh_path, submit_all
from oddswire.bench.results import BenchResult, Figure
from oddswire.hub import Hub, HubSettings
from oddswire.model.change import Change, EventChange, PriceChange
from oddswire.refdata import load_catalog
from oddswire.sources.resolve import Resolver
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.vendors import decoder_for
from oddswire.store.sqlite import SqliteTickStore

BOOKS = ("draftkings", "fanduel", "betmgm", "pinnacle", "bovada", "betonline")
GAMES = 15
SETTINGS = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)


def _message(action: str, home: str, away: str, book: str, outcomes: dict[str, object]) -> str:
    game = f"{home} vs {away}, 2026-11-22, 07"
    header = {"id": 1, "game": game, "when": "2026-11-22, 07:30 PM"}
    data = {"sport": "NBA", "sportsbook": book, "game": game, "home_team": home,
            "away_team": away, "info": header, "outcomes": outcomes}  # fmt: skip
    return json.dumps({"timestamp": "2026-11-22T18:00:00+00:00", "action": action, "data": data})


def _outcome(name: str, target: str, line: float | None, odds: int) -> dict[str, object]:
    return {"odds": f"{odds:+d}", "outcome_name": name, "outcome_line": line,
            "outcome_over_under": None, "outcome_target": target}  # fmt: skip


def write_recording(path: str, messages: int, seed: int) -> tuple[int, int]:
    """A recording of 15 NBA games at six books: initial states, then line updates.
    Returns how many messages and outcomes it holds."""
    teams = [t.full_name for t in load_catalog().teams_of(4)]
    games = [(teams[i], teams[i + 1]) for i in range(0, 2 * GAMES, 2)]
    recorder = Recorder(path, "boltodds", "boltodds")
    written = outcomes_written = 0
    for home, away in games:
        for book in BOOKS:
            outcomes: dict[str, object] = {
                f"{home} Moneyline": _outcome("Moneyline", home, None, -150),
                f"{away} Moneyline": _outcome("Moneyline", away, None, 130),
                f"{home} Spread": _outcome("Spread", home, -4.5, -110),
                f"{away} Spread": _outcome("Spread", away, 4.5, -110),
            }
            body = _message("initial_state", home, away, book, outcomes)
            recorder.write(Record(kind="ws", body=body, received_at=1.0))
            written += 1
            outcomes_written += len(outcomes)
    rnd = random.Random(seed)
    while written < messages:
        home, away = rnd.choice(games)
        target = rnd.choice((home, away))
        odds = rnd.choice((-1, 1)) * rnd.randint(101, 400)
        outcome: dict[str, object] = {
            f"{target} Moneyline": _outcome("Moneyline", target, None, odds)
        }
        body = _message("line_update", home, away, rnd.choice(BOOKS), outcome)
        recorder.write(Record(kind="ws", body=body, received_at=1.0))
        written += 1
        outcomes_written += 1
    recorder.close()
    return written, outcomes_written


async def _replay(recording: str, store: str) -> tuple[float, int, list[Change]]:
    catalog = load_catalog()
    source = ReplaySource(recording, Resolver(catalog), decoder_for("boltodds", catalog), speed=0)
    hub = Hub(catalog, SqliteTickStore(store), [source], SETTINGS)
    applied: list[Change] = []
    await hub.open()
    hub.on_applied(lambda batch: applied.extend(batch.changes))
    try:
        with timed() as t:
            hub.start()
            await source.finished.wait()
            await hub.store.flush()
        return t.seconds, source.replayed, applied
    finally:
        await hub.stop()


def _fresh(change: Change) -> Change:
    if isinstance(change, PriceChange):
        return replace(change, sequence=0, previous_price=None, previous_status=None)
    assert isinstance(change, EventChange)
    return replace(change, sequence=0, previous=None)


async def _direct(store: str, changes: list[Change], batch: int) -> tuple[float, int]:
    hub = Hub(load_catalog(), SqliteTickStore(store), settings=SETTINGS)
    await hub.open()
    work = [changes[i : i + batch] for i in range(0, len(changes), batch)]
    try:
        with timed() as t:
            applied = await submit_all(hub, work)
            await hub.store.flush()
        return t.seconds, applied
    finally:
        await hub.stop()


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    recording = os.path.join(directory, "upstream-boltodds.jsonl.gz")
    if os.path.exists(recording):
        os.remove(recording)
    written, outcomes = write_recording(recording, sizes.upstream_messages, seed)
    seconds, replayed, applied = asyncio.run(
        _replay(recording, fresh_path(directory, "upstream.sqlite"))
    )
    fresh = [_fresh(c) for c in applied]
    events = sum(isinstance(c, EventChange) for c in applied)
    base_seconds, base_applied = asyncio.run(
        _direct(fresh_path(directory, "upstream-direct.sqlite"), fresh, 1)
    )
    return BenchResult(
        name="upstream",
        figures=[
            Figure(
                name="upstream ingest (BoltOdds: decode, resolve, store)",
                value=replayed / seconds,
                unit="messages/s",
                baseline=replayed / base_seconds,
                baseline_name="the same changes submitted directly, one per message",
            )
        ],
        checks={
            "every recorded message was replayed": replayed == written,
            "the direct run applied the same changes": base_applied == len(applied),
            "one event per game": events == GAMES,
            "no more price changes than outcomes sent": 0 < len(applied) - events <= outcomes,
        },
        details={
            "messages": replayed,
            "changes_applied": len(applied),
            "seconds": seconds,
            "baseline_seconds": base_seconds,
        },
    )
