"""Synthetic but realistic change streams for the benchmarks, built from canonical ids.

A :class:`Universe` is a slate of events across sports, each with moneyline, spread
(main and alternates), total (main and alternates) and, for basketball, player props,
quoted by 12-14 books. :func:`initial_changes` puts every event and price on a board
once; a :class:`ChangeStream` then walks prices like a market does: most changes move
a price a few cents, about 5% pull a price off the board or put it back, about 10%
repeat what the book already shows (no-ops the board must drop), and a few flip the
main-line flag. Everything is deterministic for a seed, and timestamps only increase.

Generation is never timed; the benchmarks pre-generate before they start a clock.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from oddswire.model.change import EventChange, ParticipantType, PriceChange, PriceStatus
from oddswire.model.event import Event
from oddswire.model.ids import event_id, event_uuid, player_id
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, format_number, format_side
from oddswire.refdata.results import OVER, UNDER

BOOKS = (2, 3, 4, 6, 7, 9, 11, 19, 21, 22, 23, 24, 28, 32)
MONEYLINE, SPREAD, TOTAL = 1, 2, 3
PROP_MARKETS = ((29, 22.5, 8.0), (35, 7.5, 4.0), (39, 5.5, 3.0))  # market, mean, spread
START = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
CLOCK_START = 1_772_380_800.0  # 2026-03-01T16:00Z: source and receive clocks start here

# sport_id -> (typical total, main spread choices, line step, share of the slate)
_SPORTS: dict[int, tuple[float, tuple[float, ...], float, float]] = {
    4: (224.5, (1.5, 3.5, 4.5, 6.5, 8.5, 11.5), 1.0, 0.25),  # NBA
    5: (145.5, (2.5, 4.5, 7.5, 10.5), 1.0, 0.20),  # NCAAB
    2: (44.5, (2.5, 3.5, 6.5, 9.5), 1.0, 0.10),  # NFL
    1: (55.5, (3.5, 7.5, 13.5, 20.5), 1.0, 0.10),  # NCAAF
    3: (8.5, (1.5,), 0.5, 0.20),  # MLB
    6: (6.5, (1.5,), 0.5, 0.15),  # NHL
}
_PROP_SPORTS = frozenset({4, 5})
_PLAYERS_PER_TEAM = 4

# Ladder: American prices without the gap (-100, 100). Ladder value L >= 100 is price L,
# L < 100 is price L - 200 (99 -> -101), so one step is one cent either side of even.
_LADDER_MIN, _LADDER_MAX = -800, 1500
_STEPS = (1, 1, 1, 2, 2, 3, 5, 10)

NOOP_SHARE = 0.10
#: A pull; the key comes back on its next move, so pulls and returns make ~5% of changes.
TOGGLE_SHARE = 0.025
FLIP_SHARE = 0.003


def ladder_to_price(ladder: int) -> int:
    """The American price of a ladder value (never in (-100, 100))."""
    return ladder if ladder >= 100 else ladder - 200


def price_to_ladder(price: int) -> int:
    """The inverse of :func:`ladder_to_price`."""
    return price if price >= 100 else price + 200


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One line of one market of one event, and the books quoting it."""

    event_id: str
    market_id: int
    period_id: int
    participant_id: int
    participant_type: ParticipantType
    line: str
    is_main_line: bool
    center: int  # starting price
    books: tuple[int, ...]
    weight: float  # how often it moves, relative to other lines


@dataclass(slots=True)
class Universe:
    """Events and lines; every (line, book) pair is a key the streams move."""

    events: list[Event]
    lines: list[LineSpec]
    seed: int

    @property
    def key_count(self) -> int:
        return sum(len(spec.books) for spec in self.lines)


def _books(book_rng: random.Random) -> tuple[int, ...]:
    count = book_rng.randint(12, 14)
    return tuple(sorted(book_rng.sample(BOOKS, count)))


def _event(rng: random.Random, sport_id: int, index: int) -> Event:
    base = sport_id * 10_000
    away = base + 2 * index + 1
    home = base + 2 * index + 2
    start = START + timedelta(minutes=30 * (index % 96), days=index // 96)
    eid = event_id(sport_id, away, home, start)
    return Event(
        event_id=eid,
        event_uuid=event_uuid(eid),
        sport_id=sport_id,
        event_date=start,
        away_team_id=away,
        home_team_id=home,
        rotation_number_away=100 + 2 * index + 1,
        rotation_number_home=100 + 2 * index + 2,
        season_year=2026,
        venue_name=f"Arena {rng.randint(1, 400)}",
    )


def _alternates(main: float, step: float) -> list[float]:
    if main - 2 * step > 0:
        return [main - 2 * step, main - step, main + step, main + 2 * step]
    return [main + step, main + 2 * step, main + 3 * step, main + 4 * step]


def _event_lines(rng: random.Random, event: Event) -> list[LineSpec]:
    total, spreads, step, _share = _SPORTS[event.sport_id]
    books = _books(rng)
    prop_books = books[: max(8, len(books) - 4)]
    eid = event.event_id
    away, home = event.away_team_id, event.home_team_id
    team = ParticipantType.TEAM
    out: list[LineSpec] = []

    def add(
        market: int, participant: int, ptype: ParticipantType, line: str, main: bool, center: int
    ) -> None:
        weight = (3.0 if main else 1.0) * (0.6 if ptype is ParticipantType.PLAYER else 1.0)
        quoting = prop_books if ptype is ParticipantType.PLAYER else books
        out.append(
            LineSpec(eid, market, 0, participant, ptype, line, main, center, quoting, weight)
        )

    spread = rng.choice(spreads)
    favourite_home = rng.random() < 0.6
    fav, dog = (home, away) if favourite_home else (away, home)
    fav_price = -int(110 + 25 * spread * rng.uniform(0.8, 1.2))
    add(MONEYLINE, fav, team, "", True, max(fav_price, -900))
    add(MONEYLINE, dog, team, "", True, min(-fav_price - 20, 880))
    for value in [spread, *_alternates(spread, step)]:
        shift = round((value - spread) / step) * 18
        main = value == spread
        add(SPREAD, fav, team, format_number(-value), main, _shifted(-110, shift))
        add(SPREAD, dog, team, format_number(value), main, _shifted(-110, -shift))
    center_total = total + step * rng.randint(-6, 6)
    for value in [center_total, *_alternates(center_total, step)]:
        shift = round((value - center_total) / step) * 18
        main = value == center_total
        add(TOTAL, OVER, ParticipantType.RESULT, format_number(value), main, _shifted(-110, shift))
        add(
            TOTAL, UNDER, ParticipantType.RESULT, format_number(value), main, _shifted(-110, -shift)
        )
    if event.sport_id in _PROP_SPORTS:
        for team_id in (away, home):
            for slot in range(_PLAYERS_PER_TEAM):
                player = player_id(team_id, slot)
                for market, mean, width in PROP_MARKETS:
                    value = max(0.5, round(rng.gauss(mean, width)) + 0.5)
                    for side, center in ((OVER_SIDE, -115), (UNDER_SIDE, -105)):
                        add(
                            market,
                            player,
                            ParticipantType.PLAYER,
                            format_side(side, value),
                            True,
                            center,
                        )
    return out


def _shifted(price: int, cents: int) -> int:
    return ladder_to_price(min(max(price_to_ladder(price) + cents, _LADDER_MIN), _LADDER_MAX))


def build_universe(events: int, seed: int = 1) -> Universe:
    """A slate of ``events`` events (sports mixed by their share) and all their lines."""
    rng = random.Random(seed)
    sports = list(_SPORTS)
    shares = [_SPORTS[s][3] for s in sports]
    counters = dict.fromkeys(sports, 0)
    slate: list[Event] = []
    lines: list[LineSpec] = []
    for _ in range(events):
        sport_id = rng.choices(sports, shares)[0]
        event = _event(rng, sport_id, counters[sport_id])
        counters[sport_id] += 1
        slate.append(event)
        lines.extend(_event_lines(rng, event))
    return Universe(slate, lines, seed)


def universe_for_keys(keys: int, seed: int = 1) -> Universe:
    """The smallest slate with at least ``keys`` (line, book) keys."""
    events = max(1, keys // 450)
    while True:
        universe = build_universe(events, seed)
        if universe.key_count >= keys:
            return universe
        events = max(events + 1, int(events * keys / max(universe.key_count, 1)) + 1)


class Clock:
    """Strictly increasing receive time; each book stamps its source time a fixed lag earlier."""

    __slots__ = ("lags", "now")

    def __init__(self, rng: random.Random) -> None:
        self.now = CLOCK_START
        self.lags = {book: rng.uniform(0.02, 0.4) for book in BOOKS}

    def tick(self, rng: random.Random) -> float:
        self.now += rng.uniform(2e-6, 2e-4)
        return self.now


def initial_changes(
    universe: Universe, *, limit: int | None = None, batch: int = 1000
) -> Iterator[list[PriceChange | EventChange]]:
    """Every event, then the first price of every key (at most ``limit`` prices), in batches.

    Strings and floats are fresh objects per change, as a decoder would make them.
    """
    rng = random.Random(universe.seed * 7919 + 1)
    clock = Clock(rng)
    out: list[PriceChange | EventChange] = []
    for event in universe.events:
        out.append(EventChange(event=event, received_ts=clock.tick(rng)))
        if len(out) >= batch:
            yield out
            out = []
    keys = itertools.islice(((spec, book) for spec in universe.lines for book in spec.books), limit)
    for spec, book in keys:
        now = clock.tick(rng)
        noise = rng.randint(-6, 6)
        out.append(
            PriceChange(
                event_id=spec.event_id,
                market_id=spec.market_id,
                period_id=spec.period_id,
                participant_id=spec.participant_id,
                participant_type=spec.participant_type,
                line="".join(spec.line),
                affiliate_id=book,
                price=float(_shifted(spec.center, noise)),
                is_main_line=spec.is_main_line,
                source_ts=now - clock.lags[book],
                received_ts=now,
            )
        )
        if len(out) >= batch:
            yield out
            out = []
    if out:
        yield out


@dataclass(slots=True)
class StreamCounts:
    """What a :class:`ChangeStream` produced, by kind (for checks, not for timing)."""

    changes: int = 0
    noops: int = 0
    moves: int = 0
    toggles: int = 0
    flips: int = 0

    @property
    def effective(self) -> int:
        """Changes the board must apply (everything but the no-ops)."""
        return self.changes - self.noops


class ChangeStream:
    """The live stream over a universe whose keys were put on the board by
    :func:`initial_changes` (same universe, so the same starting prices)."""

    def __init__(self, universe: Universe, seed: int | None = None) -> None:
        self.universe = universe
        self.rng = random.Random(universe.seed if seed is None else seed)
        init_rng = random.Random(universe.seed * 7919 + 1)
        self.clock = Clock(init_rng)
        self._specs: list[LineSpec] = []
        self._books: list[int] = []
        ladder: list[int] = []
        weights: list[float] = []
        for _event in universe.events:
            self.clock.tick(init_rng)
        for spec in universe.lines:
            for book in spec.books:
                self.clock.tick(init_rng)
                noise = init_rng.randint(-6, 6)
                self._specs.append(spec)
                self._books.append(book)
                ladder.append(price_to_ladder(_shifted(spec.center, noise)))
                weights.append(spec.weight * (2.0 if book == 3 else 1.0))
        self._ladder = ladder
        self._open = [True] * len(ladder)
        self._main = [spec.is_main_line for spec in self._specs]
        self._cum_weights = list(itertools.accumulate(weights))
        self.counts = StreamCounts()

    def take(self, count: int) -> list[PriceChange]:
        """The next ``count`` changes."""
        rng = self.rng
        random_ = rng.random
        choice = rng.choice
        tick = self.clock.tick
        lags = self.clock.lags
        specs, books, ladder, is_open, main = (
            self._specs,
            self._books,
            self._ladder,
            self._open,
            self._main,
        )
        counts = self.counts
        indexes = rng.choices(range(len(specs)), cum_weights=self._cum_weights, k=count)
        out: list[PriceChange] = []
        append = out.append
        for i in indexes:
            spec = specs[i]
            roll = random_()
            status = PriceStatus.OPEN if is_open[i] else PriceStatus.OFF_BOARD
            if roll < NOOP_SHARE:
                counts.noops += 1
            elif roll < NOOP_SHARE + TOGGLE_SHARE or not is_open[i]:
                counts.toggles += 1
                if is_open[i]:
                    status = PriceStatus.OFF_BOARD
                    is_open[i] = False
                else:
                    status = PriceStatus.OPEN
                    is_open[i] = True
                    ladder[i] = self._moved(
                        ladder[i], choice(_STEPS) * (1 if random_() < 0.5 else -1)
                    )
            elif roll < NOOP_SHARE + TOGGLE_SHARE + FLIP_SHARE:
                counts.flips += 1
                main[i] = not main[i]
            else:
                counts.moves += 1
                ladder[i] = self._moved(ladder[i], choice(_STEPS) * (1 if random_() < 0.5 else -1))
            now = tick(rng)
            book = books[i]
            append(
                PriceChange(
                    event_id=spec.event_id,
                    market_id=spec.market_id,
                    period_id=spec.period_id,
                    participant_id=spec.participant_id,
                    participant_type=spec.participant_type,
                    line=spec.line,
                    affiliate_id=book,
                    price=float(ladder_to_price(ladder[i])),
                    status=status,
                    is_main_line=main[i],
                    source_ts=now - lags[book],
                    received_ts=now,
                )
            )
        counts.changes += count
        return out

    @staticmethod
    def _moved(value: int, step: int) -> int:
        moved = value + step
        if moved < _LADDER_MIN or moved > _LADDER_MAX:
            moved = value - step
        return moved


def batches(changes: list[PriceChange], size: int = 1000) -> list[list[PriceChange]]:
    """Split a stream into submission batches (done before any clock starts)."""
    return [changes[i : i + size] for i in range(0, len(changes), size)]
