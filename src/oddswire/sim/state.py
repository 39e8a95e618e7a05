"""Runtime state of simulated events: per event, per book, per market group."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum

from msgspec.structs import replace

from oddswire.model.change import PriceChange
from oddswire.model.event import Event, Score
from oddswire.sim.books import Book
from oddswire.sim.game import TICK_US, Game, GameState
from oddswire.sim.markets import Group, Kind, Phase
from oddswire.sim.plan import display_clock
from oddswire.sim.quoting import Quoter
from oddswire.sim.rng import make_rng, truncated_gauss
from oddswire.sim.sports import SportModel
from oddswire.sim.truth import BaseLine, TruthPath, apply_latent
from oddswire.sim.view import View, build_view

#: Live views are rebuilt at least this often (the clock moves the prices).
LIVE_VIEW_US = 6 * TICK_US


class Stage(IntEnum):
    PRE = 0
    LIVE = 1
    FINAL = 2


class GroupState:
    """One book's quotes on one group: its last change per (participant, line)."""

    __slots__ = ("mains", "pulled_until", "quotes", "view_key")

    def __init__(self) -> None:
        self.quotes: dict[tuple[int, str], PriceChange] = {}
        self.mains: list[float] = []
        self.pulled_until = 0
        self.view_key: tuple[int, int, int] = (-1, -1, -1)


class BookEvent:
    """One book on one event: its persistent bias and its groups."""

    __slots__ = (
        "bias_a",
        "bias_b",
        "book",
        "groups",
        "index",
        "last_p",
        "prop_bias",
        "view",
        "view_key",
    )

    def __init__(
        self, seed: int, event_id: str, index: int, book: Book, groups: list[Group]
    ) -> None:
        rng = make_rng(seed, "bias", event_id, book.affiliate_id)
        self.book = book
        self.index = index
        self.bias_a = truncated_gauss(rng, book.bias_sd)
        self.bias_b = truncated_gauss(rng, book.bias_sd)
        self.prop_bias = truncated_gauss(rng, 0.5 * book.bias_sd)
        self.groups: list[GroupState | None] = []
        for group in groups:
            covered = True
            if group.profile is not None:
                covered = rng.random() < book.props
            elif group.scope and not book.halves:
                covered = False
            self.groups.append(GroupState() if covered else None)
        self.view: View | None = None
        self.view_key: tuple[int, int, int] = (-1, -1, -1)
        #: The home win probability of this book's last moneyline quote.
        self.last_p = -1.0


class Expectation:
    """The true expectations of one event over time (the game scores from these)."""

    __slots__ = ("_line", "_minute", "base", "sport", "truth")

    def __init__(self, sport: SportModel, base: BaseLine, truth: TruthPath) -> None:
        self.sport = sport
        self.base = base
        self.truth = truth
        self._minute = -1
        self._line = base

    def line_at(self, t_us: int) -> BaseLine:
        minute = self.truth.minute_of(t_us)
        if minute != self._minute:
            a, b = self.truth.latent(minute)
            self._line = apply_latent(self.sport, self.base, a, b)
            self._minute = minute
        return self._line


class EventSim:
    """One simulated event: its header, truth, game and every book's state."""

    def __init__(
        self,
        idx: int,
        event: Event,
        expect: Expectation,
        game: Game,
        quoter: Quoter,
        groups: list[Group],
        books: list[BookEvent],
    ) -> None:
        self.idx = idx
        self.event = event
        self.expect = expect
        self.sport = expect.sport
        self.base = expect.base
        self.truth = expect.truth
        self.game = game
        self.quoter = quoter
        self.groups = groups
        self.books = books
        self.start_us = game.start_us
        self.stage = Stage.PRE
        self.half = 1
        self.last_version = -1
        self.last_clock_us = 0
        self.last_score = (0, 0)
        self.guard_tick = -1
        #: The live full-game moneyline group (-1 if none).
        self.live_ml = next(
            (g.index for g in groups if g.phase is Phase.LIVE and g.kind is Kind.MONEYLINE), -1
        )
        #: Per group, the books that offer it; and the groups on offer now with weights.
        self.covered = [[b.index for b in books if b.groups[g.index] is not None] for g in groups]
        self.pick_groups: list[int] = []
        self.pick_cum: list[float] = []
        self.refresh_picks()

    def refresh_picks(self) -> None:
        """Recompute which groups random re-quotes choose from (after a phase change)."""
        phases = self.phases()
        self.pick_groups = [
            g.index for g in self.groups if g.phase in phases and self.covered[g.index]
        ]
        acc = 0.0
        self.pick_cum = []
        for gi in self.pick_groups:
            acc += self.groups[gi].weight
            self.pick_cum.append(acc)

    def phases(self) -> tuple[Phase, ...]:
        """The group phases on offer now."""
        if self.stage is Stage.PRE:
            return (Phase.PRE,)
        if self.stage is Stage.FINAL:
            return ()
        return (Phase.LIVE, Phase.LIVE_H1 if self.half == 1 else Phase.LIVE_H2)

    def view_for(self, be: BookEvent, now_us: int, at_us: int | None = None) -> View:
        """The book's view: truth as of (now - its lag), shifted by its bias."""
        t = (now_us if at_us is None else at_us) - be.book.lag_us
        minute = self.truth.minute_of(t)
        live = at_us is None and self.stage is Stage.LIVE
        key = (
            minute,
            self.game.state.version if live else -1,
            now_us // LIVE_VIEW_US if live else -1,
        )
        if key != be.view_key or be.view is None:
            a, b = self.truth.latent(minute)
            line = apply_latent(self.sport, self.base, a + be.bias_a, b + be.bias_b)
            be.view = build_view(self.sport, line, self.game.state if live else None)
            be.view_key = key
        return be.view

    def true_view(self, now_us: int) -> View:
        """The unbiased, unlagged view (the hidden truth)."""
        live = self.stage is Stage.LIVE
        line = self.expect.line_at(now_us)
        return build_view(self.sport, line, self.game.state if live else None)

    def header(self, now_us: int) -> Event:
        """The event header with the game's current status, clock and score."""
        st: GameState = self.game.state
        if (
            st.status is self.event.score.event_status
            and st.version == self.last_version
            and st.clock == self.event.score.game_clock
        ):
            return self.event
        score = Score(
            event_status=st.status,
            event_status_detail=st.detail,
            score_away=st.away,
            score_home=st.home,
            winner_away=st.final and st.away > st.home,
            winner_home=st.final and st.home > st.away,
            score_away_by_period=list(st.away_by_period),
            score_home_by_period=list(st.home_by_period),
            game_clock=st.clock,
            display_clock=display_clock(st.clock),
            game_period=st.period,
            updated_at=datetime.fromtimestamp(now_us / 1e6, UTC),
        )
        self.event = replace(self.event, score=score)
        return self.event
