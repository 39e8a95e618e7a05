"""The server half of the streaming benchmarks, run in its own process, with the
producer that feeds it: ``python -m oddswire.bench.stream.server --side hub|bare ...``
(the sides are in :mod:`oddswire.bench.stream.sides`).

Both sides build the same slate and change stream from the seed
(:mod:`oddswire.bench.workload`) and put the slate's events and first prices on a board
before any client connects.

Prints ``READY <json>`` when serving, then takes one JSON command per line on stdin and
answers each with ``OK <json>`` (or ``ERROR <text>``):

- ``{"cmd": "clients", "n": N}``: wait until N clients are subscribed.
- ``{"cmd": "fanout", "changes": M, "batch": B}``: send M changes as fast as the clients
  take them (at most ``WINDOW`` batches not yet published, at most ``MAX_BUFFERED``
  bytes waiting for any connection), the same pacing on both sides.
- ``{"cmd": "cpu"}``: this process's CPU seconds so far, and ``time.monotonic_ns()``.
- ``{"cmd": "latency", "changes": N, "rate": R, "out": PATH}``: send N changes at R a
  second (a batch every ``TICK`` s); write each applied change's sequence, submit time
  (``time.monotonic_ns``) and event to PATH.
- ``{"cmd": "feed", "changes": N}`` (hub): submit N changes as fast as possible, then wait
  until they are committed and published.
- ``{"cmd": "board", "out": PATH}`` (hub): every price on the board, as msgpack rows.
- ``{"cmd": "stop"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
import traceback
from array import array
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from oddswire.bench.stream.sides import KEY, POLL, BareSide, HubSide, Side
from oddswire.bench.workload import ChangeStream, build_universe
from oddswire.board import Board
from oddswire.model.change import Change, PriceChange, PriceStatus
from oddswire.wire.therundown.common import american_text
from oddswire.wire.therundown.stream import SENTINEL_TEXT

#: A change batch every TICK seconds in the latency run (a feed delivering every 2 ms).
TICK = 0.002
#: Fan-out pacing: batches submitted but not yet published, and the bytes any connection
#: may have waiting (a quarter of the hub's lag threshold, so no session lags).
WINDOW = 12
MAX_BUFFERED = 256 << 10


def _cpu() -> float:
    """CPU seconds of this process (the hub's SQLite writer process is not counted)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _batches(changes: list[PriceChange], size: int) -> list[list[PriceChange]]:
    return [changes[i : i + size] for i in range(0, len(changes), max(1, size))]


def _applied(batches: Sequence[Sequence[Change]]) -> list[int]:
    return [c.sequence for batch in batches for c in batch if c.sequence]


async def fanout(side: Side, stream: ChangeStream, changes: int, batch: int) -> dict[str, Any]:
    """Send ``changes`` as fast as the connections take them (see the module docstring)."""
    first = side.board.sequence + 1
    batches = _batches(stream.take(changes), batch)
    prepared = side.prepare(batches)
    window = WINDOW * batch
    in_flight, max_buffered, send = side.in_flight, side.max_buffered, side.send
    waits = 0
    cpu = _cpu()
    started = time.monotonic_ns()
    for item in prepared:
        await send(item)
        while in_flight() > window or max_buffered() > MAX_BUFFERED:
            waits += 1
            await asyncio.sleep(POLL)
    sent = time.monotonic_ns()
    await side.settle()
    settled = time.monotonic_ns()
    sequences = _applied(batches)
    return {
        "started_ns": started,
        "sent_ns": sent,
        "settled_ns": settled,
        "first": first,
        "last": side.board.sequence,
        "applied": len(sequences),
        "changes": changes,
        "waits": waits,
        "cpu_at_start": cpu,
        **side.stats(),
    }


async def latency(
    side: Side, stream: ChangeStream, events: list[str], changes: int, rate: float, out: str
) -> dict[str, Any]:
    """Send ``changes`` at ``rate`` a second; record each applied change's submit time."""
    per_tick = max(1, round(rate * TICK))
    batches = _batches(stream.take(changes), per_tick)
    prepared = side.prepare(batches)
    interval = per_tick / rate
    stamps = array("q")
    behind = 0
    clock = time.monotonic
    send = side.send
    cpu = _cpu()
    loop_started = clock()
    for k, item in enumerate(prepared):
        delay = loop_started + k * interval - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            behind += 1
            await asyncio.sleep(0)
        stamps.append(time.monotonic_ns())
        await send(item)
    seconds = clock() - loop_started
    await side.settle()
    cpu = _cpu() - cpu
    index = {event_id: i for i, event_id in enumerate(events)}
    sequences, times, event_of = array("q"), array("q"), array("q")
    for batch, stamp in zip(batches, stamps, strict=True):
        for change in batch:
            if change.sequence:
                sequences.append(change.sequence)
                times.append(stamp)
                event_of.append(index[change.event_id])
    with open(out, "wb") as f:
        f.write(
            msgspec.msgpack.encode(
                {
                    "sequence": sequences.tobytes(),
                    "ns": times.tobytes(),
                    "event": event_of.tobytes(),
                    **side.timings(),
                }
            )
        )
    return {
        "changes": changes,
        "applied": len(sequences),
        "seconds": seconds,
        "rate": changes / seconds if seconds else 0.0,
        "batches": len(batches),
        "batches_behind": behind,
        "cpu_seconds": cpu,
        **side.stats(),
    }


def dump_board(board: Board, out: str) -> int:
    """Every price as ``[event_id, sport_id, market_id, period_id, participant_id, line,
    affiliate_id, price text as the stream writes it, closed, sequence]``."""
    rows: list[list[object]] = []
    for line, affiliate_id, price in board.iter_prices():
        event = line.event.event
        text = (
            SENTINEL_TEXT if price.status == PriceStatus.OFF_BOARD else american_text(price.price)
        )
        rows.append(
            [
                event.event_id,
                event.sport_id,
                line.market_id,
                line.period_id,
                line.participant_id,
                line.line,
                affiliate_id,
                text,
                price.status == PriceStatus.CLOSED,
                price.sequence,
            ]
        )
    with open(out, "wb") as f:
        f.write(msgspec.msgpack.encode(rows))
    return len(rows)


async def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        await asyncio.sleep(0.01)


async def _stdin_lines() -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


def _say(word: str, body: object) -> None:
    sys.stdout.write(f"{word} {json.dumps(body)}\n")
    sys.stdout.flush()


async def serve(args: argparse.Namespace) -> None:
    universe = build_universe(args.events, args.seed)
    stream = ChangeStream(universe, args.seed)
    events = [e.event_id for e in universe.events]
    side: HubSide | BareSide = (
        HubSide(os.path.abspath(args.db), args.log_changes) if args.side == "hub" else BareSide()
    )
    port = await side.start(universe)
    reader = await _stdin_lines()
    try:
        _say("READY", {"port": port, "key": KEY, "sequence": side.board.sequence})
        while True:
            line = await reader.readline()
            if not line:
                return
            command: dict[str, Any] = json.loads(line)
            name = command["cmd"]
            if name == "stop":
                return
            try:
                body = await _run(side, stream, events, command)
            except Exception as exc:
                traceback.print_exc()
                sys.stdout.write(f"ERROR {type(exc).__name__}: {exc}\n")
                sys.stdout.flush()
                continue
            _say("OK", body)
    finally:
        await side.close()


async def _run(
    side: HubSide | BareSide, stream: ChangeStream, events: list[str], command: dict[str, Any]
) -> dict[str, Any]:
    name = command["cmd"]
    if name == "clients":
        await _wait(lambda: side.subscribers() >= command["n"], command.get("timeout", 60.0))
        return {"subscribers": side.subscribers()}
    if name == "cpu":
        return {"cpu": _cpu(), "ns": time.monotonic_ns()}
    if name == "fanout":
        return await fanout(side, stream, command["changes"], command["batch"])
    if name == "latency":
        return await latency(
            side, stream, events, command["changes"], command["rate"], command["out"]
        )
    if name == "feed" and isinstance(side, HubSide):
        return await side.feed(stream, command["changes"], command.get("batch", 1000))
    if name == "board":
        return {"prices": dump_board(side.board, command["out"])}
    raise ValueError(f"unknown command {name!r} for the {type(side).__name__}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", choices=("hub", "bare"), required=True)
    parser.add_argument("--db", default="stream.sqlite")
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-changes", type=int, default=250_000)
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="uvloop, as oddswire serve runs (asyncio: for comparisons only)",
    )
    args = parser.parse_args(argv)
    runner = asyncio.Runner()
    if args.loop == "uvloop":
        try:
            import uvloop

            runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
        except ImportError:  # pragma: no cover
            pass
    with runner:
        runner.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
