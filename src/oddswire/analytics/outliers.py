"""Outliers: one book's prices furthest from the consensus of the other books.

For a price of the book, the *peers* are the other books' open prices on the same line
(same event, market, period, participant and line value). The consensus is the median
of the peers' implied probabilities; the deviation is the book's implied probability
minus the consensus, in percentage points. A negative deviation means the book asks
less than the market thinks the outcome is worth: better for the bettor.

Pure and I/O free: the REST ``odds/outliers`` endpoint uses :func:`line_outlier`; the
live outlier detector (``analytics.detect.outliers``) reports its figures with the same
:func:`consensus`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oddswire.analytics.odds import american_to_probability
from oddswire.board import LineState, PriceState
from oddswire.model.change import PriceStatus

#: The smallest magnitude of a real American price: anything under it (0, the 0.0001
#: off-board sentinel) is not a price and never enters a calculation.
MIN_AMERICAN = 100.0


def is_priced(price: PriceState) -> bool:
    """An open price that is a real American price (never the sentinel)."""
    return (
        price.status == PriceStatus.OPEN
        and math.isfinite(price.price)
        and abs(price.price) >= MIN_AMERICAN
    )


def consensus(probabilities: Sequence[float]) -> float:
    """The consensus of implied probabilities: their median (the mean of the two middle
    ones for an even count). Raises ValueError when there are none."""
    if not probabilities:
        raise ValueError("consensus of no probabilities")
    return statistics.median(probabilities)


@dataclass(frozen=True, slots=True)
class LineOutlier:
    """One book's price on one line against its peers' consensus."""

    line: LineState
    affiliate_id: int
    price: PriceState
    #: The book's implied probability.
    probability: float
    #: The median implied probability of the peers.
    consensus: float
    #: ``probability - consensus`` in percentage points (negative: better for the bettor).
    deviation_pp: float
    #: The peer books, in ascending id order.
    peer_affiliate_ids: tuple[int, ...]

    @property
    def better_for_bettor(self) -> bool:
        """The book pays more than the consensus says the outcome is worth."""
        return self.deviation_pp < 0


def line_outlier(
    line: LineState,
    affiliate_id: int,
    *,
    peers: frozenset[int] | None = None,
    min_peers: int = 2,
) -> LineOutlier | None:
    """The book's open price on ``line`` against the other books' open prices on it.

    ``peers`` restricts the peer books (None: every other book); the book itself is never
    its own peer. None when the book has no open price there or fewer than ``min_peers``
    peers quote the line open.
    """
    own: PriceState | None = None
    peer_quotes: list[tuple[int, float]] = []
    for book, price in line.items():
        if book == affiliate_id:
            own = price
        elif is_priced(price) and (peers is None or book in peers):
            peer_quotes.append((book, american_to_probability(price.price)))
    if own is None or not is_priced(own) or len(peer_quotes) < max(1, min_peers):
        return None
    probability = american_to_probability(own.price)
    middle = consensus([q for _, q in peer_quotes])
    return LineOutlier(
        line=line,
        affiliate_id=affiliate_id,
        price=own,
        probability=probability,
        consensus=middle,
        deviation_pp=(probability - middle) * 100.0,
        peer_affiliate_ids=tuple(sorted(book for book, _ in peer_quotes)),
    )


@dataclass(frozen=True, slots=True)
class OutlierScan:
    """The outliers found, furthest first, and how many of the book's prices were seen."""

    outliers: list[LineOutlier]
    #: Open prices of the book examined (at most the sample limit).
    examined: int
    #: True when the book had more open prices than the sample limit allowed.
    truncated: bool


def outliers(
    lines: Iterable[LineState],
    affiliate_id: int,
    *,
    peers: frozenset[int] | None = None,
    min_peers: int = 2,
    sample_limit: int = 1000,
) -> OutlierScan:
    """Every line where the book quotes an open price, at most ``sample_limit`` of them
    in the order given, compared with the peers; furthest from the consensus first
    (ties: the order given)."""
    found: list[LineOutlier] = []
    examined = 0
    truncated = False
    for line in lines:
        own = line.price(affiliate_id)
        if own is None or not is_priced(own):
            continue
        if examined >= sample_limit:
            truncated = True
            break
        examined += 1
        outlier = line_outlier(line, affiliate_id, peers=peers, min_peers=min_peers)
        if outlier is not None:
            found.append(outlier)
    found.sort(key=lambda o: -abs(o.deviation_pp))
    return OutlierScan(found, examined, truncated)
