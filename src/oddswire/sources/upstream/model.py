"""What upstream feeds say, in vendor-neutral terms, before entity resolution.

A vendor adapter turns each raw message (a :class:`Record`) into a :class:`Decoded`:
the games it mentions (:class:`UpstreamGame`, keyed by the vendor's own game key),
the prices it quotes (:class:`UpstreamQuote`, naming teams and players as the vendor
writes them) and what it withdraws (:class:`Withdrawal`). The resolver maps those to
canonical events, teams, players and markets; nothing here is canonical yet except
the sport, book, market and period ids, which each vendor's mapping tables give.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.model.event import Event


class Record(msgspec.Struct, frozen=True, kw_only=True):
    """One raw message from a vendor, exactly as received (what recordings hold).

    ``kind`` says what it is: ``"ws"`` for a WebSocket frame, ``"http"`` for a REST
    response body; ``meta`` carries what decoding needs besides the body (the request
    path, the sport asked for...). ``received_at`` is Unix time.
    """

    kind: str
    body: str
    meta: dict[str, str] = {}
    received_at: float = 0.0


class UpstreamGame(msgspec.Struct, frozen=True, kw_only=True):
    """A game as a vendor names it.

    ``event`` is set by vendors that report schedule, status and score (TheRundown):
    its ids are the vendor's and are replaced by canonical ones. Without it the
    resolver only creates the event if no source has yet.
    """

    key: str
    sport_id: int
    home: str
    away: str
    start: datetime
    event: Event | None = None


class ParticipantRef(msgspec.Struct, frozen=True, kw_only=True):
    """Who a price is on, as the vendor writes it: a team or player by name, or a
    result (Over, Under, Draw, Yes, No) by name or canonical id."""

    kind: ParticipantType
    name: str = ""
    result_id: int | None = None
    #: The vendor's own id (TheRundown player ids), kept for players.
    vendor_id: int | None = None


class UpstreamQuote(msgspec.Struct, frozen=True, kw_only=True):
    """One book's price on one line of a game (American odds)."""

    game_key: str
    affiliate_id: int
    market_id: int
    period_id: int
    participant: ParticipantRef
    line: str
    price: float
    status: PriceStatus = PriceStatus.OPEN
    is_main_line: bool = True
    source_ts: float = 0.0


class Withdrawal(msgspec.Struct, frozen=True, kw_only=True):
    """Every price this source quoted that matches takes ``status`` (None = any).

    ``book_clear`` is ``Withdrawal(affiliate_id=...)``; ``game_removed`` names the game
    and book; a poll that no longer lists a game withdraws the game.
    """

    status: PriceStatus = PriceStatus.OFF_BOARD
    game_key: str | None = None
    affiliate_id: int | None = None
    sport_id: int | None = None


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """Something a message named that has no canonical mapping (quarantined)."""

    kind: str
    text: str
    reason: str


class Decoded(msgspec.Struct, kw_only=True):
    """What one record says."""

    games: list[UpstreamGame] = []
    quotes: list[UpstreamQuote] = []
    withdrawals: list[Withdrawal] = []
    problems: list[Problem] = []
    #: Books the record shows alive even if it quotes nothing (a heartbeat per book).
    books_seen: list[int] = []


class DecodeError(Exception):
    """A record is malformed or unexpected: logged and skipped, never fatal."""
