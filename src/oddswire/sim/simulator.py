"""The embedded default source: a realistic, deterministic sports-betting market."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import msgspec

from oddswire.model.change import Change, EventChange, PriceChange
from oddswire.model.event import Event
from oddswire.model.ids import event_id, event_uuid
from oddswire.model.reference import Player
from oddswire.refdata.catalog import Catalog
from oddswire.sim.books import default_books
from oddswire.sim.calendar import Fixture, fixtures
from oddswire.sim.engine import JUMP, PREPULL, SECOND, START, Engine
from oddswire.sim.game import Game
from oddswire.sim.markets import build_groups, check_catalog
from oddswire.sim.players import Profile, roster
from oddswire.sim.quoting import Quoter
from oddswire.sim.rng import derive, make_rng
from oddswire.sim.settings import SimSettings
from oddswire.sim.sports import MODELS, SIM_SPORTS
from oddswire.sim.state import BookEvent, EventSim, Expectation, Stage
from oddswire.sim.truth import TruthPath, base_line, team_rating

CHUNK = 5000
JUMP_HORIZON_US = 6 * 3600 * SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Truth(msgspec.Struct, frozen=True, kw_only=True):
    """The hidden truth of an event now: who wins, by how much, how many, and the score."""

    event_id: str
    p_home: float
    p_away: float
    p_draw: float
    expected_margin: float
    expected_total: float
    live: bool
    score_home: int | None = None
    score_away: int | None = None


def _to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("start must be timezone-aware (UTC)")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


class Simulator:
    """A market of schedules, hidden truths, books and games; see ``step`` and ``bootstrap``."""

    def __init__(self, catalog: Catalog, settings: SimSettings, start: datetime) -> None:
        check_catalog(catalog)
        self._catalog = catalog
        self._settings = settings
        self._seed = settings.seed
        self._start = start.astimezone(UTC)
        self._start_us = _to_us(self._start)
        self._now_us = self._start_us
        self._steps = 0
        self._step_us = round(settings.quantum * settings.clock_speed * SECOND)
        self._per_step = settings.rate * settings.quantum
        self._credit = 0.0
        wanted = settings.affiliate_ids
        self._books = [
            b
            for b in default_books()
            if b.affiliate_id in catalog.affiliates and (wanted is None or b.affiliate_id in wanted)
        ]
        self._sports = [s for s in (settings.sport_ids or SIM_SPORTS) if s in MODELS]
        self._rosters: dict[int, list[Profile]] = {}
        for team in sorted(catalog.teams.values(), key=lambda t: t.team_id):
            players = roster(team)
            if players:
                self._rosters[team.team_id] = players
        catalog.register_players(self.players())
        self._engine = Engine(make_rng(self._seed, "market"))
        self._next_idx = 0
        self._by_id: dict[str, EventSim] = {}
        self._today = self._start.date()
        self._pick_events: list[EventSim] = []
        self._pick_cum: list[float] = []
        self._picks_at = -1
        for offset in range(-settings.days_back, settings.days_ahead + 1):
            self._add_day(self._today + timedelta(days=offset), None)

    # ------------------------------------------------------------------ public

    @property
    def now(self) -> datetime:
        """The current simulated time."""
        return self._start + timedelta(microseconds=self._now_us - self._start_us)

    def players(self) -> list[Player]:
        """The synthetic players (registered into the catalog by ``__init__``)."""
        return [p.player for profiles in self._rosters.values() for p in profiles]

    def events(self) -> list[Event]:
        """The current event headers."""
        return [e.header(self._now_us) for e in self._engine.events.values()]

    def truth(self, event_id: str) -> Truth:
        """The hidden truth of an event at the current simulated time."""
        e = self._by_id[event_id]
        now = self._now_us
        if e.stage is not Stage.PRE:
            e.game.advance(now)
        view = e.true_view(now)
        ph, pd, pa = view.full.win()
        line = e.expect.line_at(now)
        st = e.game.state
        if e.stage is Stage.FINAL:
            ph, pd = float(st.home > st.away), float(st.home == st.away)
            pa = 1.0 - ph - pd
        live = e.stage is Stage.LIVE
        started = e.stage is not Stage.PRE
        f = view.frac_left if live else (0.0 if started else 1.0)
        cur_h, cur_a = (st.home, st.away) if started else (0, 0)
        return Truth(
            event_id=event_id,
            p_home=ph,
            p_away=pa,
            p_draw=pd,
            expected_margin=cur_h - cur_a + line.mu * f,
            expected_total=cur_h + cur_a + line.total * f,
            live=live,
            score_home=st.home if started else None,
            score_away=st.away if started else None,
        )

    def bootstrap(self) -> Iterator[list[Change]]:
        """Every event, then every book's full current quote, in chunks."""
        now = self._now_us
        chunk: list[Change] = []
        for e in self._engine.events.values():
            chunk.append(EventChange(event=e.header(now), received_ts=now / 1e6))
            e.last_version = e.game.state.version
            e.last_clock_us = now
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        for e in list(self._engine.events.values()):
            for be in e.books:
                self._engine.quote_book(e, be, now, chunk)
                if len(chunk) >= CHUNK - 500:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def step(self) -> list[Change]:
        """Advance one quantum of real time; about ``rate * quantum`` price changes."""
        self._steps += 1
        now = self._now_us = self._start_us + self._steps * self._step_us
        engine = self._engine
        out: list[Change] = []
        if (self.now.date() - self._today).days > 0:
            self._roll(out)
        engine.run_actions(now, out)
        for e in list(engine.live.values()):
            engine.sync(e, now, out)
        forced = sum(1 for c in out if c.__class__ is PriceChange)
        budget = self._credit + self._per_step - forced
        self._credit = min(self._spend(budget, now, out), self._per_step)
        return out

    # ---------------------------------------------------------------- internals

    def _spend(self, budget: float, now: int, out: list[Change]) -> float:
        if self._picks_at != self._engine.version:
            self._refresh_event_picks()
        events, cum = self._pick_events, self._pick_cum
        if not events or budget <= 0:
            return budget
        total = cum[-1]
        rng = self._engine.rng
        requote = self._engine.requote
        tries = int(4 * budget) + 20
        while budget > 0 and tries > 0:
            tries -= 1
            e = events[bisect_right(cum, rng.random() * total)]
            gcum = e.pick_cum
            if not gcum:
                continue
            gi = e.pick_groups[bisect_right(gcum, rng.random() * gcum[-1])]
            books = e.covered[gi]
            budget -= requote(e, books[int(rng.random() * len(books))], gi, now, out)
        return budget

    def _refresh_event_picks(self) -> None:
        self._pick_events, self._pick_cum = [], []
        acc = 0.0
        for e in self._engine.events.values():
            if e.stage is Stage.FINAL or not e.pick_cum:
                continue
            acc += 8.0 if e.stage is Stage.LIVE else 1.0
            self._pick_events.append(e)
            self._pick_cum.append(acc)
        self._picks_at = self._engine.version

    def _roll(self, out: list[Change]) -> None:
        """A new UTC day: schedule the next date, forget finished events past the window."""
        self._today = self.now.date()
        first = self._today - timedelta(days=self._settings.days_back)
        for idx, e in list(self._engine.events.items()):
            if e.event.event_date.date() < first and e.stage is Stage.FINAL:
                del self._engine.events[idx]
                self._engine.live.pop(idx, None)
                self._engine.version += 1
                self._by_id.pop(e.event.event_id, None)
        self._add_day(self._today + timedelta(days=self._settings.days_ahead), out)

    def _add_day(self, day: date, out: list[Change] | None) -> None:
        explicit = self._settings.sport_ids is not None
        for sport_id in self._sports:
            for fixture in fixtures(
                self._catalog, self._seed, sport_id, day, self._settings.all_sports or explicit
            ):
                e = self._make_event(fixture)
                if e is None or out is None:
                    continue
                now = self._now_us
                out.append(EventChange(event=e.header(now), received_ts=now / 1e6))
                e.last_version = e.game.state.version
                for be in e.books:  # openers now; other markets open with the re-quotes
                    self._engine.quote_book(e, be, now, out, main_only=True)

    def _make_event(self, fx: Fixture) -> EventSim | None:
        eid = event_id(fx.sport_id, fx.away.team_id, fx.home.team_id, fx.start)
        if eid in self._by_id:
            return None
        sport = MODELS[fx.sport_id]
        start_us = _to_us(fx.start)
        event = Event(
            event_id=eid,
            event_uuid=event_uuid(eid),
            sport_id=fx.sport_id,
            event_date=fx.start,
            away_team_id=fx.away.team_id,
            home_team_id=fx.home.team_id,
            rotation_number_away=fx.rotation_away,
            rotation_number_home=fx.rotation_away + 1,
            season_type=2,
            season_year=fx.season_year,
            week=fx.week,
            neutral_site=False,
            venue_name=fx.home.venue_name,
            venue_location=fx.home.venue_location,
        )
        base = base_line(
            sport,
            team_rating(self._seed, fx.home.team_id, sport),
            team_rating(self._seed, fx.away.team_id, sport),
        )
        truth = TruthPath(self._seed, eid, start_us)
        expect = Expectation(sport, base, truth)
        home = self._rosters.get(fx.home.team_id, [])
        away = self._rosters.get(fx.away.team_id, [])
        game = Game(sport, self._seed, eid, start_us, expect.line_at, home, away)
        groups = build_groups(self._catalog, sport, home, away)
        books = [BookEvent(self._seed, eid, i, b, groups) for i, b in enumerate(self._books)]
        idx = self._next_idx
        self._next_idx += 1
        e = EventSim(
            idx, event, expect, game, Quoter(sport, fx.away.team_id, fx.home.team_id), groups, books
        )
        engine = self._engine
        engine.events[idx] = e
        engine.version += 1
        self._by_id[eid] = e
        now = self._now_us
        if start_us <= now:
            engine.sync(e, now, None)
            if e.stage is not Stage.FINAL:
                engine.live[idx] = e
        else:
            engine.push(start_us, START, idx)
            for be in books:
                u = derive(self._seed, "prepull", eid, be.book.affiliate_id) / 2.0**64
                if u < be.book.prepull:
                    t = start_us - int((120 + 780 * (u / be.book.prepull)) * SECOND)
                    if t > now:
                        engine.push(t, PREPULL, idx, be.index)
        for i, jump in enumerate(truth.jumps):
            t = truth.jump_time_us(jump)
            if jump.pulls and now < t < start_us + JUMP_HORIZON_US:
                engine.push(t, JUMP, idx, i)
        return e
