"""Settings of the market simulator."""

from __future__ import annotations

import msgspec


class SimSettings(msgspec.Struct, kw_only=True, frozen=True):
    """How much market to simulate, how fast, and from which seed."""

    seed: int = 7
    #: Target changes per real second (prices and events).
    rate: float = 250.0
    #: Simulated seconds per real second.
    clock_speed: float = 1.0
    #: Schedule window: today - days_back .. today + days_ahead (UTC dates).
    days_back: int = 1
    days_ahead: int = 3
    #: False: only sports in season on the real calendar; True: all eight.
    all_sports: bool = False
    #: Explicit subset of sports (overrides the season rule).
    sport_ids: list[int] | None = None
    #: Explicit subset of the simulated books.
    affiliate_ids: list[int] | None = None
    #: Real seconds per :meth:`Simulator.step`.
    quantum: float = 0.05
