"""The Odds API v4: REST polling of odds per sport within a credit budget.

:mod:`.decode` turns each ``GET /v4/sports/{sport}/odds`` body into games, quotes and
withdrawals (diffing snapshots: the vendor pulls a price by leaving it out), reading
outcomes with :mod:`.outcomes`; :mod:`.source` polls, spends credits only within the
budget (:mod:`.query`: what a request costs) and reacts to the vendor's errors
(:mod:`.errors`); :mod:`.tables` and :mod:`.markets` map the vendor's keys to
canonical sport, affiliate, market and period ids.
"""

from oddswire.sources.oddsapi.decode import OddsApiDecoder
from oddswire.sources.oddsapi.source import OddsApiSource, PollResult

__all__ = ["OddsApiDecoder", "OddsApiSource", "PollResult"]
