"""Every endpoint method of :class:`AsyncClient` (and a handful of :class:`Client`'s)
against a real hub: the docs' reference market, served by uvicorn on a real socket.

Each check asserts the value decoded into the registry's response type and is about the
ids asked for (an event, team, player, price, line or hedge that exists)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date

import msgspec
import pytest
from clientkit import DAY, KEY, SPORT, ServedMarket  # type: ignore[import-not-found]

from oddswire.client import AsyncClient, Client
from oddswire.client.bind import asynchronous
from oddswire.wire.boltodds import discovery
from oddswire.wire.therundown import odds_rows
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown import v2_models as v2


@dataclass(frozen=True)
class Ids:
    """Real ids from the reference market."""

    event_id: str
    team_id: int
    player_id: int
    affiliate_id: int
    price_id: str
    line_id: int
    hedge_id: str
    market_cursor: int
    uuid_cursor: str

    @classmethod
    def of(cls, values: dict[str, str]) -> Ids:
        return cls(
            event_id=values["event_id"],
            team_id=int(values["team_id"]),
            player_id=int(values["player_id"]),
            affiliate_id=int(values["affiliate_id"]),
            price_id=values["price_id"],
            line_id=int(values["line_id"]),
            hedge_id=values["hedge_id"],
            market_cursor=int(values["market_cursor"]),
            uuid_cursor=values["uuid_cursor"],
        )


@dataclass(frozen=True)
class Served:
    url: str
    ids: Ids


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with ServedMarket(seconds=1.0) as market:
        yield Served(market.url, Ids.of(market.values))


Check = Callable[[AsyncClient, Ids], Awaitable[None]]
CHECKS: dict[str, Check] = {}


def check(*names: str) -> Callable[[Check], Check]:
    """Registers a check as the test of these AsyncClient methods."""

    def register(fn: Check) -> Check:
        for name in names:
            assert name not in CHECKS, name
            CHECKS[name] = fn
        return fn

    return register


def endpoint_names() -> set[str]:
    return {n for n, v in vars(AsyncClient).items() if isinstance(v, asynchronous)}


DAY_DATE = date.fromisoformat(DAY)


# ------------------------------------------------------------------ reference


@check("sports", "v1_sports")
async def _sports(api: AsyncClient, ids: Ids) -> None:
    for got in (await api.sports(), await api.v1_sports()):
        assert isinstance(got, v2.SportsResponse)
        assert any(s.sport_id == SPORT and s.sport_name for s in got.sports)


@check("affiliates", "sportsbooks")
async def _affiliates(api: AsyncClient, ids: Ids) -> None:
    books = await api.affiliates(include=["regions"])
    alias = await api.sportsbooks()
    assert isinstance(books, v2.AffiliatesResponse)
    assert isinstance(alias, v2.AffiliatesResponse)
    found = {a.affiliate_id for a in books.affiliates}
    assert ids.affiliate_id in found
    assert {a.affiliate_id for a in alias.affiliates} == found
    assert any(isinstance(a.regions, list) and a.regions for a in books.affiliates)


@check("v1_affiliates", "v1_sportsbooks")
async def _v1_affiliates(api: AsyncClient, ids: Ids) -> None:
    books = await api.v1_affiliates(include=["regions"])
    alias = await api.v1_sportsbooks()
    assert isinstance(books, v1.V1AffiliatesResponse)
    assert isinstance(alias, v1.V1AffiliatesResponse)
    assert ids.affiliate_id in {a.affiliate_id for a in books.affiliates}
    assert {a.affiliate_id for a in alias.affiliates} == {a.affiliate_id for a in books.affiliates}


@check("season_types", "v1_season_types")
async def _season_types(api: AsyncClient, ids: Ids) -> None:
    for got in (await api.season_types(), await api.v1_season_types()):
        assert isinstance(got, v2.SeasonTypesResponse)
        assert any(s.sport_id == SPORT for s in got.season_types)


@check("markets")
async def _markets(api: AsyncClient, ids: Ids) -> None:
    got = await api.markets()
    assert isinstance(got, list)
    assert all(isinstance(m, v2.MarketDefinition) for m in got)
    assert {1, 2, 3} <= {m.id for m in got}


# ---------------------------------------------------- sports, teams, players


@check("sport_teams", "v1_sport_teams")
async def _teams(api: AsyncClient, ids: Ids) -> None:
    teams = await api.sport_teams(SPORT)
    assert isinstance(teams, v2.TeamsResponse)
    assert ids.team_id in {t.team_id for t in teams.teams}
    old = await api.v1_sport_teams(SPORT)
    assert isinstance(old, v1.V1TeamsResponse)
    assert {t.team_id for t in old.teams} == {t.team_id for t in teams.teams}


@check("sport_conferences", "sport_divisions", "v1_sport_conferences", "v1_sport_divisions")
async def _conferences(api: AsyncClient, ids: Ids) -> None:
    for conferences, divisions in (
        (await api.sport_conferences(SPORT), await api.sport_divisions(SPORT)),
        (await api.v1_sport_conferences(SPORT), await api.v1_sport_divisions(SPORT)),
    ):
        assert isinstance(conferences, v2.ConferencesResponse)
        assert isinstance(divisions, v2.DivisionsResponse)
        assert conferences.conferences
        assert all(c.sport_id == SPORT for c in conferences.conferences)
        assert divisions.divisions
        known = {c.conference_id for c in conferences.conferences}
        assert all(d.conference_id in known for d in divisions.divisions)


@check("team")
async def _team(api: AsyncClient, ids: Ids) -> None:
    got = await api.team(ids.team_id)
    assert isinstance(got, v2.TeamsResponse)
    assert [t.team_id for t in got.teams] == [ids.team_id]


@check("team_players", "player")
async def _players(api: AsyncClient, ids: Ids) -> None:
    roster = await api.team_players(ids.team_id)
    assert isinstance(roster, v2.PlayersResponse)
    assert ids.player_id in {p.id for p in roster.players}
    assert all(p.team_id == ids.team_id for p in roster.players)
    one = await api.player(ids.player_id)
    assert isinstance(one, v2.PlayersResponse)
    assert [(p.id, p.team_id) for p in one.players] == [(ids.player_id, ids.team_id)]


# --------------------------------------------------------------------- events


def market_ids_of(events: v2.EventsResponse) -> set[int]:
    return {m.market_id for e in events.events for m in e.markets}


@check("sport_events")
async def _sport_events(api: AsyncClient, ids: Ids) -> None:
    got = await api.sport_events(
        SPORT, DAY_DATE, market_ids=[1, 2, 3], affiliate_ids=[ids.affiliate_id], main_line=True
    )
    assert isinstance(got, v2.EventsResponse)
    assert ids.event_id in {e.event_id for e in got.events}
    assert market_ids_of(got) == {1, 2, 3}
    books = {
        b
        for e in got.events
        for m in e.markets
        for p in m.participants
        for ln in p.lines
        for b in ln.prices
    }
    assert books == {str(ids.affiliate_id)}
    assert got.meta is not None
    assert int(got.meta.delta_last_id) >= ids.market_cursor


@check("sport_openers", "sport_closing")
async def _sport_openers_closing(api: AsyncClient, ids: Ids) -> None:
    openers = await api.sport_openers(SPORT, DAY, market_ids=[1], affiliate_ids=[ids.affiliate_id])
    closing = await api.sport_closing(SPORT, DAY, market_ids=[1], hide_no_markets=False)
    for got in (openers, closing):
        assert isinstance(got, v2.EventsResponse)
        assert ids.event_id in {e.event_id for e in got.events}
        assert market_ids_of(got) <= {1}
    assert market_ids_of(openers) == {1}


@check("event", "event_openers", "event_closing")
async def _event(api: AsyncClient, ids: Ids) -> None:
    got = await api.event(ids.event_id, market_ids=[1, 2, 3], include=["all_periods"])
    assert isinstance(got, v2.EventsResponse)
    assert [e.event_id for e in got.events] == [ids.event_id]
    assert ids.team_id in {t.team_id for t in got.events[0].teams}
    for other in (
        await api.event_openers(ids.event_id, market_ids=[1]),
        await api.event_closing(ids.event_id),
    ):
        assert isinstance(other, v2.EventsResponse)
        assert [e.event_id for e in other.events] == [ids.event_id]
    openers = await api.event_openers(ids.event_id, market_ids=[1])
    assert market_ids_of(openers) == {1}


@check("sports_dates", "sport_dates", "v1_sport_dates")
async def _dates(api: AsyncClient, ids: Ids) -> None:
    per_sport = await api.sports_dates(sport_ids=[SPORT], format="iso8601")
    assert set(per_sport) == {str(SPORT)}
    assert isinstance(per_sport[str(SPORT)], v2.Dates)
    assert any(str(d).startswith(DAY) for d in per_sport[str(SPORT)].dates)
    one = await api.sport_dates(SPORT, offset=0)
    assert isinstance(one, v2.Dates)
    assert one.dates == per_sport[str(SPORT)].dates
    epochs = await api.v1_sport_dates(SPORT, format="epoch")
    assert isinstance(epochs, v2.Dates)
    assert epochs.dates
    assert all(isinstance(d, int) for d in epochs.dates)


@check("sports_events")
async def _sports_events(api: AsyncClient, ids: Ids) -> None:
    got = await api.sports_events(DAY, sport_ids=[SPORT])
    assert isinstance(got, dict)
    assert ids.event_id in got[str(SPORT)]


# -------------------------------------------------------------------- markets


@check("sports_markets", "sport_markets")
async def _day_markets(api: AsyncClient, ids: Ids) -> None:
    everywhere = await api.sports_markets(DAY, sport_ids=[SPORT], hide_closed_markets=True)
    assert set(everywhere) == {str(SPORT)}
    assert all(isinstance(m, v2.MarketDefinition) for m in everywhere[str(SPORT)])
    assert 1 in {m.id for m in everywhere[str(SPORT)]}
    one = await api.sport_markets(SPORT, DAY, market_ids=[1, 2])
    assert {m.id for ms in one.values() for m in ms} == {1, 2}


@check("event_markets")
async def _event_markets(api: AsyncClient, ids: Ids) -> None:
    got = await api.event_markets(ids.event_id)
    assert all(isinstance(m, v2.MarketDefinition) for m in got)
    assert {1, 2, 3} <= {m.id for m in got}


@check("market_participants")
async def _participants(api: AsyncClient, ids: Ids) -> None:
    got = await api.market_participants(ids.event_id, market_ids=[1])
    assert isinstance(got, v2.ParticipantsResponse)
    assert ids.team_id in {p.id for p in got.participants}
    assert {p.market_id for p in got.participants} == {1}


# -------------------------------------------------------------------- history


@check("event_markets_history")
async def _event_history(api: AsyncClient, ids: Ids) -> None:
    got = await api.event_markets_history(
        ids.event_id, market_ids=[1], affiliate_ids=[ids.affiliate_id], limit=5
    )
    assert isinstance(got, v2.HistoryResponse)
    assert 0 < len(got.history) <= 5
    assert got.meta.count == len(got.history)
    assert {(r.event_id, r.market_id, r.affiliate_id) for r in got.history} == {
        (ids.event_id, 1, ids.affiliate_id)
    }
    # since/until are sent as from/to: a window ending before the first row is empty
    first = min(r.updated_at for r in got.history)
    none = await api.event_markets_history(
        ids.event_id, until="2000-01-01T00:00:00Z", since="1999-01-01T00:00:00Z"
    )
    assert none.history == []
    assert first > "2000"


@check("event_markets_opening")
async def _opening(api: AsyncClient, ids: Ids) -> None:
    got = await api.event_markets_opening(ids.event_id, market_ids=[1])
    assert isinstance(got, v2.OpeningResponse)
    assert got.meta.event_id == ids.event_id
    assert set(got.markets) == {"1"}
    lines = got.markets["1"].lines.values()
    assert ids.team_id in {line.participant_id for line in lines}


@check("event_market_history")
async def _series(api: AsyncClient, ids: Ids) -> None:
    got = await api.event_market_history(ids.event_id, 1, participant_id=ids.team_id, limit=5)
    assert isinstance(got, v2.SeriesResponse)
    assert (got.meta.event_id, got.meta.market_id) == (ids.event_id, 1)
    assert got.series
    assert all(book.data for book in got.series.values())


@check("markets_history")
async def _price_history(api: AsyncClient, ids: Ids) -> None:
    # no ``limit``: the server applies it to the line's rows of every book before keeping
    # the price's book, so a small one can come back empty (reported as a server bug)
    got = await api.markets_history([ids.price_id])
    assert isinstance(got, v2.HistoryResponse)
    assert got.history
    assert {r.market_line_price_id for r in got.history} == {ids.price_id}
    assert {r.event_id for r in got.history} == {ids.event_id}


# ---------------------------------------------------------------------- delta


@check("markets_delta")
async def _markets_delta(api: AsyncClient, ids: Ids) -> None:
    got = await api.markets_delta(ids.market_cursor, sport_id=SPORT, limit=3)
    assert isinstance(got, v2.MarketsDeltaResponse)
    assert 0 < len(got.deltas) <= 3
    assert all(r.id > ids.market_cursor and r.sport_id == SPORT for r in got.deltas)
    assert got.meta.has_more
    assert int(got.meta.delta_last_id) == got.deltas[-1].id


@check("event_delta", "v1_delta_v2")
async def _event_delta(api: AsyncClient, ids: Ids) -> None:
    for got in (
        await api.event_delta(ids.uuid_cursor, sport_id=SPORT),
        await api.v1_delta_v2(ids.uuid_cursor),
    ):
        assert isinstance(got, v2.EventDeltaResponse)
        assert len(got.meta.delta_last_id) == 36
        assert got.deltas
        events = [msgspec.json.decode(d.data, type=v2.Event) for d in got.deltas]
        assert all(e.sport_id == SPORT for e in events)


@check("v1_delta")
async def _v1_delta(api: AsyncClient, ids: Ids) -> None:
    got = await api.v1_delta(ids.uuid_cursor, affiliate_ids=[ids.affiliate_id])
    assert isinstance(got, v1.V1EventsResponse)
    assert got.events
    assert all(e.sport_id == SPORT for e in got.events)
    assert {b for e in got.events for b in e.lines} <= {str(ids.affiliate_id)}


# ----------------------------------------------------------------- best lines


@check("event_best_line")
async def _event_best_line(api: AsyncClient, ids: Ids) -> None:
    got = await api.event_best_line(ids.event_id, period="period_full_game")
    assert isinstance(got, v2.BestLineResponse)
    assert got.event_id == ids.event_id
    assert got.moneyline is not None


@check("v1_lines_best")
async def _v1_lines_best(api: AsyncClient, ids: Ids) -> None:
    got = await api.v1_lines_best([ids.event_id])
    assert set(got) == {ids.event_id}
    assert isinstance(got[ids.event_id], v2.BestLineResponse)
    assert got[ids.event_id].event_id == ids.event_id


@check("event_odds_best_line", "odds_best_line")
async def _odds_best_line(api: AsyncClient, ids: Ids) -> None:
    for market_id, got in (
        (1, await api.event_odds_best_line(ids.event_id, 1, include_alternates=True)),
        (2, await api.odds_best_line(ids.event_id, 2, period_id=0)),
    ):
        assert isinstance(got, odds_rows.BestLinesResponse)
        assert got.best_lines
        assert {(b.event_id, b.market_id) for b in got.best_lines} == {(ids.event_id, market_id)}
    moneyline = await api.event_odds_best_line(ids.event_id, 1, participant_id=ids.team_id)
    assert {b.participant_id for b in moneyline.best_lines} == {ids.team_id}


@check("sport_odds_best_lines")
async def _sport_best_lines(api: AsyncClient, ids: Ids) -> None:
    got = await api.sport_odds_best_lines(SPORT, DAY, 3, include_all=True, all_limit=2)
    assert isinstance(got, odds_rows.BestLinesResponse)
    assert (got.meta.sport_id, got.meta.date, got.meta.market_id) == (SPORT, DAY, 3)
    assert got.best_lines
    assert all(b.market_id == 3 and b.sport_id == SPORT for b in got.best_lines)
    assert any(isinstance(b.alternatives, list) for b in got.best_lines)


# ------------------------------------------------------- steamers, outliers


@check("sport_odds_steamers", "odds_steamers")
async def _steamers(api: AsyncClient, ids: Ids) -> None:
    for got in (
        await api.sport_odds_steamers(SPORT, DAY, window_minutes=120, limit=5),
        await api.odds_steamers(SPORT, DAY_DATE, window_minutes=120, limit=5),
    ):
        assert isinstance(got, odds_rows.SteamersResponse)
        assert (got.meta.sport_id, got.meta.date) == (SPORT, DAY)
        assert (got.meta.window_minutes, got.meta.limit) == (120, 5)
        assert all(s.sport_id == SPORT for s in got.steamers)


@check("sport_odds_outliers", "odds_outliers")
async def _outliers(api: AsyncClient, ids: Ids) -> None:
    for got in (
        await api.sport_odds_outliers(SPORT, DAY, ids.affiliate_id, limit=5),
        await api.odds_outliers(SPORT, DAY, ids.affiliate_id, min_peers=2),
    ):
        assert isinstance(got, odds_rows.OutliersResponse)
        assert got.outliers
        assert {(o.sport_id, o.affiliate_id) for o in got.outliers} == {(SPORT, ids.affiliate_id)}


# ---------------------------------------------------------------------- hedge


@check("hedge", "hedge_top", "hedge_event", "hedge_by_id")
async def _hedge(api: AsyncClient, ids: Ids) -> None:
    listed = await api.hedge(type=["2ways", "middles", "posev"], include_closed=True)
    top = await api.hedge_top(type="2ways", include_closed=True)
    mine = await api.hedge_event(ids.event_id, include_closed=True)
    for got in (listed, top, mine):
        assert isinstance(got, odds_rows.HedgesResponse)
        assert ids.hedge_id in {h.id for h in got.hedges}
    assert listed.meta.type == ["2ways", "middles", "posev"]
    assert {h.event_id for h in mine.hedges} == {ids.event_id}
    one = await api.hedge_by_id(ids.hedge_id)
    assert isinstance(one, odds_rows.HedgeResponse)
    assert (one.hedge.id, one.hedge.event_id) == (ids.hedge_id, ids.event_id)


# ------------------------------------------------------------------------- V1


@check("v1_sport_schedule")
async def _schedule(api: AsyncClient, ids: Ids) -> None:
    first = await api.v1_sport_schedule(
        SPORT, limit=2, since=date(2026, 11, 21), include_teams=True
    )
    assert isinstance(first, v1.V1ScheduleResponse)
    assert len(first.schedules) == 2
    assert all(s.sport_id == SPORT and isinstance(s.teams, list) for s in first.schedules)
    after = await api.v1_sport_schedule(
        SPORT, limit=2, since="2026-11-21", last_event_uuid=first.schedules[-1].event_uuid
    )
    assert after.schedules
    assert not {s.event_id for s in after.schedules} & {s.event_id for s in first.schedules}
    mine = await api.v1_sport_schedule(SPORT, team_id=ids.team_id, limit=50)
    assert mine.schedules
    assert all(ids.team_id in (s.home_team_id, s.away_team_id) for s in mine.schedules)


@check("v1_sport_events", "v1_sport_openers", "v1_sport_closing")
async def _v1_events(api: AsyncClient, ids: Ids) -> None:
    for got in (
        await api.v1_sport_events(SPORT, DAY_DATE, affiliate_ids=[ids.affiliate_id]),
        await api.v1_sport_openers(SPORT, DAY, affiliate_ids=[ids.affiliate_id]),
        await api.v1_sport_closing(SPORT, DAY, affiliate_ids=[ids.affiliate_id]),
    ):
        assert isinstance(got, v1.V1EventsResponse)
        assert ids.event_id in {e.event_id for e in got.events}
        assert {b for e in got.events for b in e.lines} <= {str(ids.affiliate_id)}
    periods = await api.v1_sport_events(SPORT, DAY, include=["all_periods"])
    assert any(isinstance(e.line_periods, dict) for e in periods.events)


@check("v1_event", "v1_event_line")
async def _v1_event(api: AsyncClient, ids: Ids) -> None:
    got = await api.v1_event(ids.event_id)
    assert isinstance(got, v1.V1Event)
    assert got.event_id == ids.event_id
    assert str(ids.affiliate_id) in got.lines
    one = await api.v1_event_line(ids.event_id, ids.line_id)
    assert isinstance(one, v1.V1Event)
    assert one.event_id == ids.event_id
    assert [line.line_id for line in one.lines.values()] == [ids.line_id]


@check("v1_line_moneyline", "v1_line_spread", "v1_line_total", "v1_line_team_total")
async def _v1_lines(api: AsyncClient, ids: Ids) -> None:
    moneylines = await api.v1_line_moneyline(ids.line_id)
    assert isinstance(moneylines, v1.V1MoneylineHistory)
    assert isinstance(moneylines.moneylines, list)
    assert moneylines.moneylines
    assert {m.line_id for m in moneylines.moneylines} == {ids.line_id}
    spreads = await api.v1_line_spread(ids.line_id)
    assert isinstance(spreads, v1.V1SpreadHistory)
    assert isinstance(spreads.spreads, list)
    assert {s.line_id for s in spreads.spreads} <= {ids.line_id}
    totals = await api.v1_line_total(ids.line_id)
    assert isinstance(totals, v1.V1TotalHistory)
    assert isinstance(totals.totals, list)
    assert {t.event_id for t in totals.totals} <= {ids.event_id}
    team_totals = await api.v1_line_team_total(ids.line_id, include=["all_periods"])
    assert isinstance(team_totals, v1.V1TeamTotalHistory)
    assert isinstance(team_totals.team_total_periods, dict)


# ------------------------------------------------------------------ BoltOdds


@check("boltodds_info", "boltodds_games", "boltodds_markets")
async def _boltodds(api: AsyncClient, ids: Ids) -> None:
    info = await api.boltodds_info()
    assert isinstance(info, discovery.InfoResponse)
    assert "NBA" in info.sports
    assert "draftkings" in info.sportsbooks
    games = await api.boltodds_games()
    assert all(isinstance(g, discovery.Game) for g in games.values())
    assert ids.event_id in {g.universal_id for g in games.values()}
    quoted = await api.boltodds_markets(sports=["NBA"], sportsbooks=["draftkings", "fanduel"])
    assert set(quoted) == {"NBA"}
    assert set(quoted["NBA"]) == {"draftkings", "fanduel"}
    assert "Moneyline" in quoted["NBA"]["draftkings"]


# ---------------------------------------------------------------------- tests


def test_every_async_method_has_a_check() -> None:
    assert set(CHECKS) == endpoint_names()


@pytest.mark.parametrize("name", sorted(CHECKS))
async def test_async_client_method_against_a_real_hub(served: Served, name: str) -> None:
    async with AsyncClient(served.url, KEY) as api:
        await CHECKS[name](api, served.ids)


def test_the_blocking_client_against_a_real_hub(served: Served) -> None:
    ids = served.ids
    with Client(served.url, KEY) as api:
        assert SPORT in {s.sport_id for s in api.sports().sports}
        events = api.sport_events(SPORT, DAY, market_ids=[1])
        assert ids.event_id in {e.event_id for e in events.events}
        history = api.event_markets_history(ids.event_id, limit=3)
        assert {r.event_id for r in history.history} == {ids.event_id}
        assert api.v1_event(ids.event_id).event_id == ids.event_id
        assert api.hedge_by_id(ids.hedge_id).hedge.id == ids.hedge_id
        assert ids.event_id in {g.universal_id for g in api.boltodds_games().values()}
        delta = api.event_delta("00000000-0000-0000-0000-000000000000", sport_id=SPORT)
        assert ids.event_id in {json.loads(d.data)["event_id"] for d in delta.deltas}


def test_query_auth_reaches_a_real_hub(served: Served) -> None:
    with Client(served.url, KEY, auth="query") as api:
        assert api.team(served.ids.team_id).teams[0].team_id == served.ids.team_id
