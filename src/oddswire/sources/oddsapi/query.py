"""What an odds request asks The Odds API for, and what it costs in credits.

The vendor bills a ``/v4/sports/{sport}/odds`` call at markets x regions credits; with
``bookmakers`` (which overrides ``regions``) each group of 10 books counts as one
region. Empty responses are not charged, and ``x-requests-last`` reports what a call
actually cost, so the charge is corrected from it when present.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

#: Books that cost as one region when named with ``bookmakers``.
BOOKS_PER_REGION = 10


@dataclass(frozen=True, slots=True)
class OddsQuery:
    markets: tuple[str, ...]
    regions: tuple[str, ...] = ("us",)
    bookmakers: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, markets: Sequence[str], regions: Sequence[str], bookmakers: Sequence[str]
    ) -> OddsQuery:
        return cls(tuple(markets), tuple(regions), tuple(bookmakers))

    @property
    def cost(self) -> int:
        """Credits one poll of one sport costs (when the response is not empty)."""
        if self.bookmakers:
            regions = math.ceil(len(self.bookmakers) / BOOKS_PER_REGION)
        else:
            regions = len(self.regions)
        return len(self.markets) * max(regions, 1)

    @staticmethod
    def path(sport: str) -> str:
        return f"/v4/sports/{quote(sport, safe='')}/odds"

    def params(self, key: str) -> dict[str, str]:
        """The query string, key included: for the request only, never for logs."""
        return {"apiKey": key, **self.public_params()}

    def public_params(self) -> dict[str, str]:
        """The query string without the key (what recordings and logs may show)."""
        params = {"markets": ",".join(self.markets)}
        if self.bookmakers:
            params["bookmakers"] = ",".join(self.bookmakers)
        else:
            params["regions"] = ",".join(self.regions)
        params["oddsFormat"] = "american"
        params["dateFormat"] = "iso"
        return params


def charged(headers: Mapping[str, str], body: str, cost: int) -> int:
    """What a successful call cost: ``x-requests-last`` if the vendor says, else nothing
    for an empty list and ``cost`` otherwise."""
    last = headers.get("x-requests-last")
    if last is not None:
        try:
            return max(0, int(float(last)))
        except ValueError:
            pass
    return 0 if body.strip() in ("", "[]") else cost
