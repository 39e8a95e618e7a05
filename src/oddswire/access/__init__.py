"""Access: tiers (what a key may do) and the identity a request carries."""

from oddswire.access.tiers import ADMIN, DEFAULT_TIERS, Entitlement, Tier, TierError, Tiers

__all__ = ["ADMIN", "DEFAULT_TIERS", "Entitlement", "Tier", "TierError", "Tiers"]
