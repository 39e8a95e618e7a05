"""The tick store: every applied change, durably, with openers, closing and history."""

from oddswire.store.base import (
    CorruptStoreError,
    ForeignStoreError,
    HistoryRecord,
    LoadStats,
    PriceRecord,
    StoreError,
    StoreInfo,
    StoreLockedError,
    TickStore,
)

__all__ = [
    "CorruptStoreError",
    "ForeignStoreError",
    "HistoryRecord",
    "LoadStats",
    "PriceRecord",
    "StoreError",
    "StoreInfo",
    "StoreLockedError",
    "TickStore",
]
