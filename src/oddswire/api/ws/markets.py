"""``/api/v2/ws/markets``: TheRundown's flat price stream (reference §4.2, seed 004).

One ``market_price`` message per price change, filtered by the query string
(``sport_ids``, ``event_ids``, ``market_ids``, ``affiliate_ids``, ``main_line``, and
``participant_ids`` / ``participant_type``); a heartbeat every 15 seconds. Nothing the
client sends changes the stream (TheRundown ignores client messages too), but a client
that floods is closed.
"""

from __future__ import annotations

from starlette.websockets import WebSocket

from oddswire.api.context import ApiContext
from oddswire.api.errors import ApiError
from oddswire.api.ws.common import receive_loop, refuse, session_on, stream_filter
from oddswire.api.ws.wires import RUNDOWN_MARKETS
from oddswire.stream.subscription import MARKETS, Subscription
from oddswire.wire.therundown import stream


async def markets_stream(websocket: WebSocket) -> None:
    ctx: ApiContext = websocket.app.state.ctx
    try:
        wanted = stream_filter(ctx.catalog, websocket.query_params)
    except ApiError as exc:
        await refuse(websocket, exc)
        return
    await websocket.accept()
    fanout = ctx.fanout
    async with session_on(
        websocket, fanout, heartbeat=stream.heartbeat, lag_notice=stream.lag_notice
    ) as session:
        fanout.add(Subscription(session, MARKETS, RUNDOWN_MARKETS, wanted))
        await receive_loop(websocket, session, None)
