"""The Odds API's sport and bookmaker keys -> canonical sport and affiliate ids.

Only keys whose canonical counterpart is certain are listed: a key missing here is
quarantined when it shows up (the operator sees it on the quarantine list), never
guessed. Entries naming ids the catalog lacks are dropped when the decoder loads
(:func:`sport_table`, :func:`book_table`), so the tables cannot point past it.
"""

from __future__ import annotations

from oddswire.refdata import Catalog

#: The Odds API ``sport_key`` -> canonical ``sport_id`` (refdata/data/sports.json).
SPORTS: dict[str, int] = {
    "americanfootball_ncaaf": 1,
    "americanfootball_nfl": 2,
    "baseball_mlb": 3,
    "basketball_nba": 4,
    "basketball_ncaab": 5,
    "icehockey_nhl": 6,
    "mma_mixed_martial_arts": 7,
    "basketball_wnba": 8,
    "americanfootball_cfl": 9,
    "soccer_usa_mls": 10,
    "soccer_epl": 11,
    "soccer_france_ligue_one": 12,
    "soccer_germany_bundesliga": 13,
    "soccer_spain_la_liga": 14,
    "soccer_italy_serie_a": 15,
    "soccer_uefa_champs_league": 16,
    "soccer_uefa_european_championship": 17,
    "soccer_fifa_world_cup": 18,
    "soccer_japan_j_league": 19,
    "cricket_ipl": 20,
    "basketball_nba_preseason": 23,
    "americanfootball_nfl_preseason": 25,
    "icehockey_nhl_preseason": 27,
    "baseball_mlb_preseason": 30,
    "basketball_nba_summer_league": 32,
    "soccer_uefa_europa_league": 33,
}

#: The Odds API bookmaker ``key`` -> canonical ``affiliate_id`` (affiliates.json).
#:
#: One vendor key per affiliate, so two of the vendor's books never fight over one
#: canonical book. Books the catalog has no affiliate for (williamhill_us = Caesars,
#: betrivers, espnbet, fanatics, betus, mybookieag, ballybet, fliff, ...) are
#: quarantined until the catalog gains them. ``unibet_eu`` is the unibet.com book
#: the catalog names; the vendor's national Unibet sites are not mapped.
BOOKMAKERS: dict[str, int] = {
    "bovada": 2,
    "pinnacle": 3,
    "betonlineag": 6,
    "lowvig": 11,
    "matchbook": 16,
    "draftkings": 19,
    "pointsbetus": 20,
    "unibet_eu": 21,
    "betmgm": 22,
    "fanduel": 23,
    "kalshi": 25,
    "hardrockbet": 28,
    "circasports": 32,
}


def sport_table(catalog: Catalog) -> dict[str, int]:
    """:data:`SPORTS` restricted to sports the catalog has."""
    return {key: sport for key, sport in SPORTS.items() if sport in catalog.sports}


def book_table(catalog: Catalog) -> dict[str, int]:
    """:data:`BOOKMAKERS` restricted to affiliates the catalog has."""
    return {key: book for key, book in BOOKMAKERS.items() if book in catalog.affiliates}
