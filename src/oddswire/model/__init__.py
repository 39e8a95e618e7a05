"""The canonical model: typed msgspec structs shared by every layer.

Nothing here does I/O; wire formats (TheRundown, BoltOdds, ...) are written elsewhere.
"""

from oddswire.model.change import Change, EventChange, ParticipantType, PriceChange, PriceStatus
from oddswire.model.event import Event, EventStatus, Score
from oddswire.model.reference import (
    Affiliate,
    Conference,
    Division,
    MarketDefinition,
    Period,
    Player,
    Region,
    Sport,
    Team,
)

__all__ = [
    "Affiliate",
    "Change",
    "Conference",
    "Division",
    "Event",
    "EventChange",
    "EventStatus",
    "MarketDefinition",
    "ParticipantType",
    "Period",
    "Player",
    "PriceChange",
    "PriceStatus",
    "Region",
    "Score",
    "Sport",
    "Team",
]
