"""``/api/v2/ws``: the multiplexed protocol (reference §4.3) with our extensions.

Several subscriptions share one connection, each with a client-chosen ``id``. Every
change arrives as a ``delta`` carrying the change's global ``sequence`` and the
subscription's ``sub_sequence`` (1, 2, 3... a gap means missed data, which this hub
never causes silently). Extensions: ``resume_from`` replays what a subscription missed
and ends with ``in_sync``; ``conflate_ms`` keeps only the latest change per key within
a window; ``batch`` sends a committed batch's changes as one ``deltas`` message.
See docs/streaming.md.
"""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocket

from oddswire.access import entitlements
from oddswire.access.tiers import Entitlement, Tier
from oddswire.api.context import ApiContext, realtime_refusal, tier_of
from oddswire.api.errors import ApiError, BadRequest
from oddswire.api.views import View
from oddswire.api.ws import requests
from oddswire.api.ws.common import admit, receive_loop, slotted_session
from oddswire.api.ws.requests import ClientMessage, SubscribeRequest
from oddswire.api.ws.snapshots import EVENTS_PER_MESSAGE, snapshot_events
from oddswire.api.ws.wires import RUNDOWN_HEDGE_FLAT, RUNDOWN_MARKETS_FLAT, RUNDOWN_SCORES
from oddswire.hub.deltas import replay
from oddswire.stream.message import Message
from oddswire.stream.session import Session
from oddswire.stream.subscription import HEDGE, MARKETS, SCORES, Subscription
from oddswire.wire.therundown import multiplex as wire

#: Subscriptions one connection may hold whatever the tier: the default of the
#: ``max_subscriptions`` setting (tiers lower it: reference §4.6).
MAX_SUBSCRIPTIONS = 1000
#: Catch-up changes written between checks that the client is reading.
CATCH_UP_CHUNK = 500

WIRES = {MARKETS: RUNDOWN_MARKETS_FLAT, SCORES: RUNDOWN_SCORES, HEDGE: RUNDOWN_HEDGE_FLAT}


async def multiplexed_stream(websocket: WebSocket) -> None:
    ctx: ApiContext = websocket.app.state.ctx
    if not await admit(websocket):
        return
    async with slotted_session(
        websocket, ctx, heartbeat=wire.heartbeat, lag_notice=wire.lag_notice
    ) as session:
        if session is None:
            return
        connection = Connection(ctx, session, tier_of(websocket.scope), ctx.view(websocket.scope))
        connection.max_subscriptions = websocket.app.state.limits.max_subscriptions
        await receive_loop(websocket, session, connection.handle)


class Connection:
    """One client's subscriptions and the handling of what it sends."""

    def __init__(
        self, ctx: ApiContext, session: Session, tier: Tier | None = None, view: View | None = None
    ) -> None:
        self.ctx = ctx
        self.session = session
        self.tier = tier
        #: What this connection streams: the live board, or the key's delayed replica.
        self.view = ctx.views.live if view is None else view
        self.subscriptions: dict[str, tuple[Subscription, SubscribeRequest]] = {}
        #: the global hard cap (setting ``max_subscriptions``), apart from the tier's
        self.max_subscriptions = MAX_SUBSCRIPTIONS

    async def handle(self, text: str) -> None:
        message: ClientMessage | None = None
        try:
            message = requests.decode(text)
            await self._dispatch(message)
        except ApiError as exc:
            sub_id = message.id if message is not None else None
            self.session.send(wire.error(exc.message, _code(exc), sub_id))

    async def _dispatch(self, message: ClientMessage) -> None:
        action = message.action
        if action == "subscribe":
            await self.subscribe(message)
        elif action == "unsubscribe":
            self.unsubscribe(_required_id(message))
        elif action == "snapshot":
            self.snapshot(message)
        elif action == "resync":
            self.resync(_required_id(message))
        elif action == "usage":
            self.session.send(wire.usage(self.usage()))
        else:  # ping
            self.session.send(Message(b'{"type":"pong"}'))

    # --------------------------------------------------------------- subscribe

    async def subscribe(self, message: ClientMessage) -> None:
        sub_id = _required_id(message)
        if sub_id in self.subscriptions:
            raise ApiError(409, f"subscription {sub_id!r} exists; unsubscribe it first")
        if len(self.subscriptions) >= self.subscription_cap:
            raise ApiError(429, self._cap_message())
        if message.channel == HEDGE:
            refused = entitlements.refusal(self.tier, Entitlement.HEDGE)
            if refused is not None:
                raise ApiError(403, refused)
            refused = realtime_refusal(self.tier, "the hedge channel")
            if refused is not None:
                raise ApiError(403, refused)
        request = requests.subscribe_request(self.ctx.catalog, message, self.tier)
        fanout = self.view.fanout
        if request.resume_from is not None:
            self._check_resumable(request)
        sub = Subscription(
            self.session,
            request.channel,
            WIRES[request.channel],
            request.wanted,
            sub_id=sub_id,
            wrap=wire.wrap_delta,
            conflate_ms=request.conflate_ms,
            group=request.batch,
        )
        self.subscriptions[sub_id] = (sub, request)
        hedge = request.channel == HEDGE
        # the hedge channel numbers the opportunity stream, apart from the board
        sequence = self.ctx.hub.opportunities.sequence if hedge else fanout.published
        options: dict[str, object] = {"epoch": self.ctx.epoch}
        if request.resume_from is not None:
            options["resume_from"] = request.resume_from
        self.session.send(wire.subscribed(sub_id, request.channel, sequence, options))
        if request.snapshot is not None:
            self._send_snapshot(sub_id, request)
        fanout.add(sub)
        if hedge:
            fanout.offer_open(sub, self.ctx.hub.opportunities.open)
        elif request.resume_from is not None:
            await self._catch_up(sub, request.resume_from)

    @property
    def subscription_cap(self) -> int:
        """The tier's subscriptions per connection (reference §4.6), within the hard cap."""
        cap = None if self.tier is None else self.tier.ws_subscriptions
        return self.max_subscriptions if cap is None else min(cap, self.max_subscriptions)

    def _cap_message(self) -> str:
        cap = self.subscription_cap
        plan = self.tier.name if self.tier is not None else ""
        if plan and cap < self.max_subscriptions:
            return f"subscription limit reached: at most {cap} per connection on the {plan} plan"
        return f"subscription limit reached: at most {cap} subscriptions per connection"

    def _check_resumable(self, request: SubscribeRequest) -> None:
        after = request.resume_from or 0
        published = self.view.fanout.published
        if request.epoch is not None and request.epoch != self.ctx.epoch:
            raise ApiError(410, "resume_from: the cursor is from another store; take a snapshot")
        if after > published:
            raise BadRequest(f"resume_from: {after} is ahead of this hub (at {published})")
        if self.ctx.hub.changelog.is_stale(after):
            raise ApiError(410, "resume_from: older than the resume window; take a snapshot")

    async def _catch_up(self, sub: Subscription, after: int) -> None:
        """Send what ``sub`` missed after ``after``, then ``in_sync``; live changes wait
        (held, in order) until then."""
        session = self.session
        fanout = self.view.fanout
        upto = fanout.published
        changelog = self.ctx.hub.changelog
        missed = replay(self.view.board, changelog, after, upto, sub.filter.event)
        session.hold()
        sub.catching_up_from = after + 1
        sent = 0
        chunk: list[Message] = []
        own = self.view.own
        for change, logged in missed.changes:
            state = own(logged)
            if state is None:
                continue
            found = fanout.message_for(sub, change, state)
            if found is None:
                continue
            chunk.append(found)
            if len(chunk) == CATCH_UP_CHUNK:
                sent += self._write_chunk(sub, chunk)
                chunk = []
                sub.catching_up_from = found.sequence + 1
                if not await session.drained():
                    return
                await asyncio.sleep(0)  # let other connections and the hub run
        sent += self._write_chunk(sub, chunk)
        sub.catching_up_from = None
        session.send(wire.in_sync(sub.sub_id or "", upto, missed.exact, sent))
        session.release()

    def _write_chunk(self, sub: Subscription, chunk: list[Message]) -> int:
        if chunk and sub.group:
            self.session.write(sub, Message.group(chunk))
        else:
            for item in chunk:
                self.session.write(sub, item)
        return len(chunk)

    def unsubscribe(self, sub_id: str) -> None:
        found = self.subscriptions.pop(sub_id, None)
        if found is None:
            raise ApiError(404, f"no subscription {sub_id!r}")
        self.view.fanout.remove(found[0])
        self.session.send(wire.unsubscribed(sub_id))

    # --------------------------------------------------------------- snapshots

    def snapshot(self, message: ClientMessage) -> None:
        """A one-off snapshot: of the params given, or of the subscription ``id``."""
        sub_id = _required_id(message)
        try:
            if message.params or sub_id not in self.subscriptions:
                if message.channel is None:
                    message.channel = MARKETS
                message.params = {**message.params, "snapshot": True}
                request = requests.subscribe_request(self.ctx.catalog, message, self.tier)
            else:
                request = self._snapshot_request(sub_id)
        except ApiError as exc:
            self.session.send(wire.snapshot_error(sub_id, exc.message))
            return
        self._send_snapshot(sub_id, request)

    def resync(self, sub_id: str) -> None:
        """A fresh snapshot of a subscription's events (its deltas carry on)."""
        if sub_id not in self.subscriptions:
            raise ApiError(404, f"no subscription {sub_id!r}")
        self.session.send(wire.resync_ack(sub_id, self.view.fanout.published))
        try:
            request = self._snapshot_request(sub_id)
        except ApiError as exc:
            self.session.send(wire.snapshot_error(sub_id, exc.message))
            return
        self._send_snapshot(sub_id, request)

    def _snapshot_request(self, sub_id: str) -> SubscribeRequest:
        sub, request = self.subscriptions[sub_id]
        if request.snapshot is not None:
            return request
        message = ClientMessage("snapshot", sub_id, sub.channel, {**request.raw, "snapshot": True})
        for name in requests.DELIVERY:
            message.params.pop(name, None)
        return requests.subscribe_request(self.ctx.catalog, message, self.tier)

    def _send_snapshot(self, sub_id: str, request: SubscribeRequest) -> None:
        if request.snapshot is None:
            return
        events = snapshot_events(self.view, request.channel, request.snapshot, request.wanted)
        for start in range(0, len(events), EVENTS_PER_MESSAGE):
            self.session.send(wire.snapshot(sub_id, events[start : start + EVENTS_PER_MESSAGE]))
        if not events:
            self.session.send(wire.snapshot(sub_id, []))
        published = self.view.fanout.published
        self.session.send(wire.snapshot_complete(sub_id, published, len(events)))

    # ------------------------------------------------------------------- usage

    def usage(self) -> dict[str, object]:
        session = self.session
        return {
            "subscriptions": {
                sub_id: {"channel": sub.channel, "sub_sequence": sub.sub_sequence}
                for sub_id, (sub, _) in self.subscriptions.items()
            },
            "max_subscriptions": self.subscription_cap,
            "delivered": session.delivered,
            "conflated": session.conflated,
            "lag_episodes": session.lag_episodes,
            "lagging": session.lagging,
            "sequence": session.resume_cursor(),
        }


def _required_id(message: ClientMessage) -> str:
    if message.id is None:
        raise BadRequest(f"id: required for {message.action}")
    return message.id


def _code(error: ApiError) -> str:
    return {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        409: "duplicate_id",
        410: "stale_cursor",
        429: "too_many_subscriptions",
    }.get(error.status, "error")
