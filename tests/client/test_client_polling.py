"""The delta-polling state machine (reference §2.3's client loop), without I/O; the
drivers run against a real hub in the docs' examples and the endpoint tests."""

from __future__ import annotations

import pytest

from oddswire.client.errors import StaleCursorError
from oddswire.client.polling import DeltaPoller
from oddswire.wire.therundown import v2_models as v2


def events(cursor: str) -> v2.EventsResponse:
    return v2.EventsResponse(meta=v2.Meta(delta_last_id=cursor), events=[])


def page(cursor: str, more: bool) -> v2.MarketsDeltaResponse:
    return v2.MarketsDeltaResponse(
        meta=v2.DeltaMeta(delta_last_id=cursor, count=0, has_more=more), deltas=[]
    )


def test_snapshot_then_deltas_then_one_rebootstrap() -> None:
    poller = DeltaPoller(4, "2026-11-22", market_ids=[1, 2], live_variants={1: 41, 2: 42, 3: 43})
    assert poller.needs_snapshot
    assert poller.snapshot_call().path == "/api/v2/sports/4/events/2026-11-22"
    first = poller.received(events("100"))
    assert first.snapshot and not first.rebootstrap and poller.cursor == 100
    call = poller.delta_call()
    assert dict(call.params)["last_id"] == "100"
    assert dict(call.params)["market_ids"] == "1,2,41,42"  # live variants too
    assert poller.received(page("150", True)).has_more
    assert poller.received(page("170", False)).cursor == 170

    poller.stale(StaleCursorError("last_id is stale"))
    assert poller.needs_snapshot
    again = poller.received(events("900"))
    assert again.rebootstrap and poller.cursor == 900
    poller.received(page("901", False))
    poller.stale(StaleCursorError("stale again, later"))  # one refusal after a good page: fine
    poller.received(events("950"))
    with pytest.raises(StaleCursorError):  # the fresh snapshot's own cursor: no loop
        poller.stale(StaleCursorError("refused again"))
