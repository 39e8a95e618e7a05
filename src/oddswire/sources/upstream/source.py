"""The common path of every upstream feed: raw record -> decode -> resolve -> board.

A vendor adapter supplies a decoder (record -> :class:`Decoded`, no I/O) and a
transport that calls :meth:`UpstreamSource.receive` with each raw message. Everything
after that is here, shared: recording, skipping (and counting) what will not decode,
entity resolution, withdrawals (book clears, removed games, lines a poll no longer
lists) and per-book health. Replaying a recording calls the same ``receive``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, Self

from oddswire.config import Settings
from oddswire.model.change import Change, PriceChange, PriceStatus
from oddswire.sources.base import ChangeSink, Source
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.model import Decoded, DecodeError, Record, Withdrawal
from oddswire.sources.upstream.record import Recorder

log = logging.getLogger("oddswire.sources")

#: A book quoted within this many seconds counts as fed (``/api/v2/affiliates`` status).
BOOK_STALE_SECONDS = 600.0

LineKey = tuple[str, int, int, int, str]


class Decoder(Protocol):
    """A vendor's messages -> what they say. Pure; may keep state between records
    (game headers, the sport a request was for)."""

    def decode(self, record: Record) -> Decoded: ...


@dataclass(slots=True)
class BookHealth:
    quotes: int = 0
    last_quote_at: float = 0.0
    #: How old the vendor's own timestamp of the newest price was when it arrived.
    lag_seconds: float | None = None

    def as_dict(self, now: float) -> dict[str, object]:
        return {
            "quotes": self.quotes,
            "last_quote_age_seconds": round(now - self.last_quote_at, 3)
            if self.last_quote_at
            else None,
            "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 3),
        }


class UpstreamSource(Source):
    """Base of the TheRundown, BoltOdds and The Odds API sources and of replays."""

    #: The vendor whose decoder this source uses (recordings name it).
    vendor = ""

    def __init__(
        self,
        name: str,
        resolver: Resolver,
        decoder: Decoder,
        recorder: Recorder | None = None,
    ) -> None:
        super().__init__(name)
        self.resolver = resolver
        self.decoder = decoder
        self.recorder = recorder
        self.books: dict[int, BookHealth] = {}
        self.skipped = 0
        #: What this source last said per game and book, to withdraw it later.
        self._quoted: dict[tuple[str, int], dict[LineKey, PriceChange]] = {}

    @classmethod
    def from_settings(
        cls, settings: Settings, resolver: Resolver, recorder: Recorder | None
    ) -> Self:
        """The source as ``oddswire serve`` configures it (each vendor defines it)."""
        raise NotImplementedError(f"{cls.__name__} is not configured from settings")

    # ------------------------------------------------------------- the path

    async def receive(self, sink: ChangeSink, record: Record) -> int:
        """Record, decode, resolve and submit one raw message; returns changes applied.

        A record that will not decode is logged and skipped (counted in ``errors``).
        """
        if not record.received_at:
            record = Record(
                kind=record.kind, body=record.body, meta=record.meta, received_at=time.time()
            )
        if self.recorder is not None:
            self.recorder.write(record)
        try:
            decoded = self.decoder.decode(record)
        except DecodeError as exc:
            self.skipped += 1
            self.health.fail(f"skipped a message: {exc}")
            log.warning("%s: skipped a %s message: %s", self.name, record.kind, exc)
            self.health.touch(0)
            return 0
        return await self.apply(sink, decoded, record.received_at)

    async def apply(self, sink: ChangeSink, decoded: Decoded, now: float) -> int:
        changes: list[Change] = []
        newest: dict[int, float] = {}
        resolver = self.resolver
        for problem in decoded.problems:
            resolver.quarantine.add(self.name, problem.kind, problem.text, problem.reason)
        for game in decoded.games:
            _, change = resolver.game(self.name, game)
            if change is not None:
                changes.append(change)
        for withdrawal in decoded.withdrawals:
            changes.extend(self._withdraw(withdrawal, now))
        for quote in decoded.quotes:
            price = resolver.quote(self.name, quote, now)
            if price is None:
                continue
            self._book(quote.affiliate_id, now)
            if quote.source_ts > newest.get(quote.affiliate_id, 0.0):
                newest[quote.affiliate_id] = quote.source_ts
            key = (quote.game_key, quote.affiliate_id)
            lines = self._quoted.get(key)
            if lines is None:
                lines = self._quoted[key] = {}
            lines[price.line_key] = price
            changes.append(price)
        for affiliate_id, source_ts in newest.items():
            self.books[affiliate_id].lag_seconds = max(0.0, now - source_ts)
        for affiliate_id in decoded.books_seen:
            self._book(affiliate_id, now, quotes=0)
        applied = await sink.submit(changes) if changes else 0
        self.health.touch(applied)
        return applied

    def _book(self, affiliate_id: int, now: float, quotes: int = 1) -> BookHealth:
        book = self.books.get(affiliate_id)
        if book is None:
            book = self.books[affiliate_id] = BookHealth()
        book.quotes += quotes
        book.last_quote_at = now
        return book

    def _withdraw(self, withdrawal: Withdrawal, now: float) -> Iterable[PriceChange]:
        """Every line this source quoted that the withdrawal names, at its new status."""
        for (game_key, affiliate_id), lines in self._quoted.items():
            if withdrawal.game_key is not None and game_key != withdrawal.game_key:
                continue
            if withdrawal.affiliate_id is not None and affiliate_id != withdrawal.affiliate_id:
                continue
            if withdrawal.sport_id is not None:
                event = self.resolver.event_of(self.name, game_key)
                if event is None or event.sport_id != withdrawal.sport_id:
                    continue
            for key, last in lines.items():
                if last.status in (withdrawal.status, PriceStatus.CLOSED):
                    continue  # nothing changes; a closed line is not reopened off the board
                pulled = PriceChange(
                    event_id=last.event_id,
                    market_id=last.market_id,
                    period_id=last.period_id,
                    participant_id=last.participant_id,
                    participant_type=last.participant_type,
                    line=last.line,
                    affiliate_id=last.affiliate_id,
                    price=0.0,
                    status=withdrawal.status,
                    is_main_line=last.is_main_line,
                    source_ts=now,
                    received_ts=now,
                )
                lines[key] = pulled
                yield pulled

    def forget(self, event_ids: list[str]) -> None:
        gone = set(event_ids)
        for key in [k for k, lines in self._quoted.items() if _event_of(lines) in gone]:
            del self._quoted[key]
        self.resolver.forget(gone)

    async def close(self) -> None:
        if self.recorder is not None:
            self.recorder.close()

    def quoted_lines(self, game_key: str, affiliate_id: int) -> dict[LineKey, PriceChange]:
        """What this source last said on a game at a book (for polling adapters)."""
        return self._quoted.get((game_key, affiliate_id), {})

    def refresh_health(self) -> None:
        now = time.time()
        self.health.affiliate_ids = sorted(self.fed_books(now))
        stats = self.resolver.stats.get(self.name)
        self.health.detail["books"] = {
            str(affiliate_id): book.as_dict(now)
            for affiliate_id, book in sorted(self.books.items())
        }
        self.health.detail["skipped_messages"] = self.skipped
        if stats is not None:
            self.health.detail["resolution"] = {
                "games": stats.games,
                "events_created": stats.events_created,
                "quotes": stats.quotes,
                "shadowed": stats.shadowed,
                "unresolved": stats.unresolved,
            }
        if self.recorder is not None:
            self.health.detail["recording"] = self.recorder.path

    def fed_books(self, now: float) -> list[int]:
        """Books this source quoted recently (what it currently feeds)."""
        return [a for a, b in self.books.items() if now - b.last_quote_at < BOOK_STALE_SECONDS]


def _event_of(lines: dict[LineKey, PriceChange]) -> str | None:
    for key in lines:
        return key[0]
    return None
