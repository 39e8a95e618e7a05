"""``therundown_ws_auth`` changes how the stream is opened: built from settings, the
source connects to a TheRundown that reads the key only from ``?key=``."""

from __future__ import annotations

from pathlib import Path

from rundownkit import KEY, NOW, RundownServer, running, serving, until

from oddswire.config import Settings
from oddswire.refdata import load_catalog
from oddswire.sources.therundown import TheRundownSource
from oddswire.sources.vendors import build_resolver, build_upstream

STREAM = "/api/v2/ws/markets"


def from_settings(url: str, **values: object) -> TheRundownSource:
    settings = Settings(
        sources=["therundown"],
        therundown_key=KEY,
        therundown_url=url,
        therundown_sports=[4],
        therundown_days=1,
        therundown_affiliates=[19, 23],
        therundown_mode="stream",
        **values,  # type: ignore[arg-type]
    )
    catalog = load_catalog()
    (source,) = build_upstream(settings, catalog, build_resolver(settings, catalog))
    assert isinstance(source, TheRundownSource)
    source.clock = lambda: NOW  # the scripted server's day
    return source


async def test_query_auth_puts_the_key_in_the_upgrade_url(tmp_path: Path) -> None:
    server = RundownServer()
    server.ws_auth = "query"
    async with serving(server):
        source = from_settings(server.url, therundown_ws_auth="query")
        assert source.tuning.ws_auth == "query"
        async with running(tmp_path, source):
            await until(lambda: server.ws_connects >= 1, what="a stream connection")
            await until(lambda: source.now_mode == "stream", what="streaming")
        (upgrade,) = server.to(STREAM)
        assert upgrade.query["key"] == KEY
        assert "x-therundown-key" not in upgrade.headers
        assert upgrade.query["sport_ids"] == "4"
        rest = [s for s in server.seen if s.path != STREAM]
        assert rest and all(s.headers["x-therundown-key"] == KEY for s in rest)  # REST: header
        assert all("key" not in s.query for s in rest)


async def test_the_default_header_auth_is_refused_by_a_query_only_server(
    tmp_path: Path,
) -> None:
    server = RundownServer()
    server.ws_auth = "query"
    async with serving(server):
        source = from_settings(server.url)
        async with running(tmp_path, source):
            await until(lambda: len(server.to(STREAM)) >= 1, what="an upgrade attempt")
            await until(lambda: source.health.last_error is not None, what="the refusal")
        assert server.ws_connects == 0
        upgrade = server.to(STREAM)[0]
        assert upgrade.headers["x-therundown-key"] == KEY and "key" not in upgrade.query
        assert "stream upgrade refused: HTTP 401" in (source.health.last_error or "")
