"""``/api/v2/ws/markets``: TheRundown's flat price stream (reference §4.2, seed 004).

One ``market_price`` message per price change, filtered by the query string
(``sport_ids``, ``event_ids``, ``market_ids``, ``affiliate_ids``, ``main_line``, and
``participant_ids`` / ``participant_type``); a heartbeat every 15 seconds. Nothing the
client sends changes the stream (TheRundown ignores client messages too), but a client
that floods is closed.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.websockets import WebSocket

from oddswire.access.tiers import Tier
from oddswire.api.context import ApiContext
from oddswire.api.ws.common import Start, flat_stream, stream_filter
from oddswire.api.ws.wires import RUNDOWN_MARKETS
from oddswire.stream.fanout import Fanout
from oddswire.stream.session import Session
from oddswire.stream.subscription import MARKETS, Subscription


async def markets_stream(websocket: WebSocket) -> None:
    await flat_stream(websocket, _plan)


def _plan(ctx: ApiContext, query: QueryParams, tier: Tier | None) -> Start:
    wanted = stream_filter(ctx.catalog, query, tier)

    def start(session: Session, fanout: Fanout) -> None:
        fanout.add(Subscription(session, MARKETS, RUNDOWN_MARKETS, wanted))

    return start
