"""What needs which entitlement, and what a key without it is told (reference §4.6, §5.3).

- WebSocket routes need the tier's ``websocket`` flag.
- Hedge (REST ``/hedge...``, ``/ws/hedge``, the multiplexed ``hedge`` channel) needs
  HEDGE.
- Markets: player props (``kind == "player_prop"``) need PLAYER_PROPS, live/in-play
  period markets (``live``) LIVE_PERIODS, futures markets (the catalog's ``futures``
  markets: 1141 and golf's 1392-1396) FUTURES. A request that names such a market in
  ``market_ids`` is refused with 403; where no ``market_ids`` are given, the markets
  the tier lacks are left out silently, as TheRundown does in default responses.
- History, openers and closing lines reach back ``history_days``: a request about an
  event that started before that is refused with 403.

The functions here return the refusal's message (None: allowed); the API layer turns
it into its 403 envelope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oddswire.access.tiers import Entitlement, Tier
from oddswire.model.reference import MarketDefinition

#: The 403 bodies (``{"error": ...}``): the futures one is the reference's, the others
#: follow its form. The plans named are the default tiers' cheapest holder.
MESSAGES: dict[Entitlement, str] = {
    Entitlement.FUTURES: "Futures markets require Ultra plan or higher",
    Entitlement.PLAYER_PROPS: "Player props require Pro plan or higher",
    Entitlement.LIVE_PERIODS: "Live period markets require Pro plan or higher",
    Entitlement.HEDGE: "Hedge requires Super plan or higher",
    Entitlement.ADMIN: "Admin endpoints require the admin tier",
}
WEBSOCKET_MESSAGE = "WebSocket access requires Ultra plan or higher"
DAY = 86_400.0


def refusal(tier: Tier | None, needed: Entitlement) -> str | None:
    """The 403 message if ``tier`` lacks ``needed`` (None: no identity, unchecked)."""
    if tier is None or tier.allows(needed):
        return None
    return MESSAGES.get(needed, f"{needed.value} requires a higher plan")


def websocket_refusal(tier: Tier | None) -> str | None:
    if tier is None or tier.websocket:
        return None
    return WEBSOCKET_MESSAGE


def market_needs(market: MarketDefinition) -> Entitlement | None:
    """The entitlement a market needs, if any (props first, then futures, then live)."""
    if market.kind == "player_prop":
        return Entitlement.PLAYER_PROPS
    if "futures" in market.name:
        return Entitlement.FUTURES
    if market.live:
        return Entitlement.LIVE_PERIODS
    return None


def markets_refusal(
    tier: Tier | None, markets: Mapping[int, MarketDefinition], asked: Iterable[int] | None
) -> str | None:
    """The 403 message if an explicitly asked market needs what ``tier`` lacks."""
    if tier is None or asked is None:
        return None
    for market_id in sorted(asked):
        market = markets.get(market_id)
        needed = None if market is None else market_needs(market)
        if needed is not None and not tier.allows(needed):
            return MESSAGES[needed]
    return None


def denied_markets(tier: Tier | None, markets: Mapping[int, MarketDefinition]) -> frozenset[int]:
    """The catalog's markets ``tier`` may not see (left out of default responses)."""
    if tier is None:
        return frozenset()
    return frozenset(
        market.id
        for market in markets.values()
        if (needed := market_needs(market)) is not None and not tier.allows(needed)
    )


def lookback_refusal(tier: Tier | None, started: float, now: float) -> str | None:
    """The 403 message if an event that started at ``started`` (epoch seconds) is
    older than ``tier``'s history window."""
    if tier is None or tier.history_days is None:
        return None
    if started >= now - tier.history_days * DAY:
        return None
    days = tier.history_days
    return (
        f"History is limited to the last {days} day{'s' if days != 1 else ''} "
        f"on the {tier.name} plan; this event started before that (a higher plan "
        "reaches further back)"
    )
