"""The simulated sportsbooks: margin, reaction lag, noise, bias, rounding and coverage."""

from __future__ import annotations

from dataclasses import dataclass, field

from oddswire.sim.pricing import TwoWay

#: Margins never exceed this, so rounding and enforcement keep every hold under 8%.
MAX_MARGIN = 0.062


@dataclass(slots=True)
class Book:
    """One book's behaviour. Bias and noise are in sd units of the sport's margin/total.

    Biases stay small against margins: two books' persistent biases alone should not
    open an arbitrage between them; lags and noise open (short-lived) ones.
    """

    affiliate_id: int
    margin: float
    lag_s: float
    gran: int
    noise: float
    bias_sd: float
    #: Share of player-prop markets the book offers.
    props: float
    halves: bool = True
    #: Chance per re-quote that the book briefly pulls the market.
    pull_rate: float = 0.002
    #: Chance the book pulls its pregame lines some minutes before the start.
    prepull: float = 0.2
    latency_s: float = 0.5
    _pricers: dict[float, TwoWay] = field(default_factory=dict)

    @property
    def lag_us(self) -> int:
        return int(self.lag_s * 1_000_000)

    def pricer(self, margin: float) -> TwoWay:
        """The (cached) two-way pricer for a margin."""
        key = round(min(MAX_MARGIN, margin), 4)
        pricer = self._pricers.get(key)
        if pricer is None:
            pricer = self._pricers[key] = TwoWay(key, self.gran)
        return pricer


def _b(
    aff: int,
    margin: float,
    lag: float,
    gran: int,
    noise: float,
    bias: float,
    props: float,
    halves: bool = True,
    latency: float = 0.5,
) -> Book:
    return Book(
        affiliate_id=aff,
        margin=margin,
        lag_s=lag,
        gran=gran,
        noise=noise,
        bias_sd=bias,
        props=props,
        halves=halves,
        latency_s=latency,
    )


def default_books() -> list[Book]:
    """Fifteen books, from sharp and fast to recreational and slow."""
    return [
        _b(3, 0.024, 3, 1, 0.012, 0.010, 0.5, latency=0.2),  # Pinnacle
        _b(32, 0.026, 5, 1, 0.012, 0.010, 0.3, latency=0.3),  # Circa Sports
        _b(33, 0.023, 8, 1, 0.015, 0.010, 0.0, latency=0.4),  # Bet105
        _b(11, 0.025, 10, 1, 0.015, 0.012, 0.4, latency=0.4),  # LowVig
        _b(7, 0.030, 15, 5, 0.015, 0.015, 0.4),  # BookMaker
        _b(9, 0.032, 20, 5, 0.018, 0.015, 0.4),  # BetCRIS
        _b(6, 0.038, 25, 5, 0.020, 0.025, 0.8),  # BetOnline
        _b(4, 0.039, 30, 5, 0.020, 0.025, 0.8),  # Sportsbetting
        _b(19, 0.045, 40, 5, 0.020, 0.025, 1.0, latency=0.8),  # DraftKings
        _b(23, 0.044, 35, 5, 0.020, 0.025, 1.0, latency=0.8),  # FanDuel
        _b(2, 0.046, 60, 5, 0.022, 0.025, 0.9, latency=1.0),  # Bovada
        _b(22, 0.050, 75, 5, 0.025, 0.025, 0.9, latency=1.2),  # BetMGM
        _b(24, 0.050, 80, 5, 0.025, 0.025, 0.8, latency=1.2),  # theScore Bet
        _b(21, 0.052, 90, 5, 0.025, 0.025, 0.6, halves=False, latency=1.5),  # Unibet
        _b(28, 0.053, 100, 5, 0.025, 0.025, 0.7, halves=False, latency=1.5),  # Hard Rock Bet
    ]
