"""Shared helpers for the simulator tests: run a simulator into a board and read it back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from oddswire.board import Board
from oddswire.board.state import EventState
from oddswire.model.change import Change, PriceChange, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.model.lines import format_number
from oddswire.refdata import OVER, UNDER, load_catalog
from oddswire.sim import SimSettings, Simulator

START = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
OPEN = PriceStatus.OPEN


def implied(price: float) -> float:
    return 100.0 / (price + 100.0) if price > 0 else -price / (100.0 - price)


def make(start: datetime = START, **settings: object) -> Simulator:
    return Simulator(load_catalog(), SimSettings(**settings), start)  # type: ignore[arg-type]


def booted(sim: Simulator) -> Board:
    board = Board()
    for chunk in sim.bootstrap():
        batch = board.apply(chunk)
        assert not batch.rejected
    return board


@dataclass
class Market:
    """One market of one event as the board holds it, by book."""

    event: EventState
    market_id: int
    period_id: int
    kind: str
    #: affiliate -> (participant_id, line) -> (price, status, is_main)
    books: dict[int, dict[tuple[int, str], tuple[float, PriceStatus, bool]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    _pairs: dict[int, list[list[tuple[tuple[int, str], float, bool]]]] = field(default_factory=dict)

    def pairs(self, affiliate: int) -> list[list[tuple[tuple[int, str], float, bool]]]:
        """Complete open markets of a book: moneyline sets, or two sides of one line."""
        cached = self._pairs.get(affiliate)
        if cached is None:
            cached = self._pairs[affiliate] = list(self._find_pairs(affiliate))
        return cached

    def _find_pairs(self, affiliate: int) -> Iterator[list[tuple[tuple[int, str], float, bool]]]:
        quotes = self.books[affiliate]
        open_ = {k: v for k, v in quotes.items() if v[1] is OPEN}
        if self.kind == "moneyline":
            keys = list(quotes)
            if keys and all(k in open_ for k in keys):
                yield [(k, open_[k][0], open_[k][2]) for k in keys]
            return
        for (pid, line), (price, _, main) in open_.items():
            other = self.other_side(pid, line)
            if other is None or other not in open_ or (pid, line) > other:
                continue
            yield [((pid, line), price, main), (other, open_[other][0], open_[other][2])]

    def other_side(self, pid: int, line: str) -> tuple[int, str] | None:
        if self.kind == "total":
            return (UNDER if pid == OVER else OVER, line)
        if self.kind in ("team_total", "player_prop"):
            if line.startswith("Over "):
                return (pid, "Under " + line[5:])
            return (pid, "Over " + line[6:])
        if self.kind == "spread":
            ev = self.event.event
            other = ev.home_team_id if pid == ev.away_team_id else ev.away_team_id
            return (other, format_number(-float(line)))
        return None


def markets(board: Board) -> list[Market]:
    """Markets of unfinished events, with their OPEN and OFF_BOARD prices (closed ones left out)."""
    catalog = load_catalog()
    closed = PriceStatus.CLOSED
    out: list[Market] = []
    for state in board.events():
        if state.event.status is EventStatus.FINAL:
            continue
        for (market_id, period_id), market in state.markets.items():
            m = Market(state, market_id, period_id, catalog.markets[market_id].kind)
            for lines in market.participants.values():
                for line in lines:
                    key = (line.participant_id, line.line)
                    for affiliate, price in line.items():
                        if price.status is not closed:
                            m.books[affiliate][key] = (
                                price.price,
                                price.status,
                                price.is_main_line,
                            )
            if m.books:
                out.append(m)
    return out


def price_changes(changes: list[Change]) -> list[PriceChange]:
    return [c for c in changes if isinstance(c, PriceChange)]


ArbKey = tuple[str, int, int, tuple[tuple[int, str], ...]]


def best_legs(m: Market) -> dict[tuple[tuple[int, str], ...], list[float]]:
    """For each complete set of sides, the best (lowest) implied probability of each side."""
    out: dict[tuple[tuple[int, str], ...], list[float]] = {}
    for affiliate in m.books:
        for legs in m.pairs(affiliate):
            key = tuple(sorted(k for k, _, _ in legs))
            imps = {k: implied(p) for k, p, _ in legs}
            best = out.get(key)
            if best is None:
                out[key] = [imps[k] for k in key]
            else:
                out[key] = [min(b, imps[k]) for b, k in zip(best, key, strict=True)]
    return out


def arbitrages(ms: list[Market]) -> set[ArbKey]:
    found: set[ArbKey] = set()
    for m in ms:
        for key, best in best_legs(m).items():
            if sum(best) < 1.0:
                found.add((m.event.event.event_id, m.market_id, m.period_id, key))
    return found
