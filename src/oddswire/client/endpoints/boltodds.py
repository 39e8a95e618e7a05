"""BoltOdds discovery (``/api``): the names the ``/api`` stream's subscriptions take."""

from __future__ import annotations

from oddswire.client.core import Call, call
from oddswire.client.endpoints.common import API, Words
from oddswire.wire.boltodds import discovery


def boltodds_info() -> Call[discovery.InfoResponse]:
    """``GET /api/get_info``: the sports and sportsbooks a subscription may name."""
    return call(f"{API}/get_info", discovery.InfoResponse)


def boltodds_games() -> Call[dict[str, discovery.Game]]:
    """``GET /api/get_games``: the games not over, keyed by game string."""
    return call(f"{API}/get_games", dict[str, discovery.Game])


def boltodds_markets(
    *, sports: Words | None = None, sportsbooks: Words | None = None
) -> Call[dict[str, dict[str, list[str]]]]:
    """``GET /api/get_markets``: the market names quoted now, by sport then sportsbook
    (names as :func:`boltodds_info` lists them)."""
    return call(
        f"{API}/get_markets",
        dict[str, dict[str, list[str]]],
        sports=sports,
        sportsbooks=sportsbooks,
    )
