"""Player props for NBA and NFL games, with main and alternate lines, for registered players."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from simkit import booted, make

from oddswire.model.change import ParticipantType
from oddswire.model.lines import parse_line
from oddswire.refdata import load_catalog

PROPS = {4: {29, 35, 39}, 2: {50001, 50002, 50003}}


def test_nba_and_nfl_carry_player_props() -> None:
    sim = make(datetime(2026, 11, 22, 12, tzinfo=UTC), sport_ids=[2, 4], days_back=0, days_ahead=0)
    board = booted(sim)
    catalog = load_catalog()
    found: dict[int, set[int]] = defaultdict(set)
    mains: dict[bool, int] = defaultdict(int)
    players: set[int] = set()
    for line, _, price in board.iter_prices():
        if line.participant_type is not ParticipantType.PLAYER:
            continue
        sport = line.event.event.sport_id
        found[sport].add(line.market_id)
        player = catalog.players[line.participant_id]
        assert player.team_id in (line.event.event.home_team_id, line.event.event.away_team_id)
        side, number = parse_line(line.line)
        assert side in ("Over", "Under") and number is not None and number % 1 == 0.5
        mains[price.is_main_line] += 1
        players.add(player.id)
    assert found[4] == PROPS[4]
    assert found[2] == PROPS[2]
    assert mains[True] > 500 and mains[False] > 1000
    assert len(players) > 40


def test_players_do_not_depend_on_the_seed() -> None:
    a = make(seed=1, sport_ids=[4]).players()
    b = make(seed=99, sport_ids=[4]).players()
    assert a == b
    nba = [p for p in a if p.sport_id == 4]
    assert len(nba) == 30 * 5
    assert {p.position_abbreviation for p in nba} == {"PG", "SG", "SF", "PF", "C"}
    nfl = [p for p in a if p.sport_id == 2]
    assert len(nfl) == 32 * 4
    assert all(p.first_name and p.last_name for p in a)
    catalog = load_catalog()
    assert all(catalog.players[p.id] == p for p in a)
