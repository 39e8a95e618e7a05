"""TheRundown's responses and stream messages -> what they say (no I/O).

Records the source feeds (``kind``, ``meta["call"]``):

- ``http`` / ``events`` and ``event`` (``{meta, events: [EventV2]}``): each event is a
  game (keyed by TheRundown's ``event_id``, teams by full name, with its score and
  status) and every price in its markets a quote. TheRundown's participant ids are its
  normalized ids: results (Over 10, Under 11, Draw 12, Yes 13, No 14) are canonical and
  pass as ids, teams and players pass by name. Market, period and affiliate ids are
  canonical (our catalogue is TheRundown's) and pass through.
- ``http`` / ``delta`` (``markets/delta`` rows) and ``ws`` (``/api/v2/ws/markets``
  ``market_price`` records) name only the event id and the normalized participant id:
  the decoder learns participant id -> (type, name) and the event ids from the events
  it has decoded. A row for an event it has not seen (or, on the stream, a participant
  it cannot name) is skipped and its event id put in :attr:`unknown_events`; the source
  fetches ``GET /api/v2/events/{id}`` and feeds that, which brings the current price.
- ``http`` / ``markets`` (the catalogue) and ``affiliates``: ids our catalogue lacks are
  reported as problems (quarantined); the catalogue's live variants are kept in
  :attr:`live_variants`.

Ordering: the delta feed, the stream, a gap fill after a reconnect and snapshot
refreshes overlap, so an older price could arrive after a newer one. Per line and book
the decoder keeps the last ``updated_at`` (and, for delta and stream records, their
sequence ``id``) and drops anything older (counted in :attr:`stale_dropped`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TypeVar

import msgspec

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.refdata import Catalog
from oddswire.refdata.results import result_name
from oddswire.sources.therundown import payloads as wire
from oddswire.sources.therundown.convert import (
    home_and_away,
    line_value,
    participant_kind,
    price_of,
    team_name,
    to_v2,
)
from oddswire.sources.upstream.model import (
    Decoded,
    DecodeError,
    ParticipantRef,
    Problem,
    Record,
    UpstreamGame,
    UpstreamQuote,
)
from oddswire.wire.therundown import read

#: (event id, market, period, participant type, participant id, line, book).
PriceKey = tuple[str, int, int, int, int, str, int]
#: Problems quote at most this much of the text that caused them.
SNIPPET = 160

T = TypeVar("T")
_BAD = (msgspec.DecodeError, msgspec.ValidationError)


def each(
    raws: Iterable[msgspec.Raw], decode: Callable[[msgspec.Raw], T], kind: str, out: Decoded
) -> Iterator[T]:
    """Every item that decodes; one that does not is a problem, and the rest go on."""
    for raw in raws:
        try:
            yield decode(raw)
        except _BAD as exc:
            out.problems.append(Problem(kind=kind, text=_snippet(raw), reason=str(exc)))


_events_envelope = msgspec.json.Decoder(wire.EventsEnvelope).decode
_event = msgspec.json.Decoder(wire.Event).decode
_market = msgspec.json.Decoder(wire.Market).decode
_delta_envelope = msgspec.json.Decoder(wire.DeltaEnvelope).decode
_delta_row = msgspec.json.Decoder(wire.DeltaRow).decode
_stream_message = msgspec.json.Decoder(wire.StreamMessage).decode
_stream_price = msgspec.json.Decoder(wire.StreamPrice).decode
_market_definitions = msgspec.json.Decoder(list[msgspec.Raw]).decode
_market_definition = msgspec.json.Decoder(wire.MarketDefinition).decode
_affiliates_envelope = msgspec.json.Decoder(wire.AffiliatesEnvelope).decode
_affiliate = msgspec.json.Decoder(wire.Affiliate).decode

_CALLS_BY_PATH = (
    ("/markets/delta", "delta"),
    ("/events/", "events"),
    ("/affiliates", "affiliates"),
    ("/sportsbooks", "affiliates"),
    ("/markets", "markets"),
)


def _snippet(raw: msgspec.Raw) -> str:
    return bytes(raw)[: SNIPPET * 4].decode("utf-8", "replace")[:SNIPPET]


class TheRundownDecoder:
    """Decodes TheRundown records (see the module docstring). Stateful, no I/O."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        #: Event ids decoded so far -> sport id, and their starts.
        self.events: dict[str, int] = {}
        self.starts: dict[str, datetime] = {}
        #: (participant type, normalized id) -> name, learned from events.
        self.participants: dict[tuple[ParticipantType, int], str] = {}
        #: Event ids a delta row or stream record named before any event told of them.
        self.unknown_events: set[str] = set()
        #: Market id -> its live variant, from TheRundown's catalogue (``/markets``).
        self.live_variants: dict[int, int] = {}
        #: The highest stream record ``id`` seen per sport (a delta cursor for gap fills).
        self.stream_ids: dict[int, int] = {}
        #: Report only these unknown catalogue markets (None: every one).
        self.followed_markets: set[int] | None = None
        #: ``market_price`` records decoded (the stream's metered messages).
        self.stream_prices = 0
        self.stale_dropped = 0
        self.ignored = 0
        self._last: dict[PriceKey, tuple[float, int | None]] = {}
        self._main: dict[PriceKey, bool] = {}

    # ------------------------------------------------------------------ dispatch

    def decode(self, record: Record) -> Decoded:
        if record.kind == "ws":
            return self._stream(record.body)
        if record.kind != "http":
            raise DecodeError(f"unknown record kind {record.kind!r}")
        call = record.meta.get("call") or self._call_of(record.meta.get("path", ""))
        if call in ("events", "event"):
            return self._events(record.body)
        if call == "delta":
            return self._delta(record.body)
        if call == "markets":
            return self._markets(record.body)
        if call == "affiliates":
            return self._affiliates(record.body)
        raise DecodeError(f"unknown call {call!r}")

    @staticmethod
    def _call_of(path: str) -> str:
        for fragment, call in _CALLS_BY_PATH:
            if fragment in path:
                return call
        return ""

    # -------------------------------------------------------------------- events

    def _events(self, body: str) -> Decoded:
        try:
            envelope = _events_envelope(body)
        except _BAD as exc:
            raise DecodeError(f"events: not the documented shape: {exc}") from None
        out = Decoded()
        for event in each(envelope.events or [], _event, "event", out):
            self._event(event, out)
        return out

    def _event(self, event: wire.Event, out: Decoded) -> None:
        start = read.timestamp(event.event_date)
        teams = home_and_away(event.teams)
        if start is None or teams is None:
            reason = "no event_date" if start is None else "not two teams"
            out.problems.append(Problem(kind="event", text=event.event_id, reason=reason))
            return
        home, away = teams
        out.games.append(
            UpstreamGame(
                key=event.event_id,
                sport_id=event.sport_id,
                home=team_name(home),
                away=team_name(away),
                start=start,
                event=read.event(to_v2(event, home, away)),
            )
        )
        self.events[event.event_id] = event.sport_id
        self.starts[event.event_id] = start
        self.unknown_events.discard(event.event_id)
        for market in each(event.markets or [], _market, "market", out):
            self._market(event.event_id, market, out)

    def _market(self, event_id: str, market: wire.Market, out: Decoded) -> None:
        period_id = self._period(market.market_id, market.period_id)
        market_kind = self._kind(market.market_id)
        for participant in market.participants:
            kind = participant_kind(participant.type)
            if kind is None:
                out.problems.append(
                    Problem(
                        kind="participant",
                        text=str(participant.type),
                        reason="unknown participant type",
                    )
                )
                continue
            name = (participant.name or "").strip()
            if name:
                self.participants[(kind, participant.id)] = name
            ref = self._ref(kind, participant.id, name)
            for line in participant.lines:
                value = line_value(line.value, market_kind)
                for book, quote in line.prices.items():
                    try:
                        affiliate_id = int(book)
                        price, status = price_of(quote.price)
                    except ValueError as exc:
                        out.problems.append(Problem(kind="price", text=book, reason=str(exc)))
                        continue
                    if quote.closed_at:
                        status = PriceStatus.CLOSED
                    key = (
                        event_id,
                        market.market_id,
                        period_id,
                        int(kind),
                        participant.id,
                        value,
                        affiliate_id,
                    )
                    updated = read.epoch(quote.updated_at)
                    if not self._fresh(key, updated, None):
                        continue
                    main = True if quote.is_main_line is None else quote.is_main_line
                    self._remember_main(key, main)
                    out.quotes.append(
                        UpstreamQuote(
                            game_key=event_id,
                            affiliate_id=affiliate_id,
                            market_id=market.market_id,
                            period_id=period_id,
                            participant=ref,
                            line=value,
                            price=price,
                            status=status,
                            is_main_line=main,
                            source_ts=updated,
                        )
                    )

    # ------------------------------------------------------- delta rows, stream

    def _delta(self, body: str) -> Decoded:
        try:
            envelope = _delta_envelope(body)
        except _BAD as exc:
            raise DecodeError(f"markets/delta: not the documented shape: {exc}") from None
        out = Decoded()
        for row in each(envelope.deltas or [], _delta_row, "delta", out):
            closed = bool(row.closed_at) or (row.change_type or "") in ("close", "closed")
            self._row(
                out,
                event_id=row.event_id,
                sequence=row.id,
                affiliate_id=row.affiliate_id,
                market_id=row.market_id,
                period_id=row.period_id,
                participant_id=row.participant_id,
                kind=participant_kind(row.participant_type),
                name=(row.participant_name or "").strip(),
                line=row.line,
                raw_price=row.price,
                closed=closed,
                main=row.is_main_line,
                updated_at=row.updated_at,
            )
        return out

    def _stream(self, body: str) -> Decoded:
        try:
            message = _stream_message(body)
        except _BAD as exc:
            raise DecodeError(f"stream: not a JSON message: {exc}") from None
        kind = message.meta.type if message.meta is not None else None
        if kind == "heartbeat":
            return Decoded()
        if kind != "market_price" or not message.data:
            self.ignored += 1  # unknown types are ignored, as the reference says
            return Decoded()
        try:
            record = _stream_price(message.data)
        except _BAD as exc:
            raise DecodeError(f"stream: a market_price record without its fields: {exc}") from None
        self.stream_prices += 1
        if record.id is not None and record.sport_id is not None:
            seen = self.stream_ids.get(record.sport_id, 0)
            self.stream_ids[record.sport_id] = max(seen, record.id)
        out = Decoded()
        self._row(
            out,
            event_id=record.event_id,
            sequence=record.id,
            affiliate_id=record.affiliate_id,
            market_id=record.market_id,
            period_id=record.period_id,
            participant_id=record.normalized_market_participant_id,
            kind=participant_kind(record.normalized_market_participant_type),
            name="",
            line=record.line,
            raw_price=record.price,
            closed=bool(record.closed) or bool(record.closed_at),
            main=record.is_main_line,
            updated_at=record.updated_at,
        )
        return out

    def _row(
        self,
        out: Decoded,
        *,
        event_id: str,
        sequence: int | None,
        affiliate_id: int,
        market_id: int,
        period_id: int | None,
        participant_id: int,
        kind: ParticipantType | None,
        name: str,
        line: wire.Loose,
        raw_price: wire.Loose,
        closed: bool,
        main: bool | None,
        updated_at: str | None,
    ) -> None:
        """One price change named by ids (a delta row or a stream record)."""
        if event_id not in self.events:
            self.unknown_events.add(event_id)
            return
        if kind is None:
            kind = self._learned_kind(participant_id)
        if kind is None:
            self.unknown_events.add(event_id)  # a participant the event will name
            return
        if not name:
            name = self.participants.get((kind, participant_id), "")
        if not name and not (kind is ParticipantType.RESULT and result_name(participant_id)):
            self.unknown_events.add(event_id)
            return
        try:
            price, status = price_of(raw_price)
        except ValueError as exc:
            out.problems.append(Problem(kind="price", text=str(raw_price)[:40], reason=str(exc)))
            return
        if closed:
            status = PriceStatus.CLOSED
        period = self._period(market_id, period_id)
        value = line_value(line, self._kind(market_id))
        key = (event_id, market_id, period, int(kind), participant_id, value, affiliate_id)
        updated = read.epoch(updated_at)
        if not self._fresh(key, updated, sequence):
            return
        if main is None:
            main = self._main.get(key, True)
        else:
            self._remember_main(key, main)
        out.quotes.append(
            UpstreamQuote(
                game_key=event_id,
                affiliate_id=affiliate_id,
                market_id=market_id,
                period_id=period,
                participant=self._ref(kind, participant_id, name),
                line=value,
                price=price,
                status=status,
                is_main_line=main,
                source_ts=updated,
            )
        )

    def _learned_kind(self, participant_id: int) -> ParticipantType | None:
        found = [k for k in ParticipantType if (k, participant_id) in self.participants]
        if len(found) == 1:
            return found[0]
        if not found and result_name(participant_id):
            return ParticipantType.RESULT
        return None

    # ----------------------------------------------------------------- reference

    def _markets(self, body: str) -> Decoded:
        try:
            raws = _market_definitions(body)
        except _BAD as exc:
            raise DecodeError(f"markets: not a list of market definitions: {exc}") from None
        out = Decoded()
        known = self.catalog.markets
        for market in each(raws, _market_definition, "market", out):
            if market.live_variant_id is not None:
                self.live_variants[market.id] = market.live_variant_id
            followed = self.followed_markets
            if market.id not in known and (followed is None or market.id in followed):
                out.problems.append(
                    Problem(
                        kind="market",
                        text=f"{market.id} {market.name or ''}".strip(),
                        reason="market id not in the catalogue",
                    )
                )
        return out

    def _affiliates(self, body: str) -> Decoded:
        try:
            envelope = _affiliates_envelope(body)
        except _BAD as exc:
            raise DecodeError(f"affiliates: not the documented shape: {exc}") from None
        out = Decoded()
        for book in each(envelope.affiliates, _affiliate, "book", out):
            if book.affiliate_id not in self.catalog.affiliates:
                out.problems.append(
                    Problem(
                        kind="book",
                        text=f"{book.affiliate_id} {book.affiliate_name or ''}".strip(),
                        reason="affiliate id not in the catalogue",
                    )
                )
        return out

    # ------------------------------------------------------------------- helpers

    def _period(self, market_id: int, period_id: int | None) -> int:
        """The row's period, else the market's own (delta rows and stream records
        leave it out; TheRundown's market ids imply it: 41 is live full game)."""
        if period_id is not None:
            return period_id
        market = self.catalog.markets.get(market_id)
        return market.period_id if market is not None else 0

    def _kind(self, market_id: int) -> str | None:
        market = self.catalog.markets.get(market_id)
        return market.kind if market is not None else None

    @staticmethod
    def _ref(kind: ParticipantType, participant_id: int, name: str) -> ParticipantRef:
        if kind is ParticipantType.RESULT:
            canonical = participant_id if result_name(participant_id) else None
            return ParticipantRef(kind=kind, name=name, result_id=canonical)
        if kind is ParticipantType.PLAYER:
            return ParticipantRef(kind=kind, name=name, vendor_id=participant_id)
        return ParticipantRef(kind=kind, name=name)

    def _fresh(self, key: PriceKey, updated: float, sequence: int | None) -> bool:
        """False for a price older than the one last decoded for the same line and
        book (see the module docstring); remembers this one otherwise. A record
        without a time is taken as it comes."""
        if not updated:
            return True
        last = self._last.get(key)
        if last is not None:
            last_updated, last_sequence = last
            older = updated < last_updated or (
                updated == last_updated
                and sequence is not None
                and last_sequence is not None
                and sequence < last_sequence
            )
            if older:
                self.stale_dropped += 1
                return False
        self._last[key] = (updated, sequence)
        return True

    def _remember_main(self, key: PriceKey, main: bool) -> None:
        if main:
            self._main.pop(key, None)
        else:
            self._main[key] = False

    def forget_before(self, moment: datetime) -> int:
        """Drop what is kept about events that started before ``moment`` (long over:
        the per-line memory would otherwise grow for ever); returns how many."""
        gone = {event_id for event_id, start in self.starts.items() if start < moment}
        if not gone:
            return 0
        for event_id in gone:
            self.events.pop(event_id, None)
            self.starts.pop(event_id, None)
        for store in (self._last, self._main):
            for key in [k for k in store if k[0] in gone]:
                del store[key]
        return len(gone)


__all__ = ["TheRundownDecoder"]
