"""The BoltOdds key never reaches a log line, a recording, health or the quarantine,
whatever happens on the wire (every logger at DEBUG, websockets' and httpx's too)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    KEY,
    bolt_server,
    game_message,
    make_source,
    mets_angels,
    running_hub,
    wait_for,
)

from oddswire.sources.upstream.record import Recorder, read_records

LOGGERS = ("", "oddswire", "oddswire.sources.boltodds.ws", "websockets", "httpx", "httpcore")


async def test_the_key_is_never_logged_recorded_or_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    async with bolt_server() as server:
        server.refuse = [(429, {"Retry-After": "0.1"})]
        server.initial = [
            [game_message("initial_state", mets_angels())],
            [game_message("initial_state", mets_angels("-170"))],
        ]
        server.http["/api/get_games"] = (500, {"error": f"boom ?key={KEY}"}, {})
        path = str(tmp_path / "rec.jsonl.gz")
        recorder = Recorder(path, "boltodds", "boltodds")
        source = make_source(server, recorder=recorder, sports=["MLB"])
        bad_uri = make_source(
            url="ws://[not-a-host/api",
            http_url="http://[not-a-host/api",
            name="bad",
            warm_up_timeout=0.3,
        )
        async with running_hub(tmp_path / "b.db", source, bad_uri):
            await server.push('{"action": "error", "message": "bad key=' + KEY + '"}')
            await server.drop()
            await wait_for(lambda: source.reconnects == 1 and source.state == "live")
            for s in (source, bad_uri):
                s.refresh_health()
            shown = json.dumps([source.health.as_dict(), bad_uri.health.as_dict()], default=str)
            entries = source.resolver.quarantine.entries()
            quarantined = json.dumps([(e.text, e.reason, e.example) for e in entries])

    ours = [r for r in caplog.records if not r.name.startswith("boltkit")]  # not the server
    texts = [caplog.handler.format(record) for record in ours]
    assert any("websockets" in r.name or "boltodds.ws" in r.name for r in ours)
    assert any(r.name.startswith("httpx") for r in ours)
    leaks = [t for t in texts if KEY in t or KEY[:10] in t or KEY[-10:] in t]
    assert not leaks, leaks[:3]
    assert KEY not in shown
    assert KEY not in quarantined
    records = list(read_records(path))
    assert records and not any(KEY in r.body or KEY in json.dumps(r.meta) for r in records)
    # the server did get the key, on the socket and on the GETs
    assert server.clients[0].key == KEY
    assert all(query.get("key") == [KEY] for _, query in server.requests)
