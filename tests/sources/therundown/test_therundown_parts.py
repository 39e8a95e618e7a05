"""The source's small parts: feeds (cursor per sport, batches of 12 markets), stream URLs,
the key mask on log records, and conversions."""

from __future__ import annotations

import logging

import pytest

from oddswire.client.errors import StaleCursorError
from oddswire.model.change import PriceStatus
from oddswire.sources.therundown import payloads as wire
from oddswire.sources.therundown.convert import home_and_away, line_value, price_of, team_name
from oddswire.sources.therundown.feeds import Feeds
from oddswire.sources.therundown.stream import MaskKey, http_base, stream_url, ws_base

VARIANTS = {1: 41, 2: 42, 3: 43}


def test_feeds_ask_for_live_variants_in_batches_of_twelve() -> None:
    feeds = Feeds([4, 6], [1, 2, 3, 4, 5, 6, 94, 95, 29, 35, 38, 39], [19], live_variants=VARIANTS)
    assert feeds.market_ids[-3:] == [41, 42, 43]
    chunks = [(f.sport_id, f.market_ids) for f in feeds]
    assert [len(m) for _, m in chunks] == [12, 3, 12, 3]
    assert {s for s, _ in chunks} == {4, 6}
    assert all(f.needs_snapshot for f in feeds)


def test_a_feed_polls_from_the_lowest_day_cursor_and_rebootstraps_once() -> None:
    (feed,) = Feeds([4], [1], [], live_variants=VARIANTS)
    feed.snapshot_taken([120, 100, 130])
    assert feed.cursor == 100
    call = feed.delta_call()
    assert dict(call.params) == {
        "last_id": "100",
        "sport_id": "4",
        "market_ids": "1,41",
        "limit": "1000",
    }
    feed.page(150, 3, True)
    feed.advance(140)
    assert feed.cursor == 150
    feed.advance(170)
    assert feed.cursor == 170
    error = StaleCursorError("last_id is stale")
    feed.stale(error)
    assert feed.needs_snapshot
    feed.snapshot_taken([200])
    with pytest.raises(StaleCursorError):
        feed.stale(error)  # a second refusal in a row is raised, not looped on


def test_stream_urls_swap_the_scheme_and_carry_the_filters() -> None:
    assert ws_base("https://therundown.io/") == "wss://therundown.io"
    assert ws_base("http://127.0.0.1:8000") == "ws://127.0.0.1:8000"
    assert http_base("wss://therundown.io") == "https://therundown.io"
    url = stream_url(
        "https://therundown.io", {"sport_ids": [4], "market_ids": [1, 41], "affiliate_ids": []}
    )
    assert url == "wss://therundown.io/api/v2/ws/markets?sport_ids=4&market_ids=1,41"


def test_the_mask_hides_the_key_in_messages_and_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.DEBUG, "f", 1, "> %s: %s", ("X-TheRundown-Key", "s3cr3t"), None
    )
    MaskKey("s3cr3t").filter(record)
    assert record.getMessage() == "> X-TheRundown-Key: ***"
    record = logging.LogRecord("x", logging.DEBUG, "f", 1, "GET /ws?key=s3cr3t&a=1", None, None)
    MaskKey("s3cr3t").filter(record)
    assert "s3cr3t" not in record.getMessage()


def test_conversions() -> None:
    assert team_name(wire.Team(name="Boston", mascot="Celtics")) == "Boston Celtics"
    assert team_name(wire.Team(name="Inter Miami CF", mascot="Miami CF")) == "Inter Miami CF"
    assert team_name(wire.Team(name="", mascot="Celtics")) == "Celtics"
    a, b = wire.Team(team_id=1), wire.Team(team_id=2)
    assert home_and_away([a, b]) == (b, a)  # teams[0] away, teams[1] home
    flagged = [wire.Team(team_id=1, is_home=True), wire.Team(team_id=2, is_away=True)]
    assert home_and_away(flagged) == (flagged[0], flagged[1])
    assert home_and_away([a]) is None
    assert line_value("-4.50", "spread") == "-4.5"
    assert line_value(-4.0, "spread") == "-4"
    assert line_value("0", "moneyline") == ""
    assert line_value("Over 24.50", "player_prop") == "Over 24.5"
    assert line_value("Tie", "other") == "Tie"
    assert price_of("0.0001") == (0.0, PriceStatus.OFF_BOARD)
    assert price_of(-110) == (-110.0, PriceStatus.OPEN)
    assert price_of(None)[1] is PriceStatus.OFF_BOARD
    for bad in ("abc", True, 10**400, "1e400"):
        with pytest.raises(ValueError, match="price"):
            price_of(bad)
