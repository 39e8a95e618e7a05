"""BoltOdds' sport and sportsbook names -> our sport and affiliate ids.

Two layers, both exact (no fuzzy matching, nothing guessed):

- the names our own hub writes when it serves this protocol
  (:class:`oddswire.wire.boltodds.naming.Names`: ``NBA``, ``UEFA.CHAMP``,
  ``draftkings``, ``thescore``...), so an oddswire hub can be a BoltOdds upstream;
- an alias table for the real vendor's keys where they differ (``get_info`` lists
  e.g. ``La Liga``, ``Champions League``, ``Wimbledon (M)``, ``espnbet``).

A name in neither is unknown: the caller quarantines it. Books BoltOdds carries that
our catalogue has no affiliate for (``ballybet``, ``bet365``, ``caesars``...) are
deliberately absent: their prices are quarantined, never filed under another book.
"""

from __future__ import annotations

from oddswire.refdata import Catalog
from oddswire.wire.boltodds.naming import Names

#: Real BoltOdds sport keys (as ``get_info`` spells them) -> our sport ids. Tennis
#: tournaments are keyed per draw: ``(M)`` is the men's (ATP), ``(W)`` the women's
#: (WTA); only the tournaments listed here are mapped.
SPORT_ALIASES: dict[str, int] = {
    "NCAAFB": 1,
    "CFB": 1,
    "College Football": 1,
    "NCAAM": 5,
    "NCAAMB": 5,
    "CBB": 5,
    "College Basketball": 5,
    "MMA": 7,
    "UFC/MMA": 7,
    "Premier League": 11,
    "English Premier League": 11,
    "Ligue 1": 12,
    "France Ligue 1": 12,
    "Bundesliga": 13,
    "Germany Bundesliga": 13,
    "La Liga": 14,
    "LaLiga": 14,
    "Spain La Liga": 14,
    "Serie A": 15,
    "Italy Serie A": 15,
    "Champions League": 16,
    "UEFA Champions League": 16,
    "UCL": 16,
    "Euro": 17,
    "UEFA Euro": 17,
    "World Cup": 18,
    "FIFA World Cup": 18,
    "J1 League": 19,
    "J.League": 19,
    "Europa League": 33,
    "UEL": 33,
    "F1": 41,
    "PGA": 40,
    "Golf": 40,
    "Wimbledon (M)": 38,
    "Wimbledon (W)": 39,
    "US Open (M)": 38,
    "US Open (W)": 39,
    "French Open (M)": 38,
    "French Open (W)": 39,
    "Roland Garros (M)": 38,
    "Roland Garros (W)": 39,
    "Australian Open (M)": 38,
    "Australian Open (W)": 39,
}

#: Real BoltOdds sportsbook keys -> our affiliate ids, where our own key differs.
#: ESPN BET was renamed theScore Bet (affiliate 24) in December 2025.
BOOK_ALIASES: dict[str, int] = {
    "espnbet": 24,
    "thescorebet": 24,
    "hardrockbet": 28,
    "circa": 32,
    "betonlineag": 6,
}


class Tables:
    """Sport and sportsbook lookups for one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        names = Names(catalog)
        self.names = names
        self._sports: dict[str, int] = {
            **{k: v for k, v in SPORT_ALIASES.items() if v in catalog.sports},
            **names.sport_ids,
        }
        self._books: dict[str, int] = {
            **{k: v for k, v in BOOK_ALIASES.items() if v in catalog.affiliates},
            **names.book_ids,
        }

    def sport_id(self, name: str) -> int | None:
        """Our sport id for a BoltOdds sport name, or None (unknown: quarantine)."""
        return self._sports.get(name)

    def affiliate_id(self, name: str) -> int | None:
        """Our affiliate id for a BoltOdds sportsbook key, or None (unknown)."""
        found = self._books.get(name)
        if found is None:
            found = self._books.get(name.strip().lower())
        return found

    def sport_name(self, sport_id: int) -> str:
        return self.names.sport(sport_id)
