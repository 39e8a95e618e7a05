"""The odds maths, for SDK users: formats, hold, devig (six methods), EV and Kelly,
arbitrage stake splits, middles and CLV. The same functions the hub's detectors use
(:mod:`oddswire.analytics.odds`), re-exported; docs/odds-maths.md explains them."""

from oddswire.analytics import odds as _odds
from oddswire.analytics.odds import *  # noqa: F403

__all__ = list(_odds.__all__)
