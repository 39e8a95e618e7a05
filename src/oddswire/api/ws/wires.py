"""The wire formats the fan-out encodes, by name: each change is encoded at most once
per format, however many subscriptions share it."""

from __future__ import annotations

from oddswire.refdata import Catalog
from oddswire.stream.fanout import Encoder
from oddswire.wire.therundown.stream import MarketPrices, Scores
from oddswire.wire.therundown.v1_stream import V1Lines

#: ``market_price`` with the nested fields too (``/api/v2/ws/markets``, seed 004).
RUNDOWN_MARKETS = "therundown.markets"
#: ``market_price``, flat (the multiplexed ``markets`` channel).
RUNDOWN_MARKETS_FLAT = "therundown.markets.flat"
#: ``score`` (the multiplexed ``scores`` channel).
RUNDOWN_SCORES = "therundown.scores"
#: V1 ``moneyline`` / ``spread`` / ``total`` (``/api/v1/ws``).
RUNDOWN_V1 = "therundown.v1"


def encoders(catalog: Catalog) -> dict[str, Encoder]:
    return {
        RUNDOWN_MARKETS: MarketPrices(catalog),
        RUNDOWN_MARKETS_FLAT: MarketPrices(catalog, nested=False),
        RUNDOWN_SCORES: Scores(),
        RUNDOWN_V1: V1Lines(catalog),
    }
