"""What the detectors look for, and the guards that keep phantom opportunities out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """Thresholds and staleness guards. Percentages are percent (2.0 = 2%)."""

    # --- staleness guards, for every leg of every opportunity
    #: A pre-game leg whose price has not changed for longer than this is not a leg.
    max_leg_age: float = 1800.0
    #: The same, in-play (live markets move every few seconds; a quiet one is suspect).
    live_max_leg_age: float = 60.0
    #: A leg that moved less than this long ago is not a leg yet: a book may be midway
    #: through updating both sides of a line. Opportunities wait for it to settle.
    settle_seconds: float = 1.0

    # --- arbitrage (2-way, 3-way)
    #: Report arbitrages returning at least this much.
    min_arb_pct: float = 0.0
    #: Returns above this are treated as a stale or bad quote and not reported.
    max_arb_pct: float = 15.0
    #: The stake split is computed for this total stake.
    stake_total: float = 100.0

    # --- middles (spreads, totals, team totals, player props; main lines only)
    #: The lines must be at least this many points apart.
    middle_min_width: float = 1.0
    #: A middle that loses more than this (percent of stake) when it misses is not one.
    middle_max_cost_pct: float = 3.0

    # --- +EV against a multi-book fair line
    min_ev_pct: float = 2.0
    #: Edges above this are treated as a stale or bad quote.
    max_ev_pct: float = 25.0
    #: The fair line needs at least this many books quoting every side (the bet's own
    #: book is left out of the line it is measured against).
    ev_min_books: int = 3
    #: Devig method for each book's market: multiplicative, additive, power, shin,
    #: odds_ratio or worst_case.
    ev_method: str = "multiplicative"
    #: Weight of a sharp book's fair probabilities in the line (others weigh 1).
    sharp_weight: float = 3.0

    # --- steam: several books moving one side the same way within a window
    steam_window: float = 120.0
    steam_min_books: int = 3
    #: Each book's net move in implied probability, in percentage points.
    steam_min_move_pp: float = 1.5

    # --- outliers: one book far from the median of the others (main lines)
    outlier_min_peers: int = 3
    outlier_min_pp: float = 5.0

    #: Seconds between looks at a busy part of the board: changes within one interval
    #: are evaluated together (the timing wheel's resolution).
    evaluation_interval: float = 0.5
    #: The most of one core the timed sweeps may take, when the event loop is idle.
    max_cpu_share: float = 0.3
    #: The share sweeps get even when the loop is busy. 0 (the default) puts streams
    #: first: under a firehose the detectors fall behind (``lag_ms`` in /healthz)
    #: rather than slow ingest or delay a price to a client.
    min_cpu_share: float = 0.0

    #: Which detectors run.
    arbitrage: bool = True
    middles: bool = True
    positive_ev: bool = True
    steam: bool = True
    outliers: bool = True

    def max_age(self, live: bool) -> float:
        return self.live_max_leg_age if live else self.max_leg_age
