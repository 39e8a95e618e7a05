"""Subscriptions indexed by what they filter on, so a change meets only candidates.

A subscription with ``event_ids`` is found through each of its events; otherwise one
with ``sport_ids`` through each sport; otherwise it is a wildcard. A change then looks
at three small sets, not at every subscription.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from oddswire.stream.subscription import Subscription

K = TypeVar("K")


class SubscriptionIndex:
    def __init__(self) -> None:
        self._by_event: dict[str, set[Subscription]] = {}
        self._by_sport: dict[int, set[Subscription]] = {}
        self._anywhere: set[Subscription] = set()
        self.count = 0

    def add(self, sub: Subscription) -> None:
        for bucket in self._buckets(sub, create=True):
            bucket.add(sub)
        self.count += 1

    def remove(self, sub: Subscription) -> None:
        for bucket in self._buckets(sub, create=False):
            bucket.discard(sub)
        self.count -= 1

    def _buckets(self, sub: Subscription, *, create: bool) -> Iterator[set[Subscription]]:
        wanted = sub.filter
        if wanted.event_ids is not None:
            for event_id in wanted.event_ids:
                yield self._bucket(self._by_event, event_id, create)
        elif wanted.sport_ids is not None:
            for sport_id in wanted.sport_ids:
                yield self._bucket(self._by_sport, sport_id, create)
        else:
            yield self._anywhere

    @staticmethod
    def _bucket(index: dict[K, set[Subscription]], key: K, create: bool) -> set[Subscription]:
        bucket = index.get(key)
        if bucket is None:
            bucket = set()
            if create:
                index[key] = bucket
        return bucket

    def candidates(self, event_id: str, sport_id: int) -> Iterator[Subscription]:
        yield from self._by_event.get(event_id, ())
        yield from self._by_sport.get(sport_id, ())
        yield from self._anywhere

    def __iter__(self) -> Iterator[Subscription]:
        seen: set[Subscription] = set()
        for buckets in (self._by_event.values(), self._by_sport.values(), (self._anywhere,)):
            for bucket in buckets:
                for sub in bucket:
                    if sub not in seen:
                        seen.add(sub)
                        yield sub
