"""Live variants: a market's in-play twin (moneyline 1 -> live moneyline 41).

Snapshots and streams bring each requested market's live variant along, while
``markets/delta`` filters literally; whatever asks the delta (polling, the flat
stream's gap fill) or a snapshot for the stream's markets asks for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oddswire.wire.therundown import v2_models as v2


def live_variants(catalogue: Iterable[v2.MarketDefinition]) -> dict[int, int]:
    """Each market's live variant, from the ``/api/v2/markets`` catalogue."""
    return {m.id: m.live_variant_id for m in catalogue if m.live_variant_id is not None}


def with_live_variants(market_ids: Iterable[int], variants: Mapping[int, int]) -> list[int]:
    """``market_ids`` followed by their live variants not already among them."""
    out = list(market_ids)
    out += [v for m in list(out) if (v := variants.get(m)) is not None and v not in out]
    return out


__all__ = ["live_variants", "with_live_variants"]
