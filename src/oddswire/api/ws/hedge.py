"""``/api/v2/ws/hedge``: opportunities as they open, change and close (seed 004).

On connect the client is shown every open opportunity its filters pass, then each
change as the analytics publish it; a heartbeat every 15 seconds. Filters:
``sport_ids``, ``event_ids``, ``market_ids``, ``affiliate_ids`` (every leg at one of
them), ``type``, ``min_percent``, ``include_live``, ``sources``, ``include_links``.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.websockets import WebSocket

from oddswire.access.tiers import Entitlement, Tier
from oddswire.api.context import ApiContext
from oddswire.api.ws.common import Start, flat_stream, hedge_filter
from oddswire.api.ws.wires import RUNDOWN_HEDGE
from oddswire.stream.fanout import Fanout
from oddswire.stream.session import Session
from oddswire.stream.subscription import HEDGE, Subscription


async def hedge_stream(websocket: WebSocket) -> None:
    await flat_stream(websocket, _plan, Entitlement.HEDGE, realtime_only="Hedge")


def _plan(ctx: ApiContext, query: QueryParams, tier: Tier | None) -> Start:
    wanted = hedge_filter(ctx.catalog, query)

    def start(session: Session, fanout: Fanout) -> None:
        sub = Subscription(session, HEDGE, RUNDOWN_HEDGE, wanted)
        fanout.add(sub)
        fanout.offer_open(sub, ctx.hub.opportunities.open)

    return start
