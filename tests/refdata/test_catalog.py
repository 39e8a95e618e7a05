"""The reference data shipped as package files: complete, consistent, and decodable."""

from __future__ import annotations

import pytest

from oddswire.model.event import EventStatus
from oddswire.refdata import load_catalog
from oddswire.refdata.catalog import TEAM_FILES, Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_sports_match_therundown_ids(catalog: Catalog) -> None:
    names = {s.sport_id: s.sport_name for s in catalog.sports.values()}
    assert names[1] == "NCAA Football"
    assert names[2] == "NFL"
    assert names[3] == "MLB"
    assert names[4] == "NBA"
    assert names[5] == "NCAA Men's Basketball"
    assert names[6] == "NHL"
    assert names[10] == "MLS"
    assert names[11] == "EPL"
    assert all(catalog.sports[s].has_draw for s in (10, 11, 12, 13, 14, 15))
    assert not catalog.sports[4].has_draw
    for sport_id in (1, 2, 3, 4, 5, 6, 10, 11):
        assert catalog.sports[sport_id].seasons, sport_id


def test_affiliates(catalog: Catalog) -> None:
    books = catalog.affiliates
    assert books[19].affiliate_name == "DraftKings"
    assert books[23].affiliate_name == "FanDuel"
    assert books[24].affiliate_name == "theScore Bet"
    assert books[3].sharp
    assert not books[27].active  # retired, kept for id compatibility
    assert all(a.affiliate_url.startswith("http") for a in books.values() if a.active)
    assert all(a.affiliate_id < 128 for a in books.values())  # price ids keep 7 bits per book


def test_markets_and_live_variants(catalog: Catalog) -> None:
    markets = catalog.markets
    assert markets[1].name == "moneyline"
    assert markets[1].live_variant_id == 41
    assert markets[2].live_variant_id == 42
    assert markets[3].live_variant_id == 43
    assert markets[29].name == "points"
    assert markets[35].name == "player_rebounds"
    for market in markets.values():
        if market.live_variant_id is not None:
            live = markets[market.live_variant_id]
            assert live.live, market.id
            assert catalog.periods[live.period_id].live, market.id
    assert markets[4].period_id == 1
    assert markets[50001].oddswire_assigned


def test_market_id_expansions(catalog: Catalog) -> None:
    assert catalog.default_market_ids(4) == {1, 2, 3}
    assert catalog.default_market_ids(6) == {1, 2, 3, 563}
    assert catalog.default_market_ids(11) == {1, 2, 3, 563}
    assert catalog.with_live_variants(frozenset({1, 2, 3})) == {1, 2, 3, 41, 42, 43}
    periods = catalog.with_period_variants(frozenset({1, 2, 3}))
    assert {4, 5, 6, 1008, 1009, 1010} <= periods
    assert not any(catalog.markets[m].live for m in periods)


def test_periods_and_statuses(catalog: Catalog) -> None:
    assert catalog.periods[0].v1_key == "period_full_game"
    assert catalog.periods[1].v1_key == "period_first_half"
    assert catalog.periods[7].live
    assert catalog.period_by_v1_key["period_live_first_half"].id == 13
    assert set(catalog.statuses) == {s.value for s in EventStatus}
    for status in EventStatus:
        info = catalog.statuses[status.value]
        assert info.live == status.is_live, status
        assert info.terminal == status.is_terminal, status


@pytest.mark.parametrize(
    ("sport_id", "count"), [(2, 32), (4, 30), (3, 30), (6, 32), (10, 30), (11, 20)]
)
def test_professional_leagues_are_complete(catalog: Catalog, sport_id: int, count: int) -> None:
    teams = catalog.teams_of(sport_id)
    assert len(teams) == count
    assert len({t.abbreviation for t in teams}) == count
    assert len({t.full_name for t in teams}) == count


def test_team_ids_conferences_and_divisions_are_consistent(catalog: Catalog) -> None:
    assert len(TEAM_FILES) == 8
    for team in catalog.teams.values():
        assert team.team_id // 1000 == team.sport_id
        assert team.name and team.abbreviation
        conference = catalog.conferences[team.conference_id]  # type: ignore[index]
        assert conference.sport_id == team.sport_id
        if team.division_id is not None:
            division = catalog.divisions[team.division_id]
            assert division.conference_id == team.conference_id
    assert len(catalog.teams_of(1)) >= 60  # the major NCAAF programs
    assert len(catalog.teams_of(5)) >= 60  # and NCAAB
    lakers = next(t for t in catalog.teams_of(4) if t.abbreviation == "LAL")
    assert lakers.full_name == "Los Angeles Lakers"
    assert catalog.divisions[lakers.division_id].name == "Pacific"  # type: ignore[index]


def test_participant_names(catalog: Catalog) -> None:
    from oddswire.model import ParticipantType
    from oddswire.refdata import OVER, UNDER

    assert catalog.participant_name(OVER, ParticipantType.RESULT) == "Over"
    assert catalog.participant_name(UNDER, ParticipantType.RESULT) == "Under"
    team = catalog.teams_of(4)[0]
    assert catalog.participant_name(team.team_id, ParticipantType.TEAM) == team.full_name
    assert catalog.participant_name(123, ParticipantType.PLAYER) == ""
