"""The market engine: re-quotes, pulls, suspensions and the game lifecycle.

Timed actions (game starts, news jumps, pulls before the start, re-opening after a
pull) sit in one heap keyed by simulated time; everything random comes from the
engine's own seeded stream, in a fixed order, so a run is reproducible.
"""

from __future__ import annotations

import heapq
from random import Random

from oddswire.model.change import Change, EventChange, PriceStatus
from oddswire.sim.emit import Stamp, emit, set_status
from oddswire.sim.markets import Kind, Phase
from oddswire.sim.rng import truncated_gauss
from oddswire.sim.state import BookEvent, EventSim, Stage

START, REOPEN, PREPULL, JUMP = 0, 1, 2, 3
SECOND = 1_000_000
#: A live book whose last moneyline is this far from the truth is suspended until it reprices.
GUARD = 0.06
CLOCK_EVERY_US = 30 * SECOND
#: Share of random picks that re-quote a group whose view has not changed since its last quote.
NOISE_ONLY = 0.35

Action = tuple[int, int, int, int, int, int]


class Engine:
    """Holds the events and moves the market; :class:`Simulator` drives it."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.events: dict[int, EventSim] = {}
        self.live: dict[int, EventSim] = {}
        self.heap: list[Action] = []
        #: Bumped whenever an event changes stage or half, or events come and go.
        self.version = 0
        self._seq = 0

    # ------------------------------------------------------------------ actions

    def push(self, t_us: int, kind: int, event: int, book: int = 0, group: int = 0) -> None:
        """Schedule an action; for JUMP the ``book`` slot carries the jump's index."""
        self._seq += 1
        heapq.heappush(self.heap, (t_us, self._seq, kind, event, book, group))

    def run_actions(self, now: int, out: list[Change]) -> None:
        """Run every action due by ``now``."""
        heap = self.heap
        while heap and heap[0][0] <= now:
            _, _, kind, ei, bi, gi = heapq.heappop(heap)
            e = self.events.get(ei)
            if e is None or e.stage is Stage.FINAL:
                continue
            if kind == START:
                self.live[ei] = e
            elif kind == REOPEN:
                group = e.groups[gi]
                gs = e.books[bi].groups[gi]
                if gs is not None and gs.pulled_until <= now and group.phase in e.phases():
                    self.requote(e, bi, gi, now, out, forced=True)
            elif kind == PREPULL and e.stage is Stage.PRE:
                self._pull(e, e.books[bi], now, e.start_us + 1, (Phase.PRE,), None, out)
            elif kind == JUMP:
                self._jump(e, bi, now, out)

    def _jump(self, e: EventSim, jump_index: int, now: int, out: list[Change]) -> None:
        jump = e.truth.jumps[jump_index]
        kinds = (Kind.MONEYLINE, Kind.SPREAD) if jump.da else (Kind.TOTAL, Kind.TEAM_TOTAL)
        for be in e.books:
            until = now + be.book.lag_us + int(self.rng.uniform(3.0, 15.0) * SECOND)
            self._pull(e, be, now, until, e.phases(), kinds, out)

    def _pull(
        self,
        e: EventSim,
        be: BookEvent,
        now: int,
        until: int,
        phases: tuple[Phase, ...],
        kinds: tuple[Kind, ...] | None,
        out: list[Change],
    ) -> None:
        stamp = self.stamp(e, be, now)
        for group in e.groups:
            gs = be.groups[group.index]
            if gs is None or group.phase not in phases or (kinds and group.kind not in kinds):
                continue
            if until > gs.pulled_until:
                gs.pulled_until = until
                self.push(until, REOPEN, e.idx, be.index, group.index)
            set_status(stamp, group, gs, PriceStatus.OFF_BOARD, out)

    # ------------------------------------------------------------------ quoting

    def stamp(self, e: EventSim, be: BookEvent, now: int) -> Stamp:
        return Stamp(
            e.event.event_id,
            be.book.affiliate_id,
            (now - int(be.book.latency_s * SECOND)) / 1e6,
            now / 1e6,
        )

    def requote(
        self,
        e: EventSim,
        bi: int,
        gi: int,
        now: int,
        out: list[Change],
        forced: bool = False,
        closing_at: int | None = None,
    ) -> int:
        """Re-price one book's group from its current view; returns changes emitted."""
        be = e.books[bi]
        gs = be.groups[gi]
        if gs is None or (now < gs.pulled_until and closing_at is None):
            return 0
        group = e.groups[gi]
        book = be.book
        view = e.view_for(be, now, closing_at)
        rng = self.rng
        if not forced:
            if gs.view_key == be.view_key and rng.random() > NOISE_ONLY:
                return 0
            if rng.random() < book.pull_rate:
                until = now + int(rng.uniform(20.0, 240.0) * SECOND)
                gs.pulled_until = until
                self.push(until, REOPEN, e.idx, bi, gi)
                return set_status(self.stamp(e, be, now), group, gs, PriceStatus.OFF_BOARD, out)
        gs.view_key = be.view_key
        eps = truncated_gauss(rng, book.noise, 2.5)
        live = e.stage is Stage.LIVE and closing_at is None
        entries = e.quoter.quote(
            group, view, book, gs.mains, eps, e.game.state.stats if live else None, be.prop_bias
        )
        if group.kind is Kind.MONEYLINE and group.scope == 0:
            ph, _, pa = view.full.win()
            be.last_p = ph / (ph + pa) if ph + pa > 0 else 0.5
        return emit(self.stamp(e, be, now), group, gs, entries, out, closing_at is not None)

    def quote_book(
        self, e: EventSim, be: BookEvent, now: int, out: list[Change], main_only: bool = False
    ) -> None:
        """A book's full current quote of an event (when the event enters the board).

        Pregame groups of a game already under way are recorded as their closing lines;
        ``main_only`` posts just the full-game moneyline, spread and total (openers).
        """
        phases = e.phases()
        for group in e.groups:
            if be.groups[group.index] is None or (main_only and not group.main):
                continue
            if group.phase in phases:
                self.requote(e, be.index, group.index, now, out, forced=True)
            elif group.phase is Phase.PRE and e.stage is not Stage.PRE:
                self.requote(e, be.index, group.index, now, out, forced=True, closing_at=e.start_us)

    def _requote_phase(self, e: EventSim, phase: Phase, now: int, out: list[Change]) -> None:
        for group in e.groups:
            if group.phase is phase and group.kind <= Kind.TOTAL:
                for bi in e.covered[group.index]:
                    self.requote(e, bi, group.index, now, out, forced=True)

    def _close(self, e: EventSim, phases: tuple[Phase, ...], now: int, out: list[Change]) -> None:
        for be in e.books:
            stamp = self.stamp(e, be, now)
            for group in e.groups:
                gs = be.groups[group.index]
                if gs is not None and group.phase in phases:
                    set_status(stamp, group, gs, PriceStatus.CLOSED, out)

    # ---------------------------------------------------------------- lifecycle

    def sync(self, e: EventSim, now: int, out: list[Change] | None) -> None:
        """Advance a started game to ``now``; emit status changes, suspensions and closings.

        With ``out`` None (at construction) the stages are set silently.
        """
        st = e.game.advance(now)
        sink: list[Change] = [] if out is None else out
        if (e.stage is Stage.PRE and st.status.is_live) or (st.final and e.stage is Stage.PRE):
            self._close(e, (Phase.PRE,), now, sink)
            e.stage = Stage.LIVE
            e.half = 1
            e.refresh_picks()
            self.version += 1
            if out is not None and not st.final:
                self._requote_phase(e, Phase.LIVE, now, out)
                self._requote_phase(e, Phase.LIVE_H1, now, out)
        if e.stage is Stage.LIVE and e.half == 1 and st.half == 2:
            self._close(e, (Phase.LIVE_H1,), now, sink)
            e.half = 2
            e.refresh_picks()
            self.version += 1
            if out is not None and not st.final:
                self._requote_phase(e, Phase.LIVE_H2, now, out)
        score = (st.home, st.away)
        if e.stage is Stage.LIVE and not st.final and out is not None:
            if score != e.last_score and e.sport.key not in ("nba", "ncaab"):
                self._suspend(e, now, out, None)
            elif e.game.tick != e.guard_tick:
                self._suspend(e, now, out, e.true_view(now).full.win())
            e.guard_tick = e.game.tick
        e.last_score = score
        if st.final and e.stage is not Stage.FINAL:
            self._close(e, (Phase.LIVE, Phase.LIVE_H1, Phase.LIVE_H2), now, sink)
            e.stage = Stage.FINAL
            e.refresh_picks()
            self.version += 1
            self.live.pop(e.idx, None)
        if out is not None:
            self._header(e, now, out)

    def _header(self, e: EventSim, now: int, out: list[Change]) -> None:
        st = e.game.state
        due = st.clock != e.event.score.game_clock and now - e.last_clock_us >= CLOCK_EVERY_US
        if st.version != e.last_version or due:
            out.append(EventChange(event=e.header(now), received_ts=now / 1e6))
            e.last_version = st.version
            e.last_clock_us = now

    def _suspend(
        self, e: EventSim, now: int, out: list[Change], win: tuple[float, float, float] | None
    ) -> None:
        """Suspend live main markets until they reprice.

        With ``win`` None (a score in a sport where scores are rare) every book suspends;
        otherwise only books whose last moneyline is more than GUARD off the truth ``win``
        (basketball scores, and the clock running down, move prices little by little).
        """
        phases = e.phases()
        kinds = (Kind.MONEYLINE, Kind.SPREAD, Kind.TOTAL)
        p_true = -1.0
        if win is not None:
            ph, _, pa = win
            p_true = ph / (ph + pa) if ph + pa > 0 else 0.5
        for be in e.books:
            if win is not None and (be.last_p < 0 or abs(be.last_p - p_true) <= GUARD):
                continue
            ml = be.groups[e.live_ml] if e.live_ml >= 0 else None
            if win is not None and ml is not None and ml.pulled_until > now:
                continue  # already off the board, repricing
            delay = 3.0 + be.book.lag_s * 0.3 + self.rng.uniform(2.0, 8.0)
            self._pull(e, be, now, now + int(delay * SECOND), phases, kinds, out)
