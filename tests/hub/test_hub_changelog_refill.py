"""The change log is refilled from the store when a hub opens, so a resume across a
restart (clean or a crash) is exact: the same changes, in the same order, with the same
prices, as a hub that never stopped would have replayed."""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from pathlib import Path
from typing import Any

import pytest

from api_ws.wskit import receive_until, send, serve_hub
from factories import event_change, make_event, price
from oddswire.board import EventState, LineState
from oddswire.hub import Hub, HubSettings
from oddswire.hub.changelog import ChangeLog
from oddswire.hub.deltas import DeltaFilter, changed_events, price_deltas, replay
from oddswire.model import Change, Event, EventChange, PriceChange, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore
from oddswire.wire.therundown.common import american_text

QUIET = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
_stamps = itertools.count()

Row = tuple[object, ...]


def new_hub(path: Path, **settings: Any) -> Hub:
    hub_settings = dataclasses.replace(QUIET, **settings)
    return Hub(load_catalog(), SqliteTickStore(str(path)), settings=hub_settings)


def now_price(event: Event, seconds_ago: float = 0.0, **kw: Any) -> PriceChange:
    """A price received just now (or ``seconds_ago``), each a little after the last."""
    return price(event, ts=time.time() - seconds_ago + next(_stamps) * 1e-4, **kw)


def games() -> list[Event]:
    return [make_event(), make_event(away=4003, home=4015), make_event(sport_id=6)]


def random_batches(seed: int, rounds: int, events: list[Event]) -> list[list[Change]]:
    """Price moves (some pulls and closes) and now and then a score, on ``events``."""
    rng = random.Random(seed)
    out: list[list[Change]] = []
    for n in range(rounds):
        batch: list[Change] = []
        for _ in range(rng.randint(1, 8)):
            game = rng.choice(events)
            roll = rng.random()
            status = (
                PriceStatus.OFF_BOARD
                if roll < 0.06
                else PriceStatus.CLOSED
                if roll < 0.08
                else PriceStatus.OPEN
            )
            american = rng.choice((-130, -120, -110, 100, 110, 125))
            if status != PriceStatus.OPEN and rng.random() < 0.5:
                american = 0  # a pull without a quote: the board keeps the last one
            batch.append(
                now_price(
                    game,
                    market_id=rng.choice((1, 2)),
                    line="" if rng.random() < 0.7 else rng.choice(("-1.5", "+1.5")),
                    participant_id=rng.choice((game.away_team_id, game.home_team_id)),
                    affiliate_id=rng.choice((3, 19, 23)),
                    american=american,
                    status=status,
                    main=rng.random() < 0.9,
                )
            )
        if n % 10 == 0:
            game = rng.choice(events)
            updated = make_event(
                sport_id=game.sport_id,
                away=game.away_team_id,
                home=game.home_team_id,
                status=rng.choice((EventStatus.SCHEDULED, EventStatus.IN_PROGRESS)),
                score_home=n,
            )
            batch.append(event_change(updated))
        out.append(batch)
    return out


def row(change: Change, state: LineState | EventState) -> Row:
    """Everything a replayed change says, with what it touched named by its ref."""
    if isinstance(change, PriceChange):
        assert isinstance(state, LineState)
        return (
            change.sequence,
            state.ref,
            change.event_id,
            change.market_id,
            change.period_id,
            change.participant_id,
            change.participant_type,
            change.line,
            change.affiliate_id,
            change.price,
            change.status,
            change.is_main_line,
            change.source_ts,
            change.received_ts,
            change.previous_price,
            change.previous_status,
        )
    assert isinstance(change, EventChange) and isinstance(state, EventState)
    return (change.sequence, -state.ref, change.event, change.received_ts, change.previous)


def exact_rows(hub: Hub, after: int) -> list[Row]:
    found = replay(hub.board, hub.changelog, after, hub.board.sequence)
    assert found.exact, after
    return [row(change, state) for change, state in found.changes]


async def feed(hub: Hub, batches: list[list[Change]]) -> None:
    for batch in batches:
        await hub.submit(batch)
    await hub.store.flush()


async def open_fed(path: Path, seed: int, rounds: int, **settings: Any) -> Hub:
    hub = new_hub(path, **settings)
    await hub.open()
    events = games()
    await feed(hub, [[event_change(e) for e in events]])
    await feed(hub, random_batches(seed, rounds, events))
    return hub


def crash(hub: Hub) -> None:
    """Drop a hub without stopping it: its writer dies (what it had committed stays) and
    the lock goes; the reservation a block ahead is not shrunk."""
    store = hub.store
    assert isinstance(store, SqliteTickStore)
    store._writer.kill()  # type: ignore[union-attr]
    store._lock.release()
    for conn in store._reader_conns:  # a dead process holds no connections either
        conn.close()


@pytest.mark.parametrize("clean", [True, False], ids=["stopped", "crashed"])
async def test_resume_across_a_restart_is_exact(tmp_path: Path, clean: bool) -> None:
    path = tmp_path / "hub.db"
    hub = await open_fed(path, seed=7, rounds=100, checkpoint_on_shutdown=clean)
    await hub.store.checkpoint(hub.board)  # the loader starts from it, and so may the refill
    events = [hub.board.event(e.event_id).event for e in games()]  # type: ignore[union-attr]
    await feed(hub, random_batches(9, 50, events))
    last = hub.board.sequence
    cursors = [0, 1, 2, 3, 10, 57, 200, last // 2, last - 5, last - 1, last]
    before = {after: exact_rows(hub, after) for after in cursors}
    assert before[0] and len(before[0]) == last
    if clean:
        await hub.stop()
    else:
        crash(hub)

    again = new_hub(path)
    await again.open()
    assert again.changelog.refilled == last == len(again.changelog)
    if clean:
        assert again.board.sequence == last
    else:
        assert again.board.sequence > last  # numbers reserved before the crash: a gap
    assert again.changelog.last_sequence == again.board.sequence
    for after in cursors:
        assert again.changelog.covers(after)
        assert exact_rows(again, after) == before[after], after
    # inside the gap left by the crash there is nothing to replay
    inside = (last + again.board.sequence) // 2
    assert again.changelog.covers(inside) and exact_rows(again, inside) == []

    # live changes continue after the restart; a cursor from before it gets both
    reopened_at = again.board.sequence
    events = [again.board.event(e.event_id).event for e in games()]  # type: ignore[union-attr]
    await feed(again, random_batches(8, 30, events))
    after_restart = exact_rows(again, last)
    assert after_restart and after_restart[0][0] == reopened_at + 1
    assert after_restart[-1][0] == again.board.sequence
    whole = exact_rows(again, 10)
    assert whole == before[10] + after_restart
    sequences = [r[0] for r in whole]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    health = again.health()
    assert health["changelog"] == {"changes": len(again.changelog), "refilled": last}
    await again.stop()


async def test_a_cursor_older_than_the_refilled_window_is_conflated(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    hub = await open_fed(path, seed=3, rounds=60)
    last = hub.board.sequence
    await hub.stop()

    again = new_hub(path, changelog_changes=20)
    await again.open()
    assert again.changelog.refilled == 20
    oldest = last - 20
    assert again.changelog.covers(oldest) and not again.changelog.covers(oldest - 1)
    assert replay(again.board, again.changelog, oldest, last).exact
    older = replay(again.board, again.changelog, oldest - 1, last)
    assert not older.exact
    sequences = [c.sequence for c, _ in older.changes]
    assert sequences == sorted(set(sequences)) and sequences[-1] == last
    await again.stop()


async def test_only_changes_received_within_the_age_limit_are_refilled(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    hub = new_hub(path)
    await hub.open()
    game = make_event()
    await feed(hub, [[event_change(game)]])
    await feed(hub, [[now_price(game, 3600, american=-100 - i)] for i in range(5)])  # 2..6
    await feed(hub, [[now_price(game, 60, american=-120 - i)] for i in range(3)])  # 7..9
    await hub.stop()

    again = new_hub(path, changelog_seconds=600)
    await again.open()
    assert again.changelog.refilled == 3
    assert again.changelog.covers(6) and not again.changelog.covers(5)
    rows = exact_rows(again, 6)
    assert [(r[0], r[9], r[14]) for r in rows] == [
        (7, -120, -104),
        (8, -121, -120),
        (9, -122, -121),
    ]
    await again.stop()


async def test_refilled_batches_age_out_as_if_the_hub_had_not_stopped(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    hub = new_hub(path)
    await hub.open()
    game = make_event()
    header = event_change(game)
    header.received_ts -= 200
    await feed(hub, [[header]])
    await feed(hub, [[now_price(game, 100, american=-100 - i)] for i in range(3)])  # 2..4
    await feed(hub, [[now_price(game, 10, american=-120 - i)] for i in range(3)])  # 5..7
    await hub.stop()

    again = new_hub(path, changelog_seconds=50)  # 2..4 are older: not refilled
    await again.open()
    assert again.changelog.covers(4) and not again.changelog.covers(3)
    await again.stop()

    third = new_hub(path, changelog_seconds=200)
    await third.open()
    assert third.changelog.covers(1)
    log: ChangeLog = third.changelog
    log.max_age = 50.0  # the next live batch trims by receive time, not by restart time
    await feed(third, [[now_price(game, american=150)]])
    assert log.covers(4) and not log.covers(3)
    await third.stop()


async def test_delta_feeds_are_exact_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    hub = await open_fed(path, seed=11, rounds=80)
    last = hub.board.sequence
    everything = DeltaFilter()
    before = price_deltas(hub.board, hub.changelog, 40, last, everything, 10_000)
    events_before = changed_events(hub.board, hub.changelog, last - 30, last)
    crash(hub)

    again = new_hub(path)
    await again.open()
    after = price_deltas(again.board, again.changelog, 40, last, everything, 10_000)

    def plain(rows: list[Any]) -> list[tuple[object, ...]]:
        fields = ("sequence", "affiliate_id", "price", "status", "is_main_line")
        fields += ("previous_price", "previous_status", "source_ts")
        return [(d.line.ref, *(getattr(d, f) for f in fields)) for d in rows]

    assert plain(after.rows) == plain(before.rows)
    assert after.has_more is False and after.cursor == last
    page = price_deltas(again.board, again.changelog, 40, last, everything, 5)
    assert plain(page.rows) == plain(before.rows[:5]) and page.has_more
    events_after = changed_events(again.board, again.changelog, last - 30, last)
    assert [s.ref for s in events_after] == [s.ref for s in events_before]
    await again.stop()


async def test_ws_resume_across_a_restart_is_exact(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    settings = HubSettings(checkpoint_interval=0, prune_interval=0)
    game = make_event()
    async with serve_hub(db, settings) as live:
        await live.submit([event_change(game)])
        for n in range(10):
            await live.submit([now_price(game, american=-110 - n)])
        cursor = live.hub.board.sequence - 4  # the client saw up to here
        missed = exact_rows(live.hub, cursor)
    async with serve_hub(db, settings) as live:
        assert live.hub.changelog.refilled == 11
        async with live.connect("/api/v2/ws") as ws:
            params = {"resume_from": cursor}
            await send(ws, action="subscribe", id="m", channel="markets", params=params)
            messages = await receive_until(
                ws, lambda m: m.get("type") in ("in_sync", "error"), timeout=10
            )
    in_sync = messages[-1]
    assert in_sync["type"] == "in_sync", in_sync
    assert in_sync["replay"] == "exact"
    deltas = [m for m in messages if m.get("type") == "delta"]
    assert [m["sequence"] for m in deltas] == [r[0] for r in missed]
    assert [m["data"]["data"]["price"] for m in deltas] == [
        american_text(-116 - n) for n in range(4)
    ]


async def test_a_failing_store_read_leaves_an_empty_log(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    hub = await open_fed(path, seed=1, rounds=10)
    await hub.stop()
    again = new_hub(path)

    async def broken(limit: int, since: float) -> list[Any]:
        raise RuntimeError("disk on fire")

    again.store.recent_changes = broken  # type: ignore[method-assign]
    await again.open()
    assert len(again.changelog) == 0 and again.changelog.covers(again.board.sequence)
    assert not again.changelog.covers(again.board.sequence - 1)
    await again.stop()


async def test_open_logs_the_refill(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "hub.db"
    hub = await open_fed(path, seed=2, rounds=5)
    count = hub.board.sequence
    await hub.stop()
    again = new_hub(path)
    with caplog.at_level("INFO", logger="oddswire.hub"):
        await again.open()
    assert any(f"refilled {count} changes" in r.getMessage() for r in caplog.records)
    await again.stop()
