"""Entity resolution: team aliases, event matching (tolerance, home/away flips,
doubleheaders), participants, quarantine, and which source feeds a book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oddswire.model import ids
from oddswire.model.change import EventChange, ParticipantType, PriceStatus
from oddswire.refdata import load_catalog
from oddswire.refdata.results import DRAW, OVER
from oddswire.sources.resolve import Resolver, TeamAlias, TeamIndex
from oddswire.sources.resolve.normalize import normalize
from oddswire.sources.upstream.model import ParticipantRef, UpstreamGame, UpstreamQuote

NBA, MLB, EPL = 4, 3, 11
START = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
CELTICS, LAKERS = "Boston Celtics", "Los Angeles Lakers"


def team(name: str, sport: int = NBA) -> int:
    found = TeamIndex(load_catalog()).resolve(sport, name)
    assert found is not None, name
    return found


def game(key: str, home: str = CELTICS, away: str = LAKERS, **kw: object) -> UpstreamGame:
    fields: dict[str, object] = {"sport_id": NBA, "start": START}
    fields.update(kw)
    return UpstreamGame(key=key, home=home, away=away, **fields)  # type: ignore[arg-type]


def quote(key: str, name: str = CELTICS, **kw: object) -> UpstreamQuote:
    fields: dict[str, object] = {
        "affiliate_id": 19,
        "market_id": 1,
        "period_id": 0,
        "participant": ParticipantRef(kind=ParticipantType.TEAM, name=name),
        "line": "",
        "price": -150.0,
    }
    fields.update(kw)
    return UpstreamQuote(game_key=key, **fields)  # type: ignore[arg-type]


def test_normalize_folds_case_accents_punctuation_and_saints() -> None:
    assert normalize("St. Louis Blues") == "st louis blues"
    assert normalize("Saint Louis") == "st louis"
    assert normalize("CF Montréal") == "cf montreal"
    assert normalize("Brighton & Hove Albion") == "brighton and hove albion"
    assert normalize("  Oakland A's ") == "oakland a s"


def test_team_index_knows_names_aliases_abbreviations_and_book_spellings() -> None:
    index = TeamIndex(load_catalog())
    celtics = index.resolve(NBA, CELTICS)
    assert celtics is not None
    for spelling in ("boston celtics", "Celtics", "BOS", "Boston"):
        assert index.resolve(NBA, spelling) == celtics
    # The shipped alias table: book-specific spellings.
    assert index.resolve(NBA, "LA Clippers") == index.resolve(NBA, "Los Angeles Clippers")
    assert index.resolve(EPL, "Man Utd") == index.resolve(EPL, "Manchester United")
    # The same word in another sport is another team, or none.
    assert index.resolve(MLB, "Celtics") is None


def test_a_name_two_teams_share_is_ambiguous_not_guessed() -> None:
    index = TeamIndex(load_catalog())
    assert index.resolve(NBA, "Los Angeles") is None  # Lakers or Clippers
    assert index.lookup(NBA, "Los Angeles") == -1
    lakers, clippers = index.resolve(NBA, LAKERS), index.resolve(NBA, "LA Clippers")
    assert lakers is not None and clippers is not None
    # Within a game the pair decides: only one Los Angeles team plays.
    assert index.resolve_within(NBA, "Los Angeles", [lakers, team(CELTICS)]) == lakers
    assert index.resolve_within(NBA, "Los Angeles", [lakers, clippers]) is None
    assert index.resolve_within(NBA, "L.A. Lakers", [lakers, clippers]) == lakers


def test_operator_aliases_extend_the_index_and_reject_unknown_teams() -> None:
    index = TeamIndex(load_catalog(), [TeamAlias(sport_id=NBA, team=CELTICS, aliases=["Cs"])])
    assert index.resolve(NBA, "cs") == team(CELTICS)
    with pytest.raises(KeyError, match="no team"):
        index.add_aliases(TeamAlias(sport_id=NBA, team="Springfield Isotopes", aliases=["x"]))


def test_a_new_game_becomes_a_canonical_event_with_the_stable_id() -> None:
    resolver = Resolver(load_catalog())
    event, change = resolver.game("a", game("g1"))
    assert event is not None and isinstance(change, EventChange)
    assert event.event_id == ids.event_id(NBA, team(LAKERS), team(CELTICS), START)
    assert (event.home_team_id, event.away_team_id) == (team(CELTICS), team(LAKERS))
    # Seen again: the same event, nothing to change.
    again, change = resolver.game("a", game("g1"))
    assert again == event and change is None


def test_two_sources_spelling_and_timing_a_game_differently_meet_on_one_event() -> None:
    resolver = Resolver(load_catalog())
    first, _ = resolver.game("therundown", game("tr-1"))
    # Home and away flipped, book spellings, start 40 minutes off.
    second, change = resolver.game(
        "boltodds",
        game("bo-1", home="LA Lakers", away="Celtics", start=START + timedelta(minutes=40)),
    )
    assert first is not None and second is not None
    assert second.event_id == first.event_id and change is None


def test_outside_the_tolerance_or_another_sport_is_another_event() -> None:
    resolver = Resolver(load_catalog(), tolerance=timedelta(hours=1))
    first, _ = resolver.game("a", game("g1"))
    later, _ = resolver.game("b", game("g2", start=START + timedelta(hours=5)))
    assert first is not None and later is not None and later.event_id != first.event_id


def test_a_doubleheader_matches_the_nearest_game() -> None:
    resolver = Resolver(load_catalog(), tolerance=timedelta(hours=4))
    mets, angels = "New York Mets", "Los Angeles Angels"
    opener, _ = resolver.game("a", game("g1", home=mets, away=angels, sport_id=MLB))
    nightcap, _ = resolver.game(
        "a", game("g2", home=mets, away=angels, sport_id=MLB, start=START + timedelta(hours=5))
    )
    assert opener is not None and nightcap is not None and opener != nightcap
    near_second, _ = resolver.game(
        "b", game("x", home=angels, away=mets, sport_id=MLB, start=START + timedelta(hours=4))
    )
    assert near_second is not None and near_second.event_id == nightcap.event_id


def test_unknown_or_ambiguous_teams_are_quarantined_with_the_reason() -> None:
    resolver = Resolver(load_catalog())
    assert resolver.game("a", game("g1", home="Springfield Isotopes")) == (None, None)
    assert resolver.game("a", game("g2", home="Los Angeles")) == (None, None)
    assert resolver.game("a", game("g3", sport_id=999)) == (None, None)
    reasons = {(e.kind, e.text): e.reason for e in resolver.quarantine.entries()}
    assert reasons[("team", "Springfield Isotopes")] == "unknown team"
    assert reasons[("team", "Los Angeles")] == "ambiguous team name"
    assert reasons[("sport", "999")] == "unknown sport id"
    # Quotes on a quarantined game are dropped, not guessed onto another.
    assert resolver.quote("a", quote("g1"), 0.0) is None
    assert resolver.stats["a"].unresolved == 4


def test_quotes_resolve_teams_results_and_players() -> None:
    resolver = Resolver(load_catalog())
    event, _ = resolver.game("a", game("g1"))
    assert event is not None
    ml = resolver.quote("a", quote("g1", name="LA Lakers", price=130.0), 5.0)
    assert ml is not None and ml.participant_id == team(LAKERS) and ml.event_id == event.event_id
    assert ml.received_ts == 5.0 and ml.source_ts == 5.0
    over = resolver.quote(
        "a",
        quote(
            "g1",
            market_id=3,
            participant=ParticipantRef(kind=ParticipantType.RESULT, name="over"),
            line="224.5",
        ),
        5.0,
    )
    assert over is not None and over.participant_id == OVER
    draw = ParticipantRef(kind=ParticipantType.RESULT, result_id=DRAW)
    assert resolver.quote("a", quote("g1", participant=draw), 5.0) is not None
    player = ParticipantRef(kind=ParticipantType.PLAYER, name="Jayson  Tatum")
    prop = resolver.quote("a", quote("g1", participant=player, line="Over 27.5"), 5.0)
    assert prop is not None and prop.participant_type is ParticipantType.PLAYER
    same = resolver.quote(
        "b",
        quote("g1", participant=ParticipantRef(kind=ParticipantType.PLAYER, name="jayson tatum")),
        5.0,
    )
    assert same is None  # source b never announced g1
    assert load_catalog().players[prop.participant_id].last_name.strip() == "Tatum"


def test_unmappable_quotes_are_quarantined() -> None:
    resolver = Resolver(load_catalog())
    resolver.game("a", game("g1"))
    assert resolver.quote("a", quote("g1", name="Chicago Bulls"), 0.0) is None
    assert resolver.quote("a", quote("g1", affiliate_id=9999), 0.0) is None
    assert resolver.quote("a", quote("g1", market_id=999_999), 0.0) is None
    assert resolver.quote("a", quote("g1", period_id=777), 0.0) is None
    bad = ParticipantRef(kind=ParticipantType.RESULT, name="Maybe")
    assert resolver.quote("a", quote("g1", participant=bad), 0.0) is None
    kinds = sorted(e.kind for e in resolver.quarantine.entries(source="a"))
    assert kinds == ["book", "market", "outcome", "period", "team"]


def test_one_source_feeds_a_book_on_an_event_until_it_goes_quiet() -> None:
    resolver = Resolver(load_catalog(), source_order=["therundown", "boltodds"])
    resolver.game("boltodds", game("bo"))
    resolver.game("therundown", game("tr"))
    resolver.game("oddsapi", game("oa"))
    assert resolver.quote("boltodds", quote("bo"), 100.0) is not None
    # An earlier source in the order takes the book over at once...
    assert resolver.quote("therundown", quote("tr"), 101.0) is not None
    assert resolver.quote("boltodds", quote("bo"), 102.0) is None
    # ...an unranked one only after the owner has been silent for the takeover time.
    assert resolver.quote("oddsapi", quote("oa"), 150.0) is None
    assert resolver.quote("oddsapi", quote("oa"), 101.0 + 121.0) is not None
    # Another book on the same event is free.
    assert resolver.quote("boltodds", quote("bo", affiliate_id=23), 103.0) is not None
    assert resolver.stats["boltodds"].shadowed == 1


def test_an_authoritative_game_updates_status_but_keeps_the_canonical_ids() -> None:
    from msgspec.structs import replace

    from oddswire.model.event import EventStatus, Score

    resolver = Resolver(load_catalog())
    created, _ = resolver.game("boltodds", game("bo"))
    assert created is not None
    vendor = replace(
        created,
        event_id="f" * 32,
        away_team_id=123,
        home_team_id=456,
        score=Score(event_status=EventStatus.IN_PROGRESS, score_home=10, score_away=8),
    )
    updated, change = resolver.game("therundown", game("tr", event=vendor))
    assert updated is not None and change is not None
    assert updated.event_id == created.event_id
    assert (updated.home_team_id, updated.away_team_id) == (team(CELTICS), team(LAKERS))
    assert updated.status is EventStatus.IN_PROGRESS and updated.score.score_home == 10


def test_the_resolver_learns_events_other_sources_put_on_the_board() -> None:
    resolver = Resolver(load_catalog())
    other = Resolver(load_catalog())
    event, change = other.game("simulator", game("sim"))
    assert change is not None
    resolver.observe([change])
    mine, new = resolver.game("oddsapi", game("oa", start=START + timedelta(minutes=5)))
    assert mine == event and new is None
    assert PriceStatus.OPEN == 0


def test_forgotten_events_release_their_games_and_books() -> None:
    resolver = Resolver(load_catalog())
    event, _ = resolver.game("a", game("g1"))
    assert event is not None
    assert resolver.quote("a", quote("g1"), 1.0) is not None
    resolver.forget({event.event_id})
    assert resolver.event_of("a", "g1") is None
    assert resolver.quote("a", quote("g1"), 2.0) is None  # the game must be announced again
    again, change = resolver.game("a", game("g1"))
    assert again is not None and change is not None  # a new event change: it was deleted
    assert resolver.quote("b", quote("g1"), 3.0) is None  # b never announced it
