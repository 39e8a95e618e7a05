"""``/api/v2/ws/hedge``: opportunities as they open, change and close (seed 004).

On connect the client is shown every open opportunity its filters pass, then each
change as the analytics publish it; a heartbeat every 15 seconds. Filters:
``sport_ids``, ``event_ids``, ``market_ids``, ``affiliate_ids`` (every leg at one of
them), ``type``, ``min_percent``, ``include_live``, ``sources``, ``include_links``.
"""

from __future__ import annotations

from starlette.websockets import WebSocket

from oddswire.api.context import ApiContext
from oddswire.api.errors import ApiError
from oddswire.api.ws.common import hedge_filter, receive_loop, refuse, session_on
from oddswire.api.ws.wires import RUNDOWN_HEDGE
from oddswire.stream.subscription import HEDGE, Subscription
from oddswire.wire.therundown import stream


async def hedge_stream(websocket: WebSocket) -> None:
    ctx: ApiContext = websocket.app.state.ctx
    try:
        wanted = hedge_filter(ctx.catalog, websocket.query_params)
    except ApiError as exc:
        await refuse(websocket, exc)
        return
    await websocket.accept()
    fanout = ctx.fanout
    async with session_on(
        websocket, fanout, heartbeat=stream.heartbeat, lag_notice=stream.lag_notice
    ) as session:
        sub = Subscription(session, HEDGE, RUNDOWN_HEDGE, wanted)
        fanout.add(sub)
        fanout.offer_open(sub, ctx.hub.opportunities.open)
        await receive_loop(websocket, session, None)
