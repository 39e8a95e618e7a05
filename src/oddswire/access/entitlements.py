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
it into its 403 envelope. A message names the cheapest plan that has what is missing
(:meth:`Tiers.cheapest`), so it follows the tiers in force: the API's auth middleware
puts its tiers' :class:`Refusals` in force for each request (:func:`refusals_in_force`);
outside a request the default tiers' apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from oddswire.access.tiers import Entitlement, Tier, Tiers
from oddswire.model.reference import MarketDefinition

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class _Feature:
    """What a refusal is about: its subject (plural or not), and which tiers hold it."""

    subject: str
    plural: bool
    holds: Callable[[Tier], bool]

    def refusal(self, tiers: Tiers) -> str:
        holder = tiers.cheapest(self.holds)
        if holder is None:
            return f"{self.subject} {'are' if self.plural else 'is'} not available on any plan"
        verb = "require" if self.plural else "requires"
        return f"{self.subject} {verb} {plan_name(holder)} plan or higher"


def _entitled(entitlement: Entitlement) -> Callable[[Tier], bool]:
    return lambda tier: tier.allows(entitlement)


_FEATURES = {
    Entitlement.FUTURES: _Feature("Futures markets", True, _entitled(Entitlement.FUTURES)),
    Entitlement.PLAYER_PROPS: _Feature("Player props", True, _entitled(Entitlement.PLAYER_PROPS)),
    Entitlement.LIVE_PERIODS: _Feature(
        "Live period markets", True, _entitled(Entitlement.LIVE_PERIODS)
    ),
    Entitlement.HEDGE: _Feature("Hedge", False, _entitled(Entitlement.HEDGE)),
}
_WEBSOCKET = _Feature("WebSocket access", False, lambda tier: tier.websocket)
#: Fixed wording: the admin endpoints are the operator's, not a plan's.
ADMIN_MESSAGE = "Admin endpoints require the admin tier"


def plan_name(tier: Tier) -> str:
    """The tier's name as messages give it: capitalised ("ultra" -> "Ultra")."""
    return tier.name[:1].upper() + tier.name[1:]


@dataclass(frozen=True, slots=True)
class Refusals:
    """The 403 bodies (``{"error": ...}``) for one set of tiers. Each names the cheapest
    plan that has what was missing, "<Feature> require(s) <Plan> plan or higher" (the
    futures one is the reference's wording, the others follow its form), or says that
    no plan has it."""

    messages: Mapping[Entitlement, str]
    websocket: str

    @classmethod
    def for_tiers(cls, tiers: Tiers) -> Refusals:
        messages = {needed: feature.refusal(tiers) for needed, feature in _FEATURES.items()}
        messages[Entitlement.ADMIN] = ADMIN_MESSAGE
        return cls(messages, _WEBSOCKET.refusal(tiers))

    def message(self, needed: Entitlement) -> str:
        return self.messages.get(needed, f"{needed.value} requires a higher plan")


#: The default tiers' refusals (the reference's wording), also as plain values.
DEFAULT_REFUSALS = Refusals.for_tiers(Tiers())
MESSAGES: dict[Entitlement, str] = dict(DEFAULT_REFUSALS.messages)
WEBSOCKET_MESSAGE = DEFAULT_REFUSALS.websocket

_in_force: ContextVar[Refusals] = ContextVar("oddswire_refusals", default=DEFAULT_REFUSALS)


@contextmanager
def refusals_in_force(refusals: Refusals) -> Iterator[None]:
    """Within the block (and the tasks it starts), refusals are worded by ``refusals``."""
    token = _in_force.set(refusals)
    try:
        yield
    finally:
        _in_force.reset(token)


def in_force() -> Refusals:
    """The refusals in force: the serving tiers' during a request, else the defaults'."""
    return _in_force.get()


def refusal(tier: Tier | None, needed: Entitlement) -> str | None:
    """The 403 message if ``tier`` lacks ``needed`` (None: no identity, unchecked)."""
    if tier is None or tier.allows(needed):
        return None
    return in_force().message(needed)


def websocket_refusal(tier: Tier | None) -> str | None:
    if tier is None or tier.websocket:
        return None
    return in_force().websocket


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
            return in_force().message(needed)
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
