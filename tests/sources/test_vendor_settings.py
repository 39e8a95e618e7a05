"""The vendors' timings and filters as settings: ``vendors.build_upstream`` hands each
one to its source, and the defaults are the sources' own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from oddswire.client.backoff import Backoff
from oddswire.config import Settings
from oddswire.refdata import Catalog, load_catalog
from oddswire.sources.base import Source
from oddswire.sources.boltodds.source import BoltOddsSource
from oddswire.sources.boltodds.transport import subscribe_message
from oddswire.sources.oddsapi.source import OddsApiSource
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.therundown import TheRundownSource, Tuning
from oddswire.sources.therundown.tuning import RECONNECT, tuning_from_settings
from oddswire.sources.vendors import build_resolver, build_upstream

KEYS = {
    "therundown_key": "tr-settings-key-1",
    "boltodds_key": "bo-settings-key-1",
    "oddsapi_key": "oa-settings-key-1",
}
GAMES = [
    "San Francisco Giants vs Philadelphia Phillies, 2025-07-07, 09",
    "Corinthians vs Bragantino, 2025-07-13, 06",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
async def built() -> AsyncIterator[list[Source]]:
    """The sources :func:`build` made, closed afterwards (none is started)."""
    made: list[Source] = []
    yield made
    for source in made:
        await source.close()


def build(catalog: Catalog, made: list[Source], **values: object) -> dict[str, Source]:
    settings = Settings(sources=["therundown", "boltodds", "oddsapi"], **KEYS, **values)  # type: ignore[arg-type]
    sources = build_upstream(settings, catalog, build_resolver(settings, catalog))
    made.extend(sources)
    return {s.name: s for s in sources}


async def test_the_default_settings_build_the_sources_defaults(
    catalog: Catalog, built: list[Source]
) -> None:
    sources = build(catalog, built)
    rundown = sources["therundown"]
    assert isinstance(rundown, TheRundownSource)
    assert rundown.tuning == Tuning()
    assert tuning_from_settings(Settings()) == Tuning()

    bolt = sources["boltodds"]
    assert isinstance(bolt, BoltOddsSource)
    plain = BoltOddsSource(Resolver(catalog), key="bo-settings-key-1")
    for name in (
        "backoff",
        "min_reconnect",
        "settle_quiet",
        "settle_max",
        "idle_timeout",
        "warm_up_timeout",
        "games",
    ):
        assert getattr(bolt, name) == getattr(plain, name), name
    assert bolt.backoff == Backoff(initial=5.0, maximum=120.0)
    assert "games" not in bolt.subscription["filters"]

    odds = sources["oddsapi"]
    assert isinstance(odds, OddsApiSource)
    plain_odds = OddsApiSource(Resolver(catalog), key="oa-settings-key-1", sports=["x"])
    for name in ("balance_every", "auth_retry", "max_retry_after", "request_timeout"):
        assert getattr(odds, name) == getattr(plain_odds, name), name
    assert odds.warm_up_timeout == plain_odds.warm_up_timeout == 20.0
    assert odds.balance_every == 600.0 and odds.auth_retry == 600.0


async def test_each_setting_reaches_its_source(catalog: Catalog, built: list[Source]) -> None:
    sources = build(
        catalog,
        built,
        therundown_ws_auth="query",
        therundown_warm_up_timeout=45.0,
        therundown_request_timeout=7.5,
        therundown_refresh_interval=120.0,
        therundown_stream_retry=60.0,
        therundown_stream_failures=5,
        therundown_heartbeat_timeout=40.0,
        therundown_quota_pause=1800.0,
        therundown_max_backoff=90.0,
        therundown_delta_limit=5000,
        boltodds_sports=["MLB"],
        boltodds_games=GAMES,
        boltodds_min_reconnect=10.0,
        boltodds_max_backoff=300.0,
        boltodds_settle_quiet=2.5,
        boltodds_settle_max=40.0,
        boltodds_idle_timeout=120.0,
        boltodds_warm_up_timeout=60.0,
        oddsapi_interval=30.0,
        oddsapi_pause_polls=4,
        oddsapi_auth_retry=900.0,
        oddsapi_max_retry_after=120.0,
        oddsapi_request_timeout=4.0,
        oddsapi_warm_up_timeout=50.0,
    )
    rundown = sources["therundown"]
    assert isinstance(rundown, TheRundownSource)
    assert rundown.tuning == Tuning(
        warm_up_timeout=45.0,
        refresh_interval=120.0,
        stream_retry=60.0,
        stream_failures=5,
        heartbeat_timeout=40.0,
        backoff=Backoff(initial=RECONNECT.initial, maximum=90.0, jitter=RECONNECT.jitter),
        request_timeout=7.5,
        quota_pause=1800.0,
        delta_limit=5000,
        ws_auth="query",
    )
    assert rundown.http.timeout == 7.5

    bolt = sources["boltodds"]
    assert isinstance(bolt, BoltOddsSource)
    assert bolt.backoff == Backoff(initial=10.0, maximum=300.0)
    assert (bolt.min_reconnect, bolt.settle_quiet, bolt.settle_max) == (10.0, 2.5, 40.0)
    assert (bolt.idle_timeout, bolt.warm_up_timeout) == (120.0, 60.0)
    assert bolt.subscription == {
        "action": "subscribe",
        "filters": {"sports": ["MLB"], "games": GAMES},
    }

    odds = sources["oddsapi"]
    assert isinstance(odds, OddsApiSource)
    assert odds.balance_every == 120.0  # 4 intervals of 30 s
    assert (odds.auth_retry, odds.max_retry_after) == (900.0, 120.0)
    assert (odds.request_timeout, odds.warm_up_timeout) == (4.0, 50.0)


def test_the_subscription_names_games_as_the_seed_does() -> None:
    message = subscribe_message(
        ["NBA", "MLB"], ["draftkings"], ["Moneyline"], [GAMES[0], GAMES[0], GAMES[1]]
    )
    assert list(message["filters"]) == ["sports", "sportsbooks", "games", "markets"]
    assert message["filters"]["games"] == GAMES  # once each, in order


def test_a_tuning_refuses_an_unknown_ws_auth() -> None:
    with pytest.raises(ValueError, match="ws_auth must be one of header, query, not 'cookie'"):
        Tuning(ws_auth="cookie")
