"""Steam: several books moving the same side the same way within a short window.

Each look at a line records, per book, a move from the open main-line price seen at the
previous look to the open main-line price now (so wiggles between looks are netted,
which is all steam needs), stamped with when the book moved. A line steams when at
least ``steam_min_books`` books each moved it, net over the last ``steam_window``
seconds, by ``steam_min_move_pp`` or more in the same direction. The first of them to
move is the leader. The steam ends when the moves age out of the window (or reverse).
"""

from __future__ import annotations

from collections import deque

from oddswire.analytics.detect.common import Context, is_live, opportunity_id
from oddswire.analytics.detect.quotes import quote_time, to_decimal
from oddswire.board import LineState
from oddswire.board.state import SLOT_BOOKS
from oddswire.model.change import PriceStatus
from oddswire.model.opportunity import Leg, Movement, Opportunity, OpportunityKind

OPEN = PriceStatus.OPEN

#: (when, book slot, price before, price after)
Move = tuple[float, int, float, float]


class SteamTracker:
    def __init__(self, window: float) -> None:
        self.window = window
        self._moves: dict[LineState, deque[Move]] = {}
        #: Per line, the open main-line price of each book slot at the last look.
        self._seen: dict[LineState, list[float | None]] = {}

    def __len__(self) -> int:
        return len(self._moves)

    def observe(self, line: LineState) -> int:
        """Record every book's move on the line since the last look; returns how many."""
        seen = self._seen.get(line)
        books = line.books
        if seen is None:
            self._seen[line] = [
                s.price if s is not None and s.status == OPEN and s.is_main_line else None
                for s in books
            ]
            return 0
        if len(seen) < len(books):
            seen.extend([None] * (len(books) - len(seen)))
        moved = 0
        for slot, state in enumerate(books):
            now = (
                state.price
                if state is not None and state.status == OPEN and state.is_main_line
                else None
            )
            before = seen[slot]
            if now == before:
                continue
            seen[slot] = now
            if now is None or before is None or state is None:
                continue  # pulled, or back: not a move
            moves = self._moves.get(line)
            if moves is None:
                moves = self._moves[line] = deque()
            moves.append((quote_time(state), slot, before, now))
            moved += 1
        return moved

    def forget(self, line: LineState) -> None:
        self._moves.pop(line, None)
        self._seen.pop(line, None)

    def due(self, line: LineState) -> float | None:
        """When the oldest recorded move leaves the window."""
        moves = self._moves.get(line)
        return moves[0][0] + self.window if moves else None

    def find(self, line: LineState, ctx: Context) -> Opportunity | None:
        moves = self._moves.get(line)
        if not moves:
            return None
        start = ctx.now - self.window
        while moves and moves[0][0] < start:
            moves.popleft()
        if not moves:
            del self._moves[line]
            return None
        net: dict[int, float] = {}
        first: dict[int, float] = {}
        for stamp, slot, before, after in moves:
            move = 1.0 / to_decimal(after) - 1.0 / to_decimal(before)
            net[slot] = net.get(slot, 0.0) + move
            first.setdefault(slot, stamp)
        settings = ctx.settings
        threshold = settings.steam_min_move_pp / 100.0
        up = [slot for slot, total in net.items() if total >= threshold]
        down = [slot for slot, total in net.items() if total <= -threshold]
        movers = up if len(up) >= len(down) else down
        if len(movers) < settings.steam_min_books:
            return None
        direction = "shortening" if movers is up else "drifting"
        return _opportunity(line, movers, net, first, direction, ctx)


def _opportunity(
    line: LineState,
    movers: list[int],
    net: dict[int, float],
    first: dict[int, float],
    direction: str,
    ctx: Context,
) -> Opportunity:
    legs: list[Leg] = []
    before: list[float] = []
    after: list[float] = []
    for slot in sorted(movers, key=lambda s: first[s]):
        state = line.books[slot] if slot < len(line.books) else None
        if state is None or state.status != OPEN:
            continue
        probability = 1.0 / to_decimal(state.price)
        before.append(probability - net[slot])
        after.append(probability)
        legs.append(
            Leg(
                affiliate_id=SLOT_BOOKS[slot],
                participant_id=line.participant_id,
                participant_type=line.participant_type,
                line=line.line,
                price=state.price,
                wager=0.0,
                payout=0.0,
                age_seconds=max(0.0, ctx.now - quote_time(state)),
            )
        )
    leader = min(movers, key=lambda s: first[s])
    start = sum(before) / len(before) if before else 0.0
    end = sum(after) / len(after) if after else 0.0
    market = ctx.catalog.markets.get(line.market_id)
    event = line.event
    return Opportunity(
        id=opportunity_id("steam", line.key, direction),
        kind=OpportunityKind.STEAM,
        event_id=event.event.event_id,
        sport_id=event.event.sport_id,
        market_id=line.market_id,
        period_id=line.period_id,
        legs=tuple(legs),
        profit_pct=abs(end - start) * 100.0,
        movement=Movement(
            probability_from=start,
            probability_to=end,
            move_pp=(end - start) * 100.0,
            window_seconds=ctx.settings.steam_window,
            leader_affiliate_id=SLOT_BOOKS[leader],
        ),
        is_live=is_live(event, bool(market and market.live)),
        is_main_line=True,
        is_prop=bool(market and market.kind == "player_prop"),
        detected_ts=ctx.now,
        updated_ts=ctx.now,
        board_sequence=ctx.board_sequence,
    )
