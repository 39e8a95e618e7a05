"""Booksum, overround, hold and devig: fair (no-vig) probabilities from a book's prices.

Notation (reference §4.2): ``d`` decimal prices of one market's mutually exclusive,
exhaustive outcomes, ``q = 1/d`` implied probabilities, ``B = sum(q)`` the booksum,
``n`` outcomes, ``p`` fair probabilities.

The numerical methods (power, Shin, odds ratio) solve one equation in one unknown,
``sum(p) = 1``, with a safeguarded Newton iteration (Newton steps kept inside a bracket
that every evaluation narrows; bisection when a step leaves it), so they converge in a
handful of iterations. ``tolerance`` bounds ``|sum(p) - 1|`` at the solution; the
probabilities are then divided by their sum, so they sum to 1 to rounding even when
``converged`` is False.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from enum import StrEnum

import msgspec

from oddswire.analytics.odds.formats import OddsError, check_decimal, probability_to_american


class DevigMethod(StrEnum):
    MULTIPLICATIVE = "multiplicative"
    ADDITIVE = "additive"
    POWER = "power"
    SHIN = "shin"
    ODDS_RATIO = "odds_ratio"
    #: Per outcome, the lowest probability of the five methods above (no sum to 1).
    WORST_CASE = "worst_case"


class Devig(msgspec.Struct, frozen=True, kw_only=True):
    """Fair probabilities of one market (in the order of its prices) and how they came."""

    method: DevigMethod
    probabilities: tuple[float, ...]
    #: ``sum(1/d)`` of the devigged prices (the weighted mean for a multi-book line).
    booksum: float
    #: The fitted parameter: ``k`` (power), ``z`` (Shin), ``c`` (odds ratio); else None.
    parameter: float | None = None
    parameter_name: str | None = None
    #: Root-finder iterations (0 for closed forms; the total for worst case and fair lines).
    iterations: int = 0
    #: False when ``max_iterations`` ran out before ``|sum(p) - 1| <= tolerance``.
    converged: bool = True
    #: Additive only: the outcomes whose ``q - (B-1)/n`` was negative, clamped to 0
    #: before the rest were renormalised (empty when nothing was clamped).
    clamped: tuple[int, ...] = ()

    @property
    def fair_decimals(self) -> tuple[float, ...]:
        """``1/p`` per outcome (``inf`` for a probability of 0)."""
        return tuple(1.0 / p if p > 0.0 else math.inf for p in self.probabilities)

    @property
    def fair_american(self) -> tuple[float, ...]:
        """The fair prices, American (``+inf`` for p = 0, ``-inf`` for p = 1)."""
        return tuple(_american(p) for p in self.probabilities)


def _american(p: float) -> float:
    if p <= 0.0:
        return math.inf
    if p >= 1.0:
        return -math.inf
    return probability_to_american(p)


def _implied(decimals: Sequence[float]) -> tuple[list[float], float]:
    if len(decimals) < 2:
        raise OddsError(f"a market needs at least 2 outcomes, got {len(decimals)}")
    q = [1.0 / check_decimal(d) for d in decimals]
    return q, sum(q)


def booksum(decimals: Sequence[float]) -> float:
    """``B = sum(1/d)``: 1.0476 for -110/-110."""
    return _implied(decimals)[1]


def overround(decimals: Sequence[float]) -> float:
    """``B - 1`` (the vig as a share of the fair book): 0.0476 for -110/-110."""
    return booksum(decimals) - 1.0


def hold(decimals: Sequence[float]) -> float:
    """Theoretical hold ``1 - 1/B`` (the book's share of a balanced handle): 4.55%
    for -110/-110. Negative for an underround (an arbitrage)."""
    return 1.0 - 1.0 / booksum(decimals)


def _check_solver(tolerance: float, max_iterations: int) -> None:
    if not (tolerance > 0.0 and math.isfinite(tolerance)):
        raise OddsError(f"tolerance must be a positive number, not {tolerance!r}")
    if max_iterations < 1:
        raise OddsError(f"max_iterations must be >= 1, not {max_iterations!r}")


def _solve_decreasing(
    f: Callable[[float], tuple[float, float]],
    lo: float,
    hi: float,
    x: float,
    tolerance: float,
    max_iterations: int,
) -> tuple[float, int, bool]:
    """Root of a decreasing ``f`` (``f(lo) > 0``, ``f(hi) < 0``; either may be infinite) by
    safeguarded Newton from ``x``. ``f`` returns ``(value, derivative)``. Returns the
    root, the iterations and whether ``|f| <= tolerance`` (or the bracket collapsed)."""
    for iteration in range(1, max_iterations + 1):
        value, slope = f(x)
        if abs(value) <= tolerance:
            return x, iteration, True
        if value > 0.0:
            lo = x
        else:
            hi = x
        if hi - lo <= 4e-16 * max(1.0, abs(x)):
            return x, iteration, True
        step = x - value / slope if slope < 0.0 else math.nan
        if not lo < step < hi:  # also NaN
            if math.isinf(hi):
                step = lo + max(1.0, abs(lo))
            elif math.isinf(lo):
                step = hi - max(1.0, abs(hi))
            else:
                step = 0.5 * (lo + hi)
        x = step
    return x, max_iterations, False


def _normalised(p: Sequence[float]) -> tuple[float, ...]:
    total = sum(p)
    return tuple(v / total for v in p)


def multiplicative(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """Proportional devig: ``p = q/B``."""
    _check_solver(tolerance, max_iterations)
    q, b = _implied(decimals)
    return Devig(
        method=DevigMethod.MULTIPLICATIVE, probabilities=tuple(v / b for v in q), booksum=b
    )


def additive(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """Equal margin off every outcome: ``p = q - (B-1)/n``. A long shot can go negative
    (only with 3+ outcomes): such outcomes are clamped to 0, listed in ``clamped``, and
    the rest renormalised to sum to 1 (``converged`` stays True: nothing was iterated)."""
    _check_solver(tolerance, max_iterations)
    q, b = _implied(decimals)
    shift = (b - 1.0) / len(q)
    p = [v - shift for v in q]
    clamped = tuple(i for i, v in enumerate(p) if v < 0.0)
    if clamped:
        for i in clamped:
            p[i] = 0.0
    return Devig(
        method=DevigMethod.ADDITIVE,
        probabilities=_normalised(p),
        booksum=b,
        clamped=clamped,
    )


def power(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """``p = q**k`` with ``k`` solving ``sum(q**k) = 1`` (``k > 1`` when ``B > 1``,
    ``k < 1`` for an underround, ``k = 1`` at ``B = 1``). Shortens long shots more
    than favourites (the favourite-longshot bias)."""
    _check_solver(tolerance, max_iterations)
    q, b = _implied(decimals)
    logs = [math.log(v) for v in q]

    def f(k: float) -> tuple[float, float]:
        value = -1.0
        slope = 0.0
        for log in logs:
            term = math.exp(k * log)
            value += term
            slope += term * log
        return value, slope

    # f(0) = n - 1 > 0; f is convex and decreasing, so Newton from k = 1 with B > 1
    # climbs to the root monotonically.
    k, iterations, converged = _solve_decreasing(f, 0.0, math.inf, 1.0, tolerance, max_iterations)
    return Devig(
        method=DevigMethod.POWER,
        probabilities=_normalised([math.exp(k * log) for log in logs]),
        booksum=b,
        parameter=k,
        parameter_name="k",
        iterations=iterations,
        converged=converged,
    )


def _shin_probabilities(z: float, a: Sequence[float]) -> list[float]:
    two_rest = 2.0 * (1.0 - z)
    four_rest = 4.0 * (1.0 - z)
    zz = z * z
    return [(math.sqrt(zz + four_rest * v) - z) / two_rest for v in a]


def shin(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """Shin's model: ``p = (sqrt(z² + 4(1-z) q²/B) - z) / (2(1-z))`` with ``z``, the share
    of insider money, solving ``sum(p) = 1``. ``z`` is searched in ``[0, 1)``; real
    markets give ``z`` well under 0.4. With ``B <= 1`` (no margin, or an arbitrage) the
    model has no non-negative solution: ``z = 0`` and ``p = q/B`` (multiplicative)."""
    _check_solver(tolerance, max_iterations)
    q, b = _implied(decimals)
    if b <= 1.0:
        return Devig(
            method=DevigMethod.SHIN,
            probabilities=tuple(v / b for v in q),
            booksum=b,
            parameter=0.0,
            parameter_name="z",
        )
    a = [v * v / b for v in q]

    def f(z: float) -> tuple[float, float]:
        rest = 1.0 - z
        zz = z * z
        value = -1.0
        slope = 0.0
        for v in a:
            s = math.sqrt(zz + 4.0 * rest * v)
            value += (s - z) / (2.0 * rest)
            slope += ((z - 2.0 * v) / s - 1.0) * rest + (s - z)
        return value, slope / (2.0 * rest * rest)

    # f(0) = sqrt(B) - 1 > 0 and f(z -> 1) = sum(q²)/B - 1 < 0.
    z, iterations, converged = _solve_decreasing(f, 0.0, 1.0, 0.0, tolerance, max_iterations)
    return Devig(
        method=DevigMethod.SHIN,
        probabilities=_normalised(_shin_probabilities(z, a)),
        booksum=b,
        parameter=z,
        parameter_name="z",
        iterations=iterations,
        converged=converged,
    )


def _logistic(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def odds_ratio(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """Cheung's odds ratio: ``p = q / (c + q - c q)``, i.e. the book's odds
    ``q/(1-q)`` are the fair odds ``p/(1-p)`` times ``c``, with ``c`` solving
    ``sum(p) = 1`` (``c > 1`` when ``B > 1``). Solved for ``ln c``, a shift of every
    outcome's log-odds."""
    _check_solver(tolerance, max_iterations)
    q, b = _implied(decimals)
    logits = [math.log(v / (1.0 - v)) for v in q]

    def f(u: float) -> tuple[float, float]:
        value = -1.0
        slope = 0.0
        for logit in logits:
            p = _logistic(logit - u)
            value += p
            slope -= p * (1.0 - p)
        return value, slope

    # f(-inf) = n - 1 > 0, f(+inf) = -1, decreasing. Start from the shift that the
    # multiplicative devig gives the favourite (ln c = 0 at B = 1).
    top = max(q) / b
    start = max(logits) - math.log(top / (1.0 - top)) if top < 1.0 else 0.0
    u, iterations, converged = _solve_decreasing(
        f, -math.inf, math.inf, start, tolerance, max_iterations
    )
    return Devig(
        method=DevigMethod.ODDS_RATIO,
        probabilities=_normalised([_logistic(logit - u) for logit in logits]),
        booksum=b,
        parameter=math.exp(u),
        parameter_name="c",
        iterations=iterations,
        converged=converged,
    )


def worst_case(
    decimals: Sequence[float], *, tolerance: float = 1e-12, max_iterations: int = 200
) -> Devig:
    """Per outcome, the lowest fair probability of the five other methods: the most
    conservative probability to bet that outcome at. The probabilities do NOT sum to 1
    (each outcome is judged on its own); ``parameter`` is None, ``iterations`` the total
    and ``converged`` True only if every method converged."""
    results = [
        method(decimals, tolerance=tolerance, max_iterations=max_iterations)
        for method in (multiplicative, additive, power, shin, odds_ratio)
    ]
    return Devig(
        method=DevigMethod.WORST_CASE,
        probabilities=tuple(map(min, *(r.probabilities for r in results))),
        booksum=results[0].booksum,
        iterations=sum(r.iterations for r in results),
        converged=all(r.converged for r in results),
    )


_METHODS: dict[DevigMethod, Callable[..., Devig]] = {
    DevigMethod.MULTIPLICATIVE: multiplicative,
    DevigMethod.ADDITIVE: additive,
    DevigMethod.POWER: power,
    DevigMethod.SHIN: shin,
    DevigMethod.ODDS_RATIO: odds_ratio,
    DevigMethod.WORST_CASE: worst_case,
}


def _method(method: DevigMethod | str) -> DevigMethod:
    try:
        return DevigMethod(method)
    except ValueError:
        known = ", ".join(m.value for m in DevigMethod)
        raise OddsError(f"unknown devig method {method!r} (one of {known})") from None


def devig(
    decimals: Sequence[float],
    method: DevigMethod | str = DevigMethod.MULTIPLICATIVE,
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 200,
) -> Devig:
    """Fair probabilities of one market by ``method`` (a DevigMethod or its value)."""
    solve = _METHODS[_method(method)]
    return solve(decimals, tolerance=tolerance, max_iterations=max_iterations)


def one_sided(decimal: float, assumed_hold: float) -> float:
    """Fair probability of a side quoted alone, assuming the market's hold:
    ``p = q / (1 + h)`` (``+285`` at 15%: 0.2597 / 1.15 = 0.2258)."""
    h = float(assumed_hold)
    if not (h >= 0.0 and math.isfinite(h)):
        raise OddsError(f"assumed_hold must be a finite number >= 0, not {assumed_hold!r}")
    return 1.0 / check_decimal(decimal) / (1.0 + h)


def fair_line(
    books: Sequence[tuple[Sequence[float], float]],
    method: DevigMethod | str = DevigMethod.MULTIPLICATIVE,
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 200,
) -> Devig:
    """The multi-book fair line: devig each book's market (the same outcomes in the same
    order), take the weighted mean of the probabilities and renormalise it to 1.

    ``books`` are ``(decimals, weight)`` pairs; weights are >= 0 and not all 0. The
    result names the method, has ``parameter`` None, the weighted mean booksum, the
    total iterations. With WORST_CASE the weighted mean is NOT renormalised (that would
    undo the conservatism; the worst-case probabilities never sum to 1)."""
    kind = _method(method)
    if not books:
        raise OddsError("a fair line needs at least one book")
    solve = _METHODS[kind]
    n = len(books[0][0])
    sums = [0.0] * n
    total_weight = 0.0
    weighted_booksum = 0.0
    iterations = 0
    converged = True
    for decimals, weight in books:
        w = float(weight)
        if not (w >= 0.0 and math.isfinite(w)):
            raise OddsError(f"book weights must be finite and >= 0, not {weight!r}")
        if len(decimals) != n:
            raise OddsError(f"every book needs {n} prices (the same outcomes), not {decimals}")
        result = solve(decimals, tolerance=tolerance, max_iterations=max_iterations)
        iterations += result.iterations
        converged = converged and result.converged
        total_weight += w
        weighted_booksum += w * result.booksum
        for i, p in enumerate(result.probabilities):
            sums[i] += w * p
    if total_weight <= 0.0:
        raise OddsError("book weights must not all be 0")
    probabilities = (
        tuple(s / total_weight for s in sums)
        if kind is DevigMethod.WORST_CASE
        else _normalised(sums)
    )
    return Devig(
        method=kind,
        probabilities=probabilities,
        booksum=weighted_booksum / total_weight,
        iterations=iterations,
        converged=converged,
    )
