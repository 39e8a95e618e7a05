"""Read queries on the SQLite store: openers, closing and history (run on reader threads)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from oddswire.model.event import Event
from oddswire.store.base import HistoryRecord, PriceRecord
from oddswire.store.sqlite.rows import STATUSES

#: No sequence cap: above every sequence a store hands out.
NO_CAP = 1 << 62
#: Values bound per ``IN (...)`` (SQLite's limit on variables is far above it).
_IN_CHUNK = 500
_decode_event = msgspec.json.Decoder(Event).decode

_PRICE_COLUMNS = (
    "line_ref, affiliate_id, price, status, is_main, {agg}(sequence), source_ts, received_ts"
)


def _price(row: tuple[int, int, float, int, int, int, float, float]) -> PriceRecord:
    return PriceRecord(
        row[0], row[1], row[2], STATUSES[row[3]], bool(row[4]), row[5], row[6], row[7]
    )


def openers(
    conn: sqlite3.Connection, event_refs: Sequence[int], upto: int = NO_CAP
) -> list[PriceRecord]:
    """First open price per line and book (SQLite takes bare columns from the min row),
    among the changes up to sequence ``upto``."""
    sql = (
        f"SELECT {_PRICE_COLUMNS.format(agg='min')} FROM ticks "
        "WHERE event_ref = ? AND sequence <= ? AND status = 0 GROUP BY line_ref, affiliate_id"
    )
    out: list[PriceRecord] = []
    for ref in event_refs:
        out.extend(_price(r) for r in conn.execute(sql, (ref, upto)))
    return out


def closing(
    conn: sqlite3.Connection, cutoffs: Sequence[tuple[int, float]], upto: int = NO_CAP
) -> list[PriceRecord]:
    """Last open price per line and book stamped at or before the cutoff, among the
    changes up to sequence ``upto``."""
    sql = (
        f"SELECT {_PRICE_COLUMNS.format(agg='max')} FROM ticks WHERE event_ref = ? "
        "AND sequence <= ? AND status = 0 AND source_ts <= ? GROUP BY line_ref, affiliate_id"
    )
    out: list[PriceRecord] = []
    for ref, cutoff in cutoffs:
        out.extend(_price(r) for r in conn.execute(sql, (ref, upto, cutoff)))
    return out


def prices_at(
    conn: sqlite3.Connection,
    sequence: int,
    keys: Sequence[tuple[int, frozenset[tuple[int, int]]]],
) -> list[PriceRecord]:
    """The last price at or before ``sequence`` of each (line ref, affiliate id) key,
    the keys given by event ref; the other books of those lines are left out here, on
    the reader thread."""
    out: list[PriceRecord] = []
    for event_ref, wanted in keys:
        line_refs = sorted({line_ref for line_ref, _ in wanted})
        for start in range(0, len(line_refs), _IN_CHUNK):
            chunk = line_refs[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = (
                f"SELECT {_PRICE_COLUMNS.format(agg='max')} FROM ticks WHERE event_ref = ? "
                f"AND sequence <= ? AND line_ref IN ({marks}) GROUP BY line_ref, affiliate_id"
            )
            out.extend(
                _price(r)
                for r in conn.execute(sql, (event_ref, sequence, *chunk))
                if (r[0], r[1]) in wanted
            )
    return out


def events_at(
    conn: sqlite3.Connection, sequence: int, event_refs: Sequence[int]
) -> dict[int, tuple[Event, int]]:
    """Each event's header as of ``sequence`` with the sequence that set it (events
    that did not exist yet are left out)."""
    sql = (
        "SELECT sequence, data FROM event_ticks WHERE event_ref = ? AND sequence <= ? "
        "ORDER BY sequence DESC LIMIT 1"
    )
    out: dict[int, tuple[Event, int]] = {}
    for ref in event_refs:
        row = conn.execute(sql, (ref, sequence)).fetchone()
        if row is not None:
            out[ref] = (_decode_event(row[1]), int(row[0]))
    return out


def history(
    conn: sqlite3.Connection,
    event_ref: int,
    line_refs: Sequence[int] | None,
    affiliate_ids: Sequence[int] | None,
    since: float | None,
    until: float | None,
    limit: int,
    main_only: bool = False,
    upto: int = NO_CAP,
) -> list[HistoryRecord]:
    """The newest ``limit`` changes of one event (oldest first), each with the price and
    status it replaced. The window function runs over every change of the matching
    lines, so a change's predecessor is found even when it falls outside the range."""
    where = ["event_ref = ?", "sequence <= ?"]
    params: list[object] = [event_ref, upto]
    if line_refs is not None:
        where.append(f"line_ref IN ({','.join('?' * len(line_refs))})")
        params.extend(line_refs)
    if affiliate_ids is not None:
        where.append(f"affiliate_id IN ({','.join('?' * len(affiliate_ids))})")
        params.extend(affiliate_ids)
    inner = (
        "SELECT line_ref, affiliate_id, price, status, is_main, sequence, source_ts, received_ts, "
        "lag(price) OVER w AS prev_price, lag(status) OVER w AS prev_status FROM ticks "
        f"WHERE {' AND '.join(where)} "
        "WINDOW w AS (PARTITION BY line_ref, affiliate_id ORDER BY sequence)"
    )
    outer: list[str] = []
    if since is not None:
        outer.append("source_ts >= ?")
        params.append(since)
    if until is not None:
        outer.append("source_ts <= ?")
        params.append(until)
    if main_only:
        outer.append("is_main = 1")
    sql = f"SELECT * FROM ({inner})"
    if outer:
        sql += " WHERE " + " AND ".join(outer)
    sql = f"SELECT * FROM ({sql} ORDER BY sequence DESC LIMIT ?) ORDER BY sequence"
    params.append(limit)
    return [
        HistoryRecord(
            r[0],
            r[1],
            r[2],
            STATUSES[r[3]],
            bool(r[4]),
            r[5],
            r[6],
            r[7],
            r[8],
            None if r[9] is None else STATUSES[r[9]],
        )
        for r in conn.execute(sql, params)
    ]


def lines_by_hash(conn: sqlite3.Connection, hashes: Sequence[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for value in hashes:
        row = conn.execute("SELECT ref FROM lines WHERE hash48 = ?", (value,)).fetchone()
        if row is not None:
            out[value] = row[0]
    return out


def expired_events(conn: sqlite3.Connection, before: float) -> list[tuple[int, str]]:
    return list(conn.execute("SELECT ref, event_id FROM events WHERE event_date < ?", (before,)))
