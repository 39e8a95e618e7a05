"""Read queries on the SQLite store: openers, closing and history (run on reader threads)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from oddswire.store.base import HistoryRecord, PriceRecord
from oddswire.store.sqlite.rows import STATUSES

_PRICE_COLUMNS = (
    "line_ref, affiliate_id, price, status, is_main, {agg}(sequence), source_ts, received_ts"
)


def _price(row: tuple[int, int, float, int, int, int, float, float]) -> PriceRecord:
    return PriceRecord(
        row[0], row[1], row[2], STATUSES[row[3]], bool(row[4]), row[5], row[6], row[7]
    )


def openers(conn: sqlite3.Connection, event_refs: Sequence[int]) -> list[PriceRecord]:
    """First open price per line and book (SQLite takes bare columns from the min row)."""
    sql = (
        f"SELECT {_PRICE_COLUMNS.format(agg='min')} FROM ticks "
        "WHERE event_ref = ? AND status = 0 GROUP BY line_ref, affiliate_id"
    )
    out: list[PriceRecord] = []
    for ref in event_refs:
        out.extend(_price(r) for r in conn.execute(sql, (ref,)))
    return out


def closing(conn: sqlite3.Connection, cutoffs: Sequence[tuple[int, float]]) -> list[PriceRecord]:
    """Last open price per line and book stamped at or before the cutoff."""
    sql = (
        f"SELECT {_PRICE_COLUMNS.format(agg='max')} FROM ticks "
        "WHERE event_ref = ? AND status = 0 AND source_ts <= ? GROUP BY line_ref, affiliate_id"
    )
    out: list[PriceRecord] = []
    for ref, cutoff in cutoffs:
        out.extend(_price(r) for r in conn.execute(sql, (ref, cutoff)))
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
) -> list[HistoryRecord]:
    """The newest ``limit`` changes of one event (oldest first), each with the price and
    status it replaced. The window function runs over every change of the matching
    lines, so a change's predecessor is found even when it falls outside the range."""
    where = ["event_ref = ?"]
    params: list[object] = [event_ref]
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
