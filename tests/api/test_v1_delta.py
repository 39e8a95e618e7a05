"""V1 ``/delta`` (changed events as V1 events) and ``/deltaV2`` (the V2 feed), with the
UUID-style cursor of V1 events' ``meta.delta_last_id``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_v1_kit import DAY, V1Api, v1_hub  # type: ignore[import-not-found]

from factories import price
from oddswire.wire.therundown import cursor

ZERO = cursor.ZERO_CURSOR
INVALID = {"error": "last_id parameter is missing or invalid"}


@pytest.fixture
async def v1(tmp_path: Path) -> AsyncIterator[V1Api]:
    async with v1_hub(tmp_path) as api:
        yield api


async def test_delta_cursor_round_trip(v1: V1Api) -> None:
    snapshot = await v1.get(f"/api/v1/sports/4/events/{DAY}")
    start = snapshot["meta"]["delta_last_id"]
    quiet = await v1.get("/api/v1/delta", last_id=start)
    assert quiet == {"meta": {"delta_last_id": start}, "events": []}

    game = v1.game
    await v1.move(price(game, participant_id=game.away_team_id, affiliate_id=19, american=170))
    moved = await v1.get("/api/v1/delta", last_id=start)
    (event,) = moved["events"]
    assert event["event_id"] == game.event_id
    ml = event["lines"]["19"]["moneyline"]
    assert (ml["moneyline_away"], ml["moneyline_away_delta"]) == (170, 10)
    assert "line_periods" not in event
    following = moved["meta"]["delta_last_id"]
    assert len(following) == 36 and following != start
    assert (await v1.get("/api/v1/delta", last_id=following))["events"] == []

    with_periods = await v1.get("/api/v1/delta", last_id=start, include="all_periods")
    assert "period_first_half" in with_periods["events"][0]["line_periods"]["19"]
    only_books = await v1.get("/api/v1/delta", last_id=start, affiliate_ids="23")
    assert set(only_books["events"][0]["lines"]) == {"23"}


async def test_delta_from_the_beginning(v1: V1Api) -> None:
    everything = await v1.get("/api/v1/delta", last_id=ZERO)
    found = {e["event_id"] for e in everything["events"]}
    assert found == {e.event_id for e in (v1.game, v1.soccer, *v1.later)}
    soccer = await v1.get("/api/v1/delta", last_id=ZERO, sport_id="10")
    (event,) = soccer["events"]
    assert event["lines"]["19"]["moneyline"]["moneyline_draw"] == 230
    await v1.get("/api/v1/delta", 400, last_id=ZERO, sport_id="soccer")


INVALID_CURSORS = (
    None,
    "",
    "foobar",
    "11eb-b2b6-a58d8bf0-81f6-7e45035f4502",  # a 2021 cursor: not issued here
    "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
)


async def test_delta_invalid_cursor_is_404(v1: V1Api) -> None:
    for last_id in INVALID_CURSORS:
        params = {} if last_id is None else {"last_id": last_id}
        assert await v1.get("/api/v1/delta", 404, **params) == INVALID, last_id


async def test_delta_garbled_future_and_stale_cursors(v1: V1Api) -> None:
    hub = v1.hub
    epoch = hub.store_info.epoch if hub.store_info else "0" * 32
    good = cursor.encode(epoch, hub.store.committed_sequence)
    garbled = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert await v1.get("/api/v1/delta", 404, last_id=garbled) == INVALID
    future = cursor.encode(epoch, hub.store.committed_sequence + 1000)
    body = await v1.get("/api/v1/delta", 400, last_id=future)
    assert body == {"error": "last_id not found, re-bootstrap from events endpoint"}
    log = hub.changelog
    log._samples.clear()
    log._samples.append((0.0, 10**9))  # "a day ago" the committed sequence was huge
    stale = await v1.get("/api/v1/delta", 400, last_id=cursor.encode(epoch, 1))
    assert "stale" in stale["error"]


async def test_delta_v2_answers_as_the_v2_feed(v1: V1Api) -> None:
    start = (await v1.get(f"/api/v1/sports/4/events/{DAY}"))["meta"]["delta_last_id"]
    game = v1.game
    await v1.move(price(game, participant_id=game.home_team_id, affiliate_id=19, american=-200))
    ours = await v1.get("/api/v1/deltaV2", last_id=start)
    assert ours == await v1.get("/api/v2/delta", last_id=start)
    (row,) = ours["deltas"]
    assert isinstance(row["data"], str)
    bad = await v1.get("/api/v1/deltaV2", 400, last_id="xyz")
    assert "36-character" in bad["error"]
