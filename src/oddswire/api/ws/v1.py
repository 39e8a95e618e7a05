"""``/api/v1/ws``: TheRundown's legacy stream (reference §4.1, §4.5, seed 004).

A session with up to three subscriptions: V1 ``moneyline`` / ``spread`` / ``total``
messages for main full-game line changes, V2 ``market_price`` frames for every other
price change, and ``score`` messages for event changes. ``affiliate_ids`` picks books,
where ``0`` means scores (``3,0`` = book 3 plus scores; only ``0`` = scores alone);
``sport_ids`` and ``event_ids`` apply to all, ``date`` (with ``offset``) to the V1
messages and scores only. Heartbeat every 15 seconds; client messages are ignored.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.websockets import WebSocket

from oddswire.access.tiers import Tier
from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.ws.common import Start, entitled_market_ids, flat_stream
from oddswire.api.ws.wires import RUNDOWN_MARKETS, RUNDOWN_SCORES, RUNDOWN_V1
from oddswire.refdata import Catalog
from oddswire.stream.fanout import Fanout
from oddswire.stream.session import Session
from oddswire.stream.subscription import MARKETS, SCORES, Subscription
from oddswire.wire.therundown.v1_stream import V1Filter

#: (channel, wire, filter) of one subscription.
Plan = tuple[str, str, V1Filter]


def v1_plan(catalog: Catalog, query: QueryParams, tier: Tier | None = None) -> list[Plan]:
    """The subscriptions a query asks for (raises :class:`BadRequest` on bad values);
    the price messages leave out the markets ``tier`` lacks."""
    sport_ids = params.int_list(query, "sport_ids")
    event_ids = params.str_list(query, "event_ids")
    affiliate_ids = params.int_list(query, "affiliate_ids")
    raw_date = (query.get("date") or "").strip()
    day = params.path_date(raw_date) if raw_date else None
    offset = params.offset(query)
    books = None if affiliate_ids is None else affiliate_ids - {0}
    market_ids = entitled_market_ids(catalog, QueryParams(), tier)
    plan: list[Plan] = []
    if books is None or books:
        for wire, v1_form in ((RUNDOWN_V1, True), (RUNDOWN_MARKETS, False)):
            wanted = V1Filter(
                sport_ids=sport_ids,
                event_ids=event_ids,
                affiliate_ids=books,
                market_ids=market_ids,
                catalog=catalog,
                v1_form=v1_form,
                day=day if v1_form else None,
                offset=offset,
            )
            plan.append((MARKETS, wire, wanted))
    if affiliate_ids is None or 0 in affiliate_ids:
        wanted = V1Filter(
            sport_ids=sport_ids, event_ids=event_ids, catalog=catalog, day=day, offset=offset
        )
        plan.append((SCORES, RUNDOWN_SCORES, wanted))
    return plan


async def v1_stream(websocket: WebSocket) -> None:
    await flat_stream(websocket, _start)


def _start(ctx: ApiContext, query: QueryParams, tier: Tier | None) -> Start:
    plan = v1_plan(ctx.catalog, query, tier)

    def start(session: Session, fanout: Fanout) -> None:
        for channel, wire, wanted in plan:
            fanout.add(Subscription(session, channel, wire, wanted))

    return start
