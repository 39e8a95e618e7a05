"""Turning a book's new quotes into the price changes the board will not drop as no-ops.

The board ignores a change whose status, main-line flag and (for open prices) price
equal what it holds; each group remembers its last change per line, so only real
changes are emitted. Lines that fall out of a book's window are CLOSED, and come back
OPEN when they return.
"""

from __future__ import annotations

from oddswire.model.change import Change, PriceChange, PriceStatus
from oddswire.sim.markets import Group
from oddswire.sim.quoting import Entry
from oddswire.sim.state import GroupState

OPEN = PriceStatus.OPEN
OFF = PriceStatus.OFF_BOARD
CLOSED = PriceStatus.CLOSED


class Stamp:
    """Where and when changes are stamped: event, book and timestamps."""

    __slots__ = ("affiliate_id", "event_id", "received_ts", "source_ts")

    def __init__(self, event_id: str, affiliate_id: int, source_ts: float, received_ts: float):
        self.event_id = event_id
        self.affiliate_id = affiliate_id
        self.source_ts = source_ts
        self.received_ts = received_ts

    def change(
        self, group: Group, old: PriceChange, price: float, status: PriceStatus, main: bool
    ) -> PriceChange:
        return PriceChange(
            event_id=self.event_id,
            market_id=group.market_id,
            period_id=group.period_id,
            participant_id=old.participant_id,
            participant_type=old.participant_type,
            line=old.line,
            affiliate_id=self.affiliate_id,
            price=price,
            status=status,
            is_main_line=main,
            source_ts=self.source_ts,
            received_ts=self.received_ts,
        )


def emit(
    stamp: Stamp,
    group: Group,
    gs: GroupState,
    entries: list[Entry],
    out: list[Change],
    closing: bool = False,
) -> int:
    """Apply a group's new entries; returns how many changes were appended to ``out``.

    With ``closing``, open entries are recorded as CLOSED (closing lines of a game that
    has already started when the simulator boots).
    """
    quotes = gs.quotes
    n0 = len(out)
    matched = 0
    added = 0
    for pid, ptype, line, quoted, quoted_status, main in entries:
        status = CLOSED if closing and quoted_status is OPEN else quoted_status
        price = quoted
        key = (pid, line)
        old = quotes.get(key)
        if old is not None:
            matched += 1
            if status is not OPEN:
                price = old.price
            if (
                old.status is status
                and old.is_main_line is main
                and (status is not OPEN or old.price == price)
            ):
                continue
        elif status is OFF:
            continue
        else:
            added += 1
        ch = PriceChange(
            event_id=stamp.event_id,
            market_id=group.market_id,
            period_id=group.period_id,
            participant_id=pid,
            participant_type=ptype,
            line=line,
            affiliate_id=stamp.affiliate_id,
            price=price,
            status=status,
            is_main_line=main,
            source_ts=stamp.source_ts,
            received_ts=stamp.received_ts,
        )
        quotes[key] = ch
        out.append(ch)
    if matched + added < len(quotes):
        keep = {(e[0], e[2]) for e in entries}
        for key, old in list(quotes.items()):
            if key in keep or (old.status is CLOSED and not old.is_main_line):
                continue
            ch = stamp.change(group, old, old.price, CLOSED, False)
            quotes[key] = ch
            out.append(ch)
    return len(out) - n0


def set_status(
    stamp: Stamp, group: Group, gs: GroupState, status: PriceStatus, out: list[Change]
) -> int:
    """Pull (OFF_BOARD) or close (CLOSED) every line of a group that is not already so.

    Pulling only touches open lines; closing keeps each line's main-line flag, so the
    closing main lines stay identifiable.
    """
    n = 0
    for key, old in gs.quotes.items():
        if old.status is status or (status is OFF and old.status is not OPEN):
            continue
        ch = stamp.change(group, old, old.price, status, old.is_main_line)
        gs.quotes[key] = ch
        out.append(ch)
        n += 1
    return n
