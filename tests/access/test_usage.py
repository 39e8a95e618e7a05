"""Data points: the count, the day and month periods, and saving across restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

from oddswire.access.usage import META_KEY, DatapointCounter, UsageMeter, datapoints
from oddswire.store.sqlite import SqliteTickStore


class Clock:
    def __init__(self, when: str) -> None:
        self.set(when)

    def set(self, when: str) -> None:
        self.now = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now


V2 = msgspec.json.encode(
    {
        "events": [
            {
                "markets": [
                    {"price": "-110", "previous_price": "-105", "price_delta": 5},
                    {"price": "+150", "name": 'says "price": here'},  # escaped in a string
                ]
            }
        ]
    }
)
V1 = msgspec.json.encode(
    {
        "lines": {
            "19": {
                "moneyline": {"moneyline_away": 150, "moneyline_home": -175, "moneyline_draw": 0},
                "spread": {"point_spread_away_money": -110, "point_spread_away_money_delta": 0},
                "total": {"total_over_money": -112, "total_under_money": -108},
            }
        }
    }
)


def test_a_data_point_is_a_price_in_the_body() -> None:
    assert datapoints(V2) == 2  # previous_price, price_delta and string contents are not
    assert datapoints(V1) == 6  # V1 moneylines and *_money members, not their deltas
    assert datapoints(b'{"sports":[{"sport_id":4}]}') == 0


@pytest.mark.parametrize("body", [V2, V1])
def test_a_chunked_body_counts_the_same_wherever_it_is_split(body: bytes) -> None:
    for size in (1, 3, 7, 8, 16, 17, 64):
        counter = DatapointCounter()
        for at in range(0, len(body), size):
            counter.feed(body[at : at + size])
        assert counter.total == datapoints(body), size


def test_daily_usage_resets_at_utc_midnight() -> None:
    clock = Clock("2026-03-31T23:59:58.5")
    meter = UsageMeter(clock)
    assert meter.charge("key:1", "day", 40).used == 40
    now = meter.charge("key:1", "day", 2)
    assert now.used == 42 and now.reset == pytest.approx(1.5)
    assert meter.status("key:2", "day").used == 0  # per account
    clock.set("2026-04-01T00:00:00")
    now = meter.status("key:1", "day")
    assert now.used == 0 and now.reset == 86_400


def test_monthly_usage_resets_on_the_first_of_the_month() -> None:
    clock = Clock("2026-12-15T12:00:00")
    meter = UsageMeter(clock)
    meter.charge("key:1", "month", 1000)
    clock.set("2026-12-31T23:00:00")
    now = meter.status("key:1", "month")
    assert now.used == 1000 and now.reset == 3600
    clock.set("2027-01-01T00:00:01")
    assert meter.status("key:1", "month").used == 0
    assert meter.charge("key:1", "month", 3).used == 3


async def test_usage_is_saved_in_the_store_and_survives_a_restart(tmp_path: Path) -> None:
    clock = Clock("2026-03-02T10:00:00")
    store = SqliteTickStore(str(tmp_path / "usage.db"))
    await store.open()
    meter = UsageMeter(clock)
    meter.charge("key:1", "day", 120)
    meter.charge("key:2", "month", 7)
    saver = asyncio.create_task(meter.keep_saved(store, interval=0.01))
    for _ in range(500):
        if await store.get_meta(META_KEY):
            break
        await asyncio.sleep(0.01)
    saver.cancel()
    await store.close()

    store = SqliteTickStore(str(tmp_path / "usage.db"))
    await store.open()
    clock.set("2026-03-03T10:00:00")  # the next day: the daily count has gone, not the monthly
    again = UsageMeter(clock)
    await again.load(store)
    assert again.status("key:1", "day").used == 0
    assert again.status("key:2", "month").used == 7
    clock.set("2026-03-02T11:00:00")
    again = UsageMeter(clock)
    await again.load(store)
    assert again.status("key:1", "day").used == 120
    await store.close()


def test_unreadable_saved_usage_is_ignored() -> None:
    meter = UsageMeter(Clock("2026-03-02T10:00:00"))
    meter.loads("{not json")
    meter.loads('{"key:1": "nonsense"}')
    assert meter.status("key:1", "day").used == 0
