"""TheRundown's V2/V1 JSON shapes. The 0.0001 off-board sentinel exists only here."""

from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL, american, rfc3339

__all__ = ["OFF_BOARD_SENTINEL", "american", "rfc3339"]
