"""Schedules: sports in season, real teams, no team twice a day, NFL once a week."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from simkit import START, make

from oddswire.model.change import EventChange
from oddswire.refdata import load_catalog

IN_SEASON_NOV = {1, 2, 4, 5, 6, 10, 11}


def test_only_sports_in_season_by_default() -> None:
    sports = {e.sport_id for e in make().events()}
    assert sports == IN_SEASON_NOV
    assert 3 not in sports  # MLB is over by late November


def test_all_sports_and_explicit_subset() -> None:
    assert {e.sport_id for e in make(all_sports=True).events()} == IN_SEASON_NOV | {3}
    assert {e.sport_id for e in make(sport_ids=[3, 4]).events()} == {3, 4}


def test_summer_has_baseball_and_no_football() -> None:
    july = datetime(2026, 7, 10, 18, tzinfo=UTC)
    sports = {e.sport_id for e in make(july).events()}
    assert 3 in sports and 10 in sports
    assert not sports & {1, 2, 4, 5}


def test_real_teams_and_no_team_twice_a_day() -> None:
    catalog = load_catalog()
    events = make(days_ahead=6).events()
    assert len(events) > 150
    seen: Counter[tuple[int, str]] = Counter()
    for e in events:
        assert e.event_date.tzinfo is not None
        assert e.away_team_id != e.home_team_id
        for team_id in (e.away_team_id, e.home_team_id):
            team = catalog.teams[team_id]
            assert team.sport_id == e.sport_id and team.name
            seen[(team_id, e.event_date.date().isoformat())] += 1
        home = catalog.teams[e.home_team_id]
        assert e.venue_name == home.venue_name
        assert e.rotation_number_away % 2 == 1
        assert e.rotation_number_home == e.rotation_number_away + 1
        assert e.season_type == 2 and e.season_year == 2026
    assert max(seen.values()) == 1


def test_nfl_week_each_team_once_with_usual_slots() -> None:
    # Wednesday 2026-11-18 .. Tuesday 2026-11-24 is one NFL week.
    sim = make(datetime(2026, 11, 21, 12, tzinfo=UTC), sport_ids=[2], days_back=3, days_ahead=3)
    games = sim.events()
    teams = Counter(t for e in games for t in (e.away_team_id, e.home_team_id))
    assert 13 <= len(games) <= 16
    assert max(teams.values()) == 1
    slots = Counter(e.event_date.strftime("%a %H:%M") for e in games)
    assert slots["Fri 01:15"] == 1 and slots["Mon 01:20"] == 1 and slots["Tue 01:15"] == 1
    assert slots["Sun 18:00"] >= 6
    assert {e.week for e in games} == {12}


def test_slates_look_like_the_sport() -> None:
    events = make(days_back=0, days_ahead=0).events()
    by_sport = Counter(e.sport_id for e in events)
    assert 5 <= by_sport[4] <= 12  # NBA
    assert 8 <= by_sport[5] <= 16  # NCAAB
    for e in events:
        if e.sport_id == 4:
            assert e.event_date.hour <= 3  # evening ET
        if e.sport_id == 11:
            assert e.event_date.weekday() in (5, 6) and 12 <= e.event_date.hour <= 19


def test_schedule_does_not_depend_on_start_time() -> None:
    a = {e.event_id for e in make().events()}
    b = {e.event_id for e in make(START + timedelta(hours=5)).events()}
    assert a == b


def test_window_rolls_at_midnight() -> None:
    sim = make(
        datetime(2026, 11, 21, 23, 55, tzinfo=UTC),
        rate=500,
        clock_speed=60,
        sport_ids=[4],
        days_back=1,
        days_ahead=1,
    )
    list(sim.bootstrap())
    before = {e.event_date.date() for e in sim.events()}
    assert min(before).isoformat() == "2026-11-20" and max(before).isoformat() == "2026-11-22"
    new = []
    for _ in range(200):  # 10 simulated minutes
        new.extend(c for c in sim.step() if isinstance(c, EventChange))
    after = {e.event_date.date() for e in sim.events()}
    assert min(after).isoformat() == "2026-11-21" and max(after).isoformat() == "2026-11-23"
    assert any(c.event.event_date.date().isoformat() == "2026-11-23" for c in new)
