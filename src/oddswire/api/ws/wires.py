"""The wire formats the fan-out encodes, by name: each change is encoded at most once
per format, however many subscriptions share it."""

from __future__ import annotations

from oddswire.refdata import Catalog
from oddswire.stream.fanout import Encoder, OpportunityEncoder
from oddswire.wire.boltodds.messages import Encoding
from oddswire.wire.boltodds.naming import Names
from oddswire.wire.boltodds.stream import BoltOutcomes
from oddswire.wire.therundown.hedge import HedgeMessages
from oddswire.wire.therundown.stream import MarketPrices, Scores
from oddswire.wire.therundown.v1_stream import V1Lines

#: ``market_price`` with the nested fields too (``/api/v2/ws/markets``, seed 004).
RUNDOWN_MARKETS = "therundown.markets"
#: ``market_price``, flat (the multiplexed ``markets`` channel).
RUNDOWN_MARKETS_FLAT = "therundown.markets.flat"
#: ``score`` (the multiplexed ``scores`` channel).
RUNDOWN_SCORES = "therundown.scores"
#: Opportunities in seed 004's hedge shape (``/api/v2/ws/hedge``).
RUNDOWN_HEDGE = "therundown.hedge"
#: The same record without ``meta`` (the multiplexed ``hedge`` channel's ``data``).
RUNDOWN_HEDGE_FLAT = "therundown.hedge.flat"
#: V1 ``moneyline`` / ``spread`` / ``total`` (``/api/v1/ws``).
RUNDOWN_V1 = "therundown.v1"
#: BoltOdds' outcomes and game news (``/api``), put together per subscription.
BOLTODDS = "boltodds"


def encoders(catalog: Catalog) -> dict[str, Encoder]:
    return {
        RUNDOWN_MARKETS: MarketPrices(catalog),
        RUNDOWN_MARKETS_FLAT: MarketPrices(catalog, nested=False),
        RUNDOWN_SCORES: Scores(),
        RUNDOWN_V1: V1Lines(catalog),
        BOLTODDS: BoltOutcomes(Encoding(Names(catalog))),
    }


def opportunity_encoders(catalog: Catalog) -> dict[str, OpportunityEncoder]:
    return {
        RUNDOWN_HEDGE: HedgeMessages(catalog),
        RUNDOWN_HEDGE_FLAT: HedgeMessages(catalog, flat=True),
    }
