"""American odds with a book's margin, rounded in the book's favour, hold kept in bounds.

For n outcomes with fair probabilities p_i and overround m, the book quotes
q_i = p_i + m (1 - p_i) / (n - 1): the booksum is 1 + m, no q_i exceeds 1, and long shots
carry relatively more margin. Rounding only ever lengthens the book's edge, so the
resulting hold is checked and nudged back inside [HOLD_MIN, HOLD_MAX] one price step
at a time.
"""

from __future__ import annotations

import math

HOLD_MIN = 0.0205
HOLD_MAX = 0.0795
MIN_PRICE = -2500.0
MAX_PRICE = 2000.0
#: Quoted sides keep their fair probability inside this band (else the line is not offered).
P_LO = 0.05
P_HI = 0.95
_RES = 4000  # probability resolution of the two-way cache


def implied(price: float) -> float:
    """Implied probability of an American price."""
    if price > 0:
        return 100.0 / (price + 100.0)
    return -price / (100.0 - price)


def _step(raw: float, gran: int) -> int:
    size = abs(raw)
    if size >= 1000:
        return max(gran, 25)
    if size >= 500:
        return max(gran, 10)
    if size >= 200:
        return max(gran, 5)
    return gran


def to_american(q: float, gran: int) -> float:
    """The American price for implied probability ``q``, rounded in the book's favour."""
    if q >= 0.5:
        raw = -100.0 * q / (1.0 - q) if q < 0.99 else -9900.0
        g = _step(raw, gran)
        price = max(MIN_PRICE, float(-math.ceil(-raw / g - 1e-9) * g))
        return 100.0 if price == -100 else price
    raw = 100.0 * (1.0 - q) / q if q > 0.01 else 9900.0
    g = _step(raw, gran)
    price = max(100, math.floor(raw / g + 1e-9) * g)
    return float(min(MAX_PRICE, price))


def better(price: float, gran: int) -> float:
    """One step better for the bettor."""
    g = _step(price, gran)
    if price < 0:
        nxt = price + g
        return 100.0 if nxt >= -100 else nxt
    return min(MAX_PRICE, price + g)


def worse(price: float, gran: int) -> float:
    """One step better for the book."""
    g = _step(price, gran)
    if price > 0:
        nxt = price - g
        return -100.0 - g if nxt < 100 else nxt
    return max(MIN_PRICE, price - g)


def hold(prices: list[float]) -> float:
    """Hold of a complete market: 1 - 1 / sum of implied probabilities."""
    return 1.0 - 1.0 / sum(implied(p) for p in prices)


def price_market(probs: list[float], margin: float, gran: int) -> list[float]:
    """Prices for fair probabilities ``probs`` (summing to 1) with overround ``margin``."""
    n = len(probs)
    qs = [p + margin * (1.0 - p) / (n - 1) for p in probs]
    prices = [to_american(q, gran) for q in qs]
    for _ in range(2 * n + 2):
        imps = [implied(p) for p in prices]
        h = 1.0 - 1.0 / sum(imps)
        if h > HOLD_MAX:
            i = max(range(n), key=lambda k: imps[k] - qs[k])
            prices[i] = better(prices[i], gran)
        elif h < HOLD_MIN:
            i = min(range(n), key=lambda k: imps[k] - qs[k])
            prices[i] = worse(prices[i], gran)
        else:
            break
    return prices


class TwoWay:
    """Cached two-way pricing for one (margin, granularity)."""

    __slots__ = ("_cache", "gran", "margin")

    def __init__(self, margin: float, gran: int) -> None:
        self.margin = margin
        self.gran = gran
        self._cache: dict[int, tuple[float, float]] = {}

    def __call__(self, p: float) -> tuple[float, float]:
        """(price of the side with probability p, price of the other side)."""
        k = int(p * _RES + 0.5)
        hit = self._cache.get(k)
        if hit is None:
            pk = k / _RES
            a, b = price_market([pk, 1.0 - pk], self.margin, self.gran)
            hit = self._cache[k] = (a, b)
        return hit
