"""The hub: ordering, publish-after-commit, reservations, backpressure, sources."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from factories import event_change, make_event, price
from oddswire.board import AppliedBatch
from oddswire.hub import Hub, HubSettings
from oddswire.hub.hub import RESERVE_BLOCK
from oddswire.model import Change
from oddswire.refdata import load_catalog
from oddswire.sources import ChangeSink, Source
from oddswire.store.sqlite import SqliteTickStore

QUIET = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)


class ListSource(Source):
    """Delivers fixed batches; fails once if asked, to exercise the restart."""

    def __init__(
        self, warm: Sequence[Change], live: Sequence[Sequence[Change]], fail_once: bool = False
    ):
        super().__init__("list")
        self.warm = list(warm)
        self.live = [list(b) for b in live]
        self.fail_once = fail_once
        self.done = asyncio.Event()

    async def warm_up(self, sink: ChangeSink) -> None:
        self.health.touch(await sink.submit(self.warm))
        self.health.connected = True

    async def run(self, sink: ChangeSink) -> None:
        if self.fail_once:
            self.fail_once = False
            raise RuntimeError("feed dropped")
        self.health.connected = True
        for batch in self.live:
            self.health.touch(await sink.submit(batch))
        self.done.set()


def new_hub(tmp_path: Path, sources: Sequence[Source] = (), **settings: object) -> Hub:
    store = SqliteTickStore(str(tmp_path / "hub.db"))
    hub_settings = dataclasses.replace(QUIET, **settings)  # type: ignore[arg-type]
    return Hub(load_catalog(), store, sources, hub_settings)


async def test_open_reserves_sequences_ahead(tmp_path: Path) -> None:
    hub = new_hub(tmp_path)
    await hub.open()
    assert hub.store.reserved_sequence >= RESERVE_BLOCK
    await hub.stop()


async def test_committed_listeners_see_batches_in_order_after_commit(tmp_path: Path) -> None:
    hub = new_hub(tmp_path)
    await hub.open()
    applied: list[AppliedBatch] = []
    committed: list[tuple[int, int]] = []
    hub.on_applied(applied.append)

    def on_committed(batch: AppliedBatch) -> None:
        assert hub.store.committed_sequence >= batch.last_sequence  # durable first
        committed.append((batch.first_sequence, batch.last_sequence))

    hub.on_committed(on_committed)
    ev = make_event()
    assert await hub.submit([event_change(ev)]) == 1
    for i in range(50):
        await hub.submit(
            [price(ev, american=-100 - i), price(ev, affiliate_id=3, american=-100 - i)]
        )
    assert len(applied) == 51  # synchronous, before durability
    await hub.store.flush()
    assert committed[0] == (1, 1)
    assert [c[0] for c in committed] == [1, *range(2, 102, 2)]
    assert committed[-1][1] == hub.board.sequence == 101
    await hub.stop()


async def test_no_ops_and_rejects_are_not_sequenced(tmp_path: Path) -> None:
    hub = new_hub(tmp_path)
    await hub.open()
    ev = make_event()
    await hub.submit([event_change(ev), price(ev)])
    assert await hub.submit([price(ev)]) == 0
    assert await hub.submit([price(make_event(away=4001))]) == 0
    assert hub.rejected == 1
    assert hub.board.sequence == 2
    await hub.stop()


async def test_backpressure_waits_for_the_store_and_loses_nothing(tmp_path: Path) -> None:
    hub = new_hub(tmp_path, max_store_backlog=50)
    await hub.open()
    ev = make_event()
    await hub.submit([event_change(ev)])
    for i in range(400):
        await hub.submit(
            [price(ev, market_id=2, line=f"-{i}.5"), price(ev, market_id=3, line=f"{i}.5")]
        )
    await hub.store.flush()
    assert hub.store.committed_sequence == hub.board.sequence == 801
    assert await hub.store.count_ticks() == 800  # type: ignore[attr-defined]
    await hub.stop()


async def test_sources_warm_up_run_and_restart_after_a_failure(tmp_path: Path) -> None:
    ev = make_event()
    source = ListSource(
        [event_change(ev), price(ev)],
        [[price(ev, american=120)], [price(ev, american=125)]],
        fail_once=True,
    )
    hub = new_hub(tmp_path, [source])
    await hub.open()
    await hub.warm_up()
    assert hub.ready
    assert hub.board.sequence == 2
    hub.start()
    await asyncio.wait_for(source.done.wait(), 5)
    assert source.health.errors == 1
    assert "feed dropped" in (source.health.last_error or "")
    assert hub.board.sequence == 4
    health = hub.health()
    assert health["sequence"] == 4
    assert health["sources"][0]["errors"] == 1  # type: ignore[index]
    await hub.stop()


async def test_prune_evicts_old_events_from_board_and_store(tmp_path: Path) -> None:
    hub = new_hub(tmp_path, retention_days=7)
    await hub.open()
    old = make_event(away=4030, home=4029, start=datetime(2026, 11, 1, tzinfo=UTC))
    new = make_event()
    await hub.submit([event_change(old), event_change(new), price(old), price(new)])
    await hub.store.flush()
    assert await hub.prune(now=datetime(2026, 11, 21, tzinfo=UTC)) == 1
    assert hub.board.event(old.event_id) is None
    assert hub.board.price_count == 1
    await hub.stop()


async def test_restart_continues_where_it_stopped(tmp_path: Path) -> None:
    hub = new_hub(tmp_path, checkpoint_on_shutdown=True)
    await hub.open()
    ev = make_event()
    await hub.submit([event_change(ev), price(ev), price(ev, affiliate_id=3)])
    await hub.stop()
    again = new_hub(tmp_path)
    stats = await again.open()
    assert stats.sequence == 3
    assert stats.checkpoint_prices == 2
    assert stats.tail_prices == 0
    await again.submit([price(ev, american=500)])
    assert again.board.sequence == 4
    await again.stop()
