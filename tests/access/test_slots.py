"""The connection registry: caps per account, clean releases, dead peers reclaimed."""

from __future__ import annotations

import asyncio

from oddswire.access.slots import PEER_LIVENESS_SECONDS, Slots, untracked


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakePeer:
    """A transport: ``buffered`` bytes waiting to be sent."""

    def __init__(self, buffered: int = 0) -> None:
        self.buffered = buffered
        self.closing = False
        self.aborted = False

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def is_closing(self) -> bool:
        return self.closing or self.aborted

    def abort(self) -> None:
        self.aborted = True


def test_the_cap_is_per_account_and_a_refusal_takes_nothing() -> None:
    slots = Slots()
    first = slots.acquire("a", 2)
    second = slots.acquire("a", 2)
    assert first is not None and second is not None
    for _ in range(5):
        assert slots.acquire("a", 2) is None
    assert slots.held("a") == 2
    assert slots.acquire("b", 2) is not None  # another account has its own slots
    first.release()
    first.release()  # idempotent
    assert slots.held("a") == 1
    assert slots.acquire("a", 2) is not None


def test_unlimited_and_zero_caps() -> None:
    slots = Slots()
    assert all(slots.acquire("admin", None) is not None for _ in range(100))
    assert slots.acquire("none", 0) is None
    assert untracked().slots is None
    untracked().release()


def test_a_peer_that_stops_reading_is_reclaimed_after_the_window() -> None:
    clock = Clock()
    slots = Slots(10.0, clock=clock)
    peer = FakePeer()
    lease = slots.acquire("a", 1, peer)
    assert lease is not None
    peer.buffered = 5000  # the client stops reading; the buffer only grows
    for _ in range(9):
        clock.now += 1
        peer.buffered += 100
        assert slots.sweep() == 0
    assert slots.acquire("a", 1) is None
    clock.now += 1.5
    assert slots.acquire("a", 1, FakePeer()) is not None  # at the cap, the dead one goes
    assert peer.aborted and lease.released
    assert slots.held("a") == 1


def test_a_reading_peer_is_never_reclaimed() -> None:
    clock = Clock()
    slots = Slots(10.0, clock=clock)
    draining, idle = FakePeer(8000), FakePeer(0)
    assert slots.acquire("a", None, draining) and slots.acquire("a", None, idle)
    for _ in range(100):
        clock.now += 1
        draining.buffered = 8000 if draining.buffered < 8000 else 7000  # it drains, refills
        assert slots.sweep() == 0
    assert not draining.aborted and not idle.aborted and slots.held("a") == 2


def test_a_close_that_cannot_finish_is_cut_at_the_window() -> None:
    """The server gave up on the peer (no pong) but its buffer never drains."""
    clock = Clock()
    slots = Slots(10.0, clock=clock)
    peer = FakePeer(0)
    assert slots.acquire("a", 1, peer) is not None
    slots.sweep()
    peer.closing, peer.buffered = True, 300
    clock.now += 9
    assert slots.sweep() == 0
    clock.now += 2
    assert slots.sweep() == 1 and peer.aborted and slots.held("a") == 0


def test_retry_after_says_when_a_held_slot_could_clear() -> None:
    clock = Clock()
    slots = Slots(clock=clock)
    assert slots.acquire("a", 1, FakePeer(100)) is not None
    assert slots.retry_after("a") == PEER_LIVENESS_SECONDS
    clock.now += 45
    assert slots.retry_after("a") == 15
    assert slots.retry_after("nobody") == 1


async def test_the_watchdog_reclaims_without_a_new_connection() -> None:
    slots = Slots(0.6)
    peer = FakePeer(1000)
    lease = slots.acquire("a", 1, peer)
    assert lease is not None
    await asyncio.sleep(1.2)
    assert peer.aborted and lease.released and slots.held("a") == 0
    await asyncio.sleep(slots.check_every * 3)
    assert slots._watchdog is None  # it stops with nothing to watch
    await slots.stop()
