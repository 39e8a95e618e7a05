"""A recorded BoltOdds session replays to the same board: the decoder needs nothing
but the records (frames, discovery bodies and the source's ``sync`` marks)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    HOME,
    board,
    bolt_server,
    clear,
    game_message,
    lakers_celtics,
    make_source,
    mets_angels,
    nba_message,
    outcome,
    running_hub,
    wait_for,
)

from oddswire.hub import Hub, HubSettings
from oddswire.model import PriceStatus
from oddswire.refdata import load_catalog
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.vendors import decoder_for
from oddswire.store.sqlite import SqliteTickStore


async def test_a_recording_replays_to_the_same_board(tmp_path: Path) -> None:
    path = str(tmp_path / "bolt.jsonl.gz")
    async with bolt_server() as server:
        server.initial = [
            [
                game_message("initial_state", mets_angels()),
                game_message("initial_state", mets_angels("-140"), book="fanduel"),
                nba_message("initial_state", lakers_celtics()),
            ],
            [game_message("initial_state", mets_angels("-155", "+135"))],
        ]
        source = make_source(server, recorder=Recorder(path, "boltodds", "boltodds"))
        async with running_hub(tmp_path / "live.db", source) as hub:
            await server.push(
                game_message("line_update", dict([outcome(HOME, "Moneyline", None)])),
                clear("book_clear", book="fanduel"),
                game_message("game_removed", {}, book="fanduel"),
            )
            await server.drop()
            await wait_for(lambda: source.reconnects == 1 and source.state == "live")
            live = {book: board(hub, book) for book in (19, 23)}
    assert live[19][(1, 0, HOME, "")] == (-155, PriceStatus.OPEN)
    assert live[19][(1, 0, "Boston Celtics", "")][1] == PriceStatus.OFF_BOARD
    assert {s for _, s in live[23].values()} == {PriceStatus.CLOSED}

    catalog = load_catalog()
    replay = ReplaySource(path, Resolver(catalog), decoder_for("boltodds", catalog), speed=0)
    replayed = Hub(
        catalog,
        SqliteTickStore(str(tmp_path / "replay.db")),
        [replay],
        HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await replayed.open()
    try:
        await replayed.warm_up()
        replayed.start()
        await asyncio.wait_for(replay.finished.wait(), 5)
        assert {book: board(replayed, book) for book in (19, 23)} == live
        assert replay.skipped == 0
    finally:
        await replayed.stop()
