"""Tiers: what each API key may do, as TheRundown's plans define it (reference §4.6, §5.1).

A tier sets the burst rate, the data delay, WebSocket access with its connection and
subscription caps, how far back history goes, the data-point quota and its period, and
the entitlements (player props, live periods, futures, hedge). The defaults mirror the
reference's tier table; figures vary between TheRundown's own snapshots, so every one
of them is configuration (``tiers_file``), not code. ``admin`` is the operator's:
unlimited, and the only tier that may use the admin endpoints.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from enum import StrEnum
from typing import Literal

import msgspec


class Entitlement(StrEnum):
    PLAYER_PROPS = "player_props"
    LIVE_PERIODS = "live_periods"
    FUTURES = "futures"
    HEDGE = "hedge"
    ADMIN = "admin"


ALL_DATA = frozenset(
    {Entitlement.PLAYER_PROPS, Entitlement.LIVE_PERIODS, Entitlement.FUTURES, Entitlement.HEDGE}
)


class TierError(Exception):
    """A tier name is unknown, or a tiers file is malformed."""


class Tier(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One plan. ``None`` means unlimited."""

    name: str
    #: Burst limit, requests per second (REST and WebSocket upgrades).
    burst: float | None
    #: Seconds behind real time this tier's data is (0 = real time).
    delay_seconds: float = 0.0
    websocket: bool = False
    #: Concurrent WebSocket connections (all WebSocket routes share them).
    ws_connections: int | None = 0
    #: Subscriptions per multiplexed connection.
    ws_subscriptions: int | None = 0
    #: How many days back history, openers and closing lines reach.
    history_days: int | None = None
    #: Data points per ``datapoints_period``.
    datapoints: int | None = None
    datapoints_period: Literal["day", "month"] = "month"
    entitlements: frozenset[Entitlement] = frozenset()

    def allows(self, entitlement: Entitlement) -> bool:
        return entitlement in self.entitlements


ADMIN = "admin"

#: Reference §5.1 and §4.6 (TheRundown's "Current API Tier Defaults"; Max from a
#: third-party snapshot). Entitlements per plan are oddswire's reading of §5.1: live
#: periods from Pro, player props from Pro, futures from Ultra, hedge from Super.
DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(name="free", burst=1, delay_seconds=300, history_days=1, datapoints=20_000,
         datapoints_period="day"),
    Tier(name="starter", burst=2, delay_seconds=60, history_days=7, datapoints=2_000_000),
    Tier(name="pro", burst=5, delay_seconds=30, history_days=30, datapoints=10_000_000,
         entitlements=frozenset({Entitlement.LIVE_PERIODS, Entitlement.PLAYER_PROPS})),
    Tier(name="ultra", burst=10, websocket=True, ws_connections=1, ws_subscriptions=3,
         history_days=90, datapoints=40_000_000,
         entitlements=frozenset({Entitlement.LIVE_PERIODS, Entitlement.PLAYER_PROPS,
                                 Entitlement.FUTURES})),
    Tier(name="super", burst=15, websocket=True, ws_connections=3, ws_subscriptions=5,
         history_days=180, datapoints=100_000_000, entitlements=ALL_DATA),
    Tier(name="mega", burst=20, websocket=True, ws_connections=5, ws_subscriptions=10,
         history_days=365, datapoints=200_000_000, entitlements=ALL_DATA),
    Tier(name="max", burst=50, websocket=True, ws_connections=10, ws_subscriptions=25,
         history_days=None, datapoints=2_500_000_000, entitlements=ALL_DATA),
    Tier(name="enterprise", burst=100, websocket=True, ws_connections=50, ws_subscriptions=50,
         history_days=None, datapoints=None, entitlements=ALL_DATA),
    Tier(name=ADMIN, burst=None, websocket=True, ws_connections=None, ws_subscriptions=None,
         history_days=None, datapoints=None, entitlements=ALL_DATA | {Entitlement.ADMIN}),
)  # fmt: skip


class Tiers:
    """The tiers in force: the defaults, with a tiers file's overrides and additions."""

    def __init__(self, tiers: tuple[Tier, ...] = DEFAULT_TIERS) -> None:
        self._by_name = {t.name: t for t in tiers}

    def __getitem__(self, name: str) -> Tier:
        found = self._by_name.get(name)
        if found is None:
            raise TierError(f"unknown tier {name!r} (known: {', '.join(self.names)})")
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        """The tiers in the order they are declared: the defaults', then the ones a
        tiers file adds, in its order (overriding a tier keeps its place)."""
        return list(self._by_name)

    def cheapest(self, holds: Callable[[Tier], bool]) -> Tier | None:
        """The cheapest plan that ``holds``: the first in declared order (see
        :attr:`names`); the admin tier is the operator's, not a plan, and never counts."""
        return next((t for t in self._by_name.values() if t.name != ADMIN and holds(t)), None)

    @classmethod
    def from_file(cls, path: str | None) -> Tiers:
        """The defaults, changed by a TOML file of ``[tiers.<name>]`` tables.

        A table for a known tier overrides the fields it sets; a new name adds a tier
        (every field it leaves out takes the ``free`` tier's value)."""
        if path is None:
            return cls()
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise TierError(f"tiers file {path}: {exc}") from None
        tables = data.get("tiers", data)
        if not isinstance(tables, dict):
            raise TierError(f"tiers file {path}: [tiers] must be a table")
        base = {t.name: msgspec.to_builtins(t) for t in DEFAULT_TIERS}
        for name, fields in tables.items():
            if not isinstance(fields, dict):
                raise TierError(f"tiers file {path}: [tiers.{name}] must be a table")
            if name == ADMIN:
                raise TierError(f"tiers file {path}: the admin tier cannot be changed")
            merged = {**base.get(name, base["free"]), **fields, "name": name}
            try:
                base[name] = msgspec.to_builtins(msgspec.convert(merged, Tier))
            except msgspec.ValidationError as exc:
                raise TierError(f"tiers file {path}: [tiers.{name}]: {exc}") from None
        return cls(tuple(msgspec.convert(t, Tier) for t in base.values()))
