"""What every WebSocket endpoint shares: opening a session, filters from the query
string, and a receive loop that refuses floods."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.datastructures import QueryParams
from starlette.websockets import WebSocket, WebSocketDisconnect

from oddswire.access import entitlements
from oddswire.access.slots import Lease, untracked
from oddswire.access.tiers import Entitlement, Tier
from oddswire.access.usage import UsageMeter
from oddswire.api import params
from oddswire.api.context import ApiContext, identity_of, tier_of
from oddswire.api.errors import ApiError, BadRequest, json_response
from oddswire.api.ws.metering import StreamMeter
from oddswire.api.ws.transport import transport_of
from oddswire.refdata import Catalog
from oddswire.stream.fanout import Fanout
from oddswire.stream.filters import StreamFilter
from oddswire.stream.message import Message
from oddswire.stream.outbound import Outbound, SendOutbound, Transport, TransportOutbound
from oddswire.stream.session import Session
from oddswire.wire.therundown import stream

#: Client messages allowed per second (averaged over a few seconds) before a close.
MAX_CLIENT_MESSAGES_PER_SECOND = 50.0
CLOSE_POLICY = 1008
CLOSE_UNSUPPORTED_DATA = 1003
#: Seconds a closed-on client has to read the close frame before the socket is cut.
CLOSE_GRACE = 5.0


@contextlib.asynccontextmanager
async def session_on(
    websocket: WebSocket,
    fanout: Fanout,
    *,
    heartbeat: Callable[[int], bytes],
    lag_notice: Callable[[bool, int], bytes],
    meter: StreamMeter | None = None,
) -> AsyncIterator[Session]:
    """A session on an accepted WebSocket (the transport fast path when available),
    registered with the fan-out for as long as the block runs; ``meter`` charges what
    it is sent."""
    transport = transport_of(websocket.scope)
    outbound: Outbound
    if transport is not None:
        outbound = TransportOutbound(transport, fanout.flusher)
    else:
        outbound = SendOutbound(websocket.send_text)
    closing: set[asyncio.Task[None]] = set()

    def close(code: int, reason: str) -> None:
        outbound.flush()  # what was written goes before the close frame
        task = asyncio.get_running_loop().create_task(_close(websocket, code, reason))
        closing.add(task)
        task.add_done_callback(closing.discard)

    session = Session(
        outbound,
        close,
        lambda: fanout.published,
        limits=fanout.limits,
        lag_notice=lambda lagging, cursor: Message(lag_notice(lagging, cursor)),
        heartbeat=lambda cursor: Message(heartbeat(cursor)),
        meter=meter,
    )
    if meter is not None:
        meter.session = session
    fanout.add_session(session)
    fanout.start()
    try:
        yield session
    finally:
        session.closed = True
        fanout.remove_session(session)
        if isinstance(outbound, SendOutbound):
            outbound.stop()


async def _end(websocket: WebSocket, session: Session, code: int, reason: str) -> None:
    """Close a session for what its client sent, after what was already written."""
    session.closed = True
    session.outbound.flush()
    await _close(websocket, code, reason)


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    """Close with ``code``; a client that does not read the close frame is cut off."""
    with contextlib.suppress(RuntimeError, OSError):
        await websocket.close(code, reason[:120])
    transport = transport_of(websocket.scope)
    if transport is not None:
        asyncio.get_running_loop().call_later(CLOSE_GRACE, _cut, transport)


def _cut(transport: Transport) -> None:
    if not transport.is_closing():
        transport.abort()


async def receive_loop(
    websocket: WebSocket,
    session: Session,
    handle: Callable[[str], Awaitable[None]] | None,
    *,
    max_rate: float = MAX_CLIENT_MESSAGES_PER_SECOND,
) -> None:
    """Feed client text messages to ``handle`` (None: read and ignore them, as
    TheRundown's flat streams do) until the client goes; close floods."""
    allowance = max_rate * 3
    last = time.monotonic()
    while True:
        try:
            text = await websocket.receive_text()
        except (WebSocketDisconnect, RuntimeError):
            return
        except KeyError:  # a binary frame where text was expected
            await _end(websocket, session, CLOSE_UNSUPPORTED_DATA, "send text frames")
            return
        now = time.monotonic()
        allowance = min(max_rate * 3, allowance + (now - last) * max_rate) - 1
        last = now
        if allowance < 0:
            await _end(websocket, session, CLOSE_POLICY, "too many messages")
            return
        if handle is not None:
            await handle(text)


def stream_filter(catalog: Catalog, query: QueryParams, tier: Tier | None = None) -> StreamFilter:
    """TheRundown's stream filters from a query (raises :class:`BadRequest`).

    ``market_ids`` take in each market's live variant (1 -> 41), as event snapshots do,
    so a client asking for moneylines keeps getting them once the game is live.
    ``tier``: an explicit ask for a market it lacks is refused (403); the markets it
    lacks are left out otherwise.
    """
    return StreamFilter(
        sport_ids=params.int_list(query, "sport_ids"),
        event_ids=params.str_list(query, "event_ids"),
        market_ids=entitled_market_ids(catalog, query, tier),
        affiliate_ids=params.int_list(query, "affiliate_ids"),
        participant_ids=params.int_list(query, "participant_ids"),
        participant_type=params.participant_type(query),
        main_line=params.boolean(query, "main_line"),
    )


def _market_ids(catalog: Catalog, query: QueryParams) -> frozenset[int] | None:
    market_ids = params.int_list(query, "market_ids")
    return None if market_ids is None else catalog.with_live_variants(market_ids)


def entitled_market_ids(
    catalog: Catalog, query: QueryParams, tier: Tier | None
) -> frozenset[int] | None:
    """``market_ids`` (with live variants) as ``tier`` may have them: 403 on an explicit
    ask for an unentitled market, the unentitled ones dropped otherwise."""
    market_ids, refused = entitled_markets(catalog, tier, params.int_list(query, "market_ids"))
    if refused is not None:
        raise ApiError(403, refused)
    return market_ids


def entitled_markets(
    catalog: Catalog, tier: Tier | None, asked: frozenset[int] | None
) -> tuple[frozenset[int] | None, str | None]:
    """The markets a stream carries for ``asked`` (explicit market ids, None: all),
    widened with their live variants, less those ``tier`` lacks; and the refusal (403
    message) if ``asked`` itself names one it lacks. The live variants the hub adds are
    left out silently, never refused."""
    market_ids = None if asked is None else catalog.with_live_variants(asked)
    if tier is None:
        return market_ids, None
    refused = entitlements.markets_refusal(tier, catalog.markets, asked)
    denied = entitlements.denied_markets(tier, catalog.markets)
    if denied:
        market_ids = (frozenset(catalog.markets) if market_ids is None else market_ids) - denied
    return market_ids, refused


#: The one kind of source this hub's opportunities come from (TheRundown's ``sources``).
OPPORTUNITY_SOURCES = frozenset({"sportsbook"})


def hedge_filter(catalog: Catalog, query: QueryParams) -> StreamFilter:
    """The hedge streams' filters: TheRundown's (``event_ids``, ``affiliate_ids``,
    ``sources``, ``min_percent``, ``include_live``, ``include_links``) and seed 004's
    (``sport_ids``, ``market_ids``), plus REST's ``type``. ``include_links`` is
    accepted and changes nothing: no source here gives deep links."""
    sources = params.str_list(query, "sources")
    if sources is not None and not sources <= OPPORTUNITY_SOURCES:
        unknown = ", ".join(sorted(sources - OPPORTUNITY_SOURCES))
        raise BadRequest(f"sources: unknown {unknown}; this hub has sportsbook opportunities")
    params.boolean(query, "include_links")
    return StreamFilter(
        sport_ids=params.int_list(query, "sport_ids"),
        event_ids=params.str_list(query, "event_ids"),
        market_ids=_market_ids(catalog, query),
        affiliate_ids=params.int_list(query, "affiliate_ids"),
        min_percent=params.percent(query, "min_percent"),
        include_live=params.boolean(query, "include_live"),
        types=params.opportunity_types(query),
    )


#: Sets up a flat stream's subscriptions on its session, with the fan-out of the view
#: the key reads (the live one, or its delayed replica's).
Start = Callable[[Session, Fanout], None]
#: Plans a flat stream from its query, for a key's tier (None: no identity).
Plan = Callable[[ApiContext, QueryParams, Tier | None], Start]


async def flat_stream(
    websocket: WebSocket,
    plan: Plan,
    needs: Entitlement | None = None,
    realtime_only: str | None = None,
) -> None:
    """TheRundown's one-way streams (``/ws/markets``, ``/ws/hedge``, ``/v1/ws``): access
    is checked first (403; a stream named ``realtime_only`` refuses delayed keys too),
    then the query is parsed (a bad one refuses the upgrade with 400), then a
    connection slot taken (429 at the cap); then the session gets its subscriptions,
    heartbeats and lag notices; what the client sends is read and ignored, as
    TheRundown does, but a flood is closed. A delayed key's stream is its view's."""
    ctx: ApiContext = websocket.app.state.ctx
    if not await admit(websocket, needs):
        return
    try:
        if realtime_only is not None:
            ctx.require_realtime(websocket.scope, realtime_only)
        start = plan(ctx, websocket.query_params, tier_of(websocket.scope))
    except ApiError as exc:
        await refuse(websocket, exc)
        return
    async with slotted_session(
        websocket, ctx, heartbeat=stream.heartbeat, lag_notice=stream.lag_notice
    ) as session:
        if session is not None:
            start(session, ctx.view(websocket.scope).fanout)
            await receive_loop(websocket, session, None)


async def refuse(websocket: WebSocket, error: ApiError) -> None:
    """Answer the upgrade with an HTTP error in the API's envelope (no WebSocket)."""
    await deny(websocket, error.status, {"error": error.message}, error.headers)


#: Close codes for a refusal sent as a frame (servers without HTTP denial responses).
_DENIAL_CLOSE = {429: 1013, 500: 1011}


async def deny(
    websocket: WebSocket, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    """Refuse the upgrade with an HTTP response (the ASGI ``websocket.http.response``
    extension, which uvicorn has). A server without it gets the body as a text frame
    after the accept, then a close (1013 for 429, 1008 otherwise)."""
    if "websocket.http.response" in (websocket.scope.get("extensions") or {}):
        await websocket.send_denial_response(json_response(body, status, headers))
        return
    await websocket.accept()
    await websocket.send_text(json.dumps(body))
    reason = str(body.get("error", status))[:120]
    await websocket.close(_DENIAL_CLOSE.get(status, CLOSE_POLICY), reason)


async def admit(websocket: WebSocket, needs: Entitlement | None = None) -> bool:
    """403 (and False) unless the key's tier has WebSocket access and ``needs``."""
    tier = tier_of(websocket.scope)
    message = entitlements.websocket_refusal(tier)
    if message is None and needs is not None:
        message = entitlements.refusal(tier, needs)
    if message is None:
        return True
    await deny(websocket, 403, {"error": message})
    return False


@contextlib.asynccontextmanager
async def slotted_session(
    websocket: WebSocket,
    ctx: ApiContext,
    *,
    heartbeat: Callable[[int], bytes],
    lag_notice: Callable[[bool, int], bytes],
) -> AsyncIterator[Session | None]:
    """Take one of the account's connection slots, accept, and run a session on the
    socket; the slot is released when the block ends, however it ends. Yields None
    when the upgrade was refused (over the cap: answered already)."""
    lease = await take_slot(websocket, ctx)
    if lease is None:
        yield None
        return
    fanout = ctx.view(websocket.scope).fanout
    identity = identity_of(websocket.scope)
    usage: UsageMeter | None = getattr(websocket.app.state, "usage", None)
    meter = None if identity is None or usage is None else StreamMeter(usage, identity)
    try:
        await websocket.accept()
        async with session_on(
            websocket, fanout, heartbeat=heartbeat, lag_notice=lag_notice, meter=meter
        ) as session:
            yield session
    finally:
        lease.release()


async def take_slot(websocket: WebSocket, ctx: ApiContext) -> Lease | None:
    """The account's connection slot, or None after refusing the upgrade with 429
    ``{"error", "limit", "peer_liveness_seconds"}`` and ``Retry-After`` (§4.6)."""
    identity = identity_of(websocket.scope)
    if identity is None:
        return untracked()
    slots = ctx.slots
    cap = identity.tier.ws_connections
    lease = slots.acquire(identity.account, cap, transport_of(websocket.scope))
    if lease is not None:
        return lease
    window = slots.peer_liveness_seconds
    body = {
        "error": f"WebSocket connection limit reached ({cap} on the {identity.tier.name} plan)",
        "limit": cap,
        "peer_liveness_seconds": int(window) if window == int(window) else window,
    }
    retry = str(slots.retry_after(identity.account))
    await deny(websocket, 429, body, {"Retry-After": retry})
    return None
